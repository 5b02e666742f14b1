#!/bin/sh
# nh_hook_run(): a hook runs inside the namespace as "ip netns exec" would
# run it, sees the namespace's /etc files and /sys, gets the documented
# environment and arguments and nothing else, and leaves the host alone.
. "$NH_SRCDIR/tests/lib.sh"

nh_require_root
nh_require_cmd ip cmp stat readlink
nh_setup_tree

DRIVER="$NH_BUILDDIR/tests/core/hook-driver"
[ -x "$DRIVER" ] || nh_fail "$DRIVER is not built"

# Not NS=$(nh_ns x): nh_defer inside a command substitution runs in a
# subshell and the cleanup would be lost.
NS="nht${NH_ID}x"
nh_defer "ip netns delete '$NS'"
ip netns add "$NS" || nh_fail "cannot create namespace $NS"
# A link only the namespace has (a veth pair: no dummy driver everywhere).
DUMMY="nht${NH_ID}a"
ip -n "$NS" link add "$DUMMY" type veth peer name "nht${NH_ID}b" || nh_fail "cannot create $DUMMY in $NS"
NETNS_INODE=$(stat -L -c %i "/run/netns/$NS")

ETC="$NH_T/etc-netns/$NS"
mkdir -p "$ETC" "$NH_T/hooks" "$NH_T/out"
chmod 755 "$NH_T/hooks"
printf 'nameserver 192.0.2.53\n# netns-helper test %s\n' "$NS" > "$ETC/resolv.conf"
# Not in the host's /etc: must not be bound (nor created there).
echo x > "$ETC/nht-$NH_ID-absent.conf"
# Not a regular file: ignored.
mkdir "$ETC/nht-$NH_ID-dir"

cp -p /etc/resolv.conf "$NH_T/host-resolv.conf"
MOUNTS_BEFORE=$(grep -c ' /etc/resolv.conf ' /proc/self/mountinfo)
LEAK="$NH_T/leak-marker"
: > "$LEAK"

REC="$NH_T/out/record"
HOOK="$NH_T/hooks/hook"
cat > "$HOOK" <<EOF
#!/bin/sh
{
echo "netns=\$(readlink /proc/self/ns/net)"
echo "argv0=\$0"
echo "argc=\$#"
for a in "\$@"; do echo "arg=\$a"; done
echo "resolv=\$(cat /etc/resolv.conf | tr '\n' '|')"
echo "links=\$(ls /sys/class/net | tr '\n' ' ')"
echo "stdin=\$(cat)"
echo "cwd=\$(pwd)"
grep -E '^Sig(Blk|Ign):' /proc/self/status
for f in /proc/\$\$/fd/*; do echo "fd=\$(readlink "\$f")"; done
env | sort | sed 's/^/env:/'
} > "$REC"
echo "hello on stdout"
echo "hello on stderr" >&2
printf 'no newline at the end'
exit 0
EOF
chmod 755 "$HOOK"

run() {
        "$DRIVER" "$@" > "$NH_T/driver.out" 2> "$NH_T/driver.err" || nh_fail "hook-driver failed: $(cat "$NH_T/driver.err")"
        RESULT=$(sed -n 's/^result=//p' "$NH_T/driver.out")
        LOG=$(cat "$NH_T/driver.err")
}

# --- a successful hook ------------------------------------------------------
run -n "/run/netns/$NS" -N "$NS" -s postup -i "nm_$NS" -E "$ETC" -p "postup[$NS]: " \
    -e EXTRA=one -e 'SPACED=a b' -e PATH=/evil -e NETNS_HELPER_STAGE=evil -e bad-entry \
    -l "$LEAK" "$HOOK" first 'two words' '$(touch /tmp/nht-pwned)'
nh_assert_eq "$RESULT" 0 "result of a successful hook"
R=$(cat "$REC") || nh_fail "the hook did not run"

nh_assert_match "$R" "^netns=net:\[$NETNS_INODE\]$" "hook runs in the namespace"
nh_assert_match "$R" "^argv0=$HOOK$" "argv[0] is the path"
nh_assert_match "$R" '^argc=3$' "argument count"
nh_assert_match "$R" '^arg=first$' "first argument"
nh_assert_match "$R" '^arg=two words$' "argument with a space"
nh_assert_match "$R" '^arg=\$\(touch /tmp/nht-pwned\)$' "argument passed literally"
[ ! -e /tmp/nht-pwned ] || { rm -f /tmp/nht-pwned; nh_fail "an argument went through a shell"; }
nh_assert_match "$R" "^resolv=nameserver 192.0.2.53\|# netns-helper test $NS\|$" "hook sees the namespace's resolv.conf"
nh_assert_eq "$(printf '%s\n' "$R" | sed -n 's/^links=//p')" "lo $DUMMY nht${NH_ID}b " "hook's /sys/class/net lists only the namespace's links"
nh_assert_match "$R" '^stdin=$' "stdin is empty"
nh_assert_match "$R" '^cwd=/$' "working directory"
nh_assert_match "$R" '^SigBlk:[[:space:]]+0+$' "the hook inherited blocked signals"
# Only the standard signals: glibc keeps 32 and 33 for itself and refuses
# to reset them, so whatever the test's parent ignored there stays ignored.
nh_assert_match "$R" '^SigIgn:[[:space:]]+[0-9a-f]{8}[08]0{7}$' "the hook inherited ignored signals"
nh_assert_no_match "$R" "^fd=$LEAK" "a descriptor of the caller leaked into the hook"

ENV=$(printf '%s\n' "$R" | sed -n 's/^env://p' | grep -v -E '^(PWD|SHLVL|_|OLDPWD)=')
nh_assert_eq "$ENV" "EXTRA=one
NETNS_HELPER_INTERFACE=nm_$NS
NETNS_HELPER_NAMESPACE=$NS
NETNS_HELPER_STAGE=postup
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
SPACED=a b" "the hook's environment"
nh_assert_match "$LOG" 'Not passing PATH to the hook' "overriding PATH is refused"
nh_assert_match "$LOG" 'Not passing NETNS_HELPER_STAGE to the hook' "overriding the stage is refused"
nh_assert_match "$LOG" 'Not passing malformed environment entry' "malformed entry"

# Output goes to the log, line by line, with the prefix.
nh_assert_match "$LOG" "^<6>postup\[$NS\]: hello on stdout$" "stdout logged"
nh_assert_match "$LOG" "^<6>postup\[$NS\]: hello on stderr$" "stderr logged"
nh_assert_match "$LOG" "^<6>postup\[$NS\]: no newline at the end$" "last partial line logged"

# The host saw none of it.
cmp -s /etc/resolv.conf "$NH_T/host-resolv.conf" || nh_fail "the host's /etc/resolv.conf changed"
nh_assert_eq "$(grep -c ' /etc/resolv.conf ' /proc/self/mountinfo)" "$MOUNTS_BEFORE" "mounts on the host's /etc/resolv.conf"
[ ! -e "/etc/nht-$NH_ID-absent.conf" ] || nh_fail "a file was created in the host's /etc"
[ ! -e "/sys/class/net/$DUMMY" ] || nh_fail "the host's /sys shows the namespace's link"
[ -e /sys/class/net/lo ] || nh_fail "the host's /sys/class/net is gone"

# No interface: the variable is absent, not empty.
run -n "/run/netns/$NS" -N "$NS" -E "$ETC" "$HOOK"
nh_assert_eq "$RESULT" 0 "hook without interface"
nh_assert_no_match "$(cat "$REC")" '^env:NETNS_HELPER_INTERFACE' "NETNS_HELPER_INTERFACE without an interface"
nh_assert_match "$(cat "$REC")" '^argc=0$' "no arguments"

# --- exit status ----------------------------------------------------------------
printf '#!/bin/sh\necho failing\nexit 3\n' > "$HOOK"
run -n "/run/netns/$NS" -N "$NS" -E "$ETC" "$HOOK"
nh_assert_eq "$RESULT" 3 "exit status of a failing hook"
nh_assert_match "$LOG" "Hook $HOOK failed with exit status 3" "failure logged"
nh_assert_match "$LOG" "failing" "output of a failing hook logged"

printf '#!/bin/sh\nkill -TERM $$\n' > "$HOOK"
run -n "/run/netns/$NS" -N "$NS" "$HOOK"
nh_assert_eq "$RESULT" 143 "a hook killed by SIGTERM counts as 128+15"

# --- a background process keeps the pipe open -----------------------------------
printf '#!/bin/sh\nsleep 300 &\necho $! > %s/out/bg.pid\necho started\nexit 0\n' "$NH_T" > "$HOOK"
nh_defer "kill \$(cat '$NH_T/out/bg.pid')"
rc=0
timeout 60 "$DRIVER" -n "/run/netns/$NS" -N "$NS" "$HOOK" > "$NH_T/driver.out" 2> "$NH_T/driver.err" || rc=$?
[ "$rc" != 124 ] || nh_fail "the runner hung on a background process that holds the output pipe"
nh_assert_eq "$rc" 0 "driver exit with a background process"
nh_assert_eq "$(sed -n 's/^result=//p' "$NH_T/driver.out")" 0 "result with a background process"
nh_assert_match "$(cat "$NH_T/driver.err")" 'started' "output before the hook exited is logged"
kill "$(cat "$NH_T/out/bg.pid")" 2>/dev/null

# ... even one that writes without end.
printf '#!/bin/sh\nyes spam &\necho $! > %s/out/bg2.pid\nexit 0\n' "$NH_T" > "$HOOK"
nh_defer "kill \$(cat '$NH_T/out/bg2.pid')"
rc=0
timeout 60 "$DRIVER" -n "/run/netns/$NS" -N "$NS" "$HOOK" > "$NH_T/driver.out" 2> /dev/null || rc=$?
[ "$rc" != 124 ] || nh_fail "the runner hung on a background process that writes without end"
nh_assert_eq "$(sed -n 's/^result=//p' "$NH_T/driver.out")" 0 "result with a chatty background process"
kill "$(cat "$NH_T/out/bg2.pid")" 2>/dev/null

# --- a hook that overruns its time -----------------------------------------------
# gone PID: no such process, or only its zombie (a container's init may not reap).
gone() { [ ! -e "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
printf '#!/bin/sh\nsleep 300 &\necho $! $$ > %s/out/to.pid\necho waiting\nwait\n' "$NH_T" > "$HOOK"
nh_defer "kill \$(cat '$NH_T/out/to.pid') 2>/dev/null"
rc=0
timeout 60 "$DRIVER" -n "/run/netns/$NS" -N "$NS" -t 1 "$HOOK" > "$NH_T/driver.out" 2> "$NH_T/driver.err" || rc=$?
[ "$rc" != 124 ] || nh_fail "a hook past its timeout was not stopped"
nh_assert_eq "$(sed -n 's/^result=//p' "$NH_T/driver.out")" 143 "a hook stopped at its timeout counts as 128+SIGTERM"
nh_assert_match "$(cat "$NH_T/driver.err")" "Hook $HOOK did not finish within 1 s and was stopped; .*hook-timeout" \
        "the timeout is named, with the key to raise it"
nh_assert_match "$(cat "$NH_T/driver.err")" 'waiting' "output before the timeout is logged"
for pid in $(cat "$NH_T/out/to.pid"); do
        gone "$pid" || nh_fail "process $pid of the stopped hook is still running"
done

# ... also when it closed its output first.
printf '#!/bin/sh\necho $$ > %s/out/to.pid\nexec >/dev/null 2>&1\nexec sleep 300\n' "$NH_T" > "$HOOK"
rc=0
timeout 60 "$DRIVER" -n "/run/netns/$NS" -N "$NS" -t 1 "$HOOK" > "$NH_T/driver.out" 2> "$NH_T/driver.err" || rc=$?
[ "$rc" != 124 ] || nh_fail "a hook past its timeout with its output closed was not stopped"
nh_assert_eq "$(sed -n 's/^result=//p' "$NH_T/driver.out")" 143 "a hook with its output closed stopped at its timeout"
gone "$(cat "$NH_T/out/to.pid")" || nh_fail "the hook with its output closed is still running"

# ... one that ignores SIGTERM is killed, with what it started.
printf '#!/bin/sh\ntrap "" TERM\nsleep 300 &\necho $! $$ > %s/out/to.pid\nwait\nwait\n' "$NH_T" > "$HOOK"
rc=0
timeout 60 "$DRIVER" -n "/run/netns/$NS" -N "$NS" -t 1 "$HOOK" > "$NH_T/driver.out" 2> "$NH_T/driver.err" || rc=$?
[ "$rc" != 124 ] || nh_fail "a hook that ignores SIGTERM was not killed"
nh_assert_eq "$(sed -n 's/^result=//p' "$NH_T/driver.out")" 137 "a hook killed after the grace time counts as 128+SIGKILL"
for pid in $(cat "$NH_T/out/to.pid"); do
        gone "$pid" || nh_fail "process $pid of the killed hook is still running"
done

# --- a signal for us while a hook runs ---------------------------------------------
# The hook is in a process group of its own, which a terminal's Ctrl-C does
# not reach: the signal is passed on to it and all it started, then ends
# us as it would have.  (hook-driver blocks SIGTERM, as a long-running
# stage does for its own signalfd, and a background job of a script
# ignores SIGINT: SIGHUP here.)
printf '#!/bin/sh\nsleep 300 &\necho $! $$ > %s/out/sig.pid\necho started\nwait\n' "$NH_T" > "$HOOK"
nh_defer "kill \$(cat '$NH_T/out/sig.pid') 2>/dev/null"
rm -f "$NH_T/out/sig.pid"
"$DRIVER" -n "/run/netns/$NS" -N "$NS" "$HOOK" > "$NH_T/driver.out" 2> "$NH_T/driver.err" &
drv=$!
for _ in $(seq 1 100); do [ -s "$NH_T/out/sig.pid" ] && break; sleep 0.05; done
[ -s "$NH_T/out/sig.pid" ] || nh_fail "the hook did not start"
kill -HUP "$drv"
rc=0
wait "$drv" || rc=$?
nh_assert_eq "$rc" 129 "hook-driver ends by the SIGHUP it got while the hook ran"
nh_assert_match "$(cat "$NH_T/driver.err")" "Hook $HOOK was stopped: netns-helper got signal 1" "the hook's end is logged"
for pid in $(cat "$NH_T/out/sig.pid"); do
        gone "$pid" || nh_fail "process $pid of the hook outlived the signal"
done

# Output cannot forge log lines or send terminal escapes.
printf '#!/bin/sh\nprintf "one\\r<3>forged\\033[31mred\\n"\n' > "$HOOK"
run -n "/run/netns/$NS" -N "$NS" -p "p: " "$HOOK"
nh_assert_eq "$(printf '%s\n' "$LOG" | grep '^<6>p: ')" "<6>p: one?<3>forged?[31mred" "control characters in hook output"

# --- refusals -----------------------------------------------------------------
rm -f "$REC"
printf '#!/bin/sh\ntouch %s\n' "$REC" > "$HOOK"
chmod 775 "$HOOK"
run -n "/run/netns/$NS" -N "$NS" "$HOOK"
nh_assert_eq "$RESULT" -1 "a group-writable hook is refused with -EPERM"
nh_assert_match "$LOG" "Refusing to run $HOOK: $HOOK is writable by its group; chmod go-w $HOOK" "refusal message"
[ ! -e "$REC" ] || nh_fail "a group-writable hook was run"

chmod 757 "$HOOK"
run -n "/run/netns/$NS" -N "$NS" "$HOOK"
nh_assert_eq "$RESULT" -1 "a world-writable hook is refused with -EPERM"

chmod 755 "$HOOK"
chown nobody "$HOOK" || nh_fail "cannot chown to nobody"
run -n "/run/netns/$NS" -N "$NS" "$HOOK"
nh_assert_eq "$RESULT" -1 "a hook not owned by root is refused with -EPERM"
nh_assert_match "$LOG" "Refusing to run $HOOK: $HOOK is owned by uid" "owner refusal message"
[ ! -e "$REC" ] || nh_fail "a hook owned by another user was run"
chown 0 "$HOOK"

# Whoever can write to the directory can replace the hook.
rm -f "$REC"
chmod 775 "$NH_T/hooks"
run -n "/run/netns/$NS" -N "$NS" "$HOOK"
nh_assert_eq "$RESULT" -1 "a hook in a group-writable directory is refused"
nh_assert_match "$LOG" "Refusing to run $HOOK: directory $NH_T/hooks is writable by its group; chmod go-w $NH_T/hooks" "directory refusal message"
[ ! -e "$REC" ] || nh_fail "a hook in a group-writable directory was run"
chmod 1777 "$NH_T/hooks"
run -n "/run/netns/$NS" -N "$NS" "$HOOK"
nh_assert_eq "$RESULT" 0 "a root-owned hook in a sticky directory runs"
[ -e "$REC" ] || nh_fail "a root-owned hook in a sticky directory did not run"
rm -f "$REC"
chmod 755 "$NH_T/hooks"
# A symlink: both directories count, the link's and the target's.
ln -s "$HOOK" "$NH_T/out/link"
run -n "/run/netns/$NS" -N "$NS" "$NH_T/out/link"
nh_assert_eq "$RESULT" 0 "a symlink to a safe hook runs"
[ -e "$REC" ] || nh_fail "a symlink to a safe hook did not run"
rm -f "$REC"
chmod 777 "$NH_T/out"
run -n "/run/netns/$NS" -N "$NS" "$NH_T/out/link"
nh_assert_eq "$RESULT" -1 "a symlink in a world-writable directory is refused"
chmod 755 "$NH_T/out"
chmod 777 "$NH_T/hooks"
run -n "/run/netns/$NS" -N "$NS" "$NH_T/out/link"
nh_assert_eq "$RESULT" -1 "a symlink into a world-writable directory is refused"
[ ! -e "$REC" ] || nh_fail "a hook reached through an unsafe directory was run"
rm -f "$NH_T/out/link"
chmod 755 "$NH_T/hooks"

chmod 644 "$HOOK"
run -n "/run/netns/$NS" -N "$NS" "$HOOK"
nh_assert_eq "$RESULT" 0 "a hook that is not executable is skipped"
nh_assert_match "$LOG" "^<5>$HOOK is not executable, not running it$" "not executable notice"
[ ! -e "$REC" ] || nh_fail "a hook that is not executable was run"

run -n "/run/netns/$NS" -N "$NS" "$NH_T/hooks/absent"
nh_assert_eq "$RESULT" 0 "a missing hook is not an error"

mkdir "$NH_T/hooks/dir"
run -n "/run/netns/$NS" -N "$NS" "$NH_T/hooks/dir"
nh_assert_eq "$RESULT" -1 "a directory is refused"

# A bad namespace fd: the child cannot enter it; reported, nothing run.
chmod 755 "$HOOK"
run -n "$NH_T/leak-marker" -N "$NS" "$HOOK"
nh_assert_eq "$RESULT" -22 "setns on a file that is not a namespace"
nh_assert_match "$LOG" "Failed to run hook $HOOK in namespace $NS" "setns failure message"
[ ! -e "$REC" ] || nh_fail "a hook ran although setns failed"

# An interpreter that does not exist: execve fails, -ENOENT.
printf '#!/nonexistent/nht-shell\n' > "$HOOK"
run -n "/run/netns/$NS" -N "$NS" "$HOOK"
nh_assert_eq "$RESULT" -2 "exec failure"

cmp -s /etc/resolv.conf "$NH_T/host-resolv.conf" || nh_fail "the host's /etc/resolv.conf changed"
exit 0
