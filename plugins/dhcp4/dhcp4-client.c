/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dhcp4-client.h"

#define LOG(c, prio, ...) ((c)->ops->log((c)->userdata, (prio), __VA_ARGS__))
#define LOG_ERR 3
#define LOG_WARNING 4
#define LOG_NOTICE 5
#define LOG_INFO 6
#define LOG_DEBUG 7

/* INIT-REBOOT asks twice, a second apart, before starting over in INIT: a
 * server that does not know us (dnsmasq without --dhcp-authoritative)
 * stays silent instead of sending a NAK. */
#define REBOOT_TRIES 2
#define REBOOT_DELAY (1 * USEC_PER_SEC)
/* REQUESTING gives up on the offer after this many transmissions. */
#define REQUEST_TRIES 4
/* RFC 2131 4.4.5: renew/rebind retransmissions wait half the remaining
 * time, but at least this long. */
#define RENEW_MIN_DELAY (60 * USEC_PER_SEC)
/* Floors on what a server may ask for (issue 13: a 1-2 s lease or
 * T1 = T2 = 1 s made 2,000 DHCPREQUESTs a second).  RFC 2131 gives no
 * minimum lease, but 4.4.5 asks for at least 60 s between retransmissions:
 * in that spirit a lease shorter than 6 s counts as 6 s (dhcpcd uses 20 s;
 * 6 s keeps the address close to what the server granted) and T1 is at
 * least 3 s, T2 at least 1 s after it, so that RENEWING gets its chance. */
#define MIN_LEASE 6u
#define MIN_T1 3u
#define MIN_T2_GAP 1u
/* RFC 5227 section 1.1 timings, and the fast ones (issue 11: at most
 * about 300 ms on time-to-lease; an ARP answer on a LAN takes well under
 * a millisecond). */
#define MSEC (USEC_PER_SEC / 1000)
#define ANNOUNCE_NUM 2
#define ANNOUNCE_INTERVAL (2 * USEC_PER_SEC)
#define DEFEND_INTERVAL (10 * USEC_PER_SEC)
/* RFC 8925 3.4 */
#define MIN_V6ONLY_WAIT 300u

/* Warnings about messages for us, per minute. */
#define WARN_BURST 10
#define WARN_WINDOW (60 * USEC_PER_SEC)

static const char *const state_names[] = {
        [DHCP4_STATE_STOPPED] = "STOPPED",
        [DHCP4_STATE_INIT] = "INIT",
        [DHCP4_STATE_SELECTING] = "SELECTING",
        [DHCP4_STATE_REQUESTING] = "REQUESTING",
        [DHCP4_STATE_BOUND] = "BOUND",
        [DHCP4_STATE_RENEWING] = "RENEWING",
        [DHCP4_STATE_REBINDING] = "REBINDING",
        [DHCP4_STATE_INIT_REBOOT] = "INIT-REBOOT",
        [DHCP4_STATE_PROBING] = "PROBING",
};

const char *dhcp4_state_to_string(enum dhcp4_state s)
{
        if ((unsigned) s >= sizeof(state_names) / sizeof(state_names[0]))
                return "?";
        return state_names[s];
}

uint64_t dhcp4_backoff(unsigned attempt, uint32_t random)
{
        uint64_t base = attempt >= 4 ? 64 : 4u << attempt;

        /* uniform in [-1 s, +1 s] */
        return base * USEC_PER_SEC - USEC_PER_SEC + (uint64_t) random % (2 * USEC_PER_SEC + 1);
}

int dhcp4_address_usable(uint32_t a)
{
        uint32_t h = ntohl(a);

        return (h >> 24) != 0 && (h >> 24) != 127 && h < 0xe0000000u;
}

static uint64_t now(struct dhcp4_client *c)
{
        return c->ops->now(c->userdata);
}

static const char *ip4(uint32_t a, char *buf)
{
        return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* Per-message log lines go through here: a flood of messages that are for
 * us (right xid and chaddr, forged by a host on the LAN) must not flood
 * the log either. */
__attribute__((format(printf, 3, 4)))
static void log_limited(struct dhcp4_client *c, int prio, const char *fmt, ...)
{
        unsigned ended;
        bool pass = nh_ratelimit_pass(&c->warn_limit, now(c), WARN_WINDOW, WARN_BURST, &ended);
        char buf[512];
        va_list ap;

        if (ended)
                LOG(c, LOG_WARNING, "%u more warnings about DHCP messages were suppressed", ended);
        if (!pass)
                return;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        LOG(c, prio, "%s", buf);
}

static void state_transition(struct dhcp4_client *c, enum dhcp4_state s)
{
        if (c->state != s)
                LOG(c, LOG_DEBUG, "%s -> %s", dhcp4_state_to_string(c->state), dhcp4_state_to_string(s));
        c->state = s;
        c->attempt = 0;
}

static void new_exchange(struct dhcp4_client *c)
{
        c->xid = c->ops->random(c->userdata);
        c->exchange_start = now(c);
}

static int send_message(struct dhcp4_client *c, enum dhcp4_type type, uint32_t dst)
{
        uint8_t buf[DHCP4_MAX_MESSAGE];
        struct dhcp4_request q = {
                .type = type,
                .xid = c->xid,
                .client_id = c->cfg.client_id,
                .client_id_len = c->cfg.client_id_len,
                .hostname = c->cfg.hostname[0] ? c->cfg.hostname : NULL,
                .vendor_class = c->cfg.vendor_class[0] ? c->cfg.vendor_class : NULL,
                .prl = c->cfg.prl,
                .prl_len = c->cfg.prl_len,
                .max_message_size = c->cfg.max_message_size,
        };
        uint64_t secs = (now(c) - c->exchange_start) / USEC_PER_SEC;
        char a[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];
        uint8_t prl[DHCP4_MAX_PRL + 1];
        int len, r;

        /* RFC 8925 3.2: option 108 is asked for only when it is honoured. */
        memcpy(prl, c->cfg.prl, c->cfg.prl_len);
        q.prl = prl;
        if (c->cfg.ipv6_only && !memchr(prl, DHCP4_OPT_IPV6_ONLY, c->cfg.prl_len))
                prl[q.prl_len++] = DHCP4_OPT_IPV6_ONLY;
        q.rapid_commit = c->cfg.rapid_commit;

        memcpy(q.mac, c->cfg.mac, 6);
        q.secs = secs > 65535 ? 65535 : (uint16_t) secs;

        /* RFC 2131 table 5: which fields each DHCPREQUEST carries. */
        switch (c->state) {
        case DHCP4_STATE_REQUESTING:
                q.requested_ip = c->offer.address;
                q.server_id = c->offer.server_id;
                break;
        case DHCP4_STATE_INIT_REBOOT:
                q.requested_ip = c->reboot_address;
                break;
        case DHCP4_STATE_RENEWING:
        case DHCP4_STATE_REBINDING:
                q.ciaddr = c->lease.address;
                break;
        default:
                break;
        }
        if (type == DHCP4_RELEASE) {
                q.ciaddr = c->lease.address;
                q.server_id = c->lease.server_id;
                q.requested_ip = 0;
                q.secs = 0;
        }
        if (type == DHCP4_DECLINE) {
                /* RFC 2131 table 5: no ciaddr; requested IP and server id. */
                q.ciaddr = 0;
                q.requested_ip = c->decline_addr;
                q.server_id = c->decline_server;
                q.secs = 0;
        }

        len = dhcp4_build(&q, buf, sizeof(buf));
        if (len < 0)
                return len;
        r = c->ops->send(c->userdata, dst, buf, (size_t) len);
        if (r < 0) {
                LOG(c, LOG_WARNING, "Failed to send %s to %s: %s", dhcp4_type_to_string(type),
                    ip4(dst, d), strerror(-r));
                return r;
        }
        c->sent[type]++;
        LOG(c, LOG_DEBUG, "Sent %s xid 0x%08x%s%s to %s", dhcp4_type_to_string(type), c->xid,
            q.requested_ip ? " for " : "", q.requested_ip ? ip4(q.requested_ip, a) : "", ip4(dst, d));
        return 0;
}

static void send_discover(struct dhcp4_client *c)
{
        /* With rapid commit (RFC 4039) the lease counts from here. */
        c->request_sent = now(c);
        (void) send_message(c, DHCP4_DISCOVER, INADDR_BROADCAST);
        c->timer = now(c) + dhcp4_backoff(c->attempt, c->ops->random(c->userdata));
        c->attempt++;
}

static void enter_init(struct dhcp4_client *c, uint64_t delay)
{
        state_transition(c, DHCP4_STATE_INIT);
        c->timer = now(c) + delay;
}

static void lose_lease(struct dhcp4_client *c, const char *why)
{
        if (!c->have_lease)
                return;
        c->have_lease = false;
        if (c->configured)
                c->ops->unbound(c->userdata, &c->lease, why);
        c->configured = false;
        c->ack_len = 0;
        memset(&c->lease, 0, sizeof(c->lease));
        c->t1_at = c->t2_at = c->expire_at = DHCP4_NEVER;
}

void dhcp4_client_init(struct dhcp4_client *c, const struct dhcp4_client_config *cfg,
                       const struct dhcp4_client_ops *ops, void *userdata)
{
        memset(c, 0, sizeof(*c));
        c->cfg = *cfg;
        c->ops = ops;
        c->userdata = userdata;
        c->state = DHCP4_STATE_STOPPED;
        c->timer = c->t1_at = c->t2_at = c->expire_at = DHCP4_NEVER;
        c->announces = ANNOUNCE_NUM;
        c->announce_at = DHCP4_NEVER;
}

/* RFC 2131 3.2: ask for address again, by broadcast, without a server id;
 * REBOOT_TRIES requests REBOOT_DELAY apart (dhcp4_client_timeout()). */
static void enter_init_reboot(struct dhcp4_client *c, uint32_t address)
{
        c->reboot_address = address;
        state_transition(c, DHCP4_STATE_INIT_REBOOT);
        c->request_sent = now(c);
        (void) send_message(c, DHCP4_REQUEST, INADDR_BROADCAST);
        c->attempt = 1;
        c->timer = now(c) + REBOOT_DELAY;
}

int dhcp4_client_start(struct dhcp4_client *c, uint32_t reboot_address)
{
        if (c->state != DHCP4_STATE_STOPPED)
                return -EBUSY;
        new_exchange(c);
        if (reboot_address) {
                enter_init_reboot(c, reboot_address);
                return 0;
        }
        /* RFC 2131 4.4.1 asks for a 1-10 s random wait against boot storms;
         * start-delay configures it, and it is 0 by default. */
        enter_init(c, c->cfg.start_delay);
        if (c->cfg.start_delay == 0)
                dhcp4_client_timeout(c);
        return 0;
}

int dhcp4_client_reconfirm(struct dhcp4_client *c)
{
        char a[INET_ADDRSTRLEN];

        if (!c->have_lease || (c->state != DHCP4_STATE_BOUND && c->state != DHCP4_STATE_RENEWING &&
                               c->state != DHCP4_STATE_REBINDING))
                return 0;
        LOG(c, LOG_INFO, "Link is back: asking whether %s is still ours (INIT-REBOOT)", ip4(c->lease.address, a));
        new_exchange(c);
        enter_init_reboot(c, c->lease.address);
        return 1;
}

uint64_t dhcp4_client_next_timeout(const struct dhcp4_client *c)
{
        uint64_t t = c->timer;

        if (c->announces < ANNOUNCE_NUM && c->announce_at < t)
                t = c->announce_at;

        if (c->have_lease && c->expire_at < t)
                t = c->expire_at;
        return t;
}

/* RFC 2131 4.4.5: T1 defaults to 0.5 and T2 to 0.875 of the lease time;
 * values that are out of order are replaced by the defaults.  The lease
 * time was raised to MIN_LEASE already (handle_ack()). */
static void set_lease_timers(struct dhcp4_client *c)
{
        const struct dhcp4_lease *l = &c->lease;
        uint64_t lt = l->lease_time, t1 = l->t1, t2 = l->t2, base = c->request_sent;

        if (l->lease_time == 0xffffffffu) {
                c->t1_at = c->t2_at = c->expire_at = DHCP4_NEVER;
                return;
        }
        if (t2 == 0 || t2 >= lt)
                t2 = lt * 7 / 8;
        if (t1 == 0 || t1 >= t2) {
                /* Out of order (T1 = T2 = 1 s on a day's lease, say): both
                 * defaults, not a renewal every second. */
                t1 = lt / 2;
                t2 = lt * 7 / 8;
        }
        /* The floors: lt >= MIN_LEASE = 2 * MIN_T1, so T1 < T2 < lt holds. */
        if (t1 < MIN_T1)
                t1 = MIN_T1;
        if (t2 < t1 + MIN_T2_GAP)
                t2 = t1 + (lt - t1) * 3 / 4;
        c->t1_at = base + t1 * USEC_PER_SEC;
        c->t2_at = base + t2 * USEC_PER_SEC;
        c->expire_at = base + lt * USEC_PER_SEC;
}

static void ignore(struct dhcp4_client *c, const struct dhcp4_message *m, const char *why)
{
        c->ignored++;
        snprintf(c->last_ignored, sizeof(c->last_ignored), "%s: %s",
                 dhcp4_type_to_string(m ? m->type : 0), why);
        log_limited(c, LOG_DEBUG, "Ignoring %s: %s", dhcp4_type_to_string(m ? m->type : 0), why);
}

/* RFC 8925 3.2: the server prefers us IPv6-only: no address, no
 * DHCPREQUEST, and DHCPv4 again only after V6ONLY_WAIT. */
static bool ipv6_only(struct dhcp4_client *c, const struct dhcp4_message *m)
{
        char s[INET_ADDRSTRLEN];
        uint32_t wait;

        if (!c->cfg.ipv6_only || !m->have_v6only)
                return false;
        wait = m->v6only_wait < MIN_V6ONLY_WAIT ? MIN_V6ONLY_WAIT : m->v6only_wait;
        LOG(c, LOG_INFO, "%s prefers IPv6-only (option 108): no DHCPv4 for %" PRIu32 " s",
            ip4(m->lease.server_id, s), wait);
        lose_lease(c, "IPv6-only preferred");
        if (c->ops->ipv6_only)
                c->ops->ipv6_only(c->userdata, wait);
        enter_init(c, (uint64_t) wait * USEC_PER_SEC);
        return true;
}

static void handle_offer(struct dhcp4_client *c, const struct dhcp4_message *m)
{
        char a[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];

        if (!dhcp4_address_usable(m->yiaddr))
                return ignore(c, m, "no usable address offered (0/8, loopback, multicast, class E or broadcast)");
        if (m->lease.server_id == 0)
                return ignore(c, m, "no server identifier");
        if (ipv6_only(c, m))
                return;
        /* The first acceptable offer wins: waiting for more only costs time. */
        c->offer = m->lease;
        LOG(c, LOG_DEBUG, "Offered %s by %s", ip4(m->yiaddr, a), ip4(m->lease.server_id, s));
        state_transition(c, DHCP4_STATE_REQUESTING);
        c->request_sent = now(c);
        (void) send_message(c, DHCP4_REQUEST, INADDR_BROADCAST);
        c->timer = now(c) + dhcp4_backoff(c->attempt, c->ops->random(c->userdata));
        c->attempt++;
}

/* What an ACK gives, checked and with the floors applied; NULL when it is
 * fine, else why it is ignored. */
static const char *lease_from_ack(struct dhcp4_client *c, const struct dhcp4_message *m,
                                  struct dhcp4_lease *l)
{
        *l = m->lease;
        if (!dhcp4_address_usable(m->yiaddr))
                return "no usable address (0/8, loopback, multicast, class E or broadcast)";
        if (l->lease_time == 0)
                return "no lease time";
        if (l->lease_time < MIN_LEASE) {
                log_limited(c, LOG_NOTICE, "Lease time %" PRIu32 " s is too short; using %u s", l->lease_time,
                            MIN_LEASE);
                l->lease_time = MIN_LEASE;
        }
        if (!l->have_netmask) {
                /* RFC 2131 does not require it; fall back to the class's. */
                uint32_t h = ntohl(m->yiaddr);
                l->prefixlen = h < 0x80000000u ? 8 : h < 0xc0000000u ? 16 : 24;
        }
        return NULL;
}

static bool acd_on(const struct dhcp4_client *c)
{
        return c->cfg.acd != DHCP4_ACD_OFF && c->ops->arp_send;
}

static void announce(struct dhcp4_client *c, uint32_t addr)
{
        (void) c->ops->arp_send(c->userdata, addr, addr);
}

/* Hands the lease to the owner; a failure stops the client.  A lease new
 * on the link is announced (RFC 5227 2.3): now and ANNOUNCE_INTERVAL later. */
static void configure(struct dhcp4_client *c, bool renewed)
{
        int r = c->ops->bound(c->userdata, &c->lease, renewed);

        if (r < 0) {
                c->error = r;
                state_transition(c, DHCP4_STATE_STOPPED);
                c->timer = DHCP4_NEVER;
                return;
        }
        c->configured = true;
        if (!renewed && acd_on(c)) {
                announce(c, c->lease.address);
                c->announces = 1;
                c->announce_at = now(c) + ANNOUNCE_INTERVAL;
        }
}

static void bind_lease(struct dhcp4_client *c, const struct dhcp4_lease *l, bool renewed)
{
        char a[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];

        c->lease = *l;
        c->have_lease = true;
        c->naks = 0;
        set_lease_timers(c);
        state_transition(c, DHCP4_STATE_BOUND);
        c->timer = c->t1_at;
        LOG(c, LOG_DEBUG, "%s %s/%u from %s, lease %u s",
            renewed ? "Renewed" : "Bound to", ip4(l->address, a), l->prefixlen,
            ip4(l->server_id, s), l->lease_time);
        configure(c, renewed);
}

/* RFC 5227 2.1.1 probe timings: the wait before the first probe, between
 * probes, and after the last one. */
static uint64_t probe_delay(struct dhcp4_client *c, unsigned sent)
{
        uint32_t r = c->ops->random(c->userdata);

        if (c->cfg.acd == DHCP4_ACD_RFC) {
                if (sent == 0)
                        return r % USEC_PER_SEC;                        /* PROBE_WAIT 1 s */
                if (sent < 3)
                        return USEC_PER_SEC + r % USEC_PER_SEC;        /* PROBE_MIN 1, PROBE_MAX 2 */
                return 2 * USEC_PER_SEC;                                /* ANNOUNCE_WAIT */
        }
        return sent == 0 ? 0 : sent < 2 ? 100 * MSEC : 150 * MSEC;
}

static unsigned probe_num(const struct dhcp4_client *c)
{
        return c->cfg.acd == DHCP4_ACD_RFC ? 3 : 2;
}

static void handle_ack(struct dhcp4_client *c, const struct dhcp4_message *m,
                       const uint8_t *raw, size_t raw_len)
{
        struct dhcp4_lease l;
        bool renewed;
        char a[INET_ADDRSTRLEN];
        const char *why;

        if ((why = lease_from_ack(c, m, &l)))
                return ignore(c, m, why);
        if (c->state == DHCP4_STATE_INIT_REBOOT && m->yiaddr != c->reboot_address)
                return ignore(c, m, "not the address asked for");
        if ((c->state == DHCP4_STATE_INIT_REBOOT || c->state == DHCP4_STATE_SELECTING) && ipv6_only(c, m))
                return;
        if (l.server_id == 0)
                l.server_id = c->state == DHCP4_STATE_REQUESTING ? c->offer.server_id : c->lease.server_id;

        renewed = c->have_lease && c->lease.address == l.address && c->lease.prefixlen == l.prefixlen;
        if (c->have_lease && !renewed)
                lose_lease(c, "the server gave a different address");
        /* A restored lease is not on the link yet: its first ACK configures. */
        renewed = renewed && c->configured;
        if (raw_len <= sizeof(c->ack)) {
                memcpy(c->ack, raw, raw_len);
                c->ack_len = raw_len;
        }
        if (!renewed && acd_on(c)) {
                /* RFC 2131 4.4.1 / RFC 5227 2.1: probe before use. */
                LOG(c, LOG_DEBUG, "Probing %s for conflicts (RFC 5227)", ip4(l.address, a));
                c->offer = l;
                state_transition(c, DHCP4_STATE_PROBING);
                c->probes = 0;
                c->timer = now(c) + probe_delay(c, 0);
                if (c->timer == now(c))
                        dhcp4_client_timeout(c);
                return;
        }
        bind_lease(c, &l, renewed);
}

/* DHCPDECLINE of addr, then INIT: at once after a first conflict (the
 * server does not offer a declined address again), with the retransmission
 * backoff after more (RFC 5227 2.1.1 asks to rate-limit; RFC 2131 3.1.5's
 * 10 s wait would cost every conflict 10 s). */
static void decline(struct dhcp4_client *c, uint32_t addr, uint32_t server_id, const char *why)
{
        char a[INET_ADDRSTRLEN];
        uint64_t delay;

        log_limited(c, LOG_WARNING, "%s is in use by another host (%s): declining it", ip4(addr, a), why);
        c->decline_addr = addr;
        c->decline_server = server_id;
        (void) send_message(c, DHCP4_DECLINE, INADDR_BROADCAST);
        c->ack_len = 0;
        lose_lease(c, "address conflict");
        delay = c->declines == 0 ? 0 : dhcp4_backoff(c->declines - 1 < 4 ? c->declines - 1 : 4,
                                                     c->ops->random(c->userdata));
        c->declines++;
        c->announces = ANNOUNCE_NUM;
        c->announce_at = DHCP4_NEVER;
        enter_init(c, delay);
        if (delay == 0)
                dhcp4_client_timeout(c);
}

void dhcp4_client_arp(struct dhcp4_client *c, const uint8_t sha[6], uint32_t spa, uint32_t tpa)
{
        char a[INET_ADDRSTRLEN];
        uint64_t t;

        if (!acd_on(c) || memcmp(sha, c->cfg.mac, 6) == 0)
                return;
        if (c->state == DHCP4_STATE_PROBING) {
                /* RFC 5227 2.1.1: any ARP from the address, or another
                 * host's probe for it. */
                if (spa == c->offer.address)
                        return decline(c, c->offer.address, c->offer.server_id, "it answered our probe");
                if (spa == 0 && tpa == c->offer.address)
                        return decline(c, c->offer.address, c->offer.server_id, "it probes the address too");
                return;
        }
        if (!c->have_lease || !c->configured || spa != c->lease.address)
                return;
        /* RFC 5227 2.4 (b): defend once per DEFEND_INTERVAL, then give up. */
        t = now(c);
        if (c->last_conflict && t - c->last_conflict < DEFEND_INTERVAL)
                return decline(c, c->lease.address, c->lease.server_id, "a second conflict within 10 s");
        log_limited(c, LOG_WARNING, "Another host claims %s: defending it", ip4(c->lease.address, a));
        c->last_conflict = t;
        announce(c, c->lease.address);
}

static void handle_nak(struct dhcp4_client *c, const struct dhcp4_message *m)
{
        char s[INET_ADDRSTRLEN];
        uint64_t delay;

        LOG(c, LOG_NOTICE, "Got DHCPNAK from %s%s%s%s in %s", ip4(m->lease.server_id, s),
            m->message[0] ? " (\"" : "", m->message, m->message[0] ? "\")" : "",
            dhcp4_state_to_string(c->state));
        lose_lease(c, "DHCPNAK");
        /* RFC 2131 3.1 step 5: restart in INIT.  A server that keeps saying
         * no must not make us flood it: back off after the first NAK. */
        delay = c->naks == 0 ? 0 : dhcp4_backoff(c->naks - 1, c->ops->random(c->userdata));
        c->naks++;
        enter_init(c, delay);
        if (delay == 0)
                dhcp4_client_timeout(c);
}

__attribute__((format(printf, 2, 3)))
static void parse_warn(void *userdata, const char *fmt, ...)
{
        struct dhcp4_client *c = userdata;
        char buf[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        log_limited(c, LOG_WARNING, "%s", buf);
}

void dhcp4_client_receive(struct dhcp4_client *c, const uint8_t *buf, size_t len)
{
        struct dhcp4_message m;
        int r;

        if (c->state == DHCP4_STATE_STOPPED || c->state == DHCP4_STATE_INIT ||
            c->state == DHCP4_STATE_BOUND)
                return;
        /* The fixed header first: only a message for us (our xid and MAC)
         * has its options read and may cause a warning (issue 13: 100
         * foreign packets made 60,800 log lines). */
        r = dhcp4_parse_header(buf, len, &m);
        if (r < 0)
                return ignore(c, NULL, "malformed message");
        if (m.op != DHCP4_BOOTREPLY)
                return;         /* our own broadcasts, other clients */
        if (m.xid != c->xid)
                return ignore(c, &m, "wrong transaction id");
        if (memcmp(m.chaddr, c->cfg.mac, 6) != 0)
                return ignore(c, &m, "wrong client hardware address");
        r = dhcp4_parse(buf, len, &m, parse_warn, c);
        if (r < 0)
                return ignore(c, NULL, "malformed message");
        c->received++;
        c->last_server = m.lease.server_id;

        switch (c->state) {
        case DHCP4_STATE_SELECTING:
                if (m.type == DHCP4_OFFER)
                        return handle_offer(c, &m);
                /* RFC 4039 3: an ACK to our DISCOVER, only when we asked
                 * for rapid commit and it says so. */
                if (m.type == DHCP4_ACK && c->cfg.rapid_commit && m.rapid_commit && m.lease.server_id) {
                        c->offer = m.lease;
                        return handle_ack(c, &m, buf, len);
                }
                return ignore(c, &m, "not an offer while selecting");
        case DHCP4_STATE_REQUESTING:
                /* RFC 2131 4.4.1: only the server we chose answers now. */
                if (m.lease.server_id != 0 && m.lease.server_id != c->offer.server_id)
                        return ignore(c, &m, "from another server");
                /* fallthrough */
        case DHCP4_STATE_RENEWING:
                if (c->state == DHCP4_STATE_RENEWING && m.lease.server_id != 0 &&
                    m.lease.server_id != c->lease.server_id)
                        return ignore(c, &m, "from another server");
                /* fallthrough */
        case DHCP4_STATE_REBINDING:
        case DHCP4_STATE_INIT_REBOOT:
                if (m.type == DHCP4_ACK)
                        return handle_ack(c, &m, buf, len);
                if (m.type == DHCP4_NAK)
                        return handle_nak(c, &m);
                return ignore(c, &m, "neither DHCPACK nor DHCPNAK");
        default:
                return;
        }
}

static void expire(struct dhcp4_client *c)
{
        char a[INET_ADDRSTRLEN];

        LOG(c, LOG_WARNING, "Lease of %s expired without a renewal", ip4(c->lease.address, a));
        lose_lease(c, "lease expired");
        new_exchange(c);
        state_transition(c, DHCP4_STATE_SELECTING);
        send_discover(c);
}

void dhcp4_client_timeout(struct dhcp4_client *c)
{
        uint64_t t = now(c);

        if (c->have_lease && t >= c->expire_at)
                return expire(c);
        if (c->announces < ANNOUNCE_NUM && t >= c->announce_at) {
                if (c->have_lease && c->configured)
                        announce(c, c->lease.address);
                c->announces++;
                c->announce_at = c->announces < ANNOUNCE_NUM ? t + ANNOUNCE_INTERVAL : DHCP4_NEVER;
        }
        if (t < c->timer)
                return;

        switch (c->state) {
        case DHCP4_STATE_INIT:
                new_exchange(c);
                state_transition(c, DHCP4_STATE_SELECTING);
                send_discover(c);
                break;
        case DHCP4_STATE_SELECTING:
                send_discover(c);
                break;
        case DHCP4_STATE_REQUESTING:
                if (c->attempt >= REQUEST_TRIES) {
                        LOG(c, LOG_INFO, "No answer to DHCPREQUEST, starting over");
                        enter_init(c, 0);
                        return dhcp4_client_timeout(c);
                }
                (void) send_message(c, DHCP4_REQUEST, INADDR_BROADCAST);
                c->timer = t + dhcp4_backoff(c->attempt, c->ops->random(c->userdata));
                c->attempt++;
                break;
        case DHCP4_STATE_INIT_REBOOT:
                if (c->attempt >= REBOOT_TRIES && c->have_lease) {
                        char a[INET_ADDRSTRLEN];
                        /* RFC 2131 3.2 step 5: without an answer, the lease
                         * may be used until it ends; renew at T1 as usual. */
                        LOG(c, LOG_INFO, "No answer to DHCPREQUEST for %s; keeping the lease",
                            ip4(c->lease.address, a));
                        c->reboot_address = 0;
                        state_transition(c, DHCP4_STATE_BOUND);
                        c->attempt = 0;
                        c->timer = c->t1_at > t ? c->t1_at : t;
                        /* After a restart (RFC 2131 4.4.2): the unexpired
                         * lease is used again, as it was. */
                        if (!c->configured) {
                                configure(c, false);
                                if (c->error < 0)
                                        return;
                        }
                        if (c->timer == t)
                                return dhcp4_client_timeout(c);
                        return;
                }
                if (c->attempt >= REBOOT_TRIES) {
                        LOG(c, LOG_INFO, "No answer to DHCPREQUEST for the previous address, starting over");
                        c->reboot_address = 0;
                        enter_init(c, 0);
                        return dhcp4_client_timeout(c);
                }
                (void) send_message(c, DHCP4_REQUEST, INADDR_BROADCAST);
                c->timer = t + REBOOT_DELAY;
                c->attempt++;
                break;
        case DHCP4_STATE_BOUND:
                /* RFC 2131 4.4.5: at T1, unicast a DHCPREQUEST to the server. */
                new_exchange(c);
                state_transition(c, DHCP4_STATE_RENEWING);
                /* fallthrough */
        case DHCP4_STATE_RENEWING:
                if (t >= c->t2_at) {
                        /* At T2, broadcast to any server. */
                        state_transition(c, DHCP4_STATE_REBINDING);
                        return dhcp4_client_timeout(c);
                }
                if (c->attempt == 0)
                        c->request_sent = t;
                (void) send_message(c, DHCP4_REQUEST, c->lease.server_id);
                c->attempt++;
                c->timer = t + ((c->t2_at - t) / 2 > RENEW_MIN_DELAY ? (c->t2_at - t) / 2 : RENEW_MIN_DELAY);
                if (c->timer > c->t2_at)
                        c->timer = c->t2_at;
                break;
        case DHCP4_STATE_REBINDING:
                if (c->attempt == 0)
                        c->request_sent = t;
                (void) send_message(c, DHCP4_REQUEST, INADDR_BROADCAST);
                c->attempt++;
                c->timer = t + ((c->expire_at - t) / 2 > RENEW_MIN_DELAY ? (c->expire_at - t) / 2 : RENEW_MIN_DELAY);
                if (c->timer > c->expire_at)
                        c->timer = c->expire_at;
                break;
        case DHCP4_STATE_PROBING:
                if (c->probes < probe_num(c)) {
                        (void) c->ops->arp_send(c->userdata, 0, c->offer.address);
                        c->probes++;
                        c->timer = t + probe_delay(c, c->probes);
                        break;
                }
                /* No conflict: bound, the lease counting from the REQUEST. */
                c->declines = 0;
                bind_lease(c, &c->offer, false);
                break;
        case DHCP4_STATE_STOPPED:
                c->timer = DHCP4_NEVER;
                break;
        }
}

void dhcp4_client_stop(struct dhcp4_client *c, bool release)
{
        if (c->have_lease && release)
                (void) send_message(c, DHCP4_RELEASE, c->lease.server_id);
        state_transition(c, DHCP4_STATE_STOPPED);
        c->timer = DHCP4_NEVER;
}

int dhcp4_client_start_saved(struct dhcp4_client *c, const uint8_t *ack, size_t len, uint64_t age)
{
        struct dhcp4_message m;
        struct dhcp4_lease l;
        uint64_t t;

        if (c->state != DHCP4_STATE_STOPPED)
                return -EBUSY;
        if (dhcp4_parse(ack, len, &m, NULL, NULL) < 0 || m.type != DHCP4_ACK ||
            m.op != DHCP4_BOOTREPLY || lease_from_ack(c, &m, &l))
                return dhcp4_client_start(c, 0);
        t = now(c);
        c->lease = l;
        /* The timers as if the lease had been obtained now, then moved
         * back by its age (which may exceed the monotonic clock: the
         * lease is older than this boot). */
        c->request_sent = t;
        set_lease_timers(c);
        if (c->expire_at != DHCP4_NEVER) {
                c->t1_at = c->t1_at - t > age ? c->t1_at - age : t;
                c->t2_at = c->t2_at - t > age ? c->t2_at - age : t;
                c->expire_at = c->expire_at - t > age ? c->expire_at - age : t;
        }
        if (c->expire_at <= t) {
                c->t1_at = c->t2_at = c->expire_at = DHCP4_NEVER;
                return dhcp4_client_start(c, l.address);
        }
        if (len <= sizeof(c->ack)) {
                memcpy(c->ack, ack, len);
                c->ack_len = len;
        }
        c->have_lease = true;
        c->configured = false;
        new_exchange(c);
        enter_init_reboot(c, l.address);
        return 0;
}
