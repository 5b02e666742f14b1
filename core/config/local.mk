# Build rules for core/config (included from the top-level Makefile.am).
# The configuration module and the name rules.
libnhcore_la_SOURCES += core/config/conf.c core/config/internal.h core/config/tree.c \
	core/config/yaml.c core/config/cache.c core/config/check.c core/config/parse.c core/config/names.c core/config/names.h
