/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A shared object that is not a netns-helper plugin: no descriptor. */
int not_a_plugin(void);
int not_a_plugin(void) { return 0; }
