/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Opening what root will load or run (plugins, hooks, programs named in
 * configuration) so that nobody but root can have chosen it, and using
 * exactly what was checked.  The one mechanism for the loader, the hooks
 * and (through struct nh_api open_trusted) the plugins.
 */
#ifndef NH_TRUST_H
#define NH_TRUST_H

#include <stddef.h>

/* How many symbolic links one walk follows before it gives up (ELOOP),
 * as the kernel's own bound (MAXSYMLINKS, 40). */
#define NH_TRUST_MAX_LINKS 40

/* Walks path from "/" one component at a time with O_PATH|O_NOFOLLOW,
 * following symbolic links itself (each link and every component of its
 * target checked the same way), and checks each component on its
 * descriptor: owned by root (or by the effective user, for a run without
 * root), a directory not writable by group or others unless it is sticky
 * (like /tmp: there only an entry's owner may replace it, and every entry
 * is checked to be ours), the file itself a regular file writable only by
 * its owner.  Returns an O_PATH|O_CLOEXEC descriptor of the file, to be
 * loaded (nh_trust_fd_path()) or executed (fexecve(3)) as it is, or a
 * negative errno: -ENOENT/-ENOTDIR when it is not there, -EPERM when it is
 * refused, -ELOOP, others.  When why is not NULL, *why gets one sentence
 * that names the component and, for a refusal, the chmod or chown to run
 * (free() it); real, when not NULL, gets the resolved path. */
int nh_trust_open(const char *path, char **why, char **real);

/* "/proc/self/fd/N": a name of what fd refers to that dlopen(3) opens. */
#define NH_TRUST_FD_PATH_MAX 32
const char *nh_trust_fd_path(int fd, char buf[NH_TRUST_FD_PATH_MAX]);

#endif
