/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small helpers shared by the core: scope-bound cleanup, paths, files. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>
#include <errno.h>

static inline void freep(void *p) { free(*(void **) p); }
static inline void closep(int *fd) { if (*fd >= 0) { int e = errno; close(*fd); errno = e; } }
#define _cleanup_free_ __attribute__((cleanup(freep)))
#define _cleanup_close_ __attribute__((cleanup(closep)))

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

static inline bool streq(const char *a, const char *b) { return a && b && __builtin_strcmp(a, b) == 0; }

/* Returns the fd and leaves -1 behind, to hand ownership out of a scope. */
static inline int take_fd(int *fd) { int r = *fd; *fd = -1; return r; }
static inline void *take_ptr(void *pp) { void **p = pp; void *r = *p; *p = NULL; return r; }

/* malloc'ed printf; NULL on ENOMEM. */
__attribute__((format(printf, 1, 2)))
char *strdup_printf(const char *fmt, ...);

/* mkdir -p with mode for the directories it creates. */
int mkdir_p(const char *path, unsigned mode);

/* Writes data to path atomically: a temporary file in the same directory,
 * fsync'ed, then rename(2).  mode is the new file's mode. */
int write_file_atomic(const char *path, const void *data, size_t len, unsigned mode);
/* The same without fsync(2), for files rebuilt at run time (resolv.conf of
 * a namespace, facts): readers still never see a partial file, and a
 * crash loses nothing that is not written again.  The fsync costs 4-9 ms
 * on this machine's disk, on the path to a DHCP client's readiness. */
int write_file_replace(const char *path, const void *data, size_t len, unsigned mode);

/* Reads a whole (small) file; NUL-terminated; *len may be NULL. */
int read_file(const char *path, char **ret, size_t *len);
/* The same from an open descriptor, to its end (at most 16 MiB). */
int read_fd(int fd, char **ret, size_t *len);

/* Closes every descriptor from 3 up but the n_keep in keep (for a child
 * that must not hold what its parent had open: a caller's pipe or lock). */
void close_fds_except(const int *keep, size_t n_keep);

/* What /proc/PID/stat says of a process: its state ('Z': a zombie), its
 * process group, and its start time (field 22, clock ticks since boot),
 * which with the PID names one process for good. */
struct proc_stat {
        char state;
        pid_t pgrp;
        unsigned long long starttime;
};
int proc_stat_read(pid_t pid, struct proc_stat *out);

/* FNV-1a, 64 bits: start with h = 0xcbf29ce484222325. */
uint64_t fnv1a64(const void *p, size_t n, uint64_t h);

/* Writes the reason into why (when why_size > 0) and returns -EINVAL: the
 * refusal of the pure checks, which leave logging to their callers. */
__attribute__((format(printf, 3, 4)))
int why_refuse(char *why, size_t why_size, const char *fmt, ...);
