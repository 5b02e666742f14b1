/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rtnetlink requests on a plain socket: see <netns-helper/sdk.h>. */
#include <netns-helper/sdk.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* Replies are read into this much; a dump datagram is at most 32 KiB. */
#define RTNL_RECV 32768

static uint32_t next_seq(void)
{
        static uint32_t seq;
        return ++seq;
}

void nh_nl_msg_init(struct nh_nl_msg *m, uint16_t type, uint16_t flags, const void *hdr, size_t len)
{
        memset(&m->h, 0, sizeof(m->h));
        m->overflow = NLMSG_LENGTH(len) > sizeof(m->bytes);
        m->h.nlmsg_type = type;
        m->h.nlmsg_flags = flags;
        m->h.nlmsg_len = m->overflow ? NLMSG_LENGTH(0) : (uint32_t) NLMSG_LENGTH(len);
        if (!m->overflow && len)
                memcpy(NLMSG_DATA(&m->h), hdr, len);
}

static struct rtattr *tail(struct nh_nl_msg *m)
{
        return (struct rtattr *) (m->bytes + NLMSG_ALIGN(m->h.nlmsg_len));
}

void nh_nl_put(struct nh_nl_msg *m, uint16_t type, const void *data, size_t len)
{
        size_t at = NLMSG_ALIGN(m->h.nlmsg_len);
        struct rtattr *a;

        if (m->overflow || len > UINT16_MAX - RTA_LENGTH(0) ||
            at + RTA_SPACE(len) > sizeof(m->bytes)) {
                m->overflow = true;
                return;
        }
        a = tail(m);
        a->rta_type = type;
        a->rta_len = (unsigned short) RTA_LENGTH(len);
        if (len)
                memcpy(RTA_DATA(a), data, len);
        memset((char *) RTA_DATA(a) + len, 0, RTA_SPACE(len) - RTA_LENGTH(len));
        m->h.nlmsg_len = (uint32_t) (at + RTA_SPACE(len));
}

void nh_nl_put_u32(struct nh_nl_msg *m, uint16_t type, uint32_t v)
{
        nh_nl_put(m, type, &v, sizeof(v));
}

void nh_nl_put_str(struct nh_nl_msg *m, uint16_t type, const char *s)
{
        nh_nl_put(m, type, s, strlen(s) + 1);
}

struct rtattr *nh_nl_nest(struct nh_nl_msg *m, uint16_t type)
{
        struct rtattr *a = tail(m);
        nh_nl_put(m, type, NULL, 0);
        return m->overflow ? NULL : a;
}

void nh_nl_nest_end(struct nh_nl_msg *m, struct rtattr *nest)
{
        if (!m->overflow && nest)
                nest->rta_len = (unsigned short) ((char *) tail(m) - (char *) nest);
}

int nh_nl_socket(void)
{
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        return fd < 0 ? -errno : fd;
}

static int send_all(int fd, const void *buf, size_t len)
{
        struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

        for (;;) {
                ssize_t k = sendto(fd, buf, len, 0, (struct sockaddr *) &kernel, sizeof(kernel));
                if (k == (ssize_t) len)
                        return 0;
                if (k >= 0)
                        return -EIO;
                if (errno != EINTR)
                        return -errno;
        }
}

/* One datagram from the kernel into buf; its length, or a negative errno.
 * flags: MSG_DONTWAIT to get -EAGAIN rather than wait. */
static ssize_t recv_one(int fd, char *buf, size_t len, int flags)
{
        struct sockaddr_nl from;
        struct iovec iov = { buf, len };
        struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1 };

        for (;;) {
                ssize_t k = recvmsg(fd, &mh, flags);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                if (mh.msg_flags & MSG_TRUNC)
                        return -EMSGSIZE;
                if (from.nl_pid != 0)      /* not from the kernel */
                        continue;
                return k;
        }
}

/* Reads until the request with sequence number seq is answered: an ACK or
 * error, or NLMSG_DONE for a dump.  Other replies to it go to reply(). */
static int wait_for(int fd, uint32_t seq, nh_nl_reply_fn reply, void *arg)
{
        static char buf[RTNL_RECV] __attribute__((aligned(NLMSG_ALIGNTO)));

        for (;;) {
                ssize_t k = recv_one(fd, buf, sizeof(buf), 0);
                int left;

                if (k < 0)
                        return (int) k;
                left = (int) k;
                for (const struct nlmsghdr *h = (const struct nlmsghdr *) buf; NLMSG_OK(h, left);
                     h = NLMSG_NEXT(h, left)) {
                        if (h->nlmsg_seq != seq)
                                continue;       /* a late answer to something else */
                        if (h->nlmsg_type == NLMSG_DONE)
                                return 0;
                        if (h->nlmsg_type == NLMSG_ERROR) {
                                const struct nlmsgerr *e = NLMSG_DATA(h);
                                if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
                                        return -EBADMSG;
                                return e->error <= 0 ? e->error : -e->error;
                        }
                        if (reply)
                                reply(h, arg);
                }
        }
}

int nh_nl_talk_hdr(int fd, struct nlmsghdr *h, nh_nl_reply_fn reply, void *arg)
{
        int r;

        h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
        h->nlmsg_seq = next_seq();
        r = send_all(fd, h, h->nlmsg_len);
        return r < 0 ? r : wait_for(fd, h->nlmsg_seq, reply, arg);
}

int nh_nl_talk(int fd, struct nh_nl_msg *m, nh_nl_reply_fn reply, void *arg)
{
        return m->overflow ? -E2BIG : nh_nl_talk_hdr(fd, &m->h, reply, arg);
}

int nh_nl_batch(int fd, struct nh_nl_msg *const *m, size_t n, int *errs)
{
        static char out[NH_NL_BATCH_MAX * sizeof(((struct nh_nl_msg *) 0)->bytes)];
        size_t len = 0;
        int r;

        if (n > NH_NL_BATCH_MAX)
                return -E2BIG;
        for (size_t i = 0; i < n; i++) {
                if (m[i]->overflow)
                        return -E2BIG;
                m[i]->h.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
                m[i]->h.nlmsg_seq = next_seq();
                memcpy(out + len, &m[i]->h, m[i]->h.nlmsg_len);
                len += NLMSG_ALIGN(m[i]->h.nlmsg_len);
        }
        if (n == 0)
                return 0;
        r = send_all(fd, out, len);
        if (r < 0)
                return r;
        /* The kernel answers in order, an ACK or error per request. */
        for (size_t i = 0; i < n; i++)
                errs[i] = wait_for(fd, m[i]->h.nlmsg_seq, NULL, NULL);
        return 0;
}

int nh_nl_dump(int fd, uint16_t type, uint8_t family, nh_nl_reply_fn reply, void *arg)
{
        struct nh_nl_msg m;
        /* rtgenmsg is what the family header of every dump starts with;
         * the longest of ours (rtmsg) is zero beyond it. */
        struct rtmsg hdr = { .rtm_family = family };
        size_t len = type == RTM_GETADDR ? sizeof(struct ifaddrmsg) :
                     type == RTM_GETLINK ? sizeof(struct ifinfomsg) : sizeof(struct rtmsg);
        int r;

        nh_nl_msg_init(&m, type, NLM_F_DUMP, &hdr, len);
        m.h.nlmsg_flags |= NLM_F_REQUEST;
        m.h.nlmsg_seq = next_seq();
        r = send_all(fd, &m.h, m.h.nlmsg_len);
        return r < 0 ? r : wait_for(fd, m.h.nlmsg_seq, reply, arg);
}

/* int, not size_t: RTA_NEXT() subtracts the aligned length, which may pass
 * below zero at the end of an unpadded buffer. */
static void parse_attrs(const struct rtattr *a, int len, const struct rtattr **tb, int max)
{
        memset(tb, 0, sizeof(*tb) * (size_t) (max + 1));
        for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
                unsigned short type = a->rta_type & NLA_TYPE_MASK;
                if (type <= max)
                        tb[type] = a;
        }
}

void nh_nl_parse(const struct nlmsghdr *h, size_t hdrlen, const struct rtattr **tb, int max)
{
        size_t off = NLMSG_LENGTH(hdrlen);

        if (h->nlmsg_len < off) {
                memset(tb, 0, sizeof(*tb) * (size_t) (max + 1));
                return;
        }
        parse_attrs((const struct rtattr *) ((const char *) h + NLMSG_ALIGN(off)),
                    (int) h->nlmsg_len - (int) NLMSG_ALIGN(off), tb, max);
}

void nh_nl_parse_nested(const struct rtattr *nest, const struct rtattr **tb, int max)
{
        parse_attrs((const struct rtattr *) RTA_DATA(nest), (int) RTA_PAYLOAD(nest), tb, max);
}

uint32_t nh_nl_u32(const struct rtattr *a)
{
        uint32_t v = 0;
        if (a && RTA_PAYLOAD(a) >= sizeof(v))
                memcpy(&v, RTA_DATA(a), sizeof(v));
        return v;
}

/* ---- one link going down and coming back --------------------------------- */

int nh_nl_link_events_join(int fd)
{
        struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };

        return bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 ? -errno : 0;
}

static bool flags_up(unsigned flags)
{
        return (flags & IFF_UP) && (flags & IFF_RUNNING);
}

bool nh_nl_link_scan(const void *buf, size_t len, int ifindex, bool *down)
{
        /* Signed: NLMSG_NEXT() on a size_t would wrap when the last
         * message's aligned length runs past the end, and read on. */
        int left = len > INT_MAX ? INT_MAX : (int) len;
        bool again = false;

        for (const struct nlmsghdr *h = buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
                const struct ifinfomsg *ifi;

                if (h->nlmsg_type != RTM_NEWLINK || h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
                        continue;
                ifi = NLMSG_DATA(h);
                if (ifi->ifi_index != ifindex)
                        continue;
                if (!flags_up(ifi->ifi_flags))
                        *down = true;
                else if (*down) {
                        *down = false;
                        again = true;
                }
        }
        return again;
}

int nh_nl_link_events_read(int fd, int ifindex, const char *ifname, bool *down)
{
        bool again = false;

        for (;;) {
                char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
                ssize_t k = recv_one(fd, buf, sizeof(buf), MSG_DONTWAIT);

                if (k > 0) {
                        again |= nh_nl_link_scan(buf, (size_t) k, ifindex, down);
                        continue;
                }
                if (k == 0 || k == -EAGAIN)
                        return again;
                if (k == -ENOBUFS) {
                        struct ifreq ifr = { 0 };

                        snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
                        if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                                return -errno;
                        /* What happened meanwhile is unknown: when up,
                         * put things back in any case. */
                        if (flags_up((unsigned short) ifr.ifr_flags)) {
                                *down = false;
                                again = true;
                        } else
                                *down = true;
                        continue;
                }
                return (int) k;
        }
}

bool nh_nl_dump_end(const struct nlmsghdr *h, int *error)
{
        if (h->nlmsg_type == NLMSG_DONE)
                return true;
        if (h->nlmsg_type != NLMSG_ERROR)
                return false;
        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
                const struct nlmsgerr *e = NLMSG_DATA(h);

                if (e->error < 0)
                        *error = e->error;
        }
        return true;
}

int nh_nl_walk(const void *buf, size_t len, nh_nl_reply_fn fn, void *arg)
{
        const uint8_t *p = buf;
        size_t left = len;

        /* Walked by hand: NLMSG_NEXT() on a size_t underflows when the
         * last message's aligned length runs past the buffer. */
        while (left >= sizeof(struct nlmsghdr)) {
                const struct nlmsghdr *h = (const struct nlmsghdr *) p;
                size_t step;

                if (h->nlmsg_len < sizeof(struct nlmsghdr) || h->nlmsg_len > left)
                        return -EBADMSG;
                fn(h, arg);
                step = NLMSG_ALIGN(h->nlmsg_len);
                if (step >= left)
                        return 0;
                p += step;
                left -= step;
        }
        return left == 0 ? 0 : -EBADMSG;
}

static int ipv6_conf_path(const char *ifname, const char *name, char *buf, size_t len)
{
        int n = snprintf(buf, len, "/proc/sys/net/ipv6/conf/%s/%s", ifname, name);

        return n < 0 || (size_t) n >= len || strchr(ifname, '/') ? -EINVAL : 0;
}

int nh_ipv6_conf_read(const char *ifname, const char *name, long *out)
{
        char path[128], buf[32];
        ssize_t n;
        int fd;

        if (ipv6_conf_path(ifname, name, path, sizeof(path)) < 0)
                return -EINVAL;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        n = read(fd, buf, sizeof(buf) - 1);
        if (n < 0)
                n = -errno;
        close(fd);
        if (n <= 0)
                return n < 0 ? (int) n : -EIO;
        buf[n] = '\0';
        *out = strtol(buf, NULL, 10);
        return 0;
}

int nh_ipv6_conf_write(const char *ifname, const char *name, long value)
{
        char path[128], val[24];
        int fd, r = 0;

        if (ipv6_conf_path(ifname, name, path, sizeof(path)) < 0)
                return -EINVAL;
        snprintf(val, sizeof(val), "%ld\n", value);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (write(fd, val, strlen(val)) < 0)
                r = -errno;
        close(fd);
        return r;
}

int nh_nl_link_events_each(int fd, nh_nl_link_event_fn fn, void *arg)
{
        for (;;) {
                char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
                ssize_t k = recv_one(fd, buf, sizeof(buf), MSG_DONTWAIT);
                int left;

                if (k == 0 || k == -EAGAIN)
                        return 0;
                if (k < 0)
                        return (int) k;
                left = (int) k;
                for (const struct nlmsghdr *h = (const struct nlmsghdr *) buf; NLMSG_OK(h, left);
                     h = NLMSG_NEXT(h, left)) {
                        const struct rtattr *tb[IFLA_MAX + 1];
                        const struct ifinfomsg *ifi;
                        struct nh_nl_link_event ev = { 0 };

                        if ((h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK) ||
                            h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
                                continue;
                        ifi = NLMSG_DATA(h);
                        nh_nl_parse(h, sizeof(*ifi), tb, IFLA_MAX);
                        ev.type = h->nlmsg_type;
                        ev.index = ifi->ifi_index;
                        ev.flags = ifi->ifi_flags;
                        if (tb[IFLA_IFNAME] && nh_nl_len(tb[IFLA_IFNAME]) > 0)
                                snprintf(ev.name, sizeof(ev.name), "%.*s", (int) nh_nl_len(tb[IFLA_IFNAME]),
                                         (const char *) nh_nl_data(tb[IFLA_IFNAME]));
                        fn(&ev, arg);
                }
        }
}

struct follow_seen {
        struct nh_nl_link_follow *f;
        bool again;
};

static void follow_seen(const struct nh_nl_link_event *ev, void *arg)
{
        struct follow_seen *x = arg;
        struct nh_nl_link_follow *f = x->f;

        /* The state moves with each message, so that a deletion and the
         * new link in one read are both seen. */
        if (!f->gone && ev->index == f->ifindex) {
                if (ev->type == RTM_DELLINK)
                        f->gone = f->down = true;
                else if (!flags_up(ev->flags))
                        f->down = true;
                else if (f->down) {
                        f->down = false;
                        x->again = true;
                }
        } else if (f->gone && ev->type == RTM_NEWLINK && flags_up(ev->flags) && strcmp(ev->name, f->ifname) == 0) {
                f->ifindex = ev->index;
                f->gone = f->down = false;
        }
}

/* Notifications were lost: the link of that name as it is now. */
static void follow_resync(int fd, struct follow_seen *x)
{
        struct nh_nl_link_follow *f = x->f;
        struct ifreq ifr = { 0 };
        int index;
        bool up;

        snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", f->ifname);
        index = ioctl(fd, SIOCGIFINDEX, &ifr) < 0 ? 0 : ifr.ifr_ifindex;
        up = index > 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && flags_up((unsigned short) ifr.ifr_flags);
        if (index != f->ifindex) {
                if (up)
                        f->ifindex = index;
                f->gone = f->down = !up;
        } else if (up) {
                /* What happened meanwhile is unknown: put things back in
                 * any case. */
                f->down = false;
                x->again = true;
        } else
                f->down = true;
}

int nh_nl_link_follow_read(int fd, struct nh_nl_link_follow *f)
{
        struct follow_seen x = { .f = f };
        bool was_gone = f->gone;
        int was_index = f->ifindex, r;

        while ((r = nh_nl_link_events_each(fd, follow_seen, &x)) == -ENOBUFS)
                follow_resync(fd, &x);
        if (r < 0)
                return r;
        if (f->gone)
                return was_gone ? NH_NL_LINK_SAME : NH_NL_LINK_GONE;
        if (was_gone || f->ifindex != was_index)
                return NH_NL_LINK_BACK;
        return x.again ? NH_NL_LINK_AGAIN : NH_NL_LINK_SAME;
}
