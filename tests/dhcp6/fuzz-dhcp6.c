/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness for the DHCPv6 client: the message parser, the domain
 * list decoder, the netlink address scan, and the state machine, two ways:
 *
 * - the input as one server message, fed again in every state on the way
 *   SOLICITING -> BOUND -> RENEWING -> REBINDING -> RELEASING (its xid
 *   patched to the one expected, so that inputs get past the first check);
 * - the input as a script (issue 13: one message cannot both bind a lease
 *   and then fail its renewal), records of [op][length, 2 octets][data]:
 *     0 feed data as a server message (xid patched; op bit 3: our Client
 *       Identifier appended), 1 run the next timer, 2 let data[0..1]
 *       seconds pass, running the timers due, 3 the link came back
 *       (dhcp6_client_confirm(): CONFIRMING), 4 stop (RELEASE), 5 restart
 *       from the saved REPLY (dhcp6_client_start_saved(), data[0..1]
 *       seconds old), others: nothing.
 *   The seeds script-* (tests/dhcp6/fuzz-script-seeds.py) bind a lease and
 *   then reach CONFIRM, renewal and rebinding failures, expiry and a
 *   restart; tests/dhcp6/fuzz-replay checks that they still do.
 *
 * Built with ./configure --enable-fuzzing CC=clang; run by
 * tests/dhcp6/run-fuzz.sh and tests/fuzz/run-all.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp6-client.h"
#include "dhcp6-netlink.h"
#include "dhcp6-protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The DUID and IAID of the client in the dhclient capture. */
static const uint8_t fuzz_duid[] = { 0x00, 0x01, 0x00, 0x01, 0x32, 0x9e, 0x4f, 0x7b,
                                     0x02, 0xaa, 0x5d, 0x13, 0xda, 0x24 };
#define FUZZ_IAID 0x5d13da24

static uint64_t fake_now;
static uint32_t fake_seed = 1;
/* Set by tests/dhcp6/fuzz-replay.c: sees every line the client logs. */
static void (*fuzz_trace)(const char *line);

static uint64_t f_now(void *u) { return fake_now; }
static uint32_t f_random(void *u) { return fake_seed = fake_seed * 1103515245u + 12345u; }
static int f_send(void *u, const uint8_t *buf, size_t len)
{
        struct dhcp6_message m;

        /* What we send must parse back. */
        if (dhcp6_parse(buf, len, FUZZ_IAID, &m) != 0)
                abort();
        return 0;
}
static void f_event(void *u, enum dhcp6_event ev, const struct dhcp6_lease *l)
{
        for (size_t i = 0; i < l->n_domains; i++)
                if (strlen(l->domains[i]) >= DHCP6_DOMAIN_MAX)
                        abort();
        if (ev != DHCP6_EVENT_EXPIRED && l->valid == 0)
                /* A bound lease has time left, whatever the server said. */
                abort();
}
static void f_log(void *u, int prio, const char *fmt, va_list ap)
{
        char line[512];

        vsnprintf(line, sizeof(line), fmt, ap);
        if (fuzz_trace)
                fuzz_trace(line);
}

static const struct dhcp6_ops ops = {
        .now = f_now, .random = f_random, .send = f_send, .event = f_event, .log = f_log,
};

static void feed(struct dhcp6_client *c, const uint8_t *data, size_t size, bool add_client_id)
{
        size_t extra = add_client_id ? 4 + sizeof(fuzz_duid) : 0;
        uint8_t *buf = malloc(size + extra + 1);
        uint32_t xid = dhcp6_client_xid(c);

        memcpy(buf, data, size);
        if (size >= 4) {
                buf[1] = (xid >> 16) & 0xff;
                buf[2] = (xid >> 8) & 0xff;
                buf[3] = xid & 0xff;
        }
        if (add_client_id) {
                uint8_t *p = buf + size;

                p[0] = 0, p[1] = DHCP6_OPT_CLIENTID, p[2] = 0, p[3] = sizeof(fuzz_duid);
                memcpy(p + 4, fuzz_duid, sizeof(fuzz_duid));
        }
        dhcp6_client_receive(c, buf, size + extra);
        free(buf);
}

static void run_due(struct dhcp6_client *c, uint64_t until)
{
        /* Bounded: a timer that does not move would be a finding too. */
        for (int i = 0; i < 1000 && dhcp6_client_next_timeout(c) <= until; i++) {
                if (dhcp6_client_next_timeout(c) > fake_now)
                        fake_now = dhcp6_client_next_timeout(c);
                dhcp6_client_timeout(c);
        }
        if (fake_now < until)
                fake_now = until;
}

static void one_message(const struct dhcp6_config *cfg, const uint8_t *data, size_t size)
{
        struct dhcp6_client *c = NULL;

        fake_now = 1000000;
        if (dhcp6_client_new(cfg, &ops, NULL, &c) < 0)
                abort();
        dhcp6_client_start(c);
        /* SOLICITING -> (REQUESTING ->) BOUND -> RENEWING -> REBINDING ... */
        for (int round = 0; round < 4; round++) {
                feed(c, data, size, false);
                feed(c, data, size, false);
                if (dhcp6_client_next_timeout(c) != DHCP6_NEVER) {
                        fake_now = dhcp6_client_next_timeout(c);
                        dhcp6_client_timeout(c);
                }
        }
        /* ... -> RELEASING. */
        dhcp6_client_stop(c, true);
        feed(c, data, size, false);
        dhcp6_client_free(c);
}

static void script(const struct dhcp6_config *cfg, const uint8_t *data, size_t size)
{
        struct dhcp6_client *c = NULL;
        uint8_t saved[DHCP6_SAVED_MAX];
        size_t off = 0, saved_len = 0;

        fake_now = 1000000;
        if (dhcp6_client_new(cfg, &ops, NULL, &c) < 0)
                abort();
        dhcp6_client_start(c);
        for (int steps = 0; steps < 64 && off + 3 <= size; steps++) {
                uint8_t op = data[off];
                size_t len = (size_t) data[off + 1] << 8 | data[off + 2];
                const uint8_t *d = data + off + 3;
                const uint8_t *r;

                if (len > size - off - 3)
                        len = size - off - 3;
                off += 3 + len;
                switch (op & 7) {
                case 0:
                        feed(c, d, len, op & 8);
                        break;
                case 1:
                        if (dhcp6_client_next_timeout(c) != DHCP6_NEVER)
                                run_due(c, dhcp6_client_next_timeout(c));
                        break;
                case 2:
                        run_due(c, fake_now + (len >= 2 ? (uint64_t) (d[0] << 8 | d[1]) : 1) * USEC_PER_SEC);
                        break;
                case 3:
                        (void) dhcp6_client_confirm(c);
                        break;
                case 4:
                        dhcp6_client_stop(c, true);
                        break;
                case 5:
                        r = dhcp6_client_lease_reply(c, &saved_len);
                        if (r)
                                memcpy(saved, r, saved_len);
                        dhcp6_client_free(c);
                        c = NULL;
                        if (dhcp6_client_new(cfg, &ops, NULL, &c) < 0)
                                abort();
                        if (dhcp6_client_start_saved(c, saved, saved_len,
                                                     (len >= 2 ? (uint64_t) (d[0] << 8 | d[1]) : 0) * USEC_PER_SEC) == 1)
                                (void) dhcp6_client_confirm(c);
                        break;
                default:
                        break;
                }
        }
        dhcp6_client_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct dhcp6_config cfg = { .duid_len = sizeof(fuzz_duid), .iaid = FUZZ_IAID, .rapid_commit = true,
                                    .release = true, .oro = { 23, 24 }, .n_oro = 2 };
        struct dhcp6_message *m = malloc(sizeof(*m));
        char (*names)[DHCP6_DOMAIN_MAX] = malloc(DHCP6_MAX_DOMAINS * DHCP6_DOMAIN_MAX);
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

        memcpy(cfg.duid, fuzz_duid, sizeof(fuzz_duid));
        one_message(&cfg, data, size);
        script(&cfg, data, size);
        return 0;
}
