/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <netns-helper/sdk.h>: libnetns-helper-sdk, the helpers a stage plugin
 * needs besides the plugin ABI (<netns-helper/plugin.h>): rtnetlink
 * requests on a plain socket, IPv6 per-link settings and optimistic DAD,
 * noticing a namespace deleted from outside, a log rate limit, state files
 * written atomically, address/prefix text, libnl error numbers as errno,
 * and stable short interface names.  (Running a program inside the
 * namespace the way "ip netns exec" does is the core's nh_run_hook() in
 * <netns-helper/plugin.h>.)  The stages built with
 * netns-helper use exactly this, as a third party's do:
 *
 *     cc -shared -fPIC $(pkg-config --cflags netns-helper-sdk) x.c \
 *        $(pkg-config --libs netns-helper-sdk) -o x.so
 *
 * A static archive of position-independent code, not a shared library,
 * by choice:
 * - A stage process is short (one "up" runs several), and every shared
 *   object it maps costs a load, relocations and symbol binding each time
 *   (the same reason these helpers speak rtnetlink without libnl, below):
 *   linked in, the helpers cost nothing at run time.
 * - A plugin then needs nothing of netns-helper at run time but the core
 *   that loads it: no soname to keep, no library package to version in
 *   step with the plugins; the archive ships in netns-helper-dev.
 * - Its symbols stay inside each plugin (hidden visibility): two plugins
 *   built against different SDK versions load side by side.
 * Functions return 0 (or a count) on success and a negative errno on
 * failure, like the plugin API; none of them logs.
 */
#ifndef NETNS_HELPER_SDK_H
#define NETNS_HELPER_SDK_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <netns-helper/plugin.h>

/* ---- rtnetlink on a plain socket -----------------------------------------
 * A stage process is short: loading a netlink library costs it more than
 * the requests it makes (mapping it and binding its functions; figures in
 * docs/BENCHMARKS.md), so the stages on the bring-up path speak rtnetlink
 * with these few helpers, as iproute2 does with its own.  nh_netlink() and libnl-3
 * remain for stages that want a library. */

/* One request, built in place.  A request that does not fit is marked and
 * refused when sent (-E2BIG), so building needs no error checks. */
struct nh_nl_msg {
        union {
                struct nlmsghdr h;
                char bytes[1024];
        };
        bool overflow;
};

/* type, NLM_F_* flags besides NLM_F_REQUEST and NLM_F_ACK (added when
 * sent), and the family header (ifinfomsg, ifaddrmsg, rtmsg...). */
void nh_nl_msg_init(struct nh_nl_msg *m, uint16_t type, uint16_t flags, const void *hdr, size_t len);
void nh_nl_put(struct nh_nl_msg *m, uint16_t type, const void *data, size_t len);
void nh_nl_put_u32(struct nh_nl_msg *m, uint16_t type, uint32_t v);
void nh_nl_put_str(struct nh_nl_msg *m, uint16_t type, const char *s);
struct rtattr *nh_nl_nest(struct nh_nl_msg *m, uint16_t type);
void nh_nl_nest_end(struct nh_nl_msg *m, struct rtattr *nest);

/* A NETLINK_ROUTE socket in the calling thread's namespace; -errno. */
int nh_nl_socket(void);

/* Sends m and waits for its ACK; every other reply to it goes to reply()
 * (may be NULL).  Returns 0 or the kernel's negative errno (-EIO when the
 * socket fails, -EMSGSIZE for a reply larger than the buffer). */
typedef void (*nh_nl_reply_fn)(const struct nlmsghdr *h, void *arg);
int nh_nl_talk(int fd, struct nh_nl_msg *m, nh_nl_reply_fn reply, void *arg);
/* The same for a request built elsewhere (libnl's nlmsg_hdr(), on the fd of
 * nl_socket_get_fd()): unlike nl_send_sync(), the kernel's errno comes
 * back as it is (libnl folds e.g. ENOTCONN and ENETUNREACH into
 * "Unspecific failure"). */
int nh_nl_talk_hdr(int fd, struct nlmsghdr *h, nh_nl_reply_fn reply, void *arg);

/* Sends n requests in one datagram; the kernel runs them in order and
 * acknowledges each.  errs[i] gets request i's result.  Returns 0 when
 * every ACK came, or a negative errno when the socket failed. */
#define NH_NL_BATCH_MAX 16
int nh_nl_batch(int fd, struct nh_nl_msg *const *m, size_t n, int *errs);

/* A dump (RTM_GETADDR, RTM_GETROUTE...) of one family: every entry goes to
 * reply().  0 or a negative errno. */
int nh_nl_dump(int fd, uint16_t type, uint8_t family, nh_nl_reply_fn reply, void *arg);

/* Calls fn() for each message of a buffer received from the kernel (or the
 * network: every header is checked against what is left).  Returns 0, or
 * -EBADMSG at a malformed header (the rest is skipped). */
int nh_nl_walk(const void *buf, size_t len, nh_nl_reply_fn fn, void *arg);

/* For fn() of a dump read by hand: true when h ends it (NLMSG_DONE, or
 * NLMSG_ERROR, whose negative errno then goes to *error). */
bool nh_nl_dump_end(const struct nlmsghdr *h, int *error);

/* ---- IPv6 per-link settings ---------------------------------------------
 * /proc/sys/net/ipv6/conf/IFNAME/NAME of the calling thread's network
 * namespace (procfs resolves /proc/sys/net against the opener's): read as
 * a number, or written.  0 or -errno. */
int nh_ipv6_conf_read(const char *ifname, const char *name, long *out);
int nh_ipv6_conf_write(const char *ifname, const char *name, long value);

/* tb[0..max] = the attributes of a message whose family header is hdrlen
 * bytes; the last of a repeated type wins.  tb entries are NULL when
 * absent.  nh_nl_parse_nested() does the same inside a nested attribute. */
void nh_nl_parse(const struct nlmsghdr *h, size_t hdrlen, const struct rtattr **tb, int max);
void nh_nl_parse_nested(const struct rtattr *nest, const struct rtattr **tb, int max);

/* ---- one link going down and coming back ----------------------------------
 * "ip link set IF down" flushes the link's routes (and its IPv6 addresses);
 * a long-running stage that configured them puts them back when the link
 * is up again.  The socket is the caller's (made in the link's namespace). */

/* fd joins RTMGRP_LINK; 0 or -errno. */
int nh_nl_link_events_join(int fd);

/* Scans len bytes of rtnetlink messages for RTM_NEWLINK of ifindex; short,
 * odd or foreign messages are skipped.  Seen not up and running (IFF_UP,
 * IFF_RUNNING): *down is set.  Seen up and running while *down: *down is
 * cleared and the result is true ("up again"). */
bool nh_nl_link_scan(const void *buf, size_t len, int ifindex, bool *down);

/* Reads what fd has queued (non-blocking) through nh_nl_link_scan().  When
 * notifications were lost (ENOBUFS), goes by ifname's flags now.  1: up
 * again, 0: not, -errno: the socket failed. */
int nh_nl_link_events_read(int fd, int ifindex, const char *ifname, bool *down);

/* ---- links coming and going ----------------------------------------------
 * A stage that follows its link (or its parent) by name: a link deleted and
 * made again has a new index. */
struct nh_nl_link_event {
        uint16_t type;                  /* RTM_NEWLINK or RTM_DELLINK */
        int index;
        unsigned flags;                 /* IFF_* */
        char name[16];                  /* IFLA_IFNAME; "" when absent */
};
typedef void (*nh_nl_link_event_fn)(const struct nh_nl_link_event *ev, void *arg);

/* Reads what fd (joined with nh_nl_link_events_join()) has queued, without
 * blocking, and calls fn for each link message; short or odd ones are
 * skipped.  0 once all was read, -ENOBUFS when notifications were lost (the
 * caller then looks at the state as it is now), another -errno when the
 * socket failed. */
int nh_nl_link_events_each(int fd, nh_nl_link_event_fn fn, void *arg);

/* ---- one link followed by name -------------------------------------------
 * A long-running stage bound to a link that may go down and up (the kernel
 * flushes its routes and IPv6 addresses) or be deleted and made again under
 * its name (the kernel deletes a macvlan with its parent; the macvlan
 * stage's watcher makes it again once the parent is back, with a new
 * index).  The caller sets ifname and ifindex; fd is the caller's (made in
 * the link's namespace, joined with nh_nl_link_events_join()). */
struct nh_nl_link_follow {
        const char *ifname;
        int ifindex;                    /* the link in use: the new one after NH_NL_LINK_BACK */
        bool down;                      /* seen down (or without carrier) since it was up */
        bool gone;                      /* deleted: waiting for a link of its name, up */
};

enum nh_nl_link_change {
        NH_NL_LINK_SAME,                 /* nothing for the stage to do */
        NH_NL_LINK_AGAIN,                /* up again after down: put back what the kernel flushed */
        NH_NL_LINK_GONE,                 /* deleted: what was bound to its index is useless */
        NH_NL_LINK_BACK,                 /* made again and up: bind to the new index, then as AGAIN */
};

/* Reads what fd has queued, without blocking, and moves f along; when
 * notifications were lost (ENOBUFS), goes by the link of that name as it
 * is now.  The change since the last call, or -errno when the socket
 * failed. */
int nh_nl_link_follow_read(int fd, struct nh_nl_link_follow *f);

static inline size_t nh_nl_len(const struct rtattr *a) { return RTA_PAYLOAD(a); }
static inline const void *nh_nl_data(const struct rtattr *a) { return RTA_DATA(a); }
/* 0 when a is NULL or shorter than 4 bytes. */
uint32_t nh_nl_u32(const struct rtattr *a);

/* ---- optimistic DAD ------------------------------------------------------
 * Optimistic duplicate address detection (RFC 4429) on the links a stage
 * makes.  Without it, a new link's link-local address stays
 * tentative for 1-2 s (DupAddrDetectTransmits x RetransTimer, plus the
 * random delay of RFC 4862 5.4.2), and nothing can bind to it: a DHCPv6
 * client (RFC 8415 needs a link-local source) waits that long on every
 * fresh link.  An optimistic address is usable at once while DAD goes on;
 * the kernel still gives it up if DAD fails.
 *
 * Sets net.ipv6.conf.IFNAME.optimistic_dad and use_optimistic to 1 in the
 * network namespace of the calling thread (/proc/sys/net follows the
 * opener's namespace).  Must run before the link comes up: the kernel
 * decides whether an address is optimistic when DAD starts.  Returns 0,
 * -ENOENT when the kernel has no optimistic DAD (CONFIG_IPV6_OPTIMISTIC_DAD
 * off, or no IPv6 on the link: nothing to speed up), or -errno. */
int nh_ipv6_optimistic_dad(const char *ifname);

/* ---- nswatch: the namespace deleted from outside --------------------------
 * Notices that a namespace was deleted from outside ("ip netns
 * delete NAME", or deleted and made again under the same name) while a
 * long-running stage runs in it.
 *
 * Nothing inside the namespace tells: the stage's own sockets keep the
 * namespace alive, links and all, for as long as it runs, so a DHCP client
 * would renew a lease for a namespace nobody can reach any more, and its
 * macvlan would keep its MAC in use on the parent.  What does change is
 * /run/netns: "ip netns delete" unmounts and unlinks NAME there.  An
 * inotify watch on the directory wakes the stage; it then compares the
 * namespace at /run/netns/NAME with its own (device and inode of the nsfs
 * file), so a namespace deleted and made again is not taken for its own. */
struct nh_nswatch {
        int fd;                         /* inotify, non-blocking; -1: none */
        dev_t dev;                      /* the namespace's nsfs file */
        ino_t ino;
        char path[PATH_MAX];            /* /run/netns/NAME */
};

/* Watches /run/netns for the namespace called name, whose open fd is
 * netns_fd.  0, or -errno (w->fd is then -1 and nh_nswatch_gone() is 0). */
int nh_nswatch_open(struct nh_nswatch *w, const char *name, int netns_fd);

/* Drains w->fd.  1 when /run/netns/NAME no longer is our namespace (gone,
 * or another one under the same name), 0 when it still is. */
int nh_nswatch_gone(struct nh_nswatch *w);

void nh_nswatch_close(struct nh_nswatch *w);

/* ---- state files written atomically --------------------------------------
 * A reader (status, the next run after a crash) sees the old file or the
 * new one, never a part: a temporary file beside path (PATH.PID.N, created
 * exclusively with exactly mode), then rename(2).  NH_FILE_SYNC fsyncs it
 * first, for what must survive a power cut (a DUID); without it, for what
 * a reboot makes anew anyway (a PID file).  NH_FILE_FIXED_TMP names the
 * temporary file PATH.tmp (truncated when it is there, mode as the umask
 * leaves it), for a file with one writer that rewrites it often (a lease at
 * each renewal): a crash leaves one such file, not one per process.  0 or
 * -errno; the temporary file is removed on failure. */
#define NH_FILE_SYNC 1u
#define NH_FILE_FIXED_TMP 2u
int nh_file_write_atomic(const char *path, const void *data, size_t len, unsigned mode, unsigned flags);

/* ---- hashes and interface names ------------------------------------------
 * FNV-1a: small, fixed and documented, so that names and identifiers made
 * from it stay the same across versions; it only has to spread names. */
#define NH_FNV32_INIT 2166136261u
#define NH_FNV64_INIT 0xcbf29ce484222325ULL
uint32_t nh_fnv1a32(const void *data, size_t len, uint32_t h);
uint64_t nh_fnv1a64(const void *data, size_t len, uint64_t h);

#define NH_IFNAMSIZ 16                  /* IFNAMSIZ: 15 bytes and the NUL */

/* A link name made from a namespace name, the same for the same namespace
 * every time: PREFIX + NAME when that fits 15 bytes, else PREFIX, the
 * first 6 bytes of NAME, '-' and 20 bits of NAME's FNV-1a hash, so that two
 * long names with one head still differ ("ve-", "wg-"). */
void nh_ifname_from_ns(const char *prefix, const char *ns, char out[NH_IFNAMSIZ]);

/* The len bytes at s are a name the kernel takes for a link (1-15 bytes,
 * not "." or "..", no '/' or ':') and print as they are (printable ASCII,
 * no space). */
bool nh_ifname_ok(const char *s, size_t len);

/* ---- address and prefix text ---------------------------------------------
 * struct nh_inet is <netns-helper/plugin.h>'s. */
struct nh_inet;
/* "ADDR/LEN" (prefix) or "ADDR" into buf; returns buf. */
const char *nh_inet_format(const struct nh_inet *a, bool prefix, char *buf, size_t len);
#define NH_INET_STRLEN 50               /* INET6_ADDRSTRLEN + "/128" */
/* 32 for AF_INET, 128 for AF_INET6. */
unsigned nh_inet_full_len(int family);
/* Prefix p contains address a (same family). */
bool nh_inet_covers(const struct nh_inet *p, const struct nh_inet *a);
/* p has bits set past its prefix length ("10.0.0.1/24", not "10.0.0.0/24"). */
bool nh_inet_host_bits(const struct nh_inet *p);

/* ---- libnl ---------------------------------------------------------------
 * libnl-3 returns its own -NLE_* numbers; a stage speaks negative errno.
 * nh_nlerr_to_errno(0) is 0; a number without an errno of its own, -EIO. */
int nh_nlerr_to_errno(int nle);

/* ---- configuration -------------------------------------------------------
 * Two readings every stage on a link makes, over <netns-helper/plugin.h>. */

/* The boolean key, or def when it is absent or not a boolean. */
static inline int nh_cfg_bool_or(struct nh_ctx *ctx, const char *key, int def)
{
        int v = def;

        return nh_cfg_bool(ctx, key, 0, &v) < 0 ? def : v;
}

/* The link a stage runs on: its "interface" key, else the interface fact
 * of the stage that made the link (macvlan, veth...); NULL when neither. */
static inline const char *nh_cfg_interface(struct nh_ctx *ctx)
{
        const char *s = nh_cfg_str(ctx, "interface");

        return s ? s : nh_fact_get(ctx, NH_FACT_INTERFACE);
}

/* ---- log rate limit ------------------------------------------------------
 * For what hosts on the LAN can make a plugin say: at
 * most BURST lines per WINDOW, then one line that says how many were
 * left out.  Pure logic on a caller's clock (microseconds), so tests
 * drive it with a fake one. */
struct nh_ratelimit {
        uint64_t window_start;          /* 0: no window yet */
        unsigned count, suppressed;
};

/* Whether one more line may go out at time now.  When a window ends with
 * lines left out, *ended gets their number (the caller says so once),
 * otherwise 0. */
static inline bool nh_ratelimit_pass(struct nh_ratelimit *rl, uint64_t now, uint64_t window, unsigned burst,
                                     unsigned *ended)
{
        *ended = 0;
        if (rl->window_start == 0 || now - rl->window_start >= window) {
                *ended = rl->suppressed;
                rl->window_start = now ? now : 1;
                rl->count = rl->suppressed = 0;
        }
        if (rl->count >= burst) {
                rl->suppressed++;
                return false;
        }
        rl->count++;
        return true;
}

#endif
