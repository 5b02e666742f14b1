/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What "netns-helper status" collected (status.h), as text or JSON.
 * Facts are shown generically: a stage's own (STAGE.KEY) on one line per
 * stage, whatever the stage. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "cli/status.h"
#include "engine/engine.h"
#include "netns-helper/facts.h"

const char *status_fact(const struct ns_status *s, const char *key)
{
        for (size_t i = 0; i < s->n_facts; i++)
                if (streq(s->facts[i].key, key))
                        return s->facts[i].value;
        return NULL;
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

/* A fact whose key ends in ".expires" is a time (netns-helper/facts.h):
 * 1: a time (*t), 0: infinite, -1: not a time. */
static int fact_time(const char *key, const char *value, long long *t)
{
        if (!svc_ends_with(key, ".expires"))
                return -1;
        int r = nh_fact_parse_time(value, t);
        return r < 0 ? -1 : r;
}

void status_print_json(FILE *f, const struct ns_status *all, size_t n)
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
                json_str(f, status_fact(s, NH_FACT_INTERFACE));
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

void status_print_text(FILE *f, const struct ns_status *all, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                const struct ns_status *s = &all[i];
                const char *ifname = status_fact(s, NH_FACT_INTERFACE), *mac = status_fact(s, NH_FACT_MAC);
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
