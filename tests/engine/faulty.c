/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A one-shot stage for the engine's tests that misbehaves as its section
 * says: "crash: segv|abort" in the verb named by "in:", or a validate()
 * that fails without a word ("quiet-invalid: yes").  Built twice: "faulty",
 * and "lazy", linked with -z lazy, whose start() calls a function nothing
 * defines (a plugin built elsewhere without -z now). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netns-helper/plugin.h>

static const struct nh_key keys[] = {
        { .name = "log", .type = NH_T_PATH, .help = "file to append calls to" },
        { .name = "crash", .type = NH_T_ENUM, .choices = "segv|abort", .help = "how to crash" },
        { .name = "in", .type = NH_T_ENUM, .choices = "validate|start|stop|check", .help = "the verb that crashes" },
        { .name = "quiet-invalid", .type = NH_T_BOOL, .help = "validate() fails without a message" },
        { 0 }
};

#ifdef FAULTY_LAZY
void nh_test_lazy_no_such_function(void);
#endif

static int verb(struct nh_ctx *ctx, const char *name)
{
        const char *log = nh_cfg_str(ctx, "log"), *crash = nh_cfg_str(ctx, "crash"), *in = nh_cfg_str(ctx, "in");

        if (log) {
                FILE *f = fopen(log, "ae");
                if (f) {
                        fprintf(f, "%s %s %d\n", nh_stage(ctx), name, (int) getpid());
                        fclose(f);
                }
        }
        if (crash && in && strcmp(in, name) == 0) {
                if (strcmp(crash, "abort") == 0)
                        abort();
                raise(SIGSEGV);
        }
        return 0;
}

static int f_validate(struct nh_ctx *ctx)
{
        int quiet = 0;

        (void) nh_cfg_bool(ctx, "quiet-invalid", &quiet);
        if (quiet)
                return -EINVAL;
        return verb(ctx, "validate");
}

static int f_start(struct nh_ctx *ctx)
{
#ifdef FAULTY_LAZY
        nh_test_lazy_no_such_function();
#endif
        return verb(ctx, "start");
}
static int f_stop(struct nh_ctx *ctx) { return verb(ctx, "stop"); }
static int f_check(struct nh_ctx *ctx) { return verb(ctx, "check"); }

NH_PLUGIN_DEFINE(
        .name = FAULTY_NAME,
        .stage = FAULTY_NAME,
        .version = "1",
        .description = "misbehaves as told (engine tests)",
        .order = 500,
        .keys = keys,
        .validate = f_validate,
        .start = f_start,
        .stop = f_stop,
        .check = f_check,
);
