/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * DHCPv6 client state machine (RFC 8415, stateful IA_NA).  Plain logic: the
 * clock, randomness, the socket and what happens on a lease change are
 * injected through struct dhcp6_ops, so tests drive it without a network.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "dhcp6-protocol.h"

#define USEC_PER_SEC 1000000ULL
#define DHCP6_NEVER UINT64_MAX

enum dhcp6_state {
        DHCP6_STATE_STOPPED,
        DHCP6_STATE_INIT,       /* the random delay before the first SOLICIT */
        DHCP6_STATE_SOLICITING,
        DHCP6_STATE_REQUESTING,
        DHCP6_STATE_BOUND,
        DHCP6_STATE_RENEWING,
        DHCP6_STATE_REBINDING,
        DHCP6_STATE_RELEASING,  /* stopping: RELEASE sent, waiting for its REPLY */
        DHCP6_STATE_CONFIRMING, /* the link came back: is the lease still on link? */
};

struct dhcp6_lease {
        uint8_t server_id[DHCP6_DUID_MAX];
        size_t server_id_len;
        struct in6_addr addr;
        uint32_t preferred, valid;      /* seconds from acquired, DHCP6_INFINITY */
        uint32_t t1, t2;                /* as used (RFC 8415 21.4 defaults applied) */
        uint64_t acquired;              /* ops->now() when the REPLY came */
        struct in6_addr dns[DHCP6_MAX_DNS];
        size_t n_dns;
        char domains[DHCP6_MAX_DOMAINS][DHCP6_DOMAIN_MAX];
        size_t n_domains;
        size_t n_bad_domains;           /* undecodable names in option 24, dropped */
};

enum dhcp6_event {
        DHCP6_EVENT_BOUND,      /* a new lease (first one or a new address) */
        DHCP6_EVENT_UPDATED,    /* the same address, lifetimes/options refreshed */
        DHCP6_EVENT_EXPIRED,    /* the valid lifetime ran out: remove the address */
};

struct dhcp6_ops {
        uint64_t (*now)(void *userdata);        /* monotonic, microseconds */
        uint32_t (*random)(void *userdata);
        /* Send to All_DHCP_Relay_Agents_and_Servers (ff02::1:2) port 547. */
        int (*send)(void *userdata, const uint8_t *buf, size_t len);
        void (*event)(void *userdata, enum dhcp6_event event, const struct dhcp6_lease *lease);
        void (*log)(void *userdata, int prio, const char *fmt, va_list ap);
};

struct dhcp6_config {
        uint8_t duid[DHCP6_DUID_MAX];
        size_t duid_len;
        uint32_t iaid;
        bool solicit_delay;     /* RFC 8415 18.2.1 random 0..SOL_MAX_DELAY */
        bool rapid_commit;
        bool release;
        uint16_t oro[32];
        size_t n_oro;
};

struct dhcp6_client;

/* The largest REPLY kept for a restart. */
#define DHCP6_SAVED_MAX 2048

int dhcp6_client_new(const struct dhcp6_config *cfg, const struct dhcp6_ops *ops, void *userdata,
                     struct dhcp6_client **ret);
void dhcp6_client_free(struct dhcp6_client *c);

/* Begin soliciting (after the random delay when configured). */
int dhcp6_client_start(struct dhcp6_client *c);
/* Feed one UDP payload received on port 546. */
void dhcp6_client_receive(struct dhcp6_client *c, const uint8_t *buf, size_t len);
/* When the next timer fires (ops->now() time base), DHCP6_NEVER if none. */
uint64_t dhcp6_client_next_timeout(const struct dhcp6_client *c);
/* Run what is due at ops->now(). */
void dhcp6_client_timeout(struct dhcp6_client *c);
/* Start after a restart with the saved REPLY of the lease (see
 * dhcp6_client_lease_reply()), received age microseconds ago.  When it is
 * ours and still valid, the lease is BOUND at once with what is left of
 * its lifetimes (an event BOUND; nothing is sent) and 1 is returned: the
 * caller then asks for it with dhcp6_client_confirm(), and with no answer
 * the client goes on using it while it is valid (RFC 8415 18.2.3,
 * 18.2.10.1).  Otherwise an ordinary start (0). */
int dhcp6_client_start_saved(struct dhcp6_client *c, const uint8_t *reply, size_t len, uint64_t age);
/* The REPLY that gave or last extended the lease, to save; NULL when there
 * is no lease or it did not fit. */
const uint8_t *dhcp6_client_lease_reply(const struct dhcp6_client *c, size_t *len);
/* Stop: with release, sends RELEASE for a held address and enters
 * RELEASING, where receive() and timeout() go on until the REPLY comes or
 * REL_MAX_RC transmissions are done (then STOPPED); otherwise STOPPED at
 * once (a restart keeps the lease: the caller has saved it).  Returns 1
 * when an address was held (the caller removes it), 0 otherwise. */
int dhcp6_client_stop(struct dhcp6_client *c, bool release);

/* The link came back after being down or without carrier, maybe on
 * another network (RFC 8415 18.2.3): with a lease (BOUND, RENEWING,
 * REBINDING), CONFIRM its address to any server, the first one after a
 * random 0-1 s.  A REPLY with NotOnLink drops the lease and solicits
 * again; any other REPLY, or none within CNF_MAX_RD, keeps it (18.2.10.1).
 * Returns 1 when a confirmation started, 0 when there is nothing to
 * confirm. */
int dhcp6_client_confirm(struct dhcp6_client *c);

enum dhcp6_state dhcp6_client_state(const struct dhcp6_client *c);
uint32_t dhcp6_client_xid(const struct dhcp6_client *c);
const struct dhcp6_lease *dhcp6_client_lease(const struct dhcp6_client *c);
const char *dhcp6_state_name(enum dhcp6_state s);

/* RFC 8415 7.6 transmission parameters, in microseconds. */
#define DHCP6_SOL_MAX_DELAY (1 * USEC_PER_SEC)
#define DHCP6_SOL_TIMEOUT (1 * USEC_PER_SEC)
#define DHCP6_SOL_MAX_RT (3600 * USEC_PER_SEC)
#define DHCP6_REQ_TIMEOUT (1 * USEC_PER_SEC)
#define DHCP6_REQ_MAX_RT (30 * USEC_PER_SEC)
#define DHCP6_REQ_MAX_RC 10
#define DHCP6_REN_TIMEOUT (10 * USEC_PER_SEC)
#define DHCP6_REN_MAX_RT (600 * USEC_PER_SEC)
#define DHCP6_REB_TIMEOUT (10 * USEC_PER_SEC)
#define DHCP6_REB_MAX_RT (600 * USEC_PER_SEC)
#define DHCP6_CNF_MAX_DELAY (1 * USEC_PER_SEC)
#define DHCP6_CNF_TIMEOUT (1 * USEC_PER_SEC)
#define DHCP6_CNF_MAX_RT (4 * USEC_PER_SEC)
#define DHCP6_CNF_MAX_RD (10 * USEC_PER_SEC)
#define DHCP6_REL_TIMEOUT (1 * USEC_PER_SEC)
#define DHCP6_REL_MAX_RC 4
