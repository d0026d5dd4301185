/* lsp_select.c - readiness through the layer: WSPSelect (the sets translated to the next layer's
 * sockets and the answer mapped back; a socket in a background proxy handshake is ready when the
 * handshake ends), WSPEventSelect/WSPEnumNetworkEvents (passed down with the
 * application's event) and WSPAsyncSelect, emulated: the next layer's socket gets an event select
 * on the layer's own event; a thread-pool wait on it enumerates the network events below and posts
 * one message per event to the application's window with OUR handle (WPUPostMessage). A socket
 * listening through the proxy is selected by its proxy connection (an IFS listener's separate socket,
 * lsp_talk_lower): the proxy's report of the incoming connection makes it readable / FD_ACCEPT.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_internal.h"

#include <stdlib.h>

struct big_set
{
    u_int count;
    SOCKET s[1];
};

static struct big_set *set_alloc(u_int n)
{
    return calloc(1, sizeof(struct big_set) + (n ? n : 1) * sizeof(SOCKET));
}

/* Whether a socket whose handshake is pending at the start of a select is ready now: writable once
 * connected, in the exception set once failed (a failed connect on Windows), never readable. */
static BOOL held_ready(struct lsp_sock *ls, int k)
{
    LONG st = ls->hs_state;
    return (k == 1 && st == LSP_HS_DONE) || (k == 2 && st == LSP_HS_FAILED);
}

#define HELD_SLICE_MS 20

/* One WSPSelect call: the application's sets, our sockets in them (referenced), which of them are
 * held (in a background handshake), and the next layer's sets. */
struct lsp_select_state
{
    fd_set *sets[3];
    u_int counts[3];
    struct lsp_sock **refs[3];
    BOOL *held[3];
    struct big_set *lower_sets[3];
    struct lsp_lower *low;
    u_int total, held_count;
};

/* Takes a reference on every socket of the sets; the next layer all of them share in st->low. */
static int lsp_select_collect(struct lsp_select_state *st)
{
    int err = 0, k;
    u_int i;

    for (k = 0; k < 3 && !err; k++)
    {
        fd_set *set = st->sets[k];
        if (!set) continue;
        st->total += set->fd_count;
        st->counts[k] = set->fd_count;
        if (!(st->lower_sets[k] = set_alloc(set->fd_count)) ||
            !(st->refs[k] = calloc(set->fd_count ? set->fd_count : 1, sizeof(*st->refs[k]))) ||
            !(st->held[k] = calloc(set->fd_count ? set->fd_count : 1, sizeof(*st->held[k]))))
            return WSAENOBUFS;
        for (i = 0; i < set->fd_count && !err; i++)
        {
            struct lsp_sock *ls = lsp_sock_get(set->fd_array[i], &err);
            if (!ls) break;
            st->refs[k][i] = ls;
            /* Sockets of different next layers: only when one implementation serves them all (a base
             * DLL registered under several provider ids, as IPv4 and IPv6 usually are). */
            if (!st->low) st->low = ls->low;
            else if (st->low != ls->low && st->low->procs.lpWSPSelect != ls->low->procs.lpWSPSelect) err = WSAEINVAL;
            if (ls->hs_state == LSP_HS_PENDING)
            {
                /* its proxy conversation runs below: its readiness is the handshake's outcome */
                st->held[k][i] = TRUE;
                st->held_count++;
            }
        }
    }
    if (!err && !st->total) err = WSAEINVAL;
    return err;
}

/* Fills the next layer's sets with the sockets not held; how many in all. */
static u_int lsp_select_fill_lower(struct lsp_select_state *st)
{
    u_int i, lower_total = 0;
    int k;

    for (k = 0; k < 3; k++)
    {
        if (!st->sets[k]) continue;
        st->lower_sets[k]->count = 0;
        for (i = 0; i < st->counts[k]; i++)
            if (!st->held[k][i]) st->lower_sets[k]->s[st->lower_sets[k]->count++] = lsp_talk_lower(st->refs[k][i]);
        lower_total += st->lower_sets[k]->count;
    }
    return lower_total;
}

/* How many held sockets are ready now. */
static u_int lsp_select_held_ready(const struct lsp_select_state *st)
{
    u_int i, ready = 0;
    int k;

    for (k = 0; k < 3; k++)
        for (i = 0; i < st->counts[k]; i++)
            if (st->held[k][i] && held_ready(st->refs[k][i], k)) ready++;
    return ready;
}

/* Keeps in the application's sets the sockets whose next-layer socket is in the answer, and the held
 * ones now ready; how many in all. */
static int lsp_select_answer(struct lsp_select_state *st)
{
    u_int i, j, n;
    int k, ret = 0;

    for (k = 0; k < 3; k++)
    {
        fd_set *set = st->sets[k];
        if (!set) continue;
        for (i = 0, n = 0; i < st->counts[k]; i++)
        {
            BOOL is_ready = FALSE;
            if (st->held[k][i]) is_ready = held_ready(st->refs[k][i], k);
            else
                for (j = 0; j < st->lower_sets[k]->count && !is_ready; j++)
                    is_ready = st->lower_sets[k]->s[j] == lsp_talk_lower(st->refs[k][i]);
            if (is_ready) set->fd_array[n++] = set->fd_array[i];
        }
        set->fd_count = n;
        ret += (int)n;
    }
    return ret;
}

/* Selects below until something is ready or the time is up; held sockets are looked at between
 * slices of HELD_SLICE_MS, so that a handshake that ends is seen. */
static int lsp_select_wait(struct lsp_select_state *st, const TIMEVAL *timeout, int *err)
{
    ULONGLONG deadline = 0;
    int ret = SOCKET_ERROR;

    if (timeout) deadline = GetTickCount64() + (ULONGLONG)timeout->tv_sec * 1000 + (ULONGLONG)timeout->tv_usec / 1000;
    while (!*err)
    {
        struct timeval slice, *tv = (struct timeval *)timeout;
        u_int lower_total = lsp_select_fill_lower(st), ready;
        BOOL expired;

        if (st->held_count)
        {
            ULONGLONG now = GetTickCount64();
            DWORD left = !timeout ? HELD_SLICE_MS : now >= deadline ? 0 : (DWORD)(deadline - now);
            if (left > HELD_SLICE_MS) left = HELD_SLICE_MS;
            slice.tv_sec = 0;
            slice.tv_usec = (long)left * 1000;
            tv = &slice;
        }
        if (lower_total)
            ret = st->low->procs.lpWSPSelect(0, (fd_set *)st->lower_sets[0], (fd_set *)st->lower_sets[1],
                                             (fd_set *)st->lower_sets[2], tv, err);
        else
        {
            Sleep((DWORD)(tv->tv_usec / 1000));
            ret = 0;
        }
        if (ret == SOCKET_ERROR) break;
        ready = lsp_select_held_ready(st);
        expired = !st->held_count || (timeout && GetTickCount64() >= deadline);
        if (!ret && !ready && !expired) continue;
        return lsp_select_answer(st);
    }
    return ret;
}

static void lsp_select_release(struct lsp_select_state *st)
{
    u_int i;
    int k;

    for (k = 0; k < 3; k++)
    {
        for (i = 0; st->refs[k] && i < st->counts[k]; i++)
            if (st->refs[k][i]) lsp_sock_put(st->refs[k][i]);
        free(st->refs[k]);
        free(st->held[k]);
        free(st->lower_sets[k]);
    }
}

static int WSPAPI lsp_select(int nfds, fd_set *r, fd_set *w, fd_set *e, const PTIMEVAL timeout, LPINT lpErrno)
{
    struct lsp_select_state st;
    int err, ret = SOCKET_ERROR;

    (void)nfds;
    memset(&st, 0, sizeof(st));
    st.sets[0] = r;
    st.sets[1] = w;
    st.sets[2] = e;
    if (!(err = lsp_select_collect(&st))) ret = lsp_select_wait(&st, timeout, &err);
    lsp_select_release(&st);
    lsp_trace("WSPSelect(%u sockets, %u in a handshake) -> %d err=%d", st.total, st.held_count, ret,
              ret == SOCKET_ERROR ? err : 0);
    return ret == SOCKET_ERROR ? lsp_fail(lpErrno, err) : ret;
}

/* ---- event selects below ---- */

/* A socket listening through the proxy: the proxy's report of an incoming connection arrives as
 * data on the connection below; the application sees FD_ACCEPT (and nothing of the connection). */
static void bind_events(struct lsp_sock *ls, WSANETWORKEVENTS *ne)
{
    BOOL incoming;

    if (!ls->bind_listening) return;
    incoming = (ne->lNetworkEvents & (FD_READ | FD_CLOSE)) != 0;
    ne->lNetworkEvents &= ~(FD_READ | FD_WRITE | FD_CONNECT | FD_CLOSE | FD_OOB);
    if (incoming && (ls->sel_mask & FD_ACCEPT))
    {
        ne->lNetworkEvents |= FD_ACCEPT;
        ne->iErrorCode[FD_ACCEPT_BIT] = 0;
    }
}

int lsp_lower_event_select(struct lsp_sock *ls, WSAEVENT event, long mask, int *err)
{
    int r = 0;

    AcquireSRWLockExclusive(&ls->lock);
    ls->sel_event = mask ? event : NULL;
    ls->sel_mask = event ? mask : 0;
    ls->synth_events = 0;
    if (ls->hs_state != LSP_HS_PENDING && ls->hs_state != LSP_HS_FAILED)
        r = ls->low->procs.lpWSPEventSelect(lsp_talk_lower(ls), event,
                                            ls->bind_listening && (mask & FD_ACCEPT) ? (mask | FD_READ | FD_CLOSE) : mask,
                                            err);
    if (!r && mask) ls->nonblocking = TRUE; /* WSAEventSelect/WSAAsyncSelect make the socket non-blocking */
    ReleaseSRWLockExclusive(&ls->lock);
    return r;
}

/* ---- WSAAsyncSelect emulation ---- */

static const int event_bits[] = { FD_READ_BIT, FD_WRITE_BIT, FD_OOB_BIT, FD_ACCEPT_BIT, FD_CONNECT_BIT,
                                  FD_CLOSE_BIT, FD_QOS_BIT, FD_GROUP_QOS_BIT, FD_ROUTING_INTERFACE_CHANGE_BIT,
                                  FD_ADDRESS_LIST_CHANGE_BIT };

static void CALLBACK async_signalled(void *param, BOOLEAN timed_out)
{
    struct lsp_sock *ls = param;
    WSANETWORKEVENTS ne;
    HWND hwnd;
    UINT msg;
    size_t i;
    int err = 0;

    (void)timed_out;
    AcquireSRWLockShared(&ls->lock);
    hwnd = ls->async_hwnd;
    msg = ls->async_msg;
    memset(&ne, 0, sizeof(ne));
    if (ls->async_event && ls->low->procs.lpWSPEnumNetworkEvents(lsp_talk_lower(ls), ls->async_event, &ne, &err))
        ne.lNetworkEvents = 0;
    bind_events(ls, &ne);
    ReleaseSRWLockShared(&ls->lock);
    for (i = 0; i < OPENWS2_ARRAY_SIZE(event_bits); i++)
    {
        int bit = event_bits[i];
        if (!(ne.lNetworkEvents & (1L << bit))) continue;
        lsp_upcalls.lpWPUPostMessage(hwnd, msg, (WPARAM)ls->s, WSAMAKESELECTREPLY(1L << bit, ne.iErrorCode[bit]));
    }
}

/* Stops the emulation (the next layer's event select is left to the caller). */
void lsp_async_stop(struct lsp_sock *ls)
{
    HANDLE wait, event;

    AcquireSRWLockExclusive(&ls->lock);
    wait = ls->async_wait;
    event = ls->async_event;
    ls->async_wait = NULL;
    ls->async_event = NULL;
    ls->async_hwnd = NULL;
    ReleaseSRWLockExclusive(&ls->lock);
    if (wait) UnregisterWaitEx(wait, INVALID_HANDLE_VALUE); /* waits for a running callback */
    if (event) CloseHandle(event);
}

static int async_select(struct lsp_sock *ls, HWND hwnd, unsigned int msg, long events, int *err)
{
    HANDLE event;
    int r;

    lsp_async_stop(ls);
    if (!events) return lsp_lower_event_select(ls, NULL, 0, err);
    if (!(event = CreateEventW(NULL, FALSE, FALSE, NULL))) return (*err = WSAENOBUFS, SOCKET_ERROR);
    AcquireSRWLockExclusive(&ls->lock);
    ls->async_event = event;
    ls->async_hwnd = hwnd;
    ls->async_msg = msg;
    ReleaseSRWLockExclusive(&ls->lock);
    if ((r = lsp_lower_event_select(ls, event, events, err)))
    {
        lsp_async_stop(ls);
        return r;
    }
    AcquireSRWLockExclusive(&ls->lock);
    if (!RegisterWaitForSingleObject(&ls->async_wait, event, async_signalled, ls, INFINITE, WT_EXECUTEDEFAULT))
    {
        ls->async_wait = NULL;
        *err = WSAENOBUFS;
        r = SOCKET_ERROR;
    }
    ReleaseSRWLockExclusive(&ls->lock);
    if (r)
    {
        int e = 0;
        lsp_lower_event_select(ls, NULL, 0, &e);
        lsp_async_stop(ls);
    }
    return r;
}

static int WSPAPI lsp_async_select(SOCKET s, HWND hwnd, unsigned int msg, long events, LPINT lpErrno)
{
    struct lsp_sock *ls;
    int err = 0, r = SOCKET_ERROR;

    if ((ls = lsp_sock_get(s, &err)))
    {
        /* Emulated for IFS sockets too (our handle is the next layer's, so the messages name the
         * handle the application knows): a background proxy handshake holds the events back. */
        r = async_select(ls, hwnd, msg, events, &err);
    }
    lsp_trace("WSPAsyncSelect(s %#llx hwnd %p msg %u events %#lx) -> %d err=%d", LSP_SOCK_ARG(s), (void *)hwnd, msg,
              (unsigned long)events, r, r ? err : 0);
    lsp_sock_put(ls);
    return r ? lsp_fail(lpErrno, err) : 0;
}

static int WSPAPI lsp_event_select(SOCKET s, WSAEVENT event, long events, LPINT lpErrno)
{
    struct lsp_sock *ls;
    int err = 0, r = SOCKET_ERROR;

    if ((ls = lsp_sock_get(s, &err)))
    {
        lsp_async_stop(ls); /* WSAEventSelect cancels WSAAsyncSelect */
        r = lsp_lower_event_select(ls, event, events, &err); /* IFS too: the handshake holds it back */
    }
    lsp_trace("WSPEventSelect(s %#llx event %p events %#lx) -> %d err=%d", LSP_SOCK_ARG(s), (void *)event,
              (unsigned long)events, r, r ? err : 0);
    lsp_sock_put(ls);
    return r ? lsp_fail(lpErrno, err) : 0;
}

static int WSPAPI lsp_enum_network_events(SOCKET s, WSAEVENT event, LPWSANETWORKEVENTS ne, LPINT lpErrno)
{
    struct lsp_sock *ls;
    int err = 0, r = SOCKET_ERROR;

    if ((ls = lsp_sock_get(s, &err)))
    {
        if (!ne) err = WSAEFAULT;
        else
        {
            AcquireSRWLockExclusive(&ls->lock);
            if (ls->hs_state == LSP_HS_PENDING || ls->hs_state == LSP_HS_FAILED)
            {
                /* pending: the events below are the proxy conversation's, nothing to report yet;
                 * failed: nothing is selected below, only what the layer reports */
                memset(ne, 0, sizeof(*ne));
                if (event) ResetEvent(event);
                r = 0;
            }
            else r = ls->low->procs.lpWSPEnumNetworkEvents(lsp_talk_lower(ls), event, ne, &err);
            if (!r) bind_events(ls, ne);
            if (!r)
            {
                /* FD_CONNECT / FD_WRITE of a handshake that ended, reported once */
                if (ls->synth_events & FD_CONNECT) ne->iErrorCode[FD_CONNECT_BIT] = ls->synth_connect_error;
                if (ls->synth_events & FD_WRITE) ne->iErrorCode[FD_WRITE_BIT] = 0;
                ne->lNetworkEvents |= ls->synth_events;
                ls->synth_events = 0;
            }
            ReleaseSRWLockExclusive(&ls->lock);
        }
    }
    lsp_trace("WSPEnumNetworkEvents(s %#llx event %p) -> %d events=%#lx err=%d", LSP_SOCK_ARG(s), (void *)event, r,
              (unsigned long)(!r && ne ? ne->lNetworkEvents : 0), r ? err : 0);
    lsp_sock_put(ls);
    return r ? lsp_fail(lpErrno, err) : 0;
}

void lsp_select_fill(WSPPROC_TABLE *t)
{
    t->lpWSPSelect = lsp_select;
    t->lpWSPAsyncSelect = lsp_async_select;
    t->lpWSPEventSelect = lsp_event_select;
    t->lpWSPEnumNetworkEvents = lsp_enum_network_events;
}
