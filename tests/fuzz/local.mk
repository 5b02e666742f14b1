# The fuzzers of every area, built and run by tests/fuzz/run-all.sh (CI).
EXTRA_DIST += tests/fuzz/run-all.sh
