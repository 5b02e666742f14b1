# Tests of the build system itself: configure and the paths the programs
# are built with (in a copy of the tree made by "make distdir").
TESTS += tests/build/configure.sh
dist_check_SCRIPTS += tests/build/configure.sh
# A new stage: its folder and one include line (the generic unit, the
# generator's ordering).
TESTS += tests/build/new-stage.sh
dist_check_SCRIPTS += tests/build/new-stage.sh
