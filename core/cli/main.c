/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netns-helper: bring namespaces up and down without systemd, check them,
 * list plugins; and the systemd-facing commands (cmd-units.c, cmd-dropins.c,
 * cmd-status.c). */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/conf.h"
#include "cli/options.h"
#include "engine/engine.h"
#include "cli/leaktest.h"
#include "base/log.h"
#include "cli/service.h"
#include "base/util.h"

static void usage(FILE *f)
{
        fprintf(f,
                "Usage: netns-helper [-v] COMMAND [ARGS...]\n"
                "\n"
                "Namespaces without systemd (every enabled stage, in order, in one process):\n"
                "  up NAMESPACE...            bring namespaces up\n"
                "  down NAMESPACE...          take namespaces down\n"
                "  validate NAMESPACE...      check a namespace's whole configuration; changes nothing\n"
                "  check NAMESPACE...         compare the kernel's state with the configuration\n"
                "  plugins                    list the plugins found, enabled and refused\n"
                "  leaktest NAMESPACE         try to leave a tunnel namespace over IPv4, IPv6 and DNS\n"
                "\n"
                "With systemd:\n"
                "  add NAMESPACE SERVICE [--now]     run SERVICE inside NAMESPACE\n"
                "  remove SERVICE [--now]            take SERVICE out of its namespace\n"
                "  enable NAMESPACE [STAGE...] [--now]\n"
                "  disable NAMESPACE [STAGE...] [--now]\n"
                "  reload NAMESPACE                  apply a changed configuration file\n"
                "  start|stop|restart NAMESPACE\n"
                "  status [NAMESPACE...] [--json]\n"
                "\n"
                NH_COMMON_HELP);
}

static int cmd_plugins(struct nh_engine *e, bool verbose)
{
        struct nh_registry *reg = nh_engine_registry(e);

        nh_registry_scan(reg);
        printf("%-12s %-10s %-9s %-5s %-5s %-8s %s\n", "NAME", "STAGE", "VERSION", "ABI", "ORDER", "STATE", "PATH");
        for (size_t i = 0; i < reg->n_recs; i++) {
                const struct nh_plugin_rec *p = reg->recs[i];
                char abi[16] = "-", order[16] = "-";
                const char *state = p->refused ? "refused" : p->enabled ? "enabled" : "disabled";

                if (p->desc) {
                        snprintf(abi, sizeof abi, "%u.%u", p->desc->abi_major, p->desc->abi_minor);
                        snprintf(order, sizeof order, "%d", p->order);
                }
                printf("%-12s %-10s %-9s %-5s %-5s %-8s %s\n", p->name,
                       p->desc ? p->desc->stage : "-",
                       p->desc && p->desc->version ? p->desc->version : "-",
                       abi, order, state, p->path);
                if (p->refused)
                        printf("    refused: %s\n", p->refused);
                else if (!p->enabled)
                        printf("    not in \"plugins:\" of %s\n", nh_engine_global(e)->path);
                if (verbose && p->desc) {
                        if (p->desc->description)
                                printf("    %s\n", p->desc->description);
                        for (const struct nh_key *k = p->desc->keys; k && k->name; k++)
                                printf("    %s.%s: %s\n", p->desc->stage, k->name, k->help ? k->help : "");
                }
        }
        if (reg->n_recs == 0) {
                printf("(no plugins in:");
                for (size_t i = 0; i < reg->n_dirs; i++)
                        printf(" %s", reg->dirs[i]);
                printf(")\n");
        }
        return NH_EXIT_OK;
}

typedef int (*ns_cmd)(struct nh_engine *e, const char *ns);

static int for_each_ns(int argc, char **argv, ns_cmd fn)
{
        struct nh_engine *e = NULL;
        char *failed;           /* per name: 0 not tried (interrupted), 1 up, 2 failed */
        int r, ret = NH_EXIT_OK;

        if (argc < 2) {
                log_error("'%s' needs at least one namespace name", argv[0]);
                return NH_EXIT_USAGE;
        }
        /* Every name is checked before anything is done to any of them. */
        for (int i = 1; i < argc; i++) {
                r = nh_check_namespace_name(argv[i]);
                if (r != NH_EXIT_OK)
                        return r;
        }
        r = nh_engine_new(&e);
        if (r != NH_EXIT_OK)
                return r;
        failed = calloc((size_t) argc, sizeof *failed);
        if (!failed) {
                nh_engine_free(e);
                return NH_EXIT_FAILURE;
        }
        for (int i = 1; i < argc && !nh_engine_interrupted(); i++) {
                r = fn(e, argv[i]);
                if (r != NH_EXIT_OK && ret == NH_EXIT_OK)
                        ret = r;
                failed[i] = r != NH_EXIT_OK ? 2 : 1;
        }
        /* "up A B" where B fails leaves A up and B undone: say which is
         * which, in one line, rather than let the last error suggest that
         * nothing is up. */
        if (fn == nh_engine_up && argc > 2 && ret != NH_EXIT_OK) {
                char up[512] = "", down[512] = "";
                for (int i = 1; i < argc; i++) {
                        char *l = failed[i] == 1 ? up : down;
                        size_t o = strlen(l);
                        snprintf(l + o, 512 - o, "%s%s", o ? " " : "", argv[i]);
                }
                log_error("Not every namespace came up: up: %s; failed and undone (or not tried): %s. "
                          "\"netns-helper down %s\" takes the others down again",
                          up[0] ? up : "none", down, up[0] ? up : "...");
        }
        free(failed);
        nh_engine_free(e);
        return ret;
}

static const struct {
        const char *name;
        int (*fn)(int argc, char **argv);
} service_cmds[] = {
        { "add", nh_cmd_add },
        { "remove", nh_cmd_remove },
        { "enable", nh_cmd_enable },
        { "disable", nh_cmd_disable },
        { "reload", nh_cmd_reload },
        { "start", nh_cmd_start },
        { "stop", nh_cmd_stop },
        { "restart", nh_cmd_restart },
        { "status", nh_cmd_status },
};

int main(int argc, char **argv)
{
        const char *cmd;
        int c;

        c = nh_parse_common_options(argc, argv, "netns-helper", usage);
        if (c >= 0)
                return c;
        nh_conf_set_cache_dir(nh_cachedir());
        if (optind >= argc) {
                usage(stderr);
                return NH_EXIT_USAGE;
        }
        argc -= optind;
        argv += optind;
        cmd = argv[0];
        optind = 0;     /* subcommands parse their own options */
        /* What only looks changes nothing, not even the cache. */
        if (streq(cmd, "validate") || streq(cmd, "check") || streq(cmd, "plugins") || streq(cmd, "status"))
                nh_conf_set_cache_readonly(true);

        if ((argc == 2 && (streq(argv[1], "--help") || streq(argv[1], "-h"))) &&
            (streq(cmd, "up") || streq(cmd, "down") || streq(cmd, "validate") || streq(cmd, "check") || streq(cmd, "plugins"))) {
                usage(stdout);
                return NH_EXIT_OK;
        }
        if (streq(cmd, "up"))
                return for_each_ns(argc, argv, nh_engine_up);
        if (streq(cmd, "down"))
                return for_each_ns(argc, argv, nh_engine_down);
        if (streq(cmd, "validate"))
                return for_each_ns(argc, argv, nh_engine_validate);
        if (streq(cmd, "check"))
                return for_each_ns(argc, argv, nh_engine_check);
        if (streq(cmd, "leaktest"))
                return nh_cmd_leaktest(argc, argv);
        if (streq(cmd, "plugins")) {
                struct nh_engine *e = NULL;
                bool verbose = argc > 1 && (streq(argv[1], "-v") || streq(argv[1], "--verbose"));
                int r = nh_engine_new(&e);
                if (r != NH_EXIT_OK)
                        return r;
                r = cmd_plugins(e, verbose);
                nh_engine_free(e);
                return r;
        }
        for (size_t i = 0; i < ELEMENTSOF(service_cmds); i++)
                if (streq(cmd, service_cmds[i].name))
                        return service_cmds[i].fn(argc, argv);
        log_error("Unknown command '%s'; see netns-helper --help", cmd);
        return NH_EXIT_USAGE;
}
