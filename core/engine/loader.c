/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The loader dlopens only files from the configured plugin directories, and
 * only after checking that neither the file nor any directory above it can
 * be changed by anyone but root: a stage runs as root inside and outside
 * the namespace, so a writable plugin is a root shell for whoever can
 * write it.  The check and the load go through one descriptor
 * (core/os/trust.c).  Every refusal names the path and the reason.
 */
#include "config.h"

#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "config/conf.h"
#include "engine/loader.h"
#include "base/log.h"
#include "os/trust.h"
#include "base/util.h"

/* Was the object linked with -z now (every symbol bound at load)? */
static bool binds_now(void *h)
{
        struct link_map *lm = NULL;

        if (dlinfo(h, RTLD_DI_LINKMAP, &lm) < 0 || !lm || !lm->l_ld)
                return false;
        for (const ElfW(Dyn) *d = lm->l_ld; d->d_tag != DT_NULL; d++)
                if (d->d_tag == DT_BIND_NOW || (d->d_tag == DT_FLAGS && (d->d_un.d_val & DF_BIND_NOW)) ||
                    (d->d_tag == DT_FLAGS_1 && (d->d_un.d_val & DF_1_NOW)))
                        return true;
        return false;
}

static char *name_from_path(const char *path)
{
        const char *base = strrchr(path, '/');
        size_t len;

        base = base ? base + 1 : path;
        len = strlen(base);
        if (len > 3 && strcmp(base + len - 3, ".so") == 0)
                len -= 3;
        return strndup(base, len);
}

/* dlerror() names what dlopen() was given, /proc/self/fd/N: name the
 * plugin's path instead. */
static char *load_error(const char *path, const char *fdpath, const char *err)
{
        size_t n = strlen(fdpath);
        const char *at = err ? strstr(err, fdpath) : NULL;

        if (!err)
                return strdup_printf("cannot load %s", path);
        if (!at)
                return strdup_printf("cannot load %s: %s", path, err);
        return strdup_printf("cannot load %s: %.*s%s%s", path, (int) (at - err), err, path, at + n);
}

int nh_plugin_load(const char *path, struct nh_plugin_rec *rec)
{
        char fdpath[NH_TRUST_FD_PATH_MAX];
        const struct nh_plugin *d;
        char *why = NULL;
        void *h;
        int fd;

        memset(rec, 0, sizeof *rec);
        rec->fd = -1;
        rec->path = strdup(path);
        rec->name = name_from_path(path);
        if (!rec->path || !rec->name)
                return -ENOMEM;

        /* What is loaded is the file checked, through its descriptor: a
         * name looked up twice could lead elsewhere the second time. */
        fd = nh_trust_open(path, &why, NULL);
        if (fd < 0) {
                rec->refused = why ? why : strdup_printf("%s: %s", path, strerror(-fd));
                return fd == -ENOENT ? -ENOENT : fd == -ENOMEM ? -ENOMEM : -EPERM;
        }
        /* The descriptor stays open while the object is loaded: the
         * dynamic linker knows it by this name, and would take a later
         * plugin opened under the same number for the one it has. */
        rec->fd = fd;
        nh_trust_fd_path(fd, fdpath);

        /* RTLD_LAZY: the libraries a plugin pulls in (libnl-3 for most) are
         * bound as they are called, not all at once here, which would cost
         * a stage more than its own work.  The plugins built here carry
         * -z now themselves, so that a symbol they lack still makes
         * dlopen() fail and the plugin refused. */
        h = dlopen(fdpath, RTLD_LAZY | RTLD_LOCAL);
        /* A plugin linked without -z now would find a symbol it lacks only
         * when it first calls it, and the dynamic linker would then end
         * the whole process with status 127, half-way through a pipeline.
         * Such a plugin is loaded again, binding everything now, so that a
         * missing symbol refuses it here, before anything is changed. */
        if (h && !binds_now(h)) {
                dlclose(h);
                h = dlopen(fdpath, RTLD_NOW | RTLD_LOCAL);
        }
        if (!h) {
                rec->refused = load_error(path, fdpath, dlerror());
                return -ELIBBAD;
        }
        d = dlsym(h, NH_PLUGIN_SYMBOL);
        if (!d) {
                rec->refused = strdup_printf("%s does not export the descriptor symbol '%s'; "
                                             "is it a netns-helper plugin? (define it with NH_PLUGIN_DEFINE)",
                                             path, NH_PLUGIN_SYMBOL);
                dlclose(h);
                return -ELIBBAD;
        }
        if (d->abi_major != NH_PLUGIN_ABI_MAJOR) {
                rec->refused = strdup_printf("%s was built for plugin ABI %u.%u, but this netns-helper "
                                             "provides ABI %u.%u; rebuild it against this version's <netns-helper/plugin.h>",
                                             path, d->abi_major, d->abi_minor,
                                             NH_PLUGIN_ABI_MAJOR, NH_PLUGIN_ABI_MINOR);
                dlclose(h);
                return -EPROTO;
        }
        if (d->abi_minor > NH_PLUGIN_ABI_MINOR) {
                rec->refused = strdup_printf("%s needs plugin ABI %u.%u, but this netns-helper provides "
                                             "only %u.%u; upgrade netns-helper",
                                             path, d->abi_major, d->abi_minor,
                                             NH_PLUGIN_ABI_MAJOR, NH_PLUGIN_ABI_MINOR);
                dlclose(h);
                return -EPROTO;
        }
        /* From ABI 1.5 on the descriptor says how long it is: without
         * that, the core cannot tell which later members it may read. */
        if (d->abi_minor >= 5 && d->size < offsetof(struct nh_plugin, size) + sizeof(d->size)) {
                rec->refused = strdup_printf("%s declares plugin ABI %u.%u but not the size of its descriptor; "
                                             "define the descriptor with NH_PLUGIN_DEFINE, which sets .size",
                                             path, d->abi_major, d->abi_minor);
                dlclose(h);
                return -EPROTO;
        }
        if (!d->name || !streq(d->name, rec->name)) {
                rec->refused = strdup_printf("%s declares the name '%s', which does not match its file name; "
                                             "rename the file to %s.so or fix the descriptor",
                                             path, d->name ? d->name : "(none)", d->name ? d->name : "NAME");
                dlclose(h);
                return -EPROTO;
        }
        if (!d->stage || !*d->stage || !d->start || !d->stop) {
                rec->refused = strdup_printf("%s has an incomplete descriptor: a stage name, start() and stop() are required",
                                             path);
                dlclose(h);
                return -EPROTO;
        }
        rec->handle = h;
        rec->desc = d;
        rec->order = d->order;
        return 0;
}

void nh_plugin_unload(struct nh_plugin_rec *rec)
{
        if (rec->handle)
                dlclose(rec->handle);
        if (rec->fd >= 0)
                close(rec->fd);
        rec->fd = -1;
        free(rec->name);
        free(rec->path);
        free(rec->refused);
}

void nh_registry_free(struct nh_registry *r)
{
        if (!r)
                return;
        for (size_t i = 0; i < r->n_recs; i++) {
                nh_plugin_unload(r->recs[i]);
                free(r->recs[i]);
        }
        free(r->recs);
        for (size_t i = 0; i < r->n_dirs; i++)
                free(r->dirs[i]);
        free(r->dirs);
        free(r);
}

static int add_dir(struct nh_registry *r, const char *d, size_t len)
{
        char **n;

        if (len == 0)
                return 0;
        for (size_t i = 0; i < r->n_dirs; i++)
                if (strlen(r->dirs[i]) == len && strncmp(r->dirs[i], d, len) == 0)
                        return 0;
        n = realloc(r->dirs, (r->n_dirs + 1) * sizeof *n);
        if (!n)
                return -ENOMEM;
        r->dirs = n;
        r->dirs[r->n_dirs] = strndup(d, len);
        if (!r->dirs[r->n_dirs])
                return -ENOMEM;
        r->n_dirs++;
        return 0;
}

int nh_registry_new(const struct nh_global_config *g, struct nh_registry **ret)
{
        struct nh_registry *r = calloc(1, sizeof *r);
        const char *env = getenv("NETNS_HELPER_PLUGIN_PATH");
        int k = 0;

        if (!r)
                return -ENOMEM;
        r->global = g;
        if (env && *env) {
                for (const char *p = env; k >= 0; ) {
                        const char *c = strchr(p, ':');
                        size_t len = c ? (size_t) (c - p) : strlen(p);
                        k = add_dir(r, p, len);
                        if (!c)
                                break;
                        p = c + 1;
                }
        } else if (g && g->n_plugin_dirs > 0) {
                for (size_t i = 0; i < g->n_plugin_dirs && k >= 0; i++)
                        k = add_dir(r, g->plugin_dirs[i], strlen(g->plugin_dirs[i]));
        } else
                k = add_dir(r, NH_PLUGINDIR, strlen(NH_PLUGINDIR));
        if (k < 0) {
                nh_registry_free(r);
                return k;
        }
        *ret = r;
        return 0;
}

static bool is_enabled(const struct nh_registry *r, const char *name)
{
        const struct nh_global_config *g = r->global;

        if (!g || g->all_plugins)
                return true;
        for (size_t i = 0; i < g->n_plugins; i++)
                if (streq(g->plugins[i], name))
                        return true;
        return false;
}

static struct nh_plugin_rec *find_rec(struct nh_registry *r, const char *name)
{
        for (size_t i = 0; i < r->n_recs; i++)
                if (streq(r->recs[i]->name, name))
                        return r->recs[i];
        return NULL;
}

static struct nh_plugin_rec *add_rec(struct nh_registry *r, const char *path)
{
        struct nh_plugin_rec **n, *rec;
        const struct nh_global_config *g = r->global;

        n = realloc(r->recs, (r->n_recs + 1) * sizeof *n);
        if (!n)
                return NULL;
        r->recs = n;
        rec = calloc(1, sizeof *rec);
        if (!rec)
                return NULL;
        (void) nh_plugin_load(path, rec);
        if (!rec->name) {
                nh_plugin_unload(rec);
                free(rec);
                return NULL;
        }
        r->recs[r->n_recs++] = rec;
        rec->enabled = is_enabled(r, rec->name);
        for (size_t i = 0; g && i < g->n_orders; i++)
                if (streq(g->orders[i].plugin, rec->name))
                        rec->order = g->orders[i].order;
        return rec;
}

int nh_registry_scan(struct nh_registry *r)
{
        if (r->scanned)
                return 0;
        for (size_t i = 0; i < r->n_dirs; i++) {
                struct dirent **ents = NULL;
                int n = scandir(r->dirs[i], &ents, NULL, alphasort);

                if (n < 0) {
                        if (errno != ENOENT)
                                log_warning("Cannot read plugin directory %s: %s", r->dirs[i], strerror(errno));
                        continue;
                }
                for (int j = 0; j < n; j++) {
                        const char *f = ents[j]->d_name;
                        size_t len = strlen(f);
                        _cleanup_free_ char *path = NULL, *name = NULL;
                        struct nh_plugin_rec *prev;

                        if (len <= 3 || strcmp(f + len - 3, ".so") != 0 || f[0] == '.')
                                goto next;
                        path = strdup_printf("%s/%s", r->dirs[i], f);
                        name = name_from_path(f);
                        if (!path || !name)
                                goto next;
                        prev = find_rec(r, name);
                        if (prev) {
                                /* The first directory wins, as in $PATH. */
                                if (!streq(prev->path, path)) {
                                        struct nh_plugin_rec *dup = add_rec(r, path);
                                        if (dup && !dup->refused) {
                                                dup->refused = strdup_printf("%s is shadowed by %s, found first in the plugin path",
                                                                             path, find_rec(r, name)->path);
                                        }
                                }
                                goto next;
                        }
                        (void) add_rec(r, path);
                next:
                        free(ents[j]);
                }
                free(ents);
        }
        r->scanned = true;
        return 0;
}

/* Plugin names become file names: keep them to a safe set. */
static bool plugin_name_valid(const char *name)
{
        size_t len = strlen(name);

        if (len == 0 || len > 64)
                return false;
        for (const char *p = name; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                      *p == '_' || *p == '-'))
                        return false;
        return true;
}

struct nh_plugin_rec *nh_registry_get(struct nh_registry *r, const char *name)
{
        struct nh_plugin_rec *rec;

        if (!plugin_name_valid(name)) {
                log_error("Invalid plugin or stage name '%s': use letters, digits, '_' and '-' (at most 64)", name);
                return NULL;
        }
        rec = find_rec(r, name);

        if (rec || r->scanned)
                return rec;
        for (size_t i = 0; i < r->n_dirs; i++) {
                _cleanup_free_ char *path = strdup_printf("%s/%s.so", r->dirs[i], name);
                if (path && access(path, F_OK) == 0)
                        return add_rec(r, path);
        }
        return NULL;
}

int nh_registry_stat(struct nh_registry *r, const char *name, struct stat *st)
{
        if (!plugin_name_valid(name))
                return -EINVAL;
        for (size_t i = 0; i < r->n_dirs; i++) {
                _cleanup_free_ char *path = strdup_printf("%s/%s.so", r->dirs[i], name);
                if (path && stat(path, st) == 0)
                        return 0;
        }
        return -ENOENT;
}

bool nh_registry_has(struct nh_registry *r, const char *name)
{
        struct stat st;
        return find_rec(r, name) || nh_registry_stat(r, name, &st) == 0;
}

static void list_dirs(const struct nh_registry *r, char *buf, size_t len)
{
        size_t o = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < r->n_dirs && o < len; i++)
                o += (size_t) snprintf(buf + o, len - o, "%s%s", i ? ", " : "", r->dirs[i]);
}

static struct nh_plugin_rec *usable(struct nh_plugin_rec *rec, const char *stage)
{
        if (rec->refused) {
                log_error("The plugin for stage '%s' was refused: %s", stage, rec->refused);
                return NULL;
        }
        if (!rec->enabled) {
                log_error("The plugin '%s' (%s) for stage '%s' is not enabled; add it to \"plugins:\" in netns-helper.yaml",
                          rec->name, rec->path, stage);
                return NULL;
        }
        if (!streq(rec->desc->stage, stage)) {
                log_error("The plugin '%s' (%s) implements stage '%s', not '%s'; fix \"implementations:\"",
                          rec->name, rec->path, rec->desc->stage, stage);
                return NULL;
        }
        return rec;
}

struct nh_plugin_rec *nh_registry_for_stage(struct nh_registry *r, const char *stage, const char *ns_choice)
{
        const struct nh_global_config *g = r->global;
        const char *choice = ns_choice;
        struct nh_plugin_rec *rec, *found = NULL;
        char dirs[1024];

        for (size_t i = 0; !choice && g && i < g->n_impls; i++)
                if (streq(g->impls[i].stage, stage))
                        choice = g->impls[i].plugin;

        list_dirs(r, dirs, sizeof dirs);
        if (choice) {
                rec = nh_registry_get(r, choice);
                if (!rec) {
                        log_error("No plugin '%s' (chosen for stage '%s') in the plugin directories: %s",
                                  choice, stage, dirs);
                        return NULL;
                }
                return usable(rec, stage);
        }
        rec = nh_registry_get(r, stage);
        if (rec && !rec->refused && rec->enabled && streq(rec->desc->stage, stage))
                return rec;

        /* No plugin named after the stage: the only enabled one that
         * implements it. */
        (void) nh_registry_scan(r);
        for (size_t i = 0; i < r->n_recs; i++) {
                struct nh_plugin_rec *c = r->recs[i];
                if (c->refused || !c->enabled || !streq(c->desc->stage, stage))
                        continue;
                if (found) {
                        log_error("Both '%s' and '%s' implement stage '%s'; choose one under \"implementations:\" "
                                  "in netns-helper.yaml or the namespace's file", found->name, c->name, stage);
                        return NULL;
                }
                found = c;
        }
        if (found)
                return found;
        if (rec)
                return usable(rec, stage);
        log_error("No plugin implements stage '%s' in the plugin directories: %s", stage, dirs);
        return NULL;
}
