/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The run and state directories, and the other places the programs are
 * configured with.  One owner: every path in them is named in rundir.c.
 */
#pragma once

/* Directory settings (environment overrides of configure's paths). */
const char *nh_confdir(void);
const char *nh_rundir(void);
const char *nh_statedir(void);
const char *nh_cachedir(void);
const char *nh_etc_netns(void);
