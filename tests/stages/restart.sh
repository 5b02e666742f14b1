#!/bin/sh
# A fast stop/start with the same MAC: deleting a namespace destroys its
# macvlan asynchronously, and setting the new one up fails with EADDRINUSE
# until the old one is gone.  The stage waits for it (bounded): 20 restarts
# in a row must all succeed, stage by stage and with up/down.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/stages/common.sh"
st_setup

st_ns NS r
IF="nm_$NS"
MAC=02:5e:30:00:00:01
st_conf "$NS" <<EOF2
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
  mac: $MAC
  address4: 192.0.2.40/24
  gateway4: 192.0.2.1
EOF2

i=0
while [ $i -lt 20 ]; do
        i=$((i + 1))
        st_up_stages "$NS" netns macvlan
        st_assert_macvlan "$NS" "$IF" "$MAC" bridge
        st_down_stages "$NS" macvlan netns
        st_nothing_left "$NS" "$IF"
done

# The namespace deleted under the link (netns stop first, as after a crash
# of the macvlan unit): the link dies with it, asynchronously.
i=0
while [ $i -lt 20 ]; do
        i=$((i + 1))
        "$NH" up "$NS" || nh_fail "up #$i failed"
        st_assert_macvlan "$NS" "$IF" "$MAC" bridge
        st_assert_addr "$NS" "$IF" 192.0.2.40/24
        "$NH_RUN" netns "$NS" stop || nh_fail "netns stop #$i failed"
done
"$NH" down "$NS" || nh_fail "down failed"
st_nothing_left "$NS" "$IF"

# A MAC that stays in use (another live macvlan on the parent has it):
# bounded wait, then a clear error naming the MAC and the parent, no link.
st_ns O o
ip netns add "$O"
ip link add "nht${NH_ID}o" link "$PARENT" address "$MAC" type macvlan mode bridge
nh_defer "ip link delete nht${NH_ID}o"
ip link set "nht${NH_ID}o" netns "$O"
ip -n "$O" link set "nht${NH_ID}o" up
sed -i '/^macvlan:/a\  wait-dying: 200' "$NH_NSCONF/$NS.yaml"
nh_expect_exit 1 "$NH" up "$NS"
nh_assert_match "$NH_ERR" "$MAC" "the error names the MAC"
nh_assert_match "$NH_ERR" "$PARENT" "the error names the parent"
nh_assert_match "$NH_ERR" "wait-dying" "the error says what to do"
st_nothing_left "$NS" "$IF"
ip netns delete "$O"
exit 0
