# Build rules for core (included from the top-level Makefile.am).
libnhcore_la_SOURCES += core/cmd-service.c
# core/main.c refers to the nh_cmd_* weakly (they were built in parallel),
# and a weak reference does not pull an object out of the convenience
# archive: ask for one of them so cmd-service.o is linked in.  Harmless once
# main.c refers to them normally.
netns_helper_LDFLAGS = -Wl,-u,nh_cmd_add
