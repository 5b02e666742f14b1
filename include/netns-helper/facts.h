/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netns-helper facts: the registry of well-known fact keys and the one
 * definition of how each kind of value is spelled.
 *
 * A fact is one value a stage records for the namespace with nh_fact_set()
 * (a file RUNDIR/NAME/facts/KEY holding the value), read by later stages
 * (nh_fact_get()), by the core (the interface fact becomes the hooks'
 * NETNS_HELPER_INTERFACE) and by "netns-helper status".  A key is a lower-case word, or "STAGE.WORD" for
 * what belongs to one stage.  The value is text, of one of these types:
 *
 *   interface  a Linux interface name                      "nm_torrents"
 *   mac        aa:bb:cc:dd:ee:ff, lower case               "02:00:5e:10:00:01"
 *   prefix     an address with its prefix length            "192.0.2.10/24",
 *              (inet_ntop(3) text, then "/N")                "2001:db8::10/128"
 *   time       decimal seconds since the Epoch, or the word  "1767225600",
 *              "infinite" for what never ends (a lease whose "infinite"
 *              lifetime is 0xffffffff): never 0, never
 *              another word.  Every key ending in ".expires" is a time.
 *
 * Writers and readers of times use nh_fact_set_time() and
 * nh_fact_parse_time() below, so that a stage, the core and "status" agree
 * on one spelling.  Out-of-tree stages may add facts of their own: name
 * them "STAGE.WORD" and use these types.
 */
#ifndef NETNS_HELPER_FACTS_H
#define NETNS_HELPER_FACTS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netns-helper/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- well-known facts ---------------------------------------------------- */
#define NH_FACT_INTERFACE "interface"     /* interface: the namespace's uplink, set by macvlan (or veth) */
#define NH_FACT_MAC       "mac"           /* mac: its MAC address */
#define NH_FACT_DHCP4_ADDRESS "dhcp4.address" /* prefix: set by the dhcp4 stage while bound */
#define NH_FACT_DHCP4_EXPIRES "dhcp4.expires" /* time: when that lease ends */
#define NH_FACT_DHCP6_ADDRESS "dhcp6.address" /* prefix: set by the dhcp6 stage while bound */
#define NH_FACT_DHCP6_EXPIRES "dhcp6.expires" /* time: when that lease's valid lifetime ends */
/* interface: the namespace's tunnel interface (set by wireguard): traffic
 * that leaves by another interface is a leak, says "netns-helper leaktest". */
#define NH_FACT_TUNNEL    "tunnel"

/* --- the time type --------------------------------------------------------- */
/* The value of a time that never comes, for nh_fact_set_time(). */
#define NH_TIME_INFINITE (-1LL)
/* How it is spelled in a fact. */
#define NH_FACT_TIME_INFINITE "infinite"
/* Room for any time's text, with its NUL. */
#define NH_FACT_TIME_MAX 24

/* The text of a time: t seconds since the Epoch (t > 0), or NH_TIME_INFINITE.
 * Returns buf, or NULL (buf empty) for any other t. */
static inline const char *nh_fact_format_time(long long t, char buf[NH_FACT_TIME_MAX])
{
        if (t == NH_TIME_INFINITE)
                snprintf(buf, NH_FACT_TIME_MAX, "%s", NH_FACT_TIME_INFINITE);
        else if (t > 0)
                snprintf(buf, NH_FACT_TIME_MAX, "%lld", t);
        else {
                buf[0] = '\0';
                return NULL;
        }
        return buf;
}

/* Parses a time fact: 1 and *t set for a time, 0 (and *t =
 * NH_TIME_INFINITE) for "infinite", -EINVAL (nothing set) for NULL or
 * anything else. */
static inline int nh_fact_parse_time(const char *value, long long *t)
{
        char *end;
        long long v;

        if (!value || !*value)
                return -EINVAL;
        if (strcmp(value, NH_FACT_TIME_INFINITE) == 0) {
                *t = NH_TIME_INFINITE;
                return 0;
        }
        if (*value < '0' || *value > '9')
                return -EINVAL;
        errno = 0;
        v = strtoll(value, &end, 10);
        if (errno != 0 || *end != '\0' || v <= 0)
                return -EINVAL;
        *t = v;
        return 1;
}

/* Records a time fact (see nh_fact_format_time()); -EINVAL for a t that is
 * neither a time nor NH_TIME_INFINITE. */
static inline int nh_fact_set_time(struct nh_ctx *c, const char *key, long long t)
{
        char text[NH_FACT_TIME_MAX];

        if (!nh_fact_format_time(t, text))
                return -EINVAL;
        return nh_fact_set(c, key, text);
}

#ifdef __cplusplus
}
#endif

#endif /* NETNS_HELPER_FACTS_H */
