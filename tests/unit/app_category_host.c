/* app_category_host.c - the Windows calls of src/core/app_category.c for the host allocation-failure
 * test: a process whose application entry (WSCGetApplicationCategory) the test chooses, no
 * AppId_Catalog key, LSPs without categories (WSCGetProviderInfo), shared SRW locks.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app_category_host.h"
#include "app_category.h"
#include <pthread.h>

static BOOL app_known;
static DWORD app_categories;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static WCHAR command_line[] = { 'a', 'p', 'p', '.', 'e', 'x', 'e', 0 };

void af_appcat_set(BOOL categorised, DWORD categories)
{
    app_known = categorised;
    app_categories = categories;
    app_category_forget_identity(); /* a new "process": its identity is read again */
}

int WSPAPI WSCGetApplicationCategory(LPCWSTR Path, DWORD PathLength, LPCWSTR Extra, DWORD ExtraLength,
                                     DWORD *pPermittedLspCategories, LPINT lpErrno)
{
    (void)Path;
    (void)PathLength;
    (void)Extra;
    (void)ExtraLength;
    if (!app_known)
    {
        *lpErrno = WSASERVICE_NOT_FOUND;
        return SOCKET_ERROR;
    }
    *pPermittedLspCategories = app_categories;
    return 0;
}

INT WINAPI WSCGetProviderInfo(LPGUID id, WSC_PROVIDER_INFO_TYPE type, PBYTE info, size_t *size, DWORD flags, LPINT err)
{
    (void)id;
    (void)type;
    (void)info;
    (void)size;
    (void)flags;
    *err = WSAEINVAL; /* no categories */
    return SOCKET_ERROR;
}

LSTATUS WINAPI RegOpenKeyExA(HKEY key, LPCSTR name, DWORD options, REGSAM access, PHKEY out)
{
    (void)key;
    (void)name;
    (void)options;
    (void)access;
    (void)out;
    return ERROR_FILE_NOT_FOUND; /* no AppId_Catalog */
}

/* never reached without the key, but linked */
LSTATUS WINAPI RegOpenKeyExW(HKEY key, LPCWSTR name, DWORD options, REGSAM access, PHKEY out)
{
    (void)key;
    (void)name;
    (void)options;
    (void)access;
    (void)out;
    return ERROR_FILE_NOT_FOUND;
}

LSTATUS WINAPI RegEnumKeyExW(HKEY key, DWORD index, LPWSTR name, LPDWORD len, LPDWORD reserved, LPWSTR cls,
                             LPDWORD cls_len, PFILETIME time)
{
    (void)key;
    (void)index;
    (void)name;
    (void)len;
    (void)reserved;
    (void)cls;
    (void)cls_len;
    (void)time;
    return ERROR_NO_MORE_ITEMS;
}

LSTATUS WINAPI RegQueryValueExW(HKEY key, LPCWSTR name, LPDWORD reserved, LPDWORD type, LPBYTE data, LPDWORD size)
{
    (void)key;
    (void)name;
    (void)reserved;
    (void)type;
    (void)data;
    (void)size;
    return ERROR_FILE_NOT_FOUND;
}

LSTATUS WINAPI RegCloseKey(HKEY key)
{
    (void)key;
    return ERROR_SUCCESS;
}

DWORD WINAPI ExpandEnvironmentStringsW(LPCWSTR src, LPWSTR dst, DWORD len)
{
    (void)src;
    if (len) dst[0] = 0;
    return 1;
}

INT WINAPI CompareStringOrdinal(const WCHAR *a, INT alen, const WCHAR *b, INT blen, BOOL ignore_case)
{
    (void)a;
    (void)alen;
    (void)b;
    (void)blen;
    (void)ignore_case;
    return CSTR_LESS_THAN;
}

LPWSTR WINAPI GetCommandLineW(void) { return command_line; }

DWORD WINAPI GetModuleFileNameW(HMODULE module, LPWSTR name, DWORD size)
{
    static const WCHAR path[] = { 'C', ':', '\\', 'a', 'p', 'p', '.', 'e', 'x', 'e', 0 };
    (void)module;
    if (size < OPENWS2_ARRAY_SIZE(path)) return 0;
    memcpy(name, path, sizeof(path));
    return OPENWS2_ARRAY_SIZE(path) - 1;
}

void WINAPI AcquireSRWLockShared(PSRWLOCK lock) { (void)lock; pthread_mutex_lock(&shared_lock); }
void WINAPI ReleaseSRWLockShared(PSRWLOCK lock) { (void)lock; pthread_mutex_unlock(&shared_lock); }

INT WINAPI lstrlenW(LPCWSTR s)
{
    INT n = 0;
    while (s && s[n]) n++;
    return n;
}

/* only the WSCSetApplicationCategoryEx export calls it; not used by the test */
int WSPAPI WSCSetApplicationCategory(LPCWSTR Path, DWORD PathLength, LPCWSTR Extra, DWORD ExtraLength,
                                     DWORD PermittedLspCategories, DWORD *pPrevPermLspCat, LPINT lpErrno)
{
    (void)Path;
    (void)PathLength;
    (void)Extra;
    (void)ExtraLength;
    (void)PermittedLspCategories;
    (void)pPrevPermLspCat;
    *lpErrno = WSAEINVAL;
    return SOCKET_ERROR;
}
