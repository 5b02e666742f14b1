/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netns-helper/sdk.h>

#include "dhcp4-lease.h"

int dhcp4_saved_lease_format(const struct dhcp4_saved_lease *l, char *buf, size_t size)
{
        char a[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];
        int n;

        inet_ntop(AF_INET, &l->address, a, sizeof(a));
        inet_ntop(AF_INET, &l->server_id, s, sizeof(s));
        n = snprintf(buf, size,
                     "# netns-helper dhcp4 lease; rewritten on every renewal\n"
                     "interface=%s\naddress=%s\nprefixlen=%u\nserver=%s\nexpires=%" PRId64 "\n",
                     l->ifname, a, l->prefixlen, s, l->expires);
        if (n < 0 || (size_t) n >= size)
                return -ENOBUFS;
        if (l->ack_len > 0 && l->ack_len <= sizeof(l->ack)) {
                int m = snprintf(buf + n, size - (size_t) n, "obtained=%" PRId64 "\nack=", l->obtained);
                if (m < 0 || (size_t) (n + m) + 2 * l->ack_len + 2 > size)
                        return -ENOBUFS;
                n += m;
                for (size_t i = 0; i < l->ack_len; i++)
                        n += snprintf(buf + n, size - (size_t) n, "%02x", l->ack[i]);
                buf[n++] = '\n';
                buf[n] = '\0';
        }
        return n;
}

int dhcp4_saved_lease_parse(const char *text, struct dhcp4_saved_lease *l)
{
        unsigned have = 0;

        memset(l, 0, sizeof(*l));
        while (text && *text) {
                const char *eol = strchr(text, '\n'), *eq;
                size_t n = eol ? (size_t) (eol - text) : strlen(text);
                char v[64];
                size_t kl, vl;

                eq = memchr(text, '=', n);
                if (text[0] != '#' && eq && eq - text == 3 && !memcmp(text, "ack", 3)) {
                        /* Hex; read by dhcp4_parse() later, as from the network. */
                        size_t hl = n - 4;
                        if (hl % 2 || hl / 2 > sizeof(l->ack) || hl == 0)
                                return -EBADMSG;
                        for (size_t i = 0; i < hl / 2; i++) {
                                char pair[3] = { eq[1 + 2 * i], eq[2 + 2 * i], '\0' };
                                if (!isxdigit((unsigned char) pair[0]) || !isxdigit((unsigned char) pair[1]))
                                        return -EBADMSG;
                                l->ack[i] = (uint8_t) strtoul(pair, NULL, 16);
                        }
                        l->ack_len = hl / 2;
                } else if (text[0] != '#' && eq) {
                        kl = (size_t) (eq - text);
                        vl = n - kl - 1;
                        if (vl >= sizeof(v))
                                return -EBADMSG;
                        memcpy(v, eq + 1, vl);
                        v[vl] = '\0';
                        if (kl == 9 && !memcmp(text, "interface", 9)) {
                                if (!nh_ifname_ok(v, vl))
                                        return -EBADMSG;
                                memcpy(l->ifname, v, vl + 1);
                                have |= 1;
                        } else if (kl == 7 && !memcmp(text, "address", 7)) {
                                if (inet_pton(AF_INET, v, &l->address) != 1 || l->address == 0)
                                        return -EBADMSG;
                                have |= 2;
                        } else if (kl == 9 && !memcmp(text, "prefixlen", 9)) {
                                char *end;
                                unsigned long p = strtoul(v, &end, 10);
                                if (*end || end == v || p < 1 || p > 32)
                                        return -EBADMSG;
                                l->prefixlen = (uint8_t) p;
                                have |= 4;
                        } else if (kl == 6 && !memcmp(text, "server", 6)) {
                                if (inet_pton(AF_INET, v, &l->server_id) != 1)
                                        return -EBADMSG;
                        } else if ((kl == 7 && !memcmp(text, "expires", 7)) ||
                                   (kl == 8 && !memcmp(text, "obtained", 8))) {
                                char *end;
                                long long e = strtoll(v, &end, 10);
                                if (*end || end == v || e < 0)
                                        return -EBADMSG;
                                *(kl == 7 ? &l->expires : &l->obtained) = e;
                        }
                }
                text = eol ? eol + 1 : NULL;
        }
        return have == 7 ? 0 : -EBADMSG;
}

int dhcp4_saved_lease_save(const char *dir, const struct dhcp4_saved_lease *l)
{
        char buf[DHCP4_SAVED_LEASE_MAX], path[4096];
        int n;

        n = dhcp4_saved_lease_format(l, buf, sizeof(buf));
        if (n < 0)
                return n;
        if ((size_t) snprintf(path, sizeof(path), "%s/" DHCP4_LEASE_FILE, dir) >= sizeof(path))
                return -ENAMETOOLONG;
        return nh_file_write_atomic(path, buf, (size_t) n, 0600, NH_FILE_FIXED_TMP);
}
