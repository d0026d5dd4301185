/* os_host.c - the OS seam (os.h) on Linux for the CMocka unit tests: pthread locks, clock_gettime,
 * getenv, stderr. The registry half is tests/unit/fake_registry.c (an in-memory HKLM).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "trace.h" /* first: Wine's winsock2.h must precede the C library headers */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void os_rwlock_init(os_rwlock *l) { pthread_rwlock_init(&l->rw, NULL); }
void os_rwlock_destroy(os_rwlock *l) { pthread_rwlock_destroy(&l->rw); }
void os_rwlock_shared(os_rwlock *l) { pthread_rwlock_rdlock(&l->rw); }
void os_rwlock_unlock_shared(os_rwlock *l) { pthread_rwlock_unlock(&l->rw); }
void os_rwlock_exclusive(os_rwlock *l) { pthread_rwlock_wrlock(&l->rw); }
void os_rwlock_unlock_exclusive(os_rwlock *l) { pthread_rwlock_unlock(&l->rw); }

/* Host-only (the DLLs use GetCurrentThreadId): small nonzero ids handed out per thread. */
DWORD os_thread_id(void)
{
    static volatile LONG last_id;
    static _Thread_local DWORD id;
    if (!id) id = (DWORD)os_atomic_inc(&last_id);
    return id;
}

uint64_t os_ticks_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

size_t os_getenv(const char *name, char *buf, size_t size)
{
    const char *v = getenv(name);
    size_t n;
    if (!v) return 0;
    n = strlen(v);
    if (n >= size) return 0;
    memcpy(buf, v, n + 1);
    return n;
}

/* the trace library's output side (trace.h) for the host tests: stderr; no Wine, no file */
size_t trace_sink_getenv(const char *name, char *buf, size_t size)
{
    return os_getenv(name, buf, size);
}

enum trace_level trace_sink_wine_level(void)
{
    return TRACE_LEVEL_OFF;
}

int trace_sink_open_file(const char *path_template)
{
    (void)path_template;
    return 0;
}

unsigned long trace_sink_thread_id(void)
{
    return (unsigned long)pthread_self();
}

void trace_sink_write(enum trace_route route, const char *chan, enum trace_level level, const char *text, size_t len)
{
    (void)route;
    (void)chan;
    (void)level;
    fwrite(text, 1, len, stderr);
}
