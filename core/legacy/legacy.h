/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The original tool's conventions, which netns-helper keeps so that its
 * files and habits go on working: the one place in the core that names
 * stages.
 */
#pragma once

#include <stdbool.h>

struct nh_ns_config;

/* Reads c->path, an ns/NAME-macvlan.conf, into c->root as a "macvlan"
 * section.  *has_address4: the file set IPADDR4.  0 or -errno (-EINVAL
 * logged). */
int legacy_load(struct nh_ns_config *c, bool *has_address4);

/* The original tool's name of a macvlan key (PARENT_IF for "parent"), or
 * NULL. */
const char *legacy_name_of(const char *key);
