# Build rules for core/cli (included from the top-level Makefile.am).
# The systemd-facing subcommands of netns-helper (core/cli/service.h).
libnhcore_la_SOURCES += core/cli/cmd-service.c
