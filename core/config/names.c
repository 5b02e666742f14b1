/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config/names.h"
#include "base/util.h"

static bool is_alnum(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A short description of a refused byte for the message. */
static const char *describe_byte(unsigned char c, char *buf, size_t len)
{
        if (c == ' ' || c == '\t')
                return "white space";
        if (c < 0x20 || c == 0x7f)
                return "a control character";
        if (c >= 0x80)
                return "a non-ASCII byte";
        if (c == '/')
                return "'/'";
        snprintf(buf, len, "'%c'", c);
        return buf;
}

int nh_namespace_name_check(const char *name, char *why, size_t whylen)
{
        const char *expected = "expected 1 to 64 letters, digits, '_', '-' or '.', not starting with '-' or '.'";
        size_t len;
        char b[8];

        if (!name || !*name)
                return why_refuse(why, whylen, "the name is empty; %s", expected);
        len = strlen(name);
        if (len > NH_NAMESPACE_NAME_MAX)
                return why_refuse(why, whylen, "the name is %zu bytes long, more than %d; %s",
                              len, NH_NAMESPACE_NAME_MAX, expected);
        for (const char *p = name; *p; p++)
                if (!is_alnum(*p) && *p != '_' && *p != '-' && *p != '.')
                        return why_refuse(why, whylen, "the name contains %s; %s",
                                      describe_byte((unsigned char) *p, b, sizeof b), expected);
        if (name[0] == '-')
                return why_refuse(why, whylen, "the name starts with '-' and would be read as an option; %s", expected);
        if (name[0] == '.')
                return why_refuse(why, whylen, "the name starts with '.'; %s", expected);
        if (strstr(name, ".."))
                return why_refuse(why, whylen, "the name contains \"..\"; %s", expected);
        return 0;
}

static const char *const unit_suffixes[] = {
        "service", "socket", "target", "timer", "path", "mount",
        "automount", "swap", "slice", "scope", "device",
};

int nh_service_name_check(const char *name, char *why, size_t whylen)
{
        const char *expected = "expected a systemd unit name such as \"transmission-daemon\" or \"web@1.service\"";
        const char *dot;
        size_t len;
        char b[8];

        if (!name || !*name)
                return why_refuse(why, whylen, "the name is empty; %s", expected);
        len = strlen(name);
        for (const char *p = name; *p; p++)
                if (!is_alnum(*p) && !strchr(":_.-@\\", *p))
                        return why_refuse(why, whylen, "the name contains %s; %s",
                                      describe_byte((unsigned char) *p, b, sizeof b), expected);
        if (name[0] == '.' || name[0] == '-' || name[0] == '@')
                return why_refuse(why, whylen, "the name starts with '%c'; %s", name[0], expected);
        if (strstr(name, ".."))
                return why_refuse(why, whylen, "the name contains \"..\"; %s", expected);

        dot = strrchr(name, '.');
        if (!dot) {
                if (len + strlen(".service") > NH_SERVICE_NAME_MAX)
                        return why_refuse(why, whylen, "the name is too long: with \".service\" it exceeds %d bytes; %s",
                                      NH_SERVICE_NAME_MAX, expected);
                return 0;
        }
        if (len > NH_SERVICE_NAME_MAX)
                return why_refuse(why, whylen, "the name is %zu bytes long, more than %d; %s",
                              len, NH_SERVICE_NAME_MAX, expected);
        for (size_t i = 0; i < ELEMENTSOF(unit_suffixes); i++)
                if (streq(dot + 1, unit_suffixes[i])) {
                        /* "foo@.service" is a template; "@.service" was refused above. */
                        return 0;
                }
        return why_refuse(why, whylen, "the name does not end in a unit type such as \".service\" or \".socket\"; %s",
                      expected);
}

bool nh_plugin_name_valid(const char *name)
{
        size_t len;

        if (!name || !is_alnum(name[0]))
                return false;
        len = strlen(name);
        if (len > NH_PLUGIN_NAME_MAX)
                return false;
        for (const char *p = name; *p; p++)
                if (!is_alnum(*p) && *p != '_' && *p != '-')
                        return false;
        return true;
}
