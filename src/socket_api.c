/* socket_api.c - socket creation and the connection-management exports of ws2_32, dispatched to the
 * socket's provider: socket, WSASocketA/W, closesocket, bind, listen, accept, WSAAccept, connect,
 * WSAConnect, getsockname, getpeername, shutdown. Argument checks first, then WSANOTINITIALISED,
 * then WSAENOTSOCK (socket_get), then the provider's WSPxxx with the lpErrno protocol.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "api_internal.h"
#include "provider.h"
#include "socket_table.h"
#include "startup.h"
#include "trace.h"

int socket_close(struct ws_socket *sock)
{
    SOCKET s = (SOCKET)sock->hdr.handle;
    int err = 0, r;

    TRACE_SPI("WSPCloseSocket(s %#llx)", (unsigned long long)s);
    r = sock->provider->procs.lpWSPCloseSocket(s, &err);
    TRACE_SPI("WSPCloseSocket(s %#llx) -> %d (error %d)", (unsigned long long)s, r, err);
    if (r == SOCKET_ERROR) return err ? err : WSAENOTSOCK;
    socket_unregister(sock);
    return 0;
}
