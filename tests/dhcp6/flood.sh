#!/bin/sh
# Hostile traffic on the LAN (issue 13), native DHCPv6 client:
# - a flood to port 546 (tests/dhcp6/flood.py: for other transactions,
#   truncated, and ADVERTISEs "for" the client with nothing in them) while
#   it solicits: its log stays small, SIGTERM is answered at once (bounded
#   wait), exit 0;
# - renewal storm: a server giving lifetimes 0/1 s with T1 = T2 = 0 gets a
#   few messages in 12 s (floors: valid >= 6 s, T1 >= 3 s), not thousands
#   (counted by the server).
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp6/common.sh"
d6_setup
nh_require_cmd python3
[ "$NH_DHCP6_IMPL" = dhcp6 ] || nh_skip "native dhcp6 client only"
d6_wait_ll "$SRV" "$PEER"


A=$(nh_ns a)
nh_defer "'$NH' down '$A'"
D6_TIMEOUT=120 d6_conf "$A" 51
"$NH_RUN" netns "$A" start && "$NH_RUN" macvlan "$A" start || nh_fail "cannot bring up $A"

# --- flood while SOLICITING ----------------------------------------------------
ip netns exec "$SRV" python3 "$NH_SRCDIR/tests/dhcp6/flood.py" "$PEER" 3000 12 >"$NH_T/flood.out" 2>&1 &
FLOOD=$!
nh_defer "kill $FLOOD"
d6_wait_for 5 "grep -q ready '$NH_T/flood.out'" || nh_fail "the flooder did not start: $(cat "$NH_T/flood.out")"
"$NH_RUN" dhcp6 "$A" start >"$NH_T/run.log" 2>&1 </dev/null &
PID=$!
nh_defer "kill $PID"
sleep 5
kill -0 "$PID" 2>/dev/null || nh_fail "the client died under the flood: $(cat "$NH_T/run.log")"
lines=$(wc -l <"$NH_T/run.log")
kill -TERM "$PID"
d6_wait_for 3 "! kill -0 $PID 2>/dev/null" || nh_fail "the client took more than 3 s to answer SIGTERM under the flood"
rc=0
wait "$PID" || rc=$?
nh_assert_eq "$rc" 0 "exit status after SIGTERM under the flood"
kill "$FLOOD" 2>/dev/null
wait "$FLOOD" 2>/dev/null
nh_log "$(cat "$NH_T/flood.out"); the client logged $lines lines"
head -5 "$NH_T/run.log" >&2
grep -q "^sent [1-9]" "$NH_T/flood.out" || nh_fail "the flooder sent nothing: $(cat "$NH_T/flood.out")"
[ "$lines" -le 30 ] || nh_fail "$lines log lines after 5 s of flood (bounded: at most 30)"
[ -z "$(d6_addr "$A" "nm_$A")" ] || nh_fail "an address from the flood"

# --- renewal storm ---------------------------------------------------------------
: >"$NH_T/requests"
ip netns exec "$SRV" python3 "$NH_SRCDIR/tests/dhcp6/fake-server.py" "$PEER" fd88::bad 0 1 0 0 "$NH_T/requests" \
        >"$NH_T/fake.out" 2>&1 &
FAKE=$!
nh_defer "kill $FAKE"
d6_wait_for 5 "grep -q ready '$NH_T/fake.out'" || nh_fail "the fake server did not start: $(cat "$NH_T/fake.out")"
"$NH_RUN" dhcp6 "$A" start >"$NH_T/run2.log" 2>&1 </dev/null &
PID=$!
nh_defer "kill $PID"
d6_wait_for 10 "[ -n \"\$(d6_addr '$A' 'nm_$A')\" ]" || nh_fail "no lease from the fake server: $(cat "$NH_T/run2.log")"
: >"$NH_T/requests"
sleep 12
n=$(grep -c . "$NH_T/requests")
nh_log "$n messages in 12 s to a server giving lifetimes 0/1 s, T1 = T2 = 0"
[ "$n" -le 12 ] || nh_fail "$n messages in 12 s to a server giving lifetimes 0/1 s, T1 = T2 = 0 (at most 12)"
nh_assert_eq "$(d6_addr "$A" "nm_$A")" fd88::bad "the lease is still configured"
kill -TERM "$PID"
wait "$PID"
"$NH" down "$A" || nh_fail "netns-helper down $A failed"
exit 0
