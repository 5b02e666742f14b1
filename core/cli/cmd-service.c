/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The systemd-facing subcommands of "netns-helper" (service.h):
 *
 *   add NAMESPACE SERVICE     a drop-in that runs SERVICE in the namespace
 *   remove SERVICE            removes it
 *   enable NAMESPACE [STAGE]  Requires= links of netns-helper@NAMESPACE.target
 *   disable NAMESPACE [STAGE] removes them
 *   reload NAMESPACE          enable, then restart: applies a changed file
 *   start|stop|restart NAMESPACE
 *   status [NAMESPACE]        stage units, interface, addresses, leases
 *
 * Everything written lives under the systemd configuration directory
 * (/etc/systemd/system, or $NETNS_HELPER_SYSTEMD_DIR); systemd itself is
 * only reached by running systemctl ($NETNS_HELPER_SYSTEMCTL), never
 * through a shell.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "config/conf.h"
#include "engine/engine.h"
#include "os/hookdns.h"
#include "engine/loader.h"
#include "engine/exitcodes.h"
#include "base/log.h"
#include "cli/service.h"
#include "base/util.h"

#include "config/names.h"

#define DROPIN_NAME "netns-helper.conf"
#define RUN_NETNS "/run/netns"

/* ---- paths ---------------------------------------------------------- */

static const char *env_or(const char *name, const char *def)
{
        const char *v = getenv(name);
        return v && *v ? v : def;
}

static const char *systemd_dir(void)
{
        return env_or("NETNS_HELPER_SYSTEMD_DIR", "/etc/systemd/system");
}

static const char *systemctl_path(void)
{
        return env_or("NETNS_HELPER_SYSTEMCTL", "systemctl");
}

static const char *conf_dir(void)
{
        return env_or("NETNS_HELPER_CONFDIR", NH_SYSCONFDIR "/netns-helper");
}

static const char *run_dir(void)
{
        return env_or("NETNS_HELPER_RUNDIR", NH_RUNSTATEDIR "/netns-helper");
}

static const char *etc_netns_dir(void)
{
        return env_or("NETNS_HELPER_ETC_NETNS", "/etc/netns");
}

static const char *unit_dir(void)
{
        return env_or("NETNS_HELPER_UNITDIR", NH_UNITDIR);
}

/* ---- names ---------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* A name without any '.' gets ".service" (names.h: a name with a '.'
 * must carry a unit type, so "foo.sevrice" is refused, not completed).
 * Only services can be put in a namespace: NetworkNamespacePath= is an
 * execution setting. */
static int service_name(const char *arg, char **ret)
{
        _cleanup_free_ char *name = NULL;
        char why[256] = "";

        name = strchr(arg, '.') ? strdup(arg) : strdup_printf("%s.service", arg);
        if (!name)
                return log_error("Out of memory"), -ENOMEM;
        if (nh_service_name_check(name, why, sizeof why) < 0) {
                log_error("Invalid service name \"%s\": %s", arg, why);
                return -EINVAL;
        }
        if (!ends_with(name, ".service")) {
                log_error("\"%s\" is not a service: only services (.service) can be put in a namespace", arg);
                return -EINVAL;
        }
        *ret = take_ptr(&name);
        return 0;
}

/* Stage names come from the command line or the configuration and end up
 * in unit and file names: the plugin name rules of names.h. */
static bool stage_name_valid(const char *s)
{
        return nh_plugin_name_valid(s);
}

/* The unit of a stage: the original tool's names for the built-in ones
 * ("dhcp4" runs as netns-helper-dhcp@), netns-helper-STAGE@ for the rest.
 * ns NULL gives the template. */
static char *stage_unit(const char *stage, const char *ns)
{
        const char *i = ns ? ns : "";

        if (streq(stage, "netns"))
                return strdup_printf("netns-helper@%s.service", i);
        if (streq(stage, "dhcp4"))
                return strdup_printf("netns-helper-dhcp@%s.service", i);
        return strdup_printf("netns-helper-%s@%s.service", stage, i);
}

/* The inverse, for links found in a .wants directory: the stage of
 * "netns-helper[-X]@NS.service", or NULL when it is not one of ours. */
static char *unit_stage(const char *unit, const char *ns)
{
        _cleanup_free_ char *suffix = strdup_printf("@%s.service", ns);
        const char *prefix = "netns-helper";
        size_t n;

        if (!suffix || strncmp(unit, prefix, strlen(prefix)) != 0 || !ends_with(unit, suffix))
                return NULL;
        n = strlen(unit) - strlen(prefix) - strlen(suffix);
        if (n == 0)
                return strdup("netns");
        if (unit[strlen(prefix)] != '-' || n < 2)
                return NULL;
        char *s = strndup(unit + strlen(prefix) + 1, n - 1);
        if (s && streq(s, "dhcp")) {
                free(s);
                return strdup("dhcp4");
        }
        return s;
}

/* ---- running systemctl ---------------------------------------------- */

/* Runs systemctl with args (NULL-ended).  With out, its stdout is
 * collected there (malloc'ed).  Returns its exit status, or -errno. */
static int systemctl(char **out, const char *const *args)
{
        const char *argv[32];
        size_t n = 0;
        int pipefd[2] = { -1, -1 };
        pid_t pid;
        int status;

        argv[n++] = systemctl_path();
        for (; *args && n < ELEMENTSOF(argv) - 1; args++)
                argv[n++] = *args;
        argv[n] = NULL;

        if (out && pipe2(pipefd, O_CLOEXEC) < 0)
                return -errno;
        fflush(stdout);
        fflush(stderr);
        pid = fork();
        if (pid < 0) {
                int r = -errno;
                if (out) {
                        close(pipefd[0]);
                        close(pipefd[1]);
                }
                return r;
        }
        if (pid == 0) {
                /* Collecting output is for "status", which shows what it
                 * could not learn as "unknown": systemctl's complaints
                 * (no systemd running) would only be noise there. */
                if (out) {
                        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
                        if (dup2(pipefd[1], STDOUT_FILENO) < 0 ||
                            (null >= 0 && dup2(null, STDERR_FILENO) < 0))
                                _exit(127);
                }
                execvp(argv[0], (char *const *) argv);
                fprintf(stderr, "Failed to run %s: %s\n", argv[0], strerror(errno));
                _exit(127);
        }
        if (out) {
                size_t len = 0, cap = 0;
                char *buf = NULL;
                ssize_t k;

                close(pipefd[1]);
                for (;;) {
                        if (cap - len < 4096) {
                                char *nb = realloc(buf, cap + 65536);
                                if (!nb)
                                        break;
                                buf = nb;
                                cap += 65536;
                        }
                        k = read(pipefd[0], buf + len, cap - len - 1);
                        if (k < 0 && errno == EINTR)
                                continue;
                        if (k <= 0)
                                break;
                        len += (size_t) k;
                }
                close(pipefd[0]);
                if (buf)
                        buf[len] = '\0';
                *out = buf;
        }
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        return 128 + WTERMSIG(status);
}

/* Logs the command line when it fails. */
static int systemctl_run(const char *const *args)
{
        char line[512] = "";
        int r;

        for (const char *const *a = args; *a; a++) {
                strncat(line, " ", sizeof line - strlen(line) - 1);
                strncat(line, *a, sizeof line - strlen(line) - 1);
        }
        log_debug("Running %s%s", systemctl_path(), line);
        r = systemctl(NULL, args);
        if (r < 0) {
                log_error("Failed to run %s%s: %s", systemctl_path(), line, strerror(-r));
                return r;
        }
        if (r > 0) {
                log_error("\"%s%s\" failed with exit status %d", systemctl_path(), line, r);
                return -EIO;
        }
        return 0;
}

/* ---- options -------------------------------------------------------- */

struct opts {
        bool now;
        bool json;
        int first;      /* index of the first operand in argv */
};

enum { OPT_NOW = 0x100, OPT_JSON };

static void help(const char *cmd)
{
        static const struct { const char *cmd, *args, *what; } h[] = {
                { "add", "NAMESPACE SERVICE [--now]",
                  "Run SERVICE in the network namespace NAMESPACE: writes the drop-in\n"
                  "SYSTEMD_DIR/SERVICE.d/" DROPIN_NAME ". --now reloads systemd and\n"
                  "restarts SERVICE." },
                { "remove", "SERVICE [--now]",
                  "Take SERVICE out of its namespace: removes the drop-in that \"add\"\n"
                  "wrote. --now reloads systemd and restarts SERVICE." },
                { "enable", "NAMESPACE [STAGE...] [--now]",
                  "Start NAMESPACE at boot: links netns-helper@NAMESPACE.target into\n"
                  "multi-user.target and the units of the stages (given, or those of the\n"
                  "namespace's configuration) into the target. --now also starts it." },
                { "disable", "NAMESPACE [STAGE...] [--now]",
                  "Undo \"enable\": for the given stages, or the whole namespace.\n"
                  "--now also stops them." },
                { "reload", "NAMESPACE",
                  "Apply a changed configuration file: \"enable NAMESPACE\" (checks the\n"
                  "file, writes the links), then stops the stages that left it and\n"
                  "restarts the namespace's target: every stage and every service added\n"
                  "to the namespace start again from the file as it is now." },
                { "start", "NAMESPACE", "systemctl start netns-helper@NAMESPACE.target" },
                { "stop", "NAMESPACE",
                  "Stop the namespace and everything bound to it (its stages and the\n"
                  "services added to it)." },
                { "restart", "NAMESPACE", "systemctl restart netns-helper@NAMESPACE.target" },
                { "status", "[NAMESPACE] [--json]",
                  "Each stage unit's state, the interface, its addresses and the DHCP\n"
                  "leases of NAMESPACE (all configured namespaces by default)." },
        };

        for (size_t i = 0; i < ELEMENTSOF(h); i++)
                if (streq(cmd, h[i].cmd)) {
                        printf("Usage: netns-helper %s %s\n\n%s\n\n", h[i].cmd, h[i].args, h[i].what);
                        break;
                }
        printf("Options:\n"
               "  -h, --help     show this help\n"
               "      --version  show the version\n"
               "Environment: NETNS_HELPER_SYSTEMD_DIR (default /etc/systemd/system),\n"
               "NETNS_HELPER_SYSTEMCTL (default systemctl), NETNS_HELPER_CONFDIR,\n"
               "NETNS_HELPER_RUNDIR, NETNS_HELPER_ETC_NETNS.\n"
               "Exit status: 0 ok, 1 failure, 2 usage, 3 bad name or configuration.\n"
               "See netns-helper(8).\n");
}

/* Returns -1 to go on, else the exit code. */
static int parse_opts(int argc, char **argv, bool allow_now, bool allow_json,
                      int min_args, int max_args, struct opts *o)
{
        static const struct option longopts[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                { "now", no_argument, NULL, OPT_NOW },
                { "json", no_argument, NULL, OPT_JSON },
                {}
        };
        const char *cmd = argv[0];
        int c, n;

        *o = (struct opts) {};
        /* glibc: 0 is a full re-initialisation (main() may have used
         * getopt); options may follow the operands ("add ns svc --now"),
         * getopt permutes them. */
        optind = 0;
        opterr = 0;
        while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) >= 0) {
                switch (c) {
                case 'h':
                        help(cmd);
                        return NH_EXIT_OK;
                case 'V':
                        printf("netns-helper %s\n", PACKAGE_VERSION);
                        return NH_EXIT_OK;
                case OPT_NOW:
                        if (!allow_now)
                                goto bad;
                        o->now = true;
                        break;
                case OPT_JSON:
                        if (!allow_json)
                                goto bad;
                        o->json = true;
                        break;
                default:
                        goto bad;
                }
        }
        o->first = optind;
        n = argc - optind;
        if (n < min_args || (max_args >= 0 && n > max_args)) {
                log_error("%s: expected %s; see \"netns-helper %s --help\"", cmd,
                          n < min_args ? "more arguments" : "fewer arguments", cmd);
                return NH_EXIT_USAGE;
        }
        return -1;
bad:
        log_error("%s: unknown option \"%s\"; see \"netns-helper %s --help\"", cmd,
                  argv[optind - 1], cmd);
        return NH_EXIT_USAGE;
}

/* parse_opts(), then argv[o->first] as a namespace name.  NULL, with *ret
 * the exit status, when the command ends here (help, usage, a bad name). */
static const char *parse_ns_opts(int argc, char **argv, bool allow_now, bool allow_json,
                                 int min_args, int max_args, struct opts *o, int *ret)
{
        int r = parse_opts(argc, argv, allow_now, allow_json, min_args, max_args, o);

        *ret = NH_EXIT_OK;
        if (r >= 0) {
                *ret = r;
                return NULL;
        }
        r = nh_check_namespace_name(argv[o->first]);
        if (r != NH_EXIT_OK) {
                *ret = r;
                return NULL;
        }
        return argv[o->first];
}


/* ---- add / remove --------------------------------------------------- */

static char *dropin_path(const char *service)
{
        return strdup_printf("%s/%s.d/" DROPIN_NAME, systemd_dir(), service);
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
        struct nh_ns_config *c = NULL;
        bool isolated = true;

        if (nh_ns_config_load(conf_dir(), ns, &c) >= 0)
                isolated = nh_core_dns_isolated(nh_ns_config_section(c, "netns"));
        nh_ns_config_free(c);
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
        _cleanup_free_ char *dir = strdup_printf("%s/%s.d", systemd_dir(), service);
        _cleanup_free_ char *path = dropin_path(service);
        _cleanup_free_ char *text = NULL;
        const char *etc = etc_netns_dir();
        int r;

        if (!dir || !path)
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
                "BindsTo=netns-helper@%1$s.service\n"
                "Requires=netns-helper-postup@%1$s.service\n"
                "After=netns-helper@%1$s.service netns-helper@%1$s.target netns-helper-postup@%1$s.service\n"
                "StartLimitIntervalSec=0\n"
                "\n"
                "[Service]\n"
                "NetworkNamespacePath=" RUN_NETNS "/%1$s\n"
                "BindReadOnlyPaths=-%3$s/%1$s/resolv.conf:/etc/resolv.conf\n"
                "BindReadOnlyPaths=-%3$s/%1$s/nsswitch.conf:/etc/nsswitch.conf\n"
                "%4$s",
                ns, service, etc, dns_isolation(ns));
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
        return strdup_printf("%s/netns-helper@%s.target.d/%s.conf", systemd_dir(), ns, service);
}

static int write_target_dropin(const char *ns, const char *service)
{
        _cleanup_free_ char *dir = strdup_printf("%s/netns-helper@%s.target.d", systemd_dir(), ns);
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
        _cleanup_free_ char *dir = strdup_printf("%s/netns-helper@%s.target.d", systemd_dir(), ns);
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

        r = systemctl_run((const char *const[]) { "daemon-reload", NULL });
        if (r < 0)
                return r;
        return systemctl_run((const char *const[]) { "restart", service, NULL });
}

/* A namespace netns-helper knows: one with a configuration file, or one
 * enabled without a file (the original README's "systemctl enable
 * netns-helper@NAME.service", or "netns-helper enable NAME STAGE...").
 * "add" into any other name would run the service in an empty namespace
 * with only "lo". */
static bool namespace_known(const char *ns)
{
        static const struct { const char *dir, *suffix; } links[] = {
                { "multi-user.target.wants/", ".service" },
                { "multi-user.target.wants/", ".target" },
                { "", ".target.wants" },
                { "", ".target.requires" },
        };
        struct nh_ns_config *c = NULL;
        bool known = false;

        if (nh_ns_config_load(conf_dir(), ns, &c) >= 0) {
                known = c->exists;
                nh_ns_config_free(c);
        } else
                known = true;   /* a file that exists but does not parse */
        for (size_t i = 0; i < ELEMENTSOF(links) && !known; i++) {
                _cleanup_free_ char *p = strdup_printf("%s/%snetns-helper@%s%s", systemd_dir(), links[i].dir,
                                                       ns, links[i].suffix);
                struct stat st;
                known = p && lstat(p, &st) == 0;
        }
        return known;
}

/* The namespace an existing drop-in of ours puts service in, or NULL. */
static char *dropin_namespace(const char *service)
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

        const char *ns = parse_ns_opts(argc, argv, true, false, 2, 2, &o, &r);
        if (!ns)
                return r;
        r = service_name(argv[o.first + 1], &service);
        if (r < 0)
                return r == -ENOMEM ? NH_EXIT_FAILURE : NH_EXIT_CONFIG;
        if (!namespace_known(ns)) {
                log_error("Namespace %s has no configuration (%s/ns/%s.yaml or %s-macvlan.conf) and is not "
                          "enabled; write its file (netns-helper.yaml(5)) or run \"netns-helper enable %s "
                          "STAGE...\" first. Nothing written.", ns, conf_dir(), ns, ns, ns);
                return NH_EXIT_CONFIG;
        }
        old = dropin_namespace(service);
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

        r = parse_opts(argc, argv, true, false, 1, 1, &o);
        if (r >= 0)
                return r;
        r = service_name(argv[o.first], &service);
        if (r < 0)
                return r == -ENOMEM ? NH_EXIT_FAILURE : NH_EXIT_CONFIG;
        path = dropin_path(service);
        dir = strdup_printf("%s/%s.d", systemd_dir(), service);
        if (!path || !dir)
                return log_error("Out of memory"), NH_EXIT_FAILURE;

        ns = dropin_namespace(service);
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

/* ---- the namespace's stages ----------------------------------------- */

struct strv {
        char **v;
        size_t n;
};

static void strv_done(struct strv *s)
{
        for (size_t i = 0; i < s->n; i++)
                free(s->v[i]);
        free(s->v);
        *s = (struct strv) {};
}

static bool strv_contains(const struct strv *s, const char *x)
{
        for (size_t i = 0; i < s->n; i++)
                if (streq(s->v[i], x))
                        return true;
        return false;
}

static int strv_add(struct strv *s, const char *x)
{
        char **v;

        if (strv_contains(s, x))
                return 0;
        v = realloc(s->v, (s->n + 1) * sizeof(char *));
        if (!v)
                return -ENOMEM;
        s->v = v;
        s->v[s->n] = strdup(x);
        if (!s->v[s->n])
                return -ENOMEM;
        s->n++;
        return 0;
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The stages named on the command line, else those of the namespace's
 * configuration.  Logs; -EINVAL means a bad name or configuration. */
static int stages_of(const char *ns, int n_args, char **args, struct strv *ret, char **ret_config)
{
        struct nh_ns_config *c = NULL;
        int r;

        for (int i = 0; i < n_args; i++) {
                if (!stage_name_valid(args[i])) {
                        log_error("Invalid stage name \"%s\": expected 1-64 letters, digits, '-' and '_', starting with a letter or digit", args[i]);
                        return -EINVAL;
                }
                if (strv_add(ret, args[i]) < 0)
                        return -ENOMEM;
        }
        if (n_args > 0)
                return 0;

        r = nh_ns_config_load(conf_dir(), ns, &c);
        if (r < 0)
                return r == -ENOMEM ? r : -EINVAL;  /* the loader named the file and line */
        if (!c->exists) {
                log_error("Namespace %s has no configuration (%s/ns/%s.yaml or %s-macvlan.conf); "
                          "write one or name the stages", ns, conf_dir(), ns, ns);
                nh_ns_config_free(c);
                return -EINVAL;
        }
        if (ret_config)
                *ret_config = strdup(c->path);
        r = 0;
        for (size_t i = 0; i < c->n_stages && r == 0; i++) {
                if (!stage_name_valid(c->stages[i])) {
                        log_error("%s: invalid stage name \"%s\"", c->path, c->stages[i]);
                        r = -EINVAL;
                } else
                        r = strv_add(ret, c->stages[i]);
        }
        nh_ns_config_free(c);
        return r;
}

/* path -> target, as "systemctl enable" writes it; an existing link is
 * replaced, anything else is left alone. */
static int link_unit(const char *target, const char *path)
{
        struct stat st;
        char old[4096];
        ssize_t k;

        if (lstat(path, &st) == 0) {
                if (!S_ISLNK(st.st_mode)) {
                        log_error("%s exists and is not a symbolic link; not replacing it", path);
                        return -EEXIST;
                }
                k = readlink(path, old, sizeof old - 1);
                if (k >= 0) {
                        old[k] = '\0';
                        if (streq(old, target))
                                return 0;
                }
                if (unlink(path) < 0)
                        return log_error("Failed to replace %s: %m", path), -errno;
        }
        if (symlink(target, path) < 0)
                return log_error("Failed to create %s: %m", path), -errno;
        log_info("Created symlink %s -> %s", path, target);
        return 0;
}

static int unlink_unit(const char *path)
{
        struct stat st;

        if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
                return 0;
        if (unlink(path) < 0)
                return log_error("Failed to remove %s: %m", path), -errno;
        log_info("Removed %s", path);
        return 1;
}

/* Where a stage unit's link points: a template the administrator put in
 * SYSTEMD_DIR wins, as it does for systemd. */
static char *template_path(const char *tmpl)
{
        _cleanup_free_ char *local = strdup_printf("%s/%s", systemd_dir(), tmpl);
        char *dist = strdup_printf("%s/%s", unit_dir(), tmpl);

        if (local && access(local, F_OK) == 0) {
                free(dist);
                return take_ptr(&local);
        }
        if (dist && access(dist, F_OK) < 0)
                log_warning("No unit %s in %s or %s: a stage from outside netns-helper needs one "
                            "(copy netns-helper-STAGE@.service, see netns-helper.units(7))",
                            tmpl, unit_dir(), systemd_dir());
        return dist;
}

static int run_units(const char *verb, const struct strv *units)
{
        const char *args[24];
        size_t n = 0;

        if (units->n == 0)
                return 0;
        args[n++] = verb;
        for (size_t i = 0; i < units->n && n < ELEMENTSOF(args) - 1; i++)
                args[n++] = units->v[i];
        args[n] = NULL;
        return systemctl_run(args);
}

/* "netns-helper validate NS", quietly: NH_EXIT_OK or the exit code of the
 * errors it logged (file, line, key). */
static int verify_config(const char *ns)
{
        struct nh_engine *e = NULL;
        int r = nh_engine_new(&e);

        if (r == NH_EXIT_OK)
                r = nh_engine_verify(e, ns);
        nh_engine_free(e);
        return r;
}

static bool file_newer(const char *path, const struct timespec *than)
{
        struct stat st;

        return stat(path, &st) == 0 &&
               (st.st_mtim.tv_sec > than->tv_sec ||
                (st.st_mtim.tv_sec == than->tv_sec && st.st_mtim.tv_nsec > than->tv_nsec));
}

/* Did the file change after stage started (RUNDIR/NAME/up/STAGE, written
 * by the engine when it came up)?  false when it is not up. */
static bool changed_since(const char *ns, const char *stage, const char *config, bool *up)
{
        _cleanup_free_ char *p = strdup_printf("%s/%s/up/%s", run_dir(), ns, stage);
        struct stat st;

        *up = p && stat(p, &st) == 0;
        return *up && config && file_newer(config, &st.st_mtim);
}

/* enable, and reload: enable with restart. */
static int enable(int argc, char **argv, bool restart)
{
        _cleanup_free_ char *wants = NULL, *mu = NULL, *tlink = NULL, *ttarget = NULL, *config = NULL;
        struct strv stages = {}, removed = {};
        struct opts o;
        int r, ret = NH_EXIT_FAILURE;

        const char *ns = parse_ns_opts(argc, argv, !restart, false, 1, restart ? 1 : -1, &o, &r);
        if (!ns)
                return r;
        o.now = o.now || restart;
        r = stages_of(ns, argc - o.first - 1, argv + o.first + 1, &stages, &config);
        if (r < 0) {
                strv_done(&stages);
                return r == -EINVAL ? NH_EXIT_CONFIG : NH_EXIT_FAILURE;
        }
        /* The whole file, as "validate" checks it, before anything is
         * written: links to a namespace whose stages must fail would
         * start a target that says "active" while they do. */
        r = verify_config(ns);
        if (r != NH_EXIT_OK) {
                log_error("Not enabling namespace %s: its configuration has errors (above); nothing written. "
                          "\"netns-helper validate %s\" checks it again.", ns, ns);
                strv_done(&stages);
                return r;
        }

        /* Requires=, not Wants=: a stage that fails to start makes the
         * target's start fail, so that "systemctl is-active" of the target,
         * "netns-helper start" and "enable --now" say so. */
        wants = strdup_printf("%s/netns-helper@%s.target.requires", systemd_dir(), ns);
        mu = strdup_printf("%s/multi-user.target.wants", systemd_dir());
        tlink = strdup_printf("%s/multi-user.target.wants/netns-helper@%s.target", systemd_dir(), ns);
        ttarget = strdup_printf("%s/netns-helper@.target", unit_dir());
        if (!wants || !mu || !tlink || !ttarget)
                goto oom;
        r = mkdir_p(wants, 0755);
        if (r >= 0)
                r = mkdir_p(mu, 0755);
        if (r < 0) {
                log_error("Failed to create %s: %s", wants, strerror(-r));
                goto out;
        }

        for (size_t i = 0; i < stages.n; i++) {
                _cleanup_free_ char *unit = stage_unit(stages.v[i], ns);
                _cleanup_free_ char *tmpl = stage_unit(stages.v[i], NULL);
                _cleanup_free_ char *path = NULL, *target = NULL;

                if (!unit || !tmpl)
                        goto oom;
                path = strdup_printf("%s/%s", wants, unit);
                target = template_path(tmpl);
                if (!path || !target)
                        goto oom;
                if (link_unit(target, path) < 0)
                        goto out;
        }

        /* Without stages named, the links become exactly the configured
         * stages: a stage taken out of the configuration goes (also one
         * linked into .wants, by "systemctl enable" or an older netns-helper). */
        if (argc - o.first - 1 == 0) {
                _cleanup_free_ char *w = strdup_printf("%s/netns-helper@%s.target.wants", systemd_dir(), ns);
                const char *dirs[] = { wants, w };

                for (size_t k = 0; k < ELEMENTSOF(dirs) && dirs[k]; k++) {
                        DIR *d = opendir(dirs[k]);
                        struct dirent *de;

                        while (d && (de = readdir(d))) {
                                _cleanup_free_ char *st = unit_stage(de->d_name, ns);
                                _cleanup_free_ char *p = NULL;

                                if (!st || strv_contains(&stages, st))
                                        continue;
                                p = strdup_printf("%s/%s", dirs[k], de->d_name);
                                if (p && unlink_unit(p) > 0)
                                        strv_add(&removed, de->d_name);
                        }
                        if (d)
                                closedir(d);
                }
        }

        if (link_unit(ttarget, tlink) < 0)
                goto out;

        if (o.now) {
                _cleanup_free_ char *target = strdup_printf("netns-helper@%s.target", ns);
                if (!target)
                        goto oom;
                /* A restart of the target restarts every stage and, through
                 * the netns unit, the services bound to it: each stage
                 * starts from the file as it is now. */
                if (systemctl_run((const char *const[]) { "daemon-reload", NULL }) < 0 ||
                    run_units("stop", &removed) < 0 ||
                    systemctl_run((const char *const[]) { restart ? "restart" : "start", target, NULL }) < 0)
                        goto out;
        }
        /* "start" leaves running stages alone: say when they run from an
         * older file. */
        for (size_t i = 0; !restart && i < stages.n; i++) {
                bool up;
                if (changed_since(ns, stages.v[i], config, &up)) {
                        log_notice("%s changed after stage %s of namespace %s started: "
                                   "\"netns-helper reload %s\" applies it (restarts the namespace)",
                                   config, stages.v[i], ns, ns);
                        break;
                }
        }
        ret = NH_EXIT_OK;
        goto out;
oom:
        log_error("Out of memory");
out:
        strv_done(&stages);
        strv_done(&removed);
        return ret;
}

int nh_cmd_enable(int argc, char **argv)
{
        return enable(argc, argv, false);
}

int nh_cmd_reload(int argc, char **argv)
{
        return enable(argc, argv, true);
}

int nh_cmd_disable(int argc, char **argv)
{
        _cleanup_free_ char *wants = NULL, *requires = NULL, *mu = NULL;
        struct strv units = {};
        struct opts o;
        int r, ret = NH_EXIT_FAILURE;
        int n_stages;

        const char *ns = parse_ns_opts(argc, argv, true, false, 1, -1, &o, &r);
        if (!ns)
                return r;
        n_stages = argc - o.first - 1;
        for (int i = 0; i < n_stages; i++)
                if (!stage_name_valid(argv[o.first + 1 + i])) {
                        log_error("Invalid stage name \"%s\": expected 1-64 letters, digits, '-' and '_', starting with a letter or digit",
                                  argv[o.first + 1 + i]);
                        return NH_EXIT_CONFIG;
                }

        wants = strdup_printf("%s/netns-helper@%s.target.wants", systemd_dir(), ns);
        requires = strdup_printf("%s/netns-helper@%s.target.requires", systemd_dir(), ns);
        mu = strdup_printf("%s/multi-user.target.wants", systemd_dir());
        if (!wants || !requires || !mu)
                goto oom;

        if (n_stages > 0) {
                for (int i = 0; i < n_stages; i++) {
                        _cleanup_free_ char *unit = stage_unit(argv[o.first + 1 + i], ns);
                        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;

                        if (!unit)
                                goto oom;
                        a = strdup_printf("%s/%s", wants, unit);
                        b = strdup_printf("%s/%s", mu, unit);
                        c = strdup_printf("%s/%s", requires, unit);
                        if (!a || !b || !c || strv_add(&units, unit) < 0)
                                goto oom;
                        if (unlink_unit(a) < 0 || unlink_unit(b) < 0 || unlink_unit(c) < 0)
                                goto out;
                }
        } else {
                /* The whole namespace: the target's links, and stage units
                 * enabled the original way (systemctl enable
                 * netns-helper-macvlan@NS.service links them into
                 * multi-user.target). */
                const char *dirs[] = { wants, requires, mu };

                for (size_t k = 0; k < ELEMENTSOF(dirs); k++) {
                        DIR *d = opendir(dirs[k]);
                        struct dirent *de;

                        while (d && (de = readdir(d))) {
                                _cleanup_free_ char *st = unit_stage(de->d_name, ns);
                                _cleanup_free_ char *p = NULL;

                                if (!st)
                                        continue;
                                p = strdup_printf("%s/%s", dirs[k], de->d_name);
                                if (!p) {
                                        closedir(d);
                                        goto oom;
                                }
                                if (unlink_unit(p) < 0) {
                                        closedir(d);
                                        goto out;
                                }
                        }
                        if (d)
                                closedir(d);
                }
                _cleanup_free_ char *t = strdup_printf("%s/netns-helper@%s.target", mu, ns);
                _cleanup_free_ char *tu = strdup_printf("netns-helper@%s.target", ns);
                _cleanup_free_ char *nu = strdup_printf("netns-helper@%s.service", ns);
                if (!t || !tu || !nu || strv_add(&units, tu) < 0 || strv_add(&units, nu) < 0)
                        goto oom;
                if (unlink_unit(t) < 0)
                        goto out;
                if (rmdir(wants) < 0 && errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
                        log_warning("Failed to remove %s: %m", wants);
                if (rmdir(requires) < 0 && errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
                        log_warning("Failed to remove %s: %m", requires);
        }

        if (o.now && (systemctl_run((const char *const[]) { "daemon-reload", NULL }) < 0 ||
                      run_units("stop", &units) < 0))
                goto out;
        if (o.now) {
                /* A stage unit left failed keeps the system "degraded"
                 * after the namespace is gone: forget it.  For the whole
                 * namespace every stage unit (a glob, which systemctl
                 * expands over the loaded units), not only the configured
                 * ones.  Nothing failed, or a unit not loaded, is no
                 * failure here: its complaints are not shown. */
                _cleanup_free_ char *glob = strdup_printf("netns-helper*@%s.service", ns);
                _cleanup_free_ char *quiet = NULL;
                const char *args[24];
                size_t n = 0;

                if (!glob)
                        goto oom;
                args[n++] = "reset-failed";
                if (n_stages == 0) {
                        args[n++] = units.v[0];         /* the target */
                        args[n++] = glob;
                } else
                        for (size_t i = 0; i < units.n && n < ELEMENTSOF(args) - 1; i++)
                                args[n++] = units.v[i];
                args[n] = NULL;
                (void) systemctl(&quiet, args);
        }
        ret = NH_EXIT_OK;
        goto out;
oom:
        log_error("Out of memory");
out:
        strv_done(&units);
        return ret;
}

/* ---- start / stop / restart ----------------------------------------- */

static int namespace_verb(int argc, char **argv, const char *verb, bool with_netns)
{
        _cleanup_free_ char *target = NULL, *netns = NULL;
        struct opts o;
        int r;

        const char *ns = parse_ns_opts(argc, argv, false, false, 1, 1, &o, &r);
        if (!ns)
                return r;
        target = strdup_printf("netns-helper@%s.target", ns);
        netns = strdup_printf("netns-helper@%s.service", ns);
        if (!target || !netns)
                return log_error("Out of memory"), NH_EXIT_FAILURE;
        /* Stopping the netns unit also stops what is bound to it: the
         * stages and the services added with "netns-helper add". */
        r = systemctl_run(with_netns ? (const char *const[]) { verb, target, netns, NULL }
                                     : (const char *const[]) { verb, target, NULL });
        return r < 0 ? NH_EXIT_FAILURE : NH_EXIT_OK;
}

int nh_cmd_start(int argc, char **argv)
{
        return namespace_verb(argc, argv, "start", false);
}

int nh_cmd_stop(int argc, char **argv)
{
        return namespace_verb(argc, argv, "stop", true);
}

int nh_cmd_restart(int argc, char **argv)
{
        return namespace_verb(argc, argv, "restart", false);
}

/* ---- status ----------------------------------------------------------- */

struct fact {
        char *key, *value;
};

struct stage_status {
        char *stage, *unit, *state;
        bool configured;        /* in the file's stage list (else only linked) */
        bool up;                /* RUNDIR/NAME/up/STAGE: up, whoever started it */
        bool restarting;        /* activating again after a failure (Restart=) */
};

struct ns_status {
        char *name;
        bool known;             /* a file, links, a run directory or the namespace */
        char *config;           /* the file read, NULL when none */
        bool config_ok;
        bool exists;            /* /run/netns/NAME */
        bool enabled;           /* linked into multi-user.target */
        bool changed;           /* the file is newer than a stage that is up */
        char *target_state;
        struct stage_status *st;
        size_t n_st;
        struct strv services, service_states;
        struct fact *facts;
        size_t n_facts;
        struct strv addresses;  /* of the interface */
        struct strv links;      /* "IFNAME ADDR..." of the namespace's other links */
        bool addresses_known;
        const char *state;      /* what it all adds up to: state_of() */
        char why[256];
};

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
        strv_done(&s->services);
        strv_done(&s->service_states);
        for (size_t i = 0; i < s->n_facts; i++) {
                free(s->facts[i].key);
                free(s->facts[i].value);
        }
        free(s->facts);
        strv_done(&s->addresses);
        strv_done(&s->links);
}

/* strv_add() without the de-duplication: states repeat. */
static int strv_push(struct strv *s, const char *x)
{
        char **v = realloc(s->v, (s->n + 1) * sizeof(char *));

        if (!v)
                return -ENOMEM;
        s->v = v;
        s->v[s->n] = strdup(x ? x : "");
        if (!s->v[s->n])
                return -ENOMEM;
        s->n++;
        return 0;
}

static const char *fact(const struct ns_status *s, const char *key)
{
        for (size_t i = 0; i < s->n_facts; i++)
                if (streq(s->facts[i].key, key))
                        return s->facts[i].value;
        return NULL;
}

/* Facts are files RUNDIR/NAME/facts/KEY, one value each. */
static void read_facts(struct ns_status *s)
{
        _cleanup_free_ char *dir = strdup_printf("%s/%s/facts", run_dir(), s->name);
        struct dirent *de;
        DIR *d;

        if (!dir || !(d = opendir(dir)))
                return;
        while ((de = readdir(d))) {
                _cleanup_free_ char *p = NULL;
                char *v = NULL;
                struct fact *f;
                size_t len;

                if (de->d_name[0] == '.')
                        continue;
                p = strdup_printf("%s/%s", dir, de->d_name);
                if (!p || read_file(p, &v, &len) < 0)
                        continue;
                while (len > 0 && (v[len - 1] == '\n' || v[len - 1] == '\r'))
                        v[--len] = '\0';
                f = realloc(s->facts, (s->n_facts + 1) * sizeof *f);
                if (!f) {
                        free(v);
                        break;
                }
                s->facts = f;
                s->facts[s->n_facts].key = strdup(de->d_name);
                s->facts[s->n_facts].value = v;
                if (!s->facts[s->n_facts].key) {
                        free(v);
                        break;
                }
                s->n_facts++;
        }
        closedir(d);
        qsort(s->facts, s->n_facts, sizeof *s->facts, cmp_str);
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
        return x ? strv_push(links, x) : -ENOMEM;
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
                        strv_add(&s->addresses, buf);
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
        *n = (struct stage_status) { .stage = strdup(stage), .unit = stage_unit(stage, s->name) };
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

        for (size_t i = 0; i < n; i++) {
                struct nh_plugin_rec *rec = e ? nh_registry_get(nh_engine_registry(e), s->st[i].stage) : NULL;
                order[i] = rec && rec->desc ? rec->order : INT_MAX;
        }
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

        if (nh_ns_config_load(conf_dir(), s->name, &c) >= 0) {
                s->config_ok = true;
                if (c->exists) {
                        s->config = strdup(c->path);
                        s->known = true;
                        for (size_t i = 0; i < c->n_stages; i++) {
                                struct stage_status *t = stage_name_valid(c->stages[i]) ?
                                                         stage_entry(s, c->stages[i]) : NULL;
                                if (t)
                                        t->configured = true;
                        }
                }
                nh_ns_config_free(c);
        }
        for (size_t k = 0; k < 2; k++) {
                _cleanup_free_ char *dir = strdup_printf("%s/netns-helper@%s.target.%s", systemd_dir(),
                                                         s->name, k ? "requires" : "wants");
                DIR *d = dir ? opendir(dir) : NULL;
                struct dirent *de;

                while (d && (de = readdir(d))) {
                        _cleanup_free_ char *st = unit_stage(de->d_name, s->name);
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
                if (changed_since(s->name, s->st[i].stage, s->config, &s->st[i].up))
                        s->changed = true;
}

/* The services "netns-helper add" put into the namespace: a drop-in of
 * ours naming it. */
static void collect_services(struct ns_status *s)
{
        DIR *d = opendir(systemd_dir());
        struct dirent *de;

        while (d && (de = readdir(d))) {
                size_t n = strlen(de->d_name);
                _cleanup_free_ char *svc = NULL, *in = NULL;

                if (!ends_with(de->d_name, ".service.d"))
                        continue;
                svc = strndup(de->d_name, n - strlen(".d"));
                in = svc ? dropin_namespace(svc) : NULL;
                if (in && streq(in, s->name))
                        strv_add(&s->services, svc);
        }
        if (d)
                closedir(d);
        qsort(s->services.v, s->services.n, sizeof(char *), cmp_str);
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
        (void) systemctl(&out, args);   /* non-zero when a unit is inactive */

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
                (void) systemctl(&sub, (const char *const[]) { "show", "-P", "SubState", s->st[k].unit, NULL });
                (void) systemctl(&nr, (const char *const[]) { "show", "-P", "NRestarts", s->st[k].unit, NULL });
                s->st[k].restarting = (sub && strncmp(sub, "auto-restart", strlen("auto-restart")) == 0) ||
                                      (nr && strtol(nr, NULL, 10) > 0);
        }
        for (k = 0; k < s->services.n; k++) {
                line = line ? strtok_r(NULL, "\n", &save) : NULL;
                strv_push(&s->service_states, line ? line : "unknown");
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
                                               systemd_dir(), ns);
        _cleanup_free_ char *rd = strdup_printf("%s/%s", run_dir(), ns);
        const char *ifname;
        struct stat st;

        *s = (struct ns_status) { .name = strdup(ns) };
        if (!s->name || !p || !l || !rd)
                return -ENOMEM;
        s->exists = access(p, F_OK) == 0;
        s->enabled = lstat(l, &st) == 0;
        s->known = s->exists || s->enabled || access(rd, F_OK) == 0 || namespace_known(ns);
        collect_stages(s, e);
        collect_services(s);
        collect_states(s);
        read_facts(s);
        ifname = fact(s, NH_FACT_INTERFACE);
        if (s->exists)
                (void) read_addresses(s, ifname);
        state_of(s);
        return 0;
}

/* Every namespace with a configuration, a run directory or links. */
static int list_namespaces(struct strv *ret)
{
        const char *dirs[3];
        _cleanup_free_ char *nsdir = strdup_printf("%s/ns", conf_dir());

        if (!nsdir)
                return -ENOMEM;
        dirs[0] = nsdir;
        dirs[1] = run_dir();
        dirs[2] = systemd_dir();
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
                        if (k == 0 && ends_with(x, ".yaml"))
                                name = strndup(x, n - strlen(".yaml"));
                        else if (k == 0 && ends_with(x, "-macvlan.conf"))
                                name = strndup(x, n - strlen("-macvlan.conf"));
                        else if (k == 1 && de->d_type == DT_DIR)
                                name = strdup(x);
                        else if (k == 2 && strncmp(x, pre, strlen(pre)) == 0 &&
                                 (ends_with(x, ".target.requires") || ends_with(x, ".target.wants"))) {
                                const char *suf = ends_with(x, ".wants") ? ".target.wants" : ".target.requires";
                                if (n > strlen(pre) + strlen(suf))
                                        name = strndup(x + strlen(pre), n - strlen(pre) - strlen(suf));
                        }
                        if (name && nh_namespace_name_check(name, why, sizeof why) == 0)
                                strv_add(ret, name);
                }
                if (d)
                        closedir(d);
        }
        qsort(ret->v, ret->n, sizeof(char *), cmp_str);
        return 0;
}

static void json_str(FILE *f, const char *s)
{
        if (!s) {
                fputs("null", f);
                return;
        }
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
                if (*p == '"' || *p == '\\')
                        fprintf(f, "\\%c", *p);
                else if (*p < 0x20 || *p >= 0x7f)
                        /* Bytes, not characters: keeps the output valid
                         * JSON whatever a fact file holds. */
                        fprintf(f, "\\u%04x", *p);
                else
                        fputc(*p, f);
        }
        fputc('"', f);
}

/* Facts "STAGE.KEY" are a stage's own (its lease, its state), whatever the
 * stage: status shows them grouped by STAGE, with no code for any stage.
 * The length of STAGE, 0 for a fact of the namespace ("interface"). */
static size_t fact_stage_len(const char *key)
{
        const char *dot = strchr(key, '.');

        return dot && dot > key ? (size_t) (dot - key) : 0;
}

/* The facts of one stage are adjacent (sorted by key, the '.' right after
 * the stage's name): [*i, returned index). */
static size_t fact_group_end(const struct ns_status *s, size_t i)
{
        size_t n = fact_stage_len(s->facts[i].key), j = i + 1;

        while (j < s->n_facts && fact_stage_len(s->facts[j].key) == n &&
               strncmp(s->facts[j].key, s->facts[i].key, n) == 0)
                j++;
        return j;
}

/* A fact whose key ends in ".expires" is a time: decimal seconds since
 * the Epoch, or "infinite" for a lease that never ends.  1: a time (*t),
 * 0: infinite, -1: not a time. */
static int fact_time(const char *key, const char *value, long long *t)
{
        char *end;

        if (!ends_with(key, ".expires") || !value || !*value)
                return -1;
        if (streq(value, "infinite"))
                return 0;
        errno = 0;
        *t = strtoll(value, &end, 10);
        return errno == 0 && *end == '\0' && *t >= 0 ? 1 : -1;
}

static void print_json(FILE *f, const struct ns_status *all, size_t n)
{
        fputs("{\n  \"namespaces\": [", f);
        for (size_t i = 0; i < n; i++) {
                const struct ns_status *s = &all[i];
                const char *sep = "";

                fputs(i ? ",\n    {" : "\n    {", f);
                fputs("\n      \"name\": ", f);
                json_str(f, s->name);
                fputs(",\n      \"state\": ", f);
                json_str(f, s->state);
                fputs(",\n      \"why\": ", f);
                json_str(f, s->why[0] ? s->why : NULL);
                fputs(",\n      \"config\": ", f);
                json_str(f, s->config);
                fprintf(f, ",\n      \"config_changed\": %s", s->changed ? "true" : "false");
                fprintf(f, ",\n      \"exists\": %s,\n      \"enabled\": %s,\n      \"target\": ",
                        s->exists ? "true" : "false", s->enabled ? "true" : "false");
                json_str(f, s->target_state);
                fputs(",\n      \"stages\": [", f);
                for (size_t k = 0; k < s->n_st; k++) {
                        fputs(k ? ", {\"stage\": " : "{\"stage\": ", f);
                        json_str(f, s->st[k].stage);
                        fputs(", \"unit\": ", f);
                        json_str(f, s->st[k].unit);
                        fputs(", \"state\": ", f);
                        json_str(f, s->st[k].state ? s->st[k].state : "unknown");
                        fprintf(f, ", \"configured\": %s, \"up\": %s}", s->st[k].configured ? "true" : "false",
                                s->st[k].up ? "true" : "false");
                }
                fputs("],\n      \"services\": [", f);
                for (size_t k = 0; k < s->services.n; k++) {
                        fputs(k ? ", {\"unit\": " : "{\"unit\": ", f);
                        json_str(f, s->services.v[k]);
                        fputs(", \"state\": ", f);
                        json_str(f, k < s->service_states.n ? s->service_states.v[k] : "unknown");
                        fputc('}', f);
                }
                fputs("],\n      \"interface\": ", f);
                json_str(f, fact(s, NH_FACT_INTERFACE));
                fputs(",\n      \"addresses\": ", f);
                if (!s->addresses_known)
                        fputs("null", f);
                else {
                        fputc('[', f);
                        for (size_t k = 0; k < s->addresses.n; k++) {
                                if (k)
                                        fputs(", ", f);
                                json_str(f, s->addresses.v[k]);
                        }
                        fputc(']', f);
                }
                fputs(",\n      \"links\": {", f);
                for (size_t k = 0; k < s->links.n; k++) {
                        const char *l = s->links.v[k];
                        size_t w = strcspn(l, " ");
                        _cleanup_free_ char *name = strndup(l, w);

                        fputs(k ? ", " : "", f);
                        json_str(f, name);
                        fputs(": [", f);
                        /* "IFNAME ADDR ADDR...": the addresses as a list. */
                        for (const char *a = l + w; *(a += strspn(a, " ")); ) {
                                size_t m = strcspn(a, " ");
                                _cleanup_free_ char *one = strndup(a, m);

                                fputs(a == l + w + 1 ? "" : ", ", f);
                                json_str(f, one);
                                a += m;
                        }
                        fputc(']', f);
                }
                fputc('}', f);
                fputs(",\n      \"stage_facts\": {", f);
                for (size_t k = 0, end; k < s->n_facts; k = end) {
                        size_t len = fact_stage_len(s->facts[k].key);
                        _cleanup_free_ char *stage = NULL;

                        end = fact_group_end(s, k);
                        if (len == 0)
                                continue;       /* the namespace's: in "facts" */
                        stage = strndup(s->facts[k].key, len);
                        fputs(sep, f);
                        sep = ", ";
                        json_str(f, stage);
                        fputs(": {", f);
                        for (size_t j = k; j < end; j++) {
                                long long t;
                                int kind = fact_time(s->facts[j].key, s->facts[j].value, &t);

                                fputs(j > k ? ", " : "", f);
                                json_str(f, s->facts[j].key + len + 1);
                                fputs(": ", f);
                                if (kind > 0)
                                        fprintf(f, "%lld", t);
                                else
                                        json_str(f, kind == 0 ? "infinite" : s->facts[j].value);
                        }
                        fputc('}', f);
                }
                fputc('}', f);
                fputs(",\n      \"facts\": {", f);
                for (size_t k = 0; k < s->n_facts; k++) {
                        if (k)
                                fputs(", ", f);
                        json_str(f, s->facts[k].key);
                        fputs(": ", f);
                        json_str(f, s->facts[k].value);
                }
                fputs("}\n    }", f);
        }
        fputs(n ? "\n  ]\n}\n" : "]\n}\n", f);
}

/* One value in words: a time fact as a date and how far away it is. */
static void print_fact_value(FILE *f, const char *key, const char *value)
{
        char when[64] = "";
        long long t;
        int kind = fact_time(key, value, &t);

        if (kind == 0) {
                fputs("never (infinite)", f);
                return;
        }
        if (kind < 0) {
                fputs(value, f);
                return;
        }
        time_t tt = (time_t) t;
        struct tm tm;
        long long left = t - (long long) time(NULL);

        if (gmtime_r(&tt, &tm))
                strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
        fprintf(f, "%s (%s%llds)", when, left < 0 ? "expired " : "in ", left < 0 ? -left : left);
}

/* A stage's facts on one line: its address first (what a lease is
 * about), then "KEY VALUE" for each of the others. */
static void print_stage_facts(FILE *f, const struct ns_status *s, size_t from, size_t end, int w)
{
        size_t len = fact_stage_len(s->facts[from].key);
        const char *sep = "";

        fprintf(f, "  %-*.*s ", w, (int) len, s->facts[from].key);
        for (size_t j = from; j < end; j++)
                if (streq(s->facts[j].key + len + 1, "address")) {
                        fputs(s->facts[j].value, f);
                        sep = ", ";
                }
        for (size_t j = from; j < end; j++) {
                const char *k = s->facts[j].key + len + 1;

                if (streq(k, "address"))
                        continue;
                fprintf(f, "%s%s ", sep, k);
                print_fact_value(f, s->facts[j].key, s->facts[j].value);
                sep = ", ";
        }
        fputc('\n', f);
}

/* Every fact but the interface's (on its own line): the namespace's own
 * ("tunnel"), then each stage's. */
static void print_facts(FILE *f, const struct ns_status *s, int w)
{
        for (size_t k = 0; k < s->n_facts; k++)
                if (fact_stage_len(s->facts[k].key) == 0 && !streq(s->facts[k].key, NH_FACT_INTERFACE) &&
                    !streq(s->facts[k].key, NH_FACT_MAC))
                        fprintf(f, "  %-*s %s\n", w, s->facts[k].key, s->facts[k].value);
        for (size_t k = 0, end; k < s->n_facts; k = end) {
                end = fact_group_end(s, k);
                if (fact_stage_len(s->facts[k].key) > 0)
                        print_stage_facts(f, s, k, end, w);
        }
}

static void print_text(FILE *f, const struct ns_status *all, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                const struct ns_status *s = &all[i];
                const char *ifname = fact(s, NH_FACT_INTERFACE), *mac = fact(s, NH_FACT_MAC);
                int w = 10, wu = 10;

                /* Columns as wide as the longest stage and unit name. */
                for (size_t k = 0; k < s->n_st; k++) {
                        if ((int) strlen(s->st[k].stage) > w)
                                w = (int) strlen(s->st[k].stage);
                        if ((int) strlen(s->st[k].unit) > wu)
                                wu = (int) strlen(s->st[k].unit);
                }
                for (size_t k = 0; k < s->services.n; k++)
                        if ((int) strlen(s->services.v[k]) > wu)
                                wu = (int) strlen(s->services.v[k]);
                for (size_t k = 0; k < s->n_facts; k++) {
                        size_t len = fact_stage_len(s->facts[k].key);
                        if (len == 0)
                                len = strlen(s->facts[k].key);
                        if ((int) len > w)
                                w = (int) len;
                }
                if (i)
                        fputc('\n', f);
                fprintf(f, "netns-helper@%s.target: %s%s\n", s->name, s->target_state,
                        s->enabled ? " (enabled)" : "");
                fprintf(f, "  %-*s %s%s%s%s\n", w, "state", s->state, s->why[0] ? ": " : "", s->why,
                        streq(s->state, "up") ? " (brought up by \"netns-helper up\", not by systemd)" : "");
                fprintf(f, "  %-*s " RUN_NETNS "/%s%s\n", w, "namespace", s->name, s->exists ? "" : " (absent)");
                fprintf(f, "  %-*s %s\n", w, "config", s->config ? s->config : "(none)");
                if (s->changed)
                        fprintf(f, "  %-*s the file changed after the stages started: \"netns-helper reload %s\" "
                                "applies it\n", w, "changed", s->name);
                for (size_t k = 0; k < s->n_st; k++) {
                        const struct stage_status *t = &s->st[k];
                        const char *st = t->state ? t->state : "unknown";
                        fprintf(f, "  %-*s %-*s %s%s%s%s\n", w, t->stage, wu, t->unit, st,
                                t->restarting ? " (failed, to be restarted)" : "",
                                !streq(st, "active") && t->up ? " (up, outside systemd)" : "",
                                t->configured ? "" : " (enabled, not in the configuration)");
                }
                for (size_t k = 0; k < s->services.n; k++)
                        fprintf(f, "  %-*s %-*s %s\n", w, "service", wu, s->services.v[k],
                                k < s->service_states.n ? s->service_states.v[k] : "unknown");
                if (ifname)
                        fprintf(f, "  %-*s %s%s%s%s\n", w, "interface", ifname, mac ? " (" : "", mac ? mac : "",
                                mac ? ")" : "");
                if (s->addresses_known && ifname) {
                        fprintf(f, "  %-*s", w, "addresses");
                        for (size_t k = 0; k < s->addresses.n; k++)
                                fprintf(f, " %s", s->addresses.v[k]);
                        fputs(s->addresses.n ? "\n" : " (none)\n", f);
                }
                for (size_t k = 0; k < s->links.n; k++)
                        fprintf(f, "  %-*s %s\n", w, "link", s->links.v[k]);
                print_facts(f, s, w);
        }
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

        r = parse_opts(argc, argv, false, true, 0, -1, &o);
        if (r >= 0)
                return r;
        for (int i = o.first; i < argc; i++) {
                r = nh_check_namespace_name(argv[i]);
                if (r != NH_EXIT_OK)
                        return r;
        }
        if (argc > o.first) {
                for (int i = o.first; i < argc && r >= 0; i++)
                        r = strv_add(&names, argv[i]);
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
                        log_error("No namespace %s: no configuration (%s/ns/%s.yaml or %s-macvlan.conf), "
                                  "not enabled, not running", s.name, conf_dir(), s.name, s.name);
                        unknown = true;
                        ns_status_done(&s);
                        continue;
                }
                bad = bad || streq(s.state, "degraded") || streq(s.state, "failed");
                all[n++] = s;
        }
        if (o.json)
                print_json(stdout, all, n);
        else if (names.n == 0)
                printf("No namespaces: none is configured in %s/ns, enabled in %s or running.\n",
                       conf_dir(), systemd_dir());
        else
                print_text(stdout, all, n);
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
        strv_done(&names);
        nh_engine_free(e);
        return ret;
}
