#!/bin/sh
# A faulty stage plugin does not take "up" with it: a crash (SIGSEGV,
# SIGABRT) in a verb is reported with the plugin and the signal and the
# stages before it are undone (exit 1); a plugin that lacks a symbol is
# refused before anything is made (exit 4); a validate() that fails without
# a word gets a message naming the plugin; a long-running stage that never
# says it is ready is stopped after its readiness timeout (per stage, and
# globally) and undone; SIGINT/SIGTERM to "up" undoes what it started.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/engine/common.sh"
en_setup

en_ns NS f

# nothing_left: no namespace, no run directory, no waiter.
nothing_left() {
        [ ! -e "/run/netns/$NS" ] || nh_fail "$1: namespace $NS is left behind"
        [ ! -e "$NETNS_HELPER_RUNDIR/$NS" ] || nh_fail "$1: run directory $NETNS_HELPER_RUNDIR/$NS is left behind"
        [ -z "$(en_waiters)" ] || nh_fail "$1: a waiter still runs: $(en_waiters)"
}

# --- crashes in a one-shot stage -------------------------------------------
for how in segv:11 abort:6; do
        crash=${how%:*} sig=${how#*:}
        for verb in start validate; do
                en_conf "$NS" <<EOF2
stages: [netns, faulty]
faulty:
  crash: $crash
  in: $verb
EOF2
                nh_expect_exit 1 "$NH" up "$NS"
                nh_assert_match "$NH_ERR" "faulty\[$NS\]: plugin faulty \(.*faulty.so\) crashed in $verb\(\): signal $sig " \
                        "$crash in $verb: the plugin and the signal are named"
                nothing_left "$crash in $verb"
        done
done
# A crash in check() is a failure of check (1), not the end of the command.
en_conf "$NS" <<EOF2
stages: [netns, faulty]
faulty:
  crash: segv
  in: check
EOF2
nh_expect_exit 0 "$NH" up "$NS"
nh_expect_exit 1 "$NH" check "$NS"
nh_assert_match "$NH_ERR" "plugin faulty .* crashed in check\(\): signal 11" "a crash in check is named"
nh_expect_exit 0 "$NH" down "$NS"
nothing_left "crash in check"

# --- a lazily bound symbol that is missing ---------------------------------
en_conf "$NS" <<EOF2
stages: [netns, lazy]
EOF2
nh_expect_exit 4 "$NH" up "$NS"
nh_assert_match "$NH_ERR" "lazy.so.*undefined symbol: nh_test_lazy_no_such_function" "the missing symbol is named"
nothing_left "missing symbol"

# --- validate() failing without a word --------------------------------------
en_conf "$NS" <<EOF2
stages: [netns, faulty]
faulty:
  quiet-invalid: yes
EOF2
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "faulty\[$NS\]: plugin faulty \(.*\) failed in validate\(\) without saying why" \
        "a silent validate failure names the plugin"

# --- a long-running stage that is never ready --------------------------------
en_conf "$NS" <<EOF2
stages: [netns, waiter]
waiter:
  log: $LOG
  hang: yes
  ready-timeout: 1
EOF2
nh_expect_exit 0 "$NH" validate "$NS"
nh_expect_exit 1 timeout 60 "$NH" up "$NS"
en_kill_at_exit $(en_pids start)
nh_assert_match "$NH_ERR" "waiter\[$NS\]: not ready after 1 s; stopping it" "the readiness timeout is reported"
nothing_left "never ready (per-stage timeout)"
nh_expect_exit 0 "$NH" down "$NS"

# The global key, when the stage has none.
en_conf "$NS" <<EOF2
stages: [netns, waiter]
waiter:
  log: $LOG
  hang: yes
EOF2
printf 'ready-timeout: 1\n' >"$NETNS_HELPER_CONFDIR/netns-helper.yaml"
nh_expect_exit 1 timeout 60 "$NH" up "$NS"
en_kill_at_exit $(en_pids start)
nh_assert_match "$NH_ERR" "not ready after 1 s" "the global readiness timeout is used"
nothing_left "never ready (global timeout)"
printf 'ready-timeout: soon\n' >"$NETNS_HELPER_CONFDIR/netns-helper.yaml"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "netns-helper.yaml:1:16: ready-timeout:" "a bad global timeout names file, line and column"
rm -f "$NETNS_HELPER_CONFDIR/netns-helper.yaml"

# --- a long-running stage that crashes before it is ready --------------------
en_conf "$NS" <<EOF2
stages: [netns, waiter]
waiter:
  log: $LOG
  crash: yes
EOF2
nh_expect_exit 1 timeout 60 "$NH" up "$NS"
en_kill_at_exit $(en_pids start)
nh_assert_match "$NH_ERR" "plugin waiter \(.*\) crashed in start\(\): signal 11" "a crash in a long-running start is named"
nothing_left "long-running crash"

# --- SIGINT and SIGTERM interrupt "up" ---------------------------------------
en_conf "$NS" <<EOF2
stages: [netns, waiter]
waiter:
  log: $LOG
  hang: yes
  ready-timeout: 0
EOF2
for sig in INT TERM; do
        : >"$LOG"
        "$NH" up "$NS" 2>"$NH_T/up.err" & up=$!
        nh_defer "kill -9 $up"
        for _ in $(seq 1 200); do [ -n "$(en_pids start)" ] && break; sleep 0.05; done
        [ -n "$(en_pids start)" ] || nh_fail "SIG$sig: the waiter never started"
        en_kill_at_exit $(en_pids start)
        kill -$sig $up
        rc=0
        for _ in $(seq 1 400); do kill -0 $up 2>/dev/null || break; sleep 0.05; done
        wait $up || rc=$?
        nh_assert_eq "$rc" 1 "exit status of up interrupted by SIG$sig"
        nh_assert_match "$(cat "$NH_T/up.err")" "Bringing up namespace $NS was interrupted by signal" "SIG$sig: the interruption is reported"
        nothing_left "SIG$sig"
done
exit 0
