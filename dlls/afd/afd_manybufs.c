/* afd_manybufs.c - sends and receives with more WSABUFs than the host takes at once. Windows accepts
 * any number of buffers (Go's net.Buffers writes thousands); Wine hands each WSABUF to Linux as one
 * iovec, and Linux refuses more than 1,024 (UIO_MAXIOV: EMSGSIZE -> WSAEMSGSIZE). Adjacent buffers
 * are merged first (no change in meaning); what still has more than 1,024 pieces goes through a
 * bounce buffer: sends gather into it (an overlapped send keeps it until the request completes),
 * synchronous receives scatter from it. An overlapped receive cannot scatter before its completion is
 * reported, so it receives into the first 1,024 pieces: a partial receive on a stream (as any receive
 * may be), a datagram larger than those pieces truncated with WSAEMSGSIZE (docs/STATUS.md).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <winternl.h>
#include <ntstatus.h>
#include "afd_private.h"

struct afd_bounce
{
    LONG refs;
    HANDLE event;        /* ours: the request's event, so that we learn when it completed */
    HANDLE user_event;   /* the caller's (set by us after the request completed), or NULL */
    HANDLE wait;         /* the thread-pool wait on event */
    size_t len;
    char data[];
};

DWORD afd_bufs_merge(const WSABUF *in, DWORD count, WSABUF *out)
{
    DWORD i, n = 0;

    for (i = 0; i < count; i++)
    {
        if (!in[i].len) continue;
        if (n && out[n - 1].buf + out[n - 1].len == in[i].buf && out[n - 1].len <= 0xffffffffu - in[i].len)
            out[n - 1].len += in[i].len;
        else out[n++] = in[i];
    }
    return n;
}

struct afd_bounce *afd_bounce_new(const WSABUF *bufs, DWORD count, BOOL gather)
{
    struct afd_bounce *b;
    size_t total = 0, off = 0;
    DWORD i;

    for (i = 0; i < count; i++)
    {
        if (bufs[i].len > 0x7fffffff - total) return NULL;  /* more than one transfer can carry */
        total += bufs[i].len;
    }
    if (!(b = HeapAlloc(GetProcessHeap(), 0, offsetof(struct afd_bounce, data) + (total ? total : 1)))) return NULL;
    b->refs = 1;
    b->event = b->user_event = b->wait = NULL;
    b->len = total;
    if (gather)
        for (i = 0; i < count; i++)
        {
            memcpy(b->data + off, bufs[i].buf, bufs[i].len);
            off += bufs[i].len;
        }
    return b;
}

char *afd_bounce_data(struct afd_bounce *b)
{
    return b->data;
}

size_t afd_bounce_scatter(const struct afd_bounce *b, size_t bytes, const WSABUF *bufs, DWORD count)
{
    size_t off = 0;
    DWORD i;

    for (i = 0; i < count && off < bytes; i++)
    {
        size_t n = bufs[i].len < bytes - off ? bufs[i].len : bytes - off;
        memcpy(bufs[i].buf, b->data + off, n);
        off += n;
    }
    return off;
}

static void afd_bounce_release(struct afd_bounce *b)
{
    if (InterlockedDecrement(&b->refs)) return;
    if (b->wait) UnregisterWaitEx(b->wait, NULL);  /* non-blocking: allowed inside the callback */
    if (b->event) CloseHandle(b->event);
    HeapFree(GetProcessHeap(), 0, b);
}

void afd_bounce_free(struct afd_bounce *b)
{
    if (b) afd_bounce_release(b);
}

BOOL afd_bounce_overlapped(struct afd_bounce *b, struct afd_io *io)
{
    if (!(b->event = CreateEventW(NULL, TRUE, FALSE, NULL))) return FALSE;
    b->user_event = io->event;
    io->event = b->event;
    return TRUE;
}

static void CALLBACK afd_bounce_done(void *param, BOOLEAN timed_out)
{
    struct afd_bounce *b = param;

    (void)timed_out;
    if (b->user_event) SetEvent(b->user_event);
    afd_bounce_release(b);
}

void afd_bounce_submitted(struct afd_bounce *b, NTSTATUS status)
{
    if (status != STATUS_PENDING)
    {
        /* finished at once: the host has the data; the caller's event is set as Wine would have */
        if (!NT_ERROR(status) && b->user_event) SetEvent(b->user_event);
        afd_bounce_release(b);
        return;
    }
    /* pending: the buffer lives until the request completes (our event), then the caller's event is
     * set and the buffer freed; the completion port and the completion routine are Wine's as usual */
    InterlockedIncrement(&b->refs);
    if (!RegisterWaitForSingleObject(&b->wait, b->event, afd_bounce_done, b, INFINITE,
                                     WT_EXECUTEONLYONCE | WT_EXECUTEINWAITTHREAD))
    {
        /* no thread-pool wait: wait here (the request still completes; only this call is late) */
        b->wait = NULL;
        WaitForSingleObject(b->event, INFINITE);
        afd_bounce_done(b, FALSE);
    }
    afd_bounce_release(b);
}
