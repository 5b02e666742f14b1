#!/bin/sh
# Bad veth configuration exits 3 before anything is made; a failure half
# way through "up" (a route whose gateway is unreachable) exits 1 and
# leaves neither the pair nor the namespace behind.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_root
nh_require_cmd ip

nh_setup_tree
NS=$(nh_ns a)
HOST="nh${NH_ID}a"
nh_defer "ip link delete '$HOST'"
nh_defer "'$NH' down '$NS'"

# bad KEY-LINES MESSAGE-REGEX: the configuration is refused by validate and
# by up, with the message, and nothing exists afterwards.
bad() {
        printf 'veth:\n%s\n' "$1" >"$NH_NSCONF/$NS.yaml"
        nh_expect_exit 3 "$NH" validate "$NS"
        nh_assert_match "$NH_ERR" "$2" "validate's message"
        nh_assert_match "$NH_ERR" "$NS.yaml:[0-9]+" "the message names the file and line"
        nh_expect_exit 3 "$NH" up "$NS"
        nh_assert_match "$NH_ERR" "$2" "up's message"
        ! ip link show "$HOST" >/dev/null 2>&1 || nh_fail "host end $HOST exists after a refused up"
        nh_no_leftovers "$NS"
}

bad "  host-name: nh${NH_ID}-far-too-long-name" "host-name"
bad "  host-name: $HOST
  address4: 10.0.0.300/24" "address4"
bad "  host-name: $HOST
  address6: fd00::1/129" "address6"
bad "  host-name: $HOST
  routes4: [10.1.2.3/8]" "routes4.*bits set past its prefix length"
bad "  host-name: $HOST
  routes6: [\"fd00::/64 via\"]" "routes6.*PREFIX via ADDRESS"
bad "  host-name: $HOST
  default-route: yes" "default-route.*host-address"
bad "  host-name: $HOST
  host-address4: 10.9.0.1/24
  address4: 10.9.0.1/24" "address4.*also an address of the host end"
bad "  host-name: $HOST
  mtu: 20" "mtu"
bad "  host-name: $HOST
  colour: blue" "colour"

# Valid, but the kernel refuses the route: everything made is undone.
printf 'veth:\n  host-name: %s\n  address4: 10.9.0.2/24\n  routes4: ["10.10.0.0/16 via 10.99.0.1"]\n' \
        "$HOST" >"$NH_NSCONF/$NS.yaml"
nh_expect_exit 0 "$NH" validate "$NS"
nh_expect_exit 1 "$NH" up "$NS"
nh_assert_match "$NH_ERR" "10.10.0.0/16 via 10.99.0.1.*(unreachable|Network)" "the failing route is named with the kernel's reason"
! ip link show "$HOST" >/dev/null 2>&1 || nh_fail "host end $HOST survived a failed up"
nh_no_leftovers "$NS"
exit 0
