#!/bin/sh
# tests/dhcp4/no-server.sh with the dhclient4 plugin as the dhcp4 stage.
. "$NH_SRCDIR/tests/dhclient/wrap.sh"
dc_wrap 4 no-server.sh
