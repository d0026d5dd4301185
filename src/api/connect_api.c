/* connect_api.c - WSAConnectByList and WSAConnectByNameA/W, which ws2_32 itself builds on the
 * socket's provider: each address in turn with a non-blocking WSPConnect and WSPSelect, within one
 * overall timeout. WSAConnectByName resolves the name with GetAddrInfoW first (while name resolution
 * is a placeholder, it fails with that function's error).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <limits.h>
#include <stdlib.h>
#include "api_internal.h"
#include "provider.h"
#include "socket_table.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

static int set_nonblocking(struct ws_socket *sock, u_long on)
{
    DWORD returned = 0;
    return api_ioctl(sock, FIONBIO, &on, sizeof(on), NULL, 0, &returned, NULL, NULL);
}

/* One attempt: 0 when connected, WSAETIMEDOUT when the deadline passed, else the connect error. */
static int try_connect(struct ws_socket *sock, const struct sockaddr *addr, int len, BOOL infinite,
                       uint64_t deadline)
{
    SOCKET s = (SOCKET)sock->hdr.handle;
    struct provider *p = sock->provider;
    int err = 0, ret;

    TRACE_SPI("WSPConnect(s %#llx name %p namelen %d) [connect by list]", SOCK_ARG(s), (const void *)addr, len);
    ret = p->procs.lpWSPConnect(s, addr, len, NULL, NULL, NULL, NULL, &err);
    TRACE_SPI("WSPConnect -> %d (error %d)", ret, err);
    if (ret != SOCKET_ERROR) return 0;
    if (err != WSAEWOULDBLOCK) return err ? err : WSAECONNREFUSED;
    {
        fd_set wr, ex;
        TIMEVAL tv, *ptv = NULL;
        int optlen = sizeof(int), soerr = 0;

        if (!infinite)
        {
            uint64_t now = GetTickCount64(), left = now >= deadline ? 0 : deadline - now;
            tv.tv_sec = (long)(left / 1000);
            tv.tv_usec = (long)(left % 1000) * 1000;
            ptv = &tv;
        }
        wr.fd_count = ex.fd_count = 1;
        wr.fd_array[0] = ex.fd_array[0] = s;
        err = 0;
        TRACE_SPI("WSPSelect(write+except %#llx) [connect by list]", SOCK_ARG(s));
        ret = p->procs.lpWSPSelect(0, NULL, &wr, &ex, ptv, &err);
        TRACE_SPI("WSPSelect -> %d (error %d)", ret, err);
        if (ret == SOCKET_ERROR) return api_provider_error(TRUE, err);
        if (ret == 0) return WSAETIMEDOUT;
        if (wr.fd_count) return 0;
        err = 0;
        ret = p->procs.lpWSPGetSockOpt(s, SOL_SOCKET, SO_ERROR, (char *)&soerr, &optlen, &err);
        TRACE_SPI("WSPGetSockOpt(SO_ERROR) -> %d (so_error %d error %d)", ret, soerr, err);
        if (ret == SOCKET_ERROR) return api_provider_error(TRUE, err);
        return soerr ? soerr : WSAECONNREFUSED;
    }
}

static int connect_list(struct ws_socket *sock, const SOCKET_ADDRESS_LIST *list, LPDWORD local_len,
                        LPSOCKADDR local, LPDWORD remote_len, LPSOCKADDR remote, const TIMEVAL *timeout)
{
    BOOL infinite = !timeout;
    uint64_t deadline = 0;
    int err = WSAEHOSTUNREACH, i, connected = -1;

    if (timeout)
        deadline = GetTickCount64() + (uint64_t)timeout->tv_sec * 1000 + (uint64_t)timeout->tv_usec / 1000;
    if ((err = set_nonblocking(sock, 1))) return err;
    err = WSAEHOSTUNREACH;
    for (i = 0; i < list->iAddressCount; i++)
    {
        const SOCKET_ADDRESS *a = &list->Address[i];
        if (!a->lpSockaddr || a->iSockaddrLength <= 0) continue;
        err = try_connect(sock, a->lpSockaddr, a->iSockaddrLength, infinite, deadline);
        if (!err)
        {
            connected = i;
            break;
        }
        if (err == WSAETIMEDOUT) break;
    }
    /* The socket is left in blocking mode, the default state of a connected socket. */
    set_nonblocking(sock, 0);
    if (connected < 0) return err;

    if (remote_len && remote)
    {
        const SOCKET_ADDRESS *a = &list->Address[connected];
        /* Windows leaves a short length as it was (Wine's conformance tests for WSAConnectByName). */
        if (*remote_len < (DWORD)a->iSockaddrLength) return WSAEFAULT;
        memcpy(remote, a->lpSockaddr, (size_t)a->iSockaddrLength);
        *remote_len = (DWORD)a->iSockaddrLength;
    }
    if (local_len && local)
    {
        int len = *local_len > INT_MAX ? INT_MAX : (int)*local_len, ret;
        err = 0;
        ret = sock->provider->procs.lpWSPGetSockName((SOCKET)sock->hdr.handle, local, &len, &err);
        TRACE_SPI("WSPGetSockName -> %d (error %d) [connect by list]", ret, err);
        if (ret == SOCKET_ERROR) return err ? err : WSAEFAULT;
        *local_len = (DWORD)len;
    }
    return 0;
}

/* An optional out-address with its DWORD length: the length writable when given, the buffer
 * writable for as much as an address can take. A buffer without a length is ignored (Windows
 * connects and leaves it alone: Wine's conformance tests, test_WSAConnectByName). */
static BOOL addr_out_ok(LPDWORD len, LPSOCKADDR addr)
{
    size_t want;

    if (len && !user_writable(len, sizeof(*len))) return FALSE;
    if (!addr || !len) return TRUE;
    want = *len < sizeof(SOCKADDR_STORAGE) ? *len : sizeof(SOCKADDR_STORAGE);
    return user_writable(addr, want);
}

static int check_common(LPDWORD local_len, LPSOCKADDR local, LPDWORD remote_len, LPSOCKADDR remote,
                        const TIMEVAL *timeout, LPWSAOVERLAPPED reserved)
{
    if (reserved) return WSAEINVAL;
    if (!addr_out_ok(local_len, local) || !addr_out_ok(remote_len, remote)) return WSAEFAULT;
    if (timeout && !user_readable(timeout, sizeof(*timeout))) return WSAEFAULT;
    if (timeout && (timeout->tv_sec < 0 || timeout->tv_usec < 0)) return WSAEINVAL;
    return 0;
}

/* The caller's address list: its count, its array, and every address in it. */
static int check_list(const SOCKET_ADDRESS_LIST *list)
{
    INT i;

    if (!list) return WSAEINVAL;
    if (!user_readable(list, offsetof(SOCKET_ADDRESS_LIST, Address))) return WSAEFAULT;
    if (list->iAddressCount <= 0) return WSAEINVAL;
    if (!user_array_readable(list->Address, (size_t)list->iAddressCount, sizeof(SOCKET_ADDRESS))) return WSAEFAULT;
    for (i = 0; i < list->iAddressCount; i++)
    {
        const SOCKET_ADDRESS *a = &list->Address[i];
        if (a->lpSockaddr && a->iSockaddrLength > 0 && !user_readable(a->lpSockaddr, (size_t)a->iSockaddrLength))
            return WSAEFAULT;
    }
    return 0;
}

BOOL WSAAPI WSAConnectByList(SOCKET s, PSOCKET_ADDRESS_LIST SocketAddressList, LPDWORD LocalAddressLength,
                             LPSOCKADDR LocalAddress, LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
                             const PTIMEVAL timeout, LPWSAOVERLAPPED Reserved)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);

    if (!err) err = check_list(SocketAddressList);
    if (!err) err = check_common(LocalAddressLength, LocalAddress, RemoteAddressLength, RemoteAddress, timeout,
                                 Reserved);
    if (!err)
        err = connect_list(sock, SocketAddressList, LocalAddressLength, LocalAddress, RemoteAddressLength,
                           RemoteAddress, timeout);
    return api_leave_bool(sock, err, FALSE,
                          "WSAConnectByList(s %#llx SocketAddressList %p LocalAddressLength %p LocalAddress %p "
                          "RemoteAddressLength %p RemoteAddress %p timeout %p Reserved %p)", SOCK_ARG(s),
                          (void *)SocketAddressList, (void *)LocalAddressLength, (void *)LocalAddress,
                          (void *)RemoteAddressLength, (void *)RemoteAddress, (void *)timeout, (void *)Reserved);
}

static int connect_name(SOCKET s, LPCWSTR node, LPCWSTR service, LPDWORD local_len, LPSOCKADDR local,
                        LPDWORD remote_len, LPSOCKADDR remote, const TIMEVAL *timeout, LPWSAOVERLAPPED reserved)
{
    struct ws_socket *sock = NULL;
    int err = startup_check();

    /* A missing name or service comes before the socket check: Windows reports WSAEINVAL even for
     * a closed socket (Wine's conformance tests, test_WSAConnectByName). */
    if (!err && (!node || !service)) err = WSAEINVAL;
    if (!err) err = api_enter(s, &sock);
    if (!err && (!user_wstr_readable(node) || !user_wstr_readable(service))) err = WSAEFAULT;
    if (!err) err = check_common(local_len, local, remote_len, remote, timeout, reserved);
    if (!err)
    {
        ADDRINFOW hints, *res = NULL, *ai;
        SOCKET_ADDRESS_LIST *list;
        int n = 0;

        WSAPROTOCOL_INFOW info;
        int infolen = sizeof(info), perr = 0;

        /* Resolve for the socket's own address family. */
        memset(&hints, 0, sizeof(hints));
        hints.ai_family = AF_UNSPEC;
        TRACE_SPI("WSPGetSockOpt(s %#llx SO_PROTOCOL_INFOW) [connect by name]", SOCK_ARG(s));
        if (sock->provider->procs.lpWSPGetSockOpt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &infolen,
                                                  &perr) != SOCKET_ERROR)
            hints.ai_family = info.iAddressFamily;
        TRACE_SPI("WSPGetSockOpt -> family %d (error %d)", hints.ai_family, perr);
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_protocol = IPPROTO_TCP;
        err = GetAddrInfoW(node, service, &hints, &res);
        if (!err)
        {
            for (ai = res; ai; ai = ai->ai_next) n++;
            list = calloc(1, offsetof(SOCKET_ADDRESS_LIST, Address) + (size_t)(n ? n : 1) * sizeof(SOCKET_ADDRESS));
            if (!list) err = WSAENOBUFS;
            else
            {
                for (ai = res, n = 0; ai; ai = ai->ai_next, n++)
                {
                    list->Address[n].lpSockaddr = ai->ai_addr;
                    list->Address[n].iSockaddrLength = (INT)ai->ai_addrlen;
                }
                list->iAddressCount = n;
                err = n ? connect_list(sock, list, local_len, local, remote_len, remote, timeout) : WSAHOST_NOT_FOUND;
                free(list);
            }
            FreeAddrInfoW(res);
        }
    }
    socket_put(sock);
    return err;
}

BOOL WSAAPI WSAConnectByNameW(SOCKET s, LPWSTR nodename, LPWSTR servicename, LPDWORD LocalAddressLength,
                              LPSOCKADDR LocalAddress, LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
                              const PTIMEVAL timeout, LPWSAOVERLAPPED Reserved)
{
    int err = connect_name(s, nodename, servicename, LocalAddressLength, LocalAddress, RemoteAddressLength,
                           RemoteAddress, timeout, Reserved);
    return api_leave_bool(NULL, err, FALSE,
                          "WSAConnectByNameW(s %#llx nodename %p servicename %p LocalAddressLength %p LocalAddress %p "
                          "RemoteAddressLength %p RemoteAddress %p timeout %p Reserved %p)", SOCK_ARG(s),
                          (void *)nodename, (void *)servicename, (void *)LocalAddressLength, (void *)LocalAddress,
                          (void *)RemoteAddressLength, (void *)RemoteAddress, (void *)timeout, (void *)Reserved);
}

static WCHAR *to_wide(const char *s)
{
    WCHAR *w;
    int n;

    if (!s) return NULL;
    if (!(n = MultiByteToWideChar(CP_ACP, 0, s, -1, NULL, 0))) return NULL;
    if (!(w = malloc((size_t)n * sizeof(WCHAR)))) return NULL;
    MultiByteToWideChar(CP_ACP, 0, s, -1, w, n);
    return w;
}

BOOL WSAAPI WSAConnectByNameA(SOCKET s, LPSTR nodename, LPSTR servicename, LPDWORD LocalAddressLength,
                              LPSOCKADDR LocalAddress, LPDWORD RemoteAddressLength, LPSOCKADDR RemoteAddress,
                              const PTIMEVAL timeout, LPWSAOVERLAPPED Reserved)
{
    WCHAR *node = NULL, *service = NULL;
    int err = 0;

    /* The strings are read here, before connect_name checks the socket: a bad one is reported in
     * the same order (WSANOTINITIALISED, WSAENOTSOCK, then WSAEFAULT). */
    if ((nodename && !user_str_readable(nodename)) || (servicename && !user_str_readable(servicename)))
    {
        struct ws_socket *sock;
        if (!(err = api_enter(s, &sock))) err = WSAEFAULT;
        socket_put(sock);
    }
    else
    {
        node = to_wide(nodename);
        service = to_wide(servicename);
    }
    if (!err && ((nodename && !node) || (servicename && !service)))
        err = startup_check() ? startup_check() : WSAENOBUFS;
    else if (!err) err = connect_name(s, node, service, LocalAddressLength, LocalAddress, RemoteAddressLength, RemoteAddress,
                            timeout, Reserved);
    free(node);
    free(service);
    return api_leave_bool(NULL, err, FALSE,
                          "WSAConnectByNameA(s %#llx nodename %s servicename %s LocalAddressLength %p LocalAddress %p "
                          "RemoteAddressLength %p RemoteAddress %p timeout %p Reserved %p)", SOCK_ARG(s),
                          node ? nodename : "(null or bad)", service ? servicename : "(null or bad)",
                          (void *)LocalAddressLength, (void *)LocalAddress, (void *)RemoteAddressLength,
                          (void *)RemoteAddress, (void *)timeout, (void *)Reserved);
}
