/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include <netns-helper/sdk.h>
#include "slaac-nd.h"

#ifndef IFA_PROTO
#define IFA_PROTO 11
#endif
#ifndef IFAPROT_KERNEL_RA
#define IFAPROT_KERNEL_RA 2
#endif

/* ---- the table ------------------------------------------------------------ */

static uint64_t expiry(uint32_t lifetime, uint64_t now)
{
        return lifetime == SLAAC_LIFETIME_INFINITY ? SLAAC_NEVER : now + lifetime;
}

bool slaac_server_usable(const struct in6_addr *a)
{
        return !IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_LOOPBACK(a) && !IN6_IS_ADDR_MULTICAST(a) &&
               !IN6_IS_ADDR_LINKLOCAL(a) && !IN6_IS_ADDR_V4MAPPED(a);
}

/* The slot a new entry takes in a full table: the one that expires first,
 * when that is before "exp"; -1 when none should make room. */
static int victim(const uint64_t *const *exps, size_t n, uint64_t exp)
{
        int v = -1;

        for (size_t i = 0; i < n; i++)
                if (*exps[i] < exp && (v < 0 || *exps[i] < *exps[v]))
                        v = (int) i;
        return v;
}

int slaac_dns_add_server(struct slaac_dns *d, const struct in6_addr *a, uint32_t lifetime, uint64_t now)
{
        uint64_t exp = expiry(lifetime, now);
        const uint64_t *exps[SLAAC_MAX_SERVERS];
        int v;

        for (size_t i = 0; i < d->n_servers; i++) {
                if (memcmp(&d->servers[i].addr, a, sizeof(*a)) != 0)
                        continue;
                if (lifetime == 0) {
                        memmove(&d->servers[i], &d->servers[i + 1], (d->n_servers - i - 1) * sizeof(d->servers[0]));
                        d->n_servers--;
                        return 1;
                }
                /* A new expiry alone changes nothing that is written. */
                d->servers[i].expires = exp;
                return 0;
        }
        if (lifetime == 0)
                return 0;
        if (d->n_servers < SLAAC_MAX_SERVERS) {
                d->servers[d->n_servers].addr = *a;
                d->servers[d->n_servers++].expires = exp;
                return 1;
        }
        for (size_t i = 0; i < d->n_servers; i++)
                exps[i] = &d->servers[i].expires;
        v = victim(exps, d->n_servers, exp);
        if (v < 0) {
                d->full++;
                return 0;
        }
        memmove(&d->servers[v], &d->servers[v + 1], (d->n_servers - (size_t) v - 1) * sizeof(d->servers[0]));
        d->servers[d->n_servers - 1].addr = *a;
        d->servers[d->n_servers - 1].expires = exp;
        return 1;
}

static bool domain_eq(const char *a, const char *b)
{
        /* DNS names compare without regard to ASCII case (RFC 4343). */
        for (; *a && *b; a++, b++) {
                char x = *a >= 'A' && *a <= 'Z' ? (char) (*a + 32) : *a;
                char y = *b >= 'A' && *b <= 'Z' ? (char) (*b + 32) : *b;
                if (x != y)
                        return false;
        }
        return *a == *b;
}

int slaac_dns_add_domain(struct slaac_dns *d, const char *name, uint32_t lifetime, uint64_t now)
{
        uint64_t exp = expiry(lifetime, now);
        const uint64_t *exps[SLAAC_MAX_DOMAINS];
        size_t len = strlen(name);
        int v;

        if (len == 0 || len > SLAAC_DOMAIN_MAX)
                return 0;
        for (size_t i = 0; i < d->n_domains; i++) {
                if (!domain_eq(d->domains[i].name, name))
                        continue;
                if (lifetime == 0) {
                        memmove(&d->domains[i], &d->domains[i + 1], (d->n_domains - i - 1) * sizeof(d->domains[0]));
                        d->n_domains--;
                        return 1;
                }
                d->domains[i].expires = exp;
                return 0;
        }
        if (lifetime == 0)
                return 0;
        if (d->n_domains >= SLAAC_MAX_DOMAINS) {
                for (size_t i = 0; i < d->n_domains; i++)
                        exps[i] = &d->domains[i].expires;
                v = victim(exps, d->n_domains, exp);
                if (v < 0) {
                        d->full++;
                        return 0;
                }
                memmove(&d->domains[v], &d->domains[v + 1], (d->n_domains - (size_t) v - 1) * sizeof(d->domains[0]));
                d->n_domains--;
        }
        memcpy(d->domains[d->n_domains].name, name, len + 1);
        d->domains[d->n_domains++].expires = exp;
        return 1;
}

int slaac_dns_expire(struct slaac_dns *d, uint64_t now)
{
        size_t o = 0;
        int changed = 0;

        for (size_t i = 0; i < d->n_servers; i++)
                if (d->servers[i].expires > now)
                        d->servers[o++] = d->servers[i];
                else
                        changed = 1;
        d->n_servers = o;
        o = 0;
        for (size_t i = 0; i < d->n_domains; i++)
                if (d->domains[i].expires > now)
                        d->domains[o++] = d->domains[i];
                else
                        changed = 1;
        d->n_domains = o;
        return changed;
}

uint64_t slaac_dns_next_expiry(const struct slaac_dns *d)
{
        uint64_t next = SLAAC_NEVER;

        for (size_t i = 0; i < d->n_servers; i++)
                if (d->servers[i].expires < next)
                        next = d->servers[i].expires;
        for (size_t i = 0; i < d->n_domains; i++)
                if (d->domains[i].expires < next)
                        next = d->domains[i].expires;
        return next;
}

/* ---- the options (RFC 8106 5.1, 5.2) -------------------------------------- */

static uint32_t be32(const uint8_t *p)
{
        return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

int slaac_dnssl_name(const uint8_t *p, size_t len, char out[SLAAC_DOMAIN_MAX + 1])
{
        size_t i = 0, o = 0;

        if (len == 0)
                return -EBADMSG;
        if (p[0] == 0)
                return 0;       /* padding */
        for (;;) {
                size_t l;

                if (i >= len)
                        return -EBADMSG;        /* no terminating zero label */
                l = p[i++];
                if (l == 0)
                        break;
                /* 0xc0: a compression pointer, which RFC 8106 5.2 rules
                 * out ("MUST NOT be compressed"); 0x40, 0x80: reserved. */
                if (l > 63 || l > len - i)
                        return -EBADMSG;
                if (o + (o > 0) + l > SLAAC_DOMAIN_MAX)
                        return -EBADMSG;
                if (o > 0)
                        out[o++] = '.';
                for (size_t k = 0; k < l; k++) {
                        uint8_t c = p[i + k];
                        /* A dot or a control byte inside a label cannot be
                         * written as text; the DNS name rules come later. */
                        if (c == '.' || c <= 0x20 || c >= 0x7f)
                                return -EBADMSG;
                        out[o++] = (char) c;
                }
                i += l;
        }
        out[o] = '\0';
        return (int) i;
}

static int apply_rdnss(struct slaac_dns *d, const uint8_t *o, size_t olen, uint64_t now)
{
        uint32_t lifetime;
        int changed = 0;

        /* Length at least 3 and odd: 8 bytes of header, then 16 per address. */
        if (olen < 24 || (olen - 8) % 16 != 0) {
                d->bad_options++;
                return 0;
        }
        lifetime = be32(o + 4);
        for (size_t off = 8; off + 16 <= olen; off += 16) {
                struct in6_addr a;

                memcpy(&a, o + off, 16);
                if (!slaac_server_usable(&a)) {
                        d->bad_servers++;
                        continue;
                }
                changed |= slaac_dns_add_server(d, &a, lifetime, now);
        }
        return changed;
}

static int apply_dnssl(struct slaac_dns *d, const uint8_t *o, size_t olen, uint64_t now)
{
        char name[SLAAC_DOMAIN_MAX + 1];
        uint32_t lifetime;
        size_t off = 8;
        int changed = 0;

        if (olen < 16) {
                d->bad_options++;
                return 0;
        }
        lifetime = be32(o + 4);
        while (off < olen) {
                int n = slaac_dnssl_name(o + off, olen - off, name);

                if (n == 0)
                        break;          /* the padding: RFC 8106 5.2 */
                if (n < 0) {
                        /* The rest cannot be framed: drop it, keep what came before. */
                        d->bad_options++;
                        break;
                }
                off += (size_t) n;
                if (d->name_valid && !d->name_valid(name)) {
                        d->bad_domains++;
                        continue;
                }
                changed |= slaac_dns_add_domain(d, name, lifetime, now);
        }
        return changed;
}

int slaac_nd_apply_options(struct slaac_dns *d, const uint8_t *opts, size_t len, uint64_t now)
{
        size_t off = 0;
        int changed = 0;

        while (len - off >= 2) {
                size_t olen = (size_t) opts[off + 1] * 8;

                if (olen == 0 || olen > len - off) {
                        d->bad_options++;
                        break;
                }
                if (opts[off] == SLAAC_ND_OPT_RDNSS)
                        changed |= apply_rdnss(d, opts + off, olen, now);
                else if (opts[off] == SLAAC_ND_OPT_DNSSL)
                        changed |= apply_dnssl(d, opts + off, olen, now);
                off += olen;
        }
        return changed;
}

/* ---- rtnetlink ------------------------------------------------------------ */

static void scan_useropt(const struct nlmsghdr *h, struct slaac_scan *s)
{
        const struct nduseroptmsg *m;
        size_t room;

        if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
                return;
        m = NLMSG_DATA(h);
        if (m->nduseropt_family != AF_INET6 || m->nduseropt_ifindex != s->ifindex ||
            m->nduseropt_icmp_type != 134 /* ND_ROUTER_ADVERT */ || m->nduseropt_icmp_code != 0)
                return;
        room = h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
        if (m->nduseropt_opts_len > room)
                return;
        s->useropts++;
        if (s->dns && slaac_nd_apply_options(s->dns, (const uint8_t *) (m + 1), m->nduseropt_opts_len, s->now) > 0)
                s->dns_changed = true;
}

static void scan_addr(const struct nlmsghdr *h, struct slaac_scan *s)
{
        const struct ifaddrmsg *ifa;
        const struct rtattr *tb[IFA_PROTO + 1];
        const uint8_t *addr;
        uint32_t flags;
        int proto = -1;
        bool from_ra;

        if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
                return;
        ifa = NLMSG_DATA(h);
        if (ifa->ifa_family != AF_INET6 || (int) ifa->ifa_index != s->ifindex || ifa->ifa_scope != RT_SCOPE_UNIVERSE)
                return;
        nh_nl_parse(h, sizeof(*ifa), tb, IFA_PROTO);
        if (!tb[IFA_ADDRESS] || RTA_PAYLOAD(tb[IFA_ADDRESS]) != 16)
                return;
        addr = RTA_DATA(tb[IFA_ADDRESS]);
        flags = ifa->ifa_flags;
        if (tb[IFA_FLAGS] && RTA_PAYLOAD(tb[IFA_FLAGS]) == 4)
                memcpy(&flags, RTA_DATA(tb[IFA_FLAGS]), 4);     /* supersedes the 8-bit one */
        if (tb[IFA_PROTO] && RTA_PAYLOAD(tb[IFA_PROTO]) >= 1)
                proto = *(const uint8_t *) RTA_DATA(tb[IFA_PROTO]);
        s->addr_seen = true;
        if (h->nlmsg_type == RTM_DELADDR)
                return;
        /* Kernels since 6.0 say where an address came from (IFA_PROTO);
         * before, an address the kernel made from a prefix is the one that
         * is neither permanent (ip addr add) nor a /128 (DHCPv6). */
        if (proto >= 0)
                from_ra = proto == IFAPROT_KERNEL_RA;
        else
                from_ra = !(flags & IFA_F_PERMANENT) && ifa->ifa_prefixlen < 128;
        if (flags & IFA_F_DADFAILED) {
                if (from_ra)
                        s->ra_addr_dadfailed = true;
                return;
        }
        /* An optimistic address (RFC 4429) is usable while in DAD. */
        if ((flags & IFA_F_TENTATIVE) && !(flags & IFA_F_OPTIMISTIC)) {
                if (from_ra)
                        s->ra_addr_tentative = true;
                return;
        }
        if (flags & IFA_F_DEPRECATED)
                return;
        if (from_ra) {
                s->ra_addr = true;
                memcpy(&s->ra_addr_value, addr, 16);
        } else
                s->other_addr = true;
}

static void scan_route(const struct nlmsghdr *h, struct slaac_scan *s)
{
        const struct rtmsg *rtm;
        const struct rtattr *tb[RTA_TABLE + 1];
        uint32_t table, oif = 0;

        if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
                return;
        rtm = NLMSG_DATA(h);
        if (rtm->rtm_family != AF_INET6 || rtm->rtm_dst_len != 0 || rtm->rtm_protocol != RTPROT_RA ||
            rtm->rtm_type != RTN_UNICAST)
                return;
        nh_nl_parse(h, sizeof(*rtm), tb, RTA_TABLE);
        table = rtm->rtm_table;
        if (tb[RTA_TABLE] && RTA_PAYLOAD(tb[RTA_TABLE]) == 4)
                memcpy(&table, RTA_DATA(tb[RTA_TABLE]), 4);
        if (tb[RTA_OIF] && RTA_PAYLOAD(tb[RTA_OIF]) == 4)
                memcpy(&oif, RTA_DATA(tb[RTA_OIF]), 4);
        if (table != RT_TABLE_MAIN || (int) oif != s->ifindex)
                return;
        s->route_seen = true;
        if (h->nlmsg_type == RTM_DELROUTE) {
                s->ra_default_gone = true;
                return;
        }
        s->ra_default = true;
        if (tb[RTA_GATEWAY] && RTA_PAYLOAD(tb[RTA_GATEWAY]) == 16)
                memcpy(&s->gateway, RTA_DATA(tb[RTA_GATEWAY]), 16);
}

static void scan_one(const struct nlmsghdr *h, void *arg)
{
        struct slaac_scan *s = arg;

        if (nh_nl_dump_end(h, &s->error)) {
                s->done = true;
                return;
        }
        switch (h->nlmsg_type) {
        case RTM_NEWNDUSEROPT:
                scan_useropt(h, s);
                break;
        case RTM_NEWADDR:
        case RTM_DELADDR:
                scan_addr(h, s);
                break;
        case RTM_NEWROUTE:
        case RTM_DELROUTE:
                scan_route(h, s);
                break;
        default:
                break;
        }
}

int slaac_nl_scan(const void *buf, size_t len, struct slaac_scan *s)
{
        return nh_nl_walk(buf, len, scan_one, s);
}

/* ---- router advertisements (RFC 4861 4.2) ---------------------------------- */

int slaac_ra_parse(const uint8_t *p, size_t len, struct slaac_ra *ra)
{
        /* type, code, checksum, cur hop limit, M|O|..., router lifetime,
         * reachable time, retrans timer: 16 bytes. */
        if (len < 16 || p[0] != 134 || p[1] != 0)
                return -EBADMSG;
        ra->managed = p[5] & 0x80;
        ra->other = p[5] & 0x40;
        ra->router_lifetime = (uint16_t) (p[6] << 8 | p[7]);
        return 0;
}
