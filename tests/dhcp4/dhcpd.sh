#!/bin/sh
# The dhcp4 stage against ISC dhcpd with a 6-second lease in a peer namespace:
# renewals keep the address past several lease times, the server going away
# lets the lease expire (address, route, DNS and facts removed), the server
# coming back gives a lease again, and a stop releases it (dhcpd's lease
# file marks it free).
. "$NH_SRCDIR/tests/lib.sh"
D4_NET=10.89.0
. "$NH_SRCDIR/tests/dhcp4/common.sh"
nh_require_cmd dhcpd
d4_setup

NS=$(nh_ns c)
IF="nm_$NS"
CONF="ddns-update-style none;
authoritative;
ping-check false;
default-lease-time 6;
max-lease-time 6;
min-lease-time 6;
subnet 10.89.0.0 netmask 255.255.255.0 {
  range 10.89.0.100 10.89.0.200;
  option routers 10.89.0.1;
  option domain-name-servers 10.89.0.53;
  option domain-name \"isc.test\";
}"
d4_dhcpd "$CONF"
d4_conf "$NS"
"$NH_RUN" netns "$NS" start || nh_fail "netns start"
"$NH_RUN" macvlan "$NS" start || nh_fail "macvlan start"
R="$NETNS_HELPER_ETC_NETNS/$NS/resolv.conf"

d4_run_start "$NS"
A=$(d4_assert_lease "$NS" "$IF" 10.89.0)
nh_assert_match "$(cat "$R")" '^nameserver 10\.89\.0\.53$' "resolv.conf server"
nh_assert_match "$(cat "$R")" '^search isc\.test$' "resolv.conf search from option 15"

# Renewal: after three lease times the address is still there, and dhcpd
# acknowledged more than the first request.
sleep 18
nh_assert_eq "$(d4_addr "$NS" "$IF")" "$A" "address after three lease times"
acks=$(grep -c "DHCPACK on ${A%/*}" "$NH_T/dhcpd.log")
[ "$acks" -ge 3 ] || nh_fail "dhcpd sent $acks DHCPACKs for ${A%/*} in 18 s of a 6 s lease: no renewals"

# The server goes away: the lease expires and everything it gave goes.
d4_server_stop
d4_wait 20 "[ -z \"\$(d4_addr '$NS' '$IF')\" ]" || nh_fail "the address outlived its lease with the server gone"
d4_wait 5 "[ -z \"\$(d4_fact '$NS' dhcp4.address)\" ]" || nh_fail "fact dhcp4.address outlived the lease"
[ -z "$(ip -n "$NS" route show default)" ] || nh_fail "the default route outlived the lease"
[ ! -e "$R" ] || nh_fail "$R outlived the lease"
kill -0 "$D4_RUN_PID" || nh_fail "the dhcp4 stage exited when its lease expired"

# The server comes back: a lease again, without restarting the stage.
d4_dhcpd "$CONF"
d4_wait 40 "[ -n \"\$(d4_addr '$NS' '$IF')\" ]" || nh_fail "no lease within 40 s of the server coming back"
A=$(d4_assert_lease "$NS" "$IF" 10.89.0)
d4_wait 5 "[ -f '$R' ]" || nh_fail "no $R after the recovery"

# Stop releases: dhcpd marks the lease free (SIGTERM alone keeps it for
# the next start; the stop verb releases it).
d4_run_stop
"$NH_RUN" dhcp4 "$NS" stop
d4_wait 5 "awk '/^lease ${A%/*} /{b=1} b&&/binding state/{s=\$3} /^}/{b=0} END{exit s!=\"free;\"}' '$D4_LEASES'" ||
        nh_fail "dhcpd's lease file does not show ${A%/*} free after stop"
[ -z "$(d4_addr "$NS" "$IF")" ] || nh_fail "the address is still on $IF after stop"
"$NH_RUN" macvlan "$NS" stop
"$NH_RUN" netns "$NS" stop
d4_host_resolv_unchanged
exit 0
