/* Test plugins for the growth of the plugin ABI (tests/sdk/abi-growth.sh).
 *
 * Built as "abiold": a descriptor laid out as ABI 1.0 laid it out, which
 * ends after check(): the core must read nothing past it (no watch, no
 * size).  Its start() reads a list with the typed getters in both forms,
 * with an index and ABI 1.0's without one, and logs what it read.
 *
 * Built with -DNOSIZE as "nosize": a descriptor that claims ABI 1.5 but
 * leaves .size unset (written without NH_PLUGIN_DEFINE), which the core
 * refuses, saying why. */
#include <stdio.h>

#include <netns-helper/plugin.h>

static const struct nh_key keys[] = {
        { .name = "n", .type = NH_T_INT, .flags = NH_KEY_LIST, .min = 0, .max = 1000,
          .help = "numbers" },
        { .name = "log", .type = NH_T_PATH, .help = "where start() writes what it read" },
        { .name = NULL },
};

static int old_start(struct nh_ctx *ctx)
{
        long long first = -1, first_again = -1, second = -1;
        const char *log = nh_cfg_str(ctx, "log");
        FILE *f;

        (void) nh_cfg_int(ctx, "n", &first);            /* ABI 1.0's form */
        (void) nh_cfg_int(ctx, "n", 0, &first_again);
        (void) nh_cfg_int(ctx, "n", 1, &second);
        if (!log || !(f = fopen(log, "w")))
                return -EIO;
        fprintf(f, "%lld %lld %lld\n", first, first_again, second);
        fclose(f);
        return 0;
}

static int old_stop(struct nh_ctx *ctx)
{
        (void) ctx;
        return 0;
}

#ifndef NOSIZE
/* struct nh_plugin as ABI 1.0 had it. */
struct nh_plugin_1_0 {
        uint32_t abi_major, abi_minor;
        const char *name, *stage, *version, *description;
        int order;
        uint32_t flags;
        const struct nh_key *keys;
        int (*validate)(struct nh_ctx *ctx);
        int (*start)(struct nh_ctx *ctx);
        int (*stop)(struct nh_ctx *ctx);
        int (*check)(struct nh_ctx *ctx);
};

__attribute__((visibility("default")))
extern const struct nh_plugin_1_0 netns_helper_plugin;
const struct nh_plugin_1_0 netns_helper_plugin = {
        .abi_major = 1, .abi_minor = 0,
        .name = "abiold", .stage = "abiold", .version = "1.0",
        .description = "a descriptor of ABI 1.0", .order = 500, .keys = keys,
        .start = old_start, .stop = old_stop,
};
#else
__attribute__((visibility("default")))
extern const struct nh_plugin netns_helper_plugin;
const struct nh_plugin netns_helper_plugin = {
        .abi_major = NH_PLUGIN_ABI_MAJOR, .abi_minor = 5,
        .name = "nosize", .stage = "nosize", .version = "1.0",
        .description = "a descriptor of ABI 1.5 without its size", .order = 500, .keys = keys,
        .start = old_start, .stop = old_stop,
};
#endif
