#!/bin/sh
# One namespace is changed by one process at a time: netns-helper-run and
# netns-helper up/down started together on one namespace wait for each
# other (a lock in RUNDIR/.locks) instead of racing.  Without it, two netns
# starts saw each other's file before it was a namespace, and two macvlan
# starts replaced each other's link.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/stages/common.sh"
st_setup
nh_require_cmd flock

st_ns NS k
IF="nm_$NS"
LOCK="$NETNS_HELPER_RUNDIR/.locks/$NS"
st_conf "$NS" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
  address4: 192.0.2.40/24
  gateway4: 192.0.2.1
  address6: 2001:db8:40::40/64
EOF2

# Someone else holds the namespace: a start waits for it, says so, and
# then does its work.
mkdir -p "$NETNS_HELPER_RUNDIR/.locks"
flock "$LOCK" sh -c "touch '$NH_T/held'; sleep 1; touch '$NH_T/released'" &
holder=$!
nh_defer "kill $holder 2>/dev/null"
for _ in $(seq 1 100); do [ -e "$NH_T/held" ] && break; sleep 0.05; done
[ -e "$NH_T/held" ] || nh_fail "the test could not take the lock $LOCK"
nh_expect_exit 0 "$NH_RUN" netns "$NS" start
nh_assert_match "$NH_ERR" "Namespace $NS: waiting for another netns-helper that is changing it" \
        "a start that waits says why"
[ -e "$NH_T/released" ] || nh_fail "netns start did not wait for the holder of $LOCK"
wait "$holder"
[ -e "/run/netns/$NS" ] || nh_fail "no namespace after the wait"
nh_expect_exit 0 "$NH_RUN" netns "$NS" stop

# Two of each stage at once, and two "up": every one succeeds, and the
# namespace ends up as configured, with one link.
for round in 1 2 3 4 5; do
        "$NH_RUN" netns "$NS" start >"$NH_T/a.out" 2>&1 & a=$!
        "$NH_RUN" netns "$NS" start >"$NH_T/b.out" 2>&1 & b=$!
        wait $a || nh_fail "round $round: a netns start failed: $(cat "$NH_T/a.out")"
        wait $b || nh_fail "round $round: a netns start failed: $(cat "$NH_T/b.out")"
        "$NH_RUN" macvlan "$NS" start >"$NH_T/a.out" 2>&1 & a=$!
        "$NH_RUN" macvlan "$NS" start >"$NH_T/b.out" 2>&1 & b=$!
        wait $a || nh_fail "round $round: a macvlan start failed: $(cat "$NH_T/a.out")"
        wait $b || nh_fail "round $round: a macvlan start failed: $(cat "$NH_T/b.out")"
        nh_assert_eq "$(ip -n "$NS" -o link show | grep -c "$IF@")" 1 "round $round: links named $IF"
        nh_expect_exit 0 "$NH" check "$NS"
        "$NH" down "$NS" || nh_fail "round $round: down failed"
        st_nothing_left "$NS" "$IF"

        "$NH" up "$NS" >"$NH_T/a.out" 2>&1 & a=$!
        "$NH" up "$NS" >"$NH_T/b.out" 2>&1 & b=$!
        wait $a || nh_fail "round $round: an up failed: $(cat "$NH_T/a.out")"
        wait $b || nh_fail "round $round: an up failed: $(cat "$NH_T/b.out")"
        nh_expect_exit 0 "$NH" check "$NS"
        "$NH" down "$NS" || nh_fail "round $round: down failed"
        st_nothing_left "$NS" "$IF"
done
exit 0
