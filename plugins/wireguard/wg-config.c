/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wg-quick files as data.  The grammar is wg(8)'s and wg-quick(8)'s:
 * "[Interface]" / "[Peer]" sections, "Key = Value" lines, '#' starting a
 * comment anywhere, keys and section names compared without case, list
 * values separated by commas and repeatable on several lines.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wg-config.h"

#define LINE_MAX_BYTES 4096

enum section { SEC_NONE, SEC_INTERFACE, SEC_PEER };

struct parser {
        struct wg_conf *c;
        struct wg_error *err;
        wg_name_valid_fn name_valid;
        enum section sec;
        unsigned line;
        /* first line of each single-valued key in the current section */
        unsigned seen[16];
};

__attribute__((format(printf, 3, 4)))
static int fail(struct parser *p, const char *key, const char *fmt, ...)
{
        va_list ap;

        p->err->line = p->line;
        snprintf(p->err->key, sizeof(p->err->key), "%s", key ? key : "");
        va_start(ap, fmt);
        vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
        va_end(ap);
        return -EINVAL;
}

/* ---- keys ------------------------------------------------------------ */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_value(char ch)
{
        const char *q = ch ? strchr(b64, ch) : NULL;
        return q ? (int) (q - b64) : -1;
}

int wg_key_from_base64(const char *s, uint8_t key[WG_KEY_BYTES])
{
        uint32_t acc = 0;
        size_t i, o = 0;
        int v;

        /* 32 bytes = 43 characters of 6 bits (the last holds 2 bits and 4
         * zero bits) and one '=': exactly what wg(8) accepts. */
        if (strlen(s) != 44 || s[43] != '=')
                return -EINVAL;
        for (i = 0; i < 40; i += 4) {
                acc = 0;
                for (size_t j = 0; j < 4; j++) {
                        v = b64_value(s[i + j]);
                        if (v < 0)
                                return -EINVAL;
                        acc = (acc << 6) | (uint32_t) v;
                }
                key[o++] = (uint8_t) (acc >> 16);
                key[o++] = (uint8_t) (acc >> 8);
                key[o++] = (uint8_t) acc;
        }
        acc = 0;
        for (i = 40; i < 43; i++) {
                v = b64_value(s[i]);
                if (v < 0)
                        return -EINVAL;
                acc = (acc << 6) | (uint32_t) v;
        }
        if (acc & 3)
                return -EINVAL;
        key[o++] = (uint8_t) (acc >> 10);
        key[o] = (uint8_t) (acc >> 2);
        return 0;
}

void wg_key_to_base64(const uint8_t key[WG_KEY_BYTES], char out[45])
{
        size_t i, o = 0;

        for (i = 0; i < 30; i += 3) {
                uint32_t v = (uint32_t) key[i] << 16 | (uint32_t) key[i + 1] << 8 | key[i + 2];
                out[o++] = b64[(v >> 18) & 63];
                out[o++] = b64[(v >> 12) & 63];
                out[o++] = b64[(v >> 6) & 63];
                out[o++] = b64[v & 63];
        }
        {
                uint32_t v = (uint32_t) key[30] << 8 | key[31];
                out[o++] = b64[(v >> 10) & 63];
                out[o++] = b64[(v >> 4) & 63];
                out[o++] = b64[(v << 2) & 63];
                out[o++] = '=';
        }
        out[o] = '\0';
}

void wg_key_to_hex(const uint8_t key[WG_KEY_BYTES], char out[65])
{
        static const char hx[] = "0123456789abcdef";

        for (size_t i = 0; i < WG_KEY_BYTES; i++) {
                out[2 * i] = hx[key[i] >> 4];
                out[2 * i + 1] = hx[key[i] & 15];
        }
        out[64] = '\0';
}

static int hex_value(char ch)
{
        if (ch >= '0' && ch <= '9')
                return ch - '0';
        if (ch >= 'a' && ch <= 'f')
                return ch - 'a' + 10;
        if (ch >= 'A' && ch <= 'F')
                return ch - 'A' + 10;
        return -1;
}

int wg_key_from_hex(const char *s, size_t len, uint8_t key[WG_KEY_BYTES])
{
        if (len != 64)
                return -EINVAL;
        for (size_t i = 0; i < WG_KEY_BYTES; i++) {
                int hi = hex_value(s[2 * i]), lo = hex_value(s[2 * i + 1]);
                if (hi < 0 || lo < 0)
                        return -EINVAL;
                key[i] = (uint8_t) (hi << 4 | lo);
        }
        return 0;
}

/* ---- values ---------------------------------------------------------- */

static unsigned full_len(int family) { return family == AF_INET ? 32 : 128; }

const char *wg_prefix_str(const struct wg_prefix *p, char *buf, size_t len)
{
        char a[INET6_ADDRSTRLEN];

        if (!inet_ntop(p->family, p->addr, a, sizeof(a)))
                snprintf(a, sizeof(a), "?");
        snprintf(buf, len, "%s/%u", a, p->prefixlen);
        return buf;
}

void wg_prefix_mask(struct wg_prefix *p)
{
        for (unsigned i = 0; i < full_len(p->family) / 8; i++) {
                unsigned first = i * 8;
                if (first >= p->prefixlen)
                        p->addr[i] = 0;
                else if (p->prefixlen - first < 8)
                        p->addr[i] &= (uint8_t) (0xff << (8 - (p->prefixlen - first)));
        }
}

bool wg_conf_has_family(const struct wg_conf *c, int family)
{
        for (size_t i = 0; i < c->n_addrs; i++)
                if (c->addrs[i].family == family)
                        return true;
        return false;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
        unsigned long v = 0;

        if (!*s)
                return -EINVAL;
        for (; *s; s++) {
                if (*s < '0' || *s > '9')
                        return -EINVAL;
                v = v * 10 + (unsigned long) (*s - '0');
                if (v > max)
                        return -ERANGE;
        }
        *out = v;
        return 0;
}

/* "A.B.C.D[/N]" or "X::Y[/N]" */
static int parse_prefix(const char *s, struct wg_prefix *out)
{
        char buf[INET6_ADDRSTRLEN + 8], *slash;
        unsigned long len;

        memset(out, 0, sizeof(*out));
        if (strlen(s) >= sizeof(buf))
                return -EINVAL;
        strcpy(buf, s);
        slash = strchr(buf, '/');
        if (slash)
                *slash = '\0';
        if (inet_pton(AF_INET, buf, out->addr) == 1)
                out->family = AF_INET;
        else if (inet_pton(AF_INET6, buf, out->addr) == 1)
                out->family = AF_INET6;
        else
                return -EINVAL;
        out->prefixlen = full_len(out->family);
        if (slash) {
                if (parse_uint(slash + 1, full_len(out->family), &len) < 0)
                        return -EINVAL;
                out->prefixlen = (unsigned) len;
        }
        return 0;
}

static bool plain_name(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || n > WG_MAX_HOST)
                return false;
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                      *s == '-' || *s == '.'))
                        return false;
        return true;
}

static bool name_ok(struct parser *p, const char *s)
{
        if (strlen(s) > WG_MAX_HOST)
                return false;
        return p->name_valid ? p->name_valid(s) == 1 : plain_name(s);
}

/* Copies a printable, bounded rendering of s into buf for a message. */
static const char *shown(const char *s, char *buf, size_t len)
{
        size_t o = 0;

        for (; *s && o + 5 < len; s++) {
                unsigned char ch = (unsigned char) *s;
                if (ch >= 0x20 && ch < 0x7f && ch != '\\')
                        buf[o++] = (char) ch;
                else
                        o += (size_t) snprintf(buf + o, len - o, "\\x%02x", ch);
        }
        if (*s && o + 4 <= len)
                memcpy(buf + o, "...", 4), o += 3;
        buf[o < len ? o : len - 1] = '\0';
        return buf;
}

static char *trim(char *s)
{
        char *e;

        while (*s == ' ' || *s == '\t')
                s++;
        e = s + strlen(s);
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
                *--e = '\0';
        return s;
}

/* Calls one(p, key, word) for each comma-separated word; empty words are
 * mistakes ("a,,b"). */
typedef int (*word_fn)(struct parser *p, const char *key, const char *word);

static int for_words(struct parser *p, const char *key, char *value, word_fn one)
{
        char *save = NULL, *w;
        size_t n = 0;
        int r;

        if (strstr(value, ",,") || value[0] == ',' || (value[0] && value[strlen(value) - 1] == ','))
                return fail(p, key, "an empty item in the list \"%s\"; separate items with single commas", value);
        for (w = strtok_r(value, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
                w = trim(w);
                if (!*w)
                        return fail(p, key, "an empty item in the list; separate items with single commas");
                r = one(p, key, w);
                if (r < 0)
                        return r;
                n++;
        }
        if (n == 0)
                return fail(p, key, "no value");
        return 0;
}

static int word_address(struct parser *p, const char *key, const char *w)
{
        struct wg_conf *c = p->c;
        char sh[64];

        if (c->n_addrs >= WG_MAX_ADDRS)
                return fail(p, key, "too many addresses (at most %d)", WG_MAX_ADDRS);
        if (parse_prefix(w, &c->addrs[c->n_addrs]) < 0)
                return fail(p, key, "\"%s\" is not an address with an optional /prefix, such as 10.64.0.2/32 or fd00::2/128",
                            shown(w, sh, sizeof(sh)));
        c->n_addrs++;
        return 0;
}

static int word_dns(struct parser *p, const char *key, const char *w)
{
        struct wg_conf *c = p->c;
        uint8_t tmp[16];
        char sh[64];

        /* wg-quick takes a word that is not an address as a search domain. */
        if (inet_pton(AF_INET, w, tmp) == 1 || inet_pton(AF_INET6, w, tmp) == 1) {
                if (c->n_dns >= WG_MAX_DNS)
                        return fail(p, key, "too many name servers (at most %d)", WG_MAX_DNS);
                snprintf(c->dns[c->n_dns++], INET6_ADDRSTRLEN, "%s", w);
                return 0;
        }
        if (!name_ok(p, w))
                return fail(p, key, "\"%s\" is neither an address nor a valid domain name", shown(w, sh, sizeof(sh)));
        if (c->n_search >= WG_MAX_SEARCH)
                return fail(p, key, "too many search domains (at most %d)", WG_MAX_SEARCH);
        snprintf(c->search[c->n_search++], WG_MAX_HOST + 1, "%s", w);
        return 0;
}

static int word_allowed(struct parser *p, const char *key, const char *w)
{
        struct wg_peer *peer = &p->c->peers[p->c->n_peers - 1];
        char sh[64];

        if (peer->n_allowed >= WG_MAX_ALLOWED)
                return fail(p, key, "too many prefixes for one peer (at most %d)", WG_MAX_ALLOWED);
        if (parse_prefix(w, &peer->allowed[peer->n_allowed]) < 0)
                return fail(p, key, "\"%s\" is not a prefix such as 0.0.0.0/0 or ::/0", shown(w, sh, sizeof(sh)));
        /* wg(8) masks them; the routes made from them must be masked. */
        wg_prefix_mask(&peer->allowed[peer->n_allowed]);
        peer->n_allowed++;
        return 0;
}

/* "host:port", "[v6]:port" */
static int parse_endpoint(struct parser *p, const char *key, const char *v, struct wg_peer *peer)
{
        char host[WG_MAX_HOST + 3], sh[64];
        const char *colon;
        unsigned long port;
        size_t hl;
        uint8_t tmp[16];

        if (v[0] == '[') {
                const char *close = strchr(v, ']');
                if (!close || close[1] != ':')
                        return fail(p, key, "\"%s\": expected [IPV6]:PORT", shown(v, sh, sizeof(sh)));
                hl = (size_t) (close - v - 1);
                colon = close + 1;
                if (hl == 0 || hl >= sizeof(host))
                        return fail(p, key, "\"%s\": expected [IPV6]:PORT", shown(v, sh, sizeof(sh)));
                memcpy(host, v + 1, hl);
                host[hl] = '\0';
                if (inet_pton(AF_INET6, host, tmp) != 1)
                        return fail(p, key, "\"%s\" is not an IPv6 address", shown(host, sh, sizeof(sh)));
        } else {
                colon = strrchr(v, ':');
                if (!colon || strchr(v, ':') != colon)
                        return fail(p, key, "\"%s\": expected HOST:PORT (an IPv6 address in brackets: [2001:db8::1]:51820)",
                                    shown(v, sh, sizeof(sh)));
                hl = (size_t) (colon - v);
                if (hl == 0 || hl >= sizeof(host))
                        return fail(p, key, "\"%s\": expected HOST:PORT", shown(v, sh, sizeof(sh)));
                memcpy(host, v, hl);
                host[hl] = '\0';
                if (inet_pton(AF_INET, host, tmp) != 1 && !name_ok(p, host))
                        return fail(p, key, "\"%s\" is neither an address nor a valid host name", shown(host, sh, sizeof(sh)));
        }
        if (parse_uint(colon + 1, 65535, &port) < 0 || port == 0)
                return fail(p, key, "\"%s\": the port must be 1-65535", shown(colon + 1, sh, sizeof(sh)));
        snprintf(peer->endpoint_host, sizeof(peer->endpoint_host), "%s", host);
        peer->endpoint_port = (uint16_t) port;
        peer->has_endpoint = true;
        peer->endpoint_line = p->line;
        return 0;
}

/* ---- lines ------------------------------------------------------------ */

enum key_id {
        K_PRIVATE_KEY, K_ADDRESS, K_DNS, K_MTU, K_LISTEN_PORT, K_FWMARK,
        K_PUBLIC_KEY, K_PRESHARED_KEY, K_ENDPOINT, K_ALLOWED_IPS, K_KEEPALIVE,
        K_REFUSED, K_UNKNOWN,
};

static const struct {
        const char *name;
        enum section sec;
        enum key_id id;
        bool list;
} known[] = {
        { "PrivateKey", SEC_INTERFACE, K_PRIVATE_KEY, false },
        { "Address", SEC_INTERFACE, K_ADDRESS, true },
        { "DNS", SEC_INTERFACE, K_DNS, true },
        { "MTU", SEC_INTERFACE, K_MTU, false },
        { "ListenPort", SEC_INTERFACE, K_LISTEN_PORT, false },
        { "FwMark", SEC_INTERFACE, K_FWMARK, false },
        { "PublicKey", SEC_PEER, K_PUBLIC_KEY, false },
        { "PresharedKey", SEC_PEER, K_PRESHARED_KEY, false },
        { "Endpoint", SEC_PEER, K_ENDPOINT, false },
        { "AllowedIPs", SEC_PEER, K_ALLOWED_IPS, true },
        { "PersistentKeepalive", SEC_PEER, K_KEEPALIVE, false },
};

/* What wg-quick does with these, and what netns-helper has instead. */
static const struct {
        const char *name;
        const char *instead;
} refused[] = {
        { "PreUp", "netns-helper never runs this file through a shell; put the commands in a hook "
                   "(ns/NAME-macvlan-preup, or ns/NAME-postup, run inside the namespace once it is up)" },
        { "PostUp", "netns-helper never runs this file through a shell; put the commands in the hook "
                    "ns/NAME-postup, run inside the namespace once the tunnel is up" },
        { "PreDown", "netns-helper never runs this file through a shell; put the commands in a hook "
                     "(ns/NAME-postup runs inside the namespace; what it makes goes with the namespace)" },
        { "PostDown", "netns-helper never runs this file through a shell; what the tunnel made goes with "
                      "the namespace; put other commands in a hook (ns/NAME-postup)" },
        { "Table", "netns-helper routes the namespace only through the tunnel itself (every AllowedIPs, and an "
                   "unreachable default for a family the file has no address of); remove the line, and put "
                   "other routes in the hook ns/NAME-postup" },
        { "SaveConfig", "netns-helper never writes the provider's file; remove the line" },
};

static const char interface_keys[] = "PrivateKey, Address, DNS, MTU, ListenPort, FwMark";
static const char peer_keys[] = "PublicKey, PresharedKey, Endpoint, AllowedIPs, PersistentKeepalive";

static int parse_key_line(struct parser *p, char *line)
{
        struct wg_conf *c = p->c;
        char *eq = strchr(line, '='), *key, *value, sh[64];
        size_t i, k = SIZE_MAX;
        unsigned long n;
        int r;

        if (!eq)
                return fail(p, NULL, "\"%s\": expected \"Key = Value\" or a [Section]", shown(line, sh, sizeof(sh)));
        *eq = '\0';
        key = trim(line);
        value = trim(eq + 1);
        if (!*key)
                return fail(p, NULL, "a line with no key before '='");
        for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
                if (strcasecmp(key, refused[i].name) == 0)
                        return fail(p, refused[i].name, "refused: %s", refused[i].instead);
        for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
                if (strcasecmp(key, known[i].name) == 0)
                        k = i;
        if (k == SIZE_MAX || (p->sec != SEC_NONE && known[k].sec != p->sec)) {
                if (p->sec == SEC_NONE)
                        return fail(p, shown(key, sh, sizeof(sh)), "a key before the first section; start the file with [Interface]");
                return fail(p, shown(key, sh, sizeof(sh)), "unknown key in [%s]; expected one of: %s",
                            p->sec == SEC_INTERFACE ? "Interface" : "Peer",
                            p->sec == SEC_INTERFACE ? interface_keys : peer_keys);
        }
        if (p->sec == SEC_NONE)
                return fail(p, known[k].name, "a key before the first section; start the file with [Interface]");
        key = (char *) known[k].name;
        if (!*value)
                return fail(p, key, "no value");
        if (!known[k].list) {
                if (p->seen[k])
                        return fail(p, key, "given twice in one section (first on line %u)", p->seen[k]);
                p->seen[k] = p->line;
        }

        switch (known[k].id) {
        case K_PRIVATE_KEY:
                if (wg_key_from_base64(value, c->private_key) < 0)
                        return fail(p, key, "not a key: expected 44 characters of base64 ending in '=', as \"wg genkey\" prints");
                c->has_private_key = true;
                c->has_secret = true;
                c->private_key_line = p->line;
                return 0;
        case K_ADDRESS:
                return for_words(p, key, value, word_address);
        case K_DNS:
                return for_words(p, key, value, word_dns);
        case K_MTU:
                r = parse_uint(value, 65535, &n);
                if (r < 0 || n < 1280)
                        return fail(p, key, "\"%s\": expected a number from 1280 to 65535", shown(value, sh, sizeof(sh)));
                c->mtu = (int) n;
                return 0;
        case K_LISTEN_PORT:
                if (parse_uint(value, 65535, &n) < 0)
                        return fail(p, key, "\"%s\": expected a port from 0 to 65535", shown(value, sh, sizeof(sh)));
                c->listen_port = (int) n;
                return 0;
        case K_FWMARK:
                if (strcasecmp(value, "off") == 0) {
                        c->fwmark = 0;
                        return 0;
                }
                if (strncasecmp(value, "0x", 2) == 0) {
                        char *end;
                        unsigned long long v;
                        errno = 0;
                        v = strtoull(value + 2, &end, 16);
                        if (errno || *end || end == value + 2 || v > UINT32_MAX)
                                return fail(p, key, "\"%s\": expected a 32-bit number or off", shown(value, sh, sizeof(sh)));
                        c->fwmark = (uint32_t) v;
                        return 0;
                }
                if (parse_uint(value, UINT32_MAX, &n) < 0)
                        return fail(p, key, "\"%s\": expected a 32-bit number or off", shown(value, sh, sizeof(sh)));
                c->fwmark = (uint32_t) n;
                return 0;
        case K_PUBLIC_KEY:
        case K_PRESHARED_KEY: {
                struct wg_peer *peer = &c->peers[c->n_peers - 1];
                bool pub = known[k].id == K_PUBLIC_KEY;
                if (wg_key_from_base64(value, pub ? peer->public_key : peer->psk) < 0)
                        return fail(p, key, "not a key: expected 44 characters of base64 ending in '='");
                if (pub) {
                        peer->has_public_key = true;
                        for (i = 0; i + 1 < c->n_peers; i++)
                                if (memcmp(c->peers[i].public_key, peer->public_key, WG_KEY_BYTES) == 0)
                                        return fail(p, key, "the same public key as the peer on line %u", c->peers[i].line);
                } else {
                        peer->has_psk = true;
                        c->has_secret = true;
                }
                return 0;
        }
        case K_ENDPOINT:
                return parse_endpoint(p, key, value, &c->peers[c->n_peers - 1]);
        case K_ALLOWED_IPS:
                return for_words(p, key, value, word_allowed);
        case K_KEEPALIVE:
                if (strcasecmp(value, "off") == 0) {
                        c->peers[c->n_peers - 1].keepalive = 0;
                        return 0;
                }
                if (parse_uint(value, 65535, &n) < 0)
                        return fail(p, key, "\"%s\": expected seconds from 0 to 65535, or off", shown(value, sh, sizeof(sh)));
                c->peers[c->n_peers - 1].keepalive = (int) n;
                return 0;
        default:
                return fail(p, key, "unknown key");
        }
}

static int end_section(struct parser *p)
{
        struct wg_peer *peer;

        if (p->sec != SEC_PEER)
                return 0;
        peer = &p->c->peers[p->c->n_peers - 1];
        if (!peer->has_public_key) {
                p->line = peer->line;
                return fail(p, "PublicKey", "this [Peer] has no PublicKey");
        }
        return 0;
}

static int parse_section(struct parser *p, char *line)
{
        char *close = strchr(line, ']'), *name, sh[64];
        int r;

        if (!close || *trim(close + 1))
                return fail(p, NULL, "\"%s\": expected [Interface] or [Peer]", shown(line, sh, sizeof(sh)));
        *close = '\0';
        name = trim(line + 1);
        r = end_section(p);
        if (r < 0)
                return r;
        memset(p->seen, 0, sizeof(p->seen));
        if (strcasecmp(name, "Interface") == 0) {
                if (p->c->has_interface)
                        return fail(p, NULL, "a second [Interface] section; a file describes one interface");
                p->c->has_interface = true;
                p->sec = SEC_INTERFACE;
                return 0;
        }
        if (strcasecmp(name, "Peer") == 0) {
                struct wg_peer *peer;
                if (p->c->n_peers >= WG_MAX_PEERS)
                        return fail(p, NULL, "too many [Peer] sections (at most %d)", WG_MAX_PEERS);
                peer = &p->c->peers[p->c->n_peers++];
                memset(peer, 0, sizeof(*peer));
                peer->line = p->line;
                peer->keepalive = -1;
                p->sec = SEC_PEER;
                return 0;
        }
        return fail(p, NULL, "unknown section [%s]; expected [Interface] or [Peer]", shown(name, sh, sizeof(sh)));
}

int wg_conf_parse(const char *buf, size_t len, wg_name_valid_fn name_valid,
                  struct wg_conf *c, struct wg_error *err)
{
        struct parser p = { .c = c, .err = err, .name_valid = name_valid, .sec = SEC_NONE };
        char line[LINE_MAX_BYTES + 1];
        size_t pos = 0;
        int r;

        memset(c, 0, sizeof(*c));
        memset(err, 0, sizeof(*err));
        c->listen_port = -1;
        if (len > WG_MAX_FILE)
                return fail(&p, NULL, "the file is larger than %d bytes; this is not a WireGuard configuration", WG_MAX_FILE);
        while (pos < len) {
                const char *nl = memchr(buf + pos, '\n', len - pos);
                size_t n = nl ? (size_t) (nl - (buf + pos)) : len - pos;
                char *s, *hash;

                p.line++;
                if (n > LINE_MAX_BYTES)
                        return fail(&p, NULL, "a line longer than %d bytes", LINE_MAX_BYTES);
                if (memchr(buf + pos, '\0', n))
                        return fail(&p, NULL, "a NUL byte; this is not a text file");
                memcpy(line, buf + pos, n);
                line[n] = '\0';
                pos += n + (nl ? 1 : 0);
                hash = strchr(line, '#');
                if (hash)
                        *hash = '\0';
                s = trim(line);
                if (!*s)
                        continue;
                r = s[0] == '[' ? parse_section(&p, s) : parse_key_line(&p, s);
                if (r < 0)
                        return r;
        }
        r = end_section(&p);
        if (r < 0)
                return r;
        p.line = 0;
        if (!c->has_interface)
                return fail(&p, NULL, "no [Interface] section");
        if (c->n_peers == 0)
                return fail(&p, NULL, "no [Peer] section: the tunnel needs a server to talk to");
        if (c->n_addrs == 0)
                return fail(&p, "Address", "[Interface] has no Address: the namespace needs its address in the tunnel");
        return 0;
}
