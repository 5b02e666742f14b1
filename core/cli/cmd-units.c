/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The namespace's units (service.h): "enable" links the units of its
 * stages into netns-helper@NAMESPACE.target (Requires=) and the target
 * into multi-user.target, "disable" removes them, "reload" applies a
 * changed file; start, stop and restart run systemctl on the target.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "cli/cmd-common.h"
#include "cli/service.h"
#include "config/conf.h"
#include "config/names.h"
#include "engine/engine.h"
#include "engine/exitcodes.h"
#include "legacy/legacy.h"

/* The stages named on the command line, else those of the namespace's
 * configuration.  Logs; -EINVAL means a bad name or configuration. */
static int stages_of(const char *ns, int n_args, char **args, struct strv *ret, char **ret_config)
{
        struct nh_ns_config *c = NULL;
        int r;

        for (int i = 0; i < n_args; i++) {
                if (!nh_plugin_name_valid(args[i])) {
                        log_error("Invalid stage name \"%s\": expected 1-64 letters, digits, '-' and '_', starting with a letter or digit", args[i]);
                        return -EINVAL;
                }
                if (svc_strv_add(ret, args[i]) < 0)
                        return -ENOMEM;
        }
        if (n_args > 0)
                return 0;

        r = nh_ns_config_load(nh_confdir(), ns, &c);
        if (r < 0)
                return r == -ENOMEM ? r : -EINVAL;  /* the loader named the file and line */
        if (!c->exists) {
                log_error("Namespace %s has no configuration (%s/ns/%s.yaml or %s" NH_LEGACY_CONF_SUFFIX "); "
                          "write one or name the stages", ns, nh_confdir(), ns, ns);
                nh_ns_config_free(c);
                return -EINVAL;
        }
        if (ret_config)
                *ret_config = strdup(c->path);
        r = 0;
        for (size_t i = 0; i < c->n_stages && r == 0; i++) {
                if (!nh_plugin_name_valid(c->stages[i])) {
                        log_error("%s: invalid stage name \"%s\"", c->path, c->stages[i]);
                        r = -EINVAL;
                } else
                        r = svc_strv_add(ret, c->stages[i]);
        }
        nh_ns_config_free(c);
        return r;
}

/* path -> target, as "systemctl enable" writes it; an existing link is
 * replaced, anything else is left alone. */
static int link_unit(const char *target, const char *path)
{
        struct stat st;
        char old[4096];
        ssize_t k;

        if (lstat(path, &st) == 0) {
                if (!S_ISLNK(st.st_mode)) {
                        log_error("%s exists and is not a symbolic link; not replacing it", path);
                        return -EEXIST;
                }
                k = readlink(path, old, sizeof old - 1);
                if (k >= 0) {
                        old[k] = '\0';
                        if (streq(old, target))
                                return 0;
                }
                if (unlink(path) < 0)
                        return log_error("Failed to replace %s: %m", path), -errno;
        }
        if (symlink(target, path) < 0)
                return log_error("Failed to create %s: %m", path), -errno;
        log_info("Created symlink %s -> %s", path, target);
        return 0;
}

static int unlink_unit(const char *path)
{
        struct stat st;

        if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
                return 0;
        if (unlink(path) < 0)
                return log_error("Failed to remove %s: %m", path), -errno;
        log_info("Removed %s", path);
        return 1;
}

/* Where a stage unit's link points: a template the administrator put in
 * SYSTEMD_DIR wins, as it does for systemd. */
static char *template_path(const char *tmpl)
{
        _cleanup_free_ char *local = strdup_printf("%s/%s", svc_systemd_dir(), tmpl);
        char *dist = strdup_printf("%s/%s", svc_unit_dir(), tmpl);

        if (local && access(local, F_OK) == 0) {
                free(dist);
                return take_ptr(&local);
        }
        if (dist && access(dist, F_OK) < 0)
                log_warning("No unit %s in %s or %s: a stage from outside netns-helper needs one "
                            "(copy netns-helper-STAGE@.service, see netns-helper.units(7))",
                            tmpl, svc_unit_dir(), svc_systemd_dir());
        return dist;
}

static int run_units(const char *verb, const struct strv *units)
{
        const char *args[24];
        size_t n = 0;

        if (units->n == 0)
                return 0;
        args[n++] = verb;
        for (size_t i = 0; i < units->n && n < ELEMENTSOF(args) - 1; i++)
                args[n++] = units->v[i];
        args[n] = NULL;
        return svc_systemctl_run(args);
}

/* "netns-helper validate NS", quietly: NH_EXIT_OK or the exit code of the
 * errors it logged (file, line, key). */
static int verify_config(const char *ns)
{
        struct nh_engine *e = NULL;
        int r = nh_engine_new(&e);

        if (r == NH_EXIT_OK)
                r = nh_engine_verify(e, ns);
        nh_engine_free(e);
        return r;
}

static bool file_newer(const char *path, const struct timespec *than)
{
        struct stat st;

        return stat(path, &st) == 0 &&
               (st.st_mtim.tv_sec > than->tv_sec ||
                (st.st_mtim.tv_sec == than->tv_sec && st.st_mtim.tv_nsec > than->tv_nsec));
}

/* Did the file change after stage started (RUNDIR/NAME/up/STAGE, written
 * by the engine when it came up)?  false when it is not up. */
bool svc_changed_since(const char *ns, const char *stage, const char *config, bool *up)
{
        struct timespec since;

        *up = nh_run_stage_up(ns, stage, &since) > 0;
        return *up && config && file_newer(config, &since);
}

/* enable, and reload: enable with restart. */
static int enable(int argc, char **argv, bool restart)
{
        _cleanup_free_ char *wants = NULL, *mu = NULL, *tlink = NULL, *ttarget = NULL, *config = NULL;
        struct strv stages = {}, removed = {};
        struct opts o;
        int r, ret = NH_EXIT_FAILURE;

        const char *ns = svc_parse_ns_opts(argc, argv, !restart, false, 1, restart ? 1 : -1, &o, &r);
        if (!ns)
                return r;
        o.now = o.now || restart;
        r = stages_of(ns, argc - o.first - 1, argv + o.first + 1, &stages, &config);
        if (r < 0) {
                svc_strv_done(&stages);
                return r == -EINVAL ? NH_EXIT_CONFIG : NH_EXIT_FAILURE;
        }
        /* The whole file, as "validate" checks it, before anything is
         * written: links to a namespace whose stages must fail would
         * start a target that says "active" while they do. */
        r = verify_config(ns);
        if (r != NH_EXIT_OK) {
                log_error("Not enabling namespace %s: its configuration has errors (above); nothing written. "
                          "\"netns-helper validate %s\" checks it again.", ns, ns);
                svc_strv_done(&stages);
                return r;
        }

        /* Requires=, not Wants=: a stage that fails to start makes the
         * target's start fail, so that "systemctl is-active" of the target,
         * "netns-helper start" and "enable --now" say so. */
        wants = strdup_printf("%s/netns-helper@%s.target.requires", svc_systemd_dir(), ns);
        mu = strdup_printf("%s/multi-user.target.wants", svc_systemd_dir());
        tlink = strdup_printf("%s/multi-user.target.wants/netns-helper@%s.target", svc_systemd_dir(), ns);
        ttarget = strdup_printf("%s/netns-helper@.target", svc_unit_dir());
        if (!wants || !mu || !tlink || !ttarget)
                goto oom;
        r = mkdir_p(wants, 0755);
        if (r >= 0)
                r = mkdir_p(mu, 0755);
        if (r < 0) {
                log_error("Failed to create %s: %s", wants, strerror(-r));
                goto out;
        }

        for (size_t i = 0; i < stages.n; i++) {
                _cleanup_free_ char *unit = svc_stage_unit(stages.v[i], ns);
                _cleanup_free_ char *tmpl = svc_stage_unit(stages.v[i], NULL);
                _cleanup_free_ char *path = NULL, *target = NULL;

                if (!unit || !tmpl)
                        goto oom;
                path = strdup_printf("%s/%s", wants, unit);
                target = template_path(tmpl);
                if (!path || !target)
                        goto oom;
                if (link_unit(target, path) < 0)
                        goto out;
        }

        /* Without stages named, the links become exactly the configured
         * stages: a stage taken out of the configuration goes (also one
         * linked into .wants, by "systemctl enable" or an older netns-helper). */
        if (argc - o.first - 1 == 0) {
                _cleanup_free_ char *w = strdup_printf("%s/netns-helper@%s.target.wants", svc_systemd_dir(), ns);
                const char *dirs[] = { wants, w };

                for (size_t k = 0; k < ELEMENTSOF(dirs) && dirs[k]; k++) {
                        DIR *d = opendir(dirs[k]);
                        struct dirent *de;

                        while (d && (de = readdir(d))) {
                                _cleanup_free_ char *st = svc_unit_stage(de->d_name, ns);
                                _cleanup_free_ char *p = NULL;

                                if (!st || svc_strv_contains(&stages, st))
                                        continue;
                                p = strdup_printf("%s/%s", dirs[k], de->d_name);
                                if (p && unlink_unit(p) > 0)
                                        svc_strv_add(&removed, de->d_name);
                        }
                        if (d)
                                closedir(d);
                }
        }

        if (link_unit(ttarget, tlink) < 0)
                goto out;

        if (o.now) {
                _cleanup_free_ char *target = strdup_printf("netns-helper@%s.target", ns);
                if (!target)
                        goto oom;
                /* A restart of the target restarts every stage and, through
                 * the netns unit, the services bound to it: each stage
                 * starts from the file as it is now. */
                if (svc_systemctl_run((const char *const[]) { "daemon-reload", NULL }) < 0 ||
                    run_units("stop", &removed) < 0 ||
                    svc_systemctl_run((const char *const[]) { restart ? "restart" : "start", target, NULL }) < 0)
                        goto out;
        }
        /* "start" leaves running stages alone: say when they run from an
         * older file. */
        for (size_t i = 0; !restart && i < stages.n; i++) {
                bool up;
                if (svc_changed_since(ns, stages.v[i], config, &up)) {
                        log_notice("%s changed after stage %s of namespace %s started: "
                                   "\"netns-helper reload %s\" applies it (restarts the namespace)",
                                   config, stages.v[i], ns, ns);
                        break;
                }
        }
        ret = NH_EXIT_OK;
        goto out;
oom:
        log_error("Out of memory");
out:
        svc_strv_done(&stages);
        svc_strv_done(&removed);
        return ret;
}

int nh_cmd_enable(int argc, char **argv)
{
        return enable(argc, argv, false);
}

int nh_cmd_reload(int argc, char **argv)
{
        return enable(argc, argv, true);
}

int nh_cmd_disable(int argc, char **argv)
{
        _cleanup_free_ char *wants = NULL, *requires = NULL, *mu = NULL;
        struct strv units = {};
        struct opts o;
        int r, ret = NH_EXIT_FAILURE;
        int n_stages;

        const char *ns = svc_parse_ns_opts(argc, argv, true, false, 1, -1, &o, &r);
        if (!ns)
                return r;
        n_stages = argc - o.first - 1;
        for (int i = 0; i < n_stages; i++)
                if (!nh_plugin_name_valid(argv[o.first + 1 + i])) {
                        log_error("Invalid stage name \"%s\": expected 1-64 letters, digits, '-' and '_', starting with a letter or digit",
                                  argv[o.first + 1 + i]);
                        return NH_EXIT_CONFIG;
                }

        wants = strdup_printf("%s/netns-helper@%s.target.wants", svc_systemd_dir(), ns);
        requires = strdup_printf("%s/netns-helper@%s.target.requires", svc_systemd_dir(), ns);
        mu = strdup_printf("%s/multi-user.target.wants", svc_systemd_dir());
        if (!wants || !requires || !mu)
                goto oom;

        if (n_stages > 0) {
                for (int i = 0; i < n_stages; i++) {
                        _cleanup_free_ char *unit = svc_stage_unit(argv[o.first + 1 + i], ns);
                        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;

                        if (!unit)
                                goto oom;
                        a = strdup_printf("%s/%s", wants, unit);
                        b = strdup_printf("%s/%s", mu, unit);
                        c = strdup_printf("%s/%s", requires, unit);
                        if (!a || !b || !c || svc_strv_add(&units, unit) < 0)
                                goto oom;
                        if (unlink_unit(a) < 0 || unlink_unit(b) < 0 || unlink_unit(c) < 0)
                                goto out;
                }
        } else {
                /* The whole namespace: the target's links, and stage units
                 * enabled the original way (systemctl enable
                 * netns-helper-macvlan@NS.service links them into
                 * multi-user.target). */
                const char *dirs[] = { wants, requires, mu };

                for (size_t k = 0; k < ELEMENTSOF(dirs); k++) {
                        DIR *d = opendir(dirs[k]);
                        struct dirent *de;

                        while (d && (de = readdir(d))) {
                                _cleanup_free_ char *st = svc_unit_stage(de->d_name, ns);
                                _cleanup_free_ char *p = NULL;

                                if (!st)
                                        continue;
                                p = strdup_printf("%s/%s", dirs[k], de->d_name);
                                if (!p) {
                                        closedir(d);
                                        goto oom;
                                }
                                if (unlink_unit(p) < 0) {
                                        closedir(d);
                                        goto out;
                                }
                        }
                        if (d)
                                closedir(d);
                }
                _cleanup_free_ char *t = strdup_printf("%s/netns-helper@%s.target", mu, ns);
                _cleanup_free_ char *tu = strdup_printf("netns-helper@%s.target", ns);
                _cleanup_free_ char *nu = nh_legacy_namespace_unit(ns);
                if (!t || !tu || !nu || svc_strv_add(&units, tu) < 0 || svc_strv_add(&units, nu) < 0)
                        goto oom;
                if (unlink_unit(t) < 0)
                        goto out;
                if (rmdir(wants) < 0 && errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
                        log_warning("Failed to remove %s: %m", wants);
                if (rmdir(requires) < 0 && errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
                        log_warning("Failed to remove %s: %m", requires);
        }

        if (o.now && (svc_systemctl_run((const char *const[]) { "daemon-reload", NULL }) < 0 ||
                      run_units("stop", &units) < 0))
                goto out;
        if (o.now) {
                /* A stage unit left failed keeps the system "degraded"
                 * after the namespace is gone: forget it.  For the whole
                 * namespace every stage unit (a glob, which systemctl
                 * expands over the loaded units), not only the configured
                 * ones.  Nothing failed, or a unit not loaded, is no
                 * failure here: its complaints are not shown. */
                _cleanup_free_ char *glob = strdup_printf("netns-helper*@%s.service", ns);
                _cleanup_free_ char *quiet = NULL;
                const char *args[24];
                size_t n = 0;

                if (!glob)
                        goto oom;
                args[n++] = "reset-failed";
                if (n_stages == 0) {
                        args[n++] = units.v[0];         /* the target */
                        args[n++] = glob;
                } else
                        for (size_t i = 0; i < units.n && n < ELEMENTSOF(args) - 1; i++)
                                args[n++] = units.v[i];
                args[n] = NULL;
                (void) svc_systemctl(&quiet, args);
        }
        ret = NH_EXIT_OK;
        goto out;
oom:
        log_error("Out of memory");
out:
        svc_strv_done(&units);
        return ret;
}

static int namespace_verb(int argc, char **argv, const char *verb, bool with_netns)
{
        _cleanup_free_ char *target = NULL, *netns = NULL;
        struct opts o;
        int r;

        const char *ns = svc_parse_ns_opts(argc, argv, false, false, 1, 1, &o, &r);
        if (!ns)
                return r;
        target = strdup_printf("netns-helper@%s.target", ns);
        netns = nh_legacy_namespace_unit(ns);
        if (!target || !netns)
                return log_error("Out of memory"), NH_EXIT_FAILURE;
        /* Stopping the netns unit also stops what is bound to it: the
         * stages and the services added with "netns-helper add". */
        r = svc_systemctl_run(with_netns ? (const char *const[]) { verb, target, netns, NULL }
                                     : (const char *const[]) { verb, target, NULL });
        return r < 0 ? NH_EXIT_FAILURE : NH_EXIT_OK;
}

int nh_cmd_start(int argc, char **argv)
{
        return namespace_verb(argc, argv, "start", false);
}

int nh_cmd_stop(int argc, char **argv)
{
        return namespace_verb(argc, argv, "stop", true);
}

int nh_cmd_restart(int argc, char **argv)
{
        return namespace_verb(argc, argv, "restart", false);
}
