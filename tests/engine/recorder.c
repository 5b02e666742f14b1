/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A stage plugin for the engine's tests: it touches no kernel state, it
 * appends "STAGE VERB" to the file named by its section's "log" key, and
 * fails a verb when its section's "fail" key names it.  Built several times
 * with different -DREC_NAME/-DREC_STAGE/-DREC_ORDER. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netns-helper/plugin.h>

static const struct nh_key keys[] = {
        { .name = "log", .type = NH_T_PATH, .help = "file to append calls to" },
        { .name = "fail", .type = NH_T_ENUM, .choices = "validate|start|stop|check",
          .help = "the verb that fails" },
        { .name = "count", .type = NH_T_INT, .min = 1, .max = 10, .help = "a bounded number" },
        { 0 }
};

static int record(struct nh_ctx *ctx, const char *verb)
{
        const char *log = nh_cfg_str(ctx, "log");
        const char *fail = nh_cfg_str(ctx, "fail");

        if (log) {
                FILE *f = fopen(log, "ae");
                if (f) {
                        fprintf(f, "%s %s %s\n", nh_stage(ctx), verb, nh_namespace(ctx));
                        fclose(f);
                }
        }
        if (fail && strcmp(fail, verb) == 0) {
                nh_err(ctx, "failing %s as configured", verb);
                return -EIO;
        }
        return 0;
}

static int rec_validate(struct nh_ctx *ctx)
{
        return record(ctx, "validate") < 0 ? nh_cfg_error(ctx, "fail", "told to fail validation") : 0;
}
static int rec_start(struct nh_ctx *ctx) { return record(ctx, "start"); }
static int rec_stop(struct nh_ctx *ctx) { return record(ctx, "stop"); }
static int rec_check(struct nh_ctx *ctx) { return record(ctx, "check") < 0 ? 1 : 0; }

NH_PLUGIN_DEFINE(
        .name = REC_NAME,
        .stage = REC_STAGE,
        .version = "1",
        .description = "records its calls (engine tests)",
        .order = REC_ORDER,
        .keys = keys,
        .validate = rec_validate,
        .start = rec_start,
        .stop = rec_stop,
        .check = rec_check,
#ifdef REC_FLAGS
        .flags = REC_FLAGS,
#endif
#ifdef REC_ABI_MAJOR
        .abi_major = REC_ABI_MAJOR,
#endif
#ifdef REC_ABI_MINOR
        .abi_minor = REC_ABI_MINOR,
#endif
);
