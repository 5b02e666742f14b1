/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of the native DHCPv6 client: the codec, the state machine
 * driven with a fake clock and socket (real captured ADVERTISE/REPLY
 * messages replayed into it), and the netlink scan behind the DAD wait.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "dhcp6-client.h"
#include "dhcp6-netlink.h"
#include "dhcp6-protocol.h"
#include "pcap.h"

/* ---- fakes ----------------------------------------------------------- */

struct sent {
        uint8_t buf[1024];
        size_t len;
        uint64_t at;
};

struct fake {
        uint64_t now;
        uint32_t seed;
        int fixed_random;       /* >= 0: random() returns it */
        struct sent sent[256];
        size_t n_sent;
        size_t total_sent;
        bool wrap;              /* storms: reuse sent[] and events[] */
        enum dhcp6_event events[32];
        struct dhcp6_lease last;
        size_t n_events;
};

static uint64_t f_now(void *u) { return ((struct fake *) u)->now; }
static uint32_t f_random(void *u)
{
        struct fake *f = u;

        if (f->fixed_random >= 0)
                return (uint32_t) f->fixed_random;
        f->seed = f->seed * 1103515245u + 12345u;
        return f->seed >> 8;
}
static int f_send(void *u, const uint8_t *buf, size_t len)
{
        struct fake *f = u;

        f->total_sent++;
        if (f->wrap && f->n_sent == 256)
                f->n_sent = 0;
        ck_assert_uint_lt(f->n_sent, 256);
        ck_assert_uint_le(len, sizeof(f->sent[0].buf));
        memcpy(f->sent[f->n_sent].buf, buf, len);
        f->sent[f->n_sent].len = len;
        f->sent[f->n_sent].at = f->now;
        f->n_sent++;
        return 0;
}
static void f_event(void *u, enum dhcp6_event ev, const struct dhcp6_lease *l)
{
        struct fake *f = u;

        if (f->wrap && f->n_events == 32)
                f->n_events = 0;
        ck_assert_uint_lt(f->n_events, 32);
        f->events[f->n_events++] = ev;
        f->last = *l;
}
static size_t log_lines, info_lines;
static void f_log(void *u, int prio, const char *fmt, va_list ap)
{
        log_lines++;
        if (prio <= LOG_INFO)
                info_lines++;
        if (getenv("DHCP6_TEST_VERBOSE")) {
                vfprintf(stderr, fmt, ap);
                fputc('\n', stderr);
        }
}

static const struct dhcp6_ops fake_ops = {
        .now = f_now, .random = f_random, .send = f_send, .event = f_event, .log = f_log,
};

/* ---- helpers --------------------------------------------------------- */

/* The payload of option code in a message (top level), or NULL. */
static const uint8_t *find_opt(const uint8_t *buf, size_t len, uint16_t code, size_t *olen)
{
        size_t off = 4;

        while (off + 4 <= len) {
                uint16_t c = (uint16_t) (buf[off] << 8 | buf[off + 1]);
                uint16_t l = (uint16_t) (buf[off + 2] << 8 | buf[off + 3]);

                if (off + 4 + l > len)
                        return NULL;
                if (c == code) {
                        *olen = l;
                        return buf + off + 4;
                }
                off += 4 + l;
        }
        return NULL;
}

static uint32_t be32(const uint8_t *p)
{
        return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

static void set_xid(uint8_t *buf, uint32_t xid)
{
        buf[1] = (xid >> 16) & 0xff;
        buf[2] = (xid >> 8) & 0xff;
        buf[3] = xid & 0xff;
}

struct capture {
        struct pcap_udp pkts[16];
        int n;
        const struct pcap_udp *solicit, *advertise, *reply;
};

static void load_capture(const char *name, struct capture *c)
{
        char path[512];

        snprintf(path, sizeof(path), "%s/%s", DHCP6_FIXTURES, name);
        memset(c, 0, sizeof(*c));
        c->n = pcap_read_dhcp6(path, c->pkts, 16);
        ck_assert_msg(c->n > 0, "cannot read %s: %d", path, c->n);
        for (int i = 0; i < c->n; i++) {
                const struct pcap_udp *p = &c->pkts[i];

                if (p->data[0] == DHCP6_SOLICIT && !c->solicit)
                        c->solicit = p;
                else if (p->data[0] == DHCP6_ADVERTISE && !c->advertise)
                        c->advertise = p;
                else if (p->data[0] == DHCP6_REPLY && !c->reply)
                        c->reply = p;
        }
        ck_assert_ptr_nonnull(c->solicit);
        ck_assert_ptr_nonnull(c->reply);
}

/* A config with the DUID and IAID the captured client used, so the
 * captured server messages are addressed to us. */
static void config_from_capture(const struct capture *cap, struct dhcp6_config *cfg, bool rapid)
{
        const uint8_t *p;
        size_t l;

        memset(cfg, 0, sizeof(*cfg));
        p = find_opt(cap->solicit->data, cap->solicit->len, DHCP6_OPT_CLIENTID, &l);
        ck_assert_ptr_nonnull(p);
        memcpy(cfg->duid, p, l);
        cfg->duid_len = l;
        p = find_opt(cap->solicit->data, cap->solicit->len, DHCP6_OPT_IA_NA, &l);
        ck_assert_ptr_nonnull(p);
        cfg->iaid = be32(p);
        cfg->rapid_commit = rapid;
        cfg->release = true;
        cfg->oro[cfg->n_oro++] = DHCP6_OPT_DNS_SERVERS;
        cfg->oro[cfg->n_oro++] = DHCP6_OPT_DOMAIN_LIST;
}

static void feed(struct dhcp6_client *c, const struct pcap_udp *p)
{
        uint8_t buf[2048];

        memcpy(buf, p->data, p->len);
        set_xid(buf, dhcp6_client_xid(c));
        dhcp6_client_receive(c, buf, p->len);
}

static struct dhcp6_client *new_client(const struct dhcp6_config *cfg, struct fake *f)
{
        struct dhcp6_client *c = NULL;

        memset(f, 0, sizeof(*f));
        f->now = 1000 * USEC_PER_SEC;
        f->seed = 42;
        f->fixed_random = -1;
        ck_assert_int_eq(dhcp6_client_new(cfg, &fake_ops, f, &c), 0);
        return c;
}

/* Advance the fake clock to t, running the timers due on the way. */
static void run_until(struct dhcp6_client *c, struct fake *f, uint64_t t)
{
        for (;;) {
                uint64_t next = dhcp6_client_next_timeout(c);

                if (next > t)
                        break;
                if (next > f->now)
                        f->now = next;
                dhcp6_client_timeout(c);
        }
        f->now = t;
}

static uint16_t elapsed_of(const struct sent *s)
{
        size_t l;
        const uint8_t *p = find_opt(s->buf, s->len, DHCP6_OPT_ELAPSED_TIME, &l);

        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq(l, 2);
        return (uint16_t) (p[0] << 8 | p[1]);
}

/* Bind through the dhclient capture; returns the client. */
static struct dhcp6_client *bound_client(struct fake *f, struct capture *cap, struct dhcp6_config *cfg)
{
        struct dhcp6_client *c;

        load_capture("dhcpv6-sarr-dhclient.pcap", cap);
        config_from_capture(cap, cfg, false);
        c = new_client(cfg, f);
        ck_assert_int_eq(dhcp6_client_start(c), 0);
        feed(c, cap->advertise);
        feed(c, cap->reply);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_BOUND);
        return c;
}

/* ---- codec ----------------------------------------------------------- */

static const char *const all_captures[] = {
        "dhcpv6-sarr-dhclient.pcap",
        "dhcpv6-ra-sarr-dhclient.pcap",
        "dhcpv6-rapidcommit-dhcpcd.pcap",
        "offload-badcsum/dhcpv6-sarr-dhclient.pcap",
        "offload-badcsum/dhcpv6-ra-sarr-dhclient.pcap",
        "offload-badcsum/dhcpv6-rapidcommit-dhcpcd.pcap",
};

START_TEST(test_parse_captures)
{
        struct capture cap;
        struct dhcp6_config cfg;
        struct dhcp6_message m;
        char a[INET6_ADDRSTRLEN];

        load_capture(all_captures[_i], &cap);
        config_from_capture(&cap, &cfg, false);
        for (int i = 0; i < cap.n; i++)
                ck_assert_int_eq(dhcp6_parse(cap.pkts[i].data, cap.pkts[i].len, cfg.iaid, &m), 0);

        ck_assert_int_eq(dhcp6_parse(cap.reply->data, cap.reply->len, cfg.iaid, &m), 0);
        ck_assert_int_eq(m.type, DHCP6_REPLY);
        ck_assert_uint_eq(m.client_id_len, cfg.duid_len);
        ck_assert_mem_eq(m.client_id, cfg.duid, cfg.duid_len);
        ck_assert_uint_eq(m.server_id_len, 14);         /* DUID-LLT of dnsmasq */
        ck_assert(m.has_ia_na);
        ck_assert_uint_eq(m.iaid, cfg.iaid);
        ck_assert_uint_eq(m.t1, 1800);
        ck_assert_uint_eq(m.t2, 3150);
        ck_assert_uint_eq(m.n_addrs, 1);
        ck_assert_uint_eq(m.addrs[0].preferred, 3600);
        ck_assert_uint_eq(m.addrs[0].valid, 3600);
        inet_ntop(AF_INET6, &m.addrs[0].addr, a, sizeof(a));
        ck_assert_msg(strncmp(a, "fd88::1", 7) == 0, "address %s not from the pool", a);
        ck_assert_int_eq(m.status, DHCP6_STATUS_SUCCESS);

        /* The same message with another IAID has no IA_NA for us. */
        ck_assert_int_eq(dhcp6_parse(cap.reply->data, cap.reply->len, cfg.iaid + 1, &m), 0);
        ck_assert(!m.has_ia_na);

        /* Every truncation parses or is refused; nothing reads past the end. */
        for (size_t l = 0; l < cap.reply->len; l++) {
                uint8_t *copy = malloc(l ? l : 1);
                memcpy(copy, cap.reply->data, l);
                (void) dhcp6_parse(copy, l, cfg.iaid, &m);
                free(copy);
        }
}
END_TEST

START_TEST(test_parse_malformed)
{
        struct dhcp6_message m;
        /* REPLY, an option running past the end. */
        static const uint8_t trunc[] = { 7, 0, 0, 1, 0, 1, 0, 10, 0, 1 };
        /* Three stray bytes after the options. */
        static const uint8_t trailing[] = { 7, 0, 0, 1, 0, 14, 0, 0, 1, 2, 3 };
        /* Two client identifiers. */
        static const uint8_t dup[] = { 7, 0, 0, 1, 0, 1, 0, 3, 0, 3, 1, 0, 1, 0, 3, 0, 3, 2 };
        /* Preference of 2 bytes; rapid commit with data; status too short. */
        static const uint8_t pref[] = { 2, 0, 0, 1, 0, 7, 0, 2, 1, 1 };
        static const uint8_t rc[] = { 7, 0, 0, 1, 0, 14, 0, 1, 0 };
        static const uint8_t st[] = { 7, 0, 0, 1, 0, 13, 0, 1, 0 };
        /* DNS servers not a multiple of 16; IA_NA shorter than 12. */
        static const uint8_t dns[] = { 7, 0, 0, 1, 0, 23, 0, 3, 1, 2, 3 };
        static const uint8_t ia[] = { 7, 0, 0, 1, 0, 3, 0, 4, 0, 0, 0, 1 };
        /* IAADDR shorter than 24 inside an IA_NA for IAID 1. */
        static const uint8_t iaaddr[] = { 7, 0, 0, 1, 0, 3, 0, 18, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
                                          0, 5, 0, 2, 0, 0 };

        ck_assert_int_eq(dhcp6_parse(NULL, 0, 1, &m), -EBADMSG);
        ck_assert_int_eq(dhcp6_parse(trunc, 3, 1, &m), -EBADMSG);
        ck_assert_int_eq(dhcp6_parse(trunc, sizeof(trunc), 1, &m), -EBADMSG);
        ck_assert_int_eq(dhcp6_parse(trailing, sizeof(trailing), 1, &m), -EBADMSG);
        ck_assert_int_eq(dhcp6_parse(dup, sizeof(dup), 1, &m), -EBADMSG);
        ck_assert_int_eq(dhcp6_parse(pref, sizeof(pref), 1, &m), -EBADMSG);
        ck_assert_int_eq(dhcp6_parse(rc, sizeof(rc), 1, &m), -EBADMSG);
        ck_assert_int_eq(dhcp6_parse(st, sizeof(st), 1, &m), -EBADMSG);
        ck_assert_int_eq(dhcp6_parse(dns, sizeof(dns), 1, &m), -EBADMSG);
        ck_assert_int_eq(dhcp6_parse(ia, sizeof(ia), 1, &m), -EBADMSG);
        ck_assert_int_eq(dhcp6_parse(iaaddr, sizeof(iaaddr), 1, &m), -EBADMSG);
        /* The same IAADDR in someone else's IA_NA is skipped unread. */
        ck_assert_int_eq(dhcp6_parse(iaaddr, sizeof(iaaddr), 2, &m), 0);
}
END_TEST

static size_t decode(const void *p, size_t len, char out[][DHCP6_DOMAIN_MAX], size_t *bad)
{
        *bad = 0;
        return dhcp6_decode_domains(p, len, out, DHCP6_MAX_DOMAINS, bad);
}

START_TEST(test_domains_hostile)
{
        char out[DHCP6_MAX_DOMAINS][DHCP6_DOMAIN_MAX];
        size_t bad;
        static const uint8_t good[] = "\7example\3com\0\4corp\7example\0";
        static const uint8_t pointer[] = "\7example\3com\0\300\0";
        static const uint8_t selfptr[] = "\300\0";
        static const uint8_t reserved[] = "\100abc\0";
        static const uint8_t trunc_label[] = "\7exa";
        static const uint8_t no_root[] = "\7example\3com";
        static const uint8_t nul[] = "\3a\0b\3com\0";
        static const uint8_t root_only[] = "\0\3com\0";
        static const uint8_t evil[] = "\12evil\ncom;x\0";
        static const uint8_t dotted[] = "\3a.b\3com\0";
        uint8_t longname[400], many[400];
        size_t l = 0;

        ck_assert_uint_eq(decode(good, sizeof(good) - 1, out, &bad), 2);
        ck_assert_str_eq(out[0], "example.com");
        ck_assert_str_eq(out[1], "corp.example");
        ck_assert_uint_eq(bad, 0);

        /* Compression is not allowed in DHCPv6 options: the list ends there. */
        ck_assert_uint_eq(decode(pointer, sizeof(pointer) - 1, out, &bad), 1);
        ck_assert_uint_eq(bad, 1);
        ck_assert_uint_eq(decode(selfptr, sizeof(selfptr) - 1, out, &bad), 0);
        ck_assert_uint_eq(bad, 1);
        ck_assert_uint_eq(decode(reserved, sizeof(reserved) - 1, out, &bad), 0);
        ck_assert_uint_eq(bad, 1);
        ck_assert_uint_eq(decode(trunc_label, sizeof(trunc_label) - 1, out, &bad), 0);
        ck_assert_uint_eq(bad, 1);
        ck_assert_uint_eq(decode(no_root, sizeof(no_root) - 1, out, &bad), 0);
        ck_assert_uint_eq(bad, 1);
        /* A NUL inside a label would cut the string short: dropped. */
        ck_assert_uint_eq(decode(nul, sizeof(nul) - 1, out, &bad), 0);
        ck_assert_uint_eq(bad, 1);
        ck_assert_uint_eq(decode(root_only, sizeof(root_only) - 1, out, &bad), 1);
        ck_assert_str_eq(out[0], "com");
        ck_assert_uint_eq(bad, 1);

        /* Decoded as bytes; the DNS label check later refuses them. */
        ck_assert_uint_eq(decode(evil, sizeof(evil) - 1, out, &bad), 1);
        ck_assert_str_eq(out[0], "evil\ncom;x");
        ck_assert_uint_eq(decode(dotted, sizeof(dotted) - 1, out, &bad), 1);
        ck_assert_str_eq(out[0], "a.b.com");

        /* Longer than 253 characters: dropped, the next name still read. */
        for (int i = 0; i < 5; i++) {
                longname[l++] = 60;
                memset(longname + l, 'a', 60);
                l += 60;
        }
        longname[l++] = 0;
        longname[l++] = 1;
        longname[l++] = 'x';
        longname[l++] = 0;
        ck_assert_uint_eq(decode(longname, l, out, &bad), 1);
        ck_assert_str_eq(out[0], "x");
        ck_assert_uint_eq(bad, 1);

        /* More names than room: the rest are not stored, nothing overflows. */
        l = 0;
        for (int i = 0; i < 100; i++) {
                many[l++] = 1;
                many[l++] = (uint8_t) ('a' + i % 26);
                many[l++] = 0;
        }
        ck_assert_uint_eq(decode(many, l, out, &bad), DHCP6_MAX_DOMAINS);
}
END_TEST

START_TEST(test_escape)
{
        char out[64];

        dhcp6_escape("ok.example", out, sizeof(out));
        ck_assert_str_eq(out, "ok.example");
        dhcp6_escape("a\nb c\\\x7f", out, sizeof(out));
        ck_assert_str_eq(out, "a\\x0ab\\x20c\\x5c\\x7f");
        dhcp6_escape("x;$(id)`", out, sizeof(out));
        ck_assert_str_eq(out, "x\\x3b\\x24\\x28id\\x29\\x60");
        dhcp6_escape("\n\n\n", out, 6);
        ck_assert_str_eq(out, "\\x0a");
}
END_TEST

START_TEST(test_build_bounds)
{
        uint8_t duid[14] = { 0, 1, 0, 1 }, buf[512];
        struct dhcp6_request r = { .type = DHCP6_SOLICIT, .xid = 0xabcdef, .client_id = duid,
                                   .client_id_len = sizeof(duid), .iaid = 7, .rapid_commit = true };
        int len = dhcp6_build(&r, buf, sizeof(buf));

        ck_assert_int_gt(len, 0);
        for (int s = 0; s < len; s++)
                ck_assert_int_eq(dhcp6_build(&r, buf, (size_t) s), -ENOBUFS);
}
END_TEST

/* ---- state machine, replayed captures -------------------------------- */

START_TEST(test_replay_sarr)
{
        static const char *const caps[] = {
                "dhcpv6-sarr-dhclient.pcap", "dhcpv6-ra-sarr-dhclient.pcap",
                "offload-badcsum/dhcpv6-sarr-dhclient.pcap", "offload-badcsum/dhcpv6-ra-sarr-dhclient.pcap",
        };
        struct capture cap;
        struct dhcp6_config cfg;
        struct dhcp6_message adv, m;
        struct fake f;
        struct dhcp6_client *c;
        const uint8_t *p;
        size_t l;

        load_capture(caps[_i], &cap);
        ck_assert_ptr_nonnull(cap.advertise);
        config_from_capture(&cap, &cfg, true);
        c = new_client(&cfg, &f);
        ck_assert_int_eq(dhcp6_client_start(c), 0);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_SOLICITING);

        /* SOLICIT: our DUID, our IAID, no server, ORO, elapsed 0, rapid commit. */
        ck_assert_uint_eq(f.n_sent, 1);
        ck_assert_int_eq(dhcp6_parse(f.sent[0].buf, f.sent[0].len, cfg.iaid, &m), 0);
        ck_assert_int_eq(m.type, DHCP6_SOLICIT);
        ck_assert_uint_eq(m.xid, dhcp6_client_xid(c));
        ck_assert_uint_le(m.xid, 0xffffff);
        ck_assert_uint_eq(m.client_id_len, cfg.duid_len);
        ck_assert_mem_eq(m.client_id, cfg.duid, cfg.duid_len);
        ck_assert_uint_eq(m.server_id_len, 0);
        ck_assert(m.has_ia_na);
        ck_assert_uint_eq(m.n_addrs, 0);
        ck_assert(m.rapid_commit);
        ck_assert_uint_eq(elapsed_of(&f.sent[0]), 0);
        p = find_opt(f.sent[0].buf, f.sent[0].len, DHCP6_OPT_ORO, &l);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq(l, 4);
        ck_assert_uint_eq(p[1], 23);
        ck_assert_uint_eq(p[3], 24);

        /* ADVERTISE with preference 255: REQUEST at once. */
        f.now += 3000;
        feed(c, cap.advertise);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_REQUESTING);
        ck_assert_uint_eq(f.n_sent, 2);
        ck_assert_int_eq(dhcp6_parse(cap.advertise->data, cap.advertise->len, cfg.iaid, &adv), 0);
        ck_assert_int_eq(dhcp6_parse(f.sent[1].buf, f.sent[1].len, cfg.iaid, &m), 0);
        ck_assert_int_eq(m.type, DHCP6_REQUEST);
        ck_assert_uint_eq(m.xid, dhcp6_client_xid(c));
        ck_assert_uint_eq(m.server_id_len, adv.server_id_len);
        ck_assert_mem_eq(m.server_id, adv.server_id, adv.server_id_len);
        ck_assert_uint_eq(m.n_addrs, 1);
        ck_assert_mem_eq(&m.addrs[0].addr, &adv.addrs[0].addr, 16);
        ck_assert(!m.rapid_commit);
        ck_assert_uint_eq(elapsed_of(&f.sent[1]), 0);

        feed(c, cap.reply);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_BOUND);
        ck_assert_uint_eq(f.n_events, 1);
        ck_assert_int_eq(f.events[0], DHCP6_EVENT_BOUND);
        ck_assert_mem_eq(&f.last.addr, &adv.addrs[0].addr, 16);
        ck_assert_uint_eq(f.last.valid, 3600);
        ck_assert_uint_eq(f.last.t1, 1800);
        ck_assert_uint_eq(f.last.t2, 3150);
        ck_assert_uint_eq(dhcp6_client_next_timeout(c), f.now + 1800 * USEC_PER_SEC);

        /* A second copy of the REPLY changes nothing. */
        feed(c, cap.reply);
        ck_assert_uint_eq(f.n_events, 1);

        /* Stop: RELEASE with the server and the address, until its REPLY. */
        ck_assert_int_eq(dhcp6_client_stop(c, cfg.release), 1);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_RELEASING);
        ck_assert_uint_eq(f.n_sent, 3);
        ck_assert_int_eq(dhcp6_parse(f.sent[2].buf, f.sent[2].len, cfg.iaid, &m), 0);
        ck_assert_int_eq(m.type, DHCP6_RELEASE);
        ck_assert_uint_eq(m.xid, dhcp6_client_xid(c));
        ck_assert_mem_eq(m.server_id, adv.server_id, adv.server_id_len);
        ck_assert_mem_eq(&m.addrs[0].addr, &adv.addrs[0].addr, 16);
        ck_assert(find_opt(f.sent[2].buf, f.sent[2].len, DHCP6_OPT_ORO, &l) == NULL);
        feed(c, cap.reply);     /* any REPLY with the right xid ends it */
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_STOPPED);
        ck_assert_int_eq(dhcp6_client_stop(c, cfg.release), 0);
        dhcp6_client_free(c);
}
END_TEST

START_TEST(test_replay_rapid_commit)
{
        static const char *const caps[] = {
                "dhcpv6-rapidcommit-dhcpcd.pcap", "offload-badcsum/dhcpv6-rapidcommit-dhcpcd.pcap",
        };
        struct capture cap;
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c;
        char a[INET6_ADDRSTRLEN];

        load_capture(caps[_i], &cap);
        config_from_capture(&cap, &cfg, true);
        c = new_client(&cfg, &f);
        ck_assert_int_eq(dhcp6_client_start(c), 0);
        feed(c, cap.reply);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_BOUND);
        ck_assert_uint_eq(f.n_sent, 1);         /* SOLICIT only */
        ck_assert_uint_eq(f.n_events, 1);
        inet_ntop(AF_INET6, &f.last.addr, a, sizeof(a));
        ck_assert_msg(strncmp(a, "fd88::1", 7) == 0, "bound %s", a);
        dhcp6_client_free(c);

        /* Without rapid commit configured, the same REPLY is ignored. */
        cfg.rapid_commit = false;
        c = new_client(&cfg, &f);
        ck_assert_int_eq(dhcp6_client_start(c), 0);
        ck_assert(find_opt(f.sent[0].buf, f.sent[0].len, DHCP6_OPT_RAPID_COMMIT, &(size_t) { 0 }) == NULL);
        feed(c, cap.reply);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_SOLICITING);
        ck_assert_uint_eq(f.n_events, 0);
        dhcp6_client_free(c);
}
END_TEST

START_TEST(test_ignore_wrong_xid_duid_server)
{
        struct capture cap;
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c;
        uint8_t buf[2048];
        const uint8_t *p;
        size_t l;

        load_capture("dhcpv6-sarr-dhclient.pcap", &cap);
        config_from_capture(&cap, &cfg, false);
        c = new_client(&cfg, &f);
        ck_assert_int_eq(dhcp6_client_start(c), 0);

        /* Wrong transaction id. */
        memcpy(buf, cap.advertise->data, cap.advertise->len);
        set_xid(buf, dhcp6_client_xid(c) ^ 1);
        dhcp6_client_receive(c, buf, cap.advertise->len);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_SOLICITING);

        /* Right xid, another client's DUID. */
        set_xid(buf, dhcp6_client_xid(c));
        p = find_opt(buf, cap.advertise->len, DHCP6_OPT_CLIENTID, &l);
        buf[p - buf + l - 1] ^= 0xff;
        dhcp6_client_receive(c, buf, cap.advertise->len);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_SOLICITING);
        ck_assert_uint_eq(f.n_sent, 1);

        /* The real one: REQUEST goes to its server. */
        feed(c, cap.advertise);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_REQUESTING);

        /* A REPLY from another server is ignored. */
        memcpy(buf, cap.reply->data, cap.reply->len);
        set_xid(buf, dhcp6_client_xid(c));
        p = find_opt(buf, cap.reply->len, DHCP6_OPT_SERVERID, &l);
        buf[p - buf + l - 1] ^= 0xff;
        dhcp6_client_receive(c, buf, cap.reply->len);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_REQUESTING);

        /* A REPLY with a stale xid (the SOLICIT's) too. */
        memcpy(buf, cap.reply->data, cap.reply->len);
        set_xid(buf, dhcp6_client_xid(c) ^ 0x800000);
        dhcp6_client_receive(c, buf, cap.reply->len);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_REQUESTING);
        ck_assert_uint_eq(f.n_events, 0);

        feed(c, cap.reply);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_BOUND);
        dhcp6_client_free(c);
}
END_TEST

/* ---- crafted server messages ----------------------------------------- */

struct msg {
        uint8_t b[1024];
        size_t len;
};

static void m_opt(struct msg *m, uint16_t code, const void *d, size_t l)
{
        m->b[m->len++] = code >> 8;
        m->b[m->len++] = code & 0xff;
        m->b[m->len++] = (uint8_t) (l >> 8);
        m->b[m->len++] = l & 0xff;
        memcpy(m->b + m->len, d, l);
        m->len += l;
}

static void put32(uint8_t *p, uint32_t v)
{
        p[0] = v >> 24, p[1] = (v >> 16) & 0xff, p[2] = (v >> 8) & 0xff, p[3] = v & 0xff;
}

/* The lifetimes craft() gives its address. */
static uint32_t craft_preferred = 300, craft_valid = 600;

/* A message for client c from server sid (one byte varies its DUID). */
static void craft(struct msg *m, int type, const struct dhcp6_client *c, const struct dhcp6_config *cfg,
                  uint8_t sid, int pref, const char *addr, int ia_status, uint32_t t1, uint32_t t2)
{
        uint8_t server[14] = { 0, 1, 0, 1, 1, 2, 3, 4, 0xde, 0xad, 0xbe, 0xef, 0, sid };
        uint8_t ia[256];
        size_t il = 12;

        m->len = 0;
        m->b[m->len++] = (uint8_t) type;
        m->b[m->len++] = (dhcp6_client_xid(c) >> 16) & 0xff;
        m->b[m->len++] = (dhcp6_client_xid(c) >> 8) & 0xff;
        m->b[m->len++] = dhcp6_client_xid(c) & 0xff;
        m_opt(m, DHCP6_OPT_CLIENTID, cfg->duid, cfg->duid_len);
        m_opt(m, DHCP6_OPT_SERVERID, server, sizeof(server));
        if (pref >= 0) {
                uint8_t p = (uint8_t) pref;
                m_opt(m, DHCP6_OPT_PREFERENCE, &p, 1);
        }
        put32(ia, cfg->iaid);
        put32(ia + 4, t1);
        put32(ia + 8, t2);
        if (addr) {
                ia[il++] = 0, ia[il++] = DHCP6_OPT_IAADDR, ia[il++] = 0, ia[il++] = 24;
                inet_pton(AF_INET6, addr, ia + il);
                put32(ia + il + 16, craft_preferred);
                put32(ia + il + 20, craft_valid);
                il += 24;
        }
        if (ia_status >= 0) {
                ia[il++] = 0, ia[il++] = DHCP6_OPT_STATUS_CODE, ia[il++] = 0, ia[il++] = 2;
                ia[il++] = 0, ia[il++] = (uint8_t) ia_status;
        }
        m_opt(m, DHCP6_OPT_IA_NA, ia, il);
}

static void test_config(struct dhcp6_config *cfg, bool rapid)
{
        static const uint8_t duid[] = { 0, 1, 0, 1, 0x11, 0x22, 0x33, 0x44, 2, 0, 0, 0, 0, 1 };

        memset(cfg, 0, sizeof(*cfg));
        memcpy(cfg->duid, duid, sizeof(duid));
        cfg->duid_len = sizeof(duid);
        cfg->iaid = 0x01020304;
        cfg->rapid_commit = rapid;
        cfg->release = true;
}

START_TEST(test_advertise_preference)
{
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c;
        struct dhcp6_message m;
        struct msg msg;
        uint8_t want = 2;

        test_config(&cfg, false);
        c = new_client(&cfg, &f);
        ck_assert_int_eq(dhcp6_client_start(c), 0);

        /* Two ADVERTISEs within the first RT: wait for the RT, take the
         * higher preference. */
        craft(&msg, DHCP6_ADVERTISE, c, &cfg, 1, 0, "fd88::101", -1, 100, 160);
        dhcp6_client_receive(c, msg.b, msg.len);
        craft(&msg, DHCP6_ADVERTISE, c, &cfg, 2, 10, "fd88::202", -1, 100, 160);
        dhcp6_client_receive(c, msg.b, msg.len);
        craft(&msg, DHCP6_ADVERTISE, c, &cfg, 3, 5, "fd88::303", -1, 100, 160);
        dhcp6_client_receive(c, msg.b, msg.len);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_SOLICITING);
        ck_assert_uint_eq(f.n_sent, 1);
        run_until(c, &f, f.now + 2 * USEC_PER_SEC);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_REQUESTING);
        ck_assert_uint_eq(f.n_sent, 2);
        ck_assert_int_eq(dhcp6_parse(f.sent[1].buf, f.sent[1].len, cfg.iaid, &m), 0);
        ck_assert_int_eq(m.type, DHCP6_REQUEST);
        ck_assert_uint_eq(m.server_id[13], want);
        /* The REQUEST left when the first RT ended, not on the next ADVERTISE. */
        ck_assert_uint_gt(f.sent[1].at - f.sent[0].at, DHCP6_SOL_TIMEOUT);
        ck_assert_uint_le(f.sent[1].at - f.sent[0].at, DHCP6_SOL_TIMEOUT * 11 / 10);
        dhcp6_client_free(c);
}
END_TEST

START_TEST(test_no_addrs_avail)
{
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c;
        struct msg msg;

        test_config(&cfg, true);
        c = new_client(&cfg, &f);
        ck_assert_int_eq(dhcp6_client_start(c), 0);
        craft(&msg, DHCP6_ADVERTISE, c, &cfg, 1, 255, NULL, DHCP6_STATUS_NO_ADDRS_AVAIL, 0, 0);
        dhcp6_client_receive(c, msg.b, msg.len);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_SOLICITING);
        /* T1 > T2: the IA_NA is discarded (RFC 8415 21.4). */
        craft(&msg, DHCP6_ADVERTISE, c, &cfg, 1, 255, "fd88::1", -1, 200, 100);
        dhcp6_client_receive(c, msg.b, msg.len);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_SOLICITING);
        /* Keeps soliciting. */
        run_until(c, &f, f.now + 10 * USEC_PER_SEC);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_SOLICITING);
        ck_assert_uint_ge(f.n_sent, 3);

        /* NotOnLink in the REPLY to REQUEST: solicit again. */
        craft(&msg, DHCP6_ADVERTISE, c, &cfg, 1, 255, "fd88::1", -1, 0, 0);
        dhcp6_client_receive(c, msg.b, msg.len);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_REQUESTING);
        craft(&msg, DHCP6_REPLY, c, &cfg, 1, -1, NULL, -1, 0, 0);
        m_opt(&msg, DHCP6_OPT_STATUS_CODE, "\0\4", 2);
        dhcp6_client_receive(c, msg.b, msg.len);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_SOLICITING);

        /* T1 = T2 = 0: the client picks 0.5 and 0.8 of the preferred lifetime. */
        craft(&msg, DHCP6_REPLY, c, &cfg, 1, -1, "fd88::1", -1, 0, 0);
        m_opt(&msg, DHCP6_OPT_RAPID_COMMIT, NULL, 0);
        dhcp6_client_receive(c, msg.b, msg.len);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_BOUND);
        ck_assert_uint_eq(f.last.t1, 150);
        ck_assert_uint_eq(f.last.t2, 240);
        dhcp6_client_free(c);
}
END_TEST

/* ---- retransmission timing (RFC 8415 15) ------------------------------ */

START_TEST(test_solicit_retransmission)
{
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c;
        uint64_t prev_rt = 0;

        test_config(&cfg, true);
        c = new_client(&cfg, &f);
        f.seed = (uint32_t) _i * 7919u + 1;
        ck_assert_int_eq(dhcp6_client_start(c), 0);
        run_until(c, &f, f.now + 6 * 3600 * USEC_PER_SEC);
        ck_assert_uint_gt(f.n_sent, 10);
        for (size_t i = 1; i < f.n_sent; i++) {
                uint64_t rt = f.sent[i].at - f.sent[i - 1].at;
                struct dhcp6_message m;

                ck_assert_int_eq(dhcp6_parse(f.sent[i].buf, f.sent[i].len, cfg.iaid, &m), 0);
                ck_assert_int_eq(m.type, DHCP6_SOLICIT);
                /* Same transaction: same xid, growing elapsed time. */
                ck_assert_uint_eq(m.xid, dhcp6_client_xid(c));
                ck_assert_uint_ge(elapsed_of(&f.sent[i]), elapsed_of(&f.sent[i - 1]));
                if (i == 1) {
                        /* First RT strictly greater than IRT, at most 1.1 IRT. */
                        ck_assert_uint_gt(rt, DHCP6_SOL_TIMEOUT);
                        ck_assert_uint_le(rt, DHCP6_SOL_TIMEOUT * 11 / 10);
                } else if (rt >= DHCP6_SOL_MAX_RT * 9 / 10) {
                        ck_assert_uint_le(rt, DHCP6_SOL_MAX_RT * 11 / 10);
                } else {
                        ck_assert_uint_ge(rt, prev_rt * 19 / 10 - 1);
                        ck_assert_uint_le(rt, prev_rt * 21 / 10 + 1);
                }
                prev_rt = rt;
        }
        /* It reached MRT and stayed there. */
        ck_assert_uint_ge(prev_rt, DHCP6_SOL_MAX_RT * 9 / 10);
        ck_assert_uint_eq(elapsed_of(&f.sent[f.n_sent - 1]), 0xffff);
        dhcp6_client_free(c);
}
END_TEST

START_TEST(test_solicit_delay)
{
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c;
        uint64_t t0;

        test_config(&cfg, true);
        cfg.solicit_delay = true;
        c = new_client(&cfg, &f);
        f.seed = (uint32_t) _i + 3;
        t0 = f.now;
        ck_assert_int_eq(dhcp6_client_start(c), 0);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_INIT);
        ck_assert_uint_eq(f.n_sent, 0);
        ck_assert_uint_le(dhcp6_client_next_timeout(c) - t0, DHCP6_SOL_MAX_DELAY);
        run_until(c, &f, t0 + DHCP6_SOL_MAX_DELAY);
        ck_assert_uint_eq(f.n_sent, 1);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_SOLICITING);
        ck_assert_uint_eq(elapsed_of(&f.sent[0]), 0);
        dhcp6_client_free(c);
}
END_TEST

START_TEST(test_request_lost)
{
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c;
        struct msg msg;
        uint64_t prev_rt = 0;
        size_t first;

        test_config(&cfg, false);
        c = new_client(&cfg, &f);
        ck_assert_int_eq(dhcp6_client_start(c), 0);
        craft(&msg, DHCP6_ADVERTISE, c, &cfg, 1, 255, "fd88::1", -1, 100, 160);
        dhcp6_client_receive(c, msg.b, msg.len);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_REQUESTING);
        first = f.n_sent - 1;
        /* Every REPLY lost: REQ_MAX_RC requests, then soliciting again. */
        while (dhcp6_client_state(c) == DHCP6_STATE_REQUESTING) {
                f.now = dhcp6_client_next_timeout(c);
                dhcp6_client_timeout(c);
        }
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_SOLICITING);
        ck_assert_uint_eq(f.n_sent - first, DHCP6_REQ_MAX_RC + 1);     /* + the new SOLICIT */
        for (size_t i = first + 1; i < first + DHCP6_REQ_MAX_RC; i++) {
                uint64_t rt = f.sent[i].at - f.sent[i - 1].at;

                ck_assert_uint_eq(f.sent[i].buf[0], DHCP6_REQUEST);
                if (i == first + 1) {
                        ck_assert_uint_ge(rt, DHCP6_REQ_TIMEOUT * 9 / 10);
                        ck_assert_uint_le(rt, DHCP6_REQ_TIMEOUT * 11 / 10);
                } else if (rt >= DHCP6_REQ_MAX_RT * 9 / 10) {
                        ck_assert_uint_le(rt, DHCP6_REQ_MAX_RT * 11 / 10);
                } else {
                        ck_assert_uint_ge(rt, prev_rt * 19 / 10 - 1);
                        ck_assert_uint_le(rt, prev_rt * 21 / 10 + 1);
                }
                prev_rt = rt;
        }
        ck_assert_uint_eq(f.sent[f.n_sent - 1].buf[0], DHCP6_SOLICIT);
        dhcp6_client_free(c);
}
END_TEST

/* ---- lease lifetime ---------------------------------------------------- */

START_TEST(test_renew_rebind_expire)
{
        struct capture cap;
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c = bound_client(&f, &cap, &cfg);
        struct dhcp6_message m, adv;
        uint64_t t0 = f.now;
        size_t n;

        ck_assert_int_eq(dhcp6_parse(cap.advertise->data, cap.advertise->len, cfg.iaid, &adv), 0);
        /* Nothing before T1. */
        run_until(c, &f, t0 + 1799 * USEC_PER_SEC);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_BOUND);
        n = f.n_sent;

        /* T1: RENEW to our server with our address. */
        run_until(c, &f, t0 + 1800 * USEC_PER_SEC);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_RENEWING);
        ck_assert_uint_eq(f.n_sent, n + 1);
        ck_assert_int_eq(dhcp6_parse(f.sent[n].buf, f.sent[n].len, cfg.iaid, &m), 0);
        ck_assert_int_eq(m.type, DHCP6_RENEW);
        ck_assert_uint_eq(m.server_id_len, adv.server_id_len);
        ck_assert_mem_eq(m.server_id, adv.server_id, adv.server_id_len);
        ck_assert_mem_eq(&m.addrs[0].addr, &adv.addrs[0].addr, 16);
        /* First RENEW retransmission after REN_TIMEOUT +-10%. */
        run_until(c, &f, t0 + 1812 * USEC_PER_SEC);
        ck_assert_uint_eq(f.n_sent, n + 2);
        ck_assert_uint_ge(f.sent[n + 1].at - f.sent[n].at, DHCP6_REN_TIMEOUT * 9 / 10);
        ck_assert_uint_le(f.sent[n + 1].at - f.sent[n].at, DHCP6_REN_TIMEOUT * 11 / 10);

        /* T2: REBIND, without a server id. */
        run_until(c, &f, t0 + 3150 * USEC_PER_SEC);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_REBINDING);
        n = f.n_sent - 1;
        ck_assert_int_eq(dhcp6_parse(f.sent[n].buf, f.sent[n].len, cfg.iaid, &m), 0);
        ck_assert_int_eq(m.type, DHCP6_REBIND);
        ck_assert_uint_eq(m.server_id_len, 0);
        ck_assert_uint_eq(m.n_addrs, 1);
        ck_assert_uint_le(f.sent[n].at, t0 + 3150 * USEC_PER_SEC);
        /* No RENEW went out after T2. */
        for (size_t i = 0; i < f.n_sent; i++)
                if (f.sent[i].buf[0] == DHCP6_RENEW)
                        ck_assert_uint_lt(f.sent[i].at, t0 + 3150 * USEC_PER_SEC);

        /* Valid lifetime over: EXPIRED, then soliciting again. */
        run_until(c, &f, t0 + 3599 * USEC_PER_SEC);
        ck_assert_uint_eq(f.n_events, 1);
        run_until(c, &f, t0 + 3600 * USEC_PER_SEC);
        ck_assert_uint_eq(f.n_events, 2);
        ck_assert_int_eq(f.events[1], DHCP6_EVENT_EXPIRED);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_SOLICITING);
        ck_assert_uint_eq(f.sent[f.n_sent - 1].buf[0], DHCP6_SOLICIT);
        ck_assert_ptr_null(dhcp6_client_lease(c));
        /* Nothing to release any more. */
        ck_assert_int_eq(dhcp6_client_stop(c, cfg.release), 0);
        dhcp6_client_free(c);
}
END_TEST

START_TEST(test_renew_reply)
{
        struct capture cap;
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c = bound_client(&f, &cap, &cfg);
        uint64_t t0 = f.now;
        struct msg msg;

        run_until(c, &f, t0 + 1800 * USEC_PER_SEC);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_RENEWING);
        /* The server's REPLY extends the lease: same address, new timers. */
        f.now += 5000;
        feed(c, cap.reply);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_BOUND);
        ck_assert_uint_eq(f.n_events, 2);
        ck_assert_int_eq(f.events[1], DHCP6_EVENT_UPDATED);
        ck_assert_uint_eq(dhcp6_client_next_timeout(c), f.now + 1800 * USEC_PER_SEC);

        /* Next renewal: the server lost our binding: REQUEST. */
        run_until(c, &f, f.now + 1800 * USEC_PER_SEC);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_RENEWING);
        {
                struct dhcp6_message rep;
                ck_assert_int_eq(dhcp6_parse(cap.reply->data, cap.reply->len, cfg.iaid, &rep), 0);
                /* A REPLY from another server during RENEW is ignored. */
                craft(&msg, DHCP6_REPLY, c, &cfg, 9, -1, "fd88::999", -1, 100, 160);
                dhcp6_client_receive(c, msg.b, msg.len);
                ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_RENEWING);
                /* NoBinding from our server. */
                memcpy(msg.b, cap.reply->data, 4);
                msg.len = 4;
                set_xid(msg.b, dhcp6_client_xid(c));
                m_opt(&msg, DHCP6_OPT_CLIENTID, cfg.duid, cfg.duid_len);
                m_opt(&msg, DHCP6_OPT_SERVERID, rep.server_id, rep.server_id_len);
                {
                        uint8_t ia[18] = { 0 };
                        put32(ia, cfg.iaid);
                        ia[13] = DHCP6_OPT_STATUS_CODE, ia[15] = 2, ia[17] = DHCP6_STATUS_NO_BINDING;
                        m_opt(&msg, DHCP6_OPT_IA_NA, ia, sizeof(ia));
                }
                dhcp6_client_receive(c, msg.b, msg.len);
                ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_REQUESTING);
                ck_assert_uint_eq(f.sent[f.n_sent - 1].buf[0], DHCP6_REQUEST);
        }
        feed(c, cap.reply);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_BOUND);
        ck_assert_int_eq(f.events[f.n_events - 1], DHCP6_EVENT_UPDATED);
        dhcp6_client_free(c);
}
END_TEST

/* A REPLY to the current exchange from server 1, with a top-level status
 * (-1: none) and no IA. */
static void reply_status(struct msg *m, const struct dhcp6_client *c, const struct dhcp6_config *cfg, int status)
{
        uint8_t server[14] = { 0, 1, 0, 1, 1, 2, 3, 4, 0xde, 0xad, 0xbe, 0xef, 0, 1 };

        m->len = 0;
        m->b[m->len++] = DHCP6_REPLY;
        m->b[m->len++] = (dhcp6_client_xid(c) >> 16) & 0xff;
        m->b[m->len++] = (dhcp6_client_xid(c) >> 8) & 0xff;
        m->b[m->len++] = dhcp6_client_xid(c) & 0xff;
        m_opt(m, DHCP6_OPT_CLIENTID, cfg->duid, cfg->duid_len);
        m_opt(m, DHCP6_OPT_SERVERID, server, sizeof(server));
        if (status >= 0)
                m_opt(m, DHCP6_OPT_STATUS_CODE, (uint8_t[]) { 0, (uint8_t) status }, 2);
}

/* The link came back (RFC 8415 18.2.3): CONFIRM the address; NotOnLink
 * solicits again, Success or silence keeps the lease. */
START_TEST(test_confirm_after_link_up)
{
        struct capture cap;
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c;
        struct dhcp6_lease lease;
        struct msg msg;
        const uint8_t *ia, *o;
        size_t l, n0;

        /* Nothing to confirm without a lease. */
        test_config(&cfg, false);
        c = new_client(&cfg, &f);
        ck_assert_int_eq(dhcp6_client_confirm(c), 0);
        ck_assert_int_eq(dhcp6_client_start(c), 0);
        ck_assert_int_eq(dhcp6_client_confirm(c), 0);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_SOLICITING);
        dhcp6_client_free(c);

        /* Success: the lease stays as it was, timers and all. */
        c = bound_client(&f, &cap, &cfg);
        lease = *dhcp6_client_lease(c);
        n0 = f.n_sent;
        uint64_t t1 = dhcp6_client_next_timeout(c);
        ck_assert_int_eq(dhcp6_client_confirm(c), 1);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_CONFIRMING);
        ck_assert_uint_eq(f.n_sent, n0);                /* not before a random 0-1 s */
        ck_assert_uint_le(dhcp6_client_next_timeout(c), f.now + DHCP6_CNF_MAX_DELAY);
        run_until(c, &f, f.now + DHCP6_CNF_MAX_DELAY);
        ck_assert_uint_eq(f.n_sent, n0 + 1);
        {
                const struct sent *s = &f.sent[n0];
                ck_assert_uint_eq(s->buf[0], DHCP6_CONFIRM);
                ck_assert_ptr_null(find_opt(s->buf, s->len, DHCP6_OPT_SERVERID, &l));
                ck_assert_ptr_null(find_opt(s->buf, s->len, DHCP6_OPT_ORO, &l));
                ck_assert_ptr_nonnull(find_opt(s->buf, s->len, DHCP6_OPT_CLIENTID, &l));
                ia = find_opt(s->buf, s->len, DHCP6_OPT_IA_NA, &l);
                ck_assert_ptr_nonnull(ia);
                ck_assert_uint_eq(l, 12 + 4 + 24);
                ck_assert_uint_eq(be32(ia), cfg.iaid);
                ck_assert_uint_eq(be32(ia + 4), 0);     /* T1, T2 */
                ck_assert_uint_eq(be32(ia + 8), 0);
                o = ia + 12;
                ck_assert_uint_eq(o[1], DHCP6_OPT_IAADDR);
                ck_assert_mem_eq(o + 4, &lease.addr, 16);
                ck_assert_uint_eq(be32(o + 20), 0);     /* lifetimes */
                ck_assert_uint_eq(be32(o + 24), 0);
        }
        reply_status(&msg, c, &cfg, -1);
        dhcp6_client_receive(c, msg.b, msg.len);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_BOUND);
        ck_assert_uint_eq(f.n_events, 1);               /* BOUND only: nothing changed */
        ck_assert_mem_eq(&dhcp6_client_lease(c)->addr, &lease.addr, 16);
        ck_assert_uint_eq(dhcp6_client_next_timeout(c), t1);
        dhcp6_client_free(c);

        /* NotOnLink: another network; the lease goes, SOLICIT at once. */
        c = bound_client(&f, &cap, &cfg);
        ck_assert_int_eq(dhcp6_client_confirm(c), 1);
        run_until(c, &f, f.now + DHCP6_CNF_MAX_DELAY);
        reply_status(&msg, c, &cfg, DHCP6_STATUS_NOT_ON_LINK);
        dhcp6_client_receive(c, msg.b, msg.len);
        ck_assert_uint_eq(f.n_events, 2);
        ck_assert_int_eq(f.events[1], DHCP6_EVENT_EXPIRED);
        ck_assert_ptr_null(dhcp6_client_lease(c));
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_SOLICITING);
        ck_assert_uint_eq(f.sent[f.n_sent - 1].buf[0], DHCP6_SOLICIT);
        dhcp6_client_free(c);

        /* Silence: CONFIRMs at about 1, 2, 4 s intervals, then after
         * CNF_MAX_RD the lease is kept; no event. */
        c = bound_client(&f, &cap, &cfg);
        f.fixed_random = 0;                             /* no delay, RAND = -0.1 */
        n0 = f.n_sent;
        ck_assert_int_eq(dhcp6_client_confirm(c), 1);
        run_until(c, &f, f.now + DHCP6_CNF_MAX_RD + 1);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_BOUND);
        ck_assert_uint_ge(f.n_sent - n0, 3);
        ck_assert_uint_le(f.n_sent - n0, 5);
        for (size_t i = n0; i < f.n_sent; i++)
                ck_assert_uint_eq(f.sent[i].buf[0], DHCP6_CONFIRM);
        ck_assert_uint_eq(f.n_events, 1);
        ck_assert_ptr_nonnull(dhcp6_client_lease(c));
        dhcp6_client_free(c);
}
END_TEST

START_TEST(test_release_lost)
{
        struct capture cap;
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c = bound_client(&f, &cap, &cfg);
        size_t first = f.n_sent;
        uint64_t prev_rt = 0;

        ck_assert_int_eq(dhcp6_client_stop(c, cfg.release), 1);
        while (dhcp6_client_state(c) == DHCP6_STATE_RELEASING) {
                f.now = dhcp6_client_next_timeout(c);
                dhcp6_client_timeout(c);
        }
        /* REL_MAX_RC transmissions, REL_TIMEOUT doubling with jitter. */
        ck_assert_uint_eq(f.n_sent - first, DHCP6_REL_MAX_RC);
        for (size_t i = first; i < f.n_sent; i++) {
                ck_assert_uint_eq(f.sent[i].buf[0], DHCP6_RELEASE);
                if (i == first)
                        continue;
                uint64_t rt = f.sent[i].at - f.sent[i - 1].at;
                if (i == first + 1) {
                        ck_assert_uint_ge(rt, DHCP6_REL_TIMEOUT * 9 / 10);
                        ck_assert_uint_le(rt, DHCP6_REL_TIMEOUT * 11 / 10);
                } else {
                        ck_assert_uint_ge(rt, prev_rt * 19 / 10 - 1);
                        ck_assert_uint_le(rt, prev_rt * 21 / 10 + 1);
                }
                prev_rt = rt;
        }
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_STOPPED);
        dhcp6_client_free(c);

        /* release: no: nothing sent. */
        c = bound_client(&f, &cap, &cfg);
        dhcp6_client_free(c);
        cfg.release = false;
        c = new_client(&cfg, &f);
        ck_assert_int_eq(dhcp6_client_start(c), 0);
        feed(c, cap.advertise);
        feed(c, cap.reply);
        first = f.n_sent;
        ck_assert_int_eq(dhcp6_client_stop(c, cfg.release), 1);
        ck_assert_uint_eq(f.n_sent, first);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_STOPPED);
        dhcp6_client_free(c);
}
END_TEST

START_TEST(test_rebind_other_server)
{
        struct capture cap;
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c = bound_client(&f, &cap, &cfg);
        uint64_t t0 = f.now;
        struct msg msg;
        char a[INET6_ADDRSTRLEN];

        run_until(c, &f, t0 + 3200 * USEC_PER_SEC);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_REBINDING);
        /* Any server answers a REBIND, here with a new address. */
        craft(&msg, DHCP6_REPLY, c, &cfg, 7, -1, "fd88::777", -1, 100, 160);
        dhcp6_client_receive(c, msg.b, msg.len);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_BOUND);
        ck_assert_int_eq(f.events[f.n_events - 1], DHCP6_EVENT_BOUND);
        ck_assert_str_eq(inet_ntop(AF_INET6, &f.last.addr, a, sizeof(a)), "fd88::777");
        ck_assert_uint_eq(f.last.server_id[13], 7);
        dhcp6_client_free(c);
}
END_TEST

/* ---- hostile servers and floods (issue 13) ---------------------------- */

enum storm { STORM_TINY_LEASE, STORM_NO_ADDRS, STORM_NOT_ON_LINK };

/* A server that answers every message of the client at once, for SECONDS
 * of the fake clock; returns how many messages the client sent. */
static size_t storm(enum storm kind, unsigned seconds, struct dhcp6_client **ret, struct fake *f,
                    struct dhcp6_config *cfg)
{
        struct dhcp6_client *c;
        struct msg msg;
        size_t total, answered = 0;
        uint64_t end;

        test_config(cfg, true);
        c = new_client(cfg, f);
        f->wrap = true;
        end = f->now + (uint64_t) seconds * USEC_PER_SEC;
        info_lines = 0;
        ck_assert_int_eq(dhcp6_client_start(c), 0);
        /* Bounded, so that a storm ends the test rather than hangs it. */
        while (f->total_sent < 100000) {
                uint64_t next;

                if (answered != f->n_sent) {
                        uint8_t type;

                        answered %= 256;
                        type = f->sent[answered++].buf[0];
                        if (type == DHCP6_RELEASE)
                                continue;
                        switch (kind) {
                        case STORM_TINY_LEASE:
                                /* Lifetimes 0/1, T1 = T2 = 0. */
                                craft_preferred = 0, craft_valid = 1;
                                craft(&msg, DHCP6_REPLY, c, cfg, 1, -1, "fd88::7", -1, 0, 0);
                                craft_preferred = 300, craft_valid = 600;
                                break;
                        case STORM_NO_ADDRS:
                                craft(&msg, DHCP6_REPLY, c, cfg, 1, -1, NULL, DHCP6_STATUS_NO_ADDRS_AVAIL, 0, 0);
                                break;
                        case STORM_NOT_ON_LINK:
                                reply_status(&msg, c, cfg, DHCP6_STATUS_NOT_ON_LINK);
                                break;
                        }
                        m_opt(&msg, DHCP6_OPT_RAPID_COMMIT, NULL, 0);
                        /* A server's answer takes a little time. */
                        f->now += 1000;
                        dhcp6_client_receive(c, msg.b, msg.len);
                        continue;
                }
                next = dhcp6_client_next_timeout(c);
                if (next > end)
                        break;
                if (next > f->now)
                        f->now = next;
                dhcp6_client_timeout(c);
        }
        total = f->total_sent;
        *ret = c;
        return total;
}

/* Lifetimes 0/1 with T1 = T2 = 0 (RFC 8415 21.4: T1/T2 left to the
 * client) made a renewal per wake-up; the floors (valid >= 6 s, T1 >= 3 s,
 * T2 > T1) leave a RENEW every 3 s or so. */
START_TEST(test_renewal_storm_floors)
{
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c;
        size_t n = storm(STORM_TINY_LEASE, 120, &c, &f, &cfg);

        ck_assert_msg(n <= 60, "%zu messages in 120 s to a server giving 0/1 s lifetimes, T1 = T2 = 0", n);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_BOUND);
        ck_assert_uint_ge(f.last.valid, 6);
        ck_assert_uint_ge(f.last.t1, 3);
        ck_assert_uint_gt(f.last.t2, f.last.t1);
        dhcp6_client_free(c);
}
END_TEST

/* A server that answers every SOLICIT at once with no address, or with
 * NotOnLink: soliciting again at once made a loop as fast as the LAN;
 * restarts back off (RFC 8415 18.2.10: limit the rate of retries). */
START_TEST(test_restart_backoff)
{
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c;
        size_t n = storm(_i ? STORM_NOT_ON_LINK : STORM_NO_ADDRS, 120, &c, &f, &cfg);

        ck_assert_msg(n <= 30, "%zu SOLICITs in 120 s to a server refusing every one (%s)", n,
                      _i ? "NotOnLink" : "NoAddrsAvail");
        ck_assert_uint_ge(n, 3);
        ck_assert_msg(info_lines < 40, "%zu lines at info or above", info_lines);
        dhcp6_client_free(c);
}
END_TEST

/* Anyone on the LAN can send to port 546.  Messages for another
 * transaction are dropped on their fixed header, before their options are
 * parsed, and what is logged about them is rate-limited. */
START_TEST(test_flood_bounded_log)
{
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c;
        struct msg msg;

        test_config(&cfg, false);
        c = new_client(&cfg, &f);
        ck_assert_int_eq(dhcp6_client_start(c), 0);
        log_lines = 0;
        for (int i = 0; i < 3000; i++) {
                craft(&msg, i % 3 == 2 ? DHCP6_REPLY : DHCP6_ADVERTISE, c, &cfg, 1, 0, NULL,
                      DHCP6_STATUS_NO_ADDRS_AVAIL, 0, 0);
                if (i % 3 == 0)
                        /* Another transaction. */
                        set_xid(msg.b, dhcp6_client_xid(c) ^ 0x5a5a5a);
                else if (i % 3 == 1)
                        /* Ours, but truncated: malformed. */
                        msg.len -= 3;
                dhcp6_client_receive(c, msg.b, msg.len);
                f.now += 1000;
        }
        ck_assert_msg(log_lines <= 40, "%zu log lines for 3,000 foreign or useless messages", log_lines);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_SOLICITING);
        /* The client still binds when the real answer comes. */
        craft(&msg, DHCP6_ADVERTISE, c, &cfg, 1, 255, "fd88::9", -1, 100, 160);
        dhcp6_client_receive(c, msg.b, msg.len);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_REQUESTING);
        dhcp6_client_free(c);
}
END_TEST

/* A restart (issue 16): the saved REPLY of a valid lease binds it again at
 * once with what is left of it, and with no answer to the CONFIRM the
 * client goes on using it; an expired one, or one for another DUID, is an
 * ordinary start. */
START_TEST(test_start_saved)
{
        struct capture cap;
        struct dhcp6_config cfg;
        struct fake f;
        struct dhcp6_client *c = bound_client(&f, &cap, &cfg);
        uint8_t saved[DHCP6_SAVED_MAX];
        const uint8_t *r;
        size_t len, saved_len;
        uint32_t valid = f.last.valid, pref = f.last.preferred;

        r = dhcp6_client_lease_reply(c, &len);
        ck_assert_ptr_nonnull(r);
        ck_assert_uint_gt(len, 4);
        memcpy(saved, r, len);
        saved_len = len;
        dhcp6_client_free(c);

        /* 100 s later, with no server. */
        c = new_client(&cfg, &f);
        ck_assert_int_eq(dhcp6_client_start_saved(c, saved, len, 100 * USEC_PER_SEC), 1);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_BOUND);
        ck_assert_uint_eq(f.n_sent, 0);
        ck_assert_uint_eq(f.n_events, 1);
        ck_assert_int_eq(f.events[0], DHCP6_EVENT_BOUND);
        ck_assert_uint_eq(f.last.valid, valid - 100);
        ck_assert_uint_eq(f.last.preferred, pref - 100);
        ck_assert_int_eq(dhcp6_client_confirm(c), 1);
        run_until(c, &f, f.now + 12 * USEC_PER_SEC);
        ck_assert_int_eq(dhcp6_client_state(c), DHCP6_STATE_BOUND);
        ck_assert_uint_ge(f.n_sent, 1);
        ck_assert_int_eq(f.sent[0].buf[0], DHCP6_CONFIRM);
        ck_assert_ptr_nonnull(dhcp6_client_lease(c));
        /* Stop without release: nothing sent. */
        len = f.n_sent;
        ck_assert_int_eq(dhcp6_client_stop(c, false), 1);
        ck_assert_uint_eq(f.n_sent, len);
        dhcp6_client_free(c);

        /* Expired: an ordinary start. */
        c = new_client(&cfg, &f);
        ck_assert_int_eq(dhcp6_client_start_saved(c, saved, saved_len, ((uint64_t) valid + 1) * USEC_PER_SEC), 0);
        ck_assert_uint_eq(f.n_events, 0);
        ck_assert_ptr_null(dhcp6_client_lease(c));
        dhcp6_client_free(c);

        /* Another client's lease: an ordinary start. */
        cfg.duid[cfg.duid_len - 1] ^= 1;
        c = new_client(&cfg, &f);
        ck_assert_int_eq(dhcp6_client_start_saved(c, saved, saved_len, 0), 0);
        ck_assert_uint_eq(f.n_events, 0);
        dhcp6_client_free(c);
}
END_TEST

/* ---- DAD wait: netlink scan -------------------------------------------- */

struct nlbuf {
        uint8_t b[4096] __attribute__((aligned(4)));
        size_t len;
};

static void nl_addr(struct nlbuf *nb, int type, int ifindex, const char *addr, uint8_t ifa_flags, int ext_flags)
{
        struct nlmsghdr *h = (struct nlmsghdr *) (nb->b + nb->len);
        struct ifaddrmsg *ifa = NLMSG_DATA(h);
        struct rtattr *rta;
        size_t len = NLMSG_LENGTH(sizeof(*ifa));

        memset(h, 0, NLMSG_SPACE(sizeof(*ifa)) + 2 * RTA_SPACE(16));
        h->nlmsg_type = (uint16_t) type;
        ifa->ifa_family = AF_INET6;
        ifa->ifa_prefixlen = 64;
        ifa->ifa_flags = ifa_flags;
        ifa->ifa_index = (uint32_t) ifindex;
        rta = (struct rtattr *) ((uint8_t *) h + NLMSG_ALIGN(len));
        rta->rta_type = IFA_ADDRESS;
        rta->rta_len = RTA_LENGTH(16);
        inet_pton(AF_INET6, addr, RTA_DATA(rta));
        len = NLMSG_ALIGN(len) + RTA_SPACE(16);
        if (ext_flags >= 0) {
                uint32_t v = (uint32_t) ext_flags;
                rta = (struct rtattr *) ((uint8_t *) h + len);
                rta->rta_type = IFA_FLAGS;
                rta->rta_len = RTA_LENGTH(4);
                memcpy(RTA_DATA(rta), &v, 4);
                len += RTA_SPACE(4);
        }
        h->nlmsg_len = (uint32_t) len;
        nb->len += NLMSG_ALIGN(len);
}

static void nl_done(struct nlbuf *nb)
{
        struct nlmsghdr *h = (struct nlmsghdr *) (nb->b + nb->len);

        memset(h, 0, NLMSG_SPACE(4));
        h->nlmsg_type = NLMSG_DONE;
        h->nlmsg_len = NLMSG_LENGTH(4);
        nb->len += NLMSG_SPACE(4);
}

START_TEST(test_dad_wait)
{
        struct nlbuf nb = {};
        struct dhcp6_ll_scan s = {};
        char a[INET6_ADDRSTRLEN];

        /* The dump: a global address, a link-local of another link, ours in DAD. */
        nl_addr(&nb, RTM_NEWADDR, 5, "fd88::5", 0, -1);
        nl_addr(&nb, RTM_NEWADDR, 9, "fe80::9", 0, -1);
        nl_addr(&nb, RTM_NEWADDR, 5, "fe80::1", IFA_F_TENTATIVE, -1);
        nl_done(&nb);
        ck_assert_int_eq(dhcp6_ll_scan(nb.b, nb.len, 5, &s), 0);
        ck_assert(!s.found);
        ck_assert(s.tentative);
        ck_assert(s.done);

        /* DAD over: the event without IFA_F_TENTATIVE. */
        memset(&nb, 0, sizeof(nb));
        memset(&s, 0, sizeof(s));
        nl_addr(&nb, RTM_NEWADDR, 5, "fe80::1", IFA_F_PERMANENT, -1);
        ck_assert_int_eq(dhcp6_ll_scan(nb.b, nb.len, 5, &s), 0);
        ck_assert(s.found);
        ck_assert_str_eq(inet_ntop(AF_INET6, &s.addr, a, sizeof(a)), "fe80::1");

        /* IFA_FLAGS overrides the 8-bit flags: still tentative. */
        memset(&nb, 0, sizeof(nb));
        memset(&s, 0, sizeof(s));
        nl_addr(&nb, RTM_NEWADDR, 5, "fe80::1", 0, IFA_F_TENTATIVE | IFA_F_NOPREFIXROUTE);
        ck_assert_int_eq(dhcp6_ll_scan(nb.b, nb.len, 5, &s), 0);
        ck_assert(!s.found);
        ck_assert(s.tentative);

        /* DAD failed. */
        memset(&nb, 0, sizeof(nb));
        memset(&s, 0, sizeof(s));
        nl_addr(&nb, RTM_NEWADDR, 5, "fe80::1", IFA_F_DADFAILED | IFA_F_TENTATIVE, -1);
        ck_assert_int_eq(dhcp6_ll_scan(nb.b, nb.len, 5, &s), 0);
        ck_assert(s.dadfailed);
        ck_assert(!s.found);

        /* The check verb looks for one address on the link. */
        memset(&nb, 0, sizeof(nb));
        memset(&s, 0, sizeof(s));
        s.want = true;
        inet_pton(AF_INET6, "fd88::1bb", &s.wanted);
        nl_addr(&nb, RTM_NEWADDR, 9, "fd88::1bb", 0, -1);
        nl_addr(&nb, RTM_NEWADDR, 5, "fd88::1bc", 0, -1);
        ck_assert_int_eq(dhcp6_ll_scan(nb.b, nb.len, 5, &s), 0);
        ck_assert(!s.wanted_found);
        nl_addr(&nb, RTM_NEWADDR, 5, "fd88::1bb", 0, -1);
        ck_assert_int_eq(dhcp6_ll_scan(nb.b, nb.len, 5, &s), 0);
        ck_assert(s.wanted_found);

        /* A deleted address is not an appearance. */
        memset(&nb, 0, sizeof(nb));
        memset(&s, 0, sizeof(s));
        nl_addr(&nb, RTM_DELADDR, 5, "fe80::1", 0, -1);
        ck_assert_int_eq(dhcp6_ll_scan(nb.b, nb.len, 5, &s), 0);
        ck_assert(!s.found);

        /* A truncated buffer is refused, not over-read. */
        memset(&nb, 0, sizeof(nb));
        memset(&s, 0, sizeof(s));
        nl_addr(&nb, RTM_NEWADDR, 5, "fe80::1", 0, -1);
        ck_assert_int_eq(dhcp6_ll_scan(nb.b, 10, 5, &s), -EBADMSG);
        ck_assert(!s.found);
        ((struct nlmsghdr *) nb.b)->nlmsg_len = 8;
        ck_assert_int_eq(dhcp6_ll_scan(nb.b, nb.len, 5, &s), -EBADMSG);
}
END_TEST

static Suite *dhcp6_suite(void)
{
        Suite *s = suite_create("dhcp6");
        TCase *tc;

        tc = tcase_create("codec");
        tcase_add_loop_test(tc, test_parse_captures, 0, (int) (sizeof(all_captures) / sizeof(all_captures[0])));
        tcase_add_test(tc, test_parse_malformed);
        tcase_add_test(tc, test_domains_hostile);
        tcase_add_test(tc, test_escape);
        tcase_add_test(tc, test_build_bounds);
        suite_add_tcase(s, tc);

        tc = tcase_create("client");
        tcase_add_loop_test(tc, test_replay_sarr, 0, 4);
        tcase_add_loop_test(tc, test_replay_rapid_commit, 0, 2);
        tcase_add_test(tc, test_ignore_wrong_xid_duid_server);
        tcase_add_test(tc, test_advertise_preference);
        tcase_add_test(tc, test_no_addrs_avail);
        tcase_add_loop_test(tc, test_solicit_retransmission, 0, 20);
        tcase_add_loop_test(tc, test_solicit_delay, 0, 20);
        tcase_add_test(tc, test_request_lost);
        tcase_add_test(tc, test_renew_rebind_expire);
        tcase_add_test(tc, test_renew_reply);
        tcase_add_test(tc, test_rebind_other_server);
        tcase_add_test(tc, test_release_lost);
        tcase_add_test(tc, test_confirm_after_link_up);
        tcase_add_test(tc, test_renewal_storm_floors);
        tcase_add_loop_test(tc, test_restart_backoff, 0, 2);
        tcase_add_test(tc, test_flood_bounded_log);
        tcase_add_test(tc, test_start_saved);
        suite_add_tcase(s, tc);

        tc = tcase_create("netlink");
        tcase_add_test(tc, test_dad_wait);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(dhcp6_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
