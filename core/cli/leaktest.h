/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef NH_LEAKTEST_H
#define NH_LEAKTEST_H

/* "netns-helper leaktest NAMESPACE": 0 when nothing can leave the
 * namespace but through its tunnel, 1 on a leak (NH_EXIT_*). */
int nh_cmd_leaktest(int argc, char **argv);

#endif
