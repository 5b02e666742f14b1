/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-floor: what the kernel alone costs, measured on this machine in the
 * same run as the rest of bench-bringup, with no netns-helper code at all.
 *
 *   bench-floor N PREFIX
 *       N times unshare(CLONE_NEWNET) + bind mount on /run/netns/PREFIXi +
 *       setns() back; then N times umount2(MNT_DETACH) + unlink.
 *   bench-floor -m PARENT N PREFIX
 *       the same plus everything "netns-helper up" does for a namespace,
 *       in the fewest syscalls: lo up, the macvlan created inside the
 *       namespace in one RTM_NEWLINK (MAC 02:5b:04:00:HI:LO), link up,
 *       10.77.x.y/16 and fd00:77::i/64, both default routes onlink; then
 *       RTM_DELLINK of each macvlan + umount2 + unlink (what a stop that
 *       deletes its link synchronously pays).
 * Prints "UP_US DOWN_US".  With a last argument "up" or "down", does only
 * that half and prints nothing, for a caller that times the whole process
 * (as bench-bringup does, like every other way it measures).  /run/netns
 * must exist and be shared already.
 *
 *   bench-floor -s netns NAME
 *   bench-floor -s macvlan PARENT NAME I
 *       one stage of one namespace and nothing else, with only libc
 *       loaded and the fewest syscalls: what the best possible "a process
 *       per stage" implementation pays.  bench-bringup runs it exactly as
 *       it runs netns-helper-run, a process per stage and namespace.  The
 *       macvlan is nm_NAME, MAC 02:5b:05:00:HI:LO, 10.77.x.y/16 and
 *       fd00:77::I/64, both default routes onlink.  Prints nothing.
 *       Tear-down: "ip netns delete NAME".
 *
 *       With BENCH_FLOOR_PLUGIN=PATH.so and BENCH_FLOOR_CONFIG=FILE[:FILE...]
 *       in the environment, the stage process first does what any design
 *       with dlopen()ed stage plugins and configuration files must do: it
 *       dlopen()s the plugin (lazily, like netns-helper's loader; nothing
 *       in it is called), reads each file, and opens its own network
 *       namespace to come back to.  bench-bringup's "design" way: the
 *       least this design can cost, against which netns-helper's own work
 *       per stage process shows.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <dlfcn.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <netns-helper/sdk.h>

static long long now_us(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The requests are built and sent with the plugins' own helper
 * (plugins/common/rtnl: plain rtnetlink, libc only), as macvlan does. */
static int rtnl(void)
{
        int fd = nh_nl_socket();
        if (fd < 0)
                errno = -fd;
        return fd;
}

static int link_up(int fd, int index)
{
        struct ifinfomsg ifi = { .ifi_index = index, .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
        struct nh_nl_msg r;
        nh_nl_msg_init(&r, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
        return nh_nl_talk(fd, &r, NULL, NULL);
}

static int addr(int fd, int index, int family, const void *a, int plen)
{
        struct ifaddrmsg ifa = { .ifa_family = (unsigned char) family, .ifa_prefixlen = (unsigned char) plen,
                                 .ifa_index = (unsigned) index };
        size_t len = family == AF_INET ? 4 : 16;
        struct nh_nl_msg r;
        nh_nl_msg_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof(ifa));
        nh_nl_put(&r, IFA_LOCAL, a, len);
        nh_nl_put(&r, IFA_ADDRESS, a, len);
        return nh_nl_talk(fd, &r, NULL, NULL);
}

static int route(int fd, int index, int family, const void *gw)
{
        struct rtmsg rtm = { .rtm_family = (unsigned char) family, .rtm_table = RT_TABLE_MAIN, .rtm_protocol = RTPROT_STATIC,
                             .rtm_type = RTN_UNICAST, .rtm_flags = RTNH_F_ONLINK };
        struct nh_nl_msg r;
        nh_nl_msg_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rtm, sizeof(rtm));
        nh_nl_put(&r, RTA_GATEWAY, gw, family == AF_INET ? 4 : 16);
        nh_nl_put_u32(&r, RTA_OIF, (uint32_t) index);
        return nh_nl_talk(fd, &r, NULL, NULL);
}

static int fail(const char *what, int err)
{
        fprintf(stderr, "bench-floor: %s: %s\n", what, strerror(err < 0 ? -err : err));
        return 1;
}

/* The macvlan made inside the namespace nsfd in one request; index 0 lets
 * the kernel choose the link's index. */
static int create_macvlan(int hostnl, int parent_index, int nsfd, const char *name,
                          const unsigned char mac[6], int index)
{
        struct ifinfomsg ifi = { .ifi_index = index };
        struct rtattr *li, *data;
        struct nh_nl_msg q;

        nh_nl_msg_init(&q, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
        nh_nl_put_str(&q, IFLA_IFNAME, name);
        nh_nl_put_u32(&q, IFLA_LINK, (uint32_t) parent_index);
        nh_nl_put(&q, IFLA_ADDRESS, mac, 6);
        nh_nl_put_u32(&q, IFLA_NET_NS_FD, (uint32_t) nsfd);
        li = nh_nl_nest(&q, IFLA_LINKINFO);
        nh_nl_put_str(&q, IFLA_INFO_KIND, "macvlan");
        data = nh_nl_nest(&q, IFLA_INFO_DATA);
        nh_nl_put_u32(&q, IFLA_MACVLAN_MODE, MACVLAN_MODE_BRIDGE);
        nh_nl_nest_end(&q, data);
        nh_nl_nest_end(&q, li);
        return nh_nl_talk(hostnl, &q, NULL, NULL);
}

/* Link up, 10.77.x.y/16 + fd00:77::i/64, both default routes onlink. */
static int configure(int nsnl, int index, int i)
{
        unsigned char v4[4] = { 10, 77, (unsigned char) (i / 250), (unsigned char) (i % 250 + 1) };
        unsigned char g4[4] = { 10, 77, 255, 254 };
        struct in6_addr v6, g6;
        char s6[64];
        int r;

        snprintf(s6, sizeof(s6), "fd00:77::%x", i);
        inet_pton(AF_INET6, s6, &v6);
        inet_pton(AF_INET6, "fd00:77::ffff", &g6);
        if ((r = link_up(nsnl, index)) < 0 ||
            (r = addr(nsnl, index, AF_INET, v4, 16)) < 0 || (r = route(nsnl, index, AF_INET, g4)) < 0 ||
            (r = addr(nsnl, index, AF_INET6, &v6, 64)) < 0 || (r = route(nsnl, index, AF_INET6, &g6)) < 0)
                return r;
        return 0;
}

/* BENCH_FLOOR_PLUGIN, BENCH_FLOOR_CONFIG: see the top of the file. */
static int design_essentials(void)
{
        const char *plugin = getenv("BENCH_FLOOR_PLUGIN"), *config = getenv("BENCH_FLOOR_CONFIG");
        char buf[4096];

        if (!plugin)
                return 0;
        if (!dlopen(plugin, RTLD_LAZY | RTLD_LOCAL)) {
                fprintf(stderr, "bench-floor: %s\n", dlerror());
                return 1;
        }
        for (const char *p = config; p && *p;) {
                const char *c = strchr(p, ':');
                size_t len = c ? (size_t) (c - p) : strlen(p);
                char file[256];
                int fd;
                ssize_t k;
                if (len >= sizeof(file))
                        return fail("BENCH_FLOOR_CONFIG", ENAMETOOLONG);
                memcpy(file, p, len);
                file[len] = '\0';
                fd = open(file, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        return fail(file, errno);
                while ((k = read(fd, buf, sizeof(buf))) > 0)
                        ;
                close(fd);
                p = c ? c + 1 : p + len;
        }
        /* Kept open until the process ends, as the engine keeps it. */
        if (open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC) < 0)
                return fail("open /proc/self/ns/net", errno);
        return 0;
}

/* -s: one stage of one namespace, in a process of its own. */
static int one_stage(int argc, char **argv)
{
        char path[256];
        int fd, nsnl, nsfd, hostnl, r;

        if (design_essentials() != 0)
                return 1;

        if (argc == 4 && strcmp(argv[2], "netns") == 0) {
                snprintf(path, sizeof(path), "/run/netns/%s", argv[3]);
                fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
                if (fd < 0 || close(fd) < 0 || unshare(CLONE_NEWNET) < 0 ||
                    mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0)
                        return fail(path, errno);
                if ((nsnl = rtnl()) < 0)
                        return fail("socket", errno);
                if ((r = link_up(nsnl, 1)) < 0)
                        return fail("lo up", r);
                return 0;
        }
        if (argc == 6 && strcmp(argv[2], "macvlan") == 0) {
                int i = atoi(argv[5]), parent_index = (int) if_nametoindex(argv[3]);
                unsigned char mac[6] = { 0x02, 0x5b, 0x05, 0x00, (unsigned char) (i >> 8), (unsigned char) i };
                char name[IFNAMSIZ];
                struct ifreq ifr;

                snprintf(path, sizeof(path), "/run/netns/%s", argv[4]);
                snprintf(name, sizeof(name), "nm_%s", argv[4]);
                nsfd = open(path, O_RDONLY | O_CLOEXEC);
                hostnl = rtnl();
                if (!parent_index || nsfd < 0 || hostnl < 0)
                        return fail(path, errno);
                if ((r = create_macvlan(hostnl, parent_index, nsfd, name, mac, 0)) < 0)
                        return fail("create macvlan", r);
                if (setns(nsfd, CLONE_NEWNET) < 0 || (nsnl = rtnl()) < 0)
                        return fail("setns", errno);
                /* The new link's index: one request, as any implementation
                 * that does not guess it makes. */
                memset(&ifr, 0, sizeof(ifr));
                snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
                if (ioctl(nsnl, SIOCGIFINDEX, &ifr) < 0)
                        return fail("SIOCGIFINDEX", errno);
                if ((r = configure(nsnl, ifr.ifr_ifindex, i)) < 0)
                        return fail("configure", r);
                return 0;
        }
        fprintf(stderr, "usage: bench-floor -s netns NAME | -s macvlan PARENT NAME I\n");
        return 2;
}

int main(int argc, char **argv)
{
        const char *parent = NULL, *prefix, *half = NULL;
        char path[256];
        long long t0, t1, t2;
        int n, host, fd, hostnl = -1, parent_index = 0, r;
        unsigned char mac_byte = 0x04;

        if (argc >= 2 && strcmp(argv[1], "-s") == 0)
                return one_stage(argc, argv);
        if (argc >= 5 && strcmp(argv[1], "-m") == 0) {
                parent = argv[2];
                argv += 2;
                argc -= 2;
        }
        if (argc == 4 && (strcmp(argv[3], "up") == 0 || strcmp(argv[3], "down") == 0)) {
                half = argv[3];
                argc--;
        }
        if (argc != 3 || (n = atoi(argv[1])) <= 0) {
                fprintf(stderr, "usage: bench-floor [-m PARENT] N PREFIX [up|down]\n");
                return 2;
        }
        prefix = argv[2];
        host = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        if (host < 0)
                return fail("open /proc/self/ns/net", errno);
        /* BENCH_FLOOR_MAC=HH: the MACs' third byte (default 04), so that
         * two ways of one run do not meet each other's dying links. */
        if (getenv("BENCH_FLOOR_MAC"))
                mac_byte = (unsigned char) strtoul(getenv("BENCH_FLOOR_MAC"), NULL, 16);
        if (parent) {
                parent_index = (int) if_nametoindex(parent);
                hostnl = rtnl();
                if (!parent_index || hostnl < 0)
                        return fail(parent, errno);
        }

        t0 = now_us();
        for (int i = 1; i <= n && (!half || strcmp(half, "up") == 0); i++) {
                int nsnl = -1, nsfd;

                snprintf(path, sizeof(path), "/run/netns/%s%d", prefix, i);
                fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
                if (fd < 0 || close(fd) < 0 || unshare(CLONE_NEWNET) < 0 ||
                    mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0)
                        return fail(path, errno);
                if (parent)
                        nsnl = rtnl();  /* a socket that lives in the new namespace */
                if (setns(host, CLONE_NEWNET) < 0)
                        return fail("setns", errno);
                if (!parent)
                        continue;

                unsigned char mac[6] = { 0x02, 0x5b, mac_byte, 0x00, (unsigned char) (i >> 8), (unsigned char) i };
                char name[IFNAMSIZ];

                nsfd = open(path, O_RDONLY | O_CLOEXEC);
                if (nsfd < 0 || nsnl < 0)
                        return fail(path, errno);
                snprintf(name, sizeof(name), "nm_f%d", i);
                /* lo is 1 in a new namespace, the macvlan 2 */
                if ((r = create_macvlan(hostnl, parent_index, nsfd, name, mac, 2)) < 0)
                        return fail("create macvlan", r);
                close(nsfd);
                if ((r = link_up(nsnl, 1)) < 0 || (r = configure(nsnl, 2, i)) < 0)
                        return fail("configure", r);
                close(nsnl);
        }
        t1 = now_us();
        for (int i = 1; i <= n && (!half || strcmp(half, "down") == 0); i++) {
                snprintf(path, sizeof(path), "/run/netns/%s%d", prefix, i);
                if (parent) {
                        struct ifinfomsg ifi = { .ifi_index = 2 };
                        struct nh_nl_msg q;
                        int nsfd = open(path, O_RDONLY | O_CLOEXEC), nsnl;
                        if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0)
                                return fail(path, errno);
                        nsnl = rtnl();
                        if (setns(host, CLONE_NEWNET) < 0 || nsnl < 0)
                                return fail("setns", errno);
                        nh_nl_msg_init(&q, RTM_DELLINK, 0, &ifi, sizeof(ifi));
                        if ((r = nh_nl_talk(nsnl, &q, NULL, NULL)) < 0)
                                return fail("delete macvlan", r);
                        close(nsnl);
                        close(nsfd);
                }
                if (umount2(path, MNT_DETACH) < 0 || unlink(path) < 0)
                        return fail(path, errno);
        }
        t2 = now_us();
        if (!half)
                printf("%lld %lld\n", t1 - t0, t2 - t1);
        return 0;
}
