/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Values no two namespaces may share (clash.h).  Two macvlans with one MAC
 * on a parent: the kernel refuses the second (EADDRINUSE) only when it is
 * set up, hours after the file was written; "validate" says it at once and
 * names who has it.  Only validate and enable pay for reading every other
 * file: "up" and the stages do not. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "engine/clash.h"
#include "base/log.h"
#include "config/names.h"
#include "engine/rundir.h"
#include "legacy/legacy.h"
#include "base/util.h"

static bool same_value(enum nh_type type, const char *a, const char *b)
{
        uint8_t x[6], y[6];

        if (type == NH_T_MAC && nh_parse_mac(a, x) >= 0 && nh_parse_mac(b, y) >= 0)
                return memcmp(x, y, sizeof x) == 0;
        return strcasecmp(a, b) == 0;
}

/* The other namespaces with a file: NAME.yaml and NAME-macvlan.conf. */
static void other_names(const char *confdir, const char *self, char ***ret, size_t *n)
{
        _cleanup_free_ char *dir = strdup_printf("%s/ns", confdir);
        DIR *d = dir ? opendir(dir) : NULL;
        struct dirent *de;

        *ret = NULL;
        *n = 0;
        while (d && (de = readdir(d))) {
                static const char *const suffixes[] = { ".yaml", NH_LEGACY_CONF_SUFFIX };
                char why[256];

                for (size_t k = 0; k < ELEMENTSOF(suffixes); k++) {
                        size_t len = strlen(de->d_name), sl = strlen(suffixes[k]);
                        char *name, **v;
                        bool dup = false;

                        if (len <= sl || strcmp(de->d_name + len - sl, suffixes[k]) != 0)
                                continue;
                        name = strndup(de->d_name, len - sl);
                        if (!name)
                                continue;
                        for (size_t i = 0; i < *n && !dup; i++)
                                dup = strcmp((*ret)[i], name) == 0;
                        if (dup || strcmp(name, self) == 0 || nh_namespace_name_check(name, why, sizeof why) < 0 ||
                            !(v = realloc(*ret, (*n + 1) * sizeof *v))) {
                                free(name);
                                continue;
                        }
                        *ret = v;
                        (*ret)[(*n)++] = name;
                }
        }
        if (d)
                closedir(d);
}

/* Another namespace running with a fact whose value is this one: the
 * kernel holds it now.  Its name (and *fact_path, the fact's file), or
 * NULL. */
static char *running_holder(const char *self, enum nh_type type, const char *value, char **fact_path)
{
        char **names = NULL, *who = NULL;
        size_t n = 0;

        (void) nh_run_namespaces(&names, &n);
        for (size_t i = 0; i < n && !who; i++) {
                struct nh_run_fact *f = NULL;
                size_t n_f = 0;

                if (strcmp(names[i], self) == 0 || nh_run_facts(names[i], &f, &n_f) < 0)
                        continue;
                for (size_t j = 0; j < n_f && !who; j++) {
                        char *v = f[j].value;
                        size_t len = strlen(v);

                        while (len > 0 && v[len - 1] == ' ')
                                v[--len] = '\0';
                        if (same_value(type, v, value)) {
                                who = strdup(names[i]);
                                *fact_path = nh_run_fact_path(names[i], f[j].key);
                        }
                }
                nh_run_facts_free(f, n_f);
        }
        for (size_t i = 0; i < n; i++)
                free(names[i]);
        free(names);
        return who;
}

int nh_unique_check(const char *confdir, const struct nh_ns_config *cfg,
                    const char *stage, const struct nh_key *keys)
{
        const struct nh_node *sec = nh_ns_config_section(cfg, stage);
        char **others = NULL;
        size_t n_others = 0;
        bool listed = false;
        int found = 0;

        for (const struct nh_key *k = keys; sec && k && k->name; k++) {
                const struct nh_node *v = (k->flags & NH_KEY_UNIQUE) ? nh_node_get(sec, k->name) : NULL;
                char what[160];

                if (!v || v->kind != NH_NODE_SCALAR)
                        continue;
                snprintf(what, sizeof what, "%s.%s", stage, k->name);
                if (!listed) {
                        other_names(confdir, cfg->name, &others, &n_others);
                        listed = true;
                }
                for (size_t i = 0; i < n_others; i++) {
                        struct nh_ns_config *o = NULL;
                        const struct nh_node *ov;
                        int saved = nh_log_max, r;

                        /* Another file's own errors are for its own validate. */
                        nh_log_max = -1;
                        r = nh_ns_config_load(confdir, others[i], &o);
                        nh_log_max = saved;
                        if (r < 0)
                                continue;
                        ov = nh_node_get(nh_ns_config_section(o, stage), k->name);
                        if (ov && ov->kind == NH_NODE_SCALAR && same_value(k->type, ov->value, v->value)) {
                                nh_config_report(NH_LOG_ERR, cfg->path, v, what,
                                                 "%s is also the %s of namespace %s (%s:%u); each namespace "
                                                 "needs its own", v->value, k->name, others[i], o->path, ov->line);
                                found++;
                        }
                        nh_ns_config_free(o);
                }
                _cleanup_free_ char *fact = NULL;
                _cleanup_free_ char *who = running_holder(cfg->name, k->type, v->value, &fact);
                if (who) {
                        nh_config_report(NH_LOG_ERR, cfg->path, v, what,
                                         "%s is in use by namespace %s, which is up (%s); each namespace "
                                         "needs its own", v->value, who, fact);
                        found++;
                }
        }
        for (size_t i = 0; i < n_others; i++)
                free(others[i]);
        free(others);
        return found;
}
