/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * DHCPv6 message codec (RFC 8415): bounds-checked parsing of what a server
 * sends and building of what a client sends.  No I/O, no global state.
 */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP6_CLIENT_PORT 546
#define DHCP6_SERVER_PORT 547

enum {
        DHCP6_SOLICIT = 1,
        DHCP6_ADVERTISE = 2,
        DHCP6_REQUEST = 3,
        DHCP6_CONFIRM = 4,
        DHCP6_RENEW = 5,
        DHCP6_REBIND = 6,
        DHCP6_REPLY = 7,
        DHCP6_RELEASE = 8,
        DHCP6_DECLINE = 9,
};

enum {
        DHCP6_OPT_CLIENTID = 1,
        DHCP6_OPT_SERVERID = 2,
        DHCP6_OPT_IA_NA = 3,
        DHCP6_OPT_IAADDR = 5,
        DHCP6_OPT_ORO = 6,
        DHCP6_OPT_PREFERENCE = 7,
        DHCP6_OPT_ELAPSED_TIME = 8,
        DHCP6_OPT_STATUS_CODE = 13,
        DHCP6_OPT_RAPID_COMMIT = 14,
        DHCP6_OPT_DNS_SERVERS = 23,
        DHCP6_OPT_DOMAIN_LIST = 24,
};

enum {
        DHCP6_STATUS_SUCCESS = 0,
        DHCP6_STATUS_UNSPEC_FAIL = 1,
        DHCP6_STATUS_NO_ADDRS_AVAIL = 2,
        DHCP6_STATUS_NO_BINDING = 3,
        DHCP6_STATUS_NOT_ON_LINK = 4,
        DHCP6_STATUS_USE_MULTICAST = 5,
};

/* RFC 8415 11.1: a DUID is at most 128 octets after its 2-octet type. */
#define DHCP6_DUID_MAX 130
#define DHCP6_MAX_ADDRS 8
#define DHCP6_MAX_DNS 8
#define DHCP6_MAX_DOMAINS 8
/* 253 characters of text plus the NUL; 255 octets on the wire (RFC 1035 3.1). */
#define DHCP6_DOMAIN_MAX 254
#define DHCP6_INFINITY 0xffffffffu

struct dhcp6_iaaddr {
        struct in6_addr addr;
        uint32_t preferred;
        uint32_t valid;
        int status;             /* DHCP6_STATUS_*, SUCCESS when absent */
};

struct dhcp6_message {
        uint8_t type;
        uint32_t xid;           /* 24 bits */

        uint8_t client_id[DHCP6_DUID_MAX];
        size_t client_id_len;   /* 0: absent */
        uint8_t server_id[DHCP6_DUID_MAX];
        size_t server_id_len;   /* 0: absent */

        bool has_preference;
        uint8_t preference;
        bool rapid_commit;
        int status;             /* top-level status code, SUCCESS when absent */

        /* The IA_NA whose IAID was asked for; others are skipped. */
        bool has_ia_na;
        uint32_t iaid, t1, t2;
        int ia_status;
        struct dhcp6_iaaddr addrs[DHCP6_MAX_ADDRS];
        size_t n_addrs;

        struct in6_addr dns[DHCP6_MAX_DNS];
        size_t n_dns;
        /* Decoded names, still unchecked against DNS label rules: they may
         * hold any byte but NUL.  Names that cannot be decoded (truncated,
         * compression pointer, too long, NUL byte) are only counted. */
        char domains[DHCP6_MAX_DOMAINS][DHCP6_DOMAIN_MAX];
        size_t n_domains;
        size_t n_bad_domains;
};

/* Parse a message from a server (ADVERTISE, REPLY; any type is decoded).
 * Returns 0, or -EBADMSG when the message is malformed (truncated option,
 * duplicate identifiers, bad lengths). */
int dhcp6_parse(const uint8_t *buf, size_t len, uint32_t iaid, struct dhcp6_message *m);

/* Decode an RFC 1035 uncompressed domain list (option 24).  Returns the
 * number of names stored in out (at most max), counts undecodable names in
 * *bad. */
size_t dhcp6_decode_domains(const uint8_t *p, size_t len, char out[][DHCP6_DOMAIN_MAX], size_t max,
                            size_t *bad);

/* What a client sends.  server_id_len == 0: no Server Identifier;
 * have_addr: an IAADDR inside the IA_NA. */
struct dhcp6_request {
        uint8_t type;
        uint32_t xid;
        const uint8_t *client_id;
        size_t client_id_len;
        const uint8_t *server_id;
        size_t server_id_len;
        uint32_t iaid;
        bool have_addr;
        struct in6_addr addr;
        bool rapid_commit;
        uint16_t elapsed;       /* hundredths of a second */
        const uint16_t *oro;
        size_t n_oro;
};

/* Returns the length written, or -ENOBUFS. */
int dhcp6_build(const struct dhcp6_request *r, uint8_t *buf, size_t size);

/* Writes s into out with every byte but letters, digits, '.', '-' and '_'
 * as \xNN (always NUL-terminated, truncated to size).  For log lines. */
void dhcp6_escape(const char *s, char *out, size_t size);

const char *dhcp6_type_name(int type);
const char *dhcp6_status_name(int status);
