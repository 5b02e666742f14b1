/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"

int nh_log_max = NH_LOG_INFO;

static int use_prefix = -1;

/* journald reads "<N>" at the start of a line as the priority; a person at
 * a terminal does not want to see it. */
static bool want_prefix(void)
{
        if (use_prefix < 0) {
                const char *d = getenv("NETNS_HELPER_DEBUG");
                if (d && *d && strcmp(d, "0") != 0)
                        nh_log_max = NH_LOG_DEBUG;
                use_prefix = !isatty(STDERR_FILENO);
        }
        return use_prefix;
}

unsigned nh_log_errors;

void nh_vlogf_prefix(int prio, const char *prefix, const char *fmt, va_list ap)
{
        if (prio <= NH_LOG_ERR)
                nh_log_errors++;
        char buf[2048];
        int saved = errno;
        bool pfx = want_prefix();

        if (prio > nh_log_max)
                return;
        vsnprintf(buf, sizeof buf, fmt, ap);
        /* One message, one line: a newline from a plugin or from the
         * network must not forge a second log line. */
        for (char *p = buf; *p; p++)
                if (*p == '\n' || *p == '\r')
                        *p = ' ';
        if (pfx)
                fprintf(stderr, "<%d>%s%s\n", prio, prefix ? prefix : "", buf);
        else
                fprintf(stderr, "%s%s%s\n",
                        prio <= NH_LOG_ERR ? "error: " : prio == NH_LOG_WARNING ? "warning: " : "",
                        prefix ? prefix : "", buf);
        errno = saved;
}

void nh_vlogf(int prio, const char *fmt, va_list ap)
{
        nh_vlogf_prefix(prio, NULL, fmt, ap);
}

void nh_logf(int prio, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        nh_vlogf(prio, fmt, ap);
        va_end(ap);
}
