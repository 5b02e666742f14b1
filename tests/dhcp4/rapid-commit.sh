#!/bin/sh
# DHCPv4 rapid commit (RFC 4039) and IPv6-only preferred (RFC 8925, option
# 108), issue 11, native client against dnsmasq:
# - dnsmasq --dhcp-rapid-commit: DISCOVER, ACK; dnsmasq logs no DHCPOFFER
#   and no DHCPREQUEST for the client; with rapid-commit: no, the four
#   messages as before;
# - ipv6-only-preferred: yes and a server sending option 108: READY without
#   an IPv4 address, "check" says 0; without the key the address is taken.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp4/common.sh"
nh_require_cmd dnsmasq
d4_native_setup

d4_ns_up "$NS"
MAC=$(cat "$NETNS_HELPER_RUNDIR/$NS/facts/mac")
d4_dnsmasq --dhcp-range=10.88.0.100,10.88.0.200,255.255.255.0,2m --dhcp-rapid-commit
d4_run_start "$NS"
A=$(d4_assert_lease "$NS" "$IF" 10.88.0)
grep -qi "DHCPACK.*${A%/*} *$MAC" "$NH_T/dnsmasq.log" || nh_fail "dnsmasq logged no DHCPACK for $MAC"
! grep -qi "DHCPOFFER.*$MAC" "$NH_T/dnsmasq.log" || nh_fail "a DHCPOFFER: no rapid commit"
! grep -qi "DHCPREQUEST.*$MAC" "$NH_T/dnsmasq.log" || nh_fail "a DHCPREQUEST: no rapid commit"
d4_run_stop
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" stop

d4_conf "$NS" "rapid-commit: no"
d4_run_start "$NS"
d4_assert_lease "$NS" "$IF" 10.88.0 >/dev/null
grep -qi "DHCPOFFER.*$MAC" "$NH_T/dnsmasq.log" || nh_fail "rapid-commit: no still skipped the DHCPOFFER"
d4_run_stop
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" stop
d4_server_stop

# Option 108, V6ONLY_WAIT 1800 s.
d4_dnsmasq --dhcp-range=10.88.0.100,10.88.0.200,255.255.255.0,2m --dhcp-option=108,00:00:07:08
d4_conf "$NS" "ipv6-only-preferred: yes"
: >"$NH_T/run.$NS.log"
d4_run_start "$NS"
[ -z "$(d4_addr "$NS" "$IF")" ] || nh_fail "an IPv4 address although the server prefers IPv6-only"
nh_assert_match "$(cat "$NH_T/run.$NS.log")" "IPv6-only preferred.*1800 s" "the log says why there is no IPv4"
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" check
! grep -qi "DHCPREQUEST.*$MAC" "$NH_T/dnsmasq.log" || nh_fail "a DHCPREQUEST although the server prefers IPv6-only"
d4_run_stop
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" stop
# Without the key, option 108 is neither asked for nor honoured.
d4_conf "$NS"
d4_run_start "$NS"
d4_assert_lease "$NS" "$IF" 10.88.0 >/dev/null
d4_run_stop
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" stop
d4_ns_down "$NS"
nh_no_leftovers "$NS"
exit 0
