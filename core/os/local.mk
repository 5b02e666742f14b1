# Build rules for core/os (included from the top-level Makefile.am).
# Hooks run inside a namespace, and the namespace's DNS files (hookdns.h).
libnhcore_la_SOURCES += core/os/hook.c core/os/dns.c
