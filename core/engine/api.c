/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * struct nh_api: the services of the core a plugin calls through its
 * struct nh_ctx (netns-helper/plugin.h documents each).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <dlfcn.h>
#include <linux/netlink.h>

#include "base/log.h"
#include "base/util.h"
#include "config/names.h"
#include "engine/internal.h"
#include "os/hookdns.h"
#include "os/trust.h"

/* ---- struct nh_api -------------------------------------------------------- */

static const char *api_namespace_name(struct nh_ctx *c) { return core(c)->ns->name; }
static const char *api_stage(struct nh_ctx *c) { return core(c)->stage; }

static void api_logv(struct nh_ctx *c, int prio, const char *fmt, va_list ap)
{
        nh_vlogf_prefix(prio, core(c)->prefix, fmt, ap);
}

bool unset_scalar(const struct nh_node *n)
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

/* No index: the message is about the key as a whole. */
#define WHOLE_KEY SIZE_MAX

/* A message about KEY of the stage's section (the section itself when KEY
 * is NULL or absent), or about its i-th value (a list's item, a mapping's
 * entry, named by its key), with the file, line and column it was read
 * from. */
static void cfg_reportv(struct nh_ctx *c, int level, const char *key, size_t i,
                        const char *fmt, va_list ap)
{
        struct nh_core_ctx *cc = core(c);
        const struct nh_node *n = key && cc->section ? nh_node_get(cc->section, key) : NULL;
        char what[256];

        if (!key)
                snprintf(what, sizeof what, "%s", cc->stage);
        else if (i != WHOLE_KEY && n && n->kind == NH_NODE_MAP && i < n->n) {
                snprintf(what, sizeof what, "%s.%s[%s]", cc->stage, key, n->keys[i]->value);
                n = n->keys[i];
        } else if (i != WHOLE_KEY && n && n->kind == NH_NODE_SEQ && i < n->n) {
                snprintf(what, sizeof what, "%s.%s[%zu]", cc->stage, key, i);
                n = n->items[i];
        } else
                snprintf(what, sizeof what, "%s.%s", cc->stage, key);
        nh_config_reportv(level, cc->ns->cfg->path, n ? n : cc->section, what, fmt, ap);
}

static int api_cfg_errorv(struct nh_ctx *c, const char *key, const char *fmt, va_list ap)
{
        cfg_reportv(c, NH_LOG_ERR, key, WHOLE_KEY, fmt, ap);
        return -EINVAL;
}

static void api_cfg_warnv(struct nh_ctx *c, const char *key, const char *fmt, va_list ap)
{
        cfg_reportv(c, NH_LOG_WARNING, key, WHOLE_KEY, fmt, ap);
}

static int api_cfg_item_errorv(struct nh_ctx *c, const char *key, size_t i, const char *fmt, va_list ap)
{
        cfg_reportv(c, NH_LOG_ERR, key, i, fmt, ap);
        return -EINVAL;
}

static void api_cfg_item_warnv(struct nh_ctx *c, const char *key, size_t i, const char *fmt, va_list ap)
{
        cfg_reportv(c, NH_LOG_WARNING, key, i, fmt, ap);
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


static int api_fact_set(struct nh_ctx *c, const char *key, const char *value)
{
        return ns_fact_set(core(c)->ns, key, value);
}

/* The string stays valid until the verb returns (ctx_done()). */
static const char *api_fact_get(struct nh_ctx *c, const char *key)
{
        struct nh_core_ctx *cc = core(c);
        char *v = ns_fact_get(cc->ns, key), **n;

        if (!v)
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
        return sd_notify_send(msg);
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
        return sd_notify_send(msg);
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
        .cfg_item_errorv = api_cfg_item_errorv,
        .cfg_item_warnv = api_cfg_item_warnv,
};

void ctx_init(struct nh_core_ctx *c, struct nh_engine *e, struct nh_nsstate *s,
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

void ctx_done(struct nh_core_ctx *c)
{
        for (size_t i = 0; i < c->n_strs; i++)
                free(c->strs[i]);
        free(c->strs);
        if (c->ready_fd >= 0)
                close(c->ready_fd);
}
