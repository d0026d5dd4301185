/* bench_resolve.c - the resolver rows of openws2's benchmark (engineer "gai"): getaddrinfo +
 * freeaddrinfo calls per second for a hosts-file name ("localhost", present in the host's /etc/hosts,
 * which Wine's builtin, openws2nsp.dll and the native resolver all read) and for a numeric address
 * (no name service involved). Built into bench.c's program (Windows and native) when present; see
 * bench.h for the scenario table it defines.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bench_shim.h"
#include "bench.h"
#ifndef _WIN32
#include <netdb.h>
#endif
#include <stdio.h>
#include <string.h>

/* getaddrinfo(node, "80") with AF_INET/SOCK_STREAM hints in a loop: calls/s, or -1 on failure. */
static double gai_rate(const char *node, double seconds)
{
    struct addrinfo hints, *res;
    double start = bench_now(), now;
    long long n = 0;
    int err;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    do
    {
        int i;
        for (i = 0; i < 16; i++)
        {
            res = NULL;
            if ((err = getaddrinfo(node, "80", &hints, &res)) || !res)
            {
                fprintf(stderr, "bench_resolve: getaddrinfo(%s) failed: %d\n", node, err);
                return -1;
            }
            freeaddrinfo(res);
        }
        n += 16;
        now = bench_now();
    } while (now - start < seconds);
    return (double)n / (now - start);
}

static double run_gai_hosts(double seconds)
{
    return gai_rate("localhost", seconds);
}

static double run_gai_numeric(double seconds)
{
    return gai_rate("127.0.0.1", seconds);
}

const struct bench_scenario bench_resolve_scenarios[] =
{
    {"getaddrinfo_hosts", "calls/s", run_gai_hosts},
    {"getaddrinfo_numeric", "calls/s", run_gai_numeric},
    {NULL, NULL, NULL},
};
