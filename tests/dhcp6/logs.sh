#!/bin/sh
# What the dhcp6 stage says (issue 16): one line at info or above per bind
# (naming the address), the state changes at debug level only (seen with
# -v), and the project's version in "netns-helper plugins", as the other
# plugins report it.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp6/common.sh"
d6_setup
nh_require_cmd dnsmasq
[ "$NH_DHCP6_IMPL" = dhcp6 ] || nh_skip "native dhcp6 client only"
d6_dnsmasq

# --- the version ------------------------------------------------------------
v=$("$NH" plugins | awk '$1 == "dhcp6" { print $3 }')
mv=$("$NH" plugins | awk '$1 == "macvlan" { print $3 }')
[ -n "$mv" ] || nh_fail "netns-helper plugins lists no macvlan: $("$NH" plugins)"
nh_assert_eq "$v" "$mv" "version of the dhcp6 plugin (the project's, as macvlan reports it)"

# --- one line per bind --------------------------------------------------------
A=$(nh_ns a)
nh_defer "'$NH' down '$A'"
d6_conf "$A" 41
"$NH" up "$A" 2>"$NH_T/up.err" || nh_fail "netns-helper up $A failed: $(cat "$NH_T/up.err")"
d6_assert_pool "$A" "nm_$A" 100 200
# Lines of the dhcp6 stage at priority 0-6 (<N> prefixes: syslog levels).
lines=$(grep -E '^<[0-6]>dhcp6\[' "$NH_T/up.err")
nh_log "dhcp6 said: $lines"
nh_assert_eq "$(printf '%s\n' "$lines" | grep -c .)" 1 "lines at info or above from dhcp6 for one bind"
nh_assert_match "$lines" "$D6_ADDR" "the bind line names the address"
"$NH" down "$A" 2>"$NH_T/down.err" || nh_fail "netns-helper down $A failed"

# --- the state changes at debug ------------------------------------------------
"$NH" -v up "$A" 2>"$NH_T/up-v.err" || nh_fail "netns-helper -v up $A failed: $(cat "$NH_T/up-v.err")"
nh_assert_match "$(grep -E '^<7>dhcp6\[' "$NH_T/up-v.err")" "state .*BOUND" "the state change to BOUND at debug"
! grep -E '^<[0-6]>dhcp6\[.*state ' "$NH_T/up-v.err" || nh_fail "a state change above debug level"
"$NH" down "$A" || nh_fail "netns-helper down $A failed"
exit 0
