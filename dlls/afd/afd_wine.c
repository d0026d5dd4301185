/* afd_wine.c - Wine's private \Device\Afd protocol, as the base provider speaks it: the ioctl
 * codes and request layouts (our own definitions of the facts published in Wine's
 * include/wine/afd.h: the same from Wine 8.0 to 11.x, later versions only appending codes), socket
 * creation (NtOpenFile on \Device\Afd + the CREATE ioctl), the runtime Wine version check and the
 * detection of the ioctls only newer Wines have. No other file of openws2afd knows a Wine ioctl code.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <winternl.h>
#include <ntstatus.h>
#include <mstcpip.h>
#include "afd_wine.h"
#include "wine_compat.h"
#include "afd_private.h"

/* ---- ioctl codes ---- */
#define AFDW_CTL(dev, fn, method) (((ULONG)(dev) << 16) | ((ULONG)(fn) << 2) | (ULONG)(method))
#define AFDW_DEV_BEEP     0x0001
#define AFDW_DEV_NETWORK  0x0012
#define AFDW_BUFFERED     0
#define AFDW_NEITHER      3

#define AFDW_IOCTL_BIND         AFDW_CTL(AFDW_DEV_BEEP, 0x800, AFDW_NEITHER)
#define AFDW_IOCTL_LISTEN       AFDW_CTL(AFDW_DEV_BEEP, 0x802, AFDW_NEITHER)
#define AFDW_IOCTL_POLL         AFDW_CTL(AFDW_DEV_BEEP, 0x809, AFDW_BUFFERED)
#define AFDW_IOCTL_GETSOCKNAME  AFDW_CTL(AFDW_DEV_BEEP, 0x80b, AFDW_NEITHER)
#define AFDW_IOCTL_EVENT_SELECT AFDW_CTL(AFDW_DEV_BEEP, 0x821, AFDW_NEITHER)
#define AFDW_IOCTL_GET_EVENTS   AFDW_CTL(AFDW_DEV_BEEP, 0x822, AFDW_NEITHER)

/* Wine's own ioctls: function numbers 200.. on FILE_DEVICE_NETWORK, buffered. */
#define AFDW_WINE(n) AFDW_CTL(AFDW_DEV_NETWORK, (n), AFDW_BUFFERED)
enum
{
    W_CREATE = 200, W_ACCEPT, W_ACCEPT_INTO, W_CONNECT, W_SHUTDOWN, W_RECVMSG, W_SENDMSG, W_TRANSMIT,
    W_ADDRESS_LIST_CHANGE, W_FIONBIO, W_COMPLETE_ASYNC, W_FIONREAD, W_SIOCATMARK, W_GET_INTERFACE_LIST,
    W_KEEPALIVE_VALS, W_MESSAGE_SELECT, W_GETPEERNAME, W_DEFER, W_GET_INFO,
    W_GET_SO_ACCEPTCONN = 219, W_GET_SO_BROADCAST, W_SET_SO_BROADCAST, W_GET_SO_ERROR,
    W_GET_SO_KEEPALIVE, W_SET_SO_KEEPALIVE, W_GET_SO_LINGER, W_SET_SO_LINGER, W_GET_SO_OOBINLINE,
    W_SET_SO_OOBINLINE, W_SET_SO_RCVBUF, W_GET_SO_RCVBUF, W_SET_SO_RCVTIMEO, W_GET_SO_RCVTIMEO,
    W_GET_SO_REUSEADDR, W_SET_SO_REUSEADDR, W_SET_SO_SNDBUF, W_GET_SO_SNDBUF, W_GET_SO_SNDTIMEO,
    W_SET_SO_SNDTIMEO, W_SET_IP_ADD_MEMBERSHIP, W_SET_IP_ADD_SOURCE_MEMBERSHIP, W_SET_IP_BLOCK_SOURCE,
    W_GET_IP_DONTFRAGMENT, W_SET_IP_DONTFRAGMENT, W_SET_IP_DROP_MEMBERSHIP,
    W_SET_IP_DROP_SOURCE_MEMBERSHIP, W_GET_IP_HDRINCL, W_SET_IP_HDRINCL, W_GET_IP_MULTICAST_IF,
    W_SET_IP_MULTICAST_IF, W_GET_IP_MULTICAST_LOOP, W_SET_IP_MULTICAST_LOOP, W_GET_IP_MULTICAST_TTL,
    W_SET_IP_MULTICAST_TTL, W_GET_IP_OPTIONS, W_SET_IP_OPTIONS, W_GET_IP_PKTINFO, W_SET_IP_PKTINFO,
    W_GET_IP_TOS, W_SET_IP_TOS, W_GET_IP_TTL, W_SET_IP_TTL, W_SET_IP_UNBLOCK_SOURCE,
    W_GET_IP_UNICAST_IF, W_SET_IP_UNICAST_IF, W_SET_IPV6_ADD_MEMBERSHIP, W_GET_IPV6_DONTFRAG,
    W_SET_IPV6_DONTFRAG, W_SET_IPV6_DROP_MEMBERSHIP, W_GET_IPV6_MULTICAST_HOPS,
    W_SET_IPV6_MULTICAST_HOPS, W_GET_IPV6_MULTICAST_IF, W_SET_IPV6_MULTICAST_IF,
    W_GET_IPV6_MULTICAST_LOOP, W_SET_IPV6_MULTICAST_LOOP, W_GET_IPV6_UNICAST_HOPS,
    W_SET_IPV6_UNICAST_HOPS, W_GET_IPV6_UNICAST_IF, W_SET_IPV6_UNICAST_IF, W_GET_IPV6_V6ONLY,
    W_SET_IPV6_V6ONLY, W_GET_IPX_PTYPE, W_SET_IPX_PTYPE, W_GET_IRLMP_ENUMDEVICES, W_GET_TCP_NODELAY,
    W_SET_TCP_NODELAY, W_GET_IPV6_RECVHOPLIMIT, W_SET_IPV6_RECVHOPLIMIT, W_GET_IPV6_RECVPKTINFO,
    W_SET_IPV6_RECVPKTINFO, W_GET_IPV6_RECVTCLASS, W_SET_IPV6_RECVTCLASS, W_GET_SO_CONNECT_TIME,
    W_GET_IP_RECVTTL, W_SET_IP_RECVTTL, W_GET_IP_RECVTOS, W_SET_IP_RECVTOS, W_GET_SO_EXCLUSIVEADDRUSE,
    W_SET_SO_EXCLUSIVEADDRUSE,
    /* appended in Wine 10.0 (Wine 8.0's server answers STATUS_NOT_SUPPORTED to them) */
    W_GET_TCP_KEEPALIVE = 299, W_SET_TCP_KEEPALIVE, W_GET_TCP_KEEPCNT, W_SET_TCP_KEEPCNT,
    W_GET_TCP_KEEPINTVL, W_SET_TCP_KEEPINTVL,
};
_Static_assert(W_SET_SO_EXCLUSIVEADDRUSE == 298, "Wine's AFD ioctl numbering");

/* ---- request layouts (sizes fixed by Wine's protocol) ---- */
struct afdw_create_params { int family, type, protocol; unsigned int flags; };
struct afdw_listen_params { int unknown1; int backlog; int unknown2; };
struct afdw_accept_into_params { ULONG accept_handle; unsigned int recv_len, local_len; };
struct afdw_connect_params { int addr_len; int synchronous; /* then the address, then data */ };
struct afdw_recvmsg_params
{
    ULONGLONG control_ptr, addr_ptr, addr_len_ptr, ws_flags_ptr;
    int force_async;
    unsigned int count;
    ULONGLONG buffers_ptr;
};
struct afdw_sendmsg_params
{
    ULONGLONG addr_ptr;
    unsigned int addr_len, ws_flags;
    int force_async;
    unsigned int count;
    ULONGLONG buffers_ptr;
};
struct afdw_transmit_params
{
    LARGE_INTEGER offset;
    ULONGLONG head_ptr, tail_ptr;
    DWORD head_len, tail_len;
    ULONG file;
    DWORD file_len, buffer_size, flags;
};
struct afdw_message_select_params { ULONG handle; ULONG window; unsigned int message; int mask; };
struct afdw_event_select_params { HANDLE event; int mask; };
struct afdw_get_info_params { int family, type, protocol; };
#pragma pack(push, 4)
struct afdw_poll_header { LONGLONG timeout; unsigned int count; BOOLEAN exclusive; BOOLEAN padding[3]; };
#pragma pack(pop)

_Static_assert(sizeof(struct afdw_create_params) == 16, "create params");
_Static_assert(sizeof(struct afdw_listen_params) == 12, "listen params");
_Static_assert(sizeof(struct afdw_accept_into_params) == 12, "accept_into params");
_Static_assert(sizeof(struct afdw_connect_params) == 8, "connect params");
_Static_assert(sizeof(struct afdw_recvmsg_params) == 48, "recvmsg params");
_Static_assert(sizeof(struct afdw_sendmsg_params) == 32, "sendmsg params");
_Static_assert(sizeof(struct afdw_transmit_params) == 48, "transmit params");
_Static_assert(sizeof(struct afdw_message_select_params) == 16, "message_select params");
_Static_assert(sizeof(struct afdw_poll_header) == 16, "poll header");
_Static_assert(sizeof(struct afdw_events) == 56, "get_events params");
_Static_assert(sizeof(struct afdw_poll_entry) == (sizeof(void *) == 8 ? 16 : 12), "poll entry");

#define AFDW_PTR(p) ((ULONGLONG)(ULONG_PTR)(p))

_Static_assert(AFDW_WINE(W_COMPLETE_ASYNC) == WINE_COMPAT_AFD_IOCTL(WINE_COMPAT_AFD_COMPLETE_ASYNC),
               "one encoding of Wine's AFD ioctls (include/wine_compat.h)");
_Static_assert(AFDW_WINE(W_GET_SO_RCVBUF) == WINE_COMPAT_AFD_IOCTL(WINE_COMPAT_AFD_GET_SO_RCVBUF),
               "wine_compat.h's GET_SO_RCVBUF is the table's");

enum afdw_wine afdw_wine_version(char *version, size_t size)
{
    const char *v = wine_compat_version();

    if (size) version[0] = 0;
    if (v && size)
    {
        size_t n = strlen(v);
        if (n >= size) n = size - 1;
        memcpy(version, v, n);
        version[n] = 0;
    }
    return afdw_classify_version(v);
}

/* One ioctl: synchronous (io NULL: the thread's event, waited for) or through io. */
static NTSTATUS afdw_call(HANDLE s, const struct afd_io *io, BOOL alertable, ULONG code, void *in, ULONG in_len,
                          void *out, ULONG out_len, ULONG_PTR *info)
{
    IO_STATUS_BLOCK local;
    NTSTATUS status;

    if (io)
    {
        status = NtDeviceIoControlFile(s, io->event, io->apc, io->apc_context, io->iosb, code, in, in_len,
                                       out, out_len);
        if (info && status != STATUS_PENDING && !NT_ERROR(status)) *info = io->iosb->Information;
        return status;
    }

    {
        HANDLE event = afd_event_acquire();
        if (!event) return STATUS_NO_MEMORY;
        local.Status = STATUS_PENDING;
        local.Information = 0;
        status = NtDeviceIoControlFile(s, event, NULL, NULL, &local, code, in, in_len, out, out_len);
        if (status == STATUS_PENDING)
        {
            DWORD w;
            while ((w = WaitForSingleObjectEx(event, INFINITE, alertable)) == WAIT_IO_COMPLETION)
                ;
            if (w == WAIT_FAILED)
            {
                /* the request still refers to local: it must not outlive this frame */
                CancelIoEx(s, (OVERLAPPED *)&local);
                WaitForSingleObject(event, INFINITE);
                afd_event_release(event);
                return STATUS_UNSUCCESSFUL;
            }
            status = local.Status;
        }
        afd_event_release(event);
        if (info) *info = local.Information;
        return status;
    }
}

NTSTATUS afdw_create(int family, int type, int protocol, BOOL overlapped, BOOL inherit, HANDLE *out)
{
    static WCHAR device[] = L"\\Device\\Afd";
    struct afdw_create_params params;
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES attr;
    IO_STATUS_BLOCK iosb;
    NTSTATUS status;
    HANDLE h;

    *out = NULL;
    name.Buffer = device;
    name.Length = (USHORT)(sizeof(device) - sizeof(WCHAR));
    name.MaximumLength = (USHORT)sizeof(device);
    memset(&attr, 0, sizeof(attr));
    attr.Length = sizeof(attr);
    attr.ObjectName = &name;
    attr.Attributes = inherit ? OBJ_INHERIT : 0;
    status = NtOpenFile(&h, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, &attr, &iosb, 0,
                        overlapped ? 0 : FILE_SYNCHRONOUS_IO_NONALERT);
    if (status) return status;

    params.family = family;
    params.type = type;
    params.protocol = protocol;
    params.flags = 0;
    status = NtDeviceIoControlFile(h, NULL, NULL, NULL, &iosb, AFDW_WINE(W_CREATE), &params, sizeof(params),
                                   NULL, 0);
    if (status)
    {
        NtClose(h);
        return status;
    }
    *out = h;
    return STATUS_SUCCESS;
}

NTSTATUS afdw_bind(HANDLE s, const struct sockaddr *addr, int len, struct sockaddr *bound, int bound_len)
{
    unsigned char *params;
    NTSTATUS status;

    if (len <= 0 || bound_len < len) return STATUS_INVALID_PARAMETER;
    if (!(params = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(int) + (SIZE_T)len)))
        return STATUS_NO_MEMORY;
    memcpy(params + sizeof(int), addr, (size_t)len);
    status = afdw_call(s, NULL, FALSE, AFDW_IOCTL_BIND, params, sizeof(int) + (ULONG)len, bound, (ULONG)len, NULL);
    HeapFree(GetProcessHeap(), 0, params);
    return status;
}

NTSTATUS afdw_listen(HANDLE s, int backlog)
{
    struct afdw_listen_params params = { 0, backlog, 0 };
    return afdw_call(s, NULL, FALSE, AFDW_IOCTL_LISTEN, &params, sizeof(params), NULL, 0, NULL);
}

NTSTATUS afdw_accept(HANDLE s, HANDLE *accepted)
{
    ULONG handle = 0;
    NTSTATUS status = afdw_call(s, NULL, TRUE, AFDW_WINE(W_ACCEPT), NULL, 0, &handle, sizeof(handle), NULL);
    *accepted = status ? NULL : (HANDLE)(ULONG_PTR)handle;
    return status;
}

NTSTATUS afdw_accept_into(HANDLE listener, HANDLE acceptor, void *buffer, DWORD recv_len, DWORD local_len,
                          DWORD remote_len, const struct afd_io *io)
{
    struct afdw_accept_into_params params;
    ULONG total = recv_len + local_len + remote_len;

    params.accept_handle = (ULONG)(ULONG_PTR)acceptor;
    params.recv_len = recv_len;
    params.local_len = local_len;
    return afdw_call(listener, io, TRUE, AFDW_WINE(W_ACCEPT_INTO), &params, sizeof(params), buffer, total, NULL);
}

NTSTATUS afdw_connect(HANDLE s, const struct sockaddr *addr, int len, const void *data, DWORD data_len,
                      BOOL synchronous, const struct afd_io *io)
{
    struct afdw_connect_params *params;
    SIZE_T size = sizeof(*params) + (SIZE_T)len + data_len;
    NTSTATUS status;

    if (len < 0) return STATUS_INVALID_PARAMETER;
    if (!(params = HeapAlloc(GetProcessHeap(), 0, size))) return STATUS_NO_MEMORY;
    params->addr_len = len;
    params->synchronous = synchronous;
    memcpy(params + 1, addr, (size_t)len);
    if (data_len) memcpy((char *)(params + 1) + len, data, data_len);
    status = afdw_call(s, io, TRUE, AFDW_WINE(W_CONNECT), params, (ULONG)size, NULL, 0, NULL);
    HeapFree(GetProcessHeap(), 0, params);
    return status;
}

NTSTATUS afdw_shutdown(HANDLE s, int how, const struct afd_io *io)
{
    return afdw_call(s, io, FALSE, AFDW_WINE(W_SHUTDOWN), &how, sizeof(how), NULL, 0, NULL);
}

NTSTATUS afdw_getsockname(HANDLE s, struct sockaddr *addr, int len, ULONG_PTR *ret_len)
{
    return afdw_call(s, NULL, FALSE, AFDW_IOCTL_GETSOCKNAME, NULL, 0, addr, (ULONG)len, ret_len);
}

NTSTATUS afdw_getpeername(HANDLE s, struct sockaddr *addr, int len, ULONG_PTR *ret_len)
{
    return afdw_call(s, NULL, FALSE, AFDW_WINE(W_GETPEERNAME), NULL, 0, addr, (ULONG)len, ret_len);
}

NTSTATUS afdw_recvmsg(HANDLE s, WSABUF *bufs, DWORD count, DWORD *flags, struct sockaddr *from, int *fromlen,
                      WSABUF *control, BOOL force_async, const struct afd_io *io, ULONG_PTR *bytes)
{
    struct afdw_recvmsg_params params;

    params.control_ptr = AFDW_PTR(control);
    params.addr_ptr = AFDW_PTR(from);
    params.addr_len_ptr = AFDW_PTR(fromlen);
    params.ws_flags_ptr = AFDW_PTR(flags);
    params.force_async = force_async;
    params.count = count;
    params.buffers_ptr = AFDW_PTR(bufs);
    return afdw_call(s, io, TRUE, AFDW_WINE(W_RECVMSG), &params, sizeof(params), NULL, 0, bytes);
}

NTSTATUS afdw_sendmsg(HANDLE s, const WSABUF *bufs, DWORD count, DWORD flags, const struct sockaddr *to, int tolen,
                      BOOL force_async, const struct afd_io *io, ULONG_PTR *bytes)
{
    struct afdw_sendmsg_params params;

    params.addr_ptr = AFDW_PTR(to);
    params.addr_len = to ? (unsigned int)tolen : 0;
    params.ws_flags = flags;
    params.force_async = force_async;
    params.count = count;
    params.buffers_ptr = AFDW_PTR(bufs);
    return afdw_call(s, io, FALSE, AFDW_WINE(W_SENDMSG), &params, sizeof(params), NULL, 0, bytes);
}

NTSTATUS afdw_transmit(HANDLE s, HANDLE file, DWORD file_len, DWORD buffer_size, LONGLONG offset,
                       const void *head, DWORD head_len, const void *tail, DWORD tail_len, DWORD flags,
                       const struct afd_io *io)
{
    struct afdw_transmit_params params;

    memset(&params, 0, sizeof(params));
    params.offset.QuadPart = offset;
    params.head_ptr = AFDW_PTR(head);
    params.head_len = head_len;
    params.tail_ptr = AFDW_PTR(tail);
    params.tail_len = tail_len;
    params.file = (ULONG)(ULONG_PTR)file;
    params.file_len = file_len;
    params.buffer_size = buffer_size;
    params.flags = flags;
    return afdw_call(s, io, FALSE, AFDW_WINE(W_TRANSMIT), &params, sizeof(params), NULL, 0, NULL);
}

NTSTATUS afdw_complete_async(HANDLE s, NTSTATUS status, const struct afd_io *io)
{
    return afdw_call(s, io, FALSE, AFDW_WINE(W_COMPLETE_ASYNC), &status, sizeof(status), NULL, 0, NULL);
}

/* The poll request: its header, then the entries (struct afdw_poll_block), polled in place. */
struct afdw_poll_block
{
    struct afdw_poll_header hdr;
    struct afdw_poll_entry entries[1];
};
_Static_assert(offsetof(struct afdw_poll_block, entries) == sizeof(struct afdw_poll_header), "poll block");

static struct afdw_poll_block *afdw_poll_block_of(struct afdw_poll_entry *entries)
{
    return (struct afdw_poll_block *)((char *)entries - offsetof(struct afdw_poll_block, entries));
}

struct afdw_poll_entry *afdw_poll_alloc(unsigned int count)
{
    struct afdw_poll_block *b;

    if (!count || count > (0x7fffffff - sizeof(b->hdr)) / sizeof(b->entries[0])) return NULL;
    if (!(b = HeapAlloc(GetProcessHeap(), 0, sizeof(b->hdr) + (SIZE_T)count * sizeof(b->entries[0])))) return NULL;
    return b->entries;
}

void afdw_poll_free(struct afdw_poll_entry *entries)
{
    if (entries) HeapFree(GetProcessHeap(), 0, afdw_poll_block_of(entries));
}

NTSTATUS afdw_poll_in_place(HANDLE any, struct afdw_poll_entry *entries, unsigned int count, LONGLONG timeout,
                            unsigned int *signalled)
{
    struct afdw_poll_block *b = afdw_poll_block_of(entries);
    ULONG size;
    NTSTATUS status;

    *signalled = 0;
    if (!count) return STATUS_INVALID_PARAMETER;
    size = (ULONG)(sizeof(b->hdr) + (SIZE_T)count * sizeof(b->entries[0]));
    memset(&b->hdr, 0, sizeof(b->hdr));
    b->hdr.timeout = timeout;
    b->hdr.count = count;
    status = afdw_call(any, NULL, TRUE, AFDW_IOCTL_POLL, b, size, b, size, NULL);
    if (status == STATUS_TIMEOUT) status = STATUS_SUCCESS;
    /* The reply lists only the signalled sockets, at the start of the entries. */
    if (!status) *signalled = b->hdr.count <= count ? b->hdr.count : count;
    return status;
}

NTSTATUS afdw_poll(HANDLE any, struct afdw_poll_entry *entries, unsigned int count, LONGLONG timeout,
                   unsigned int *signalled)
{
    struct afdw_poll_block one;
    struct afdw_poll_entry *e = count == 1 ? one.entries : afdw_poll_alloc(count);
    NTSTATUS status;
    unsigned int i;

    *signalled = 0;
    if (!count) return STATUS_INVALID_PARAMETER;
    if (!e) return STATUS_NO_MEMORY;
    memcpy(e, entries, count * sizeof(*e));
    status = afdw_poll_in_place(any, e, count, timeout, signalled);
    for (i = 0; i < *signalled; i++) entries[i] = e[i];
    if (e != one.entries) afdw_poll_free(e);
    return status;
}

NTSTATUS afdw_event_select(HANDLE s, HANDLE event, int afd_mask)
{
    struct afdw_event_select_params params;
    params.event = event;
    params.mask = afd_mask;
    return afdw_call(s, NULL, FALSE, AFDW_IOCTL_EVENT_SELECT, &params, sizeof(params), NULL, 0, NULL);
}

NTSTATUS afdw_message_select(HANDLE s, HWND window, UINT message, int afd_mask)
{
    struct afdw_message_select_params params;
    params.handle = (ULONG)(ULONG_PTR)s;
    params.window = (ULONG)(ULONG_PTR)window;
    params.message = message;
    params.mask = afd_mask;
    return afdw_call(s, NULL, FALSE, AFDW_WINE(W_MESSAGE_SELECT), &params, sizeof(params), NULL, 0, NULL);
}

NTSTATUS afdw_get_events(HANDLE s, struct afdw_events *events)
{
    NTSTATUS status;

    memset(events, 0, sizeof(*events));
    status = afdw_call(s, NULL, FALSE, AFDW_IOCTL_GET_EVENTS, NULL, 0, events, sizeof(*events), NULL);
    /* For a reset Wine's server (8.0 and 10.0 seen: e2e fid_recv_edges) sets the flag with a zero
     * status; Windows reports FD_CLOSE with WSAECONNABORTED (Wine's conformance tests,
     * test_close_events; Wine 10's ws2_32 maps the flag so). Decided from the reply itself: a
     * status the server gives is kept. */
    if (!status && (events->flags & AFDW_POLL_RESET) && !events->status[AFDW_BIT_RESET])
        events->status[AFDW_BIT_RESET] = (int)STATUS_CONNECTION_ABORTED;
    return status;
}

NTSTATUS afdw_get_info(HANDLE s, int *family, int *type, int *protocol)
{
    struct afdw_get_info_params params = { 0, 0, 0 };
    NTSTATUS status = afdw_call(s, NULL, FALSE, AFDW_WINE(W_GET_INFO), NULL, 0, &params, sizeof(params), NULL);
    if (!status)
    {
        if (family) *family = params.family;
        if (type) *type = params.type;
        if (protocol) *protocol = params.protocol;
    }
    return status;
}

NTSTATUS afdw_fionbio(HANDLE s, BOOL nonblocking)
{
    int value = nonblocking ? 1 : 0;
    return afdw_call(s, NULL, FALSE, AFDW_WINE(W_FIONBIO), &value, sizeof(value), NULL, 0, NULL);
}

NTSTATUS afdw_fionread(HANDLE s, ULONG *avail)
{
    int value = 0;
    NTSTATUS status = afdw_call(s, NULL, FALSE, AFDW_WINE(W_FIONREAD), NULL, 0, &value, sizeof(value), NULL);
    *avail = status ? 0 : (ULONG)value;
    return status;
}

NTSTATUS afdw_siocatmark(HANDLE s, BOOL *at_mark)
{
    int value = 0;
    NTSTATUS status = afdw_call(s, NULL, FALSE, AFDW_WINE(W_SIOCATMARK), NULL, 0, &value, sizeof(value), NULL);
    *at_mark = !status && value;
    return status;
}

NTSTATUS afdw_keepalive_vals(HANDLE s, const void *tcp_keepalive, DWORD len)
{
    return afdw_call(s, NULL, FALSE, AFDW_WINE(W_KEEPALIVE_VALS), (void *)tcp_keepalive, len, NULL, 0, NULL);
}

NTSTATUS afdw_interface_list(HANDLE s, const struct afd_io *io, void *out, DWORD out_len, ULONG_PTR *ret_len)
{
    return afdw_call(s, io, FALSE, AFDW_WINE(W_GET_INTERFACE_LIST), NULL, 0, out, out_len, ret_len);
}

NTSTATUS afdw_address_list_change(HANDLE s, BOOL force_async, const struct afd_io *io)
{
    int value = force_async ? 1 : 0;
    return afdw_call(s, io, TRUE, AFDW_WINE(W_ADDRESS_LIST_CHANGE), &value, sizeof(value), NULL, 0, NULL);
}

NTSTATUS afdw_defer(HANDLE listener, HANDLE accepted)
{
    ULONG handle = (ULONG)(ULONG_PTR)accepted;
    return afdw_call(listener, NULL, FALSE, AFDW_WINE(W_DEFER), &handle, sizeof(handle), NULL, 0, NULL);
}

/* ---- socket options ---- */
struct afdw_option { int level, optname; int get, set; };

static const struct afdw_option afdw_options[] =
{
    { SOL_SOCKET, SO_ACCEPTCONN, W_GET_SO_ACCEPTCONN, 0 },
    { SOL_SOCKET, SO_BROADCAST, W_GET_SO_BROADCAST, W_SET_SO_BROADCAST },
    { SOL_SOCKET, SO_ERROR, W_GET_SO_ERROR, 0 },
    { SOL_SOCKET, SO_KEEPALIVE, W_GET_SO_KEEPALIVE, W_SET_SO_KEEPALIVE },
    { SOL_SOCKET, SO_LINGER, W_GET_SO_LINGER, W_SET_SO_LINGER },
    { SOL_SOCKET, SO_OOBINLINE, W_GET_SO_OOBINLINE, W_SET_SO_OOBINLINE },
    { SOL_SOCKET, SO_RCVBUF, W_GET_SO_RCVBUF, W_SET_SO_RCVBUF },
    { SOL_SOCKET, SO_RCVTIMEO, W_GET_SO_RCVTIMEO, W_SET_SO_RCVTIMEO },
    { SOL_SOCKET, SO_REUSEADDR, W_GET_SO_REUSEADDR, W_SET_SO_REUSEADDR },
    { SOL_SOCKET, SO_EXCLUSIVEADDRUSE, W_GET_SO_EXCLUSIVEADDRUSE, W_SET_SO_EXCLUSIVEADDRUSE },
    { SOL_SOCKET, SO_SNDBUF, W_GET_SO_SNDBUF, W_SET_SO_SNDBUF },
    { SOL_SOCKET, SO_SNDTIMEO, W_GET_SO_SNDTIMEO, W_SET_SO_SNDTIMEO },
    { SOL_SOCKET, SO_CONNECT_TIME, W_GET_SO_CONNECT_TIME, 0 },
    { IPPROTO_TCP, TCP_NODELAY, W_GET_TCP_NODELAY, W_SET_TCP_NODELAY },
    { IPPROTO_TCP, TCP_KEEPALIVE, W_GET_TCP_KEEPALIVE, W_SET_TCP_KEEPALIVE },
    { IPPROTO_TCP, TCP_KEEPCNT, W_GET_TCP_KEEPCNT, W_SET_TCP_KEEPCNT },
    { IPPROTO_TCP, TCP_KEEPINTVL, W_GET_TCP_KEEPINTVL, W_SET_TCP_KEEPINTVL },
    { IPPROTO_IP, IP_ADD_MEMBERSHIP, 0, W_SET_IP_ADD_MEMBERSHIP },
    { IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, 0, W_SET_IP_ADD_SOURCE_MEMBERSHIP },
    { IPPROTO_IP, IP_BLOCK_SOURCE, 0, W_SET_IP_BLOCK_SOURCE },
    { IPPROTO_IP, IP_DONTFRAGMENT, W_GET_IP_DONTFRAGMENT, W_SET_IP_DONTFRAGMENT },
    { IPPROTO_IP, IP_DROP_MEMBERSHIP, 0, W_SET_IP_DROP_MEMBERSHIP },
    { IPPROTO_IP, IP_DROP_SOURCE_MEMBERSHIP, 0, W_SET_IP_DROP_SOURCE_MEMBERSHIP },
    { IPPROTO_IP, IP_HDRINCL, W_GET_IP_HDRINCL, W_SET_IP_HDRINCL },
    { IPPROTO_IP, IP_MULTICAST_IF, W_GET_IP_MULTICAST_IF, W_SET_IP_MULTICAST_IF },
    { IPPROTO_IP, IP_MULTICAST_LOOP, W_GET_IP_MULTICAST_LOOP, W_SET_IP_MULTICAST_LOOP },
    { IPPROTO_IP, IP_MULTICAST_TTL, W_GET_IP_MULTICAST_TTL, W_SET_IP_MULTICAST_TTL },
    { IPPROTO_IP, IP_OPTIONS, W_GET_IP_OPTIONS, W_SET_IP_OPTIONS },
    { IPPROTO_IP, IP_PKTINFO, W_GET_IP_PKTINFO, W_SET_IP_PKTINFO },
    { IPPROTO_IP, IP_RECVTOS, W_GET_IP_RECVTOS, W_SET_IP_RECVTOS },
    { IPPROTO_IP, IP_RECVTTL, W_GET_IP_RECVTTL, W_SET_IP_RECVTTL },
    { IPPROTO_IP, IP_TOS, W_GET_IP_TOS, W_SET_IP_TOS },
    { IPPROTO_IP, IP_TTL, W_GET_IP_TTL, W_SET_IP_TTL },
    { IPPROTO_IP, IP_UNBLOCK_SOURCE, 0, W_SET_IP_UNBLOCK_SOURCE },
    { IPPROTO_IP, IP_UNICAST_IF, W_GET_IP_UNICAST_IF, W_SET_IP_UNICAST_IF },
    { IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, 0, W_SET_IPV6_ADD_MEMBERSHIP },
    { IPPROTO_IPV6, IPV6_DONTFRAG, W_GET_IPV6_DONTFRAG, W_SET_IPV6_DONTFRAG },
    { IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, 0, W_SET_IPV6_DROP_MEMBERSHIP },
    { IPPROTO_IPV6, IPV6_MULTICAST_HOPS, W_GET_IPV6_MULTICAST_HOPS, W_SET_IPV6_MULTICAST_HOPS },
    { IPPROTO_IPV6, IPV6_MULTICAST_IF, W_GET_IPV6_MULTICAST_IF, W_SET_IPV6_MULTICAST_IF },
    { IPPROTO_IPV6, IPV6_MULTICAST_LOOP, W_GET_IPV6_MULTICAST_LOOP, W_SET_IPV6_MULTICAST_LOOP },
    { IPPROTO_IPV6, IPV6_UNICAST_HOPS, W_GET_IPV6_UNICAST_HOPS, W_SET_IPV6_UNICAST_HOPS },
    { IPPROTO_IPV6, IPV6_UNICAST_IF, W_GET_IPV6_UNICAST_IF, W_SET_IPV6_UNICAST_IF },
    { IPPROTO_IPV6, IPV6_V6ONLY, W_GET_IPV6_V6ONLY, W_SET_IPV6_V6ONLY },
    { IPPROTO_IPV6, IPV6_HOPLIMIT, W_GET_IPV6_RECVHOPLIMIT, W_SET_IPV6_RECVHOPLIMIT },
    { IPPROTO_IPV6, IPV6_PKTINFO, W_GET_IPV6_RECVPKTINFO, W_SET_IPV6_RECVPKTINFO },
    { IPPROTO_IPV6, IPV6_RECVTCLASS, W_GET_IPV6_RECVTCLASS, W_SET_IPV6_RECVTCLASS },
};

static const struct afdw_option *afdw_find_option(int level, int optname)
{
    size_t i;
    for (i = 0; i < OPENWS2_ARRAY_SIZE(afdw_options); i++)
        if (afdw_options[i].level == level && afdw_options[i].optname == optname) return &afdw_options[i];
    return NULL;
}

/* Whether this Wine has the TCP keep-alive option ioctls (Wine 10.0 on): asked once per process, on a
 * TCP socket of its own. A Wine without them answers STATUS_NOT_SUPPORTED (Wine 8.0: ntdll passes
 * unknown Wine ioctls to the server, whose socket ioctl handler refuses unknown codes so); a Wine with
 * them answers the getsockopt result. 1 present, 0 absent, -1 not known yet. */
static LONG afdw_keepalive_state = -1;

static BOOL afdw_probe_keepalive(void)
{
    static const int families[] = { AF_INET, AF_INET6 };
    LONG state = InterlockedCompareExchange(&afdw_keepalive_state, -1, -1);
    size_t i;

    if (state >= 0) return state != 0;
    for (i = 0; i < OPENWS2_ARRAY_SIZE(families); i++)
    {
        HANDLE h;
        DWORD value = 0;
        NTSTATUS status;

        if (afdw_create(families[i], SOCK_STREAM, IPPROTO_TCP, FALSE, FALSE, &h)) continue;
        status = afdw_call(h, NULL, FALSE, AFDW_WINE(W_GET_TCP_KEEPALIVE), NULL, 0, &value, sizeof(value), NULL);
        NtClose(h);
        state = status != STATUS_NOT_SUPPORTED && status != STATUS_BAD_DEVICE_TYPE &&
                status != STATUS_INVALID_DEVICE_REQUEST;
        InterlockedExchange(&afdw_keepalive_state, state);
        AFD_TRACE("Wine's AFD %s the TCP_KEEPALIVE/KEEPCNT/KEEPINTVL ioctls (probe status %#lx)",
                  state ? "has" : "lacks", (unsigned long)status);
        return state != 0;
    }
    return TRUE;  /* no socket to ask with: not cached; the option call itself will answer */
}

BOOL afdw_has_option(int level, int optname, BOOL set)
{
    const struct afdw_option *o = afdw_find_option(level, optname);
    if (!o || (set ? o->set : o->get) == 0) return FALSE;
    /* the codes appended in Wine 10.0 (the only ones above 298 so far) need asking */
    return o->get < W_GET_TCP_KEEPALIVE || afdw_probe_keepalive();
}

NTSTATUS afdw_get_option(HANDLE s, int level, int optname, void *value, int len, ULONG_PTR *ret_len)
{
    const struct afdw_option *o = afdw_find_option(level, optname);
    if (!o || !o->get) return STATUS_NOT_SUPPORTED;
    if (len < 0) return STATUS_BUFFER_TOO_SMALL;
    return afdw_call(s, NULL, FALSE, AFDW_WINE(o->get), NULL, 0, value, (ULONG)len, ret_len);
}

NTSTATUS afdw_set_option(HANDLE s, int level, int optname, const void *value, int len)
{
    const struct afdw_option *o = afdw_find_option(level, optname);
    if (!o || !o->set) return STATUS_NOT_SUPPORTED;
    if (len < 0) return STATUS_BUFFER_TOO_SMALL;
    return afdw_call(s, NULL, FALSE, AFDW_WINE(o->set), (void *)value, (ULONG)len, NULL, 0, NULL);
}
