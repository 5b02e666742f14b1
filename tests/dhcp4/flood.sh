#!/bin/sh
# Hostile traffic on the LAN (issue 13), native client:
# - a flood to port 68 (tests/dhcp4/flood.py: half for another client, half
#   with our xid and chaddr, all with an option 119 of chained 2-byte
#   pointers) while the client looks for a server: the log stays small and
#   SIGTERM is answered at once (bounded wait), exit 0;
# - renewal storm: a server giving a 2 s lease with T1 = T2 = 1 s gets a
#   DHCPREQUEST every 3 s, not thousands a second (counted by the server);
# - a lease file that cannot be written (its temporary file is /dev/full)
#   leaks no descriptor and says so once.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/dhcp4/common.sh"
nh_require_cmd python3
d4_native_setup

# --- flood while SELECTING --------------------------------------------------
D4_TIMEOUT=120 d4_ns_up "$NS"
ip netns exec "$SRV" python3 "$NH_SRCDIR/tests/dhcp4/flood.py" "$SRV_IF" 2000 12 >"$NH_T/flood.out" 2>&1 &
FLOOD=$!
nh_defer "kill $FLOOD"
d4_wait 5 "ip netns exec '$SRV' ss -Hlun 'sport = :67' | grep -q 67" || nh_fail "the flooder did not start"
"$NH_RUN" dhcp4 "$NS" start >"$NH_T/run.log" 2>&1 </dev/null &
PID=$!
nh_defer "kill $PID"
sleep 5
kill -0 "$PID" 2>/dev/null || { cat "$NH_T/run.log" >&2; nh_fail "the client died under the flood"; }
lines=$(wc -l <"$NH_T/run.log")
kill -TERM "$PID"
# Bounded: the client must get to its stop fd between bounded batches of
# packets, not after draining the socket.
d4_wait 3 "! kill -0 $PID" || nh_fail "the client took more than 3 s to answer SIGTERM under the flood"
rc=0
wait "$PID" || rc=$?
nh_assert_eq "$rc" 0 "exit status after SIGTERM under the flood"
kill "$FLOOD" 2>/dev/null
wait "$FLOOD" 2>/dev/null
cat "$NH_T/flood.out" >&2
head -5 "$NH_T/run.log" >&2
[ "$lines" -le 30 ] || nh_fail "$lines log lines after 5 s of flood (bounded: at most 30)"
[ -z "$(d4_addr "$NS" "$IF")" ] || nh_fail "an address from the flood"

# --- renewal storm; a lease file that cannot be written ----------------------
d4_fake lease=2 t1=1 t2=1 names=good log="$NH_T/requests"
mkdir -p "$NETNS_HELPER_STATEDIR/$NS"
ln -sf /dev/full "$NETNS_HELPER_STATEDIR/$NS/dhcp4.lease.tmp"
d4_run_start "$NS"
: >"$NH_T/requests"
sleep 11
n=$(grep -c DHCPREQUEST "$NH_T/requests")
# Floors: a lease counts as at least 6 s, T1 as at least 3 s: a renewal
# every 3 s.
[ "$n" -le 5 ] || nh_fail "$n DHCPREQUESTs in 11 s with a 2 s lease and T1 = T2 = 1 s (at most 5)"
nh_assert_eq "$(d4_addr "$NS" "$IF")" 10.88.0.77/24 "the lease is still configured"
leaked=0
for p in $D4_RUN_PID $(pgrep -P "$D4_RUN_PID" 2>/dev/null); do
        leaked=$((leaked + $(ls -l /proc/"$p"/fd 2>/dev/null | grep -c /dev/full)))
done
nh_assert_eq "$leaked" 0 "descriptors of /dev/full left open by save_lease"
nh_assert_match "$(cat "$NH_T/run.$NS.log" "$NETNS_HELPER_RUNDIR/$NS/dhcp4.log" 2>/dev/null)" "Failed to save the lease" "the failed save is reported"
d4_run_stop
d4_fake_stop
d4_ns_down "$NS"
nh_no_leftovers "$NS"
exit 0
