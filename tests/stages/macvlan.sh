#!/bin/sh
# The macvlan stage driven stage by stage with netns-helper-run, as the units
# drive it: the link, its MAC, mode, addresses, onlink default routes and
# sysctls read back from the kernel; check; stop leaves nothing.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/stages/common.sh"
st_setup

st_ns NS m
IF="nm_$NS"
MAC=02:5e:10:00:00:01
host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
host_lo_tmp=$(cat /proc/sys/net/ipv6/conf/lo/use_tempaddr)

st_conf "$NS" <<EOF2
stages: [netns, macvlan, postup]
macvlan:
  parent: $PARENT
  mac: $MAC
  mode: private
  address4: [192.0.2.10/24, 198.51.100.7/32]
  gateway4: 192.0.2.1
  address6: 2001:db8:10::10/64
  gateway6: 2001:db8:ffff::1
  privacy-ext: 2
  mtu: 1400
  sysctl:
    net.ipv4.ip_forward: 1
    net.ipv6.conf.lo.use_tempaddr: 1
EOF2

nh_expect_exit 0 "$NH" validate "$NS"
nh_no_leftovers "$NS"

st_up_stages "$NS" netns macvlan postup
st_assert_macvlan "$NS" "$IF" "$MAC" private
nh_assert_eq "$(st_link "$NS" "$IF" | jq -r .mtu)" 1400 "MTU of $IF"
st_assert_addr "$NS" "$IF" 192.0.2.10/24
st_assert_addr "$NS" "$IF" 198.51.100.7/32
st_assert_addr "$NS" "$IF" 2001:db8:10::10/64
# The IPv6 gateway is outside the prefix: only onlink makes that route work.
st_assert_default "$NS" 4 192.0.2.1 "$IF"
st_assert_default "$NS" 6 2001:db8:ffff::1 "$IF"
nh_assert_eq "$(st_sysctl "$NS" "net.ipv6.conf.$IF.use_tempaddr")" 2 "use_tempaddr (privacy-ext)"
nh_assert_eq "$(st_sysctl "$NS" net.ipv4.ip_forward)" 1 "ip_forward inside $NS"
nh_assert_eq "$(st_sysctl "$NS" net.ipv6.conf.lo.use_tempaddr)" 1 "lo use_tempaddr inside $NS"
# The host's own values are untouched.
nh_assert_eq "$(cat /proc/sys/net/ipv4/ip_forward)" "$host_fwd" "the host's ip_forward"
nh_assert_eq "$(cat /proc/sys/net/ipv6/conf/lo/use_tempaddr)" "$host_lo_tmp" "the host's lo use_tempaddr"
# Only the namespace has the link: nothing was made on the host.
st_no_link "$IF"

nh_expect_exit 0 "$NH_RUN" macvlan "$NS" check
nh_expect_exit 0 "$NH" check "$NS"

# Drift is seen and named.
ip -n "$NS" addr del 192.0.2.10/24 dev "$IF"
ip -n "$NS" link set "$IF" mtu 1500
nh_expect_exit 5 "$NH_RUN" macvlan "$NS" check
nh_assert_match "$NH_ERR" "lacks address 192.0.2.10/24" "check names the missing address"
nh_assert_match "$NH_ERR" "MTU 1500, configured 1400" "check names the MTU"
ip -n "$NS" route del default via 192.0.2.1
nh_expect_exit 5 "$NH_RUN" macvlan "$NS" check
nh_assert_match "$NH_ERR" "No default route via 192.0.2.1" "check names the missing route"

# Stopping macvlan alone removes the link and keeps the namespace.
st_down_stages "$NS" postup macvlan
ip -n "$NS" link show dev "$IF" >/dev/null 2>&1 && nh_fail "$IF survived macvlan stop"
[ -e "/run/netns/$NS" ] || nh_fail "macvlan stop removed the namespace"
nh_expect_exit 0 "$NH_RUN" macvlan "$NS" stop
st_down_stages "$NS" netns
st_nothing_left "$NS" "$IF"
# stop of a stage whose namespace is gone succeeds.
nh_expect_exit 0 "$NH_RUN" macvlan "$NS" stop
nh_expect_exit 0 "$NH_RUN" postup "$NS" stop

# Default MAC: stable locally administered unicast, the same after a restart,
# and default mode bridge.
st_ns D d
st_conf "$D" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
  address4: 192.0.2.11/24
EOF2
st_up_stages "$D" netns macvlan
mac1=$(st_link "$D" "nm_$D" | jq -r .address)
first=$(printf '%d' "0x${mac1%%:*}")
[ $((first & 1)) = 0 ] && [ $((first & 2)) = 2 ] || nh_fail "derived MAC $mac1 is not locally administered unicast"
st_assert_macvlan "$D" "nm_$D" "$mac1" bridge
st_down_stages "$D" macvlan netns
st_up_stages "$D" netns macvlan
nh_assert_eq "$(st_link "$D" "nm_$D" | jq -r .address)" "$mac1" "derived MAC after a restart"
st_down_stages "$D" macvlan netns
st_nothing_left "$D" "nm_$D"

# A namespace name with a dot gives a link name with a dot: its sysctls are
# reached in sysctl(8)'s two spellings, slashes as separators (dots literal)
# and dots as separators (a slash for the literal dot).
st_ns V .v
st_conf "$V" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
  address4: 192.0.2.12/24
  sysctl:
    net/ipv6/conf/nm_$V/accept_ra: 0
    net.ipv6.conf.nm_${V%.v}/v.dad_transmits: 3
EOF2
nh_expect_exit 0 "$NH" validate "$V"
st_up_stages "$V" netns macvlan
nh_assert_eq "$(ip netns exec "$V" cat "/proc/sys/net/ipv6/conf/nm_$V/accept_ra")" 0 "accept_ra of nm_$V"
nh_assert_eq "$(ip netns exec "$V" cat "/proc/sys/net/ipv6/conf/nm_$V/dad_transmits")" 3 "dad_transmits of nm_$V"
st_down_stages "$V" macvlan netns
st_nothing_left "$V" "nm_$V"
exit 0
