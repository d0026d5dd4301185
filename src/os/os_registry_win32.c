/* os_registry_win32.c - the registry half of the OS seam (os.h) for the DLLs: HKEY_LOCAL_MACHINE
 * through RegXxxA, registry change watches (RegNotifyChangeKeyValue with an event whose state each
 * check reads, no waiting thread) and the
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

/* The registry sets the watch's (manual-reset) event; a check reads the event's state without
 * waiting (NtQueryEvent: one server call, and no processor yield as after an unsatisfied zero-timeout
 * wait under Wine). No thread waits for the event: a thread of ours kept waiting in every process
 * would be a waiting thread Wine may pick to run the APCs ending a dead thread's requests (Wine's afd
 * tests, test_async_thread_termination), and Windows' ws2_32 checks its catalog change event on each
 * catalog access too. The check only happens where the catalog is looked up (socket creation,
 * WSAEnumProtocols, provider loading), never per send or receive. Changes made by this process (every
 * catalog writer holds the catalog lock, os_catalog_lock) are seen at once: os_catalog_unlock bumps
 * catalog_local_writes and a watch that has not seen the current value reports "changed". */
static volatile LONG catalog_local_writes;

typedef LONG (WINAPI *query_event_fn)(HANDLE, int, void *, ULONG, ULONG *);
struct event_basic_info
{
    int type;
    LONG state;
};
static query_event_fn query_event;
static volatile LONG query_event_resolved;

struct os_regwatch
{
    HKEY key;
    HANDLE event;               /* manual-reset */
    volatile LONG seen_writes;  /* catalog_local_writes when last reported */
    volatile LONG broken;       /* re-arming failed: report "changed" every time */
    volatile LONG queried_ms;   /* GetTickCount() of the last look at the event */
};

/* The event is looked at once per WATCH_QUERY_MS at most: a burst of socket creations costs one
 * server call, not one each (bench/server_calls.sh socket_create_close: 4.15 requests per socket
 * instead of 5.15; the builtin makes 4.31). A change written by another process is seen by the first
 * lookup after that, at most WATCH_QUERY_MS after a previous one; this process' own writes at once. */
#define WATCH_QUERY_MS 20

static BOOL watch_arm(struct os_regwatch *w)
{
    return RegNotifyChangeKeyValue(w->key, TRUE, WATCH_FILTER, w->event, TRUE) == ERROR_SUCCESS;
}

/* Whether the event is set, without waiting and without changing it. */
static BOOL event_is_set(HANDLE event)
{
    struct event_basic_info info;

    if (!os_atomic_load(&query_event_resolved))
    {
        HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
        query_event = ntdll ? (query_event_fn)(void (*)(void))GetProcAddress(ntdll, "NtQueryEvent") : NULL;
        os_atomic_store(&query_event_resolved, 1);
    }
    if (query_event && query_event(event, 0 /* EventBasicInformation */, &info, sizeof(info), NULL) >= 0)
        return info.state != 0;
    return WaitForSingleObject(event, 0) != WAIT_TIMEOUT;
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
        if (!(w->event = CreateEventW(NULL, TRUE, FALSE, NULL))) ret = ERROR_OUTOFMEMORY;
        else if (!watch_arm(w)) ret = ERROR_ACCESS_DENIED;
    }
    if (ret != ERROR_SUCCESS)
    {
        if (w->event) CloseHandle(w->event);
        if (w->key) RegCloseKey(w->key);
        HeapFree(GetProcessHeap(), 0, w);
    }
    else *out = w;
    SetLastError(saved);
    return ret;
}

BOOL os_reg_watch_changed(os_regwatch *w)
{
    DWORD saved;
    BOOL changed = FALSE;
    LONG writes;
    DWORD now;

    if (!w) return TRUE;
    if (os_atomic_load(&w->broken)) return TRUE;
    writes = os_atomic_load(&catalog_local_writes);
    if (writes != os_atomic_load(&w->seen_writes))
    {
        os_atomic_store(&w->seen_writes, writes);
        changed = TRUE;            /* this process wrote: the caller compares the serial */
    }
    now = GetTickCount();
    if (now - (DWORD)os_atomic_load(&w->queried_ms) < WATCH_QUERY_MS) return changed;
    os_atomic_store(&w->queried_ms, (LONG)now);
    saved = GetLastError();
    if (event_is_set(w->event))
    {
        /* Reset, then re-arm the (one-shot) notification; the caller then reads the serial, so a
         * change made before the re-arm is not missed. Two threads doing this at once arm two
         * notifications: at worst one later spurious "changed" (a serial comparison). */
        ResetEvent(w->event);
        if (!watch_arm(w)) os_atomic_store(&w->broken, 1);
        changed = TRUE;
    }
    SetLastError(saved);
    return changed;
}

void os_reg_watch_close(os_regwatch *w)
{
    DWORD saved = GetLastError();
    if (!w) return;
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
