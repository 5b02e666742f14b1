#!/bin/sh
# The DHCPv4 client that "up" leaves running keeps nothing of its caller's:
# "netns-helper up NS | cat" (stdout and stderr into the pipe) and
# "flock LOCK netns-helper up NS" return, and the lock is free again, while
# the client runs on (issue 13: both used to hang until "down").
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp4/common.sh"
d4_setup
nh_require_cmd dnsmasq flock timeout
d4_dnsmasq --dhcp-range=10.88.0.50,10.88.0.99,255.255.255.0,1h

NS=$(nh_ns p)
d4_conf "$NS"
IF="nm_$NS"

rc=0
timeout 60 sh -c "'$NH' up '$NS' 2>&1 | cat >'$NH_T/up.out'" || rc=$?
nh_assert_eq "$rc" 0 "netns-helper up 2>&1 | cat (124: the pipe stayed open)"
[ -e "/run/netns/$NS" ] || nh_fail "up | cat did not bring $NS up: $(cat "$NH_T/up.out")"
d4_assert_lease "$NS" "$IF" 10.88.0 >/dev/null
nh_expect_exit 0 "$NH" down "$NS"

rc=0
timeout 60 flock "$NH_T/lock" "$NH" up "$NS" 2>/dev/null || rc=$?
nh_assert_eq "$rc" 0 "flock LOCK netns-helper up"
flock -n "$NH_T/lock" true || nh_fail "the lock taken by the caller of up is still held after it returned"
d4_assert_lease "$NS" "$IF" 10.88.0 >/dev/null
nh_expect_exit 0 "$NH" down "$NS"
nh_no_leftovers "$NS"
exit 0
