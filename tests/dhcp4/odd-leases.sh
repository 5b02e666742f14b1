#!/bin/sh
# Odd and hostile leases (issue 13) and the log of a bind (issue 16), native
# client against tests/dhcp4/fake-server.py:
# - a yiaddr in 0/8, loopback, multicast, class E or broadcast is refused:
#   start fails, nothing is configured;
# - a /32 lease whose router is outside it works: an on-link route to the
#   router, then the default route through it; the router answers a ping;
# - option 121 routes to loopback or multicast destinations are dropped
#   with a warning, the others installed;
# - one log line per bind.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp4/common.sh"
nh_require_cmd python3 ping
d4_native_setup

# --- non-unicast addresses are refused ---------------------------------------
D4_TIMEOUT=2 d4_ns_up "$NS"
for y in 0.1.2.3 127.0.0.5 224.0.0.7 240.0.0.1 255.255.255.255; do
        d4_fake yiaddr=$y names=good
        rc=0
        "$NH_RUN" dhcp4 "$NS" start >"$NH_T/out" 2>"$NH_T/err" </dev/null || rc=$?
        [ "$rc" != 0 ] || nh_fail "a lease of $y was taken (start exited 0)"
        [ -z "$(d4_addr "$NS" "$IF")" ] || nh_fail "an address was configured from a lease of $y"
        [ -z "$(d4_fact "$NS" dhcp4.address)" ] || nh_fail "fact dhcp4.address from a lease of $y"
        nh_assert_match "$(cat "$NH_T/err")" "no usable address" "the error says why the offer of $y was ignored"
        ! "$NH_RUN" dhcp4 "$NS" check 2>/dev/null || nh_fail "check passed without a lease of $y"
        d4_fake_stop
done
d4_ns_down "$NS"

# --- a /32 with the router outside it ----------------------------------------
d4_ns_up "$NS"
d4_fake mask=255.255.255.255 names=good
d4_run_start "$NS"
nh_assert_eq "$(d4_addr "$NS" "$IF")" 10.88.0.77/32 "the /32 address"
nh_assert_eq "$(ip -n "$NS" -j route show 10.88.0.1/32 dev "$IF" | jq -r '.[0].scope')" link "on-link route to the router"
nh_assert_eq "$(ip -n "$NS" -j route show default | jq -r '.[0].gateway')" 10.88.0.1 "default route via the router"
ip netns exec "$NS" ping -c1 -W3 10.88.0.1 >/dev/null || nh_fail "the router of a /32 lease is not reachable"
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" check
# One line per bind at the default level (issue 16: it was two).
n=$(grep -c -E 'Bound to|Offered|[Bb]ound ' "$NH_T/run.$NS.log")
nh_assert_eq "$n" 1 "log lines about the bind (log: $(cat "$NH_T/run.$NS.log"))"
d4_run_stop
[ -z "$(ip -n "$NS" route show 10.88.0.1/32)" ] || nh_fail "the on-link route to the router survived stop"
d4_fake_stop

# --- option 121 to loopback and multicast destinations -----------------------
d4_fake names=good routes121=127.0.0.0/8:10.88.0.1,224.0.0.0/4:10.88.0.1,192.168.50.0/24:10.88.0.1,0.0.0.0/0:10.88.0.1
: >"$NH_T/run.$NS.log"
d4_run_start "$NS"
nh_assert_eq "$(ip -n "$NS" -j route show 192.168.50.0/24 | jq -r '.[0].gateway')" 10.88.0.1 "the good classless route"
nh_assert_eq "$(ip -n "$NS" -j route show default | jq -r '.[0].gateway')" 10.88.0.1 "the classless default route"
[ -z "$(ip -n "$NS" route show table all proto dhcp 127.0.0.0/8)" ] || nh_fail "a route to 127.0.0.0/8 from option 121"
[ -z "$(ip -n "$NS" route show table all proto dhcp 224.0.0.0/4)" ] || nh_fail "a route to 224.0.0.0/4 from option 121"
nh_assert_match "$(cat "$NH_T/run.$NS.log")" "127\.0\.0\.0/8" "a warning names the loopback route"
nh_assert_match "$(cat "$NH_T/run.$NS.log")" "224\.0\.0\.0/4" "a warning names the multicast route"
d4_run_stop
d4_ns_down "$NS"
nh_no_leftovers "$NS"
d4_host_resolv_unchanged
exit 0
