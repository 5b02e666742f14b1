/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness for the slaac stage's parsers, all of which read bytes
 * from the network: the input is taken as ND options (RDNSS, DNSSL, as an
 * RTM_NEWNDUSEROPT carries them), as a buffer of rtnetlink messages, and as
 * a router advertisement, with the lifetimes run on a clock the input
 * moves.  The table must stay within its bounds and hold only what the
 * checks let in.  Built with ./configure --enable-fuzzing CC=clang; run by
 * tests/fuzz/run-all.sh.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slaac-nd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int name_ok(const char *s)
{
        if (strlen(s) > SLAAC_DOMAIN_MAX)
                abort();
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '.'))
                        return 0;
        return 1;
}

static void check_table(const struct slaac_dns *d, uint64_t now)
{
        if (d->n_servers > SLAAC_MAX_SERVERS || d->n_domains > SLAAC_MAX_DOMAINS)
                abort();
        for (size_t i = 0; i < d->n_servers; i++)
                if (!slaac_server_usable(&d->servers[i].addr))
                        abort();
        for (size_t i = 0; i < d->n_domains; i++)
                if (!d->domains[i].name[0] || !name_ok(d->domains[i].name))
                        abort();
        if (slaac_dns_next_expiry(d) <= now && (d->n_servers || d->n_domains))
                abort();        /* expire() ran just before */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct slaac_dns d = { .name_valid = name_ok };
        struct slaac_scan s = { .ifindex = 1, .now = 100, .dns = &d };
        struct slaac_ra ra;
        uint8_t *copy;
        uint64_t now = 100;

        /* As options, twice on a clock moved by the first byte, so entries
         * are added, refreshed, replaced and expired. */
        slaac_nd_apply_options(&d, data, size, now);
        now += size ? data[0] : 1;
        slaac_dns_expire(&d, now);
        check_table(&d, now);
        slaac_nd_apply_options(&d, data, size, now);
        now += 3600;
        slaac_dns_expire(&d, now);
        check_table(&d, now);

        /* As rtnetlink messages (aligned copy: the kernel's buffer is). */
        copy = malloc(size ? size : 1);
        if (!copy)
                return 0;
        memcpy(copy, data, size);
        s.now = now;
        (void) slaac_nl_scan(copy, size, &s);
        slaac_dns_expire(&d, now);
        check_table(&d, now);
        free(copy);

        (void) slaac_ra_parse(data, size, &ra);
        return 0;
}
