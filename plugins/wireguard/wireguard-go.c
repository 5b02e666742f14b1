/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The "wireguard-go" plugin of the wireguard stage: Debian's userspace
 * WireGuard, for kernels without the module.
 *
 * wireguard-go runs in the birth namespace (so its UDP socket is there),
 * in the foreground (-f) as our child, with nothing of ours open but its
 * output pipe.  Its TUN device is then moved into the namespace and
 * renamed there; the UAPI socket, /var/run/wireguard/BIRTHNAME.sock, is a
 * file and keeps working from any namespace.  The stage process
 * supervises it: it records its PID, logs its output, ends it on stop,
 * and ends with it (PR_SET_PDEATHSIG covers a supervisor killed outright).
 *
 * Written only against <netns-helper/plugin.h>.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <netns-helper/sdk.h>
#include "wg-stage.h"

#ifndef NH_STAGE_VERSION
#define NH_STAGE_VERSION "0"
#endif

#define UAPI_DIR "/var/run/wireguard"
#define UAPI_MAX_ANSWER (256 * 1024)
#define SOCKET_WAIT_MS 5000
#define TERM_WAIT_MS 3000
#define PIDFILE "wireguard-go.pid"

static const struct nh_key wggo_keys[] = {
        WG_COMMON_KEYS,
        { "wireguard-go", NH_T_PATH, 0, 0, 0, NULL, "the wireguard-go program (default /usr/bin/wireguard-go)" },
        { NULL },
};

static void socket_path(const struct wg_run *r, char *buf, size_t len)
{
        snprintf(buf, len, "%s/%s.sock", UAPI_DIR, r->birth_name);
}

static int uapi_connect(const struct wg_run *r)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        struct timeval tv = { 2, 0 };
        int fd;

        socket_path(r, sa.sun_path, sizeof(sa.sun_path));
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
                int e = errno;
                close(fd);
                return -e;
        }
        return fd;
}

static int write_all(int fd, const char *buf, size_t len)
{
        while (len > 0) {
                ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                buf += n;
                len -= (size_t) n;
        }
        return 0;
}

/* Sends a request and reads the answer up to its empty line, at most
 * UAPI_MAX_ANSWER bytes; parse() decides when it is complete. */
typedef int (*answer_fn)(const char *buf, size_t len, void *arg, bool *complete);

static int uapi_talk(const struct wg_run *r, const char *req, size_t len, answer_fn parse, void *arg)
{
        char *buf;
        size_t have = 0;
        bool complete = false;
        int fd, k;

        fd = uapi_connect(r);
        if (fd < 0)
                return fd;
        k = write_all(fd, req, len);
        if (k < 0) {
                close(fd);
                return k;
        }
        buf = malloc(UAPI_MAX_ANSWER);
        if (!buf) {
                close(fd);
                return -ENOMEM;
        }
        for (;;) {
                ssize_t n = recv(fd, buf + have, UAPI_MAX_ANSWER - have, 0);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        k = -errno;
                        break;
                }
                if (n == 0) {
                        k = -EBADMSG;   /* closed before the end of the answer */
                        break;
                }
                have += (size_t) n;
                k = parse(buf, have, arg, &complete);
                if (k < 0 || complete)
                        break;
                if (have == UAPI_MAX_ANSWER) {
                        k = -EMSGSIZE;
                        break;
                }
        }
        close(fd);
        free(buf);
        return k;
}

static int parse_set(const char *buf, size_t len, void *arg, bool *complete)
{
        return wg_uapi_parse_errno(buf, len, complete);
}

static int parse_get(const char *buf, size_t len, void *arg, bool *complete)
{
        return wg_uapi_parse_get(buf, len, arg, complete);
}

static int wggo_configure(struct wg_run *r, enum wg_set_mode mode)
{
        size_t cap = 64 * 1024;
        char *req = malloc(cap);
        int n, k;

        if (!req)
                return -ENOMEM;
        n = wg_uapi_set_request(r->conf, r->keepalive, mode, req, cap);
        if (n < 0) {
                free(req);
                return n;
        }
        k = uapi_talk(r, req, (size_t) n, parse_set, NULL);
        memset(req, 0, cap);    /* the private key */
        free(req);
        if (k < 0)
                nh_err(r->ctx, "wireguard-go refused the configuration of %s: %s", r->config_path, strerror(-k));
        return k;
}

static int wggo_read_state(struct wg_run *r, struct wg_state *st)
{
        static const char req[] = "get=1\n\n";

        memset(st, 0, sizeof(*st));
        return uapi_talk(r, req, sizeof(req) - 1, parse_get, st);
}

/* ---- the process ---------------------------------------------------- */

static unsigned long long starttime(pid_t pid)
{
        char path[64], buf[1024], *p;
        unsigned long long t = 0;
        ssize_t n;
        int fd;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return 0;
        n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n <= 0)
                return 0;
        buf[n] = '\0';
        /* comm may hold spaces and parentheses: count from the last ')'. */
        p = strrchr(buf, ')');
        for (int field = 2; p && field < 22; field++)
                p = strchr(p + 1, ' ');
        if (p)
                t = strtoull(p + 1, NULL, 10);
        return t;
}

static void pidfile_path(struct wg_run *r, char *buf, size_t len)
{
        snprintf(buf, len, "%s/%s", nh_run_dir(r->ctx), PIDFILE);
}

static void write_pidfile(struct wg_run *r)
{
        char path[PATH_MAX], line[64];
        int n, k;

        pidfile_path(r, path, sizeof(path));
        n = snprintf(line, sizeof(line), "%d %llu\n", (int) r->child, starttime(r->child));
        k = nh_file_write_atomic(path, line, (size_t) n, 0644, NH_FILE_FIXED_TMP);
        if (k < 0)
                nh_warn(r->ctx, "Cannot record wireguard-go's PID in %s: %s", path, strerror(-k));
}

static void log_output(struct wg_run *r, bool flush)
{
        char *nl;

        while ((nl = memchr(r->out_buf, '\n', r->out_len)) || (flush && r->out_len)) {
                size_t n = nl ? (size_t) (nl - r->out_buf) : r->out_len;
                char line[sizeof(r->out_buf) + 1];

                memcpy(line, r->out_buf, n);
                line[n] = '\0';
                for (size_t i = 0; i < n; i++)
                        if ((unsigned char) line[i] < 0x20 || line[i] == 0x7f)
                                line[i] = '?';
                if (n)
                        nh_info(r->ctx, "wireguard-go: %s", line);
                n += nl ? 1 : 0;
                memmove(r->out_buf, r->out_buf + n, r->out_len - n);
                r->out_len -= n;
        }
        if (r->out_len == sizeof(r->out_buf)) {
                /* A line longer than the buffer: log it in pieces. */
                r->out_buf[sizeof(r->out_buf) - 1] = '\n';
                log_output(r, false);
        }
}

static void read_output(struct wg_run *r)
{
        ssize_t n;

        if (r->out_fd < 0)
                return;
        n = read(r->out_fd, r->out_buf + r->out_len, sizeof(r->out_buf) - r->out_len);
        if (n > 0) {
                r->out_len += (size_t) n;
                log_output(r, false);
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                log_output(r, true);
                close(r->out_fd);
                r->out_fd = -1;
        }
}

static void describe_exit(struct wg_run *r, int status)
{
        if (WIFEXITED(status))
                nh_err(r->ctx, "wireguard-go (PID %d) of %s ended with exit status %d", (int) r->child, r->birth_name,
                       WEXITSTATUS(status));
        else if (WIFSIGNALED(status))
                nh_err(r->ctx, "wireguard-go (PID %d) of %s was killed by signal %d (%s)", (int) r->child, r->birth_name,
                       WTERMSIG(status), strsignal(WTERMSIG(status)));
}

/* Reaps the child when it ended; 1 when it did. */
static int reap(struct wg_run *r, bool report)
{
        int status;
        pid_t p;

        if (r->child <= 0)
                return 1;
        p = waitpid(r->child, &status, WNOHANG);
        if (p != r->child)
                return 0;
        while (r->out_fd >= 0)
                read_output(r);         /* its last words */
        if (report)
                describe_exit(r, status);
        r->child = 0;
        return 1;
}

static int wggo_event_fd(struct wg_run *r)
{
        /* Output first: the pidfd only says it ended. */
        return r->out_fd >= 0 ? r->out_fd : r->pidfd;
}

static int wggo_on_event(struct wg_run *r)
{
        if (r->out_fd >= 0)
                read_output(r);
        if (reap(r, true))
                return -ECHILD;
        return 0;
}

static void end_child(struct wg_run *r)
{
        char path[PATH_MAX];
        uint64_t waited = 0;

        if (r->child > 0) {
                kill(r->child, SIGTERM);
                while (!reap(r, false) && waited < TERM_WAIT_MS) {
                        struct pollfd p = { .fd = r->out_fd >= 0 ? r->out_fd : r->pidfd, .events = POLLIN };
                        if (p.fd >= 0 && poll(&p, 1, 20) > 0 && r->out_fd >= 0)
                                read_output(r);
                        else if (p.fd < 0)
                                usleep(20000);
                        waited += 20;
                }
                if (r->child > 0) {
                        nh_warn(r->ctx, "wireguard-go (PID %d) did not end within %d ms of SIGTERM; killing it",
                                (int) r->child, TERM_WAIT_MS);
                        kill(r->child, SIGKILL);
                        waitpid(r->child, NULL, 0);
                        r->child = 0;
                }
        }
        if (r->pidfd >= 0)
                close(r->pidfd);
        if (r->out_fd >= 0)
                close(r->out_fd);
        r->pidfd = r->out_fd = -1;
        pidfile_path(r, path, sizeof(path));
        unlink(path);
}

/* The child: wireguard-go in the birth namespace with nothing but its
 * standard streams (stdin /dev/null, output into our pipe). */
static void __attribute__((noreturn)) exec_child(struct wg_run *r, int prog, int out, pid_t parent)
{
        char *const argv[] = { r->program, (char *) "-f", r->birth_name, NULL };
        char *const envp[] = {
                (char *) "WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1",
                /* Without it, every start logs a nine-line banner saying
                 * "this kernel has first class support for WireGuard",
                 * judged by the kernel's version, also where the module is
                 * missing; wireguard-go sets it itself for the foreground
                 * process it re-executes, and it changes nothing else. */
                (char *) "WG_PROCESS_FOREGROUND=1",
                (char *) "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                NULL,
        };
        sigset_t none;
        int devnull;

        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        for (int s = 1; s < NSIG; s++)
                signal(s, SIG_DFL);
        /* It ends with its supervisor, whatever ends that. */
        if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
                _exit(127);
        if (setns(r->birth_fd, CLONE_NEWNET) < 0)
                _exit(126);
        devnull = open("/dev/null", O_RDONLY);
        if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
                _exit(126);
        /* The program the core checked (nh_open_trusted()), at 3 and
         * closed on exec.  No other descriptor of ours (namespace fds,
         * netlink, the core's lock, the notify socket) goes to wireguard-go. */
        if (prog != 3 && dup3(prog, 3, O_CLOEXEC) < 0)
                _exit(126);
        if (syscall(SYS_close_range, 4U, ~0U, 0) < 0)
                for (int fd = 4; fd < 65536; fd++)
                        close(fd);
        nh_exec_trusted(3, r->program, argv, envp);
        dprintf(2, "cannot run %s: %s\n", r->program, strerror(errno));
        _exit(127);
}

static int move_into_namespace(struct wg_run *r)
{
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
        struct nh_nl_msg m;
        int fd, index, k;

        fd = wg_rtnl_socket_in(r, r->birth_fd);
        if (fd < 0)
                return fd;
        index = wg_link_index(fd, r->birth_name);
        if (index < 0) {
                close(fd);
                nh_err(r->ctx, "wireguard-go made no interface %s: %s", r->birth_name, strerror(-index));
                return index;
        }
        /* One request moves it and gives it its name in the namespace
         * (dev_change_net_namespace() takes the new name). */
        ifi.ifi_index = index;
        nh_nl_msg_init(&m, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
        nh_nl_put_u32(&m, IFLA_NET_NS_FD, (uint32_t) nh_netns_fd(r->ctx));
        nh_nl_put_str(&m, IFLA_IFNAME, r->ifname);
        k = nh_nl_talk(fd, &m, NULL, NULL);
        close(fd);
        if (k == -EEXIST)
                nh_err(r->ctx, "Namespace %s already has an interface named %s; set another name: in the wireguard section",
                       nh_namespace(r->ctx), r->ifname);
        else if (k < 0)
                nh_err(r->ctx, "Cannot move %s into namespace %s as %s: %s", r->birth_name, nh_namespace(r->ctx),
                       r->ifname, strerror(-k));
        return k;
}

static int wggo_create(struct wg_run *r)
{
        char path[PATH_MAX], why[512];
        uint64_t waited = 0;
        int out[2], k, prog;
        pid_t parent = getpid();

        if (access(r->program, X_OK) < 0) {
                k = -errno;
                nh_err(r->ctx, "Cannot run %s: %s; install it (apt-get install wireguard-go) or set wireguard-go:",
                       r->program, strerror(-k));
                return k;
        }
        {
                int fd = wg_rtnl_socket_in(r, r->birth_fd);
                if (fd < 0)
                        return fd;
                k = wg_link_index(fd, r->birth_name);
                close(fd);
                if (k >= 0) {
                        nh_err(r->ctx, "An interface %s already exists in %s: not made by this stage's last start; "
                               "delete it (ip link delete %s) if nothing else uses it", r->birth_name,
                               r->birth_ns[0] ? r->birth_ns : "the host's namespace", r->birth_name);
                        return -EEXIST;
                }
        }
        if (mkdir(UAPI_DIR, 0755) < 0 && errno != EEXIST) {
                k = -errno;
                nh_err(r->ctx, "Cannot create %s: %s", UAPI_DIR, strerror(-k));
                return k;
        }
        /* Root runs it: the core checks that nobody else can have chosen
         * or changed it, and it is executed through the descriptor checked. */
        prog = nh_open_trusted(r->ctx, r->program, why, sizeof why);
        if (prog < 0) {
                nh_err(r->ctx, "Refusing to run %s: %s", r->program, why);
                return prog == -ENOENT ? -ENOENT : -EPERM;
        }
        if (pipe2(out, O_CLOEXEC) < 0) {
                k = -errno;
                close(prog);
                return k;
        }
        r->child = fork();
        if (r->child < 0) {
                k = -errno;
                close(out[0]);
                close(out[1]);
                close(prog);
                return k;
        }
        if (r->child == 0)
                exec_child(r, prog, out[1], parent);
        close(prog);
        close(out[1]);
        r->out_fd = out[0];
        fcntl(r->out_fd, F_SETFL, O_NONBLOCK);
        r->pidfd = (int) syscall(SYS_pidfd_open, r->child, 0);
        write_pidfile(r);
        nh_info(r->ctx, "Started %s -f %s (PID %d) in %s", r->program, r->birth_name, (int) r->child,
                r->birth_ns[0] ? r->birth_ns : "the host's namespace");

        /* Ready when its UAPI socket answers. */
        socket_path(r, path, sizeof(path));
        for (;;) {
                int fd = uapi_connect(r);
                if (fd >= 0) {
                        close(fd);
                        break;
                }
                if (reap(r, true)) {
                        k = -ECHILD;
                        goto fail;
                }
                if (waited >= SOCKET_WAIT_MS) {
                        nh_err(r->ctx, "wireguard-go did not open %s within %d ms", path, SOCKET_WAIT_MS);
                        k = -ETIMEDOUT;
                        goto fail;
                }
                {
                        struct pollfd p = { .fd = r->out_fd, .events = POLLIN };
                        if (p.fd >= 0 && poll(&p, 1, 10) > 0)
                                read_output(r);
                        else if (p.fd < 0)
                                usleep(10000);
                }
                waited += 10;
        }
        k = move_into_namespace(r);
        if (k < 0)
                goto fail;
        return 0;
fail:
        end_child(r);
        return k;
}

static void wggo_destroy(struct wg_run *r)
{
        end_child(r);
}

/* What a start left when its supervisor could not clean up: the recorded
 * wireguard-go, if it still runs and is the same process. */
static void wggo_stop_leftovers(struct wg_run *r)
{
        char path[PATH_MAX], buf[64], sock[PATH_MAX], comm[64] = "";
        unsigned long long start = 0;
        long pid = 0;
        ssize_t n;
        int fd;

        pidfile_path(r, path, sizeof(path));
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
                n = read(fd, buf, sizeof(buf) - 1);
                close(fd);
                if (n > 0) {
                        buf[n] = '\0';
                        if (sscanf(buf, "%ld %llu", &pid, &start) != 2)
                                pid = 0;
                }
        }
        if (pid > 1 && start && starttime((pid_t) pid) == start) {
                char cpath[64];
                snprintf(cpath, sizeof(cpath), "/proc/%ld/comm", pid);
                fd = open(cpath, O_RDONLY | O_CLOEXEC);
                if (fd >= 0) {
                        n = read(fd, comm, sizeof(comm) - 1);
                        close(fd);
                        comm[n > 0 ? n : 0] = '\0';
                }
                if (strncmp(comm, "wireguard-go", 12) == 0) {
                        nh_info(r->ctx, "Ending wireguard-go (PID %ld) of %s", pid, r->birth_name);
                        kill((pid_t) pid, SIGTERM);
                        for (int i = 0; i < TERM_WAIT_MS / 10 && kill((pid_t) pid, 0) == 0; i++)
                                usleep(10000);
                        if (kill((pid_t) pid, 0) == 0)
                                kill((pid_t) pid, SIGKILL);
                }
        }
        unlink(path);
        /* A socket nobody listens on any more (wireguard-go killed). */
        socket_path(r, sock, sizeof(sock));
        fd = uapi_connect(r);
        if (fd >= 0)
                close(fd);
        else if (fd == -ECONNREFUSED)
                unlink(sock);
}

static const struct wg_backend wggo_backend = {
        .name = "wireguard-go",
        .userspace = true,
        .create = wggo_create,
        .configure = wggo_configure,
        .read_state = wggo_read_state,
        .event_fd = wggo_event_fd,
        .on_event = wggo_on_event,
        .destroy = wggo_destroy,
        .stop_leftovers = wggo_stop_leftovers,
};

WG_STAGE_PLUGIN(wggo, wggo_backend, "wireguard-go",
                "the userspace wireguard-go");
