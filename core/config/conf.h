/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Configuration: the global netns-helper.yaml, the per-namespace
 * ns/NAME.yaml, and the original tool's ns/NAME-macvlan.conf.
 *
 * Everything is read into one tree of nodes that remembers the file, line
 * and column each node was written at, so every error can point at it.  A
 * legacy .conf file becomes the same tree (a "macvlan" section), with the
 * .conf file's line numbers.
 *
 * Errors are logged here (with log_error, "FILE:LINE:COL: KEY: what is
 * wrong; what is expected") and returned as -EINVAL; other failures return
 * a negative errno.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "netns-helper/plugin.h"

enum nh_node_kind { NH_NODE_SCALAR, NH_NODE_SEQ, NH_NODE_MAP };

struct nh_node {
        enum nh_node_kind kind;
        char *value;                 /* SCALAR: the text, never NULL */
        size_t n;                    /* SEQ: items; MAP: pairs */
        struct nh_node **items;      /* SEQ: the items; MAP: the values */
        struct nh_node **keys;       /* MAP: the keys (SCALAR nodes) */
        const char *file;            /* shared, owned by the config */
        unsigned line, column;       /* 1-based */
};

/* A stage -> plugin choice ("implementations:"). */
struct nh_impl {
        char *stage;
        char *plugin;
        const struct nh_node *where;
};

struct nh_order {
        char *plugin;                /* a plugin name */
        int order;
        const struct nh_node *where;
};

/* Seconds a hook may run before it is stopped and its stage fails. */
#define NH_HOOK_TIMEOUT_DEFAULT 90
#define NH_HOOK_TIMEOUT_MAX 86400
/* Seconds "netns-helper up" waits for a long-running stage to call
 * nh_ready() before it stops it and undoes the namespace: the units' own
 * TimeoutStartSec=. */
#define NH_READY_TIMEOUT_DEFAULT 90
#define NH_READY_TIMEOUT_MAX 86400

/* A stage a namespace's file implies when it has no "stages:": its
 * section SECTION is there without KEY (and the file has no section of
 * STAGE's own). */
struct nh_stage_if_missing {
        const char *section, *key, *stage;
};

/* The stages of a namespace's file that has no "stages:": first, one per
 * section in the file's order, those implied (if_missing), last; each
 * once. */
struct nh_default_stages {
        const char *const *first;
        size_t n_first;
        const struct nh_stage_if_missing *if_missing;
        size_t n_if_missing;
        const char *const *last;
        size_t n_last;
};

struct nh_global_config {
        char *path;                  /* CONFDIR/netns-helper.yaml */
        bool exists;
        char **plugin_dirs;          /* "plugin-dirs:"; default { NH_PLUGINDIR } */
        size_t n_plugin_dirs;
        bool all_plugins;            /* "plugins:" absent, or "all" */
        char **plugins;              /* enabled plugin names otherwise */
        size_t n_plugins;
        struct nh_impl *impls;       /* "implementations:" */
        size_t n_impls;
        struct nh_order *orders;     /* "order:" */
        size_t n_orders;
        unsigned hook_timeout_s;     /* "hook-timeout:"; 0 = none; default NH_HOOK_TIMEOUT_DEFAULT */
        unsigned ready_timeout_s;    /* "ready-timeout:"; 0 = none; default NH_READY_TIMEOUT_DEFAULT */
        const struct nh_node *plugins_node; /* "plugins:", for errors; NULL when absent */
        const struct nh_node *plugin_dirs_node; /* "plugin-dirs:", likewise */
        struct nh_node *root;        /* NULL when the file does not exist */
        uint64_t hash;               /* of the file's bytes; 0 when there is none */
        /* "default-stages:"; what it leaves out is the original tool's
         * (nh_legacy_default_stages()).  It points into the ds_ members. */
        struct nh_default_stages default_stages;
        char **ds_first, **ds_last;
        size_t n_ds_first, n_ds_last;
        struct nh_stage_if_missing *ds_if_missing;
        size_t n_ds_if_missing;
};

struct nh_ns_config {
        char *name;
        char *path;                  /* the file in use; the .yaml path when none exists */
        char *legacy_path;           /* CONFDIR/ns/NAME-macvlan.conf */
        bool exists;                 /* a file was read */
        bool legacy;                 /* it was the -macvlan.conf */
        char **stages;               /* "stages:", or the default rule below */
        size_t n_stages;
        bool stages_explicit;
        struct nh_impl *impls;       /* "implementations:" */
        size_t n_impls;
        struct nh_node *root;        /* a MAP, never NULL (empty when no file) */
        uint64_t hash;               /* of the file's bytes; 0 when there is none */
};

/* Reads CONFDIR/netns-helper.yaml.  A missing file gives the defaults.
 * Top-level keys: plugin-dirs (list of absolute paths), plugins (list of
 * names, or "all"), implementations (map stage -> plugin name),
 * order (map plugin name -> int).  Unknown keys are errors. */
/* Where parsed YAML trees are cached (see "the parsed-tree cache" in
 * conf.c); NULL, the default, or a relative path: no cache. */
void nh_conf_set_cache_dir(const char *dir);
/* Read the cache but never write it: for the commands that promise to
 * change nothing (validate, check, ...). */
void nh_conf_set_cache_readonly(bool readonly);
/* The cache directory in use (NULL: none), and whether it may be written. */
const char *nh_conf_cache_dir(void);
bool nh_conf_cache_writable(void);

int nh_global_config_load(const char *confdir, struct nh_global_config **ret);
void nh_global_config_free(struct nh_global_config *c);

/* Reads CONFDIR/ns/NAME.yaml, else CONFDIR/ns/NAME-macvlan.conf; the
 * .yaml wins when both exist (a warning names both).  No file at all is not
 * an error: exists = false and an empty root.  The name must already have
 * been checked with nh_namespace_name_valid().
 *
 * Top-level keys of the .yaml: "stages" (list of stage names),
 * "implementations" (map stage -> plugin), and one section (a MAP, or
 * empty/null meaning an empty MAP) per stage, named after the stage.  Which
 * section names are stages is only known once plugins are loaded:
 * nh_ns_config_check_sections() checks that.
 *
 * Default stages when "stages:" is absent: "default-stages:" of
 * CONFDIR/netns-helper.yaml (struct nh_default_stages; that of the global
 * file loaded last in this process when it is CONFDIR's, else the file is
 * read for it), by default the original tool's: netns; then every stage
 * that has a section, in file order; then dhcp4 when there is a "macvlan"
 * section without "address4" and no "dhcp4" section; then postup.
 * Duplicates are dropped.  A legacy file is a "macvlan" section: netns,
 * macvlan, dhcp4 (only without IPADDR4), postup.
 *
 * Legacy .conf: lines KEY=VALUE, "#" comments and blank lines, values
 * optionally in single or double quotes (no expansion, no escapes but \" in
 * double quotes), "export " prefix tolerated.  Keys map to the macvlan
 * section: MAC->mac, PARENT_IF->parent, IPADDR4->address4,
 * DEFAULT_GATEWAY4->gateway4, IPADDR6->address6, DEFAULT_GATEWAY6->gateway6,
 * PRIVACY_EXT->privacy-ext.  An empty value means unset.  Unknown keys and
 * malformed lines are errors naming the file and line.  Never run through a
 * shell. */
int nh_ns_config_load(const char *confdir, const char *name, struct nh_ns_config **ret);
void nh_ns_config_free(struct nh_ns_config *c);

/* The section of a stage, or NULL when absent (an empty/null section is
 * returned as an empty MAP). */
const struct nh_node *nh_ns_config_section(const struct nh_ns_config *c, const char *stage);

/* Every top-level key must be "stages", "implementations" or one of the
 * n known stage names; every entry of "stages" must be a known stage. */
int nh_ns_config_check_sections(const struct nh_ns_config *c, const char *const *known_stages, size_t n);

/* Checks a stage's section against a plugin's key table: unknown keys
 * (the message lists the known ones), missing NH_KEY_REQUIRED keys, lists
 * where NH_KEY_LIST is not set, and every value against its type.  Logs
 * each mistake; returns -EINVAL if there was any. section may be NULL
 * (absent: only NH_KEY_REQUIRED matters; the error then names the file). */
int nh_section_check(const struct nh_ns_config *c, const char *stage,
                     const struct nh_node *section, const struct nh_key *keys);
/* The same, also accepting core_keys (keys the core itself reads in this
 * section; may be NULL). */
int nh_section_check_core(const struct nh_ns_config *c, const char *stage, const struct nh_node *section,
                          const struct nh_key *keys, const struct nh_key *core_keys);

/* Lookup in a MAP node; NULL when absent or not a map. */
const struct nh_node *nh_node_get(const struct nh_node *map, const char *key);

/* "FILE:LINE:COL: SECTION.KEY: message" (key may be NULL; node may be NULL,
 * then file is used alone). */
__attribute__((format(printf, 5, 6)))
void nh_config_report(int prio, const char *file, const struct nh_node *node,
                      const char *what, const char *fmt, ...);
void nh_config_reportv(int prio, const char *file, const struct nh_node *node,
                       const char *what, const char *fmt, va_list ap);

/* --- value parsers (pure; no logging; -EINVAL on bad input) --- */
int nh_parse_bool(const char *s, int *out);            /* yes/no true/false on/off 1/0 */
int nh_parse_int(const char *s, long long *out);       /* decimal, optional sign */
/* aa:bb:cc:dd:ee:ff (also '-' separators), any case.  -EINVAL when it does
 * not parse, -EDOM when it is multicast/broadcast, -ERANGE when all zero. */
int nh_parse_mac(const char *s, uint8_t out[6]);
/* family AF_INET, AF_INET6 or AF_UNSPEC (either); allow_prefix: "/N"
 * accepted (and range-checked), default full length. */
int nh_parse_inet(const char *s, int family, bool allow_prefix, struct nh_inet *out);
bool nh_ifname_valid(const char *s);                   /* 1..15 bytes, no '/', ':', white space; not "." or ".." */
/* Checks one scalar against a key's type; on error writes a sentence
 * (what is wrong and what is expected) into why. */
int nh_value_check(const struct nh_key *k, const char *value, char *why, size_t whylen);
