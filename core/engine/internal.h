/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the files of the engine share and nobody else sees: the state of a
 * namespace while a command works on it, the context a plugin's verb gets,
 * and the functions one file of the engine offers the others.
 *
 *   engine.c    the engine object, a namespace's state, which plugin serves a stage
 *   pipeline.c  a namespace's stages in order: up (with rollback), down, check, validate
 *   stage.c     one stage's verb, its preconditions, netns-helper-run
 *   api.c       struct nh_api: the services a plugin calls
 *   process.c   stop signals, sd_notify, crash capture, a stage's own process
 *   rundir.c    the run and state directories (rundir.h): paths, locks, pid
 *               files, up/failed markers, facts
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "engine/engine.h"
#include "engine/rundir.h"

#define NETNS_RUN_DIR "/run/netns"

/* libnl-3, as the plugin that asks for a socket links it.  The core does not
 * link libnl itself: a stage whose plugin never asks (netns, macvlan,
 * postup) runs without loading it, and the socket handed out is always made
 * by the libnl its plugin uses.  dlsym() on a plugin's handle searches the
 * plugin and its dependencies. */
struct nl_sock;
struct nl_fns {
        struct nl_sock *(*alloc)(void);
        void (*free)(struct nl_sock *);
        int (*connect)(struct nl_sock *, int);
        int (*set_msg_buf_size)(struct nl_sock *, size_t);
};

struct nh_nsstate {
        char *name;
        struct nh_ns_config *cfg;
        int netns_fd;
        struct nl_sock *nl;             /* made with the engine's nl_fns */
        char *run_dir, *state_dir, *etc_dir, *dns_dir;
        bool run_dir_made, state_dir_made, facts_dir_made, up_dir_made, failed_dir_made;
        int lock_fd;                    /* ns_lock(), or -1 */
        bool going;                     /* nh_namespace_going(): see pipeline_stop() */
};

struct nh_engine {
        struct nh_global_config *g;
        struct nh_registry *reg;
        int host_netns_fd;
        struct nl_sock *host_nl;
        struct nl_fns nl;               /* resolved on the first request */
};

struct nh_core_ctx {
        struct nh_ctx pub;
        struct nh_engine *e;
        struct nh_nsstate *ns;
        struct nh_plugin_rec *rec;
        const char *stage;
        const struct nh_node *section;
        char prefix[128];
        int ready_fd;           /* "up": the pipe to the waiting parent */
        bool ready_sent;
        char **strs;            /* strings handed out by fact_get() */
        size_t n_strs;
};

static inline struct nh_core_ctx *core(struct nh_ctx *c) { return (struct nh_core_ctx *) c; }

static inline bool is_long_running(const struct nh_plugin_rec *rec)
{
        return rec->desc->flags & NH_PLUGIN_LONG_RUNNING;
}

/* struct nh_plugin.watch, read only from a plugin built for ABI 1.3 or
 * later (an older descriptor ends before it). */
static inline bool has_watch(const struct nh_plugin_rec *rec)
{
        return rec->desc->abi_minor >= 3 && rec->desc->watch;
}

/* The stage has a process of its own while it is up, recorded in
 * RUNDIR/.pids: a long-running stage's, or a watcher. */
static inline bool has_process(const struct nh_plugin_rec *rec)
{
        return is_long_running(rec) || has_watch(rec);
}

/* engine.c */
void nsstate_drop_kernel(const struct nh_engine *e, struct nh_nsstate *s);
void nsstate_free(const struct nh_engine *e, struct nh_nsstate *s);
int nsstate_new(const struct nh_engine *e, const char *ns, struct nh_nsstate **ret);
int ns_open(struct nh_nsstate *s);
struct nh_plugin_rec *stage_plugin(struct nh_engine *e, struct nh_nsstate *s, const char *stage);
const char *ns_owner_stage(struct nh_engine *e, struct nh_nsstate *s);

/* rundir.c, for a namespace's state (the paths it holds) */
int ns_lock(struct nh_nsstate *s);
int put_in_dir(const char *dir, bool *made, const char *path, const char *data);
const char *made_dir(const char *path, unsigned mode, bool *made);
bool fact_key_valid(const char *k);
int ns_fact_set(struct nh_nsstate *s, const char *key, const char *value);
char *ns_fact_get(struct nh_nsstate *s, const char *key);
pid_t lr_running(struct nh_nsstate *s, const char *stage, pid_t *recorded);
int lr_record(struct nh_nsstate *s, const char *stage, pid_t pid);
void lr_forget(struct nh_nsstate *s, const char *stage, pid_t pid);
char *pidfile_dir(struct nh_nsstate *s);
char *hook_record_path(struct nh_nsstate *s, const char *stage);
unsigned long long pid_starttime(pid_t pid);
void stage_mark(struct nh_nsstate *s, const char *stage, bool up);
void stage_mark_failed(struct nh_nsstate *s, const char *stage, bool failed);
bool stage_is(struct nh_nsstate *s, const char *kind, const char *stage);
bool stage_is_up(struct nh_nsstate *s, const char *stage);
void ns_run_dir_forget(struct nh_nsstate *s);

/* process.c */
enum verb_kind { VK_VALIDATE, VK_START, VK_STOP, VK_CHECK, VK_WATCH };
int stop_signals_install(void);
int sd_notify_send(const char *msg);
bool interrupted(void);
int interrupt_signal(void);
_Noreturn void core_abort(void);
int guarded_call(struct nh_core_ctx *c, enum verb_kind vk, int (*fn)(struct nh_ctx *));
void kill_orphan_hooks(struct nh_nsstate *s, const char *stage);
int stop_long_running(struct nh_nsstate *s, const char *stage);
int start_watcher(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec, const char *stage);
int start_in_background(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec, const char *stage);
int wait_running(struct nh_engine *e, struct nh_nsstate *s, const char *stage, pid_t pid);

/* api.c */
bool unset_scalar(const struct nh_node *n);
void ctx_init(struct nh_core_ctx *c, struct nh_engine *e, struct nh_nsstate *s,
              struct nh_plugin_rec *rec, const char *stage);
void ctx_done(struct nh_core_ctx *c);
const char *host_nsswitch(void);

/* stage.c */
int stage_keys_check(struct nh_nsstate *s, struct nh_plugin_rec *rec, const char *stage);
int stage_validate(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec, const char *stage);
int call_verb(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec,
              const char *stage, enum nh_verb verb, int ready_fd);
int verb_exit(enum nh_verb verb, int r);
int require_netns(struct nh_engine *e, struct nh_nsstate *s, const char *stage);
void after_stop(struct nh_nsstate *s, const struct nh_plugin_rec *rec);
int stage_check(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec, const char *stage);

/* pipeline.c */
struct pipeline {
        size_t n;
        const char **stages;
        struct nh_plugin_rec **recs;
};
void pipeline_free(struct pipeline *p);
int pipeline_build_for(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p, const char *only);
