# Build rules for tests/bench (included from the top-level Makefile.am).
# The bring-up benchmark: not part of "make check" (it takes a while and
# prints figures rather than asserting them).  Run it as root with
# "make bench" (N = 1, 10, 100) or "make bench BENCH_N='1 10'".
EXTRA_DIST += tests/bench/bench-bringup
BENCH_N = 1 10 100

.PHONY: bench
bench: all
	NH_BUILDDIR='$(abs_top_builddir)' NH_SRCDIR='$(abs_top_srcdir)' bash '$(abs_top_srcdir)/tests/bench/bench-bringup' $(BENCH_N)

# The kernel floor (unshare + bind mount), measured in the same run.
noinst_PROGRAMS += tests/bench/bench-floor
tests_bench_bench_floor_SOURCES = tests/bench/bench-floor.c
tests_bench_bench_floor_CPPFLAGS = $(AM_CPPFLAGS)
tests_bench_bench_floor_LDADD = $(NH_SDK_LIBS)
