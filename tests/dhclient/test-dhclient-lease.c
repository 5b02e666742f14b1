/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The dhclient handler's parser of dhclient's environment.  The values
 * come from whoever answers DHCP on the link: every test here feeds what a
 * hostile server could make dhclient put there and checks that nothing
 * unchecked comes out.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lease.h"

/* An environment: NULL-ended "key=value" strings. */
static const char *env_get(void *data, const char *key)
{
        const char *const *env = data;
        size_t n = strlen(key);

        for (; *env; env++)
                if (!strncmp(*env, key, n) && (*env)[n] == '=')
                        return *env + n + 1;
        return NULL;
}

static char warnings[8192];
static int n_warnings;

static void on_warn(void *data, const char *msg)
{
        n_warnings++;
        strncat(warnings, msg, sizeof warnings - strlen(warnings) - 2);
        strcat(warnings, "|");
}

static void reset(void)
{
        warnings[0] = '\0';
        n_warnings = 0;
}

static int parse(int family, const char *const *env, struct dhc_lease *l)
{
        reset();
        return dhc_lease_parse(family, env_get, (void *) env, on_warn, NULL, l);
}

static const char *str(const struct dhc_addr *a)
{
        static char buf[INET6_ADDRSTRLEN];
        return dhc_addr_str(a, buf, sizeof buf);
}

/* No output of the parser may hold anything a resolv.conf line, a log
 * line or a shell could take as structure. */
static void assert_clean(const struct dhc_lease *l)
{
        for (size_t i = 0; i < l->n_search; i++) {
                ck_assert_msg(dhc_name_valid(l->search[i]), "search entry '%s' is not a valid name", l->search[i]);
                ck_assert(strcspn(l->search[i], " \t\n\r;$`'\"\\|&<>()") == strlen(l->search[i]));
        }
        for (size_t i = 0; i < l->n_servers; i++) {
                unsigned char b[16];
                ck_assert_int_eq(inet_pton(l->family, l->servers[i], b), 1);
        }
        ck_assert(strchr(warnings, '\n') == NULL);
        ck_assert(strchr(warnings, '\r') == NULL);
        ck_assert(strchr(warnings, '\033') == NULL);
}

START_TEST(test_bound4)
{
        const char *env[] = {
                "reason=BOUND", "interface=nm_web",
                "new_ip_address=192.0.2.10", "new_subnet_mask=255.255.255.0",
                "new_broadcast_address=192.0.2.255",
                "new_routers=192.0.2.1 192.0.2.2",
                "new_domain_name_servers=192.0.2.53 192.0.2.54 192.0.2.53",
                "new_domain_search=example.com. corp.example.org.",
                "new_domain_name=ignored.example",
                "new_interface_mtu=1400", "new_dhcp_lease_time=600", "new_expiry=1800000000",
                NULL,
        };
        struct dhc_lease l;

        ck_assert_int_eq(parse(AF_INET, env, &l), 0);
        ck_assert_str_eq(warnings, "");
        ck_assert_int_eq(l.action, DHC_ACT_BIND);
        ck_assert_str_eq(l.reason, "BOUND");
        ck_assert_str_eq(l.ifname, "nm_web");
        ck_assert_str_eq(str(&l.addr), "192.0.2.10");
        ck_assert_uint_eq(l.addr.prefixlen, 24);
        ck_assert_str_eq(str(&l.broadcast), "192.0.2.255");
        ck_assert_uint_eq(l.n_routers, 2);
        ck_assert_str_eq(str(&l.routers[1]), "192.0.2.2");
        ck_assert_uint_eq(l.n_servers, 2);      /* duplicate dropped */
        ck_assert_str_eq(l.servers[0], "192.0.2.53");
        ck_assert_uint_eq(l.n_search, 2);
        ck_assert_str_eq(l.search[0], "example.com");  /* final dot gone */
        ck_assert_str_eq(l.search[1], "corp.example.org");
        ck_assert_uint_eq(l.mtu, 1400);
        ck_assert_uint_eq(l.lease_time, 600);
        ck_assert_int_eq(l.expiry, 1800000000);
        ck_assert_int_eq(l.old_addr.family, 0);
        assert_clean(&l);
}
END_TEST

START_TEST(test_domain_name_fallback)
{
        const char *env[] = {
                "reason=RENEW", "interface=eth0", "new_ip_address=10.1.2.3",
                "new_subnet_mask=255.0.0.0", "new_domain_name=lan.example other.example",
                "old_ip_address=10.1.2.3", "old_subnet_mask=255.0.0.0", NULL,
        };
        struct dhc_lease l;

        ck_assert_int_eq(parse(AF_INET, env, &l), 0);
        ck_assert_uint_eq(l.addr.prefixlen, 8);
        ck_assert_uint_eq(l.n_search, 2);
        ck_assert_str_eq(l.search[1], "other.example");
        ck_assert_str_eq(str(&l.old_addr), "10.1.2.3");
}
END_TEST

/* Names that must never reach resolv.conf: each is dropped with a warning,
 * the good ones around it are kept. */
START_TEST(test_hostile_names)
{
        static const char *bad[] = {
                "evil.com;reboot",
                "$(reboot).example",
                "`id`.example",
                "a|b.example",
                "x&y",
                "quote'd.example",
                "dq\"d.example",
                "back\\slash",
                "under_score.example",
                "-lead.example",
                "trail-.example",
                "dou..ble",
                ".",
                "..",
                "\xc3\xa9t\xc3\xa9.example",
                "\x1b[31mred",
                "a.b\x7f",
                "0123456789012345678901234567890123456789012345678901234567890123.example",
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                char search[512], *env[6] = { "reason=BOUND", "interface=eth0", "new_ip_address=192.0.2.9",
                                              search, NULL, NULL };
                struct dhc_lease l;

                snprintf(search, sizeof search, "new_domain_search=good.example %s ok.example", bad[i]);
                ck_assert_int_eq(parse(AF_INET, (const char *const *) env, &l), 0);
                ck_assert_msg(l.n_search == 2, "'%s' was not dropped", bad[i]);
                ck_assert_str_eq(l.search[0], "good.example");
                ck_assert_str_eq(l.search[1], "ok.example");
                ck_assert_int_eq(n_warnings, 1);
                ck_assert_ptr_nonnull(strstr(warnings, "Ignoring invalid domain_search"));
                assert_clean(&l);
        }
}
END_TEST

/* A newline inside a value (dhclient passes option bytes through): the
 * value is one token with a newline in it and goes; nothing forges a
 * "nameserver" line. */
START_TEST(test_newline_injection)
{
        const char *env[] = {
                "reason=BOUND", "interface=eth0", "new_ip_address=192.0.2.9",
                "new_domain_search=ok.example\nnameserver 203.0.113.66",
                "new_domain_name_servers=192.0.2.53\nnameserver\t203.0.113.66",
                NULL,
        };
        struct dhc_lease l;
        char out[DHC_REPORT_MAX];

        ck_assert_int_eq(parse(AF_INET, env, &l), 0);
        /* "ok.example\nnameserver" and "192.0.2.53\nnameserver" are single
         * invalid tokens; the address after the blank parses, which is
         * harmless: it is an address, not a line. */
        for (size_t i = 0; i < l.n_search; i++)
                ck_assert(strchr(l.search[i], '\n') == NULL);
        for (size_t i = 0; i < l.n_servers; i++)
                ck_assert(strchr(l.servers[i], '\n') == NULL);
        assert_clean(&l);
        ck_assert_int_gt(dhc_lease_format(&l, out, sizeof out), 0);
        /* The report holds one variable per line, nothing more. */
        for (char *p = out; *p; p = strchr(p, '\n') + 1) {
                ck_assert_msg(!strncmp(p, "reason=", 7) || !strncmp(p, "interface=", 10) ||
                              !strncmp(p, "new_", 4) || !strncmp(p, "old_", 4), "stray line in %s", out);
        }
}
END_TEST

START_TEST(test_hostile_addresses)
{
        static const char *bad_ip[] = {
                "192.0.2.300", "192.0.2", "192.0.2.1 ", " 192.0.2.1", "192.0.2.1;reboot",
                "0x7f.0.0.1", "127.0.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
                "2001:db8::1", "", "1.2.3.4/24", "01234567890123456789012345678901234567890123456789",
        };
        for (size_t i = 0; i < sizeof bad_ip / sizeof bad_ip[0]; i++) {
                char ip[128];
                const char *env[] = { "reason=BOUND", "interface=eth0", ip, NULL };
                struct dhc_lease l;

                snprintf(ip, sizeof ip, "new_ip_address=%s", bad_ip[i]);
                ck_assert_msg(parse(AF_INET, env, &l) == -EINVAL, "'%s' accepted", bad_ip[i]);
                ck_assert_int_ge(n_warnings, 1);
                assert_clean(&l);
        }
}
END_TEST

START_TEST(test_hostile_masks_and_numbers)
{
        static const char *bad_mask[] = { "255.0.255.0", "255.255.255.1", "0.255.255.255", "24", "255.255.255.0.0", "0.0.0.0" };
        for (size_t i = 0; i < sizeof bad_mask / sizeof bad_mask[0]; i++) {
                char m[64];
                const char *env[] = { "reason=BOUND", "interface=eth0", "new_ip_address=192.0.2.9", m, NULL };
                struct dhc_lease l;

                snprintf(m, sizeof m, "new_subnet_mask=%s", bad_mask[i]);
                ck_assert_msg(parse(AF_INET, env, &l) == -EINVAL, "mask '%s' accepted", bad_mask[i]);
        }

        static const char *bad_num[] = { "-1", "1500abc", "+1500", " 1500", "99999999999", "0x5dc", "67", "" };
        for (size_t i = 0; i < sizeof bad_num / sizeof bad_num[0]; i++) {
                char mtu[64], lt[64];
                const char *env[] = { "reason=BOUND", "interface=eth0", "new_ip_address=192.0.2.9", mtu, lt, NULL };
                struct dhc_lease l;

                snprintf(mtu, sizeof mtu, "new_interface_mtu=%s", bad_num[i]);
                snprintf(lt, sizeof lt, "new_dhcp_lease_time=%s", bad_num[i]);
                ck_assert_int_eq(parse(AF_INET, env, &l), 0);
                ck_assert_msg(l.mtu == 0, "mtu '%s' accepted as %u", bad_num[i], l.mtu);
                if (strcmp(bad_num[i], "67") != 0)
                        ck_assert_msg(l.lease_time == 0, "lease time '%s' accepted", bad_num[i]);
        }
}
END_TEST

START_TEST(test_bounded_lists)
{
        char servers[4096] = "new_domain_name_servers=", search[8192] = "new_domain_search=";
        const char *env[] = { "reason=BOUND", "interface=eth0", "new_ip_address=192.0.2.9", servers, search, NULL };
        struct dhc_lease l;
        char huge[600];

        for (int i = 1; i <= 40; i++) {
                char b[64];
                snprintf(b, sizeof b, "192.0.2.%d ", i);
                strcat(servers, b);
                snprintf(b, sizeof b, "d%d.example ", i);
                strcat(search, b);
        }
        memset(huge, 'a', sizeof huge - 1);
        huge[sizeof huge - 1] = '\0';
        strcat(search, huge);

        ck_assert_int_eq(parse(AF_INET, env, &l), 0);
        ck_assert_uint_eq(l.n_servers, DHC_MAX_SERVERS);
        ck_assert_uint_eq(l.n_search, DHC_MAX_SEARCH);
        assert_clean(&l);
}
END_TEST

START_TEST(test_rfc3442)
{
        const char *env[] = {
                "reason=BOUND", "interface=eth0", "new_ip_address=192.168.1.20", "new_subnet_mask=255.255.255.0",
                "new_routers=192.168.1.254",
                "new_rfc3442_classless_static_routes=24 192 168 10 192 168 1 1 8 10 10 17 66 41 0 192 168 1 1 32 10 0 0 1 0 0 0 0",
                NULL,
        };
        struct dhc_lease l;
        struct dhc_lease l2;
        char out[DHC_REPORT_MAX];

        ck_assert_int_eq(parse(AF_INET, env, &l), 0);
        ck_assert_uint_eq(l.n_routes, 4);
        ck_assert_str_eq(str(&l.routes[0].dst), "192.168.10.0");
        ck_assert_uint_eq(l.routes[0].dst.prefixlen, 24);
        ck_assert_str_eq(str(&l.routes[0].gw), "192.168.1.1");
        ck_assert_str_eq(str(&l.routes[1].dst), "10.0.0.0");
        ck_assert_str_eq(str(&l.routes[1].gw), "10.17.66.41");
        ck_assert_uint_eq(l.routes[2].dst.prefixlen, 0);
        ck_assert_int_eq(l.routes[3].gw.family, 0);     /* on-link */

        ck_assert_int_gt(dhc_lease_format(&l, out, sizeof out), 0);
        reset();
        ck_assert_int_eq(dhc_lease_parse(AF_INET, dhc_lines_get, out, on_warn, NULL, &l2), 0);
        ck_assert_uint_eq(l2.n_routes, 4);
        ck_assert(memcmp(l.routes, l2.routes, sizeof l.routes) == 0);

        static const char *bad[] = {
                "33 1 2 3 4 5 1 2 3 4",         /* width over 32 */
                "24 192 168 10 192 168 1",      /* router cut short */
                "24 192 168 10 192 168 1 256",  /* not a byte */
                "24 192 168 10 192 168 1 1;",
                "x",
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                char v[256];
                const char *e2[] = { "reason=BOUND", "interface=eth0", "new_ip_address=192.168.1.20", v,
                                     "new_routers=192.168.1.254", NULL };
                snprintf(v, sizeof v, "new_rfc3442_classless_static_routes=%s", bad[i]);
                ck_assert_int_eq(parse(AF_INET, e2, &l), 0);
                ck_assert_msg(l.n_routes == 0, "'%s' accepted", bad[i]);
                ck_assert_uint_eq(l.n_routers, 1);      /* falls back to the router option */
                ck_assert_int_eq(n_warnings, 1);
        }
}
END_TEST

START_TEST(test_reasons_and_interfaces)
{
        static const char *bad_reason[] = { "BOUND6", "bound", "BOUND;reboot", "BOUND ", "", "PREINIT\n" };
        for (size_t i = 0; i < sizeof bad_reason / sizeof bad_reason[0]; i++) {
                char r[64];
                const char *env[] = { r, "interface=eth0", "new_ip_address=192.0.2.9", NULL };
                struct dhc_lease l;
                snprintf(r, sizeof r, "reason=%s", bad_reason[i]);
                ck_assert_int_eq(parse(AF_INET, env, &l), -EINVAL);
                assert_clean(&l);
        }
        static const char *bad_if[] = { "../etc", "a/b", "eth0 x", "eth0:1", "0123456789abcdef", "", ".", "e\nx" };
        for (size_t i = 0; i < sizeof bad_if / sizeof bad_if[0]; i++) {
                char f[64];
                const char *env[] = { "reason=BOUND", f, "new_ip_address=192.0.2.9", NULL };
                struct dhc_lease l;
                snprintf(f, sizeof f, "interface=%s", bad_if[i]);
                ck_assert_int_eq(parse(AF_INET, env, &l), -EINVAL);
                assert_clean(&l);
        }
        {
                const char *env[] = { "interface=eth0", NULL };
                struct dhc_lease l;
                ck_assert_int_eq(parse(AF_INET, env, &l), -EINVAL);
        }
        {
                /* Removing needs no new address; a bad old one is dropped. */
                const char *env[] = { "reason=EXPIRE", "interface=eth0", "old_ip_address=192.0.2.9;x", NULL };
                struct dhc_lease l;
                ck_assert_int_eq(parse(AF_INET, env, &l), 0);
                ck_assert_int_eq(l.action, DHC_ACT_UNBIND);
                ck_assert_int_eq(l.old_addr.family, 0);
        }
        {
                const char *env[] = { "reason=PREINIT", "interface=eth0", NULL };
                struct dhc_lease l;
                ck_assert_int_eq(parse(AF_INET, env, &l), 0);
                ck_assert_int_eq(l.action, DHC_ACT_PREINIT);
        }
        {
                const char *env[] = { "reason=BOUND", "interface=eth0", NULL };
                struct dhc_lease l;
                ck_assert_int_eq(parse(AF_INET, env, &l), -EINVAL);
        }
}
END_TEST

START_TEST(test_bound6)
{
        const char *env[] = {
                "reason=BOUND6", "interface=nm_web",
                "new_ip6_address=2001:db8:1::1:2", "new_ip6_prefixlen=128",
                "new_dhcp6_name_servers=2001:db8::53 192.0.2.53 fe80::1%eth0 2001:db8::54",
                "new_dhcp6_domain_search=example.com. bad;name.example",
                "new_max_life=7200", "new_preferred_life=9000",
                "old_ip6_address=2001:db8:1::1:1", "old_ip6_prefixlen=128",
                NULL,
        };
        struct dhc_lease l, l2;
        char out[DHC_REPORT_MAX];

        ck_assert_int_eq(parse(AF_INET6, env, &l), 0);
        ck_assert_int_eq(l.action, DHC_ACT_BIND);
        ck_assert_str_eq(str(&l.addr), "2001:db8:1::1:2");
        ck_assert_uint_eq(l.addr.prefixlen, 128);
        ck_assert_str_eq(str(&l.old_addr), "2001:db8:1::1:1");
        ck_assert_uint_eq(l.n_servers, 2);
        ck_assert_str_eq(l.servers[1], "2001:db8::54");
        ck_assert_uint_eq(l.n_search, 1);
        ck_assert_uint_eq(l.max_life, 7200);
        ck_assert_uint_eq(l.preferred_life, 7200);      /* never above valid */
        ck_assert_int_eq(n_warnings, 3);
        assert_clean(&l);

        ck_assert_int_gt(dhc_lease_format(&l, out, sizeof out), 0);
        reset();
        ck_assert_int_eq(dhc_lease_parse(AF_INET6, dhc_lines_get, out, on_warn, NULL, &l2), 0);
        ck_assert_str_eq(warnings, "");
        ck_assert(memcmp(&l.addr, &l2.addr, sizeof l.addr) == 0);
        ck_assert(memcmp(l.servers, l2.servers, sizeof l.servers) == 0);
        ck_assert(memcmp(l.search, l2.search, sizeof l.search) == 0);
        ck_assert_uint_eq(l2.max_life, 7200);

        static const char *bad[] = { "new_ip6_prefixlen=129", "new_ip6_prefixlen=-1", "new_ip6_prefixlen=64x" };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                const char *e2[] = { "reason=REBIND6", "interface=eth0", "new_ip6_address=2001:db8::5", bad[i], NULL };
                ck_assert_int_eq(parse(AF_INET6, e2, &l), -EINVAL);
        }
        static const char *bad_ip[] = { "ff02::1", "::", "::1", "::ffff:192.0.2.1", "2001:db8::1%eth0", "192.0.2.1" };
        for (size_t i = 0; i < sizeof bad_ip / sizeof bad_ip[0]; i++) {
                char ip[128];
                const char *e2[] = { "reason=BOUND6", "interface=eth0", ip, NULL };
                snprintf(ip, sizeof ip, "new_ip6_address=%s", bad_ip[i]);
                ck_assert_msg(parse(AF_INET6, e2, &l) == -EINVAL, "'%s' accepted", bad_ip[i]);
        }
        {
                const char *e2[] = { "reason=BOUND", "interface=eth0", "new_ip_address=192.0.2.1", NULL };
                ck_assert_int_eq(parse(AF_INET6, e2, &l), -EINVAL);
        }
}
END_TEST

START_TEST(test_roundtrip4)
{
        const char *env[] = {
                "reason=REBOOT", "interface=nm_x", "new_ip_address=198.51.100.7", "new_subnet_mask=255.255.254.0",
                "new_routers=198.51.100.1", "new_domain_name_servers=198.51.100.53",
                "new_domain_search=a.example", "new_interface_mtu=9000", "new_dhcp_lease_time=4294967295",
                "old_ip_address=198.51.100.6", "old_subnet_mask=255.255.254.0", NULL,
        };
        struct dhc_lease l, l2;
        char out[DHC_REPORT_MAX];

        ck_assert_int_eq(parse(AF_INET, env, &l), 0);
        ck_assert_uint_eq(l.addr.prefixlen, 23);
        ck_assert_uint_eq(l.lease_time, UINT32_MAX);
        ck_assert_int_gt(dhc_lease_format(&l, out, sizeof out), 0);
        reset();
        ck_assert_int_eq(dhc_lease_parse(AF_INET, dhc_lines_get, out, on_warn, NULL, &l2), 0);
        ck_assert_str_eq(warnings, "");
        ck_assert(memcmp(&l, &l2, sizeof l) == 0);
        /* Too small a buffer is an error, never a cut report. */
        ck_assert_int_eq(dhc_lease_format(&l, out, 40), -ENOBUFS);
}
END_TEST

START_TEST(test_lines_get)
{
        char text[] = "reason=BOUND\nnew_ip_address_x=1\nnew_ip_address=192.0.2.1\nnew_=\nx";

        ck_assert_str_eq(dhc_lines_get(text, "reason"), "BOUND");
        ck_assert_str_eq(dhc_lines_get(text, "new_ip_address"), "192.0.2.1");
        ck_assert_ptr_null(dhc_lines_get(text, "new_ip"));
        ck_assert_ptr_null(dhc_lines_get(text, "x"));
        ck_assert_str_eq(dhc_lines_get(text, "new_"), "");
}
END_TEST

START_TEST(test_name_rules)
{
        ck_assert(dhc_name_valid("example.com"));
        ck_assert(dhc_name_valid("example.com."));
        ck_assert(dhc_name_valid("a"));
        ck_assert(dhc_name_valid("xn--bcher-kva.example"));
        ck_assert(dhc_name_valid("1.2.3.example"));
        ck_assert(!dhc_name_valid(""));
        ck_assert(!dhc_name_valid(NULL));
        ck_assert(!dhc_name_valid("."));
        ck_assert(!dhc_name_valid(".example"));
        ck_assert(!dhc_name_valid("a..b"));
        ck_assert(!dhc_name_valid("a-.b"));
        ck_assert(!dhc_name_valid("a.-b"));
        ck_assert(!dhc_name_valid("a b"));

        char n[300], l63[64];
        /* 63-byte labels are the limit; 253 bytes in all. */
        memset(n, 'a', 63);
        n[63] = '\0';
        ck_assert(dhc_name_valid(n));
        memset(n, 'a', 64);
        n[64] = '\0';
        ck_assert(!dhc_name_valid(n));
        memset(l63, 'b', 63);
        l63[63] = '\0';
        snprintf(n, sizeof n, "%s.%s.%s.%.61s", l63, l63, l63, l63);
        ck_assert_uint_eq(strlen(n), 253);
        ck_assert(dhc_name_valid(n));
        strcat(n, ".");
        ck_assert(dhc_name_valid(n));
        n[253] = 'a';
        ck_assert(!dhc_name_valid(n));
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("dhclient-lease");
        TCase *tc = tcase_create("parse");

        tcase_add_test(tc, test_bound4);
        tcase_add_test(tc, test_domain_name_fallback);
        tcase_add_test(tc, test_hostile_names);
        tcase_add_test(tc, test_newline_injection);
        tcase_add_test(tc, test_hostile_addresses);
        tcase_add_test(tc, test_hostile_masks_and_numbers);
        tcase_add_test(tc, test_bounded_lists);
        tcase_add_test(tc, test_rfc3442);
        tcase_add_test(tc, test_reasons_and_interfaces);
        tcase_add_test(tc, test_bound6);
        tcase_add_test(tc, test_roundtrip4);
        tcase_add_test(tc, test_lines_get);
        tcase_add_test(tc, test_name_rules);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(suite());
        int failed;

        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
