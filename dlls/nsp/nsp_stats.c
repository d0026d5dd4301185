/* nsp_stats.c - openws2nsp's diagnostic counters (nsp_counters.h): incremented by the caches of
 * the settings, system information and files, read through the test-only export
 * Openws2NspCounters so end-to-end tests can check that repeated lookups do no per-lookup work.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "trace.h"
#include "nsp_private.h"

static volatile LONG counters[NSP_COUNTER_COUNT];

void nsp_count(int which)
{
    if (which >= 0 && which < NSP_COUNTER_COUNT) InterlockedIncrement(&counters[which]);
}

DWORD WINAPI Openws2NspCounters(LONG *values, DWORD count)
{
    DWORD i;

    if (values)
    {
        for (i = 0; i < count && i < NSP_COUNTER_COUNT; i++)
            values[i] = InterlockedCompareExchange(&counters[i], 0, 0);
    }
    TRACE_SPI("Openws2NspCounters(%p, %lu) -> %d", (void *)values, (unsigned long)count, NSP_COUNTER_COUNT);
    return NSP_COUNTER_COUNT;
}
