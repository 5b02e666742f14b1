/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The DHCPv4 client state machine (RFC 2131 4.4, figure 5).
 *
 * Plain logic: the clock, randomness, the sockets and the kernel
 * configuration are reached through struct dhcp4_client_ops, so the unit
 * tests drive it with a fake clock and capture what it sends.  The owner
 * calls dhcp4_client_receive() for every datagram and
 * dhcp4_client_timeout() when dhcp4_client_next_timeout() has passed.
 */
#ifndef NH_DHCP4_CLIENT_H
#define NH_DHCP4_CLIENT_H

#include <netns-helper/sdk.h>

#include "dhcp4-packet.h"

#define USEC_PER_SEC 1000000ULL
#define DHCP4_NEVER UINT64_MAX

enum dhcp4_state {
        DHCP4_STATE_STOPPED,
        DHCP4_STATE_INIT,
        DHCP4_STATE_SELECTING,
        DHCP4_STATE_REQUESTING,
        DHCP4_STATE_BOUND,
        DHCP4_STATE_RENEWING,
        DHCP4_STATE_REBINDING,
        DHCP4_STATE_INIT_REBOOT,
        DHCP4_STATE_PROBING,            /* RFC 5227 2.1.1: the ACKed address, before use */
};

/* Address conflict detection (RFC 5227). */
enum dhcp4_acd {
        DHCP4_ACD_OFF,
        DHCP4_ACD_FAST,         /* 2 probes 100 ms apart, bound 250 ms after the ACK */
        DHCP4_ACD_RFC,          /* the RFC's timings: 3 probes 1-2 s apart, 2 s wait: 4-7 s */
};

struct dhcp4_client_config {
        uint8_t mac[6];
        uint8_t client_id[DHCP4_MAX_CLIENT_ID];
        size_t client_id_len;
        char hostname[DHCP4_NAME_MAX];          /* "" : not sent */
        char vendor_class[256];                 /* "" : not sent */
        uint8_t prl[DHCP4_MAX_PRL];
        size_t prl_len;
        uint16_t max_message_size;              /* option 57; 0: not sent */
        uint64_t start_delay;                   /* usec before the first DISCOVER */
        enum dhcp4_acd acd;                     /* needs ops->arp_send */
        bool rapid_commit;                      /* RFC 4039: option 80 in DISCOVER */
        bool ipv6_only;                         /* RFC 8925: ask for option 108 and honour it */
};

struct dhcp4_client_ops {
        /* Monotonic time in microseconds. */
        uint64_t (*now)(void *userdata);
        uint32_t (*random)(void *userdata);
        /* dst INADDR_BROADCAST (network order): broadcast from 0.0.0.0 over
         * the packet socket; anything else: unicast from the bound address
         * over the UDP socket. */
        int (*send)(void *userdata, uint32_t dst, const uint8_t *msg, size_t len);
        /* A lease was acknowledged: configure it.  renewed: the same
         * address as the lease already configured.  A negative return
         * stops the client with that error. */
        int (*bound)(void *userdata, const struct dhcp4_lease *lease, bool renewed);
        /* The lease is gone (expired, NAK): remove its address and routes. */
        void (*unbound)(void *userdata, const struct dhcp4_lease *lease, const char *why);
        void (*log)(void *userdata, int prio, const char *fmt, ...)
                __attribute__((format(printf, 3, 4)));
        /* Optional (RFC 5227): broadcast an ARP request from our MAC with
         * these sender and target addresses (network order): a probe has
         * sender 0.0.0.0, an announcement sender = target. */
        int (*arp_send)(void *userdata, uint32_t sender_ip, uint32_t target_ip);
        /* Optional (RFC 8925): the server prefers this client IPv6-only;
         * no DHCPv4 for wait seconds. */
        void (*ipv6_only)(void *userdata, uint32_t wait);
};

struct dhcp4_client {
        struct dhcp4_client_config cfg;
        const struct dhcp4_client_ops *ops;
        void *userdata;

        enum dhcp4_state state;
        uint32_t xid;
        uint64_t exchange_start;        /* for the secs field */
        uint64_t request_sent;          /* first REQUEST of this exchange: lease times count from it */
        uint64_t timer;                 /* next timeout, DHCP4_NEVER: none */
        unsigned attempt;               /* transmissions in this state */
        unsigned naks;                  /* consecutive NAKs, for the restart backoff */

        struct dhcp4_lease offer;       /* the offer being requested */
        struct dhcp4_lease lease;       /* the configured lease */
        bool have_lease;
        bool configured;                /* bound() took the lease (false after a restore) */
        /* The DHCPACK of the lease as received: the owner saves it, and a
         * restart gives it back to dhcp4_client_start_saved(). */
        uint8_t ack[DHCP4_OPTBUF];
        size_t ack_len;
        uint32_t reboot_address;        /* INIT-REBOOT: the address asked for */
        uint64_t t1_at, t2_at, expire_at;

        int error;                      /* set when bound() failed */

        /* RFC 5227: probing c->offer (the ACKed lease), announcing, defending. */
        unsigned probes, announces, declines;
        uint64_t announce_at, last_conflict;
        uint32_t decline_addr, decline_server;

        /* Warnings about what a server sent: at most WARN_BURST a minute,
         * anyone on the LAN can send to port 68 (issue 13). */
        struct nh_ratelimit warn_limit;

        /* For the error message when no lease comes. */
        unsigned sent[DHCP4_INFORM + 1];
        unsigned received, ignored;
        char last_ignored[96];
        uint32_t last_server;
};

void dhcp4_client_init(struct dhcp4_client *c, const struct dhcp4_client_config *cfg,
                       const struct dhcp4_client_ops *ops, void *userdata);
/* Start in INIT, or in INIT-REBOOT asking for reboot_address when non-zero
 * (RFC 2131 3.2: a client that remembers its address). */
int dhcp4_client_start(struct dhcp4_client *c, uint32_t reboot_address);
/* Start after a restart with the saved DHCPACK of a lease obtained age
 * microseconds ago.  Still valid: INIT-REBOOT for it, and when no server
 * answers, the lease is used until it ends (RFC 2131 3.2 step 5, 4.4.2):
 * bound() configures it (renewed false) and it is renewed at T1.  Expired:
 * INIT-REBOOT for its address only.  Not an ACK: an ordinary start. */
int dhcp4_client_start_saved(struct dhcp4_client *c, const uint8_t *ack, size_t len, uint64_t age);
/* The link came back after being down or without carrier: the network
 * may be another one now.  With a lease (BOUND, RENEWING, REBINDING),
 * go to INIT-REBOOT and ask for the leased address again (RFC 2131 3.2,
 * as after a restart): an ACK renews the lease, a NAK drops it and starts
 * over in INIT, silence keeps it (renewing at T1).  Returns 1 when a
 * DHCPREQUEST went out, 0 when there is nothing to confirm. */
int dhcp4_client_reconfirm(struct dhcp4_client *c);
/* One DHCP message (UDP payload). */
void dhcp4_client_receive(struct dhcp4_client *c, const uint8_t *buf, size_t len);
void dhcp4_client_timeout(struct dhcp4_client *c);
/* An ARP packet seen on the link (RFC 5227 2.1.1, 2.4): sender hardware
 * and protocol address, target protocol address (network order).  While
 * probing, a conflict declines the address and starts over; once bound,
 * the first conflict is defended with an announcement, a second one within
 * 10 s gives the lease up (DHCPDECLINE) and starts over. */
void dhcp4_client_arp(struct dhcp4_client *c, const uint8_t sha[6], uint32_t spa, uint32_t tpa);
uint64_t dhcp4_client_next_timeout(const struct dhcp4_client *c);
/* Stop; with release, send DHCPRELEASE when a lease is held (RFC 2131 4.4.6). */
void dhcp4_client_stop(struct dhcp4_client *c, bool release);

const char *dhcp4_state_to_string(enum dhcp4_state s);
/* 1 when a (network order) address can be a host's own: not 0/8, loopback,
 * multicast, class E or broadcast. */
int dhcp4_address_usable(uint32_t a);
/* RFC 2131 4.1 retransmission delay before transmission number attempt+1:
 * 4, 8, 16, 32, 64, 64, ... seconds, each +-1 s uniformly. */
uint64_t dhcp4_backoff(unsigned attempt, uint32_t random);

#endif
