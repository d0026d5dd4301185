/* conform_target.c - which provider ws2conform tests: a catalog entry (its protocol info and DLL,
 * read through ws2_32's WSCEnumProtocols and WSCGetProviderPath; a layered provider's hidden entry
 * stands for one of the protocol chains that name it first) or a DLL path (the catalog entry it
 * serves if there is one: a base entry, or a layered provider's hidden entry and its chain; else a
 * synthesized AF_INET stream entry), and loading that DLL.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conform.h"
#include <stdlib.h>

typedef int (WSPAPI *enum_fn)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);
typedef int (WSPAPI *path_fn)(LPGUID, WCHAR *, LPINT, LPINT);

/* ws2conform's own id for a synthesized entry: {6F70656E-7773-3263-6F6E-666F726D0001}. */
static const GUID synth_id = {0x6f70656e, 0x7773, 0x3263, {0x6f, 0x6e, 0x66, 0x6f, 0x72, 0x6d, 0x00, 0x01}};

static WSAPROTOCOL_INFOW *catalog(int *count)
{
    HMODULE ws2 = GetModuleHandleW(L"ws2_32.dll");
    enum_fn p_enum = ws2 ? (enum_fn)(void *)GetProcAddress(ws2, "WSCEnumProtocols") : NULL;
    WSAPROTOCOL_INFOW *list = NULL;
    DWORD len = 0;
    int err = 0, n;

    *count = 0;
    if (!p_enum) return NULL;
    if (p_enum(NULL, NULL, &len, &err) != SOCKET_ERROR || err != WSAENOBUFS || !len) return NULL;
    if (!(list = malloc(len))) return NULL;
    if ((n = p_enum(NULL, list, &len, &err)) == SOCKET_ERROR)
    {
        free(list);
        return NULL;
    }
    *count = n;
    return list;
}

static BOOL entry_path(WSAPROTOCOL_INFOW *info, WCHAR *out)
{
    HMODULE ws2 = GetModuleHandleW(L"ws2_32.dll");
    path_fn p_path = ws2 ? (path_fn)(void *)GetProcAddress(ws2, "WSCGetProviderPath") : NULL;
    WCHAR raw[MAX_PATH + 1];
    int len = MAX_PATH + 1, err = 0;

    if (!p_path || p_path(&info->ProviderId, raw, &len, &err)) return FALSE;
    return ExpandEnvironmentStringsW(raw, out, MAX_PATH + 1) > 0;
}

/* The protocol chain to test a layered provider through: among the chains whose ChainEntries[0] is
 * hidden, the first TCP/IPv4 one, else the first stream one, else the first. */
BOOL conf_chain_of(DWORD hidden, WSAPROTOCOL_INFOW *out)
{
    WSAPROTOCOL_INFOW *list;
    int i, n, best = -1, rank = 0;

    if (!(list = catalog(&n))) return FALSE;
    for (i = 0; i < n; i++)
    {
        const WSAPROTOCOL_INFOW *e = &list[i];
        int r;
        if (e->ProtocolChain.ChainLen < 2 || e->ProtocolChain.ChainLen > MAX_PROTOCOL_CHAIN ||
            e->ProtocolChain.ChainEntries[0] != hidden)
            continue;
        r = e->iAddressFamily == AF_INET && e->iSocketType == SOCK_STREAM ? 3 : e->iSocketType == SOCK_STREAM ? 2 : 1;
        if (r > rank)
        {
            rank = r;
            best = i;
        }
    }
    if (best >= 0) *out = list[best];
    free(list);
    return best >= 0;
}

BOOL conf_target_from_entry(DWORD id, struct conf_target *t)
{
    WSAPROTOCOL_INFOW *list;
    int i, n;
    BOOL found = FALSE;

    memset(t, 0, sizeof(*t));
    if (!(list = catalog(&n)))
    {
        fprintf(stderr, "ws2conform: cannot read the protocol catalog\n");
        return FALSE;
    }
    for (i = 0; i < n; i++)
        if (list[i].dwCatalogEntryId == id)
        {
            t->info = list[i];
            found = TRUE;
        }
    free(list);
    if (!found)
    {
        fprintf(stderr, "ws2conform: no catalog entry %lu\n", (unsigned long)id);
        return FALSE;
    }
    if (t->info.ProtocolChain.ChainLen == LAYERED_PROTOCOL)
    {
        /* A layered provider's hidden entry: its DLL is tested through one of the protocol chains
         * that name it first (ChainEntries[0]); the chain tells the layer which layer is below. */
        DWORD hidden = id;
        if (!conf_chain_of(hidden, &t->info))
        {
            fprintf(stderr, "ws2conform: %lu is a layered provider's hidden entry, and no protocol chain names it "
                            "first (ChainEntries[0]): install its chains\n", (unsigned long)hidden);
            return FALSE;
        }
        t->hidden = hidden;
        id = t->info.dwCatalogEntryId;
    }
    if (!entry_path(&t->info, t->path))
    {
        fprintf(stderr, "ws2conform: no provider path for entry %lu\n", (unsigned long)id);
        return FALSE;
    }
    t->from_catalog = TRUE;
    t->ifs = (t->info.dwServiceFlags1 & XP1_IFS_HANDLES) ? 1 : 0;
    return TRUE;
}

static const WCHAR *file_part(const WCHAR *p)
{
    const WCHAR *s = p;
    for (; *p; p++)
        if (*p == '\\' || *p == '/') s = p + 1;
    return s;
}

BOOL conf_target_from_dll(const WCHAR *path, int ifs, struct conf_target *t)
{
    WSAPROTOCOL_INFOW *list;
    int i, n;

    memset(t, 0, sizeof(*t));
    if (!ExpandEnvironmentStringsW(path, t->path, MAX_PATH + 1))
    {
        fprintf(stderr, "ws2conform: bad DLL path\n");
        return FALSE;
    }
    if ((list = catalog(&n)))
    {
        for (i = 0; i < n && !t->from_catalog; i++)
        {
            WCHAR p[MAX_PATH + 1];
            if (list[i].ProtocolChain.ChainLen != BASE_PROTOCOL || list[i].iAddressFamily != AF_INET ||
                list[i].iSocketType != SOCK_STREAM || !entry_path(&list[i], p))
                continue;
            if (!lstrcmpiW(p, t->path) || !lstrcmpiW(file_part(p), file_part(t->path)))
            {
                t->info = list[i];
                t->from_catalog = TRUE;
            }
        }
        /* A layered provider's DLL: its hidden entry (ChainLen 0) names the DLL, one of its chains
         * is the protocol info (the layer finds its lower layer in it). */
        for (i = 0; i < n && !t->from_catalog; i++)
        {
            WCHAR p[MAX_PATH + 1];
            if (list[i].ProtocolChain.ChainLen != LAYERED_PROTOCOL || !entry_path(&list[i], p) ||
                (lstrcmpiW(p, t->path) && lstrcmpiW(file_part(p), file_part(t->path))))
                continue;
            if (conf_chain_of(list[i].dwCatalogEntryId, &t->info))
            {
                t->hidden = list[i].dwCatalogEntryId;
                t->from_catalog = TRUE;
            }
        }
        free(list);
    }
    if (!t->from_catalog)
    {
        static const WCHAR name[] = L"ws2conform synthesized TCP/IP entry";
        WSAPROTOCOL_INFOW *p = &t->info;
        p->dwServiceFlags1 = XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE |
                             XP1_EXPEDITED_DATA | (ifs == 1 ? XP1_IFS_HANDLES : 0);
        p->ProviderId = synth_id;
        p->dwCatalogEntryId = 0;
        p->ProtocolChain.ChainLen = BASE_PROTOCOL;
        p->iVersion = 2;
        p->iAddressFamily = AF_INET;
        p->iMaxSockAddr = p->iMinSockAddr = sizeof(struct sockaddr_in);
        p->iSocketType = SOCK_STREAM;
        p->iProtocol = IPPROTO_TCP;
        p->iNetworkByteOrder = BIGENDIAN;
        memcpy(p->szProtocol, name, sizeof(name));
    }
    t->ifs = ifs >= 0 ? ifs : (t->from_catalog ? ((t->info.dwServiceFlags1 & XP1_IFS_HANDLES) ? 1 : 0) : -1);
    return TRUE;
}

BOOL conf_target_load(struct conf_target *t)
{
    char p[MAX_PATH * 3];

    WideCharToMultiByte(CP_UTF8, 0, t->path, -1, p, sizeof(p), NULL, NULL);
    conf_upcalls_init(t->path, &t->info.ProviderId);
    t->module = LoadLibraryW(t->path);
    if (!conf_expect(t->module != NULL, "load", "LoadLibrary(%s) -> %s (error %lu)", p, t->module ? "ok" : "failed",
                     t->module ? 0ul : (unsigned long)GetLastError()))
        return FALSE;
    t->startup = (LPWSPSTARTUP)(void *)GetProcAddress(t->module, "WSPStartup");
    return conf_expect(t->startup != NULL, "load", "the DLL exports WSPStartup");
}
