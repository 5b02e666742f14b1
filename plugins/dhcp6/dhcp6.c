/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The dhcp6 stage: a native DHCPv6 client (RFC 8415, stateful IA_NA) running
 * inside the namespace on its uplink.  This file is the glue between the
 * core (plugin.h), the kernel (sockets, netlink, procfs) and the state
 * machine in dhcp6-client.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>

#include <netns-helper/plugin.h>

#include "dhcp6-client.h"
#include "dhcp6-netlink.h"
#include <netns-helper/sdk.h>

#define SOURCE "dhcp6"

struct dhcp6_run {
        struct nh_ctx *ctx;
        char ifname[IF_NAMESIZE];
        int ifindex;
        int udp_fd;
        int nl_fd;
        bool dns, nsswitch;
        bool ready;
        bool have_addr;
        struct in6_addr addr;   /* the address we configured */
        uint32_t preferred, valid;      /* its lifetimes, as of bound_at */
        uint64_t bound_at;
        bool failed;            /* configuring the address failed */
        int link_fd;            /* link events (or -1) */
        struct nh_nl_link_follow link;   /* down and up, deleted and made again */
        bool ll_logged;         /* "waiting for DAD" said for this link */
        struct nh_nswatch nsw;     /* the namespace deleted from outside */
        struct dhcp6_client *client;
        bool restoring;         /* binding the saved lease: the file stays as it is */
};

static const struct nh_key dhcp6_keys[] = {
        { "interface", NH_T_IFNAME, 0, 0, 0, NULL,
          "interface in the namespace to run on (default: the \"interface\" fact of the macvlan stage)" },
        { "timeout", NH_T_INT, 0, 0, 86400, NULL,
          "seconds to wait for a lease at start, including the wait for DAD; 0: no limit (default 30)" },
        { "solicit-delay", NH_T_BOOL, 0, 0, 0, NULL,
          "random 0-1 s delay before the first SOLICIT, RFC 8415 18.2.1 (default yes)" },
        { "rapid-commit", NH_T_BOOL, 0, 0, 0, NULL, "ask for the two-message exchange, option 14 (default yes)" },
        { "release", NH_T_BOOL, 0, 0, 0, NULL,
          "send RELEASE when the namespace is taken down (stop verb); a SIGTERM keeps a valid lease (default yes)" },
        { "dns", NH_T_BOOL, 0, 0, 0, NULL, "write the DNS servers and domains into the namespace's resolv.conf (default yes)" },
        { "nsswitch", NH_T_BOOL, 0, 0, 0, NULL,
          "also write the namespace's nsswitch.conf with \"resolve\" replaced by \"dns\" (default no)" },
        { "accept-ra", NH_T_INT, 0, 0, 2, NULL,
          "net.ipv6.conf.IF.accept_ra inside the namespace (default: leave the kernel's)" },
        { "request", NH_T_INT, NH_KEY_LIST, 1, 65535, NULL,
          "more option codes for the Option Request option (23 and 24 are always asked for)" },
        {}
};

/* ---- kernel helpers --------------------------------------------------- */

static uint64_t now_usec(void *userdata)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000;
}

static uint32_t random_u32(void *userdata)
{
        uint32_t v;

        if (getrandom(&v, sizeof(v), 0) != sizeof(v))
                v = (uint32_t) now_usec(NULL) ^ (uint32_t) getpid();
        return v;
}

static int address_change(struct dhcp6_run *run, const struct in6_addr *a, bool add, uint32_t preferred,
                          uint32_t valid)
{
        struct nl_sock *sk = nh_netlink(run->ctx);
        struct rtnl_addr *ra;
        struct nl_addr *local;
        int r;

        /* A deleted link took its addresses with it. */
        if (!add && run->link.gone)
                return 0;
        if (!sk)
                return -errno;
        ra = rtnl_addr_alloc();
        local = nl_addr_build(AF_INET6, a, 16);
        if (!ra || !local) {
                rtnl_addr_put(ra);
                nl_addr_put(local);
                return -ENOMEM;
        }
        nl_addr_set_prefixlen(local, 128);
        rtnl_addr_set_family(ra, AF_INET6);
        rtnl_addr_set_ifindex(ra, run->ifindex);
        r = rtnl_addr_set_local(ra, local);
        if (r >= 0) {
                rtnl_addr_set_prefixlen(ra, 128);
                if (add) {
                        /* /128 without a prefix route: the on-link prefix and the
                         * default route come from router advertisements.  NODAD:
                         * the server hands out each address once, and waiting 1-2 s
                         * for DAD would delay readiness by that much. */
                        rtnl_addr_set_flags(ra, IFA_F_NODAD | IFA_F_NOPREFIXROUTE);
                        rtnl_addr_set_preferred_lifetime(ra, preferred);
                        rtnl_addr_set_valid_lifetime(ra, valid);
                        r = rtnl_addr_add(sk, ra, NLM_F_REPLACE);
                } else
                        r = rtnl_addr_delete(sk, ra, 0);
        }
        rtnl_addr_put(ra);
        nl_addr_put(local);
        if (r < 0) {
                if (!add && (r == -NLE_NOADDR || r == -NLE_OBJ_NOTFOUND || r == -NLE_NODEV))
                        return 0;
                return -EIO;
        }
        return 0;
}

static void set_facts(struct dhcp6_run *run, const struct dhcp6_lease *l)
{
        char addr[INET6_ADDRSTRLEN + 8];

        inet_ntop(AF_INET6, &l->addr, addr, INET6_ADDRSTRLEN);
        strcat(addr, "/128");
        if (nh_fact_set(run->ctx, NH_FACT_DHCP6_ADDRESS, addr) < 0 ||
            nh_fact_set_time(run->ctx, NH_FACT_DHCP6_EXPIRES,
                             l->valid == DHCP6_INFINITY ? NH_TIME_INFINITE :
                             (long long) time(NULL) + l->valid) < 0)
                nh_warn(run->ctx, "Failed to record the DHCPv6 lease facts");
}

static void clear_facts(struct nh_ctx *ctx)
{
        nh_fact_set(ctx, NH_FACT_DHCP6_ADDRESS, NULL);
        nh_fact_set(ctx, NH_FACT_DHCP6_EXPIRES, NULL);
}

static void apply_dns(struct dhcp6_run *run, const struct dhcp6_lease *l)
{
        char servers[DHCP6_MAX_DNS][INET6_ADDRSTRLEN];
        const char *sv[DHCP6_MAX_DNS], *dv[DHCP6_MAX_DOMAINS];
        size_t ns = 0, nd = 0;
        int r;

        for (size_t i = 0; i < l->n_dns; i++) {
                if (IN6_IS_ADDR_UNSPECIFIED(&l->dns[i]) || IN6_IS_ADDR_MULTICAST(&l->dns[i]))
                        continue;
                /* A link-local server would need a zone resolv.conf cannot
                 * always carry; dnsmasq never sends one. */
                inet_ntop(AF_INET6, &l->dns[i], servers[ns], sizeof(servers[ns]));
                sv[ns] = servers[ns];
                ns++;
        }
        if (l->n_bad_domains > 0)
                nh_warn(run->ctx, "Dropping %zu malformed name(s) of the DHCPv6 domain list (option 24)",
                        l->n_bad_domains);
        for (size_t i = 0; i < l->n_domains; i++) {
                if (!nh_dns_name_valid(run->ctx, l->domains[i])) {
                        char esc[4 * DHCP6_DOMAIN_MAX + 1];

                        dhcp6_escape(l->domains[i], esc, sizeof(esc));
                        nh_warn(run->ctx, "Dropping invalid domain name \"%s\" from the DHCPv6 server", esc);
                        continue;
                }
                dv[nd++] = l->domains[i];
        }
        if (ns + nd == 0)
                r = nh_dns_clear(run->ctx, SOURCE);
        else
                r = nh_dns_set(run->ctx, SOURCE, sv, ns, dv, nd);
        if (r < 0)
                nh_warn(run->ctx, "Failed to update the namespace's resolv.conf: %s", strerror(-r));
        if (run->nsswitch && (r = nh_dns_nsswitch(run->ctx)) < 0)
                nh_warn(run->ctx, "Failed to write the namespace's nsswitch.conf: %s", strerror(-r));
}

/* ---- the saved lease ---------------------------------------------------
 * A SIGTERM may be a restart (systemctl restart, a restart of the target):
 * the lease is not released then but kept in STATEDIR/NAME/dhcp6.lease, so
 * that a restart during a server outage goes on with it (RFC 8415
 * 18.2.10.1).  The file holds the REPLY as the server sent it, after a
 * magic and the wall-clock time it came (8 octets, big-endian): read back,
 * it is parsed and checked as a message from the network. */
#define LEASE_MAGIC "NHD6"
#define LEASE_HDR 12


static int lease_path(struct nh_ctx *ctx, char *path, size_t size)
{
        const char *dir = nh_state_dir(ctx);

        if (!dir)
                return -ENOENT;
        if ((size_t) snprintf(path, size, "%s/dhcp6.lease", dir) >= size)
                return -ENAMETOOLONG;
        return 0;
}

static void lease_save(struct dhcp6_run *run)
{
        uint8_t buf[LEASE_HDR + DHCP6_SAVED_MAX];
        const uint8_t *reply;
        char path[4096];
        uint64_t t = (uint64_t) time(NULL);
        size_t len;
        int r;

        reply = run->client ? dhcp6_client_lease_reply(run->client, &len) : NULL;
        if (!reply || lease_path(run->ctx, path, sizeof(path)) < 0)
                return;
        memcpy(buf, LEASE_MAGIC, 4);
        for (int i = 0; i < 8; i++)
                buf[4 + i] = (uint8_t) (t >> (56 - 8 * i));
        memcpy(buf + LEASE_HDR, reply, len);
        r = nh_file_write_atomic(path, buf, LEASE_HDR + len, 0600, NH_FILE_SYNC);
        if (r < 0)
                nh_warn(run->ctx, "Failed to save the DHCPv6 lease in %s (a restart will solicit anew): %s", path,
                        strerror(-r));
}

static void lease_forget(struct nh_ctx *ctx)
{
        char path[4096];

        if (lease_path(ctx, path, sizeof(path)) == 0)
                (void) unlink(path);
}

/* The saved REPLY into buf (at least DHCP6_SAVED_MAX); returns its length
 * and its age in microseconds, 0 when there is none. */
static size_t lease_load(struct nh_ctx *ctx, uint8_t *buf, uint64_t *age)
{
        uint8_t raw[LEASE_HDR + DHCP6_SAVED_MAX + 1];
        char path[4096];
        uint64_t t = 0, now_s = (uint64_t) time(NULL);
        ssize_t n;
        int fd;

        if (lease_path(ctx, path, sizeof(path)) < 0 || (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
                return 0;
        n = read(fd, raw, sizeof(raw));
        close(fd);
        if (n <= LEASE_HDR + 4 || n > LEASE_HDR + DHCP6_SAVED_MAX || memcmp(raw, LEASE_MAGIC, 4) != 0) {
                nh_warn(ctx, "Ignoring %s: not a saved DHCPv6 lease", path);
                return 0;
        }
        for (int i = 0; i < 8; i++)
                t = t << 8 | raw[4 + i];
        /* A clock set back: as if it had just come. */
        *age = now_s > t ? (now_s - t) * USEC_PER_SEC : 0;
        memcpy(buf, raw + LEASE_HDR, (size_t) n - LEASE_HDR);
        return (size_t) n - LEASE_HDR;
}

static void on_event(void *userdata, enum dhcp6_event ev, const struct dhcp6_lease *l)
{
        struct dhcp6_run *run = userdata;
        char addr[INET6_ADDRSTRLEN], status[160];
        int r;

        inet_ntop(AF_INET6, &l->addr, addr, sizeof(addr));
        if (ev == DHCP6_EVENT_EXPIRED) {
                if (run->have_addr && (r = address_change(run, &run->addr, false, 0, 0)) < 0)
                        nh_warn(run->ctx, "Failed to remove %s/128 from %s: %s", addr, run->ifname, strerror(-r));
                run->have_addr = false;
                clear_facts(run->ctx);
                if (run->dns)
                        nh_dns_clear(run->ctx, SOURCE);
                lease_forget(run->ctx);
                nh_status(run->ctx, "DHCPv6 lease expired, soliciting");
                return;
        }

        if (run->have_addr && memcmp(&run->addr, &l->addr, 16) != 0) {
                char old[INET6_ADDRSTRLEN];

                inet_ntop(AF_INET6, &run->addr, old, sizeof(old));
                if ((r = address_change(run, &run->addr, false, 0, 0)) < 0)
                        nh_warn(run->ctx, "Failed to remove %s/128 from %s: %s", old, run->ifname, strerror(-r));
                run->have_addr = false;
        }
        r = address_change(run, &l->addr, true, l->preferred, l->valid);
        if (r < 0) {
                nh_err(run->ctx, "Failed to add %s/128 to %s", addr, run->ifname);
                run->failed = true;
                return;
        }
        run->have_addr = true;
        run->addr = l->addr;
        run->preferred = l->preferred;
        run->valid = l->valid;
        run->bound_at = now_usec(NULL);
        set_facts(run, l);
        if (run->dns)
                apply_dns(run, l);
        /* Not the restored lease: saved again, it would look newer than
         * it is. */
        if (!run->restoring)
                lease_save(run);

        /* One line at info per bind (issue 16): nh_ready() logs the
         * first; a new address later gets its own; a renewal none. */
        if (l->valid == DHCP6_INFINITY)
                snprintf(status, sizeof(status), "Bound %s/128 on %s (valid forever)", addr, run->ifname);
        else
                snprintf(status, sizeof(status), "Bound %s/128 on %s (valid %u s)", addr, run->ifname, l->valid);
        if (!run->ready) {
                run->ready = true;
                nh_ready(run->ctx, status);
        } else {
                if (ev == DHCP6_EVENT_BOUND)
                        nh_info(run->ctx, "%s", status);
                nh_status(run->ctx, status);
        }
}

static int udp_send(void *userdata, const uint8_t *buf, size_t len)
{
        struct dhcp6_run *run = userdata;
        struct sockaddr_in6 dst = {
                .sin6_family = AF_INET6,
                .sin6_port = htons(DHCP6_SERVER_PORT),
                .sin6_scope_id = (uint32_t) run->ifindex,
        };

        /* The link is gone, or back without a usable link-local address
         * yet: a lost packet, which the retransmission timer covers. */
        if (run->udp_fd < 0)
                return -ENETDOWN;
        /* All_DHCP_Relay_Agents_and_Servers, RFC 8415 7.1. */
        inet_pton(AF_INET6, "ff02::1:2", &dst.sin6_addr);
        if (sendto(run->udp_fd, buf, len, 0, (struct sockaddr *) &dst, sizeof(dst)) < 0)
                return -errno;
        return 0;
}

static void log_fwd(void *userdata, int prio, const char *fmt, va_list ap)
{
        struct dhcp6_run *run = userdata;

        run->ctx->api->logv(run->ctx, prio, fmt, ap);
}

static const struct dhcp6_ops dhcp6_kernel_ops = {
        .now = now_usec,
        .random = random_u32,
        .send = udp_send,
        .event = on_event,
        .log = log_fwd,
};

/* ---- DUID, IAID ------------------------------------------------------- */

/* RFC 8415 11.2: DUID-LLT, made once per namespace and kept, so the server
 * sees the same client across restarts. */
static int load_duid(struct dhcp6_run *run, struct dhcp6_config *cfg)
{
        const char *dir = nh_state_dir(run->ctx);
        char path[4096];
        uint8_t buf[DHCP6_DUID_MAX + 1];
        struct ifreq ifr = {};
        ssize_t n;
        int fd, r;

        if (!dir)
                return -ENOENT;
        if ((size_t) snprintf(path, sizeof(path), "%s/duid", dir) >= sizeof(path))
                return -ENAMETOOLONG;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
                n = read(fd, buf, sizeof(buf));
                close(fd);
                if (n >= 3 && n <= DHCP6_DUID_MAX) {
                        memcpy(cfg->duid, buf, (size_t) n);
                        cfg->duid_len = (size_t) n;
                        return 0;
                }
                nh_warn(run->ctx, "Ignoring %s: not a DUID, making a new one", path);
        }

        fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd >= 0) {
                snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", run->ifname);
                r = ioctl(fd, SIOCGIFHWADDR, &ifr);
                close(fd);
        } else
                r = -1;
        if (r >= 0 && ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER) {
                /* Seconds since 2000-01-01 00:00 UTC, modulo 2^32. */
                uint32_t t = (uint32_t) (time(NULL) - 946684800);

                cfg->duid[0] = 0, cfg->duid[1] = 1;     /* DUID-LLT */
                cfg->duid[2] = 0, cfg->duid[3] = 1;     /* Ethernet */
                cfg->duid[4] = t >> 24, cfg->duid[5] = (t >> 16) & 0xff;
                cfg->duid[6] = (t >> 8) & 0xff, cfg->duid[7] = t & 0xff;
                memcpy(cfg->duid + 8, ifr.ifr_hwaddr.sa_data, 6);
                cfg->duid_len = 14;
        } else {
                /* RFC 6355 DUID-UUID: a random version 4 UUID. */
                cfg->duid[0] = 0, cfg->duid[1] = 4;
                if (getrandom(cfg->duid + 2, 16, 0) != 16)
                        return -EIO;
                cfg->duid[8] = (cfg->duid[8] & 0x0f) | 0x40;
                cfg->duid[10] = (cfg->duid[10] & 0x3f) | 0x80;
                cfg->duid_len = 18;
        }
        r = nh_file_write_atomic(path, cfg->duid, cfg->duid_len, 0600, NH_FILE_SYNC);
        if (r < 0)
                nh_warn(run->ctx, "Failed to save the DUID in %s: %s", path, strerror(-r));
        return 0;
}

/* RFC 8415 12: the IAID must stay the same across restarts: a hash of the
 * interface name (FNV-1a), which the namespace's config fixes. */
static uint32_t iaid_of(const char *ifname)
{
        return nh_fnv1a32(ifname, strlen(ifname), NH_FNV32_INIT);
}

/* ---- waiting for the link-local address -------------------------------- */

/* A socket lives in the namespace it is made in, and the core's own calls
 * (its netlink socket, made on first use) bring this process back to the
 * host's: a socket made while the client runs (its link made again) enters
 * the namespace again first. */
static int enter_netns(struct nh_ctx *ctx)
{
        int r = nh_enter_netns(ctx);

        if (r < 0)
                nh_err(ctx, "Failed to enter namespace %s: %s", nh_namespace(ctx), strerror(-r));
        return r;
}

static int nl_open(struct nh_ctx *ctx)
{
        struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_IPV6_IFADDR };
        struct {
                struct nlmsghdr h;
                struct ifaddrmsg ifa;
        } req = {
                .h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETADDR,
                       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
                .ifa = { .ifa_family = AF_INET6 },
        };
        int fd = enter_netns(ctx);

        if (fd < 0)
                return fd;
        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
        if (fd < 0)
                return -errno;
        /* Subscribe before the dump, so no change falls between the two. */
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 || send(fd, &req, sizeof(req), 0) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        return fd;
}

static int poll_ms(uint64_t deadline)
{
        uint64_t t = now_usec(NULL);

        if (deadline == DHCP6_NEVER)
                return -1;
        if (deadline <= t)
                return 0;
        if (deadline - t > 3600 * USEC_PER_SEC)
                return 3600 * 1000;
        return (int) ((deadline - t + 999) / 1000);
}

static bool stop_requested(int stop_fd, short revents)
{
        return stop_fd >= 0 && (revents & (POLLIN | POLLHUP | POLLERR));
}

/* Reads what run->nl_fd (from nl_open()) has queued, without blocking: 0
 * with the usable link-local address in *ll, -EAGAIN while there is none
 * yet (not added yet, or in DAD), another -errno. */
static int link_local_read(struct dhcp6_run *run, struct in6_addr *ll)
{
        struct dhcp6_ll_scan s = {};
        uint8_t buf[16384];
        ssize_t n;

        while ((n = recv(run->nl_fd, buf, sizeof(buf), 0)) > 0) {
                s.tentative = false;
                dhcp6_ll_scan(buf, (size_t) n, run->ifindex, &s);
                if (s.found) {
                        *ll = s.addr;
                        return 0;
                }
                if (s.error < 0)
                        return s.error;
                if (s.dadfailed) {
                        nh_err(run->ctx, "The link-local address of %s failed duplicate address detection",
                               run->ifname);
                        return -EADDRINUSE;
                }
                if (s.tentative && !run->ll_logged) {
                        nh_info(run->ctx, "Waiting for the link-local address of %s to finish DAD", run->ifname);
                        run->ll_logged = true;
                }
        }
        if (n < 0 && errno == ENOBUFS) {
                /* Events were lost: dump again (its answer is queued at
                 * once, so the next poll() returns at once). */
                close(run->nl_fd);
                run->nl_fd = nl_open(run->ctx);
                return run->nl_fd < 0 ? run->nl_fd : -EAGAIN;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR)
                return -errno;
        return -EAGAIN;
}

/* Returns 0 with the link-local address, 1 when asked to stop, or -errno. */
static int wait_link_local(struct dhcp6_run *run, uint64_t deadline, struct in6_addr *ll)
{
        int stop_fd = nh_stop_fd(run->ctx);

        for (;;) {
                struct pollfd p[2] = { { .fd = run->nl_fd, .events = POLLIN }, { .fd = stop_fd, .events = POLLIN } };
                int r = link_local_read(run, ll);

                if (r != -EAGAIN)
                        return r;
                if (deadline != DHCP6_NEVER && now_usec(NULL) >= deadline)
                        return -ETIMEDOUT;
                r = poll(p, stop_fd >= 0 ? 2 : 1, poll_ms(deadline));
                if (r < 0 && errno != EINTR)
                        return -errno;
                if (r > 0 && stop_fd >= 0 && stop_requested(stop_fd, p[1].revents))
                        return 1;
        }
}

static int udp_open(struct dhcp6_run *run, const struct in6_addr *ll)
{
        struct sockaddr_in6 sa = {
                .sin6_family = AF_INET6,
                .sin6_port = htons(DHCP6_CLIENT_PORT),
                .sin6_addr = *ll,
                .sin6_scope_id = (uint32_t) run->ifindex,
        };
        int fd = enter_netns(run->ctx), one = 1, zero = 0, hops = 1, ifindex = run->ifindex;

        if (fd < 0)
                return fd;
        fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_UDP);
        if (fd < 0)
                return -errno;
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0 ||
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
            setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) < 0 ||
            setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
            setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero)) < 0 ||
            bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        return fd;
}

/* /proc/sys/net follows the network namespace of the task that opens it:
 * this runs after nh_enter_netns(). */
static int set_accept_ra(struct dhcp6_run *run, long long v)
{
        return nh_ipv6_conf_write(run->ifname, "accept_ra", (long) v);
}

/* ---- verbs ------------------------------------------------------------ */

static int dhcp6_validate(struct nh_ctx *ctx)
{
        const char *ifname = nh_cfg_str(ctx, "interface");

        if (ifname && strlen(ifname) >= IF_NAMESIZE)
                return nh_cfg_error(ctx, "interface", "interface name \"%s\" is too long", ifname);
        return 0;
}

static int build_config(struct nh_ctx *ctx, struct dhcp6_config *cfg)
{
        size_t n = nh_cfg_count(ctx, "request");

        cfg->solicit_delay = nh_cfg_bool_or(ctx, "solicit-delay", 1);
        cfg->rapid_commit = nh_cfg_bool_or(ctx, "rapid-commit", 1);
        cfg->release = nh_cfg_bool_or(ctx, "release", 1);
        cfg->oro[cfg->n_oro++] = DHCP6_OPT_DNS_SERVERS;
        cfg->oro[cfg->n_oro++] = DHCP6_OPT_DOMAIN_LIST;
        for (size_t i = 0; i < n; i++) {
                long long v;
                bool dup = false;

                if (ctx->api->cfg_int(ctx, "request", i, &v) <= 0 || v < 1 || v > 65535)
                        return nh_cfg_item_error(ctx, "request", i, "option codes are integers 1-65535");
                for (size_t j = 0; j < cfg->n_oro; j++)
                        dup = dup || cfg->oro[j] == v;
                if (dup)
                        continue;
                if (cfg->n_oro >= sizeof(cfg->oro) / sizeof(cfg->oro[0]))
                        return nh_cfg_error(ctx, "request", "at most %zu option codes",
                                            sizeof(cfg->oro) / sizeof(cfg->oro[0]) - 2);
                cfg->oro[cfg->n_oro++] = (uint16_t) v;
        }
        return 0;
}

/* Datagrams read per wake-up: anyone on the LAN can send to port 546, and
 * a loop that drains the socket until EAGAIN under a flood would never get
 * back to the stop fd and the timers (issue 13).  The rest waits in the
 * socket for the next round of poll(). */
#define RECEIVE_BATCH 32

static void receive_all(struct dhcp6_run *run, struct dhcp6_client *client)
{
        uint8_t buf[4096];
        struct sockaddr_in6 from;
        socklen_t fl = sizeof(from);
        ssize_t n;

        for (int i = 0; i < RECEIVE_BATCH &&
             (n = recvfrom(run->udp_fd, buf, sizeof(buf), 0, (struct sockaddr *) &from, &fl)) >= 0; i++) {
                /* Servers answer from port 547 (relays too). */
                if (ntohs(from.sin6_port) == DHCP6_SERVER_PORT)
                        dhcp6_client_receive(client, buf, (size_t) n);
                fl = sizeof(from);
        }
}

/* RFC 8415 18.2.7 retransmits RELEASE for up to REL_MAX_RC times (about 15 s);
 * a stopping unit waits for the REPLY 2 s at most (one retransmission), so a
 * server that is gone does not hold the stop up. */
#define RELEASE_WAIT (2 * USEC_PER_SEC)

static void release_wait(struct dhcp6_run *run, struct dhcp6_client *client)
{
        uint64_t end = now_usec(NULL) + RELEASE_WAIT;

        /* No link to hear a REPLY on. */
        if (run->udp_fd < 0)
                return;
        while (dhcp6_client_state(client) == DHCP6_STATE_RELEASING && now_usec(NULL) < end) {
                struct pollfd p = { .fd = run->udp_fd, .events = POLLIN };
                uint64_t next = dhcp6_client_next_timeout(client);

                if (poll(&p, 1, poll_ms(next < end ? next : end)) < 0 && errno != EINTR)
                        return;
                if (p.revents & (POLLIN | POLLERR))
                        receive_all(run, client);
                if (now_usec(NULL) >= dhcp6_client_next_timeout(client))
                        dhcp6_client_timeout(client);
        }
}

/* "ip link set IF down" removes the link's IPv6 addresses: when it is up
 * again, the lease's address comes back at once, with what is left of its
 * lifetimes, rather than at T1. */
static uint32_t lifetime_left(uint32_t lifetime, uint64_t elapsed_s)
{
        if (lifetime == DHCP6_INFINITY)
                return lifetime;
        return elapsed_s >= lifetime ? 0 : lifetime - (uint32_t) elapsed_s;
}

static void address_reapply(struct dhcp6_run *run)
{
        uint64_t elapsed = (now_usec(NULL) - run->bound_at) / USEC_PER_SEC;
        uint32_t valid = lifetime_left(run->valid, elapsed);
        char addr[INET6_ADDRSTRLEN];
        int r;

        if (!run->have_addr || valid == 0)
                return;
        inet_ntop(AF_INET6, &run->addr, addr, sizeof(addr));
        r = address_change(run, &run->addr, true, lifetime_left(run->preferred, elapsed), valid);
        if (r < 0)
                nh_warn(run->ctx, "%s is up again, but putting %s/128 back failed: %s", run->ifname, addr,
                        strerror(-r));
        else
                nh_info(run->ctx, "%s is up again: %s/128 of the lease is back", run->ifname, addr);
}

static void link_again(struct dhcp6_run *run, struct dhcp6_client *client)
{
        /* The address at once, so that nothing waits; then ask whether it
         * is still on link (the link may be another network now):
         * NotOnLink brings a new lease. */
        address_reapply(run);
        (void) dhcp6_client_confirm(client);
}

static void close_fd(int *fd)
{
        if (*fd >= 0)
                close(*fd);
        *fd = -1;
}

/* The link made again under its name (the macvlan stage's watcher does
 * once the parent is back) has a new link-local address, in DAD: once it
 * is usable, a socket on it, then the lease as after down and up. */
static void link_local_back(struct dhcp6_run *run, struct dhcp6_client *client)
{
        struct in6_addr ll;
        int r = link_local_read(run, &ll);

        if (r == -EAGAIN)
                return;
        close_fd(&run->nl_fd);
        if (r == 0 && (run->udp_fd = udp_open(run, &ll)) < 0)
                r = run->udp_fd;
        if (r < 0) {
                nh_warn(run->ctx, "%s is back, but using it failed: %s", run->ifname, strerror(-r));
                return;
        }
        nh_info(run->ctx, "%s is back (index %d)", run->ifname, run->ifindex);
        link_again(run, client);
}

static void link_events(struct dhcp6_run *run, struct dhcp6_client *client)
{
        int r = nh_nl_link_follow_read(run->link_fd, &run->link);

        switch (r) {
        case NH_NL_LINK_SAME:
                break;
        case NH_NL_LINK_AGAIN:
                link_again(run, client);
                break;
        case NH_NL_LINK_GONE:
                /* The kernel deletes a macvlan with its parent.  No socket
                 * of a deleted device; the lease's timers go on, and its
                 * messages are lost until the link is back. */
                nh_notice(run->ctx, "%s was deleted (its parent gone?); waiting for it to come back", run->ifname);
                close_fd(&run->udp_fd);
                close_fd(&run->nl_fd);
                break;
        case NH_NL_LINK_BACK:
                run->ifindex = run->link.ifindex;
                close_fd(&run->udp_fd);
                close_fd(&run->nl_fd);
                run->ll_logged = false;
                run->nl_fd = nl_open(run->ctx);
                if (run->nl_fd < 0)
                        nh_warn(run->ctx, "%s is back, but watching its addresses failed: %s", run->ifname,
                                strerror(-run->nl_fd));
                break;
        default:
                /* Not to be woken by the same error again and again. */
                nh_warn(run->ctx, "Stopped following %s going down and up: %s", run->ifname, strerror(-r));
                close_fd(&run->link_fd);
        }
}

static int run_client(struct dhcp6_run *run, struct dhcp6_config *cfg, uint64_t deadline)
{
        struct dhcp6_client *client = NULL;
        int stop_fd = nh_stop_fd(run->ctx), r;

        uint8_t saved[DHCP6_SAVED_MAX];
        uint64_t age = 0;
        size_t saved_len = lease_load(run->ctx, saved, &age);
        bool keep = false;

        r = dhcp6_client_new(cfg, &dhcp6_kernel_ops, run, &client);
        if (r < 0)
                return r;
        run->client = client;
        /* A lease kept by a restart: in use again at once, then CONFIRMed
         * (RFC 8415 18.2.3); with no answer it stays in use while valid. */
        run->restoring = true;
        r = saved_len > 0 ? dhcp6_client_start_saved(client, saved, saved_len, age) : dhcp6_client_start(client);
        run->restoring = false;
        if (r == 1) {
                nh_debug(run->ctx, "Using the DHCPv6 lease kept across the restart; confirming it");
                (void) dhcp6_client_confirm(client);
        }
        while (r >= 0) {
                /* nl_fd: only while the link made again has no usable
                 * link-local address yet. */
                struct pollfd p[5] = { { .fd = run->udp_fd, .events = POLLIN }, { .fd = stop_fd, .events = POLLIN },
                                       { .fd = run->link_fd, .events = POLLIN }, { .fd = run->nsw.fd, .events = POLLIN },
                                       { .fd = run->nl_fd, .events = POLLIN } };
                uint64_t next = dhcp6_client_next_timeout(client);
                int k;

                if (!run->ready && deadline < next)
                        next = deadline;
                k = poll(p, 5, poll_ms(next));
                if (k < 0 && errno != EINTR) {
                        r = -errno;
                        break;
                }
                if (k > 0 && stop_fd >= 0 && stop_requested(stop_fd, p[1].revents)) {
                        /* Maybe a restart: the lease stays saved, unreleased;
                         * the stop verb releases it (netns-helper down). */
                        keep = true;
                        break;
                }
                /* Our sockets keep the namespace (and the link) alive:
                 * release while the server can still hear us, then end,
                 * so that it goes. */
                if (k > 0 && p[3].revents && nh_nswatch_gone(&run->nsw)) {
                        nh_notice(run->ctx, "Namespace %s was deleted from outside (ip netns delete?): "
                                  "stopping", nh_namespace(run->ctx));
                        break;
                }
                /* POLLERR too: an ICMPv6 error (port unreachable) queued on
                 * the socket is only cleared by reading it; left alone, poll()
                 * would return at once forever. */
                if (k > 0 && (p[0].revents & (POLLIN | POLLERR)))
                        receive_all(run, client);
                if (k > 0 && p[2].revents)
                        link_events(run, client);
                else if (k > 0 && p[4].revents)
                        link_local_back(run, client);
                if (now_usec(NULL) >= dhcp6_client_next_timeout(client))
                        dhcp6_client_timeout(client);
                if (run->failed) {
                        r = -EIO;
                        break;
                }
                if (!run->ready && deadline != DHCP6_NEVER && now_usec(NULL) >= deadline) {
                        r = -ETIMEDOUT;
                        break;
                }
        }

        if (!keep)
                lease_forget(run->ctx);
        dhcp6_client_stop(client, !keep && cfg->release);
        release_wait(run, client);
        run->client = NULL;
        dhcp6_client_free(client);
        return r;
}

static void cleanup(struct dhcp6_run *run)
{
        int r;

        if (run->have_addr && (r = address_change(run, &run->addr, false, 0, 0)) < 0)
                nh_warn(run->ctx, "Failed to remove the DHCPv6 address from %s: %s", run->ifname, strerror(-r));
        run->have_addr = false;
        clear_facts(run->ctx);
        if (run->dns)
                nh_dns_clear(run->ctx, SOURCE);
}

static int dhcp6_start(struct nh_ctx *ctx)
{
        struct dhcp6_run run = { .ctx = ctx, .udp_fd = -1, .nl_fd = -1, .link_fd = -1, .nsw = { .fd = -1 } };
        struct dhcp6_config cfg = {};
        struct in6_addr ll;
        const char *ifname = nh_cfg_interface(ctx);
        long long timeout = 30, accept_ra = -1;
        uint64_t deadline;
        int r;

        if (!ifname)
                return nh_cfg_error(ctx, "interface",
                                    "no interface: set \"interface:\" or start the macvlan stage first");
        snprintf(run.ifname, sizeof(run.ifname), "%s", ifname);
        if (nh_cfg_int(ctx, "timeout", 0, &timeout) < 0 || nh_cfg_int(ctx, "accept-ra", 0, &accept_ra) < 0)
                return -EINVAL;
        run.dns = nh_cfg_bool_or(ctx, "dns", 1);
        run.nsswitch = nh_cfg_bool_or(ctx, "nsswitch", 0);
        r = build_config(ctx, &cfg);
        if (r < 0)
                return r;
        deadline = timeout > 0 ? now_usec(NULL) + (uint64_t) timeout * USEC_PER_SEC : DHCP6_NEVER;

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
        run.link = (struct nh_nl_link_follow){ .ifname = run.ifname, .ifindex = run.ifindex };
        if (accept_ra >= 0 && (r = set_accept_ra(&run, accept_ra)) < 0) {
                nh_err(ctx, "Failed to set accept_ra of %s to %lld: %s", run.ifname, accept_ra, strerror(-r));
                goto out;
        }
        cfg.iaid = iaid_of(run.ifname);
        r = load_duid(&run, &cfg);
        if (r < 0) {
                nh_err(ctx, "Failed to make a DHCPv6 DUID: %s", strerror(-r));
                goto out;
        }

        run.nl_fd = nl_open(ctx);
        if (run.nl_fd < 0) {
                r = run.nl_fd;
                nh_err(ctx, "Failed to watch the addresses of %s: %s", run.ifname, strerror(-r));
                goto out;
        }
        r = wait_link_local(&run, deadline, &ll);
        close(run.nl_fd);
        run.nl_fd = -1;
        if (r == 1) {
                r = 0;
                goto out;
        }
        if (r == -ETIMEDOUT) {
                nh_err(ctx, "No usable link-local address on %s within %lld s (link down, or DAD not done)",
                       run.ifname, timeout);
                goto out;
        }
        if (r < 0) {
                nh_err(ctx, "Failed to find the link-local address of %s: %s", run.ifname, strerror(-r));
                goto out;
        }

        run.udp_fd = udp_open(&run, &ll);
        if (run.udp_fd < 0) {
                char b[INET6_ADDRSTRLEN];

                r = run.udp_fd;
                nh_err(ctx, "Failed to bind UDP [%s%%%s]:%d: %s", inet_ntop(AF_INET6, &ll, b, sizeof(b)), run.ifname,
                       DHCP6_CLIENT_PORT, strerror(-r));
                goto out;
        }

        run.link_fd = nh_nl_socket();
        if (run.link_fd >= 0 && (r = nh_nl_link_events_join(run.link_fd)) < 0) {
                close(run.link_fd);
                run.link_fd = r;
        }
        if (run.link_fd < 0)
                nh_warn(ctx, "Cannot follow %s going down and up (%s): after \"ip link set %s down\" "
                        "the lease's address comes back only at its renewal", run.ifname,
                        strerror(-run.link_fd), run.ifname);

        r = nh_nswatch_open(&run.nsw, nh_namespace(ctx), nh_netns_fd(ctx));
        if (r < 0)
                nh_warn(ctx, "Cannot watch /run/netns (%s): if namespace %s is deleted from outside, this "
                        "client runs on until stopped", strerror(-r), nh_namespace(ctx));
        nh_status(ctx, "Soliciting a DHCPv6 lease");
        r = run_client(&run, &cfg, deadline);
        if (r == -ETIMEDOUT)
                nh_err(ctx, "No DHCPv6 lease on %s within %lld s", run.ifname, timeout);
        else if (r < 0 && r != -EIO)
                nh_err(ctx, "DHCPv6 client on %s failed: %s", run.ifname, strerror(-r));

out:
        cleanup(&run);
        if (run.udp_fd >= 0)
                close(run.udp_fd);
        if (run.nl_fd >= 0)
                close(run.nl_fd);
        if (run.link_fd >= 0)
                close(run.link_fd);
        nh_nswatch_close(&run.nsw);
        nh_leave_netns(ctx);
        return r;
}

/* One dump of ifindex's IPv6 addresses into s (inside the namespace). */
static int addr_dump(struct nh_ctx *ctx, int ifindex, struct dhcp6_ll_scan *s)
{
        int fd = nl_open(ctx), r = 0;

        if (fd < 0)
                return fd;
        while (!s->done) {
                struct pollfd p = { .fd = fd, .events = POLLIN };
                uint8_t buf[16384];
                ssize_t n;

                if (poll(&p, 1, 2000) <= 0) {
                        r = -ETIMEDOUT;
                        break;
                }
                n = recv(fd, buf, sizeof(buf), 0);
                if (n < 0 && errno != EAGAIN && errno != EINTR) {
                        r = -errno;
                        break;
                }
                if (n > 0)
                        dhcp6_ll_scan(buf, (size_t) n, ifindex, s);
        }
        close(fd);
        return r;
}

static const struct dhcp6_ops dhcp6_release_ops = {
        .now = now_usec,
        .random = random_u32,
        .send = udp_send,
        .log = log_fwd,
};

/* The stop verb runs once the client is gone (netns-helper down,
 * netns-helper-run dhcp6 NAME stop): a lease its SIGTERM kept is released
 * now (release: yes, while it is valid), and forgotten either way. */
static void release_saved(struct nh_ctx *ctx, const char *ifname)
{
        struct dhcp6_run run = { .ctx = ctx, .udp_fd = -1, .nl_fd = -1, .link_fd = -1 };
        struct dhcp6_config cfg = {};
        struct dhcp6_ll_scan s = {};
        struct dhcp6_client *client = NULL;
        uint8_t saved[DHCP6_SAVED_MAX];
        uint64_t age = 0;
        size_t len = lease_load(ctx, saved, &age);

        if (len == 0 || !ifname || !nh_cfg_bool_or(ctx, "release", 1) || build_config(ctx, &cfg) < 0)
                goto out;
        if (nh_enter_netns(ctx) < 0)
                goto out;
        snprintf(run.ifname, sizeof(run.ifname), "%s", ifname);
        run.ifindex = (int) if_nametoindex(ifname);
        cfg.iaid = iaid_of(run.ifname);
        if (run.ifindex > 0 && load_duid(&run, &cfg) == 0 && addr_dump(ctx, run.ifindex, &s) == 0 && s.found &&
            (run.udp_fd = udp_open(&run, &s.addr)) >= 0 &&
            dhcp6_client_new(&cfg, &dhcp6_release_ops, &run, &client) == 0 &&
            dhcp6_client_start_saved(client, saved, len, age) == 1) {
                dhcp6_client_stop(client, true);
                release_wait(&run, client);
        } else
                nh_debug(ctx, "The saved DHCPv6 lease was not released (expired, or no link-local address on %s)",
                         ifname);
        dhcp6_client_free(client);
        if (run.udp_fd >= 0)
                close(run.udp_fd);
        nh_leave_netns(ctx);
out:
        if (len > 0)
                lease_forget(ctx);
}

/* Idempotent: removes what a start that ended without cleaning up (killed)
 * or a SIGTERM (a restart) left behind, as recorded in the facts, and
 * releases a kept lease. */
static int dhcp6_stop(struct nh_ctx *ctx)
{
        const char *addr = nh_fact_get(ctx, NH_FACT_DHCP6_ADDRESS);
        const char *ifname = nh_cfg_interface(ctx);

        if (addr && ifname && nh_enter_netns(ctx) >= 0) {
                struct dhcp6_run run = { .ctx = ctx, .udp_fd = -1, .nl_fd = -1, .link_fd = -1 };
                char a[INET6_ADDRSTRLEN + 8], *slash;

                snprintf(a, sizeof(a), "%s", addr);
                slash = strchr(a, '/');
                if (slash)
                        *slash = 0;
                snprintf(run.ifname, sizeof(run.ifname), "%s", ifname);
                run.ifindex = (int) if_nametoindex(ifname);
                if (run.ifindex > 0 && inet_pton(AF_INET6, a, &run.addr) == 1) {
                        run.have_addr = true;
                        run.dns = true;
                        cleanup(&run);
                }
                nh_leave_netns(ctx);
        }
        clear_facts(ctx);
        nh_dns_clear(ctx, SOURCE);
        release_saved(ctx, ifname);
        return 0;
}

/* The address of the recorded lease must be on the interface. */
static int dhcp6_check(struct nh_ctx *ctx)
{
        const char *fact = nh_fact_get(ctx, NH_FACT_DHCP6_ADDRESS);
        const char *ifname = nh_cfg_interface(ctx);
        struct dhcp6_ll_scan s = { .want = true };
        char a[INET6_ADDRSTRLEN + 8], *slash;
        int ifindex, r = 0;

        if (!fact) {
                nh_notice(ctx, "No DHCPv6 lease is recorded: the dhcp6 stage is not running or not bound");
                return 1;
        }
        snprintf(a, sizeof(a), "%s", fact);
        slash = strchr(a, '/');
        if (slash)
                *slash = 0;
        if (!ifname || inet_pton(AF_INET6, a, &s.wanted) != 1) {
                nh_err(ctx, "Cannot tell: the recorded lease \"%s\" or the interface is unknown", fact);
                return -EINVAL;
        }
        r = nh_enter_netns(ctx);
        if (r < 0) {
                nh_notice(ctx, "Namespace %s is gone, and with it the DHCPv6 address %s", nh_namespace(ctx), fact);
                return 1;
        }
        ifindex = (int) if_nametoindex(ifname);
        r = ifindex > 0 ? addr_dump(ctx, ifindex, &s) : -ENODEV;
        nh_leave_netns(ctx);
        if (ifindex <= 0) {
                nh_notice(ctx, "Interface %s is missing, and with it the DHCPv6 address %s", ifname, fact);
                return 1;
        }
        if (r < 0) {
                nh_err(ctx, "Failed to list the addresses of %s: %s", ifname, strerror(-r));
                return r;
        }
        if (!s.wanted_found) {
                nh_notice(ctx, "The DHCPv6 address %s is missing on %s", fact, ifname);
                return 1;
        }
        return 0;
}

NH_PLUGIN_DEFINE(
        .name = "dhcp6",
        .stage = "dhcp6",
        .version = NH_STAGE_VERSION,
        .description = "native DHCPv6 client (RFC 8415, stateful IA_NA) with per-namespace DNS",
        .order = NH_ORDER_DHCP6,
        .flags = NH_PLUGIN_LONG_RUNNING | NH_PLUGIN_NEEDS_NETNS,
        .keys = dhcp6_keys,
        .validate = dhcp6_validate,
        .start = dhcp6_start,
        .stop = dhcp6_stop,
        .check = dhcp6_check,
);
