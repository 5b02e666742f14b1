#!/bin/sh
# netns-helper-plugin(7) prints tests/sdk/example/hello.c as its example:
# the page is warning-free for groff, the example as man renders it is the
# file byte for byte, and that rendered text compiles.  When hello.c
# changes, regenerate the page's EXAMPLE block (see the message below).
. "$NH_SRCDIR/tests/lib.sh"
nh_require_cmd groff col cc

PAGE="$NH_BUILDDIR/man/netns-helper-plugin.7"
HELLO="$NH_SRCDIR/tests/sdk/example/hello.c"
nh_setup_tree

W=$(groff -z -wall -man "$PAGE" 2>&1) || nh_fail "groff failed on $PAGE: $W"
[ -z "$W" ] || nh_fail "groff warns about $PAGE: $W"

# As printed: rendered for a terminal, the block from the file's first
# line to the descriptor's closing ");", with the page's indent removed.
LC_ALL=C.UTF-8 groff -man -Tutf8 "$PAGE" 2>/dev/null | col -bx >"$NH_T/page.txt"
sed -n '/^ *\/\* hello\.c:/,/^ *);$/p' "$NH_T/page.txt" >"$NH_T/block"
[ -s "$NH_T/block" ] || nh_fail "no example found in the rendered $PAGE"
IND=$(head -n 1 "$NH_T/block" | sed 's|/\*.*||' | wc -c)
cut -c "$IND"- "$NH_T/block" >"$NH_T/printed.c"
if ! diff -u "$HELLO" "$NH_T/printed.c" >"$NH_T/diff"; then
        nh_fail "the man page's example differs from hello.c:
$(cat "$NH_T/diff")
Regenerate the block between '.EX' after '.SH EXAMPLE' and its '.EE' with:
  sed -e 's/\\\\/\\\\e/g' -e 's/-/\\\\-/g' -e \"s/'/\\\\\\\\(aq/g\" -e 's/^\\./\\\\\\&./' tests/sdk/example/hello.c"
fi

cc -Wall -Wextra -Werror -shared -fPIC -I"$NH_SRCDIR/include" "$NH_T/printed.c" -o "$NH_T/hello.so" 2>"$NH_T/cc.log" ||
        nh_fail "the example as printed does not compile: $(cat "$NH_T/cc.log")"
exit 0
