/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The tree of positioned nodes every configuration file is read into
 * (conf.h), and the one way an error in it is reported: at the file, line
 * and column of the node it is about.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "config/internal.h"

/* ---- reporting --------------------------------------------------------- */

static size_t advance(size_t o, int n, size_t size)
{
        if (n < 0)
                return o;
        return o + (size_t) n >= size ? size - 1 : o + (size_t) n;
}

void nh_config_reportv(int prio, const char *file, const struct nh_node *node,
                       const char *what, const char *fmt, va_list ap)
{
        const char *f = node && node->file ? node->file : file;
        char line[2048];
        size_t o = 0;

        /* A message longer than the line is cut; the position comes first. */
        line[0] = '\0';
        if (f && node)
                o = advance(o, snprintf(line, sizeof line, "%s:%u:%u: ", f, node->line, node->column), sizeof line);
        else if (f)
                o = advance(o, snprintf(line, sizeof line, "%s: ", f), sizeof line);
        if (what)
                o = advance(o, snprintf(line + o, sizeof line - o, "%s: ", what), sizeof line);
        vsnprintf(line + o, sizeof line - o, fmt, ap);
        /* Keys and values come from the file: a control character in
         * them (YAML's "\e" escape) must not reach a terminal or forge a
         * log line. */
        for (char *p = line; *p; p++)
                if ((unsigned char) *p < 0x20 || *p == 0x7f)
                        *p = '?';
        nh_logf(prio, "%s", line);
}

void nh_config_report(int prio, const char *file, const struct nh_node *node,
                      const char *what, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        nh_config_reportv(prio, file, node, what, fmt, ap);
        va_end(ap);
}

/* ---- nodes ------------------------------------------------------------- */


void node_free(struct nh_node *n)
{
        if (!n)
                return;
        free(n->value);
        if (n->kind != NH_NODE_SCALAR) {
                for (size_t i = 0; i < n->n; i++) {
                        node_free(n->items[i]);
                        if (n->keys)
                                node_free(n->keys[i]);
                }
        }
        free(n->items);
        free(n->keys);
        free(n);
}

struct nh_node *node_new(enum nh_node_kind kind, const char *file, unsigned line, unsigned column)
{
        struct pnode *p = calloc(1, sizeof *p);

        if (!p)
                return NULL;
        p->n.kind = kind;
        p->n.file = file;
        p->n.line = line;
        p->n.column = column;
        return &p->n;
}

bool node_is_null(const struct nh_node *n)
{
        return n && ((const struct pnode *) n)->null;
}

struct nh_node *scalar_new(const char *file, unsigned line, unsigned column, const char *value)
{
        struct nh_node *n = node_new(NH_NODE_SCALAR, file, line, column);

        if (!n)
                return NULL;
        n->value = strdup(value);
        if (!n->value) {
                free(n);
                return NULL;
        }
        return n;
}

struct nh_node *empty_map_new(const char *file, unsigned line, unsigned column)
{
        return node_new(NH_NODE_MAP, file, line, column);
}

/* Appends (key, value) to a MAP, or value to a SEQ (key NULL).  Takes
 * ownership of both, also on failure. */
int node_append(struct nh_node *c, struct nh_node *key, struct nh_node *value)
{
        struct nh_node **items, **keys;

        items = realloc(c->items, (c->n + 1) * sizeof *items);
        if (!items)
                goto oom;
        c->items = items;
        if (c->kind == NH_NODE_MAP) {
                keys = realloc(c->keys, (c->n + 1) * sizeof *keys);
                if (!keys)
                        goto oom;
                c->keys = keys;
                c->keys[c->n] = key;
        }
        c->items[c->n++] = value;
        return 0;
oom:
        node_free(key);
        node_free(value);
        return -ENOMEM;
}

const struct nh_node *nh_node_get(const struct nh_node *map, const char *key)
{
        if (!map || map->kind != NH_NODE_MAP || !key)
                return NULL;
        for (size_t i = 0; i < map->n; i++)
                if (streq(map->keys[i]->value, key))
                        return map->items[i];
        return NULL;
}

const struct nh_node *node_key_of(const struct nh_node *map, const struct nh_node *value)
{
        if (!map || map->kind != NH_NODE_MAP)
                return NULL;
        for (size_t i = 0; i < map->n; i++)
                if (map->items[i] == value)
                        return map->keys[i];
        return NULL;
}

const char *kind_name(const struct nh_node *n)
{
        return n->kind == NH_NODE_MAP ? "a mapping" : n->kind == NH_NODE_SEQ ? "a list" : "a single value";
}
