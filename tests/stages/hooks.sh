#!/bin/sh
# Hooks: ns/NAME-macvlan-preup (link still down) and ns/NAME-macvlan-postup
# (configured) with the link name as argv[1], and ns/NAME-postup, all inside
# the namespace; a failing hook fails the stage and undoes it.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/stages/common.sh"
st_setup

st_ns NS h
IF="nm_$NS"
OUT="$NH_T/hooks.out"
st_conf "$NS" <<EOF2
stages: [netns, macvlan, postup]
macvlan:
  parent: $PARENT
  mac: 02:5e:40:00:00:01
  address4: 192.0.2.50/24
EOF2
# Each hook writes: its name, the namespace inode, its arguments, whether
# the link is up, whether it has its IPv4 address, and NETNS_HELPER_*.
body='state=down
ip -o link show dev "$1" 2>/dev/null | grep -q ",UP[,>]" && state=up
addr=none
ip -o -4 addr show 2>/dev/null | grep -q "192.0.2.50/24" && addr=yes
echo "$(basename "$0") $(stat -L -c %i /proc/self/ns/net) argc=$# args=$* link=$state addr=$addr ns=$NETNS_HELPER_NAMESPACE if=${NETNS_HELPER_INTERFACE:-}" >>'"$OUT"
st_hook "$NH_NSCONF/$NS-macvlan-preup" "$body"
st_hook "$NH_NSCONF/$NS-macvlan-postup" "$body"
st_hook "$NH_NSCONF/$NS-postup" "$body"

st_up_stages "$NS" netns macvlan postup
ino=$(stat -L -c %i "/run/netns/$NS")
[ "$ino" != "$(stat -L -c %i /proc/self/ns/net)" ] || nh_fail "bad namespace inode"
nh_assert_eq "$(sed -n 1p "$OUT")" "$NS-macvlan-preup $ino argc=1 args=$IF link=down addr=none ns=$NS if=$IF" "preup hook"
nh_assert_eq "$(sed -n 2p "$OUT")" "$NS-macvlan-postup $ino argc=1 args=$IF link=up addr=yes ns=$NS if=$IF" "macvlan postup hook"
nh_assert_eq "$(sed -n 3p "$OUT")" "$NS-postup $ino argc=0 args= link=down addr=yes ns=$NS if=$IF" "postup hook"
nh_assert_eq "$(wc -l <"$OUT")" 3 "number of hook runs"
st_down_stages "$NS" postup macvlan netns
st_nothing_left "$NS" "$IF"

# The same through netns-helper up.
: >"$OUT"
"$NH" up "$NS" || nh_fail "up with hooks failed"
nh_assert_eq "$(cut -d' ' -f1 "$OUT" | tr '\n' ' ')" "$NS-macvlan-preup $NS-macvlan-postup $NS-postup " "hooks run by up"
"$NH" down "$NS" || nh_fail "down failed"
st_nothing_left "$NS" "$IF"

# A failing hook fails its stage, which leaves no link behind.
for h in macvlan-preup macvlan-postup; do
        st_hook "$NH_NSCONF/$NS-$h" 'echo "hook says no" >&2; exit 7'
        "$NH_RUN" netns "$NS" start || nh_fail "netns start failed"
        nh_expect_exit 1 "$NH_RUN" macvlan "$NS" start
        nh_assert_match "$NH_ERR" "$NS-$h" "the error names the hook"
        nh_assert_match "$NH_ERR" "status 7" "the error gives the exit status"
        st_no_link "$IF" "$NS"
        "$NH_RUN" netns "$NS" stop
        nh_expect_exit 1 "$NH" up "$NS"
        st_nothing_left "$NS" "$IF"
        st_hook "$NH_NSCONF/$NS-$h" "$body"
done
st_hook "$NH_NSCONF/$NS-postup" 'exit 9'
st_up_stages "$NS" netns macvlan
nh_expect_exit 1 "$NH_RUN" postup "$NS" start
nh_assert_match "$NH_ERR" "$NS-postup" "the error names the postup script"
st_down_stages "$NS" postup macvlan netns
nh_expect_exit 1 "$NH" up "$NS"
st_nothing_left "$NS" "$IF"

# A hook writable by others is refused, and the stage undone.
st_hook "$NH_NSCONF/$NS-postup" "$body"
chmod 0757 "$NH_NSCONF/$NS-macvlan-preup"
"$NH_RUN" netns "$NS" start || nh_fail "netns start failed"
nh_expect_exit 1 "$NH_RUN" macvlan "$NS" start
st_no_link "$IF" "$NS"
"$NH_RUN" netns "$NS" stop
st_nothing_left "$NS" "$IF"

# A hook that overruns hook-timeout: (netns-helper.yaml) is stopped, named,
# and its stage undone, stage by stage and with up.
printf 'hook-timeout: 1\n' > "$NETNS_HELPER_CONFDIR/netns-helper.yaml"
rm -f "$NH_NSCONF/$NS"-*
st_hook "$NH_NSCONF/$NS-macvlan-postup" 'echo "$$" > '"$NH_T/hook-slow.pid"'; exec sleep 300'
"$NH_RUN" netns "$NS" start || nh_fail "netns start failed"
nh_expect_exit 1 timeout 60 "$NH_RUN" macvlan "$NS" start
nh_assert_match "$NH_ERR" "$NS-macvlan-postup did not finish within 1 s and was stopped; .*hook-timeout" \
        "the error names the hook, the limit and the key"
[ ! -e "/proc/$(cat "$NH_T/hook-slow.pid")" ] || grep -q '^State:[[:space:]]*Z' "/proc/$(cat "$NH_T/hook-slow.pid")/status" ||
        nh_fail "the hook that overran its time is still running"
st_no_link "$IF" "$NS"
"$NH_RUN" netns "$NS" stop
nh_expect_exit 1 timeout 60 "$NH" up "$NS"
st_nothing_left "$NS" "$IF"
# A bad value is a configuration error naming the file, line and key.
printf 'hook-timeout: soon\n' > "$NETNS_HELPER_CONFDIR/netns-helper.yaml"
nh_expect_exit 3 "$NH" up "$NS"
nh_assert_match "$NH_ERR" "netns-helper.yaml:1:[0-9]+: hook-timeout: " "a bad hook-timeout names the file, line and key"
st_nothing_left "$NS" "$IF"
rm -f "$NETNS_HELPER_CONFDIR/netns-helper.yaml"

# No hooks at all is fine.
rm -f "$NH_NSCONF/$NS"-*
"$NH" up "$NS" || nh_fail "up without hooks failed"
"$NH" down "$NS" || nh_fail "down failed"
st_nothing_left "$NS" "$IF"
exit 0
