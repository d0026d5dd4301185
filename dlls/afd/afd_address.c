/* afd_address.c - WSPAddressToString / WSPStringToAddress of openws2afd for AF_INET and AF_INET6,
 * with Windows' text forms (the shared parser/formatter src/addr/addr_parse.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "addr_parse.h"
#include "afd_private.h"

static uint16_t afd_swap16(uint16_t v)
{
    return (uint16_t)((v >> 8) | (v << 8));
}

INT WSPAPI afd_WSPAddressToString(LPSOCKADDR addr, DWORD addrlen, LPWSAPROTOCOL_INFOW info, LPWSTR str,
                                  LPDWORD strlen, LPINT err)
{
    char text[ADDR_IPV6_FULL_STRLEN];
    size_t len = 0;
    int e = 0;

    (void)info;
    if (!addr || addrlen < sizeof(addr->sa_family) || !afd_readable(addr, addrlen) || !strlen ||
        !afd_writable(strlen, sizeof(*strlen)))
        e = WSAEFAULT;
    else if (addr->sa_family == AF_INET)
    {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)addr;
        if (addrlen < sizeof(*sin)) e = WSAEFAULT;
        else len = addr_format_ipv4_ex((const uint8_t *)&sin->sin_addr, afd_swap16(sin->sin_port), text);
    }
    else if (addr->sa_family == AF_INET6)
    {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)addr;
        if (addrlen < sizeof(*sin6)) e = WSAEFAULT;
        else len = addr_format_ipv6_ex((const uint8_t *)&sin6->sin6_addr, sin6->sin6_scope_id,
                                       afd_swap16(sin6->sin6_port), text);
    }
    else e = WSAEINVAL;

    if (!e)
    {
        if (!str || *strlen < len + 1 || !afd_writable(str, (len + 1) * sizeof(WCHAR))) e = WSAEFAULT;
        else addr_ascii_to_wide(text, len, (uint16_t *)str);
        *strlen = (DWORD)(len + 1);
    }
    AFD_TRACE("WSPAddressToString(%p, %lu, %p, %p) -> %d", (void *)addr, (unsigned long)addrlen, (void *)str,
              (void *)strlen, e);
    if (e)
    {
        if (err) *err = e;
        return SOCKET_ERROR;
    }
    return 0;
}

INT WSPAPI afd_WSPStringToAddress(LPWSTR str, INT af, LPWSAPROTOCOL_INFOW info, LPSOCKADDR addr, LPINT addrlen,
                                  LPINT err)
{
    char text[128];
    int e = 0;

    (void)info;
    if (!addrlen || !afd_writable(addrlen, sizeof(*addrlen)) || !addr) e = WSAEFAULT;
    else if (af != AF_INET && af != AF_INET6) e = WSAEINVAL;
    else if (*addrlen < afd_sockaddr_len(af))
    {
        *addrlen = afd_sockaddr_len(af);
        e = WSAEFAULT;
    }
    else if (!afd_writable(addr, (size_t)afd_sockaddr_len(af))) e = WSAEFAULT;
    else if (!str || !afd_readable(str, sizeof(WCHAR)) || addr_wide_to_ascii((const uint16_t *)str, text, sizeof(text)))
        e = WSAEINVAL;
    else if (af == AF_INET)
    {
        struct sockaddr_in *sin = (struct sockaddr_in *)addr;
        uint8_t a[4];
        uint16_t port;
        int addr_ok = 0;
        memset(sin, 0, sizeof(*sin));
        if (addr_parse_ipv4_ex(text, a, &port, &addr_ok) < 0)
        {
            if (addr_ok) memcpy(&sin->sin_addr, a, 4);
            e = WSAEINVAL;
        }
        else
        {
            sin->sin_family = AF_INET;
            sin->sin_port = afd_swap16(port);
            memcpy(&sin->sin_addr, a, 4);
            *addrlen = sizeof(*sin);
        }
    }
    else
    {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)addr;
        uint8_t a[16];
        uint32_t scope;
        uint16_t port;
        memset(sin6, 0, sizeof(*sin6));
        if (addr_parse_ipv6_ex(text, a, &scope, &port) < 0) e = WSAEINVAL;
        else
        {
            sin6->sin6_family = AF_INET6;
            sin6->sin6_port = afd_swap16(port);
            sin6->sin6_scope_id = scope;
            memcpy(&sin6->sin6_addr, a, 16);
            *addrlen = sizeof(*sin6);
        }
    }
    AFD_TRACE("WSPStringToAddress(%p, af %d, %p, %p) -> %d", (void *)str, af, (void *)addr, (void *)addrlen, e);
    if (e)
    {
        if (err) *err = e;
        return SOCKET_ERROR;
    }
    return 0;
}
