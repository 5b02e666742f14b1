/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs the systemd subcommands of core/cmd-service.c the way "netns-helper"
 * does (argv[1] is the subcommand), so the tests do not depend on main(). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "service.h"
#include "svc-stubs.h"

int main(int argc, char **argv)
{
        static const struct {
                const char *name;
                int (*fn)(int, char **);
        } cmds[] = {
                { "add", nh_cmd_add }, { "remove", nh_cmd_remove },
                { "enable", nh_cmd_enable }, { "disable", nh_cmd_disable },
                { "start", nh_cmd_start }, { "stop", nh_cmd_stop },
                { "restart", nh_cmd_restart }, { "status", nh_cmd_status },
        };

        if (argc < 2) {
                fprintf(stderr, "usage: %s COMMAND [ARG...]\n", argv[0]);
                return NH_EXIT_USAGE;
        }
        for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
                if (strcmp(argv[1], cmds[i].name) == 0)
                        return cmds[i].fn(argc - 1, argv + 1);
        fprintf(stderr, "unknown command %s\n", argv[1]);
        return NH_EXIT_USAGE;
}
