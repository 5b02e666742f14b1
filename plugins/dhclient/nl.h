/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A few rtnetlink requests, on a NETLINK_ROUTE socket the caller opened in
 * the namespace it wants to change (the plugin gets it from nh_socket(),
 * the handler opens it in the namespace dhclient runs in).  Plain
 * rtnetlink, so the plugin and the handler need no library.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lease.h"

/* A NETLINK_ROUTE socket in the calling thread's namespace. */
int nlr_open(void);
/* Binds fd to the multicast groups in mask (RTMGRP_*). */
int nlr_subscribe(int fd, uint32_t groups);

/* ifindex of name, and its IFF_* flags when flags is not NULL. */
int nlr_link_get(int fd, const char *name, int *ifindex, unsigned *flags);
/* Sets the link up (when up) and its MTU (when mtu != 0). */
int nlr_link_set(int fd, int ifindex, bool up, uint32_t mtu);

/* RTM_NEWADDR (replace) or RTM_DELADDR.  Lifetimes in seconds,
 * UINT32_MAX or 0 for forever. */
int nlr_addr_add(int fd, int ifindex, const struct dhc_addr *a, const struct dhc_addr *brd,
                 uint32_t valid, uint32_t preferred);
int nlr_addr_del(int fd, int ifindex, const struct dhc_addr *a);
/* 1 when a is on ifindex, 0 when not. */
int nlr_addr_present(int fd, int ifindex, const struct dhc_addr *a);

/* RTM_NEWROUTE (create or replace) in the main table.  gw may be NULL or
 * unset (on-link); prefsrc may be NULL.  With a prefsrc the kernel drops
 * the route with the address, which is how lease expiry takes routes. */
int nlr_route_add(int fd, int ifindex, const struct dhc_addr *dst, const struct dhc_addr *gw,
                  const struct dhc_addr *prefsrc, uint32_t metric, bool onlink);

/* The state of ifindex's IPv6 link-local addresses: 1 when one has left
 * DAD, 0 when one is still tentative, -ENOENT when there is none (yet),
 * -EADDRNOTAVAIL when DAD failed on every one. */
int nlr_ll_state(int fd, int ifindex);
