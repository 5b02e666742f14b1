/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of the wireguard stage's pure logic, without root: the
 * wg-quick parser (every refusal names line and key), keys, the UAPI
 * request and the parsing of hostile answers, and the kernel plugin's
 * generic netlink messages compared attribute by attribute (this kernel
 * has no WireGuard module: this is how that path is tested).
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/wireguard.h>
#include <linux/time_types.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "wg-config.h"
#include "wg-proto.h"

/* Keys made with wg genkey / wg pubkey / wg genpsk. */
#define PRIV "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
#define PUB  "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="
#define PSK  "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE="

static const char provider[] =
        "# Provider-style file\n"
        "[Interface]\n"
        "PrivateKey = " PRIV "\n"
        "Address = 10.64.0.2/32, fd00:64::2/128\n"
        "DNS = 10.64.0.1, vpn.example\n"
        "MTU = 1380\n"
        "\n"
        "[Peer]\n"
        "PublicKey = " PUB "\n"
        "PresharedKey = " PSK "\n"
        "Endpoint = vpn.example.net:51820\n"
        "AllowedIPs = 0.0.0.0/0, ::/0\n"
        "PersistentKeepalive = 25\n";

static struct wg_conf conf;
static struct wg_error err;

static int parse(const char *s)
{
        return wg_conf_parse(s, strlen(s), NULL, &conf, &err);
}

START_TEST(test_provider_file)
{
        char buf[64];

        ck_assert_int_eq(parse(provider), 0);
        ck_assert(conf.has_private_key);
        ck_assert(conf.has_secret);
        ck_assert_uint_eq(conf.private_key_line, 3);
        ck_assert_uint_eq(conf.n_addrs, 2);
        ck_assert_str_eq(wg_prefix_str(&conf.addrs[0], buf, sizeof(buf)), "10.64.0.2/32");
        ck_assert_str_eq(wg_prefix_str(&conf.addrs[1], buf, sizeof(buf)), "fd00:64::2/128");
        ck_assert_uint_eq(conf.n_dns, 1);
        ck_assert_str_eq(conf.dns[0], "10.64.0.1");
        ck_assert_uint_eq(conf.n_search, 1);
        ck_assert_str_eq(conf.search[0], "vpn.example");
        ck_assert_int_eq(conf.mtu, 1380);
        ck_assert_int_eq(conf.listen_port, -1);
        ck_assert_uint_eq(conf.n_peers, 1);
        ck_assert(conf.peers[0].has_psk);
        ck_assert_str_eq(conf.peers[0].endpoint_host, "vpn.example.net");
        ck_assert_uint_eq(conf.peers[0].endpoint_port, 51820);
        ck_assert_uint_eq(conf.peers[0].endpoint_line, 11);
        ck_assert_uint_eq(conf.peers[0].n_allowed, 2);
        ck_assert_int_eq(conf.peers[0].keepalive, 25);
        ck_assert(wg_conf_has_family(&conf, AF_INET6));
}
END_TEST

START_TEST(test_grammar_of_wg)
{
        /* Keys and sections without case, comments anywhere, CRLF, list
         * values spread over several lines, IPv6 endpoints in brackets. */
        static const char s[] =
                "[interface]  # the interface\r\n"
                "address=10.0.0.2/24\r\n"
                "ADDRESS = 10.0.0.3\r\n"
                "[PEER]\n"
                "publickey = " PUB " # the server\n"
                "endpoint = [2001:db8::1]:443\n"
                "allowedips = 10.0.0.0/24\n"
                "AllowedIPs = 192.168.7.9/16\n"
                "persistentkeepalive = off\n";
        char buf[64];

        ck_assert_int_eq(parse(s), 0);
        ck_assert(!conf.has_private_key);
        ck_assert(!conf.has_secret);
        ck_assert_uint_eq(conf.n_addrs, 2);
        ck_assert_uint_eq(conf.addrs[1].prefixlen, 32);
        ck_assert_str_eq(conf.peers[0].endpoint_host, "2001:db8::1");
        ck_assert_uint_eq(conf.peers[0].endpoint_port, 443);
        ck_assert_uint_eq(conf.peers[0].n_allowed, 2);
        /* Host bits are masked, as wg(8) does: routes must not have them. */
        ck_assert_str_eq(wg_prefix_str(&conf.peers[0].allowed[1], buf, sizeof(buf)), "192.168.0.0/16");
        ck_assert_int_eq(conf.peers[0].keepalive, 0);
        ck_assert(!wg_conf_has_family(&conf, AF_INET6));
}
END_TEST

/* Each refused or wrong line: its number, its key, what to do. */
static void refused(const char *text, unsigned line, const char *key, const char *msg_part)
{
        ck_assert_msg(parse(text) == -EINVAL, "accepted: %s", text);
        ck_assert_uint_eq(err.line, line);
        ck_assert_str_eq(err.key, key);
        ck_assert_msg(strstr(err.msg, msg_part), "message \"%s\" lacks \"%s\"", err.msg, msg_part);
}

START_TEST(test_refused_keys)
{
        refused("[Interface]\nAddress = 10.0.0.2\nPostUp = iptables -A OUTPUT -j DROP\n", 3, "PostUp",
                "never runs this file through a shell");
        refused("[Interface]\nPreUp = true\n", 2, "PreUp", "hook");
        refused("[Interface]\npredown = true\n", 2, "PreDown", "hook");
        refused("[Interface]\nPostDown = $(reboot)\n", 2, "PostDown", "hook");
        refused("[Interface]\nTable = off\n", 2, "Table", "routes the namespace only through the tunnel");
        refused("[Interface]\nSaveConfig = true\n", 2, "SaveConfig", "never writes");
}
END_TEST

START_TEST(test_mistakes)
{
        refused("[Interface]\nAdress = 10.0.0.2\n", 2, "Adress", "unknown key in [Interface]; expected one of: PrivateKey");
        refused("[Interface]\nAddress = 10.0.0.2\n[Peer]\nPublicKey = " PUB "\nMTU = 1400\n", 5, "MTU", "unknown key in [Peer]");
        refused("Address = 10.0.0.2\n", 1, "Address", "before the first section");
        refused("[Interface]\nPrivateKey = " PRIV "\nPrivateKey = " PRIV "\n", 3, "PrivateKey", "first on line 2");
        refused("[Interface]\nPrivateKey = abc=\n", 2, "PrivateKey", "44 characters");
        refused("[Interface]\nAddress = 10.0.0.256/24\n", 2, "Address", "10.0.0.256/24");
        refused("[Interface]\nAddress = 10.0.0.2/33\n", 2, "Address", "not an address");
        refused("[Interface]\nAddress = 10.0.0.2,,10.0.0.3\n", 2, "Address", "empty item");
        refused("[Interface]\nDNS = 10.0.0.1, bad;name\n", 2, "DNS", "neither an address nor a valid domain");
        refused("[Interface]\nMTU = 9\n", 2, "MTU", "1280 to 65535");
        refused("[Interface]\nAddress = 10.0.0.2\n[Peer]\nPublicKey = " PUB "\nEndpoint = host\n", 5, "Endpoint", "HOST:PORT");
        refused("[Interface]\nAddress = 10.0.0.2\n[Peer]\nPublicKey = " PUB "\nEndpoint = 2001:db8::1:51820\n", 5,
                "Endpoint", "brackets");
        refused("[Interface]\nAddress = 10.0.0.2\n[Peer]\nPublicKey = " PUB "\nEndpoint = h:0\n", 5, "Endpoint", "1-65535");
        refused("[Interface]\nAddress = 10.0.0.2\n[Peer]\nEndpoint = h:1\n", 3, "PublicKey", "no PublicKey");
        refused("[Interface]\nAddress = 10.0.0.2\n[Peer]\nPublicKey = " PUB "\n[Peer]\nPublicKey = " PUB "\n", 6,
                "PublicKey", "the same public key as the peer on line 3");
        refused("[Interface]\nAddress = 10.0.0.2\n[Peer]\nPublicKey = " PUB "\nPersistentKeepalive = 70000\n", 5,
                "PersistentKeepalive", "0 to 65535");
        refused("[Interface]\n[Interface]\n", 2, "", "second [Interface]");
        refused("[Tunnel]\n", 1, "", "unknown section [Tunnel]");
        refused("[Interface]\njust words\n", 2, "", "expected \"Key = Value\"");
        refused("[Interface]\nAddress =\n", 2, "Address", "no value");
        refused("[Interface]\nAddress = 10.0.0.2\n", 0, "", "no [Peer]");
        refused("[Interface]\n[Peer]\nPublicKey = " PUB "\n", 0, "Address", "no Address");
        refused("[Peer]\nPublicKey = " PUB "\n", 0, "", "no [Interface]");
        {
                static const char nul[] = "[Interface]\nAddr\0ess = 1\n";
                ck_assert_int_eq(wg_conf_parse(nul, sizeof(nul) - 1, NULL, &conf, &err), -EINVAL);
                ck_assert_uint_eq(err.line, 2);
                ck_assert(strstr(err.msg, "NUL"));
        }
        /* A name with control characters is shown escaped, never raw. */
        refused("[Interface]\nDNS = a\033[2Jb\n", 2, "DNS", "\\x1b");
}
END_TEST

START_TEST(test_keys)
{
        uint8_t k[32], k2[32];
        char b[45], hex[65];

        ck_assert_int_eq(wg_key_from_base64(PRIV, k), 0);
        wg_key_to_base64(k, b);
        ck_assert_str_eq(b, PRIV);
        wg_key_to_hex(k, hex);
        ck_assert_int_eq(wg_key_from_hex(hex, 64, k2), 0);
        ck_assert_mem_eq(k, k2, 32);
        memset(k, 0, sizeof(k));
        wg_key_to_base64(k, b);
        ck_assert_str_eq(b, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        /* The last character may only use its top 4 bits (as wg(8)). */
        ck_assert_int_eq(wg_key_from_base64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=", k), -EINVAL);
        ck_assert_int_eq(wg_key_from_base64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", k), -EINVAL);
        ck_assert_int_eq(wg_key_from_base64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*AAA=", k), -EINVAL);
        ck_assert_int_eq(wg_key_from_hex("zz", 2, k), -EINVAL);
}
END_TEST

static void resolve_v4(struct wg_peer *p, const char *a, uint16_t port)
{
        struct sockaddr_in *s = (struct sockaddr_in *) &p->endpoint;

        memset(&p->endpoint, 0, sizeof(p->endpoint));
        s->sin_family = AF_INET;
        s->sin_port = htons(port);
        inet_pton(AF_INET, a, &s->sin_addr);
        p->endpoint_len = sizeof(*s);
}

START_TEST(test_uapi_request)
{
        char buf[4096], hex[65], want[4096];
        int ka[WG_MAX_PEERS] = { 25 }, n;
        uint8_t k[32];

        ck_assert_int_eq(parse(provider), 0);
        resolve_v4(&conf.peers[0], "192.0.2.7", 51820);
        n = wg_uapi_set_request(&conf, ka, WG_SET_FULL, buf, sizeof(buf));
        ck_assert_int_gt(n, 0);
        wg_key_from_base64(PRIV, k);
        wg_key_to_hex(k, hex);
        snprintf(want, sizeof(want), "set=1\nprivate_key=%s\nreplace_peers=true\n", hex);
        ck_assert_msg(strncmp(buf, want, strlen(want)) == 0, "%s", buf);
        wg_key_from_base64(PUB, k);
        wg_key_to_hex(k, hex);
        snprintf(want, sizeof(want), "public_key=%s\n", hex);
        ck_assert(strstr(buf, want));
        ck_assert(strstr(buf, "\nendpoint=192.0.2.7:51820\n"));
        ck_assert(strstr(buf, "\npersistent_keepalive_interval=25\nreplace_allowed_ips=true\n"
                              "allowed_ip=0.0.0.0/0\nallowed_ip=::/0\n\n"));
        ck_assert_int_eq(buf[n - 1], '\n');
        ck_assert_int_eq(buf[n - 2], '\n');
        /* Only the keepalive: nothing else changes. */
        ka[0] = 0;
        n = wg_uapi_set_request(&conf, ka, WG_SET_KEEPALIVE, buf, sizeof(buf));
        snprintf(want, sizeof(want), "set=1\npublic_key=%s\nupdate_only=true\npersistent_keepalive_interval=0\n\n", hex);
        ck_assert_str_eq(buf, want);
        /* Too small a buffer is refused, not truncated. */
        ck_assert_int_eq(wg_uapi_set_request(&conf, ka, WG_SET_FULL, buf, 100), -ENOBUFS);
}
END_TEST

START_TEST(test_uapi_answers)
{
        static const char good[] =
                "private_key=e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a\n"
                "listen_port=35000\n"
                "public_key=b85996fecc9c7f1fc6d2572a76eda11d59bcb20be8e543b15ce4bd85a8e75a33\n"
                "endpoint=192.0.2.7:51820\n"
                "last_handshake_time_sec=1700000000\n"
                "last_handshake_time_nsec=5\n"
                "tx_bytes=38333\nrx_bytes=2224\n"
                "persistent_keepalive_interval=25\n"
                "allowed_ip=0.0.0.0/0\nallowed_ip=::/0\n"
                "protocol_version=1\n"
                "errno=0\n\n";
        struct wg_state st;
        bool complete;

        ck_assert_int_eq(wg_uapi_parse_get(good, strlen(good), &st, &complete), 0);
        ck_assert(complete);
        ck_assert(st.has_private_key);
        ck_assert_int_eq(st.listen_port, 35000);
        ck_assert_uint_eq(st.n_peers, 1);
        ck_assert_int_eq(st.peers[0].last_handshake_sec, 1700000000);
        ck_assert_uint_eq(st.peers[0].tx_bytes, 38333);
        ck_assert_uint_eq(st.peers[0].n_allowed, 2);
        ck_assert_uint_eq(st.peers[0].keepalive, 25);
        /* Half an answer: not complete yet, no error. */
        ck_assert_int_eq(wg_uapi_parse_get(good, 100, &st, &complete), 0);
        ck_assert(!complete);
        /* The device's own error. */
        ck_assert_int_eq(wg_uapi_parse_get("errno=22\n\n", 10, &st, &complete), -22);
        ck_assert_int_eq(wg_uapi_parse_errno("errno=0\n\n", 9, &complete), 0);
        ck_assert(complete);
        ck_assert_int_eq(wg_uapi_parse_errno("errno=1\n\n", 9, &complete), -1);
        /* Hostile answers. */
        ck_assert_int_eq(wg_uapi_parse_get("listen_port=1\n\n", 15, &st, &complete), -EBADMSG);         /* no errno */
        ck_assert_int_eq(wg_uapi_parse_get("public_key=zz\nerrno=0\n\n", 23, &st, &complete), -EBADMSG);
        ck_assert_int_eq(wg_uapi_parse_get("last_handshake_time_sec=1\nerrno=0\n\n", 36, &st, &complete), -EBADMSG);
        ck_assert_int_eq(wg_uapi_parse_get("listen_port=99999\nerrno=0\n\n", 28, &st, &complete), -EBADMSG);
        ck_assert_int_eq(wg_uapi_parse_get("no equals\n\n", 11, &st, &complete), -EBADMSG);
        ck_assert_int_eq(wg_uapi_parse_get("errno=0\nlisten_port=1\n\n", 23, &st, &complete), -EBADMSG);
        ck_assert_int_eq(wg_uapi_parse_errno("errno=99999\n\n", 13, &complete), -EBADMSG);
        ck_assert_int_eq(wg_uapi_parse_errno("private_key=1\n\n", 15, &complete), -EBADMSG);
        {
                char big[1200];
                memset(big, 'a', sizeof(big));
                ck_assert_int_eq(wg_uapi_parse_get(big, sizeof(big), &st, &complete), -EBADMSG);   /* endless line */
        }
        {
                /* More peers than kept: the table is full, and says so. */
                char many[8192];
                size_t o = 0;
                for (int i = 0; i < WG_MAX_PEERS + 3; i++)
                        o += (size_t) snprintf(many + o, sizeof(many) - o,
                                               "public_key=%064x\nlast_handshake_time_sec=%d\n", i + 1, i);
                o += (size_t) snprintf(many + o, sizeof(many) - o, "errno=0\n\n");
                ck_assert_int_eq(wg_uapi_parse_get(many, o, &st, &complete), 0);
                ck_assert_uint_eq(st.n_peers, WG_MAX_PEERS);
                ck_assert(st.truncated);
        }
}
END_TEST

/* ---- generic netlink, attribute by attribute --------------------------- */

#define FAMILY 0x1d

static struct nlmsghdr *finish(struct nl_msg *m)
{
        ck_assert_ptr_nonnull(m);
        return nlmsg_hdr(m);
}

START_TEST(test_genl_set_device)
{
        struct nlattr *tb[WGDEVICE_A_MAX + 1], *pt[WGPEER_A_MAX + 1], *it[WGALLOWEDIP_A_MAX + 1], *peer, *ip;
        int ka[WG_MAX_PEERS] = { 25 }, rem, n_peers = 0, n_ips = 0;
        struct genlmsghdr *g;
        struct nlmsghdr *h;
        struct nl_msg *m;
        uint8_t k[32];

        ck_assert_int_eq(parse(provider), 0);
        conf.listen_port = 40000;
        conf.fwmark = 0x51;
        resolve_v4(&conf.peers[0], "192.0.2.7", 51820);
        m = wg_genl_set_msg(FAMILY, "wg0", &conf, ka, WG_SET_FULL);
        h = finish(m);
        ck_assert_uint_eq(h->nlmsg_type, FAMILY);
        ck_assert_uint_eq(h->nlmsg_flags & (NLM_F_REQUEST | NLM_F_ACK), NLM_F_REQUEST | NLM_F_ACK);
        g = nlmsg_data(h);
        ck_assert_uint_eq(g->cmd, WG_CMD_SET_DEVICE);
        ck_assert_uint_eq(g->version, WG_GENL_VERSION);
        ck_assert_int_eq(genlmsg_parse(h, 0, tb, WGDEVICE_A_MAX, NULL), 0);
        ck_assert_str_eq(nla_get_string(tb[WGDEVICE_A_IFNAME]), "wg0");
        ck_assert_uint_eq(nla_get_u32(tb[WGDEVICE_A_FLAGS]), WGDEVICE_F_REPLACE_PEERS);
        ck_assert_int_eq(nla_len(tb[WGDEVICE_A_PRIVATE_KEY]), WG_KEY_LEN);
        wg_key_from_base64(PRIV, k);
        ck_assert_mem_eq(nla_data(tb[WGDEVICE_A_PRIVATE_KEY]), k, 32);
        ck_assert_uint_eq(nla_get_u16(tb[WGDEVICE_A_LISTEN_PORT]), 40000);
        ck_assert_uint_eq(nla_get_u32(tb[WGDEVICE_A_FWMARK]), 0x51);
        ck_assert_ptr_null(tb[WGDEVICE_A_PUBLIC_KEY]);
        nla_for_each_nested(peer, tb[WGDEVICE_A_PEERS], rem) {
                const struct sockaddr_in *sin;
                int rem2;

                n_peers++;
                ck_assert_int_eq(nla_parse_nested(pt, WGPEER_A_MAX, peer, NULL), 0);
                wg_key_from_base64(PUB, k);
                ck_assert_mem_eq(nla_data(pt[WGPEER_A_PUBLIC_KEY]), k, 32);
                wg_key_from_base64(PSK, k);
                ck_assert_mem_eq(nla_data(pt[WGPEER_A_PRESHARED_KEY]), k, 32);
                ck_assert_uint_eq(nla_get_u32(pt[WGPEER_A_FLAGS]), WGPEER_F_REPLACE_ALLOWEDIPS);
                ck_assert_uint_eq(nla_get_u16(pt[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL]), 25);
                ck_assert_int_eq(nla_len(pt[WGPEER_A_ENDPOINT]), (int) sizeof(struct sockaddr_in));
                sin = nla_data(pt[WGPEER_A_ENDPOINT]);
                ck_assert_uint_eq(sin->sin_family, AF_INET);
                ck_assert_uint_eq(ntohs(sin->sin_port), 51820);
                ck_assert_uint_eq(ntohl(sin->sin_addr.s_addr), 0xc0000207);
                nla_for_each_nested(ip, pt[WGPEER_A_ALLOWEDIPS], rem2) {
                        ck_assert_int_eq(nla_parse_nested(it, WGALLOWEDIP_A_MAX, ip, NULL), 0);
                        ck_assert_uint_eq(nla_get_u16(it[WGALLOWEDIP_A_FAMILY]), n_ips == 0 ? AF_INET : AF_INET6);
                        ck_assert_int_eq(nla_len(it[WGALLOWEDIP_A_IPADDR]), n_ips == 0 ? 4 : 16);
                        ck_assert_uint_eq(nla_get_u8(it[WGALLOWEDIP_A_CIDR_MASK]), 0);
                        n_ips++;
                }
        }
        ck_assert_int_eq(n_peers, 1);
        ck_assert_int_eq(n_ips, 2);
        nlmsg_free(m);

        /* Only the keepalive, for an existing peer. */
        ka[0] = 0;
        m = wg_genl_set_msg(FAMILY, "wg0", &conf, ka, WG_SET_KEEPALIVE);
        h = finish(m);
        ck_assert_int_eq(genlmsg_parse(h, 0, tb, WGDEVICE_A_MAX, NULL), 0);
        ck_assert_ptr_null(tb[WGDEVICE_A_FLAGS]);
        ck_assert_ptr_null(tb[WGDEVICE_A_PRIVATE_KEY]);
        ck_assert_ptr_null(tb[WGDEVICE_A_LISTEN_PORT]);
        n_peers = 0;
        nla_for_each_nested(peer, tb[WGDEVICE_A_PEERS], rem) {
                n_peers++;
                ck_assert_int_eq(nla_parse_nested(pt, WGPEER_A_MAX, peer, NULL), 0);
                ck_assert_uint_eq(nla_get_u32(pt[WGPEER_A_FLAGS]), WGPEER_F_UPDATE_ONLY);
                ck_assert_uint_eq(nla_get_u16(pt[WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL]), 0);
                ck_assert_ptr_null(pt[WGPEER_A_ALLOWEDIPS]);
                ck_assert_ptr_null(pt[WGPEER_A_ENDPOINT]);
                ck_assert_ptr_null(pt[WGPEER_A_PRESHARED_KEY]);
        }
        ck_assert_int_eq(n_peers, 1);
        nlmsg_free(m);
}
END_TEST

START_TEST(test_ipv6_endpoint)
{
        struct nlattr *tb[WGDEVICE_A_MAX + 1], *pt[WGPEER_A_MAX + 1], *peer;
        struct sockaddr_in6 *s6;
        struct nl_msg *m;
        char buf[4096];
        int rem;

        ck_assert_int_eq(parse(provider), 0);
        s6 = (struct sockaddr_in6 *) &conf.peers[0].endpoint;
        memset(s6, 0, sizeof(*s6));
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(443);
        inet_pton(AF_INET6, "2001:db8::7", &s6->sin6_addr);
        conf.peers[0].endpoint_len = sizeof(*s6);
        ck_assert_int_gt(wg_uapi_set_request(&conf, NULL, WG_SET_FULL, buf, sizeof(buf)), 0);
        ck_assert(strstr(buf, "\nendpoint=[2001:db8::7]:443\n"));
        /* Without a keepalive array, the file's own (25). */
        ck_assert(strstr(buf, "\npersistent_keepalive_interval=25\n"));
        m = wg_genl_set_msg(FAMILY, "wg0", &conf, NULL, WG_SET_FULL);
        ck_assert_int_eq(genlmsg_parse(finish(m), 0, tb, WGDEVICE_A_MAX, NULL), 0);
        nla_for_each_nested(peer, tb[WGDEVICE_A_PEERS], rem) {
                ck_assert_int_eq(nla_parse_nested(pt, WGPEER_A_MAX, peer, NULL), 0);
                ck_assert_int_eq(nla_len(pt[WGPEER_A_ENDPOINT]), (int) sizeof(struct sockaddr_in6));
                ck_assert_mem_eq(nla_data(pt[WGPEER_A_ENDPOINT]), s6, sizeof(*s6));
        }
        nlmsg_free(m);
}
END_TEST

START_TEST(test_genl_largest_config_fits)
{
        struct wg_conf *c = calloc(1, sizeof(*c));
        struct nl_msg *m;

        c->has_private_key = true;
        c->n_peers = WG_MAX_PEERS;
        for (size_t i = 0; i < WG_MAX_PEERS; i++) {
                c->peers[i].public_key[0] = (uint8_t) i;
                c->peers[i].has_psk = true;
                c->peers[i].n_allowed = WG_MAX_ALLOWED;
                for (size_t j = 0; j < WG_MAX_ALLOWED; j++)
                        c->peers[i].allowed[j] = (struct wg_prefix) { .family = AF_INET6, .prefixlen = 128 };
                resolve_v4(&c->peers[i], "192.0.2.1", 1);
        }
        m = wg_genl_set_msg(FAMILY, "wg0", c, NULL, WG_SET_FULL);
        ck_assert_ptr_nonnull(m);
        nlmsg_free(m);
        free(c);
}
END_TEST

START_TEST(test_genl_get_and_parse)
{
        struct nlattr *tb[WGDEVICE_A_MAX + 1], *peers, *peer;
        struct __kernel_timespec ts = { .tv_sec = 1700000042 };
        struct wg_state st = { .listen_port = -1 };
        struct nl_msg *m = wg_genl_get_msg(FAMILY, "wg0");
        struct nlmsghdr *h = finish(m);
        uint8_t k[32];

        ck_assert_uint_eq(h->nlmsg_flags & NLM_F_DUMP, NLM_F_DUMP);
        ck_assert_uint_eq(((struct genlmsghdr *) nlmsg_data(h))->cmd, WG_CMD_GET_DEVICE);
        ck_assert_int_eq(genlmsg_parse(h, 0, tb, WGDEVICE_A_MAX, NULL), 0);
        ck_assert_str_eq(nla_get_string(tb[WGDEVICE_A_IFNAME]), "wg0");
        nlmsg_free(m);

        /* A reply as the kernel sends it (wg_get_device_dump). */
        m = nlmsg_alloc();
        genlmsg_put(m, 0, 0, FAMILY, 0, NLM_F_MULTI, WG_CMD_GET_DEVICE, WG_GENL_VERSION);
        nla_put_string(m, WGDEVICE_A_IFNAME, "wg0");
        memset(k, 7, sizeof(k));
        nla_put(m, WGDEVICE_A_PRIVATE_KEY, 32, k);
        nla_put_u16(m, WGDEVICE_A_LISTEN_PORT, 41000);
        peers = nla_nest_start(m, WGDEVICE_A_PEERS);
        peer = nla_nest_start(m, 0);
        wg_key_from_base64(PUB, k);
        nla_put(m, WGPEER_A_PUBLIC_KEY, 32, k);
        nla_put(m, WGPEER_A_LAST_HANDSHAKE_TIME, sizeof(ts), &ts);
        nla_put_u64(m, WGPEER_A_RX_BYTES, 92);
        nla_put_u16(m, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, 25);
        nla_nest_end(m, peer);
        nla_nest_end(m, peers);
        ck_assert_int_eq(wg_genl_parse_device(nlmsg_hdr(m), &st), 0);
        ck_assert(st.has_private_key);
        ck_assert_int_eq(st.listen_port, 41000);
        ck_assert_uint_eq(st.n_peers, 1);
        ck_assert_int_eq(st.peers[0].last_handshake_sec, 1700000042);
        ck_assert_uint_eq(st.peers[0].rx_bytes, 92);
        ck_assert_ptr_nonnull(wg_state_peer(&st, k));
        /* The same peer continued in a second message stays one peer. */
        ck_assert_int_eq(wg_genl_parse_device(nlmsg_hdr(m), &st), 0);
        ck_assert_uint_eq(st.n_peers, 1);
        nlmsg_free(m);

        /* A hostile one: a handshake time of the wrong size. */
        m = nlmsg_alloc();
        genlmsg_put(m, 0, 0, FAMILY, 0, 0, WG_CMD_GET_DEVICE, WG_GENL_VERSION);
        peers = nla_nest_start(m, WGDEVICE_A_PEERS);
        peer = nla_nest_start(m, 0);
        nla_put(m, WGPEER_A_PUBLIC_KEY, 32, k);
        nla_put_u32(m, WGPEER_A_LAST_HANDSHAKE_TIME, 1);
        nla_nest_end(m, peer);
        nla_nest_end(m, peers);
        ck_assert_int_eq(wg_genl_parse_device(nlmsg_hdr(m), &st), -EBADMSG);
        nlmsg_free(m);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("wireguard");
        TCase *t = tcase_create("pure");
        SRunner *sr;
        int failed;

        tcase_add_test(t, test_provider_file);
        tcase_add_test(t, test_grammar_of_wg);
        tcase_add_test(t, test_refused_keys);
        tcase_add_test(t, test_mistakes);
        tcase_add_test(t, test_keys);
        tcase_add_test(t, test_uapi_request);
        tcase_add_test(t, test_uapi_answers);
        tcase_add_test(t, test_genl_set_device);
        tcase_add_test(t, test_ipv6_endpoint);
        tcase_add_test(t, test_genl_largest_config_fits);
        tcase_add_test(t, test_genl_get_and_parse);
        suite_add_tcase(s, t);
        sr = srunner_create(s);
        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? 1 : 0;
}
