/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A long-running stage for the engine's tests: start says it is ready
 * (unless "ready: no") and waits on the stop fd; it appends what happens to
 * the file named by "log". */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <netns-helper/plugin.h>

static const struct nh_key keys[] = {
        { .name = "log", .type = NH_T_PATH, .help = "file to append calls to" },
        { .name = "ready", .type = NH_T_BOOL, .help = "say ready (default yes)" },
        { .name = "hang", .type = NH_T_BOOL, .help = "never say ready, wait for SIGTERM" },
        { .name = "crash", .type = NH_T_BOOL, .help = "crash (SIGSEGV) before being ready" },
        { .name = "hook", .type = NH_T_PATH, .help = "a hook to run before being ready" },
        { 0 }
};

static void note(struct nh_ctx *ctx, const char *what)
{
        const char *log = nh_cfg_str(ctx, "log");
        FILE *f = log ? fopen(log, "ae") : NULL;
        if (f) {
                fprintf(f, "%s %d\n", what, (int) getpid());
                fclose(f);
        }
}

static int w_start(struct nh_ctx *ctx)
{
        struct pollfd p = { .fd = nh_stop_fd(ctx), .events = POLLIN };
        int ready = 1, hang = 0, crash = 0;
        const char *hook = nh_cfg_str(ctx, "hook");

        (void) nh_cfg_bool(ctx, "ready", &ready);
        (void) nh_cfg_bool(ctx, "hang", &hang);
        (void) nh_cfg_bool(ctx, "crash", &crash);
        note(ctx, "start");
        if (crash)
                raise(SIGSEGV);
        if (hook && nh_run_hook(ctx, hook, NULL, NULL) != 0)
                return -EIO;
        if (hang) {
                while (poll(&p, 1, -1) < 0 && errno == EINTR)
                        ;
                note(ctx, "stopped");
                return 0;
        }
        if (!ready) {
                nh_err(ctx, "giving up before being ready, as configured");
                return -EIO;
        }
        nh_ready(ctx, "waiting for SIGTERM");
        while (poll(&p, 1, -1) < 0 && errno == EINTR)
                ;
        note(ctx, "stopped");
        return 0;
}

static int w_stop(struct nh_ctx *ctx)
{
        note(ctx, "stop");
        return 0;
}

NH_PLUGIN_DEFINE(
        .name = "waiter",
        .stage = "waiter",
        .version = "1",
        .order = 300,
        .flags = NH_PLUGIN_LONG_RUNNING,
        .keys = keys,
        .start = w_start,
        .stop = w_stop,
);
