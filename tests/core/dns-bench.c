/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Cost of nh_core_dns_set(): a lease with new servers (files rewritten and
 * fsync'ed) and a renewal with the same ones (nothing written).
 *
 *   dns-bench ETC_NETNS_DIR DNS_STATE_DIR [N]
 *
 * Both directories are created; point them at a scratch place, e.g. a
 * directory on the disk that holds /etc and one in /run. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "os/hookdns.h"
#include "base/log.h"

static double now_ms(void)
{
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double) t.tv_sec * 1e3 + (double) t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
        const char *a[] = { "192.0.2.1", "2001:db8::53" }, *b[] = { "192.0.2.2", "2001:db8::54" };
        const char *d[] = { "example.com" };
        long n = argc > 3 ? strtol(argv[3], NULL, 10) : 100;
        double t;

        if (argc < 3 || n < 1) {
                fprintf(stderr, "usage: dns-bench ETC_NETNS_DIR DNS_STATE_DIR [N]\n");
                return 2;
        }
        t = now_ms();
        for (long i = 0; i < n; i++)
                if (nh_core_dns_set(argv[1], argv[2], "bench", "dhcp4", i % 2 ? a : b, 2, d, 1) < 0)
                        return 1;
        printf("changed:   %.3f ms per nh_core_dns_set()\n", (now_ms() - t) / (double) n);
        t = now_ms();
        for (long i = 0; i < n; i++)
                if (nh_core_dns_set(argv[1], argv[2], "bench", "dhcp4", a, 2, d, 1) < 0)
                        return 1;
        printf("unchanged: %.3f ms per nh_core_dns_set()\n", (now_ms() - t) / (double) n);
        return nh_core_dns_clear(argv[1], argv[2], "bench", "dhcp4") < 0;
}
