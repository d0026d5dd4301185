/* tp_ifs.c - tp_ifs.dll, openws2's recording IFS test transport provider.
 *
 * Sockets: AF_INET / SOCK_STREAM over named pipes, inside the process. Every socket is a real file
 * handle registered with WPUModifyIFSHandle, so ReadFile/WriteFile, CreateIoCompletionPort and
 * GetOverlappedResult work on it directly: WSPSocket makes a duplex overlapped pipe server instance
 * (\\.\pipe\openws2-tp-ifs-<pid>-<n>); bind gives a port (0: ephemeral from 45000), listen makes it
 * connectable; connect to 127.0.0.1:<port> of a listening socket opens the client end of the
 * connecting socket's own pipe, which WSPAccept registers (WPUModifyIFSHandle) and returns.
 * Overlapped WSPSend/WSPRecv (one WSABUF) are plain WriteFile/ReadFile with the caller's OVERLAPPED,
 * so the kernel signals the event / queues the completion packet itself; with a completion routine
 * they are WriteFileEx/ReadFileEx and the routine runs as an APC in the issuing thread.
 * Unsupported here (WSAEOPNOTSUPP, logged): shutdown, select, event select, async select, QOS,
 * duplicate, overlapped operations on more than one WSABUF.
 *
 * Log lines (format and knobs in tp_common.h, prefix OPENWS2_TP_IFS):
 *   WSPStartup requested=0x0202 catalog=<id> -> 0 version=0x0202 startups=<n>
 *   WSPSocket af=2 type=1 protocol=<p> -> <socket> err=<e>
 *   WPUModifyIFSHandle catalog=<id> handle=<h> -> <socket> err=<e>
 *   WSPBind / WSPListen / WSPConnect port= / WSPAccept -> <socket>
 *   WSPSend|WSPRecv s= bytes=<n> overlapped=<0|1> routine=<0|1> -> 0|-1 err=<e>
 *   WSPGetOverlappedResult s= ov= -> 1|0 bytes=<n> err=<e>
 *   WSPCloseSocket s= -> 0   WSPCleanup -> 0 startups=<n>
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "tp_sock.h"

#include <stdio.h>
#include <stdlib.h>

#define IFS_WAIT_MS 10000
#define IFS_PIPE_BUFFER 65536

struct ipend
{
    struct ipend *next;
    HANDLE client;
    u_short peer_port;
};

/* base.catalog_id: the entry the socket was made for (WPUModifyIFSHandle) */
struct isock
{
    struct tp_sock base; /* first: a struct tp_sock * of ours is a struct isock * */
    WCHAR pipe[80];
    struct ipend *backlog;
};

/* Completion routines of pending ReadFileEx/WriteFileEx requests, by OVERLAPPED. */
struct iroutine
{
    struct iroutine *next;
    LPWSAOVERLAPPED ov;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE cr;
};

static struct iroutine *routines;
static LONG pipe_serial;

TP_EXPORT int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable);

static int map_error(DWORD e)
{
    switch (e)
    {
    case ERROR_BROKEN_PIPE: case ERROR_NO_DATA: case ERROR_PIPE_NOT_CONNECTED: return WSAECONNRESET;
    case ERROR_OPERATION_ABORTED: return WSA_OPERATION_ABORTED;
    case ERROR_IO_INCOMPLETE: return WSA_IO_INCOMPLETE;
    case ERROR_IO_PENDING: return WSA_IO_PENDING;
    case ERROR_INVALID_HANDLE: return WSAENOTSOCK;
    case ERROR_NOT_ENOUGH_MEMORY: case ERROR_NO_SYSTEM_RESOURCES: return WSAENOBUFS;
    default: return WSAEINVAL;
    }
}

static struct isock *lookup(SOCKET s, int *err)
{
    struct isock *is = (struct isock *)tp_sock_find(s);
    if (!is) *err = WSAENOTSOCK;
    return is;
}

static struct tp_sock *lookup_base(SOCKET s, int *err)
{
    struct isock *is = lookup(s, err);
    return is ? &is->base : NULL;
}

/* Registers handle h with ws2_32 and records it (tp_cs held). */
static struct isock *add_socket(DWORD catalog_id, HANDLE h, const WCHAR *pipe, int *err)
{
    struct isock *is = calloc(1, sizeof(*is));
    int e = 0;
    SOCKET s;

    if (!is || !tp_sock_init(&is->base, catalog_id))
    {
        free(is);
        *err = WSAENOBUFS;
        return NULL;
    }
    s = tp_upcall.lpWPUModifyIFSHandle(catalog_id, (SOCKET)h, &e);
    tp_log("WPUModifyIFSHandle catalog=%lu handle=%p -> %#llx err=%d", (unsigned long)catalog_id, (void *)h,
           (unsigned long long)s, s == INVALID_SOCKET ? e : 0);
    if (s == INVALID_SOCKET)
    {
        tp_sock_release(&is->base);
        free(is);
        *err = e ? e : WSAENOBUFS;
        return NULL;
    }
    is->base.s = s;
    if (pipe) lstrcpynW(is->pipe, pipe, 80);
    tp_sock_link(&is->base);
    return is;
}

static int WSPAPI ifs_cleanup(LPINT lpErrno)
{
    return tp_cleanup(lpErrno);
}

static SOCKET WSPAPI ifs_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g, DWORD flags,
                                LPINT lpErrno)
{
    struct isock *is = NULL;
    WCHAR name[80];
    HANDLE h;
    int err = 0;

    (void)g; (void)flags;
    if ((err = tp_sock_socket_check(af, type, protocol, info))) ;
    else
    {
        char text[80];
        snprintf(text, sizeof(text), "\\\\.\\pipe\\openws2-tp-ifs-%lu-%ld", GetCurrentProcessId(),
                 InterlockedIncrement(&pipe_serial));
        MultiByteToWideChar(CP_ACP, 0, text, -1, name, 80);
        h = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
                             PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, 1, IFS_PIPE_BUFFER, IFS_PIPE_BUFFER, 0,
                             NULL);
        if (h == INVALID_HANDLE_VALUE) err = WSAENOBUFS;
        else
        {
            EnterCriticalSection(&tp_cs);
            is = add_socket(info ? info->dwCatalogEntryId : tp_catalog_id, h, name, &err);
            LeaveCriticalSection(&tp_cs);
            if (!is) CloseHandle(h);
        }
    }
    tp_log("WSPSocket af=%d type=%d protocol=%d -> %#llx err=%d", af, type, protocol,
           (unsigned long long)(is ? is->base.s : INVALID_SOCKET), err);
    return tp_sock_handle(is ? &is->base : NULL, err, lpErrno);
}

static int WSPAPI ifs_connect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller, LPWSABUF callee,
                              LPQOS sqos, LPQOS gqos, LPINT lpErrno)
{
    struct isock *is, *l = NULL;
    struct ipend *p, **tail;
    int err = 0;
    u_short port = 0;

    (void)caller; (void)callee; (void)sqos; (void)gqos;
    EnterCriticalSection(&tp_cs);
    /* an accepted socket (no pipe of its own) is connected: WSAEISCONN */
    if (!(is = lookup(s, &err))) ;
    else if ((err = tp_sock_connect_check(&is->base, name, namelen, &port))) ;
    else
    {
        if (!(l = (struct isock *)tp_sock_listener(port))) err = WSAECONNREFUSED;
        else if (!(p = calloc(1, sizeof(*p)))) err = WSAENOBUFS;
        else
        {
            OVERLAPPED ov;
            memset(&ov, 0, sizeof(ov));
            ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
            p->client = CreateFileW(is->pipe, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                                    FILE_FLAG_OVERLAPPED, NULL);
            if (p->client == INVALID_HANDLE_VALUE) err = WSAENOBUFS;
            else if (!ConnectNamedPipe((HANDLE)is->base.s, &ov) && GetLastError() != ERROR_PIPE_CONNECTED)
            {
                DWORD n;
                if (GetLastError() != ERROR_IO_PENDING || !GetOverlappedResult((HANDLE)is->base.s, &ov, &n, TRUE))
                    err = WSAECONNREFUSED;
            }
            if (ov.hEvent) CloseHandle(ov.hEvent);
            if (err)
            {
                if (p->client != INVALID_HANDLE_VALUE) CloseHandle(p->client);
                free(p);
            }
            else
            {
                if (is->base.state == TP_SOCK_NEW) is->base.port = tp_sock_ephemeral_port();
                is->base.state = TP_SOCK_CONNECTED;
                is->base.peer_port = port;
                p->peer_port = is->base.port;
                for (tail = &l->backlog; *tail; tail = &(*tail)->next) ;
                *tail = p;
                SetEvent(l->base.ready);
            }
        }
    }
    LeaveCriticalSection(&tp_cs);
    tp_log("WSPConnect s=%#llx port=%u -> %d err=%d", (unsigned long long)s, port, err ? -1 : 0, err);
    return err ? tp_fail(lpErrno, err) : 0;
}

static SOCKET WSPAPI ifs_accept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC cond, DWORD_PTR data,
                                LPINT lpErrno)
{
    struct isock *is, *acc = NULL;
    struct ipend *p;
    int err = 0;
    HANDLE ready;

    (void)cond; (void)data;
    for (;;)
    {
        ready = NULL;
        EnterCriticalSection(&tp_cs);
        if (!(is = lookup(s, &err))) ;
        else if (is->base.state != TP_SOCK_LISTENING) err = WSAEINVAL;
        else if (addr && (!addrlen || *addrlen < (int)sizeof(struct sockaddr_in))) err = WSAEFAULT;
        else if ((p = is->backlog))
        {
            is->backlog = p->next;
            if (!is->backlog) ResetEvent(is->base.ready);
            if ((acc = add_socket(is->base.catalog_id, p->client, NULL, &err)))
            {
                acc->base.state = TP_SOCK_CONNECTED;
                acc->base.port = is->base.port;
                acc->base.peer_port = p->peer_port;
                if (addr)
                    tp_loopback_address(addr, addrlen, p->peer_port);
            }
            else CloseHandle(p->client);
            free(p);
        }
        else if (is->base.nonblocking) err = WSAEWOULDBLOCK;
        else ready = is->base.ready;
        LeaveCriticalSection(&tp_cs);
        if (!ready) break;
        if (WaitForSingleObject(ready, IFS_WAIT_MS) != WAIT_OBJECT_0)
        {
            err = WSAETIMEDOUT;
            break;
        }
    }
    tp_log("WSPAccept s=%#llx -> %#llx err=%d", (unsigned long long)s,
           (unsigned long long)(acc ? acc->base.s : INVALID_SOCKET), err);
    return tp_sock_handle(acc ? &acc->base : NULL, err, lpErrno);
}

static void CALLBACK routine_trampoline(DWORD error, DWORD bytes, LPOVERLAPPED ov)
{
    struct iroutine **pp, *r;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE cr = NULL;

    EnterCriticalSection(&tp_cs);
    for (pp = &routines; (r = *pp); pp = &r->next)
        if (r->ov == ov)
        {
            *pp = r->next;
            cr = r->cr;
            free(r);
            break;
        }
    LeaveCriticalSection(&tp_cs);
    if (cr) cr(error ? (DWORD)map_error(error) : 0, bytes, ov, 0);
}

/* One transfer: synchronous (ov NULL), overlapped, or with a completion routine. */
static int transfer(BOOL send, SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD done, LPWSAOVERLAPPED ov,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE cr)
{
    HANDLE h = (HANDLE)s;
    DWORD i, total = 0, got;
    BOOL ok;

    if (!ov)
    {
        OVERLAPPED sync;
        int err = 0;
        memset(&sync, 0, sizeof(sync));
        if (!(sync.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL))) return WSAENOBUFS;
        for (i = 0; i < n && !err; i++)
        {
            got = 0;
            ok = send ? WriteFile(h, bufs[i].buf, bufs[i].len, NULL, &sync)
                      : ReadFile(h, bufs[i].buf, bufs[i].len, NULL, &sync);
            if (!ok && GetLastError() != ERROR_IO_PENDING) ok = FALSE;
            else ok = GetOverlappedResult(h, &sync, &got, TRUE);
            if (!ok)
            {
                if (!send && GetLastError() == ERROR_BROKEN_PIPE) break; /* peer closed: EOF */
                err = map_error(GetLastError());
            }
            total += got;
            if (!send && got < bufs[i].len) break;
        }
        CloseHandle(sync.hEvent);
        if (!err && done) *done = total;
        return err;
    }
    if (n != 1) return WSAEOPNOTSUPP;
    if (cr)
    {
        struct iroutine *r = malloc(sizeof(*r));
        if (!r) return WSAENOBUFS;
        r->ov = ov;
        r->cr = cr;
        EnterCriticalSection(&tp_cs);
        r->next = routines;
        routines = r;
        LeaveCriticalSection(&tp_cs);
        ok = send ? WriteFileEx(h, bufs[0].buf, bufs[0].len, ov, routine_trampoline)
                  : ReadFileEx(h, bufs[0].buf, bufs[0].len, ov, routine_trampoline);
        if (!ok)
        {
            DWORD e = GetLastError();
            EnterCriticalSection(&tp_cs);
            {
                struct iroutine **pp;
                for (pp = &routines; *pp; pp = &(*pp)->next)
                    if (*pp == r)
                    {
                        *pp = r->next;
                        break;
                    }
            }
            LeaveCriticalSection(&tp_cs);
            free(r);
            return map_error(e);
        }
        return WSA_IO_PENDING;
    }
    ok = send ? WriteFile(h, bufs[0].buf, bufs[0].len, NULL, ov) : ReadFile(h, bufs[0].buf, bufs[0].len, NULL, ov);
    if (ok)
    {
        if (done) *done = (DWORD)ov->InternalHigh;
        return 0;
    }
    return map_error(GetLastError());
}

static int WSPAPI ifs_send(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD sent, DWORD flags, LPWSAOVERLAPPED ov,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    struct isock *is;
    int err = 0;
    DWORD done = 0;

    (void)flags; (void)tid;
    EnterCriticalSection(&tp_cs);
    is = lookup(s, &err);
    if (is && is->base.state != TP_SOCK_CONNECTED) err = WSAENOTCONN;
    LeaveCriticalSection(&tp_cs);
    if (!err && !bufs && n) err = WSAEFAULT;
    if (!err) err = transfer(TRUE, s, bufs, n, &done, ov, cr);
    if (!err && sent) *sent = done;
    tp_log("WSPSend s=%#llx bytes=%lu overlapped=%d routine=%d -> %d err=%d", (unsigned long long)s,
           (unsigned long)done, ov != NULL, cr != NULL, err ? -1 : 0, err);
    return err ? tp_fail(lpErrno, err) : 0;
}

static int WSPAPI ifs_recv(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD got, LPDWORD flags, LPWSAOVERLAPPED ov,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    struct isock *is;
    int err = 0;
    DWORD done = 0;

    (void)tid;
    EnterCriticalSection(&tp_cs);
    is = lookup(s, &err);
    if (is && is->base.state != TP_SOCK_CONNECTED) err = WSAENOTCONN;
    LeaveCriticalSection(&tp_cs);
    if (!err && (!bufs || !n)) err = WSAEFAULT;
    if (!err) err = transfer(FALSE, s, bufs, n, &done, ov, cr);
    if (!err)
    {
        if (got) *got = done;
        if (flags) *flags = 0;
    }
    tp_log("WSPRecv s=%#llx bytes=%lu overlapped=%d routine=%d -> %d err=%d", (unsigned long long)s,
           (unsigned long)done, ov != NULL, cr != NULL, err ? -1 : 0, err);
    return err ? tp_fail(lpErrno, err) : 0;
}

static BOOL WSPAPI ifs_get_overlapped_result(SOCKET s, LPWSAOVERLAPPED ov, LPDWORD cb, BOOL wait, LPDWORD flags,
                                             LPINT lpErrno)
{
    int err = 0;
    BOOL ok = FALSE;

    if (!ov || !cb || !flags) err = WSAEFAULT;
    else if (!(ok = GetOverlappedResult((HANDLE)s, ov, cb, wait)))
        err = GetLastError() == ERROR_BROKEN_PIPE ? 0 : map_error(GetLastError());
    if (!ok && !err) ok = TRUE; /* EOF: a graceful close is a 0-byte success */
    if (ok) *flags = 0;
    tp_log("WSPGetOverlappedResult s=%#llx ov=%p -> %d bytes=%lu err=%d", (unsigned long long)s, (void *)ov, ok,
           (unsigned long)(ok ? *cb : 0), err);
    if (!ok) tp_fail(lpErrno, err);
    return ok;
}

static int WSPAPI ifs_close_socket(SOCKET s, LPINT lpErrno)
{
    struct isock *is;
    int err = 0;

    EnterCriticalSection(&tp_cs);
    if ((is = (struct isock *)tp_sock_find(s))) tp_sock_unlink(&is->base);
    LeaveCriticalSection(&tp_cs);
    if (!is) err = WSAENOTSOCK;
    else
    {
        while (is->backlog)
        {
            struct ipend *p = is->backlog;
            is->backlog = p->next;
            CloseHandle(p->client);
            free(p);
        }
        tp_sock_release(&is->base);
        CloseHandle((HANDLE)s);
        free(is);
    }
    tp_log("WSPCloseSocket s=%#llx -> %d err=%d", (unsigned long long)s, err ? -1 : 0, err);
    return err ? tp_fail(lpErrno, err) : 0;
}

static int WSPAPI ifs_ioctl(SOCKET s, DWORD code, LPVOID in, DWORD inlen, LPVOID out, DWORD outlen, LPDWORD ret,
                            LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid,
                            LPINT lpErrno)
{
    struct isock *is;
    int err = 0;
    DWORD avail = 0, bytes = 0;

    (void)tid;
    EnterCriticalSection(&tp_cs);
    if (!(is = lookup(s, &err))) ;
    else if (ov || cr) err = WSAEOPNOTSUPP;
    else if (code == (DWORD)FIONBIO)
    {
        if (!in || inlen < sizeof(u_long)) err = WSAEFAULT;
        else is->base.nonblocking = *(u_long *)in != 0;
    }
    else if (code == (DWORD)FIONREAD)
    {
        if (!out || outlen < sizeof(u_long)) err = WSAEFAULT;
        else
        {
            if (is->base.state == TP_SOCK_CONNECTED) PeekNamedPipe((HANDLE)s, NULL, 0, NULL, &avail, NULL);
            *(u_long *)out = avail;
            bytes = sizeof(u_long);
        }
    }
    else err = WSAEINVAL;
    LeaveCriticalSection(&tp_cs);
    if (!err && ret) *ret = bytes;
    tp_log("WSPIoctl s=%#llx code=%#lx -> %d err=%d", (unsigned long long)s, (unsigned long)code, err ? -1 : 0, err);
    return err ? tp_fail(lpErrno, err) : 0;
}

TP_EXPORT int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable)
{
    WSPPROC_TABLE t;

    tp_sock_setup(lookup_base, 45000);
    tp_default_table(&t);
    t.lpWSPAccept = ifs_accept;
    t.lpWSPBind = tp_sock_bind;
    t.lpWSPCleanup = ifs_cleanup;
    t.lpWSPCloseSocket = ifs_close_socket;
    t.lpWSPConnect = ifs_connect;
    t.lpWSPGetOverlappedResult = ifs_get_overlapped_result;
    t.lpWSPGetPeerName = tp_sock_get_peer_name;
    t.lpWSPGetSockName = tp_sock_get_sock_name;
    t.lpWSPIoctl = ifs_ioctl;
    t.lpWSPListen = tp_sock_listen;
    t.lpWSPRecv = ifs_recv;
    t.lpWSPSend = ifs_send;
    t.lpWSPSocket = ifs_socket;
    return tp_startup("OPENWS2_TP_IFS", L"openws2 recording IFS test provider", wVersionRequested, lpWSPData,
                      lpProtocolInfo, UpcallTable, lpProcTable, &t);
}
