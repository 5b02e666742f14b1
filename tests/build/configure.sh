#!/bin/sh
# configure and the paths built into the programs, in a copy of the tree
# ("make distdir", as a release tarball):
# - configure writes nothing on stderr (autoconf's "rm -f core" after each
#   test meets our core/ directory: "rm: cannot remove 'core': Is a
#   directory") and leaves no confdefs.h behind (its exit trap stopped at
#   that rm);
# - --runstatedir defaults to /run (README, netns-helper(8)), not
#   PREFIX/var/run;
# - re-running configure with other directories in the same tree and then
#   "make" rebuilds what uses the paths: the program has the new plugin
#   directory, not the old one.
# Needs no root.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_cmd cc make strings
nh_setup_tree
unset MAKEFLAGS MFLAGS MAKELEVEL
src="$NH_T/src"
make -s -C "$NH_BUILDDIR" distdir distdir="$src" >"$NH_T/distdir.log" 2>&1 ||
        { cat "$NH_T/distdir.log" >&2; nh_fail "make distdir failed"; }

cd "$src" || nh_fail "no $src"
# Only what the checks need: nh-paths.h first (make, make check and make
# install make it through BUILT_SOURCES), then the program.
./configure --prefix="$NH_T/a" >"$NH_T/configure.out" 2>"$NH_T/configure.err" ||
        { tail -20 "$NH_T/configure.err" >&2; nh_fail "configure --prefix=$NH_T/a failed"; }
[ ! -s "$NH_T/configure.err" ] || nh_fail "configure wrote on stderr: $(sort "$NH_T/configure.err" | uniq -c | head -5)"
[ ! -e confdefs.h ] || nh_fail "configure left confdefs.h behind (its exit trap did not finish)"

nice make -j"$(nproc)" nh-paths.h netns-helper >"$NH_T/make1.log" 2>&1 ||
        { tail -30 "$NH_T/make1.log" >&2; nh_fail "make netns-helper failed"; }
strings netns-helper | grep -qx "$NH_T/a/lib/netns-helper/plugins" ||
        nh_fail "netns-helper built for --prefix=$NH_T/a lacks its plugin directory $NH_T/a/lib/netns-helper/plugins"
strings netns-helper | grep -qx "/run/netns-helper" ||
        nh_fail "the run directory of a build without --runstatedir is not /run/netns-helper: $(strings netns-helper | grep 'run/netns-helper$')"

# The README's install line, after the quick start, in the same tree.
./configure --prefix="$NH_T/b" --runstatedir="$NH_T/b/run" >"$NH_T/configure2.out" 2>&1 ||
        nh_fail "the second configure failed"
nice make -j"$(nproc)" nh-paths.h netns-helper >"$NH_T/make2.log" 2>&1 ||
        { tail -30 "$NH_T/make2.log" >&2; nh_fail "the second make netns-helper failed"; }
strings netns-helper | grep -qx "$NH_T/b/lib/netns-helper/plugins" ||
        nh_fail "after configure --prefix=$NH_T/b and make, netns-helper still has the old paths: $(strings netns-helper | grep 'netns-helper/plugins$')"
strings netns-helper | grep -qx "$NH_T/b/run/netns-helper" ||
        nh_fail "after configure --runstatedir=$NH_T/b/run and make, netns-helper lacks $NH_T/b/run/netns-helper"
! strings netns-helper | grep -q "^$NH_T/a/" || nh_fail "netns-helper still names $NH_T/a"
exit 0
