#!/bin/sh
# A link set down and up inside the namespace gets its static addresses and
# routes back (the kernel drops the routes and the IPv6 addresses of a link
# set down), under "up" and stage by stage (as the units run it); and a
# macvlan deleted inside the namespace comes back.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/stages/common.sh"
st_setup

st_ns NS f
IF="nm_$NS"
MAC=02:5e:33:00:00:01
st_conf "$NS" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
  mac: $MAC
  address4: 192.0.2.60/24
  gateway4: 192.0.2.1
  address6: 2001:db8:60::60/64
  gateway6: 2001:db8:60::1
EOF2

# wait_for SECONDS CMD: polls CMD (eval) every 0.05 s until it succeeds.
wait_for() {
        end=$(( $(date +%s) + $1 ))
        while ! eval "$2" >/dev/null 2>&1; do
                [ "$(date +%s)" -le "$end" ] || return 1
                sleep 0.05
        done
}
configured() {
        st_assert_macvlan "$NS" "$IF" "$MAC" bridge &&
        st_assert_addr "$NS" "$IF" 192.0.2.60/24 && st_assert_addr "$NS" "$IF" 2001:db8:60::60/64 &&
        st_assert_default "$NS" 4 192.0.2.1 "$IF" && st_assert_default "$NS" 6 2001:db8:60::1 "$IF"
}
# The watcher of the macvlan stage: the PID its record names, alive.
watcher() {
        p=$(cut -d' ' -f1 "$NETNS_HELPER_RUNDIR/.pids/$NS/macvlan.pid" 2>/dev/null) &&
                nh_alive "$p" && echo "$p"
}

flap() {
        ip -n "$NS" link set "$IF" down
        # The kernel's doing, which the test depends on:
        [ -z "$(ip -n "$NS" -6 addr show dev "$IF" scope global)" ] || nh_fail "IPv6 address kept on a down link"
        ip -n "$NS" link set "$IF" up
        wait_for 10 "(configured)" || { configured; nh_fail "$1: not configured again 10 s after the link came up"; }
        nh_expect_exit 0 "$NH" check "$NS"
}

for how in up stages; do
        if [ $how = up ]; then
                nh_expect_exit 0 "$NH" up "$NS"
        else
                st_up_stages "$NS" netns macvlan
        fi
        configured
        W=$(watcher) || nh_fail "$how: no watcher of the macvlan stage runs"
        nh_defer "kill $W"
        flap "$how"
        flap "$how, again"
        # Deleted inside the namespace: made again, with its MAC.
        ip -n "$NS" link delete "$IF"
        wait_for 10 "(configured)" || { configured; nh_fail "$how: $IF not back 10 s after it was deleted"; }
        nh_assert_eq "$(watcher)" "$W" "$how: the same watcher"
        if [ $how = up ]; then
                nh_expect_exit 0 "$NH" down "$NS"
        else
                st_down_stages "$NS" macvlan netns
        fi
        ! nh_alive "$W" || nh_fail "$how: the watcher (PID $W) survived the stop"
        st_nothing_left "$NS" "$IF"
done

# A watcher that died is drift, and "up" starts a new one.
nh_expect_exit 0 "$NH" up "$NS"
W=$(watcher) || nh_fail "no watcher after up"
kill -KILL "$W"
wait_for 5 "! nh_alive $W" || nh_fail "the watcher did not die"
nh_expect_exit 5 "$NH" check "$NS"
nh_expect_exit 0 "$NH" up "$NS"
W2=$(watcher) || nh_fail "up did not start a new watcher"
nh_defer "kill $W2"
nh_expect_exit 0 "$NH" check "$NS"
nh_expect_exit 0 "$NH" down "$NS"
! nh_alive "$W2" || nh_fail "the second watcher survived down"
st_nothing_left "$NS" "$IF"
exit 0
