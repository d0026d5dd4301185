/* lsp_io.c - data transfer through the layer: WSPSend/WSPSendTo/WSPRecv/WSPRecvFrom/WSPIoctl and
 * WSPGetOverlappedResult. Synchronous calls go straight down. An overlapped request is reissued
 * below with the layer's own OVERLAPPED (lsp_op) and event; a thread-pool wait on that event reads
 * the result below (WSPGetOverlappedResult) and completes the application's OVERLAPPED: with
 * WPUCompleteOverlappedRequest when it has no completion routine (ws2_32 then signals its event or
 * posts to the completion port the application associated with our handle), else by filling it and
 * queueing the routine to the requesting thread (WPUOpenCurrentThread at request time, WPUQueueApc),
 * as WSPSend's documentation asks of non-IFS providers. The result travels where
 * WSPGetOverlappedResult reads it: InternalHigh (bytes), Offset (flags), OffsetHigh (error).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_internal.h"
#include "wine_compat.h"

#include <stdlib.h>

#ifndef SIO_EXT_POLL
# define SIO_EXT_POLL _WSAIORW(IOC_WS2, 31)
#endif
#ifndef SIO_EXT_SELECT
# define SIO_EXT_SELECT _WSAIORW(IOC_WS2, 30)
#endif
#ifndef SIO_EXT_SENDMSG
# define SIO_EXT_SENDMSG _WSAIORW(IOC_WS2, 32)
#endif

static volatile LONG ops_in_flight;

struct lsp_op *lsp_op_new(struct lsp_sock *ls, SOCKET lower_s, LPWSAOVERLAPPED uov, const char *what, int dir)
{
    struct lsp_op *op = calloc(1, sizeof(*op));

    if (!op) return NULL;
    if (!(op->lov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL)))
    {
        free(op);
        return NULL;
    }
    op->uov = uov;
    op->uov_event = uov->hEvent;
    op->ls = ls;
    InterlockedIncrement(&ls->refs);
    op->lower_s = lower_s;
    op->low = ls->low;
    op->what = what;
    op->dir = dir;
    op->refs = 1;
    if (InterlockedIncrement(&ls->pending) == 1) ResetEvent(ls->idle);
    InterlockedIncrement(&ops_in_flight);
    /* The application's request is in progress until WPUCompleteOverlappedRequest. */
    uov->Internal = WSS_OPERATION_IN_PROGRESS;
    uov->InternalHigh = 0;
    return op;
}

static void op_free(struct lsp_op *op)
{
    struct lsp_sock *ls = op->ls;

    if (op->wait) UnregisterWait(op->wait);
    CloseHandle(op->lov.hEvent);
    if (op->thread.ThreadHandle)
    {
        int e = 0;
        lsp_upcalls.lpWPUCloseThread(&op->thread, &e);
    }
    free(op);
    if (!InterlockedDecrement(&ls->pending)) SetEvent(ls->idle);
    lsp_sock_put(ls);
    InterlockedDecrement(&ops_in_flight);
}

void lsp_op_release(struct lsp_op *op)
{
    if (!InterlockedDecrement(&op->refs)) op_free(op);
}

struct routine_call
{
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    LPWSAOVERLAPPED ov;
    DWORD err, bytes, flags;
};

/* Runs in the requesting thread (an APC queued with WPUQueueApc). */
static void CALLBACK routine_apc(DWORD_PTR param)
{
    struct routine_call *c = (struct routine_call *)param;
    c->routine(c->err, c->bytes, c->ov, c->flags);
    free(c);
}

int lsp_op_set_routine(struct lsp_op *op, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr)
{
    int e = 0;

    if (!cr) return 0;
    if (!lsp_upcalls.lpWPUOpenCurrentThread || lsp_upcalls.lpWPUOpenCurrentThread(&op->thread, &e))
    {
        memset(&op->thread, 0, sizeof(op->thread));
        return e ? e : WSAENOBUFS;
    }
    op->routine = cr;
    return 0;
}

ULONG lsp_wsa_status(int err, ULONG fallback)
{
    static const struct { int err; ULONG status; } map[] = {
        { WSAEMSGSIZE, 0x80000005 },            /* STATUS_BUFFER_OVERFLOW (a warning: bytes count) */
        { WSA_OPERATION_ABORTED, 0xC0000120 },  /* STATUS_CANCELLED */
        { WSAENOTSOCK, 0xC0000120 },            /* the socket was closed under the request */
        { WSAEACCES, 0xC0000022 },              /* STATUS_ACCESS_DENIED */
        { WSAEFAULT, 0xC0000005 },              /* STATUS_ACCESS_VIOLATION */
        { WSAEINVAL, 0xC000000D },              /* STATUS_INVALID_PARAMETER */
        { WSAEWOULDBLOCK, 0xC00000A3 },         /* STATUS_DEVICE_NOT_READY */
        { WSAEOPNOTSUPP, 0xC00000BB },          /* STATUS_NOT_SUPPORTED */
        { WSAESHUTDOWN, 0xC00000B0 },           /* STATUS_PIPE_DISCONNECTED */
        { WSAETIMEDOUT, 0xC00000B5 },           /* STATUS_IO_TIMEOUT */
        { WSAENOBUFS, 0xC000009A },             /* STATUS_INSUFFICIENT_RESOURCES */
        { WSAENETDOWN, 0xC00000C4 },            /* STATUS_UNEXPECTED_NETWORK_ERROR */
        { WSAENETUNREACH, 0xC000023C },         /* STATUS_NETWORK_UNREACHABLE */
        { WSAEHOSTUNREACH, 0xC000023D },        /* STATUS_HOST_UNREACHABLE */
        { WSAECONNREFUSED, 0xC0000236 },        /* STATUS_CONNECTION_REFUSED */
        { WSAECONNRESET, 0xC000020D },          /* STATUS_CONNECTION_RESET */
        { WSAECONNABORTED, 0xC0000241 },        /* STATUS_CONNECTION_ABORTED */
        { WSAENOTCONN, 0xC0000140 },            /* STATUS_INVALID_CONNECTION */
        { WSAEADDRNOTAVAIL, 0xC0000207 },       /* STATUS_INVALID_ADDRESS_COMPONENT */
    };
    size_t i;

    if (!err) return 0;
    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (map[i].err == err) return map[i].status;
    return fallback;
}

/* An IFS socket's request the layer did itself: the kernel's completion, through
 * wine_compat_complete (status, byte count, event, packet), or with a completion routine the status
 * block and the routine queued to the requesting thread (no event, no packet, as for the kernel's
 * APC completions). */
static void op_finish_ifs(struct lsp_op *op, int err, DWORD bytes, struct routine_call *c)
{
    LPWSAOVERLAPPED uov = op->uov;
    ULONG status = lsp_wsa_status(err, 0xC0000001 /* STATUS_UNSUCCESSFUL */);
    long st;
    int e = 0;

    if (!op->routine)
    {
        if ((st = wine_compat_complete((void *)op->lower_s, uov, op->uov_event, status, bytes, !op->in_call)))
            lsp_trace("%s(s %#llx): completing failed (status %#lx)", op->what, LSP_SOCK_ARG(op->ls->s),
                      (unsigned long)st);
        return;
    }
    uov->InternalHigh = bytes;
    MemoryBarrier();
    uov->Internal = status;
    if (!c) lsp_trace("%s(s %#llx): no memory for the completion routine", op->what, LSP_SOCK_ARG(op->ls->s));
    else if (lsp_upcalls.lpWPUQueueApc(&op->thread, routine_apc, (DWORD_PTR)c, &e))
    {
        lsp_trace("%s(s %#llx): WPUQueueApc failed: %d", op->what, LSP_SOCK_ARG(op->ls->s), e);
        free(c);
    }
}

void lsp_op_finish(struct lsp_op *op, int err, DWORD bytes)
{
    LPWSAOVERLAPPED uov = op->uov;
    int e = 0;

    if (!err && op->dir == 1) InterlockedAdd64(&op->ls->bytes_sent, bytes);
    if (!err && op->dir == 2) InterlockedAdd64(&op->ls->bytes_received, bytes);
    lsp_trace("%s(s %#llx ov %p) completed: bytes=%lu flags=%#lx err=%d%s", op->what, LSP_SOCK_ARG(op->ls->s),
              (void *)uov, (unsigned long)bytes, (unsigned long)op->flags, err, op->routine ? " (apc)" : "");
    if (op->ls->ifs)
    {
        struct routine_call *c = op->routine ? malloc(sizeof(*c)) : NULL;
        if (c)
        {
            c->routine = op->routine;
            c->ov = uov;
            c->err = (DWORD)err;
            c->bytes = bytes;
            c->flags = op->flags;
        }
        op_finish_ifs(op, err, bytes, c);
        return;
    }
    uov->Offset = op->flags;
    uov->OffsetHigh = (DWORD)err;
    if (op->routine)
    {
        /* A completion routine: WPUCompleteOverlappedRequest serves events and completion ports only
         * (WSPSend's documentation), so the layer completes the OVERLAPPED itself (read back by its
         * WSPGetOverlappedResult) and queues the routine to the requesting thread with WPUQueueApc.
         * hEvent is the application's to use: it is not signalled. */
        struct routine_call *c = malloc(sizeof(*c));
        uov->InternalHigh = bytes;
        MemoryBarrier();
        uov->Internal = err ? (ULONG_PTR)0xC0000001 : 0;
        if (!c) lsp_trace("%s(s %#llx): no memory for the completion routine", op->what, LSP_SOCK_ARG(op->ls->s));
        else
        {
            c->routine = op->routine;
            c->ov = uov;
            c->err = (DWORD)err;
            c->bytes = bytes;
            c->flags = op->flags;
            if (lsp_upcalls.lpWPUQueueApc(&op->thread, routine_apc, (DWORD_PTR)c, &e))
            {
                lsp_trace("%s(s %#llx): WPUQueueApc failed: %d", op->what, LSP_SOCK_ARG(op->ls->s), e);
                free(c);
            }
        }
        return;
    }
    if (lsp_complete_request(op->ls->s, uov, (DWORD)err, bytes, &e))
        lsp_trace("%s(s %#llx): WPUCompleteOverlappedRequest failed: %d", op->what, LSP_SOCK_ARG(op->ls->s), e);
}

static void op_complete_from_below(struct lsp_op *op)
{
    DWORD bytes = 0, flags = 0;
    int err = 0;

    if (!op->low->procs.lpWSPGetOverlappedResult(op->lower_s, &op->lov, &bytes, FALSE, &flags, &err))
    {
        if (!err) err = WSAEINVAL;
    }
    else err = 0;
    op->flags = flags;
    lsp_op_finish(op, err, bytes);
}

static void CALLBACK op_waited(void *param, BOOLEAN timed_out)
{
    struct lsp_op *op = param;

    (void)timed_out;
    op_complete_from_below(op);
    lsp_op_release(op);
}

int lsp_op_started(struct lsp_op *op, int r, int err, DWORD bytes)
{
    if (!r)
    {
        /* Done below at once: complete the application's request before returning, so that it may
         * reuse its OVERLAPPED as soon as the call returns. */
        op->bytes = bytes;
        lsp_op_finish(op, 0, bytes);
        lsp_op_release(op);
        return 0;
    }
    if (err != WSA_IO_PENDING)
    {
        /* Failed below: nothing is pending, the application's OVERLAPPED is not completed. */
        if (op->uov) op->uov->Internal = 0;
        lsp_op_release(op);
        return err ? err : WSAEINVAL;
    }
    InterlockedIncrement(&op->refs); /* the wait's */
    if (!RegisterWaitForSingleObject(&op->wait, op->lov.hEvent, op_waited, op, INFINITE,
                                     WT_EXECUTEONLYONCE | WT_EXECUTEDEFAULT))
    {
        /* Cannot wait in the pool: wait here (the request still completes exactly once). */
        op->wait = NULL;
        WaitForSingleObject(op->lov.hEvent, INFINITE);
        op_complete_from_below(op);
        lsp_op_release(op);
        lsp_op_release(op);
        return 0;
    }
    lsp_op_release(op);
    return WSA_IO_PENDING;
}

void lsp_io_hold(void)
{
    InterlockedIncrement(&ops_in_flight);
}

void lsp_io_unhold(void)
{
    InterlockedDecrement(&ops_in_flight);
}

void lsp_io_drain(void)
{
    int i;
    for (i = 0; i < 1000 && ops_in_flight; i++) Sleep(10);
}

/* ---- send / recv ---- */

static DWORD buf_total(const WSABUF *bufs, DWORD n)
{
    DWORD i, t = 0;
    for (i = 0; bufs && i < n; i++) t += bufs[i].len;
    return t;
}

static int WSPAPI lsp_send_to(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD sent, DWORD flags, const struct sockaddr *to,
                              int tolen, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid,
                              LPINT lpErrno)
{
    const char *what = to ? "WSPSendTo" : "WSPSend";
    struct lsp_sock *ls;
    struct lsp_op *op;
    DWORD done = 0;
    int err = 0, r = SOCKET_ERROR;

    if (!(ls = lsp_sock_get(s, &err))) return lsp_fail(lpErrno, err);
    if (ls->hs_state == LSP_HS_PENDING || ls->hs_state == LSP_HS_FAILED || ls->bind_listening)
    {
        /* not connected (yet): the proxy conversation owns the socket below; a listener through the
         * proxy is no connection (WSAENOTCONN, as send on any listening socket), and its proxy
         * connection carries the proxy's next reply */
        lsp_sock_put(ls);
        return lsp_fail(lpErrno, WSAENOTCONN);
    }
    {
        /* a datagram socket the LSP handles itself (a SOCKS UDP association) */
        DWORD f = flags;
        BOOL handled;
        err = lsp_dgram_call(ls, TRUE, bufs, n, &done, &f, to, tolen, NULL, NULL, ov, cr, &handled);
        if (handled)
        {
            if (!err && sent) *sent = done;
            if (!err) InterlockedAdd64(&ls->bytes_sent, done);
            lsp_trace("%s(s %#llx bufs %lu len %lu%s, the LSP's) -> bytes=%lu err=%d", what, LSP_SOCK_ARG(s),
                      (unsigned long)n, (unsigned long)buf_total(bufs, n), ov ? " overlapped" : "",
                      (unsigned long)done, err);
            lsp_sock_put(ls);
            return err ? lsp_fail(lpErrno, err) : 0;
        }
        err = 0;
    }
    if (!ov || ls->ifs)
    {
        /* Synchronous, or IFS: the application's request goes down as it is (its completion watched
         * for the trace: lsp_ifs_watch.c). */
        struct lsp_ifs_watch *w;
        LPWSAOVERLAPPED_COMPLETION_ROUTINE down = lsp_ifs_watch_begin(ls, ov, ov ? cr : NULL, what, &w);
        r = to ? ls->low->procs.lpWSPSendTo(ls->lower, bufs, n, &done, flags, to, tolen, ov, down, tid, &err)
               : ls->low->procs.lpWSPSend(ls->lower, bufs, n, &done, flags, ov, down, tid, &err);
        lsp_ifs_watch_started(w, r, err);
        if (!r)
        {
            if (sent) *sent = done;
            InterlockedAdd64(&ls->bytes_sent, done);
        }
        lsp_trace("%s(s %#llx bufs %lu len %lu flags %#lx%s) -> %d bytes=%lu err=%d", what, LSP_SOCK_ARG(s),
                  (unsigned long)n, (unsigned long)buf_total(bufs, n), (unsigned long)flags, ov ? " ifs-overlapped" : "",
                  r, (unsigned long)done, r ? err : 0);
    }
    else if (!(op = lsp_op_new(ls, ls->lower, ov, what, 1))) err = WSAENOBUFS;
    else
    {
        if ((err = lsp_op_set_routine(op, cr)))
        {
            ov->Internal = 0;
            lsp_op_release(op);
            lsp_sock_put(ls);
            return lsp_fail(lpErrno, err);
        }
        r = to ? ls->low->procs.lpWSPSendTo(ls->lower, bufs, n, &done, flags, to, tolen, &op->lov, NULL, tid, &err)
               : ls->low->procs.lpWSPSend(ls->lower, bufs, n, &done, flags, &op->lov, NULL, tid, &err);
        lsp_trace("%s(s %#llx bufs %lu len %lu flags %#lx ov %p) -> %d bytes=%lu err=%d", what, LSP_SOCK_ARG(s),
                  (unsigned long)n, (unsigned long)buf_total(bufs, n), (unsigned long)flags, (void *)ov, r,
                  (unsigned long)(r ? 0 : done), r ? err : 0);
        err = lsp_op_started(op, r, err, done);
        if (!err && sent) *sent = done;
        r = err ? SOCKET_ERROR : 0;
    }
    lsp_sock_put(ls);
    return r ? lsp_fail(lpErrno, err) : 0;
}

static int WSPAPI lsp_send(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD sent, DWORD flags, LPWSAOVERLAPPED ov,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    return lsp_send_to(s, bufs, n, sent, flags, NULL, 0, ov, cr, tid, lpErrno);
}

static int WSPAPI lsp_recv_from(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD got, LPDWORD flags, struct sockaddr *from,
                                LPINT fromlen, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr,
                                LPWSATHREADID tid, LPINT lpErrno)
{
    const char *what = fromlen || from ? "WSPRecvFrom" : "WSPRecv";
    BOOL is_from = from || fromlen;
    struct lsp_sock *ls;
    struct lsp_op *op;
    DWORD done = 0, f = flags ? *flags : 0;
    int err = 0, r = SOCKET_ERROR;

    if (!(ls = lsp_sock_get(s, &err))) return lsp_fail(lpErrno, err);
    if (ls->hs_state == LSP_HS_PENDING || ls->hs_state == LSP_HS_FAILED || ls->bind_listening)
    {
        /* as in lsp_send_to: recv on a listener through the proxy must not read the proxy's reply */
        lsp_sock_put(ls);
        return lsp_fail(lpErrno, WSAENOTCONN);
    }
    {
        BOOL handled;
        err = lsp_dgram_call(ls, FALSE, bufs, n, &done, &f, NULL, 0, from, fromlen, ov, cr, &handled);
        if (handled)
        {
            if (!err || err == WSAEMSGSIZE)
            {
                if (got) *got = done;
                if (flags) *flags = f;
                InterlockedAdd64(&ls->bytes_received, done);
            }
            lsp_trace("%s(s %#llx bufs %lu len %lu%s, the LSP's) -> bytes=%lu err=%d", what, LSP_SOCK_ARG(s),
                      (unsigned long)n, (unsigned long)buf_total(bufs, n), ov ? " overlapped" : "",
                      (unsigned long)done, err);
            lsp_sock_put(ls);
            return err ? lsp_fail(lpErrno, err) : 0;
        }
        err = 0;
    }
    if (!ov || ls->ifs)
    {
        /* Synchronous, or IFS: the application's request (and flags) go down as they are. */
        LPDWORD fp = ov ? flags : &f;
        struct lsp_ifs_watch *w;
        LPWSAOVERLAPPED_COMPLETION_ROUTINE down = lsp_ifs_watch_begin(ls, ov, ov ? cr : NULL, what, &w);
        r = is_from ? ls->low->procs.lpWSPRecvFrom(ls->lower, bufs, n, &done, fp, from, fromlen, ov, down, tid, &err)
                    : ls->low->procs.lpWSPRecv(ls->lower, bufs, n, &done, fp, ov, down, tid, &err);
        lsp_ifs_watch_started(w, r, err);
        if (!r)
        {
            if (got) *got = done;
            if (flags && !ov) *flags = f;
            InterlockedAdd64(&ls->bytes_received, done);
        }
        lsp_trace("%s(s %#llx bufs %lu len %lu%s) -> %d bytes=%lu flags=%#lx err=%d", what, LSP_SOCK_ARG(s),
                  (unsigned long)n, (unsigned long)buf_total(bufs, n), ov ? " ifs-overlapped" : "", r,
                  (unsigned long)done, (unsigned long)(ov && flags && !r ? *flags : f), r ? err : 0);
    }
    else if (!(op = lsp_op_new(ls, ls->lower, ov, what, 2))) err = WSAENOBUFS;
    else
    {
        if ((err = lsp_op_set_routine(op, cr)))
        {
            ov->Internal = 0;
            lsp_op_release(op);
            lsp_sock_put(ls);
            return lsp_fail(lpErrno, err);
        }
        op->flags = f;
        /* from/fromlen are the application's: the next layer fills them when the datagram arrives. */
        r = is_from ? ls->low->procs.lpWSPRecvFrom(ls->lower, bufs, n, &done, &op->flags, from, fromlen, &op->lov,
                                                   NULL, tid, &err)
                    : ls->low->procs.lpWSPRecv(ls->lower, bufs, n, &done, &op->flags, &op->lov, NULL, tid, &err);
        lsp_trace("%s(s %#llx bufs %lu len %lu ov %p) -> %d bytes=%lu err=%d", what, LSP_SOCK_ARG(s), (unsigned long)n,
                  (unsigned long)buf_total(bufs, n), (void *)ov, r, (unsigned long)(r ? 0 : done), r ? err : 0);
        f = op->flags;
        err = lsp_op_started(op, r, err, done);
        if (!err)
        {
            if (got) *got = done;
            if (flags) *flags = f;
        }
        r = err ? SOCKET_ERROR : 0;
    }
    lsp_sock_put(ls);
    return r ? lsp_fail(lpErrno, err) : 0;
}

static int WSPAPI lsp_recv(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD got, LPDWORD flags, LPWSAOVERLAPPED ov,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    return lsp_recv_from(s, bufs, n, got, flags, NULL, NULL, ov, cr, tid, lpErrno);
}

static BOOL WSPAPI lsp_get_overlapped_result(SOCKET s, LPWSAOVERLAPPED ov, LPDWORD bytes, BOOL wait, LPDWORD flags,
                                             LPINT lpErrno)
{
    struct lsp_sock *ls;
    int err = 0;
    BOOL ok = FALSE;

    if (!(ls = lsp_sock_get(s, &err))) return lsp_fail(lpErrno, err), FALSE;
    if (ls->ifs)
    {
        ok = ls->low->procs.lpWSPGetOverlappedResult(ls->lower, ov, bytes, wait, flags, &err);
        /* IFS: how an application with a completion port learns the result, seen by the layer. */
        if (ok || err != WSA_IO_INCOMPLETE)
            lsp_trace("WSPGetOverlappedResult(s %#llx ov %p ifs) completed: bytes=%lu flags=%#lx err=%d",
                      LSP_SOCK_ARG(s), (void *)ov, ok && bytes ? (unsigned long)*bytes : 0ul,
                      ok && flags ? (unsigned long)*flags : 0ul, ok ? 0 : err);
        lsp_sock_put(ls);
        if (!ok) lsp_fail(lpErrno, err);
        return ok;
    }
    if (!ov || !bytes || !flags) err = WSAEFAULT;
    else
    {
        if (ov->Internal == WSS_OPERATION_IN_PROGRESS && wait)
        {
            HANDLE ev = (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1);
            if (ev) WaitForSingleObject(ev, INFINITE);
            while (ov->Internal == WSS_OPERATION_IN_PROGRESS) Sleep(1); /* no event: poll */
        }
        if (ov->Internal == WSS_OPERATION_IN_PROGRESS) err = WSA_IO_INCOMPLETE;
        else
        {
            *bytes = (DWORD)ov->InternalHigh;
            *flags = ov->Offset;
            err = (int)ov->OffsetHigh;
            ok = !err;
        }
    }
    lsp_sock_put(ls);
    if (!ok) lsp_fail(lpErrno, err);
    return ok;
}

/* ---- WSPIoctl ---- */

/* SIO_EXT_POLL over the layer's sockets: the same WSAPOLLDATA with the next layer's handles, to the
 * next layer of the first socket (every socket must share its implementation, else WSAEOPNOTSUPP and
 * ws2_32 polls through WSPSelect). A socket whose handshake is pending is not ready: WSAEOPNOTSUPP
 * too, WSPSelect knows. */
static int ext_poll(struct lsp_sock *ls, void *in, DWORD in_len, void *out, DWORD out_len, DWORD *done,
                    LPWSATHREADID tid, int *err)
{
    WSAPOLLDATA *data = in, *low_data;
    struct lsp_sock **refs;
    ULONG i, n;
    size_t head = offsetof(WSAPOLLDATA, fdArray), size;
    int r = SOCKET_ERROR;

    if (!in || !out || in != out || in_len != out_len || in_len < head) return (*err = WSAEFAULT, SOCKET_ERROR);
    n = data->fds;
    if (!n || n > (in_len - head) / sizeof(WSAPOLLFD)) return (*err = WSAEFAULT, SOCKET_ERROR);
    size = head + n * sizeof(WSAPOLLFD);
    if (!(low_data = malloc(size)) || !(refs = calloc(n, sizeof(*refs))))
    {
        free(low_data);
        return (*err = WSAENOBUFS, SOCKET_ERROR);
    }
    memcpy(low_data, data, size);
    *err = 0;
    for (i = 0; i < n && !*err; i++)
    {
        if (!(refs[i] = lsp_sock_get(data->fdArray[i].fd, err)) || refs[i]->ifs ||
            refs[i]->low->procs.lpWSPIoctl != ls->low->procs.lpWSPIoctl || refs[i]->hs_state == LSP_HS_PENDING ||
            refs[i]->hs_state == LSP_HS_FAILED)
            *err = WSAEOPNOTSUPP;
        else low_data->fdArray[i].fd = refs[i]->lower;
    }
    if (!*err)
    {
        r = ls->low->procs.lpWSPIoctl(ls->lower, SIO_EXT_POLL, low_data, (DWORD)size, low_data, (DWORD)size, done, NULL,
                                      NULL, tid, err);
        if (!r)
        {
            data->result = low_data->result;
            for (i = 0; i < n; i++) data->fdArray[i].revents = low_data->fdArray[i].revents;
        }
    }
    for (i = 0; i < n; i++) lsp_sock_put(refs[i]);
    free(refs);
    free(low_data);
    return r;
}

/* SIO_EXT_POLL on IFS sockets goes down as it is, unless one of them is in a background proxy
 * handshake (connected to the proxy below, not yet to its target) or listens through the proxy (its
 * readiness is its separate proxy connection's). */
static BOOL ifs_poll_held(const void *in, DWORD in_len)
{
    const WSAPOLLDATA *data = in;
    size_t head = offsetof(WSAPOLLDATA, fdArray);
    BOOL held = FALSE;
    ULONG i;
    int e;

    if (!in || in_len < head || !data->fds || data->fds > (in_len - head) / sizeof(WSAPOLLFD)) return FALSE;
    for (i = 0; i < data->fds && !held; i++)
    {
        struct lsp_sock *o = lsp_sock_get(data->fdArray[i].fd, &e);
        if (o) held = o->hs_state == LSP_HS_PENDING || o->hs_state == LSP_HS_FAILED || o->bind_listening;
        lsp_sock_put(o);
    }
    return held;
}

/* IFS stream sockets of an LSP that redirects connections: ConnectEx is the layer's (the proxy
 * conversation, lsp_ext.c); of an LSP that listens through a proxy: AcceptEx is the layer's IFS
 * wrapper (refused on such a listener); IFS datagram sockets of an LSP that handles datagrams
 * itself: WSARecvMsg/WSASendMsg are the layer's IFS wrappers (refused on its datagrams); other
 * extension functions are the next layer's. TRUE when handled. */
static BOOL ifs_ext_lookup(struct lsp_sock *ls, const void *in, DWORD in_len, void *out, DWORD out_len, DWORD *done,
                           int *err)
{
    static const GUID id_connectex = WSAID_CONNECTEX, id_acceptex = WSAID_ACCEPTEX, id_recvmsg = WSAID_WSARECVMSG,
                      id_sendmsg = WSAID_WSASENDMSG;
    GUID id;

    if (!in || in_len < sizeof(GUID)) return FALSE;
    memcpy(&id, in, sizeof(id));
    *err = 0;
    /* a datagram socket the layer may handle itself: the message calls refuse its datagrams */
    if (ls->info.iSocketType == SOCK_DGRAM && lsp_hooks.dgram_owned &&
        (!memcmp(&id, &id_recvmsg, sizeof(id)) || !memcmp(&id, &id_sendmsg, sizeof(id))))
        return lsp_ext_ifs_lookup(ls, &id, out, out_len, done, err);
    if (ls->info.iSocketType != SOCK_STREAM) return FALSE;
    if (lsp_hooks.redirect && !memcmp(&id, &id_connectex, sizeof(id)))
        return lsp_ext_lookup(ls, &id, out, out_len, done, err);
    if (lsp_hooks.listen && !memcmp(&id, &id_acceptex, sizeof(id)))
        return lsp_ext_ifs_lookup(ls, &id, out, out_len, done, err);
    return FALSE;
}

static int WSPAPI lsp_ioctl(SOCKET s, DWORD code, LPVOID in, DWORD in_len, LPVOID out, DWORD out_len, LPDWORD ret,
                            LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    struct lsp_sock *ls;
    struct lsp_op *op;
    DWORD done = 0;
    int err = 0, r = SOCKET_ERROR;

    if (!(ls = lsp_sock_get(s, &err))) return lsp_fail(lpErrno, err);
    if (ls->ifs && code == SIO_EXT_POLL && ifs_poll_held(in, in_len))
    {
        /* A socket in a background proxy handshake or listening through the proxy: its readiness
         * is the handshake's / the proxy connection's; ws2_32 falls back to WSPSelect, which knows. */
        err = WSAEOPNOTSUPP;
        lsp_trace("WSPIoctl(s %#llx SIO_EXT_POLL ifs) -> handshake pending or listening through the proxy, "
                  "WSAEOPNOTSUPP", LSP_SOCK_ARG(s));
    }
    else if (ls->ifs && code == SIO_GET_EXTENSION_FUNCTION_POINTER && ifs_ext_lookup(ls, in, in_len, out, out_len, &done, &err))
    {
        r = err ? SOCKET_ERROR : 0;
        if (!r && ret) *ret = done;
        lsp_trace("WSPIoctl(s %#llx SIO_GET_EXTENSION_FUNCTION_POINTER ifs, the layer's) -> %d err=%d", LSP_SOCK_ARG(s),
                  r, r ? err : 0);
    }
    else if (ls->ifs)
    {
        /* IFS: our handle is the next layer's; its ioctls apply as they are. The extension functions
         * the layer knows are the layer's tracing wrappers over the next layer's (lsp_ext.c), which
         * take the same handles and OVERLAPPED. */
        GUID id;
        struct lsp_ifs_watch *w = NULL;
        LPWSAOVERLAPPED_COMPLETION_ROUTINE down;

        if (code == SIO_GET_EXTENSION_FUNCTION_POINTER && in && in_len >= sizeof(GUID) && !ov && lsp_tracing() &&
            (memcpy(&id, in, sizeof(id)), lsp_ext_ifs_lookup(ls, &id, out, out_len, &done, &err)))
            r = err ? SOCKET_ERROR : 0;
        else
        {
            down = lsp_ifs_watch_begin(ls, ov, ov ? cr : NULL, "WSPIoctl", &w);
            r = ls->low->procs.lpWSPIoctl(ls->lower, code, in, in_len, out, out_len, &done, ov, down, tid, &err);
            lsp_ifs_watch_started(w, r, err);
        }
        if (!r && ret) *ret = done;
        if (!r && code == FIONBIO && in && in_len >= sizeof(u_long)) ls->nonblocking = *(const u_long *)in != 0;
        lsp_trace("WSPIoctl(s %#llx code %#lx in %lu out %lu ov %p ifs) -> %d returned=%lu err=%d", LSP_SOCK_ARG(s),
                  (unsigned long)code, (unsigned long)in_len, (unsigned long)out_len, (void *)ov, r,
                  (unsigned long)done, r ? err : 0);
    }
    else if (code == SIO_GET_EXTENSION_FUNCTION_POINTER)
    {
        GUID id;
        if (!in || in_len < sizeof(GUID)) err = WSAEFAULT;
        else
        {
            memcpy(&id, in, sizeof(id));
            if (!lsp_ext_lookup(ls, &id, out, out_len, &done, &err)) err = WSAEINVAL; /* unknown to the layer */
        }
        if (!err)
        {
            if (ret) *ret = done;
            r = 0;
            if (ov)
            {
                /* Done at once, still reported through the OVERLAPPED (and the routine, if any). */
                if (!(op = lsp_op_new(ls, ls->lower, ov, "WSPIoctl", 0))) r = SOCKET_ERROR, err = WSAENOBUFS;
                else if ((err = lsp_op_set_routine(op, cr)))
                {
                    ov->Internal = 0;
                    r = SOCKET_ERROR;
                }
                else lsp_op_finish(op, 0, done);
                if (op) lsp_op_release(op);
            }
        }
        lsp_trace("WSPIoctl(s %#llx SIO_GET_EXTENSION_FUNCTION_POINTER) -> %d err=%d", LSP_SOCK_ARG(s), r, r ? err : 0);
    }
    else if (code == SIO_EXT_POLL && !ov)
    {
        /* WSAPoll: the WSAPOLLDATA holds our handles; the next layer gets its own. */
        r = ext_poll(ls, in, in_len, out, out_len, &done, tid, &err);
        if (!r && ret) *ret = done;
        lsp_trace("WSPIoctl(s %#llx SIO_EXT_POLL) -> %d err=%d", LSP_SOCK_ARG(s), r, r ? err : 0);
    }
    else if (code == SIO_EXT_POLL || code == SIO_EXT_SELECT || code == SIO_EXT_SENDMSG)
    {
        /* SIO_EXT_SELECT/SENDMSG: undocumented layouts the layer cannot translate; ws2_32 falls back
         * to WSPSelect / the plain calls. */
        err = WSAEOPNOTSUPP;
    }
    else if (!ov)
    {
        r = ls->low->procs.lpWSPIoctl(ls->lower, code, in, in_len, out, out_len, &done, NULL, NULL, tid, &err);
        if (!r && ret) *ret = done;
        if (!r && code == FIONBIO && in && in_len >= sizeof(u_long)) ls->nonblocking = *(const u_long *)in != 0;
        lsp_trace("WSPIoctl(s %#llx code %#lx in %lu out %lu) -> %d returned=%lu err=%d", LSP_SOCK_ARG(s),
                  (unsigned long)code, (unsigned long)in_len, (unsigned long)out_len, r, (unsigned long)done,
                  r ? err : 0);
    }
    else if (!(op = lsp_op_new(ls, ls->lower, ov, "WSPIoctl", 0))) err = WSAENOBUFS;
    else if ((err = lsp_op_set_routine(op, cr)))
    {
        ov->Internal = 0;
        lsp_op_release(op);
    }
    else
    {
        r = ls->low->procs.lpWSPIoctl(ls->lower, code, in, in_len, out, out_len, &done, &op->lov, NULL, tid, &err);
        lsp_trace("WSPIoctl(s %#llx code %#lx in %lu out %lu ov %p) -> %d err=%d", LSP_SOCK_ARG(s), (unsigned long)code,
                  (unsigned long)in_len, (unsigned long)out_len, (void *)ov, r, r ? err : 0);
        err = lsp_op_started(op, r, err, done);
        if (!err && ret) *ret = done;
        r = err ? SOCKET_ERROR : 0;
    }
    lsp_sock_put(ls);
    return r ? lsp_fail(lpErrno, err) : 0;
}

void lsp_io_fill(WSPPROC_TABLE *t)
{
    t->lpWSPSend = lsp_send;
    t->lpWSPSendTo = lsp_send_to;
    t->lpWSPRecv = lsp_recv;
    t->lpWSPRecvFrom = lsp_recv_from;
    t->lpWSPGetOverlappedResult = lsp_get_overlapped_result;
    t->lpWSPIoctl = lsp_ioctl;
}
