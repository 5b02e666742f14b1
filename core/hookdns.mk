# Build rules for core (included from the top-level Makefile.am).
# Hooks run inside a namespace, and the namespace's DNS files (hookdns.h).
libnhcore_la_SOURCES += core/hook.c core/dns.c
