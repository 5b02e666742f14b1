#!/bin/bash
# The quick-start demo: a namespace "nhdemo" that behaves like a machine of
# its own on a LAN, with a real DHCP lease.
#
# The "LAN" is made here and removed at the end: a veth pair whose one end
# (nhdemo-lan) is the macvlan's parent and whose other end sits in a
# namespace "nhdemo-srv" running dnsmasq as the LAN's DHCP and DNS server.
# Configuration, run and state files live in a temporary directory; the
# host's /etc is not touched.  Run it as root from the build tree.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
build=${NH_BUILDDIR:-$here}
[ "$(id -u)" = 0 ] || { echo "demo.sh: run me as root (.ci/as-root tests/demo/demo.sh): I create namespaces and links" >&2; exit 1; }
[ -x "$build/netns-helper" ] || { echo "demo.sh: build first (./autogen.sh && ./configure && make)" >&2; exit 1; }
command -v dnsmasq >/dev/null || { echo "demo.sh: install dnsmasq-base" >&2; exit 1; }

T=$(mktemp -d /tmp/nhdemo.XXXXXX)
chmod 755 "$T"
export NETNS_HELPER_CONFDIR="$T/etc" NETNS_HELPER_RUNDIR="$T/run" NETNS_HELPER_STATEDIR="$T/state" \
       NETNS_HELPER_ETC_NETNS="$T/etc-netns"
# The plugins as the loader accepts them: built by a normal user and run
# here as root, they run from root-owned copies in $T (tests/root-copy.sh).
. "$here/tests/root-copy.sh"
NETNS_HELPER_PLUGIN_PATH=""
for d in "$build"/plugins/*/.libs; do
        d=$(nh_root_copy "$d" "$T") || { echo "demo.sh: cannot copy the plugins of $d to $T" >&2; rm -rf "$T"; exit 1; }
        NETNS_HELPER_PLUGIN_PATH="$NETNS_HELPER_PLUGIN_PATH${NETNS_HELPER_PLUGIN_PATH:+:}$d"
done
export NETNS_HELPER_PLUGIN_PATH
mkdir -p "$T/etc/ns"
dnsmasq_pid=""

cleanup() {
        set +e
        # Whatever happened to our output (a reader that went away), clean up.
        trap '' PIPE INT TERM HUP
        echo "== cleaning up"
        "$build/netns-helper" down nhdemo
        [ -n "$dnsmasq_pid" ] && kill "$dnsmasq_pid"
        ip netns delete nhdemo-srv 2>/dev/null
        ip link delete nhdemo-lan 2>/dev/null
        rm -rf "$T"
}
trap cleanup EXIT
# A signal ends the script through exit, so that the EXIT trap cleans up
# (killed by an untrapped signal, bash would not run it).
trap 'exit 130' INT TERM HUP PIPE

echo "== a LAN: veth nhdemo-lan <-> namespace nhdemo-srv running dnsmasq"
ip netns add nhdemo-srv
ip link add nhdemo-lan type veth peer name eth0 netns nhdemo-srv
ip link set nhdemo-lan up
ip -n nhdemo-srv addr add 10.77.0.1/24 dev eth0
ip -n nhdemo-srv link set eth0 up
ip -n nhdemo-srv link set lo up
ip netns exec nhdemo-srv dnsmasq -k --no-ping --no-resolv --no-hosts --bind-interfaces \
        --interface=eth0 --dhcp-range=10.77.0.100,10.77.0.200,255.255.255.0,2m \
        --dhcp-option=option:dns-server,10.77.0.1 --domain=demo.lan \
        --dhcp-leasefile="$T/dnsmasq.leases" --pid-file= --log-facility=- --quiet-dhcp &
dnsmasq_pid=$!
# Let it bind first: a DISCOVER sent before is lost, and the client's first
# retransmission comes 4 s later.
for _ in $(seq 1 50); do
        ip netns exec nhdemo-srv ss -Hlun 'sport = :67' | grep -q . && break
        sleep 0.1
done

echo "== the namespace's configuration ($T/etc/ns/nhdemo.yaml)"
cat > "$T/etc/ns/nhdemo.yaml" <<YAML
stages: [netns, macvlan, dhcp4, postup]
macvlan:
  parent: nhdemo-lan
dhcp4:
  timeout: 20
YAML
cat "$T/etc/ns/nhdemo.yaml"

echo "== netns-helper up nhdemo"
start=$(date +%s%N)
"$build/netns-helper" up nhdemo
end=$(date +%s%N)
echo "   up in $(( (end - start) / 1000000 )) ms"

echo "== inside the namespace (ip netns exec nhdemo ...)"
ip netns exec nhdemo ip -br addr
ip netns exec nhdemo ip route
echo "-- /etc/netns/nhdemo/resolv.conf (here: $NETNS_HELPER_ETC_NETNS/nhdemo/resolv.conf)"
cat "$NETNS_HELPER_ETC_NETNS/nhdemo/resolv.conf"
echo "-- ping the LAN's server from the namespace"
ip netns exec nhdemo ping -c 1 -W 2 10.77.0.1
echo "-- the server's lease file"
cat "$T/dnsmasq.leases"
"$build/netns-helper" check nhdemo
echo "== done: the namespace got a real lease"
