#!/bin/sh
# tests/dhcp4/fake-server.py (a DHCPv4 server whose domain name carries a
# newline and a "nameserver" line, whose host name carries shell text and
# whose search list has labels with ';', a newline and a NUL) against the
# dhclient4 stage.  tests/dhcp4/hostile.sh also wants the good names of a
# partly bad search list kept; dhclient itself drops such an option whole
# before the handler sees it, so this test checks only what must hold for
# every implementation: the lease is taken, no injected text reaches
# resolv.conf or starts a log line, the host's resolv.conf is untouched.
. "$NH_SRCDIR/tests/lib.sh"
[ -f "$NH_SRCDIR/tests/dhcp4/fake-server.py" ] && [ -f "$NH_SRCDIR/tests/dhcp4/common.sh" ] ||
        nh_skip "tests/dhcp4/fake-server.py is not in this tree yet"
[ -f "$NH_BUILDDIR/plugins/dhclient/.libs/dhclient4.so" ] || nh_skip "plugin dhclient4.so is not built"
export NH_DHCP4_IMPL=dhclient4
. "$NH_SRCDIR/tests/dhcp4/common.sh"
nh_require_cmd python3 dhclient
d4_setup

NS=$(nh_ns c)
d4_hostile_up "$NS"
R="$NETNS_HELPER_ETC_NETNS/$NS/resolv.conf"
[ -f "$R" ] || nh_fail "no $R"
nh_assert_match "$(cat "$R")" '^nameserver 10\.88\.0\.53$' "the real name server"
nh_assert_no_match "$(cat "$R")" '6\.6\.6\.6|evil|bad|;|nul|rm' "injected text in resolv.conf"
nh_assert_eq "$(grep -c '^nameserver' "$R")" 1 "nameserver lines"
nh_assert_eq "$(grep -vc '^#\|^nameserver\|^search' "$R")" 0 "lines other than comment, nameserver, search"
! grep -q '^nameserver 6\.6\.6\.6' "$NH_T/run.$NS.log" || nh_fail "an injected line reached the log unescaped"
! grep -q 'rm -rf' "$NH_T/run.$NS.log" || nh_fail "the hostile host name reached the log"
cat "$NH_T/run.$NS.log" >&2
d4_run_stop
[ ! -e "$R" ] || nh_fail "$R is still present after stop"
"$NH_RUN" macvlan "$NS" stop
"$NH_RUN" netns "$NS" stop
d4_host_resolv_unchanged
exit 0
