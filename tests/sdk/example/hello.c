/* hello.c: a netns-helper stage plugin, built outside netns-helper's tree.
 *
 * The "hello" stage puts an address on the loopback interface of the
 * namespace, so its effect shows in "ip -n NAMESPACE addr show lo".
 * It talks rtnetlink over a socket the core opens inside the namespace,
 * and needs nothing but the public header:
 *
 *   cc -shared -fPIC $(pkg-config --cflags netns-helper-plugin) \
 *           hello.c -o hello.so
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <netns-helper/plugin.h>

/* The loopback interface is the first of every namespace. */
#define LO_IFINDEX 1

static const struct nh_key hello_keys[] = {
        { .name = "address", .type = NH_T_IPV4_PREFIX,
          .help = "the address to put on lo (default 192.0.2.1/32)" },
        { .name = NULL },
};

static int hello_config(struct nh_ctx *ctx, struct nh_inet *a)
{
        int r = nh_cfg_inet(ctx, "address", 0, a);

        if (r < 0)
                return nh_cfg_error(ctx, "address", "expected an IPv4 address");
        if (r == 0) {
                a->family = AF_INET;
                a->prefixlen = 32;
                a->addr.v4 = htonl(0xc0000201);         /* 192.0.2.1 */
        }
        return 0;
}

/* One RTM_NEWADDR or RTM_DELADDR request for lo, answered by an ack. */
static int hello_request(struct nh_ctx *ctx, int type, const struct nh_inet *a)
{
        struct {
                struct nlmsghdr nh;
                struct ifaddrmsg ifa;
                struct rtattr rta;
                uint32_t local;
        } req = {
                .nh.nlmsg_len = sizeof(req),
                .nh.nlmsg_type = type,
                .nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
                        (type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0),
                .ifa.ifa_family = AF_INET,
                .ifa.ifa_prefixlen = a->prefixlen,
                .ifa.ifa_scope = RT_SCOPE_HOST,
                .ifa.ifa_index = LO_IFINDEX,
                .rta.rta_len = RTA_LENGTH(sizeof(uint32_t)),
                .rta.rta_type = IFA_LOCAL,
                .local = a->addr.v4,
        };
        union {
                struct nlmsghdr nh;
                char buf[512];
        } ack;
        struct nlmsgerr *err = NLMSG_DATA(&ack.nh);
        ssize_t n;
        int fd, r;

        /* A socket made inside the namespace talks to its kernel side. */
        fd = nh_socket(ctx, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0)
                return fd;
        if (send(fd, &req, sizeof(req), 0) < 0)
                r = -errno;
        else if ((n = recv(fd, &ack, sizeof(ack), 0)) < 0)
                r = -errno;
        else if ((size_t) n < NLMSG_LENGTH(sizeof(*err)) ||
                 ack.nh.nlmsg_type != NLMSG_ERROR)
                r = -EPROTO;
        else
                r = err->error;         /* 0 or a negative errno */
        close(fd);
        return r;
}

static int hello_validate(struct nh_ctx *ctx)
{
        struct nh_inet a;

        return hello_config(ctx, &a);
}

static int hello_start(struct nh_ctx *ctx)
{
        char text[INET_ADDRSTRLEN];
        struct nh_inet a;
        int r;

        r = hello_config(ctx, &a);
        if (r < 0)
                return r;
        inet_ntop(AF_INET, &a.addr.v4, text, sizeof(text));
        r = hello_request(ctx, RTM_NEWADDR, &a);
        if (r < 0) {
                nh_err(ctx, "Failed to add %s/%u to lo in %s: %s",
                       text, a.prefixlen, nh_namespace(ctx), strerror(-r));
                return r;
        }
        nh_info(ctx, "Hello from %s/%u on lo", text, a.prefixlen);
        return 0;
}

/* Idempotent: an address or a namespace that is gone already is fine. */
static int hello_stop(struct nh_ctx *ctx)
{
        struct nh_inet a;
        int r;

        r = hello_config(ctx, &a);
        if (r < 0)
                return r;
        r = hello_request(ctx, RTM_DELADDR, &a);
        if (r == -EADDRNOTAVAIL || r == -ENOENT || r == -ENODEV)
                return 0;
        if (r < 0)
                nh_err(ctx, "Failed to remove the hello address from lo in %s: %s",
                       nh_namespace(ctx), strerror(-r));
        return r;
}

NH_PLUGIN_DEFINE(
        .name = "hello",
        .stage = "hello",
        .version = "1.0",
        .description = "puts an address on lo inside the namespace",
        .order = NH_ORDER_VETH + 10,    /* after the links, before DHCP */
        .flags = NH_PLUGIN_NEEDS_NETNS,
        .keys = hello_keys,
        .validate = hello_validate,
        .start = hello_start,
        .stop = hello_stop,
);
