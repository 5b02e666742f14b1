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

# client_pids NS: the PIDs of the processes that "up" left running for NS
# (its long-running stages: argv "netns-helper up NS").
client_pids() {
        for d in /proc/[0-9]*; do
                { tr "\\0" " " <"$d/cmdline"; } 2>/dev/null | grep -qx "$NH up $1 " && echo "${d#/proc/}"
        done
}

nh_expect_exit 0 "$NH" up "$NS"
d4_assert_lease "$NS" "$IF" 10.88.0 >/dev/null
PIDS=$(client_pids "$NS")
nh_assert_eq "$(printf '%s\n' $PIDS | grep -c .)" 1 "long-running processes of $NS after up"
PID=$PIDS
nh_defer "kill $PID"

ip netns delete "$NS" || nh_fail "ip netns delete failed"
d4_wait 10 "! kill -0 $PID" || nh_fail "the DHCPv4 client (PID $PID) still runs 10 s after its namespace was deleted"
d4_wait 5 "grep -q DHCPRELEASE '$NH_T/dnsmasq.log'" ||
        nh_fail "no DHCPRELEASE reached the server: $(cat "$NH_T/dnsmasq.log")"

nh_expect_exit 5 "$NH" check "$NS"
nh_assert_match "$NH_ERR" "does not exist" "check says what is missing"

# Up again at once: a new namespace, link, lease and client.
nh_expect_exit 0 "$NH" up "$NS"
nh_assert_no_match "$NH_ERR" 'in use' "up after the deletion"
d4_assert_lease "$NS" "$IF" 10.88.0 >/dev/null
PID2=$(client_pids "$NS")
nh_assert_eq "$(printf '%s\n' $PID2 | grep -c .)" 1 "long-running processes of $NS after the second up"
nh_defer "kill $PID2"
nh_expect_exit 0 "$NH" check "$NS"

nh_expect_exit 0 "$NH" down "$NS"
! kill -0 "$PID2" 2>/dev/null || nh_fail "the client (PID $PID2) survived down"
nh_no_leftovers "$NS"
d4_host_resolv_unchanged
exit 0
