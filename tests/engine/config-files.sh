#!/bin/sh
# A configuration path that is a FIFO, a socket or a device is refused at
# once (exit 3, "not a regular file"), never opened for reading; a dangling
# symbolic link gets a warning; "plugin-dirs:" naming a missing directory and
# "plugins:" naming an unknown plugin are errors with file, line and column.
. "$NH_SRCDIR/tests/lib.sh"
. "$NH_SRCDIR/tests/engine/common.sh"
en_setup
nh_require_cmd mkfifo python3

en_ns NS c
FILE="$NH_NSCONF/$NS.yaml"
GLOBAL="$NETNS_HELPER_CONFDIR/netns-helper.yaml"

# all_refuse WHAT: every command that reads the namespace's file ends at
# once with 3 and says why.  "timeout" turns a block into 124.
all_refuse() {
        for cmd in "$NH validate $NS" "$NH up $NS" "$NH down $NS" "$NH check $NS" \
                   "$NH_RUN netns $NS start" "$NH_RUN netns $NS stop" "$NH_RUN netns $NS check"; do
                # shellcheck disable=SC2086
                nh_expect_exit 3 timeout 20 $cmd
                nh_assert_match "$NH_ERR" "$2: not a regular file \\($1\\)" "'$cmd' on $1"
                [ ! -e "/run/netns/$NS" ] || nh_fail "'$cmd' on $1 made the namespace"
        done
}

mkfifo "$FILE"
all_refuse "a FIFO" "$FILE"
rm -f "$FILE"
python3 -c "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])" "$FILE"
all_refuse "a socket" "$FILE"
rm -f "$FILE"
ln -s /dev/zero "$FILE"
all_refuse "a device" "$FILE"
rm -f "$FILE"
# The legacy file and the global file too.
mkfifo "$NH_NSCONF/$NS-macvlan.conf"
all_refuse "a FIFO" "$NH_NSCONF/$NS-macvlan.conf"
rm -f "$NH_NSCONF/$NS-macvlan.conf"
mkfifo "$GLOBAL"
nh_expect_exit 3 timeout 20 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "$GLOBAL: not a regular file \\(a FIFO\\)" "a FIFO as netns-helper.yaml"
nh_expect_exit 3 timeout 20 "$NH_RUN" netns "$NS" start
rm -f "$GLOBAL"

# A dangling symbolic link: a warning, then as if there were no file.
ln -s "$NH_T/nowhere.yaml" "$FILE"
nh_expect_exit 0 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "$FILE: a symbolic link to $NH_T/nowhere.yaml, which does not exist" "a dangling symlink is warned about"
rm -f "$FILE"
printf 'stages: [netns]\n' >"$FILE"

# plugin-dirs: naming a directory that does not exist (the directories of
# the file are in use only without NETNS_HELPER_PLUGIN_PATH).
# (The netns plugin as the loader accepts it: tests/root-copy.sh.)
NETNS_DIR=$(nh_plugin_dir "$NH_BUILDDIR/plugins/netns/.libs") || nh_fail "cannot copy the netns plugin"
printf 'plugin-dirs:\n  - %s\n  - %s/missing\n' "$NETNS_DIR" "$NH_T" >"$GLOBAL"
nh_expect_exit 3 env -u NETNS_HELPER_PLUGIN_PATH "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "$GLOBAL:3:5: plugin-dirs: $NH_T/missing: no such directory" "a missing plugin directory"
printf 'plugin-dirs:\n  - %s\n' "$NETNS_DIR" >"$GLOBAL"
nh_expect_exit 0 env -u NETNS_HELPER_PLUGIN_PATH "$NH" validate "$NS"

# plugins: naming a plugin that is nowhere.
printf 'plugins: [netns, waiter, nosuchplugin]\n' >"$GLOBAL"
nh_expect_exit 3 "$NH" validate "$NS"
nh_assert_match "$NH_ERR" "$GLOBAL:1:26: plugins: no plugin 'nosuchplugin'" "an unknown plugin"
nh_expect_exit 3 "$NH_RUN" netns "$NS" start
printf 'plugins: [netns, waiter]\n' >"$GLOBAL"
nh_expect_exit 0 "$NH" validate "$NS"
exit 0
