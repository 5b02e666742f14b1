/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dhcp4-packet.h"

#define WARN(...) do { if (warn) warn(userdata, __VA_ARGS__); } while (0)

static uint16_t get16(const uint8_t *p) { return (uint16_t) (p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p) { return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3]; }
static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v & 0xff; }
static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
/* An IPv4 address as it sits in the packet, kept in network byte order. */
static uint32_t getaddr(const uint8_t *p) { uint32_t a; memcpy(&a, p, 4); return a; }

char *dhcp4_escape(const uint8_t *s, size_t len, char *out, size_t n)
{
        size_t o = 0;

        if (n == 0)
                return out;
        for (size_t i = 0; i < len; i++) {
                uint8_t c = s[i];
                if (c >= 0x20 && c < 0x7f && c != '\\') {
                        if (o + 1 >= n)
                                break;
                        out[o++] = (char) c;
                } else {
                        if (o + 4 >= n)
                                break;
                        snprintf(out + o, n - o, "\\x%02x", c);
                        o += 4;
                }
        }
        out[o] = '\0';
        return out;
}

int dhcp4_name_valid(const char *name)
{
        size_t len, label = 0;

        if (!name)
                return 0;
        len = strlen(name);
        if (len == 0 || len > 254 || (len == 254 && name[253] != '.'))
                return 0;
        if (len == 1 && name[0] == '.')
                return 0;
        for (size_t i = 0; i < len; i++) {
                char c = name[i];
                if (c == '.') {
                        if (label == 0 || name[i - 1] == '-')
                                return 0;
                        label = 0;
                        continue;
                }
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '-'))
                        return 0;
                if (c == '-' && label == 0)
                        return 0;
                if (++label > 63)
                        return 0;
        }
        if (label > 0 && name[len - 1] == '-')
                return 0;
        /* Without the final dot a name has at most 253 bytes. */
        if (name[len - 1] != '.' && len > 253)
                return 0;
        return 1;
}

int dhcp4_netmask_to_prefixlen(uint32_t mask)
{
        uint32_t m = ntohl(mask);
        int n = __builtin_popcount(m);

        if (n != 0 && m != ~0u << (32 - n))
                return -1;
        return n;
}

uint32_t dhcp4_prefixlen_to_netmask(unsigned prefixlen)
{
        if (prefixlen == 0)
                return 0;
        if (prefixlen >= 32)
                return 0xffffffffu;
        return htonl(~0u << (32 - prefixlen));
}

/* RFC 1035 4.1.4 compression, as used by option 119 (RFC 3397 2: pointers
 * count from the start of the concatenated option data).  A pointer must
 * point strictly before the earliest byte read so far for this name, so
 * every jump goes further back and decoding always ends.  Reading one name
 * follows at most DHCP4_MAX_NAME_POINTERS pointers, and *budget bounds the
 * labels and pointers read for the whole option: without both, a chain of
 * 2-byte pointers, each to the one before, costs the square of the option's
 * length (issue 13: 260 us per 1.5 KB packet).  out receives the name, or an
 * escaped copy of it for the warning when it is invalid. */
static int decode_name(const uint8_t *data, size_t len, size_t *pos,
                       char out[DHCP4_NAME_MAX], bool *valid, unsigned *budget)
{
        uint8_t raw[DHCP4_NAME_MAX + 64];
        size_t p = *pos, o = 0, end = 0, low = *pos;
        bool jumped = false, ok = true;
        unsigned pointers = 0;

        for (;;) {
                uint8_t l;

                if (p >= len)
                        return -EBADMSG;
                if (*budget == 0)
                        return -E2BIG;
                (*budget)--;
                l = data[p];
                if ((l & 0xc0) == 0xc0) {
                        size_t target;

                        if (p + 1 >= len)
                                return -EBADMSG;
                        target = (size_t) (l & 0x3f) << 8 | data[p + 1];
                        if (target >= low)
                                return -EBADMSG;
                        if (!jumped)
                                end = p + 2;
                        jumped = true;
                        if (++pointers > DHCP4_MAX_NAME_POINTERS) {
                                /* Where the next name starts is known
                                 * (end): this one is dropped, not the rest. */
                                ok = false;
                                break;
                        }
                        p = low = target;
                        continue;
                }
                if (l & 0xc0)
                        return -EBADMSG;        /* 0x40/0x80: reserved label types */
                if (l == 0) {
                        if (!jumped)
                                end = p + 1;
                        break;
                }
                if (p + 1 + l > len)
                        return -EBADMSG;
                for (size_t i = 0; i < l; i++) {
                        uint8_t c = data[p + 1 + i];
                        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                              (c >= '0' && c <= '9') || c == '-'))
                                ok = false;
                }
                /* Too long names stay invalid but are still walked, to find
                 * where the next one starts. */
                if (o + l + 1 >= sizeof(raw) - 1)
                        ok = false;
                else {
                        if (o > 0)
                                raw[o++] = '.';
                        memcpy(raw + o, data + p + 1, l);
                        o += l;
                }
                p += 1 + l;
        }
        if (o == 0 || o > 253)
                ok = false;     /* the root alone is no search domain */
        if (ok) {
                memcpy(out, raw, o);
                out[o] = '\0';
        } else
                dhcp4_escape(raw, o, out, DHCP4_NAME_MAX);
        *valid = ok;
        *pos = end;
        return 0;
}

/* Labels and pointers read for one option 119: a valid option of 8 names
 * needs a few dozen; this leaves room for long lists of real names. */
#define SEARCH_BUDGET 4096

int dhcp4_decode_search(const uint8_t *data, size_t len,
                        char out[][DHCP4_NAME_MAX], size_t max, size_t *n,
                        dhcp4_warn_fn warn, void *userdata)
{
        unsigned budget = SEARCH_BUDGET, dropped = 0;
        char first[DHCP4_NAME_MAX] = "";
        size_t pos = 0;
        int r = 0;

        *n = 0;
        while (pos < len) {
                char name[DHCP4_NAME_MAX];
                bool valid;

                r = decode_name(data, len, &pos, name, &valid, &budget);
                if (r == -E2BIG) {
                        WARN("Ignoring the rest of the domain search option (119): too costly to decode at byte %zu",
                             pos);
                        break;
                }
                if (r < 0) {
                        WARN("Ignoring the rest of the domain search option (119): malformed at byte %zu", pos);
                        break;
                }
                if (!valid || !dhcp4_name_valid(name)) {
                        /* One warning per option, not one per name: the
                         * option can hold hundreds of 2-byte names. */
                        if (dropped++ == 0)
                                memcpy(first, name, sizeof(first));
                        continue;
                }
                if (*n >= max) {
                        WARN("Ignoring the search domains after the first %zu", max);
                        break;
                }
                memcpy(out[(*n)++], name, DHCP4_NAME_MAX);
        }
        if (dropped == 1)
                WARN("Ignoring invalid search domain '%s' from the server", first);
        else if (dropped > 1)
                WARN("Ignoring %u invalid search domains from the server, the first '%s'", dropped, first);
        return r == -E2BIG ? -EBADMSG : r;
}

/* RFC 3442: width, the significant octets of the destination, the router. */
int dhcp4_decode_routes(const uint8_t *data, size_t len,
                        struct dhcp4_route *out, size_t max, size_t *n)
{
        size_t pos = 0;

        *n = 0;
        while (pos < len) {
                uint8_t width = data[pos], octets;
                uint8_t dst[4] = {};
                uint32_t d;

                if (width > 32)
                        return -EBADMSG;
                octets = (uint8_t) ((width + 7) / 8);
                if (pos + 1 + octets + 4 > len)
                        return -EBADMSG;
                memcpy(dst, data + pos + 1, octets);
                memcpy(&d, dst, 4);
                if (*n < max) {
                        out[*n].prefixlen = width;
                        out[*n].dst = d & dhcp4_prefixlen_to_netmask(width);
                        out[*n].gw = getaddr(data + pos + 1 + octets);
                        (*n)++;
                }
                pos += 1 + octets + 4;
        }
        return 0;
}

struct optseg {
        uint8_t code, len;
        uint16_t off;
};

#define MAX_SEGS 800

struct optscan {
        const uint8_t *buf;
        struct optseg segs[MAX_SEGS];
        size_t n;
};

static int scan_area(struct optscan *s, size_t start, size_t end, bool *found_end)
{
        size_t p = start;

        while (p < end) {
                uint8_t code = s->buf[p];

                if (code == DHCP4_OPT_PAD) {
                        p++;
                        continue;
                }
                if (code == DHCP4_OPT_END) {
                        if (found_end)
                                *found_end = true;
                        return 0;
                }
                if (p + 2 > end || p + 2 + s->buf[p + 1] > end)
                        return -EBADMSG;
                if (s->n >= MAX_SEGS)
                        return -EBADMSG;
                s->segs[s->n++] = (struct optseg) { code, s->buf[p + 1], (uint16_t) (p + 2) };
                p += 2 + s->buf[p + 1];
        }
        return 0;
}

/* RFC 3396: all instances of an option are concatenated in order. */
static int get_option(const struct optscan *s, uint8_t code, uint8_t *out, size_t size)
{
        size_t len = 0;
        bool found = false;

        for (size_t i = 0; i < s->n; i++) {
                if (s->segs[i].code != code)
                        continue;
                found = true;
                if (len + s->segs[i].len > size)
                        return -ENOBUFS;
                memcpy(out + len, s->buf + s->segs[i].off, s->segs[i].len);
                len += s->segs[i].len;
        }
        return found ? (int) len : -ENOENT;
}

static bool get_u32(const struct optscan *s, uint8_t code, uint32_t *ret, const char *what,
                    dhcp4_warn_fn warn, void *userdata)
{
        uint8_t b[DHCP4_OPTBUF];
        int l = get_option(s, code, b, sizeof(b));

        if (l == -ENOENT)
                return false;
        if (l != 4) {
                WARN("Ignoring option %u (%s): length %d, expected 4", code, what, l);
                return false;
        }
        *ret = get32(b);
        return true;
}

static bool get_addr(const struct optscan *s, uint8_t code, uint32_t *ret, const char *what,
                     dhcp4_warn_fn warn, void *userdata)
{
        uint32_t v;

        if (!get_u32(s, code, &v, what, warn, userdata))
                return false;
        *ret = htonl(v);
        return true;
}

static size_t get_addrs(const struct optscan *s, uint8_t code, uint32_t *ret, size_t max,
                        const char *what, dhcp4_warn_fn warn, void *userdata)
{
        uint8_t b[DHCP4_OPTBUF];
        int l = get_option(s, code, b, sizeof(b));
        size_t n = 0;

        if (l == -ENOENT)
                return 0;
        if (l <= 0 || l % 4 != 0) {
                WARN("Ignoring option %u (%s): length %d is not a multiple of 4", code, what, l);
                return 0;
        }
        for (int i = 0; i < l && n < max; i += 4)
                ret[n++] = getaddr(b + i);
        return n;
}

int dhcp4_parse_header(const uint8_t *buf, size_t len, struct dhcp4_message *m)
{
        memset(m, 0, sizeof(*m));
        if (!buf || len < DHCP4_OPTIONS_OFFSET)
                return -EBADMSG;
        if (len > DHCP4_OPTBUF)
                return -EBADMSG;
        if (get32(buf + 236) != DHCP4_COOKIE)
                return -EBADMSG;
        /* htype Ethernet, hlen 6: we only run on Ethernet-like links. */
        if (buf[1] != 1 || buf[2] != 6)
                return -EBADMSG;

        m->op = buf[0];
        m->xid = get32(buf + 4);
        m->secs = get16(buf + 8);
        m->flags = get16(buf + 10);
        m->ciaddr = getaddr(buf + 12);
        m->yiaddr = getaddr(buf + 16);
        m->siaddr = getaddr(buf + 20);
        m->giaddr = getaddr(buf + 24);
        memcpy(m->chaddr, buf + 28, 16);
        return 0;
}

int dhcp4_parse(const uint8_t *buf, size_t len, struct dhcp4_message *m,
                dhcp4_warn_fn warn, void *userdata)
{
        static struct optscan s_static;         /* 3 KiB: keep it off small stacks */
        struct optscan *s = &s_static;
        struct dhcp4_lease *l = &m->lease;
        uint8_t b[DHCP4_OPTBUF];
        uint32_t v;
        bool found_end = false;
        int r, ol;

        r = dhcp4_parse_header(buf, len, m);
        if (r < 0)
                return r;

        s->buf = buf;
        s->n = 0;
        r = scan_area(s, DHCP4_OPTIONS_OFFSET, len, &found_end);
        if (r < 0)
                return r;

        /* RFC 2131 4.1 / RFC 2132 9.3: option overload moves options into
         * the file (1), sname (2) or both (3) fields, read in that order. */
        ol = get_option(s, 52, b, sizeof(b));
        if (ol >= 0) {
                if (ol != 1 || b[0] < 1 || b[0] > 3)
                        return -EBADMSG;
                if (b[0] & 1) {
                        r = scan_area(s, 108, 108 + 128, NULL);
                        if (r < 0)
                                return r;
                }
                if (b[0] & 2) {
                        r = scan_area(s, 44, 44 + 64, NULL);
                        if (r < 0)
                                return r;
                }
        }

        ol = get_option(s, DHCP4_OPT_MESSAGE_TYPE, b, sizeof(b));
        if (ol >= 0) {
                if (ol != 1)
                        return -EBADMSG;
                m->type = b[0];
        }

        ol = get_option(s, DHCP4_OPT_MESSAGE, b, sizeof(b));
        if (ol > 0)
                dhcp4_escape(b, (size_t) ol, m->message, sizeof(m->message));
        /* RFC 4039 4: option 80 has no data. */
        m->rapid_commit = get_option(s, DHCP4_OPT_RAPID_COMMIT, b, sizeof(b)) == 0;
        m->have_v6only = get_u32(s, DHCP4_OPT_IPV6_ONLY, &m->v6only_wait, "IPv6-only preferred", warn, userdata);

        l->address = m->yiaddr;
        get_addr(s, DHCP4_OPT_SERVER_ID, &l->server_id, "server identifier", warn, userdata);
        if (get_addr(s, DHCP4_OPT_SUBNET_MASK, &v, "subnet mask", warn, userdata)) {
                int p = dhcp4_netmask_to_prefixlen(v);
                if (p < 0 || p == 0)
                        WARN("Ignoring non-contiguous or empty subnet mask");
                else {
                        l->prefixlen = (uint8_t) p;
                        l->have_netmask = true;
                }
        }
        get_addr(s, DHCP4_OPT_BROADCAST, &l->broadcast, "broadcast address", warn, userdata);
        get_u32(s, DHCP4_OPT_LEASE_TIME, &l->lease_time, "lease time", warn, userdata);
        get_u32(s, DHCP4_OPT_T1, &l->t1, "renewal time", warn, userdata);
        get_u32(s, DHCP4_OPT_T2, &l->t2, "rebinding time", warn, userdata);

        ol = get_option(s, DHCP4_OPT_MTU, b, sizeof(b));
        if (ol >= 0) {
                /* RFC 2132 5.1: the minimum legal value is 68. */
                if (ol != 2 || get16(b) < 68)
                        WARN("Ignoring invalid interface MTU option (26)");
                else
                        l->mtu = get16(b);
        }

        l->n_routers = get_addrs(s, DHCP4_OPT_ROUTER, l->routers, DHCP4_MAX_ROUTERS,
                                 "router", warn, userdata);
        l->n_dns = get_addrs(s, DHCP4_OPT_DNS, l->dns, DHCP4_MAX_DNS,
                             "domain name servers", warn, userdata);

        ol = get_option(s, DHCP4_OPT_CLASSLESS_ROUTES, b, sizeof(b));
        if (ol >= 0) {
                if (dhcp4_decode_routes(b, (size_t) ol, l->routes, DHCP4_MAX_ROUTES, &l->n_routes) < 0 ||
                    ol == 0) {
                        WARN("Ignoring malformed classless static routes option (121)");
                        l->n_routes = 0;
                } else
                        l->have_classless = true;
        }

        ol = get_option(s, DHCP4_OPT_DOMAIN_NAME, b, sizeof(b));
        if (ol >= 0) {
                char esc[DHCP4_NAME_MAX * 4];
                size_t n = (size_t) ol;

                /* Many servers send a terminating NUL (RFC 2132 3.17 says
                 * not to); anything else that is not a name is dropped. */
                while (n > 0 && b[n - 1] == 0)
                        n--;
                if (n > 0 && n < DHCP4_NAME_MAX && !memchr(b, 0, n)) {
                        memcpy(l->domain, b, n);
                        l->domain[n] = '\0';
                }
                if (!dhcp4_name_valid(l->domain)) {
                        WARN("Ignoring invalid domain name '%s' from the server",
                             dhcp4_escape(b, (size_t) ol, esc, sizeof(esc)));
                        l->domain[0] = '\0';
                }
        }

        ol = get_option(s, DHCP4_OPT_DOMAIN_SEARCH, b, sizeof(b));
        if (ol > 0)
                (void) dhcp4_decode_search(b, (size_t) ol, l->search, DHCP4_MAX_SEARCH,
                                           &l->n_search, warn, userdata);
        return 0;
}

static int put_opt(uint8_t *buf, size_t size, size_t *pos, uint8_t code,
                   const void *data, size_t len)
{
        /* Longer values would need RFC 3396 splitting; nothing we send is. */
        if (len > 255 || *pos + 2 + len + 1 > size)
                return -ENOBUFS;
        buf[(*pos)++] = code;
        buf[(*pos)++] = (uint8_t) len;
        if (len > 0)
                memcpy(buf + *pos, data, len);
        *pos += len;
        return 0;
}

int dhcp4_build(const struct dhcp4_request *q, uint8_t *buf, size_t size)
{
        size_t pos = DHCP4_OPTIONS_OFFSET;
        uint8_t t = (uint8_t) q->type;
        int r;

        if (size < DHCP4_MIN_MESSAGE || q->type < DHCP4_DISCOVER || q->type > DHCP4_INFORM)
                return -EINVAL;
        memset(buf, 0, size);
        buf[0] = DHCP4_BOOTREQUEST;
        buf[1] = 1;             /* Ethernet */
        buf[2] = 6;
        put32(buf + 4, q->xid);
        put16(buf + 8, q->secs);
        /* RFC 2131 4.1: set BROADCAST only when we cannot receive unicast
         * before configuring the address; the packet socket can. */
        put16(buf + 10, q->broadcast_flag ? 0x8000 : 0);
        memcpy(buf + 12, &q->ciaddr, 4);
        memcpy(buf + 28, q->mac, 6);
        put32(buf + 236, DHCP4_COOKIE);

        r = put_opt(buf, size, &pos, DHCP4_OPT_MESSAGE_TYPE, &t, 1);
        if (r >= 0 && q->client_id_len > 0)
                r = put_opt(buf, size, &pos, DHCP4_OPT_CLIENT_ID, q->client_id, q->client_id_len);
        if (r >= 0 && q->requested_ip)
                r = put_opt(buf, size, &pos, DHCP4_OPT_REQUESTED_IP, &q->requested_ip, 4);
        if (r >= 0 && q->server_id)
                r = put_opt(buf, size, &pos, DHCP4_OPT_SERVER_ID, &q->server_id, 4);
        if (r >= 0 && q->rapid_commit && q->type == DHCP4_DISCOVER)
                r = put_opt(buf, size, &pos, DHCP4_OPT_RAPID_COMMIT, NULL, 0);
        if (r >= 0 && q->max_message_size && q->type != DHCP4_RELEASE && q->type != DHCP4_DECLINE) {
                uint8_t mms[2];
                put16(mms, q->max_message_size);
                r = put_opt(buf, size, &pos, DHCP4_OPT_MAX_MESSAGE_SIZE, mms, 2);
        }
        /* RFC 2131 table 5: DHCPDECLINE and DHCPRELEASE carry no more. */
        if (r >= 0 && q->hostname && q->type != DHCP4_RELEASE && q->type != DHCP4_DECLINE)
                r = put_opt(buf, size, &pos, DHCP4_OPT_HOSTNAME, q->hostname, strlen(q->hostname));
        if (r >= 0 && q->vendor_class && q->type != DHCP4_RELEASE && q->type != DHCP4_DECLINE)
                r = put_opt(buf, size, &pos, DHCP4_OPT_VENDOR_CLASS, q->vendor_class, strlen(q->vendor_class));
        if (r >= 0 && q->prl_len > 0 && q->type != DHCP4_RELEASE && q->type != DHCP4_DECLINE)
                r = put_opt(buf, size, &pos, DHCP4_OPT_PRL, q->prl, q->prl_len);
        if (r < 0)
                return r;
        buf[pos++] = DHCP4_OPT_END;
        if (pos < DHCP4_MIN_BOOTP_LEN)
                pos = DHCP4_MIN_BOOTP_LEN;
        return (int) pos;
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
        for (size_t i = 0; i + 1 < len; i += 2)
                sum += (uint32_t) (p[i] << 8 | p[i + 1]);
        if (len & 1)
                sum += (uint32_t) p[len - 1] << 8;
        return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
        while (sum >> 16)
                sum = (sum & 0xffff) + (sum >> 16);
        return (uint16_t) ~sum;
}

uint16_t dhcp4_ip_checksum(const void *data, size_t len)
{
        return csum_fold(csum_add(0, data, len));
}

static uint16_t udp_checksum(const uint8_t *ip, const uint8_t *udp, size_t udp_len)
{
        uint8_t pseudo[12];
        uint32_t sum;

        memcpy(pseudo, ip + 12, 8);
        pseudo[8] = 0;
        pseudo[9] = 17;
        put16(pseudo + 10, (uint16_t) udp_len);
        sum = csum_add(0, pseudo, sizeof(pseudo));
        sum = csum_add(sum, udp, udp_len);
        return csum_fold(sum);
}

size_t dhcp4_frame_udp(uint8_t *buf, size_t payload_len,
                       uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport)
{
        uint8_t *ip = buf, *udp = buf + 20;
        uint16_t c;

        memset(buf, 0, 28);
        ip[0] = 0x45;
        ip[1] = 0x10;           /* IPTOS_LOWDELAY, as BOOTP clients do */
        put16(ip + 2, (uint16_t) (28 + payload_len));
        ip[8] = 64;
        ip[9] = 17;
        memcpy(ip + 12, &src, 4);
        memcpy(ip + 16, &dst, 4);
        put16(ip + 10, dhcp4_ip_checksum(ip, 20));

        put16(udp, sport);
        put16(udp + 2, dport);
        put16(udp + 4, (uint16_t) (8 + payload_len));
        c = udp_checksum(ip, udp, 8 + payload_len);
        put16(udp + 6, c ? c : 0xffff);
        return 28 + payload_len;
}

int dhcp4_unframe_udp(const uint8_t *buf, size_t len, bool csum_not_ready, uint16_t dport,
                      const uint8_t **payload, size_t *payload_len, uint32_t *src)
{
        size_t ihl, total, ulen;
        const uint8_t *udp;

        if (len < 28 || (buf[0] >> 4) != 4)
                return -EBADMSG;
        ihl = (size_t) (buf[0] & 0x0f) * 4;
        total = get16(buf + 2);
        if (ihl < 20 || total < ihl + 8 || total > len)
                return -EBADMSG;
        if (buf[9] != 17)
                return -EBADMSG;
        /* Fragments: DHCP messages we accept fit in one datagram. */
        if (get16(buf + 6) & 0x3fff)
                return -EBADMSG;
        if (dhcp4_ip_checksum(buf, ihl) != 0)
                return -EBADMSG;
        udp = buf + ihl;
        ulen = get16(udp + 4);
        if (ulen < 8 || ulen > total - ihl)
                return -EBADMSG;
        if (get16(udp + 2) != dport)
                return -EBADMSG;
        if (get16(udp + 6) != 0 && udp_checksum(buf, udp, ulen) != 0 && !csum_not_ready)
                return -EPROTO;
        if (src)
                memcpy(src, buf + 12, 4);
        *payload = udp + 8;
        *payload_len = ulen - 8;
        return 0;
}

const char *dhcp4_type_to_string(int type)
{
        static const char *const names[] = {
                [DHCP4_DISCOVER] = "DHCPDISCOVER", [DHCP4_OFFER] = "DHCPOFFER",
                [DHCP4_REQUEST] = "DHCPREQUEST", [DHCP4_DECLINE] = "DHCPDECLINE",
                [DHCP4_ACK] = "DHCPACK", [DHCP4_NAK] = "DHCPNAK",
                [DHCP4_RELEASE] = "DHCPRELEASE", [DHCP4_INFORM] = "DHCPINFORM",
        };
        if (type <= 0 || type >= (int) (sizeof(names) / sizeof(names[0])))
                return "BOOTP";
        return names[type];
}

static const struct { const char *name; int code; } option_names[] = {
        { "subnet-mask", 1 }, { "time-offset", 2 }, { "router", 3 }, { "routers", 3 },
        { "dns", 6 }, { "domain-name-servers", 6 }, { "host-name", 12 }, { "hostname", 12 },
        { "domain-name", 15 }, { "mtu", 26 }, { "interface-mtu", 26 },
        { "broadcast-address", 28 }, { "static-routes", 33 }, { "ntp-servers", 42 },
        { "ntp", 42 }, { "lease-time", 51 }, { "renewal-time", 58 }, { "rebinding-time", 59 },
        { "domain-search", 119 }, { "classless-static-routes", 121 },
};

int dhcp4_option_from_string(const char *s)
{
        char *end;
        unsigned long v;

        if (!s || !*s)
                return -1;
        for (size_t i = 0; i < sizeof(option_names) / sizeof(option_names[0]); i++)
                if (strcasecmp(s, option_names[i].name) == 0)
                        return option_names[i].code;
        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || *end || v < 1 || v > 254 || s[0] == '-' || s[0] == '+')
                return -1;
        return (int) v;
}

static bool in_net(uint32_t a, uint32_t net, unsigned prefixlen)
{
        uint32_t m = dhcp4_prefixlen_to_netmask(prefixlen);
        return (a & m) == (net & m);
}

static bool unicast(uint32_t a)
{
        uint32_t h = ntohl(a);
        return (h >> 24) != 0 && (h >> 24) != 127 && h < 0xe0000000u;
}

size_t dhcp4_lease_routes(const struct dhcp4_lease *l, struct dhcp4_route *out,
                          dhcp4_warn_fn warn, void *userdata)
{
        struct dhcp4_route want[DHCP4_MAX_ROUTES];
        size_t n_want = 0, n = 0;
        char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];

        if (l->have_classless) {
                for (size_t i = 0; i < l->n_routes && i < DHCP4_MAX_ROUTES; i++) {
                        const struct dhcp4_route *r = &l->routes[i];
                        /* A prefix inside 127/8 or 224/4 (not one that
                         * merely covers it, like the default route). */
                        bool bad_dst = (r->prefixlen >= 8 && in_net(r->dst, htonl(0x7f000000u), 8)) ||
                                       (r->prefixlen >= 4 && in_net(r->dst, htonl(0xe0000000u), 4));
                        if (bad_dst || (r->gw != 0 && !unicast(r->gw))) {
                                WARN("Ignoring the classless route to %s/%u via %s (option 121): %s",
                                     inet_ntop(AF_INET, &r->dst, a, sizeof(a)), r->prefixlen,
                                     inet_ntop(AF_INET, &r->gw, g, sizeof(g)),
                                     bad_dst ? "loopback or multicast destination" : "not a unicast gateway");
                                continue;
                        }
                        want[n_want++] = *r;
                }
        } else if (l->n_routers > 0 && unicast(l->routers[0]))
                want[n_want++] = (struct dhcp4_route) { .dst = 0, .prefixlen = 0, .gw = l->routers[0] };

        /* On-link routes of the lease first, then host routes to gateways
         * the subnet does not reach, then the routes through gateways. */
        for (size_t i = 0; i < n_want; i++)
                if (want[i].gw == 0)
                        out[n++] = want[i];
        for (size_t i = 0; i < n_want; i++) {
                uint32_t gw = want[i].gw;
                bool reached = gw == 0 || (l->prefixlen < 32 && in_net(gw, l->address, l->prefixlen));

                for (size_t j = 0; j < n && !reached; j++)
                        reached = out[j].gw == 0 && in_net(gw, out[j].dst, out[j].prefixlen);
                if (!reached)
                        out[n++] = (struct dhcp4_route) { .dst = gw, .prefixlen = 32, .gw = 0 };
        }
        for (size_t i = 0; i < n_want; i++)
                if (want[i].gw != 0)
                        out[n++] = want[i];
        return n;
}

size_t dhcp4_arp_build(uint8_t *buf, const uint8_t mac[6], uint32_t spa, uint32_t tpa)
{
        memset(buf, 0, DHCP4_ARP_LEN);
        put16(buf, 1);                  /* Ethernet */
        put16(buf + 2, 0x0800);         /* IPv4 */
        buf[4] = 6;
        buf[5] = 4;
        put16(buf + 6, 1);              /* request */
        memcpy(buf + 8, mac, 6);
        memcpy(buf + 14, &spa, 4);
        /* target hardware address: zero (RFC 5227 2.1.1) */
        memcpy(buf + 24, &tpa, 4);
        return DHCP4_ARP_LEN;
}

int dhcp4_arp_parse(const uint8_t *buf, size_t len, uint8_t sha[6], uint32_t *spa, uint32_t *tpa)
{
        if (len < DHCP4_ARP_LEN || get16(buf) != 1 || get16(buf + 2) != 0x0800 || buf[4] != 6 ||
            buf[5] != 4 || (get16(buf + 6) != 1 && get16(buf + 6) != 2))
                return -EBADMSG;
        memcpy(sha, buf + 8, 6);
        memcpy(spa, buf + 14, 4);
        memcpy(tpa, buf + 24, 4);
        return 0;
}
