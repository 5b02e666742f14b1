/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * "netns-helper leaktest NAME": from inside the namespace, try to reach
 * destinations outside the tunnel over IPv4, IPv6 and DNS, print each
 * attempt and its result, and exit 1 when anything could leave by another
 * way than the tunnel.
 *
 * The tunnel is whatever a stage recorded as the "tunnel" fact
 * (NH_FACT_TUNNEL); the core names no stage.  Which way a packet would go
 * is the kernel's answer to RTM_GETROUTE for it, inside the namespace:
 * the route decides, not whether an answer comes (through the tunnel,
 * answers are fine).  Every attempt is also really sent, so that a capture
 * outside can confirm it.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "engine/engine.h"
#include "engine/exitcodes.h"
#include "cli/leaktest.h"
#include "base/log.h"
#include "base/util.h"
#include "netns-helper/plugin.h"

#define NETNS_RUN_DIR "/run/netns"

struct leak {
        const char *tunnel;
        unsigned attempts, leaks;
};

/* The interface the kernel would send a packet to dst by: its ifindex,
 * 0 for an unreachable/blackhole/prohibit route, or a negative errno
 * (-ENETUNREACH when there is no route at all). */
static int route_oif(int family, const void *dst)
{
        struct {
                struct nlmsghdr h;
                struct rtmsg r;
                char attrs[64];
        } req = { 0 };
        union {
                struct nlmsghdr h;
                char buf[8192];
        } ans;
        struct rtattr *a;
        size_t alen = family == AF_INET ? 4 : 16;
        ssize_t n;
        int fd, oif = -ENOENT;

        req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.r));
        req.h.nlmsg_type = RTM_GETROUTE;
        req.h.nlmsg_flags = NLM_F_REQUEST;
        req.r.rtm_family = (unsigned char) family;
        req.r.rtm_dst_len = (unsigned char) (alen * 8);
        a = (struct rtattr *) ((char *) &req + NLMSG_ALIGN(req.h.nlmsg_len));
        a->rta_type = RTA_DST;
        a->rta_len = (unsigned short) RTA_LENGTH(alen);
        memcpy(RTA_DATA(a), dst, alen);
        req.h.nlmsg_len = NLMSG_ALIGN(req.h.nlmsg_len) + RTA_ALIGN(a->rta_len);

        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0)
                return -errno;
        if (send(fd, &req, req.h.nlmsg_len, 0) < 0 || (n = recv(fd, &ans, sizeof(ans), 0)) < 0) {
                oif = -errno;
                close(fd);
                return oif;
        }
        close(fd);
        if (!NLMSG_OK(&ans.h, (size_t) n))
                return -EBADMSG;
        if (ans.h.nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = NLMSG_DATA(&ans.h);
                return ans.h.nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) && e->error ? e->error : -EBADMSG;
        }
        if (ans.h.nlmsg_type != RTM_NEWROUTE || ans.h.nlmsg_len < NLMSG_LENGTH(sizeof(struct rtmsg)))
                return -EBADMSG;
        {
                const struct rtmsg *r = NLMSG_DATA(&ans.h);
                int len = (int) RTM_PAYLOAD(&ans.h);

                if (r->rtm_type == RTN_UNREACHABLE || r->rtm_type == RTN_BLACKHOLE || r->rtm_type == RTN_PROHIBIT)
                        return 0;
                for (a = RTM_RTA(r); RTA_OK(a, len); a = RTA_NEXT(a, len))
                        if (a->rta_type == RTA_OIF && RTA_PAYLOAD(a) >= 4)
                                memcpy(&oif, RTA_DATA(a), 4);
        }
        return oif;
}

/* A DNS query for name (type A), as a resolver would send it. */
static size_t dns_query(uint8_t *buf, size_t len, const char *name)
{
        size_t o = 12;
        const char *p = name;

        memset(buf, 0, 12);
        buf[0] = 0x4e, buf[1] = 0x48;           /* id */
        buf[2] = 0x01;                          /* RD */
        buf[5] = 1;                             /* QDCOUNT */
        while (*p && o + 70 < len) {
                size_t l = strcspn(p, ".");
                buf[o++] = (uint8_t) l;
                memcpy(buf + o, p, l);
                o += l;
                p += l + (p[l] == '.');
        }
        buf[o++] = 0;
        buf[o++] = 0, buf[o++] = 1;             /* A */
        buf[o++] = 0, buf[o++] = 1;             /* IN */
        return o;
}

/* Sends one UDP datagram (a DNS query) to addr:port; with wait_ms, waits
 * that long for any answer.  Returns 1 answered, 0 sent, -errno. */
static int send_udp(int family, const void *addr, uint16_t port, int wait_ms)
{
        struct sockaddr_storage ss = { 0 };
        socklen_t sl;
        uint8_t q[300];
        size_t ql = dns_query(q, sizeof(q), "leaktest.netns-helper.invalid");
        int fd, r = 0;

        if (family == AF_INET) {
                struct sockaddr_in *s = (struct sockaddr_in *) &ss;
                s->sin_family = AF_INET;
                s->sin_port = htons(port);
                memcpy(&s->sin_addr, addr, 4);
                sl = sizeof(*s);
        } else {
                struct sockaddr_in6 *s = (struct sockaddr_in6 *) &ss;
                s->sin6_family = AF_INET6;
                s->sin6_port = htons(port);
                memcpy(&s->sin6_addr, addr, 16);
                sl = sizeof(*s);
        }
        fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (connect(fd, (struct sockaddr *) &ss, sl) < 0 || send(fd, q, ql, 0) < 0)
                r = -errno;
        else if (wait_ms > 0) {
                struct pollfd p = { .fd = fd, .events = POLLIN };
                if (poll(&p, 1, wait_ms) > 0 && recv(fd, q, sizeof(q), MSG_DONTWAIT) > 0)
                        r = 1;
        }
        close(fd);
        return r;
}

static void attempt(struct leak *l, const char *what, int family, const char *addr_text, bool dns)
{
        uint8_t addr[16];
        char ifname[IF_NAMESIZE] = "?", verdict[160];
        int oif, sent;
        bool leak = false;

        if (inet_pton(family, addr_text, addr) != 1)
                return;
        l->attempts++;
        oif = route_oif(family, addr);
        if (oif > 0 && !if_indextoname((unsigned) oif, ifname))
                snprintf(ifname, sizeof(ifname), "#%d", oif);
        if (oif == 0 || oif == -ENETUNREACH || oif == -EHOSTUNREACH)
                snprintf(verdict, sizeof(verdict), "blocked (%s)", oif == 0 ? "unreachable route" : strerror(-oif));
        else if (oif < 0)
                snprintf(verdict, sizeof(verdict), "no route (%s)", strerror(-oif));
        else if (l->tunnel && streq(ifname, l->tunnel))
                snprintf(verdict, sizeof(verdict), "through the tunnel %s", ifname);
        else if (streq(ifname, "lo"))
                snprintf(verdict, sizeof(verdict), "stays inside the namespace (lo)");
        else {
                snprintf(verdict, sizeof(verdict), "LEAK: leaves by %s, not by the tunnel", ifname);
                leak = true;
        }
        sent = send_udp(family, addr, 53, dns ? 1000 : 0);
        printf("%-5s %-28s %-40s (%s%s)\n", what, addr_text, verdict,
               sent == 1 ? "answered" : sent == 0 ? (dns ? "sent, no answer" : "sent") : "not sent: ",
               sent < 0 ? strerror(-sent) : "");
        if (leak)
                l->leaks++;
}

static void check_links(struct leak *l)
{
        struct if_nameindex *ifs = if_nameindex(), *i;
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

        for (i = ifs; i && i->if_index; i++) {
                struct ifreq ifr = { 0 };
                bool up;

                snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", i->if_name);
                up = fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP);
                l->attempts++;
                if (streq(i->if_name, "lo") || (l->tunnel && streq(i->if_name, l->tunnel)) || !up) {
                        printf("%-5s %-28s %s\n", "link", i->if_name,
                               streq(i->if_name, "lo") ? "loopback" : !up ? "down" : "the tunnel");
                        continue;
                }
                printf("%-5s %-28s LEAK: up, and not the tunnel: traffic can leave by it\n", "link", i->if_name);
                l->leaks++;
        }
        if (fd >= 0)
                close(fd);
        if (ifs)
                if_freenameindex(ifs);
}

/* The name servers the namespace's services use: /etc/netns/NAME's
 * resolv.conf, as "ip netns exec" and "netns-helper add" bind it, else
 * the host's. */
static void check_dns(struct leak *l, const char *ns)
{
        _cleanup_free_ char *own = strdup_printf("%s/%s/resolv.conf", nh_etc_netns(), ns);
        _cleanup_free_ char *nss = strdup_printf("%s/%s/nsswitch.conf", nh_etc_netns(), ns);
        const char *path = own && access(own, F_OK) == 0 ? own : "/etc/resolv.conf";
        _cleanup_free_ char *text = NULL;
        char *line, *save = NULL;
        unsigned n = 0;

        if (read_file(path, &text, NULL) < 0) {
                printf("%-5s %-28s %s\n", "DNS", path, "not readable: no name server to try");
                return;
        }
        if (path != own)
                printf("%-5s %-28s %s\n", "DNS", path, "the namespace has no resolv.conf of its own: it uses the host's");
        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char server[64];
                if (sscanf(line, " nameserver %63s", server) != 1)
                        continue;
                n++;
                attempt(l, "DNS", strchr(server, ':') ? AF_INET6 : AF_INET, server, true);
        }
        if (n == 0)
                printf("%-5s %-28s %s\n", "DNS", path, "no nameserver line");
        /* nss-resolve asks the host's systemd-resolved over D-Bus, from any
         * namespace: those lookups leave by the host's links. */
        {
                _cleanup_free_ char *sw = NULL;
                const char *swpath = nss && access(nss, F_OK) == 0 ? nss : "/etc/nsswitch.conf";
                if (read_file(swpath, &sw, NULL) == 0) {
                        char *h = strstr(sw, "\nhosts:");
                        char *end = h ? strchr(h + 1, '\n') : NULL;
                        if (end)
                                *end = '\0';
                        l->attempts++;
                        if (h && strstr(h, " resolve") && access("/run/systemd/resolve", F_OK) == 0) {
                                printf("%-5s %-28s LEAK: \"hosts:\" uses resolve: names go to the host's "
                                       "systemd-resolved, outside the tunnel\n", "DNS", swpath);
                                l->leaks++;
                        } else
                                printf("%-5s %-28s %s\n", "DNS", swpath, "hosts: lookups stay in the namespace");
                }
        }
}

int nh_cmd_leaktest(int argc, char **argv)
{
        static const char *const v4[] = { "1.1.1.1", "8.8.8.8", "9.9.9.9", "192.168.1.1", "10.0.0.1",
                                          "172.16.0.1", "198.51.100.1" };
        static const char *const v6[] = { "2606:4700:4700::1111", "2001:4860:4860::8888", "2620:fe::fe",
                                          "fd00::1", "2001:db8::1" };
        _cleanup_free_ char *path = NULL, *tunnel = NULL;
        struct leak l = { 0 };
        const char *ns;
        int fd, r;

        if (argc != 2) {
                log_error("Usage: netns-helper leaktest NAMESPACE");
                return NH_EXIT_USAGE;
        }
        ns = argv[1];
        r = nh_check_namespace_name(ns);
        if (r != NH_EXIT_OK)
                return r;
        path = strdup_printf(NETNS_RUN_DIR "/%s", ns);
        if (!path)
                return NH_EXIT_FAILURE;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                log_error("Namespace %s does not exist (%s: %s)", ns, path, strerror(errno));
                return NH_EXIT_FAILURE;
        }
        tunnel = nh_run_fact(ns, NH_FACT_TUNNEL);
        l.tunnel = tunnel;
        if (setns(fd, CLONE_NEWNET) < 0) {
                log_error("Cannot enter namespace %s: %s", ns, strerror(errno));
                close(fd);
                return NH_EXIT_FAILURE;
        }
        close(fd);
        printf("Leak test of namespace %s; tunnel: %s\n", ns,
               l.tunnel ? l.tunnel : "none recorded (no stage set the \"tunnel\" fact): every way out is a leak");
        check_links(&l);
        for (size_t i = 0; i < ELEMENTSOF(v4); i++)
                attempt(&l, "IPv4", AF_INET, v4[i], false);
        for (size_t i = 0; i < ELEMENTSOF(v6); i++)
                attempt(&l, "IPv6", AF_INET6, v6[i], false);
        check_dns(&l, ns);
        if (l.leaks) {
                printf("%u of %u attempts could leave namespace %s outside the tunnel\n", l.leaks, l.attempts, ns);
                return NH_EXIT_FAILURE;
        }
        printf("No leak: %u attempts, none could leave namespace %s but through the tunnel\n", l.attempts, ns);
        return NH_EXIT_OK;
}
