#!/bin/sh
# The man pages render without a single groff warning, and name the exit
# codes and commands the programs have.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_cmd groff

# -Wbreak: a long configured path (make distcheck installs under its build
# directory) cannot always be broken or adjusted; that is not a mistake in
# the page.
for p in netns-helper.8 netns-helper-run.8 netns-helper.yaml.5 netns-helper.units.7; do
        f="$NH_BUILDDIR/man/$p"
        [ -f "$f" ] || nh_fail "missing man page $f"
        out=$(groff -man -z -wall -Wbreak "$f" 2>&1)
        [ -z "$out" ] || nh_fail "groff warns about $p: $out"
        out=$(LC_ALL=C.UTF-8 MANWIDTH=80 groff -man -Tutf8 -rLL=80n -wall -Wbreak "$f" 2>&1 >/dev/null)
        [ -z "$out" ] || nh_fail "groff warns about $p at 80 columns: $out"
done
text=$(groff -man -Tascii "$NH_BUILDDIR/man/netns-helper.8" 2>/dev/null | col -b 2>/dev/null || groff -man -Tascii "$NH_BUILDDIR/man/netns-helper.8")
for cmd in add remove enable disable start stop restart status up down validate check plugins; do
        printf '%s\n' "$text" | grep -Eq "^ +$cmd( |$)" || printf '%s\n' "$text" | grep -q "$cmd" ||
                nh_fail "netns-helper(8) does not describe '$cmd'"
done
for code in 0 1 2 3 4 5; do
        printf '%s\n' "$text" | grep -Eq "^ +$code +[A-Za-z]" || nh_fail "netns-helper(8) does not document exit status $code"
done

# The example drop-in of netns-helper(8) is what "add" writes.
T=$(mktemp -d "${TMPDIR:-/tmp}/nht-man.XXXXXX")
nh_defer "rm -rf '$T'"
mkdir -p "$T/sd" "$T/conf/ns"
printf 'stages: [netns]\n' > "$T/conf/ns/torrents.yaml"
NETNS_HELPER_SYSTEMD_DIR=$T/sd NETNS_HELPER_CONFDIR=$T/conf NETNS_HELPER_ETC_NETNS=/etc/netns \
        "$NH" add torrents transmission-daemon >/dev/null 2>&1 || nh_fail "add torrents transmission-daemon failed"
want=$(grep -v '^#' "$T/sd/transmission-daemon.service.d/netns-helper.conf")
got=$(sed -n '/^\[Unit\]$/,/^\.fi$/p' "$NH_BUILDDIR/man/netns-helper.8" | sed '$d; s/\\-/-/g')
nh_assert_eq "$got" "$want" "the example drop-in of netns-helper(8)"

# units(7) lists the veth unit and the names systemd gives the exit codes;
# netns-helper.yaml(5) has the veth section and the static DNS keys;
# netns-helper(8) says how to change a namespace.
render() { groff -man -Tascii "$NH_BUILDDIR/man/$1" 2>/dev/null | col -b 2>/dev/null; }
units=$(render netns-helper.units.7)
for s in "netns-helper-veth@NAMESPACE.service" "status=3/NOTIMPLEMENTED" "status=7/NOTRUNNING"; do
        printf '%s\n' "$units" | grep -qF "$s" || nh_fail "netns-helper.units(7) does not mention $s"
done
yaml=$(render netns-helper.yaml.5)
printf '%s\n' "$yaml" | grep -Eq '^ +veth$' || nh_fail "netns-helper.yaml(5) has no veth section"
for k in host-name host-address4 routes4 default-route "dns (addresses" "search (domain"; do
        printf '%s\n' "$yaml" | grep -qF "$k" || nh_fail "netns-helper.yaml(5) does not describe $k"
done
printf '%s\n' "$text" | grep -q '^CHANGING A NAMESPACE' || nh_fail "netns-helper(8) has no CHANGING A NAMESPACE section"
printf '%s\n' "$text" | grep -Eq '^ +reload NAMESPACE' || nh_fail "netns-helper(8) does not describe reload"
