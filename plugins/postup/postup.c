/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The postup stage: runs CONFDIR/ns/NAME-postup inside the namespace once
 * every other stage is up (routes, firewall rules: whatever the admin
 * wants).  It makes nothing itself, so stop has nothing to undo.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* unshare(), setns() */
#endif
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "netns-helper/plugin.h"

static int postup_start(struct nh_ctx *ctx)
{
        char path[PATH_MAX];
        int n, r;

        n = snprintf(path, sizeof(path), "%s/ns/%s-postup", nh_config_dir(ctx), nh_namespace(ctx));
        if (n < 0 || (size_t) n >= sizeof(path)) {
                nh_err(ctx, "Path of the post-up script for %s is too long", nh_namespace(ctx));
                return -ENAMETOOLONG;
        }
        r = nh_run_hook(ctx, path, NULL, NULL);
        if (r > 0) {
                /* The core has logged the script's status and output. */
                nh_debug(ctx, "Post-up script %s failed with exit status %d", path, r);
                return -ECANCELED;
        }
        if (r < 0) {
                nh_err(ctx, "Failed to run post-up script %s: %s", path, strerror(-r));
                return r;
        }
        return 0;
}

static int postup_stop(struct nh_ctx *ctx)
{
        return 0;
}

NH_PLUGIN_DEFINE(
        .name = "postup",
        .stage = "postup",
        .version = NH_STAGE_VERSION,
        .description = "runs ns/NAME-postup inside the namespace after every other stage",
        .order = NH_ORDER_POSTUP,
        .flags = NH_PLUGIN_NEEDS_NETNS,
        .keys = NULL,
        .start = postup_start,
        .stop = postup_stop,
);
