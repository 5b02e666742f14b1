#!/bin/sh
# Time to lease, DHCPv4: process start to "bound and configured" for the
# native dhcp4 stage (netns-helper-run dhcp4 NS start, until READY=1) and for
# ISC dhclient (until its -sf script has added the address and route),
# alternating, against the same dnsmasq --no-ping in a peer namespace.
# Both do a full DISCOVER/OFFER/REQUEST/ACK each round; the native client
# also runs with conflict-detection: no, to show what the RFC 5227 probe
# costs.  Also prints the resident memory of each running client.
#   sudo NH_BUILDDIR=$PWD NH_SRCDIR=$PWD sh tests/dhcp4/bench-dhcp4.sh [ROUNDS]
# Nothing outside the test tree is written: dhclient gets its own script,
# lease and pid files, and never sees the host's /etc.
ROUNDS=${1:-20}
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp4/common.sh"
nh_require_cmd dnsmasq python3
d4_setup
NS=$(nh_ns c)
IF="nm_$NS"
d4_dnsmasq --dhcp-range=10.88.0.100,10.88.0.200,255.255.255.0,1h \
        --dhcp-option=option:dns-server,10.88.0.53
d4_conf "$NS" "release: yes"
"$NH_RUN" netns "$NS" start && "$NH_RUN" macvlan "$NS" start || nh_fail "cannot bring up $NS"
sleep 0.5
HAVE_DHCLIENT=$(command -v dhclient || true)
# dhclient gives its script an environment of its own: the FIFO's path is
# written into the script.
cat >"$NH_T/dhclient-script" <<EOS
#!/bin/sh
BENCH_FIFO=$NH_T/fifo
case "\$reason" in
BOUND|REBOOT|RENEW|REBIND)
        ip addr add "\$new_ip_address/\$new_subnet_mask" dev "\$interface" valid_lft "\$new_dhcp_lease_time" preferred_lft "\$new_dhcp_lease_time"
        for r in \$new_routers; do ip route replace default via "\$r" dev "\$interface"; break; done
        echo bound >"\$BENCH_FIFO"
        ;;
esac
exit 0
EOS
chmod 755 "$NH_T/dhclient-script"

rss() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }
: >"$NH_T/native" ; : >"$NH_T/dhclient"
: >"$NH_T/noacd"
# native: the default (RFC 5227 probe, "fast"); noacd: conflict-detection: no.
# The stop verb after each run releases the lease, so that every round
# is a full DISCOVER..ACK (a SIGTERM alone keeps it for INIT-REBOOT).
native_round() {
        d4_conf "$NS" "release: yes${2:+, $2}"
        out=$(BENCH_LOG="$NH_T/$1.log" python3 "$NH_SRCDIR/tests/dhcp4/bench-ready.py" notify "$NH_T/notify" 10 \
                "$NH_RUN" dhcp4 "$NS" start) || nh_fail "$1: $out"
        rm -f "$NH_T/notify"
        pid=${out#* }
        echo "${out% *} $(rss "$pid")" >>"$NH_T/$1"
        kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
        "$NH_RUN" dhcp4 "$NS" stop >/dev/null 2>&1
}
for i in $(seq "$ROUNDS"); do
        native_round native
        native_round noacd "conflict-detection: no"
        [ -n "$HAVE_DHCLIENT" ] || continue
        rm -f "$NH_T/dhclient.leases"
        out=$(BENCH_FIFO="$NH_T/fifo" BENCH_LOG="$NH_T/dhclient.log" python3 "$NH_SRCDIR/tests/dhcp4/bench-ready.py" fifo "$NH_T/fifo" 10 \
                nsenter --net="/run/netns/$NS" dhclient -4 -d -q -sf "$NH_T/dhclient-script" \
                -lf "$NH_T/dhclient.leases" -pf "$NH_T/dhclient.pid" -cf /dev/null "$IF") || nh_fail "dhclient: $out"
        pid=${out#* }
        echo "${out% *} $(rss "$pid")" >>"$NH_T/dhclient"
        kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
        ip -n "$NS" addr flush dev "$IF" scope global
done
stats() {
        sort -n "$1" | awk -v name="$2" '{ms[NR]=$1; rss+=$2} END {
                printf "%-9s n=%d  median %.1f ms  min %.1f ms  max %.1f ms  RSS %.1f MiB\n",
                       name, NR, (NR%2 ? ms[(NR+1)/2] : (ms[NR/2]+ms[NR/2+1])/2), ms[1], ms[NR], rss/NR/1024 }'
}
stats "$NH_T/native" dhcp4
stats "$NH_T/noacd" "dhcp4 without ACD"
median() { cut -d' ' -f1 "$1" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
awk -v a="$(median "$NH_T/native")" -v b="$(median "$NH_T/noacd")" 'BEGIN {
        printf "RFC 5227 probe (fast) adds %.1f ms to the median time to lease (%.1fx)\n", a-b, a/b }'
# The plugin's own figure (stage start to READY, without process start-up).
sed -n 's/.*(\([0-9.]*\) ms after start).*/\1 0/p' "$NH_T/native.log" >"$NH_T/inner"
[ ! -s "$NH_T/inner" ] || stats "$NH_T/inner" "  (in-stage" | sed 's/  RSS.*/)/'
[ -z "$HAVE_DHCLIENT" ] || stats "$NH_T/dhclient" dhclient
"$NH_RUN" macvlan "$NS" stop; "$NH_RUN" netns "$NS" stop
exit 0
