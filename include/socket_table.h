/* socket_table.h - ws2_32's own sockets: one reference-counted ws_socket per SOCKET (IFS handles
 * registered by WPUModifyIFSHandle, non-IFS handles made by WPUCreateSocketHandle), kept in the
 * process' handle table. Every API call looks the socket up with socket_get (WSAENOTSOCK when
 * absent) and drops it with socket_put; closesocket unregisters it, and the last put frees it, so a
 * socket closed by one thread is never freed under another thread's call.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_SOCKET_TABLE_H
#define OPENWS2_SOCKET_TABLE_H

#include "handle_table.h"

struct provider;

struct ws_socket
{
    wah_handle_context hdr;     /* hdr.handle is the SOCKET; hdr.refcount the references */
    struct provider *provider;  /* referenced while the ws_socket lives */
    DWORD catalog_id;           /* catalog entry of the provider that registered the handle */
    BOOL ifs;                   /* TRUE: WPUModifyIFSHandle; FALSE: WPUCreateSocketHandle */
    DWORD_PTR context;          /* non-IFS: the provider's dwContext */
    void *nonifs;               /* non-IFS handle bookkeeping owned by upcall.c (NULL for IFS) */
};

int socket_table_init(void);      /* 0 or WSAENOBUFS */
void socket_table_cleanup(void);  /* at the last WSACleanup / process detach */

/* Registers s (replacing a context an underlying layer registered for the same handle). Takes its
 * own reference on provider. Returns the new socket referenced once by the table, or NULL with
 * *err = WSAENOBUFS. */
struct ws_socket *socket_register(SOCKET s, DWORD catalog_id, struct provider *provider, BOOL ifs,
                                  DWORD_PTR context, int *err);
/* Referenced lookup: NULL when s is not a socket. */
struct ws_socket *socket_get(SOCKET s);
/* socket_get for n sockets at once (select, WSAPoll): out[i] referenced or NULL; returns the count
 * found. Cheaper than n socket_get calls (one lock per part of the handle table). */
size_t socket_get_many(const SOCKET *s, size_t n, struct ws_socket **out);
/* Looks n sockets up without references: fn(sock or NULL, index, arg) runs under the table's lock,
 * so sock may be read but not kept after fn returns (select's provider check). Returns the count
 * found. */
typedef void (*socket_inspect_fn)(const struct ws_socket *sock, size_t index, void *arg);
size_t socket_inspect_many(const SOCKET *s, size_t n, socket_inspect_fn fn, void *arg);
void socket_put(struct ws_socket *sock);
/* Removes sock from the table (if still there) and drops the table's reference. */
void socket_unregister(struct ws_socket *sock);
/* Calls fn for every registered socket (for WSACleanup). */
void socket_table_enumerate(BOOL (*fn)(struct ws_socket *sock, void *param), void *param);

#endif
