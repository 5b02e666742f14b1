/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The dhclient4 and dhclient6 plugins: the dhcp4 and dhcp6 stages done by
 * ISC dhclient, as the original netns-helper did, built twice from this
 * file (DHC_FAMILY 4 or 6).
 *
 * start() runs "dhclient -4|-6 -d" inside the namespace with
 * netns-helper-dhclient-handler as its -sf script, supervises it, and
 * listens on a datagram socket in the run directory for the leases the
 * handler has configured.  DNS and facts are set here, through the core,
 * so nothing reaches the host's /etc.  dhclient itself runs in a private
 * mount namespace in which /etc/netns/NAME's files cover /etc's, as under
 * "ip netns exec", and the stock dhclient-script (which writes a temporary
 * file into the real /etc, FIELD-NOTES) never runs.
 */
#include "config.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "netns-helper/plugin.h"
#include "lease.h"
#include "nl.h"
#include <netns-helper/sdk.h>

#if DHC_FAMILY == 4
#  define PLUGIN_NAME   "dhclient4"
#  define STAGE         "dhcp4"
#  define ORDER         NH_ORDER_DHCP4
#  define FAMILY        AF_INET
#  define FAMILY_FLAG   "-4"
#  define FAMILY_ENV    "NH_DHCLIENT_FAMILY=4"
#  define PROTO         "DHCPv4"
#  define CONF_SUFFIX   "-dhclient.conf"
#  define FACT_ADDRESS  NH_FACT_DHCP4_ADDRESS
#  define FACT_EXPIRES  NH_FACT_DHCP4_EXPIRES
#elif DHC_FAMILY == 6
#  define PLUGIN_NAME   "dhclient6"
#  define STAGE         "dhcp6"
#  define ORDER         NH_ORDER_DHCP6
#  define FAMILY        AF_INET6
#  define FAMILY_FLAG   "-6"
#  define FAMILY_ENV    "NH_DHCLIENT_FAMILY=6"
#  define PROTO         "DHCPv6"
#  define CONF_SUFFIX   "-dhclient6.conf"
#  define FACT_ADDRESS  NH_FACT_DHCP6_ADDRESS
#  define FACT_EXPIRES  NH_FACT_DHCP6_EXPIRES
#else
#  error "DHC_FAMILY must be 4 or 6"
#endif

#define HANDLER_NAME "netns-helper-dhclient-handler"
#define DEFAULT_DHCLIENT "/sbin/dhclient"
#define DEFAULT_TIMEOUT 30
#define KILL_WAIT_MS 5000
#define RELEASE_WAIT_MS 10000

static const struct nh_key keys[] = {
        { "interface", NH_T_IFNAME, 0, 0, 0, NULL,
          "the interface inside the namespace (default: the one the macvlan stage made)" },
        { "timeout", NH_T_INT, 0, 1, 86400, NULL,
          "seconds to wait for the first lease before start fails (default 30)" },
        { "release", NH_T_BOOL, 0, 0, 0, NULL,
          "release the lease on stop, with \"dhclient -r\" (default yes)" },
        { "dns", NH_T_BOOL, 0, 0, 0, NULL,
          "write the name servers and search domains to /etc/netns/NAME/resolv.conf (default yes)" },
        { "nsswitch", NH_T_BOOL, 0, 0, 0, NULL,
          "also write /etc/netns/NAME/nsswitch.conf with resolve replaced by dns (default no)" },
        { "dhclient", NH_T_PATH, 0, 0, 0, NULL,
          "the ISC dhclient program (default " DEFAULT_DHCLIENT ")" },
#if DHC_FAMILY == 6
        /* The dhcp6 plugin's key, so a config can switch implementations;
         * dhclient has no way to skip the delay. */
        { "solicit-delay", NH_T_BOOL, 0, 0, 0, NULL,
          "accepted for configs written for the dhcp6 plugin; dhclient always waits 0-1 s before its first Solicit (RFC 8415 section 18.2.1)" },
#endif
        { NULL, 0, 0, 0, 0, NULL, NULL },
};

struct cfg {
        const char *ifname;
        long long timeout;
        int release, dns, nsswitch;
        const char *dhclient;
        char handler[PATH_MAX];
        char pid_path[PATH_MAX];
        char lease_path[PATH_MAX];
        char sock_path[PATH_MAX];
        char conf_path[PATH_MAX];
        bool have_conf;
};

static long long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int pidfd_open_(pid_t pid)
{
#ifdef SYS_pidfd_open
        int fd = (int) syscall(SYS_pidfd_open, pid, 0);
        return fd < 0 ? -errno : fd;
#else
        return -ENOSYS;
#endif
}

/* Where the handler is: the environment (tests run from the build tree),
 * the installed one, or the one built next to this module (libtool puts
 * the module in .libs/, the program one level up). */
static int find_handler(char *buf, size_t size)
{
        const char *env = getenv("NETNS_HELPER_DHCLIENT_HANDLER");
        char b1[PATH_MAX];
        Dl_info info;

        if (env && *env) {
                snprintf(buf, size, "%s", env);
                return access(buf, X_OK) < 0 ? -errno : 0;
        }
        snprintf(buf, size, "%s/%s", NH_LIBEXECDIR, HANDLER_NAME);
        if (access(buf, X_OK) == 0)
                return 0;
        /* The core loads a module through /proc/self/fd/N: resolve it. */
        if (dladdr((void *) find_handler, &info) && info.dli_fname &&
            realpath(info.dli_fname, b1)) {
                const char *slash = strrchr(b1, '/');
                int n = slash ? (int) (slash - b1) : 0;
                char b2[PATH_MAX + 64];
                snprintf(b2, sizeof b2, "%.*s/../%s", n, b1, HANDLER_NAME);
                if (slash && n > 6 && !strncmp(slash - 6, "/.libs", 6) && access(b2, X_OK) == 0) {
                        snprintf(buf, size, "%s", b2);
                        return 0;
                }
        }
        snprintf(buf, size, "%s/%s", NH_LIBEXECDIR, HANDLER_NAME);
        return -ENOENT;
}

static int load_cfg(struct nh_ctx *ctx, struct cfg *c)
{
        const char *ns = nh_namespace(ctx);
        long long t = DEFAULT_TIMEOUT;
        int r;

        memset(c, 0, sizeof *c);
        c->release = 1;
        c->dns = 1;
        c->nsswitch = 0;
        c->ifname = nh_cfg_str(ctx, "interface");
        if (!c->ifname)
                c->ifname = nh_fact_get(ctx, NH_FACT_INTERFACE);
        if (!c->ifname)
                return nh_cfg_error(ctx, "interface",
                                    "no interface: set %s.interface or start the macvlan stage first", STAGE);
        if (nh_cfg_int(ctx, "timeout", 0, &t) < 0)
                return -EINVAL;
        c->timeout = t;
        if (nh_cfg_bool(ctx, "release", 0, &c->release) < 0 ||
            nh_cfg_bool(ctx, "dns", 0, &c->dns) < 0 ||
            nh_cfg_bool(ctx, "nsswitch", 0, &c->nsswitch) < 0)
                return -EINVAL;
        c->dhclient = nh_cfg_str(ctx, "dhclient");
        if (!c->dhclient)
                c->dhclient = DEFAULT_DHCLIENT;

        r = find_handler(c->handler, sizeof c->handler);
        if (r < 0) {
                nh_err(ctx, "Cannot find the dhclient script %s (set NETNS_HELPER_DHCLIENT_HANDLER): %s",
                       c->handler, strerror(-r));
                return r;
        }
        if (!nh_run_dir(ctx) || !nh_state_dir(ctx)) {
                nh_err(ctx, "Failed to create the run or state directory of %s", ns);
                return -EIO;
        }
        snprintf(c->pid_path, sizeof c->pid_path, "%s/%s.pid", nh_run_dir(ctx), PLUGIN_NAME);
        snprintf(c->sock_path, sizeof c->sock_path, "%s/%s.sock", nh_run_dir(ctx), PLUGIN_NAME);
        snprintf(c->lease_path, sizeof c->lease_path, "%s/%s.leases", nh_state_dir(ctx), PLUGIN_NAME);
        snprintf(c->conf_path, sizeof c->conf_path, "%s/ns/%s%s", nh_config_dir(ctx), ns, CONF_SUFFIX);
        c->have_conf = access(c->conf_path, R_OK) == 0;
        return 0;
}

/* In the child, before exec: the namespace as "ip netns exec" makes it. */
static void enter_namespace(int netns_fd, const char *etc_netns)
{
        DIR *d;
        struct dirent *de;

        if (setns(netns_fd, CLONE_NEWNET) < 0) {
                fprintf(stderr, "%s: setns: %s\n", PLUGIN_NAME, strerror(errno));
                _exit(126);
        }
        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0) {
                fprintf(stderr, "%s: private mount namespace: %s\n", PLUGIN_NAME, strerror(errno));
                _exit(126);
        }
        /* /sys shows the namespace's links, as under ip netns exec. */
        if (umount2("/sys", MNT_DETACH) == 0)
                (void) mount("sysfs", "/sys", "sysfs", 0, NULL);
        d = etc_netns ? opendir(etc_netns) : NULL;
        while (d && (de = readdir(d))) {
                char src[PATH_MAX], dst[PATH_MAX];
                struct stat st;
                if (de->d_name[0] == '.')
                        continue;
                snprintf(src, sizeof src, "%s/%s", etc_netns, de->d_name);
                snprintf(dst, sizeof dst, "/etc/%s", de->d_name);
                if (lstat(src, &st) < 0 || !S_ISREG(st.st_mode) || access(dst, F_OK) < 0)
                        continue;
                (void) mount(src, dst, NULL, MS_BIND, NULL);
        }
        if (d)
                closedir(d);
}

static pid_t spawn(struct nh_ctx *ctx, char *const argv[])
{
        static char *const envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
        int netns_fd = nh_netns_fd(ctx);
        const char *etc_netns = nh_etc_netns_dir(ctx);
        char why[512];
        pid_t pid;
        int prog;

        if (netns_fd < 0) {
                nh_err(ctx, "Namespace %s does not exist: %s", nh_namespace(ctx), strerror(-netns_fd));
                return netns_fd;
        }
        /* Root runs it: the core checks that nobody else can have chosen
         * or changed it, and it is executed through the descriptor checked. */
        prog = nh_open_trusted(ctx, argv[0], why, sizeof why);
        if (prog < 0) {
                nh_err(ctx, "Refusing to run %s: %s", argv[0], why);
                return prog == -ENOENT ? -ENOENT : -EPERM;
        }
        fflush(stderr);
        pid = fork();
        if (pid < 0) {
                int e = errno;
                close(prog);
                nh_err(ctx, "Failed to fork for %s: %s", argv[0], strerror(e));
                return -e;
        }
        if (pid == 0) {
                sigset_t all;
                int null;

                sigemptyset(&all);
                sigprocmask(SIG_SETMASK, &all, NULL);
                signal(SIGTERM, SIG_DFL);
                signal(SIGINT, SIG_DFL);
                signal(SIGPIPE, SIG_DFL);
                signal(SIGCHLD, SIG_DFL);
                enter_namespace(netns_fd, etc_netns);
                null = open("/dev/null", O_RDONLY | O_CLOEXEC);
                if (null >= 0 && null != STDIN_FILENO)
                        dup2(null, STDIN_FILENO);
                /* dhclient's chatter goes to the log with ours; it must not
                 * hold our stdout, which a caller may be reading to EOF. */
                dup2(STDERR_FILENO, STDOUT_FILENO);
                /* The program checked, at 3 (closed on exec). */
                if (prog != 3 && dup3(prog, 3, O_CLOEXEC) < 0) {
                        fprintf(stderr, "%s: cannot run %s: %s\n", PLUGIN_NAME, argv[0], strerror(errno));
                        _exit(127);
                }
#ifdef SYS_close_range
                (void) syscall(SYS_close_range, 4U, ~0U, 0U);
#endif
                nh_exec_trusted(3, argv[0], argv, envp);
                fprintf(stderr, "%s: cannot run %s: %s\n", PLUGIN_NAME, argv[0], strerror(errno));
                _exit(127);
        }
        close(prog);
        return pid;
}

/* dhclient's command line; release adds -r. */
static pid_t run_dhclient(struct nh_ctx *ctx, const struct cfg *c, bool release)
{
        char report[PATH_MAX + 32];
        char *argv[24];
        int n = 0;

        snprintf(report, sizeof report, "NH_DHCLIENT_REPORT=%s", c->sock_path);
        argv[n++] = (char *) c->dhclient;
        argv[n++] = FAMILY_FLAG;
        if (release)
                argv[n++] = "-r";
        argv[n++] = "-d";
        argv[n++] = "-q";
        argv[n++] = "-sf";
        argv[n++] = (char *) c->handler;
        argv[n++] = "-pf";
        argv[n++] = (char *) c->pid_path;
        argv[n++] = "-lf";
        argv[n++] = (char *) c->lease_path;
        if (c->have_conf) {
                argv[n++] = "-cf";
                argv[n++] = (char *) c->conf_path;
        }
        argv[n++] = "-e";
        argv[n++] = report;
        argv[n++] = "-e";
        argv[n++] = FAMILY_ENV;
        argv[n++] = (char *) c->ifname;
        argv[n] = NULL;
        return spawn(ctx, argv);
}

/* Waits for pid up to ms; returns its wait status, or -ETIMEDOUT. */
static int wait_child(pid_t pid, int pidfd, long long ms)
{
        long long end = now_ms() + ms;
        int status;

        for (;;) {
                pid_t w = waitpid(pid, &status, WNOHANG);
                if (w == pid)
                        return status;
                if (w < 0 && errno != EINTR)
                        return -errno;
                long long left = end - now_ms();
                if (left <= 0)
                        return -ETIMEDOUT;
                if (pidfd >= 0) {
                        struct pollfd p = { .fd = pidfd, .events = POLLIN };
                        (void) poll(&p, 1, (int) (left < 1000 ? left : 1000));
                } else
                        usleep(10000);
        }
}

static int stop_child(pid_t pid, int pidfd)
{
        int st;

        if (kill(pid, SIGTERM) < 0 && errno != ESRCH)
                return -errno;
        st = wait_child(pid, pidfd, KILL_WAIT_MS);
        if (st == -ETIMEDOUT) {
                (void) kill(pid, SIGKILL);
                st = wait_child(pid, pidfd, KILL_WAIT_MS);
        }
        return st;
}

static void describe_status(int st, char *buf, size_t size)
{
        if (st >= 0 && WIFEXITED(st))
                snprintf(buf, size, "exited with status %d", WEXITSTATUS(st));
        else if (st >= 0 && WIFSIGNALED(st))
                snprintf(buf, size, "was killed by signal %d", WTERMSIG(st));
        else
                snprintf(buf, size, "ended (%s)", strerror(st < 0 ? -st : 0));
}

/* DHCPRELEASE / RELEASE through "dhclient -r", which reads the lease file
 * and runs the handler with RELEASE(6), removing the address. */
static void release_lease(struct nh_ctx *ctx, const struct cfg *c)
{
        pid_t pid = run_dhclient(ctx, c, true);
        int pidfd, st;
        char why[64];

        if (pid < 0)
                return;
        pidfd = pidfd_open_(pid);
        st = wait_child(pid, pidfd, RELEASE_WAIT_MS);
        if (st == -ETIMEDOUT) {
                nh_warn(ctx, "\"dhclient -r\" did not finish within %d s; stopping it", RELEASE_WAIT_MS / 1000);
                st = stop_child(pid, pidfd);
        }
        if (pidfd >= 0)
                close(pidfd);
        if (st != 0) {
                describe_status(st, why, sizeof why);
                nh_warn(ctx, "Releasing the %s lease on %s: dhclient %s", PROTO, c->ifname, why);
        }
}

struct state {
        struct cfg cfg;
        int nl;                 /* rtnetlink in the namespace */
        int ifindex;
        bool ready;
        bool nsswitch_done;
        struct dhc_addr bound;  /* what the handler configured, to remove on stop */
};

static void on_warn(void *data, const char *msg)
{
        nh_warn((struct nh_ctx *) data, "%s", msg);
}

static void forget_lease(struct nh_ctx *ctx, struct state *s)
{
        (void) nh_fact_set(ctx, FACT_ADDRESS, NULL);
        (void) nh_fact_set(ctx, FACT_EXPIRES, NULL);
        if (s->cfg.dns)
                (void) nh_dns_clear(ctx, STAGE);
}

static void apply_lease(struct nh_ctx *ctx, struct state *s, const struct dhc_lease *l)
{
        char a[INET6_ADDRSTRLEN], fact[INET6_ADDRSTRLEN + 8], status[256];

        if (l->action == DHC_ACT_UNBIND) {
                nh_notice(ctx, "%s lease on %s gone (%s)", PROTO, s->cfg.ifname, l->reason);
                forget_lease(ctx, s);
                s->bound.family = 0;
                (void) nh_status(ctx, "No lease");
                return;
        }
        if (l->action != DHC_ACT_BIND)
                return;

        snprintf(fact, sizeof fact, "%s/%u", dhc_addr_str(&l->addr, a, sizeof a), l->addr.prefixlen);
        (void) nh_fact_set(ctx, FACT_ADDRESS, fact);
        {
                /* dhclient's new_expiry of an infinite lease is not one
                 * (its clock plus 0xffffffff): the lifetime says so. */
                uint32_t life = FAMILY == AF_INET ? l->lease_time : l->max_life;
                long long expires = life == UINT32_MAX ? NH_TIME_INFINITE :
                                    l->expiry > 0 ? l->expiry :
                                    life ? (long long) time(NULL) + life : 0;
                if (expires)
                        (void) nh_fact_set_time(ctx, FACT_EXPIRES, expires);
                else
                        (void) nh_fact_set(ctx, FACT_EXPIRES, NULL);
        }
        s->bound = l->addr;

        if (s->cfg.dns) {
                const char *servers[DHC_MAX_SERVERS], *search[DHC_MAX_SEARCH];
                size_t ns = 0, nd = 0;

                for (size_t i = 0; i < l->n_servers; i++)
                        servers[ns++] = l->servers[i];
                for (size_t i = 0; i < l->n_search; i++) {
                        if (nh_dns_name_valid(ctx, l->search[i]))
                                search[nd++] = l->search[i];
                        else
                                nh_warn(ctx, "Ignoring invalid search domain from the %s server", PROTO);
                }
                if (nh_dns_set(ctx, STAGE, servers, ns, search, nd) < 0)
                        nh_warn(ctx, "Failed to update the DNS configuration of %s", nh_namespace(ctx));
                if (s->cfg.nsswitch && !s->nsswitch_done && nh_dns_nsswitch(ctx) >= 0)
                        s->nsswitch_done = true;
        }

        snprintf(status, sizeof status, "Bound %s on %s", fact, s->cfg.ifname);
        nh_info(ctx, "%s lease %s on %s (%s)", PROTO, fact, s->cfg.ifname, l->reason);
        if (!s->ready) {
                s->ready = true;
                (void) nh_ready(ctx, status);
        } else
                (void) nh_status(ctx, status);
}

static void read_report(struct nh_ctx *ctx, struct state *s, int sock)
{
        char buf[DHC_REPORT_MAX + 1];
        struct dhc_lease l;
        ssize_t n;

        n = recv(sock, buf, DHC_REPORT_MAX, MSG_DONTWAIT);
        if (n <= 0)
                return;
        buf[n] = '\0';
        /* The socket is root's alone (0600 in the run directory), but the
         * report is still parsed with the same checks as dhclient's
         * environment was. */
        if (memchr(buf, '\0', (size_t) n) || dhc_lease_parse(FAMILY, dhc_lines_get, buf, on_warn, ctx, &l) < 0) {
                nh_warn(ctx, "Ignoring a malformed report from the dhclient handler");
                return;
        }
        apply_lease(ctx, s, &l);
}

static int open_report_socket(struct nh_ctx *ctx, const struct cfg *c)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        mode_t old;
        int fd, r;

        if (strlen(c->sock_path) >= sizeof sa.sun_path) {
                nh_err(ctx, "Run directory path too long for a socket: %s", c->sock_path);
                return -ENAMETOOLONG;
        }
        memcpy(sa.sun_path, c->sock_path, strlen(c->sock_path));
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        (void) unlink(c->sock_path);
        old = umask(0177);
        r = bind(fd, (struct sockaddr *) &sa, sizeof sa);
        umask(old);
        if (r < 0) {
                r = -errno;
                nh_err(ctx, "Failed to bind %s: %s", c->sock_path, strerror(-r));
                close(fd);
                return r;
        }
        return fd;
}

#if DHC_FAMILY == 6
/* dhclient -6 binds to the link-local address and fails at once while it
 * is tentative (FIELD-NOTES: "Can't bind to dhcp address"): wait for DAD,
 * watching address notifications.  Returns 0, 1 when asked to stop, or a
 * negative errno. */
static int wait_dad(struct nh_ctx *ctx, struct state *s, long long deadline)
{
        int mon = nh_socket(ctx, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        unsigned flags = 0;
        bool said = false, none = false;
        int r;

        if (mon < 0)
                return mon;
        r = nlr_subscribe(mon, RTMGRP_IPV6_IFADDR | RTMGRP_LINK);
        if (r < 0)
                goto out;
        r = nlr_link_get(s->nl, s->cfg.ifname, &s->ifindex, &flags);
        if (r >= 0 && !(flags & IFF_UP))
                r = nlr_link_set(s->nl, s->ifindex, true, 0);
        if (r < 0) {
                nh_err(ctx, "Failed to set %s up: %s", s->cfg.ifname, strerror(-r));
                goto out;
        }
        for (;;) {
                struct pollfd p[2] = { { .fd = mon, .events = POLLIN },
                                       { .fd = nh_stop_fd(ctx), .events = POLLIN } };
                char drain[8192];
                long long left;

                r = nlr_ll_state(s->nl, s->ifindex);
                if (r == 1) {
                        r = 0;
                        break;
                }
                /* None yet right after link-up; none for good when the
                 * link has addrgenmode none or IPv6 disabled (dhcpcd
                 * leaves links so): the timeout says which. */
                none = r == -ENOENT;
                if (none)
                        r = 0;
                if (r < 0) {
                        nh_err(ctx, "No usable IPv6 link-local address on %s: %s", s->cfg.ifname,
                               r == -EADDRNOTAVAIL ? "duplicate address detection failed" : strerror(-r));
                        break;
                }
                if (!said) {
                        nh_info(ctx, "Waiting for IPv6 duplicate address detection on %s", s->cfg.ifname);
                        said = true;
                }
                left = deadline - now_ms();
                if (left <= 0) {
                        if (none)
                                nh_err(ctx, "%s has no IPv6 link-local address (IPv6 disabled, or addrgenmode none?)",
                                       s->cfg.ifname);
                        else
                                nh_err(ctx, "No IPv6 link-local address on %s left duplicate address detection in time",
                                       s->cfg.ifname);
                        r = -ETIMEDOUT;
                        break;
                }
                if (poll(p, 2, (int) (left < 1000 ? left : 1000)) < 0 && errno != EINTR) {
                        r = -errno;
                        break;
                }
                if (p[1].revents) {
                        r = 1;
                        break;
                }
                while (recv(mon, drain, sizeof drain, MSG_DONTWAIT) > 0)
                        ;
        }
out:
        close(mon);
        return r;
}
#endif

static void cleanup(struct nh_ctx *ctx, struct state *s)
{
        if (s->bound.family && s->ifindex > 0 && s->nl >= 0) {
                int r = nlr_addr_del(s->nl, s->ifindex, &s->bound);
                if (r < 0 && r != -EADDRNOTAVAIL && r != -ENOENT && r != -ESRCH)
                        nh_warn(ctx, "Failed to remove the leased address from %s: %s",
                                s->cfg.ifname, strerror(-r));
        }
        s->bound.family = 0;
        forget_lease(ctx, s);
        (void) unlink(s->cfg.sock_path);
        (void) unlink(s->cfg.pid_path);
}

static void kill_stale(struct nh_ctx *ctx, const struct cfg *c);

static int dhc_start(struct nh_ctx *ctx)
{
        struct state s = { .nl = -1 };
        int sock = -1, pidfd = -1, r;
        pid_t pid = -1;
        long long deadline;
        bool stopping = false;
        struct nh_nswatch nsw = { .fd = -1 };

        r = load_cfg(ctx, &s.cfg);
        if (r < 0)
                return r;
        deadline = now_ms() + s.cfg.timeout * 1000;

        s.nl = nh_socket(ctx, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (s.nl < 0) {
                nh_err(ctx, "Failed to open rtnetlink in %s: %s", nh_namespace(ctx), strerror(-s.nl));
                return s.nl;
        }
        r = nlr_link_get(s.nl, s.cfg.ifname, &s.ifindex, NULL);
        if (r < 0) {
                nh_err(ctx, "Interface %s not found in namespace %s: %s", s.cfg.ifname,
                       nh_namespace(ctx), strerror(-r));
                goto out;
        }
        sock = open_report_socket(ctx, &s.cfg);
        if (sock < 0) {
                r = sock;
                goto out;
        }
#if DHC_FAMILY == 6
        r = wait_dad(ctx, &s, deadline);
        if (r != 0) {
                if (r > 0)
                        r = 0;          /* told to stop while waiting */
                goto out;
        }
#endif
        /* A dhclient of an earlier start that was killed outright would
         * answer for the same lease next to the new one. */
        kill_stale(ctx, &s.cfg);
        pid = run_dhclient(ctx, &s.cfg, false);
        if (pid < 0) {
                r = pid;
                goto out;
        }
        pidfd = pidfd_open_(pid);
        /* dhclient's sockets keep a namespace deleted from outside alive:
         * notice it (plugins/common/nswatch.h), release and end. */
        (void) nh_nswatch_open(&nsw, nh_namespace(ctx), nh_netns_fd(ctx));
        nh_debug(ctx, "Started %s %s on %s (pid %d)", s.cfg.dhclient, FAMILY_FLAG, s.cfg.ifname, (int) pid);
        (void) nh_status(ctx, "Waiting for a lease");

        for (;;) {
                struct pollfd p[4] = { { .fd = nh_stop_fd(ctx), .events = POLLIN },
                                       { .fd = sock, .events = POLLIN },
                                       { .fd = pidfd, .events = POLLIN },
                                       { .fd = nsw.fd, .events = POLLIN } };
                long long left = s.ready ? -1 : deadline - now_ms();
                int timeout = pidfd < 0 ? 200 : left < 0 ? -1 : left > INT_MAX ? INT_MAX : (int) left;
                int st;

                if (!s.ready && left <= 0) {
                        nh_err(ctx, "No %s lease on %s within %lld s", PROTO, s.cfg.ifname, s.cfg.timeout);
                        r = -ETIMEDOUT;
                        break;
                }
                if (pidfd < 0 && left >= 0 && left < timeout)
                        timeout = (int) left;
                if (poll(p, 4, timeout) < 0 && errno != EINTR) {
                        r = -errno;
                        nh_err(ctx, "poll: %s", strerror(-r));
                        break;
                }
                if (p[1].revents & POLLIN)
                        read_report(ctx, &s, sock);
                if (p[0].revents) {
                        stopping = true;
                        r = 0;
                        break;
                }
                if (p[3].revents && nh_nswatch_gone(&nsw)) {
                        nh_notice(ctx, "Namespace %s was deleted from outside (ip netns delete?): stopping",
                                  nh_namespace(ctx));
                        stopping = true;
                        r = 0;
                        break;
                }
                if (waitpid(pid, &st, WNOHANG) == pid) {
                        char why[64];
                        /* Take in what the handler said last. */
                        read_report(ctx, &s, sock);
                        describe_status(st, why, sizeof why);
                        nh_err(ctx, "dhclient on %s %s", s.cfg.ifname, why);
                        pid = -1;
                        r = -ECHILD;
                        break;
                }
        }

        if (pid > 0) {
                (void) stop_child(pid, pidfd);
                pid = -1;
        }
        if (stopping && s.cfg.release && s.ready) {
                (void) unlink(s.cfg.pid_path);
                release_lease(ctx, &s.cfg);
                /* The handler's RELEASE report, if any, is not needed:
                 * cleanup() below removes what is left. */
        }
out:
        nh_nswatch_close(&nsw);
        if (pid > 0)
                (void) stop_child(pid, pidfd);
        if (pidfd >= 0)
                close(pidfd);
        if (sock >= 0)
                close(sock);
        cleanup(ctx, &s);
        if (s.nl >= 0)
                close(s.nl);
        return r;
}

/* Running, not a zombie (an orphan's parent may never reap it). */
static bool alive(long pid)
{
        char path[64], buf[256], *p;
        FILE *f;
        bool r = false;

        snprintf(path, sizeof path, "/proc/%ld/stat", pid);
        f = fopen(path, "re");
        if (!f)
                return false;
        if (fgets(buf, sizeof buf, f) && (p = strrchr(buf, ')')) && p[1] == ' ')
                r = p[2] != 'Z' && p[2] != 'X';
        fclose(f);
        return r;
}

/* A dhclient left behind by a start that did not clean up (killed with
 * SIGKILL): its pid file names it; make sure it is ours before killing. */
static void kill_stale(struct nh_ctx *ctx, const struct cfg *c)
{
        char buf[32], path[64], comm[32];
        FILE *f;
        long pid;

        f = fopen(c->pid_path, "re");
        if (!f)
                return;
        if (!fgets(buf, sizeof buf, f)) {
                fclose(f);
                return;
        }
        fclose(f);
        pid = strtol(buf, NULL, 10);
        if (pid <= 1)
                return;
        snprintf(path, sizeof path, "/proc/%ld/comm", pid);
        f = fopen(path, "re");
        if (!f)
                return;
        if (fgets(comm, sizeof comm, f) && !strncmp(comm, "dhclient", 8)) {
                nh_info(ctx, "Stopping dhclient (pid %ld) on %s", pid, c->ifname);
                (void) kill((pid_t) pid, SIGTERM);
                for (int i = 0; i < 500 && alive(pid); i++)
                        usleep(10000);
        }
        fclose(f);
}

static int dhc_stop(struct nh_ctx *ctx)
{
        struct state s = { .nl = -1 };
        const char *fact;
        int r;

        /* Nothing to undo without an interface or a namespace. */
        if (!nh_cfg_str(ctx, "interface") && !nh_fact_get(ctx, NH_FACT_INTERFACE))
                return 0;
        if (nh_netns_fd(ctx) < 0)
                return 0;
        r = load_cfg(ctx, &s.cfg);
        if (r < 0)
                return r;
        kill_stale(ctx, &s.cfg);
        fact = nh_fact_get(ctx, FACT_ADDRESS);
        s.nl = nh_socket(ctx, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fact && s.nl >= 0 && nlr_link_get(s.nl, s.cfg.ifname, &s.ifindex, NULL) >= 0) {
                char a[INET6_ADDRSTRLEN];
                const char *slash = strchr(fact, '/');
                size_t n = slash ? (size_t) (slash - fact) : strlen(fact);
                if (n < sizeof a) {
                        memcpy(a, fact, n);
                        a[n] = '\0';
                        if (dhc_addr_parse(FAMILY, a, &s.bound) == 0 && slash)
                                s.bound.prefixlen = (unsigned) atoi(slash + 1);
                }
                if (s.cfg.release)
                        release_lease(ctx, &s.cfg);
        }
        cleanup(ctx, &s);
        if (s.nl >= 0)
                close(s.nl);
        return 0;
}

static int dhc_check(struct nh_ctx *ctx)
{
        struct cfg c;
        struct dhc_addr a;
        const char *fact;
        char buf[INET6_ADDRSTRLEN];
        int fd, ifindex, r;

        r = load_cfg(ctx, &c);
        if (r < 0)
                return r;
        fact = nh_fact_get(ctx, FACT_ADDRESS);
        if (!fact) {
                nh_notice(ctx, "No %s lease is bound on %s", PROTO, c.ifname);
                return 1;
        }
        snprintf(buf, sizeof buf, "%.*s", (int) strcspn(fact, "/"), fact);
        if (dhc_addr_parse(FAMILY, buf, &a) < 0)
                return -EINVAL;
        fd = nh_socket(ctx, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0)
                return fd;
        r = nlr_link_get(fd, c.ifname, &ifindex, NULL);
        if (r >= 0)
                r = nlr_addr_present(fd, ifindex, &a);
        close(fd);
        if (r == 0)
                nh_notice(ctx, "The leased address %s is missing from %s", fact, c.ifname);
        return r < 0 ? r : r == 1 ? 0 : 1;
}

static int dhc_validate(struct nh_ctx *ctx)
{
        const char *prog = nh_cfg_str(ctx, "dhclient");
#if DHC_FAMILY == 6
        int delay = 1;

        if (nh_cfg_bool(ctx, "solicit-delay", 0, &delay) > 0 && !delay)
                nh_cfg_warn(ctx, "solicit-delay",
                            "dhclient cannot skip the random delay before its first Solicit; ignored");
#endif

        char why[512];
        int fd;

        if (access(prog ? prog : DEFAULT_DHCLIENT, X_OK) < 0) {
                if (prog)
                        return nh_cfg_error(ctx, "dhclient", "%s is not an executable program", prog);
                return nh_cfg_error(ctx, NULL, "%s is missing: install ISC dhclient (Debian: isc-dhcp-client)",
                                    DEFAULT_DHCLIENT);
        }
        /* Root will run it: refused like a plugin that others can change. */
        fd = nh_open_trusted(ctx, prog ? prog : DEFAULT_DHCLIENT, why, sizeof why);
        if (fd < 0)
                return nh_cfg_error(ctx, prog ? "dhclient" : NULL, "refusing to run %s as root: %s",
                                    prog ? prog : DEFAULT_DHCLIENT, why);
        close(fd);
        return 0;
}

NH_PLUGIN_DEFINE(
        .name = PLUGIN_NAME,
        .stage = STAGE,
        .version = PACKAGE_VERSION,
        .description = PROTO " client: ISC dhclient with netns-helper's script (DNS only in /etc/netns/NAME)",
        .order = ORDER,
        .flags = NH_PLUGIN_LONG_RUNNING | NH_PLUGIN_NEEDS_NETNS,
        .keys = keys,
        .validate = dhc_validate,
        .start = dhc_start,
        .stop = dhc_stop,
        .check = dhc_check,
);
