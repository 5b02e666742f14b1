#!/bin/sh
# What root runs must be root's alone (issue 14): a program named in the
# configuration (the dhclient plugins' "dhclient:") that others can write,
# or that sits in a directory others can write, is refused and never run;
# a configuration file that others can write is refused, with the chmod to
# run.  The plugin directory's and the symlink-swap cases are in
# tests/engine/test-engine.c (loader), the hooks' in tests/core/hook-run.sh.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_root
for p in netns/netns dhclient/dhclient4; do
        [ -f "$NH_BUILDDIR/plugins/${p%/*}/.libs/${p#*/}.so" ] || nh_skip "plugin ${p#*/}.so is not built"
done
nh_setup_tree
NS=$(nh_ns t)
nh_defer "\"$NH\" down $NS"
FILE="$NH_NSCONF/$NS.yaml"

# The "program": records that root ran it.
mkdir -p "$NH_T/bin"
PROG="$NH_T/bin/dhclient"
printf '#!/bin/sh\ntouch %s/ran\nexit 1\n' "$NH_T" > "$PROG"
chmod 777 "$PROG"
cat > "$FILE" <<EOF2
stages: [netns, dhcp4]
implementations: {dhcp4: dhclient4}
dhcp4:
  interface: lo
  timeout: 2
  dhclient: $PROG
EOF2

nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "refusing to run $PROG as root: $PROG is writable by others; chmod go-w $PROG" \
        "a world-writable program named in the configuration"
nh_expect_exit 3 "$NH" up "$NS"
[ ! -e "$NH_T/ran" ] || nh_fail "root ran a world-writable program named in the configuration"
[ ! -e "/run/netns/$NS" ] || nh_fail "up made the namespace before refusing"

# Its directory writable by others: anyone may put another program there.
chmod 755 "$PROG"
chmod 777 "$NH_T/bin"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "directory $NH_T/bin is writable by others; chmod go-w $NH_T/bin" \
        "a program in a world-writable directory"
chmod 755 "$NH_T/bin"
nh_expect_exit 0 "$NH" validate "$NS"

# A configuration file writable by others says what root runs.
chmod 666 "$FILE"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "$FILE: writable by others, who could make root run anything; refusing to read it: chmod o-w $FILE" \
        "a configuration file writable by others"
nh_expect_exit 3 "$NH" up "$NS"
[ ! -e "/run/netns/$NS" ] || nh_fail "up made the namespace from a file writable by others"
chmod 644 "$FILE"
nh_expect_exit 0 "$NH" validate "$NS"
# The same for wireguard-go's "wireguard-go:", refused at start.
if [ -f "$NH_BUILDDIR/plugins/wireguard/.libs/wireguard-go.so" ] && command -v wg >/dev/null 2>&1; then
        rm -f "$NH_T/ran"
        chmod 777 "$PROG"
        KEY=$(wg genkey)
        printf '[Interface]\nPrivateKey = %s\nAddress = 10.200.0.2/32\n[Peer]\nPublicKey = %s\nEndpoint = 192.0.2.1:51820\nAllowedIPs = 0.0.0.0/0\n' \
                "$KEY" "$(printf '%s\n' "$KEY" | wg pubkey)" > "$NH_NSCONF/$NS-wg.conf"
        chmod 600 "$NH_NSCONF/$NS-wg.conf"
        printf 'stages: [netns, wireguard]\nimplementations: {wireguard: wireguard-go}\nwireguard:\n  config: ns/%s-wg.conf\n  wireguard-go: %s\n' \
                "$NS" "$PROG" > "$FILE"
        nh_expect_exit 1 "$NH" up "$NS"
        nh_assert_match "$NH_ERR" "Refusing to run $PROG: $PROG is writable by others; chmod go-w $PROG" \
                "a world-writable wireguard-go: program"
        [ ! -e "$NH_T/ran" ] || nh_fail "root ran a world-writable wireguard-go: program"
        [ ! -e "/run/netns/$NS" ] || nh_fail "a failed up left the namespace"
else
        nh_log "wireguard-go.so or wg missing: the wireguard-go: case is not run"
fi
echo "PASS: $NH_TEST"
