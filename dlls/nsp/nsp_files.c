/* nsp_files.c - the host's /etc/hosts for openws2nsp under Wine: detection of Wine (ntdll's
 * wine_get_version) and reading \\?\unix\etc\hosts whole, size-capped. The prefix's own hosts file
 * comes from netdb_files.c (DataBasePath or %SystemRoot%\system32\drivers\etc).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "nsp_private.h"

BOOL nsp_running_on_wine(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    return ntdll && GetProcAddress(ntdll, "wine_get_version") != NULL;
}

int nsp_read_unix_hosts(struct netdb_text *out)
{
    HANDLE file;
    LARGE_INTEGER size;
    DWORD want, got = 0, n, saved = GetLastError();
    char *data;

    out->data = "";
    out->len = 0;
    out->allocated = FALSE;
    file = CreateFileW(L"\\\\?\\unix\\etc\\hosts", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                       NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE)
    {
        SetLastError(saved);
        return 0;
    }
    if (!GetFileSizeEx(file, &size) || size.QuadPart < 0)
    {
        CloseHandle(file);
        SetLastError(saved);
        return 0;
    }
    want = size.QuadPart > NETDB_FILE_MAX ? NETDB_FILE_MAX : (DWORD)size.QuadPart;
    if (!(data = HeapAlloc(GetProcessHeap(), 0, want ? want : 1)))
    {
        CloseHandle(file);
        SetLastError(saved);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    while (got < want && ReadFile(file, data + got, want - got, &n, NULL) && n) got += n;
    CloseHandle(file);
    out->data = data;
    out->len = got;
    out->allocated = TRUE;
    SetLastError(saved);
    return 0;
}
