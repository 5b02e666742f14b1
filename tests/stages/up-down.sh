#!/bin/sh
# netns-helper up/down: every stage in order in one process, for several
# namespaces at once; the same kernel state as stage by stage; down leaves
# nothing.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/stages/common.sh"
st_setup

st_ns A a; st_ns B b; st_ns C c
i=0
for ns in "$A" "$B" "$C"; do
        i=$((i + 1))
        st_conf "$ns" <<EOF2
stages: [netns, macvlan, postup]
macvlan:
  parent: $PARENT
  mac: 02:5e:20:00:00:0$i
  address4: 192.0.2.2$i/24
  gateway4: 192.0.2.1
  address6: 2001:db8::2$i/64
  gateway6: 2001:db8::1
  privacy-ext: 1
  sysctl: { net.ipv6.conf.all.forwarding: 1 }
EOF2
done
host_fwd6=$(cat /proc/sys/net/ipv6/conf/all/forwarding)

"$NH" up "$A" "$B" "$C" || nh_fail "netns-helper up failed"
i=0
for ns in "$A" "$B" "$C"; do
        i=$((i + 1))
        ip netns exec "$ns" true || nh_fail "ip netns exec $ns failed"
        st_assert_macvlan "$ns" "nm_$ns" "02:5e:20:00:00:0$i" bridge
        st_assert_addr "$ns" "nm_$ns" "192.0.2.2$i/24"
        st_assert_addr "$ns" "nm_$ns" "2001:db8::2$i/64"
        st_assert_default "$ns" 4 192.0.2.1 "nm_$ns"
        st_assert_default "$ns" 6 2001:db8::1 "nm_$ns"
        nh_assert_eq "$(st_sysctl "$ns" "net.ipv6.conf.nm_$ns.use_tempaddr")" 1 "use_tempaddr in $ns"
        nh_assert_eq "$(st_sysctl "$ns" net.ipv6.conf.all.forwarding)" 1 "forwarding in $ns"
        nh_expect_exit 0 "$NH" check "$ns"
done
nh_assert_eq "$(cat /proc/sys/net/ipv6/conf/all/forwarding)" "$host_fwd6" "the host's IPv6 forwarding"

# The namespaces reach each other through the parent (bridge mode).
ip netns exec "$A" ping -c1 -W2 192.0.2.22 >/dev/null 2>&1 ||
        nh_log "note: ping $A -> $B failed (not asserted: DAD/ARP timing)"

# up again over running namespaces is not an error, and changes nothing.
"$NH" up "$A" || nh_fail "a second netns-helper up failed"
st_assert_macvlan "$A" "nm_$A" 02:5e:20:00:00:01 bridge

"$NH" down "$A" "$B" "$C" || nh_fail "netns-helper down failed"
for ns in "$A" "$B" "$C"; do
        st_nothing_left "$ns" "nm_$ns"
done
nh_expect_exit 0 "$NH" down "$A"
exit 0
