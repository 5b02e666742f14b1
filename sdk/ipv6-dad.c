/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <netns-helper/sdk.h>

static int write_one(const char *ifname, const char *key)
{
        char path[128];
        int fd, r = 0;

        if ((size_t) snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", ifname, key) >= sizeof(path))
                return -ENAMETOOLONG;
        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return -errno;
        if (write(fd, "1\n", 2) != 2)
                r = errno ? -errno : -EIO;
        close(fd);
        return r;
}

int nh_ipv6_optimistic_dad(const char *ifname)
{
        /* optimistic_dad makes the link's new addresses optimistic (RFC
         * 4429 3.1); use_optimistic lets source address selection pick
         * them (RFC 4429 3.3), so that what binds to [::] works too. */
        int r = write_one(ifname, "optimistic_dad");

        return r < 0 ? r : write_one(ifname, "use_optimistic");
}
