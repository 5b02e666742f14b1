/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The DHCPv4 state machine driven with a fake clock and a fake socket. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "dhcp4-client.h"
#include "dhcp4-lease.h"
#include "pcap.h"

#define S USEC_PER_SEC

struct sent {
        uint64_t at;
        uint32_t dst;
        struct dhcp4_message m;
        uint8_t raw[DHCP4_MAX_MESSAGE];
        size_t len;
};

static struct fake {
        uint64_t now;
        uint32_t rnd;
        bool fixed_random;
        uint32_t fixed;
        struct sent sent[64];
        size_t n_sent;
        unsigned bound, renewed, unbound;
        struct dhcp4_lease last_lease;
        char last_why[64];
        int bound_ret;
        unsigned logs[8];               /* lines per syslog priority */
        struct { uint64_t at; uint32_t spa, tpa; } arp[16];
        size_t n_arp;
        uint32_t v6only;                /* the last ipv6_only() wait */
} F;

static uint64_t f_now(void *u) { return F.now; }
static uint32_t f_random(void *u)
{
        if (F.fixed_random)
                return F.fixed;
        F.rnd = F.rnd * 1103515245u + 12345u;
        return F.rnd;
}
static int f_send(void *u, uint32_t dst, const uint8_t *msg, size_t len)
{
        struct sent *s = &F.sent[F.n_sent++ % 64];
        s->at = F.now;
        s->dst = dst;
        memcpy(s->raw, msg, len);
        s->len = len;
        ck_assert_int_eq(dhcp4_parse(msg, len, &s->m, NULL, NULL), 0);
        return 0;
}
static int f_bound(void *u, const struct dhcp4_lease *l, bool renewed)
{
        F.bound++;
        F.renewed += renewed;
        F.last_lease = *l;
        return F.bound_ret;
}
static int f_arp_send(void *u, uint32_t spa, uint32_t tpa)
{
        F.arp[F.n_arp % 16].at = F.now;
        F.arp[F.n_arp % 16].spa = spa;
        F.arp[F.n_arp % 16].tpa = tpa;
        F.n_arp++;
        return 0;
}
static void f_ipv6_only(void *u, uint32_t wait)
{
        F.v6only = wait;
}
static void f_unbound(void *u, const struct dhcp4_lease *l, const char *why)
{
        F.unbound++;
        snprintf(F.last_why, sizeof(F.last_why), "%s", why);
}
__attribute__((format(printf, 3, 4)))
static void f_log(void *u, int prio, const char *fmt, ...)
{
        va_list ap;
        F.logs[prio & 7]++;
        if (!getenv("DHCP4_TEST_VERBOSE"))
                return;
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
}

static const struct dhcp4_client_ops ops = {
        .now = f_now, .random = f_random, .send = f_send,
        .bound = f_bound, .unbound = f_unbound, .log = f_log, .ipv6_only = f_ipv6_only,
};
static const struct dhcp4_client_ops acd_ops = {
        .now = f_now, .random = f_random, .send = f_send,
        .bound = f_bound, .unbound = f_unbound, .log = f_log, .arp_send = f_arp_send,
};

static const uint8_t MAC[6] = { 2, 0, 0, 0, 0, 1 };

static uint32_t A(const char *s)
{
        uint32_t a;
        ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
        return a;
}

static void setup(struct dhcp4_client *c)
{
        struct dhcp4_client_config cfg = { .prl = { 1, 3, 6, 15, 26, 119, 121 }, .prl_len = 7 };

        memset(&F, 0, sizeof(F));
        F.now = 1000 * S;
        F.rnd = 42;
        memcpy(cfg.mac, MAC, 6);
        cfg.client_id[0] = 1;
        memcpy(cfg.client_id + 1, MAC, 6);
        cfg.client_id_len = 7;
        dhcp4_client_init(c, &cfg, &ops, NULL);
}

static struct sent *last_sent(void)
{
        ck_assert_uint_gt(F.n_sent, 0);
        return &F.sent[(F.n_sent - 1) % 64];
}

/* Option code of a sent message: its data and *len, or NULL. */
static const uint8_t *sent_option(const struct sent *s, uint8_t code, uint8_t *len)
{
        for (size_t p = 240; p + 1 < s->len && s->raw[p] != 255; p += s->raw[p] == 0 ? 1 : 2 + s->raw[p + 1])
                if (s->raw[p] == code && p + 2 + s->raw[p + 1] <= s->len) {
                        *len = s->raw[p + 1];
                        return s->raw + p + 2;
                }
        return NULL;
}

/* A reply as dnsmasq sends it. */
static size_t reply(uint8_t *buf, uint8_t type, uint32_t xid, const uint8_t *chaddr, const char *yiaddr,
                    const char *server, uint32_t lease, uint32_t t1, uint32_t t2)
{
        size_t p = 240;
        uint32_t y = yiaddr ? A(yiaddr) : 0, sid = A(server);

        memset(buf, 0, DHCP4_MAX_MESSAGE);
        buf[0] = 2; buf[1] = 1; buf[2] = 6;
        buf[4] = xid >> 24; buf[5] = xid >> 16; buf[6] = xid >> 8; buf[7] = xid;
        memcpy(buf + 16, &y, 4);
        memcpy(buf + 28, chaddr, 6);
        memcpy(buf + 236, (uint8_t[]) { 0x63, 0x82, 0x53, 0x63 }, 4);
        buf[p++] = 53; buf[p++] = 1; buf[p++] = type;
        buf[p++] = 54; buf[p++] = 4; memcpy(buf + p, &sid, 4); p += 4;
        if (lease) {
                buf[p++] = 51; buf[p++] = 4;
                buf[p++] = lease >> 24; buf[p++] = lease >> 16; buf[p++] = lease >> 8; buf[p++] = lease;
        }
        if (t1) {
                buf[p++] = 58; buf[p++] = 4;
                buf[p++] = t1 >> 24; buf[p++] = t1 >> 16; buf[p++] = t1 >> 8; buf[p++] = t1;
        }
        if (t2) {
                buf[p++] = 59; buf[p++] = 4;
                buf[p++] = t2 >> 24; buf[p++] = t2 >> 16; buf[p++] = t2 >> 8; buf[p++] = t2;
        }
        memcpy(buf + p, (uint8_t[]) { 1, 4, 255, 255, 255, 0, 3, 4, 10, 88, 0, 1, 255 }, 13);
        return 300;
}

static void run_until(struct dhcp4_client *c, uint64_t t)
{
        for (;;) {
                uint64_t n = dhcp4_client_next_timeout(c);
                if (n > t)
                        break;
                F.now = n;
                dhcp4_client_timeout(c);
        }
        F.now = t;
}

/* DISCOVER .. ACK; returns with the client BOUND to 10.88.0.50. */
static void get_lease(struct dhcp4_client *c, uint32_t lease, uint32_t t1, uint32_t t2)
{
        uint8_t buf[DHCP4_MAX_MESSAGE];

        ck_assert_int_eq(dhcp4_client_start(c, 0), 0);
        ck_assert_uint_eq(c->state, DHCP4_STATE_SELECTING);
        dhcp4_client_receive(c, buf, reply(buf, DHCP4_OFFER, c->xid, MAC, "10.88.0.50", "10.88.0.1", lease, t1, t2));
        ck_assert_uint_eq(c->state, DHCP4_STATE_REQUESTING);
        dhcp4_client_receive(c, buf, reply(buf, DHCP4_ACK, c->xid, MAC, "10.88.0.50", "10.88.0.1", lease, t1, t2));
        ck_assert_uint_eq(c->state, DHCP4_STATE_BOUND);
        ck_assert_uint_eq(F.bound, 1);
}

static void replay(const char *name, bool badcsum)
{
        struct dhcp4_client c;
        struct pcap_file f;
        struct dhcp4_client_config cfg = {};
        const uint8_t *chaddr = NULL;
        size_t n_server = 0;
        uint32_t offered = 0;

        ck_assert_msg(pcap_load(name, &f) == 0, "cannot load %s", name);
        setup(&c);
        /* Our client takes the captured client's MAC; the transaction id is
         * ours, so the server's replies are given it. */
        for (size_t i = 0; i < f.n; i++)
                if (f.frames[i].sport == 68)
                        chaddr = f.frames[i].ip + 20 + 8 + 28;
        ck_assert_ptr_nonnull(chaddr);
        cfg = c.cfg;
        memcpy(cfg.mac, chaddr, 6);
        dhcp4_client_init(&c, &cfg, &ops, NULL);
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        ck_assert_uint_eq(last_sent()->m.type, DHCP4_DISCOVER);
        ck_assert_uint_eq(last_sent()->dst, INADDR_BROADCAST);

        for (size_t i = 0; i < f.n; i++) {
                uint8_t copy[DHCP4_OPTBUF];
                const uint8_t *p;
                size_t plen;

                if (f.frames[i].sport != 67)
                        continue;
                ck_assert_int_eq(dhcp4_unframe_udp(f.frames[i].ip, f.frames[i].ip_len, badcsum,
                                                   68, &p, &plen, NULL), 0);
                memcpy(copy, p, plen);
                copy[4] = c.xid >> 24; copy[5] = c.xid >> 16; copy[6] = c.xid >> 8; copy[7] = c.xid;
                if (n_server++ == 0) {
                        memcpy(&offered, copy + 16, 4);
                        dhcp4_client_receive(&c, copy, plen);
                        ck_assert_uint_eq(c.state, DHCP4_STATE_REQUESTING);
                        ck_assert_uint_eq(last_sent()->m.type, DHCP4_REQUEST);
                        ck_assert_uint_eq(last_sent()->m.ciaddr, 0);
                        ck_assert_uint_eq(last_sent()->m.xid, c.xid);
                        /* Option 50 and 54 as RFC 2131 table 5 wants in SELECTING. */
                        ck_assert_uint_eq(last_sent()->m.lease.server_id, A("10.88.0.1"));
                } else {
                        dhcp4_client_receive(&c, copy, plen);
                }
        }
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
        ck_assert_uint_eq(F.bound, 1);
        ck_assert_uint_eq(F.last_lease.address, offered);
        ck_assert_uint_eq(F.last_lease.prefixlen, 24);
        ck_assert_uint_eq(F.last_lease.routers[0], A("10.88.0.1"));
        ck_assert_uint_eq(dhcp4_client_next_timeout(&c), F.now + 1800 * S);
        pcap_free(&f);
}

START_TEST(test_replay_captures)
{
        replay("dhcpv4-dora-dhclient.pcap", false);
        replay("dhcpv4-dora-dhcpcd.pcap", false);
        replay("dhcpv4-dora-udhcpc.pcap", false);
        replay("offload-badcsum/dhcpv4-dora-dhclient.pcap", true);
        replay("offload-badcsum/dhcpv4-dora-dhcpcd.pcap", true);
        replay("offload-badcsum/dhcpv4-dora-udhcpc.pcap", true);
}
END_TEST

START_TEST(test_discover_fields)
{
        struct dhcp4_client c;
        struct sent *s;
        uint8_t ol = 0;

        setup(&c);
        strcpy(c.cfg.hostname, "box");
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        s = last_sent();
        ck_assert_uint_eq(s->m.type, DHCP4_DISCOVER);
        ck_assert_uint_eq(s->m.op, 1);
        ck_assert_uint_eq(s->m.xid, c.xid);
        ck_assert_mem_eq(s->m.chaddr, MAC, 6);
        ck_assert_uint_eq(s->m.ciaddr, 0);
        ck_assert_uint_ge(s->len, 300);
        ck_assert_ptr_nonnull(sent_option(s, 12, &ol));
        ck_assert_uint_eq(ol, 3);
}
END_TEST

/* RFC 2131 4.1: 4, 8, 16, 32, 64, 64 s, each within +-1 s. */
START_TEST(test_retransmit_backoff)
{
        static const uint64_t base[] = { 4, 8, 16, 32, 64, 64, 64 };
        struct dhcp4_client c;

        for (int mode = 0; mode < 3; mode++) {
                setup(&c);
                F.fixed_random = mode < 2;
                F.fixed = mode == 0 ? 0 : UINT32_MAX;
                ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
                run_until(&c, F.now + 300 * S);
                ck_assert_uint_ge(F.n_sent, 8);
                for (size_t i = 1; i < 8; i++) {
                        uint64_t d = F.sent[i].at - F.sent[i - 1].at;
                        ck_assert_uint_eq(F.sent[i].m.type, DHCP4_DISCOVER);
                        ck_assert_uint_eq(F.sent[i].m.xid, F.sent[0].m.xid);
                        ck_assert_uint_ge(d, base[i - 1] * S - S);
                        ck_assert_uint_le(d, base[i - 1] * S + S);
                }
                /* secs counts from the start of the exchange */
                ck_assert_uint_ge(F.sent[3].m.secs, 25);
        }
        for (uint32_t r = 0; r < 1000; r++) {
                uint64_t d = dhcp4_backoff(0, r * 4294967u);
                ck_assert_uint_ge(d, 3 * S);
                ck_assert_uint_le(d, 5 * S);
        }
}
END_TEST

START_TEST(test_lost_offer_then_answer)
{
        struct dhcp4_client c;
        uint8_t buf[DHCP4_MAX_MESSAGE];

        setup(&c);
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        run_until(&c, F.now + 10 * S);          /* first two DISCOVERs lost */
        ck_assert_uint_eq(F.n_sent, 2);
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_OFFER, c.xid, MAC, "10.88.0.50", "10.88.0.1", 120, 0, 0));
        ck_assert_uint_eq(last_sent()->m.type, DHCP4_REQUEST);
        /* The REQUEST is lost too: it goes again after 4 +- 1 s. */
        run_until(&c, F.now + 5 * S);
        ck_assert_uint_eq(F.n_sent, 4);
        ck_assert_uint_eq(last_sent()->m.type, DHCP4_REQUEST);
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_ACK, c.xid, MAC, "10.88.0.50", "10.88.0.1", 120, 0, 0));
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
        /* No T1/T2 options: 0.5 and 0.875 of the lease. */
        ck_assert_uint_eq(c.t1_at - c.request_sent, 60 * S);
        ck_assert_uint_eq(c.t2_at - c.request_sent, 105 * S);
        ck_assert_uint_eq(c.expire_at - c.request_sent, 120 * S);
}
END_TEST

START_TEST(test_nak)
{
        struct dhcp4_client c;
        uint8_t buf[DHCP4_MAX_MESSAGE];
        uint64_t t0;
        size_t n;

        setup(&c);
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_OFFER, c.xid, MAC, "10.88.0.50", "10.88.0.1", 120, 0, 0));
        /* A NAK from a server we did not choose is ignored. */
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_NAK, c.xid, MAC, NULL, "10.88.0.2", 0, 0, 0));
        ck_assert_uint_eq(c.state, DHCP4_STATE_REQUESTING);
        /* The first NAK restarts at once. */
        n = F.n_sent;
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_NAK, c.xid, MAC, NULL, "10.88.0.1", 0, 0, 0));
        ck_assert_uint_eq(c.state, DHCP4_STATE_SELECTING);
        ck_assert_uint_eq(F.n_sent, n + 1);
        ck_assert_uint_eq(last_sent()->m.type, DHCP4_DISCOVER);
        /* The second one waits 4 +- 1 s before the next DISCOVER. */
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_OFFER, c.xid, MAC, "10.88.0.50", "10.88.0.1", 120, 0, 0));
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_NAK, c.xid, MAC, NULL, "10.88.0.1", 0, 0, 0));
        ck_assert_uint_eq(c.state, DHCP4_STATE_INIT);
        t0 = F.now;
        n = F.n_sent;
        run_until(&c, F.now + 6 * S);
        ck_assert_uint_gt(F.n_sent, n);
        ck_assert_uint_eq(F.sent[n].m.type, DHCP4_DISCOVER);
        ck_assert_uint_ge(F.sent[n].at - t0, 3 * S);
        ck_assert_uint_le(F.sent[n].at - t0, 5 * S);
        ck_assert_uint_eq(F.bound, 0);
}
END_TEST

START_TEST(test_wrong_xid_chaddr_server)
{
        static const uint8_t other[6] = { 2, 0, 0, 0, 0, 2 };
        struct dhcp4_client c;
        uint8_t buf[DHCP4_MAX_MESSAGE];

        setup(&c);
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_OFFER, c.xid + 1, MAC, "10.88.0.50", "10.88.0.1", 120, 0, 0));
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_OFFER, c.xid, other, "10.88.0.50", "10.88.0.1", 120, 0, 0));
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_ACK, c.xid, MAC, "10.88.0.50", "10.88.0.1", 120, 0, 0));
        ck_assert_uint_eq(c.state, DHCP4_STATE_SELECTING);
        ck_assert_uint_eq(F.n_sent, 1);
        ck_assert_uint_eq(c.ignored, 3);
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_OFFER, c.xid, MAC, "10.88.0.50", "10.88.0.1", 120, 0, 0));
        ck_assert_uint_eq(c.state, DHCP4_STATE_REQUESTING);
        /* After selecting, an ACK from another server is ignored. */
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_ACK, c.xid, MAC, "10.88.0.60", "10.88.0.2", 120, 0, 0));
        ck_assert_uint_eq(c.state, DHCP4_STATE_REQUESTING);
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_ACK, c.xid, other, "10.88.0.50", "10.88.0.1", 120, 0, 0));
        ck_assert_uint_eq(c.state, DHCP4_STATE_REQUESTING);
        /* Garbage is counted, not fatal. */
        dhcp4_client_receive(&c, buf, 17);
        ck_assert_uint_eq(c.state, DHCP4_STATE_REQUESTING);
        ck_assert_uint_eq(F.bound, 0);
}
END_TEST

START_TEST(test_renew_rebind_expire)
{
        struct dhcp4_client c;
        uint8_t buf[DHCP4_MAX_MESSAGE];
        uint64_t bound_at;
        struct sent *s;

        setup(&c);
        get_lease(&c, 3600, 1800, 3150);
        bound_at = c.request_sent;
        ck_assert_uint_eq(dhcp4_client_next_timeout(&c), bound_at + 1800 * S);

        /* T1: a unicast REQUEST to the server, ciaddr set, no 50/54. */
        run_until(&c, bound_at + 1800 * S);
        ck_assert_uint_eq(c.state, DHCP4_STATE_RENEWING);
        s = last_sent();
        ck_assert_uint_eq(s->m.type, DHCP4_REQUEST);
        ck_assert_uint_eq(s->dst, A("10.88.0.1"));
        ck_assert_uint_eq(s->m.ciaddr, A("10.88.0.50"));
        ck_assert_uint_eq(s->m.lease.server_id, 0);
        ck_assert_uint_eq(s->at, bound_at + 1800 * S);

        /* An ACK renews: same address, new timers from the renewal. */
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_ACK, c.xid, MAC, "10.88.0.50", "10.88.0.1", 3600, 1800, 3150));
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
        ck_assert_uint_eq(F.bound, 2);
        ck_assert_uint_eq(F.renewed, 1);
        ck_assert_uint_eq(c.t1_at, F.now + 1800 * S);
        bound_at = F.now;

        /* No answer to the renewal: retransmit per RFC 2131 4.4.5 (half
         * the time to T2, at least 60 s), then rebind at T2 by broadcast. */
        run_until(&c, bound_at + 3150 * S - 1);
        ck_assert_uint_eq(c.state, DHCP4_STATE_RENEWING);
        ck_assert_uint_eq(last_sent()->dst, A("10.88.0.1"));
        ck_assert_uint_ge(F.n_sent, 4);
        run_until(&c, bound_at + 3150 * S);
        ck_assert_uint_eq(c.state, DHCP4_STATE_REBINDING);
        s = last_sent();
        ck_assert_uint_eq(s->dst, INADDR_BROADCAST);
        ck_assert_uint_eq(s->m.ciaddr, A("10.88.0.50"));
        ck_assert_uint_eq(s->m.lease.server_id, 0);

        /* Nobody answers: at expiry the lease goes and INIT starts over. */
        ck_assert_uint_eq(F.unbound, 0);
        run_until(&c, bound_at + 3600 * S);
        ck_assert_uint_eq(F.unbound, 1);
        ck_assert_str_eq(F.last_why, "lease expired");
        ck_assert_uint_eq(c.state, DHCP4_STATE_SELECTING);
        ck_assert_uint_eq(last_sent()->m.type, DHCP4_DISCOVER);
        ck_assert(!c.have_lease);
}
END_TEST

START_TEST(test_rebind_answered_by_other_server)
{
        struct dhcp4_client c;
        uint8_t buf[DHCP4_MAX_MESSAGE];

        setup(&c);
        get_lease(&c, 100, 0, 0);
        run_until(&c, c.request_sent + 88 * S);
        ck_assert_uint_eq(c.state, DHCP4_STATE_REBINDING);
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_ACK, c.xid, MAC, "10.88.0.50", "10.88.0.2", 100, 0, 0));
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
        ck_assert_uint_eq(c.lease.server_id, A("10.88.0.2"));
        ck_assert_uint_eq(F.renewed, 1);
}
END_TEST

START_TEST(test_init_reboot)
{
        struct dhcp4_client c;
        uint8_t buf[DHCP4_MAX_MESSAGE];
        struct dhcp4_saved_lease saved = { .ifname = "nm_x", .prefixlen = 24 }, back;
        char text[256];
        struct sent *s;

        /* The lease as the plugin saves it, read back as after a restart. */
        saved.address = A("10.88.0.77");
        saved.server_id = A("10.88.0.1");
        ck_assert_int_gt(dhcp4_saved_lease_format(&saved, text, sizeof(text)), 0);
        ck_assert_int_eq(dhcp4_saved_lease_parse(text, &back), 0);

        setup(&c);
        ck_assert_int_eq(dhcp4_client_start(&c, back.address), 0);
        ck_assert_uint_eq(c.state, DHCP4_STATE_INIT_REBOOT);
        s = last_sent();
        ck_assert_uint_eq(s->m.type, DHCP4_REQUEST);
        ck_assert_uint_eq(s->dst, INADDR_BROADCAST);
        ck_assert_uint_eq(s->m.ciaddr, 0);
        ck_assert_uint_eq(s->m.lease.server_id, 0);     /* RFC 2131 4.3.2: no server id */
        /* An ACK for another address is not what we asked for. */
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_ACK, c.xid, MAC, "10.88.0.78", "10.88.0.1", 120, 0, 0));
        ck_assert_uint_eq(c.state, DHCP4_STATE_INIT_REBOOT);
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_ACK, c.xid, MAC, "10.88.0.77", "10.88.0.1", 120, 0, 0));
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
        ck_assert_uint_eq(F.last_lease.address, A("10.88.0.77"));

        /* A server that does not know the address stays silent: after two
         * REQUESTs a second apart the client starts over in INIT. */
        setup(&c);
        ck_assert_int_eq(dhcp4_client_start(&c, back.address), 0);
        run_until(&c, F.now + 2 * S);
        ck_assert_uint_eq(F.n_sent, 3);
        ck_assert_uint_eq(F.sent[1].m.type, DHCP4_REQUEST);
        ck_assert_uint_eq(F.sent[2].m.type, DHCP4_DISCOVER);
        ck_assert_uint_eq(c.state, DHCP4_STATE_SELECTING);

        /* A NAK sends it to INIT at once. */
        setup(&c);
        ck_assert_int_eq(dhcp4_client_start(&c, back.address), 0);
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_NAK, c.xid, MAC, NULL, "10.88.0.1", 0, 0, 0));
        ck_assert_uint_eq(c.state, DHCP4_STATE_SELECTING);
        ck_assert_uint_eq(last_sent()->m.type, DHCP4_DISCOVER);
}
END_TEST

/* Option 50 (requested IP address) of a sent message; 0 when absent. */
static uint32_t requested_ip(const struct sent *s)
{
        uint8_t len = 0;
        const uint8_t *d = sent_option(s, 50, &len);
        uint32_t a = 0;

        if (d && len == 4)
                memcpy(&a, d, 4);
        return a;
}

/* The link came back (maybe on another network): the lease is asked for
 * again as after a restart; ACK renews, NAK starts over, silence keeps it. */
START_TEST(test_reconfirm_after_link_up)
{
        struct dhcp4_client c;
        uint8_t buf[DHCP4_MAX_MESSAGE];
        struct sent *s;
        uint64_t t1_before;

        /* Nothing to confirm without a lease. */
        setup(&c);
        ck_assert_int_eq(dhcp4_client_reconfirm(&c), 0);
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        ck_assert_int_eq(dhcp4_client_reconfirm(&c), 0);
        ck_assert_uint_eq(c.state, DHCP4_STATE_SELECTING);

        /* ACK: the same lease, renewed from now. */
        setup(&c);
        get_lease(&c, 3600, 0, 0);
        F.now += 600 * S;
        t1_before = c.t1_at;
        ck_assert_int_eq(dhcp4_client_reconfirm(&c), 1);
        ck_assert_uint_eq(c.state, DHCP4_STATE_INIT_REBOOT);
        s = last_sent();
        ck_assert_uint_eq(s->m.type, DHCP4_REQUEST);
        ck_assert_uint_eq(s->dst, INADDR_BROADCAST);
        ck_assert_uint_eq(s->m.ciaddr, 0);
        ck_assert_uint_eq(requested_ip(s), A("10.88.0.50"));
        ck_assert_uint_eq(s->m.lease.server_id, 0);
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_ACK, c.xid, MAC, "10.88.0.50", "10.88.0.1", 3600, 0, 0));
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
        ck_assert_uint_eq(F.bound, 2);
        ck_assert_uint_eq(F.renewed, 1);
        ck_assert_uint_eq(F.unbound, 0);
        ck_assert_uint_eq(c.t1_at, t1_before + 600 * S);

        /* NAK (another network): the lease goes, DISCOVER at once. */
        setup(&c);
        get_lease(&c, 3600, 0, 0);
        ck_assert_int_eq(dhcp4_client_reconfirm(&c), 1);
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_NAK, c.xid, MAC, NULL, "192.168.7.1", 0, 0, 0));
        ck_assert_uint_eq(F.unbound, 1);
        ck_assert_str_eq(F.last_why, "DHCPNAK");
        ck_assert(!c.have_lease);
        ck_assert_uint_eq(c.state, DHCP4_STATE_SELECTING);
        ck_assert_uint_eq(last_sent()->m.type, DHCP4_DISCOVER);

        /* Silence: two REQUESTs a second apart, then the lease is kept and
         * renewed at its T1 as before; nothing is dropped, no DISCOVER. */
        setup(&c);
        get_lease(&c, 3600, 0, 0);
        t1_before = c.t1_at;
        ck_assert_int_eq(dhcp4_client_reconfirm(&c), 1);
        run_until(&c, F.now + 10 * S);
        ck_assert_uint_eq(F.n_sent, 4);                 /* DISCOVER, REQUEST, 2 x REQUEST */
        ck_assert_uint_eq(F.sent[3].m.type, DHCP4_REQUEST);
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
        ck_assert(c.have_lease);
        ck_assert_uint_eq(F.unbound, 0);
        ck_assert_uint_eq(c.timer, t1_before);
        run_until(&c, t1_before);
        ck_assert_uint_eq(c.state, DHCP4_STATE_RENEWING);
        s = last_sent();
        ck_assert_uint_eq(s->m.type, DHCP4_REQUEST);
        ck_assert_uint_eq(s->m.ciaddr, A("10.88.0.50"));

        /* Silence past T1: renewing starts right away. */
        setup(&c);
        get_lease(&c, 20, 0, 0);                        /* T1 10 s, T2 17.5 s */
        F.now += 9 * S;
        ck_assert_int_eq(dhcp4_client_reconfirm(&c), 1);
        run_until(&c, F.now + 2 * S);
        ck_assert_uint_eq(c.state, DHCP4_STATE_RENEWING);
        ck_assert_uint_eq(last_sent()->m.ciaddr, A("10.88.0.50"));
        ck_assert(c.have_lease);
}
END_TEST

START_TEST(test_release_and_bound_failure)
{
        struct dhcp4_client c;
        uint8_t buf[DHCP4_MAX_MESSAGE];

        setup(&c);
        get_lease(&c, 3600, 0, 0);
        dhcp4_client_stop(&c, true);
        ck_assert_uint_eq(last_sent()->m.type, DHCP4_RELEASE);
        ck_assert_uint_eq(last_sent()->dst, A("10.88.0.1"));
        ck_assert_uint_eq(last_sent()->m.ciaddr, A("10.88.0.50"));
        ck_assert_uint_eq(last_sent()->m.lease.server_id, A("10.88.0.1"));
        ck_assert_uint_eq(c.state, DHCP4_STATE_STOPPED);

        setup(&c);
        F.bound_ret = -EPERM;
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_OFFER, c.xid, MAC, "10.88.0.50", "10.88.0.1", 120, 0, 0));
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_ACK, c.xid, MAC, "10.88.0.50", "10.88.0.1", 120, 0, 0));
        ck_assert_int_eq(c.error, -EPERM);
        ck_assert_uint_eq(c.state, DHCP4_STATE_STOPPED);
}
END_TEST


/* issue 13: yiaddr 0/8, loopback, multicast, class E or broadcast is no
 * address to configure; dhclient refuses it too. */
START_TEST(test_refuse_non_unicast)
{
        static const char *const bad[] = { "0.0.0.0", "0.1.2.3", "127.0.0.5", "224.0.0.1",
                                           "239.1.2.3", "240.0.0.1", "255.255.255.255" };
        struct dhcp4_client c;
        uint8_t buf[DHCP4_MAX_MESSAGE];

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                setup(&c);
                ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
                dhcp4_client_receive(&c, buf, reply(buf, DHCP4_OFFER, c.xid, MAC, bad[i], "10.88.0.1", 120, 0, 0));
                ck_assert_msg(c.state == DHCP4_STATE_SELECTING, "offer of %s taken", bad[i]);
                ck_assert_uint_eq(F.n_sent, 1);
                /* Nor as an ACK to a good offer. */
                dhcp4_client_receive(&c, buf, reply(buf, DHCP4_OFFER, c.xid, MAC, "10.88.0.50", "10.88.0.1", 120, 0, 0));
                ck_assert_uint_eq(c.state, DHCP4_STATE_REQUESTING);
                dhcp4_client_receive(&c, buf, reply(buf, DHCP4_ACK, c.xid, MAC, bad[i], "10.88.0.1", 120, 0, 0));
                ck_assert_msg(c.state == DHCP4_STATE_REQUESTING, "ACK of %s bound", bad[i]);
                ck_assert_uint_eq(F.bound, 0);
        }
}
END_TEST

/* An option 119 (split over 4 options, RFC 3396) of the invalid name ";"
 * and then 2-byte pointers, each to the one before it: every pointer is a
 * name, and the chain makes a naive walk quadratic. */
static size_t reply_bad_search(uint8_t *buf, uint32_t xid, const uint8_t *chaddr)
{
        uint8_t data[1000];
        size_t p, d = 0;

        data[d++] = 1; data[d++] = ';'; data[d++] = 0;
        while (d + 2 <= sizeof(data)) {
                size_t target = d == 3 ? 0 : d - 2;
                data[d++] = 0xc0 | (uint8_t) (target >> 8);
                data[d++] = (uint8_t) target;
        }
        reply(buf, DHCP4_OFFER, xid, chaddr, "10.88.0.50", "10.88.0.1", 120, 0, 0);
        p = 240 + 3 + 6 + 6 + 13 - 1;           /* over the END of reply() */
        for (size_t o = 0; o < d; o += 250) {
                size_t l = d - o < 250 ? d - o : 250;
                buf[p++] = 119;
                buf[p++] = (uint8_t) l;
                memcpy(buf + p, data + o, l);
                p += l;
        }
        buf[p++] = 255;
        return p;
}

/* issue 13, log amplification: messages for other clients are not even
 * parsed (no warning), and those for us warn a bounded number of times. */
START_TEST(test_hostile_traffic_bounded_logs)
{
        static const uint8_t other[6] = { 2, 0, 0, 0, 0, 2 };
        struct dhcp4_client c;
        static uint8_t buf[DHCP4_OPTBUF];
        size_t n;

        setup(&c);
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        c.cfg.prl_len = 0;
        for (int i = 0; i < 100; i++) {
                n = reply_bad_search(buf, c.xid, other);
                dhcp4_client_receive(&c, buf, n);
                n = reply_bad_search(buf, c.xid + 1, MAC);
                dhcp4_client_receive(&c, buf, n);
        }
        ck_assert_uint_eq(F.logs[4] + F.logs[3], 0);
        ck_assert_uint_eq(c.state, DHCP4_STATE_SELECTING);
        /* For us: taken (the names dropped), but the warnings are few. */
        setup(&c);
        for (int i = 0; i < 1000; i++) {
                dhcp4_client_stop(&c, false);
                ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
                n = reply_bad_search(buf, c.xid, MAC);
                dhcp4_client_receive(&c, buf, n);
                ck_assert_uint_eq(c.state, DHCP4_STATE_REQUESTING);
                F.now += S / 100;
        }
        ck_assert_uint_le(F.logs[4], 40);
        ck_assert_uint_ge(F.logs[4], 1);
}
END_TEST

/* Answers every REQUEST sent since *seen with an ACK (lease, t1, t2). */
static void auto_ack(struct dhcp4_client *c, size_t *seen, uint32_t lease, uint32_t t1, uint32_t t2)
{
        uint8_t buf[DHCP4_MAX_MESSAGE];

        while (*seen < F.n_sent) {
                struct sent *s = &F.sent[(*seen)++ % 64];
                if (s->m.type == DHCP4_REQUEST)
                        dhcp4_client_receive(c, buf, reply(buf, DHCP4_ACK, c->xid, MAC, "10.88.0.50",
                                                           "10.88.0.1", lease, t1, t2));
        }
}

static unsigned requests_in(struct dhcp4_client *c, uint64_t span, uint32_t lease, uint32_t t1, uint32_t t2)
{
        uint64_t end = F.now + span;
        size_t seen = F.n_sent;
        unsigned requests = 0, bound0 = F.bound;

        while (F.now < end) {
                uint64_t n = dhcp4_client_next_timeout(c);
                F.now = n < end ? n : end;
                dhcp4_client_timeout(c);
                for (size_t i = seen; i < F.n_sent; i++)
                        requests += F.sent[i % 64].m.type == DHCP4_REQUEST;
                auto_ack(c, &seen, lease, t1, t2);
                if (F.bound - bound0 > 10000)
                        break;
        }
        return requests;
}

/* issue 13, renewal storm: a 2 s lease, or T1 = T2 = 1 s on a long one,
 * must not make the client send thousands of REQUESTs a second. */
START_TEST(test_renewal_floors)
{
        struct dhcp4_client c;
        unsigned n;

        setup(&c);
        get_lease(&c, 2, 1, 1);
        n = requests_in(&c, 120 * S, 2, 1, 1);
        ck_assert_msg(n <= 42, "%u REQUESTs in 120 s with a 2 s lease", n);
        ck_assert(c.have_lease);
        ck_assert_uint_ge(c.expire_at - c.request_sent, 6 * S);

        setup(&c);
        get_lease(&c, 3600, 1, 1);
        n = requests_in(&c, 120 * S, 3600, 1, 1);
        ck_assert_msg(n <= 1, "%u REQUESTs in 120 s with T1 = T2 = 1 s", n);
        ck_assert_uint_ge(c.t1_at - c.request_sent, 3 * S);
        ck_assert_uint_gt(c.t2_at, c.t1_at);
        ck_assert_uint_lt(c.t2_at, c.expire_at);

        /* Lease 0/1 and T1 = T2 = 0: the same floors. */
        setup(&c);
        get_lease(&c, 1, 0, 0);
        n = requests_in(&c, 120 * S, 1, 0, 0);
        ck_assert_msg(n <= 42, "%u REQUESTs in 120 s with a 1 s lease", n);
}
END_TEST


/* issue 16: a restart during a server outage keeps a still-valid lease.
 * The saved ACK is given back to a new client (as after a restart, 100 s
 * into a 3600 s lease); INIT-REBOOT gets no answer; the lease is configured
 * again (bound, not renewed) with its remaining time, and renewed at T1. */
START_TEST(test_restart_keeps_lease)
{
        struct dhcp4_client c;
        uint8_t buf[DHCP4_MAX_MESSAGE], ack[DHCP4_OPTBUF];
        size_t ack_len;

        setup(&c);
        get_lease(&c, 3600, 0, 0);
        ck_assert_uint_gt(c.ack_len, 0);
        ack_len = c.ack_len;
        memcpy(ack, c.ack, ack_len);

        setup(&c);
        ck_assert_int_eq(dhcp4_client_start_saved(&c, ack, ack_len, 100 * S), 0);
        ck_assert_uint_eq(c.state, DHCP4_STATE_INIT_REBOOT);
        ck_assert(c.have_lease);
        ck_assert_uint_eq(F.bound, 0);                  /* not before the server had its say */
        ck_assert_uint_eq(requested_ip(last_sent()), A("10.88.0.50"));
        run_until(&c, F.now + 3 * S);
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
        ck_assert_uint_eq(F.bound, 1);
        ck_assert_uint_eq(F.renewed, 0);
        ck_assert_uint_eq(F.last_lease.address, A("10.88.0.50"));
        ck_assert_uint_eq(F.unbound, 0);
        ck_assert_uint_eq(F.n_sent, 2);                 /* two REQUESTs, no DISCOVER */
        ck_assert_uint_eq(c.expire_at, F.now - 3 * S + 3500 * S);
        run_until(&c, c.t1_at);
        ck_assert_uint_eq(c.state, DHCP4_STATE_RENEWING);
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_ACK, c.xid, MAC, "10.88.0.50", "10.88.0.1", 3600, 0, 0));
        ck_assert_uint_eq(F.renewed, 1);

        /* The server answers the INIT-REBOOT: bound at once, not renewed
         * (nothing is configured yet). */
        setup(&c);
        ck_assert_int_eq(dhcp4_client_start_saved(&c, ack, ack_len, 100 * S), 0);
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_ACK, c.xid, MAC, "10.88.0.50", "10.88.0.1", 3600, 0, 0));
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
        ck_assert_uint_eq(F.bound, 1);
        ck_assert_uint_eq(F.renewed, 0);

        /* An expired lease is only a hint: INIT-REBOOT, then INIT. */
        setup(&c);
        ck_assert_int_eq(dhcp4_client_start_saved(&c, ack, ack_len, 4000 * S), 0);
        ck_assert(!c.have_lease);
        run_until(&c, F.now + 3 * S);
        ck_assert_uint_eq(c.state, DHCP4_STATE_SELECTING);
        ck_assert_uint_eq(F.bound, 0);

        /* Garbage instead of an ACK: an ordinary start. */
        setup(&c);
        ck_assert_int_eq(dhcp4_client_start_saved(&c, ack, 17, 0), 0);
        ck_assert_uint_eq(c.state, DHCP4_STATE_SELECTING);
}
END_TEST


static void setup_acd(struct dhcp4_client *c, int mode)
{
        struct dhcp4_client_config cfg;

        setup(c);
        cfg = c->cfg;
        cfg.acd = mode;
        dhcp4_client_init(c, &cfg, &acd_ops, NULL);
}

static void offer_ack(struct dhcp4_client *c, const char *addr)
{
        uint8_t buf[DHCP4_MAX_MESSAGE];

        dhcp4_client_receive(c, buf, reply(buf, DHCP4_OFFER, c->xid, MAC, addr, "10.88.0.1", 3600, 0, 0));
        ck_assert_uint_eq(c->state, DHCP4_STATE_REQUESTING);
        dhcp4_client_receive(c, buf, reply(buf, DHCP4_ACK, c->xid, MAC, addr, "10.88.0.1", 3600, 0, 0));
}

/* issue 11, RFC 5227: the ACKed address is probed before it is used; by
 * default the probes add at most 300 ms. */
START_TEST(test_acd_probe_then_bind)
{
        static const uint8_t other[6] = { 2, 0, 0, 0, 0, 9 };
        struct dhcp4_client c;
        uint64_t acked;

        setup_acd(&c, DHCP4_ACD_FAST);
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        offer_ack(&c, "10.88.0.50");
        acked = F.now;
        ck_assert_uint_eq(c.state, DHCP4_STATE_PROBING);
        ck_assert_uint_eq(F.bound, 0);
        run_until(&c, acked + 300 * 1000);
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
        ck_assert_uint_eq(F.bound, 1);
        ck_assert_uint_ge(F.n_arp, 3);          /* probes, then the first announcement */
        ck_assert_uint_eq(F.arp[0].spa, 0);     /* a probe: sender 0.0.0.0 */
        ck_assert_uint_eq(F.arp[0].tpa, A("10.88.0.50"));
        ck_assert_uint_eq(F.arp[F.n_arp - 1].spa, A("10.88.0.50"));      /* announcement */
        ck_assert_uint_eq(F.arp[F.n_arp - 1].tpa, A("10.88.0.50"));
        /* The second announcement, ANNOUNCE_INTERVAL later. */
        run_until(&c, F.now + 3 * S);
        ck_assert_uint_eq(F.arp[F.n_arp - 1].spa, A("10.88.0.50"));
        ck_assert_uint_ge(F.n_arp, 4);
        /* Our own ARP (our MAC) is no conflict. */
        dhcp4_client_arp(&c, MAC, A("10.88.0.50"), A("10.88.0.1"));
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
        (void) other;

        /* RFC 5227 timings: seconds, not milliseconds. */
        setup_acd(&c, DHCP4_ACD_RFC);
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        offer_ack(&c, "10.88.0.50");
        acked = F.now;
        run_until(&c, acked + 2 * S);
        ck_assert_uint_eq(c.state, DHCP4_STATE_PROBING);
        run_until(&c, acked + 10 * S);
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);

        /* Off: bound at once, no ARP. */
        setup_acd(&c, DHCP4_ACD_OFF);
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        offer_ack(&c, "10.88.0.50");
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
        ck_assert_uint_eq(F.n_arp, 0);
}
END_TEST

/* A conflict while probing: DHCPDECLINE, then over again at once; the
 * declined address is never configured. */
START_TEST(test_acd_conflict_declines)
{
        static const uint8_t other[6] = { 2, 0, 0, 0, 0, 9 };
        struct dhcp4_client c;
        struct sent *s;
        uint8_t ol;
        const uint8_t *o;

        for (int kind = 0; kind < 2; kind++) {
                setup_acd(&c, DHCP4_ACD_FAST);
                ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
                offer_ack(&c, "10.88.0.50");
                F.now += 50 * 1000;
                dhcp4_client_timeout(&c);
                if (kind == 0)          /* the holder answers the probe */
                        dhcp4_client_arp(&c, other, A("10.88.0.50"), 0);
                else                    /* another host probes it too */
                        dhcp4_client_arp(&c, other, 0, A("10.88.0.50"));
                ck_assert_uint_eq(F.bound, 0);
                ck_assert_uint_eq(c.state, DHCP4_STATE_SELECTING);
                s = &F.sent[(F.n_sent - 2) % 64];
                ck_assert_uint_eq(s->m.type, DHCP4_DECLINE);
                ck_assert_uint_eq(s->dst, INADDR_BROADCAST);
                ck_assert_uint_eq(s->m.ciaddr, 0);
                ck_assert_uint_eq(requested_ip(s), A("10.88.0.50"));
                ck_assert_uint_eq(s->m.lease.server_id, A("10.88.0.1"));
                ck_assert_ptr_null(sent_option(s, 55, &ol));
                ck_assert_uint_eq(last_sent()->m.type, DHCP4_DISCOVER);
                /* A free address next: bound. */
                offer_ack(&c, "10.88.0.51");
                run_until(&c, F.now + S);
                ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
                ck_assert_uint_eq(F.last_lease.address, A("10.88.0.51"));
        }
        /* A second conflict in a row backs off before the next DISCOVER. */
        setup_acd(&c, DHCP4_ACD_FAST);
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        offer_ack(&c, "10.88.0.50");
        dhcp4_client_arp(&c, other, A("10.88.0.50"), 0);
        offer_ack(&c, "10.88.0.50");
        dhcp4_client_arp(&c, other, A("10.88.0.50"), 0);
        ck_assert_uint_eq(c.state, DHCP4_STATE_INIT);
        o = NULL;
        (void) o;
}
END_TEST

/* After binding: defend once (an announcement), a second conflict within
 * DEFEND_INTERVAL drops the lease and starts over. */
START_TEST(test_acd_defend_then_drop)
{
        static const uint8_t other[6] = { 2, 0, 0, 0, 0, 9 };
        struct dhcp4_client c;
        size_t arps;

        setup_acd(&c, DHCP4_ACD_FAST);
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        offer_ack(&c, "10.88.0.50");
        run_until(&c, F.now + 5 * S);
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
        arps = F.n_arp;
        dhcp4_client_arp(&c, other, A("10.88.0.50"), A("10.88.0.1"));
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
        ck_assert_uint_eq(F.n_arp, arps + 1);
        ck_assert_uint_eq(F.arp[(F.n_arp - 1) % 16].spa, A("10.88.0.50"));
        ck_assert_uint_eq(F.unbound, 0);
        /* A conflict 20 s later is a first one again. */
        F.now += 20 * S;
        dhcp4_client_arp(&c, other, A("10.88.0.50"), A("10.88.0.1"));
        ck_assert_uint_eq(F.unbound, 0);
        F.now += 2 * S;
        dhcp4_client_arp(&c, other, A("10.88.0.50"), A("10.88.0.1"));
        ck_assert_uint_eq(F.unbound, 1);
        ck_assert(!c.have_lease);
        ck_assert_uint_eq(last_sent()->m.type, DHCP4_DISCOVER);
        ck_assert_uint_eq(F.sent[(F.n_sent - 2) % 64].m.type, DHCP4_DECLINE);
}
END_TEST


/* reply() plus one more option before the END. */
static size_t reply_with(uint8_t *buf, uint8_t type, uint32_t xid, const char *yiaddr,
                         const uint8_t *opt, size_t optlen)
{
        size_t p = 240 + 3 + 6 + 6 + 13 - 1;    /* the END of reply() with a lease time */

        reply(buf, type, xid, MAC, yiaddr, "10.88.0.1", 3600, 0, 0);
        memcpy(buf + p, opt, optlen);
        buf[p + optlen] = 255;
        return p + optlen + 1 < 300 ? 300 : p + optlen + 1;
}

/* issue 11, RFC 4039: with rapid commit, an ACK to the DISCOVER binds at
 * once; without it (or without option 80 in the ACK) it is ignored. */
START_TEST(test_rapid_commit)
{
        static const uint8_t rc[] = { 80, 0 };
        struct dhcp4_client c;
        struct dhcp4_client_config cfg;
        uint8_t buf[DHCP4_MAX_MESSAGE], ol;

        setup(&c);
        cfg = c.cfg;
        cfg.rapid_commit = true;
        dhcp4_client_init(&c, &cfg, &ops, NULL);
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        ck_assert_ptr_nonnull(sent_option(last_sent(), 80, &ol));
        ck_assert_uint_eq(ol, 0);
        /* An ACK without option 80 in SELECTING: not ours to take. */
        dhcp4_client_receive(&c, buf, reply(buf, DHCP4_ACK, c.xid, MAC, "10.88.0.50", "10.88.0.1", 3600, 0, 0));
        ck_assert_uint_eq(c.state, DHCP4_STATE_SELECTING);
        dhcp4_client_receive(&c, buf, reply_with(buf, DHCP4_ACK, c.xid, "10.88.0.50", rc, sizeof(rc)));
        ck_assert_uint_eq(c.state, DHCP4_STATE_BOUND);
        ck_assert_uint_eq(F.bound, 1);
        ck_assert_uint_eq(F.n_sent, 1);                 /* no DHCPREQUEST */
        ck_assert_uint_eq(c.lease.server_id, A("10.88.0.1"));

        /* Not asked for: a rapid-commit ACK is ignored, no option 80 sent. */
        setup(&c);
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        ck_assert_ptr_null(sent_option(last_sent(), 80, &ol));
        dhcp4_client_receive(&c, buf, reply_with(buf, DHCP4_ACK, c.xid, "10.88.0.50", rc, sizeof(rc)));
        ck_assert_uint_eq(c.state, DHCP4_STATE_SELECTING);
}
END_TEST

/* RFC 8925: with ipv6-only-preferred, an offer carrying option 108 stops
 * DHCPv4 for V6ONLY_WAIT (at least 300 s); without the key it is an
 * ordinary offer. */
START_TEST(test_ipv6_only_preferred)
{
        static const uint8_t v6only[] = { 108, 4, 0, 0, 0x07, 0x08 };          /* 1800 s */
        static const uint8_t v6short[] = { 108, 4, 0, 0, 0, 10 };              /* 10 s: 300 */
        struct dhcp4_client c;
        struct dhcp4_client_config cfg;
        uint8_t buf[DHCP4_MAX_MESSAGE], ol;
        const uint8_t *prl;
        uint64_t t0;
        size_t n;

        setup(&c);
        cfg = c.cfg;
        cfg.ipv6_only = true;
        dhcp4_client_init(&c, &cfg, &ops, NULL);
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        prl = sent_option(last_sent(), 55, &ol);
        ck_assert_ptr_nonnull(prl);
        ck_assert_ptr_nonnull(memchr(prl, 108, ol));
        t0 = F.now;
        n = F.n_sent;
        dhcp4_client_receive(&c, buf, reply_with(buf, DHCP4_OFFER, c.xid, "10.88.0.50", v6only, sizeof(v6only)));
        ck_assert_uint_eq(c.state, DHCP4_STATE_INIT);
        ck_assert_uint_eq(F.n_sent, n);                 /* no DHCPREQUEST */
        ck_assert_uint_eq(F.v6only, 1800);
        run_until(&c, t0 + 1799 * S);
        ck_assert_uint_eq(F.n_sent, n);
        run_until(&c, t0 + 1801 * S);
        ck_assert_uint_eq(last_sent()->m.type, DHCP4_DISCOVER);
        dhcp4_client_receive(&c, buf, reply_with(buf, DHCP4_OFFER, c.xid, "10.88.0.50", v6short, sizeof(v6short)));
        ck_assert_uint_eq(F.v6only, 300);               /* MIN_V6ONLY_WAIT */
        ck_assert_uint_eq(F.bound, 0);

        /* Without the key, 108 is not asked for, and an offer is an offer. */
        setup(&c);
        ck_assert_int_eq(dhcp4_client_start(&c, 0), 0);
        prl = sent_option(last_sent(), 55, &ol);
        ck_assert_ptr_null(memchr(prl, 108, ol));
        dhcp4_client_receive(&c, buf, reply_with(buf, DHCP4_OFFER, c.xid, "10.88.0.50", v6only, sizeof(v6only)));
        ck_assert_uint_eq(c.state, DHCP4_STATE_REQUESTING);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("dhcp4-client");
        TCase *tc = tcase_create("state machine");
        SRunner *sr;
        int failed;

        tcase_add_test(tc, test_replay_captures);
        tcase_add_test(tc, test_discover_fields);
        tcase_add_test(tc, test_retransmit_backoff);
        tcase_add_test(tc, test_lost_offer_then_answer);
        tcase_add_test(tc, test_nak);
        tcase_add_test(tc, test_wrong_xid_chaddr_server);
        tcase_add_test(tc, test_renew_rebind_expire);
        tcase_add_test(tc, test_rebind_answered_by_other_server);
        tcase_add_test(tc, test_init_reboot);
        tcase_add_test(tc, test_reconfirm_after_link_up);
        tcase_add_test(tc, test_release_and_bound_failure);
        tcase_add_test(tc, test_refuse_non_unicast);
        tcase_add_test(tc, test_hostile_traffic_bounded_logs);
        tcase_add_test(tc, test_renewal_floors);
        tcase_add_test(tc, test_restart_keeps_lease);
        tcase_add_test(tc, test_acd_probe_then_bind);
        tcase_add_test(tc, test_acd_conflict_declines);
        tcase_add_test(tc, test_acd_defend_then_drop);
        tcase_add_test(tc, test_rapid_commit);
        tcase_add_test(tc, test_ipv6_only_preferred);
        suite_add_tcase(s, tc);
        sr = srunner_create(s);
        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? 1 : 0;
}
