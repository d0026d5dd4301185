/* resolve_thread.h - the per-thread result buffers of the resolver-style exports (inet_ntoa,
 * getserv*, getproto*): Windows returns pointers into per-thread storage that stays valid until the
 * same thread's next call. One block per thread, freed at thread exit (an FLS callback). DLL only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_RESOLVE_THREAD_H
#define OPENWS2_RESOLVE_THREAD_H

#include "ws2_common.h"

struct resolve_thread
{
    char ntoa[16];        /* inet_ntoa */
    void *servent;        /* getservby*: one heap block (struct servent + its strings) */
    void *protoent;       /* getprotoby*: one heap block (struct protoent + its strings) */
};

/* The calling thread's block (created on first use); NULL when out of memory. */
struct resolve_thread *resolve_thread_get(void);
/* Replaces *slot (a servent/protoent block of this thread) with a new block of size bytes, zeroed.
 * The previous block is freed. Returns the new block or NULL (the old one is kept then). */
void *resolve_thread_block(void **slot, size_t size);

#endif
