/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* State files written atomically: see <netns-helper/sdk.h>. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <netns-helper/sdk.h>

/* A temporary file next to path, O_EXCL: PATH.PID.N (no random name to
 * draw), with exactly the mode asked for whatever the umask. */
static int open_tmp_beside(const char *path, unsigned mode, char *tmp, size_t size)
{
        static unsigned counter;

        for (int tries = 0; tries < 100; tries++) {
                int fd;

                if ((size_t) snprintf(tmp, size, "%s.%ld.%u", path, (long) getpid(), counter++) >= size)
                        return -ENAMETOOLONG;
                fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
                if (fd >= 0) {
                        if (fchmod(fd, mode) < 0) {
                                int r = -errno;
                                close(fd);
                                unlink(tmp);
                                return r;
                        }
                        return fd;
                }
                if (errno != EEXIST)
                        return -errno;
        }
        return -EEXIST;
}

int nh_file_write_atomic(const char *path, const void *data, size_t len, unsigned mode, unsigned flags)
{
        char tmp[PATH_MAX + 32];
        const char *p = data;
        int fd, r = 0;

        if (flags & NH_FILE_FIXED_TMP) {
                if ((size_t) snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
                        return -ENAMETOOLONG;
                fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
                if (fd < 0)
                        return -errno;
        } else {
                fd = open_tmp_beside(path, mode, tmp, sizeof tmp);
                if (fd < 0)
                        return fd;
        }
        while (len > 0) {
                ssize_t n = write(fd, p, len);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        r = -errno;
                        break;
                }
                p += n;
                len -= (size_t) n;
        }
        if (r == 0 && (flags & NH_FILE_SYNC) && fsync(fd) < 0)
                r = -errno;
        /* close() reports what a full file system kept back. */
        if (close(fd) < 0 && r == 0)
                r = -errno;
        if (r == 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0)
                (void) unlink(tmp);
        return r;
}
