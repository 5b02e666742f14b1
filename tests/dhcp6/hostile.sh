#!/bin/sh
# Strings from the network are hostile: a fake DHCPv6 server hands out a
# domain list with shell metacharacters, a newline, an over-long name and
# a compression pointer next to one good name.  Only the good name reaches
# the namespace's resolv.conf; the lease still works.  (dnsmasq refuses to
# send such names, hence tests/dhcp6/fake-server.py.)
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp6/common.sh"
d6_setup
nh_require_cmd python3
long=$(printf 'a%.0s' $(seq 1 60))
d6_wait_ll "$SRV" "$PEER"
ip netns exec "$SRV" python3 "$NH_SRCDIR/tests/dhcp6/fake-server.py" "$PEER" fd88::bad >"$NH_T/fake.out" 2>&1 &
FAKE_PID=$!
nh_defer "kill $FAKE_PID"
for i in $(seq 1 100); do grep -q ready "$NH_T/fake.out" && break; sleep 0.02; done
grep -q ready "$NH_T/fake.out" || nh_fail "the fake server did not start: $(cat "$NH_T/fake.out")"

A=$(nh_ns a)
nh_defer "'$NH' down '$A'"
d6_conf "$A" 0e
"$NH" up "$A" 2>"$NH_T/up.err" || nh_fail "netns-helper up $A failed: $(cat "$NH_T/up.err")"
nh_assert_eq "$(d6_addr "$A" "nm_$A")" fd88::bad "the address from the fake server"
R="$NETNS_HELPER_ETC_NETNS/$A/resolv.conf"
grep -q "^nameserver fd88::53$" "$R" 2>/dev/null || nh_fail "$R lacks the name server: $(cat "$R" 2>/dev/null)"
# The native client keeps the good name of the list; ISC dhclient drops
# the whole malformed option, which is safe too.
[ "$NH_DHCP6_IMPL" != dhcp6 ] || d6_assert_resolv "$A" fd88::53 good.example
! grep -q '[;$`]' "$R" || nh_fail "a hostile domain reached $R: $(cat "$R")"
! grep -q "$long" "$R" || nh_fail "the over-long name reached $R"
# No raw metacharacters in the log either (it names what it dropped).
for bad in 'bad;rm' 'x$(id)' 'a`b'; do
        ! grep -qF "$bad" "$NH_T/up.err" || nh_fail "the hostile name $bad was logged unescaped: $(cat "$NH_T/up.err")"
done
d6_assert_host_resolv
"$NH" down "$A" || nh_fail "netns-helper down $A failed"
exit 0
