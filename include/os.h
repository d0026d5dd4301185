/* os.h - the thin OS seam under openws2's portable core.
 * Owns: the few OS services that portable modules (catalog, handle table, provider selection, address
 * conversion, hosts/services parsing, DNS messages) may use: locks, atomics, registry access, the
 * catalog's cross-process lock, tick counts, environment and trace output. src/os/os_win32.c implements
 * it for the DLLs; tests/unit/os_host.c implements it on Linux (pthreads, an in-memory registry) so
 * the same modules run under CMocka, sanitizers and fuzzers.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_OS_H
#define OPENWS2_OS_H

#include "ws2_common.h"

#ifdef OPENWS2_HOST
# include <pthread.h>
typedef struct { pthread_rwlock_t rw; } os_rwlock;
# define OS_RWLOCK_INIT { PTHREAD_RWLOCK_INITIALIZER }
#else
typedef struct { SRWLOCK srw; } os_rwlock;
# define OS_RWLOCK_INIT { SRWLOCK_INIT }
#endif

/* Reader/writer lock; usable statically initialised with OS_RWLOCK_INIT. Not recursive. */
void os_rwlock_init(os_rwlock *l);
void os_rwlock_destroy(os_rwlock *l);
void os_rwlock_shared(os_rwlock *l);
void os_rwlock_unlock_shared(os_rwlock *l);
void os_rwlock_exclusive(os_rwlock *l);
void os_rwlock_unlock_exclusive(os_rwlock *l);

/* Atomics on LONG (32-bit in both builds), sequentially consistent. Return the new value. */
#define os_atomic_inc(p) __atomic_add_fetch((p), 1, __ATOMIC_SEQ_CST)
#define os_atomic_dec(p) __atomic_sub_fetch((p), 1, __ATOMIC_SEQ_CST)
#define os_atomic_load(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define os_atomic_store(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
/* Compare-and-swap: returns nonzero when *p was expected and is now desired. */
#define os_atomic_cas(p, expected, desired) \
    __atomic_compare_exchange_n((p), &(expected), (desired), 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)

/* Identifier of the calling thread: nonzero, unique among the process' live threads. */
DWORD os_thread_id(void);

/* Milliseconds since an arbitrary start, monotonic. */
uint64_t os_ticks_ms(void);

/* Environment variable (ANSI); returns the length copied (0 when unset or too long). */
size_t os_getenv(const char *name, char *buf, size_t size);


/* ---- Registry (HKEY_LOCAL_MACHINE only), with RegXxxA semantics and Win32 error codes ---- */
typedef struct os_regkey os_regkey;
/* Opens (create: or creates) "path" below parent (NULL: HKEY_LOCAL_MACHINE). */
LONG os_reg_open(os_regkey *parent, const char *path, BOOL create, BOOL write, os_regkey **out);
void os_reg_close(os_regkey *key);
/* *len in: buffer size, out: data size. ERROR_FILE_NOT_FOUND, ERROR_MORE_DATA as RegQueryValueExA. */
LONG os_reg_get(os_regkey *key, const char *name, DWORD *type, void *data, DWORD *len);
LONG os_reg_set(os_regkey *key, const char *name, DWORD type, const void *data, DWORD len);
LONG os_reg_delete_value(os_regkey *key, const char *name);
/* Subkey names in index order; ERROR_NO_MORE_ITEMS at the end. */
LONG os_reg_enum_key(os_regkey *key, DWORD index, char *name, DWORD size);
/* Deletes subkey "path" of key with everything below it. */
LONG os_reg_delete_tree(os_regkey *key, const char *path);

/* Cross-process lock serialising catalog writers (a named mutex in the DLL). Recursive. */
void os_catalog_lock(void);
void os_catalog_unlock(void);

/* Change watch on HKLM\path and everything below it (values and subkeys), any process (the DLL:
 * RegNotifyChangeKeyValue with an event, no waiting thread). os_reg_watch_changed is non-blocking (the
 * DLL: one server call reading the event's state; call it where a catalog is looked up): TRUE once
 * something changed since the watch was (re-)armed; it re-arms the watch. */
typedef struct os_regwatch os_regwatch;
LONG os_reg_watch_open(const char *path, os_regwatch **out);
BOOL os_reg_watch_changed(os_regwatch *watch);
void os_reg_watch_close(os_regwatch *watch);

#endif
