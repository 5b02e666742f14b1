/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the files of the configuration module share (conf.h is what the
 * rest of the core sees):
 *
 *   tree.c   the nodes and the error report at a node's position
 *   yaml.c   a YAML file read into nodes
 *   cache.c  the parsed-tree cache
 *   conf.c   the global and the namespace configuration
 *   check.c  the checks of a namespace's sections against the plugins
 * and, for the original tool's format, core/legacy/legacy-conf.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/conf.h"

/* Deeper nesting than this is refused instead of recursing on. */
#define MAX_DEPTH 32

#define fnv1a fnv1a64
#define FNV_INIT 0xcbf29ce484222325ULL

#define report_error(file, node, what, ...) nh_config_report(NH_LOG_ERR, file, node, what, __VA_ARGS__)

/* While a file is read, a YAML null (an empty plain value, "~", "null")
 * is a scalar with this flag; nulls never leave the loader. */
struct pnode {
        struct nh_node n;
        bool null;
};

/* tree.c */
void node_free(struct nh_node *n);
struct nh_node *node_new(enum nh_node_kind kind, const char *file, unsigned line, unsigned column);
bool node_is_null(const struct nh_node *n);
struct nh_node *scalar_new(const char *file, unsigned line, unsigned column, const char *value);
struct nh_node *empty_map_new(const char *file, unsigned line, unsigned column);
int node_append(struct nh_node *c, struct nh_node *key, struct nh_node *value);
const struct nh_node *node_key_of(const struct nh_node *map, const struct nh_node *value);
const char *kind_name(const struct nh_node *n);

/* yaml.c */
int conf_read(const char *path, char **data, size_t *len);
int yaml_load(const char *path, bool null_sections, struct nh_node **ret, uint64_t *hash);

/* cache.c */
int tree_cache_get(const char *path, bool null_sections, const char *data, size_t len, struct nh_node **ret);
void tree_cache_put(const char *path, bool null_sections, const char *data, size_t len,
                    const struct nh_node *root);

/* conf.c */
void list_keys(char *buf, size_t len, const char *const *names, size_t n);
bool is_section_key(const char *k);
