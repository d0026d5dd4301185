/* afd_ioctl.c - WSPIoctl of openws2afd: FIONBIO, FIONREAD, SIOCATMARK, SIO_KEEPALIVE_VALS,
 * SIO_GET_INTERFACE_LIST, SIO_ADDRESS_LIST_QUERY, SIO_ADDRESS_LIST_CHANGE, SIO_ROUTING_INTERFACE_QUERY,
 * SIO_UDP_CONNRESET, SIO_ENABLE_CIRCULAR_QUEUEING, SIO_BASE_HANDLE / SIO_BSP_HANDLE*,
 * SIO_GET_EXTENSION_FUNCTION_POINTER, SIO_IDEAL_SEND_BACKLOG_QUERY, SIO_EXT_POLL (WSAPoll). Results
 * computed at once are still reported through the overlapped machinery (event, completion routine,
 * completion port) when the call is overlapped, as Windows does.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <winternl.h>
#include <ntstatus.h>
#include <mstcpip.h>
#include <iphlpapi.h>
#include "afd_private.h"

#ifndef SIO_IDEAL_SEND_BACKLOG_QUERY
# define SIO_IDEAL_SEND_BACKLOG_QUERY _IOR('t', 123, ULONG)  /* Windows SDK value; MinGW-w64 lacks it */
#endif

typedef ULONG (WINAPI *afd_get_adapters_addresses_fn)(ULONG, ULONG, void *, IP_ADAPTER_ADDRESSES *, ULONG *);

/* Result of a synchronously computed ioctl. Overlapped: the request completes at once through the
 * overlapped machinery (status 0, no byte count, as Windows reports these); *ret still receives the
 * size unless keep_ret (SIO_KEEPALIVE_VALS leaves it alone on Windows). */
static int afd_ioctl_done(SOCKET s, int e, DWORD bytes, LPDWORD ret, LPWSAOVERLAPPED ov,
                          LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, BOOL keep_ret)
{
    struct afd_io io;
    NTSTATUS status;

    if (e) return e;
    if (!ov)
    {
        *ret = bytes;
        return 0;
    }
    afd_io_overlapped(&io, ov, routine);
    status = afdw_complete_async((HANDLE)s, STATUS_SUCCESS, &io);
    if (!NT_SUCCESS(status)) return afd_status_to_wsa(status);
    if (!keep_ret) *ret = bytes;
    return 0;
}

/* A code this provider does not carry out: WSAEOPNOTSUPP; an overlapped request is completed with
 * STATUS_NOT_SUPPORTED through the overlapped machinery and reported pending, as Windows does. */
static int afd_ioctl_unsupported(SOCKET s, LPDWORD ret, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct afd_io io;

    if (!ov)
    {
        *ret = 0;
        return WSAEOPNOTSUPP;
    }
    afd_io_overlapped(&io, ov, routine);
    afdw_complete_async((HANDLE)s, STATUS_NOT_SUPPORTED, &io);
    return WSA_IO_PENDING;
}

/* Local addresses of the family, as a SOCKET_ADDRESS_LIST in out (loopback and down interfaces left
 * out, as Windows does). */
static int afd_address_list(SOCKET s, int family, void *out, DWORD out_len, DWORD *needed)
{
    struct sockaddr_storage addrs[64];
    int lens[64];
    unsigned int n = 0, i;
    SOCKET_ADDRESS_LIST *list = out;
    DWORD total;
    char *p;

    if (family == AF_INET)
    {
        INTERFACE_INFO info[64];
        ULONG_PTR len = 0;
        NTSTATUS status = afdw_interface_list((HANDLE)s, NULL, info, sizeof(info), &len);
        if (status) return afd_status_to_wsa(status);
        for (i = 0; i < len / sizeof(info[0]) && n < 64; i++)
        {
            if (!(info[i].iiFlags & IFF_UP) || (info[i].iiFlags & IFF_LOOPBACK)) continue;
            memset(&addrs[n], 0, sizeof(addrs[n]));
            memcpy(&addrs[n], &info[i].iiAddress.AddressIn, sizeof(struct sockaddr_in));
            lens[n++] = sizeof(struct sockaddr_in);
        }
    }
    else
    {
        HMODULE iphlpapi = LoadLibraryW(L"iphlpapi.dll");
        afd_get_adapters_addresses_fn get;
        IP_ADAPTER_ADDRESSES *aa = NULL, *a;
        ULONG size = 0;

        if (!iphlpapi) return WSAENETDOWN;
        get = (afd_get_adapters_addresses_fn)(void (*)(void))GetProcAddress(iphlpapi, "GetAdaptersAddresses");
        if (get && get(AF_INET6, GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER, NULL,
                       NULL, &size) == ERROR_BUFFER_OVERFLOW && size &&
            (aa = HeapAlloc(GetProcessHeap(), 0, size)) &&
            !get(AF_INET6, GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER, NULL, aa, &size))
        {
            for (a = aa; a && n < 64; a = a->Next)
            {
                IP_ADAPTER_UNICAST_ADDRESS *u;
                if (a->OperStatus != IfOperStatusUp || a->IfType == IF_TYPE_SOFTWARE_LOOPBACK) continue;
                for (u = a->FirstUnicastAddress; u && n < 64; u = u->Next)
                {
                    if (!u->Address.lpSockaddr || u->Address.lpSockaddr->sa_family != AF_INET6 ||
                        u->Address.iSockaddrLength > (int)sizeof(addrs[0]))
                        continue;
                    memset(&addrs[n], 0, sizeof(addrs[n]));
                    memcpy(&addrs[n], u->Address.lpSockaddr, (size_t)u->Address.iSockaddrLength);
                    lens[n++] = sizeof(struct sockaddr_in6);
                }
            }
        }
        if (aa) HeapFree(GetProcessHeap(), 0, aa);
        FreeLibrary(iphlpapi);
    }

    total = (DWORD)(offsetof(SOCKET_ADDRESS_LIST, Address) + n * sizeof(SOCKET_ADDRESS));
    for (i = 0; i < n; i++) total += (DWORD)lens[i];
    *needed = total;
    if (!out || out_len < total) return WSAEFAULT;
    list->iAddressCount = (INT)n;
    p = (char *)&list->Address[n];
    for (i = 0; i < n; i++)
    {
        memcpy(p, &addrs[i], (size_t)lens[i]);
        list->Address[i].lpSockaddr = (LPSOCKADDR)p;
        list->Address[i].iSockaddrLength = lens[i];
        p += lens[i];
    }
    return 0;
}

static BOOL afd_addr_is_unspecified(const struct sockaddr *sa)
{
    static const unsigned char zero[16];
    if (sa->sa_family == AF_INET) return ((const struct sockaddr_in *)sa)->sin_addr.s_addr == 0;
    return !memcmp(&((const struct sockaddr_in6 *)sa)->sin6_addr, zero, sizeof(zero));
}

/* The local address the system would use towards dest: a connected, unsent UDP socket. */
static int afd_routing_query(const struct sockaddr *dest, int family, struct sockaddr *out, int *out_len)
{
    struct sockaddr_storage target, local;
    ULONG_PTR len = 0;
    NTSTATUS status;
    HANDLE h;
    int alen = afd_sockaddr_len(family);

    memset(&target, 0, sizeof(target));
    memcpy(&target, dest, (size_t)alen);
    if (family == AF_INET && !((struct sockaddr_in *)&target)->sin_port)
        ((struct sockaddr_in *)&target)->sin_port = 0x0900;  /* any port: nothing is sent */
    if (family == AF_INET6 && !((struct sockaddr_in6 *)&target)->sin6_port)
        ((struct sockaddr_in6 *)&target)->sin6_port = 0x0900;
    if ((status = afdw_create(family, SOCK_DGRAM, IPPROTO_UDP, FALSE, FALSE, &h))) return afd_status_to_wsa(status);
    status = afdw_connect(h, (struct sockaddr *)&target, alen, NULL, 0, TRUE, NULL);
    if (!status) status = afdw_getsockname(h, (struct sockaddr *)&local, sizeof(local), &len);
    NtClose(h);
    if (status) return status == STATUS_INVALID_ADDRESS ? WSAEINVAL : afd_status_to_wsa(status);
    if (family == AF_INET) ((struct sockaddr_in *)&local)->sin_port = 0;
    else ((struct sockaddr_in6 *)&local)->sin6_port = 0;
    if ((int)len > *out_len) return WSAEFAULT;
    memcpy(out, &local, (size_t)len);
    *out_len = (int)len;
    return 0;
}

/* One request: the socket's record, the caller's buffers and its overlapped request. */
struct afd_ioctl_req
{
    SOCKET s;
    const struct afd_socket_info *rec;
    void *in;
    DWORD in_len;
    void *out;
    DWORD out_len;
    LPDWORD ret;
    LPWSAOVERLAPPED ov;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
};

/* A code's handler: the request's WSA error (0: done). */
typedef int (*afd_ioctl_fn)(const struct afd_ioctl_req *r);

/* Completes a synchronously computed result (afd_ioctl_done with the request's own arguments). */
static int afd_ioctl_finish(const struct afd_ioctl_req *r, int e, DWORD bytes)
{
    return afd_ioctl_done(r->s, e, bytes, r->ret, r->ov, r->routine, FALSE);
}

static int afd_ioctl_fionbio(const struct afd_ioctl_req *r)
{
    int e;
    if (!r->in || r->in_len < sizeof(u_long)) e = WSAEFAULT;
    else if (!(e = afd_status_to_wsa(afdw_fionbio((HANDLE)r->s, *(const u_long *)r->in != 0))))
        afd_socket_set_kept(r->s, AFD_KEPT_NONBLOCKING, *(const u_long *)r->in != 0);
    return afd_ioctl_finish(r, e, 0);
}

static int afd_ioctl_fionread(const struct afd_ioctl_req *r)
{
    ULONG avail = 0;
    DWORD bytes = 0;
    int e;
    if (!r->out || r->out_len < sizeof(u_long)) e = WSAEFAULT;
    else if (!(e = afd_status_to_wsa(afdw_fionread((HANDLE)r->s, &avail))))
    {
        *(u_long *)r->out = avail;
        bytes = sizeof(u_long);
    }
    return afd_ioctl_finish(r, e, bytes);
}

static int afd_ioctl_siocatmark(const struct afd_ioctl_req *r)
{
    BOOL at_mark = FALSE;
    DWORD bytes = 0;
    int e;
    if (!r->out || r->out_len < sizeof(u_long)) e = WSAEFAULT;
    else if (r->rec->info.iSocketType != SOCK_STREAM) e = WSAEINVAL;
    else if (!(e = afd_status_to_wsa(afdw_siocatmark((HANDLE)r->s, &at_mark))))
    {
        *(u_long *)r->out = at_mark ? 1 : 0;
        bytes = sizeof(u_long);
    }
    return afd_ioctl_finish(r, e, bytes);
}

static int afd_ioctl_keepalive_vals(const struct afd_ioctl_req *r)
{
    int e;
    if (!r->in || r->in_len < sizeof(struct tcp_keepalive)) e = WSAEFAULT;
    else if (r->rec->info.iSocketType != SOCK_STREAM) e = WSAEINVAL;
    else e = afd_status_to_wsa(afdw_keepalive_vals((HANDLE)r->s, r->in, sizeof(struct tcp_keepalive)));
    if (e && r->ov) r->ov->Internal = STATUS_PENDING;  /* Windows marks the request before failing it */
    else if (e) *r->ret = 0;
    /* Windows leaves the size alone for an overlapped request, but writes 0 when a completion
     * routine is given */
    return afd_ioctl_done(r->s, e, 0, r->ret, r->ov, r->routine, r->routine == NULL);
}

static int afd_ioctl_interface_list(const struct afd_ioctl_req *r)
{
    ULONG_PTR len = 0;
    DWORD bytes = 0;
    int e;
    if (r->ov)
    {
        /* Windows queues the request: pending, then the list (or STATUS_BUFFER_TOO_SMALL) and
         * its size through the overlapped machinery */
        struct afd_io io;
        afd_io_overlapped(&io, r->ov, r->routine);
        if (!(e = afd_status_to_wsa(afdw_interface_list((HANDLE)r->s, &io, r->out, r->out_len, &len))))
            *r->ret = (DWORD)len;
        return e;
    }
    if (!r->out || !r->out_len) e = WSAEFAULT;
    else if (!(e = afd_status_to_wsa(afdw_interface_list((HANDLE)r->s, NULL, r->out, r->out_len, &len))))
        bytes = (DWORD)len;
    if (e) *r->ret = 0;  /* Windows reports no size on failure */
    return afd_ioctl_finish(r, e, bytes);
}

static int afd_ioctl_address_list_query(const struct afd_ioctl_req *r)
{
    DWORD bytes = 0;
    int e;
    if (r->out_len && r->out_len < offsetof(SOCKET_ADDRESS_LIST, Address))
    {
        *r->ret = 0;
        return WSAEINVAL;
    }
    e = afd_address_list(r->s, r->rec->info.iAddressFamily, r->out, r->out_len, &bytes);
    if (e == WSAEFAULT)
    {
        *r->ret = bytes;  /* the size needed */
        return e;
    }
    return afd_ioctl_finish(r, e, bytes);
}

static int afd_ioctl_address_list_change(const struct afd_ioctl_req *r)
{
    NTSTATUS status;
    int e;
    if (r->ov)
    {
        struct afd_io io;
        afd_io_overlapped(&io, r->ov, r->routine);
        status = afdw_address_list_change((HANDLE)r->s, TRUE, &io);
    }
    else status = afdw_address_list_change((HANDLE)r->s, FALSE, NULL);
    e = afd_status_to_wsa(status);
    if (!e && r->ret) *r->ret = 0;
    return e;
}

static int afd_ioctl_routing_interface_query(const struct afd_ioctl_req *r)
{
    const struct sockaddr *dest = r->in;
    int family = r->rec->info.iAddressFamily;
    int len = (int)r->out_len;
    int need = afd_sockaddr_len(family);
    DWORD bytes = 0;
    int e;
    /* Windows' order (Wine's conformance tests): input, family, wildcard, output */
    if (!r->in || r->in_len < (DWORD)need) e = WSAEINVAL;
    else if (dest->sa_family != family) e = WSAEAFNOSUPPORT;
    else if (afd_addr_is_unspecified(dest)) e = WSAEINVAL;
    else if (!r->out) e = WSAEFAULT;
    else if (r->out_len < (DWORD)need)
    {
        *r->ret = (DWORD)need;
        return WSAEFAULT;
    }
    else if (!(e = afd_routing_query(dest, family, r->out, &len))) bytes = (DWORD)len;
    return afd_ioctl_finish(r, e, bytes);
}

static int afd_ioctl_udp_connreset(const struct afd_ioctl_req *r)
{
    int e = 0;
    /* Linux reports ICMP port-unreachable only on connected UDP sockets; both settings are
     * accepted (see docs/STATUS.md). */
    if (!r->in || r->in_len < sizeof(BOOL)) e = WSAEFAULT;
    else if (r->rec->info.iSocketType != SOCK_DGRAM) e = WSAEINVAL;
    return afd_ioctl_finish(r, e, 0);
}

/* A code this provider does not carry out (docs/STATUS.md); Windows answers unknown codes the same way. */
static int afd_ioctl_not_supported(const struct afd_ioctl_req *r)
{
    return afd_ioctl_unsupported(r->s, r->ret, r->ov, r->routine);
}

static int afd_ioctl_base_handle(const struct afd_ioctl_req *r)
{
    DWORD bytes = 0;
    int e = 0;
    if (r->ov) return afd_ioctl_not_supported(r);  /* Windows answers these synchronously only */
    if (!r->out || r->out_len < sizeof(SOCKET)) e = WSAEFAULT;
    else
    {
        *(SOCKET *)r->out = r->s;  /* the base provider: the socket is its own base handle */
        bytes = sizeof(SOCKET);
    }
    return afd_ioctl_finish(r, e, bytes);
}

static int afd_ioctl_extension_pointer(const struct afd_ioctl_req *r)
{
    const char *name = NULL;
    DWORD bytes = 0;
    void *fn;
    int e = 0;
    if (!r->in || r->in_len < sizeof(GUID) || !r->out || r->out_len < sizeof(void *)) e = WSAEFAULT;
    else if (!(fn = afd_extension_function(r->in, &name))) e = WSAEINVAL;
    else
    {
        memcpy(r->out, &fn, sizeof(fn));
        bytes = sizeof(void *);
        AFD_TRACE("WSPIoctl: extension function %s", name);
    }
    return afd_ioctl_finish(r, e, bytes);
}

static int afd_ioctl_ideal_send_backlog(const struct afd_ioctl_req *r)
{
    struct sockaddr_storage peer;
    ULONG_PTR len;
    DWORD bytes = 0;
    int e = 0;
    if (r->rec->info.iSocketType != SOCK_STREAM) e = WSAEOPNOTSUPP;
    else if (!r->out || r->out_len < sizeof(ULONG)) e = WSAEFAULT;
    else if (afdw_getpeername((HANDLE)r->s, (struct sockaddr *)&peer, sizeof(peer), &len)) e = WSAENOTCONN;
    else
    {
        /* the value Windows reports for a fresh loopback or LAN connection */
        *(ULONG *)r->out = 0x10000;
        bytes = sizeof(ULONG);
    }
    return afd_ioctl_finish(r, e, bytes);
}

static int afd_ioctl_ext_poll(const struct afd_ioctl_req *r)
{
    DWORD bytes = 0;
    int e;
    /* WSAPoll; ws2_32 passes the same WSAPOLLDATA as input and output */
    if (!r->in || !r->out || r->out_len < r->in_len) return WSAEFAULT;
    if (r->in != r->out) memmove(r->out, r->in, r->in_len);
    if ((e = afd_ext_poll(r->out, r->in_len, &bytes))) return e;
    return afd_ioctl_finish(r, 0, bytes);
}

static int afd_ioctl_ext_sendmsg(const struct afd_ioctl_req *r)
{
    /* WSASendMsg from ws2_32 (a WSASENDMSG in; the request's own overlapped and routine) */
    WSASENDMSG *p = r->in;
    int e;
    if (!r->in || r->in_len < sizeof(*p)) return WSAEFAULT;
    e = afd_ext_sendmsg(r->s, p->lpMsg, p->dwFlags, p->lpNumberOfBytesSent, p->lpOverlapped, p->lpCompletionRoutine);
    if (!e) *r->ret = 0;
    return e;
}

static int afd_ioctl_circular_queueing(const struct afd_ioctl_req *r)
{
    /* Windows succeeds (Wine's conformance tests, test_circular_queueing). The request is
     * accepted without effect: Linux drops the newest datagram of a full receive queue, not the
     * oldest (docs/STATUS.md). Accepted on every socket type, as Wine's builtin does: no fact of
     * Windows refusing stream sockets is at hand. */
    return afd_ioctl_finish(r, 0, 0);
}

/* The codes and their handlers; a code not listed is afd_ioctl_not_supported's. */
static const struct { DWORD code; afd_ioctl_fn fn; } afd_ioctls[] =
{
    { FIONBIO, afd_ioctl_fionbio },
    { FIONREAD, afd_ioctl_fionread },
    { SIOCATMARK, afd_ioctl_siocatmark },
    { SIO_KEEPALIVE_VALS, afd_ioctl_keepalive_vals },
    { SIO_GET_INTERFACE_LIST, afd_ioctl_interface_list },
    { SIO_ADDRESS_LIST_QUERY, afd_ioctl_address_list_query },
    { SIO_ADDRESS_LIST_CHANGE, afd_ioctl_address_list_change },
    { SIO_ROUTING_INTERFACE_QUERY, afd_ioctl_routing_interface_query },
    { SIO_UDP_CONNRESET, afd_ioctl_udp_connreset },
    { SIO_BASE_HANDLE, afd_ioctl_base_handle },
    { SIO_BSP_HANDLE, afd_ioctl_base_handle },
    { SIO_BSP_HANDLE_SELECT, afd_ioctl_base_handle },
    { SIO_BSP_HANDLE_POLL, afd_ioctl_base_handle },
    { SIO_GET_EXTENSION_FUNCTION_POINTER, afd_ioctl_extension_pointer },
    { SIO_IDEAL_SEND_BACKLOG_QUERY, afd_ioctl_ideal_send_backlog },
    { SIO_EXT_POLL, afd_ioctl_ext_poll },
    { SIO_EXT_SENDMSG, afd_ioctl_ext_sendmsg },
    { SIO_ENABLE_CIRCULAR_QUEUEING, afd_ioctl_circular_queueing },
    /* known, not carried out by this provider (docs/STATUS.md) */
    { SIO_FLUSH, afd_ioctl_not_supported },
    { SIO_MULTIPOINT_LOOPBACK, afd_ioctl_not_supported },
    { SIO_MULTICAST_SCOPE, afd_ioctl_not_supported },
    { SIO_GET_QOS, afd_ioctl_not_supported },
    { SIO_SET_QOS, afd_ioctl_not_supported },
    { SIO_GET_GROUP_QOS, afd_ioctl_not_supported },
    { SIO_SET_GROUP_QOS, afd_ioctl_not_supported },
    { SIO_FIND_ROUTE, afd_ioctl_not_supported },
    { SIO_TRANSLATE_HANDLE, afd_ioctl_not_supported },
    { SIO_ASSOCIATE_HANDLE, afd_ioctl_not_supported },
    { SIO_LOOPBACK_FAST_PATH, afd_ioctl_not_supported },
    { SIO_RCVALL, afd_ioctl_not_supported },
};

static afd_ioctl_fn afd_ioctl_handler(DWORD code)
{
    size_t i;
    for (i = 0; i < OPENWS2_ARRAY_SIZE(afd_ioctls); i++)
        if (afd_ioctls[i].code == code) return afd_ioctls[i].fn;
    return afd_ioctl_not_supported;
}

/* The pointer checks every code shares: WSAEFAULT or 0. */
static int afd_ioctl_check_args(DWORD code, const void *in, DWORD in_len, void *out, DWORD out_len, LPDWORD ret,
                                LPWSAOVERLAPPED ov)
{
    /* Windows wants lpcbBytesReturned even for overlapped requests */
    if (!ret || !afd_writable(ret, sizeof(*ret)) || (ov && !afd_writable(ov, sizeof(*ov)))) return WSAEFAULT;
    /* a NULL buffer is each code's own error (its handler); a bad pointer is WSAEFAULT for all, except
     * the output buffer of a code that takes input only (IOC_IN without IOC_OUT: FIONBIO ...), which
     * Windows neither uses nor probes */
    if ((in && in_len && !afd_readable(in, in_len)) ||
        (out && out_len && (code & (IOC_IN | IOC_OUT)) != IOC_IN && !afd_writable(out, out_len)))
        return WSAEFAULT;
    return 0;
}

int WSPAPI afd_WSPIoctl(SOCKET s, DWORD code, LPVOID in, DWORD in_len, LPVOID out, DWORD out_len, LPDWORD ret,
                        LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread,
                        LPINT err)
{
    struct afd_socket_info rec;
    char nbuf[TRACE_TEXT_LEN], ebuf[TRACE_TEXT_LEN];
    int e;

    (void)thread;
    if (!afd_socket_get(s, &rec)) e = WSAENOTSOCK;
    else if (!(e = afd_ioctl_check_args(code, in, in_len, out, out_len, ret, ov)))
    {
        struct afd_ioctl_req r = { s, &rec, in, in_len, out, out_len, ret, ov, routine };
        e = afd_ioctl_handler(code)(&r);
    }
    AFD_TRACE("WSPIoctl(%#Ix, %s, in %p/%lu, out %p/%lu, ov %p) -> %s", (ULONG_PTR)s,
              trace_ioctl_name((unsigned long)code, nbuf, sizeof(nbuf)), in, (unsigned long)in_len, out,
              (unsigned long)out_len, (void *)ov, trace_error_name(e, ebuf, sizeof(ebuf)));
    if (e)
    {
        if (err) *err = e;
        return SOCKET_ERROR;
    }
    return 0;
}
