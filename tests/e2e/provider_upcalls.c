/* provider_upcalls.c - end-to-end test of the WPU upcall table under Wine: loads the recording test
 * providers through ws2_32, takes the upcall table ws2_32 gave their WSPStartup and drives every
 * upcall (events, threads and APCs, provider paths, blocking callback, WPUFDIsSet, WPUPostMessage,
 * IFS and non-IFS socket handles), then WPUCompleteOverlappedRequest on non-IFS handles: exact byte
 * counts and errors delivered to an event, to an I/O completion port the test associated with the
 * handle, and nothing to the port when hEvent has its low bit set; and the ws2help helper exports
 * (Wah*). One line per check; exit code 1 on any failure.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "provider_common.h"

#include <stdio.h>
#include <stdlib.h>

DWORD WINAPI WahOpenApcHelper(LPHANDLE ApcHelperHandle);
DWORD WINAPI WahCloseApcHelper(HANDLE ApcHelperHandle);
DWORD WINAPI WahOpenCurrentThread(HANDLE ApcHelperHandle, LPWSATHREADID ThreadId);
DWORD WINAPI WahCloseThread(HANDLE ApcHelperHandle, LPWSATHREADID ThreadId);
DWORD WINAPI WahQueueUserApc(HANDLE ApcHelperHandle, LPWSATHREADID ThreadId, LPWSAUSERAPC lpfnUserApc,
                             DWORD_PTR dwContext);
DWORD WINAPI WahOpenHandleHelper(LPHANDLE HelperHandle);
DWORD WINAPI WahCloseHandleHelper(HANDLE HelperHandle);
DWORD WINAPI WahCreateSocketHandle(HANDLE HelperHandle, SOCKET *s);
DWORD WINAPI WahCloseSocketHandle(HANDLE HelperHandle, SOCKET s);
DWORD WINAPI WahCompleteRequest(HANDLE HelperHandle, SOCKET s, LPWSAOVERLAPPED lpOverlapped, DWORD dwError,
                                DWORD cbTransferred);
DWORD WINAPI WahEnableNonIFSHandleSupport(void);
DWORD WINAPI WahDisableNonIFSHandleSupport(void);
DWORD WINAPI WahOpenNotificationHandleHelper(LPHANDLE HelperHandle);
DWORD WINAPI WahCloseNotificationHandleHelper(HANDLE HelperHandle);
DWORD WINAPI WahCreateNotificationHandle(HANDLE HelperHandle, HANDLE *NotificationHandle);
DWORD WINAPI WahWaitForNotification(HANDLE NotificationHelperHandle, HANDLE hNotification,
                                    LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
DWORD WINAPI WahNotifyAllProcesses(HANDLE NotificationHelperHandle);
/* Resolved at run time: MinGW-w64's i686 import library lacks it. */
typedef int (WINAPI *get_provider_path_ex_fn)(LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                                              LPINT lpProviderDllPathLen, LPINT lpErrno);
#define WPUGetProviderPathEx \
    (*(get_provider_path_ex_fn)(void *)GetProcAddress(GetModuleHandleA("ws2_32.dll"), "WPUGetProviderPathEx"))

static LONG apc_calls;
static DWORD_PTR apc_context;
static DWORD apc_thread;

static void CALLBACK user_apc(DWORD_PTR ctx)
{
    InterlockedIncrement(&apc_calls);
    apc_context = ctx;
    apc_thread = GetCurrentThreadId();
}

struct remote_apc
{
    const WSPUPCALLTABLE *up;
    WSATHREADID target;
    int ret, err;
};

static DWORD WINAPI remote_queue(void *param)
{
    struct remote_apc *r = param;
    r->err = 0;
    r->ret = r->up->lpWPUQueueApc(&r->target, user_apc, 0xabcd, &r->err);
    return 0;
}

static void test_events(const WSPUPCALLTABLE *up)
{
    int err = 0;
    WSAEVENT ev = up->lpWPUCreateEvent(&err);

    tp_check(ev != WSA_INVALID_EVENT && ev != NULL, "WPUCreateEvent gives an event");
    tp_check(WaitForSingleObject(ev, 0) == WAIT_TIMEOUT, "the new event is not signalled");
    tp_check(up->lpWPUSetEvent(ev, &err) == TRUE, "WPUSetEvent");
    tp_check(WaitForSingleObject(ev, 0) == WAIT_OBJECT_0 && WaitForSingleObject(ev, 0) == WAIT_OBJECT_0,
             "the event is signalled and manual-reset");
    tp_check(up->lpWPUResetEvent(ev, &err) == TRUE && WaitForSingleObject(ev, 0) == WAIT_TIMEOUT, "WPUResetEvent");
    tp_check(up->lpWPUCloseEvent(ev, &err) == TRUE, "WPUCloseEvent");
    err = 0;
    tp_check(up->lpWPUSetEvent(NULL, &err) == FALSE && err == WSA_INVALID_HANDLE,
             "WPUSetEvent(NULL): FALSE, WSA_INVALID_HANDLE (%d)", err);
    err = 0;
    tp_check(up->lpWPUCloseEvent(WSA_INVALID_EVENT, &err) == FALSE && err == WSA_INVALID_HANDLE,
             "WPUCloseEvent(WSA_INVALID_EVENT): FALSE, WSA_INVALID_HANDLE (%d)", err);
}

static void test_threads(const WSPUPCALLTABLE *up)
{
    WSATHREADID tid;
    struct remote_apc r;
    HANDLE th;
    int err = 0;

    memset(&tid, 0, sizeof(tid));
    tp_check(up->lpWPUOpenCurrentThread(&tid, &err) == 0 && tid.ThreadHandle, "WPUOpenCurrentThread");
    apc_calls = 0;
    tp_check(up->lpWPUQueueApc(&tid, user_apc, 1234, &err) == 0, "WPUQueueApc to this thread");
    tp_check(apc_calls == 0, "the APC waits for an alertable wait");
    SleepEx(0, TRUE);
    tp_check(apc_calls == 1 && apc_context == 1234 && apc_thread == GetCurrentThreadId(),
             "the APC ran once, in this thread, with its context (%ld, %#llx)", apc_calls,
             (unsigned long long)apc_context);

    r.up = up;
    r.target = tid;
    th = CreateThread(NULL, 0, remote_queue, &r, 0, NULL);
    WaitForSingleObject(th, 10000);
    CloseHandle(th);
    tp_check(r.ret == 0, "WPUQueueApc from another thread (%d, error %d)", r.ret, r.err);
    SleepEx(0, TRUE);
    tp_check(apc_calls == 2 && apc_context == 0xabcd && apc_thread == GetCurrentThreadId(),
             "the other thread's APC ran in the target thread");

    err = 0;
    tp_check(up->lpWPUQueueApc(NULL, user_apc, 1, &err) == SOCKET_ERROR && err == WSAEFAULT,
             "WPUQueueApc(NULL thread): WSAEFAULT (%d)", err);
    err = 0;
    tp_check(up->lpWPUQueueApc(&tid, NULL, 1, &err) == SOCKET_ERROR && err == WSAEFAULT,
             "WPUQueueApc(NULL routine): WSAEFAULT (%d)", err);
    tp_check(up->lpWPUCloseThread(&tid, &err) == 0 && !tid.ThreadHandle, "WPUCloseThread");
    err = 0;
    tp_check(up->lpWPUOpenCurrentThread(NULL, &err) == SOCKET_ERROR && err == WSAEFAULT,
             "WPUOpenCurrentThread(NULL): WSAEFAULT (%d)", err);
}

static void test_paths(const WSPUPCALLTABLE *up)
{
    WCHAR buf[MAX_PATH], expect[MAX_PATH], *slash;
    int len = MAX_PATH, err = 0;
    GUID unknown = { 0x12345678, 0x1234, 0x1234, { 1, 2, 3, 4, 5, 6, 7, 8 } };

    GetModuleFileNameW(NULL, expect, MAX_PATH);
    if ((slash = wcsrchr(expect, L'\\'))) slash[1] = 0;
    wcscat(expect, L"tp_nifs.dll");
    tp_check(up->lpWPUGetProviderPath(&tp_entries[TP_NIFS].guid, buf, &len, &err) == 0,
             "WPUGetProviderPath(non-IFS provider)");
    tp_check(!lstrcmpiW(buf, expect) && len == (int)wcslen(expect) + 1, "path is %ls (length %d)", buf, len);
    len = 3;
    err = 0;
    tp_check(up->lpWPUGetProviderPath(&tp_entries[TP_NIFS].guid, buf, &len, &err) == SOCKET_ERROR &&
                 err == WSAEFAULT && len == (int)wcslen(expect) + 1,
             "too small a buffer: WSAEFAULT and the needed length (%d, %d)", err, len);
    len = MAX_PATH;
    err = 0;
    tp_check(up->lpWPUGetProviderPath(&unknown, buf, &len, &err) == SOCKET_ERROR && err == WSAEINVAL,
             "unknown provider id: WSAEINVAL (%d)", err);
    len = MAX_PATH;
    err = 0;
    tp_check(up->lpWPUGetProviderPath(&tp_entries[TP_ENVPATH].guid, buf, &len, &err) == 0 &&
                 !lstrcmpW(buf, L"%OPENWS2_TP_DIR%\\tp_ifs.dll"),
             "WPUGetProviderPath keeps environment strings unexpanded: %ls", err ? L"" : buf);
    len = MAX_PATH;
    err = 0;
    tp_check(WPUGetProviderPathEx(&tp_entries[TP_IFS].guid, buf, &len, &err) == 0 && wcsstr(buf, L"tp_ifs.dll"),
             "WPUGetProviderPathEx(IFS provider): %ls", err ? L"" : buf);
}

static void test_misc(const WSPUPCALLTABLE *up, DWORD catalog_id)
{
    LPBLOCKINGCALLBACK cb = (LPBLOCKINGCALLBACK)1;
    DWORD_PTR ctx = 1;
    int err = 0;
    fd_set set;
    MSG msg;

    tp_check(up->lpWPUQueryBlockingCallback(catalog_id, &cb, &ctx, &err) == 0 && cb == NULL,
             "WPUQueryBlockingCallback: no callback for a Winsock 2.2 application");
    err = 0;
    tp_check(up->lpWPUQueryBlockingCallback(0xdeadbeef, &cb, &ctx, &err) == SOCKET_ERROR && err == WSAEINVAL,
             "WPUQueryBlockingCallback(unknown catalog entry): WSAEINVAL (%d)", err);
    err = 0;
    tp_check(up->lpWPUQueryBlockingCallback(catalog_id, NULL, &ctx, &err) == SOCKET_ERROR && err == WSAEFAULT,
             "WPUQueryBlockingCallback(NULL): WSAEFAULT (%d)", err);

    FD_ZERO(&set);
    set.fd_array[0] = 0x100;
    set.fd_array[1] = 0x204;
    set.fd_count = 2;
    tp_check(up->lpWPUFDIsSet(0x204, &set) != 0 && up->lpWPUFDIsSet(0x208, &set) == 0, "WPUFDIsSet");

    PeekMessageW(&msg, NULL, 0, 0, PM_NOREMOVE); /* makes this thread's queue */
    tp_check(up->lpWPUPostMessage(NULL, WM_APP + 7, 11, 22) == TRUE, "WPUPostMessage to the thread queue");
    tp_check(PeekMessageW(&msg, NULL, WM_APP + 7, WM_APP + 7, PM_REMOVE) && msg.wParam == 11 && msg.lParam == 22,
             "the message arrived with its parameters");
}

/* GetQueuedCompletionStatus with a short timeout: returns ok, fills the rest. */
static BOOL dequeue(HANDLE port, DWORD *bytes, ULONG_PTR *key, OVERLAPPED **ov, DWORD *gle)
{
    BOOL ok;
    *ov = NULL;
    *bytes = 0xffffffff;
    ok = GetQueuedCompletionStatus(port, bytes, key, ov, 1000);
    *gle = ok ? 0 : GetLastError();
    return ok;
}

static void test_handles(const WSPUPCALLTABLE *up_ifs, DWORD ifs_id, const WSPUPCALLTABLE *up, DWORD nifs_id)
{
    SOCKET s, s2, ifs;
    DWORD_PTR ctx = 0;
    HANDLE port, pipe, ev;
    WSAOVERLAPPED ov, *got;
    DWORD bytes, gle;
    ULONG_PTR key;
    int err = 0, ret;
    char buf[16];

    s = up->lpWPUCreateSocketHandle(nifs_id, 0xc0ffee, &err);
    s2 = up->lpWPUCreateSocketHandle(nifs_id, 0xbeef, &err);
    tp_check(s != INVALID_SOCKET && s2 != INVALID_SOCKET && s != s2, "WPUCreateSocketHandle: two distinct handles");
    tp_check(up->lpWPUQuerySocketHandleContext(s, &ctx, &err) == 0 && ctx == 0xc0ffee,
             "WPUQuerySocketHandleContext gives the context back (%#llx)", (unsigned long long)ctx);
    err = 0;
    tp_check(up->lpWPUCreateSocketHandle(0xdeadbeef, 1, &err) == INVALID_SOCKET && err == WSAEINVAL,
             "WPUCreateSocketHandle(unknown catalog entry): WSAEINVAL (%d)", err);

    port = CreateIoCompletionPort((HANDLE)s, NULL, 77, 0);
    tp_check(port != NULL, "the non-IFS handle can be associated with a completion port");
    {
        OVERLAPPED fov;
        DWORD done = 0;
        BOOL ok;
        memset(&fov, 0, sizeof(fov));
        fov.hEvent = (HANDLE)((ULONG_PTR)CreateEventW(NULL, TRUE, FALSE, NULL) | 1); /* no packet */
        ok = WriteFile((HANDLE)s, "data", 4, &done, &fov);
        gle = ok ? 0 : GetLastError();
        /* Redirected to the provider's WSPSend/WSPRecv (src/nonifs/nonifs_ifsl.c), which answer WSAENOTSOCK
         * for a handle that no WSPSocket of theirs made: the request fails with the provider's error. */
        tp_check(!ok && gle == WSAENOTSOCK,
                 "WriteFile on a non-IFS socket reaches the provider's WSPSend (its error %lu, WSAENOTSOCK)",
                 (unsigned long)gle);
        ok = ReadFile((HANDLE)s, buf, sizeof(buf), &done, &fov);
        gle = ok ? 0 : GetLastError();
        tp_check(!ok && gle == WSAENOTSOCK, "ReadFile on a non-IFS socket reaches the provider's WSPRecv (its error %lu, "
                 "WSAENOTSOCK)", (unsigned long)gle);
        CloseHandle((HANDLE)((ULONG_PTR)fov.hEvent & ~(ULONG_PTR)1));
    }

    memset(&ov, 0, sizeof(ov));
    ov.Internal = WSS_OPERATION_IN_PROGRESS;
    ret = WPUCompleteOverlappedRequest(s, &ov, 0, 1234, &err);
    tp_check(ret == 0, "WPUCompleteOverlappedRequest(success, 1234 bytes)");
    tp_check(ov.Internal != WSS_OPERATION_IN_PROGRESS && ov.InternalHigh == 1234,
             "Internal no longer in progress, InternalHigh = 1234 (%lu)", (unsigned long)ov.InternalHigh);
    tp_check(dequeue(port, &bytes, &key, &got, &gle) && bytes == 1234 && key == 77 && got == &ov,
             "completion packet: TRUE, 1234 bytes, key 77, our OVERLAPPED (%lu, %lu)", (unsigned long)bytes,
             (unsigned long)gle);

    memset(&ov, 0, sizeof(ov));
    ov.OffsetHigh = WSAECONNRESET; /* where the provider keeps the error */
    ret = WPUCompleteOverlappedRequest(s, &ov, WSAECONNRESET, 0, &err);
    tp_check(ret == 0, "WPUCompleteOverlappedRequest(WSAECONNRESET, 0 bytes)");
    tp_check(!dequeue(port, &bytes, &key, &got, &gle) && got == &ov && bytes == 0 && gle == WSAECONNRESET,
             "completion packet: FALSE, 0 bytes, GetLastError() = WSAECONNRESET (%lu)", (unsigned long)gle);

    memset(&ov, 0, sizeof(ov));
    ov.OffsetHigh = WSAEMSGSIZE;
    ret = WPUCompleteOverlappedRequest(s, &ov, WSAEMSGSIZE, 100, &err);
    tp_check(ret == 0 && dequeue(port, &bytes, &key, &got, &gle) == TRUE && got == &ov && bytes == 100,
             "error with bytes: the packet carries exactly 100 bytes (%lu)", (unsigned long)bytes);
    tp_check(ov.OffsetHigh == WSAEMSGSIZE && ov.InternalHigh == 100,
             "... and the error stays in OffsetHigh for WSPGetOverlappedResult");

    memset(&ov, 0, sizeof(ov));
    ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    ov.hEvent = (HANDLE)((ULONG_PTR)ev | 1);
    ret = WPUCompleteOverlappedRequest(s, &ov, 0, 9, &err);
    tp_check(ret == 0 && WaitForSingleObject(ev, 0) == WAIT_OBJECT_0 && ov.InternalHigh == 9,
             "hEvent with the low bit set: the event is signalled");
    bytes = 0;
    tp_check(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 200) && GetLastError() == WAIT_TIMEOUT,
             "... and no completion packet is queued");

    memset(&ov, 0, sizeof(ov));
    ResetEvent(ev);
    ov.hEvent = ev;
    ret = WPUCompleteOverlappedRequest(s2, &ov, WSAECONNABORTED, 0, &err);
    tp_check(ret == 0 && WaitForSingleObject(ev, 0) == WAIT_OBJECT_0 && ov.InternalHigh == 0 &&
                 ov.Internal != WSS_OPERATION_IN_PROGRESS,
             "handle without a port: the event is signalled");
    CloseHandle(ev);

    err = 0;
    tp_check(WPUCompleteOverlappedRequest(s, NULL, 0, 0, &err) == SOCKET_ERROR && err == WSAEFAULT,
             "WPUCompleteOverlappedRequest(NULL OVERLAPPED): WSAEFAULT (%d)", err);
    err = 0;
    tp_check(WPUCompleteOverlappedRequest(s, (WSAOVERLAPPED *)(ULONG_PTR)0x10, 0, 0, &err) == SOCKET_ERROR &&
                 err == WSAEFAULT,
             "WPUCompleteOverlappedRequest(unmapped OVERLAPPED): WSAEFAULT (%d)", err);
    err = 0;
    tp_check(WPUCompleteOverlappedRequest((SOCKET)0x7ff0, &ov, 0, 0, &err) == SOCKET_ERROR && err == WSAEINVAL,
             "WPUCompleteOverlappedRequest(not a ws2_32 handle): WSAEINVAL (%d)", err);

    /* IFS registration. */
    pipe = CreateNamedPipeW(L"\\\\.\\pipe\\openws2-upcall-test", PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                            PIPE_TYPE_BYTE, 1, 4096, 4096, 0, NULL);
    ifs = up_ifs->lpWPUModifyIFSHandle(ifs_id, (SOCKET)pipe, &err);
    tp_check(pipe != INVALID_HANDLE_VALUE && ifs == (SOCKET)pipe, "WPUModifyIFSHandle gives the handle back");
    err = 0;
    tp_check(WPUCompleteOverlappedRequest(ifs, &ov, 0, 0, &err) == SOCKET_ERROR && err == WSAEINVAL,
             "WPUCompleteOverlappedRequest(IFS socket): WSAEINVAL (%d)", err);
    err = 0;
    tp_check(up->lpWPUQuerySocketHandleContext(ifs, &ctx, &err) == SOCKET_ERROR && err == WSAENOTSOCK,
             "WPUQuerySocketHandleContext(IFS socket): WSAENOTSOCK (%d)", err);
    err = 0;
    tp_check(up->lpWPUCloseSocketHandle(ifs, &err) == SOCKET_ERROR && err == WSAENOTSOCK,
             "WPUCloseSocketHandle(IFS socket): WSAENOTSOCK (%d)", err);
    /* A layer registering the same handle with its own catalog entry takes the socket over: the
     * socket API now reaches the layer (here: the non-IFS provider, which does not know the handle). */
    tp_check(up->lpWPUModifyIFSHandle(nifs_id, (SOCKET)pipe, &err) == (SOCKET)pipe,
             "WPUModifyIFSHandle of the same handle by another entry (a layer)");
    tp_log_reset(TP_IFS);
    tp_log_reset(TP_NIFS);
    closesocket((SOCKET)pipe);
    {
        char *log_ifs = tp_log_get(TP_IFS), *log_nifs = tp_log_get(TP_NIFS);
        tp_check(log_nifs && tp_log_count(log_nifs, "WSPCloseSocket") == 1 && log_ifs &&
                     tp_log_count(log_ifs, "WSPCloseSocket") == 0,
                 "closesocket reaches the layer that registered the handle last, not the one below");
        free(log_ifs);
        free(log_nifs);
    }
    err = 0;
    tp_check(up_ifs->lpWPUModifyIFSHandle(ifs_id, INVALID_SOCKET, &err) == INVALID_SOCKET && err == WSAEINVAL,
             "WPUModifyIFSHandle(INVALID_SOCKET): WSAEINVAL (%d)", err);
    err = 0;
    tp_check(up_ifs->lpWPUModifyIFSHandle(0xdeadbeef, (SOCKET)pipe, &err) == INVALID_SOCKET && err == WSAEINVAL,
             "WPUModifyIFSHandle(unknown catalog entry): WSAEINVAL (%d)", err);

    tp_check(up->lpWPUCloseSocketHandle(s, &err) == 0, "WPUCloseSocketHandle");
    err = 0;
    tp_check(up->lpWPUCloseSocketHandle(s, &err) == SOCKET_ERROR && err == WSAENOTSOCK,
             "WPUCloseSocketHandle again: WSAENOTSOCK (%d)", err);
    err = 0;
    tp_check(up->lpWPUQuerySocketHandleContext(s, &ctx, &err) == SOCKET_ERROR && err == WSAENOTSOCK,
             "WPUQuerySocketHandleContext after close: WSAENOTSOCK (%d)", err);
    tp_check(up->lpWPUCloseSocketHandle(s2, &err) == 0, "WPUCloseSocketHandle (second handle)");
    CloseHandle(port);
}

/* Several threads completing requests on their own handles while another creates and closes
 * handles: every packet must carry exactly its request's count and status. */
struct stress
{
    const WSPUPCALLTABLE *up;
    DWORD catalog_id;
    volatile LONG *stop;
    int bad, done;
};

#define STRESS_ROUNDS 1500

static DWORD WINAPI stress_completer(void *param)
{
    struct stress *st = param;
    WSAOVERLAPPED ov, *got;
    DWORD bytes, i, want_err;
    ULONG_PTR key;
    HANDLE port;
    int err = 0;
    BOOL ok;
    SOCKET s = st->up->lpWPUCreateSocketHandle(st->catalog_id, 1, &err);

    if (s == INVALID_SOCKET || !(port = CreateIoCompletionPort((HANDLE)s, NULL, (ULONG_PTR)s, 0)))
    {
        st->bad = -1;
        return 0;
    }
    for (i = 0; i < STRESS_ROUNDS; i++)
    {
        memset(&ov, 0, sizeof(ov));
        want_err = i % 3 == 0 ? WSAECONNRESET : 0;
        if (WPUCompleteOverlappedRequest(s, &ov, want_err, want_err ? 0 : i, &err))
        {
            st->bad++;
            continue;
        }
        got = NULL;
        ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, 2000);
        if (got != &ov || key != (ULONG_PTR)s || (want_err ? ok || GetLastError() != want_err || bytes : !ok || bytes != i))
            st->bad++;
        st->done++;
    }
    st->up->lpWPUCloseSocketHandle(s, &err);
    CloseHandle(port);
    return 0;
}

static DWORD WINAPI stress_churn(void *param)
{
    struct stress *st = param;
    int err = 0;
    while (!*st->stop)
    {
        SOCKET s = st->up->lpWPUCreateSocketHandle(st->catalog_id, 2, &err);
        WSAOVERLAPPED ov;
        memset(&ov, 0, sizeof(ov));
        if (s == INVALID_SOCKET)
        {
            st->bad++;
            continue;
        }
        WPUCompleteOverlappedRequest(s, &ov, 0, 1, &err);
        if (st->up->lpWPUCloseSocketHandle(s, &err)) st->bad++;
        st->done++;
    }
    return 0;
}

static void test_stress(const WSPUPCALLTABLE *up, DWORD catalog_id)
{
    struct stress st[5];
    HANDLE th[5];
    volatile LONG stop = 0;
    int i, bad = 0, done = 0;

    for (i = 0; i < 5; i++)
    {
        st[i].up = up;
        st[i].catalog_id = catalog_id;
        st[i].stop = &stop;
        st[i].bad = st[i].done = 0;
        th[i] = CreateThread(NULL, 0, i < 4 ? stress_completer : stress_churn, &st[i], 0, NULL);
    }
    WaitForMultipleObjects(4, th, TRUE, 60000);
    InterlockedExchange((LONG *)&stop, 1);
    WaitForSingleObject(th[4], 10000);
    for (i = 0; i < 5; i++)
    {
        CloseHandle(th[i]);
        bad += st[i].bad;
        if (i < 4) done += st[i].done;
    }
    tp_check(!bad && done == 4 * STRESS_ROUNDS,
             "4 threads x %d completions with handles churning alongside (%d churned): %d wrong", STRESS_ROUNDS,
             st[4].done, bad);
}

static void test_wah(void)
{
    HANDLE apc = NULL, helper = NULL, port;
    WSATHREADID tid;
    SOCKET s = INVALID_SOCKET;
    WSAOVERLAPPED ov, *got;
    DWORD bytes, gle;
    ULONG_PTR key;

    tp_check(WahOpenApcHelper(&apc) == 0 && apc, "WahOpenApcHelper");
    memset(&tid, 0, sizeof(tid));
    tp_check(WahOpenCurrentThread(apc, &tid) == 0 && tid.ThreadHandle, "WahOpenCurrentThread");
    apc_calls = 0;
    tp_check(WahQueueUserApc(apc, &tid, user_apc, 99) == 0, "WahQueueUserApc");
    SleepEx(0, TRUE);
    tp_check(apc_calls == 1 && apc_context == 99, "the APC ran");
    tp_check(WahCloseThread(apc, &tid) == 0, "WahCloseThread");
    tp_check(WahCloseApcHelper(apc) == 0, "WahCloseApcHelper");
    tp_check(WahOpenCurrentThread(NULL, &tid) != 0, "WahOpenCurrentThread without a helper fails");

    tp_check(WahOpenHandleHelper(&helper) == 0 && helper, "WahOpenHandleHelper");
    tp_check(WahCreateSocketHandle(helper, &s) == 0 && s != INVALID_SOCKET, "WahCreateSocketHandle");
    port = CreateIoCompletionPort((HANDLE)s, NULL, 5, 0);
    memset(&ov, 0, sizeof(ov));
    tp_check(port && WahCompleteRequest(helper, s, &ov, WSAECONNABORTED, 0) == 0, "WahCompleteRequest(error)");
    tp_check(!dequeue(port, &bytes, &key, &got, &gle) && got == &ov && gle == WSAECONNABORTED && key == 5,
             "completion packet with GetLastError() = WSAECONNABORTED (%lu)", (unsigned long)gle);
    memset(&ov, 0, sizeof(ov));
    tp_check(WahCompleteRequest(helper, s, &ov, 0, 4096) == 0 && dequeue(port, &bytes, &key, &got, &gle) &&
                 bytes == 4096,
             "WahCompleteRequest(4096 bytes): packet with 4096 bytes (%lu)", (unsigned long)bytes);
    tp_check(WahCloseSocketHandle(helper, s) == 0, "WahCloseSocketHandle");
    tp_check(WahCloseSocketHandle(helper, s) == ERROR_INVALID_HANDLE, "WahCloseSocketHandle again: ERROR_INVALID_HANDLE");
    memset(&ov, 0, sizeof(ov));
    tp_check(WahCompleteRequest(helper, s, &ov, 0, 1) == ERROR_INVALID_HANDLE,
             "WahCompleteRequest on a closed handle: ERROR_INVALID_HANDLE");
    tp_check(WahCloseHandleHelper(helper) == 0, "WahCloseHandleHelper");
    if (port) CloseHandle(port);
    tp_check(WahEnableNonIFSHandleSupport() == 0, "WahEnableNonIFSHandleSupport: always available");
    tp_check(WahDisableNonIFSHandleSupport() == ERROR_NOT_SUPPORTED,
             "WahDisableNonIFSHandleSupport: ERROR_NOT_SUPPORTED (cannot be turned off)");
}

struct sync_wait
{
    HANDLE helper, handle;
    DWORD result;
};

static DWORD WINAPI sync_waiter(void *param)
{
    struct sync_wait *w = param;
    w->result = WahWaitForNotification(w->helper, w->handle, NULL, NULL);
    return 0;
}

static void CALLBACK notify_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)error; (void)bytes; (void)ov; (void)flags;
}

static void test_wah_notify(void)
{
    HANDLE helper = NULL, n1 = NULL, n2 = NULL, n3 = NULL, th;
    struct sync_wait w;
    WSAOVERLAPPED ov;
    DWORD r;

    tp_check(WahOpenNotificationHandleHelper(&helper) == 0 && helper, "WahOpenNotificationHandleHelper");
    tp_check(WahCreateNotificationHandle(helper, &n1) == 0 && WahCreateNotificationHandle(helper, &n2) == 0,
             "WahCreateNotificationHandle x2");
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    r = WahWaitForNotification(helper, n1, &ov, NULL);
    tp_check(r == ERROR_IO_PENDING, "overlapped WahWaitForNotification pends (%lu)", (unsigned long)r);
    w.helper = helper;
    w.handle = n2;
    w.result = 12345;
    th = CreateThread(NULL, 0, sync_waiter, &w, 0, NULL);
    tp_check(WaitForSingleObject(ov.hEvent, 300) == WAIT_TIMEOUT && WaitForSingleObject(th, 0) == WAIT_TIMEOUT,
             "both waits wait while nobody notifies");
    tp_check(WahNotifyAllProcesses(helper) == 0, "WahNotifyAllProcesses");
    tp_check(WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0, "the overlapped wait completed");
    tp_check(WaitForSingleObject(th, 5000) == WAIT_OBJECT_0 && w.result == 0, "the synchronous wait returned (%lu)",
             (unsigned long)w.result);
    CloseHandle(th);

    /* A notification sent before a handle's first wait is kept for that wait. */
    tp_check(WahCreateNotificationHandle(helper, &n3) == 0, "WahCreateNotificationHandle (third)");
    tp_check(WahNotifyAllProcesses(helper) == 0, "WahNotifyAllProcesses with no wait outstanding");
    w.handle = n3;
    w.result = 12345;
    th = CreateThread(NULL, 0, sync_waiter, &w, 0, NULL);
    tp_check(WaitForSingleObject(th, 5000) == WAIT_OBJECT_0 && w.result == 0,
             "the new handle's first wait returns at once with the kept notification");
    CloseHandle(th);
    /* A handle that has waited before waits for the next notification. */
    w.handle = n2;
    w.result = 12345;
    th = CreateThread(NULL, 0, sync_waiter, &w, 0, NULL);
    tp_check(WaitForSingleObject(th, 300) == WAIT_TIMEOUT, "a handle that waited before waits again");
    tp_check(WahNotifyAllProcesses(helper) == 0 && WaitForSingleObject(th, 5000) == WAIT_OBJECT_0 && w.result == 0,
             "... until the next notification");
    CloseHandle(th);
    ResetEvent(ov.hEvent);
    r = WahWaitForNotification(helper, n1, &ov, NULL);
    tp_check(r == ERROR_IO_PENDING && WaitForSingleObject(ov.hEvent, 300) == WAIT_TIMEOUT,
             "a re-armed overlapped wait pends again (%lu)", (unsigned long)r);
    tp_check(WahNotifyAllProcesses(helper) == 0 && WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0,
             "and completes at the next notification");
    tp_check(WahWaitForNotification(helper, n1, &ov, notify_routine) == ERROR_NOT_SUPPORTED,
             "completion routines: ERROR_NOT_SUPPORTED");
    tp_check(WahWaitForNotification(NULL, n1, &ov, NULL) == ERROR_INVALID_PARAMETER,
             "WahWaitForNotification without a helper: ERROR_INVALID_PARAMETER");
    CloseHandle(ov.hEvent);
    CloseHandle(n1);
    CloseHandle(n2);
    CloseHandle(n3);
    tp_check(WahCloseNotificationHandleHelper(helper) == 0, "WahCloseNotificationHandleHelper");
}

int main(void)
{
    const WSPUPCALLTABLE *up_ifs, *up_nifs;
    DWORD ifs_id = 0, nifs_id = 0;
    WSADATA data;
    int err;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (!tp_check(tp_install() == 0, "test providers installed in the catalog")) return 1;
    tp_check(WSAProviderCompleteAsyncCall((HANDLE)1, 0) == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED,
             "WSAProviderCompleteAsyncCall before WSAStartup: WSANOTINITIALISED (%d)", WSAGetLastError());
    tp_check(WSAStartup(MAKEWORD(2, 2), &data) == 0, "WSAStartup");
    tp_check(WSAProviderCompleteAsyncCall(NULL, 0) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
             "WSAProviderCompleteAsyncCall(NULL): WSAEINVAL (%d)", WSAGetLastError());
    tp_check(WSAProviderCompleteAsyncCall((HANDLE)0x1234, 0) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
             "WSAProviderCompleteAsyncCall(no such call): WSAEINVAL (%d)", WSAGetLastError());
    err = tp_load(TP_IFS);
    tp_check(err == 0, "IFS provider loads (%d)", err);
    err = tp_load(TP_NIFS);
    tp_check(err == 0, "non-IFS provider loads (%d)", err);
    up_ifs = tp_get_upcalls(TP_IFS, &ifs_id);
    up_nifs = tp_get_upcalls(TP_NIFS, &nifs_id);
    if (tp_check(up_ifs && up_nifs, "both providers got an upcall table") &&
        tp_check(ifs_id == tp_entries[TP_IFS].info.dwCatalogEntryId &&
                     nifs_id == tp_entries[TP_NIFS].info.dwCatalogEntryId,
                 "WSPStartup got the installed catalog entries (%lu, %lu)", (unsigned long)ifs_id,
                 (unsigned long)nifs_id))
    {
        test_events(up_nifs);
        test_threads(up_nifs);
        test_paths(up_nifs);
        test_misc(up_nifs, nifs_id);
        test_handles(up_ifs, ifs_id, up_nifs, nifs_id);
        test_stress(up_nifs, nifs_id);
    }
    test_wah();
    test_wah_notify();
    tp_pin(TP_NIFS);
    tp_check(WSACleanup() == 0, "WSACleanup");
    if (up_nifs)
    {
        char *log;
        SOCKET s;
        err = 0;
        tp_log_reset(TP_NIFS);
        s = up_nifs->lpWPUCreateSocketHandle(nifs_id, 1, &err);
        log = tp_log_get(TP_NIFS);
        tp_check(s == INVALID_SOCKET && err == WSAEINVAL && log && !tp_log_count(log, "WSPStartup"),
                 "an upcall after the last WSACleanup does not load the provider again (%d)", err);
        free(log);
    }
    tp_uninstall();
    printf("%s: %d failure(s)\n", tp_failures ? "FAIL" : "PASS", tp_failures);
    return tp_failures ? 1 : 0;
}
