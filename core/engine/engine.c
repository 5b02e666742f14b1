/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The engine runs a namespace's stages and implements the services of
 * struct nh_api for them.
 *
 * A stage is always run the same way, whether one unit calls
 * "netns-helper-run STAGE NAME start" or "netns-helper up NAME" runs them
 * all: its configuration section is checked against the plugin's key table,
 * then validate(), then the verb.  "up" checks every stage before the first
 * change, and undoes the stages it started when a later one fails.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>

#include <dlfcn.h>
#include <linux/netlink.h>

#include "config/clash.h"
#include "engine/engine.h"
#include "os/hookdns.h"
#include "base/log.h"
#include "config/names.h"
#include "os/trust.h"
#include "base/util.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

#define NETNS_RUN_DIR "/run/netns"
/* How long "down" and "stop" wait for a long-running stage to end after
 * SIGTERM before they give up on it (DHCP release included). */
#define STOP_TIMEOUT_MS 20000

/* libnl-3, as the plugin that asks for a socket links it.  The core does not
 * link libnl itself: a stage whose plugin never asks (netns, macvlan,
 * postup) runs without loading it, and the socket handed out is always made
 * by the libnl its plugin uses.  dlsym() on a plugin's handle searches the
 * plugin and its dependencies. */
struct nl_sock;
struct nl_fns {
        struct nl_sock *(*alloc)(void);
        void (*free)(struct nl_sock *);
        int (*connect)(struct nl_sock *, int);
        int (*set_msg_buf_size)(struct nl_sock *, size_t);
};

struct nh_nsstate {
        char *name;
        struct nh_ns_config *cfg;
        int netns_fd;
        struct nl_sock *nl;             /* made with the engine's nl_fns */
        char *run_dir, *state_dir, *etc_dir, *dns_dir;
        bool run_dir_made, state_dir_made, facts_dir_made, up_dir_made, failed_dir_made;
        int lock_fd;                    /* ns_lock(), or -1 */
        bool going;                     /* nh_namespace_going(): see pipeline_stop() */
};

struct nh_engine {
        struct nh_global_config *g;
        struct nh_registry *reg;
        int host_netns_fd;
        struct nl_sock *host_nl;
        struct nl_fns nl;               /* resolved on the first request */
};

struct nh_core_ctx {
        struct nh_ctx pub;
        struct nh_engine *e;
        struct nh_nsstate *ns;
        struct nh_plugin_rec *rec;
        const char *stage;
        const struct nh_node *section;
        char prefix[128];
        int ready_fd;           /* "up": the pipe to the waiting parent */
        bool ready_sent;
        char **strs;            /* strings handed out by fact_get() */
        size_t n_strs;
};

static struct nh_core_ctx *core(struct nh_ctx *c) { return (struct nh_core_ctx *) c; }

/* ---- directories --------------------------------------------------------- */

static const char *env_or(const char *env, const char *def)
{
        const char *v = getenv(env);
        return v && *v ? v : def;
}

const char *nh_confdir(void) { return env_or("NETNS_HELPER_CONFDIR", NH_SYSCONFDIR "/netns-helper"); }
const char *nh_rundir(void) { return env_or("NETNS_HELPER_RUNDIR", NH_RUNSTATEDIR "/netns-helper"); }
const char *nh_statedir(void) { return env_or("NETNS_HELPER_STATEDIR", NH_LOCALSTATEDIR "/lib/netns-helper"); }
/* The parsed-tree cache (conf.c).  A private configuration directory
 * (tests, experiments) gets no cache unless it names one too, so that it
 * never writes into the host's. "" turns the cache off. */
const char *nh_cachedir(void)
{
        const char *v = getenv("NETNS_HELPER_CACHEDIR");

        if (v)
                return *v ? v : NULL;
        if (getenv("NETNS_HELPER_CONFDIR"))
                return NULL;
        return NH_LOCALSTATEDIR "/cache/netns-helper";
}
/* iproute2 has /etc/netns compiled in; only tests move it. */
const char *nh_etc_netns(void) { return env_or("NETNS_HELPER_ETC_NETNS", "/etc/netns"); }

int nh_parse_common_options(int argc, char **argv, const char *program, void (*usage)(FILE *f))
{
        static const struct option opts[] = {
                { "verbose", no_argument, NULL, 'v' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                { 0 }
        };
        int c;

        while ((c = getopt_long(argc, argv, "+vh", opts, NULL)) >= 0) {
                switch (c) {
                case 'v':
                        nh_log_max = NH_LOG_DEBUG;
                        break;
                case 'h':
                        usage(stdout);
                        return NH_EXIT_OK;
                case 'V':
                        printf("%s %s (plugin ABI %d.%d)\n", program, PACKAGE_VERSION,
                               NH_PLUGIN_ABI_MAJOR, NH_PLUGIN_ABI_MINOR);
                        return NH_EXIT_OK;
                default:
                        usage(stderr);
                        return NH_EXIT_USAGE;
                }
        }
        return -1;
}

int nh_check_namespace_name(const char *ns)
{
        char why[256];

        if (nh_namespace_name_check(ns, why, sizeof why) < 0) {
                log_error("Invalid namespace name '%s': %s", ns, why);
                return NH_EXIT_CONFIG;
        }
        return NH_EXIT_OK;
}

/* ---- stop requests --------------------------------------------------------- */

static int stop_pipe[2] = { -1, -1 };
static pid_t stop_pipe_pid;

static void on_stop_signal(int sig)
{
        int saved = errno;
        char c = (char) sig;
        if (stop_pipe[1] >= 0)
                (void) !write(stop_pipe[1], &c, 1);
        errno = saved;
}

/* A forked child forgets its parent's pipe (it closes the descriptors). */
static void stop_signals_forget(void)
{
        stop_pipe[0] = stop_pipe[1] = -1;
}

/* Signals arriving before a plugin polls its stop fd are kept in the pipe;
 * a forked child gets a pipe of its own, or a SIGTERM to one child would
 * wake them all. */
static int stop_signals_install(void)
{
        struct sigaction sa = { .sa_handler = on_stop_signal };

        if (stop_pipe[0] >= 0 && stop_pipe_pid == getpid())
                return stop_pipe[0];
        if (stop_pipe[0] >= 0) {
                close(stop_pipe[0]);
                close(stop_pipe[1]);
        }
        if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
                return -errno;
        stop_pipe_pid = getpid();
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        signal(SIGPIPE, SIG_IGN);
        return stop_pipe[0];
}

/* ---- sd_notify ----------------------------------------------------------- */

static int notify(const char *msg)
{
        const char *path = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        _cleanup_close_ int fd = -1;
        size_t len;
        socklen_t salen;

        if (!path || !*path)
                return 0;
        len = strlen(path);
        if ((path[0] != '/' && path[0] != '@') || len >= sizeof sa.sun_path)
                return -EINVAL;
        memcpy(sa.sun_path, path, len);
        if (path[0] == '@')
                sa.sun_path[0] = '\0';  /* abstract socket */
        salen = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + len + (path[0] == '/'));
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *) &sa, salen) < 0)
                return -errno;
        return 1;
}

/* ---- per-namespace state ------------------------------------------------- */

static void nsstate_drop_kernel(const struct nh_engine *e, struct nh_nsstate *s)
{
        if (s->nl) {
                e->nl.free(s->nl);
                s->nl = NULL;
        }
        if (s->netns_fd >= 0) {
                close(s->netns_fd);
                s->netns_fd = -1;
        }
}

static void nsstate_free(const struct nh_engine *e, struct nh_nsstate *s)
{
        if (!s)
                return;
        nsstate_drop_kernel(e, s);
        if (s->lock_fd >= 0)
                close(s->lock_fd);
        nh_ns_config_free(s->cfg);
        free(s->name);
        free(s->run_dir);
        free(s->state_dir);
        free(s->etc_dir);
        free(s->dns_dir);
        free(s);
}

/* One namespace is changed by one process at a time: "up" and "down", the
 * units and an administrator's netns-helper-run would otherwise race (two
 * netns starts: one finds the other's file before it is a namespace; two
 * macvlan starts: one replaces the other's link under it).  A file per
 * namespace in RUNDIR/.locks (a name does not start with '.', so this is
 * no namespace's directory), never removed: removing a lock file races
 * with whoever opens it next, and /run is emptied at boot.  Held until s
 * is freed; a long-running stage's child does not keep it.  NH_EXIT_*. */
static bool interrupted(void);

static int ns_lock(struct nh_nsstate *s)
{
        _cleanup_free_ char *dir = strdup_printf("%s/.locks", nh_rundir());
        _cleanup_free_ char *path = dir ? strdup_printf("%s/%s", dir, s->name) : NULL;
        int fd, r;

        if (s->lock_fd >= 0)
                return NH_EXIT_OK;
        if (!path)
                return NH_EXIT_FAILURE;
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0 && errno == ENOENT) {
                r = mkdir_p(dir, 0755);
                if (r < 0) {
                        log_error("Cannot create %s to lock namespace %s: %s", dir, s->name, strerror(-r));
                        return NH_EXIT_FAILURE;
                }
                fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        }
        if (fd < 0) {
                log_error("Cannot open %s to lock namespace %s: %s", path, s->name, strerror(errno));
                return NH_EXIT_FAILURE;
        }
        r = flock(fd, LOCK_EX | LOCK_NB);
        if (r < 0 && errno == EWOULDBLOCK) {
                log_info("Namespace %s: waiting for another netns-helper that is changing it", s->name);
                /* A SIGINT or SIGTERM to "up" ends the wait. */
                do
                        r = flock(fd, LOCK_EX);
                while (r < 0 && errno == EINTR && !interrupted());
        }
        if (r < 0) {
                log_error("Cannot lock %s: %s", path, strerror(errno));
                close(fd);
                return NH_EXIT_FAILURE;
        }
        s->lock_fd = fd;
        return NH_EXIT_OK;
}

/* Returns an NH_EXIT_* code. */
static int nsstate_new(const struct nh_engine *e, const char *ns, struct nh_nsstate **ret)
{
        struct nh_nsstate *s;
        int r;

        r = nh_check_namespace_name(ns);
        if (r != NH_EXIT_OK)
                return r;
        s = calloc(1, sizeof *s);
        if (!s)
                return NH_EXIT_FAILURE;
        s->netns_fd = -1;
        s->lock_fd = -1;
        s->name = strdup(ns);
        s->run_dir = strdup_printf("%s/%s", nh_rundir(), ns);
        s->state_dir = strdup_printf("%s/%s", nh_statedir(), ns);
        s->etc_dir = strdup_printf("%s/%s", nh_etc_netns(), ns);
        s->dns_dir = strdup_printf("%s/%s/dns", nh_rundir(), ns);
        if (!s->name || !s->run_dir || !s->state_dir || !s->etc_dir || !s->dns_dir) {
                nsstate_free(e, s);
                return NH_EXIT_FAILURE;
        }
        r = nh_ns_config_load(nh_confdir(), ns, &s->cfg);
        if (r < 0) {
                if (r != -EINVAL)
                        log_error("Cannot read the configuration of namespace %s in %s/ns: %s",
                                  ns, nh_confdir(), strerror(-r));
                nsstate_free(e, s);
                return r == -EINVAL ? NH_EXIT_CONFIG : NH_EXIT_FAILURE;
        }
        *ret = s;
        return NH_EXIT_OK;
}

static int ns_open(struct nh_nsstate *s)
{
        _cleanup_free_ char *path = NULL;
        struct statfs sfs;
        int fd;

        if (s->netns_fd >= 0)
                return s->netns_fd;
        path = strdup_printf(NETNS_RUN_DIR "/%s", s->name);
        if (!path)
                return -ENOMEM;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fstatfs(fd, &sfs) < 0 || sfs.f_type != NSFS_MAGIC) {
                close(fd);
                return -EINVAL;    /* a plain file, not a namespace */
        }
        s->netns_fd = fd;
        return fd;
}

static void stage_mark(struct nh_nsstate *s, const char *stage, bool up);
static char *hook_record_path(struct nh_nsstate *s, const char *stage);
_Noreturn static void core_abort(void);

static bool is_long_running(const struct nh_plugin_rec *rec)
{
        return rec->desc->flags & NH_PLUGIN_LONG_RUNNING;
}

/* struct nh_plugin.watch, read only from a plugin built for ABI 1.3 or
 * later (an older descriptor ends before it). */
static bool has_watch(const struct nh_plugin_rec *rec)
{
        return rec->desc->abi_minor >= 3 && rec->desc->watch;
}

/* The stage has a process of its own while it is up, recorded in
 * RUNDIR/.pids: a long-running stage's, or a watcher. */
static bool has_process(const struct nh_plugin_rec *rec)
{
        return is_long_running(rec) || has_watch(rec);
}

/* Keys the core reads in the section of every long-running stage. */
static const struct nh_key long_running_keys[] = {
        { .name = "ready-timeout", .type = NH_T_INT, .min = 0, .max = NH_READY_TIMEOUT_MAX,
          .help = "seconds \"netns-helper up\" waits for the stage to be ready (0: no limit); "
                  "default: ready-timeout: of netns-helper.yaml" },
        { 0 }
};

/* ---- struct nh_api -------------------------------------------------------- */

static const char *api_namespace_name(struct nh_ctx *c) { return core(c)->ns->name; }
static const char *api_stage(struct nh_ctx *c) { return core(c)->stage; }

static void api_logv(struct nh_ctx *c, int prio, const char *fmt, va_list ap)
{
        nh_vlogf_prefix(prio, core(c)->prefix, fmt, ap);
}

static bool unset_scalar(const struct nh_node *n)
{
        return n->kind == NH_NODE_SCALAR && (!*n->value || streq(n->value, "~"));
}

static const struct nh_node *cfg_node(struct nh_core_ctx *c, const char *key)
{
        const struct nh_node *n = c->section ? nh_node_get(c->section, key) : NULL;
        return n && !unset_scalar(n) ? n : NULL;
}

static size_t api_cfg_count(struct nh_ctx *c, const char *key)
{
        const struct nh_node *n = cfg_node(core(c), key);
        if (!n)
                return 0;
        return n->kind == NH_NODE_SCALAR ? 1 : n->n;
}

static const char *api_cfg_get(struct nh_ctx *c, const char *key, size_t i)
{
        const struct nh_node *n = cfg_node(core(c), key);
        if (!n)
                return NULL;
        if (n->kind == NH_NODE_SCALAR)
                return i == 0 ? n->value : NULL;
        if (i >= n->n || n->items[i]->kind != NH_NODE_SCALAR)
                return NULL;
        return n->items[i]->value;
}

static const char *api_cfg_map_key(struct nh_ctx *c, const char *key, size_t i)
{
        const struct nh_node *n = cfg_node(core(c), key);
        if (!n || n->kind != NH_NODE_MAP || i >= n->n)
                return NULL;
        return n->keys[i]->value;
}

static int api_cfg_bool(struct nh_ctx *c, const char *key, size_t i, int *out)
{
        const char *s = api_cfg_get(c, key, i);
        int v, r;
        if (!s)
                return 0;
        r = nh_parse_bool(s, &v);
        if (r < 0)
                return r;
        *out = v;
        return 1;
}

static int api_cfg_int(struct nh_ctx *c, const char *key, size_t i, long long *out)
{
        const char *s = api_cfg_get(c, key, i);
        long long v;
        int r;
        if (!s)
                return 0;
        r = nh_parse_int(s, &v);
        if (r < 0)
                return r;
        *out = v;
        return 1;
}

static int api_cfg_mac(struct nh_ctx *c, const char *key, size_t i, uint8_t out[6])
{
        const char *s = api_cfg_get(c, key, i);
        int r;
        if (!s)
                return 0;
        r = nh_parse_mac(s, out);
        return r < 0 ? r : 1;
}

static const struct nh_key *find_key(struct nh_core_ctx *c, const char *key)
{
        const struct nh_key *k = c->rec && c->rec->desc ? c->rec->desc->keys : NULL;
        for (; k && k->name; k++)
                if (streq(k->name, key))
                        return k;
        return NULL;
}

static int api_cfg_inet(struct nh_ctx *c, const char *key, size_t i, struct nh_inet *out)
{
        const char *s = api_cfg_get(c, key, i);
        const struct nh_key *k = find_key(core(c), key);
        int family = AF_UNSPEC;
        bool prefix = true;
        int r;

        if (!s)
                return 0;
        if (k) {
                family = (k->type == NH_T_IPV4 || k->type == NH_T_IPV4_PREFIX) ? AF_INET :
                         (k->type == NH_T_IPV6 || k->type == NH_T_IPV6_PREFIX) ? AF_INET6 : AF_UNSPEC;
                prefix = k->type == NH_T_IPV4_PREFIX || k->type == NH_T_IPV6_PREFIX;
        }
        r = nh_parse_inet(s, family, prefix, out);
        return r < 0 ? r : 1;
}

/* A message about KEY of the stage's section (the section itself when KEY
 * is NULL or absent), with the file, line and column it was read from. */
static void cfg_reportv(struct nh_ctx *c, int level, const char *key, const char *fmt, va_list ap)
{
        struct nh_core_ctx *cc = core(c);
        const struct nh_node *n = key && cc->section ? nh_node_get(cc->section, key) : NULL;
        char what[256];

        if (key)
                snprintf(what, sizeof what, "%s.%s", cc->stage, key);
        else
                snprintf(what, sizeof what, "%s", cc->stage);
        nh_config_reportv(level, cc->ns->cfg->path, n ? n : cc->section, what, fmt, ap);
}

static int api_cfg_errorv(struct nh_ctx *c, const char *key, const char *fmt, va_list ap)
{
        cfg_reportv(c, NH_LOG_ERR, key, fmt, ap);
        return -EINVAL;
}

static void api_cfg_warnv(struct nh_ctx *c, const char *key, const char *fmt, va_list ap)
{
        cfg_reportv(c, NH_LOG_WARNING, key, fmt, ap);
}

static const char *api_cfg_file(struct nh_ctx *c)
{
        struct nh_core_ctx *cc = core(c);

        if (!cc->section || !cc->ns->cfg->exists)
                return NULL;
        return cc->section->file ? cc->section->file : cc->ns->cfg->path;
}

static int api_open_trusted(struct nh_ctx *c, const char *path, char *why, size_t why_size)
{
        _cleanup_free_ char *reason = NULL;
        int fd = nh_trust_open(path, &reason, NULL);

        if (fd < 0 && why && why_size > 0)
                snprintf(why, why_size, "%s", reason ? reason : strerror(-fd));
        return fd;
}

static int api_netns_fd(struct nh_ctx *c) { return ns_open(core(c)->ns); }
static int api_host_netns_fd(struct nh_ctx *c) { return core(c)->e->host_netns_fd; }

static int api_enter_netns(struct nh_ctx *c)
{
        int fd = ns_open(core(c)->ns);
        if (fd < 0)
                return fd;
        return setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
}

static int api_leave_netns(struct nh_ctx *c)
{
        return setns(core(c)->e->host_netns_fd, CLONE_NEWNET) < 0 ? -errno : 0;
}

/* A socket keeps the namespace it was created in: make it there, come back. */
static int socket_in(struct nh_core_ctx *c, int netns_fd, int domain, int type, int protocol)
{
        int fd, saved;

        if (setns(netns_fd, CLONE_NEWNET) < 0)
                return -errno;
        fd = socket(domain, type | SOCK_CLOEXEC, protocol);
        saved = errno;
        if (setns(c->e->host_netns_fd, CLONE_NEWNET) < 0) {
                /* Staying in the wrong namespace would misdirect every later
                 * operation of this process. */
                log_error("Cannot return to the host's network namespace: %s", strerror(errno));
                core_abort();
        }
        return fd < 0 ? -saved : fd;
}

static int api_socket(struct nh_ctx *c, int domain, int type, int protocol)
{
        int fd = ns_open(core(c)->ns);
        if (fd < 0)
                return fd;
        return socket_in(core(c), fd, domain, type, protocol);
}

static bool nl_fns_resolve(struct nh_core_ctx *c)
{
        struct nl_fns *f = &c->e->nl, n;
        void *h = c->rec ? c->rec->handle : NULL;

        if (f->alloc)
                return true;
        if (!h)
                return false;
        *(void **) &n.alloc = dlsym(h, "nl_socket_alloc");
        *(void **) &n.free = dlsym(h, "nl_socket_free");
        *(void **) &n.connect = dlsym(h, "nl_connect");
        *(void **) &n.set_msg_buf_size = dlsym(h, "nl_socket_set_msg_buf_size");
        if (!n.alloc || !n.free || !n.connect || !n.set_msg_buf_size) {
                nh_logf(NH_LOG_ERR, "%sAsks for a netlink socket, but plugin %s does not link libnl-3 "
                        "(pkg-config --libs libnl-3.0)", c->prefix, c->rec->path);
                return false;
        }
        *f = n;
        return true;
}

static struct nl_sock *nl_connect_in(struct nh_core_ctx *c, int netns_fd)
{
        const struct nl_fns *f = &c->e->nl;
        struct nl_sock *sk;
        int r;

        if (!nl_fns_resolve(c)) {
                errno = ENOSYS;
                return NULL;
        }
        sk = f->alloc();
        if (!sk) {
                errno = ENOMEM;
                return NULL;
        }
        if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) < 0) {
                r = errno;
                f->free(sk);
                errno = r;
                return NULL;
        }
        /* Replies are read into one fixed buffer, not peeked at first to
         * learn their size: half the recvmsg() calls.  The kernel builds
         * dump datagrams of at most 32 KiB, and a single reply is far
         * smaller than this. */
        f->set_msg_buf_size(sk, 64 * 1024);
        r = f->connect(sk, NETLINK_ROUTE);
        if (netns_fd >= 0 && setns(c->e->host_netns_fd, CLONE_NEWNET) < 0) {
                log_error("Cannot return to the host's network namespace: %s", strerror(errno));
                core_abort();
        }
        if (r < 0) {
                f->free(sk);
                errno = EIO;
                return NULL;
        }
        return sk;
}

static struct nl_sock *api_netlink(struct nh_ctx *c)
{
        struct nh_nsstate *s = core(c)->ns;
        int fd;

        if (s->nl)
                return s->nl;
        fd = ns_open(s);
        if (fd < 0) {
                errno = -fd;
                return NULL;
        }
        s->nl = nl_connect_in(core(c), fd);
        return s->nl;
}

static struct nl_sock *api_netlink_host(struct nh_ctx *c)
{
        struct nh_engine *e = core(c)->e;
        if (!e->host_nl)
                e->host_nl = nl_connect_in(core(c), -1);
        return e->host_nl;
}

/* path with data, replaced atomically; with data NULL an empty file whose
 * existence is the record (no write-and-rename needed). */
static int put_file(const char *path, const char *data)
{
        int fd;

        if (data)
                return write_file_replace(path, data, strlen(data), 0644);
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return -errno;
        close(fd);
        return 0;
}

/* put_file() in dir, which is made once per process (*made) and again when
 * it has gone since (a stop of the namespace in another process). */
static int put_in_dir(const char *dir, bool *made, const char *path, const char *data)
{
        int r = *made ? put_file(path, data) : -ENOENT;

        if (r != -ENOENT)
                return r;
        r = mkdir_p(dir, 0755);
        if (r < 0)
                return r;
        *made = true;
        return put_file(path, data);
}

/* Creates a namespace's directory on first use (once per process). */
static const char *made_dir(const char *path, unsigned mode, bool *made)
{
        if (!*made) {
                int r = mkdir_p(path, mode);
                if (r < 0)
                        log_error("Cannot create %s: %s", path, strerror(-r));
                *made = r >= 0;
        }
        return path;
}

static const char *api_run_dir(struct nh_ctx *c)
{
        struct nh_nsstate *s = core(c)->ns;
        return made_dir(s->run_dir, 0755, &s->run_dir_made);
}

static const char *api_state_dir(struct nh_ctx *c)
{
        struct nh_nsstate *s = core(c)->ns;
        return made_dir(s->state_dir, 0700, &s->state_dir_made);
}

static const char *api_config_dir(struct nh_ctx *c) { return nh_confdir(); }
static const char *api_etc_netns_dir(struct nh_ctx *c) { return core(c)->ns->etc_dir; }

static bool fact_key_valid(const char *k)
{
        if (!k || !*k || strlen(k) > 64 || k[0] == '.')
                return false;
        for (const char *p = k; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
                        return false;
        return true;
}

static int api_fact_set(struct nh_ctx *c, const char *key, const char *value)
{
        _cleanup_free_ char *dir = NULL, *path = NULL;

        if (!fact_key_valid(key))
                return -EINVAL;
        dir = strdup_printf("%s/facts", api_run_dir(c));
        path = strdup_printf("%s/facts/%s", core(c)->ns->run_dir, key);
        if (!dir || !path)
                return -ENOMEM;
        if (!value)
                return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
        if (strchr(value, '\n'))
                return -EINVAL;
        return put_in_dir(dir, &core(c)->ns->facts_dir_made, path, value);
}

static const char *api_fact_get(struct nh_ctx *c, const char *key)
{
        struct nh_core_ctx *cc = core(c);
        _cleanup_free_ char *path = NULL;
        char *v, **n;

        if (!fact_key_valid(key))
                return NULL;
        path = strdup_printf("%s/facts/%s", cc->ns->run_dir, key);
        if (!path || read_file(path, &v, NULL) < 0)
                return NULL;
        n = realloc(cc->strs, (cc->n_strs + 1) * sizeof *n);
        if (!n) {
                free(v);
                return NULL;
        }
        cc->strs = n;
        cc->strs[cc->n_strs++] = v;
        return v;
}

static int api_run_hook(struct nh_ctx *c, const char *path, const char *const *args,
                        const char *const *extra_env)
{
        struct nh_core_ctx *cc = core(c);
        _cleanup_free_ char *record = hook_record_path(cc->ns, cc->stage);
        struct nh_hook_env env = {
                .ns = cc->ns->name,
                .stage = cc->stage,
                .etc_netns_dir = cc->ns->etc_dir,
                .log_prefix = cc->prefix,
                .timeout_s = cc->e->g ? cc->e->g->hook_timeout_s : NH_HOOK_TIMEOUT_DEFAULT,
                .record = record,
        };
        int fd;

        /* Most hooks are not there: find out before reading facts for them. */
        if (path && path[0] == '/') {
                int r = nh_hook_check(path);
                if (r != 0)
                        return r < 0 ? r : 0;
        }
        env.interface = api_fact_get(c, NH_FACT_INTERFACE);
        fd = ns_open(cc->ns);

        if (fd < 0) {
                nh_logf(NH_LOG_ERR, "%sCannot run %s: namespace %s is not there: %s",
                        cc->prefix, path, cc->ns->name, strerror(-fd));
                return fd;
        }
        env.netns_fd = fd;
        return nh_hook_run(&env, path, args, extra_env);
}

static int api_stop_fd(struct nh_ctx *c) { return stop_signals_install(); }

static int api_status(struct nh_ctx *c, const char *status)
{
        _cleanup_free_ char *msg = NULL;

        if (!status)
                return 0;
        msg = strdup_printf("STATUS=%s", status);
        if (!msg)
                return -ENOMEM;
        return notify(msg);
}

static int api_ready(struct nh_ctx *c, const char *status)
{
        struct nh_core_ctx *cc = core(c);
        _cleanup_free_ char *msg = NULL;

        if (cc->ready_sent)
                return api_status(c, status);
        cc->ready_sent = true;
        stage_mark(cc->ns, cc->stage, true);
        if (status)
                nh_logf(NH_LOG_INFO, "%s%s", cc->prefix, status);
        if (cc->ready_fd >= 0) {
                _cleanup_free_ char *log = strdup_printf("%s/%s.log", api_run_dir(c), cc->stage);
                char r = 'R';
                int k, fd;

                /* From now on nobody waits on our stderr: log to
                 * RUNDIR/NAME/STAGE.log instead of holding the caller's
                 * terminal or pipe. */
                fd = log ? open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : -1;
                if (fd >= 0) {
                        fflush(stderr);
                        dup2(fd, STDERR_FILENO);
                        close(fd);
                }
                k = write(cc->ready_fd, &r, 1) == 1 ? 0 : -errno;
                close(cc->ready_fd);
                cc->ready_fd = -1;
                return k;
        }
        msg = strdup_printf("READY=1%s%s", status ? "\nSTATUS=" : "", status ? status : "");
        if (!msg)
                return -ENOMEM;
        return notify(msg);
}

static int api_dns_set(struct nh_ctx *c, const char *source, const char *const *servers, size_t n_servers,
                       const char *const *search, size_t n_search)
{
        struct nh_nsstate *s = core(c)->ns;
        (void) api_run_dir(c);
        return nh_core_dns_set(s->etc_dir, s->dns_dir, s->name, source, servers, n_servers, search, n_search);
}

static int api_dns_clear(struct nh_ctx *c, const char *source)
{
        struct nh_nsstate *s = core(c)->ns;
        return nh_core_dns_clear(s->etc_dir, s->dns_dir, s->name, source);
}

static const char *host_nsswitch(void) { return env_or("NETNS_HELPER_HOST_NSSWITCH", "/etc/nsswitch.conf"); }

static int api_dns_nsswitch(struct nh_ctx *c)
{
        return nh_core_dns_nsswitch(core(c)->ns->etc_dir, host_nsswitch());
}

static int api_dns_name_valid(const char *name) { return nh_core_dns_name_valid(name); }
static int api_namespace_going(struct nh_ctx *c) { return core(c)->ns->going; }

static const struct nh_api core_api = {
        .abi_major = NH_PLUGIN_ABI_MAJOR,
        .abi_minor = NH_PLUGIN_ABI_MINOR,
        .size = sizeof(struct nh_api),
        .namespace_name = api_namespace_name,
        .stage = api_stage,
        .logv = api_logv,
        .cfg_count = api_cfg_count,
        .cfg_get = api_cfg_get,
        .cfg_map_key = api_cfg_map_key,
        .cfg_bool = api_cfg_bool,
        .cfg_int = api_cfg_int,
        .cfg_mac = api_cfg_mac,
        .cfg_inet = api_cfg_inet,
        .cfg_errorv = api_cfg_errorv,
        .cfg_warnv = api_cfg_warnv,
        .netns_fd = api_netns_fd,
        .host_netns_fd = api_host_netns_fd,
        .enter_netns = api_enter_netns,
        .leave_netns = api_leave_netns,
        .netlink = api_netlink,
        .netlink_host = api_netlink_host,
        .socket = api_socket,
        .run_dir = api_run_dir,
        .state_dir = api_state_dir,
        .config_dir = api_config_dir,
        .etc_netns_dir = api_etc_netns_dir,
        .fact_set = api_fact_set,
        .fact_get = api_fact_get,
        .run_hook = api_run_hook,
        .stop_fd = api_stop_fd,
        .ready = api_ready,
        .status = api_status,
        .dns_set = api_dns_set,
        .dns_clear = api_dns_clear,
        .dns_nsswitch = api_dns_nsswitch,
        .dns_name_valid = api_dns_name_valid,
        .namespace_going = api_namespace_going,
        .cfg_file = api_cfg_file,
        .open_trusted = api_open_trusted,
};

static void ctx_init(struct nh_core_ctx *c, struct nh_engine *e, struct nh_nsstate *s,
                     struct nh_plugin_rec *rec, const char *stage)
{
        memset(c, 0, sizeof *c);
        c->pub.api = &core_api;
        c->e = e;
        c->ns = s;
        c->rec = rec;
        c->stage = stage;
        c->section = nh_ns_config_section(s->cfg, stage);
        c->ready_fd = -1;
        snprintf(c->prefix, sizeof c->prefix, "%s[%s]: ", stage, s->name);
}

static void ctx_done(struct nh_core_ctx *c)
{
        for (size_t i = 0; i < c->n_strs; i++)
                free(c->strs[i]);
        free(c->strs);
        if (c->ready_fd >= 0)
                close(c->ready_fd);
}

/* ---- the engine ---------------------------------------------------------- */

/* What netns-helper.yaml says about plugins, against the disk: each
 * directory of "plugin-dirs:" exists (unless NETNS_HELPER_PLUGIN_PATH
 * replaces them), each name of "plugins:" is a plugin in the directories
 * in use.  A mistake there would otherwise show only as a stage that has
 * no plugin, far from the line that caused it.  NH_EXIT_* code. */
static int global_config_check_plugins(struct nh_engine *e)
{
        const struct nh_global_config *g = e->g;
        const struct nh_node *n;
        int r = NH_EXIT_OK;

        if (!g || !g->exists)
                return NH_EXIT_OK;
        n = g->plugin_dirs_node;
        for (size_t i = 0; n && !getenv("NETNS_HELPER_PLUGIN_PATH") && i < (n->kind == NH_NODE_SEQ ? n->n : 1); i++) {
                const struct nh_node *d = n->kind == NH_NODE_SEQ ? n->items[i] : n;
                const char *why;
                struct stat st;

                if (d->kind != NH_NODE_SCALAR)
                        continue;
                if (stat(d->value, &st) < 0)
                        why = errno == ENOENT ? "no such directory" : strerror(errno);
                else if (!S_ISDIR(st.st_mode))
                        why = "not a directory";
                else
                        continue;
                nh_config_report(NH_LOG_ERR, g->path, d, "plugin-dirs", "%s: %s; expected an existing directory "
                                 "of plugins", d->value, why);
                r = NH_EXIT_CONFIG;
        }
        n = g->plugins_node;
        for (size_t i = 0; n && n->kind == NH_NODE_SEQ && i < n->n; i++) {
                const struct nh_node *p = n->items[i];
                char dirs[1024];
                size_t o = 0;

                if (p->kind != NH_NODE_SCALAR || nh_registry_has(e->reg, p->value))
                        continue;
                dirs[0] = '\0';
                for (size_t j = 0; j < e->reg->n_dirs && o < sizeof dirs; j++)
                        o += (size_t) snprintf(dirs + o, sizeof dirs - o, "%s%s", j ? ", " : "", e->reg->dirs[j]);
                nh_config_report(NH_LOG_ERR, g->path, p, "plugins", "no plugin '%s' (%s.so) in the plugin "
                                 "directories: %s; expected the name of an installed plugin", p->value, p->value, dirs);
                r = NH_EXIT_CONFIG;
        }
        return r;
}

int nh_engine_new(struct nh_engine **ret)
{
        struct nh_engine *e = calloc(1, sizeof *e);
        int r;

        if (!e)
                return NH_EXIT_FAILURE;
        e->host_netns_fd = -1;
        r = nh_global_config_load(nh_confdir(), &e->g);
        if (r < 0) {
                if (r != -EINVAL)
                        log_error("Cannot read %s/netns-helper.yaml: %s", nh_confdir(), strerror(-r));
                free(e);
                return r == -EINVAL ? NH_EXIT_CONFIG : NH_EXIT_FAILURE;
        }
        if (nh_registry_new(e->g, &e->reg) < 0) {
                nh_engine_free(e);
                return NH_EXIT_FAILURE;
        }
        r = global_config_check_plugins(e);
        if (r != NH_EXIT_OK) {
                nh_engine_free(e);
                return r;
        }
        e->host_netns_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        if (e->host_netns_fd < 0) {
                log_error("Cannot open /proc/self/ns/net: %s", strerror(errno));
                nh_engine_free(e);
                return NH_EXIT_FAILURE;
        }
        *ret = e;
        return NH_EXIT_OK;
}

void nh_engine_free(struct nh_engine *e)
{
        if (!e)
                return;
        if (e->host_nl)
                e->nl.free(e->host_nl);
        if (e->host_netns_fd >= 0)
                close(e->host_netns_fd);
        nh_registry_free(e->reg);
        nh_global_config_free(e->g);
        free(e);
}

struct nh_registry *nh_engine_registry(struct nh_engine *e) { return e->reg; }
const struct nh_global_config *nh_engine_global(struct nh_engine *e) { return e->g; }

static const char *ns_impl_choice(const struct nh_nsstate *s, const char *stage)
{
        for (size_t i = 0; i < s->cfg->n_impls; i++)
                if (streq(s->cfg->impls[i].stage, stage))
                        return s->cfg->impls[i].plugin;
        return NULL;
}

static struct nh_plugin_rec *stage_plugin(struct nh_engine *e, struct nh_nsstate *s, const char *stage)
{
        return nh_registry_for_stage(e->reg, stage, ns_impl_choice(s, stage));
}

/* ---- running a plugin's code ---------------------------------------------
 *
 * A plugin's verb runs in this process (a one-shot stage costs no fork: a
 * fork of this process costs about as much as bringing a namespace up).  A
 * plugin that crashes in it (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT)
 * does not take the command with it: the signal returns to the verb's
 * caller, which names the plugin and the signal and undoes what came
 * before, as for a verb that failed.  The plugin's own state may be broken
 * by then; nothing of it is called again but its stop() on the way down.
 * A symbol a plugin lacks is found when it is loaded (loader.c), not when
 * it is first called, where the dynamic linker would end the process.
 * A long-running stage under "up" runs in a child process of its own. */

static sigjmp_buf *crash_jmp;           /* where a crash in a verb returns to */
static volatile sig_atomic_t crash_sig;
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };

static void on_crash(int sig)
{
        if (!crash_jmp) {
                /* The core's own crash: die of it, as without this handler. */
                signal(sig, SIG_DFL);
                raise(sig);
                return;
        }
        crash_sig = sig;
        siglongjmp(*crash_jmp, 1);
}

static void crash_handlers_install(void)
{
        /* An alternate stack, so that a plugin that overflows its own still
         * gets reported. */
        static char altstack[64 * 1024];
        static pid_t installed;
        struct sigaction sa = { .sa_handler = on_crash, .sa_flags = SA_ONSTACK | SA_NODEFER };
        stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };

        if (installed == getpid())
                return;
        installed = getpid();
        (void) sigaltstack(&ss, NULL);
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < ELEMENTSOF(crash_signals); i++)
                sigaction(crash_signals[i], &sa, NULL);
}

/* The core ends itself on purpose (it cannot get back to the host's
 * namespace): that is no plugin's crash. */
_Noreturn static void core_abort(void)
{
        signal(SIGABRT, SIG_DFL);
        crash_jmp = NULL;
        abort();
}

enum verb_kind { VK_VALIDATE, VK_START, VK_STOP, VK_CHECK, VK_WATCH };
static const char *const verb_kind_name[] = { "validate", "start", "stop", "check", "watch" };

/* Calls one verb function of a plugin, catching its crash.  A failure the
 * plugin did not explain gets a message that names it. */
static int guarded_call(struct nh_core_ctx *c, enum verb_kind vk, int (*fn)(struct nh_ctx *))
{
        sigjmp_buf jb, *volatile outer = crash_jmp;
        unsigned errors = nh_log_errors;
        volatile int r;

        crash_handlers_install();
        if (sigsetjmp(jb, 1)) {
                int sig = crash_sig;
                crash_jmp = outer;
                log_error("%s[%s]: plugin %s (%s) crashed in %s(): signal %d (%s)",
                          c->stage, c->ns->name, c->rec->name, c->rec->path, verb_kind_name[vk],
                          sig, strsignal(sig));
                return -ENOTRECOVERABLE;
        }
        crash_jmp = &jb;
        r = fn(&c->pub);
        crash_jmp = outer;
        if (r < 0 && nh_log_errors == errors && vk != VK_CHECK)
                log_error("%s[%s]: plugin %s (%s) failed in %s() without saying why (%s)",
                          c->stage, c->ns->name, c->rec->name, c->rec->path, verb_kind_name[vk],
                          strerror(-r));
        return r;
}

/* The section against the plugin's key table (and the core's keys of a
 * long-running stage).  NH_EXIT_* code. */
static int stage_keys_check(struct nh_nsstate *s, struct nh_plugin_rec *rec, const char *stage)
{
        return nh_section_check_core(s->cfg, stage, nh_ns_config_section(s->cfg, stage), rec->desc->keys,
                                     is_long_running(rec) ? long_running_keys : NULL) < 0 ? NH_EXIT_CONFIG : NH_EXIT_OK;
}

/* The key table, then the plugin's own validate().  NH_EXIT_* code. */
static int stage_validate(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec, const char *stage)
{
        struct nh_core_ctx c;
        int r;

        r = stage_keys_check(s, rec, stage);
        if (r != NH_EXIT_OK)
                return r;
        if (!rec->desc->validate)
                return NH_EXIT_OK;
        ctx_init(&c, e, s, rec, stage);
        r = guarded_call(&c, VK_VALIDATE, rec->desc->validate);
        if (r != -ENOTRECOVERABLE)
                ctx_done(&c);
        if (r == -ENOTRECOVERABLE)
                return NH_EXIT_FAILURE;
        return r < 0 ? NH_EXIT_CONFIG : NH_EXIT_OK;
}

/* ---- long-running stages: one process per stage and namespace -----------
 *
 * RUNDIR/.pids/NAME/STAGE.pid names the process of a running long-running
 * stage, whoever started it ("up", a unit, an administrator's
 * netns-helper-run): "PID STARTTIME".  It is the one record of it: "down"
 * and "stop" find the process there, "check" looks whether it still runs,
 * and a second start refuses to run a second one.  It lives outside
 * RUNDIR/NAME, which the netns stage's stop removes with everything in it
 * (also when a failed "up" undoes its stages): the record of a process
 * that still runs must not go with it.  It is written while the
 * namespace's lock is held, and removed by the process itself when it ends,
 * or by whoever stopped it. */

static char *pidfile_dir(struct nh_nsstate *s)
{
        return strdup_printf("%s/.pids/%s", nh_rundir(), s->name);
}

static char *pidfile_path(struct nh_nsstate *s, const char *stage)
{
        return strdup_printf("%s/.pids/%s/%s.pid", nh_rundir(), s->name, stage);
}

/* The start time of a process, which with the PID names one process for
 * good; 0 when there is none, or only its zombie (whose parent has not
 * reaped it: the process has ended). */
static unsigned long long pid_starttime(pid_t pid)
{
        struct proc_stat st;

        if (proc_stat_read(pid, &st) < 0 || st.state == 'Z' || st.state == 'X')
                return 0;
        return st.starttime;
}

/* The PID of the stage's running process (> 0); 0 when none was recorded;
 * -ESRCH when the recorded one has ended (or the PID is another process's
 * now).  A zombie child of ours counts as ended. */
static pid_t lr_running(struct nh_nsstate *s, const char *stage, pid_t *recorded)
{
        _cleanup_free_ char *path = pidfile_path(s, stage), *txt = NULL;
        unsigned long long start;
        char *end;
        long pid;

        if (recorded)
                *recorded = 0;
        if (!path || read_file(path, &txt, NULL) < 0)
                return 0;
        pid = strtol(txt, &end, 10);
        start = strtoull(end, NULL, 10);
        if (pid <= 1 || pid > INT32_MAX)
                return -ESRCH;
        if (recorded)
                *recorded = (pid_t) pid;
        if (start == 0 || pid_starttime((pid_t) pid) != start)
                return -ESRCH;
        if (waitpid((pid_t) pid, NULL, WNOHANG) == (pid_t) pid)
                return -ESRCH;
        return (pid_t) pid;
}

static int lr_record(struct nh_nsstate *s, const char *stage, pid_t pid)
{
        _cleanup_free_ char *dir = pidfile_dir(s), *path = pidfile_path(s, stage);
        char buf[64];
        int r;

        if (!dir || !path)
                return -ENOMEM;
        r = mkdir_p(dir, 0755);
        if (r < 0)
                return r;
        snprintf(buf, sizeof buf, "%d %llu\n", (int) pid, pid_starttime(pid));
        return write_file_replace(path, buf, strlen(buf), 0644);
}

/* RUNDIR/.pids/NAME/STAGE.hook: the process group of the hook the stage
 * runs (core/hook.c), so that "stop" kills what a hook started when the
 * stage's process was killed under it. */
static char *hook_record_path(struct nh_nsstate *s, const char *stage)
{
        return strdup_printf("%s/.pids/%s/%s.hook", nh_rundir(), s->name, stage);
}

static void kill_orphan_hooks(struct nh_nsstate *s, const char *stage)
{
        _cleanup_free_ char *path = hook_record_path(s, stage), *dir = pidfile_dir(s);

        if (path && nh_hook_kill_orphans(path) >= 0 && dir)
                (void) rmdir(dir);      /* when it was the last */
}

/* Removes the record when it names pid (0: whatever it names). */
static void lr_forget(struct nh_nsstate *s, const char *stage, pid_t pid)
{
        _cleanup_free_ char *dir = pidfile_dir(s), *path = pidfile_path(s, stage), *txt = NULL;

        if (!dir || !path)
                return;
        if (pid > 0 && (read_file(path, &txt, NULL) < 0 || strtol(txt, NULL, 10) != pid))
                return;
        (void) unlink(path);
        (void) rmdir(dir);      /* when it was the last */
}

/* Waits up to timeout_ms for pid to end (reaping it when it is our child).
 * A zombie has ended: its descriptors are closed and it holds the namespace
 * no more.  Its parent (init, for a process whose "up" has exited) reaps it
 * when it will: init here does so about once a second, and waiting for that
 * cost "down" up to a second a namespace. */
static bool wait_gone(pid_t pid, int timeout_ms)
{
        struct timespec ts = { 0, 5 * 1000 * 1000 }, t0, t;
        int pidfd = -1;
        bool gone = false;

#ifdef SYS_pidfd_open
        /* Woken the moment it ends, not at the next 5 ms: "down" of many
         * namespaces stops a process or two for each. */
        pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
#endif
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (;;) {
                if (waitpid(pid, NULL, WNOHANG) == pid || kill(pid, 0) < 0 || pid_starttime(pid) == 0) {
                        gone = true;
                        break;
                }
                clock_gettime(CLOCK_MONOTONIC, &t);
                if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 > timeout_ms)
                        break;
                if (pidfd >= 0) {
                        struct pollfd p = { .fd = pidfd, .events = POLLIN };
                        (void) poll(&p, 1, 5);
                } else
                        nanosleep(&ts, NULL);
        }
        if (pidfd >= 0)
                close(pidfd);
        return gone;
}

/* Ends the process of a long-running stage that the record names, if it
 * still runs: SIGTERM, then wait for it to clean up (a DHCP release). */
static int stop_long_running(struct nh_nsstate *s, const char *stage)
{
        pid_t recorded, pid = lr_running(s, stage, &recorded);

        if (pid <= 0) {
                lr_forget(s, stage, recorded);
                return 0;
        }
        if (pid == getpid())
                return 0;
        log_debug("Stopping %s[%s], PID %d", stage, s->name, (int) pid);
        if (kill(pid, SIGTERM) < 0 && errno != ESRCH)
                return -errno;
        if (!wait_gone(pid, STOP_TIMEOUT_MS)) {
                log_warning("%s[%s] (PID %d) did not end within %d s of SIGTERM; killing it",
                            stage, s->name, (int) pid, STOP_TIMEOUT_MS / 1000);
                kill(pid, SIGKILL);
                (void) wait_gone(pid, 1000);
        }
        lr_forget(s, stage, pid);
        return 0;
}

/* RUNDIR/NAME/up/STAGE exists while a stage is up: a one-shot stage from
 * a successful start, a long-running one from its readiness, until it
 * stops.  NH_PLUGIN_AFTER_ALL stages look at them.  RUNDIR/NAME/failed/STAGE
 * exists from a failed start of a one-shot stage until it starts or stops:
 * the stages after it look at those (require_no_failed_stage). */
static void stage_mark_in(struct nh_nsstate *s, const char *kind, bool *made, const char *stage, bool on)
{
        _cleanup_free_ char *dir = strdup_printf("%s/%s", s->run_dir, kind);
        _cleanup_free_ char *path = strdup_printf("%s/%s/%s", s->run_dir, kind, stage);

        if (!dir || !path)
                return;
        if (!on) {
                (void) unlink(path);
                return;
        }
        int r = put_in_dir(dir, made, path, NULL);
        if (r < 0)
                log_warning("%s[%s]: cannot record that the stage is %s in %s: %s",
                            stage, s->name, kind, path, strerror(-r));
}

static void stage_mark(struct nh_nsstate *s, const char *stage, bool up)
{
        stage_mark_in(s, "up", &s->up_dir_made, stage, up);
}

static void stage_mark_failed(struct nh_nsstate *s, const char *stage, bool failed)
{
        stage_mark_in(s, "failed", &s->failed_dir_made, stage, failed);
}

static bool stage_is(struct nh_nsstate *s, const char *kind, const char *stage)
{
        _cleanup_free_ char *path = strdup_printf("%s/%s/%s", s->run_dir, kind, stage);
        return path && access(path, F_OK) == 0;
}

static bool stage_is_up(struct nh_nsstate *s, const char *stage)
{
        return stage_is(s, "up", stage);
}

static int rm_rf(const char *path)
{
        DIR *d = opendir(path);
        struct dirent *de;

        if (!d)
                return errno == ENOENT ? 0 : (errno == ENOTDIR ? (unlink(path) < 0 ? -errno : 0) : -errno);
        while ((de = readdir(d))) {
                _cleanup_free_ char *p = NULL;
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                p = strdup_printf("%s/%s", path, de->d_name);
                if (!p)
                        continue;
                if (de->d_type == DT_DIR)
                        rm_rf(p);
                else
                        unlink(p);
        }
        closedir(d);
        return rmdir(path) < 0 && errno != ENOENT ? -errno : 0;
}

/* The namespace exists now: what keeps its DNS from leaking to the host's
 * resolver goes with it (core/dns.c); after_stop() removes it. */
static void after_start(struct nh_nsstate *s, const struct nh_plugin_rec *rec, const char *stage)
{
        if ((rec->desc->flags & NH_PLUGIN_OWNS_NETNS) && nh_core_dns_isolated(nh_ns_config_section(s->cfg, stage)))
                (void) nh_core_dns_isolate(s->etc_dir, host_nsswitch());
}

/* Calls one verb.  ready_fd >= 0: "up" waits on it for readiness. */
static int call_verb(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec,
                     const char *stage, enum nh_verb verb, int ready_fd)
{
        struct nh_core_ctx c;
        int r;

        ctx_init(&c, e, s, rec, stage);
        c.ready_fd = ready_fd;
        switch (verb) {
        case NH_VERB_START:
                r = guarded_call(&c, VK_START, rec->desc->start);
                /* A long-running stage is up from its readiness until its
                 * start returns. */
                stage_mark(s, stage, r >= 0 && !(rec->desc->flags & NH_PLUGIN_LONG_RUNNING));
                stage_mark_failed(s, stage, r < 0 && !(rec->desc->flags & NH_PLUGIN_LONG_RUNNING));
                if (r >= 0)
                        after_start(s, rec, stage);
                break;
        case NH_VERB_STOP:
                kill_orphan_hooks(s, stage);
                stage_mark(s, stage, false);
                stage_mark_failed(s, stage, false);
                r = guarded_call(&c, VK_STOP, rec->desc->stop);
                break;
        case NH_VERB_CHECK:
        default:
                r = rec->desc->check ? guarded_call(&c, VK_CHECK, rec->desc->check) : 0;
                break;
        }
        /* After a crash the context may be half-made: leave it (and what
         * it holds) be. */
        if (r != -ENOTRECOVERABLE)
                ctx_done(&c);
        else if (c.ready_fd >= 0)
                close(c.ready_fd);
        /* The netns stage makes and removes the namespace itself: whatever
         * was opened for the old one is stale now. */
        if (streq(stage, "netns"))
                nsstate_drop_kernel(e, s);
        return r;
}

static int verb_exit(enum nh_verb verb, int r)
{
        if (verb == NH_VERB_CHECK && r > 0)
                return NH_EXIT_DRIFT;
        return r < 0 ? NH_EXIT_FAILURE : NH_EXIT_OK;
}

static int require_netns(struct nh_nsstate *s, const char *stage)
{
        int fd = ns_open(s);

        if (fd >= 0)
                return 0;
        if (fd == -EINVAL)
                log_error("%s[%s]: " NETNS_RUN_DIR "/%s is not a network namespace; remove it and start the netns stage",
                          stage, s->name, s->name);
        else
                log_error("%s[%s]: namespace %s does not exist (" NETNS_RUN_DIR "/%s: %s); start it first: "
                          "systemctl start netns-helper@%s.service, or netns-helper-run netns %s start",
                          stage, s->name, s->name, s->name, strerror(-fd), s->name, s->name);
        return NH_EXIT_FAILURE;
}

/* The unit systemd runs a stage in, for messages. */
static const char *stage_unit(const char *stage, char *buf, size_t len, const char *ns)
{
        if (streq(stage, "netns"))
                snprintf(buf, len, "netns-helper@%s.service", ns);
        else if (streq(stage, "dhcp4"))
                snprintf(buf, len, "netns-helper-dhcp@%s.service", ns);
        else
                snprintf(buf, len, "netns-helper-%s@%s.service", stage, ns);
        return buf;
}

/* The plugin of stage t when t runs before stage (a lower position), else
 * NULL. */
static struct nh_plugin_rec *earlier_stage(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec,
                                           const char *stage, const char *t)
{
        struct nh_plugin_rec *p = streq(t, stage) ? NULL : stage_plugin(e, s, t);

        return p && p->order < rec->order ? p : NULL;
}

/* NH_PLUGIN_AFTER_ALL: every stage configured before this one must be up. */
static int require_earlier_stages(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec,
                                  const char *stage)
{
        int r = NH_EXIT_OK;
        char unit[256];

        for (size_t i = 0; i < s->cfg->n_stages; i++) {
                const char *t = s->cfg->stages[i];

                if (!earlier_stage(e, s, rec, stage, t) || stage_is_up(s, t))
                        continue;
                log_error("%s[%s]: not starting: stage %s of namespace %s is not up (%s failed or was not "
                          "started; see its log), and %s runs only after every stage before it",
                          stage, s->name, t, s->name, stage_unit(t, unit, sizeof unit, s->name), stage);
                r = NH_EXIT_FAILURE;
        }
        return r;
}

/* Every stage: a one-shot stage configured before it whose start failed
 * made nothing this one may build on.  Without this, when the macvlan
 * failed the veth would become "the interface" and a DHCP client would run
 * on it, towards the host, restarting for ever.  The exit code is one the
 * units do not restart on: retrying cannot help until that stage is
 * started again, which starting the namespace again does. */
static int require_no_failed_stage(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec,
                                   const char *stage)
{
        char unit[256];

        for (size_t i = 0; i < s->cfg->n_stages; i++) {
                const char *t = s->cfg->stages[i];
                struct nh_plugin_rec *p = earlier_stage(e, s, rec, stage, t);

                if (!p || is_long_running(p) || !stage_is(s, "failed", t))
                        continue;
                log_error("%s[%s]: not starting: stage %s of namespace %s failed (see the log of %s); "
                          "fix it, then start the namespace again: netns-helper restart %s",
                          stage, s->name, t, s->name, stage_unit(t, unit, sizeof unit, s->name), s->name);
                return NH_EXIT_STAGE_FAILED;
        }
        return NH_EXIT_OK;
}

static void after_stop(struct nh_nsstate *s, const char *stage)
{
        /* Once the namespace is gone, so is everything the run directory
         * described (facts, DNS records, pid files), and the files written
         * for it in /etc/netns/NAME. */
        if (streq(stage, "netns")) {
                rm_rf(s->run_dir);
                s->run_dir_made = s->facts_dir_made = s->up_dir_made = s->failed_dir_made = false;
                (void) nh_core_dns_forget(s->etc_dir);
        }
}

/* ---- the pipeline -------------------------------------------------------- */

struct pipeline {
        size_t n;
        const char **stages;
        struct nh_plugin_rec **recs;
};

static void pipeline_free(struct pipeline *p)
{
        free(p->stages);
        free(p->recs);
}

static int pipeline_add(struct pipeline *p, const char *stage, struct nh_plugin_rec *rec)
{
        const char **st;
        struct nh_plugin_rec **rs;

        for (size_t i = 0; i < p->n; i++)
                if (streq(p->stages[i], stage))
                        return 0;
        st = realloc(p->stages, (p->n + 1) * sizeof *st);
        if (!st)
                return -ENOMEM;
        p->stages = st;
        rs = realloc(p->recs, (p->n + 1) * sizeof *rs);
        if (!rs)
                return -ENOMEM;
        p->recs = rs;
        p->stages[p->n] = stage;
        p->recs[p->n] = rec;
        p->n++;
        return 0;
}

/* Stable: stages with equal order keep the configuration's order. */
static void pipeline_sort(struct pipeline *p)
{
        for (size_t i = 1; i < p->n; i++)
                for (size_t j = i; j > 0 && p->recs[j - 1]->order > p->recs[j]->order; j--) {
                        const char *t = p->stages[j];
                        struct nh_plugin_rec *rt = p->recs[j];
                        p->stages[j] = p->stages[j - 1];
                        p->recs[j] = p->recs[j - 1];
                        p->stages[j - 1] = t;
                        p->recs[j - 1] = rt;
                }
}

/* Every stage name some usable plugin implements. */
static int known_stages(struct nh_engine *e, const char ***ret, size_t *n)
{
        struct nh_registry *reg = e->reg;
        const char **v = NULL;
        size_t k = 0;

        (void) nh_registry_scan(reg);
        for (size_t i = 0; i < reg->n_recs; i++) {
                const struct nh_plugin_rec *rec = reg->recs[i];
                /* A refused plugin still names a stage, so that its section
                 * gets the refusal (exit 4) and not "unknown stage". */
                const char *stage = rec->desc ? rec->desc->stage : rec->name;
                bool dup = false;
                const char **nv;

                for (size_t j = 0; j < k; j++)
                        dup = dup || streq(v[j], stage);
                if (dup)
                        continue;
                nv = realloc(v, (k + 1) * sizeof *v);
                if (!nv) {
                        free(v);
                        return -ENOMEM;
                }
                v = nv;
                v[k++] = stage;
        }
        *ret = v;
        *n = k;
        return 0;
}

static bool stage_listed(const struct nh_ns_config *c, const char *stage)
{
        for (size_t i = 0; i < c->n_stages; i++)
                if (streq(c->stages[i], stage))
                        return true;
        return false;
}

/* True when the namespace's file has sections only for stages it runs, no
 * "implementations:" anywhere, and each stage it runs is served by the
 * enabled plugin of the same name.  Then every section and stage is known
 * without loading the other plugins to learn which stages exist, which
 * would cost more than bringing a namespace up. */
static bool pipeline_plain(struct nh_engine *e, const struct nh_nsstate *s)
{
        const struct nh_ns_config *c = s->cfg;

        if (c->n_impls > 0 || (e->g && e->g->n_impls > 0))
                return false;
        for (size_t i = 0; i < c->root->n; i++) {
                const char *k = c->root->keys[i]->value;
                if (!streq(k, "stages") && !streq(k, "implementations") && !stage_listed(c, k))
                        return false;
        }
        for (size_t i = 0; i < c->n_stages; i++) {
                const struct nh_plugin_rec *rec;
                if (!nh_plugin_name_valid(c->stages[i]))
                        return false;
                rec = nh_registry_get(e->reg, c->stages[i]);
                if (!rec || rec->refused || !rec->enabled || !rec->desc || !streq(rec->desc->stage, c->stages[i]))
                        return false;
        }
        return true;
}

/* Builds and checks the whole pipeline of a namespace: every enabled stage
 * and every section present.  Nothing is changed.  NH_EXIT_* code. */
static int pipeline_build_for(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p, const char *only);

static int pipeline_build(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p)
{
        return pipeline_build_for(e, s, p, NULL);
}

/* only != NULL: the file is checked whole, but only that stage's plugin's
 * validate() is called: the others' may look at the host (does the macvlan
 * parent exist?), which is their stage's business, not this one's (the
 * netns stage must not fail because a parent is not there yet at boot). */
static int pipeline_build_for(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p, const char *only)
{
        _cleanup_free_ const char **known = NULL;
        size_t n_known = 0;
        int r, ret = NH_EXIT_OK;

        if (!pipeline_plain(e, s)) {
                if (known_stages(e, &known, &n_known) < 0)
                        return NH_EXIT_FAILURE;
                if (nh_ns_config_check_sections(s->cfg, known, n_known) < 0)
                        return NH_EXIT_CONFIG;
        }

        for (size_t i = 0; i < s->cfg->n_stages; i++) {
                const char *stage = s->cfg->stages[i];
                struct nh_plugin_rec *rec = stage_plugin(e, s, stage);

                if (!rec) {
                        ret = ret == NH_EXIT_OK ? NH_EXIT_PLUGIN : ret;
                        continue;
                }
                if (only && !streq(stage, only))
                        r = stage_keys_check(s, rec, stage);
                else
                        r = stage_validate(e, s, rec, stage);
                if (r != NH_EXIT_OK) {
                        ret = r;
                        continue;
                }
                if (pipeline_add(p, stage, rec) < 0)
                        return NH_EXIT_FAILURE;
        }
        if (ret != NH_EXIT_OK)
                return ret;
        pipeline_sort(p);
        return NH_EXIT_OK;
}

/* ---- interruption and readiness ------------------------------------------ */

static int up_interrupted;      /* the signal that interrupted "up", or 0 */

/* True once SIGINT or SIGTERM arrived in this process (after
 * stop_signals_install()). */
static bool interrupted(void)
{
        char c;

        if (!up_interrupted && stop_pipe[0] >= 0 && stop_pipe_pid == getpid() && read(stop_pipe[0], &c, 1) == 1)
                up_interrupted = (unsigned char) c;
        return up_interrupted != 0;
}

bool nh_engine_interrupted(void) { return interrupted(); }

/* The readiness timeout of a long-running stage, in ms (-1: none): its
 * section's "ready-timeout:", else the global one. */
static int ready_timeout_ms(struct nh_engine *e, struct nh_nsstate *s, const char *stage)
{
        const struct nh_node *sec = nh_ns_config_section(s->cfg, stage);
        const struct nh_node *n = sec ? nh_node_get(sec, "ready-timeout") : NULL;
        unsigned long v = e->g ? e->g->ready_timeout_s : NH_READY_TIMEOUT_DEFAULT;

        if (n && !unset_scalar(n) && n->kind == NH_NODE_SCALAR)
                v = strtoul(n->value, NULL, 10);
        return v == 0 ? -1 : (int) v * 1000;
}

static void log_ready_timeout(struct nh_nsstate *s, const char *stage, int ms)
{
        log_error("%s[%s]: not ready after %d s; stopping it (raise \"ready-timeout:\" in its section of %s "
                  "or in netns-helper.yaml when it needs longer)", stage, s->name, ms / 1000, s->cfg->path);
}

/* Why a stage's process ended before it was ready, when it did not say. */
static void log_child_end(struct nh_nsstate *s, struct nh_plugin_rec *rec, const char *stage, int status)
{
        if (WIFSIGNALED(status))
                log_error("%s[%s]: the stage's process (plugin %s, %s) was killed by signal %d (%s) before it was ready",
                          stage, s->name, rec->name, rec->path, WTERMSIG(status), strsignal(WTERMSIG(status)));
        else if (WIFEXITED(status) && WEXITSTATUS(status) > NH_EXIT_FAILURE)
                log_error("%s[%s]: the stage's process (plugin %s, %s) exited with status %d before it was ready",
                          stage, s->name, rec->name, rec->path, WEXITSTATUS(status));
}

/* In a child process that runs on after the command that forked it: it
 * keeps nothing of the command's but keep[] and stderr. */
static void child_detach(struct nh_engine *e, struct nh_nsstate *s, const int *keep, size_t n_keep)
{
        int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

        /* The namespace's lock stays with the command, which goes on (the
         * descriptor is shared: closing ours keeps it locked). */
        if (s->lock_fd >= 0) {
                close(s->lock_fd);
                s->lock_fd = -1;
        }
        /* The parent's netlink sockets stay the parent's. */
        nsstate_drop_kernel(e, s);
        if (e->host_nl) {
                e->nl.free(e->host_nl);
                e->host_nl = NULL;
        }
        setsid();
        /* Whoever runs "up" may read its output through a pipe
         * (netns-helper up NS | cat) or hold a lock on a descriptor it
         * inherits (flock LOCK netns-helper up NS): the child must not keep
         * either open for the rest of its life. */
        if (devnull >= 0) {
                dup2(devnull, STDIN_FILENO);
                dup2(devnull, STDOUT_FILENO);
        }
        stop_signals_forget();
        close_fds_except(keep, n_keep);
}

/* After a successful start of a stage with watch(): the watcher runs on in
 * a process of its own, recorded like a long-running stage's.  Nobody waits
 * for it (the stage is up already): a watcher costs its start one fork. */
static int start_watcher(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec,
                         const char *stage)
{
        pid_t pid;
        int r;

        fflush(stderr);
        pid = fork();
        if (pid < 0) {
                r = -errno;
                log_error("%s[%s]: cannot fork its watcher: %s", stage, s->name, strerror(-r));
                return r;
        }
        if (pid == 0) {
                int keep[1] = { e->host_netns_fd };
                _cleanup_free_ char *log = strdup_printf("%s/%s.log", s->run_dir, stage);
                struct nh_core_ctx c;

                child_detach(e, s, keep, ELEMENTSOF(keep));
                /* Nobody reads the command's stderr after it has exited:
                 * the run directory's log, as for a long-running stage
                 * after its readiness; under systemd journald's stream
                 * (JOURNAL_STREAM) stays. */
                if (!getenv("JOURNAL_STREAM") && log && mkdir_p(s->run_dir, 0755) >= 0) {
                        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
                        if (fd >= 0) {
                                dup2(fd, STDERR_FILENO);
                                close(fd);
                        }
                }
                if (stop_signals_install() < 0)
                        _exit(NH_EXIT_FAILURE);
                ctx_init(&c, e, s, rec, stage);
                r = guarded_call(&c, VK_WATCH, rec->desc->watch);
                lr_forget(s, stage, getpid());
                _exit(r < 0 ? NH_EXIT_FAILURE : NH_EXIT_OK);
        }
        r = lr_record(s, stage, pid);
        if (r < 0) {
                log_error("%s[%s]: cannot record its watcher in %s/.pids: %s", stage, s->name, nh_rundir(),
                          strerror(-r));
                kill(pid, SIGKILL);
                waitpid(pid, NULL, 0);
        }
        return r;
}

/* "up": a long-running stage runs on in a child process; wait until it says
 * it is ready, ends, the readiness timeout passes, or "up" is interrupted.
 * The child is recorded before anything else can look (the namespace's
 * lock is held), so that "down" finds it whatever happens to "up". */
static int start_in_background(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec,
                               const char *stage)
{
        int p[2], r, timeout = ready_timeout_ms(e, s, stage), status;
        struct timespec t0, t1;
        pid_t pid;
        char c;

        if (pipe2(p, O_CLOEXEC) < 0) {
                log_error("%s[%s]: cannot prepare to run: %s", stage, s->name, strerror(errno));
                return -errno;
        }
        fflush(stderr);
        pid = fork();
        if (pid < 0) {
                r = -errno;
                log_error("%s[%s]: cannot fork: %s", stage, s->name, strerror(-r));
                close(p[0]);
                close(p[1]);
                return r;
        }
        if (pid == 0) {
                int keep[2] = { p[1], e->host_netns_fd };

                /* stderr stays until the stage is ready, so a failure
                 * shows where "up" shows its own; api_ready() then moves
                 * it to the run directory's log. */
                child_detach(e, s, keep, ELEMENTSOF(keep));
                if (stop_signals_install() < 0)
                        _exit(NH_EXIT_FAILURE);
                r = call_verb(e, s, rec, stage, NH_VERB_START, p[1]);
                lr_forget(s, stage, getpid());
                _exit(r < 0 ? NH_EXIT_FAILURE : NH_EXIT_OK);
        }
        close(p[1]);
        r = lr_record(s, stage, pid);
        if (r < 0) {
                log_error("%s[%s]: cannot record its process in %s/.pids: %s", stage, s->name, nh_rundir(),
                          strerror(-r));
                kill(pid, SIGKILL);
                waitpid(pid, NULL, 0);
                close(p[0]);
                return r;
        }
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (;;) {
                struct pollfd pfd[2] = { { .fd = p[0], .events = POLLIN }, { .fd = stop_pipe[0], .events = POLLIN } };
                int left = timeout, k;

                if (timeout >= 0) {
                        clock_gettime(CLOCK_MONOTONIC, &t1);
                        left = timeout - (int) ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
                        if (left < 0)
                                left = 0;
                }
                k = poll(pfd, stop_pipe_pid == getpid() && stop_pipe[0] >= 0 ? 2 : 1, left);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k == 0) {
                        log_ready_timeout(s, stage, timeout);
                        close(p[0]);
                        (void) stop_long_running(s, stage);
                        return -ETIMEDOUT;
                }
                if (pfd[0].revents)
                        break;
                if (interrupted()) {
                        close(p[0]);
                        (void) stop_long_running(s, stage);
                        return -EINTR;
                }
        }
        r = (int) read(p[0], &c, 1);
        close(p[0]);
        if (r == 1 && c == 'R')
                return 0;
        /* It ended before it was ready: it has logged why, unless it was
         * killed. */
        if (waitpid(pid, &status, 0) == pid)
                log_child_end(s, rec, stage, status);
        lr_forget(s, stage, pid);
        return -EIO;
}

/* "up" finds the stage running already (started by a unit, another "up",
 * or an administrator): it is not started a second time.  Wait for its
 * readiness if it has not said it yet. */
static int wait_running(struct nh_engine *e, struct nh_nsstate *s, const char *stage, pid_t pid)
{
        int timeout = ready_timeout_ms(e, s, stage);
        struct timespec ts = { 0, 20 * 1000 * 1000 };

        for (int waited = 0; !stage_is_up(s, stage); waited += 20) {
                if (lr_running(s, stage, NULL) != pid) {
                        log_error("%s[%s]: its process (PID %d) ended before it was ready", stage, s->name, (int) pid);
                        return -EIO;
                }
                if (interrupted())
                        return -EINTR;
                if (timeout >= 0 && waited >= timeout) {
                        log_error("%s[%s]: its process (PID %d, not started by this command) is not ready after %d s",
                                  stage, s->name, (int) pid, timeout / 1000);
                        return -ETIMEDOUT;
                }
                nanosleep(&ts, NULL);
        }
        log_info("%s[%s]: runs already (PID %d); not starting another", stage, s->name, (int) pid);
        return 0;
}

/* Stops the stages [0, upto) in reverse; only those marked in only (NULL:
 * all). */
static int pipeline_stop_some(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p, size_t upto,
                              const bool *only)
{
        int ret = NH_EXIT_OK;

        for (size_t i = upto; i-- > 0; ) {
                struct nh_plugin_rec *rec = p->recs[i];
                int r;

                if (only && !only[i])
                        continue;
                if (has_process(rec))
                        (void) stop_long_running(s, p->stages[i]);
                /* The stage that removes the namespace comes later in this
                 * run: what lives only inside it may be left to go with it
                 * (nh_namespace_going()). */
                s->going = false;
                for (size_t j = 0; j < i; j++)
                        if ((p->recs[j]->desc->flags & NH_PLUGIN_OWNS_NETNS) && (!only || only[j]))
                                s->going = true;
                r = call_verb(e, s, rec, p->stages[i], NH_VERB_STOP, -1);
                s->going = false;
                if (r < 0)
                        ret = NH_EXIT_FAILURE;
                else
                        after_stop(s, p->stages[i]);
        }
        return ret;
}

static int pipeline_stop(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p, size_t upto)
{
        return pipeline_stop_some(e, s, p, upto, NULL);
}

/* Loads a namespace's configuration and builds its checked pipeline, then
 * runs fn on it.  NH_EXIT_* code. */
typedef int (*pipeline_fn)(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p);

static int with_pipeline(struct nh_engine *e, const char *ns, pipeline_fn fn, bool lock)
{
        struct nh_nsstate *s = NULL;
        struct pipeline p = { 0 };
        int r;

        r = nsstate_new(e, ns, &s);
        if (r != NH_EXIT_OK)
                return r;
        r = pipeline_build(e, s, &p);
        if (r == NH_EXIT_OK && lock)
                r = ns_lock(s);
        if (r == NH_EXIT_OK)
                r = fn(e, s, &p);
        pipeline_free(&p);
        nsstate_free(e, s);
        return r;
}

/* check() of a stage, with what the core knows: a long-running stage whose
 * process does not run differs from its configuration. */
static int stage_check(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec, const char *stage)
{
        if (has_process(rec)) {
                pid_t recorded, pid = lr_running(s, stage, &recorded);
                if (pid <= 0) {
                        if (recorded > 0)
                                log_notice("%s[%s]: not running: its process (PID %d) has ended", stage, s->name,
                                           (int) recorded);
                        else
                                log_notice("%s[%s]: not running", stage, s->name);
                        return 1;
                }
        }
        return call_verb(e, s, rec, stage, NH_VERB_CHECK, -1);
}

/* "up" of a namespace that is up already, in full or in part, completes
 * what is missing: a stage that is up as configured (its check() says so),
 * and a long-running stage whose process runs, are left as they are; when
 * a later stage fails, only what this "up" started is undone. */
static int pipeline_up(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p)
{
        _cleanup_free_ bool *started = calloc(p->n ? p->n : 1, sizeof *started);
        bool repeat = ns_open(s) >= 0;
        size_t i;
        int k = 0;

        if (!started)
                return NH_EXIT_FAILURE;
        (void) stop_signals_install();
        for (i = 0; i < p->n && !interrupted(); i++) {
                struct nh_plugin_rec *rec = p->recs[i];
                const char *stage = p->stages[i];
                pid_t pid;

                if ((rec->desc->flags & NH_PLUGIN_NEEDS_NETNS) && require_netns(s, stage) != NH_EXIT_OK)
                        k = -ENOENT;
                else if (is_long_running(rec) && (pid = lr_running(s, stage, NULL)) > 0 && repeat)
                        k = wait_running(e, s, stage, pid);
                else if (repeat && !is_long_running(rec) && stage_is_up(s, stage) &&
                         call_verb(e, s, rec, stage, NH_VERB_CHECK, -1) == 0) {
                        log_debug("%s[%s]: up already, as configured", stage, s->name);
                        if (has_watch(rec) && lr_running(s, stage, NULL) <= 0)
                                k = start_watcher(e, s, rec, stage);
                } else {
                        /* The namespace was not there when this "up" began:
                         * a process still recorded for it served one that
                         * was deleted from outside. */
                        if (has_process(rec) && (pid = lr_running(s, stage, NULL)) > 0) {
                                log_notice("%s[%s]: its process (PID %d) ran for the namespace's previous "
                                           "instance, which is gone; stopping it", stage, s->name, (int) pid);
                                (void) stop_long_running(s, stage);
                        }
                        started[i] = true;
                        k = is_long_running(rec) ? start_in_background(e, s, rec, stage)
                                                 : call_verb(e, s, rec, stage, NH_VERB_START, -1);
                        if (k >= 0 && has_watch(rec))
                                k = start_watcher(e, s, rec, stage);
                }
                if (k < 0)
                        break;
        }
        if (k >= 0 && !interrupted())
                return NH_EXIT_OK;
        if (interrupted())
                log_error("Bringing up namespace %s was interrupted by signal %d (%s); undoing what it started",
                          s->name, up_interrupted, strsignal(up_interrupted));
        else
                log_error("Bringing up namespace %s failed at stage %s; undoing %s", s->name, p->stages[i],
                          repeat ? "what this command started before it" : "the stages before it");
        /* The failed stage has undone itself; a long-running one that was
         * stopped for its timeout or the interruption too. */
        if (i < p->n)
                started[i] = false;
        (void) pipeline_stop_some(e, s, p, i < p->n ? i : p->n, started);
        return NH_EXIT_FAILURE;
}

static int pipeline_check(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p)
{
        int r = NH_EXIT_OK;

        for (size_t i = 0; i < p->n; i++) {
                int k = verb_exit(NH_VERB_CHECK, stage_check(e, s, p->recs[i], p->stages[i]));
                if (k != NH_EXIT_OK && (r == NH_EXIT_OK || k == NH_EXIT_FAILURE))
                        r = k;
        }
        if (r == NH_EXIT_OK)
                log_info("Namespace %s matches its configuration", s->name);
        return r;
}

/* validate and enable only: what no two namespaces may share (clash.h). */
static int pipeline_unique(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p)
{
        int found = 0;

        (void) e;
        for (size_t i = 0; i < p->n; i++)
                found += nh_unique_check(nh_confdir(), nh_rundir(), s->cfg, p->stages[i], p->recs[i]->desc->keys);
        return found ? NH_EXIT_CONFIG : NH_EXIT_OK;
}

static int pipeline_print(struct nh_engine *e, struct nh_nsstate *s, struct pipeline *p)
{
        char list[512];
        size_t o = 0;

        if (pipeline_unique(e, s, p) != NH_EXIT_OK)
                return NH_EXIT_CONFIG;

        list[0] = '\0';
        for (size_t i = 0; i < p->n && o < sizeof list; i++)
                o += (size_t) snprintf(list + o, sizeof list - o, "%s%s (%s)", i ? ", " : "",
                                       p->stages[i], p->recs[i]->name);
        printf("%s: configuration is valid (%s%s); stages: %s\n", s->name,
               s->cfg->exists ? s->cfg->path : "no file, defaults", s->cfg->legacy ? ", legacy format" : "",
               list);
        return NH_EXIT_OK;
}

int nh_engine_up(struct nh_engine *e, const char *ns) { return with_pipeline(e, ns, pipeline_up, true); }
int nh_engine_check(struct nh_engine *e, const char *ns) { return with_pipeline(e, ns, pipeline_check, false); }
int nh_engine_validate(struct nh_engine *e, const char *ns) { return with_pipeline(e, ns, pipeline_print, false); }

/* "netns-helper enable" checks like validate, printing only the errors. */
int nh_engine_verify(struct nh_engine *e, const char *ns) { return with_pipeline(e, ns, pipeline_unique, false); }

int nh_engine_down(struct nh_engine *e, const char *ns)
{
        struct nh_nsstate *s = NULL;
        struct pipeline p = { 0 };
        int r;

        r = nsstate_new(e, ns, &s);
        if (r != NH_EXIT_OK)
                return r;
        /* Take down what the configuration names, even when part of it no
         * longer validates: a broken file must not keep a namespace up. */
        for (size_t i = 0; i < s->cfg->n_stages; i++) {
                struct nh_plugin_rec *rec = stage_plugin(e, s, s->cfg->stages[i]);
                if (!rec) {
                        r = NH_EXIT_PLUGIN;
                        continue;
                }
                if (pipeline_add(&p, s->cfg->stages[i], rec) < 0) {
                        r = NH_EXIT_FAILURE;
                        goto out;
                }
        }
        pipeline_sort(&p);
        {
                int k = ns_lock(s);
                if (k == NH_EXIT_OK)
                        k = pipeline_stop(e, s, &p, p.n);
                if (r == NH_EXIT_OK)
                        r = k;
        }
out:
        pipeline_free(&p);
        nsstate_free(e, s);
        return r;
}


/* A stage process validates the namespace's whole file, loading every
 * stage's plugin; under systemd there is one such process per stage.  Once
 * a start has validated a file, a stamp in the cache directory says so,
 * named after what the result depends on: the file's bytes, the global
 * file's, and each stage's plugin file (inode, size, mtime).  The later
 * stage processes then check only their own section (its validate()
 * included, which may look at the host).  NULL: no stamp applies (no cache
 * directory, no file, or "implementations:" choosing other plugins). */
static char *validated_stamp(struct nh_engine *e, struct nh_nsstate *s)
{
        const char *dir = nh_conf_cache_dir();
        uint64_t h = 0xcbf29ce484222325ULL, g = e->g ? e->g->hash : 0;

        if (!dir || !s->cfg->exists || s->cfg->n_impls > 0 || (e->g && e->g->n_impls > 0))
                return NULL;
        h = fnv1a64(s->name, strlen(s->name) + 1, h);
        h = fnv1a64(&s->cfg->hash, sizeof s->cfg->hash, h);
        h = fnv1a64(&g, sizeof g, h);
        for (size_t i = 0; i < s->cfg->n_stages; i++) {
                struct stat st;
                unsigned long long v[4];

                if (nh_registry_stat(e->reg, s->cfg->stages[i], &st) < 0)
                        return NULL;
                v[0] = st.st_ino;
                v[1] = (unsigned long long) st.st_size;
                v[2] = (unsigned long long) st.st_mtim.tv_sec;
                v[3] = (unsigned long long) st.st_mtim.tv_nsec;
                h = fnv1a64(s->cfg->stages[i], strlen(s->cfg->stages[i]) + 1, h);
                h = fnv1a64(v, sizeof v, h);
        }
        return strdup_printf("%s/%016llx.valid", dir, (unsigned long long) h);
}

/* netns-helper-run STAGE NAME VERB.  start and check refuse a namespace
 * whose file does not validate as a whole, as "up" and "check" do: a stage
 * must not run half of a configuration whose other half is wrong (the veth
 * becoming "the interface" while the macvlan section has a typo). */
int nh_engine_run_stage(struct nh_engine *e, const char *stage, const char *ns, enum nh_verb verb)
{
        struct nh_nsstate *s = NULL;
        struct nh_plugin_rec *rec = NULL;
        struct pipeline p = { 0 };
        int r;

        r = nsstate_new(e, ns, &s);
        if (r != NH_EXIT_OK)
                return r;
        /* Stopping must work with a configuration broken since the start. */
        if (verb != NH_VERB_STOP) {
                _cleanup_free_ char *stamp = validated_stamp(e, s);

                if (!stamp || access(stamp, F_OK) < 0) {
                        r = pipeline_build_for(e, s, &p, stage);
                        if (r != NH_EXIT_OK)
                                goto out;
                        for (size_t i = 0; i < p.n; i++)
                                if (streq(p.stages[i], stage))
                                        rec = p.recs[i];
                        if (stamp && verb == NH_VERB_START && nh_conf_cache_writable()) {
                                bool made = false;
                                (void) put_in_dir(nh_conf_cache_dir(), &made, stamp, NULL);
                        }
                }
        }
        if (!rec) {
                /* A stage the file does not list (run by hand). */
                rec = stage_plugin(e, s, stage);
                if (!rec) {
                        r = NH_EXIT_PLUGIN;
                        goto out;
                }
                if (verb != NH_VERB_STOP) {
                        r = stage_validate(e, s, rec, stage);
                        if (r != NH_EXIT_OK)
                                goto out;
                }
        }
        /* A long-running stage runs for as long as the namespace is up, and
         * touches only what it makes itself: it holds the lock only while
         * it records its process. */
        if (verb != NH_VERB_CHECK) {
                r = ns_lock(s);
                if (r != NH_EXIT_OK)
                        goto out;
        }
        if (verb != NH_VERB_STOP && (rec->desc->flags & NH_PLUGIN_NEEDS_NETNS)) {
                r = require_netns(s, stage);
                if (r != NH_EXIT_OK)
                        goto out;
        }
        if (verb == NH_VERB_START) {
                r = require_no_failed_stage(e, s, rec, stage);
                if (r != NH_EXIT_OK)
                        goto out;
        }
        if (verb == NH_VERB_START && (rec->desc->flags & NH_PLUGIN_AFTER_ALL)) {
                r = require_earlier_stages(e, s, rec, stage);
                if (r != NH_EXIT_OK)
                        goto out;
        }
        if (is_long_running(rec) && verb == NH_VERB_START) {
                pid_t pid = lr_running(s, stage, NULL);
                int k;

                if (pid > 0) {
                        log_error("%s[%s]: runs already as PID %d; not starting a second one (stop it first: "
                                  "netns-helper down %s, or netns-helper-run %s %s stop)",
                                  stage, ns, (int) pid, ns, stage, ns);
                        r = NH_EXIT_FAILURE;
                        goto out;
                }
                k = stop_signals_install();
                if (k < 0 || (k = lr_record(s, stage, getpid())) < 0) {
                        log_error("%s[%s]: cannot prepare to run: %s", stage, ns, strerror(-k));
                        r = NH_EXIT_FAILURE;
                        goto out;
                }
                close(take_fd(&s->lock_fd));
        }
        if (has_process(rec) && verb == NH_VERB_STOP)
                (void) stop_long_running(s, stage);
        /* A watcher left from a start before (its stage started again). */
        if (has_watch(rec) && verb == NH_VERB_START)
                (void) stop_long_running(s, stage);

        if (verb == NH_VERB_CHECK)
                r = verb_exit(verb, stage_check(e, s, rec, stage));
        else
                r = verb_exit(verb, call_verb(e, s, rec, stage, verb, -1));
        if (has_watch(rec) && verb == NH_VERB_START && r == NH_EXIT_OK && start_watcher(e, s, rec, stage) < 0)
                r = NH_EXIT_FAILURE;

        if (is_long_running(rec) && verb == NH_VERB_START)
                lr_forget(s, stage, getpid());
        if (verb == NH_VERB_STOP && r == NH_EXIT_OK)
                after_stop(s, stage);
out:
        pipeline_free(&p);
        nsstate_free(e, s);
        return r;
}
