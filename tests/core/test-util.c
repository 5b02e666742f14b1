/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the file writers (core/util.h): the mode asked for whatever
 * the umask, the content, no temporary file left, and a temporary name left
 * by a crash does not block the next write. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "../nht-check.h"

static char dir[128];

static void setup(void)
{
        ck_assert_ptr_nonnull(nht_mkdtemp(dir, sizeof dir, "util"));
}

static void teardown(void)
{
        char cmd[160];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        (void) !system(cmd);
}

static size_t entries(void)
{
        DIR *d = opendir(dir);
        struct dirent *de;
        size_t n = 0;

        ck_assert_ptr_nonnull(d);
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                        n++;
        closedir(d);
        return n;
}

static void assert_file(const char *path, const char *text, mode_t mode)
{
        struct stat st;
        char *got = NULL;

        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, mode);
        ck_assert_int_eq(read_file(path, &got, NULL), 0);
        ck_assert_str_eq(got, text);
        free(got);
}

/* Both writers, under umasks that would take bits away and one that would
 * not, changed between writes: the file has exactly the mode asked for,
 * and is the only file. */
START_TEST(mode_whatever_the_umask)
{
        static const mode_t masks[] = { 0, 022, 077 };
        char path[256];

        snprintf(path, sizeof path, "%s/fact", dir);
        for (size_t i = 0; i < sizeof masks / sizeof *masks; i++) {
                mode_t old = umask(masks[i]);
                ck_assert_int_eq(write_file_replace(path, "nm_web", 6, 0644), 0);
                assert_file(path, "nm_web", 0644);
                ck_assert_int_eq(write_file_atomic(path, "02:00:00:00:00:01", 17, 0600), 0);
                assert_file(path, "02:00:00:00:00:01", 0600);
                ck_assert_int_eq(write_file_replace(path, "", 0, 0755), 0);
                assert_file(path, "", 0755);
                umask(old);
                ck_assert_uint_eq(entries(), 1);
        }
}
END_TEST

/* A crash between creating the temporary file and renaming it leaves
 * PATH.PID.N behind; a later process with the same PID must not fail. */
START_TEST(stale_temporary_names)
{
        char path[256], stale[288];

        snprintf(path, sizeof path, "%s/fact", dir);
        for (unsigned n = 0; n < 8; n++) {
                int fd;
                snprintf(stale, sizeof stale, "%s.%ld.%u", path, (long) getpid(), n);
                fd = open(stale, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
                if (fd >= 0)
                        close(fd);
        }
        ck_assert_int_eq(write_file_replace(path, "x", 1, 0644), 0);
        assert_file(path, "x", 0644);
}
END_TEST

/* The directory must exist: a writer reports ENOENT, it does not create. */
START_TEST(missing_directory)
{
        char path[256];

        snprintf(path, sizeof path, "%s/no/such/fact", dir);
        ck_assert_int_eq(write_file_replace(path, "x", 1, 0644), -ENOENT);
        ck_assert_uint_eq(entries(), 0);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("util");
        TCase *tc = tcase_create("files");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, mode_whatever_the_umask);
        tcase_add_test(tc, stale_temporary_names);
        tcase_add_test(tc, missing_directory);
        suite_add_tcase(s, tc);
        return nht_run(s, "util");
}
