/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers for the check test programs.
 *
 * Temporary files.  A failing test ends its process
 * at the failed assertion, so its checked teardown never runs and whatever
 * it made would stay.  main() therefore makes one base directory before the
 * tests, points TMPDIR at it, and removes it after the last test whatever
 * happened; every test makes its own directory inside with nht_mkdtemp().
 */
#ifndef NHT_CHECK_H
#define NHT_CHECK_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

static char nht_base[64];

/* Exit status 99: a hard error for automake's test driver. */
static inline void nht_base_make(const char *prog)
{
        snprintf(nht_base, sizeof nht_base, "/tmp/nht-%s.XXXXXX", prog);
        if (!mkdtemp(nht_base) || setenv("TMPDIR", nht_base, 1) < 0) {
                perror("nht_base_make");
                exit(99);
        }
}

static inline void nht_base_remove(void)
{
        char cmd[sizeof nht_base + 16];

        snprintf(cmd, sizeof cmd, "rm -rf '%s'", nht_base);
        (void) !system(cmd);
}

/* buf = a new directory PREFIX.XXXXXX in TMPDIR (the base), or NULL. */
static inline char *nht_mkdtemp(char *buf, size_t len, const char *prefix)
{
        const char *t = getenv("TMPDIR");

        snprintf(buf, len, "%s/%s.XXXXXX", t && *t ? t : "/tmp", prefix);
        return mkdtemp(buf);
}

/* main() of a check program: runs suite s with the base directory made
 * before and removed after; the exit status for automake. */
static inline int nht_run(Suite *s, const char *prog)
{
        SRunner *sr;
        int failed;

        nht_base_make(prog);
        sr = srunner_create(s);
        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        nht_base_remove();
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
