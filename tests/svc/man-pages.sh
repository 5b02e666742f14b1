#!/bin/sh
# The man pages render without a single groff warning, and name the exit
# codes and commands the programs have.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_cmd groff

# -Wbreak: a long configured path (make distcheck installs under its build
# directory) cannot always be broken or adjusted; that is not a mistake in
# the page.
for p in netns-helper.8 netns-helper-run.8 netns-helper.yaml.5 netns-helper.units.7; do
        f="$NH_BUILDDIR/man/$p"
        [ -f "$f" ] || nh_fail "missing man page $f"
        out=$(groff -man -z -wall -Wbreak "$f" 2>&1)
        [ -z "$out" ] || nh_fail "groff warns about $p: $out"
        out=$(LC_ALL=C.UTF-8 MANWIDTH=80 groff -man -Tutf8 -rLL=80n -wall -Wbreak "$f" 2>&1 >/dev/null)
        [ -z "$out" ] || nh_fail "groff warns about $p at 80 columns: $out"
done
text=$(groff -man -Tascii "$NH_BUILDDIR/man/netns-helper.8" 2>/dev/null | col -b 2>/dev/null || groff -man -Tascii "$NH_BUILDDIR/man/netns-helper.8")
for cmd in add remove enable disable start stop restart status up down validate check plugins; do
        printf '%s\n' "$text" | grep -Eq "^ +$cmd( |$)" || printf '%s\n' "$text" | grep -q "$cmd" ||
                nh_fail "netns-helper(8) does not describe '$cmd'"
done
for code in 0 1 2 3 4 5; do
        printf '%s\n' "$text" | grep -Eq "^ +$code +[A-Za-z]" || nh_fail "netns-helper(8) does not document exit status $code"
done
