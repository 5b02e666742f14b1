#!/bin/sh
# The veth stage without a macvlan: both ends read back from the kernel,
# ping from the namespace to the host end, routes on both sides, check
# finds drift, and down leaves nothing behind.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_root
nh_require_cmd ip jq ping

nh_setup_tree
NS=$(nh_ns a)
P2P=$(nh_ns b)
HOST="nh${NH_ID}a"
HOST2="nh${NH_ID}b"
nh_defer "ip link delete '$HOST'"
nh_defer "ip link delete '$HOST2'"
nh_defer "'$NH' down '$NS' '$P2P'"
# Addresses from the benchmarking range, one /24 per test process.
# (never 0: "fd00:5d:0::1" is printed "fd00:5d::1" and would not match)
O=$(( $$ % 250 + 1 ))
H4="198.18.$O.1"; N4="198.18.$O.2"
H6="fd00:5d:$O::1"; N6="fd00:5d:$O::2"

cat >"$NH_NSCONF/$NS.yaml" <<EOT
veth:
  host-name: $HOST
  host-address4: $H4/30
  address4: $N4/30
  host-address6: $H6/64
  address6: $N6/64
  default-route: yes
  routes4: [203.0.113.0/24, "192.0.2.128/25 via $H4"]
  routes6: [2001:db8:5d::/48]
  mtu: 1400
EOT

nh_expect_exit 0 "$NH" validate "$NS"

# Watch the host's links while the pair is made: the namespace end must be
# born inside the namespace, never seen on the host (a link created on the
# host and then moved costs an rcu_barrier under RTNL).  A marker link shows
# that the monitor is listening before "up" starts.
ip -o monitor link >"$NH_T/monitor" 2>&1 &
MON=$!
nh_defer "kill $MON"
MARK="nh${NH_ID}m"
nh_defer "ip link delete '$MARK'"
ip link add "$MARK" type veth peer name "nh${NH_ID}n" || nh_fail "cannot create the marker link"
i=0
until grep -q "$MARK" "$NH_T/monitor"; do
        i=$((i + 1)); [ $i -lt 500 ] || nh_fail "ip monitor did not report the marker link"
        ip link set "$MARK" mtu $((1280 + i))
        sleep 0.01
done
ip link delete "$MARK"

nh_expect_exit 0 "$NH" up "$NS"
i=0
until grep -q "$HOST" "$NH_T/monitor"; do
        i=$((i + 1)); [ $i -lt 500 ] || nh_fail "ip monitor did not report the host end $HOST"
        sleep 0.01
done
kill $MON
wait $MON 2>/dev/null
! grep -q ": vh0[@:]" "$NH_T/monitor" || nh_fail "the namespace end was seen on the host: $(cat "$NH_T/monitor")"

# --- the host end ------------------------------------------------------------
J=$(ip -d -j link show "$HOST") || nh_fail "host end $HOST was not created"
nh_assert_eq "$(printf '%s' "$J" | jq -r '.[0].linkinfo.info_kind')" veth "host end kind"
nh_assert_eq "$(printf '%s' "$J" | jq -r '.[0].flags | index("UP") != null')" true "host end is up"
nh_assert_eq "$(printf '%s' "$J" | jq -r '.[0].mtu')" 1400 "host end MTU"
# Its peer lives in another namespace (ip shows the peer's netns id).
nh_assert_match "$(printf '%s' "$J" | jq -r '.[0].link_netnsid')" '^[0-9]+$' "host end's peer is in a namespace"
A=$(ip -j addr show dev "$HOST")
nh_assert_match "$(printf '%s' "$A" | jq -r '.[0].addr_info[] | "\(.local)/\(.prefixlen)"')" "^$H4/30\$" "host end IPv4"
nh_assert_match "$(printf '%s' "$A" | jq -r '.[0].addr_info[] | "\(.local)/\(.prefixlen)"')" "^$H6/64\$" "host end IPv6"

# --- the namespace end -------------------------------------------------------
J=$(ip -n "$NS" -d -j link show vh0) || nh_fail "namespace end vh0 is missing in $NS"
nh_assert_eq "$(printf '%s' "$J" | jq -r '.[0].linkinfo.info_kind')" veth "namespace end kind"
nh_assert_eq "$(printf '%s' "$J" | jq -r '.[0].flags | index("UP") != null')" true "namespace end is up"
nh_assert_eq "$(printf '%s' "$J" | jq -r '.[0].mtu')" 1400 "namespace end MTU"
A=$(ip -n "$NS" -j addr show dev vh0 | jq -r '.[0].addr_info[] | "\(.local)/\(.prefixlen)"')
nh_assert_match "$A" "^$N4/30\$" "namespace end IPv4"
nh_assert_match "$A" "^$N6/64\$" "namespace end IPv6"
R4=$(ip -n "$NS" -j -4 route show | jq -r '.[] | "\(.dst) \(.gateway // "-") \(.dev)"')
nh_assert_match "$R4" "^default $H4 vh0\$" "namespace IPv4 default route"
nh_assert_match "$R4" "^203.0.113.0/24 $H4 vh0\$" "route given as a bare prefix goes via the host end"
nh_assert_match "$R4" "^192.0.2.128/25 $H4 vh0\$" "route with via"
R6=$(ip -n "$NS" -j -6 route show | jq -r '.[] | "\(.dst) \(.gateway // "-") \(.dev)"')
nh_assert_match "$R6" "^default $H6 vh0\$" "namespace IPv6 default route"
nh_assert_match "$R6" "^2001:db8:5d::/48 $H6 vh0\$" "IPv6 route via the host end"

# No macvlan: the veth is the namespace's interface.
nh_assert_eq "$(cat "$NH_T/run/$NS/facts/interface" 2>/dev/null)" vh0 "interface fact"

# --- traffic between the namespace and its host -------------------------------
ip netns exec "$NS" ping -c 1 -W 2 "$H4" >/dev/null || nh_fail "no IPv4 ping from $NS to the host end $H4"
ip netns exec "$NS" ping -6 -c 1 -W 2 "$H6" >/dev/null || nh_fail "no IPv6 ping from $NS to the host end $H6"

# --- check ------------------------------------------------------------------
nh_expect_exit 0 "$NH" check "$NS"
ip -n "$NS" route del 203.0.113.0/24 || nh_fail "cannot remove a route to make drift"
ip addr del "$H4/30" dev "$HOST" || nh_fail "cannot remove an address to make drift"
nh_expect_exit 5 "$NH" check "$NS"
nh_assert_match "$NH_ERR" "203.0.113.0/24.*missing" "check names the missing route"
nh_assert_match "$NH_ERR" "$HOST lacks address $H4/30" "check names the missing address"

# --- /32 on both ends: host routes make each end reachable --------------------
cat >"$NH_NSCONF/$P2P.yaml" <<EOT
veth:
  host-name: $HOST2
  host-address4: 198.19.$O.1
  address4: 198.19.$O.2
  default-route: yes
EOT
nh_expect_exit 0 "$NH" up "$P2P"
nh_assert_match "$(ip -j -4 route show dev "$HOST2" | jq -r '.[] | "\(.dst) \(.scope)"')" "^198.19.$O.2 link\$" "host route to the namespace's /32"
R4=$(ip -n "$P2P" -j -4 route show | jq -r '.[] | "\(.dst) \(.gateway // "-") \(.dev)"')
nh_assert_match "$R4" "^198.19.$O.1 - vh0\$" "namespace route to the host end's /32"
nh_assert_match "$R4" "^default 198.19.$O.1 vh0\$" "default route via the /32 host end"
ip netns exec "$P2P" ping -c 1 -W 2 "198.19.$O.1" >/dev/null || nh_fail "no ping over /32 addresses"
nh_expect_exit 0 "$NH" check "$P2P"

# --- down leaves nothing; twice is fine -----------------------------------------
nh_expect_exit 0 "$NH" down "$NS" "$P2P"
! ip link show "$HOST" >/dev/null 2>&1 || nh_fail "host end $HOST is still present after down"
! ip link show "$HOST2" >/dev/null 2>&1 || nh_fail "host end $HOST2 is still present after down"
nh_no_leftovers "$NS" "$P2P"
[ ! -e "$NH_T/run/$NS/facts/interface" ] || nh_fail "the interface fact is still set after down"
nh_expect_exit 0 "$NH" down "$NS" "$P2P"

# --- one stage at a time, as the units run it ------------------------------------
nh_expect_exit 1 "$NH_RUN" veth "$P2P" start
nh_assert_match "$NH_ERR" "$P2P.*(does not exist|start it first)" "veth needs the namespace first"
! ip link show "$HOST2" >/dev/null 2>&1 || nh_fail "veth made $HOST2 without a namespace"
nh_expect_exit 0 "$NH_RUN" netns "$P2P" start
nh_expect_exit 0 "$NH_RUN" veth "$P2P" start
nh_expect_exit 0 "$NH_RUN" veth "$P2P" check
ip netns exec "$P2P" ping -c 1 -W 2 "198.19.$O.1" >/dev/null || nh_fail "no ping after netns-helper-run veth start"
nh_expect_exit 0 "$NH_RUN" veth "$P2P" stop
! ip link show "$HOST2" >/dev/null 2>&1 || nh_fail "netns-helper-run veth stop left $HOST2"
nh_assert_eq "$(ip -n "$P2P" -j link show | jq -r '[.[] | select(.ifname != "lo")] | length')" 0 "links left in $P2P"
nh_expect_exit 5 "$NH_RUN" veth "$P2P" check
nh_expect_exit 0 "$NH_RUN" veth "$P2P" stop
nh_expect_exit 0 "$NH_RUN" netns "$P2P" stop
nh_no_leftovers "$P2P"
exit 0
