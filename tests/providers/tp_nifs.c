/* tp_nifs.c - tp_nifs.dll, openws2's recording NON-IFS test transport provider.
 *
 * Sockets: AF_INET / SOCK_STREAM, an in-memory loopback inside the process. Every socket is a
 * ws2_32-made handle (WPUCreateSocketHandle, context = the provider's socket record, looked up with
 * WPUQuerySocketHandleContext on every call, closed with WPUCloseSocketHandle). bind gives a port
 * (0: an ephemeral one from 40000), listen makes it connectable, connect to 127.0.0.1:<port> creates
 * the accepted socket at once (WSPAccept hands it out), send appends to the peer's buffer.
 * Overlapped WSPRecv/WSPSend/WSPIoctl: Internal = WSS_OPERATION_IN_PROGRESS at the start, a receive
 * without data pends until data, EOF, close or tp_nifs_fail_pending. Completion as Microsoft
 * documents for non-IFS providers: OffsetHigh = WSA error, Offset = flags, then
 * WPUCompleteOverlappedRequest(s, ov, error, bytes) (event / completion port), or, for a request
 * with a completion routine, WPUQueueApc on the WSATHREADID ws2_32 passed in (the routine runs in
 * the issuing thread). WSPGetOverlappedResult reads them back (waiting on hEvent when asked to).
 *
 * Log lines (see tp_common.h for the format and the knobs, prefix OPENWS2_TP_NIFS):
 *   WSPStartup requested=0x0202 catalog=<id> -> 0 version=0x0202 startups=<n>
 *   WSPSocket af=2 type=1 protocol=<p> -> <socket> [err=<e>]
 *   WPUCreateSocketHandle catalog=<id> context=<ptr> -> <socket> err=<e>
 *   WSPBind s=<socket> port=<port> -> 0|-1 err=<e>   WSPListen, WSPConnect port=, WSPAccept -> <socket>
 *   WSPSend s= bytes=<n> overlapped=<0|1> routine=<0|1> -> 0|-1 err=<e>
 *   WSPRecv s= bytes=<n> overlapped= routine= -> 0|-1 err=<e> (997 = WSA_IO_PENDING)
 *   WPUCompleteOverlappedRequest s= ov=<ptr> error=<e> bytes=<n> -> <r> err=<e>
 *   WPUQueueApc s= ov= error= bytes= -> <r> err=<e>
 *   WSPGetOverlappedResult s= ov= -> 1|0 bytes=<n> err=<e>
 *   WSPCloseSocket s= -> 0   WPUCloseSocketHandle s= -> <r> err=<e>
 *   WSPCleanup -> 0 startups=<n>
 * Extra knob: OPENWS2_TP_NIFS_APC_VIA_COMPLETE=1 completes completion-routine requests with
 * WPUCompleteOverlappedRequest too (ws2_32 then has to run the routine itself).
 * Test hook export: int WINAPI tp_nifs_fail_pending(SOCKET s, DWORD error, DWORD bytes) completes
 * every pending receive of s with that error and byte count; returns how many it completed.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "tp_sock.h"

#include <stdio.h>
#include <stdlib.h>

#define NIFS_MAX_BUFS 16
#define NIFS_WAIT_MS 10000

typedef int (WSPAPI *complete_fn)(SOCKET, LPWSAOVERLAPPED, DWORD, DWORD, LPINT);

struct nreq
{
    struct nreq *next;
    LPWSAOVERLAPPED ov;
    WSABUF bufs[NIFS_MAX_BUFS];
    DWORD nbufs;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE cr;
    WSATHREADID tid;
};

/* base.catalog_id: the entry the socket was made for (WPUCreateSocketHandle); base.ready: set while
 * data, EOF or a connection waits */
struct nsock
{
    struct tp_sock base; /* first: a struct tp_sock * of ours is a struct nsock * */
    struct nsock *peer;
    char *data;
    size_t len, cap;
    BOOL eof;
    struct nreq *pending;
    struct nsock *backlog, *next_backlog;
};

struct napc
{
    LPWSAOVERLAPPED_COMPLETION_ROUTINE cr;
    LPWSAOVERLAPPED ov;
    DWORD error, bytes, flags;
};

static complete_fn p_complete;

TP_EXPORT int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable);
TP_EXPORT int WINAPI tp_nifs_fail_pending(SOCKET s, DWORD error, DWORD bytes);

static BOOL apc_via_complete(void)
{
    char v[8];
    DWORD n = GetEnvironmentVariableA("OPENWS2_TP_NIFS_APC_VIA_COMPLETE", v, sizeof(v));
    return n && n < sizeof(v) && v[0] == '1';
}

/* The provider's record for s (tp_cs held), through WPUQuerySocketHandleContext. */
static struct nsock *lookup(SOCKET s, int *err)
{
    DWORD_PTR ctx = 0;
    int e = 0;
    struct nsock *ns;

    if (tp_upcall.lpWPUQuerySocketHandleContext(s, &ctx, &e))
    {
        tp_log("WPUQuerySocketHandleContext s=%#llx -> -1 err=%d", (unsigned long long)s, e);
        *err = WSAENOTSOCK;
        return NULL;
    }
    if ((ns = (struct nsock *)tp_sock_find(s)) && (DWORD_PTR)ns == ctx) return ns;
    tp_log("WPUQuerySocketHandleContext s=%#llx -> 0 context=%#llx (not ours)", (unsigned long long)s,
           (unsigned long long)ctx);
    *err = WSAENOTSOCK;
    return NULL;
}

static struct tp_sock *lookup_base(SOCKET s, int *err)
{
    struct nsock *ns = lookup(s, err);
    return ns ? &ns->base : NULL;
}

static struct nsock *new_socket(DWORD catalog_id, int *err)
{
    struct nsock *ns = calloc(1, sizeof(*ns));
    int e = 0;

    if (!ns || !tp_sock_init(&ns->base, catalog_id))
    {
        free(ns);
        *err = WSAENOBUFS;
        return NULL;
    }
    ns->base.s = tp_upcall.lpWPUCreateSocketHandle(catalog_id, (DWORD_PTR)ns, &e);
    tp_log("WPUCreateSocketHandle catalog=%lu context=%p -> %#llx err=%d", (unsigned long)catalog_id, (void *)ns,
           (unsigned long long)ns->base.s, ns->base.s == INVALID_SOCKET ? e : 0);
    if (ns->base.s == INVALID_SOCKET)
    {
        tp_sock_release(&ns->base);
        free(ns);
        *err = e ? e : WSAENOBUFS;
        return NULL;
    }
    tp_sock_link(&ns->base);
    return ns;
}

static void CALLBACK routine_apc(DWORD_PTR ctx)
{
    struct napc *a = (struct napc *)ctx;
    a->cr(a->error, a->bytes, a->ov, a->flags);
    free(a);
}

/* Completes one overlapped request the documented non-IFS way. */
static void complete(SOCKET s, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, const WSATHREADID *tid,
                     DWORD error, DWORD bytes, DWORD flags)
{
    int r, e = 0;

    ov->Offset = flags;
    ov->OffsetHigh = error;
    if (cr && !apc_via_complete())
    {
        struct napc *a = malloc(sizeof(*a));
        WSATHREADID t = *tid;
        if (!a)
        {
            tp_log("WPUQueueApc s=%#llx ov=%p -> not called (out of memory)", (unsigned long long)s, (void *)ov);
            return;
        }
        a->cr = cr;
        a->ov = ov;
        a->error = error;
        a->bytes = bytes;
        a->flags = flags;
        ov->InternalHigh = bytes;
        ov->Internal = 0;
        r = tp_upcall.lpWPUQueueApc(&t, routine_apc, (DWORD_PTR)a, &e);
        tp_log("WPUQueueApc s=%#llx ov=%p error=%lu bytes=%lu -> %d err=%d", (unsigned long long)s, (void *)ov,
               (unsigned long)error, (unsigned long)bytes, r, r ? e : 0);
        if (r) free(a);
        return;
    }
    r = p_complete ? p_complete(s, ov, error, bytes, &e) : tp_fail(&e, WSASYSCALLFAILURE);
    tp_log("WPUCompleteOverlappedRequest s=%#llx ov=%p error=%lu bytes=%lu -> %d err=%d", (unsigned long long)s,
           (void *)ov, (unsigned long)error, (unsigned long)bytes, r, r ? e : 0);
}

/* Copies buffered data into bufs; returns the count. */
static DWORD take_data(struct nsock *ns, const WSABUF *bufs, DWORD nbufs)
{
    DWORD i, total = 0;
    for (i = 0; i < nbufs && ns->len; i++)
    {
        size_t n = bufs[i].len < ns->len ? bufs[i].len : ns->len;
        memcpy(bufs[i].buf, ns->data, n);
        memmove(ns->data, ns->data + n, ns->len - n);
        ns->len -= n;
        total += (DWORD)n;
    }
    return total;
}

/* Satisfies pending receives from the buffer or EOF (tp_cs held). */
static void serve_pending(struct nsock *ns)
{
    while (ns->pending && (ns->len || ns->eof))
    {
        struct nreq *req = ns->pending;
        DWORD n = take_data(ns, req->bufs, req->nbufs);
        ns->pending = req->next;
        complete(ns->base.s, req->ov, req->cr, &req->tid, 0, n, 0);
        free(req);
    }
    if (ns->len || ns->eof || ns->backlog) SetEvent(ns->base.ready);
    else ResetEvent(ns->base.ready);
}

static int WSPAPI nifs_cleanup(LPINT lpErrno)
{
    return tp_cleanup(lpErrno);
}

static SOCKET WSPAPI nifs_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g, DWORD flags,
                                 LPINT lpErrno)
{
    struct nsock *ns = NULL;
    int err = 0;

    (void)g; (void)flags;
    EnterCriticalSection(&tp_cs);
    if ((err = tp_sock_socket_check(af, type, protocol, info))) ;
    else ns = new_socket(info ? info->dwCatalogEntryId : tp_catalog_id, &err);
    LeaveCriticalSection(&tp_cs);
    tp_log("WSPSocket af=%d type=%d protocol=%d -> %#llx err=%d", af, type, protocol,
           (unsigned long long)(ns ? ns->base.s : INVALID_SOCKET), err);
    return tp_sock_handle(ns ? &ns->base : NULL, err, lpErrno);
}

static int WSPAPI nifs_connect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller, LPWSABUF callee,
                               LPQOS sqos, LPQOS gqos, LPINT lpErrno)
{
    struct nsock *ns, *l = NULL, *acc, **tail;
    int err = 0;
    u_short port = 0;

    (void)caller; (void)callee; (void)sqos; (void)gqos;
    EnterCriticalSection(&tp_cs);
    if (!(ns = lookup(s, &err))) ;
    else if ((err = tp_sock_connect_check(&ns->base, name, namelen, &port))) ;
    else
    {
        if (!(l = (struct nsock *)tp_sock_listener(port))) err = WSAECONNREFUSED;
        else if ((acc = new_socket(l->base.catalog_id, &err)))
        {
            if (ns->base.state == TP_SOCK_NEW) ns->base.port = tp_sock_ephemeral_port();
            acc->base.state = TP_SOCK_CONNECTED;
            acc->base.port = port;
            acc->base.peer_port = ns->base.port;
            acc->peer = ns;
            ns->base.state = TP_SOCK_CONNECTED;
            ns->base.peer_port = port;
            ns->peer = acc;
            for (tail = &l->backlog; *tail; tail = &(*tail)->next_backlog) ;
            *tail = acc;
            SetEvent(l->base.ready);
        }
    }
    LeaveCriticalSection(&tp_cs);
    tp_log("WSPConnect s=%#llx port=%u -> %d err=%d", (unsigned long long)s, port, err ? -1 : 0, err);
    return err ? tp_fail(lpErrno, err) : 0;
}

static SOCKET WSPAPI nifs_accept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC cond,
                                 DWORD_PTR data, LPINT lpErrno)
{
    struct nsock *ns, *acc = NULL;
    int err = 0;
    HANDLE ready;

    (void)cond; (void)data;
    for (;;)
    {
        EnterCriticalSection(&tp_cs);
        if (!(ns = lookup(s, &err))) ;
        else if (ns->base.state != TP_SOCK_LISTENING) err = WSAEINVAL;
        else if (addr && (!addrlen || *addrlen < (int)sizeof(struct sockaddr_in))) err = WSAEFAULT;
        else if ((acc = ns->backlog))
        {
            ns->backlog = acc->next_backlog;
            acc->next_backlog = NULL;
            if (!ns->backlog) ResetEvent(ns->base.ready);
            if (addr)
                tp_loopback_address(addr, addrlen, acc->base.peer_port);
        }
        else if (ns->base.nonblocking) err = WSAEWOULDBLOCK;
        ready = ns && !err && !acc ? ns->base.ready : NULL;
        LeaveCriticalSection(&tp_cs);
        if (!ready) break;
        if (WaitForSingleObject(ready, NIFS_WAIT_MS) != WAIT_OBJECT_0)
        {
            err = WSAETIMEDOUT;
            break;
        }
    }
    tp_log("WSPAccept s=%#llx -> %#llx err=%d", (unsigned long long)s,
           (unsigned long long)(acc ? acc->base.s : INVALID_SOCKET), err);
    return tp_sock_handle(acc ? &acc->base : NULL, err, lpErrno);
}

static int WSPAPI nifs_send(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD sent, DWORD flags, LPWSAOVERLAPPED ov,
                            LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    struct nsock *ns, *peer;
    DWORD i, total = 0;
    int err = 0;

    (void)flags;
    EnterCriticalSection(&tp_cs);
    if (!(ns = lookup(s, &err))) ;
    else if (!bufs && n) err = WSAEFAULT;
    else if (cr && !tid) err = WSAEINVAL;
    else if (ns->base.state != TP_SOCK_CONNECTED) err = WSAENOTCONN;
    else if (!(peer = ns->peer)) err = WSAECONNRESET;
    else
    {
        for (i = 0; i < n; i++) total += bufs[i].len;
        if (peer->len + total > peer->cap)
        {
            size_t cap = (peer->len + total) * 2 + 64;
            char *p = realloc(peer->data, cap);
            if (!p) err = WSAENOBUFS;
            else
            {
                peer->data = p;
                peer->cap = cap;
            }
        }
        if (!err)
        {
            for (i = 0; i < n; i++)
            {
                memcpy(peer->data + peer->len, bufs[i].buf, bufs[i].len);
                peer->len += bufs[i].len;
            }
            serve_pending(peer);
            if (sent) *sent = total;
            if (ov)
            {
                ov->Internal = WSS_OPERATION_IN_PROGRESS;
                complete(s, ov, cr, tid, 0, total, 0);
            }
        }
    }
    LeaveCriticalSection(&tp_cs);
    tp_log("WSPSend s=%#llx bytes=%lu overlapped=%d routine=%d -> %d err=%d", (unsigned long long)s,
           (unsigned long)total, ov != NULL, cr != NULL, err ? -1 : 0, err);
    return err ? tp_fail(lpErrno, err) : 0;
}

static int WSPAPI nifs_recv(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD got, LPDWORD flags, LPWSAOVERLAPPED ov,
                            LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    struct nsock *ns;
    DWORD total = 0;
    int err = 0;
    HANDLE ready;

    for (;;)
    {
        ready = NULL;
        EnterCriticalSection(&tp_cs);
        if (!(ns = lookup(s, &err))) ;
        else if (!bufs || !n) err = WSAEFAULT;
        else if (n > NIFS_MAX_BUFS) err = WSAENOBUFS;
        else if (cr && !tid) err = WSAEINVAL;
        else if (ns->base.state != TP_SOCK_CONNECTED) err = WSAENOTCONN;
        else if (ns->len || ns->eof)
        {
            total = take_data(ns, bufs, n);
            if (!ns->len && !ns->eof) ResetEvent(ns->base.ready);
            if (got) *got = total;
            if (flags) *flags = 0;
            if (ov)
            {
                ov->Internal = WSS_OPERATION_IN_PROGRESS;
                complete(s, ov, cr, tid, 0, total, 0);
            }
        }
        else if (ov)
        {
            struct nreq *req = calloc(1, sizeof(*req)), **tail;
            if (!req) err = WSAENOBUFS;
            else
            {
                ov->Internal = WSS_OPERATION_IN_PROGRESS;
                req->ov = ov;
                memcpy(req->bufs, bufs, n * sizeof(*bufs));
                req->nbufs = n;
                req->cr = cr;
                if (tid) req->tid = *tid;
                for (tail = &ns->pending; *tail; tail = &(*tail)->next) ;
                *tail = req;
                err = WSA_IO_PENDING;
            }
        }
        else if (ns->base.nonblocking) err = WSAEWOULDBLOCK;
        else ready = ns->base.ready;
        LeaveCriticalSection(&tp_cs);
        if (!ready) break;
        if (WaitForSingleObject(ready, NIFS_WAIT_MS) != WAIT_OBJECT_0)
        {
            err = WSAETIMEDOUT;
            break;
        }
    }
    tp_log("WSPRecv s=%#llx bytes=%lu overlapped=%d routine=%d -> %d err=%d", (unsigned long long)s,
           (unsigned long)total, ov != NULL, cr != NULL, err ? -1 : 0, err);
    return err ? tp_fail(lpErrno, err) : 0;
}

static BOOL WSPAPI nifs_get_overlapped_result(SOCKET s, LPWSAOVERLAPPED ov, LPDWORD cb, BOOL wait, LPDWORD flags,
                                              LPINT lpErrno)
{
    int err = 0;
    BOOL ok = FALSE;

    if (!ov || !cb || !flags) err = WSAEFAULT;
    else
    {
        if (ov->Internal == WSS_OPERATION_IN_PROGRESS && wait)
        {
            HANDLE ev = (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1);
            DWORD start = GetTickCount();
            if (ev) WaitForSingleObject(ev, NIFS_WAIT_MS);
            while (ov->Internal == WSS_OPERATION_IN_PROGRESS && GetTickCount() - start < NIFS_WAIT_MS) Sleep(1);
        }
        if (ov->Internal == WSS_OPERATION_IN_PROGRESS) err = WSA_IO_INCOMPLETE;
        else
        {
            *cb = (DWORD)ov->InternalHigh;
            *flags = ov->Offset;
            err = (int)ov->OffsetHigh;
            ok = !err;
        }
    }
    tp_log("WSPGetOverlappedResult s=%#llx ov=%p -> %d bytes=%lu err=%d", (unsigned long long)s, (void *)ov, ok,
           (unsigned long)(ok || err ? (cb ? *cb : 0) : 0), err);
    if (!ok) tp_fail(lpErrno, err);
    return ok;
}

static void abort_pending(struct nsock *ns, DWORD error, DWORD bytes, int *count)
{
    while (ns->pending)
    {
        struct nreq *req = ns->pending;
        ns->pending = req->next;
        complete(ns->base.s, req->ov, req->cr, &req->tid, error, bytes, 0);
        free(req);
        if (count) (*count)++;
    }
}

static void destroy(struct nsock *ns)
{
    int e = 0, r;
    SOCKET s = ns->base.s;

    tp_sock_unlink(&ns->base);
    abort_pending(ns, WSA_OPERATION_ABORTED, 0, NULL);
    if (ns->peer)
    {
        ns->peer->peer = NULL;
        ns->peer->eof = TRUE;
        serve_pending(ns->peer);
    }
    while (ns->backlog)
    {
        struct nsock *acc = ns->backlog;
        ns->backlog = acc->next_backlog;
        destroy(acc);
    }
    r = tp_upcall.lpWPUCloseSocketHandle(s, &e);
    tp_log("WPUCloseSocketHandle s=%#llx -> %d err=%d", (unsigned long long)s, r, r ? e : 0);
    tp_sock_release(&ns->base);
    free(ns->data);
    free(ns);
}

static int WSPAPI nifs_close_socket(SOCKET s, LPINT lpErrno)
{
    struct nsock *ns;
    int err = 0;

    EnterCriticalSection(&tp_cs);
    if ((ns = lookup(s, &err))) destroy(ns);
    LeaveCriticalSection(&tp_cs);
    tp_log("WSPCloseSocket s=%#llx -> %d err=%d", (unsigned long long)s, err ? -1 : 0, err);
    return err ? tp_fail(lpErrno, err) : 0;
}

static int WSPAPI nifs_shutdown(SOCKET s, int how, LPINT lpErrno)
{
    struct nsock *ns;
    int err = 0;

    EnterCriticalSection(&tp_cs);
    if (!(ns = lookup(s, &err))) ;
    else if (how < SD_RECEIVE || how > SD_BOTH) err = WSAEINVAL;
    else if (ns->base.state != TP_SOCK_CONNECTED) err = WSAENOTCONN;
    else if ((how == SD_SEND || how == SD_BOTH) && ns->peer)
    {
        ns->peer->eof = TRUE;
        serve_pending(ns->peer);
    }
    LeaveCriticalSection(&tp_cs);
    tp_log("WSPShutdown s=%#llx how=%d -> %d err=%d", (unsigned long long)s, how, err ? -1 : 0, err);
    return err ? tp_fail(lpErrno, err) : 0;
}

static int WSPAPI nifs_ioctl(SOCKET s, DWORD code, LPVOID in, DWORD inlen, LPVOID out, DWORD outlen, LPDWORD ret,
                             LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid,
                             LPINT lpErrno)
{
    struct nsock *ns;
    int err = 0;
    DWORD bytes = 0;

    EnterCriticalSection(&tp_cs);
    if (!(ns = lookup(s, &err))) ;
    else if (cr && !tid) err = WSAEINVAL;
    else if (code == (DWORD)FIONBIO)
    {
        if (!in || inlen < sizeof(u_long)) err = WSAEFAULT;
        else ns->base.nonblocking = *(u_long *)in != 0;
    }
    else if (code == (DWORD)FIONREAD)
    {
        if (!out || outlen < sizeof(u_long)) err = WSAEFAULT;
        else
        {
            *(u_long *)out = (u_long)ns->len;
            bytes = sizeof(u_long);
        }
    }
    else err = WSAEINVAL;
    if (!err)
    {
        if (ret) *ret = bytes;
        if (ov)
        {
            ov->Internal = WSS_OPERATION_IN_PROGRESS;
            complete(s, ov, cr, tid, 0, bytes, 0);
        }
    }
    LeaveCriticalSection(&tp_cs);
    tp_log("WSPIoctl s=%#llx code=%#lx overlapped=%d -> %d err=%d", (unsigned long long)s, (unsigned long)code,
           ov != NULL, err ? -1 : 0, err);
    return err ? tp_fail(lpErrno, err) : 0;
}

TP_EXPORT int WINAPI tp_nifs_fail_pending(SOCKET s, DWORD error, DWORD bytes)
{
    struct nsock *ns;
    int err = 0, count = 0;

    EnterCriticalSection(&tp_cs);
    if ((ns = lookup(s, &err))) abort_pending(ns, error, bytes, &count);
    LeaveCriticalSection(&tp_cs);
    tp_log("tp_nifs_fail_pending s=%#llx error=%lu bytes=%lu -> %d", (unsigned long long)s, (unsigned long)error,
           (unsigned long)bytes, ns ? count : -1);
    return ns ? count : -1;
}

TP_EXPORT int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable)
{
    WSPPROC_TABLE t;
    HMODULE ws2 = GetModuleHandleW(L"ws2_32.dll");

    p_complete = ws2 ? (complete_fn)(void *)GetProcAddress(ws2, "WPUCompleteOverlappedRequest") : NULL;
    tp_sock_setup(lookup_base, 40000);
    tp_default_table(&t);
    t.lpWSPAccept = nifs_accept;
    t.lpWSPBind = tp_sock_bind;
    t.lpWSPCleanup = nifs_cleanup;
    t.lpWSPCloseSocket = nifs_close_socket;
    t.lpWSPConnect = nifs_connect;
    t.lpWSPGetOverlappedResult = nifs_get_overlapped_result;
    t.lpWSPGetPeerName = tp_sock_get_peer_name;
    t.lpWSPGetSockName = tp_sock_get_sock_name;
    t.lpWSPIoctl = nifs_ioctl;
    t.lpWSPListen = tp_sock_listen;
    t.lpWSPRecv = nifs_recv;
    t.lpWSPSend = nifs_send;
    t.lpWSPShutdown = nifs_shutdown;
    t.lpWSPSocket = nifs_socket;
    return tp_startup("OPENWS2_TP_NIFS", L"openws2 recording non-IFS test provider", wVersionRequested, lpWSPData,
                      lpProtocolInfo, UpcallTable, lpProcTable, &t);
}
