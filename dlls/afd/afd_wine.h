/* afd_wine.h - openws2afd's one window onto Wine's private socket protocol: the \Device\Afd ioctls
 * of Wine 8.0 to 11.x (the codes, the request layouts, the poll/event bits, which Wine versions speak
 * them), written from the published facts of Wine's include/wine/afd.h and server. Everything
 * Wine-specific the base provider needs goes through the functions declared here (afd_wine.c);
 * nothing else in dlls/afd knows an ioctl code or a Wine version.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_AFD_WINE_H
#define OPENWS2_AFD_WINE_H

#include "ws2_common.h"
#include <winternl.h>

/* Poll / network-event bits of Wine's AFD (IOCTL_AFD_POLL, IOCTL_AFD_GET_EVENTS, event select). */
#define AFDW_POLL_READ         0x0001
#define AFDW_POLL_OOB          0x0002
#define AFDW_POLL_WRITE        0x0004
#define AFDW_POLL_HUP          0x0008
#define AFDW_POLL_RESET        0x0010
#define AFDW_POLL_CLOSE        0x0020
#define AFDW_POLL_CONNECT      0x0040
#define AFDW_POLL_ACCEPT       0x0080
#define AFDW_POLL_CONNECT_ERR  0x0100
/* Bit indexes into afdw_events.status[] */
enum { AFDW_BIT_READ, AFDW_BIT_OOB, AFDW_BIT_WRITE, AFDW_BIT_HUP, AFDW_BIT_RESET, AFDW_BIT_CLOSE,
       AFDW_BIT_CONNECT, AFDW_BIT_ACCEPT, AFDW_BIT_CONNECT_ERR, AFDW_BIT_COUNT = 13 };

/* How an ioctl completes: the event to signal, the NT APC to queue, the completion-port key, and
 * the IO_STATUS_BLOCK receiving the result (for overlapped calls: the WSAOVERLAPPED itself). */
struct afd_io
{
    HANDLE event;
    PIO_APC_ROUTINE apc;
    void *apc_context;
    IO_STATUS_BLOCK *iosb;
};

/* One entry of a poll request (native pointer size). */
struct afdw_poll_entry
{
    SOCKET socket;
    int flags;    /* in: AFDW_POLL_* wanted; out: AFDW_POLL_* signalled */
    int status;
};

struct afdw_events
{
    int flags;                   /* AFDW_POLL_* pending */
    int status[AFDW_BIT_COUNT];  /* NTSTATUS per bit */
};

/* Which Wine openws2afd runs on, by the version ntdll's wine_get_version() reports (see docs/STATUS.md,
 * "Wine support"): */
enum afdw_wine
{
    AFDW_WINE_NONE,    /* not Wine (no wine_get_version): refused */
    AFDW_WINE_OLD,     /* older than 8.0 (6.x's AFD protocol differs, 7.x's is unverified): refused */
    AFDW_WINE_KNOWN,   /* 8.x to 11.x: the protocol afd_wine.c was written from */
    AFDW_WINE_NEWER,   /* 12.0 or later, or a version text that does not parse: runs (and traces it) */
};

/* Classifies a wine_get_version() text (NULL: not Wine). Pure: no system call. */
static inline enum afdw_wine afdw_classify_version(const char *v)
{
    unsigned int major = 0;
    int digits = 0;

    if (!v) return AFDW_WINE_NONE;
    /* "8.0", "8.0.2", "10.0", "9.0-rc3", "9.22 (Staging)", "10.0-123-gabcdef": the leading major number */
    while (*v >= '0' && *v <= '9' && digits < 6)
    {
        major = major * 10 + (unsigned int)(*v++ - '0');
        digits++;
    }
    if (!digits || (*v && *v != '.' && *v != '-' && *v != ' ')) return AFDW_WINE_NEWER;
    if (major < 8) return AFDW_WINE_OLD;
    if (major <= 11) return AFDW_WINE_KNOWN;
    return AFDW_WINE_NEWER;
}

/* The Wine this process runs on: its class, and its wine_get_version() text in version ("" when not
 * running on Wine). */
enum afdw_wine afdw_wine_version(char *version, size_t size);

/* Opens \Device\Afd and initialises it as a socket (family/type/protocol as Winsock numbers).
 * overlapped: FALSE opens it for synchronous I/O. inherit: handle inheritable. */
NTSTATUS afdw_create(int family, int type, int protocol, BOOL overlapped, BOOL inherit, HANDLE *out);

/* Socket operations. io NULL: synchronous on the calling thread (waits while pending;
 * alertable for receives and polls). Otherwise completion through io (may return STATUS_PENDING). */
NTSTATUS afdw_bind(HANDLE s, const struct sockaddr *addr, int len, struct sockaddr *bound, int bound_len);
NTSTATUS afdw_listen(HANDLE s, int backlog);
NTSTATUS afdw_accept(HANDLE s, HANDLE *accepted);
NTSTATUS afdw_accept_into(HANDLE listener, HANDLE acceptor, void *buffer, DWORD recv_len, DWORD local_len,
                          DWORD remote_len, const struct afd_io *io);
/* synchronous: connect() semantics (WSAEWOULDBLOCK on non-blocking sockets); otherwise ConnectEx. */
NTSTATUS afdw_connect(HANDLE s, const struct sockaddr *addr, int len, const void *data, DWORD data_len,
                      BOOL synchronous, const struct afd_io *io);
NTSTATUS afdw_shutdown(HANDLE s, int how, const struct afd_io *io);
NTSTATUS afdw_getsockname(HANDLE s, struct sockaddr *addr, int len, ULONG_PTR *ret_len);
NTSTATUS afdw_getpeername(HANDLE s, struct sockaddr *addr, int len, ULONG_PTR *ret_len);
/* flags: in/out (MSG_PEEK, MSG_OOB in; MSG_CTRUNC... out); must stay valid until completion. */
NTSTATUS afdw_recvmsg(HANDLE s, WSABUF *bufs, DWORD count, DWORD *flags, struct sockaddr *from, int *fromlen,
                      WSABUF *control, BOOL force_async, const struct afd_io *io, ULONG_PTR *bytes);
NTSTATUS afdw_sendmsg(HANDLE s, const WSABUF *bufs, DWORD count, DWORD flags, const struct sockaddr *to, int tolen,
                      BOOL force_async, const struct afd_io *io, ULONG_PTR *bytes);
NTSTATUS afdw_transmit(HANDLE s, HANDLE file, DWORD file_len, DWORD buffer_size, LONGLONG offset,
                       const void *head, DWORD head_len, const void *tail, DWORD tail_len, DWORD flags,
                       const struct afd_io *io);
/* Completes io at once with status (used to report synchronous results through overlapped
 * machinery: event, APC, completion port). */
NTSTATUS afdw_complete_async(HANDLE s, NTSTATUS status, const struct afd_io *io);
/* timeout: 100ns units, negative relative, INT64 max = infinite. The signalled entries (*signalled of
 * them) are written back to the start of entries. */
NTSTATUS afdw_poll(HANDLE any, struct afdw_poll_entry *entries, unsigned int count, LONGLONG timeout,
                   unsigned int *signalled);
/* The same without a copy: entries from afdw_poll_alloc (room for the request's header before them),
 * polled in place; freed with afdw_poll_free. */
struct afdw_poll_entry *afdw_poll_alloc(unsigned int count);
void afdw_poll_free(struct afdw_poll_entry *entries);
NTSTATUS afdw_poll_in_place(HANDLE any, struct afdw_poll_entry *entries, unsigned int count, LONGLONG timeout,
                            unsigned int *signalled);
NTSTATUS afdw_event_select(HANDLE s, HANDLE event, int afd_mask);
NTSTATUS afdw_message_select(HANDLE s, HWND window, UINT message, int afd_mask);
NTSTATUS afdw_get_events(HANDLE s, struct afdw_events *events);
NTSTATUS afdw_get_info(HANDLE s, int *family, int *type, int *protocol);
NTSTATUS afdw_fionbio(HANDLE s, BOOL nonblocking);
NTSTATUS afdw_fionread(HANDLE s, ULONG *avail);
NTSTATUS afdw_siocatmark(HANDLE s, BOOL *at_mark);
NTSTATUS afdw_keepalive_vals(HANDLE s, const void *tcp_keepalive, DWORD len);
/* INTERFACE_INFO array; *ret_len bytes written. STATUS_BUFFER_TOO_SMALL when out is too small. */
/* io: overlapped (the request may stay pending, as on Windows); NULL: waits */
NTSTATUS afdw_interface_list(HANDLE s, const struct afd_io *io, void *out, DWORD out_len, ULONG_PTR *ret_len);
NTSTATUS afdw_address_list_change(HANDLE s, BOOL force_async, const struct afd_io *io);
/* A deferred accept (CF_DEFER from the condition function): hands the pending connection back. */
NTSTATUS afdw_defer(HANDLE listener, HANDLE accepted);

/* Socket options Wine's AFD implements. Returns FALSE when this Wine has no ioctl for that option
 * (the TCP_KEEPALIVE/KEEPCNT/KEEPINTVL ioctls exist from Wine 10.0 on: found by asking Wine once). */
BOOL afdw_has_option(int level, int optname, BOOL set);
NTSTATUS afdw_get_option(HANDLE s, int level, int optname, void *value, int len, ULONG_PTR *ret_len);
NTSTATUS afdw_set_option(HANDLE s, int level, int optname, const void *value, int len);

#endif
