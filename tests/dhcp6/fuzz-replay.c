/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The DHCPv6 fuzzer's seeds, replayed through its harness without
 * libFuzzer (in "make check"): every seed runs clean, and together they
 * reach the paths the fuzzer is meant to explore from them (issue 13:
 * CONFIRM, renewal and rebinding failures, expiry, a restart from the
 * saved lease, RELEASE), seen in what the client logs.
 *   fuzz-replay [SEED...]     (default: every file in DHCP6_FUZZ_SEEDS)
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-dhcp6.c"

static const char *const wanted[] = {
        "BOUND -> CONFIRMING",                  /* the link came back */
        "not on this link",                     /* CONFIRM: NotOnLink */
        "kept: no DHCPv6 REPLY to CONFIRM",     /* CONFIRM unanswered */
        "kept: confirmed on link",              /* CONFIRM: Success */
        "no binding for us, requesting",        /* RENEW: NoBinding */
        "RENEWING -> REBINDING",                /* RENEW unanswered until T2 */
        "REPLY did not extend the lease",       /* RENEW / REBIND: no address */
        "REBINDING -> SOLICITING",              /* the lease ran out while rebinding */
        "expired",
        "restored from before the restart",     /* dhcp6_client_start_saved() */
        "confirmed the RELEASE",
};
static bool seen[sizeof(wanted) / sizeof(wanted[0])];

static void trace(const char *line)
{
        for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
                if (strstr(line, wanted[i]))
                        seen[i] = true;
        if (getenv("FUZZ_REPLAY_VERBOSE"))
                fprintf(stderr, "  %s\n", line);
}

static int replay(const char *path)
{
        static uint8_t buf[1 << 16];
        FILE *f = fopen(path, "rb");
        size_t n;

        if (!f) {
                perror(path);
                return -1;
        }
        n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, n);
        return 0;
}

int main(int argc, char **argv)
{
        int missing = 0, n = 0;

        fuzz_trace = trace;
        for (int i = 1; i < argc; i++, n++)
                if (replay(argv[i]) < 0)
                        return 1;
        if (argc == 1) {
                DIR *d = opendir(DHCP6_FUZZ_SEEDS);
                struct dirent *e;
                char path[4096];

                if (!d) {
                        perror(DHCP6_FUZZ_SEEDS);
                        return 1;
                }
                while ((e = readdir(d)))
                        if (e->d_name[0] != '.') {
                                snprintf(path, sizeof(path), "%s/%s", DHCP6_FUZZ_SEEDS, e->d_name);
                                if (replay(path) < 0)
                                        return 1;
                                n++;
                        }
                closedir(d);
        }
        for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
                if (!seen[i]) {
                        fprintf(stderr, "fuzz-replay: no seed reaches \"%s\"\n", wanted[i]);
                        missing++;
                }
        printf("fuzz-replay: %d seeds, %zu of %zu paths reached\n", n,
               sizeof(wanted) / sizeof(wanted[0]) - (size_t) missing, sizeof(wanted) / sizeof(wanted[0]));
        return missing ? 1 : 0;
}
