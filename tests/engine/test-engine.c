/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The loader's refusals and the engine's contract with stages, driven with
 * tiny plugins built in this directory (recorder.c, nodesc.c).  Needs no
 * root: the recorder plugins touch no kernel state.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/loader.h"
#include "base/util.h"
#include "../nht-check.h"

static char tmp[256];
static char plugdir[512];

static char *slurp(const char *path)
{
        char *s = NULL;
        if (read_file(path, &s, NULL) < 0)
                return strdup("");
        return s;
}

static void put(const char *rel, const char *text)
{
        char path[512];
        FILE *f;

        snprintf(path, sizeof path, "%s/%s", tmp, rel);
        f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
}

/* One engine call: a whole-namespace command, or one stage's verb. */
struct call {
        int (*ns_fn)(struct nh_engine *e, const char *ns);
        const char *stage;
        enum nh_verb verb;
        const char *ns;
};

/* Runs the call on a new engine with stderr captured into *err. */
static int call_captured(const struct call *c, char **err)
{
        char path[512];
        struct nh_engine *e = NULL;
        int saved = dup(STDERR_FILENO), fd, r;

        snprintf(path, sizeof path, "%s/stderr", tmp);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        fflush(stderr);
        dup2(fd, STDERR_FILENO);
        close(fd);
        r = nh_engine_new(&e);
        if (r == NH_EXIT_OK) {
                r = c->ns_fn ? c->ns_fn(e, c->ns) : nh_engine_run_stage(e, c->stage, c->ns, c->verb);
                nh_engine_free(e);
        }
        fflush(stderr);
        dup2(saved, STDERR_FILENO);
        close(saved);
        *err = slurp(path);
        return r;
}

static int capture(int (*fn)(struct nh_engine *, const char *), const char *ns, char **err)
{
        const struct call c = { .ns_fn = fn, .ns = ns };
        return call_captured(&c, err);
}

static int run_stage(const char *stage, const char *ns, enum nh_verb verb, char **err)
{
        const struct call c = { .stage = stage, .verb = verb, .ns = ns };
        return call_captured(&c, err);
}

static void setup(void)
{
        char path[600];
        const char *b = getenv("NH_BUILDDIR");

        ck_assert_ptr_nonnull(nht_mkdtemp(tmp, sizeof tmp, "engine"));
        chmod(tmp, 0755);
        snprintf(path, sizeof path, "%s/ns", tmp);
        mkdir(path, 0755);
        setenv("NETNS_HELPER_CONFDIR", tmp, 1);
        snprintf(path, sizeof path, "%s/run", tmp);
        setenv("NETNS_HELPER_RUNDIR", path, 1);
        snprintf(path, sizeof path, "%s/state", tmp);
        setenv("NETNS_HELPER_STATEDIR", path, 1);
        snprintf(path, sizeof path, "%s/etc-netns", tmp);
        setenv("NETNS_HELPER_ETC_NETNS", path, 1);
        /* tests/check-program.sh: a root-owned copy when root tests a
         * tree a normal user built (the loader refuses theirs). */
        if (getenv("NH_ENGINE_PLUGINS"))
                snprintf(plugdir, sizeof plugdir, "%s", getenv("NH_ENGINE_PLUGINS"));
        else
                snprintf(plugdir, sizeof plugdir, "%s/tests/engine/.libs", b ? b : ".");
        setenv("NETNS_HELPER_PLUGIN_PATH", plugdir, 1);
}

static void teardown(void)
{
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
        (void) !system(cmd);
}

static void load(const char *name, struct nh_plugin_rec *rec, int want)
{
        char path[600];
        snprintf(path, sizeof path, "%s/%s.so", plugdir, name);
        ck_assert_int_eq(nh_plugin_load(path, rec), want);
}

static void rec_free(struct nh_plugin_rec *rec)
{
        free(rec->name);
        free(rec->path);
        free(rec->refused);
}

START_TEST(test_load_good)
{
        struct nh_plugin_rec rec;

        load("alpha", &rec, 0);
        ck_assert_ptr_null(rec.refused);
        ck_assert_str_eq(rec.desc->stage, "alpha");
        ck_assert_int_eq(rec.desc->abi_major, NH_PLUGIN_ABI_MAJOR);
        ck_assert_int_eq(rec.order, 150);
        rec_free(&rec);
}
END_TEST

START_TEST(test_refuse_abi_major)
{
        struct nh_plugin_rec rec;

        load("badabi", &rec, -EPROTO);
        ck_assert_ptr_nonnull(rec.refused);
        ck_assert_ptr_nonnull(strstr(rec.refused, "badabi.so"));
        ck_assert_ptr_nonnull(strstr(rec.refused, "ABI 99."));
        ck_assert_ptr_nonnull(strstr(rec.refused, "provides ABI 1."));
        ck_assert_ptr_null(rec.desc);
        rec_free(&rec);
}
END_TEST

START_TEST(test_refuse_newer_minor)
{
        struct nh_plugin_rec rec;

        load("newminor", &rec, -EPROTO);
        ck_assert_ptr_nonnull(strstr(rec.refused, "needs plugin ABI 1.99"));
        rec_free(&rec);
}
END_TEST

START_TEST(test_refuse_name_mismatch)
{
        struct nh_plugin_rec rec;

        load("misnamed", &rec, -EPROTO);
        ck_assert_ptr_nonnull(strstr(rec.refused, "declares the name 'other'"));
        rec_free(&rec);
}
END_TEST

START_TEST(test_refuse_no_descriptor)
{
        struct nh_plugin_rec rec;

        load("nodesc", &rec, -ELIBBAD);
        ck_assert_ptr_nonnull(strstr(rec.refused, "does not export the descriptor symbol 'netns_helper_plugin'"));
        rec_free(&rec);
}
END_TEST

/* The loader dlopen()s lazily; a plugin bound at load (-z now, as every
 * plugin built here is) that lacks a symbol is still refused then. */
START_TEST(test_refuse_unresolved)
{
        struct nh_plugin_rec rec;

        load("unresolved", &rec, -ELIBBAD);
        ck_assert_ptr_nonnull(strstr(rec.refused, "cannot load"));
        ck_assert_ptr_nonnull(strstr(rec.refused, "nh_test_no_such_function"));
        ck_assert_ptr_null(rec.desc);
        rec_free(&rec);
}
END_TEST

static void copy_file(const char *from, const char *to, mode_t mode)
{
        char *data = NULL;
        size_t len;
        int fd;

        ck_assert_int_eq(read_file(from, &data, &len), 0);
        fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, data, len), (ssize_t) len);
        close(fd);
        chmod(to, mode);
        free(data);
}

START_TEST(test_refuse_writable)
{
        struct nh_plugin_rec rec;
        char from[600], dir[300], to[400];

        snprintf(from, sizeof from, "%s/alpha.so", plugdir);
        snprintf(dir, sizeof dir, "%s/plugins", tmp);
        mkdir(dir, 0755);
        snprintf(to, sizeof to, "%s/alpha.so", dir);
        copy_file(from, to, 0775);
        ck_assert_int_eq(nh_plugin_load(to, &rec), -EPERM);
        ck_assert_ptr_nonnull(strstr(rec.refused, "writable by its group"));
        ck_assert_ptr_nonnull(strstr(rec.refused, "chmod go-w"));
        rec_free(&rec);

        chmod(to, 0755);
        chmod(dir, 0777);
        ck_assert_int_eq(nh_plugin_load(to, &rec), -EPERM);
        ck_assert_ptr_nonnull(strstr(rec.refused, "writable by others"));
        ck_assert_ptr_nonnull(strstr(rec.refused, dir));
        rec_free(&rec);
        chmod(dir, 0755);
        ck_assert_int_eq(nh_plugin_load(to, &rec), 0);
        rec_free(&rec);
}
END_TEST

/* Whoever may write a directory above the plugin directory may rename
 * the plugin directory away and put theirs in its place. */
START_TEST(test_refuse_writable_ancestor)
{
        struct nh_plugin_rec rec;
        char from[600], top[300], dir[400], to[500], want[1200];

        snprintf(from, sizeof from, "%s/alpha.so", plugdir);
        snprintf(top, sizeof top, "%s/above", tmp);
        mkdir(top, 0755);
        snprintf(dir, sizeof dir, "%s/plugins", top);
        mkdir(dir, 0755);
        snprintf(to, sizeof to, "%s/alpha.so", dir);
        copy_file(from, to, 0644);
        chmod(top, 0775);
        ck_assert_int_eq(nh_plugin_load(to, &rec), -EPERM);
        snprintf(want, sizeof want, "directory %s is writable by its group; chmod go-w %s", top, top);
        ck_assert_msg(rec.refused && strstr(rec.refused, want), "refused: %s", rec.refused);
        nh_plugin_unload(&rec);
        chmod(top, 0755);
        ck_assert_int_eq(nh_plugin_load(to, &rec), 0);
        nh_plugin_unload(&rec);
}
END_TEST

/* Loaded through /proc/self/fd/N, a plugin's load errors still name it. */
START_TEST(test_load_error_names_path)
{
        struct nh_plugin_rec rec;
        char path[600];

        snprintf(path, sizeof path, "%s/bad", tmp);
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/bad/junk.so", tmp);
        put("bad/junk.so", "not an ELF object\n");
        chmod(path, 0644);
        ck_assert_int_eq(nh_plugin_load(path, &rec), -ELIBBAD);
        ck_assert_msg(strstr(rec.refused, "cannot load"), "refused: %s", rec.refused);
        ck_assert_msg(!strstr(rec.refused, "/proc/self/fd"), "refused: %s", rec.refused);
        /* dlerror() says "PATH: invalid ELF header": PATH is the plugin's */
        ck_assert_msg(strstr(strstr(rec.refused, path) + 1, path), "refused: %s", rec.refused);
        nh_plugin_unload(&rec);

        snprintf(path, sizeof path, "%s/unresolved.so", plugdir);
        ck_assert_int_eq(nh_plugin_load(path, &rec), -ELIBBAD);
        ck_assert_msg(!strstr(rec.refused, "/proc/self/fd"), "refused: %s", rec.refused);
        ck_assert_msg(strstr(rec.refused, path), "refused: %s", rec.refused);
        nh_plugin_unload(&rec);
}
END_TEST

/* A user who can write a directory above the plugin directory swaps a
 * symbolic link there, as fast as they can, between the root-owned plugin
 * directory and one of their own that holds a plugin of the same name.
 * Checking the path and then loading it by name again lets their
 * constructor run as root whenever the swap falls between the two; the
 * loader must refuse the directory, or load what it checked.  Needs root
 * (chown to nobody). */
#define RACE_TRIES 200000
START_TEST(test_symlink_swap_race)
{
        char good[400], evil[400], w[400], link[500], swap[500], plugin[600], mark[400], path[700];
        struct nh_plugin_rec rec;
        const uid_t nobody = 65534;
        int tries, loaded = 0;
        pid_t swapper;

        if (geteuid() != 0) {
                fprintf(stderr, "# SKIPPED test_symlink_swap_race: needs root (chown)\n");
                return;
        }
        snprintf(good, sizeof good, "%s/good", tmp);
        snprintf(evil, sizeof evil, "%s/evil", tmp);
        snprintf(w, sizeof w, "%s/w", tmp);
        snprintf(mark, sizeof mark, "%s/constructor-ran", tmp);
        mkdir(good, 0755);
        mkdir(evil, 0755);
        mkdir(w, 0755);
        snprintf(path, sizeof path, "%s/alpha.so", plugdir);
        snprintf(plugin, sizeof plugin, "%s/alpha.so", good);
        copy_file(path, plugin, 0644);
        snprintf(path, sizeof path, "%s/evil.so", plugdir);
        snprintf(plugin, sizeof plugin, "%s/alpha.so", evil);
        copy_file(path, plugin, 0644);
        ck_assert_int_eq(chown(plugin, nobody, nobody), 0);
        ck_assert_int_eq(chown(evil, nobody, nobody), 0);
        snprintf(link, sizeof link, "%s/plugins", w);
        snprintf(swap, sizeof swap, "%s/other", w);
        ck_assert_int_eq(symlink(good, link), 0);
        ck_assert_int_eq(symlink(evil, swap), 0);
        ck_assert_int_eq(lchown(link, nobody, nobody), 0);
        ck_assert_int_eq(lchown(swap, nobody, nobody), 0);
        ck_assert_int_eq(chown(w, nobody, nobody), 0);
        setenv("NHT_EVIL_MARK", mark, 1);

        swapper = fork();
        ck_assert_int_ge(swapper, 0);
        if (swapper == 0) {
                /* The attacker: nobody, who owns w/ (reached by a descriptor
                 * opened before: the test's base directory is root's 0700). */
                int wfd = open(w, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (wfd < 0 || setgid(nobody) < 0 || setuid(nobody) < 0)
                        _exit(1);
                for (;;)
                        (void) renameat2(wfd, "plugins", wfd, "other", RENAME_EXCHANGE);
        }
        snprintf(plugin, sizeof plugin, "%s/alpha.so", link);
        for (tries = 1; tries <= RACE_TRIES && access(mark, F_OK) < 0; tries++) {
                if (nh_plugin_load(plugin, &rec) == 0)
                        loaded++;
                nh_plugin_unload(&rec);
        }
        kill(swapper, SIGKILL);
        waitpid(swapper, NULL, 0);
        unsetenv("NHT_EVIL_MARK");
        ck_assert_msg(access(mark, F_OK) < 0,
                      "the attacker's constructor ran as root, after %d tries (%d loads of the good plugin)",
                      tries - 1, loaded);
        /* w/ is nobody's: nothing under it is loaded, the good plugin either */
        ck_assert_int_eq(loaded, 0);
}
END_TEST

/* Stages run in plugin order whatever the config's order, stop runs in
 * reverse, and every stage is validated before the first start. */
START_TEST(test_up_down_order)
{
        char buf[1024], *log, *err;
        const char *want_down = "gamma stop web\n" "alpha stop web\n" "beta stop web\n";

        snprintf(buf, sizeof buf,
                 "stages: [gamma, alpha, beta]\n"
                 "alpha: {log: %s/calls}\nbeta: {log: %s/calls}\ngamma: {log: %s/calls}\n", tmp, tmp, tmp);
        put("ns/web.yaml", buf);
        ck_assert_int_eq(capture(nh_engine_up, "web", &err), NH_EXIT_OK);
        free(err);
        snprintf(buf, sizeof buf, "%s/calls", tmp);
        log = slurp(buf);
        /* validate in config order, then start in plugin order */
        ck_assert_str_eq(log, "gamma validate web\nalpha validate web\nbeta validate web\n"
                              "beta start web\nalpha start web\ngamma start web\n");
        free(log);
        unlink(buf);
        ck_assert_int_eq(capture(nh_engine_down, "web", &err), NH_EXIT_OK);
        free(err);
        log = slurp(buf);
        ck_assert_str_eq(log, want_down);
        free(log);
}
END_TEST

/* A failing stage undoes the ones started before it, in reverse. */
START_TEST(test_up_undo)
{
        char buf[1024], *log, *err;

        snprintf(buf, sizeof buf,
                 "stages: [alpha, beta, gamma]\n"
                 "alpha: {log: %s/calls}\nbeta: {log: %s/calls}\ngamma: {log: %s/calls, fail: start}\n",
                 tmp, tmp, tmp);
        put("ns/web.yaml", buf);
        ck_assert_int_eq(capture(nh_engine_up, "web", &err), NH_EXIT_FAILURE);
        ck_assert_ptr_nonnull(strstr(err, "failing start as configured"));
        ck_assert_ptr_nonnull(strstr(err, "failed at stage gamma"));
        free(err);
        snprintf(buf, sizeof buf, "%s/calls", tmp);
        log = slurp(buf);
        ck_assert_ptr_nonnull(strstr(log, "beta start web\nalpha start web\ngamma start web\n"
                                          "alpha stop web\nbeta stop web\n"));
        free(log);
}
END_TEST

/* A bad value anywhere stops "up" before any stage starts. */
START_TEST(test_up_validates_first)
{
        char buf[1024], *log, *err;

        snprintf(buf, sizeof buf,
                 "stages: [alpha, beta, gamma]\n"
                 "alpha: {log: %s/calls}\nbeta: {log: %s/calls}\ngamma: {log: %s/calls, count: 11}\n",
                 tmp, tmp, tmp);
        put("ns/web.yaml", buf);
        ck_assert_int_eq(capture(nh_engine_up, "web", &err), NH_EXIT_CONFIG);
        ck_assert_ptr_nonnull(strstr(err, "web.yaml:4:"));
        ck_assert_ptr_nonnull(strstr(err, "gamma.count"));
        free(err);
        snprintf(buf, sizeof buf, "%s/calls", tmp);
        log = slurp(buf);
        ck_assert_ptr_null(strstr(log, "start"));
        free(log);
}
END_TEST

START_TEST(test_validate_failure_is_config_error)
{
        char buf[1024], *err;

        snprintf(buf, sizeof buf, "stages: [alpha]\nalpha: {fail: validate}\n");
        put("ns/web.yaml", buf);
        ck_assert_int_eq(capture(nh_engine_validate, "web", &err), NH_EXIT_CONFIG);
        ck_assert_ptr_nonnull(strstr(err, "web.yaml:2:"));
        ck_assert_ptr_nonnull(strstr(err, "alpha.fail"));
        ck_assert_ptr_nonnull(strstr(err, "told to fail validation"));
        free(err);
}
END_TEST

START_TEST(test_unknown_stage_section)
{
        char *err;

        put("ns/web.yaml", "stages: [alpha]\nalpha: {}\nzeta: {}\n");
        ck_assert_int_eq(capture(nh_engine_validate, "web", &err), NH_EXIT_CONFIG);
        ck_assert_ptr_nonnull(strstr(err, "zeta"));
        free(err);
}
END_TEST

/* The namespace's "implementations:" picks another plugin for a stage. */
START_TEST(test_implementation_choice)
{
        char buf[1024], *err;

        snprintf(buf, sizeof buf, "stages: [alpha]\nimplementations: {alpha: alt}\nalpha: {}\n");
        put("ns/web.yaml", buf);
        ck_assert_int_eq(capture(nh_engine_validate, "web", &err), NH_EXIT_OK);
        free(err);

        snprintf(buf, sizeof buf, "stages: [alpha]\nimplementations: {alpha: beta}\nalpha: {}\n");
        put("ns/web.yaml", buf);
        ck_assert_int_eq(capture(nh_engine_validate, "web", &err), NH_EXIT_PLUGIN);
        ck_assert_ptr_nonnull(strstr(err, "implements stage 'beta', not 'alpha'"));
        free(err);

        snprintf(buf, sizeof buf, "stages: [alpha]\nimplementations: {alpha: badabi}\nalpha: {}\n");
        put("ns/web.yaml", buf);
        ck_assert_int_eq(capture(nh_engine_validate, "web", &err), NH_EXIT_PLUGIN);
        ck_assert_ptr_nonnull(strstr(err, "was refused"));
        ck_assert_ptr_nonnull(strstr(err, "badabi.so"));
        free(err);
}
END_TEST

/* A plugin left out of the global "plugins:" list is not used. */
START_TEST(test_disabled_plugin)
{
        char *err;

        put("netns-helper.yaml", "plugins: [beta, gamma]\n");
        put("ns/web.yaml", "stages: [alpha]\n");
        ck_assert_int_eq(capture(nh_engine_validate, "web", &err), NH_EXIT_PLUGIN);
        ck_assert_ptr_nonnull(strstr(err, "alpha"));
        free(err);
}
END_TEST

START_TEST(test_bad_namespace_name)
{
        char *err;

        ck_assert_int_eq(capture(nh_engine_up, "../etc", &err), NH_EXIT_CONFIG);
        ck_assert_ptr_nonnull(strstr(err, "Invalid namespace name '../etc'"));
        free(err);
}
END_TEST

static long pid_in(const char *log, const char *what)
{
        const char *p = strstr(log, what);
        return p ? strtol(p + strlen(what), NULL, 10) : -1;
}

/* "up" runs a long-running stage in a child and returns once it said it is
 * ready; "down" ends that child with SIGTERM and then calls stop. */
START_TEST(test_long_running_up_down)
{
        char buf[1024], *log, *err;
        long pid;

        snprintf(buf, sizeof buf, "stages: [alpha, waiter]\nalpha: {}\nwaiter: {log: %s/calls}\n", tmp);
        put("ns/web.yaml", buf);
        ck_assert_int_eq(capture(nh_engine_up, "web", &err), NH_EXIT_OK);
        ck_assert_ptr_nonnull(strstr(err, "waiting for SIGTERM"));
        free(err);
        snprintf(buf, sizeof buf, "%s/calls", tmp);
        log = slurp(buf);
        pid = pid_in(log, "start ");
        ck_assert_int_gt(pid, 1);
        ck_assert_int_eq(kill((pid_t) pid, 0), 0);
        free(log);
        /* The one record of the process, outside the run directory. */
        snprintf(buf, sizeof buf, "%s/run/.pids/web/waiter.pid", tmp);
        log = slurp(buf);
        ck_assert_int_eq(strtol(log, NULL, 10), pid);
        free(log);

        /* The child logs to the run directory once ready, not to the
         * stderr of the "up" that may be a pipe someone reads. */
        snprintf(buf, sizeof buf, "%s/run/web/waiter.log", tmp);
        ck_assert_int_eq(access(buf, F_OK), 0);

        ck_assert_int_eq(capture(nh_engine_down, "web", &err), NH_EXIT_OK);
        free(err);
        snprintf(buf, sizeof buf, "%s/calls", tmp);
        log = slurp(buf);
        ck_assert_int_eq(pid_in(log, "stopped "), pid);
        ck_assert_ptr_nonnull(strstr(log, "stopped"));
        ck_assert_ptr_nonnull(strstr(strstr(log, "stopped"), "\nstop "));
        free(log);
        ck_assert_int_ne(kill((pid_t) pid, 0), 0);
}
END_TEST

/* A long-running stage that ends before it is ready fails "up", which
 * undoes the stages before it. */
START_TEST(test_long_running_not_ready)
{
        char buf[1024], *err;

        snprintf(buf, sizeof buf, "stages: [alpha, waiter]\nalpha: {log: %s/calls}\nwaiter: {ready: no}\n", tmp);
        put("ns/web.yaml", buf);
        ck_assert_int_eq(capture(nh_engine_up, "web", &err), NH_EXIT_FAILURE);
        ck_assert_ptr_nonnull(strstr(err, "giving up before being ready"));
        free(err);
        snprintf(buf, sizeof buf, "%s/calls", tmp);
        err = slurp(buf);
        ck_assert_str_eq(err, "alpha validate web\nalpha start web\nalpha stop web\n");
        free(err);
}
END_TEST

/* A stage marked NH_PLUGIN_AFTER_ALL (post-up) does not start, one unit at
 * a time, while a stage configured before it is not up, e.g. a DHCP unit
 * that failed; it does once they are, and not again after one stopped. */
START_TEST(test_after_all)
{
        char buf[1024], *err, *log;

        snprintf(buf, sizeof buf, "stages: [alpha, waiter, omega]\nalpha: {}\nwaiter: {log: %s/calls}\n"
                 "omega: {log: %s/calls}\n", tmp, tmp);
        put("ns/web.yaml", buf);
        ck_assert_int_eq(run_stage("alpha", "web", NH_VERB_START, &err), NH_EXIT_OK);
        free(err);
        ck_assert_int_eq(run_stage("omega", "web", NH_VERB_START, &err), NH_EXIT_FAILURE);
        ck_assert_ptr_nonnull(strstr(err, "not starting: stage waiter of namespace web is not up"));
        ck_assert_ptr_nonnull(strstr(err, "netns-helper-waiter@web.service"));
        free(err);
        snprintf(buf, sizeof buf, "%s/calls", tmp);
        log = slurp(buf);
        ck_assert_ptr_null(strstr(log, "omega start"));
        free(log);

        /* "up" brings waiter up (it says ready), then omega may run. */
        ck_assert_int_eq(capture(nh_engine_up, "web", &err), NH_EXIT_OK);
        free(err);
        ck_assert_int_eq(run_stage("omega", "web", NH_VERB_START, &err), NH_EXIT_OK);
        free(err);
        ck_assert_int_eq(run_stage("alpha", "web", NH_VERB_STOP, &err), NH_EXIT_OK);
        free(err);
        ck_assert_int_eq(run_stage("omega", "web", NH_VERB_START, &err), NH_EXIT_FAILURE);
        ck_assert_ptr_nonnull(strstr(err, "stage alpha of namespace web is not up"));
        free(err);
        ck_assert_int_eq(capture(nh_engine_down, "web", &err), NH_EXIT_OK);
        free(err);
}
END_TEST

/* The core makes netlink sockets with the libnl-3 of the plugin that asks,
 * and links none itself: a plugin without libnl gets ENOSYS and a message
 * that says what to link; one with it gets a connected socket. */
START_TEST(test_netlink_uses_the_plugins_libnl)
{
        char *err;

        put("ns/web.yaml", "stages: [nlask, nlasknl]\n");
        ck_assert_int_eq(run_stage("nlask", "web", NH_VERB_START, &err), NH_EXIT_FAILURE);
        ck_assert_ptr_nonnull(strstr(err, "does not link libnl-3"));
        ck_assert_ptr_nonnull(strstr(err, "nlask.so"));
        ck_assert_ptr_nonnull(strstr(err, strerror(ENOSYS)));
        free(err);
        ck_assert_int_eq(run_stage("nlasknl", "web", NH_VERB_START, &err), NH_EXIT_OK);
        ck_assert_ptr_nonnull(strstr(err, "netlink socket connected"));
        free(err);
}
END_TEST

static size_t loaded_plugins(struct nh_engine *e)
{
        return nh_engine_registry(e)->n_recs;
}

/* "up" loads the plugins of the stages a namespace runs, not every plugin
 * in the directories, when its file names nothing else; a section for a
 * stage it does not run makes it look at all of them (to tell a known
 * stage from a typo). */
/* "up" and "down" of namespace web with this configuration, in a fresh
 * engine: how many plugins "up" loaded. */
static size_t plugins_loaded_by_up(const char *yaml)
{
        struct nh_engine *e = NULL;
        size_t n;

        put("ns/web.yaml", yaml);
        ck_assert_int_eq(nh_engine_new(&e), NH_EXIT_OK);
        ck_assert_int_eq(nh_engine_up(e, "web"), NH_EXIT_OK);
        n = loaded_plugins(e);
        ck_assert_int_eq(nh_engine_down(e, "web"), NH_EXIT_OK);
        nh_engine_free(e);
        return n;
}

START_TEST(test_up_loads_only_its_plugins)
{
        ck_assert_uint_eq(plugins_loaded_by_up("stages: [alpha]\nalpha: {}\n"), 1);
        ck_assert_uint_gt(plugins_loaded_by_up("stages: [alpha]\nalpha: {}\nbeta: {}\n"), 5);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("engine");
        TCase *tc = tcase_create("loader");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_load_good);
        tcase_add_test(tc, test_refuse_abi_major);
        tcase_add_test(tc, test_refuse_newer_minor);
        tcase_add_test(tc, test_refuse_name_mismatch);
        tcase_add_test(tc, test_refuse_no_descriptor);
        tcase_add_test(tc, test_refuse_writable);
        tcase_add_test(tc, test_refuse_unresolved);
        tcase_add_test(tc, test_refuse_writable_ancestor);
        tcase_add_test(tc, test_load_error_names_path);
        /* the race's loop is bounded by tries, not time */
        tcase_set_timeout(tc, 300);
        tcase_add_test(tc, test_symlink_swap_race);
        suite_add_tcase(s, tc);

        tc = tcase_create("pipeline");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_up_down_order);
        tcase_add_test(tc, test_up_undo);
        tcase_add_test(tc, test_up_validates_first);
        tcase_add_test(tc, test_validate_failure_is_config_error);
        tcase_add_test(tc, test_unknown_stage_section);
        tcase_add_test(tc, test_implementation_choice);
        tcase_add_test(tc, test_disabled_plugin);
        tcase_add_test(tc, test_bad_namespace_name);
        tcase_add_test(tc, test_long_running_up_down);
        tcase_add_test(tc, test_long_running_not_ready);
        tcase_add_test(tc, test_after_all);
        tcase_add_test(tc, test_netlink_uses_the_plugins_libnl);
        tcase_add_test(tc, test_up_loads_only_its_plugins);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return nht_run(suite(), "engine");
}
