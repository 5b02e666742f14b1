/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pure logic of the slaac stage: RFC 8106 RDNSS and DNSSL options as
 * the kernel hands them over (RTM_NEWNDUSEROPT), their lifetimes on a fake
 * clock, the scan of address and route messages, the RA header.  No root,
 * no network.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "slaac-nd.h"

/* ---- building options and messages ------------------------------------------ */

struct buf {
        uint8_t b[4096];
        size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
        ck_assert_uint_le(b->n + n, sizeof(b->b));
        memcpy(b->b + b->n, p, n);
        b->n += n;
}

static void put_be32(uint8_t *p, uint32_t v)
{
        p[0] = v >> 24, p[1] = (v >> 16) & 0xff, p[2] = (v >> 8) & 0xff, p[3] = v & 0xff;
}

/* An RDNSS option with n addresses. */
static void rdnss(struct buf *b, uint32_t lifetime, const char *const *addrs, size_t n)
{
        uint8_t h[8] = { SLAAC_ND_OPT_RDNSS, (uint8_t) (1 + 2 * n) };

        put_be32(h + 4, lifetime);
        put(b, h, 8);
        for (size_t i = 0; i < n; i++) {
                struct in6_addr a;
                ck_assert_int_eq(inet_pton(AF_INET6, addrs[i], &a), 1);
                put(b, &a, 16);
        }
}

/* A DNSSL option from names in text form, padded to 8 bytes. */
static void dnssl(struct buf *b, uint32_t lifetime, const char *const *names, size_t n)
{
        uint8_t data[1024];
        size_t len = 8;

        memset(data, 0, sizeof(data));
        data[0] = SLAAC_ND_OPT_DNSSL;
        put_be32(data + 4, lifetime);
        for (size_t i = 0; i < n; i++) {
                const char *p = names[i];
                while (*p) {
                        size_t l = strcspn(p, ".");
                        data[len++] = (uint8_t) l;
                        memcpy(data + len, p, l);
                        len += l;
                        p += l;
                        if (*p == '.')
                                p++;
                }
                data[len++] = 0;
        }
        len = (len + 7) / 8 * 8;
        data[1] = (uint8_t) (len / 8);
        put(b, data, len);
}

/* An RTM_NEWNDUSEROPT message for ifindex carrying the options in o. */
static void useropt_msg(struct buf *out, int ifindex, const struct buf *o)
{
        struct nlmsghdr h = { .nlmsg_type = RTM_NEWNDUSEROPT };
        struct nduseroptmsg m = { .nduseropt_family = AF_INET6, .nduseropt_opts_len = (unsigned short) o->n,
                                  .nduseropt_ifindex = ifindex, .nduseropt_icmp_type = 134 };
        size_t start = out->n;
        static const uint8_t zero[4];

        h.nlmsg_len = (uint32_t) (NLMSG_LENGTH(sizeof(m)) + o->n);
        put(out, &h, sizeof(h));
        put(out, &m, sizeof(m));
        put(out, o->b, o->n);
        put(out, zero, NLMSG_ALIGN(out->n - start) - (out->n - start));
}

static int valid_name(const char *s)
{
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                      *s == '-' || *s == '.'))
                        return 0;
        return 1;
}

static void dns_init(struct slaac_dns *d)
{
        memset(d, 0, sizeof(*d));
        d->name_valid = valid_name;
}

static const char *srv(const struct slaac_dns *d, size_t i, char *buf)
{
        return inet_ntop(AF_INET6, &d->servers[i].addr, buf, INET6_ADDRSTRLEN);
}

/* ---- tests ---------------------------------------------------------------------- */

START_TEST(test_rdnss_dnssl)
{
        static const char *const a[] = { "2001:db8::53", "2001:db8::54" };
        static const char *const n[] = { "lan.example", "corp.example.org" };
        struct slaac_dns d;
        struct buf o = {};
        char s[INET6_ADDRSTRLEN];

        dns_init(&d);
        rdnss(&o, 600, a, 2);
        dnssl(&o, 1200, n, 2);
        ck_assert_int_eq(slaac_nd_apply_options(&d, o.b, o.n, 100), 1);
        ck_assert_uint_eq(d.n_servers, 2);
        ck_assert_str_eq(srv(&d, 0, s), "2001:db8::53");
        ck_assert_str_eq(srv(&d, 1, s), "2001:db8::54");
        ck_assert_uint_eq(d.servers[0].expires, 700);
        ck_assert_uint_eq(d.n_domains, 2);
        ck_assert_str_eq(d.domains[0].name, "lan.example");
        ck_assert_str_eq(d.domains[1].name, "corp.example.org");
        ck_assert_uint_eq(d.domains[1].expires, 1300);
        ck_assert_uint_eq(slaac_dns_next_expiry(&d), 700);
        ck_assert_uint_eq(d.bad_options + d.bad_servers + d.bad_domains, 0);

        /* The same again later: only the expiry moves; nothing to rewrite. */
        ck_assert_int_eq(slaac_nd_apply_options(&d, o.b, o.n, 200), 0);
        ck_assert_uint_eq(d.servers[0].expires, 800);
}
END_TEST

START_TEST(test_lifetimes)
{
        static const char *const a[] = { "2001:db8::53" }, *const b[] = { "2001:db8::99" };
        static const char *const n[] = { "lan.example" };
        struct slaac_dns d;
        struct buf o = {}, o2 = {}, zero = {};
        char s[INET6_ADDRSTRLEN];

        dns_init(&d);
        rdnss(&o, 10, a, 1);
        dnssl(&o, SLAAC_LIFETIME_INFINITY, n, 1);
        ck_assert_int_eq(slaac_nd_apply_options(&d, o.b, o.n, 0), 1);
        ck_assert_uint_eq(d.domains[0].expires, SLAAC_NEVER);
        /* Short-lived server goes at its expiry, the infinite domain stays. */
        ck_assert_int_eq(slaac_dns_expire(&d, 9), 0);
        ck_assert_uint_eq(d.n_servers, 1);
        ck_assert_int_eq(slaac_dns_expire(&d, 10), 1);
        ck_assert_uint_eq(d.n_servers, 0);
        ck_assert_uint_eq(d.n_domains, 1);
        ck_assert_uint_eq(slaac_dns_next_expiry(&d), SLAAC_NEVER);

        /* A later RA with another server: both until the first expires. */
        rdnss(&o2, 300, b, 1);
        ck_assert_int_eq(slaac_nd_apply_options(&d, o.b, o.n, 20), 1);
        ck_assert_int_eq(slaac_nd_apply_options(&d, o2.b, o2.n, 21), 1);
        ck_assert_uint_eq(d.n_servers, 2);
        ck_assert_int_eq(slaac_dns_expire(&d, 30), 1);
        ck_assert_uint_eq(d.n_servers, 1);
        ck_assert_str_eq(srv(&d, 0, s), "2001:db8::99");

        /* Lifetime 0: "MUST no longer be used" (RFC 8106 5.1). */
        rdnss(&zero, 0, b, 1);
        dnssl(&zero, 0, n, 1);
        ck_assert_int_eq(slaac_nd_apply_options(&d, zero.b, zero.n, 40), 1);
        ck_assert_uint_eq(d.n_servers, 0);
        ck_assert_uint_eq(d.n_domains, 0);
}
END_TEST

START_TEST(test_full_table)
{
        struct slaac_dns d;
        struct in6_addr a;

        dns_init(&d);
        for (unsigned i = 0; i < SLAAC_MAX_SERVERS; i++) {
                inet_pton(AF_INET6, "2001:db8::1", &a);
                a.s6_addr[15] = (uint8_t) (i + 1);
                ck_assert_int_eq(slaac_dns_add_server(&d, &a, 100 + i, 0), 1);
        }
        /* A shorter-lived one finds no room; a longer-lived one replaces
         * the one that expires first (::1, 100 s). */
        a.s6_addr[15] = 0x77;
        ck_assert_int_eq(slaac_dns_add_server(&d, &a, 50, 0), 0);
        ck_assert_uint_eq(d.full, 1);
        ck_assert_int_eq(slaac_dns_add_server(&d, &a, 1000, 0), 1);
        ck_assert_uint_eq(d.n_servers, SLAAC_MAX_SERVERS);
        for (size_t i = 0; i < d.n_servers; i++)
                ck_assert_uint_ne(d.servers[i].addr.s6_addr[15], 1);
        ck_assert_uint_eq(d.servers[d.n_servers - 1].addr.s6_addr[15], 0x77);

        for (unsigned i = 0; i < SLAAC_MAX_DOMAINS; i++) {
                char name[32];
                snprintf(name, sizeof(name), "d%u.example", i);
                ck_assert_int_eq(slaac_dns_add_domain(&d, name, 100 + i, 0), 1);
        }
        ck_assert_int_eq(slaac_dns_add_domain(&d, "new.example", 5000, 0), 1);
        ck_assert_uint_eq(d.n_domains, SLAAC_MAX_DOMAINS);
        ck_assert_str_eq(d.domains[SLAAC_MAX_DOMAINS - 1].name, "new.example");
        ck_assert_str_ne(d.domains[0].name, "d0.example");
        /* Case does not make another domain. */
        ck_assert_int_eq(slaac_dns_add_domain(&d, "NEW.Example", 5000, 0), 0);
}
END_TEST

START_TEST(test_bad_servers)
{
        static const char *const a[] = { "::", "::1", "ff02::1", "fe80::1", "::ffff:192.0.2.1", "2001:db8::53" };
        struct slaac_dns d;
        struct buf o = {};

        dns_init(&d);
        rdnss(&o, 600, a, 6);
        ck_assert_int_eq(slaac_nd_apply_options(&d, o.b, o.n, 0), 1);
        ck_assert_uint_eq(d.n_servers, 1);
        ck_assert_uint_eq(d.bad_servers, 5);
}
END_TEST

START_TEST(test_malformed)
{
        struct slaac_dns d;
        /* RDNSS with an even length (2: no room for one whole address). */
        uint8_t even[16] = { SLAAC_ND_OPT_RDNSS, 2, 0, 0, 0, 0, 1, 0 };
        /* Length 0: the walk stops (RFC 4861 4.6). */
        uint8_t zero_len[8] = { SLAAC_ND_OPT_RDNSS, 0 };
        /* Length past the end. */
        uint8_t past[8] = { SLAAC_ND_OPT_RDNSS, 3 };
        /* DNSSL: a compression pointer; a label past the option; no
         * terminating zero label; a dot inside a label; a control byte. */
        uint8_t ptr[16] = { SLAAC_ND_OPT_DNSSL, 2, 0, 0, 0, 0, 1, 0, 0xc0, 0x0c };
        uint8_t label_past[16] = { SLAAC_ND_OPT_DNSSL, 2, 0, 0, 0, 0, 1, 0, 20, 'a', 'b' };
        uint8_t noterm[16] = { SLAAC_ND_OPT_DNSSL, 2, 0, 0, 0, 0, 1, 0, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e' };
        uint8_t dot[16] = { SLAAC_ND_OPT_DNSSL, 2, 0, 0, 0, 0, 1, 0, 3, 'a', '.', 'b', 0 };
        uint8_t ctl[16] = { SLAAC_ND_OPT_DNSSL, 2, 0, 0, 0, 0, 1, 0, 3, 'a', '\n', 'b', 0 };
        /* Valid wire format, not a valid host name: dropped, counted. */
        uint8_t shell[16] = { SLAAC_ND_OPT_DNSSL, 2, 0, 0, 0, 0, 1, 0, 4, 'a', ';', 'r', 'm', 0 };
        char name[SLAAC_DOMAIN_MAX + 1];
        uint8_t longname[320];
        size_t n = 0;

        dns_init(&d);
        ck_assert_int_eq(slaac_nd_apply_options(&d, even, sizeof(even), 0), 0);
        ck_assert_uint_eq(d.bad_options, 1);
        ck_assert_int_eq(slaac_nd_apply_options(&d, zero_len, sizeof(zero_len), 0), 0);
        ck_assert_int_eq(slaac_nd_apply_options(&d, past, sizeof(past), 0), 0);
        ck_assert_int_eq(slaac_nd_apply_options(&d, ptr, sizeof(ptr), 0), 0);
        ck_assert_int_eq(slaac_nd_apply_options(&d, label_past, sizeof(label_past), 0), 0);
        ck_assert_int_eq(slaac_nd_apply_options(&d, noterm, sizeof(noterm), 0), 0);
        ck_assert_int_eq(slaac_nd_apply_options(&d, dot, sizeof(dot), 0), 0);
        ck_assert_int_eq(slaac_nd_apply_options(&d, ctl, sizeof(ctl), 0), 0);
        ck_assert_uint_eq(d.bad_options, 8);
        ck_assert_int_eq(slaac_nd_apply_options(&d, shell, sizeof(shell), 0), 0);
        ck_assert_uint_eq(d.bad_domains, 1);
        ck_assert_uint_eq(d.n_servers + d.n_domains, 0);
        /* An odd trailing byte is no option. */
        ck_assert_int_eq(slaac_nd_apply_options(&d, even, 1, 0), 0);

        /* A name over 253 characters is refused, not cut. */
        for (int i = 0; i < 5; i++) {
                longname[n++] = 60;
                memset(longname + n, 'a', 60);
                n += 60;
        }
        longname[n++] = 0;
        ck_assert_int_eq(slaac_dnssl_name(longname, n, name), -EBADMSG);
        /* 4 labels of 60 and one of 9: 253 exactly. */
        n = 0;
        for (int i = 0; i < 4; i++) {
                longname[n++] = 60;
                memset(longname + n, 'b', 60);
                n += 60;
        }
        longname[n++] = 9;
        memset(longname + n, 'c', 9);
        n += 9;
        longname[n++] = 0;
        ck_assert_int_eq(slaac_dnssl_name(longname, n, name), (int) n);
        ck_assert_uint_eq(strlen(name), 253);
}
END_TEST

START_TEST(test_useropt_scan)
{
        static const char *const a[] = { "2001:db8::53" };
        static const char *const n[] = { "lan.example" };
        struct slaac_dns d;
        struct buf o = {}, msgs = {};
        struct slaac_scan s = { .ifindex = 7, .now = 5, .dns = &d };

        dns_init(&d);
        rdnss(&o, 60, a, 1);
        dnssl(&o, 60, n, 1);
        useropt_msg(&msgs, 7, &o);
        useropt_msg(&msgs, 8, &o);      /* another interface: ignored */
        ck_assert_int_eq(slaac_nl_scan(msgs.b, msgs.n, &s), 0);
        ck_assert(s.dns_changed);
        ck_assert_uint_eq(s.useropts, 1);
        ck_assert_uint_eq(d.n_servers, 1);
        ck_assert_uint_eq(d.servers[0].expires, 65);

        /* opts_len that claims more than the message holds: skipped. */
        {
                struct buf bad = {};
                struct nduseroptmsg *m;
                useropt_msg(&bad, 7, &o);
                m = (struct nduseroptmsg *) (bad.b + sizeof(struct nlmsghdr));
                m->nduseropt_opts_len = 4000;
                memset(&s, 0, sizeof(s));
                s.ifindex = 7;
                s.dns = &d;
                ck_assert_int_eq(slaac_nl_scan(bad.b, bad.n, &s), 0);
                ck_assert_uint_eq(s.useropts, 0);
                /* A header longer than the buffer. */
                ck_assert_int_eq(slaac_nl_scan(bad.b, bad.n - 4, &s), -EBADMSG);
        }
}
END_TEST

static void addr_msg(struct buf *b, int type, int ifindex, const char *addr, unsigned plen, uint32_t flags, int proto)
{
        struct nlmsghdr h = { .nlmsg_type = (uint16_t) type };
        struct ifaddrmsg ifa = { .ifa_family = AF_INET6, .ifa_prefixlen = (uint8_t) plen,
                                 .ifa_scope = RT_SCOPE_UNIVERSE, .ifa_index = (uint32_t) ifindex };
        struct rtattr ra = { .rta_len = RTA_LENGTH(16), .rta_type = IFA_ADDRESS };
        struct rtattr rf = { .rta_len = RTA_LENGTH(4), .rta_type = IFA_FLAGS };
        struct rtattr rp = { .rta_len = RTA_LENGTH(1), .rta_type = 11 /* IFA_PROTO */ };
        struct in6_addr a;
        uint8_t pad[4] = { (uint8_t) proto };

        inet_pton(AF_INET6, addr, &a);
        h.nlmsg_len = NLMSG_LENGTH(sizeof(ifa)) + RTA_LENGTH(16) + RTA_LENGTH(4) + (proto >= 0 ? RTA_SPACE(1) : 0);
        put(b, &h, sizeof(h));
        put(b, &ifa, sizeof(ifa));
        put(b, &ra, sizeof(ra));
        put(b, &a, 16);
        put(b, &rf, sizeof(rf));
        put(b, &flags, 4);
        if (proto >= 0) {
                put(b, &rp, sizeof(rp));
                put(b, pad, 4);
        }
}

static void route_msg(struct buf *b, int type, int ifindex, const char *gw, int proto)
{
        struct nlmsghdr h = { .nlmsg_type = (uint16_t) type };
        struct rtmsg rtm = { .rtm_family = AF_INET6, .rtm_table = RT_TABLE_MAIN, .rtm_protocol = (uint8_t) proto,
                             .rtm_type = RTN_UNICAST };
        struct rtattr ro = { .rta_len = RTA_LENGTH(4), .rta_type = RTA_OIF };
        struct rtattr rg = { .rta_len = RTA_LENGTH(16), .rta_type = RTA_GATEWAY };
        uint32_t oif = (uint32_t) ifindex;
        struct in6_addr a;

        inet_pton(AF_INET6, gw, &a);
        h.nlmsg_len = NLMSG_LENGTH(sizeof(rtm)) + RTA_LENGTH(4) + RTA_LENGTH(16);
        put(b, &h, sizeof(h));
        put(b, &rtm, sizeof(rtm));
        put(b, &ro, sizeof(ro));
        put(b, &oif, 4);
        put(b, &rg, sizeof(rg));
        put(b, &a, 16);
}

START_TEST(test_addr_route_scan)
{
        struct buf b = {};
        struct slaac_scan s = { .ifindex = 3 };
        char g[INET6_ADDRSTRLEN];

        /* A static address and a DHCPv6 /128: not from an RA. */
        addr_msg(&b, RTM_NEWADDR, 3, "2001:db8::5", 64, IFA_F_PERMANENT, 0);
        addr_msg(&b, RTM_NEWADDR, 3, "2001:db8::100", 128, IFA_F_NODAD | IFA_F_NOPREFIXROUTE, -1);
        /* An RA address still in DAD, on kernels with IFA_PROTO. */
        addr_msg(&b, RTM_NEWADDR, 3, "2001:db8::a", 64, IFA_F_TENTATIVE, 2);
        /* A static default route: not from an RA. */
        route_msg(&b, RTM_NEWROUTE, 3, "fe80::9", RTPROT_STATIC);
        ck_assert_int_eq(slaac_nl_scan(b.b, b.n, &s), 0);
        ck_assert(!s.ra_addr);
        ck_assert(s.ra_addr_tentative);
        ck_assert(s.other_addr);
        ck_assert(!s.ra_default);

        b.n = 0;
        addr_msg(&b, RTM_NEWADDR, 3, "2001:db8::a", 64, 0, 2);
        /* Without IFA_PROTO (kernels before 6.0): dynamic and not a /128. */
        addr_msg(&b, RTM_NEWADDR, 4, "2001:db8::b", 64, IFA_F_MANAGETEMPADDR, -1);
        route_msg(&b, RTM_NEWROUTE, 3, "fe80::1", RTPROT_RA);
        route_msg(&b, RTM_NEWROUTE, 4, "fe80::2", RTPROT_RA);
        memset(&s, 0, sizeof(s));
        s.ifindex = 3;
        ck_assert_int_eq(slaac_nl_scan(b.b, b.n, &s), 0);
        ck_assert(s.ra_addr);
        ck_assert(s.ra_default);
        ck_assert_str_eq(inet_ntop(AF_INET6, &s.gateway, g, sizeof(g)), "fe80::1");

        memset(&s, 0, sizeof(s));
        s.ifindex = 4;
        ck_assert_int_eq(slaac_nl_scan(b.b, b.n, &s), 0);
        ck_assert(s.ra_addr);

        /* A deprecated address is not a usable one. */
        b.n = 0;
        addr_msg(&b, RTM_NEWADDR, 3, "2001:db8::a", 64, IFA_F_DEPRECATED, 2);
        memset(&s, 0, sizeof(s));
        s.ifindex = 3;
        ck_assert_int_eq(slaac_nl_scan(b.b, b.n, &s), 0);
        ck_assert(!s.ra_addr);
        ck_assert(s.addr_seen);
}
END_TEST

START_TEST(test_ra_header)
{
        uint8_t ra[16] = { 134, 0, 0, 0, 64, 0xc0, 0x07, 0x08 };
        struct slaac_ra r;

        ck_assert_int_eq(slaac_ra_parse(ra, sizeof(ra), &r), 0);
        ck_assert(r.managed);
        ck_assert(r.other);
        ck_assert_uint_eq(r.router_lifetime, 0x0708);
        ra[5] = 0x40;
        ck_assert_int_eq(slaac_ra_parse(ra, sizeof(ra), &r), 0);
        ck_assert(!r.managed);
        ck_assert(r.other);
        ck_assert_int_eq(slaac_ra_parse(ra, 15, &r), -EBADMSG);
        ra[0] = 133;
        ck_assert_int_eq(slaac_ra_parse(ra, sizeof(ra), &r), -EBADMSG);
}
END_TEST

static Suite *slaac_suite(void)
{
        Suite *s = suite_create("slaac");
        TCase *tc = tcase_create("logic");

        tcase_add_test(tc, test_rdnss_dnssl);
        tcase_add_test(tc, test_lifetimes);
        tcase_add_test(tc, test_full_table);
        tcase_add_test(tc, test_bad_servers);
        tcase_add_test(tc, test_malformed);
        tcase_add_test(tc, test_useropt_scan);
        tcase_add_test(tc, test_addr_route_scan);
        tcase_add_test(tc, test_ra_header);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(slaac_suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
