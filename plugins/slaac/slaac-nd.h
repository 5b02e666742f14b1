/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pure logic of the slaac stage, with no system calls, so that the unit
 * tests and the fuzzer drive it with hand-made bytes and a fake clock:
 *   - the DNS options of router advertisements (RFC 8106: RDNSS, type 25,
 *     and DNSSL, type 31) as the kernel hands them to userspace in
 *     RTM_NEWNDUSEROPT messages (RTNLGRP_ND_USEROPT);
 *   - the table of servers and domains they give, each with the time it
 *     expires (RFC 8106 5.1/5.2 lifetimes);
 *   - the rtnetlink messages that tell whether the kernel configured an
 *     address and a default route from router advertisements;
 *   - the header of a router advertisement (RFC 4861 4.2: M and O flags).
 * Everything read here comes from the network: every length is checked
 * against what is left before anything is read.
 */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLAAC_ND_OPT_RDNSS 25
#define SLAAC_ND_OPT_DNSSL 31
#define SLAAC_LIFETIME_INFINITY 0xffffffffu
#define SLAAC_NEVER UINT64_MAX

/* What the table keeps.  The core writes at most 3 servers and 6 domains
 * into resolv.conf; a few more here let entries that expire be replaced by
 * the next ones the routers announced. */
#define SLAAC_MAX_SERVERS 8
#define SLAAC_MAX_DOMAINS 8
#define SLAAC_DOMAIN_MAX 253            /* text form, without the final dot */

struct slaac_server {
        struct in6_addr addr;
        uint64_t expires;               /* seconds on the caller's clock; SLAAC_NEVER */
};

struct slaac_domain {
        char name[SLAAC_DOMAIN_MAX + 1];
        uint64_t expires;
};

struct slaac_dns {
        struct slaac_server servers[SLAAC_MAX_SERVERS];
        size_t n_servers;
        struct slaac_domain domains[SLAAC_MAX_DOMAINS];
        size_t n_domains;
        /* Counted for the log: what was dropped and why. */
        size_t bad_options;             /* malformed RDNSS/DNSSL options */
        size_t bad_servers;             /* unusable addresses (multicast, link-local, ...) */
        size_t bad_domains;             /* names that are not valid DNS names */
        size_t full;                    /* entries that found no room */
        /* Set by the caller: the DNS name rules (the core's
         * nh_dns_name_valid()); NULL: only the wire format is checked. */
        int (*name_valid)(const char *name);
};

/* RFC 8106 5.1 and 5.2, in the order an RA lists them.  Returns 1 when the
 * table changed, 0 when not.  "now" and "expires" are seconds on one
 * monotonic clock.  A lifetime of 0 removes the entry (RFC 8106 5.1: "the
 * value zero means that the RDNSS address MUST no longer be used"); any
 * other replaces its expiry.  A full table replaces the entry that expires
 * first, when the new one lives longer. */
int slaac_dns_add_server(struct slaac_dns *d, const struct in6_addr *a, uint32_t lifetime, uint64_t now);
int slaac_dns_add_domain(struct slaac_dns *d, const char *name, uint32_t lifetime, uint64_t now);

/* Removes what has expired at "now"; 1 when something went. */
int slaac_dns_expire(struct slaac_dns *d, uint64_t now);
/* When the next entry expires (SLAAC_NEVER: none does). */
uint64_t slaac_dns_next_expiry(const struct slaac_dns *d);

/* Parses the ND options in opts[0..len) (a sequence of type, length in
 * units of 8 octets, data) and applies every RDNSS and DNSSL option to d.
 * Other options are skipped.  A malformed option is counted and skipped;
 * an option length of 0 or one that runs past the end stops the walk
 * (RFC 4861 4.6: "nodes MUST silently discard an ND packet that contains
 * an option with length zero").  Returns 1 when d changed, 0 when not. */
int slaac_nd_apply_options(struct slaac_dns *d, const uint8_t *opts, size_t len, uint64_t now);

/* A DNSSL name in DNS wire format (RFC 1035 3.1, no compression) at
 * p[0..len) into text "a.b.c" (at most SLAAC_DOMAIN_MAX bytes).  Returns
 * the number of bytes consumed (> 0), 0 at the zero padding that ends the
 * list, or -EBADMSG. */
int slaac_dnssl_name(const uint8_t *p, size_t len, char out[SLAAC_DOMAIN_MAX + 1]);

/* A server the resolver can use: not unspecified, loopback, multicast, or
 * link-local (which needs a zone resolv.conf cannot carry portably), not
 * v4-mapped. */
bool slaac_server_usable(const struct in6_addr *a);

/* ---- rtnetlink ------------------------------------------------------------ */

/* What a buffer of rtnetlink messages said about one interface. */
struct slaac_scan {
        int ifindex;                    /* set by the caller */
        uint64_t now;                   /* set by the caller: for the DNS lifetimes */
        struct slaac_dns *dns;          /* set by the caller: RDNSS/DNSSL go there */

        bool dns_changed;               /* an RTM_NEWNDUSEROPT changed *dns */
        size_t useropts;                /* RTM_NEWNDUSEROPT messages for ifindex */

        /* Addresses: RTM_NEWADDR/RTM_DELADDR of global IPv6 addresses. */
        bool addr_seen;                 /* some address message for ifindex */
        bool ra_addr;                   /* a usable address made from an RA prefix */
        struct in6_addr ra_addr_value;
        bool ra_addr_tentative;         /* one is still in DAD */
        bool ra_addr_dadfailed;
        bool other_addr;                /* a usable global address of another origin (DHCPv6, static) */

        /* Routes: a default route the kernel took from an RA (RTPROT_RA). */
        bool route_seen;
        bool ra_default;                /* one is there */
        bool ra_default_gone;           /* an RTM_DELROUTE of it */
        struct in6_addr gateway;

        bool done;                      /* NLMSG_DONE (end of a dump) */
        int error;                      /* NLMSG_ERROR's negative errno */
};

/* Scans len bytes of rtnetlink messages.  Short, odd or foreign messages
 * are skipped.  Returns 0, or -EBADMSG when a header is malformed (the rest
 * of the buffer is skipped). */
int slaac_nl_scan(const void *buf, size_t len, struct slaac_scan *s);

/* ---- router advertisements ------------------------------------------------ */

struct slaac_ra {
        bool managed;                   /* M: addresses from DHCPv6 (RFC 4861 4.2) */
        bool other;                     /* O: other configuration (DNS) from DHCPv6 */
        uint16_t router_lifetime;       /* seconds; 0: not a default router */
};

/* The ICMPv6 message p[0..len) is a router advertisement (type 134, code
 * 0, at least the 16 bytes of its header): 0 and *ra filled, else -EBADMSG. */
int slaac_ra_parse(const uint8_t *p, size_t len, struct slaac_ra *ra);
