#!/bin/sh
# The netns stage: a named namespace that "ip netns" sees and enters, lo up,
# idempotent start and stop, check, and refusal of what is not a namespace.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/stages/common.sh"
st_setup

st_ns NS n
st_conf "$NS" <<EOF2
stages: [netns]
EOF2

"$NH_RUN" netns "$NS" start || nh_fail "netns start failed"
ip netns list | grep -qw -- "$NS" || nh_fail "ip netns list does not show $NS"
ip netns exec "$NS" true || nh_fail "ip netns exec $NS true failed"
grep -q " /run/netns/$NS .* - nsfs " /proc/self/mountinfo || nh_fail "/run/netns/$NS is not an nsfs mount"
# /run/netns is a shared mount point, as iproute2 makes it.
grep -E " /run/netns .*shared:" /proc/self/mountinfo >/dev/null || nh_fail "/run/netns is not a shared mount"
nh_assert_match "$(ip -n "$NS" -j link show lo | jq -r '.[0].flags | join(",")')" '(^|,)UP(,|$)' "lo inside $NS"
ino=$(ip netns exec "$NS" stat -L -c %i /proc/self/ns/net)
[ "$ino" != "$(stat -L -c %i /proc/self/ns/net)" ] || nh_fail "$NS is the host's namespace"

# Starting again keeps the same namespace.
"$NH_RUN" netns "$NS" start || nh_fail "second netns start failed"
nh_assert_eq "$(ip netns exec "$NS" stat -L -c %i /proc/self/ns/net)" "$ino" "namespace inode after a second start"
nh_expect_exit 0 "$NH_RUN" netns "$NS" check

# check sees lo down.
ip -n "$NS" link set lo down
nh_expect_exit 5 "$NH_RUN" netns "$NS" check
nh_assert_match "$NH_ERR" "lo is down" "check message"
ip -n "$NS" link set lo up

"$NH_RUN" netns "$NS" stop || nh_fail "netns stop failed"
st_nothing_left "$NS" "nm_$NS"
nh_expect_exit 0 "$NH_RUN" netns "$NS" stop
nh_expect_exit 5 "$NH_RUN" netns "$NS" check

# A plain file or a directory at /run/netns/NAME is not a namespace: refused,
# named, and left alone.
st_ns F f
st_conf "$F" <<EOF2
stages: [netns]
EOF2
nh_defer "rm -rf '/run/netns/$F'"
echo data >"/run/netns/$F"
nh_expect_exit 1 "$NH_RUN" netns "$F" start
nh_assert_match "$NH_ERR" "/run/netns/$F is a regular file, not a network namespace" "refusal of a plain file"
nh_assert_match "$NH_ERR" "Remove it" "what to do"
nh_assert_eq "$(cat "/run/netns/$F")" data "the file is untouched"
! grep -q " /run/netns/$F " /proc/self/mountinfo || nh_fail "something was mounted on /run/netns/$F"
rm -f "/run/netns/$F"
mkdir "/run/netns/$F"
nh_expect_exit 1 "$NH_RUN" netns "$F" start
nh_assert_match "$NH_ERR" "is a directory, not a network namespace" "refusal of a directory"
rmdir "/run/netns/$F"

# Another kind of namespace bind-mounted there is not a network namespace.
: >"/run/netns/$F"
mount --bind /proc/self/ns/uts "/run/netns/$F" || nh_fail "cannot bind a UTS namespace on /run/netns/$F"
nh_defer "umount -l '/run/netns/$F'"
nh_expect_exit 1 "$NH_RUN" netns "$F" start
nh_assert_match "$NH_ERR" "another kind of namespace" "refusal of a UTS namespace"
nh_expect_exit 5 "$NH_RUN" netns "$F" check
nh_expect_exit 0 "$NH_RUN" netns "$F" stop
grep -q " /run/netns/$F " /proc/self/mountinfo || nh_fail "stop removed a namespace that is not ours"
umount "/run/netns/$F"
rm -f "/run/netns/$F"

# A namespace made by ip netns add is taken as it is, and stop removes it
# even when it was bind-mounted there twice.
ip netns add "$F"
nh_expect_exit 0 "$NH_RUN" netns "$F" start
nh_expect_exit 0 "$NH_RUN" netns "$F" check
mount --bind "/run/netns/$F" "/run/netns/$F"
"$NH_RUN" netns "$F" stop || nh_fail "stop of an ip-netns-add namespace failed"
nh_no_leftovers "$F"
exit 0
