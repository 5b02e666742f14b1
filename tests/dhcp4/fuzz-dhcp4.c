/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness for everything in the DHCPv4 client that reads bytes
 * from the network or the state directory: the message parser, the option
 * 119/121 decoders, the routes of a lease, ARP (RFC 5227), the IPv4/UDP
 * unframing of the packet socket (seeds frame-*: whole datagrams), the state
 * machine driven through its paths (selecting, NAK, INIT-REBOOT, reconfirm,
 * renew/rebind, a lease kept over a restart, conflict detection, rapid
 * commit, option 108), and the saved lease parser (with its ACK).
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
static int f_send(void *u, uint32_t dst, const uint8_t *msg, size_t len)
{
        struct dhcp4_message m;
        /* What we send must parse. */
        if (dhcp4_parse(msg, len, &m, NULL, NULL) < 0)
                abort();
        return 0;
}
static int f_bound(void *u, const struct dhcp4_lease *l, bool renewed)
{
        for (size_t i = 0; i < l->n_search; i++)
                if (!dhcp4_name_valid(l->search[i]))
                        abort();
        if (l->domain[0] && !dhcp4_name_valid(l->domain))
                abort();
        return 0;
}
static void f_unbound(void *u, const struct dhcp4_lease *l, const char *why) {}
__attribute__((format(printf, 3, 4)))
static void f_log(void *u, int prio, const char *fmt, ...)
{
        char buf[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
}
__attribute__((format(printf, 2, 3)))
static void f_warn(void *u, const char *fmt, ...)
{
        char buf[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        for (char *s = buf; *s; s++)
                if (*s == '\n')
                        abort();
}

static int f_arp_send(void *u, uint32_t spa, uint32_t tpa) { return 0; }
static void f_ipv6_only(void *u, uint32_t wait) {}

static const struct dhcp4_client_ops ops = {
        .now = f_now, .random = f_random, .send = f_send,
        .bound = f_bound, .unbound = f_unbound, .log = f_log,
        .arp_send = f_arp_send, .ipv6_only = f_ipv6_only,
};

/* A copy of msg with its message type (option 53) set to type. */
static uint8_t *with_type(const uint8_t *msg, size_t len, uint8_t type)
{
        uint8_t *copy = malloc(len ? len : 1);

        memcpy(copy, msg, len);
        for (size_t i = 240; i + 2 < len; i++)
                if (copy[i] == 53 && copy[i + 1] == 1) {
                        copy[i + 2] = type;
                        break;
                }
        return copy;
}

static void feed(struct dhcp4_client *c, const uint8_t *msg, size_t len, int type)
{
        uint8_t *copy;

        if (type < 0)
                return dhcp4_client_receive(c, msg, len);
        copy = with_type(msg, len, (uint8_t) type);
        dhcp4_client_receive(c, copy, len);
        free(copy);
}

/* Runs the timers for up to span, a bounded number of times. */
static void run(struct dhcp4_client *c, uint64_t span)
{
        uint64_t end = clock_usec + span;

        for (int i = 0; i < 64; i++) {
                uint64_t t = dhcp4_client_next_timeout(c);
                if (t == DHCP4_NEVER || t > end)
                        break;
                clock_usec = t > clock_usec ? t : clock_usec;
                dhcp4_client_timeout(c);
        }
        clock_usec = end > clock_usec ? end : clock_usec;
}

/* The state machine, with the MAC and xid of the dhclient capture, fed the
 * message in the state the scenario (chosen by the input's size) reaches:
 * the seeds' OFFERs and ACKs take it there, their mutations explore. */
static void drive(const uint8_t *msg, size_t len, unsigned scenario, const uint8_t *data, size_t size)
{
        struct dhcp4_client_config cfg = { .mac = { 0x02, 0x5a, 0x63, 0x51, 0x2c, 0xb3 },
                                           .prl = { 1, 3, 6, 15, 119, 121 }, .prl_len = 6 };
        struct dhcp4_client c;
        struct dhcp4_message m;
        uint32_t reboot = 0;
        uint8_t sha[6];
        uint32_t spa, tpa;

        clock_usec = 1000000;
        if (scenario == 6)
                cfg.acd = DHCP4_ACD_FAST;
        if (scenario == 7) {
                cfg.rapid_commit = true;
                cfg.ipv6_only = true;
        }
        dhcp4_client_init(&c, &cfg, &ops, NULL);
        switch (scenario) {
        case 2:         /* INIT-REBOOT for the message's address: ACK, NAK, silence */
                if (dhcp4_parse_header(msg, len, &m) == 0)
                        reboot = m.yiaddr;
                (void) dhcp4_client_start(&c, reboot ? reboot : 0x8500580a);
                feed(&c, msg, len, -1);
                run(&c, 10 * USEC_PER_SEC);
                break;
        case 4:         /* the saved ACK after a restart */
                (void) dhcp4_client_start_saved(&c, msg, len, (uint64_t) (size * 7) * USEC_PER_SEC);
                feed(&c, msg, len, DHCP4_NAK);
                run(&c, 5 * USEC_PER_SEC);
                break;
        default:        /* DISCOVER; the message as OFFER, then ACK */
                (void) dhcp4_client_start(&c, 0);
                feed(&c, msg, len, -1);
                if (scenario == 1 && c.state == DHCP4_STATE_REQUESTING) {
                        feed(&c, msg, len, DHCP4_NAK);  /* NAK: INIT at once */
                        feed(&c, msg, len, DHCP4_OFFER);
                        feed(&c, msg, len, DHCP4_NAK);  /* again: backoff */
                        run(&c, 10 * USEC_PER_SEC);
                        break;
                }
                if (c.state == DHCP4_STATE_REQUESTING)
                        feed(&c, msg, len, DHCP4_ACK);
                if (scenario == 6 && c.state == DHCP4_STATE_PROBING &&
                    dhcp4_arp_parse(data, size, sha, &spa, &tpa) == 0)
                        dhcp4_client_arp(&c, sha, spa, tpa);
                run(&c, USEC_PER_SEC);
                if (scenario == 3 && dhcp4_client_reconfirm(&c) > 0) {
                        feed(&c, msg, len, size & 2 ? DHCP4_ACK : DHCP4_NAK);
                        run(&c, 3 * USEC_PER_SEC);
                }
                if (scenario == 5) {    /* T1, T2: renewal and rebinding answered */
                        run(&c, c.t1_at != DHCP4_NEVER && c.t1_at > clock_usec ? c.t1_at - clock_usec : 0);
                        feed(&c, msg, len, size & 2 ? DHCP4_ACK : DHCP4_NAK);
                        run(&c, c.t2_at != DHCP4_NEVER && c.t2_at > clock_usec ? c.t2_at - clock_usec : 0);
                        feed(&c, msg, len, DHCP4_ACK);
                }
                if (scenario == 6 && dhcp4_arp_parse(data, size, sha, &spa, &tpa) == 0) {
                        dhcp4_client_arp(&c, sha, spa, tpa);    /* defended */
                        dhcp4_client_arp(&c, sha, spa, tpa);    /* given up */
                        run(&c, 2 * USEC_PER_SEC);
                }
                run(&c, 4000ULL * USEC_PER_SEC);
        }
        dhcp4_client_stop(&c, true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct dhcp4_message m;
        char names[DHCP4_MAX_SEARCH][DHCP4_NAME_MAX];
        struct dhcp4_route routes[DHCP4_MAX_ROUTES], lr[DHCP4_MAX_LEASE_ROUTES];
        struct dhcp4_saved_lease sl;
        const uint8_t *p, *msg = data;
        size_t n, plen, len = size;
        uint8_t sha[6];
        uint32_t spa, tpa;
        char *text;

        if (dhcp4_parse(data, size, &m, f_warn, NULL) == 0) {
                for (size_t i = 0; i < m.lease.n_search; i++)
                        if (!dhcp4_name_valid(m.lease.search[i]))
                                abort();
                (void) dhcp4_lease_routes(&m.lease, lr, f_warn, NULL);
        }
        (void) dhcp4_decode_search(data, size, names, DHCP4_MAX_SEARCH, &n, f_warn, NULL);
        for (size_t i = 0; i < n; i++)
                if (!dhcp4_name_valid(names[i]))
                        abort();
        (void) dhcp4_decode_routes(data, size, routes, DHCP4_MAX_ROUTES, &n);
        (void) dhcp4_arp_parse(data, size, sha, &spa, &tpa);

        /* A whole IPv4/UDP datagram (the frame-* seeds): unframed as the
         * packet socket's are.  A mutated header would almost never keep
         * its checksum, so a copy with the checksum made right is unframed
         * too, to reach the UDP checks and the payload behind them. */
        if (dhcp4_unframe_udp(data, size, size & 1, 68, &p, &plen, NULL) == 0) {
                msg = p;
                len = plen;
        } else if (size >= 28 && (data[0] >> 4) == 4 && (size_t) (data[0] & 0x0f) * 4 >= 20 &&
                   (size_t) (data[0] & 0x0f) * 4 <= size) {
                static uint8_t fixed[4096];
                size_t ihl = (size_t) (data[0] & 0x0f) * 4, cl = size < sizeof(fixed) ? size : sizeof(fixed);
                uint16_t sum;

                memcpy(fixed, data, cl);
                fixed[10] = fixed[11] = 0;
                sum = dhcp4_ip_checksum(fixed, ihl);
                fixed[10] = (uint8_t) (sum >> 8);
                fixed[11] = (uint8_t) sum;
                if (dhcp4_unframe_udp(fixed, cl, true, 68, &p, &plen, NULL) == 0) {
                        (void) dhcp4_parse(p, plen, &m, f_warn, NULL);
                        if (plen >= 240) {
                                drive(p, plen, (unsigned) (size % 8), data, size);
                                goto lease_file;
                        }
                }
        }
        if (msg != data)
                (void) dhcp4_parse(msg, len, &m, f_warn, NULL);
        if (len >= 240)
                drive(msg, len, (unsigned) (size % 8), data, size);

lease_file:
        text = malloc(size + 1);
        memcpy(text, data, size);
        text[size] = '\0';
        if (dhcp4_saved_lease_parse(text, &sl) == 0 && sl.ack_len > 0) {
                char out[DHCP4_SAVED_LEASE_MAX];
                struct dhcp4_saved_lease back;
                /* What is read back can be written and read again. */
                if (dhcp4_saved_lease_format(&sl, out, sizeof(out)) < 0 ||
                    dhcp4_saved_lease_parse(out, &back) < 0 || back.ack_len != sl.ack_len)
                        abort();
                drive(sl.ack, sl.ack_len, 4, data, size);
        }
        free(text);
        return 0;
}
