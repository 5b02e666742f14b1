/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pipeline: a namespace's stages in their plugins' order, checked
 * whole before the first change.  "up" starts them and, when one fails,
 * stops in reverse what it started; "down" stops them all in reverse.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "engine/clash.h"
#include "config/names.h"
#include "engine/internal.h"

/* ---- the pipeline -------------------------------------------------------- */

void pipeline_free(struct pipeline *p)
{
        free(p->stages);
        free(p->recs);
}

static int pipeline_add(struct pipeline *p, const char *stage, struct nh_plugin_rec *rec)
{
        const char **st;
        struct nh_plugin_rec **rs;

        for (size_t i = 0; i < p->n; i++)
                if (streq(p->stages[i], stage))
                        return 0;
        st = realloc(p->stages, (p->n + 1) * sizeof *st);
        if (!st)
                return -ENOMEM;
        p->stages = st;
        rs = realloc(p->recs, (p->n + 1) * sizeof *rs);
        if (!rs)
                return -ENOMEM;
        p->recs = rs;
        p->stages[p->n] = stage;
        p->recs[p->n] = rec;
        p->n++;
        return 0;
}

/* Stable: stages with equal order keep the configuration's order. */
static void pipeline_sort(struct pipeline *p)
{
        for (size_t i = 1; i < p->n; i++)
                for (size_t j = i; j > 0 && p->recs[j - 1]->order > p->recs[j]->order; j--) {
                        const char *t = p->stages[j];
                        struct nh_plugin_rec *rt = p->recs[j];
                        p->stages[j] = p->stages[j - 1];
                        p->recs[j] = p->recs[j - 1];
                        p->stages[j - 1] = t;
                        p->recs[j - 1] = rt;
                }
}

/* Every stage name some usable plugin implements. */
static int known_stages(struct nh_engine *e, const char ***ret, size_t *n)
{
        struct nh_registry *reg = e->reg;
        const char **v = NULL;
        size_t k = 0;

        (void) nh_registry_scan(reg);
        for (size_t i = 0; i < reg->n_recs; i++) {
                const struct nh_plugin_rec *rec = reg->recs[i];
                /* A refused plugin still names a stage, so that its section
                 * gets the refusal (exit 4) and not "unknown stage". */
                const char *stage = rec->desc ? rec->desc->stage : rec->name;
                bool dup = false;
                const char **nv;

                for (size_t j = 0; j < k; j++)
                        dup = dup || streq(v[j], stage);
                if (dup)
                        continue;
                nv = realloc(v, (k + 1) * sizeof *v);
                if (!nv) {
                        free(v);
                        return -ENOMEM;
                }
                v = nv;
                v[k++] = stage;
        }
        *ret = v;
        *n = k;
        return 0;
}

static bool stage_listed(const struct nh_ns_config *c, const char *stage)
{
        for (size_t i = 0; i < c->n_stages; i++)
                if (streq(c->stages[i], stage))
                        return true;
        return false;
}

/* True when the namespace's file has sections only for stages it runs, no
 * "implementations:" anywhere, and each stage it runs is served by the
 * enabled plugin of the same name.  Then every section and stage is known
 * without loading the other plugins to learn which stages exist, which
 * would cost more than bringing a namespace up. */
static bool pipeline_plain(struct nh_engine *e, const struct nh_nsstate *s)
{
        const struct nh_ns_config *c = s->cfg;

        if (c->n_impls > 0 || (e->g && e->g->n_impls > 0))
                return false;
        for (size_t i = 0; i < c->root->n; i++) {
                const char *k = c->root->keys[i]->value;
                if (!streq(k, "stages") && !streq(k, "implementations") && !stage_listed(c, k))
                        return false;
        }
        for (size_t i = 0; i < c->n_stages; i++) {
                const struct nh_plugin_rec *rec;
                if (!nh_plugin_name_valid(c->stages[i]))
                        return false;
                rec = nh_registry_get(e->reg, c->stages[i]);
                if (!rec || rec->refused || !rec->enabled || !rec->desc || !streq(rec->desc->stage, c->stages[i]))
                        return false;
        }
        return true;
}

/* Builds and checks the whole pipeline of a namespace: every enabled stage
 * and every section present.  Nothing is changed.  NH_EXIT_* code. */
static int pipeline_build(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p)
{
        return pipeline_build_for(e, s, p, NULL);
}

/* only != NULL: the file is checked whole, but only that stage's plugin's
 * validate() is called: the others' may look at the host (does the macvlan
 * parent exist?), which is their stage's business, not this one's (the
 * netns stage must not fail because a parent is not there yet at boot). */
int pipeline_build_for(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p, const char *only)
{
        _cleanup_free_ const char **known = NULL;
        size_t n_known = 0;
        int r, ret = NH_EXIT_OK;

        if (!pipeline_plain(e, s)) {
                if (known_stages(e, &known, &n_known) < 0)
                        return NH_EXIT_FAILURE;
                if (nh_ns_config_check_sections(s->cfg, known, n_known) < 0)
                        return NH_EXIT_CONFIG;
        }

        for (size_t i = 0; i < s->cfg->n_stages; i++) {
                const char *stage = s->cfg->stages[i];
                struct nh_plugin_rec *rec = stage_plugin(e, s, stage);

                if (!rec) {
                        ret = ret == NH_EXIT_OK ? NH_EXIT_PLUGIN : ret;
                        continue;
                }
                if (only && !streq(stage, only))
                        r = stage_keys_check(s, rec, stage);
                else
                        r = stage_validate(e, s, rec, stage);
                if (r != NH_EXIT_OK) {
                        ret = r;
                        continue;
                }
                if (pipeline_add(p, stage, rec) < 0)
                        return NH_EXIT_FAILURE;
        }
        if (ret != NH_EXIT_OK)
                return ret;
        pipeline_sort(p);
        return NH_EXIT_OK;
}

/* Stops the stages [0, upto) in reverse; only those marked in only (NULL:
 * all). */
static int pipeline_stop_some(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p, size_t upto,
                              const bool *only)
{
        int ret = NH_EXIT_OK;

        for (size_t i = upto; i-- > 0; ) {
                struct nh_plugin_rec *rec = p->recs[i];
                int r;

                if (only && !only[i])
                        continue;
                if (has_process(rec))
                        (void) stop_long_running(s, p->stages[i]);
                /* The stage that removes the namespace comes later in this
                 * run: what lives only inside it may be left to go with it
                 * (nh_namespace_going()). */
                s->going = false;
                for (size_t j = 0; j < i; j++)
                        if ((p->recs[j]->desc->flags & NH_PLUGIN_OWNS_NETNS) && (!only || only[j]))
                                s->going = true;
                r = call_verb(e, s, rec, p->stages[i], NH_VERB_STOP, -1);
                s->going = false;
                if (r < 0)
                        ret = NH_EXIT_FAILURE;
                else
                        after_stop(s, rec);
        }
        return ret;
}

static int pipeline_stop(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p, size_t upto)
{
        return pipeline_stop_some(e, s, p, upto, NULL);
}

/* Loads a namespace's configuration and builds its checked pipeline, then
 * runs fn on it.  NH_EXIT_* code. */
typedef int (*pipeline_fn)(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p);

static int with_pipeline(struct nh_engine *e, const char *ns, pipeline_fn fn, bool lock)
{
        struct nh_nsstate *s = NULL;
        struct pipeline p = { 0 };
        int r;

        r = nsstate_new(e, ns, &s);
        if (r != NH_EXIT_OK)
                return r;
        r = pipeline_build(e, s, &p);
        if (r == NH_EXIT_OK && lock)
                r = ns_lock(s);
        if (r == NH_EXIT_OK)
                r = fn(e, s, &p);
        pipeline_free(&p);
        nsstate_free(e, s);
        return r;
}

/* "up" of a namespace that is up already, in full or in part, completes
 * what is missing: a stage that is up as configured (its check() says so),
 * and a long-running stage whose process runs, are left as they are; when
 * a later stage fails, only what this "up" started is undone. */
static int pipeline_up(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p)
{
        _cleanup_free_ bool *started = calloc(p->n ? p->n : 1, sizeof *started);
        bool repeat = ns_open(s) >= 0;
        size_t i;
        int k = 0;

        if (!started)
                return NH_EXIT_FAILURE;
        (void) stop_signals_install();
        for (i = 0; i < p->n && !interrupted(); i++) {
                struct nh_plugin_rec *rec = p->recs[i];
                const char *stage = p->stages[i];
                pid_t pid;

                if ((rec->desc->flags & NH_PLUGIN_NEEDS_NETNS) && require_netns(e, s, stage) != NH_EXIT_OK)
                        k = -ENOENT;
                else if (is_long_running(rec) && (pid = lr_running(s, stage, NULL)) > 0 && repeat)
                        k = wait_running(e, s, stage, pid);
                else if (repeat && !is_long_running(rec) && stage_is_up(s, stage) &&
                         call_verb(e, s, rec, stage, NH_VERB_CHECK, -1) == 0) {
                        log_debug("%s[%s]: up already, as configured", stage, s->name);
                        if (has_watch(rec) && lr_running(s, stage, NULL) <= 0)
                                k = start_watcher(e, s, rec, stage);
                } else {
                        /* The namespace was not there when this "up" began:
                         * a process still recorded for it served one that
                         * was deleted from outside. */
                        if (has_process(rec) && (pid = lr_running(s, stage, NULL)) > 0) {
                                log_notice("%s[%s]: its process (PID %d) ran for the namespace's previous "
                                           "instance, which is gone; stopping it", stage, s->name, (int) pid);
                                (void) stop_long_running(s, stage);
                        }
                        started[i] = true;
                        k = is_long_running(rec) ? start_in_background(e, s, rec, stage)
                                                 : call_verb(e, s, rec, stage, NH_VERB_START, -1);
                        if (k >= 0 && has_watch(rec))
                                k = start_watcher(e, s, rec, stage);
                }
                if (k < 0)
                        break;
        }
        if (k >= 0 && !interrupted())
                return NH_EXIT_OK;
        if (interrupted())
                log_error("Bringing up namespace %s was interrupted by signal %d (%s); undoing what it started",
                          s->name, interrupt_signal(), strsignal(interrupt_signal()));
        else
                log_error("Bringing up namespace %s failed at stage %s; undoing %s", s->name, p->stages[i],
                          repeat ? "what this command started before it" : "the stages before it");
        /* The failed stage has undone itself; a long-running one that was
         * stopped for its timeout or the interruption too. */
        if (i < p->n)
                started[i] = false;
        (void) pipeline_stop_some(e, s, p, i < p->n ? i : p->n, started);
        return NH_EXIT_FAILURE;
}

static int pipeline_check(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p)
{
        int r = NH_EXIT_OK;

        for (size_t i = 0; i < p->n; i++) {
                int k = verb_exit(NH_VERB_CHECK, stage_check(e, s, p->recs[i], p->stages[i]));
                if (k != NH_EXIT_OK && (r == NH_EXIT_OK || k == NH_EXIT_FAILURE))
                        r = k;
        }
        if (r == NH_EXIT_OK)
                log_info("Namespace %s matches its configuration", s->name);
        return r;
}

/* validate and enable only: what no two namespaces may share (clash.h). */
static int pipeline_unique(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p)
{
        int found = 0;

        (void) e;
        for (size_t i = 0; i < p->n; i++)
                found += nh_unique_check(nh_confdir(), s->cfg, p->stages[i], p->recs[i]->desc->keys);
        return found ? NH_EXIT_CONFIG : NH_EXIT_OK;
}

static int pipeline_print(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p)
{
        char list[512];
        size_t o = 0;

        if (pipeline_unique(e, s, p) != NH_EXIT_OK)
                return NH_EXIT_CONFIG;

        list[0] = '\0';
        for (size_t i = 0; i < p->n && o < sizeof list; i++)
                o += (size_t) snprintf(list + o, sizeof list - o, "%s%s (%s)", i ? ", " : "",
                                       p->stages[i], p->recs[i]->name);
        printf("%s: configuration is valid (%s%s); stages: %s\n", s->name,
               s->cfg->exists ? s->cfg->path : "no file, defaults", s->cfg->legacy ? ", legacy format" : "",
               list);
        return NH_EXIT_OK;
}

int nh_engine_up(struct nh_engine *e, const char *ns) { return with_pipeline(e, ns, pipeline_up, true); }
int nh_engine_check(struct nh_engine *e, const char *ns) { return with_pipeline(e, ns, pipeline_check, false); }
int nh_engine_validate(struct nh_engine *e, const char *ns) { return with_pipeline(e, ns, pipeline_print, false); }

/* "netns-helper enable" checks like validate, printing only the errors. */
int nh_engine_verify(struct nh_engine *e, const char *ns) { return with_pipeline(e, ns, pipeline_unique, false); }

int nh_engine_down(struct nh_engine *e, const char *ns)
{
        struct nh_nsstate *s = NULL;
        struct pipeline p = { 0 };
        int r;

        r = nsstate_new(e, ns, &s);
        if (r != NH_EXIT_OK)
                return r;
        /* Take down what the configuration names, even when part of it no
         * longer validates: a broken file must not keep a namespace up. */
        for (size_t i = 0; i < s->cfg->n_stages; i++) {
                struct nh_plugin_rec *rec = stage_plugin(e, s, s->cfg->stages[i]);
                if (!rec) {
                        r = NH_EXIT_PLUGIN;
                        continue;
                }
                if (pipeline_add(&p, s->cfg->stages[i], rec) < 0) {
                        r = NH_EXIT_FAILURE;
                        goto out;
                }
        }
        pipeline_sort(&p);
        {
                int k = ns_lock(s);
                if (k == NH_EXIT_OK)
                        k = pipeline_stop(e, s, &p, p.n);
                if (r == NH_EXIT_OK)
                        r = k;
        }
out:
        pipeline_free(&p);
        nsstate_free(e, s);
        return r;
}
