/* hostile_catalog_probe.c - the Windows side of tests/e2e/hostile_catalog.sh (run only in that
 * script's own prefix: it corrupts the Winsock catalogs).
 *   hostile_catalog_probe corrupt   appends corrupt entries to the native view of Protocol_Catalog9
 *                                   (random, truncated, wrong type, wrong size, key without value,
 *                                   duplicate id, chain length out of range, a gap) and structurally
 *                                   valid but broken chains (a loop naming itself, ids of absent
 *                                   entries), sets a huge Num_Catalog_Entries; the same kind of damage
 *                                   to NameSpace_Catalog5 (missing values, wrong types, a huge
 *                                   ProviderInfo, a huge count)
 *   hostile_catalog_probe check N M  WSAStartup, WSAEnumProtocols (N good entries plus the two broken
 *                                   chains, no corrupt one), socket + a loopback TCP exchange on the
 *                                   good provider, WSASocket on each broken chain (a WSA error, no
 *                                   crash), WSAEnumNameSpaceProviders (M good providers, no corrupt
 *                                   one), getaddrinfo("localhost")
 *   hostile_catalog_probe count      prints "N M": the visible protocol entries and namespace providers
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARAMS "System\\CurrentControlSet\\Services\\WinSock2\\Parameters"
#ifdef _WIN64
# define SUFFIX "64"
#else
# define SUFFIX ""
#endif
#define PROTO_KEY PARAMS "\\Protocol_Catalog9"
#define NS_KEY PARAMS "\\NameSpace_Catalog5"
#define ITEM_SIZE 888
#define PATH_SIZE 260

static int failures;
static const GUID hostile_loop_id = {0x686f7374, 0x6c6f, 0x6f70, {1, 1, 1, 1, 1, 1, 1, 1}};
static const GUID hostile_absent_id = {0x686f7374, 0x6162, 0x7365, {2, 2, 2, 2, 2, 2, 2, 2}};

static void check(BOOL ok, const char *what, long detail)
{
    printf("%s: %s (%ld)\n", ok ? "ok" : "FAIL", what, detail);
    if (!ok) failures++;
}

static unsigned rng = 12345;
static unsigned next_rand(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

static HKEY open_key(const char *path)
{
    HKEY k = NULL;
    if (RegCreateKeyExA(HKEY_LOCAL_MACHINE, path, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, NULL)) return NULL;
    return k;
}

static DWORD get_dword(HKEY k, const char *name)
{
    DWORD v = 0, len = sizeof(v), type = 0;
    if (RegQueryValueExA(k, name, NULL, &type, (BYTE *)&v, &len) || type != REG_DWORD) return 0;
    return v;
}

static void set_dword(HKEY k, const char *name, DWORD v)
{
    RegSetValueExA(k, name, 0, REG_DWORD, (const BYTE *)&v, sizeof(v));
}

/* entry index of a view's list: a subkey named with 12 digits */
static HKEY entry_key(const char *list, DWORD index)
{
    char path[300];
    snprintf(path, sizeof(path), "%s\\%012lu", list, (unsigned long)index);
    return open_key(path);
}

static void put_blob(const char *list, DWORD index, DWORD type, const void *data, DWORD len)
{
    HKEY k = entry_key(list, index);
    if (!k) return;
    RegSetValueExA(k, "PackedCatalogItem", 0, type, data, len);
    RegCloseKey(k);
}

static void name_it(WSAPROTOCOL_INFOW *p, const WCHAR *name)
{
    memset(p->szProtocol, 0, sizeof(p->szProtocol));
    wcsncpy(p->szProtocol, name, WSAPROTOCOL_LEN);
}

static int corrupt(void)
{
    const char *list = PROTO_KEY "\\Catalog_Entries" SUFFIX;
    const char *nslist = NS_KEY "\\Catalog_Entries" SUFFIX;
    HKEY cat = open_key(PROTO_KEY), ns = open_key(NS_KEY), item;
    unsigned char good[ITEM_SIZE], blob[ITEM_SIZE + 1];
    WSAPROTOCOL_INFOW *p = (WSAPROTOCOL_INFOW *)(blob + PATH_SIZE);
    DWORD n, type = 0, len = sizeof(good), i, v;
    static unsigned char big_info[70000];
    WCHAR wide[64];

    if (!cat || !ns) return 1;
    n = get_dword(cat, "Num_Catalog_Entries" SUFFIX);
    item = entry_key(list, 1);
    if (!n || !item || RegQueryValueExA(item, "PackedCatalogItem", NULL, &type, good, &len) || len != ITEM_SIZE)
    {
        printf("FAIL: no good entry to start from (%lu entries)\n", (unsigned long)n);
        return 1;
    }
    RegCloseKey(item);

    for (i = 0; i < ITEM_SIZE; i++) blob[i] = (unsigned char)next_rand();
    put_blob(list, n + 1, REG_BINARY, blob, ITEM_SIZE);            /* random bytes */
    put_blob(list, n + 2, REG_BINARY, good, 500);                  /* truncated */
    memcpy(blob, good, ITEM_SIZE);
    p->dwCatalogEntryId = 9003;
    put_blob(list, n + 3, REG_SZ, blob, ITEM_SIZE);                /* wrong type */
    p->dwCatalogEntryId = 9004;
    blob[ITEM_SIZE] = 0x55;
    put_blob(list, n + 4, REG_BINARY, blob, ITEM_SIZE + 1);        /* wrong size */
    if ((item = entry_key(list, n + 5))) RegCloseKey(item);        /* a key without its value */
    /* a chain naming itself (a loop), over an absent DLL */
    memcpy(blob, good, ITEM_SIZE);
    strcpy((char *)blob, "%SystemRoot%\\system32\\openws2_hostile_absent.dll");
    p->dwCatalogEntryId = 9006;
    p->ProviderId = hostile_loop_id; /* its own provider: WSASocket must load the (absent) DLL */
    p->ProtocolChain.ChainLen = 3;
    p->ProtocolChain.ChainEntries[0] = 9006;
    p->ProtocolChain.ChainEntries[1] = 9006;
    p->ProtocolChain.ChainEntries[2] = 9006;
    name_it(p, L"hostile loop");
    put_blob(list, n + 6, REG_BINARY, blob, ITEM_SIZE);
    /* a chain of absent entries */
    memcpy(blob, good, ITEM_SIZE);
    strcpy((char *)blob, "%SystemRoot%\\system32\\openws2_hostile_absent.dll");
    p->dwCatalogEntryId = 9007;
    p->ProviderId = hostile_absent_id;
    p->ProtocolChain.ChainLen = 2;
    p->ProtocolChain.ChainEntries[0] = 77777;
    p->ProtocolChain.ChainEntries[1] = 88888;
    name_it(p, L"hostile absent");
    put_blob(list, n + 7, REG_BINARY, blob, ITEM_SIZE);
    put_blob(list, n + 8, REG_BINARY, good, ITEM_SIZE);            /* duplicate catalog id */
    /* n + 9: a gap */
    memcpy(blob, good, ITEM_SIZE);
    p->dwCatalogEntryId = 9010;
    p->ProtocolChain.ChainLen = 99;                                /* out of range */
    put_blob(list, n + 10, REG_BINARY, blob, ITEM_SIZE);
    set_dword(cat, "Num_Catalog_Entries" SUFFIX, 0x7fffffff);
    set_dword(cat, "Serial_Access_Num", get_dword(cat, "Serial_Access_Num") + 1);

    /* the namespace catalog */
    n = get_dword(ns, "Num_Catalog_Entries" SUFFIX);
    for (i = 1; i <= 6; i++)
    {
        HKEY e = entry_key(nslist, n + i);
        GUID id = {0x686f7374 + i, 0x696c, 0x6500, {1, 2, 3, 4, 5, 6, 7, (BYTE)i}};
        if (!e) continue;
        swprintf(wide, 64, L"hostile ns %lu", (unsigned long)i);
        if (i != 1) RegSetValueExW(e, L"LibraryPath", 0, REG_SZ, (const BYTE *)L"C:\\absent.dll", 28);
        RegSetValueExW(e, L"DisplayString", 0, i == 2 ? REG_DWORD : REG_SZ, (const BYTE *)wide,
                       i == 2 ? 4 : (DWORD)(wcslen(wide) + 1) * sizeof(WCHAR));
        if (i == 3) RegSetValueExA(e, "ProviderId", 0, REG_SZ, (const BYTE *)"not a guid", 11);
        else RegSetValueExA(e, "ProviderId", 0, REG_BINARY, (const BYTE *)&id, i == 4 ? 15 : sizeof(id));
        v = NS_DNS;
        if (i == 5) RegSetValueExA(e, "SupportedNameSpace", 0, REG_BINARY, (const BYTE *)&v, 2);
        else set_dword(e, "SupportedNameSpace", v);
        set_dword(e, "Enabled", 1);
        set_dword(e, "Version", 1);
        set_dword(e, "StoresServiceClassInfo", 0);
        if (i == 6) RegSetValueExA(e, "ProviderInfo", 0, REG_BINARY, big_info, sizeof(big_info));
        RegCloseKey(e);
    }
    set_dword(ns, "Num_Catalog_Entries" SUFFIX, 0xffffffff);
    set_dword(ns, "Serial_Access_Num", get_dword(ns, "Serial_Access_Num") + 1);
    RegCloseKey(cat);
    RegCloseKey(ns);
    printf("ok: corrupt entries written\n");
    return 0;
}

static WSAPROTOCOL_INFOW *enum_protocols(int *count)
{
    DWORD len = 0;
    WSAPROTOCOL_INFOW *buf;
    *count = WSAEnumProtocolsW(NULL, NULL, &len);
    if (!(buf = malloc(len ? len : 1))) return NULL;
    *count = WSAEnumProtocolsW(NULL, buf, &len);
    return buf;
}

static int count_ns(WSANAMESPACE_INFOW **out)
{
    DWORD len = 0;
    int n;
    WSAEnumNameSpaceProvidersW(&len, NULL);
    if (!(*out = malloc(len ? len : 1))) return -1;
    n = WSAEnumNameSpaceProvidersW(&len, *out);
    return n;
}

static BOOL tcp_exchange(void)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0), c = INVALID_SOCKET, a = INVALID_SOCKET;
    struct sockaddr_in sin;
    int len = sizeof(sin);
    char buf[8] = {0};
    BOOL ok = FALSE;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (l != INVALID_SOCKET && !bind(l, (struct sockaddr *)&sin, sizeof(sin)) && !listen(l, 1) &&
        !getsockname(l, (struct sockaddr *)&sin, &len) &&
        (c = socket(AF_INET, SOCK_STREAM, 0)) != INVALID_SOCKET &&
        !connect(c, (struct sockaddr *)&sin, sizeof(sin)) && (a = accept(l, NULL, NULL)) != INVALID_SOCKET &&
        send(c, "hostile", 7, 0) == 7 && recv(a, buf, sizeof(buf), 0) == 7)
        ok = !memcmp(buf, "hostile", 7);
    if (a != INVALID_SOCKET) closesocket(a);
    if (c != INVALID_SOCKET) closesocket(c);
    if (l != INVALID_SOCKET) closesocket(l);
    return ok;
}

static int run_check(int good, int good_ns)
{
    WSADATA wsa;
    WSAPROTOCOL_INFOW *list;
    WSANAMESPACE_INFOW *nsl = NULL;
    struct addrinfo *ai = NULL, hints;
    int n, i, broken = 0, err;

    err = WSAStartup(MAKEWORD(2, 2), &wsa);
    check(err == 0, "WSAStartup with a corrupt catalog", err);
    if (err) return 1;
    list = enum_protocols(&n);
    check(list && n == good + 2, "WSAEnumProtocols: the good entries and the two broken chains, no corrupt one", n);
    for (i = 0; list && i < n; i++)
    {
        DWORD id = list[i].dwCatalogEntryId;
        if (id == 9003 || id == 9004 || id == 9010) check(FALSE, "a corrupt entry is listed", (long)id);
        if (id == 9006 || id == 9007)
        {
            SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &list[i], 0, 0);
            int e = WSAGetLastError();
            broken++;
            check(s == INVALID_SOCKET && e != 0, id == 9006 ? "WSASocket on a chain naming itself fails"
                                                            : "WSASocket on a chain of absent entries fails", e);
            if (s != INVALID_SOCKET) closesocket(s);
        }
    }
    check(broken == 2, "both broken chains listed", broken);
    check(tcp_exchange(), "socket/bind/listen/connect/accept/send/recv on the good provider", 0);
    n = count_ns(&nsl);
    check(n == good_ns, "WSAEnumNameSpaceProviders: the good providers only", n);
    for (i = 0; nsl && i < n; i++)
        if (!wcsncmp(nsl[i].lpszIdentifier, L"hostile", 7)) check(FALSE, "a corrupt namespace entry is listed", i);
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    err = getaddrinfo("localhost", "80", &hints, &ai);
    check(err == 0 && ai, "getaddrinfo(localhost) through the good namespace provider", err);
    if (ai) freeaddrinfo(ai);
    free(list);
    free(nsl);
    err = WSACleanup();
    check(err == 0, "WSACleanup", err);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    if (argc >= 2 && !strcmp(argv[1], "corrupt")) return corrupt();
    if (argc >= 4 && !strcmp(argv[1], "check")) return run_check(atoi(argv[2]), atoi(argv[3]));
    if (argc >= 2 && !strcmp(argv[1], "count"))
    {
        WSAPROTOCOL_INFOW *list;
        WSANAMESPACE_INFOW *nsl = NULL;
        int n, m;
        if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 1;
        list = enum_protocols(&n);
        m = count_ns(&nsl);
        printf("%d %d\n", n, m);
        free(list);
        free(nsl);
        WSACleanup();
        return n > 0 && m > 0 ? 0 : 1;
    }
    fprintf(stderr, "usage: hostile_catalog_probe corrupt | check N M | count\n");
    return 2;
}
