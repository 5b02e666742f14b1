/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Generic netlink messages of the kernel's WireGuard (linux/wireguard.h),
 * built and parsed as pure functions so that the unit tests can compare
 * them attribute by attribute on a kernel without the module.
 */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/wireguard.h>
#include <linux/time_types.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "wg-proto.h"

/* Room for the largest configuration the parser accepts (16 peers of 64
 * prefixes: about 40 KiB); the kernel takes a message this size. */
#define SET_MSG_SIZE (64 * 1024)

struct nl_msg *wg_genl_set_msg(int family, const char *ifname, const struct wg_conf *c,
                               const int *keepalive, enum wg_set_mode mode)
{
        struct nl_msg *m = nlmsg_alloc_size(SET_MSG_SIZE);
        struct nlattr *peers;

        if (!m)
                return NULL;
        if (!genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_REQUEST | NLM_F_ACK,
                         WG_CMD_SET_DEVICE, WG_GENL_VERSION))
                goto fail;
        if (nla_put_string(m, WGDEVICE_A_IFNAME, ifname) < 0)
                goto fail;
        if (mode == WG_SET_FULL) {
                if (nla_put_u32(m, WGDEVICE_A_FLAGS, WGDEVICE_F_REPLACE_PEERS) < 0)
                        goto fail;
                if (c->has_private_key && nla_put(m, WGDEVICE_A_PRIVATE_KEY, WG_KEY_LEN, c->private_key) < 0)
                        goto fail;
                if (c->listen_port >= 0 && nla_put_u16(m, WGDEVICE_A_LISTEN_PORT, (uint16_t) c->listen_port) < 0)
                        goto fail;
                if (c->fwmark && nla_put_u32(m, WGDEVICE_A_FWMARK, c->fwmark) < 0)
                        goto fail;
        }
        peers = nla_nest_start(m, WGDEVICE_A_PEERS);
        if (!peers)
                goto fail;
        for (size_t i = 0; i < c->n_peers; i++) {
                const struct wg_peer *p = &c->peers[i];
                int ka = keepalive ? keepalive[i] : (p->keepalive > 0 ? p->keepalive : 0);
                struct nlattr *peer = nla_nest_start(m, (int) i), *ips;

                if (!peer || nla_put(m, WGPEER_A_PUBLIC_KEY, WG_KEY_LEN, p->public_key) < 0)
                        goto fail;
                if (mode == WG_SET_KEEPALIVE) {
                        if (nla_put_u32(m, WGPEER_A_FLAGS, WGPEER_F_UPDATE_ONLY) < 0 ||
                            nla_put_u16(m, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, (uint16_t) ka) < 0)
                                goto fail;
                        nla_nest_end(m, peer);
                        continue;
                }
                if (nla_put_u32(m, WGPEER_A_FLAGS, WGPEER_F_REPLACE_ALLOWEDIPS) < 0)
                        goto fail;
                if (p->has_psk && nla_put(m, WGPEER_A_PRESHARED_KEY, WG_KEY_LEN, p->psk) < 0)
                        goto fail;
                if (p->endpoint_len && nla_put(m, WGPEER_A_ENDPOINT, (int) p->endpoint_len, &p->endpoint) < 0)
                        goto fail;
                if (nla_put_u16(m, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, (uint16_t) ka) < 0)
                        goto fail;
                ips = nla_nest_start(m, WGPEER_A_ALLOWEDIPS);
                if (!ips)
                        goto fail;
                for (size_t j = 0; j < p->n_allowed; j++) {
                        const struct wg_prefix *a = &p->allowed[j];
                        struct nlattr *ip = nla_nest_start(m, (int) j);

                        if (!ip || nla_put_u16(m, WGALLOWEDIP_A_FAMILY, (uint16_t) a->family) < 0 ||
                            nla_put(m, WGALLOWEDIP_A_IPADDR, a->family == AF_INET ? 4 : 16, a->addr) < 0 ||
                            nla_put_u8(m, WGALLOWEDIP_A_CIDR_MASK, (uint8_t) a->prefixlen) < 0)
                                goto fail;
                        nla_nest_end(m, ip);
                }
                nla_nest_end(m, ips);
                nla_nest_end(m, peer);
        }
        nla_nest_end(m, peers);
        return m;
fail:
        nlmsg_free(m);
        return NULL;
}

struct nl_msg *wg_genl_get_msg(int family, const char *ifname)
{
        struct nl_msg *m = nlmsg_alloc();

        if (!m)
                return NULL;
        if (!genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_REQUEST | NLM_F_DUMP,
                         WG_CMD_GET_DEVICE, WG_GENL_VERSION) ||
            nla_put_string(m, WGDEVICE_A_IFNAME, ifname) < 0) {
                nlmsg_free(m);
                return NULL;
        }
        return m;
}

int wg_genl_parse_device(const struct nlmsghdr *h, struct wg_state *st)
{
        struct nlattr *tb[WGDEVICE_A_MAX + 1], *peer;
        int rem;

        /* genlmsg_parse() bounds every attribute by the message length. */
        if (genlmsg_parse((struct nlmsghdr *) h, 0, tb, WGDEVICE_A_MAX, NULL) < 0)
                return -EBADMSG;
        if (tb[WGDEVICE_A_PRIVATE_KEY] && nla_len(tb[WGDEVICE_A_PRIVATE_KEY]) == WG_KEY_LEN)
                st->has_private_key = true;
        if (tb[WGDEVICE_A_LISTEN_PORT]) {
                if (nla_len(tb[WGDEVICE_A_LISTEN_PORT]) < 2)
                        return -EBADMSG;
                st->listen_port = nla_get_u16(tb[WGDEVICE_A_LISTEN_PORT]);
        }
        if (!tb[WGDEVICE_A_PEERS])
                return 0;
        nla_for_each_nested(peer, tb[WGDEVICE_A_PEERS], rem) {
                struct nlattr *pt[WGPEER_A_MAX + 1], *ip;
                struct wg_peer_state *ps;
                const struct wg_peer_state *known;
                int rem2;

                if (nla_parse_nested(pt, WGPEER_A_MAX, peer, NULL) < 0)
                        return -EBADMSG;
                if (!pt[WGPEER_A_PUBLIC_KEY] || nla_len(pt[WGPEER_A_PUBLIC_KEY]) != WG_KEY_LEN)
                        return -EBADMSG;
                /* A peer with many allowed IPs continues in the next
                 * message, headed by its public key again. */
                known = wg_state_peer(st, nla_data(pt[WGPEER_A_PUBLIC_KEY]));
                if (known)
                        ps = (struct wg_peer_state *) known;
                else if (st->n_peers >= WG_MAX_PEERS) {
                        st->truncated = true;
                        continue;
                } else {
                        ps = &st->peers[st->n_peers++];
                        memset(ps, 0, sizeof(*ps));
                        memcpy(ps->public_key, nla_data(pt[WGPEER_A_PUBLIC_KEY]), WG_KEY_LEN);
                }
                if (pt[WGPEER_A_LAST_HANDSHAKE_TIME]) {
                        struct __kernel_timespec ts;
                        if (nla_len(pt[WGPEER_A_LAST_HANDSHAKE_TIME]) != (int) sizeof(ts))
                                return -EBADMSG;
                        memcpy(&ts, nla_data(pt[WGPEER_A_LAST_HANDSHAKE_TIME]), sizeof(ts));
                        if (ts.tv_sec < 0)
                                return -EBADMSG;
                        ps->last_handshake_sec = ts.tv_sec;
                }
                if (pt[WGPEER_A_RX_BYTES] && nla_len(pt[WGPEER_A_RX_BYTES]) == 8)
                        ps->rx_bytes = nla_get_u64(pt[WGPEER_A_RX_BYTES]);
                if (pt[WGPEER_A_TX_BYTES] && nla_len(pt[WGPEER_A_TX_BYTES]) == 8)
                        ps->tx_bytes = nla_get_u64(pt[WGPEER_A_TX_BYTES]);
                if (pt[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL] &&
                    nla_len(pt[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL]) == 2)
                        ps->keepalive = nla_get_u16(pt[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL]);
                if (pt[WGPEER_A_ALLOWEDIPS])
                        nla_for_each_nested(ip, pt[WGPEER_A_ALLOWEDIPS], rem2)
                                ps->n_allowed++;
        }
        return 0;
}
