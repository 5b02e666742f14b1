/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The checks of a namespace's file against the loaded plugins: every
 * section names a stage some plugin implements, every key of a section is
 * one of its plugin's key table, with a value of the key's type.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "config/internal.h"
#include "legacy/legacy.h"

/* ---- checks against the loaded plugins --------------------------------- */

static bool known_stage(const char *s, const char *const *known, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (streq(known[i], s))
                        return true;
        return false;
}

int nh_ns_config_check_sections(const struct nh_ns_config *c, const char *const *known_stages, size_t n)
{
        char list[512];
        const struct nh_node *st;
        bool failed = false;

        list_keys(list, sizeof list, known_stages, n);
        for (size_t i = 0; i < c->root->n; i++) {
                const struct nh_node *k = c->root->keys[i];

                if (!is_section_key(k->value) || known_stage(k->value, known_stages, n))
                        continue;
                report_error(c->path, k, k->value,
                             "unknown section; expected 'stages', 'implementations' or a stage: %s", list);
                failed = true;
        }

        st = nh_node_get(c->root, "stages");
        if (st) {
                size_t m = st->kind == NH_NODE_SEQ ? st->n : 1;
                for (size_t i = 0; i < m; i++) {
                        const struct nh_node *s = st->kind == NH_NODE_SEQ ? st->items[i] : st;
                        if (s->kind != NH_NODE_SCALAR || known_stage(s->value, known_stages, n))
                                continue;
                        report_error(c->path, s, "stages", "'%.64s' is not a known stage; expected one of: %s",
                                     s->value, list);
                        failed = true;
                }
        }

        for (size_t i = 0; i < c->n_impls; i++) {
                if (known_stage(c->impls[i].stage, known_stages, n))
                        continue;
                report_error(c->path, node_key_of(nh_node_get(c->root, "implementations"), c->impls[i].where),
                             "implementations", "'%.64s' is not a known stage; expected one of: %s",
                             c->impls[i].stage, list);
                failed = true;
        }
        return failed ? -EINVAL : 0;
}

/* How a key is called in messages: "macvlan.mac", or "MAC" when the user
 * wrote the legacy file. */
static void key_label(const struct nh_ns_config *c, const char *stage, const char *key, char *buf, size_t len)
{
        const char *l = nh_legacy_key_name(c, stage, key);

        if (l)
                snprintf(buf, len, "%s", l);
        else
                snprintf(buf, len, "%s.%s", stage, key);
}

static int check_value(const struct nh_ns_config *c, const char *file, const char *label,
                       const struct nh_key *k, const struct nh_node *v)
{
        char why[512];

        if (v->kind != NH_NODE_SCALAR) {
                report_error(file, v, label, "found %s; expected a single value", kind_name(v));
                return -EINVAL;
        }
        if (nh_value_check(k, v->value, why, sizeof why) < 0) {
                report_error(file, v, label, "%s", why);
                return -EINVAL;
        }
        (void) c;
        return 0;
}

int nh_section_check(const struct nh_ns_config *c, const char *stage,
                     const struct nh_node *section, const struct nh_key *keys)
{
        return nh_section_check_core(c, stage, section, keys, NULL);
}

int nh_section_check_core(const struct nh_ns_config *c, const char *stage, const struct nh_node *section,
                          const struct nh_key *keys, const struct nh_key *core_keys)
{
        const char *file = c ? c->path : NULL;
        const struct nh_node *where;
        char label[192];
        bool failed = false;

        if (section && section->kind != NH_NODE_MAP) {
                report_error(file, section, stage, "found %s; expected a mapping of keys", kind_name(section));
                return -EINVAL;
        }

        for (size_t i = 0; section && i < section->n; i++) {
                const struct nh_node *kn = section->keys[i], *v = section->items[i];
                const struct nh_key *k = NULL;

                for (const struct nh_key *p = keys; p && p->name; p++)
                        if (streq(p->name, kn->value)) {
                                k = p;
                                break;
                        }
                for (const struct nh_key *p = core_keys; !k && p && p->name; p++)
                        if (streq(p->name, kn->value))
                                k = p;
                key_label(c, stage, kn->value, label, sizeof label);

                if (!k) {
                        char list[512];
                        size_t o = 0;

                        list[0] = '\0';
                        for (const struct nh_key *p = keys; p && p->name && o < sizeof list; p++)
                                o += (size_t) snprintf(list + o, sizeof list - o, "%s%s", o ? ", " : "", p->name);
                        for (const struct nh_key *p = core_keys; p && p->name && o < sizeof list; p++)
                                o += (size_t) snprintf(list + o, sizeof list - o, "%s%s", o ? ", " : "", p->name);
                        if (o)
                                report_error(file, kn, label, "unknown key; expected one of: %s", list);
                        else
                                report_error(file, kn, label, "unknown key; the %s stage takes no keys", stage);
                        failed = true;
                        continue;
                }

                if (k->type == NH_T_MAP) {
                        if (v->kind != NH_NODE_MAP) {
                                report_error(file, v, label, "found %s; expected a mapping of keys to values, such as { key: value }",
                                             kind_name(v));
                                failed = true;
                                continue;
                        }
                        for (size_t j = 0; j < v->n; j++)
                                if (v->items[j]->kind != NH_NODE_SCALAR) {
                                        char sub[320];
                                        snprintf(sub, sizeof sub, "%s.%s", label, v->keys[j]->value);
                                        report_error(file, v->items[j], sub, "found %s; expected a single value",
                                                     kind_name(v->items[j]));
                                        failed = true;
                                }
                        continue;
                }

                if (v->kind == NH_NODE_SEQ) {
                        if (!(k->flags & NH_KEY_LIST)) {
                                report_error(file, v, label, "found a list; expected a single value");
                                failed = true;
                                continue;
                        }
                        if (v->n == 0 && (k->flags & NH_KEY_REQUIRED)) {
                                report_error(file, v, label, "the list is empty; expected at least one value");
                                failed = true;
                        }
                        for (size_t j = 0; j < v->n; j++)
                                if (check_value(c, file, label, k, v->items[j]) < 0)
                                        failed = true;
                        continue;
                }
                if (check_value(c, file, label, k, v) < 0)
                        failed = true;
        }

        where = section && c ? node_key_of(c->root, section) : NULL;
        if (!where)
                where = section;
        for (const struct nh_key *p = keys; p && p->name; p++) {
                if (!(p->flags & NH_KEY_REQUIRED) || nh_node_get(section, p->name))
                        continue;
                key_label(c, stage, p->name, label, sizeof label);
                if (p->help)
                        report_error(file, c && c->legacy ? NULL : where, label,
                                     "required key is missing; expected %s", p->help);
                else
                        report_error(file, c && c->legacy ? NULL : where, label, "required key is missing");
                failed = true;
        }
        return failed ? -EINVAL : 0;
}
