/* lsp_dgram.c - datagram sockets an LSP handles itself (the dgram_* hooks, e.g. a SOCKS UDP
 * association): synchronous calls run the hook; overlapped requests run it in the thread pool
 * (waiting for the next layer's socket as a blocking socket would) and complete the application's
 * OVERLAPPED (events, completion ports, completion routines) as lsp_io.c does. On an IFS socket the
 * OVERLAPPED is completed as the kernel completes one (wine_compat_complete: Wine 8.0 to 10.0;
 * elsewhere WSAEOPNOTSUPP): a datagram is received into the job's own buffer and copied to the
 * application's when the request completes, and closing the socket completes its pending requests
 * with WSA_OPERATION_ABORTED first (while the handle still has its completion port), after which
 * nothing of the application's is touched.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_internal.h"
#include "wine_compat.h"

#include <stdlib.h>
#include <string.h>

#define DGRAM_MAX 65536 /* more than any datagram's payload */

struct dgram_job
{
    struct dgram_job *next; /* IFS: the pending list below */
    struct lsp_op *op;      /* referenced; op->ls the socket */
    BOOL send;
    WSABUF *bufs;           /* a copy of the application's array (the buffers are the application's) */
    DWORD n, flags;
    struct sockaddr_storage to;
    int tolen;
    struct sockaddr *from;  /* the application's, valid until completion (WSARecvFrom's contract) */
    int *fromlen;
    /* IFS receive: the datagram lands here and is copied when the request completes */
    WSABUF own;
    struct sockaddr_storage own_from;
    int own_fromlen;
    BOOL claimed;           /* IFS: completed (by the job, or aborted by the close); under ifs_lock */
};

static SRWLOCK ifs_lock = SRWLOCK_INIT;
static struct dgram_job *ifs_jobs;

/* Takes job out of the pending list and claims its completion: FALSE when the close did. */
static BOOL ifs_claim(struct dgram_job *job)
{
    struct dgram_job **p;
    BOOL mine;

    AcquireSRWLockExclusive(&ifs_lock);
    mine = !job->claimed;
    job->claimed = TRUE;
    for (p = &ifs_jobs; *p; p = &(*p)->next)
        if (*p == job)
        {
            *p = job->next;
            break;
        }
    ReleaseSRWLockExclusive(&ifs_lock);
    return mine;
}

/* Copies the received datagram (bytes of it) and, when it was received (err 0 or WSAEMSGSIZE), its
 * sender to the application's buffers. */
static void ifs_copy_out(struct dgram_job *job, int err, DWORD bytes)
{
    const char *src = job->own.buf;
    DWORD i, take;

    for (i = 0; i < job->n && bytes; i++)
    {
        take = job->bufs[i].len < bytes ? job->bufs[i].len : bytes;
        memcpy(job->bufs[i].buf, src, take);
        src += take;
        bytes -= take;
    }
    if (job->from && job->fromlen && (!err || err == WSAEMSGSIZE))
    {
        memcpy(job->from, &job->own_from, job->own_fromlen);
        *job->fromlen = job->own_fromlen;
    }
}

void lsp_dgram_abort(struct lsp_sock *ls)
{
    struct lsp_op *ops[64];
    struct dgram_job **p, *job;
    size_t n, i;

    do
    {
        n = 0;
        AcquireSRWLockExclusive(&ifs_lock);
        for (p = &ifs_jobs; *p && n < sizeof(ops) / sizeof(ops[0]);)
        {
            job = *p;
            if (job->op->ls != ls)
            {
                p = &job->next;
                continue;
            }
            *p = job->next;
            job->claimed = TRUE;
            InterlockedIncrement(&job->op->refs);
            ops[n++] = job->op;
        }
        ReleaseSRWLockExclusive(&ifs_lock);
        for (i = 0; i < n; i++)
        {
            lsp_op_finish(ops[i], WSA_OPERATION_ABORTED, 0);
            lsp_op_release(ops[i]);
        }
    } while (n == sizeof(ops) / sizeof(ops[0]));
}

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
        if (job->own.buf)
            err = run_hook(ls, FALSE, &job->own, 1, &flags, NULL, 0, job->from ? (struct sockaddr *)&job->own_from : NULL,
                           job->from ? &job->own_fromlen : NULL, &bytes, &handled);
        else
            err = run_hook(ls, job->send, job->bufs, job->n, &flags, job->tolen ? (struct sockaddr *)&job->to : NULL,
                           job->tolen, job->from, job->fromlen, &bytes, &handled);
        if (err != WSAEWOULDBLOCK) break;
        /* a non-blocking socket: wait as the overlapped request would */
        if ((err = lsp_lower_wait(ls, job->send, 3600 * 1000)) && err != WSAETIMEDOUT) break;
    }
    if (err && err != WSAEMSGSIZE) bytes = 0;
    if (!job->own.buf || ifs_claim(job))
    {
        if (job->own.buf) ifs_copy_out(job, err, bytes);
        job->op->flags = job->send ? 0 : flags;
        lsp_op_finish(job->op, err, bytes);
    }
    lsp_op_release(job->op);
    free(job->own.buf);
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
    if (ls->ifs && !wine_compat_can_complete()) return WSAEOPNOTSUPP;
    if (send)
    {
        /* a datagram is sent at once: the request completes before the call returns */
        BOOL h = FALSE;
        if (!(op = lsp_op_new(ls, ls->lower, ov, "WSPSendTo(udp)", 1))) return WSAENOBUFS;
        op->in_call = TRUE;
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
    if (ls->ifs)
    {
        DWORD i, total = 0;
        for (i = 0; i < n && total < DGRAM_MAX; i++) total += bufs[i].len < DGRAM_MAX ? bufs[i].len : DGRAM_MAX;
        job->own.len = total < DGRAM_MAX ? total : DGRAM_MAX;
        job->own_fromlen = from && fromlen ? (*fromlen < (int)sizeof(job->own_from) ? *fromlen : (int)sizeof(job->own_from))
                                           : 0;
        if (!(job->own.buf = malloc(job->own.len ? job->own.len : 1)))
        {
            free(job->bufs);
            free(job);
            return WSAENOBUFS;
        }
    }
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
        if (ls->ifs)
        {
            AcquireSRWLockExclusive(&ifs_lock);
            job->next = ifs_jobs;
            ifs_jobs = job;
            ReleaseSRWLockExclusive(&ifs_lock);
        }
        if (QueueUserWorkItem(dgram_run, job, WT_EXECUTELONGFUNCTION)) return WSA_IO_PENDING;
        if (ls->ifs) ifs_claim(job);
        ov->Internal = 0;
        lsp_op_release(op);
        err = WSAENOBUFS;
    }
    free(job->own.buf);
    free(job->bufs);
    free(job);
    return err;
}
