/* afd_sockopt.c - WSPGetSockOpt / WSPSetSockOpt of openws2afd: argument checks and value sizes as
 * Windows has them (option by option: which accept 1- and 2-byte buffers, which report one byte,
 * which zero a too short buffer, which normalise to 0/1, which refuse values above 255 - the facts
 * Wine's conformance tests record from Windows), the options Wine's AFD implements passed through
 * afd_wine.c, and the ones the provider answers itself (SO_TYPE, SO_PROTOCOL_INFO, SO_MAX_MSG_SIZE,
 * SO_BSP_STATE, SO_DONTLINGER, SO_ERROR as set by the program, SO_DEBUG / SO_DONTROUTE /
 * IPV6_PROTECTION_LEVEL kept in the socket record, the AcceptEx/ConnectEx context updates).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <winternl.h>
#include <ntstatus.h>
#include "afd_private.h"
#include "protocol_info.h"

#ifndef SO_BSP_STATE
# define SO_BSP_STATE 0x1009  /* Windows SDK value; MinGW-w64 lacks it */
#endif

/* IPV6_PROTECTION_LEVEL's "unspecified" ((UINT)-1; older SDKs define PROTECTION_LEVEL_DEFAULT as 20) */
#define AFD_PROTECTION_UNSPECIFIED ((DWORD)-1)

#define O_SHORT  0x001  /* get and set accept lengths 1 and 2 */
#define O_GET1   0x002  /* get always returns a single byte */
#define O_WIDE2  0x004  /* a 2-byte get writes 2 bytes yet reports 1 */
#define O_BOOL   0x008  /* values are normalised to 0/1 */
#define O_ZERO   0x010  /* a too short get zeroes the caller's buffer */
#define O_SIZE0  0x020  /* a too short get sets *optlen to 0 */
#define O_BYTE   0x040  /* set reads only the first byte */
#define O_LEN0   0x080  /* set with optlen 0 succeeds (and changes nothing) */
#define O_MAX255 0x100  /* set refuses values above 255 (WSAEINVAL) */
#define O_RAW    0x200  /* an opaque value of the caller's length (structures) */

#define SOCK_BOOL (O_SHORT | O_WIDE2 | O_BOOL | O_LEN0)

static const struct { int level, optname, flags; } afd_opts[] =
{
    { SOL_SOCKET, SO_ACCEPTCONN, SOCK_BOOL },
    { SOL_SOCKET, SO_BROADCAST, SOCK_BOOL },
    { SOL_SOCKET, SO_DONTLINGER, SOCK_BOOL },
    { SOL_SOCKET, SO_OOBINLINE, SOCK_BOOL },
    { SOL_SOCKET, SO_REUSEADDR, SOCK_BOOL },
    { SOL_SOCKET, SO_EXCLUSIVEADDRUSE, SOCK_BOOL },
    { SOL_SOCKET, SO_KEEPALIVE, O_SHORT | O_GET1 | O_BYTE },
    { SOL_SOCKET, SO_DONTROUTE, O_SHORT | O_GET1 | O_BYTE },
    { SOL_SOCKET, SO_DEBUG, SOCK_BOOL },
    { SOL_SOCKET, SO_LINGER, O_ZERO | O_RAW },
    { SOL_SOCKET, SO_RCVBUF, O_ZERO },
    { SOL_SOCKET, SO_SNDBUF, O_ZERO },
    { SOL_SOCKET, SO_RCVTIMEO, 0 },
    { SOL_SOCKET, SO_SNDTIMEO, 0 },
    { SOL_SOCKET, SO_ERROR, 0 },
    { SOL_SOCKET, SO_CONNECT_TIME, 0 },
    { IPPROTO_TCP, TCP_NODELAY, O_SHORT | O_GET1 | O_BYTE },
    /* DWORDs only; a short get answers WSAEFAULT with *optlen 0; TCP_KEEPCNT refuses values above 255
     * (Wine 10.0's conformance table test_optsize, recorded on Windows 10) */
    { IPPROTO_TCP, TCP_KEEPALIVE, O_SIZE0 },
    { IPPROTO_TCP, TCP_KEEPCNT, O_SIZE0 | O_MAX255 },
    { IPPROTO_TCP, TCP_KEEPINTVL, O_SIZE0 },
    { IPPROTO_IP, IP_MULTICAST_LOOP, O_SHORT | O_BOOL },
    { IPPROTO_IP, IP_MULTICAST_TTL, O_SHORT | O_MAX255 },
    { IPPROTO_IP, IP_TOS, O_SHORT | O_MAX255 },
    { IPPROTO_IP, IP_TTL, O_SHORT | O_MAX255 },
    { IPPROTO_IP, IP_PKTINFO, O_SIZE0 | O_BOOL },
    { IPPROTO_IP, IP_RECVTOS, O_SIZE0 | O_BOOL },
    { IPPROTO_IP, IP_RECVTTL, O_SIZE0 | O_BOOL },
    { IPPROTO_IP, IP_DONTFRAGMENT, O_SHORT | O_BOOL },
    { IPPROTO_IP, IP_HDRINCL, O_SHORT | O_BOOL },
    { IPPROTO_IP, IP_MULTICAST_IF, 0 },
    { IPPROTO_IP, IP_UNICAST_IF, 0 },
    { IPPROTO_IP, IP_OPTIONS, O_RAW },
    { IPPROTO_IP, IP_ADD_MEMBERSHIP, O_RAW },
    { IPPROTO_IP, IP_DROP_MEMBERSHIP, O_RAW },
    { IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, O_RAW },
    { IPPROTO_IP, IP_DROP_SOURCE_MEMBERSHIP, O_RAW },
    { IPPROTO_IP, IP_BLOCK_SOURCE, O_RAW },
    { IPPROTO_IP, IP_UNBLOCK_SOURCE, O_RAW },
    { IPPROTO_IPV6, IPV6_DONTFRAG, O_SHORT | O_BOOL },
    { IPPROTO_IPV6, IPV6_MULTICAST_LOOP, O_SHORT | O_BOOL },
    { IPPROTO_IPV6, IPV6_MULTICAST_HOPS, O_SHORT | O_MAX255 },
    { IPPROTO_IPV6, IPV6_UNICAST_HOPS, O_SHORT | O_MAX255 },
    { IPPROTO_IPV6, IPV6_HOPLIMIT, O_SIZE0 | O_BOOL },
    { IPPROTO_IPV6, IPV6_PKTINFO, O_SIZE0 | O_BOOL },
    { IPPROTO_IPV6, IPV6_RECVTCLASS, O_SIZE0 | O_BOOL },
    { IPPROTO_IPV6, IPV6_V6ONLY, O_SHORT | O_GET1 | O_BYTE },
    { IPPROTO_IPV6, IPV6_MULTICAST_IF, 0 },
    { IPPROTO_IPV6, IPV6_UNICAST_IF, 0 },
    { IPPROTO_IPV6, IPV6_PROTECTION_LEVEL, 0 },
    { IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, O_RAW },
    { IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, O_RAW },
};

static int afd_opt_flags(int level, int optname)
{
    size_t i;
    for (i = 0; i < OPENWS2_ARRAY_SIZE(afd_opts); i++)
        if (afd_opts[i].level == level && afd_opts[i].optname == optname) return afd_opts[i].flags;
    return O_RAW;
}

static BOOL afd_level_known(int level)
{
    return level == SOL_SOCKET || level == IPPROTO_TCP || level == IPPROTO_IP || level == IPPROTO_IPV6 ||
           level == IPPROTO_UDP;
}

/* Stores an integer option value the way Windows sizes it for this option. */
static int afd_put_value(int flags, DWORD value, char *optval, int *optlen)
{
    int len = *optlen;

    if (flags & O_BOOL) value = value != 0;
    if (len >= (int)sizeof(DWORD) && !(flags & O_GET1))
    {
        memcpy(optval, &value, sizeof(value));
        *optlen = sizeof(DWORD);
        return 0;
    }
    if (len >= (int)sizeof(DWORD) || (flags & O_SHORT))
    {
        if ((flags & O_WIDE2) && len >= 2)
        {
            WORD w = (WORD)value;
            memcpy(optval, &w, sizeof(w));
        }
        else *optval = (char)value;
        *optlen = 1;
        return 0;
    }
    if (flags & O_ZERO) memset(optval, 0, (size_t)len);
    if (flags & O_SIZE0) *optlen = 0;
    return WSAEFAULT;
}

/* A too short buffer for a fixed-size value: the option's failure shape. */
static int afd_short_buffer(int flags, char *optval, int *optlen)
{
    if (flags & O_ZERO) memset(optval, 0, (size_t)*optlen);
    if (flags & O_SIZE0) *optlen = 0;
    return WSAEFAULT;
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
    afdw_get_info((HANDLE)s, NULL, NULL, &csa->iProtocol);  /* the socket's own protocol */
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
    return 0;  /* *optlen stays the caller's, as on Windows */
}

static int afd_getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen)
{
    struct afd_socket_info rec;
    unsigned char buf[64];
    ULONG_PTR len = 0;
    NTSTATUS status;
    DWORD value = 0;
    int flags;

    if (!afd_socket_get(s, &rec)) return WSAENOTSOCK;
    if (!optlen || !afd_writable(optlen, sizeof(*optlen))) return WSAEFAULT;
    if (!optval || *optlen <= 0 || !afd_writable(optval, (size_t)*optlen)) return WSAEFAULT;
    if (!afd_level_known(level)) return WSAEINVAL;
    flags = afd_opt_flags(level, optname);

    if (level == SOL_SOCKET)
    {
        switch (optname)
        {
        case SO_TYPE:
            return afd_put_value(0, (DWORD)rec.info.iSocketType, optval, optlen);
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
            protocol_info_w_to_a(&rec.info, a);
            *optlen = sizeof(WSAPROTOCOL_INFOA);
            return 0;
        }
        case SO_MAX_MSG_SIZE:
            if (rec.info.iSocketType == SOCK_STREAM)
                return afd_put_value(0, 0xffffffff, optval, optlen);  /* no message boundaries */
            return afd_put_value(0, rec.info.iAddressFamily == AF_INET6 ? 65527 : 65507, optval, optlen);
        case SO_BSP_STATE:
            return afd_get_bsp_state(s, &rec, optval, optlen);
        case SO_GROUP_ID:
        case SO_GROUP_PRIORITY:
            return afd_put_value(0, 0, optval, optlen);  /* socket groups are not supported: none */
        case SO_DONTROUTE:
            /* kept as set (Windows' TCP/IP keeps it too, routing no differently) */
            return afd_put_value(flags, (DWORD)rec.so_dontroute, optval, optlen);
        case SO_DEBUG:
            return afd_put_value(flags, (DWORD)rec.so_debug, optval, optlen);
        case SO_ERROR:
            if (*optlen < (int)sizeof(DWORD)) return WSAEFAULT;
            if ((status = afdw_get_option((HANDLE)s, SOL_SOCKET, SO_ERROR, &value, sizeof(value), &len)))
                return afd_status_to_wsa(status);
            if (!value) value = (DWORD)rec.so_error;
            return afd_put_value(0, value, optval, optlen);
        case SO_LINGER:
        case SO_DONTLINGER:
        {
            LINGER l;
            if (optname == SO_LINGER && *optlen < (int)sizeof(LINGER)) return afd_short_buffer(flags, optval, optlen);
            if (rec.info.iSocketType != SOCK_STREAM) return WSAENOPROTOOPT;
            if ((status = afdw_get_option((HANDLE)s, SOL_SOCKET, SO_LINGER, &l, sizeof(l), &len)))
                return afd_status_to_wsa(status);
            if (optname == SO_DONTLINGER) return afd_put_value(flags, !l.l_onoff, optval, optlen);
            memcpy(optval, &l, sizeof(l));
            *optlen = sizeof(l);
            return 0;
        }
        }
    }

    if (level == IPPROTO_IPV6 && optname == IPV6_PROTECTION_LEVEL && rec.info.iAddressFamily == AF_INET6)
    {
        /* never set: "unspecified", Windows' default since Windows 7 */
        DWORD level_value = rec.ipv6_protection ? (DWORD)rec.ipv6_protection : AFD_PROTECTION_UNSPECIFIED;
        if (*optlen < (int)sizeof(DWORD)) return WSAEFAULT;
        return afd_put_value(flags, level_value, optval, optlen);
    }

    if (!afdw_has_option(level, optname, FALSE)) return WSAENOPROTOOPT;
    if (!(flags & O_RAW) && *optlen < (int)sizeof(DWORD) && !(flags & O_SHORT))
        return afd_short_buffer(flags, optval, optlen);
    memset(buf, 0, sizeof(buf));
    if ((status = afdw_get_option((HANDLE)s, level, optname, buf, sizeof(buf), &len)))
        return afd_status_to_wsa(status);
    if (!(flags & O_RAW))
    {
        memcpy(&value, buf, len < sizeof(value) ? (size_t)len : sizeof(value));
        if (len == 1) value = buf[0];
        return afd_put_value(flags, value, optval, optlen);
    }
    if (len > sizeof(buf) || (ULONG_PTR)*optlen < len) return WSAEFAULT;
    memcpy(optval, buf, (size_t)len);
    *optlen = (int)len;
    return 0;
}

int WSPAPI afd_WSPGetSockOpt(SOCKET s, int level, int optname, char *optval, LPINT optlen, LPINT err)
{
    int e = afd_getsockopt(s, level, optname, optval, optlen);
    char nbuf[TRACE_TEXT_LEN], ebuf[TRACE_TEXT_LEN];

    AFD_TRACE("WSPGetSockOpt(%#Ix, %s, %p, %p) -> %s", (ULONG_PTR)s, trace_sockopt_name(level, optname, nbuf, sizeof(nbuf)),
              (void *)optval, (void *)optlen, trace_error_name(e, ebuf, sizeof(ebuf)));
    if (e)
    {
        if (err) *err = e;
        return SOCKET_ERROR;
    }
    return 0;
}

/* Writes SO_LINGER (for SO_LINGER and SO_DONTLINGER alike) and records whether closesocket will be
 * abortive (on, zero timeout), which afd_WSPCloseSocket reads without asking AFD. */
static int afd_set_linger(SOCKET s, const LINGER *l)
{
    int e = afd_status_to_wsa(afdw_set_option((HANDLE)s, SOL_SOCKET, SO_LINGER, l, sizeof(*l)));

    if (!e) afd_socket_set_kept(s, AFD_KEPT_ABORTIVE_CLOSE, l->l_onoff && !l->l_linger);
    return e;
}

static int afd_setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen)
{
    struct afd_socket_info rec;
    DWORD value = 0;
    int flags, e;

    if (!afd_socket_get(s, &rec)) return WSAENOTSOCK;
    if (optlen < 0 && afd_level_known(level))
    {
        /* Windows takes a negative length as large enough for the SOL_SOCKET options of a 4-byte
         * value (and SO_LINGER); the 1-byte ones and the other levels answer WSAENOBUFS. */
        flags = afd_opt_flags(level, optname);
        if (level != SOL_SOCKET || (flags & O_GET1)) return WSAENOBUFS;
        if (optname == SO_LINGER) optlen = sizeof(LINGER);
        else if (!(flags & O_RAW)) optlen = sizeof(DWORD);
        else return WSAEFAULT;
    }
    if (optlen < 0 || (optlen && (!optval || !afd_readable(optval, (size_t)optlen)))) return WSAEFAULT;
    if (!afd_level_known(level)) return WSAEINVAL;
    /* documented usage: setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0); Wine's AFD gives
     * ConnectEx sockets their full state already */
    if (level == SOL_SOCKET && optname == SO_UPDATE_CONNECT_CONTEXT) return 0;
    if (!optval) return WSAEFAULT;
    flags = afd_opt_flags(level, optname);

    if (level == SOL_SOCKET)
    {
        switch (optname)
        {
        case SO_UPDATE_ACCEPT_CONTEXT:
            /* Wine's AFD gives AcceptEx sockets their full state already */
            if (optlen < (int)sizeof(SOCKET)) return WSAEFAULT;
            if (!afd_socket_known(*(const SOCKET *)optval)) return WSAENOTSOCK;
            {
                struct sockaddr_storage peer;
                ULONG_PTR len = 0;
                if (!afdw_getpeername((HANDLE)s, (struct sockaddr *)&peer, sizeof(peer), &len))
                    afd_socket_set_peer(s, (struct sockaddr *)&peer, (int)len);
            }
            return 0;
        case SO_LINGER:
            if (optlen < (int)sizeof(LINGER)) return WSAEFAULT;
            if (rec.info.iSocketType != SOCK_STREAM) return WSAENOPROTOOPT;
            {
                LINGER l;
                memcpy(&l, optval, sizeof(l));
                return afd_set_linger(s, &l);
            }
        case SO_TYPE:
            /* read-only; Windows answers a stream socket WSAENOPROTOOPT and the others WSAEINVAL
             * (Wine's conformance tests, test_WSASocket) */
            return rec.info.iSocketType == SOCK_STREAM ? WSAENOPROTOOPT : WSAEINVAL;
        case SO_ERROR:
            if (optlen < (int)sizeof(int)) return WSAEFAULT;
            memcpy(&value, optval, sizeof(value));
            afd_socket_set_error(s, (int)value);
            return 0;
        }
    }

    if (flags & O_RAW)
    {
        if (!afdw_has_option(level, optname, TRUE)) return WSAENOPROTOOPT;
        return afd_status_to_wsa(afdw_set_option((HANDLE)s, level, optname, optval, optlen));
    }
    if (!optlen) return (flags & O_LEN0) ? 0 : WSAEFAULT;
    if (optlen < (int)sizeof(DWORD) && !(flags & O_SHORT)) return WSAEFAULT;
    if (flags & O_BYTE) value = (unsigned char)optval[0];
    else memcpy(&value, optval, optlen < (int)sizeof(value) ? (size_t)optlen : sizeof(value));
    if (flags & O_BOOL) value = value != 0;
    if ((flags & O_MAX255) && value > 255) return WSAEINVAL;

    /* kept in the record: Windows reports them back, its TCP/IP does nothing else with them */
    if (level == SOL_SOCKET && optname == SO_DEBUG)
        return afd_socket_set_kept(s, AFD_KEPT_SO_DEBUG, (int)value) ? 0 : WSAENOTSOCK;
    if (level == SOL_SOCKET && optname == SO_DONTROUTE)
        return afd_socket_set_kept(s, AFD_KEPT_SO_DONTROUTE, (int)value) ? 0 : WSAENOTSOCK;
    if (level == IPPROTO_IPV6 && optname == IPV6_PROTECTION_LEVEL && rec.info.iAddressFamily == AF_INET6)
    {
        /* recorded and reported; Wine has no edge traversal (Teredo) for it to restrict */
        if (value != PROTECTION_LEVEL_UNRESTRICTED && value != PROTECTION_LEVEL_EDGERESTRICTED &&
            value != PROTECTION_LEVEL_RESTRICTED && value != AFD_PROTECTION_UNSPECIFIED)
            return WSAEINVAL;
        return afd_socket_set_kept(s, AFD_KEPT_IPV6_PROTECTION, (int)value) ? 0 : WSAENOTSOCK;
    }
    if (level == SOL_SOCKET && optname == SO_DONTLINGER)
    {
        LINGER l;
        ULONG_PTR len;
        NTSTATUS status;
        if (rec.info.iSocketType != SOCK_STREAM) return WSAENOPROTOOPT;
        if ((status = afdw_get_option((HANDLE)s, SOL_SOCKET, SO_LINGER, &l, sizeof(l), &len)))
            return afd_status_to_wsa(status);
        l.l_onoff = value ? 0 : 1;
        return afd_set_linger(s, &l);
    }
    if (!afdw_has_option(level, optname, TRUE)) return WSAENOPROTOOPT;
    e = afd_status_to_wsa(afdw_set_option((HANDLE)s, level, optname, &value, sizeof(value)));
    /* AFD applies the timeouts only to asynchronous handles: kept for the blocking calls on a
     * synchronous one as well (afd_transfer.c) */
    if (!e && level == SOL_SOCKET && (optname == SO_RCVTIMEO || optname == SO_SNDTIMEO))
        afd_socket_set_kept(s, optname == SO_RCVTIMEO ? AFD_KEPT_RCVTIMEO : AFD_KEPT_SNDTIMEO, (int)value);
    if (e == WSAEINVAL && level == IPPROTO_IPV6 && optname == IPV6_V6ONLY)
    {
        /* Linux refuses IPV6_V6ONLY on raw sockets at all; Windows lets a program set it, and
         * setting the value it already has changes nothing */
        unsigned char cur[8];
        ULONG_PTR len = 0;
        memset(cur, 0, sizeof(cur));
        if (!afdw_get_option((HANDLE)s, level, optname, cur, sizeof(cur), &len) && len &&
            (DWORD)(cur[0] != 0) == (DWORD)(value != 0))
            e = 0;
    }
    return e;
}

int WSPAPI afd_WSPSetSockOpt(SOCKET s, int level, int optname, const char *optval, int optlen, LPINT err)
{
    int e = afd_setsockopt(s, level, optname, optval, optlen);
    char nbuf[TRACE_TEXT_LEN], ebuf[TRACE_TEXT_LEN];

    AFD_TRACE("WSPSetSockOpt(%#Ix, %s, %p, %d) -> %s", (ULONG_PTR)s, trace_sockopt_name(level, optname, nbuf, sizeof(nbuf)),
              (const void *)optval, optlen, trace_error_name(e, ebuf, sizeof(ebuf)));
    if (e)
    {
        if (err) *err = e;
        return SOCKET_ERROR;
    }
    return 0;
}
