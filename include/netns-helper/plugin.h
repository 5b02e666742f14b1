/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netns-helper stage plugin interface.
 *
 * This is the only header a stage plugin includes.  A plugin is a shared
 * object in one of the configured plugin directories that exports one
 * symbol, NH_PLUGIN_SYMBOL ("netns_helper_plugin"): a const struct nh_plugin
 * describing the stage it implements and its verbs.  The core calls the verbs
 * with a struct nh_ctx, through which every service of the core is reached
 * (configuration, the namespace, netlink, logging, directories, facts,
 * hooks, readiness, DNS).  A plugin links against nothing of netns-helper.
 *
 * ABI policy
 *   NH_PLUGIN_ABI_MAJOR changes when anything in this file changes in an
 *   incompatible way (a field moves, a signature changes, a meaning changes).
 *   The loader refuses a plugin whose major differs from its own, naming both
 *   versions.  NH_PLUGIN_ABI_MINOR grows when something is only added: new
 *   members at the end of struct nh_api, new flags, new key types.  A plugin
 *   built against minor N runs on a core of minor >= N; a plugin that wants a
 *   newer service checks nh_api_has() first.  The loader refuses a plugin that
 *   needs a newer minor than the core provides.
 *
 * Return convention
 *   Functions return 0 (or a positive value where documented) on success and
 *   a negative errno value on failure, like the kernel and systemd.  The
 *   function that knows what was being attempted logs the failure, once.
 */
#ifndef NETNS_HELPER_PLUGIN_H
#define NETNS_HELPER_PLUGIN_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NH_PLUGIN_ABI_MAJOR 1
#define NH_PLUGIN_ABI_MINOR 5

/* The name of the one symbol a plugin exports. */
#define NH_PLUGIN_SYMBOL "netns_helper_plugin"

/* syslog(3) priorities, as used by nh_log() and journald's "<N>" prefixes. */
#define NH_LOG_ERR     3
#define NH_LOG_WARNING 4
#define NH_LOG_NOTICE  5
#define NH_LOG_INFO    6
#define NH_LOG_DEBUG   7

/* struct nh_plugin.flags */
enum {
        /* start() stays in the foreground until the stop fd becomes
         * readable (SIGTERM), after calling nh_ready() once it is usable.
         * Under systemd it is a Type=notify unit's main process; under
         * "netns-helper up" the core runs it in a child process and waits
         * for its readiness. */
        NH_PLUGIN_LONG_RUNNING = 1u << 0,
        /* The stage works inside an existing namespace: the core refuses to
         * start it when /run/netns/NAME does not exist, with a message that
         * says to start the netns stage first. */
        NH_PLUGIN_NEEDS_NETNS  = 1u << 1,
        /* The stage starts only when every stage configured before it for
         * the namespace is up (a long-running one: ready).  Under systemd,
         * After= orders units but lets a unit start after a failed one:
         * this keeps the post-up hook, and the services bound to it, from
         * running in a namespace whose DHCP lease never came. */
        NH_PLUGIN_AFTER_ALL    = 1u << 2,
        /* start() makes the namespace itself and stop() removes it (the
         * netns stage).  When "netns-helper down" (or "up" undoing a
         * failure) stops it after other stages, those see
         * nh_namespace_going() == 1 in their stop(). */
        NH_PLUGIN_OWNS_NETNS   = 1u << 3,
};

/* Types of configuration values.  The core checks every value of a stage's
 * section against the plugin's key table before validate() is called, and
 * reports mistakes with file, line, column and key.  Keys not in the table
 * are errors. */
enum nh_type {
        NH_T_STRING = 1,    /* any scalar */
        NH_T_BOOL,          /* yes/no, true/false, on/off, 1/0 */
        NH_T_INT,           /* decimal integer within [min, max] */
        NH_T_ENUM,          /* one of the '|'-separated words in choices */
        NH_T_IFNAME,        /* a Linux interface name: 1-15 bytes, no '/', ':' or white space */
        NH_T_MAC,           /* a unicast, non-zero MAC address, aa:bb:cc:dd:ee:ff */
        NH_T_IPV4,          /* an IPv4 address */
        NH_T_IPV6,          /* an IPv6 address */
        NH_T_IPV4_PREFIX,   /* IPv4 address with optional /prefix (default /32) */
        NH_T_IPV6_PREFIX,   /* IPv6 address with optional /prefix (default /128) */
        NH_T_PATH,          /* an absolute path */
        NH_T_MAP,           /* a mapping of scalar keys to scalar values (e.g. sysctls) */
};

/* struct nh_key.flags */
enum {
        NH_KEY_LIST     = 1u << 0, /* a single value or a sequence of values */
        NH_KEY_REQUIRED = 1u << 1, /* must be present */
        /* No two namespaces may have the same value (a MAC address):
         * "validate" and "enable" compare it with every other namespace's
         * file and with the facts of every other namespace that is up, and
         * name who holds it.  Not checked by "up" or a stage's start. */
        NH_KEY_UNIQUE   = 1u << 2,
};

/* One entry of a plugin's key table; the table ends with an entry whose
 * name is NULL. */
struct nh_key {
        const char *name;       /* as written in YAML, e.g. "parent" */
        enum nh_type type;
        uint32_t flags;         /* NH_KEY_* */
        long long min, max;     /* NH_T_INT only */
        const char *choices;    /* NH_T_ENUM only: "bridge|private|vepa" */
        const char *help;       /* what is expected, shown in errors and "netns-helper plugins -v" */
};

/* A parsed address from NH_T_IPV4, NH_T_IPV6 and the _PREFIX types. */
struct nh_inet {
        int family;             /* AF_INET or AF_INET6 */
        unsigned prefixlen;     /* 32/128 where none was given */
        union {
                uint8_t bytes[16];
                uint32_t v4;    /* network byte order */
        } addr;
};

struct nh_ctx;
struct nl_sock;                 /* libnl-3 */

/*
 * The services of the core.  Reach them through the nh_*() wrappers below.
 * Members are only ever added at the end (with a minor ABI bump).
 */
struct nh_api {
        uint32_t abi_major;
        uint32_t abi_minor;
        size_t size;            /* sizeof(struct nh_api) of the core */

        /* --- identity --- */
        const char *(*namespace_name)(struct nh_ctx *ctx);
        const char *(*stage)(struct nh_ctx *ctx);

        /* --- logging --- */
        void (*logv)(struct nh_ctx *ctx, int prio, const char *fmt, va_list ap);

        /* --- configuration: the stage's own section --- */
        /* Number of values of key: 0 when unset, 1 for a scalar, n for a
         * sequence (NH_KEY_LIST) or a mapping (NH_T_MAP). */
        size_t (*cfg_count)(struct nh_ctx *ctx, const char *key);
        /* The i-th value as written, or NULL.  Valid while ctx lives. */
        const char *(*cfg_get)(struct nh_ctx *ctx, const char *key, size_t i);
        /* The i-th key of a mapping (NH_T_MAP), or NULL. */
        const char *(*cfg_map_key)(struct nh_ctx *ctx, const char *key, size_t i);
        /* Typed reads of the i-th value; return 1 when set, 0 when unset
         * (out untouched), negative errno when it does not parse. */
        int (*cfg_bool)(struct nh_ctx *ctx, const char *key, size_t i, int *out);
        int (*cfg_int)(struct nh_ctx *ctx, const char *key, size_t i, long long *out);
        int (*cfg_mac)(struct nh_ctx *ctx, const char *key, size_t i, uint8_t out[6]);
        int (*cfg_inet)(struct nh_ctx *ctx, const char *key, size_t i, struct nh_inet *out);
        /* Report a semantic mistake in key (NULL: the section itself), with
         * the file, line and column where it was written.  Returns -EINVAL,
         * so validate() can "return nh_cfg_error(...)". */
        int (*cfg_errorv)(struct nh_ctx *ctx, const char *key, const char *fmt, va_list ap);
        void (*cfg_warnv)(struct nh_ctx *ctx, const char *key, const char *fmt, va_list ap);

        /* --- the namespace --- */
        /* An O_RDONLY|O_CLOEXEC fd of /run/netns/NAME, owned by the core
         * (do not close it); -ENOENT when the namespace does not exist. */
        int (*netns_fd)(struct nh_ctx *ctx);
        /* The namespace the core was started in; owned by the core. */
        int (*host_netns_fd)(struct nh_ctx *ctx);
        /* setns(2) the calling thread into the namespace / back to the
         * host's.  Prefer nh_netlink(): sockets keep their namespace. */
        int (*enter_netns)(struct nh_ctx *ctx);
        int (*leave_netns)(struct nh_ctx *ctx);
        /* A connected NETLINK_ROUTE libnl socket living inside the
         * namespace / in the host's namespace; owned by the core, NULL on
         * failure (errno set).  The socket is made with the libnl-3 the
         * plugin links (the core looks it up among the plugin's
         * dependencies and does not load libnl itself): a plugin that calls
         * these links libnl-3 (pkg-config --libs libnl-3.0); without it
         * they fail with ENOSYS. */
        struct nl_sock *(*netlink)(struct nh_ctx *ctx);
        struct nl_sock *(*netlink_host)(struct nh_ctx *ctx);
        /* socket(2) created inside the namespace (e.g. a DHCP socket); the
         * caller owns the fd.  Negative errno on failure. */
        int (*socket)(struct nh_ctx *ctx, int domain, int type, int protocol);

        /* --- directories (absolute paths, valid while ctx lives) --- */
        const char *(*run_dir)(struct nh_ctx *ctx);       /* $runstatedir/netns-helper/NAME, created 0755 on first call */
        const char *(*state_dir)(struct nh_ctx *ctx);     /* $localstatedir/lib/netns-helper/NAME, created 0700 on first call */
        const char *(*config_dir)(struct nh_ctx *ctx);    /* $sysconfdir/netns-helper */
        const char *(*etc_netns_dir)(struct nh_ctx *ctx); /* /etc/netns/NAME, not created */

        /* --- facts handed from one stage to later ones (kept in the run
         *     directory, so they cross processes and units) --- */
        /* key: [a-z0-9_.-]+; value NULL removes the fact. */
        int (*fact_set)(struct nh_ctx *ctx, const char *key, const char *value);
        /* NULL when unset; valid while ctx lives. */
        const char *(*fact_get)(struct nh_ctx *ctx, const char *key);

        /* --- hooks ---
         * Run an executable inside the namespace as "ip netns exec" would:
         * setns into it, a private mount namespace in which every file of
         * /etc/netns/NAME is bind-mounted over its /etc counterpart and /sys
         * shows the namespace, a fixed PATH, the environment variables
         * NETNS_HELPER_NAMESPACE, NETNS_HELPER_STAGE, NETNS_HELPER_INTERFACE
         * (the "interface" fact) plus extra_env ("KEY=value", NULL-ended),
         * argv[0] = path followed by args (NULL-ended; may be NULL).  Its
         * output goes to the log.  Returns 0 when it is absent or not
         * executable (logged), its exit status (> 0) when it failed,
         * -EPERM when it is writable by group or others or not owned by root
         * (the core refuses to run it), other negative errno on failure. */
        int (*run_hook)(struct nh_ctx *ctx, const char *path,
                        const char *const *args, const char *const *extra_env);

        /* --- long-running stages --- */
        /* An fd that becomes readable when the stage must stop (SIGTERM,
         * SIGINT); owned by the core.  Put it in your poll set. */
        int (*stop_fd)(struct nh_ctx *ctx);
        /* Tell the supervisor that the stage is up (READY=1 through
         * $NOTIFY_SOCKET under systemd; "netns-helper up" waits for it).
         * status is a one-line human summary, may be NULL. */
        int (*ready)(struct nh_ctx *ctx, const char *status);
        /* Update the one-line status (STATUS= under systemd). */
        int (*status)(struct nh_ctx *ctx, const char *status);

        /* --- DNS of the namespace ---
         * Record the name servers and search domains learnt by one source
         * (e.g. "dhcp4", "dhcp6") and rewrite /etc/netns/NAME/resolv.conf
         * atomically from every source's records.  The core never writes
         * anywhere in /etc but /etc/netns/NAME.  Servers are numeric
         * addresses, domains are checked against DNS label rules; invalid
         * entries are dropped with a warning.  n_servers == n_search == 0
         * is the same as dns_clear(). */
        int (*dns_set)(struct nh_ctx *ctx, const char *source,
                       const char *const *servers, size_t n_servers,
                       const char *const *search, size_t n_search);
        /* Forget one source's records and rewrite (or remove, when nothing
         * is left and the core wrote it) resolv.conf. */
        int (*dns_clear)(struct nh_ctx *ctx, const char *source);
        /* Write /etc/netns/NAME/nsswitch.conf from the host's
         * /etc/nsswitch.conf with "resolve" (systemd-resolved, reached over
         * its socket in /run from any namespace) replaced by "dns",
         * atomically.  The core also does so by default when the namespace
         * is made and the host's file uses "resolve" (key isolate-dns). */
        int (*dns_nsswitch)(struct nh_ctx *ctx);
        /* 1 when name is a valid DNS name (RFC 1035 labels: letters,
         * digits, '-', 1-63 bytes each, 253 in all, optional final dot),
         * 0 otherwise.  Check every name that comes from the network. */
        int (*dns_name_valid)(const char *name);

        /* --- added in ABI 1.1 --- */
        /* In stop(): 1 when the namespace itself is removed right after
         * this stage, in the same process (the stage that owns it,
         * NH_PLUGIN_OWNS_NETNS, is stopped later in the same run: "down",
         * or "up" undoing a failure); 0 otherwise (one stage stopped alone,
         * as systemd stops a unit).  What lives only inside the namespace
         * (a link made there) then goes with it: the kernel destroys the
         * links of every namespace deleted together in one batch, where
         * deleting each link costs an RCU grace period of its own. */
        int (*namespace_going)(struct nh_ctx *ctx);
        /* --- added in ABI 1.2 --- */
        /* The path of the file the stage's section was read from (the
         * namespace's .yaml or legacy .conf), NULL when there is none.
         * Valid while ctx lives.  A stage whose section may hold a secret
         * checks that file's owner and mode. */
        const char *(*cfg_file)(struct nh_ctx *ctx);
        /* --- added in ABI 1.4 --- */
        /* Open a program the stage will execute as root (one named in the
         * configuration) the way the core opens plugins and hooks: the
         * path is walked component by component, following symbolic links
         * (at most 40), and refused (-EPERM) when the file or any directory
         * above it is not owned by root or is writable by group or others
         * (a sticky directory such as /tmp is allowed; its entries must be
         * root's).  Returns an O_PATH|O_CLOEXEC descriptor of what was
         * checked, which the caller executes with fexecve(3) (a script
         * needs it without O_CLOEXEC: dup it) and closes; -ENOENT when it
         * does not exist; other negative errno.  why (may be NULL) gets
         * one sentence naming the component at fault and the chmod or
         * chown to run; nothing is logged. */
        int (*open_trusted)(struct nh_ctx *ctx, const char *path, char *why, size_t why_size);
        /* --- added in ABI 1.5 --- */
        /* As cfg_errorv/cfg_warnv, about the i-th value of key (a sequence's
         * item, a mapping's entry): reported at that value's line and
         * column, and naming it ("macvlan.sysctl[kernel.panic]",
         * "macvlan.address[1]": i counts from 0). */
        int (*cfg_item_errorv)(struct nh_ctx *ctx, const char *key, size_t i, const char *fmt, va_list ap);
        void (*cfg_item_warnv)(struct nh_ctx *ctx, const char *key, size_t i, const char *fmt, va_list ap);
};

/*
 * The context given to every verb.  The public head is what a plugin may use;
 * the core owns the rest of the object.
 */
struct nh_ctx {
        const struct nh_api *api;
        void *userdata;         /* free for the plugin, within one verb call */
};

/*
 * The descriptor a plugin exports as NH_PLUGIN_SYMBOL.
 *
 * Verbs return 0 on success, a negative errno on failure (after logging
 * what failed).  check() returns 0 when the kernel state matches the
 * configuration, 1 when it does not (after logging each difference), and a
 * negative errno when it could not tell.
 */
struct nh_plugin {
        uint32_t abi_major;             /* NH_PLUGIN_ABI_MAJOR */
        uint32_t abi_minor;             /* NH_PLUGIN_ABI_MINOR */
        const char *name;               /* equals the file name without ".so" */
        const char *stage;              /* the stage it implements: "macvlan", "dhcp4", ... */
        const char *version;            /* the plugin's own version */
        const char *description;        /* one line */
        int order;                      /* pipeline position: lower starts first; the
                                         * in-tree stages' are in <netns-helper/stages.h> */
        uint32_t flags;                 /* NH_PLUGIN_* */
        const struct nh_key *keys;      /* the stage section's keys, NULL-name ended; NULL: none */

        /* Check the stage's section beyond what the key table says.  No side
         * effects: it may read the host's state (does the parent exist?) but
         * changes nothing.  NULL: nothing more to check. */
        int (*validate)(struct nh_ctx *ctx);
        /* Bring the stage up.  On failure it undoes what it made. */
        int (*start)(struct nh_ctx *ctx);
        /* Take the stage down.  Idempotent: succeeds when it is already gone. */
        int (*stop)(struct nh_ctx *ctx);
        /* Compare the kernel's state with the configuration.  NULL: always 0. */
        int (*check)(struct nh_ctx *ctx);

        /* --- added in ABI 1.3 (read only from plugins built for 1.3 or
         *     later) --- */
        /* Keep what start() made while the world changes under it (its
         * parent interface deleted and back, its link set down and up, its
         * link deleted): after every successful start() the core runs
         * watch() in a process of its own, under "netns-helper up" and
         * "netns-helper-run STAGE NAME start" alike (so under systemd in
         * the unit's cgroup), and does not wait for it: the stage is up
         * already, and a one-shot start costs one fork more.  The process
         * is recorded like a long-running stage's: stop() and "down" end
         * it first (the stop fd becomes readable; return then), and check()
         * reports it as drift when it has died.  NULL: no watcher. */
        int (*watch)(struct nh_ctx *ctx);

        /* --- added in ABI 1.5 --- */
        /* sizeof(struct nh_plugin) where the plugin was built; set by
         * NH_PLUGIN_DEFINE.  This is how the descriptor grows: members are
         * only added after this one, and the core reads one only when the
         * plugin's size covers it (nh_plugin_has()), so a plugin built for
         * an older minor, whose descriptor is shorter, is never read past
         * its end.  Before 1.5 the core goes by abi_minor instead. */
        size_t size;
};

/* Does descriptor d (from a plugin built for ABI 1.5 or later) have member m? */
#define nh_plugin_has(d, m)                                                    \
        ((d)->abi_minor >= 5 &&                                                \
         (d)->size >= offsetof(struct nh_plugin, m) + sizeof((d)->m))

/* Define the descriptor:  NH_PLUGIN_DEFINE(.name = "veth", .stage = "veth", ...); */
#define NH_PLUGIN_DEFINE(...)                                                  \
        __attribute__((visibility("default")))                                 \
        extern const struct nh_plugin netns_helper_plugin;                     \
        const struct nh_plugin netns_helper_plugin = {                         \
                .abi_major = NH_PLUGIN_ABI_MAJOR,                              \
                .abi_minor = NH_PLUGIN_ABI_MINOR,                              \
                .size = sizeof(struct nh_plugin),                              \
                __VA_ARGS__                                                    \
        }

/* ---- convenience wrappers -------------------------------------------- */

/* Does the running core provide api member m? */
#define nh_api_has(ctx, m)                                                     \
        ((ctx)->api->size >= offsetof(struct nh_api, m) + sizeof((ctx)->api->m))

static inline const char *nh_namespace(struct nh_ctx *c) { return c->api->namespace_name(c); }
static inline const char *nh_stage(struct nh_ctx *c) { return c->api->stage(c); }

__attribute__((format(printf, 3, 4)))
static inline void nh_log(struct nh_ctx *c, int prio, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        c->api->logv(c, prio, fmt, ap);
        va_end(ap);
}
#define nh_err(c, ...)    nh_log((c), NH_LOG_ERR, __VA_ARGS__)
#define nh_warn(c, ...)   nh_log((c), NH_LOG_WARNING, __VA_ARGS__)
#define nh_notice(c, ...) nh_log((c), NH_LOG_NOTICE, __VA_ARGS__)
#define nh_info(c, ...)   nh_log((c), NH_LOG_INFO, __VA_ARGS__)
#define nh_debug(c, ...)  nh_log((c), NH_LOG_DEBUG, __VA_ARGS__)

static inline size_t nh_cfg_count(struct nh_ctx *c, const char *k) { return c->api->cfg_count(c, k); }
static inline const char *nh_cfg_get(struct nh_ctx *c, const char *k, size_t i) { return c->api->cfg_get(c, k, i); }
/* The first (or only) value of key, or NULL. */
static inline const char *nh_cfg_str(struct nh_ctx *c, const char *k) { return c->api->cfg_get(c, k, 0); }
static inline const char *nh_cfg_map_key(struct nh_ctx *c, const char *k, size_t i) { return c->api->cfg_map_key(c, k, i); }
/* Typed reads of the i-th value of key, every one in the same form:
 *   nh_cfg_bool(ctx, key, i, &out), nh_cfg_int(...), nh_cfg_mac(...),
 *   nh_cfg_inet(...).
 * The form of ABI 1.0 without i, nh_cfg_bool(ctx, key, &out) (and int and
 * mac), still compiles and reads the first value. */
static inline int nh_cfg_bool_at(struct nh_ctx *c, const char *k, size_t i, int *out) { return c->api->cfg_bool(c, k, i, out); }
static inline int nh_cfg_int_at(struct nh_ctx *c, const char *k, size_t i, long long *out) { return c->api->cfg_int(c, k, i, out); }
static inline int nh_cfg_mac_at(struct nh_ctx *c, const char *k, size_t i, uint8_t out[6]) { return c->api->cfg_mac(c, k, i, out); }
static inline int nh_cfg_inet(struct nh_ctx *c, const char *k, size_t i, struct nh_inet *out) { return c->api->cfg_inet(c, k, i, out); }
#define NH_CFG_WITH_INDEX_(a, b, c, d, with_index, without, ...) with_index
#define NH_CFG_FIRST_(getter, ...) \
        NH_CFG_WITH_INDEX_(__VA_ARGS__, getter, getter##_first_, 0, 0)
#define nh_cfg_bool(...) NH_CFG_FIRST_(nh_cfg_bool_at, __VA_ARGS__)(__VA_ARGS__)
#define nh_cfg_int(...)  NH_CFG_FIRST_(nh_cfg_int_at, __VA_ARGS__)(__VA_ARGS__)
#define nh_cfg_mac(...)  NH_CFG_FIRST_(nh_cfg_mac_at, __VA_ARGS__)(__VA_ARGS__)
static inline int nh_cfg_bool_at_first_(struct nh_ctx *c, const char *k, int *out) { return nh_cfg_bool_at(c, k, 0, out); }
static inline int nh_cfg_int_at_first_(struct nh_ctx *c, const char *k, long long *out) { return nh_cfg_int_at(c, k, 0, out); }
static inline int nh_cfg_mac_at_first_(struct nh_ctx *c, const char *k, uint8_t out[6]) { return nh_cfg_mac_at(c, k, 0, out); }

__attribute__((format(printf, 3, 4)))
static inline int nh_cfg_error(struct nh_ctx *c, const char *key, const char *fmt, ...)
{
        va_list ap;
        int r;
        va_start(ap, fmt);
        r = c->api->cfg_errorv(c, key, fmt, ap);
        va_end(ap);
        return r;
}

__attribute__((format(printf, 3, 4)))
static inline void nh_cfg_warn(struct nh_ctx *c, const char *key, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        c->api->cfg_warnv(c, key, fmt, ap);
        va_end(ap);
}

/* nh_cfg_error()/nh_cfg_warn() about the i-th value of key (an item of a
 * list, an entry of a mapping), at that value's line and column.  On a core
 * older than ABI 1.5, about key. */
__attribute__((format(printf, 4, 5)))
static inline int nh_cfg_item_error(struct nh_ctx *c, const char *key, size_t i, const char *fmt, ...)
{
        va_list ap;
        int r;
        va_start(ap, fmt);
        r = nh_api_has(c, cfg_item_errorv) && c->api->cfg_item_errorv ?
                c->api->cfg_item_errorv(c, key, i, fmt, ap) :
                c->api->cfg_errorv(c, key, fmt, ap);
        va_end(ap);
        return r;
}

__attribute__((format(printf, 4, 5)))
static inline void nh_cfg_item_warn(struct nh_ctx *c, const char *key, size_t i, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        if (nh_api_has(c, cfg_item_warnv) && c->api->cfg_item_warnv)
                c->api->cfg_item_warnv(c, key, i, fmt, ap);
        else
                c->api->cfg_warnv(c, key, fmt, ap);
        va_end(ap);
}

static inline int nh_netns_fd(struct nh_ctx *c) { return c->api->netns_fd(c); }
static inline int nh_host_netns_fd(struct nh_ctx *c) { return c->api->host_netns_fd(c); }
static inline int nh_enter_netns(struct nh_ctx *c) { return c->api->enter_netns(c); }
static inline int nh_leave_netns(struct nh_ctx *c) { return c->api->leave_netns(c); }
static inline struct nl_sock *nh_netlink(struct nh_ctx *c) { return c->api->netlink(c); }
static inline struct nl_sock *nh_netlink_host(struct nh_ctx *c) { return c->api->netlink_host(c); }
static inline int nh_socket(struct nh_ctx *c, int d, int t, int p) { return c->api->socket(c, d, t, p); }

static inline const char *nh_run_dir(struct nh_ctx *c) { return c->api->run_dir(c); }
static inline const char *nh_state_dir(struct nh_ctx *c) { return c->api->state_dir(c); }
static inline const char *nh_config_dir(struct nh_ctx *c) { return c->api->config_dir(c); }
static inline const char *nh_etc_netns_dir(struct nh_ctx *c) { return c->api->etc_netns_dir(c); }

static inline int nh_fact_set(struct nh_ctx *c, const char *k, const char *v) { return c->api->fact_set(c, k, v); }
static inline const char *nh_fact_get(struct nh_ctx *c, const char *k) { return c->api->fact_get(c, k); }

static inline int nh_run_hook(struct nh_ctx *c, const char *path, const char *const *args,
                              const char *const *env) { return c->api->run_hook(c, path, args, env); }

static inline int nh_stop_fd(struct nh_ctx *c) { return c->api->stop_fd(c); }
static inline int nh_ready(struct nh_ctx *c, const char *status) { return c->api->ready(c, status); }
static inline int nh_status(struct nh_ctx *c, const char *status) { return c->api->status(c, status); }

static inline int nh_dns_set(struct nh_ctx *c, const char *source,
                             const char *const *servers, size_t n_servers,
                             const char *const *search, size_t n_search)
{
        return c->api->dns_set(c, source, servers, n_servers, search, n_search);
}
static inline int nh_dns_clear(struct nh_ctx *c, const char *source) { return c->api->dns_clear(c, source); }
static inline int nh_dns_nsswitch(struct nh_ctx *c) { return c->api->dns_nsswitch(c); }
static inline int nh_dns_name_valid(struct nh_ctx *c, const char *name) { return c->api->dns_name_valid(name); }
/* 0 on a core older than ABI 1.1. */
static inline int nh_namespace_going(struct nh_ctx *c)
{
        return nh_api_has(c, namespace_going) ? c->api->namespace_going(c) : 0;
}
/* NULL on a core older than ABI 1.2. */
static inline const char *nh_cfg_file(struct nh_ctx *c) { return nh_api_has(c, cfg_file) ? c->api->cfg_file(c) : NULL; }
/* -ENOSYS on a core older than ABI 1.4. */
static inline int nh_open_trusted(struct nh_ctx *c, const char *path, char *why, size_t why_size)
{
        return nh_api_has(c, open_trusted) ? c->api->open_trusted(c, path, why, why_size) : -ENOSYS;
}
/* Executes what fd (from nh_open_trusted() of path) refers to, in the
 * child: fexecve(3) of the descriptor; for a script, which the kernel runs
 * from a close-on-exec descriptor only as /dev/fd/N (binfmt_script fails
 * with ENOENT), the path itself, so that the script's $0 is its name:
 * nh_open_trusted() found every component of it changeable by root alone.
 * Returns only on failure, with errno set, like execve(2). */
static inline void nh_exec_trusted(int fd, const char *path, char *const argv[], char *const envp[])
{
        fexecve(fd, argv, envp);
        if (errno == ENOENT)
                execve(path, argv, envp);
}


#ifdef __cplusplus
}
#endif

/* The registry of well-known facts and how their values are spelled (a
 * separate header; included here so that sources written for ABI 1.0 keep
 * building). */
#include <netns-helper/facts.h>
/* The registry of the in-tree stages' pipeline positions (NH_ORDER_*). */
#include <netns-helper/stages.h>

#endif /* NETNS_HELPER_PLUGIN_H */
