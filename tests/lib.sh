# Shared helpers for netns-helper's shell tests.  Source it:
#     . "$NH_SRCDIR/tests/lib.sh"
# Tests run from "make check", which exports NH_BUILDDIR and NH_SRCDIR.
#
# Every test works on a private tree (config, run, state and /etc/netns
# stand-ins under a temporary directory), uses throwaway names that start
# with "nht" plus its PID, and removes everything it made on every exit path
# through the handlers registered with nh_defer.
set -u

: "${NH_BUILDDIR:?run this test through make check}"
: "${NH_SRCDIR:?run this test through make check}"

NH="$NH_BUILDDIR/netns-helper"
NH_RUN="$NH_BUILDDIR/netns-helper-run"
NH_TEST=$(basename "$0" .sh)
# Short and unique per test process: names must fit in 15 bytes for links.
NH_ID=$(printf '%05d' $(( $$ % 100000 )))

nh_log() { printf '# %s\n' "$*" >&2; }
nh_fail() { printf 'FAIL: %s: %s\n' "$NH_TEST" "$*" >&2; exit 1; }
nh_skip() {
        printf '\n########################################################\n' >&2
        printf '# SKIPPED %s: %s\n' "$NH_TEST" "$*" >&2
        printf '########################################################\n\n' >&2
        exit 77
}
nh_require_root() {
        [ "$(id -u)" = 0 ] || nh_skip "needs root: it creates network namespaces and links. Run 'make check' as root to run it."
}
nh_require_cmd() {
        for c in "$@"; do
                command -v "$c" >/dev/null 2>&1 || nh_skip "needs '$c', which is not installed (.ci/run installs it)"
        done
}

# --- cleanup: commands run in reverse order on any exit ---------------------
# Kept in a file, not a variable, so that nh_defer works from a command
# substitution too (NS=$(nh_ns a) runs nh_ns in a subshell).
NH_DEFER_FILE=$(mktemp "${TMPDIR:-/tmp}/nht-defer.XXXXXX")
nh_defer() { printf '%s\n' "$*" >> "$NH_DEFER_FILE"; }
nh_run_deferred() {
        local rc=$?
        set +e
        trap '' PIPE INT TERM HUP
        if [ -f "$NH_DEFER_FILE" ]; then
                tac "$NH_DEFER_FILE" | while IFS= read -r cmd; do
                        [ -n "$cmd" ] && eval "$cmd" >/dev/null 2>&1
                done
                rm -f "$NH_DEFER_FILE"
        fi
        exit $rc
}
trap nh_run_deferred EXIT
# Signals end the script through exit, so the EXIT trap cleans up (a shell
# killed by an untrapped signal skips it): Ctrl-C, a closed terminal, a
# reader that went away (| head).
trap 'exit 130' INT TERM HUP PIPE

# --- a private tree ----------------------------------------------------------
# nh_setup_tree: creates $NH_T with etc/netns-helper/ns, run, state and
# etc-netns (and cache, when first used), and points the programs at it
# through the environment.
nh_setup_tree() {
        NH_T=$(mktemp -d "${TMPDIR:-/tmp}/nht-$NH_TEST.XXXXXX")
        chmod 755 "$NH_T"
        nh_defer "rm -rf '$NH_T'"
        mkdir -p "$NH_T/etc/netns-helper/ns" "$NH_T/run" "$NH_T/state" "$NH_T/etc-netns"
        export NETNS_HELPER_CONFDIR="$NH_T/etc/netns-helper"
        export NETNS_HELPER_RUNDIR="$NH_T/run"
        export NETNS_HELPER_STATEDIR="$NH_T/state"
        export NETNS_HELPER_ETC_NETNS="$NH_T/etc-netns"
        # The parsed-tree cache on, as on a host, so that every test also
        # runs the cached path (a private CONFDIR alone would turn it off).
        export NETNS_HELPER_CACHEDIR="$NH_T/cache"
        export NETNS_HELPER_PLUGIN_PATH
        NETNS_HELPER_PLUGIN_PATH=$(nh_build_plugin_path)
        # The dhclient plugins look for their handler beside the module in
        # .libs/..; a root-owned copy of the module has none beside it.
        if [ -z "${NETNS_HELPER_DHCLIENT_HANDLER:-}" ] &&
           [ -x "$NH_BUILDDIR/plugins/dhclient/netns-helper-dhclient-handler" ]; then
                export NETNS_HELPER_DHCLIENT_HANDLER="$NH_BUILDDIR/plugins/dhclient/netns-helper-dhclient-handler"
        fi
        NH_NSCONF="$NH_T/etc/netns-helper/ns"
}

# Every plugin built in this tree, as a directory the loader accepts:
# root-owned copies when root tests a tree that a normal user built
# (tests/root-copy.sh says why).
. "$NH_SRCDIR/tests/root-copy.sh"
nh_build_plugin_path() {
        local p="" d
        nh_root_copies
        for d in "$NH_BUILDDIR"/plugins/*/.libs; do
                [ -d "$d" ] || continue
                d=$(nh_plugin_dir "$d") || nh_fail "cannot copy the plugins of $d"
                p="$p${p:+:}$d"
        done
        printf '%s\n' "$p"
}

# nh_plugin_dir DIR: DIR, or a copy of its plugins the loader accepts
# (removed at exit).
nh_plugin_dir() {
        nh_root_copies
        nh_root_copy "$1" "$NH_ROOT_COPIES"
}
# The directory of those copies, made once per shell.
nh_root_copies() {
        [ -z "${NH_ROOT_COPIES:-}" ] || return 0
        NH_ROOT_COPIES=$(mktemp -d "${TMPDIR:-/tmp}/nht-plugins.XXXXXX") || nh_fail "mktemp failed"
        chmod 755 "$NH_ROOT_COPIES"
        nh_defer "rm -rf '$NH_ROOT_COPIES'"
}

# --- throwaway namespaces and links -----------------------------------------
# nh_ns SUFFIX: a namespace name for this test, removed at exit.
nh_ns() {
        local n="nht$NH_ID$1"
        nh_defer "ip netns delete '$n'"
        printf '%s\n' "$n"
}

# nh_veth_parent SUFFIX: makes a veth pair nh<ID><SUFFIX>p (the "host parent
# interface" a macvlan attaches to) and nh<ID><SUFFIX>q (its peer), both up,
# and removes it at exit.  Prints the parent's name.
nh_veth_parent() {
        local p="nh$NH_ID${1}p" q="nh$NH_ID${1}q"
        ip link add "$p" type veth peer name "$q" || nh_fail "cannot create veth pair $p/$q"
        nh_defer "ip link delete '$p'"
        ip link set "$p" up && ip link set "$q" up || nh_fail "cannot set $p/$q up"
        printf '%s\n' "$p"
}

# nh_no_leftovers NS...: fails when any of these namespaces, or a link or
# mount that mentions them, is still present.
nh_no_leftovers() {
        local n
        for n in "$@"; do
                [ ! -e "/run/netns/$n" ] || nh_fail "namespace $n is still present after stop"
                ! grep -q " /run/netns/$n " /proc/self/mountinfo || nh_fail "a mount of /run/netns/$n is still present"
        done
}

# nh_alive PID: PID runs (a zombie has ended: its parent, init for an
# orphan, reaps it when it will).
nh_alive() {
        [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# nh_up_pids NS: the processes that "netns-helper up NS" left running (its
# long-running stages and watchers keep its argv), sorted.
nh_up_pids() {
        for d in /proc/[0-9]*; do
                { tr "\\0" " " <"$d/cmdline"; } 2>/dev/null | grep -qx "$NH up $1 " && echo "${d#/proc/}"
        done | sort
}

# --- assertions ---------------------------------------------------------------
nh_assert_eq() { [ "$1" = "$2" ] || nh_fail "${3:-values differ}: expected '$2', got '$1'"; }
nh_assert_match() { printf '%s\n' "$1" | grep -Eq -- "$2" || nh_fail "${3:-no match}: '$2' not found in: $1"; }
nh_assert_no_match() { ! printf '%s\n' "$1" | grep -Eq -- "$2" || nh_fail "${3:-unexpected match}: '$2' found in: $1"; }

# nh_expect_exit CODE CMD...: runs CMD, captures its stderr in $NH_ERR and
# its stdout in $NH_OUT, and fails unless it exits with CODE.
nh_expect_exit() {
        local want=$1 rc
        shift
        NH_OUT=$("$@" 2>"${NH_T:-/tmp}/.stderr.$$") && rc=0 || rc=$?
        NH_ERR=$(cat "${NH_T:-/tmp}/.stderr.$$" 2>/dev/null)
        rm -f "${NH_T:-/tmp}/.stderr.$$"
        [ "$rc" = "$want" ] || nh_fail "'$*' exited $rc, expected $want; stderr: $NH_ERR"
}
