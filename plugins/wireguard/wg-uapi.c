/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The UAPI text protocol (https://www.wireguard.com/xplatform/): requests
 * built from a parsed configuration, answers parsed as hostile input.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wg-proto.h"

const struct wg_peer_state *wg_state_peer(const struct wg_state *st, const uint8_t key[WG_KEY_BYTES])
{
        for (size_t i = 0; i < st->n_peers; i++)
                if (memcmp(st->peers[i].public_key, key, WG_KEY_BYTES) == 0)
                        return &st->peers[i];
        return NULL;
}

struct out {
        char *buf;
        size_t len, pos;
        bool full;
};

__attribute__((format(printf, 2, 3)))
static void put(struct out *o, const char *fmt, ...)
{
        va_list ap;
        int n;

        if (o->full)
                return;
        va_start(ap, fmt);
        n = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t) n >= o->len - o->pos) {
                o->full = true;
                return;
        }
        o->pos += (size_t) n;
}

static void put_key(struct out *o, const char *name, const uint8_t key[WG_KEY_BYTES])
{
        char hex[65];

        wg_key_to_hex(key, hex);
        put(o, "%s=%s\n", name, hex);
}

int wg_uapi_set_request(const struct wg_conf *c, const int *keepalive, enum wg_set_mode mode,
                        char *buf, size_t len)
{
        struct out o = { buf, len, 0, len == 0 };

        put(&o, "set=1\n");
        if (mode == WG_SET_FULL) {
                if (c->has_private_key)
                        put_key(&o, "private_key", c->private_key);
                if (c->listen_port >= 0)
                        put(&o, "listen_port=%d\n", c->listen_port);
                if (c->fwmark)
                        put(&o, "fwmark=%u\n", (unsigned) c->fwmark);
                put(&o, "replace_peers=true\n");
        }
        for (size_t i = 0; i < c->n_peers; i++) {
                const struct wg_peer *p = &c->peers[i];
                int ka = keepalive ? keepalive[i] : (p->keepalive > 0 ? p->keepalive : 0);

                put_key(&o, "public_key", p->public_key);
                if (mode == WG_SET_KEEPALIVE) {
                        put(&o, "update_only=true\n");
                        put(&o, "persistent_keepalive_interval=%d\n", ka);
                        continue;
                }
                if (p->has_psk)
                        put_key(&o, "preshared_key", p->psk);
                if (p->endpoint_len) {
                        char a[INET6_ADDRSTRLEN];
                        if (p->endpoint.ss_family == AF_INET) {
                                const struct sockaddr_in *s = (const struct sockaddr_in *) &p->endpoint;
                                inet_ntop(AF_INET, &s->sin_addr, a, sizeof(a));
                                put(&o, "endpoint=%s:%u\n", a, ntohs(s->sin_port));
                        } else {
                                const struct sockaddr_in6 *s = (const struct sockaddr_in6 *) &p->endpoint;
                                inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof(a));
                                put(&o, "endpoint=[%s]:%u\n", a, ntohs(s->sin6_port));
                        }
                }
                put(&o, "persistent_keepalive_interval=%d\n", ka);
                put(&o, "replace_allowed_ips=true\n");
                for (size_t j = 0; j < p->n_allowed; j++) {
                        char pre[64];
                        put(&o, "allowed_ip=%s\n", wg_prefix_str(&p->allowed[j], pre, sizeof(pre)));
                }
        }
        put(&o, "\n");
        return o.full ? -ENOBUFS : (int) o.pos;
}

/* ---- answers ----------------------------------------------------------- */

#define UAPI_MAX_LINE 512

static int parse_u64(const char *s, size_t n, uint64_t *out)
{
        uint64_t v = 0;

        if (n == 0 || n > 20)
                return -EBADMSG;
        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -EBADMSG;
                if (v > (UINT64_MAX - (uint64_t) (s[i] - '0')) / 10)
                        return -EBADMSG;
                v = v * 10 + (uint64_t) (s[i] - '0');
        }
        *out = v;
        return 0;
}

static bool key_is(const char *k, size_t kl, const char *name)
{
        return kl == strlen(name) && memcmp(k, name, kl) == 0;
}

/* Walks key=value lines; calls line() for each.  Stops at the first empty
 * line (*complete = true) or at the end of the data. */
typedef int (*line_fn)(const char *k, size_t kl, const char *v, size_t vl, void *arg);

static int walk(const char *buf, size_t len, line_fn line, void *arg, bool *complete)
{
        size_t pos = 0;

        *complete = false;
        while (pos < len) {
                const char *nl = memchr(buf + pos, '\n', len - pos), *eq;
                size_t n;
                int r;

                if (!nl)
                        return len - pos > UAPI_MAX_LINE ? -EBADMSG : 0;   /* a partial line: read on */
                n = (size_t) (nl - (buf + pos));
                if (n == 0) {
                        *complete = true;
                        return 0;
                }
                if (n > UAPI_MAX_LINE)
                        return -EBADMSG;
                eq = memchr(buf + pos, '=', n);
                if (!eq || eq == buf + pos)
                        return -EBADMSG;
                r = line(buf + pos, (size_t) (eq - (buf + pos)), eq + 1, n - (size_t) (eq + 1 - (buf + pos)), arg);
                if (r < 0)
                        return r;
                pos += n + 1;
        }
        return 0;
}

struct get_ctx {
        struct wg_state *st;
        struct wg_peer_state *peer;     /* the peer lines now belong to */
        bool have_errno;
        int errnum;
};

static int get_line(const char *k, size_t kl, const char *v, size_t vl, void *arg)
{
        struct get_ctx *g = arg;
        uint64_t n;

        if (g->have_errno)
                return -EBADMSG;        /* nothing may follow errno= */
        if (key_is(k, kl, "errno")) {
                if (parse_u64(v, vl, &n) < 0 || n > 4095)
                        return -EBADMSG;
                g->have_errno = true;
                g->errnum = (int) n;
                return 0;
        }
        if (key_is(k, kl, "public_key")) {
                uint8_t key[WG_KEY_BYTES];
                if (wg_key_from_hex(v, vl, key) < 0)
                        return -EBADMSG;
                if (g->st->n_peers >= WG_MAX_PEERS) {
                        g->st->truncated = true;
                        g->peer = NULL;
                        return 0;
                }
                g->peer = &g->st->peers[g->st->n_peers++];
                memset(g->peer, 0, sizeof(*g->peer));
                memcpy(g->peer->public_key, key, WG_KEY_BYTES);
                return 0;
        }
        if (key_is(k, kl, "private_key")) {
                uint8_t key[WG_KEY_BYTES];
                if (wg_key_from_hex(v, vl, key) < 0)
                        return -EBADMSG;
                g->st->has_private_key = true;
                memset(key, 0, sizeof(key));
                return 0;
        }
        if (key_is(k, kl, "listen_port")) {
                if (parse_u64(v, vl, &n) < 0 || n > 65535)
                        return -EBADMSG;
                g->st->listen_port = (int) n;
                return 0;
        }
        if (!g->peer) {
                /* A peer key before any public_key is malformed; one after
                 * the table was full belongs to a peer we do not keep. */
                if (g->st->truncated)
                        return 0;
                if (key_is(k, kl, "last_handshake_time_sec") || key_is(k, kl, "allowed_ip") ||
                    key_is(k, kl, "rx_bytes") || key_is(k, kl, "tx_bytes"))
                        return -EBADMSG;
                return 0;       /* fwmark and keys of later versions */
        }
        if (key_is(k, kl, "last_handshake_time_sec")) {
                if (parse_u64(v, vl, &n) < 0 || n > INT64_MAX)
                        return -EBADMSG;
                g->peer->last_handshake_sec = (int64_t) n;
        } else if (key_is(k, kl, "rx_bytes")) {
                if (parse_u64(v, vl, &g->peer->rx_bytes) < 0)
                        return -EBADMSG;
        } else if (key_is(k, kl, "tx_bytes")) {
                if (parse_u64(v, vl, &g->peer->tx_bytes) < 0)
                        return -EBADMSG;
        } else if (key_is(k, kl, "persistent_keepalive_interval")) {
                if (parse_u64(v, vl, &n) < 0 || n > 65535)
                        return -EBADMSG;
                g->peer->keepalive = (unsigned) n;
        } else if (key_is(k, kl, "allowed_ip")) {
                g->peer->n_allowed++;
        }
        /* endpoint, preshared_key, protocol_version...: not needed */
        return 0;
}

/* Both answers end with "errno=N" and an empty line. */
static int walk_answer(const char *buf, size_t len, line_fn line, struct get_ctx *g, bool *complete)
{
        int r = walk(buf, len, line, g, complete);

        if (r < 0)
                return r;
        if (!*complete)
                return 0;
        if (!g->have_errno)
                return -EBADMSG;
        return g->errnum ? -g->errnum : 0;
}

int wg_uapi_parse_get(const char *buf, size_t len, struct wg_state *st, bool *complete)
{
        struct get_ctx g = { .st = st };

        memset(st, 0, sizeof(*st));
        st->listen_port = -1;
        return walk_answer(buf, len, get_line, &g, complete);
}

/* A set is answered by nothing but errno=. */
static int errno_line(const char *k, size_t kl, const char *v, size_t vl, void *arg)
{
        if (!key_is(k, kl, "errno"))
                return -EBADMSG;
        return get_line(k, kl, v, vl, arg);
}

int wg_uapi_parse_errno(const char *buf, size_t len, bool *complete)
{
        struct get_ctx g = { 0 };

        return walk_answer(buf, len, errno_line, &g, complete);
}
