/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hooks: run an executable inside a namespace the way "ip netns exec" does
 * (iproute2 lib/namespace.c netns_switch() and ip/ipnetns.c bind_etc()),
 * but entering the namespace through an fd the core already holds. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "netns-helper/plugin.h"
#include "os/hookdns.h"
#include "base/log.h"
#include "os/trust.h"
#include "base/util.h"

#define HOOK_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define LINE_MAX_LOG 1024
/* What is read after the hook exited: what it left in the pipe, not the
 * endless output of a background process it started. */
#define TAIL_MAX (256 * 1024)

/* ---- permission checks ---------------------------------------------------- */

/* The hook, checked and opened by core/os/trust.c (every directory above it
 * too, by descriptor); 1 when there is nothing to run: it is absent or not
 * executable.  *fd gets the descriptor to execute when fd is not NULL. */
static int hook_open(const char *path, int *fd)
{
        _cleanup_free_ char *why = NULL;
        struct stat st;
        uid_t uid = geteuid();
        int f;

        /* Most hooks are not there: one stat(2) says so, without the walk
         * (a hook that appears later is checked when it is run). */
        if (stat(path, &st) < 0 && (errno == ENOENT || errno == ENOTDIR)) {
                log_debug("Hook %s does not exist, nothing to run", path);
                return 1;
        }
        f = nh_trust_open(path, &why, NULL);
        if (f == -ENOENT || f == -ENOTDIR) {
                log_debug("Hook %s does not exist, nothing to run", path);
                return 1;
        }
        if (f < 0) {
                log_error("Refusing to run %s: %s", path, why ? why : strerror(-f));
                return f == -ENOMEM ? f : -EPERM;
        }
        if (fstat(f, &st) < 0 || (st.st_mode & 0111) == 0 || (uid != 0 && access(path, X_OK) < 0)) {
                log_notice("%s is not executable, not running it", path);
                close(f);
                return 1;
        }
        if (fd)
                *fd = f;
        else
                close(f);
        return 0;
}

int nh_hook_check(const char *path)
{
        return hook_open(path, NULL);
}

/* ---- the child ------------------------------------------------------------ */

/* Report errno to the parent through the close-on-exec pipe and die. */
_Noreturn static void child_fail(int errfd, int err)
{
        ssize_t k = write(errfd, &err, sizeof err);
        (void) k;
        _exit(127);
}

static void bind_etc(const char *dir)
{
        DIR *d = opendir(dir);
        struct dirent *de;

        if (!d) {
                if (errno != ENOENT)
                        log_warning("Cannot read %s: %s", dir, strerror(errno));
                return;
        }
        while ((de = readdir(d))) {
                char src[4096], dst[4096];
                struct stat st;

                /* Dot files also cover the temporary files of an atomic write. */
                if (de->d_name[0] == '.')
                        continue;
                if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
                        continue;
                if ((size_t) snprintf(src, sizeof src, "%s/%s", dir, de->d_name) >= sizeof src ||
                    (size_t) snprintf(dst, sizeof dst, "/etc/%s", de->d_name) >= sizeof dst)
                        continue;
                /* Like iproute2: only files that /etc has; a mount point
                 * cannot be created without writing to the host's /etc. */
                if (access(dst, F_OK) < 0)
                        continue;
                if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
                        log_warning("Failed to bind %s over %s: %s", src, dst, strerror(errno));
        }
        closedir(d);
}

static void remount_sys(const char *ns)
{
        struct statvfs sv;
        unsigned long flags = 0;

        /* A sysfs mounted from inside the namespace lists its links in
         * /sys/class/net; keep it read-only when the host's is. */
        if (statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY))
                flags |= MS_RDONLY;
        if (umount2("/sys", MNT_DETACH) < 0) {
                log_debug("Could not unmount /sys for the hook: %s", strerror(errno));
                return;
        }
        if (mount(ns ? ns : "sysfs", "/sys", "sysfs", flags, NULL) < 0)
                log_debug("Could not mount sysfs for namespace %s: %s", ns, strerror(errno));
}

_Noreturn static void child(const struct nh_hook_env *e, const char *path, int hookfd, char **argv,
                            char **envp, int outfd, int errfd)
{
        sigset_t all;
        int nullfd, keep[2];

        /* Keep the pipes clear of 0-2, which are about to be replaced
         * (a parent started with a closed stdin gets its pipes there). */
        outfd = fcntl(outfd, F_DUPFD_CLOEXEC, 10);
        errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 10);
        if (outfd < 0 || errfd < 0)
                _exit(127);

        /* Long-running stages block SIGTERM for their signalfd and may
         * ignore SIGPIPE; a hook starts with the defaults. */
        for (int sig = 1; sig < NSIG; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        signal(sig, SIG_DFL);
        sigfillset(&all);
        sigprocmask(SIG_UNBLOCK, &all, NULL);
        /* A process group of its own, so that a hook that overruns its time
         * is stopped with all it started; and it goes when we do. */
        (void) setpgid(0, 0);
        (void) prctl(PR_SET_PDEATHSIG, SIGTERM);

        if (setns(e->netns_fd, CLONE_NEWNET) < 0)
                child_fail(errfd, errno);
        if (unshare(CLONE_NEWNS) < 0)
                child_fail(errfd, errno);
        /* Without this, the binds below would propagate to the host's
         * shared mounts and replace its /etc/resolv.conf for everyone. */
        if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
                child_fail(errfd, errno);
        if (e->etc_netns_dir)
                bind_etc(e->etc_netns_dir);
        remount_sys(e->ns);

        nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (nullfd < 0)
                child_fail(errfd, errno);
        if (dup2(nullfd, STDIN_FILENO) < 0 ||
            dup2(outfd, STDOUT_FILENO) < 0 ||
            dup2(outfd, STDERR_FILENO) < 0)
                child_fail(errfd, errno);
        if (errfd != 3) {
                if (dup3(errfd, 3, O_CLOEXEC) < 0)
                        child_fail(errfd, errno);
                errfd = 3;
        }
        hookfd = fcntl(hookfd, F_DUPFD_CLOEXEC, 10);
        if (hookfd < 0)
                child_fail(errfd, errno);
        keep[0] = errfd;
        keep[1] = hookfd;
        close_fds_except(keep, 2);
        if (chdir("/") < 0)
                child_fail(errfd, errno);

        nh_exec_trusted(hookfd, path, argv, envp);
        child_fail(errfd, errno);
}

/* ---- the parent ----------------------------------------------------------- */

struct linebuf {
        char buf[LINE_MAX_LOG + 1];
        size_t n;
        const char *prefix;
};

static void emit(struct linebuf *lb)
{
        /* Hook output may hold anything: keep one log line per line and
         * no terminal escapes. */
        for (size_t i = 0; i < lb->n; i++)
                if ((unsigned char) lb->buf[i] < 0x20 && lb->buf[i] != '\t')
                        lb->buf[i] = '?';
                else if (lb->buf[i] == 0x7f)
                        lb->buf[i] = '?';
        lb->buf[lb->n] = '\0';
        nh_logf(NH_LOG_INFO, "%s%s", lb->prefix ? lb->prefix : "", lb->buf);
        lb->n = 0;
}

static void feed(struct linebuf *lb, const char *p, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                if (p[i] == '\n') {
                        emit(lb);
                        continue;
                }
                lb->buf[lb->n++] = p[i];
                if (lb->n == LINE_MAX_LOG)
                        emit(lb);
        }
}

/* Reads what is there, at most limit bytes; returns 1 at EOF, 0 when it
 * would block or the limit is reached. */
static int drain(int fd, struct linebuf *lb, size_t limit)
{
        char buf[4096];
        size_t total = 0;

        for (;;) {
                if (total >= limit)
                        return 0;
                ssize_t k = read(fd, buf, sizeof buf);
                if (k > 0) {
                        feed(lb, buf, (size_t) k);
                        total += (size_t) k;
                        continue;
                }
                if (k == 0)
                        return 1;
                if (errno == EINTR)
                        continue;
                /* EAGAIN, or an error: nothing more to read now */
                return errno == EAGAIN ? 0 : 1;
        }
}

static int wait_child(pid_t pid, int *status)
{
        for (;;) {
                pid_t p = waitpid(pid, status, 0);
                if (p == pid)
                        return 0;
                if (p < 0 && errno != EINTR)
                        return -errno;
        }
}

static long long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* How long a hook that overran its time has, after SIGTERM, before SIGKILL. */
#define HOOK_KILL_GRACE_MS 5000

/* The poll timeout until the next deadline (-1: none), at most cap_ms. */
static int until(long long deadline, long long now, int cap_ms)
{
        long long left;

        if (deadline <= 0)
                return cap_ms;
        left = deadline > now ? deadline - now : 0;
        return cap_ms >= 0 && left > cap_ms ? cap_ms : (int) left;
}

/* Why a hook was stopped before it ended by itself. */
struct hook_stop {
        unsigned timeout_s;     /* in: stop it after this long; 0: no limit */
        int sigfd;              /* in: a signalfd of the signals to pass on, or -1 */
        bool timed_out;         /* out */
        int signal;             /* out: the signal that came for us, or 0 */
};

/* Logs the hook's output until it exits.  A background process the hook
 * left behind may hold the pipe open forever: once the hook itself has
 * exited, read what is buffered and stop.  A hook still running after its
 * time, or when a signal comes for us, gets SIGTERM, and its process group
 * SIGKILL HOOK_KILL_GRACE_MS later and once it is gone. */
static int pump(pid_t pid, int outfd, const char *prefix, int *status, struct hook_stop *stop)
{
        struct linebuf lb = { .prefix = prefix };
        long long deadline = stop->timeout_s > 0 ? now_ms() + (long long) stop->timeout_s * 1000 : 0;
        pid_t group = pid;
        int pidfd = -1, r;
        bool eof = false, termed = false;

        stop->timed_out = false;
        stop->signal = 0;
#ifdef SYS_pidfd_open
        pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
#endif
        for (;;) {
                struct pollfd p[3] = {
                        { .fd = eof ? -1 : outfd, .events = POLLIN },
                        { .fd = pidfd, .events = POLLIN },
                        { .fd = termed ? -1 : stop->sigfd, .events = POLLIN },
                };
                long long now = now_ms();
                int exited = 0;

                if (deadline > 0 && now >= deadline) {
                        if (!termed) {
                                stop->timed_out = true;
                                termed = true;
                                (void) kill(-group, SIGTERM);
                                deadline = now + HOOK_KILL_GRACE_MS;
                        } else {
                                (void) kill(-group, SIGKILL);
                                deadline = 0;
                        }
                }
                /* Without pidfd (old kernels), look every 100 ms. */
                r = poll(p, 3, until(deadline, now, pidfd >= 0 ? -1 : 100));
                if (r < 0 && errno != EINTR) {
                        r = -errno;
                        break;
                }
                if (r > 0 && (p[2].revents & POLLIN)) {
                        struct signalfd_siginfo si;
                        if (read(stop->sigfd, &si, sizeof si) == (ssize_t) sizeof si) {
                                stop->signal = (int) si.ssi_signo;
                                termed = true;
                                (void) kill(-group, SIGTERM);
                                deadline = now + HOOK_KILL_GRACE_MS;
                        }
                }
                if (r > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR)))
                        eof = drain(outfd, &lb, 64 * 1024) > 0;
                if (pidfd >= 0)
                        exited = r > 0 && (p[1].revents & POLLIN);
                else {
                        pid_t w = waitpid(pid, status, WNOHANG);
                        if (w == pid) {
                                drain(outfd, &lb, TAIL_MAX);
                                pid = -1;
                                r = 0;
                                break;
                        }
                        if (w < 0 && errno != EINTR) {
                                r = -errno;
                                pid = -1;
                                break;
                        }
                }
                /* With pidfd, wait for the exit even after EOF: a hook that
                 * closed its output can still overrun its time. */
                if (exited) {
                        if (!eof)
                                drain(outfd, &lb, TAIL_MAX);
                        /* What a stopped hook started goes with it; while
                         * the hook is not reaped, its group ID stays ours. */
                        if (termed)
                                (void) kill(-group, SIGKILL);
                        r = wait_child(pid, status);
                        pid = -1;
                        break;
                }
                if (eof && pidfd < 0) {
                        r = wait_child(pid, status);
                        pid = -1;
                        break;
                }
        }
        if (lb.n > 0)
                emit(&lb);
        if (pid > 0) {
                /* poll failed: still reap it */
                if (termed)
                        (void) kill(-group, SIGKILL);
                int rr = wait_child(pid, status);
                if (r >= 0)
                        r = rr;
        } else if (termed && pidfd < 0)
                /* Without pidfd the hook was reaped by waitpid(WNOHANG). */
                (void) kill(-group, SIGKILL);
        if (pidfd >= 0)
                close(pidfd);
        return r;
}

/* The signals that would end us while a hook runs (default action, not
 * blocked): caught in a signalfd while it runs, so that the hook and what
 * it started (a process group of their own, which the terminal's Ctrl-C
 * no longer reaches) go first; then raised again.  A signal a stage has
 * blocked for its own signalfd (SIGTERM in the long-running ones) is left
 * to it.  Returns the signalfd or -1; *old gets the mask to restore. */
static int pass_on_open(sigset_t *old)
{
        static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
        sigset_t set;
        int n = 0, fd;

        sigemptyset(&set);
        if (sigprocmask(SIG_BLOCK, NULL, old) < 0)
                return -1;
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
                struct sigaction sa;
                if (sigismember(old, sigs[i]) || sigaction(sigs[i], NULL, &sa) < 0 ||
                    sa.sa_handler != SIG_DFL)
                        continue;
                sigaddset(&set, sigs[i]);
                n++;
        }
        if (n == 0)
                return -1;
        fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
        if (fd < 0)
                return -1;
        if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) {
                close(fd);
                return -1;
        }
        return fd;
}

/* Restores the mask; a signal caught meanwhile is raised again, which ends
 * the process as it would have ended without the hook. */
static void pass_on_close(int fd, const sigset_t *old, int caught)
{
        if (fd < 0)
                return;
        close(fd);
        if (caught > 0)
                (void) raise(caught);
        (void) sigprocmask(SIG_SETMASK, old, NULL);
}

static bool env_name_ok(const char *kv)
{
        const char *eq = strchr(kv, '=');

        if (!eq || eq == kv)
                return false;
        for (const char *p = kv; p < eq; p++)
                if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                      (p > kv && *p >= '0' && *p <= '9')))
                        return false;
        return true;
}

static bool env_has(char **envp, size_t n, const char *kv)
{
        size_t len = (size_t) (strchr(kv, '=') - kv) + 1;
        for (size_t i = 0; i < n; i++)
                if (strncmp(envp[i], kv, len) == 0)
                        return true;
        return false;
}

static void strv_free(char **v)
{
        if (!v)
                return;
        for (char **p = v; *p; p++)
                free(*p);
        free(v);
}

static char **build_env(const struct nh_hook_env *e, const char *const *extra_env)
{
        size_t n_extra = 0, n = 0;
        char **v;

        for (const char *const *p = extra_env; p && *p; p++)
                n_extra++;
        v = calloc(n_extra + 5, sizeof *v);
        if (!v)
                return NULL;
        if (!(v[n++] = strdup(HOOK_PATH)) ||
            !(v[n++] = strdup_printf("NETNS_HELPER_NAMESPACE=%s", e->ns ? e->ns : "")) ||
            !(v[n++] = strdup_printf("NETNS_HELPER_STAGE=%s", e->stage ? e->stage : "")))
                goto oom;
        if (e->interface && !(v[n++] = strdup_printf("NETNS_HELPER_INTERFACE=%s", e->interface)))
                goto oom;
        for (size_t i = 0; i < n_extra; i++) {
                const char *kv = extra_env[i];
                if (!env_name_ok(kv)) {
                        log_warning("Not passing malformed environment entry to the hook (want KEY=value)");
                        continue;
                }
                if (env_has(v, n, kv)) {
                        log_warning("Not passing %.*s to the hook: it is set by netns-helper",
                                    (int) (strchr(kv, '=') - kv), kv);
                        continue;
                }
                if (!(v[n++] = strdup(kv)))
                        goto oom;
        }
        return v;
oom:
        strv_free(v);
        return NULL;
}

static char **build_argv(const char *path, const char *const *args)
{
        size_t n = 0;
        char **v;

        for (const char *const *p = args; p && *p; p++)
                n++;
        v = calloc(n + 2, sizeof *v);
        if (!v)
                return NULL;
        if (!(v[0] = strdup(path)))
                goto oom;
        for (size_t i = 0; i < n; i++)
                if (!(v[i + 1] = strdup(args[i])))
                        goto oom;
        return v;
oom:
        strv_free(v);
        return NULL;
}

/* ---- the record of a running hook ----------------------------------------- */

static unsigned long long netns_ino(int fd)
{
        struct stat st;
        return fstat(fd, &st) == 0 ? (unsigned long long) st.st_ino : 0;
}

static void record_hook(const struct nh_hook_env *e, pid_t pgid)
{
        _cleanup_free_ char *dir = e->record ? strdup(e->record) : NULL;
        struct proc_stat st = { 0 };
        char buf[96], *slash;

        if (!dir || !(slash = strrchr(dir, '/')))
                return;
        *slash = '\0';
        (void) proc_stat_read(pgid, &st);
        snprintf(buf, sizeof buf, "%d %llu %llu\n", (int) pgid, st.starttime, netns_ino(e->netns_fd));
        if (mkdir_p(dir, 0755) < 0 || write_file_replace(e->record, buf, strlen(buf), 0644) < 0)
                log_debug("Cannot note hook group %d in %s: %s", (int) pgid, e->record, strerror(errno));
}

int nh_hook_kill_orphans(const char *record)
{
        _cleanup_free_ char *txt = NULL;
        unsigned long long start, ino;
        struct dirent *de;
        int pgid, killed = 0;
        DIR *d;

        if (!record || read_file(record, &txt, NULL) < 0)
                return 0;
        if (sscanf(txt, "%d %llu %llu", &pgid, &start, &ino) != 3 || pgid <= 1 || start == 0 || ino == 0) {
                (void) unlink(record);
                return 0;
        }
        d = opendir("/proc");
        while (d && (de = readdir(d))) {
                char *end, nspath[64];
                long pid = strtol(de->d_name, &end, 10);
                struct proc_stat st;
                struct stat ns;

                if (*end || pid <= 1 || proc_stat_read((pid_t) pid, &st) < 0 || st.pgrp != pgid ||
                    st.starttime < start)
                        continue;
                snprintf(nspath, sizeof nspath, "/proc/%ld/ns/net", pid);
                if (stat(nspath, &ns) < 0 || (unsigned long long) ns.st_ino != ino)
                        continue;
                if (kill((pid_t) pid, SIGKILL) == 0)
                        killed++;
        }
        if (d)
                closedir(d);
        if (killed)
                log_notice("Killed %d process%s a hook had left behind (process group %d)",
                           killed, killed == 1 ? "" : "es", pgid);
        (void) unlink(record);
        return killed;
}

int nh_hook_run(const struct nh_hook_env *e, const char *path,
                const char *const *args, const char *const *extra_env)
{
        char **argv = NULL, **envp = NULL;
        int outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
        int r, status = 0, err = 0, hookfd = -1;
        struct hook_stop stop = { .timeout_s = e ? e->timeout_s : 0, .sigfd = -1 };
        sigset_t old_mask;
        pid_t pid;
        ssize_t k;

        if (!e || !path || path[0] != '/') {
                log_error("Hook path %s is not absolute", path ? path : "(null)");
                return -EINVAL;
        }
        r = hook_open(path, &hookfd);
        if (r != 0)
                return r < 0 ? r : 0;
        if (e->netns_fd < 0) {
                log_error("Cannot run %s: namespace %s is not open", path, e->ns ? e->ns : "?");
                close(hookfd);
                return -EBADF;
        }

        argv = build_argv(path, args);
        envp = build_env(e, extra_env);
        if (!argv || !envp) {
                r = -ENOMEM;
                goto out;
        }
        if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
                r = -errno;
                log_error("Failed to create pipes for hook %s: %s", path, strerror(-r));
                goto out;
        }

        log_debug("Running hook %s in namespace %s", path, e->ns);
        stop.sigfd = pass_on_open(&old_mask);
        fflush(stderr);
        pid = fork();
        if (pid < 0) {
                r = -errno;
                log_error("Failed to fork for hook %s: %s", path, strerror(-r));
                goto out;
        }
        if (pid == 0) {
                close(outp[0]);
                close(errp[0]);
                child(e, path, hookfd, argv, envp, outp[1], errp[1]);
        }
        /* Also here, so the group exists whichever of the two runs first. */
        (void) setpgid(pid, pid);
        record_hook(e, pid);
        close(outp[1]);
        outp[1] = -1;
        close(errp[1]);
        errp[1] = -1;

        /* The error pipe closes on exec: a number in it means the child
         * failed before it could run the hook. */
        do
                k = read(errp[0], &err, sizeof err);
        while (k < 0 && errno == EINTR);
        if (k == (ssize_t) sizeof err) {
                wait_child(pid, &status);
                r = -err;
                log_error("Failed to run hook %s in namespace %s: %s", path, e->ns, strerror(err));
                goto out;
        }

        if (fcntl(outp[0], F_SETFL, fcntl(outp[0], F_GETFL) | O_NONBLOCK) < 0) {
                r = -errno;
                wait_child(pid, &status);
                goto out;
        }
        r = pump(pid, outp[0], e->log_prefix, &status, &stop);
        if (r < 0) {
                log_error("Failed to wait for hook %s: %s", path, strerror(-r));
                goto out;
        }
        if (WIFEXITED(status))
                r = WEXITSTATUS(status);
        else if (WIFSIGNALED(status))
                r = 128 + WTERMSIG(status);
        else
                r = 128;
        if (stop.signal) {
                log_error("Hook %s was stopped: netns-helper got signal %d (%s)", path, stop.signal,
                          strsignal(stop.signal));
                if (r == 0)
                        r = 128 + stop.signal;
        } else if (stop.timed_out) {
                log_error("Hook %s did not finish within %u s and was stopped; make it finish sooner, "
                          "or raise hook-timeout: in netns-helper.yaml (0: no limit)", path, e->timeout_s);
                if (r == 0)
                        r = 128 + SIGTERM;
        } else if (r == 0)
                log_debug("Hook %s succeeded", path);
        else if (WIFSIGNALED(status))
                log_error("Hook %s was killed by signal %d (%s)", path, WTERMSIG(status),
                          strsignal(WTERMSIG(status)));
        else
                log_error("Hook %s failed with exit status %d", path, r);
out:
        if (e->record)
                (void) unlink(e->record);
        for (int i = 0; i < 2; i++) {
                if (outp[i] >= 0)
                        close(outp[i]);
                if (errp[i] >= 0)
                        close(errp[i]);
        }
        if (hookfd >= 0)
                close(hookfd);
        strv_free(argv);
        strv_free(envp);
        pass_on_close(stop.sigfd, &old_mask, stop.signal);
        return r;
}
