/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The processes of the engine: stop requests (SIGTERM, SIGINT), sd_notify,
 * a plugin's crash caught in the verb that caused it, and the process of
 * its own that a long-running stage or a watcher runs in.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#include "base/log.h"
#include "base/util.h"
#include "engine/internal.h"
#include "os/hookdns.h"

/* How long "down" and "stop" wait for a long-running stage to end after
 * SIGTERM before they give up on it (DHCP release included). */
#define STOP_TIMEOUT_MS 20000

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
int stop_signals_install(void)
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

int sd_notify_send(const char *msg)
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
_Noreturn void core_abort(void)
{
        signal(SIGABRT, SIG_DFL);
        crash_jmp = NULL;
        abort();
}

static const char *const verb_kind_name[] = { "validate", "start", "stop", "check", "watch" };

/* Calls one verb function of a plugin, catching its crash.  A failure the
 * plugin did not explain gets a message that names it. */
int guarded_call(struct nh_core_ctx *c, enum verb_kind vk, int (*fn)(struct nh_ctx *))
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

void kill_orphan_hooks(struct nh_nsstate *s, const char *stage)
{
        _cleanup_free_ char *path = hook_record_path(s, stage), *dir = pidfile_dir(s);

        if (path && nh_hook_kill_orphans(path) >= 0 && dir)
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
int stop_long_running(struct nh_nsstate *s, const char *stage)
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
/* ---- interruption and readiness ------------------------------------------ */

static int up_interrupted;      /* the signal that interrupted "up", or 0 */

/* True once SIGINT or SIGTERM arrived in this process (after
 * stop_signals_install()). */
bool interrupted(void)
{
        char c;

        if (!up_interrupted && stop_pipe[0] >= 0 && stop_pipe_pid == getpid() && read(stop_pipe[0], &c, 1) == 1)
                up_interrupted = (unsigned char) c;
        return up_interrupted != 0;
}

bool nh_engine_interrupted(void) { return interrupted(); }
int interrupt_signal(void) { return up_interrupted; }

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

/* A child that runs a stage's code on is recorded before anything else
 * can look; one that cannot be recorded could not be stopped, so it ends
 * at once. */
static int record_child(struct nh_nsstate *s, const char *stage, pid_t pid, const char *what)
{
        int r = lr_record(s, stage, pid);

        if (r < 0) {
                log_error("%s[%s]: cannot record its %s in %s/.pids: %s", stage, s->name, what, nh_rundir(),
                          strerror(-r));
                kill(pid, SIGKILL);
                waitpid(pid, NULL, 0);
        }
        return r;
}

/* After a successful start of a stage with watch(): the watcher runs on in
 * a process of its own, recorded like a long-running stage's.  Nobody waits
 * for it (the stage is up already): a watcher costs its start one fork. */
int start_watcher(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec,
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
        return record_child(s, stage, pid, "watcher");
}

/* "up": a long-running stage runs on in a child process; wait until it says
 * it is ready, ends, the readiness timeout passes, or "up" is interrupted.
 * The child is recorded before anything else can look (the namespace's
 * lock is held), so that "down" finds it whatever happens to "up". */
int start_in_background(struct nh_engine *e, struct nh_nsstate *s, struct nh_plugin_rec *rec,
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
        r = record_child(s, stage, pid, "process");
        if (r < 0) {
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
int wait_running(struct nh_engine *e, struct nh_nsstate *s, const char *stage, pid_t pid)
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
