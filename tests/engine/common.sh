# Helpers for the engine's shell tests: the tiny plugins of tests/engine
# (waiter, faulty, lazy, the recorders) next to the real netns stage.
# Sourced after tests/lib.sh.

# en_setup: root, a private tree, the plugin path.
en_setup() {
        nh_require_root
        nh_require_cmd ip timeout
        [ -x "$NH" ] && [ -x "$NH_RUN" ] || nh_skip "netns-helper and netns-helper-run are not built"
        for p in engine/.libs/waiter engine/.libs/faulty engine/.libs/lazy; do
                [ -f "$NH_BUILDDIR/tests/$p.so" ] || nh_skip "test plugin tests/$p.so is not built (make check builds it)"
        done
        nh_setup_tree
        NETNS_HELPER_PLUGIN_PATH="$(nh_plugin_dir "$NH_BUILDDIR/tests/engine/.libs"):$NETNS_HELPER_PLUGIN_PATH"
        LOG="$NH_T/calls.log"
        : >"$LOG"
}

# en_ns VAR SUFFIX: VAR=nht<ID><SUFFIX>, a namespace removed at exit.
en_ns() {
        eval "$1=nht\$NH_ID\$2"
        nh_defer "ip netns delete 'nht$NH_ID$2'"
}

# en_conf NS: the namespace's YAML from stdin.
en_conf() { cat >"$NH_NSCONF/$1.yaml"; }

# en_pids WHAT: the PIDs of the waiters that logged "WHAT PID" (start, stopped).
en_pids() { awk -v w="$1" '$1 == w { print $2 }' "$LOG" | sort -u; }

# en_alive PID...: those of the PIDs that still run (zombies excluded).
en_alive() {
        local p
        for p in "$@"; do
                nh_alive "$p" && echo "$p"
        done
        return 0
}

# en_waiters: the waiters that logged "start PID" and still run as one of
# this tree's netns-helper commands for one of this test's namespaces.
# PIDs are reused: pid_max is 32768 here and a loaded build machine goes
# round it within minutes, so a waiter that ended long ago may share its
# PID with anything now (a distcheck run counted one such as a second
# waiter after two concurrent "up").
en_waiters() {
        local p
        for p in $(en_alive $(en_pids start)); do
                { tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null |
                        grep -q -- "^$NH_BUILDDIR/netns-helper.* nht$NH_ID" && echo "$p"
        done
        return 0
}

# en_kill_at_exit PID...: make sure the waiters we saw end with the test.
en_kill_at_exit() {
        local p
        for p in "$@"; do nh_defer "kill -9 $p"; done
}

# en_wait_gone PID: waits up to 10 s for PID to end.
en_wait_gone() {
        local i
        for i in $(seq 1 200); do
                [ -z "$(en_alive "$1")" ] && return 0
                sleep 0.05
        done
        return 1
}
