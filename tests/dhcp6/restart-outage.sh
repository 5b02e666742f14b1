#!/bin/sh
# A restart during a DHCP server outage keeps a still-valid DHCPv6 lease
# (issue 16; RFC 8415 18.2.3, 18.2.10.1: with no answer to CONFIRM the
# client goes on using its lease while it is valid), against dnsmasq:
# - bound, then dnsmasq killed and the stage restarted (SIGTERM, start):
#   no RELEASE, the unexpired lease is configured again (address,
#   resolv.conf, fact), READY=1 (the address is there), "check" says 0;
# - the server back, another restart: its CONFIRM reaches the server
#   (dnsmasq logs it), same address;
# - "netns-helper-run dhcp6 NAME stop" releases it (dnsmasq forgets it)
#   and forgets the saved lease.
# The same semantics as the dhcp4 stage's (tests/dhcp4/restart-outage.sh).
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp6/common.sh"
d6_setup
nh_require_cmd dnsmasq
[ "$NH_DHCP6_IMPL" = dhcp6 ] || nh_skip "native dhcp6 client only"


A=$(nh_ns a)
nh_defer "'$NH' down '$A'"
D6_TIMEOUT=8 d6_conf "$A" 61
"$NH_RUN" netns "$A" start && "$NH_RUN" macvlan "$A" start || nh_fail "cannot bring up $A"
d6_dnsmasq
d6_run_bg "$A"
d6_wait_ready "$A"
ADDR=$(d6_addr "$A" "nm_$A")
nh_log "$A bound $ADDR"
grep -q "$ADDR" "$DNSMASQ_LEASES" || nh_fail "dnsmasq has no lease for $ADDR"

# --- outage, restart ---------------------------------------------------------
kill "$DNSMASQ_PID"
wait "$DNSMASQ_PID" 2>/dev/null
d6_stop_bg
[ -z "$(d6_addr "$A" "nm_$A")" ] || nh_fail "the address is still on nm_$A after SIGTERM"
! grep -q "DHCPRELEASE" "$DNSMASQ_LOG" || nh_fail "the restart sent a RELEASE: $(grep DHCPRELEASE "$DNSMASQ_LOG")"
grep -q "$ADDR" "$DNSMASQ_LEASES" || nh_fail "the restart released the lease"
SAVED="$NETNS_HELPER_STATEDIR/$A/dhcp6.lease"
[ -s "$SAVED" ] || nh_fail "SIGTERM kept no lease in $SAVED"
cp "$SAVED" "$NH_T/saved-before"
sleep 1
d6_run_bg "$A"
d6_wait_ready "$A"
nh_assert_eq "$(d6_addr "$A" "nm_$A")" "$ADDR" "the kept lease is configured again"
# Using the kept lease does not make it look newer than it is.
cmp -s "$SAVED" "$NH_T/saved-before" || nh_fail "the restart rewrote the kept lease (its time would be reset)"
d6_assert_resolv "$A" fd88::53 nht.example
nh_assert_eq "$(cat "$NETNS_HELPER_RUNDIR/$A/facts/dhcp6.address")" "$ADDR/128" "fact dhcp6.address"
nh_expect_exit 0 "$NH_RUN" dhcp6 "$A" check
d6_wait_for 15 "grep -q 'no DHCPv6 REPLY to CONFIRM' '$NH_T/run-$A.log'" ||
        nh_fail "the log does not say the lease is kept: $(cat "$NH_T/run-$A.log")"
kill -0 "$RUN_PID" || nh_fail "the stage exited during the outage: $(cat "$NH_T/run-$A.log")"

# --- the server back, then taken down: released --------------------------------
D6_KEEP_LEASES=1 d6_dnsmasq
d6_stop_bg
d6_run_bg "$A"
d6_wait_ready "$A"
nh_assert_eq "$(d6_addr "$A" "nm_$A")" "$ADDR" "the address with the server back"
# The CONFIRM reached the server, which said the address is on link.
d6_wait_for 10 "grep -q 'DHCPCONFIRM' '$DNSMASQ_LOG'" || nh_fail "dnsmasq saw no CONFIRM: $(tail -5 "$DNSMASQ_LOG")"
d6_stop_bg
nh_expect_exit 0 "$NH_RUN" dhcp6 "$A" stop
d6_wait_for 5 "! grep -q '$ADDR' '$DNSMASQ_LEASES'" || nh_fail "dnsmasq still holds $ADDR after stop: $(cat "$DNSMASQ_LEASES")"
grep -q "DHCPRELEASE" "$DNSMASQ_LOG" || nh_fail "dnsmasq logged no RELEASE after stop: $(tail -20 "$DNSMASQ_LOG")"
[ ! -e "$NETNS_HELPER_STATEDIR/$A/dhcp6.lease" ] || nh_fail "the saved lease survived stop"
[ -z "$(d6_addr "$A" "nm_$A")" ] || nh_fail "the address survived stop"
"$NH" down "$A" || nh_fail "netns-helper down $A failed"
exit 0
