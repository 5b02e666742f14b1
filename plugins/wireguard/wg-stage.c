/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The WireGuard stage, whichever implementation makes the device.
 *
 * The pattern is the one WireGuard documents for namespaces
 * (https://www.wireguard.com/netns/): the tunnel interface lives in the
 * namespace, its encrypted UDP socket stays in the namespace where the
 * interface was born (the host's, or birth-namespace:).  The namespace
 * then has no other interface and, by construction, no other route: every
 * AllowedIPs prefix goes through the tunnel, and a family the provider's
 * file gives no address of gets an unreachable default, so that it is
 * blocked rather than left to whatever else might appear.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <netns-helper/sdk.h>
#include "wg-stage.h"

#define SOURCE "wireguard"
#define DEFAULT_TIMEOUT_S 20
/* While waiting for the first handshake, a peer without
 * PersistentKeepalive gets this one: setting it makes WireGuard send a
 * keepalive at once, which starts the handshake without any traffic from
 * the namespace (wg(8): "persistent-keepalive"). */
#define KICK_KEEPALIVE_S 25

/* ---- namespaces ------------------------------------------------------- */

int wg_enter(struct wg_run *r, int nsfd)
{
        return setns(nsfd, CLONE_NEWNET) < 0 ? -errno : 0;
}

int wg_leave(struct wg_run *r)
{
        return setns(nh_host_netns_fd(r->ctx), CLONE_NEWNET) < 0 ? -errno : 0;
}

int wg_rtnl_socket_in(struct wg_run *r, int nsfd)
{
        int fd, k;

        if (nsfd < 0)
                return nsfd;
        k = wg_enter(r, nsfd);
        if (k < 0)
                return k;
        fd = nh_nl_socket();
        k = wg_leave(r);
        if (k < 0) {
                if (fd >= 0)
                        close(fd);
                return k;
        }
        return fd;
}

struct index_reply { int index; };

static void index_cb(const struct nlmsghdr *h, void *arg)
{
        struct index_reply *x = arg;

        if (h->nlmsg_type == RTM_NEWLINK && h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct ifinfomsg)))
                x->index = ((const struct ifinfomsg *) NLMSG_DATA(h))->ifi_index;
}

int wg_link_index(int fd, const char *name)
{
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
        struct index_reply x = { 0 };
        struct nh_nl_msg m;
        int k;

        nh_nl_msg_init(&m, RTM_GETLINK, 0, &ifi, sizeof(ifi));
        nh_nl_put_str(&m, IFLA_IFNAME, name);
        k = nh_nl_talk(fd, &m, index_cb, &x);
        if (k < 0)
                return k;
        return x.index > 0 ? x.index : -ENODEV;
}

int wg_link_delete_in_ns(struct wg_run *r)
{
        int nsfd = nh_netns_fd(r->ctx), fd, k;
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
        struct nh_nl_msg m;

        if (nsfd < 0)
                return 0;       /* the namespace, and the link in it, are gone */
        fd = wg_rtnl_socket_in(r, nsfd);
        if (fd < 0)
                return fd;
        nh_nl_msg_init(&m, RTM_DELLINK, 0, &ifi, sizeof(ifi));
        nh_nl_put_str(&m, IFLA_IFNAME, r->ifname);
        k = nh_nl_talk(fd, &m, NULL, NULL);
        close(fd);
        return k == -ENODEV ? 0 : k;
}

static bool ns_name_ok(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || n > 64 || s[0] == '-' || s[0] == '.' || strstr(s, ".."))
                return false;
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                      *s == '_' || *s == '-' || *s == '.'))
                        return false;
        return true;
}

/* The birth namespace's fd: the host's (the core's), or /run/netns/NAME. */
static int open_birth(struct wg_run *r)
{
        char path[128];
        int fd;

        if (!r->birth_ns[0]) {
                r->birth_fd = nh_host_netns_fd(r->ctx);
                return 0;
        }
        snprintf(path, sizeof(path), "/run/netns/%s", r->birth_ns);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                int e = errno;
                nh_err(r->ctx, "The birth namespace %s does not exist (%s: %s); bring it up first "
                       "(netns-helper up %s), or remove birth-namespace:", r->birth_ns, path, strerror(e), r->birth_ns);
                return -e;
        }
        r->birth_fd = fd;
        return 0;
}

static void close_birth(struct wg_run *r)
{
        if (r->birth_ns[0] && r->birth_fd >= 0)
                close(r->birth_fd);
        r->birth_fd = -1;
}

/* ---- reading the configuration ----------------------------------------- */

/* A file that holds a private key: root's, and nobody else may read it. */
static int check_secret_file(struct nh_ctx *ctx, const char *key, const char *path, const struct stat *st)
{
        if (st->st_uid != 0)
                return nh_cfg_error(ctx, key, "%s holds a private key but belongs to uid %u, not root; run: chown root:root %s",
                                    path, (unsigned) st->st_uid, path);
        if (st->st_mode & 0077)
                return nh_cfg_error(ctx, key, "%s holds a private key but is open to others (mode %04o); run: chmod 600 %s",
                                    path, (unsigned) (st->st_mode & 07777), path);
        return 0;
}

static int read_small(struct nh_ctx *ctx, const char *key, const char *path, char **out, size_t *len, struct stat *st)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY), e;
        ssize_t n;
        char *buf;

        if (fd < 0) {
                e = errno;
                return nh_cfg_error(ctx, key, "cannot open %s: %s", path, strerror(e));
        }
        if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
                close(fd);
                return nh_cfg_error(ctx, key, "%s is not a regular file", path);
        }
        if (st->st_size > WG_MAX_FILE) {
                close(fd);
                return nh_cfg_error(ctx, key, "%s is larger than %d bytes: not a WireGuard file", path, WG_MAX_FILE);
        }
        buf = malloc(WG_MAX_FILE + 1);
        if (!buf) {
                close(fd);
                return -ENOMEM;
        }
        n = read(fd, buf, WG_MAX_FILE + 1);
        e = errno;
        close(fd);
        if (n < 0 || n > WG_MAX_FILE) {
                free(buf);
                return nh_cfg_error(ctx, key, "cannot read %s: %s", path, n < 0 ? strerror(e) : "too large");
        }
        buf[n] = '\0';
        *out = buf;
        *len = (size_t) n;
        return 0;
}

static int parse_key_text(struct nh_ctx *ctx, const char *key, const char *where, const char *text,
                          uint8_t out[WG_KEY_BYTES])
{
        char b[64];
        size_t n;

        while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
                text++;
        n = strcspn(text, " \t\r\n");
        if (n >= sizeof(b) || text[n + strspn(text + n, " \t\r\n")] != '\0')
                return nh_cfg_error(ctx, key, "%s: expected one base64 key of 44 characters, as \"wg genkey\" prints", where);
        memcpy(b, text, n);
        b[n] = '\0';
        if (wg_key_from_base64(b, out) < 0)
                return nh_cfg_error(ctx, key, "%s: not a key: expected 44 characters of base64 ending in '='", where);
        return 0;
}

/* The section's keys that stop needs, without the provider's file. */
static int load_names(struct nh_ctx *ctx, struct wg_run *r)
{
        const char *v;
        long long t = DEFAULT_TIMEOUT_S;

        r->ctx = ctx;
        r->birth_fd = -1;
        r->pidfd = r->out_fd = -1;
        v = nh_cfg_str(ctx, "name");
        snprintf(r->ifname, sizeof(r->ifname), "%s", v ? v : "wg0");
        /* Unique per namespace: it is made in a namespace all of them share. */
        nh_ifname_from_ns("wg-", nh_namespace(ctx), r->birth_name);
        v = nh_cfg_str(ctx, "birth-namespace");
        if (v) {
                if (!ns_name_ok(v))
                        return nh_cfg_error(ctx, "birth-namespace", "\"%s\" is not a namespace name (letters, digits, '_', '-', '.')", v);
                if (strcmp(v, nh_namespace(ctx)) == 0)
                        return nh_cfg_error(ctx, "birth-namespace",
                                            "the tunnel's UDP socket cannot live in the namespace it protects; name another one");
                snprintf(r->birth_ns, sizeof(r->birth_ns), "%s", v);
        }
        (void) nh_cfg_int(ctx, "timeout", 0, &t);
        r->timeout_s = (int) t;
        r->dns = nh_cfg_bool_or(ctx, "dns", true);
        r->nsswitch = nh_cfg_bool_or(ctx, "nsswitch", true);
        v = nh_cfg_str(ctx, "wireguard-go");
        snprintf(r->program, sizeof(r->program), "%s", v ? v : "/usr/bin/wireguard-go");
        return 0;
}

/* Reads the provider's file and the keys; every mistake names the file,
 * line and key.  r->conf is allocated. */
static int load(struct nh_ctx *ctx, const struct wg_backend *be, struct wg_run *r)
{
        const char *cfg = nh_cfg_str(ctx, "config"), *inline_key = nh_cfg_str(ctx, "private-key");
        const char *key_file = nh_cfg_str(ctx, "private-key-file");
        struct wg_error err;
        struct stat st;
        char *buf = NULL;
        size_t len;
        int k;

        memset(r, 0, sizeof(*r));
        r->be = be;
        k = load_names(ctx, r);
        if (k < 0)
                return k;
        if (!cfg)
                return nh_cfg_error(ctx, NULL, "no config: name the wg-quick file of the VPN provider, e.g. "
                                    "wireguard: {config: ns/%s-wg.conf}", nh_namespace(ctx));
        if (cfg[0] == '/')
                snprintf(r->config_path, sizeof(r->config_path), "%s", cfg);
        else
                snprintf(r->config_path, sizeof(r->config_path), "%s/%s", nh_config_dir(ctx), cfg);
        r->conf = calloc(1, sizeof(*r->conf));
        if (!r->conf)
                return -ENOMEM;
        k = read_small(ctx, "config", r->config_path, &buf, &len, &st);
        if (k < 0)
                return k;
        k = wg_conf_parse(buf, len, ctx->api->dns_name_valid, r->conf, &err);
        free(buf);
        if (k < 0) {
                if (err.line)
                        return nh_cfg_error(ctx, "config", "%s:%u: %s%s%s", r->config_path, err.line, err.key,
                                            err.key[0] ? ": " : "", err.msg);
                return nh_cfg_error(ctx, "config", "%s: %s%s%s", r->config_path, err.key, err.key[0] ? ": " : "", err.msg);
        }
        if (r->conf->has_secret && (k = check_secret_file(ctx, "config", r->config_path, &st)) < 0)
                return k;

        if ((inline_key || key_file) && r->conf->has_private_key)
                return nh_cfg_error(ctx, inline_key ? "private-key" : "private-key-file",
                                    "%s:%u already has a PrivateKey; give the key in one place only",
                                    r->config_path, r->conf->private_key_line);
        if (inline_key && key_file)
                return nh_cfg_error(ctx, "private-key-file", "private-key is given too; give the key in one place only");
        if (inline_key) {
                const char *file = nh_cfg_file(ctx);

                k = parse_key_text(ctx, "private-key", "private-key", inline_key, r->conf->private_key);
                if (k < 0)
                        return k;
                if (file) {
                        if (stat(file, &st) < 0)
                                return nh_cfg_error(ctx, "private-key", "cannot check %s: %s", file, strerror(errno));
                        k = check_secret_file(ctx, "private-key", file, &st);
                        if (k < 0)
                                return k;
                }
                r->conf->has_private_key = true;
        }
        if (key_file) {
                k = read_small(ctx, "private-key-file", key_file, &buf, &len, &st);
                if (k < 0)
                        return k;
                k = check_secret_file(ctx, "private-key-file", key_file, &st);
                if (k >= 0)
                        k = parse_key_text(ctx, "private-key-file", key_file, buf, r->conf->private_key);
                memset(buf, 0, len);
                free(buf);
                if (k < 0)
                        return k;
                r->conf->has_private_key = true;
        }
        if (!r->conf->has_private_key)
                return nh_cfg_error(ctx, "config", "%s has no PrivateKey in [Interface]; add it there, or set "
                                    "private-key-file:", r->config_path);
        {
                bool any = false;
                for (size_t i = 0; i < r->conf->n_peers; i++)
                        any = any || r->conf->peers[i].has_endpoint;
                if (!any)
                        return nh_cfg_error(ctx, "config", "%s: no [Peer] has an Endpoint: the namespace must "
                                            "reach its VPN server", r->config_path);
        }
        for (size_t i = 0; i < r->conf->n_peers; i++) {
                const struct wg_peer *p = &r->conf->peers[i];
                r->keepalive[i] = p->keepalive > 0 ? p->keepalive : 0;
                if (p->has_endpoint && p->keepalive <= 0) {
                        r->keepalive[i] = KICK_KEEPALIVE_S;
                        r->keepalive_temporary = true;
                }
        }
        return 0;
}

static void run_free(struct wg_run *r)
{
        if (r->conf) {
                memset(r->conf, 0, sizeof(*r->conf));   /* keys */
                free(r->conf);
                r->conf = NULL;
        }
        close_birth(r);
}

int wg_stage_validate(struct nh_ctx *ctx, const struct wg_backend *be)
{
        struct wg_run r;
        int k = load(ctx, be, &r);

        run_free(&r);
        return k;
}

/* ---- endpoints ---------------------------------------------------------- */

static const char *peer_name(const struct wg_peer *p, char out[45])
{
        wg_key_to_base64(p->public_key, out);
        return out;
}

static const char *sockaddr_str(const struct sockaddr_storage *ss, char *buf, size_t len)
{
        char a[INET6_ADDRSTRLEN] = "?";

        if (ss->ss_family == AF_INET) {
                const struct sockaddr_in *s = (const void *) ss;
                inet_ntop(AF_INET, &s->sin_addr, a, sizeof(a));
                snprintf(buf, len, "%s:%u", a, ntohs(s->sin_port));
        } else {
                const struct sockaddr_in6 *s = (const void *) ss;
                inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof(a));
                snprintf(buf, len, "[%s]:%u", a, ntohs(s->sin6_port));
        }
        return buf;
}

/* Names are resolved in the birth namespace: that is where the UDP
 * socket sends from, and the namespace itself has no way out yet. */
static int resolve_endpoints(struct wg_run *r)
{
        int k = 0;

        if (r->birth_ns[0] && (k = wg_enter(r, r->birth_fd)) < 0) {
                nh_err(r->ctx, "Cannot enter the birth namespace %s: %s", r->birth_ns, strerror(-k));
                return k;
        }
        for (size_t i = 0; i < r->conf->n_peers && k >= 0; i++) {
                struct wg_peer *p = &r->conf->peers[i];
                struct addrinfo hints = { .ai_socktype = SOCK_DGRAM, .ai_flags = AI_ADDRCONFIG }, *res = NULL;
                char port[8];
                int g;

                if (!p->has_endpoint)
                        continue;
                snprintf(port, sizeof(port), "%u", p->endpoint_port);
                g = getaddrinfo(p->endpoint_host, port, &hints, &res);
                if (g == EAI_ADDRFAMILY || g == EAI_NONAME) {
                        /* AI_ADDRCONFIG hides literals of a family with no
                         * address here yet; ask again without it. */
                        hints.ai_flags = 0;
                        g = getaddrinfo(p->endpoint_host, port, &hints, &res);
                }
                if (g != 0 || !res) {
                        nh_err(r->ctx, "%s:%u: Endpoint %s: cannot resolve %s in %s: %s", r->config_path,
                               p->endpoint_line, p->endpoint_host, p->endpoint_host,
                               r->birth_ns[0] ? r->birth_ns : "the host's namespace", gai_strerror(g));
                        k = -EHOSTUNREACH;
                        break;
                }
                memcpy(&p->endpoint, res->ai_addr, res->ai_addrlen);
                p->endpoint_len = res->ai_addrlen;
                freeaddrinfo(res);
        }
        if (r->birth_ns[0]) {
                int l = wg_leave(r);
                if (l < 0 && k >= 0)
                        k = l;
        }
        return k;
}

/* ---- the tunnel inside the namespace ---------------------------------- */

struct want_route {
        struct wg_prefix dst;
        bool unreachable;
};

/* The routes the namespace gets: every AllowedIPs prefix of a family the
 * file has an address of, through the tunnel; an unreachable default for a
 * family without a default through the tunnel. */
static size_t wanted_routes(const struct wg_conf *c, struct want_route *out, size_t max)
{
        size_t n = 0;
        bool dflt[2] = { false, false };

        for (size_t i = 0; i < c->n_peers; i++)
                for (size_t j = 0; j < c->peers[i].n_allowed; j++) {
                        const struct wg_prefix *a = &c->peers[i].allowed[j];
                        bool dup = false;

                        if (!wg_conf_has_family(c, a->family))
                                continue;
                        for (size_t x = 0; x < n; x++)
                                dup = dup || (out[x].dst.family == a->family && out[x].dst.prefixlen == a->prefixlen &&
                                              memcmp(out[x].dst.addr, a->addr, 16) == 0);
                        if (dup || n >= max)
                                continue;
                        out[n].dst = *a;
                        out[n++].unreachable = false;
                        if (a->prefixlen == 0)
                                dflt[a->family == AF_INET6] = true;
                }
        for (int f = 0; f < 2 && n < max; f++)
                if (!dflt[f]) {
                        memset(&out[n], 0, sizeof(out[n]));
                        out[n].dst.family = f ? AF_INET6 : AF_INET;
                        out[n++].unreachable = true;
                }
        return n;
}

static void route_msg(struct nh_nl_msg *m, uint16_t type, uint16_t flags, const struct want_route *w, int ifindex)
{
        struct rtmsg rt = {
                .rtm_family = (unsigned char) w->dst.family,
                .rtm_dst_len = (unsigned char) w->dst.prefixlen,
                .rtm_table = RT_TABLE_MAIN,
                .rtm_protocol = RTPROT_STATIC,
                .rtm_scope = w->unreachable ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK,
                .rtm_type = w->unreachable ? RTN_UNREACHABLE : RTN_UNICAST,
        };

        nh_nl_msg_init(m, type, flags, &rt, sizeof(rt));
        if (w->dst.prefixlen)
                nh_nl_put(m, RTA_DST, w->dst.addr, w->dst.family == AF_INET ? 4 : 16);
        if (!w->unreachable)
                nh_nl_put_u32(m, RTA_OIF, (uint32_t) ifindex);
}

static int setup_link(struct wg_run *r)
{
        const struct wg_conf *c = r->conf;
        struct want_route routes[WG_MAX_PEERS * WG_MAX_ALLOWED + 2];
        size_t n;
        int fd, ifindex, k;
        char buf[64];

        fd = wg_rtnl_socket_in(r, nh_netns_fd(r->ctx));
        if (fd < 0) {
                nh_err(r->ctx, "Cannot open a netlink socket in namespace %s: %s", nh_namespace(r->ctx), strerror(-fd));
                return fd;
        }
        ifindex = wg_link_index(fd, r->ifname);
        if (ifindex < 0) {
                nh_err(r->ctx, "The tunnel %s is not in namespace %s: %s", r->ifname, nh_namespace(r->ctx), strerror(-ifindex));
                close(fd);
                return ifindex;
        }
        {
                struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex,
                                         .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
                struct nh_nl_msg m;

                nh_nl_msg_init(&m, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
                if (c->mtu)
                        nh_nl_put_u32(&m, IFLA_MTU, (uint32_t) c->mtu);
                k = nh_nl_talk(fd, &m, NULL, NULL);
                if (k < 0) {
                        nh_err(r->ctx, "Cannot set %s up%s: %s", r->ifname, c->mtu ? " with the file's MTU" : "", strerror(-k));
                        goto out;
                }
        }
        for (size_t i = 0; i < c->n_addrs; i++) {
                const struct wg_prefix *a = &c->addrs[i];
                struct ifaddrmsg ifa = { .ifa_family = (unsigned char) a->family, .ifa_prefixlen = (unsigned char) a->prefixlen,
                                         .ifa_index = (unsigned) ifindex, .ifa_scope = RT_SCOPE_UNIVERSE };
                struct nh_nl_msg m;
                size_t alen = a->family == AF_INET ? 4 : 16;

                nh_nl_msg_init(&m, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, &ifa, sizeof(ifa));
                nh_nl_put(&m, IFA_LOCAL, a->addr, alen);
                nh_nl_put(&m, IFA_ADDRESS, a->addr, alen);
                /* No duplicate address detection on a point-to-point tunnel:
                 * nobody else is on it, and DAD would hold the address back
                 * for a second or two. */
                if (a->family == AF_INET6)
                        nh_nl_put_u32(&m, IFA_FLAGS, IFA_F_NODAD);
                k = nh_nl_talk(fd, &m, NULL, NULL);
                if (k < 0) {
                        nh_err(r->ctx, "%s: Address %s: cannot add it to %s: %s", r->config_path,
                               wg_prefix_str(a, buf, sizeof(buf)), r->ifname, strerror(-k));
                        goto out;
                }
        }
        n = wanted_routes(c, routes, sizeof(routes) / sizeof(routes[0]));
        for (size_t i = 0; i < n; i++) {
                struct nh_nl_msg m;

                route_msg(&m, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, &routes[i], ifindex);
                k = nh_nl_talk(fd, &m, NULL, NULL);
                if (k < 0) {
                        nh_err(r->ctx, "Cannot add the route %s%s%s in namespace %s: %s",
                               routes[i].unreachable ? "unreachable " : "",
                               wg_prefix_str(&routes[i].dst, buf, sizeof(buf)),
                               routes[i].unreachable ? "" : " through the tunnel", nh_namespace(r->ctx), strerror(-k));
                        goto out;
                }
                if (routes[i].unreachable)
                        nh_info(r->ctx, "IPv%c is blocked in namespace %s: %s", routes[i].dst.family == AF_INET ? '4' : '6',
                                nh_namespace(r->ctx),
                                wg_conf_has_family(c, routes[i].dst.family) ? "no AllowedIPs default for it"
                                                                            : "the provider's file has no address of that family");
        }
        k = 0;
out:
        close(fd);
        return k;
}

static int set_dns(struct wg_run *r)
{
        const char *servers[WG_MAX_DNS], *search[WG_MAX_SEARCH];
        int k;

        if (!r->dns || (r->conf->n_dns == 0 && r->conf->n_search == 0))
                return 0;
        for (size_t i = 0; i < r->conf->n_dns; i++)
                servers[i] = r->conf->dns[i];
        for (size_t i = 0; i < r->conf->n_search; i++)
                search[i] = r->conf->search[i];
        k = nh_dns_set(r->ctx, SOURCE, servers, r->conf->n_dns, search, r->conf->n_search);
        if (k < 0) {
                nh_err(r->ctx, "Cannot write the DNS servers of %s into the namespace's resolv.conf: %s",
                       r->config_path, strerror(-k));
                return k;
        }
        if (r->nsswitch) {
                k = nh_dns_nsswitch(r->ctx);
                if (k < 0)
                        nh_warn(r->ctx, "Cannot write the namespace's nsswitch.conf: %s; names may then be looked up "
                                "by the host's systemd-resolved, outside the tunnel", strerror(-k));
        }
        return 0;
}

static void clear_facts(struct wg_run *r)
{
        const char *iface = nh_fact_get(r->ctx, NH_FACT_INTERFACE);

        nh_fact_set(r->ctx, NH_FACT_TUNNEL, NULL);
        if (iface && strcmp(iface, r->ifname) == 0 && nh_fact_get(r->ctx, "wireguard.interface"))
                nh_fact_set(r->ctx, NH_FACT_INTERFACE, NULL);
        nh_fact_set(r->ctx, "wireguard.interface", NULL);
}

/* ---- start: wait for the handshake, then supervise ------------------- */

static uint64_t now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

/* The newest handshake of any peer, seconds since the Epoch; 0: none. */
static int64_t newest_handshake(const struct wg_state *st, size_t *which)
{
        int64_t t = 0;

        for (size_t i = 0; i < st->n_peers; i++)
                if (st->peers[i].last_handshake_sec > t) {
                        t = st->peers[i].last_handshake_sec;
                        if (which)
                                *which = i;
                }
        return t;
}

static const struct wg_peer *conf_peer(const struct wg_conf *c, const uint8_t key[WG_KEY_BYTES])
{
        for (size_t i = 0; i < c->n_peers; i++)
                if (memcmp(c->peers[i].public_key, key, WG_KEY_BYTES) == 0)
                        return &c->peers[i];
        return NULL;
}

static void describe_endpoints(const struct wg_run *r, char *buf, size_t len)
{
        size_t o = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < r->conf->n_peers && o + 1 < len; i++) {
                const struct wg_peer *p = &r->conf->peers[i];
                char a[64];

                if (!p->has_endpoint)
                        continue;
                o += (size_t) snprintf(buf + o, len - o, "%s%s:%u (%s)", o ? ", " : "", p->endpoint_host,
                                       p->endpoint_port, sockaddr_str(&p->endpoint, a, sizeof(a)));
        }
}

/* 1: the namespace is still the one we were started for. */
static bool namespace_alive(struct wg_run *r, const struct stat *orig)
{
        char path[128];
        struct stat st;

        snprintf(path, sizeof(path), "/run/netns/%s", nh_namespace(r->ctx));
        return stat(path, &st) == 0 && st.st_ino == orig->st_ino && st.st_dev == orig->st_dev;
}

static int wait_handshake(struct wg_run *r)
{
        uint64_t start = now_ms(), deadline = start + (uint64_t) r->timeout_s * 1000;
        int stop_fd = nh_stop_fd(r->ctx);

        for (;;) {
                struct wg_state st;
                struct pollfd p[2] = { { .fd = stop_fd, .events = POLLIN },
                                       { .fd = r->be->event_fd(r), .events = POLLIN } };
                uint64_t t;
                int k;

                k = r->be->read_state(r, &st);
                if (k == 0 && newest_handshake(&st, NULL) > 0)
                        return 1;
                t = now_ms();
                if (t >= deadline) {
                        char ep[512];
                        describe_endpoints(r, ep, sizeof(ep));
                        nh_err(r->ctx, "No handshake with the VPN server at %s within %d s (timeout:): nothing came back. "
                               "Check the Endpoint in %s, that UDP to it is allowed from %s, and that the server "
                               "knows this interface's public key (wg pubkey < the private key)",
                               ep, r->timeout_s, r->config_path,
                               r->birth_ns[0] ? r->birth_ns : "the host");
                        return -ETIMEDOUT;
                }
                /* Short: the handshake itself takes about a millisecond. */
                k = poll(p, p[1].fd >= 0 ? 2 : 1, 5);
                if (k < 0 && errno != EINTR)
                        return -errno;
                if (p[0].revents & POLLIN)
                        return 0;       /* asked to stop */
                if (p[1].fd >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)) && (k = r->be->on_event(r)) < 0)
                        return k;
        }
}

static void status_line(struct wg_run *r, char *buf, size_t len)
{
        struct wg_state st;
        size_t which = 0;
        int64_t t;

        if (r->be->read_state(r, &st) < 0 || (t = newest_handshake(&st, &which)) == 0) {
                snprintf(buf, len, "tunnel %s: no handshake yet", r->ifname);
                return;
        }
        {
                const struct wg_peer *p = conf_peer(r->conf, st.peers[which].public_key);
                long long age = (long long) (time(NULL) - t);
                snprintf(buf, len, "tunnel %s up; latest handshake %lld s ago with %s:%u", r->ifname, age < 0 ? 0 : age,
                         p ? p->endpoint_host : "?", p ? p->endpoint_port : 0);
        }
}

static void teardown(struct wg_run *r)
{
        int k;

        r->be->destroy(r);
        k = wg_link_delete_in_ns(r);
        if (k < 0)
                nh_warn(r->ctx, "Cannot delete %s in namespace %s: %s", r->ifname, nh_namespace(r->ctx), strerror(-k));
        nh_dns_clear(r->ctx, SOURCE);
        clear_facts(r);
}

int wg_stage_start(struct nh_ctx *ctx, const struct wg_backend *be)
{
        struct wg_run r;
        struct stat ns_st;
        uint64_t started = now_ms();
        char status[256];
        int k, stop_fd = nh_stop_fd(ctx);
        unsigned ticks = 0;

        k = load(ctx, be, &r);
        if (k < 0)
                goto out;
        if (fstat(nh_netns_fd(ctx), &ns_st) < 0) {
                k = -errno;
                nh_err(ctx, "Namespace %s is not there: %s", nh_namespace(ctx), strerror(-k));
                goto out;
        }
        k = open_birth(&r);
        if (k < 0)
                goto out;
        /* What an earlier start left behind (a killed supervisor). */
        be->stop_leftovers(&r);
        k = resolve_endpoints(&r);
        if (k < 0)
                goto out;
        k = be->create(&r);
        if (k < 0)
                goto out;
        k = be->configure(&r, WG_SET_FULL);
        if (k < 0)
                goto fail;
        k = setup_link(&r);
        if (k < 0)
                goto fail;
        k = set_dns(&r);
        if (k < 0)
                goto fail;
        nh_fact_set(ctx, NH_FACT_TUNNEL, r.ifname);
        {
                const char *uplink = nh_fact_get(ctx, NH_FACT_INTERFACE);
                if (uplink && strcmp(uplink, r.ifname) != 0)
                        nh_warn(ctx, "Namespace %s also has the link %s (an earlier stage's): traffic can leave by it, "
                                "outside the tunnel; for a namespace that reaches the LAN, name it in birth-namespace: "
                                "instead of giving this one a macvlan or veth", nh_namespace(ctx), uplink);
        }
        if (!nh_fact_get(ctx, NH_FACT_INTERFACE)) {
                nh_fact_set(ctx, NH_FACT_INTERFACE, r.ifname);
                nh_fact_set(ctx, "wireguard.interface", "1");
        }
        k = wait_handshake(&r);
        if (k <= 0)
                goto fail;      /* 0: asked to stop before it came */
        if (r.keepalive_temporary) {
                for (size_t i = 0; i < r.conf->n_peers; i++)
                        r.keepalive[i] = r.conf->peers[i].keepalive > 0 ? r.conf->peers[i].keepalive : 0;
                k = be->configure(&r, WG_SET_KEEPALIVE);
                if (k < 0)
                        goto fail;
        }
        status_line(&r, status, sizeof(status));
        nh_info(ctx, "Tunnel %s in namespace %s: first handshake %llu ms after start (%s)", r.ifname,
                nh_namespace(ctx), (unsigned long long) (now_ms() - started), be->name);
        nh_ready(ctx, status);

        for (;;) {
                struct pollfd p[2] = { { .fd = stop_fd, .events = POLLIN }, { .fd = be->event_fd(&r), .events = POLLIN } };
                int n = poll(p, p[1].fd >= 0 ? 2 : 1, 1000);

                if (n < 0 && errno != EINTR) {
                        k = -errno;
                        break;
                }
                if (p[0].revents & POLLIN) {
                        k = 0;
                        break;
                }
                if (p[1].fd >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)) && (k = be->on_event(&r)) < 0)
                        break;
                if (n == 0 && !namespace_alive(&r, &ns_st)) {
                        nh_notice(ctx, "Namespace %s is gone; ending its tunnel", nh_namespace(ctx));
                        k = -ENOENT;
                        break;
                }
                if (n == 0 && ++ticks % 30 == 0) {
                        status_line(&r, status, sizeof(status));
                        nh_status(ctx, status);
                }
        }
fail:
        teardown(&r);
out:
        run_free(&r);
        return k < 0 ? k : 0;
}

int wg_stage_stop(struct nh_ctx *ctx, const struct wg_backend *be)
{
        struct wg_run r;
        int k;

        memset(&r, 0, sizeof(r));
        r.be = be;
        /* Stop works with a configuration broken since the start: only the
         * names are needed. */
        if (load_names(ctx, &r) < 0)
                snprintf(r.ifname, sizeof(r.ifname), "%s", nh_fact_get(ctx, NH_FACT_TUNNEL) ? nh_fact_get(ctx, NH_FACT_TUNNEL) : "wg0");
        be->stop_leftovers(&r);
        /* A namespace removed right after this stage takes its links
         * with it, all in one batch (nh_namespace_going()). */
        k = nh_namespace_going(ctx) ? 0 : wg_link_delete_in_ns(&r);
        if (k < 0) {
                nh_err(ctx, "Cannot delete %s in namespace %s: %s", r.ifname, nh_namespace(ctx), strerror(-k));
                run_free(&r);
                return k;
        }
        nh_dns_clear(ctx, SOURCE);
        clear_facts(&r);
        run_free(&r);
        return 0;
}

/* ---- check --------------------------------------------------------------- */

struct dump_ctx {
        int ifindex;
        const struct wg_conf *c;
        bool addr_found[WG_MAX_ADDRS];
        const struct want_route *routes;
        size_t n_routes;
        bool *route_found;
};

static void addr_cb(const struct nlmsghdr *h, void *arg)
{
        struct dump_ctx *d = arg;
        const struct ifaddrmsg *ifa = NLMSG_DATA(h);
        const struct rtattr *tb[IFA_MAX + 1];

        if (h->nlmsg_type != RTM_NEWADDR || h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)) || (int) ifa->ifa_index != d->ifindex)
                return;
        nh_nl_parse(h, sizeof(*ifa), tb, IFA_MAX);
        {
                const struct rtattr *a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
                if (!a)
                        return;
                for (size_t i = 0; i < d->c->n_addrs; i++) {
                        const struct wg_prefix *w = &d->c->addrs[i];
                        size_t alen = w->family == AF_INET ? 4 : 16;
                        if (w->family == ifa->ifa_family && w->prefixlen == ifa->ifa_prefixlen &&
                            nh_nl_len(a) == alen && memcmp(nh_nl_data(a), w->addr, alen) == 0)
                                d->addr_found[i] = true;
                }
        }
}

static void route_cb(const struct nlmsghdr *h, void *arg)
{
        struct dump_ctx *d = arg;
        const struct rtmsg *rt = NLMSG_DATA(h);
        const struct rtattr *tb[RTA_MAX + 1];
        uint8_t dst[16] = { 0 };

        if (h->nlmsg_type != RTM_NEWROUTE || h->nlmsg_len < NLMSG_LENGTH(sizeof(*rt)) || rt->rtm_table != RT_TABLE_MAIN)
                return;
        nh_nl_parse(h, sizeof(*rt), tb, RTA_MAX);
        if (tb[RTA_DST] && nh_nl_len(tb[RTA_DST]) <= 16)
                memcpy(dst, nh_nl_data(tb[RTA_DST]), nh_nl_len(tb[RTA_DST]));
        for (size_t i = 0; i < d->n_routes; i++) {
                const struct want_route *w = &d->routes[i];
                if (w->dst.family != rt->rtm_family || w->dst.prefixlen != rt->rtm_dst_len ||
                    memcmp(w->dst.addr, dst, w->dst.family == AF_INET ? 4 : 16) != 0)
                        continue;
                if (w->unreachable ? rt->rtm_type == RTN_UNREACHABLE
                                   : (rt->rtm_type == RTN_UNICAST && (int) nh_nl_u32(tb[RTA_OIF]) == d->ifindex))
                        d->route_found[i] = true;
        }
}

int wg_stage_check(struct nh_ctx *ctx, const struct wg_backend *be)
{
        struct want_route routes[WG_MAX_PEERS * WG_MAX_ALLOWED + 2];
        bool route_found[WG_MAX_PEERS * WG_MAX_ALLOWED + 2] = { false };
        struct dump_ctx d = { 0 };
        struct wg_state st;
        struct wg_run r;
        int k, fd = -1, drift = 0;
        char buf[64];

        k = load(ctx, be, &r);
        if (k < 0)
                goto out;
        if (nh_netns_fd(ctx) < 0) {
                nh_notice(ctx, "Namespace %s is gone, and with it the tunnel %s", nh_namespace(ctx), r.ifname);
                k = 1;
                goto out;
        }
        fd = wg_rtnl_socket_in(&r, nh_netns_fd(ctx));
        if (fd < 0) {
                k = fd;
                goto out;
        }
        d.ifindex = wg_link_index(fd, r.ifname);
        if (d.ifindex < 0) {
                nh_notice(ctx, "The tunnel %s is missing in namespace %s", r.ifname, nh_namespace(ctx));
                k = 1;
                goto out;
        }
        d.c = r.conf;
        d.routes = routes;
        d.n_routes = wanted_routes(r.conf, routes, sizeof(routes) / sizeof(routes[0]));
        d.route_found = route_found;
        if ((k = nh_nl_dump(fd, RTM_GETADDR, AF_UNSPEC, addr_cb, &d)) < 0 ||
            (k = nh_nl_dump(fd, RTM_GETROUTE, AF_INET, route_cb, &d)) < 0 ||
            (k = nh_nl_dump(fd, RTM_GETROUTE, AF_INET6, route_cb, &d)) < 0) {
                nh_err(ctx, "Cannot read the addresses and routes of namespace %s: %s", nh_namespace(ctx), strerror(-k));
                goto out;
        }
        for (size_t i = 0; i < r.conf->n_addrs; i++)
                if (!d.addr_found[i]) {
                        nh_notice(ctx, "Address %s is missing on %s", wg_prefix_str(&r.conf->addrs[i], buf, sizeof(buf)), r.ifname);
                        drift = 1;
                }
        for (size_t i = 0; i < d.n_routes; i++)
                if (!route_found[i]) {
                        nh_notice(ctx, "Route %s%s is missing in namespace %s%s", routes[i].unreachable ? "unreachable " : "",
                                  wg_prefix_str(&routes[i].dst, buf, sizeof(buf)), nh_namespace(ctx),
                                  routes[i].unreachable ? ": that family is not blocked" : "");
                        drift = 1;
                }
        k = be->read_state(&r, &st);
        if (k < 0) {
                nh_notice(ctx, "Cannot read the state of %s (%s): %s", r.ifname, be->name, strerror(-k));
                drift = 1;
        } else {
                for (size_t i = 0; i < r.conf->n_peers; i++) {
                        const struct wg_peer_state *ps = wg_state_peer(&st, r.conf->peers[i].public_key);
                        char name[45];

                        peer_name(&r.conf->peers[i], name);
                        if (!ps) {
                                nh_notice(ctx, "Peer %s (line %u of %s) is missing on %s", name, r.conf->peers[i].line,
                                          r.config_path, r.ifname);
                                drift = 1;
                        } else if (ps->last_handshake_sec == 0)
                                nh_notice(ctx, "Peer %s: no handshake yet", name);
                        else
                                nh_notice(ctx, "Peer %s: latest handshake %lld s ago", name,
                                          (long long) (time(NULL) - ps->last_handshake_sec));
                }
                if (st.n_peers > r.conf->n_peers) {
                        nh_notice(ctx, "%s has %zu peers, %s names %zu", r.ifname, st.n_peers, r.config_path, r.conf->n_peers);
                        drift = 1;
                }
                if (!st.has_private_key) {
                        nh_notice(ctx, "%s has no private key", r.ifname);
                        drift = 1;
                }
        }
        k = drift;
out:
        if (fd >= 0)
                close(fd);
        run_free(&r);
        return k;
}
