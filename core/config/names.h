/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Name rules for everything a user names that later ends up in a path, an
 * interface name, a unit name or a script's environment.
 *
 * Namespace names (nh_namespace_name_check):
 *   - 1 to NH_NAMESPACE_NAME_MAX (64) bytes;
 *   - only ASCII letters, digits, '_', '-' and '.';
 *   - the first byte is neither '-' (it would read as an option to ip(8) and
 *     systemctl(1)) nor '.' (hidden files; "." and ".." are directories);
 *   - no ".." anywhere, so no name can ever be taken for a parent directory.
 *   Everything else is refused: the empty name, '/', white space, control
 *   characters, shell metacharacters, non-ASCII bytes, overlong names.  The
 *   name is used as /run/netns/NAME, CONFDIR/ns/NAME.yaml, a systemd unit
 *   instance (netns-helper@NAME.service) and in NETNS_HELPER_NAMESPACE, so the
 *   set is the intersection of what is safe in all of them.
 *
 * Service names (nh_service_name_check), as "netns-helper add" takes them:
 *   - systemd unit name characters only: ASCII letters, digits, ':', '_',
 *     '.', '-', '@' and '\' (systemd's escaping, e.g. "foo\x2dbar");
 *   - at most 255 bytes including the ".service" the caller appends when
 *     the name has no suffix;
 *   - does not start with '.', '-' (an option to systemctl) or '@';
 *     contains no ".." (and no '/', which is not a unit name character);
 *   - when it contains a '.', it must end in a known unit type suffix
 *     (.service .socket .target .timer .path .mount .automount .swap .slice
 *     .scope .device) and have a non-empty name before it; so "foo.sevrice"
 *     is refused rather than read as "foo.sevrice.service".  Without any
 *     '.', ".service" is implied.
 *   - "foo@bar.service" (an instance) and "foo@.service" (a template) are
 *     accepted; "@" must not be the first byte.
 *
 * Both return 0 when the name is acceptable, otherwise -EINVAL with one
 * sentence in why (what is wrong and what is expected), without the name
 * itself, so the caller can quote it however it likes.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define NH_NAMESPACE_NAME_MAX 64
#define NH_SERVICE_NAME_MAX 255
#define NH_PLUGIN_NAME_MAX 64

int nh_namespace_name_check(const char *name, char *why, size_t whylen);
static inline bool nh_namespace_name_valid(const char *name) { return nh_namespace_name_check(name, NULL, 0) == 0; }

int nh_service_name_check(const char *name, char *why, size_t whylen);

/* Plugin and stage names as written in the configuration ("dhcp4",
 * "dhclient4"): 1 to 64 bytes of ASCII letters, digits, '_' and '-',
 * starting with a letter or digit.  They become file names (NAME.so) and
 * unit names. */
bool nh_plugin_name_valid(const char *name);
