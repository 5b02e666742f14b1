/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The original tool's conventions, which netns-helper keeps so that its
 * files, units and habits go on working.  This is the one place in the core
 * that spells a stage's name: everything else learns about stages from
 * their plugins' descriptors and from the configuration.
 *
 *   legacy.c       its unit names, its file names, its default stages
 *   legacy-conf.c  its ns/NAME-macvlan.conf format
 */
#pragma once

#include <stdbool.h>

struct nh_ns_config;
struct nh_default_stages;

/* ns/NAME-macvlan.conf: the original tool's file of a namespace, read
 * when there is no ns/NAME.yaml. */
#define NH_LEGACY_CONF_SUFFIX "-macvlan.conf"
char *nh_legacy_conf_path(const char *confdir, const char *name);
/* Logs that c->legacy_path is ignored because c->path exists. */
void nh_legacy_conf_shadowed(const struct nh_ns_config *c);

/* Reads c->path, an ns/NAME-macvlan.conf, into c->root as the section of
 * the stage it configured.  0 or -errno (-EINVAL logged). */
int legacy_load(struct nh_ns_config *c);

/* The original tool's name of a key of that section (PARENT_IF for
 * "parent") when c was read from such a file, else NULL. */
const char *nh_legacy_key_name(const struct nh_ns_config *c, const char *stage, const char *key);

/* The original tool's default stages: netns-helper.yaml's
 * "default-stages:" when it does not set them (the shipped file sets the
 * same). */
const struct nh_default_stages *nh_legacy_default_stages(void);

/* The systemd unit a stage runs under for namespace ns (ns NULL: the
 * template): netns-helper-STAGE@NS.service, but for the two stages the
 * original tool had units of its own for.  The inverse gives the stage
 * of such a unit name, or NULL when it is not a stage's unit of ns.
 * Both return malloc'ed strings (NULL also when out of memory). */
char *nh_legacy_stage_unit(const char *stage, const char *ns);
/* What a service added to namespace ns ("netns-helper add") is bound to
 * and comes after: the original tool's namespace unit, and its post-up
 * unit, which starts only once the stages before it are up. */
char *nh_legacy_namespace_unit(const char *ns);
char *nh_legacy_post_up_unit(const char *ns);
char *nh_legacy_unit_stage(const char *unit, const char *ns);
