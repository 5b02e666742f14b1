/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A plugin for the engine's tests that asks the core for a netlink socket
 * in the host's namespace.  Built twice: without libnl-3 ("nlask", which
 * the core must answer with ENOSYS and a message, since it makes sockets
 * with the plugin's own libnl) and with it ("nlasknl", which gets a
 * connected socket). */
#include <errno.h>
#include <string.h>

#include <netns-helper/plugin.h>
#ifdef NLASK_WITH_LIBNL
#include <netlink/socket.h>
#endif

static int ask_start(struct nh_ctx *ctx)
{
        struct nl_sock *sk = nh_netlink_host(ctx);
        int e;

        if (!sk) {
                e = errno;
                nh_err(ctx, "no netlink socket: %s", strerror(e));
                return e ? -e : -EIO;
        }
#ifdef NLASK_WITH_LIBNL
        if (nl_socket_get_fd(sk) < 0)
                return -EBADF;
        nh_info(ctx, "netlink socket connected");
#endif
        return 0;
}

static int ask_stop(struct nh_ctx *ctx) { return 0; }

NH_PLUGIN_DEFINE(
        .name = NLASK_NAME,
        .stage = NLASK_NAME,
        .version = "1",
        .description = "asks for a netlink socket (engine tests)",
        .order = 500,
        .start = ask_start,
        .stop = ask_stop,
);
