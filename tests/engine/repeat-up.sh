#!/bin/sh
# "up" of a namespace that is up already, in full or in part, completes what
# is missing and never starts a second process for a long-running stage,
# whoever started the first (up, netns-helper-run); concurrent "up"s and
# "up" racing "down" end consistent with no process left behind; the record
# of a running stage survives a failed "up" (its undo), so that "down"
# still stops it; "check" reports a stage whose process died (exit 5).
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/engine/common.sh"
en_setup

en_ns NS r
# conf [LINE]: waiter and gamma, LINE added to gamma's section.
conf() {
        en_conf "$NS" <<EOF2
stages: [netns, waiter, gamma]
waiter:
  log: $LOG
gamma:
  log: $NH_T/gamma.log
$1
EOF2
}
conf ""

running_waiters() { en_waiters; }

# --- up twice: one waiter --------------------------------------------------
nh_expect_exit 0 "$NH" up "$NS"
en_kill_at_exit $(en_pids start)
nh_expect_exit 0 "$NH" up "$NS"
en_kill_at_exit $(en_pids start)
nh_assert_eq "$(running_waiters | wc -l)" 1 "waiter processes after two up"
nh_assert_eq "$(grep -c 'gamma start' "$NH_T/gamma.log")" 1 "gamma starts after two up (it was up as configured)"
nh_expect_exit 0 "$NH" check "$NS"

# A unit (netns-helper-run) starting it again is refused, not a second one.
nh_expect_exit 1 "$NH_RUN" waiter "$NS" start
nh_assert_match "$NH_ERR" "runs already as PID $(running_waiters)" "a second start names the first"
en_kill_at_exit $(en_pids start)
nh_assert_eq "$(running_waiters | wc -l)" 1 "waiter processes after netns-helper-run start"

# --- the process dies: check says so (5); up starts it again ----------------
first=$(running_waiters)
kill -9 "$first"
en_wait_gone "$first" || nh_fail "waiter $first did not die"
nh_expect_exit 5 "$NH" check "$NS"
nh_assert_match "$NH_ERR" "waiter\[$NS\]: not running: its process \(PID $first\) has ended" "check names the dead process"
nh_expect_exit 5 "$NH_RUN" waiter "$NS" check
nh_expect_exit 0 "$NH" up "$NS"
en_kill_at_exit $(en_pids start)
nh_assert_eq "$(running_waiters | wc -l)" 1 "waiter processes after up restarted it"
nh_expect_exit 0 "$NH" check "$NS"

# --- the namespace deleted from outside: up replaces the orphaned process ---
orphan=$(running_waiters)
ip netns delete "$NS"
nh_expect_exit 0 "$NH" up "$NS"
en_kill_at_exit $(en_pids start)
en_wait_gone "$orphan" || nh_fail "the waiter of the deleted namespace (PID $orphan) still runs after up"
nh_assert_eq "$(running_waiters | wc -l)" 1 "waiter processes after up of a namespace deleted from outside"
nh_expect_exit 0 "$NH" check "$NS"

# --- a failed repeat "up" undoes only what it started; down still stops -----
second=$(running_waiters)
conf "  fail: start"
# gamma is up, but its check now fails ("fail: start" is not "check"), so
# force a start by removing its mark: the repeat must start it and fail.
rm -f "$NETNS_HELPER_RUNDIR/$NS/up/gamma"
nh_expect_exit 1 "$NH" up "$NS"
en_kill_at_exit $(en_pids start)
nh_assert_eq "$(running_waiters)" "$second" "the waiter that ran before the failed up still runs, alone"
[ -e "/run/netns/$NS" ] || nh_fail "the failed repeat up removed the namespace it had not made"
nh_expect_exit 0 "$NH" down "$NS"
en_wait_gone "$second" || nh_fail "down did not stop waiter $second after a failed up"
nh_assert_eq "$(running_waiters | wc -l)" 0 "waiters after down"
[ ! -e "/run/netns/$NS" ] || nh_fail "namespace left after down"

conf ""

# --- two "up" at once, and "up" racing "down" --------------------------------
for round in 1 2 3 4 5 6 7 8; do
        "$NH" up "$NS" >"$NH_T/a.out" 2>&1 & a=$!
        "$NH" up "$NS" >"$NH_T/b.out" 2>&1 & b=$!
        wait $a || nh_fail "round $round: an up failed: $(cat "$NH_T/a.out")"
        wait $b || nh_fail "round $round: an up failed: $(cat "$NH_T/b.out")"
        en_kill_at_exit $(en_pids start)
        nh_assert_eq "$(running_waiters | wc -l)" 1 "round $round: waiters after two concurrent up"
        nh_expect_exit 0 "$NH" check "$NS"

        "$NH" up "$NS" >"$NH_T/a.out" 2>&1 & a=$!
        "$NH" down "$NS" >"$NH_T/b.out" 2>&1 & b=$!
        wait $a || nh_fail "round $round: up racing down failed: $(cat "$NH_T/a.out")"
        wait $b || nh_fail "round $round: down racing up failed: $(cat "$NH_T/b.out")"
        en_kill_at_exit $(en_pids start)
        if [ -e "/run/netns/$NS" ]; then
                nh_assert_eq "$(running_waiters | wc -l)" 1 "round $round: up won: one waiter"
                nh_expect_exit 0 "$NH" check "$NS"
        else
                nh_assert_eq "$(running_waiters | wc -l)" 0 "round $round: down won: no waiter"
        fi
        nh_expect_exit 0 "$NH" down "$NS"
        nh_assert_eq "$(running_waiters | wc -l)" 0 "round $round: waiters after down"
        [ ! -e "/run/netns/$NS" ] || nh_fail "round $round: namespace left after down"
done
exit 0
