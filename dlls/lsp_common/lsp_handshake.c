/* lsp_handshake.c - the redirected connection of a non-blocking socket (connect/WSAConnect answers
 * WSAEWOULDBLOCK, as a non-blocking connect does): the connection to the proxy and the LSP's
 * handshake run in the thread pool; while they run the socket is not ready (lsp_select.c) and its
 * event select is held back below; when they end the socket reports what a connect reports on
 * Windows: writable (select, WSAPoll POLLOUT) and FD_CONNECT + FD_WRITE on success; on failure the
 * exception set, FD_CONNECT with the error code and SO_ERROR (lsp_calls.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_internal.h"

#include <stdlib.h>

struct hs_job
{
    struct lsp_sock *ls; /* referenced */
    struct sockaddr_storage target, via;
    int target_len, via_len;
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

static DWORD WINAPI hs_run(void *param)
{
    struct hs_job *job = param;

    hs_finish(job->ls, lsp_redirect_run(job->ls, (struct sockaddr *)&job->target, job->target_len, &job->via,
                                        job->via_len));
    lsp_sock_put(job->ls);
    free(job);
    lsp_io_unhold();
    return 0;
}

int lsp_async_connect(struct lsp_sock *ls, const struct sockaddr *name, int namelen,
                      const struct sockaddr_storage *via, int via_len)
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
    return WSAEWOULDBLOCK;
}
