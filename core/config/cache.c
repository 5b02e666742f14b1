/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The parsed-tree cache: a YAML file's tree kept on disk, so that the next
 * process reading the same bytes needs no libyaml (yaml-dl.h says why).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "config/internal.h"

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
int tree_cache_get(const char *path, bool null_sections, const char *data, size_t len, struct nh_node **ret)
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

void tree_cache_put(const char *path, bool null_sections, const char *data, size_t len,
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
