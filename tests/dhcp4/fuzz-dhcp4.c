/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness for everything in the DHCPv4 client that reads bytes
 * from the network or the state directory: the message parser, the option
 * 119/121 decoders, the IPv4/UDP unframing of the packet socket, the state
 * machine fed with the message, and the saved lease parser.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp4-client.h"
#include "dhcp4-lease.h"
#include "dhcp4-packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t clock_usec;

static uint64_t f_now(void *u) { return clock_usec; }
static uint32_t f_random(void *u) { return 0x2749eb19; }  /* the xid in the dhclient capture */
static int f_send(void *u, uint32_t dst, const uint8_t *msg, size_t len) {
        struct dhcp4_message m;
        /* What we send must parse. */
        if (dhcp4_parse(msg, len, &m, NULL, NULL) < 0)
                abort();
        return 0;
}
static int f_bound(void *u, const struct dhcp4_lease *l, bool renewed) {
        for (size_t i = 0; i < l->n_search; i++)
                if (!dhcp4_name_valid(l->search[i]))
                        abort();
        if (l->domain[0] && !dhcp4_name_valid(l->domain))
                abort();
        return 0;
}
static void f_unbound(void *u, const struct dhcp4_lease *l, const char *why) {}
__attribute__((format(printf, 3, 4)))
static void f_log(void *u, int prio, const char *fmt, ...) {
        char buf[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
}
__attribute__((format(printf, 2, 3)))
static void f_warn(void *u, const char *fmt, ...) {
        char buf[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        for (char *s = buf; *s; s++)
                if (*s == '\n')
                        abort();
}

static const struct dhcp4_client_ops ops = {
        .now = f_now, .random = f_random, .send = f_send,
        .bound = f_bound, .unbound = f_unbound, .log = f_log,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct dhcp4_message m;
        char names[DHCP4_MAX_SEARCH][DHCP4_NAME_MAX];
        struct dhcp4_route routes[DHCP4_MAX_ROUTES];
        struct dhcp4_saved_lease sl;
        const uint8_t *p;
        size_t n, plen;
        char *text;

        if (dhcp4_parse(data, size, &m, f_warn, NULL) == 0) {
                for (size_t i = 0; i < m.lease.n_search; i++)
                        if (!dhcp4_name_valid(m.lease.search[i]))
                                abort();
        }
        (void) dhcp4_decode_search(data, size, names, DHCP4_MAX_SEARCH, &n, f_warn, NULL);
        for (size_t i = 0; i < n; i++)
                if (!dhcp4_name_valid(names[i]))
                        abort();
        (void) dhcp4_decode_routes(data, size, routes, DHCP4_MAX_ROUTES, &n);
        if (dhcp4_unframe_udp(data, size, size & 1, 68, &p, &plen, NULL) == 0)
                (void) dhcp4_parse(p, plen, &m, f_warn, NULL);

        /* The state machine, with the MAC of the dhclient capture, fed the
         * input as a reply in SELECTING and then as the ACK to whatever it
         * requested. */
        if (size >= 240) {
                struct dhcp4_client_config cfg = { .mac = { 0x02, 0x5a, 0x63, 0x51, 0x2c, 0xb3 } };
                struct dhcp4_client c;

                clock_usec = 1000000;
                dhcp4_client_init(&c, &cfg, &ops, NULL);
                (void) dhcp4_client_start(&c, 0);
                dhcp4_client_receive(&c, data, size);
                if (c.state == DHCP4_STATE_REQUESTING) {
                        uint8_t *copy = malloc(size);
                        memcpy(copy, data, size);
                        for (size_t i = 240; i + 2 < size; i++)
                                if (copy[i] == 53 && copy[i + 1] == 1 && copy[i + 2] == DHCP4_OFFER)
                                        copy[i + 2] = DHCP4_ACK;
                        dhcp4_client_receive(&c, copy, size);
                        free(copy);
                        clock_usec += 4000ULL * 1000000;
                        dhcp4_client_timeout(&c);
                }
                dhcp4_client_stop(&c, true);
        }

        text = malloc(size + 1);
        memcpy(text, data, size);
        text[size] = '\0';
        (void) dhcp4_saved_lease_parse(text, &sl);
        free(text);
        return 0;
}
