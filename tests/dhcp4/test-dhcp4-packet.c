/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The DHCPv4 codec: real captures, built messages, hostile options. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "dhcp4-lease.h"
#include "dhcp4-packet.h"
#include "pcap.h"

static unsigned n_warnings;
static char last_warning[1024];

__attribute__((format(printf, 2, 3)))
static void warn(void *userdata, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(last_warning, sizeof(last_warning), fmt, ap);
        va_end(ap);
        n_warnings++;
}

static uint32_t A(const char *s)
{
        uint32_t a;
        ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
        return a;
}

/* A server reply with the given options after the cookie (an END is added). */
static size_t mk_reply(uint8_t *buf, uint32_t xid, const uint8_t *opts, size_t optlen)
{
        memset(buf, 0, DHCP4_OPTBUF);
        buf[0] = 2;
        buf[1] = 1;
        buf[2] = 6;
        buf[4] = xid >> 24; buf[5] = xid >> 16; buf[6] = xid >> 8; buf[7] = xid;
        memcpy(buf + 16, (uint8_t[]) { 10, 88, 0, 50 }, 4);
        memcpy(buf + 28, (uint8_t[]) { 2, 0, 0, 0, 0, 1 }, 6);
        memcpy(buf + 236, (uint8_t[]) { 0x63, 0x82, 0x53, 0x63 }, 4);
        memcpy(buf + 240, opts, optlen);
        buf[240 + optlen] = 255;
        return 240 + optlen + 1 < 300 ? 300 : 240 + optlen + 1;
}

/* The value of option code in a message we built (no overload, no split). */
static const uint8_t *find_opt(const uint8_t *buf, size_t len, uint8_t code, uint8_t *olen)
{
        for (size_t p = 240; p < len && buf[p] != 255;) {
                if (buf[p] == 0) {
                        p++;
                        continue;
                }
                if (buf[p] == code) {
                        *olen = buf[p + 1];
                        return buf + p + 2;
                }
                p += 2 + buf[p + 1];
        }
        return NULL;
}

static void check_capture(const char *name, bool badcsum)
{
        struct pcap_file f;
        unsigned offers = 0, acks = 0, requests = 0;

        ck_assert_msg(pcap_load(name, &f) == 0, "cannot load fixture %s from %s", name, pcap_fixture_dir());
        ck_assert_uint_eq(f.n, 4);
        for (size_t i = 0; i < f.n; i++) {
                const uint8_t *p;
                size_t plen;
                struct dhcp4_message m;
                bool from_server = f.frames[i].sport == 67;
                int r;

                r = dhcp4_unframe_udp(f.frames[i].ip, f.frames[i].ip_len, false,
                                      f.frames[i].dport, &p, &plen, NULL);
                if (badcsum && from_server) {
                        /* Wrong UDP checksum, no CSUMNOTREADY mark: drop. */
                        ck_assert_int_eq(r, -EPROTO);
                        r = dhcp4_unframe_udp(f.frames[i].ip, f.frames[i].ip_len, true,
                                              f.frames[i].dport, &p, &plen, NULL);
                }
                ck_assert_int_eq(r, 0);
                ck_assert_int_eq(dhcp4_parse(p, plen, &m, warn, NULL), 0);
                if (!from_server) {
                        ck_assert_uint_eq(m.op, 1);
                        ck_assert(m.type == DHCP4_DISCOVER || m.type == DHCP4_REQUEST);
                        requests += m.type == DHCP4_REQUEST;
                        continue;
                }
                ck_assert_uint_eq(m.op, 2);
                ck_assert(m.type == DHCP4_OFFER || m.type == DHCP4_ACK);
                offers += m.type == DHCP4_OFFER;
                acks += m.type == DHCP4_ACK;
                ck_assert_uint_eq(m.lease.server_id, A("10.88.0.1"));
                ck_assert_uint_eq(m.lease.lease_time, 3600);
                ck_assert_uint_eq(m.lease.t1, 1800);
                ck_assert_uint_eq(m.lease.t2, 3150);
                ck_assert_uint_eq(m.lease.prefixlen, 24);
                ck_assert_uint_eq(m.lease.n_routers, 1);
                ck_assert_uint_eq(m.lease.routers[0], A("10.88.0.1"));
                ck_assert_uint_eq(m.lease.broadcast, A("10.88.0.255"));
                ck_assert_uint_eq(ntohl(m.yiaddr) >> 8, 0x0a5800);
        }
        ck_assert_uint_eq(offers, 1);
        ck_assert_uint_eq(acks, 1);
        ck_assert_uint_eq(requests, 1);
        pcap_free(&f);
}

START_TEST(test_captures)
{
        check_capture("dhcpv4-dora-dhclient.pcap", false);
        check_capture("dhcpv4-dora-dhcpcd.pcap", false);
        check_capture("dhcpv4-dora-udhcpc.pcap", false);
        check_capture("offload-badcsum/dhcpv4-dora-dhclient.pcap", true);
        check_capture("offload-badcsum/dhcpv4-dora-dhcpcd.pcap", true);
        check_capture("offload-badcsum/dhcpv4-dora-udhcpc.pcap", true);
}
END_TEST

START_TEST(test_build_discover_request)
{
        uint8_t buf[DHCP4_MAX_MESSAGE], prl[] = { 1, 3, 6, 15, 26, 119, 121 }, cid[] = { 1, 2, 0, 0, 0, 0, 1 };
        const uint8_t *o;
        uint8_t ol;
        struct dhcp4_request q = {
                .type = DHCP4_DISCOVER, .xid = 0x12345678, .mac = { 2, 0, 0, 0, 0, 1 },
                .client_id = cid, .client_id_len = sizeof(cid), .hostname = "box",
                .vendor_class = "netns-helper", .prl = prl, .prl_len = sizeof(prl),
                .max_message_size = 1500,
        };
        struct dhcp4_message m;
        int len;

        len = dhcp4_build(&q, buf, sizeof(buf));
        ck_assert_int_ge(len, DHCP4_MIN_BOOTP_LEN);
        ck_assert_int_eq(dhcp4_parse(buf, (size_t) len, &m, warn, NULL), 0);
        ck_assert_uint_eq(m.op, 1);
        ck_assert_uint_eq(m.type, DHCP4_DISCOVER);
        ck_assert_uint_eq(m.xid, 0x12345678);
        ck_assert_uint_eq(m.flags, 0);
        ck_assert_uint_eq(m.ciaddr, 0);
        ck_assert_mem_eq(m.chaddr, q.mac, 6);
        ck_assert_ptr_nonnull(o = find_opt(buf, (size_t) len, 61, &ol));
        ck_assert_uint_eq(ol, sizeof(cid));
        ck_assert_mem_eq(o, cid, sizeof(cid));
        ck_assert_ptr_nonnull(o = find_opt(buf, (size_t) len, 55, &ol));
        ck_assert_mem_eq(o, prl, sizeof(prl));
        ck_assert_ptr_nonnull(o = find_opt(buf, (size_t) len, 12, &ol));
        ck_assert_uint_eq(ol, 3);
        ck_assert_ptr_nonnull(o = find_opt(buf, (size_t) len, 57, &ol));
        ck_assert_uint_eq(o[0] << 8 | o[1], 1500);
        ck_assert_ptr_null(find_opt(buf, (size_t) len, 50, &ol));
        ck_assert_ptr_null(find_opt(buf, (size_t) len, 54, &ol));

        q.type = DHCP4_REQUEST;
        q.requested_ip = A("10.88.0.50");
        q.server_id = A("10.88.0.1");
        len = dhcp4_build(&q, buf, sizeof(buf));
        ck_assert_int_gt(len, 0);
        ck_assert_ptr_nonnull(o = find_opt(buf, (size_t) len, 50, &ol));
        ck_assert_mem_eq(o, &q.requested_ip, 4);
        ck_assert_ptr_nonnull(o = find_opt(buf, (size_t) len, 54, &ol));
        ck_assert_mem_eq(o, &q.server_id, 4);

        q.type = DHCP4_RELEASE;
        q.ciaddr = A("10.88.0.50");
        q.requested_ip = 0;
        len = dhcp4_build(&q, buf, sizeof(buf));
        ck_assert_int_gt(len, 0);
        ck_assert_ptr_null(find_opt(buf, (size_t) len, 55, &ol));
        ck_assert_ptr_null(find_opt(buf, (size_t) len, 12, &ol));
        ck_assert_mem_eq(buf + 12, &q.ciaddr, 4);
}
END_TEST

START_TEST(test_framing)
{
        uint8_t buf[DHCP4_MAX_MESSAGE + 28];
        const uint8_t *p;
        size_t plen, n;
        uint32_t src;
        struct dhcp4_request q = { .type = DHCP4_DISCOVER, .xid = 7, .mac = { 2, 0, 0, 0, 0, 1 } };
        int len = dhcp4_build(&q, buf + 28, sizeof(buf) - 28);

        ck_assert_int_gt(len, 0);
        n = dhcp4_frame_udp(buf, (size_t) len, A("10.0.0.1"), INADDR_BROADCAST, 67, 68);
        ck_assert_int_eq(dhcp4_unframe_udp(buf, n, false, 68, &p, &plen, &src), 0);
        ck_assert_uint_eq(plen, (size_t) len);
        ck_assert_ptr_eq(p, buf + 28);
        ck_assert_uint_eq(src, A("10.0.0.1"));
        ck_assert_int_eq(dhcp4_unframe_udp(buf, n, false, 67, &p, &plen, NULL), -EBADMSG);
        ck_assert_int_eq(dhcp4_unframe_udp(buf, 27, false, 68, &p, &plen, NULL), -EBADMSG);
        /* A bad UDP checksum: dropped unless the kernel says it is not ready. */
        buf[28 + 100] ^= 1;
        ck_assert_int_eq(dhcp4_unframe_udp(buf, n, false, 68, &p, &plen, NULL), -EPROTO);
        ck_assert_int_eq(dhcp4_unframe_udp(buf, n, true, 68, &p, &plen, NULL), 0);
        /* No UDP checksum at all (RFC 768) is fine. */
        buf[26] = buf[27] = 0;
        ck_assert_int_eq(dhcp4_unframe_udp(buf, n, false, 68, &p, &plen, NULL), 0);
        /* A wrong IP header checksum never is. */
        buf[8] = 1;
        ck_assert_int_eq(dhcp4_unframe_udp(buf, n, true, 68, &p, &plen, NULL), -EBADMSG);
        buf[8] = 64;
        /* UDP length beyond the IP datagram. */
        buf[24] = 0xff;
        ck_assert_int_eq(dhcp4_unframe_udp(buf, n, true, 68, &p, &plen, NULL), -EBADMSG);
}
END_TEST

START_TEST(test_search_option)
{
        /* RFC 3397 example: eng.apple.com. and marketing.apple.com. */
        static const uint8_t ok[] = {
                3, 'e', 'n', 'g', 5, 'a', 'p', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
                9, 'm', 'a', 'r', 'k', 'e', 't', 'i', 'n', 'g', 0xc0, 4,
        };
        char out[DHCP4_MAX_SEARCH][DHCP4_NAME_MAX];
        size_t n;

        ck_assert_int_eq(dhcp4_decode_search(ok, sizeof(ok), out, DHCP4_MAX_SEARCH, &n, warn, NULL), 0);
        ck_assert_uint_eq(n, 2);
        ck_assert_str_eq(out[0], "eng.apple.com");
        ck_assert_str_eq(out[1], "marketing.apple.com");

        /* Truncated anywhere: no crash, at most the names before the cut. */
        for (size_t cut = 0; cut < sizeof(ok); cut++) {
                dhcp4_decode_search(ok, cut, out, DHCP4_MAX_SEARCH, &n, warn, NULL);
                ck_assert_uint_le(n, cut >= 15 ? 1 : 0);
        }
        /* A pointer to itself, a forward pointer, a loop of two. */
        static const uint8_t self[] = { 1, 'a', 0xc0, 0 };
        static const uint8_t fwd[] = { 0xc0, 2, 1, 'a', 0 };
        static const uint8_t loop[] = { 1, 'a', 0, 1, 'b', 0xc0, 5 };
        static const uint8_t loop2[] = { 1, 'a', 0xc0, 4, 1, 'b', 0xc0, 0 };
        static const uint8_t reserved[] = { 0x41, 'a', 0 };
        ck_assert_int_eq(dhcp4_decode_search(self, sizeof(self), out, 8, &n, warn, NULL), -EBADMSG);
        ck_assert_int_eq(dhcp4_decode_search(fwd, sizeof(fwd), out, 8, &n, warn, NULL), -EBADMSG);
        ck_assert_int_eq(dhcp4_decode_search(loop, sizeof(loop), out, 8, &n, warn, NULL), -EBADMSG);
        ck_assert_uint_eq(n, 1);
        ck_assert_int_eq(dhcp4_decode_search(loop2, sizeof(loop2), out, 8, &n, warn, NULL), -EBADMSG);
        ck_assert_int_eq(dhcp4_decode_search(reserved, sizeof(reserved), out, 8, &n, warn, NULL), -EBADMSG);

        /* Bad labels are dropped, good neighbours kept, the warning escaped. */
        static const uint8_t bad[] = {
                4, 'a', '\n', 'b', 'c', 0,
                3, 'x', 0, 'y', 0,
                5, 'a', ';', 'r', 'm', ' ', 0,
                4, 'g', 'o', 'o', 'd', 0,
        };
        n_warnings = 0;
        ck_assert_int_eq(dhcp4_decode_search(bad, sizeof(bad), out, 8, &n, warn, NULL), 0);
        ck_assert_uint_eq(n, 1);
        ck_assert_str_eq(out[0], "good");
        ck_assert_uint_eq(n_warnings, 1);       /* one for the three */
        for (const char *s = last_warning; *s; s++)
                ck_assert(*s >= 0x20 && *s < 0x7f);

        /* A name longer than 253 bytes: 5 labels of 63. */
        uint8_t longname[5 * 64 + 1];
        for (int i = 0; i < 5; i++) {
                longname[i * 64] = 63;
                memset(longname + i * 64 + 1, 'a', 63);
        }
        longname[5 * 64] = 0;
        ck_assert_int_eq(dhcp4_decode_search(longname, sizeof(longname), out, 8, &n, warn, NULL), 0);
        ck_assert_uint_eq(n, 0);
        /* The root alone is not a search domain. */
        ck_assert_int_eq(dhcp4_decode_search((const uint8_t[]) { 0 }, 1, out, 8, &n, warn, NULL), 0);
        ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_routes_option)
{
        static const uint8_t ok[] = {
                0, 10, 88, 0, 254,                     /* default via 10.88.0.254 */
                8, 10, 10, 88, 0, 1,                   /* 10/8 via 10.88.0.1 */
                25, 192, 168, 7, 0x81, 0, 0, 0, 0,     /* 192.168.7.128/25 on-link, host bit cleared */
                32, 1, 2, 3, 4, 10, 88, 0, 2,          /* 1.2.3.4/32 */
        };
        struct dhcp4_route r[DHCP4_MAX_ROUTES];
        size_t n;

        ck_assert_int_eq(dhcp4_decode_routes(ok, sizeof(ok), r, DHCP4_MAX_ROUTES, &n), 0);
        ck_assert_uint_eq(n, 4);
        ck_assert_uint_eq(r[0].prefixlen, 0);
        ck_assert_uint_eq(r[0].dst, 0);
        ck_assert_uint_eq(r[0].gw, A("10.88.0.254"));
        ck_assert_uint_eq(r[1].dst, A("10.0.0.0"));
        ck_assert_uint_eq(r[1].prefixlen, 8);
        ck_assert_uint_eq(r[2].dst, A("192.168.7.128"));
        ck_assert_uint_eq(r[2].gw, 0);
        ck_assert_uint_eq(r[3].dst, A("1.2.3.4"));
        for (size_t cut = 1; cut < sizeof(ok); cut++)
                if (cut != 5 && cut != 11 && cut != 20)
                        ck_assert_int_eq(dhcp4_decode_routes(ok, cut, r, DHCP4_MAX_ROUTES, &n), -EBADMSG);
        ck_assert_int_eq(dhcp4_decode_routes((const uint8_t[]) { 33, 1, 2, 3, 4, 5, 1, 2, 3, 4 }, 10, r, 8, &n), -EBADMSG);
}
END_TEST

START_TEST(test_parse_options)
{
        uint8_t buf[DHCP4_OPTBUF];
        struct dhcp4_message m;
        size_t len;
        /* 121 and 3 both present: the lease keeps both, the client uses 121.
         * Option 119 split in two instances (RFC 3396), 15 with a NUL at the end,
         * 26 MTU 1400, DNS x2. */
        static const uint8_t opts[] = {
                53, 1, 5, 54, 4, 10, 88, 0, 1, 51, 4, 0, 0, 0, 120, 1, 4, 255, 255, 255, 0,
                3, 4, 10, 88, 0, 1, 121, 5, 0, 10, 88, 0, 254, 6, 8, 10, 88, 0, 1, 9, 9, 9, 9,
                26, 2, 0x05, 0x78, 15, 8, 'e', 'x', '.', 't', 'e', 's', 't', 0,
                119, 4, 3, 'f', 'o', 'o', 119, 1, 0,
        };

        len = mk_reply(buf, 1, opts, sizeof(opts));
        ck_assert_int_eq(dhcp4_parse(buf, len, &m, warn, NULL), 0);
        ck_assert_uint_eq(m.type, DHCP4_ACK);
        ck_assert_uint_eq(m.lease.lease_time, 120);
        ck_assert_uint_eq(m.lease.prefixlen, 24);
        ck_assert(m.lease.have_classless);
        ck_assert_uint_eq(m.lease.n_routes, 1);
        ck_assert_uint_eq(m.lease.routes[0].gw, A("10.88.0.254"));
        ck_assert_uint_eq(m.lease.n_dns, 2);
        ck_assert_uint_eq(m.lease.dns[1], A("9.9.9.9"));
        ck_assert_uint_eq(m.lease.mtu, 1400);
        ck_assert_str_eq(m.lease.domain, "ex.test");
        ck_assert_uint_eq(m.lease.n_search, 1);
        ck_assert_str_eq(m.lease.search[0], "foo");
}
END_TEST

START_TEST(test_parse_hostile)
{
        uint8_t buf[DHCP4_OPTBUF];
        struct dhcp4_message m;
        size_t len;

        /* Fixed-length options with the wrong length are dropped alone. */
        len = mk_reply(buf, 1, (const uint8_t[]) { 53, 1, 5, 51, 3, 0, 0, 1, 1, 3, 255, 255, 0, 26, 2, 0, 10 }, 17);
        n_warnings = 0;
        ck_assert_int_eq(dhcp4_parse(buf, len, &m, warn, NULL), 0);
        ck_assert_uint_eq(m.lease.lease_time, 0);
        ck_assert_uint_eq(m.lease.prefixlen, 0);
        ck_assert_uint_eq(m.lease.mtu, 0);
        ck_assert_uint_eq(n_warnings, 3);
        /* A broken message type or overload value refuses the message. */
        len = mk_reply(buf, 1, (const uint8_t[]) { 53, 2, 5, 5 }, 4);
        ck_assert_int_eq(dhcp4_parse(buf, len, &m, warn, NULL), -EBADMSG);
        len = mk_reply(buf, 1, (const uint8_t[]) { 53, 1, 5, 52, 1, 4 }, 6);
        ck_assert_int_eq(dhcp4_parse(buf, len, &m, warn, NULL), -EBADMSG);
        /* An option running past the end of the message. */
        len = mk_reply(buf, 1, (const uint8_t[]) { 53, 1, 5, 12, 200 }, 5);
        ck_assert_int_eq(dhcp4_parse(buf, 246, &m, warn, NULL), -EBADMSG);
        /* Too short, wrong cookie, wrong hardware type. */
        ck_assert_int_eq(dhcp4_parse(buf, 239, &m, warn, NULL), -EBADMSG);
        len = mk_reply(buf, 1, (const uint8_t[]) { 53, 1, 5 }, 3);
        buf[239] = 0;
        ck_assert_int_eq(dhcp4_parse(buf, len, &m, warn, NULL), -EBADMSG);
        len = mk_reply(buf, 1, (const uint8_t[]) { 53, 1, 5 }, 3);
        buf[1] = 6;
        ck_assert_int_eq(dhcp4_parse(buf, len, &m, warn, NULL), -EBADMSG);
        /* A domain name with a newline or ';' never comes out. */
        len = mk_reply(buf, 1, (const uint8_t[]) { 53, 1, 5, 15, 6, 'a', '\n', 'n', 's', ' ', 'x' }, 11);
        ck_assert_int_eq(dhcp4_parse(buf, len, &m, warn, NULL), 0);
        ck_assert_str_eq(m.lease.domain, "");
        ck_assert_ptr_null(strchr(last_warning, '\n'));
        len = mk_reply(buf, 1, (const uint8_t[]) { 53, 1, 5, 15, 4, 'a', ';', 'b', 0 }, 7);
        ck_assert_int_eq(dhcp4_parse(buf, len, &m, warn, NULL), 0);
        ck_assert_str_eq(m.lease.domain, "");
        len = mk_reply(buf, 1, (const uint8_t[]) { 53, 1, 5, 15, 3, 'a', 0, 'b' }, 8);
        ck_assert_int_eq(dhcp4_parse(buf, len, &m, warn, NULL), 0);
        ck_assert_str_eq(m.lease.domain, "");
        /* A malformed 121 is ignored, so the router option counts again. */
        len = mk_reply(buf, 1, (const uint8_t[]) { 53, 1, 5, 121, 3, 24, 10, 88 }, 8);
        ck_assert_int_eq(dhcp4_parse(buf, len, &m, warn, NULL), 0);
        ck_assert(!m.lease.have_classless);
        /* Non-contiguous netmask. */
        len = mk_reply(buf, 1, (const uint8_t[]) { 53, 1, 5, 1, 4, 255, 0, 255, 0 }, 9);
        ck_assert_int_eq(dhcp4_parse(buf, len, &m, warn, NULL), 0);
        ck_assert(!m.lease.have_netmask);
}
END_TEST

START_TEST(test_overload)
{
        uint8_t buf[DHCP4_OPTBUF];
        struct dhcp4_message m;
        size_t len = mk_reply(buf, 1, (const uint8_t[]) { 53, 1, 5, 52, 1, 3 }, 6);

        /* file (108..235) holds the lease time, sname (44..107) the server id */
        memcpy(buf + 108, (const uint8_t[]) { 51, 4, 0, 0, 1, 0, 255 }, 7);
        memcpy(buf + 44, (const uint8_t[]) { 54, 4, 10, 88, 0, 1, 255 }, 7);
        ck_assert_int_eq(dhcp4_parse(buf, len, &m, warn, NULL), 0);
        ck_assert_uint_eq(m.lease.lease_time, 256);
        ck_assert_uint_eq(m.lease.server_id, A("10.88.0.1"));
        /* Only the file field: sname's bytes are not options. */
        buf[245] = 1;
        ck_assert_int_eq(dhcp4_parse(buf, len, &m, warn, NULL), 0);
        ck_assert_uint_eq(m.lease.server_id, 0);
        /* An option running out of the file field. */
        buf[245] = 3;
        memset(buf + 108, 0, 128);
        memcpy(buf + 230, (const uint8_t[]) { 12, 20 }, 2);
        ck_assert_int_eq(dhcp4_parse(buf, len, &m, warn, NULL), -EBADMSG);
}
END_TEST

START_TEST(test_names)
{
        ck_assert(dhcp4_name_valid("example.com"));
        ck_assert(dhcp4_name_valid("example.com."));
        ck_assert(dhcp4_name_valid("a-b.c0"));
        ck_assert(!dhcp4_name_valid(""));
        ck_assert(!dhcp4_name_valid("."));
        ck_assert(!dhcp4_name_valid("a..b"));
        ck_assert(!dhcp4_name_valid("-a.b"));
        ck_assert(!dhcp4_name_valid("a-.b"));
        ck_assert(!dhcp4_name_valid("a b"));
        ck_assert(!dhcp4_name_valid("a;b"));
        ck_assert(!dhcp4_name_valid("a\nb"));
        ck_assert(!dhcp4_name_valid("a_b"));
        char l64[70];
        memset(l64, 'a', 64);
        l64[64] = 0;
        ck_assert(!dhcp4_name_valid(l64));
        l64[63] = 0;
        ck_assert(dhcp4_name_valid(l64));
        ck_assert_int_eq(dhcp4_option_from_string("121"), 121);
        ck_assert_int_eq(dhcp4_option_from_string("domain-search"), 119);
        ck_assert_int_eq(dhcp4_option_from_string("0"), -1);
        ck_assert_int_eq(dhcp4_option_from_string("255"), -1);
        ck_assert_int_eq(dhcp4_option_from_string("x"), -1);
        ck_assert_int_eq(dhcp4_netmask_to_prefixlen(A("255.255.255.0")), 24);
        ck_assert_int_eq(dhcp4_netmask_to_prefixlen(A("255.255.255.255")), 32);
        ck_assert_int_eq(dhcp4_netmask_to_prefixlen(A("0.255.255.255")), -1);
}
END_TEST

START_TEST(test_saved_lease)
{
        struct dhcp4_saved_lease l = { .ifname = "nm_x", .prefixlen = 24, .expires = 1700000000 }, r;
        char buf[512];

        l.address = A("10.88.0.50");
        l.server_id = A("10.88.0.1");
        ck_assert_int_gt(dhcp4_saved_lease_format(&l, buf, sizeof(buf)), 0);
        ck_assert_int_eq(dhcp4_saved_lease_parse(buf, &r), 0);
        ck_assert_str_eq(r.ifname, "nm_x");
        ck_assert_uint_eq(r.address, l.address);
        ck_assert_uint_eq(r.server_id, l.server_id);
        ck_assert_uint_eq(r.prefixlen, 24);
        ck_assert_int_eq(r.expires, 1700000000);
        ck_assert_int_eq(dhcp4_saved_lease_parse("address=10.0.0.1\nprefixlen=8\n", &r), -EBADMSG);
        ck_assert_int_eq(dhcp4_saved_lease_parse("interface=a b\naddress=10.0.0.1\nprefixlen=8\n", &r), -EBADMSG);
        ck_assert_int_eq(dhcp4_saved_lease_parse("interface=x\naddress=10.0.0.1\nprefixlen=33\n", &r), -EBADMSG);
        ck_assert_int_eq(dhcp4_saved_lease_parse("interface=x\naddress=10.0.0.1;\nprefixlen=8\n", &r), -EBADMSG);

        /* With the ACK (issue 16): written as hex, read back byte for byte. */
        static char big[DHCP4_SAVED_LEASE_MAX];
        l.obtained = 1699990000;
        l.ack_len = DHCP4_OPTBUF;
        for (size_t i = 0; i < l.ack_len; i++)
                l.ack[i] = (uint8_t) (i * 7);
        ck_assert_int_gt(dhcp4_saved_lease_format(&l, big, sizeof(big)), 0);
        ck_assert_int_eq(dhcp4_saved_lease_parse(big, &r), 0);
        ck_assert_int_eq(r.obtained, 1699990000);
        ck_assert_uint_eq(r.ack_len, l.ack_len);
        ck_assert_mem_eq(r.ack, l.ack, l.ack_len);
        ck_assert_int_eq(dhcp4_saved_lease_parse("interface=x\naddress=10.0.0.1\nprefixlen=8\nack=0g\n", &r), -EBADMSG);
        ck_assert_int_eq(dhcp4_saved_lease_parse("interface=x\naddress=10.0.0.1\nprefixlen=8\nack=012\n", &r), -EBADMSG);
}
END_TEST


/* issue 13, starvation: the cost of a name in option 119 is bounded (at
 * most DHCP4_MAX_NAME_POINTERS compression pointers), the walk of an option
 * too, and the warnings about one option are few. */
START_TEST(test_search_cost)
{
        static char out[64][DHCP4_NAME_MAX];
        uint8_t data[2048];
        size_t d = 0, n;

        /* "a", then a chain of 40 pointers, each to the one before: name k
         * takes k pointers to read. */
        data[d++] = 1; data[d++] = 'a'; data[d++] = 0;
        for (int i = 0; i < 40; i++) {
                size_t target = i == 0 ? 0 : d - 2;
                data[d++] = 0xc0 | (uint8_t) (target >> 8);
                data[d++] = (uint8_t) target;
        }
        n_warnings = 0;
        dhcp4_decode_search(data, d, out, 64, &n, warn, NULL);
        ck_assert_uint_eq(n, 1 + DHCP4_MAX_NAME_POINTERS);
        ck_assert_str_eq(out[n - 1], "a");
        ck_assert_uint_le(n_warnings, 2);

        /* The invalid name ";" and 1000 bytes of such a chain: few warnings. */
        d = 0;
        data[d++] = 1; data[d++] = ';'; data[d++] = 0;
        while (d + 2 <= 1400) {
                size_t target = d == 3 ? 0 : d - 2;
                data[d++] = 0xc0 | (uint8_t) (target >> 8);
                data[d++] = (uint8_t) target;
        }
        n_warnings = 0;
        dhcp4_decode_search(data, d, out, 64, &n, warn, NULL);
        ck_assert_uint_eq(n, 0);
        ck_assert_uint_le(n_warnings, 3);
        ck_assert_uint_ge(n_warnings, 1);

        /* Valid names beyond the capacity: one warning, not one each. */
        d = 0;
        for (int i = 0; i < 100; i++) {
                data[d++] = 1; data[d++] = 'a' + (i % 26); data[d++] = 0;
        }
        n_warnings = 0;
        dhcp4_decode_search(data, d, out, DHCP4_MAX_SEARCH, &n, warn, NULL);
        ck_assert_uint_eq(n, DHCP4_MAX_SEARCH);
        ck_assert_uint_le(n_warnings, 1);
}
END_TEST

static unsigned count_fds(void)
{
        unsigned n = 0;
        DIR *d = opendir("/proc/self/fd");
        ck_assert_ptr_nonnull(d);
        while (readdir(d))
                n++;
        closedir(d);
        return n;
}

/* issue 13: a failed write (a full state directory) leaks no descriptor. */
START_TEST(test_saved_lease_write_failure)
{
        struct dhcp4_saved_lease l = { .ifname = "nm_x", .prefixlen = 24 }, r;
        char dir[] = "/tmp/nh-dhcp4-lease.XXXXXX", tmp[64], path[64], text[512];
        unsigned before;
        int fd;
        ssize_t len;

        l.address = A("10.88.0.50");
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(tmp, sizeof(tmp), "%s/dhcp4.lease.tmp", dir);
        snprintf(path, sizeof(path), "%s/dhcp4.lease", dir);
        ck_assert_int_eq(dhcp4_saved_lease_save(dir, &l), 0);
        before = count_fds();
        for (int i = 0; i < 20; i++) {
                /* /dev/full: open works, write fails with ENOSPC. */
                ck_assert_int_eq(symlink("/dev/full", tmp), 0);
                ck_assert_int_eq(dhcp4_saved_lease_save(dir, &l), -ENOSPC);
                (void) unlink(tmp);
        }
        ck_assert_uint_eq(count_fds(), before);
        /* The lease saved before is still there, intact. */
        fd = open(path, O_RDONLY);
        ck_assert_int_ge(fd, 0);
        len = read(fd, text, sizeof(text) - 1);
        close(fd);
        ck_assert_int_gt(len, 0);
        text[len] = '\0';
        ck_assert_int_eq(dhcp4_saved_lease_parse(text, &r), 0);
        ck_assert_uint_eq(r.address, l.address);
        unlink(path);
        rmdir(dir);
}
END_TEST


/* issue 13: the routes of a lease, in the order they are installed. */
START_TEST(test_lease_routes)
{
        struct dhcp4_lease l = { .prefixlen = 32, .n_routers = 1 };
        struct dhcp4_route r[DHCP4_MAX_LEASE_ROUTES];
        size_t n;

        /* A /32 with its router outside: on-link host route first. */
        l.address = A("10.88.0.77");
        l.routers[0] = A("10.88.0.1");
        n = dhcp4_lease_routes(&l, r, warn, NULL);
        ck_assert_uint_eq(n, 2);
        ck_assert_uint_eq(r[0].dst, A("10.88.0.1"));
        ck_assert_uint_eq(r[0].prefixlen, 32);
        ck_assert_uint_eq(r[0].gw, 0);
        ck_assert_uint_eq(r[1].dst, 0);
        ck_assert_uint_eq(r[1].prefixlen, 0);
        ck_assert_uint_eq(r[1].gw, A("10.88.0.1"));
        /* A /24 that holds the router: the default route alone. */
        l.prefixlen = 24;
        ck_assert_uint_eq(dhcp4_lease_routes(&l, r, warn, NULL), 1);
        /* A router that is no unicast address: nothing. */
        l.routers[0] = A("224.0.0.1");
        ck_assert_uint_eq(dhcp4_lease_routes(&l, r, warn, NULL), 0);

        /* Option 121: loopback and multicast destinations dropped with a
         * warning each; a gateway outside the subnet reached on-link. */
        l.have_classless = true;
        l.n_routes = 5;
        l.routes[0] = (struct dhcp4_route) { A("127.0.0.0"), 8, A("10.88.0.1") };
        l.routes[1] = (struct dhcp4_route) { A("224.0.0.0"), 4, A("10.88.0.1") };
        l.routes[2] = (struct dhcp4_route) { A("192.168.50.0"), 24, A("10.99.0.1") };
        l.routes[3] = (struct dhcp4_route) { 0, 0, A("10.88.0.1") };
        l.routes[4] = (struct dhcp4_route) { A("10.77.0.0"), 16, A("127.0.0.1") };
        n_warnings = 0;
        n = dhcp4_lease_routes(&l, r, warn, NULL);
        ck_assert_uint_eq(n_warnings, 3);
        ck_assert_uint_eq(n, 3);
        ck_assert_uint_eq(r[0].dst, A("10.99.0.1"));    /* on-link to the outside gateway */
        ck_assert_uint_eq(r[0].prefixlen, 32);
        ck_assert_uint_eq(r[1].dst, A("192.168.50.0"));
        ck_assert_uint_eq(r[2].gw, A("10.88.0.1"));
}
END_TEST

START_TEST(test_arp)
{
        static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
        uint8_t buf[DHCP4_ARP_LEN], sha[6];
        uint32_t spa, tpa;

        ck_assert_uint_eq(dhcp4_arp_build(buf, mac, 0, A("10.88.0.50")), DHCP4_ARP_LEN);
        ck_assert_int_eq(dhcp4_arp_parse(buf, sizeof(buf), sha, &spa, &tpa), 0);
        ck_assert_mem_eq(sha, mac, 6);
        ck_assert_uint_eq(spa, 0);
        ck_assert_uint_eq(tpa, A("10.88.0.50"));
        ck_assert_int_eq(dhcp4_arp_parse(buf, sizeof(buf) - 1, sha, &spa, &tpa), -EBADMSG);
        buf[3] = 0xdd;          /* not IPv4 */
        ck_assert_int_eq(dhcp4_arp_parse(buf, sizeof(buf), sha, &spa, &tpa), -EBADMSG);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("dhcp4-packet");
        TCase *tc = tcase_create("codec");
        SRunner *sr;
        int failed;

        tcase_add_test(tc, test_captures);
        tcase_add_test(tc, test_build_discover_request);
        tcase_add_test(tc, test_framing);
        tcase_add_test(tc, test_search_option);
        tcase_add_test(tc, test_routes_option);
        tcase_add_test(tc, test_parse_options);
        tcase_add_test(tc, test_parse_hostile);
        tcase_add_test(tc, test_overload);
        tcase_add_test(tc, test_names);
        tcase_add_test(tc, test_saved_lease);
        tcase_add_test(tc, test_search_cost);
        tcase_add_test(tc, test_saved_lease_write_failure);
        tcase_add_test(tc, test_lease_routes);
        tcase_add_test(tc, test_arp);
        suite_add_tcase(s, tc);
        sr = srunner_create(s);
        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? 1 : 0;
}
