/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-floor N PREFIX: the kernel's floor for a named namespace, measured
 * on this machine in the same run as the rest of bench-bringup: N times
 * unshare(CLONE_NEWNET) + bind mount of the new namespace on
 * /run/netns/PREFIXi + setns() back, then N times umount2(MNT_DETACH) +
 * unlink.  Prints "UP_US DOWN_US".  Needs /run/netns to be a mount point
 * already (bench-bringup has created namespaces before calling it).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
        char path[256];
        long long t0, t1, t2;
        int n, host, fd;

        if (argc != 3 || (n = atoi(argv[1])) <= 0) {
                fprintf(stderr, "usage: bench-floor N PREFIX\n");
                return 2;
        }
        host = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        if (host < 0) {
                perror("open /proc/self/ns/net");
                return 1;
        }
        t0 = now_us();
        for (int i = 1; i <= n; i++) {
                snprintf(path, sizeof(path), "/run/netns/%s%d", argv[2], i);
                fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
                if (fd < 0 || close(fd) < 0 || unshare(CLONE_NEWNET) < 0 ||
                    mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0 ||
                    setns(host, CLONE_NEWNET) < 0) {
                        fprintf(stderr, "bench-floor: %s: %s\n", path, strerror(errno));
                        return 1;
                }
        }
        t1 = now_us();
        for (int i = 1; i <= n; i++) {
                snprintf(path, sizeof(path), "/run/netns/%s%d", argv[2], i);
                if (umount2(path, MNT_DETACH) < 0 || unlink(path) < 0) {
                        fprintf(stderr, "bench-floor: removing %s: %s\n", path, strerror(errno));
                        return 1;
                }
        }
        t2 = now_us();
        printf("%lld %lld\n", t1 - t0, t2 - t1);
        return 0;
}
