/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the two WireGuard plugins share: the stage's keys, reading the
 * provider's file and the keys, resolving endpoints in the birth
 * namespace, the tunnel's addresses, MTU and routes inside the namespace,
 * DNS, waiting for the first handshake, supervising, check and stop.  Each
 * plugin only says how its device is made, configured and read back.
 */
#ifndef NH_WG_STAGE_H
#define NH_WG_STAGE_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <sys/types.h>

#include <netns-helper/plugin.h>

#include "wg-config.h"
#include "wg-proto.h"

struct wg_run {
        struct nh_ctx *ctx;
        const struct wg_backend *be;
        struct wg_conf *conf;
        char config_path[PATH_MAX];
        char ifname[IFNAMSIZ];          /* the tunnel inside the namespace */
        char birth_name[IFNAMSIZ];      /* its name where it is born (wireguard-go) */
        char birth_ns[65];              /* "": the host's namespace */
        int birth_fd;                   /* that namespace (ours to close when named) */
        int timeout_s;
        bool dns, nsswitch;
        int keepalive[WG_MAX_PEERS];    /* what is set while waiting */
        bool keepalive_temporary;
        char program[PATH_MAX];         /* wireguard-go */

        /* the backend's */
        pid_t child;
        int pidfd, out_fd;
        char out_buf[1024];
        size_t out_len;
        int genl_family;
        struct nl_sock *genl;
};

struct wg_backend {
        const char *name;               /* for messages: "wireguard-go", "kernel WireGuard" */
        bool userspace;
        /* Make the device; it is in the namespace, named r->ifname, after. */
        int (*create)(struct wg_run *r);
        int (*configure)(struct wg_run *r, enum wg_set_mode mode);
        int (*read_state)(struct wg_run *r, struct wg_state *st);
        /* An fd to poll while running (-1: none) and what to do when it is
         * readable: negative when the device's process is gone. */
        int (*event_fd)(struct wg_run *r);
        int (*on_event)(struct wg_run *r);
        /* Undo create (from the process that made it). */
        void (*destroy)(struct wg_run *r);
        /* The stop verb, from any process: end what a start left. */
        void (*stop_leftovers)(struct wg_run *r);
};

/* Entries shared by both key tables, ended by the plugin's own. */
#define WG_COMMON_KEYS                                                                          \
        { "config", NH_T_STRING, 0, 0, 0, NULL,                                                 \
          "the wg-quick file of the VPN provider (relative: to the configuration directory)" },  \
        { "private-key", NH_T_STRING, 0, 0, 0, NULL,                                            \
          "the interface's private key (base64), instead of PrivateKey in the file" },          \
        { "private-key-file", NH_T_PATH, 0, 0, 0, NULL,                                         \
          "a file holding the private key (base64), root's and mode 0600" },                    \
        { "birth-namespace", NH_T_STRING, 0, 0, 0, NULL,                                        \
          "the named namespace the encrypted UDP socket lives in (default: the host's)" },      \
        { "name", NH_T_IFNAME, 0, 0, 0, NULL, "the tunnel interface in the namespace (default wg0)" }, \
        { "timeout", NH_T_INT, 0, 1, 3600, NULL,                                                \
          "seconds to wait for the first handshake (default 20)" },                             \
        { "dns", NH_T_BOOL, 0, 0, 0, NULL,                                                      \
          "write the file's DNS servers into the namespace's resolv.conf (default yes)" },      \
        { "nsswitch", NH_T_BOOL, 0, 0, 0, NULL,                                                 \
          "write the namespace's nsswitch.conf without \"resolve\", so names are not looked up " \
          "by the host's systemd-resolved outside the tunnel (default yes)" }

int wg_stage_validate(struct nh_ctx *ctx, const struct wg_backend *be);
int wg_stage_start(struct nh_ctx *ctx, const struct wg_backend *be);
int wg_stage_stop(struct nh_ctx *ctx, const struct wg_backend *be);
int wg_stage_check(struct nh_ctx *ctx, const struct wg_backend *be);

/* Helpers for the backends. */
/* A NETLINK_ROUTE socket in the namespace nsfd; -errno. */
int wg_rtnl_socket_in(struct wg_run *r, int nsfd);
/* ifindex of name on an rtnetlink socket; -ENODEV when absent. */
int wg_link_index(int fd, const char *name);
/* Deletes r->ifname inside the namespace; 0 when it is gone already. */
int wg_link_delete_in_ns(struct wg_run *r);
/* setns() into nsfd and back to the host's. */
int wg_enter(struct wg_run *r, int nsfd);
int wg_leave(struct wg_run *r);

/* The two implementations are one stage (wg-stage.c) with another
 * backend and keys: PREFIX_keys and the backend are the file's, the verbs
 * and the descriptor this. */
#define WG_STAGE_PLUGIN(prefix, backend, plugin_name, what)                                      \
        static int prefix##_validate(struct nh_ctx *ctx) { return wg_stage_validate(ctx, &(backend)); } \
        static int prefix##_start(struct nh_ctx *ctx) { return wg_stage_start(ctx, &(backend)); }       \
        static int prefix##_stop(struct nh_ctx *ctx) { return wg_stage_stop(ctx, &(backend)); }         \
        static int prefix##_check(struct nh_ctx *ctx) { return wg_stage_check(ctx, &(backend)); }       \
        NH_PLUGIN_DEFINE(.name = plugin_name, .stage = "wireguard", .version = NH_STAGE_VERSION,      \
                         .description = "WireGuard tunnel as the namespace's only way out, by " what,   \
                         .order = NH_ORDER_WIREGUARD, .flags = NH_PLUGIN_LONG_RUNNING | NH_PLUGIN_NEEDS_NETNS, \
                         .keys = prefix##_keys, .validate = prefix##_validate, .start = prefix##_start, \
                         .stop = prefix##_stop, .check = prefix##_check)

#endif
