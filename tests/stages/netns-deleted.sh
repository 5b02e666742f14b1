#!/bin/sh
# The namespace deleted from outside ("ip netns delete NAME") while its
# DHCPv4 client runs: the client notices within seconds, releases its lease
# and ends, so that nothing renews a lease for a namespace that is gone and
# the dying namespace (its macvlan, its MAC) goes at once.  "check" then
# reports drift (5), and "up" works again at once, with no "MAC in use".
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp4/common.sh"
d4_setup
nh_require_cmd dnsmasq
d4_dnsmasq --dhcp-range=10.88.0.50,10.88.0.99,255.255.255.0,1h

NS=$(nh_ns c)
d4_conf "$NS"
IF="nm_$NS"


nh_expect_exit 0 "$NH" up "$NS"
d4_assert_lease "$NS" "$IF" 10.88.0 >/dev/null
# The DHCPv4 client and the macvlan stage's watcher.
PIDS=$(nh_up_pids "$NS")
nh_assert_eq "$(printf '%s\n' $PIDS | grep -c .)" 2 "processes of $NS after up"
for PID in $PIDS; do
        nh_defer "kill $PID"
done

ip netns delete "$NS" || nh_fail "ip netns delete failed"
for PID in $PIDS; do
        d4_wait 10 "! nh_alive $PID" || nh_fail "PID $PID of $NS still runs 10 s after its namespace was deleted"
done
d4_wait 5 "grep -q DHCPRELEASE '$NH_T/dnsmasq.log'" ||
        nh_fail "no DHCPRELEASE reached the server: $(cat "$NH_T/dnsmasq.log")"

nh_expect_exit 5 "$NH" check "$NS"
nh_assert_match "$NH_ERR" "does not exist" "check says what is missing"

# Up again at once: a new namespace, link, lease and client.
nh_expect_exit 0 "$NH" up "$NS"
nh_assert_no_match "$NH_ERR" 'in use' "up after the deletion"
d4_assert_lease "$NS" "$IF" 10.88.0 >/dev/null
PID2=$(nh_up_pids "$NS")
nh_assert_eq "$(printf '%s\n' $PID2 | grep -c .)" 2 "processes of $NS after the second up"
for PID in $PID2; do
        nh_defer "kill $PID"
done
nh_expect_exit 0 "$NH" check "$NS"

nh_expect_exit 0 "$NH" down "$NS"
for PID in $PID2; do
        ! nh_alive "$PID" || nh_fail "PID $PID of $NS survived down"
done
nh_no_leftovers "$NS"
d4_host_resolv_unchanged
exit 0
