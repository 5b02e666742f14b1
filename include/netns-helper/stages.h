/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netns-helper stages: the registry of pipeline positions.
 *
 * struct nh_plugin.order places a stage in the pipeline: lower starts first
 * ("netns-helper up", and under systemd the units, which are ordered by
 * these numbers: netns-helper-generator(8)) and stops last.  Stages with the
 * same position are not ordered among themselves.  The global configuration
 * (netns-helper.yaml, "order:") may move a stage.
 *
 * These are the positions of the stages netns-helper ships.  They are not
 * part of the plugin ABI: a stage from elsewhere picks a number between the
 * stages it must follow and precede (e.g. NH_ORDER_VETH + 10: after the
 * links exist, before DHCP), and a new in-tree stage adds its line here.
 *
 *   stage       position   what must come before it
 *   netns         100      nothing: it makes the namespace
 *   macvlan       200      the namespace
 *   veth          250      the namespace (and a macvlan, when both)
 *   wireguard     270      the links, for its endpoint
 *   dhcp4         300      a link
 *   dhcp6         310      a link
 *   slaac         320      a link (and dhcp6's address, when both)
 *   postup        900      everything: it runs the post-up hook
 */
#ifndef NETNS_HELPER_STAGES_H
#define NETNS_HELPER_STAGES_H

#define NH_ORDER_NETNS     100
#define NH_ORDER_MACVLAN   200
#define NH_ORDER_VETH      250
#define NH_ORDER_WIREGUARD 270
#define NH_ORDER_DHCP4     300
#define NH_ORDER_DHCP6     310
#define NH_ORDER_SLAAC     320
#define NH_ORDER_POSTUP    900

#endif /* NETNS_HELPER_STAGES_H */
