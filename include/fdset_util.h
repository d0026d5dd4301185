/* fdset_util.h - fd_set helpers that do not assume our FD_SETSIZE: membership over the whole
 * fd_count, and heap fd_sets of any capacity (WSAPoll's select emulation). Portable, unit tested.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_FDSET_UTIL_H
#define OPENWS2_FDSET_UTIL_H

#include "ws2_common.h"

/* 1 when fd is among set's fd_count entries (NULL set: 0). */
int fdset_contains(const fd_set *set, SOCKET fd);

struct fdset_buf
{
    fd_set *set;      /* fd_count + room for capacity sockets */
    size_t capacity;
};
/* 0, or WSAENOBUFS (buf->set NULL). */
int fdset_buf_init(struct fdset_buf *buf, size_t capacity);
/* Adds fd unless present or full; returns 1 when added. */
int fdset_buf_add(struct fdset_buf *buf, SOCKET fd);
void fdset_buf_free(struct fdset_buf *buf);

#endif
