#!/bin/bash
# DHCP time-to-lease benchmark: netns-helper's native dhcp4/dhcp6 stages,
# the dhclient4/dhclient6 stages, plain ISC dhclient and dhcpcd, against
# one dnsmasq (--no-ping) in a namespace of its own, in one run.
#
#   sudo tests/bench-dhcp/bench-dhcp.sh [-n RUNS] [-s SCENARIOS]
#
# from the top of a build tree (or with NH_BUILDDIR/NH_SRCDIR set).
# SCENARIOS is a comma list of v4, v6, v6fresh, up (default: all):
#   v4       DHCPv4 on a link that is up
#   v6       DHCPv6 on a link that has been up for a while (DAD done)
#   v6fresh  DHCPv6 right after the link was set down and up (DAD running)
#   up       "netns-helper up" of a new namespace (a fresh macvlan, DAD
#            running), DHCPv4 alone and DHCPv4 + DHCPv6, with the native
#            stages and with the dhclient-backed ones: the time until
#            "up" exits, and what DHCPv6 adds to it (issue 11: at most
#            300 ms with optimistic DAD and "solicit-delay: no")
# Time is measured from the client's exec to READY=1 on $NOTIFY_SOCKET
# (the netns-helper stages run by netns-helper-run) or to the leased
# address appearing in the namespace (dhclient, dhcpcd), seen through an
# rtnetlink notification (bench-dhcp-measure.c).  Runs are interleaved
# across clients; every run starts without a lease file (a full exchange).
# Prints per scenario: median, min, max in ms, failures, the ratios of
# plain dhclient's and dhcpcd's medians to each client's, and the median VmRSS of the
# running client (its main process, and with its children).
# Not part of "make check".  An implementation that is not built or not
# installed is skipped with a note.
set -u

RUNS=7
SCENARIOS=v4,v6,v6fresh,up
while getopts n:s:h opt; do
        case $opt in
        n) RUNS=$OPTARG ;;
        s) SCENARIOS=$OPTARG ;;
        *) sed -n '2,29p' "$0"; exit 2 ;;
        esac
done

[ "$(id -u)" = 0 ] || { echo "bench-dhcp: needs root (namespaces, links)" >&2; exit 2; }
: "${NH_BUILDDIR:=$(pwd)}"
: "${NH_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
MEASURE="$NH_BUILDDIR/tests/bench-dhcp/bench-dhcp-measure"
NH_RUN="$NH_BUILDDIR/netns-helper-run"
NH="$NH_BUILDDIR/netns-helper"
[ -x "$MEASURE" ] || { echo "bench-dhcp: build $MEASURE first (make)" >&2; exit 2; }

ID=$(( $$ % 100000 ))
SRV="nhbs$ID"
CLI="nhbc$ID"
IFS_="nhb${ID}s"        # server side of the veth pair
IFC="nhb${ID}c"         # client side, inside the client namespace
IFH="nhb${ID}h"         # "up": the macvlans' parent, on the host
IFQ="nhb${ID}q"         # its peer, in the server namespace
UPNS="nhbu$ID"          # "up": the namespace brought up and down
T=$(mktemp -d /tmp/nh-bench-dhcp.XXXXXX)
chmod 755 "$T"
DNSMASQ_PID=

cleanup() {
        set +e
        trap '' PIPE INT TERM HUP
        [ -n "${NH:-}" ] && [ -e "$T/conf/ns/$UPNS.yaml" ] && "$NH" down "$UPNS" >/dev/null 2>&1
        [ -n "$DNSMASQ_PID" ] && kill "$DNSMASQ_PID" 2>/dev/null && wait "$DNSMASQ_PID" 2>/dev/null
        ip link delete "$IFH" 2>/dev/null
        ip netns delete "$SRV" 2>/dev/null
        ip netns delete "$CLI" 2>/dev/null
        [ -n "${NH_BENCH_KEEP:-}" ] && { echo "kept $T" >&2; return; }
        rm -rf "$T"
}
trap cleanup EXIT
# Signals end the script through exit, so the EXIT trap cleans up (a shell
# killed by an untrapped signal skips it): Ctrl-C, a closed terminal, a
# reader that went away (| head).
trap 'exit 130' INT TERM HUP PIPE

note() { printf '# %s\n' "$*" >&2; }

ip netns add "$SRV" && ip netns add "$CLI" || exit 1
ip link add "$IFS_" netns "$SRV" type veth peer name "$IFC" netns "$CLI" || exit 1
ip -n "$SRV" link set lo up
ip -n "$SRV" addr add 192.0.2.1/24 dev "$IFS_"
ip -n "$SRV" addr add 2001:db8:1::1/64 nodad dev "$IFS_"
ip -n "$SRV" link set "$IFS_" up
ip -n "$CLI" link set lo up
ip -n "$CLI" link set "$IFC" up
ip link add "$IFH" type veth peer name "$IFQ" netns "$SRV" || exit 1
ip -n "$SRV" addr add 198.51.100.1/24 dev "$IFQ"
ip -n "$SRV" addr add 2001:db8:2::1/64 nodad dev "$IFQ"
ip -n "$SRV" link set "$IFQ" up
ip link set "$IFH" up
# RAs: the kernel would add a default route and SLAAC addresses; neither is
# what is measured.
ip netns exec "$CLI" sysctl -qw "net.ipv6.conf.$IFC.accept_ra=0"

mkdir -p "$T/dnsmasq"
ip netns exec "$SRV" dnsmasq --keep-in-foreground --no-ping --port=0 --conf-file=/dev/null \
        --interface="$IFS_" --interface="$IFQ" --bind-interfaces --log-facility="$T/dnsmasq/log" \
        --dhcp-leasefile="$T/dnsmasq/leases" --pid-file="$T/dnsmasq/pid" \
        --dhcp-range=192.0.2.50,192.0.2.250,255.255.255.0,1h \
        --dhcp-range=2001:db8:1::100,2001:db8:1::ffff,64,1h \
        --dhcp-range=set:up,198.51.100.50,198.51.100.250,255.255.255.0,1h \
        --dhcp-option=tag:up,option:router,198.51.100.1 \
        --dhcp-range=2001:db8:2::100,2001:db8:2::ffff,64,1h \
        --dhcp-option=option:router,192.0.2.1 \
        --dhcp-option=option:dns-server,192.0.2.53 \
        --dhcp-option=option:domain-search,bench.example \
        --dhcp-option=option6:dns-server,[2001:db8::53] \
        --dhcp-authoritative &
DNSMASQ_PID=$!
sleep 0.3
kill -0 "$DNSMASQ_PID" 2>/dev/null || { echo "bench-dhcp: dnsmasq did not start" >&2; exit 1; }

# --- the clients ----------------------------------------------------------
export NETNS_HELPER_CONFDIR="$T/conf" NETNS_HELPER_RUNDIR="$T/run" NETNS_HELPER_STATEDIR="$T/state"
export NETNS_HELPER_ETC_NETNS="$T/etc-netns"
NETNS_HELPER_PLUGIN_PATH=$(for d in "$NH_BUILDDIR"/plugins/*/.libs; do [ -d "$d" ] && printf '%s:' "$d"; done)
export NETNS_HELPER_PLUGIN_PATH="${NETNS_HELPER_PLUGIN_PATH%:}"
export NETNS_HELPER_DHCLIENT_HANDLER="$NH_BUILDDIR/plugins/dhclient/netns-helper-dhclient-handler"
mkdir -p "$T/conf/ns" "$T/run" "$T/state" "$T/etc-netns"

# Extra keys for the native stages' sections (one "key: value" per line),
# e.g. to turn off the RFC 8415 random Solicit delay:
#   NH_BENCH_DHCP6_KEYS='solicit-delay: no' (the default; set it empty for the RFC delay)
: "${NH_BENCH_DHCP4_KEYS:=}"
: "${NH_BENCH_DHCP6_KEYS=solicit-delay: no}"

DHCLIENT=$(command -v dhclient || echo /sbin/dhclient)
DHCPCD=$(command -v dhcpcd || echo /usr/sbin/dhcpcd)

# nh_conf STAGE PLUGIN [EXTRA-KEYS]: the client namespace's config.
nh_conf() {
        {
                printf 'stages: [%s]\n' "$1"
                printf 'implementations: {%s: %s}\n' "$1" "$2"
                printf '%s:\n  interface: %s\n' "$1" "$IFC"
                [ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/  /'
        } > "$T/conf/ns/$CLI.yaml"
}

have_plugin() { [ -f "$NH_BUILDDIR/plugins/$1/.libs/$2.so" ] && [ -x "$NH_RUN" ]; }

# available IMPL FAMILY: prints nothing and returns 0 when runnable,
# otherwise a note.
available() {
        case $1 in
        native) have_plugin "dhcp$2" "dhcp$2" || { echo "plugins/dhcp$2/.libs/dhcp$2.so or netns-helper-run not built"; return 1; } ;;
        dhclient-plugin) have_plugin dhclient "dhclient$2" || { echo "plugins/dhclient/.libs/dhclient$2.so or netns-helper-run not built"; return 1; } ;;
        dhclient) [ -x "$DHCLIENT" ] || { echo "dhclient not installed (isc-dhcp-client)"; return 1; } ;;
        dhcpcd) [ -x "$DHCPCD" ] || { echo "dhcpcd not installed (dhcpcd-base)"; return 1; } ;;
        esac
        return 0
}

reset_client() {
        # dhcpcd leaves the link with addrgenmode none (no link-local
        # address after the next link-up).
        ip -n "$CLI" link set "$IFC" addrgenmode eui64 2>/dev/null
        ip -n "$CLI" -4 addr flush dev "$IFC" 2>/dev/null
        ip -n "$CLI" -6 addr flush dev "$IFC" scope global 2>/dev/null
        ip -n "$CLI" -4 route flush dev "$IFC" 2>/dev/null
        rm -rf "$T/run/"* "$T/state/"* "$T/etc-netns/"* "$T/priv" "$T/leases"
        mkdir -p "$T/priv" "$T/leases"
}

# run1 IMPL FAMILY FLAP: one measurement; prints the measure line.
run1() {
        local impl=$1 fam=$2 flap=$3 m
        m=("$MEASURE" --netns "$CLI" --ifname "$IFC" --family "$fam" --timeout 20)
        [ "$flap" = 1 ] && m+=(--flap)
        reset_client
        case $impl in
        native)
                local keys=$NH_BENCH_DHCP4_KEYS
                [ "$fam" = 6 ] && keys=$NH_BENCH_DHCP6_KEYS
                nh_conf "dhcp$fam" "dhcp$fam" "$keys"
                "${m[@]}" --notify "$T" -- "$NH_RUN" "dhcp$fam" "$CLI" start 2>>"$T/client.log" ;;
        dhclient-plugin)
                nh_conf "dhcp$fam" "dhclient$fam"
                "${m[@]}" --notify "$T" -- "$NH_RUN" "dhcp$fam" "$CLI" start 2>>"$T/client.log" ;;
        dhclient)
                # As the original ran it: the stock dhclient-script, which
                # writes resolv.conf into the overlay, not the host's /etc.
                "${m[@]}" --enter --private "$T/priv" -- "$DHCLIENT" "-$fam" -d -q \
                        -lf "$T/leases/dhclient.leases" -pf "$T/leases/dhclient.pid" "$IFC" 2>>"$T/client.log" ;;
        dhcpcd)
                {
                        echo "noarp"
                        echo "nodelay"
                        echo "allowinterfaces $IFC"
                        echo "nohook resolv.conf"
                        echo "script /bin/true"
                        [ "$fam" = 6 ] && { echo "noipv6rs"; echo "ia_na 1"; }
                } > "$T/leases/dhcpcd.conf"
                "${m[@]}" --enter --private "$T/priv" -- "$DHCPCD" -B "-$fam" -f "$T/leases/dhcpcd.conf" "$IFC" \
                        2>>"$T/client.log" ;;
        esac
}

# ratio BASE MEDIAN: how many times faster than BASE ("-" when unknown).
ratio() {
        if [ -n "$1" ] && [ "$1" != - ] && [ "$2" != - ]; then
                awk -v b="$1" -v m="$2" 'BEGIN{printf "%.2fx", b/m}'
        else
                echo -
        fi
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "-"; else if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# --- "up": a new namespace, a fresh macvlan --------------------------------
# up_conf PROFILE RUN: the namespace's file; a MAC of its own per run, so
# that no run waits for the macvlan of the one before to die.
up_conf() {
        local stages=$1 impl=$2 extra=$5
        {
                printf 'stages: [%s]\n' "$stages"
                [ -n "$impl" ] && printf 'implementations: {%s}\n' "$impl"
                printf 'macvlan:\n  parent: %s\n  mac: "02:4e:%02x:%02x:%02x:%02x"\n' "$IFH" \
                        $((ID % 256)) $((ID / 256 % 256)) "$3" "$4"
                [ -n "$extra" ] && printf '  %s\n' "${extra//IF/nm_$UPNS}"
                printf 'dhcp4:\n  timeout: 20\n'
                case $stages in
                *dhcp6*)
                        printf 'dhcp6:\n  timeout: 20\n'
                        [ -z "$impl" ] && [ -n "$NH_BENCH_DHCP6_KEYS" ] && printf '%s\n' "$NH_BENCH_DHCP6_KEYS" | sed 's/^/  /'
                        ;;
                esac
        } > "$T/conf/ns/$UPNS.yaml"
}

# up1 PROFILE-INDEX RUN STAGES IMPL MACVLAN-LINE: prints "ok MS" or "fail up-exit-N".
up1() {
        local t0 t1 rc
        rm -rf "$T/run/"* "$T/state/"* "$T/etc-netns/"*
        up_conf "$3" "$4" "$1" "$2" "$5"
        t0=$(date +%s%N)
        "$NH" up "$UPNS" >>"$T/client.log" 2>&1
        rc=$?
        t1=$(date +%s%N)
        if [ "$rc" = 0 ]; then
                awk -v a="$t0" -v b="$t1" 'BEGIN { printf "ok %.3f\n", (b - a) / 1e6 }'
        else
                echo "fail up-exit-$rc"
        fi
        "$NH" down "$UPNS" >>"$T/client.log" 2>&1
}

# profile | label | stages | implementations | a line for the macvlan section
# (IF: the macvlan).  Profile 5 is the native client as it was before
# optimistic DAD (RFC 4429): the kernel's plain DAD, turned back on with
# the macvlan's own "sysctl:".
UP_PROFILES="1|native v4|netns, macvlan, dhcp4||
2|native v4+v6|netns, macvlan, dhcp4, dhcp6||
3|dhclient v4|netns, macvlan, dhcp4|dhcp4: dhclient4|
4|dhclient v4+v6|netns, macvlan, dhcp4, dhcp6|dhcp4: dhclient4, dhcp6: dhclient6|
5|native no-optim|netns, macvlan, dhcp4, dhcp6||sysctl: {net.ipv6.conf.IF.optimistic_dad: 0}"

diff_ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.1f", a - b }'; }

bench_up() {
        local idx label stages impl extra r med
        declare -A MED
        if ! have_plugin macvlan macvlan || ! [ -x "$NH" ]; then
                note "skipping up: netns-helper or the macvlan plugin not built"
                return
        fi
        while IFS='|' read -r idx label stages impl extra; do : > "$T/up.$idx"; done <<<"$UP_PROFILES"
        for r in $(seq "$RUNS"); do
                # Interleaved, so that noise hits every profile alike.
                while IFS='|' read -r idx label stages impl extra; do
                        up1 "$idx" "$r" "$stages" "$impl" "$extra" >> "$T/up.$idx"
                done <<<"$UP_PROFILES"
        done
        printf '\n## netns-helper up of a new namespace (fresh macvlan; dhcp6: %s)\n' "${NH_BENCH_DHCP6_KEYS:-RFC delay}"
        printf '%-16s %9s %9s %9s %6s\n' profile median_ms min_ms max_ms fails
        while IFS='|' read -r idx label stages impl extra; do
                f="$T/up.$idx"
                MED[$idx]=$(awk '$1=="ok"{print $2}' "$f" | median)
                printf '%-16s %9s %9s %9s %6s\n' "$label" "${MED[$idx]}" \
                        "$(awk '$1=="ok"{print $2}' "$f" | sort -n | head -1)" \
                        "$(awk '$1=="ok"{print $2}' "$f" | sort -n | tail -1)" "$(grep -c '^fail' "$f")/$RUNS"
                grep '^fail' "$f" | sort | uniq -c | sed "s/^/#   $label: /" >&2
        done <<<"$UP_PROFILES"
        # What DHCPv6 adds to a bring-up, from the medians.
        printf 'DHCPv6 adds (median v4+v6 - median v4): native %s ms, dhclient %s ms, native without optimistic DAD %s ms\n' \
                "$(diff_ms "${MED[2]}" "${MED[1]}")" "$(diff_ms "${MED[4]}" "${MED[3]}")" "$(diff_ms "${MED[5]}" "${MED[1]}")"
        # "Every time": the same difference within each round (the runs of
        # a round follow each other), its worst case.
        printf 'Per round (native v4+v6 - native v4 of the same round): max %s ms, rounds over 300 ms: %s of %s\n' \
                "$(paste -d' ' "$T/up.1" "$T/up.2" | awk '$1 == "ok" && $3 == "ok" { d = $4 - $2; if (n++ == 0 || d > m) m = d }
                        END { if (n) printf "%.1f", m; else print "-" }')" \
                "$(paste -d' ' "$T/up.1" "$T/up.2" | awk '$1 == "ok" && $3 == "ok" && $4 - $2 > 300 { k++ } END { print k + 0 }')" \
                "$RUNS"
        printf 'v4+v6: dhclient/native %s; native v4+v6 / native v4 %s\n' "$(ratio "${MED[4]}" "${MED[2]}")" \
                "$(ratio "${MED[2]}" "${MED[1]}")"
}

IMPLS="native dhclient-plugin dhclient dhcpcd"
printf 'DHCP time to lease, %s runs each, dnsmasq %s, kernel %s\n' "$RUNS" \
        "$(dnsmasq --version | awk 'NR==1{print $3}')" "$(uname -r)"
for sc in ${SCENARIOS//,/ }; do
        [ "$sc" = up ] && { bench_up; continue; }
        case $sc in
        v4) fam=4 flap=0 title="IPv4" ;;
        v6) fam=6 flap=0 title="IPv6, link already up" ;;
        v6fresh) fam=6 flap=1 title="IPv6, link just brought up" ;;
        *) echo "unknown scenario $sc" >&2; exit 2 ;;
        esac
        ok_impls=""
        for impl in $IMPLS; do
                if why=$(available "$impl" "$fam"); then
                        ok_impls="$ok_impls $impl"
                        : > "$T/res.$impl"
                else
                        note "skipping $impl for $title: $why"
                fi
        done
        # Let the link settle (DAD of the link-local address) before the
        # "already up" scenarios.
        [ "$flap" = 0 ] && sleep 2.5
        for r in $(seq "$RUNS"); do
                for impl in $ok_impls; do
                        run1 "$impl" "$fam" "$flap" >> "$T/res.$impl"
                done
                # The flapped link must be past DAD again before a v6 run
                # that expects it ready.
                [ "$flap" = 1 ] && sleep 0.2
        done
        printf '\n## %s\n' "$title"
        printf '%-16s %9s %9s %9s %6s %11s %10s %8s %12s\n' client median_ms min_ms max_ms fails vs_dhclient vs_dhcpcd \
                rss_kib tree_rss_kib
        base=$(awk '$1=="ok"{print $2}' "$T/res.dhclient" 2>/dev/null | median)
        base2=$(awk '$1=="ok"{print $2}' "$T/res.dhcpcd" 2>/dev/null | median)
        for impl in $ok_impls; do
                f="$T/res.$impl"
                med=$(awk '$1=="ok"{print $2}' "$f" | median)
                min=$(awk '$1=="ok"{print $2}' "$f" | sort -n | head -1)
                max=$(awk '$1=="ok"{print $2}' "$f" | sort -n | tail -1)
                fails=$(grep -c '^fail' "$f")
                rss=$(awk '$1=="ok"{print $3}' "$f" | median)
                tree=$(awk '$1=="ok"{print $4}' "$f" | median)
                ratio=$(ratio "$base" "$med")
                ratio2=$(ratio "$base2" "$med")
                printf '%-16s %9s %9s %9s %6s %11s %10s %8s %12s\n' "$impl" "$med" "${min:--}" "${max:--}" \
                        "$fails/$RUNS" "$ratio" "$ratio2" "$rss" "$tree"
                grep '^fail' "$f" | sort | uniq -c | sed "s/^/#   $impl: /" >&2
        done
done
printf '\n(vs_X: median of plain X / this median; rss_kib: VmRSS of the client process, tree_rss_kib: with its children)\n'
