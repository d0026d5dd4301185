/* ns_catalog_wstr_win32.c - the DLL side of the namespace catalog's wide-string registry seam
 * (ns_reg_get_wstr / ns_reg_set_wstr in ns_catalog.h): REG_SZ values read and written as UTF-16 with
 * RegQueryValueExW / RegSetValueExW, so display strings and paths keep every character. An os_regkey
 * of the DLL is an HKEY (src/os/os_registry_win32.c); NULL is HKEY_LOCAL_MACHINE. Never disturbs the
 * caller's last error.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "ns_catalog.h"

static HKEY hkey_of(os_regkey *key) { return key ? (HKEY)key : HKEY_LOCAL_MACHINE; }

static WCHAR *wide_name(const char *name, WCHAR *buf, size_t size)
{
    size_t i;
    for (i = 0; i + 1 < size && name[i]; i++) buf[i] = (unsigned char)name[i];
    buf[i] = 0;
    return buf;
}

/* the catalog's value names are short ASCII names ("LibraryPath", "DisplayString" ...) */
#define NS_VALUE_NAME_CHARS 64

LONG ns_reg_get_wstr(os_regkey *key, const char *name, DWORD *type, WCHAR *data, DWORD *len)
{
    DWORD saved = GetLastError();
    WCHAR wname[NS_VALUE_NAME_CHARS];
    LONG ret;

    if (!name) return ERROR_INVALID_PARAMETER;
    ret = RegQueryValueExW(hkey_of(key), wide_name(name, wname, OPENWS2_ARRAY_SIZE(wname)), NULL, type,
                           (BYTE *)data, len);
    SetLastError(saved);
    return ret;
}

LONG ns_reg_set_wstr(os_regkey *key, const char *name, DWORD type, const WCHAR *str)
{
    DWORD saved = GetLastError();
    WCHAR wname[NS_VALUE_NAME_CHARS];
    LONG ret;

    if (!name || !str) return ERROR_INVALID_PARAMETER;
    ret = RegSetValueExW(hkey_of(key), wide_name(name, wname, OPENWS2_ARRAY_SIZE(wname)), 0, type,
                         (const BYTE *)str, (DWORD)((ns_wcslen(str) + 1) * sizeof(WCHAR)));
    SetLastError(saved);
    return ret;
}
