/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the configuration module (core/conf.h): YAML and legacy
 * files good and bad, with the exact position of every reported mistake,
 * the key checks, and the value parsers.  Runs as any user. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/conf.h"
#include "engine/engine.h"
#include "base/util.h"
#include "config/yaml-dl.h"
#include "../nht-check.h"

static char dir[160];
static char *cache_dir_path;
static char *self_path;         /* this program, for --fresh-load */

/* ---- fixtures --------------------------------------------------------- */

static int rm_cb(const char *p, const struct stat *st, int flag, struct FTW *f)
{
        (void) st; (void) flag; (void) f;
        return remove(p);
}

static void setup(void)
{
        char ns[sizeof dir + 4];

        ck_assert_ptr_nonnull(nht_mkdtemp(dir, sizeof dir, "conf"));
        snprintf(ns, sizeof ns, "%s/ns", dir);
        ck_assert_int_eq(mkdir(ns, 0755), 0);
}

static void teardown(void)
{
        nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

static void put(const char *rel, const char *text)
{
        _cleanup_free_ char *p = strdup_printf("%s/%s", dir, rel);
        FILE *f = fopen(p, "w");

        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        ck_assert_int_eq(fclose(f), 0);
}

/* stderr capture: the messages are the interface under test. */
static int saved_fd = -1;
static char logbuf[65536];

static void capture_begin(void)
{
        _cleanup_free_ char *p = strdup_printf("%s/stderr", dir);
        int fd;

        fflush(stderr);
        saved_fd = dup(STDERR_FILENO);
        fd = open(p, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        ck_assert_int_ge(fd, 0);
        dup2(fd, STDERR_FILENO);
        close(fd);
}

static const char *capture_end(void)
{
        _cleanup_free_ char *p = strdup_printf("%s/stderr", dir);
        ssize_t n;
        int fd;

        fflush(stderr);
        dup2(saved_fd, STDERR_FILENO);
        close(saved_fd);
        fd = open(p, O_RDONLY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        n = read(fd, logbuf, sizeof logbuf - 1);
        close(fd);
        logbuf[n > 0 ? n : 0] = '\0';
        /* Echo it, so a failing test shows what was logged. */
        fputs(logbuf, stderr);
        return logbuf;
}

static unsigned count_lines(const char *s, const char *needle)
{
        unsigned n = 0;
        for (const char *p = s; (p = strstr(p, needle)); p++)
                n++;
        return n;
}

/* Asserts the log has "DIR/rel:pos: rest" somewhere. */
#define assert_logged(log, rel, rest)                                                   \
        do {                                                                            \
                _cleanup_free_ char *_want = strdup_printf("%s/%s%s", dir, rel, rest);  \
                ck_assert_msg(strstr((log), _want), "expected in log: %s\nlog:\n%s", _want, (log)); \
        } while (0)

#define assert_contains(log, s) \
        ck_assert_msg(strstr((log), (s)), "expected in log: %s\nlog:\n%s", (s), (log))

static int load_ns(const char *name, struct nh_ns_config **c, const char **log)
{
        int r;

        capture_begin();
        r = nh_ns_config_load(dir, name, c);
        *log = capture_end();
        return r;
}

static int load_global(struct nh_global_config **c, const char **log)
{
        int r;

        capture_begin();
        r = nh_global_config_load(dir, c);
        *log = capture_end();
        return r;
}

static void assert_stages(const struct nh_ns_config *c, const char *want)
{
        char got[512] = "";
        size_t o = 0;

        for (size_t i = 0; i < c->n_stages; i++)
                o += (size_t) snprintf(got + o, sizeof got - o, "%s%s", i ? "," : "", c->stages[i]);
        ck_assert_str_eq(got, want);
        ck_assert_ptr_null(c->stages[c->n_stages]);
}

/* ---- global configuration --------------------------------------------- */

START_TEST(global_missing_gives_defaults)
{
        struct nh_global_config *c = NULL;
        const char *log;

        ck_assert_int_eq(load_global(&c, &log), 0);
        ck_assert_str_eq(log, "");
        ck_assert(!c->exists);
        ck_assert(c->all_plugins);
        ck_assert_uint_eq(c->n_plugin_dirs, 1);
        ck_assert_str_eq(c->plugin_dirs[0], NH_PLUGINDIR);
        ck_assert_uint_eq(c->n_impls, 0);
        ck_assert_uint_eq(c->n_orders, 0);
        ck_assert_ptr_null(c->root);
        nh_global_config_free(c);
}
END_TEST

START_TEST(global_good)
{
        struct nh_global_config *c = NULL;
        const char *log;

        put("netns-helper.yaml",
            "# all keys\n"
            "plugin-dirs:\n"
            "  - /usr/lib/netns-helper/plugins\n"
            "  - /usr/local/lib/netns-helper/plugins\n"
            "plugins: [netns, macvlan, dhclient4, postup, macvlan]\n"
            "implementations:\n"
            "  dhcp4: dhclient4\n"
            "order:\n"
            "  dhclient4: 305\n");
        ck_assert_int_eq(load_global(&c, &log), 0);
        ck_assert_str_eq(log, "");
        ck_assert(c->exists);
        ck_assert(!c->all_plugins);
        ck_assert_uint_eq(c->n_plugin_dirs, 2);
        ck_assert_str_eq(c->plugin_dirs[1], "/usr/local/lib/netns-helper/plugins");
        ck_assert_uint_eq(c->n_plugins, 4);                     /* duplicate dropped */
        ck_assert_str_eq(c->plugins[2], "dhclient4");
        ck_assert_uint_eq(c->n_impls, 1);
        ck_assert_str_eq(c->impls[0].stage, "dhcp4");
        ck_assert_str_eq(c->impls[0].plugin, "dhclient4");
        ck_assert_uint_eq(c->impls[0].where->line, 7);
        ck_assert_uint_eq(c->impls[0].where->column, 10);
        ck_assert_uint_eq(c->n_orders, 1);
        ck_assert_str_eq(c->orders[0].plugin, "dhclient4");
        ck_assert_int_eq(c->orders[0].order, 305);
        ck_assert_uint_eq(c->orders[0].where->line, 9);
        ck_assert_ptr_nonnull(c->root);
        nh_global_config_free(c);
}
END_TEST

START_TEST(global_scalars)
{
        struct nh_global_config *c = NULL;
        const char *log;

        put("netns-helper.yaml", "plugin-dirs: /opt/nh/plugins\nplugins: all\n");
        ck_assert_int_eq(load_global(&c, &log), 0);
        ck_assert(c->all_plugins);
        ck_assert_uint_eq(c->n_plugin_dirs, 1);
        ck_assert_str_eq(c->plugin_dirs[0], "/opt/nh/plugins");
        nh_global_config_free(c);

        /* An empty list enables nothing; null keys mean "not set". */
        put("netns-helper.yaml", "plugins: []\nplugin-dirs:\norder: ~\n");
        ck_assert_int_eq(load_global(&c, &log), 0);
        ck_assert(!c->all_plugins);
        ck_assert_uint_eq(c->n_plugins, 0);
        ck_assert_str_eq(c->plugin_dirs[0], NH_PLUGINDIR);
        nh_global_config_free(c);

        put("netns-helper.yaml", "");
        ck_assert_int_eq(load_global(&c, &log), 0);
        ck_assert(c->exists);
        ck_assert(c->all_plugins);
        nh_global_config_free(c);
}
END_TEST

START_TEST(global_bad_reports_every_mistake)
{
        struct nh_global_config *c = NULL;
        const char *log;

        put("netns-helper.yaml",
            "plugin-dirs: [relative/dir, /ok]\n"
            "plugins: [netns, ../evil]\n"
            "implementations: [dhcp4]\n"
            "order:\n"
            "  macvlan: soon\n"
            "colour: blue\n");
        ck_assert_int_eq(load_global(&c, &log), -EINVAL);
        ck_assert_ptr_null(c);
        assert_logged(log, "netns-helper.yaml", ":1:15: plugin-dirs: 'relative/dir' is not an absolute path");
        assert_logged(log, "netns-helper.yaml", ":2:18: plugins: '../evil' is not a valid plugin name");
        assert_logged(log, "netns-helper.yaml", ":3:18: implementations: found a list; expected a mapping");
        assert_logged(log, "netns-helper.yaml", ":5:12: order.macvlan: 'soon' is not an integer");
        assert_logged(log, "netns-helper.yaml",
                      ":6:1: colour: unknown key; expected one of: plugin-dirs, plugins, implementations, order");
        ck_assert_uint_eq(count_lines(log, "\n"), 5);
}
END_TEST

START_TEST(global_bad_plugin_dirs)
{
        struct nh_global_config *c = NULL;
        const char *log;

        put("netns-helper.yaml", "plugin-dirs: []\n");
        ck_assert_int_eq(load_global(&c, &log), -EINVAL);
        assert_logged(log, "netns-helper.yaml", ":1:14: plugin-dirs: the list is empty");

        put("netns-helper.yaml", "plugin-dirs: {a: b}\n");
        ck_assert_int_eq(load_global(&c, &log), -EINVAL);
        assert_logged(log, "netns-helper.yaml", ":1:14: plugin-dirs: found a mapping");

        put("netns-helper.yaml", "plugin-dirs:\n  - [/a]\n");
        ck_assert_int_eq(load_global(&c, &log), -EINVAL);
        assert_logged(log, "netns-helper.yaml", ":2:5: plugin-dirs: found a list in the list");
}
END_TEST

/* ---- YAML structure ----------------------------------------------------- */

static void expect_yaml_error(const char *text, const char *where_and_what)
{
        struct nh_ns_config *c = NULL;
        const char *log;

        put("ns/bad.yaml", text);
        ck_assert_int_eq(load_ns("bad", &c, &log), -EINVAL);
        ck_assert_ptr_null(c);
        assert_logged(log, "ns/bad.yaml", where_and_what);
}

START_TEST(yaml_refusals)
{
        expect_yaml_error("macvlan: &m\n  parent: eth0\ndhcp4: *m\n", ":1:10: anchor '&m' is not supported");
        expect_yaml_error("macvlan: &m\n  parent: eth0\ndhcp4: *m\n", ":3:8: alias '*m' is not supported");
        expect_yaml_error("macvlan:\n  parent: !!str eth0\n", ":2:11: tag 'tag:yaml.org,2002:str' is not supported");
        expect_yaml_error("macvlan:\n  parent: !local eth0\n", ":2:11: tag '!local' is not supported");
        expect_yaml_error("macvlan: {}\n---\ndhcp4: {}\n", ":2:1: a second YAML document; expected one document per file");
        expect_yaml_error("macvlan:\n  parent: eth0\n  mode: bridge\n  parent: eth1\n",
                          ":4:3: duplicate key 'parent' (first at line 2, column 3); expected each key once");
        expect_yaml_error("macvlan: {}\nmacvlan: {}\n", ":2:1: duplicate key 'macvlan' (first at line 1, column 1)");
        expect_yaml_error("macvlan:\n  parent: [eth0\n",
                          ":3:1: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence"
                          " (which started at line 2, column 11); expected well-formed YAML");
        expect_yaml_error("macvlan:\n\tparent: eth0\n", ":2:1: invalid YAML: found character that cannot start any token");
        expect_yaml_error("- a\n- b\n", ":1:1: the file holds a list; expected a mapping");
        expect_yaml_error("just text\n", ":1:1: the file holds a single value; expected a mapping");
        expect_yaml_error("macvlan:\n  name: \"a\\0b\"\n", ":2:9: the value contains a NUL byte");
        expect_yaml_error("macvlan:\n  ? [a, b]\n  : c\n", ":2:5: a list is not a valid key");
        expect_yaml_error("macvlan:\n  \"\": c\n", ":2:3: an empty value is not a valid key");
        expect_yaml_error("stages: [netns, ~, postup]\n", ":1:17: empty list item; expected a value");
        expect_yaml_error("stages: []\n", ":1:9: stages: the list is empty; expected the stages to run");
}
END_TEST

START_TEST(yaml_every_mistake_reported)
{
        struct nh_ns_config *c = NULL;
        const char *log;

        put("ns/bad.yaml",
            "macvlan:\n"
            "  parent: eth0\n"
            "  parent: eth1\n"
            "  mac: !!str 02:00:00:00:00:01\n"
            "dhcp4: *x\n");
        /* libyaml stops at an undefined alias? No: it reports aliases as
         * events; the composer is ours.  All three mistakes are logged. */
        ck_assert_int_eq(load_ns("bad", &c, &log), -EINVAL);
        assert_logged(log, "ns/bad.yaml", ":3:3: duplicate key 'parent'");
        assert_logged(log, "ns/bad.yaml", ":4:8: tag");
        assert_logged(log, "ns/bad.yaml", ":5:8: alias '*x'");
}
END_TEST

START_TEST(yaml_empty_and_null)
{
        struct nh_ns_config *c = NULL;
        const char *log;

        put("ns/e.yaml", "");
        ck_assert_int_eq(load_ns("e", &c, &log), 0);
        ck_assert(c->exists && !c->legacy);
        ck_assert_int_eq(c->root->kind, NH_NODE_MAP);
        ck_assert_uint_eq(c->root->n, 0);
        assert_stages(c, "netns,postup");
        nh_ns_config_free(c);

        put("ns/e.yaml", "# only a comment\n~\n");
        ck_assert_int_eq(load_ns("e", &c, &log), 0);
        ck_assert_uint_eq(c->root->n, 0);
        nh_ns_config_free(c);

        put("ns/e.yaml", "---\n...\n");
        ck_assert_int_eq(load_ns("e", &c, &log), 0);
        ck_assert_uint_eq(c->root->n, 0);
        nh_ns_config_free(c);
}
END_TEST

/* ---- namespace configuration ------------------------------------------ */

START_TEST(ns_missing)
{
        struct nh_ns_config *c = NULL;
        const char *log;
        _cleanup_free_ char *yaml = strdup_printf("%s/ns/none.yaml", dir);
        _cleanup_free_ char *legacy = strdup_printf("%s/ns/none-macvlan.conf", dir);

        ck_assert_int_eq(load_ns("none", &c, &log), 0);
        ck_assert_str_eq(log, "");
        ck_assert(!c->exists);
        ck_assert(!c->legacy);
        ck_assert_str_eq(c->name, "none");
        ck_assert_str_eq(c->path, yaml);
        ck_assert_str_eq(c->legacy_path, legacy);
        ck_assert_int_eq(c->root->kind, NH_NODE_MAP);
        ck_assert_uint_eq(c->root->n, 0);
        ck_assert(!c->stages_explicit);
        assert_stages(c, "netns,postup");
        ck_assert_ptr_null(nh_ns_config_section(c, "macvlan"));
        nh_ns_config_free(c);
}
END_TEST

START_TEST(ns_good)
{
        struct nh_ns_config *c = NULL;
        const struct nh_node *mv, *n;
        const char *log;

        put("ns/web.yaml",
            "stages: [netns, macvlan, dhcp4, postup]\n"
            "implementations:\n"
            "  dhcp4: dhclient4\n"
            "macvlan:\n"
            "  parent: veth0\n"
            "  mac: \"02:a0:11:22:33:44\"\n"
            "  address4: 192.0.2.10/24\n"
            "  address6:\n"
            "  gateway6: ~\n"
            "  privacy-ext: 2\n"
            "  sysctl:\n"
            "    net.ipv6.conf.all.forwarding: 1\n"
            "dhcp4:\n"
            "postup: ~\n");
        ck_assert_int_eq(load_ns("web", &c, &log), 0);
        ck_assert_str_eq(log, "");
        ck_assert(c->exists && !c->legacy && c->stages_explicit);
        assert_stages(c, "netns,macvlan,dhcp4,postup");
        ck_assert_uint_eq(c->n_impls, 1);
        ck_assert_str_eq(c->impls[0].stage, "dhcp4");
        ck_assert_str_eq(c->impls[0].plugin, "dhclient4");

        mv = nh_ns_config_section(c, "macvlan");
        ck_assert_ptr_nonnull(mv);
        ck_assert_int_eq(mv->kind, NH_NODE_MAP);
        /* address6 and gateway6 have no value: not set. */
        ck_assert_uint_eq(mv->n, 5);
        ck_assert_ptr_null(nh_node_get(mv, "address6"));
        ck_assert_ptr_null(nh_node_get(mv, "gateway6"));
        n = nh_node_get(mv, "mac");
        ck_assert_str_eq(n->value, "02:a0:11:22:33:44");
        ck_assert_uint_eq(n->line, 6);
        ck_assert_uint_eq(n->column, 8);
        ck_assert_str_eq(n->file, c->path);
        n = nh_node_get(nh_node_get(mv, "sysctl"), "net.ipv6.conf.all.forwarding");
        ck_assert_str_eq(n->value, "1");
        ck_assert_uint_eq(n->line, 12);
        ck_assert_uint_eq(n->column, 35);

        n = nh_ns_config_section(c, "dhcp4");
        ck_assert_ptr_nonnull(n);
        ck_assert_int_eq(n->kind, NH_NODE_MAP);
        ck_assert_uint_eq(n->n, 0);
        ck_assert_ptr_nonnull(nh_ns_config_section(c, "postup"));
        ck_assert_ptr_null(nh_ns_config_section(c, "dhcp6"));
        ck_assert_ptr_null(nh_ns_config_section(c, "stages"));
        ck_assert_ptr_null(nh_ns_config_section(c, "implementations"));
        nh_ns_config_free(c);
}
END_TEST

/* The default stages of ns/d.yaml (text) under the current global file,
 * as "a,b,c". */
static const char *defaults_of(const char *text)
{
        static char got[512];
        struct nh_ns_config *c = NULL;
        const char *log;
        size_t o = 0;

        put("ns/d.yaml", text);
        ck_assert_msg(load_ns("d", &c, &log) == 0, "%s", log);
        got[0] = '\0';
        for (size_t i = 0; i < c->n_stages; i++)
                o += (size_t) snprintf(got + o, sizeof got - o, "%s%s", i ? "," : "", c->stages[i]);
        nh_ns_config_free(c);
        return got;
}

/* The stages of a file without "stages:" are data: "default-stages:" of
 * netns-helper.yaml; what it leaves out is the original tool's. */
START_TEST(ns_default_stages_from_global)
{
        struct nh_global_config *g = NULL;
        const char *log;

        put("netns-helper.yaml", "default-stages:\n  first: [alpha]\n  if-missing:\n    mac.address4: dhcp6\n"
                                 "  last: [omega, postup]\n");
        ck_assert_str_eq(defaults_of("mac:\n  parent: veth0\n"), "alpha,mac,dhcp6,omega,postup");
        ck_assert_str_eq(defaults_of("mac:\n  address4: 192.0.2.2\n"), "alpha,mac,omega,postup");
        /* The global file the process holds is the one used. */
        ck_assert_int_eq(load_global(&g, &log), 0);
        put("netns-helper.yaml", "");
        ck_assert_str_eq(defaults_of("x: {}\n"), "alpha,x,omega,postup");
        nh_global_config_free(g);
        ck_assert_str_eq(defaults_of("x: {}\n"), "netns,x,postup");
        /* Only "last:" given: first and if-missing stay the original's. */
        put("netns-helper.yaml", "default-stages:\n  last: []\n");
        ck_assert_str_eq(defaults_of("macvlan:\n  parent: veth0\n"), "netns,macvlan,dhcp4");
        /* A legacy file is its macvlan section under the same rule. */
        unlink(strdup_printf("%s/ns/d.yaml", dir));
        put("ns/d-macvlan.conf", "PARENT_IF=veth0\n");
        put("netns-helper.yaml", "default-stages:\n  first: [ns2]\n");
        {
                struct nh_ns_config *c = NULL;
                ck_assert_int_eq(load_ns("d", &c, &log), 0);
                assert_stages(c, "ns2,macvlan,dhcp4,postup");
                nh_ns_config_free(c);
        }
}
END_TEST

/* The shipped netns-helper.yaml says what the original tool did: every
 * file gets the stages it got without it. */
START_TEST(ns_default_stages_shipped)
{
        static const char *const files[] = {
                "macvlan:\n  parent: veth0\n",
                "macvlan:\n  parent: veth0\n  address4: 192.0.2.2/24\n",
                "dhcp6: {}\nmacvlan:\n  parent: veth0\ndhcp4:\n  x: 1\npostup:\nnetns:\n",
                "implementations: {dhcp4: dhclient4}\nveth: {}\n",
                "macvlan:\nwireguard: {}\n",
                "",
        };
        _cleanup_free_ char *shipped = NULL, *text = NULL;

        shipped = strdup_printf("%s/../../../conf/netns-helper.yaml", TEST_CONFDIR);
        ck_assert_int_eq(read_file(shipped, &text, NULL), 0);
        ck_assert_ptr_nonnull(strstr(text, "\ndefault-stages:"));
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *without = NULL;

                unlink(strdup_printf("%s/netns-helper.yaml", dir));
                without = strdup(defaults_of(files[i]));
                put("netns-helper.yaml", text);
                ck_assert_str_eq(defaults_of(files[i]), without);
        }
}
END_TEST

START_TEST(global_default_stages_errors)
{
        struct nh_global_config *g = NULL;
        const char *log;

        put("netns-helper.yaml", "default-stages:\n  first: [a b]\n  later: []\n  if-missing:\n    macvlan: dhcp4\n"
                                 "    x.y: [z]\n");
        ck_assert_int_eq(load_global(&g, &log), -EINVAL);
        assert_logged(log, "netns-helper.yaml", ":2:11: default-stages.first: 'a b' is not a valid stage name");
        assert_logged(log, "netns-helper.yaml", ":3:3: default-stages: unknown key 'later'; expected one of: "
                                                "first, if-missing, last");
        assert_logged(log, "netns-helper.yaml", ":5:5: default-stages.if-missing: 'macvlan' is not SECTION.KEY");
        assert_logged(log, "netns-helper.yaml", ":6:10: default-stages.if-missing: found a list; expected the name of a stage");
        put("netns-helper.yaml", "default-stages: [netns]\n");
        ck_assert_int_eq(load_global(&g, &log), -EINVAL);
        assert_logged(log, "netns-helper.yaml", ":1:17: default-stages: found a list; expected a mapping");
}
END_TEST

START_TEST(ns_default_stages)
{
        struct nh_ns_config *c = NULL;
        const char *log;

        /* macvlan without address4 and no dhcp4 section: dhcp4 is added. */
        put("ns/d.yaml", "macvlan:\n  parent: veth0\n");
        ck_assert_int_eq(load_ns("d", &c, &log), 0);
        assert_stages(c, "netns,macvlan,dhcp4,postup");
        ck_assert(!c->stages_explicit);
        nh_ns_config_free(c);

        put("ns/d.yaml", "macvlan:\n  parent: veth0\n  address4: 192.0.2.2/24\n");
        ck_assert_int_eq(load_ns("d", &c, &log), 0);
        assert_stages(c, "netns,macvlan,postup");
        nh_ns_config_free(c);

        /* File order; duplicates (netns, postup) dropped. */
        put("ns/d.yaml", "dhcp6: {}\nmacvlan:\n  parent: veth0\ndhcp4:\n  x: 1\npostup:\nnetns:\n");
        ck_assert_int_eq(load_ns("d", &c, &log), 0);
        assert_stages(c, "netns,dhcp6,macvlan,dhcp4,postup");
        nh_ns_config_free(c);

        put("ns/d.yaml", "implementations: {dhcp4: dhclient4}\nveth: {}\n");
        ck_assert_int_eq(load_ns("d", &c, &log), 0);
        assert_stages(c, "netns,veth,postup");
        nh_ns_config_free(c);

        /* "stages:" with no value is as if absent. */
        put("ns/d.yaml", "stages:\nmacvlan: {address4: 192.0.2.2}\n");
        ck_assert_int_eq(load_ns("d", &c, &log), 0);
        assert_stages(c, "netns,macvlan,postup");
        nh_ns_config_free(c);

        /* A single stage as a scalar is explicit. */
        put("ns/d.yaml", "stages: netns\nmacvlan: {}\n");
        ck_assert_int_eq(load_ns("d", &c, &log), 0);
        ck_assert(c->stages_explicit);
        assert_stages(c, "netns");
        nh_ns_config_free(c);
}
END_TEST

START_TEST(ns_bad_top_level)
{
        struct nh_ns_config *c = NULL;
        const char *log;

        put("ns/b.yaml",
            "stages: [netns, macvlan, netns, \"a b\"]\n"
            "implementations:\n"
            "  dhcp4: [x]\n"
            "macvlan: eth0\n"
            "dhcp4: [a]\n"
            "Bad/Name: {}\n");
        ck_assert_int_eq(load_ns("b", &c, &log), -EINVAL);
        ck_assert_ptr_null(c);
        assert_logged(log, "ns/b.yaml", ":1:26: stages: 'netns' is listed twice");
        assert_logged(log, "ns/b.yaml", ":1:33: stages: 'a b' is not a valid stage name");
        assert_logged(log, "ns/b.yaml", ":3:10: implementations.dhcp4: found a list; expected the name of a plugin");
        assert_logged(log, "ns/b.yaml", ":4:10: macvlan: found a single value; expected a mapping of keys");
        assert_logged(log, "ns/b.yaml", ":5:8: dhcp4: found a list; expected a mapping of keys");
        assert_logged(log, "ns/b.yaml", ":6:1: 'Bad/Name' is not a valid section (stage) name");
        ck_assert_uint_eq(count_lines(log, "\n"), 6);
}
END_TEST

START_TEST(ns_yaml_wins_over_legacy)
{
        struct nh_ns_config *c = NULL;
        const char *log;
        _cleanup_free_ char *yaml = strdup_printf("%s/ns/both.yaml", dir);
        _cleanup_free_ char *legacy = strdup_printf("%s/ns/both-macvlan.conf", dir);

        put("ns/both.yaml", "macvlan:\n  parent: veth1\n  address4: 192.0.2.3\n");
        put("ns/both-macvlan.conf", "PARENT_IF=veth0\n");
        ck_assert_int_eq(load_ns("both", &c, &log), 0);
        ck_assert(c->exists && !c->legacy);
        ck_assert_str_eq(c->path, yaml);
        ck_assert_str_eq(nh_node_get(nh_ns_config_section(c, "macvlan"), "parent")->value, "veth1");
        /* One warning naming both files. */
        ck_assert_uint_eq(count_lines(log, "\n"), 1);
        assert_contains(log, "<4>");
        assert_contains(log, legacy);
        assert_contains(log, yaml);
        assert_contains(log, "ignored");
        nh_ns_config_free(c);
}
END_TEST

/* ---- legacy files ------------------------------------------------------ */

START_TEST(legacy_good)
{
        struct nh_ns_config *c = NULL;
        const struct nh_node *mv, *n;
        const char *log;
        _cleanup_free_ char *legacy = strdup_printf("%s/ns/old-macvlan.conf", dir);

        put("ns/old-macvlan.conf",
            "# MAC address for macvlan interface.\n"
            "MAC=\"02:a0:11:22:33:44\"\n"
            "\n"
            "   export PARENT_IF='veth0'   # the host side\n"
            "IPADDR4=\n"
            "#DEFAULT_GATEWAY4=192.0.2.1\n"
            "IPADDR6=2001:db8::10/64\r\n"
            "DEFAULT_GATEWAY6=\"\"\n"
            "PRIVACY_EXT=2 # use_tempaddr\n");
        ck_assert_int_eq(load_ns("old", &c, &log), 0);
        ck_assert_str_eq(log, "");
        ck_assert(c->exists && c->legacy);
        ck_assert_str_eq(c->path, legacy);
        ck_assert_str_eq(c->legacy_path, legacy);
        assert_stages(c, "netns,macvlan,dhcp4,postup");

        mv = nh_ns_config_section(c, "macvlan");
        ck_assert_ptr_nonnull(mv);
        ck_assert_uint_eq(mv->n, 4);
        n = nh_node_get(mv, "mac");
        ck_assert_str_eq(n->value, "02:a0:11:22:33:44");
        ck_assert_uint_eq(n->line, 2);
        ck_assert_uint_eq(n->column, 5);
        ck_assert_str_eq(n->file, legacy);
        n = nh_node_get(mv, "parent");
        ck_assert_str_eq(n->value, "veth0");
        ck_assert_uint_eq(n->line, 4);
        ck_assert_uint_eq(n->column, 21);
        ck_assert_str_eq(nh_node_get(mv, "address6")->value, "2001:db8::10/64");
        ck_assert_str_eq(nh_node_get(mv, "privacy-ext")->value, "2");
        ck_assert_ptr_null(nh_node_get(mv, "address4"));
        ck_assert_ptr_null(nh_node_get(mv, "gateway4"));
        ck_assert_ptr_null(nh_node_get(mv, "gateway6"));
        nh_ns_config_free(c);

        /* With IPADDR4 there is no dhcp4 stage. */
        put("ns/old-macvlan.conf", "PARENT_IF=veth0\nIPADDR4=192.0.2.10/24\nDEFAULT_GATEWAY4=192.0.2.1\n");
        ck_assert_int_eq(load_ns("old", &c, &log), 0);
        assert_stages(c, "netns,macvlan,postup");
        nh_ns_config_free(c);
}
END_TEST

START_TEST(legacy_quotes)
{
        struct nh_ns_config *c = NULL;
        const struct nh_node *mv;
        const char *log;

        /* Keys are only checked for names here; values as data. */
        put("ns/q-macvlan.conf",
            "MAC=\"a \\\"quoted\\\" $HOME \\n value\"\n"
            "PARENT_IF='$(reboot) `id` \\\"'\n"
            "IPADDR6=a#b\n");
        ck_assert_int_eq(load_ns("q", &c, &log), 0);
        mv = nh_ns_config_section(c, "macvlan");
        ck_assert_str_eq(nh_node_get(mv, "mac")->value, "a \"quoted\" $HOME \\n value");
        ck_assert_str_eq(nh_node_get(mv, "parent")->value, "$(reboot) `id` \\\"");
        ck_assert_str_eq(nh_node_get(mv, "address6")->value, "a#b");
        nh_ns_config_free(c);
}
END_TEST

START_TEST(legacy_bad)
{
        struct nh_ns_config *c = NULL;
        const char *log;

        put("ns/bad-macvlan.conf",
            "MAC=02:a0:11:22:33:44\n"
            "GATEWAY=192.0.2.1\n"
            "PARENT_IF = veth0\n"
            "IPADDR4=\"192.0.2.1\n"
            "IPADDR6='2001:db8::1\n"
            "DEFAULT_GATEWAY6=$(rm -rf /)\n"
            "PRIVACY_EXT=2 2\n"
            "echo hello\n"
            "DEFAULT_GATEWAY4=\"a\"'b'\n"
            "MAC=x\\y\n"
            "  1X=2\n");
        ck_assert_int_eq(load_ns("bad", &c, &log), -EINVAL);
        ck_assert_ptr_null(c);
        assert_logged(log, "ns/bad-macvlan.conf",
                      ":2:1: GATEWAY: unknown key; expected one of: MAC, PARENT_IF, IPADDR4, DEFAULT_GATEWAY4, IPADDR6, DEFAULT_GATEWAY6, PRIVACY_EXT");
        assert_logged(log, "ns/bad-macvlan.conf", ":3:1: not a KEY=VALUE line (no spaces around '=')");
        assert_logged(log, "ns/bad-macvlan.conf", ":4:1: the double quote is not closed");
        assert_logged(log, "ns/bad-macvlan.conf", ":5:1: the single quote is not closed");
        assert_logged(log, "ns/bad-macvlan.conf", ":6:1: text after the value");
        assert_logged(log, "ns/bad-macvlan.conf", ":7:1: text after the value");
        assert_logged(log, "ns/bad-macvlan.conf", ":8:1: not a KEY=VALUE line");
        assert_logged(log, "ns/bad-macvlan.conf", ":9:1: text after the value");
        assert_logged(log, "ns/bad-macvlan.conf", ":10:1: a quote or backslash inside an unquoted value");
        assert_logged(log, "ns/bad-macvlan.conf", ":11:1: not a KEY=VALUE line");
        ck_assert_uint_eq(count_lines(log, "\n"), 10);
}
END_TEST

START_TEST(legacy_repeated_key_last_wins)
{
        struct nh_ns_config *c = NULL;
        const char *log;

        put("ns/r-macvlan.conf", "PARENT_IF=veth0\nMAC=02:00:00:00:00:01\nPARENT_IF=veth1\n");
        ck_assert_int_eq(load_ns("r", &c, &log), 0);
        assert_logged(log, "ns/r-macvlan.conf", ":3:1: PARENT_IF: set again (first at line 1); the last value is used");
        ck_assert_str_eq(nh_node_get(nh_ns_config_section(c, "macvlan"), "parent")->value, "veth1");
        ck_assert_uint_eq(nh_ns_config_section(c, "macvlan")->n, 2);
        nh_ns_config_free(c);

        /* An empty value later unsets it, as a shell would. */
        put("ns/r-macvlan.conf", "PARENT_IF=veth0\nPARENT_IF=\n");
        ck_assert_int_eq(load_ns("r", &c, &log), 0);
        ck_assert_ptr_null(nh_node_get(nh_ns_config_section(c, "macvlan"), "parent"));
        nh_ns_config_free(c);
}
END_TEST

/* The macvlan plugin's key table, as far as this test needs it. */
static const struct nh_key macvlan_keys[] = {
        { "parent", NH_T_IFNAME, NH_KEY_REQUIRED, 0, 0, NULL, "the host interface the macvlan sits on, such as eth0" },
        { "mac", NH_T_MAC, 0, 0, 0, NULL, NULL },
        { "address4", NH_T_IPV4_PREFIX, NH_KEY_LIST, 0, 0, NULL, NULL },
        { "gateway4", NH_T_IPV4, 0, 0, 0, NULL, NULL },
        { "address6", NH_T_IPV6_PREFIX, NH_KEY_LIST, 0, 0, NULL, NULL },
        { "gateway6", NH_T_IPV6, 0, 0, 0, NULL, NULL },
        { "privacy-ext", NH_T_INT, 0, 0, 2, NULL, NULL },
        { "mode", NH_T_ENUM, 0, 0, 0, "bridge|private|vepa|passthru", NULL },
        { "name", NH_T_IFNAME, 0, 0, 0, NULL, NULL },
        { "sysctl", NH_T_MAP, 0, 0, 0, NULL, NULL },
        {}
};

START_TEST(legacy_command_substitution_is_data)
{
        struct nh_ns_config *c = NULL;
        _cleanup_free_ char *marker = strdup_printf("%s/executed", dir);
        _cleanup_free_ char *text = strdup_printf("PARENT_IF=veth0\nMAC=\"$(touch %s)\"\nIPADDR4='`touch %s`'\n",
                                                  marker, marker);
        const char *log;
        int r;

        put("ns/sub-macvlan.conf", text);
        ck_assert_int_eq(load_ns("sub", &c, &log), 0);
        capture_begin();
        r = nh_section_check(c, "macvlan", nh_ns_config_section(c, "macvlan"), macvlan_keys);
        log = capture_end();
        ck_assert_int_eq(r, -EINVAL);
        assert_logged(log, "ns/sub-macvlan.conf", ":2:5: MAC: '$(touch ");
        assert_contains(log, "is not a MAC address; expected six hexadecimal pairs");
        assert_logged(log, "ns/sub-macvlan.conf", ":3:9: IPADDR4: '`touch ");
        ck_assert_int_eq(access(marker, F_OK), -1);
        nh_ns_config_free(c);
}
END_TEST

START_TEST(legacy_section_check_names_legacy_keys)
{
        struct nh_ns_config *c = NULL;
        const char *log;
        int r;

        put("ns/l-macvlan.conf", "MAC=01:00:5e:00:00:01\nPRIVACY_EXT=3\n");
        ck_assert_int_eq(load_ns("l", &c, &log), 0);
        capture_begin();
        r = nh_section_check(c, "macvlan", nh_ns_config_section(c, "macvlan"), macvlan_keys);
        log = capture_end();
        ck_assert_int_eq(r, -EINVAL);
        assert_logged(log, "ns/l-macvlan.conf",
                      ":1:5: MAC: '01:00:5e:00:00:01' is a multicast address; expected a unicast MAC such as 02:a0:11:22:33:44");
        assert_logged(log, "ns/l-macvlan.conf", ":2:13: PRIVACY_EXT: '3' is out of range; expected an integer from 0 to 2");
        assert_logged(log, "ns/l-macvlan.conf", ": PARENT_IF: required key is missing; expected the host interface");
        ck_assert_uint_eq(count_lines(log, "\n"), 3);
        nh_ns_config_free(c);
}
END_TEST

/* ---- section checks ------------------------------------------------------ */

/* One key of every type. */
static const struct nh_key all_keys[] = {
        { "s", NH_T_STRING, 0, 0, 0, NULL, NULL },
        { "b", NH_T_BOOL, 0, 0, 0, NULL, NULL },
        { "i", NH_T_INT, 0, -5, 10, NULL, NULL },
        { "e", NH_T_ENUM, 0, 0, 0, "bridge|private|vepa", NULL },
        { "if", NH_T_IFNAME, 0, 0, 0, NULL, NULL },
        { "mac", NH_T_MAC, 0, 0, 0, NULL, NULL },
        { "v4", NH_T_IPV4, 0, 0, 0, NULL, NULL },
        { "v6", NH_T_IPV6, 0, 0, 0, NULL, NULL },
        { "p4", NH_T_IPV4_PREFIX, NH_KEY_LIST, 0, 0, NULL, NULL },
        { "p6", NH_T_IPV6_PREFIX, NH_KEY_LIST, 0, 0, NULL, NULL },
        { "path", NH_T_PATH, 0, 0, 0, NULL, NULL },
        { "map", NH_T_MAP, 0, 0, 0, NULL, NULL },
        { "req", NH_T_STRING, NH_KEY_REQUIRED, 0, 0, NULL, "anything at all" },
        {}
};

static int check_section(const char *text, struct nh_ns_config **cp, const char **log)
{
        struct nh_ns_config *c = NULL;
        int r;

        put("ns/s.yaml", text);
        ck_assert_int_eq(load_ns("s", &c, log), 0);
        capture_begin();
        r = nh_section_check(c, "demo", nh_ns_config_section(c, "demo"), all_keys);
        *log = capture_end();
        *cp = c;
        return r;
}

START_TEST(section_good)
{
        struct nh_ns_config *c;
        const char *log;

        ck_assert_int_eq(check_section(
                "demo:\n"
                "  s: \"any thing\"\n"
                "  b: yes\n"
                "  i: -5\n"
                "  e: vepa\n"
                "  if: veth0.100\n"
                "  mac: 02-A0-11-22-33-44\n"
                "  v4: 192.0.2.1\n"
                "  v6: fe80::1\n"
                "  p4: [192.0.2.10/24, 198.51.100.7]\n"
                "  p6: 2001:db8::1/64\n"
                "  path: /etc/netns-helper/hook\n"
                "  map: {net.ipv6.conf.all.use_tempaddr: 2, a: b}\n"
                "  req: x\n", &c, &log), 0);
        ck_assert_str_eq(log, "");
        nh_ns_config_free(c);
}
END_TEST

START_TEST(section_bad_values)
{
        struct nh_ns_config *c;
        const char *log;

        ck_assert_int_eq(check_section(
                "demo:\n"
                "  s: [a, b]\n"                         /* 2 */
                "  b: maybe\n"                          /* 3 */
                "  i: 11\n"                             /* 4 */
                "  e: macvtap\n"                        /* 5 */
                "  if: this-name-is-too-long\n"         /* 6 */
                "  mac: 00:00:00:00:00:00\n"            /* 7 */
                "  v4: 2001:db8::1\n"                   /* 8 */
                "  v6: 2001:db8::1/64\n"                /* 9 */
                "  p4: [192.0.2.10/24, 192.0.2.1/33]\n" /* 10 */
                "  p6: {a: b}\n"                        /* 11 */
                "  path: relative/hook\n"               /* 12 */
                "  map: [a]\n"                          /* 13 */
                "  colour: blue\n", &c, &log), -EINVAL);/* 14 */
        assert_logged(log, "ns/s.yaml", ":2:6: demo.s: found a list; expected a single value");
        assert_logged(log, "ns/s.yaml", ":3:6: demo.b: 'maybe' is not a boolean; expected yes/no, true/false, on/off or 1/0");
        assert_logged(log, "ns/s.yaml", ":4:6: demo.i: '11' is out of range; expected an integer from -5 to 10");
        assert_logged(log, "ns/s.yaml", ":5:6: demo.e: 'macvtap' is not a valid choice; expected one of: bridge, private, vepa");
        assert_logged(log, "ns/s.yaml", ":6:7: demo.if: 'this-name-is-too-long' is not a valid interface name");
        assert_logged(log, "ns/s.yaml", ":7:8: demo.mac: '00:00:00:00:00:00' is the all-zero address");
        assert_logged(log, "ns/s.yaml", ":8:7: demo.v4: '2001:db8::1' is an IPv6 address; expected an IPv4 address");
        assert_logged(log, "ns/s.yaml", ":9:7: demo.v6: '2001:db8::1/64' has a prefix length, which this key does not take");
        assert_logged(log, "ns/s.yaml", ":10:23: demo.p4: '192.0.2.1/33' has a prefix length out of range");
        assert_logged(log, "ns/s.yaml", ":11:7: demo.p6: found a mapping; expected a single value");
        assert_logged(log, "ns/s.yaml", ":12:9: demo.path: 'relative/hook' is not an absolute path");
        assert_logged(log, "ns/s.yaml", ":13:8: demo.map: found a list; expected a mapping of keys to values");
        assert_logged(log, "ns/s.yaml",
                      ":14:3: demo.colour: unknown key; expected one of: s, b, i, e, if, mac, v4, v6, p4, p6, path, map, req");
        assert_logged(log, "ns/s.yaml", ":1:1: demo.req: required key is missing; expected anything at all");
        ck_assert_uint_eq(count_lines(log, "\n"), 14);
        nh_ns_config_free(c);
}
END_TEST

START_TEST(section_map_values_must_be_scalars)
{
        struct nh_ns_config *c;
        const char *log;

        ck_assert_int_eq(check_section("demo:\n  req: x\n  map:\n    a: [1]\n    b: 2\n", &c, &log), -EINVAL);
        assert_logged(log, "ns/s.yaml", ":4:8: demo.map.a: found a list; expected a single value");
        ck_assert_uint_eq(count_lines(log, "\n"), 1);
        nh_ns_config_free(c);
}
END_TEST

START_TEST(section_absent_or_empty)
{
        struct nh_ns_config *c = NULL;
        const char *log;
        int r;

        /* Absent: only the required key matters, and the file is named. */
        put("ns/s.yaml", "other: {}\n");
        ck_assert_int_eq(load_ns("s", &c, &log), 0);
        capture_begin();
        r = nh_section_check(c, "demo", NULL, all_keys);
        log = capture_end();
        ck_assert_int_eq(r, -EINVAL);
        assert_logged(log, "ns/s.yaml", ": demo.req: required key is missing");
        ck_assert_uint_eq(count_lines(log, "\n"), 1);

        /* A stage without keys takes an absent or empty section, nothing else. */
        capture_begin();
        r = nh_section_check(c, "other", nh_ns_config_section(c, "other"), NULL);
        log = capture_end();
        ck_assert_int_eq(r, 0);
        ck_assert_str_eq(log, "");
        nh_ns_config_free(c);

        put("ns/s.yaml", "other:\n  x: 1\n");
        ck_assert_int_eq(load_ns("s", &c, &log), 0);
        capture_begin();
        r = nh_section_check(c, "other", nh_ns_config_section(c, "other"), NULL);
        log = capture_end();
        ck_assert_int_eq(r, -EINVAL);
        assert_logged(log, "ns/s.yaml", ":2:3: other.x: unknown key; the other stage takes no keys");
        nh_ns_config_free(c);

        /* "demo:" alone is an empty section: the required key is reported at the section. */
        ck_assert_int_eq(check_section("\ndemo:\n", &c, &log), -EINVAL);
        assert_logged(log, "ns/s.yaml", ":2:1: demo.req: required key is missing");
        nh_ns_config_free(c);
}
END_TEST

START_TEST(section_lists)
{
        struct nh_ns_config *c;
        const char *log;

        ck_assert_int_eq(check_section("demo:\n  req: x\n  p4: []\n  p6:\n    - 2001:db8::1\n    - fe80::/10\n", &c, &log), 0);
        nh_ns_config_free(c);

        ck_assert_int_eq(check_section("demo:\n  req: x\n  p6:\n    - 2001:db8::1\n    - [fe80::1]\n", &c, &log), -EINVAL);
        assert_logged(log, "ns/s.yaml", ":5:7: demo.p6: found a list; expected a single value");
        nh_ns_config_free(c);

        ck_assert_int_eq(check_section("demo:\n  req: [x]\n", &c, &log), -EINVAL);
        assert_logged(log, "ns/s.yaml", ":2:8: demo.req: found a list; expected a single value");
        nh_ns_config_free(c);
}
END_TEST

START_TEST(check_sections)
{
        static const char *const known[] = { "netns", "macvlan", "dhcp4", "postup" };
        struct nh_ns_config *c = NULL;
        const char *log;
        int r;

        put("ns/k.yaml",
            "stages: [netns, macvlan, dhcp9]\n"
            "implementations: {dhcp4: dhclient4, dhcp7: x}\n"
            "macvlan: {}\n"
            "macvlann: {}\n");
        ck_assert_int_eq(load_ns("k", &c, &log), 0);
        capture_begin();
        r = nh_ns_config_check_sections(c, known, ELEMENTSOF(known));
        log = capture_end();
        ck_assert_int_eq(r, -EINVAL);
        assert_logged(log, "ns/k.yaml",
                      ":4:1: macvlann: unknown section; expected 'stages', 'implementations' or a stage: netns, macvlan, dhcp4, postup");
        assert_logged(log, "ns/k.yaml", ":1:26: stages: 'dhcp9' is not a known stage; expected one of: netns, macvlan, dhcp4, postup");
        assert_logged(log, "ns/k.yaml", ":2:37: implementations: 'dhcp7' is not a known stage");
        ck_assert_uint_eq(count_lines(log, "\n"), 3);
        nh_ns_config_free(c);

        put("ns/k.yaml", "stages: [netns, macvlan]\nmacvlan: {}\npostup:\n");
        ck_assert_int_eq(load_ns("k", &c, &log), 0);
        ck_assert_int_eq(nh_ns_config_check_sections(c, known, ELEMENTSOF(known)), 0);
        nh_ns_config_free(c);
}
END_TEST

START_TEST(report_format)
{
        struct nh_node n = { .file = "/x/ns/web.yaml", .line = 4, .column = 8 };
        const char *log;

        capture_begin();
        nh_config_report(NH_LOG_ERR, NULL, &n, "macvlan.mac", "bad %s", "thing");
        nh_config_report(NH_LOG_WARNING, "/x/a.yaml", NULL, "k", "w");
        nh_config_report(NH_LOG_ERR, "/x/a.yaml", NULL, NULL, "plain");
        log = capture_end();
        assert_contains(log, "<3>/x/ns/web.yaml:4:8: macvlan.mac: bad thing\n");
        assert_contains(log, "<4>/x/a.yaml: k: w\n");
        assert_contains(log, "<3>/x/a.yaml: plain\n");
}
END_TEST

/* ---- value parsers --------------------------------------------------------- */

START_TEST(parse_bool)
{
        static const struct { const char *s; int r, v; } t[] = {
                { "yes", 0, 1 }, { "YES", 0, 1 }, { "true", 0, 1 }, { "On", 0, 1 }, { "1", 0, 1 },
                { "no", 0, 0 }, { "False", 0, 0 }, { "off", 0, 0 }, { "0", 0, 0 },
                { "", -EINVAL, 0 }, { "y", -EINVAL, 0 }, { "2", -EINVAL, 0 }, { " yes", -EINVAL, 0 },
                { "yes ", -EINVAL, 0 }, { "enable", -EINVAL, 0 },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                int v = -1;
                ck_assert_msg(nh_parse_bool(t[i].s, &v) == t[i].r, "nh_parse_bool(\"%s\")", t[i].s);
                if (t[i].r == 0)
                        ck_assert_int_eq(v, t[i].v);
        }
        ck_assert_int_eq(nh_parse_bool(NULL, NULL), -EINVAL);
}
END_TEST

START_TEST(parse_int)
{
        static const struct { const char *s; int r; long long v; } t[] = {
                { "0", 0, 0 }, { "42", 0, 42 }, { "-7", 0, -7 }, { "+7", 0, 7 }, { "010", 0, 10 },
                { "9223372036854775807", 0, 9223372036854775807LL },
                { "-9223372036854775808", 0, -9223372036854775807LL - 1 },
                { "9223372036854775808", -ERANGE, 0 }, { "99999999999999999999999", -ERANGE, 0 },
                { "", -EINVAL, 0 }, { "-", -EINVAL, 0 }, { " 1", -EINVAL, 0 }, { "1 ", -EINVAL, 0 },
                { "0x10", -EINVAL, 0 }, { "1e3", -EINVAL, 0 }, { "1.0", -EINVAL, 0 }, { "--1", -EINVAL, 0 },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                long long v = -1;
                ck_assert_msg(nh_parse_int(t[i].s, &v) == t[i].r, "nh_parse_int(\"%s\")", t[i].s);
                if (t[i].r == 0)
                        ck_assert_msg(v == t[i].v, "nh_parse_int(\"%s\") = %lld", t[i].s, v);
        }
}
END_TEST

START_TEST(parse_mac)
{
        static const struct { const char *s; int r; } t[] = {
                { "02:a0:11:22:33:44", 0 }, { "02:A0:11:22:33:44", 0 }, { "02-a0-11-22-33-44", 0 },
                { "00:00:00:00:00:01", 0 }, { "fe:ff:ff:ff:ff:ff", 0 },
                { "01:00:5e:00:00:01", -EDOM }, { "33:33:00:00:00:01", -EDOM }, { "ff:ff:ff:ff:ff:ff", -EDOM },
                { "00:00:00:00:00:00", -ERANGE }, { "00-00-00-00-00-00", -ERANGE },
                { "", -EINVAL }, { "02:a0:11:22:33", -EINVAL }, { "02:a0:11:22:33:44:55", -EINVAL },
                { "02:a0-11:22:33:44", -EINVAL }, { "2:a0:11:22:33:44", -EINVAL }, { "02a0.1122.3344", -EINVAL },
                { "02:a0:11:22:33:4g", -EINVAL }, { "02:a0:11:22:33:44 ", -EINVAL }, { "02.a0.11.22.33.44", -EINVAL },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++)
                ck_assert_msg(nh_parse_mac(t[i].s, NULL) == t[i].r, "nh_parse_mac(\"%s\")", t[i].s);

        uint8_t m[6];
        ck_assert_int_eq(nh_parse_mac("02:A0:11:22:33:4f", m), 0);
        ck_assert(memcmp(m, "\x02\xa0\x11\x22\x33\x4f", 6) == 0);
}
END_TEST

START_TEST(parse_inet)
{
        static const struct { const char *s; int family; bool pfx; int r; int rfamily; unsigned len; } t[] = {
                { "192.0.2.1", AF_INET, false, 0, AF_INET, 32 },
                { "192.0.2.1", AF_UNSPEC, false, 0, AF_INET, 32 },
                { "192.0.2.1/24", AF_INET, true, 0, AF_INET, 24 },
                { "192.0.2.1/0", AF_INET, true, 0, AF_INET, 0 },
                { "192.0.2.1/32", AF_INET, true, 0, AF_INET, 32 },
                { "192.0.2.1/33", AF_INET, true, -ERANGE, 0, 0 },
                { "192.0.2.1/24", AF_INET, false, -EINVAL, 0, 0 },
                { "192.0.2.1/", AF_INET, true, -EINVAL, 0, 0 },
                { "192.0.2.1/+8", AF_INET, true, -EINVAL, 0, 0 },
                { "192.0.2.1/2 4", AF_INET, true, -EINVAL, 0, 0 },
                { "192.0.2.1/0024", AF_INET, true, -EINVAL, 0, 0 },
                { "192.0.2", AF_INET, false, -EINVAL, 0, 0 },
                { "192.0.2.256", AF_INET, false, -EINVAL, 0, 0 },
                { "192.0.2.01", AF_INET, false, -EINVAL, 0, 0 },
                { " 192.0.2.1", AF_INET, false, -EINVAL, 0, 0 },
                { "2001:db8::1", AF_INET, false, -EINVAL, 0, 0 },
                { "2001:db8::1", AF_INET6, false, 0, AF_INET6, 128 },
                { "2001:db8::1", AF_UNSPEC, false, 0, AF_INET6, 128 },
                { "2001:db8::1/64", AF_INET6, true, 0, AF_INET6, 64 },
                { "2001:db8::1/128", AF_INET6, true, 0, AF_INET6, 128 },
                { "2001:db8::1/129", AF_INET6, true, -ERANGE, 0, 0 },
                { "::ffff:192.0.2.1", AF_INET6, false, 0, AF_INET6, 128 },
                { "fe80::1%eth0", AF_INET6, false, -EINVAL, 0, 0 },
                { "2001:db8:::1", AF_INET6, false, -EINVAL, 0, 0 },
                { "192.0.2.1", AF_INET6, false, -EINVAL, 0, 0 },
                { "", AF_UNSPEC, true, -EINVAL, 0, 0 },
                { "/24", AF_UNSPEC, true, -EINVAL, 0, 0 },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                struct nh_inet a = {};
                int r = nh_parse_inet(t[i].s, t[i].family, t[i].pfx, &a);
                ck_assert_msg(r == t[i].r, "nh_parse_inet(\"%s\") = %d", t[i].s, r);
                if (r == 0) {
                        ck_assert_int_eq(a.family, t[i].rfamily);
                        ck_assert_uint_eq(a.prefixlen, t[i].len);
                }
        }

        struct nh_inet a;
        ck_assert_int_eq(nh_parse_inet("192.0.2.10/24", AF_INET, true, &a), 0);
        ck_assert_uint_eq(a.addr.v4, htonl(0xc000020a));
}
END_TEST

START_TEST(ifname)
{
        static const char *const good[] = { "eth0", "veth0", "nm_web", "a", "enp0s31f6", "br-lan", "eth0.100",
                                             "123456789012345", "wg+x", "v@x" };
        static const char *const bad[] = { "", "1234567890123456", ".", "..", "a/b", "a:b", "a b", "a\tb",
                                           "a\nb", "eth%d", "$(x)", "a;b", "\xc3\xa9th0", "a\x01" };
        for (size_t i = 0; i < ELEMENTSOF(good); i++)
                ck_assert_msg(nh_ifname_valid(good[i]), "refused %s", good[i]);
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ck_assert_msg(!nh_ifname_valid(bad[i]), "accepted %s", bad[i]);
        ck_assert(!nh_ifname_valid(NULL));
}
END_TEST

START_TEST(value_check_messages)
{
        static const struct nh_key k_mac = { "mac", NH_T_MAC, 0, 0, 0, NULL, NULL };
        static const struct nh_key k_int = { "n", NH_T_INT, 0, 0, 0, NULL, NULL };
        static const struct nh_key k_map = { "m", NH_T_MAP, 0, 0, 0, NULL, NULL };
        static const struct nh_key k_path = { "p", NH_T_PATH, 0, 0, 0, NULL, NULL };
        static const struct nh_key k_enum = { "e", NH_T_ENUM, 0, 0, 0, "a|b", NULL };
        static const struct nh_key k_v6 = { "v", NH_T_IPV6, 0, 0, 0, NULL, NULL };
        char why[512];

        ck_assert_int_eq(nh_value_check(&k_mac, "01:00:5e:00:00:01", why, sizeof why), -EINVAL);
        ck_assert_str_eq(why, "'01:00:5e:00:00:01' is a multicast address; expected a unicast MAC such as 02:a0:11:22:33:44");
        ck_assert_int_eq(nh_value_check(&k_mac, "02:00:00:00:00:01", why, sizeof why), 0);

        /* min == max == 0: any integer. */
        ck_assert_int_eq(nh_value_check(&k_int, "-123456", why, sizeof why), 0);
        ck_assert_int_eq(nh_value_check(&k_int, "99999999999999999999", why, sizeof why), -EINVAL);
        ck_assert_int_eq(nh_value_check(&k_int, "x", why, sizeof why), -EINVAL);
        ck_assert(strstr(why, "'x' is not a decimal integer"));

        ck_assert_int_eq(nh_value_check(&k_map, "x", why, sizeof why), -EINVAL);
        ck_assert_int_eq(nh_value_check(&k_path, "/", why, sizeof why), 0);
        ck_assert_int_eq(nh_value_check(&k_path, "/a\nb", why, sizeof why), -EINVAL);
        ck_assert_str_eq(why, "'/a\\x0ab' contains a control character; expected a plain absolute path");
        ck_assert_int_eq(nh_value_check(&k_enum, "a", why, sizeof why), 0);
        ck_assert_int_eq(nh_value_check(&k_enum, "", why, sizeof why), -EINVAL);
        ck_assert_int_eq(nh_value_check(&k_enum, "a|b", why, sizeof why), -EINVAL);
        ck_assert_int_eq(nh_value_check(&k_v6, "192.0.2.1", why, sizeof why), -EINVAL);
        ck_assert(strstr(why, "is an IPv4 address; expected an IPv6 address"));

        /* A long value is cut in the message, the sentence still ends. */
        char longv[600];
        memset(longv, 'x', sizeof longv - 1);
        longv[sizeof longv - 1] = '\0';
        ck_assert_int_eq(nh_value_check(&k_mac, longv, why, sizeof why), -EINVAL);
        ck_assert(strstr(why, "...' is not a MAC address"));
        ck_assert_uint_lt(strlen(why), 200);

        /* NULL why is allowed. */
        ck_assert_int_eq(nh_value_check(&k_mac, "zz", NULL, 0), -EINVAL);
}
END_TEST

/* ---- the sample files in tests/core/conf ------------------------------- */

START_TEST(samples)
{
        struct nh_global_config *g = NULL;
        struct nh_ns_config *c = NULL;
        const struct nh_node *mv;
        const char *log;
        int r;

        capture_begin();
        ck_assert_int_eq(nh_global_config_load(TEST_CONFDIR, &g), 0);
        ck_assert_int_eq(nh_ns_config_load(TEST_CONFDIR, "web", &c), 0);
        log = capture_end();
        ck_assert_str_eq(log, "");
        ck_assert(g->exists && !g->all_plugins);
        ck_assert_uint_eq(g->n_plugins, 5);
        ck_assert_int_eq(g->orders[0].order, 300);
        assert_stages(c, "netns,macvlan,postup");
        mv = nh_ns_config_section(c, "macvlan");
        ck_assert_uint_eq(nh_node_get(mv, "address6")->n, 2);
        capture_begin();
        r = nh_section_check(c, "macvlan", mv, macvlan_keys);
        log = capture_end();
        ck_assert_int_eq(r, 0);
        ck_assert_str_eq(log, "");
        nh_ns_config_free(c);
        nh_global_config_free(g);

        capture_begin();
        ck_assert_int_eq(nh_ns_config_load(TEST_CONFDIR, "torrents", &c), 0);
        r = nh_section_check(c, "macvlan", nh_ns_config_section(c, "macvlan"), macvlan_keys);
        log = capture_end();
        ck_assert_int_eq(r, 0);
        ck_assert_str_eq(log, "");
        ck_assert(c->legacy);
        assert_stages(c, "netns,macvlan,dhcp4,postup");
        ck_assert_str_eq(nh_node_get(nh_ns_config_section(c, "macvlan"), "address6")->value, "2001:db8::55/64");
        ck_assert_uint_eq(nh_node_get(nh_ns_config_section(c, "macvlan"), "address6")->line, 15);
        nh_ns_config_free(c);
}
END_TEST

START_TEST(sample_typos)
{
        struct nh_ns_config *c = NULL;
        const char *log;
        int r;

        capture_begin();
        ck_assert_int_eq(nh_ns_config_load(TEST_CONFDIR, "typos", &c), 0);
        r = nh_section_check(c, "macvlan", nh_ns_config_section(c, "macvlan"), macvlan_keys);
        log = capture_end();
        ck_assert_int_eq(r, -EINVAL);
#define T TEST_CONFDIR "/ns/typos.yaml"
        assert_contains(log, T ":3:11: macvlan.parent: 'veth0:1' is not a valid interface name");
        assert_contains(log, T ":4:8: macvlan.mac: '01:00:5e:00:00:01' is a multicast address; expected a unicast MAC such as 02:a0:11:22:33:44");
        assert_contains(log, T ":5:9: macvlan.mode: 'bridged' is not a valid choice; expected one of: bridge, private, vepa, passthru");
        assert_contains(log, T ":6:13: macvlan.address4: '192.0.2.10/40' has a prefix length out of range");
        assert_contains(log, T ":7:13: macvlan.gateway4: '192.0.2.1/24' has a prefix length, which this key does not take");
        assert_contains(log, T ":8:13: macvlan.address6: '192.0.2.10' is an IPv4 address; expected an IPv6 address");
        assert_contains(log, T ":9:16: macvlan.privacy-ext: '3' is out of range; expected an integer from 0 to 2");
        assert_contains(log, T ":10:11: macvlan.sysctl: found a single value; expected a mapping");
        assert_contains(log, T ":11:3: macvlan.adress4: unknown key; expected one of: parent, mac, address4, gateway4, "
                        "address6, gateway6, privacy-ext, mode, name, sysctl");
#undef T
        ck_assert_uint_eq(count_lines(log, "\n"), 9);
        nh_ns_config_free(c);
}
END_TEST

/* Damaged files never crash the reader, and a refusal always comes with
 * at least one logged line that names the file: an operator is never left
 * with a bare "invalid argument". */
static void mutate(char *buf, size_t *len, size_t cap, unsigned *seed)
{
        static const char alphabet[] = ":-[]{}&*!#|>%@?,'\"\\ \t\n\r~0aZ/.=$";
        unsigned edits = 1 + (unsigned) rand_r(seed) % 4;

        for (unsigned e = 0; e < edits; e++) {
                size_t pos = *len ? (size_t) rand_r(seed) % *len : 0;
                char ch = rand_r(seed) % 16 == 0 ? (char) (rand_r(seed) % 256) :
                          alphabet[(size_t) rand_r(seed) % (sizeof alphabet - 1)];

                switch (rand_r(seed) % 3) {
                case 0:         /* replace */
                        if (*len)
                                buf[pos] = ch;
                        break;
                case 1:         /* insert */
                        if (*len + 1 < cap) {
                                memmove(buf + pos + 1, buf + pos, *len - pos);
                                buf[pos] = ch;
                                ++*len;
                        }
                        break;
                default:        /* delete */
                        if (*len) {
                                memmove(buf + pos, buf + pos + 1, *len - pos - 1);
                                --*len;
                        }
                }
        }
}

static void robustness(const char *sample, const char *target, const char *name)
{
        _cleanup_free_ char *src = strdup_printf("%s/%s", TEST_CONFDIR, sample);
        _cleanup_free_ char *orig = NULL;
        _cleanup_free_ char *path = strdup_printf("%s/%s", dir, target);
        size_t olen;
        unsigned seed = 20261129, refused = 0;

        ck_assert_int_eq(read_file(src, &orig, &olen), 0);
        for (unsigned i = 0; i < 1500; i++) {
                char buf[4096];
                size_t len = olen;
                struct nh_ns_config *c = NULL;
                const char *log;
                FILE *f;
                int r;

                memcpy(buf, orig, olen);
                mutate(buf, &len, sizeof buf, &seed);
                f = fopen(path, "w");
                ck_assert_ptr_nonnull(f);
                fwrite(buf, 1, len, f);
                ck_assert_int_eq(fclose(f), 0);

                capture_begin();
                r = nh_ns_config_load(dir, name, &c);
                if (r == 0)
                        r = nh_section_check(c, "macvlan", nh_ns_config_section(c, "macvlan"), macvlan_keys);
                log = capture_end();
                ck_assert_msg(r == 0 || r == -EINVAL, "iteration %u: %d", i, r);
                if (r < 0) {
                        refused++;
                        ck_assert_msg(strstr(log, path), "iteration %u refused without naming %s:\n%s", i, path, log);
                }
                nh_ns_config_free(c);
        }
        /* The mutations must actually exercise the error paths. */
        ck_assert_uint_gt(refused, 300);
}

START_TEST(robust_yaml)
{
        robustness("ns/web.yaml", "ns/fz.yaml", "fz");
}
END_TEST

START_TEST(robust_legacy)
{
        robustness("ns/torrents-macvlan.conf", "ns/fz-macvlan.conf", "fz");
}
END_TEST

START_TEST(ns_name_is_checked)
{
        struct nh_ns_config *c = NULL;
        const char *log;

        ck_assert_int_eq(load_ns("../etc", &c, &log), -EINVAL);
        ck_assert_ptr_null(c);
        assert_contains(log, "invalid namespace name");
}
END_TEST

START_TEST(report_sanitises)
{
        struct nh_ns_config *c = NULL;
        const char *log;
        int r;

        put("ns/esc.yaml", "demo:\n  \"a\\e[31mred\": 1\n");
        ck_assert_int_eq(load_ns("esc", &c, &log), 0);
        capture_begin();
        r = nh_section_check(c, "demo", nh_ns_config_section(c, "demo"), NULL);
        log = capture_end();
        ck_assert_int_eq(r, -EINVAL);
        assert_logged(log, "ns/esc.yaml", ":2:3: demo.a?[31mred: unknown key");
        ck_assert_ptr_null(strchr(log, '\033'));
        nh_ns_config_free(c);
}
END_TEST

START_TEST(ns_unreadable)
{
        struct nh_ns_config *c = NULL;
        struct nh_global_config *g = NULL;
        _cleanup_free_ char *d = strdup_printf("%s/ns/dir.yaml", dir);
        _cleanup_free_ char *gd = strdup_printf("%s/netns-helper.yaml", dir);
        const char *log;

        /* A directory where the file should be: an error naming it, not
         * "no file". */
        ck_assert_int_eq(mkdir(d, 0755), 0);
        ck_assert_int_eq(load_ns("dir", &c, &log), -EISDIR);
        ck_assert_ptr_null(c);
        assert_logged(log, "ns/dir.yaml", ": cannot read: ");
        ck_assert_int_eq(mkdir(gd, 0755), 0);
        ck_assert_int_eq(load_global(&g, &log), -EISDIR);
        assert_logged(log, "netns-helper.yaml", ": cannot read: ");
}
END_TEST

START_TEST(global_order_range)
{
        struct nh_global_config *c = NULL;
        const char *log;

        put("netns-helper.yaml", "order: {a: 0, b: 1000000}\n");
        ck_assert_int_eq(load_global(&c, &log), 0);
        ck_assert_uint_eq(c->n_orders, 2);
        ck_assert_int_eq(c->orders[1].order, 1000000);
        nh_global_config_free(c);

        put("netns-helper.yaml", "order:\n  a: -1\n  b: 1000001\n  c: [1]\n");
        ck_assert_int_eq(load_global(&c, &log), -EINVAL);
        assert_logged(log, "netns-helper.yaml", ":2:6: order.a: '-1' is not an integer from 0 to 1000000");
        assert_logged(log, "netns-helper.yaml", ":3:6: order.b: '1000001' is not an integer from 0 to 1000000");
        assert_logged(log, "netns-helper.yaml", ":4:6: order.c: found a list");
}
END_TEST

/* ---- the parsed-tree cache -------------------------------------------- */

static const char cache_sample[] =
        "stages: [netns, macvlan, dhcp4]\n"
        "implementations:\n"
        "  dhcp4: dhclient4\n"
        "macvlan:\n"
        "  parent: veth0\n"
        "  mac: \"02:a0:11:22:33:44\"\n"
        "  address4: [192.0.2.10/24, 192.0.2.11/24]\n"
        "  address6:\n"
        "  sysctl:\n"
        "    net.ipv6.conf.all.forwarding: 1\n"
        "dhcp4:\n";

/* A tree as text, positions and file included: equal text, equal tree. */
static void dump(const struct nh_node *n, char *buf, size_t len, size_t *o)
{
        *o += (size_t) snprintf(buf + *o, len - *o, "%d@%s:%u:%u", (int) n->kind, n->file, n->line, n->column);
        if (*o >= len)
                return;
        if (n->kind == NH_NODE_SCALAR) {
                *o += (size_t) snprintf(buf + *o, len - *o, "'%s' ", n->value);
                return;
        }
        *o += (size_t) snprintf(buf + *o, len - *o, "{ ");
        for (size_t i = 0; i < n->n && *o < len; i++) {
                if (n->kind == NH_NODE_MAP)
                        dump(n->keys[i], buf, len, o);
                if (*o < len)
                        dump(n->items[i], buf, len, o);
        }
        if (*o < len)
                *o += (size_t) snprintf(buf + *o, len - *o, "} ");
}

/* Loads ns/web and returns its whole configuration as text. */
static char *load_dump(const char **log)
{
        struct nh_ns_config *c = NULL;
        char buf[8192];
        size_t o = 0;

        ck_assert_int_eq(load_ns("web", &c, log), 0);
        dump(c->root, buf, sizeof buf, &o);
        ck_assert_uint_lt(o, sizeof buf);
        o += (size_t) snprintf(buf + o, sizeof buf - o, "| stages %zu impls %zu", c->n_stages, c->n_impls);
        for (size_t i = 0; i < c->n_stages; i++)
                o += (size_t) snprintf(buf + o, sizeof buf - o, " %s", c->stages[i]);
        nh_ns_config_free(c);
        return strdup(buf);
}

/* Ns/web of DIR loaded with the cache in DIR/cache, printed; exit status
 * 1 when libyaml had to be loaded for it.  What "--fresh-load DIR" runs. */
static int fresh_load_main(const char *d)
{
        _cleanup_free_ char *cdir = strdup_printf("%s/cache", d);
        struct nh_ns_config *c = NULL;
        char out[8192];
        size_t o = 0;

        nh_conf_set_cache_dir(cdir);
        if (nh_yaml_loaded() || nh_ns_config_load(d, "web", &c) < 0)
                return 2;
        dump(c->root, out, sizeof out, &o);
        if (o >= sizeof out)
                return 2;
        o += (size_t) snprintf(out + o, sizeof out - o, "| stages %zu impls %zu", c->n_stages, c->n_impls);
        for (size_t i = 0; i < c->n_stages && o < sizeof out; i++)
                o += (size_t) snprintf(out + o, sizeof out - o, " %s", c->stages[i]);
        if (o >= sizeof out || fwrite(out, 1, o, stdout) != o || fflush(stdout) != 0)
                return 2;
        return nh_yaml_loaded() ? 1 : 0;
}

/* The load in a new program, as a stage process makes it: its dump, and
 * whether it had to load libyaml. */
static char *load_dump_fresh(bool *yaml_loaded)
{
        int p[2];
        char buf[8192];
        size_t n = 0;
        pid_t pid;
        int status;

        ck_assert_int_eq(pipe(p), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                dup2(p[1], STDOUT_FILENO);
                execl(self_path, "test-conf", "--fresh-load", dir, (char *) NULL);
                _exit(3);
        }
        close(p[1]);
        for (ssize_t k; (k = read(p[0], buf + n, sizeof buf - 1 - n)) > 0;)
                n += (size_t) k;
        close(p[0]);
        buf[n] = '\0';
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) <= 1, "--fresh-load failed: status %d", status);
        *yaml_loaded = WEXITSTATUS(status) == 1;
        return strdup(buf);
}

static char *cache_file(void)
{
        _cleanup_free_ char *cdir = strdup_printf("%s/cache", dir);
        char *found = NULL;
        DIR *d = opendir(cdir);
        struct dirent *de;
        unsigned n = 0;

        if (!d)
                return NULL;
        while ((de = readdir(d)))
                if (strstr(de->d_name, "-web.yaml.tree")) {
                        free(found);
                        found = strdup_printf("%s/%s", cdir, de->d_name);
                        n++;
                } else
                        ck_assert_msg(de->d_name[0] == '.', "unexpected %s in the cache", de->d_name);
        closedir(d);
        ck_assert_uint_le(n, 1);
        return found;
}

static void cache_setup(void)
{
        setup();
        cache_dir_path = strdup_printf("%s/cache", dir);
        nh_conf_set_cache_dir(cache_dir_path);
}

static void cache_teardown(void)
{
        nh_conf_set_cache_dir(NULL);
        free(cache_dir_path);
        cache_dir_path = NULL;
        teardown();
}

START_TEST(cache_hit_gives_the_same_tree_without_libyaml)
{
        _cleanup_free_ char *first = NULL, *again = NULL, *cf = NULL;
        const char *log;
        bool loaded;

        put("ns/web.yaml", cache_sample);
        ck_assert_ptr_null(cache_file());
        first = load_dump(&log);
        ck_assert_str_eq(log, "");
        ck_assert(nh_yaml_loaded());
        cf = cache_file();
        ck_assert_ptr_nonnull(cf);
        {
                /* It holds a copy of the file: for its owner's eyes only. */
                struct stat st;
                _cleanup_free_ char *cdir = strdup_printf("%s/cache", dir);
                ck_assert_int_eq(stat(cf, &st), 0);
                ck_assert_uint_eq(st.st_mode & 07777, 0600);
                ck_assert_int_eq(stat(cdir, &st), 0);
                ck_assert_uint_eq(st.st_mode & 07777, 0700);
        }

        again = load_dump_fresh(&loaded);
        ck_assert_str_eq(again, first);
        ck_assert_msg(!loaded, "a cache hit loaded libyaml");
        /* The positions are the file's, and the file name its path. */
        ck_assert_ptr_nonnull(strstr(first, "'02:a0:11:22:33:44'"));
        ck_assert_ptr_nonnull(strstr(first, "/ns/web.yaml:6:8'02:a0:11:22:33:44'"));
}
END_TEST

START_TEST(cache_edit_is_a_miss)
{
        _cleanup_free_ char *a = NULL, *b = NULL, *fresh = NULL;
        char text[sizeof cache_sample];
        const char *log;
        bool loaded;

        put("ns/web.yaml", cache_sample);
        a = load_dump(&log);
        /* The same size, the same second: only the content differs. */
        memcpy(text, cache_sample, sizeof text);
        *strstr(text, "192.0.2.10") = '7';
        put("ns/web.yaml", text);
        fresh = load_dump_fresh(&loaded);
        ck_assert(loaded);
        ck_assert_ptr_nonnull(strstr(fresh, "'792.0.2.10/24'"));
        ck_assert_ptr_null(strstr(fresh, "'192.0.2.10/24'"));
        /* ... and that parse replaced the cached tree. */
        free(fresh);
        fresh = load_dump_fresh(&loaded);
        ck_assert(!loaded);
        ck_assert_ptr_nonnull(strstr(fresh, "'792.0.2.10/24'"));
        b = load_dump(&log);
        ck_assert_str_eq(b, fresh);
        ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(cache_mistakes_are_never_cached)
{
        const char *log;
        struct nh_ns_config *c = NULL;

        put("ns/web.yaml", "macvlan:\n  parent: veth0\n  parent: veth1\n");
        ck_assert_int_eq(load_ns("web", &c, &log), -EINVAL);
        ck_assert_ptr_null(cache_file());
        /* Reported again on every load, from the file. */
        ck_assert_int_eq(load_ns("web", &c, &log), -EINVAL);
        assert_logged(log, "ns/web.yaml", ":3:3: duplicate key 'parent' (first at line 2, column 3)");
}
END_TEST

/* What the format's hash covers, recomputed by the test so that damage
 * behind a valid hash reaches the decoder's own checks. */
static uint64_t test_fnv1a(const unsigned char *p, size_t n)
{
        uint64_t h = 0xcbf29ce484222325ULL;
        for (size_t i = 0; i < n; i++) {
                h ^= p[i];
                h *= 0x100000001b3ULL;
        }
        return h;
}

static void write_bytes(const char *path, const unsigned char *d, size_t n)
{
        int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, d, n), (ssize_t) n);
        close(fd);
}

START_TEST(cache_damage_is_a_miss)
{
        _cleanup_free_ char *good = NULL, *cf = NULL;
        unsigned char orig[8192], bad[8192];
        ssize_t len;
        int fd;

        put("ns/web.yaml", cache_sample);
        good = load_dump(&(const char *) { NULL });
        cf = cache_file();
        fd = open(cf, O_RDONLY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        len = read(fd, orig, sizeof orig);
        close(fd);
        ck_assert_int_gt(len, 100);
        ck_assert_int_lt(len, (ssize_t) sizeof orig);

        /* Every byte changed, with and without the hash made to match;
         * every length cut short.  Each load still gives the file's tree
         * and logs nothing (the next parse writes the cache again). */
        for (ssize_t i = 0; i < len; i++)
                for (int fix = 0; fix < 2; fix++) {
                        const char *log;
                        _cleanup_free_ char *got = NULL;
                        memcpy(bad, orig, (size_t) len);
                        bad[i] ^= (unsigned char) (i % 2 ? 0x80 : 0x01);
                        if (fix && i < len - 8) {
                                uint64_t h = test_fnv1a(bad, (size_t) len - 8);
                                memcpy(bad + len - 8, &h, 8);
                        }
                        write_bytes(cf, bad, (size_t) len);
                        if (fix) {
                                /* With the hash made to match, a changed value
                                 * is a valid cache of another tree (as root
                                 * could write one), which the loader may then
                                 * refuse: only the decoder's bounds checks are
                                 * tested here (under valgrind/ASan as well). */
                                struct nh_ns_config *c = NULL;
                                int r = load_ns("web", &c, &log);
                                ck_assert_msg(r == 0 || r == -EINVAL, "byte %zd: %d", i, r);
                                nh_ns_config_free(c);
                                continue;
                        }
                        got = load_dump(&log);
                        ck_assert_str_eq(log, "");
                        ck_assert_msg(strcmp(got, good) == 0, "byte %zd changed the tree", i);
                }
        for (ssize_t cut = 0; cut < len; cut += 7) {
                const char *log;
                _cleanup_free_ char *got = NULL;
                write_bytes(cf, orig, (size_t) cut);
                got = load_dump(&log);
                ck_assert_str_eq(got, good);
                ck_assert_str_eq(log, "");
        }
}
END_TEST

START_TEST(cache_file_others_could_write_is_ignored)
{
        _cleanup_free_ char *cf = NULL, *got = NULL;
        bool loaded;

        put("ns/web.yaml", cache_sample);
        free(load_dump(&(const char *) { NULL }));
        cf = cache_file();
        ck_assert_int_eq(chmod(cf, 0666), 0);
        got = load_dump_fresh(&loaded);
        ck_assert_msg(loaded, "a cache file anybody may write was used");
        ck_assert_ptr_nonnull(strstr(got, "'192.0.2.10/24'"));
}
END_TEST

START_TEST(cache_unusable_dir_is_no_error)
{
        _cleanup_free_ char *got = NULL, *want = NULL;
        const char *log;

        /* The cache directory's place is taken by a file. */
        put("cache", "not a directory\n");
        put("ns/web.yaml", cache_sample);
        got = load_dump(&log);
        ck_assert_str_eq(log, "");
        nh_conf_set_cache_dir(NULL);
        want = load_dump(&log);
        ck_assert_str_eq(got, want);
}
END_TEST

START_TEST(cache_off_writes_nothing)
{
        _cleanup_free_ char *p = strdup_printf("%s/cache", dir);
        struct stat st;

        nh_conf_set_cache_dir(NULL);
        put("ns/web.yaml", cache_sample);
        free(load_dump(&(const char *) { NULL }));
        ck_assert_int_eq(stat(p, &st), -1);
        /* A relative directory is no cache either. */
        nh_conf_set_cache_dir("cache");
        free(load_dump(&(const char *) { NULL }));
        ck_assert_int_eq(stat(p, &st), -1);
}
END_TEST

START_TEST(cache_readonly_reads_but_never_writes)
{
        _cleanup_free_ char *cf = NULL, *a = NULL, *b = NULL;
        char text[sizeof cache_sample];
        struct stat st1, st2;

        put("ns/web.yaml", cache_sample);
        nh_conf_set_cache_readonly(true);
        a = load_dump(&(const char *) { NULL });
        ck_assert_ptr_null(cache_file());
        /* Written by a process that may write; then read, and left as is
         * when the file changes. */
        nh_conf_set_cache_readonly(false);
        free(load_dump(&(const char *) { NULL }));
        cf = cache_file();
        ck_assert_ptr_nonnull(cf);
        ck_assert_int_eq(stat(cf, &st1), 0);
        nh_conf_set_cache_readonly(true);
        memcpy(text, cache_sample, sizeof text);
        *strstr(text, "192.0.2.10") = '7';
        put("ns/web.yaml", text);
        b = load_dump(&(const char *) { NULL });
        ck_assert_ptr_nonnull(strstr(b, "'792.0.2.10/24'"));
        ck_assert_int_eq(stat(cf, &st2), 0);
        ck_assert(st1.st_ino == st2.st_ino && st1.st_mtim.tv_sec == st2.st_mtim.tv_sec &&
                  st1.st_mtim.tv_nsec == st2.st_mtim.tv_nsec);
        nh_conf_set_cache_readonly(false);
}
END_TEST

START_TEST(cache_dir_from_the_environment)
{
        unsetenv("NETNS_HELPER_CACHEDIR");
        unsetenv("NETNS_HELPER_CONFDIR");
        ck_assert_str_eq(nh_cachedir(), NH_LOCALSTATEDIR "/cache/netns-helper");
        /* A private configuration never writes into the host's cache. */
        setenv("NETNS_HELPER_CONFDIR", dir, 1);
        ck_assert_ptr_null(nh_cachedir());
        setenv("NETNS_HELPER_CACHEDIR", "/x/y", 1);
        ck_assert_str_eq(nh_cachedir(), "/x/y");
        setenv("NETNS_HELPER_CACHEDIR", "", 1);
        ck_assert_ptr_null(nh_cachedir());
}
END_TEST

static Suite *conf_suite(void)
{
        Suite *s = suite_create("conf");
        TCase *tc;

        tc = tcase_create("global");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, global_missing_gives_defaults);
        tcase_add_test(tc, global_good);
        tcase_add_test(tc, global_scalars);
        tcase_add_test(tc, global_bad_reports_every_mistake);
        tcase_add_test(tc, global_bad_plugin_dirs);
        tcase_add_test(tc, global_order_range);
        suite_add_tcase(s, tc);

        tc = tcase_create("yaml");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, yaml_refusals);
        tcase_add_test(tc, yaml_every_mistake_reported);
        tcase_add_test(tc, yaml_empty_and_null);
        suite_add_tcase(s, tc);

        tc = tcase_create("ns");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, ns_missing);
        tcase_add_test(tc, ns_good);
        tcase_add_test(tc, ns_default_stages);
        tcase_add_test(tc, ns_default_stages_from_global);
        tcase_add_test(tc, ns_default_stages_shipped);
        tcase_add_test(tc, global_default_stages_errors);
        tcase_add_test(tc, ns_bad_top_level);
        tcase_add_test(tc, ns_yaml_wins_over_legacy);
        tcase_add_test(tc, ns_unreadable);
        suite_add_tcase(s, tc);

        tc = tcase_create("legacy");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, legacy_good);
        tcase_add_test(tc, legacy_quotes);
        tcase_add_test(tc, legacy_bad);
        tcase_add_test(tc, legacy_repeated_key_last_wins);
        tcase_add_test(tc, legacy_command_substitution_is_data);
        tcase_add_test(tc, legacy_section_check_names_legacy_keys);
        suite_add_tcase(s, tc);

        tc = tcase_create("sections");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, section_good);
        tcase_add_test(tc, section_bad_values);
        tcase_add_test(tc, section_map_values_must_be_scalars);
        tcase_add_test(tc, section_absent_or_empty);
        tcase_add_test(tc, section_lists);
        tcase_add_test(tc, check_sections);
        tcase_add_test(tc, report_format);
        suite_add_tcase(s, tc);

        tc = tcase_create("samples");
        tcase_add_checked_fixture(tc, setup, teardown);
        /* 3000 files; slow under valgrind or sanitizers. */
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, samples);
        tcase_add_test(tc, sample_typos);
        tcase_add_test(tc, robust_yaml);
        tcase_add_test(tc, robust_legacy);
        tcase_add_test(tc, ns_name_is_checked);
        tcase_add_test(tc, report_sanitises);
        suite_add_tcase(s, tc);

        tc = tcase_create("cache");
        tcase_add_checked_fixture(tc, cache_setup, cache_teardown);
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, cache_hit_gives_the_same_tree_without_libyaml);
        tcase_add_test(tc, cache_edit_is_a_miss);
        tcase_add_test(tc, cache_mistakes_are_never_cached);
        tcase_add_test(tc, cache_damage_is_a_miss);
        tcase_add_test(tc, cache_file_others_could_write_is_ignored);
        tcase_add_test(tc, cache_unusable_dir_is_no_error);
        tcase_add_test(tc, cache_off_writes_nothing);
        tcase_add_test(tc, cache_readonly_reads_but_never_writes);
        tcase_add_test(tc, cache_dir_from_the_environment);
        suite_add_tcase(s, tc);

        tc = tcase_create("values");
        tcase_add_test(tc, parse_bool);
        tcase_add_test(tc, parse_int);
        tcase_add_test(tc, parse_mac);
        tcase_add_test(tc, parse_inet);
        tcase_add_test(tc, ifname);
        tcase_add_test(tc, value_check_messages);
        suite_add_tcase(s, tc);
        return s;
}

int main(int argc, char **argv)
{
        if (argc == 3 && streq(argv[1], "--fresh-load"))
                return fresh_load_main(argv[2]);
        /* Not /proc/self/exe: under valgrind that is valgrind. */
        self_path = realpath(argv[0], NULL);
        if (!self_path) {
                perror(argv[0]);
                return 99;
        }
        return nht_run(conf_suite(), "conf");
}
