# Build rules for core (included from the top-level Makefile.am).
libnhcore_la_SOURCES += core/cmd-service.c
