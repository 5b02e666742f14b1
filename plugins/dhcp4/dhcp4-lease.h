/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The lease kept in the namespace's state directory: what INIT-REBOOT asks
 * for after a restart, and what "stop" removes when the running process is
 * gone.  A small "key=value" text file, written by us and read back with
 * every field checked, since the file could be edited by hand.
 */
#ifndef NH_DHCP4_LEASE_H
#define NH_DHCP4_LEASE_H

#include <stddef.h>
#include <stdint.h>

#include "dhcp4-packet.h"

#define DHCP4_LEASE_FILE "dhcp4.lease"
/* The largest file dhcp4_saved_lease_format() writes. */
#define DHCP4_SAVED_LEASE_MAX (512 + 2 * DHCP4_OPTBUF)

struct dhcp4_saved_lease {
        char ifname[16];
        uint32_t address;       /* network byte order */
        uint8_t prefixlen;
        uint32_t server_id;
        int64_t expires;        /* seconds since the Epoch, 0: infinite */
        /* Optional: when the lease was obtained (seconds since the Epoch)
         * and its DHCPACK, for using it again after a restart. */
        int64_t obtained;
        uint8_t ack[DHCP4_OPTBUF];
        size_t ack_len;
};

/* Returns the length written, or -ENOBUFS. */
int dhcp4_saved_lease_format(const struct dhcp4_saved_lease *l, char *buf, size_t size);
/* Returns 0, or -EBADMSG when a required field is missing or invalid. */
int dhcp4_saved_lease_parse(const char *text, struct dhcp4_saved_lease *l);
/* Writes DIR/dhcp4.lease atomically (a temporary file, then rename()).
 * Returns 0 or a negative errno; the old file stays when it fails, and no
 * descriptor is left open. */
int dhcp4_saved_lease_save(const char *dir, const struct dhcp4_saved_lease *l);

#endif
