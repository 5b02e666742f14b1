/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netns-helper-run STAGE NAMESPACE start|stop|check: what the units call. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/conf.h"
#include "cli/options.h"
#include "engine/engine.h"
#include "base/log.h"
#include "base/util.h"

static void usage(FILE *f)
{
        fprintf(f,
                "Usage: netns-helper-run [-v] STAGE NAMESPACE start|stop|check\n"
                "\n"
                "Runs one stage of a namespace's pipeline, as the netns-helper units do.\n"
                "A long-running stage (a DHCP client) stays in the foreground until SIGTERM\n"
                "and reports readiness through $NOTIFY_SOCKET.\n"
                "\n"
                NH_COMMON_HELP);
}

int main(int argc, char **argv)
{
        struct nh_engine *e = NULL;
        enum nh_verb verb;
        int c, r;

        c = nh_parse_common_options(argc, argv, "netns-helper-run", usage);
        if (c >= 0)
                return c;
        nh_conf_set_cache_dir(nh_cachedir());
        if (argc - optind != 3) {
                usage(stderr);
                return NH_EXIT_USAGE;
        }
        if (streq(argv[optind + 2], "start"))
                verb = NH_VERB_START;
        else if (streq(argv[optind + 2], "stop"))
                verb = NH_VERB_STOP;
        else if (streq(argv[optind + 2], "check")) {
                verb = NH_VERB_CHECK;
                /* check changes nothing, not even the cache. */
                nh_conf_set_cache_readonly(true);
        } else {
                log_error("Unknown verb '%s': expected start, stop or check", argv[optind + 2]);
                return NH_EXIT_USAGE;
        }
        r = nh_check_namespace_name(argv[optind + 1]);
        if (r != NH_EXIT_OK)
                return r;
        r = nh_engine_new(&e);
        if (r != NH_EXIT_OK)
                return r;
        r = nh_engine_run_stage(e, argv[optind], argv[optind + 1], verb);
        /* The process ends here: leave the engine, its plugins and their
         * mappings to exit() and the kernel rather than taking them apart
         * one by one first (plugins' destructors still run). */
        exit(r);
}
