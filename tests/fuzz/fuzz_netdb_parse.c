/* fuzz_netdb_parse.c - libFuzzer target for src/addr/netdb_parse.c: the input is a services, protocol
 * and hosts file at once (not NUL-terminated: any out-of-bounds read is caught by ASan).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "netdb_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct netdb_service serv;
static struct netdb_protocol prot;
static struct netdb_host host;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct netdb_cursor c;
    size_t i;

    netdb_cursor_init(&c, data, size);
    while (netdb_next_service(&c, &serv))
    {
        if (serv.alias_count > NETDB_MAX_ALIASES || strlen(serv.name) >= NETDB_NAME_MAX) abort();
        for (i = 0; i < serv.alias_count; i++) if (!serv.aliases[i][0]) abort();
    }
    netdb_cursor_init(&c, data, size);
    while (netdb_next_protocol(&c, &prot))
        if (prot.number < 0 || prot.number > 255) abort();
    netdb_cursor_init(&c, data, size);
    while (netdb_next_host(&c, &host))
        if (host.family != AF_INET && host.family != AF_INET6) abort();
    netdb_find_service_by_name(data, size, "http", NULL, &serv);
    netdb_find_service_by_port(data, size, 80, "tcp", &serv);
    netdb_find_protocol_by_name(data, size, "tcp", &prot);
    netdb_find_protocol_by_number(data, size, 6, &prot);
    netdb_find_host_by_name(data, size, "localhost", 0, &host);
    return 0;
}
