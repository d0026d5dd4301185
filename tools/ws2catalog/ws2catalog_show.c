/* ws2catalog_show.c - `ws2catalog show [--32] [--json] [--protocols|--namespaces]`: both catalogs the
 * way `netsh winsock show catalog` prints them: one "Winsock Catalog Provider Entry" block per
 * protocol entry (WSCEnumProtocols(32), WSCGetProviderPath(32)), then one "Winsock Namespace Provider
 * Entry" block per namespace provider (WSAEnumNameSpaceProvidersW, or WSCEnumNameSpaceProviders32
 * with --32); --json prints one array holding the protocol objects (with "catalogEntryId") and then
 * the namespace objects (with "nameSpace"), each tagged with "catalog".
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include <stdlib.h>
#include "ws2catalog.h"

static const char *entry_type(const WSAPROTOCOL_INFOW *p)
{
    if (p->ProtocolChain.ChainLen == LAYERED_PROTOCOL) return "Layered Service Provider";
    if (p->ProtocolChain.ChainLen == BASE_PROTOCOL) return "Base Service Provider";
    return "Layered Chain Entry";
}

static void show_protocol(const struct ws2c_api *api, const WSAPROTOCOL_INFOW *p, BOOL json, BOOL first)
{
    WCHAR wpath[MAX_PATH + 1];
    char name[WSAPROTOCOL_LEN * 4 + 4], path[MAX_PATH * 4 + 4], guid[40];
    int plen = MAX_PATH + 1, perr = 0, k;
    GUID id = p->ProviderId;

    ws2c_utf8(p->szProtocol, name, sizeof(name));
    ws2c_guid_str(&p->ProviderId, guid, sizeof(guid));
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

static void show_namespace(const WSANAMESPACE_INFOW *ns, BOOL json, BOOL first)
{
    char name[1024], guid[40];

    ws2c_utf8(ns->lpszIdentifier, name, sizeof(name));
    ws2c_guid_str(&ns->NSProviderId, guid, sizeof(guid));
    if (json)
    {
        printf("%s\n  {\"catalog\": \"namespace\", \"entryType\": \"Namespace Provider\", \"description\": ",
               first ? "" : ",");
        ws2c_json_string(name);
        printf(", \"providerId\": \"%s\", \"nameSpace\": %lu, \"active\": %d, \"version\": %lu}", guid,
               (unsigned long)ns->dwNameSpace, ns->fActive ? 1 : 0, (unsigned long)ns->dwVersion);
        return;
    }
    printf("\nWinsock Namespace Provider Entry\n------------------------------------------------------\n");
    printf("Description:                        %s\n", name);
    printf("Provider ID:                        %s\n", guid);
    printf("Name Space:                         %lu\n", (unsigned long)ns->dwNameSpace);
    printf("Active:                             %d\n", ns->fActive ? 1 : 0);
    printf("Version:                            %lu\n", (unsigned long)ns->dwVersion);
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
