/* upcall.c - the WPU* upcall table ws2_32 hands to every transport provider's WSPStartup
 * (include/upcall.h), and the upcall-like exports WPUCompleteOverlappedRequest and
 * WPUGetProviderPathEx.
 * Owns: socket handle registration for providers (WPUModifyIFSHandle: IFS handles;
 * WPUCreateSocketHandle / WPUQuerySocketHandleContext / WPUCloseSocketHandle: non-IFS handles, made
 * by nonifs_handle.c), provider DLL paths from the transport catalog, the blocking callback, event,
 * thread and APC helpers, WPUPostMessage and WPUFDIsSet.
 * Every upcall traces its arguments and result (TRACE_SPI: these are calls from a provider).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "upcall.h"
#include "catalog.h"
#include "nonifs.h"
#include "provider.h"
#include "socket_table.h"
#include "trace.h"
#include "api_internal.h"

int WINAPI WPUGetProviderPathEx(LPGUID lpProviderId, WCHAR *lpszProviderDllPath, LPINT lpProviderDllPathLen,
                                LPINT lpErrno);

static int fail(LPINT lpErrno, int err)
{
    if (lpErrno) *lpErrno = err;
    return SOCKET_ERROR;
}

/* ---- Events ---- */

static WSAEVENT WSPAPI upcall_create_event(LPINT lpErrno)
{
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!ev && lpErrno) *lpErrno = WSA_NOT_ENOUGH_MEMORY;
    TRACE_SPI("WPUCreateEvent() -> %p", (void *)ev);
    return ev ? ev : WSA_INVALID_EVENT;
}

static BOOL WSPAPI upcall_close_event(WSAEVENT hEvent, LPINT lpErrno)
{
    BOOL ok = hEvent && hEvent != WSA_INVALID_EVENT && CloseHandle(hEvent);
    if (!ok && lpErrno) *lpErrno = WSA_INVALID_HANDLE;
    TRACE_SPI("WPUCloseEvent(%p) -> %d", (void *)hEvent, ok);
    return ok;
}

static BOOL WSPAPI upcall_set_event(WSAEVENT hEvent, LPINT lpErrno)
{
    BOOL ok = hEvent && hEvent != WSA_INVALID_EVENT && SetEvent(hEvent);
    if (!ok && lpErrno) *lpErrno = WSA_INVALID_HANDLE;
    TRACE_SPI("WPUSetEvent(%p) -> %d", (void *)hEvent, ok);
    return ok;
}

static BOOL WSPAPI upcall_reset_event(WSAEVENT hEvent, LPINT lpErrno)
{
    BOOL ok = hEvent && hEvent != WSA_INVALID_EVENT && ResetEvent(hEvent);
    if (!ok && lpErrno) *lpErrno = WSA_INVALID_HANDLE;
    TRACE_SPI("WPUResetEvent(%p) -> %d", (void *)hEvent, ok);
    return ok;
}

/* ---- Socket handles ---- */

static SOCKET WSPAPI upcall_modify_ifs_handle(DWORD dwCatalogEntryId, SOCKET ProposedHandle, LPINT lpErrno)
{
    struct provider *p = NULL;
    struct ws_socket *sock;
    int err = 0;

    /* The handle is the provider's own (an IFS handle it just created): it is trusted as Windows
     * does, without a GetHandleInformation check that would cost a wineserver round trip on every
     * socket(). A provider handing out garbage only harms its own sockets. */
    if (!lpErrno) err = WSAEFAULT;
    else if (ProposedHandle == INVALID_SOCKET || !ProposedHandle) err = WSAEINVAL;
    else if ((err = provider_get_by_catalog_id(dwCatalogEntryId, &p)))
        err = WSAEINVAL;
    else if (!(sock = socket_register(ProposedHandle, dwCatalogEntryId, p, TRUE, 0, &err)))
        err = err ? err : WSAENOBUFS;
    provider_release(p);
    TRACE_SPI("WPUModifyIFSHandle(catalog entry %lu, %#llx) -> %#llx (error %d)", (unsigned long)dwCatalogEntryId,
              (unsigned long long)ProposedHandle, (unsigned long long)(err ? INVALID_SOCKET : ProposedHandle), err);
    if (err)
    {
        fail(lpErrno, err);
        return INVALID_SOCKET;
    }
    return ProposedHandle;
}

static SOCKET WSPAPI upcall_create_socket_handle(DWORD dwCatalogEntryId, DWORD_PTR dwContext, LPINT lpErrno)
{
    struct provider *p = NULL;
    struct ws_socket *sock = NULL;
    HANDLE h = INVALID_HANDLE_VALUE;
    int err = 0;

    if (!lpErrno) err = WSAEFAULT;
    else if (provider_get_by_catalog_id(dwCatalogEntryId, &p)) err = WSAEINVAL;
    else if ((h = nonifs_handle_create(&err)) == INVALID_HANDLE_VALUE) err = err ? err : WSAENOBUFS;
    else if (!(sock = socket_register((SOCKET)h, dwCatalogEntryId, p, FALSE, dwContext, &err)))
    {
        err = err ? err : WSAENOBUFS;
        nonifs_handle_close(h);
        h = INVALID_HANDLE_VALUE;
    }
    provider_release(p);
    TRACE_SPI("WPUCreateSocketHandle(catalog entry %lu, context %#llx) -> %#llx (error %d)",
              (unsigned long)dwCatalogEntryId, (unsigned long long)dwContext,
              (unsigned long long)(err ? INVALID_SOCKET : (SOCKET)h), err);
    if (err)
    {
        fail(lpErrno, err);
        return INVALID_SOCKET;
    }
    return (SOCKET)h;
}

/* Referenced non-IFS socket s, or NULL. */
static struct ws_socket *get_nonifs(SOCKET s)
{
    struct ws_socket *sock = socket_get(s);
    if (sock && sock->ifs)
    {
        socket_put(sock);
        sock = NULL;
    }
    return sock;
}

static int WSPAPI upcall_query_socket_handle_context(SOCKET s, PDWORD_PTR lpContext, LPINT lpErrno)
{
    struct ws_socket *sock = NULL;
    int err = 0;

    if (!lpErrno) err = WSAEFAULT;
    else if (!(sock = get_nonifs(s))) err = WSAENOTSOCK;
    else if (!lpContext) err = WSAEFAULT;
    else *lpContext = sock->context;
    if (sock) socket_put(sock);
    TRACE_SPI("WPUQuerySocketHandleContext(%#llx, %p) -> %d (context %#llx, error %d)", (unsigned long long)s,
              (void *)lpContext, err ? SOCKET_ERROR : 0,
              (unsigned long long)(err ? 0 : *lpContext), err);
    return err ? fail(lpErrno, err) : 0;
}

static int WSPAPI upcall_close_socket_handle(SOCKET s, LPINT lpErrno)
{
    struct ws_socket *sock = NULL;
    int err = 0;

    if (!lpErrno) err = WSAEFAULT;
    else if (!(sock = get_nonifs(s))) err = WSAENOTSOCK;
    else
    {
        socket_unregister(sock);
        socket_put(sock);
        nonifs_handle_close((HANDLE)s);
    }
    TRACE_SPI("WPUCloseSocketHandle(%#llx) -> %d (error %d)", (unsigned long long)s, err ? SOCKET_ERROR : 0, err);
    return err ? fail(lpErrno, err) : 0;
}

/* ---- Provider paths ---- */

/* The transport catalog's DLL path for provider id, as stored (environment strings unexpanded). */
static int provider_path(const GUID *id, WCHAR *path, LPINT len)
{
    const struct catalog_entry *entry;
    struct catalog *cat;
    int need, err = 0;

    if (!id || !len) return WSAEFAULT;
    cat = catalog_current();
    if (!cat) return WSAEINVAL;
    entry = catalog_find_provider(cat, id);
    if (!entry) err = WSAEINVAL;
    else
    {
        /* entry->path is NUL-terminated within CATALOG_PATH_SIZE (catalog_item_unpack checks it). */
        need = MultiByteToWideChar(CP_ACP, 0, entry->path, -1, NULL, 0);
        if (need <= 0) err = WSAEINVAL;
        else if (!path || *len < need)
        {
            *len = need;
            err = WSAEFAULT;
        }
        else if (MultiByteToWideChar(CP_ACP, 0, entry->path, -1, path, *len) != need) err = WSAEINVAL;
        else *len = need;
    }
    catalog_release(cat);
    return err;
}

static int WSPAPI upcall_get_provider_path(LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                                           LPINT lpProviderDllPathLen, LPINT lpErrno)
{
    int err = lpErrno ? provider_path(lpProviderId, lpszProviderDllPath, lpProviderDllPathLen) : WSAEFAULT;
    TRACE_SPI("WPUGetProviderPath(%p, %p, %p [%d]) -> %d (error %d)%s%ls", (void *)lpProviderId,
              (void *)lpszProviderDllPath, (void *)lpProviderDllPathLen,
              lpProviderDllPathLen ? *lpProviderDllPathLen : -1, err ? SOCKET_ERROR : 0, err, err ? "" : " ",
              err ? L"" : lpszProviderDllPath);
    return err ? fail(lpErrno, err) : 0;
}

int WINAPI WPUGetProviderPathEx(LPGUID lpProviderId, WCHAR *lpszProviderDllPath, LPINT lpProviderDllPathLen,
                                LPINT lpErrno)
{
    int err = lpErrno ? provider_path(lpProviderId, lpszProviderDllPath, lpProviderDllPathLen) : WSAEFAULT;
    TRACE_API("WPUGetProviderPathEx(%p, %p, %p [%d]) -> %d (error %d)", (void *)lpProviderId,
              (void *)lpszProviderDllPath, (void *)lpProviderDllPathLen,
              lpProviderDllPathLen ? *lpProviderDllPathLen : -1, err ? SOCKET_ERROR : 0, err);
    return err ? fail(lpErrno, err) : 0;
}

/* ---- Blocking callback (Winsock 1.1 blocking hooks) ---- */

/* Runs the thread's Winsock 1.1 blocking hook once; TRUE: keep waiting. */
static BOOL CALLBACK blocking_callback(DWORD_PTR context)
{
    FARPROC hook = (FARPROC)(void *)context;
    if (hook) hook();
    return TRUE;
}

static int WSPAPI upcall_query_blocking_callback(DWORD dwCatalogEntryId, LPBLOCKINGCALLBACK *lplpfnCallback,
                                                 PDWORD_PTR lpdwContext, LPINT lpErrno)
{
    const struct catalog_entry *entry = NULL;
    struct api_thread *thread;
    struct catalog *cat;
    int err = 0;

    if (!lpErrno || !lplpfnCallback || !lpdwContext) err = WSAEFAULT;
    else
    {
        cat = catalog_current();
        entry = cat ? catalog_find_id(cat, dwCatalogEntryId) : NULL;
        if (cat) catalog_release(cat);
        if (!entry) err = WSAEINVAL;
    }
    if (!err)
    {
        /* No hook (every Winsock 2 application): NULL, the provider blocks on native objects. */
        thread = api_thread_get(FALSE);
        if (thread && thread->blocking_hook)
        {
            *lplpfnCallback = blocking_callback;
            *lpdwContext = (DWORD_PTR)(void *)thread->blocking_hook;
        }
        else
        {
            *lplpfnCallback = NULL;
            *lpdwContext = 0;
        }
    }
    TRACE_SPI("WPUQueryBlockingCallback(catalog entry %lu) -> %d (callback %p, error %d)",
              (unsigned long)dwCatalogEntryId, err ? SOCKET_ERROR : 0,
              err ? NULL : (void *)(uintptr_t)*lplpfnCallback, err);
    return err ? fail(lpErrno, err) : 0;
}

/* ---- Threads and APCs ---- */

static int WSPAPI upcall_open_current_thread(LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    int err = 0;
    HANDLE h = NULL;

    if (!lpErrno || !lpThreadId) err = WSAEFAULT;
    else if (!DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &h, 0, FALSE,
                              DUPLICATE_SAME_ACCESS))
        err = WSASYSCALLFAILURE;
    else
    {
        lpThreadId->ThreadHandle = h;
        lpThreadId->Reserved = GetCurrentThreadId();
    }
    TRACE_SPI("WPUOpenCurrentThread(%p) -> %d (handle %p, error %d)", (void *)lpThreadId, err ? SOCKET_ERROR : 0,
              (void *)h, err);
    return err ? fail(lpErrno, err) : 0;
}

static int WSPAPI upcall_close_thread(LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    int err = 0;

    if (!lpErrno || !lpThreadId) err = WSAEFAULT;
    else if (!lpThreadId->ThreadHandle || !CloseHandle(lpThreadId->ThreadHandle)) err = WSAEINVAL;
    else
    {
        lpThreadId->ThreadHandle = NULL;
        lpThreadId->Reserved = 0;
    }
    TRACE_SPI("WPUCloseThread(%p) -> %d (error %d)", (void *)lpThreadId, err ? SOCKET_ERROR : 0, err);
    return err ? fail(lpErrno, err) : 0;
}

static int WSPAPI upcall_queue_apc(LPWSATHREADID lpThreadId, LPWSAUSERAPC lpfnUserApc, DWORD_PTR dwContext,
                                   LPINT lpErrno)
{
    int err = 0;

    if (!lpErrno || !lpThreadId || !lpfnUserApc) err = WSAEFAULT;
    else if (!lpThreadId->ThreadHandle ||
             !QueueUserAPC((PAPCFUNC)(void *)lpfnUserApc, lpThreadId->ThreadHandle, (ULONG_PTR)dwContext))
        err = WSAEINVAL;
    TRACE_SPI("WPUQueueApc(%p, %p, %#llx) -> %d (error %d)", (void *)lpThreadId, (void *)(uintptr_t)lpfnUserApc,
              (unsigned long long)dwContext, err ? SOCKET_ERROR : 0, err);
    return err ? fail(lpErrno, err) : 0;
}

/* ---- Messages and fd sets ---- */

static BOOL WSPAPI upcall_post_message(HWND hWnd, UINT Msg, WPARAM wParam, LPARAM lParam)
{
    BOOL ok = PostMessageW(hWnd, Msg, wParam, lParam);
    TRACE_SPI("WPUPostMessage(%p, %#x, %#llx, %#llx) -> %d", (void *)hWnd, Msg, (unsigned long long)wParam,
              (unsigned long long)lParam, ok);
    return ok;
}

static int WSPAPI upcall_fd_is_set(SOCKET s, fd_set *fdset)
{
    u_int i, n;
    int ret = 0;

    if (fdset)
    {
        n = fdset->fd_count < FD_SETSIZE ? fdset->fd_count : FD_SETSIZE;
        for (i = 0; i < n; i++)
            if (fdset->fd_array[i] == s)
            {
                ret = 1;
                break;
            }
    }
    TRACE_SPI("WPUFDIsSet(%#llx, %p) -> %d", (unsigned long long)s, (void *)fdset, ret);
    return ret;
}

/* ---- Overlapped completion for non-IFS sockets (exported, not in the table) ---- */

/* Is [p, p + size) committed, writable memory? (a bad OVERLAPPED pointer is WSAEFAULT, not a crash) */
static BOOL writable(const void *p, SIZE_T size)
{
    const char *cur = p, *end = (const char *)p + size;
    MEMORY_BASIC_INFORMATION mbi;

    while (cur < end)
    {
        if (!VirtualQuery(cur, &mbi, sizeof(mbi)) || mbi.State != MEM_COMMIT ||
            (mbi.Protect & (PAGE_GUARD | PAGE_NOACCESS)) ||
            !(mbi.Protect & (PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY)))
            return FALSE;
        cur = (const char *)mbi.BaseAddress + mbi.RegionSize;
    }
    return TRUE;
}

int WSPAPI WPUCompleteOverlappedRequest(SOCKET s, LPWSAOVERLAPPED lpOverlapped, DWORD dwError, DWORD cbTransferred,
                                        LPINT lpErrno)
{
    struct ws_socket *sock = NULL;
    int err = 0;

    if (!lpErrno) err = WSAEFAULT;
    else if (nonifs_internal_complete(lpOverlapped, dwError, cbTransferred)) err = 0; /* a ReadFile/WriteFile's */
    else if (!(sock = get_nonifs(s))) err = WSAEINVAL;
    else if (!lpOverlapped || !writable(lpOverlapped, sizeof(*lpOverlapped))) err = WSAEFAULT;
    else err = nonifs_complete((HANDLE)s, lpOverlapped, dwError, cbTransferred);
    if (sock) socket_put(sock);
    TRACE_API("WPUCompleteOverlappedRequest(%#llx, %p, %lu, %lu) -> %d (error %d)", (unsigned long long)s,
              (void *)lpOverlapped, (unsigned long)dwError, (unsigned long)cbTransferred, err ? SOCKET_ERROR : 0, err);
    return err ? fail(lpErrno, err) : 0;
}

const WSPUPCALLTABLE upcall_table =
{
    upcall_close_event,
    upcall_close_socket_handle,
    upcall_create_event,
    upcall_create_socket_handle,
    upcall_fd_is_set,
    upcall_get_provider_path,
    upcall_modify_ifs_handle,
    upcall_post_message,
    upcall_query_blocking_callback,
    upcall_query_socket_handle_context,
    upcall_queue_apc,
    upcall_reset_event,
    upcall_set_event,
    upcall_open_current_thread,
    upcall_close_thread,
};
