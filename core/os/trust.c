/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A stage runs as root: a plugin, hook or program that someone else can
 * change, or a directory above it in which someone else can rename, is a
 * root shell for them.  Checking a path with stat(2) and then opening it
 * by name again is not enough: a directory above can be swapped for a
 * symbolic link between the two.  So the path is walked here descriptor by
 * descriptor, each one checked with fstat(2), and the caller gets the
 * descriptor of what was checked, to load or execute it through.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os/trust.h"
#include "base/util.h"

static bool owner_ok(const struct stat *st)
{
        return st->st_uid == 0 || st->st_uid == geteuid();
}

static const char *writers(mode_t mode)
{
        return (mode & S_IWOTH) ? "others" : "its group";
}

/* One component, by its descriptor.  what: "" for the file itself,
 * "directory " for a directory above it. */
static int check(const struct stat *st, const char *shown, char **why)
{
        const char *what = S_ISDIR(st->st_mode) ? "directory " : "";

        if (!owner_ok(st)) {
                if (why)
                        *why = strdup_printf("%s%s is owned by uid %u, not by root; chown root %s",
                                             what, shown, (unsigned) st->st_uid, shown);
                return -EPERM;
        }
        /* A symbolic link's own mode means nothing; a sticky directory
         * lets nobody replace an entry of ours. */
        if (S_ISLNK(st->st_mode) || (S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX)))
                return 0;
        if (st->st_mode & (S_IWGRP | S_IWOTH)) {
                if (why)
                        *why = strdup_printf("%s%s is writable by %s; chmod go-w %s",
                                             what, shown, writers(st->st_mode), shown);
                return -EPERM;
        }
        return 0;
}

/* shown = the resolved path so far; append or drop one component. */
static int shown_push(char *shown, const char *name, size_t len)
{
        size_t n = strlen(shown);

        if (n + (n > 1) + len + 1 > PATH_MAX)
                return -ENAMETOOLONG;
        if (n > 1)
                shown[n++] = '/';
        memcpy(shown + n, name, len);
        shown[n + len] = '\0';
        return 0;
}

static void shown_pop(char *shown)
{
        char *slash = strrchr(shown, '/');

        if (slash && slash != shown)
                *slash = '\0';
        else
                strcpy(shown, "/");
}

static int open_root(char *shown, char **why)
{
        struct stat st;
        int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

        strcpy(shown, "/");
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        if (check(&st, shown, why) < 0) {
                close(fd);
                return -EPERM;
        }
        return fd;
}

int nh_trust_open(const char *path, char **why, char **real)
{
        char shown[PATH_MAX], todo[2 * PATH_MAX], cwd[PATH_MAX];
        const char *p;
        int cur, links = 0, r;

        if (why)
                *why = NULL;
        if (real)
                *real = NULL;
        if (!path || !*path)
                return -EINVAL;
        if (path[0] == '/')
                r = snprintf(todo, sizeof todo, "%s", path);
        else if (getcwd(cwd, sizeof cwd))
                r = snprintf(todo, sizeof todo, "%s/%s", cwd, path);
        else
                return -errno;
        if (r < 0 || (size_t) r >= sizeof todo)
                return -ENAMETOOLONG;

        cur = open_root(shown, why);
        if (cur < 0)
                return cur;
        p = todo;
        for (;;) {
                struct stat st;
                size_t len;
                bool last;
                int next;

                while (*p == '/')
                        p++;
                if (!*p) {
                        /* The path named a directory. */
                        if (why)
                                *why = strdup_printf("%s is a directory, not a file", shown);
                        r = -EISDIR;
                        break;
                }
                len = strcspn(p, "/");
                last = p[len + strspn(p + len, "/")] == '\0';
                if (len == 1 && p[0] == '.') {
                        p += len;
                        continue;
                }
                if (len >= NAME_MAX + 1) {
                        r = -ENAMETOOLONG;
                        break;
                }
                {
                        char name[NAME_MAX + 1];
                        memcpy(name, p, len);
                        name[len] = '\0';
                        next = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                }
                if (next < 0) {
                        r = -errno;
                        if (why) {
                                (void) shown_push(shown, p, len);
                                *why = strdup_printf("%s: %s", shown, strerror(-r));
                        }
                        break;
                }
                if (len == 2 && p[0] == '.' && p[1] == '.')
                        shown_pop(shown);
                else if ((r = shown_push(shown, p, len)) < 0) {
                        close(next);
                        break;
                }
                p += len;
                if (fstat(next, &st) < 0) {
                        r = -errno;
                        close(next);
                        break;
                }
                r = check(&st, shown, why);
                if (r < 0) {
                        close(next);
                        break;
                }
                if (S_ISLNK(st.st_mode)) {
                        char target[PATH_MAX], rest[2 * PATH_MAX];
                        ssize_t n;

                        if (++links > NH_TRUST_MAX_LINKS) {
                                if (why)
                                        *why = strdup_printf("%s: more than %d symbolic links", path,
                                                             NH_TRUST_MAX_LINKS);
                                close(next);
                                r = -ELOOP;
                                break;
                        }
                        /* readlinkat() of an O_PATH descriptor with an empty
                         * name reads the link itself (Linux 2.6.39). */
                        n = readlinkat(next, "", target, sizeof target - 1);
                        close(next);
                        if (n < 0) {
                                r = -errno;
                                break;
                        }
                        target[n] = '\0';
                        snprintf(rest, sizeof rest, "%s", p);
                        r = snprintf(todo, sizeof todo, "%s%s", target, rest);
                        if (r < 0 || (size_t) r >= sizeof todo) {
                                r = -ENAMETOOLONG;
                                break;
                        }
                        p = todo;
                        shown_pop(shown);
                        if (target[0] == '/') {
                                close(cur);
                                cur = open_root(shown, why);
                                if (cur < 0) {
                                        r = cur;
                                        cur = -1;
                                        break;
                                }
                        }
                        continue;
                }
                if (S_ISDIR(st.st_mode)) {
                        close(cur);
                        cur = next;
                        continue;
                }
                if (!last) {
                        if (why)
                                *why = strdup_printf("%s is not a directory", shown);
                        close(next);
                        r = -ENOTDIR;
                        break;
                }
                if (!S_ISREG(st.st_mode)) {
                        if (why)
                                *why = strdup_printf("%s is not a regular file", shown);
                        close(next);
                        r = -EPERM;
                        break;
                }
                if (real && !(*real = strdup(shown))) {
                        close(next);
                        r = -ENOMEM;
                        break;
                }
                close(cur);
                return next;
        }
        if (cur >= 0)
                close(cur);
        return r;
}

const char *nh_trust_fd_path(int fd, char buf[NH_TRUST_FD_PATH_MAX])
{
        snprintf(buf, NH_TRUST_FD_PATH_MAX, "/proc/self/fd/%d", fd);
        return buf;
}
