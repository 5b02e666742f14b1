/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What an attacker would put where a plugin is loaded from: a constructor,
 * which runs inside dlopen() before any check of the descriptor can
 * refuse it.  It leaves a mark where $NHT_EVIL_MARK says. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void evil(void)
{
        const char *mark = getenv("NHT_EVIL_MARK");
        int fd;

        if (!mark)
                return;
        fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0)
                close(fd);
}
