#!/bin/sh
# The provider's file is read as data: lines that would run commands or
# that netns-helper decides itself are refused, naming file, line and key
# and what to use instead; a file holding a private key must be root's and
# closed to others (the message gives the chmod/chown to run); mistakes in
# the keys of the YAML section name the YAML file.  Nothing is made.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_root
nh_require_cmd wg
nh_setup_tree
NS=$(nh_ns v)
CONF="$NH_NSCONF/$NS-wg.conf"
KEY=$(wg genkey)
PUB=$(printf '%s\n' "$KEY" | wg pubkey)

conf() {
        { printf '[Interface]\nPrivateKey = %s\nAddress = 10.200.0.2/32\n' "$KEY"
          printf '%s\n' "$@"
          printf '[Peer]\nPublicKey = %s\nEndpoint = 192.0.2.1:51820\nAllowedIPs = 0.0.0.0/0\n' "$PUB"
        } > "$CONF"
        chmod 600 "$CONF"
}
yaml() {
        { printf 'implementations: {wireguard: wireguard-go}\nwireguard:\n  config: ns/%s-wg.conf\n' "$NS"
          printf '%s\n' "$@"
        } > "$NH_NSCONF/$NS.yaml"
}

yaml
conf "DNS = 10.200.0.1"
nh_expect_exit 0 "$NH" validate "$NS"

conf "PostUp = iptables -I OUTPUT ! -o %i -j REJECT"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "$CONF:4: PostUp: refused: netns-helper never runs this file through a shell; put the commands in the hook ns/NAME-postup" \
        "PostUp refused with file, line and the hook to use"
nh_assert_match "$NH_ERR" "$NH_NSCONF/$NS.yaml:3:[0-9]+: wireguard.config" "the YAML place too"
conf "Table = off"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "$CONF:4: Table: refused" "Table refused"
conf "SaveConfig = true"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "$CONF:4: SaveConfig: refused" "SaveConfig refused"
conf "Adress = 10.0.0.1"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "$CONF:4: Adress: unknown key in \[Interface\]" "a typo named"

# A private key open to others, or not root's.
conf
chmod 644 "$CONF"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "holds a private key but is open to others \(mode 0644\); run: chmod 600 $CONF" "the chmod to run"
chmod 600 "$CONF"
chown nobody "$CONF"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "run: chown root:root $CONF" "the chown to run"
chown root "$CONF"

# The key elsewhere: private-key-file, or inline in the YAML file.
sed -i '/^PrivateKey/d' "$CONF"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "has no PrivateKey in \[Interface\]; add it there, or set private-key-file:" "a missing key"
printf '%s\n' "$KEY" > "$NH_T/wg.key"
chmod 640 "$NH_T/wg.key"
yaml "  private-key-file: $NH_T/wg.key"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "wireguard.private-key-file: $NH_T/wg.key holds a private key but is open to others \(mode 0640\); run: chmod 600 $NH_T/wg.key" \
        "private-key-file checked"
chmod 600 "$NH_T/wg.key"
nh_expect_exit 0 "$NH" validate "$NS"
yaml "  private-key: $KEY"
chmod 644 "$NH_NSCONF/$NS.yaml"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "wireguard.private-key: $NH_NSCONF/$NS.yaml holds a private key but is open to others" \
        "an inline key makes the YAML file secret"
chmod 600 "$NH_NSCONF/$NS.yaml"
nh_expect_exit 0 "$NH" validate "$NS"
yaml "  private-key: not-a-key"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "wireguard.private-key: .*not a key" "a bad inline key"
yaml "  birth-namespace: $NS"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "wireguard.birth-namespace: the tunnel's UDP socket cannot live in the namespace it protects" \
        "birth namespace = namespace"
yaml "  conf: x"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "wireguard.conf: unknown key" "a YAML typo named"
[ ! -e "/run/netns/$NS" ] || nh_fail "validate made the namespace"
exit 0
