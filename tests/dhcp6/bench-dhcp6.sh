#!/bin/sh
# Time to lease (process start to READY=1, or to dhclient going to the
# background once bound) and resident memory of the native DHCPv6 client
# against dnsmasq, next to ISC dhclient -6 in the same run:
#   ready link: the macvlan's link-local address has finished DAD;
#   fresh link: the macvlan was created just before (DAD running).
# Not part of "make check" (no timing assertions).  As root, from the build
# tree:  NH_BUILDDIR=$PWD NH_SRCDIR=$PWD sh tests/dhcp6/bench-dhcp6.sh [RUNS]
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp6/common.sh"
RUNS=${1:-10}
d6_setup
nh_require_cmd dnsmasq python3 nsenter
d6_dnsmasq
T="$NH_SRCDIR/tests/dhcp6/notify-time.py"
out="$NH_T/results"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

A=$(nh_ns a)
nh_defer "'$NH' down '$A'"
d6_conf "$A" b1
"$NH_RUN" netns "$A" start && "$NH_RUN" macvlan "$A" start || nh_fail "cannot bring up $A"
d6_wait_ll "$A" "nm_$A"
for i in $(seq 1 "$RUNS"); do
        r=$(python3 "$T" 20 "$NH_RUN" dhcp6 "$A" start) && echo "native-ready $r" >>"$out"
        # dhclient -6 -1 forks into the background once bound: the time its
        # first process takes is its time to lease (no address configured:
        # its script is /bin/true).
        t0=$(date +%s.%N)
        if nsenter --net="/run/netns/$A" dhclient -6 -1 -sf /bin/true -lf "$NH_T/dhc.leases" \
                -pf "$NH_T/dhc.pid" "nm_$A" >/dev/null 2>&1; then
                t1=$(date +%s.%N)
                # The daemon writes its pid file after its parent has gone.
                for w in $(seq 1 100); do [ -s "$NH_T/dhc.pid" ] && break; sleep 0.01; done
                pid=$(cat "$NH_T/dhc.pid")
                rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
                echo "dhclient-ready $(echo "$t1 - $t0" | bc) $rss" >>"$out"
                kill "$pid"
        else
                echo "dhclient-ready-fail" >>"$out"
        fi
        rm -f "$NH_T/dhc.leases" "$NH_T/dhc.pid"
done
"$NH" down "$A"

for i in $(seq 1 "$RUNS"); do
        F=$(nh_ns "f$i")
        nh_defer "'$NH' down '$F'"
        d6_conf "$F" "$(printf '%02x' $((i % 100 + 16)))"
        "$NH_RUN" netns "$F" start && "$NH_RUN" macvlan "$F" start || nh_fail "cannot bring up $F"
        r=$(python3 "$T" 20 "$NH_RUN" dhcp6 "$F" start) && echo "native-fresh $r" >>"$out" || echo "native-fresh-fail" >>"$out"
        "$NH" down "$F"
        G=$(nh_ns "g$i")
        nh_defer "'$NH' down '$G'"
        d6_conf "$G" "$(printf '%02x' $((i % 100 + 128)))"
        "$NH_RUN" netns "$G" start && "$NH_RUN" macvlan "$G" start || nh_fail "cannot bring up $G"
        t0=$(date +%s.%N)
        if nsenter --net="/run/netns/$G" dhclient -6 -1 -sf /bin/true -lf "$NH_T/dhc.leases" \
                -pf "$NH_T/dhc.pid" "nm_$G" >/dev/null 2>&1; then
                t1=$(date +%s.%N)
                echo "dhclient-fresh $(echo "$t1 - $t0" | bc)" >>"$out"
                for w in $(seq 1 100); do [ -s "$NH_T/dhc.pid" ] && break; sleep 0.01; done
                kill "$(cat "$NH_T/dhc.pid")"
        else
                echo "dhclient-fresh-fail" >>"$out"
        fi
        rm -f "$NH_T/dhc.leases" "$NH_T/dhc.pid"
        "$NH" down "$G"
done

cp "$out" "${NH_BENCH_RAW:-/dev/null}" 2>/dev/null
for k in native-ready dhclient-ready native-fresh dhclient-fresh; do
        n=$(grep -c "^$k " "$out")
        f=$(grep -c "^$k-fail" "$out")
        printf '%-15s runs %2d failed %2d  median %8s s  min %8s s  max %8s s  rss median %6s KiB\n' "$k" "$n" "$f" \
                "$(grep "^$k " "$out" | awk '{ print $2 }' | median)" \
                "$(grep "^$k " "$out" | awk '{ print $2 }' | sort -n | head -1)" \
                "$(grep "^$k " "$out" | awk '{ print $2 }' | sort -n | tail -1)" \
                "$(grep "^$k " "$out" | awk '$3 { print $3 }' | median)"
done
exit 0
