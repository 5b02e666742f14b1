/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What netns-helper and netns-helper-run share on their command line. */
#pragma once

#include <stdio.h>

/* The options both programs take (-v, -h, --version), parsed with
 * getopt_long in "+" mode.  Returns -1 to go on (optind at the first
 * argument), or the exit code to end with. */
int nh_parse_common_options(int argc, char **argv, const char *program, void (*usage)(FILE *f));

/* The end of both programs' --help: those options and the exit codes. */
#define NH_COMMON_HELP \
        "  -v, --verbose   log debug messages\n" \
        "  -h, --help      show this help\n" \
        "      --version   show the version\n" \
        "\n" \
        "Exit status: 0 success, 1 runtime failure, 2 usage, 3 configuration or name\n" \
        "error, 4 plugin missing or refused, 5 check found a difference.\n"
