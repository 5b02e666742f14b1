/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netns-helper-generator: a systemd generator (systemd.generator(7)) that
 * orders the stage units by the plugins' pipeline positions.
 *
 * The pipeline order has one source, struct nh_plugin.order (and the
 * global configuration's "order:").  "netns-helper up" follows it, and so
 * must systemd, which starts units only in the order their After= say.
 * Rather than an After= list in every unit that names each earlier stage
 * (written once more for each new stage), this program writes, at boot and
 * at each "systemctl daemon-reload", one drop-in per stage template:
 *
 *   NORMAL-DIR/netns-helper-dhcp@.service.d/netns-helper-order.conf
 *     [Unit]
 *     After=netns-helper@%i.service netns-helper-macvlan@%i.service ...
 *
 * naming the unit of every stage with a lower position.  After= on a unit
 * that is not loaded is a no-op, so the stages a namespace does not use
 * cost nothing.  A stage unit from anywhere (an out-of-tree plugin's copy of
 * netns-helper-STAGE@.service) is ordered the same way, as soon as its
 * plugin is installed.
 *
 * It loads the plugins as "netns-helper plugins" does: their descriptors
 * are the data.  It never fails the boot: a plugin it cannot load is left
 * out (and said so on stderr, which systemd logs).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/log.h"
#include "base/util.h"
#include "config/conf.h"
#include "engine/engine.h"
#include "engine/exitcodes.h"
#include "engine/loader.h"
#include "legacy/legacy.h"

#define DROPIN_NAME "netns-helper-order.conf"

struct stage_pos {
        const char *stage;      /* owned by a plugin's descriptor */
        int order;
};

/* The stages of the usable plugins, each once, at the position of the
 * plugin the global configuration picks for it (the lowest of its
 * implementations when it picks none). */
static size_t stage_positions(struct nh_registry *reg, struct stage_pos *out, size_t max)
{
        size_t n = 0;

        for (size_t i = 0; i < reg->n_recs; i++) {
                const struct nh_plugin_rec *p = reg->recs[i];
                size_t k;

                if (!p->desc || p->refused || !p->enabled)
                        continue;
                for (k = 0; k < n && !streq(out[k].stage, p->desc->stage); k++)
                        ;
                if (k == n) {
                        if (n == max)
                                continue;
                        out[n++] = (struct stage_pos) { p->desc->stage, p->order };
                } else if (p->order < out[k].order)
                        out[k].order = p->order;
        }
        for (size_t j = 0; reg->global && j < reg->global->n_impls; j++) {
                const struct nh_impl *c = &reg->global->impls[j];
                const struct nh_plugin_rec *p = nh_registry_get(reg, c->plugin);

                for (size_t k = 0; k < n; k++)
                        if (streq(out[k].stage, c->stage) && p && p->desc && !p->refused &&
                            streq(p->desc->stage, c->stage))
                                out[k].order = p->order;
        }
        /* By position, so that each After= line reads as the pipeline. */
        for (size_t i = 1; i < n; i++)
                for (size_t j = i; j > 0 && out[j - 1].order > out[j].order; j--) {
                        struct stage_pos t = out[j];
                        out[j] = out[j - 1];
                        out[j - 1] = t;
                }
        return n;
}

/* Writes DIR/UNIT.d/DROPIN_NAME, atomically. */
static int write_dropin(const char *dir, const char *unit, const char *text)
{
        _cleanup_free_ char *d = strdup_printf("%s/%s.d", dir, unit);
        _cleanup_free_ char *path = d ? strdup_printf("%s/" DROPIN_NAME, d) : NULL;
        int r;

        if (!path)
                return -ENOMEM;
        r = mkdir_p(d, 0755);
        if (r < 0)
                return r;
        return write_file_atomic(path, text, strlen(text), 0644);
}

/* The drop-in of stage me: After= the units of the stages before it. */
static char *order_dropin(const struct stage_pos *all, size_t n, const struct stage_pos *me)
{
        _cleanup_free_ char *after = strdup("");
        char *text;

        for (size_t k = 0; k < n && after; k++) {
                _cleanup_free_ char *u = NULL;
                char *more;

                if (all[k].order >= me->order)
                        continue;
                u = nh_legacy_stage_unit(all[k].stage, "%i");
                if (!u)
                        return NULL;
                more = strdup_printf("%s%s%s", after, *after ? " " : "", u);
                free(after);
                after = more;
        }
        if (!after)
                return NULL;
        if (!*after)
                return strdup("");      /* the first stage: nothing before it */
        text = strdup_printf("# Written by netns-helper-generator: stage %s is at position %d of\n"
                             "# the pipeline; these stages' positions are lower (netns-helper plugins).\n"
                             "[Unit]\nAfter=%s\n",
                             me->stage, me->order, after);
        return text;
}

int main(int argc, char **argv)
{
        struct stage_pos st[128];
        struct nh_engine *e = NULL;
        struct nh_registry *reg;
        size_t n;
        int r, failed = 0;

        if (argc != 2 && argc != 4) {
                fprintf(stderr, "Usage: %s NORMAL-DIR [EARLY-DIR LATE-DIR]\n"
                        "A systemd generator: writes the stage units' ordering drop-ins into NORMAL-DIR.\n",
                        program_invocation_short_name);
                return NH_EXIT_USAGE;
        }
        /* A bad global configuration is reported by every command; here
         * it only means no ordering, never a failed boot. */
        if (nh_engine_new(&e) != NH_EXIT_OK)
                return 0;
        reg = nh_engine_registry(e);
        nh_registry_scan(reg);
        n = stage_positions(reg, st, sizeof st / sizeof st[0]);
        for (size_t k = 0; k < n; k++) {
                _cleanup_free_ char *tmpl = nh_legacy_stage_unit(st[k].stage, NULL);
                _cleanup_free_ char *text = order_dropin(st, n, &st[k]);

                if (!tmpl || !text) {
                        log_error("Out of memory");
                        failed = 1;
                        break;
                }
                if (!*text)
                        continue;
                r = write_dropin(argv[1], tmpl, text);
                if (r < 0) {
                        log_error("Cannot write the ordering drop-in of %s in %s: %s", tmpl, argv[1], strerror(-r));
                        failed = 1;
                }
        }
        nh_engine_free(e);
        return failed;
}
