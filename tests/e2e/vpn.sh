#!/bin/sh
# End to end, in a booted systemd: the original README's example with a
# VPN namespace.  "torrents" has no macvlan but a WireGuard tunnel
# (wireguard-go, from a provider-style wg-quick file) whose UDP socket
# stays in the container's own namespace; it is brought up with the
# README's "systemctl enable --now" line (the wireguard unit instead of the
# macvlan and DHCP ones), and a daemon is put into it with "netns-helper
# add torrents nhdaemon --now".  The daemon sees only the tunnel, the
# VPN's DNS, and nothing leaks; wireguard-go belongs to the unit; stopping
# leaves nothing.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/e2e/lib-e2e.sh"

e2e_setup wireguard-go

NS=torrents
UNITS="netns-helper@$NS.service netns-helper-wireguard@$NS.service"
# The VPN provider: wireguard-go and a DNS server in namespace "vpnsrv",
# behind a veth that plays the container's uplink.
e2e_sh 'set -e
        ip netns add vpnsrv
        ip link add nhup type veth peer name nhsrv netns vpnsrv
        ip addr add 198.51.100.1/24 dev nhup
        ip link set nhup up
        ip -n vpnsrv addr add 198.51.100.2/24 dev nhsrv
        ip -n vpnsrv link set nhsrv up
        ip -n vpnsrv link set lo up
        umask 077
        mkdir -p /run/vpn
        wg genkey > /run/vpn/server.key && wg pubkey < /run/vpn/server.key > /run/vpn/server.pub
        wg genkey > /run/vpn/client.key && wg pubkey < /run/vpn/client.key > /run/vpn/client.pub' ||
        nh_fail "cannot set up the VPN provider's network"
e2e systemd-run -q --unit=nht-vpn-server --service-type=simple \
        --setenv=WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 \
        ip netns exec vpnsrv wireguard-go -f wgsrv || nh_fail "cannot start the VPN server"
e2e_wait 10 "test -S /var/run/wireguard/wgsrv.sock" || nh_fail "the VPN server did not start"
e2e_sh 'set -e
        ip netns exec vpnsrv wg set wgsrv private-key /run/vpn/server.key listen-port 51820 \
                peer "$(cat /run/vpn/client.pub)" allowed-ips 10.200.0.2/32
        ip -n vpnsrv addr add 10.200.0.1/24 dev wgsrv
        ip -n vpnsrv link set wgsrv up' || nh_fail "cannot configure the VPN server"
e2e systemd-run -q --unit=nht-vpn-dns --service-type=simple \
        ip netns exec vpnsrv dnsmasq --keep-in-foreground --no-resolv --no-hosts --user=root --group=root \
        --bind-interfaces --listen-address=10.200.0.1 --address=/vpn-test.example/10.200.0.77 ||
        nh_fail "cannot start the VPN's DNS server"

# What the provider hands out, and the namespace's file.
e2e_sh "set -e
        mkdir -p /etc/netns-helper/ns
        umask 077
        cat > /etc/netns-helper/ns/$NS-wg.conf <<EOT
[Interface]
PrivateKey = \$(cat /run/vpn/client.key)
Address = 10.200.0.2/32
DNS = 10.200.0.1

[Peer]
PublicKey = \$(cat /run/vpn/server.pub)
Endpoint = 198.51.100.2:51820
AllowedIPs = 0.0.0.0/0, ::/0
EOT
        umask 022
        printf '%s\n' 'implementations: {wireguard: wireguard-go}' 'wireguard:' '  config: ns/$NS-wg.conf' \
                > /etc/netns-helper/ns/$NS.yaml" || nh_fail "cannot write the configuration"
e2e_daemon

# shellcheck disable=SC2086
e2e systemctl enable --now $UNITS || nh_fail "systemctl enable --now $UNITS failed"
# shellcheck disable=SC2086
e2e_units_active $UNITS
e2e netns-helper add $NS nhdaemon --now || nh_fail "netns-helper add $NS nhdaemon --now failed"
# shellcheck disable=SC2086
e2e_units_active $UNITS nhdaemon.service
E2E_INO=$(e2e stat -L -c %i "/run/netns/$NS") || nh_fail "no /run/netns/$NS"
e2e_wait 10 "systemctl is-active -q nhdaemon && test -s /run/nhdaemon.out" || nh_fail "nhdaemon did not start"
pid=$(e2e systemctl show -P MainPID nhdaemon.service)
nh_assert_eq "$(e2e stat -L -c %i "/proc/$pid/ns/net")" "$E2E_INO" "nhdaemon is not in /run/netns/$NS"
out=$(e2e cat /run/nhdaemon.out)
# It sees the tunnel and lo, nothing else, and the VPN's name server.
links=$(printf '%s\n' "$out" | sed -n 's/^addr [0-9]*: \([^ ]*\) .*/\1/p' | sort -u | tr '\n' ' ')
nh_assert_eq "$links" "lo wg0 " "the daemon's interfaces"
nh_assert_match "$out" "^resolv nameserver 10\\.200\\.0\\.1\$" "the daemon reads the VPN's name server"
nh_assert_match "$(e2e ip -n $NS -6 route show)" "unreachable default" "IPv6 blocked: the file has none"

# wireguard-go is the unit's: in its cgroup, and in the container's own
# namespace (where its UDP socket must stay).
go=$(e2e_sh "read -r p _ < /run/netns-helper/$NS/wireguard-go.pid && echo \$p") || nh_fail "no wireguard-go pid file"
nh_assert_eq "$(e2e cat "/proc/$go/comm")" wireguard-go "the recorded process"
e2e grep -q "/netns-helper-wireguard@$NS.service\$" "/proc/$go/cgroup" ||
        nh_fail "wireguard-go (PID $go) is not in the unit's cgroup: $(e2e cat "/proc/$go/cgroup")"
nh_assert_eq "$(e2e stat -L -c %i "/proc/$go/ns/net")" "$(e2e stat -L -c %i /proc/1/ns/net)" \
        "wireguard-go runs in the container's own namespace"

e2e netns-helper leaktest $NS >"$E2E_DIR/leaktest.out" 2>&1 ||
        nh_fail "leaktest found a leak: $(cat "$E2E_DIR/leaktest.out")"
nh_assert_match "$(cat "$E2E_DIR/leaktest.out")" "DNS +10\\.200\\.0\\.1 +through the tunnel wg0 +\\(answered\\)" \
        "the VPN's DNS answers through the tunnel"
nh_log "vpn: nhdaemon runs in /run/netns/$NS with only lo and wg0, the VPN's DNS; wireguard-go (PID $go) is the unit's; no leak"

for i in 1 2 3; do
        e2e systemctl restart "netns-helper@$NS.target" || nh_fail "restart $i of netns-helper@$NS.target failed"
        # shellcheck disable=SC2086
        e2e_units_active $UNITS nhdaemon.service
done

e2e systemctl stop "netns-helper@$NS.service" || nh_fail "systemctl stop netns-helper@$NS.service failed"
for u in $UNITS nhdaemon.service; do
        nh_assert_eq "$(e2e systemctl is-active "$u")" inactive "$u after stopping netns-helper@$NS.service"
done
E2E_INO=$(e2e_sh "stat -L -c %i /proc/$pid/ns/net 2>/dev/null || echo none")
e2e_no_leftovers $NS "$E2E_INO"
e2e_sh "! pgrep -x wireguard-go -a | grep -v wgsrv" || nh_fail "a wireguard-go of $NS is left: $(e2e pgrep -a wireguard-go)"
e2e_sh "! test -e /var/run/wireguard/wg-$NS.sock" || nh_fail "the UAPI socket of $NS is left"
nh_log "vpn: stopped with nothing left behind"
