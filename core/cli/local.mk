# Build rules for core/cli (included from the top-level Makefile.am).
# The systemd-facing subcommands of netns-helper (core/cli/service.h):
# what they share, the units (enable...), the drop-ins (add, remove), status.
libnhcore_la_SOURCES += core/cli/cmd-common.c core/cli/cmd-common.h \
	core/cli/cmd-units.c core/cli/cmd-dropins.c \
	core/cli/cmd-status.c core/cli/status-print.c core/cli/status.h
# The command-line options both programs take.
libnhcore_la_SOURCES += core/cli/options.c core/cli/options.h

# The systemd generator: the stage units' ordering from the plugins'
# positions (core/cli/generator.c says how).
systemdsystemgenerator_PROGRAMS = netns-helper-generator
netns_helper_generator_SOURCES = core/cli/generator.c
netns_helper_generator_LDADD = libnhcore.la
