/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The original tool's ns/NAME-macvlan.conf: KEY=VALUE lines that its shell
 * scripts sourced, read into the same tree as a YAML file's "macvlan:"
 * section, with the .conf file's line numbers.
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

/* The original tool's keys and the macvlan keys they became. */
static const struct {
        const char *legacy, *key;
} legacy_keys[] = {
        { "MAC",              "mac" },
        { "PARENT_IF",        "parent" },
        { "IPADDR4",          "address4" },
        { "DEFAULT_GATEWAY4", "gateway4" },
        { "IPADDR6",          "address6" },
        { "DEFAULT_GATEWAY6", "gateway6" },
        { "PRIVACY_EXT",      "privacy-ext" },
};

/* The section the file's keys go into. */
#define LEGACY_SECTION "macvlan"

const char *nh_legacy_key_name(const struct nh_ns_config *c, const char *stage, const char *key)
{
        if (!c || !c->legacy || !streq(stage, LEGACY_SECTION))
                return NULL;
        for (size_t i = 0; i < ELEMENTSOF(legacy_keys); i++)
                if (streq(legacy_keys[i].key, key))
                        return legacy_keys[i].legacy;
        return NULL;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* One KEY=VALUE line of the legacy file.  The original tool sourced it
 * with a shell; we read the subset of shell syntax such files use and
 * refuse the rest rather than guess: no expansion, no command substitution,
 * no escapes except \" inside double quotes.  Returns 1 with *key and *value
 * set (the value malloc'ed, *vcol its column), 0 for a blank or comment line,
 * -EINVAL with a reason in why. */
static int legacy_parse_line(char *line, char **key, unsigned *kcol, char **value, unsigned *vcol,
                             char *why, size_t whylen)
{
        char *p = line, *k, *v, *out;

        while (is_blank(*p))
                p++;
        if (*p == '\0' || *p == '#')
                return 0;
        if (strncmp(p, "export", 6) == 0 && is_blank(p[6])) {
                p += 6;
                while (is_blank(*p))
                        p++;
        }
        k = p;
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_')) {
                snprintf(why, whylen, "not a KEY=VALUE line; expected a line such as PARENT_IF=eth0");
                return -EINVAL;
        }
        while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')
                p++;
        if (*p != '=') {
                snprintf(why, whylen, "not a KEY=VALUE line (no spaces around '='); expected a line such as PARENT_IF=eth0");
                return -EINVAL;
        }
        *kcol = (unsigned) (k - line) + 1;
        *p++ = '\0';
        *vcol = (unsigned) (p - line) + 1;

        /* The value is never longer than the rest of the line. */
        out = v = malloc(strlen(p) + 1);
        if (!v)
                return -ENOMEM;
        if (*p == '\'') {
                char *end = strchr(p + 1, '\'');
                if (!end) {
                        snprintf(why, whylen, "the single quote is not closed; expected KEY='value' on one line");
                        goto bad;
                }
                memcpy(out, p + 1, (size_t) (end - p - 1));
                out += end - p - 1;
                p = end + 1;
        } else if (*p == '"') {
                for (p++; *p && *p != '"'; p++) {
                        if (*p == '\\' && p[1] == '"')
                                p++;
                        *out++ = *p;
                }
                if (*p != '"') {
                        snprintf(why, whylen, "the double quote is not closed; expected KEY=\"value\" on one line");
                        goto bad;
                }
                p++;
        } else {
                for (; *p && !is_blank(*p); p++) {
                        if (*p == '"' || *p == '\'' || *p == '\\') {
                                snprintf(why, whylen, "a quote or backslash inside an unquoted value; expected the whole value in quotes");
                                goto bad;
                        }
                        *out++ = *p;
                }
        }
        *out = '\0';
        while (is_blank(*p))
                p++;
        if (*p != '\0' && *p != '#') {
                snprintf(why, whylen, "text after the value; expected one KEY=VALUE per line, with values containing spaces in quotes");
                goto bad;
        }
        *key = k;
        *value = v;
        return 1;
bad:
        free(v);
        return -EINVAL;
}

int legacy_load(struct nh_ns_config *c)
{
        _cleanup_free_ char *data = NULL;
        struct nh_node *sec, *key;
        const struct nh_node *seen[ELEMENTSOF(legacy_keys)] = {};
        unsigned lineno = 0;
        bool failed = false;
        char *line, *next;
        size_t len = 0;
        int r;

        r = conf_read(c->path, &data, &len);
        if (r == -EINVAL)
                return r;
        if (r >= 0)
                c->hash = fnv1a(data, len, FNV_INIT);
        if (r < 0) {
                nh_logf(NH_LOG_ERR, "%s: cannot read: %s", c->path, strerror(-r));
                return r;
        }

        sec = empty_map_new(c->path, 1, 1);
        if (!sec)
                return -ENOMEM;
        key = scalar_new(c->path, 1, 1, LEGACY_SECTION);
        if (!key) {
                node_free(sec);
                return -ENOMEM;
        }
        r = node_append(c->root, key, sec);
        if (r < 0)
                return r;

        for (line = data; line; line = next) {
                char why[256], *k = NULL, *v = NULL;
                unsigned kcol = 1, vcol = 1;
                struct nh_node at;
                size_t idx;

                lineno++;
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                if (*line && line[strlen(line) - 1] == '\r')
                        line[strlen(line) - 1] = '\0';

                at = (struct nh_node) { .file = c->path, .line = lineno, .column = 1 };
                r = legacy_parse_line(line, &k, &kcol, &v, &vcol, why, sizeof why);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        report_error(c->path, &at, NULL, "%s", why);
                        failed = true;
                        continue;
                }
                if (r == 0)
                        continue;

                at.column = kcol;
                for (idx = 0; idx < ELEMENTSOF(legacy_keys); idx++)
                        if (streq(legacy_keys[idx].legacy, k))
                                break;
                if (idx == ELEMENTSOF(legacy_keys)) {
                        const char *names[ELEMENTSOF(legacy_keys)];
                        char list[256];

                        for (size_t i = 0; i < ELEMENTSOF(legacy_keys); i++)
                                names[i] = legacy_keys[i].legacy;
                        list_keys(list, sizeof list, names, ELEMENTSOF(names));
                        report_error(c->path, &at, k, "unknown key; expected one of: %s", list);
                        failed = true;
                        free(v);
                        continue;
                }
                if (seen[idx]) {
                        /* A shell takes the last assignment; so do we, but say so. */
                        nh_config_report(NH_LOG_WARNING, c->path, &at, k,
                                         "set again (first at line %u); the last value is used", seen[idx]->line);
                        for (size_t i = 0; i < sec->n; i++)
                                if (sec->items[i] == seen[idx]) {
                                        node_free(sec->keys[i]);
                                        node_free(sec->items[i]);
                                        memmove(sec->keys + i, sec->keys + i + 1, (sec->n - i - 1) * sizeof *sec->keys);
                                        memmove(sec->items + i, sec->items + i + 1, (sec->n - i - 1) * sizeof *sec->items);
                                        sec->n--;
                                        break;
                                }
                        seen[idx] = NULL;
                }
                if (!*v) {                      /* an empty value means unset */
                        free(v);
                        continue;
                }
                {
                        struct nh_node *kn = scalar_new(c->path, lineno, kcol, legacy_keys[idx].key);
                        struct nh_node *vn = scalar_new(c->path, lineno, vcol, v);

                        free(v);
                        if (!kn || !vn) {
                                node_free(kn);
                                node_free(vn);
                                return -ENOMEM;
                        }
                        r = node_append(sec, kn, vn);
                        if (r < 0)
                                return r;
                        seen[idx] = vn;
                }
        }
        return failed ? -EINVAL : 0;
}
