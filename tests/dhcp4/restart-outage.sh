#!/bin/sh
# A restart during a DHCP server outage keeps a still-valid lease (issue 16,
# RFC 2131 3.2/4.4.2), native client against dnsmasq:
# - the server is killed, the stage restarted (SIGTERM, start): no
#   DHCPRELEASE, INIT-REBOOT gets no answer, the unexpired lease is
#   configured again (address, default route, resolv.conf), READY=1, and
#   "check" says 0;
# - the server comes back: the lease is renewed at T1 (dnsmasq logs the
#   DHCPACK), without a new address;
# - "netns-helper-run dhcp4 NAME stop" releases it (dnsmasq forgets it).
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp4/common.sh"
nh_require_cmd dnsmasq
d4_native_setup
# T1 = 20 s (dnsmasq's shortest lease is 2 minutes): late enough that the
# server is back before the first renewal (a failed one is retried after
# 60 s at the earliest, RFC 2131 4.4.5).
DNSMASQ_OPTS="--dhcp-range=10.88.0.100,10.88.0.200,255.255.255.0,2m --dhcp-option=option:T1,20 --dhcp-option=option:T2,100 --dhcp-option=option:dns-server,10.88.0.53"
# shellcheck disable=SC2086
d4_dnsmasq $DNSMASQ_OPTS
D4_TIMEOUT=10 d4_ns_up "$NS"
d4_run_start "$NS"
A=$(d4_assert_lease "$NS" "$IF" 10.88.0)
MAC=$(cat "$NETNS_HELPER_RUNDIR/$NS/facts/mac")

obtained() { sed -n 's/^obtained=//p' "$NETNS_HELPER_STATEDIR/$NS/dhcp4.lease"; }
O1=$(obtained)
sleep 3
d4_server_stop
d4_run_stop
grep -qi "$MAC" "$D4_LEASES" || nh_fail "the restart released the lease"
! grep -q DHCPRELEASE "$NH_T/dnsmasq.log" || nh_fail "the restart sent a DHCPRELEASE"
: >"$NH_T/run.$NS.log"
d4_run_start "$NS"
nh_assert_eq "$(d4_addr "$NS" "$IF")" "$A" "the kept lease is configured again"
nh_assert_eq "$(ip -n "$NS" -j route show default | jq -r '.[0].gateway')" 10.88.0.1 "default route of the kept lease"
nh_assert_match "$(cat "$NETNS_HELPER_ETC_NETNS/$NS/resolv.conf")" '^nameserver 10\.88\.0\.53$' "resolv.conf of the kept lease"
nh_assert_eq "$(d4_fact "$NS" dhcp4.address)" "$A" "fact dhcp4.address"
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" check
nh_assert_match "$(cat "$NH_T/run.$NS.log")" "keeping the lease" "the log says the lease is kept"
# The kept lease keeps its age: a second restart must not extend it.
O2=$(obtained)
[ "$O2" -ge $((O1 - 1)) ] && [ "$O2" -le $((O1 + 1)) ] || nh_fail "the kept lease was saved as obtained at $O2, not $O1"

# The server is back: the renewal at T1 reaches it.
# (d4_dnsmasq starts a new log: any DHCPACK in it is a renewal.)
# shellcheck disable=SC2086
d4_dnsmasq $DNSMASQ_OPTS
d4_wait 30 "grep -q 'DHCPACK.* ${A%/*} ' '$NH_T/dnsmasq.log'" ||
        nh_fail "the kept lease was not renewed with the server back: $(tail -5 "$NH_T/dnsmasq.log")"
nh_assert_eq "$(d4_addr "$NS" "$IF")" "$A" "address after the renewal"
kill -0 "$D4_RUN_PID" || nh_fail "the stage exited"

# Taken down: released.
d4_run_stop
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" stop
d4_wait 5 "grep -q 'DHCPRELEASE.*${A%/*}' '$NH_T/dnsmasq.log'" || nh_fail "dnsmasq logged no DHCPRELEASE after stop"
d4_wait 5 "! grep -qi '$MAC' '$D4_LEASES'" || nh_fail "the lease is still in dnsmasq's lease file after stop"
[ -z "$(d4_addr "$NS" "$IF")" ] || nh_fail "the address survived stop"
d4_ns_down "$NS"
nh_no_leftovers "$NS"
d4_host_resolv_unchanged
exit 0
