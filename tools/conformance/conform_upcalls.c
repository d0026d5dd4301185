/* conform_upcalls.c - ws2conform's OWN upcall table: a provider DLL is tested standalone, without
 * ws2_32 in between, and every WPU* call it makes is counted; the socket handles it asks for are
 * recorded with the upcall that made them (WPUModifyIFSHandle: the provider's own handle, returned
 * as is; WPUCreateSocketHandle: a fresh kernel handle of ours carrying the provider's context), so
 * the checks can tell whether a socket came through the upcall its kind of provider must use.
 * WPUGetProviderPath answers the tested DLL's own id with its path and any other id from the catalog
 * (ws2_32's WSCGetProviderPath), so a layered provider finds its lower layers.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conform.h"
#include "trace.h"

#define MAX_RECORDS 512

struct record
{
    SOCKET s;
    enum conf_handle_kind kind;
    DWORD_PTR context;
    BOOL open;
};

static CRITICAL_SECTION lock;
static BOOL lock_ready;
static struct record records[MAX_RECORDS];
static int nrecords;
static LONG counts[UP_COUNT];
static WCHAR own_path[MAX_PATH + 1];
static GUID own_id;

static const char *const names[UP_COUNT] = {
    "WPUCloseEvent", "WPUCloseSocketHandle", "WPUCreateEvent", "WPUCreateSocketHandle", "WPUFDIsSet",
    "WPUGetProviderPath", "WPUModifyIFSHandle", "WPUPostMessage", "WPUQueryBlockingCallback",
    "WPUQuerySocketHandleContext", "WPUQueueApc", "WPUResetEvent", "WPUSetEvent", "WPUOpenCurrentThread",
    "WPUCloseThread",
};

const char *conf_upcall_name(enum conf_upcall u)
{
    return u < UP_COUNT ? names[u] : "?";
}

void conf_upcalls_init(const WCHAR *dll_path, const GUID *provider_id)
{
    if (!lock_ready)
    {
        InitializeCriticalSection(&lock);
        lock_ready = TRUE;
    }
    lstrcpynW(own_path, dll_path, MAX_PATH + 1);
    own_id = *provider_id;
}

LONG conf_upcall_count(enum conf_upcall u)
{
    return u < UP_COUNT ? InterlockedCompareExchange(&counts[u], 0, 0) : 0;
}

static void count(enum conf_upcall u)
{
    InterlockedIncrement(&counts[u]);
    TRACE_SPI("ws2conform upcall %s (call %ld)", names[u], (long)InterlockedCompareExchange(&counts[u], 0, 0));
}

static BOOL fail(LPINT err, int code)
{
    if (err) *err = code;
    return FALSE;
}

static void add_record(SOCKET s, enum conf_handle_kind kind, DWORD_PTR context)
{
    int i;

    EnterCriticalSection(&lock);
    /* The record of the same handle value (reused by the system), else the first free slot. */
    for (i = 0; i < nrecords; i++)
        if (records[i].s == s) break;
    if (i == nrecords)
        for (i = 0; i < nrecords; i++)
            if (!records[i].open) break;
    if (i == nrecords && nrecords < MAX_RECORDS) nrecords++;
    if (i < MAX_RECORDS)
    {
        records[i].s = s;
        records[i].kind = kind;
        records[i].context = context;
        records[i].open = TRUE;
    }
    LeaveCriticalSection(&lock);
}

static struct record *find_open(SOCKET s, enum conf_handle_kind kind)
{
    int i;

    for (i = 0; i < nrecords; i++)
        if (records[i].open && records[i].s == s && records[i].kind == kind) return &records[i];
    return NULL;
}

enum conf_handle_kind conf_handle_kind(SOCKET s, BOOL *open)
{
    enum conf_handle_kind kind = CONF_HANDLE_UNKNOWN;
    int i;

    *open = FALSE;
    EnterCriticalSection(&lock);
    for (i = 0; i < nrecords; i++)
        if (records[i].s == s && (records[i].open || kind == CONF_HANDLE_UNKNOWN))
        {
            kind = records[i].kind;
            *open = records[i].open;
        }
    LeaveCriticalSection(&lock);
    return kind;
}

int conf_nonifs_open(void)
{
    int i, n = 0;

    EnterCriticalSection(&lock);
    for (i = 0; i < nrecords; i++)
        if (records[i].open && records[i].kind == CONF_HANDLE_NONIFS) n++;
    LeaveCriticalSection(&lock);
    return n;
}

static BOOL WSPAPI up_close_event(WSAEVENT event, LPINT err)
{
    count(UP_CLOSE_EVENT);
    return CloseHandle(event) ? TRUE : fail(err, WSA_INVALID_HANDLE);
}

static int WSPAPI up_close_socket_handle(SOCKET s, LPINT err)
{
    struct record *r;

    count(UP_CLOSE_SOCKET_HANDLE);
    EnterCriticalSection(&lock);
    if ((r = find_open(s, CONF_HANDLE_NONIFS)))
    {
        r->open = FALSE;
        CloseHandle((HANDLE)s);
    }
    LeaveCriticalSection(&lock);
    if (r) return 0;
    if (err) *err = WSAENOTSOCK;
    return SOCKET_ERROR;
}

static WSAEVENT WSPAPI up_create_event(LPINT err)
{
    HANDLE e;

    count(UP_CREATE_EVENT);
    if (!(e = CreateEventW(NULL, TRUE, FALSE, NULL)) && err) *err = WSA_NOT_ENOUGH_MEMORY;
    return e ? e : WSA_INVALID_EVENT;
}

static SOCKET WSPAPI up_create_socket_handle(DWORD catalog_id, DWORD_PTR context, LPINT err)
{
    HANDLE h;

    (void)catalog_id;
    count(UP_CREATE_SOCKET_HANDLE);
    /* Any unique kernel handle will do for a socket value: an unnamed event. */
    if (!(h = CreateEventW(NULL, TRUE, FALSE, NULL)))
    {
        if (err) *err = WSAENOBUFS;
        return INVALID_SOCKET;
    }
    add_record((SOCKET)h, CONF_HANDLE_NONIFS, context);
    return (SOCKET)h;
}

static int WSPAPI up_fd_is_set(SOCKET s, fd_set *set)
{
    u_int i;

    count(UP_FD_IS_SET);
    if (!set) return 0;
    for (i = 0; i < set->fd_count && i < FD_SETSIZE; i++)
        if (set->fd_array[i] == s) return 1;
    return 0;
}

typedef int (WSPAPI *get_path_fn)(LPGUID, WCHAR *, LPINT, LPINT);

static int WSPAPI up_get_provider_path(LPGUID id, WCHAR *path, LPINT len, LPINT err)
{
    int need = lstrlenW(own_path) + 1;

    count(UP_GET_PROVIDER_PATH);
    if (!id || !path || !len) return fail(err, WSAEFAULT) ? 0 : SOCKET_ERROR;
    if (!IsEqualGUID(id, &own_id))
    {
        /* Another provider (a layer's next layer): the catalog answers, as ws2_32's upcall does. */
        HMODULE ws2 = GetModuleHandleW(L"ws2_32.dll");
        get_path_fn p = ws2 ? (get_path_fn)(void *)GetProcAddress(ws2, "WSCGetProviderPath") : NULL;
        if (!p) return fail(err, WSAEINVAL) ? 0 : SOCKET_ERROR;
        return p(id, path, len, err);
    }
    if (*len < need)
    {
        *len = need;
        if (err) *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    memcpy(path, own_path, need * sizeof(WCHAR));
    return 0;
}

static SOCKET WSPAPI up_modify_ifs_handle(DWORD catalog_id, SOCKET proposed, LPINT err)
{
    (void)catalog_id;
    count(UP_MODIFY_IFS_HANDLE);
    if (proposed == INVALID_SOCKET || !proposed)
    {
        if (err) *err = WSAEINVAL;
        return INVALID_SOCKET;
    }
    add_record(proposed, CONF_HANDLE_IFS, 0);
    return proposed;
}

static BOOL WSPAPI up_post_message(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    count(UP_POST_MESSAGE);
    return PostMessageW(hwnd, msg, wparam, lparam);
}

static BOOL CALLBACK blocking_callback(DWORD_PTR context)
{
    (void)context;
    return TRUE; /* never cancelled */
}

static int WSPAPI up_query_blocking_callback(DWORD catalog_id, LPBLOCKINGCALLBACK *callback, PDWORD_PTR context,
                                             LPINT err)
{
    (void)catalog_id;
    count(UP_QUERY_BLOCKING_CALLBACK);
    if (!callback || !context) return fail(err, WSAEFAULT) ? 0 : SOCKET_ERROR;
    *callback = blocking_callback;
    *context = 0;
    return 0;
}

static int WSPAPI up_query_socket_handle_context(SOCKET s, PDWORD_PTR context, LPINT err)
{
    struct record *r;
    DWORD_PTR value = 0;

    count(UP_QUERY_SOCKET_HANDLE_CONTEXT);
    if (!context) return fail(err, WSAEFAULT) ? 0 : SOCKET_ERROR;
    EnterCriticalSection(&lock);
    if ((r = find_open(s, CONF_HANDLE_NONIFS))) value = r->context;
    LeaveCriticalSection(&lock);
    if (!r) return fail(err, WSAENOTSOCK) ? 0 : SOCKET_ERROR;
    *context = value;
    return 0;
}

static int WSPAPI up_queue_apc(LPWSATHREADID thread, LPWSAUSERAPC apc, DWORD_PTR context, LPINT err)
{
    count(UP_QUEUE_APC);
    if (!thread || !apc) return fail(err, WSAEFAULT) ? 0 : SOCKET_ERROR;
    if (!QueueUserAPC((PAPCFUNC)(void *)apc, thread->ThreadHandle, context))
        return fail(err, WSAEINVAL) ? 0 : SOCKET_ERROR;
    return 0;
}

static BOOL WSPAPI up_reset_event(WSAEVENT event, LPINT err)
{
    count(UP_RESET_EVENT);
    return ResetEvent(event) ? TRUE : fail(err, WSA_INVALID_HANDLE);
}

static BOOL WSPAPI up_set_event(WSAEVENT event, LPINT err)
{
    count(UP_SET_EVENT);
    return SetEvent(event) ? TRUE : fail(err, WSA_INVALID_HANDLE);
}

static int open_thread(LPWSATHREADID thread, LPINT err)
{
    if (!thread) return fail(err, WSAEFAULT) ? 0 : SOCKET_ERROR;
    thread->Reserved = 0;
    if (!DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &thread->ThreadHandle, 0,
                         FALSE, DUPLICATE_SAME_ACCESS))
        return fail(err, WSASYSCALLFAILURE) ? 0 : SOCKET_ERROR;
    return 0;
}

static int close_thread(LPWSATHREADID thread, LPINT err)
{
    if (!thread) return fail(err, WSAEFAULT) ? 0 : SOCKET_ERROR;
    if (!CloseHandle(thread->ThreadHandle)) return fail(err, WSAEINVAL) ? 0 : SOCKET_ERROR;
    thread->ThreadHandle = NULL;
    return 0;
}

static int WSPAPI up_open_current_thread(LPWSATHREADID thread, LPINT err)
{
    count(UP_OPEN_CURRENT_THREAD);
    return open_thread(thread, err);
}

static int WSPAPI up_close_thread(LPWSATHREADID thread, LPINT err)
{
    count(UP_CLOSE_THREAD);
    return close_thread(thread, err);
}

/* The runner's own WSATHREADID for its calls (what ws2_32 passes to WSPRecv ...), not counted. */
int conf_thread_open(LPWSATHREADID thread)
{
    int err = 0;
    return open_thread(thread, &err);
}

void conf_thread_close(LPWSATHREADID thread)
{
    int err = 0;
    close_thread(thread, &err);
}

const WSPUPCALLTABLE conf_upcall_table = {
    up_close_event, up_close_socket_handle, up_create_event, up_create_socket_handle, up_fd_is_set,
    up_get_provider_path, up_modify_ifs_handle, up_post_message, up_query_blocking_callback,
    up_query_socket_handle_context, up_queue_apc, up_reset_event, up_set_event, up_open_current_thread,
    up_close_thread,
};
