/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of the netns, macvlan and postup plugins that need no root:
 * their descriptors and key tables, and macvlan's validate() on sysctl keys,
 * driven through a fake core (struct nh_api) with no namespace and no
 * netlink.  The kernel side is covered by the root tests (*.sh).
 */
#include <check.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netns-helper/plugin.h"

static const struct nh_plugin *load(const char *name)
{
        char path[4096];
        const char *b = getenv("NH_BUILDDIR");
        void *h;

        snprintf(path, sizeof(path), "%s/plugins/%s/.libs/%s.so", b ? b : ".", name, name);
        h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        ck_assert_msg(h, "dlopen %s: %s", path, dlerror());
        const struct nh_plugin *p = dlsym(h, NH_PLUGIN_SYMBOL);
        ck_assert_msg(p, "%s exports no %s", path, NH_PLUGIN_SYMBOL);
        return p;
}

/* ---- a fake core: a flat list of KEY=VALUE, "sysctl@NAME=VALUE" for maps */
static const char *const *cfg;
static int errors;
static char last_error[512];

static size_t match(const char *key, size_t idx, int *pos)
{
        size_t n = 0, l = strlen(key);
        for (int i = 0; cfg && cfg[i]; i++)
                if (strncmp(cfg[i], key, l) == 0 && (cfg[i][l] == '=' || cfg[i][l] == '@')) {
                        if (pos && n == idx)
                                *pos = i;
                        n++;
                }
        return n;
}
static const char *f_ns(struct nh_ctx *c) { return "nhunit"; }
static const char *f_stage(struct nh_ctx *c) { return "macvlan"; }
static void f_logv(struct nh_ctx *c, int p, const char *f, va_list ap) { }
static size_t f_count(struct nh_ctx *c, const char *k) { return match(k, 0, NULL); }
static const char *f_get(struct nh_ctx *c, const char *k, size_t i)
{
        int pos = -1;
        match(k, i, &pos);
        return pos < 0 ? NULL : strchr(cfg[pos], '=') + 1;
}
static const char *f_map_key(struct nh_ctx *c, const char *k, size_t i)
{
        static char buf[256];
        int pos = -1;
        match(k, i, &pos);
        if (pos < 0 || cfg[pos][strlen(k)] != '@')
                return NULL;
        snprintf(buf, sizeof(buf), "%.*s", (int) (strchr(cfg[pos], '=') - cfg[pos] - strlen(k) - 1),
                 cfg[pos] + strlen(k) + 1);
        return buf;
}
static int f_bool(struct nh_ctx *c, const char *k, size_t i, int *o) { return 0; }
static int f_int(struct nh_ctx *c, const char *k, size_t i, long long *o)
{
        const char *v = f_get(c, k, i);
        if (!v)
                return 0;
        *o = atoll(v);
        return 1;
}
static int f_mac(struct nh_ctx *c, const char *k, size_t i, uint8_t o[6])
{
        const char *v = f_get(c, k, i);
        unsigned b[6];
        if (!v)
                return 0;
        if (sscanf(v, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
                return -EINVAL;
        for (int j = 0; j < 6; j++)
                o[j] = (uint8_t) b[j];
        return 1;
}
static int f_inet(struct nh_ctx *c, const char *k, size_t i, struct nh_inet *o) { return 0; }
static int f_errv(struct nh_ctx *c, const char *k, const char *f, va_list ap)
{
        int n = snprintf(last_error, sizeof(last_error), "%s: ", k ? k : "");
        vsnprintf(last_error + n, sizeof(last_error) - (size_t) n, f, ap);
        errors++;
        return -EINVAL;
}
static void f_warnv(struct nh_ctx *c, const char *k, const char *f, va_list ap) { }
static int f_nsfd(struct nh_ctx *c) { return -ENOENT; }
static struct nl_sock *f_nl(struct nh_ctx *c) { errno = EPERM; return NULL; }
static const char *f_dir(struct nh_ctx *c) { return "/nonexistent"; }

static const struct nh_api fake = {
        .abi_major = NH_PLUGIN_ABI_MAJOR, .abi_minor = NH_PLUGIN_ABI_MINOR, .size = sizeof(struct nh_api),
        .namespace_name = f_ns, .stage = f_stage, .logv = f_logv,
        .cfg_count = f_count, .cfg_get = f_get, .cfg_map_key = f_map_key, .cfg_bool = f_bool,
        .cfg_int = f_int, .cfg_mac = f_mac, .cfg_inet = f_inet, .cfg_errorv = f_errv, .cfg_warnv = f_warnv,
        .netns_fd = f_nsfd, .host_netns_fd = f_nsfd, .netlink = f_nl, .netlink_host = f_nl,
        .run_dir = f_dir, .state_dir = f_dir, .config_dir = f_dir, .etc_netns_dir = f_dir,
};

static int validate(const struct nh_plugin *p, const char *const *c)
{
        struct nh_ctx ctx = { &fake, NULL };
        cfg = c;
        errors = 0;
        last_error[0] = 0;
        return p->validate ? p->validate(&ctx) : 0;
}

START_TEST(test_descriptors)
{
        static const struct { const char *name; int order; uint32_t flags; } want[] = {
                { "netns", NH_ORDER_NETNS, NH_PLUGIN_OWNS_NETNS },
                { "macvlan", NH_ORDER_MACVLAN, NH_PLUGIN_NEEDS_NETNS },
                { "postup", NH_ORDER_POSTUP, NH_PLUGIN_NEEDS_NETNS | NH_PLUGIN_AFTER_ALL },
        };
        for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
                const struct nh_plugin *p = load(want[i].name);
                ck_assert_uint_eq(p->abi_major, NH_PLUGIN_ABI_MAJOR);
                ck_assert_uint_le(p->abi_minor, NH_PLUGIN_ABI_MINOR);
                ck_assert_str_eq(p->name, want[i].name);
                ck_assert_str_eq(p->stage, want[i].name);
                ck_assert_int_eq(p->order, want[i].order);
                ck_assert_uint_eq(p->flags, want[i].flags);
                ck_assert(p->version && p->description && *p->description);
                ck_assert(p->start && p->stop);
                /* Long-running stages only: none of these is. */
                ck_assert(!(p->flags & NH_PLUGIN_LONG_RUNNING));
        }
}
END_TEST

START_TEST(test_macvlan_keys)
{
        static const char *const expected[] = { "parent", "mac", "mode", "name", "address4", "gateway4",
                "address6", "gateway6", "privacy-ext", "sysctl", "mtu", "wait-dying", "dns", "search" };
        const struct nh_plugin *p = load("macvlan");
        size_t n = 0;

        for (const struct nh_key *k = p->keys; k->name; k++, n++) {
                ck_assert_msg(k->help && *k->help, "key %s has no help", k->name);
                if (k->type == NH_T_ENUM)
                        ck_assert(k->choices && strstr(k->choices, "bridge"));
                if (k->type == NH_T_INT)
                        ck_assert(k->min <= k->max);
                ck_assert_str_eq(k->name, expected[n]);
        }
        ck_assert_uint_eq(n, sizeof(expected) / sizeof(expected[0]));
        ck_assert_uint_eq(p->keys[0].flags & NH_KEY_REQUIRED, NH_KEY_REQUIRED);
}
END_TEST

/* The parent is "lo": every network namespace has it from birth, so the
 * test depends on no interface of the host (eth0 is ens3 elsewhere). */
START_TEST(test_macvlan_sysctl_keys)
{
        const struct nh_plugin *p = load("macvlan");
        static const char *const good[] = { "parent=lo", "sysctl@net.ipv4.ip_forward=1",
                "sysctl@net.ipv6.conf.all.use_tempaddr=2", "sysctl@net.ipv4.conf.nm_a-b.rp_filter=0",
                /* sysctl(8)'s two spellings of an interface with a dot */
                "sysctl@net/ipv4/conf/nm_web.prod/rp_filter=0", "sysctl@net.ipv4.conf.nm_web/prod.rp_filter=0",
                NULL };
        static const char *const bad[][3] = {
                { "parent=lo", "sysctl@kernel.panic=1", NULL },
                { "parent=lo", "sysctl@net.ipv4../../x=1", NULL },
                { "parent=lo", "sysctl@net/ipv4/../../kernel/panic=1", NULL },
                { "parent=lo", "sysctl@net/ipv4/./ip_forward=1", NULL },
                { "parent=lo", "sysctl@net.ipv4./..x=1", NULL },
                { "parent=lo", "sysctl@net/ipv4//ip_forward=1", NULL },
                { "parent=lo", "sysctl@kernel/panic=1", NULL },
                { "parent=lo", "sysctl@net.=1", NULL },
                { "parent=lo", "sysctl@net.ipv4.ip forward=1", NULL },
                { "parent=lo", "sysctl@net.ipv4.ip_forward=1\n2", NULL },
        };

        ck_assert_int_eq(validate(p, good), 0);
        ck_assert_int_eq(errors, 0);
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                ck_assert_int_eq(validate(p, bad[i]), -EINVAL);
                ck_assert_msg(strncmp(last_error, "sysctl: ", 8) == 0, "%s: %s", bad[i][1], last_error);
        }
}
END_TEST

START_TEST(test_macvlan_validate_without_netlink)
{
        /* No netlink to check the parent: a warning, not a refusal. */
        const struct nh_plugin *p = load("macvlan");
        static const char *const c[] = { "parent=lo", "mac=02:00:00:00:00:01", NULL };
        ck_assert_int_eq(validate(p, c), 0);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("stage-plugins");
        TCase *tc = tcase_create("plugins");
        SRunner *sr;
        int failed;

        tcase_add_test(tc, test_descriptors);
        tcase_add_test(tc, test_macvlan_keys);
        tcase_add_test(tc, test_macvlan_sysctl_keys);
        tcase_add_test(tc, test_macvlan_validate_without_netlink);
        suite_add_tcase(s, tc);
        sr = srunner_create(s);
        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
