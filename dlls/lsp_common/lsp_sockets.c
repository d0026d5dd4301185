/* lsp_sockets.c - the layer's sockets: each is a ws2_32 handle (WPUCreateSocketHandle, context =
 * its lsp_sock) mapped to the next layer's socket. Lookups are referenced, so a socket closed by
 * one thread is freed only after every other thread's call on it returned. WSPSocket, WSPAccept,
 * WSPJoinLeaf, WSPDuplicateSocket and WSPCloseSocket (which waits for the requests still pending
 * below to complete on the application's OVERLAPPEDs before the handle goes).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_internal.h"

#include <stdlib.h>

#define CLOSE_DRAIN_MS 10000

/* The registry: a hash of the sockets by handle (handles are multiples of 4). */
#define SOCK_BUCKETS 1024
static SRWLOCK socks_lock = SRWLOCK_INIT;
static struct lsp_sock *socks[SOCK_BUCKETS];

static struct lsp_sock **bucket(SOCKET s)
{
    return &socks[((ULONG_PTR)s >> 2) % SOCK_BUCKETS];
}

struct lsp_sock *lsp_sock_wrap(SOCKET lower, struct lsp_lower *low, const WSAPROTOCOL_INFOW *info, int *err)
{
    struct lsp_sock *ls = calloc(1, sizeof(*ls));
    int e = 0;

    if (!ls || !(ls->idle = CreateEventW(NULL, TRUE, TRUE, NULL)))
    {
        free(ls);
        *err = WSAENOBUFS;
        return NULL;
    }
    ls->refs = 1; /* the registry's */
    ls->lower = lower;
    ls->bind_lower = INVALID_SOCKET;
    ls->low = low;
    ls->info = *info;
    InitializeSRWLock(&ls->lock);
    ls->ifs = (info->dwServiceFlags1 & XP1_IFS_HANDLES) != 0;
    if (ls->ifs) ls->s = lsp_upcalls.lpWPUModifyIFSHandle(info->dwCatalogEntryId, lower, &e);
    else ls->s = lsp_upcalls.lpWPUCreateSocketHandle(info->dwCatalogEntryId, (DWORD_PTR)ls, &e);
    if (ls->s == INVALID_SOCKET)
    {
        CloseHandle(ls->idle);
        free(ls);
        *err = e ? e : WSAENOBUFS;
        return NULL;
    }
    AcquireSRWLockExclusive(&socks_lock);
    ls->next = *bucket(ls->s);
    *bucket(ls->s) = ls;
    ReleaseSRWLockExclusive(&socks_lock);
    return ls;
}

struct lsp_sock *lsp_sock_get(SOCKET s, int *err)
{
    DWORD_PTR ctx = 0;
    struct lsp_sock *ls = NULL;
    int e = 0;

    if (s != INVALID_SOCKET)
    {
        /* Non-IFS: our handle's context; IFS: the handle itself. */
        if (lsp_upcalls.lpWPUQuerySocketHandleContext(s, &ctx, &e)) ctx = 0;
        AcquireSRWLockShared(&socks_lock);
        for (ls = *bucket(s); ls; ls = ls->next)
            if (ls->s == s && (ls->ifs || (DWORD_PTR)ls == ctx))
            {
                InterlockedIncrement(&ls->refs);
                break;
            }
        ReleaseSRWLockShared(&socks_lock);
    }
    if (!ls) *err = WSAENOTSOCK;
    return ls;
}

void lsp_sock_put(struct lsp_sock *ls)
{
    if (ls && !InterlockedDecrement(&ls->refs))
    {
        if (lsp_hooks.freed) lsp_hooks.freed(ls);
        CloseHandle(ls->idle);
        free(ls);
    }
}

/* Takes ls out of the registry; TRUE when this call did it (it then owns the registry's reference). */
static BOOL unlink_sock(struct lsp_sock *ls)
{
    struct lsp_sock **pp;
    BOOL found = FALSE;

    AcquireSRWLockExclusive(&socks_lock);
    for (pp = bucket(ls->s); *pp; pp = &(*pp)->next)
        if (*pp == ls)
        {
            *pp = ls->next;
            found = TRUE;
            break;
        }
    ReleaseSRWLockExclusive(&socks_lock);
    return found;
}

/* Closes the next layer's socket, lets its pending requests complete, closes our handle. */
static int close_sock(struct lsp_sock *ls, int *err)
{
    int r, e = 0;

    if (!unlink_sock(ls))
    {
        *err = WSAENOTSOCK;
        return SOCKET_ERROR;
    }
    lsp_async_stop(ls);
    lsp_listen_socket_close(ls); /* an IFS listener's proxy connection */
    if (ls->ifs)
    {
        lsp_ifs_watch_close(ls);
        lsp_dgram_abort(ls);
    }
    r = ls->low->procs.lpWSPCloseSocket(ls->lower, err);
    if (lsp_hooks.closed) lsp_hooks.closed(ls);
    if (WaitForSingleObject(ls->idle, CLOSE_DRAIN_MS) != WAIT_OBJECT_0)
        lsp_trace("WSPCloseSocket(s %#llx): %ld requests still pending below", LSP_SOCK_ARG(ls->s), (long)ls->pending);
    lsp_trace("WSPCloseSocket(s %#llx lower %#llx) -> %d err=%d sent=%lld received=%lld", LSP_SOCK_ARG(ls->s),
              LSP_SOCK_ARG(ls->lower), r, r ? *err : 0, (long long)ls->bytes_sent, (long long)ls->bytes_received);
    if (!ls->ifs) lsp_upcalls.lpWPUCloseSocketHandle(ls->s, &e); /* an IFS handle went with the next layer's */
    lsp_sock_put(ls); /* the registry's reference */
    return r;
}

static int WSPAPI lsp_close_socket(SOCKET s, LPINT lpErrno)
{
    struct lsp_sock *ls;
    int err = 0, r;

    if (!(ls = lsp_sock_get(s, &err))) return lsp_fail(lpErrno, err);
    r = close_sock(ls, &err);
    lsp_sock_put(ls);
    return r ? lsp_fail(lpErrno, err) : 0;
}

void lsp_sock_close_all(void)
{
    for (;;)
    {
        struct lsp_sock *ls;
        int err = 0;
        size_t i;

        AcquireSRWLockShared(&socks_lock);
        for (i = 0, ls = NULL; i < SOCK_BUCKETS && !ls; i++)
            if ((ls = socks[i])) InterlockedIncrement(&ls->refs);
        ReleaseSRWLockShared(&socks_lock);
        if (!ls) break;
        close_sock(ls, &err);
        lsp_sock_put(ls);
    }
}

/* The protocol info given below: the next layer's entry, with a duplicated socket's reserved value. */
static SOCKET WSPAPI lsp_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g, DWORD flags,
                                LPINT lpErrno)
{
    WSAPROTOCOL_INFOW lower_info;
    struct lsp_lower *low = NULL;
    struct lsp_sock *ls = NULL;
    SOCKET lower = INVALID_SOCKET;
    int err = info ? lsp_next_layer(info, &low, &lower_info) : WSAEINVAL;

    if (!err)
    {
        lower_info.dwProviderReserved = info->dwProviderReserved;
        lower = low->procs.lpWSPSocket(af, type, protocol, &lower_info, g, flags, &err);
        if (lower == INVALID_SOCKET && !err) err = WSAENOBUFS;
    }
    if (lower != INVALID_SOCKET && !(ls = lsp_sock_wrap(lower, low, info, &err)))
    {
        int e = 0;
        low->procs.lpWSPCloseSocket(lower, &e);
    }
    lsp_trace("WSPSocket(af %d type %d protocol %d catalog %lu flags %#lx) -> %#llx lower=%#llx err=%d", af, type,
              protocol, info ? (unsigned long)info->dwCatalogEntryId : 0ul, (unsigned long)flags,
              LSP_SOCK_ARG(ls ? ls->s : INVALID_SOCKET), LSP_SOCK_ARG(lower), ls ? 0 : err);
    if (!ls)
    {
        lsp_fail(lpErrno, err);
        return INVALID_SOCKET;
    }
    return ls->s;
}

/* A fresh, unbound socket of the next layer for ls's chain entry: INVALID_SOCKET with *err. */
static SOCKET lower_socket(struct lsp_sock *ls, int *err)
{
    WSAPROTOCOL_INFOW lower_info;
    struct lsp_lower *low = NULL;
    SOCKET s;

    if ((*err = lsp_next_layer(&ls->info, &low, &lower_info))) return INVALID_SOCKET;
    s = low->procs.lpWSPSocket(ls->info.iAddressFamily, ls->info.iSocketType, ls->info.iProtocol, &lower_info, 0,
                               WSA_FLAG_OVERLAPPED, err);
    if (s == INVALID_SOCKET && !*err) *err = WSAENOBUFS;
    return s;
}

/* Takes an IFS listener's separate proxy connection out of ls (INVALID_SOCKET: none). */
static SOCKET take_bind_lower(struct lsp_sock *ls)
{
    return (SOCKET)(ULONG_PTR)InterlockedExchangePointer((void *volatile *)&ls->bind_lower,
                                                         (void *)(ULONG_PTR)INVALID_SOCKET);
}

int lsp_listen_socket(struct lsp_sock *ls)
{
    int err = 0;

    if (!ls->ifs || ls->bind_lower != INVALID_SOCKET) return 0;
    ls->bind_lower = lower_socket(ls, &err);
    lsp_trace("listen(s %#llx ifs): the proxy connection runs on a separate socket below, %#llx err=%d",
              LSP_SOCK_ARG(ls->s), LSP_SOCK_ARG(ls->bind_lower), err);
    return err;
}

void lsp_listen_socket_close(struct lsp_sock *ls)
{
    SOCKET s = take_bind_lower(ls);
    int e = 0;

    if (s != INVALID_SOCKET) ls->low->procs.lpWSPCloseSocket(s, &e);
}

/* The proxy connection of a listener whose BIND reported a connection, for the accepted socket: an
 * IFS listener's separate socket, or a non-IFS listener's socket below (the listener gets a fresh,
 * unbound one). 0 or a WSA error (nothing taken). */
static int take_proxy_conn(struct lsp_sock *ls, SOCKET *conn)
{
    SOCKET fresh;
    int err = 0;

    if (ls->ifs)
    {
        if ((*conn = take_bind_lower(ls)) == INVALID_SOCKET) return WSAENOTSOCK; /* closed meanwhile */
    }
    else
    {
        if ((fresh = lower_socket(ls, &err)) == INVALID_SOCKET) return err;
        *conn = ls->lower;
        ls->lower = fresh;
    }
    ls->proxy_bound = FALSE;
    return 0;
}

/* accept on a socket listening through the proxy (the bind_accept hook): the connection the proxy
 * reports is the proxy connection itself; it becomes the accepted socket, and the listener no longer
 * listens (WSAEINVAL, as accept on such a socket): a non-IFS listener's socket below is replaced by a
 * fresh one, an IFS listener keeps its own, which never listened. */
static struct lsp_sock *proxy_accept(struct lsp_sock *ls, struct sockaddr *addr, LPINT addrlen, SOCKET *conn, int *err)
{
    struct sockaddr_storage peer;
    struct lsp_sock *acc;
    int peer_len = 0, e = 0;

    *conn = INVALID_SOCKET;
    if (!ls->bind_listening) return (*err = WSAEINVAL, NULL);
    if (addr && (!addrlen || *addrlen < (int)sizeof(struct sockaddr_in))) return (*err = WSAEFAULT, NULL);
    if (ls->nonblocking && (e = lsp_lower_wait(ls, FALSE, 0)))
        return (*err = e == WSAETIMEDOUT ? WSAEWOULDBLOCK : e, NULL);
    if (!ls->nonblocking && (e = lsp_lower_wait(ls, FALSE, 0x7fffffff))) return (*err = e, NULL);
    ls->bind_listening = FALSE;
    *err = lsp_hooks.bind_accept(ls, &peer, &peer_len);
    if ((e = take_proxy_conn(ls, conn))) return (*err = *err ? *err : e, NULL);
    if (*err || !(acc = lsp_sock_wrap(*conn, ls->low, &ls->info, err)))
    {
        ls->low->procs.lpWSPCloseSocket(*conn, &e);
        *conn = INVALID_SOCKET;
        return NULL;
    }
    acc->proxy_bound = TRUE;
    acc->local = ls->local;
    acc->local_len = ls->local_len;
    memcpy(&acc->peer, &peer, peer_len);
    acc->peer_len = peer_len;
    acc->redirected = TRUE;
    if (addr)
    {
        int n = *addrlen < peer_len ? *addrlen : peer_len;
        memcpy(addr, &peer, n);
        *addrlen = peer_len;
    }
    return acc;
}

static SOCKET WSPAPI lsp_accept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC cond,
                                DWORD_PTR data, LPINT lpErrno)
{
    struct lsp_sock *ls, *acc = NULL;
    SOCKET lower = INVALID_SOCKET;
    char a[64];
    int err = 0;

    if ((ls = lsp_sock_get(s, &err)) && ls->proxy_bound && lsp_hooks.bind_accept)
        acc = proxy_accept(ls, addr, addrlen, &lower, &err);
    else if (ls)
    {
        lower = ls->low->procs.lpWSPAccept(ls->lower, addr, addrlen, cond, data, &err);
        if (lower != INVALID_SOCKET && !(acc = lsp_sock_wrap(lower, ls->low, &ls->info, &err)))
        {
            int e = 0;
            ls->low->procs.lpWSPCloseSocket(lower, &e);
        }
    }
    lsp_trace("WSPAccept(s %#llx) -> %#llx lower=%#llx peer=%s err=%d", LSP_SOCK_ARG(s),
              LSP_SOCK_ARG(acc ? acc->s : INVALID_SOCKET), LSP_SOCK_ARG(lower),
              acc && addr && addrlen ? lsp_addr_str(addr, *addrlen, a, sizeof(a)) : "-", acc ? 0 : err);
    lsp_sock_put(ls);
    if (!acc)
    {
        lsp_fail(lpErrno, err);
        return INVALID_SOCKET;
    }
    return acc->s;
}

static SOCKET WSPAPI lsp_join_leaf(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller,
                                   LPWSABUF callee, LPQOS sqos, LPQOS gqos, DWORD flags, LPINT lpErrno)
{
    struct lsp_sock *ls, *leaf = NULL;
    SOCKET lower = INVALID_SOCKET, r = INVALID_SOCKET;
    int err = 0;

    if ((ls = lsp_sock_get(s, &err)))
    {
        lower = ls->low->procs.lpWSPJoinLeaf(ls->lower, name, namelen, caller, callee, sqos, gqos, flags, &err);
        if (lower == ls->lower) r = s;
        else if (lower != INVALID_SOCKET)
        {
            if ((leaf = lsp_sock_wrap(lower, ls->low, &ls->info, &err))) r = leaf->s;
            else
            {
                int e = 0;
                ls->low->procs.lpWSPCloseSocket(lower, &e);
            }
        }
    }
    lsp_trace("WSPJoinLeaf(s %#llx flags %#lx) -> %#llx err=%d", LSP_SOCK_ARG(s), (unsigned long)flags, LSP_SOCK_ARG(r),
              r == INVALID_SOCKET ? err : 0);
    lsp_sock_put(ls);
    if (r == INVALID_SOCKET) lsp_fail(lpErrno, err);
    return r;
}

/* The next layer describes its socket; the description names our chain entry, so that the target
 * process makes its socket through this layer too (WSPSocket passes dwProviderReserved down). */
static int WSPAPI lsp_duplicate_socket(SOCKET s, DWORD pid, LPWSAPROTOCOL_INFOW info, LPINT lpErrno)
{
    struct lsp_sock *ls;
    int err = 0, r = SOCKET_ERROR;

    if ((ls = lsp_sock_get(s, &err)))
    {
        r = ls->low->procs.lpWSPDuplicateSocket(ls->lower, pid, info, &err);
        if (!r && info)
        {
            DWORD_PTR reserved = info->dwProviderReserved;
            *info = ls->info;
            info->dwProviderReserved = reserved;
        }
    }
    lsp_trace("WSPDuplicateSocket(s %#llx pid %lu) -> %d err=%d", LSP_SOCK_ARG(s), (unsigned long)pid, r, r ? err : 0);
    lsp_sock_put(ls);
    return r ? lsp_fail(lpErrno, err) : 0;
}

void lsp_sockets_fill(WSPPROC_TABLE *t)
{
    t->lpWSPSocket = lsp_socket;
    t->lpWSPAccept = lsp_accept;
    t->lpWSPJoinLeaf = lsp_join_leaf;
    t->lpWSPDuplicateSocket = lsp_duplicate_socket;
    t->lpWSPCloseSocket = lsp_close_socket;
}
