/* nonifs_dispatch.c - the completion-routine bookkeeping around a loaded provider's overlapped I/O
 * entry points (WSPRecv, WSPRecvFrom, WSPSend, WSPSendTo, WSPIoctl): for a non-IFS socket, every
 * overlapped request is announced to nonifs_handle.c (nonifs_request_begin) before the provider
 * sees it, and withdrawn when it fails to start, so that WPUCompleteOverlappedRequest can run the
 * request's completion routine in the issuing thread (see nonifs.h). IFS sockets and synchronous
 * calls go straight to the provider. The wrappers find the provider's own entry through the socket
 * (its struct provider's provider_procs).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "nonifs.h"
#include "provider.h"
#include "socket_table.h"

/* Referenced socket s, with an overlapped request on a non-IFS socket announced; NULL (with
 * *lpErrno: WSAENOTSOCK when s is not one of ours any more) when the call cannot go on. */
static struct ws_socket *wrap_start(SOCKET s, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr,
                                    LPWSATHREADID tid, LPINT lpErrno)
{
    struct ws_socket *sock = socket_get(s);
    int err;

    if (!sock || !sock->provider)
    {
        if (sock) socket_put(sock);
        if (lpErrno) *lpErrno = WSAENOTSOCK;
        return NULL;
    }
    if (sock->ifs || !ov) return sock;
    if (!(err = nonifs_request_begin(s, ov, cr, tid))) return sock;
    if (lpErrno) *lpErrno = err;
    socket_put(sock);
    return NULL;
}

static void wrap_end(struct ws_socket *sock, SOCKET s, LPWSAOVERLAPPED ov, int ret, LPINT lpErrno)
{
    if (!sock->ifs && ov && ret == SOCKET_ERROR && (!lpErrno || *lpErrno != WSA_IO_PENDING))
        nonifs_request_end(s, ov);
    socket_put(sock);
}

static int WSPAPI wrap_recv(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD got, LPDWORD flags, LPWSAOVERLAPPED ov,
                            LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    struct ws_socket *sock = wrap_start(s, ov, cr, tid, lpErrno);
    int ret;
    if (!sock) return SOCKET_ERROR;
    ret = sock->provider->provider_procs.lpWSPRecv(s, bufs, n, got, flags, ov, cr, tid, lpErrno);
    wrap_end(sock, s, ov, ret, lpErrno);
    return ret;
}

static int WSPAPI wrap_recv_from(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD got, LPDWORD flags,
                                 struct sockaddr *from, LPINT fromlen, LPWSAOVERLAPPED ov,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    struct ws_socket *sock = wrap_start(s, ov, cr, tid, lpErrno);
    int ret;
    if (!sock) return SOCKET_ERROR;
    ret = sock->provider->provider_procs.lpWSPRecvFrom(s, bufs, n, got, flags, from, fromlen, ov, cr, tid, lpErrno);
    wrap_end(sock, s, ov, ret, lpErrno);
    return ret;
}

static int WSPAPI wrap_send(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD sent, DWORD flags, LPWSAOVERLAPPED ov,
                            LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    struct ws_socket *sock = wrap_start(s, ov, cr, tid, lpErrno);
    int ret;
    if (!sock) return SOCKET_ERROR;
    ret = sock->provider->provider_procs.lpWSPSend(s, bufs, n, sent, flags, ov, cr, tid, lpErrno);
    wrap_end(sock, s, ov, ret, lpErrno);
    return ret;
}

static int WSPAPI wrap_send_to(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD sent, DWORD flags,
                               const struct sockaddr *to, int tolen, LPWSAOVERLAPPED ov,
                               LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    struct ws_socket *sock = wrap_start(s, ov, cr, tid, lpErrno);
    int ret;
    if (!sock) return SOCKET_ERROR;
    ret = sock->provider->provider_procs.lpWSPSendTo(s, bufs, n, sent, flags, to, tolen, ov, cr, tid, lpErrno);
    wrap_end(sock, s, ov, ret, lpErrno);
    return ret;
}

static int WSPAPI wrap_ioctl(SOCKET s, DWORD code, LPVOID in, DWORD inlen, LPVOID out, DWORD outlen, LPDWORD ret_len,
                             LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid,
                             LPINT lpErrno)
{
    struct ws_socket *sock = wrap_start(s, ov, cr, tid, lpErrno);
    int ret;
    if (!sock) return SOCKET_ERROR;
    ret = sock->provider->provider_procs.lpWSPIoctl(s, code, in, inlen, out, outlen, ret_len, ov, cr, tid, lpErrno);
    wrap_end(sock, s, ov, ret, lpErrno);
    return ret;
}

void nonifs_wrap_table(WSPPROC_TABLE *procs)
{
    procs->lpWSPRecv = wrap_recv;
    procs->lpWSPRecvFrom = wrap_recv_from;
    procs->lpWSPSend = wrap_send;
    procs->lpWSPSendTo = wrap_send_to;
    procs->lpWSPIoctl = wrap_ioctl;
}
