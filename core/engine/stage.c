/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One stage's verb: its section checked, the plugin's validate(), what must
 * be true before it starts, what its start and stop leave in the run
 * directory; and "netns-helper-run STAGE NAME VERB", which runs one verb.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "config/conf.h"
#include "engine/internal.h"
#include "legacy/legacy.h"
#include "os/hookdns.h"

/* Keys the core reads in the section of every long-running stage. */
static const struct nh_key long_running_keys[] = {
        { .name = "ready-timeout", .type = NH_T_INT, .min = 0, .max = NH_READY_TIMEOUT_MAX,
          .help = "seconds \"netns-helper up\" waits for the stage to be ready (0: no limit); "
                  "default: ready-timeout: of netns-helper.yaml" },
        { 0 }
};

/* The section against the plugin's key table (and the core's keys of a
 * long-running stage).  NH_EXIT_* code. */
int stage_keys_check(struct nh_nsstate *s, struct nh_plugin_rec *rec, const char *stage)
{
        return nh_section_check_core(s->cfg, stage, nh_ns_config_section(s->cfg, stage), rec->desc->keys,
                                     is_long_running(rec) ? long_running_keys : NULL) < 0 ? NH_EXIT_CONFIG : NH_EXIT_OK;
}

/* The key table, then the plugin's own validate().  NH_EXIT_* code. */
int stage_validate(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec, const char *stage)
{
        struct nh_core_ctx c;
        int r;

        r = stage_keys_check(s, rec, stage);
        if (r != NH_EXIT_OK)
                return r;
        if (!rec->desc->validate)
                return NH_EXIT_OK;
        ctx_init(&c, e, s, rec, stage);
        r = guarded_call(&c, VK_VALIDATE, rec->desc->validate);
        if (r != -ENOTRECOVERABLE)
                ctx_done(&c);
        if (r == -ENOTRECOVERABLE)
                return NH_EXIT_FAILURE;
        return r < 0 ? NH_EXIT_CONFIG : NH_EXIT_OK;
}

/* The namespace exists now: what keeps its DNS from leaking to the host's
 * resolver goes with it (core/os/dns.c); after_stop() removes it. */
static void after_start(struct nh_nsstate *s, const struct nh_plugin_rec *rec, const char *stage)
{
        if ((rec->desc->flags & NH_PLUGIN_OWNS_NETNS) && nh_core_dns_isolated(nh_ns_config_section(s->cfg, stage)))
                (void) nh_core_dns_isolate(s->etc_dir, host_nsswitch());
}

/* Calls one verb.  ready_fd >= 0: "up" waits on it for readiness. */
int call_verb(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec,
                     const char *stage, enum nh_verb verb, int ready_fd)
{
        struct nh_core_ctx c;
        int r;

        ctx_init(&c, e, s, rec, stage);
        c.ready_fd = ready_fd;
        switch (verb) {
        case NH_VERB_START:
                r = guarded_call(&c, VK_START, rec->desc->start);
                /* A long-running stage is up from its readiness until its
                 * start returns. */
                stage_mark(s, stage, r >= 0 && !(rec->desc->flags & NH_PLUGIN_LONG_RUNNING));
                stage_mark_failed(s, stage, r < 0 && !(rec->desc->flags & NH_PLUGIN_LONG_RUNNING));
                if (r >= 0)
                        after_start(s, rec, stage);
                break;
        case NH_VERB_STOP:
                kill_orphan_hooks(s, stage);
                stage_mark(s, stage, false);
                stage_mark_failed(s, stage, false);
                r = guarded_call(&c, VK_STOP, rec->desc->stop);
                break;
        case NH_VERB_CHECK:
        default:
                r = rec->desc->check ? guarded_call(&c, VK_CHECK, rec->desc->check) : 0;
                break;
        }
        /* After a crash the context may be half-made: leave it (and what
         * it holds) be. */
        if (r != -ENOTRECOVERABLE)
                ctx_done(&c);
        else if (c.ready_fd >= 0)
                close(c.ready_fd);
        /* The stage that makes and removes the namespace itself: whatever
         * was opened for the old one is stale now. */
        if (rec->desc->flags & NH_PLUGIN_OWNS_NETNS)
                nsstate_drop_kernel(e, s);
        return r;
}

int verb_exit(enum nh_verb verb, int r)
{
        if (verb == NH_VERB_CHECK && r > 0)
                return NH_EXIT_DRIFT;
        return r < 0 ? NH_EXIT_FAILURE : NH_EXIT_OK;
}

/* The unit systemd runs a stage in, for messages. */
static const char *stage_unit(const char *stage, char *buf, size_t len, const char *ns)
{
        _cleanup_free_ char *u = nh_legacy_stage_unit(stage, ns);

        snprintf(buf, len, "%s", u ? u : stage);
        return buf;
}

int require_netns(struct nh_engine *e, struct nh_nsstate *s, const char *stage)
{
        const char *owner;
        char unit[256];
        int fd = ns_open(s);

        if (fd >= 0)
                return 0;
        owner = ns_owner_stage(e, s);
        if (!owner) {
                log_error("%s[%s]: namespace %s does not exist (" NETNS_RUN_DIR "/%s: %s), and none of its stages "
                          "makes it; list the stage that does in its stages:",
                          stage, s->name, s->name, s->name, strerror(-fd));
                return NH_EXIT_FAILURE;
        }
        if (fd == -EINVAL)
                log_error("%s[%s]: " NETNS_RUN_DIR "/%s is not a network namespace; remove it and start the %s stage",
                          stage, s->name, s->name, owner);
        else
                log_error("%s[%s]: namespace %s does not exist (" NETNS_RUN_DIR "/%s: %s); start it first: "
                          "systemctl start %s, or netns-helper-run %s %s start",
                          stage, s->name, s->name, s->name, strerror(-fd),
                          stage_unit(owner, unit, sizeof unit, s->name), owner, s->name);
        return NH_EXIT_FAILURE;
}

/* The plugin of stage t when t runs before stage (a lower position), else
 * NULL. */
static struct nh_plugin_rec *earlier_stage(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec,
                                           const char *stage, const char *t)
{
        struct nh_plugin_rec *p = streq(t, stage) ? NULL : stage_plugin(e, s, t);

        return p && p->order < rec->order ? p : NULL;
}

/* NH_PLUGIN_AFTER_ALL: every stage configured before this one must be up. */
static int require_earlier_stages(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec,
                                  const char *stage)
{
        int r = NH_EXIT_OK;
        char unit[256];

        for (size_t i = 0; i < s->cfg->n_stages; i++) {
                const char *t = s->cfg->stages[i];

                if (!earlier_stage(e, s, rec, stage, t) || stage_is_up(s, t))
                        continue;
                log_error("%s[%s]: not starting: stage %s of namespace %s is not up (%s failed or was not "
                          "started; see its log), and %s runs only after every stage before it",
                          stage, s->name, t, s->name, stage_unit(t, unit, sizeof unit, s->name), stage);
                r = NH_EXIT_FAILURE;
        }
        return r;
}

/* Every stage: a one-shot stage configured before it whose start failed
 * made nothing this one may build on.  Without this, when the macvlan
 * failed the veth would become "the interface" and a DHCP client would run
 * on it, towards the host, restarting for ever.  The exit code is one the
 * units do not restart on: retrying cannot help until that stage is
 * started again, which starting the namespace again does. */
static int require_no_failed_stage(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec,
                                   const char *stage)
{
        char unit[256];

        for (size_t i = 0; i < s->cfg->n_stages; i++) {
                const char *t = s->cfg->stages[i];
                struct nh_plugin_rec *p = earlier_stage(e, s, rec, stage, t);

                if (!p || is_long_running(p) || !stage_is(s, "failed", t))
                        continue;
                log_error("%s[%s]: not starting: stage %s of namespace %s failed (see the log of %s); "
                          "fix it, then start the namespace again: netns-helper restart %s",
                          stage, s->name, t, s->name, stage_unit(t, unit, sizeof unit, s->name), s->name);
                return NH_EXIT_STAGE_FAILED;
        }
        return NH_EXIT_OK;
}

void after_stop(struct nh_nsstate *s, const struct nh_plugin_rec *rec)
{
        /* Once the namespace is gone, so is everything the run directory
         * described (facts, DNS records, pid files), and the files written
         * for it in /etc/netns/NAME. */
        if (rec->desc->flags & NH_PLUGIN_OWNS_NETNS) {
                ns_run_dir_forget(s);
                (void) nh_core_dns_forget(s->etc_dir);
        }
}

/* check() of a stage, with what the core knows: a long-running stage whose
 * process does not run differs from its configuration. */
int stage_check(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec, const char *stage)
{
        if (has_process(rec)) {
                pid_t recorded, pid = lr_running(s, stage, &recorded);
                if (pid <= 0) {
                        if (recorded > 0)
                                log_notice("%s[%s]: not running: its process (PID %d) has ended", stage, s->name,
                                           (int) recorded);
                        else
                                log_notice("%s[%s]: not running", stage, s->name);
                        return 1;
                }
        }
        return call_verb(e, s, rec, stage, NH_VERB_CHECK, -1);
}


/* A stage process validates the namespace's whole file, loading every
 * stage's plugin; under systemd there is one such process per stage.  Once
 * a start has validated a file, a stamp in the cache directory says so,
 * named after what the result depends on: the file's bytes, the global
 * file's, and each stage's plugin file (inode, size, mtime).  The later
 * stage processes then check only their own section (its validate()
 * included, which may look at the host).  NULL: no stamp applies (no cache
 * directory, no file, or "implementations:" choosing other plugins). */
static char *validated_stamp(struct nh_engine *e, struct nh_nsstate *s)
{
        const char *dir = nh_conf_cache_dir();
        uint64_t h = 0xcbf29ce484222325ULL, g = e->g ? e->g->hash : 0;

        if (!dir || !s->cfg->exists || s->cfg->n_impls > 0 || (e->g && e->g->n_impls > 0))
                return NULL;
        h = fnv1a64(s->name, strlen(s->name) + 1, h);
        h = fnv1a64(&s->cfg->hash, sizeof s->cfg->hash, h);
        h = fnv1a64(&g, sizeof g, h);
        for (size_t i = 0; i < s->cfg->n_stages; i++) {
                struct stat st;
                unsigned long long v[4];

                if (nh_registry_stat(e->reg, s->cfg->stages[i], &st) < 0)
                        return NULL;
                v[0] = st.st_ino;
                v[1] = (unsigned long long) st.st_size;
                v[2] = (unsigned long long) st.st_mtim.tv_sec;
                v[3] = (unsigned long long) st.st_mtim.tv_nsec;
                h = fnv1a64(s->cfg->stages[i], strlen(s->cfg->stages[i]) + 1, h);
                h = fnv1a64(v, sizeof v, h);
        }
        return strdup_printf("%s/%016llx.valid", dir, (unsigned long long) h);
}

/* netns-helper-run STAGE NAME VERB.  start and check refuse a namespace
 * whose file does not validate as a whole, as "up" and "check" do: a stage
 * must not run half of a configuration whose other half is wrong (the veth
 * becoming "the interface" while the macvlan section has a typo). */
int nh_engine_run_stage(struct nh_engine *e, const char *stage, const char *ns, enum nh_verb verb)
{
        struct nh_nsstate *s = NULL;
        struct nh_plugin_rec *rec = NULL;
        struct pipeline p = { 0 };
        int r;

        r = nsstate_new(e, ns, &s);
        if (r != NH_EXIT_OK)
                return r;
        /* Stopping must work with a configuration broken since the start. */
        if (verb != NH_VERB_STOP) {
                _cleanup_free_ char *stamp = validated_stamp(e, s);

                if (!stamp || access(stamp, F_OK) < 0) {
                        r = pipeline_build_for(e, s, &p, stage);
                        if (r != NH_EXIT_OK)
                                goto out;
                        for (size_t i = 0; i < p.n; i++)
                                if (streq(p.stages[i], stage))
                                        rec = p.recs[i];
                        if (stamp && verb == NH_VERB_START && nh_conf_cache_writable()) {
                                bool made = false;
                                (void) put_in_dir(nh_conf_cache_dir(), &made, stamp, NULL);
                        }
                }
        }
        if (!rec) {
                /* A stage the file does not list (run by hand). */
                rec = stage_plugin(e, s, stage);
                if (!rec) {
                        r = NH_EXIT_PLUGIN;
                        goto out;
                }
                if (verb != NH_VERB_STOP) {
                        r = stage_validate(e, s, rec, stage);
                        if (r != NH_EXIT_OK)
                                goto out;
                }
        }
        /* A long-running stage runs for as long as the namespace is up, and
         * touches only what it makes itself: it holds the lock only while
         * it records its process. */
        if (verb != NH_VERB_CHECK) {
                r = ns_lock(s);
                if (r != NH_EXIT_OK)
                        goto out;
        }
        if (verb != NH_VERB_STOP && (rec->desc->flags & NH_PLUGIN_NEEDS_NETNS)) {
                r = require_netns(e, s, stage);
                if (r != NH_EXIT_OK)
                        goto out;
        }
        if (verb == NH_VERB_START) {
                r = require_no_failed_stage(e, s, rec, stage);
                if (r != NH_EXIT_OK)
                        goto out;
        }
        if (verb == NH_VERB_START && (rec->desc->flags & NH_PLUGIN_AFTER_ALL)) {
                r = require_earlier_stages(e, s, rec, stage);
                if (r != NH_EXIT_OK)
                        goto out;
        }
        if (is_long_running(rec) && verb == NH_VERB_START) {
                pid_t pid = lr_running(s, stage, NULL);
                int k;

                if (pid > 0) {
                        log_error("%s[%s]: runs already as PID %d; not starting a second one (stop it first: "
                                  "netns-helper down %s, or netns-helper-run %s %s stop)",
                                  stage, ns, (int) pid, ns, stage, ns);
                        r = NH_EXIT_FAILURE;
                        goto out;
                }
                k = stop_signals_install();
                if (k < 0 || (k = lr_record(s, stage, getpid())) < 0) {
                        log_error("%s[%s]: cannot prepare to run: %s", stage, ns, strerror(-k));
                        r = NH_EXIT_FAILURE;
                        goto out;
                }
                close(take_fd(&s->lock_fd));
        }
        if (has_process(rec) && verb == NH_VERB_STOP)
                (void) stop_long_running(s, stage);
        /* A watcher left from a start before (its stage started again). */
        if (has_watch(rec) && verb == NH_VERB_START)
                (void) stop_long_running(s, stage);

        if (verb == NH_VERB_CHECK)
                r = verb_exit(verb, stage_check(e, s, rec, stage));
        else
                r = verb_exit(verb, call_verb(e, s, rec, stage, verb, -1));
        if (has_watch(rec) && verb == NH_VERB_START && r == NH_EXIT_OK && start_watcher(e, s, rec, stage) < 0)
                r = NH_EXIT_FAILURE;

        if (is_long_running(rec) && verb == NH_VERB_START)
                lr_forget(s, stage, getpid());
        if (verb == NH_VERB_STOP && r == NH_EXIT_OK)
                after_stop(s, rec);
out:
        pipeline_free(&p);
        nsstate_free(e, s);
        return r;
}
