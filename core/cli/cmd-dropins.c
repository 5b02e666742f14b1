/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * "netns-helper add NAMESPACE SERVICE" writes the drop-ins that run SERVICE
 * in the namespace (its own, and one that makes the namespace's target
 * want it); "remove SERVICE" removes them (service.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "cli/cmd-common.h"
#include "cli/service.h"
#include "config/conf.h"
#include "engine/engine.h"
#include "engine/exitcodes.h"
#include "legacy/legacy.h"

static char *dropin_path(const char *service)
{
        return strdup_printf("%s/%s.d/" DROPIN_NAME, svc_systemd_dir(), service);
}

/* DNS that cannot leak (core/hookdns.h): glibc reaches systemd-resolved
 * (nss-resolve) and nscd through sockets in the file system, which a
 * network namespace does not isolate.  The socket, not the directory of
 * resolved: its stub-resolv.conf is there, which the service's
 * /etc/resolv.conf points at when the namespace has none of its own.
 * "-": a missing path is fine.  An unreadable configuration is reported by
 * the stages; isolation is the default then. */
static const char *dns_isolation(const char *ns)
{
        struct nh_engine *e = NULL;
        bool isolated = true;

        if (nh_engine_new(&e) == NH_EXIT_OK)
                isolated = nh_engine_dns_isolated(e, ns);
        nh_engine_free(e);
        return isolated ? "InaccessiblePaths=-/run/systemd/resolve/io.systemd.Resolve -/run/nscd\n" : "";
}

/* dir/..., made when missing, written atomically; logs. */
static int put_unit_file(const char *dir, const char *path, const char *text)
{
        int r = mkdir_p(dir, 0755);

        if (r < 0)
                return log_error("Failed to create %s: %s", dir, strerror(-r)), r;
        r = write_file_atomic(path, text, strlen(text), 0644);
        if (r < 0)
                return log_error("Failed to write %s: %s", path, strerror(-r)), r;
        return 0;
}

static int write_dropin(const char *ns, const char *service)
{
        _cleanup_free_ char *dir = strdup_printf("%s/%s.d", svc_systemd_dir(), service);
        _cleanup_free_ char *path = dropin_path(service);
        _cleanup_free_ char *text = NULL;
        _cleanup_free_ char *ns_unit = nh_legacy_namespace_unit(ns), *post_up = nh_legacy_post_up_unit(ns);
        const char *etc = nh_etc_netns();
        int r;

        if (!dir || !path || !ns_unit || !post_up)
                return log_error("Out of memory"), -ENOMEM;
        /* NetworkNamespacePath= joins the namespace bound at /run/netns,
         * the one "ip netns exec" enters; JoinsNamespaceOf= would join the
         * private namespace of the unit named, a different one.  The "-"
         * makes a missing source file no error: the host's file is kept.
         * The target pulls in the namespace's stages; After= on it (every
         * stage is Before= it) and on the post-up unit starts the service
         * only once the addresses are bound, and Requires= on the post-up
         * unit keeps it from starting at all when that unit refuses (it
         * does while a stage before it, e.g. DHCP, is not up: After=
         * alone would start the service anyway); BindsTo= stops it with the
         * namespace, and restarts it with the namespace: without a start
         * limit of its own, restarting the namespace six times in a row
         * would leave the service failed ("systemctl edit" writes
         * override.conf, which sorts after this file and can set one). */
        text = strdup_printf(
                "# Written by \"netns-helper add %1$s %2$s\": runs %2$s in the network\n"
                "# namespace %1$s.  \"netns-helper remove %2$s\" removes this file.\n"
                "[Unit]\n"
                "Wants=netns-helper@%1$s.target\n"
                "BindsTo=%5$s\n"
                "Requires=%6$s\n"
                "After=%5$s netns-helper@%1$s.target %6$s\n"
                "StartLimitIntervalSec=0\n"
                "\n"
                "[Service]\n"
                "NetworkNamespacePath=" RUN_NETNS "/%1$s\n"
                "BindReadOnlyPaths=-%3$s/%1$s/resolv.conf:/etc/resolv.conf\n"
                "BindReadOnlyPaths=-%3$s/%1$s/nsswitch.conf:/etc/nsswitch.conf\n"
                "%4$s",
                ns, service, etc, dns_isolation(ns), ns_unit, post_up);
        if (!text)
                return log_error("Out of memory"), -ENOMEM;

        r = put_unit_file(dir, path, text);
        if (r < 0)
                return r;
        log_info("Wrote %s: %s runs in network namespace %s", path, service, ns);
        return 0;
}

/* The other half of "add": SYSTEMD_DIR/netns-helper@NS.target.d/SERVICE.conf
 * makes the target want the service, so that starting the namespace
 * (start, enable --now, a stage that recovers by itself and pulls the
 * target in) starts its services too; the service's own drop-in only
 * makes the service pull in the namespace. */
static char *target_dropin_path(const char *ns, const char *service)
{
        return strdup_printf("%s/netns-helper@%s.target.d/%s.conf", svc_systemd_dir(), ns, service);
}

static int write_target_dropin(const char *ns, const char *service)
{
        _cleanup_free_ char *dir = strdup_printf("%s/netns-helper@%s.target.d", svc_systemd_dir(), ns);
        _cleanup_free_ char *path = target_dropin_path(ns, service);
        _cleanup_free_ char *text = strdup_printf(
                "# Written by \"netns-helper add %1$s %2$s\": starting namespace %1$s starts\n"
                "# %2$s.  \"netns-helper remove %2$s\" removes this file.\n"
                "[Unit]\n"
                "Wants=%2$s\n", ns, service);

        if (!dir || !path || !text)
                return log_error("Out of memory"), -ENOMEM;
        return put_unit_file(dir, path, text);
}

static void remove_target_dropin(const char *ns, const char *service)
{
        _cleanup_free_ char *dir = strdup_printf("%s/netns-helper@%s.target.d", svc_systemd_dir(), ns);
        _cleanup_free_ char *path = target_dropin_path(ns, service);

        if (!dir || !path)
                return;
        if (unlink(path) < 0 && errno != ENOENT)
                log_warning("Failed to remove %s: %m", path);
        if (rmdir(dir) < 0 && errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
                log_warning("Failed to remove %s: %m", dir);
}

static int reload_and_restart(const char *service)
{
        int r;

        r = svc_systemctl_run((const char *const[]) { "daemon-reload", NULL });
        if (r < 0)
                return r;
        return svc_systemctl_run((const char *const[]) { "restart", service, NULL });
}

/* A namespace netns-helper knows: one with a configuration file, or one
 * enabled without a file (the original README's "systemctl enable
 * netns-helper@NAME.service", or "netns-helper enable NAME STAGE...").
 * "add" into any other name would run the service in an empty namespace
 * with only "lo". */
bool svc_namespace_known(const char *ns)
{
        static const struct { const char *dir, *suffix; } links[] = {
                { "multi-user.target.wants/", ".service" },
                { "multi-user.target.wants/", ".target" },
                { "", ".target.wants" },
                { "", ".target.requires" },
        };
        struct nh_ns_config *c = NULL;
        bool known = false;

        if (nh_ns_config_load(nh_confdir(), ns, &c) >= 0) {
                known = c->exists;
                nh_ns_config_free(c);
        } else
                known = true;   /* a file that exists but does not parse */
        for (size_t i = 0; i < ELEMENTSOF(links) && !known; i++) {
                _cleanup_free_ char *p = strdup_printf("%s/%snetns-helper@%s%s", svc_systemd_dir(), links[i].dir,
                                                       ns, links[i].suffix);
                struct stat st;
                known = p && lstat(p, &st) == 0;
        }
        return known;
}

/* The namespace an existing drop-in of ours puts service in, or NULL. */
char *svc_dropin_namespace(const char *service)
{
        _cleanup_free_ char *path = dropin_path(service), *text = NULL;
        const char *key = "\nNetworkNamespacePath=" RUN_NETNS "/";
        const char *p;
        size_t len;

        if (!path || read_file(path, &text, &len) < 0 || !(p = strstr(text, key)))
                return NULL;
        p += strlen(key);
        return strndup(p, strcspn(p, "\n"));
}

int nh_cmd_add(int argc, char **argv)
{
        _cleanup_free_ char *service = NULL, *old = NULL;
        struct opts o;
        int r;

        const char *ns = svc_parse_ns_opts(argc, argv, true, false, 2, 2, &o, &r);
        if (!ns)
                return r;
        r = svc_service_name(argv[o.first + 1], &service);
        if (r < 0)
                return r == -ENOMEM ? NH_EXIT_FAILURE : NH_EXIT_CONFIG;
        if (!svc_namespace_known(ns)) {
                log_error("Namespace %s has no configuration (%s/ns/%s.yaml or %s" NH_LEGACY_CONF_SUFFIX ") and is not "
                          "enabled; write its file (netns-helper.yaml(5)) or run \"netns-helper enable %s "
                          "STAGE...\" first. Nothing written.", ns, nh_confdir(), ns, ns, ns);
                return NH_EXIT_CONFIG;
        }
        old = svc_dropin_namespace(service);
        if (old && !streq(old, ns))
                log_notice("Moving %s from network namespace %s to %s (its drop-in %s is replaced)",
                           service, old, ns, DROPIN_NAME);
        if (write_dropin(ns, service) < 0 || write_target_dropin(ns, service) < 0)
                return NH_EXIT_FAILURE;
        if (old && !streq(old, ns))
                remove_target_dropin(old, service);
        if (o.now && reload_and_restart(service) < 0)
                return NH_EXIT_FAILURE;
        if (!o.now)
                log_info("Run \"systemctl daemon-reload\" and restart %s to apply (or use --now)", service);
        return NH_EXIT_OK;
}

int nh_cmd_remove(int argc, char **argv)
{
        _cleanup_free_ char *service = NULL, *path = NULL, *dir = NULL, *ns = NULL;
        struct opts o;
        int r;

        r = svc_parse_opts(argc, argv, true, false, 1, 1, &o);
        if (r >= 0)
                return r;
        r = svc_service_name(argv[o.first], &service);
        if (r < 0)
                return r == -ENOMEM ? NH_EXIT_FAILURE : NH_EXIT_CONFIG;
        path = dropin_path(service);
        dir = strdup_printf("%s/%s.d", svc_systemd_dir(), service);
        if (!path || !dir)
                return log_error("Out of memory"), NH_EXIT_FAILURE;

        ns = svc_dropin_namespace(service);
        if (ns)
                remove_target_dropin(ns, service);
        if (unlink(path) < 0) {
                if (errno != ENOENT) {
                        log_error("Failed to remove %s: %m", path);
                        return NH_EXIT_FAILURE;
                }
                /* Like CNI's DEL: already gone is success. */
                log_notice("%s is not in a namespace (no %s)", service, path);
        } else
                log_info("Removed %s", path);
        /* Other drop-ins may share the directory: only an empty one goes. */
        if (rmdir(dir) < 0 && errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
                log_warning("Failed to remove %s: %m", dir);

        if (o.now && reload_and_restart(service) < 0)
                return NH_EXIT_FAILURE;
        return NH_EXIT_OK;
}
