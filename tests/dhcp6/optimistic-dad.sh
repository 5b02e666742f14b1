#!/bin/sh
# IPv6 at once on a fresh link (issue 11): the links netns-helper makes
# (macvlan, the namespace end of a veth) come up with optimistic DAD
# (RFC 4429), so their link-local address is usable while DAD runs, and the
# DHCPv6 client solicits from it at once instead of waiting for DAD.
#
# No timing: DAD is made to last about 30 s here (dad_transmits 30 through
# the macvlan's own "sysctl:" key, written before the link comes up), the
# dhcp6 stage gets a 10 s timeout, and the assertions are that the lease is
# bound while the link-local address is still optimistic, that dnsmasq
# answered, and the flags read back with "ip -6 addr".
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp6/common.sh"
d6_setup
nh_require_cmd dnsmasq
d6_dnsmasq

# ll_flags NS IF: the flags of IF's link-local address, e.g. "optimistic tentative".
ll_flags() {
        ip -n "$1" -6 -j addr show dev "$2" scope link |
                jq -r '[.[0].addr_info[] | select(.local)][0] | [ (if .optimistic then "optimistic" else empty end),
                                             (if .tentative then "tentative" else empty end) ] | join(" ")'
}
# (ip -j prints an empty {} for each address the scope filter leaves out.)
ll_addr() { ip -n "$1" -6 -j addr show dev "$2" scope link | jq -r '[.[0].addr_info[] | select(.local)][0].local'; }

# --- the macvlan under "netns-helper up": v4-less, macvlan + dhcp6 --------
A=$(nh_ns a)
nh_defer "'$NH' down '$A'"
D6_TIMEOUT=10 d6_conf "$A" 31
# dad_transmits belongs to the macvlan section; d6_conf wrote it last.
sed -i "s|^macvlan:|macvlan:\n  sysctl: {net.ipv6.conf.nm_$A.dad_transmits: 30}|" "$NH_NSCONF/$A.yaml"
"$NH" up "$A" 2>"$NH_T/up-a.err" ||
        nh_fail "netns-helper up $A failed (the DHCPv6 client waited for DAD?): $(cat "$NH_T/up-a.err")"
d6_assert_pool "$A" "nm_$A" 100 200
F=$(ll_flags "$A" "nm_$A")
nh_log "$A bound $D6_ADDR; link-local $(ll_addr "$A" "nm_$A") is: $F"
nh_assert_eq "$F" "optimistic tentative" "link-local address of nm_$A right after up (still in DAD)"
for k in optimistic_dad use_optimistic; do
        nh_assert_eq "$(ip netns exec "$A" cat "/proc/sys/net/ipv6/conf/nm_$A/$k")" 1 "$k of nm_$A"
done
# The server answered that exchange (rapid commit: SOLICIT, REPLY).
grep -q "DHCPREPLY($PEER) $D6_ADDR " "$DNSMASQ_LOG" ||
        nh_fail "dnsmasq's log has no REPLY with $D6_ADDR: $(tail -20 "$DNSMASQ_LOG")"
"$NH" down "$A" || nh_fail "netns-helper down $A failed"

# --- an administrator's "sysctl:" still wins over the default --------------
B=$(nh_ns b)
nh_defer "'$NH' down '$B'"
cat >"$NH_NSCONF/$B.yaml" <<EOF
stages: [netns, macvlan]
macvlan:
  parent: $PARENT
  mac: 02:d6:00:00:00:32
  sysctl: {net.ipv6.conf.nm_$B.optimistic_dad: 0}
EOF
"$NH" up "$B" || nh_fail "netns-helper up $B failed"
nh_assert_eq "$(ip netns exec "$B" cat "/proc/sys/net/ipv6/conf/nm_$B/optimistic_dad")" 0 \
        "optimistic_dad of nm_$B with sysctl: optimistic_dad: 0"
"$NH" down "$B" || nh_fail "netns-helper down $B failed"

# --- the namespace end of a veth --------------------------------------------
if [ -f "$NH_BUILDDIR/plugins/veth/.libs/veth.so" ]; then
        C=$(nh_ns c)
        nh_defer "'$NH' down '$C'"
        cat >"$NH_NSCONF/$C.yaml" <<EOF
stages: [netns, veth]
veth:
  name: ve$NH_ID
  host-name: vh$NH_ID
EOF
        "$NH" up "$C" 2>"$NH_T/up-c.err" || nh_fail "netns-helper up $C failed: $(cat "$NH_T/up-c.err")"
        nh_assert_eq "$(ip netns exec "$C" cat "/proc/sys/net/ipv6/conf/ve$NH_ID/optimistic_dad")" 1 \
                "optimistic_dad of the namespace end ve$NH_ID"
        nh_assert_eq "$(ip netns exec "$C" cat "/proc/sys/net/ipv6/conf/ve$NH_ID/use_optimistic")" 1 \
                "use_optimistic of the namespace end ve$NH_ID"
        "$NH" down "$C" || nh_fail "netns-helper down $C failed"
else
        nh_log "veth plugin not built: its part skipped"
fi
d6_assert_host_resolv
exit 0
