/* provider_common.c - shared helpers of the provider-architecture end-to-end programs (see
 * provider_common.h): check lines, test provider installation (WSCInstallProvider, or Windows'
 * Protocol_Catalog9 registry format directly while that export is a placeholder), loading through
 * ws2_32, provider logs and upcall tables.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "provider_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CATALOG_KEY "System\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9"
#ifdef _WIN64
# define ENTRIES_KEY "Catalog_Entries64"
# define NUM_VALUE "Num_Catalog_Entries64"
#else
# define ENTRIES_KEY "Catalog_Entries"
# define NUM_VALUE "Num_Catalog_Entries"
#endif
#define PATH_SIZE 260

struct tp_entry tp_entries[TP_COUNT] =
{
    { { 0x6f70656e, 0x7773, 0x3201, { 0x74, 0x70, 0x2d, 0x69, 0x66, 0x73, 0x00, 0x01 } }, L"tp_ifs.dll",
      TP_PROTO_IFS, TRUE, { 0 }, FALSE, FALSE },
    { { 0x6f70656e, 0x7773, 0x3202, { 0x74, 0x70, 0x2d, 0x6e, 0x69, 0x66, 0x73, 0x02 } }, L"tp_nifs.dll",
      TP_PROTO_NIFS, FALSE, { 0 }, FALSE, FALSE },
    { { 0x6f70656e, 0x7773, 0x3203, { 0x74, 0x70, 0x2d, 0x6d, 0x69, 0x73, 0x73, 0x03 } },
      L"tp_missing_does_not_exist.dll", TP_PROTO_MISSING, FALSE, { 0 }, FALSE, FALSE },
    { { 0x6f70656e, 0x7773, 0x3204, { 0x74, 0x70, 0x2d, 0x6e, 0x6f, 0x73, 0x74, 0x04 } }, L"tp_nostartup.dll",
      TP_PROTO_NOSTARTUP, FALSE, { 0 }, FALSE, FALSE },
    { { 0x6f70656e, 0x7773, 0x3205, { 0x74, 0x70, 0x2d, 0x65, 0x6e, 0x76, 0x70, 0x05 } },
      L"%OPENWS2_TP_DIR%\\tp_ifs.dll", TP_PROTO_ENVPATH, TRUE, { 0 }, FALSE, FALSE },
};
int tp_failures;
BOOL tp_cond;

BOOL tp_report(BOOL cond, const char *fmt, ...)
{
    va_list ap;
    printf("%s: ", cond ? "ok" : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    if (!cond) tp_failures++;
    return cond;
}

static void dll_path(const WCHAR *dll, WCHAR *out, DWORD size)
{
    WCHAR *slash;
    DWORD n;

    if (dll[0] == L'%')
    {
        lstrcpynW(out, dll, (int)size);
        return;
    }
    n = GetModuleFileNameW(NULL, out, size);
    if (!n || n >= size) out[0] = 0;
    slash = wcsrchr(out, L'\\');
    if (slash) slash[1] = 0;
    else out[0] = 0;
    if (wcslen(out) + wcslen(dll) < size) wcscat(out, dll);
}

static void fill_info(struct tp_entry *e, const WCHAR *name)
{
    WSAPROTOCOL_INFOW *i = &e->info;
    memset(i, 0, sizeof(*i));
    i->dwServiceFlags1 = XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE |
                         (e->ifs ? XP1_IFS_HANDLES : 0);
    i->ProviderId = e->guid;
    i->ProtocolChain.ChainLen = BASE_PROTOCOL;
    i->iVersion = 2;
    i->iAddressFamily = AF_INET;
    i->iMaxSockAddr = sizeof(struct sockaddr_in);
    i->iMinSockAddr = sizeof(struct sockaddr_in);
    i->iSocketType = SOCK_STREAM;
    i->iProtocol = e->protocol;
    i->iNetworkByteOrder = BIGENDIAN;
    i->iSecurityScheme = SECURITY_PROTOCOL_NONE;
    lstrcpynW(i->szProtocol, name, WSAPROTOCOL_LEN + 1);
}

static DWORD reg_dword(HKEY key, const char *name, DWORD def)
{
    DWORD v = 0, len = sizeof(v), type = 0;
    if (RegQueryValueExA(key, name, NULL, &type, (BYTE *)&v, &len) || type != REG_DWORD) return def;
    return v;
}

static void bump_serial(HKEY cat)
{
    DWORD serial = reg_dword(cat, "Serial_Access_Num", 0) + 1;
    RegSetValueExA(cat, "Serial_Access_Num", 0, REG_DWORD, (BYTE *)&serial, sizeof(serial));
}

/* Windows' format: PackedCatalogItem = 260-byte ANSI path + WSAPROTOCOL_INFOW. */
static int reg_install(struct tp_entry *e, const WCHAR *path)
{
    unsigned char blob[PATH_SIZE + sizeof(WSAPROTOCOL_INFOW)];
    char name[64];
    HKEY cat, item;
    DWORD num, next, id;
    LONG r;

    if (RegCreateKeyExA(HKEY_LOCAL_MACHINE, CATALOG_KEY, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &cat, NULL))
        return WSASYSCALLFAILURE;
    num = reg_dword(cat, NUM_VALUE, 0);
    next = reg_dword(cat, "Next_Catalog_Entry_ID", 0);
    if (next < 5001) next = 5001; /* clear of the embedded default catalog's ids */
    id = next++;
    e->info.dwCatalogEntryId = id;
    memset(blob, 0, sizeof(blob));
    WideCharToMultiByte(CP_ACP, 0, path, -1, (char *)blob, PATH_SIZE - 1, NULL, NULL);
    memcpy(blob + PATH_SIZE, &e->info, sizeof(e->info));
    snprintf(name, sizeof(name), ENTRIES_KEY "\\%012lu", (unsigned long)(num + 1));
    r = RegCreateKeyExA(cat, name, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &item, NULL);
    if (!r)
    {
        r = RegSetValueExA(item, "PackedCatalogItem", 0, REG_BINARY, blob, sizeof(blob));
        RegCloseKey(item);
    }
    if (!r)
    {
        num++;
        RegSetValueExA(cat, NUM_VALUE, 0, REG_DWORD, (BYTE *)&num, sizeof(num));
        RegSetValueExA(cat, "Next_Catalog_Entry_ID", 0, REG_DWORD, (BYTE *)&next, sizeof(next));
    }
    bump_serial(cat);
    RegCloseKey(cat);
    return r ? WSASYSCALLFAILURE : 0;
}

static void reg_uninstall(struct tp_entry *e)
{
    unsigned char blob[PATH_SIZE + sizeof(WSAPROTOCOL_INFOW)];
    char name[64];
    HKEY cat, item;
    DWORD num, i, len, type;

    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, CATALOG_KEY, 0, KEY_ALL_ACCESS, &cat)) return;
    num = reg_dword(cat, NUM_VALUE, 0);
    for (i = num; i >= 1; i--)
    {
        WSAPROTOCOL_INFOW info;
        snprintf(name, sizeof(name), ENTRIES_KEY "\\%012lu", (unsigned long)i);
        if (RegOpenKeyExA(cat, name, 0, KEY_ALL_ACCESS, &item)) continue;
        len = sizeof(blob);
        if (RegQueryValueExA(item, "PackedCatalogItem", NULL, &type, blob, &len) || len != sizeof(blob))
        {
            RegCloseKey(item);
            continue;
        }
        RegCloseKey(item);
        memcpy(&info, blob + PATH_SIZE, sizeof(info));
        if (memcmp(&info.ProviderId, &e->guid, sizeof(GUID))) continue;
        RegDeleteKeyA(cat, name);
        if (i == num)
        {
            num--;
            RegSetValueExA(cat, NUM_VALUE, 0, REG_DWORD, (BYTE *)&num, sizeof(num));
        }
    }
    bump_serial(cat);
    RegCloseKey(cat);
}

BOOL tp_find_entry(const GUID *guid, WSAPROTOCOL_INFOW *out)
{
    DWORD len = 0;
    int err = 0, n, i;
    WSAPROTOCOL_INFOW *buf;
    BOOL found = FALSE;

    WSCEnumProtocols(NULL, NULL, &len, &err);
    if (!len || !(buf = malloc(len))) return FALSE;
    n = WSCEnumProtocols(NULL, buf, &len, &err);
    for (i = 0; i < n; i++)
        if (!memcmp(&buf[i].ProviderId, guid, sizeof(GUID)))
        {
            *out = buf[i];
            found = TRUE;
            break;
        }
    free(buf);
    return found;
}

int tp_install(void)
{
    static const WCHAR *names[TP_COUNT] = { L"openws2 test IFS", L"openws2 test non-IFS",
                                            L"openws2 test missing DLL", L"openws2 test no WSPStartup",
                                            L"openws2 test IFS (environment path)" };
    WCHAR path[MAX_PATH];
    int i, err, first_err = 0;

    tp_uninstall(); /* leftovers of an interrupted run */
    for (i = 0; i < TP_COUNT; i++)
    {
        struct tp_entry *e = &tp_entries[i];
        dll_path(e->dll, path, MAX_PATH);
        fill_info(e, names[i]);
        err = 0;
        if (!WSCInstallProvider(&e->guid, path, &e->info, 1, &err) && tp_find_entry(&e->guid, &e->info))
            e->installed = TRUE;
        else if (err == WSAEOPNOTSUPP || err == 0)
        {
            if (!(err = reg_install(e, path)))
            {
                e->installed = TRUE;
                e->by_registry = TRUE;
            }
        }
        printf("install %ls (%ls): %s, catalog entry %lu%s\n", e->dll, path, e->installed ? "done" : "FAILED",
               (unsigned long)e->info.dwCatalogEntryId, e->by_registry ? " (registry written directly)" : "");
        if (!e->installed && !first_err) first_err = err ? err : WSAEINVAL;
    }
    Sleep(300); /* let ws2_32 notice the catalog change (Serial_Access_Num) */
    return first_err;
}

void tp_uninstall(void)
{
    int i, err;
    for (i = TP_COUNT - 1; i >= 0; i--)
    {
        struct tp_entry *e = &tp_entries[i];
        if (!e->installed || !e->by_registry) WSCDeinstallProvider(&e->guid, &err);
        reg_uninstall(e);
        e->installed = FALSE;
    }
}

int tp_load(enum tp_which e)
{
    WSAPROTOCOL_INFOW info = tp_entries[e].info;
    struct sockaddr_in sin;
    WCHAR text[64];
    DWORD len = 64;
    SOCKET s;
    int err;

    s = WSASocketW(AF_INET, SOCK_STREAM, info.iProtocol, &info, 0, WSA_FLAG_OVERLAPPED);
    if (s != INVALID_SOCKET)
    {
        closesocket(s);
        return 0;
    }
    err = WSAGetLastError();
    if (err != WSAEOPNOTSUPP) return err;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(1);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    info = tp_entries[e].info;
    if (!WSAAddressToStringW((SOCKADDR *)&sin, sizeof(sin), &info, text, &len)) return 0;
    return WSAGetLastError();
}

static FARPROC dll_proc(enum tp_which e, const char *name)
{
    HMODULE m = GetModuleHandleW(tp_entries[e].dll);
    return m ? GetProcAddress(m, name) : NULL;
}

char *tp_log_get(enum tp_which e)
{
    int (WINAPI *read_log)(char *, int) = (void *)dll_proc(e, "tp_log_read");
    int n;
    char *buf;

    if (!read_log) return NULL;
    n = read_log(NULL, 0);
    if (n < 0) n = 256 * 1024;
    if (!(buf = malloc((size_t)n + 1))) return NULL;
    read_log(buf, n + 1);
    return buf;
}

void tp_log_reset(enum tp_which e)
{
    void (WINAPI *clear)(void) = (void *)dll_proc(e, "tp_log_clear");
    if (clear) clear();
}

int tp_log_count(const char *log, const char *prefix)
{
    int count = 0;
    size_t n = strlen(prefix);
    const char *p = log;

    while (p && *p)
    {
        if (!strncmp(p, prefix, n)) count++;
        p = strchr(p, '\n');
        if (p) p++;
    }
    return count;
}

const WSPUPCALLTABLE *tp_get_upcalls(enum tp_which e, DWORD *catalog_id)
{
    const WSPUPCALLTABLE *(WINAPI *get)(DWORD *) = (void *)dll_proc(e, "tp_upcalls");
    return get ? get(catalog_id) : NULL;
}

HMODULE tp_pin(enum tp_which e)
{
    WCHAR path[MAX_PATH];
    dll_path(tp_entries[e].dll, path, MAX_PATH);
    return LoadLibraryW(path);
}

void tp_knob(const char *name, const char *value)
{
    SetEnvironmentVariableA(name, value);
}
