#!/bin/sh
# tests/dhcp4/dhcpd.sh with the dhclient4 plugin as the dhcp4 stage.
. "$NH_SRCDIR/tests/dhclient/wrap.sh"
dc_wrap 4 dhcpd.sh
