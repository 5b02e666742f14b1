# nh_root_copy DIR TMPDIR: prints the directory of plugins the loader will
# accept, as the current user, for the *.so files in DIR: DIR itself when
# the loader takes it as it is, else a copy in TMPDIR (a fresh directory
# that the caller removes).
#
# The loader (core/loader.c) refuses a plugin, and its directory, that
# someone other than root or the caller owns, or that its group or others
# can write: root runs the stages, so a writable plugin would be a root
# shell for whoever can write it.  A tree built by a normal user and tested
# as root (".ci/as-root make check", "sudo tests/demo/demo.sh") is such a
# directory: its plugins run from a root-owned copy instead, and nothing is
# chown'ed or written in the user's tree.
# Sourced by tests/lib.sh and tests/demo/demo.sh; POSIX sh, no side effect
# beyond TMPDIR.
# Every directory above counts too (core/trust.c): one that is not root's or
# ours, or that group or others may write (unless sticky, as /tmp), also
# makes a copy.
nh_root_copy_above_ok() {
        _nh_d=$(cd "$1" && pwd -P) || return 1
        while [ "$_nh_d" != / ]; do
                _nh_d=${_nh_d%/*}
                [ -n "$_nh_d" ] || _nh_d=/
                case "$(stat -c %u "$_nh_d")" in 0|"$(id -u)") ;; *) return 1 ;; esac
                [ -k "$_nh_d" ] || [ -z "$(find "$_nh_d" -maxdepth 0 -perm /022)" ] || return 1
        done
}
nh_root_copy() {
        _nh_src=$1 _nh_tmp=$2
        if [ "$(stat -c %u "$_nh_src")" = "$(id -u)" ] && nh_root_copy_above_ok "$_nh_src" &&
           [ -z "$(find "$_nh_src" -maxdepth 1 \( -path "$_nh_src" -o -name '*.so' \) -perm /022 -print -quit)" ]; then
                printf '%s\n' "$_nh_src"
                return 0
        fi
        _nh_dst=$(mktemp -d "$_nh_tmp/plugins.XXXXXX") || return 1
        chmod 755 "$_nh_dst" || return 1
        for _nh_f in "$_nh_src"/*.so; do
                [ -f "$_nh_f" ] || continue
                cp "$_nh_f" "$_nh_dst/" && chmod 644 "$_nh_dst/${_nh_f##*/}" || return 1
        done
        printf '%s\n' "$_nh_dst"
}
