# Helpers for the dhclient stages' integration tests.  Sourced after
# tests/lib.sh.  A DHCP server (dnsmasq) lives in a namespace of its own on
# the far end of a veth pair whose near end is the macvlan parent, as on a
# real LAN.

# dc_setup FAMILY: root, tools, plugins, a private tree, $PARENT, the
# server namespace $SRV with dnsmasq ($DC_LEASES is its lease file).
dc_setup() {
        nh_require_root
        nh_require_cmd ip jq dnsmasq
        [ -x "$NH" ] && [ -x "$NH_RUN" ] || nh_skip "netns-helper and netns-helper-run are not built"
        for p in netns/netns macvlan/macvlan "dhclient/dhclient$1"; do
                [ -f "$NH_BUILDDIR/plugins/${p%/*}/.libs/${p#*/}.so" ] || nh_skip "plugin ${p#*/}.so is not built"
        done
        DC_DHCLIENT=$(command -v dhclient || echo /sbin/dhclient)
        [ -x "$DC_DHCLIENT" ] || nh_skip "needs ISC dhclient (Debian: isc-dhcp-client)"
        nh_setup_tree
        export NETNS_HELPER_DHCLIENT_HANDLER="$NH_BUILDDIR/plugins/dhclient/netns-helper-dhclient-handler"
        PARENT=$(nh_veth_parent a)
        PEER="nh${NH_ID}aq"
        SRV=$(nh_ns s)
        ip netns add "$SRV" || nh_fail "cannot create $SRV"
        ip link set "$PEER" netns "$SRV" || nh_fail "cannot move $PEER into $SRV"
        ip -n "$SRV" addr add 192.0.2.1/24 dev "$PEER"
        ip -n "$SRV" addr add 2001:db8:1::1/64 nodad dev "$PEER"
        ip -n "$SRV" link set "$PEER" up
        # The host's resolver file, to compare byte for byte at the end.
        cp -p /etc/resolv.conf "$NH_T/host-resolv.conf" 2>/dev/null || : >"$NH_T/host-resolv.conf"
        touch "$NH_T/etc-marker"
}

# dc_dnsmasq ARGS...: starts dnsmasq in $SRV (stopped at exit).
dc_dnsmasq() {
        DC_LEASES="$NH_T/dnsmasq.leases"
        ip netns exec "$SRV" dnsmasq --keep-in-foreground --no-ping --port=0 --conf-file=/dev/null \
                --interface="$PEER" --bind-interfaces --log-facility="$NH_T/dnsmasq.log" \
                --dhcp-leasefile="$DC_LEASES" --pid-file="$NH_T/dnsmasq.pid" --dhcp-authoritative "$@" &
        DC_DNSMASQ=$!
        nh_defer "kill $DC_DNSMASQ"
        for _ in 1 2 3 4 5 6 7 8 9 10; do
                [ -s "$NH_T/dnsmasq.pid" ] && return 0
                sleep 0.1
        done
        nh_fail "dnsmasq did not start: $(cat "$NH_T/dnsmasq.log" 2>/dev/null)"
}

# dc_host_intact: the host's /etc/resolv.conf is unchanged and dhclient's
# stock script left no temporary file in the real /etc.
dc_host_intact() {
        if [ -e /etc/resolv.conf ]; then
                cmp -s /etc/resolv.conf "$NH_T/host-resolv.conf" || nh_fail "the host's /etc/resolv.conf changed"
        fi
        [ -z "$(find /etc -maxdepth 1 -name 'resolv.conf.dhclient-new*' -newer "$NH_T/etc-marker")" ] ||
                nh_fail "a dhclient temporary file appeared in the host's /etc"
}

# dc_global_addrs NS IF FAMILY: the global addresses ("addr/prefix" lines).
dc_global_addrs() {
        ip -n "$1" "-$3" -j addr show dev "$2" scope global |
                jq -r '.[0].addr_info[]? | select(.local != null) | "\(.local)/\(.prefixlen)"'
}
