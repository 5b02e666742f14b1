/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Address and prefix text: see <netns-helper/sdk.h>. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <netns-helper/plugin.h>
#include <netns-helper/sdk.h>

const char *nh_inet_format(const struct nh_inet *a, bool prefix, char *buf, size_t len)
{
        char tmp[INET6_ADDRSTRLEN];

        if (!inet_ntop(a->family, a->addr.bytes, tmp, sizeof tmp))
                snprintf(tmp, sizeof tmp, "?");
        if (prefix)
                snprintf(buf, len, "%s/%u", tmp, a->prefixlen);
        else
                snprintf(buf, len, "%s", tmp);
        return buf;
}

unsigned nh_inet_full_len(int family)
{
        return family == AF_INET ? 32 : 128;
}

bool nh_inet_covers(const struct nh_inet *p, const struct nh_inet *a)
{
        unsigned bits = p->prefixlen;

        if (p->family != a->family)
                return false;
        for (unsigned i = 0; bits > 0; i++, bits = bits > 8 ? bits - 8 : 0) {
                uint8_t mask = bits >= 8 ? 0xff : (uint8_t) (0xff << (8 - bits));

                if ((p->addr.bytes[i] & mask) != (a->addr.bytes[i] & mask))
                        return false;
        }
        return true;
}

bool nh_inet_host_bits(const struct nh_inet *p)
{
        for (unsigned i = 0; i < nh_inet_full_len(p->family) / 8; i++) {
                unsigned first = i * 8;
                uint8_t mask;

                if (first + 8 <= p->prefixlen)
                        continue;
                mask = first >= p->prefixlen ? 0 : (uint8_t) (0xff << (8 - (p->prefixlen - first)));
                if (p->addr.bytes[i] & ~mask)
                        return true;
        }
        return false;
}
