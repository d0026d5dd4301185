/* lsp_startup.c - the layer's WSPStartup/WSPCleanup and its next layers: for a chain entry, finds
 * the layer's own place in the chain (the first layered entry whose DLL is this module, else the
 * top), the next entry (WSCEnumProtocols), that provider's DLL (WPUGetProviderPath, environment
 * strings expanded), loads it and runs its WSPStartup with the same upcall table (once per provider
 * GUID); the last WSPCleanup cleans every next layer up and unloads it.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_internal.h"

#include <stdlib.h>

typedef int (WSPAPI *enum_protocols_fn)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);
typedef int (WSPAPI *complete_fn)(SOCKET, LPWSAOVERLAPPED, DWORD, DWORD, LPINT);

static complete_fn complete_request;

int lsp_complete_request(SOCKET s, LPWSAOVERLAPPED ov, DWORD error, DWORD bytes, LPINT lpErrno)
{
    if (!complete_request)
    {
        *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    return complete_request(s, ov, error, bytes, lpErrno);
}

WSPUPCALLTABLE lsp_upcalls;
BOOL lsp_trace_enabled;

static SRWLOCK lower_lock = SRWLOCK_INIT;
static struct lsp_lower *lowers;
static LONG startups;
static WORD lower_version = MAKEWORD(2, 2);

/* Next entries already resolved: chain entry id -> next entry. */
struct next_entry
{
    struct next_entry *next;
    DWORD chain_id;
    WSAPROTOCOL_INFOW lower_info;
    struct lsp_lower *low;
};
static struct next_entry *nexts;

static WSAPROTOCOL_INFOW *catalog_read(int *count)
{
    HMODULE ws2 = GetModuleHandleW(L"ws2_32.dll");
    enum_protocols_fn enum_protocols = ws2 ? (enum_protocols_fn)(void *)GetProcAddress(ws2, "WSCEnumProtocols") : NULL;
    WSAPROTOCOL_INFOW *list;
    DWORD len = 0;
    int err = 0, n;

    *count = 0;
    if (!enum_protocols) return NULL;
    enum_protocols(NULL, NULL, &len, &err);
    if (!len || len > 16 * 1024 * 1024 || !(list = malloc(len))) return NULL;
    n = enum_protocols(NULL, list, &len, &err);
    if (n <= 0)
    {
        free(list);
        return NULL;
    }
    *count = n;
    return list;
}

static const WSAPROTOCOL_INFOW *find_id(const WSAPROTOCOL_INFOW *list, int n, DWORD id)
{
    int i;
    for (i = 0; i < n; i++)
        if (list[i].dwCatalogEntryId == id) return &list[i];
    return NULL;
}

/* The provider's DLL path, expanded. */
static BOOL provider_path(const GUID *id, WCHAR *out, DWORD size)
{
    WCHAR raw[MAX_PATH];
    int len = MAX_PATH, err = 0;
    GUID g = *id;
    DWORD n;

    if (!lsp_upcalls.lpWPUGetProviderPath || lsp_upcalls.lpWPUGetProviderPath(&g, raw, &len, &err)) return FALSE;
    raw[MAX_PATH - 1] = 0;
    n = ExpandEnvironmentStringsW(raw, out, size);
    return n && n <= size;
}

static BOOL is_this_module(const GUID *id)
{
    WCHAR mine[MAX_PATH], path[MAX_PATH];
    HMODULE self = NULL;
    DWORD n;

    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)is_this_module, &self))
        return FALSE;
    n = GetModuleFileNameW(self, mine, MAX_PATH);
    if (!n || n >= MAX_PATH || !provider_path(id, path, MAX_PATH)) return FALSE;
    return CompareStringOrdinal(mine, -1, path, -1, TRUE) == CSTR_EQUAL;
}

static int load_lower(const WSAPROTOCOL_INFOW *lower_info, struct lsp_lower **out)
{
    struct lsp_lower *low;
    WCHAR path[MAX_PATH];
    LPWSPSTARTUP startup;
    WSAPROTOCOL_INFOW info = *lower_info;
    int r;

    for (low = lowers; low; low = low->next)
        if (!memcmp(&low->id, &lower_info->ProviderId, sizeof(GUID)))
        {
            *out = low;
            return 0;
        }
    if (!provider_path(&lower_info->ProviderId, path, MAX_PATH)) return WSAEPROVIDERFAILEDINIT;
    if (!(low = calloc(1, sizeof(*low)))) return WSAENOBUFS;
    low->id = lower_info->ProviderId;
    if (!(low->module = LoadLibraryW(path)) ||
        !(startup = (LPWSPSTARTUP)(void *)GetProcAddress(low->module, "WSPStartup")))
    {
        lsp_trace("next layer %ls: not loadable", path);
        if (low->module) FreeLibrary(low->module);
        free(low);
        return WSAEPROVIDERFAILEDINIT;
    }
    r = startup(lower_version, &low->data, &info, lsp_upcalls, &low->procs);
    lsp_trace("next layer WSPStartup(catalog %lu, %ls) -> %d", (unsigned long)lower_info->dwCatalogEntryId, path, r);
    if (r || !low->procs.lpWSPSocket || !low->procs.lpWSPCloseSocket || !low->procs.lpWSPCleanup ||
        !low->procs.lpWSPSend || !low->procs.lpWSPRecv || !low->procs.lpWSPIoctl || !low->procs.lpWSPSelect ||
        !low->procs.lpWSPGetOverlappedResult)
    {
        if (!r)
        {
            int e = 0;
            low->procs.lpWSPCleanup(&e);
        }
        FreeLibrary(low->module);
        free(low);
        return WSAEPROVIDERFAILEDINIT;
    }
    low->next = lowers;
    lowers = low;
    *out = low;
    return 0;
}

int lsp_next_layer(const WSAPROTOCOL_INFOW *info, struct lsp_lower **low, WSAPROTOCOL_INFOW *lower_info)
{
    const WSAPROTOCOL_INFOW *list, *next = NULL;
    struct next_entry *ne;
    int n = 0, i, err = 0, len;

    if (!info) return WSAEINVAL;
    len = info->ProtocolChain.ChainLen;
    if (len < 2 || len > MAX_PROTOCOL_CHAIN) return WSAEPROVIDERFAILEDINIT;
    AcquireSRWLockShared(&lower_lock);
    for (ne = nexts; ne; ne = ne->next)
        if (ne->chain_id == info->dwCatalogEntryId) break;
    if (ne)
    {
        *low = ne->low;
        *lower_info = ne->lower_info;
    }
    ReleaseSRWLockShared(&lower_lock);
    if (ne) return 0;

    AcquireSRWLockExclusive(&lower_lock);
    if (!(list = catalog_read(&n))) err = WSAEPROVIDERFAILEDINIT;
    else
    {
        /* Our place: the first layer of the chain that is this DLL (the top when none is). */
        int at = 0;
        for (i = 0; i < len - 1; i++)
        {
            const WSAPROTOCOL_INFOW *e = find_id(list, n, info->ProtocolChain.ChainEntries[i]);
            if (e && is_this_module(&e->ProviderId))
            {
                at = i;
                break;
            }
        }
        next = find_id(list, n, info->ProtocolChain.ChainEntries[at + 1]);
        if (!next) err = WSAEPROVIDERFAILEDINIT;
        else if (next->ProtocolChain.ChainLen == LAYERED_PROTOCOL || len - at - 1 > 1)
        {
            /* The next layer is itself layered: it gets the rest of the chain, as its own entry. */
            WSAPROTOCOL_INFOW rest = *info;
            int k;
            rest.ProviderId = next->ProviderId;
            rest.ProtocolChain.ChainLen = len - at - 1;
            for (k = 0; k < rest.ProtocolChain.ChainLen; k++)
                rest.ProtocolChain.ChainEntries[k] = info->ProtocolChain.ChainEntries[at + 1 + k];
            if (rest.ProtocolChain.ChainLen == 1)
                rest = *find_id(list, n, info->ProtocolChain.ChainEntries[at + 1]);
            if (!(ne = calloc(1, sizeof(*ne)))) err = WSAENOBUFS;
            else ne->lower_info = rest;
        }
        else if (!(ne = calloc(1, sizeof(*ne)))) err = WSAENOBUFS;
        else ne->lower_info = *next;
        if (!err && (err = load_lower(&ne->lower_info, &ne->low)))
        {
            free(ne);
            ne = NULL;
        }
        if (!err)
        {
            ne->chain_id = info->dwCatalogEntryId;
            ne->next = nexts;
            nexts = ne;
            *low = ne->low;
            *lower_info = ne->lower_info;
        }
        free((void *)list);
    }
    ReleaseSRWLockExclusive(&lower_lock);
    return err;
}

static void unload_lowers(void)
{
    struct lsp_lower *low, *next;
    struct next_entry *ne, *nn;

    AcquireSRWLockExclusive(&lower_lock);
    for (low = lowers; low; low = next)
    {
        int e = 0, r;
        next = low->next;
        r = low->procs.lpWSPCleanup(&e);
        lsp_trace("next layer WSPCleanup -> %d err=%d", r, r ? e : 0);
        FreeLibrary(low->module);
        free(low);
    }
    lowers = NULL;
    for (ne = nexts; ne; ne = nn)
    {
        nn = ne->next;
        free(ne);
    }
    nexts = NULL;
    ReleaseSRWLockExclusive(&lower_lock);
}

static int WSPAPI lsp_cleanup(LPINT lpErrno)
{
    LONG left = InterlockedDecrement(&startups);

    if (left < 0)
    {
        InterlockedIncrement(&startups);
        return lsp_fail(lpErrno, WSANOTINITIALISED);
    }
    lsp_trace("WSPCleanup() -> 0 (%ld startups left)", (long)left);
    if (!left)
    {
        lsp_sock_close_all();
        lsp_io_drain();
        lsp_ifs_watch_drain();
        unload_lowers();
        if (lsp_hooks.cleanup) lsp_hooks.cleanup();
    }
    return 0;
}

static INT WSPAPI lsp_address_to_string(LPSOCKADDR addr, DWORD len, LPWSAPROTOCOL_INFOW info, LPWSTR out,
                                        LPDWORD out_len, LPINT lpErrno)
{
    WSAPROTOCOL_INFOW lower_info;
    struct lsp_lower *low;
    int err = info ? lsp_next_layer(info, &low, &lower_info) : WSAEINVAL;

    if (err) return lsp_fail(lpErrno, err);
    return low->procs.lpWSPAddressToString(addr, len, &lower_info, out, out_len, lpErrno);
}

static INT WSPAPI lsp_string_to_address(LPWSTR str, INT af, LPWSAPROTOCOL_INFOW info, LPSOCKADDR addr, LPINT len,
                                        LPINT lpErrno)
{
    WSAPROTOCOL_INFOW lower_info;
    struct lsp_lower *low;
    int err = info ? lsp_next_layer(info, &low, &lower_info) : WSAEINVAL;

    if (err) return lsp_fail(lpErrno, err);
    return low->procs.lpWSPStringToAddress(str, af, &lower_info, addr, len, lpErrno);
}

static int WSPAPI lsp_cancel_blocking_call(LPINT lpErrno)
{
    (void)lpErrno;
    return 0; /* Winsock 2 has no blocking hooks to cancel */
}

int lsp_layer_startup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE upcalls,
                      LPWSPPROC_TABLE procs)
{
    struct lsp_lower *low;
    WSAPROTOCOL_INFOW lower_info;
    WSPPROC_TABLE t;
    int err;

    if (!data || !info || !procs) return WSAEFAULT;
    if (LOBYTE(version) < 2) return WSAVERNOTSUPPORTED;
    if (info->ProtocolChain.ChainLen < 2) return WSAEPROVIDERFAILEDINIT; /* only chain entries name us */
    if (InterlockedIncrement(&startups) == 1)
    {
        HMODULE ws2 = GetModuleHandleW(L"ws2_32.dll");
        lsp_upcalls = upcalls;
        complete_request = ws2 ? (complete_fn)(void *)GetProcAddress(ws2, "WPUCompleteOverlappedRequest") : NULL;
        if (lsp_hooks.startup) lsp_hooks.startup();
    }
    if ((err = lsp_next_layer(info, &low, &lower_info)))
    {
        int e = 0;
        lsp_cleanup(&e);
        return err;
    }
    memset(&t, 0, sizeof(t));
    lsp_calls_fill(&t);
    lsp_sockets_fill(&t);
    lsp_io_fill(&t);
    lsp_select_fill(&t);
    t.lpWSPCleanup = lsp_cleanup;
    t.lpWSPAddressToString = lsp_address_to_string;
    t.lpWSPStringToAddress = lsp_string_to_address;
    t.lpWSPCancelBlockingCall = lsp_cancel_blocking_call;
    *procs = t;
    memset(data, 0, sizeof(*data));
    /* WSPStartup: wHighVersion is the highest version supported, wVersion the lesser of it and the
     * request (2.0 and 2.1 are answered as asked, anything above 2.2 as 2.2). */
    data->wHighVersion = MAKEWORD(2, 2);
    data->wVersion = HIBYTE(version) >= 2 || LOBYTE(version) > 2 ? MAKEWORD(2, 2) : version;
    MultiByteToWideChar(CP_ACP, 0, lsp_hooks.name ? lsp_hooks.name : "openws2 LSP", -1, data->szDescription,
                        WSADESCRIPTION_LEN);
    lsp_trace("WSPStartup(version %#x catalog %lu) -> 0 (next layer catalog %lu)", version,
              (unsigned long)info->dwCatalogEntryId, (unsigned long)lower_info.dwCatalogEntryId);
    return 0;
}
