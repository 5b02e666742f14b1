#!/bin/sh
# "down" of many namespaces in one process leaves each macvlan to the
# kernel, which destroys the links of every namespace deleted together in
# one batch (deleting each link first cost 38 ms a namespace).  What must
# still hold: an immediate "up" of the same namespaces with the same MACs
# never fails with EADDRINUSE, and once the kernel is done nothing is left
# (no namespace, no link, no MAC on the parent).
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/stages/common.sh"
st_setup
nh_require_cmd bridge

N=50
NAMES=""
i=1
while [ $i -le $N ]; do
        st_ns ns "d$i"
        NAMES="$NAMES $ns"
        st_conf "$ns" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
  mac: 02:5e:31:00:00:$(printf '%02x' $i)
  address4: 192.0.2.$i/24
  gateway4: 192.0.2.254
EOF2
        i=$((i + 1))
done

# Our MACs in the parent's unicast list (bridge fdb): the kernel keeps a
# macvlan's MAC there while the link is up, in whatever namespace.
macs_on_parent() { bridge fdb show dev "$PARENT" | grep -c '^02:5e:31:00:00:' || true; }

# Every link up with its MAC on the parent (one fdb read for all), and the
# whole configuration read back from the first, one in the middle and the
# last.
assert_all_up() {
        nh_assert_eq "$(macs_on_parent)" "$N" "MACs of up links on $PARENT"
        for i in 1 $((N / 2)) $N; do
                ns=nht${NH_ID}d$i
                st_assert_macvlan "$ns" "nm_$ns" "02:5e:31:00:00:$(printf '%02x' $i)" bridge
                st_assert_addr "$ns" "nm_$ns" "192.0.2.$i/24"
                st_assert_default "$ns" 4 192.0.2.254 "nm_$ns"
        done
}

# shellcheck disable=SC2086
"$NH" up $NAMES || nh_fail "up of $N namespaces failed"
assert_all_up

# Three rounds of down and an immediate up of the same namespaces: the old
# links may still be dying when the new ones come up.
round=1
while [ $round -le 3 ]; do
        # shellcheck disable=SC2086
        nh_expect_exit 0 "$NH" down $NAMES
        for ns in $NAMES; do
                nh_no_leftovers "$ns"
        done
        # shellcheck disable=SC2086
        nh_expect_exit 0 "$NH" up $NAMES
        nh_assert_no_match "$NH_ERR" 'in use|EADDRINUSE' "round $round: no MAC in use"
        assert_all_up
        round=$((round + 1))
done

# shellcheck disable=SC2086
nh_expect_exit 0 "$NH" down $NAMES
for ns in $NAMES; do
        nh_no_leftovers "$ns"
done
! ip netns list | grep -q "^nht${NH_ID}d" || nh_fail "ip netns list still shows namespaces of the test"
# The kernel destroys the links shortly after (bounded wait, 10 s).
k=0
while [ "$(macs_on_parent)" != 0 ] && [ $k -lt 100 ]; do
        sleep 0.1
        k=$((k + 1))
done
nh_assert_eq "$(macs_on_parent)" 0 "MACs left on $PARENT after down"

# One stage stopped alone (as systemd stops the macvlan unit) still
# deletes its link at once: the namespace stays.
set -- $NAMES
"$NH_RUN" netns "$1" start && "$NH_RUN" macvlan "$1" start || nh_fail "stage start failed"
"$NH_RUN" macvlan "$1" stop || nh_fail "macvlan stop failed"
[ -e "/run/netns/$1" ] || nh_fail "namespace $1 went with the macvlan stage"
st_no_link "nm_$1" "$1"
"$NH_RUN" netns "$1" stop || nh_fail "netns stop failed"
st_nothing_left "$1" "nm_$1"
exit 0
