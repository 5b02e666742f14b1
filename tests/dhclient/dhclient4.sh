#!/bin/sh
# The dhcp4 stage done by ISC dhclient (plugin dhclient4) against dnsmasq:
# address, default route, MTU and resolv.conf in /etc/netns/NAME only,
# readiness, check, release on stop, and the host's /etc untouched.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhclient/common.sh"
dc_setup 4
dc_dnsmasq --dhcp-range=192.0.2.50,192.0.2.99,255.255.255.0,1h \
        --dhcp-option=option:router,192.0.2.1 \
        --dhcp-option=option:dns-server,192.0.2.53,192.0.2.54 \
        --dhcp-option=option:domain-search,test.example,corp.test.example \
        --dhcp-option=option:mtu,1400

NS=$(nh_ns c)
nh_defer "\"$NH\" down $NS"
IF="nm_$NS"
MAC=02:5e:d4:00:00:01
cat >"$NH_NSCONF/$NS.yaml" <<EOF2
stages: [netns, macvlan, dhcp4]
implementations: {dhcp4: dhclient4}
macvlan:
  parent: $PARENT
  mac: $MAC
dhcp4:
  timeout: 20
EOF2

nh_expect_exit 0 "$NH" validate "$NS"
"$NH" up "$NS" >/dev/null || nh_fail "netns-helper up $NS failed"

addrs=$(dc_global_addrs "$NS" "$IF" 4)
nh_assert_match "$addrs" '^192\.0\.2\.([5-9][0-9])/24$' "leased address on $IF"
addr=${addrs%/*}
route=$(ip -n "$NS" -4 -j route show default | jq -r '.[0] | "\(.gateway) \(.dev) \(.prefsrc)"')
nh_assert_eq "$route" "192.0.2.1 $IF $addr" "default route"
nh_assert_eq "$(ip -n "$NS" -j link show dev "$IF" | jq -r '.[0].mtu')" 1400 "MTU from option 26"

rc="$NETNS_HELPER_ETC_NETNS/$NS/resolv.conf"
[ -f "$rc" ] || nh_fail "no $rc"
nh_assert_eq "$(grep '^nameserver' "$rc" | tr '\n' ' ')" "nameserver 192.0.2.53 nameserver 192.0.2.54 " "servers in $rc"
nh_assert_eq "$(grep '^search' "$rc")" "search test.example corp.test.example" "search list in $rc"
dc_host_intact

# The lease as the server sees it.
grep -qi " $MAC $addr " "$DC_LEASES" || nh_fail "dnsmasq has no lease for $MAC/$addr: $(cat "$DC_LEASES")"
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" check

# Stop only the DHCP stage: DHCPRELEASE, address and DNS gone.
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" stop
[ -z "$(dc_global_addrs "$NS" "$IF" 4)" ] || nh_fail "address still on $IF after stop: $(dc_global_addrs "$NS" "$IF" 4)"
[ -z "$(ip -n "$NS" -4 route show default)" ] || nh_fail "default route still present after stop"
[ ! -e "$rc" ] || nh_fail "$rc still present after stop"
grep -q 'DHCPRELEASE' "$NH_T/dnsmasq.log" || nh_fail "dnsmasq saw no DHCPRELEASE"
! grep -qi " $MAC $addr " "$DC_LEASES" || nh_fail "dnsmasq still holds the lease after release"
nh_expect_exit 5 "$NH_RUN" dhcp4 "$NS" check

# And up again with the whole pipeline, now with ns/NAME-dhclient.conf,
# which dhclient must read (-cf): the host name it sends shows in the
# server's lease file.
cat >"$NH_NSCONF/$NS-dhclient.conf" <<EOF2
send host-name "cfhost$NH_ID";
request subnet-mask, broadcast-address, routers, domain-name-servers, domain-search, interface-mtu;
EOF2
"$NH" up "$NS" >/dev/null || nh_fail "netns-helper up $NS failed"
grep -q " cfhost$NH_ID " "$DC_LEASES" || nh_fail "$NS-dhclient.conf was not used: $(cat "$DC_LEASES")"
nh_assert_match "$(dc_global_addrs "$NS" "$IF" 4)" '^192\.0\.2\.' "address after the second up"
nh_expect_exit 0 "$NH" down "$NS"
nh_no_leftovers "$NS"
ls "$NETNS_HELPER_RUNDIR/$NS"/dhclient4.* >/dev/null 2>&1 && nh_fail "dhclient4 files left in the run directory"
dc_host_intact

# No server: start fails after "timeout" with a message and leaves no
# dhclient, no address, no resolv.conf behind.
kill "$DC_DNSMASQ"
wait "$DC_DNSMASQ" 2>/dev/null
rm -f "$NH_NSCONF/$NS-dhclient.conf"
sed -i 's/timeout: 20/timeout: 3/' "$NH_NSCONF/$NS.yaml"
nh_expect_exit 1 "$NH" up "$NS"
nh_assert_match "$NH_ERR" "No DHCPv4 lease on $IF within 3 s" "the timeout message"
! pgrep -f "$NETNS_HELPER_RUNDIR/$NS/dhclient4.pid" >/dev/null || nh_fail "dhclient still runs after the failed start"
[ ! -e "$rc" ] || nh_fail "$rc present after a failed start"
"$NH" down "$NS" >/dev/null 2>&1
nh_no_leftovers "$NS"
dc_host_intact
exit 0
