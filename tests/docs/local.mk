# Tests of the documents: the README's commands against .ci/run, exit codes,
# configured paths in the man pages, no timings in the API headers.
TESTS += tests/docs/docs.sh
dist_check_SCRIPTS += tests/docs/docs.sh
TESTS += tests/docs/style.sh
dist_check_SCRIPTS += tests/docs/style.sh
