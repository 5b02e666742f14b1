/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Calls nh_hook_run() with its arguments from the command line, for
 * tests/core/hook-run.sh, and prints "result=N" (N the return value).
 *
 *   hook-driver -n /run/netns/NAME -N NAME [-s STAGE] [-i IFACE] [-E ETCDIR]
 *               [-p PREFIX] [-e KEY=VALUE]... [-l FILE] [-t SECONDS] PATH [ARG]...
 *
 * -l opens FILE without close-on-exec first, so the test can check that
 * the hook does not inherit it.  -t sets the hook's timeout.  -r N runs the hook N times and prints the
 * mean wall-clock time per run ("ms_per_run=X"), for measurements. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "os/hookdns.h"
#include "base/log.h"

int main(int argc, char **argv)
{
        struct nh_hook_env e = { .stage = "test", .netns_fd = -1 };
        const char *netns_path = NULL, *env[32];
        size_t n_env = 0;
        long repeat = 1;
        struct timespec t0, t1;
        int c, r = 0;

        while ((c = getopt(argc, argv, "+n:N:s:i:E:p:e:l:r:t:")) != -1) {
                switch (c) {
                case 'n': netns_path = optarg; break;
                case 'N': e.ns = optarg; break;
                case 's': e.stage = optarg; break;
                case 'i': e.interface = optarg; break;
                case 'E': e.etc_netns_dir = optarg; break;
                case 'p': e.log_prefix = optarg; break;
                case 't': e.timeout_s = (unsigned) strtoul(optarg, NULL, 10); break;
                case 'e':
                        if (n_env + 1 >= sizeof env / sizeof env[0])
                                return 2;
                        env[n_env++] = optarg;
                        break;
                case 'r':
                        repeat = strtol(optarg, NULL, 10);
                        if (repeat < 1)
                                return 2;
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
        /* As the engine and a long-running stage do: the hook must not
         * inherit either. */
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigprocmask(SIG_BLOCK, &mask, NULL);
        signal(SIGPIPE, SIG_IGN);

        nh_log_max = repeat > 1 ? NH_LOG_INFO : NH_LOG_DEBUG;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (long i = 0; i < repeat && r == 0; i++)
                r = nh_hook_run(&e, argv[optind], (const char *const *) argv + optind + 1, env);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        printf("result=%d\n", r);
        if (repeat > 1)
                printf("ms_per_run=%.3f\n", ((double) (t1.tv_sec - t0.tv_sec) * 1e3 +
                                              (double) (t1.tv_nsec - t0.tv_nsec) / 1e6) / (double) repeat);
        return 0;
}
