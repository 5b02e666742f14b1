#!/bin/sh
# The slaac stage next to dhcp6, against dnsmasq in a test namespace: a
# stateful DHCPv6 range, router advertisements with the M flag and no
# prefix for autoconfiguration (what dnsmasq sends for such a range), an
# RDNSS option.  "netns-helper up" with [netns, macvlan, dhcp6, slaac]
# returns once the DHCPv6 address is bound and the default route from the
# RA is there; slaac says the M and O flags are served by the dhcp6 stage; both
# sources' DNS are in resolv.conf; stopping slaac leaves dhcp6's.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp6/common.sh"
d6_setup
for p in dhcp6 slaac; do
        [ -f "$NH_BUILDDIR/plugins/$p/.libs/$p.so" ] || nh_skip "plugin $p.so is not built"
done
nh_require_cmd dnsmasq
# Without an explicit router lifetime, dnsmasq's periodic advertisements
# after the first say 0 here (no default route of its own): the kernel
# drops the route, as the stage then logs.  A default router, then:
d6_dnsmasq --ra-param="$PEER",10,1800
A=$(nh_ns a)
nh_defer "'$NH' down '$A'"
cat >"$NH_NSCONF/$A.yaml" <<EOF2
stages: [netns, macvlan, dhcp6, slaac]
macvlan:
  parent: $PARENT
  mac: 02:d6:00:00:00:5a
dhcp6:
  solicit-delay: no
  timeout: 20
slaac:
  timeout: 20
EOF2
"$NH" up "$A" 2>"$NH_T/up.log" || nh_fail "netns-helper up $A failed: $(cat "$NH_T/up.log")"
IF=nm_$A
d6_assert_pool "$A" "$IF" 100 200
ip -n "$A" -6 -j route show default | jq -e --arg i "$IF" '.[] | select(.dev == $i and .protocol == "ra")' >/dev/null ||
        nh_fail "no default route from the RA on $IF: $(ip -n "$A" -6 route)"
grep -q 'sets the M flag: addresses also come from DHCPv6; the dhcp6 stage holds' "$NH_T/up.log" ||
        nh_fail "slaac did not say that the M flag is served by dhcp6: $(cat "$NH_T/up.log")"
# dnsmasq sets the O flag too: next to dhcp6, both sources' DNS count.
grep -q 'sets the O flag: the DNS servers of the dhcp6 stage and those of the advertisements (RDNSS) are both written' "$NH_T/up.log" ||
        nh_fail "slaac did not say that the O flag is served by dhcp6: $(cat "$NH_T/up.log")"
RESOLV="$NETNS_HELPER_ETC_NETNS/$A/resolv.conf"
grep -qx 'nameserver fd88::53' "$RESOLV" || nh_fail "$RESOLV lacks fd88::53: $(cat "$RESOLV")"
# dnsmasq puts the same server into DHCPv6 (option 23) and the RA (RDNSS).
[ -f "$NETNS_HELPER_RUNDIR/$A/dns/dhcp6.dns" ] || nh_fail "no DNS record of dhcp6"
[ -f "$NETNS_HELPER_RUNDIR/$A/dns/slaac.dns" ] || nh_fail "no DNS record of slaac: the RA's RDNSS was not read"
nh_expect_exit 0 "$NH" check "$A"

# slaac stops alone: dhcp6's servers stay.
"$NH_RUN" slaac "$A" stop || nh_fail "netns-helper-run slaac $A stop failed"
[ ! -e "$NETNS_HELPER_RUNDIR/$A/dns/slaac.dns" ] || nh_fail "the slaac record is still there after stop"
grep -qx 'nameserver fd88::53' "$RESOLV" || nh_fail "dhcp6's server went with slaac's record: $(cat "$RESOLV" 2>/dev/null)"
"$NH" down "$A" || nh_fail "down $A failed"
d6_assert_host_resolv
exit 0
