#!/bin/sh
# A provider's file without IPv6: IPv6 is blocked in the namespace (an
# unreachable default), never left to another path; leaktest says so, and
# finds a leak as soon as another way out appears.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/wireguard/common.sh"
nh_setup_tree
wg_lab
NS=$(nh_ns c)
wg_client_conf "$NH_NSCONF/$NS-wg.conf"
cat > "$NH_NSCONF/$NS.yaml" <<YAML
implementations: {wireguard: wireguard-go}
wireguard:
  config: ns/$NS-wg.conf
  birth-namespace: $WG_B
  name: vpn0
YAML
nh_expect_exit 0 "$NH" up "$NS"
nh_defer "'$NH' down '$NS'"
nh_assert_match "$NH_ERR" "IPv6 is blocked in namespace $NS: the provider's file has no address of that family" "said"
nh_assert_match "$(ip -n "$NS" -6 route show)" "unreachable default" "IPv6 blocked by an unreachable default"
nh_assert_match "$(ip -n "$NS" -4 route show default)" "^default dev vpn0" "IPv4 through the tunnel"
out=$(ip netns exec "$NS" ping -6 -c 1 -W 1 fd00:99::2 2>&1) && nh_fail "IPv6 left the namespace: $out"
nh_assert_match "$out" "No route to host|[Uu]nreachable" "IPv6 refused at once"
ip netns exec "$NS" ping -c 1 -W 2 10.200.0.1 >/dev/null || nh_fail "no IPv4 through the tunnel"
nh_expect_exit 0 "$NH" leaktest "$NS"
printf "%s\n" "$NH_OUT" | sed "s/^/# leaktest: /" >&2
nh_assert_match "$NH_OUT" "IPv6 +2606:4700:4700::1111 +blocked" "leaktest: IPv6 blocked"
nh_assert_match "$NH_OUT" "IPv4 +1.1.1.1 +through the tunnel vpn0" "leaktest: IPv4 through the tunnel"
nh_assert_match "$NH_OUT" "DNS +10.200.0.1 +through the tunnel vpn0 +\(answered\)" "leaktest: the file's DNS server answers"
nh_assert_match "$NH_OUT" "^No leak" "no leak"

# Another way out: a veth with a route for a LAN prefix.  leaktest must see it.
ip link add "nh${NH_ID}x" type veth peer name "nh${NH_ID}y" netns "$NS" || nh_fail "cannot add a veth"
nh_defer "ip link delete 'nh${NH_ID}x'"
ip -n "$NS" link set "nh${NH_ID}y" up
ip -n "$NS" addr add 192.168.1.50/24 dev "nh${NH_ID}y"
nh_expect_exit 1 "$NH" leaktest "$NS"
nh_assert_match "$NH_OUT" "link +nh${NH_ID}y +LEAK: up, and not the tunnel" "leaktest names the link"
nh_assert_match "$NH_OUT" "IPv4 +192.168.1.1 +LEAK: leaves by nh${NH_ID}y" "leaktest names the leaking destination"
nh_assert_match "$NH_OUT" "could leave namespace $NS outside the tunnel" "the summary"
ip link delete "nh${NH_ID}x"

# The stage alone stopped (as systemd stops its unit): the tunnel, the
# process and the DNS records go; the namespace stays.
read -r GO_PID _ < "$NH_T/run/$NS/wireguard-go.pid"
nh_expect_exit 0 "$NH_RUN" wireguard "$NS" stop
if kill -0 "$GO_PID" 2>/dev/null; then nh_fail "wireguard-go (PID $GO_PID) runs on after the stage's stop"; fi
if ip -n "$NS" link show vpn0 >/dev/null 2>&1; then nh_fail "the tunnel is left after the stage's stop"; fi
[ ! -e "$NH_T/etc-netns/$NS/resolv.conf" ] || nh_fail "resolv.conf is left after the stage's stop"
[ ! -e "$NH_T/run/$NS/facts/tunnel" ] || nh_fail "the tunnel fact is left after the stage's stop"
[ -e "/run/netns/$NS" ] || nh_fail "the stage's stop took the namespace"
nh_expect_exit 5 "$NH" check "$NS"
nh_assert_match "$NH_ERR" "wireguard\[$NS\]: not running|The tunnel vpn0 is missing" "check says the tunnel is gone"
nh_expect_exit 0 "$NH_RUN" wireguard "$NS" stop

nh_expect_exit 0 "$NH" down "$NS"
nh_no_leftovers "$NS"
exit 0
