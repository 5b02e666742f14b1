#!/bin/sh
# Every unit we ship (and the out-of-tree stage template) passes
# "systemd-analyze verify" with no error and no warning.  verify exits 0 on
# unknown keys and bad values (it only logs them), so its output is what is
# checked.  Templates are verified as instances ("@test"), the way systemd
# loads them; ExecStart= paths point at a stand-in executable, because
# verify checks that the program exists and the build is not installed.
. "$NH_SRCDIR/tests/lib.sh"

command -v systemd-analyze >/dev/null 2>&1 ||
        nh_skip "needs systemd-analyze (Debian package systemd) to verify the units"

nh_setup_tree
mkdir -p "$NH_T/units" "$NH_T/sbin"
printf '#!/bin/sh\nexit 0\n' > "$NH_T/sbin/netns-helper-run"
chmod 755 "$NH_T/sbin/netns-helper-run"

n=0
for f in "$NH_BUILDDIR"/units/*.service "$NH_BUILDDIR"/units/*.target; do
        [ -f "$f" ] || nh_fail "no units built in $NH_BUILDDIR/units"
        b=$(basename "$f")
        inst=$(printf '%s\n' "$b" | sed -e 's/@\./@test./' -e 's/STAGE/example/')
        sed -e "s|$NH_SBINDIR/netns-helper-run|$NH_T/sbin/netns-helper-run|g" \
            -e 's/STAGE/example/g' "$f" > "$NH_T/units/$inst"
        # A unit of ours calls only netns-helper-run, by its configured path
        # (and the DHCP units, once ready, start their namespace's target).
        if grep -q '^Exec' "$f"; then
                grep '^Exec' "$f" | grep -v '^ExecStartPost=-systemctl --no-block start netns-helper@%i.target$' |
                        grep -qv "^Exec[A-Za-z]*=$NH_SBINDIR/netns-helper-run " &&
                        nh_fail "$b runs something else than $NH_SBINDIR/netns-helper-run"
        fi
        # %I would unescape '-' into '/' in a namespace name.
        ! grep -q '%I' "$f" || nh_fail "$b uses %I; instance names are used verbatim (%i)"
        n=$((n + 1))
done
[ "$n" -ge 7 ] || nh_fail "expected at least 7 units, found $n"

cd "$NH_T/units" || exit 1
out=$(systemd-analyze verify --man=no ./*.service ./*.target 2>&1) && rc=0 || rc=$?
printf '%s\n' "$out" | sed 's/^/# verify: /' >&2
[ "$rc" = 0 ] || nh_fail "systemd-analyze verify exited $rc"
[ -z "$out" ] || nh_fail "systemd-analyze verify printed warnings or errors (see above)"

# The unit creating the namespace must not get a mount namespace of its
# own: the bind mount at /run/netns/NAME would stay in it.
sandbox='^(PrivateTmp|ProtectSystem|ProtectHome|ReadOnlyPaths|ReadWritePaths|InaccessiblePaths|TemporaryFileSystem|BindPaths|BindReadOnlyPaths|PrivateDevices|PrivateMounts|ProtectKernelTunables|ProtectKernelModules|ProtectKernelLogs|ProtectControlGroups|ProtectProc|ProcSubset|MountFlags|RootDirectory|RootImage|PrivateNetwork|NetworkNamespacePath)='
! grep -Eq "$sandbox" netns-helper@test.service ||
        nh_fail "netns-helper@.service has mount sandboxing: $(grep -E "$sandbox" netns-helper@test.service)"

# The stage units all carry the hardening and CAP_SYS_ADMIN (setns(2)).
for u in netns-helper-macvlan@test.service netns-helper-dhcp@test.service \
         netns-helper-dhcp6@test.service netns-helper-slaac@test.service netns-helper-postup@test.service; do
        grep -q '^CapabilityBoundingSet=.*CAP_SYS_ADMIN' "$u" || nh_fail "$u: no bounding set with CAP_SYS_ADMIN"
        grep -q '^ProtectHome=yes' "$u" || nh_fail "$u: no ProtectHome=yes"
        grep -q '^NoNewPrivileges=yes' "$u" || nh_fail "$u: no NoNewPrivileges=yes"
        grep -q '^BindsTo=netns-helper@%i.service' "$u" || nh_fail "$u: not bound to the namespace"
        grep -q '^PartOf=netns-helper@%i.target' "$u" || nh_fail "$u: not part of the target"
        ! grep -q "^ProtectSystem=" "$u" || nh_fail "$u: ProtectSystem= makes the run and state directories of a /usr/local build read-only"
done
for u in netns-helper-dhcp@test.service netns-helper-dhcp6@test.service netns-helper-slaac@test.service; do
        grep -q '^Type=notify' "$u" || nh_fail "$u is not Type=notify"
        grep -q "^RestartPreventExitStatus=2 3 4 7\$" "$u" || nh_fail "$u restarts on usage/config errors or after a failed stage"
done
nh_log "verified $n units"

# Restarting netns-helper@NAME.target twenty times in a row must work: no
# unit of ours may keep the default start limit (5 starts in 10 s).
for u in ./*.service ./*.target; do
        grep -q '^StartLimitIntervalSec=0$' "$u" || nh_fail "$u keeps the default start limit"
done
