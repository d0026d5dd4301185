/* os_win32.c - the OS seam (os.h) for the DLLs: SRW locks, tick counts, environment (trace output: trace_sink_win32.c).
 * The registry half of the seam lives in os_registry_win32.c.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "trace.h"

void os_rwlock_init(os_rwlock *l) { InitializeSRWLock(&l->srw); }
void os_rwlock_destroy(os_rwlock *l) { (void)l; }
void os_rwlock_shared(os_rwlock *l) { AcquireSRWLockShared(&l->srw); }
void os_rwlock_unlock_shared(os_rwlock *l) { ReleaseSRWLockShared(&l->srw); }
void os_rwlock_exclusive(os_rwlock *l) { AcquireSRWLockExclusive(&l->srw); }
void os_rwlock_unlock_exclusive(os_rwlock *l) { ReleaseSRWLockExclusive(&l->srw); }

uint64_t os_ticks_ms(void) { return GetTickCount64(); }

DWORD os_thread_id(void) { return GetCurrentThreadId(); }

size_t os_getenv(const char *name, char *buf, size_t size)
{
    return trace_sink_getenv(name, buf, size); /* the same rules: keeps the last error */
}

