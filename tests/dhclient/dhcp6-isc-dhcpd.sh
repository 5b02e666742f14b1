#!/bin/sh
# tests/dhcp6/isc-dhcpd.sh with the dhclient6 plugin as the dhcp6 stage.
. "$NH_SRCDIR/tests/dhclient/wrap.sh"
dc_wrap 6 isc-dhcpd.sh
