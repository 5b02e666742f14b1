#!/bin/sh
# End to end, in a booted systemd: a namespace configured in YAML with both
# DHCP stages (dnsmasq serving DHCPv4, router advertisements and DHCPv6),
# brought up with "netns-helper enable NS --now" from its configuration,
# a daemon put into it, twenty restarts, then "netns-helper stop" and
# "disable" leave nothing behind.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/e2e/lib-e2e.sh"

e2e_setup dhcp4 dhcp6
e2e_lan --enable-ra --dhcp-range="$E2E_LAN_V6::100,$E2E_LAN_V6::1ff,64,1h" \
        --dhcp-option=option6:dns-server,"[$E2E_LAN_V6::53]"

NS=vpn
UNITS="netns-helper@$NS.service netns-helper-macvlan@$NS.service netns-helper-dhcp@$NS.service
       netns-helper-dhcp6@$NS.service netns-helper-postup@$NS.service netns-helper@$NS.target"
e2e_ns_yaml $NS <<EOF2
stages: [netns, macvlan, dhcp4, dhcp6, postup]
macvlan:
  parent: nhpar
  mac: "02:4e:48:00:00:02"
dhcp4:
  timeout: 30
dhcp6:
  timeout: 30
  solicit-delay: no
EOF2
e2e_postup_hook $NS
e2e_daemon
e2e netns-helper validate $NS || nh_fail "netns-helper validate $NS refused the configuration"

e2e netns-helper enable $NS --now || nh_fail "netns-helper enable $NS --now failed"
# shellcheck disable=SC2086
e2e_units_active $UNITS
e2e netns-helper add $NS nhdaemon --now || nh_fail "netns-helper add $NS nhdaemon --now failed"
# shellcheck disable=SC2086
e2e_units_active $UNITS nhdaemon.service
e2e_check_ns $NS "4 6"
nh_log "$NS: nhdaemon runs in /run/netns/$NS (inode $E2E_INO) with leased IPv4 and IPv6 addresses; post-up ran after both leases"
e2e netns-helper status $NS >&2 || nh_fail "netns-helper status $NS failed"

# shellcheck disable=SC2086
e2e_restarts $NS $UNITS
e2e_check_ns $NS "4 6"

e2e netns-helper stop $NS || nh_fail "netns-helper stop $NS failed"
for u in $UNITS nhdaemon.service; do
        nh_assert_eq "$(e2e systemctl is-active "$u")" inactive "$u after netns-helper stop $NS"
done
e2e_no_leftovers $NS "$E2E_INO"
e2e netns-helper disable $NS || nh_fail "netns-helper disable $NS failed"
e2e_sh "! test -e /etc/systemd/system/multi-user.target.wants/netns-helper@$NS.target" ||
        nh_fail "netns-helper disable left netns-helper@$NS.target in multi-user.target"
e2e netns-helper remove nhdaemon || nh_fail "netns-helper remove nhdaemon failed"
e2e_no_leftovers $NS "$E2E_INO"
nh_log "$NS: stopped, disabled and removed with nothing left behind"
