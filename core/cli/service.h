/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The systemd-facing subcommands of "netns-helper": each takes the
 * arguments after its own name (argv[0] is the subcommand) and returns the
 * process exit code (NH_EXIT_* in exitcodes.h). */
#pragma once

int nh_cmd_add(int argc, char **argv);      /* add NAMESPACE SERVICE [--now] */
int nh_cmd_remove(int argc, char **argv);   /* remove SERVICE [--now] */
int nh_cmd_enable(int argc, char **argv);   /* enable NAMESPACE [STAGE...] [--now] */
int nh_cmd_disable(int argc, char **argv);  /* disable NAMESPACE [STAGE...] [--now] */
int nh_cmd_reload(int argc, char **argv);   /* reload NAMESPACE */
int nh_cmd_start(int argc, char **argv);    /* start NAMESPACE */
int nh_cmd_stop(int argc, char **argv);     /* stop NAMESPACE */
int nh_cmd_restart(int argc, char **argv);  /* restart NAMESPACE */
int nh_cmd_status(int argc, char **argv);   /* status [NAMESPACE] [--json] */
