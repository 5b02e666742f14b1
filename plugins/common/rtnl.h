/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtnl: rtnetlink requests on a plain socket, for the stage plugins built
 * here.  A stage process is short: loading a netlink library costs it more
 * than the requests it makes (about 0.1 ms to map and more to bind its
 * functions), so the plugins on the bring-up path speak rtnetlink with
 * these few helpers, as iproute2 does with its own.  Plugins elsewhere (and
 * out of tree) keep nh_netlink() and libnl-3.
 *
 * Linked into each plugin that uses it (a convenience library, not part of
 * the plugin ABI).
 */
#ifndef NH_RTNL_H
#define NH_RTNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/* One request, built in place.  A request that does not fit is marked and
 * refused when sent (-E2BIG), so building needs no error checks. */
struct rtnl_msg {
        union {
                struct nlmsghdr h;
                char bytes[1024];
        };
        bool overflow;
};

/* type, NLM_F_* flags besides NLM_F_REQUEST and NLM_F_ACK (added when
 * sent), and the family header (ifinfomsg, ifaddrmsg, rtmsg...). */
void rtnl_msg_init(struct rtnl_msg *m, uint16_t type, uint16_t flags, const void *hdr, size_t len);
void rtnl_put(struct rtnl_msg *m, uint16_t type, const void *data, size_t len);
void rtnl_put_u32(struct rtnl_msg *m, uint16_t type, uint32_t v);
void rtnl_put_str(struct rtnl_msg *m, uint16_t type, const char *s);
struct rtattr *rtnl_nest(struct rtnl_msg *m, uint16_t type);
void rtnl_nest_end(struct rtnl_msg *m, struct rtattr *nest);

/* A NETLINK_ROUTE socket in the calling thread's namespace; -errno. */
int rtnl_socket(void);

/* Sends m and waits for its ACK; every other reply to it goes to reply()
 * (may be NULL).  Returns 0 or the kernel's negative errno (-EIO when the
 * socket fails, -EMSGSIZE for a reply larger than the buffer). */
typedef void (*rtnl_reply_fn)(const struct nlmsghdr *h, void *arg);
int rtnl_talk(int fd, struct rtnl_msg *m, rtnl_reply_fn reply, void *arg);

/* Sends n requests in one datagram; the kernel runs them in order and
 * acknowledges each.  errs[i] gets request i's result.  Returns 0 when
 * every ACK came, or a negative errno when the socket failed. */
#define RTNL_BATCH_MAX 16
int rtnl_batch(int fd, struct rtnl_msg *const *m, size_t n, int *errs);

/* A dump (RTM_GETADDR, RTM_GETROUTE...) of one family: every entry goes to
 * reply().  0 or a negative errno. */
int rtnl_dump(int fd, uint16_t type, uint8_t family, rtnl_reply_fn reply, void *arg);

/* Calls fn() for each message of a buffer received from the kernel (or the
 * network: every header is checked against what is left).  Returns 0, or
 * -EBADMSG at a malformed header (the rest is skipped). */
int rtnl_walk(const void *buf, size_t len, rtnl_reply_fn fn, void *arg);

/* /proc/sys/net/ipv6/conf/IFNAME/NAME of the calling thread's network
 * namespace (procfs resolves /proc/sys/net against the opener's): read as
 * a number, or written.  0 or -errno. */
int ipv6_conf_read(const char *ifname, const char *name, long *out);
int ipv6_conf_write(const char *ifname, const char *name, long value);

/* tb[0..max] = the attributes of a message whose family header is hdrlen
 * bytes; the last of a repeated type wins.  tb entries are NULL when
 * absent.  rtnl_parse_nested() does the same inside a nested attribute. */
void rtnl_parse(const struct nlmsghdr *h, size_t hdrlen, const struct rtattr **tb, int max);
void rtnl_parse_nested(const struct rtattr *nest, const struct rtattr **tb, int max);

/* ---- one link going down and coming back ----------------------------------
 * "ip link set IF down" flushes the link's routes (and its IPv6 addresses);
 * a long-running stage that configured them puts them back when the link
 * is up again.  The socket is the caller's (made in the link's namespace). */

/* fd joins RTMGRP_LINK; 0 or -errno. */
int rtnl_link_events_join(int fd);

/* Scans len bytes of rtnetlink messages for RTM_NEWLINK of ifindex; short,
 * odd or foreign messages are skipped.  Seen not up and running (IFF_UP,
 * IFF_RUNNING): *down is set.  Seen up and running while *down: *down is
 * cleared and the result is true ("up again"). */
bool rtnl_link_scan(const void *buf, size_t len, int ifindex, bool *down);

/* Reads what fd has queued (non-blocking) through rtnl_link_scan().  When
 * notifications were lost (ENOBUFS), goes by ifname's flags now.  1: up
 * again, 0: not, -errno: the socket failed. */
int rtnl_link_events_read(int fd, int ifindex, const char *ifname, bool *down);

/* ---- links coming and going ----------------------------------------------
 * A stage that follows its link (or its parent) by name: a link deleted and
 * made again has a new index. */
struct rtnl_link_event {
        uint16_t type;                  /* RTM_NEWLINK or RTM_DELLINK */
        int index;
        unsigned flags;                 /* IFF_* */
        char name[16];                  /* IFLA_IFNAME; "" when absent */
};
typedef void (*rtnl_link_event_fn)(const struct rtnl_link_event *ev, void *arg);

/* Reads what fd (joined with rtnl_link_events_join()) has queued, without
 * blocking, and calls fn for each link message; short or odd ones are
 * skipped.  0 once all was read, -ENOBUFS when notifications were lost (the
 * caller then looks at the state as it is now), another -errno when the
 * socket failed. */
int rtnl_link_events_each(int fd, rtnl_link_event_fn fn, void *arg);

/* ---- one link followed by name -------------------------------------------
 * A long-running stage bound to a link that may go down and up (the kernel
 * flushes its routes and IPv6 addresses) or be deleted and made again under
 * its name (the kernel deletes a macvlan with its parent; the macvlan
 * stage's watcher makes it again once the parent is back, with a new
 * index).  The caller sets ifname and ifindex; fd is the caller's (made in
 * the link's namespace, joined with rtnl_link_events_join()). */
struct rtnl_link_follow {
        const char *ifname;
        int ifindex;                    /* the link in use: the new one after RTNL_LINK_BACK */
        bool down;                      /* seen down (or without carrier) since it was up */
        bool gone;                      /* deleted: waiting for a link of its name, up */
};

enum rtnl_link_change {
        RTNL_LINK_SAME,                 /* nothing for the stage to do */
        RTNL_LINK_AGAIN,                /* up again after down: put back what the kernel flushed */
        RTNL_LINK_GONE,                 /* deleted: what was bound to its index is useless */
        RTNL_LINK_BACK,                 /* made again and up: bind to the new index, then as AGAIN */
};

/* Reads what fd has queued, without blocking, and moves f along; when
 * notifications were lost (ENOBUFS), goes by the link of that name as it
 * is now.  The change since the last call, or -errno when the socket
 * failed. */
int rtnl_link_follow_read(int fd, struct rtnl_link_follow *f);

static inline size_t rtnl_len(const struct rtattr *a) { return RTA_PAYLOAD(a); }
static inline const void *rtnl_data(const struct rtattr *a) { return RTA_DATA(a); }
/* 0 when a is NULL or shorter than 4 bytes. */
uint32_t rtnl_u32(const struct rtattr *a);

#endif
