# Tests of the build system itself: configure and the paths the programs
# are built with (in a copy of the tree made by "make distdir").
TESTS += tests/build/configure.sh
dist_check_SCRIPTS += tests/build/configure.sh
