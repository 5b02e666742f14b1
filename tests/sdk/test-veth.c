/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the veth stage's pure logic, without root: the default host
 * name, prefix arithmetic, and the addresses and routes it plans from a
 * configuration section (read through a stand-in for the core's API, with
 * the core's own value parsers). */
#include "config.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>

#include "../../plugins/veth/veth.c"
#include "config/conf.h"

/* ---- a configuration section and the few services validate() uses ---- */

struct kv { const char *key, *value; };
static const struct kv *section;
static const char *ns_name = "web";
static char last_error[512];

static const char *t_namespace(struct nh_ctx *c) { return ns_name; }
static void t_logv(struct nh_ctx *c, int prio, const char *fmt, va_list ap) { }

static size_t t_count(struct nh_ctx *c, const char *key)
{
        size_t n = 0;

        for (const struct kv *p = section; p && p->key; p++)
                n += strcmp(p->key, key) == 0;
        return n;
}

static const char *t_get(struct nh_ctx *c, const char *key, size_t i)
{
        for (const struct kv *p = section; p && p->key; p++)
                if (strcmp(p->key, key) == 0 && i-- == 0)
                        return p->value;
        return NULL;
}

static int t_bool(struct nh_ctx *c, const char *key, size_t i, int *out)
{
        const char *v = t_get(c, key, i);

        if (!v)
                return 0;
        return nh_parse_bool(v, out) < 0 ? -EINVAL : 1;
}

static int t_int(struct nh_ctx *c, const char *key, size_t i, long long *out)
{
        const char *v = t_get(c, key, i);

        if (!v)
                return 0;
        return nh_parse_int(v, out) < 0 ? -EINVAL : 1;
}

static int t_inet(struct nh_ctx *c, const char *key, size_t i, struct nh_inet *out)
{
        const char *v = t_get(c, key, i);

        if (!v)
                return 0;
        return nh_parse_inet(v, AF_UNSPEC, true, out) < 0 ? -EINVAL : 1;
}

static int t_errorv(struct nh_ctx *c, const char *key, const char *fmt, va_list ap)
{
        int n = snprintf(last_error, sizeof(last_error), "%s: ", key ? key : "-");

        vsnprintf(last_error + n, sizeof(last_error) - (size_t) n, fmt, ap);
        return -EINVAL;
}

static const struct nh_api api = {
        .abi_major = NH_PLUGIN_ABI_MAJOR,
        .abi_minor = NH_PLUGIN_ABI_MINOR,
        .size = sizeof(struct nh_api),
        .namespace_name = t_namespace,
        .logv = t_logv,
        .cfg_count = t_count,
        .cfg_get = t_get,
        .cfg_bool = t_bool,
        .cfg_int = t_int,
        .cfg_inet = t_inet,
        .cfg_errorv = t_errorv,
};

static int load(const struct kv *kv, struct veth_cfg *c)
{
        struct nh_ctx ctx = { .api = &api };

        section = kv;
        last_error[0] = '\0';
        return veth_cfg_load(&ctx, c);
}

static const char *route(const struct veth_route *r, char *buf, size_t len)
{
        char tmp[160];

        snprintf(buf, len, "%s %s", r->side == SIDE_HOST ? "host:" : "ns:",
                 route_str(r, r->side == SIDE_HOST ? "H" : "N", tmp, sizeof(tmp)));
        return buf;
}

/* The routes of c, one per line. */
static const char *routes(const struct veth_cfg *c)
{
        static char all[2048];
        char one[200];

        all[0] = '\0';
        for (size_t i = 0; i < c->n_routes; i++) {
                strcat(all, route(&c->routes[i], one, sizeof(one)));
                strcat(all, "\n");
        }
        return all;
}

/* ---- tests --------------------------------------------------------------- */

START_TEST(host_name_default)
{
        char a[IFNAMSIZ], b[IFNAMSIZ], c[IFNAMSIZ];

        nh_ifname_from_ns("ve-", "web", a);
        ck_assert_str_eq(a, "ve-web");
        nh_ifname_from_ns("ve-", "abcdefghijkl", a);              /* 3 + 12 = 15 bytes: kept */
        ck_assert_str_eq(a, "ve-abcdefghijkl");

        nh_ifname_from_ns("ve-", "abcdefghijklm", a);             /* 16: shortened */
        nh_ifname_from_ns("ve-", "abcdefghijklm", b);
        nh_ifname_from_ns("ve-", "abcdefXhijklm", c);
        ck_assert_uint_eq(strlen(a), 15);
        ck_assert_str_eq(a, b);                            /* deterministic */
        ck_assert(strncmp(a, "ve-abcdef-", 10) == 0);
        ck_assert_str_ne(a, c);                            /* same head, other name */
        ck_assert(nh_ifname_ok(a, strlen(a)));
        ck_assert(nh_ifname_valid(a));
}
END_TEST

START_TEST(prefixes)
{
        struct nh_inet p, a;

        ck_assert_int_eq(parse_prefix("10.1.0.0/16", AF_INET, &p), 0);
        ck_assert_uint_eq(p.prefixlen, 16);
        ck_assert(!nh_inet_host_bits(&p));
        ck_assert_int_eq(parse_prefix("10.1.2.3", AF_INET, &a), 0);
        ck_assert_uint_eq(a.prefixlen, 32);
        ck_assert(nh_inet_covers(&p, &a));
        ck_assert_int_eq(parse_prefix("10.2.0.0/15", AF_INET, &p), 0);
        ck_assert(!nh_inet_covers(&p, &a));
        ck_assert_int_eq(parse_prefix("10.1.2.3/8", AF_INET, &p), 0);
        ck_assert(nh_inet_host_bits(&p));
        ck_assert_int_eq(parse_prefix("default", AF_INET6, &p), 0);
        ck_assert_uint_eq(p.prefixlen, 0);
        ck_assert(!nh_inet_host_bits(&p));
        ck_assert_int_eq(parse_prefix("fc00::/7", AF_INET6, &p), 0);
        ck_assert(!nh_inet_host_bits(&p));
        ck_assert_int_eq(parse_prefix("fd00::1/127", AF_INET6, &p), 0);
        ck_assert(nh_inet_host_bits(&p));

        ck_assert_int_eq(parse_prefix("10.0.0.0/33", AF_INET, &p), -EINVAL);
        ck_assert_int_eq(parse_prefix("10.0.0.0/", AF_INET, &p), -EINVAL);
        ck_assert_int_eq(parse_prefix("10.0.0.0/-1", AF_INET, &p), -EINVAL);
        ck_assert_int_eq(parse_prefix("10.0.0.0/8x", AF_INET, &p), -EINVAL);
        ck_assert_int_eq(parse_prefix("fd00::/8", AF_INET, &p), -EINVAL);
        ck_assert_int_eq(parse_prefix("10.0.0.0/8", AF_INET6, &p), -EINVAL);
        ck_assert_int_eq(parse_prefix("", AF_INET, &p), -EINVAL);
}
END_TEST

START_TEST(defaults)
{
        static const struct kv kv[] = { { NULL, NULL } };
        struct veth_cfg c;

        ns_name = "web";
        ck_assert_int_eq(load(kv, &c), 0);
        ck_assert_str_eq(c.host_name, "ve-web");
        ck_assert_str_eq(c.name, "vh0");
        ck_assert_int_eq(c.host_routes, 1);
        ck_assert_int_eq(c.default_route, 0);
        ck_assert_int_eq(c.mtu, 0);
        ck_assert_uint_eq(c.n_routes, 0);
}
END_TEST

/* A shared /30: the connected prefixes reach both ends, no extra routes. */
START_TEST(plan_shared_prefix)
{
        static const struct kv kv[] = {
                { "host-address4", "10.0.0.1/30" }, { "address4", "10.0.0.2/30" },
                { "host-address6", "fd00::1/64" }, { "address6", "fd00::2/64" },
                { "default-route", "yes" },
                { "routes4", "192.0.2.0/24" }, { "routes4", "198.51.100.0/24 via 10.0.0.3" },
                { "routes6", "2001:db8::/32" },
                { NULL, NULL },
        };
        struct veth_cfg c;

        ck_assert_int_eq(load(kv, &c), 0);
        ck_assert_uint_eq(c.n_addrs[SIDE_HOST], 2);
        ck_assert_uint_eq(c.n_addrs[SIDE_NS], 2);
        ck_assert_str_eq(routes(&c),
                         "ns: default via 10.0.0.1 dev N\n"
                         "ns: default via fd00::1 dev N\n"
                         "ns: 192.0.2.0/24 via 10.0.0.1 dev N\n"
                         "ns: 198.51.100.0/24 via 10.0.0.3 dev N\n"
                         "ns: 2001:db8::/32 via fd00::1 dev N\n");
}
END_TEST

/* /32 on both ends: each end needs a route to the other, before the
 * routes that use it as their gateway. */
START_TEST(plan_point_to_point)
{
        static const struct kv kv[] = {
                { "host-address4", "10.0.0.1" }, { "address4", "10.0.0.2" },
                { "default-route", "yes" },
                { NULL, NULL },
        };
        static const struct kv kv_off[] = {
                { "host-address4", "10.0.0.1" }, { "address4", "10.0.0.2" },
                { "host-routes", "no" },
                { NULL, NULL },
        };
        struct veth_cfg c;

        ck_assert_int_eq(load(kv, &c), 0);
        ck_assert_str_eq(routes(&c),
                         "host: 10.0.0.2/32 dev H\n"
                         "ns: 10.0.0.1/32 dev N\n"
                         "ns: default via 10.0.0.1 dev N\n");
        ck_assert_int_eq(load(kv_off, &c), 0);
        ck_assert_str_eq(routes(&c), "");
}
END_TEST

/* Without a host address, a bare prefix is a route out of the link, and
 * the host still reaches the namespace's address through its end. */
START_TEST(plan_device_route)
{
        static const struct kv kv[] = {
                { "address4", "10.0.0.2/24" }, { "routes4", "10.9.0.0/16" },
                { NULL, NULL },
        };
        struct veth_cfg c;

        ck_assert_int_eq(load(kv, &c), 0);
        ck_assert_str_eq(routes(&c),
                         "host: 10.0.0.2/32 dev H\n"
                         "ns: 10.9.0.0/16 dev N\n");
}
END_TEST

START_TEST(mistakes)
{
        static const struct {
                struct kv kv[3];
                const char *error;
        } bad[] = {
                { { { "routes4", "10.1.2.3/8" } }, "routes4: \"10.1.2.3/8\": \"10.1.2.3/8\" has bits set past its prefix length" },
                { { { "routes4", "10.0.0.0/8 via" } }, "routes4: \"10.0.0.0/8 via\": expected \"PREFIX\" or \"PREFIX via ADDRESS\"" },
                { { { "routes4", "10.0.0.0/8 through 10.0.0.1" } }, "routes4: \"10.0.0.0/8 through 10.0.0.1\": expected" },
                { { { "routes4", "10.0.0.0/8 via 10.0.0.1/32" } }, "is not an IPv4 address" },
                { { { "routes4", "10.0.0.0/8 via default" } }, "is not an IPv4 address" },
                { { { "routes4", "fd00::/8" } }, "\"fd00::/8\" is not an IPv4 prefix" },
                { { { "routes6", "fd00::/8 via 10.0.0.1" } }, "is not an IPv6 address" },
                { { { "default-route", "yes" } }, "default-route: needs host-address4 or host-address6" },
                { { { "host-address4", "10.0.0.1/24" }, { "address4", "10.0.0.1/30" } }, "address4: 10.0.0.1/30 is also an address of the host end" },
                { { { "mtu", "67" } }, "mtu: expected an integer from 68 to 65535" },
                { { { "host-routes", "maybe" } }, "host-routes: expected yes or no" },
                { { { "name", "a/b" } }, "name: \"a/b\" is not an interface name" },
                { { { "host-name", "0123456789abcdef" } }, "host-name: \"0123456789abcdef\" is not an interface name" },
        };
        struct veth_cfg c;

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                ck_assert_int_eq(load(bad[i].kv, &c), -EINVAL);
                ck_assert_msg(strstr(last_error, bad[i].error), "case %zu: got \"%s\", expected \"%s\"",
                              i, last_error, bad[i].error);
        }
}
END_TEST

START_TEST(too_many)
{
        static struct kv kv[VETH_MAX_ROUTES + 2];
        static char text[VETH_MAX_ROUTES + 1][32];
        struct veth_cfg c;

        for (int i = 0; i <= VETH_MAX_ROUTES; i++) {
                snprintf(text[i], sizeof(text[i]), "10.%d.0.0/16", i);
                kv[i] = (struct kv) { "routes4", text[i] };
        }
        ck_assert_int_eq(load(kv, &c), -EINVAL);
        ck_assert_msg(strstr(last_error, "too many routes"), "got %s", last_error);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("veth");
        TCase *tc = tcase_create("logic");
        SRunner *sr;
        int failed;

        tcase_add_test(tc, host_name_default);
        tcase_add_test(tc, prefixes);
        tcase_add_test(tc, defaults);
        tcase_add_test(tc, plan_shared_prefix);
        tcase_add_test(tc, plan_point_to_point);
        tcase_add_test(tc, plan_device_route);
        tcase_add_test(tc, mistakes);
        tcase_add_test(tc, too_many);
        suite_add_tcase(s, tc);
        sr = srunner_create(s);
        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? 1 : 0;
}
