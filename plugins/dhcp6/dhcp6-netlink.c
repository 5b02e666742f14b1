/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include <netns-helper/sdk.h>

#include "dhcp6-netlink.h"

static void scan_addr(const struct nlmsghdr *h, int ifindex, struct dhcp6_ll_scan *s)
{
        const struct ifaddrmsg *ifa;
        const struct rtattr *rta;
        const struct in6_addr *addr = NULL;
        uint32_t flags;
        /* int, not size_t: RTA_NEXT() subtracts the aligned length, which
         * may exceed what is left by up to 3 bytes. */
        int alen;

        if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
                return;
        ifa = NLMSG_DATA(h);
        if (ifa->ifa_family != AF_INET6 || (int) ifa->ifa_index != ifindex)
                return;
        flags = ifa->ifa_flags;
        alen = (int) (h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifa)));
        for (rta = IFA_RTA(ifa); RTA_OK(rta, alen); rta = RTA_NEXT(rta, alen)) {
                if (rta->rta_type == IFA_ADDRESS && RTA_PAYLOAD(rta) == 16)
                        addr = RTA_DATA(rta);
                else if (rta->rta_type == IFA_FLAGS && RTA_PAYLOAD(rta) == 4)
                        /* The 32-bit flags supersede the 8-bit ifa_flags. */
                        memcpy(&flags, RTA_DATA(rta), 4);
        }
        if (addr && s->want && memcmp(addr, &s->wanted, 16) == 0)
                s->wanted_found = true;
        if (!addr || !IN6_IS_ADDR_LINKLOCAL(addr))
                return;
        if (flags & IFA_F_DADFAILED) {
                s->dadfailed = true;
                return;
        }
        /* An optimistic address (RFC 4429) is tentative too but usable; the
         * kernel only lets us bind to it with optimistic_dad enabled. */
        if ((flags & IFA_F_TENTATIVE) && !(flags & IFA_F_OPTIMISTIC)) {
                s->tentative = true;
                return;
        }
        s->found = true;
        memcpy(&s->addr, addr, 16);
}

struct ll_walk {
        int ifindex;
        struct dhcp6_ll_scan *s;
};

static void scan_one(const struct nlmsghdr *h, void *arg)
{
        struct ll_walk *w = arg;

        if (nh_nl_dump_end(h, &w->s->error))
                w->s->done = true;
        else if (h->nlmsg_type == RTM_NEWADDR)
                scan_addr(h, w->ifindex, w->s);
}

int dhcp6_ll_scan(const void *buf, size_t len, int ifindex, struct dhcp6_ll_scan *s)
{
        struct ll_walk w = { ifindex, s };

        return nh_nl_walk(buf, len, scan_one, &w);
}
