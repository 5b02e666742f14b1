/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pcap.h"

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t) p[3] << 24; }
static uint16_t be16(const uint8_t *p) { return (uint16_t) (p[0] << 8 | p[1]); }

int pcap_read_dhcp6(const char *path, struct pcap_udp *out, size_t max)
{
        uint8_t gh[24], rh[16], pkt[65536];
        size_t n = 0;
        FILE *f = fopen(path, "rb");

        if (!f)
                return -errno;
        /* Little-endian, microsecond pcap, link type 1 (Ethernet). */
        if (fread(gh, 1, sizeof(gh), f) != sizeof(gh) || le32(gh) != 0xa1b2c3d4 || le32(gh + 20) != 1) {
                fclose(f);
                return -EINVAL;
        }
        while (fread(rh, 1, sizeof(rh), f) == sizeof(rh)) {
                uint32_t caplen = le32(rh + 8);
                const uint8_t *ip, *udp;
                uint16_t plen;

                if (caplen > sizeof(pkt) || fread(pkt, 1, caplen, f) != caplen)
                        break;
                if (caplen < 14 + 40 + 8 || be16(pkt + 12) != 0x86dd)
                        continue;
                ip = pkt + 14;
                if ((ip[0] >> 4) != 6 || ip[6] != 17)   /* no extension headers in these captures */
                        continue;
                udp = ip + 40;
                plen = be16(udp + 4);
                if (plen < 8 || 14 + 40 + (size_t) plen > caplen)
                        continue;
                if (n >= max)
                        break;
                out[n].sport = be16(udp);
                out[n].dport = be16(udp + 2);
                if (out[n].sport != 546 && out[n].sport != 547)
                        continue;
                out[n].len = plen - 8;
                if (out[n].len > sizeof(out[n].data))
                        continue;
                memcpy(out[n].data, udp + 8, out[n].len);
                n++;
        }
        fclose(f);
        return (int) n;
}
