#!/bin/sh
# Address conflict detection (issue 11, RFC 5227), native client against
# dnsmasq: another host on the LAN holds the address dnsmasq reserves for
# the client's MAC (dhcp-host), so it is offered first.
# - conflict-detection: no (what the client did before): the taken address
#   is configured;
# - default (fast): the client probes, declines it (dnsmasq logs the
#   DHCPDECLINE), starts over and ends bound to a free address from the
#   range; "check" says 0; the holder's address is never on our link;
# - after binding, the client announces its address twice (RFC 5227
#   2.3), seen by a capture in the holder that runs from before the start;
# - a host that later claims our address is defended once (one more
#   announcement from us, counted past the two of the binding, so that the
#   second of those is not taken for a defence); a second claim within
#   10 s gives the lease up (DHCPDECLINE) and the client takes a lease
#   again.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp4/common.sh"
nh_require_cmd dnsmasq
d4_native_setup
TAKEN=10.88.0.150
d4_ns_up "$NS" "conflict-detection: no"
MAC=$(cat "$NETNS_HELPER_RUNDIR/$NS/facts/mac")

# The holder: another host on the same LAN (a macvlan on the same parent).
HOLDER=$(nh_ns h)
HOLDER_IF="nh${NH_ID}ho"
nh_defer "ip netns delete '$HOLDER'"
ip netns add "$HOLDER" || nh_fail "cannot create $HOLDER"
ip link add link "$PARENT" name "$HOLDER_IF" type macvlan mode bridge || nh_fail "cannot create $HOLDER_IF"
ip link set "$HOLDER_IF" netns "$HOLDER" || nh_fail "cannot move $HOLDER_IF"
ip -n "$HOLDER" addr add "$TAKEN/24" dev "$HOLDER_IF"
ip -n "$HOLDER" link set "$HOLDER_IF" up

d4_dnsmasq --dhcp-range=10.88.0.100,10.88.0.140,255.255.255.0,2m --dhcp-host="$MAC,$TAKEN"

# Without detection the client takes the address the other host holds.
d4_run_start "$NS"
nh_assert_eq "$(d4_addr "$NS" "$IF")" "$TAKEN/24" "without conflict detection, the taken address"
d4_run_stop
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" stop

# With it (the default): declined, then a free address.  The capture sees
# every gratuitous ARP from our MAC (sender address = target address: the
# announcements and a defence); the probes (sender 0.0.0.0) do not match.
d4_conf "$NS"
: >"$NH_T/run.$NS.log"
GARP="$NH_T/garp.txt"
if command -v tcpdump >/dev/null 2>&1; then
        ip netns exec "$HOLDER" tcpdump -l -n -i "$HOLDER_IF" "arp and ether src $MAC and arp[14:4] = arp[24:4]" \
                >"$GARP" 2>"$NH_T/tcpdump.err" &
        TD=$!
        nh_defer "kill $TD"
        d4_wait 5 "grep -q 'listening on' '$NH_T/tcpdump.err'" || nh_fail "tcpdump did not start: $(cat "$NH_T/tcpdump.err")"
fi
garps() { grep -c . "$GARP"; }
d4_run_start "$NS"
A=$(d4_assert_lease "$NS" "$IF" 10.88.0)
[ "$A" != "$TAKEN/24" ] || nh_fail "bound to $TAKEN, which another host holds"
nh_assert_match "$A" '^10\.88\.0\.(1[0-3][0-9]|140)/24$' "a free address from the range"
grep -q "DHCPDECLINE.*$TAKEN" "$NH_T/dnsmasq.log" || nh_fail "dnsmasq logged no DHCPDECLINE of $TAKEN: $(grep -i decline "$NH_T/dnsmasq.log")"
nh_assert_match "$(cat "$NH_T/run.$NS.log")" "$TAKEN is in use by another host" "the client says why it declined"
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" check
ip netns exec "$NS" ping -c1 -W3 "$TAKEN" >/dev/null || nh_fail "the holder of $TAKEN is not reachable from $NS"

# A host that claims our address later: one defence (a gratuitous ARP from
# our MAC for our address, past the two announcements of the binding).
if [ -n "${TD:-}" ]; then
        d4_wait 10 "[ \$(garps) -ge 2 ]" || nh_fail "not two announcements of ${A%/*} after binding: $(cat "$GARP")"
        nh_assert_eq "$(grep -c "who-has ${A%/*} tell ${A%/*}," "$GARP")" 2 "announcements of ${A%/*} after binding"
        # A gratuitous ARP request from the holder for our address.
        claim() {
                ip netns exec "$HOLDER" python3 -c '
import socket, sys
ifname, ip = sys.argv[1], socket.inet_aton(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifname, 0))
mac = s.getsockname()[4]
s.send(b"\xff" * 6 + mac + b"\x08\x06" + b"\x00\x01\x08\x00\x06\x04\x00\x01" + mac + ip + b"\0" * 6 + ip)
' "$HOLDER_IF" "$1" || nh_fail "cannot send the conflicting ARP"
        }
        claim "${A%/*}"
        d4_wait 5 "[ \$(garps) -ge 3 ]" || nh_fail "no defending announcement from $MAC: $(cat "$GARP")"
        kill -0 "$D4_RUN_PID" || nh_fail "the client exited after one conflict"
        nh_assert_eq "$(d4_addr "$NS" "$IF")" "$A" "the defended address is kept"
        # A second claim within 10 s: the lease is declined and the client
        # starts over (RFC 5227 2.4 (b)), and is bound again.
        claim "${A%/*}"
        d4_wait 5 "grep -q 'DHCPDECLINE.*${A%/*}' '$NH_T/dnsmasq.log'" ||
                nh_fail "no DHCPDECLINE of ${A%/*} after a second conflict"
        nh_assert_match "$(cat "$NH_T/run.$NS.log" "$NETNS_HELPER_RUNDIR/$NS/dhcp4.log" 2>/dev/null)" \
                "second conflict" "the log says why the lease was given up"
        d4_wait 10 "[ -n \"\$(d4_addr '$NS' '$IF')\" ]" || nh_fail "no lease again after giving one up"
        kill -0 "$D4_RUN_PID" || nh_fail "the client exited after giving the lease up"
else
        nh_log "no tcpdump: the defence is covered by the unit tests only"
fi
d4_run_stop
nh_expect_exit 0 "$NH_RUN" dhcp4 "$NS" stop
d4_ns_down "$NS"
nh_no_leftovers "$NS"
exit 0
