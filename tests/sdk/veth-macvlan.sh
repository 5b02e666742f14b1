#!/bin/sh
# The veth stage next to a macvlan: the case the original README warns
# about (a macvlan cannot reach its own host).  The macvlan stays the
# namespace's interface; the veth gives the host a way in.  The namespace
# name is long, so both default link names are shortened.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_root
nh_require_cmd ip jq ping

nh_setup_tree
NS=$(nh_ns -macvlan-veth)
PARENT=$(nh_veth_parent a)
O=$(( $$ % 250 ))
H4="198.18.$O.1"; N4="198.18.$O.2"; M4="198.19.$O.10"

cat >"$NH_NSCONF/$NS.yaml" <<EOT
macvlan:
  parent: $PARENT
  address4: $M4/24
veth:
  host-address4: $H4/30
  address4: $N4/30
EOT
nh_expect_exit 0 "$NH" validate "$NS"
nh_assert_match "$NH_OUT$NH_ERR" "macvlan.*veth" "both stages are in the pipeline"

# The default host name: "ve-" + namespace, shortened to 15 bytes the same
# way every time.  Find it by its peer's namespace rather than guessing.
nh_defer "'$NH' down '$NS'"
nh_expect_exit 0 "$NH" up "$NS"
HOST=$(ip -d -j link show type veth | jq -r --arg p "ve-${NS%"${NS#??????}"}" \
        '.[] | select(.ifname | startswith($p)) | .ifname')
[ -n "$HOST" ] || nh_fail "no host end named ve-<first 6 bytes of $NS>...; links: $(ip -br link)"
nh_defer "ip link delete '$HOST'"
nh_assert_eq "$(printf '%s' "$HOST" | wc -c | tr -d ' ')" 15 "shortened host name length"
nh_assert_match "$HOST" '^ve-[^-]{6}-[0-9a-f]{5}$' "shortened host name form"

# The macvlan keeps the interface fact; the veth is there for the host.
MV=$(cat "$NH_T/run/$NS/facts/interface" 2>/dev/null)
[ -n "$MV" ] && [ "$MV" != vh0 ] || nh_fail "the interface fact should be the macvlan's, got '$MV'"
nh_assert_eq "$(ip -n "$NS" -d -j link show "$MV" | jq -r '.[0].linkinfo.info_kind')" macvlan "interface fact names the macvlan"
nh_assert_eq "$(ip -n "$NS" -d -j link show vh0 | jq -r '.[0].linkinfo.info_kind')" veth "the veth end"
A=$(ip -n "$NS" -j addr show dev vh0 | jq -r '.[0].addr_info[] | "\(.local)/\(.prefixlen)"')
nh_assert_match "$A" "^$N4/30\$" "namespace end IPv4"
A=$(ip -j addr show dev "$HOST" | jq -r '.[0].addr_info[] | "\(.local)/\(.prefixlen)"')
nh_assert_match "$A" "^$H4/30\$" "host end IPv4"

# The host is reachable from the namespace over the veth (the route to
# $H4 leaves through vh0, not the macvlan).
nh_assert_match "$(ip -n "$NS" -j route get "$H4" | jq -r '.[0].dev')" '^vh0$' "route to the host end"
ip netns exec "$NS" ping -c 1 -W 2 "$H4" >/dev/null || nh_fail "no ping from $NS to the host end $H4"
nh_expect_exit 0 "$NH" check "$NS"

# Down twice gives the same name back up: the shortening is deterministic.
nh_expect_exit 0 "$NH" down "$NS"
! ip link show "$HOST" >/dev/null 2>&1 || nh_fail "host end $HOST is still present after down"
nh_no_leftovers "$NS"
nh_expect_exit 0 "$NH" up "$NS"
ip link show "$HOST" >/dev/null 2>&1 || nh_fail "a second up did not make the same host end $HOST"
nh_expect_exit 0 "$NH" down "$NS"
! ip link show "$HOST" >/dev/null 2>&1 || nh_fail "host end $HOST is still present after the second down"
nh_no_leftovers "$NS"
exit 0
