/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The two ways to configure a WireGuard device and read its state back,
 * as pure functions (no sockets): the cross-platform UAPI text protocol
 * that wireguard-go speaks on /var/run/wireguard/DEV.sock, and the
 * kernel's generic netlink family "wireguard" (linux/wireguard.h).
 *
 * Both plugins, the unit tests and the fuzzer use them.  What comes back
 * is parsed as hostile: bounded, strictly checked, unknown keys skipped.
 */
#ifndef NH_WG_PROTO_H
#define NH_WG_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wg-config.h"

struct nl_msg;
struct nlmsghdr;

/* What is set: the whole configuration, or only each peer's keepalive
 * (keepalive[i] for peer i), leaving the rest alone. */
enum wg_set_mode { WG_SET_FULL, WG_SET_KEEPALIVE };

/* The device's state as read back. */
struct wg_peer_state {
        uint8_t public_key[WG_KEY_BYTES];
        int64_t last_handshake_sec;     /* 0: never */
        uint64_t rx_bytes, tx_bytes;
        unsigned keepalive;
        size_t n_allowed;
};

struct wg_state {
        bool has_private_key;
        int listen_port;                /* -1: unknown */
        size_t n_peers;
        struct wg_peer_state peers[WG_MAX_PEERS];
        bool truncated;                 /* more peers than WG_MAX_PEERS */
};

/* The peer of st with key, or NULL. */
const struct wg_peer_state *wg_state_peer(const struct wg_state *st, const uint8_t key[WG_KEY_BYTES]);

/* ---- UAPI (https://www.wireguard.com/xplatform/) --------------------- */

/* "set=1\n...\n\n" for c; keepalive[] is each peer's interval to set
 * (the file's, or the stage's temporary one).  The length written, or
 * -ENOBUFS. */
int wg_uapi_set_request(const struct wg_conf *c, const int *keepalive, enum wg_set_mode mode,
                        char *buf, size_t len);

/* The answer to "get=1\n\n": key=value lines ending with "errno=N" and an
 * empty line.  0 with *st filled, -EBADMSG for a malformed answer, or the
 * negative errno the device reported.  *complete tells whether the final
 * empty line was seen (a caller reading a stream reads on until then). */
int wg_uapi_parse_get(const char *buf, size_t len, struct wg_state *st, bool *complete);

/* The answer to a set: "errno=N\n\n".  0, -errno of the device, or
 * -EBADMSG. */
int wg_uapi_parse_errno(const char *buf, size_t len, bool *complete);

/* ---- generic netlink ------------------------------------------------- */

/* WG_CMD_SET_DEVICE for ifname on family (the resolved id): a new message,
 * or NULL without memory. */
struct nl_msg *wg_genl_set_msg(int family, const char *ifname, const struct wg_conf *c,
                               const int *keepalive, enum wg_set_mode mode);
/* WG_CMD_GET_DEVICE, NLM_F_DUMP, for ifname. */
struct nl_msg *wg_genl_get_msg(int family, const char *ifname);
/* Adds one reply message of the dump to *st (a device's state may come in
 * several messages).  0 or -EBADMSG. */
int wg_genl_parse_device(const struct nlmsghdr *h, struct wg_state *st);

#endif
