/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness for everything of the wireguard stage that reads
 * bytes it did not write: the provider's wg-quick file, wireguard-go's
 * UAPI answers and the kernel's generic netlink replies.  The first byte
 * chooses the reader.  A file that parses must also give a UAPI request
 * and a netlink message (nothing it accepts may be unrepresentable).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>

#include "wg-config.h"
#include "wg-proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct wg_conf conf;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct wg_error err;
        struct wg_state st;
        bool complete;

        if (size < 1)
                return 0;
        switch (data[0] % 4) {
        case 0:
                if (wg_conf_parse((const char *) data + 1, size - 1, NULL, &conf, &err) == 0) {
                        static char req[64 * 1024];
                        struct nl_msg *m;

                        if (wg_uapi_set_request(&conf, NULL, WG_SET_FULL, req, sizeof(req)) < 0)
                                abort();
                        m = wg_genl_set_msg(0x1d, "wg0", &conf, NULL, WG_SET_FULL);
                        if (!m)
                                abort();
                        nlmsg_free(m);
                }
                break;
        case 1:
                (void) wg_uapi_parse_get((const char *) data + 1, size - 1, &st, &complete);
                break;
        case 2:
                (void) wg_uapi_parse_errno((const char *) data + 1, size - 1, &complete);
                break;
        case 3: {
                /* A netlink message of exactly the bytes given, its length
                 * field made consistent as the socket layer guarantees. */
                size_t n = size - 1;
                struct nlmsghdr *h;

                if (n < sizeof(*h) + 4 || n > 65536)
                        break;
                h = malloc(n);
                memcpy(h, data + 1, n);
                h->nlmsg_len = (uint32_t) n;
                memset(&st, 0, sizeof(st));
                (void) wg_genl_parse_device(h, &st);
                free(h);
                break;
        }
        }
        return 0;
}
