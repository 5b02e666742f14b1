/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The run and state directories (rundir.h): what lives in RUNDIR and
 * STATEDIR, named and written in one place.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "base/log.h"
#include "base/util.h"
#include "engine/internal.h"

/* ---- directories --------------------------------------------------------- */

static const char *env_or(const char *env, const char *def)
{
        const char *v = getenv(env);
        return v && *v ? v : def;
}

const char *nh_confdir(void) { return env_or("NETNS_HELPER_CONFDIR", NH_SYSCONFDIR "/netns-helper"); }
const char *nh_rundir(void) { return env_or("NETNS_HELPER_RUNDIR", NH_RUNSTATEDIR "/netns-helper"); }
const char *nh_statedir(void) { return env_or("NETNS_HELPER_STATEDIR", NH_LOCALSTATEDIR "/lib/netns-helper"); }
/* The parsed-tree cache (conf.c).  A private configuration directory
 * (tests, experiments) gets no cache unless it names one too, so that it
 * never writes into the host's. "" turns the cache off. */
const char *nh_cachedir(void)
{
        const char *v = getenv("NETNS_HELPER_CACHEDIR");

        if (v)
                return *v ? v : NULL;
        if (getenv("NETNS_HELPER_CONFDIR"))
                return NULL;
        return NH_LOCALSTATEDIR "/cache/netns-helper";
}
/* iproute2 has /etc/netns compiled in; only tests move it. */
const char *nh_etc_netns(void) { return env_or("NETNS_HELPER_ETC_NETNS", "/etc/netns"); }
/* The host's file that a namespace's nsswitch.conf is made from. */
const char *host_nsswitch(void) { return env_or("NETNS_HELPER_HOST_NSSWITCH", "/etc/nsswitch.conf"); }

/* ---- the layout ------------------------------------------------------------
 *
 * RUNDIR/NAME/            the namespace's, removed with it (ns_run_dir_forget)
 *   facts/KEY             what its stages learnt, one value each (facts.h)
 *   up/STAGE              the stage is up (stage_mark)
 *   failed/STAGE          a one-shot stage's start failed (stage_mark_failed)
 *   dns/                  the DNS records of core/os/dns.c
 *   STAGE.log             a stage's process's log after its readiness
 * RUNDIR/.pids/NAME/      the processes of its stages (lr_record), kept
 *   STAGE.pid, STAGE.hook   when RUNDIR/NAME goes
 * RUNDIR/.locks/NAME      its lock (ns_lock)
 * STATEDIR/NAME/          what a stage keeps across boots (nh_state_dir())
 * A name starting with '.' is no namespace's.
 */

/* RUNDIR/NS, and below it part and name when not NULL. */
static char *run_path(const char *ns, const char *part, const char *name)
{
        return strdup_printf("%s/%s%s%s%s%s", nh_rundir(), ns, part ? "/" : "", part ? part : "",
                             name ? "/" : "", name ? name : "");
}

char *nh_run_ns_dir(const char *ns) { return run_path(ns, NULL, NULL); }
char *nh_run_dns_dir(const char *ns) { return run_path(ns, "dns", NULL); }
char *nh_state_ns_dir(const char *ns) { return strdup_printf("%s/%s", nh_statedir(), ns); }

/* One namespace is changed by one process at a time: "up" and "down", the
 * units and an administrator's netns-helper-run would otherwise race (two
 * netns starts: one finds the other's file before it is a namespace; two
 * macvlan starts: one replaces the other's link under it).  A file per
 * namespace in RUNDIR/.locks (a name does not start with '.', so this is
 * no namespace's directory), never removed: removing a lock file races
 * with whoever opens it next, and /run is emptied at boot.  Held until s
 * is freed; a long-running stage's child does not keep it.  NH_EXIT_*. */
int ns_lock(struct nh_nsstate *s)
{
        _cleanup_free_ char *dir = strdup_printf("%s/.locks", nh_rundir());     /* see the layout */
        _cleanup_free_ char *path = dir ? strdup_printf("%s/%s", dir, s->name) : NULL;
        int fd, r;

        if (s->lock_fd >= 0)
                return NH_EXIT_OK;
        if (!path)
                return NH_EXIT_FAILURE;
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0 && errno == ENOENT) {
                r = mkdir_p(dir, 0755);
                if (r < 0) {
                        log_error("Cannot create %s to lock namespace %s: %s", dir, s->name, strerror(-r));
                        return NH_EXIT_FAILURE;
                }
                fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        }
        if (fd < 0) {
                log_error("Cannot open %s to lock namespace %s: %s", path, s->name, strerror(errno));
                return NH_EXIT_FAILURE;
        }
        r = flock(fd, LOCK_EX | LOCK_NB);
        if (r < 0 && errno == EWOULDBLOCK) {
                log_info("Namespace %s: waiting for another netns-helper that is changing it", s->name);
                /* A SIGINT or SIGTERM to "up" ends the wait. */
                do
                        r = flock(fd, LOCK_EX);
                while (r < 0 && errno == EINTR && !interrupted());
        }
        if (r < 0) {
                log_error("Cannot lock %s: %s", path, strerror(errno));
                close(fd);
                return NH_EXIT_FAILURE;
        }
        s->lock_fd = fd;
        return NH_EXIT_OK;
}

/* path with data, replaced atomically; with data NULL an empty file whose
 * existence is the record (no write-and-rename needed). */
static int put_file(const char *path, const char *data)
{
        int fd;

        if (data)
                return write_file_replace(path, data, strlen(data), 0644);
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return -errno;
        close(fd);
        return 0;
}

/* put_file() in dir, which is made once per process (*made) and again when
 * it has gone since (a stop of the namespace in another process). */
int put_in_dir(const char *dir, bool *made, const char *path, const char *data)
{
        int r = *made ? put_file(path, data) : -ENOENT;

        if (r != -ENOENT)
                return r;
        r = mkdir_p(dir, 0755);
        if (r < 0)
                return r;
        *made = true;
        return put_file(path, data);
}

/* Creates a namespace's directory on first use (once per process). */
const char *made_dir(const char *path, unsigned mode, bool *made)
{
        if (!*made) {
                int r = mkdir_p(path, mode);
                if (r < 0)
                        log_error("Cannot create %s: %s", path, strerror(-r));
                *made = r >= 0;
        }
        return path;
}
bool fact_key_valid(const char *k)
{
        if (!k || !*k || strlen(k) > 64 || k[0] == '.')
                return false;
        for (const char *p = k; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
                        return false;
        return true;
}

/* RUNDIR/NAME/facts/KEY: one value, one line.  value NULL removes it. */
int ns_fact_set(struct nh_nsstate *s, const char *key, const char *value)
{
        _cleanup_free_ char *dir = NULL, *path = NULL;

        if (!fact_key_valid(key))
                return -EINVAL;
        (void) made_dir(s->run_dir, 0755, &s->run_dir_made);
        dir = run_path(s->name, "facts", NULL);
        path = run_path(s->name, "facts", key);
        if (!dir || !path)
                return -ENOMEM;
        if (!value)
                return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
        if (strchr(value, '\n'))
                return -EINVAL;
        return put_in_dir(dir, &s->facts_dir_made, path, value);
}

/* The value of a fact (the caller frees it), or NULL. */
char *ns_fact_get(struct nh_nsstate *s, const char *key)
{
        _cleanup_free_ char *path = NULL;
        char *v;

        if (!fact_key_valid(key))
                return NULL;
        path = run_path(s->name, "facts", key);
        if (!path || read_file(path, &v, NULL) < 0)
                return NULL;
        return v;
}
/* ---- long-running stages: one process per stage and namespace -----------
 *
 * RUNDIR/.pids/NAME/STAGE.pid names the process of a running long-running
 * stage, whoever started it ("up", a unit, an administrator's
 * netns-helper-run): "PID STARTTIME".  It is the one record of it: "down"
 * and "stop" find the process there, "check" looks whether it still runs,
 * and a second start refuses to run a second one.  It lives outside
 * RUNDIR/NAME, which the netns stage's stop removes with everything in it
 * (also when a failed "up" undoes its stages): the record of a process
 * that still runs must not go with it.  It is written while the
 * namespace's lock is held, and removed by the process itself when it ends,
 * or by whoever stopped it. */

char *pidfile_dir(struct nh_nsstate *s)
{
        return strdup_printf("%s/.pids/%s", nh_rundir(), s->name);
}

static char *pidfile_path(struct nh_nsstate *s, const char *stage)
{
        return strdup_printf("%s/.pids/%s/%s.pid", nh_rundir(), s->name, stage);
}

/* The start time of a process, which with the PID names one process for
 * good; 0 when there is none, or only its zombie (whose parent has not
 * reaped it: the process has ended). */
unsigned long long pid_starttime(pid_t pid)
{
        struct proc_stat st;

        if (proc_stat_read(pid, &st) < 0 || st.state == 'Z' || st.state == 'X')
                return 0;
        return st.starttime;
}

/* The PID of the stage's running process (> 0); 0 when none was recorded;
 * -ESRCH when the recorded one has ended (or the PID is another process's
 * now).  A zombie child of ours counts as ended. */
pid_t lr_running(struct nh_nsstate *s, const char *stage, pid_t *recorded)
{
        _cleanup_free_ char *path = pidfile_path(s, stage), *txt = NULL;
        unsigned long long start;
        char *end;
        long pid;

        if (recorded)
                *recorded = 0;
        if (!path || read_file(path, &txt, NULL) < 0)
                return 0;
        pid = strtol(txt, &end, 10);
        start = strtoull(end, NULL, 10);
        if (pid <= 1 || pid > INT32_MAX)
                return -ESRCH;
        if (recorded)
                *recorded = (pid_t) pid;
        if (start == 0 || pid_starttime((pid_t) pid) != start)
                return -ESRCH;
        if (waitpid((pid_t) pid, NULL, WNOHANG) == (pid_t) pid)
                return -ESRCH;
        return (pid_t) pid;
}

int lr_record(struct nh_nsstate *s, const char *stage, pid_t pid)
{
        _cleanup_free_ char *dir = pidfile_dir(s), *path = pidfile_path(s, stage);
        char buf[64];
        int r;

        if (!dir || !path)
                return -ENOMEM;
        r = mkdir_p(dir, 0755);
        if (r < 0)
                return r;
        snprintf(buf, sizeof buf, "%d %llu\n", (int) pid, pid_starttime(pid));
        return write_file_replace(path, buf, strlen(buf), 0644);
}

/* RUNDIR/.pids/NAME/STAGE.hook: the process group of the hook the stage
 * runs (core/os/hook.c), so that "stop" kills what a hook started when the
 * stage's process was killed under it. */
char *hook_record_path(struct nh_nsstate *s, const char *stage)
{
        return strdup_printf("%s/.pids/%s/%s.hook", nh_rundir(), s->name, stage);
}

/* Removes the record when it names pid (0: whatever it names). */
void lr_forget(struct nh_nsstate *s, const char *stage, pid_t pid)
{
        _cleanup_free_ char *dir = pidfile_dir(s), *path = pidfile_path(s, stage), *txt = NULL;

        if (!dir || !path)
                return;
        if (pid > 0 && (read_file(path, &txt, NULL) < 0 || strtol(txt, NULL, 10) != pid))
                return;
        (void) unlink(path);
        (void) rmdir(dir);      /* when it was the last */
}

static void stage_mark_in(struct nh_nsstate *s, const char *kind, bool *made, const char *stage, bool on)
{
        _cleanup_free_ char *dir = run_path(s->name, kind, NULL);
        _cleanup_free_ char *path = run_path(s->name, kind, stage);

        if (!dir || !path)
                return;
        if (!on) {
                (void) unlink(path);
                return;
        }
        int r = put_in_dir(dir, made, path, NULL);
        if (r < 0)
                log_warning("%s[%s]: cannot record that the stage is %s in %s: %s",
                            stage, s->name, kind, path, strerror(-r));
}

void stage_mark(struct nh_nsstate *s, const char *stage, bool up)
{
        stage_mark_in(s, "up", &s->up_dir_made, stage, up);
}

void stage_mark_failed(struct nh_nsstate *s, const char *stage, bool failed)
{
        stage_mark_in(s, "failed", &s->failed_dir_made, stage, failed);
}

bool stage_is(struct nh_nsstate *s, const char *kind, const char *stage)
{
        _cleanup_free_ char *path = run_path(s->name, kind, stage);
        return path && access(path, F_OK) == 0;
}

bool stage_is_up(struct nh_nsstate *s, const char *stage)
{
        return stage_is(s, "up", stage);
}

static int rm_rf(const char *path)
{
        DIR *d = opendir(path);
        struct dirent *de;

        if (!d)
                return errno == ENOENT ? 0 : (errno == ENOTDIR ? (unlink(path) < 0 ? -errno : 0) : -errno);
        while ((de = readdir(d))) {
                _cleanup_free_ char *p = NULL;
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                p = strdup_printf("%s/%s", path, de->d_name);
                if (!p)
                        continue;
                if (de->d_type == DT_DIR)
                        rm_rf(p);
                else
                        unlink(p);
        }
        closedir(d);
        return rmdir(path) < 0 && errno != ENOENT ? -errno : 0;
}

/* RUNDIR/NAME and all in it, once the namespace it described is gone. */
void ns_run_dir_forget(struct nh_nsstate *s)
{
        (void) rm_rf(s->run_dir);
        s->run_dir_made = s->facts_dir_made = s->up_dir_made = s->failed_dir_made = false;
}

/* ---- for the commands that report (rundir.h) ------------------------------ */

bool nh_run_known(const char *ns)
{
        _cleanup_free_ char *p = nh_run_ns_dir(ns);
        return p && access(p, F_OK) == 0;
}

static int fact_cmp(const void *a, const void *b)
{
        return strcmp(((const struct nh_run_fact *) a)->key, ((const struct nh_run_fact *) b)->key);
}

/* A fact's file holds its value; a newline at its end is not part of it. */
static char *fact_read(const char *path)
{
        char *v = NULL;
        size_t len;

        if (read_file(path, &v, &len) < 0)
                return NULL;
        while (len > 0 && (v[len - 1] == '\n' || v[len - 1] == '\r'))
                v[--len] = '\0';
        return v;
}

char *nh_run_fact_path(const char *ns, const char *key) { return run_path(ns, "facts", key); }

char *nh_run_fact(const char *ns, const char *key)
{
        _cleanup_free_ char *p = NULL;

        if (!fact_key_valid(key))
                return NULL;
        p = run_path(ns, "facts", key);
        return p ? fact_read(p) : NULL;
}

int nh_run_facts(const char *ns, struct nh_run_fact **ret, size_t *ret_n)
{
        _cleanup_free_ char *dir = run_path(ns, "facts", NULL);
        struct nh_run_fact *v = NULL;
        struct dirent *de;
        size_t n = 0;
        int r = 0;
        DIR *d;

        *ret = NULL;
        *ret_n = 0;
        if (!dir)
                return -ENOMEM;
        d = opendir(dir);
        if (!d)
                return errno == ENOENT ? 0 : -errno;
        while ((de = readdir(d))) {
                _cleanup_free_ char *p = NULL;
                struct nh_run_fact *nv;
                char *value;

                if (de->d_name[0] == '.')
                        continue;
                p = strdup_printf("%s/%s", dir, de->d_name);
                if (!p) {
                        r = -ENOMEM;
                        break;
                }
                value = fact_read(p);
                if (!value)
                        continue;       /* gone since readdir(), or not a file */
                nv = realloc(v, (n + 1) * sizeof *v);
                if (!nv || !(nv[n].key = strdup(de->d_name))) {
                        if (nv)
                                v = nv;
                        free(value);
                        r = -ENOMEM;
                        break;
                }
                v = nv;
                v[n++].value = value;
        }
        closedir(d);
        if (r < 0) {
                nh_run_facts_free(v, n);
                return r;
        }
        if (n > 0)
                qsort(v, n, sizeof *v, fact_cmp);
        *ret = v;
        *ret_n = n;
        return 0;
}

void nh_run_facts_free(struct nh_run_fact *f, size_t n)
{
        for (size_t i = 0; f && i < n; i++) {
                free(f[i].key);
                free(f[i].value);
        }
        free(f);
}

int nh_run_stage_up(const char *ns, const char *stage, struct timespec *since)
{
        _cleanup_free_ char *p = run_path(ns, "up", stage);
        struct stat st;

        if (!p)
                return -ENOMEM;
        if (stat(p, &st) < 0)
                return errno == ENOENT ? 0 : -errno;
        if (since)
                *since = st.st_mtim;
        return 1;
}

int nh_run_namespaces(char ***ret, size_t *ret_n)
{
        DIR *d = opendir(nh_rundir());
        struct dirent *de;
        char **v = NULL;
        size_t n = 0;

        *ret = NULL;
        *ret_n = 0;
        if (!d)
                return errno == ENOENT ? 0 : -errno;
        while ((de = readdir(d))) {
                char **nv;

                if (de->d_name[0] == '.' || de->d_type != DT_DIR)
                        continue;
                nv = realloc(v, (n + 2) * sizeof *v);
                if (!nv || !(nv[n] = strdup(de->d_name))) {
                        if (nv)
                                v = nv;
                        for (size_t i = 0; i < n; i++)
                                free(v[i]);
                        free(v);
                        closedir(d);
                        return -ENOMEM;
                }
                v = nv;
                v[++n] = NULL;
        }
        closedir(d);
        *ret = v;
        *ret_n = n;
        return 0;
}
