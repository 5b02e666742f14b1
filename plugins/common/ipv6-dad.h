/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Optimistic duplicate address detection (RFC 4429) on the links the stage
 * plugins make.  Without it, a new link's link-local address stays
 * tentative for 1-2 s (DupAddrDetectTransmits x RetransTimer, plus the
 * random delay of RFC 4862 5.4.2), and nothing can bind to it: a DHCPv6
 * client (RFC 8415 needs a link-local source) waits that long on every
 * fresh link.  An optimistic address is usable at once while DAD goes on;
 * the kernel still gives it up if DAD fails.
 */
#ifndef NH_IPV6_DAD_H
#define NH_IPV6_DAD_H

/* Sets net.ipv6.conf.IFNAME.optimistic_dad and use_optimistic to 1 in the
 * network namespace of the calling thread (/proc/sys/net follows the
 * opener's namespace).  Must run before the link comes up: the kernel
 * decides whether an address is optimistic when DAD starts.  Returns 0,
 * -ENOENT when the kernel has no optimistic DAD (CONFIG_IPV6_OPTIMISTIC_DAD
 * off, or no IPv6 on the link: nothing to speed up), or -errno. */
int nh_ipv6_optimistic_dad(const char *ifname);

#endif
