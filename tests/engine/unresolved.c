/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A plugin for the engine's tests that calls a function nothing defines,
 * linked with -z now as the plugins built here are: the loader, which
 * dlopen()s lazily, must still refuse it at load time. */
#include <netns-helper/plugin.h>

void nh_test_no_such_function(void);

static int u_start(struct nh_ctx *ctx)
{
        nh_test_no_such_function();
        return 0;
}

static int u_stop(struct nh_ctx *ctx) { return 0; }

NH_PLUGIN_DEFINE(
        .name = "unresolved",
        .stage = "unresolved",
        .version = "1",
        .order = 500,
        .start = u_start,
        .stop = u_stop,
);
