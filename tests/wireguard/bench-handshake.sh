#!/bin/bash
# Time from "bring the VPN namespace up" to the first WireGuard handshake:
# "netns-helper up NS" (wireguard-go) against the same steps done by hand
# with ip and wg, side by side in one run, in alternating order, against the
# lab VPN server of the tests.  Prints the medians and the ratio.  Not part
# of "make check": run as root from the build tree,
#     sudo make bench-wireguard [BENCH_RUNS=N]
# The steps by hand are what an administrator would type (wg-quick does
# not do namespaces): a namespace, wireguard-go in the birth namespace, its
# TUN moved in and renamed, wg set, the address, MTU and link up, the
# routes (an IPv4 default, IPv6 unreachable), then wait for the handshake.
set -u
: "${NH_BUILDDIR:=$(pwd)}" "${NH_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
export NH_BUILDDIR NH_SRCDIR
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/wireguard/common.sh"
RUNS=${BENCH_RUNS:-11}
nh_setup_tree
wg_lab
NSA=$(nh_ns a)
NSH=$(nh_ns h)
DEV="wgh$NH_ID"
wg_client_conf "$NH_NSCONF/$NSA-wg.conf"
# The same file, as the PersistentKeepalive an administrator by hand
# needs to get a handshake without traffic (netns-helper sets one itself
# while it waits).
printf 'implementations: {wireguard: wireguard-go}\nwireguard:\n  config: ns/%s-wg.conf\n  birth-namespace: %s\n' \
        "$NSA" "$WG_B" > "$NH_NSCONF/$NSA.yaml"

now() { date +%s%N; }

by_hand() {
        local pid
        ip netns add "$NSH" && ip -n "$NSH" link set lo up
        ip netns exec "$WG_B" wireguard-go -f "$DEV" >/dev/null 2>&1 &
        pid=$!
        until [ -S "/var/run/wireguard/$DEV.sock" ]; do sleep 0.001; done
        ip -n "$WG_B" link set "$DEV" netns "$NSH" name wg0
        wg set "$DEV" private-key "$WG_KEYS/client.key" peer "$(cat "$WG_KEYS/server.pub")" \
                preshared-key "$WG_KEYS/psk" endpoint "$WG_S4:51820" allowed-ips 0.0.0.0/0 persistent-keepalive 25
        ip -n "$NSH" addr add 10.200.0.2/32 dev wg0
        ip -n "$NSH" link set wg0 mtu 1380 up
        ip -n "$NSH" route add default dev wg0
        ip -n "$NSH" -6 route add unreachable default
        until wg show "$DEV" latest-handshakes | awk '{ exit !($2 > 0) }'; do sleep 0.001; done
        HAND_PID=$pid
}

by_hand_down() {
        kill "$HAND_PID"
        wait "$HAND_PID" 2>/dev/null
        ip netns delete "$NSH"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

: > "$NH_T/nh.ms"
: > "$NH_T/hand.ms"
for i in $(seq 1 "$RUNS"); do
        for way in nh hand; do
                [ $((i % 2)) = 0 ] && way=$([ "$way" = nh ] && echo hand || echo nh)
                if [ "$way" = nh ]; then
                        t0=$(now)
                        "$NH" up "$NSA" >/dev/null 2>"$NH_T/up.err" || { cat "$NH_T/up.err" >&2; nh_fail "netns-helper up failed"; }
                        t1=$(now)
                        "$NH" down "$NSA" >/dev/null 2>&1
                else
                        t0=$(now)
                        by_hand
                        t1=$(now)
                        by_hand_down
                fi
                echo "scale=2; ($t1 - $t0) / 1000000" | bc >> "$NH_T/$way.ms"
                sleep 0.3
        done
done
nh_ms=$(median < "$NH_T/nh.ms")
hand_ms=$(median < "$NH_T/hand.ms")
printf 'up to the first handshake, median of %d runs each (ms):\n' "$RUNS"
printf '  netns-helper up (wireguard-go) %8.1f  (%s)\n' "$nh_ms" "$(sort -n "$NH_T/nh.ms" | tr '\n' ' ')"
printf '  by hand with ip and wg         %8.1f  (%s)\n' "$hand_ms" "$(sort -n "$NH_T/hand.ms" | tr '\n' ' ')"
printf '  ratio by hand / netns-helper   %8.2fx\n' "$(echo "scale=4; $hand_ms / $nh_ms" | bc)"
