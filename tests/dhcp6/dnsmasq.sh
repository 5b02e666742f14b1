#!/bin/sh
# DHCPv6 against dnsmasq (stateful pool, router advertisements, DNS option
# and domain): "netns-helper up" on a fresh macvlan (its link-local address
# still in DAD), resolv.conf of the namespace, the host's resolv.conf left
# alone, RELEASE on "down"; then netns-helper-run in the background on a
# link that is already up, readiness through $NOTIFY_SOCKET, SIGTERM (the
# lease kept), the stop verb (released).
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp6/common.sh"
d6_setup
nh_require_cmd dnsmasq python3
d6_dnsmasq

# --- netns-helper up: the macvlan is brand new, DAD is running -----------
A=$(nh_ns a)
nh_defer "'$NH' down '$A'"
d6_conf "$A" 01
"$NH" up "$A" || nh_fail "netns-helper up $A failed"
d6_assert_pool "$A" "nm_$A" 100 200
nh_log "$A bound $D6_ADDR"
d6_assert_resolv "$A" fd88::53 nht.example
d6_assert_host_resolv
grep -q "$D6_ADDR" "$DNSMASQ_LEASES" || nh_fail "dnsmasq has no lease for $D6_ADDR: $(cat "$DNSMASQ_LEASES")"

"$NH" down "$A" || nh_fail "netns-helper down $A failed"
nh_no_leftovers "$A"
# RELEASE reached the server: the lease is gone from its file.
for i in $(seq 1 40); do
        grep -q "$D6_ADDR" "$DNSMASQ_LEASES" || break
        sleep 0.05
done
! grep -q "$D6_ADDR" "$DNSMASQ_LEASES" || nh_fail "dnsmasq still holds $D6_ADDR after down: $(cat "$DNSMASQ_LEASES")"
! grep -qs "fd88::53" "$NETNS_HELPER_ETC_NETNS/$A/resolv.conf" ||
        nh_fail "resolv.conf of $A still names the DHCPv6 server after down"
d6_assert_host_resolv

# --- netns-helper-run on a link already up, Type=notify style -------------
B=$(nh_ns b)
d6_conf "$B" 02
"$NH_RUN" netns "$B" start || nh_fail "netns stage of $B failed"
"$NH_RUN" macvlan "$B" start || nh_fail "macvlan stage of $B failed"
nh_defer "'$NH' down '$B'"
d6_wait_ll "$B" "nm_$B"
[ -z "$(d6_addr "$B" "nm_$B")" ] || nh_fail "nm_$B has a /128 before dhcp6 started"

SOCK="$NH_T/notify.sock"
python3 "$NH_SRCDIR/tests/dhcp6/notify-listen.py" "$SOCK" "$NH_T/notify.out" 25 &
LISTEN_PID=$!
nh_defer "kill $LISTEN_PID"
for i in $(seq 1 100); do [ -e "$NH_T/notify.out.bound" ] && break; sleep 0.02; done
NOTIFY_SOCKET="$SOCK" "$NH_RUN" dhcp6 "$B" start >"$NH_T/run-$B.log" 2>&1 &
RUN_PID=$!
nh_defer "kill $RUN_PID"
wait "$LISTEN_PID" || nh_fail "no READY=1 from netns-helper-run dhcp6 $B: $(cat "$NH_T/run-$B.log")"
# READY=1 came only once the address was there.
d6_assert_pool "$B" "nm_$B" 100 200
grep -q "READY=1" "$NH_T/notify.out" || nh_fail "READY=1 missing"
kill -0 "$RUN_PID" || nh_fail "netns-helper-run dhcp6 $B ended after READY=1"
d6_assert_resolv "$B" fd88::53 nht.example
ADDR_B=$D6_ADDR

kill -TERM "$RUN_PID"
wait "$RUN_PID"
rc=$?
nh_assert_eq "$rc" 0 "exit status of netns-helper-run dhcp6 after SIGTERM"
[ -z "$(d6_addr "$B" "nm_$B")" ] || nh_fail "the DHCPv6 address is still on nm_$B after SIGTERM"
! grep -qs "fd88::53" "$NETNS_HELPER_ETC_NETNS/$B/resolv.conf" ||
        nh_fail "resolv.conf of $B still names the DHCPv6 server after stop"
# The native client: a SIGTERM may be a restart, the lease is kept (not
# released) for the next start, and the stop verb afterwards releases it
# (as "down" does).  The dhclient6 plugin releases on SIGTERM.
if [ "$NH_DHCP6_IMPL" = dhcp6 ]; then
        grep -q "$ADDR_B" "$DNSMASQ_LEASES" || nh_fail "SIGTERM released $ADDR_B (a restart must keep it)"
        [ -s "$NETNS_HELPER_STATEDIR/$B/dhcp6.lease" ] || nh_fail "SIGTERM did not keep the lease in the state directory"
        nh_expect_exit 0 "$NH_RUN" dhcp6 "$B" stop
fi
for i in $(seq 1 40); do
        grep -q "$ADDR_B" "$DNSMASQ_LEASES" || break
        sleep 0.05
done
! grep -q "$ADDR_B" "$DNSMASQ_LEASES" || nh_fail "dnsmasq still holds $ADDR_B after the stop verb"
[ ! -e "$NETNS_HELPER_STATEDIR/$B/dhcp6.lease" ] || nh_fail "the stop verb left the saved lease"
nh_expect_exit 0 "$NH_RUN" dhcp6 "$B" stop
"$NH" down "$B" || nh_fail "netns-helper down $B failed"
d6_assert_host_resolv
exit 0
