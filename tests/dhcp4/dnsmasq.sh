#!/bin/sh
# The dhcp4 stage against dnsmasq (--no-ping) in a peer namespace:
# - "netns-helper up": address and prefix, default route, MTU (option 26),
#   resolv.conf with the server's DNS and search domains, facts; "down"
#   releases the lease (dnsmasq drops it from its lease file) and removes it all;
# - netns-helper-run with READY=1 through our own NOTIFY_SOCKET; SIGTERM
#   keeps the lease (native client), the stop verb releases it; option 121 routes replace the router option (RFC 3442);
# - a restart without release asks for the same address again; a server that
#   no longer has it says no (DHCPNAK) and gives another, the old one goes;
# - the link going down and up: the lease's address and routes come back
#   at once and the lease is confirmed (INIT-REBOOT); on another network
#   the server's NAK brings a new lease at once (native client);
# - the host's /etc/resolv.conf is byte for byte unchanged.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp4/common.sh"
nh_require_cmd dnsmasq
d4_setup

NS=$(nh_ns c)
nh_defer "ip netns delete '$NS'"
IF="nm_$NS"
d4_dnsmasq --dhcp-range=10.88.0.100,10.88.0.200,255.255.255.0,2m \
        --dhcp-option=option:dns-server,10.88.0.53,10.88.0.54 \
        --dhcp-option=option:domain-name,example.test \
        --dhcp-option=option:domain-search,a.example.test,b.example.test \
        --dhcp-option=option:mtu,1400
d4_conf "$NS"
nh_expect_exit 0 "$NH" validate "$NS"

# --- netns-helper up / down -------------------------------------------------
# Not through nh_expect_exit: the dhcp4 child "up" leaves running holds its
# stdout, and a command substitution would wait for it.
"$NH" up "$NS" >"$NH_T/up.out" 2>"$NH_T/up.err" || { cat "$NH_T/up.err" >&2; nh_fail "netns-helper up $NS failed"; }
A=$(d4_assert_lease "$NS" "$IF" 10.88.0)
MAC=$(cat "$NETNS_HELPER_RUNDIR/$NS/facts/mac")
nh_assert_eq "$(ip -n "$NS" -j link show dev "$IF" | jq -r '.[0].mtu')" 1400 "MTU from option 26"
R="$NETNS_HELPER_ETC_NETNS/$NS/resolv.conf"
[ -f "$R" ] || nh_fail "no $R"
nh_assert_match "$(cat "$R")" '^nameserver 10\.88\.0\.53$' "resolv.conf first server"
nh_assert_match "$(cat "$R")" '^nameserver 10\.88\.0\.54$' "resolv.conf second server"
nh_assert_match "$(cat "$R")" '^search a\.example\.test b\.example\.test$' "resolv.conf search list"
grep -qi "$MAC.*${A%/*}" "$D4_LEASES" || nh_fail "dnsmasq's lease file lacks ${A%/*} for $MAC"
d4_host_resolv_unchanged
nh_expect_exit 0 "$NH" check "$NS"

nh_expect_exit 0 "$NH" down "$NS"
# DHCPRELEASE: dnsmasq forgets the lease at once.
d4_wait 5 "! grep -qi '$MAC' '$D4_LEASES'" || nh_fail "the lease of $MAC is still in dnsmasq's lease file after down"
grep -q "DHCPRELEASE.*${A%/*}" "$NH_T/dnsmasq.log" || nh_fail "dnsmasq logged no DHCPRELEASE for ${A%/*}"
[ ! -e "$R" ] || nh_fail "$R is still present after down"
[ ! -e "$NETNS_HELPER_ETC_NETNS/$NS" ] || nh_fail "the emptied $NETNS_HELPER_ETC_NETNS/$NS is still present after down"
[ -z "$(d4_fact "$NS" dhcp4.address)" ] || nh_fail "fact dhcp4.address survived down"
nh_no_leftovers "$NS"
d4_host_resolv_unchanged

# --- netns-helper-run, READY=1 through NOTIFY_SOCKET ------------------------
"$NH_RUN" netns "$NS" start || nh_fail "netns start"
"$NH_RUN" macvlan "$NS" start || nh_fail "macvlan start"
d4_run_start "$NS"
A=$(d4_assert_lease "$NS" "$IF" 10.88.0)
[ -f "$R" ] || nh_fail "no $R under netns-helper-run"
d4_run_stop
[ -z "$(d4_addr "$NS" "$IF")" ] || nh_fail "the address is still on $IF after SIGTERM"
[ -z "$(ip -n "$NS" route show default)" ] || nh_fail "the default route is still in $NS after SIGTERM"
[ ! -e "$R" ] || nh_fail "$R is still present after SIGTERM"
if [ "$NH_DHCP4_IMPL" = dhcp4 ]; then
        # SIGTERM may be a restart: the native client keeps a valid lease
        # (issue 16); the stop verb releases it.
        grep -qi "$MAC" "$D4_LEASES" || nh_fail "SIGTERM released the lease"
        [ -f "$NETNS_HELPER_STATEDIR/$NS/dhcp4.lease" ] || nh_fail "SIGTERM removed the saved lease"
fi
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" stop
d4_wait 5 "! grep -qi '$MAC' '$D4_LEASES'" || nh_fail "no release on SIGTERM and stop"
[ ! -e "$NETNS_HELPER_STATEDIR/$NS/dhcp4.lease" ] || nh_fail "stop left the saved lease"
# stop is idempotent.
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" stop

# --- release: no; a restart asks for the same address (INIT-REBOOT) ----------
d4_conf "$NS" "release: no"
d4_run_start "$NS"
A1=$(d4_assert_lease "$NS" "$IF" 10.88.0)
d4_run_stop
grep -qi "$MAC" "$D4_LEASES" || nh_fail "release: no still released the lease"
d4_run_start "$NS"
A2=$(d4_assert_lease "$NS" "$IF" 10.88.0)
nh_assert_eq "$A2" "$A1" "address after a restart"
d4_run_stop

# --- a process that died leaves its address: stop removes it ----------------
d4_run_start "$NS"
kill -KILL "$D4_RUN_PID"
wait "$D4_RUN_PID" 2>/dev/null
[ -n "$(d4_addr "$NS" "$IF")" ] || nh_fail "expected the address to outlive a SIGKILL"
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" stop
[ -z "$(d4_addr "$NS" "$IF")" ] || nh_fail "stop left the address of a dead run on $IF"
[ ! -e "$R" ] || nh_fail "stop left $R"

# --- the server no longer has our address: DHCPNAK, then a new one ---------
d4_conf "$NS" "release: no"
d4_run_start "$NS"
OLD=$(d4_assert_lease "$NS" "$IF" 10.88.0)
kill -KILL "$D4_RUN_PID"
wait "$D4_RUN_PID" 2>/dev/null
d4_server_stop
d4_dnsmasq --dhcp-range=10.88.0.10,10.88.0.20,255.255.255.0,2m --dhcp-authoritative
d4_run_start "$NS"
NEW=$(d4_assert_lease "$NS" "$IF" 10.88.0)
nh_assert_match "$NEW" '^10\.88\.0\.(1[0-9]|20)/24$' "address from the new range"
nh_log "dnsmasq DHCPNAKs: $(grep -c DHCPNAK "$NH_T/dnsmasq.log")"
nh_assert_eq "$(d4_addr "$NS" "$IF" | grep -c .)" 1 "addresses on $IF (the old $OLD must be gone)"
d4_run_stop
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" stop

# --- option 121 replaces option 3 --------------------------------------------
d4_server_stop
d4_dnsmasq --dhcp-range=10.88.0.100,10.88.0.200,255.255.255.0,2m \
        --dhcp-option=option:router,10.88.0.1 \
        --dhcp-option=121,10.99.0.0/16,10.88.0.254,0.0.0.0/0,10.88.0.2
d4_conf "$NS" "nsswitch: yes"
[ ! -f /etc/nsswitch.conf ] || cp /etc/nsswitch.conf "$NH_T/host-nsswitch.conf"
d4_run_start "$NS"
if [ -f /etc/nsswitch.conf ]; then
        [ -f "$NETNS_HELPER_ETC_NETNS/$NS/nsswitch.conf" ] || nh_fail "nsswitch: yes wrote no nsswitch.conf"
        cmp -s /etc/nsswitch.conf "$NH_T/host-nsswitch.conf" || nh_fail "the host's nsswitch.conf changed"
fi
nh_assert_eq "$(ip -n "$NS" -j route show default | jq -r '.[0].gateway')" 10.88.0.2 "default route from option 121"
nh_assert_eq "$(ip -n "$NS" -j route show 10.99.0.0/16 | jq -r '.[0].gateway')" 10.88.0.254 "static route from option 121"
nh_assert_eq "$(ip -n "$NS" -j route show default | jq -r 'length')" 1 "one default route (option 3 ignored)"
# "ip link set IF down" flushes the link's routes; the native client puts
# the lease's address and routes back when it is up again, not at T1.
if [ "$NH_DHCP4_IMPL" = dhcp4 ]; then
        A121=$(d4_addr "$NS" "$IF")
        acks=$(grep -c "DHCPACK.* ${A121%/*} " "$NH_T/dnsmasq.log")
        ip -n "$NS" link set "$IF" down && ip -n "$NS" link set "$IF" up || nh_fail "cannot set $IF down and up"
        d4_wait 10 "[ \"\$(ip -n '$NS' -j route show default | jq -r '.[0].gateway')\" = 10.88.0.2 ]" ||
                nh_fail "the default route did not come back after $IF went down and up: $(ip -n "$NS" route)"
        nh_assert_eq "$(ip -n "$NS" -j route show 10.99.0.0/16 | jq -r '.[0].gateway')" 10.88.0.254 \
                "option 121 route after $IF went down and up"
        nh_assert_eq "$(d4_addr "$NS" "$IF")" "$A121" "address after $IF went down and up"
        # ... and the client asked whether the lease still holds on the
        # network it came back to (INIT-REBOOT): the server said yes.
        d4_wait 5 "[ \$(grep -c 'DHCPACK.* ${A121%/*} ' '$NH_T/dnsmasq.log') -gt $acks ]" ||
                nh_fail "no DHCPACK for ${A121%/*} after $IF came back: $(tail -5 "$NH_T/dnsmasq.log")"

        # Back on another network (here: a server that hands out another
        # range and knows nothing of the lease): it says no, and the client
        # takes a new lease at once instead of keeping the old one until T1.
        d4_server_stop
        d4_dnsmasq --dhcp-range=10.88.0.30,10.88.0.40,255.255.255.0,2m --dhcp-authoritative \
                --dhcp-option=option:router,10.88.0.1
        ip -n "$NS" link set "$IF" down && ip -n "$NS" link set "$IF" up || nh_fail "cannot set $IF down and up"
        d4_wait 10 "d4_addr '$NS' '$IF' | grep -Eq '^10\.88\.0\.(3[0-9]|40)/24\$'" ||
                nh_fail "no address from the new network after $IF came back: $(d4_addr "$NS" "$IF")"
        grep -q "DHCPNAK.* ${A121%/*} " "$NH_T/dnsmasq.log" ||
                nh_fail "the server did not refuse ${A121%/*}: $(cat "$NH_T/dnsmasq.log")"
        nh_assert_eq "$(d4_addr "$NS" "$IF" | grep -c .)" 1 "addresses on $IF (the old ${A121%/*} must be gone)"
        nh_assert_eq "$(ip -n "$NS" -j route show default | jq -r '.[0].gateway')" 10.88.0.1 \
                "default route of the new lease"
        [ -z "$(ip -n "$NS" route show 10.99.0.0/16)" ] || nh_fail "the old lease's option 121 route survived"
fi
d4_run_stop
[ -z "$(ip -n "$NS" route show 10.99.0.0/16)" ] || nh_fail "the option 121 route survived stop"

"$NH_RUN" macvlan "$NS" stop
"$NH_RUN" netns "$NS" stop
# With the namespace, what was written for it in /etc/netns goes (here the
# nsswitch.conf of "nsswitch: yes").
[ ! -e "$NETNS_HELPER_ETC_NETNS/$NS" ] ||
        nh_fail "$NETNS_HELPER_ETC_NETNS/$NS survived the namespace: $(ls -A "$NETNS_HELPER_ETC_NETNS/$NS")"
d4_host_resolv_unchanged
exit 0
