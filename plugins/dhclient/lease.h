/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What ISC dhclient hands its -sf script, parsed and checked.
 *
 * dhclient passes everything it learnt from the server as environment
 * variables (dhclient-script(8)): reason, interface, new_ip_address,
 * new_domain_name_servers, ...  Every one of them carries bytes chosen by
 * whoever answers on the link, so nothing here trusts them: addresses are
 * parsed with inet_pton and printed back, numbers are range-checked, names
 * must follow the DNS label rules, lists are bounded.  Anything that fails
 * is dropped with a warning; a missing or invalid address makes a reason
 * that needs one fail as a whole.
 *
 * The same parser reads the report the handler sends to the plugin process
 * (the validated lease, printed again as key=value lines), so the plugin
 * never acts on anything that did not pass these checks twice.
 *
 * Pure logic: no kernel, no files.  Unit-tested in tests/dhclient.
 */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHC_MAX_ROUTERS 8
#define DHC_MAX_ROUTES  16
#define DHC_MAX_SERVERS 8
#define DHC_MAX_SEARCH  8
#define DHC_NAME_MAX    254     /* 253 + an optional final dot */
#define DHC_IFNAME_MAX  16      /* IFNAMSIZ */
#define DHC_REPORT_MAX  4096

enum dhc_action {
        DHC_ACT_NONE,           /* nothing to do (MEDIUM, ARPCHECK, DEPREF6, ...) */
        DHC_ACT_PREINIT,        /* bring the link up */
        DHC_ACT_BIND,           /* configure new_* (BOUND, RENEW, REBIND, REBOOT and the 6 forms) */
        DHC_ACT_UNBIND,         /* remove old_* (EXPIRE, FAIL, RELEASE, STOP and the 6 forms) */
        DHC_ACT_TIMEOUT,        /* an old lease offered without a server: refuse it */
};

struct dhc_addr {
        int family;             /* 0 when unset, AF_INET or AF_INET6 */
        uint8_t bytes[16];
        unsigned prefixlen;
};

struct dhc_route {
        struct dhc_addr dst;    /* with prefixlen */
        struct dhc_addr gw;     /* family 0: on-link */
};

struct dhc_lease {
        int family;                     /* AF_INET (dhclient -4) or AF_INET6 (-6) */
        char reason[16];                /* as given, only [A-Z0-9] */
        enum dhc_action action;
        char ifname[DHC_IFNAME_MAX];

        struct dhc_addr addr;           /* new address with prefix length */
        struct dhc_addr old_addr;       /* old address with prefix length */
        struct dhc_addr broadcast;      /* IPv4 only, may be unset */

        struct dhc_addr routers[DHC_MAX_ROUTERS];
        size_t n_routers;
        /* RFC 3442 classless static routes; when present they replace the
         * router option (RFC 3442 section 2). */
        struct dhc_route routes[DHC_MAX_ROUTES];
        size_t n_routes;

        char servers[DHC_MAX_SERVERS][INET6_ADDRSTRLEN];
        size_t n_servers;
        char search[DHC_MAX_SEARCH][DHC_NAME_MAX];
        size_t n_search;

        uint32_t mtu;                   /* 0: unset */
        uint32_t lease_time;            /* seconds, IPv4 valid lifetime; 0 xffffffff: infinite */
        uint32_t preferred_life;        /* IPv6 */
        uint32_t max_life;              /* IPv6 */
        int64_t expiry;                 /* seconds since the Epoch, 0: unknown */
};

/* Receives one warning about a dropped value (already safe to print). */
typedef void (*dhc_warn_fn)(void *userdata, const char *msg);
/* Returns the value of an environment variable or NULL. */
typedef const char *(*dhc_get_fn)(void *userdata, const char *key);

/* Parse the variables of one script call.  family is what the plugin
 * started dhclient with.  Returns 0, or -EINVAL when the reason is unknown
 * or malformed, the interface name is invalid, or the action needs an
 * address that is missing or invalid (warn says why). */
int dhc_lease_parse(int family, dhc_get_fn get, void *get_data,
                    dhc_warn_fn warn, void *warn_data, struct dhc_lease *ret);

/* Print a parsed lease as "key=value\n" lines in dhclient's own variable
 * names, which dhc_lease_parse() reads back identically.  Returns the
 * length, or -ENOBUFS. */
int dhc_lease_format(const struct dhc_lease *l, char *buf, size_t size);

/* A getter over "key=value\n" lines (the report), for dhc_lease_parse().
 * The buffer is NUL-terminated; the getter takes lines as they are. */
const char *dhc_lines_get(void *text, const char *key);

/* RFC 1035 host name rules as resolv.conf needs them: labels of letters,
 * digits and '-' (not first or last), 1-63 bytes, 253 in all, an optional
 * final dot. */
bool dhc_name_valid(const char *name);

/* Address helpers. */
int dhc_addr_parse(int family, const char *s, struct dhc_addr *ret);
const char *dhc_addr_str(const struct dhc_addr *a, char *buf, size_t size);
bool dhc_addr_same_subnet(const struct dhc_addr *net, const struct dhc_addr *a);
