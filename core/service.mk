# Build rules for core (included from the top-level Makefile.am).
# The systemd-facing subcommands of netns-helper (core/service.h).
libnhcore_la_SOURCES += core/cmd-service.c
# Values no two namespaces may share (NH_KEY_UNIQUE), for validate and enable.
libnhcore_la_SOURCES += core/clash.c core/clash.h
