/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A tiny reader for the classic pcap captures in fixtures/: a 24-byte file
 * header, then 16-byte record headers each followed by an Ethernet frame.
 * Only what the tests need: IPv4/UDP frames, handed out as the IP datagram.
 */
#ifndef NH_TEST_PCAP_H
#define NH_TEST_PCAP_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pcap_frame {
        const uint8_t *ip;      /* the IPv4 datagram */
        size_t ip_len;
        uint16_t sport, dport;  /* UDP ports */
};

struct pcap_file {
        uint8_t *data;
        size_t len;
        struct pcap_frame frames[32];
        size_t n;
};

static inline uint32_t pcap_le32(const uint8_t *p)
{
        return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static inline const char *pcap_fixture_dir(void)
{
        static char buf[4096];
        const char *s = getenv("NH_SRCDIR");

        if (!s)
                s = NH_TEST_SRCDIR;
        snprintf(buf, sizeof(buf), "%s/tests/dhcp4/fixtures", s);
        return buf;
}

/* Returns 0 on success, -1 when the file cannot be read or is not an
 * Ethernet pcap. */
static inline int pcap_load(const char *name, struct pcap_file *f)
{
        char path[4200];
        FILE *fp;
        long sz;
        size_t off;

        memset(f, 0, sizeof(*f));
        snprintf(path, sizeof(path), "%s/%s", pcap_fixture_dir(), name);
        fp = fopen(path, "rb");
        if (!fp)
                return -1;
        fseek(fp, 0, SEEK_END);
        sz = ftell(fp);
        fseek(fp, 0, SEEK_SET);
        if (sz < 24 || !(f->data = malloc((size_t) sz)) || fread(f->data, 1, (size_t) sz, fp) != (size_t) sz) {
                fclose(fp);
                return -1;
        }
        fclose(fp);
        f->len = (size_t) sz;
        if (pcap_le32(f->data) != 0xa1b2c3d4u || pcap_le32(f->data + 20) != 1)
                return -1;
        for (off = 24; off + 16 <= f->len && f->n < 32;) {
                uint32_t incl = pcap_le32(f->data + off + 8);
                const uint8_t *e = f->data + off + 16;
                size_t ihl;

                if (off + 16 + incl > f->len)
                        return -1;
                off += 16 + incl;
                if (incl < 14 + 28 || e[12] != 0x08 || e[13] != 0x00)
                        continue;
                ihl = (size_t) (e[14] & 0x0f) * 4;
                if (e[14 + 9] != 17 || 14 + ihl + 8 > incl)
                        continue;
                f->frames[f->n].ip = e + 14;
                f->frames[f->n].ip_len = incl - 14;
                f->frames[f->n].sport = (uint16_t) (e[14 + ihl] << 8 | e[14 + ihl + 1]);
                f->frames[f->n].dport = (uint16_t) (e[14 + ihl + 2] << 8 | e[14 + ihl + 3]);
                f->n++;
        }
        return 0;
}

static inline void pcap_free(struct pcap_file *f)
{
        free(f->data);
        f->data = NULL;
}

#endif
