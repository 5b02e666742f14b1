/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness for the DHCPv6 client: the message parser, the domain
 * list decoder, the state machine fed with the input as a server message
 * (its xid patched to the one expected, so inputs reach past the first
 * check), and the netlink address scan.  Built with
 * ./configure --enable-fuzzing CC=clang; run by tests/dhcp6/run-fuzz.sh.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp6-client.h"
#include "dhcp6-netlink.h"
#include "dhcp6-protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t fake_now;
static uint32_t fake_seed = 1;

static uint64_t f_now(void *u) { return fake_now; }
static uint32_t f_random(void *u) { return fake_seed = fake_seed * 1103515245u + 12345u; }
static int f_send(void *u, const uint8_t *buf, size_t len)
{
        struct dhcp6_message m;

        /* What we send must parse back. */
        if (dhcp6_parse(buf, len, 0x5d13da24, &m) != 0)
                abort();
        return 0;
}
static void f_event(void *u, enum dhcp6_event ev, const struct dhcp6_lease *l)
{
        for (size_t i = 0; i < l->n_domains; i++)
                if (strlen(l->domains[i]) >= DHCP6_DOMAIN_MAX)
                        abort();
}

static const struct dhcp6_ops ops = { .now = f_now, .random = f_random, .send = f_send, .event = f_event };

static void feed(struct dhcp6_client *c, const uint8_t *data, size_t size)
{
        uint8_t *buf = malloc(size ? size : 1);
        uint32_t xid = dhcp6_client_xid(c);

        memcpy(buf, data, size);
        if (size >= 4) {
                buf[1] = (xid >> 16) & 0xff;
                buf[2] = (xid >> 8) & 0xff;
                buf[3] = xid & 0xff;
        }
        dhcp6_client_receive(c, buf, size);
        free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        /* The DUID and IAID of the client in the dhclient capture. */
        static const uint8_t duid[] = { 0x00, 0x01, 0x00, 0x01, 0x32, 0x9e, 0x4f, 0x7b,
                                        0x02, 0xaa, 0x5d, 0x13, 0xda, 0x24 };
        struct dhcp6_config cfg = { .duid_len = sizeof(duid), .iaid = 0x5d13da24, .rapid_commit = true,
                                    .release = true, .oro = { 23, 24 }, .n_oro = 2 };
        struct dhcp6_message *m = malloc(sizeof(*m));
        char (*names)[DHCP6_DOMAIN_MAX] = malloc(DHCP6_MAX_DOMAINS * DHCP6_DOMAIN_MAX);
        struct dhcp6_client *c = NULL;
        struct dhcp6_ll_scan s = {};
        size_t bad = 0;
        void *aligned;

        (void) dhcp6_parse(data, size, cfg.iaid, m);
        (void) dhcp6_decode_domains(data, size, names, DHCP6_MAX_DOMAINS, &bad);
        free(names);
        free(m);

        aligned = malloc(size ? size : 1);
        memcpy(aligned, data, size);
        (void) dhcp6_ll_scan(aligned, size, 5, &s);
        free(aligned);

        memcpy(cfg.duid, duid, sizeof(duid));
        fake_now = 1000000;
        if (dhcp6_client_new(&cfg, &ops, NULL, &c) < 0)
                abort();
        dhcp6_client_start(c);
        /* SOLICITING -> (REQUESTING ->) BOUND -> RENEWING -> REBINDING ... */
        for (int round = 0; round < 4; round++) {
                feed(c, data, size);
                feed(c, data, size);
                if (dhcp6_client_next_timeout(c) != DHCP6_NEVER) {
                        fake_now = dhcp6_client_next_timeout(c);
                        dhcp6_client_timeout(c);
                }
        }
        /* ... -> RELEASING. */
        dhcp6_client_stop(c, true);
        feed(c, data, size);
        dhcp6_client_free(c);
        return 0;
}
