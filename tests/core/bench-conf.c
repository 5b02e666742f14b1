/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How long reading and checking one namespace's configuration takes:
 *     tests/core/bench-conf [ITERATIONS]
 * Reads tests/core/conf/ns/web.yaml (YAML) and torrents-macvlan.conf
 * (legacy) ITERATIONS times each and prints microseconds per load+check. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "config/conf.h"

static const struct nh_key keys[] = {
        { "parent", NH_T_IFNAME, NH_KEY_REQUIRED, 0, 0, NULL, NULL },
        { "mac", NH_T_MAC, 0, 0, 0, NULL, NULL },
        { "address4", NH_T_IPV4_PREFIX, NH_KEY_LIST, 0, 0, NULL, NULL },
        { "gateway4", NH_T_IPV4, 0, 0, 0, NULL, NULL },
        { "address6", NH_T_IPV6_PREFIX, NH_KEY_LIST, 0, 0, NULL, NULL },
        { "gateway6", NH_T_IPV6, 0, 0, 0, NULL, NULL },
        { "privacy-ext", NH_T_INT, 0, 0, 2, NULL, NULL },
        { "mode", NH_T_ENUM, 0, 0, 0, "bridge|private|vepa|passthru", NULL },
        { "name", NH_T_IFNAME, 0, 0, 0, NULL, NULL },
        { "sysctl", NH_T_MAP, 0, 0, 0, NULL, NULL },
        {}
};

static double now(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static int run(const char *name, long n)
{
        double t0 = now();

        for (long i = 0; i < n; i++) {
                struct nh_ns_config *c = NULL;

                if (nh_ns_config_load(TEST_CONFDIR, name, &c) < 0 ||
                    nh_section_check(c, "macvlan", nh_ns_config_section(c, "macvlan"), keys) < 0) {
                        fprintf(stderr, "%s: load or check failed\n", name);
                        return 1;
                }
                nh_ns_config_free(c);
        }
        printf("%-10s %8.1f us per load+check (%ld runs)\n", name, (now() - t0) / (double) n * 1e6, n);
        return 0;
}

int main(int argc, char **argv)
{
        long n = argc > 1 ? atol(argv[1]) : 10000;

        if (n <= 0)
                n = 10000;
        return run("web", n) || run("torrents", n);
}
