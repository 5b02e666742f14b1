# Helpers for the end-to-end tests: a cached minimal Debian root, the build
# installed into it, and a real systemd booted from it with systemd-nspawn.
# Source it after tests/lib.sh.
#
# PID 1 of the test machine need not be systemd: the container's systemd
# is reached with nsenter into its PID 1 (systemctl -M and machinectl need
# a registered machine, which needs systemd on the host).

# Packages of the cached root.  The libraries are what the installed
# programs link with; isc-dhcp-client is for the dhclient-backed stages;
# systemd-resolved and libnss-resolve make the container a host whose
# names go through resolved, as on many distributions (dns-leak.sh).
E2E_PACKAGES="systemd,dbus,iproute2,procps,dnsmasq-base,libnl-3-200,libnl-route-3-200,libyaml-0-2,isc-dhcp-client,wireguard-go,wireguard-tools,libnl-genl-3-200,systemd-resolved,libnss-resolve"
E2E_SUITE=bookworm
# Keyed by the package list, so that trees whose tests need other packages
# (or a change of the list) never rebuild each other's root in turn.
E2E_ROOT=${NH_E2E_ROOT:-/var/cache/netns-helper-tests/$E2E_SUITE-$(printf '%s' "$E2E_PACKAGES" | cksum | cut -d' ' -f1)}

e2e_require() {
        nh_require_root
        command -v systemd-nspawn >/dev/null 2>&1 ||
                nh_skip "needs systemd-nspawn (Debian package systemd-container) to boot a real systemd; .ci/run installs it"
        command -v nsenter >/dev/null 2>&1 || nh_skip "needs nsenter (util-linux)"
        if [ ! -f "$E2E_ROOT/.nh-e2e-packages" ] || [ "$(cat "$E2E_ROOT/.nh-e2e-packages")" != "$E2E_PACKAGES" ]; then
                command -v debootstrap >/dev/null 2>&1 ||
                        nh_skip "needs debootstrap to build the cached Debian root $E2E_ROOT (or set NH_E2E_ROOT to a ready one); .ci/run installs it"
        fi
        [ -d /sys/fs/cgroup ] || nh_skip "needs /sys/fs/cgroup for systemd-nspawn"
}

# e2e_require_plugins NAME...: skips unless the build has these plugins
# (checked before the staged install is built).
e2e_require_plugins() {
        local p
        for p in "$@"; do
                ls "$NH_BUILDDIR"/plugins/*/.libs/"$p.so" >/dev/null 2>&1 ||
                        nh_skip "the $p plugin is not part of this build ($NH_BUILDDIR/plugins/*/.libs/$p.so)"
        done
}

# e2e_prepare PLUGIN...: what a test needs before it boots a container:
# root and the tools (e2e_require), the named plugins in this build and in
# the staged install (skips otherwise), the cached root and the staged
# install (E2E_STAGE).
e2e_prepare() {
        local p
        e2e_require
        e2e_require_plugins "$@"
        e2e_ensure_root
        e2e_stage
        for p in "$@"; do
                [ -e "$E2E_STAGE/usr/lib/netns-helper/plugins/$p.so" ] ||
                        nh_skip "the $p plugin is not in the staged install ($E2E_STAGE/usr/lib/netns-helper/plugins)"
        done
}

# e2e_setup PLUGIN...: e2e_prepare, then the container booted with the
# build installed (e2e_boot "nht$NH_ID"): the start of most tests.
e2e_setup() {
        e2e_prepare "$@"
        e2e_boot "nht$NH_ID"
}

# e2e_ns_yaml NS [LINE...]: /etc/netns-helper/ns/NS.yaml in the container,
# from the LINEs, or from stdin when there are none.
e2e_ns_yaml() {
        local ns=$1
        shift
        if [ $# -gt 0 ]; then
                printf '%s\n' "$@" | e2e_sh "mkdir -p /etc/netns-helper/ns && cat > /etc/netns-helper/ns/$ns.yaml"
        else
                e2e_sh "mkdir -p /etc/netns-helper/ns && cat > /etc/netns-helper/ns/$ns.yaml"
        fi || nh_fail "cannot write /etc/netns-helper/ns/$ns.yaml in the container"
}

# The first Debian mirror the machine's APT uses (deb822 or one-line form).
e2e_mirror() {
        local m=""
        if [ -n "${NH_E2E_MIRROR:-}" ]; then
                printf '%s\n' "$NH_E2E_MIRROR"
                return
        fi
        m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
            sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' | grep -v -- '-security' | head -1)
        [ -n "$m" ] || m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
            awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' |
            grep -v -- '-security' | head -1)
        printf '%s\n' "${m:-http://deb.debian.org/debian}"
}

# Builds the root once; later runs reuse it.  It is built in a temporary
# directory beside it and renamed when complete, so an interrupted
# debootstrap never leaves a half root that a later run would boot.  A lock
# serialises concurrent test runs.
e2e_ensure_root() {
        local parent tmp mirror
        parent=$(dirname "$E2E_ROOT")
        mkdir -p "$parent" || nh_fail "cannot create $parent"
        exec 8>"$parent/.lock"
        flock 8
        if [ -f "$E2E_ROOT/.nh-e2e-packages" ] && [ "$(cat "$E2E_ROOT/.nh-e2e-packages")" = "$E2E_PACKAGES" ]; then
                flock -u 8
                return 0
        fi
        mirror=$(e2e_mirror)
        tmp=$(mktemp -d "$parent/.building.XXXXXX")
        nh_log "building the cached Debian root $E2E_ROOT from $mirror (once; about 30 s and 250 MB)"
        if ! debootstrap --variant=minbase --include="$E2E_PACKAGES" "$E2E_SUITE" "$tmp" "$mirror" \
                        >"$tmp.log" 2>&1; then
                tail -20 "$tmp.log" >&2
                rm -rf "$tmp" "$tmp.log"
                flock -u 8
                nh_skip "debootstrap of $E2E_SUITE from $mirror failed (no network?); see the lines above"
        fi
        rm -f "$tmp.log"
        # Quiet, fast boots: no getty on the console, no machine-id prompt.
        rm -f "$tmp/etc/machine-id" && : >"$tmp/etc/machine-id"
        printf '%s\n' "$E2E_PACKAGES" >"$tmp/.nh-e2e-packages"
        rm -rf "$E2E_ROOT.old"
        [ -e "$E2E_ROOT" ] && mv "$E2E_ROOT" "$E2E_ROOT.old"
        mv "$tmp" "$E2E_ROOT" || nh_fail "cannot rename $tmp to $E2E_ROOT"
        rm -rf "$E2E_ROOT.old"
        flock -u 8
}

# --- the build, installed as a distribution would -----------------------------
# e2e_cached KIND OUTPUT BUILDER: a build of its own from "make distdir" of
# the tree under test, in TOP=$NH_BUILDDIR/tests/e2e/KIND: "BUILDER TOP"
# makes TOP/OUTPUT from TOP/src, and it is reused while the sources are
# unchanged.  A lock serialises the e2e tests that "make -j check" runs
# side by side.  A tree a normal user built gets no root-owned files: TOP
# is then beside the cached roots, one per build tree.  Sets E2E_TOP.
e2e_cached() {
        local kind=$1 out=$2 builder=$3 top new
        top="$NH_BUILDDIR/tests/e2e/$kind"
        [ "$(stat -c %u "$NH_BUILDDIR")" = 0 ] ||
                top=$(dirname "$E2E_ROOT")/$kind-$(printf '%s' "$NH_BUILDDIR" | cksum | cut -d' ' -f1)
        mkdir -p "$top" || nh_fail "cannot create $top"
        exec 9>"$top/.lock"
        flock 9
        new="$top/src.new"
        rm -rf "$new"
        # Not the variables and jobserver of a "make check" that runs this.
        unset MAKEFLAGS MFLAGS MAKELEVEL
        make -s -C "$NH_BUILDDIR" distdir distdir="$new" >"$top/distdir.log" 2>&1 ||
                { cat "$top/distdir.log" >&2; nh_fail "make distdir failed"; }
        if [ -f "$top/$out/.complete" ] && diff -r -q "$new" "$top/src" >/dev/null 2>&1; then
                rm -rf "$new"
        else
                rm -rf "$top/src" "$top/$out"
                mv "$new" "$top/src"
                "$builder" "$top"
                touch "$top/$out/.complete"
        fi
        flock -u 9
        E2E_TOP=$top
}

# e2e_stage: the tree configured for /usr, /etc and /var, installed with
# DESTDIR into $E2E_STAGE.
e2e_stage() {
        e2e_cached stage dest e2e_build_stage
        E2E_STAGE="$E2E_TOP/dest"
}
e2e_build_stage() {
        local top=$1
        nh_log "building and installing the tree for /usr, /etc and /var in $top"
        rm -rf "$top/build"
        mkdir -p "$top/build"
        ( cd "$top/build" &&
          "$top/src/configure" --prefix=/usr --sysconfdir=/etc --localstatedir=/var \
                --runstatedir=/run --with-systemdsystemunitdir=/usr/lib/systemd/system \
                --with-bashcompletiondir=/usr/share/bash-completion/completions &&
          make -j"$(nproc)" && make install DESTDIR="$top/dest" ) >"$top/build.log" 2>&1 ||
                { tail -30 "$top/build.log" >&2; nh_fail "building the tree for the container failed (see $top/build.log)"; }
}

# --- the container --------------------------------------------------------------
# e2e_boot NAME [--early]: boots the cached root with a private network, the
# staged install bound at /mnt/nh and copied into the (throwaway) root,
# waits until systemd runs and sets E2E_NSPAWN (the nspawn PID) and
# E2E_LEADER (the container's PID 1, as seen from here).  With --early it
# returns as soon as systemd answers, whatever its state, and installs
# nothing.  E2E_NSPAWN_EXTRA: more systemd-nspawn options (no spaces in
# them).  Everything is stopped and removed at exit.
e2e_boot() {
        local name=$1 early=${2:-} cg i state=""
        E2E_MACHINE="$name"
        E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/nht-e2e-$name.XXXXXX")
        nh_defer "rm -rf '$E2E_DIR'"
        # systemd-nspawn puts its payload in sub-cgroups of its own cgroup:
        # give it one, so that nothing lands in the hierarchy's root.
        E2E_CGROUPS=""
        for cg in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified /sys/fs/cgroup; do
                [ -f "$cg/cgroup.procs" ] || continue
                case "$cg" in /sys/fs/cgroup) [ -z "$E2E_CGROUPS" ] || continue ;; esac
                mkdir -p "$cg/nh-e2e-$name" && E2E_CGROUPS="$E2E_CGROUPS $cg/nh-e2e-$name"
        done
        nh_defer "e2e_rm_cgroups"
        nh_defer "e2e_stop"
        nh_defer "e2e_dump_on_failure"
        (
                for cg in $E2E_CGROUPS; do
                        echo "$BASHPID" >"$cg/cgroup.procs" || exit 1
                done
                exec systemd-nspawn -q -D "$E2E_ROOT" -M "$name" --register=no --keep-unit \
                        --private-network --volatile=overlay --bind-ro="$E2E_STAGE:/mnt/nh" \
                        ${E2E_NSPAWN_EXTRA:-} -b systemd.show_status=0 systemd.log_target=console
        ) </dev/null >"$E2E_DIR/console.log" 2>&1 &
        E2E_NSPAWN=$!
        E2E_LEADER=""
        for i in $(seq 1 300); do
                kill -0 "$E2E_NSPAWN" 2>/dev/null || { tail -30 "$E2E_DIR/console.log" >&2; nh_fail "systemd-nspawn exited during boot"; }
                E2E_LEADER=$(e2e_find_leader)
                if [ -n "$E2E_LEADER" ]; then
                        state=$(e2e systemctl is-system-running 2>/dev/null || true)
                        case "$state" in running|degraded) break ;; esac
                        [ -n "$early" ] && [ -n "$state" ] && [ "$state" != offline ] && return 0
                fi
                sleep 0.1
        done
        [ -n "$E2E_LEADER" ] || nh_fail "the container's systemd did not start"
        case "$state" in running|degraded) ;; *) nh_fail "the container's systemd is '$state' after 30 s" ;; esac
        [ -z "$early" ] || return 0
        # The install, as a package would put it.
        e2e sh -c 'cp -a /mnt/nh/usr /mnt/nh/etc / && ldconfig && systemctl daemon-reload' ||
                nh_fail "cannot install the build into the container"
}

# Deferred commands run with their output thrown away: keep a way to the
# test's log, for the container's journal when the test fails.
exec 7>&2
e2e_dump_on_failure() {
        # rc: the exit status, a local of nh_run_deferred (tests/lib.sh)
        # that calls this.
        [ "${rc:-0}" != 0 ] && [ "${rc:-0}" != 77 ] || return 0
        [ -n "${E2E_LEADER:-}" ] && [ -d "/proc/$E2E_LEADER" ] || return 0
        {
                echo "# --- the container's failed units and the last 80 lines of its journal ---"
                e2e systemctl --no-pager --failed
                e2e journalctl --no-pager -o short-precise -n 80
        } >&7 2>&1
}

# The container's PID 1: the child of systemd-nspawn named systemd (the
# first child is a short-lived helper).
e2e_find_leader() {
        local c
        for c in $(cat /proc/"$E2E_NSPAWN"/task/*/children 2>/dev/null); do
                [ "$(cat /proc/"$c"/comm 2>/dev/null)" = systemd ] && { echo "$c"; return; }
        done
}

# e2e CMD...: runs CMD inside the container (all its namespaces, its root).
e2e() {
        nsenter -t "$E2E_LEADER" -a -- "$@"
}

# e2e_sh SCRIPT: runs a shell script inside the container.
e2e_sh() {
        nsenter -t "$E2E_LEADER" -a -- /bin/sh -c "$1"
}

# A process that has exited but is not reaped yet (the cleanup runs in a
# subshell, which cannot wait for it) counts as gone.
e2e_alive() {
        local st
        st=$(sed 's/.*) //' /proc/"$1"/stat 2>/dev/null) || return 1
        [ -n "$st" ] && [ "${st%% *}" != Z ]
}

e2e_stop() {
        local i
        [ -n "${E2E_NSPAWN:-}" ] || return 0
        kill -TERM "$E2E_NSPAWN" 2>/dev/null
        for i in $(seq 1 200); do
                e2e_alive "$E2E_NSPAWN" || break
                sleep 0.1
        done
        if e2e_alive "$E2E_NSPAWN"; then
                nh_log "systemd-nspawn $E2E_NSPAWN did not stop in 20 s; killing it"
                kill -KILL "$E2E_NSPAWN" 2>/dev/null
        fi
        wait "$E2E_NSPAWN" 2>/dev/null
        E2E_NSPAWN=""
}

# Removes the cgroups made for the container, deepest first (nspawn and the
# container's systemd leave empty sub-directories behind).
e2e_rm_cgroups() {
        local cg
        for cg in $E2E_CGROUPS; do
                [ -d "$cg" ] || continue
                find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null
                [ ! -d "$cg" ] || nh_log "could not remove cgroup $cg"
        done
}

# e2e_wait SECONDS SCRIPT: polls SCRIPT (run in the container) every 0.1 s
# until it succeeds; fails after SECONDS.  Not a timing assertion: the bound
# is there so that a broken build fails instead of hanging.
e2e_wait() {
        local n=$(( $1 * 10 )) i
        for i in $(seq 1 "$n"); do
                e2e_sh "$2" >/dev/null 2>&1 && return 0
                sleep 0.1
        done
        return 1
}

# e2e_lan [DNSMASQ-OPTIONS...]: the network a namespace's macvlan sits on,
# all inside the container: a veth pair whose end "nhpar" (the "host
# interface" of the configuration) stays in the container's root namespace
# and whose peer "nhlan" sits in namespace "lan", where dnsmasq serves DHCP
# (--no-ping: no 3 s wait before an offer).  dnsmasq's lease file is
# /run/nht-lan.leases.
E2E_LAN_V4="192.0.2"
E2E_LAN_V6="2001:db8:1"
e2e_lan() {
        e2e_sh "set -e
                ip netns add lan
                ip link add nhpar type veth peer name nhlan netns lan
                ip link set nhpar up
                ip -n lan link set lo up
                ip -n lan link set nhlan up
                ip -n lan addr add $E2E_LAN_V4.1/24 dev nhlan
                ip -n lan addr add $E2E_LAN_V6::1/64 dev nhlan nodad" ||
                nh_fail "cannot set up the LAN inside the container"
        e2e_lan_server "$@"
}

# e2e_lan_server [DNSMASQ-OPTIONS...]: (again) the LAN's dnsmasq, a transient
# unit nht-lan-dnsmasq (gone once stopped).
e2e_lan_server() {
        e2e systemd-run -q --unit=nht-lan-dnsmasq --service-type=simple \
                ip netns exec lan dnsmasq --keep-in-foreground --no-ping --no-resolv --no-hosts \
                --user=root --group=root --port=0 --bind-interfaces --interface=nhlan \
                --dhcp-leasefile=/run/nht-lan.leases --log-dhcp \
                --dhcp-range="$E2E_LAN_V4.100,$E2E_LAN_V4.150,255.255.255.0,1h" \
                --dhcp-option=option:dns-server,"$E2E_LAN_V4.53" \
                --dhcp-option=option:domain-name,nht.example "$@" ||
                nh_fail "cannot start dnsmasq in the container"
        e2e_wait 10 "systemctl is-active -q nht-lan-dnsmasq && test -e /run/nht-lan.leases" ||
                nh_fail "dnsmasq did not start: $(e2e journalctl -u nht-lan-dnsmasq --no-pager | tail -5)"
}

# e2e_parent_only: the parent interface "nhpar" of the configurations, up,
# with nothing behind it (no DHCP server answers).
e2e_parent_only() {
        e2e_sh "ip link add nhpar type veth peer name nhpeer && ip link set nhpar up && ip link set nhpeer up" ||
                nh_fail "cannot make the parent interface"
}

# e2e_daemon: a small daemon of the test's own, nhdaemon.service: it
# records the network namespace it runs in, the /etc/resolv.conf it reads
# and its addresses in /run/nhdaemon.out, then sleeps.
e2e_daemon() {
        e2e_sh 'cat > /usr/local/bin/nhdaemon <<"EOT"
#!/bin/sh
out=/run/nhdaemon.out
{
        echo "netns $(readlink /proc/self/ns/net)"
        sed "s/^/resolv /" /etc/resolv.conf
        ip -o addr show | sed "s/^/addr /"
} > $out.tmp
mv $out.tmp $out
exec sleep infinity
EOT
chmod 755 /usr/local/bin/nhdaemon
# A restart of the namespace restarts this service too (BindsTo=): twenty
# in a row would hit the default start limit (5 in 10 s).
cat > /etc/systemd/system/nhdaemon.service <<"EOT"
[Unit]
Description=netns-helper e2e test daemon
StartLimitIntervalSec=0
[Service]
ExecStart=/usr/local/bin/nhdaemon
EOT' || nh_fail "cannot write the test daemon"
}

# e2e_units_active UNIT...: fails unless every unit is active.
e2e_units_active() {
        local states
        states=$(e2e systemctl is-active "$@" | tr '\n' ' ')
        [ -z "$(printf '%s' "$states" | tr ' ' '\n' | grep -vx active)" ] ||
                nh_fail "not all units active: $* -> $states"
}

# e2e_no_leftovers NS OLD-INODE: after a stop, nothing of namespace NS is
# left in the container: its name and mount, a macvlan anywhere, a process
# in it, its run directory, the resolv.conf generated for it.
e2e_no_leftovers() {
        local ns=$1 ino=$2 out
        e2e_sh "! test -e /run/netns/$ns" || nh_fail "/run/netns/$ns is still there after stop"
        e2e_sh "! grep -q ' /run/netns/$ns ' /proc/self/mountinfo" ||
                nh_fail "a mount of /run/netns/$ns is still there after stop"
        # The kernel removes a dead namespace's links asynchronously.
        e2e_wait 10 "test -z \"\$(ip -d -o link show type macvlan; ip -n lan -d -o link show type macvlan)\"" ||
                nh_fail "a macvlan is still there after stop: $(e2e_sh 'ip -d -o link show type macvlan; ip -n lan -d -o link show type macvlan')"
        out=$(e2e_sh "for p in /proc/[0-9]*; do
                        [ \"\$(stat -L -c %i \$p/ns/net 2>/dev/null)\" = $ino ] && echo \"\${p#/proc/} \$(cat \$p/cmdline | tr '\\0' ' ')\"
                      done; ps -e -o pid=,args= | grep '[n]etns-helper-run'; true")
        [ -z "$out" ] || nh_fail "processes left in or for namespace $ns after stop: $out"
        e2e_sh "! test -e /run/netns-helper/$ns" || nh_fail "/run/netns-helper/$ns is still there after stop: $(e2e ls -la /run/netns-helper/$ns)"
        e2e_sh "! test -e /etc/netns/$ns/resolv.conf" || nh_fail "/etc/netns/$ns/resolv.conf is still there after stop"
}

# e2e_postup_hook NS: the namespace's post-up hook, which appends what it
# sees (its network namespace and addresses) to /run/nht-postup-NS.log.
e2e_postup_hook() {
        e2e_sh "mkdir -p /etc/netns-helper/ns && cat > /etc/netns-helper/ns/$1-postup <<\"EOT\"
#!/bin/sh
{
        echo \"run \$(date +%s.%N) \$(readlink /proc/self/ns/net)\"
        ip -o addr show | sed 's/^/addr /'
} >> /run/nht-postup-$1.log
EOT
chmod 755 /etc/netns-helper/ns/$1-postup" || nh_fail "cannot write the post-up hook"
}

# e2e_check_ns NS FAMILIES: the checks on a namespace that is up with
# nhdaemon added to it.  FAMILIES is "4" or "4 6": the DHCP stages in use.
# Sets E2E_INO to the namespace's inode.
e2e_check_ns() {
        local ns=$1 families=$2 pid dino out resolv addr4 addr6 t_dhcp t_post f u
        E2E_INO=$(e2e stat -L -c %i "/run/netns/$ns") || nh_fail "no /run/netns/$ns"
        e2e_wait 10 "systemctl is-active -q nhdaemon && test -s /run/nhdaemon.out" ||
                nh_fail "nhdaemon did not start: $(e2e systemctl status --no-pager nhdaemon | tail -5)"
        pid=$(e2e systemctl show -P MainPID nhdaemon.service)
        dino=$(e2e stat -L -c %i "/proc/$pid/ns/net")
        nh_assert_eq "$dino" "$E2E_INO" "nhdaemon's /proc/$pid/ns/net is not /run/netns/$ns"
        out=$(e2e cat /run/nhdaemon.out)
        nh_assert_match "$out" "^netns net:\\[$E2E_INO\\]\$" "nhdaemon saw another namespace"

        # /etc/resolv.conf, as the daemon read it, is the namespace's one,
        # written from the lease.
        resolv=$(e2e cat "/etc/netns/$ns/resolv.conf") || nh_fail "no /etc/netns/$ns/resolv.conf"
        nh_assert_match "$resolv" "^nameserver $E2E_LAN_V4\\.53\$" "/etc/netns/$ns/resolv.conf lacks the leased DNS server"
        nh_assert_eq "$(printf '%s\n' "$out" | sed -n 's/^resolv //p')" "$resolv" \
                "nhdaemon's /etc/resolv.conf is not /etc/netns/$ns/resolv.conf"

        # Its address came from the lease that dnsmasq handed out.
        addr4=$(printf '%s\n' "$out" | sed -n "s/^addr [0-9]*: nm_$ns *inet \\($E2E_LAN_V4\\.[0-9]*\\)\\/24 .*/\\1/p")
        [ -n "$addr4" ] || nh_fail "nhdaemon has no IPv4 address from the LAN: $out"
        e2e grep -q " $addr4 " /run/nht-lan.leases ||
                nh_fail "$addr4 is not in dnsmasq's leases: $(e2e cat /run/nht-lan.leases)"
        if [ "$families" = "4 6" ]; then
                addr6=$(printf '%s\n' "$out" | sed -n "s/^addr [0-9]*: nm_$ns *inet6 \\($E2E_LAN_V6::[0-9a-f]*\\)\\/128 .*/\\1/p")
                [ -n "$addr6" ] || nh_fail "nhdaemon has no DHCPv6 address (a /128 in $E2E_LAN_V6::/64): $out"
                e2e grep -q " $addr6 " /run/nht-lan.leases ||
                        nh_fail "$addr6 is not in dnsmasq's leases: $(e2e cat /run/nht-lan.leases)"
        fi

        # The post-up hook ran in the namespace, after the DHCP stages were
        # ready (systemd's own timestamps), and saw the leased addresses.
        out=$(e2e cat "/run/nht-postup-$ns.log" 2>/dev/null) ||
                nh_fail "the post-up hook /etc/netns-helper/ns/$ns-postup did not run; netns-helper-postup@$ns.service is $(e2e systemctl is-active netns-helper-postup@$ns.service)"
        out=$(printf '%s\n' "$out" | awk '/^run /{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}')
        nh_assert_match "$out" "^run [0-9.]+ net:\\[$E2E_INO\\]\$" "the post-up hook ran in another namespace"
        nh_assert_match "$out" "inet $addr4/24" "the post-up hook did not see the leased IPv4 address"
        [ -z "${addr6:-}" ] || nh_assert_match "$out" "inet6 $addr6/128" "the post-up hook did not see the leased IPv6 address"
        t_post=$(e2e systemctl show -P InactiveExitTimestampMonotonic "netns-helper-postup@$ns.service")
        for f in $families; do
                u=netns-helper-dhcp@$ns.service
                [ "$f" = 6 ] && u=netns-helper-dhcp6@$ns.service
                t_dhcp=$(e2e systemctl show -P ActiveEnterTimestampMonotonic "$u")
                [ "$t_post" -ge "$t_dhcp" ] ||
                        nh_fail "the post-up unit started ($t_post us) before $u was ready ($t_dhcp us)"
        done
}

# e2e_restarts NS UNITS...: restarts netns-helper@NS.target twenty times in
# a row; after each, every unit is active and
# nhdaemon, bound to it, runs in it again.
e2e_restarts() {
        local ns=$1 i ino pid dino
        shift
        for i in $(seq 1 20); do
                e2e systemctl restart "netns-helper@$ns.target" ||
                        nh_fail "restart $i of netns-helper@$ns.target failed: $(e2e systemctl --no-pager --failed)"
                e2e_units_active "$@" nhdaemon.service
                ino=$(e2e stat -L -c %i "/run/netns/$ns")
                pid=$(e2e systemctl show -P MainPID nhdaemon.service)
                dino=$(e2e stat -L -c %i "/proc/$pid/ns/net")
                nh_assert_eq "$dino" "$ino" "after restart $i, nhdaemon is not in the new namespace"
        done
        nh_log "20 restarts of netns-helper@$ns.target: every unit active after each, nhdaemon back in the new namespace"
}
