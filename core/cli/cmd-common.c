/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the systemd-facing subcommands share (cmd-common.h): the
 * directories, the unit names of stages, running systemctl, options. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "cli/cmd-common.h"
#include "config/names.h"
#include "engine/engine.h"
#include "engine/exitcodes.h"
#include "legacy/legacy.h"

static const char *env_or(const char *name, const char *def)
{
        const char *v = getenv(name);
        return v && *v ? v : def;
}

const char *svc_systemd_dir(void)
{
        return env_or("NETNS_HELPER_SYSTEMD_DIR", "/etc/systemd/system");
}

const char *svc_systemctl_path(void)
{
        return env_or("NETNS_HELPER_SYSTEMCTL", "systemctl");
}

const char *svc_unit_dir(void)
{
        return env_or("NETNS_HELPER_UNITDIR", NH_UNITDIR);
}

bool svc_ends_with(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* A name without any '.' gets ".service" (names.h: a name with a '.'
 * must carry a unit type, so "foo.sevrice" is refused, not completed).
 * Only services can be put in a namespace: NetworkNamespacePath= is an
 * execution setting. */
int svc_service_name(const char *arg, char **ret)
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
        if (!svc_ends_with(name, ".service")) {
                log_error("\"%s\" is not a service: only services (.service) can be put in a namespace", arg);
                return -EINVAL;
        }
        *ret = take_ptr(&name);
        return 0;
}

/* The unit of a stage: the original tool's names for the built-in ones
 * ("dhcp4" runs as netns-helper-dhcp@), netns-helper-STAGE@ for the rest.
 * ns NULL gives the template. */
char *svc_stage_unit(const char *stage, const char *ns)
{
        return nh_legacy_stage_unit(stage, ns);
}

/* The inverse, for links found in a .wants directory: the stage of
 * "netns-helper[-X]@NS.service", or NULL when it is not one of ours. */
char *svc_unit_stage(const char *unit, const char *ns)
{
        return nh_legacy_unit_stage(unit, ns);
}

/* Runs systemctl with args (NULL-ended).  With out, its stdout is
 * collected there (malloc'ed).  Returns its exit status, or -errno. */
int svc_systemctl(char **out, const char *const *args)
{
        const char *argv[32];
        size_t n = 0;
        int pipefd[2] = { -1, -1 };
        pid_t pid;
        int status;

        argv[n++] = svc_systemctl_path();
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
int svc_systemctl_run(const char *const *args)
{
        char line[512] = "";
        int r;

        for (const char *const *a = args; *a; a++) {
                strncat(line, " ", sizeof line - strlen(line) - 1);
                strncat(line, *a, sizeof line - strlen(line) - 1);
        }
        log_debug("Running %s%s", svc_systemctl_path(), line);
        r = svc_systemctl(NULL, args);
        if (r < 0) {
                log_error("Failed to run %s%s: %s", svc_systemctl_path(), line, strerror(-r));
                return r;
        }
        if (r > 0) {
                log_error("\"%s%s\" failed with exit status %d", svc_systemctl_path(), line, r);
                return -EIO;
        }
        return 0;
}

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
                { "status", "[NAMESPACE...] [--json]",
                  "Each stage unit's state, the services added, the interface, its\n"
                  "addresses and every stage's facts (a lease, a router) of each\n"
                  "NAMESPACE (all configured namespaces by default). Exit status 1 when\n"
                  "one is degraded or failed, 3 for an unknown name." },
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
int svc_parse_opts(int argc, char **argv, bool allow_now, bool allow_json,
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

/* svc_parse_opts(), then argv[o->first] as a namespace name.  NULL, with *ret
 * the exit status, when the command ends here (help, usage, a bad name). */
const char *svc_parse_ns_opts(int argc, char **argv, bool allow_now, bool allow_json,
                                 int min_args, int max_args, struct opts *o, int *ret)
{
        int r = svc_parse_opts(argc, argv, allow_now, allow_json, min_args, max_args, o);

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

void svc_strv_done(struct strv *s)
{
        for (size_t i = 0; i < s->n; i++)
                free(s->v[i]);
        free(s->v);
        *s = (struct strv) {};
}

bool svc_strv_contains(const struct strv *s, const char *x)
{
        for (size_t i = 0; i < s->n; i++)
                if (streq(s->v[i], x))
                        return true;
        return false;
}

int svc_strv_add(struct strv *s, const char *x)
{
        char **v;

        if (svc_strv_contains(s, x))
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

/* svc_strv_add() without the de-duplication: states repeat. */
int svc_strv_push(struct strv *s, const char *x)
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

int svc_cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}
