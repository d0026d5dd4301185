/* ws2catalog_show.c - `ws2catalog show [--32] [--json] [--protocols|--namespaces]`: both catalogs in
 * the text `netsh winsock show catalog` prints: one "Winsock Catalog Provider Entry" block per
 * protocol entry (WSCEnumProtocols(32), WSCGetProviderPath(32)), then one "Winsock Namespace Provider
 * Entry" block per namespace provider (WSAEnumNameSpaceProvidersW, or WSCEnumNameSpaceProviders32
 * with --32); --json prints one array holding the protocol objects (with "catalogEntryId") and then
 * the namespace objects (with "nameSpace"), each tagged with "catalog".
 *
 * The text format follows real `netsh winsock show catalog` output pasted in public bug reports:
 * python-trio/trio#52 and #1659, moby/moby#27423, microsoft/WSL#9413 and #40110 (Windows 10/11).
 * Each block: an empty line, the header, 54 dashes, then "Label:" padded with spaces to column 36
 * and the value: Entry Type, Description, Provider ID (upper-case GUID in braces), Provider Path (as
 * stored, unexpanded), Catalog Entry ID, Version, Address Family, Max Address Length, Min Address
 * Length, Socket Type, Protocol (decimal), Service Flags (0x + hex of dwServiceFlags1), Protocol
 * Chain Length. A layered chain entry (length > 1) adds an unpadded "Protocol Chain: 1031 : 1006"
 * line (moby#27423, WSL#9413). Entry types: "Base Service Provider", "Layered Service Provider"
 * (length 0), "Layered Chain Entry"; entries of the 32-bit catalog on 64-bit Windows carry " (32)"
 * ("Base Service Provider (32)", WSL#40110), as --32 does here. Windows prints no provider flags.
 * Namespace blocks: Description, Provider ID, Name Space, Active (0/1), Version. Not like netsh:
 * netsh on 64-bit Windows lists the 64-bit and then the 32-bit catalog in one run; this tool shows
 * one view per run (--32 for the other).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include <stdlib.h>
#include "ws2catalog.h"

#define DASHES "------------------------------------------------------"

static const char *entry_type(const WSAPROTOCOL_INFOW *p)
{
    if (p->ProtocolChain.ChainLen == LAYERED_PROTOCOL) return "Layered Service Provider";
    if (p->ProtocolChain.ChainLen == BASE_PROTOCOL) return "Base Service Provider";
    return "Layered Chain Entry";
}

static void show_protocol(const struct ws2c_api *api, const WSAPROTOCOL_INFOW *p, BOOL json, BOOL first)
{
    WCHAR wpath[MAX_PATH + 1];
    char name[WSAPROTOCOL_LEN * 4 + 4], path[MAX_PATH * 4 + 4], guid[GUID_TEXT_SIZE];
    int plen = MAX_PATH + 1, perr = 0, k;
    GUID id = p->ProviderId;

    ws2c_utf8(p->szProtocol, name, sizeof(name));
    guid_text_upper(&p->ProviderId, guid);
    if (api->provider_path(&id, wpath, &plen, &perr) == 0)
        ws2c_utf8(wpath, path, sizeof(path));
    else
        snprintf(path, sizeof(path), "(error %d)", perr);
    if (json)
    {
        printf("%s\n  {\"catalog\": \"protocol\", \"entryType\": ", first ? "" : ",");
        ws2c_json_string(entry_type(p));
        printf(", \"description\": ");
        ws2c_json_string(name);
        printf(", \"providerId\": \"%s\", \"providerPath\": ", guid);
        ws2c_json_string(path);
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
        return;
    }
    printf("\nWinsock Catalog Provider Entry\n%s\n", DASHES);
    printf("%-36s%s%s\n", "Entry Type:", entry_type(p), api->view32 && sizeof(void *) == 8 ? " (32)" : "");
    printf("%-36s%s\n", "Description:", name);
    printf("%-36s%s\n", "Provider ID:", guid);
    printf("%-36s%s\n", "Provider Path:", path);
    printf("%-36s%lu\n", "Catalog Entry ID:", (unsigned long)p->dwCatalogEntryId);
    printf("%-36s%d\n", "Version:", p->iVersion);
    printf("%-36s%d\n", "Address Family:", p->iAddressFamily);
    printf("%-36s%d\n", "Max Address Length:", p->iMaxSockAddr);
    printf("%-36s%d\n", "Min Address Length:", p->iMinSockAddr);
    printf("%-36s%d\n", "Socket Type:", p->iSocketType);
    printf("%-36s%d\n", "Protocol:", p->iProtocol);
    printf("%-36s0x%lx\n", "Service Flags:", (unsigned long)p->dwServiceFlags1);
    printf("%-36s%d\n", "Protocol Chain Length:", p->ProtocolChain.ChainLen);
    if (p->ProtocolChain.ChainLen > BASE_PROTOCOL)
    {
        printf("Protocol Chain: ");
        for (k = 0; k < p->ProtocolChain.ChainLen && k < MAX_PROTOCOL_CHAIN; k++)
            printf("%s%lu", k ? " : " : "", (unsigned long)p->ProtocolChain.ChainEntries[k]);
        printf("\n");
    }
}

static void show_namespace(const WSANAMESPACE_INFOW *ns, BOOL json, BOOL first)
{
    char name[1024], guid[GUID_TEXT_SIZE];

    ws2c_utf8(ns->lpszIdentifier, name, sizeof(name));
    guid_text_upper(&ns->NSProviderId, guid);
    if (json)
    {
        printf("%s\n  {\"catalog\": \"namespace\", \"entryType\": \"Namespace Provider\", \"description\": ",
               first ? "" : ",");
        ws2c_json_string(name);
        printf(", \"providerId\": \"%s\", \"nameSpace\": %lu, \"active\": %d, \"version\": %lu}", guid,
               (unsigned long)ns->dwNameSpace, ns->fActive ? 1 : 0, (unsigned long)ns->dwVersion);
        return;
    }
    printf("\nWinsock Namespace Provider Entry\n%s\n", DASHES);
    printf("%-36s%s\n", "Description:", name);
    printf("%-36s%s\n", "Provider ID:", guid);
    printf("%-36s%lu\n", "Name Space:", (unsigned long)ns->dwNameSpace);
    printf("%-36s%d\n", "Active:", ns->fActive ? 1 : 0);
    printf("%-36s%lu\n", "Version:", (unsigned long)ns->dwVersion);
}

int ws2c_show(int argc, WCHAR **argv)
{
    struct ws2c_api api;
    BOOL json = FALSE, view32 = FALSE, protocols = TRUE, namespaces = TRUE, first = TRUE;
    WSAPROTOCOL_INFOW *list = NULL;
    WSANAMESPACE_INFOW *ns = NULL;
    WSADATA wsa;
    int i, count = 0, ns_count = 0, status = TOOL_OK;

    for (i = 0; i < argc; i++)
    {
        if (!lstrcmpW(argv[i], L"--json")) json = TRUE;
        else if (!lstrcmpW(argv[i], L"--32")) view32 = TRUE;
        else if (!lstrcmpW(argv[i], L"--protocols")) namespaces = FALSE;
        else if (!lstrcmpW(argv[i], L"--namespaces")) protocols = FALSE;
        else return ws2c_usage();
    }
    if (!protocols && !namespaces) return ws2c_usage();
    if (!ws2c_load(view32, &api)) return TOOL_FAIL;
    if (protocols && !(list = ws2c_enum(&api, &count))) return TOOL_FAIL;
    if (namespaces)
    {
        int err = api.startup(MAKEWORD(2, 2), &wsa);
        if (err)
        {
            fprintf(stderr, "ws2catalog: WSAStartup failed: error %d\n", err);
            free(list);
            return TOOL_FAIL;
        }
        ns = ws2c_ns_enum(&api, &ns_count);
        api.cleanup();
        if (!ns) status = TOOL_FAIL;
    }
    if (json) printf("[");
    for (i = 0; i < count; i++, first = FALSE) show_protocol(&api, &list[i], json, first);
    for (i = 0; i < ns_count; i++, first = FALSE) show_namespace(&ns[i], json, first);
    if (json) printf("%s]\n", first ? "" : "\n");
    free(list);
    free(ns);
    return status;
}
