/* alloc_fail_win_host.c - the few Windows calls of openws2nsp's answer cache (dlls/nsp/nsp_cache.c)
 * for the host allocation-failure test: SRW locks over one pthread mutex, a tick count the test sets.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <pthread.h>
#include "alloc_fail_win_host.h"

static pthread_mutex_t srw = PTHREAD_MUTEX_INITIALIZER;
static ULONGLONG ticks = 1000000;

void WINAPI AcquireSRWLockExclusive(PSRWLOCK lock) { (void)lock; pthread_mutex_lock(&srw); }
void WINAPI ReleaseSRWLockExclusive(PSRWLOCK lock) { (void)lock; pthread_mutex_unlock(&srw); }
ULONGLONG WINAPI GetTickCount64(void) { return ticks; }
void af_host_advance_ms(ULONGLONG ms) { ticks += ms; }
