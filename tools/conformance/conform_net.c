/* conform_net.c - loopback addresses for ws2conform's I/O checks (built by hand: the SPI checks must
 * not need ws2_32 for anything the provider itself should do).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conform.h"

BOOL conf_loopback(int af, struct sockaddr_storage *ss, int *len)
{
    memset(ss, 0, sizeof(*ss));
    if (af == AF_INET)
    {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        unsigned char *a = (unsigned char *)&sin->sin_addr;
        sin->sin_family = AF_INET;
        a[0] = 127;
        a[3] = 1;
        *len = sizeof(*sin);
        return TRUE;
    }
    if (af == AF_INET6)
    {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_addr.s6_addr[15] = 1;
        *len = sizeof(*sin6);
        return TRUE;
    }
    return FALSE;
}

u_short conf_port(const struct sockaddr_storage *ss)
{
    const unsigned char *p;

    if (ss->ss_family == AF_INET) p = (const unsigned char *)&((const struct sockaddr_in *)ss)->sin_port;
    else if (ss->ss_family == AF_INET6) p = (const unsigned char *)&((const struct sockaddr_in6 *)ss)->sin6_port;
    else return 0;
    return (u_short)((p[0] << 8) | p[1]);
}
