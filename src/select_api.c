/* select_api.c - select and __WSAFDIsSet: all sockets of the sets must belong to one provider, whose
 * WSPSelect does the work; WSAPoll built on the providers.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "api_internal.h"
#include "provider.h"
#include "socket_table.h"
#include "startup.h"
#include "trace.h"

int WSAAPI __WSAFDIsSet(SOCKET fd, fd_set *set)
{
    u_int i, n;
    int ret = 0;

    if (set)
    {
        n = set->fd_count < FD_SETSIZE ? set->fd_count : FD_SETSIZE;
        for (i = 0; i < n; i++)
            if (set->fd_array[i] == fd)
            {
                ret = 1;
                break;
            }
    }
    TRACE_API("__WSAFDIsSet(fd %#llx set %p) -> %d", (unsigned long long)fd, (void *)set, ret);
    return ret;
}
