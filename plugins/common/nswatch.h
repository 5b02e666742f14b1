/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nswatch: notice that a namespace was deleted from outside ("ip netns
 * delete NAME", or deleted and made again under the same name) while a
 * long-running stage runs in it.
 *
 * Nothing inside the namespace tells: the stage's own sockets keep the
 * namespace alive, links and all, for as long as it runs, so a DHCP client
 * would renew a lease for a namespace nobody can reach any more, and its
 * macvlan would keep its MAC in use on the parent.  What does change is
 * /run/netns: "ip netns delete" unmounts and unlinks NAME there.  An
 * inotify watch on the directory wakes the stage; it then compares the
 * namespace at /run/netns/NAME with its own (device and inode of the nsfs
 * file), so a namespace deleted and made again is not taken for its own.
 *
 * Linked into the plugins that use it (a convenience library, not part of
 * the plugin ABI).
 */
#ifndef NH_NSWATCH_H
#define NH_NSWATCH_H

#include <limits.h>
#include <sys/types.h>

struct nswatch {
        int fd;                         /* inotify, non-blocking; -1: none */
        dev_t dev;                      /* the namespace's nsfs file */
        ino_t ino;
        char path[PATH_MAX];            /* /run/netns/NAME */
};

/* Watches /run/netns for the namespace called name, whose open fd is
 * netns_fd.  0, or -errno (w->fd is then -1 and nswatch_gone() is 0). */
int nswatch_open(struct nswatch *w, const char *name, int netns_fd);

/* Drains w->fd.  1 when /run/netns/NAME no longer is our namespace (gone,
 * or another one under the same name), 0 when it still is. */
int nswatch_gone(struct nswatch *w);

void nswatch_close(struct nswatch *w);

#endif
