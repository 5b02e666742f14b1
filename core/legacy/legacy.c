/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The original tool's names (legacy.h): its unit names, its file names,
 * its default stages.  It had a namespace unit and a DHCP unit, and ran
 * netns, then macvlan, then DHCP unless the file set a static address,
 * then the post-up hook.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "config/conf.h"
#include "legacy/legacy.h"

char *nh_legacy_conf_path(const char *confdir, const char *name)
{
        return strdup_printf("%s/ns/%s" NH_LEGACY_CONF_SUFFIX, confdir, name);
}

void nh_legacy_conf_shadowed(const struct nh_ns_config *c)
{
        nh_logf(NH_LOG_WARNING, "%s: ignored, because %s exists and takes precedence; "
                "move its settings into the 'macvlan:' section and remove it",
                c->legacy_path, c->path);
}

static const char *const default_first[] = { "netns" };
static const struct nh_stage_if_missing default_if_missing[] = {
        /* No static IPv4 address: DHCP gives one. */
        { .section = "macvlan", .key = "address4", .stage = "dhcp4" },
};
static const char *const default_last[] = { "postup" };

static const struct nh_default_stages default_stages = {
        .first = default_first,
        .n_first = ELEMENTSOF(default_first),
        .if_missing = default_if_missing,
        .n_if_missing = ELEMENTSOF(default_if_missing),
        .last = default_last,
        .n_last = ELEMENTSOF(default_last),
};

const struct nh_default_stages *nh_legacy_default_stages(void)
{
        return &default_stages;
}

/* The units the original tool named otherwise than netns-helper-STAGE@. */
static const struct {
        const char *stage, *unit;       /* unit: the part before "@" */
} own_units[] = {
        { "netns", "netns-helper" },
        { "dhcp4", "netns-helper-dhcp" },
};

char *nh_legacy_stage_unit(const char *stage, const char *ns)
{
        const char *i = ns ? ns : "";

        for (size_t k = 0; k < ELEMENTSOF(own_units); k++)
                if (streq(stage, own_units[k].stage))
                        return strdup_printf("%s@%s.service", own_units[k].unit, i);
        return strdup_printf("netns-helper-%s@%s.service", stage, i);
}

char *nh_legacy_namespace_unit(const char *ns) { return nh_legacy_stage_unit("netns", ns); }
char *nh_legacy_post_up_unit(const char *ns) { return nh_legacy_stage_unit("postup", ns); }

char *nh_legacy_unit_stage(const char *unit, const char *ns)
{
        _cleanup_free_ char *suffix = strdup_printf("@%s.service", ns);
        const char *prefix = "netns-helper-";
        size_t n, u = strlen(unit);

        if (!suffix || u <= strlen(suffix) || !streq(unit + u - strlen(suffix), suffix))
                return NULL;
        n = u - strlen(suffix);
        for (size_t k = 0; k < ELEMENTSOF(own_units); k++)
                if (strlen(own_units[k].unit) == n && strncmp(unit, own_units[k].unit, n) == 0)
                        return strdup(own_units[k].stage);
        if (n <= strlen(prefix) || strncmp(unit, prefix, strlen(prefix)) != 0)
                return NULL;
        return strndup(unit + strlen(prefix), n - strlen(prefix));
}
