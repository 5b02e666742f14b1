/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-dhcp-measure: times one DHCP client from its exec to "has a lease".
 *
 *   bench-dhcp-measure --netns NAME --ifname IF --family 4|6
 *                      [--notify DIR] [--enter] [--private DIR] [--flap]
 *                      [--timeout S] [--settle MS] -- PROGRAM ARGS...
 *
 * "Has a lease" is READY=1 on $NOTIFY_SOCKET (--notify: netns-helper-run
 * with a long-running stage), otherwise the first global address of the
 * family appearing on IF in the namespace (rtnetlink notification, so no
 * polling cost).  The clock starts just before execve(2), taken in the
 * child: a client that enters the namespace itself (netns-helper-run) pays
 * for it, one run with --enter gets setns(2) for free.
 *
 * --enter   the child joins the namespace (plain dhclient, dhcpcd)
 * --private DIR  and a private mount namespace in which /etc is an overlay
 *           with its upper layer in DIR, and /run, /var/lib/dhcp,
 *           /var/lib/dhcpcd are empty tmpfs: what a client writes there
 *           (dhclient-script's resolv.conf, dhcpcd's leases) stays out of
 *           the host.
 * --flap    set IF down and up just before starting (IPv6: DAD runs)
 *
 * Prints one line: "ok MS RSS_KB TREE_RSS_KB" (VmRSS of the process and of
 * it with all its descendants, --settle ms after the lease) or
 * "fail WHY".  The client is then stopped with SIGTERM (SIGKILL after 10 s).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long mono_ns(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

__attribute__((format(printf, 1, 2), noreturn))
static void die(const char *fmt, ...)
{
        va_list ap;

        printf("fail ");
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
        fflush(stdout);
        exit(1);
}

static int nl_req(int fd, void *msg, size_t len)
{
        struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
        char buf[8192];
        struct nlmsghdr *h = msg;

        h->nlmsg_seq = (uint32_t) time(NULL);
        if (sendto(fd, msg, len, 0, (struct sockaddr *) &sa, sizeof sa) < 0)
                return -errno;
        for (;;) {
                ssize_t k = recv(fd, buf, sizeof buf, 0);
                int n = (int) k;        /* signed: NLMSG_NEXT() may take it below 0 */
                if (k < 0)
                        return -errno;
                for (struct nlmsghdr *m = (struct nlmsghdr *) buf; NLMSG_OK(m, n); m = NLMSG_NEXT(m, n))
                        if (m->nlmsg_type == NLMSG_ERROR && m->nlmsg_seq == h->nlmsg_seq)
                                return ((struct nlmsgerr *) NLMSG_DATA(m))->error;
        }
}

static int link_updown(int fd, int ifindex, bool up)
{
        struct {
                struct nlmsghdr nh;
                struct ifinfomsg ifi;
        } req = {
                .nh = { .nlmsg_len = sizeof req, .nlmsg_type = RTM_NEWLINK,
                        .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK },
                .ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex,
                         .ifi_flags = up ? IFF_UP : 0, .ifi_change = IFF_UP },
        };
        return nl_req(fd, &req, sizeof req);
}

/* A global address of family on ifindex in this batch of messages? */
static bool has_global(const char *buf, int n, int family, int ifindex)
{
        for (const struct nlmsghdr *m = (const struct nlmsghdr *) buf; NLMSG_OK(m, n);
             m = NLMSG_NEXT(m, n)) {
                const struct ifaddrmsg *ifa = NLMSG_DATA(m);
                if (m->nlmsg_type == RTM_NEWADDR && ifa->ifa_family == family &&
                    (int) ifa->ifa_index == ifindex && ifa->ifa_scope == RT_SCOPE_UNIVERSE)
                        return true;
        }
        return false;
}

static long rss_kb(pid_t pid)
{
        char path[64], line[256];
        long kb = 0;
        FILE *f;

        snprintf(path, sizeof path, "/proc/%d/status", (int) pid);
        f = fopen(path, "re");
        if (!f)
                return 0;
        while (fgets(line, sizeof line, f))
                if (sscanf(line, "VmRSS: %ld", &kb) == 1)
                        break;
        fclose(f);
        return kb;
}

static pid_t ppid_of(pid_t pid)
{
        char path[64], buf[512], *p;
        FILE *f;
        int ppid = 0;

        snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
        f = fopen(path, "re");
        if (!f)
                return 0;
        if (fgets(buf, sizeof buf, f) && (p = strrchr(buf, ')')))
                sscanf(p + 2, "%*c %d", &ppid);
        fclose(f);
        return ppid;
}

static bool descends(pid_t pid, pid_t root)
{
        for (int depth = 0; pid > 1 && depth < 32; depth++) {
                if (pid == root)
                        return true;
                pid = ppid_of(pid);
        }
        return false;
}

static long tree_rss_kb(pid_t root)
{
        DIR *d = opendir("/proc");
        struct dirent *de;
        long sum = 0;

        while (d && (de = readdir(d))) {
                pid_t p = (pid_t) atoi(de->d_name);
                if (p > 0 && descends(p, root))
                        sum += rss_kb(p);
        }
        if (d)
                closedir(d);
        return sum;
}

static void private_mounts(const char *dir)
{
        char up[4096], work[4096], opts[9000];

        snprintf(up, sizeof up, "%s/etc-upper", dir);
        snprintf(work, sizeof work, "%s/etc-work", dir);
        mkdir(up, 0755);
        mkdir(work, 0755);
        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
                die("private mount namespace: %s", strerror(errno));
        snprintf(opts, sizeof opts, "lowerdir=/etc,upperdir=%s,workdir=%s", up, work);
        if (mount("overlay", "/etc", "overlay", 0, opts) < 0)
                die("overlay on /etc: %s", strerror(errno));
        if (mount("tmpfs", "/run", "tmpfs", 0, "mode=0755") < 0)
                die("tmpfs on /run: %s", strerror(errno));
        (void) mount("tmpfs", "/var/lib/dhcp", "tmpfs", 0, "mode=0755");
        (void) mount("tmpfs", "/var/lib/dhcpcd", "tmpfs", 0, "mode=0755");
        if (umount2("/sys", MNT_DETACH) == 0)
                (void) mount("sysfs", "/sys", "sysfs", 0, NULL);
}

int main(int argc, char **argv)
{
        const char *netns = NULL, *ifname = NULL, *notify_dir = NULL, *private_dir = NULL;
        int family = AF_INET, timeout_s = 30, settle_ms = 300;
        bool enter = false, flap = false;
        char nspath[4096], sockpath[108] = "";
        int i, host_fd, ns_fd, nl, ifindex, pfd[2], notify = -1;
        long long t0 = 0, t1 = 0;
        pid_t pid;
        const char *why = NULL;

        for (i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--")) {
                        i++;
                        break;
                } else if (!strcmp(argv[i], "--netns") && i + 1 < argc)
                        netns = argv[++i];
                else if (!strcmp(argv[i], "--ifname") && i + 1 < argc)
                        ifname = argv[++i];
                else if (!strcmp(argv[i], "--family") && i + 1 < argc)
                        family = !strcmp(argv[++i], "6") ? AF_INET6 : AF_INET;
                else if (!strcmp(argv[i], "--notify") && i + 1 < argc)
                        notify_dir = argv[++i];
                else if (!strcmp(argv[i], "--private") && i + 1 < argc)
                        private_dir = argv[++i];
                else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
                        timeout_s = atoi(argv[++i]);
                else if (!strcmp(argv[i], "--settle") && i + 1 < argc)
                        settle_ms = atoi(argv[++i]);
                else if (!strcmp(argv[i], "--enter"))
                        enter = true;
                else if (!strcmp(argv[i], "--flap"))
                        flap = true;
                else {
                        fprintf(stderr, "usage: see the comment at the top of bench-dhcp-measure.c\n");
                        return 2;
                }
        }
        if (!netns || !ifname || i >= argc) {
                fprintf(stderr, "usage: bench-dhcp-measure --netns NAME --ifname IF --family 4|6 [...] -- PROGRAM...\n");
                return 2;
        }

        snprintf(nspath, sizeof nspath, "/run/netns/%s", netns);
        host_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        ns_fd = open(nspath, O_RDONLY | O_CLOEXEC);
        if (host_fd < 0 || ns_fd < 0)
                die("cannot open namespace %s", netns);
        if (setns(ns_fd, CLONE_NEWNET) < 0)
                die("setns: %s", strerror(errno));
        nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        ifindex = (int) if_nametoindex(ifname);
        if (setns(host_fd, CLONE_NEWNET) < 0)
                die("setns back: %s", strerror(errno));
        if (nl < 0 || ifindex <= 0)
                die("no interface %s", ifname);
        {
                struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
                                          .nl_groups = family == AF_INET ? RTMGRP_IPV4_IFADDR : RTMGRP_IPV6_IFADDR };
                if (bind(nl, (struct sockaddr *) &sa, sizeof sa) < 0)
                        die("netlink bind: %s", strerror(errno));
        }
        if (flap && (link_updown(nl, ifindex, false) < 0 || link_updown(nl, ifindex, true) < 0))
                die("cannot flap %s", ifname);
        if (notify_dir) {
                struct sockaddr_un sa = { .sun_family = AF_UNIX };
                snprintf(sockpath, sizeof sockpath, "%s/notify.sock", notify_dir);
                unlink(sockpath);
                strcpy(sa.sun_path, sockpath);
                notify = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
                if (notify < 0 || bind(notify, (struct sockaddr *) &sa, sizeof sa) < 0)
                        die("notify socket: %s", strerror(errno));
                setenv("NOTIFY_SOCKET", sockpath, 1);
        }
        if (pipe2(pfd, O_CLOEXEC) < 0)
                die("pipe: %s", strerror(errno));

        fflush(stdout);
        pid = fork();
        if (pid < 0)
                die("fork: %s", strerror(errno));
        if (pid == 0) {
                long long t;
                if (enter && setns(ns_fd, CLONE_NEWNET) < 0)
                        die("setns: %s", strerror(errno));
                if (private_dir)
                        private_mounts(private_dir);
                /* Keep the client's chatter off our one-line result. */
                dup2(STDERR_FILENO, STDOUT_FILENO);
                t = mono_ns();
                if (write(pfd[1], &t, sizeof t) != sizeof t)
                        _exit(127);
                execvp(argv[i], argv + i);
                fprintf(stderr, "cannot run %s: %s\n", argv[i], strerror(errno));
                _exit(127);
        }
        close(pfd[1]);
        if (read(pfd[0], &t0, sizeof t0) != sizeof t0)
                die("child did not start%s", "");
        close(pfd[0]);

        for (;;) {
                struct pollfd p[2] = { { .fd = nl, .events = POLLIN }, { .fd = notify, .events = POLLIN } };
                long long left = t0 + (long long) timeout_s * 1000000000LL - mono_ns();
                char buf[16384];
                int status;

                if (waitpid(pid, &status, WNOHANG) == pid) {
                        why = WIFEXITED(status) ? "client exited" : "client killed";
                        pid = 0;
                        break;
                }
                if (left <= 0) {
                        why = "timeout";
                        break;
                }
                (void) poll(p, notify >= 0 ? 2 : 1, left / 1000000 > 50 ? 50 : (int) (left / 1000000) + 1);
                if (p[0].revents & POLLIN) {
                        ssize_t n = recv(nl, buf, sizeof buf, MSG_DONTWAIT);
                        if (n > 0 && notify < 0 && has_global(buf, (int) n, family, ifindex)) {
                                t1 = mono_ns();
                                break;
                        }
                }
                if (notify >= 0 && (p[1].revents & POLLIN)) {
                        ssize_t n = recv(notify, buf, sizeof buf - 1, MSG_DONTWAIT);
                        if (n > 0) {
                                buf[n] = '\0';
                                if (strstr(buf, "READY=1")) {
                                        t1 = mono_ns();
                                        break;
                                }
                        }
                }
        }

        if (t1) {
                long rss, tree;
                usleep((useconds_t) settle_ms * 1000);
                rss = rss_kb(pid);
                tree = tree_rss_kb(pid);
                printf("ok %.3f %ld %ld\n", (double) (t1 - t0) / 1e6, rss, tree);
        } else
                printf("fail %s\n", why);
        fflush(stdout);

        if (pid > 0) {
                int status;
                kill(pid, SIGTERM);
                for (int k = 0; k < 1000 && waitpid(pid, &status, WNOHANG) == 0; k++)
                        usleep(10000);
                if (waitpid(pid, &status, WNOHANG) == 0) {
                        kill(pid, SIGKILL);
                        waitpid(pid, &status, 0);
                }
        }
        if (sockpath[0])
                unlink(sockpath);
        return t1 ? 0 : 1;
}
