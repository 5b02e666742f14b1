/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Loading the configuration (conf.h): the global netns-helper.yaml and a
 * namespace's ns/NAME.yaml, read as trees (tree.c, yaml.c) and turned
 * into the structures the engine uses.  The original tool's
 * ns/NAME-macvlan.conf is read by the legacy module.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "config/internal.h"
#include "legacy/legacy.h"
#include "config/names.h"

/* ---- helpers for the loaders ------------------------------------------ */

void list_keys(char *buf, size_t len, const char *const *names, size_t n)
{
        size_t o = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < n && o < len; i++)
                o += (size_t) snprintf(buf + o, len - o, "%s%s", i ? ", " : "", names[i]);
}

/* A scalar or a list of scalars as a NULL-terminated array of borrowed
 * nodes; reports a mapping or nested collection. */
static int scalar_list(const char *file, const struct nh_node *n, const char *what,
                       const struct nh_node ***ret, size_t *ret_n)
{
        const struct nh_node **a;
        size_t k = 0;
        int r = 0;

        if (n->kind == NH_NODE_MAP) {
                report_error(file, n, what, "found a mapping; expected a value or a list of values");
                return -EINVAL;
        }
        a = calloc(n->kind == NH_NODE_SEQ ? n->n + 1 : 2, sizeof *a);
        if (!a)
                return -ENOMEM;
        if (n->kind == NH_NODE_SCALAR)
                a[k++] = n;
        else
                for (size_t i = 0; i < n->n; i++) {
                        if (n->items[i]->kind != NH_NODE_SCALAR) {
                                report_error(file, n->items[i], what, "found %s in the list; expected single values",
                                             kind_name(n->items[i]));
                                r = -EINVAL;
                                continue;
                        }
                        a[k++] = n->items[i];
                }
        *ret = a;
        *ret_n = k;
        return r;
}

static int strv_push(char ***v, size_t *n, const char *s)
{
        char **a = realloc(*v, (*n + 2) * sizeof *a);

        if (!a)
                return -ENOMEM;
        *v = a;
        a[*n] = strdup(s);
        if (!a[*n])
                return -ENOMEM;
        a[++*n] = NULL;
        return 0;
}

static void strv_free(char **v, size_t n)
{
        if (!v)
                return;
        for (size_t i = 0; i < n; i++)
                free(v[i]);
        free(v);
}

static bool strv_contains(char *const *v, size_t n, const char *s)
{
        for (size_t i = 0; i < n; i++)
                if (streq(v[i], s))
                        return true;
        return false;
}

static int check_name(const char *file, const struct nh_node *n, const char *what, const char *kind)
{
        if (nh_plugin_name_valid(n->value))
                return 0;
        report_error(file, n, what,
                     "'%.64s' is not a valid %s name; expected 1 to 64 letters, digits, '_' or '-', starting with a letter or digit",
                     n->value, kind);
        return -EINVAL;
}

/* implementations: { stage: plugin, ... } */
static int parse_impls(const char *file, const struct nh_node *n, struct nh_impl **ret, size_t *ret_n)
{
        struct nh_impl *a;
        int r = 0;

        if (n->kind != NH_NODE_MAP) {
                report_error(file, n, "implementations", "found %s; expected a mapping of stage: plugin, such as { mystage: myplugin }",
                             kind_name(n));
                return -EINVAL;
        }
        a = calloc(n->n + 1, sizeof *a);
        if (!a)
                return -ENOMEM;
        *ret = a;
        *ret_n = 0;
        for (size_t i = 0; i < n->n; i++) {
                const struct nh_node *k = n->keys[i], *v = n->items[i];
                _cleanup_free_ char *what = strdup_printf("implementations.%s", k->value);

                if (!what)
                        return -ENOMEM;
                if (check_name(file, k, "implementations", "stage") < 0) {
                        r = -EINVAL;
                        continue;
                }
                if (v->kind != NH_NODE_SCALAR) {
                        report_error(file, v, what, "found %s; expected the name of a plugin", kind_name(v));
                        r = -EINVAL;
                        continue;
                }
                if (check_name(file, v, what, "plugin") < 0) {
                        r = -EINVAL;
                        continue;
                }
                a[*ret_n].stage = strdup(k->value);
                a[*ret_n].plugin = strdup(v->value);
                a[*ret_n].where = v;
                ++*ret_n;
                if (!a[*ret_n - 1].stage || !a[*ret_n - 1].plugin)
                        return -ENOMEM;
        }
        return r;
}

static void impls_free(struct nh_impl *a, size_t n)
{
        if (!a)
                return;
        for (size_t i = 0; i < n; i++) {
                free(a[i].stage);
                free(a[i].plugin);
        }
        free(a);
}

/* ---- the global configuration ------------------------------------------ */

/* The global file loaded first and not freed yet: nh_ns_config_load() takes
 * its default stages from it. */
static const struct nh_global_config *loaded_global;

void nh_global_config_free(struct nh_global_config *c)
{
        if (!c)
                return;
        if (loaded_global == c)
                loaded_global = NULL;
        strv_free(c->ds_first, c->n_ds_first);
        strv_free(c->ds_last, c->n_ds_last);
        for (size_t i = 0; i < c->n_ds_if_missing; i++) {
                free((char *) c->ds_if_missing[i].section);
                free((char *) c->ds_if_missing[i].key);
                free((char *) c->ds_if_missing[i].stage);
        }
        free(c->ds_if_missing);
        free(c->path);
        strv_free(c->plugin_dirs, c->n_plugin_dirs);
        strv_free(c->plugins, c->n_plugins);
        impls_free(c->impls, c->n_impls);
        if (c->orders)
                for (size_t i = 0; i < c->n_orders; i++)
                        free(c->orders[i].plugin);
        free(c->orders);
        node_free(c->root);
        free(c);
}

static int global_plugin_dirs(struct nh_global_config *c, const struct nh_node *n)
{
        static const struct nh_key path_key = { .name = "plugin-dirs", .type = NH_T_PATH };
        _cleanup_free_ const struct nh_node **a = NULL;
        size_t k = 0;
        char why[512];
        int r, q;

        r = scalar_list(c->path, n, "plugin-dirs", &a, &k);
        if (r == -ENOMEM)
                return r;
        if (k == 0 && r == 0) {
                report_error(c->path, n, "plugin-dirs", "the list is empty; expected at least one absolute directory");
                return -EINVAL;
        }
        for (size_t i = 0; i < k; i++) {
                if (nh_value_check(&path_key, a[i]->value, why, sizeof why) < 0) {
                        report_error(c->path, a[i], "plugin-dirs", "%s", why);
                        r = -EINVAL;
                        continue;
                }
                q = strv_push(&c->plugin_dirs, &c->n_plugin_dirs, a[i]->value);
                if (q < 0)
                        return q;
        }
        return r;
}

/* "hook-timeout:", "ready-timeout:": seconds, 0 for no limit. */
static int global_seconds(struct nh_global_config *c, const struct nh_node *n, const char *name,
                          long long max, unsigned *out)
{
        const struct nh_key key = { .name = name, .type = NH_T_INT, .min = 0, .max = max };
        char why[256];

        if (n->kind != NH_NODE_SCALAR) {
                report_error(c->path, n, name, "expected a number of seconds (0 for no limit)");
                return -EINVAL;
        }
        if (nh_value_check(&key, n->value, why, sizeof why) < 0) {
                report_error(c->path, n, name, "%s; expected seconds, 0 for no limit", why);
                return -EINVAL;
        }
        *out = (unsigned) strtoul(n->value, NULL, 10);
        return 0;
}

static int global_plugins(struct nh_global_config *c, const struct nh_node *n)
{
        _cleanup_free_ const struct nh_node **a = NULL;
        size_t k = 0;
        int r, q;

        if (n->kind == NH_NODE_SCALAR && streq(n->value, "all"))
                return 0;
        c->all_plugins = false;
        r = scalar_list(c->path, n, "plugins", &a, &k);
        if (r == -ENOMEM)
                return r;
        for (size_t i = 0; i < k; i++) {
                if (check_name(c->path, a[i], "plugins", "plugin") < 0) {
                        r = -EINVAL;
                        continue;
                }
                if (strv_contains(c->plugins, c->n_plugins, a[i]->value))
                        continue;
                q = strv_push(&c->plugins, &c->n_plugins, a[i]->value);
                if (q < 0)
                        return q;
        }
        return r;
}

/* first: and last: of default-stages:, a list of stage names. */
static int stage_list(const char *file, const struct nh_node *n, const char *what, char ***ret, size_t *ret_n)
{
        _cleanup_free_ const struct nh_node **a = NULL;
        size_t k = 0;
        int r;

        r = scalar_list(file, n, what, &a, &k);
        if (r < 0)
                return r;
        for (size_t i = 0; i < k && r != -ENOMEM; i++) {
                if (check_name(file, a[i], what, "stage") < 0)
                        r = -EINVAL;
                else if (strv_push(ret, ret_n, a[i]->value) < 0)
                        r = -ENOMEM;
        }
        return r;
}

/* if-missing: { SECTION.KEY: STAGE, ... } */
static int stage_if_missing(struct nh_global_config *c, const struct nh_node *n)
{
        int r = 0;

        if (n->kind != NH_NODE_MAP) {
                report_error(c->path, n, "default-stages.if-missing", "found %s; expected a mapping of "
                             "SECTION.KEY: STAGE (the stage a section implies when it lacks the key)", kind_name(n));
                return -EINVAL;
        }
        c->ds_if_missing = calloc(n->n + 1, sizeof *c->ds_if_missing);
        if (!c->ds_if_missing)
                return -ENOMEM;
        for (size_t i = 0; i < n->n; i++) {
                const struct nh_node *k = n->keys[i], *v = n->items[i];
                const char *dot = strchr(k->value, '.');
                struct nh_stage_if_missing *m = &c->ds_if_missing[c->n_ds_if_missing];
                _cleanup_free_ char *section = dot ? strndup(k->value, (size_t) (dot - k->value)) : NULL;

                if (!dot || !dot[1] || !section || !nh_plugin_name_valid(section)) {
                        if (dot && !section)
                                return -ENOMEM;
                        report_error(c->path, k, "default-stages.if-missing", "'%.64s' is not SECTION.KEY; "
                                     "expected a section and one of its keys, such as 'mysection.address4'", k->value);
                        r = -EINVAL;
                        continue;
                }
                if (v->kind != NH_NODE_SCALAR) {
                        report_error(c->path, v, "default-stages.if-missing", "found %s; expected the name of a stage",
                                     kind_name(v));
                        r = -EINVAL;
                        continue;
                }
                if (check_name(c->path, v, "default-stages.if-missing", "stage") < 0) {
                        r = -EINVAL;
                        continue;
                }
                m->key = strdup(dot + 1);
                m->stage = strdup(v->value);
                m->section = take_ptr(&section);
                c->n_ds_if_missing++;
                if (!m->key || !m->stage)
                        return -ENOMEM;
        }
        return r;
}

/* default-stages: { first: [...], if-missing: {...}, last: [...] }; a key
 * left out keeps the original tool's value. */
static int global_default_stages(struct nh_global_config *c, const struct nh_node *n)
{
        static const char *const known[] = { "first", "if-missing", "last" };
        struct nh_default_stages *d = &c->default_stages;
        int r = 0, k;

        if (n->kind != NH_NODE_MAP) {
                report_error(c->path, n, "default-stages", "found %s; expected a mapping with first:, if-missing: "
                             "and last:", kind_name(n));
                return -EINVAL;
        }
        for (size_t i = 0; i < n->n; i++) {
                const char *key = n->keys[i]->value;
                const struct nh_node *v = n->items[i];

                if (streq(key, "first")) {
                        k = stage_list(c->path, v, "default-stages.first", &c->ds_first, &c->n_ds_first);
                        d->first = (const char *const *) c->ds_first;
                        d->n_first = c->n_ds_first;
                } else if (streq(key, "last")) {
                        k = stage_list(c->path, v, "default-stages.last", &c->ds_last, &c->n_ds_last);
                        d->last = (const char *const *) c->ds_last;
                        d->n_last = c->n_ds_last;
                } else if (streq(key, "if-missing")) {
                        k = stage_if_missing(c, v);
                        d->if_missing = c->ds_if_missing;
                        d->n_if_missing = c->n_ds_if_missing;
                } else {
                        char list[64];
                        list_keys(list, sizeof list, known, ELEMENTSOF(known));
                        report_error(c->path, n->keys[i], "default-stages", "unknown key '%s'; expected one of: %s",
                                     key, list);
                        k = -EINVAL;
                }
                if (k == -ENOMEM)
                        return k;
                if (k < 0)
                        r = k;
        }
        return r;
}

static int global_orders(struct nh_global_config *c, const struct nh_node *n)
{
        int r = 0;

        if (n->kind != NH_NODE_MAP) {
                report_error(c->path, n, "order", "found %s; expected a mapping of plugin: number, such as { myplugin: 300 }",
                             kind_name(n));
                return -EINVAL;
        }
        c->orders = calloc(n->n + 1, sizeof *c->orders);
        if (!c->orders)
                return -ENOMEM;
        for (size_t i = 0; i < n->n; i++) {
                const struct nh_node *k = n->keys[i], *v = n->items[i];
                _cleanup_free_ char *what = strdup_printf("order.%s", k->value);
                long long o;

                if (!what)
                        return -ENOMEM;
                if (check_name(c->path, k, "order", "plugin") < 0) {
                        r = -EINVAL;
                        continue;
                }
                if (v->kind != NH_NODE_SCALAR) {
                        report_error(c->path, v, what, "found %s; expected an integer from 0 to 1000000", kind_name(v));
                        r = -EINVAL;
                        continue;
                }
                if (nh_parse_int(v->value, &o) < 0 || o < 0 || o > 1000000) {
                        report_error(c->path, v, what, "'%.64s' is not an integer from 0 to 1000000; expected a pipeline position such as 300",
                                     v->value);
                        r = -EINVAL;
                        continue;
                }
                c->orders[c->n_orders].plugin = strdup(k->value);
                if (!c->orders[c->n_orders].plugin)
                        return -ENOMEM;
                c->orders[c->n_orders].order = (int) o;
                c->orders[c->n_orders].where = v;
                c->n_orders++;
        }
        return r;
}

int nh_global_config_load(const char *confdir, struct nh_global_config **ret)
{
        static const char *const known[] = { "plugin-dirs", "plugins", "implementations", "order", "hook-timeout",
                                             "ready-timeout", "default-stages" };
        struct nh_global_config *c;
        bool failed = false;
        int r;

        c = calloc(1, sizeof *c);
        if (!c)
                return -ENOMEM;
        c->all_plugins = true;
        c->hook_timeout_s = NH_HOOK_TIMEOUT_DEFAULT;
        c->ready_timeout_s = NH_READY_TIMEOUT_DEFAULT;
        c->default_stages = *nh_legacy_default_stages();
        c->path = strdup_printf("%s/netns-helper.yaml", confdir);
        if (!c->path) {
                r = -ENOMEM;
                goto fail;
        }

        r = yaml_load(c->path, false, &c->root, &c->hash);
        if (r == -ENOENT) {
                c->root = NULL;
        } else if (r < 0) {
                goto fail;
        } else {
                c->exists = true;
                for (size_t i = 0; i < c->root->n; i++) {
                        const struct nh_node *k = c->root->keys[i], *v = c->root->items[i];

                        if (streq(k->value, "plugin-dirs")) {
                                c->plugin_dirs_node = v;
                                r = global_plugin_dirs(c, v);
                        } else if (streq(k->value, "plugins")) {
                                c->plugins_node = v;
                                r = global_plugins(c, v);
                        }
                        else if (streq(k->value, "implementations"))
                                r = parse_impls(c->path, v, &c->impls, &c->n_impls);
                        else if (streq(k->value, "order"))
                                r = global_orders(c, v);
                        else if (streq(k->value, "hook-timeout"))
                                r = global_seconds(c, v, "hook-timeout", NH_HOOK_TIMEOUT_MAX, &c->hook_timeout_s);
                        else if (streq(k->value, "ready-timeout"))
                                r = global_seconds(c, v, "ready-timeout", NH_READY_TIMEOUT_MAX, &c->ready_timeout_s);
                        else if (streq(k->value, "default-stages"))
                                r = global_default_stages(c, v);
                        else {
                                char list[256];
                                list_keys(list, sizeof list, known, ELEMENTSOF(known));
                                report_error(c->path, k, k->value, "unknown key; expected one of: %s", list);
                                r = -EINVAL;
                        }
                        if (r == -ENOMEM)
                                goto fail;
                        if (r < 0)
                                failed = true;
                }
        }
        if (failed) {
                r = -EINVAL;
                goto fail;
        }
        if (c->n_plugin_dirs == 0) {
                r = strv_push(&c->plugin_dirs, &c->n_plugin_dirs, NH_PLUGINDIR);
                if (r < 0)
                        goto fail;
        }
        if (!loaded_global)
                loaded_global = c;
        *ret = c;
        return 0;
fail:
        nh_global_config_free(c);
        return r;
}

/* ---- the namespace configuration --------------------------------------- */

void nh_ns_config_free(struct nh_ns_config *c)
{
        if (!c)
                return;
        free(c->name);
        free(c->path);
        free(c->legacy_path);
        strv_free(c->stages, c->n_stages);
        impls_free(c->impls, c->n_impls);
        node_free(c->root);
        free(c);
}

bool is_section_key(const char *k)
{
        return !streq(k, "stages") && !streq(k, "implementations");
}

const struct nh_node *nh_ns_config_section(const struct nh_ns_config *c, const char *stage)
{
        if (!c || !stage || !is_section_key(stage))
                return NULL;
        return nh_node_get(c->root, stage);
}

static int stages_add(struct nh_ns_config *c, const char *s)
{
        if (strv_contains(c->stages, c->n_stages, s))
                return 0;
        return strv_push(&c->stages, &c->n_stages, s);
}

static int ns_yaml_top(struct nh_ns_config *c)
{
        bool failed = false;
        int r;

        if (c->root->kind != NH_NODE_MAP)
                return -EINVAL;
        for (size_t i = 0; i < c->root->n; i++) {
                const struct nh_node *k = c->root->keys[i], *v = c->root->items[i];

                if (streq(k->value, "stages")) {
                        _cleanup_free_ const struct nh_node **a = NULL;
                        size_t n = 0;

                        c->stages_explicit = true;
                        r = scalar_list(c->path, v, "stages", &a, &n);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                failed = true;
                        if (r == 0 && n == 0) {
                                /* Nothing at all to run is a mistake, not a configuration. */
                                report_error(c->path, v, "stages",
                                             "the list is empty; expected the stages to run, or no stages: for the "
                                             "default ones (default-stages: of netns-helper.yaml)");
                                failed = true;
                        }
                        for (size_t j = 0; j < n; j++) {
                                if (check_name(c->path, a[j], "stages", "stage") < 0) {
                                        failed = true;
                                        continue;
                                }
                                if (strv_contains(c->stages, c->n_stages, a[j]->value)) {
                                        report_error(c->path, a[j], "stages", "'%s' is listed twice; expected each stage once",
                                                     a[j]->value);
                                        failed = true;
                                        continue;
                                }
                                r = stages_add(c, a[j]->value);
                                if (r < 0)
                                        return r;
                        }
                } else if (streq(k->value, "implementations")) {
                        r = parse_impls(c->path, v, &c->impls, &c->n_impls);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                failed = true;
                } else {
                        if (check_name(c->path, k, NULL, "section (stage)") < 0)
                                failed = true;
                        else if (v->kind != NH_NODE_MAP) {
                                report_error(c->path, v, k->value,
                                             "found %s; expected a mapping of keys (such as 'parent: eth0'), or nothing",
                                             kind_name(v));
                                failed = true;
                        }
                }
        }
        return failed ? -EINVAL : 0;
}

/* "default-stages:" of the global file: first, then a stage per section
 * in the file's order, then those its sections imply, then last. */
static int default_stages(struct nh_ns_config *c, const struct nh_default_stages *d)
{
        int r = 0;

        for (size_t i = 0; i < d->n_first && r >= 0; i++)
                r = stages_add(c, d->first[i]);
        for (size_t i = 0; i < c->root->n && r >= 0; i++)
                if (is_section_key(c->root->keys[i]->value))
                        r = stages_add(c, c->root->keys[i]->value);
        for (size_t i = 0; i < d->n_if_missing && r >= 0; i++) {
                const struct nh_stage_if_missing *m = &d->if_missing[i];
                const struct nh_node *sec = nh_ns_config_section(c, m->section);

                if (sec && !nh_node_get(sec, m->key) && !nh_ns_config_section(c, m->stage))
                        r = stages_add(c, m->stage);
        }
        for (size_t i = 0; i < d->n_last && r >= 0; i++)
                r = stages_add(c, d->last[i]);
        return r;
}

/* The default stages for a file in confdir: those of the global file the
 * process has loaded from there (the engine always has), else of the
 * global file read now (*tmp, which the caller frees).  A global file that
 * does not load has been reported: the original tool's list then. */
static const struct nh_default_stages *default_stages_for(const char *confdir, struct nh_global_config **tmp)
{
        _cleanup_free_ char *path = strdup_printf("%s/netns-helper.yaml", confdir);

        if (path && loaded_global && streq(loaded_global->path, path))
                return &loaded_global->default_stages;
        if (nh_global_config_load(confdir, tmp) < 0)
                return nh_legacy_default_stages();
        return &(*tmp)->default_stages;
}

int nh_ns_config_load(const char *confdir, const char *name, struct nh_ns_config **ret)
{
        struct nh_ns_config *c;
        struct stat st;
        int r;

        /* The caller checked the name; this keeps a forgotten check from
         * turning into a path outside CONFDIR/ns. */
        if (!nh_namespace_name_valid(name)) {
                nh_logf(NH_LOG_ERR, "Refusing to read the configuration of an invalid namespace name");
                return -EINVAL;
        }
        c = calloc(1, sizeof *c);
        if (!c)
                return -ENOMEM;
        c->name = strdup(name);
        c->path = strdup_printf("%s/ns/%s.yaml", confdir, name);
        c->legacy_path = nh_legacy_conf_path(confdir, name);
        if (!c->name || !c->path || !c->legacy_path) {
                r = -ENOMEM;
                goto fail;
        }

        r = yaml_load(c->path, true, &c->root, &c->hash);
        if (r == 0) {
                c->exists = true;
                if (stat(c->legacy_path, &st) == 0)
                        nh_legacy_conf_shadowed(c);
                r = ns_yaml_top(c);
                if (r < 0)
                        goto fail;
        } else if (r == -ENOENT) {
                c->root = empty_map_new(c->path, 1, 1);
                if (!c->root) {
                        r = -ENOMEM;
                        goto fail;
                }
                if (stat(c->legacy_path, &st) == 0) {
                        free(c->path);
                        c->path = strdup(c->legacy_path);
                        if (!c->path) {
                                r = -ENOMEM;
                                goto fail;
                        }
                        c->exists = true;
                        c->legacy = true;
                        c->root->file = c->path;
                        r = legacy_load(c);
                        if (r < 0)
                                goto fail;
                }
        } else
                goto fail;

        if (!c->stages_explicit) {
                struct nh_global_config *g = NULL;

                r = default_stages(c, default_stages_for(confdir, &g));
                nh_global_config_free(g);
                if (r < 0)
                        goto fail;
        }
        *ret = c;
        return 0;
fail:
        nh_ns_config_free(c);
        return r;
}
