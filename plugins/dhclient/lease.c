/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <netns-helper/sdk.h>

#include "lease.h"

__attribute__((format(printf, 3, 4)))
static void warnf(dhc_warn_fn warn, void *data, const char *fmt, ...)
{
        char buf[256];
        va_list ap;

        if (!warn)
                return;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        warn(data, buf);
}

/* How a value from the network is shown in a warning: printable ASCII
 * only, bounded, so it can neither forge a log line nor flood it. */
static const char *shown(const char *s, char *buf, size_t size)
{
        size_t j = 0;

        for (size_t i = 0; s[i] && j + 5 < size; i++) {
                unsigned char c = (unsigned char) s[i];
                if (c >= 0x20 && c < 0x7f && c != '\\')
                        buf[j++] = (char) c;
                else
                        j += (size_t) snprintf(buf + j, size - j, "\\x%02x", c);
                if (i >= 63) {
                        j += (size_t) snprintf(buf + j, size - j, "...");
                        break;
                }
        }
        buf[j < size ? j : size - 1] = '\0';
        return buf;
}

bool dhc_name_valid(const char *name)
{
        size_t len, label = 0;

        if (!name)
                return false;
        len = strlen(name);
        if (len == 0 || len > 254 || (len == 254 && name[253] != '.'))
                return false;
        if (len == 1 && name[0] == '.')
                return false;
        for (size_t i = 0; i < len; i++) {
                char c = name[i];
                if (c == '.') {
                        if (label == 0 || name[i - 1] == '-')
                                return false;
                        label = 0;
                        continue;
                }
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '-'))
                        return false;
                if (c == '-' && label == 0)
                        return false;
                if (++label > 63)
                        return false;
        }
        return label == 0 || name[len - 1] != '-';
}

int dhc_addr_parse(int family, const char *s, struct dhc_addr *ret)
{
        struct dhc_addr a = { .family = family };

        if (!s || strlen(s) >= INET6_ADDRSTRLEN)
                return -EINVAL;
        if (inet_pton(family, s, a.bytes) != 1)
                return -EINVAL;
        a.prefixlen = family == AF_INET ? 32 : 128;
        *ret = a;
        return 0;
}

const char *dhc_addr_str(const struct dhc_addr *a, char *buf, size_t size)
{
        if (!a->family || !inet_ntop(a->family, a->bytes, buf, (socklen_t) size))
                snprintf(buf, size, "?");
        return buf;
}

bool dhc_addr_same_subnet(const struct dhc_addr *net, const struct dhc_addr *a)
{
        unsigned bits = net->prefixlen;

        if (net->family != a->family)
                return false;
        for (unsigned i = 0; bits > 0; i++, bits = bits > 8 ? bits - 8 : 0) {
                uint8_t mask = bits >= 8 ? 0xff : (uint8_t) (0xff << (8 - bits));
                if ((net->bytes[i] & mask) != (a->bytes[i] & mask))
                        return false;
        }
        return true;
}

/* Strict unsigned decimal: digits only, no sign, no blanks, <= max. */
static int parse_u32(const char *s, uint32_t max, uint32_t *ret)
{
        uint64_t v = 0;

        if (!s || !*s || strlen(s) > 10)
                return -EINVAL;
        for (const char *p = s; *p; p++) {
                if (*p < '0' || *p > '9')
                        return -EINVAL;
                v = v * 10 + (uint64_t) (*p - '0');
        }
        if (v > max)
                return -ERANGE;
        *ret = (uint32_t) v;
        return 0;
}

static int parse_i64(const char *s, int64_t *ret)
{
        int64_t v = 0;

        if (!s || !*s || strlen(s) > 18)
                return -EINVAL;
        for (const char *p = s; *p; p++) {
                if (*p < '0' || *p > '9')
                        return -EINVAL;
                v = v * 10 + (*p - '0');
        }
        *ret = v;
        return 0;
}

static int mask_to_prefixlen(const struct dhc_addr *mask, unsigned *ret)
{
        uint32_t m;
        unsigned n = 0;

        memcpy(&m, mask->bytes, 4);
        m = ntohl(m);
        while (n < 32 && (m & (UINT32_C(1) << (31 - n))))
                n++;
        /* Contiguous ones only (RFC 950's non-contiguous masks are gone),
         * and not 0.0.0.0, which would put every address on-link. */
        if (n == 0 || (n < 32 && (m & ((UINT32_C(1) << (32 - n)) - 1))))
                return -EINVAL;
        *ret = n;
        return 0;
}

/* Splits a space-separated value into at most max tokens of at most
 * tokmax-1 bytes; calls fn on each.  Too long tokens are passed truncated
 * to fn as invalid (NULL). */
typedef void (*token_fn)(const char *tok, void *data);

static void each_token(const char *s, token_fn fn, void *data)
{
        char tok[DHC_NAME_MAX + 2];

        while (s && *s) {
                size_t n;
                while (*s == ' ' || *s == '\t')
                        s++;
                if (!*s)
                        break;
                n = strcspn(s, " \t");
                if (n >= sizeof tok) {
                        fn(NULL, data);
                } else {
                        memcpy(tok, s, n);
                        tok[n] = '\0';
                        fn(tok, data);
                }
                s += n;
        }
}

struct list_ctx {
        struct dhc_lease *l;
        dhc_warn_fn warn;
        void *warn_data;
        const char *what;
        int family;
};

static void add_server(const char *tok, void *data)
{
        struct list_ctx *c = data;
        struct dhc_addr a;
        char b[300];

        if (!tok || dhc_addr_parse(c->family, tok, &a) < 0) {
                warnf(c->warn, c->warn_data, "Ignoring invalid %s entry '%s'", c->what,
                      tok ? shown(tok, b, sizeof b) : "(too long)");
                return;
        }
        if (c->l->n_servers >= DHC_MAX_SERVERS) {
                warnf(c->warn, c->warn_data, "Ignoring %s entries beyond %d", c->what, DHC_MAX_SERVERS);
                return;
        }
        for (size_t i = 0; i < c->l->n_servers; i++)
                if (strcmp(c->l->servers[i], dhc_addr_str(&a, b, sizeof b)) == 0)
                        return;
        dhc_addr_str(&a, c->l->servers[c->l->n_servers++], INET6_ADDRSTRLEN);
}

static void add_search(const char *tok, void *data)
{
        struct list_ctx *c = data;
        char b[300];
        size_t n;

        if (!tok || !dhc_name_valid(tok)) {
                warnf(c->warn, c->warn_data, "Ignoring invalid %s entry '%s'", c->what,
                      tok ? shown(tok, b, sizeof b) : "(too long)");
                return;
        }
        if (c->l->n_search >= DHC_MAX_SEARCH) {
                warnf(c->warn, c->warn_data, "Ignoring %s entries beyond %d", c->what, DHC_MAX_SEARCH);
                return;
        }
        /* dhclient prints option 119 names with their final dot. */
        n = strlen(tok);
        if (n > 1 && tok[n - 1] == '.')
                n--;
        for (size_t i = 0; i < c->l->n_search; i++)
                if (strlen(c->l->search[i]) == n && strncasecmp(c->l->search[i], tok, n) == 0)
                        return;
        memcpy(c->l->search[c->l->n_search], tok, n);
        c->l->search[c->l->n_search][n] = '\0';
        c->l->n_search++;
}

static void add_router(const char *tok, void *data)
{
        struct list_ctx *c = data;
        struct dhc_addr a;
        char b[300];

        if (!tok || dhc_addr_parse(AF_INET, tok, &a) < 0) {
                warnf(c->warn, c->warn_data, "Ignoring invalid router '%s'",
                      tok ? shown(tok, b, sizeof b) : "(too long)");
                return;
        }
        if (c->l->n_routers >= DHC_MAX_ROUTERS)
                return;
        c->l->routers[c->l->n_routers++] = a;
}

/* RFC 3442 section 2: a list of (width, significant octets of the
 * destination, router) as dhclient prints an "array of unsigned integer
 * 8": decimal bytes separated by spaces (or commas). */
static int parse_rfc3442(const char *s, struct dhc_lease *l)
{
        uint8_t b[256];
        size_t n = 0, i = 0;

        while (*s) {
                uint32_t v;
                char tok[4];
                size_t k;

                while (*s == ' ' || *s == ',')
                        s++;
                if (!*s)
                        break;
                k = strcspn(s, " ,");
                if (k >= sizeof tok || n >= sizeof b)
                        return -EINVAL;
                memcpy(tok, s, k);
                tok[k] = '\0';
                if (parse_u32(tok, 255, &v) < 0)
                        return -EINVAL;
                b[n++] = (uint8_t) v;
                s += k;
        }
        if (n == 0)
                return -EINVAL;
        l->n_routes = 0;
        while (i < n) {
                struct dhc_route r = { .dst.family = AF_INET, .gw.family = AF_INET };
                unsigned width = b[i++], octets = (width + 7) / 8;

                if (width > 32 || i + octets + 4 > n)
                        return -EINVAL;
                memcpy(r.dst.bytes, b + i, octets);
                r.dst.prefixlen = width;
                i += octets;
                memcpy(r.gw.bytes, b + i, 4);
                i += 4;
                /* A router of 0.0.0.0 means the destination is on-link. */
                if (!memcmp(r.gw.bytes, "\0\0\0\0", 4))
                        r.gw.family = 0;
                if (l->n_routes >= DHC_MAX_ROUTES)
                        return -E2BIG;
                l->routes[l->n_routes++] = r;
        }
        return 0;
}

static const struct {
        const char *name;
        int family;
        enum dhc_action action;
} reasons[] = {
        { "PREINIT",  AF_INET,  DHC_ACT_PREINIT },
        { "BOUND",    AF_INET,  DHC_ACT_BIND },
        { "RENEW",    AF_INET,  DHC_ACT_BIND },
        { "REBIND",   AF_INET,  DHC_ACT_BIND },
        { "REBOOT",   AF_INET,  DHC_ACT_BIND },
        { "EXPIRE",   AF_INET,  DHC_ACT_UNBIND },
        { "FAIL",     AF_INET,  DHC_ACT_UNBIND },
        { "RELEASE",  AF_INET,  DHC_ACT_UNBIND },
        { "STOP",     AF_INET,  DHC_ACT_UNBIND },
        { "TIMEOUT",  AF_INET,  DHC_ACT_TIMEOUT },
        { "MEDIUM",   AF_INET,  DHC_ACT_NONE },
        { "ARPCHECK", AF_INET,  DHC_ACT_NONE },
        { "ARPSEND",  AF_INET,  DHC_ACT_NONE },
        { "NBI",      AF_INET,  DHC_ACT_NONE },
        { "PREINIT6", AF_INET6, DHC_ACT_PREINIT },
        { "BOUND6",   AF_INET6, DHC_ACT_BIND },
        { "RENEW6",   AF_INET6, DHC_ACT_BIND },
        { "REBIND6",  AF_INET6, DHC_ACT_BIND },
        { "REBOOT6",  AF_INET6, DHC_ACT_BIND },
        { "DEPREF6",  AF_INET6, DHC_ACT_NONE },
        { "EXPIRE6",  AF_INET6, DHC_ACT_UNBIND },
        { "RELEASE6", AF_INET6, DHC_ACT_UNBIND },
        { "STOP6",    AF_INET6, DHC_ACT_UNBIND },
        { "FAIL",     AF_INET6, DHC_ACT_UNBIND },
};

/* An address with its prefix length: IPv4 from *_ip_address and
 * *_subnet_mask, IPv6 from *_ip6_address and *_ip6_prefixlen. */
static int parse_address_into(int family, const char *prefix, dhc_get_fn get, void *gd,
                              dhc_warn_fn warn, void *wd, struct dhc_addr *ret);

/* Leaves *out untouched unless the address is valid. */
static int parse_address(int family, const char *prefix, dhc_get_fn get, void *gd,
                         dhc_warn_fn warn, void *wd, struct dhc_addr *out)
{
        struct dhc_addr a = { 0 };
        int r = parse_address_into(family, prefix, get, gd, warn, wd, &a);

        if (r > 0)
                *out = a;
        return r;
}

static int parse_address_into(int family, const char *prefix, dhc_get_fn get, void *gd,
                              dhc_warn_fn warn, void *wd, struct dhc_addr *ret)
{
        char key[64], b[300];
        const char *v;

        snprintf(key, sizeof key, "%s_%s", prefix, family == AF_INET ? "ip_address" : "ip6_address");
        v = get(gd, key);
        if (!v || !*v)
                return 0;
        if (dhc_addr_parse(family, v, ret) < 0) {
                warnf(warn, wd, "Ignoring invalid %s '%s'", key, shown(v, b, sizeof b));
                return -EINVAL;
        }
        if (family == AF_INET) {
                struct dhc_addr m;
                snprintf(key, sizeof key, "%s_subnet_mask", prefix);
                v = get(gd, key);
                if (v && *v) {
                        if (dhc_addr_parse(AF_INET, v, &m) < 0 ||
                            mask_to_prefixlen(&m, &ret->prefixlen) < 0) {
                                warnf(warn, wd, "Ignoring invalid %s '%s'", key, shown(v, b, sizeof b));
                                return -EINVAL;
                        }
                } else {
                        /* No mask option: RFC 2131 leaves it to the client;
                         * a host route is the safe choice. */
                        ret->prefixlen = 32;
                }
        } else {
                uint32_t p;
                snprintf(key, sizeof key, "%s_ip6_prefixlen", prefix);
                v = get(gd, key);
                if (v && *v) {
                        if (parse_u32(v, 128, &p) < 0) {
                                warnf(warn, wd, "Ignoring invalid %s '%s'", key, shown(v, b, sizeof b));
                                return -EINVAL;
                        }
                        ret->prefixlen = p;
                }
        }
        /* Nothing but a unicast address may be configured from a lease. */
        if ((family == AF_INET && (ret->bytes[0] == 0 || ret->bytes[0] == 127 || ret->bytes[0] >= 224)) ||
            (family == AF_INET6 && (ret->bytes[0] == 0xff || IN6_IS_ADDR_UNSPECIFIED((struct in6_addr *) ret->bytes) ||
                                    IN6_IS_ADDR_LOOPBACK((struct in6_addr *) ret->bytes) ||
                                    IN6_IS_ADDR_V4MAPPED((struct in6_addr *) ret->bytes)))) {
                warnf(warn, wd, "Ignoring %s address %s: not a unicast address", prefix,
                      dhc_addr_str(ret, b, sizeof b));
                ret->family = 0;
                return -EINVAL;
        }
        return 1;
}

static void parse_u32_key(const char *key, uint32_t max, dhc_get_fn get, void *gd,
                          dhc_warn_fn warn, void *wd, uint32_t *ret)
{
        const char *v = get(gd, key);
        char b[300];

        if (v && *v && parse_u32(v, max, ret) < 0) {
                warnf(warn, wd, "Ignoring invalid %s '%s'", key, shown(v, b, sizeof b));
                *ret = 0;
        }
}

int dhc_lease_parse(int family, dhc_get_fn get, void *gd,
                    dhc_warn_fn warn, void *wd, struct dhc_lease *l)
{
        const char *reason, *ifname, *v;
        char b[300];
        size_t i;
        int r;

        memset(l, 0, sizeof *l);
        l->family = family;

        reason = get(gd, "reason");
        for (i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
                if (reason && reasons[i].family == family && !strcmp(reasons[i].name, reason))
                        break;
        if (i == sizeof reasons / sizeof reasons[0]) {
                warnf(warn, wd, "Unknown reason '%s'", reason ? shown(reason, b, sizeof b) : "(none)");
                return -EINVAL;
        }
        snprintf(l->reason, sizeof l->reason, "%s", reasons[i].name);
        l->action = reasons[i].action;

        ifname = get(gd, "interface");
        if (!ifname || !nh_ifname_ok(ifname, strlen(ifname))) {
                warnf(warn, wd, "Invalid interface name '%s'", ifname ? shown(ifname, b, sizeof b) : "(none)");
                return -EINVAL;
        }
        snprintf(l->ifname, sizeof l->ifname, "%s", ifname);

        (void) parse_address(family, "old", get, gd, warn, wd, &l->old_addr);

        if (l->action != DHC_ACT_BIND && l->action != DHC_ACT_TIMEOUT)
                return 0;

        r = parse_address(family, "new", get, gd, warn, wd, &l->addr);
        if (r <= 0) {
                if (r == 0)
                        warnf(warn, wd, "%s without an address", l->reason);
                return -EINVAL;
        }

        if (family == AF_INET) {
                struct list_ctx c = { l, warn, wd, "domain_name_servers", AF_INET };

                v = get(gd, "new_broadcast_address");
                if (v && *v && dhc_addr_parse(AF_INET, v, &l->broadcast) < 0)
                        warnf(warn, wd, "Ignoring invalid new_broadcast_address '%s'", shown(v, b, sizeof b));

                each_token(get(gd, "new_routers"), add_router, &c);

                v = get(gd, "new_rfc3442_classless_static_routes");
                if (v && *v && parse_rfc3442(v, l) < 0) {
                        warnf(warn, wd, "Ignoring invalid new_rfc3442_classless_static_routes '%s'",
                              shown(v, b, sizeof b));
                        l->n_routes = 0;
                        memset(l->routes, 0, sizeof l->routes);
                }

                each_token(get(gd, "new_domain_name_servers"), add_server, &c);

                c.what = "domain_search";
                each_token(get(gd, "new_domain_search"), add_search, &c);
                /* Without option 119 the domain name (15) is the search
                 * list, as resolv.conf(5) does with "domain". */
                if (l->n_search == 0) {
                        c.what = "domain_name";
                        each_token(get(gd, "new_domain_name"), add_search, &c);
                }

                parse_u32_key("new_interface_mtu", 65535, get, gd, warn, wd, &l->mtu);
                /* RFC 2132 section 5.1: the minimum legal MTU is 68. */
                if (l->mtu && l->mtu < 68) {
                        warnf(warn, wd, "Ignoring new_interface_mtu %u below 68", l->mtu);
                        l->mtu = 0;
                }
                parse_u32_key("new_dhcp_lease_time", UINT32_MAX, get, gd, warn, wd, &l->lease_time);
        } else {
                struct list_ctx c = { l, warn, wd, "dhcp6_name_servers", AF_INET6 };

                each_token(get(gd, "new_dhcp6_name_servers"), add_server, &c);
                c.what = "dhcp6_domain_search";
                each_token(get(gd, "new_dhcp6_domain_search"), add_search, &c);
                parse_u32_key("new_max_life", UINT32_MAX, get, gd, warn, wd, &l->max_life);
                parse_u32_key("new_preferred_life", UINT32_MAX, get, gd, warn, wd, &l->preferred_life);
                if (l->preferred_life > l->max_life)
                        l->preferred_life = l->max_life;
        }

        v = get(gd, "new_expiry");
        if (v && *v && parse_i64(v, &l->expiry) < 0) {
                warnf(warn, wd, "Ignoring invalid new_expiry '%s'", shown(v, b, sizeof b));
                l->expiry = 0;
        }
        return 0;
}

struct out {
        char *buf;
        size_t size, len;
        bool full;
};

__attribute__((format(printf, 2, 3)))
static void outf(struct out *o, const char *fmt, ...)
{
        va_list ap;
        int n;

        if (o->full)
                return;
        va_start(ap, fmt);
        n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t) n >= o->size - o->len) {
                o->full = true;
                return;
        }
        o->len += (size_t) n;
}

static void out_prefixlen(struct out *o, const char *pfx, const struct dhc_addr *a)
{
        char b[INET6_ADDRSTRLEN];

        outf(o, "%s_%s=%s\n", pfx, a->family == AF_INET ? "ip_address" : "ip6_address",
             dhc_addr_str(a, b, sizeof b));
        if (a->family == AF_INET) {
                uint32_t m = a->prefixlen ? htonl(UINT32_MAX << (32 - a->prefixlen)) : 0;
                outf(o, "%s_subnet_mask=%s\n", pfx, inet_ntop(AF_INET, &m, b, sizeof b));
        } else
                outf(o, "%s_ip6_prefixlen=%u\n", pfx, a->prefixlen);
}

int dhc_lease_format(const struct dhc_lease *l, char *buf, size_t size)
{
        struct out o = { buf, size, 0, false };
        char b[INET6_ADDRSTRLEN];
        size_t i;

        if (size == 0)
                return -ENOBUFS;
        buf[0] = '\0';
        outf(&o, "reason=%s\ninterface=%s\n", l->reason, l->ifname);
        if (l->old_addr.family)
                out_prefixlen(&o, "old", &l->old_addr);
        if (l->addr.family)
                out_prefixlen(&o, "new", &l->addr);
        if (l->broadcast.family)
                outf(&o, "new_broadcast_address=%s\n", dhc_addr_str(&l->broadcast, b, sizeof b));
        if (l->n_routers) {
                outf(&o, "new_routers=");
                for (i = 0; i < l->n_routers; i++)
                        outf(&o, "%s%s", i ? " " : "", dhc_addr_str(&l->routers[i], b, sizeof b));
                outf(&o, "\n");
        }
        if (l->n_routes) {
                outf(&o, "new_rfc3442_classless_static_routes=");
                for (i = 0; i < l->n_routes; i++) {
                        const struct dhc_route *r = &l->routes[i];
                        outf(&o, "%s%u", i ? " " : "", r->dst.prefixlen);
                        for (unsigned k = 0; k < (r->dst.prefixlen + 7) / 8; k++)
                                outf(&o, " %u", r->dst.bytes[k]);
                        for (unsigned k = 0; k < 4; k++)
                                outf(&o, " %u", r->gw.family ? r->gw.bytes[k] : 0);
                }
                outf(&o, "\n");
        }
        if (l->n_servers) {
                outf(&o, l->family == AF_INET ? "new_domain_name_servers=" : "new_dhcp6_name_servers=");
                for (i = 0; i < l->n_servers; i++)
                        outf(&o, "%s%s", i ? " " : "", l->servers[i]);
                outf(&o, "\n");
        }
        if (l->n_search) {
                outf(&o, l->family == AF_INET ? "new_domain_search=" : "new_dhcp6_domain_search=");
                for (i = 0; i < l->n_search; i++)
                        outf(&o, "%s%s", i ? " " : "", l->search[i]);
                outf(&o, "\n");
        }
        if (l->mtu)
                outf(&o, "new_interface_mtu=%u\n", l->mtu);
        if (l->lease_time)
                outf(&o, "new_dhcp_lease_time=%u\n", l->lease_time);
        if (l->max_life)
                outf(&o, "new_max_life=%u\n", l->max_life);
        if (l->preferred_life)
                outf(&o, "new_preferred_life=%u\n", l->preferred_life);
        if (l->expiry > 0)
                outf(&o, "new_expiry=%lld\n", (long long) l->expiry);
        if (o.full)
                return -ENOBUFS;
        return (int) o.len;
}

const char *dhc_lines_get(void *text, const char *key)
{
        /* Values are returned from a static buffer: one lookup at a time,
         * which is how dhc_lease_parse() uses a getter. */
        static char value[DHC_REPORT_MAX];
        size_t klen = strlen(key);
        const char *p = text;

        while (p && *p) {
                const char *nl = strchr(p, '\n');
                size_t len = nl ? (size_t) (nl - p) : strlen(p);

                if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
                        size_t vlen = len - klen - 1;
                        if (vlen >= sizeof value)
                                return NULL;
                        memcpy(value, p + klen + 1, vlen);
                        value[vlen] = '\0';
                        return value;
                }
                p = nl ? nl + 1 : NULL;
        }
        return NULL;
}
