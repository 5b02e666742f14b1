/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The macvlan stage: the namespace's uplink, a macvlan on a host interface,
 * created directly inside the namespace in one RTM_NEWLINK (IFLA_LINK names
 * the parent in the host namespace, IFLA_NET_NS_FD the target).  Creating it
 * on the host and moving it costs 17-28 ms under RTNL per link
 * (rcu_barrier), stalling every other rtnetlink user: never do that.
 *
 * start: create (down) -> sysctls -> ns/NAME-macvlan-preup IFNAME -> up
 *        -> addresses -> default routes (onlink) -> facts
 *        -> ns/NAME-macvlan-postup IFNAME.
 * Any failure after the link exists deletes it again.
 *
 * Written only against the public plugin header.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* unshare(), setns() */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>


#include "netns-helper/plugin.h"
#include <netns-helper/sdk.h>

#define WAIT_DYING_DEFAULT_MS 3000

static const struct nh_key macvlan_keys[] = {
        { "parent", NH_T_IFNAME, NH_KEY_REQUIRED, 0, 0, NULL,
          "the host interface the macvlan attaches to (PARENT_IF)" },
        { "mac", NH_T_MAC, NH_KEY_UNIQUE, 0, 0, NULL,
          "the macvlan's MAC address (MAC); default: a stable address derived from the namespace name and /etc/machine-id" },
        { "mode", NH_T_ENUM, 0, 0, 0, "bridge|private|vepa|passthru|source",
          "macvlan mode; default bridge" },
        { "name", NH_T_IFNAME, 0, 0, 0, NULL,
          "the link's name inside the namespace; default nm_NAME, or a hashed name when that exceeds 15 bytes" },
        { "address4", NH_T_IPV4_PREFIX, NH_KEY_LIST, 0, 0, NULL,
          "static IPv4 address(es) with prefix, e.g. 192.0.2.10/24 (IPADDR4)" },
        { "gateway4", NH_T_IPV4, 0, 0, 0, NULL,
          "IPv4 default gateway, added onlink (DEFAULT_GATEWAY4)" },
        { "address6", NH_T_IPV6_PREFIX, NH_KEY_LIST, 0, 0, NULL,
          "static IPv6 address(es) with prefix, e.g. 2001:db8::10/64 (IPADDR6)" },
        { "gateway6", NH_T_IPV6, 0, 0, 0, NULL,
          "IPv6 default gateway, added onlink (DEFAULT_GATEWAY6)" },
        { "privacy-ext", NH_T_INT, 0, 0, 2, NULL,
          "IPv6 privacy extensions: net.ipv6.conf.IFNAME.use_tempaddr, 0, 1 or 2 (PRIVACY_EXT)" },
        { "sysctl", NH_T_MAP, 0, 0, 0, NULL,
          "sysctls set inside the namespace, e.g. {net.ipv6.conf.all.forwarding: 1}; keys under net. only" },
        { "mtu", NH_T_INT, 0, 68, 65535, NULL,
          "the link's MTU; default the parent's" },
        { "wait-dying", NH_T_INT, 0, 0, 60000, NULL,
          "ms to wait for a dying macvlan with the same MAC to go (EADDRINUSE); default 3000" },
        { "dns", NH_T_STRING, NH_KEY_LIST, 0, 0, NULL,
          "name servers (IPv4 or IPv6) for the namespace's resolv.conf, for static addresses; "
          "merged with what DHCP learns" },
        { "search", NH_T_STRING, NH_KEY_LIST, 0, 0, NULL,
          "search domains for the namespace's resolv.conf" },
        { NULL },
};

/* ---- names and addresses ---------------------------------------------- */

/* The link name: config "name:", else nm_NAME as the original tool named
 * it when that fits IFNAMSIZ, else "nm_" + the first 4 bytes of the name +
 * 8 hex digits of FNV-1a-32 over the whole name (15 bytes).  The name only
 * has to be unique inside the namespace, where it is the only macvlan; the
 * hash keeps it recognisable and distinct across namespaces. */
static void macvlan_ifname(struct nh_ctx *ctx, char out[IFNAMSIZ])
{
        const char *ns = nh_namespace(ctx), *cfg = nh_cfg_str(ctx, "name");

        if (cfg && *cfg) {
                snprintf(out, IFNAMSIZ, "%s", cfg);
                return;
        }
        if (strlen(ns) + 3 < IFNAMSIZ) {
                snprintf(out, IFNAMSIZ, "nm_%s", ns);
                return;
        }
        snprintf(out, IFNAMSIZ, "nm_%.4s%08x", ns, nh_fnv1a32(ns, strlen(ns), NH_FNV32_INIT));
}

/* The MAC when none is configured: 64-bit FNV-1a over /etc/machine-id (when
 * readable, so two hosts on one LAN do not pick the same address for the
 * same namespace name) and the namespace name, finalised with splitmix64's
 * mixer; the first byte made locally administered (bit 1) and unicast
 * (bit 0 clear). */
static void macvlan_default_mac(struct nh_ctx *ctx, uint8_t mac[6])
{
        static char id[64];
        static bool id_read;
        const char *ns = nh_namespace(ctx);
        uint64_t h = NH_FNV64_INIT;
        FILE *f;

        if (!id_read) {
                f = fopen("/etc/machine-id", "re");
                if (f) {
                        if (!fgets(id, sizeof(id), f))
                                id[0] = 0;
                        fclose(f);
                        id[strcspn(id, "\n")] = 0;
                }
                id_read = true;
        }
        h = nh_fnv1a64(id, strlen(id), h);
        h = nh_fnv1a64("\0netns-helper-macvlan\0", 22, h);
        h = nh_fnv1a64(ns, strlen(ns), h);
        h ^= h >> 30; h *= 0xbf58476d1ce4e5b9ull;
        h ^= h >> 27; h *= 0x94d049bb133111ebull;
        h ^= h >> 31;
        for (int i = 0; i < 6; i++)
                mac[i] = (uint8_t) (h >> (8 * i));
        mac[0] = (uint8_t) ((mac[0] & 0xfc) | 0x02);
}

static int macvlan_mac(struct nh_ctx *ctx, uint8_t mac[6])
{
        int r = nh_cfg_mac(ctx, "mac", 0, mac);
        if (r < 0)
                return r;
        if (r == 0)
                macvlan_default_mac(ctx, mac);
        return 0;
}

static void mac_str(const uint8_t m[6], char out[18])
{
        snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static const char *macvlan_mode_str(struct nh_ctx *ctx)
{
        const char *m = nh_cfg_str(ctx, "mode");
        return m && *m ? m : "bridge";
}

static uint32_t mode_value(const char *s)
{
        if (strcmp(s, "private") == 0) return MACVLAN_MODE_PRIVATE;
        if (strcmp(s, "vepa") == 0) return MACVLAN_MODE_VEPA;
        if (strcmp(s, "passthru") == 0) return MACVLAN_MODE_PASSTHRU;
        if (strcmp(s, "source") == 0) return MACVLAN_MODE_SOURCE;
        return MACVLAN_MODE_BRIDGE;
}

static long long cfg_int_or(struct nh_ctx *ctx, const char *key, long long def)
{
        long long v;
        return nh_cfg_int(ctx, key, 0, &v) == 1 ? v : def;
}

/* ---- sysctls -------------------------------------------------------------- */

/* Keys of "sysctl:" name a file under /proc/sys/net, spelled as sysctl(8)
 * and sysctl.d(5) spell them: when the first separator is '.', '.' separates
 * and '/' stands for a literal '.' (net.ipv6.conf.eth0/100.accept_ra); when
 * it is '/', '/' separates and '.' is literal (net/ipv6/conf/eth0.100/
 * accept_ra), which is how interface names with dots, such as nm_web.prod,
 * are reached.  Parts are [A-Za-z0-9_.-], none empty, "." or "..": the path
 * cannot leave /proc/sys/net.  Writes the path to out; -EINVAL if not such
 * a name. */
static int sysctl_path(const char *key, char *out, size_t len)
{
        size_t klen = strlen(key), i, comp = 0, comp_start;
        char sep;

        if (klen < 5 || klen > 200 || strncmp(key, "net", 3) != 0 || (key[3] != '.' && key[3] != '/'))
                return -EINVAL;
        sep = key[3];
        i = (size_t) snprintf(out, len, "/proc/sys/");
        comp_start = i;
        for (const char *p = key; ; p++) {
                if (*p == sep || *p == 0) {
                        if (comp == 0 || (comp == 1 && out[comp_start] == '.') ||
                            (comp == 2 && out[comp_start] == '.' && out[comp_start + 1] == '.'))
                                return -EINVAL;
                        if (*p == 0)
                                break;
                        out[i++] = '/';
                        comp = 0;
                        comp_start = i;
                        continue;
                }
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                      *p == '_' || *p == '-' || *p == '.' || *p == '/'))
                        return -EINVAL;
                if (i + 2 > len)
                        return -EINVAL;
                out[i++] = (*p == '/' || *p == '.') ? '.' : *p;
                comp++;
        }
        out[i] = 0;
        return 0;
}

static bool sysctl_value_valid(const char *v)
{
        if (strlen(v) > 256)
                return false;
        for (const char *p = v; *p; p++)
                if ((unsigned char) *p < 0x20 && *p != '\t')
                        return false;
        return true;
}

/* Writes one sysctl; the calling thread must be inside the namespace:
 * /proc/sys/net resolves against the opener's network namespace. */
static int sysctl_write(const char *path, const char *value)
{
        size_t len = strlen(value);
        char buf[300];
        ssize_t n;
        int fd, r = 0;

        if (len + 2 > sizeof(buf))
                return -E2BIG;
        memcpy(buf, value, len);
        buf[len++] = '\n';
        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return -errno;
        n = write(fd, buf, len);
        if (n < 0)
                r = -errno;
        else if ((size_t) n != len)
                r = -EIO;
        close(fd);
        return r;
}

static int macvlan_sysctls(struct nh_ctx *ctx, const char *ifname)
{
        char path[PATH_MAX];
        long long priv;
        size_t n = nh_cfg_count(ctx, "sysctl");
        int r, q;

        r = nh_enter_netns(ctx);
        if (r < 0) {
                nh_err(ctx, "Failed to enter namespace %s to set sysctls: %s",
                       nh_namespace(ctx), strerror(-r));
                return r;
        }
        /* First, so that "sysctl:" below can turn it off again. */
        q = nh_ipv6_optimistic_dad(ifname);
        if (q < 0 && q != -ENOENT)
                nh_warn(ctx, "Failed to turn on optimistic DAD on %s (IPv6 waits for DAD): %s", ifname,
                        strerror(-q));
        if (nh_cfg_int(ctx, "privacy-ext", 0, &priv) == 1) {
                char v[8];
                snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/use_tempaddr", ifname);
                snprintf(v, sizeof(v), "%lld", priv);
                r = sysctl_write(path, v);
                if (r < 0)
                        nh_err(ctx, "Failed to set %s to %s (privacy-ext) inside namespace %s: %s",
                               path, v, nh_namespace(ctx), strerror(-r));
        }
        for (size_t i = 0; r >= 0 && i < n; i++) {
                const char *k = nh_cfg_map_key(ctx, "sysctl", i), *v = nh_cfg_get(ctx, "sysctl", i);
                if (!k || !v || sysctl_path(k, path, sizeof(path)) < 0 || !sysctl_value_valid(v)) {
                        r = -EINVAL;
                        nh_err(ctx, "Invalid sysctl entry %s", k ? k : "(null)");
                        break;
                }
                r = sysctl_write(path, v);
                if (r < 0)
                        nh_err(ctx, "Failed to set sysctl %s to %s inside namespace %s: %s",
                               k, v, nh_namespace(ctx), strerror(-r));
        }
        q = nh_leave_netns(ctx);
        if (q < 0) {
                nh_err(ctx, "Failed to return to the host's namespace: %s", strerror(-q));
                if (r >= 0)
                        r = q;
        }
        return r;
}

/* ---- netlink ---------------------------------------------------------------
 * Plain rtnetlink on sockets of the plugin's own (plugins/common/rtnl.h):
 * no netlink library to load in a stage process that makes ten requests,
 * and the kernel's errno reaches the messages as it is (EADDRINUSE and
 * EEXIST mean different things here). */

static void close_fd(int *fd)
{
        if (*fd >= 0)
                close(*fd);
}
#define _cleanup_fd_ __attribute__((cleanup(close_fd)))

/* A rtnetlink socket inside the namespace; the caller closes it. */
static int ns_sock(struct nh_ctx *ctx)
{
        int fd = nh_socket(ctx, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
        if (fd < 0)
                nh_err(ctx, "Failed to open a netlink socket inside namespace %s: %s",
                       nh_namespace(ctx), strerror(-fd));
        return fd;
}

/* One in the host's namespace, where the plugin runs. */
static int host_sock(struct nh_ctx *ctx)
{
        int fd = nh_nl_socket();
        if (fd < 0)
                nh_err(ctx, "Failed to open a netlink socket in the host's namespace: %s", strerror(-fd));
        return fd;
}

static void link_msg(struct nh_nl_msg *m, uint16_t type, uint16_t nlflags, int index,
                     unsigned flags, unsigned change)
{
        struct ifinfomsg ifi = {
                .ifi_family = AF_UNSPEC,
                .ifi_index = index,
                .ifi_flags = flags,
                .ifi_change = change,
        };
        nh_nl_msg_init(m, type, nlflags, &ifi, sizeof(ifi));
}

static int link_delete(int fd, const char *ifname)
{
        struct nh_nl_msg m;
        int r;

        link_msg(&m, RTM_DELLINK, 0, 0, 0, 0);
        nh_nl_put_str(&m, IFLA_IFNAME, ifname);
        r = nh_nl_talk(fd, &m, NULL, NULL);
        return r == -ENODEV ? 0 : r;
}

struct link_info {
        int index;
        unsigned flags;                 /* IFF_* */
        unsigned mtu;
        bool has_mac;
        uint8_t mac[6];
        char kind[32];                  /* IFLA_INFO_KIND, "" when none */
        bool has_mode;
        uint32_t mode;                  /* IFLA_MACVLAN_MODE */
};

static void link_parse(const struct nlmsghdr *h, void *arg)
{
        const struct rtattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1], *data[IFLA_MACVLAN_MAX + 1];
        struct link_info *li = arg;
        const struct ifinfomsg *ifi;

        if (h->nlmsg_type != RTM_NEWLINK || h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
                return;
        ifi = NLMSG_DATA(h);
        nh_nl_parse(h, sizeof(*ifi), tb, IFLA_MAX);
        memset(li, 0, sizeof(*li));
        li->index = ifi->ifi_index;
        li->flags = ifi->ifi_flags;
        li->mtu = nh_nl_u32(tb[IFLA_MTU]);
        if (tb[IFLA_ADDRESS] && nh_nl_len(tb[IFLA_ADDRESS]) == 6) {
                memcpy(li->mac, nh_nl_data(tb[IFLA_ADDRESS]), 6);
                li->has_mac = true;
        }
        if (!tb[IFLA_LINKINFO])
                return;
        nh_nl_parse_nested(tb[IFLA_LINKINFO], info, IFLA_INFO_MAX);
        if (info[IFLA_INFO_KIND])
                snprintf(li->kind, sizeof(li->kind), "%.*s", (int) nh_nl_len(info[IFLA_INFO_KIND]),
                         (const char *) nh_nl_data(info[IFLA_INFO_KIND]));
        if (info[IFLA_INFO_DATA]) {
                nh_nl_parse_nested(info[IFLA_INFO_DATA], data, IFLA_MACVLAN_MAX);
                if (data[IFLA_MACVLAN_MODE] && nh_nl_len(data[IFLA_MACVLAN_MODE]) >= 4) {
                        li->mode = nh_nl_u32(data[IFLA_MACVLAN_MODE]);
                        li->has_mode = true;
                }
        }
}

/* An ifreq naming ifname; -ENODEV when no link can have that name. */
static int ifreq_named(struct ifreq *ifr, const char *ifname)
{
        memset(ifr, 0, sizeof(*ifr));
        if (strlen(ifname) >= sizeof(ifr->ifr_name))
                return -ENODEV;
        strcpy(ifr->ifr_name, ifname);
        return 0;
}

/* The index of a link in the socket's namespace: SIOCGIFINDEX works on
 * any socket and is one syscall, where RTM_GETLINK is a round trip. */
static int link_index(int fd, const char *ifname)
{
        struct ifreq ifr;
        int r = ifreq_named(&ifr, ifname);

        if (r < 0)
                return r;
        if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
                return -errno;
        return ifr.ifr_ifindex > 0 ? ifr.ifr_ifindex : -ENODEV;
}

/* The parent's index and MAC address, through two ioctls on a host
 * socket: cheaper than a RTM_GETLINK round trip and its parsing, which
 * every start pays.  -ENODEV when there is no such link. */
static int parent_get(int fd, const char *ifname, struct link_info *li)
{
        struct ifreq ifr;
        int r = ifreq_named(&ifr, ifname);

        memset(li, 0, sizeof(*li));
        if (r < 0)
                return r;
        if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
                return -errno;
        li->index = ifr.ifr_ifindex;
        if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
                return -errno;
        if (ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER) {
                memcpy(li->mac, ifr.ifr_hwaddr.sa_data, 6);
                li->has_mac = true;
        }
        return 0;
}

/* 0 and *li, -ENODEV when there is no such link. */
static int link_get(int fd, const char *ifname, struct link_info *li)
{
        struct nh_nl_msg m;
        int r;

        link_msg(&m, RTM_GETLINK, 0, 0, 0, 0);
        nh_nl_put_str(&m, IFLA_IFNAME, ifname);
        /* Leave the statistics out of the reply: nobody reads them. */
        nh_nl_put_u32(&m, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
        li->index = 0;
        r = nh_nl_talk(fd, &m, link_parse, li);
        if (r == 0 && li->index <= 0)
                r = -ENODEV;
        return r;
}

static int link_create(struct nh_ctx *ctx, int host, int parent_index,
                       int netns_fd, const char *ifname, const uint8_t mac[6])
{
        long long mtu = cfg_int_or(ctx, "mtu", 0);
        struct rtattr *linkinfo, *data;
        struct nh_nl_msg m;

        link_msg(&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, 0, 0);
        /* IFLA_LINK is resolved in the sender's (the host's) namespace, the
         * link is registered in IFLA_NET_NS_FD's. */
        nh_nl_put_str(&m, IFLA_IFNAME, ifname);
        nh_nl_put_u32(&m, IFLA_LINK, (uint32_t) parent_index);
        nh_nl_put(&m, IFLA_ADDRESS, mac, 6);
        nh_nl_put_u32(&m, IFLA_NET_NS_FD, (uint32_t) netns_fd);
        if (mtu > 0)
                nh_nl_put_u32(&m, IFLA_MTU, (uint32_t) mtu);
        linkinfo = nh_nl_nest(&m, IFLA_LINKINFO);
        nh_nl_put_str(&m, IFLA_INFO_KIND, "macvlan");
        data = nh_nl_nest(&m, IFLA_INFO_DATA);
        nh_nl_put_u32(&m, IFLA_MACVLAN_MODE, mode_value(macvlan_mode_str(ctx)));
        nh_nl_nest_end(&m, data);
        nh_nl_nest_end(&m, linkinfo);
        return nh_nl_talk(host, &m, NULL, NULL);
}

static void sleep_ms(unsigned ms)
{
        struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000L };
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

static long long now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Setting a macvlan up fails with EADDRINUSE while another macvlan with its
 * MAC still exists on the parent.  After a namespace with our MAC was
 * deleted (a restart), its macvlan dies asynchronously, 11-58 ms later:
 * wait for it, bounded. */
static int link_set_up(struct nh_ctx *ctx, int fd, int ifindex, const char *ifname,
                       long long wait_ms)
{
        long long deadline = now_ms() + wait_ms;
        unsigned pause = 2;
        int r, tries = 0;

        for (;;) {
                struct nh_nl_msg m;
                link_msg(&m, RTM_NEWLINK, 0, ifindex, IFF_UP, IFF_UP);
                r = nh_nl_talk(fd, &m, NULL, NULL);
                tries++;
                if (r != -EADDRINUSE || now_ms() >= deadline)
                        break;
                sleep_ms(pause);
                if (pause < 50)
                        pause *= 2;
        }
        if (r == 0 && tries > 1)
                nh_info(ctx, "%s came up after %d tries: a link with its MAC was still dying", ifname, tries);
        return r;
}

static int inet_len(int family)
{
        return family == AF_INET ? 4 : 16;
}

static void addr_msg(struct nh_nl_msg *m, int ifindex, const struct nh_inet *in)
{
        struct ifaddrmsg ifa = {
                .ifa_family = (uint8_t) in->family,
                .ifa_prefixlen = (uint8_t) in->prefixlen,
                .ifa_scope = RT_SCOPE_UNIVERSE,
                .ifa_index = (uint32_t) ifindex,
        };
        nh_nl_msg_init(m, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, &ifa, sizeof(ifa));
        nh_nl_put(m, IFA_LOCAL, in->addr.bytes, (size_t) inet_len(in->family));
        nh_nl_put(m, IFA_ADDRESS, in->addr.bytes, (size_t) inet_len(in->family));
}

/* A default route through gw, onlink: the gateway need not be inside one of
 * the configured prefixes (as with a /32 address or a gateway outside the
 * IPv6 prefix). */
static void route_msg(struct nh_nl_msg *m, int ifindex, const struct nh_inet *gw)
{
        struct rtmsg rtm = {
                .rtm_family = (uint8_t) gw->family,
                .rtm_dst_len = 0,
                .rtm_table = RT_TABLE_MAIN,
                .rtm_protocol = RTPROT_STATIC,
                .rtm_scope = RT_SCOPE_UNIVERSE,
                .rtm_type = RTN_UNICAST,
                .rtm_flags = RTNH_F_ONLINK,
        };
        nh_nl_msg_init(m, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, &rtm, sizeof(rtm));
        nh_nl_put(m, RTA_GATEWAY, gw->addr.bytes, (size_t) inet_len(gw->family));
        nh_nl_put_u32(m, RTA_OIF, (uint32_t) ifindex);
}

static int hook_path(struct nh_ctx *ctx, const char *suffix, char *out, size_t len)
{
        int n = snprintf(out, len, "%s/ns/%s-%s", nh_config_dir(ctx), nh_namespace(ctx), suffix);
        return n < 0 || (size_t) n >= len ? -ENAMETOOLONG : 0;
}

static int run_hook(struct nh_ctx *ctx, const char *suffix, const char *ifname)
{
        const char *args[] = { ifname, NULL };
        char path[PATH_MAX];
        int r;

        r = hook_path(ctx, suffix, path, sizeof(path));
        if (r < 0) {
                nh_err(ctx, "Path of hook %s is too long", suffix);
                return r;
        }
        r = nh_run_hook(ctx, path, args, NULL);
        if (r > 0) {
                /* The core has logged the hook's status and output. */
                nh_err(ctx, "Hook %s failed; taking %s down again", suffix, ifname);
                return -ECANCELED;
        }
        if (r < 0)
                nh_err(ctx, "Failed to run hook %s: %s", path, strerror(-r));
        return r;
}

static int parent_lookup(struct nh_ctx *ctx, int host, const char *parent,
                         struct link_info *ret)
{
        int r = parent_get(host, parent, ret);

        if (r == -ENODEV)
                nh_err(ctx, "Parent interface %s does not exist on the host; create it or "
                       "correct \"parent:\" (PARENT_IF)", parent);
        else if (r < 0)
                nh_err(ctx, "Failed to look up parent interface %s: %s", parent, strerror(-r));
        return r;
}

/* The static addresses, then the default routes, in one batch: the kernel
 * answers each in order, so an error still names its own.  NLM_F_REPLACE:
 * putting back what is there already is fine (after the link went down and
 * up, the kernel has dropped the routes and the IPv6 addresses). */
static int configure_addresses(struct nh_ctx *ctx, int sk, int ifindex, const char *ifname)
{
        int r;

        static struct nh_nl_msg msgs[NH_NL_BATCH_MAX];
        struct nh_nl_msg *batch[NH_NL_BATCH_MAX];
        char what[NH_NL_BATCH_MAX][112];
        int errs[NH_NL_BATCH_MAX];
        size_t nmsg = 0;
        static const char *const akeys[] = { "address4", "address6" };
        for (size_t k = 0; k < 2; k++)
                for (size_t i = 0, n = nh_cfg_count(ctx, akeys[k]); i < n; i++) {
                        struct nh_inet in;
                        char a[64];
                        r = nh_cfg_inet(ctx, akeys[k], i, &in);
                        if (r <= 0) {
                                nh_err(ctx, "Invalid %s value %s", akeys[k], nh_cfg_get(ctx, akeys[k], i));
                                r = -EINVAL;
                                return r;
                        }
                        if (nmsg == NH_NL_BATCH_MAX - 2) {
                                nh_err(ctx, "Too many addresses: at most %d", NH_NL_BATCH_MAX - 2);
                                r = -E2BIG;
                                return r;
                        }
                        nh_inet_format(&in, true, a, sizeof(a));
                        snprintf(what[nmsg], sizeof(what[nmsg]), "add address %s to", a);
                        addr_msg(&msgs[nmsg], ifindex, &in);
                        batch[nmsg] = &msgs[nmsg];
                        nmsg++;
                }
        static const char *const gkeys[] = { "gateway4", "gateway6" };
        for (size_t k = 0; k < 2; k++) {
                struct nh_inet gw;
                char a[64];
                r = nh_cfg_inet(ctx, gkeys[k], 0, &gw);
                if (r == 0)
                        continue;
                if (r < 0) {
                        nh_err(ctx, "Invalid %s value", gkeys[k]);
                        return r;
                }
                nh_inet_format(&gw, false, a, sizeof(a));
                snprintf(what[nmsg], sizeof(what[nmsg]), "add default route via %s on", a);
                route_msg(&msgs[nmsg], ifindex, &gw);
                batch[nmsg] = &msgs[nmsg];
                nmsg++;
        }
        r = nh_nl_batch(sk, batch, nmsg, errs);
        if (r < 0)
                nh_err(ctx, "Failed to configure %s inside namespace %s: %s", ifname, nh_namespace(ctx),
                       strerror(-r));
        for (size_t i = 0; r == 0 && i < nmsg; i++)
                if (errs[i] < 0) {
                        r = errs[i];
                        nh_err(ctx, "Failed to %s %s inside namespace %s: %s",
                               what[i], ifname, nh_namespace(ctx), strerror(-r));
                }
        return r;
}

/* ---- verbs ---------------------------------------------------------------- */

/* "dns:" and "search:": the resolv.conf of a namespace with static
 * addresses, written through the core like the DHCP stages' (a record of
 * source "macvlan"); without them its services would read the host's file,
 * whose server the namespace may not reach. */
#define DNS_SOURCE "macvlan"
#define DNS_MAX 16

static int static_dns_check(struct nh_ctx *ctx)
{
        unsigned char buf[sizeof(struct in6_addr)];
        int bad = 0;

        for (size_t i = 0, n = nh_cfg_count(ctx, "dns"); i < n; i++) {
                const char *v = nh_cfg_get(ctx, "dns", i);
                if (!v || (inet_pton(AF_INET, v, buf) != 1 && inet_pton(AF_INET6, v, buf) != 1))
                        bad = nh_cfg_item_error(ctx, "dns", i, "\"%s\" is not an IPv4 or IPv6 address", v ? v : "");
        }
        for (size_t i = 0, n = nh_cfg_count(ctx, "search"); i < n; i++) {
                const char *v = nh_cfg_get(ctx, "search", i);
                if (!v || !nh_dns_name_valid(ctx, v))
                        bad = nh_cfg_item_error(ctx, "search", i, "\"%s\" is not a domain name (letters, digits, "
                                                "'-' and '.'; labels of 1-63 bytes)", v ? v : "");
        }
        if (!bad && (nh_cfg_count(ctx, "dns") > DNS_MAX || nh_cfg_count(ctx, "search") > DNS_MAX))
                bad = nh_cfg_error(ctx, nh_cfg_count(ctx, "dns") > DNS_MAX ? "dns" : "search",
                                   "at most %d entries", DNS_MAX);
        return bad;
}

static int static_dns_set(struct nh_ctx *ctx)
{
        const char *sv[DNS_MAX], *dv[DNS_MAX];
        size_t ns = nh_cfg_count(ctx, "dns"), nd = nh_cfg_count(ctx, "search");

        if (ns == 0 && nd == 0)
                return 0;
        for (size_t i = 0; i < ns && i < DNS_MAX; i++)
                sv[i] = nh_cfg_get(ctx, "dns", i);
        for (size_t i = 0; i < nd && i < DNS_MAX; i++)
                dv[i] = nh_cfg_get(ctx, "search", i);
        return nh_dns_set(ctx, DNS_SOURCE, sv, ns < DNS_MAX ? ns : DNS_MAX, dv, nd < DNS_MAX ? nd : DNS_MAX);
}

/* The stage was started (and not stopped) for this namespace: the
 * "interface" fact names our link. */
static bool macvlan_started(struct nh_ctx *ctx)
{
        const char *fact = nh_fact_get(ctx, NH_FACT_INTERFACE);
        char ifname[IFNAMSIZ];

        macvlan_ifname(ctx, ifname);
        return fact && strcmp(fact, ifname) == 0 && nh_netns_fd(ctx) >= 0;
}

static int macvlan_validate(struct nh_ctx *ctx)
{
        const char *parent = nh_cfg_str(ctx, "parent");
        struct link_info plink;
        uint8_t mac[6];
        int r, bad = 0;

        for (size_t i = 0, n = nh_cfg_count(ctx, "sysctl"); i < n; i++) {
                const char *k = nh_cfg_map_key(ctx, "sysctl", i), *v = nh_cfg_get(ctx, "sysctl", i);
                char path[PATH_MAX];
                if (!k || sysctl_path(k, path, sizeof(path)) < 0)
                        bad = nh_cfg_item_error(ctx, "sysctl", i, "\"%s\" is not a network sysctl name; "
                                                "expected a name under net. as sysctl(8) writes it, e.g. "
                                                "net.ipv6.conf.all.forwarding, or net/ipv6/conf/eth0.100/accept_ra "
                                                "for an interface with dots (no empty, \".\" or \"..\" parts)",
                                                k ? k : "");
                else if (!v || !sysctl_value_valid(v))
                        bad = nh_cfg_item_error(ctx, "sysctl", i, "the value of %s has control characters "
                                                "or is longer than 256 bytes", k);
        }
        bad = bad ? bad : static_dns_check(ctx);
        if (bad)
                return bad;

        r = macvlan_mac(ctx, mac);
        if (r < 0)
                return nh_cfg_error(ctx, "mac", "not a unicast, non-zero MAC address");

        if (!parent)
                return nh_cfg_error(ctx, "parent", "missing; expected the host interface the macvlan attaches to");
        _cleanup_fd_ int host = nh_nl_socket();
        if (host < 0) {
                nh_warn(ctx, "Cannot open a socket to check parent interface %s: %s", parent, strerror(-host));
                return 0;
        }
        r = parent_get(host, parent, &plink);
        if (r == -ENODEV && macvlan_started(ctx)) {
                /* It was there when the stage started: the world changed
                 * (a bridge re-created, a NIC unplugged), not the
                 * configuration.  check() reports the missing link as
                 * drift, and the watcher puts it back when the parent is. */
                nh_cfg_warn(ctx, "parent", "interface %s is gone since the namespace was started; the "
                            "macvlan comes back when it does", parent);
                return 0;
        }
        if (r == -ENODEV)
                return nh_cfg_error(ctx, "parent", "interface %s does not exist on this host; expected an "
                                    "existing interface (ip link show)", parent);
        if (r < 0) {
                nh_warn(ctx, "Cannot check parent interface %s: %s", parent, strerror(-r));
                return 0;
        }
        if (plink.has_mac && memcmp(plink.mac, mac, 6) == 0 && strcmp(macvlan_mode_str(ctx), "passthru") != 0) {
                char m[18];
                mac_str(mac, m);
                return nh_cfg_error(ctx, "mac", "%s is the MAC address of parent %s itself; the kernel refuses "
                                    "it (EADDRINUSE); expected a distinct address", m, parent);
        }
        return 0;
}

static int macvlan_check(struct nh_ctx *ctx);

static int macvlan_start(struct nh_ctx *ctx)
{
        const char *parent = nh_cfg_str(ctx, "parent");
        char ifname[IFNAMSIZ], m[18];
        _cleanup_fd_ int host = -1, sk = -1;
        struct link_info plink;
        uint8_t mac[6];
        int r, netns_fd, parent_index, ifindex;
        bool created = false;

        macvlan_ifname(ctx, ifname);
        r = macvlan_mac(ctx, mac);
        if (r < 0) {
                nh_err(ctx, "Invalid MAC address in the configuration");
                return r;
        }
        mac_str(mac, m);
        if (!parent) {
                nh_err(ctx, "No parent interface configured (parent:, PARENT_IF)");
                return -EINVAL;
        }

        netns_fd = nh_netns_fd(ctx);
        if (netns_fd < 0) {
                nh_err(ctx, "Namespace %s does not exist: start the netns stage first", nh_namespace(ctx));
                return netns_fd;
        }
        host = host_sock(ctx);
        if (host < 0)
                return host;
        sk = ns_sock(ctx);
        if (sk < 0)
                return sk;

        r = parent_lookup(ctx, host, parent, &plink);
        if (r < 0)
                return r;
        parent_index = plink.index;

        r = link_create(ctx, host, parent_index, netns_fd, ifname, mac);
        if (r == -EEXIST && macvlan_check(ctx) == 0) {
                /* Started again over a link that is as configured (a second
                 * "up", a unit restarted): keep it, and the lease and
                 * connections that live on it. */
                nh_info(ctx, "%s is up inside namespace %s as configured; keeping it", ifname, nh_namespace(ctx));
                r = nh_fact_set(ctx, NH_FACT_INTERFACE, ifname);
                if (r >= 0)
                        r = nh_fact_set(ctx, NH_FACT_MAC, m);
                if (r < 0)
                        nh_err(ctx, "Failed to record the interface facts: %s", strerror(-r));
                return r;
        }
        if (r == -EEXIST) {
                /* Starting again over an old link that differs from the
                 * configuration: replace it, so that what runs is what the
                 * configuration says. */
                nh_notice(ctx, "%s exists already inside namespace %s; replacing it", ifname, nh_namespace(ctx));
                r = link_delete(sk, ifname);
                if (r < 0) {
                        nh_err(ctx, "Failed to delete old %s inside namespace %s: %s",
                               ifname, nh_namespace(ctx), strerror(-r));
                        return r;
                }
                r = link_create(ctx, host, parent_index, netns_fd, ifname, mac);
        }
        if (r < 0) {
                nh_err(ctx, "Failed to create macvlan %s (mode %s, MAC %s) on %s inside namespace %s: %s",
                       ifname, macvlan_mode_str(ctx), m, parent, nh_namespace(ctx), strerror(-r));
                return r;
        }
        created = true;

        r = link_index(sk, ifname);
        if (r < 0) {
                nh_err(ctx, "Failed to find the new %s inside namespace %s: %s",
                       ifname, nh_namespace(ctx), strerror(-r));
                goto fail;
        }
        ifindex = r;

        /* Before the link comes up: use_tempaddr and the like must be in
         * force before the first router advertisement can arrive. */
        r = macvlan_sysctls(ctx, ifname);
        if (r < 0)
                goto fail;

        r = nh_fact_set(ctx, NH_FACT_INTERFACE, ifname);
        if (r >= 0)
                r = nh_fact_set(ctx, NH_FACT_MAC, m);
        if (r < 0) {
                nh_err(ctx, "Failed to record the interface facts: %s", strerror(-r));
                goto fail;
        }

        r = run_hook(ctx, "macvlan-preup", ifname);
        if (r < 0)
                goto fail;

        r = link_set_up(ctx, sk, ifindex, ifname, cfg_int_or(ctx, "wait-dying", WAIT_DYING_DEFAULT_MS));
        if (r == -EADDRINUSE) {
                nh_err(ctx, "Failed to set %s up: MAC %s is in use on parent %s (by the parent itself, "
                       "another macvlan, or one of a namespace deleted less than %lld ms ago that is still "
                       "dying). Give this namespace its own \"mac:\", or raise \"wait-dying:\"",
                       ifname, m, parent, cfg_int_or(ctx, "wait-dying", WAIT_DYING_DEFAULT_MS));
                goto fail;
        }
        if (r < 0) {
                nh_err(ctx, "Failed to set %s up inside namespace %s: %s", ifname, nh_namespace(ctx), strerror(-r));
                goto fail;
        }

        r = configure_addresses(ctx, sk, ifindex, ifname);
        if (r < 0)
                goto fail;

        /* Before the post-up hook, so that it resolves names already. */
        r = static_dns_set(ctx);
        if (r < 0)
                goto fail;

        r = run_hook(ctx, "macvlan-postup", ifname);
        if (r < 0)
                goto fail;

        nh_debug(ctx, "macvlan %s (MAC %s) on %s is up inside namespace %s", ifname, m, parent, nh_namespace(ctx));
        return 0;

fail:
        if (created) {
                int q = link_delete(sk, ifname);
                if (q < 0)
                        nh_err(ctx, "Failed to delete %s inside namespace %s after the failure: %s",
                               ifname, nh_namespace(ctx), strerror(-q));
        }
        (void) nh_fact_set(ctx, NH_FACT_INTERFACE, NULL);
        (void) nh_fact_set(ctx, NH_FACT_MAC, NULL);
        (void) nh_dns_clear(ctx, DNS_SOURCE);
        return r;
}

static int macvlan_stop(struct nh_ctx *ctx)
{
        char ifname[IFNAMSIZ], old[IFNAMSIZ] = "";
        const char *fact = nh_fact_get(ctx, NH_FACT_INTERFACE);
        struct link_info li;
        _cleanup_fd_ int sk = -1;
        bool ours;
        int r = 0;

        macvlan_ifname(ctx, ifname);
        ours = !fact || strcmp(fact, ifname) == 0;

        /* The link started under another name (the configuration changed
         * since): the "interface" fact remembers it. */
        if (!ours && strlen(fact) < IFNAMSIZ)
                snprintf(old, sizeof(old), "%s", fact);

        /* No namespace, no link: it went with it.  The namespace removed
         * right after this (down): the link goes with it too, and is left
         * to the kernel.  Deleting it here would cost an RCU grace period
         * (rcu_barrier() in netdev_run_todo(), 20-40 ms here; setting it
         * down alone, 13 ms), one namespace after the other; the kernel's
         * cleanup_net() destroys the links of every namespace deleted
         * together in one batch (50 in about 60 ms in all, measured).  A
         * quick restart with the same MAC meets the dying link as after
         * "ip netns delete": start waits for it (wait-dying). */
        if (nh_namespace_going(ctx))
                ours = true;
        else if (nh_netns_fd(ctx) >= 0) {
                sk = ns_sock(ctx);
                if (sk < 0)
                        return sk;
                if (old[0] && link_get(sk, old, &li) == 0 && strcmp(li.kind, "macvlan") == 0) {
                        nh_notice(ctx, "Deleting %s, the name the macvlan was started with", old);
                        r = link_delete(sk, old);
                        if (r < 0)
                                nh_err(ctx, "Failed to delete %s inside namespace %s: %s",
                                       old, nh_namespace(ctx), strerror(-r));
                        ours = true;
                }
                int q = link_delete(sk, ifname);
                if (q < 0) {
                        nh_err(ctx, "Failed to delete %s inside namespace %s: %s",
                               ifname, nh_namespace(ctx), strerror(-q));
                        r = q;
                }
        } else
                ours = true;
        /* Leave the facts of another stage's uplink (veth) alone. */
        if (ours) {
                (void) nh_fact_set(ctx, NH_FACT_INTERFACE, NULL);
                (void) nh_fact_set(ctx, NH_FACT_MAC, NULL);
        }
        (void) nh_dns_clear(ctx, DNS_SOURCE);
        return r;
}

/* ---- check ----------------------------------------------------------------- */

struct want {
        const struct nh_inet *in;
        int ifindex;
        bool found;
};

static bool same_addr(const struct rtattr *a, const struct nh_inet *in)
{
        return a && nh_nl_len(a) == (size_t) inet_len(in->family) &&
               memcmp(nh_nl_data(a), in->addr.bytes, (size_t) inet_len(in->family)) == 0;
}

static void addr_seen(const struct nlmsghdr *h, void *arg)
{
        const struct rtattr *tb[IFA_MAX + 1];
        const struct ifaddrmsg *ifa;
        struct want *w = arg;

        if (h->nlmsg_type != RTM_NEWADDR || h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
                return;
        ifa = NLMSG_DATA(h);
        nh_nl_parse(h, sizeof(*ifa), tb, IFA_MAX);
        if ((int) ifa->ifa_index == w->ifindex && ifa->ifa_family == w->in->family &&
            ifa->ifa_prefixlen == w->in->prefixlen &&
            same_addr(tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS], w->in))
                w->found = true;
}

static void route_seen(const struct nlmsghdr *h, void *arg)
{
        const struct rtattr *tb[RTA_MAX + 1];
        const struct rtmsg *rtm;
        struct want *w = arg;
        uint32_t table;

        if (h->nlmsg_type != RTM_NEWROUTE || h->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
                return;
        rtm = NLMSG_DATA(h);
        nh_nl_parse(h, sizeof(*rtm), tb, RTA_MAX);
        table = tb[RTA_TABLE] ? nh_nl_u32(tb[RTA_TABLE]) : rtm->rtm_table;
        if (rtm->rtm_family != w->in->family || rtm->rtm_dst_len != 0 || table != RT_TABLE_MAIN)
                return;
        if (tb[RTA_OIF] && (int) nh_nl_u32(tb[RTA_OIF]) == w->ifindex && same_addr(tb[RTA_GATEWAY], w->in))
                w->found = true;
}

static const char *mode_name(uint32_t m)
{
        switch (m) {
        case MACVLAN_MODE_PRIVATE: return "private";
        case MACVLAN_MODE_VEPA: return "vepa";
        case MACVLAN_MODE_BRIDGE: return "bridge";
        case MACVLAN_MODE_PASSTHRU: return "passthru";
        case MACVLAN_MODE_SOURCE: return "source";
        default: return "unknown";
        }
}

static int macvlan_check(struct nh_ctx *ctx)
{
        static const char *const akeys[] = { "address4", "address6" }, *const gkeys[] = { "gateway4", "gateway6" };
        char ifname[IFNAMSIZ], m[18], have[18];
        struct link_info link;
        _cleanup_fd_ int sk = -1;
        uint8_t mac[6];
        long long mtu;
        int r, drift = 0;

        macvlan_ifname(ctx, ifname);
        if (macvlan_mac(ctx, mac) < 0)
                return -EINVAL;
        mac_str(mac, m);
        if (nh_netns_fd(ctx) < 0) {
                nh_notice(ctx, "Namespace %s does not exist, so neither does %s", nh_namespace(ctx), ifname);
                return 1;
        }
        sk = ns_sock(ctx);
        if (sk < 0)
                return sk;
        r = link_get(sk, ifname, &link);
        if (r == -ENODEV) {
                _cleanup_fd_ int host = nh_nl_socket();
                struct link_info plink;
                const char *parent = nh_cfg_str(ctx, "parent");

                if (host >= 0 && parent && parent_get(host, parent, &plink) == -ENODEV)
                        nh_notice(ctx, "%s does not exist inside namespace %s: its parent %s is gone "
                                  "(deleted, or unplugged?)", ifname, nh_namespace(ctx), parent);
                else
                        nh_notice(ctx, "%s does not exist inside namespace %s", ifname, nh_namespace(ctx));
                return 1;
        }
        if (r < 0) {
                nh_err(ctx, "Failed to read %s inside namespace %s: %s", ifname, nh_namespace(ctx), strerror(-r));
                return r;
        }
        if (strcmp(link.kind, "macvlan") != 0) {
                nh_notice(ctx, "%s is a %s link, not a macvlan", ifname, link.kind[0] ? link.kind : "plain");
                drift = 1;
        } else if (!link.has_mode || link.mode != mode_value(macvlan_mode_str(ctx))) {
                nh_notice(ctx, "%s is in mode %s, configured %s", ifname,
                          link.has_mode ? mode_name(link.mode) : "unknown", macvlan_mode_str(ctx));
                drift = 1;
        }
        if (!link.has_mac || memcmp(link.mac, mac, 6) != 0) {
                if (link.has_mac)
                        mac_str(link.mac, have);
                else
                        snprintf(have, sizeof(have), "none");
                nh_notice(ctx, "%s has MAC %s, configured %s", ifname, have, m);
                drift = 1;
        }
        if (!(link.flags & IFF_UP)) {
                nh_notice(ctx, "%s is down", ifname);
                drift = 1;
        }
        if (nh_cfg_int(ctx, "mtu", 0, &mtu) == 1 && link.mtu != (unsigned) mtu) {
                nh_notice(ctx, "%s has MTU %u, configured %lld", ifname, link.mtu, mtu);
                drift = 1;
        }

        for (size_t k = 0; k < 2; k++)
                for (size_t i = 0, n = nh_cfg_count(ctx, akeys[k]); i < n; i++) {
                        struct nh_inet in;
                        char str[64];
                        if (nh_cfg_inet(ctx, akeys[k], i, &in) <= 0)
                                continue;
                        struct want w = { &in, link.index, false };
                        r = nh_nl_dump(sk, RTM_GETADDR, (uint8_t) in.family, addr_seen, &w);
                        if (r < 0) {
                                nh_err(ctx, "Failed to read the addresses inside namespace %s: %s",
                                       nh_namespace(ctx), strerror(-r));
                                return r;
                        }
                        if (!w.found) {
                                nh_inet_format(&in, true, str, sizeof(str));
                                nh_notice(ctx, "%s lacks address %s", ifname, str);
                                drift = 1;
                        }
                }
        for (size_t k = 0; k < 2; k++) {
                struct nh_inet gw;
                char str[64];
                if (nh_cfg_inet(ctx, gkeys[k], 0, &gw) <= 0)
                        continue;
                struct want w = { &gw, link.index, false };
                r = nh_nl_dump(sk, RTM_GETROUTE, (uint8_t) gw.family, route_seen, &w);
                if (r < 0) {
                        nh_err(ctx, "Failed to read the routes inside namespace %s: %s",
                               nh_namespace(ctx), strerror(-r));
                        return r;
                }
                if (!w.found) {
                        nh_inet_format(&gw, false, str, sizeof(str));
                        nh_notice(ctx, "No default route via %s dev %s", str, ifname);
                        drift = 1;
                }
        }
        return drift;
}

/* ---- watch ------------------------------------------------------------------
 * Why a watcher, and why this one: the kernel deletes a macvlan with its
 * parent (a bridge that the host's network configuration re-creates, a USB
 * NIC unplugged), and drops the static routes and IPv6 addresses of a link
 * set down; nothing puts them back unless something runs.  A long-running
 * macvlan stage (NH_PLUGIN_LONG_RUNNING) would do, but "up" then waits for
 * each stage process to say it is ready: measured with "netns-helper up" of
 * 50 static namespaces, interleaved A/B, 2.4 -> 6.5 ms a namespace (median
 * of 5).  start() stays one-shot, in the caller's process, and the core
 * forks this watcher once the stage is up, without waiting for it: one fork
 * more per namespace.  It follows RTM_NEWLINK/RTM_DELLINK of the parent
 * (in the host's namespace) and of its own link (inside), and repairs. */

struct watch {
        struct nh_ctx *ctx;
        const char *parent;
        char ifname[IFNAMSIZ];
        int parent_index, ifindex;
        bool parent_gone, link_down;
        bool reconcile, readd;
};

static void on_host_link(const struct nh_nl_link_event *ev, void *arg)
{
        struct watch *w = arg;

        if ((ev->type == RTM_DELLINK && ev->index == w->parent_index) ||
            (ev->type == RTM_NEWLINK && strcmp(ev->name, w->parent) == 0 &&
             (w->parent_gone || ev->index != w->parent_index)))
                w->reconcile = true;
}

static void on_ns_link(const struct nh_nl_link_event *ev, void *arg)
{
        struct watch *w = arg;
        bool up = (ev->flags & IFF_UP) && (ev->flags & IFF_RUNNING);

        if (ev->index != w->ifindex)
                return;
        if (ev->type == RTM_DELLINK)
                w->reconcile = true;
        else if (!up)
                w->link_down = true;
        else if (w->link_down) {
                w->link_down = false;
                w->readd = true;
        }
}

/* Makes what is there match what start() made: the link re-created when
 * it is gone and its parent is there, the addresses and routes put back.
 * 0, or -errno to try again later. */
static int watch_reconcile(struct watch *w, int host, int sk)
{
        struct nh_ctx *ctx = w->ctx;
        struct link_info plink;
        int r;

        r = parent_get(host, w->parent, &plink);
        if (r == -ENODEV) {
                if (!w->parent_gone)
                        nh_notice(ctx, "Parent %s is gone (deleted, or unplugged?), and %s with it; "
                                  "waiting for it to come back", w->parent, w->ifname);
                w->parent_gone = true;
                w->parent_index = 0;
                return 0;
        }
        if (r < 0)
                return r;
        w->parent_index = plink.index;
        r = link_index(sk, w->ifname);
        if (r > 0) {
                w->ifindex = r;
                w->parent_gone = false;
                return configure_addresses(ctx, sk, w->ifindex, w->ifname);
        }
        /* start() again: the link with its MAC, sysctls, hooks, addresses
         * and routes, and the facts. */
        r = macvlan_start(ctx);
        if (r < 0)
                return r;
        r = link_index(sk, w->ifname);
        if (r < 0)
                return r;
        w->ifindex = r;
        w->link_down = false;
        nh_notice(ctx, "%s re-created on %s%s", w->ifname, w->parent,
                  w->parent_gone ? ", which is back" : "");
        w->parent_gone = false;
        return 0;
}

/* The host's link events a watcher needs: RTM_NEWLINK of the parent comes
 * each time a macvlan is added to it or removed (NETDEV_CHANGEUPPER), so
 * with a watcher per namespace on one parent, bringing up N namespaces
 * would wake every watcher for every new one: the kernel drops those.
 * Netlink is host byte order, BPF loads are big-endian: constants swapped
 * (a little-endian host, as every one this runs on; elsewhere the filter
 * only passes more). */
static void host_events_filter(int fd, int parent_index)
{
        struct sock_filter code[] = {
                BPF_STMT(BPF_LD + BPF_H + BPF_ABS, offsetof(struct nlmsghdr, nlmsg_type)),
                BPF_JUMP(BPF_JMP + BPF_JEQ + BPF_K, __builtin_bswap16(RTM_NEWLINK), 0, 3),
                BPF_STMT(BPF_LD + BPF_W + BPF_ABS, NLMSG_LENGTH(0) + offsetof(struct ifinfomsg, ifi_index)),
                BPF_JUMP(BPF_JMP + BPF_JEQ + BPF_K, __builtin_bswap32((uint32_t) parent_index), 0, 1),
                BPF_STMT(BPF_RET + BPF_K, 0),
                BPF_STMT(BPF_RET + BPF_K, 0xffff),
        };
        struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

        if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && parent_index > 0)
                (void) setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

static int macvlan_watch(struct nh_ctx *ctx)
{
        struct watch w = { .ctx = ctx, .parent = nh_cfg_str(ctx, "parent") };
        _cleanup_fd_ int host = -1, sk = -1, host_ev = -1, ns_ev = -1;
        struct nh_nswatch nsw = { .fd = -1 };
        struct link_info plink;
        int r, stop_fd = nh_stop_fd(ctx), retry_ms = -1;

        if (!w.parent)
                return -EINVAL;
        macvlan_ifname(ctx, w.ifname);
        host = nh_nl_socket();
        host_ev = nh_nl_socket();
        sk = nh_socket(ctx, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
        ns_ev = nh_socket(ctx, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
        r = host < 0 ? host : host_ev < 0 ? host_ev : sk < 0 ? sk : ns_ev;
        if (r >= 0 && (r = nh_nl_link_events_join(host_ev)) >= 0)
                r = nh_nl_link_events_join(ns_ev);
        if (r < 0) {
                nh_err(ctx, "Cannot follow %s and its parent %s: %s", w.ifname, w.parent, strerror(-r));
                return r;
        }
        (void) nh_nswatch_open(&nsw, nh_namespace(ctx), nh_netns_fd(ctx));
        /* What start() left, and what changed since. */
        if (parent_get(host, w.parent, &plink) == 0)
                w.parent_index = plink.index;
        w.ifindex = link_index(sk, w.ifname);
        host_events_filter(host_ev, w.parent_index);
        /* Gone since start() made them (before the sockets above listened):
         * two ioctls tell, and nothing more is done at a normal start. */
        w.reconcile = w.parent_index <= 0 || w.ifindex <= 0;

        for (;;) {
                struct pollfd p[4] = {
                        { .fd = stop_fd, .events = POLLIN }, { .fd = host_ev, .events = POLLIN },
                        { .fd = ns_ev, .events = POLLIN }, { .fd = nsw.fd, .events = POLLIN },
                };
                int k;

                if (w.reconcile) {
                        int was = w.parent_index;
                        w.reconcile = w.readd = false;
                        r = watch_reconcile(&w, host, sk);
                        if (w.parent_index != was)
                                host_events_filter(host_ev, w.parent_index);
                        /* Failed (the MAC still in use by a dying link,
                         * the parent half made): again in a second. */
                        retry_ms = r < 0 ? 1000 : -1;
                } else if (w.readd) {
                        w.readd = false;
                        if (configure_addresses(ctx, sk, w.ifindex, w.ifname) == 0)
                                nh_info(ctx, "%s is up again: its static addresses and routes are back", w.ifname);
                }
                k = poll(p, 4, retry_ms);
                if (k < 0 && errno != EINTR) {
                        r = -errno;
                        break;
                }
                if (k == 0)
                        w.reconcile = true;
                if (k <= 0)
                        continue;
                if (p[0].revents) {
                        r = 0;
                        break;
                }
                if (p[3].revents && nh_nswatch_gone(&nsw)) {
                        nh_notice(ctx, "Namespace %s was deleted from outside: no more links to keep",
                                  nh_namespace(ctx));
                        r = 0;
                        break;
                }
                /* Lost notifications (-ENOBUFS): look at everything again. */
                if (p[1].revents && nh_nl_link_events_each(host_ev, on_host_link, &w) < 0)
                        w.reconcile = true;
                if (p[2].revents && nh_nl_link_events_each(ns_ev, on_ns_link, &w) < 0)
                        w.reconcile = true;
        }
        nh_nswatch_close(&nsw);
        return r;
}

NH_PLUGIN_DEFINE(
        .name = "macvlan",
        .stage = "macvlan",
        .version = NH_STAGE_VERSION,
        .description = "a macvlan on a host interface, created inside the namespace, static addresses and gateways",
        .order = NH_ORDER_MACVLAN,
        .flags = NH_PLUGIN_NEEDS_NETNS,
        .keys = macvlan_keys,
        .validate = macvlan_validate,
        .start = macvlan_start,
        .stop = macvlan_stop,
        .check = macvlan_check,
        .watch = macvlan_watch,
);
