/* api_internal.h - what the socket API dispatch files of ws2_32 (startup.c, socket_api.c,
 * io_api.c, select_api.c, event_api.c, duplicate_api.c) share among themselves: the negotiated
 * process version, the per-thread SO_OPENTYPE, closing a socket for WSACleanup, and the helpers
 * that call into a socket's provider with tracing.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_API_INTERNAL_H
#define OPENWS2_API_INTERNAL_H

#include "ws2_common.h"
#include "protocol_info.h"
#include "trace.h"

struct ws_socket;
struct provider;

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

/* A SOCKET in a trace line ("%#llx"). */
#define SOCK_ARG(s) ((unsigned long long)(s))

/* ---- the shape of every socket call (docs/DEVELOPING.md): enter, check its own arguments, call the
 * provider, leave ---- */
/* The usual prologue of a socket call: WSANOTINITIALISED, then WSAENOTSOCK. Returns 0 with *out
 * referenced (api_leave drops it) or the WSA error. */
int api_enter(SOCKET s, struct ws_socket **out);
/* The WSA error of a provider call: 0 when it did not fail, else the error it stored in lpErrno, or
 * WSAEINVAL when it failed without storing one (the rule is decided here once: api_dispatch.c). */
int api_provider_error(BOOL failed, int err);
/* The tail of a socket call: drops sock (NULL allowed), sets the last error to err also on success
 * (ws_leave), traces "CALL(ARGS) -> RET (error N NAME)" on the api channel, where fmt and its
 * arguments give "CALL(ARGS)" (formatted only when the channel is on), and returns SOCKET_ERROR for
 * an error, else value. */
int api_leave(struct ws_socket *sock, int err, int value, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The same for calls that leave the last error alone on success (ws_fail): closesocket,
 * WSADuplicateSocket, the resolver's calls. */
int api_leave_keep(struct ws_socket *sock, int err, int value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same for calls that return a socket: ns, INVALID_SOCKET for an error (the last error is err,
 * or 0 on success). */
SOCKET api_leave_socket(struct ws_socket *sock, int err, SOCKET ns, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same for calls that return a BOOL: TRUE when err is 0 (the last error is err also then when
 * set_on_success, else it is only set on failure). */
BOOL api_leave_bool(struct ws_socket *sock, int err, BOOL set_on_success, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Decoded arguments for those trace lines, evaluated only when the api channel is on (else ""):
 * a socket address as text ("127.0.0.1:80", "[::1]:80"; addr is the caller's, probed first), an
 * option "SOL_SOCKET/SO_RCVBUF", a control code "FIONBIO". buf has TRACE_TEXT_LEN bytes. */
#define API_TRACING() TRACE_ENABLED(TRACE_CH_API, TRACE_LEVEL_TRACE)
#define API_ADDR_TEXT(buf, addr, len) (API_TRACING() ? api_addr_text((addr), (len), (buf), sizeof(buf)) : "")
#define API_OPT_TEXT(buf, level, name) (API_TRACING() ? trace_sockopt_name((level), (name), (buf), sizeof(buf)) : "")
#define API_IOCTL_TEXT(buf, code) (API_TRACING() ? trace_ioctl_name((code), (buf), sizeof(buf)) : "")
const char *api_addr_text(const struct sockaddr *addr, int len, char *buf, size_t size);
/* The calling thread's WSATHREADID for the provider calls (a real handle to the thread, so that a
 * provider can queue completion APCs to it from another thread). */
LPWSATHREADID api_thread_id(void);
/* The socket a new handle returned by a provider maps to: the provider must have registered it
 * (WPUModifyIFSHandle / WPUCreateSocketHandle). Returns 0, or closes it and returns an error. */
int api_check_new_socket(struct provider *p, SOCKET s);
/* WSPIoctl on sock's provider with the thread id and tracing: 0 or the WSA error. */
int api_ioctl(struct ws_socket *sock, DWORD code, LPVOID in, DWORD in_size, LPVOID out, DWORD out_size,
              LPDWORD returned, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);

/* Closes sock through its provider (WSPCloseSocket) and unregisters it on success. Returns 0 or the
 * provider's WSA error. Used by closesocket and by the last WSACleanup. */
int socket_close(struct ws_socket *sock);

#endif
