/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netns-helper-dhclient-handler: the program the dhclient4/dhclient6
 * plugins give ISC dhclient as its -sf script.
 *
 * dhclient runs it inside the namespace (it inherits dhclient's network and
 * mount namespaces) with what it learnt in the environment
 * (dhclient-script(8)).  It replaces the stock shell script, which writes
 * into the host's /etc: this program never touches a file.  It validates
 * every variable (lease.c), configures the interface through rtnetlink
 * (address, routes, MTU) and then sends the validated lease to the plugin
 * process over the datagram socket named in NH_DHCLIENT_REPORT; the plugin
 * sets DNS and facts through the core and reports readiness.
 *
 * Exit status: 0 when done, 1 when the reason's work failed (for TIMEOUT:
 * always 1, so dhclient does not fall back to an old lease without a
 * server), 2 on a malformed call.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lease.h"
#include "nl.h"

static const char *prog = "netns-helper-dhclient-handler";

__attribute__((format(printf, 1, 2)))
static void say(const char *fmt, ...)
{
        char buf[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        fprintf(stderr, "%s: %s\n", prog, buf);
}

static void on_warn(void *data, const char *msg)
{
        say("%s", msg);
}

static const char *env_get(void *data, const char *key)
{
        return getenv(key);
}

static bool addr_eq(const struct dhc_addr *a, const struct dhc_addr *b)
{
        return a->family == b->family && a->prefixlen == b->prefixlen &&
               !memcmp(a->bytes, b->bytes, a->family == AF_INET ? 4 : 16);
}

static int report(const struct dhc_lease *l)
{
        const char *path = getenv("NH_DHCLIENT_REPORT");
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        char buf[DHC_REPORT_MAX];
        int fd, n, r = 0;

        if (!path || !*path)
                return 0;
        if (strlen(path) >= sizeof sa.sun_path)
                return -ENAMETOOLONG;
        memcpy(sa.sun_path, path, strlen(path));
        n = dhc_lease_format(l, buf, sizeof buf);
        if (n < 0)
                return n;
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (sendto(fd, buf, (size_t) n, 0, (struct sockaddr *) &sa, sizeof sa) < 0)
                r = -errno;
        close(fd);
        return r;
}

static void ipv4_broadcast(const struct dhc_addr *a, struct dhc_addr *brd)
{
        uint32_t v, mask;

        *brd = (struct dhc_addr) { 0 };
        if (a->prefixlen >= 31)
                return;
        memcpy(&v, a->bytes, 4);
        mask = a->prefixlen ? htonl(UINT32_MAX << (32 - a->prefixlen)) : 0;
        v |= ~mask;
        brd->family = AF_INET;
        brd->prefixlen = 32;
        memcpy(brd->bytes, &v, 4);
}

static int bind4(int fd, int ifindex, const struct dhc_lease *l)
{
        struct dhc_addr brd = l->broadcast, any = { .family = AF_INET };
        char b[INET6_ADDRSTRLEN];
        int r;

        if (!brd.family)
                ipv4_broadcast(&l->addr, &brd);
        r = nlr_addr_add(fd, ifindex, &l->addr, &brd, l->lease_time, l->lease_time);
        if (r < 0) {
                say("Failed to add %s/%u to %s: %s", dhc_addr_str(&l->addr, b, sizeof b),
                    l->addr.prefixlen, l->ifname, strerror(-r));
                return r;
        }
        if (l->mtu) {
                r = nlr_link_set(fd, ifindex, false, l->mtu);
                if (r < 0)
                        say("Failed to set the MTU of %s to %u: %s", l->ifname, l->mtu, strerror(-r));
        }
        /* Routes carry the leased address as their source, so the kernel
         * drops them with it at lease expiry or release. */
        if (l->n_routes) {
                /* RFC 3442 section 2: with option 121 the router option
                 * is ignored. */
                for (size_t i = 0; i < l->n_routes; i++) {
                        const struct dhc_route *rt = &l->routes[i];
                        bool onlink = rt->gw.family && !dhc_addr_same_subnet(&l->addr, &rt->gw);
                        r = nlr_route_add(fd, ifindex, &rt->dst, &rt->gw, &l->addr, 0, onlink);
                        if (r < 0)
                                say("Failed to add the route to %s/%u: %s",
                                    dhc_addr_str(&rt->dst, b, sizeof b), rt->dst.prefixlen, strerror(-r));
                }
                return 0;
        }
        for (size_t i = 0; i < l->n_routers; i++) {
                const struct dhc_addr *gw = &l->routers[i];
                bool onlink = !dhc_addr_same_subnet(&l->addr, gw);
                /* More than one router: the first one wins, the others
                 * stay as fallbacks with higher metrics. */
                r = nlr_route_add(fd, ifindex, &any, gw, &l->addr,
                                  l->n_routers > 1 ? (uint32_t) i + 1 : 0, onlink);
                if (r < 0)
                        say("Failed to add the default route via %s: %s",
                            dhc_addr_str(gw, b, sizeof b), strerror(-r));
        }
        return 0;
}

static int bind6(int fd, int ifindex, const struct dhc_lease *l)
{
        char b[INET6_ADDRSTRLEN];
        int r = nlr_addr_add(fd, ifindex, &l->addr, NULL, l->max_life, l->preferred_life);

        if (r < 0)
                say("Failed to add %s/%u to %s: %s", dhc_addr_str(&l->addr, b, sizeof b),
                    l->addr.prefixlen, l->ifname, strerror(-r));
        return r;
}

int main(int argc, char **argv)
{
        const char *fam = getenv("NH_DHCLIENT_FAMILY");
        struct dhc_lease l;
        char b[INET6_ADDRSTRLEN];
        int family = fam && !strcmp(fam, "6") ? AF_INET6 : AF_INET;
        int fd, ifindex, r;

        if (dhc_lease_parse(family, env_get, NULL, on_warn, NULL, &l) < 0)
                return 2;

        if (l.action == DHC_ACT_NONE)
                return 0;
        if (l.action == DHC_ACT_TIMEOUT) {
                /* Only a lease a server confirms is used: a stale one could
                 * belong to someone else on this link by now. */
                say("No answer from a server; not using the old lease of %s",
                    dhc_addr_str(&l.addr, b, sizeof b));
                return 1;
        }

        fd = nlr_open();
        if (fd < 0) {
                say("Failed to open rtnetlink: %s", strerror(-fd));
                return 1;
        }
        r = nlr_link_get(fd, l.ifname, &ifindex, NULL);
        if (r < 0) {
                say("Failed to find interface %s: %s", l.ifname, strerror(-r));
                close(fd);
                return 1;
        }

        switch (l.action) {
        case DHC_ACT_PREINIT:
                r = nlr_link_set(fd, ifindex, true, 0);
                if (r < 0)
                        say("Failed to set %s up: %s", l.ifname, strerror(-r));
                break;
        case DHC_ACT_BIND:
                if (l.old_addr.family && !addr_eq(&l.old_addr, &l.addr))
                        (void) nlr_addr_del(fd, ifindex, &l.old_addr);
                r = family == AF_INET ? bind4(fd, ifindex, &l) : bind6(fd, ifindex, &l);
                break;
        case DHC_ACT_UNBIND:
                if (l.old_addr.family) {
                        r = nlr_addr_del(fd, ifindex, &l.old_addr);
                        if (r == -EADDRNOTAVAIL || r == -ENOENT || r == -ESRCH)
                                r = 0;
                        if (r < 0)
                                say("Failed to remove %s from %s: %s",
                                    dhc_addr_str(&l.old_addr, b, sizeof b), l.ifname, strerror(-r));
                }
                break;
        default:
                break;
        }
        close(fd);
        if (r < 0)
                return 1;

        if (l.action == DHC_ACT_BIND || l.action == DHC_ACT_UNBIND) {
                int k = report(&l);
                /* "dhclient -r" run by a stop after the stage's process
                 * ended finds no one listening; nothing is lost. */
                if (l.action == DHC_ACT_UNBIND && (k == -ENOENT || k == -ECONNREFUSED))
                        k = 0;
                if (k < 0)
                        say("Failed to report %s to netns-helper: %s", l.reason, strerror(-k));
        }
        return 0;
}
