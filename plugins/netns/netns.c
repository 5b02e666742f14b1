/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The netns stage: a named network namespace at /run/netns/NAME, made the
 * way iproute2's "ip netns add" makes it, so that "ip netns list/exec" and
 * systemd's NetworkNamespacePath= work on it:
 *   - /run/netns is a mount point with shared propagation, so that a
 *     namespace bind-mounted later shows up in every mount namespace that
 *     already has a copy of /run/netns (a service's private /run, say);
 *   - /run/netns/NAME is an empty file with the namespace's nsfs inode
 *     bind-mounted on it.
 * Written only against the public plugin header.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* unshare(), setns() */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/nsfs.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <unistd.h>

#include <sys/socket.h>

#include "netns-helper/plugin.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

#define NETNS_RUN_DIR "/run/netns"

static int netns_path(struct nh_ctx *ctx, char *buf, size_t len)
{
        int n = snprintf(buf, len, NETNS_RUN_DIR "/%s", nh_namespace(ctx));
        return n < 0 || (size_t) n >= len ? -ENAMETOOLONG : 0;
}

/* 1 when path holds a network namespace (an nsfs mount of one), 0 when it
 * does not exist, -EEXIST when something else is there (*st describes it),
 * -EMEDIUMTYPE when it is another kind of namespace (a mount or user
 * namespace bind-mounted there). */
static int netns_probe(const char *path, struct stat *st)
{
        struct statfs sfs;
        int fd, type;

        if (lstat(path, st) < 0)
                return errno == ENOENT ? 0 : -errno;
        if (statfs(path, &sfs) < 0)
                return -errno;
        if (sfs.f_type != NSFS_MAGIC)
                return -EEXIST;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        type = ioctl(fd, NS_GET_NSTYPE);
        close(fd);
        /* ENOTTY: a kernel before 4.11 cannot tell; trust the nsfs mount. */
        if (type < 0)
                return errno == ENOTTY ? 1 : -errno;
        return type == CLONE_NEWNET ? 1 : -EMEDIUMTYPE;
}

static const char *file_kind(const struct stat *st)
{
        switch (st->st_mode & S_IFMT) {
        case S_IFREG: return st->st_size == 0 ? "an empty regular file" : "a regular file";
        case S_IFDIR: return "a directory";
        case S_IFLNK: return "a symbolic link";
        case S_IFSOCK: return "a socket";
        case S_IFIFO: return "a FIFO";
        default: return "a device node";
        }
}

/* Like iproute2: make /run/netns a mount point with shared propagation.
 * The first mount() fails with EINVAL when it is not a mount point yet;
 * bind it onto itself then, and try again. */
static int netns_run_dir_setup(struct nh_ctx *ctx)
{
        /* Once per process: "netns-helper up" makes many namespaces, and
         * MS_REC walks every namespace already mounted there. */
        static bool done;
        bool bound = false;

        if (done)
                return 0;

        if (mkdir(NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST) {
                nh_err(ctx, "Failed to create %s: %s", NETNS_RUN_DIR, strerror(errno));
                return -errno;
        }
        for (;;) {
                if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == 0) {
                        done = true;
                        return 0;
                }
                if (errno != EINVAL || bound) {
                        nh_err(ctx, "Failed to make %s a shared mount point: %s",
                               NETNS_RUN_DIR, strerror(errno));
                        return -errno;
                }
                if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0) {
                        nh_err(ctx, "Failed to bind-mount %s onto itself: %s",
                               NETNS_RUN_DIR, strerror(errno));
                        return -errno;
                }
                bound = true;
        }
}

/* lo through SIOCGIFFLAGS/SIOCSIFFLAGS on fd, any socket that lives inside
 * the namespace: two syscalls, and no netlink library to load for a stage
 * that needs nothing else from it. */
static int lo_flags(int fd, unsigned *flags)
{
        struct ifreq ifr;

        memset(&ifr, 0, sizeof(ifr));
        strcpy(ifr.ifr_name, "lo");
        if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                return -errno;
        *flags = (unsigned short) ifr.ifr_flags;
        return 0;
}

static int lo_up(int fd)
{
        struct ifreq ifr;
        unsigned flags;
        int r;

        r = lo_flags(fd, &flags);
        if (r < 0 || (flags & IFF_UP))
                return r;
        memset(&ifr, 0, sizeof(ifr));
        strcpy(ifr.ifr_name, "lo");
        ifr.ifr_flags = (short) (flags | IFF_UP);
        return ioctl(fd, SIOCSIFFLAGS, &ifr) < 0 ? -errno : 0;
}

/* A socket inside the namespace, for the ioctls above. */
static int ns_socket(struct nh_ctx *ctx)
{
        int fd = nh_socket(ctx, AF_UNIX, SOCK_DGRAM, 0);
        if (fd < 0)
                nh_err(ctx, "Failed to open a socket inside namespace %s: %s",
                       nh_namespace(ctx), strerror(-fd));
        return fd;
}

static int lo_set_up(struct nh_ctx *ctx)
{
        int fd = ns_socket(ctx), r;

        if (fd < 0)
                return fd;
        r = lo_up(fd);
        close(fd);
        if (r < 0)
                nh_err(ctx, "Failed to set lo up inside namespace %s: %s",
                       nh_namespace(ctx), strerror(-r));
        return r;
}

static int netns_remove(const char *path)
{
        /* Until EINVAL (not a mount point any more): a namespace may have
         * been bind-mounted there more than once. */
        for (int i = 0; i < 16; i++)
                if (umount2(path, MNT_DETACH) < 0) {
                        if (errno != EINVAL && errno != ENOENT)
                                return -errno;
                        break;
                }
        if (unlink(path) < 0 && errno != ENOENT)
                return -errno;
        return 0;
}

/* Creates the namespace on the calling thread, bind-mounts it at path, sets
 * lo up while still inside, and returns the thread to the host's namespace,
 * whatever happens.  *lo gets the result of setting lo up. */
static int netns_create(struct nh_ctx *ctx, const char *path, int *lo)
{
        int host = nh_host_netns_fd(ctx), r = 0, fd;

        if (host < 0) {
                nh_err(ctx, "Failed to find the host's network namespace: %s", strerror(-host));
                return host;
        }

        fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
        if (fd < 0)
                return -errno;  /* the caller looks at EEXIST */
        close(fd);

        if (unshare(CLONE_NEWNET) < 0) {
                r = -errno;
                nh_err(ctx, "Failed to create a network namespace: %s", strerror(errno));
                goto fail;
        }
        /* thread-self, not self: in a threaded process /proc/self is the
         * thread group leader, which did not unshare. */
        if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0) {
                r = -errno;
                nh_err(ctx, "Failed to bind-mount the new namespace on %s: %s", path, strerror(errno));
        } else {
                /* Inside already: no socket made from outside needed. */
                int sk = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
                *lo = sk < 0 ? -errno : lo_up(sk);
                if (sk >= 0)
                        close(sk);
        }
        if (setns(host, CLONE_NEWNET) < 0) {
                /* Nothing else can safely run in this thread now. */
                nh_err(ctx, "Failed to return to the host's network namespace: %s", strerror(errno));
                if (r == 0)
                        r = -errno;
        }
        if (r < 0)
                goto fail;
        return 0;
fail:
        (void) netns_remove(path);
        return r;
}

static int netns_start(struct nh_ctx *ctx)
{
        char path[PATH_MAX];
        struct stat st;
        int r, lo = 0;

        r = netns_path(ctx, path, sizeof(path));
        if (r < 0) {
                nh_err(ctx, "Namespace name %s is too long for a path", nh_namespace(ctx));
                return r;
        }
        r = netns_run_dir_setup(ctx);
        if (r < 0)
                return r;

        r = netns_create(ctx, path, &lo);
        if (r == -EEXIST) {
                r = netns_probe(path, &st);
                if (r == 1) {
                        nh_info(ctx, "Namespace %s exists already", nh_namespace(ctx));
                        return lo_set_up(ctx);
                }
                if (r == -EMEDIUMTYPE)
                        nh_err(ctx, "%s is another kind of namespace (not a network namespace) "
                               "bind-mounted there. Unmount it (umount %s), or give the namespace "
                               "another name", path, path);
                else if (r == -EEXIST)
                        nh_err(ctx, "%s is %s, not a network namespace: it was not made by "
                               "\"ip netns add\" or netns-helper. Remove it (rm %s%s), or give the "
                               "namespace another name", path, file_kind(&st),
                               S_ISDIR(st.st_mode) ? "-r " : "", path);
                else if (r == 0) /* gone in between: someone else is at work here */
                        nh_err(ctx, "%s appeared and vanished while it was being created; "
                               "is another program managing namespace %s?", path, nh_namespace(ctx));
                else
                        nh_err(ctx, "Failed to inspect %s: %s", path, strerror(-r));
                return r == 0 ? -EBUSY : r == -EMEDIUMTYPE ? -EEXIST : r;
        }
        if (r < 0) {
                nh_err(ctx, "Failed to create namespace %s: %s", path, strerror(-r));
                return r;
        }

        if (lo < 0) {
                nh_err(ctx, "Failed to set lo up inside namespace %s: %s", nh_namespace(ctx), strerror(-lo));
                (void) netns_remove(path);
                return lo;
        }
        nh_debug(ctx, "Created namespace %s", path);
        return 0;
}

static int netns_stop(struct nh_ctx *ctx)
{
        char path[PATH_MAX];
        struct stat st;
        int r;

        r = netns_path(ctx, path, sizeof(path));
        if (r < 0)
                return r;
        r = netns_probe(path, &st);
        if (r == 0)
                return 0;
        /* What "ip netns add" leaves after a crash is an empty file: remove
         * it.  Anything else was not made by us: leave it alone. */
        if (r == -EMEDIUMTYPE) {
                nh_warn(ctx, "%s is another kind of namespace, not a network namespace; leaving it alone", path);
                return 0;
        }
        if (r == -EEXIST && !(S_ISREG(st.st_mode) && st.st_size == 0)) {
                nh_warn(ctx, "%s is %s, not a network namespace; leaving it alone",
                        path, file_kind(&st));
                return 0;
        }
        if (r < 0 && r != -EEXIST) {
                nh_err(ctx, "Failed to inspect %s: %s", path, strerror(-r));
                return r;
        }
        r = netns_remove(path);
        if (r < 0) {
                nh_err(ctx, "Failed to remove namespace %s: %s", path, strerror(-r));
                return r;
        }
        return 0;
}

static int netns_check(struct nh_ctx *ctx)
{
        char path[PATH_MAX];
        struct stat st;
        unsigned flags = 0;
        int r, fd;

        r = netns_path(ctx, path, sizeof(path));
        if (r < 0)
                return r;
        r = netns_probe(path, &st);
        if (r == 0) {
                nh_notice(ctx, "Namespace %s does not exist", path);
                return 1;
        }
        if (r == -EEXIST || r == -EMEDIUMTYPE) {
                nh_notice(ctx, "%s is %s, not a network namespace", path,
                          r == -EEXIST ? file_kind(&st) : "another kind of namespace");
                return 1;
        }
        if (r < 0) {
                nh_err(ctx, "Failed to inspect %s: %s", path, strerror(-r));
                return r;
        }
        fd = ns_socket(ctx);
        if (fd < 0)
                return fd;
        r = lo_flags(fd, &flags);
        close(fd);
        if (r < 0) {
                nh_err(ctx, "Failed to read lo inside namespace %s: %s", nh_namespace(ctx), strerror(-r));
                return r;
        }
        if (flags & IFF_UP)
                return 0;
        nh_notice(ctx, "lo is down inside namespace %s", nh_namespace(ctx));
        return 1;
}

/* Read by the core, which writes the namespace's nsswitch.conf and the
 * drop-ins of "netns-helper add" (core/hookdns.h). */
static const struct nh_key netns_keys[] = {
        { "isolate-dns", NH_T_BOOL, 0, 0, 0, NULL,
          "keep the namespace's services from the host's resolver: an nsswitch.conf without \"resolve\" when the "
          "host's uses it, and no access to systemd-resolved's and nscd's sockets for services added with "
          "\"netns-helper add\" (default yes)" },
        {}
};

NH_PLUGIN_DEFINE(
        .name = "netns",
        .stage = "netns",
        .version = NH_STAGE_VERSION,
        .description = "a named network namespace at /run/netns/NAME, as \"ip netns add\" makes it",
        .order = NH_ORDER_NETNS,
        .flags = NH_PLUGIN_OWNS_NETNS,
        .keys = netns_keys,
        .validate = NULL,
        .start = netns_start,
        .stop = netns_stop,
        .check = netns_check,
);
