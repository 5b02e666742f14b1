#!/bin/sh
# A hostile server (fake-server.py): its domain name carries a newline and a
# "nameserver" line, its search list labels with ';', a newline and a NUL,
# next to good names.  The lease is taken, the good names are used, and no
# injected text reaches resolv.conf or a log line; the host's resolv.conf is
# untouched.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp4/common.sh"
nh_require_cmd python3
d4_setup

NS=$(nh_ns c)
d4_hostile_up "$NS"
R="$NETNS_HELPER_ETC_NETNS/$NS/resolv.conf"
[ -f "$R" ] || nh_fail "no $R"
nh_assert_match "$(cat "$R")" '^nameserver 10\.88\.0\.53$' "the real name server"
nh_assert_match "$(cat "$R")" '^search .*good\.test' "the good search domain"
nh_assert_no_match "$(cat "$R")" '6\.6\.6\.6|evil|bad|;|nul' "injected text in resolv.conf"
nh_assert_eq "$(grep -c '^nameserver' "$R")" 1 "nameserver lines"
! grep -q '^nameserver 6\.6\.6\.6' "$NH_T/run.$NS.log" || nh_fail "an injected line reached the log unescaped"
! grep -q 'rm -rf' "$NH_T/run.$NS.log" || nh_fail "the hostile host name reached the log"
cat "$NH_T/run.$NS.log" >&2
d4_run_stop
"$NH_RUN" macvlan "$NS" stop
"$NH_RUN" netns "$NS" stop
d4_host_resolv_unchanged
exit 0
