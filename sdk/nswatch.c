/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <netns-helper/sdk.h>

#define NETNS_RUN_DIR "/run/netns"

int nh_nswatch_open(struct nh_nswatch *w, const char *name, int netns_fd)
{
        struct stat st;
        int n, r;

        w->fd = -1;
        if (netns_fd < 0)
                return netns_fd;
        if (fstat(netns_fd, &st) < 0)
                return -errno;
        w->dev = st.st_dev;
        w->ino = st.st_ino;
        n = snprintf(w->path, sizeof(w->path), NETNS_RUN_DIR "/%s", name);
        if (n < 0 || (size_t) n >= sizeof(w->path))
                return -ENAMETOOLONG;
        w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (w->fd < 0)
                return -errno;
        /* IN_DELETE: "ip netns delete" (umount2 + unlink); IN_MOVED_*: a
         * rename over it; *_SELF and IN_UNMOUNT: /run/netns itself going. */
        if (inotify_add_watch(w->fd, NETNS_RUN_DIR, IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE |
                              IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR) < 0) {
                r = -errno;
                nh_nswatch_close(w);
                return r;
        }
        return 0;
}

int nh_nswatch_gone(struct nh_nswatch *w)
{
        char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
        struct stat st;

        if (w->fd < 0)
                return 0;
        /* Which name an event was about does not matter: stat() says it. */
        while (read(w->fd, buf, sizeof(buf)) > 0)
                ;
        if (stat(w->path, &st) < 0)
                return errno == ENOENT || errno == ENOTDIR;
        return st.st_dev != w->dev || st.st_ino != w->ino;
}

void nh_nswatch_close(struct nh_nswatch *w)
{
        if (w->fd >= 0)
                close(w->fd);
        w->fd = -1;
}
