# Build rules for core (included from the top-level Makefile.am).
# The configuration module and the name rules.
libnhcore_la_SOURCES += core/conf.c core/parse.c core/names.c core/names.h
