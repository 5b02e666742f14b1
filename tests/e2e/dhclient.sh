#!/bin/sh
# End to end, in a booted systemd: the dhclient-backed implementations
# (implementations: {dhcp4: dhclient4, dhcp6: dhclient6}) run in the same
# hardened DHCP units as the native clients.  "enable --now" brings them up
# with leases from dnsmasq; a daemon added to the namespace sees its
# resolv.conf and the IPv4 lease; the IPv6 lease is on the macvlan; stop
# leaves nothing.  (bench-units times these units beside the native ones.)
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/e2e/lib-e2e.sh"

e2e_setup dhclient4 dhclient6
e2e_lan --enable-ra --dhcp-range="$E2E_LAN_V6::100,$E2E_LAN_V6::1ff,64,1h" \
        --dhcp-option=option6:dns-server,"[$E2E_LAN_V6::53]"

NS=isc
UNITS="netns-helper@$NS.service netns-helper-macvlan@$NS.service netns-helper-dhcp@$NS.service
       netns-helper-dhcp6@$NS.service netns-helper-postup@$NS.service netns-helper@$NS.target"
e2e_ns_yaml $NS <<EOF2
stages: [netns, macvlan, dhcp4, dhcp6, postup]
implementations: {dhcp4: dhclient4, dhcp6: dhclient6}
macvlan:
  parent: nhpar
  mac: "02:4e:48:00:00:03"
EOF2
e2e_postup_hook $NS
e2e_daemon

e2e netns-helper enable $NS --now ||
        nh_fail "netns-helper enable $NS --now failed: $(e2e journalctl --no-pager -o cat -n 6 -u netns-helper-dhcp@$NS -u netns-helper-dhcp6@$NS)"
# shellcheck disable=SC2086
e2e_units_active $UNITS
e2e netns-helper add $NS nhdaemon --now || nh_fail "netns-helper add $NS nhdaemon --now failed"
# shellcheck disable=SC2086
e2e_units_active $UNITS nhdaemon.service
e2e_check_ns $NS 4
addr6=$(e2e ip -n $NS -6 -o addr show dev nm_$NS scope global |
        sed -n "s/.*inet6 \\($E2E_LAN_V6::1[0-9a-f][0-9a-f]\\)\\/.*/\\1/p" | head -1)
[ -n "$addr6" ] || nh_fail "no DHCPv6 address from $E2E_LAN_V6::100-1ff on nm_$NS: $(e2e ip -n $NS -6 addr)"
e2e grep -q " $addr6 " /run/nht-lan.leases ||
        nh_fail "$addr6 is not in dnsmasq's leases: $(e2e cat /run/nht-lan.leases)"
nh_log "$NS: dhclient4 and dhclient6 under their units: leases $(e2e grep -c . /run/nht-lan.leases) in dnsmasq, $addr6 on nm_$NS, nhdaemon in the namespace"

e2e netns-helper stop $NS || nh_fail "netns-helper stop $NS failed"
e2e_no_leftovers $NS "$E2E_INO"
e2e netns-helper disable $NS || nh_fail "netns-helper disable $NS failed"
e2e netns-helper remove nhdaemon || nh_fail "netns-helper remove nhdaemon failed"
exit 0
