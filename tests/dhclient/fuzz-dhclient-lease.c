/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness for the dhclient handler's parser: the input is split
 * at NUL bytes into "key=value" environment entries, parsed as dhclient -4
 * and -6 would hand them over; whatever parses must print as a report that
 * parses back to the same lease, with no name the DNS rules refuse.
 *
 *   ./configure --enable-fuzzing CC=clang && make tests/dhclient/fuzz-dhclient-lease
 *   tests/dhclient/fuzz-dhclient-lease -max_total_time=60
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lease.h"

#define MAX_ENV 64

struct env {
        char *v[MAX_ENV];
        size_t n;
};

static const char *get(void *data, const char *key)
{
        struct env *e = data;
        size_t k = strlen(key);

        for (size_t i = 0; i < e->n; i++)
                if (!strncmp(e->v[i], key, k) && e->v[i][k] == '=')
                        return e->v[i] + k + 1;
        return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const int families[] = { AF_INET, AF_INET6 };
        char *buf = malloc(size + 1);
        struct env e = { .n = 0 };
        char *p;

        if (!buf)
                return 0;
        memcpy(buf, data, size);
        buf[size] = '\0';
        for (p = buf; p < buf + size && e.n < MAX_ENV; p += strlen(p) + 1)
                if (*p)
                        e.v[e.n++] = p;

        for (size_t f = 0; f < 2; f++) {
                struct dhc_lease l, l2;
                char out[DHC_REPORT_MAX];
                int n;

                if (dhc_lease_parse(families[f], get, &e, NULL, NULL, &l) < 0)
                        continue;
                for (size_t i = 0; i < l.n_search; i++)
                        if (!dhc_name_valid(l.search[i]))
                                abort();
                n = dhc_lease_format(&l, out, sizeof out);
                if (n < 0)
                        abort();
                if (memchr(out, '\0', (size_t) n))
                        abort();
                if (dhc_lease_parse(families[f], dhc_lines_get, out, NULL, NULL, &l2) < 0)
                        abort();
                if (memcmp(&l, &l2, sizeof l) != 0)
                        abort();
        }
        free(buf);
        return 0;
}
