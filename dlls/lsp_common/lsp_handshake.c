/* lsp_handshake.c - the redirected connection of a non-blocking socket (connect/WSAConnect answers
 * WSAEWOULDBLOCK, as a non-blocking connect does) and of ConnectEx on an IFS socket (ERROR_IO_PENDING):
 * the connection to the proxy and the LSP's handshake run in the thread pool; while they run the
 * socket is not ready (lsp_select.c) and its event select is held back below; when they end the
 * socket reports what a connect reports on Windows: writable (select, WSAPoll POLLOUT) and
 * FD_CONNECT + FD_WRITE on success; on failure the exception set, FD_CONNECT with the error code and
 * SO_ERROR (lsp_calls.c). The IFS ConnectEx's OVERLAPPED is then completed by the kernel (see
 * hs_complete_connectex).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_internal.h"
#include "wine_compat.h"

#include <stdlib.h>
#include <winternl.h>

struct hs_job
{
    struct lsp_sock *ls; /* referenced */
    struct sockaddr_storage target, via;
    int target_len, via_len;
    LPOVERLAPPED ov;     /* an IFS ConnectEx's: completed at the end */
    const char *send_buf;
    DWORD send_len;
    BOOL layer_completes; /* wine_compat_complete delivers the completion (see hs_complete_connectex) */
    HANDLE ov_event;     /* ov's hEvent at the call: the request's event (a layer above may have changed
                          * the OVERLAPPED's since, as lsp_ifs_watch.c does for the call's length) */
};

/* Ends the handshake: records the result, then re-arms the event select held back below and reports
 * FD_CONNECT (and FD_WRITE once connected) itself. */
static void hs_finish(struct lsp_sock *ls, int err)
{
    WSANETWORKEVENTS discard;
    WSAEVENT event;
    HWND hwnd;
    UINT msg;
    long mask, synth = 0;
    int e = 0;

    AcquireSRWLockExclusive(&ls->lock);
    ls->hs_error = err;
    event = ls->sel_event;
    mask = ls->sel_mask;
    hwnd = ls->async_hwnd;
    msg = ls->async_msg;
    if (mask & FD_CONNECT) synth |= FD_CONNECT;
    if (!err && (mask & FD_WRITE)) synth |= FD_WRITE;
    if (!hwnd)
    {
        ls->synth_events |= synth;
        ls->synth_connect_error = err;
    }
    /* The state first: an application woken by the event select below finds the handshake over (its
     * WSPEnumNetworkEvents takes the lock too). */
    InterlockedExchange(&ls->hs_state, err ? LSP_HS_FAILED : LSP_HS_DONE);
    if (event && mask && !err)
    {
        /* What happened below during the handshake (the proxy's connection, its replies) is not the
         * application's: clear the record, then select what the application asked for. A failed
         * connection reports FD_CONNECT only: nothing is selected below (the connection to the proxy
         * is not the application's). */
        memset(&discard, 0, sizeof(discard));
        ls->low->procs.lpWSPEnumNetworkEvents(ls->lower, NULL, &discard, &e);
        ls->low->procs.lpWSPEventSelect(ls->lower, event, mask, &e);
    }
    ReleaseSRWLockExclusive(&ls->lock);
    if (hwnd)
    {
        if (synth & FD_CONNECT) lsp_upcalls.lpWPUPostMessage(hwnd, msg, (WPARAM)ls->s, WSAMAKESELECTREPLY(FD_CONNECT, err));
        if (synth & FD_WRITE) lsp_upcalls.lpWPUPostMessage(hwnd, msg, (WPARAM)ls->s, WSAMAKESELECTREPLY(FD_WRITE, 0));
    }
    else if (event && synth)
        SetEvent(event);
    lsp_trace("handshake(s %#llx) ended: err=%d, reported %#lx", LSP_SOCK_ARG(ls->s), err, synth);
}

/* The kernel's status for a failed conversation, one the base provider maps back to the same error
 * (WSAGetOverlappedResult) and GetOverlappedResult to the system error Windows gives. */
static ULONG hs_error_status(int err)
{
    return lsp_wsa_status(err, 0xC0000236 /* STATUS_CONNECTION_REFUSED: how a failed proxy looks */);
}

/* Sends the initial data of a ConnectEx with the layer's own OVERLAPPED (its event's low bit set:
 * no packet on the application's port) and waits for it: 0 or the error, *done the byte count. */
static int hs_send_initial(struct lsp_sock *ls, const char *buf, DWORD len, DWORD *done)
{
    WSABUF b = { len, (char *)buf };
    WSATHREADID tid = { GetCurrentThread(), 0 };
    WSAOVERLAPPED ov;
    DWORD flags = 0;
    HANDLE event;
    int e = 0;

    *done = 0;
    if (!(event = CreateEventW(NULL, TRUE, FALSE, NULL))) return WSAENOBUFS;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = (HANDLE)((ULONG_PTR)event | 1);
    if (!ls->low->procs.lpWSPSend(ls->lower, &b, 1, done, 0, &ov, NULL, &tid, &e)) e = 0;
    else if (e == WSA_IO_PENDING)
    {
        WaitForSingleObject(event, INFINITE);
        e = ls->low->procs.lpWSPGetOverlappedResult(ls->lower, &ov, done, FALSE, &flags, &e) ? 0 : (e ? e : WSAEINVAL);
    }
    else if (!e) e = WSAECONNRESET;
    CloseHandle(event);
    return e;
}

/* An IFS ConnectEx ends as the kernel ends a pending request: status, byte count, event, packet.
 * Where wine_compat_complete works (Wine 8.0 to 10.0), the initial data goes with the layer's own
 * OVERLAPPED and wine_compat_complete completes the application's, with the event the request was
 * made with (a layer above may watch it with its own: lsp_ifs_watch.c), also on a handle that skips
 * the completion port on success. Elsewhere under Wine a request of the next layer's on the
 * application's OVERLAPPED completes it: connected, the initial data (possibly none) is sent with
 * it, and its byte count is ConnectEx's; failed, Wine's COMPLETE_ASYNC ioctl ends it with the error
 * (both complete in their call: no packet with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, which is why
 * lsp_async_connectex then declines). */
static void hs_complete_connectex(struct hs_job *job, int err)
{
    struct lsp_sock *ls = job->ls;
    WSABUF b = { job->send_len, (char *)job->send_buf };
    WSATHREADID tid = { GetCurrentThread(), 0 };
    DWORD done = 0;
    int e = 0;
    long st;

    if (job->layer_completes)
    {
        if (!err) err = hs_send_initial(ls, job->send_buf, job->send_len, &done);
        if ((st = wine_compat_complete((void *)ls->lower, job->ov, job->ov_event, err ? hs_error_status(err) : 0,
                                       err ? 0 : done, 1)))
            lsp_trace("ConnectEx(s %#llx ifs): completing failed (status %#lx)", LSP_SOCK_ARG(ls->s),
                      (unsigned long)st);
    }
    else
    {
        if (!err && ls->low->procs.lpWSPSend(ls->lower, &b, 1, &done, 0, (LPWSAOVERLAPPED)job->ov, NULL, &tid, &e) &&
            e != WSA_IO_PENDING)
            err = e ? e : WSAECONNRESET;
        if (err && (st = wine_compat_afd_complete((void *)ls->lower, job->ov, hs_error_status(err))) !=
                       (long)hs_error_status(err))
            lsp_trace("ConnectEx(s %#llx ifs): completing with error %d failed (status %#lx)", LSP_SOCK_ARG(ls->s),
                      err, (unsigned long)st);
    }
    lsp_trace("ConnectEx(s %#llx ov %p ifs redirected) completed in the background: err=%d sent=%lu",
              LSP_SOCK_ARG(ls->s), (void *)job->ov, err, err ? 0ul : (unsigned long)done);
}

static DWORD WINAPI hs_run(void *param)
{
    struct hs_job *job = param;
    int err = lsp_redirect_run(job->ls, (struct sockaddr *)&job->target, job->target_len, &job->via, job->via_len);

    hs_finish(job->ls, err);
    if (job->ov) hs_complete_connectex(job, err);
    lsp_sock_put(job->ls);
    free(job);
    lsp_io_unhold();
    return 0;
}

static int hs_start(struct lsp_sock *ls, const struct sockaddr *name, int namelen, const struct sockaddr_storage *via,
                    int via_len, LPOVERLAPPED ov, const void *send_buf, DWORD send_len, BOOL layer_completes)
{
    struct hs_job *job;
    int e = 0;

    if (namelen <= 0 || namelen > (int)sizeof(job->target)) return WSAEFAULT;
    switch (InterlockedCompareExchange(&ls->hs_state, LSP_HS_PENDING, LSP_HS_NONE))
    {
    case LSP_HS_NONE: break;
    case LSP_HS_PENDING: return WSAEALREADY;
    case LSP_HS_DONE: return WSAEISCONN;
    default: return WSAEINVAL; /* the connection failed: the socket is not reusable */
    }
    if (!(job = calloc(1, sizeof(*job))))
    {
        InterlockedExchange(&ls->hs_state, LSP_HS_NONE);
        return WSAENOBUFS;
    }
    job->ls = ls;
    InterlockedIncrement(&ls->refs);
    memcpy(&job->target, name, namelen);
    job->target_len = namelen;
    job->via = *via;
    job->via_len = via_len;
    job->ov = ov;
    job->send_buf = send_buf;
    job->send_len = send_buf ? send_len : 0;
    job->layer_completes = layer_completes;
    if (ov)
    {
        job->ov_event = ov->hEvent;
        ov->Internal = STATUS_PENDING;
        ov->InternalHigh = 0;
    }
    AcquireSRWLockShared(&ls->lock);
    if (ls->sel_event && ls->sel_mask) ls->low->procs.lpWSPEventSelect(ls->lower, NULL, 0, &e); /* held back */
    ReleaseSRWLockShared(&ls->lock);
    lsp_io_hold();
    if (!QueueUserWorkItem(hs_run, job, WT_EXECUTELONGFUNCTION))
    {
        lsp_io_unhold();
        InterlockedExchange(&ls->hs_state, LSP_HS_NONE);
        AcquireSRWLockShared(&ls->lock);
        if (ls->sel_event && ls->sel_mask) ls->low->procs.lpWSPEventSelect(ls->lower, ls->sel_event, ls->sel_mask, &e);
        ReleaseSRWLockShared(&ls->lock);
        lsp_sock_put(ls);
        free(job);
        return WSAENOBUFS;
    }
    return ov ? WSA_IO_PENDING : WSAEWOULDBLOCK;
}

int lsp_async_connect(struct lsp_sock *ls, const struct sockaddr *name, int namelen,
                      const struct sockaddr_storage *via, int via_len)
{
    return hs_start(ls, name, namelen, via, via_len, NULL, NULL, 0, FALSE);
}

/* FILE_SKIP_COMPLETION_PORT_ON_SUCCESS on the handle (or the flags cannot be read): a request that
 * completes at once would queue no packet, so the ConnectEx completes through wine_compat_complete,
 * or in the call where that is not available. */
static BOOL hs_skips_port_on_success(HANDLE h)
{
    typedef LONG(WINAPI * query_fn)(HANDLE, IO_STATUS_BLOCK *, void *, ULONG, ULONG);
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    query_fn query = ntdll ? (query_fn)(void (*)(void))GetProcAddress(ntdll, "NtQueryInformationFile") : NULL;
    IO_STATUS_BLOCK iosb;
    ULONG flags = 0;

    /* FileIoCompletionNotificationInformation (41): FILE_IO_COMPLETION_NOTIFICATION_INFORMATION */
    if (!query || query(h, &iosb, &flags, sizeof(flags), 41)) return TRUE;
    return (flags & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) != 0;
}

int lsp_async_connectex(struct lsp_sock *ls, const struct sockaddr *name, int namelen,
                        const struct sockaddr_storage *via, int via_len, LPOVERLAPPED ov, const void *send_buf,
                        DWORD send_len, BOOL *started)
{
    BOOL completes = wine_compat_can_complete();

    *started = FALSE;
    if (!wine_compat_is_wine() || (!completes && hs_skips_port_on_success((HANDLE)ls->lower))) return 0;
    *started = TRUE;
    return hs_start(ls, name, namelen, via, via_len, ov, send_buf, send_len, completes);
}
