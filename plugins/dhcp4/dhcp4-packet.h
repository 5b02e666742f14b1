/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * DHCPv4 packet codec (RFC 2131, RFC 2132, RFC 3396, RFC 3442, RFC 3397).
 *
 * Pure functions: no sockets, no clock, no global state.  Everything read
 * from the network is bounds-checked here; names that do not follow the DNS
 * label rules are dropped with an escaped warning before they reach the
 * caller.
 */
#ifndef NH_DHCP4_PACKET_H
#define NH_DHCP4_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 2131 2: fixed BOOTP header, then the magic cookie. */
#define DHCP4_HEADER_LEN        236
#define DHCP4_COOKIE            0x63825363u
#define DHCP4_OPTIONS_OFFSET    240
/* RFC 2131 2: "a DHCP client must be prepared to receive DHCP messages with
 * an 'options' field of at least length 312 octets", i.e. 576-byte IP
 * datagrams.  We never ask for more than we can take in one buffer. */
#define DHCP4_MIN_MESSAGE       576
#define DHCP4_MAX_MESSAGE       1500
/* Largest UDP payload parsed, and room for one concatenated option. */
#define DHCP4_OPTBUF            2048
/* BOOTP relays and old servers drop messages shorter than 300 bytes. */
#define DHCP4_MIN_BOOTP_LEN     300

#define DHCP4_SERVER_PORT       67
#define DHCP4_CLIENT_PORT       68

#define DHCP4_MAX_DNS           8
#define DHCP4_MAX_SEARCH        8
#define DHCP4_MAX_ROUTERS       4
#define DHCP4_MAX_ROUTES        32
#define DHCP4_NAME_MAX          254     /* 253 + NUL */
#define DHCP4_MAX_CLIENT_ID     64
#define DHCP4_MAX_PRL           32
/* Compression pointers followed for one name of option 119: real lists
 * need one or two per name. */
#define DHCP4_MAX_NAME_POINTERS 32

enum {
        DHCP4_BOOTREQUEST = 1,
        DHCP4_BOOTREPLY   = 2,
};

enum dhcp4_type {
        DHCP4_DISCOVER = 1,
        DHCP4_OFFER    = 2,
        DHCP4_REQUEST  = 3,
        DHCP4_DECLINE  = 4,
        DHCP4_ACK      = 5,
        DHCP4_NAK      = 6,
        DHCP4_RELEASE  = 7,
        DHCP4_INFORM   = 8,
};

enum {
        DHCP4_OPT_PAD                = 0,
        DHCP4_OPT_SUBNET_MASK        = 1,
        DHCP4_OPT_ROUTER             = 3,
        DHCP4_OPT_DNS                = 6,
        DHCP4_OPT_HOSTNAME           = 12,
        DHCP4_OPT_DOMAIN_NAME        = 15,
        DHCP4_OPT_MTU                = 26,
        DHCP4_OPT_BROADCAST          = 28,
        DHCP4_OPT_NTP                = 42,
        DHCP4_OPT_REQUESTED_IP       = 50,
        DHCP4_OPT_LEASE_TIME         = 51,
        DHCP4_OPT_OVERLOAD           = 52,
        DHCP4_OPT_MESSAGE_TYPE       = 53,
        DHCP4_OPT_SERVER_ID          = 54,
        DHCP4_OPT_PRL                = 55,
        DHCP4_OPT_MESSAGE            = 56,
        DHCP4_OPT_MAX_MESSAGE_SIZE   = 57,
        DHCP4_OPT_T1                 = 58,
        DHCP4_OPT_T2                 = 59,
        DHCP4_OPT_VENDOR_CLASS       = 60,
        DHCP4_OPT_CLIENT_ID          = 61,
        DHCP4_OPT_RAPID_COMMIT       = 80,      /* RFC 4039 */
        DHCP4_OPT_IPV6_ONLY          = 108,     /* RFC 8925 */
        DHCP4_OPT_DOMAIN_SEARCH      = 119,
        DHCP4_OPT_CLASSLESS_ROUTES   = 121,
        DHCP4_OPT_END                = 255,
};

struct dhcp4_route {
        uint32_t dst;           /* network byte order, host bits cleared */
        uint8_t prefixlen;
        uint32_t gw;            /* 0: on-link */
};

/* What a server told us, decoded and validated. */
struct dhcp4_lease {
        uint32_t address;       /* yiaddr, network byte order */
        uint32_t server_id;
        uint8_t prefixlen;      /* from option 1; 0 when absent */
        bool have_netmask;
        uint32_t broadcast;
        uint32_t lease_time;    /* seconds; 0xffffffff: infinite */
        uint32_t t1, t2;        /* seconds, 0 when absent */
        uint16_t mtu;           /* 0 when absent or invalid */

        uint32_t routers[DHCP4_MAX_ROUTERS];
        size_t n_routers;
        struct dhcp4_route routes[DHCP4_MAX_ROUTES];    /* option 121 */
        size_t n_routes;
        bool have_classless;

        uint32_t dns[DHCP4_MAX_DNS];
        size_t n_dns;
        char domain[DHCP4_NAME_MAX];                    /* option 15, "" when absent */
        char search[DHCP4_MAX_SEARCH][DHCP4_NAME_MAX];  /* option 119 */
        size_t n_search;
};

struct dhcp4_message {
        uint8_t op;
        uint32_t xid;           /* host byte order */
        uint16_t secs, flags;
        uint32_t ciaddr, yiaddr, siaddr, giaddr;
        uint8_t chaddr[16];
        uint8_t type;           /* option 53; 0 when absent (BOOTP) */
        char message[128];      /* option 56, escaped for logging */
        bool rapid_commit;      /* option 80 present (RFC 4039) */
        bool have_v6only;       /* option 108 (RFC 8925), with its V6ONLY_WAIT */
        uint32_t v6only_wait;
        struct dhcp4_lease lease;
};

/* Warnings from the parser (dropped names, bad options).  The text is
 * already escaped: it holds only printable ASCII. */
typedef void (*dhcp4_warn_fn)(void *userdata, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* Parse the UDP payload of a DHCP message.  Returns 0, or -EBADMSG when it
 * is not a well-formed DHCP/BOOTP message.  Bad individual options are
 * dropped (with a warning) without failing the whole message. */
int dhcp4_parse(const uint8_t *buf, size_t len, struct dhcp4_message *ret,
                dhcp4_warn_fn warn, void *userdata);

/* Only the fixed BOOTP header (op, xid, chaddr, addresses): what tells
 * whether a message is for us at all, before any option is read. */
int dhcp4_parse_header(const uint8_t *buf, size_t len, struct dhcp4_message *ret);

/* Option decoders, exposed for the unit tests and the fuzzer. */
int dhcp4_decode_search(const uint8_t *data, size_t len,
                        char out[][DHCP4_NAME_MAX], size_t max, size_t *n,
                        dhcp4_warn_fn warn, void *userdata);
int dhcp4_decode_routes(const uint8_t *data, size_t len,
                        struct dhcp4_route *out, size_t max, size_t *n);

/* 1 when name follows RFC 1035 label rules (letters, digits, '-', labels of
 * 1-63 bytes not starting or ending with '-', at most 253 bytes, optional
 * final dot), 0 otherwise. */
int dhcp4_name_valid(const char *name);

/* Writes a printable, escaped copy of len bytes of s into out (size n).
 * Returns out. */
char *dhcp4_escape(const uint8_t *s, size_t len, char *out, size_t n);

/* What goes into a client message. */
struct dhcp4_request {
        enum dhcp4_type type;
        uint32_t xid;
        uint16_t secs;
        bool broadcast_flag;
        uint32_t ciaddr;        /* network byte order */
        uint32_t requested_ip;  /* option 50 when non-zero */
        uint32_t server_id;     /* option 54 when non-zero */
        uint8_t mac[6];
        const uint8_t *client_id;       /* option 61 when client_id_len > 0 */
        size_t client_id_len;
        const char *hostname;           /* option 12 when non-NULL */
        const char *vendor_class;       /* option 60 when non-NULL */
        const uint8_t *prl;             /* option 55 when prl_len > 0 */
        size_t prl_len;
        uint16_t max_message_size;      /* option 57 when non-zero */
        bool rapid_commit;              /* option 80 in a DHCPDISCOVER (RFC 4039) */
};

/* Build a client message into buf (size >= DHCP4_MAX_MESSAGE).  Returns its
 * length or -ENOBUFS/-EINVAL. */
int dhcp4_build(const struct dhcp4_request *req, uint8_t *buf, size_t size);

/* IPv4 + UDP framing for the packet socket (no address yet).  Builds the
 * headers in front of a payload already placed at buf + 28. */
size_t dhcp4_frame_udp(uint8_t *buf, size_t payload_len,
                       uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport);

/* Checks an IPv4/UDP datagram received on the packet socket and returns the
 * UDP payload through payload and payload_len.  The IP header checksum must
 * be right.  The UDP checksum rule: zero means "none" (RFC 768) and is
 * accepted; a non-zero wrong one is accepted only when csum_not_ready is
 * true, i.e. the kernel marked the packet TP_STATUS_CSUMNOTREADY (it was
 * sent locally over a veth with checksum offload and never got its final
 * checksum); otherwise the packet is dropped.  Returns 0, -EBADMSG
 * (malformed, wrong IP checksum, not to dport), -EPROTO (bad UDP checksum). */
int dhcp4_unframe_udp(const uint8_t *buf, size_t len, bool csum_not_ready, uint16_t dport,
                      const uint8_t **payload, size_t *payload_len, uint32_t *src);

uint16_t dhcp4_ip_checksum(const void *data, size_t len);

const char *dhcp4_type_to_string(int type);
/* Option name <-> number for the "request" key; -1 when unknown. */
int dhcp4_option_from_string(const char *s);

/* The routes a lease asks for, in the order to install them: option 121
 * when present (it replaces option 3, RFC 3442), else the default route
 * via the first router.  Routes to loopback or multicast destinations, or
 * through a gateway that is no unicast address, are dropped with a warning.
 * A gateway outside the leased subnet (a /32 lease, say) first gets an
 * on-link host route, as dhclient's script does.  out holds
 * DHCP4_MAX_LEASE_ROUTES; returns the count. */
#define DHCP4_MAX_LEASE_ROUTES (2 * DHCP4_MAX_ROUTES + 1)
size_t dhcp4_lease_routes(const struct dhcp4_lease *l, struct dhcp4_route *out,
                          dhcp4_warn_fn warn, void *userdata);

/* ARP for IPv4 over Ethernet (RFC 826) as a SOCK_DGRAM packet socket sees
 * it: the 28 bytes after the Ethernet header.  Build: a request from mac
 * with sender spa and target tpa (RFC 5227 probes and announcements).
 * Parse: 0 and the sender's hardware and protocol address and the target
 * protocol address, or -EBADMSG. */
#define DHCP4_ARP_LEN 28
size_t dhcp4_arp_build(uint8_t *buf, const uint8_t mac[6], uint32_t spa, uint32_t tpa);
int dhcp4_arp_parse(const uint8_t *buf, size_t len, uint8_t sha[6], uint32_t *spa, uint32_t *tpa);

/* Prefix length of a contiguous netmask (network byte order), or -1. */
int dhcp4_netmask_to_prefixlen(uint32_t mask);
uint32_t dhcp4_prefixlen_to_netmask(unsigned prefixlen);

#endif
