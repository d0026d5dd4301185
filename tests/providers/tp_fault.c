/* tp_fault.c - tp_fault.dll, a hostile non-IFS transport provider for the reliability tests
 * (tests/e2e/rel_e2e.c): what it does wrong is chosen per call by the environment variable
 * TP_FAULT of the process, read at every call:
 *   (unset)       behaves: WPUCreateSocketHandle sockets, WSPSend takes everything, WSPRecv answers 0
 *   block         WSPSend / WSPRecv block until tp_fault_release() is called (then WSAECONNRESET)
 *   err_neg       every call fails with error -7; err_big: 0x12345; err_zero: SOCKET_ERROR and error 0;
 *                 err_unset: SOCKET_ERROR without writing lpErrno
 *   sock_garbage  WSPSocket "succeeds" with a made-up value that no upcall produced
 *   sock_event    WSPSocket "succeeds" with a bare event handle (no WPUCreateSocketHandle)
 *   holes         WSPStartup returns a table with WSPSend and WSPIoctl NULL (read at WSPStartup)
 *   nulllater     WSPSend succeeds and then clears WSPRecv and WSPSend in the table WSPStartup filled
 *                 (a provider that keeps the caller's table pointer and scribbles on it)
 * Other members fail with WSAEOPNOTSUPP. Imports kernel32 only.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"

__declspec(dllexport) int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData,
                                            LPWSAPROTOCOL_INFOW lpProtocolInfo, WSPUPCALLTABLE UpcallTable,
                                            LPWSPPROC_TABLE lpProcTable);
__declspec(dllexport) void WINAPI tp_fault_release(void);
__declspec(dllexport) LONG WINAPI tp_fault_blocked(void);

static WSPUPCALLTABLE upcalls;
static DWORD catalog_id;
static LPWSPPROC_TABLE saved_table;
static HANDLE release_event;
static volatile LONG blocked;
static volatile LONG starts;

static BOOL mode_is(const char *m)
{
    char buf[32];
    DWORD n = GetEnvironmentVariableA("TP_FAULT", buf, sizeof(buf));
    return n && n < sizeof(buf) && !lstrcmpA(buf, m);
}

/* The error modes: TRUE when one applied (the caller returns SOCKET_ERROR / INVALID_SOCKET). */
static BOOL fault_error(LPINT err)
{
    if (mode_is("err_neg")) *err = -7;
    else if (mode_is("err_big")) *err = 0x12345;
    else if (mode_is("err_zero")) *err = 0;
    else if (!mode_is("err_unset")) return FALSE;
    return TRUE;
}

static int unsupported(LPINT err)
{
    if (err && !fault_error(err)) *err = WSAEOPNOTSUPP;
    return SOCKET_ERROR;
}

static int block_here(LPINT err)
{
    InterlockedIncrement(&blocked);
    WaitForSingleObject(release_event, INFINITE);
    InterlockedDecrement(&blocked);
    *err = WSAECONNRESET;
    return SOCKET_ERROR;
}

void WINAPI tp_fault_release(void)
{
    if (release_event) SetEvent(release_event);
}

LONG WINAPI tp_fault_blocked(void)
{
    return blocked;
}

static SOCKET WSPAPI f_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g, DWORD flags,
                              LPINT err)
{
    (void)af; (void)type; (void)protocol; (void)info; (void)g; (void)flags;
    if (fault_error(err)) return INVALID_SOCKET;
    if (mode_is("sock_garbage")) return (SOCKET)(ULONG_PTR)0x7ff0;
    if (mode_is("sock_event")) return (SOCKET)CreateEventW(NULL, TRUE, FALSE, NULL);
    return upcalls.lpWPUCreateSocketHandle(catalog_id, 0x5a5a, err);
}

static int WSPAPI f_close(SOCKET s, LPINT err)
{
    if (fault_error(err)) return SOCKET_ERROR;
    return upcalls.lpWPUCloseSocketHandle(s, err) ? SOCKET_ERROR : 0;
}

static int WSPAPI f_cleanup(LPINT err)
{
    (void)err;
    return 0;
}

static int WSPAPI f_send(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD done, DWORD flags, LPWSAOVERLAPPED ov,
                         LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT err)
{
    DWORD i, total = 0;
    (void)s; (void)flags; (void)ov; (void)cr; (void)tid;
    if (fault_error(err)) return SOCKET_ERROR;
    if (mode_is("block")) return block_here(err);
    for (i = 0; i < n; i++) total += bufs[i].len;
    if (done) *done = total;
    if (mode_is("nulllater") && saved_table)
    {
        saved_table->lpWSPRecv = NULL;
        saved_table->lpWSPSend = NULL;
    }
    return 0;
}

static int WSPAPI f_recv(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD done, LPDWORD flags, LPWSAOVERLAPPED ov,
                         LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT err)
{
    (void)s; (void)bufs; (void)n; (void)flags; (void)ov; (void)cr; (void)tid;
    if (fault_error(err)) return SOCKET_ERROR;
    if (mode_is("block")) return block_here(err);
    if (done) *done = 0;
    return 0;
}

static int WSPAPI f_sendto(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD done, DWORD flags, const struct sockaddr *to,
                           int tolen, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid,
                           LPINT err)
{
    (void)to; (void)tolen;
    return f_send(s, bufs, n, done, flags, ov, cr, tid, err);
}

static int WSPAPI f_recvfrom(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD done, LPDWORD flags, struct sockaddr *from,
                             LPINT fromlen, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr,
                             LPWSATHREADID tid, LPINT err)
{
    (void)from; (void)fromlen;
    return f_recv(s, bufs, n, done, flags, ov, cr, tid, err);
}

static int WSPAPI f_bind(SOCKET s, const struct sockaddr *name, int len, LPINT err)
{
    (void)s; (void)name; (void)len;
    return unsupported(err);
}

static int WSPAPI f_listen(SOCKET s, int backlog, LPINT err)
{
    (void)s; (void)backlog;
    return unsupported(err);
}

static SOCKET WSPAPI f_accept(SOCKET s, struct sockaddr *addr, LPINT len, LPCONDITIONPROC cond, DWORD_PTR data,
                              LPINT err)
{
    (void)s; (void)addr; (void)len; (void)cond; (void)data;
    unsupported(err);
    return INVALID_SOCKET;
}

static int WSPAPI f_connect(SOCKET s, const struct sockaddr *name, int len, LPWSABUF caller, LPWSABUF callee,
                            LPQOS sqos, LPQOS gqos, LPINT err)
{
    (void)s; (void)name; (void)len; (void)caller; (void)callee; (void)sqos; (void)gqos;
    return unsupported(err);
}

static int WSPAPI f_name(SOCKET s, struct sockaddr *name, LPINT len, LPINT err)
{
    (void)s; (void)name; (void)len;
    return unsupported(err);
}

static int WSPAPI f_getsockopt(SOCKET s, int level, int name, char *val, LPINT len, LPINT err)
{
    (void)s; (void)level; (void)name; (void)val; (void)len;
    return unsupported(err);
}

static int WSPAPI f_setsockopt(SOCKET s, int level, int name, const char *val, int len, LPINT err)
{
    (void)s; (void)level; (void)name; (void)val; (void)len;
    return unsupported(err);
}

static int WSPAPI f_ioctl(SOCKET s, DWORD code, LPVOID in, DWORD inlen, LPVOID out, DWORD outlen, LPDWORD ret,
                          LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT err)
{
    (void)s; (void)code; (void)in; (void)inlen; (void)out; (void)outlen; (void)ret; (void)ov; (void)cr; (void)tid;
    return unsupported(err);
}

static int WSPAPI f_select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *const t, LPINT err)
{
    (void)n; (void)r; (void)w; (void)e; (void)t;
    return unsupported(err);
}

static int WSPAPI f_shutdown(SOCKET s, int how, LPINT err)
{
    (void)s; (void)how;
    return unsupported(err);
}

static int WSPAPI f_eventselect(SOCKET s, WSAEVENT ev, LONG events, LPINT err)
{
    (void)s; (void)ev; (void)events;
    return unsupported(err);
}

static int WSPAPI f_asyncselect(SOCKET s, HWND hwnd, unsigned int msg, LONG events, LPINT err)
{
    (void)s; (void)hwnd; (void)msg; (void)events;
    return unsupported(err);
}

/* The members no test calls: a function that fails (cast through void *, as tp_broken does). */
static int WSPAPI f_generic(void)
{
    return SOCKET_ERROR;
}

int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                      WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable)
{
    void **slot;
    size_t i;

    (void)wVersionRequested;
    if (!lpWSPData || !lpProcTable || !lpProtocolInfo) return WSAEFAULT;
    if (!release_event) release_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    InterlockedIncrement(&starts);
    upcalls = UpcallTable;
    catalog_id = lpProtocolInfo->dwCatalogEntryId;
    memset(lpWSPData, 0, sizeof(*lpWSPData));
    lpWSPData->wVersion = MAKEWORD(2, 2);
    lpWSPData->wHighVersion = MAKEWORD(2, 2);
    lstrcpyW(lpWSPData->szDescription, L"openws2 tp_fault");
    slot = (void **)lpProcTable;
    for (i = 0; i < sizeof(*lpProcTable) / sizeof(void *); i++) slot[i] = (void *)f_generic;
    lpProcTable->lpWSPSocket = f_socket;
    lpProcTable->lpWSPCloseSocket = f_close;
    lpProcTable->lpWSPCleanup = f_cleanup;
    lpProcTable->lpWSPBind = f_bind;
    lpProcTable->lpWSPListen = f_listen;
    lpProcTable->lpWSPAccept = f_accept;
    lpProcTable->lpWSPConnect = f_connect;
    lpProcTable->lpWSPSend = f_send;
    lpProcTable->lpWSPRecv = f_recv;
    lpProcTable->lpWSPSendTo = f_sendto;
    lpProcTable->lpWSPRecvFrom = f_recvfrom;
    lpProcTable->lpWSPGetSockName = f_name;
    lpProcTable->lpWSPGetPeerName = f_name;
    lpProcTable->lpWSPGetSockOpt = f_getsockopt;
    lpProcTable->lpWSPSetSockOpt = f_setsockopt;
    lpProcTable->lpWSPIoctl = f_ioctl;
    lpProcTable->lpWSPSelect = f_select;
    lpProcTable->lpWSPShutdown = f_shutdown;
    lpProcTable->lpWSPEventSelect = f_eventselect;
    lpProcTable->lpWSPAsyncSelect = f_asyncselect;
    if (mode_is("holes"))
    {
        lpProcTable->lpWSPSend = NULL;
        lpProcTable->lpWSPIoctl = NULL;
    }
    saved_table = lpProcTable;
    return 0;
}
