#!/bin/sh
# A stage process killed with SIGKILL while its hook runs leaves nothing of
# the hook behind once the stage is stopped: the hook goes with its parent,
# and what the hook started (a "sleep" in its process group, inside the
# namespace) is killed by "stop"/"down".  Both for a one-shot stage run by
# netns-helper-run (postup) and a long-running one under "up" (waiter).
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/engine/common.sh"
en_setup
[ -f "$NH_BUILDDIR/plugins/postup/.libs/postup.so" ] || nh_skip "plugin postup.so is not built"

en_ns NS h
HOOK="$NH_T/hook"
# The hook starts a child and waits for it: the child is what a SIGKILL of
# the stage left running.
cat >"$HOOK" <<EOF2
#!/bin/sh
echo \$\$ >'$NH_T/hook.pid'
sleep 300 &
echo \$! >'$NH_T/child.pid'
wait
EOF2
chmod 0755 "$HOOK"

# wait_file F: up to 10 s for F to hold a PID.
wait_file() {
        for _ in $(seq 1 200); do [ -s "$1" ] && return 0; sleep 0.05; done
        nh_fail "$1 never appeared"
}

# --- a one-shot stage: netns-helper-run postup NS start, killed ------------
cp "$HOOK" "$NH_NSCONF/$NS-postup"
en_conf "$NS" <<EOF2
stages: [netns, postup]
EOF2
nh_expect_exit 0 "$NH_RUN" netns "$NS" start
"$NH_RUN" postup "$NS" start 2>/dev/null & stage=$!
nh_defer "kill -9 $stage"
wait_file "$NH_T/child.pid"
child=$(cat "$NH_T/child.pid") hook=$(cat "$NH_T/hook.pid")
nh_defer "kill -9 $child $hook"
kill -9 "$stage"
wait "$stage" 2>/dev/null
en_wait_gone "$hook" || nh_fail "the hook (PID $hook) outlived its stage process"
[ -n "$(en_alive "$child")" ] || nh_fail "the test's premise: the hook's child (PID $child) should still run before stop"
nh_expect_exit 0 "$NH_RUN" postup "$NS" stop
en_wait_gone "$child" || nh_fail "the hook's child (PID $child) survived netns-helper-run postup stop"
nh_expect_exit 0 "$NH" down "$NS"
rm -f "$NH_T/child.pid" "$NH_T/hook.pid" "$NH_NSCONF/$NS-postup"

# --- a long-running stage under up, killed while its hook runs --------------
en_conf "$NS" <<EOF2
stages: [netns, waiter]
waiter:
  log: $LOG
  hook: $HOOK
  ready-timeout: 0
EOF2
"$NH" up "$NS" 2>/dev/null & up=$!
nh_defer "kill -9 $up"
wait_file "$NH_T/child.pid"
child=$(cat "$NH_T/child.pid") hook=$(cat "$NH_T/hook.pid")
nh_defer "kill -9 $child $hook"
stage=$(en_waiters)
[ -n "$stage" ] || nh_fail "no waiter runs"
en_kill_at_exit "$stage"
kill -9 "$stage"
wait "$up" 2>/dev/null
en_wait_gone "$hook" || nh_fail "the hook (PID $hook) outlived the waiter"
nh_expect_exit 0 "$NH" down "$NS"
en_wait_gone "$child" || nh_fail "the hook's child (PID $child) survived down"
[ ! -e "/run/netns/$NS" ] || nh_fail "namespace left after down"
exit 0
