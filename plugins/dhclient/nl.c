/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nl.h"

struct req {
        struct nlmsghdr nh;
        char body[1024];
};

static void *req_init(struct req *r, uint16_t type, uint16_t flags, size_t hdrlen)
{
        memset(r, 0, sizeof *r);
        r->nh.nlmsg_len = (uint32_t) NLMSG_LENGTH(hdrlen);
        r->nh.nlmsg_type = type;
        r->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
        return NLMSG_DATA(&r->nh);
}

static int req_attr(struct req *r, uint16_t type, const void *data, size_t len)
{
        size_t off = NLMSG_ALIGN(r->nh.nlmsg_len);
        struct rtattr *a = (struct rtattr *) ((char *) r + off);

        if (off + RTA_SPACE(len) > sizeof *r)
                return -ENOBUFS;
        a->rta_type = type;
        a->rta_len = (unsigned short) RTA_LENGTH(len);
        memcpy(RTA_DATA(a), data, len);
        r->nh.nlmsg_len = (uint32_t) (off + RTA_SPACE(len));
        return 0;
}

int nlr_open(void)
{
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        return fd < 0 ? -errno : fd;
}

int nlr_subscribe(int fd, uint32_t groups)
{
        struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };

        return bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0 ? -errno : 0;
}

typedef int (*msg_fn)(const struct nlmsghdr *m, void *data);

/* Sends r and reads until the ACK (or the end of a dump), handing every
 * other message of ours to fn.  Multicast notifications on the same
 * socket (seq 0) are skipped. */
static int transact(int fd, struct req *r, msg_fn fn, void *data)
{
        static uint32_t seq;
        struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
        char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));

        r->nh.nlmsg_seq = ++seq ? seq : ++seq;
        if (sendto(fd, r, r->nh.nlmsg_len, 0, (struct sockaddr *) &sa, sizeof sa) < 0)
                return -errno;
        for (;;) {
                ssize_t n = recv(fd, buf, sizeof buf, 0);
                int left;
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                /* Signed, as NLMSG_NEXT() needs: a negative rest ends the
                 * walk, where a size_t cast would let it read on. */
                left = (int) n;
                for (struct nlmsghdr *m = (struct nlmsghdr *) buf; NLMSG_OK(m, left);
                     m = NLMSG_NEXT(m, left)) {
                        if (m->nlmsg_seq != r->nh.nlmsg_seq)
                                continue;
                        if (m->nlmsg_type == NLMSG_ERROR) {
                                const struct nlmsgerr *e = NLMSG_DATA(m);
                                if (m->nlmsg_len < NLMSG_LENGTH(sizeof *e))
                                        return -EBADMSG;
                                return e->error;
                        }
                        if (m->nlmsg_type == NLMSG_DONE)
                                return 0;
                        if (fn) {
                                int k = fn(m, data);
                                if (k < 0)
                                        return k;
                        }
                }
        }
}

struct link_q {
        int ifindex;
        unsigned flags;
};

static int on_link(const struct nlmsghdr *m, void *data)
{
        struct link_q *q = data;
        const struct ifinfomsg *ifi = NLMSG_DATA(m);

        if (m->nlmsg_type != RTM_NEWLINK || m->nlmsg_len < NLMSG_LENGTH(sizeof *ifi))
                return 0;
        q->ifindex = ifi->ifi_index;
        q->flags = ifi->ifi_flags;
        return 0;
}

int nlr_link_get(int fd, const char *name, int *ifindex, unsigned *flags)
{
        struct req r;
        struct link_q q = { 0, 0 };
        struct ifinfomsg *ifi = req_init(&r, RTM_GETLINK, 0, sizeof *ifi);
        int k;

        ifi->ifi_family = AF_UNSPEC;
        if (strlen(name) >= IFNAMSIZ)
                return -EINVAL;
        k = req_attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
        if (k >= 0)
                k = transact(fd, &r, on_link, &q);
        if (k < 0)
                return k;
        if (q.ifindex <= 0)
                return -ENODEV;
        *ifindex = q.ifindex;
        if (flags)
                *flags = q.flags;
        return 0;
}

int nlr_link_set(int fd, int ifindex, bool up, uint32_t mtu)
{
        struct req r;
        struct ifinfomsg *ifi = req_init(&r, RTM_NEWLINK, 0, sizeof *ifi);
        int k = 0;

        ifi->ifi_family = AF_UNSPEC;
        ifi->ifi_index = ifindex;
        if (up) {
                ifi->ifi_flags = IFF_UP;
                ifi->ifi_change = IFF_UP;
        }
        if (mtu)
                k = req_attr(&r, IFLA_MTU, &mtu, sizeof mtu);
        return k < 0 ? k : transact(fd, &r, NULL, NULL);
}

static size_t addr_len(int family)
{
        return family == AF_INET ? 4 : 16;
}

static int addr_req(struct req *r, uint16_t type, uint16_t flags, int ifindex,
                    const struct dhc_addr *a)
{
        struct ifaddrmsg *ifa = req_init(r, type, flags, sizeof *ifa);

        ifa->ifa_family = (uint8_t) a->family;
        ifa->ifa_prefixlen = (uint8_t) a->prefixlen;
        ifa->ifa_index = (uint32_t) ifindex;
        ifa->ifa_scope = RT_SCOPE_UNIVERSE;
        int k = req_attr(r, IFA_LOCAL, a->bytes, addr_len(a->family));
        if (k >= 0)
                k = req_attr(r, IFA_ADDRESS, a->bytes, addr_len(a->family));
        return k;
}

int nlr_addr_add(int fd, int ifindex, const struct dhc_addr *a, const struct dhc_addr *brd,
                 uint32_t valid, uint32_t preferred)
{
        struct req r;
        int k = addr_req(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, ifindex, a);

        if (k >= 0 && brd && brd->family == AF_INET)
                k = req_attr(&r, IFA_BROADCAST, brd->bytes, 4);
        if (k >= 0 && valid && valid != UINT32_MAX) {
                struct ifa_cacheinfo ci = {
                        .ifa_valid = valid,
                        .ifa_prefered = preferred <= valid ? preferred : valid,
                };
                k = req_attr(&r, IFA_CACHEINFO, &ci, sizeof ci);
        }
        return k < 0 ? k : transact(fd, &r, NULL, NULL);
}

int nlr_addr_del(int fd, int ifindex, const struct dhc_addr *a)
{
        struct req r;
        int k = addr_req(&r, RTM_DELADDR, 0, ifindex, a);

        return k < 0 ? k : transact(fd, &r, NULL, NULL);
}

struct addr_q {
        int ifindex;
        const struct dhc_addr *want;
        int found;
        int ll_ok, ll_tentative, ll_failed;
};

static int on_addr(const struct nlmsghdr *m, void *data)
{
        struct addr_q *q = data;
        const struct ifaddrmsg *ifa = NLMSG_DATA(m);
        int len = (int) m->nlmsg_len - (int) NLMSG_LENGTH(sizeof *ifa);
        const uint8_t *local = NULL, *address = NULL;
        uint32_t flags;

        if (m->nlmsg_type != RTM_NEWADDR || len < 0 || (int) ifa->ifa_index != q->ifindex)
                return 0;
        flags = ifa->ifa_flags;
        for (const struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
                size_t plen = RTA_PAYLOAD(a);
                if (a->rta_type == IFA_LOCAL && plen >= addr_len(ifa->ifa_family))
                        local = RTA_DATA(a);
                else if (a->rta_type == IFA_ADDRESS && plen >= addr_len(ifa->ifa_family))
                        address = RTA_DATA(a);
                else if (a->rta_type == IFA_FLAGS && plen >= 4)
                        memcpy(&flags, RTA_DATA(a), 4);
        }
        if (!local)
                local = address;
        if (!local)
                return 0;
        if (q->want) {
                if (ifa->ifa_family == q->want->family &&
                    !memcmp(local, q->want->bytes, addr_len(ifa->ifa_family)))
                        q->found = 1;
                return 0;
        }
        if (ifa->ifa_family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL((const struct in6_addr *) local)) {
                if (flags & IFA_F_DADFAILED)
                        q->ll_failed++;
                else if (flags & IFA_F_TENTATIVE)
                        q->ll_tentative++;
                else
                        q->ll_ok++;
        }
        return 0;
}

static int addr_dump(int fd, int family, struct addr_q *q)
{
        struct req r;
        struct ifaddrmsg *ifa = req_init(&r, RTM_GETADDR, NLM_F_DUMP, sizeof *ifa);

        ifa->ifa_family = (uint8_t) family;
        ifa->ifa_index = (uint32_t) q->ifindex;
        return transact(fd, &r, on_addr, q);
}

int nlr_addr_present(int fd, int ifindex, const struct dhc_addr *a)
{
        struct addr_q q = { .ifindex = ifindex, .want = a };
        int k = addr_dump(fd, a->family, &q);

        return k < 0 ? k : q.found;
}

int nlr_ll_state(int fd, int ifindex)
{
        struct addr_q q = { .ifindex = ifindex };
        int k = addr_dump(fd, AF_INET6, &q);

        if (k < 0)
                return k;
        if (q.ll_ok)
                return 1;
        if (q.ll_tentative)
                return 0;
        return q.ll_failed ? -EADDRNOTAVAIL : -ENOENT;
}

int nlr_route_add(int fd, int ifindex, const struct dhc_addr *dst, const struct dhc_addr *gw,
                  const struct dhc_addr *prefsrc, uint32_t metric, bool onlink)
{
        struct req r;
        struct rtmsg *rt = req_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, sizeof *rt);
        uint32_t oif = (uint32_t) ifindex;
        bool has_gw = gw && gw->family;
        int k = 0;

        rt->rtm_family = (uint8_t) dst->family;
        rt->rtm_dst_len = (uint8_t) dst->prefixlen;
        rt->rtm_table = RT_TABLE_MAIN;
        rt->rtm_protocol = RTPROT_DHCP;
        rt->rtm_scope = has_gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
        rt->rtm_type = RTN_UNICAST;
        if (onlink && has_gw)
                rt->rtm_flags |= RTNH_F_ONLINK;
        if (dst->prefixlen > 0)
                k = req_attr(&r, RTA_DST, dst->bytes, addr_len(dst->family));
        if (k >= 0 && has_gw)
                k = req_attr(&r, RTA_GATEWAY, gw->bytes, addr_len(gw->family));
        if (k >= 0 && prefsrc && prefsrc->family)
                k = req_attr(&r, RTA_PREFSRC, prefsrc->bytes, addr_len(prefsrc->family));
        if (k >= 0)
                k = req_attr(&r, RTA_OIF, &oif, sizeof oif);
        if (k >= 0 && metric)
                k = req_attr(&r, RTA_PRIORITY, &metric, sizeof metric);
        return k < 0 ? k : transact(fd, &r, NULL, NULL);
}
