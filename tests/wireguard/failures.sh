#!/bin/sh
# When the tunnel cannot come up, start fails with a message that says
# why, and leaves nothing: the kernel plugin (the default) on this kernel
# without WireGuard; a server that never answers (bounded wait, the
# endpoint named); wireguard-go dying under the stage.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/wireguard/common.sh"
nh_setup_tree
wg_lab
NS=$(nh_ns c)
wg_client_conf "$NH_NSCONF/$NS-wg.conf"

leaves_nothing() {
        nh_no_leftovers "$NS"
        [ ! -e "$NH_T/run/$NS/wireguard-go.pid" ] || nh_fail "the pid file is left"
        if ip -n "$WG_B" link show "wg-$NS" >/dev/null 2>&1; then nh_fail "the TUN device is left in the birth namespace"; fi
        [ ! -e "/var/run/wireguard/wg-$NS.sock" ] || nh_fail "the UAPI socket is left"
        [ ! -e "$NH_T/etc-netns/$NS/resolv.conf" ] || nh_fail "resolv.conf is left"
}

# The default implementation is the kernel's.
cat > "$NH_NSCONF/$NS.yaml" <<YAML
wireguard:
  config: ns/$NS-wg.conf
  birth-namespace: $WG_B
YAML
if ip link add "nh${NH_ID}k" type wireguard 2>/dev/null; then
        ip link delete "nh${NH_ID}k"
        nh_log "this kernel has WireGuard: the kernel plugin's refusal is not tested here"
else
        nh_expect_exit 1 "$NH" up "$NS"
        nh_assert_match "$NH_ERR" "This kernel has no WireGuard .*implementations: \{wireguard: wireguard-go\}" \
                "the kernel plugin says what to do"
        leaves_nothing
fi

# A server that does not answer: bounded wait, the endpoint named.
sed -i "s/^Endpoint = .*/Endpoint = $WG_S4:51999/" "$NH_NSCONF/$NS-wg.conf"
cat > "$NH_NSCONF/$NS.yaml" <<YAML
implementations: {wireguard: wireguard-go}
wireguard:
  config: ns/$NS-wg.conf
  birth-namespace: $WG_B
  timeout: 2
YAML
nh_expect_exit 1 "$NH" up "$NS"
nh_assert_match "$NH_ERR" "No handshake with the VPN server at $WG_S4:51999 \($WG_S4:51999\) within 2 s" \
        "the missing handshake names the endpoint"
leaves_nothing

# A birth namespace that does not exist.
sed -i "s/birth-namespace: .*/birth-namespace: nht${NH_ID}nope/" "$NH_NSCONF/$NS.yaml"
nh_expect_exit 1 "$NH" up "$NS"
nh_assert_match "$NH_ERR" "The birth namespace nht${NH_ID}nope does not exist" "a missing birth namespace"
leaves_nothing

# wireguard-go killed under the stage: the stage ends too, and cleans up.
sed -i "s/birth-namespace: .*/birth-namespace: $WG_B/; s/timeout: 2/timeout: 10/" "$NH_NSCONF/$NS.yaml"
sed -i "s/^Endpoint = .*/Endpoint = $WG_S4:51820/" "$NH_NSCONF/$NS-wg.conf"
nh_expect_exit 0 "$NH" up "$NS"
nh_defer "'$NH' down '$NS'"
read -r GO_PID _ < "$NH_T/run/$NS/wireguard-go.pid"
STAGE_PID=$(ps -o ppid= -p "$GO_PID" | tr -d " ")    # the stage supervises it
nh_assert_eq "$(cat "/proc/$STAGE_PID/comm")" "netns-helper" "wireguard-go's parent is the stage"
kill -KILL "$GO_PID"
for _ in $(seq 100); do kill -0 "$STAGE_PID" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$STAGE_PID" 2>/dev/null; then nh_fail "the stage (PID $STAGE_PID) outlived its wireguard-go"; fi
if ip -n "$NS" link show wg0 >/dev/null 2>&1; then nh_fail "the tunnel is left after wireguard-go died"; fi
# ... and when the stage is killed outright, wireguard-go ends with it.
nh_expect_exit 0 "$NH" down "$NS"
nh_expect_exit 0 "$NH" up "$NS"
read -r GO_PID _ < "$NH_T/run/$NS/wireguard-go.pid"
STAGE_PID=$(ps -o ppid= -p "$GO_PID" | tr -d " ")    # the stage supervises it
kill -KILL "$STAGE_PID"
for _ in $(seq 100); do kill -0 "$GO_PID" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$GO_PID" 2>/dev/null; then nh_fail "wireguard-go (PID $GO_PID) outlived its stage"; fi
nh_expect_exit 0 "$NH" down "$NS"
leaves_nothing

# The namespace deleted under the running stage ("ip netns delete"): the
# stage and wireguard-go end with it, and the namespace is really freed
# (nothing of ours holds it).
nh_expect_exit 0 "$NH" up "$NS"
read -r GO_PID _ < "$NH_T/run/$NS/wireguard-go.pid"
STAGE_PID=$(ps -o ppid= -p "$GO_PID" | tr -d " ")    # the stage supervises it
NSINO=$(stat -L -c %i "/run/netns/$NS")
ip netns delete "$NS"
for _ in $(seq 100); do kill -0 "$STAGE_PID" 2>/dev/null || kill -0 "$GO_PID" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$STAGE_PID" 2>/dev/null; then nh_fail "the stage (PID $STAGE_PID) outlived its namespace"; fi
if kill -0 "$GO_PID" 2>/dev/null; then nh_fail "wireguard-go (PID $GO_PID) outlived its namespace"; fi
for p in /proc/[0-9]*; do
        [ "$(stat -L -c %i "$p/ns/net" 2>/dev/null)" = "$NSINO" ] && nh_fail "process ${p#/proc/} still holds the deleted namespace"
done
nh_expect_exit 0 "$NH" down "$NS"
leaves_nothing
exit 0
