/* io_api.c - data transfer dispatched to the socket's provider: send, recv, sendto, recvfrom,
 * WSASend, WSARecv, WSASendTo, WSARecvFrom, WSASendMsg (SIO_EXT_SENDMSG, as Windows), WSASendDisconnect,
 * WSARecvDisconnect, WSAGetOverlappedResult. Every provider call gets the calling thread's
 * WSATHREADID so that completion routines can be queued to it.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "api_internal.h"
#include "provider.h"
#include "socket_table.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

/* The small structures of a WSASend/WSARecv-style call: the WSABUF array (not the data it points
 * to: the provider's I/O reports faults there), the byte count, the flags and the WSAOVERLAPPED. */
static BOOL io_args_ok(const WSABUF *bufs, DWORD count, DWORD *bytes, DWORD *flags, WSAOVERLAPPED *ov)
{
    if (!user_array_readable(bufs, count, sizeof(*bufs))) return FALSE;
    if (bytes && !user_writable(bytes, sizeof(*bytes))) return FALSE;
    if (flags && !user_writable(flags, sizeof(*flags))) return FALSE;
    return !ov || user_writable(ov, sizeof(*ov));
}

/* Windows' extension ioctl WSASendMsg is carried by (mswsock.h of the Windows SDK; not in MinGW-w64). */
#ifndef SIO_EXT_SENDMSG
# define SIO_EXT_SENDMSG _WSAIORW(IOC_WS2, 32)
#endif
#ifndef SIO_BSP_HANDLE
# define SIO_BSP_HANDLE _WSAIOR(IOC_WS2, 27)
#endif

static int do_send(struct ws_socket *sock, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags,
                   const struct sockaddr *to, int tolen, BOOL use_to, LPWSAOVERLAPPED ov,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    SOCKET s = (SOCKET)sock->hdr.handle;
    int err = 0, ret;

    if (use_to)
    {
        TRACE_SPI("WSPSendTo(s %#llx bufs %p count %lu flags %#lx to %p tolen %d ov %p routine %p)", SOCK_ARG(s),
                  (void *)bufs, (unsigned long)count, (unsigned long)flags, (const void *)to, tolen, (void *)ov,
                  (void *)(uintptr_t)routine);
        ret = sock->provider->procs.lpWSPSendTo(s, bufs, count, sent, flags, to, tolen, ov, routine,
                                                api_thread_id(), &err);
        TRACE_SPI("WSPSendTo -> %d (sent %ld error %d)", ret, sent && ret != SOCKET_ERROR ? (long)*sent : -1L, err);
    }
    else
    {
        TRACE_SPI("WSPSend(s %#llx bufs %p count %lu flags %#lx ov %p routine %p)", SOCK_ARG(s), (void *)bufs,
                  (unsigned long)count, (unsigned long)flags, (void *)ov, (void *)(uintptr_t)routine);
        ret = sock->provider->procs.lpWSPSend(s, bufs, count, sent, flags, ov, routine, api_thread_id(), &err);
        TRACE_SPI("WSPSend -> %d (sent %ld error %d)", ret, sent && ret != SOCKET_ERROR ? (long)*sent : -1L, err);
    }
    return api_provider_error(ret == SOCKET_ERROR, err);
}

static int do_recv(struct ws_socket *sock, LPWSABUF bufs, DWORD count, LPDWORD received, LPDWORD flags,
                   struct sockaddr *from, LPINT fromlen, BOOL use_from, LPWSAOVERLAPPED ov,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    SOCKET s = (SOCKET)sock->hdr.handle;
    int err = 0, ret;

    if (use_from)
    {
        TRACE_SPI("WSPRecvFrom(s %#llx bufs %p count %lu flags %#lx from %p fromlen %p ov %p routine %p)",
                  SOCK_ARG(s), (void *)bufs, (unsigned long)count, (unsigned long)*flags, (void *)from,
                  (void *)fromlen, (void *)ov, (void *)(uintptr_t)routine);
        ret = sock->provider->procs.lpWSPRecvFrom(s, bufs, count, received, flags, from, fromlen, ov, routine,
                                                  api_thread_id(), &err);
        TRACE_SPI("WSPRecvFrom -> %d (received %ld error %d)", ret,
                  received && ret != SOCKET_ERROR ? (long)*received : -1L, err);
    }
    else
    {
        TRACE_SPI("WSPRecv(s %#llx bufs %p count %lu flags %#lx ov %p routine %p)", SOCK_ARG(s), (void *)bufs,
                  (unsigned long)count, (unsigned long)*flags, (void *)ov, (void *)(uintptr_t)routine);
        ret = sock->provider->procs.lpWSPRecv(s, bufs, count, received, flags, ov, routine, api_thread_id(), &err);
        TRACE_SPI("WSPRecv -> %d (received %ld error %d)", ret,
                  received && ret != SOCKET_ERROR ? (long)*received : -1L, err);
    }
    return api_provider_error(ret == SOCKET_ERROR, err);
}

/* ---- Winsock 1.1 calls: one buffer, synchronous ---- */

int WSAAPI send(SOCKET s, const char *buf, int len, int flags)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);
    WSABUF wbuf;
    DWORD sent = 0;

    if (!err && (len < 0 || (!buf && len > 0))) err = WSAEFAULT;
    /* from/fromlen are the provider's to check: a stream socket ignores them, whatever they hold
     * (Wine's conformance tests, test_tcp_sendto_recvfrom, test_write_watch). */
    if (!err)
    {
        wbuf.len = (ULONG)len;
        wbuf.buf = (char *)buf;
        err = do_send(sock, &wbuf, 1, &sent, (DWORD)flags, NULL, 0, FALSE, NULL, NULL);
    }
    return api_leave(sock, err, (int)sent, "send(s %#llx buf %p len %d flags %#x)", SOCK_ARG(s), (const void *)buf, len,
                     flags);
}

int WSAAPI sendto(SOCKET s, const char *buf, int len, int flags, const struct sockaddr *to, int tolen)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);
    char addr_text[TRACE_TEXT_LEN];
    WSABUF wbuf;
    DWORD sent = 0;

    if (!err && (len < 0 || (!buf && len > 0))) err = WSAEFAULT;
    if (!err && to && (tolen <= 0 || !user_readable(to, (size_t)tolen))) err = WSAEFAULT;
    if (!err)
    {
        wbuf.len = (ULONG)len;
        wbuf.buf = (char *)buf;
        err = do_send(sock, &wbuf, 1, &sent, (DWORD)flags, to, to ? tolen : 0, TRUE, NULL, NULL);
    }
    return api_leave(sock, err, (int)sent, "sendto(s %#llx buf %p len %d flags %#x to %p tolen %d [%s])", SOCK_ARG(s),
                     (const void *)buf, len, flags, (const void *)to, tolen, API_ADDR_TEXT(addr_text, to, tolen));
}

int WSAAPI recv(SOCKET s, char *buf, int len, int flags)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);
    WSABUF wbuf;
    DWORD received = 0, dwflags = (DWORD)flags;

    if (!err && (len < 0 || (!buf && len > 0))) err = WSAEFAULT;
    /* from/fromlen are the provider's to check: a stream socket ignores them, whatever they hold
     * (Wine's conformance tests, test_tcp_sendto_recvfrom, test_write_watch). */
    if (!err)
    {
        wbuf.len = (ULONG)len;
        wbuf.buf = buf;
        err = do_recv(sock, &wbuf, 1, &received, &dwflags, NULL, NULL, FALSE, NULL, NULL);
    }
    return api_leave(sock, err, (int)received, "recv(s %#llx buf %p len %d flags %#x)", SOCK_ARG(s), (void *)buf, len,
                     flags);
}

int WSAAPI recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *from, int *fromlen)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);
    char addr_text[TRACE_TEXT_LEN];
    WSABUF wbuf;
    DWORD received = 0, dwflags = (DWORD)flags;

    if (!err && (len < 0 || (!buf && len > 0))) err = WSAEFAULT;
    /* from/fromlen are the provider's to check: a stream socket ignores them, whatever they hold
     * (Wine's conformance tests, test_tcp_sendto_recvfrom, test_write_watch). */
    if (!err)
    {
        wbuf.len = (ULONG)len;
        wbuf.buf = buf;
        err = do_recv(sock, &wbuf, 1, &received, &dwflags, from, fromlen, TRUE, NULL, NULL);
    }
    return api_leave(sock, err, (int)received, "recvfrom(s %#llx buf %p len %d flags %#x from %p fromlen %p [%s])",
                     SOCK_ARG(s), (void *)buf, len, flags, (void *)from, (void *)fromlen,
                     err || !from || !fromlen ? "" : API_ADDR_TEXT(addr_text, from, *fromlen));
}

/* ---- Winsock 2 calls: scatter/gather, overlapped ---- */

int WSAAPI WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                   LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);

    if (!err && ((!lpBuffers && dwBufferCount) || (!lpNumberOfBytesSent && !lpOverlapped))) err = WSAEFAULT;
    if (!err && !io_args_ok(lpBuffers, dwBufferCount, lpNumberOfBytesSent, NULL, lpOverlapped)) err = WSAEFAULT;
    if (!err)
        err = do_send(sock, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, NULL, 0, FALSE, lpOverlapped,
                      lpCompletionRoutine);
    return api_leave(sock, err, 0,
                     "WSASend(s %#llx lpBuffers %p dwBufferCount %lu lpNumberOfBytesSent %p dwFlags %#lx "
                     "lpOverlapped %p lpCompletionRoutine %p)", SOCK_ARG(s), (void *)lpBuffers,
                     (unsigned long)dwBufferCount, (void *)lpNumberOfBytesSent, (unsigned long)dwFlags,
                     (void *)lpOverlapped, (void *)(uintptr_t)lpCompletionRoutine);
}

int WSAAPI WSASendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                     const struct sockaddr *lpTo, int iTolen, LPWSAOVERLAPPED lpOverlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);
    char addr_text[TRACE_TEXT_LEN];

    if (!err && ((!lpBuffers && dwBufferCount) || (!lpNumberOfBytesSent && !lpOverlapped))) err = WSAEFAULT;
    if (!err && !io_args_ok(lpBuffers, dwBufferCount, lpNumberOfBytesSent, NULL, lpOverlapped)) err = WSAEFAULT;
    if (!err && lpTo && (iTolen <= 0 || !user_readable(lpTo, (size_t)iTolen))) err = WSAEFAULT;
    if (!err)
        err = do_send(sock, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, lpTo ? iTolen : 0, TRUE,
                      lpOverlapped, lpCompletionRoutine);
    return api_leave(sock, err, 0,
                     "WSASendTo(s %#llx lpBuffers %p dwBufferCount %lu lpNumberOfBytesSent %p dwFlags %#lx "
                     "lpTo %p iTolen %d [%s] lpOverlapped %p lpCompletionRoutine %p)", SOCK_ARG(s), (void *)lpBuffers,
                     (unsigned long)dwBufferCount, (void *)lpNumberOfBytesSent, (unsigned long)dwFlags,
                     (const void *)lpTo, iTolen, API_ADDR_TEXT(addr_text, lpTo, iTolen), (void *)lpOverlapped,
                     (void *)(uintptr_t)lpCompletionRoutine);
}

int WSAAPI WSARecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
                   LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);

    if (!err && ((!lpBuffers && dwBufferCount) || !lpFlags || (!lpNumberOfBytesRecvd && !lpOverlapped)))
        err = WSAEFAULT;
    if (!err && !io_args_ok(lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped)) err = WSAEFAULT;
    if (!err)
        err = do_recv(sock, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, NULL, NULL, FALSE,
                      lpOverlapped, lpCompletionRoutine);
    return api_leave(sock, err, 0,
                     "WSARecv(s %#llx lpBuffers %p dwBufferCount %lu lpNumberOfBytesRecvd %p lpFlags %p "
                     "lpOverlapped %p lpCompletionRoutine %p)", SOCK_ARG(s), (void *)lpBuffers,
                     (unsigned long)dwBufferCount, (void *)lpNumberOfBytesRecvd, (void *)lpFlags, (void *)lpOverlapped,
                     (void *)(uintptr_t)lpCompletionRoutine);
}

int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount, LPDWORD lpNumberOfBytesRecvd,
                       LPDWORD lpFlags, struct sockaddr *lpFrom, LPINT lpFromlen, LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);

    if (!err && ((!lpBuffers && dwBufferCount) || !lpFlags || (!lpNumberOfBytesRecvd && !lpOverlapped)))
        err = WSAEFAULT;
    if (!err && !io_args_ok(lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped)) err = WSAEFAULT;
    if (!err)
        err = do_recv(sock, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpFrom, lpFromlen, TRUE,
                      lpOverlapped, lpCompletionRoutine);
    return api_leave(sock, err, 0,
                     "WSARecvFrom(s %#llx lpBuffers %p dwBufferCount %lu lpNumberOfBytesRecvd %p lpFlags %p "
                     "lpFrom %p lpFromlen %p lpOverlapped %p lpCompletionRoutine %p)", SOCK_ARG(s),
                     (void *)lpBuffers, (unsigned long)dwBufferCount, (void *)lpNumberOfBytesRecvd, (void *)lpFlags,
                     (void *)lpFrom, (void *)lpFromlen, (void *)lpOverlapped, (void *)(uintptr_t)lpCompletionRoutine);
}

/* Whether sock is a stream socket (SO_TYPE through its provider). */
static BOOL sendmsg_stream(struct ws_socket *sock)
{
    int type = 0, len = sizeof(type), err = 0;

    if (sock->provider->procs.lpWSPGetSockOpt((SOCKET)sock->hdr.handle, SOL_SOCKET, SO_TYPE, (char *)&type, &len,
                                              &err) == SOCKET_ERROR)
        return FALSE;
    return type == SOCK_STREAM;
}

/* WSASendMsg reaches the provider as the SIO_EXT_SENDMSG ioctl carrying a WSASENDMSG, sent to the
 * socket SIO_BSP_HANDLE names, as on Windows (layered providers intercept it there). A provider that does not know the ioctl still gets a
 * message without control data, as the equivalent WSPSendTo. */
int WSAAPI WSASendMsg(SOCKET s, LPWSAMSG lpMsg, DWORD dwFlags, LPDWORD lpNumberOfBytesSent,
                      LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);

    if (!err && (!lpMsg || (!lpNumberOfBytesSent && !lpOverlapped))) err = WSAEFAULT;
    if (!err && (!user_readable(lpMsg, sizeof(*lpMsg)) ||
                 !io_args_ok(lpMsg->lpBuffers, lpMsg->dwBufferCount, lpNumberOfBytesSent, NULL, lpOverlapped)))
        err = WSAEFAULT;
    if (!err && ((!lpMsg->lpBuffers && lpMsg->dwBufferCount) ||
                 (lpMsg->name && (lpMsg->namelen <= 0 || !user_readable(lpMsg->name, (size_t)lpMsg->namelen))) ||
                 !user_readable(lpMsg->Control.buf, lpMsg->Control.len)))
        err = WSAEFAULT;
    if (!err)
    {
        WSASENDMSG params;
        DWORD returned = 0, status = 0;
        struct ws_socket *target = NULL;
        SOCKET bsp = INVALID_SOCKET;

        params.lpMsg = lpMsg;
        params.dwFlags = dwFlags;
        params.lpNumberOfBytesSent = lpNumberOfBytesSent;
        params.lpOverlapped = lpOverlapped;
        params.lpCompletionRoutine = lpCompletionRoutine;

        /* As Windows: the socket's provider names the socket that serves WSASendMsg (SIO_BSP_HANDLE:
         * an intercepting layered provider answers with its own, the others pass it down to the base
         * provider); without an answer, the socket itself. */
        if (!api_ioctl(sock, SIO_BSP_HANDLE, NULL, 0, &bsp, sizeof(bsp), &returned, NULL, NULL) &&
            bsp != INVALID_SOCKET && bsp != s)
            target = socket_get(bsp);
        err = api_ioctl(target ? target : sock, SIO_EXT_SENDMSG, &params, sizeof(params), &status, sizeof(status),
                        &returned, lpOverlapped, lpCompletionRoutine);
        socket_put(target);
        /* A provider that does not know the ioctl (WSAEOPNOTSUPP, or WSAEINVAL as some answer
         * unknown codes) gets the plain send, except on a stream socket: Windows refuses WSASendMsg
         * there with WSAEINVAL (Wine's sock.c, test_WSASendMsg; openws2afd answers so itself). */
        if ((err == WSAEOPNOTSUPP || err == WSAEINVAL) && !lpMsg->Control.len && sendmsg_stream(sock))
            err = WSAEINVAL;
        else if ((err == WSAEOPNOTSUPP || err == WSAEINVAL) && !lpMsg->Control.len)
        {
            TRACE_API("WSASendMsg: provider has no SIO_EXT_SENDMSG, sending as WSPSendTo");
            err = do_send(sock, lpMsg->lpBuffers, lpMsg->dwBufferCount, lpNumberOfBytesSent, dwFlags, lpMsg->name,
                          lpMsg->name ? lpMsg->namelen : 0, TRUE, lpOverlapped, lpCompletionRoutine);
        }
    }
    return api_leave(sock, err, 0,
                     "WSASendMsg(s %#llx lpMsg %p dwFlags %#lx lpNumberOfBytesSent %p lpOverlapped %p "
                     "lpCompletionRoutine %p)", SOCK_ARG(s), (void *)lpMsg, (unsigned long)dwFlags,
                     (void *)lpNumberOfBytesSent, (void *)lpOverlapped, (void *)(uintptr_t)lpCompletionRoutine);
}

int WSAAPI WSASendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock), ret = SOCKET_ERROR;

    if (!err && lpOutboundDisconnectData && !user_readable(lpOutboundDisconnectData, sizeof(*lpOutboundDisconnectData)))
        err = WSAEFAULT;
    if (!err)
    {
        TRACE_SPI("WSPSendDisconnect(s %#llx data %p)", SOCK_ARG(s), (void *)lpOutboundDisconnectData);
        ret = sock->provider->procs.lpWSPSendDisconnect(s, lpOutboundDisconnectData, &err);
        TRACE_SPI("WSPSendDisconnect -> %d (error %d)", ret, err);
        err = api_provider_error(ret == SOCKET_ERROR, err);
    }
    return api_leave(sock, err, 0, "WSASendDisconnect(s %#llx lpOutboundDisconnectData %p)", SOCK_ARG(s),
                     (void *)lpOutboundDisconnectData);
}

int WSAAPI WSARecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock), ret = SOCKET_ERROR;

    if (!err && lpInboundDisconnectData && !user_writable(lpInboundDisconnectData, sizeof(*lpInboundDisconnectData)))
        err = WSAEFAULT;
    if (!err)
    {
        TRACE_SPI("WSPRecvDisconnect(s %#llx data %p)", SOCK_ARG(s), (void *)lpInboundDisconnectData);
        ret = sock->provider->procs.lpWSPRecvDisconnect(s, lpInboundDisconnectData, &err);
        TRACE_SPI("WSPRecvDisconnect -> %d (error %d)", ret, err);
        err = api_provider_error(ret == SOCKET_ERROR, err);
    }
    return api_leave(sock, err, 0, "WSARecvDisconnect(s %#llx lpInboundDisconnectData %p)", SOCK_ARG(s),
                     (void *)lpInboundDisconnectData);
}

BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer, BOOL fWait,
                                   LPDWORD lpdwFlags)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);
    BOOL ret = FALSE;
    DWORD ignored_flags = 0;

    /* Without lpdwFlags Windows still reports the transfer (Wine's conformance tests pass NULL:
     * test_ip_pktinfo, test_TransmitFile): the flags are dropped. */
    if (!lpdwFlags) lpdwFlags = &ignored_flags;
    if (!err && (!user_readable(lpOverlapped, sizeof(*lpOverlapped)) || !user_writable(lpcbTransfer, sizeof(*lpcbTransfer)) ||
                 !user_writable(lpdwFlags, sizeof(*lpdwFlags))))
        err = WSAEFAULT;
    if (!err)
    {
        TRACE_SPI("WSPGetOverlappedResult(s %#llx ov %p wait %d)", SOCK_ARG(s), (void *)lpOverlapped, fWait);
        ret = sock->provider->procs.lpWSPGetOverlappedResult(s, lpOverlapped, lpcbTransfer, fWait, lpdwFlags, &err);
        TRACE_SPI("WSPGetOverlappedResult -> %d (transferred %lu error %d)", ret, (unsigned long)*lpcbTransfer, err);
        err = api_provider_error(!ret, err);
    }
    /* Since Windows 10 1809 a successful call also sets the last error (to 0 for a success status). */
    return api_leave_bool(sock, err, TRUE, "WSAGetOverlappedResult(s %#llx lpOverlapped %p lpcbTransfer %p fWait %d "
                          "lpdwFlags %p)", SOCK_ARG(s), (void *)lpOverlapped, (void *)lpcbTransfer, fWait,
                          (void *)lpdwFlags);
}
