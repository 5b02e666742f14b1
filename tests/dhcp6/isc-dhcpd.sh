#!/bin/sh
# DHCPv6 against ISC dhcpd -6 (no rapid commit: SOLICIT, ADVERTISE,
# REQUEST, REPLY) with a short lease (preferred 6 s, valid 10 s, T1 3 s):
# the address, resolv.conf, a renewal seen in the kernel's lifetimes and
# the server's lease file, expiry while the server is away and a new lease
# once it is back, RELEASE on "down" (the lease file says "released").
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp6/common.sh"
d6_setup
d6_dhcpd 6 10

A=$(nh_ns a)
nh_defer "'$NH' down '$A'"
d6_conf "$A" 03
"$NH" up "$A" || nh_fail "netns-helper up $A failed"
d6_assert_pool "$A" "nm_$A" 300 3ff
nh_log "$A bound $D6_ADDR"
d6_assert_resolv "$A" fd88::54 isc.nht.example
d6_assert_host_resolv

valid_left() {
        ip -n "$A" -6 -j addr show dev "nm_$A" scope global |
                jq -r --arg a "$1" '.[0].addr_info[]? | select(.local == $a) | .valid_life_time'
}

# Renewal at T1 (3 s): 5 s after binding, a lease that was not renewed would
# have at most 5 s of its 10 s left in the kernel.
sleep 5
left=$(valid_left "$D6_ADDR")
[ -n "$left" ] || nh_fail "$D6_ADDR is gone 5 s after binding (no renewal)"
[ "$left" -gt 5 ] || nh_fail "$D6_ADDR has $left s left 5 s after binding: not renewed"
n=$(grep -c "iaaddr $D6_ADDR " "$DHCPD_LEASES")
[ "$n" -ge 2 ] || nh_fail "dhcpd's lease file shows no renewal of $D6_ADDR: $(cat "$DHCPD_LEASES")"

# The server goes away: the address expires (10 s valid) and goes.
kill "$DHCPD_PID"
wait "$DHCPD_PID" 2>/dev/null
for i in $(seq 1 300); do
        [ -z "$(d6_addr "$A" "nm_$A")" ] && break
        sleep 0.05
done
[ -z "$(d6_addr "$A" "nm_$A")" ] || nh_fail "the address outlived its lease with the server gone"
! grep -qs "fd88::54" "$NETNS_HELPER_ETC_NETNS/$A/resolv.conf" ||
        nh_fail "resolv.conf still names the DHCPv6 server after the lease expired"

# The server comes back: a lease again, without restarting the client.
d6_dhcpd 6 10
for i in $(seq 1 800); do
        [ -n "$(d6_addr "$A" "nm_$A")" ] && break
        sleep 0.05
done
d6_assert_pool "$A" "nm_$A" 300 3ff
d6_assert_resolv "$A" fd88::54 isc.nht.example

"$NH" down "$A" || nh_fail "netns-helper down $A failed"
nh_no_leftovers "$A"
for i in $(seq 1 40); do
        awk -v a="$D6_ADDR" '$1 == "iaaddr" { cur = $2 } $0 ~ /binding state/ && cur == a { s = $3 } END { print s }' \
                "$DHCPD_LEASES" | grep -q '^released;' && break
        sleep 0.05
done
awk -v a="$D6_ADDR" '$1 == "iaaddr" { cur = $2 } $0 ~ /binding state/ && cur == a { s = $3 } END { print s }' \
        "$DHCPD_LEASES" | grep -q '^released;' ||
        nh_fail "dhcpd's lease file does not show $D6_ADDR released: $(tail -12 "$DHCPD_LEASES")"
d6_assert_host_resolv
exit 0
