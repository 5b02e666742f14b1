/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The dhcp4 stage: a DHCPv4 client for the namespace's uplink.
 *
 * This file is the glue: configuration, the sockets inside the namespace,
 * the kernel configuration over netlink, DNS, facts and readiness.  The
 * protocol lives in dhcp4-client.c (state machine) and dhcp4-packet.c
 * (codec), which know nothing of sockets or clocks.
 *
 * Sockets: an AF_PACKET socket (SOCK_DGRAM, ETH_P_IP) with a BPF filter for
 * UDP to port 68 carries everything broadcast and receives every reply
 * (we have no address during the first exchange); once bound, a UDP socket
 * bound to the leased address sends the unicast RENEW and RELEASE.
 *
 * Written only against the public plugin header.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include "netns-helper/plugin.h"

#include "dhcp4-client.h"
#include "dhcp4-lease.h"
#include "dhcp4-packet.h"
#include <netns-helper/sdk.h>

#define LEASE_FILE DHCP4_LEASE_FILE
#define DNS_SOURCE "dhcp4"
/* Set while the server prefers this client IPv6-only (RFC 8925): until when. */
#define FACT_IPV6_ONLY "dhcp4.ipv6-only"

static const struct nh_key dhcp4_keys[] = {
        { "interface", NH_T_IFNAME, 0, 0, 0, NULL,
          "the link to run on; default: the \"interface\" fact the macvlan stage sets" },
        { "timeout", NH_T_INT, 0, 1, 86400, NULL,
          "seconds to wait for the first lease before start fails; default 30" },
        { "client-id", NH_T_STRING, 0, 0, 0, NULL,
          "option 61: \"mac\" (type 1 + MAC, default), \"duid\" (RFC 4361, DUID-LL) or hex bytes (01:02:...)" },
        { "hostname", NH_T_STRING, 0, 0, 0, NULL,
          "option 12: a host name (DNS name rules) sent to the server; default none" },
        { "vendor-class", NH_T_STRING, 0, 0, 0, NULL,
          "option 60: vendor class identifier; default none" },
        { "request", NH_T_STRING, NH_KEY_LIST, 0, 0, NULL,
          "options to request (numbers or names); default 1,3,6,15,26,28,119,121" },
        { "release", NH_T_BOOL, 0, 0, 0, NULL,
          "send DHCPRELEASE on stop; default yes" },
        { "dns", NH_T_BOOL, 0, 0, 0, NULL,
          "write the servers and domains into /etc/netns/NAME/resolv.conf; default yes" },
        { "nsswitch", NH_T_BOOL, 0, 0, 0, NULL,
          "also write /etc/netns/NAME/nsswitch.conf (resolve -> dns); default no" },
        { "route-metric", NH_T_INT, 0, 0, UINT32_MAX, NULL,
          "metric of the routes from the lease; default 0" },
        { "use-routes", NH_T_BOOL, 0, 0, 0, NULL,
          "install the default route (option 3) or classless routes (121); default yes" },
        { "mtu", NH_T_BOOL, 0, 0, 0, NULL,
          "apply the interface MTU option (26); default yes" },
        { "conflict-detection", NH_T_ENUM, 0, 0, 0, "fast|rfc5227|no",
          "probe the offered address with ARP before using it (RFC 5227): \"fast\" adds 250 ms, "
          "\"rfc5227\" the RFC's 4-7 s; default fast" },
        { "rapid-commit", NH_T_BOOL, 0, 0, 0, NULL,
          "ask for a two-message exchange (RFC 4039, option 80); default yes" },
        { "ipv6-only-preferred", NH_T_BOOL, 0, 0, 0, NULL,
          "ask for and honour option 108 (RFC 8925): no IPv4 when the server prefers IPv6-only; default no" },
        { "start-delay", NH_T_INT, 0, 0, 10000, NULL,
          "maximum random wait in ms before the first DISCOVER (RFC 2131 4.4.1 asks for 1-10 s on boot); default 0" },
        { NULL },
};

struct dhcp4_conf {
        char ifname[IF_NAMESIZE];
        long long timeout;
        int client_id_kind;             /* 0 mac, 1 duid, 2 raw */
        uint8_t client_id_raw[DHCP4_MAX_CLIENT_ID];
        size_t client_id_len;
        char hostname[DHCP4_NAME_MAX];
        char vendor_class[256];
        uint8_t prl[DHCP4_MAX_PRL];
        size_t prl_len;
        int release, dns, nsswitch, use_routes, mtu, rapid_commit, ipv6_only;
        long long metric, start_delay_ms;
        enum dhcp4_acd acd;
};

static const uint8_t default_prl[] = { 1, 3, 6, 15, 26, 28, 119, 121 };

static int parse_hex(const char *s, uint8_t *out, size_t max, size_t *n)
{
        *n = 0;
        while (*s) {
                unsigned v;
                if (*s == ':' || *s == '-') {
                        s++;
                        continue;
                }
                if (sscanf(s, "%2x", &v) != 1 || !isxdigit((unsigned char) s[0]) ||
                    !isxdigit((unsigned char) s[1]) || *n >= max)
                        return -EINVAL;
                out[(*n)++] = (uint8_t) v;
                s += 2;
        }
        return *n >= 2 ? 0 : -EINVAL;
}

static int conf_bool(struct nh_ctx *ctx, const char *key, int def, int *out)
{
        int r;

        *out = def;
        r = nh_cfg_bool(ctx, key, 0, out);
        return r < 0 ? nh_cfg_error(ctx, key, "expected yes or no") : 0;
}

static int conf_load(struct nh_ctx *ctx, struct dhcp4_conf *c)
{
        const char *s;
        long long v;
        int r;

        memset(c, 0, sizeof(*c));
        c->timeout = 30;
        if ((s = nh_cfg_str(ctx, "interface")))
                snprintf(c->ifname, sizeof(c->ifname), "%s", s);
        if (nh_cfg_int(ctx, "timeout", 0, &v) > 0)
                c->timeout = v;
        if (nh_cfg_int(ctx, "route-metric", 0, &v) > 0)
                c->metric = v;
        if (nh_cfg_int(ctx, "start-delay", 0, &v) > 0)
                c->start_delay_ms = v;
        s = nh_cfg_str(ctx, "conflict-detection");
        c->acd = !s || strcmp(s, "fast") == 0 ? DHCP4_ACD_FAST :
                 strcmp(s, "rfc5227") == 0 ? DHCP4_ACD_RFC : DHCP4_ACD_OFF;

        s = nh_cfg_str(ctx, "client-id");
        if (!s || strcmp(s, "mac") == 0)
                c->client_id_kind = 0;
        else if (strcmp(s, "duid") == 0)
                c->client_id_kind = 1;
        else {
                c->client_id_kind = 2;
                if (parse_hex(s, c->client_id_raw, sizeof(c->client_id_raw), &c->client_id_len) < 0)
                        return nh_cfg_error(ctx, "client-id",
                                            "expected \"mac\", \"duid\" or 2-%d hex bytes like 01:02:03",
                                            DHCP4_MAX_CLIENT_ID);
        }

        if ((s = nh_cfg_str(ctx, "hostname"))) {
                if (strlen(s) >= sizeof(c->hostname) || !nh_dns_name_valid(ctx, s))
                        return nh_cfg_error(ctx, "hostname",
                                            "not a valid host name (letters, digits, '-', dot-separated labels of 1-63 bytes)");
                snprintf(c->hostname, sizeof(c->hostname), "%s", s);
        }
        if ((s = nh_cfg_str(ctx, "vendor-class"))) {
                size_t n = strlen(s);
                if (n == 0 || n > 255)
                        return nh_cfg_error(ctx, "vendor-class", "must be 1-255 bytes");
                for (size_t i = 0; i < n; i++)
                        if ((unsigned char) s[i] < 0x20 || (unsigned char) s[i] >= 0x7f)
                                return nh_cfg_error(ctx, "vendor-class", "only printable ASCII is allowed");
                memcpy(c->vendor_class, s, n + 1);
        }

        if (nh_cfg_count(ctx, "request") == 0) {
                memcpy(c->prl, default_prl, sizeof(default_prl));
                c->prl_len = sizeof(default_prl);
        }
        for (size_t i = 0; i < nh_cfg_count(ctx, "request"); i++) {
                int code = dhcp4_option_from_string(nh_cfg_get(ctx, "request", i));
                if (code < 0)
                        return nh_cfg_item_error(ctx, "request", i,
                                                 "\"%s\" is not an option number (1-254) or a known option name",
                                                 nh_cfg_get(ctx, "request", i));
                if (memchr(c->prl, code, c->prl_len))
                        continue;
                if (c->prl_len >= sizeof(c->prl))
                        return nh_cfg_error(ctx, "request", "at most %zu options", sizeof(c->prl));
                c->prl[c->prl_len++] = (uint8_t) code;
        }

        if ((r = conf_bool(ctx, "release", 1, &c->release)) < 0 ||
            (r = conf_bool(ctx, "dns", 1, &c->dns)) < 0 ||
            (r = conf_bool(ctx, "nsswitch", 0, &c->nsswitch)) < 0 ||
            (r = conf_bool(ctx, "use-routes", 1, &c->use_routes)) < 0 ||
            (r = conf_bool(ctx, "mtu", 1, &c->mtu)) < 0 ||
            (r = conf_bool(ctx, "rapid-commit", 1, &c->rapid_commit)) < 0 ||
            (r = conf_bool(ctx, "ipv6-only-preferred", 0, &c->ipv6_only)) < 0)
                return r;
        return 0;
}

static int dhcp4_validate(struct nh_ctx *ctx)
{
        struct dhcp4_conf c;

        return conf_load(ctx, &c);
}

/* ---- the running client ------------------------------------------------ */

struct dhcp4_run {
        struct nh_ctx *ctx;
        struct dhcp4_conf conf;
        struct nl_sock *nl;
        int ifindex;
        uint8_t mac[6];
        unsigned orig_mtu;
        bool mtu_changed;               /* we applied option 26 */
        int pfd, ufd;                   /* packet socket, UDP socket (or -1) */
        int afd;                        /* ARP packet socket for RFC 5227 (or -1) */
        int lfd;                        /* link events (or -1) */
        struct nh_nswatch nsw;             /* the namespace deleted from outside */
        struct nh_nl_link_follow link;  /* down and up, deleted and made again */
        uint32_t ufd_addr;              /* the address ufd is bound to */
        struct dhcp4_client client;
        bool ready, configured;
        struct dhcp4_route routes[DHCP4_MAX_LEASE_ROUTES];      /* installed */
        size_t n_routes;
        uint32_t addr;                  /* installed address */
        uint8_t prefixlen;
        /* The saved lease's address, possibly still on the link after a
         * run that was killed: it goes unless we get it again. */
        uint32_t stale_addr;
        uint8_t stale_prefixlen;
        int error;
        uint64_t started;
};

static uint64_t now_usec(void)
{
        struct timespec ts;

        /* CLOCK_BOOTTIME keeps counting through suspend: leases do too. */
        clock_gettime(CLOCK_BOOTTIME, &ts);
        return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000;
}

static uint64_t op_now(void *u) { return now_usec(); }

static uint32_t op_random(void *u)
{
        uint32_t v;

        if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != sizeof(v))
                v = (uint32_t) now_usec() ^ (uint32_t) getpid() * 2654435761u;
        return v;
}

__attribute__((format(printf, 3, 0)))
static void run_vlog(struct dhcp4_run *d, int prio, const char *fmt, va_list ap)
{
        char buf[768];

        vsnprintf(buf, sizeof(buf), fmt, ap);
        nh_log(d->ctx, prio, "%s: %s", d->conf.ifname, buf);
}

__attribute__((format(printf, 3, 4)))
static void op_log(void *u, int prio, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        run_vlog(u, prio, fmt, ap);
        va_end(ap);
}

/* The codec's warnings (dhcp4_warn_fn), e.g. about the routes of a lease. */
__attribute__((format(printf, 2, 3)))
static void codec_warn(void *u, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        run_vlog(u, NH_LOG_WARNING, fmt, ap);
        va_end(ap);
}

static const char *ip4(uint32_t a, char *buf)
{
        return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static int op_send(void *u, uint32_t dst, const uint8_t *msg, size_t len)
{
        struct dhcp4_run *d = u;
        uint8_t pkt[DHCP4_MAX_MESSAGE + 28];

        if (dst != INADDR_BROADCAST && d->ufd >= 0) {
                struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(DHCP4_SERVER_PORT),
                                           .sin_addr.s_addr = dst };
                if (sendto(d->ufd, msg, len, 0, (struct sockaddr *) &sin, sizeof(sin)) < 0)
                        return -errno;
                return 0;
        }
        if (len > DHCP4_MAX_MESSAGE)
                return -EMSGSIZE;
        memcpy(pkt + 28, msg, len);
        /* Without a unicast path (no UDP socket) fall back to broadcast.
         * REBINDING and RELEASE come from the address we hold (RFC 2131
         * 4.4.5); the first exchange from 0.0.0.0. */
        dhcp4_frame_udp(pkt, len, d->configured ? d->addr : 0, INADDR_BROADCAST,
                        DHCP4_CLIENT_PORT, DHCP4_SERVER_PORT);
        struct sockaddr_ll sll = {
                .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
                .sll_ifindex = d->ifindex, .sll_halen = 6,
                .sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
        };
        if (sendto(d->pfd, pkt, len + 28, 0, (struct sockaddr *) &sll, sizeof(sll)) < 0)
                return -errno;
        return 0;
}

static int op_arp_send(void *u, uint32_t spa, uint32_t tpa)
{
        struct dhcp4_run *d = u;
        uint8_t pkt[DHCP4_ARP_LEN];
        struct sockaddr_ll sll = {
                .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP),
                .sll_ifindex = d->ifindex, .sll_halen = 6,
                .sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
        };

        if (d->afd < 0)
                return -ENOTCONN;
        dhcp4_arp_build(pkt, d->mac, spa, tpa);
        if (sendto(d->afd, pkt, sizeof(pkt), 0, (struct sockaddr *) &sll, sizeof(sll)) < 0)
                return -errno;
        return 0;
}

/* The UDP socket for unicast RENEW/RELEASE, bound to the leased address. */
static void udp_open(struct dhcp4_run *d, uint32_t addr)
{
        struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(DHCP4_CLIENT_PORT),
                                   .sin_addr.s_addr = addr };
        char a[INET_ADDRSTRLEN];
        int fd, one = 1;

        if (d->ufd >= 0 && d->ufd_addr == addr)
                return;
        if (d->ufd >= 0)
                close(d->ufd);
        d->ufd = -1;
        fd = nh_socket(d->ctx, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_UDP);
        if (fd < 0) {
                nh_warn(d->ctx, "Failed to create the UDP socket for renewals: %s; renewing by broadcast",
                        strerror(-fd));
                return;
        }
        (void) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        (void) setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, d->conf.ifname, (socklen_t) strlen(d->conf.ifname));
        if (bind(fd, (struct sockaddr *) &sin, sizeof(sin)) < 0) {
                nh_warn(d->ctx, "Failed to bind the UDP socket to %s:68: %s; renewing by broadcast",
                        ip4(addr, a), strerror(errno));
                close(fd);
                return;
        }
        d->ufd = fd;
        d->ufd_addr = addr;
}

static void udp_close(struct dhcp4_run *d)
{
        if (d->ufd >= 0)
                close(d->ufd);
        d->ufd = -1;
        d->ufd_addr = 0;
}

/* ---- kernel configuration ---------------------------------------------- */

static struct nl_addr *nl_ip4(uint32_t a, unsigned prefixlen)
{
        struct nl_addr *n = nl_addr_build(AF_INET, &a, 4);
        if (n)
                nl_addr_set_prefixlen(n, (int) prefixlen);
        return n;
}

static int addr_change(struct dhcp4_run *d, bool add, uint32_t address, uint8_t prefixlen,
                       uint32_t broadcast, uint32_t lifetime)
{
        struct rtnl_addr *a = rtnl_addr_alloc();
        struct nl_addr *local = nl_ip4(address, prefixlen), *bcast = NULL;
        int r = -ENOMEM;

        if (!a || !local)
                goto out;
        rtnl_addr_set_ifindex(a, d->ifindex);
        rtnl_addr_set_family(a, AF_INET);
        rtnl_addr_set_local(a, local);
        rtnl_addr_set_prefixlen(a, prefixlen);
        if (add) {
                if (broadcast || prefixlen < 31) {
                        uint32_t b = broadcast ? broadcast : (address | ~dhcp4_prefixlen_to_netmask(prefixlen));
                        bcast = nl_ip4(b, 32);
                        if (bcast)
                                rtnl_addr_set_broadcast(a, bcast);
                }
                /* The kernel drops the address itself when the lease runs
                 * out, even if we are not there to do it. */
                rtnl_addr_set_valid_lifetime(a, lifetime);
                rtnl_addr_set_preferred_lifetime(a, lifetime);
                r = rtnl_addr_add(d->nl, a, NLM_F_REPLACE);
        } else
                r = rtnl_addr_delete(d->nl, a, 0);
        r = r < 0 ? nh_nlerr_to_errno(r) : 0;
out:
        nl_addr_put(bcast);
        nl_addr_put(local);
        rtnl_addr_put(a);
        return r;
}

static int route_change(struct dhcp4_run *d, bool add, const struct dhcp4_route *rt, uint32_t src)
{
        struct rtnl_route *r = rtnl_route_alloc();
        struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
        struct nl_addr *dst = nl_ip4(rt->dst, rt->prefixlen), *gw = NULL, *pref = NULL;
        int ret = -ENOMEM;

        if (!r || !nh || !dst)
                goto out;
        rtnl_route_set_family(r, AF_INET);
        rtnl_route_set_table(r, RT_TABLE_MAIN);
        rtnl_route_set_dst(r, dst);
        rtnl_route_set_protocol(r, RTPROT_DHCP);
        rtnl_route_set_priority(r, (uint32_t) d->conf.metric);
        rtnl_route_nh_set_ifindex(nh, d->ifindex);
        if (rt->gw) {
                gw = nl_ip4(rt->gw, 32);
                if (!gw)
                        goto out;
                rtnl_route_nh_set_gateway(nh, gw);
                rtnl_route_set_scope(r, RT_SCOPE_UNIVERSE);
        } else
                rtnl_route_set_scope(r, RT_SCOPE_LINK);
        if (add) {
                /* With the lease's address as preferred source, the kernel
                 * flushes these routes together with the address. */
                pref = nl_ip4(src, 32);
                if (pref)
                        rtnl_route_set_pref_src(r, pref);
        }
        rtnl_route_add_nexthop(r, nh);
        nh = NULL;
        ret = add ? rtnl_route_add(d->nl, r, NLM_F_CREATE | NLM_F_REPLACE) : rtnl_route_delete(d->nl, r, 0);
        ret = ret < 0 ? nh_nlerr_to_errno(ret) : 0;
out:
        if (nh)
                rtnl_route_nh_free(nh);
        nl_addr_put(dst);
        nl_addr_put(gw);
        nl_addr_put(pref);
        rtnl_route_put(r);
        return ret;
}

static void routes_remove(struct dhcp4_run *d)
{
        char a[INET_ADDRSTRLEN];

        for (size_t i = d->n_routes; i > 0; i--) {
                int r = route_change(d, false, &d->routes[i - 1], 0);
                if (r < 0 && r != -ESRCH && r != -ENOENT && r != -ENODEV)
                        nh_warn(d->ctx, "Failed to remove the route to %s/%u on %s: %s",
                                ip4(d->routes[i - 1].dst, a), d->routes[i - 1].prefixlen,
                                d->conf.ifname, strerror(-r));
        }
        d->n_routes = 0;
}

static void set_facts(struct dhcp4_run *d, const struct dhcp4_lease *l)
{
        char a[INET_ADDRSTRLEN], v[64];
        uint64_t left;

        snprintf(v, sizeof(v), "%s/%u", ip4(l->address, a), l->prefixlen);
        (void) nh_fact_set(d->ctx, NH_FACT_DHCP4_ADDRESS, v);
        left = d->client.expire_at > now_usec() ? (d->client.expire_at - now_usec()) / USEC_PER_SEC : 0;
        (void) nh_fact_set_time(d->ctx, NH_FACT_DHCP4_EXPIRES,
                                l->lease_time == 0xffffffffu ? NH_TIME_INFINITE :
                                (long long) time(NULL) + (long long) left);
}

static void set_dns(struct dhcp4_run *d, const struct dhcp4_lease *l)
{
        char servers[DHCP4_MAX_DNS][INET_ADDRSTRLEN];
        const char *sp[DHCP4_MAX_DNS], *dp[DHCP4_MAX_SEARCH + 1];
        size_t ns = 0, nd = 0;
        int r;

        if (!d->conf.dns)
                return;
        for (size_t i = 0; i < l->n_dns; i++) {
                if (l->dns[i] == 0 || l->dns[i] == INADDR_BROADCAST)
                        continue;
                sp[ns] = ip4(l->dns[i], servers[ns]);
                ns++;
        }
        /* The codec already dropped invalid names; the core's rules are the
         * ones resolv.conf is written by, so ask it too. */
        /* Option 119 replaces the domain name as the search list when
         * both come (as resolv.conf's "search" replaces "domain"). */
        if (l->n_search == 0 && l->domain[0] && nh_dns_name_valid(d->ctx, l->domain))
                dp[nd++] = l->domain;
        for (size_t i = 0; i < l->n_search; i++)
                if (nh_dns_name_valid(d->ctx, l->search[i]))
                        dp[nd++] = l->search[i];
        r = nh_dns_set(d->ctx, DNS_SOURCE, sp, ns, dp, nd);
        if (r < 0)
                nh_warn(d->ctx, "Failed to write the namespace's resolv.conf: %s", strerror(-r));
        if (d->conf.nsswitch) {
                r = nh_dns_nsswitch(d->ctx);
                if (r < 0)
                        nh_warn(d->ctx, "Failed to write the namespace's nsswitch.conf: %s", strerror(-r));
        }
}

static void save_lease(struct dhcp4_run *d, const struct dhcp4_lease *l)
{
        struct dhcp4_saved_lease s = { .address = l->address, .prefixlen = l->prefixlen,
                                       .server_id = l->server_id };
        const char *dir = nh_state_dir(d->ctx);
        int r;

        if (!dir)
                return;
        snprintf(s.ifname, sizeof(s.ifname), "%s", d->conf.ifname);
        if (l->lease_time != 0xffffffffu)
                s.expires = (int64_t) time(NULL) +
                        (int64_t) ((d->client.expire_at - now_usec()) / USEC_PER_SEC);
        /* The ACK itself, for using the lease again after a restart; its
         * start from its end, so that a lease kept over a restart (whose
         * timers were moved back by its age) keeps its true age. */
        s.obtained = l->lease_time != 0xffffffffu ? s.expires - (int64_t) l->lease_time :
                (int64_t) time(NULL) - (int64_t) ((now_usec() - d->client.request_sent) / USEC_PER_SEC);
        memcpy(s.ack, d->client.ack, d->client.ack_len);
        s.ack_len = d->client.ack_len;
        r = dhcp4_saved_lease_save(dir, &s);
        if (r < 0)
                nh_warn(d->ctx, "Failed to save the lease in %s/" LEASE_FILE ": %s", dir, strerror(-r));
}

static int load_lease(struct nh_ctx *ctx, struct dhcp4_saved_lease *s)
{
        const char *dir = nh_state_dir(ctx);
        char path[4096], buf[DHCP4_SAVED_LEASE_MAX + 1];
        ssize_t n;
        int fd;

        if (!dir)
                return -ENOENT;
        snprintf(path, sizeof(path), "%s/" LEASE_FILE, dir);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n < 0)
                return -errno;
        buf[n] = '\0';
        return dhcp4_saved_lease_parse(buf, s);
}

static void remove_lease_file(struct nh_ctx *ctx)
{
        const char *dir = nh_state_dir(ctx);
        char path[4096];

        if (!dir)
                return;
        snprintf(path, sizeof(path), "%s/" LEASE_FILE, dir);
        (void) unlink(path);
}

static void unconfigure(struct dhcp4_run *d, const char *why)
{
        char a[INET_ADDRSTRLEN];
        int r;

        if (!d->configured)
                return;
        routes_remove(d);
        r = addr_change(d, false, d->addr, d->prefixlen, 0, 0);
        /* Gone already (expired, or the link itself was deleted): fine. */
        if (r < 0 && r != -EADDRNOTAVAIL && r != -ENOENT && r != -ESRCH && r != -ENODEV)
                nh_warn(d->ctx, "Failed to remove %s/%u from %s: %s", ip4(d->addr, a), d->prefixlen,
                        d->conf.ifname, strerror(-r));
        udp_close(d);
        if (d->conf.dns)
                (void) nh_dns_clear(d->ctx, DNS_SOURCE);
        (void) nh_fact_set(d->ctx, NH_FACT_DHCP4_ADDRESS, NULL);
        (void) nh_fact_set(d->ctx, NH_FACT_DHCP4_EXPIRES, NULL);
        nh_info(d->ctx, "Removed %s/%u from %s (%s)", ip4(d->addr, a), d->prefixlen, d->conf.ifname, why);
        d->configured = false;
        d->addr = 0;
}

/* On stop, the link gets back the MTU it had before option 26. */
static void mtu_restore(struct dhcp4_run *d)
{
        struct rtnl_link *link = NULL, *change;

        if (!d->mtu_changed || !d->orig_mtu)
                return;
        change = rtnl_link_alloc();
        if (change && rtnl_link_get_kernel(d->nl, d->ifindex, NULL, &link) >= 0) {
                rtnl_link_set_mtu(change, d->orig_mtu);
                (void) rtnl_link_change(d->nl, link, change, 0);
        }
        rtnl_link_put(link);
        rtnl_link_put(change);
        d->mtu_changed = false;
}

static void stale_remove(struct dhcp4_run *d)
{
        if (d->stale_addr)
                (void) addr_change(d, false, d->stale_addr, d->stale_prefixlen, 0, 0);
        d->stale_addr = 0;
}

static int op_bound(void *u, const struct dhcp4_lease *l, bool renewed)
{
        struct dhcp4_run *d = u;
        struct dhcp4_route want[DHCP4_MAX_LEASE_ROUTES];
        size_t n_want = 0;
        char a[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN], status[160];
        int r;

        if (d->stale_addr && (d->stale_addr != l->address || d->stale_prefixlen != l->prefixlen))
                stale_remove(d);
        d->stale_addr = 0;

        if (d->configured && (d->addr != l->address || d->prefixlen != l->prefixlen))
                unconfigure(d, "the lease changed");

        if (d->conf.mtu && l->mtu >= 68 && !renewed) {
                struct rtnl_link *link = NULL, *change = rtnl_link_alloc();
                if (change && rtnl_link_get_kernel(d->nl, d->ifindex, NULL, &link) >= 0 &&
                    rtnl_link_get_mtu(link) != l->mtu) {
                        rtnl_link_set_mtu(change, l->mtu);
                        r = rtnl_link_change(d->nl, link, change, 0);
                        if (r < 0)
                                nh_warn(d->ctx, "Failed to set the MTU of %s to %u (option 26): %s",
                                        d->conf.ifname, l->mtu, nl_geterror(r));
                        else
                                d->mtu_changed = true;
                }
                rtnl_link_put(link);
                rtnl_link_put(change);
        }

        r = addr_change(d, true, l->address, l->prefixlen, l->broadcast, l->lease_time);
        if (r < 0) {
                nh_err(d->ctx, "Failed to add %s/%u to %s: %s", ip4(l->address, a), l->prefixlen,
                       d->conf.ifname, strerror(-r));
                return r;
        }
        d->configured = true;
        d->addr = l->address;
        d->prefixlen = l->prefixlen;

        if (d->conf.use_routes)
                n_want = dhcp4_lease_routes(l, want, renewed ? NULL : codec_warn, d);
        /* Routes the new lease no longer has go first. */
        for (size_t i = 0; i < d->n_routes; i++) {
                bool keep = false;
                for (size_t j = 0; j < n_want; j++)
                        keep |= !memcmp(&d->routes[i], &want[j], sizeof(want[j]));
                if (!keep)
                        (void) route_change(d, false, &d->routes[i], 0);
        }
        d->n_routes = 0;
        for (size_t i = 0; i < n_want; i++) {
                r = route_change(d, true, &want[i], l->address);
                if (r < 0) {
                        nh_err(d->ctx, "Failed to add the route to %s/%u via %s on %s: %s",
                               ip4(want[i].dst, a), want[i].prefixlen, ip4(want[i].gw, s),
                               d->conf.ifname, strerror(-r));
                        return r;
                }
                d->routes[d->n_routes++] = want[i];
        }

        set_dns(d, l);
        set_facts(d, l);
        (void) nh_fact_set(d->ctx, FACT_IPV6_ONLY, NULL);
        udp_open(d, l->address);

        snprintf(status, sizeof(status), "Bound to %s/%u on %s from %s, lease %" PRIu32 " s",
                 ip4(l->address, a), l->prefixlen, d->conf.ifname, ip4(l->server_id, s), l->lease_time);
        if (!d->ready) {
                /* nh_ready() logs the status: one line per bind (issue 16). */
                d->ready = true;
                snprintf(status + strlen(status), sizeof(status) - strlen(status), " (%.1f ms after start)",
                         (double) (now_usec() - d->started) / 1000.0);
                (void) nh_ready(d->ctx, status);
        } else {
                /* A new lease (after a NAK or an expiry) is news; a
                 * renewal goes to the status line only. */
                if (!renewed)
                        nh_info(d->ctx, "%s", status);
                (void) nh_status(d->ctx, status);
        }
        save_lease(d, l);
        return 0;
}

/* RFC 8925: the server prefers us IPv6-only.  That is a working state for
 * the namespace (IPv6 comes from the dhcp6 or slaac stage): ready, with a
 * fact for "check", and DHCPv4 again after the wait. */
static void op_ipv6_only(void *u, uint32_t wait)
{
        struct dhcp4_run *d = u;
        char status[128], v[32];

        snprintf(status, sizeof(status), "IPv6-only preferred by the DHCP server on %s: no IPv4 for %" PRIu32 " s",
                 d->conf.ifname, wait);
        snprintf(v, sizeof(v), "%lld", (long long) time(NULL) + wait);
        (void) nh_fact_set(d->ctx, FACT_IPV6_ONLY, v);
        if (!d->ready) {
                d->ready = true;
                (void) nh_ready(d->ctx, status);
        } else
                (void) nh_status(d->ctx, status);
}

static void op_unbound(void *u, const struct dhcp4_lease *l, const char *why)
{
        struct dhcp4_run *d = u;

        unconfigure(d, why);
        remove_lease_file(d->ctx);
        (void) nh_status(d->ctx, "No lease, looking for a DHCP server");
}

static const struct dhcp4_client_ops run_ops = {
        .now = op_now, .random = op_random, .send = op_send,
        .bound = op_bound, .unbound = op_unbound, .log = op_log, .arp_send = op_arp_send,
        .ipv6_only = op_ipv6_only,
};

/* BPF on the packet socket (SOCK_DGRAM: offsets count from the IP header):
 * accept unfragmented UDP to port 68, drop the rest in the kernel. */
static int packet_open(struct dhcp4_run *d)
{
        static struct sock_filter code[] = {
                BPF_STMT(BPF_LD + BPF_B + BPF_ABS, 9),                  /* protocol */
                BPF_JUMP(BPF_JMP + BPF_JEQ + BPF_K, IPPROTO_UDP, 0, 6),
                BPF_STMT(BPF_LD + BPF_H + BPF_ABS, 6),                  /* flags + fragment offset */
                BPF_JUMP(BPF_JMP + BPF_JSET + BPF_K, 0x1fff, 4, 0),
                BPF_STMT(BPF_LDX + BPF_B + BPF_MSH, 0),                 /* X = IP header length */
                BPF_STMT(BPF_LD + BPF_H + BPF_IND, 2),                  /* UDP destination port */
                BPF_JUMP(BPF_JMP + BPF_JEQ + BPF_K, DHCP4_CLIENT_PORT, 0, 1),
                BPF_STMT(BPF_RET + BPF_K, 0xffff),
                BPF_STMT(BPF_RET + BPF_K, 0),
        };
        struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };
        struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
                                   .sll_ifindex = d->ifindex };
        int fd, one = 1, r;

        /* Protocol 0 receives nothing until bind(): no frame slips in
         * before the filter is attached. */
        fd = nh_socket(d->ctx, AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return fd;
        if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0 ||
            setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0 ||
            bind(fd, (struct sockaddr *) &sll, sizeof(sll)) < 0) {
                r = -errno;
                close(fd);
                return r;
        }
        d->pfd = fd;
        return 0;
}

/* Datagrams read per socket and wake-up: the loop goes back to poll() and
 * so to the stop fd and the timers between batches, whatever the LAN
 * sends (issue 13: draining until EAGAIN under 3,000 packets/s made
 * SIGTERM wait 8 s).  The kernel drops what does not fit its queue. */
#define READ_BATCH 32

static void packet_read(struct dhcp4_run *d)
{
        for (unsigned i = 0; i < READ_BATCH; i++) {
                uint8_t buf[DHCP4_OPTBUF + 64];
                union {
                        struct cmsghdr h;
                        uint8_t b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
                } ctl;
                struct sockaddr_ll from;
                struct iovec iov = { buf, sizeof(buf) };
                struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
                                     .msg_iovlen = 1, .msg_control = &ctl, .msg_controllen = sizeof(ctl) };
                bool not_ready = false;
                const uint8_t *payload;
                size_t plen;
                ssize_t n;

                n = recvmsg(d->pfd, &mh, MSG_DONTWAIT);
                if (n < 0)
                        return;
                if (from.sll_pkttype == PACKET_OUTGOING || (mh.msg_flags & MSG_TRUNC))
                        continue;
                for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
                        if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA) {
                                struct tpacket_auxdata aux;
                                memcpy(&aux, CMSG_DATA(c), sizeof(aux));
                                not_ready = aux.tp_status & TP_STATUS_CSUMNOTREADY;
                        }
                /* UDP checksums: see dhcp4_unframe_udp(); a wrong one is
                 * only forgiven when the kernel says it was never filled
                 * in (checksum offload on a local veth). */
                if (dhcp4_unframe_udp(buf, (size_t) n, not_ready, DHCP4_CLIENT_PORT, &payload, &plen, NULL) < 0)
                        continue;
                dhcp4_client_receive(&d->client, payload, plen);
        }
}

/* ARP on the link, for RFC 5227: Ethernet/IPv4 requests and replies only
 * (SOCK_DGRAM: offsets count from the ARP header). */
static int arp_open(struct dhcp4_run *d)
{
        static struct sock_filter code[] = {
                BPF_STMT(BPF_LD + BPF_W + BPF_ABS, 0),                  /* htype, ptype */
                BPF_JUMP(BPF_JMP + BPF_JEQ + BPF_K, 0x00010800, 0, 3),
                BPF_STMT(BPF_LD + BPF_H + BPF_ABS, 4),                  /* hlen, plen */
                BPF_JUMP(BPF_JMP + BPF_JEQ + BPF_K, 0x0604, 0, 1),
                BPF_STMT(BPF_RET + BPF_K, 0xffff),
                BPF_STMT(BPF_RET + BPF_K, 0),
        };
        struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };
        struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP),
                                   .sll_ifindex = d->ifindex };
        int fd, r;

        fd = nh_socket(d->ctx, AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return fd;
        if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0 ||
            bind(fd, (struct sockaddr *) &sll, sizeof(sll)) < 0) {
                r = -errno;
                close(fd);
                return r;
        }
        d->afd = fd;
        return 0;
}

static void arp_read(struct dhcp4_run *d)
{
        for (unsigned i = 0; i < READ_BATCH; i++) {
                uint8_t buf[64], sha[6];
                struct sockaddr_ll from;
                socklen_t fl = sizeof(from);
                uint32_t spa, tpa;
                ssize_t n = recvfrom(d->afd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *) &from, &fl);

                if (n < 0)
                        return;
                if (from.sll_pkttype == PACKET_OUTGOING ||
                    dhcp4_arp_parse(buf, (size_t) n, sha, &spa, &tpa) < 0)
                        continue;
                dhcp4_client_arp(&d->client, sha, spa, tpa);
        }
}

static void udp_read(struct dhcp4_run *d)
{
        uint8_t buf[DHCP4_OPTBUF];
        ssize_t n;

        /* Replies to unicast renewals arrive here and on the packet socket;
         * the state machine ignores the second copy. */
        for (unsigned i = 0; i < READ_BATCH && d->ufd >= 0 &&
                             (n = recv(d->ufd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0; i++)
                dhcp4_client_receive(&d->client, buf, (size_t) n);
}

/* ---- the link going down and up ---------------------------------------
 * "ip link set IF down" makes the kernel flush the link's routes (the IPv4
 * address stays): when the link is back, the lease's address and routes are
 * put back at once, not at T1, which with a day's lease is hours later.
 * A link that was down, or without carrier, may have come back on another
 * network: the lease is then confirmed as after a restart (INIT-REBOOT). */
static int link_events_open(struct dhcp4_run *d)
{
        int fd = nh_socket(d->ctx, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE), r;

        if (fd < 0)
                return fd;
        r = nh_nl_link_events_join(fd);
        if (r < 0) {
                close(fd);
                return r;
        }
        d->lfd = fd;
        return 0;
}

static void lease_reapply(struct dhcp4_run *d)
{
        const struct dhcp4_lease *l = &d->client.lease;
        uint64_t t = now_usec();
        char a[INET_ADDRSTRLEN];
        size_t n = 0;
        int r;

        if (!d->configured || !d->client.have_lease || d->client.expire_at <= t)
                return;
        r = addr_change(d, true, d->addr, d->prefixlen, l->broadcast,
                        (uint32_t) ((d->client.expire_at - t) / USEC_PER_SEC));
        if (r < 0) {
                nh_warn(d->ctx, "%s is up again, but putting %s/%u back failed: %s", d->conf.ifname,
                        ip4(d->addr, a), d->prefixlen, strerror(-r));
                return;
        }
        for (size_t i = 0; i < d->n_routes; i++) {
                r = route_change(d, true, &d->routes[i], d->addr);
                if (r < 0)
                        nh_warn(d->ctx, "%s is up again, but putting a route back failed: %s",
                                d->conf.ifname, strerror(-r));
                else
                        n++;
        }
        nh_info(d->ctx, "%s is up again: %s/%u and %zu route%s of the lease are back", d->conf.ifname,
                ip4(d->addr, a), d->prefixlen, n, n == 1 ? "" : "s");
}

/* The link deleted (the kernel deletes a macvlan with its parent) and made
 * again under its name (the macvlan stage's watcher does, once the parent
 * is back): the new link has a new index.  While it is gone the client
 * neither spins on a socket of a deleted device nor fails: it closes the
 * packet socket and waits; its lease's own timers go on. */
static int link_setup(struct dhcp4_run *d);

static void link_events(struct dhcp4_run *d)
{
        int r = nh_nl_link_follow_read(d->lfd, &d->link);

        if (r < 0) {
                /* Not to be woken by the same error again and again. */
                nh_warn(d->ctx, "Stopped following %s going down and up: %s", d->conf.ifname, strerror(-r));
                close(d->lfd);
                d->lfd = -1;
                return;
        }
        if (r == NH_NL_LINK_GONE) {
                nh_notice(d->ctx, "%s was deleted (its parent gone?); waiting for it to come back",
                          d->conf.ifname);
                if (d->pfd >= 0)
                        close(d->pfd);
                d->pfd = -1;
                udp_close(d);
                return;
        }
        if (r == NH_NL_LINK_BACK) {
                /* The same name, a new index: sockets on the new link. */
                int k = link_setup(d);
                if (k >= 0)
                        k = packet_open(d);
                if (k < 0) {
                        nh_warn(d->ctx, "%s is back, but using it failed: %s", d->conf.ifname, strerror(-k));
                        /* Tried again when the link of that name changes. */
                        d->link.gone = true;
                        return;
                }
                nh_info(d->ctx, "%s is back (index %d)", d->conf.ifname, d->ifindex);
        }
        if (r == NH_NL_LINK_BACK || r == NH_NL_LINK_AGAIN) {
                /* The old lease at once, so that nothing waits; then ask
                 * the network whether it still holds (it may be another
                 * network now): an ACK renews it, a NAK replaces it. */
                lease_reapply(d);
                (void) dhcp4_client_reconfirm(&d->client);
        }
}

static int resolve_ifname(struct nh_ctx *ctx, struct dhcp4_conf *c)
{
        const char *f;

        if (c->ifname[0])
                return 0;
        f = nh_fact_get(ctx, NH_FACT_INTERFACE);
        if (!f || !*f || strlen(f) >= sizeof(c->ifname))
                return -ENOENT;
        snprintf(c->ifname, sizeof(c->ifname), "%s", f);
        return 0;
}

static int link_setup(struct dhcp4_run *d)
{
        struct rtnl_link *link = NULL;
        struct nl_addr *ll;
        int r;

        r = rtnl_link_get_kernel(d->nl, 0, d->conf.ifname, &link);
        if (r < 0)
                return nh_nlerr_to_errno(r);
        d->ifindex = rtnl_link_get_ifindex(link);
        d->link = (struct nh_nl_link_follow){ .ifname = d->conf.ifname, .ifindex = d->ifindex };
        d->orig_mtu = rtnl_link_get_mtu(link);
        ll = rtnl_link_get_addr(link);
        if (!ll || nl_addr_get_len(ll) != 6) {
                rtnl_link_put(link);
                return -EAFNOSUPPORT;
        }
        memcpy(d->mac, nl_addr_get_binary_addr(ll), 6);
        if (!(rtnl_link_get_flags(link) & IFF_UP)) {
                struct rtnl_link *change = rtnl_link_alloc();
                if (change) {
                        rtnl_link_set_flags(change, IFF_UP);
                        r = rtnl_link_change(d->nl, link, change, 0);
                        rtnl_link_put(change);
                        if (r < 0) {
                                rtnl_link_put(link);
                                return nh_nlerr_to_errno(r);
                        }
                }
        }
        rtnl_link_put(link);
        return 0;
}

static void client_config(struct dhcp4_run *d, struct dhcp4_client_config *cc)
{
        memset(cc, 0, sizeof(*cc));
        memcpy(cc->mac, d->mac, 6);
        switch (d->conf.client_id_kind) {
        case 0:         /* RFC 2132 9.14: hardware type 1 + MAC */
                cc->client_id[0] = 1;
                memcpy(cc->client_id + 1, d->mac, 6);
                cc->client_id_len = 7;
                break;
        case 1: {       /* RFC 4361: 255, IAID, DUID (here DUID-LL, type 3) */
                uint32_t h = nh_fnv1a32(d->conf.ifname, strlen(d->conf.ifname), NH_FNV32_INIT);
                cc->client_id[0] = 255;
                memcpy(cc->client_id + 1, &h, 4);
                cc->client_id[5] = 0; cc->client_id[6] = 3;     /* DUID-LL */
                cc->client_id[7] = 0; cc->client_id[8] = 1;     /* Ethernet */
                memcpy(cc->client_id + 9, d->mac, 6);
                cc->client_id_len = 15;
                break;
        }
        default:
                memcpy(cc->client_id, d->conf.client_id_raw, d->conf.client_id_len);
                cc->client_id_len = d->conf.client_id_len;
        }
        snprintf(cc->hostname, sizeof(cc->hostname), "%s", d->conf.hostname);
        snprintf(cc->vendor_class, sizeof(cc->vendor_class), "%s", d->conf.vendor_class);
        memcpy(cc->prl, d->conf.prl, d->conf.prl_len);
        cc->prl_len = d->conf.prl_len;
        /* RFC 2132 9.10: what we can take; never less than 576. */
        cc->max_message_size = d->orig_mtu >= DHCP4_MAX_MESSAGE ? DHCP4_MAX_MESSAGE :
                d->orig_mtu > DHCP4_MIN_MESSAGE ? (uint16_t) d->orig_mtu : DHCP4_MIN_MESSAGE;
        if (d->conf.start_delay_ms > 0)
                cc->start_delay = (uint64_t) (op_random(NULL) % (uint32_t) (d->conf.start_delay_ms + 1)) * 1000;
        cc->acd = d->afd >= 0 ? d->conf.acd : DHCP4_ACD_OFF;
        cc->rapid_commit = d->conf.rapid_commit;
        cc->ipv6_only = d->conf.ipv6_only;
}

static void report_timeout(struct dhcp4_run *d)
{
        const struct dhcp4_client *c = &d->client;
        char srv[INET_ADDRSTRLEN], from[64] = "";

        if (c->last_server)
                snprintf(from, sizeof(from), " (last from %s)", ip4(c->last_server, srv));

        nh_err(d->ctx,
               "No DHCPv4 lease on %s (MAC %02x:%02x:%02x:%02x:%02x:%02x) within %lld s: "
               "sent %u DHCPDISCOVER and %u DHCPREQUEST by broadcast, received %u matching "
               "replies%s, %u ignored%s%s; state %s. Is a DHCP server reachable on the "
               "parent link? ('timeout' in the dhcp4 section sets the wait)",
               d->conf.ifname, d->mac[0], d->mac[1], d->mac[2], d->mac[3], d->mac[4], d->mac[5],
               d->conf.timeout, c->sent[DHCP4_DISCOVER], c->sent[DHCP4_REQUEST], c->received,
               from,
               c->ignored, c->ignored ? ", last: " : "", c->ignored ? c->last_ignored : "",
               dhcp4_state_to_string(c->state));
}

static int dhcp4_start(struct nh_ctx *ctx)
{
        struct dhcp4_run d = { .ctx = ctx, .pfd = -1, .ufd = -1, .lfd = -1, .afd = -1, .nsw = { .fd = -1 } };
        struct dhcp4_client_config cc;
        struct dhcp4_saved_lease saved;
        uint32_t reboot = 0;
        uint64_t deadline;
        bool have_saved;
        int r, stop_fd;

        d.started = now_usec();
        r = conf_load(ctx, &d.conf);
        if (r < 0)
                return r;
        if (resolve_ifname(ctx, &d.conf) < 0) {
                nh_err(ctx, "No interface to run DHCPv4 on: set 'interface' in the dhcp4 section, "
                       "or start the macvlan stage first (it sets the \"interface\" fact)");
                return -ENOENT;
        }
        d.nl = nh_netlink(ctx);
        if (!d.nl) {
                r = errno > 0 ? -errno : -EIO;
                nh_err(ctx, "Failed to open netlink in namespace %s: %s", nh_namespace(ctx), strerror(-r));
                return r;
        }
        r = link_setup(&d);
        if (r < 0) {
                nh_err(ctx, "Failed to use link %s in namespace %s: %s", d.conf.ifname,
                       nh_namespace(ctx), strerror(-r));
                return r;
        }
        r = packet_open(&d);
        if (r < 0) {
                nh_err(ctx, "Failed to open the DHCP packet socket on %s: %s", d.conf.ifname, strerror(-r));
                return r;
        }
        if (d.conf.acd != DHCP4_ACD_OFF && (r = arp_open(&d)) < 0)
                nh_warn(ctx, "Cannot open the ARP socket on %s (%s): no address conflict detection",
                        d.conf.ifname, strerror(-r));
        r = link_events_open(&d);
        if (r < 0)
                nh_warn(ctx, "Cannot follow %s going down and up (%s): after \"ip link set %s down\" "
                        "the lease's routes come back only at its renewal", d.conf.ifname, strerror(-r),
                        d.conf.ifname);
        r = nh_nswatch_open(&d.nsw, nh_namespace(ctx), nh_netns_fd(ctx));
        if (r < 0)
                nh_warn(ctx, "Cannot watch /run/netns (%s): if namespace %s is deleted from outside, this "
                        "client runs on until stopped", strerror(-r), nh_namespace(ctx));
        stop_fd = nh_stop_fd(ctx);

        have_saved = load_lease(ctx, &saved) == 0 && strcmp(saved.ifname, d.conf.ifname) == 0;
        if (have_saved) {
                char a[INET_ADDRSTRLEN];
                reboot = saved.address;
                d.stale_addr = saved.address;
                d.stale_prefixlen = saved.prefixlen;
                nh_debug(ctx, "Asking again for %s, the address of the saved lease", ip4(reboot, a));
        }

        client_config(&d, &cc);
        dhcp4_client_init(&d.client, &cc, &run_ops, &d);
        (void) nh_status(ctx, "Looking for a DHCP server");
        if (have_saved && saved.ack_len > 0) {
                /* A lease kept over a restart (issue 16): still valid, it
                 * is used again when no server answers (RFC 2131 4.4.2). */
                int64_t age = (int64_t) time(NULL) - saved.obtained;
                (void) dhcp4_client_start_saved(&d.client, saved.ack, saved.ack_len,
                                                age > 0 ? (uint64_t) age * USEC_PER_SEC : 0);
        } else
                (void) dhcp4_client_start(&d.client, reboot);
        deadline = d.started + (uint64_t) d.conf.timeout * USEC_PER_SEC;

        for (;;) {
                struct pollfd p[6] = {
                        { .fd = stop_fd, .events = POLLIN },
                        { .fd = d.pfd, .events = POLLIN },
                        { .fd = d.ufd, .events = POLLIN },
                        { .fd = d.lfd, .events = POLLIN },
                        { .fd = d.nsw.fd, .events = POLLIN },
                        { .fd = d.afd, .events = POLLIN },
                };
                uint64_t next = dhcp4_client_next_timeout(&d.client), t = now_usec();
                int wait;

                if (d.client.error < 0) {
                        r = d.client.error;
                        break;
                }
                if (!d.ready && t >= deadline) {
                        report_timeout(&d);
                        r = -ETIMEDOUT;
                        break;
                }
                if (!d.ready && deadline < next)
                        next = deadline;
                if (next <= t)
                        wait = 0;
                else if (next - t > 3600ULL * USEC_PER_SEC)
                        wait = 3600 * 1000;
                else
                        wait = (int) ((next - t + 999) / 1000);
                r = poll(p, 6, wait);
                if (r < 0 && errno != EINTR) {
                        r = -errno;
                        nh_err(ctx, "poll() failed: %s", strerror(-r));
                        break;
                }
                if (r > 0 && p[0].revents) {
                        char a[INET_ADDRSTRLEN];
                        r = 0;
                        /* A SIGTERM may be a restart (systemctl restart, a
                         * reload): a valid lease is kept, unreleased, in
                         * the lease file for the next start, so that a
                         * restart during a server outage does not take the
                         * namespace offline (issue 16).  The "stop" verb
                         * ("netns-helper down", "netns-helper-run dhcp4
                         * NAME stop") releases it. */
                        if (d.client.have_lease)
                                nh_info(ctx, "Stopping: keeping the lease of %s for the next start",
                                        ip4(d.client.lease.address, a));
                        else
                                nh_info(ctx, "Stopping");
                        dhcp4_client_stop(&d.client, false);
                        break;
                }
                if (r > 0 && p[4].revents && nh_nswatch_gone(&d.nsw)) {
                        /* Our sockets keep the namespace (and the link)
                         * alive: release while the server can still hear
                         * us, then end, so that it goes. */
                        r = 0;
                        nh_notice(ctx, "Namespace %s was deleted from outside (ip netns delete?): %s",
                                  nh_namespace(ctx), d.client.have_lease && d.conf.release ?
                                  "releasing the lease and stopping" : "stopping");
                        dhcp4_client_stop(&d.client, d.conf.release);
                        if (d.conf.release && d.client.have_lease)
                                remove_lease_file(ctx);
                        break;
                }
                if (r > 0 && p[1].revents)
                        packet_read(&d);
                if (r > 0 && p[2].revents)
                        udp_read(&d);
                if (r > 0 && p[3].revents)
                        link_events(&d);
                if (r > 0 && p[5].revents)
                        arp_read(&d);
                if (now_usec() >= dhcp4_client_next_timeout(&d.client))
                        dhcp4_client_timeout(&d.client);
        }

        unconfigure(&d, r == 0 ? "stopped" : "failed");
        (void) nh_fact_set(ctx, FACT_IPV6_ONLY, NULL);
        stale_remove(&d);
        mtu_restore(&d);
        udp_close(&d);
        if (d.pfd >= 0)
                close(d.pfd);
        if (d.lfd >= 0)
                close(d.lfd);
        if (d.afd >= 0)
                close(d.afd);
        nh_nswatch_close(&d.nsw);
        return r;
}

/* The DHCPRELEASE of a saved lease (RFC 2131 4.4.6), from the stop verb
 * when the running client is gone: from the leased address, to the server,
 * over the packet socket (the address is no longer configured). */
static void release_saved(struct dhcp4_run *d, const struct dhcp4_saved_lease *s)
{
        struct dhcp4_client_config cc;
        char a[INET_ADDRSTRLEN], srv[INET_ADDRSTRLEN];

        if (!s->server_id || packet_open(d) < 0)
                return;
        client_config(d, &cc);
        dhcp4_client_init(&d->client, &cc, &run_ops, d);
        d->client.xid = op_random(NULL);
        d->client.lease.address = s->address;
        d->client.lease.server_id = s->server_id;
        d->client.have_lease = true;
        /* op_send() sends from the configured address. */
        d->configured = true;
        d->addr = s->address;
        dhcp4_client_stop(&d->client, true);
        if (d->client.sent[DHCP4_RELEASE])
                nh_info(d->ctx, "Released the lease of %s (DHCPRELEASE to %s)", ip4(s->address, a),
                        ip4(s->server_id, srv));
        d->configured = false;
        close(d->pfd);
        d->pfd = -1;
}

/* Leftovers of a process that is gone (killed, crashed, or stopped with
 * its lease kept): the address of the saved lease, our DNS record, the
 * facts; the lease is released (release: yes).  Idempotent. */
static int dhcp4_stop(struct nh_ctx *ctx)
{
        struct dhcp4_saved_lease s;
        struct dhcp4_conf conf;
        char a[INET_ADDRSTRLEN];

        if (conf_load(ctx, &conf) < 0) {
                memset(&conf, 0, sizeof(conf));
                conf.release = 1;
        }
        if (load_lease(ctx, &s) == 0 && nh_netns_fd(ctx) >= 0) {
                struct dhcp4_run d = { .ctx = ctx, .pfd = -1, .ufd = -1, .lfd = -1, .afd = -1, .conf = conf };
                struct rtnl_link *link = NULL;

                d.nl = nh_netlink(ctx);
                if (d.nl && rtnl_link_get_kernel(d.nl, 0, s.ifname, &link) >= 0) {
                        struct nl_addr *ll = rtnl_link_get_addr(link);
                        int r;
                        d.ifindex = rtnl_link_get_ifindex(link);
                        d.orig_mtu = rtnl_link_get_mtu(link);
                        if (ll && nl_addr_get_len(ll) == 6)
                                memcpy(d.mac, nl_addr_get_binary_addr(ll), 6);
                        rtnl_link_put(link);
                        r = addr_change(&d, false, s.address, s.prefixlen, 0, 0);
                        if (r == 0)
                                nh_info(ctx, "Removed %s/%u from %s (left by a previous run)",
                                        ip4(s.address, a), s.prefixlen, s.ifname);
                        snprintf(d.conf.ifname, sizeof(d.conf.ifname), "%s", s.ifname);
                        if (conf.release && (s.expires == 0 || s.expires > (int64_t) time(NULL)))
                                release_saved(&d, &s);
                }
                if (conf.release)
                        remove_lease_file(ctx);
        }
        (void) nh_dns_clear(ctx, DNS_SOURCE);
        (void) nh_fact_set(ctx, NH_FACT_DHCP4_ADDRESS, NULL);
        (void) nh_fact_set(ctx, NH_FACT_DHCP4_EXPIRES, NULL);
        (void) nh_fact_set(ctx, FACT_IPV6_ONLY, NULL);
        return 0;
}

/* The address of the dhcp4.address fact is on the link. */
static int dhcp4_check(struct nh_ctx *ctx)
{
        const char *f = nh_fact_get(ctx, NH_FACT_DHCP4_ADDRESS);
        struct dhcp4_conf conf;
        struct nl_cache *cache = NULL;
        struct nl_sock *nl;
        char want[64];
        struct nl_object *o;
        int found = 0, r;

        /* Deleted from outside: a difference, not a failure to tell. */
        if (nh_netns_fd(ctx) < 0) {
                nh_notice(ctx, "Namespace %s does not exist, so neither does its DHCPv4 lease", nh_namespace(ctx));
                return 1;
        }
        if (!f && nh_fact_get(ctx, FACT_IPV6_ONLY))
                return 0;       /* RFC 8925: no IPv4, as the server asked */
        if (!f) {
                nh_err(ctx, "No DHCPv4 lease is recorded (fact %s): is the dhcp4 stage running?",
                       NH_FACT_DHCP4_ADDRESS);
                return 1;
        }
        if ((r = conf_load(ctx, &conf)) < 0)
                return r;
        if (resolve_ifname(ctx, &conf) < 0)
                return -ENOENT;
        nl = nh_netlink(ctx);
        if (!nl)
                return -EIO;
        r = rtnl_addr_alloc_cache(nl, &cache);
        if (r < 0)
                return nh_nlerr_to_errno(r);
        snprintf(want, sizeof(want), "%s", f);
        for (o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
                struct rtnl_addr *a = (struct rtnl_addr *) o;
                char buf[64];
                if (rtnl_addr_get_family(a) != AF_INET)
                        continue;
                nl_addr2str(rtnl_addr_get_local(a), buf, sizeof(buf));
                if (!strchr(buf, '/'))
                        snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "/%d", rtnl_addr_get_prefixlen(a));
                if (strcmp(buf, want) == 0)
                        found = 1;
        }
        nl_cache_free(cache);
        if (!found) {
                nh_err(ctx, "%s lacks the leased address %s", conf.ifname, want);
                return 1;
        }
        return 0;
}

NH_PLUGIN_DEFINE(
        .name = "dhcp4",
        .stage = "dhcp4",
        .version = NH_STAGE_VERSION,
        .description = "native DHCPv4 client (RFC 2131): address, routes, MTU and DNS from the lease",
        .order = NH_ORDER_DHCP4,
        .flags = NH_PLUGIN_LONG_RUNNING | NH_PLUGIN_NEEDS_NETNS,
        .keys = dhcp4_keys,
        .validate = dhcp4_validate,
        .start = dhcp4_start,
        .stop = dhcp4_stop,
        .check = dhcp4_check,
);
