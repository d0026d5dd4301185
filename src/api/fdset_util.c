/* fdset_util.c - fd_set helpers of any capacity (see fdset_util.h). Portable: no Windows calls.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "fdset_util.h"

int fdset_contains(const fd_set *set, SOCKET fd)
{
    u_int i;

    if (!set) return 0;
    for (i = 0; i < set->fd_count; i++)
        if (set->fd_array[i] == fd) return 1;
    return 0;
}

int fdset_buf_init(struct fdset_buf *buf, size_t capacity)
{
    size_t size = offsetof(fd_set, fd_array) + (capacity ? capacity : 1) * sizeof(SOCKET);

    buf->capacity = 0;
    if (capacity > ((size_t)-1 - offsetof(fd_set, fd_array)) / sizeof(SOCKET) - 1 || capacity > (u_int)-1)
    {
        buf->set = NULL;
        return WSAENOBUFS;
    }
    if (size < sizeof(fd_set)) size = sizeof(fd_set);
    if (!(buf->set = calloc(1, size))) return WSAENOBUFS;
    buf->capacity = capacity;
    return 0;
}

int fdset_buf_add(struct fdset_buf *buf, SOCKET fd)
{
    if (!buf->set || buf->set->fd_count >= buf->capacity || fdset_contains(buf->set, fd)) return 0;
    buf->set->fd_array[buf->set->fd_count++] = fd;
    return 1;
}

void fdset_buf_free(struct fdset_buf *buf)
{
    free(buf->set);
    buf->set = NULL;
    buf->capacity = 0;
}
