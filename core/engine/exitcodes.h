/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Exit codes of netns-helper and netns-helper-run (documented in the
 * README and the man pages; units use them in RestartPreventExitStatus=). */
#pragma once

#define NH_EXIT_OK       0  /* success */
#define NH_EXIT_FAILURE  1  /* a runtime failure: the kernel, a hook, a server said no */
#define NH_EXIT_USAGE    2  /* bad command line */
#define NH_EXIT_CONFIG   3  /* bad configuration or a bad namespace/service name */
#define NH_EXIT_PLUGIN   4  /* no plugin for the stage, or it was refused */
#define NH_EXIT_DRIFT    5  /* check: the kernel's state differs from the configuration */
#define NH_EXIT_STAGE_FAILED 7  /* netns-helper-run: not started, a stage before it failed
                                 * (systemd shows it as status=7/NOTRUNNING) */
