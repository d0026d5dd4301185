/* ns_reg_wstr_host.c - the host side of the namespace catalog's wide-string registry seam
 * (ns_catalog.h): REG_SZ values kept as UTF-16 bytes in the in-memory registry (fake_registry.c), as
 * RegQueryValueExW / RegSetValueExW see them in the DLL.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "ns_catalog.h"

LONG ns_reg_get_wstr(os_regkey *key, const char *name, DWORD *type, WCHAR *data, DWORD *len)
{
    return os_reg_get(key, name, type, data, len);
}

LONG ns_reg_set_wstr(os_regkey *key, const char *name, DWORD type, const WCHAR *str)
{
    if (!str) return ERROR_INVALID_PARAMETER;
    return os_reg_set(key, name, type, str, (DWORD)((ns_wcslen(str) + 1) * sizeof(WCHAR)));
}
