#!/bin/sh
# The stage that makes the namespace is known by its descriptor's
# NH_PLUGIN_OWNS_NETNS, whatever it is called: a stage that needs the
# namespace names it (and its unit) when the namespace is missing, and its
# stop clears the namespace's run directory.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_root
[ -x "$NH_RUN" ] || nh_skip "netns-helper-run is not built"
[ -f "$NH_BUILDDIR/tests/core/.libs/nsowner.so" ] || nh_skip "tests/core/nsowner.so is not built (make check builds it)"
nh_setup_tree
NETNS_HELPER_PLUGIN_PATH="$(nh_plugin_dir "$NH_BUILDDIR/tests/core/.libs"):$NETNS_HELPER_PLUGIN_PATH"

# Named, never made: the recorders touch no kernel state.
NS="nht${NH_ID}o"
cat >"$NH_NSCONF/$NS.yaml" <<EOF2
stages: [nsowner, inner]
nsowner: {}
inner: {}
EOF2

nh_expect_exit 1 "$NH_RUN" inner "$NS" start
nh_assert_match "$NH_ERR" "start it first: systemctl start netns-helper-nsowner@$NS\\.service, or netns-helper-run nsowner $NS start" \
        "the stage that needs the namespace names the stage that makes it"

nh_expect_exit 0 "$NH_RUN" nsowner "$NS" start
mkdir -p "$NETNS_HELPER_RUNDIR/$NS/facts"
echo 1 >"$NETNS_HELPER_RUNDIR/$NS/facts/inner.x"
nh_expect_exit 0 "$NH_RUN" nsowner "$NS" stop
[ ! -e "$NETNS_HELPER_RUNDIR/$NS" ] || nh_fail "the stop of the stage that owns the namespace left $NETNS_HELPER_RUNDIR/$NS"
exit 0
