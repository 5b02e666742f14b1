/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of libnetns-helper-sdk's plain helpers (<netns-helper/sdk.h>):
 * atomic file writes (content, mode, nothing left on failure), the
 * hashes (their published test vectors: names made from them must not
 * change across versions), link names, address text, libnl errors. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netlink/errno.h>

#include <netns-helper/plugin.h>
#include <netns-helper/sdk.h>
#include "../nht-check.h"

static unsigned entries(const char *dir)
{
        DIR *d = opendir(dir);
        struct dirent *de;
        unsigned n = 0;

        ck_assert_ptr_nonnull(d);
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                        n++;
        closedir(d);
        return n;
}

static void read_back(const char *path, char *buf, size_t len)
{
        int fd = open(path, O_RDONLY);
        ssize_t n;

        ck_assert_int_ge(fd, 0);
        n = read(fd, buf, len - 1);
        ck_assert_int_ge(n, 0);
        buf[n] = '\0';
        close(fd);
}

START_TEST(file_write_atomic)
{
        char dir[256], path[300], tmp[310], text[64];
        struct stat st;

        ck_assert_ptr_nonnull(nht_mkdtemp(dir, sizeof dir, "atomic"));
        snprintf(path, sizeof path, "%s/state", dir);
        umask(0077);
        ck_assert_int_eq(nh_file_write_atomic(path, "one\n", 4, 0644, NH_FILE_SYNC), 0);
        read_back(path, text, sizeof text);
        ck_assert_str_eq(text, "one\n");
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0644);    /* whatever the umask */
        ck_assert_int_eq(nh_file_write_atomic(path, "two\n", 4, 0600, 0), 0);
        read_back(path, text, sizeof text);
        ck_assert_str_eq(text, "two\n");
        ck_assert_uint_eq(entries(dir), 1);             /* no temporary file left */

        /* A write that fails (a full file system): the old file stays as
         * it was, and the temporary file goes. */
        snprintf(tmp, sizeof tmp, "%s.tmp", path);
        ck_assert_int_eq(symlink("/dev/full", tmp), 0);
        ck_assert_int_eq(nh_file_write_atomic(path, "three\n", 6, 0600, NH_FILE_FIXED_TMP), -ENOSPC);
        read_back(path, text, sizeof text);
        ck_assert_str_eq(text, "two\n");
        ck_assert_uint_eq(entries(dir), 1);
        ck_assert_int_eq(nh_file_write_atomic(path, "three\n", 6, 0600, NH_FILE_FIXED_TMP), 0);
        read_back(path, text, sizeof text);
        ck_assert_str_eq(text, "three\n");
        ck_assert_uint_eq(entries(dir), 1);

        snprintf(path, sizeof path, "%s/no/such/dir", dir);
        ck_assert_int_eq(nh_file_write_atomic(path, "x", 1, 0600, 0), -ENOENT);
}
END_TEST

START_TEST(hashes)
{
        /* The FNV authors' test vectors. */
        ck_assert_uint_eq(nh_fnv1a32("", 0, NH_FNV32_INIT), 0x811c9dc5u);
        ck_assert_uint_eq(nh_fnv1a32("a", 1, NH_FNV32_INIT), 0xe40c292cu);
        ck_assert_uint_eq(nh_fnv1a32("foobar", 6, NH_FNV32_INIT), 0xbf9cf968u);
        ck_assert_uint_eq(nh_fnv1a64("", 0, NH_FNV64_INIT), 0xcbf29ce484222325ull);
        ck_assert_uint_eq(nh_fnv1a64("a", 1, NH_FNV64_INIT), 0xaf63dc4c8601ec8cull);
        ck_assert_uint_eq(nh_fnv1a64("foobar", 6, NH_FNV64_INIT), 0x85944171f73967e8ull);
}
END_TEST

START_TEST(ifname_from_ns)
{
        char a[NH_IFNAMSIZ], b[NH_IFNAMSIZ], c[NH_IFNAMSIZ];

        nh_ifname_from_ns("ve-", "web", a);
        ck_assert_str_eq(a, "ve-web");
        nh_ifname_from_ns("wg-", "abcdefghijkl", a);    /* 3 + 12 = 15 bytes: kept */
        ck_assert_str_eq(a, "wg-abcdefghijkl");
        nh_ifname_from_ns("ve-", "abcdefghijklm", a);   /* 16: shortened */
        nh_ifname_from_ns("ve-", "abcdefghijklm", b);
        nh_ifname_from_ns("ve-", "abcdefXhijklm", c);
        ck_assert_str_eq(a, b);                         /* stable */
        ck_assert_str_ne(a, c);                         /* one head, two names */
        ck_assert_uint_eq(strlen(a), 15);
        ck_assert(strncmp(a, "ve-abcdef-", 10) == 0);
        /* The hash part as the stages have always made it. */
        snprintf(c, sizeof c, "ve-abcdef-%05x",
                 (unsigned) (nh_fnv1a32("abcdefghijklm", 13, NH_FNV32_INIT) & 0xfffff));
        ck_assert_str_eq(a, c);
        ck_assert(nh_ifname_ok(a, strlen(a)));
}
END_TEST

START_TEST(ifname_ok)
{
        static const char *const good[] = { "eth0", "nm_web", "ve-abcdef-12345", "a", "..a", "x.y" };
        static const char *const bad[] = { "", ".", "..", "a/b", "a:1", "a b", "a\tb", "a\nb",
                                           "abcdefghijklmnop", "caf\xc3\xa9", "\x7f" };

        for (size_t i = 0; i < sizeof good / sizeof *good; i++)
                ck_assert_msg(nh_ifname_ok(good[i], strlen(good[i])), "%s refused", good[i]);
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
                ck_assert_msg(!nh_ifname_ok(bad[i], strlen(bad[i])), "%s taken", bad[i]);
        ck_assert(!nh_ifname_ok(NULL, 0));
        ck_assert(nh_ifname_ok("eth0:1", 4));           /* only len bytes count */
}
END_TEST

static struct nh_inet inet(int family, const char *text, unsigned prefixlen)
{
        struct nh_inet a = { .family = family, .prefixlen = prefixlen };

        ck_assert_int_eq(inet_pton(family, text, a.addr.bytes), 1);
        return a;
}

START_TEST(inet_text)
{
        char buf[NH_INET_STRLEN];
        struct nh_inet a = inet(AF_INET6, "2001:db8::1", 64), p;

        ck_assert_str_eq(nh_inet_format(&a, true, buf, sizeof buf), "2001:db8::1/64");
        ck_assert_str_eq(nh_inet_format(&a, false, buf, sizeof buf), "2001:db8::1");
        a = inet(AF_INET, "10.250.0.1", 30);
        ck_assert_str_eq(nh_inet_format(&a, true, buf, sizeof buf), "10.250.0.1/30");
        a.prefixlen = 32;
        ck_assert_str_eq(nh_inet_format(&a, true, buf, sizeof buf), "10.250.0.1/32");

        ck_assert_uint_eq(nh_inet_full_len(AF_INET), 32);
        ck_assert_uint_eq(nh_inet_full_len(AF_INET6), 128);
        p = inet(AF_INET, "10.250.0.0", 30);
        ck_assert(nh_inet_covers(&p, &a));
        ck_assert(!nh_inet_host_bits(&p));
        a = inet(AF_INET, "10.250.0.4", 32);
        ck_assert(!nh_inet_covers(&p, &a));
        p = inet(AF_INET, "10.250.0.1", 30);
        ck_assert(nh_inet_host_bits(&p));
        p = inet(AF_INET6, "::", 0);
        ck_assert(!nh_inet_covers(&p, &a));             /* another family */
}
END_TEST

START_TEST(nlerr)
{
        ck_assert_int_eq(nh_nlerr_to_errno(0), 0);
        ck_assert_int_eq(nh_nlerr_to_errno(-NLE_EXIST), -EEXIST);
        ck_assert_int_eq(nh_nlerr_to_errno(NLE_EXIST), -EEXIST);
        ck_assert_int_eq(nh_nlerr_to_errno(-NLE_OBJ_NOTFOUND), -ENOENT);
        ck_assert_int_eq(nh_nlerr_to_errno(-NLE_NOADDR), -EADDRNOTAVAIL);
        ck_assert_int_eq(nh_nlerr_to_errno(-NLE_MSGSIZE), -EMSGSIZE);
        ck_assert_int_eq(nh_nlerr_to_errno(-NLE_FAILURE), -EIO);
}
END_TEST

START_TEST(dump_end)
{
        struct {
                struct nlmsghdr h;
                struct nlmsgerr e;
        } m = { .h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct nlmsgerr)), .nlmsg_type = NLMSG_ERROR },
                .e = { .error = -EPERM } };
        int error = 0;

        ck_assert(nh_nl_dump_end(&m.h, &error));
        ck_assert_int_eq(error, -EPERM);
        m.h.nlmsg_len = NLMSG_LENGTH(0);                /* too short for its errno */
        error = 0;
        ck_assert(nh_nl_dump_end(&m.h, &error));
        ck_assert_int_eq(error, 0);
        m.h.nlmsg_type = NLMSG_DONE;
        ck_assert(nh_nl_dump_end(&m.h, &error));
        m.h.nlmsg_type = RTM_NEWADDR;
        ck_assert(!nh_nl_dump_end(&m.h, &error));
        ck_assert_int_eq(error, 0);
}
END_TEST

START_TEST(ratelimit)
{
        struct nh_ratelimit rl = { 0 };
        unsigned ended;

        for (int i = 0; i < 3; i++)
                ck_assert(nh_ratelimit_pass(&rl, 1000, 100, 3, &ended));
        ck_assert(!nh_ratelimit_pass(&rl, 1050, 100, 3, &ended));
        ck_assert(!nh_ratelimit_pass(&rl, 1060, 100, 3, &ended));
        ck_assert(nh_ratelimit_pass(&rl, 1100, 100, 3, &ended));
        ck_assert_uint_eq(ended, 2);                    /* the lines left out */
}
END_TEST

int main(void)
{
        Suite *s = suite_create("sdk");
        TCase *tc = tcase_create("sdk");

        tcase_add_test(tc, file_write_atomic);
        tcase_add_test(tc, hashes);
        tcase_add_test(tc, ifname_from_ns);
        tcase_add_test(tc, ifname_ok);
        tcase_add_test(tc, inet_text);
        tcase_add_test(tc, nlerr);
        tcase_add_test(tc, dump_end);
        tcase_add_test(tc, ratelimit);
        suite_add_tcase(s, tc);
        return nht_run(s, "sdk");
}
