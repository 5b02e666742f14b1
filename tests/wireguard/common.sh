# A VPN lab for the wireguard tests.  Source after tests/lib.sh.
#
#   birth namespace B  --veth (the "host's uplink", captured)--  server S
#   nh<ID>u 10.99.<n>.1/24 fd00:99::1/64        nh<ID>s 10.99.<n>.2/24 fd00:99::2/64
#
# S runs wireguard-go (wgs<ID>, 10.200.0.1/24, fd00:200::1/64, UDP 51820)
# and a dnsmasq on the tunnel address.  The namespace under test gets a
# provider-style wg-quick file naming S as its endpoint, and
# birth-namespace: B, so that nothing of the test touches the host's
# namespace.  Every process is started by PID and ended by PID.
nh_require_root
nh_require_cmd wireguard-go wg tcpdump ping python3 dnsmasq

WG_SUBNET=$(( $$ % 200 + 20 ))
WG_B=$(nh_ns b)
WG_S=$(nh_ns s)
WG_UP="nh${NH_ID}u"
WG_SV="nh${NH_ID}s"
WG_SDEV="wgs${NH_ID}"
WG_B4="10.99.$WG_SUBNET.1"
WG_S4="10.99.$WG_SUBNET.2"
export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1

wg_lab() {
        ip netns add "$WG_B" && ip netns add "$WG_S" || nh_fail "cannot create the lab namespaces"
        ip link add "$WG_UP" netns "$WG_B" type veth peer name "$WG_SV" netns "$WG_S" || nh_fail "cannot create the uplink veth"
        ip -n "$WG_B" addr add "$WG_B4/24" dev "$WG_UP"
        ip -n "$WG_B" addr add fd00:99::1/64 dev "$WG_UP" nodad
        ip -n "$WG_S" addr add "$WG_S4/24" dev "$WG_SV"
        ip -n "$WG_S" addr add fd00:99::2/64 dev "$WG_SV" nodad
        ip -n "$WG_B" link set "$WG_UP" up && ip -n "$WG_B" link set lo up
        ip -n "$WG_S" link set "$WG_SV" up && ip -n "$WG_S" link set lo up

        WG_KEYS="$NH_T/keys"
        mkdir -m 700 "$WG_KEYS"
        umask 077
        wg genkey > "$WG_KEYS/server.key"
        wg pubkey < "$WG_KEYS/server.key" > "$WG_KEYS/server.pub"
        wg genkey > "$WG_KEYS/client.key"
        wg pubkey < "$WG_KEYS/client.key" > "$WG_KEYS/client.pub"
        wg genpsk > "$WG_KEYS/psk"
        umask 022
        wg_server_start
        # DNS inside the tunnel, as a VPN provider runs it.
        ip netns exec "$WG_S" dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces \
                --listen-address=10.200.0.1 --except-interface=lo --pid-file= \
                --address=/vpn-test.example/10.200.0.77 2>"$NH_T/dnsmasq.log" &
        WG_DNSMASQ=$!
        nh_defer "kill $WG_DNSMASQ"
}

wg_server_start() {
        ip netns exec "$WG_S" wireguard-go -f "$WG_SDEV" >"$NH_T/server.log" 2>&1 &
        WG_SERVER=$!
        # A server killed with SIGKILL (the kill switch test) leaves its
        # socket file behind.
        nh_defer "rm -f '/var/run/wireguard/$WG_SDEV.sock'"
        nh_defer "kill $WG_SERVER"
        for _ in $(seq 100); do
                [ -S "/var/run/wireguard/$WG_SDEV.sock" ] && break
                sleep 0.05
        done
        ip netns exec "$WG_S" wg set "$WG_SDEV" private-key "$WG_KEYS/server.key" listen-port 51820 \
                peer "$(cat "$WG_KEYS/client.pub")" preshared-key "$WG_KEYS/psk" \
                allowed-ips 10.200.0.2/32,fd00:200::2/128 || nh_fail "cannot configure the VPN server"
        ip -n "$WG_S" addr add 10.200.0.1/24 dev "$WG_SDEV"
        ip -n "$WG_S" addr add fd00:200::1/64 dev "$WG_SDEV" nodad
        ip -n "$WG_S" link set "$WG_SDEV" up
}

# wg_client_conf FILE [v6]: the provider's file for the client.
wg_client_conf() {
        local addr="10.200.0.2/32" allowed="0.0.0.0/0"
        if [ "${2:-}" = v6 ]; then addr="$addr, fd00:200::2/128"; allowed="$allowed, ::/0"; fi
        cat > "$1" <<CONF
# Provider-style file: what a VPN service hands out.
[Interface]
PrivateKey = $(cat "$WG_KEYS/client.key")
Address = $addr
DNS = 10.200.0.1, vpn.example
MTU = 1380

[Peer]
PublicKey = $(cat "$WG_KEYS/server.pub")
PresharedKey = $(cat "$WG_KEYS/psk")
Endpoint = $WG_S4:51820
AllowedIPs = $allowed
CONF
        chmod 600 "$1"
}

# wg_dns_query NS SERVER NAME: prints the first A record, or fails.
wg_dns_query() {
        ip netns exec "$1" python3 - "$2" "$3" <<'PY'
import socket, struct, sys
srv, name = sys.argv[1], sys.argv[2]
q = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
q += b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0" + struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(q, (srv, 53))
a = s.recv(512)
if len(a) < 16 or a[:2] != b"\x12\x34" or struct.unpack(">H", a[6:8])[0] == 0:
    sys.exit(1)
print(socket.inet_ntoa(a[-4:]))
PY
}

# wg_capture_start FILE / wg_capture_stop: tcpdump on the uplink in B.
wg_capture_start() {
        WG_PCAP=$1
        ip netns exec "$WG_B" tcpdump -i "$WG_UP" -nn -U --immediate-mode -w "$WG_PCAP" 2>"$NH_T/tcpdump.log" &
        WG_TCPDUMP=$!
        nh_defer "kill $WG_TCPDUMP"
        for _ in $(seq 100); do
                grep -q "listening on" "$NH_T/tcpdump.log" 2>/dev/null && return 0
                sleep 0.05
        done
        nh_fail "tcpdump did not start: $(cat "$NH_T/tcpdump.log")"
}
wg_capture_stop() {
        sleep 0.3
        kill "$WG_TCPDUMP" 2>/dev/null
        wait "$WG_TCPDUMP" 2>/dev/null
}

# wg_capture_only_wireguard: every packet of the capture is WireGuard's
# UDP between B and S (or the ICMP error about it when the server is
# gone), apart from ARP and IPv6 neighbour/multicast-listener chatter of
# the link itself.  Prints the number of WireGuard packets.
wg_capture_only_wireguard() {
        local all other wg
        all=$(tcpdump -nn -r "$WG_PCAP" 2>/dev/null)
        [ -n "${WG_DEBUG:-}" ] && printf "%s\n" "$all" >&2
        wg=$(printf '%s\n' "$all" | grep -cE "IP $WG_B4\.[0-9]+ > $WG_S4\.51820: UDP|IP $WG_S4\.51820 > $WG_B4\.[0-9]+: UDP" || true)
        other=$(printf '%s\n' "$all" | grep -vE "IP $WG_B4\.[0-9]+ > $WG_S4\.51820: UDP|IP $WG_S4\.51820 > $WG_B4\.[0-9]+: UDP" |
                grep -vE "ARP,|ICMP6, (neighbor|router) (solicitation|advertisement)|ICMP6, multicast listener|udp port 51820 unreachable|^$" || true)
        [ -z "$other" ] || nh_fail "the uplink carried more than WireGuard's UDP: $other"
        printf '%s\n' "$wg"
}
