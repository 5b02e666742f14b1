#!/bin/sh
# No DHCP server: start fails after 'timeout' seconds with a non-zero exit
# and an error naming the interface, and leaves no address, DNS or facts;
# "netns-helper up" fails too and takes the namespace down again.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp4/common.sh"
d4_setup

NS=$(nh_ns c)
IF="nm_$NS"
D4_TIMEOUT=2 d4_conf "$NS"
"$NH_RUN" netns "$NS" start || nh_fail "netns start"
"$NH_RUN" macvlan "$NS" start || nh_fail "macvlan start"
rc=0
"$NH_RUN" dhcp4 "$NS" start >"$NH_T/out" 2>"$NH_T/err" </dev/null || rc=$?
[ "$rc" != 0 ] || nh_fail "dhcp4 start without a server exited 0"
nh_assert_match "$(cat "$NH_T/err")" "$IF" "the error names the interface"
cat "$NH_T/err" >&2
[ -z "$(d4_addr "$NS" "$IF")" ] || nh_fail "an address appeared without a server"
[ -z "$(d4_fact "$NS" dhcp4.address)" ] || nh_fail "fact dhcp4.address without a lease"
[ ! -e "$NETNS_HELPER_ETC_NETNS/$NS/resolv.conf" ] || nh_fail "resolv.conf without a lease"
"$NH_RUN" macvlan "$NS" stop
"$NH_RUN" netns "$NS" stop
# stop with the namespace gone still succeeds (idempotent).
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" stop

rc=0
"$NH" up "$NS" >"$NH_T/out" 2>"$NH_T/err" </dev/null || rc=$?
[ "$rc" != 0 ] || nh_fail "netns-helper up without a DHCP server exited 0"
nh_no_leftovers "$NS"
d4_host_resolv_unchanged
exit 0
