/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Logging for the core: one line per message on stderr, with the "<N>"
 * priority prefix that journald understands when stderr is not a terminal. */
#pragma once

#include <stdarg.h>
#include "netns-helper/plugin.h"

/* The highest priority printed (NH_LOG_INFO by default; NH_LOG_DEBUG with
 * -v or NETNS_HELPER_DEBUG=1). */
extern int nh_log_max;
/* How many errors were logged so far (by anyone: a plugin, a hook, the
 * core), so that a caller can tell whether a failure was explained. */
extern unsigned nh_log_errors;

__attribute__((format(printf, 2, 3)))
void nh_logf(int prio, const char *fmt, ...);
void nh_vlogf(int prio, const char *fmt, va_list ap);
/* With a "stage NAME: " style prefix (prefix may be NULL). */
void nh_vlogf_prefix(int prio, const char *prefix, const char *fmt, va_list ap);

#define log_error(...)   nh_logf(NH_LOG_ERR, __VA_ARGS__)
#define log_warning(...) nh_logf(NH_LOG_WARNING, __VA_ARGS__)
#define log_notice(...)  nh_logf(NH_LOG_NOTICE, __VA_ARGS__)
#define log_info(...)    nh_logf(NH_LOG_INFO, __VA_ARGS__)
#define log_debug(...)   nh_logf(NH_LOG_DEBUG, __VA_ARGS__)
