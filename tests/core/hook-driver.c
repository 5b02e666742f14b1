/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Calls nh_hook_run() with its arguments from the command line, for
 * tests/core/hook-run.sh, and prints "result=N" (N the return value).
 *
 *   hook-driver -n /run/netns/NAME -N NAME [-s STAGE] [-i IFACE] [-E ETCDIR]
 *               [-p PREFIX] [-e KEY=VALUE]... [-l FILE] PATH [ARG]...
 *
 * -l opens FILE without close-on-exec first, so the test can check that
 * the hook does not inherit it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hookdns.h"
#include "log.h"

int main(int argc, char **argv)
{
        struct nh_hook_env e = { .stage = "test", .netns_fd = -1 };
        const char *netns_path = NULL, *env[32];
        size_t n_env = 0;
        int c, r;

        while ((c = getopt(argc, argv, "+n:N:s:i:E:p:e:l:")) != -1) {
                switch (c) {
                case 'n': netns_path = optarg; break;
                case 'N': e.ns = optarg; break;
                case 's': e.stage = optarg; break;
                case 'i': e.interface = optarg; break;
                case 'E': e.etc_netns_dir = optarg; break;
                case 'p': e.log_prefix = optarg; break;
                case 'e':
                        if (n_env + 1 >= sizeof env / sizeof env[0])
                                return 2;
                        env[n_env++] = optarg;
                        break;
                case 'l':
                        if (open(optarg, O_RDONLY) < 0) {
                                perror(optarg);
                                return 2;
                        }
                        break;
                default:
                        return 2;
                }
        }
        env[n_env] = NULL;
        if (optind >= argc || !netns_path || !e.ns) {
                fprintf(stderr, "usage: hook-driver -n NETNS_PATH -N NAME [...] PATH [ARG]...\n");
                return 2;
        }
        e.netns_fd = open(netns_path, O_RDONLY | O_CLOEXEC);
        if (e.netns_fd < 0) {
                perror(netns_path);
                return 2;
        }
        nh_log_max = NH_LOG_DEBUG;
        r = nh_hook_run(&e, argv[optind], (const char *const *) argv + optind + 1, env);
        printf("result=%d\n", r);
        return 0;
}
