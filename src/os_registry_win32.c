/* os_registry_win32.c - the registry half of the OS seam (os.h) for the DLLs: HKEY_LOCAL_MACHINE
 * through RegXxxA, registry change watches (RegNotifyChangeKeyValue with an event) and the
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

struct os_regwatch
{
    HKEY key;
    HANDLE event;
};

static BOOL watch_arm(struct os_regwatch *w)
{
    return RegNotifyChangeKeyValue(w->key, TRUE, WATCH_FILTER, w->event, TRUE) == ERROR_SUCCESS;
}

LONG os_reg_watch_open(const char *path, os_regwatch **out)
{
    DWORD saved = GetLastError();
    struct os_regwatch *w;
    LONG ret;

    if (!path || !out) return ERROR_INVALID_PARAMETER;
    *out = NULL;
    if (!(w = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*w)))) return ERROR_OUTOFMEMORY;
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
    BOOL changed;

    if (!w) return TRUE;
    if (WaitForSingleObject(w->event, 0) != WAIT_OBJECT_0) return FALSE;
    saved = GetLastError();
    ResetEvent(w->event);
    changed = TRUE;
    if (!watch_arm(w)) SetEvent(w->event); /* could not re-arm: report "changed" every time */
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
    if (m) ReleaseMutex(m);
    SetLastError(saved);
}
