/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hashes and interface names: see <netns-helper/sdk.h>. */
#include <stdio.h>
#include <string.h>

#include <netns-helper/sdk.h>

uint32_t nh_fnv1a32(const void *data, size_t len, uint32_t h)
{
        const uint8_t *p = data;

        for (size_t i = 0; i < len; i++) {
                h ^= p[i];
                h *= 16777619u;
        }
        return h;
}

uint64_t nh_fnv1a64(const void *data, size_t len, uint64_t h)
{
        const uint8_t *p = data;

        for (size_t i = 0; i < len; i++) {
                h ^= p[i];
                h *= 0x100000001b3ULL;
        }
        return h;
}

void nh_ifname_from_ns(const char *prefix, const char *ns, char out[NH_IFNAMSIZ])
{
        size_t plen = strlen(prefix), nlen = strlen(ns);
        char name[64];
        uint32_t h;

        if (plen + nlen < NH_IFNAMSIZ) {
                memcpy(out, prefix, plen);
                memcpy(out + plen, ns, nlen + 1);
                return;
        }
        h = nh_fnv1a32(ns, nlen, NH_FNV32_INIT);
        snprintf(name, sizeof name, "%.32s%.6s-%05x", prefix, ns, (unsigned) (h & 0xfffff));
        snprintf(out, NH_IFNAMSIZ, "%.15s", name);
}

bool nh_ifname_ok(const char *s, size_t len)
{
        if (!s || len == 0 || len >= NH_IFNAMSIZ)
                return false;
        if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
                return false;
        for (size_t i = 0; i < len; i++)
                if (s[i] <= ' ' || s[i] > '~' || s[i] == '/' || s[i] == ':')
                        return false;
        return true;
}
