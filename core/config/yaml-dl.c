/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>

#include "base/log.h"
#include "config/yaml-dl.h"

#ifndef NH_LIBYAML_SONAME
#define NH_LIBYAML_SONAME "libyaml-0.so.2"
#endif

__typeof__(yaml_parser_initialize) *sym_yaml_parser_initialize;
__typeof__(yaml_parser_set_input_string) *sym_yaml_parser_set_input_string;
__typeof__(yaml_parser_parse) *sym_yaml_parser_parse;
__typeof__(yaml_event_delete) *sym_yaml_event_delete;
__typeof__(yaml_parser_delete) *sym_yaml_parser_delete;

static void *handle;

int nh_yaml_loaded(void)
{
        return handle != NULL;
}

int nh_yaml_dlopen(void)
{
        static const struct {
                const char *name;
                void **ptr;
        } syms[] = {
                { "yaml_parser_initialize", (void **) &sym_yaml_parser_initialize },
                { "yaml_parser_set_input_string", (void **) &sym_yaml_parser_set_input_string },
                { "yaml_parser_parse", (void **) &sym_yaml_parser_parse },
                { "yaml_event_delete", (void **) &sym_yaml_event_delete },
                { "yaml_parser_delete", (void **) &sym_yaml_parser_delete },
        };
        void *h;

        if (handle)
                return 0;
        h = dlopen(NH_LIBYAML_SONAME, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
                nh_logf(NH_LOG_ERR, "Cannot load %s, needed to read YAML configuration: %s. "
                        "Install it (on Debian: apt-get install libyaml-0-2)", NH_LIBYAML_SONAME, dlerror());
                return -EOPNOTSUPP;
        }
        for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
                *syms[i].ptr = dlsym(h, syms[i].name);
                if (!*syms[i].ptr) {
                        nh_logf(NH_LOG_ERR, "%s has no %s: %s. Install a libyaml of version 0.1 or later",
                                NH_LIBYAML_SONAME, syms[i].name, dlerror());
                        for (size_t j = 0; j < i; j++)
                                *syms[j].ptr = NULL;
                        dlclose(h);
                        return -EOPNOTSUPP;
                }
        }
        handle = h;
        return 0;
}
