/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The wg-quick configuration file a VPN provider hands out, read as data.
 *
 * Pure logic (no I/O, no core): shared by the "wireguard" and
 * "wireguard-go" plugins, the unit tests and the fuzzer.  The file is
 * never given to a shell: the keys that would run commands (PreUp,
 * PostUp, PreDown, PostDown) or that netns-helper decides itself (Table,
 * SaveConfig) are refused with what to use instead.
 */
#ifndef NH_WG_CONFIG_H
#define NH_WG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define WG_KEY_BYTES     32
#define WG_MAX_PEERS     16
#define WG_MAX_ADDRS     16
#define WG_MAX_ALLOWED   64      /* per peer */
#define WG_MAX_DNS       8
#define WG_MAX_SEARCH    6
#define WG_MAX_HOST      253
#define WG_MAX_FILE      (64 * 1024)

struct wg_prefix {
        int family;             /* AF_INET, AF_INET6 */
        unsigned prefixlen;
        uint8_t addr[16];
};

struct wg_peer {
        unsigned line;                  /* of its [Peer] header */
        bool has_public_key;
        uint8_t public_key[WG_KEY_BYTES];
        bool has_psk;
        uint8_t psk[WG_KEY_BYTES];
        bool has_endpoint;
        char endpoint_host[WG_MAX_HOST + 1];    /* a name or an address, no brackets */
        uint16_t endpoint_port;
        unsigned endpoint_line;
        struct wg_prefix allowed[WG_MAX_ALLOWED];
        size_t n_allowed;
        int keepalive;                  /* seconds; -1: not given, 0: off */
        /* Filled by the stage once the endpoint is resolved. */
        struct sockaddr_storage endpoint;
        socklen_t endpoint_len;
};

struct wg_conf {
        bool has_interface;
        bool has_private_key;
        uint8_t private_key[WG_KEY_BYTES];
        unsigned private_key_line;
        struct wg_prefix addrs[WG_MAX_ADDRS];
        size_t n_addrs;
        char dns[WG_MAX_DNS][INET6_ADDRSTRLEN];
        size_t n_dns;
        char search[WG_MAX_SEARCH][WG_MAX_HOST + 1];
        size_t n_search;
        int mtu;                        /* 0: not given */
        int listen_port;                /* -1: not given */
        uint32_t fwmark;                /* 0: not given */
        bool has_secret;                /* PrivateKey or PresharedKey in the file */
        struct wg_peer peers[WG_MAX_PEERS];
        size_t n_peers;
};

/* Where a mistake is: line 0 when it concerns the whole file. */
struct wg_error {
        unsigned line;
        char key[32];
        char msg[320];
};

/* 1 when name is a valid DNS name; the parser calls it for DNS= words that
 * are not addresses (search domains, as wg-quick takes them) and for
 * endpoint names.  NULL: letters, digits, '-' and '.' only. */
typedef int (*wg_name_valid_fn)(const char *name);

/* Parses len bytes (need not be NUL-terminated).  0, or -EINVAL with *err
 * filled (the first mistake).  c is fully initialised either way. */
int wg_conf_parse(const char *buf, size_t len, wg_name_valid_fn name_valid,
                  struct wg_conf *c, struct wg_error *err);

/* Base64 of a 32-byte key (44 characters, one '=' at the end), as wg(8)
 * writes them; 0 or -EINVAL. */
int wg_key_from_base64(const char *s, uint8_t key[WG_KEY_BYTES]);
void wg_key_to_base64(const uint8_t key[WG_KEY_BYTES], char out[45]);
void wg_key_to_hex(const uint8_t key[WG_KEY_BYTES], char out[65]);
int wg_key_from_hex(const char *s, size_t len, uint8_t key[WG_KEY_BYTES]);

/* "10.0.0.1/32", "fd00::1/128" */
const char *wg_prefix_str(const struct wg_prefix *p, char *buf, size_t len);
/* Clears the bits past the prefix length (routes must not have them). */
void wg_prefix_mask(struct wg_prefix *p);
/* Does the file give the namespace an address of this family? */
bool wg_conf_has_family(const struct wg_conf *c, int family);

#endif
