/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading the configuration into a tree of positioned nodes (conf.h).
 *
 * YAML goes through libyaml's event API, because only the events carry the
 * marks (line, column) we need for every error.  What the files need is a
 * small subset of YAML: mappings, sequences and scalars.  Anchors, aliases,
 * tags and several documents in one file are refused with an error instead
 * of being half supported: a config a person can read top to bottom is the
 * point of the format here.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/conf.h"
#include "base/log.h"
#include "config/names.h"
#include "base/util.h"
#include "config/yaml-dl.h"

#ifndef NH_PLUGINDIR
#define NH_PLUGINDIR "/usr/lib/netns-helper/plugins"
#endif

/* Deeper nesting than this is refused instead of recursing on. */
#define MAX_DEPTH 32

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

#define report_error(file, node, what, ...) nh_config_report(NH_LOG_ERR, file, node, what, __VA_ARGS__)

/* ---- nodes ------------------------------------------------------------- */

/* While a file is read, a YAML null (an empty plain value, "~", "null")
 * is a scalar with this flag; nulls never leave the loader. */
struct pnode {
        struct nh_node n;
        bool null;
};

static void node_free(struct nh_node *n)
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

static struct nh_node *node_new(enum nh_node_kind kind, const char *file, unsigned line, unsigned column)
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

static bool node_is_null(const struct nh_node *n)
{
        return n && ((const struct pnode *) n)->null;
}

static struct nh_node *scalar_new(const char *file, unsigned line, unsigned column, const char *value)
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

static struct nh_node *empty_map_new(const char *file, unsigned line, unsigned column)
{
        return node_new(NH_NODE_MAP, file, line, column);
}

/* Appends (key, value) to a MAP, or value to a SEQ (key NULL).  Takes
 * ownership of both, also on failure. */
static int node_append(struct nh_node *c, struct nh_node *key, struct nh_node *value)
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

static const struct nh_node *node_key_of(const struct nh_node *map, const struct nh_node *value)
{
        if (!map || map->kind != NH_NODE_MAP)
                return NULL;
        for (size_t i = 0; i < map->n; i++)
                if (map->items[i] == value)
                        return map->keys[i];
        return NULL;
}

static const char *kind_name(const struct nh_node *n)
{
        return n->kind == NH_NODE_MAP ? "a mapping" : n->kind == NH_NODE_SEQ ? "a list" : "a single value";
}

/* ---- YAML ------------------------------------------------------------- */

struct reader {
        yaml_parser_t parser;
        const char *file;
        unsigned errors;
        bool null_sections;     /* top-level null values become empty MAPs */
};

static unsigned mline(const yaml_mark_t *m) { return (unsigned) m->line + 1; }
static unsigned mcol(const yaml_mark_t *m) { return (unsigned) m->column + 1; }

static int next_event(struct reader *rd, yaml_event_t *ev)
{
        if (sym_yaml_parser_parse(&rd->parser, ev))
                return 0;
        {
                struct nh_node at = {
                        .file = rd->file,
                        .line = mline(&rd->parser.problem_mark),
                        .column = mcol(&rd->parser.problem_mark),
                };
                const char *problem = rd->parser.problem ? rd->parser.problem : "unknown error";

                if (rd->parser.error == YAML_MEMORY_ERROR)
                        return -ENOMEM;
                if (rd->parser.context)
                        report_error(rd->file, &at, NULL,
                                     "invalid YAML: %s %s (which started at line %u, column %u); expected well-formed YAML",
                                     problem, rd->parser.context,
                                     mline(&rd->parser.context_mark), mcol(&rd->parser.context_mark));
                else
                        report_error(rd->file, &at, NULL, "invalid YAML: %s; expected well-formed YAML", problem);
        }
        return -EINVAL;
}

static void refuse_anchor_tag(struct reader *rd, const yaml_event_t *ev, const char *anchor, const char *tag)
{
        struct nh_node at = { .file = rd->file, .line = mline(&ev->start_mark), .column = mcol(&ev->start_mark) };

        if (anchor) {
                report_error(rd->file, &at, NULL, "anchor '&%.64s' is not supported; expected plain values written out", anchor);
                rd->errors++;
        }
        if (tag) {
                report_error(rd->file, &at, NULL, "tag '%.64s' is not supported; expected plain values without '!' tags", tag);
                rd->errors++;
        }
}

static int parse_node(struct reader *rd, yaml_event_t *ev, unsigned depth, struct nh_node **ret);

static bool scalar_is_null(const yaml_event_t *ev)
{
        const char *v = (const char *) ev->data.scalar.value;

        if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
                return false;
        return ev->data.scalar.length == 0 || streq(v, "~") ||
               streq(v, "null") || streq(v, "Null") || streq(v, "NULL");
}

/* Duplicate keys are refused (YAML says so; libyaml does not check), then
 * null values are dropped, so "address6:" reads as "not set". */
static int finish_map(struct reader *rd, struct nh_node *m, unsigned depth)
{
        size_t o = 0;

        for (size_t i = 0; i < m->n; i++)
                for (size_t j = 0; j < i; j++)
                        if (streq(m->keys[i]->value, m->keys[j]->value)) {
                                report_error(rd->file, m->keys[i], NULL,
                                             "duplicate key '%.64s' (first at line %u, column %u); expected each key once",
                                             m->keys[i]->value, m->keys[j]->line, m->keys[j]->column);
                                rd->errors++;
                                break;
                        }

        for (size_t i = 0; i < m->n; i++) {
                struct nh_node *v = m->items[i];

                /* Only the stage sections of a namespace file read "macvlan:"
                 * alone as an empty section; depth 0 is the file's root. */
                if (node_is_null(v) && depth == 0 && rd->null_sections &&
                    !streq(m->keys[i]->value, "stages") && !streq(m->keys[i]->value, "implementations")) {
                        struct nh_node *e = empty_map_new(rd->file, v->line, v->column);
                        if (!e)
                                return -ENOMEM;
                        node_free(v);
                        v = e;
                } else if (node_is_null(v)) {
                        node_free(m->keys[i]);
                        node_free(v);
                        continue;
                }
                m->keys[o] = m->keys[i];
                m->items[o++] = v;
        }
        m->n = o;
        return 0;
}

static int parse_collection(struct reader *rd, yaml_event_t *start, unsigned depth, struct nh_node **ret)
{
        bool map = start->type == YAML_MAPPING_START_EVENT;
        yaml_event_type_t end = map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
        struct nh_node *c;
        int r;

        c = node_new(map ? NH_NODE_MAP : NH_NODE_SEQ, rd->file, mline(&start->start_mark), mcol(&start->start_mark));
        if (!c)
                return -ENOMEM;
        if (depth > MAX_DEPTH) {
                report_error(rd->file, c, NULL, "nested more than %d levels deep; expected a flat configuration", MAX_DEPTH);
                node_free(c);
                return -EINVAL;
        }

        for (;;) {
                yaml_event_t ev;
                struct nh_node *key = NULL, *value = NULL;

                r = next_event(rd, &ev);
                if (r < 0)
                        goto fail;
                if (ev.type == end) {
                        sym_yaml_event_delete(&ev);
                        break;
                }
                if (map) {
                        r = parse_node(rd, &ev, depth + 1, &key);
                        sym_yaml_event_delete(&ev);
                        if (r < 0)
                                goto fail;
                        r = next_event(rd, &ev);
                        if (r < 0) {
                                node_free(key);
                                goto fail;
                        }
                }
                r = parse_node(rd, &ev, depth + 1, &value);
                sym_yaml_event_delete(&ev);
                if (r < 0) {
                        node_free(key);
                        goto fail;
                }

                if (map && (key->kind != NH_NODE_SCALAR || node_is_null(key) || !*key->value)) {
                        report_error(rd->file, key, NULL, "%s is not a valid key; expected a name such as 'parent'",
                                     key->kind != NH_NODE_SCALAR ? kind_name(key) : "an empty value");
                        rd->errors++;
                        node_free(key);
                        node_free(value);
                        continue;
                }
                if (!map && node_is_null(value)) {
                        report_error(rd->file, value, NULL, "empty list item; expected a value");
                        rd->errors++;
                        node_free(value);
                        continue;
                }
                r = node_append(c, key, value);
                if (r < 0)
                        goto fail;
        }

        if (map) {
                r = finish_map(rd, c, depth);
                if (r < 0)
                        goto fail;
        }
        *ret = c;
        return 0;
fail:
        node_free(c);
        return r;
}

static int parse_node(struct reader *rd, yaml_event_t *ev, unsigned depth, struct nh_node **ret)
{
        struct nh_node *n;

        switch (ev->type) {
        case YAML_SCALAR_EVENT:
                refuse_anchor_tag(rd, ev, (const char *) ev->data.scalar.anchor, (const char *) ev->data.scalar.tag);
                n = scalar_new(rd->file, mline(&ev->start_mark), mcol(&ev->start_mark),
                               (const char *) ev->data.scalar.value);
                if (!n)
                        return -ENOMEM;
                if (strlen(n->value) != ev->data.scalar.length) {
                        report_error(rd->file, n, NULL, "the value contains a NUL byte; expected text");
                        rd->errors++;
                }
                ((struct pnode *) n)->null = scalar_is_null(ev);
                *ret = n;
                return 0;

        case YAML_ALIAS_EVENT:
                n = scalar_new(rd->file, mline(&ev->start_mark), mcol(&ev->start_mark), "");
                if (!n)
                        return -ENOMEM;
                report_error(rd->file, n, NULL, "alias '*%.64s' is not supported; expected the value written out",
                             (const char *) ev->data.alias.anchor);
                rd->errors++;
                *ret = n;
                return 0;

        case YAML_SEQUENCE_START_EVENT:
                refuse_anchor_tag(rd, ev, (const char *) ev->data.sequence_start.anchor,
                                  (const char *) ev->data.sequence_start.tag);
                return parse_collection(rd, ev, depth, ret);

        case YAML_MAPPING_START_EVENT:
                refuse_anchor_tag(rd, ev, (const char *) ev->data.mapping_start.anchor,
                                  (const char *) ev->data.mapping_start.tag);
                return parse_collection(rd, ev, depth, ret);

        default: {
                struct nh_node at = { .file = rd->file, .line = mline(&ev->start_mark), .column = mcol(&ev->start_mark) };
                report_error(rd->file, &at, NULL, "unexpected YAML event %d; expected a value", (int) ev->type);
                return -EINVAL;
        }
        }
}

/* ---- the parsed-tree cache ---------------------------------------------- */

/*
 * A YAML file that parsed without a mistake is kept as its tree in
 * CACHEDIR/HASH-BASENAME.tree, together with the path and the exact bytes
 * it was parsed from.  The next process that reads the same bytes from the
 * same path takes the tree from there and never loads libyaml (yaml-dl.h
 * says why that matters).  A file is only ever compared by its content,
 * byte for byte, never by timestamps: an edit, however quick, is a miss.
 *
 * The cache is an optimisation and never an error: whatever is wrong with
 * it (absent, unreadable, not ours, damaged, from another version) is a
 * miss, and a failure to write it is only logged at debug level.  A tree
 * is cached after the parse, before any stage checks it, so checks and
 * warnings of the stages still run on every load.
 *
 * Format (host byte order; the cache never leaves the machine):
 *   "netns-helper tree VERSION N\n"   N: 1 when top-level nulls are sections
 *   u32 length + the file's path, u32 length + the file's bytes,
 *   the root node, a u64 FNV-1a hash of everything before it.
 *   node: u8 kind, u8 null, u32 line, u32 column, then for a scalar u32
 *   length + bytes, for a list u32 n + n nodes, for a mapping u32 n + n
 *   (key, value) pairs.
 * Bump TREE_CACHE_VERSION whenever yaml_load() would make another tree of
 * the same bytes.
 */
#define TREE_CACHE_VERSION 1
#define TREE_CACHE_MAX (4u << 20)

static const char *tree_cache_dir;
static bool tree_cache_readonly;

void nh_conf_set_cache_dir(const char *dir)
{
        tree_cache_dir = dir && dir[0] == '/' ? dir : NULL;
}

void nh_conf_set_cache_readonly(bool readonly)
{
        tree_cache_readonly = readonly;
}

const char *nh_conf_cache_dir(void) { return tree_cache_dir; }
bool nh_conf_cache_writable(void) { return tree_cache_dir && !tree_cache_readonly; }

#define fnv1a fnv1a64
#define FNV_INIT 0xcbf29ce484222325ULL

static char *tree_cache_path(const char *path)
{
        const char *base = strrchr(path, '/');

        if (!tree_cache_dir)
                return NULL;
        return strdup_printf("%s/%016llx-%s.tree", tree_cache_dir,
                             (unsigned long long) fnv1a(path, strlen(path), FNV_INIT), base ? base + 1 : path);
}

static int tree_cache_header(char *buf, size_t len, bool null_sections)
{
        return snprintf(buf, len, "netns-helper tree %d %s %d\n", TREE_CACHE_VERSION, PACKAGE_VERSION,
                        null_sections ? 1 : 0);
}

struct wbuf {
        char *p;
        size_t n, cap;
        bool oom;
};

static void wb_put(struct wbuf *w, const void *d, size_t n)
{
        if (w->oom)
                return;
        if (n > TREE_CACHE_MAX || w->n + n > TREE_CACHE_MAX) {
                w->oom = true;
                return;
        }
        if (w->n + n > w->cap) {
                size_t cap = w->cap ? w->cap : 1024;
                char *p;
                while (cap < w->n + n)
                        cap *= 2;
                p = realloc(w->p, cap);
                if (!p) {
                        w->oom = true;
                        return;
                }
                w->p = p;
                w->cap = cap;
        }
        memcpy(w->p + w->n, d, n);
        w->n += n;
}

static void wb_u32(struct wbuf *w, size_t v)
{
        uint32_t u = (uint32_t) v;

        if (v > UINT32_MAX)
                w->oom = true;
        wb_put(w, &u, sizeof u);
}

static void wb_bytes(struct wbuf *w, const void *d, size_t n)
{
        wb_u32(w, n);
        wb_put(w, d, n);
}

static void wb_node(struct wbuf *w, const struct nh_node *n)
{
        uint8_t kind = (uint8_t) n->kind, null = node_is_null(n);
        uint32_t line = n->line, column = n->column;

        wb_put(w, &kind, 1);
        wb_put(w, &null, 1);
        wb_put(w, &line, sizeof line);
        wb_put(w, &column, sizeof column);
        if (n->kind == NH_NODE_SCALAR) {
                wb_bytes(w, n->value, strlen(n->value));
                return;
        }
        wb_u32(w, n->n);
        for (size_t i = 0; i < n->n; i++) {
                if (n->kind == NH_NODE_MAP)
                        wb_node(w, n->keys[i]);
                wb_node(w, n->items[i]);
        }
}

struct rbuf {
        const char *p;
        size_t n, o;
        const char *file;
};

static const void *rb_get(struct rbuf *r, size_t n)
{
        const void *p;

        if (n > r->n - r->o)
                return NULL;
        p = r->p + r->o;
        r->o += n;
        return p;
}

static bool rb_u32(struct rbuf *r, uint32_t *v)
{
        const void *p = rb_get(r, sizeof *v);

        if (!p)
                return false;
        memcpy(v, p, sizeof *v);
        return true;
}

/* The smallest node takes 14 bytes: a bound on any count read. */
#define NODE_MIN 14

static int rb_node(struct rbuf *r, unsigned depth, struct nh_node **ret)
{
        const uint8_t *kn;
        uint32_t line, column, n;
        struct nh_node *node;

        kn = rb_get(r, 2);
        if (!kn || kn[0] > NH_NODE_MAP || kn[1] > 1 || depth > MAX_DEPTH + 1 ||
            !rb_u32(r, &line) || !rb_u32(r, &column) || !rb_u32(r, &n))
                return -EBADMSG;
        if (kn[0] == NH_NODE_SCALAR) {
                const char *s = rb_get(r, n);
                if (!s || memchr(s, '\0', n))
                        return -EBADMSG;
                node = node_new(NH_NODE_SCALAR, r->file, line, column);
                if (!node)
                        return -ENOMEM;
                node->value = strndup(s, n);
                if (!node->value) {
                        free(node);
                        return -ENOMEM;
                }
        } else {
                bool map = kn[0] == NH_NODE_MAP;
                if (n > (r->n - r->o) / (map ? 2 * NODE_MIN : NODE_MIN))
                        return -EBADMSG;
                node = node_new(map ? NH_NODE_MAP : NH_NODE_SEQ, r->file, line, column);
                if (!node)
                        return -ENOMEM;
                for (uint32_t i = 0; i < n; i++) {
                        struct nh_node *key = NULL, *value = NULL;
                        int q;
                        if (map) {
                                q = rb_node(r, depth + 1, &key);
                                if (q == 0 && key->kind != NH_NODE_SCALAR) {
                                        node_free(key);
                                        q = -EBADMSG;
                                }
                                if (q < 0) {
                                        node_free(node);
                                        return q;
                                }
                        }
                        q = rb_node(r, depth + 1, &value);
                        if (q < 0) {
                                node_free(key);
                                node_free(node);
                                return q;
                        }
                        q = node_append(node, key, value);
                        if (q < 0) {
                                node_free(node);
                                return q;
                        }
                }
        }
        ((struct pnode *) node)->null = kn[1];
        *ret = node;
        return 0;
}

/* 1 and the tree when the cache holds data (len bytes) as read from
 * path; 0 otherwise. */
static int tree_cache_get(const char *path, bool null_sections, const char *data, size_t len, struct nh_node **ret)
{
        _cleanup_free_ char *cpath = tree_cache_path(path), *buf = NULL;
        _cleanup_close_ int fd = -1;
        struct rbuf r = { .file = path };
        char head[128];
        uint32_t n;
        uint64_t sum;
        struct stat st;
        const void *p;
        int hl;

        if (!cpath)
                return 0;
        fd = open(cpath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return 0;
        /* Only a file root or we wrote, that nobody else could have. */
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (st.st_mode & 022) ||
            (st.st_uid != 0 && st.st_uid != geteuid()) || st.st_size > TREE_CACHE_MAX)
                return 0;
        if (read_fd(fd, &buf, &r.n) < 0)
                return 0;
        r.p = buf;

        hl = tree_cache_header(head, sizeof head, null_sections);
        if (r.n < sizeof sum || (size_t) hl >= sizeof head || !(p = rb_get(&r, (size_t) hl)) ||
            memcmp(p, head, (size_t) hl) != 0)
                goto miss;
        memcpy(&sum, buf + r.n - sizeof sum, sizeof sum);
        if (fnv1a(buf, r.n - sizeof sum, FNV_INIT) != sum)
                goto miss;
        r.n -= sizeof sum;
        if (!rb_u32(&r, &n) || n != strlen(path) || !(p = rb_get(&r, n)) || memcmp(p, path, n) != 0)
                goto miss;
        if (!rb_u32(&r, &n) || n != len || !(p = rb_get(&r, n)) || memcmp(p, data, n) != 0)
                goto miss;
        if (rb_node(&r, 0, ret) < 0)
                goto miss;
        if (r.o != r.n) {
                node_free(*ret);
                *ret = NULL;
                goto miss;
        }
        nh_logf(NH_LOG_DEBUG, "%s: parsed tree taken from %s", path, cpath);
        return 1;
miss:
        nh_logf(NH_LOG_DEBUG, "%s: %s does not hold this file's tree", path, cpath);
        return 0;
}

static void tree_cache_put(const char *path, bool null_sections, const char *data, size_t len,
                           const struct nh_node *root)
{
        _cleanup_free_ char *cpath = tree_cache_readonly ? NULL : tree_cache_path(path);
        struct wbuf w = { 0 };
        char head[128];
        uint64_t sum;
        int r, hl;

        if (!cpath)
                return;
        hl = tree_cache_header(head, sizeof head, null_sections);
        if (hl < 0 || (size_t) hl >= sizeof head)
                return;
        wb_put(&w, head, (size_t) hl);
        wb_bytes(&w, path, strlen(path));
        wb_bytes(&w, data, len);
        wb_node(&w, root);
        if (!w.oom) {
                sum = fnv1a(w.p, w.n, FNV_INIT);
                wb_put(&w, &sum, sizeof sum);
        }
        if (w.oom)
                r = -E2BIG;
        else {
                /* Root's only: an entry holds a copy of a file that may
                 * be readable by root alone. */
                r = mkdir_p(tree_cache_dir, 0700);
                if (r >= 0)
                        r = write_file_replace(cpath, w.p, w.n, 0600);
        }
        free(w.p);
        if (r < 0)
                nh_logf(NH_LOG_DEBUG, "%s: not cached in %s: %s", path, cpath, strerror(-r));
}

/* Reads path into a MAP.  An empty file or a null document is an empty
 * MAP.  Returns -ENOENT (not logged) when the file does not exist, -EINVAL
 * (logged) for any mistake in it. */
/* Reads a configuration file.  Only a regular file is read: a FIFO would
 * block every command on it for ever, a device could do anything when
 * opened, so both are refused from their stat(2) alone (-EINVAL, logged).
 * A symbolic link that leads nowhere is as good as no file, with a warning
 * (-ENOENT, the file's absence as the callers expect it). */
static int conf_read(const char *path, char **data, size_t *len)
{
        struct stat st;
        int fd, r;

        if (stat(path, &st) < 0) {
                char target[PATH_MAX];
                ssize_t n;

                r = -errno;
                if (r == -ENOENT && (n = readlink(path, target, sizeof target - 1)) >= 0) {
                        target[n] = '\0';
                        nh_logf(NH_LOG_WARNING, "%s: a symbolic link to %s, which does not exist; ignoring it",
                                path, target);
                }
                return r;
        }
        if (S_ISDIR(st.st_mode))
                return -EISDIR;         /* the caller's "cannot read" */
        if (!S_ISREG(st.st_mode)) {
                nh_logf(NH_LOG_ERR, "%s: not a regular file (%s); refusing to read it", path,
                        S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket" :
                        S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" : "not a file");
                return -EINVAL;
        }
        /* O_NONBLOCK: should it have become a FIFO since, it does not
         * block; then fstat() refuses it. */
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                nh_logf(NH_LOG_ERR, "%s: not a regular file; refusing to read it", path);
                return -EINVAL;
        }
        /* It says what root runs (plugins, hooks, programs): whoever may
         * write it may choose them. */
        if (st.st_mode & S_IWOTH) {
                close(fd);
                nh_logf(NH_LOG_ERR, "%s: writable by others, who could make root run anything; "
                        "refusing to read it: chmod o-w %s", path, path);
                return -EINVAL;
        }
        r = read_fd(fd, data, len);
        close(fd);
        return r;
}

static int yaml_load(const char *path, bool null_sections, struct nh_node **ret, uint64_t *hash)
{
        _cleanup_free_ char *data = NULL;
        struct reader rd = { .file = path, .null_sections = null_sections };
        struct nh_node *root = NULL;
        yaml_event_t ev;
        size_t len;
        int r;

        r = conf_read(path, &data, &len);
        if (r == -ENOENT || r == -EINVAL)
                return r;
        if (r < 0) {
                nh_logf(NH_LOG_ERR, "%s: cannot read: %s", path, strerror(-r));
                return r;
        }
        *hash = fnv1a(data, len, FNV_INIT);
        if (tree_cache_get(path, null_sections, data, len, ret) > 0)
                return 0;
        r = nh_yaml_dlopen();
        if (r < 0)
                return r;
        if (!sym_yaml_parser_initialize(&rd.parser))
                return -ENOMEM;
        sym_yaml_parser_set_input_string(&rd.parser, (const unsigned char *) data, len);

        r = next_event(&rd, &ev);                       /* STREAM-START */
        if (r < 0)
                goto out;
        sym_yaml_event_delete(&ev);

        r = next_event(&rd, &ev);
        if (r < 0)
                goto out;
        if (ev.type == YAML_DOCUMENT_START_EVENT) {
                sym_yaml_event_delete(&ev);
                r = next_event(&rd, &ev);
                if (r < 0)
                        goto out;
                r = parse_node(&rd, &ev, 0, &root);
                sym_yaml_event_delete(&ev);
                if (r < 0)
                        goto out;

                r = next_event(&rd, &ev);               /* DOCUMENT-END */
                if (r < 0)
                        goto out;
                sym_yaml_event_delete(&ev);

                r = next_event(&rd, &ev);
                if (r < 0)
                        goto out;
                if (ev.type == YAML_DOCUMENT_START_EVENT) {
                        struct nh_node at = { .file = path, .line = mline(&ev.start_mark), .column = mcol(&ev.start_mark) };
                        report_error(path, &at, NULL, "a second YAML document; expected one document per file");
                        rd.errors++;
                }
                sym_yaml_event_delete(&ev);
        } else
                sym_yaml_event_delete(&ev);                 /* STREAM-END: an empty file */

        if (!root || node_is_null(root)) {
                unsigned line = root ? root->line : 1, col = root ? root->column : 1;
                node_free(root);
                root = empty_map_new(path, line, col);
                if (!root) {
                        r = -ENOMEM;
                        goto out;
                }
        } else if (root->kind != NH_NODE_MAP) {
                report_error(path, root, NULL, "the file holds %s; expected a mapping of keys such as 'macvlan:'",
                             kind_name(root));
                rd.errors++;
        }
        r = 0;
out:
        sym_yaml_parser_delete(&rd.parser);
        if (r == 0 && rd.errors > 0)
                r = -EINVAL;
        if (r < 0) {
                node_free(root);
                return r;
        }
        tree_cache_put(path, null_sections, data, len, root);
        *ret = root;
        return 0;
}

/* ---- helpers for the loaders ------------------------------------------ */

static void list_keys(char *buf, size_t len, const char *const *names, size_t n)
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
                report_error(file, n, "implementations", "found %s; expected a mapping of stage: plugin, such as { dhcp4: dhclient4 }",
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

void nh_global_config_free(struct nh_global_config *c)
{
        if (!c)
                return;
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

static int global_orders(struct nh_global_config *c, const struct nh_node *n)
{
        int r = 0;

        if (n->kind != NH_NODE_MAP) {
                report_error(c->path, n, "order", "found %s; expected a mapping of plugin: number, such as { dhclient4: 300 }",
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
                                             "ready-timeout" };
        struct nh_global_config *c;
        bool failed = false;
        int r;

        c = calloc(1, sizeof *c);
        if (!c)
                return -ENOMEM;
        c->all_plugins = true;
        c->hook_timeout_s = NH_HOOK_TIMEOUT_DEFAULT;
        c->ready_timeout_s = NH_READY_TIMEOUT_DEFAULT;
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

static bool is_section_key(const char *k)
{
        return !streq(k, "stages") && !streq(k, "implementations");
}

const struct nh_node *nh_ns_config_section(const struct nh_ns_config *c, const char *stage)
{
        if (!c || !stage || !is_section_key(stage))
                return NULL;
        return nh_node_get(c->root, stage);
}

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

static const char *legacy_name_of(const char *key)
{
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

static int legacy_load(struct nh_ns_config *c, bool *has_address4)
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
        key = scalar_new(c->path, 1, 1, "macvlan");
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
        *has_address4 = nh_node_get(sec, "address4") != NULL;
        return failed ? -EINVAL : 0;
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
                                             "the list is empty; expected the stages to run, such as [netns, macvlan, postup]");
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

static int default_stages(struct nh_ns_config *c, bool legacy_address4)
{
        const struct nh_node *mv;
        int r;

        r = stages_add(c, "netns");
        if (r < 0)
                return r;
        if (c->legacy) {
                r = stages_add(c, "macvlan");
                if (r >= 0 && !legacy_address4)
                        r = stages_add(c, "dhcp4");
        } else {
                for (size_t i = 0; i < c->root->n && r >= 0; i++)
                        if (is_section_key(c->root->keys[i]->value))
                                r = stages_add(c, c->root->keys[i]->value);
                mv = nh_ns_config_section(c, "macvlan");
                if (r >= 0 && mv && !nh_node_get(mv, "address4") && !nh_ns_config_section(c, "dhcp4"))
                        r = stages_add(c, "dhcp4");
        }
        if (r >= 0)
                r = stages_add(c, "postup");
        return r;
}

int nh_ns_config_load(const char *confdir, const char *name, struct nh_ns_config **ret)
{
        struct nh_ns_config *c;
        bool has_address4 = false;
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
        c->legacy_path = strdup_printf("%s/ns/%s-macvlan.conf", confdir, name);
        if (!c->name || !c->path || !c->legacy_path) {
                r = -ENOMEM;
                goto fail;
        }

        r = yaml_load(c->path, true, &c->root, &c->hash);
        if (r == 0) {
                c->exists = true;
                if (stat(c->legacy_path, &st) == 0)
                        nh_logf(NH_LOG_WARNING, "%s: ignored, because %s exists and takes precedence; "
                                "move its settings into the 'macvlan:' section and remove it",
                                c->legacy_path, c->path);
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
                        r = legacy_load(c, &has_address4);
                        if (r < 0)
                                goto fail;
                }
        } else
                goto fail;

        if (!c->stages_explicit) {
                r = default_stages(c, has_address4);
                if (r < 0)
                        goto fail;
        }
        *ret = c;
        return 0;
fail:
        nh_ns_config_free(c);
        return r;
}

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
        const char *l = c && c->legacy && streq(stage, "macvlan") ? legacy_name_of(key) : NULL;

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
