/* wsc_provider.c - the WSC* transport provider functions: WSCEnumProtocols(32),
 * WSCGetProviderPath(32), WSCInstallProvider, WSCInstallProvider64_32, WSCInstallProviderAndChains,
 * WSCInstallProviderAndChains64_32, WSCDeinstallProvider(32), WSCUpdateProvider(32),
 * WSCWriteProviderOrder(32). Argument checks and the lpErrno protocol here; each change is a
 * read-modify-write of a whole registry view (catalog_load, catalog_edit_*, catalog_store) under the
 * cross-process catalog lock. The native view is Catalog_Entries64 in the x86_64 DLL and
 * Catalog_Entries in the i686 one; the *32 functions use Catalog_Entries, the *64_32 ones both.
 * WSCInstallProviderAndChains gives each chain entry a random GUID of its own, the same in both
 * views (docs/CATALOG.md: what Windows writes and why installers depend on it).
 * Caller memory is probed (include/user_ptr.h) before it is used: a bad pointer is WSAEFAULT (through
 * *lpErrno, or WSASetLastError when lpErrno itself is bad), never a crash.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
/* MinGW-w64 declares WSCInstallProviderAndChains(64_32) with the A/W-neutral LPWSAPROTOCOL_INFO (the
 * ANSI one here); Windows' prototypes take LPWSAPROTOCOL_INFOW: keep its declarations out of the way. */
#define WSCInstallProviderAndChains openws2_mingw_WSCInstallProviderAndChains
#define WSCInstallProviderAndChains64_32 openws2_mingw_WSCInstallProviderAndChains64_32
#include "ws2_common.h"
#undef WSCInstallProviderAndChains
#undef WSCInstallProviderAndChains64_32
#include <stdio.h>
#include <stdlib.h>
#include "os.h"
#include "catalog.h"
#include "catalog_edit.h"
#include "trace.h"
#include "user_ptr.h"
#include "wsc_internal.h"

/* advapi32's SystemFunction036 (RtlGenRandom). */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
#undef RtlGenRandom
#define RtlGenRandom SystemFunction036

int WSPAPI WSCInstallProviderAndChains(LPGUID lpProviderId, const LPWSTR lpszProviderDllPath,
                                       const LPWSTR lpszLspName, DWORD dwServiceFlags,
                                       LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries,
                                       LPDWORD lpdwCatalogEntryId, LPINT lpErrno);
#ifndef _WIN64
int WSPAPI WSCEnumProtocols32(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer, LPDWORD lpdwBufferLength, LPINT lpErrno);
int WSPAPI WSCDeinstallProvider32(LPGUID lpProviderId, LPINT lpErrno);
int WSPAPI WSCInstallProvider64_32(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath, const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries, LPINT lpErrno);
int WSPAPI WSCGetProviderPath32(LPGUID lpProviderId, WCHAR *lpszProviderDllPath, LPINT lpProviderDllPathLen, LPINT lpErrno);
int WSPAPI WSCUpdateProvider32(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath, const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries, LPINT lpErrno);
#endif
int WSPAPI WSCInstallProviderAndChains64_32(LPGUID lpProviderId, const LPWSTR lpszProviderDllPath,
                                            const LPWSTR lpszProviderDllPath32, const LPWSTR lpszLspName,
                                            DWORD dwServiceFlags, LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                                            DWORD dwNumberOfEntries, LPDWORD lpdwCatalogEntryId, LPINT lpErrno);
int WSPAPI WSCWriteProviderOrder(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries);
int WSPAPI WSCWriteProviderOrder32(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries);

BOOL wsc_errno_ok(LPINT lpErrno)
{
    return lpErrno && user_writable(lpErrno, sizeof(*lpErrno));
}

int wsc_result(int err, LPINT lpErrno)
{
    if (!err) return 0;
    if (wsc_errno_ok(lpErrno)) *lpErrno = err;
    else WSASetLastError(WSAEFAULT);
    return SOCKET_ERROR;
}

/* A provider DLL path as stored: WSAEFAULT (NULL), WSAEINVAL (empty, MAX_PATH or more once ANSI). */
static int wsc_path_to_ansi(const WCHAR *path, char out[CATALOG_PATH_SIZE])
{
    size_t len = 0;
    int n;

    if (!path || !user_wstr_readable(path)) return WSAEFAULT;
    while (len < CATALOG_PATH_SIZE && path[len]) len++;
    if (!len || len >= CATALOG_PATH_SIZE) return WSAEINVAL;
    memset(out, 0, CATALOG_PATH_SIZE);
    n = WideCharToMultiByte(CP_ACP, 0, path, (int)len + 1, out, CATALOG_PATH_SIZE, NULL, NULL);
    if (n <= 0) return WSAEINVAL; /* longer than MAX_PATH once converted */
    return 0;
}

/* Edits one or two views as one change under the catalog lock: each view is loaded, passed to fn
 * (index = its position in views) and, once every fn succeeded, stored. All views start allocating
 * at the same catalog id (the highest next id of any of them), so one install gives the same ids in
 * both views (docs/CATALOG.md). Returns 0 or a WSA error. */
typedef int (*wsc_edit_fn)(const struct catalog *cat, size_t index, void *ctx, struct catalog **out);
static int wsc_edit_views(const enum catalog_view *views, size_t nviews, wsc_edit_fn fn, void *ctx)
{
    struct catalog *cats[2] = {NULL, NULL}, *edited[2] = {NULL, NULL};
    size_t i;
    int err = 0;

    if (nviews > 2) return WSAEINVAL;
    os_catalog_lock();
    /* Every view is edited before anything is written: a failure changes nothing. One id space
     * (Next_Catalog_Entry_ID is one value for both views): every view edited by the same call starts
     * at the same, highest next id, so the same install gives the same ids in both views. */
    for (i = 0; i < nviews && !err; i++)
        err = catalog_load(views[i], &cats[i]);
    for (i = 1; i < nviews && !err; i++)
    {
        if (cats[i]->next_id > cats[0]->next_id) cats[0]->next_id = cats[i]->next_id;
    }
    for (i = 1; i < nviews && !err; i++)
        cats[i]->next_id = cats[0]->next_id;
    for (i = 0; i < nviews && !err; i++)
        err = fn(cats[i], i, ctx, &edited[i]);
    for (i = 0; i < nviews && !err; i++)
        err = catalog_store(edited[i]);
    os_catalog_unlock();
    for (i = 0; i < nviews; i++)
    {
        catalog_release(cats[i]);
        catalog_release(edited[i]);
    }
    return err;
}

/* ---- WSCEnumProtocols ---- */
static int enum_view(enum catalog_view view, const INT *protocols, WSAPROTOCOL_INFOW *buffer, DWORD *len, int *count)
{
    struct catalog *cat;
    size_t i, n = 0, needed;
    int err;

    *count = 0;
    if (!len || !user_writable(len, sizeof(*len))) return WSAEFAULT;
    if (protocols)
    {
        const INT *p = protocols; /* the 0-terminated list, element by element */
        for (;; p++)
        {
            if (!user_readable(p, sizeof(*p))) return WSAEFAULT;
            if (!*p) break;
        }
    }
    if ((err = catalog_load(view, &cat))) return err;
    for (i = 0; i < cat->count; i++)
        if (catalog_enum_match(&cat->entries[i].info, protocols, FALSE)) n++;
    needed = n * sizeof(WSAPROTOCOL_INFOW);
    if (needed > *len)
    {
        *len = (DWORD)needed;
        err = WSAENOBUFS;
    }
    else if (n && (!buffer || !user_writable(buffer, needed))) err = WSAEFAULT;
    else
    {
        for (i = 0; i < cat->count; i++)
            if (catalog_enum_match(&cat->entries[i].info, protocols, FALSE)) *buffer++ = cat->entries[i].info;
        *count = (int)n;
    }
    catalog_release(cat);
    return err;
}

static int wsc_enum(const char *fn, enum catalog_view view, LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer,
                    LPDWORD lpdwBufferLength, LPINT lpErrno)
{
    int count = 0, err = wsc_errno_ok(lpErrno) ? enum_view(view, lpiProtocols, lpProtocolBuffer, lpdwBufferLength, &count) : WSAEFAULT;

    TRACE_API("%s(lpiProtocols %p lpProtocolBuffer %p lpdwBufferLength %p [%lu] lpErrno %p) -> %d error %d", fn,
              (void *)lpiProtocols, (void *)lpProtocolBuffer, (void *)lpdwBufferLength,
              user_readable(lpdwBufferLength, sizeof(DWORD)) ? (unsigned long)*lpdwBufferLength : 0ul, (void *)lpErrno,
              err ? SOCKET_ERROR : count, err);
    if (err) return wsc_result(err, lpErrno);
    return count;
}

int WSPAPI WSCEnumProtocols(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer, LPDWORD lpdwBufferLength, LPINT lpErrno)
{
    return wsc_enum("WSCEnumProtocols", CATALOG_VIEW_NATIVE, lpiProtocols, lpProtocolBuffer, lpdwBufferLength, lpErrno);
}

int WSPAPI WSCEnumProtocols32(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer, LPDWORD lpdwBufferLength, LPINT lpErrno)
{
    return wsc_enum("WSCEnumProtocols32", CATALOG_VIEW_32, lpiProtocols, lpProtocolBuffer, lpdwBufferLength, lpErrno);
}

/* ---- WSCGetProviderPath ---- */
static int get_path(enum catalog_view view, const GUID *id, WCHAR *path, INT *len)
{
    struct catalog *cat;
    const struct catalog_entry *e;
    int err, need;

    if (!id || !len || !user_readable(id, sizeof(*id)) || !user_writable(len, sizeof(*len))) return WSAEFAULT;
    if (*len <= 0) return WSAEINVAL;
    if ((err = catalog_load(view, &cat))) return err;
    if (!(e = catalog_find_provider(cat, id))) err = WSAEINVAL;
    else if ((need = MultiByteToWideChar(CP_ACP, 0, e->path, -1, NULL, 0)) <= 0) err = WSAEINVAL;
    else if (!path || *len < need)
    {
        *len = need;
        err = WSAEFAULT;
    }
    else if (!user_array_writable(path, (size_t)need, sizeof(WCHAR))) err = WSAEFAULT;
    else if (MultiByteToWideChar(CP_ACP, 0, e->path, -1, path, *len) <= 0) err = WSAEFAULT;
    else *len = need;
    catalog_release(cat);
    return err;
}

static int wsc_get_path(const char *fn, enum catalog_view view, LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                        LPINT lpProviderDllPathLen, LPINT lpErrno)
{
    char g[GUID_TEXT_SIZE];
    int err = wsc_errno_ok(lpErrno) ? get_path(view, lpProviderId, lpszProviderDllPath, lpProviderDllPathLen) : WSAEFAULT;

    TRACE_API("%s(lpProviderId %s lpszProviderDllPath %p lpProviderDllPathLen %p [%d] lpErrno %p) -> %d error %d", fn,
              user_guid_text(lpProviderId, g), (void *)lpszProviderDllPath, (void *)lpProviderDllPathLen,
              user_readable(lpProviderDllPathLen, sizeof(INT)) ? *lpProviderDllPathLen : 0, (void *)lpErrno, err ? SOCKET_ERROR : 0, err);
    return wsc_result(err, lpErrno);
}

int WSPAPI WSCGetProviderPath(LPGUID lpProviderId, WCHAR *lpszProviderDllPath, LPINT lpProviderDllPathLen, LPINT lpErrno)
{
    return wsc_get_path("WSCGetProviderPath", CATALOG_VIEW_NATIVE, lpProviderId, lpszProviderDllPath, lpProviderDllPathLen, lpErrno);
}

int WSPAPI WSCGetProviderPath32(LPGUID lpProviderId, WCHAR *lpszProviderDllPath, LPINT lpProviderDllPathLen, LPINT lpErrno)
{
    return wsc_get_path("WSCGetProviderPath32", CATALOG_VIEW_32, lpProviderId, lpszProviderDllPath, lpProviderDllPathLen, lpErrno);
}

/* ---- WSCInstallProvider / WSCUpdateProvider ---- */
struct install_ctx
{
    const GUID *id;
    char path[2][CATALOG_PATH_SIZE];
    const WSAPROTOCOL_INFOW *list;
    size_t count;
    BOOL update;
};

static int install_fn(const struct catalog *cat, size_t index, void *param, struct catalog **out)
{
    struct install_ctx *c = param;
    if (c->update) return catalog_edit_update(cat, c->id, c->path[index], c->list, c->count, out);
    return catalog_edit_install(cat, c->id, c->path[index], c->list, c->count, out);
}

static int wsc_install(const char *fn, const enum catalog_view *views, size_t nviews, BOOL update, LPGUID lpProviderId,
                       const WCHAR *lpszProviderDllPath, const WSAPROTOCOL_INFOW *lpProtocolInfoList,
                       DWORD dwNumberOfEntries, LPINT lpErrno)
{
    struct install_ctx c = {.id = lpProviderId, .list = lpProtocolInfoList, .count = dwNumberOfEntries, .update = update};
    char g[GUID_TEXT_SIZE];
    int err = 0;

    if (!wsc_errno_ok(lpErrno) || !lpProviderId || !lpszProviderDllPath || !lpProtocolInfoList) err = WSAEFAULT;
    else if (!dwNumberOfEntries) err = WSAEINVAL;
    else if (!user_readable(lpProviderId, sizeof(GUID)) ||
             !user_array_readable(lpProtocolInfoList, dwNumberOfEntries, sizeof(*lpProtocolInfoList)))
        err = WSAEFAULT;
    else if (!(err = wsc_path_to_ansi(lpszProviderDllPath, c.path[0])))
    {
        memcpy(c.path[1], c.path[0], CATALOG_PATH_SIZE);
        err = wsc_edit_views(views, nviews, install_fn, &c);
    }
    TRACE_API("%s(lpProviderId %s lpszProviderDllPath %p lpProtocolInfoList %p dwNumberOfEntries %lu lpErrno %p) -> %d error %d",
              fn, user_guid_text(lpProviderId, g), (void *)lpszProviderDllPath, (void *)lpProtocolInfoList,
              (unsigned long)dwNumberOfEntries, (void *)lpErrno, err ? SOCKET_ERROR : 0, err);
    return wsc_result(err, lpErrno);
}

static const enum catalog_view native_view[] = {CATALOG_VIEW_NATIVE};
static const enum catalog_view view32[] = {CATALOG_VIEW_32};
/* Native view first: its ids are the ones reported (lpdwCatalogEntryId). */
static const enum catalog_view both_views[] = {CATALOG_VIEW_NATIVE, !CATALOG_VIEW_NATIVE};

int WSPAPI WSCInstallProvider(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath, const LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                              DWORD dwNumberOfEntries, LPINT lpErrno)
{
    return wsc_install("WSCInstallProvider", native_view, 1, FALSE, lpProviderId, lpszProviderDllPath, lpProtocolInfoList,
                       dwNumberOfEntries, lpErrno);
}

int WSPAPI WSCInstallProvider64_32(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath, const LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                                   DWORD dwNumberOfEntries, LPINT lpErrno)
{
    return wsc_install("WSCInstallProvider64_32", both_views, 2, FALSE, lpProviderId, lpszProviderDllPath, lpProtocolInfoList,
                       dwNumberOfEntries, lpErrno);
}

int WSPAPI WSCUpdateProvider(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath, const LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                             DWORD dwNumberOfEntries, LPINT lpErrno)
{
    return wsc_install("WSCUpdateProvider", native_view, 1, TRUE, lpProviderId, lpszProviderDllPath, lpProtocolInfoList,
                       dwNumberOfEntries, lpErrno);
}

int WSPAPI WSCUpdateProvider32(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath, const LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                               DWORD dwNumberOfEntries, LPINT lpErrno)
{
    return wsc_install("WSCUpdateProvider32", view32, 1, TRUE, lpProviderId, lpszProviderDllPath, lpProtocolInfoList,
                       dwNumberOfEntries, lpErrno);
}

/* ---- WSCDeinstallProvider ---- */
static int deinstall_fn(const struct catalog *cat, size_t index, void *param, struct catalog **out)
{
    (void)index;
    return catalog_edit_deinstall(cat, param, out);
}

static int wsc_deinstall(const char *fn, const enum catalog_view *views, LPGUID lpProviderId, LPINT lpErrno)
{
    char g[GUID_TEXT_SIZE];
    int err = (!wsc_errno_ok(lpErrno) || !lpProviderId || !user_readable(lpProviderId, sizeof(GUID))) ? WSAEFAULT
              : wsc_edit_views(views, 1, deinstall_fn, lpProviderId);

    if (!err) wsc_provider_info_forget(views[0], lpProviderId);
    TRACE_API("%s(lpProviderId %s lpErrno %p) -> %d error %d", fn, user_guid_text(lpProviderId, g), (void *)lpErrno,
              err ? SOCKET_ERROR : 0, err);
    return wsc_result(err, lpErrno);
}

int WSPAPI WSCDeinstallProvider(LPGUID lpProviderId, LPINT lpErrno)
{
    return wsc_deinstall("WSCDeinstallProvider", native_view, lpProviderId, lpErrno);
}

int WSPAPI WSCDeinstallProvider32(LPGUID lpProviderId, LPINT lpErrno)
{
    return wsc_deinstall("WSCDeinstallProvider32", view32, lpProviderId, lpErrno);
}

/* ---- WSCWriteProviderOrder: returns the error itself ---- */
struct order_ctx { const DWORD *ids; size_t count; };

static int order_fn(const struct catalog *cat, size_t index, void *param, struct catalog **out)
{
    struct order_ctx *c = param;
    (void)index;
    return catalog_edit_order(cat, c->ids, c->count, out);
}

static int wsc_order(const char *fn, const enum catalog_view *views, LPDWORD ids, DWORD count)
{
    struct order_ctx c = {ids, count};
    int err = (!ids || !count) ? WSAEINVAL
              : !user_array_readable(ids, count, sizeof(*ids)) ? WSAEFAULT : wsc_edit_views(views, 1, order_fn, &c);

    TRACE_API("%s(lpwdCatalogEntryId %p dwNumberOfEntries %lu) -> %d", fn, (void *)ids, (unsigned long)count, err);
    return err;
}

int WSPAPI WSCWriteProviderOrder(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries)
{
    return wsc_order("WSCWriteProviderOrder", native_view, lpwdCatalogEntryId, dwNumberOfEntries);
}

int WSPAPI WSCWriteProviderOrder32(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries)
{
    return wsc_order("WSCWriteProviderOrder32", view32, lpwdCatalogEntryId, dwNumberOfEntries);
}

/* ---- WSCInstallProviderAndChains ---- */
struct chains_ctx
{
    const GUID *id;
    char path[2][CATALOG_PATH_SIZE]; /* by enum catalog_view */
    const WCHAR *name;
    DWORD flags;
    const WSAPROTOCOL_INFOW *list;
    size_t count;
    DWORD dummy[2];
    GUID *chain_ids; /* shared by both views: chain i has the same GUID in each */
    size_t nchain_ids;
};

/* A random (version 4) GUID, as UuidCreate makes them. */
static BOOL new_guid(GUID *g)
{
    if (!RtlGenRandom(g, sizeof(*g))) return FALSE;
    g->Data3 = (WORD)((g->Data3 & 0x0fff) | 0x4000);
    g->Data4[0] = (BYTE)((g->Data4[0] & 0x3f) | 0x80);
    return TRUE;
}

static int chains_fn(const struct catalog *cat, size_t index, void *param, struct catalog **out)
{
    struct chains_ctx *c = param;
    /* At most one chain per entry of the view (or per listed triple). */
    size_t need = c->list ? c->count : cat->count, i;

    (void)index;
    if (need > c->nchain_ids)
    {
        GUID *more = realloc(c->chain_ids, (need ? need : 1) * sizeof(*more));
        if (!more) return WSA_NOT_ENOUGH_MEMORY;
        c->chain_ids = more;
        for (i = c->nchain_ids; i < need; i++)
            if (!new_guid(&c->chain_ids[i])) return WSASYSCALLFAILURE;
        c->nchain_ids = need;
    }
    return catalog_edit_install_chains(cat, c->id, c->path[cat->view], c->name, c->flags, c->list, c->count,
                                       c->chain_ids, c->nchain_ids, &c->dummy[cat->view], out);
}

/* path names a file directly in %windir%\system32 (compared once environment strings are expanded,
 * so %SystemRoot%\system32\x.dll and C:\windows\system32\x.dll count too). */
static BOOL in_system32(const WCHAR *path)
{
    WCHAR dir[MAX_PATH + 1], full[MAX_PATH + 1];
    DWORD nd = ExpandEnvironmentStringsW(L"%windir%\\system32\\", dir, MAX_PATH + 1);
    DWORD nf = ExpandEnvironmentStringsW(path, full, MAX_PATH + 1);
    size_t i;

    if (!nd || nd > MAX_PATH + 1 || !nf || nf > MAX_PATH + 1 || nf <= nd) return FALSE;
    if (CompareStringOrdinal(full, (int)nd - 1, dir, (int)nd - 1, TRUE) != CSTR_EQUAL) return FALSE;
    for (i = nd - 1; full[i]; i++)
        if (full[i] == '\\' || full[i] == '/') return FALSE;
    return TRUE;
}

static int wsc_chains(const char *fn, const enum catalog_view *views, size_t nviews, LPGUID lpProviderId,
                      const WCHAR *path, const WCHAR *path32, const WCHAR *name, DWORD flags,
                      const WSAPROTOCOL_INFOW *list, DWORD count, LPDWORD dummy_id, LPINT lpErrno)
{
    struct chains_ctx c = {.id = lpProviderId, .name = name, .flags = flags, .list = list, .count = count};
    char g[GUID_TEXT_SIZE];
    int err = 0;

    if (!wsc_errno_ok(lpErrno)) err = WSAEFAULT;
    /* Documented: a NULL provider id, a bad path or name, a list with no entries are WSAEINVAL. */
    else if (!lpProviderId || !path || !name) err = WSAEINVAL;
    else if (list && !count) err = WSAEINVAL;
    else if (!list && count) err = WSAEFAULT;
    else if (!user_readable(lpProviderId, sizeof(GUID)) || !user_wstr_readable(name) ||
             !user_array_readable(list, count, sizeof(*list)) || (dummy_id && !user_writable(dummy_id, sizeof(*dummy_id))))
        err = WSAEFAULT;
    else if (!user_wstr_readable(path) || (nviews > 1 && path32 && !user_wstr_readable(path32))) err = WSAEFAULT;
    /* Documented: without a 32-bit path the path must be %windir%\system32\<dllname> (the 32-bit view
     * then names the same path, which WOW64 redirects to syswow64); otherwise WSAEINVAL. */
    else if (nviews > 1 && !path32 && !in_system32(path)) err = WSAEINVAL;
    else if ((err = wsc_path_to_ansi(path, c.path[CATALOG_VIEW_64]))) err = WSAEINVAL;
    else if (wsc_path_to_ansi(nviews > 1 && path32 ? path32 : path, c.path[CATALOG_VIEW_32])) err = WSAEINVAL;
    else
    {
        /* WSCInstallProviderAndChains (one view): the one path serves whichever view is native. */
        err = wsc_edit_views(views, nviews, chains_fn, &c);
        if (!err && dummy_id) *dummy_id = c.dummy[CATALOG_VIEW_NATIVE];
    }
    free(c.chain_ids);
    TRACE_API("%s(lpProviderId %s path %p path32 %p lpszLspName %p dwServiceFlags %#lx lpProtocolInfoList %p dwNumberOfEntries %lu "
              "lpdwCatalogEntryId %p lpErrno %p) -> %d error %d dummy %lu", fn, user_guid_text(lpProviderId, g), (void *)path,
              (void *)path32, (void *)name, (unsigned long)flags, (void *)list, (unsigned long)count, (void *)dummy_id,
              (void *)lpErrno, err ? SOCKET_ERROR : 0, err, (unsigned long)c.dummy[CATALOG_VIEW_NATIVE]);
    return wsc_result(err, lpErrno);
}

int WSPAPI WSCInstallProviderAndChains(LPGUID lpProviderId, const LPWSTR lpszProviderDllPath, const LPWSTR lpszLspName,
                                       DWORD dwServiceFlags, LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries,
                                       LPDWORD lpdwCatalogEntryId, LPINT lpErrno)
{
    return wsc_chains("WSCInstallProviderAndChains", native_view, 1, lpProviderId, lpszProviderDllPath, NULL, lpszLspName,
                      dwServiceFlags, lpProtocolInfoList, dwNumberOfEntries, lpdwCatalogEntryId, lpErrno);
}

int WSPAPI WSCInstallProviderAndChains64_32(LPGUID lpProviderId, const LPWSTR lpszProviderDllPath,
                                            const LPWSTR lpszProviderDllPath32, const LPWSTR lpszLspName,
                                            DWORD dwServiceFlags, LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                                            DWORD dwNumberOfEntries, LPDWORD lpdwCatalogEntryId, LPINT lpErrno)
{
    return wsc_chains("WSCInstallProviderAndChains64_32", both_views, 2, lpProviderId, lpszProviderDllPath,
                      lpszProviderDllPath32, lpszLspName, dwServiceFlags, lpProtocolInfoList, dwNumberOfEntries,
                      lpdwCatalogEntryId, lpErrno);
}
