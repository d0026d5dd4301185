/* byteorder.c - the byte-order exports: htonl, htons, ntohl, ntohs (pure conversions, usable
 * without WSAStartup as on Windows) and WSAHtonl, WSAHtons, WSANtohl, WSANtohs (which take a socket:
 * WSANOTINITIALISED before WSAStartup, WSAENOTSOCK for a SOCKET that is not ours, WSAEFAULT for a
 * NULL result pointer). Every protocol Windows' providers support is big-endian ("network order"),
 * so the conversions do not depend on the socket's provider beyond its existence.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "socket_table.h"
#include "startup.h"
#include "trace.h"

static uint32_t swap32(uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}

static uint16_t swap16(uint16_t v)
{
    return (uint16_t)((v >> 8) | (v << 8));
}

u_long WSAAPI htonl(u_long hostlong)
{
    u_long ret = swap32(hostlong);
    TRACE_API("htonl(0x%08lx) -> 0x%08lx", (unsigned long)hostlong, (unsigned long)ret);
    return ret;
}

u_short WSAAPI htons(u_short hostshort)
{
    u_short ret = swap16(hostshort);
    TRACE_API("htons(0x%04x) -> 0x%04x", hostshort, ret);
    return ret;
}

u_long WSAAPI ntohl(u_long netlong)
{
    u_long ret = swap32(netlong);
    TRACE_API("ntohl(0x%08lx) -> 0x%08lx", (unsigned long)netlong, (unsigned long)ret);
    return ret;
}

u_short WSAAPI ntohs(u_short netshort)
{
    u_short ret = swap16(netshort);
    TRACE_API("ntohs(0x%04x) -> 0x%04x", netshort, ret);
    return ret;
}

/* The checks every WSA* byte-order call makes: 0 or the WSA error. */
static int check_socket_call(SOCKET s, const void *result)
{
    struct ws_socket *sock;
    int err;

    if ((err = startup_check())) return err;
    if (!(sock = socket_get(s))) return WSAENOTSOCK;
    socket_put(sock);
    if (!result) return WSAEFAULT;
    return 0;
}

int WSAAPI WSAHtonl(SOCKET s, u_long hostlong, u_long *lpnetlong)
{
    int err = check_socket_call(s, lpnetlong);

    if (!err) *lpnetlong = swap32(hostlong);
    TRACE_API("WSAHtonl(%p, 0x%08lx, %p) -> %d (error %d)", (void *)s, (unsigned long)hostlong,
              (void *)lpnetlong, err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}

int WSAAPI WSAHtons(SOCKET s, u_short hostshort, u_short *lpnetshort)
{
    int err = check_socket_call(s, lpnetshort);

    if (!err) *lpnetshort = swap16(hostshort);
    TRACE_API("WSAHtons(%p, 0x%04x, %p) -> %d (error %d)", (void *)s, hostshort,
              (void *)lpnetshort, err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}

int WSAAPI WSANtohl(SOCKET s, u_long netlong, u_long *lphostlong)
{
    int err = check_socket_call(s, lphostlong);

    if (!err) *lphostlong = swap32(netlong);
    TRACE_API("WSANtohl(%p, 0x%08lx, %p) -> %d (error %d)", (void *)s, (unsigned long)netlong,
              (void *)lphostlong, err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}

int WSAAPI WSANtohs(SOCKET s, u_short netshort, u_short *lphostshort)
{
    int err = check_socket_call(s, lphostshort);

    if (!err) *lphostshort = swap16(netshort);
    TRACE_API("WSANtohs(%p, 0x%04x, %p) -> %d (error %d)", (void *)s, netshort,
              (void *)lphostshort, err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}
