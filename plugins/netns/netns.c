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
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <unistd.h>

#include <netlink/netlink.h>
#include <netlink/route/link.h>

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

/* 1 when path holds a namespace (an nsfs mount), 0 when it does not exist,
 * -EEXIST when something else is there (*st describes it). */
static int netns_probe(const char *path, struct stat *st)
{
        struct statfs sfs;

        if (lstat(path, st) < 0)
                return errno == ENOENT ? 0 : -errno;
        if (statfs(path, &sfs) < 0)
                return -errno;
        return sfs.f_type == NSFS_MAGIC ? 1 : -EEXIST;
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
        bool bound = false;

        if (mkdir(NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST) {
                nh_err(ctx, "Failed to create %s: %s", NETNS_RUN_DIR, strerror(errno));
                return -errno;
        }
        for (;;) {
                if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
                        return 0;
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

static int lo_set_up(struct nh_ctx *ctx)
{
        struct nl_sock *sk = nh_netlink(ctx);
        struct rtnl_link *lo = NULL, *change = NULL;
        int r;

        if (!sk) {
                r = errno ? -errno : -EIO;
                nh_err(ctx, "Failed to open a netlink socket inside namespace %s: %s",
                       nh_namespace(ctx), strerror(-r));
                return r;
        }
        /* lo is always ifindex 1 in a new namespace (loopback_net_init). */
        r = rtnl_link_get_kernel(sk, 1, NULL, &lo);
        if (r >= 0) {
                change = rtnl_link_alloc();
                if (!change)
                        r = -NLE_NOMEM;
        }
        if (r >= 0) {
                rtnl_link_set_flags(change, IFF_UP);
                r = rtnl_link_change(sk, lo, change, 0);
        }
        if (change)
                rtnl_link_put(change);
        if (lo)
                rtnl_link_put(lo);
        if (r < 0) {
                nh_err(ctx, "Failed to set lo up inside namespace %s: %s",
                       nh_namespace(ctx), nl_geterror(r));
                return -EIO;
        }
        return 0;
}

static int netns_remove(const char *path)
{
        /* EINVAL: not a mount point (any more). */
        if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
                return -errno;
        if (unlink(path) < 0 && errno != ENOENT)
                return -errno;
        return 0;
}

/* Creates the namespace on the calling thread, bind-mounts it at path and
 * returns the thread to the host's namespace, whatever happens. */
static int netns_create(struct nh_ctx *ctx, const char *path)
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
        int r;

        r = netns_path(ctx, path, sizeof(path));
        if (r < 0) {
                nh_err(ctx, "Namespace name %s is too long for a path", nh_namespace(ctx));
                return r;
        }
        r = netns_run_dir_setup(ctx);
        if (r < 0)
                return r;

        r = netns_create(ctx, path);
        if (r == -EEXIST) {
                r = netns_probe(path, &st);
                if (r == 1) {
                        nh_info(ctx, "Namespace %s exists already", nh_namespace(ctx));
                        return lo_set_up(ctx);
                }
                if (r == -EEXIST)
                        nh_err(ctx, "%s is %s, not a network namespace: it was not made by "
                               "\"ip netns add\" or netns-helper. Remove it (rm %s%s), or give the "
                               "namespace another name", path, file_kind(&st),
                               S_ISDIR(st.st_mode) ? "-r " : "", path);
                else if (r == 0) /* gone in between: someone else is at work here */
                        nh_err(ctx, "%s appeared and vanished while it was being created; "
                               "is another program managing namespace %s?", path, nh_namespace(ctx));
                else
                        nh_err(ctx, "Failed to inspect %s: %s", path, strerror(-r));
                return r == 0 ? -EBUSY : r;
        }
        if (r < 0) {
                nh_err(ctx, "Failed to create namespace %s: %s", path, strerror(-r));
                return r;
        }

        r = lo_set_up(ctx);
        if (r < 0) {
                (void) netns_remove(path);
                return r;
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
        struct nl_sock *sk;
        struct rtnl_link *lo = NULL;
        int r;

        r = netns_path(ctx, path, sizeof(path));
        if (r < 0)
                return r;
        r = netns_probe(path, &st);
        if (r == 0) {
                nh_notice(ctx, "Namespace %s does not exist", path);
                return 1;
        }
        if (r == -EEXIST) {
                nh_notice(ctx, "%s is %s, not a network namespace", path, file_kind(&st));
                return 1;
        }
        if (r < 0) {
                nh_err(ctx, "Failed to inspect %s: %s", path, strerror(-r));
                return r;
        }
        sk = nh_netlink(ctx);
        if (!sk) {
                nh_err(ctx, "Failed to open a netlink socket inside namespace %s", nh_namespace(ctx));
                return -EIO;
        }
        r = rtnl_link_get_kernel(sk, 1, NULL, &lo);
        if (r < 0) {
                nh_err(ctx, "Failed to read lo inside namespace %s: %s", nh_namespace(ctx), nl_geterror(r));
                return -EIO;
        }
        r = (rtnl_link_get_flags(lo) & IFF_UP) ? 0 : 1;
        if (r)
                nh_notice(ctx, "lo is down inside namespace %s", nh_namespace(ctx));
        rtnl_link_put(lo);
        return r;
}

NH_PLUGIN_DEFINE(
        .name = "netns",
        .stage = "netns",
        .version = NH_STAGE_VERSION,
        .description = "a named network namespace at /run/netns/NAME, as \"ip netns add\" makes it",
        .order = NH_ORDER_NETNS,
        .flags = 0,
        .keys = NULL,
        .validate = NULL,
        .start = netns_start,
        .stop = netns_stop,
        .check = netns_check,
);
