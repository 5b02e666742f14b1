#!/bin/sh
# The dhcp4 section's keys: good values validate, each bad one is refused
# with exit 3 and a message that names the key.  Needs no root and no server.
. "$NH_SRCDIR/tests/lib.sh"
[ -x "$NH" ] || nh_skip "netns-helper is not built"
[ -f "$NH_BUILDDIR/plugins/dhcp4/.libs/dhcp4.so" ] || nh_skip "plugin dhcp4.so is not built"
nh_setup_tree
NS="nht${NH_ID}v"
# The macvlan's parent is "lo", which every network namespace has: the test
# depends on no interface of the host (eth0 is ens3 or enp1s0 elsewhere).

conf() {
        cat >"$NH_NSCONF/$NS.yaml" <<EOF2
stages: [netns, macvlan, dhcp4]
macvlan: {parent: lo}
dhcp4: {$1}
EOF2
}

conf "interface: nm_x, timeout: 5, client-id: duid, hostname: box.example, vendor-class: netns-helper,
      request: [1, 3, domain-search, classless-static-routes, 42], release: no, dns: yes, nsswitch: no,
      route-metric: 100, use-routes: yes, mtu: no, start-delay: 0"
nh_expect_exit 0 "$NH" validate "$NS"
conf "client-id: '01:02:03:04:05:06:07'"
nh_expect_exit 0 "$NH" validate "$NS"

bad() {
        conf "$1"
        nh_expect_exit 3 "$NH" validate "$NS"
        nh_assert_match "$NH_ERR" "$2" "the error for '$1' names $2"
}
bad "client-id: xyz" "client-id"
bad "client-id: '01'" "client-id"
bad "hostname: 'a;b'" "hostname"
bad "hostname: '-box'" "hostname"
bad "request: [1, 300]" "request"
bad "request: [bogus]" "request"
bad "timeout: 0" "timeout"
bad "release: maybe" "release"
bad "start-delay: 20000" "start-delay"
bad "no-such-key: 1" "no-such-key"
exit 0
