#!/bin/sh
# The dhcp6 stage done by ISC dhclient (plugin dhclient6) against dnsmasq,
# started right after the macvlan came up (its link-local address still in
# DAD, where plain dhclient -6 fails): the address, resolv.conf in
# /etc/netns/NAME only, release on stop, the host's /etc untouched.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhclient/common.sh"
dc_setup 6
dc_dnsmasq --dhcp-range=2001:db8:1::100,2001:db8:1::1ff,64,1h \
        --dhcp-option=option6:dns-server,[2001:db8::53] \
        --dhcp-option=option6:domain-search,six.test.example

NS=$(nh_ns c)
nh_defer "\"$NH\" down $NS"
IF="nm_$NS"
cat >"$NH_NSCONF/$NS.yaml" <<EOF2
stages: [netns, macvlan, dhcp6]
implementations: {dhcp6: dhclient6}
macvlan:
  parent: $PARENT
  mac: 02:5e:d6:00:00:01
dhcp6:
  timeout: 30
EOF2

"$NH" up "$NS" >/dev/null || nh_fail "netns-helper up $NS failed"
addrs=$(dc_global_addrs "$NS" "$IF" 6)
nh_assert_match "$addrs" '^2001:db8:1::1[0-9a-f]{2}/128$' "leased address on $IF"
addr=${addrs%/*}
rc="$NETNS_HELPER_ETC_NETNS/$NS/resolv.conf"
[ -f "$rc" ] || nh_fail "no $rc"
nh_assert_eq "$(grep '^nameserver' "$rc")" "nameserver 2001:db8::53" "servers in $rc"
nh_assert_eq "$(grep '^search' "$rc")" "search six.test.example" "search list in $rc"
dc_host_intact
grep -q "$addr" "$DC_LEASES" || nh_fail "dnsmasq has no lease for $addr"
nh_expect_exit 0 "$NH_RUN" dhcp6 "$NS" check

nh_expect_exit 0 "$NH" down "$NS"
grep -q 'DHCPRELEASE' "$NH_T/dnsmasq.log" || nh_fail "dnsmasq saw no DHCPv6 RELEASE"
! grep -q "$addr" "$DC_LEASES" || nh_fail "dnsmasq still holds $addr after release"
[ ! -e "$rc" ] || nh_fail "$rc still present after down"
nh_no_leftovers "$NS"
dc_host_intact
exit 0
