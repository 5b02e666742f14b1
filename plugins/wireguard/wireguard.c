/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The "wireguard" plugin of the wireguard stage (the default): the
 * kernel's WireGuard, configured over generic netlink.
 *
 * The link is created by a request sent from a socket in the birth
 * namespace with IFLA_NET_NS_FD naming the namespace: it is born inside
 * the namespace (no move), while the kernel keeps its UDP socket in the
 * namespace of the creating socket (wg_newlink() records src_net).  It is
 * configured with WG_CMD_SET_DEVICE from a generic netlink socket inside
 * the namespace, where the device is.
 *
 * Written only against <netns-helper/plugin.h>.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/wireguard.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include <netns-helper/sdk.h>
#include "wg-stage.h"

#ifndef NH_STAGE_VERSION
#define NH_STAGE_VERSION "0"
#endif

static const struct nh_key wgk_keys[] = {
        WG_COMMON_KEYS,
        { NULL },
};

static int genl_open(struct wg_run *r)
{
        int k;

        if (r->genl)
                return 0;
        r->genl = nl_socket_alloc();
        if (!r->genl)
                return -ENOMEM;
        /* The device is looked up by name in the socket's namespace. */
        k = wg_enter(r, nh_netns_fd(r->ctx));
        if (k >= 0) {
                k = nh_nlerr_to_errno(genl_connect(r->genl));
                int l = wg_leave(r);
                if (k >= 0)
                        k = l;
        }
        if (k >= 0) {
                r->genl_family = genl_ctrl_resolve(r->genl, WG_GENL_NAME);
                if (r->genl_family < 0)
                        k = -EOPNOTSUPP;
        }
        if (k < 0) {
                nl_socket_free(r->genl);
                r->genl = NULL;
        }
        return k;
}

static int wgk_create(struct wg_run *r)
{
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
        struct nh_nl_msg m;
        struct rtattr *info;
        int fd, k;

        fd = wg_rtnl_socket_in(r, r->birth_fd);
        if (fd < 0)
                return fd;
        nh_nl_msg_init(&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
        nh_nl_put_str(&m, IFLA_IFNAME, r->ifname);
        nh_nl_put_u32(&m, IFLA_NET_NS_FD, (uint32_t) nh_netns_fd(r->ctx));
        info = nh_nl_nest(&m, IFLA_LINKINFO);
        nh_nl_put_str(&m, IFLA_INFO_KIND, "wireguard");
        nh_nl_nest_end(&m, info);
        k = nh_nl_talk(fd, &m, NULL, NULL);
        close(fd);
        if (k == -EOPNOTSUPP)
                nh_err(r->ctx, "This kernel has no WireGuard (creating a \"wireguard\" link: %s); load the module "
                       "(modprobe wireguard), or use the userspace implementation: implementations: {wireguard: wireguard-go}",
                       strerror(-k));
        else if (k == -EEXIST)
                nh_err(r->ctx, "Namespace %s already has an interface named %s; set another name: in the wireguard section",
                       nh_namespace(r->ctx), r->ifname);
        else if (k < 0)
                nh_err(r->ctx, "Cannot create the WireGuard link %s in namespace %s: %s", r->ifname,
                       nh_namespace(r->ctx), strerror(-k));
        return k;
}

static int wgk_configure(struct wg_run *r, enum wg_set_mode mode)
{
        struct nl_msg *m;
        int k = genl_open(r);

        if (k < 0) {
                nh_err(r->ctx, "Cannot reach the kernel's WireGuard over generic netlink: %s", strerror(-k));
                return k;
        }
        m = wg_genl_set_msg(r->genl_family, r->ifname, r->conf, r->keepalive, mode);
        if (!m)
                return -ENOMEM;
        k = nl_send_auto(r->genl, m);
        nlmsg_free(m);
        if (k >= 0)
                k = nl_wait_for_ack(r->genl);
        k = nh_nlerr_to_errno(k);
        if (k < 0)
                nh_err(r->ctx, "The kernel refused the WireGuard configuration of %s from %s: %s", r->ifname,
                       r->config_path, strerror(-k));
        return k;
}

static int dump_cb(struct nl_msg *msg, void *arg)
{
        return wg_genl_parse_device(nlmsg_hdr(msg), arg) < 0 ? NL_STOP : NL_OK;
}

static int wgk_read_state(struct wg_run *r, struct wg_state *st)
{
        struct nl_msg *m;
        int k = genl_open(r);

        memset(st, 0, sizeof(*st));
        st->listen_port = -1;
        if (k < 0)
                return k;
        m = wg_genl_get_msg(r->genl_family, r->ifname);
        if (!m)
                return -ENOMEM;
        k = nl_send_auto(r->genl, m);
        nlmsg_free(m);
        if (k < 0)
                return nh_nlerr_to_errno(k);
        nl_socket_modify_cb(r->genl, NL_CB_VALID, NL_CB_CUSTOM, dump_cb, st);
        k = nl_recvmsgs_default(r->genl);
        return nh_nlerr_to_errno(k);
}

static int wgk_event_fd(struct wg_run *r) { return -1; }
static int wgk_on_event(struct wg_run *r) { return 0; }

static void wgk_destroy(struct wg_run *r)
{
        if (r->genl) {
                nl_socket_free(r->genl);
                r->genl = NULL;
        }
}

static void wgk_stop_leftovers(struct wg_run *r)
{
        (void) wg_link_delete_in_ns(r);
}

static const struct wg_backend wgk_backend = {
        .name = "kernel WireGuard",
        .create = wgk_create,
        .configure = wgk_configure,
        .read_state = wgk_read_state,
        .event_fd = wgk_event_fd,
        .on_event = wgk_on_event,
        .destroy = wgk_destroy,
        .stop_leftovers = wgk_stop_leftovers,
};

WG_STAGE_PLUGIN(wgk, wgk_backend, "wireguard",
                "the kernel's WireGuard (generic netlink)");
