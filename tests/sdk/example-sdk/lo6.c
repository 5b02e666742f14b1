/* lo6.c: a stage plugin built outside netns-helper's tree against the
 * plugin header and the helper library, both found by pkg-config:
 *
 *   cc -shared -fPIC $(pkg-config --cflags netns-helper-sdk) lo6.c \
 *           $(pkg-config --libs netns-helper-sdk) -o lo6.so
 *
 * The "lo6" stage puts an IPv6 address on lo inside the namespace with the
 * SDK's rtnetlink helpers and names it with nh_inet_format(). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_addr.h>

#include <netns-helper/plugin.h>
#include <netns-helper/sdk.h>

#define LO_IFINDEX 1

static const struct nh_key lo6_keys[] = {
        { .name = "address", .type = NH_T_IPV6_PREFIX, .help = "the address to put on lo" },
        { .name = NULL },
};

static int lo6_request(struct nh_ctx *ctx, uint16_t type, const struct nh_inet *a)
{
        struct ifaddrmsg ifa = { .ifa_family = AF_INET6, .ifa_prefixlen = a->prefixlen,
                                 .ifa_scope = RT_SCOPE_HOST, .ifa_index = LO_IFINDEX };
        struct nh_nl_msg m;
        int fd, r;

        fd = nh_socket(ctx, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0)
                return fd;
        nh_nl_msg_init(&m, type, type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0, &ifa, sizeof ifa);
        nh_nl_put(&m, IFA_LOCAL, a->addr.bytes, 16);
        r = nh_nl_talk(fd, &m, NULL, NULL);
        close(fd);
        return r;
}

static int lo6_start(struct nh_ctx *ctx)
{
        char text[NH_INET_STRLEN];
        struct nh_inet a;
        int r = nh_cfg_inet(ctx, "address", 0, &a);

        if (r <= 0)
                return r < 0 ? r : nh_cfg_error(ctx, "address", "an IPv6 address is needed");
        nh_inet_format(&a, true, text, sizeof text);
        r = lo6_request(ctx, RTM_NEWADDR, &a);
        if (r < 0) {
                nh_err(ctx, "Failed to add %s to lo: %s", text, strerror(-r));
                return r;
        }
        nh_info(ctx, "lo6: %s on lo", text);
        return 0;
}

static int lo6_stop(struct nh_ctx *ctx)
{
        struct nh_inet a;
        int r = nh_cfg_inet(ctx, "address", 0, &a);

        if (r <= 0)
                return r;
        r = lo6_request(ctx, RTM_DELADDR, &a);
        return r == -EADDRNOTAVAIL || r == -ENOENT || r == -ENODEV ? 0 : r;
}

NH_PLUGIN_DEFINE(
        .name = "lo6",
        .stage = "lo6",
        .version = "1.0",
        .description = "puts an IPv6 address on lo with the SDK",
        .order = NH_ORDER_VETH + 20,
        .flags = NH_PLUGIN_NEEDS_NETNS,
        .keys = lo6_keys,
        .start = lo6_start,
        .stop = lo6_stop,
);
