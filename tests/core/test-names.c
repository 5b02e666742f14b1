/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the name rules (core/names.h): accept and refuse tables. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/names.h"
#include "base/util.h"

static const char name64[] = "a234567890123456789012345678901234567890123456789012345678901234";
static const char name65[] = "a2345678901234567890123456789012345678901234567890123456789012345";

START_TEST(namespace_accepts)
{
        static const char *const good[] = {
                "web", "a", "A", "0", "torrents", "my_ns", "my-ns", "my.ns", "ns-1.2_3",
                "x-", "x.", "9lives", "UPPER", name64,
        };
        char why[256];

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                why[0] = '\0';
                ck_assert_msg(nh_namespace_name_check(good[i], why, sizeof why) == 0,
                              "refused \"%s\": %s", good[i], why);
                ck_assert(nh_namespace_name_valid(good[i]));
        }
}
END_TEST

START_TEST(namespace_refuses)
{
        static const struct { const char *name, *why; } bad[] = {
                { "", "the name is empty" },
                { ".", "starts with '.'" },
                { "..", "starts with '.'" },
                { ".hidden", "starts with '.'" },
                { "-rf", "starts with '-'" },
                { "a..b", "contains \"..\"" },
                { "a/b", "contains '/'" },
                { "../etc", "contains '/'" },
                { "a b", "contains white space" },
                { "a\tb", "contains white space" },
                { "a\nb", "contains a control character" },
                { "a\x7f", "contains a control character" },
                { "a\x1b[31m", "contains a control character" },
                { "caf\xc3\xa9", "contains a non-ASCII byte" },
                { "a;b", "contains ';'" },
                { "a$b", "contains '$'" },
                { "$(reboot)", "contains '$'" },
                { "a`b`", "contains '`'" },
                { "a|b", "contains '|'" },
                { "a&b", "contains '&'" },
                { "a>b", "contains '>'" },
                { "a<b", "contains '<'" },
                { "a*", "contains '*'" },
                { "a?", "contains '?'" },
                { "a[1]", "contains '['" },
                { "a'b", "contains '''" },
                { "a\"b", "contains '\"'" },
                { "a\\b", "contains '\\'" },
                { "a~", "contains '~'" },
                { "a:b", "contains ':'" },
                { "a@b", "contains '@'" },
                { "a%b", "contains '%'" },
                { "a=b", "contains '='" },
                { "a!", "contains '!'" },
                { "a#b", "contains '#'" },
                { "a{b}", "contains '{'" },
                { "a,b", "contains ','" },
                { name65, "is 65 bytes long, more than 64" },
        };
        char why[256];

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                why[0] = '\0';
                ck_assert_msg(nh_namespace_name_check(bad[i].name, why, sizeof why) == -EINVAL,
                              "accepted \"%s\"", bad[i].name);
                ck_assert_msg(strstr(why, bad[i].why), "\"%s\": \"%s\" does not say \"%s\"",
                              bad[i].name, why, bad[i].why);
                ck_assert_msg(strstr(why, "; expected "), "\"%s\": \"%s\" does not say what is expected",
                              bad[i].name, why);
                ck_assert(!nh_namespace_name_valid(bad[i].name));
        }
        ck_assert_int_eq(nh_namespace_name_check(NULL, why, sizeof why), -EINVAL);
        /* A tiny or absent buffer is fine. */
        ck_assert_int_eq(nh_namespace_name_check("a/b", why, 4), -EINVAL);
        ck_assert_uint_eq(strlen(why), 3);
        ck_assert_int_eq(nh_namespace_name_check("a/b", NULL, 0), -EINVAL);
}
END_TEST

START_TEST(service_accepts)
{
        static const char *const good[] = {
                "transmission-daemon", "transmission-daemon.service", "web@1.service", "foo@.service",
                "foo@bar", "a", "my_app:1", "dev-sda1.device", "foo\\x2dbar.service", "x.socket",
                "x.target", "x.timer", "x.path", "x.mount", "x.automount", "x.swap", "x.slice", "x.scope",
                "my.app.service", "web@a@b.service",
        };
        char name247[248], name255[256];
        char why[256];

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                why[0] = '\0';
                ck_assert_msg(nh_service_name_check(good[i], why, sizeof why) == 0,
                              "refused \"%s\": %s", good[i], why);
        }
        /* 247 + ".service" = 255 */
        memset(name247, 'a', 247);
        name247[247] = '\0';
        ck_assert_int_eq(nh_service_name_check(name247, why, sizeof why), 0);
        memset(name255, 'a', 255);
        memcpy(name255 + 255 - 8, ".service", 8);
        name255[255] = '\0';
        ck_assert_int_eq(nh_service_name_check(name255, why, sizeof why), 0);
}
END_TEST

START_TEST(service_refuses)
{
        static const struct { const char *name, *why; } bad[] = {
                { "", "empty" },
                { ".service", "starts with '.'" },
                { ".hidden", "starts with '.'" },
                { "-x", "starts with '-'" },
                { "@.service", "starts with '@'" },
                { "@x", "starts with '@'" },
                { "a..service", "contains \"..\"" },
                { "../x.service", "contains '/'" },
                { "a/b.service", "contains '/'" },
                { "a b.service", "white space" },
                { "a\n.service", "control character" },
                { "a;reboot", "contains ';'" },
                { "$(x).service", "contains '$'" },
                { "caf\xc3\xa9.service", "non-ASCII" },
                { "foo.sevrice", "does not end in a unit type" },
                { "my.app", "does not end in a unit type" },
                { "foo.", "does not end in a unit type" },
                { "foo.Service", "does not end in a unit type" },
        };
        char name248[249], name256[257];
        char why[256];

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                why[0] = '\0';
                ck_assert_msg(nh_service_name_check(bad[i].name, why, sizeof why) == -EINVAL,
                              "accepted \"%s\"", bad[i].name);
                ck_assert_msg(strstr(why, bad[i].why), "\"%s\": \"%s\" does not say \"%s\"",
                              bad[i].name, why, bad[i].why);
                ck_assert(strstr(why, "; expected "));
        }
        memset(name248, 'a', 248);
        name248[248] = '\0';
        ck_assert_int_eq(nh_service_name_check(name248, why, sizeof why), -EINVAL);
        ck_assert(strstr(why, "too long"));
        memset(name256, 'a', 256);
        memcpy(name256 + 256 - 8, ".service", 8);
        name256[256] = '\0';
        ck_assert_int_eq(nh_service_name_check(name256, why, sizeof why), -EINVAL);
        ck_assert(strstr(why, "256 bytes long"));
        ck_assert_int_eq(nh_service_name_check(NULL, NULL, 0), -EINVAL);
}
END_TEST

START_TEST(plugin_names)
{
        static const char *const good[] = { "netns", "macvlan", "dhcp4", "dhclient4", "my_plugin", "a-b", "9" };
        static const char *const bad[] = { "", "-x", "_x", ".x", "a.b", "a/b", "a b", "../x", "Ä", name65 };

        for (size_t i = 0; i < ELEMENTSOF(good); i++)
                ck_assert_msg(nh_plugin_name_valid(good[i]), "refused %s", good[i]);
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ck_assert_msg(!nh_plugin_name_valid(bad[i]), "accepted %s", bad[i]);
        ck_assert(nh_plugin_name_valid(name64));
        ck_assert(!nh_plugin_name_valid(NULL));
}
END_TEST

int main(void)
{
        Suite *s = suite_create("names");
        TCase *tc = tcase_create("names");
        SRunner *sr;
        int failed;

        tcase_add_test(tc, namespace_accepts);
        tcase_add_test(tc, namespace_refuses);
        tcase_add_test(tc, service_accepts);
        tcase_add_test(tc, service_refuses);
        tcase_add_test(tc, plugin_names);
        suite_add_tcase(s, tc);
        sr = srunner_create(s);
        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
