#!/bin/sh
# Behaviour of the native dhcp6 plugin beyond what any implementation must
# do: accept-ra set inside the namespace (and the kernel's RA handling
# giving the default route next to our /128), the address back after the
# link went down and up and confirmed on link (a new lease when it is not),
# the DUID kept in the state
# directory across restarts, and a clear failure with nothing left behind
# when no server answers within "timeout".
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp6/common.sh"
[ "$NH_DHCP6_IMPL" = dhcp6 ] || nh_skip "tests the native dhcp6 plugin only (NH_DHCP6_IMPL=$NH_DHCP6_IMPL)"
d6_setup
[ -f "$NH_BUILDDIR/plugins/dhcp6/.libs/dhcp6.so" ] || nh_skip "plugin dhcp6.so is not built"
nh_require_cmd dnsmasq

# --- no server: fails after "timeout" with a message, leaves no address -----
N=$(nh_ns n)
nh_defer "'$NH' down '$N'"
D6_TIMEOUT=2 d6_conf "$N" 09
"$NH_RUN" netns "$N" start && "$NH_RUN" macvlan "$N" start || nh_fail "cannot bring up $N"
# DAD over first, so the 2 s are spent soliciting.
d6_wait_ll "$N" "nm_$N"
nh_expect_exit 1 "$NH_RUN" dhcp6 "$N" start
nh_assert_match "$NH_ERR" "No DHCPv6 lease on nm_$N within 2 s" "the timeout message"
[ -z "$(d6_addr "$N" "nm_$N")" ] || nh_fail "an address was left on nm_$N"
"$NH" down "$N" || nh_fail "down $N failed"

# --- accept-ra 2, RA from dnsmasq: default route from the kernel ----------
d6_dnsmasq
A=$(nh_ns a)
nh_defer "'$NH' down '$A'"
d6_conf "$A" 0a "accept-ra: 2" "release: no" "nsswitch: yes" "request: [56, 82]"
"$NH" up "$A" || nh_fail "netns-helper up $A failed"
nh_assert_eq "$(ip netns exec "$A" cat "/proc/sys/net/ipv6/conf/nm_$A/accept_ra")" 2 "accept_ra of nm_$A"
d6_assert_pool "$A" "nm_$A" 100 200
FIRST=$D6_ADDR
# Our address is a /128 without a prefix route; the on-link prefix and the
# default route are the kernel's, from dnsmasq's router advertisement.
ip -n "$A" -6 -j route show | jq -e --arg a "$FIRST" 'all(.dst != $a + "/128" or .type == "local")' >/dev/null ||
        nh_fail "a prefix route for $FIRST/128 was added"
for i in $(seq 1 100); do
        ip -n "$A" -6 route show default | grep -q "via fe80::" && break
        sleep 0.05
done
ip -n "$A" -6 route show default | grep -q "via fe80::" ||
        nh_fail "no default route from the RA in $A: $(ip -n "$A" -6 route)"
# The extra option codes went into the Option Request option.
# (dnsmasq splits the list over log lines.)
grep 'requested options' "$DNSMASQ_LOG" | grep -q "56:ntp-server" &&
        grep 'requested options' "$DNSMASQ_LOG" | grep -Eq "(: |, )82" ||
        nh_fail "dnsmasq did not see options 56 and 82 requested: $(grep 'requested options' "$DNSMASQ_LOG")"
# nsswitch: yes: the namespace's nsswitch.conf, "resolve" replaced.
NSS="$NETNS_HELPER_ETC_NETNS/$A/nsswitch.conf"
if [ -f /etc/nsswitch.conf ]; then
        [ -f "$NSS" ] || nh_fail "$NSS was not written"
        ! grep -Eq '^hosts:.*[[:space:]]resolve' "$NSS" || nh_fail "$NSS still uses resolve"
fi
# "ip link set IF down" removes the link's IPv6 addresses; the client puts
# the lease's address back when the link is up again, not at T1.
ip -n "$A" link set "nm_$A" down && ip -n "$A" link set "nm_$A" up || nh_fail "cannot set nm_$A down and up"
for i in $(seq 1 200); do
        [ "$(d6_addr "$A" "nm_$A")" = "$FIRST" ] && break
        sleep 0.05
done
nh_assert_eq "$(d6_addr "$A" "nm_$A")" "$FIRST" "the DHCPv6 address after nm_$A went down and up"
valid=$(ip -n "$A" -6 -j addr show dev "nm_$A" scope global | jq -r '.[0].addr_info[] | select(.prefixlen == 128) | .valid_life_time')
[ "$valid" -gt 0 ] && [ "$valid" -le 3600 ] || nh_fail "the address came back with a valid lifetime of $valid s, not the lease's remainder"
# ... and the client asked whether it is still on link (CONFIRM, RFC 8415
# 18.2.3: the link may have come back on another network); dnsmasq: yes.
for i in $(seq 1 300); do
        grep -q "DHCPREPLY.* $FIRST" "$DNSMASQ_LOG" && grep -q DHCPCONFIRM "$DNSMASQ_LOG" && break
        sleep 0.05
done
grep -q DHCPCONFIRM "$DNSMASQ_LOG" || nh_fail "no DHCPv6 CONFIRM after nm_$A came back: $(tail -5 "$DNSMASQ_LOG")"
! grep -q "confirm failed" "$DNSMASQ_LOG" || nh_fail "dnsmasq refused the confirmation of $FIRST: $(cat "$DNSMASQ_LOG")"
nh_assert_eq "$(d6_addr "$A" "nm_$A")" "$FIRST" "the DHCPv6 address after the CONFIRM"
# check: in step while bound; drift once the address is gone.
nh_expect_exit 0 "$NH" check "$A"
ip -n "$A" addr del "$FIRST/128" dev "nm_$A"
nh_expect_exit 5 "$NH" check "$A"
nh_assert_match "$NH_ERR" "DHCPv6 address $FIRST/128 is missing" "check's message"
DUID=$(od -An -tx1 "$NETNS_HELPER_STATEDIR/$A/duid" | tr -d ' \n')
[ -n "$DUID" ] || nh_fail "no DUID saved in $NETNS_HELPER_STATEDIR/$A/duid"

# --- restart: same DUID, so dnsmasq gives the same address back -----------
# (release: no above, so the server still holds the binding.)
"$NH" down "$A" || nh_fail "down $A failed"
"$NH" up "$A" || nh_fail "second up of $A failed"
nh_assert_eq "$(od -An -tx1 "$NETNS_HELPER_STATEDIR/$A/duid" | tr -d ' \n')" "$DUID" "the DUID after a restart"
d6_assert_pool "$A" "nm_$A" 100 200
nh_assert_eq "$D6_ADDR" "$FIRST" "the address after a restart with the same DUID"
grep -q "$DUID" "$DNSMASQ_LEASES" 2>/dev/null || grep -qi "$(echo "$DUID" | sed 's/../&:/g; s/:$//')" "$DNSMASQ_LEASES" ||
        nh_fail "dnsmasq's lease is not for our DUID $DUID: $(cat "$DNSMASQ_LEASES")"

# --- the link comes back on another network --------------------------------
# A server for another prefix answers the CONFIRM with NotOnLink: the client
# solicits at once and takes an address there; the old one goes.
kill "$DNSMASQ_PID" && wait "$DNSMASQ_PID" 2>/dev/null
ip -n "$SRV" addr add fd89::1/64 dev "$PEER" nodad || nh_fail "cannot give $PEER a second prefix"
D6_RANGE=fd89::100,fd89::200,64,2m d6_dnsmasq
ip -n "$A" link set "nm_$A" down && ip -n "$A" link set "nm_$A" up || nh_fail "cannot set nm_$A down and up"
for i in $(seq 1 300); do
        case $(d6_addr "$A" "nm_$A") in fd89::*) break ;; esac
        sleep 0.05
done
NEW=$(d6_addr "$A" "nm_$A")
case $NEW in
fd89::*) ;;
*) nh_fail "no address from fd89::/64 after nm_$A came back on another network: '$NEW'; $(tail -5 "$DNSMASQ_LOG")" ;;
esac
nh_assert_eq "$(printf '%s\n' "$NEW" | wc -l)" 1 "/128 addresses on nm_$A (the old $FIRST must be gone)"
grep -q "confirm failed" "$DNSMASQ_LOG" || nh_fail "dnsmasq did not refuse $FIRST: $(cat "$DNSMASQ_LOG")"
"$NH" down "$A" || nh_fail "down $A failed"
d6_assert_host_resolv
exit 0
