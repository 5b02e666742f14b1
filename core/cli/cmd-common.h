/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the systemd-facing subcommands (service.h) share: the directories
 * they write, the unit names of stages, running systemctl, their options.
 * The commands themselves: cmd-units.c (enable, disable, reload, start,
 * stop, restart), cmd-dropins.c (add, remove), cmd-status.c (status).
 *
 * Everything written lives under the systemd configuration directory
 * (/etc/systemd/system, or $NETNS_HELPER_SYSTEMD_DIR); systemd itself is
 * only reached by running systemctl ($NETNS_HELPER_SYSTEMCTL), never
 * through a shell. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define DROPIN_NAME "netns-helper.conf"
#define RUN_NETNS "/run/netns"

const char *svc_systemd_dir(void);
const char *svc_systemctl_path(void);
const char *svc_unit_dir(void);
bool svc_ends_with(const char *s, const char *suffix);

int svc_service_name(const char *arg, char **ret);
char *svc_stage_unit(const char *stage, const char *ns);
char *svc_unit_stage(const char *unit, const char *ns);

int svc_systemctl(char **out, const char *const *args);
int svc_systemctl_run(const char *const *args);

struct opts {
        bool now;
        bool json;
        int first;      /* index of the first operand in argv */
};

enum { OPT_NOW = 0x100, OPT_JSON };

int svc_parse_opts(int argc, char **argv, bool allow_now, bool allow_json,
                   int min_args, int max_args, struct opts *o);
const char *svc_parse_ns_opts(int argc, char **argv, bool allow_now, bool allow_json,
                              int min_args, int max_args, struct opts *o, int *ret);

struct strv {
        char **v;
        size_t n;
};

void svc_strv_done(struct strv *s);
bool svc_strv_contains(const struct strv *s, const char *x);
int svc_strv_add(struct strv *s, const char *x);
int svc_strv_push(struct strv *s, const char *x);
int svc_cmp_str(const void *a, const void *b);

/* cmd-dropins.c */
bool svc_namespace_known(const char *ns);
char *svc_dropin_namespace(const char *service);

/* cmd-units.c */
bool svc_changed_since(const char *ns, const char *stage, const char *config, bool *up);
