/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The engine runs a namespace's stages and implements the services of
 * struct nh_api for them (internal.h lists its files).
 *
 * A stage is always run the same way, whether one unit calls
 * "netns-helper-run STAGE NAME start" or "netns-helper up NAME" runs them
 * all: its configuration section is checked against the plugin's key table,
 * then validate(), then the verb.  "up" checks every stage before the first
 * change, and undoes the stages it started when a later one fails.
 *
 * This file: the engine object, the state of a namespace while a command
 * works on it, and which plugin serves a stage.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "base/log.h"
#include "base/util.h"
#include "config/names.h"
#include "engine/internal.h"
#include "os/hookdns.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

int nh_check_namespace_name(const char *ns)
{
        char why[256];

        if (nh_namespace_name_check(ns, why, sizeof why) < 0) {
                log_error("Invalid namespace name '%s': %s", ns, why);
                return NH_EXIT_CONFIG;
        }
        return NH_EXIT_OK;
}

/* ---- per-namespace state ------------------------------------------------- */

void nsstate_drop_kernel(const struct nh_engine *e, struct nh_nsstate *s)
{
        if (s->nl) {
                e->nl.free(s->nl);
                s->nl = NULL;
        }
        if (s->netns_fd >= 0) {
                close(s->netns_fd);
                s->netns_fd = -1;
        }
}

void nsstate_free(const struct nh_engine *e, struct nh_nsstate *s)
{
        if (!s)
                return;
        nsstate_drop_kernel(e, s);
        if (s->lock_fd >= 0)
                close(s->lock_fd);
        nh_ns_config_free(s->cfg);
        free(s->name);
        free(s->run_dir);
        free(s->state_dir);
        free(s->etc_dir);
        free(s->dns_dir);
        free(s);
}

/* Returns an NH_EXIT_* code. */
int nsstate_new(const struct nh_engine *e, const char *ns, struct nh_nsstate **ret)
{
        struct nh_nsstate *s;
        int r;

        r = nh_check_namespace_name(ns);
        if (r != NH_EXIT_OK)
                return r;
        s = calloc(1, sizeof *s);
        if (!s)
                return NH_EXIT_FAILURE;
        s->netns_fd = -1;
        s->lock_fd = -1;
        s->name = strdup(ns);
        s->run_dir = nh_run_ns_dir(ns);
        s->state_dir = nh_state_ns_dir(ns);
        s->etc_dir = strdup_printf("%s/%s", nh_etc_netns(), ns);
        s->dns_dir = nh_run_dns_dir(ns);
        if (!s->name || !s->run_dir || !s->state_dir || !s->etc_dir || !s->dns_dir) {
                nsstate_free(e, s);
                return NH_EXIT_FAILURE;
        }
        r = nh_ns_config_load(nh_confdir(), ns, &s->cfg);
        if (r < 0) {
                if (r != -EINVAL)
                        log_error("Cannot read the configuration of namespace %s in %s/ns: %s",
                                  ns, nh_confdir(), strerror(-r));
                nsstate_free(e, s);
                return r == -EINVAL ? NH_EXIT_CONFIG : NH_EXIT_FAILURE;
        }
        *ret = s;
        return NH_EXIT_OK;
}

int ns_open(struct nh_nsstate *s)
{
        _cleanup_free_ char *path = NULL;
        struct statfs sfs;
        int fd;

        if (s->netns_fd >= 0)
                return s->netns_fd;
        path = strdup_printf(NETNS_RUN_DIR "/%s", s->name);
        if (!path)
                return -ENOMEM;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fstatfs(fd, &sfs) < 0 || sfs.f_type != NSFS_MAGIC) {
                close(fd);
                return -EINVAL;    /* a plain file, not a namespace */
        }
        s->netns_fd = fd;
        return fd;
}

/* ---- the engine ---------------------------------------------------------- */

/* What netns-helper.yaml says about plugins, against the disk: each
 * directory of "plugin-dirs:" exists (unless NETNS_HELPER_PLUGIN_PATH
 * replaces them), each name of "plugins:" is a plugin in the directories
 * in use.  A mistake there would otherwise show only as a stage that has
 * no plugin, far from the line that caused it.  NH_EXIT_* code. */
static int global_config_check_plugins(struct nh_engine *e)
{
        const struct nh_global_config *g = e->g;
        const struct nh_node *n;
        int r = NH_EXIT_OK;

        if (!g || !g->exists)
                return NH_EXIT_OK;
        n = g->plugin_dirs_node;
        for (size_t i = 0; n && !getenv("NETNS_HELPER_PLUGIN_PATH") && i < (n->kind == NH_NODE_SEQ ? n->n : 1); i++) {
                const struct nh_node *d = n->kind == NH_NODE_SEQ ? n->items[i] : n;
                const char *why;
                struct stat st;

                if (d->kind != NH_NODE_SCALAR)
                        continue;
                if (stat(d->value, &st) < 0)
                        why = errno == ENOENT ? "no such directory" : strerror(errno);
                else if (!S_ISDIR(st.st_mode))
                        why = "not a directory";
                else
                        continue;
                nh_config_report(NH_LOG_ERR, g->path, d, "plugin-dirs", "%s: %s; expected an existing directory "
                                 "of plugins", d->value, why);
                r = NH_EXIT_CONFIG;
        }
        n = g->plugins_node;
        for (size_t i = 0; n && n->kind == NH_NODE_SEQ && i < n->n; i++) {
                const struct nh_node *p = n->items[i];
                char dirs[1024];
                size_t o = 0;

                if (p->kind != NH_NODE_SCALAR || nh_registry_has(e->reg, p->value))
                        continue;
                dirs[0] = '\0';
                for (size_t j = 0; j < e->reg->n_dirs && o < sizeof dirs; j++)
                        o += (size_t) snprintf(dirs + o, sizeof dirs - o, "%s%s", j ? ", " : "", e->reg->dirs[j]);
                nh_config_report(NH_LOG_ERR, g->path, p, "plugins", "no plugin '%s' (%s.so) in the plugin "
                                 "directories: %s; expected the name of an installed plugin", p->value, p->value, dirs);
                r = NH_EXIT_CONFIG;
        }
        return r;
}

int nh_engine_new(struct nh_engine **ret)
{
        struct nh_engine *e = calloc(1, sizeof *e);
        int r;

        if (!e)
                return NH_EXIT_FAILURE;
        e->host_netns_fd = -1;
        r = nh_global_config_load(nh_confdir(), &e->g);
        if (r < 0) {
                if (r != -EINVAL)
                        log_error("Cannot read %s/netns-helper.yaml: %s", nh_confdir(), strerror(-r));
                free(e);
                return r == -EINVAL ? NH_EXIT_CONFIG : NH_EXIT_FAILURE;
        }
        if (nh_registry_new(e->g, &e->reg) < 0) {
                nh_engine_free(e);
                return NH_EXIT_FAILURE;
        }
        r = global_config_check_plugins(e);
        if (r != NH_EXIT_OK) {
                nh_engine_free(e);
                return r;
        }
        e->host_netns_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        if (e->host_netns_fd < 0) {
                log_error("Cannot open /proc/self/ns/net: %s", strerror(errno));
                nh_engine_free(e);
                return NH_EXIT_FAILURE;
        }
        *ret = e;
        return NH_EXIT_OK;
}

void nh_engine_free(struct nh_engine *e)
{
        if (!e)
                return;
        if (e->host_nl)
                e->nl.free(e->host_nl);
        if (e->host_netns_fd >= 0)
                close(e->host_netns_fd);
        nh_registry_free(e->reg);
        nh_global_config_free(e->g);
        free(e);
}

struct nh_registry *nh_engine_registry(struct nh_engine *e) { return e->reg; }
const struct nh_global_config *nh_engine_global(struct nh_engine *e) { return e->g; }

static const char *ns_impl_choice(const struct nh_nsstate *s, const char *stage)
{
        for (size_t i = 0; i < s->cfg->n_impls; i++)
                if (streq(s->cfg->impls[i].stage, stage))
                        return s->cfg->impls[i].plugin;
        return NULL;
}

struct nh_plugin_rec *stage_plugin(struct nh_engine *e, struct nh_nsstate *s, const char *stage)
{
        return nh_registry_for_stage(e->reg, stage, ns_impl_choice(s, stage));
}

/* The namespace's stage whose plugin makes the namespace
 * (NH_PLUGIN_OWNS_NETNS), or NULL when it has none. */
const char *ns_owner_stage(struct nh_engine *e, struct nh_nsstate *s)
{
        for (size_t i = 0; i < s->cfg->n_stages; i++) {
                struct nh_plugin_rec *p = stage_plugin(e, s, s->cfg->stages[i]);

                if (p && p->desc && (p->desc->flags & NH_PLUGIN_OWNS_NETNS))
                        return s->cfg->stages[i];
        }
        return NULL;
}

bool nh_engine_dns_isolated(struct nh_engine *e, const char *ns)
{
        struct nh_nsstate *s = NULL;
        bool isolated = true;

        if (nsstate_new(e, ns, &s) == NH_EXIT_OK) {
                const char *owner = ns_owner_stage(e, s);
                isolated = nh_core_dns_isolated(owner ? nh_ns_config_section(s->cfg, owner) : NULL);
        }
        nsstate_free(e, s);
        return isolated;
}

int nh_engine_stage_position(struct nh_engine *e, const char *stage)
{
        const struct nh_plugin_rec *rec = e ? nh_registry_get(e->reg, stage) : NULL;

        return rec && rec->desc ? rec->order : INT_MAX;
}
