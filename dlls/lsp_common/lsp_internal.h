/* lsp_internal.h - what the files of the layered provider framework (dlls/lsp_common) share: the
 * next layers, the socket registry, the overlapped request machinery and the upcall table.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_LSP_INTERNAL_H
#define OPENWS2_LSP_INTERNAL_H

#include "lsp_layer.h"

#define LSP_SOCK_ARG(s) ((unsigned long long)(s))

/* A provider loaded below the layer (one per provider GUID). */
struct lsp_lower
{
    struct lsp_lower *next;
    GUID id;
    HMODULE module;
    WSPDATA data;
    WSPPROC_TABLE procs;
    /* Its extension functions, fetched on first use. */
    LPFN_ACCEPTEX accept_ex;
    LPFN_CONNECTEX connect_ex;
    LPFN_DISCONNECTEX disconnect_ex;
    LPFN_TRANSMITFILE transmit_file;
    LPFN_TRANSMITPACKETS transmit_packets;
    LPFN_WSARECVMSG recv_msg;
    LPFN_WSASENDMSG send_msg;
};

extern WSPUPCALLTABLE lsp_upcalls;
/* ws2_32's WPUCompleteOverlappedRequest (an export, not an upcall-table entry): resolved at the
 * first WSPStartup; WSAEINVAL when missing. */
int lsp_complete_request(SOCKET s, LPWSAOVERLAPPED ov, DWORD error, DWORD bytes, LPINT lpErrno);
extern LPFN_GETACCEPTEXSOCKADDRS lsp_lower_get_acceptex_sockaddrs;

/* Returns 0 and sets the lpErrno protocol's failure otherwise. */
static inline int lsp_fail(LPINT lpErrno, int err)
{
    if (lpErrno) *lpErrno = err;
    return SOCKET_ERROR;
}

/* The next layer's socket whose I/O and readiness are ls's proxy conversation and readiness: an
 * IFS listener's separate proxy connection while it listens through the proxy, else ls->lower. */
static inline SOCKET lsp_talk_lower(const struct lsp_sock *ls)
{
    return ls->bind_lower != INVALID_SOCKET ? ls->bind_lower : ls->lower;
}

/* ---- lsp_startup.c ---- */
/* The next layer below chain entry info (loaded and started on first use) and its protocol info. */
int lsp_next_layer(const WSAPROTOCOL_INFOW *info, struct lsp_lower **low, WSAPROTOCOL_INFOW *lower_info);

/* ---- lsp_sockets.c ---- */
/* Wraps the next layer's socket lower into a new socket of ours. NULL with *err on failure (lower is
 * left open). */
struct lsp_sock *lsp_sock_wrap(SOCKET lower, struct lsp_lower *low, const WSAPROTOCOL_INFOW *info, int *err);
/* Referenced lookup (WSAENOTSOCK). */
struct lsp_sock *lsp_sock_get(SOCKET s, int *err);
void lsp_sock_put(struct lsp_sock *ls);
void lsp_sock_close_all(void);
/* Closes an IFS listener's separate proxy connection (lsp_listen_socket), if it has one. */
void lsp_listen_socket_close(struct lsp_sock *ls);
void lsp_sockets_fill(WSPPROC_TABLE *t);

/* ---- lsp_io.c ---- */
/* An overlapped request passed down: the layer's own OVERLAPPED below, the application's above. */
struct lsp_op
{
    WSAOVERLAPPED lov;               /* first: the next layer sees this one */
    LPWSAOVERLAPPED uov;             /* the application's */
    struct lsp_sock *ls;             /* referenced; the socket the completion is reported on */
    SOCKET lower_s;                  /* the next layer's socket the request runs on */
    struct lsp_lower *low;
    volatile LONG refs;
    HANDLE wait;
    DWORD bytes, flags;
    BOOL in_call;                    /* IFS: completes before the call returns (not reported pending) */
    HANDLE uov_event;                /* the application's hEvent at the call (IFS completions use it) */
    const char *what;                /* for traces */
    int dir;                         /* 1: bytes sent, 2: received, 0: neither */
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine; /* the application's completion routine, run by the layer */
    WSATHREADID thread;              /* the requesting thread (WPUOpenCurrentThread) when routine is set */
    /* ConnectEx through a proxy */
    struct sockaddr_storage target;
    int target_len;
    struct sockaddr_storage via;
    int via_len;
    const char *send_buf;
    DWORD send_len;
};
struct lsp_op *lsp_op_new(struct lsp_sock *ls, SOCKET lower_s, LPWSAOVERLAPPED uov, const char *what, int dir);
/* After the call below: r is its result (0, or SOCKET_ERROR with err). Completes at once, arms the
 * wait (WSA_IO_PENDING) or fails; consumes op. Returns 0, WSA_IO_PENDING or the error. */
int lsp_op_started(struct lsp_op *op, int r, int err, DWORD bytes);
/* Completes the application's request on ls (for work done by the layer itself). On an IFS socket
 * through wine_compat_complete: only where wine_compat_can_complete. */
void lsp_op_finish(struct lsp_op *op, int err, DWORD bytes);
/* The kernel status whose Winsock error is err (afd_status_to_wsa's inverse); fallback when the
 * error has none. */
ULONG lsp_wsa_status(int err, ULONG fallback);
/* Makes op's completion run cr in the calling thread (WPUOpenCurrentThread now, WPUQueueApc at
 * completion): 0 or a WSA error. */
int lsp_op_set_routine(struct lsp_op *op, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr);
void lsp_op_release(struct lsp_op *op);
void lsp_io_fill(WSPPROC_TABLE *t);
void lsp_io_drain(void);

/* ---- lsp_select.c ---- */
void lsp_select_fill(WSPPROC_TABLE *t);
void lsp_async_stop(struct lsp_sock *ls);
/* WSPEventSelect on the next layer's socket, recorded in ls (sel_event/sel_mask) and held back while
 * a handshake is pending. */
int lsp_lower_event_select(struct lsp_sock *ls, WSAEVENT event, long mask, int *err);

/* ---- lsp_handshake.c ---- */
/* Starts the redirected connection of a non-blocking socket in the thread pool: WSAEWOULDBLOCK, or
 * another WSA error when it cannot start. */
int lsp_async_connect(struct lsp_sock *ls, const struct sockaddr *name, int namelen,
                      const struct sockaddr_storage *via, int via_len);
/* The same for ConnectEx on an IFS socket, under Wine; when the handle skips the completion port on
 * success, only where wine_compat_can_complete (*started; otherwise nothing is done and the caller
 * completes the ConnectEx in the call): WSA_IO_PENDING, or another WSA error when it cannot start. */
int lsp_async_connectex(struct lsp_sock *ls, const struct sockaddr *name, int namelen,
                        const struct sockaddr_storage *via, int via_len, LPOVERLAPPED ov, const void *send_buf,
                        DWORD send_len, BOOL *started);
/* Background work the layer must wait for before it unloads (lsp_io_drain). */
void lsp_io_hold(void);
void lsp_io_unhold(void);

/* ---- lsp_config.c ---- */
/* Are lsp_trace lines written anywhere (the LSP's trace hook, or the trace channel lsp)? */
BOOL lsp_tracing(void);

/* ---- lsp_ifs_watch.c ---- */
/* Traces the completion of an overlapped request on an IFS socket without changing it. Before the
 * call below: returns the completion routine to hand down (the layer's in place of cr when cr is
 * watched, else cr) and *w (NULL: not watched). After it: lsp_ifs_watch_started with the call's
 * result (r 0, or SOCKET_ERROR with err). */
struct lsp_ifs_watch;
LPWSAOVERLAPPED_COMPLETION_ROUTINE lsp_ifs_watch_begin(struct lsp_sock *ls, LPWSAOVERLAPPED ov,
                                                       LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, const char *what,
                                                       struct lsp_ifs_watch **w);
void lsp_ifs_watch_started(struct lsp_ifs_watch *w, int r, int err);
/* Closing an IFS socket: its requests whose completion the layer delivers are cancelled and
 * delivered first (lsp_ifs_watch.c). */
void lsp_ifs_watch_close(struct lsp_sock *ls);
/* Before the layer unloads (last WSPCleanup). */
void lsp_ifs_watch_drain(void);

/* ---- lsp_dgram.c ---- */
/* Closing an IFS socket: completes its pending datagram requests with WSA_OPERATION_ABORTED (before
 * the handle, and with it the completion port's association, goes). */
void lsp_dgram_abort(struct lsp_sock *ls);
/* A datagram call through the LSP's dgram_* hooks: *handled FALSE when the call goes down as it is;
 * else 0, WSA_IO_PENDING or a WSA error (WSAEMSGSIZE with *bytes set). */
int lsp_dgram_call(struct lsp_sock *ls, BOOL send, LPWSABUF bufs, DWORD n, DWORD *bytes, DWORD *flags,
                   const struct sockaddr *to, int tolen, struct sockaddr *from, int *fromlen, LPWSAOVERLAPPED ov,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, BOOL *handled);

/* ---- lsp_ext.c ---- */
/* SIO_GET_EXTENSION_FUNCTION_POINTER: TRUE when the GUID is handled (*err 0 or a WSA error). */
BOOL lsp_ext_lookup(struct lsp_sock *ls, const GUID *id, void *out, DWORD out_len, DWORD *returned, int *err);
/* The same on an IFS socket while tracing: the layer's tracing wrappers (FALSE: not one of them,
 * the next layer answers). */
BOOL lsp_ext_ifs_lookup(struct lsp_sock *ls, const GUID *id, void *out, DWORD out_len, DWORD *returned, int *err);

/* ---- lsp_calls.c ---- */
void lsp_calls_fill(WSPPROC_TABLE *t);
/* Redirected connection (the redirect hook): 0 or a WSA error, *handled FALSE when not redirected. */
int lsp_redirected_connect(struct lsp_sock *ls, const struct sockaddr *name, int namelen, BOOL *handled);
BOOL lsp_redirect_wanted(struct lsp_sock *ls, const struct sockaddr *name, int namelen, struct sockaddr_storage *via,
                         int *via_len);
int lsp_redirect_run(struct lsp_sock *ls, const struct sockaddr *name, int namelen, const struct sockaddr_storage *via,
                     int via_len);

#endif
