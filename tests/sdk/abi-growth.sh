#!/bin/sh
# The plugin ABI grows without breaking older plugins: a descriptor laid
# out as ABI 1.0 laid it out (shorter than today's) loads and runs, its
# typed getters read the i-th value in the indexed form and the first in
# ABI 1.0's form; a descriptor of 1.5 or later that does not say its size
# (.size, set by NH_PLUGIN_DEFINE) is refused with a message saying so.
. "$NH_SRCDIR/tests/lib.sh"
[ -x "$NH" ] && [ -x "$NH_RUN" ] || nh_skip "netns-helper is not built"
for p in abiold nosize; do
        [ -f "$NH_BUILDDIR/tests/sdk/abi/.libs/$p.so" ] || nh_skip "test plugin $p.so is not built (make check builds it)"
done
nh_setup_tree
NETNS_HELPER_PLUGIN_PATH="$(nh_plugin_dir "$NH_BUILDDIR/tests/sdk/abi/.libs"):$NETNS_HELPER_PLUGIN_PATH"

nh_expect_exit 0 "$NH" plugins
nh_assert_match "$NH_OUT" "^abiold +abiold +1\.0 +1\.0 +500 +enabled" "the ABI 1.0 descriptor is loaded"
nh_assert_match "$NH_OUT" "nosize\.so declares plugin ABI 1\.5 but not the size of its descriptor; define the descriptor with NH_PLUGIN_DEFINE" \
        "the 1.5 descriptor without a size is refused, saying why"

NS=nht${NH_ID}g
printf 'stages: [abiold]\nabiold:\n  n: [5, 7]\n  log: %s\n' "$NH_T/read" >"$NH_NSCONF/$NS.yaml"
nh_expect_exit 0 "$NH_RUN" abiold "$NS" start
nh_assert_eq "$(cat "$NH_T/read")" "5 5 7" "getters: first (1.0 form), index 0, index 1"
nh_expect_exit 0 "$NH_RUN" abiold "$NS" stop
