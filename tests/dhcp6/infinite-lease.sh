#!/bin/sh
# An infinite DHCPv6 lease (valid lifetime 0xffffffff) is spelled
# "infinite" in the dhcp6.expires fact, as the dhcp4 stage spells it
# (include/netns-helper/facts.h), and "netns-helper status" shows it as
# never expiring.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp6/common.sh"
d6_setup
nh_require_cmd dnsmasq
D6_RANGE=fd88::100,fd88::200,64,infinite d6_dnsmasq
export NETNS_HELPER_SYSTEMCTL=true

NS=$(nh_ns a)
nh_defer "'$NH' down '$NS'"
d6_conf "$NS" 01
"$NH" up "$NS" >"$NH_T/up.log" 2>&1 || nh_fail "netns-helper up $NS failed: $(cat "$NH_T/up.log")"
d6_assert_pool "$NS" "nm_$NS" 100 200
nh_assert_eq "$(cat "$NETNS_HELPER_RUNDIR/$NS/facts/dhcp6.expires" 2>/dev/null)" infinite "fact dhcp6.expires of an infinite lease"
nh_expect_exit 0 "$NH" status "$NS"
nh_assert_match "$NH_OUT" "dhcp6 +fd88::[0-9a-f]+/128, .*infinite" "status text"
! printf "%s\n" "$NH_OUT" | grep -q expired || nh_fail "status says an infinite lease expired: $NH_OUT"
nh_expect_exit 0 "$NH" status "$NS" --json
nh_assert_eq "$(printf '%s\n' "$NH_OUT" | jq -r '.namespaces[0].stage_facts.dhcp6.expires')" infinite "status --json"
"$NH" down "$NS" >/dev/null 2>&1 || nh_fail "netns-helper down $NS failed"
nh_no_leftovers "$NS"
d6_assert_host_resolv
