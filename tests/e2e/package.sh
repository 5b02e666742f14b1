#!/bin/sh
# The Debian package in a booted systemd: built from this tree
# (dpkg-buildpackage -b in a copy made by "make distdir"), installed with
# "apt install ./netns-helper_*.deb", the original README's example run on
# the packaged paths (torrents-macvlan.conf, "systemctl enable --now" of
# the three units, "netns-helper add"), then "apt purge": no file of the
# package is left, nor its configuration, state, cache and run files, nor
# what "netns-helper add" wrote; the namespace is gone (prerm stopped it).
# NH_DEB_DIR: a directory holding the built package (.ci/run builds it
# once); else it is built here, once per source state.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/e2e/lib-e2e.sh"

e2e_require
e2e_require_plugins dhcp4
log=$(mktemp "${TMPDIR:-/tmp}/nht-package.XXXXXX") || nh_fail "mktemp failed"
nh_defer "rm -f '$log'"
e2e_ensure_root
# The package, built as Debian builds it: in a copy of the tree, nocheck
# (make check is this very run).
e2e_build_debs() {
        local top=$1
        nh_log "building the package in $top (dpkg-buildpackage -us -uc -b)"
        mkdir -p "$top/debs/build" && cp -a "$top/src" "$top/debs/build/netns-helper" ||
                nh_fail "cannot copy the tree to $top/debs/build"
        ( cd "$top/debs/build/netns-helper" &&
          DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b ) >"$top/build.log" 2>&1 ||
                { tail -30 "$top/build.log" >&2; nh_fail "dpkg-buildpackage failed (see $top/build.log)"; }
        mv "$top/debs/build/"*.deb "$top/debs/" && rm -rf "$top/debs/build"
}
debs=${NH_DEB_DIR:-}
if [ -z "$debs" ]; then
        nh_require_cmd dpkg-buildpackage dh
        e2e_cached deb debs e2e_build_debs
        debs="$E2E_TOP/debs"
fi
deb=$(ls "$debs"/netns-helper_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || nh_fail "no netns-helper_*.deb in $debs"

# The container, with the package directory at /mnt/nh and nothing else
# of this build in it.
E2E_STAGE=$debs
e2e_boot "nht$NH_ID" --early
e2e_wait 30 'case $(systemctl is-system-running) in running|degraded) exit 0;; esac; exit 1' ||
        nh_fail "the container's systemd is not running: $(e2e systemctl is-system-running)"
e2e_sh "cd /mnt/nh && apt install -y ./${deb##*/}" >"$log" 2>&1 ||
        { cat "$log" >&2; nh_fail "apt install ./${deb##*/} failed"; }
files=$(e2e dpkg-query -L netns-helper) || nh_fail "netns-helper is not installed"
e2e_sh 'test "$(command -v netns-helper)" = /usr/sbin/netns-helper' ||
        nh_fail "netns-helper is not /usr/sbin/netns-helper"
e2e_sh 'dpkg-query -W -f="\${Conffiles}\n" netns-helper | grep -q "^ /etc/netns-helper/netns-helper.yaml "' ||
        nh_fail "/etc/netns-helper/netns-helper.yaml is not a conffile"

# The original README's example, on the packaged paths.
e2e_lan
NS=torrents
UNITS="netns-helper@$NS.service netns-helper-macvlan@$NS.service netns-helper-dhcp@$NS.service"
e2e_sh "printf '%s\n' 'MAC=02:4e:48:00:00:01' 'PARENT_IF=nhpar' > /etc/netns-helper/ns/$NS-macvlan.conf"
e2e_postup_hook $NS
e2e_daemon
# shellcheck disable=SC2086
e2e systemctl enable --now $UNITS || nh_fail "systemctl enable --now $UNITS failed"
e2e netns-helper add $NS nhdaemon.service || nh_fail "netns-helper add $NS nhdaemon.service failed"
e2e systemctl daemon-reload && e2e systemctl restart nhdaemon.service || nh_fail "restarting nhdaemon failed"
# shellcheck disable=SC2086
e2e_units_active $UNITS nhdaemon.service
e2e_check_ns $NS 4
e2e_sh 'ls /usr/lib/*/netns-helper/plugins/dhcp4.so' >/dev/null || nh_fail "no packaged dhcp4 plugin"
nh_log "package: nhdaemon runs in /run/netns/$NS (inode $E2E_INO) with a lease, from the packaged programs and plugins"

# apt purge: nothing of the package is left.
e2e_sh "apt purge -y netns-helper" >"$log" 2>&1 ||
        { cat "$log" >&2; nh_fail "apt purge netns-helper failed"; }
e2e_sh '! dpkg-query -W -f="\${Status}\n" netns-helper 2>/dev/null | grep -q installed' ||
        nh_fail "netns-helper is still installed after apt purge"
left=$(printf '%s\n' "$files" | e2e sh -c 'while read -r f; do [ -e "$f" ] && [ ! -d "$f" ] && echo "$f"; done; true')
[ -z "$left" ] || nh_fail "files of the package left after apt purge: $left"
left=$(e2e sh -c 'for f in /etc/netns-helper /var/lib/netns-helper /var/cache/netns-helper /run/netns-helper \
                /usr/lib/*/netns-helper /usr/libexec/netns-helper /usr/share/netns-helper \
                /etc/systemd/system/nhdaemon.service.d/netns-helper.conf; do [ -e "$f" ] && echo "$f"; done
        find /etc/systemd/system -name "netns-helper*"; true')
[ -z "$left" ] || nh_fail "left after apt purge: $left"
e2e_no_leftovers $NS "$E2E_INO"
# Nothing else: the daemon's own unit stays, and iproute2's directories.
e2e test -f /etc/systemd/system/nhdaemon.service || nh_fail "apt purge removed nhdaemon.service, which is not ours"
e2e test -d /run/netns || nh_fail "apt purge removed /run/netns, which is iproute2's"
nh_log "package: after apt purge no file of it, its configuration, state, cache, run files or drop-in is left"
exit 0
