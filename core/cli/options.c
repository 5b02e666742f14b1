/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The options both programs take (options.h). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "base/log.h"
#include "cli/options.h"
#include "engine/exitcodes.h"
#include "netns-helper/plugin.h"

int nh_parse_common_options(int argc, char **argv, const char *program, void (*usage)(FILE *f))
{
        static const struct option opts[] = {
                { "verbose", no_argument, NULL, 'v' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                { 0 }
        };
        int c;

        while ((c = getopt_long(argc, argv, "+vh", opts, NULL)) >= 0) {
                switch (c) {
                case 'v':
                        nh_log_max = NH_LOG_DEBUG;
                        break;
                case 'h':
                        usage(stdout);
                        return NH_EXIT_OK;
                case 'V':
                        printf("%s %s (plugin ABI %d.%d)\n", program, PACKAGE_VERSION,
                               NH_PLUGIN_ABI_MAJOR, NH_PLUGIN_ABI_MINOR);
                        return NH_EXIT_OK;
                default:
                        usage(stderr);
                        return NH_EXIT_USAGE;
                }
        }
        return -1;
}
