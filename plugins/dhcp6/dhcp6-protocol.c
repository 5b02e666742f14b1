/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dhcp6-protocol.h"

static uint16_t get16(const uint8_t *p) { return (uint16_t) (p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p)
{
        return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

size_t dhcp6_decode_domains(const uint8_t *p, size_t len, char out[][DHCP6_DOMAIN_MAX], size_t max,
                            size_t *bad)
{
        size_t off = 0, n = 0;

        while (off < len) {
                char name[DHCP6_DOMAIN_MAX];
                size_t nl = 0;
                bool ok = true;

                for (;;) {
                        uint8_t l;

                        if (off >= len) {
                                /* The last name lacks its root label. */
                                (*bad)++;
                                return n;
                        }
                        l = p[off++];
                        if (l == 0)
                                break;
                        /* RFC 8415 10: names in options are not compressed.  A
                         * pointer (or the reserved 01/10 label types) cannot be
                         * followed, and the rest of the list cannot be found. */
                        if (l & 0xc0) {
                                (*bad)++;
                                return n;
                        }
                        if (l > len - off) {
                                (*bad)++;
                                return n;
                        }
                        if (ok && nl + (nl > 0) + l > DHCP6_DOMAIN_MAX - 1)
                                ok = false;
                        if (ok) {
                                if (nl > 0)
                                        name[nl++] = '.';
                                for (size_t i = 0; i < l; i++) {
                                        if (p[off + i] == 0)
                                                ok = false;
                                        name[nl++] = (char) p[off + i];
                                }
                        }
                        off += l;
                }
                if (!ok || nl == 0) {
                        (*bad)++;
                        continue;
                }
                name[nl] = 0;
                if (n < max)
                        memcpy(out[n++], name, nl + 1);
        }
        return n;
}

static int parse_status(const uint8_t *p, size_t len, int *status)
{
        if (len < 2)
                return -EBADMSG;
        *status = get16(p);
        return 0;
}

static int parse_iaaddr(const uint8_t *p, size_t len, struct dhcp6_iaaddr *a)
{
        size_t off = 24;

        if (len < 24)
                return -EBADMSG;
        memcpy(&a->addr, p, 16);
        a->preferred = get32(p + 16);
        a->valid = get32(p + 20);
        a->status = DHCP6_STATUS_SUCCESS;
        while (off < len) {
                uint16_t code, olen;

                if (len - off < 4)
                        return -EBADMSG;
                code = get16(p + off);
                olen = get16(p + off + 2);
                off += 4;
                if (olen > len - off)
                        return -EBADMSG;
                if (code == DHCP6_OPT_STATUS_CODE && parse_status(p + off, olen, &a->status) < 0)
                        return -EBADMSG;
                off += olen;
        }
        return 0;
}

static int parse_ia_na(const uint8_t *p, size_t len, struct dhcp6_message *m)
{
        size_t off = 12;

        m->has_ia_na = true;
        m->t1 = get32(p + 4);
        m->t2 = get32(p + 8);
        m->ia_status = DHCP6_STATUS_SUCCESS;
        while (off < len) {
                uint16_t code, olen;
                int r;

                if (len - off < 4)
                        return -EBADMSG;
                code = get16(p + off);
                olen = get16(p + off + 2);
                off += 4;
                if (olen > len - off)
                        return -EBADMSG;
                if (code == DHCP6_OPT_STATUS_CODE) {
                        r = parse_status(p + off, olen, &m->ia_status);
                        if (r < 0)
                                return r;
                } else if (code == DHCP6_OPT_IAADDR && m->n_addrs < DHCP6_MAX_ADDRS) {
                        r = parse_iaaddr(p + off, olen, &m->addrs[m->n_addrs]);
                        if (r < 0)
                                return r;
                        m->n_addrs++;
                }
                off += olen;
        }
        return 0;
}

static int parse_duid(const uint8_t *p, size_t len, uint8_t *dst, size_t *dst_len)
{
        /* A DUID has a 2-octet type and at least one octet more. */
        if (len < 3 || len > DHCP6_DUID_MAX || *dst_len > 0)
                return -EBADMSG;
        memcpy(dst, p, len);
        *dst_len = len;
        return 0;
}

int dhcp6_parse(const uint8_t *buf, size_t len, uint32_t iaid, struct dhcp6_message *m)
{
        size_t off = 4;
        int r;

        memset(m, 0, sizeof(*m));
        if (!buf || len < 4)
                return -EBADMSG;
        m->type = buf[0];
        m->xid = (uint32_t) buf[1] << 16 | (uint32_t) buf[2] << 8 | buf[3];
        m->status = DHCP6_STATUS_SUCCESS;
        m->ia_status = DHCP6_STATUS_SUCCESS;

        while (off < len) {
                uint16_t code, olen;
                const uint8_t *p;

                if (len - off < 4)
                        return -EBADMSG;
                code = get16(buf + off);
                olen = get16(buf + off + 2);
                off += 4;
                if (olen > len - off)
                        return -EBADMSG;
                p = buf + off;
                off += olen;

                switch (code) {
                case DHCP6_OPT_CLIENTID:
                        r = parse_duid(p, olen, m->client_id, &m->client_id_len);
                        break;
                case DHCP6_OPT_SERVERID:
                        r = parse_duid(p, olen, m->server_id, &m->server_id_len);
                        break;
                case DHCP6_OPT_PREFERENCE:
                        r = olen == 1 ? 0 : -EBADMSG;
                        m->has_preference = true;
                        m->preference = olen == 1 ? p[0] : 0;
                        break;
                case DHCP6_OPT_RAPID_COMMIT:
                        r = olen == 0 ? 0 : -EBADMSG;
                        m->rapid_commit = true;
                        break;
                case DHCP6_OPT_STATUS_CODE:
                        r = parse_status(p, olen, &m->status);
                        break;
                case DHCP6_OPT_IA_NA:
                        if (olen < 12)
                                r = -EBADMSG;
                        else if (get32(p) != iaid || m->has_ia_na)
                                r = 0;
                        else {
                                m->iaid = iaid;
                                r = parse_ia_na(p, olen, m);
                        }
                        break;
                case DHCP6_OPT_DNS_SERVERS:
                        if (olen % 16 != 0)
                                r = -EBADMSG;
                        else {
                                for (size_t i = 0; i < olen / 16 && m->n_dns < DHCP6_MAX_DNS; i++)
                                        memcpy(&m->dns[m->n_dns++], p + 16 * i, 16);
                                r = 0;
                        }
                        break;
                case DHCP6_OPT_DOMAIN_LIST:
                        m->n_domains += dhcp6_decode_domains(p, olen, m->domains + m->n_domains,
                                                             DHCP6_MAX_DOMAINS - m->n_domains,
                                                             &m->n_bad_domains);
                        r = 0;
                        break;
                default:
                        r = 0;
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

struct writer {
        uint8_t *buf;
        size_t size, len;
        bool overflow;
};

static uint8_t *w_put(struct writer *w, size_t n)
{
        uint8_t *p;

        if (w->overflow || n > w->size - w->len) {
                w->overflow = true;
                return NULL;
        }
        p = w->buf + w->len;
        w->len += n;
        return p;
}

static void w_u16(struct writer *w, uint16_t v)
{
        uint8_t *p = w_put(w, 2);
        if (p) {
                p[0] = v >> 8;
                p[1] = v & 0xff;
        }
}

static void w_u32(struct writer *w, uint32_t v)
{
        uint8_t *p = w_put(w, 4);
        if (p) {
                p[0] = v >> 24;
                p[1] = (v >> 16) & 0xff;
                p[2] = (v >> 8) & 0xff;
                p[3] = v & 0xff;
        }
}

static void w_bytes(struct writer *w, const void *d, size_t n)
{
        uint8_t *p = w_put(w, n);
        if (p && n > 0)
                memcpy(p, d, n);
}

static void w_opt(struct writer *w, uint16_t code, const void *d, size_t n)
{
        w_u16(w, code);
        w_u16(w, (uint16_t) n);
        w_bytes(w, d, n);
}

int dhcp6_build(const struct dhcp6_request *r, uint8_t *buf, size_t size)
{
        struct writer w = { .buf = buf, .size = size };
        uint8_t *p;

        p = w_put(&w, 4);
        if (p) {
                p[0] = r->type;
                p[1] = (r->xid >> 16) & 0xff;
                p[2] = (r->xid >> 8) & 0xff;
                p[3] = r->xid & 0xff;
        }
        w_opt(&w, DHCP6_OPT_CLIENTID, r->client_id, r->client_id_len);
        if (r->server_id_len > 0)
                w_opt(&w, DHCP6_OPT_SERVERID, r->server_id, r->server_id_len);

        /* RFC 8415 18.2: T1, T2 and the address lifetimes the client sends
         * are 0: it leaves them to the server. */
        w_u16(&w, DHCP6_OPT_IA_NA);
        w_u16(&w, 12 + (r->have_addr ? 4 + 24 : 0));
        w_u32(&w, r->iaid);
        w_u32(&w, 0);
        w_u32(&w, 0);
        if (r->have_addr) {
                w_u16(&w, DHCP6_OPT_IAADDR);
                w_u16(&w, 24);
                w_bytes(&w, &r->addr, 16);
                w_u32(&w, 0);
                w_u32(&w, 0);
        }

        /* RFC 8415 21.7: an ORO in Solicit, Request, Renew and Rebind;
         * none in Release or Confirm. */
        if (r->n_oro > 0 && r->type != DHCP6_RELEASE && r->type != DHCP6_CONFIRM) {
                w_u16(&w, DHCP6_OPT_ORO);
                w_u16(&w, (uint16_t) (2 * r->n_oro));
                for (size_t i = 0; i < r->n_oro; i++)
                        w_u16(&w, r->oro[i]);
        }
        w_u16(&w, DHCP6_OPT_ELAPSED_TIME);
        w_u16(&w, 2);
        w_u16(&w, r->elapsed);
        if (r->rapid_commit && r->type == DHCP6_SOLICIT)
                w_opt(&w, DHCP6_OPT_RAPID_COMMIT, NULL, 0);

        if (w.overflow)
                return -ENOBUFS;
        return (int) w.len;
}

void dhcp6_escape(const char *s, char *out, size_t size)
{
        size_t o = 0;

        if (size == 0)
                return;
        for (; *s && o + 1 < size; s++) {
                unsigned char c = (unsigned char) *s;

                /* Only what a DNS name may hold passes as it is: shell
                 * metacharacters, quotes and control bytes are escaped. */
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == '_') {
                        out[o++] = (char) c;
                        continue;
                }
                if (o + 5 > size)
                        break;
                snprintf(out + o, size - o, "\\x%02x", c);
                o += 4;
        }
        out[o] = 0;
}

const char *dhcp6_type_name(int type)
{
        static const char *const names[] = {
                [DHCP6_SOLICIT] = "SOLICIT",     [DHCP6_ADVERTISE] = "ADVERTISE",
                [DHCP6_REQUEST] = "REQUEST",     [DHCP6_CONFIRM] = "CONFIRM",
                [DHCP6_RENEW] = "RENEW",         [DHCP6_REBIND] = "REBIND",
                [DHCP6_REPLY] = "REPLY",         [DHCP6_RELEASE] = "RELEASE",
                [DHCP6_DECLINE] = "DECLINE",
        };
        if (type > 0 && type <= DHCP6_DECLINE)
                return names[type];
        return "unknown";
}

const char *dhcp6_status_name(int status)
{
        switch (status) {
        case DHCP6_STATUS_SUCCESS: return "Success";
        case DHCP6_STATUS_UNSPEC_FAIL: return "UnspecFail";
        case DHCP6_STATUS_NO_ADDRS_AVAIL: return "NoAddrsAvail";
        case DHCP6_STATUS_NO_BINDING: return "NoBinding";
        case DHCP6_STATUS_NOT_ON_LINK: return "NotOnLink";
        case DHCP6_STATUS_USE_MULTICAST: return "UseMulticast";
        default: return "unknown";
        }
}
