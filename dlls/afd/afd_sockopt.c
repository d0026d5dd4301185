/* afd_sockopt.c - WSPGetSockOpt / WSPSetSockOpt of openws2afd: argument checks and value sizes as
 * Windows has them, the options Wine's AFD implements passed through afd_wine.c, and the ones the
 * provider answers itself (SO_TYPE, SO_PROTOCOL_INFO, SO_MAX_MSG_SIZE, SO_BSP_STATE, SO_DONTLINGER,
 * the AcceptEx/ConnectEx context updates).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <winternl.h>
#include <ntstatus.h>
#include "afd_private.h"

#ifndef SO_BSP_STATE
# define SO_BSP_STATE 0x1009  /* Windows SDK value; MinGW-w64 lacks it */
#endif

enum afd_opt_kind { OPT_BOOL, OPT_INT, OPT_RAW };

/* Value shape of the options passed to Wine's AFD (options not listed: OPT_RAW). */
static const struct { int level, optname; enum afd_opt_kind kind; } afd_opt_kinds[] =
{
    { SOL_SOCKET, SO_ACCEPTCONN, OPT_BOOL },
    { SOL_SOCKET, SO_BROADCAST, OPT_BOOL },
    { SOL_SOCKET, SO_KEEPALIVE, OPT_BOOL },
    { SOL_SOCKET, SO_OOBINLINE, OPT_BOOL },
    { SOL_SOCKET, SO_REUSEADDR, OPT_BOOL },
    { SOL_SOCKET, SO_EXCLUSIVEADDRUSE, OPT_BOOL },
    { SOL_SOCKET, SO_ERROR, OPT_INT },
    { SOL_SOCKET, SO_RCVBUF, OPT_INT },
    { SOL_SOCKET, SO_SNDBUF, OPT_INT },
    { SOL_SOCKET, SO_RCVTIMEO, OPT_INT },
    { SOL_SOCKET, SO_SNDTIMEO, OPT_INT },
    { SOL_SOCKET, SO_CONNECT_TIME, OPT_INT },
    { IPPROTO_TCP, TCP_NODELAY, OPT_BOOL },
    { IPPROTO_IP, IP_DONTFRAGMENT, OPT_BOOL },
    { IPPROTO_IP, IP_HDRINCL, OPT_BOOL },
    { IPPROTO_IP, IP_MULTICAST_LOOP, OPT_BOOL },
    { IPPROTO_IP, IP_PKTINFO, OPT_BOOL },
    { IPPROTO_IP, IP_RECVTOS, OPT_BOOL },
    { IPPROTO_IP, IP_RECVTTL, OPT_BOOL },
    { IPPROTO_IP, IP_MULTICAST_TTL, OPT_INT },
    { IPPROTO_IP, IP_TOS, OPT_INT },
    { IPPROTO_IP, IP_TTL, OPT_INT },
    { IPPROTO_IP, IP_UNICAST_IF, OPT_INT },
    { IPPROTO_IPV6, IPV6_DONTFRAG, OPT_BOOL },
    { IPPROTO_IPV6, IPV6_MULTICAST_LOOP, OPT_BOOL },
    { IPPROTO_IPV6, IPV6_V6ONLY, OPT_BOOL },
    { IPPROTO_IPV6, IPV6_HOPLIMIT, OPT_BOOL },
    { IPPROTO_IPV6, IPV6_PKTINFO, OPT_BOOL },
    { IPPROTO_IPV6, IPV6_RECVTCLASS, OPT_BOOL },
    { IPPROTO_IPV6, IPV6_MULTICAST_HOPS, OPT_INT },
    { IPPROTO_IPV6, IPV6_MULTICAST_IF, OPT_INT },
    { IPPROTO_IPV6, IPV6_UNICAST_HOPS, OPT_INT },
    { IPPROTO_IPV6, IPV6_UNICAST_IF, OPT_INT },
};

static enum afd_opt_kind afd_opt_kind(int level, int optname)
{
    size_t i;
    for (i = 0; i < OPENWS2_ARRAY_SIZE(afd_opt_kinds); i++)
        if (afd_opt_kinds[i].level == level && afd_opt_kinds[i].optname == optname) return afd_opt_kinds[i].kind;
    return OPT_RAW;
}

static BOOL afd_level_known(int level)
{
    return level == SOL_SOCKET || level == IPPROTO_TCP || level == IPPROTO_IP || level == IPPROTO_IPV6 ||
           level == IPPROTO_UDP;
}

static int afd_put_int(char *optval, int *optlen, DWORD value, BOOL is_bool)
{
    if (is_bool && *optlen >= 1 && *optlen < (int)sizeof(DWORD))
    {
        *optval = value ? 1 : 0;
        *optlen = 1;
        return 0;
    }
    if (*optlen < (int)sizeof(DWORD)) return WSAEFAULT;
    memcpy(optval, &value, sizeof(value));
    *optlen = sizeof(DWORD);
    return 0;
}

static int afd_get_bsp_state(SOCKET s, const struct afd_socket_info *rec, char *optval, int *optlen)
{
    int alen = afd_sockaddr_len(rec->info.iAddressFamily);
    int need = (int)sizeof(CSADDR_INFO) + 2 * alen;
    CSADDR_INFO *csa = (CSADDR_INFO *)optval;
    char *local = optval + sizeof(CSADDR_INFO), *remote = local + alen;
    ULONG_PTR len;

    if (*optlen < need) return WSAEFAULT;
    memset(optval, 0, (size_t)need);
    csa->iSocketType = rec->info.iSocketType;
    csa->iProtocol = rec->info.iProtocol;
    if (!afdw_getsockname((HANDLE)s, (struct sockaddr *)local, alen, &len))
    {
        csa->LocalAddr.lpSockaddr = (LPSOCKADDR)local;
        csa->LocalAddr.iSockaddrLength = (INT)len;
    }
    if (!afdw_getpeername((HANDLE)s, (struct sockaddr *)remote, alen, &len))
    {
        csa->RemoteAddr.lpSockaddr = (LPSOCKADDR)remote;
        csa->RemoteAddr.iSockaddrLength = (INT)len;
    }
    *optlen = need;
    return 0;
}

static int afd_getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen)
{
    struct afd_socket_info rec;
    unsigned char buf[64];
    ULONG_PTR len = 0;
    NTSTATUS status;
    enum afd_opt_kind kind;

    if (!afd_socket_get(s, &rec)) return WSAENOTSOCK;
    if (!optlen || !afd_writable(optlen, sizeof(*optlen))) return WSAEFAULT;
    if (!optval || *optlen <= 0 || !afd_writable(optval, (size_t)*optlen)) return WSAEFAULT;
    if (!afd_level_known(level)) return WSAEINVAL;

    if (level == SOL_SOCKET)
    {
        switch (optname)
        {
        case SO_TYPE:
            return afd_put_int(optval, optlen, (DWORD)rec.info.iSocketType, FALSE);
        case SO_PROTOCOL_INFOW:
            if (*optlen < (int)sizeof(WSAPROTOCOL_INFOW))
            {
                *optlen = sizeof(WSAPROTOCOL_INFOW);
                return WSAEFAULT;
            }
            memcpy(optval, &rec.info, sizeof(rec.info));
            *optlen = sizeof(WSAPROTOCOL_INFOW);
            return 0;
        case SO_PROTOCOL_INFOA:
        {
            WSAPROTOCOL_INFOA *a = (WSAPROTOCOL_INFOA *)optval;
            if (*optlen < (int)sizeof(WSAPROTOCOL_INFOA))
            {
                *optlen = sizeof(WSAPROTOCOL_INFOA);
                return WSAEFAULT;
            }
            memcpy(a, &rec.info, offsetof(WSAPROTOCOL_INFOW, szProtocol));
            if (!WideCharToMultiByte(CP_ACP, 0, rec.info.szProtocol, -1, a->szProtocol, sizeof(a->szProtocol),
                                     NULL, NULL))
                a->szProtocol[0] = 0;
            *optlen = sizeof(WSAPROTOCOL_INFOA);
            return 0;
        }
        case SO_MAX_MSG_SIZE:
            if (rec.info.iSocketType == SOCK_STREAM)
                return afd_put_int(optval, optlen, 0xffffffff, FALSE);  /* no message boundaries */
            return afd_put_int(optval, optlen, rec.info.iAddressFamily == AF_INET6 ? 65527 : 65507, FALSE);
        case SO_BSP_STATE:
            return afd_get_bsp_state(s, &rec, optval, optlen);
        case SO_GROUP_ID:
        case SO_GROUP_PRIORITY:
            return afd_put_int(optval, optlen, 0, FALSE);  /* socket groups are not supported: none */
        case SO_DONTROUTE:
        case SO_DEBUG:
            return afd_put_int(optval, optlen, 0, TRUE);  /* ignored by Windows' TCP/IP, never set */
        case SO_LINGER:
        case SO_DONTLINGER:
        {
            LINGER l;
            if (rec.info.iSocketType != SOCK_STREAM) return WSAENOPROTOOPT;
            if (optname == SO_LINGER && *optlen < (int)sizeof(LINGER)) return WSAEFAULT;
            if ((status = afdw_get_option((HANDLE)s, SOL_SOCKET, SO_LINGER, &l, sizeof(l), &len)))
                return afd_status_to_wsa(status);
            if (optname == SO_DONTLINGER) return afd_put_int(optval, optlen, !l.l_onoff, TRUE);
            memcpy(optval, &l, sizeof(l));
            *optlen = sizeof(l);
            return 0;
        }
        }
    }

    if (!afdw_has_option(level, optname, FALSE)) return WSAENOPROTOOPT;
    memset(buf, 0, sizeof(buf));
    if ((status = afdw_get_option((HANDLE)s, level, optname, buf, sizeof(buf), &len)))
        return afd_status_to_wsa(status);
    kind = afd_opt_kind(level, optname);
    if (kind != OPT_RAW)
    {
        DWORD value = 0;
        memcpy(&value, buf, len < sizeof(value) ? (size_t)len : sizeof(value));
        if (len == 1) value = buf[0];
        return afd_put_int(optval, optlen, kind == OPT_BOOL ? (value != 0) : value, kind == OPT_BOOL);
    }
    if (len > sizeof(buf) || (ULONG_PTR)*optlen < len) return WSAEFAULT;
    memcpy(optval, buf, (size_t)len);
    *optlen = (int)len;
    return 0;
}

int WSPAPI afd_WSPGetSockOpt(SOCKET s, int level, int optname, char *optval, LPINT optlen, LPINT err)
{
    int e = afd_getsockopt(s, level, optname, optval, optlen);
    AFD_TRACE("WSPGetSockOpt(%#Ix, level %#x, opt %#x, %p, %p) -> %d", (ULONG_PTR)s, level, optname,
              (void *)optval, (void *)optlen, e);
    if (e)
    {
        if (err) *err = e;
        return SOCKET_ERROR;
    }
    return 0;
}

static int afd_setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen)
{
    struct afd_socket_info rec;
    enum afd_opt_kind kind;
    DWORD value = 0;

    if (!afd_socket_get(s, &rec)) return WSAENOTSOCK;
    if (optlen < 0 || (optlen && (!optval || !afd_readable(optval, (size_t)optlen)))) return WSAEFAULT;
    if (!afd_level_known(level)) return WSAEINVAL;

    if (level == SOL_SOCKET)
    {
        switch (optname)
        {
        case SO_DEBUG:
        case SO_DONTROUTE:
            /* documented as ignored by Windows' TCP/IP providers */
            return optlen >= 1 ? 0 : WSAEFAULT;
        case SO_UPDATE_ACCEPT_CONTEXT:
        case SO_UPDATE_CONNECT_CONTEXT:
            /* Wine's AFD gives AcceptEx/ConnectEx sockets their full state already */
            if (optname == SO_UPDATE_ACCEPT_CONTEXT &&
                (optlen < (int)sizeof(SOCKET) || !afd_socket_known(*(const SOCKET *)optval)))
                return optlen < (int)sizeof(SOCKET) ? WSAEFAULT : WSAENOTSOCK;
            return 0;
        case SO_LINGER:
            if (rec.info.iSocketType != SOCK_STREAM) return WSAENOPROTOOPT;
            if (optlen < (int)sizeof(LINGER)) return WSAEFAULT;
            return afd_status_to_wsa(afdw_set_option((HANDLE)s, SOL_SOCKET, SO_LINGER, optval, sizeof(LINGER)));
        case SO_DONTLINGER:
        {
            LINGER l;
            ULONG_PTR len;
            NTSTATUS status;
            if (rec.info.iSocketType != SOCK_STREAM) return WSAENOPROTOOPT;
            if (optlen < 1) return WSAEFAULT;
            memcpy(&value, optval, optlen < (int)sizeof(value) ? (size_t)optlen : sizeof(value));
            if ((status = afdw_get_option((HANDLE)s, SOL_SOCKET, SO_LINGER, &l, sizeof(l), &len)))
                return afd_status_to_wsa(status);
            l.l_onoff = value ? 0 : 1;
            return afd_status_to_wsa(afdw_set_option((HANDLE)s, SOL_SOCKET, SO_LINGER, &l, sizeof(l)));
        }
        }
    }

    if (!afdw_has_option(level, optname, TRUE)) return WSAENOPROTOOPT;
    kind = afd_opt_kind(level, optname);
    if (kind == OPT_BOOL)
    {
        if (optlen < 1) return WSAEFAULT;
        memcpy(&value, optval, optlen < (int)sizeof(value) ? (size_t)optlen : sizeof(value));
        value = value != 0;
        return afd_status_to_wsa(afdw_set_option((HANDLE)s, level, optname, &value, sizeof(value)));
    }
    if (kind == OPT_INT)
    {
        if (optlen < (int)sizeof(DWORD)) return WSAEFAULT;
        memcpy(&value, optval, sizeof(value));
        return afd_status_to_wsa(afdw_set_option((HANDLE)s, level, optname, &value, sizeof(value)));
    }
    return afd_status_to_wsa(afdw_set_option((HANDLE)s, level, optname, optval, optlen));
}

int WSPAPI afd_WSPSetSockOpt(SOCKET s, int level, int optname, const char *optval, int optlen, LPINT err)
{
    int e = afd_setsockopt(s, level, optname, optval, optlen);
    AFD_TRACE("WSPSetSockOpt(%#Ix, level %#x, opt %#x, %p, %d) -> %d", (ULONG_PTR)s, level, optname,
              (const void *)optval, optlen, e);
    if (e)
    {
        if (err) *err = e;
        return SOCKET_ERROR;
    }
    return 0;
}
