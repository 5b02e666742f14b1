#!/bin/sh
# A long-running stage started by "up" keeps no descriptor of its caller's
# beyond what it needs: not a pipe the caller reads to its end
# (netns-helper up NS | cat, with the pipe on any descriptor), not a lock
# the caller holds (flock LOCK netns-helper up NS).
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/engine/common.sh"
en_setup
nh_require_cmd flock

en_ns NS d
en_conf "$NS" <<EOF2
stages: [netns, waiter]
waiter:
  log: $LOG
EOF2

# A pipe on stdout, and one on a descriptor beyond 2: the reader sees its
# end when "up" exits, while the stage runs on.
for fd in 1 5; do
        rc=0
        timeout 30 sh -c "'$NH' up '$NS' $fd>&1 | cat >/dev/null" || rc=$?
        en_kill_at_exit $(en_pids start)
        nh_assert_eq "$rc" 0 "netns-helper up $fd>&1 | cat (124: the pipe stayed open)"
        [ -n "$(en_waiters)" ] || nh_fail "the waiter does not run after up | cat"
        nh_expect_exit 0 "$NH" down "$NS"
done

# A lock the caller took: free again once "up" has returned.
rc=0
timeout 30 flock "$NH_T/lock" "$NH" up "$NS" || rc=$?
en_kill_at_exit $(en_pids start)
nh_assert_eq "$rc" 0 "flock LOCK netns-helper up"
flock -n "$NH_T/lock" true || nh_fail "the lock of the caller of up is still held (by the stage: $(en_waiters))"

# What the stage's process has open: nothing of ours beyond 0-2, its
# namespace handles and its stop pipe; no file of the test tree.
pid=$(en_waiters)
[ -n "$pid" ] || nh_fail "no waiter runs"
for f in /proc/"$pid"/fd/*; do
        t=$(readlink "$f")
        case "$t" in
        "$NH_T"/run/*|/dev/null|pipe:*|net:*|anon_inode:*|socket:*) ;;
        *) nh_fail "the stage's process holds descriptor ${f##*/} on $t" ;;
        esac
done
nh_expect_exit 0 "$NH" down "$NS"
exit 0
