/* resolve_thread.h - the per-thread result buffers of the resolver-style exports (inet_ntoa,
 * getserv*, getproto*): Windows returns pointers into per-thread storage that stays valid until the
 * same thread's next call. One fixed-size block per thread, large enough for any entry the parsers
 * keep (netdb_parse.h limits), freed at thread exit. DLL only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_RESOLVE_THREAD_H
#define OPENWS2_RESOLVE_THREAD_H

#include "ws2_common.h"
#include "netdb_parse.h"

#define RESOLVE_ALIGN(n) (((n) + 15) & ~(size_t)15)
/* A servent / protoent with its alias list and strings: the struct, NETDB_MAX_ALIASES + 1 pointers,
 * and at most NETDB_MAX_ALIASES + 2 strings (name, proto, aliases) of NETDB_NAME_MAX bytes. */
#define RESOLVE_ENT_SIZE (RESOLVE_ALIGN(sizeof(struct servent) > sizeof(struct protoent) ? \
                                        sizeof(struct servent) : sizeof(struct protoent)) + \
                          RESOLVE_ALIGN((NETDB_MAX_ALIASES + 1) * sizeof(char *)) + \
                          (NETDB_MAX_ALIASES + 2) * NETDB_NAME_MAX)

struct resolve_thread
{
    union { char bytes[RESOLVE_ENT_SIZE]; void *align; } servent;  /* getservby* result */
    union { char bytes[RESOLVE_ENT_SIZE]; void *align; } protoent; /* getprotoby* result */
    char ntoa[16];                                                 /* inet_ntoa result */
};

/* The calling thread's block (created zeroed on first use); NULL when out of memory. */
struct resolve_thread *resolve_thread_get(void);

#endif
