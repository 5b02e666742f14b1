#!/bin/sh
# The macvlan's parent deleted under a running namespace (a bridge that the
# host's network configuration re-creates, a USB NIC unplugged), then back:
#   - while it is gone, the DHCPv4 and DHCPv6 clients neither spin nor give
#     up on their link for ever, and "check" reports drift (5), not a
#     configuration error (3);
#   - when it is back, the namespace heals by itself: the link with its
#     MAC, the static address, both leases, the routes and the DNS servers
#     are back within seconds, with the same long-running processes.
# Topology: the parent is a bridge on the host; a veth pair joins it to the
# server namespace (dnsmasq), so the bridge can go and come back while the
# server stays; dnsmasq serves DHCPv4 and DHCPv6 on it.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp4/common.sh"
nh_require_root
nh_require_cmd ip jq dnsmasq
[ -x "$NH" ] || nh_skip "netns-helper is not built"
nh_setup_tree
D4_HOST_RESOLV="$NH_T/host-resolv.conf"
cp -L /etc/resolv.conf "$D4_HOST_RESOLV" 2>/dev/null || D4_HOST_RESOLV=

BR="nh${NH_ID}br"
VA="nh${NH_ID}va"
VB="nh${NH_ID}vb"
SRV_IF=$VB
SRV=$(nh_ns s)
ip netns add "$SRV" || nh_fail "cannot create $SRV"
ip link add "$VA" type veth peer name "$VB" || nh_fail "cannot create $VA/$VB"
nh_defer "ip link delete '$VA'"
ip link set "$VB" netns "$SRV"
ip -n "$SRV" link set lo up
ip -n "$SRV" addr add 10.88.0.1/24 dev "$VB"
ip -n "$SRV" addr add fd88::1/64 dev "$VB" nodad
ip -n "$SRV" link set "$VB" up
ip link set "$VA" up
bridge_up() {
        ip link add "$BR" type bridge || nh_fail "cannot create bridge $BR"
        ip link set "$VA" master "$BR" && ip link set "$BR" up || nh_fail "cannot set $BR up"
}
bridge_up
nh_defer "ip link delete '$BR'"
d4_dnsmasq --dhcp-range=10.88.0.50,10.88.0.99,255.255.255.0,1h \
        --dhcp-option=option:dns-server,10.88.0.53 \
        --dhcp-range=fd88::100,fd88::1ff,64,1h --dhcp-option=option6:dns-server,[fd88::53]

NS=$(nh_ns c)
IF="nm_$NS"
MAC=02:5e:32:00:00:01
cat >"$NH_NSCONF/$NS.yaml" <<EOF2
stages: [netns, macvlan, dhcp4, dhcp6]
macvlan:
  parent: $BR
  mac: $MAC
  address4: 10.89.0.2/24
dhcp4: {timeout: 20}
dhcp6: {timeout: 20, solicit-delay: no}
EOF2

# cpu_ticks PID...: user + system clock ticks used so far, in all.
cpu_ticks() {
        t=0
        for p in "$@"; do
                t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
        done
        echo "$t"
}
assert_healthy() {
        j=$(ip -n "$NS" -d -j link show dev "$IF" | jq -c '.[0]') || nh_fail "no $IF in $NS"
        nh_assert_eq "$(printf '%s' "$j" | jq -r '.address')" "$MAC" "MAC of $IF"
        nh_assert_eq "$(printf '%s' "$j" | jq -r '.link_index')" "$(cat "/sys/class/net/$BR/ifindex")" "parent of $IF"
        a=$(ip -n "$NS" -4 -j addr show dev "$IF" | jq -r '.[0].addr_info[] | "\(.local)/\(.prefixlen)"')
        nh_assert_match "$a" '^10\.89\.0\.2/24$' "static address on $IF"
        nh_assert_match "$a" '^10\.88\.0\.[0-9]+/24$' "leased address on $IF"
        nh_assert_eq "$(ip -n "$NS" -j route show default | jq -r '.[0].gateway')" 10.88.0.1 "default route in $NS"
        a6=$(ip -n "$NS" -6 -j addr show dev "$IF" scope global | jq -r '.[0].addr_info[]? | "\(.local)/\(.prefixlen)"')
        nh_assert_match "$a6" '^fd88::1[0-9a-f]{2}/128$' "DHCPv6 address on $IF"
        grep -q '^nameserver 10\.88\.0\.53$' "$NETNS_HELPER_ETC_NETNS/$NS/resolv.conf" ||
                nh_fail "no DHCPv4 DNS server in the namespace's resolv.conf"
        grep -q '^nameserver fd88::53$' "$NETNS_HELPER_ETC_NETNS/$NS/resolv.conf" ||
                nh_fail "no DHCPv6 DNS server in the namespace's resolv.conf"
}
healed() { (assert_healthy) >/dev/null 2>&1 && [ "$("$NH" check "$NS" >/dev/null 2>&1; echo $?)" = 0 ]; }

nh_expect_exit 0 "$NH" up "$NS"
assert_healthy
PIDS=$(nh_up_pids "$NS")
[ -n "$PIDS" ] || nh_fail "no long-running process of $NS after up"
for p in $PIDS; do nh_defer "kill $p"; done
nh_expect_exit 0 "$NH" check "$NS"

# The parent goes: the kernel deletes the macvlan with it.
ip link delete "$BR" || nh_fail "cannot delete $BR"
d4_wait 5 "! ip -n '$NS' link show dev '$IF'" || nh_fail "$IF outlived its parent"
t0=$(cpu_ticks $PIDS)
sleep 3
t1=$(cpu_ticks $PIDS)
# A spinning process uses about 300 ticks in 3 s; a waiting one, none.
[ $((t1 - t0)) -lt 30 ] || nh_fail "the long-running stages used $((t1 - t0)) ticks of CPU in 3 s without a parent"
nh_assert_eq "$(nh_up_pids "$NS")" "$PIDS" "long-running processes while the parent is gone"
nh_expect_exit 5 "$NH" check "$NS"
nh_assert_match "$NH_ERR" "$BR" "check names the missing parent"

# The parent is back under the same name: the namespace heals by itself.
bridge_up
d4_wait 15 healed || { assert_healthy; "$NH" check "$NS"; nh_fail "not healed 15 s after $BR came back"; }
nh_assert_eq "$(nh_up_pids "$NS")" "$PIDS" "the same long-running processes after healing"

# And once more.
ip link delete "$BR"
d4_wait 5 "! ip -n '$NS' link show dev '$IF'" || nh_fail "$IF outlived its parent (2)"
bridge_up
d4_wait 15 healed || { assert_healthy; nh_fail "not healed 15 s after $BR came back (2)"; }

nh_expect_exit 0 "$NH" down "$NS"
for p in $PIDS; do
        ! nh_alive "$p" || nh_fail "process $p of $NS survived down"
done
nh_no_leftovers "$NS"
d4_host_resolv_unchanged
exit 0
