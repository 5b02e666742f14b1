/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The engine: the pipeline of stages of a namespace, and the context
 * (struct nh_api) through which a plugin reaches the core.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include "config/conf.h"
#include "engine/exitcodes.h"
#include "engine/loader.h"
#include "engine/rundir.h"

enum nh_verb { NH_VERB_START, NH_VERB_STOP, NH_VERB_CHECK };

struct nh_engine;

/* Reads the global config and sets up the plugin registry.  Returns an
 * NH_EXIT_* code. */
int nh_engine_new(struct nh_engine **ret);
void nh_engine_free(struct nh_engine *e);
struct nh_registry *nh_engine_registry(struct nh_engine *e);
const struct nh_global_config *nh_engine_global(struct nh_engine *e);

/* netns-helper-run STAGE NAMESPACE VERB: a long-running stage's start
 * stays in the foreground and reports readiness through $NOTIFY_SOCKET. */
int nh_engine_run_stage(struct nh_engine *e, const char *stage, const char *ns, enum nh_verb verb);

/* netns-helper up/down/check/validate NAMESPACE. */
int nh_engine_up(struct nh_engine *e, const char *ns);
int nh_engine_down(struct nh_engine *e, const char *ns);
int nh_engine_check(struct nh_engine *e, const char *ns);
int nh_engine_validate(struct nh_engine *e, const char *ns);
/* validate without the summary line: only errors are logged. */
int nh_engine_verify(struct nh_engine *e, const char *ns);
/* The pipeline position of the plugin named like stage; INT_MAX when
 * there is no engine or no such plugin that loaded. */
int nh_engine_stage_position(struct nh_engine *e, const char *stage);
/* Whether ns's DNS is kept from the host's resolver: the setting of the
 * section of its stage that makes the namespace (NH_PLUGIN_OWNS_NETNS);
 * true, the default, also when its configuration does not load. */
bool nh_engine_dns_isolated(struct nh_engine *e, const char *ns);
/* True once "up" was interrupted by SIGINT or SIGTERM (it undid what it
 * had started): the caller goes on with no other namespace. */
bool nh_engine_interrupted(void);


/* A namespace name check that logs why; returns NH_EXIT_OK or NH_EXIT_CONFIG. */
int nh_check_namespace_name(const char *ns);
