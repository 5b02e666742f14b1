/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The "veth" stage: a veth pair from the host into the namespace, with
 * addresses on both ends and optional routes.  It is the answer to the
 * macvlan's blind spot: a macvlan cannot talk to its own host, a veth can.
 *
 * Written only against the SDK a third party gets: <netns-helper/plugin.h>
 * and libnetns-helper-sdk (<netns-helper/sdk.h>), plus libnl for netlink.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/route/link.h>
#include <netlink/route/addr.h>
#include <netlink/route/route.h>

#include <netns-helper/plugin.h>

#include <netns-helper/sdk.h>

#ifndef NH_STAGE_VERSION
#define NH_STAGE_VERSION "0"
#endif

#define VETH_MAX_ADDRS  16
#define VETH_MAX_ROUTES 64

enum side { SIDE_HOST, SIDE_NS };

struct veth_route {
        enum side side;
        struct nh_inet dst;
        bool has_gw;
        struct nh_inet gw;
};

struct veth_cfg {
        char host_name[IFNAMSIZ];
        char name[IFNAMSIZ];
        struct nh_inet addrs[2][VETH_MAX_ADDRS];  /* [SIDE_HOST], [SIDE_NS] */
        size_t n_addrs[2];
        struct veth_route routes[VETH_MAX_ROUTES];
        size_t n_routes;
        int host_routes;
        int default_route;
        long long mtu;                             /* 0: the kernel's default */
};

static const struct nh_key veth_keys[] = {
        { "host-name",     NH_T_IFNAME,       0, 0, 0, NULL,
          "name of the host end (default \"ve-\" + namespace, shortened past 15 bytes)" },
        { "name",          NH_T_IFNAME,       0, 0, 0, NULL,
          "name of the end inside the namespace (default \"vh0\")" },
        { "host-address4", NH_T_IPV4_PREFIX,  NH_KEY_LIST, 0, 0, NULL, "IPv4 address(es) of the host end, e.g. 10.250.0.1/30" },
        { "host-address6", NH_T_IPV6_PREFIX,  NH_KEY_LIST, 0, 0, NULL, "IPv6 address(es) of the host end" },
        { "address4",      NH_T_IPV4_PREFIX,  NH_KEY_LIST, 0, 0, NULL, "IPv4 address(es) of the namespace end, e.g. 10.250.0.2/30" },
        { "address6",      NH_T_IPV6_PREFIX,  NH_KEY_LIST, 0, 0, NULL, "IPv6 address(es) of the namespace end" },
        { "routes4",       NH_T_STRING,       NH_KEY_LIST, 0, 0, NULL,
          "IPv4 routes inside the namespace: \"PREFIX\" (via the host end) or \"PREFIX via ADDRESS\"" },
        { "routes6",       NH_T_STRING,       NH_KEY_LIST, 0, 0, NULL,
          "IPv6 routes inside the namespace: \"PREFIX\" (via the host end) or \"PREFIX via ADDRESS\"" },
        { "host-routes",   NH_T_BOOL,         0, 0, 0, NULL,
          "route each end's addresses to the other side when no prefix covers them (default yes)" },
        { "default-route", NH_T_BOOL,         0, 0, 0, NULL,
          "default route(s) in the namespace via the host end's first address (default no)" },
        { "mtu",           NH_T_INT,          0, 68, 65535, NULL, "MTU of both ends" },
        { NULL },
};

static const char *side_name(enum side s) { return s == SIDE_HOST ? "host" : "namespace"; }

/* Send one request and wait for its acknowledgement, with the kernel's
 * errno (nh_nl_talk_hdr() says why not nl_send_sync()).  Frees m. */
static int talk(struct nl_sock *sk, struct nl_msg *m)
{
        int r = nh_nl_talk_hdr(nl_socket_get_fd(sk), nlmsg_hdr(m), NULL, NULL);

        nlmsg_free(m);
        return r;
}

/* "A.B.C.D[/N]", "default" */
static int parse_prefix(const char *s, int family, struct nh_inet *out)
{
        char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
        unsigned long len;

        memset(out, 0, sizeof(*out));
        out->family = family;
        if (strcmp(s, "default") == 0)
                return 0;
        if (strlen(s) >= sizeof(buf))
                return -EINVAL;
        strcpy(buf, s);
        slash = strchr(buf, '/');
        if (slash)
                *slash = '\0';
        if (inet_pton(family, buf, out->addr.bytes) != 1)
                return -EINVAL;
        out->prefixlen = nh_inet_full_len(family);
        if (slash) {
                if (slash[1] < '0' || slash[1] > '9')
                        return -EINVAL;
                errno = 0;
                len = strtoul(slash + 1, &end, 10);
                if (errno || *end || len > nh_inet_full_len(family))
                        return -EINVAL;
                out->prefixlen = (unsigned) len;
        }
        return 0;
}

static int first_addr(const struct veth_cfg *c, enum side s, int family, struct nh_inet *out)
{
        size_t i;

        for (i = 0; i < c->n_addrs[s]; i++)
                if (c->addrs[s][i].family == family) {
                        *out = c->addrs[s][i];
                        out->prefixlen = nh_inet_full_len(family);
                        return 1;
                }
        return 0;
}

static int add_route(struct nh_ctx *ctx, struct veth_cfg *c, const char *key, enum side s,
                     const struct nh_inet *dst, const struct nh_inet *gw)
{
        struct veth_route *r;

        if (c->n_routes >= VETH_MAX_ROUTES)
                return nh_cfg_error(ctx, key, "too many routes (at most %d in all)", VETH_MAX_ROUTES);
        r = &c->routes[c->n_routes++];
        r->side = s;
        r->dst = *dst;
        r->has_gw = gw != NULL;
        if (gw)
                r->gw = *gw;
        return 0;
}

static int read_addrs(struct nh_ctx *ctx, struct veth_cfg *c, enum side s, const char *key)
{
        size_t i, n = nh_cfg_count(ctx, key);
        int r;

        for (i = 0; i < n; i++) {
                struct nh_inet a;

                r = nh_cfg_inet(ctx, key, i, &a);
                if (r < 0)
                        return nh_cfg_error(ctx, key, "\"%s\" is not an address with an optional /prefix",
                                            nh_cfg_get(ctx, key, i));
                if (r == 0)
                        continue;
                if (c->n_addrs[s] >= VETH_MAX_ADDRS)
                        return nh_cfg_error(ctx, key, "too many addresses (at most %d per end)", VETH_MAX_ADDRS);
                c->addrs[s][c->n_addrs[s]++] = a;
        }
        return 0;
}

/* "PREFIX" or "PREFIX via ADDRESS" */
static int read_routes(struct nh_ctx *ctx, struct veth_cfg *c, const char *key, int family)
{
        size_t i, n = nh_cfg_count(ctx, key);
        int r;

        for (i = 0; i < n; i++) {
                const char *v = nh_cfg_get(ctx, key, i);
                char buf[128], *words[4], *save = NULL, *w;
                struct nh_inet dst, gw;
                size_t nw = 0;

                if (!v || strlen(v) >= sizeof(buf))
                        return nh_cfg_error(ctx, key, "route %zu is too long", i + 1);
                strcpy(buf, v);
                for (w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
                        if (nw == 4)
                                break;
                        words[nw++] = w;
                }
                if (!(nw == 1 || (nw == 3 && strcmp(words[1], "via") == 0)))
                        return nh_cfg_error(ctx, key, "\"%s\": expected \"PREFIX\" or \"PREFIX via ADDRESS\"", v);
                if (parse_prefix(words[0], family, &dst) < 0)
                        return nh_cfg_error(ctx, key, "\"%s\": \"%s\" is not an IPv%c prefix",
                                            v, words[0], family == AF_INET ? '4' : '6');
                if (nh_inet_host_bits(&dst))
                        return nh_cfg_error(ctx, key, "\"%s\": \"%s\" has bits set past its prefix length",
                                            v, words[0]);
                if (nw == 3) {
                        if (parse_prefix(words[2], family, &gw) < 0 || strchr(words[2], '/') ||
                            strcmp(words[2], "default") == 0)
                                return nh_cfg_error(ctx, key, "\"%s\": \"%s\" is not an IPv%c address",
                                                    v, words[2], family == AF_INET ? '4' : '6');
                        r = add_route(ctx, c, key, SIDE_NS, &dst, &gw);
                } else if (first_addr(c, SIDE_HOST, family, &gw))
                        r = add_route(ctx, c, key, SIDE_NS, &dst, &gw);
                else
                        r = add_route(ctx, c, key, SIDE_NS, &dst, NULL);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Reads and checks the whole section; reports every mistake through the
 * core (file, line, column) and returns -EINVAL on the first one. */
static int veth_cfg_load(struct nh_ctx *ctx, struct veth_cfg *c)
{
        const char *v;
        size_t i, j;
        int r, fam;
        enum side s;

        memset(c, 0, sizeof(*c));

        v = nh_cfg_str(ctx, "host-name");
        if (v) {
                if (!nh_ifname_ok(v, strlen(v)))
                        return nh_cfg_error(ctx, "host-name", "\"%s\" is not an interface name (1-15 bytes)", v);
                snprintf(c->host_name, sizeof(c->host_name), "%s", v);
        } else {
                nh_ifname_from_ns("ve-", nh_namespace(ctx), c->host_name);
                if (!nh_ifname_ok(c->host_name, strlen(c->host_name)))
                        return nh_cfg_error(ctx, "host-name",
                                            "the default \"%s\" is not an interface name; set host-name",
                                            c->host_name);
        }
        v = nh_cfg_str(ctx, "name");
        if (v && !nh_ifname_ok(v, strlen(v)))
                return nh_cfg_error(ctx, "name", "\"%s\" is not an interface name (1-15 bytes)", v);
        snprintf(c->name, sizeof(c->name), "%s", v ? v : "vh0");

        if ((r = read_addrs(ctx, c, SIDE_HOST, "host-address4")) < 0 ||
            (r = read_addrs(ctx, c, SIDE_HOST, "host-address6")) < 0 ||
            (r = read_addrs(ctx, c, SIDE_NS, "address4")) < 0 ||
            (r = read_addrs(ctx, c, SIDE_NS, "address6")) < 0)
                return r;

        for (i = 0; i < c->n_addrs[SIDE_HOST]; i++)
                for (j = 0; j < c->n_addrs[SIDE_NS]; j++) {
                        const struct nh_inet *a = &c->addrs[SIDE_HOST][i], *b = &c->addrs[SIDE_NS][j];
                        char buf[64];

                        if (a->family == b->family &&
                            memcmp(a->addr.bytes, b->addr.bytes, a->family == AF_INET ? 4 : 16) == 0)
                                return nh_cfg_error(ctx, b->family == AF_INET ? "address4" : "address6",
                                                    "%s is also an address of the host end",
                                                    nh_inet_format(b, true, buf, sizeof(buf)));
                }

        c->host_routes = 1;
        if ((r = nh_cfg_bool(ctx, "host-routes", 0, &c->host_routes)) < 0)
                return nh_cfg_error(ctx, "host-routes", "expected yes or no");
        if ((r = nh_cfg_bool(ctx, "default-route", 0, &c->default_route)) < 0)
                return nh_cfg_error(ctx, "default-route", "expected yes or no");
        if ((r = nh_cfg_int(ctx, "mtu", 0, &c->mtu)) < 0 || c->mtu < 0 || c->mtu > 65535 ||
            (r > 0 && c->mtu < 68))
                return nh_cfg_error(ctx, "mtu", "expected an integer from 68 to 65535");

        /* Each end's addresses must be reachable from the other end: when
         * no prefix on the facing end covers them, a /32 (/128) route out of
         * the veth does it (e.g. "host-address4: 10.0.0.1" with
         * "address4: 10.0.0.2", both /32). */
        if (c->host_routes)
                for (s = SIDE_HOST; s <= SIDE_NS; s++) {
                        enum side other = s == SIDE_HOST ? SIDE_NS : SIDE_HOST;

                        for (i = 0; i < c->n_addrs[other]; i++) {
                                struct nh_inet dst = c->addrs[other][i];
                                bool covered = false;

                                for (j = 0; j < c->n_addrs[s]; j++)
                                        covered = covered || nh_inet_covers(&c->addrs[s][j], &dst);
                                if (covered)
                                        continue;
                                dst.prefixlen = nh_inet_full_len(dst.family);
                                if ((r = add_route(ctx, c, "host-routes", s, &dst, NULL)) < 0)
                                        return r;
                        }
                }

        if (c->default_route) {
                bool any = false;

                for (fam = AF_INET; fam != 0; fam = fam == AF_INET ? AF_INET6 : 0) {
                        struct nh_inet dst = { .family = fam }, gw;

                        if (!first_addr(c, SIDE_HOST, fam, &gw))
                                continue;
                        if ((r = add_route(ctx, c, "default-route", SIDE_NS, &dst, &gw)) < 0)
                                return r;
                        any = true;
                }
                if (!any)
                        return nh_cfg_error(ctx, "default-route",
                                            "needs host-address4 or host-address6: the route goes via the host end");
        }

        if ((r = read_routes(ctx, c, "routes4", AF_INET)) < 0 ||
            (r = read_routes(ctx, c, "routes6", AF_INET6)) < 0)
                return r;
        return 0;
}

static int veth_validate(struct nh_ctx *ctx)
{
        struct veth_cfg *c = calloc(1, sizeof(*c));
        int r;

        if (!c)
                return -ENOMEM;
        r = veth_cfg_load(ctx, c);
        free(c);
        return r;
}

/* ---- kernel ------------------------------------------------------------ */

/* One RTM_NEWLINK from the host that creates both ends, with the peer
 * born inside the namespace (IFLA_NET_NS_FD in VETH_INFO_PEER) and the host
 * end up.  Creating the peer on the host and moving it would cost an
 * rcu_barrier under RTNL (17-28 ms that stall every rtnetlink user).  The
 * peer cannot be set up in the same request: the kernel opens it before
 * the pair is linked, and veth_open() then fails with ENOTCONN. */
static int create_pair(struct nh_ctx *ctx, const struct veth_cfg *c, struct nl_sock *sk, int nsfd)
{
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
        struct ifinfomsg ifi_peer = { .ifi_family = AF_UNSPEC };
        struct nlattr *linkinfo, *data, *peer;
        struct nl_msg *m;

        m = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
        if (!m)
                return -ENOMEM;
        if (nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
            nla_put_string(m, IFLA_IFNAME, c->host_name) < 0 ||
            (c->mtu && nla_put_u32(m, IFLA_MTU, (uint32_t) c->mtu) < 0) ||
            !(linkinfo = nla_nest_start(m, IFLA_LINKINFO)) ||
            nla_put_string(m, IFLA_INFO_KIND, "veth") < 0 ||
            !(data = nla_nest_start(m, IFLA_INFO_DATA)) ||
            !(peer = nla_nest_start(m, VETH_INFO_PEER)) ||
            nlmsg_append(m, &ifi_peer, sizeof(ifi_peer), NLMSG_ALIGNTO) < 0 ||
            nla_put_string(m, IFLA_IFNAME, c->name) < 0 ||
            nla_put_u32(m, IFLA_NET_NS_FD, (uint32_t) nsfd) < 0 ||
            (c->mtu && nla_put_u32(m, IFLA_MTU, (uint32_t) c->mtu) < 0)) {
                nlmsg_free(m);
                return -EMSGSIZE;
        }
        nla_nest_end(m, peer);
        nla_nest_end(m, data);
        nla_nest_end(m, linkinfo);

        return talk(sk, m);
}

/* Optimistic DAD (nh_ipv6_optimistic_dad()) on both ends, before the
 * namespace end comes up: the host end has no carrier until then, so
 * neither end has started DAD of its link-local address yet. */
static void optimistic_dad(struct nh_ctx *ctx, const char *const dev[2])
{
        int r = nh_ipv6_optimistic_dad(dev[SIDE_HOST]), q;

        if (r < 0 && r != -ENOENT)
                nh_warn(ctx, "Failed to turn on optimistic DAD on host end %s: %s", dev[SIDE_HOST], strerror(-r));
        q = nh_enter_netns(ctx);
        if (q >= 0) {
                q = nh_ipv6_optimistic_dad(dev[SIDE_NS]);
                nh_leave_netns(ctx);
        }
        if (q < 0 && q != -ENOENT)
                nh_warn(ctx, "Failed to turn on optimistic DAD on namespace end %s: %s", dev[SIDE_NS], strerror(-q));
}

static int set_up(struct nl_sock *sk, int ifindex)
{
        struct ifinfomsg ifi = {
                .ifi_family = AF_UNSPEC, .ifi_index = ifindex,
                .ifi_flags = IFF_UP, .ifi_change = IFF_UP,
        };
        struct nl_msg *m = nlmsg_alloc_simple(RTM_NEWLINK, 0);

        if (!m)
                return -ENOMEM;
        if (nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0) {
                nlmsg_free(m);
                return -EMSGSIZE;
        }
        return talk(sk, m);
}

/* The link called name in a side's namespace, or NULL (-errno in *err). */
static struct rtnl_link *get_link(struct nl_sock *sk, const char *name, int *err)
{
        struct rtnl_link *l = NULL;
        int r;

        r = rtnl_link_get_kernel(sk, 0, name, &l);
        *err = r < 0 ? nh_nlerr_to_errno(r) : 0;
        if (*err == -ENOENT)
                *err = -ENODEV;
        return r < 0 ? NULL : l;
}

static bool is_veth(struct rtnl_link *l)
{
        const char *t = rtnl_link_get_type(l);

        return t && strcmp(t, "veth") == 0;
}

static struct nl_addr *to_nl_addr(const struct nh_inet *a)
{
        struct nl_addr *n = nl_addr_build(a->family, a->addr.bytes, a->family == AF_INET ? 4 : 16);

        if (n)
                nl_addr_set_prefixlen(n, (int) a->prefixlen);
        return n;
}

static int add_address(struct nl_sock *sk, int ifindex, const struct nh_inet *a)
{
        struct rtnl_addr *ra = rtnl_addr_alloc();
        struct nl_addr *local = to_nl_addr(a);
        int r = -ENOMEM;

        if (ra && local) {
                rtnl_addr_set_ifindex(ra, ifindex);
                rtnl_addr_set_family(ra, a->family);
                r = rtnl_addr_set_local(ra, local);
                /* Only the two ends we configure share this link: duplicate
                 * detection would only delay the address by 1-2 s. */
                if (r == 0 && a->family == AF_INET6)
                        rtnl_addr_set_flags(ra, IFA_F_NODAD);
                if (r == 0) {
                        struct nl_msg *m = NULL;

                        r = rtnl_addr_build_add_request(ra, NLM_F_EXCL, &m);
                        r = r < 0 ? nh_nlerr_to_errno(r) : talk(sk, m);
                } else
                        r = nh_nlerr_to_errno(r);
        }
        nl_addr_put(local);
        rtnl_addr_put(ra);
        return r;
}

static struct rtnl_route *build_route(const struct veth_route *vr, int ifindex)
{
        struct rtnl_route *rt = rtnl_route_alloc();
        struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
        struct nl_addr *dst = to_nl_addr(&vr->dst), *gw = vr->has_gw ? to_nl_addr(&vr->gw) : NULL;

        if (!rt || !nh || !dst || (vr->has_gw && !gw)) {
                rtnl_route_put(rt);
                if (nh)
                        rtnl_route_nh_free(nh);
                nl_addr_put(dst);
                nl_addr_put(gw);
                return NULL;
        }
        rtnl_route_set_family(rt, (uint8_t) vr->dst.family);
        rtnl_route_set_table(rt, RT_TABLE_MAIN);
        rtnl_route_set_protocol(rt, RTPROT_STATIC);
        rtnl_route_set_type(rt, RTN_UNICAST);
        rtnl_route_set_scope(rt, vr->has_gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
        rtnl_route_set_dst(rt, dst);
        rtnl_route_nh_set_ifindex(nh, ifindex);
        if (gw)
                rtnl_route_nh_set_gateway(nh, gw);
        rtnl_route_add_nexthop(rt, nh);
        nl_addr_put(dst);
        nl_addr_put(gw);
        return rt;
}

static const char *route_str(const struct veth_route *vr, const char *dev, char *buf, size_t len)
{
        char d[64], g[64];

        if (vr->dst.prefixlen == 0)
                snprintf(d, sizeof(d), "default");
        else
                nh_inet_format(&vr->dst, true, d, sizeof(d));
        if (vr->has_gw) {
                inet_ntop(vr->gw.family, vr->gw.addr.bytes, g, sizeof(g));
                snprintf(buf, len, "%s via %s dev %s", d, g, dev);
        } else
                snprintf(buf, len, "%s dev %s", d, dev);
        return buf;
}

static int delete_host_end(struct nh_ctx *ctx, const struct veth_cfg *c, bool quiet)
{
        struct nl_sock *sk = nh_netlink_host(ctx);
        struct rtnl_link *l;
        int r;

        if (!sk)
                return -errno;
        l = get_link(sk, c->host_name, &r);
        if (!l)
                return r == -ENODEV ? 0 : r;
        if (!is_veth(l)) {
                /* Not ours: our pair is gone, and this is someone else's. */
                if (!quiet)
                        nh_warn(ctx, "Host link %s is not a veth; leaving it alone", c->host_name);
                rtnl_link_put(l);
                return 0;
        }
        {
                struct nl_msg *m = NULL;

                r = nh_nlerr_to_errno(rtnl_link_build_delete_request(l, &m));
                if (r == 0)
                        r = talk(sk, m);
        }
        rtnl_link_put(l);
        return r == -ENODEV ? 0 : r;
}

static int veth_check(struct nh_ctx *ctx);

static int veth_start(struct nh_ctx *ctx)
{
        struct veth_cfg *c = calloc(1, sizeof(*c));
        struct nl_sock *sk[2];
        int ifindex[2] = { 0, 0 };
        struct rtnl_link *l;
        const char *dev[2];
        char buf[160];
        size_t i;
        int r, nsfd;
        enum side s;

        if (!c)
                return -ENOMEM;
        r = veth_cfg_load(ctx, c);
        if (r < 0)
                goto out;
        dev[SIDE_HOST] = c->host_name;
        dev[SIDE_NS] = c->name;

        nsfd = nh_netns_fd(ctx);
        sk[SIDE_HOST] = nh_netlink_host(ctx);
        sk[SIDE_NS] = nh_netlink(ctx);
        if (nsfd < 0 || !sk[SIDE_HOST] || !sk[SIDE_NS]) {
                r = nsfd < 0 ? nsfd : -errno;
                nh_err(ctx, "Failed to reach namespace %s: %s", nh_namespace(ctx), strerror(-r));
                goto out;
        }

        r = create_pair(ctx, c, sk[SIDE_HOST], nsfd);
        if (r == -EEXIST && veth_check(ctx) == 0) {
                /* Started again over a pair that is as configured (a second
                 * "up", a unit restarted): keep it. */
                nh_info(ctx, "veth %s <-> %s:%s is up as configured; keeping it",
                        c->host_name, nh_namespace(ctx), c->name);
                r = 0;
                goto out;
        }
        if (r < 0) {
                struct rtnl_link *old;
                int e;

                if (r == -EEXIST && (old = get_link(sk[SIDE_HOST], c->host_name, &e))) {
                        rtnl_link_put(old);
                        nh_err(ctx, "Failed to create veth %s <-> %s:%s: host link %s exists already",
                               c->host_name, nh_namespace(ctx), c->name, c->host_name);
                } else if (r == -EEXIST)
                        nh_err(ctx, "Failed to create veth %s <-> %s:%s: namespace %s has a link %s already",
                               c->host_name, nh_namespace(ctx), c->name, nh_namespace(ctx), c->name);
                else
                        nh_err(ctx, "Failed to create veth %s <-> %s:%s: %s",
                               c->host_name, nh_namespace(ctx), c->name, strerror(-r));
                goto out;
        }
        /* From here on the pair is ours: any failure deletes it. */

        for (s = SIDE_HOST; s <= SIDE_NS; s++) {
                l = get_link(sk[s], dev[s], &r);
                if (!l) {
                        nh_err(ctx, "Failed to find %s end %s after creating it: %s",
                               side_name(s), dev[s], strerror(-r));
                        goto undo;
                }
                ifindex[s] = rtnl_link_get_ifindex(l);
                if (s == SIDE_NS && !nh_fact_get(ctx, NH_FACT_INTERFACE)) {
                        char mac[32] = "";
                        struct nl_addr *a = rtnl_link_get_addr(l);

                        if (a)
                                nl_addr2str(a, mac, sizeof(mac));
                        r = nh_fact_set(ctx, NH_FACT_INTERFACE, c->name);
                        if (r >= 0 && a)
                                r = nh_fact_set(ctx, NH_FACT_MAC, mac);
                        if (r < 0) {
                                rtnl_link_put(l);
                                nh_err(ctx, "Failed to record the interface fact: %s", strerror(-r));
                                goto undo;
                        }
                }
                rtnl_link_put(l);

                if (s == SIDE_NS)
                        optimistic_dad(ctx, dev);
                if (s == SIDE_NS && (r = set_up(sk[s], ifindex[s])) < 0) {
                        nh_err(ctx, "Failed to set namespace end %s up: %s", dev[s], strerror(-r));
                        goto undo;
                }
                for (i = 0; i < c->n_addrs[s]; i++) {
                        r = add_address(sk[s], ifindex[s], &c->addrs[s][i]);
                        if (r < 0) {
                                nh_err(ctx, "Failed to add address %s to %s end %s: %s",
                                       nh_inet_format(&c->addrs[s][i], true, buf, sizeof(buf)),
                                       side_name(s), dev[s], strerror(-r));
                                goto undo;
                        }
                }
        }

        /* In plan order: the /32 (/128) routes first, so that gateways of
         * the routes after them are reachable. */
        for (i = 0; i < c->n_routes; i++) {
                const struct veth_route *vr = &c->routes[i];
                struct rtnl_route *rt = build_route(vr, ifindex[vr->side]);

                struct nl_msg *m = NULL;

                r = rt ? nh_nlerr_to_errno(rtnl_route_build_add_request(rt, NLM_F_EXCL, &m)) : -ENOMEM;
                if (r == 0)
                        r = talk(sk[vr->side], m);
                rtnl_route_put(rt);
                if (r < 0) {
                        nh_err(ctx, "Failed to add route %s on the %s side: %s",
                               route_str(vr, dev[vr->side], buf, sizeof(buf)), side_name(vr->side),
                               strerror(-r));
                        goto undo;
                }
        }

        nh_info(ctx, "veth %s <-> %s:%s is up (%zu+%zu addresses, %zu routes)",
                c->host_name, nh_namespace(ctx), c->name,
                c->n_addrs[SIDE_HOST], c->n_addrs[SIDE_NS], c->n_routes);
        r = 0;
        goto out;

undo:
        if (delete_host_end(ctx, c, true) < 0)
                nh_warn(ctx, "Failed to delete host link %s while undoing", c->host_name);
        {
                const char *f = nh_fact_get(ctx, NH_FACT_INTERFACE);

                if (f && strcmp(f, c->name) == 0) {
                        nh_fact_set(ctx, NH_FACT_INTERFACE, NULL);
                        nh_fact_set(ctx, NH_FACT_MAC, NULL);
                }
        }
out:
        free(c);
        return r;
}

static int veth_stop(struct nh_ctx *ctx)
{
        struct veth_cfg *c = calloc(1, sizeof(*c));
        const char *f;
        int r;

        if (!c)
                return -ENOMEM;
        r = veth_cfg_load(ctx, c);
        if (r < 0)
                goto out;
        r = delete_host_end(ctx, c, false);
        if (r < 0) {
                nh_err(ctx, "Failed to delete host link %s: %s", c->host_name, strerror(-r));
                goto out;
        }
        f = nh_fact_get(ctx, NH_FACT_INTERFACE);
        if (f && strcmp(f, c->name) == 0) {
                nh_fact_set(ctx, NH_FACT_INTERFACE, NULL);
                nh_fact_set(ctx, NH_FACT_MAC, NULL);
        }
out:
        free(c);
        return r;
}

struct addr_match {
        const struct nh_inet *want;
        int ifindex;
        bool found;
};

static void addr_cb(struct nl_object *o, void *arg)
{
        struct rtnl_addr *a = (struct rtnl_addr *) o;
        struct addr_match *m = arg;
        struct nl_addr *local = rtnl_addr_get_local(a);

        if (rtnl_addr_get_ifindex(a) != m->ifindex || !local ||
            nl_addr_get_family(local) != m->want->family ||
            nl_addr_get_prefixlen(local) != m->want->prefixlen ||
            nl_addr_get_len(local) != (m->want->family == AF_INET ? 4u : 16u) ||
            memcmp(nl_addr_get_binary_addr(local), m->want->addr.bytes, nl_addr_get_len(local)) != 0)
                return;
        m->found = true;
}

struct route_match {
        const struct veth_route *want;
        int ifindex;
        bool found;
};

static void route_cb(struct nl_object *o, void *arg)
{
        struct rtnl_route *rt = (struct rtnl_route *) o;
        struct route_match *m = arg;
        struct nl_addr *dst = rtnl_route_get_dst(rt);
        struct rtnl_nexthop *nh;
        struct nl_addr *gw;

        if (rtnl_route_get_table(rt) != RT_TABLE_MAIN || rtnl_route_get_nnexthops(rt) != 1 ||
            rtnl_route_get_family(rt) != m->want->dst.family || !dst ||
            nl_addr_get_prefixlen(dst) != m->want->dst.prefixlen)
                return;
        if (m->want->dst.prefixlen > 0 &&
            memcmp(nl_addr_get_binary_addr(dst), m->want->dst.addr.bytes, nl_addr_get_len(dst)) != 0)
                return;
        nh = rtnl_route_nexthop_n(rt, 0);
        if (rtnl_route_nh_get_ifindex(nh) != m->ifindex)
                return;
        gw = rtnl_route_nh_get_gateway(nh);
        if (m->want->has_gw != (gw != NULL))
                return;
        if (gw && memcmp(nl_addr_get_binary_addr(gw), m->want->gw.addr.bytes, nl_addr_get_len(gw)) != 0)
                return;
        m->found = true;
}

static int veth_check(struct nh_ctx *ctx)
{
        struct veth_cfg *c = calloc(1, sizeof(*c));
        struct nl_cache *addrs[2] = { NULL, NULL }, *routes[2] = { NULL, NULL };
        struct nl_sock *sk[2];
        int ifindex[2] = { 0, 0 };
        const char *dev[2];
        int r, drift = 0;
        char buf[160];
        enum side s;
        size_t i;

        if (!c)
                return -ENOMEM;
        r = veth_cfg_load(ctx, c);
        if (r < 0)
                goto out;
        dev[SIDE_HOST] = c->host_name;
        dev[SIDE_NS] = c->name;
        sk[SIDE_HOST] = nh_netlink_host(ctx);
        sk[SIDE_NS] = nh_netlink(ctx);
        if (!sk[SIDE_HOST] || !sk[SIDE_NS]) {
                r = -errno;
                nh_err(ctx, "Failed to reach namespace %s: %s", nh_namespace(ctx), strerror(-r));
                goto out;
        }

        for (s = SIDE_HOST; s <= SIDE_NS; s++) {
                struct rtnl_link *l = get_link(sk[s], dev[s], &r);

                if (!l) {
                        if (r != -ENODEV) {
                                nh_err(ctx, "Failed to look up %s end %s: %s", side_name(s), dev[s], strerror(-r));
                                goto out;
                        }
                        nh_notice(ctx, "%s end %s is missing", side_name(s), dev[s]);
                        drift = 1;
                        continue;
                }
                if (!is_veth(l)) {
                        nh_notice(ctx, "%s end %s is not a veth", side_name(s), dev[s]);
                        drift = 1;
                } else
                        ifindex[s] = rtnl_link_get_ifindex(l);
                if (!(rtnl_link_get_flags(l) & IFF_UP)) {
                        nh_notice(ctx, "%s end %s is down", side_name(s), dev[s]);
                        drift = 1;
                }
                if (c->mtu && rtnl_link_get_mtu(l) != (unsigned) c->mtu) {
                        nh_notice(ctx, "%s end %s has MTU %u, configured %lld",
                                  side_name(s), dev[s], rtnl_link_get_mtu(l), c->mtu);
                        drift = 1;
                }
                rtnl_link_put(l);
                if (!ifindex[s])
                        continue;

                r = nh_nlerr_to_errno(rtnl_addr_alloc_cache(sk[s], &addrs[s]));
                if (r >= 0)
                        r = nh_nlerr_to_errno(rtnl_route_alloc_cache(sk[s], AF_UNSPEC, 0, &routes[s]));
                if (r < 0) {
                        nh_err(ctx, "Failed to read addresses and routes on the %s side: %s",
                               side_name(s), strerror(-r));
                        goto out;
                }
                for (i = 0; i < c->n_addrs[s]; i++) {
                        struct addr_match m = { &c->addrs[s][i], ifindex[s], false };

                        nl_cache_foreach(addrs[s], addr_cb, &m);
                        if (!m.found) {
                                nh_notice(ctx, "%s end %s lacks address %s", side_name(s), dev[s],
                                          nh_inet_format(&c->addrs[s][i], true, buf, sizeof(buf)));
                                drift = 1;
                        }
                }
        }
        for (i = 0; i < c->n_routes; i++) {
                const struct veth_route *vr = &c->routes[i];
                struct route_match m = { vr, ifindex[vr->side], false };

                if (!routes[vr->side])
                        continue;       /* its link is missing: reported above */
                nl_cache_foreach(routes[vr->side], route_cb, &m);
                if (!m.found) {
                        nh_notice(ctx, "route %s is missing on the %s side",
                                  route_str(vr, dev[vr->side], buf, sizeof(buf)), side_name(vr->side));
                        drift = 1;
                }
        }
        r = drift;
out:
        for (s = SIDE_HOST; s <= SIDE_NS; s++) {
                nl_cache_free(addrs[s]);
                nl_cache_free(routes[s]);
        }
        free(c);
        return r;
}

NH_PLUGIN_DEFINE(
        .name = "veth",
        .stage = "veth",
        .version = NH_STAGE_VERSION,
        .description = "a veth pair from the host into the namespace, with addresses and routes on both ends",
        .order = NH_ORDER_VETH,
        .flags = NH_PLUGIN_NEEDS_NETNS,
        .keys = veth_keys,
        .validate = veth_validate,
        .start = veth_start,
        .stop = veth_stop,
        .check = veth_check,
);
