/* lsp_layer.h - openws2's layered service provider framework (dlls/lsp_common, a static library):
 * a complete non-IFS layer over the next entry of a protocol chain, that an LSP DLL specialises
 * with hooks. The layer loads the next layer through WPUGetProviderPath and runs its WSPStartup with
 * the same upcall table; its sockets are ws2_32 handles (WPUCreateSocketHandle) each mapped to the
 * next layer's socket; every WSP* call is passed down with the handles translated; overlapped
 * requests are reissued below with the layer's own OVERLAPPED and completed on the application's
 * with WPUCompleteOverlappedRequest (events, completion ports) or WPUQueueApc (completion routines,
 * to the requesting thread); select,
 * WSAEventSelect, WSAAsyncSelect, SIO_BASE_HANDLE/SIO_BSP_HANDLE* and the extension functions
 * (AcceptEx, ConnectEx, DisconnectEx, GetAcceptExSockaddrs, TransmitFile, TransmitPackets, WSARecvMsg,
 * WSASendMsg) and WSAPoll (SIO_EXT_POLL) work through it. A chain entry installed with XP1_IFS_HANDLES gets IFS sockets instead: the next
 * layer's handle is registered as the layer's with WPUModifyIFSHandle and overlapped requests go
 * down unchanged; extension functions too (ConnectEx is the layer's when the LSP redirects
 * connections; while tracing, extension functions are traced wrappers and completions are watched
 * without changing the request, lsp_ifs_watch.c); event and async selects are the layer's (as for
 * non-IFS sockets), so that a background proxy handshake holds them back; a listener through a
 * proxy talks to it on a separate socket below (lsp_listen_socket). Each LSP DLL defines
 * `lsp_hooks` and exports a WSPStartup that calls
 * lsp_layer_startup.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_LSP_LAYER_H
#define OPENWS2_LSP_LAYER_H

#include "ws2_common.h"

struct lsp_lower;

/* One socket of the layer. */
struct lsp_sock
{
    struct lsp_sock *next;           /* the layer's socket registry (hash chain) */
    volatile LONG refs;
    SOCKET s;                        /* our (ws2_32) handle; an IFS socket's is the next layer's */
    BOOL ifs;                        /* IFS mode (chain entry with XP1_IFS_HANDLES): the next layer's
                                        handle registered as ours with WPUModifyIFSHandle; overlapped
                                        requests go down unchanged (the kernel completes them) */
    SOCKET lower;                    /* the next layer's socket */
    struct lsp_lower *low;           /* the next layer */
    WSAPROTOCOL_INFOW info;          /* the chain entry the socket was made for */
    volatile LONG pending;           /* overlapped requests in flight below */
    HANDLE idle;                     /* set while pending == 0 */
    SRWLOCK lock;                    /* async select state and the fields below */
    HANDLE async_event, async_wait;  /* WSAAsyncSelect emulation */
    HWND async_hwnd;
    UINT async_msg;
    BOOL redirected;                 /* connected through a proxy by the LSP (peer holds the target) */
    struct sockaddr_storage peer;
    int peer_len;
    BOOL nonblocking;                /* FIONBIO set, or an event/async select made it non-blocking */
    volatile LONG hs_state;          /* LSP_HS_*: a redirected connect of a non-blocking socket */
    int hs_error;                    /* its result once LSP_HS_FAILED (SO_ERROR, FD_CONNECT's code) */
    WSAEVENT sel_event;              /* the event select wanted below (the application's event, or the
                                        async select emulation's), held back while hs_state is PENDING */
    long sel_mask;
    long synth_events;               /* FD_CONNECT/FD_WRITE the layer reports itself after a handshake */
    int synth_connect_error;
    volatile LONG64 bytes_sent, bytes_received;
    void *hook_data;                 /* the LSP's own state of the socket (freed by the freed hook) */
    BOOL proxy_bound;                /* its local name is the proxy's (a SOCKS BIND): local below */
    BOOL bind_listening;             /* listening through the proxy: the proxy connection (the next
                                        layer's socket, or bind_lower) is what accept takes over
                                        (bind_accept hook) */
    SOCKET bind_lower;               /* an IFS socket listening through the proxy: the proxy connection,
                                        a separate socket of the next layer (the application's handle
                                        is the next layer's own socket and does not listen);
                                        INVALID_SOCKET otherwise */
    struct sockaddr_storage local;
    int local_len;
};

/* hs_state: the proxy handshake of a non-blocking socket runs in the thread pool; until it ends the
 * socket is neither readable nor writable, its event select is held back and its I/O fails with
 * WSAENOTCONN (a second connect: WSAEALREADY). */
#define LSP_HS_NONE 0
#define LSP_HS_PENDING 1
#define LSP_HS_DONE 2
#define LSP_HS_FAILED 3

/* What an LSP plugs into the layer. Every member may be NULL. */
struct lsp_hooks
{
    const char *name;
    /* The first WSPStartup of the process (configuration is read here). */
    void (*startup)(void);
    /* The last WSPCleanup. */
    void (*cleanup)(void);
    /* Trace sink: when it is set and lsp_trace_enabled is TRUE, the layer formats one line per call
     * (function, socket, arguments, result, error, byte counts) and hands it here. */
    void (*trace)(const char *line, size_t len);
    /* Connection redirection (WSPConnect and ConnectEx of stream sockets): when it returns TRUE,
     * the layer connects the next layer's socket to *via instead of name, then calls handshake,
     * which talks to *via over the connected socket (lsp_lower_send_all / lsp_lower_recv_all) and
     * returns 0 or a WSA error; the socket then reports name as its peer. */
    BOOL (*redirect)(struct lsp_sock *ls, const struct sockaddr *name, int namelen, struct sockaddr_storage *via,
                     int *via_len);
    int (*handshake)(struct lsp_sock *ls, const struct sockaddr *name, int namelen);
    /* Datagram sockets (SOCK_DGRAM) the LSP handles itself (a SOCKS UDP association): each returns 0
     * or a WSA error with *handled TRUE, or leaves *handled FALSE and the call goes down as it is.
     * dgram_connect: WSPConnect (the default peer; getpeername reports ls->peer when the hook sets
     * ls->redirected). dgram_send: WSPSend (to NULL: the default peer) / WSPSendTo, *sent the
     * application's bytes. dgram_recv: WSPRecv / WSPRecvFrom (from may be NULL), blocking as the
     * socket is (ls->nonblocking). Overlapped requests (see dgram_owned) on non-IFS sockets: a send runs
     * in the call, a receive in the thread pool; on IFS sockets they fail with WSAEOPNOTSUPP (only
     * the kernel can complete an IFS socket's OVERLAPPED). */
    int (*dgram_connect)(struct lsp_sock *ls, const struct sockaddr *name, int namelen, BOOL *handled);
    int (*dgram_send)(struct lsp_sock *ls, const WSABUF *bufs, DWORD n, DWORD flags, const struct sockaddr *to,
                      int tolen, DWORD *sent, BOOL *handled);
    int (*dgram_recv)(struct lsp_sock *ls, WSABUF *bufs, DWORD n, DWORD *flags, struct sockaddr *from, int *fromlen,
                      DWORD *got, BOOL *handled);
    /* For overlapped requests: whether dgram_send (to that target, NULL: the default peer) or
     * dgram_recv would handle the call. */
    BOOL (*dgram_owned)(struct lsp_sock *ls, BOOL send, const struct sockaddr *to, int tolen);
    /* Listening through a proxy (stream sockets): listen sets *handled and, on success,
     * ls->proxy_bound, ls->bind_listening and ls->local (what getsockname reports), with the proxy
     * connection made through lsp_lower_* after lsp_listen_socket; bind_accept then waits for (the
     * connection is readable) and reads the proxy's report of the incoming connection: 0 with its
     * peer address, or a WSA error. WSPAccept gives the application a socket over that connection
     * (one connection per BIND): a non-IFS listener's next-layer socket is replaced by a fresh,
     * unbound one; an IFS listener's separate proxy connection (bind_lower) becomes the accepted
     * socket and the listener keeps its own, which never listened. */
    int (*listen)(struct lsp_sock *ls, int backlog, BOOL *handled);
    int (*bind_accept)(struct lsp_sock *ls, struct sockaddr_storage *peer, int *peer_len);
    /* The socket is being closed (after the next layer's socket; requests of the layer may still
     * run on it). */
    void (*closed)(struct lsp_sock *ls);
    /* The socket's last reference is gone: free hook_data. */
    void (*freed)(struct lsp_sock *ls);
};

extern const struct lsp_hooks lsp_hooks;  /* defined by the LSP DLL */
extern BOOL lsp_trace_enabled;             /* set by the LSP's startup hook */

/* The LSP's exported WSPStartup calls this. */
int lsp_layer_startup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE upcalls,
                      LPWSPPROC_TABLE procs);

/* Formats and emits one trace line ("<lsp name> pid=<p> tid=<t> <text>"): to the trace hook when
 * lsp_trace_enabled, and to the trace library's channel lsp when that is on (OPENWS2_TRACE=lsp). */
void lsp_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An address for traces: the trace library's text (trace_sockaddr_text: "a.b.c.d:port", "[v6]:port"). */
const char *lsp_addr_str(const struct sockaddr *sa, int len, char *buf, size_t size);

/* For the listen hook, before it works on the next layer's socket: on an IFS socket, makes the
 * separate socket of the next layer the proxy conversation runs on (ls->bind_lower; the lsp_lower_*
 * calls below then use it); nothing on a non-IFS socket. 0 or a WSA error. The layer closes it
 * when the hook does not handle listen or fails. */
int lsp_listen_socket(struct lsp_sock *ls);

/* Blocking-style I/O on the next layer's socket of ls (an IFS listener's: its proxy connection,
 * bind_lower), whatever its mode (non-blocking sockets are
 * waited for with the next layer's WSPSelect): 0 or a WSA error (WSAETIMEDOUT after timeout_ms). */
int lsp_lower_connect(struct lsp_sock *ls, const struct sockaddr *to, int len, DWORD timeout_ms);
int lsp_lower_send_all(struct lsp_sock *ls, const void *buf, int len, DWORD timeout_ms);
int lsp_lower_recv_all(struct lsp_sock *ls, void *buf, int len, DWORD timeout_ms);
/* A socket option of the next layer's socket (WSPSetSockOpt's return value and error). */
int lsp_lower_setsockopt(struct lsp_sock *ls, int level, int optname, const char *optval, int optlen, int *err);
/* Synchronous calls on the next layer's socket of ls (its WSP* return value, *err on failure). */
int lsp_lower_getsockname(struct lsp_sock *ls, struct sockaddr *name, int *len, int *err);
int lsp_lower_bind(struct lsp_sock *ls, const struct sockaddr *name, int len, int *err);
int lsp_lower_sendto(struct lsp_sock *ls, WSABUF *bufs, DWORD n, DWORD *sent, DWORD flags, const struct sockaddr *to,
                     int tolen, int *err);
int lsp_lower_recvfrom(struct lsp_sock *ls, WSABUF *bufs, DWORD n, DWORD *got, DWORD *flags, struct sockaddr *from,
                       int *fromlen, int *err);
/* Waits until the next layer's socket is readable (write FALSE) or writable (TRUE): 0, WSAETIMEDOUT
 * or another WSA error. */
int lsp_lower_wait(struct lsp_sock *ls, BOOL write, DWORD timeout_ms);

/* Configuration helpers (HKLM): a string value (REG_SZ/REG_EXPAND_SZ expanded, bounded), a DWORD,
 * and whether the current process is listed in the REG_MULTI_SZ value "Processes" of key ("*"
 * matches every process; otherwise an entry matches the executable's file name or its full path,
 * case-insensitively). */
BOOL lsp_config_string(const char *key, const char *value, WCHAR *out, DWORD chars);
BOOL lsp_config_dword(const char *key, const char *value, DWORD *out);
BOOL lsp_config_process_listed(const char *key);

#endif
