/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "dhcp6-client.h"
#include <netns-helper/sdk.h>

/* Floors on what a server may ask for (issue 13: lifetimes 0/1 with
 * T1 = T2 = 0 made a RENEW per wake-up).  RFC 8415 sets no minimum; in
 * the spirit of its retransmission limits, and as the dhcp4 stage does
 * with RFC 2131: a valid lifetime under 6 s counts as 6 s, T1 is at least
 * 3 s, T2 at least 1 s after T1, so that RENEWING gets its chance. */
#define MIN_VALID 6u
#define MIN_T1 3u
#define MIN_T2_GAP 1u
/* Soliciting again after an exchange that got nothing usable (no
 * address, NotOnLink, no REPLY to REQUEST) waits 0, 1, 2, 4 ... 64 s:
 * 18.2.10 asks a client to limit the rate of its retries, and a server
 * that answers every SOLICIT at once with nothing would otherwise make a
 * loop as fast as the LAN.  A bind starts over at 0. */
#define RESTART_FIRST (1 * USEC_PER_SEC)
#define RESTART_MAX (64 * USEC_PER_SEC)
/* Lines about single messages (anyone on the LAN can send them): at most
 * this many a minute. */
#define MSG_LOG_BURST 10
#define MSG_LOG_WINDOW (60 * USEC_PER_SEC)

struct dhcp6_client {
        struct dhcp6_config cfg;
        const struct dhcp6_ops *ops;
        void *userdata;

        enum dhcp6_state state;
        uint32_t xid;

        /* The current exchange (RFC 8415 15). */
        uint64_t exchange_start;        /* first transmission, for Elapsed Time */
        uint64_t rt;
        unsigned rc;
        uint64_t next_tx;
        uint64_t irt, mrt;
        unsigned mrc;
        uint64_t mrd_end;               /* CONFIRMING: when to give up */

        /* SOLICITING: the best ADVERTISE so far and the end of the first RT. */
        uint64_t collect_end;
        bool have_adv;
        uint8_t adv_preference;
        uint8_t server_id[DHCP6_DUID_MAX];      /* the server REQUEST goes to */
        size_t server_id_len;
        struct in6_addr req_addr;

        bool have_lease;
        struct dhcp6_lease lease;
        uint64_t t1_at, t2_at, expire_at;

        uint64_t restart_delay;         /* the next restart_soliciting() waits this long */
        /* The message being handled, and the REPLY of the lease as it
         * came: the owner saves it for the next start. */
        const uint8_t *rx;
        size_t rx_len;
        uint8_t reply[DHCP6_SAVED_MAX];
        size_t reply_len;
        struct nh_ratelimit msg_log;
};

__attribute__((format(printf, 3, 4)))
static void log_c(struct dhcp6_client *c, int prio, const char *fmt, ...)
{
        va_list ap;

        if (!c->ops->log)
                return;
        va_start(ap, fmt);
        c->ops->log(c->userdata, prio, fmt, ap);
        va_end(ap);
}

const char *dhcp6_state_name(enum dhcp6_state s)
{
        switch (s) {
        case DHCP6_STATE_STOPPED: return "STOPPED";
        case DHCP6_STATE_INIT: return "INIT";
        case DHCP6_STATE_SOLICITING: return "SOLICITING";
        case DHCP6_STATE_REQUESTING: return "REQUESTING";
        case DHCP6_STATE_BOUND: return "BOUND";
        case DHCP6_STATE_RENEWING: return "RENEWING";
        case DHCP6_STATE_REBINDING: return "REBINDING";
        case DHCP6_STATE_RELEASING: return "RELEASING";
        case DHCP6_STATE_CONFIRMING: return "CONFIRMING";
        }
        return "?";
}

static void state_transition(struct dhcp6_client *c, enum dhcp6_state new_state)
{
        /* Debug: the plugin logs the one line per bind that matters. */
        if (c->state != new_state)
                log_c(c, LOG_DEBUG, "DHCPv6 state %s -> %s", dhcp6_state_name(c->state),
                      dhcp6_state_name(new_state));
        c->state = new_state;
}

static uint64_t now(struct dhcp6_client *c) { return c->ops->now(c->userdata); }

/* A line about one received message, rate-limited (MSG_LOG_BURST). */
__attribute__((format(printf, 3, 4)))
static void log_msg(struct dhcp6_client *c, int prio, const char *fmt, ...)
{
        unsigned ended;
        char buf[512];
        va_list ap;
        bool pass = nh_ratelimit_pass(&c->msg_log, now(c), MSG_LOG_WINDOW, MSG_LOG_BURST, &ended);

        if (ended)
                log_c(c, LOG_NOTICE, "%u more lines about DHCPv6 messages were left out", ended);
        if (!pass)
                return;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        log_c(c, prio, "%s", buf);
}

/* RAND of RFC 8415 15: uniform in [-0.1, +0.1], here in units of 1/10000. */
static int64_t rand_factor(struct dhcp6_client *c, bool positive)
{
        uint32_t r = c->ops->random(c->userdata);

        if (positive)
                /* 15: the first Solicit RT must be strictly greater than IRT. */
                return 1 + (int64_t) (r % 1000);
        return (int64_t) (r % 2001) - 1000;
}

static uint64_t apply_rand(uint64_t base, int64_t f)
{
        return (uint64_t) ((int64_t) base + (int64_t) base / 10000 * f);
}

static uint64_t add_sec(uint64_t t, uint32_t sec)
{
        if (sec == DHCP6_INFINITY)
                return DHCP6_NEVER;
        return t + (uint64_t) sec * USEC_PER_SEC;
}

static void send_message(struct dhcp6_client *c)
{
        struct dhcp6_request r = {
                .xid = c->xid,
                .client_id = c->cfg.duid,
                .client_id_len = c->cfg.duid_len,
                .iaid = c->cfg.iaid,
                .oro = c->cfg.oro,
                .n_oro = c->cfg.n_oro,
        };
        uint64_t elapsed = (now(c) - c->exchange_start) / 10000;
        uint8_t buf[1024];
        int len;

        /* 21.9: hundredths of a second, 0xffff for anything longer. */
        r.elapsed = elapsed > 0xffff ? 0xffff : (uint16_t) elapsed;

        switch (c->state) {
        case DHCP6_STATE_SOLICITING:
                r.type = DHCP6_SOLICIT;
                r.rapid_commit = c->cfg.rapid_commit;
                break;
        case DHCP6_STATE_REQUESTING:
                r.type = DHCP6_REQUEST;
                r.server_id = c->server_id;
                r.server_id_len = c->server_id_len;
                r.have_addr = true;
                r.addr = c->req_addr;
                break;
        case DHCP6_STATE_RENEWING:
                r.type = DHCP6_RENEW;
                r.server_id = c->lease.server_id;
                r.server_id_len = c->lease.server_id_len;
                r.have_addr = true;
                r.addr = c->lease.addr;
                break;
        case DHCP6_STATE_REBINDING:
                r.type = DHCP6_REBIND;
                r.have_addr = true;
                r.addr = c->lease.addr;
                break;
        case DHCP6_STATE_CONFIRMING:
                /* 18.2.3: no Server Identifier; the addresses with zero
                 * lifetimes, as the builder writes every IA. */
                r.type = DHCP6_CONFIRM;
                r.have_addr = true;
                r.addr = c->lease.addr;
                break;
        case DHCP6_STATE_RELEASING:
                r.type = DHCP6_RELEASE;
                r.server_id = c->lease.server_id;
                r.server_id_len = c->lease.server_id_len;
                r.have_addr = true;
                r.addr = c->lease.addr;
                break;
        default:
                return;
        }
        len = dhcp6_build(&r, buf, sizeof(buf));
        if (len < 0) {
                log_c(c, LOG_ERR, "DHCPv6 %s does not fit in %zu bytes", dhcp6_type_name(r.type), sizeof(buf));
                return;
        }
        if (c->ops->send(c->userdata, buf, (size_t) len) < 0)
                /* A lost packet: the retransmission timer covers it. */
                log_c(c, LOG_WARNING, "Failed to send DHCPv6 %s", dhcp6_type_name(r.type));
        else
                log_c(c, LOG_DEBUG, "Sent DHCPv6 %s xid %06x (attempt %u)", dhcp6_type_name(r.type), c->xid,
                      c->rc);
}

/* Start a new exchange in state s with the RFC 8415 7.6 parameters. */
static void begin_exchange(struct dhcp6_client *c, enum dhcp6_state s, uint64_t irt, uint64_t mrt,
                           unsigned mrc)
{
        uint64_t t = now(c);

        state_transition(c, s);
        c->xid = c->ops->random(c->userdata) & 0xffffff;
        c->exchange_start = t;
        c->irt = irt;
        c->mrt = mrt;
        c->mrc = mrc;
        c->rc = 1;
        c->rt = apply_rand(irt, rand_factor(c, s == DHCP6_STATE_SOLICITING));
        c->next_tx = t + c->rt;
        if (s == DHCP6_STATE_SOLICITING) {
                c->have_adv = false;
                c->collect_end = c->next_tx;
        }
        send_message(c);
}

static void retransmit(struct dhcp6_client *c)
{
        int64_t f = rand_factor(c, false);

        /* RFC 8415 15: RT = 2*RTprev + RAND*RTprev, capped at MRT + RAND*MRT. */
        c->rt = 2 * c->rt + (int64_t) c->rt / 10000 * f;
        if (c->mrt > 0 && c->rt > c->mrt)
                c->rt = apply_rand(c->mrt, rand_factor(c, false));
        c->rc++;
        c->next_tx = now(c) + c->rt;
        send_message(c);
}

static void start_soliciting(struct dhcp6_client *c)
{
        begin_exchange(c, DHCP6_STATE_SOLICITING, DHCP6_SOL_TIMEOUT, DHCP6_SOL_MAX_RT, 0);
}

/* After an exchange that got nothing usable: solicit again, at once the
 * first time, then backing off (RESTART_FIRST .. RESTART_MAX) in INIT. */
static void restart_soliciting(struct dhcp6_client *c)
{
        uint64_t d = c->restart_delay;

        c->restart_delay = d == 0 ? RESTART_FIRST : d * 2 > RESTART_MAX ? RESTART_MAX : d * 2;
        if (d == 0) {
                start_soliciting(c);
                return;
        }
        log_c(c, LOG_DEBUG, "Soliciting again in %llu ms", (unsigned long long) (d / 1000));
        state_transition(c, DHCP6_STATE_INIT);
        c->next_tx = now(c) + d;
}

static void start_requesting(struct dhcp6_client *c, const uint8_t *server_id, size_t server_id_len,
                             const struct in6_addr *addr)
{
        memcpy(c->server_id, server_id, server_id_len);
        c->server_id_len = server_id_len;
        c->req_addr = *addr;
        begin_exchange(c, DHCP6_STATE_REQUESTING, DHCP6_REQ_TIMEOUT, DHCP6_REQ_MAX_RT, DHCP6_REQ_MAX_RC);
}

/* The usable address of the IA_NA in m, or a negative status. */
static int pick_address(struct dhcp6_client *c, const struct dhcp6_message *m, const struct dhcp6_iaaddr **ret)
{
        if (!m->has_ia_na)
                return -DHCP6_STATUS_NO_ADDRS_AVAIL;
        if (m->ia_status != DHCP6_STATUS_SUCCESS)
                return -m->ia_status;
        /* 21.4: an IA_NA with T1 > T2 (both non-zero) is discarded. */
        if (m->t1 > 0 && m->t2 > 0 && m->t1 > m->t2)
                return -DHCP6_STATUS_NO_ADDRS_AVAIL;
        for (size_t i = 0; i < m->n_addrs; i++) {
                const struct dhcp6_iaaddr *a = &m->addrs[i];

                /* 21.6: an address whose preferred lifetime exceeds its valid
                 * lifetime is discarded; valid 0 means "stop using it". */
                if (a->status != DHCP6_STATUS_SUCCESS || a->valid == 0 || a->preferred > a->valid)
                        continue;
                if (IN6_IS_ADDR_MULTICAST(&a->addr) || IN6_IS_ADDR_LINKLOCAL(&a->addr) ||
                    IN6_IS_ADDR_UNSPECIFIED(&a->addr) || IN6_IS_ADDR_LOOPBACK(&a->addr))
                        continue;
                *ret = a;
                return 0;
        }
        return -DHCP6_STATUS_NO_ADDRS_AVAIL;
}

static uint32_t minus_age(uint32_t v, uint64_t age_s)
{
        if (v == DHCP6_INFINITY)
                return v;
        return v > age_s ? v - (uint32_t) age_s : 0;
}

/* Binds the lease of m (address a), received age_s seconds ago (0: now;
 * more after a restart): its lifetimes and T1/T2 are what is left of
 * them.  Returns false when nothing is left (expired). */
static bool bind_lease(struct dhcp6_client *c, const struct dhcp6_message *m, const struct dhcp6_iaaddr *a,
                       uint64_t age_s)
{
        struct dhcp6_lease *l = &c->lease;
        bool same = c->have_lease && memcmp(&l->addr, &a->addr, 16) == 0;
        char buf[INET6_ADDRSTRLEN];

        memset(l, 0, sizeof(*l));
        memcpy(l->server_id, m->server_id, m->server_id_len);
        l->server_id_len = m->server_id_len;
        l->addr = a->addr;
        l->preferred = a->preferred;
        l->valid = a->valid;
        l->acquired = now(c);
        l->t1 = m->t1;
        l->t2 = m->t2;
        if (l->t1 == 0 || l->t2 == 0) {
                /* 21.4: 0 leaves T1/T2 to the client; 14.2 suggests 0.5 and
                 * 0.8 times the preferred lifetime. */
                if (a->preferred == DHCP6_INFINITY) {
                        l->t1 = l->t2 = DHCP6_INFINITY;
                } else {
                        l->t1 = a->preferred / 2;
                        l->t2 = (uint32_t) ((uint64_t) a->preferred * 4 / 5);
                }
        }
        /* The floors (MIN_VALID, MIN_T1, MIN_T2_GAP); the address goes
         * into the kernel with the valid lifetime raised too, so that it
         * does not vanish before the client's own timers run. */
        if (l->valid < MIN_VALID)
                l->valid = MIN_VALID;
        if (l->t1 < MIN_T1)
                l->t1 = MIN_T1;
        if (l->t2 != DHCP6_INFINITY && l->t2 < l->t1 + MIN_T2_GAP)
                l->t2 = l->t1 == DHCP6_INFINITY ? DHCP6_INFINITY : l->t1 + MIN_T2_GAP;
        if (age_s > 0) {
                if (minus_age(l->valid, age_s) == 0) {
                        memset(l, 0, sizeof(*l));
                        return false;
                }
                l->valid = minus_age(l->valid, age_s);
                l->preferred = minus_age(l->preferred, age_s);
                l->t1 = minus_age(l->t1, age_s);
                l->t2 = minus_age(l->t2, age_s);
        }
        if (c->rx && c->rx_len <= sizeof(c->reply)) {
                memcpy(c->reply, c->rx, c->rx_len);
                c->reply_len = c->rx_len;
        } else
                c->reply_len = 0;
        memcpy(l->dns, m->dns, sizeof(l->dns));
        l->n_dns = m->n_dns;
        memcpy(l->domains, m->domains, sizeof(l->domains));
        l->n_domains = m->n_domains;
        l->n_bad_domains = m->n_bad_domains;

        c->have_lease = true;
        c->restart_delay = 0;
        c->t1_at = add_sec(l->acquired, l->t1);
        c->t2_at = add_sec(l->acquired, l->t2);
        c->expire_at = add_sec(l->acquired, l->valid);
        state_transition(c, DHCP6_STATE_BOUND);
        log_c(c, LOG_DEBUG, "DHCPv6 lease %s/128: preferred %u s, valid %u s, T1 %u s, T2 %u s",
              inet_ntop(AF_INET6, &l->addr, buf, sizeof(buf)), l->preferred, l->valid, l->t1, l->t2);
        if (c->ops->event)
                c->ops->event(c->userdata, same ? DHCP6_EVENT_UPDATED : DHCP6_EVENT_BOUND, l);
        return true;
}

static void expire_lease(struct dhcp6_client *c)
{
        char buf[INET6_ADDRSTRLEN];

        log_c(c, LOG_WARNING, "DHCPv6 lease of %s expired",
              inet_ntop(AF_INET6, &c->lease.addr, buf, sizeof(buf)));
        c->have_lease = false;
        if (c->ops->event)
                c->ops->event(c->userdata, DHCP6_EVENT_EXPIRED, &c->lease);
        restart_soliciting(c);
}

static void handle_advertise(struct dhcp6_client *c, const struct dhcp6_message *m)
{
        const struct dhcp6_iaaddr *a;
        uint8_t pref = m->has_preference ? m->preference : 0;
        int r;

        r = pick_address(c, m, &a);
        if (r < 0) {
                /* 18.2.9: NoAddrsAvail (or nothing usable): keep soliciting. */
                log_msg(c, LOG_INFO, "Ignoring DHCPv6 ADVERTISE without a usable address (%s)",
                        dhcp6_status_name(-r));
                return;
        }
        if (!c->have_adv || pref > c->adv_preference) {
                c->have_adv = true;
                c->adv_preference = pref;
                memcpy(c->server_id, m->server_id, m->server_id_len);
                c->server_id_len = m->server_id_len;
                c->req_addr = a->addr;
        }
        /* 18.2.1: preference 255 ends the collection at once; after the
         * first RT the first valid ADVERTISE is taken. */
        if (pref == 255 || now(c) >= c->collect_end)
                start_requesting(c, c->server_id, c->server_id_len, &c->req_addr);
}

static void handle_reply(struct dhcp6_client *c, const struct dhcp6_message *m)
{
        const struct dhcp6_iaaddr *a = NULL;
        int r;

        switch (m->status) {
        case DHCP6_STATUS_SUCCESS:
                break;
        case DHCP6_STATUS_UNSPEC_FAIL:
        case DHCP6_STATUS_USE_MULTICAST:
                /* 18.2.10: retry; we always send by multicast already.  The
                 * retransmission timer limits the rate. */
                log_msg(c, LOG_INFO, "DHCPv6 REPLY with status %s, retrying", dhcp6_status_name(m->status));
                return;
        case DHCP6_STATUS_NOT_ON_LINK:
                log_msg(c, LOG_WARNING, "DHCPv6 server says the address is not on link, soliciting again");
                if (c->have_lease)
                        expire_lease(c);
                else
                        restart_soliciting(c);
                return;
        default:
                break;
        }

        r = pick_address(c, m, &a);
        if (r == 0) {
                bind_lease(c, m, a, 0);
                return;
        }
        switch (c->state) {
        case DHCP6_STATE_SOLICITING:
        case DHCP6_STATE_REQUESTING:
                log_msg(c, LOG_WARNING, "DHCPv6 REPLY gave no address (%s), soliciting again",
                        dhcp6_status_name(-r));
                restart_soliciting(c);
                break;
        case DHCP6_STATE_RENEWING:
        case DHCP6_STATE_REBINDING:
                if (-r == DHCP6_STATUS_NO_BINDING) {
                        /* 18.2.10.1: the server lost our binding: Request it. */
                        log_msg(c, LOG_INFO, "DHCPv6 server has no binding for us, requesting");
                        start_requesting(c, m->server_id, m->server_id_len, &c->lease.addr);
                        return;
                }
                for (size_t i = 0; i < m->n_addrs; i++)
                        if (memcmp(&m->addrs[i].addr, &c->lease.addr, 16) == 0 && m->addrs[i].valid == 0) {
                                /* 18.2.10.1: valid lifetime 0: stop using it now. */
                                expire_lease(c);
                                return;
                        }
                /* Keep the address until it expires; keep trying. */
                log_msg(c, LOG_INFO, "DHCPv6 REPLY did not extend the lease (%s)", dhcp6_status_name(-r));
                break;
        default:
                break;
        }
}

/* Back to BOUND with the lease as it was: its timers run on. */
static void keep_lease(struct dhcp6_client *c, const char *why)
{
        char buf[INET6_ADDRSTRLEN];

        log_c(c, LOG_INFO, "DHCPv6 lease of %s kept: %s", inet_ntop(AF_INET6, &c->lease.addr, buf, sizeof(buf)), why);
        state_transition(c, DHCP6_STATE_BOUND);
}

static void handle_confirm_reply(struct dhcp6_client *c, const struct dhcp6_message *m)
{
        switch (m->status) {
        case DHCP6_STATUS_NOT_ON_LINK:
                /* 18.2.10.1: another link: solicit again. */
                log_msg(c, LOG_NOTICE, "DHCPv6 server says the lease is not on this link (after the link came "
                        "back), soliciting again");
                expire_lease(c);
                return;
        case DHCP6_STATUS_UNSPEC_FAIL:
        case DHCP6_STATUS_USE_MULTICAST:
                /* Retry; the retransmission timer limits the rate. */
                return;
        default:
                keep_lease(c, "confirmed on link");
                return;
        }
}

int dhcp6_client_confirm(struct dhcp6_client *c)
{
        uint64_t t = now(c);

        if (!c->have_lease || (c->state != DHCP6_STATE_BOUND && c->state != DHCP6_STATE_RENEWING &&
                               c->state != DHCP6_STATE_REBINDING))
                return 0;
        state_transition(c, DHCP6_STATE_CONFIRMING);
        /* A new xid now: a late REPLY to the exchange this one ends must not
         * pass for an answer.  rc 0: nothing sent yet. */
        c->xid = c->ops->random(c->userdata) & 0xffffff;
        c->rc = 0;
        /* 18.2.3: the first CONFIRM waits a random 0..CNF_MAX_DELAY; on a
         * link just brought up, that is also time for DAD of the
         * link-local address the client sends from. */
        c->next_tx = t + c->ops->random(c->userdata) % (DHCP6_CNF_MAX_DELAY + 1);
        c->mrd_end = c->next_tx + DHCP6_CNF_MAX_RD;
        return 1;
}

void dhcp6_client_receive(struct dhcp6_client *c, const uint8_t *buf, size_t len)
{
        struct dhcp6_message *m;

        if (c->state < DHCP6_STATE_SOLICITING || c->state == DHCP6_STATE_BOUND)
                return;
        /* 16.3, 16.10: the type and transaction id first, from the fixed
         * header: anyone on the LAN can send to port 546, and a message
         * for another transaction is not worth parsing its options. */
        if (len < 4 || (buf[0] != DHCP6_ADVERTISE && buf[0] != DHCP6_REPLY))
                return;
        if (((uint32_t) buf[1] << 16 | (uint32_t) buf[2] << 8 | buf[3]) != c->xid) {
                log_msg(c, LOG_DEBUG, "Ignoring DHCPv6 %s for another transaction", dhcp6_type_name(buf[0]));
                return;
        }
        m = malloc(sizeof(*m));
        if (!m)
                return;
        if (dhcp6_parse(buf, len, c->cfg.iaid, m) < 0) {
                log_msg(c, LOG_DEBUG, "Ignoring a malformed DHCPv6 message (%zu bytes)", len);
                goto out;
        }
        /* Then our DUID and a server DUID. */
        if (m->client_id_len != c->cfg.duid_len || memcmp(m->client_id, c->cfg.duid, c->cfg.duid_len) != 0) {
                log_msg(c, LOG_DEBUG, "Ignoring DHCPv6 %s for another client DUID", dhcp6_type_name(m->type));
                goto out;
        }
        if (m->server_id_len == 0) {
                log_msg(c, LOG_DEBUG, "Ignoring DHCPv6 %s without a server DUID", dhcp6_type_name(m->type));
                goto out;
        }
        log_msg(c, LOG_DEBUG, "Received DHCPv6 %s xid %06x", dhcp6_type_name(m->type), m->xid);
        c->rx = buf;
        c->rx_len = len;

        switch (c->state) {
        case DHCP6_STATE_SOLICITING:
                if (m->type == DHCP6_ADVERTISE)
                        handle_advertise(c, m);
                else if (c->cfg.rapid_commit && m->rapid_commit)
                        /* 18.2.1: a REPLY to a rapid-commit SOLICIT binds. */
                        handle_reply(c, m);
                break;
        case DHCP6_STATE_REQUESTING:
        case DHCP6_STATE_RENEWING: {
                const uint8_t *sid = c->state == DHCP6_STATE_REQUESTING ? c->server_id : c->lease.server_id;
                size_t sid_len = c->state == DHCP6_STATE_REQUESTING ? c->server_id_len : c->lease.server_id_len;

                if (m->type != DHCP6_REPLY)
                        break;
                if (m->server_id_len != sid_len || memcmp(m->server_id, sid, sid_len) != 0) {
                        log_msg(c, LOG_DEBUG, "Ignoring DHCPv6 REPLY from a server we did not ask");
                        break;
                }
                handle_reply(c, m);
                break;
        }
        case DHCP6_STATE_REBINDING:
                /* Any server may answer a REBIND. */
                if (m->type == DHCP6_REPLY)
                        handle_reply(c, m);
                break;
        case DHCP6_STATE_CONFIRMING:
                /* Any server may answer a CONFIRM. */
                if (m->type == DHCP6_REPLY)
                        handle_confirm_reply(c, m);
                break;
        case DHCP6_STATE_RELEASING:
                /* 18.2.10.2: any REPLY ends the exchange, whatever its status. */
                if (m->type == DHCP6_REPLY) {
                        log_c(c, LOG_DEBUG, "DHCPv6 server confirmed the RELEASE (%s)", dhcp6_status_name(m->status));
                        state_transition(c, DHCP6_STATE_STOPPED);
                }
                break;
        default:
                break;
        }
out:
        c->rx = NULL;
        free(m);
}

static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }

uint64_t dhcp6_client_next_timeout(const struct dhcp6_client *c)
{
        switch (c->state) {
        case DHCP6_STATE_INIT:
        case DHCP6_STATE_REQUESTING:
        case DHCP6_STATE_RELEASING:
                return c->next_tx;
        case DHCP6_STATE_SOLICITING:
                return c->have_adv ? min64(c->next_tx, c->collect_end) : c->next_tx;
        case DHCP6_STATE_BOUND:
                return min64(c->t1_at, min64(c->t2_at, c->expire_at));
        case DHCP6_STATE_RENEWING:
                return min64(c->next_tx, min64(c->t2_at, c->expire_at));
        case DHCP6_STATE_REBINDING:
                return min64(c->next_tx, c->expire_at);
        case DHCP6_STATE_CONFIRMING:
                return min64(c->next_tx, min64(c->mrd_end, c->expire_at));
        default:
                return DHCP6_NEVER;
        }
}

void dhcp6_client_timeout(struct dhcp6_client *c)
{
        uint64_t t = now(c);

        switch (c->state) {
        case DHCP6_STATE_INIT:
                if (t >= c->next_tx)
                        start_soliciting(c);
                break;
        case DHCP6_STATE_SOLICITING:
                if (c->have_adv && t >= c->collect_end)
                        start_requesting(c, c->server_id, c->server_id_len, &c->req_addr);
                else if (t >= c->next_tx)
                        retransmit(c);
                break;
        case DHCP6_STATE_REQUESTING:
                if (t < c->next_tx)
                        break;
                if (c->rc >= c->mrc) {
                        /* 18.2.10.1 / 15: REQ_MAX_RC reached: the server is gone. */
                        log_c(c, LOG_WARNING, "No DHCPv6 REPLY to %u REQUESTs, soliciting again", c->rc);
                        if (c->have_lease && t < c->expire_at) {
                                /* NoBinding path: keep the address, rebind later. */
                                state_transition(c, DHCP6_STATE_BOUND);
                                break;
                        }
                        if (c->have_lease)
                                expire_lease(c);
                        else
                                restart_soliciting(c);
                        break;
                }
                retransmit(c);
                break;
        case DHCP6_STATE_BOUND:
                if (t >= c->expire_at)
                        expire_lease(c);
                else if (t >= c->t2_at)
                        /* 18.2.5: T2 reached, rebind with any server. */
                        begin_exchange(c, DHCP6_STATE_REBINDING, DHCP6_REB_TIMEOUT, DHCP6_REB_MAX_RT, 0);
                else if (t >= c->t1_at)
                        /* 18.2.4: T1 reached, renew with our server. */
                        begin_exchange(c, DHCP6_STATE_RENEWING, DHCP6_REN_TIMEOUT, DHCP6_REN_MAX_RT, 0);
                break;
        case DHCP6_STATE_RENEWING:
                if (t >= c->expire_at)
                        expire_lease(c);
                else if (t >= c->t2_at)
                        /* 18.2.4: Renew's MRD is the time until T2. */
                        begin_exchange(c, DHCP6_STATE_REBINDING, DHCP6_REB_TIMEOUT, DHCP6_REB_MAX_RT, 0);
                else if (t >= c->next_tx)
                        retransmit(c);
                break;
        case DHCP6_STATE_RELEASING:
                if (t < c->next_tx)
                        break;
                if (c->rc >= c->mrc) {
                        /* 18.2.7: give up after REL_MAX_RC transmissions. */
                        log_c(c, LOG_INFO, "No DHCPv6 REPLY to %u RELEASEs", c->rc);
                        state_transition(c, DHCP6_STATE_STOPPED);
                        break;
                }
                retransmit(c);
                break;
        case DHCP6_STATE_CONFIRMING:
                if (t >= c->expire_at)
                        expire_lease(c);
                else if (t >= c->mrd_end)
                        /* 18.2.10.1: no REPLY: go on using the lease. */
                        keep_lease(c, "no DHCPv6 REPLY to CONFIRM");
                else if (t >= c->next_tx && c->rc == 0)
                        begin_exchange(c, DHCP6_STATE_CONFIRMING, DHCP6_CNF_TIMEOUT, DHCP6_CNF_MAX_RT, 0);
                else if (t >= c->next_tx)
                        retransmit(c);
                break;
        case DHCP6_STATE_REBINDING:
                /* 18.2.5: Rebind's MRD is the time until the lease ends. */
                if (t >= c->expire_at)
                        expire_lease(c);
                else if (t >= c->next_tx)
                        retransmit(c);
                break;
        default:
                break;
        }
}

int dhcp6_client_start(struct dhcp6_client *c)
{
        if (c->state != DHCP6_STATE_STOPPED)
                return -EBUSY;
        if (c->cfg.solicit_delay) {
                /* 18.2.1: a random delay of 0..SOL_MAX_DELAY before the first
                 * SOLICIT spreads clients that start together. */
                state_transition(c, DHCP6_STATE_INIT);
                c->next_tx = now(c) + c->ops->random(c->userdata) % (DHCP6_SOL_MAX_DELAY + 1);
                return 0;
        }
        start_soliciting(c);
        return 0;
}

int dhcp6_client_start_saved(struct dhcp6_client *c, const uint8_t *reply, size_t len, uint64_t age)
{
        const struct dhcp6_iaaddr *a = NULL;
        struct dhcp6_message *m;
        bool bound = false;

        if (c->state != DHCP6_STATE_STOPPED)
                return -EBUSY;
        m = malloc(sizeof(*m));
        if (!m)
                return -ENOMEM;
        /* Parsed and checked as a message from the network: the file is
         * only as good as what the server sent. */
        if (len <= sizeof(c->reply) && dhcp6_parse(reply, len, c->cfg.iaid, m) == 0 && m->type == DHCP6_REPLY &&
            m->status == DHCP6_STATUS_SUCCESS && m->server_id_len > 0 && m->client_id_len == c->cfg.duid_len &&
            memcmp(m->client_id, c->cfg.duid, c->cfg.duid_len) == 0 && pick_address(c, m, &a) == 0) {
                c->rx = reply;
                c->rx_len = len;
                /* Whole seconds, rounded up: never longer than the server said. */
                bound = bind_lease(c, m, a, (age + USEC_PER_SEC - 1) / USEC_PER_SEC);
                c->rx = NULL;
                log_c(c, LOG_DEBUG, "DHCPv6 lease restored from before the restart (%llu s old): %s",
                      (unsigned long long) (age / USEC_PER_SEC), bound ? "still valid" : "expired");
        }
        free(m);
        if (!bound)
                return dhcp6_client_start(c);
        return 1;
}

const uint8_t *dhcp6_client_lease_reply(const struct dhcp6_client *c, size_t *len)
{
        *len = c->have_lease ? c->reply_len : 0;
        return *len ? c->reply : NULL;
}

int dhcp6_client_stop(struct dhcp6_client *c, bool release)
{
        bool had = c->have_lease;

        c->have_lease = false;
        if (had && release && c->state != DHCP6_STATE_RELEASING)
                /* 18.2.7: RELEASE to the server of the lease, retransmitted
                 * until a REPLY; the caller bounds how long it waits. */
                begin_exchange(c, DHCP6_STATE_RELEASING, DHCP6_REL_TIMEOUT, 0, DHCP6_REL_MAX_RC);
        else
                state_transition(c, DHCP6_STATE_STOPPED);
        return had;
}

int dhcp6_client_new(const struct dhcp6_config *cfg, const struct dhcp6_ops *ops, void *userdata,
                     struct dhcp6_client **ret)
{
        struct dhcp6_client *c;

        if (!cfg || !ops || !ops->now || !ops->random || !ops->send || !ret)
                return -EINVAL;
        if (cfg->duid_len < 3 || cfg->duid_len > DHCP6_DUID_MAX || cfg->n_oro > 32)
                return -EINVAL;
        c = calloc(1, sizeof(*c));
        if (!c)
                return -ENOMEM;
        c->cfg = *cfg;
        c->ops = ops;
        c->userdata = userdata;
        c->state = DHCP6_STATE_STOPPED;
        *ret = c;
        return 0;
}

void dhcp6_client_free(struct dhcp6_client *c)
{
        free(c);
}

enum dhcp6_state dhcp6_client_state(const struct dhcp6_client *c) { return c->state; }
uint32_t dhcp6_client_xid(const struct dhcp6_client *c) { return c->xid; }
const struct dhcp6_lease *dhcp6_client_lease(const struct dhcp6_client *c)
{
        return c->have_lease ? &c->lease : NULL;
}
