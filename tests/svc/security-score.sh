#!/bin/sh
# The units' exposure as "systemd-analyze security --offline=yes" scores
# it, side by side with systemd-networkd.service's in the same run:
# - the DHCP units (netns-helper-dhcp*@) at most networkd's figure;
# - the netns unit (no mount sandboxing possible) at most 6.0;
# - every other stage unit at most 4.0.
# The figures are in the log ("# score:" lines).  Needs no root.
. "$NH_SRCDIR/tests/lib.sh"
nh_require_cmd systemd-analyze
networkd=""
for d in /lib/systemd/system /usr/lib/systemd/system; do
        [ -f "$d/systemd-networkd.service" ] && { networkd="$d/systemd-networkd.service"; break; }
done
[ -n "$networkd" ] || nh_skip "systemd-networkd.service is not installed: no yardstick (Debian package systemd)"

# score UNIT-FILE: the overall exposure, e.g. 2.8.
score() {
        systemd-analyze security --offline=yes --no-pager "$1" 2>&1 |
                sed -n 's/^→ Overall exposure level for .*: \([0-9][0-9]*\.[0-9]\).*/\1/p'
}
# le A B: A <= B, for figures with one decimal.
le() { [ "$(echo "$1 <= $2" | bc)" = 1 ]; }

ref=$(score "$networkd")
[ -n "$ref" ] || nh_fail "no score for $networkd: $(systemd-analyze security --offline=yes "$networkd" 2>&1 | tail -3)"
nh_log "score: systemd-networkd.service $ref"
n=0 bad=""
for u in "$NH_BUILDDIR"/units/netns-helper*@.service; do
        name=${u##*/}
        case $name in netns-helper-STAGE@.service) continue ;; esac
        case $name in
        netns-helper@.service) max=6.0 ;;
        netns-helper-dhcp*@.service) max=$ref ;;
        *) max=4.0 ;;
        esac
        s=$(score "$u")
        [ -n "$s" ] || nh_fail "no score for $name: $(systemd-analyze security --offline=yes "$u" 2>&1 | tail -3)"
        nh_log "score: $name $s (at most $max; systemd-networkd.service $ref)"
        le "$s" "$max" || bad="$bad $name=$s>$max"
        n=$((n + 1))
done
[ "$n" -ge 6 ] || nh_fail "only $n units scored; are they built ($NH_BUILDDIR/units)?"
[ -z "$bad" ] || nh_fail "units more exposed than their target (systemd-networkd.service: $ref):$bad"
exit 0
