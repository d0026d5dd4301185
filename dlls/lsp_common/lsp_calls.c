/* lsp_calls.c - the layer's pass-through calls (bind, listen, connect, names, socket options,
 * shutdown, disconnect data, QoS) with the handles translated, connection redirection for LSPs that
 * set the redirect hook (WSPConnect to the hook's address, then its handshake; getpeername then
 * reports the original target; a non-blocking socket's runs in the background, lsp_handshake.c), and the blocking-style helpers on the next layer's socket that
 * handshakes use.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_internal.h"

#ifndef SO_UPDATE_CONNECT_CONTEXT
# define SO_UPDATE_CONNECT_CONTEXT 0x7010
#endif
#ifndef SO_UPDATE_ACCEPT_CONTEXT
# define SO_UPDATE_ACCEPT_CONTEXT 0x700B
#endif

/* Waits until the next layer's socket is readable (write FALSE) or writable/failed (TRUE). */
int lsp_lower_wait(struct lsp_sock *ls, BOOL write, DWORD timeout_ms)
{
    struct { u_int count; SOCKET s[1]; } set, eset;
    struct timeval tv;
    int err = 0, r;

    set.count = 1;
    set.s[0] = lsp_talk_lower(ls);
    eset = set;
    tv.tv_sec = (long)(timeout_ms / 1000);
    tv.tv_usec = (long)(timeout_ms % 1000) * 1000;
    r = ls->low->procs.lpWSPSelect(0, write ? NULL : (fd_set *)&set, write ? (fd_set *)&set : NULL,
                                   write ? (fd_set *)&eset : NULL, &tv, &err);
    if (r == SOCKET_ERROR) return err ? err : WSAEINVAL;
    if (!r) return WSAETIMEDOUT;
    if (write && eset.count)
    {
        int so = 0, len = sizeof(so);
        if (!ls->low->procs.lpWSPGetSockOpt(lsp_talk_lower(ls), SOL_SOCKET, SO_ERROR, (char *)&so, &len, &err) && so)
            return so;
        return WSAECONNREFUSED;
    }
    return 0;
}

int lsp_lower_connect(struct lsp_sock *ls, const struct sockaddr *to, int len, DWORD timeout_ms)
{
    int err = 0;

    if (!ls->low->procs.lpWSPConnect(lsp_talk_lower(ls), to, len, NULL, NULL, NULL, NULL, &err)) return 0;
    if (err != WSAEWOULDBLOCK) return err ? err : WSAECONNREFUSED;
    return lsp_lower_wait(ls, TRUE, timeout_ms);
}

int lsp_lower_send_all(struct lsp_sock *ls, const void *buf, int len, DWORD timeout_ms)
{
    const char *p = buf;
    ULONGLONG end = GetTickCount64() + timeout_ms;

    while (len > 0)
    {
        WSABUF b = { (u_long)len, (char *)p };
        DWORD sent = 0;
        int err = 0;
        WSATHREADID tid = { GetCurrentThread(), 0 };

        if (!ls->low->procs.lpWSPSend(lsp_talk_lower(ls), &b, 1, &sent, 0, NULL, NULL, &tid, &err))
        {
            p += sent;
            len -= (int)sent;
            continue;
        }
        if (err != WSAEWOULDBLOCK) return err ? err : WSAECONNRESET;
        if (GetTickCount64() >= end) return WSAETIMEDOUT;
        if ((err = lsp_lower_wait(ls, TRUE, (DWORD)(end - GetTickCount64())))) return err;
    }
    return 0;
}

int lsp_lower_recv_all(struct lsp_sock *ls, void *buf, int len, DWORD timeout_ms)
{
    char *p = buf;
    ULONGLONG end = GetTickCount64() + timeout_ms;

    while (len > 0)
    {
        WSABUF b = { (u_long)len, p };
        DWORD got = 0, flags = 0;
        int err = 0;
        WSATHREADID tid = { GetCurrentThread(), 0 };

        if (!ls->low->procs.lpWSPRecv(lsp_talk_lower(ls), &b, 1, &got, &flags, NULL, NULL, &tid, &err))
        {
            if (!got) return WSAECONNRESET; /* closed by the peer */
            p += got;
            len -= (int)got;
            continue;
        }
        if (err != WSAEWOULDBLOCK) return err ? err : WSAECONNRESET;
        if (GetTickCount64() >= end) return WSAETIMEDOUT;
        if ((err = lsp_lower_wait(ls, FALSE, (DWORD)(end - GetTickCount64())))) return err;
    }
    return 0;
}

int lsp_lower_setsockopt(struct lsp_sock *ls, int level, int optname, const char *optval, int optlen, int *err)
{
    return ls->low->procs.lpWSPSetSockOpt(lsp_talk_lower(ls), level, optname, optval, optlen, err);
}

int lsp_lower_getsockname(struct lsp_sock *ls, struct sockaddr *name, int *len, int *err)
{
    return ls->low->procs.lpWSPGetSockName(lsp_talk_lower(ls), name, len, err);
}

int lsp_lower_bind(struct lsp_sock *ls, const struct sockaddr *name, int len, int *err)
{
    return ls->low->procs.lpWSPBind(lsp_talk_lower(ls), name, len, err);
}

int lsp_lower_sendto(struct lsp_sock *ls, WSABUF *bufs, DWORD n, DWORD *sent, DWORD flags, const struct sockaddr *to,
                     int tolen, int *err)
{
    WSATHREADID tid = { GetCurrentThread(), 0 };
    return ls->low->procs.lpWSPSendTo(lsp_talk_lower(ls), bufs, n, sent, flags, to, tolen, NULL, NULL, &tid, err);
}

int lsp_lower_recvfrom(struct lsp_sock *ls, WSABUF *bufs, DWORD n, DWORD *got, DWORD *flags, struct sockaddr *from,
                       int *fromlen, int *err)
{
    WSATHREADID tid = { GetCurrentThread(), 0 };
    return ls->low->procs.lpWSPRecvFrom(lsp_talk_lower(ls), bufs, n, got, flags, from, fromlen, NULL, NULL, &tid, err);
}

#define PASS(name, fmt, call, ...)                                                                       \
    struct lsp_sock *ls;                                                                                 \
    int err = 0, r = SOCKET_ERROR;                                                                       \
    if ((ls = lsp_sock_get(s, &err))) r = call;                                                          \
    lsp_trace(name "(s %#llx" fmt ") -> %d err=%d", LSP_SOCK_ARG(s), ##__VA_ARGS__, r, r ? err : 0);     \
    lsp_sock_put(ls);                                                                                    \
    return r ? lsp_fail(lpErrno, err) : 0;

static int WSPAPI lsp_bind(SOCKET s, const struct sockaddr *name, int namelen, LPINT lpErrno)
{
    char a[64];
    PASS("WSPBind", " %s", ls->low->procs.lpWSPBind(ls->lower, name, namelen, &err),
         lsp_addr_str(name, namelen, a, sizeof(a)))
}

static int do_listen(struct lsp_sock *ls, int backlog, int *err)
{
    BOOL handled = FALSE;

    if (lsp_hooks.listen && ls->info.iSocketType == SOCK_STREAM && !ls->proxy_bound)
    {
        *err = lsp_hooks.listen(ls, backlog, &handled);
        if (!handled || *err) lsp_listen_socket_close(ls); /* IFS: the proxy connection the hook made */
        if (handled && !*err && ls->sel_event && ls->sel_mask)
        {
            /* an event select made before listen: FD_ACCEPT now comes from the proxy's connection (an
             * IFS socket's own, which does not listen, has none) */
            int e = 0;
            if (ls->ifs) ls->low->procs.lpWSPEventSelect(ls->lower, NULL, 0, &e);
            lsp_lower_event_select(ls, ls->sel_event, ls->sel_mask, &e);
        }
        if (handled) return *err ? SOCKET_ERROR : 0;
    }
    else if (ls->bind_listening) return 0; /* listening through the proxy already */
    return ls->low->procs.lpWSPListen(ls->lower, backlog, err);
}

static int WSPAPI lsp_listen(SOCKET s, int backlog, LPINT lpErrno)
{
    PASS("WSPListen", " backlog %d", do_listen(ls, backlog, &err), backlog)
}

/* shutdown on a listener through the proxy: WSAENOTCONN, as on any listening socket (a non-IFS
 * listener's socket below is its proxy connection, which must stay open for the proxy's reply). */
static int do_shutdown(struct lsp_sock *ls, int how, int *err)
{
    if (ls->bind_listening) return (*err = WSAENOTCONN, SOCKET_ERROR);
    return ls->low->procs.lpWSPShutdown(ls->lower, how, err);
}

static int WSPAPI lsp_shutdown(SOCKET s, int how, LPINT lpErrno)
{
    PASS("WSPShutdown", " how %d", do_shutdown(ls, how, &err), how)
}

static int sock_name(struct lsp_sock *ls, struct sockaddr *name, LPINT namelen, int *err)
{
    if (!ls->proxy_bound) return ls->low->procs.lpWSPGetSockName(ls->lower, name, namelen, err);
    /* bound at the proxy (SOCKS BIND): the proxy's address */
    if (!name || !namelen || *namelen < ls->local_len) return (*err = WSAEFAULT, SOCKET_ERROR);
    memcpy(name, &ls->local, ls->local_len);
    *namelen = ls->local_len;
    return 0;
}

static int WSPAPI lsp_get_sock_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    PASS("WSPGetSockName", "", sock_name(ls, name, namelen, &err))
}

static int peer_name(struct lsp_sock *ls, struct sockaddr *name, LPINT namelen, int *err)
{
    int r;

    if (ls->hs_state == LSP_HS_PENDING || ls->hs_state == LSP_HS_FAILED) return (*err = WSAENOTCONN, SOCKET_ERROR);
    AcquireSRWLockShared(&ls->lock);
    if (ls->redirected)
    {
        if (!name || !namelen) r = (*err = WSAEFAULT, SOCKET_ERROR);
        else if (*namelen < ls->peer_len) r = (*err = WSAEFAULT, SOCKET_ERROR);
        else
        {
            memcpy(name, &ls->peer, ls->peer_len);
            *namelen = ls->peer_len;
            r = 0;
        }
        ReleaseSRWLockShared(&ls->lock);
        return r;
    }
    ReleaseSRWLockShared(&ls->lock);
    return ls->low->procs.lpWSPGetPeerName(ls->lower, name, namelen, err);
}

static int WSPAPI lsp_get_peer_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    PASS("WSPGetPeerName", "", peer_name(ls, name, namelen, &err))
}

static int get_opt(struct lsp_sock *ls, int level, int optname, char *optval, LPINT optlen, int *err)
{
    int r;

    if (level == SOL_SOCKET && optname == SO_ERROR && ls->hs_state == LSP_HS_FAILED)
    {
        /* The proxy connection failed: the error a failed connect leaves on the socket. */
        if (!optval || !optlen || *optlen < (int)sizeof(int)) return (*err = WSAEFAULT, SOCKET_ERROR);
        memcpy(optval, &ls->hs_error, sizeof(int));
        *optlen = sizeof(int);
        return 0;
    }
    r = ls->low->procs.lpWSPGetSockOpt(ls->lower, level, optname, optval, optlen, err);

    /* The socket's protocol is our chain entry, not the next layer's. */
    if (!r && level == SOL_SOCKET && optname == SO_PROTOCOL_INFOW && optval && optlen &&
        *optlen >= (int)sizeof(WSAPROTOCOL_INFOW))
        memcpy(optval, &ls->info, sizeof(WSAPROTOCOL_INFOW));
    /* Listening through the proxy: a listening socket (WSAPoll through WSPSelect asks), whatever the
     * proxy connection below or an IFS socket's own is. */
    if (!r && level == SOL_SOCKET && optname == SO_ACCEPTCONN && ls->bind_listening && optval && optlen &&
        *optlen >= (int)sizeof(BOOL))
    {
        BOOL yes = TRUE;
        memcpy(optval, &yes, sizeof(yes));
    }
    return r;
}

static int WSPAPI lsp_get_sock_opt(SOCKET s, int level, int optname, char *optval, LPINT optlen, LPINT lpErrno)
{
    PASS("WSPGetSockOpt", " level %d optname %#x", get_opt(ls, level, optname, optval, optlen, &err), level, optname)
}

static int set_opt(struct lsp_sock *ls, int level, int optname, const char *optval, int optlen, int *err)
{
    if (level == SOL_SOCKET && optname == SO_UPDATE_ACCEPT_CONTEXT)
    {
        /* optval names the listening socket: ours, translated. */
        SOCKET listener, lower;
        struct lsp_sock *l;
        int r;

        if (!optval || optlen < (int)sizeof(SOCKET)) return (*err = WSAEFAULT, SOCKET_ERROR);
        memcpy(&listener, optval, sizeof(listener));
        if (!(l = lsp_sock_get(listener, err))) return SOCKET_ERROR;
        lower = l->lower;
        r = ls->low->procs.lpWSPSetSockOpt(ls->lower, level, optname, (const char *)&lower, sizeof(lower), err);
        lsp_sock_put(l);
        return r;
    }
    if (level == SOL_SOCKET && optname == SO_UPDATE_CONNECT_CONTEXT && ls->redirected) return 0;
    return ls->low->procs.lpWSPSetSockOpt(ls->lower, level, optname, optval, optlen, err);
}

static int WSPAPI lsp_set_sock_opt(SOCKET s, int level, int optname, const char *optval, int optlen, LPINT lpErrno)
{
    PASS("WSPSetSockOpt", " level %d optname %#x optlen %d", set_opt(ls, level, optname, optval, optlen, &err), level,
         optname, optlen)
}

/* WSARecvDisconnect/WSASendDisconnect: shutdown with disconnect data, so a listener through the proxy
 * answers WSAENOTCONN as do_shutdown does (the proxy connection below a non-IFS one stays untouched). */
static int do_disconnect(struct lsp_sock *ls, BOOL sending, LPWSABUF data, int *err)
{
    if (ls->bind_listening) return (*err = WSAENOTCONN, SOCKET_ERROR);
    return sending ? ls->low->procs.lpWSPSendDisconnect(ls->lower, data, err)
                   : ls->low->procs.lpWSPRecvDisconnect(ls->lower, data, err);
}

static int WSPAPI lsp_recv_disconnect(SOCKET s, LPWSABUF data, LPINT lpErrno)
{
    PASS("WSPRecvDisconnect", "", do_disconnect(ls, FALSE, data, &err))
}

static int WSPAPI lsp_send_disconnect(SOCKET s, LPWSABUF data, LPINT lpErrno)
{
    PASS("WSPSendDisconnect", "", do_disconnect(ls, TRUE, data, &err))
}

static BOOL WSPAPI lsp_get_qos_by_name(SOCKET s, LPWSABUF name, LPQOS qos, LPINT lpErrno)
{
    struct lsp_sock *ls;
    int err = 0;
    BOOL r = FALSE;

    if ((ls = lsp_sock_get(s, &err))) r = ls->low->procs.lpWSPGetQOSByName(ls->lower, name, qos, &err);
    lsp_sock_put(ls);
    if (!r) lsp_fail(lpErrno, err);
    return r;
}

BOOL lsp_redirect_wanted(struct lsp_sock *ls, const struct sockaddr *name, int namelen, struct sockaddr_storage *via,
                         int *via_len)
{
    *via_len = sizeof(*via);
    return lsp_hooks.redirect && name && namelen >= (int)sizeof(struct sockaddr_in) &&
           namelen <= (int)sizeof(struct sockaddr_storage) && ls->info.iSocketType == SOCK_STREAM &&
           lsp_hooks.redirect(ls, name, namelen, via, via_len) && *via_len > 0 && *via_len <= (int)sizeof(*via);
}

int lsp_redirect_run(struct lsp_sock *ls, const struct sockaddr *name, int namelen, const struct sockaddr_storage *via,
                     int via_len)
{
    char a[64], b[64];
    int err = lsp_lower_connect(ls, (const struct sockaddr *)via, via_len, 30000);

    if (!err && lsp_hooks.handshake) err = lsp_hooks.handshake(ls, name, namelen);
    if (!err)
    {
        AcquireSRWLockExclusive(&ls->lock);
        memcpy(&ls->peer, name, namelen);
        ls->peer_len = namelen;
        ls->redirected = TRUE;
        ReleaseSRWLockExclusive(&ls->lock);
    }
    lsp_trace("redirect(s %#llx %s via %s) -> err=%d", LSP_SOCK_ARG(ls->s), lsp_addr_str(name, namelen, a, sizeof(a)),
              lsp_addr_str((const struct sockaddr *)via, via_len, b, sizeof(b)), err);
    /* A failed proxy conversation looks like a refused connection to the application. */
    if (err == WSAETIMEDOUT || err == WSAECONNRESET) err = WSAECONNREFUSED;
    return err;
}

int lsp_redirected_connect(struct lsp_sock *ls, const struct sockaddr *name, int namelen, BOOL *handled)
{
    struct sockaddr_storage via;
    int via_len;

    *handled = lsp_redirect_wanted(ls, name, namelen, &via, &via_len);
    if (!*handled) return 0;
    /* A non-blocking socket does not wait for the proxy: WSAEWOULDBLOCK, the handshake goes on in the
     * background (IFS sockets too: the layer's WSPSelect, WSAPoll fallback and event selects hold the
     * socket back while it runs). */
    if (ls->nonblocking) return lsp_async_connect(ls, name, namelen, &via, via_len);
    if (ls->hs_state != LSP_HS_NONE) return ls->hs_state == LSP_HS_PENDING ? WSAEALREADY : WSAEISCONN;
    return lsp_redirect_run(ls, name, namelen, &via, via_len);
}

static int WSPAPI lsp_connect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller, LPWSABUF callee,
                              LPQOS sqos, LPQOS gqos, LPINT lpErrno)
{
    struct lsp_sock *ls;
    BOOL handled = FALSE;
    int err = 0, r = SOCKET_ERROR;
    char a[64];

    if ((ls = lsp_sock_get(s, &err)))
    {
        if (ls->info.iSocketType == SOCK_DGRAM && lsp_hooks.dgram_connect)
            err = lsp_hooks.dgram_connect(ls, name, namelen, &handled);
        else err = lsp_redirected_connect(ls, name, namelen, &handled);
        if (handled) r = err ? SOCKET_ERROR : 0;
        else r = ls->low->procs.lpWSPConnect(ls->lower, name, namelen, caller, callee, sqos, gqos, &err);
    }
    lsp_trace("WSPConnect(s %#llx %s%s) -> %d err=%d", LSP_SOCK_ARG(s), lsp_addr_str(name, namelen, a, sizeof(a)),
              handled ? " redirected" : "", r, r ? err : 0);
    lsp_sock_put(ls);
    return r ? lsp_fail(lpErrno, err) : 0;
}

void lsp_calls_fill(WSPPROC_TABLE *t)
{
    t->lpWSPBind = lsp_bind;
    t->lpWSPListen = lsp_listen;
    t->lpWSPConnect = lsp_connect;
    t->lpWSPShutdown = lsp_shutdown;
    t->lpWSPGetSockName = lsp_get_sock_name;
    t->lpWSPGetPeerName = lsp_get_peer_name;
    t->lpWSPGetSockOpt = lsp_get_sock_opt;
    t->lpWSPSetSockOpt = lsp_set_sock_opt;
    t->lpWSPRecvDisconnect = lsp_recv_disconnect;
    t->lpWSPSendDisconnect = lsp_send_disconnect;
    t->lpWSPGetQOSByName = lsp_get_qos_by_name;
}
