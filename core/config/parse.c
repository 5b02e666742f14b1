/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The value parsers of conf.h: pure functions, no logging. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config/conf.h"
#include "base/util.h"

int nh_parse_bool(const char *s, int *out)
{
        static const char *const yes[] = { "yes", "true", "on", "1" };
        static const char *const no[] = { "no", "false", "off", "0" };

        if (!s)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
                if (strcasecmp(s, yes[i]) == 0) {
                        if (out)
                                *out = 1;
                        return 0;
                }
                if (strcasecmp(s, no[i]) == 0) {
                        if (out)
                                *out = 0;
                        return 0;
                }
        }
        return -EINVAL;
}

int nh_parse_int(const char *s, long long *out)
{
        unsigned long long v = 0;
        bool neg = false;
        const char *p = s;

        if (!s)
                return -EINVAL;
        if (*p == '-' || *p == '+')
                neg = *p++ == '-';
        if (!*p)
                return -EINVAL;
        /* Plain decimal only: strtoll would accept leading white space
         * and, with base 0, octal "010" meaning 8. */
        for (; *p; p++) {
                if (*p < '0' || *p > '9')
                        return -EINVAL;
                if (v > (ULLONG_MAX - 9) / 10)
                        return -ERANGE;
                v = v * 10 + (unsigned) (*p - '0');
        }
        if (neg ? v > (unsigned long long) LLONG_MAX + 1 : v > (unsigned long long) LLONG_MAX)
                return -ERANGE;
        if (out)
                *out = neg ? (long long) (0 - v) : (long long) v;
        return 0;
}

static int hexval(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

int nh_parse_mac(const char *s, uint8_t out[6])
{
        uint8_t m[6];
        char sep;
        bool zero = true;

        if (!s || strlen(s) != 17)
                return -EINVAL;
        sep = s[2];
        if (sep != ':' && sep != '-')
                return -EINVAL;
        for (int i = 0; i < 6; i++) {
                const char *p = s + i * 3;
                int hi = hexval(p[0]), lo = hexval(p[1]);

                if (hi < 0 || lo < 0)
                        return -EINVAL;
                if (i < 5 && p[2] != sep)
                        return -EINVAL;
                m[i] = (uint8_t) (hi << 4 | lo);
                if (m[i])
                        zero = false;
        }
        if (zero)
                return -ERANGE;
        /* The I/G bit (IEEE 802, bit 0 of the first octet) marks group
         * addresses; broadcast is one of them. */
        if (m[0] & 1)
                return -EDOM;
        if (out)
                memcpy(out, m, 6);
        return 0;
}

int nh_parse_inet(const char *s, int family, bool allow_prefix, struct nh_inet *out)
{
        char buf[INET6_ADDRSTRLEN + 8];
        const char *slash;
        struct nh_inet a = {};
        size_t alen;
        unsigned max;

        if (!s)
                return -EINVAL;
        slash = strchr(s, '/');
        alen = slash ? (size_t) (slash - s) : strlen(s);
        if (alen == 0 || alen >= sizeof buf)
                return -EINVAL;
        if (slash && !allow_prefix)
                return -EINVAL;
        memcpy(buf, s, alen);
        buf[alen] = '\0';

        if ((family == AF_INET || family == AF_UNSPEC) && inet_pton(AF_INET, buf, a.addr.bytes) == 1)
                a.family = AF_INET;
        else if ((family == AF_INET6 || family == AF_UNSPEC) && inet_pton(AF_INET6, buf, a.addr.bytes) == 1)
                a.family = AF_INET6;
        else
                return -EINVAL;
        max = a.family == AF_INET ? 32 : 128;
        a.prefixlen = max;

        if (slash) {
                const char *p = slash + 1;
                unsigned v = 0;

                if (!*p || strlen(p) > 3)
                        return -EINVAL;
                for (; *p; p++) {
                        if (*p < '0' || *p > '9')
                                return -EINVAL;
                        v = v * 10 + (unsigned) (*p - '0');
                }
                if (v > max)
                        return -ERANGE;
                a.prefixlen = v;
        }
        if (out)
                *out = a;
        return 0;
}

/* The kernel (dev_valid_name) refuses only '/', ':' and white space; we
 * also refuse control characters, non-ASCII bytes and the characters a
 * shell or a printf-style template would treat specially ('%' makes the
 * kernel pick a number for "eth%d"), because the name ends up in hook
 * arguments and environment variables. */
bool nh_ifname_valid(const char *s)
{
        size_t len;

        if (!s)
                return false;
        len = strlen(s);
        if (len < 1 || len > 15)
                return false;
        if (streq(s, ".") || streq(s, ".."))
                return false;
        for (const char *p = s; *p; p++) {
                unsigned char c = (unsigned char) *p;

                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
                        continue;
                if (c == '-' || c == '_' || c == '.' || c == '@' || c == '+')
                        continue;
                return false;
        }
        return true;
}

/* Quotes a value for a message: control characters escaped, long values
 * cut, so a hostile value cannot garble the log line. */
static const char *quote(const char *s, char *buf, size_t len)
{
        const char *p;
        size_t o = 0;

        buf[o++] = '\'';
        for (p = s; *p; p++) {
                unsigned char c = (unsigned char) *p;

                /* Room for "\xNN", "...", the quote and the NUL. */
                if (o + 9 > len)
                        break;
                if (c < 0x20 || c == 0x7f)
                        o += (size_t) snprintf(buf + o, len - o, "\\x%02x", c);
                else
                        buf[o++] = (char) c;
        }
        if (*p) {
                memcpy(buf + o, "...", 3);
                o += 3;
        }
        buf[o++] = '\'';
        buf[o] = '\0';
        return buf;
}

static int check_enum(const char *choices, const char *value, char *why, size_t whylen, const char *q)
{
        char list[256] = "";
        size_t o = 0;
        const char *p = choices ? choices : "";

        for (;;) {
                const char *bar = strchr(p, '|');
                size_t n = bar ? (size_t) (bar - p) : strlen(p);

                if (n > 0 && strlen(value) == n && strncmp(p, value, n) == 0)
                        return 0;
                if (n > 0 && o + n + 3 < sizeof list)
                        o += (size_t) snprintf(list + o, sizeof list - o, "%s%.*s", o ? ", " : "", (int) n, p);
                if (!bar)
                        break;
                p = bar + 1;
        }
        return why_refuse(why, whylen, "%s is not a valid choice; expected one of: %s", q, list);
}

int nh_value_check(const struct nh_key *k, const char *value, char *why, size_t whylen)
{
        char qb[96];
        const char *q;
        uint8_t mac[6];
        long long v;
        int r;

        if (!k || !value)
                return why_refuse(why, whylen, "no value; expected a value");
        q = quote(value, qb, sizeof qb);

        switch (k->type) {
        case NH_T_STRING:
                return 0;

        case NH_T_BOOL:
                if (nh_parse_bool(value, NULL) < 0)
                        return why_refuse(why, whylen, "%s is not a boolean; expected yes/no, true/false, on/off or 1/0", q);
                return 0;

        case NH_T_INT:
                r = nh_parse_int(value, &v);
                if (r == -EINVAL)
                        return why_refuse(why, whylen, "%s is not a decimal integer; expected an integer from %lld to %lld",
                                    q, k->min, k->max);
                /* min == max == 0 means unbounded. */
                if (r < 0 || ((k->min != 0 || k->max != 0) && (v < k->min || v > k->max)))
                        return why_refuse(why, whylen, "%s is out of range; expected an integer from %lld to %lld",
                                    q, k->min, k->max);
                return 0;

        case NH_T_ENUM:
                return check_enum(k->choices, value, why, whylen, q);

        case NH_T_IFNAME:
                if (!nh_ifname_valid(value))
                        return why_refuse(why, whylen, "%s is not a valid interface name; expected 1 to 15 letters, digits, '-', '_', '.', '@' or '+', such as eth0",
                                    q);
                return 0;

        case NH_T_MAC:
                r = nh_parse_mac(value, mac);
                if (r == -EDOM)
                        return why_refuse(why, whylen, "%s is a multicast address; expected a unicast MAC such as 02:a0:11:22:33:44", q);
                if (r == -ERANGE)
                        return why_refuse(why, whylen, "%s is the all-zero address; expected a unicast MAC such as 02:a0:11:22:33:44", q);
                if (r < 0)
                        return why_refuse(why, whylen, "%s is not a MAC address; expected six hexadecimal pairs such as 02:a0:11:22:33:44", q);
                return 0;

        case NH_T_IPV4:
        case NH_T_IPV6:
        case NH_T_IPV4_PREFIX:
        case NH_T_IPV6_PREFIX: {
                bool v4 = k->type == NH_T_IPV4 || k->type == NH_T_IPV4_PREFIX;
                bool pfx = k->type == NH_T_IPV4_PREFIX || k->type == NH_T_IPV6_PREFIX;
                const char *expected =
                        k->type == NH_T_IPV4 ? "an IPv4 address such as 192.0.2.1" :
                        k->type == NH_T_IPV6 ? "an IPv6 address such as 2001:db8::1" :
                        k->type == NH_T_IPV4_PREFIX ? "an IPv4 address with an optional prefix length 0-32, such as 192.0.2.10/24" :
                                                      "an IPv6 address with an optional prefix length 0-128, such as 2001:db8::10/64";

                r = nh_parse_inet(value, v4 ? AF_INET : AF_INET6, pfx, NULL);
                if (r == -ERANGE)
                        return why_refuse(why, whylen, "%s has a prefix length out of range; expected %s", q, expected);
                if (r < 0 && !pfx && strchr(value, '/') &&
                    nh_parse_inet(value, v4 ? AF_INET : AF_INET6, true, NULL) == 0)
                        return why_refuse(why, whylen, "%s has a prefix length, which this key does not take; expected %s",
                                    q, expected);
                if (r < 0 && nh_parse_inet(value, v4 ? AF_INET6 : AF_INET, true, NULL) == 0)
                        return why_refuse(why, whylen, "%s is an %s address; expected %s", q, v4 ? "IPv6" : "IPv4", expected);
                if (r < 0)
                        return why_refuse(why, whylen, "%s is not a valid address; expected %s", q, expected);
                return 0;
        }

        case NH_T_PATH:
                if (value[0] != '/')
                        return why_refuse(why, whylen, "%s is not an absolute path; expected a path starting with '/'", q);
                for (const char *p = value; *p; p++)
                        if ((unsigned char) *p < 0x20 || *p == 0x7f)
                                return why_refuse(why, whylen, "%s contains a control character; expected a plain absolute path", q);
                if (strlen(value) >= PATH_MAX)
                        return why_refuse(why, whylen, "%s is too long; expected a path shorter than %d bytes", q, PATH_MAX);
                return 0;

        case NH_T_MAP:
                return why_refuse(why, whylen, "%s is a single value; expected a mapping of keys to values, such as { key: value }", q);
        }
        return why_refuse(why, whylen, "the key has an unknown type %d; expected a key table the core knows", (int) k->type);
}
