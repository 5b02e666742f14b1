#!/bin/sh
# The plugin ABI's version is written once, in include/netns-helper/plugin.h:
# the installed netns-helper-plugin.pc says the same abi_major and
# abi_minor, and a tree whose header says another version configures a
# .pc file that says that one (it had its own "abi_major=1").  No root.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_cmd make sed
nh_setup_tree
unset MAKEFLAGS MFLAGS MAKELEVEL
hdr="$NH_SRCDIR/include/netns-helper/plugin.h"
major=$(sed -n 's/^#define NH_PLUGIN_ABI_MAJOR  *\([0-9]*\)$/\1/p' "$hdr")
minor=$(sed -n 's/^#define NH_PLUGIN_ABI_MINOR  *\([0-9]*\)$/\1/p' "$hdr")
pc_var() { sed -n "s/^$2=//p" "$1"; }

pc="$NH_BUILDDIR/sdk/netns-helper-plugin.pc"
nh_assert_eq "$(pc_var "$pc" abi_major).$(pc_var "$pc" abi_minor)" "$major.$minor" "the built .pc file's ABI"

# A copy of the tree as a release tarball has it, with the header at 7.3.
src="$NH_T/src"
make -s -C "$NH_BUILDDIR" distdir distdir="$src" >"$NH_T/distdir.log" 2>&1 ||
        { cat "$NH_T/distdir.log" >&2; nh_fail "make distdir failed"; }
sed -i -e 's/^#define NH_PLUGIN_ABI_MAJOR .*/#define NH_PLUGIN_ABI_MAJOR 7/' \
        -e 's/^#define NH_PLUGIN_ABI_MINOR .*/#define NH_PLUGIN_ABI_MINOR 3/' "$src/include/netns-helper/plugin.h"
(cd "$src" && ./configure --prefix="$NH_T/p" >"$NH_T/configure.log" 2>&1) ||
        { tail -20 "$NH_T/configure.log" >&2; nh_fail "configure failed"; }
nh_assert_eq "$(pc_var "$src/sdk/netns-helper-plugin.pc" abi_major).$(pc_var "$src/sdk/netns-helper-plugin.pc" abi_minor)" \
        "7.3" "the .pc file of a tree whose header says 7.3"
