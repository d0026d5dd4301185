/* afd_misc.c - the WSPPROC_TABLE entries Windows' TCP/IP providers do not provide either:
 * WSPJoinLeaf (no multipoint), WSPGetQOSByName (no QOS templates), WSPCancelBlockingCall (no
 * Winsock 1.1 blocking hooks in Winsock 2). Each returns the documented failure.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "afd_private.h"

SOCKET WSPAPI afd_WSPJoinLeaf(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller, LPWSABUF callee,
                              LPQOS sqos, LPQOS gqos, DWORD flags, LPINT err)
{
    int e = afd_socket_known(s) ? WSAEOPNOTSUPP : WSAENOTSOCK;
    (void)name, (void)namelen, (void)caller, (void)callee, (void)sqos, (void)gqos;
    AFD_TRACE("WSPJoinLeaf(%#Ix, flags %#lx) -> error %d (no multipoint support)", (ULONG_PTR)s,
              (unsigned long)flags, e);
    if (err) *err = e;
    return INVALID_SOCKET;
}

BOOL WSPAPI afd_WSPGetQOSByName(SOCKET s, LPWSABUF name, LPQOS qos, LPINT err)
{
    int e = afd_socket_known(s) ? WSAEINVAL : WSAENOTSOCK;  /* no QOS template is known */
    (void)name, (void)qos;
    AFD_TRACE("WSPGetQOSByName(%#Ix) -> error %d", (ULONG_PTR)s, e);
    if (err) *err = e;
    return FALSE;
}

int WSPAPI afd_WSPCancelBlockingCall(LPINT err)
{
    /* Winsock 2 has no blocking hooks, so no blocking call can be in progress on this thread. */
    AFD_TRACE("WSPCancelBlockingCall() -> error %d", WSAEINVAL);
    if (err) *err = WSAEINVAL;
    return SOCKET_ERROR;
}
