#!/bin/sh
# "netns-helper add" writes exactly the drop-in that puts a service in the
# namespace, "remove" deletes it (and its directory when empty), bad names
# are refused with exit 3 and nothing written, and --now reloads systemd and
# restarts the service through systemctl.
. "$NH_SRCDIR/tests/svc/svc-lib.sh"

ns=nht${NH_ID}w
printf 'stages: [netns]\n' > "$NH_NSCONF/$ns.yaml"

nh_expect_exit 0 "$NHS" add "$ns" mydaemon
f="$SD/mydaemon.service.d/netns-helper.conf"
[ -f "$f" ] || nh_fail "add did not write $f"
nh_assert_eq "$(sd_tree)" "./mydaemon.service.d
./mydaemon.service.d/netns-helper.conf
./netns-helper@$ns.target.d
./netns-helper@$ns.target.d/mydaemon.service.conf" "files under the systemd directory"
# Starting the namespace starts the service: the target wants it.
nh_assert_eq "$(grep -v '^#' "$SD/netns-helper@$ns.target.d/mydaemon.service.conf")" "[Unit]
Wants=mydaemon.service" "the target's drop-in"
body=$(grep -v '^#' "$f")
nh_assert_eq "$body" "[Unit]
Wants=netns-helper@$ns.target
BindsTo=netns-helper@$ns.service
Requires=netns-helper-postup@$ns.service
After=netns-helper@$ns.service netns-helper@$ns.target netns-helper-postup@$ns.service
StartLimitIntervalSec=0

[Service]
NetworkNamespacePath=/run/netns/$ns
BindReadOnlyPaths=-$NETNS_HELPER_ETC_NETNS/$ns/resolv.conf:/etc/resolv.conf
BindReadOnlyPaths=-$NETNS_HELPER_ETC_NETNS/$ns/nsswitch.conf:/etc/nsswitch.conf
InaccessiblePaths=-/run/systemd/resolve/io.systemd.Resolve -/run/nscd" "the drop-in"
nh_assert_eq "$(stat -c %a "$f")" 644 "mode of the drop-in"
[ -s "$SCTL_LOG" ] && nh_fail "add without --now ran systemctl: $(cat "$SCTL_LOG")"

# The drop-in is a unit file systemd accepts without a warning, next to
# our units (ExecStart= pointed at a stand-in: verify wants the program).
if command -v systemd-analyze >/dev/null 2>&1; then
        mkdir -p "$NH_T/v/mydaemon.service.d" "$NH_T/sbin"
        printf '#!/bin/sh\nexit 0\n' > "$NH_T/sbin/netns-helper-run"
        chmod 755 "$NH_T/sbin/netns-helper-run"
        for u in "$NH_BUILDDIR"/units/netns-helper*@.service "$NH_BUILDDIR"/units/netns-helper@.target; do
                sed "s|$NH_SBINDIR/netns-helper-run|$NH_T/sbin/netns-helper-run|g" "$u" > "$NH_T/v/$(basename "$u")"
        done
        printf '[Service]\nExecStart=/bin/true\n' > "$NH_T/v/mydaemon.service"
        cp "$f" "$NH_T/v/mydaemon.service.d/"
        out=$(cd "$NH_T/v" && SYSTEMD_UNIT_PATH="$NH_T/v:" systemd-analyze verify --man=no ./mydaemon.service 2>&1) ||
                nh_fail "systemd-analyze verify of the drop-in failed: $out"
        [ -z "$out" ] || nh_fail "systemd-analyze verify of the drop-in: $out"
else
        nh_log "systemd-analyze not installed: drop-in syntax not verified"
fi

# An explicit .service and a template instance are kept as given.
nh_expect_exit 0 "$NHS" add "$ns" other@x.service
[ -f "$SD/other@x.service.d/netns-helper.conf" ] || nh_fail "add other@x.service wrote nothing"

# Another drop-in in the directory survives "remove"; the directory too.
echo '[Service]' > "$SD/other@x.service.d/local.conf"
nh_expect_exit 0 "$NHS" remove other@x
[ ! -e "$SD/other@x.service.d/netns-helper.conf" ] || nh_fail "remove left the drop-in"
[ -f "$SD/other@x.service.d/local.conf" ] || nh_fail "remove deleted another drop-in"
rm -r "$SD/other@x.service.d"

nh_expect_exit 0 "$NHS" remove mydaemon.service
nh_assert_eq "$(sd_tree)" "" "the systemd directory after remove"
# Removing again succeeds and says so.
nh_expect_exit 0 "$NHS" remove mydaemon
nh_assert_match "$NH_ERR" "not in a namespace" "second remove"

# --now: daemon-reload, then restart of the service.
nh_expect_exit 0 "$NHS" add --now "$ns" mydaemon
nh_assert_eq "$(cat "$SCTL_LOG")" "daemon-reload
restart mydaemon.service" "systemctl calls of add --now"
: > "$SCTL_LOG"
nh_expect_exit 0 "$NHS" remove mydaemon --now
nh_assert_eq "$(cat "$SCTL_LOG")" "daemon-reload
restart mydaemon.service" "systemctl calls of remove --now"
[ ! -e "$SD/mydaemon.service.d" ] || nh_fail "remove --now left $SD/mydaemon.service.d"
: > "$SCTL_LOG"

# A failing systemctl is a failure of the command (exit 1), named.
printf '#!/bin/sh\necho "$*" >> "%s"\nexit 5\n' "$SCTL_LOG" > "$NH_T/bad-systemctl"
chmod 755 "$NH_T/bad-systemctl"
NETNS_HELPER_SYSTEMCTL="$NH_T/bad-systemctl" nh_expect_exit 1 "$NHS" add "$ns" mydaemon --now
nh_assert_match "$NH_ERR" "daemon-reload.*exit status 5" "message of a failed systemctl"
"$NHS" remove mydaemon >/dev/null 2>&1
: > "$SCTL_LOG"

# Bad names: exit 3, a message naming the name, nothing written, no systemctl.
long=$(printf 'x%.0s' $(seq 1 300))
for bad in "../x" "a/b" "a b" "$long" "" "-x" "x;y"; do
        nh_expect_exit 3 "$NHS" add --now -- "$bad" mydaemon
        nh_assert_match "$NH_ERR" "[Ii]nvalid namespace name" "add '$bad' mydaemon"
        nh_expect_exit 3 "$NHS" add --now -- "$ns" "$bad"
        nh_assert_match "$NH_ERR" "[Ii]nvalid service name" "add $ns '$bad'"
        nh_expect_exit 3 "$NHS" remove --now -- "$bad"
done
for bad in "../x" "a/b" "a b"; do
        nh_expect_exit 3 "$NHS" add "$ns" "$bad.service"
        nh_expect_exit 3 "$NHS" remove "$bad.service"
done
nh_expect_exit 3 "$NHS" add "$ns" foo.sevrice
nh_assert_match "$NH_ERR" "[Ii]nvalid service name" "add of a misspelt unit type"
nh_expect_exit 3 "$NHS" add "$ns" sshd.socket
nh_assert_match "$NH_ERR" "not a service" "add of a socket unit"
nh_assert_eq "$(sd_tree)" "" "the systemd directory after bad names"
[ -s "$SCTL_LOG" ] && nh_fail "bad names ran systemctl: $(cat "$SCTL_LOG")"

# Usage errors: exit 2.
nh_expect_exit 2 "$NHS" add "$ns"
nh_expect_exit 2 "$NHS" add "$ns" a b
nh_expect_exit 2 "$NHS" add --bogus "$ns" a
nh_expect_exit 2 "$NHS" remove
nh_expect_exit 0 "$NHS" add --help
nh_assert_match "$NH_OUT" "Usage: netns-helper add NAMESPACE SERVICE" "add --help"
nh_expect_exit 0 "$NHS" remove --version
nh_assert_match "$NH_OUT" "^netns-helper [0-9]" "remove --version"
nh_assert_eq "$(sd_tree)" "" "the systemd directory at the end"
