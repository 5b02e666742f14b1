# Helpers for the DHCPv4 integration tests.  Sourced after tests/lib.sh.
#
# Topology: a veth pair; one end ($PARENT) stays in the host namespace and is
# the macvlan's parent, the other ($SRV_IF) moves into a server namespace
# ($SRV) that runs a real DHCP server.  The client namespace is made by the
# netns and macvlan stages, then the dhcp4 stage runs in it.
#
# Assertions look only at what every implementation of the dhcp4 stage must
# produce (facts, kernel state, files, the server's lease file), so the same
# tests run with another plugin: NH_DHCP4_IMPL=dhclient4 make check ...

NH_DHCP4_IMPL=${NH_DHCP4_IMPL:-dhcp4}

d4_setup() {
        nh_require_root
        nh_require_cmd ip jq
        [ -x "$NH" ] && [ -x "$NH_RUN" ] || nh_skip "netns-helper and netns-helper-run are not built"
        for p in netns macvlan "$NH_DHCP4_IMPL"; do
                [ -f "$NH_BUILDDIR/plugins/$p/.libs/$p.so" ] ||
                        ls "$NH_BUILDDIR"/plugins/*/.libs/"$p.so" >/dev/null 2>&1 ||
                        nh_skip "plugin $p.so is not built"
        done
        nh_setup_tree
        # The host's resolv.conf must come out byte for byte the same.
        D4_HOST_RESOLV="$NH_T/host-resolv.conf"
        cp -L /etc/resolv.conf "$D4_HOST_RESOLV" 2>/dev/null || : >"$D4_HOST_RESOLV"
        [ -e /etc/resolv.conf ] || D4_HOST_RESOLV=
        PARENT=$(nh_veth_parent a)
        nh_defer "ip link delete '$PARENT'"
        SRV_IF="nh${NH_ID}aq"
        SRV=$(nh_ns s)
        nh_defer "ip netns delete '$SRV'"
        ip netns add "$SRV" || nh_fail "cannot create the server namespace $SRV"
        ip link set "$SRV_IF" netns "$SRV" || nh_fail "cannot move $SRV_IF into $SRV"
        ip -n "$SRV" link set lo up
        ip -n "$SRV" addr add "${D4_NET:-10.88.0}.1/24" dev "$SRV_IF"
        ip -n "$SRV" link set "$SRV_IF" up
}

d4_host_resolv_unchanged() {
        if [ -n "$D4_HOST_RESOLV" ]; then
                cmp -s "$D4_HOST_RESOLV" /etc/resolv.conf ||
                        nh_fail "the host's /etc/resolv.conf changed"
        fi
}

# d4_conf NS [extra dhcp4 keys as YAML flow entries]
d4_conf() {
        cat >"$NH_NSCONF/$1.yaml" <<EOF
stages: [netns, macvlan, dhcp4]
implementations: {dhcp4: $NH_DHCP4_IMPL}
macvlan: {parent: $PARENT}
dhcp4: {timeout: ${D4_TIMEOUT:-20}${2:+, $2}}
EOF
}

# d4_dnsmasq [dnsmasq options...]: start dnsmasq in $SRV (foreground, by PID).
d4_dnsmasq() {
        D4_LEASES="$NH_T/dnsmasq.leases"
        : >"$NH_T/dnsmasq.log"
        ip netns exec "$SRV" dnsmasq -k --no-ping --conf-file=/dev/null --no-resolv --no-hosts \
                --port=0 -u root -g root --interface="$SRV_IF" --bind-interfaces \
                --dhcp-leasefile="$D4_LEASES" --pid-file= --log-dhcp \
                --log-facility="$NH_T/dnsmasq.log" "$@" &
        D4_SERVER_PID=$!
        nh_defer "kill $D4_SERVER_PID"
        d4_wait 5 "grep -q 'DHCP, sockets bound' '$NH_T/dnsmasq.log'" || {
                cat "$NH_T/dnsmasq.log" >&2
                nh_fail "dnsmasq did not start"
        }
}

# d4_dhcpd CONF-BODY: start ISC dhcpd in $SRV with this dhcpd.conf.
d4_dhcpd() {
        D4_LEASES="$NH_T/dhcpd.leases"
        [ -e "$D4_LEASES" ] || : >"$D4_LEASES"
        printf '%s\n' "$1" >"$NH_T/dhcpd.conf"
        ip netns exec "$SRV" dhcpd -4 -f -d -cf "$NH_T/dhcpd.conf" -lf "$D4_LEASES" \
                -pf "$NH_T/dhcpd.pid" "$SRV_IF" >>"$NH_T/dhcpd.log" 2>&1 &
        D4_SERVER_PID=$!
        nh_defer "kill $D4_SERVER_PID"
        d4_wait 5 "grep -q 'Sending on' '$NH_T/dhcpd.log'" || {
                cat "$NH_T/dhcpd.log" >&2
                nh_fail "dhcpd did not start"
        }
}

d4_server_stop() {
        kill "$D4_SERVER_PID" 2>/dev/null
        while kill -0 "$D4_SERVER_PID" 2>/dev/null; do sleep 0.05; done
}

# d4_wait SECONDS COMMAND: polls COMMAND (eval) every 0.05 s until it succeeds.
d4_wait() {
        local end=$(( $(date +%s) + $1 ))
        while ! eval "$2" >/dev/null 2>&1; do
                [ "$(date +%s)" -le "$end" ] || return 1
                sleep 0.05
        done
}

# d4_addr NS IFNAME: the IPv4 addresses (a/p) on IFNAME, one per line.
d4_addr() {
        ip -n "$1" -j addr show dev "$2" | jq -r '.[0].addr_info[] | select(.family=="inet") | "\(.local)/\(.prefixlen)"'
}

d4_fact() { cat "$NETNS_HELPER_RUNDIR/$1/facts/$2" 2>/dev/null; }

# d4_run_start NS: netns-helper-run dhcp4 NS start in the background; waits
# for READY=1 on a NOTIFY_SOCKET of our own (python3), or, without python3,
# for the dhcp4.address fact.  Sets D4_RUN_PID.
d4_run_start() {
        local ns=$1 sock="$NH_T/notify.$1" ready="$NH_T/ready.$1"
        rm -f "$ready"
        if command -v python3 >/dev/null 2>&1; then
                python3 "$NH_SRCDIR/tests/dhcp4/notify-listen.py" "$sock" "$ready" 30 &
                D4_LISTENER_PID=$!
                nh_defer "kill $D4_LISTENER_PID"
                d4_wait 5 "[ -S '$sock' ]" || nh_fail "the notify listener did not start"
                NOTIFY_SOCKET="$sock" "$NH_RUN" dhcp4 "$ns" start >>"$NH_T/run.$ns.log" 2>&1 &
                D4_RUN_PID=$!
                nh_defer "kill $D4_RUN_PID"
                wait "$D4_LISTENER_PID" ||
                        { cat "$NH_T/run.$ns.log" >&2; nh_fail "no READY=1 from netns-helper-run dhcp4 $ns start"; }
                grep -q '^READY=1$' "$ready" || nh_fail "the notify listener saw no READY=1"
        else
                "$NH_RUN" dhcp4 "$ns" start >>"$NH_T/run.$ns.log" 2>&1 &
                D4_RUN_PID=$!
                nh_defer "kill $D4_RUN_PID"
                d4_wait 30 "[ -n \"\$(d4_fact '$ns' dhcp4.address)\" ]" ||
                        { cat "$NH_T/run.$ns.log" >&2; nh_fail "dhcp4 on $ns got no lease"; }
        fi
}

# d4_hostile_up NS: tests/dhcp4/fake-server.py (names with a newline, a
# "nameserver" line, shell text, ';' and NUL) on the server side, then
# netns, macvlan and dhcp4 (netns-helper-run, READY=1) for NS; checks the
# lease was taken.  The implementation is NH_DHCP4_IMPL's.
d4_hostile_up() {
        local ns=$1 fake
        ip netns exec "$SRV" python3 "$NH_SRCDIR/tests/dhcp4/fake-server.py" "$SRV_IF" >"$NH_T/fake.log" 2>&1 &
        fake=$!
        nh_defer "kill $fake"
        d4_wait 5 "ip netns exec '$SRV' ss -Hlun 'sport = :67' | grep -q 67" || nh_fail "the fake server did not start"
        d4_conf "$ns"
        "$NH_RUN" netns "$ns" start || nh_fail "netns start"
        "$NH_RUN" macvlan "$ns" start || nh_fail "macvlan start"
        d4_run_start "$ns"
        nh_assert_eq "$(d4_addr "$ns" "nm_$ns")" 10.88.0.77/24 "address from the hostile server"
}

# d4_run_stop: SIGTERM to the backgrounded netns-helper-run and wait for it.
d4_run_stop() {
        local rc=0
        kill -TERM "$D4_RUN_PID"
        wait "$D4_RUN_PID" || rc=$?
        [ "$rc" = 0 ] || nh_fail "netns-helper-run dhcp4 exited $rc after SIGTERM"
}

# d4_assert_lease NS IFNAME NET: an address in NET.0/24, the default route
# via NET.1 and the facts.  Prints the address (a/p).
d4_assert_lease() {
        local ns=$1 ifname=$2 net=$3 a
        a=$(d4_addr "$ns" "$ifname")
        nh_assert_match "$a" "^$(printf '%s' "$net" | sed 's/\./\\./g')\.[0-9]+/24$" "leased address on $ifname"
        nh_assert_eq "$(ip -n "$ns" -j route show default | jq -r '.[0].gateway')" "$net.1" "default gateway in $ns"
        nh_assert_eq "$(d4_fact "$ns" dhcp4.address)" "$a" "fact dhcp4.address"
        nh_assert_match "$(d4_fact "$ns" dhcp4.expires)" '^[0-9]+$' "fact dhcp4.expires"
        printf '%s\n' "$a"
}

# d4_fake [KEY=VALUE...]: tests/dhcp4/fake-server.py with these settings
# (see its header) in $SRV, by PID (D4_FAKE_PID).
d4_fake() {
        ip netns exec "$SRV" python3 "$NH_SRCDIR/tests/dhcp4/fake-server.py" "$SRV_IF" "$@" >>"$NH_T/fake.log" 2>&1 &
        D4_FAKE_PID=$!
        nh_defer "kill $D4_FAKE_PID"
        d4_wait 5 "ip netns exec '$SRV' ss -Hlun 'sport = :67' | grep -q 67" || nh_fail "the fake server did not start"
}

d4_fake_stop() {
        kill "$D4_FAKE_PID" 2>/dev/null
        while kill -0 "$D4_FAKE_PID" 2>/dev/null; do sleep 0.05; done
}

# d4_ns_up NS [dhcp4 keys]: configuration, netns and macvlan stages.
d4_ns_up() {
        d4_conf "$1" "${2:-}"
        "$NH_RUN" netns "$1" start || nh_fail "netns start"
        "$NH_RUN" macvlan "$1" start || nh_fail "macvlan start"
}

d4_ns_down() {
        "$NH_RUN" macvlan "$1" stop
        "$NH_RUN" netns "$1" stop
}

# d4_native_setup: d4_setup for tests of the native client only; sets NS
# (deleted on exit) and IF, its macvlan.
d4_native_setup() {
        [ "$NH_DHCP4_IMPL" = dhcp4 ] || nh_skip "native dhcp4 client only"
        d4_setup
        NS=$(nh_ns c)
        nh_defer "ip netns delete '$NS'"
        IF="nm_$NS"
}
