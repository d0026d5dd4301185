/* lsp_ifs_watch.c - traces of overlapped completions on IFS sockets.
 * Copyright (C) 2026 the openws2 authors
 *
 * On an IFS chain the application's OVERLAPPED, event, completion routine and completion port go
 * down to the next layer (its handle is the application's socket), so the layer does not complete
 * the request itself. While tracing, it watches the completion without changing what the
 * application observes:
 *  - a completion routine: the next layer gets the layer's routine instead, which runs in the same
 *    (requesting, alertable) thread with the same arguments, logs the completion and calls the
 *    application's routine with them;
 *  - a manual-reset event (waiting does not consume it): a thread-pool wait on a duplicate of the
 *    event logs the result the next layer's WSPGetOverlappedResult reads from the OVERLAPPED when it
 *    is signalled (when the application has already reused the OVERLAPPED for another request, the
 *    line says so instead of numbers);
 *  - an auto-reset event or none (a completion port, or polling), where wine_compat_complete works
 *    (Wine 8.0 to 10.0): the request goes down with the application's OVERLAPPED (the kernel fills
 *    its status block, and CancelIoEx finds it by it) but, for the length of the call, with the
 *    layer's own event, its low bit set (no packet). When that event is signalled the layer logs the
 *    result, then delivers the completion as the kernel would have: the application's event, the
 *    packet (wine_compat_post: queued also on a handle that skips the port on success when the
 *    request was reported pending, as the kernel's), the socket's handle signalled when there is
 *    no event. Closing the socket first cancels its requests watched so (CancelIoEx) and waits for
 *    their delivery: the kernel's cancellation at close would come after the handle, and with it
 *    the completion port, is gone. Elsewhere these are not watched; a completion port's is logged
 *    when the application asks WSAGetOverlappedResult (lsp_io.c, WSPGetOverlappedResult).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_internal.h"
#include "wine_compat.h"

#include <stdlib.h>

struct lsp_ifs_watch
{
    struct lsp_ifs_watch *next;     /* the pending list (whoever takes a watch out of it owns it) */
    LPWSAOVERLAPPED ov;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine; /* the application's */
    const char *what;
    SOCKET s, lower;
    struct lsp_lower *low;
    HANDLE event, wait;             /* event watches: our duplicate of the application's event;
                                     * forwarded ones: the layer's own */
    BOOL forward;                   /* the layer delivers the completion (see above) */
    HANDLE app_event;               /* forward: the application's hEvent (low bit included) */
};

static SRWLOCK watch_lock = SRWLOCK_INIT;
static struct lsp_ifs_watch *watches;       /* newest first */

/* Takes w (or, with w NULL, the newest routine watch of ov) out of the list: NULL when absent. */
static struct lsp_ifs_watch *take(struct lsp_ifs_watch *w, LPWSAOVERLAPPED ov)
{
    struct lsp_ifs_watch **p, *found = NULL;

    AcquireSRWLockExclusive(&watch_lock);
    for (p = &watches; *p; p = &(*p)->next)
        if (w ? *p == w : ((*p)->ov == ov && (*p)->routine))
        {
            found = *p;
            *p = found->next;
            break;
        }
    ReleaseSRWLockExclusive(&watch_lock);
    return found;
}

/* NtQueryEvent (ntdll): the event's type, so that only notification (manual-reset) events are
 * waited on. */
typedef LONG (WINAPI *nt_query_event_fn)(HANDLE, int, void *, ULONG, ULONG *);
struct event_basic { int type; LONG state; };

static BOOL manual_reset_event(HANDLE h)
{
    static nt_query_event_fn query;
    struct event_basic info;
    ULONG len = 0;

    if (!query)
    {
        HMODULE nt = GetModuleHandleW(L"ntdll.dll");
        if (!nt || !(query = (nt_query_event_fn)(void *)GetProcAddress(nt, "NtQueryEvent"))) return FALSE;
    }
    return !query(h, 0 /* EventBasicInformation */, &info, sizeof(info), &len) && info.type == 0 /* Notification */;
}

/* Is the OVERLAPPED still committed, readable memory? (the application may have freed it) */
static BOOL readable(const void *p, SIZE_T size)
{
    MEMORY_BASIC_INFORMATION mbi;
    const char *cur = p, *end = (const char *)p + size;

    while (cur < end)
    {
        if (!VirtualQuery(cur, &mbi, sizeof(mbi)) || mbi.State != MEM_COMMIT ||
            (mbi.Protect & (PAGE_GUARD | PAGE_NOACCESS)))
            return FALSE;
        cur = (const char *)mbi.BaseAddress + mbi.RegionSize;
    }
    return TRUE;
}

/* The layer's completion routine: same thread, same arguments as the application's. */
static void CALLBACK ifs_routine(DWORD err, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    struct lsp_ifs_watch *w = take(NULL, ov);

    if (!w) return; /* cannot happen: every routine handed down has its watch until it runs */
    lsp_trace("%s(s %#llx ov %p ifs) completed: bytes=%lu flags=%#lx err=%lu (apc)", w->what, LSP_SOCK_ARG(w->s),
              (void *)ov, (unsigned long)bytes, (unsigned long)flags, (unsigned long)err);
    w->routine(err, bytes, ov, flags);
    free(w);
}

static void CALLBACK event_signalled(void *param, BOOLEAN timeout)
{
    struct lsp_ifs_watch *w = param;
    DWORD bytes = 0, flags = 0;
    int err = 0;

    (void)timeout;
    if (take(w, NULL) != w) return; /* lsp_ifs_watch_drain took it: it unregisters and frees it */
    if (!readable(w->ov, sizeof(*w->ov)))
        lsp_trace("%s(s %#llx ov %p ifs) completed (event); the OVERLAPPED is gone", w->what, LSP_SOCK_ARG(w->s),
                  (void *)w->ov);
    else if (!w->low->procs.lpWSPGetOverlappedResult(w->lower, w->ov, &bytes, FALSE, &flags, &err) &&
             err == WSA_IO_INCOMPLETE)
        lsp_trace("%s(s %#llx ov %p ifs) completed (event); the OVERLAPPED already carries a new request", w->what,
                  LSP_SOCK_ARG(w->s), (void *)w->ov);
    else if (err == WSAENOTSOCK)
    {
        /* The application closed the socket before this wait ran (the thread pool may run it late):
         * the status block the kernel filled still tells the outcome. */
        ULONG_PTR status = w->ov->Internal;
        if (!status)
            lsp_trace("%s(s %#llx ov %p ifs) completed: bytes=%lu flags=0 err=0 (event)", w->what, LSP_SOCK_ARG(w->s),
                      (void *)w->ov, (unsigned long)w->ov->InternalHigh);
        else
            lsp_trace("%s(s %#llx ov %p ifs) completed: bytes=%lu status=%#lx (event; the socket is closed)", w->what,
                      LSP_SOCK_ARG(w->s), (void *)w->ov, (unsigned long)w->ov->InternalHigh, (unsigned long)status);
    }
    else
        lsp_trace("%s(s %#llx ov %p ifs) completed: bytes=%lu flags=%#lx err=%d (event)", w->what, LSP_SOCK_ARG(w->s),
                  (void *)w->ov, (unsigned long)bytes, (unsigned long)flags, err);
    UnregisterWait(w->wait); /* from its own callback: returns at once (ERROR_IO_PENDING) */
    CloseHandle(w->event);
    free(w);
}

/* A forwarded request's end: logs it, then the kernel's delivery (the status block is filled). */
static void forward_deliver(struct lsp_ifs_watch *w, BOOL in_call)
{
    HANDLE event = (HANDLE)((ULONG_PTR)w->app_event & ~(ULONG_PTR)1);
    ULONG_PTR status = w->ov->Internal, bytes = w->ov->InternalHigh;
    DWORD got = 0, flags = 0;
    int err = 0;
    long st = 0;

    if (!w->low->procs.lpWSPGetOverlappedResult(w->lower, w->ov, &got, FALSE, &flags, &err) && !err) err = WSAEINVAL;
    lsp_trace("%s(s %#llx ov %p ifs) completed: bytes=%lu flags=%#lx err=%d (%s)", w->what, LSP_SOCK_ARG(w->s),
              (void *)w->ov, (unsigned long)bytes, (unsigned long)flags, err,
              event ? "event" : ((ULONG_PTR)w->app_event & 1) ? "no packet" : "port");
    if (event) SetEvent(event);
    else wine_compat_afd_signal((void *)w->lower);
    if (!((ULONG_PTR)w->app_event & 1) &&
        (st = wine_compat_post((void *)w->lower, (OVERLAPPED *)w->ov, (unsigned long)status, bytes, !in_call)))
        lsp_trace("%s(s %#llx ov %p ifs): the packet failed (status %#lx)", w->what, LSP_SOCK_ARG(w->s), (void *)w->ov,
                  (unsigned long)st);
}

static void CALLBACK forward_signalled(void *param, BOOLEAN timeout)
{
    struct lsp_ifs_watch *w = param;

    (void)timeout;
    if (take(w, NULL) != w) return; /* lsp_ifs_watch_drain took it */
    forward_deliver(w, FALSE);
    UnregisterWait(w->wait);
    CloseHandle(w->event);
    free(w);
}

static void list_add(struct lsp_ifs_watch *w)
{
    AcquireSRWLockExclusive(&watch_lock);
    w->next = watches;
    watches = w;
    ReleaseSRWLockExclusive(&watch_lock);
}

/* Lists w and waits for its event in the thread pool (callback): FALSE when the wait could not be
 * made (w is then still listed). The watch is listed before the wait exists; the callback takes it
 * out of the list first, and its take() waits until wait is set. */
static BOOL arm(struct lsp_ifs_watch *w, WAITORTIMERCALLBACK callback)
{
    BOOL ok;

    list_add(w);
    AcquireSRWLockExclusive(&watch_lock);
    ok = RegisterWaitForSingleObject(&w->wait, w->event, callback, w, INFINITE,
                                     WT_EXECUTEONLYONCE | WT_EXECUTEINWAITTHREAD);
    ReleaseSRWLockExclusive(&watch_lock);
    return ok;
}

LPWSAOVERLAPPED_COMPLETION_ROUTINE lsp_ifs_watch_begin(struct lsp_sock *ls, LPWSAOVERLAPPED ov,
                                                       LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, const char *what,
                                                       struct lsp_ifs_watch **out)
{
    struct lsp_ifs_watch *w;
    HANDLE ev;

    BOOL forward;

    *out = NULL;
    if (!ov || !lsp_tracing()) return cr;
    ev = cr ? NULL : (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1);
    forward = !cr && (!ev || !manual_reset_event(ev));
    if (forward && !wine_compat_can_complete()) return cr;
    if (!(w = calloc(1, sizeof(*w)))) return cr;
    w->ov = ov;
    w->routine = cr;
    w->what = what;
    w->s = ls->s;
    w->lower = ls->lower;
    w->low = ls->low;
    if (forward)
    {
        if (!(w->event = CreateEventW(NULL, TRUE, FALSE, NULL)))
        {
            free(w);
            return cr;
        }
        w->forward = TRUE;
        w->app_event = ov->hEvent;
        ov->hEvent = (HANDLE)((ULONG_PTR)w->event | 1); /* until lsp_ifs_watch_started */
        *out = w;
        return NULL;
    }
    if (!cr && !DuplicateHandle(GetCurrentProcess(), ev, GetCurrentProcess(), &w->event, SYNCHRONIZE, FALSE, 0))
    {
        free(w);
        return cr;
    }
    if (cr) list_add(w);
    *out = w;
    return cr ? ifs_routine : NULL;
}

void lsp_ifs_watch_started(struct lsp_ifs_watch *w, int r, int err)
{
    if (!w) return;
    if (w->forward)
    {
        w->ov->hEvent = w->app_event;
        /* completed in the call (a truncated datagram too: STATUS_BUFFER_OVERFLOW is a warning, whose
         * completion the kernel delivers; a failure at once it does not) */
        if (!r || err == WSAEMSGSIZE) forward_deliver(w, TRUE);
        else if (err == WSA_IO_PENDING)
        {
            if (arm(w, forward_signalled)) return;
            /* no wait: deliver from here once it ends (the call waits, the completion is not lost) */
            if (take(w, NULL) != w) return;
            WaitForSingleObject(w->event, INFINITE);
            forward_deliver(w, FALSE);
        }
        /* a failure at once: nothing completes */
        CloseHandle(w->event);
        free(w);
        return;
    }
    if (w->routine)
    {
        /* Success (at once or pending): the next layer queues the routine. A failure: it never runs. */
        if (r && err != WSA_IO_PENDING && take(w, NULL)) free(w);
        return;
    }
    /* An event: watched while pending (a request that ended at once is in the call's own line). */
    if (r && err == WSA_IO_PENDING)
    {
        if (arm(w, event_signalled)) return;
        if (!take(w, NULL)) return;
    }
    CloseHandle(w->event);
    free(w);
}

/* Has ls a request whose completion the layer delivers still pending? */
static BOOL forwarding(struct lsp_sock *ls)
{
    struct lsp_ifs_watch *w;
    BOOL any = FALSE;

    AcquireSRWLockShared(&watch_lock);
    for (w = watches; w && !any; w = w->next) any = w->forward && w->s == ls->s;
    ReleaseSRWLockShared(&watch_lock);
    return any;
}

void lsp_ifs_watch_close(struct lsp_sock *ls)
{
    BOOL any = forwarding(ls);
    int i;

    if (!any) return;
    /* closesocket cancels the socket's requests: here first, while the handle has its port */
    CancelIoEx((HANDLE)ls->lower, NULL);
    for (i = 0; i < 200 && any; i++)
    {
        Sleep(5);
        any = forwarding(ls);
    }
    if (any) lsp_trace("WSPCloseSocket(s %#llx): forwarded requests still pending", LSP_SOCK_ARG(ls->s));
}

void lsp_ifs_watch_drain(void)
{
    struct lsp_ifs_watch *w, *next, *left;
    int i;

    /* Routines are queued to the requesting threads: give ours (alertable) and others a moment. */
    for (i = 0; i < 100 && watches; i++) SleepEx(10, TRUE);
    /* What is left must not call into the layer once it is unloaded: waits are cancelled (waiting
     * for a running callback), routines still queued below are forgotten (their records freed). */
    AcquireSRWLockExclusive(&watch_lock);
    left = watches;
    watches = NULL;
    ReleaseSRWLockExclusive(&watch_lock);
    for (w = left; w; w = next)
    {
        next = w->next;
        if (!w->routine)
        {
            UnregisterWaitEx(w->wait, INVALID_HANDLE_VALUE);
            CloseHandle(w->event);
        }
        free(w);
    }
}
