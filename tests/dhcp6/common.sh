# Helpers shared by the DHCPv6 integration tests.  Sourced after tests/lib.sh.
#
# Topology: a server namespace ($SRV) holds one end of a veth pair with
# fd88::1/64 and the DHCPv6 server; the other end ($PARENT) stays on the
# host, up without addresses, and is the macvlan parent of the client
# namespaces.  The implementation under test comes from NH_DHCP6_IMPL
# (default: the native "dhcp6" plugin); every assertion looks only at
# effects (kernel state, files, exit codes), so the same tests run against
# a dhclient-backed plugin.
NH_DHCP6_IMPL=${NH_DHCP6_IMPL:-dhcp6}

d6_setup() {
        nh_require_root
        nh_require_cmd ip jq
        [ -x "$NH" ] && [ -x "$NH_RUN" ] || nh_skip "netns-helper and netns-helper-run are not built"
        for p in netns macvlan; do
                [ -f "$NH_BUILDDIR/plugins/$p/.libs/$p.so" ] || nh_skip "plugin $p.so is not built"
        done
        nh_setup_tree
        PARENT=$(nh_veth_parent d)
        PEER="nh${NH_ID}dq"
        SRV=$(nh_ns s)
        ip netns add "$SRV" || nh_fail "cannot create the server namespace $SRV"
        ip link set "$PEER" netns "$SRV" || nh_fail "cannot move $PEER into $SRV"
        ip -n "$SRV" link set lo up
        ip -n "$SRV" link set "$PEER" up
        # nodad: the server's address is usable at once.
        ip -n "$SRV" addr add fd88::1/64 dev "$PEER" nodad || nh_fail "cannot address $PEER"
        HOST_RESOLV_SUM=$(d6_sum /etc/resolv.conf)
}

d6_sum() { if [ -e "$1" ]; then cksum <"$1"; else echo absent; fi; }

# d6_wait_ll NS IFNAME: wait (5 s at most) until the link-local address of
# IFNAME in NS (or on the host when NS is "-") has left DAD.
d6_wait_ll() {
        local i n
        for i in $(seq 1 100); do
                if [ "$1" = - ]; then
                        n=$(ip -6 -j addr show dev "$2" scope link 2>/dev/null)
                else
                        n=$(ip -n "$1" -6 -j addr show dev "$2" scope link 2>/dev/null)
                fi
                if printf '%s' "$n" | jq -e '.[0].addr_info | length > 0 and all(.tentative != true)' >/dev/null 2>&1; then
                        return 0
                fi
                sleep 0.05
        done
        nh_fail "the link-local address of $2 did not leave DAD within 5 s"
}

# d6_dnsmasq [EXTRA...]: dnsmasq in $SRV: stateful DHCPv6 pool
# fd88::100-200 (D6_RANGE: another), router advertisements, a DNS server
# and a domain.  D6_KEEP_LEASES=1: a restarted server keeps its lease file.
d6_dnsmasq() {
        DNSMASQ_LEASES="$NH_T/dnsmasq.leases"
        DNSMASQ_LOG="$NH_T/dnsmasq.log"
        [ -n "${D6_KEEP_LEASES:-}" ] || : >"$DNSMASQ_LEASES"
        d6_wait_ll "$SRV" "$PEER"
        ip netns exec "$SRV" dnsmasq --conf-file=/dev/null --keep-in-foreground --no-ping \
                --port=0 --no-resolv --no-hosts --interface="$PEER" --bind-interfaces \
                --enable-ra --dhcp-range="${D6_RANGE:-fd88::100,fd88::200,64,2m}" \
                --dhcp-option=option6:dns-server,[fd88::53] \
                --dhcp-option=option6:domain-search,nht.example \
                --dhcp-leasefile="$DNSMASQ_LEASES" --pid-file="$NH_T/dnsmasq.pid" \
                --log-dhcp --log-facility="$DNSMASQ_LOG" "$@" &
        DNSMASQ_PID=$!
        nh_defer "kill $DNSMASQ_PID"
        sleep 0.2
        kill -0 "$DNSMASQ_PID" 2>/dev/null || nh_fail "dnsmasq did not start: $(cat "$DNSMASQ_LOG" 2>/dev/null)"
}

# d6_dhcpd [PREFERRED VALID]: ISC dhcpd -6 in $SRV, pool fd88::300-3ff.
d6_dhcpd() {
        local pref=${1:-3600} valid=${2:-7200}
        nh_require_cmd dhcpd
        DHCPD_LEASES="$NH_T/dhcpd6.leases"
        : >"$DHCPD_LEASES"
        cat >"$NH_T/dhcpd6.conf" <<EOF2
default-lease-time $valid;
preferred-lifetime $pref;
max-lease-time $valid;
option dhcp-renewal-time $((pref / 2));
option dhcp-rebinding-time $((pref * 4 / 5));
option dhcp6.name-servers fd88::54;
option dhcp6.domain-search "isc.nht.example";
authoritative;
subnet6 fd88::/64 {
        range6 fd88::300 fd88::3ff;
}
EOF2
        d6_wait_ll "$SRV" "$PEER"
        ip netns exec "$SRV" dhcpd -6 -f -q -cf "$NH_T/dhcpd6.conf" -lf "$DHCPD_LEASES" \
                -pf "$NH_T/dhcpd6.pid" "$PEER" >"$NH_T/dhcpd6.log" 2>&1 &
        DHCPD_PID=$!
        nh_defer "kill $DHCPD_PID"
        sleep 0.3
        kill -0 "$DHCPD_PID" 2>/dev/null || nh_fail "dhcpd -6 did not start: $(cat "$NH_T/dhcpd6.log")"
}

# d6_conf NS MACSUFFIX [DHCP6 SECTION LINES]: a namespace with a macvlan on
# $PARENT and the dhcp6 stage (timeout: $D6_TIMEOUT, default 20).
d6_conf() {
        local ns=$1 mac=$2
        shift 2
        {
                printf 'stages: [netns, macvlan, dhcp6]\n'
                printf 'implementations: {dhcp6: %s}\n' "$NH_DHCP6_IMPL"
                printf 'macvlan:\n  parent: %s\n  mac: 02:d6:00:00:00:%s\n' "$PARENT" "$mac"
                printf 'dhcp6:\n  solicit-delay: no\n  timeout: %s\n' "${D6_TIMEOUT:-20}"
                for l in "$@"; do printf '  %s\n' "$l"; done
        } >"$NH_NSCONF/$ns.yaml"
}

# d6_addr NS IFNAME: the global /128 addresses of IFNAME in NS.
d6_addr() {
        ip -n "$1" -6 -j addr show dev "$2" scope global |
                jq -r '.[0].addr_info[]? | select(.prefixlen == 128) | .local'
}

# d6_assert_pool NS IFNAME LOW HIGH: one /128 in [LOW, HIGH] (hex of the
# last group of fd88::/64).
d6_assert_pool() {
        local a last
        a=$(d6_addr "$1" "$2")
        [ -n "$a" ] || nh_fail "no /128 address on $2 in $1: $(ip -n "$1" -6 addr show dev "$2")"
        [ "$(printf '%s\n' "$a" | wc -l)" = 1 ] || nh_fail "more than one /128 on $2 in $1: $a"
        case $a in fd88::*) ;; *) nh_fail "address $a is not from fd88::/64" ;; esac
        last=${a##*:}
        [ $((0x$last)) -ge $((0x$3)) ] && [ $((0x$last)) -le $((0x$4)) ] ||
                nh_fail "address $a is not in the pool fd88::$3-fd88::$4"
        D6_ADDR=$a
}

# d6_assert_resolv NS SERVER DOMAIN
d6_assert_resolv() {
        local f="$NETNS_HELPER_ETC_NETNS/$1/resolv.conf"
        [ -f "$f" ] || nh_fail "$f was not written"
        grep -Eq "^nameserver $2\$" "$f" || nh_fail "$f lacks nameserver $2: $(cat "$f")"
        grep -Eq "^search .*$3" "$f" || nh_fail "$f lacks search domain $3: $(cat "$f")"
}

d6_assert_host_resolv() {
        nh_assert_eq "$(d6_sum /etc/resolv.conf)" "$HOST_RESOLV_SUM" "the host's /etc/resolv.conf changed"
}

# d6_run_bg NS: netns-helper-run dhcp6 NS start in the background, waiting
# for READY=1 on a NOTIFY_SOCKET of our own (python3), or for the address
# fact.  Sets RUN_PID.
d6_run_bg() {
        "$NH_RUN" dhcp6 "$1" start >"$NH_T/run-$1.log" 2>&1 &
        RUN_PID=$!
        nh_defer "kill $RUN_PID"
}

# d6_wait_fact NS: wait (25 s at most) for the dhcp6.address fact, or for
# the process RUN_PID to end (failure).
d6_wait_ready() {
        local i
        for i in $(seq 1 500); do
                if [ -n "$(d6_addr "$1" "nm_$1" 2>/dev/null)" ]; then
                        return 0
                fi
                kill -0 "$RUN_PID" 2>/dev/null || nh_fail "netns-helper-run dhcp6 $1 ended: $(cat "$NH_T/run-$1.log")"
                sleep 0.05
        done
        nh_fail "no DHCPv6 address in $1 within 25 s: $(cat "$NH_T/run-$1.log")"
}

# d6_stop_bg: SIGTERM to RUN_PID and wait for it.
d6_stop_bg() {
        kill "$RUN_PID" 2>/dev/null
        wait "$RUN_PID" 2>/dev/null
}

# d6_wait_for SECONDS COMMAND: until COMMAND (eval'ed) succeeds, in 0.05 s
# steps; 1 when SECONDS passed.
d6_wait_for() {
        local i
        for i in $(seq 1 $(($1 * 20))); do
                eval "$2" && return 0
                sleep 0.05
        done
        return 1
}
