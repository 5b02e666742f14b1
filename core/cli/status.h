/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* "netns-helper status": what cmd-status.c collects about a namespace,
 * and status-print.c prints (text, or --json). */
#pragma once

#include <stdio.h>

#include "cli/cmd-common.h"

struct stage_status {
        char *stage, *unit, *state;
        bool configured;        /* in the file's stage list (else only linked) */
        bool up;                /* RUNDIR/NAME/up/STAGE: up, whoever started it */
        bool restarting;        /* activating again after a failure (Restart=) */
};

struct ns_status {
        char *name;
        bool known;             /* a file, links, a run directory or the namespace */
        char *config;           /* the file read, NULL when none */
        bool config_ok;
        bool exists;            /* /run/netns/NAME */
        bool enabled;           /* linked into multi-user.target */
        bool changed;           /* the file is newer than a stage that is up */
        char *target_state;
        struct stage_status *st;
        size_t n_st;
        struct strv services, service_states;
        struct nh_run_fact *facts;      /* nh_run_facts() */
        size_t n_facts;
        struct strv addresses;  /* of the interface */
        struct strv links;      /* "IFNAME ADDR..." of the namespace's other links */
        bool addresses_known;
        const char *state;      /* what it all adds up to: state_of() */
        char why[256];
};

const char *status_fact(const struct ns_status *s, const char *key);
void status_print_text(FILE *f, const struct ns_status *all, size_t n);
void status_print_json(FILE *f, const struct ns_status *all, size_t n);
