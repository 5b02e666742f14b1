/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The slaac stage: IPv6 from router advertisements.  The kernel does the
 * stateless autoconfiguration itself (RFC 4862: the address from the
 * prefix, the default route from the router); this stage makes sure it is
 * allowed to on the namespace's uplink, waits (bounded) until it has done
 * so, takes the DNS options of the advertisements (RFC 8106 RDNSS and
 * DNSSL, which the kernel hands to userspace as RTM_NEWNDUSEROPT) into the
 * namespace's resolv.conf, expires them with their lifetimes and follows
 * later advertisements for as long as it runs.
 *
 * This file is the glue between the core (plugin.h), the kernel (sockets,
 * netlink, procfs) and the pure logic of slaac-nd.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <netns-helper/plugin.h>

#include <netns-helper/sdk.h>
#include "slaac-nd.h"

#define SOURCE "slaac"
#define FACT_ADDRESS "slaac.address"
#define FACT_ROUTER "slaac.router"

/* RFC 4861 10: RTR_SOLICITATION_INTERVAL; later ones back off (RFC 7559). */
#define RS_INTERVAL_MS 4000
#define RS_INTERVAL_MAX_MS 60000
/* The kernel handles a router advertisement in the softirq that delivers
 * it: its address, route and RTM_NEWNDUSEROPT messages follow our copy of
 * the advertisement within microseconds.  Waiting this long after an
 * advertisement before judging the state keeps readiness from racing them. */
#define SETTLE_MS 100

struct slaac_run {
        struct nh_ctx *ctx;
        char ifname[IF_NAMESIZE];
        int ifindex;
        int ev_fd;              /* rtnetlink events: ND user options, addresses, routes */
        int dump_fd;            /* rtnetlink requests */
        int icmp_fd;            /* router solicitations out, advertisements in */
        bool dns;
        struct slaac_dns table;
        bool ready;

        /* The last router advertisement. */
        bool ra_seen;
        uint64_t ra_at_ms;
        struct slaac_ra ra;
        bool ra_logged;
        struct in6_addr router;

        /* Router solicitations. */
        uint64_t rs_next_ms;
        unsigned rs_interval_ms;
        unsigned rs_sent;

        /* The dhcp6 stage's address (its fact), or "": read at start and
         * with each dump while the M flag is set.  Each nh_fact_get()
         * keeps its string until the verb returns, so it is not called on
         * every wake-up of a stage that runs for months. */
        char dhcp6[INET6_ADDRSTRLEN + 8];

        /* What the kernel has, as of the last dump. */
        struct slaac_scan state;
        bool state_stale;
        char status[256];
};

static const struct nh_key slaac_keys[] = {
        { "interface", NH_T_IFNAME, 0, 0, 0, NULL,
          "interface in the namespace to run on (default: the \"interface\" fact of the macvlan stage)" },
        { "timeout", NH_T_INT, 0, 0, 86400, NULL,
          "seconds to wait at start for an address and a default route from a router advertisement; 0: no limit (default 30)" },
        { "dns", NH_T_BOOL, 0, 0, 0, NULL,
          "write the RDNSS servers and DNSSL domains of the advertisements into the namespace's resolv.conf (default yes)" },
        { "solicit", NH_T_BOOL, 0, 0, 0, NULL,
          "send router solicitations until an advertisement comes, RFC 4861 6.3.7 (default yes)" },
        {}
};

static uint64_t now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

static const char *ntop(const struct in6_addr *a, char *buf)
{
        return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

/* ---- sysctls -------------------------------------------------------------- */

/* Run after nh_enter_netns(): /proc/sys/net is the opener's namespace's.
 * What the kernel needs to autoconfigure from router advertisements
 * (ip-sysctl.rst): IPv6 on, accept_ra 1 (2 when forwarding is on: a
 * forwarding interface ignores RAs otherwise), autoconf (addresses from
 * prefixes), accept_ra_defrtr (the default route), accept_ra_pinfo (the
 * prefix information).  Only what is off is changed, and said. */
static int ensure_sysctls(struct slaac_run *run)
{
        static const struct { const char *name; long want; } on[] = {
                { "disable_ipv6", 0 }, { "autoconf", 1 }, { "accept_ra_defrtr", 1 }, { "accept_ra_pinfo", 1 },
        };
        long fwd = 0, v;
        int r;

        (void) nh_ipv6_conf_read(run->ifname, "forwarding", &fwd);
        for (size_t i = 0; i < sizeof(on) / sizeof(on[0]) + 1; i++) {
                const char *name = i < sizeof(on) / sizeof(on[0]) ? on[i].name : "accept_ra";
                long want = i < sizeof(on) / sizeof(on[0]) ? on[i].want : (fwd ? 2 : 1);

                r = nh_ipv6_conf_read(run->ifname, name, &v);
                if (r < 0) {
                        nh_err(run->ctx, "Failed to read net.ipv6.conf.%s.%s: %s", run->ifname, name, strerror(-r));
                        return r;
                }
                /* accept_ra 2 also works without forwarding: leave it. */
                if (v == want || (!strcmp(name, "accept_ra") && v == 2))
                        continue;
                r = nh_ipv6_conf_write(run->ifname, name, want);
                if (r < 0) {
                        nh_err(run->ctx, "Failed to set net.ipv6.conf.%s.%s to %ld: %s", run->ifname, name, want,
                               strerror(-r));
                        return r;
                }
                nh_notice(run->ctx, "Set net.ipv6.conf.%s.%s from %ld to %ld, so the kernel configures %s "
                          "from router advertisements", run->ifname, name, v, want, run->ifname);
        }
        return 0;
}

/* ---- the ICMPv6 socket ---------------------------------------------------- */

static int icmp_open(struct slaac_run *run)
{
        struct icmp6_filter filter;
        int fd, on = 1, hops = 255, ifindex = run->ifindex;

        /* Made after setns(): it lives in the namespace. */
        fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMPV6);
        if (fd < 0)
                return -errno;
        ICMP6_FILTER_SETBLOCKALL(&filter);
        ICMP6_FILTER_SETPASS(ND_ROUTER_ADVERT, &filter);
        if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter)) < 0 ||
            setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on)) < 0 ||
            setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
            setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) < 0 ||
            setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) < 0 ||
            setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, run->ifname, (socklen_t) strlen(run->ifname)) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        return fd;
}

/* RFC 4861 4.1: type 133, code 0, 4 reserved bytes; the source link-layer
 * address option may be left out.  The kernel fills in the checksum. */
static void send_rs(struct slaac_run *run)
{
        static const uint8_t rs[8] = { ND_ROUTER_SOLICIT, 0 };
        struct sockaddr_in6 dst = { .sin6_family = AF_INET6, .sin6_scope_id = (uint32_t) run->ifindex };
        uint64_t now = now_ms();

        inet_pton(AF_INET6, "ff02::2", &dst.sin6_addr);        /* all routers */
        if (sendto(run->icmp_fd, rs, sizeof(rs), 0, (struct sockaddr *) &dst, sizeof(dst)) < 0)
                /* No usable link-local address yet, typically: the kernel
                 * solicits by itself once DAD is over; try again later. */
                nh_debug(run->ctx, "Router solicitation on %s not sent: %s", run->ifname, strerror(errno));
        else
                run->rs_sent++;
        run->rs_next_ms = now + run->rs_interval_ms;
        if (run->rs_interval_ms < RS_INTERVAL_MAX_MS)
                run->rs_interval_ms *= 2;
}

/* The M and O flags (RFC 4861 4.2) say what DHCPv6 gives on this LAN.  This
 * stage does not speak DHCPv6: the dhcp6 stage does, and solicits a lease
 * whatever the flags say.  Logged when they are first seen and when they
 * change. */
static void dhcp6_refresh(struct slaac_run *run)
{
        const char *a = nh_fact_get(run->ctx, NH_FACT_DHCP6_ADDRESS);

        snprintf(run->dhcp6, sizeof(run->dhcp6), "%s", a ? a : "");
}

static void log_flags(struct slaac_run *run, const struct slaac_ra *old)
{
        const char *dhcp6 = run->dhcp6[0] ? run->dhcp6 : NULL;
        char r[INET6_ADDRSTRLEN];

        ntop(&run->router, r);
        if (run->ra.managed && (!old || !old->managed)) {
                if (dhcp6)
                        nh_info(run->ctx, "Router %s sets the M flag: addresses also come from DHCPv6; the dhcp6 stage "
                                "holds %s", r, dhcp6);
                else
                        nh_warn(run->ctx, "Router %s sets the M flag (addresses from DHCPv6), but namespace %s has "
                                "no DHCPv6 lease (no dhcp6 stage, or it is not bound): only an address from a prefix "
                                "of the advertisement is used; add dhcp6 to its stages: for a DHCPv6 address", r,
                                nh_namespace(run->ctx));
        }
        if (run->ra.other && (!old || !old->other)) {
                if (dhcp6)
                        nh_info(run->ctx, "Router %s sets the O flag: the DNS servers of the dhcp6 stage and those of "
                                "the advertisements (RDNSS) are both written", r);
                else
                        nh_notice(run->ctx, "Router %s sets the O flag (DNS and other settings from DHCPv6), but "
                                  "namespace %s has no dhcp6 stage: DNS comes only from the RDNSS and DNSSL "
                                  "options of the advertisements", r, nh_namespace(run->ctx));
        }
        if (old && old->managed && !run->ra.managed)
                nh_info(run->ctx, "Router %s no longer sets the M flag", r);
        if (old && old->other && !run->ra.other)
                nh_info(run->ctx, "Router %s no longer sets the O flag", r);
}

/* Router advertisements, for the M and O flags and to know one came: the
 * kernel checks and applies them itself; the same checks here decide
 * whether this copy counts (RFC 4861 6.1.2: hop limit 255, link-local
 * source). */
static void receive_ra(struct slaac_run *run)
{
        uint8_t buf[1500];
        union {
                struct cmsghdr h;
                uint8_t b[CMSG_SPACE(sizeof(int))];
        } ctl;
        struct sockaddr_in6 from;
        struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
        struct msghdr mh;
        ssize_t n;

        for (;;) {
                struct slaac_ra ra, old = run->ra;
                bool had = run->ra_seen;
                int hops = -1;

                memset(&mh, 0, sizeof(mh));
                mh.msg_name = &from;
                mh.msg_namelen = sizeof(from);
                mh.msg_iov = &iov;
                mh.msg_iovlen = 1;
                mh.msg_control = ctl.b;
                mh.msg_controllen = sizeof(ctl.b);
                n = recvmsg(run->icmp_fd, &mh, 0);
                if (n < 0)
                        return;
                for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
                        if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT &&
                            c->cmsg_len >= CMSG_LEN(sizeof(int)))
                                memcpy(&hops, CMSG_DATA(c), sizeof(int));
                if (hops != 255 || mh.msg_namelen < sizeof(from) || !IN6_IS_ADDR_LINKLOCAL(&from.sin6_addr) ||
                    slaac_ra_parse(buf, (size_t) n, &ra) < 0)
                        continue;
                run->ra = ra;
                run->router = from.sin6_addr;
                run->ra_seen = true;
                run->ra_at_ms = now_ms();
                run->state_stale = true;
                if (!had || !run->ra_logged) {
                        char r[INET6_ADDRSTRLEN];

                        nh_info(run->ctx, "Router advertisement from %s on %s: router lifetime %u s, M=%d O=%d",
                                ntop(&run->router, r), run->ifname, ra.router_lifetime, ra.managed, ra.other);
                        run->ra_logged = true;
                        log_flags(run, NULL);
                } else
                        log_flags(run, &old);
        }
}

/* ---- netlink -------------------------------------------------------------- */

static int events_open(void)
{
        static const int groups[] = { RTNLGRP_ND_USEROPT, RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV6_ROUTE };
        struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
        int fd = nh_nl_socket();

        if (fd < 0)
                return fd;
        /* Bound first: an unbound socket has port id 0, which is the
         * kernel's own, and the kernel skips the sender's port when it
         * broadcasts an event. */
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
                if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &groups[i], sizeof(groups[i])) < 0) {
                        int r = -errno;
                        close(fd);
                        return r;
                }
        if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        return fd;
}

static void dump_one(const struct nlmsghdr *h, void *arg)
{
        (void) slaac_nl_scan(h, h->nlmsg_len, arg);
}

/* The kernel's addresses and routes of the interface, afresh. */
static int refresh_state(struct slaac_run *run)
{
        struct slaac_scan s = { .ifindex = run->ifindex };
        int r;

        r = nh_nl_dump(run->dump_fd, RTM_GETADDR, AF_INET6, dump_one, &s);
        if (r >= 0)
                r = nh_nl_dump(run->dump_fd, RTM_GETROUTE, AF_INET6, dump_one, &s);
        if (r < 0)
                return r;
        run->state = s;
        run->state_stale = false;
        if (run->ra.managed)
                dhcp6_refresh(run);
        return 0;
}

static void write_dns(struct slaac_run *run)
{
        char servers[SLAAC_MAX_SERVERS][INET6_ADDRSTRLEN];
        const char *sv[SLAAC_MAX_SERVERS], *dv[SLAAC_MAX_DOMAINS];
        int r;

        if (!run->dns)
                return;
        for (size_t i = 0; i < run->table.n_servers; i++)
                sv[i] = ntop(&run->table.servers[i].addr, servers[i]);
        for (size_t i = 0; i < run->table.n_domains; i++)
                dv[i] = run->table.domains[i].name;
        if (run->table.n_servers + run->table.n_domains == 0)
                r = nh_dns_clear(run->ctx, SOURCE);
        else
                r = nh_dns_set(run->ctx, SOURCE, sv, run->table.n_servers, dv, run->table.n_domains);
        if (r < 0)
                nh_warn(run->ctx, "Failed to update the namespace's resolv.conf: %s", strerror(-r));
        else
                nh_info(run->ctx, "DNS from router advertisements: %zu server(s), %zu domain(s)",
                        run->table.n_servers, run->table.n_domains);
}

static void log_dropped(struct slaac_run *run, const struct slaac_dns *before)
{
        const struct slaac_dns *d = &run->table;

        if (d->bad_options > before->bad_options)
                nh_warn(run->ctx, "Ignored %zu malformed RDNSS/DNSSL option(s) of a router advertisement on %s",
                        d->bad_options - before->bad_options, run->ifname);
        if (d->bad_servers > before->bad_servers)
                nh_notice(run->ctx, "Ignored %zu RDNSS address(es) on %s that a resolver cannot use (link-local, "
                          "multicast, loopback, unspecified)", d->bad_servers - before->bad_servers, run->ifname);
        if (d->bad_domains > before->bad_domains)
                nh_warn(run->ctx, "Ignored %zu DNSSL name(s) on %s that are not valid DNS names",
                        d->bad_domains - before->bad_domains, run->ifname);
        if (d->full > before->full)
                nh_notice(run->ctx, "Ignored %zu RDNSS/DNSSL entr(ies) on %s: at most %d servers and %d domains are kept",
                          d->full - before->full, run->ifname, SLAAC_MAX_SERVERS, SLAAC_MAX_DOMAINS);
}

/* Returns 0, or -errno when the socket failed. */
static int receive_events(struct slaac_run *run)
{
        uint8_t buf[32768];
        ssize_t n;

        while ((n = recv(run->ev_fd, buf, sizeof(buf), 0)) > 0) {
                struct slaac_dns before = run->table;
                struct slaac_scan s = { .ifindex = run->ifindex, .now = now_ms() / 1000, .dns = &run->table };

                (void) slaac_nl_scan(buf, (size_t) n, &s);
                log_dropped(run, &before);
                if (s.dns_changed)
                        write_dns(run);
                if (s.addr_seen || s.route_seen)
                        run->state_stale = true;
        }
        if (n < 0 && errno == ENOBUFS) {
                /* Events were lost: the state is read afresh; DNS options
                 * lost come back with the next advertisement, which a
                 * solicitation asks for now. */
                nh_notice(run->ctx, "Netlink events on %s were lost; soliciting a router advertisement again",
                          run->ifname);
                run->state_stale = true;
                if (run->icmp_fd >= 0)
                        send_rs(run);
                return 0;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR)
                return -errno;
        return 0;
}

/* ---- readiness ------------------------------------------------------------ */

static bool address_ok(struct slaac_run *run)
{
        /* With the M flag, a DHCPv6 address counts as well (the dhcp6
         * stage holds it); the kernel may then make none from prefixes. */
        return run->state.ra_addr ||
               (run->ra.managed && run->state.other_addr && run->dhcp6[0]);
}

static bool configured(struct slaac_run *run)
{
        return run->ra_seen && now_ms() >= run->ra_at_ms + SETTLE_MS && run->state.ra_default && address_ok(run);
}

static void describe(struct slaac_run *run, char *buf, size_t len)
{
        char a[INET6_ADDRSTRLEN] = "", g[INET6_ADDRSTRLEN] = "";

        if (run->state.ra_addr)
                ntop(&run->state.ra_addr_value, a);
        ntop(&run->state.gateway, g);
        snprintf(buf, len, "SLAAC %s on %s, default via %s, %zu DNS server(s) from RAs",
                 run->state.ra_addr ? a : "(DHCPv6 address)", run->ifname, g, run->table.n_servers);
}

static void set_facts(struct slaac_run *run)
{
        char a[INET6_ADDRSTRLEN + 4], g[INET6_ADDRSTRLEN];

        if (run->state.ra_addr) {
                ntop(&run->state.ra_addr_value, a);
                nh_fact_set(run->ctx, FACT_ADDRESS, a);
        } else
                nh_fact_set(run->ctx, FACT_ADDRESS, NULL);
        nh_fact_set(run->ctx, FACT_ROUTER, run->state.ra_default ? ntop(&run->state.gateway, g) : NULL);
}

/* Why there is no configuration yet, for the timeout's message. */
static void explain(struct slaac_run *run, char *buf, size_t len)
{
        long accept_ra = -1;

        (void) nh_ipv6_conf_read(run->ifname, "accept_ra", &accept_ra);
        if (!run->ra_seen)
                snprintf(buf, len, "no router advertisement came on %s (%u solicitation(s) sent, accept_ra=%ld): "
                         "is a router (radvd, a home router) advertising on this LAN?", run->ifname, run->rs_sent,
                         accept_ra);
        else if (!run->state.ra_default)
                snprintf(buf, len, "router advertisements came, but the kernel has no default route from them%s",
                         run->ra.router_lifetime == 0 ? " (the router's lifetime is 0: it is not a default router)" : "");
        else if (run->state.ra_addr_dadfailed)
                snprintf(buf, len, "the address made from the advertised prefix failed duplicate address detection");
        else if (run->state.ra_addr_tentative)
                snprintf(buf, len, "the address made from the advertised prefix is still in duplicate address detection");
        else if (run->ra.managed && !run->dhcp6[0])
                snprintf(buf, len, "no address: the router sets the M flag (addresses from DHCPv6) and no prefix for "
                         "autoconfiguration, and namespace %s has no DHCPv6 lease: add dhcp6 to its stages:",
                         nh_namespace(run->ctx));
        else
                snprintf(buf, len, "no address: the advertisements carry no prefix with the autonomous (A) flag");
}

/* ---- the loop ------------------------------------------------------------- */

static int poll_ms(uint64_t deadline)
{
        uint64_t t = now_ms();

        if (deadline == SLAAC_NEVER)
                return -1;
        if (deadline <= t)
                return 0;
        if (deadline - t > 3600 * 1000)
                return 3600 * 1000;
        return (int) (deadline - t);
}

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

static int run_loop(struct slaac_run *run, uint64_t deadline, bool solicit)
{
        int stop_fd = nh_stop_fd(run->ctx), r;
        bool had_route = false, had_addr = false;

        for (;;) {
                struct pollfd p[3] = { { .fd = run->ev_fd, .events = POLLIN }, { .fd = run->icmp_fd, .events = POLLIN },
                                       { .fd = stop_fd, .events = POLLIN } };
                uint64_t next = SLAAC_NEVER, exp = slaac_dns_next_expiry(&run->table);
                uint64_t now;
                int k;

                if (run->state_stale && (r = refresh_state(run)) < 0) {
                        nh_err(run->ctx, "Failed to read the addresses and routes of %s: %s", run->ifname, strerror(-r));
                        return r;
                }
                if (!run->ready && configured(run)) {
                        describe(run, run->status, sizeof(run->status));
                        set_facts(run);
                        if (run->dns && run->table.n_servers == 0)
                                nh_warn(run->ctx, "The router advertisements on %s carry no DNS server (RDNSS)%s",
                                        run->ifname, run->ra.other && !run->dhcp6[0] ?
                                        "; they point at DHCPv6 (O flag): add dhcp6 to the namespace's stages:" : "");
                        run->ready = true;
                        had_route = had_addr = true;
                        nh_ready(run->ctx, run->status);
                } else if (run->ready && (had_route != run->state.ra_default || had_addr != address_ok(run))) {
                        /* The kernel dropped (or got back) what the router gave:
                         * its lifetime ran out or the router withdrew it. */
                        had_route = run->state.ra_default;
                        had_addr = address_ok(run);
                        if (had_route && had_addr)
                                describe(run, run->status, sizeof(run->status));
                        else
                                snprintf(run->status, sizeof(run->status), "SLAAC on %s: %s", run->ifname,
                                         !had_route ? "no default route from the routers now" : "no address now");
                        if (!had_route || !had_addr)
                                nh_warn(run->ctx, "%s", run->status);
                        else
                                nh_info(run->ctx, "%s", run->status);
                        set_facts(run);
                        nh_status(run->ctx, run->status);
                }

                if (!run->ready) {
                        next = deadline;
                        /* Once settled, only events move things on (DAD
                         * ending, a route): no timer, or poll() would spin. */
                        if (run->ra_seen && now_ms() < run->ra_at_ms + SETTLE_MS)
                                next = min_u64(next, run->ra_at_ms + SETTLE_MS);
                        else if (solicit && !run->ra_seen)
                                next = min_u64(next, run->rs_next_ms);
                }
                if (exp != SLAAC_NEVER)
                        next = min_u64(next, exp * 1000 + 1);
                k = poll(p, 3, poll_ms(next));
                if (k < 0 && errno != EINTR)
                        return -errno;
                if (k > 0 && (p[2].revents & (POLLIN | POLLHUP | POLLERR)))
                        return 0;
                if (k > 0 && (p[1].revents & (POLLIN | POLLERR)))
                        receive_ra(run);
                if (k > 0 && (p[0].revents & (POLLIN | POLLERR)) && (r = receive_events(run)) < 0) {
                        nh_err(run->ctx, "Failed to read netlink events of %s: %s", run->ifname, strerror(-r));
                        return r;
                }
                now = now_ms();
                /* RFC 8106 5.1/5.2: an entry is used for its lifetime only. */
                if (slaac_dns_expire(&run->table, now / 1000)) {
                        nh_info(run->ctx, "A DNS server or domain of a router advertisement expired");
                        write_dns(run);
                        if (run->ready) {
                                describe(run, run->status, sizeof(run->status));
                                nh_status(run->ctx, run->status);
                        }
                }
                if (!run->ready && !run->ra_seen && solicit && now >= run->rs_next_ms)
                        send_rs(run);
                if (!run->ready && deadline != SLAAC_NEVER && now >= deadline)
                        return -ETIMEDOUT;
        }
}

static void cleanup(struct nh_ctx *ctx)
{
        int r;

        nh_fact_set(ctx, FACT_ADDRESS, NULL);
        nh_fact_set(ctx, FACT_ROUTER, NULL);
        r = nh_dns_clear(ctx, SOURCE);
        if (r < 0)
                nh_warn(ctx, "Failed to remove the DNS servers of the router advertisements: %s", strerror(-r));
}

/* ---- verbs ---------------------------------------------------------------- */

static int slaac_validate(struct nh_ctx *ctx)
{
        const char *ifname = nh_cfg_str(ctx, "interface");

        if (ifname && strlen(ifname) >= IF_NAMESIZE)
                return nh_cfg_error(ctx, "interface", "interface name \"%s\" is too long", ifname);
        return 0;
}

static int slaac_start(struct nh_ctx *ctx)
{
        struct slaac_run run = { .ctx = ctx, .ev_fd = -1, .dump_fd = -1, .icmp_fd = -1,
                                 .rs_interval_ms = RS_INTERVAL_MS };
        const char *ifname = nh_cfg_interface(ctx);
        long long timeout = 30;
        uint64_t deadline;
        bool solicit;
        int r;

        if (!ifname)
                return nh_cfg_error(ctx, "interface",
                                    "no interface: set \"interface:\" or start the macvlan stage first");
        snprintf(run.ifname, sizeof(run.ifname), "%s", ifname);
        if (nh_cfg_int(ctx, "timeout", 0, &timeout) < 0)
                return -EINVAL;
        run.dns = nh_cfg_bool_or(ctx, "dns", 1);
        solicit = nh_cfg_bool_or(ctx, "solicit", 1);
        run.table.name_valid = ctx->api->dns_name_valid;
        deadline = timeout > 0 ? now_ms() + (uint64_t) timeout * 1000 : SLAAC_NEVER;

        r = nh_enter_netns(ctx);
        if (r < 0) {
                nh_err(ctx, "Failed to enter namespace %s: %s", nh_namespace(ctx), strerror(-r));
                return r;
        }
        run.ifindex = (int) if_nametoindex(run.ifname);
        if (run.ifindex <= 0) {
                r = -ENODEV;
                nh_err(ctx, "Interface %s not found in namespace %s", run.ifname, nh_namespace(ctx));
                goto out;
        }
        r = ensure_sysctls(&run);
        if (r < 0)
                goto out;
        /* Subscribed before anything is asked, so that no answer falls
         * between the two. */
        run.ev_fd = events_open();
        run.dump_fd = run.ev_fd >= 0 ? nh_nl_socket() : -1;
        if (run.ev_fd < 0 || run.dump_fd < 0) {
                r = run.ev_fd < 0 ? run.ev_fd : run.dump_fd;
                nh_err(ctx, "Failed to watch the router advertisements of %s over netlink: %s", run.ifname,
                       strerror(-r));
                goto out;
        }
        run.icmp_fd = icmp_open(&run);
        if (run.icmp_fd < 0) {
                r = run.icmp_fd;
                nh_err(ctx, "Failed to open an ICMPv6 socket on %s: %s", run.ifname, strerror(-r));
                goto out;
        }
        run.state_stale = true;
        dhcp6_refresh(&run);
        /* The kernel may have taken an advertisement before this stage ran,
         * its DNS options with it: a solicitation brings a fresh one. */
        if (solicit)
                send_rs(&run);
        snprintf(run.status, sizeof(run.status), "Waiting for a router advertisement on %s", run.ifname);
        nh_status(ctx, run.status);
        r = run_loop(&run, deadline, solicit);
        if (r == -ETIMEDOUT) {
                char why[512];

                explain(&run, why, sizeof(why));
                nh_err(ctx, "No IPv6 autoconfiguration on %s within %lld s: %s", run.ifname, timeout, why);
        }
out:
        cleanup(ctx);
        if (run.icmp_fd >= 0)
                close(run.icmp_fd);
        if (run.ev_fd >= 0)
                close(run.ev_fd);
        if (run.dump_fd >= 0)
                close(run.dump_fd);
        nh_leave_netns(ctx);
        return r;
}

/* Idempotent: what a start that was killed left behind goes too.  The
 * address and the route are the kernel's: they stay until their
 * lifetimes end, as on any host whose RA client stops. */
static int slaac_stop(struct nh_ctx *ctx)
{
        cleanup(ctx);
        return 0;
}

/* The kernel still has a default route and an address from the routers. */
static int slaac_check(struct nh_ctx *ctx)
{
        const char *ifname = nh_cfg_interface(ctx);
        struct slaac_run run = { .ctx = ctx, .dump_fd = -1 };
        int r;

        if (!ifname) {
                nh_notice(ctx, "No interface is known: the macvlan stage is not up");
                return 1;
        }
        snprintf(run.ifname, sizeof(run.ifname), "%s", ifname);
        r = nh_enter_netns(ctx);
        if (r < 0) {
                nh_notice(ctx, "Namespace %s is gone", nh_namespace(ctx));
                return 1;
        }
        run.ifindex = (int) if_nametoindex(ifname);
        run.dump_fd = run.ifindex > 0 ? nh_nl_socket() : -ENODEV;
        r = run.dump_fd >= 0 ? refresh_state(&run) : run.dump_fd;
        if (run.dump_fd >= 0)
                close(run.dump_fd);
        nh_leave_netns(ctx);
        if (r == -ENODEV) {
                nh_notice(ctx, "Interface %s is missing", ifname);
                return 1;
        }
        if (r < 0) {
                nh_err(ctx, "Failed to list the addresses and routes of %s: %s", ifname, strerror(-r));
                return r;
        }
        r = 0;
        if (!run.state.ra_default) {
                nh_notice(ctx, "%s has no default route from a router advertisement", ifname);
                r = 1;
        }
        if (!run.state.ra_addr && !nh_fact_get(ctx, NH_FACT_DHCP6_ADDRESS)) {
                nh_notice(ctx, "%s has no address from a router advertisement", ifname);
                r = 1;
        }
        return r;
}

NH_PLUGIN_DEFINE(
        .name = "slaac",
        .stage = "slaac",
        .version = "1.0",
        .description = "IPv6 from router advertisements (SLAAC) with their DNS options (RFC 8106 RDNSS, DNSSL)",
        /* After the dhcp6 stage: with the M flag set, its address is what
         * this stage waits for besides the route, and its fact says it is
         * there. */
        .order = NH_ORDER_SLAAC,
        .flags = NH_PLUGIN_LONG_RUNNING | NH_PLUGIN_NEEDS_NETNS,
        .keys = slaac_keys,
        .validate = slaac_validate,
        .start = slaac_start,
        .stop = slaac_stop,
        .check = slaac_check,
);
