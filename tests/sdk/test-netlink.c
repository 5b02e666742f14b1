/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the SDK's rtnetlink helpers (<netns-helper/sdk.h>):
 * requests built in place (attributes, nesting, padding, a request that
 * does not fit), attribute parsing that stays inside the message whatever
 * the lengths claim, a link's down/up notifications, and a link followed
 * by name through deletion and re-creation. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>

#include <netns-helper/sdk.h>
#include "../nht-check.h"

static const struct rtattr *attr_at(const struct nh_nl_msg *m, size_t hdrlen)
{
        return (const struct rtattr *) ((const char *) &m->h + NLMSG_ALIGN(NLMSG_LENGTH(hdrlen)));
}

START_TEST(build_and_parse)
{
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = 7 };
        const struct rtattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1], *data[IFLA_MACVLAN_MAX + 1];
        const unsigned char mac[6] = { 0x02, 0, 0, 0, 0, 1 };
        struct rtattr *li, *d;
        struct nh_nl_msg m;

        nh_nl_msg_init(&m, RTM_NEWLINK, NLM_F_CREATE, &ifi, sizeof(ifi));
        ck_assert_uint_eq(m.h.nlmsg_len, NLMSG_LENGTH(sizeof(ifi)));
        nh_nl_put_str(&m, IFLA_IFNAME, "nm_web");          /* 7 bytes: padded to 8 */
        nh_nl_put(&m, IFLA_ADDRESS, mac, sizeof(mac));     /* 6 bytes: padded to 8 */
        nh_nl_put_u32(&m, IFLA_LINK, 3);
        li = nh_nl_nest(&m, IFLA_LINKINFO);
        nh_nl_put_str(&m, IFLA_INFO_KIND, "macvlan");
        d = nh_nl_nest(&m, IFLA_INFO_DATA);
        nh_nl_put_u32(&m, IFLA_MACVLAN_MODE, MACVLAN_MODE_BRIDGE);
        nh_nl_nest_end(&m, d);
        nh_nl_nest_end(&m, li);
        ck_assert(!m.overflow);
        ck_assert_uint_eq(m.h.nlmsg_len % 4, 0);
        ck_assert_uint_eq(m.h.nlmsg_len, NLMSG_LENGTH(sizeof(ifi)) + 12 + 12 + 8 + (4 + 12 + (4 + 8)));
        ck_assert_uint_eq(attr_at(&m, sizeof(ifi))->rta_len, RTA_LENGTH(7));

        nh_nl_parse(&m.h, sizeof(ifi), tb, IFLA_MAX);
        ck_assert_str_eq(nh_nl_data(tb[IFLA_IFNAME]), "nm_web");
        ck_assert_uint_eq(nh_nl_len(tb[IFLA_ADDRESS]), 6);
        ck_assert_mem_eq(nh_nl_data(tb[IFLA_ADDRESS]), mac, 6);
        ck_assert_uint_eq(nh_nl_u32(tb[IFLA_LINK]), 3);
        ck_assert_ptr_null(tb[IFLA_MTU]);
        ck_assert_uint_eq(nh_nl_u32(tb[IFLA_MTU]), 0);
        nh_nl_parse_nested(tb[IFLA_LINKINFO], info, IFLA_INFO_MAX);
        ck_assert_str_eq(nh_nl_data(info[IFLA_INFO_KIND]), "macvlan");
        nh_nl_parse_nested(info[IFLA_INFO_DATA], data, IFLA_MACVLAN_MAX);
        ck_assert_uint_eq(nh_nl_u32(data[IFLA_MACVLAN_MODE]), MACVLAN_MODE_BRIDGE);
}
END_TEST

/* A request that does not fit is marked, not written past its end, and
 * refused when sent. */
START_TEST(overflow)
{
        struct ifinfomsg ifi = { 0 };
        char big[600];
        struct nh_nl_msg m;
        int errs[1];
        struct nh_nl_msg *batch[1] = { &m };

        memset(big, 'x', sizeof(big));
        nh_nl_msg_init(&m, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
        nh_nl_put(&m, IFLA_IFALIAS, big, sizeof(big));
        ck_assert(!m.overflow);
        nh_nl_put(&m, IFLA_IFALIAS, big, sizeof(big));
        ck_assert(m.overflow);
        ck_assert_uint_le(m.h.nlmsg_len, sizeof(m.bytes));
        ck_assert_ptr_null(nh_nl_nest(&m, IFLA_LINKINFO));
        ck_assert_int_eq(nh_nl_talk(-1, &m, NULL, NULL), -E2BIG);
        ck_assert_int_eq(nh_nl_batch(-1, batch, 1, errs), -E2BIG);

        nh_nl_msg_init(&m, RTM_NEWLINK, 0, big, sizeof(big) * 2);
        ck_assert(m.overflow);
}
END_TEST

/* Attributes whose lengths lie: shorter than a header, longer than what is
 * left, or an unpadded last one.  Parsing takes what is whole and stops. */
START_TEST(hostile_lengths)
{
        struct ifinfomsg ifi = { 0 };
        const struct rtattr *tb[IFLA_MAX + 1];
        struct nh_nl_msg m;
        struct rtattr *a;

        /* Second attribute claims more than the message holds. */
        nh_nl_msg_init(&m, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
        nh_nl_put_u32(&m, IFLA_MTU, 1500);
        nh_nl_put_u32(&m, IFLA_LINK, 9);
        a = (struct rtattr *) attr_at(&m, sizeof(ifi));
        a = (struct rtattr *) ((char *) a + RTA_SPACE(4));
        a->rta_len = 200;
        nh_nl_parse(&m.h, sizeof(ifi), tb, IFLA_MAX);
        ck_assert_uint_eq(nh_nl_u32(tb[IFLA_MTU]), 1500);
        ck_assert_ptr_null(tb[IFLA_LINK]);

        /* An attribute shorter than its own header ends the walk. */
        a->rta_len = 2;
        nh_nl_parse(&m.h, sizeof(ifi), tb, IFLA_MAX);
        ck_assert_ptr_nonnull(tb[IFLA_MTU]);
        ck_assert_ptr_null(tb[IFLA_LINK]);

        /* The message ends one byte after an attribute of 5 (unpadded):
         * the aligned step past it must not wrap the remaining length. */
        nh_nl_msg_init(&m, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
        nh_nl_put(&m, IFLA_IFNAME, "abcd", 5);
        m.h.nlmsg_len -= 3;
        memset((char *) &m.h + m.h.nlmsg_len, 0x41, 64);  /* garbage beyond */
        nh_nl_parse(&m.h, sizeof(ifi), tb, IFLA_MAX);
        ck_assert_uint_eq(nh_nl_len(tb[IFLA_IFNAME]), 5);
        for (int i = 0; i <= IFLA_MAX; i++)
                ck_assert(i == IFLA_IFNAME || tb[i] == NULL);

        /* A message shorter than its family header has no attributes. */
        m.h.nlmsg_len = NLMSG_LENGTH(2);
        nh_nl_parse(&m.h, sizeof(ifi), tb, IFLA_MAX);
        for (int i = 0; i <= IFLA_MAX; i++)
                ck_assert_ptr_null(tb[i]);

        /* A u32 attribute shorter than 4 bytes reads as 0. */
        nh_nl_msg_init(&m, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
        nh_nl_put(&m, IFLA_MTU, "ab", 2);
        nh_nl_parse(&m.h, sizeof(ifi), tb, IFLA_MAX);
        ck_assert_uint_eq(nh_nl_u32(tb[IFLA_MTU]), 0);
}
END_TEST

/* Against the kernel, no root needed: an error comes back as its errno,
 * and a dump of this namespace's links finds lo. */
static void count_links(const struct nlmsghdr *h, void *arg)
{
        if (h->nlmsg_type == RTM_NEWLINK)
                ++*(int *) arg;
}

START_TEST(kernel_round_trip)
{
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
        struct nh_nl_msg m;
        int fd = nh_nl_socket(), links = 0;

        ck_assert_int_ge(fd, 0);
        nh_nl_msg_init(&m, RTM_GETLINK, 0, &ifi, sizeof(ifi));
        nh_nl_put_str(&m, IFLA_IFNAME, "nhtnosuchlk0");
        ck_assert_int_eq(nh_nl_talk(fd, &m, NULL, NULL), -ENODEV);
        ck_assert_int_eq(nh_nl_dump(fd, RTM_GETLINK, AF_UNSPEC, count_links, &links), 0);
        ck_assert_int_ge(links, 1);
        close(fd);
}
END_TEST

/* nh_nl_link_scan(): link notifications, as the kernel sends them and as
 * they should not be trusted. */
static size_t put_link(uint8_t *buf, size_t off, uint16_t type, int index, unsigned flags, uint32_t len)
{
        struct nlmsghdr *h = (struct nlmsghdr *) (buf + off);
        struct ifinfomsg *ifi = NLMSG_DATA(h);

        memset(h, 0, NLMSG_SPACE(sizeof(*ifi)));
        h->nlmsg_len = len ? len : NLMSG_LENGTH(sizeof(*ifi));
        h->nlmsg_type = type;
        ifi->ifi_index = index;
        ifi->ifi_flags = flags;
        return off + NLMSG_SPACE(sizeof(*ifi));
}

START_TEST(link_scan)
{
        uint8_t buf[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
        const unsigned up = IFF_UP | IFF_RUNNING;
        bool down = false;
        size_t n;

        /* Up, never seen down: nothing to do. */
        n = put_link(buf, 0, RTM_NEWLINK, 7, up, 0);
        ck_assert(!nh_nl_link_scan(buf, n, 7, &down));
        ck_assert(!down);
        /* Down, then up in one read: up again. */
        n = put_link(buf, 0, RTM_NEWLINK, 7, 0, 0);
        n = put_link(buf, n, RTM_NEWLINK, 7, up, 0);
        ck_assert(nh_nl_link_scan(buf, n, 7, &down));
        ck_assert(!down);
        /* Administratively up without carrier counts as down; another
         * link's news and RTM_DELLINK change nothing. */
        n = put_link(buf, 0, RTM_NEWLINK, 7, IFF_UP, 0);
        n = put_link(buf, n, RTM_NEWLINK, 8, up, 0);
        n = put_link(buf, n, RTM_DELLINK, 7, up, 0);
        ck_assert(!nh_nl_link_scan(buf, n, 7, &down));
        ck_assert(down);
        n = put_link(buf, 0, RTM_NEWLINK, 7, up, 0);
        ck_assert(nh_nl_link_scan(buf, n, 7, &down));
        /* Too short for an ifinfomsg: skipped.  A length past the buffer
         * ends the scan. */
        down = true;
        n = put_link(buf, 0, RTM_NEWLINK, 7, up, NLMSG_LENGTH(4));
        ck_assert(!nh_nl_link_scan(buf, n, 7, &down));
        n = put_link(buf, 0, RTM_NEWLINK, 7, up, 4000);
        ck_assert(!nh_nl_link_scan(buf, n, 7, &down));
        ck_assert(!nh_nl_link_scan(buf, 3, 7, &down));
        /* An unaligned length whose last message, aligned, runs past the
         * end: the scan stops there (a size_t walk would wrap and read on). */
        memset(buf, 0xff, sizeof(buf));
        put_link(buf, 0, RTM_NEWLINK, 7, up, NLMSG_HDRLEN + 1);
        ck_assert(!nh_nl_link_scan(buf, NLMSG_HDRLEN + 2, 7, &down));
        ck_assert(down);
}
END_TEST

/* As root, in a network namespace of this test's own (check runs each
 * test in a child; the namespace goes with it): lo going down and up is
 * seen through the socket. */
static void lo_set(int fd, int idx, bool up)
{
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = idx, .ifi_change = IFF_UP,
                                 .ifi_flags = up ? IFF_UP : 0 };
        struct nh_nl_msg m;

        nh_nl_msg_init(&m, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
        ck_assert_int_eq(nh_nl_talk(fd, &m, NULL, NULL), 0);
}

START_TEST(link_events_kernel)
{
        int fd, ev, idx;
        bool down = false;

        if (geteuid() != 0)
                return;
        ck_assert_int_eq(unshare(CLONE_NEWNET), 0);
        fd = nh_nl_socket();
        ev = nh_nl_socket();
        ck_assert_int_ge(fd, 0);
        ck_assert_int_ge(ev, 0);
        ck_assert_int_eq(nh_nl_link_events_join(ev), 0);
        idx = (int) if_nametoindex("lo");
        ck_assert_int_gt(idx, 0);
        lo_set(fd, idx, true);
        ck_assert_int_eq(nh_nl_link_events_read(ev, idx, "lo", &down), 0);
        ck_assert(!down);
        lo_set(fd, idx, false);
        ck_assert_int_eq(nh_nl_link_events_read(ev, idx, "lo", &down), 0);
        ck_assert(down);
        lo_set(fd, idx, true);
        ck_assert_int_eq(nh_nl_link_events_read(ev, idx, "lo", &down), 1);
        ck_assert(!down);
        /* Nothing queued: not up again, and no error. */
        ck_assert_int_eq(nh_nl_link_events_read(ev, idx, "lo", &down), 0);
        close(ev);
        close(fd);
}
END_TEST

/* A link followed by name as the DHCP clients follow theirs: lo down and
 * up, a veth deleted and made again under its name (between two reads,
 * and within one read), as root in a namespace of this test's own. */
static void ip(const char *cmd)
{
        char line[256];

        snprintf(line, sizeof(line), "ip %s >/dev/null 2>&1", cmd);
        ck_assert_msg(system(line) == 0, "%s failed", line);
}

/* The next change of f other than "nothing to do": a veth is running
 * (IFF_RUNNING, its carrier) only once the kernel's link watch has run,
 * which may be a while after "ip link set up" on a loaded machine. */
static int follow_next(int ev, struct nh_nl_link_follow *f)
{
        for (int i = 0; i < 100; i++) {
                struct pollfd p = { .fd = ev, .events = POLLIN };
                int r = nh_nl_link_follow_read(ev, f);

                if (r != NH_NL_LINK_SAME)
                        return r;
                (void) poll(&p, 1, 100);
        }
        return NH_NL_LINK_SAME;
}

/* Waits (5 s at most) until the link is up and running. */
static void wait_running(int fd, const char *name)
{
        for (int i = 0; i < 100; i++) {
                struct ifreq ifr = { 0 };

                snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
                if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING))
                        return;
                (void) poll(NULL, 0, 50);
        }
        ck_abort_msg("%s is not running after 5 s", name);
}

START_TEST(link_follow_kernel)
{
        struct nh_nl_link_follow lo = { .ifname = "lo" }, v = { .ifname = "nht0" };
        int fd, ev, first;

        if (geteuid() != 0)
                return;
        ck_assert_int_eq(unshare(CLONE_NEWNET), 0);
        fd = nh_nl_socket();
        ev = nh_nl_socket();
        ck_assert_int_ge(fd, 0);
        ck_assert_int_ge(ev, 0);
        ck_assert_int_eq(nh_nl_link_events_join(ev), 0);
        lo.ifindex = (int) if_nametoindex("lo");
        ck_assert_int_gt(lo.ifindex, 0);

        lo_set(fd, lo.ifindex, true);
        ck_assert_int_eq(nh_nl_link_follow_read(ev, &lo), NH_NL_LINK_SAME);
        lo_set(fd, lo.ifindex, false);
        ck_assert_int_eq(nh_nl_link_follow_read(ev, &lo), NH_NL_LINK_SAME);
        ck_assert(lo.down);
        lo_set(fd, lo.ifindex, true);
        ck_assert_int_eq(nh_nl_link_follow_read(ev, &lo), NH_NL_LINK_AGAIN);
        ck_assert(!lo.down);
        ck_assert_int_eq(nh_nl_link_follow_read(ev, &lo), NH_NL_LINK_SAME);

        ip("link add nht0 type veth peer name nht1");
        ip("link set nht1 up");
        ip("link set nht0 up");
        v.ifindex = first = (int) if_nametoindex("nht0");
        ck_assert_int_eq(follow_next(ev, &v), NH_NL_LINK_AGAIN);
        ip("link delete nht0");
        ck_assert_int_eq(nh_nl_link_follow_read(ev, &v), NH_NL_LINK_GONE);
        ck_assert(v.gone);
        ck_assert_int_eq(nh_nl_link_follow_read(ev, &v), NH_NL_LINK_SAME);
        ip("link add nht0 type veth peer name nht1");
        ip("link set nht1 up");
        /* There again, not up yet: still gone. */
        ck_assert_int_eq(nh_nl_link_follow_read(ev, &v), NH_NL_LINK_SAME);
        ip("link set nht0 up");
        ck_assert_int_eq(follow_next(ev, &v), NH_NL_LINK_BACK);
        ck_assert(!v.gone && !v.down);
        ck_assert_int_ne(v.ifindex, first);
        ck_assert_int_eq(v.ifindex, (int) if_nametoindex("nht0"));

        first = v.ifindex;
        ip("link delete nht0");
        ip("link add nht0 type veth peer name nht1");
        ip("link set nht1 up");
        ip("link set nht0 up");
        wait_running(fd, "nht0");
        ck_assert_int_eq(nh_nl_link_follow_read(ev, &v), NH_NL_LINK_BACK);
        ck_assert_int_ne(v.ifindex, first);
        ck_assert_int_eq(v.ifindex, (int) if_nametoindex("nht0"));
        close(ev);
        close(fd);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("rtnl");
        TCase *tc = tcase_create("rtnl");

        tcase_add_test(tc, build_and_parse);
        tcase_add_test(tc, overflow);
        tcase_add_test(tc, hostile_lengths);
        tcase_add_test(tc, kernel_round_trip);
        tcase_add_test(tc, link_scan);
        tcase_add_test(tc, link_events_kernel);
        tcase_add_test(tc, link_follow_kernel);
        suite_add_tcase(s, tc);
        return nht_run(s, "rtnl");
}
