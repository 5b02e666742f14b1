#!/bin/sh
# A namespace whose only way out is a WireGuard tunnel (wireguard-go),
# from a provider-style wg-quick file: addresses, MTU, routes only through
# the tunnel, v4 and v6 pings through it, DNS from the file, a capture of
# the uplink that shows nothing but WireGuard's UDP (also with the server
# killed: the kill switch), leaktest, check, and "down" leaving nothing.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/wireguard/common.sh"
nh_setup_tree
wg_lab
NS=$(nh_ns c)

wg_client_conf "$NH_NSCONF/$NS-wg.conf" v6
cat > "$NH_NSCONF/$NS.yaml" <<YAML
implementations: {wireguard: wireguard-go}
wireguard:
  config: ns/$NS-wg.conf
  birth-namespace: $WG_B
YAML

nh_expect_exit 0 "$NH" up "$NS"
nh_defer "'$NH' down '$NS'"

# The process: recorded, running, in the birth namespace, and holding
# nothing of ours but its standard streams.
read -r GO_PID _ < "$NH_T/run/$NS/wireguard-go.pid" || nh_fail "no wireguard-go pid file"
nh_assert_eq "$(cat /proc/$GO_PID/comm)" "wireguard-go" "the recorded process"
nh_assert_eq "$(readlink /proc/$GO_PID/ns/net)" "$(ip netns exec "$WG_B" readlink /proc/self/ns/net)" \
        "wireguard-go's network namespace"
# Its supervisor is the stage: whatever the stage has open (netlink
# sockets, the namespace's fd, the lock), wireguard-go must not share,
# but for its output pipe on fds 1 and 2.
STAGE_PID=$(ps -o ppid= -p "$GO_PID" | tr -d ' ')
nh_assert_eq "$(cat "/proc/$STAGE_PID/comm")" "netns-helper" "wireguard-go's parent is the stage"
nh_assert_eq "$(readlink /proc/$GO_PID/fd/0)" "/dev/null" "wireguard-go's stdin"
OUT=$(readlink /proc/$GO_PID/fd/1)
nh_assert_match "$OUT" "^pipe:" "wireguard-go's output goes to the stage"
nh_assert_eq "$(readlink /proc/$GO_PID/fd/2)" "$OUT" "wireguard-go's stderr"
STAGE_FDS=$(for fd in /proc/$STAGE_PID/fd/*; do readlink "$fd"; done | sort -u)
for fd in /proc/$GO_PID/fd/*; do
        n=$(basename "$fd")
        [ "$n" -le 2 ] && continue
        t=$(readlink "$fd")
        case "$t" in
        socket:*|anon_inode:*|/dev/net/tun|pipe:*) ;;     # its own: UAPI, UDP, netlink, epoll, TUN
        *) nh_fail "wireguard-go holds $t (fd $n), which it does not need" ;;
        esac
        # (anon_inode names are not unique: "anon_inode:[eventpoll]")
        if [ "${t#anon_inode:}" = "$t" ] && printf '%s\n' "$STAGE_FDS" | grep -qxF "$t"; then
                nh_fail "wireguard-go holds the stage's $t (fd $n)"
        fi
done

# The keepalive that started the handshake is gone again: the file has
# none, and the tunnel must not send on its own after that.
nh_assert_match "$(wg show "wg-$NS" persistent-keepalive)" "[[:space:]]off$" "no keepalive left from the start"
nh_assert_eq "$(wg show "wg-$NS" preshared-keys | cut -f2)" "$(cat "$WG_KEYS/psk")" "the file's preshared key"

# The namespace: lo and the tunnel, nothing else.
LINKS=$(ip -n "$NS" -o link show | awk -F': ' '{print $2}' | sort | tr '\n' ' ')
nh_assert_eq "$LINKS" "lo wg0 " "links in the namespace"
nh_assert_match "$(ip -n "$NS" link show wg0)" "mtu 1380" "the file's MTU"
nh_assert_match "$(ip -n "$NS" -4 addr show wg0)" "inet 10.200.0.2/32" "the file's IPv4 address"
nh_assert_match "$(ip -n "$NS" -6 addr show wg0)" "inet6 fd00:200::2/128" "the file's IPv6 address"
nh_assert_match "$(ip -n "$NS" -4 route show default)" "^default dev wg0" "IPv4 default through the tunnel"
nh_assert_match "$(ip -n "$NS" -6 route show default)" "^default dev wg0" "IPv6 default through the tunnel"
# The tunnel device left the birth namespace; the UDP socket stayed there.
if ip -n "$WG_B" link show "wg-$NS" >/dev/null 2>&1; then nh_fail "the TUN device is still in the birth namespace"; fi
ip netns exec "$WG_B" ss -uanp | grep -q "pid=$GO_PID," || nh_fail "wireguard-go's UDP socket is not in the birth namespace"

# DNS from the file, into the namespace's resolv.conf, answered through the tunnel.
RESOLV="$NH_T/etc-netns/$NS/resolv.conf"
nh_assert_match "$(cat "$RESOLV")" "nameserver 10.200.0.1" "the file's DNS server"
nh_assert_match "$(cat "$RESOLV")" "search vpn.example" "the file's search domain"

wg_capture_start "$NH_T/up.pcap"
ip netns exec "$NS" ping -c 2 -W 2 10.200.0.1 >/dev/null || nh_fail "no IPv4 ping through the tunnel"
ip netns exec "$NS" ping -6 -c 2 -W 2 fd00:200::1 >/dev/null || nh_fail "no IPv6 ping through the tunnel"
A=$(wg_dns_query "$NS" 10.200.0.1 vpn-test.example) || nh_fail "no DNS answer through the tunnel"
nh_assert_eq "$A" "10.200.0.77" "the DNS answer"
wg_capture_stop
N=$(wg_capture_only_wireguard)
[ "$N" -ge 8 ] || nh_fail "expected the pings and the query as WireGuard packets on the uplink, saw $N"
nh_log "uplink during traffic: $N WireGuard packets, nothing else"

nh_expect_exit 0 "$NH" check "$NS"
nh_assert_match "$NH_ERR" "latest handshake [0-9]+ s ago" "check reports the handshake's age"
nh_expect_exit 0 "$NH" leaktest "$NS"
nh_assert_match "$NH_OUT" "IPv4" "leaktest tries IPv4"
nh_assert_match "$NH_OUT" "IPv6" "leaktest tries IPv6"
nh_assert_match "$NH_OUT" "DNS" "leaktest tries DNS"

# Drift: a route taken away is reported.
ip -n "$NS" -6 route del default dev wg0
nh_expect_exit 5 "$NH" check "$NS"
nh_assert_match "$NH_ERR" "Route ::/0 is missing" "check names the missing route"
ip -n "$NS" -6 route add default dev wg0

# Kill switch: the VPN server is gone; nothing but WireGuard's own UDP
# (handshake attempts) may reach the uplink, whatever the namespace tries.
kill -KILL "$WG_SERVER"
wait "$WG_SERVER" 2>/dev/null
wg_capture_start "$NH_T/down.pcap"
ip netns exec "$NS" ping -c 2 -W 1 10.200.0.1 >/dev/null 2>&1 && nh_fail "ping answered with the server gone"
ip netns exec "$NS" ping -c 1 -W 1 "$WG_S4" >/dev/null 2>&1 && nh_fail "the server's uplink address answered"
ip netns exec "$NS" ping -6 -c 1 -W 1 fd00:99::2 >/dev/null 2>&1 && nh_fail "the server's IPv6 uplink answered"
wg_dns_query "$NS" 10.200.0.1 vpn-test.example >/dev/null 2>&1 && nh_fail "DNS answered with the server gone"
wg_capture_stop
N=$(wg_capture_only_wireguard)
nh_log "uplink with the server gone: $N WireGuard packets, nothing else"
nh_expect_exit 0 "$NH" leaktest "$NS"

# down leaves nothing: namespace, process, TUN, UAPI socket, DNS files.
nh_expect_exit 0 "$NH" down "$NS"
nh_no_leftovers "$NS"
if kill -0 "$GO_PID" 2>/dev/null; then nh_fail "wireguard-go (PID $GO_PID) still runs after down"; fi
[ ! -e "/var/run/wireguard/wg-$NS.sock" ] || nh_fail "the UAPI socket is left"
[ ! -e "$RESOLV" ] || nh_fail "resolv.conf is left"
if ip -n "$WG_B" link show "wg-$NS" >/dev/null 2>&1; then nh_fail "the TUN device is left in the birth namespace"; fi
exit 0
