/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Finding, checking and loading stage plugins. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include "netns-helper/plugin.h"

struct nh_global_config;

struct nh_plugin_rec {
        char *name;                     /* file name without ".so" */
        char *path;
        void *handle;                   /* dlopen handle, NULL when refused */
        const struct nh_plugin *desc;   /* NULL when refused */
        bool enabled;                   /* allowed by the global config */
        char *refused;                  /* why it cannot be used, or NULL */
        int order;                      /* desc->order, or the config's override */
        int fd;                         /* the descriptor it was checked and loaded through, or -1 */
};

struct nh_registry {
        char **dirs;                    /* the plugin directories, in order */
        size_t n_dirs;
        const struct nh_global_config *global;
        struct nh_plugin_rec **recs;    /* each allocated on its own: pointers stay valid */
        size_t n_recs;
        bool scanned;                   /* every directory was read */
};

/* dirs: NETNS_HELPER_PLUGIN_PATH when set, else the global config's. */
int nh_registry_new(const struct nh_global_config *g, struct nh_registry **ret);
void nh_registry_free(struct nh_registry *r);

/* Loads every *.so of every directory (refusals are kept, with reasons). */
int nh_registry_scan(struct nh_registry *r);

/* The plugin record named name: loaded on first use from the first
 * directory that has NAME.so.  Returns NULL with *why set when there is
 * none; a refused record is returned as is (check ->refused). */
struct nh_plugin_rec *nh_registry_get(struct nh_registry *r, const char *name);

/* True when one of the directories has NAME.so (nothing is loaded). */
bool nh_registry_has(struct nh_registry *r, const char *name);
/* stat(2) of the NAME.so that would be loaded; -ENOENT when none. */
struct stat;
int nh_registry_stat(struct nh_registry *r, const char *name, struct stat *st);

/* The plugin implementing stage for a namespace whose config chose
 * ns_choice (may be NULL): ns_choice, else the global "implementations:",
 * else a plugin named like the stage, else the only enabled plugin that
 * implements it.  Logs why when there is none (or it is refused/disabled)
 * and returns NULL. */
struct nh_plugin_rec *nh_registry_for_stage(struct nh_registry *r, const char *stage,
                                            const char *ns_choice);

/* The loader's checks for one file, exposed for tests: fills rec. */
int nh_plugin_load(const char *path, struct nh_plugin_rec *rec);
/* Unloads and frees what nh_plugin_load() put in rec (not rec itself). */
void nh_plugin_unload(struct nh_plugin_rec *rec);
