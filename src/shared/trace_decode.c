/* trace_decode.c - the trace library's argument decoders (trace.h): a socket address as text, socket
 * option, control code and WSA error names, into the caller's buffer. Portable (host unit test
 * tests/unit/trace_decode_test.c): the numbers are Windows' (winsock2.h, ws2ipdef.h, mstcpip.h,
 * mswsock.h of MinGW-w64, checked against them when built for Windows, see the end of this file).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>
#include "trace.h"

struct code_name
{
    unsigned long code;
    const char *name;
};

static const struct code_name sol_socket_names[] = {
    {0x1, "SO_DEBUG"}, {0x2, "SO_ACCEPTCONN"}, {0x4, "SO_REUSEADDR"}, {0x8, "SO_KEEPALIVE"}, {0x10, "SO_DONTROUTE"},
    {0x20, "SO_BROADCAST"}, {0x40, "SO_USELOOPBACK"}, {0x80, "SO_LINGER"}, {0x100, "SO_OOBINLINE"},
    {0xffffff7f, "SO_DONTLINGER"}, {0xfffffffb, "SO_EXCLUSIVEADDRUSE"}, {0x1001, "SO_SNDBUF"}, {0x1002, "SO_RCVBUF"},
    {0x1003, "SO_SNDLOWAT"}, {0x1004, "SO_RCVLOWAT"}, {0x1005, "SO_SNDTIMEO"}, {0x1006, "SO_RCVTIMEO"},
    {0x1007, "SO_ERROR"}, {0x1008, "SO_TYPE"}, {0x1009, "SO_BSP_STATE"}, {0x2001, "SO_GROUP_ID"},
    {0x2002, "SO_GROUP_PRIORITY"}, {0x2003, "SO_MAX_MSG_SIZE"}, {0x2004, "SO_PROTOCOL_INFOA"},
    {0x2005, "SO_PROTOCOL_INFOW"}, {0x3001, "PVD_CONFIG"}, {0x3002, "SO_CONDITIONAL_ACCEPT"},
    {0x3005, "SO_RANDOMIZE_PORT"}, {0x3006, "SO_PORT_SCALABILITY"}, {0x3007, "SO_REUSE_UNICASTPORT"},
    {0x7008, "SO_OPENTYPE"}, {0x7009, "SO_MAXDG"}, {0x700a, "SO_MAXPATHDG"}, {0x700b, "SO_UPDATE_ACCEPT_CONTEXT"},
    {0x700c, "SO_CONNECT_TIME"}, {0x7010, "SO_UPDATE_CONNECT_CONTEXT"},
};
static const struct code_name tcp_names[] = {
    {1, "TCP_NODELAY"}, {2, "TCP_EXPEDITED_1122"}, {3, "TCP_KEEPALIVE"}, {4, "TCP_MAXSEG"}, {5, "TCP_MAXRT"},
    {6, "TCP_STDURG"}, {7, "TCP_NOURG"}, {8, "TCP_ATMARK"}, {9, "TCP_NOSYNRETRIES"}, {10, "TCP_TIMESTAMPS"},
    {15, "TCP_FASTOPEN"}, {16, "TCP_KEEPCNT"}, {17, "TCP_KEEPINTVL"},
};
static const struct code_name ip_names[] = {
    {1, "IP_OPTIONS"}, {2, "IP_HDRINCL"}, {3, "IP_TOS"}, {4, "IP_TTL"}, {9, "IP_MULTICAST_IF"},
    {10, "IP_MULTICAST_TTL"}, {11, "IP_MULTICAST_LOOP"}, {12, "IP_ADD_MEMBERSHIP"}, {13, "IP_DROP_MEMBERSHIP"},
    {14, "IP_DONTFRAGMENT"}, {15, "IP_ADD_SOURCE_MEMBERSHIP"}, {16, "IP_DROP_SOURCE_MEMBERSHIP"},
    {17, "IP_BLOCK_SOURCE"}, {18, "IP_UNBLOCK_SOURCE"}, {19, "IP_PKTINFO"}, {21, "IP_HOPLIMIT"},
    {22, "IP_RECEIVE_BROADCAST"}, {24, "IP_RECVIF"}, {25, "IP_RECVDSTADDR"}, {28, "IP_IFLIST"}, {29, "IP_ADD_IFLIST"},
    {30, "IP_DEL_IFLIST"}, {31, "IP_UNICAST_IF"}, {32, "IP_RTHDR"}, {38, "IP_RECVRTHDR"}, {39, "IP_TCLASS"},
    {40, "IP_RECVTCLASS"}, {47, "IP_ORIGINAL_ARRIVAL_IF"}, {50, "IP_ECN"}, {51, "IP_PKTINFO_EX"},
    {60, "IP_WFP_REDIRECT_RECORDS"}, {70, "IP_WFP_REDIRECT_CONTEXT"}, {71, "IP_MTU_DISCOVER"}, {73, "IP_MTU"},
    {74, "IP_NRT_INTERFACE"}, {75, "IP_RECVERR"}, {76, "IP_USER_MTU"},
};
static const struct code_name ipv6_names[] = {
    {1, "IPV6_HOPOPTS"}, {2, "IPV6_HDRINCL"}, {4, "IPV6_UNICAST_HOPS"}, {9, "IPV6_MULTICAST_IF"},
    {10, "IPV6_MULTICAST_HOPS"}, {11, "IPV6_MULTICAST_LOOP"}, {12, "IPV6_ADD_MEMBERSHIP"},
    {13, "IPV6_DROP_MEMBERSHIP"}, {14, "IPV6_DONTFRAG"}, {19, "IPV6_PKTINFO"}, {21, "IPV6_HOPLIMIT"},
    {23, "IPV6_PROTECTION_LEVEL"}, {24, "IPV6_RECVIF"}, {25, "IPV6_RECVDSTADDR"}, {26, "IPV6_CHECKSUM"},
    {27, "IPV6_V6ONLY"}, {28, "IPV6_IFLIST"}, {29, "IPV6_ADD_IFLIST"}, {30, "IPV6_DEL_IFLIST"},
    {31, "IPV6_UNICAST_IF"}, {32, "IPV6_RTHDR"}, {38, "IPV6_RECVRTHDR"}, {39, "IPV6_TCLASS"}, {40, "IPV6_RECVTCLASS"},
    {50, "IPV6_ECN"}, {51, "IPV6_PKTINFO_EX"}, {60, "IPV6_WFP_REDIRECT_RECORDS"}, {70, "IPV6_WFP_REDIRECT_CONTEXT"},
    {71, "IPV6_MTU_DISCOVER"}, {72, "IPV6_MTU"}, {74, "IPV6_NRT_INTERFACE"}, {75, "IPV6_RECVERR"},
    {76, "IPV6_USER_MTU"},
};
static const struct code_name ioctl_names[] = {
    {0x8004667e, "FIONBIO"}, {0x4004667f, "FIONREAD"}, {0x8004667d, "FIOASYNC"}, {0x80047300, "SIOCSHIWAT"},
    {0x40047301, "SIOCGHIWAT"}, {0x80047302, "SIOCSLOWAT"}, {0x40047303, "SIOCGLOWAT"}, {0x40047307, "SIOCATMARK"},
    {0x88000001, "SIO_ASSOCIATE_HANDLE"}, {0x28000002, "SIO_ENABLE_CIRCULAR_QUEUEING"},
    {0x48000003, "SIO_FIND_ROUTE"}, {0x28000004, "SIO_FLUSH"}, {0x48000005, "SIO_GET_BROADCAST_ADDRESS"},
    {0xc8000006, "SIO_GET_EXTENSION_FUNCTION_POINTER"}, {0xc8000007, "SIO_GET_QOS"},
    {0xc8000008, "SIO_GET_GROUP_QOS"}, {0x88000009, "SIO_MULTIPOINT_LOOPBACK"}, {0x8800000a, "SIO_MULTICAST_SCOPE"},
    {0x8800000b, "SIO_SET_QOS"}, {0x8800000c, "SIO_SET_GROUP_QOS"}, {0xc800000d, "SIO_TRANSLATE_HANDLE"},
    {0xc8000014, "SIO_ROUTING_INTERFACE_QUERY"}, {0x88000015, "SIO_ROUTING_INTERFACE_CHANGE"},
    {0x48000016, "SIO_ADDRESS_LIST_QUERY"}, {0x28000017, "SIO_ADDRESS_LIST_CHANGE"},
    {0x48000018, "SIO_QUERY_TARGET_PNP_HANDLE"}, {0xc8000019, "SIO_ADDRESS_LIST_SORT"},
    {0x8800001a, "SIO_RESERVED_1"}, {0x88000021, "SIO_RESERVED_2"}, {0x4800001b, "SIO_BSP_HANDLE"},
    {0x4800001c, "SIO_BSP_HANDLE_SELECT"}, {0x4800001d, "SIO_BSP_HANDLE_POLL"}, {0x48000022, "SIO_BASE_HANDLE"},
    {0xc800001e, "SIO_EXT_SELECT"}, {0xc800001f, "SIO_EXT_POLL"}, {0xc8000020, "SIO_EXT_SENDMSG"},
    {0x98000001, "SIO_RCVALL"}, {0x98000002, "SIO_RCVALL_MCAST"}, {0x98000003, "SIO_RCVALL_IGMPMCAST"},
    {0x98000004, "SIO_KEEPALIVE_VALS"}, {0x98000005, "SIO_ABSORB_RTRALERT"}, {0x98000006, "SIO_UCAST_IF"},
    {0x98000007, "SIO_LIMIT_BROADCASTS"}, {0x98000008, "SIO_INDEX_BIND"}, {0x98000009, "SIO_INDEX_MCASTIF"},
    {0x9800000a, "SIO_INDEX_ADD_MCAST"}, {0x9800000b, "SIO_INDEX_DEL_MCAST"}, {0x9800000c, "SIO_UDP_CONNRESET"},
    {0x9800000d, "SIO_RCVALL_MCAST_IF"}, {0x9800000e, "SIO_RCVALL_IF"}, {0x98000010, "SIO_LOOPBACK_FAST_PATH"},
    {0x98000011, "SIO_TCP_INITIAL_RTO"}, {0x4004747b, "SIO_IDEAL_SEND_BACKLOG_QUERY"},
    {0x2000747a, "SIO_IDEAL_SEND_BACKLOG_CHANGE"}, {0x4004747f, "SIO_GET_INTERFACE_LIST"},
    {0x4004747e, "SIO_GET_INTERFACE_LIST_EX"}, {0x98000064, "SIO_ACQUIRE_PORT_RESERVATION"},
    {0x98000065, "SIO_RELEASE_PORT_RESERVATION"}, {0x98000066, "SIO_ASSOCIATE_PORT_RESERVATION"},
};
static const struct code_name error_names[] = {
    {10004, "WSAEINTR"}, {10009, "WSAEBADF"}, {10013, "WSAEACCES"}, {10014, "WSAEFAULT"}, {10022, "WSAEINVAL"},
    {10024, "WSAEMFILE"}, {10035, "WSAEWOULDBLOCK"}, {10036, "WSAEINPROGRESS"}, {10037, "WSAEALREADY"},
    {10038, "WSAENOTSOCK"}, {10039, "WSAEDESTADDRREQ"}, {10040, "WSAEMSGSIZE"}, {10041, "WSAEPROTOTYPE"},
    {10042, "WSAENOPROTOOPT"}, {10043, "WSAEPROTONOSUPPORT"}, {10044, "WSAESOCKTNOSUPPORT"}, {10045, "WSAEOPNOTSUPP"},
    {10046, "WSAEPFNOSUPPORT"}, {10047, "WSAEAFNOSUPPORT"}, {10048, "WSAEADDRINUSE"}, {10049, "WSAEADDRNOTAVAIL"},
    {10050, "WSAENETDOWN"}, {10051, "WSAENETUNREACH"}, {10052, "WSAENETRESET"}, {10053, "WSAECONNABORTED"},
    {10054, "WSAECONNRESET"}, {10055, "WSAENOBUFS"}, {10056, "WSAEISCONN"}, {10057, "WSAENOTCONN"},
    {10058, "WSAESHUTDOWN"}, {10059, "WSAETOOMANYREFS"}, {10060, "WSAETIMEDOUT"}, {10061, "WSAECONNREFUSED"},
    {10062, "WSAELOOP"}, {10063, "WSAENAMETOOLONG"}, {10064, "WSAEHOSTDOWN"}, {10065, "WSAEHOSTUNREACH"},
    {10066, "WSAENOTEMPTY"}, {10067, "WSAEPROCLIM"}, {10068, "WSAEUSERS"}, {10069, "WSAEDQUOT"}, {10070, "WSAESTALE"},
    {10071, "WSAEREMOTE"}, {10091, "WSASYSNOTREADY"}, {10092, "WSAVERNOTSUPPORTED"}, {10093, "WSANOTINITIALISED"},
    {10101, "WSAEDISCON"}, {10102, "WSAENOMORE"}, {10103, "WSAECANCELLED"}, {10104, "WSAEINVALIDPROCTABLE"},
    {10105, "WSAEINVALIDPROVIDER"}, {10106, "WSAEPROVIDERFAILEDINIT"}, {10107, "WSASYSCALLFAILURE"},
    {10108, "WSASERVICE_NOT_FOUND"}, {10109, "WSATYPE_NOT_FOUND"}, {10110, "WSA_E_NO_MORE"},
    {10111, "WSA_E_CANCELLED"}, {10112, "WSAEREFUSED"}, {11001, "WSAHOST_NOT_FOUND"}, {11002, "WSATRY_AGAIN"},
    {11003, "WSANO_RECOVERY"}, {11004, "WSANO_DATA"}, {997, "WSA_IO_PENDING"}, {996, "WSA_IO_INCOMPLETE"},
    {6, "WSA_INVALID_HANDLE"}, {87, "WSA_INVALID_PARAMETER"}, {8, "WSA_NOT_ENOUGH_MEMORY"},
    {995, "WSA_OPERATION_ABORTED"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *find(const struct code_name *t, size_t n, unsigned long code)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (t[i].code == code) return t[i].name;
    return NULL;
}

static const char *put(char *buf, size_t size, const char *text)
{
    if (!size) return "";
    snprintf(buf, size, "%s", text);
    return buf;
}

const char *trace_error_name(int err, char *buf, size_t size)
{
    const char *name = find(error_names, COUNT(error_names), (unsigned long)err);

    if (!size) return "";
    if (name) snprintf(buf, size, "%s", name);
    else snprintf(buf, size, "%d", err);
    return buf;
}

const char *trace_sockopt_name(int level, int optname, char *buf, size_t size)
{
    const char *lname = NULL, *oname = NULL;

    switch (level)
    {
    case 0xffff: lname = "SOL_SOCKET"; oname = find(sol_socket_names, COUNT(sol_socket_names), (unsigned)optname); break;
    case 6: lname = "IPPROTO_TCP"; oname = find(tcp_names, COUNT(tcp_names), (unsigned)optname); break;
    case 0: lname = "IPPROTO_IP"; oname = find(ip_names, COUNT(ip_names), (unsigned)optname); break;
    case 41: lname = "IPPROTO_IPV6"; oname = find(ipv6_names, COUNT(ipv6_names), (unsigned)optname); break;
    case 17: lname = "IPPROTO_UDP"; break;
    }
    if (!size) return "";
    if (lname && oname) snprintf(buf, size, "%s/%s", lname, oname);
    else if (lname) snprintf(buf, size, "%s/%#x", lname, (unsigned)optname);
    else snprintf(buf, size, "%#x/%#x", (unsigned)level, (unsigned)optname);
    return buf;
}

const char *trace_ioctl_name(unsigned long code, char *buf, size_t size)
{
    const char *name = find(ioctl_names, COUNT(ioctl_names), code & 0xffffffffu);

    if (!size) return "";
    if (name) snprintf(buf, size, "%s", name);
    else snprintf(buf, size, "%#lx", code & 0xffffffffu);
    return buf;
}

/* IPv6 text as RFC 5952: lower case hex groups, the longest run (two or more) of zero groups as
 * "::", the first of equal runs; an IPv4-mapped address ends in dotted decimal. */
static void ipv6_text(const unsigned char *a, char *out, size_t size)
{
    unsigned g[8];
    int i, best = -1, best_len = 0, at = 0;
    size_t n = 0;

    for (i = 0; i < 8; i++) g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
    for (i = 0; i < 8; i++)
    {
        int j = i;
        while (j < 8 && !g[j]) j++;
        if (j - i > best_len && j - i >= 2)
        {
            best = i;
            best_len = j - i;
        }
        if (j > i) i = j - 1;
    }
    if (best == 0 && best_len == 5 && g[5] == 0xffff)
    {
        snprintf(out, size, "::ffff:%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
        return;
    }
    out[0] = 0;
    for (i = 0; i < 8 && n < size; i++)
    {
        int w;
        if (i == best)
        {
            w = snprintf(out + n, size - n, "::");
            i += best_len - 1;
            at = 0;
            if (w > 0) n += (size_t)w;
            if (i == 7) break;
            continue;
        }
        w = snprintf(out + n, size - n, "%s%x", at ? ":" : "", g[i]);
        at = 1;
        if (w > 0) n += (size_t)w;
    }
}

const char *trace_sockaddr_text(const void *addr, int len, char *buf, size_t size)
{
    const unsigned char *b = addr;
    unsigned family, port;
    char text[64];

    if (!size) return "";
    if (!addr) return put(buf, size, "(null)");
    if (len < 2) return put(buf, size, "(short)");
    family = (unsigned)b[0] | (unsigned)b[1] << 8;
    if (family == 2 && len >= 8) /* AF_INET: port, address in network order */
    {
        port = (unsigned)b[2] << 8 | b[3];
        snprintf(buf, size, "%u.%u.%u.%u:%u", b[4], b[5], b[6], b[7], port);
    }
    else if (family == 23 && len >= 24) /* AF_INET6: port, flow info, address, scope id */
    {
        unsigned long scope = 0;
        port = (unsigned)b[2] << 8 | b[3];
        if (len >= 28) scope = (unsigned long)b[24] | (unsigned long)b[25] << 8 | (unsigned long)b[26] << 16 |
                               (unsigned long)b[27] << 24;
        ipv6_text(b + 8, text, sizeof(text));
        if (scope) snprintf(buf, size, "[%s%%%lu]:%u", text, scope, port);
        else snprintf(buf, size, "[%s]:%u", text, port);
    }
    else if (family == 0 && len >= 2) put(buf, size, "AF_UNSPEC");
    else snprintf(buf, size, "(family %u, %d bytes)", family, len);
    return buf;
}

#ifdef _WIN32
/* The tables above against the SDK's own numbers, where MinGW-w64 has them. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <mstcpip.h>
_Static_assert(SOL_SOCKET == 0xffff && IPPROTO_TCP == 6 && IPPROTO_IP == 0 && IPPROTO_IPV6 == 41, "levels");
_Static_assert(SO_RCVBUF == 0x1002 && SO_EXCLUSIVEADDRUSE == (int)0xfffffffb && SO_UPDATE_CONNECT_CONTEXT == 0x7010,
               "SOL_SOCKET options");
_Static_assert(TCP_NODELAY == 1 && IP_TTL == 4 && IP_PKTINFO == 19 && IPV6_V6ONLY == 27, "options");
_Static_assert((unsigned long)FIONBIO == 0x8004667eul && FIONREAD == 0x4004667f && SIOCATMARK == 0x40047307, "ioctls");
_Static_assert(SIO_GET_EXTENSION_FUNCTION_POINTER == 0xc8000006 && SIO_KEEPALIVE_VALS == 0x98000004 &&
               SIO_BASE_HANDLE == 0x48000022, "SIO_ ioctls");
_Static_assert(WSAEWOULDBLOCK == 10035 && WSAECONNREFUSED == 10061 && WSANOTINITIALISED == 10093 &&
               WSA_IO_PENDING == 997, "errors");
#endif
