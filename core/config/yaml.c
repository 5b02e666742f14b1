/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading a YAML file into a tree of positioned nodes (conf.h).
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "config/internal.h"
#include "config/yaml-dl.h"

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

/* Reads an event that carries nothing the tree needs (STREAM-START,
 * DOCUMENT-END) and drops it; an error is reported as next_event() does. */
static int skip_event(struct reader *rd)
{
        yaml_event_t ev;
        int r = next_event(rd, &ev);

        if (r >= 0)
                sym_yaml_event_delete(&ev);
        return r;
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

/* Reads a configuration file.  Only a regular file is read: a FIFO would
 * block every command on it for ever, a device could do anything when
 * opened, so both are refused from their stat(2) alone (-EINVAL, logged).
 * A symbolic link that leads nowhere is as good as no file, with a warning
 * (-ENOENT, the file's absence as the callers expect it). */
int conf_read(const char *path, char **data, size_t *len)
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

/* Reads path into a MAP.  An empty file or a null document is an empty
 * MAP.  Returns -ENOENT (not logged) when the file does not exist, -EINVAL
 * (logged) for any mistake in it. */
int yaml_load(const char *path, bool null_sections, struct nh_node **ret, uint64_t *hash)
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

        r = skip_event(&rd);                            /* STREAM-START */
        if (r < 0)
                goto out;

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

                r = skip_event(&rd);                    /* DOCUMENT-END */
                if (r < 0)
                        goto out;

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
                report_error(path, root, NULL, "the file holds %s; expected a mapping of keys (KEY: VALUE lines)",
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
