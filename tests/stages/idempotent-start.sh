#!/bin/sh
# Starting what is up already keeps it: a second "up", or a stage's start
# run again (a unit restarted), leaves a macvlan and a veth that are as
# configured in place (same ifindex: the lease and connections on them
# survive), and replaces a link only when it differs from the file.  And
# every stage refuses a file that does not validate as a whole (issue 16:
# "netns-helper-run veth NS check" said 0 where "netns-helper check" said 3).
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/stages/common.sh"
st_setup
[ -f "$NH_BUILDDIR/plugins/veth/.libs/veth.so" ] || nh_skip "plugin veth.so is not built"

st_ns NS i
IF="nm_$NS"
VH="nh${NH_ID}vh"
nh_defer "ip link delete '$VH'"
conf() {
        st_conf "$NS" <<EOF2
stages: [netns, macvlan, veth]
macvlan:
  parent: $PARENT
  address4: 192.0.2.60/24
  gateway4: 192.0.2.1
$1
veth:
  host-name: $VH
  name: vn0
  host-address4: 10.251.0.1/30
  address4: 10.251.0.2/30
EOF2
}
conf ""

ifindex() { ip ${2:+-n "$2"} -j link show dev "$1" | jq -r '.[0].ifindex'; }

nh_expect_exit 0 "$NH" up "$NS"
mv=$(ifindex "$IF" "$NS")
vh=$(ifindex "$VH")
[ -n "$mv" ] && [ "$mv" != null ] && [ -n "$vh" ] && [ "$vh" != null ] || nh_fail "no links after up"

nh_expect_exit 0 "$NH" up "$NS"
nh_assert_eq "$(ifindex "$IF" "$NS")" "$mv" "macvlan ifindex after a second up (replaced?)"
nh_assert_eq "$(ifindex "$VH")" "$vh" "veth ifindex after a second up"
nh_expect_exit 0 "$NH" check "$NS"

for s in macvlan veth; do
        nh_expect_exit 0 "$NH_RUN" "$s" "$NS" start
done
nh_assert_eq "$(ifindex "$IF" "$NS")" "$mv" "macvlan ifindex after netns-helper-run macvlan start"
nh_assert_eq "$(ifindex "$VH")" "$vh" "veth ifindex after netns-helper-run veth start"
nh_assert_eq "$(ip -n "$NS" -o link show | grep -c "$IF@")" 1 "macvlan links"
st_assert_addr "$NS" "$IF" 192.0.2.60/24
nh_expect_exit 0 "$NH" check "$NS"

# Part of it gone: up completes it, the rest stays.
ip -n "$NS" addr del 192.0.2.60/24 dev "$IF"
nh_expect_exit 5 "$NH" check "$NS"
nh_expect_exit 0 "$NH" up "$NS"
st_assert_addr "$NS" "$IF" 192.0.2.60/24
nh_assert_eq "$(ifindex "$VH")" "$vh" "veth ifindex after up completed the macvlan"
nh_expect_exit 0 "$NH" check "$NS"

# A typo in the macvlan section: every stage refuses, not only macvlan.
conf "  adress6: 2001:db8::1/64"
nh_expect_exit 3 "$NH" check "$NS"
for s in netns macvlan veth; do
        for v in check start; do
                nh_expect_exit 3 "$NH_RUN" "$s" "$NS" "$v"
                nh_assert_match "$NH_ERR" "macvlan.adress6: unknown key" "netns-helper-run $s $v names the typo"
        done
done
conf ""
nh_expect_exit 0 "$NH" down "$NS"
st_nothing_left "$NS" "$IF"
! ip link show dev "$VH" >/dev/null 2>&1 || nh_fail "veth $VH left after down"
exit 0
