/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A tiny reader for the Ethernet pcap captures: yields the UDP payloads of
 * IPv6 packets to or from the DHCPv6 ports. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct pcap_udp {
        uint16_t sport, dport;
        uint8_t data[2048];
        size_t len;
};

/* Reads every IPv6/UDP packet on port 546/547 of path into out (at most
 * max).  Returns the count, or a negative errno. */
int pcap_read_dhcp6(const char *path, struct pcap_udp *out, size_t max);
