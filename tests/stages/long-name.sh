#!/bin/sh
# Long namespace names: nm_NAME does not fit the 15 bytes of an interface
# name past 12 characters; the stage then uses the documented derived name
# "nm_" + the first 4 bytes + 8 hex digits of FNV-1a-32 of the whole name.
# "name:" overrides it.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/stages/common.sh"
st_setup

# fnv1a32 STRING: the documented hash, in shell arithmetic.
fnv1a32() {
        local s="$1" h=2166136261 c
        while [ -n "$s" ]; do
                c=$(printf '%d' "'${s%"${s#?}"}")
                s=${s#?}
                h=$(( ((h ^ c) * 16777619) & 0xffffffff ))
        done
        printf '%08x\n' "$h"
}

# 40 bytes, and a second one that differs only at the end.
L="nht${NH_ID}L"
L="$L$(printf 'x%.0s' $(seq $((40 - ${#L}))))"
L2="${L%x}y"
nh_defer "ip netns delete '$L'"
nh_defer "ip netns delete '$L2'"
IF="nm_$(printf '%.4s' "$L")$(fnv1a32 "$L")"
IF2="nm_$(printf '%.4s' "$L2")$(fnv1a32 "$L2")"
[ "$IF" != "$IF2" ] || nh_fail "derived names collide: $IF"
nh_assert_eq "${#IF}" 15 "length of the derived name"

for n in "$L" "$L2"; do
        st_conf "$n" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
  address4: 192.0.2.60/24
  privacy-ext: 2
EOF2
done
st_up_stages "$L" netns macvlan
"$NH" up "$L2" || nh_fail "up of $L2 failed"
mac=$(st_link "$L" "$IF" | jq -r .address) || nh_fail "no link $IF in $L"
st_assert_macvlan "$L" "$IF" "$mac" bridge
st_assert_macvlan "$L2" "$IF2" "$(st_link "$L2" "$IF2" | jq -r .address)" bridge
[ "$mac" != "$(st_link "$L2" "$IF2" | jq -r .address)" ] || nh_fail "two namespaces derived the same MAC"
st_assert_addr "$L" "$IF" 192.0.2.60/24
nh_assert_eq "$(st_sysctl "$L" "net.ipv6.conf.$IF.use_tempaddr")" 2 "use_tempaddr on $IF"
nh_expect_exit 0 "$NH" check "$L"
st_down_stages "$L" macvlan netns
"$NH" down "$L2" || nh_fail "down of $L2 failed"
st_nothing_left "$L" "$IF"
st_nothing_left "$L2" "$IF2"

# 64 bytes, the longest name allowed.
M="nht${NH_ID}M"
M="$M$(printf 'm%.0s' $(seq $((64 - ${#M}))))"
nh_defer "ip netns delete '$M'"
st_conf "$M" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
EOF2
"$NH" up "$M" || nh_fail "up of a 64-byte name failed"
ip -n "$M" link show dev "nm_$(printf '%.4s' "$M")$(fnv1a32 "$M")" >/dev/null || nh_fail "no derived link for the 64-byte name"
"$NH" down "$M" || nh_fail "down failed"
nh_no_leftovers "$M"

# name: overrides.
st_conf "$L" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
  name: uplink0
  address4: 192.0.2.61/24
EOF2
"$NH" up "$L" || nh_fail "up with name: failed"
st_assert_addr "$L" uplink0 192.0.2.61/24
# The name changed in the configuration while the link was up: stop still
# deletes the link it started (the "interface" fact remembers it).
sed -i '/name: uplink0/d' "$NH_NSCONF/$L.yaml"
"$NH_RUN" macvlan "$L" stop || nh_fail "macvlan stop after a rename failed"
st_no_link uplink0 "$L"
"$NH" down "$L" || nh_fail "down failed"
st_nothing_left "$L" uplink0
exit 0
