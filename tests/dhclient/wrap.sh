# Reruns an integration test of the native DHCP stages with the dhclient
# plugin implementing the stage: tests/dhcp4/*.sh and tests/dhcp6/*.sh
# take the implementation from NH_DHCP4_IMPL / NH_DHCP6_IMPL and assert
# only effects, so they hold for both implementations.
#     . "$NH_SRCDIR/tests/dhclient/wrap.sh"; dc_wrap 6 dnsmasq.sh
dc_wrap() {
        fam=$1 test="$NH_SRCDIR/tests/dhcp$1/$2"
        skip() {
                printf '\n# SKIPPED %s with dhclient%s: %s\n\n' "$2" "$fam" "$1" >&2
                exit 77
        }
        [ -f "$test" ] || skip "$test is not in this tree yet" "$2"
        [ -f "$NH_BUILDDIR/plugins/dhclient/.libs/dhclient$fam.so" ] || skip "plugin dhclient$fam.so is not built" "$2"
        command -v dhclient >/dev/null 2>&1 || [ -x /sbin/dhclient ] ||
                skip "needs ISC dhclient (Debian: isc-dhcp-client)" "$2"
        export NH_DHCP4_IMPL=dhclient4 NH_DHCP6_IMPL=dhclient6
        exec "${SHELL:-/bin/sh}" "$test"
}
