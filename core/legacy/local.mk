# Build rules for core/legacy (included from the top-level Makefile.am).
# The original tool's conventions, the one place the core names stages
# (core/legacy/legacy.h).
libnhcore_la_SOURCES += core/legacy/legacy.h core/legacy/legacy.c core/legacy/legacy-conf.c
