/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The run and state directories, and the other places the programs are
 * configured with.  One owner: every path in them is named in rundir.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Directory settings (environment overrides of configure's paths). */
const char *nh_confdir(void);
const char *nh_rundir(void);
const char *nh_statedir(void);
const char *nh_cachedir(void);
const char *nh_etc_netns(void);

/* A namespace's directories: RUNDIR/NS, its DNS records RUNDIR/NS/dns,
 * STATEDIR/NS (malloc'ed; NULL when out of memory).  rundir.c lists what
 * lives in them. */
char *nh_run_ns_dir(const char *ns);
char *nh_run_dns_dir(const char *ns);
char *nh_state_ns_dir(const char *ns);

/* What the engine left for a namespace, for the commands that report on it
 * (status, leaktest): they ask here and never build the paths. */

/* RUNDIR/NS exists: a stage of ns ran since boot, or runs. */
bool nh_run_known(const char *ns);

/* The facts of ns, sorted by key; none when it has none (0).  A value
 * has no newline. */
struct nh_run_fact {
        char *key, *value;
};
int nh_run_facts(const char *ns, struct nh_run_fact **ret, size_t *n);
void nh_run_facts_free(struct nh_run_fact *f, size_t n);
/* One fact's value (the caller frees it), or NULL. */
char *nh_run_fact(const char *ns, const char *key);
/* The file a fact is kept in, to name it in a message. */
char *nh_run_fact_path(const char *ns, const char *key);

/* 1 when stage of ns is up (*since, when not NULL: since when), 0 when it
 * is not, or -errno. */
int nh_run_stage_up(const char *ns, const char *stage, struct timespec *since);

/* The namespaces that have a run directory, as a NULL-terminated list
 * (the caller frees each and the list). */
int nh_run_namespaces(char ***ret, size_t *n);
