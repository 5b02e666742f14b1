# Shared by the tests of the systemd subcommands: a private tree, a
# private systemd configuration directory and a fake systemctl that logs
# its arguments (one call per line) to $NH_T/systemctl.log.
. "$NH_SRCDIR/tests/lib.sh"

nh_setup_tree
export NETNS_HELPER_SYSTEMD_DIR="$NH_T/systemd"
export NETNS_HELPER_SYSTEMCTL="$NH_T/fake-systemctl"
export NETNS_HELPER_UNITDIR="$NH_BUILDDIR/units"
SD="$NETNS_HELPER_SYSTEMD_DIR"
SCTL_LOG="$NH_T/systemctl.log"
mkdir -p "$SD"
: > "$SCTL_LOG"
# is-active answers from $NH_T/states (lines "UNIT STATE"), "inactive" else.
cat > "$NETNS_HELPER_SYSTEMCTL" <<EOS
#!/bin/sh
printf '%s\n' "\$*" >> '$SCTL_LOG'
# show -P PROP UNIT answers from \$NH_T/show (lines "UNIT PROP VALUE").
if [ "\$1" = show ] && [ "\$2" = -P ]; then
        awk -v u="\$4" -v p="\$3" '\$1 == u && \$2 == p { print \$3 }' '$NH_T/show' 2>/dev/null
        exit 0
fi
if [ "\$1" = is-active ]; then
        shift
        for u; do
                s=\$(awk -v u="\$u" '\$1 == u { print \$2 }' '$NH_T/states' 2>/dev/null)
                echo "\${s:-inactive}"
        done
fi
exit 0
EOS
chmod 755 "$NETNS_HELPER_SYSTEMCTL"

NHS="$NH"
[ -x "$NHS" ] || nh_fail "$NHS is not built"

# The whole tree under the systemd directory: "path" or "path -> target".
sd_tree() {
        (cd "$SD" && find . -mindepth 1 | LC_ALL=C sort | while IFS= read -r p; do
                if [ -L "$p" ]; then printf '%s -> %s\n' "$p" "$(readlink "$p")"; else printf '%s\n' "$p"; fi
        done)
}
