#!/bin/sh
# The slaac stage against radvd (Debian's) in a test namespace that plays
# the LAN's router: a prefix, two RDNSS servers (one with a short lifetime)
# and a DNSSL domain.  "netns-helper up" returns once the kernel has the
# address and the default route from the advertisement (read back with
# ip -n) and resolv.conf holds the servers and the domains; then radvd is
# replaced by one that announces another server, sets the M and O flags and
# drops the short-lived server and domain: the new server is followed, the
# old server and domain expire with their lifetimes (5 s), the flags are
# logged; stopping the stage
# removes its records.  The host's /etc/resolv.conf stays byte-identical.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_root
nh_require_cmd ip jq radvd
[ -x "$NH" ] && [ -x "$NH_RUN" ] || nh_skip "netns-helper and netns-helper-run are not built"
for p in netns macvlan slaac; do
        [ -f "$NH_BUILDDIR/plugins/$p/.libs/$p.so" ] || nh_skip "plugin $p.so is not built"
done
nh_setup_tree
HOST_RESOLV=$(if [ -e /etc/resolv.conf ]; then cksum </etc/resolv.conf; else echo absent; fi)

# The LAN: the parent stays on the host, its peer goes into the router's
# namespace.
PARENT=nh${NH_ID}rp
PEER=nh${NH_ID}rq
ip link add "$PARENT" type veth peer name "$PEER" || nh_fail "cannot create veth pair $PARENT"
nh_defer "ip link delete '$PARENT'"
ip link set "$PARENT" up
RTR=nht${NH_ID}r
ip netns add "$RTR" || nh_fail "cannot create the router namespace $RTR"
nh_defer "ip netns delete '$RTR'"
ip link set "$PEER" netns "$RTR" && ip -n "$RTR" link set lo up && ip -n "$RTR" link set "$PEER" up ||
        nh_fail "cannot move $PEER into $RTR"
# A router forwards (radvd refuses to advertise otherwise).
ip netns exec "$RTR" sysctl -q -w net.ipv6.conf.all.forwarding=1
ip -n "$RTR" addr add fd99::1/64 dev "$PEER" nodad

# radvd_start CONF: radvd in the router's namespace, in the foreground.
RADVD_PID=""
radvd_start() {
        cat >"$NH_T/radvd.conf"
        # Its link-local address must be out of DAD before it can send.
        for i in $(seq 1 100); do
                ip -n "$RTR" -6 -j addr show dev "$PEER" scope link |
                        jq -e '.[0].addr_info | length > 0 and all(.tentative != true)' >/dev/null 2>&1 && break
                sleep 0.05
        done
        ip netns exec "$RTR" radvd -n -C "$NH_T/radvd.conf" -p "$NH_T/radvd.pid" -m logfile \
                -l "$NH_T/radvd.log" -d 1 &
        RADVD_PID=$!
        nh_defer "kill -9 $RADVD_PID"
        sleep 0.3
        kill -0 "$RADVD_PID" 2>/dev/null || nh_fail "radvd did not start: $(cat "$NH_T/radvd.log")"
}
# SIGKILL: no final advertisement with a router lifetime of 0.
radvd_kill() { kill -9 "$RADVD_PID"; wait "$RADVD_PID" 2>/dev/null; rm -f "$NH_T/radvd.pid"; }

# slaac_ns NS MACSUFFIX TIMEOUT [MACVLAN LINE]: a namespace with a macvlan
# on $PARENT and the slaac stage, removed at exit.
slaac_ns() {
        nh_defer "'$NH' down '$1'"
        nh_defer "ip netns delete '$1'"
        {
                printf 'stages: [netns, macvlan, slaac]\nmacvlan:\n  parent: %s\n  mac: 02:5a:00:00:00:%s\n' "$PARENT" "$2"
                [ -z "${4:-}" ] || printf '  %s\n' "$4"
                printf 'slaac:\n  timeout: %s\n' "$3"
        } >"$NH_NSCONF/$1.yaml"
}

# --- 1: prefix, RDNSS with two servers and DNSSL with two domains (one each short-lived)
radvd_start <<EOF
interface $PEER {
        AdvSendAdvert on;
        MinRtrAdvInterval 3;
        MaxRtrAdvInterval 4;
        prefix fd99::/64 { AdvOnLink on; AdvAutonomous on; };
        RDNSS fd99::53 { AdvRDNSSLifetime 600; };
        RDNSS fd99::54 { AdvRDNSSLifetime 5; };
        DNSSL nht.example { AdvDNSSLLifetime 600; };
        DNSSL short.nht.example { AdvDNSSLLifetime 5; };
};
EOF

NS=nht${NH_ID}a
slaac_ns "$NS" 0a 30
"$NH" up "$NS" || nh_fail "netns-helper up $NS failed: $(cat "$NETNS_HELPER_RUNDIR/$NS/slaac.log" 2>/dev/null)"
IF=nm_$NS

# The address the kernel made from the prefix, and the default route.
ADDR=$(ip -n "$NS" -6 -j addr show dev "$IF" scope global | jq -r '.[0].addr_info[]? | select((.local // "") | startswith("fd99:")) | .local')
[ -n "$ADDR" ] || nh_fail "no address from fd99::/64 on $IF after up: $(ip -n "$NS" -6 addr show dev "$IF")"
case $ADDR in fd99::*) ;; *) nh_fail "address $ADDR is not from the advertised prefix" ;; esac
nh_log "address $ADDR from the advertised prefix"
ip -n "$NS" -6 -j route show default | jq -e --arg i "$IF" '.[] | select(.dev == $i and .protocol == "ra" and ((.gateway // "") | startswith("fe80:")))' >/dev/null ||
        nh_fail "no default route from the RA on $IF: $(ip -n "$NS" -6 route show default)"

RESOLV="$NETNS_HELPER_ETC_NETNS/$NS/resolv.conf"
[ -f "$RESOLV" ] || nh_fail "$RESOLV was not written before ready"
grep -qx 'nameserver fd99::53' "$RESOLV" || nh_fail "$RESOLV lacks fd99::53: $(cat "$RESOLV")"
grep -qx 'nameserver fd99::54' "$RESOLV" || nh_fail "$RESOLV lacks fd99::54: $(cat "$RESOLV")"
grep -Eqx 'search( [^ ]+)* nht\.example( [^ ]+)*' "$RESOLV" || nh_fail "$RESOLV lacks the DNSSL domain nht.example: $(cat "$RESOLV")"
grep -Eqx 'search( [^ ]+)* short\.nht\.example( [^ ]+)*' "$RESOLV" ||
        nh_fail "$RESOLV lacks the DNSSL domain short.nht.example: $(cat "$RESOLV")"
[ -f "$NETNS_HELPER_RUNDIR/$NS/dns/slaac.dns" ] || nh_fail "no DNS record of source slaac"
nh_expect_exit 0 "$NH" check "$NS"

# --- 2: a later RA: another server, M and O set, the short-lived ones gone -----
# accept_ra 0 on the link is put right by the stage at start: tested below
# with a second namespace; here the running stage follows radvd.
radvd_kill
radvd_start <<EOF
interface $PEER {
        AdvSendAdvert on;
        MinRtrAdvInterval 3;
        MaxRtrAdvInterval 4;
        AdvManagedFlag on;
        AdvOtherConfigFlag on;
        prefix fd99::/64 { AdvOnLink on; AdvAutonomous on; };
        RDNSS fd99::53 fd99::55 { AdvRDNSSLifetime 600; };
        DNSSL nht.example { AdvDNSSLLifetime 600; };
};
EOF
for i in $(seq 1 300); do
        grep -qx 'nameserver fd99::55' "$RESOLV" 2>/dev/null && break
        sleep 0.1
done
grep -qx 'nameserver fd99::55' "$RESOLV" || nh_fail "the new server fd99::55 was not followed: $(cat "$RESOLV")"
# fd99::54 and short.nht.example are no longer announced: they go when
# their 5 s run out.
for i in $(seq 1 300); do
        grep -qx 'nameserver fd99::54' "$RESOLV" || grep -qw 'short\.nht\.example' "$RESOLV" || break
        sleep 0.1
done
! grep -qx 'nameserver fd99::54' "$RESOLV" || nh_fail "fd99::54 did not expire: $(cat "$RESOLV")"
! grep -qw 'short\.nht\.example' "$RESOLV" || nh_fail "the domain short.nht.example did not expire: $(cat "$RESOLV")"
grep -qx 'nameserver fd99::53' "$RESOLV" || nh_fail "fd99::53 went with fd99::54: $(cat "$RESOLV")"
grep -qx 'search nht.example' "$RESOLV" || nh_fail "the domain went: $(cat "$RESOLV")"
LOG="$NETNS_HELPER_RUNDIR/$NS/slaac.log"
grep -q 'sets the M flag (addresses from DHCPv6), but namespace .* has no DHCPv6 lease' "$LOG" ||
        nh_fail "the M flag without a dhcp6 stage was not logged: $(cat "$LOG")"
grep -q 'sets the O flag (DNS and other settings from DHCPv6), but namespace .* has no dhcp6 stage' "$LOG" ||
        nh_fail "the O flag without a dhcp6 stage was not logged: $(cat "$LOG")"

# --- 3: stop removes the records; the kernel's address stays its own ----------
"$NH_RUN" slaac "$NS" stop || nh_fail "netns-helper-run slaac $NS stop failed"
[ ! -e "$RESOLV" ] || nh_fail "$RESOLV is still there after the stage stopped: $(cat "$RESOLV")"
[ ! -e "$NETNS_HELPER_RUNDIR/$NS/dns/slaac.dns" ] || nh_fail "the slaac DNS record is still there after stop"
"$NH_RUN" slaac "$NS" stop || nh_fail "a second stop of slaac failed (must be idempotent)"
"$NH" down "$NS" || nh_fail "netns-helper down $NS failed"
nh_no_leftovers "$NS"

# --- 4: accept_ra 0 on the link: the stage turns it on and solicits ------------
B=nht${NH_ID}b
slaac_ns "$B" 0b 30 "sysctl: { net/ipv6/conf/nm_$B/accept_ra: 0 }"
"$NH" up "$B" || nh_fail "netns-helper up $B (accept_ra 0 before the stage) failed: $(cat "$NETNS_HELPER_RUNDIR/$B/slaac.log" 2>/dev/null)"
nh_assert_eq "$(ip netns exec "$B" cat "/proc/sys/net/ipv6/conf/nm_$B/accept_ra")" 1 "accept_ra of nm_$B"
ip -n "$B" -6 -j route show default | jq -e '.[] | select(.protocol == "ra")' >/dev/null ||
        nh_fail "no default route from the RA in $B: $(ip -n "$B" -6 route)"
grep -qx 'nameserver fd99::55' "$NETNS_HELPER_ETC_NETNS/$B/resolv.conf" ||
        nh_fail "no RDNSS server in $B's resolv.conf"
"$NH" down "$B" || nh_fail "netns-helper down $B failed"

# --- 5: no router: a bounded wait, then a message that says what is missing ----
radvd_kill
C=nht${NH_ID}c
slaac_ns "$C" 0c 2
nh_expect_exit 1 "$NH" up "$C"
nh_assert_match "$NH_ERR" "No IPv6 autoconfiguration on nm_$C within 2 s: no router advertisement came" "the timeout message"
nh_no_leftovers "$C"
[ ! -e "$NETNS_HELPER_ETC_NETNS/$C/resolv.conf" ] || nh_fail "a resolv.conf was left for $C"

nh_assert_eq "$(if [ -e /etc/resolv.conf ]; then cksum </etc/resolv.conf; else echo absent; fi)" "$HOST_RESOLV" \
        "the host's /etc/resolv.conf changed"
exit 0
