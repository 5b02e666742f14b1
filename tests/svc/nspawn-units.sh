#!/bin/sh
# The units, hardened as shipped, in a booted systemd (systemd-nspawn):
# "netns-helper enable --now" brings the configured stages up; the macvlan
# and post-up hooks run inside the namespace with the namespace's
# resolv.conf bind-mounted over /etc and /sys showing the namespace, and
# the sysctl is written; a service added with "netns-helper add" runs in
# the namespace at /run/netns/NAME (the one "ip netns exec" enters) and
# reads its resolv.conf; restarting the target 20 times works and keeps the
# service in the new namespace; stopping netns-helper@NAME.service leaves
# no namespace, link or process; no unit fails.
#
# It boots the end-to-end tests' cached Debian root (tests/e2e/lib-e2e.sh
# builds it once), or the root NH_NSPAWN_ROOT names.
# NH_NSPAWN_BENCH=1 also measures what the sandboxing of the units costs
# (the figures are in tests/svc/nspawn-units.log, lines "# bench:").
# The root is booted with --volatile=overlay: it is never changed.
. "$NH_SRCDIR/tests/lib.sh"

nh_require_root
nh_require_cmd systemd-nspawn nsenter
root=${NH_NSPAWN_ROOT:-}
if [ -z "$root" ]; then
        # The end-to-end tests' cached Debian root (built once when missing).
        . "$NH_SRCDIR/tests/e2e/lib-e2e.sh"
        e2e_require
        e2e_ensure_root
        root=$E2E_ROOT
fi
[ -x "$root/lib/systemd/systemd" ] || nh_fail "$root is not a Debian root with systemd"
[ -d /sys/fs/cgroup/systemd ] || nh_skip "needs the cgroup v1 'systemd' hierarchy that nspawn uses here"

NH_T=$(mktemp -d "${TMPDIR:-/tmp}/nht-nspawn.XXXXXX")
nh_defer "rm -rf '$NH_T'"
# The tree as a distribution installs it (/usr, /etc, /var), built once by
# the end-to-end tests' staging: this build's own prefix can be anywhere
# (make distcheck installs under its build directory).
. "$NH_SRCDIR/tests/e2e/lib-e2e.sh"
e2e_stage
mkdir -p "$NH_T/stage" && cp -a "$E2E_STAGE/." "$NH_T/stage/" || nh_fail "cannot copy $E2E_STAGE"
NH_SYSCONFDIR=/etc
NH_PLUGINDIR=/usr/lib/netns-helper/plugins

cat > "$NH_T/stage/inside.sh" <<EOS
#!/bin/sh
# Runs in the container.
set -u
CONF='$NH_SYSCONFDIR/netns-helper'
BENCH='${NH_NSPAWN_BENCH:-0}'
DHCP='$( [ -e "$NH_T/stage$NH_PLUGINDIR/dhcp4.so" ] && [ -e "$NH_T/stage$NH_PLUGINDIR/dhcp6.so" ] && echo yes)'
EOS
cat >> "$NH_T/stage/inside.sh" <<'EOS'
PATH=/usr/local/sbin:/usr/local/bin:$PATH
fail=0
ok() { echo "OK: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
check() { d=$1; shift; if "$@"; then ok "$d"; else bad "$d"; fi; }
# Install: the build's tree, into the container's (merged-/usr) root.
(cd /mnt/stage && find . -mindepth 1 -maxdepth 1 ! -name inside.sh) | while read -r d; do
        case $d in ./lib) cp -a /mnt/stage/lib/. /usr/lib/ ;; *) cp -a "/mnt/stage/$d" / ;; esac
done
systemctl daemon-reload
ip link add hp0 type veth peer name hp1 && ip link set hp0 up && ip link set hp1 up
mkdir -p "$CONF/ns" /etc/netns/t1
printf 'stages: [netns, macvlan, postup]\nmacvlan:\n  parent: hp0\n  address4: 192.0.2.10/24\n  gateway4: 192.0.2.1\n  sysctl: {net.ipv6.conf.all.forwarding: 1}\n' > "$CONF/ns/t1.yaml"
echo 'nameserver 192.0.2.53 # t1 marker' > /etc/netns/t1/resolv.conf
printf '#!/bin/sh\n{ echo "args=$*"; cat /etc/resolv.conf; ls /sys/class/net | tr "\\n" " "; echo; cat /proc/sys/net/ipv6/conf/all/forwarding; } > /run/t1-mp.out 2>&1\n' > "$CONF/ns/t1-macvlan-postup"
printf '#!/bin/sh\nip -br addr > /run/t1-postup.out 2>&1\n' > "$CONF/ns/t1-postup"
chmod 755 "$CONF/ns/t1-macvlan-postup" "$CONF/ns/t1-postup"
printf '[Service]\nExecStart=/bin/sleep infinity\n' > /etc/systemd/system/mydaemon.service
systemctl daemon-reload

units="netns-helper@t1.target netns-helper@t1.service netns-helper-macvlan@t1.service netns-helper-postup@t1.service"
check "enable --now" netns-helper enable t1 --now
# shellcheck disable=SC2086
check "units active: $(systemctl is-active $units | tr '\n' ' ')" test "$(systemctl is-active $units | sort -u)" = active
check "macvlan-postup hook got the interface" grep -qx 'args=nm_t1' /run/t1-mp.out
check "hook sees the namespace's resolv.conf" grep -q 't1 marker' /run/t1-mp.out
check "hook's /sys shows the namespace" grep -qx 'lo nm_t1 ' /run/t1-mp.out
check "sysctl written in the namespace" test "$(tail -1 /run/t1-mp.out)" = 1
check "post-up ran with the address" grep -q '192.0.2.10/24' /run/t1-postup.out
check "add --now" netns-helper add t1 mydaemon --now
pid=$(systemctl show -p MainPID --value mydaemon.service)
check "service in /run/netns/t1" test "$(stat -L -c %i /proc/$pid/ns/net)" = "$(stat -L -c %i /run/netns/t1)"
check "service in the ip netns exec namespace" test "$(readlink /proc/$pid/ns/net)" = "$(ip netns exec t1 readlink /proc/self/ns/net)"
check "service reads the namespace's resolv.conf" grep -q 't1 marker' "/proc/$pid/root/etc/resolv.conf"
n=0
for i in $(seq 1 20); do
        systemctl restart netns-helper@t1.target && [ "$(systemctl is-active netns-helper-postup@t1.service)" = active ] && n=$((n + 1))
done
check "20 restarts of the target ($n worked)" test "$n" = 20
pid=$(systemctl show -p MainPID --value mydaemon.service)
check "service restarted into the new namespace" test "$(stat -L -c %i /proc/$pid/ns/net)" = "$(stat -L -c %i /run/netns/t1)"
systemctl stop netns-helper@t1.service; sleep 1
t0=$(date +%s%N); systemctl start netns-helper@t1.target; t1=$(date +%s%N)
echo "# systemctl start netns-helper@t1.target: $(( (t1 - t0) / 1000000 )) ms (netns, macvlan, postup)"
systemctl start mydaemon.service
systemctl stop netns-helper@t1.service
# shellcheck disable=SC2086
check "stop of the namespace stops everything: $(systemctl is-active $units mydaemon.service | tr '\n' ' ')" test "$(systemctl is-active $units mydaemon.service | sort -u)" = inactive
check "no namespace left" test ! -e /run/netns/t1
check "no link left" sh -c '! ip -o link | grep -q nm_t1'
check "no process left" sh -c '! grep -l "[n]etns-helper-run" /proc/[0-9]*/cmdline 2>/dev/null | grep -q .'
check "no failed unit" test -z "$(systemctl --failed --no-legend)"
check "disable --now" netns-helper disable t1 --now
# NH_NSPAWN_BENCH=1: what the units' sandboxing costs.  Starting the
# target of a namespace (netns, macvlan, postup), 10 times, as shipped and
# with every sandboxing setting of macvlan and postup reset by a drop-in.
if [ "$BENCH" = 1 ]; then
        printf 'stages: [netns, macvlan, postup]\nmacvlan: {parent: hp0, address4: 192.0.2.20/24}\n' > "$CONF/ns/t3.yaml"
        netns-helper enable t3 --now >/dev/null 2>&1
        bench() {
                for i in $(seq 1 10); do
                        systemctl stop netns-helper@t3.service; sleep 0.5
                        t0=$(date +%s%N); systemctl start netns-helper@t3.target; t1=$(date +%s%N)
                        echo $(( (t1 - t0) / 100000 ))
                done | sort -n | awk '{ a[NR] = $1 } END { printf "median %.1f ms, min %.1f, max %.1f", a[int((NR + 1) / 2)] / 10, a[1] / 10, a[NR] / 10 }'
        }
        echo "# bench: systemctl start netns-helper@t3.target, units as shipped: $(bench)"
        for u in netns-helper-macvlan@ netns-helper-postup@; do
                mkdir -p "/etc/systemd/system/$u.service.d"
                printf '[Service]\nCapabilityBoundingSet=~\nNoNewPrivileges=no\nProtectHome=no\nPrivateTmp=no\nProtectKernelLogs=no\nProtectControlGroups=no\nRestrictAddressFamilies=\nRestrictNamespaces=no\nRestrictRealtime=no\nRestrictSUIDSGID=no\nLockPersonality=no\nSystemCallArchitectures=\n' \
                        > "/etc/systemd/system/$u.service.d/no-sandbox.conf"
        done
        systemctl daemon-reload
        echo "# bench: systemctl start netns-helper@t3.target, sandboxing reset: $(bench)"
        rm -r /etc/systemd/system/netns-helper-macvlan@.service.d /etc/systemd/system/netns-helper-postup@.service.d
        systemctl daemon-reload
        netns-helper disable t3 --now >/dev/null 2>&1
fi

# The DHCP units, hardened as shipped (AF_PACKET, PrivateDevices=,
# MemoryDenyWriteExecute=, ...), when the build has the DHCP plugins and
# the root has dnsmasq (debootstrap --include=...,dnsmasq-base).
if [ -n "$DHCP" ] && command -v dnsmasq >/dev/null 2>&1; then
        ip netns add srv
        ip link add hq0 type veth peer name hq1 && ip link set hq1 netns srv && ip link set hq0 up
        ip -n srv link set hq1 up
        ip -n srv addr add 198.51.100.1/24 dev hq1
        ip -n srv addr add 2001:db8:2::1/64 dev hq1 nodad
        ip netns exec srv dnsmasq --keep-in-foreground --no-ping --port=0 --interface=hq1 --bind-interfaces \
                --dhcp-range=198.51.100.50,198.51.100.99,255.255.255.0,1h --dhcp-range=2001:db8:2::100,2001:db8:2::1ff,64,1h \
                --dhcp-option=option:dns-server,198.51.100.53 --dhcp-rapid-commit \
                --dhcp-leasefile=/run/srv.leases --pid-file=/run/srv.pid &
        printf 'stages: [netns, macvlan, dhcp4, dhcp6, postup]\nmacvlan: {parent: hq0}\ndhcp6: {solicit-delay: no}\n' > "$CONF/ns/t2.yaml"
        printf '#!/bin/sh\nip -br addr > /run/t2-postup.out 2>&1\n' > "$CONF/ns/t2-postup"
        chmod 755 "$CONF/ns/t2-postup"
        units2="netns-helper@t2.target netns-helper-dhcp@t2.service netns-helper-dhcp6@t2.service netns-helper-postup@t2.service"
        t0=$(date +%s%N)
        check "enable --now of a DHCP namespace" netns-helper enable t2 --now
        t1=$(date +%s%N)
        echo "# netns-helper enable t2 --now (netns, macvlan, dhcp4, dhcp6, postup): $(( (t1 - t0) / 1000000 )) ms"
        # shellcheck disable=SC2086
        check "DHCP units active: $(systemctl is-active $units2 | tr '\n' ' ')" test "$(systemctl is-active $units2 | sort -u)" = active
        check "post-up ran after the DHCPv4 lease" grep -q '198\.51\.100\.[5-9][0-9]/24' /run/t2-postup.out
        check "post-up ran after the DHCPv6 lease" grep -q '2001:db8:2::1[0-9a-f][0-9a-f]/128' /run/t2-postup.out
        check "the lease's DNS server in the namespace's resolv.conf" grep -q '^nameserver 198.51.100.53' /etc/netns/t2/resolv.conf
        check "status shows both leases" sh -c 'netns-helper status t2 | grep -q "dhcp4 .*198.51.100.*expires" && netns-helper status t2 | grep -q "dhcp6 .*2001:db8:2::.*expires"'
        n=0
        for i in $(seq 1 20); do
                systemctl restart netns-helper@t2.target && [ "$(systemctl is-active netns-helper-postup@t2.service)" = active ] && n=$((n + 1))
        done
        check "20 restarts of a DHCP namespace ($n worked)" test "$n" = 20
        check "disable --now of the DHCP namespace" netns-helper disable t2 --now
        # shellcheck disable=SC2086
        check "DHCP units stopped" test "$(systemctl is-active $units2 | sort -u)" = inactive
        kill "$(cat /run/srv.pid)"
else
        echo "# DHCP units not tried: no DHCP plugins in this build, or no dnsmasq in the root"
fi
check "no failed unit at the end" test -z "$(systemctl --failed --no-legend)"
if [ "$fail" != 0 ]; then
        systemctl --failed --no-legend
        journalctl -b --no-pager -o cat -u 'netns-helper*' -u mydaemon.service | tail -40
fi
exit $fail
EOS
chmod 755 "$NH_T/stage/inside.sh"

M=nht$NH_ID
cg=nht-nspawn-$NH_ID
for c in systemd unified; do
        [ -d /sys/fs/cgroup/$c ] || continue
        mkdir -p "/sys/fs/cgroup/$c/$cg"
        nh_defer "find '/sys/fs/cgroup/$c/$cg' -depth -type d -exec rmdir {} \\;"
done
# nspawn in a cgroup of its own, so that it does not populate the root one.
sh -c 'for c in systemd unified; do [ -d /sys/fs/cgroup/$c/$1 ] && echo $$ > /sys/fs/cgroup/$c/$1/cgroup.procs; done
       exec systemd-nspawn -q -D "$2" -M "$3" --register=no --keep-unit --private-network \
            --volatile=overlay --bind-ro="$4:/mnt/stage" -b' _ "$cg" "$root" "$M" "$NH_T/stage" \
        >"$NH_T/nspawn.log" 2>&1 </dev/null &
nspawn=$!
# Deferred commands run in a subshell, where "wait" cannot reap nspawn:
# wait until it has exited (a zombie) before its cgroups are removed.
nh_defer "kill -TERM $nspawn; for i in \$(seq 1 100); do grep -q '^State:.*Z' /proc/$nspawn/status 2>/dev/null || [ ! -e /proc/$nspawn ] && break; sleep 0.1; done"
leader=""
for i in $(seq 1 100); do
        for c in $(cat /proc/$nspawn/task/*/children 2>/dev/null); do
                [ "$(cat /proc/$c/comm 2>/dev/null)" = systemd ] && leader=$c
        done
        [ -n "$leader" ] && break
        sleep 0.1
done
[ -n "$leader" ] || nh_fail "systemd did not start in the container: $(cat "$NH_T/nspawn.log")"
for i in $(seq 1 100); do
        s=$(nsenter -t "$leader" -a systemctl is-system-running 2>/dev/null)
        case $s in running|degraded) break ;; esac
        sleep 0.1
done
nh_log "container: $s"
out=$(nsenter -t "$leader" -a /mnt/stage/inside.sh 2>&1) && rc=0 || rc=$?
printf '%s\n' "$out" | sed 's/^/# /' >&2
[ "$rc" = 0 ] || nh_fail "in the booted systemd: $(printf '%s\n' "$out" | grep '^FAIL' | tr '\n' ';')"
kill -TERM "$nspawn"
wait "$nspawn"
