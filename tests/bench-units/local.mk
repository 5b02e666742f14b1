# Build rules for tests/bench-units (included from the top-level Makefile.am).
# Time from "systemctl start netns-helper@NS.target" until every unit is
# active, in a systemd booted with systemd-nspawn, native DHCP stages
# against the dhclient-backed ones.  Not part of "make check": it prints
# figures.  Run it as root with "make bench-units" (BENCH_RUNS=N, default 11).
EXTRA_DIST += tests/bench-units/bench-units
BENCH_RUNS = 11

.PHONY: bench-units
bench-units: all
	NH_BUILDDIR='$(abs_top_builddir)' NH_SRCDIR='$(abs_top_srcdir)' \
		bash '$(abs_top_srcdir)/tests/bench-units/bench-units' $(BENCH_RUNS)
