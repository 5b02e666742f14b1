#!/bin/sh
# End to end, in a booted systemd: the macvlan's parent (a bridge) is
# deleted and made again, as the host's network configuration does.  While
# it is gone the units stay active (the DHCP units neither fail nor
# restart), "netns-helper check" reports drift (5); once it is back the
# namespace heals by itself: the link with its MAC, the static address,
# both leases (DHCPv4 and DHCPv6) and the default route, with no
# administrator.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/e2e/lib-e2e.sh"

e2e_setup dhcp4 dhcp6
e2e_lan --dhcp-range="$E2E_LAN_V6::100,$E2E_LAN_V6::1ff,64,1h" \
        --dhcp-option=option6:dns-server,"[$E2E_LAN_V6::53]"
bridge_up() {
        e2e_sh "ip link add nhbr type bridge && ip link set nhpar master nhbr && ip link set nhbr up" ||
                nh_fail "cannot make the bridge nhbr"
}
bridge_up

NS=web
MAC=02:5e:34:00:00:01
e2e_ns_yaml $NS <<EOF2
stages: [netns, macvlan, dhcp4, dhcp6]
macvlan:
  parent: nhbr
  mac: $MAC
  address4: 198.51.100.2/24
dhcp6:
  solicit-delay: no
EOF2
DHCP_UNITS="netns-helper-dhcp@$NS.service netns-helper-dhcp6@$NS.service"
UNITS="netns-helper@$NS.target netns-helper@$NS.service netns-helper-macvlan@$NS.service $DHCP_UNITS"
e2e netns-helper enable $NS --now >/dev/null || nh_fail "enable --now failed"
# shellcheck disable=SC2086
e2e_units_active $UNITS

# Run inside the container (e2e_sh, e2e_wait).
HEALTHY="ip -n $NS link show dev nm_$NS | grep -q 'link/ether $MAC' &&
        ip -n $NS -4 -o addr show dev nm_$NS | grep -q ' 198\\.51\\.100\\.2/24' &&
        ip -n $NS -4 -o addr show dev nm_$NS | grep -q ' $E2E_LAN_V4\\.' &&
        ip -n $NS -6 -o addr show dev nm_$NS | grep -q ' $E2E_LAN_V6::1[0-9a-f][0-9a-f]/128' &&
        ip -n $NS route show default | grep -q 'via $E2E_LAN_V4\\.1 dev nm_$NS'"
healthy() { e2e_sh "$HEALTHY"; }
healthy || nh_fail "not configured after enable --now: $(e2e ip -n $NS addr)"

for round in 1 2; do
        e2e ip link delete nhbr || nh_fail "cannot delete nhbr"
        e2e_wait 5 "! ip -n $NS link show dev nm_$NS" || nh_fail "nm_$NS outlived its parent"
        sleep 3
        # shellcheck disable=SC2086
        e2e_units_active $UNITS
        for u in $DHCP_UNITS; do
                nh_assert_eq "$(e2e systemctl show -P NRestarts "$u")" 0 "restarts of $u while the parent is gone"
        done
        rc=0
        e2e netns-helper check $NS >/dev/null 2>&1 || rc=$?
        nh_assert_eq "$rc" 5 "netns-helper check while the parent is gone"

        bridge_up
        e2e_wait 15 "$HEALTHY" || nh_fail "round $round: not healed 15 s after nhbr came back: $(e2e ip -n $NS addr)"
        # shellcheck disable=SC2086
        e2e_units_active $UNITS
        e2e_wait 10 "netns-helper check $NS" || nh_fail "round $round: check does not say 0 after healing"
        nh_log "round $round: healed"
done
for u in $DHCP_UNITS; do
        nh_assert_eq "$(e2e systemctl show -P NRestarts "$u")" 0 "restarts of $u"
done

e2e netns-helper stop $NS >/dev/null || nh_fail "netns-helper stop failed"
e2e_sh "! test -e /run/netns/$NS" || nh_fail "/run/netns/$NS is still there after stop"
e2e_sh "! ps -eo args | grep -v grep | grep -q 'netns-helper-run .* $NS '" ||
        nh_fail "a stage process of $NS survived stop: $(e2e ps -eo pid,args | grep netns-helper-run)"
exit 0
