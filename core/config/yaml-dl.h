/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libyaml, loaded when a YAML file must be parsed, not when a program
 * starts.
 *
 * Most netns-helper processes are stage processes whose configuration
 * comes from the parsed-tree cache (conf.c), and they have no use for
 * libyaml; linked in, it would still cost each of them the time to map and
 * relocate it (about 0.15 ms per process on the development VM, more than
 * parsing a namespace's file takes).  So the library is opened with
 * dlopen() on first use, as systemd does with its optional libraries, and
 * its functions are called through the sym_ pointers below, whose types
 * come from <yaml.h> itself.
 */
#pragma once

#include <yaml.h>

extern __typeof__(yaml_parser_initialize) *sym_yaml_parser_initialize;
extern __typeof__(yaml_parser_set_input_string) *sym_yaml_parser_set_input_string;
extern __typeof__(yaml_parser_parse) *sym_yaml_parser_parse;
extern __typeof__(yaml_event_delete) *sym_yaml_event_delete;
extern __typeof__(yaml_parser_delete) *sym_yaml_parser_delete;

/* Loads the library once per process.  0 when the sym_ pointers are set;
 * otherwise logs what is missing and which package provides it and returns
 * -EOPNOTSUPP. */
int nh_yaml_dlopen(void);

/* Whether this process has mapped libyaml (for the tests). */
int nh_yaml_loaded(void);
