/* os_registry_win32.c - the registry half of the OS seam (os.h) for the DLLs: HKEY_LOCAL_MACHINE
 * through RegXxxA, registry change watches (RegNotifyChangeKeyValue with an event, turned into a
 * process-local flag by a thread-pool wait) and the
 * cross-process catalog lock (a named mutex). Never disturbs the caller's last error.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"

/* An os_regkey * is an HKEY. */
static HKEY hkey_of(os_regkey *key) { return key ? (HKEY)key : HKEY_LOCAL_MACHINE; }

LONG os_reg_open(os_regkey *parent, const char *path, BOOL create, BOOL write, os_regkey **out)
{
    DWORD saved = GetLastError();
    REGSAM access = KEY_READ | (write ? KEY_WRITE : 0);
    HKEY key = NULL;
    LONG ret;

    if (!path || !out) return ERROR_INVALID_PARAMETER;
    *out = NULL;
    if (create)
        ret = RegCreateKeyExA(hkey_of(parent), path, 0, NULL, REG_OPTION_NON_VOLATILE, access, NULL, &key, NULL);
    else
        ret = RegOpenKeyExA(hkey_of(parent), path, 0, access, &key);
    SetLastError(saved);
    if (ret == ERROR_SUCCESS) *out = (os_regkey *)key;
    return ret;
}

void os_reg_close(os_regkey *key)
{
    DWORD saved = GetLastError();
    if (key) RegCloseKey((HKEY)key);
    SetLastError(saved);
}

LONG os_reg_get(os_regkey *key, const char *name, DWORD *type, void *data, DWORD *len)
{
    DWORD saved = GetLastError();
    LONG ret = RegQueryValueExA(hkey_of(key), name, NULL, type, data, len);
    SetLastError(saved);
    return ret;
}

LONG os_reg_set(os_regkey *key, const char *name, DWORD type, const void *data, DWORD len)
{
    DWORD saved = GetLastError();
    LONG ret = RegSetValueExA(hkey_of(key), name, 0, type, data, len);
    SetLastError(saved);
    return ret;
}

LONG os_reg_delete_value(os_regkey *key, const char *name)
{
    DWORD saved = GetLastError();
    LONG ret = RegDeleteValueA(hkey_of(key), name);
    SetLastError(saved);
    return ret;
}

LONG os_reg_enum_key(os_regkey *key, DWORD index, char *name, DWORD size)
{
    DWORD saved = GetLastError(), len = size;
    LONG ret = RegEnumKeyExA(hkey_of(key), index, name, &len, NULL, NULL, NULL, NULL);
    SetLastError(saved);
    return ret;
}

LONG os_reg_delete_tree(os_regkey *key, const char *path)
{
    DWORD saved = GetLastError();
    LONG ret = RegDeleteTreeA(hkey_of(key), path);
    if (ret == ERROR_SUCCESS)
    {
        LONG del = RegDeleteKeyA(hkey_of(key), path); /* RegDeleteTree may have removed it already */
        if (del != ERROR_FILE_NOT_FOUND) ret = del;
    }
    SetLastError(saved);
    return ret;
}

/* ---- change watches ---- */
#ifndef REG_NOTIFY_THREAD_AGNOSTIC
# define REG_NOTIFY_THREAD_AGNOSTIC 0x10000000
#endif
#define WATCH_FILTER (REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET | REG_NOTIFY_THREAD_AGNOSTIC)

/* The registry signals the watch's (auto-reset) event; a thread-pool wait turns that into a
 * process-local flag, so the hot path (every socket() asks whether the catalog changed) reads memory
 * instead of making a wineserver round trip per check. The flags live in a static array indexed by
 * slot (never freed): a wait callback that is still running while its watch is closed writes to a
 * flag nobody reads any more, never to freed memory (a reused slot may see one spurious "changed",
 * which only costs a serial comparison). Changes made by this process (every catalog writer holds
 * the catalog lock, os_catalog_lock) are seen at once: os_catalog_unlock bumps catalog_local_writes
 * and a watch that has not seen the current value reports "changed". Without a free slot or when
 * the wait cannot be registered, the event itself is checked (a server call per check). */
#define WATCH_SLOTS 64
static volatile LONG watch_fired[WATCH_SLOTS];
static volatile LONG watch_slot_used[WATCH_SLOTS];
static volatile LONG catalog_local_writes;

struct os_regwatch
{
    HKEY key;
    HANDLE event;
    HANDLE wait;        /* registered wait (NULL: check the event itself) */
    LONG slot;          /* index into watch_fired while wait is registered */
    volatile LONG seen_writes;  /* catalog_local_writes when last reported */
    volatile LONG broken;       /* re-arming failed: report "changed" every time */
};

static BOOL watch_arm(struct os_regwatch *w)
{
    return RegNotifyChangeKeyValue(w->key, TRUE, WATCH_FILTER, w->event, TRUE) == ERROR_SUCCESS;
}

static VOID CALLBACK watch_signalled(PVOID param, BOOLEAN timed_out)
{
    (void)timed_out;
    os_atomic_store(&watch_fired[(uintptr_t)param % WATCH_SLOTS], 1);
}

static void watch_register(struct os_regwatch *w)
{
    LONG i;

    for (i = 0; i < WATCH_SLOTS; i++)
    {
        LONG expected = 0;
        if (os_atomic_cas(&watch_slot_used[i], expected, 1)) break;
    }
    if (i == WATCH_SLOTS) return;
    os_atomic_store(&watch_fired[i], 0);
    if (!RegisterWaitForSingleObject(&w->wait, w->event, watch_signalled, (PVOID)(uintptr_t)i, INFINITE,
                                     WT_EXECUTEINWAITTHREAD))
    {
        w->wait = NULL;
        os_atomic_store(&watch_slot_used[i], 0);
        return;
    }
    w->slot = i;
}

LONG os_reg_watch_open(const char *path, os_regwatch **out)
{
    DWORD saved = GetLastError();
    struct os_regwatch *w;
    LONG ret;

    if (!path || !out) return ERROR_INVALID_PARAMETER;
    *out = NULL;
    if (!(w = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*w)))) return ERROR_OUTOFMEMORY;
    w->seen_writes = os_atomic_load(&catalog_local_writes);
    ret = RegOpenKeyExA(HKEY_LOCAL_MACHINE, path, 0, KEY_NOTIFY, &w->key);
    if (ret == ERROR_SUCCESS)
    {
        if (!(w->event = CreateEventW(NULL, FALSE, FALSE, NULL))) ret = ERROR_OUTOFMEMORY;
        else if (!watch_arm(w)) ret = ERROR_ACCESS_DENIED;
    }
    if (ret != ERROR_SUCCESS)
    {
        if (w->event) CloseHandle(w->event);
        if (w->key) RegCloseKey(w->key);
        HeapFree(GetProcessHeap(), 0, w);
    }
    else
    {
        watch_register(w);
        *out = w;
    }
    SetLastError(saved);
    return ret;
}

BOOL os_reg_watch_changed(os_regwatch *w)
{
    DWORD saved;
    BOOL changed = FALSE;
    LONG writes;

    if (!w) return TRUE;
    if (os_atomic_load(&w->broken)) return TRUE;
    writes = os_atomic_load(&catalog_local_writes);
    if (writes != os_atomic_load(&w->seen_writes))
    {
        os_atomic_store(&w->seen_writes, writes);
        changed = TRUE;            /* this process wrote: the caller compares the serial */
    }
    if (w->wait)
    {
        /* One caller consumes the signal and re-arms the (one-shot) notification; the caller then
         * reads the serial, so a change made before the re-arm is not missed. */
        if (!os_atomic_load(&watch_fired[w->slot]) ||   /* a plain read on the hot path */
            !__atomic_exchange_n(&watch_fired[w->slot], 0, __ATOMIC_SEQ_CST))
            return changed;
    }
    else if (WaitForSingleObject(w->event, 0) != WAIT_OBJECT_0) return changed;
    saved = GetLastError();
    if (!watch_arm(w)) os_atomic_store(&w->broken, 1);
    SetLastError(saved);
    return TRUE;
}

void os_reg_watch_close(os_regwatch *w)
{
    DWORD saved = GetLastError();
    if (!w) return;
    if (w->wait)
    {
        /* Non-blocking (this may run in DllMain): a callback still running only writes its slot. */
        UnregisterWaitEx(w->wait, NULL);
        os_atomic_store(&watch_slot_used[w->slot], 0);
    }
    RegCloseKey(w->key); /* completes the pending notification */
    CloseHandle(w->event);
    HeapFree(GetProcessHeap(), 0, w);
    SetLastError(saved);
}

/* ---- the catalog lock: one named mutex for every process on the machine (prefix) ---- */
static HANDLE catalog_mutex;

static HANDLE get_catalog_mutex(void)
{
    HANDLE m = __atomic_load_n(&catalog_mutex, __ATOMIC_ACQUIRE), expected = NULL;
    if (m) return m;
    m = CreateMutexW(NULL, FALSE, L"Global\\openws2_protocol_catalog");
    if (!m) m = CreateMutexW(NULL, FALSE, L"openws2_protocol_catalog");
    if (!m) return NULL;
    if (!__atomic_compare_exchange_n(&catalog_mutex, &expected, m, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    {
        CloseHandle(m);
        m = expected;
    }
    return m;
}

void os_catalog_lock(void)
{
    DWORD saved = GetLastError();
    HANDLE m = get_catalog_mutex();
    /* WAIT_ABANDONED: a writer died holding it; the catalog is rewritten as a whole, so go on. */
    if (m) WaitForSingleObject(m, INFINITE);
    SetLastError(saved);
}

void os_catalog_unlock(void)
{
    DWORD saved = GetLastError();
    HANDLE m = __atomic_load_n(&catalog_mutex, __ATOMIC_ACQUIRE);
    os_atomic_inc(&catalog_local_writes); /* this process may have written: its watches report it */
    if (m) ReleaseMutex(m);
    SetLastError(saved);
}
