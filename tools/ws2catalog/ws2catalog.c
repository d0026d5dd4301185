/* ws2catalog.c - openws2's protocol catalog tool.
 *   ws2catalog show [--32] [--json]   the catalog, one block per entry like `netsh winsock show
 *                                     catalog` (or a JSON array), read through ws2_32's
 *                                     WSCEnumProtocols(32) and WSCGetProviderPath(32)
 *   ws2catalog reset                  `netsh winsock reset`: the embedded default catalog written to
 *                                     Catalog_Entries64 and Catalog_Entries
 * reset does not go through exports: the documented WSC* functions cannot rebuild Windows' reset
 * catalog (they always assign fresh catalog ids, and an emptied view reads back as the embedded
 * default, so "deinstall everything, install the defaults" would fail with WSANO_RECOVERY). It links
 * the DLL's own catalog module (src/catalog.c: same format, same lock, Serial_Access_Num bumped so
 * running processes reload) instead.
 * Exit status: 0 success, 1 failure, 2 usage.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include <stdio.h>
#include <stdlib.h>
#include "catalog.h"
#include "ns_catalog.h"
#include "trace.h"

/* ws2_32's exports, resolved at run time: the i686 import library only has undecorated names. */
typedef int (WSPAPI *enum_fn)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);
typedef int (WSPAPI *path_fn)(LPGUID, WCHAR *, LPINT, LPINT);
static enum_fn p_enum;
static path_fn p_path;

static BOOL load_ws2(BOOL view32)
{
    HMODULE ws2 = LoadLibraryW(L"ws2_32.dll");
    if (!ws2) return FALSE;
    p_enum = (enum_fn)(void *)GetProcAddress(ws2, view32 ? "WSCEnumProtocols32" : "WSCEnumProtocols");
    p_path = (path_fn)(void *)GetProcAddress(ws2, view32 ? "WSCGetProviderPath32" : "WSCGetProviderPath");
    return p_enum && p_path;
}

static void utf8(const WCHAR *w, char *out, int size)
{
    if (!WideCharToMultiByte(CP_UTF8, 0, w, -1, out, size, NULL, NULL)) out[0] = 0;
}

static void guid_str(const GUID *g, char *buf, size_t size)
{
    snprintf(buf, size, "{%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", (unsigned long)g->Data1, g->Data2,
             g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6],
             g->Data4[7]);
}

static const char *entry_type(const WSAPROTOCOL_INFOW *p)
{
    if (p->ProtocolChain.ChainLen == LAYERED_PROTOCOL) return "Layered Service Provider";
    if (p->ProtocolChain.ChainLen == BASE_PROTOCOL) return "Base Service Provider";
    return "Layered Chain Entry";
}

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++)
    {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') printf("\\%c", c);
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

static int show(BOOL view32, BOOL json)
{
    WSAPROTOCOL_INFOW *list = NULL;
    DWORD len = 0;
    int count, err = 0, i, k;

    if (!load_ws2(view32))
    {
        fprintf(stderr, "ws2catalog: ws2_32.dll has no WSCEnumProtocols%s\n", view32 ? "32" : "");
        return 1;
    }
    count = p_enum(NULL, NULL, &len, &err);
    if (count == SOCKET_ERROR && err != WSAENOBUFS)
    {
        fprintf(stderr, "ws2catalog: WSCEnumProtocols failed: %d\n", err);
        return 1;
    }
    if (len && !(list = malloc(len))) return 1;
    count = p_enum(NULL, list, &len, &err);
    if (count == SOCKET_ERROR)
    {
        fprintf(stderr, "ws2catalog: WSCEnumProtocols failed: %d\n", err);
        free(list);
        return 1;
    }
    if (json) printf("[");
    for (i = 0; i < count; i++)
    {
        const WSAPROTOCOL_INFOW *p = &list[i];
        WCHAR wpath[MAX_PATH + 1];
        char name[WSAPROTOCOL_LEN * 4 + 4], path[MAX_PATH * 4 + 4], guid[40];
        int plen = MAX_PATH + 1, perr = 0;
        GUID id = p->ProviderId;

        utf8(p->szProtocol, name, sizeof(name));
        guid_str(&p->ProviderId, guid, sizeof(guid));
        if (p_path(&id, wpath, &plen, &perr) == 0)
            utf8(wpath, path, sizeof(path));
        else
            snprintf(path, sizeof(path), "(error %d)", perr);
        if (json)
        {
            printf("%s\n  {\"entryType\": ", i ? "," : "");
            json_string(entry_type(p));
            printf(", \"description\": ");
            json_string(name);
            printf(", \"providerId\": \"%s\", \"providerPath\": ", guid);
            json_string(path);
            printf(", \"catalogEntryId\": %lu, \"version\": %d, \"addressFamily\": %d, \"maxAddressLength\": %d, "
                   "\"minAddressLength\": %d, \"socketType\": %d, \"protocol\": %d, \"protocolMaxOffset\": %d, "
                   "\"serviceFlags\": %lu, \"providerFlags\": %lu, \"networkByteOrder\": %d, \"securityScheme\": %d, "
                   "\"messageSize\": %lu, \"protocolChain\": [",
                   (unsigned long)p->dwCatalogEntryId, p->iVersion, p->iAddressFamily, p->iMaxSockAddr, p->iMinSockAddr,
                   p->iSocketType, p->iProtocol, p->iProtocolMaxOffset, (unsigned long)p->dwServiceFlags1,
                   (unsigned long)p->dwProviderFlags, p->iNetworkByteOrder, p->iSecurityScheme,
                   (unsigned long)p->dwMessageSize);
            for (k = 0; p->ProtocolChain.ChainLen > BASE_PROTOCOL && k < p->ProtocolChain.ChainLen &&
                        k < MAX_PROTOCOL_CHAIN; k++)
                printf("%s%lu", k ? ", " : "", (unsigned long)p->ProtocolChain.ChainEntries[k]);
            printf("]}");
            continue;
        }
        printf("\nWinsock Catalog Provider Entry\n------------------------------------------------------\n");
        printf("Entry Type:                         %s\n", entry_type(p));
        printf("Description:                        %s\n", name);
        printf("Provider ID:                        %s\n", guid);
        printf("Provider Path:                      %s\n", path);
        printf("Catalog Entry ID:                   %lu\n", (unsigned long)p->dwCatalogEntryId);
        printf("Version:                            %d\n", p->iVersion);
        printf("Address Family:                     %d\n", p->iAddressFamily);
        printf("Max Address Length:                 %d\n", p->iMaxSockAddr);
        printf("Min Address Length:                 %d\n", p->iMinSockAddr);
        printf("Socket Type:                        %d\n", p->iSocketType);
        printf("Protocol:                           %d\n", p->iProtocol);
        printf("Service Flags:                      0x%lx\n", (unsigned long)p->dwServiceFlags1);
        printf("Provider Flags:                     0x%lx\n", (unsigned long)p->dwProviderFlags);
        printf("Protocol Chain Length:              %d\n", p->ProtocolChain.ChainLen);
        if (p->ProtocolChain.ChainLen > BASE_PROTOCOL)
        {
            printf("Protocol Chain:                     ");
            for (k = 0; k < p->ProtocolChain.ChainLen && k < MAX_PROTOCOL_CHAIN; k++)
                printf("%s%lu", k ? " -> " : "", (unsigned long)p->ProtocolChain.ChainEntries[k]);
            printf("\n");
        }
    }
    if (json) printf("%s]\n", count ? "\n" : "");
    free(list);
    return 0;
}

static int reset(void)
{
    static const enum catalog_view views[] = {CATALOG_VIEW_64, CATALOG_VIEW_32};
    size_t i;
    int err, status = 0;

    for (i = 0; i < OPENWS2_ARRAY_SIZE(views); i++)
    {
        struct catalog *cat = catalog_default(views[i]);
        if (!cat)
        {
            fprintf(stderr, "ws2catalog: out of memory\n");
            return 1;
        }
        if ((err = catalog_store(cat)))
        {
            fprintf(stderr, "ws2catalog: writing %s failed: error %d\n",
                    views[i] == CATALOG_VIEW_64 ? "Catalog_Entries64" : "Catalog_Entries", err);
            status = 1;
        }
        else
            printf("reset: %lu entries written to %s\n", (unsigned long)cat->count,
                   views[i] == CATALOG_VIEW_64 ? "Catalog_Entries64" : "Catalog_Entries");
        catalog_release(cat);
    }
    if ((err = ns_catalog_reset_default())) fprintf(stderr, "ws2catalog: writing NameSpace_Catalog5 failed: error %d\n", err), status = 1; /* nscatalog */
    return status;
}

static int usage(void)
{
    fprintf(stderr, "usage: ws2catalog show [--32] [--json]\n       ws2catalog reset\n");
    return 2;
}

int wmain(int argc, WCHAR **argv)
{
    BOOL json = FALSE, view32 = FALSE;
    int i;

    trace_init();
    if (argc < 2) return usage();
    if (!lstrcmpW(argv[1], L"reset"))
        return argc == 2 ? reset() : usage();
    if (lstrcmpW(argv[1], L"show")) return usage();
    for (i = 2; i < argc; i++)
    {
        if (!lstrcmpW(argv[i], L"--json")) json = TRUE;
        else if (!lstrcmpW(argv[i], L"--32")) view32 = TRUE;
        else return usage();
    }
    return show(view32, json);
}
