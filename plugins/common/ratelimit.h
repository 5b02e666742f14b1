/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A log rate limit for what hosts on the LAN can make a plugin say: at
 * most BURST lines per WINDOW, then one line that says how many were
 * left out.  Pure logic on a caller's clock (microseconds), so tests
 * drive it with a fake one.
 */
#ifndef NH_RATELIMIT_H
#define NH_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct nh_ratelimit {
        uint64_t window_start;          /* 0: no window yet */
        unsigned count, suppressed;
};

/* Whether one more line may go out at time now.  When a window ends with
 * lines left out, *ended gets their number (the caller says so once),
 * otherwise 0. */
static inline bool nh_ratelimit_pass(struct nh_ratelimit *rl, uint64_t now, uint64_t window, unsigned burst,
                                     unsigned *ended)
{
        *ended = 0;
        if (rl->window_start == 0 || now - rl->window_start >= window) {
                *ended = rl->suppressed;
                rl->window_start = now ? now : 1;
                rl->count = rl->suppressed = 0;
        }
        if (rl->count >= burst) {
                rl->suppressed++;
                return false;
        }
        rl->count++;
        return true;
}

#endif
