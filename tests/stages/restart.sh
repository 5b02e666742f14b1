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
# The blocker must be up to hold the MAC: setting it up meets the same
# EADDRINUSE while the link of the last loop's namespace still dies, and
# a blocker left down let "up" succeed once that one was gone (a CI run:
# "exited 0, expected 1 ... came up after 5 tries").  Like the stage, it
# waits for the dying link, bounded.
st_ns O o
ip netns add "$O"
ip link add "nht${NH_ID}o" link "$PARENT" address "$MAC" type macvlan mode bridge
nh_defer "ip link delete nht${NH_ID}o"
ip link set "nht${NH_ID}o" netns "$O"
i=0
until ip -n "$O" link set "nht${NH_ID}o" up 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 100 ] || nh_fail "the blocking macvlan with $MAC cannot be set up: $(ip -n "$O" link set "nht${NH_ID}o" up 2>&1)"
        sleep 0.05
done
ip -n "$O" -j link show dev "nht${NH_ID}o" | jq -e '.[0].flags | index("UP")' >/dev/null ||
        nh_fail "the blocking macvlan with $MAC is not up"
sed -i '/^macvlan:/a\  wait-dying: 200' "$NH_NSCONF/$NS.yaml"
nh_expect_exit 1 "$NH" up "$NS"
nh_assert_match "$NH_ERR" "$MAC" "the error names the MAC"
nh_assert_match "$NH_ERR" "$PARENT" "the error names the parent"
nh_assert_match "$NH_ERR" "wait-dying" "the error says what to do"
st_nothing_left "$NS" "$IF"
ip netns delete "$O"
exit 0
