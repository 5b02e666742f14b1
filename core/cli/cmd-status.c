/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * "netns-helper status [NAMESPACE...]" (service.h): what is known about
 * each namespace, collected from the configuration, the links enable
 * wrote, systemctl, the run directory's facts and the namespace itself;
 * status-print.c prints it.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "base/log.h"
#include "base/util.h"
#include "cli/service.h"
#include "cli/status.h"
#include "config/conf.h"
#include "config/names.h"
#include "engine/engine.h"
#include "engine/exitcodes.h"
#include "legacy/legacy.h"

static void ns_status_done(struct ns_status *s)
{
        free(s->name);
        free(s->config);
        free(s->target_state);
        for (size_t i = 0; i < s->n_st; i++) {
                free(s->st[i].stage);
                free(s->st[i].unit);
                free(s->st[i].state);
        }
        free(s->st);
        svc_strv_done(&s->services);
        svc_strv_done(&s->service_states);
        nh_run_facts_free(s->facts, s->n_facts);
        svc_strv_done(&s->addresses);
        svc_strv_done(&s->links);
}

/* The number of leading one bits of a netmask. */
static int mask_prefix(const struct sockaddr *mask)
{
        const unsigned char *b;
        size_t len;
        int n = 0;

        if (!mask)
                return -1;
        if (mask->sa_family == AF_INET) {
                b = (const unsigned char *) &((const struct sockaddr_in *) mask)->sin_addr;
                len = 4;
        } else if (mask->sa_family == AF_INET6) {
                b = (const unsigned char *) &((const struct sockaddr_in6 *) mask)->sin6_addr;
                len = 16;
        } else
                return -1;
        for (size_t i = 0; i < len; i++)
                for (int bit = 7; bit >= 0; bit--) {
                        if (!(b[i] & (1u << bit)))
                                return n;
                        n++;
                }
        return n;
}

/* Appends " word" to the entry of links that starts with "ifname", or
 * adds "ifname word". */
static int link_add(struct strv *links, const char *ifname, const char *word)
{
        size_t n = strlen(ifname);

        for (size_t i = 0; i < links->n; i++)
                if (strncmp(links->v[i], ifname, n) == 0 && links->v[i][n] == ' ') {
                        char *x = strdup_printf("%s %s", links->v[i], word);
                        if (!x)
                                return -ENOMEM;
                        free(links->v[i]);
                        links->v[i] = x;
                        return 0;
                }
        _cleanup_free_ char *x = strdup_printf("%s %s", ifname, word);
        return x ? svc_strv_push(links, x) : -ENOMEM;
}

/* getifaddrs() reads the namespace the calling thread is in: go in, read,
 * come back.  libc's own netlink reader, so that this program does not
 * load libnl-route-3 (whose start-up costs more than a namespace).  The
 * interface's addresses, and those of every other link but lo: a veth's
 * address inside is the one the host reaches the namespace at. */
static int read_addresses(struct ns_status *s, const char *ifname)
{
        _cleanup_free_ char *path = strdup_printf(RUN_NETNS "/%s", s->name);
        _cleanup_close_ int host = -1, nsfd = -1;
        struct ifaddrs *list = NULL;
        int r;

        if (!path)
                return -ENOMEM;
        host = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        nsfd = open(path, O_RDONLY | O_CLOEXEC);
        if (host < 0 || nsfd < 0)
                return -errno;
        if (setns(nsfd, CLONE_NEWNET) < 0)
                return -errno;
        r = getifaddrs(&list) < 0 ? -errno : 0;
        if (setns(host, CLONE_NEWNET) < 0) {
                /* Going on in the wrong namespace would mislead. */
                log_error("Failed to return to the host's network namespace: %m");
                exit(NH_EXIT_FAILURE);
        }
        if (r < 0) {
                log_debug("Cannot read the addresses in %s: %s", s->name, strerror(-r));
                return -EIO;
        }
        for (struct ifaddrs *a = list; a; a = a->ifa_next) {
                char addr[INET6_ADDRSTRLEN], buf[INET6_ADDRSTRLEN + 16];
                const void *in;
                int family, prefix;

                if (!a->ifa_addr || !a->ifa_name || streq(a->ifa_name, "lo"))
                        continue;
                family = a->ifa_addr->sa_family;
                if (family == AF_INET)
                        in = &((const struct sockaddr_in *) a->ifa_addr)->sin_addr;
                else if (family == AF_INET6)
                        in = &((const struct sockaddr_in6 *) a->ifa_addr)->sin6_addr;
                else
                        continue;
                if (!inet_ntop(family, in, addr, sizeof addr))
                        continue;
                prefix = mask_prefix(a->ifa_netmask);
                if (prefix >= 0)
                        snprintf(buf, sizeof buf, "%s/%d", addr, prefix);
                else
                        snprintf(buf, sizeof buf, "%s", addr);
                if (ifname && streq(a->ifa_name, ifname))
                        svc_strv_add(&s->addresses, buf);
                else
                        link_add(&s->links, a->ifa_name, buf);
        }
        freeifaddrs(list);
        s->addresses_known = true;
        return 0;
}

static struct stage_status *stage_entry(struct ns_status *s, const char *stage)
{
        struct stage_status *n;

        for (size_t i = 0; i < s->n_st; i++)
                if (streq(s->st[i].stage, stage))
                        return &s->st[i];
        n = realloc(s->st, (s->n_st + 1) * sizeof *n);
        if (!n)
                return NULL;
        s->st = n;
        n = &s->st[s->n_st];
        *n = (struct stage_status) { .stage = strdup(stage), .unit = svc_stage_unit(stage, s->name) };
        if (!n->stage || !n->unit) {
                free(n->stage);
                free(n->unit);
                return NULL;
        }
        s->n_st++;
        return n;
}

/* The pipeline's order, as "validate" prints it: the plugins' positions,
 * the file's order between equals; stages without a plugin last. */
static void sort_stages(struct ns_status *s, struct nh_engine *e)
{
        int order[64];
        size_t n = s->n_st < ELEMENTSOF(order) ? s->n_st : ELEMENTSOF(order);

        for (size_t i = 0; i < n; i++)
                order[i] = nh_engine_stage_position(e, s->st[i].stage);
        for (size_t i = 1; i < n; i++)
                for (size_t j = i; j > 0 && order[j - 1] > order[j]; j--) {
                        struct stage_status t = s->st[j];
                        int o = order[j];
                        s->st[j] = s->st[j - 1];
                        order[j] = order[j - 1];
                        s->st[j - 1] = t;
                        order[j - 1] = o;
                }
}

/* The configured stages, and the stages linked into the target (.requires,
 * .wants: enabled the original way, perhaps without a file): both. */
static void collect_stages(struct ns_status *s, struct nh_engine *e)
{
        struct nh_ns_config *c = NULL;

        if (nh_ns_config_load(nh_confdir(), s->name, &c) >= 0) {
                s->config_ok = true;
                if (c->exists) {
                        s->config = strdup(c->path);
                        s->known = true;
                        for (size_t i = 0; i < c->n_stages; i++) {
                                struct stage_status *t = nh_plugin_name_valid(c->stages[i]) ?
                                                         stage_entry(s, c->stages[i]) : NULL;
                                if (t)
                                        t->configured = true;
                        }
                }
                nh_ns_config_free(c);
        }
        for (size_t k = 0; k < 2; k++) {
                _cleanup_free_ char *dir = strdup_printf("%s/netns-helper@%s.target.%s", svc_systemd_dir(),
                                                         s->name, k ? "requires" : "wants");
                DIR *d = dir ? opendir(dir) : NULL;
                struct dirent *de;

                while (d && (de = readdir(d))) {
                        _cleanup_free_ char *st = svc_unit_stage(de->d_name, s->name);
                        if (st && stage_entry(s, st))
                                s->known = true;
                }
                if (d)
                        closedir(d);
        }
        sort_stages(s, e);

        /* Which stages are up, whoever started them (systemd or "up"),
         * and whether the file changed after one of them started. */
        for (size_t i = 0; i < s->n_st; i++)
                if (svc_changed_since(s->name, s->st[i].stage, s->config, &s->st[i].up))
                        s->changed = true;
}

/* The services "netns-helper add" put into the namespace: a drop-in of
 * ours naming it. */
static void collect_services(struct ns_status *s)
{
        DIR *d = opendir(svc_systemd_dir());
        struct dirent *de;

        while (d && (de = readdir(d))) {
                size_t n = strlen(de->d_name);
                _cleanup_free_ char *svc = NULL, *in = NULL;

                if (!svc_ends_with(de->d_name, ".service.d"))
                        continue;
                svc = strndup(de->d_name, n - strlen(".d"));
                in = svc ? svc_dropin_namespace(svc) : NULL;
                if (in && streq(in, s->name))
                        svc_strv_add(&s->services, svc);
        }
        if (d)
                closedir(d);
        qsort(s->services.v, s->services.n, sizeof(char *), svc_cmp_str);
}

/* One "systemctl is-active" for all the units: one line per unit. */
static void collect_states(struct ns_status *s)
{
        _cleanup_free_ char *out = NULL, *target = strdup_printf("netns-helper@%s.target", s->name);
        const char *args[64];
        size_t n = 0, k;
        char *line, *save = NULL;

        if (!target)
                return;
        args[n++] = "is-active";
        args[n++] = target;
        for (size_t i = 0; i < s->n_st && n < ELEMENTSOF(args) - 1; i++)
                args[n++] = s->st[i].unit;
        for (size_t i = 0; i < s->services.n && n < ELEMENTSOF(args) - 1; i++)
                args[n++] = s->services.v[i];
        args[n] = NULL;
        (void) svc_systemctl(&out, args);   /* non-zero when a unit is inactive */

        line = out ? strtok_r(out, "\n", &save) : NULL;
        s->target_state = strdup(line ? line : "unknown");
        for (k = 0; k < s->n_st; k++) {
                line = line ? strtok_r(NULL, "\n", &save) : NULL;
                s->st[k].state = strdup(line ? line : "unknown");
        }
        /* "activating" is also a unit that failed and is being started
         * again (Restart=: waiting for it, or trying again since, which
         * NRestarts counts from the last start by hand): no start in
         * progress, a failure. */
        for (k = 0; k < s->n_st; k++) {
                _cleanup_free_ char *sub = NULL, *nr = NULL;

                if (!s->st[k].state || !streq(s->st[k].state, "activating"))
                        continue;
                (void) svc_systemctl(&sub, (const char *const[]) { "show", "-P", "SubState", s->st[k].unit, NULL });
                (void) svc_systemctl(&nr, (const char *const[]) { "show", "-P", "NRestarts", s->st[k].unit, NULL });
                s->st[k].restarting = (sub && strncmp(sub, "auto-restart", strlen("auto-restart")) == 0) ||
                                      (nr && strtol(nr, NULL, 10) > 0);
        }
        for (k = 0; k < s->services.n; k++) {
                line = line ? strtok_r(NULL, "\n", &save) : NULL;
                svc_strv_push(&s->service_states, line ? line : "unknown");
        }
}

static void why_add(struct ns_status *s, const char *stage, const char *what)
{
        size_t o = strlen(s->why);
        snprintf(s->why + o, sizeof s->why - o, "%s%s %s", o ? ", " : "", stage, what);
}

/* What the stages add up to.  "degraded" and "failed" make status exit 1. */
static void state_of(struct ns_status *s)
{
        size_t conf = 0, active = 0, failed = 0, starting = 0, up = 0;

        for (size_t i = 0; i < s->n_st; i++) {
                const struct stage_status *t = &s->st[i];
                const char *st = t->state ? t->state : "unknown";

                if (streq(st, "failed") || t->restarting) {
                        failed++;
                        why_add(s, t->stage, t->restarting ? "failed, restarting" : "failed");
                }
                if (!t->configured)
                        continue;
                conf++;
                if (streq(st, "active"))
                        active++;
                else if ((streq(st, "activating") && !t->restarting) || streq(st, "reloading"))
                        starting++;
                else if (t->up)
                        up++;
        }
        if (failed)
                s->state = active || up ? "degraded" : "failed";
        else if (conf > 0 && active == conf)
                s->state = "active";
        else if (starting)
                s->state = "starting";
        else if (conf > 0 && active == 0 && up == conf)
                s->state = "up";        /* by "netns-helper up", not by systemd */
        else if (active == 0 && up == 0)
                s->state = "stopped";
        else {
                s->state = "degraded";
                for (size_t i = 0; i < s->n_st; i++)
                        if (s->st[i].configured && !streq(s->st[i].state ? s->st[i].state : "", "active") &&
                            !s->st[i].up)
                                why_add(s, s->st[i].stage, "not up");
        }
}

static int collect(const char *ns, struct nh_engine *e, struct ns_status *s)
{
        _cleanup_free_ char *p = strdup_printf(RUN_NETNS "/%s", ns);
        _cleanup_free_ char *l = strdup_printf("%s/multi-user.target.wants/netns-helper@%s.target",
                                               svc_systemd_dir(), ns);
        const char *ifname;
        struct stat st;

        *s = (struct ns_status) { .name = strdup(ns) };
        if (!s->name || !p || !l)
                return -ENOMEM;
        s->exists = access(p, F_OK) == 0;
        s->enabled = lstat(l, &st) == 0;
        s->known = s->exists || s->enabled || nh_run_known(ns) || svc_namespace_known(ns);
        collect_stages(s, e);
        collect_services(s);
        collect_states(s);
        (void) nh_run_facts(s->name, &s->facts, &s->n_facts);
        ifname = status_fact(s, NH_FACT_INTERFACE);
        if (s->exists)
                (void) read_addresses(s, ifname);
        state_of(s);
        return 0;
}

/* Every namespace with a configuration, a run directory or links. */
static int list_namespaces(struct strv *ret)
{
        const char *dirs[2];
        _cleanup_free_ char *nsdir = strdup_printf("%s/ns", nh_confdir());
        char **run = NULL;
        size_t n_run = 0;

        if (!nsdir)
                return -ENOMEM;
        /* Those with a run directory, from its owner (rundir.h). */
        if (nh_run_namespaces(&run, &n_run) == -ENOMEM)
                return -ENOMEM;
        for (size_t i = 0; i < n_run; i++) {
                char why[256];

                if (nh_namespace_name_check(run[i], why, sizeof why) == 0)
                        svc_strv_add(ret, run[i]);
                free(run[i]);
        }
        free(run);
        dirs[0] = nsdir;
        dirs[1] = svc_systemd_dir();
        for (size_t k = 0; k < ELEMENTSOF(dirs); k++) {
                DIR *d = opendir(dirs[k]);
                struct dirent *de;

                while (d && (de = readdir(d))) {
                        _cleanup_free_ char *name = NULL;
                        const char *x = de->d_name, *pre = "netns-helper@";
                        char why[256];
                        size_t n = strlen(x);

                        if (x[0] == '.')
                                continue;
                        if (k == 0 && svc_ends_with(x, ".yaml"))
                                name = strndup(x, n - strlen(".yaml"));
                        else if (k == 0 && svc_ends_with(x, NH_LEGACY_CONF_SUFFIX))
                                name = strndup(x, n - strlen(NH_LEGACY_CONF_SUFFIX));
                        else if (k == 1 && strncmp(x, pre, strlen(pre)) == 0 &&
                                 (svc_ends_with(x, ".target.requires") || svc_ends_with(x, ".target.wants"))) {
                                const char *suf = svc_ends_with(x, ".wants") ? ".target.wants" : ".target.requires";
                                if (n > strlen(pre) + strlen(suf))
                                        name = strndup(x + strlen(pre), n - strlen(pre) - strlen(suf));
                        }
                        if (name && nh_namespace_name_check(name, why, sizeof why) == 0)
                                svc_strv_add(ret, name);
                }
                if (d)
                        closedir(d);
        }
        qsort(ret->v, ret->n, sizeof(char *), svc_cmp_str);
        return 0;
}

int nh_cmd_status(int argc, char **argv)
{
        struct ns_status *all = NULL;
        struct nh_engine *e = NULL;
        struct strv names = {};
        struct opts o;
        size_t n = 0;
        int r, ret = NH_EXIT_FAILURE;
        bool unknown = false, bad = false;

        r = svc_parse_opts(argc, argv, false, true, 0, -1, &o);
        if (r >= 0)
                return r;
        for (int i = o.first; i < argc; i++) {
                r = nh_check_namespace_name(argv[i]);
                if (r != NH_EXIT_OK)
                        return r;
        }
        if (argc > o.first) {
                for (int i = o.first; i < argc && r >= 0; i++)
                        r = svc_strv_add(&names, argv[i]);
        } else
                r = list_namespaces(&names);
        if (r < 0)
                goto oom;
        /* For the plugins' positions only: no plugin, no order. */
        if (nh_engine_new(&e) != NH_EXIT_OK)
                e = NULL;

        all = calloc(names.n ? names.n : 1, sizeof *all);
        if (!all)
                goto oom;
        for (size_t i = 0; i < names.n; i++) {
                struct ns_status s;

                if (collect(names.v[i], e, &s) < 0) {
                        ns_status_done(&s);
                        goto oom;
                }
                if (!s.known) {
                        log_error("No namespace %s: no configuration (%s/ns/%s.yaml or %s" NH_LEGACY_CONF_SUFFIX "), "
                                  "not enabled, not running", s.name, nh_confdir(), s.name, s.name);
                        unknown = true;
                        ns_status_done(&s);
                        continue;
                }
                bad = bad || streq(s.state, "degraded") || streq(s.state, "failed");
                all[n++] = s;
        }
        if (o.json)
                status_print_json(stdout, all, n);
        else if (names.n == 0)
                printf("No namespaces: none is configured in %s/ns, enabled in %s or running.\n",
                       nh_confdir(), svc_systemd_dir());
        else
                status_print_text(stdout, all, n);
        if (fflush(stdout) != 0) {
                log_error("Failed to write the status: %m");
                goto out;
        }
        ret = unknown ? NH_EXIT_CONFIG : bad ? NH_EXIT_FAILURE : NH_EXIT_OK;
        goto out;
oom:
        log_error("Out of memory");
out:
        for (size_t i = 0; i < n; i++)
                ns_status_done(&all[i]);
        free(all);
        svc_strv_done(&names);
        nh_engine_free(e);
        return ret;
}
