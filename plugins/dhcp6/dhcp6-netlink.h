/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading rtnetlink address messages to learn when the interface's
 * link-local address has left duplicate address detection.  Pure parsing,
 * so tests feed it hand-made messages.
 */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

struct dhcp6_ll_scan {
        bool found;             /* a usable (non-tentative) link-local address */
        struct in6_addr addr;
        bool tentative;         /* one is still in DAD */
        bool dadfailed;         /* one failed DAD */
        bool done;              /* NLMSG_DONE seen (end of a dump) */
        int error;              /* NLMSG_ERROR with a negative errno */

        /* Set by the caller: also look for this address (check verb). */
        bool want;
        struct in6_addr wanted;
        bool wanted_found;
};

/* Scan a buffer of netlink messages for RTM_NEWADDR of an IPv6 link-local
 * address on ifindex; results accumulate in *s. Returns 0, or -EBADMSG
 * when a message header is malformed (the rest is skipped). */
int dhcp6_ll_scan(const void *buf, size_t len, int ifindex, struct dhcp6_ll_scan *s);
