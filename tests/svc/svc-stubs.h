/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Until the configuration module (core/conf.c, core/names.c) is merged,
 * the driver carries minimal stand-ins for the functions cmd-service.c
 * uses from it.  Once core/names.h exists they are not compiled and the
 * real ones from libnhcore are used. */
#pragma once

#if !__has_include("names.h")
#include <ctype.h>
#include <stdbool.h>
#include "conf.h"
#include "util.h"

int nh_namespace_name_check(const char *name, char *why, size_t whylen);
int nh_service_name_check(const char *name, char *why, size_t whylen);

int nh_namespace_name_check(const char *name, char *why, size_t whylen)
{
        size_t n = strlen(name);

        if (n == 0 || n > 12 || name[0] == '-' || name[0] == '.') {
                snprintf(why, whylen, "1-12 characters, not starting with '-' or '.'");
                return -EINVAL;
        }
        for (const char *p = name; *p; p++)
                if (!isalnum((unsigned char) *p) && *p != '-' && *p != '_') {
                        snprintf(why, whylen, "only letters, digits, '-' and '_'");
                        return -EINVAL;
                }
        return 0;
}

int nh_service_name_check(const char *name, char *why, size_t whylen)
{
        size_t n = strlen(name);

        if (n > 255 || n <= strlen(".service") || name[0] == '.' || name[0] == '-') {
                snprintf(why, whylen, "at most 255 characters, not starting with '-' or '.'");
                return -EINVAL;
        }
        for (const char *p = name; *p; p++)
                if (!isalnum((unsigned char) *p) && !strchr(":-_.\\@", *p)) {
                        snprintf(why, whylen, "only letters, digits and \":-_.\\@\"");
                        return -EINVAL;
                }
        if (strstr(name, ".."))  {
                snprintf(why, whylen, "no \"..\"");
                return -EINVAL;
        }
        return 0;
}

/* Understands only "stages: [a, b]" on one line, and a legacy file. */
int nh_ns_config_load(const char *confdir, const char *name, struct nh_ns_config **ret)
{
        struct nh_ns_config *c = calloc(1, sizeof *c);
        char *text = NULL, *p;
        static const char *const legacy[] = { "netns", "macvlan", "dhcp4", "postup" };

        if (!c)
                return -ENOMEM;
        c->name = strdup(name);
        c->path = strdup_printf("%s/ns/%s.yaml", confdir, name);
        c->legacy_path = strdup_printf("%s/ns/%s-macvlan.conf", confdir, name);
        c->stages = calloc(16, sizeof(char *));
        if (read_file(c->path, &text, NULL) >= 0) {
                c->exists = true;
                p = strstr(text, "stages:");
                p = p ? strchr(p, '[') : NULL;
                while (p && *p && *p != ']' && c->n_stages < 16) {
                        p++;
                        while (*p == ' ')
                                p++;
                        size_t k = strcspn(p, ",] \n");
                        if (k > 0)
                                c->stages[c->n_stages++] = strndup(p, k);
                        p += k;
                        while (*p == ' ')
                                p++;
                }
                free(text);
        } else if (read_file(c->legacy_path, &text, NULL) >= 0) {
                c->exists = c->legacy = true;
                free(c->path);
                c->path = strdup(c->legacy_path);
                for (size_t i = 0; i < 4; i++)
                        if (i != 2 || !strstr(text, "\nIPADDR4=1"))
                                c->stages[c->n_stages++] = strdup(legacy[i]);
                free(text);
        }
        *ret = c;
        return 0;
}

void nh_ns_config_free(struct nh_ns_config *c)
{
        if (!c)
                return;
        for (size_t i = 0; i < c->n_stages; i++)
                free(c->stages[i]);
        free(c->stages);
        free(c->name);
        free(c->path);
        free(c->legacy_path);
        free(c);
}
#endif
