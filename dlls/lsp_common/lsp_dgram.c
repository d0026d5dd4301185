/* lsp_dgram.c - datagram sockets an LSP handles itself (the dgram_* hooks, e.g. a SOCKS UDP
 * association): synchronous calls run the hook; overlapped requests on a non-IFS socket run it in
 * the thread pool (waiting for the next layer's socket as a blocking socket would) and complete the
 * application's OVERLAPPED (events, completion ports, completion routines) as lsp_io.c does; an IFS
 * socket's OVERLAPPED can only be completed by the kernel: WSAEOPNOTSUPP.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_internal.h"

#include <stdlib.h>

struct dgram_job
{
    struct lsp_op *op;      /* referenced; op->ls the socket */
    BOOL send;
    WSABUF *bufs;           /* a copy of the application's array (the buffers are the application's) */
    DWORD n, flags;
    struct sockaddr_storage to;
    int tolen;
    struct sockaddr *from;  /* the application's, valid until completion (WSARecvFrom's contract) */
    int *fromlen;
};

static int run_hook(struct lsp_sock *ls, BOOL send, WSABUF *bufs, DWORD n, DWORD *flags, const struct sockaddr *to,
                    int tolen, struct sockaddr *from, int *fromlen, DWORD *bytes, BOOL *handled)
{
    *handled = FALSE;
    if (send) return lsp_hooks.dgram_send(ls, bufs, n, *flags, to, tolen, bytes, handled);
    return lsp_hooks.dgram_recv(ls, bufs, n, flags, from, fromlen, bytes, handled);
}

static DWORD WINAPI dgram_run(void *param)
{
    struct dgram_job *job = param;
    struct lsp_sock *ls = job->op->ls;
    DWORD bytes = 0, flags;
    BOOL handled;
    int err;

    for (;;)
    {
        flags = job->flags;
        err = run_hook(ls, job->send, job->bufs, job->n, &flags, job->tolen ? (struct sockaddr *)&job->to : NULL,
                       job->tolen, job->from, job->fromlen, &bytes, &handled);
        if (err != WSAEWOULDBLOCK) break;
        /* a non-blocking socket: wait as the overlapped request would */
        if ((err = lsp_lower_wait(ls, job->send, 3600 * 1000)) && err != WSAETIMEDOUT) break;
    }
    job->op->flags = job->send ? 0 : flags;
    lsp_op_finish(job->op, err, err && err != WSAEMSGSIZE ? 0 : bytes);
    lsp_op_release(job->op);
    free(job->bufs);
    free(job);
    return 0;
}

int lsp_dgram_call(struct lsp_sock *ls, BOOL send, LPWSABUF bufs, DWORD n, DWORD *bytes, DWORD *flags,
                   const struct sockaddr *to, int tolen, struct sockaddr *from, int *fromlen, LPWSAOVERLAPPED ov,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, BOOL *handled)
{
    struct dgram_job *job;
    struct lsp_op *op;
    DWORD f = flags ? *flags : 0, done = 0;
    int err;

    *handled = FALSE;
    if (ls->info.iSocketType != SOCK_DGRAM || !lsp_hooks.dgram_send || !lsp_hooks.dgram_recv) return 0;
    if (!ov)
    {
        err = run_hook(ls, send, bufs, n, &f, to, tolen, from, fromlen, &done, handled);
        if (*handled && (!err || err == WSAEMSGSIZE))
        {
            if (bytes) *bytes = done;
            if (flags && !send) *flags = f;
        }
        return err;
    }
    if (!lsp_hooks.dgram_owned || !lsp_hooks.dgram_owned(ls, send, to, tolen)) return 0;
    *handled = TRUE;
    if (ls->ifs) return WSAEOPNOTSUPP;
    if (send)
    {
        /* a datagram is sent at once: the request completes before the call returns */
        BOOL h = FALSE;
        if (!(op = lsp_op_new(ls, ls->lower, ov, "WSPSendTo(udp)", 1))) return WSAENOBUFS;
        if ((err = lsp_op_set_routine(op, cr)))
        {
            ov->Internal = 0;
            lsp_op_release(op);
            return err;
        }
        err = run_hook(ls, TRUE, bufs, n, &f, to, tolen, NULL, NULL, &done, &h);
        if (err)
        {
            ov->Internal = 0;
            lsp_op_release(op);
            return err;
        }
        lsp_op_finish(op, 0, done);
        lsp_op_release(op);
        if (bytes) *bytes = done;
        return 0;
    }
    if (tolen < 0 || tolen > (int)sizeof(job->to) || !n || !bufs) return WSAEFAULT;
    if (!(job = calloc(1, sizeof(*job))) || !(job->bufs = calloc(n, sizeof(*bufs))))
    {
        free(job);
        return WSAENOBUFS;
    }
    memcpy(job->bufs, bufs, n * sizeof(*bufs));
    job->n = n;
    job->send = send;
    job->flags = f;
    if (to && tolen) memcpy(&job->to, to, tolen), job->tolen = tolen;
    job->from = from;
    job->fromlen = fromlen;
    if (!(op = lsp_op_new(ls, ls->lower, ov, send ? "WSPSendTo(udp)" : "WSPRecvFrom(udp)", send ? 1 : 2)))
        err = WSAENOBUFS;
    else if ((err = lsp_op_set_routine(op, cr)))
    {
        ov->Internal = 0;
        lsp_op_release(op);
    }
    else
    {
        job->op = op;
        if (QueueUserWorkItem(dgram_run, job, WT_EXECUTELONGFUNCTION)) return WSA_IO_PENDING;
        ov->Internal = 0;
        lsp_op_release(op);
        err = WSAENOBUFS;
    }
    free(job->bufs);
    free(job);
    return err;
}
