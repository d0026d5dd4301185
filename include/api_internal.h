/* api_internal.h - what the socket API dispatch files of ws2_32 (startup.c, socket_api.c,
 * io_api.c, select_api.c, event_api.c, duplicate_api.c) share among themselves: the negotiated
 * process version, the per-thread SO_OPENTYPE, closing a socket for WSACleanup, and the helpers
 * that call into a socket's provider with tracing.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_API_INTERNAL_H
#define OPENWS2_API_INTERNAL_H

#include "ws2_common.h"

struct ws_socket;
struct provider;

/* The version the process negotiated with its first successful WSAStartup (0 when not started). */
WORD startup_process_version(void);

/* Per-thread state (TLS slot owned by startup.c, allocated at process attach). */
struct api_thread
{
    int open_type;          /* SO_OPENTYPE: 0 (overlapped sockets), SO_SYNCHRONOUS_ALERT/NONALERT */
    FARPROC blocking_hook;  /* Winsock 1.1 blocking hook; NULL: the default one */
    WSATHREADID thread_id;  /* given to providers (WPUQueueApc); ThreadHandle NULL until first use */
};
/* The calling thread's state, allocated on first use; NULL when out of memory. */
struct api_thread *api_thread_get(BOOL create);
void api_thread_detach(void);

BOOL startup_process_attach(void);
void startup_process_detach(BOOL process_exit);

/* The usual prologue of a socket call: WSANOTINITIALISED, then WSAENOTSOCK. Returns 0 with *out
 * referenced (drop it with socket_put) or the WSA error. */
int api_enter(SOCKET s, struct ws_socket **out);
/* The calling thread's WSATHREADID for the provider calls (a real handle to the thread, so that a
 * provider can queue completion APCs to it from another thread). */
LPWSATHREADID api_thread_id(void);
/* Converts between the ANSI and Unicode protocol info (szProtocol through the ANSI code page). */
void protocol_info_a_to_w(const WSAPROTOCOL_INFOA *a, WSAPROTOCOL_INFOW *w);
void protocol_info_w_to_a(const WSAPROTOCOL_INFOW *w, WSAPROTOCOL_INFOA *a);
/* The socket a new handle returned by a provider maps to: the provider must have registered it
 * (WPUModifyIFSHandle / WPUCreateSocketHandle). Returns 0, or closes it and returns an error. */
int api_check_new_socket(struct provider *p, SOCKET s);
/* An out-address buffer and its length (accept, getsockname, getpeername, recvfrom): *len readable
 * and writable and not negative, the buffer writable for min(*len, sizeof(SOCKADDR_STORAGE)) bytes
 * (src/api/socket_api.c; probes of include/user_ptr.h). */
BOOL api_addr_out_ok(struct sockaddr *addr, int *len);

/* WSPIoctl on sock's provider with the thread id and tracing: 0 or the WSA error. */
int api_ioctl(struct ws_socket *sock, DWORD code, LPVOID in, DWORD in_size, LPVOID out, DWORD out_size,
              LPDWORD returned, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);

/* Closes sock through its provider (WSPCloseSocket) and unregisters it on success. Returns 0 or the
 * provider's WSA error. Used by closesocket and by the last WSACleanup. */
int socket_close(struct ws_socket *sock);

#endif
