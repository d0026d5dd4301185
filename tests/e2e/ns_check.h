/* ns_check.h - what the namespace end-to-end programs (tests/e2e/ns_*.c) share: one output line per
 * check with a failure count for the exit code, the test provider GUIDs, the path of tp_nsp.dll next
 * to the program, and a byte-for-byte dump of HKLM\...\NameSpace_Catalog5 (every subkey and value,
 * Serial_Access_Num left out) for "uninstall restores the catalog" checks.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NS_CHECK_H
#define OPENWS2_NS_CHECK_H

#include "e2e_check.h"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <ws2spi.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ns_ws2_proc(name): an export of the loaded ws2_32.dll, resolved at run time (the process ends with
 * a FAIL line when it is missing). MinGW-w64's i686 import library lacks WSCInstallNameSpaceEx2,
 * WSCUnInstallNameSpaceEx2 and the *32 namespace functions (Windows' 32-bit ws2_32 exports no *32
 * function; ours does, on its one view), so the tests call them through these macros in both builds. */
static __attribute__((unused)) FARPROC ns_ws2_proc(const char *name)
{
    FARPROC p = GetProcAddress(GetModuleHandleA("ws2_32.dll"), name);
    if (!p)
    {
        printf("FAIL: ws2_32.dll does not export %s\n", name);
        ExitProcess(1);
    }
    return p;
}
typedef int (WSPAPI *ns_install_ex2_fn)(LPGUID, LPWSTR, LPWSTR, DWORD, DWORD, LPBLOB);
typedef int (WSPAPI *ns_install32_fn)(LPWSTR, LPWSTR, DWORD, DWORD, LPGUID);
typedef int (WSPAPI *ns_guid_fn)(LPGUID);
typedef int (WSPAPI *ns_enum32_fn)(LPDWORD, LPWSANAMESPACE_INFOW);
typedef int (WSPAPI *ns_enum_ex32_fn)(LPDWORD, LPWSANAMESPACE_INFOEXW);
#define NS_WS2(type, name) (*(type)(void *)ns_ws2_proc(#name))
#undef WSCInstallNameSpaceEx2
#undef WSCUnInstallNameSpaceEx2
#undef WSCInstallNameSpace32
#undef WSCUnInstallNameSpace32
#undef WSCEnumNameSpaceProviders32
#undef WSCEnumNameSpaceProvidersEx32
#define WSCInstallNameSpaceEx2 NS_WS2(ns_install_ex2_fn, WSCInstallNameSpaceEx2)
#define WSCUnInstallNameSpaceEx2 NS_WS2(ns_guid_fn, WSCUnInstallNameSpaceEx2)
#define WSCInstallNameSpace32 NS_WS2(ns_install32_fn, WSCInstallNameSpace32)
#define WSCUnInstallNameSpace32 NS_WS2(ns_guid_fn, WSCUnInstallNameSpace32)
#define WSCEnumNameSpaceProviders32 NS_WS2(ns_enum32_fn, WSCEnumNameSpaceProviders32)
#define WSCEnumNameSpaceProvidersEx32 NS_WS2(ns_enum_ex32_fn, WSCEnumNameSpaceProvidersEx32)

/* The registry view of this program's own (native) namespace catalog. */
#ifdef _WIN64
# define NS_NATIVE_ENTRIES L"Catalog_Entries64"
# define NS_NATIVE_NUM L"Num_Catalog_Entries64"
#else
# define NS_NATIVE_ENTRIES L"Catalog_Entries"
# define NS_NATIVE_NUM L"Num_Catalog_Entries"
#endif

static inline int ns_done(const char *name)
{
    return e2e_done(name);
}

/* Test provider ids (never Windows' own). */
static GUID ns_guid_a = {0x7e570001, 0x0a0a, 0x4b4b, {0x8c, 0x8c, 1, 2, 3, 4, 5, 6}};
static GUID ns_guid_b = {0x7e570002, 0x0a0a, 0x4b4b, {0x8c, 0x8c, 1, 2, 3, 4, 5, 6}};
static GUID ns_guid_c = {0x7e570003, 0x0a0a, 0x4b4b, {0x8c, 0x8c, 1, 2, 3, 4, 5, 6}};
static GUID ns_guid_missing = {0x7e57dead, 0x0a0a, 0x4b4b, {0x8c, 0x8c, 1, 2, 3, 4, 5, 6}};
static const GUID ns_tcpip = {0x22059d40, 0x7e9e, 0x11cf, {0xae, 0x5a, 0x00, 0xaa, 0x00, 0xa7, 0x11, 0x2b}};

#define NS_CATALOG_KEYW L"System\\CurrentControlSet\\Services\\WinSock2\\Parameters\\NameSpace_Catalog5"

/* Full path of a file next to the program. */
static inline void ns_local_path(const WCHAR *file, WCHAR *out, DWORD size)
{
    DWORD n = GetModuleFileNameW(NULL, out, size);
    WCHAR *slash;
    out[n < size ? n : size - 1] = 0;
    slash = wcsrchr(out, L'\\');
    if (slash) slash[1] = 0;
    wcsncat(out, file, size - wcslen(out) - 1);
}

struct ns_dump { char *text; size_t len, size; };

static inline void dump_add(struct ns_dump *d, const void *data, size_t len)
{
    if (d->len + len + 1 > d->size)
    {
        size_t size = (d->len + len + 1) * 2;
        char *t = realloc(d->text, size);
        if (!t) return;
        d->text = t;
        d->size = size;
    }
    memcpy(d->text + d->len, data, len);
    d->len += len;
    d->text[d->len] = 0;
}

static inline void dump_key(struct ns_dump *d, HKEY key, const WCHAR *path)
{
    WCHAR name[256];
    BYTE data[4096];
    DWORD i, nlen, dlen, type;
    char line[600];

    for (i = 0;; i++)
    {
        nlen = 256;
        dlen = sizeof(data);
        if (RegEnumValueW(key, i, name, &nlen, NULL, &type, data, &dlen) != ERROR_SUCCESS) break;
        if (!path[0] && !wcscmp(name, L"Serial_Access_Num")) continue;
        snprintf(line, sizeof(line), "%ls\\%ls type %lu len %lu:", path, name, (unsigned long)type, (unsigned long)dlen);
        dump_add(d, line, strlen(line));
        dump_add(d, data, dlen);
        dump_add(d, "\n", 1);
    }
    for (i = 0;; i++)
    {
        WCHAR sub[256], subpath[512];
        HKEY k;
        nlen = 256;
        if (RegEnumKeyExW(key, i, sub, &nlen, NULL, NULL, NULL, NULL) != ERROR_SUCCESS) break;
        swprintf(subpath, 512, L"%ls\\%ls", path, sub);
        dump_add(d, "[key]", 5);
        if (RegOpenKeyExW(key, sub, 0, KEY_READ, &k) == ERROR_SUCCESS)
        {
            dump_key(d, k, subpath);
            RegCloseKey(k);
        }
    }
}

/* The whole namespace catalog as bytes (malloc'd; *len its size). */
static inline char *ns_dump_catalog(size_t *len)
{
    struct ns_dump d = {NULL, 0, 0};
    HKEY key;
    dump_add(&d, "", 0);
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, NS_CATALOG_KEYW, 0, KEY_READ, &key) == ERROR_SUCCESS)
    {
        dump_key(&d, key, L"");
        RegCloseKey(key);
    }
    *len = d.len;
    return d.text;
}

static inline DWORD ns_reg_dword(const WCHAR *subkey, const WCHAR *name)
{
    WCHAR path[512];
    DWORD v = 0xdeadbeef, len = sizeof(v), type = 0;
    HKEY key;
    swprintf(path, 512, L"%ls%ls%ls", NS_CATALOG_KEYW, subkey[0] ? L"\\" : L"", subkey);
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &key) != ERROR_SUCCESS) return 0xdeadbeef;
    if (RegQueryValueExW(key, name, NULL, &type, (BYTE *)&v, &len) != ERROR_SUCCESS || type != REG_DWORD) v = 0xdeadbeef;
    RegCloseKey(key);
    return v;
}

#endif
