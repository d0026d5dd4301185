/* afd_private.h - what the files of openws2afd.dll (the base IFS transport provider for Wine) share:
 * the upcall table, the socket records, NTSTATUS -> WSA error mapping, pointer checks, overlapped
 * plumbing, and the WSP* entry points that make up its WSPPROC_TABLE.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_AFD_PRIVATE_H
#define OPENWS2_AFD_PRIVATE_H

#include "ws2_common.h"
#include <winternl.h>
#include "afd_wine.h"
#include "trace.h"

#define AFD_TRACE(fmt, ...) TRACE_CH(TRACE_CH_AFD, fmt, ##__VA_ARGS__)

/* Windows SDK values (ws2ipdef.h) MinGW-w64 lacks */
#ifndef TCP_KEEPALIVE
# define TCP_KEEPALIVE 3
#endif
#ifndef TCP_KEEPCNT
# define TCP_KEEPCNT 16
#endif
#ifndef TCP_KEEPINTVL
# define TCP_KEEPINTVL 17
#endif

/* ---- afd_startup.c ---- */
extern WSPUPCALLTABLE afd_upcalls;
extern LONG afd_started;            /* WSPStartup count */

/* ---- afd_records.c: what the provider remembers about each socket it created ---- */
struct afd_socket_info
{
    DWORD catalog_id;
    WSAPROTOCOL_INFOW info;  /* the catalog entry the socket was made from */
    DWORD flags;             /* WSA_FLAG_* given to WSPSocket */
    int so_error;            /* the value setsockopt(SO_ERROR) stored (Windows lets programs set it) */
    int so_debug;            /* SO_DEBUG as set (0/1): Windows keeps it, the host has no use for it */
    int so_dontroute;        /* SO_DONTROUTE as set (one byte): Windows keeps it without routing differently */
    int ipv6_protection;     /* IPV6_PROTECTION_LEVEL as set (0: never set, reported as the default) */
    int peer_len;            /* the peer this socket connected to / accepted (0: none known) */
    struct sockaddr_storage peer;
    /* For the blocking calls on a socket made without WSA_FLAG_OVERLAPPED (a synchronous AFD handle,
     * for which Wine's AFD applies no timeout): the I/O mode and timeouts as set through this
     * provider (an accepted socket inherits them from its listener, as in Wine's AFD). */
    int nonblocking;         /* FIONBIO, WSPEventSelect/WSPAsyncSelect */
    DWORD rcvtimeo, sndtimeo; /* SO_RCVTIMEO/SO_SNDTIMEO in ms (0: none) */
    int abortive_close;      /* SO_LINGER set on with a zero timeout: closesocket resets the connection */
};
/* Records s (0 or WSAENOBUFS). */
int afd_socket_add(SOCKET s, const struct afd_socket_info *info);
/* Copies the record of s; FALSE when s is not one of ours. */
BOOL afd_socket_get(SOCKET s, struct afd_socket_info *info);
BOOL afd_socket_known(SOCKET s);
/* Batch lookups (select, poll over many sockets): one lock for all of them. Between
 * afd_sockets_lock_shared and afd_sockets_unlock_shared only afd_socket_known_locked may be called. */
void afd_sockets_lock_shared(void);
void afd_sockets_unlock_shared(void);
BOOL afd_socket_known_locked(SOCKET s);
/* The family and type of s without copying its record (hot paths); FALSE when s is not ours. With
 * sync_timeout, in the same lookup: the timeout a blocking send (send TRUE) or receive on s has to
 * keep itself: nonzero only for a socket made without WSA_FLAG_OVERLAPPED (a synchronous AFD handle)
 * in blocking mode with SO_SNDTIMEO/SO_RCVTIMEO set. */
BOOL afd_socket_kind(SOCKET s, int *family, int *type, BOOL send, DWORD *sync_timeout);
/* Removes the record of s; *abortive (optional): whether SO_LINGER was set on with a zero timeout. */
BOOL afd_socket_remove(SOCKET s, BOOL *abortive);
BOOL afd_socket_set_error(SOCKET s, int error);
/* The options the provider keeps in the record itself (no AFD request behind them). */
enum afd_kept_option
{
    AFD_KEPT_SO_DEBUG, AFD_KEPT_SO_DONTROUTE, AFD_KEPT_IPV6_PROTECTION,
    /* kept besides AFD's own copy (the timeouts of synchronous handles, afd_sync_ready) */
    AFD_KEPT_NONBLOCKING, AFD_KEPT_RCVTIMEO, AFD_KEPT_SNDTIMEO,
    /* kept besides AFD's own copy: SO_LINGER on with a zero timeout (afd_WSPCloseSocket) */
    AFD_KEPT_ABORTIVE_CLOSE,
};
BOOL afd_socket_set_kept(SOCKET s, enum afd_kept_option which, int value);
/* Remembers the peer of a connection: Windows still reports it after both directions are shut down,
 * when the host's getpeername no longer does. */
BOOL afd_socket_set_peer(SOCKET s, const struct sockaddr *peer, int len);
/* Removes every record, closing each handle (last WSPCleanup). */
void afd_socket_close_all(void);
/* Creates the record for a socket that arrived from AFD (accept): asks WPUModifyIFSHandle, records it.
 * Returns the SOCKET or INVALID_SOCKET with *err set (the handle is closed then). */
SOCKET afd_socket_register(HANDLE h, const struct afd_socket_info *info, int *err);

/* ---- afd_status.c ---- */
int afd_status_to_wsa(NTSTATUS status);
/* afd_status_to_wsa, except that a request ended by closing its socket (Wine: STATUS_HANDLES_CLOSED)
 * is WSA_OPERATION_ABORTED, as Windows reports a closed socket's requests to completion routines. */
int afd_closed_status_to_wsa(NTSTATUS status);

/* ---- afd_util.c ---- */
HANDLE afd_event_acquire(void);
void afd_event_release(HANDLE event);
void afd_thread_detach(void);
void afd_process_detach(void);
BOOL afd_readable(const void *p, size_t len);
BOOL afd_writable(void *p, size_t len);
/* Sets up io for an overlapped call (overlapped != NULL) with an optional completion routine. */
void afd_io_overlapped(struct afd_io *io, WSAOVERLAPPED *overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);
/* Checks that buffers[0..count) and each buffer is accessible (write: for receiving). */
BOOL afd_check_wsabufs(const WSABUF *bufs, DWORD count, BOOL write);
/* TRUE when s is not in the connected state (Wine's SO_CONNECT_TIME says 0xffffffff): a socket
 * signalling a connect error in that state has failed to connect. One AFD request: error paths only. */
BOOL afd_never_connected(SOCKET s);
/* sockaddr length a family needs (0: family not supported by this provider). */
int afd_sockaddr_len(int family);
const char *afd_sockaddr_str(const struct sockaddr *sa, int len, char *buf, size_t size);

/* ---- the WSP entry points ---- */
SOCKET WSPAPI afd_WSPAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC condition,
                            DWORD_PTR context, LPINT err);
INT WSPAPI afd_WSPAddressToString(LPSOCKADDR addr, DWORD addrlen, LPWSAPROTOCOL_INFOW info, LPWSTR str,
                                  LPDWORD strlen, LPINT err);
int WSPAPI afd_WSPAsyncSelect(SOCKET s, HWND hwnd, unsigned int msg, LONG events, LPINT err);
int WSPAPI afd_WSPBind(SOCKET s, const struct sockaddr *name, int namelen, LPINT err);
int WSPAPI afd_WSPCancelBlockingCall(LPINT err);
int WSPAPI afd_WSPCleanup(LPINT err);
int WSPAPI afd_WSPCloseSocket(SOCKET s, LPINT err);
int WSPAPI afd_WSPConnect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller, LPWSABUF callee,
                          LPQOS sqos, LPQOS gqos, LPINT err);
int WSPAPI afd_WSPDuplicateSocket(SOCKET s, DWORD pid, LPWSAPROTOCOL_INFOW info, LPINT err);
int WSPAPI afd_WSPEnumNetworkEvents(SOCKET s, WSAEVENT event, LPWSANETWORKEVENTS events, LPINT err);
int WSPAPI afd_WSPEventSelect(SOCKET s, WSAEVENT event, LONG events, LPINT err);
BOOL WSPAPI afd_WSPGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED ov, LPDWORD transfer, BOOL wait, LPDWORD flags,
                                       LPINT err);
int WSPAPI afd_WSPGetPeerName(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT err);
int WSPAPI afd_WSPGetSockName(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT err);
int WSPAPI afd_WSPGetSockOpt(SOCKET s, int level, int optname, char *optval, LPINT optlen, LPINT err);
BOOL WSPAPI afd_WSPGetQOSByName(SOCKET s, LPWSABUF name, LPQOS qos, LPINT err);
int WSPAPI afd_WSPIoctl(SOCKET s, DWORD code, LPVOID in, DWORD in_len, LPVOID out, DWORD out_len, LPDWORD ret,
                        LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread,
                        LPINT err);
SOCKET WSPAPI afd_WSPJoinLeaf(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller, LPWSABUF callee,
                              LPQOS sqos, LPQOS gqos, DWORD flags, LPINT err);
int WSPAPI afd_WSPListen(SOCKET s, int backlog, LPINT err);
int WSPAPI afd_WSPRecv(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD recvd, LPDWORD flags, LPWSAOVERLAPPED ov,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT err);
int WSPAPI afd_WSPRecvDisconnect(SOCKET s, LPWSABUF data, LPINT err);
int WSPAPI afd_WSPRecvFrom(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD recvd, LPDWORD flags,
                           struct sockaddr *from, LPINT fromlen, LPWSAOVERLAPPED ov,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT err);
int WSPAPI afd_WSPSelect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const PTIMEVAL timeout,
                         LPINT err);
int WSPAPI afd_WSPSend(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags, LPWSAOVERLAPPED ov,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT err);
int WSPAPI afd_WSPSendDisconnect(SOCKET s, LPWSABUF data, LPINT err);
int WSPAPI afd_WSPSendTo(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags, const struct sockaddr *to,
                         int tolen, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                         LPWSATHREADID thread, LPINT err);
int WSPAPI afd_WSPSetSockOpt(SOCKET s, int level, int optname, const char *optval, int optlen, LPINT err);
int WSPAPI afd_WSPShutdown(SOCKET s, int how, LPINT err);
SOCKET WSPAPI afd_WSPSocket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g, DWORD flags,
                            LPINT err);
INT WSPAPI afd_WSPStringToAddress(LPWSTR str, INT af, LPWSAPROTOCOL_INFOW info, LPSOCKADDR addr, LPINT addrlen,
                                  LPINT err);

/* ---- afd_transfer.c: shared by the WSPSend and WSPRecv family and the extension functions ---- */
/* name: the entry point, for the trace */
int afd_do_send(const char *name, SOCKET s, WSABUF *bufs, DWORD count, DWORD *sent, DWORD flags,
                const struct sockaddr *to, int tolen, WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                int *err);
int afd_do_recv(const char *name, SOCKET s, WSABUF *bufs, DWORD count, DWORD *recvd, DWORD *flags,
                struct sockaddr *from, int *fromlen, WSABUF *control, WSAOVERLAPPED *ov,
                LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, int *err);

/* ---- afd_manybufs.c: more WSABUFs than the host takes in one call ---- */
#define AFD_IOV_MAX 1024    /* Linux's UIO_MAXIOV: Wine passes one iovec per WSABUF */
struct afd_bounce;
/* Copies in to out (count entries of room) with adjacent buffers merged and empty ones dropped;
 * returns how many out holds. */
DWORD afd_bufs_merge(const WSABUF *in, DWORD count, WSABUF *out);
/* A bounce buffer of the buffers' total size (gather: filled with their data); NULL when out of
 * memory or over 2 GiB. */
struct afd_bounce *afd_bounce_new(const WSABUF *bufs, DWORD count, BOOL gather);
char *afd_bounce_data(struct afd_bounce *b);
/* Copies the first bytes of the bounce buffer into the buffers; returns what was copied. */
size_t afd_bounce_scatter(const struct afd_bounce *b, size_t bytes, const WSABUF *bufs, DWORD count);
void afd_bounce_free(struct afd_bounce *b);
/* For an overlapped request on the bounce buffer: the request gets our event instead of the
 * caller's (io->event changed); FALSE when no event could be made. After the submission,
 * afd_bounce_submitted(b, status) takes b over: freed at once or when the request completes, the
 * caller's event set as Wine would have. */
BOOL afd_bounce_overlapped(struct afd_bounce *b, struct afd_io *io);
void afd_bounce_submitted(struct afd_bounce *b, NTSTATUS status);

/* ---- afd_select.c ---- */
/* WSASendMsg (the extension function and SIO_EXT_SENDMSG): 0 or the WSA error (WSA_IO_PENDING). */
int afd_ext_sendmsg(SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD sent, LPWSAOVERLAPPED ov,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);
/* SIO_EXT_POLL (WSAPoll): data is the caller's WSAPOLLDATA of len bytes, updated in place. */
int afd_ext_poll(WSAPOLLDATA *data, DWORD len, DWORD *ret);

/* ---- afd_extensions.c ---- */
/* The function for a SIO_GET_EXTENSION_FUNCTION_POINTER GUID, or NULL. */
void *afd_extension_function(const GUID *guid, const char **name);

#endif
