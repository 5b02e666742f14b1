/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Values no two namespaces may share (keys flagged NH_KEY_UNIQUE, such as a
 * macvlan's MAC): found by "validate" and "enable", naming who holds them. */
#pragma once

#include "config/conf.h"

/* Checks the keys of stage's section of cfg against the same section of
 * every other namespace's file in confdir/ns and against the facts of every
 * other namespace that runs (rundir.h).  Logs each clash (file, line, key,
 * and who holds the value); returns the number found. */
int nh_unique_check(const char *confdir, const struct nh_ns_config *cfg,
                    const char *stage, const struct nh_key *keys);
