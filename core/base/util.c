/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <netns-helper/sdk.h>

#include "base/util.h"

char *strdup_printf(const char *fmt, ...)
{
        va_list ap;
        char *s = NULL;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        return r < 0 ? NULL : s;
}

/* The common case is a directory that exists, or one whose parent does:
 * one system call, not one per component. */
int mkdir_p(const char *path, unsigned mode)
{
        _cleanup_free_ char *parent = NULL;
        char *slash;
        int r;

        if (mkdir(path, mode) == 0 || errno == EEXIST)
                return 0;
        if (errno != ENOENT)
                return -errno;
        parent = strdup(path);
        if (!parent)
                return -ENOMEM;
        slash = strrchr(parent, '/');
        if (!slash || slash == parent)
                return -ENOENT;
        *slash = '\0';
        r = mkdir_p(parent, mode);
        if (r < 0)
                return r;
        return mkdir(path, mode) == 0 || errno == EEXIST ? 0 : -errno;
}

/* The SDK's writer, which the stages use too (<netns-helper/sdk.h>). */
static int write_file_tmp_rename(const char *path, const void *data, size_t len, unsigned mode, bool sync)
{
        return nh_file_write_atomic(path, data, len, mode, sync ? NH_FILE_SYNC : 0);
}

int write_file_atomic(const char *path, const void *data, size_t len, unsigned mode)
{
        return write_file_tmp_rename(path, data, len, mode, true);
}

int write_file_replace(const char *path, const void *data, size_t len, unsigned mode)
{
        return write_file_tmp_rename(path, data, len, mode, false);
}

int read_file(const char *path, char **ret, size_t *len)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return -errno;
        return read_fd(fd, ret, len);
}

int read_fd(int fd, char **ret, size_t *len)
{
        size_t cap = 4096, n = 0;
        char *buf;

        buf = malloc(cap + 1);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t k;
                if (n == cap) {
                        char *b;
                        if (cap >= (1u << 24)) {
                                free(buf);
                                return -EFBIG;
                        }
                        b = realloc(buf, cap * 2 + 1);
                        if (!b) {
                                free(buf);
                                return -ENOMEM;
                        }
                        buf = b;
                        cap *= 2;
                }
                k = read(fd, buf + n, cap - n);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        int r = -errno;
                        free(buf);
                        return r;
                }
                if (k == 0)
                        break;
                n += (size_t) k;
        }
        buf[n] = '\0';
        *ret = buf;
        if (len)
                *len = n;
        return 0;
}

/* The gaps between the kept descriptors, closed with close_range(2) (one
 * call per gap, whatever the descriptor limit), else one by one. */
void close_fds_except(const int *keep, size_t n_keep)
{
        int from = 3;

        for (;;) {
                int to = -1;    /* the lowest kept descriptor >= from */

                for (size_t i = 0; i < n_keep; i++)
                        if (keep[i] >= from && (to < 0 || keep[i] < to))
                                to = keep[i];
#ifdef SYS_close_range
                if (syscall(SYS_close_range, (unsigned) from, to < 0 ? ~0U : (unsigned) to - 1, 0) < 0 &&
                    errno != EINVAL)
#endif
                {
                        long max = to >= 0 ? to : sysconf(_SC_OPEN_MAX);
                        if (max < 0 || max > 65536)
                                max = 65536;
                        for (int fd = from; fd < max; fd++)
                                close(fd);
                }
                if (to < 0)
                        return;
                from = to + 1;
        }
}

int proc_stat_read(pid_t pid, struct proc_stat *out)
{
        _cleanup_free_ char *path = strdup_printf("/proc/%d/stat", (int) pid), *stat = NULL;
        const char *p;
        int r;

        if (!path)
                return -ENOMEM;
        r = read_file(path, &stat, NULL);
        if (r < 0)
                return r;
        /* comm may hold spaces and parentheses: count from the last ')'. */
        p = strrchr(stat, ')');
        if (!p || p[1] != ' ' || !p[2])
                return -EINVAL;
        out->state = p[2];
        out->pgrp = 0;
        out->starttime = 0;
        for (int field = 2; field < 22 && p; field++) {
                p = strchr(p + 1, ' ');
                if (p && field + 1 == 5)
                        out->pgrp = (pid_t) strtol(p + 1, NULL, 10);
        }
        if (p)
                out->starttime = strtoull(p + 1, NULL, 10);
        return 0;
}

uint64_t fnv1a64(const void *p, size_t n, uint64_t h)
{
        return nh_fnv1a64(p, n, h);
}

int why_refuse(char *why, size_t why_size, const char *fmt, ...)
{
        va_list ap;

        if (why && why_size > 0) {
                va_start(ap, fmt);
                vsnprintf(why, why_size, fmt, ap);
                va_end(ap);
        }
        return -EINVAL;
}
