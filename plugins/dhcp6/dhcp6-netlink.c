/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>

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

int dhcp6_ll_scan(const void *buf, size_t len, int ifindex, struct dhcp6_ll_scan *s)
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
                switch (h->nlmsg_type) {
                case NLMSG_DONE:
                        s->done = true;
                        break;
                case NLMSG_ERROR:
                        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
                                const struct nlmsgerr *e = NLMSG_DATA(h);
                                if (e->error < 0)
                                        s->error = e->error;
                        }
                        s->done = true;
                        break;
                case RTM_NEWADDR:
                        scan_addr(h, ifindex, s);
                        break;
                default:
                        break;
                }
                step = NLMSG_ALIGN(h->nlmsg_len);
                if (step >= left)
                        return 0;
                p += step;
                left -= step;
        }
        return left == 0 ? 0 : -EBADMSG;
}
