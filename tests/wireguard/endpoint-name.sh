#!/bin/sh
# The Endpoint may be a name: it is resolved in the birth namespace (where
# the UDP socket sends from; the namespace itself has no way out yet).  The
# name comes from an /etc/hosts of the test's own, bind-mounted in a
# private mount namespace in which the whole test runs: the host's
# /etc/hosts is never touched.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_root
nh_require_cmd unshare
if [ -z "${NH_WG_PRIVATE_MOUNTS:-}" ]; then
        NH_WG_PRIVATE_MOUNTS=1 exec unshare --mount --propagation private sh "$0" "$@"
fi
. "$NH_SRCDIR/tests/wireguard/common.sh"
nh_setup_tree
wg_lab
NS=$(nh_ns c)
{ cat /etc/hosts; printf '%s vpn-server.nht.example\n' "$WG_S4"; } > "$NH_T/hosts"
mount --bind "$NH_T/hosts" /etc/hosts || nh_fail "cannot bind-mount a private /etc/hosts"
nh_defer "umount /etc/hosts"
wg_client_conf "$NH_NSCONF/$NS-wg.conf"
sed -i "s/^Endpoint = .*/Endpoint = vpn-server.nht.example:51820/" "$NH_NSCONF/$NS-wg.conf"
printf 'implementations: {wireguard: wireguard-go}\nwireguard:\n  config: ns/%s-wg.conf\n  birth-namespace: %s\n' \
        "$NS" "$WG_B" > "$NH_NSCONF/$NS.yaml"
nh_expect_exit 0 "$NH" up "$NS"
nh_defer "'$NH' down '$NS'"
nh_assert_match "$(wg show "wg-$NS" endpoints)" "$WG_S4:51820" "the name resolved to the server's address"
ip netns exec "$NS" ping -c 1 -W 2 10.200.0.1 >/dev/null || nh_fail "no ping through the tunnel"

# A name that does not resolve: refused naming file, line and name.
sed -i "s/^Endpoint = .*/Endpoint = nowhere.nht.invalid:51820/" "$NH_NSCONF/$NS-wg.conf"
nh_expect_exit 0 "$NH" down "$NS"
nh_expect_exit 1 "$NH" up "$NS"
nh_assert_match "$NH_ERR" "$NH_NSCONF/$NS-wg.conf:11: Endpoint nowhere.nht.invalid: cannot resolve nowhere.nht.invalid in $WG_B" \
        "an unknown name named"
nh_no_leftovers "$NS"
exit 0
