#!/bin/sh
# End to end, in a booted systemd: a namespace with the slaac stage on a LAN
# whose dnsmasq gives IPv6 by router advertisements only (ra-only, with
# RDNSS and DNSSL), brought up with "netns-helper enable NS --now":
# netns-helper-slaac@NS.service is active only once the address and the
# default route from the advertisement are there and resolv.conf holds the
# advertised server; a daemon added to the namespace sees it; stopping the
# namespace removes the stage's DNS record with it.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/e2e/lib-e2e.sh"

e2e_setup slaac
e2e_lan --enable-ra --dhcp-range="$E2E_LAN_V6::,ra-only,64,1h" --ra-param=nhlan,10,1800 \
        --dhcp-option=option6:dns-server,"[$E2E_LAN_V6::53]" --dhcp-option=option6:domain-search,ra.nht.example

NS=ipv6
UNITS="netns-helper@$NS.service netns-helper-macvlan@$NS.service netns-helper-slaac@$NS.service netns-helper@$NS.target"
e2e_ns_yaml $NS <<EOF2
stages: [netns, macvlan, slaac]
macvlan:
  parent: nhpar
  mac: "02:4e:48:00:00:5a"
slaac:
  timeout: 30
EOF2
e2e_daemon
e2e netns-helper enable $NS --now || nh_fail "netns-helper enable $NS --now failed: $(e2e journalctl --no-pager -u netns-helper-slaac@$NS | tail -5)"
# shellcheck disable=SC2086
e2e_units_active $UNITS
nh_assert_eq "$(e2e systemctl show -P Type netns-helper-slaac@$NS.service)" notify "Type= of the slaac unit"
addr=$(e2e ip -n $NS -6 -o addr show dev nm_$NS scope global | sed -n "s/.*inet6 \\($E2E_LAN_V6:[0-9a-f:]*\\)\\/64 .*/\\1/p")
[ -n "$addr" ] || nh_fail "no address from $E2E_LAN_V6::/64 in $NS: $(e2e ip -n $NS -6 addr)"
e2e_sh "ip -n $NS -6 route show default | grep -q 'proto ra'" ||
        nh_fail "no default route from the RA in $NS: $(e2e ip -n $NS -6 route)"
resolv=$(e2e cat /etc/netns/$NS/resolv.conf) || nh_fail "no /etc/netns/$NS/resolv.conf"
nh_assert_match "$resolv" "^nameserver $E2E_LAN_V6::53\$" "resolv.conf lacks the RDNSS server"
nh_assert_match "$resolv" "^search .*ra\\.nht\\.example" "resolv.conf lacks the DNSSL domain"
e2e netns-helper add $NS nhdaemon --now || nh_fail "netns-helper add $NS nhdaemon --now failed"
e2e_wait 10 "grep -q '^resolv nameserver $E2E_LAN_V6::53' /run/nhdaemon.out" ||
        nh_fail "nhdaemon does not see the RDNSS server: $(e2e cat /run/nhdaemon.out)"
nh_log "$NS: $addr from the RA, RDNSS and DNSSL in resolv.conf, seen by the daemon"

e2e netns-helper stop $NS || nh_fail "netns-helper stop $NS failed"
for u in $UNITS nhdaemon.service; do
        nh_assert_eq "$(e2e systemctl is-active "$u")" inactive "$u after netns-helper stop $NS"
done
e2e_sh "! test -e /etc/netns/$NS/resolv.conf && ! test -e /run/netns-helper/$NS" ||
        nh_fail "the namespace's resolv.conf or run directory stayed after stop"
e2e netns-helper disable $NS || nh_fail "netns-helper disable $NS failed"
e2e netns-helper remove nhdaemon || nh_fail "netns-helper remove nhdaemon failed"
