/* afd_lifecycle.c - socket life cycle and addressing of openws2afd: WSPSocket, WSPCloseSocket,
 * WSPDuplicateSocket, WSPBind, WSPListen, WSPAccept (with condition function), WSPConnect,
 * WSPShutdown, WSPGetSockName, WSPGetPeerName.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <winternl.h>
#include <ntstatus.h>
#include "afd_private.h"
#include "wine_compat.h"

static int afd_fail(LPINT err, int e)
{
    if (err) *err = e;
    return SOCKET_ERROR;
}

/* A socket of ours, or WSAENOTSOCK. */
static int afd_lookup(SOCKET s, struct afd_socket_info *info)
{
    return afd_socket_get(s, info) ? 0 : WSAENOTSOCK;
}

/* A duplicated handle keeps the I/O mode it was opened with and its timeouts: the record says so
 * (the flags given for the duplicate do not change the handle). The non-blocking mode cannot be
 * asked from AFD; a duplicate starts as blocking in the record. */
static void afd_adopt_handle_state(HANDLE h, struct afd_socket_info *rec)
{
    FILE_MODE_INFORMATION mode;
    IO_STATUS_BLOCK iosb;
    ULONG_PTR len;
    DWORD value;

    if (!NtQueryInformationFile(h, &iosb, &mode, sizeof(mode), FileModeInformation))
    {
        if (mode.Mode & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT))
            rec->flags &= ~(DWORD)WSA_FLAG_OVERLAPPED;
        else rec->flags |= WSA_FLAG_OVERLAPPED;
    }
    value = 0;
    if (!afdw_get_option(h, SOL_SOCKET, SO_RCVTIMEO, &value, sizeof(value), &len)) rec->rcvtimeo = value;
    value = 0;
    if (!afdw_get_option(h, SOL_SOCKET, SO_SNDTIMEO, &value, sizeof(value), &len)) rec->sndtimeo = value;
}

SOCKET WSPAPI afd_WSPSocket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g, DWORD flags,
                            LPINT err)
{
    struct afd_socket_info rec;
    SOCKET s = INVALID_SOCKET;
    NTSTATUS status;
    HANDLE h;
    int e = 0;

    if (!info || !afd_readable(info, sizeof(*info)))
    {
        e = WSAEFAULT;
        goto done;
    }
    memset(&rec, 0, sizeof(rec));
    rec.catalog_id = info->dwCatalogEntryId;
    rec.info = *info;
    rec.info.dwProviderReserved = 0;
    rec.flags = flags;

    if (info->dwProviderReserved)
    {
        /* WSPDuplicateSocket's descriptor: the handle was duplicated into this process already. */
        int fam = 0;
        h = (HANDLE)(ULONG_PTR)info->dwProviderReserved;
        /* a descriptor is good for one socket, and only for a socket handle of the same family */
        if (afd_socket_known((SOCKET)h) || afdw_get_info(h, &fam, NULL, NULL) || fam != info->iAddressFamily)
        {
            e = WSAEINVAL;
            goto done;
        }
        afd_adopt_handle_state(h, &rec);
        s = afd_socket_register(h, &rec, &e);
        goto done;
    }

    if (af == FROM_PROTOCOL_INFO || af == AF_UNSPEC) af = info->iAddressFamily;
    if (af != info->iAddressFamily)
    {
        e = WSAEAFNOSUPPORT;
        goto done;
    }
    if (type && type != FROM_PROTOCOL_INFO && type != info->iSocketType)
    {
        /* An explicit type other than the structure's: Windows makes a socket of the type asked
         * for (Wine's conformance tests, test_WSASocket: an entry's info changed to datagram/UDP
         * still gives a stream socket for AF_INET/SOCK_STREAM/IPPROTO_TCP). Wine's AFD judges the
         * triple; the socket's protocol info reports what it is. */
        if (protocol == FROM_PROTOCOL_INFO) protocol = 0;
        if (!protocol && type == SOCK_STREAM) protocol = IPPROTO_TCP;
        else if (!protocol && type == SOCK_DGRAM) protocol = IPPROTO_UDP;
        rec.info.iSocketType = type;
        rec.info.iProtocol = protocol;
        rec.info.iProtocolMaxOffset = 0;
    }
    else
    {
        type = info->iSocketType;
        if (protocol == FROM_PROTOCOL_INFO || (protocol == 0 && type != SOCK_RAW)) protocol = info->iProtocol;
        if (protocol < info->iProtocol || protocol > info->iProtocol + info->iProtocolMaxOffset)
        {
            e = WSAEPROTONOSUPPORT;
            goto done;
        }
    }
    (void)g; /* socket groups are reserved in Windows' TCP/IP providers too */

    /* Without WSA_FLAG_OVERLAPPED the AFD handle is opened for synchronous I/O, as Windows does
     * (Wine's afd tests: NtReadFile on it blocks until data arrives; the builtin opens it so too).
     * Wine's AFD applies SO_RCVTIMEO/SO_SNDTIMEO only to asynchronous handles; for a synchronous
     * one the provider keeps them itself (afd_transfer.c, afd_sync_ready). */
    status = afdw_create(af, type, protocol, (flags & WSA_FLAG_OVERLAPPED) != 0,
                         (flags & WSA_FLAG_NO_HANDLE_INHERIT) == 0, &h);
    if (status)
    {
        /* Wine's AFD refuses unsupported family/type/protocol with the Winsock error itself
         * wrapped in an NTSTATUS (facility 1) */
        if (((ULONG)status & 0xffff0000) == 0xc0010000) e = (int)((ULONG)status & 0xffff);
        else if (status == STATUS_TOO_MANY_OPENED_FILES) e = WSAEMFILE;  /* out of descriptors */
        else e = afd_status_to_wsa(status);
        if (!e) e = WSAENOBUFS;
        goto done;
    }
    /* rec.info stays the catalog entry: Windows' SO_PROTOCOL_INFO reports it unchanged (a raw socket's
     * iProtocol is the entry's 0, not the protocol asked for) */
    s = afd_socket_register(h, &rec, &e);

done:
    AFD_TRACE("WSPSocket(af %d, type %d, protocol %d, info %p, g %u, flags %#lx) -> %#Ix (error %d)", af, type,
              protocol, (void *)info, (unsigned)g, (unsigned long)flags, (ULONG_PTR)s, e);
    if (s == INVALID_SOCKET && err) *err = e;
    return s;
}

int WSPAPI afd_WSPCloseSocket(SOCKET s, LPINT err)
{
    BOOL abortive = FALSE;
    int e = 0;

    if (!afd_socket_remove(s, &abortive)) e = WSAENOTSOCK;
    else if (!CloseHandle((HANDLE)s)) e = WSAENOTSOCK;
    else if (abortive)
        /* An abortive close (SO_LINGER on, timeout 0) resets the connection when the handle's last
         * descriptor closes. On Windows the peer's socket has the reset (FD_CLOSE, AFD_POLL_RESET)
         * when closesocket returns; under Wine the peer learns it when Wine's server next polls, so
         * one request to the server (answered after that poll) brings the two in step. Wine's afd
         * test_get_events_reset reads the peer's events right after closesocket. */
        wine_compat_server_sync();
    AFD_TRACE("WSPCloseSocket(%#Ix%s) -> %d", (ULONG_PTR)s, abortive ? ", abortive" : "", e);
    return e ? afd_fail(err, e) : 0;
}

int WSPAPI afd_WSPDuplicateSocket(SOCKET s, DWORD pid, LPWSAPROTOCOL_INFOW info, LPINT err)
{
    struct afd_socket_info rec;
    HANDLE process, dup = NULL;
    int e;

    if ((e = afd_lookup(s, &rec))) goto done;
    if (!info || !afd_writable(info, sizeof(*info)))
    {
        e = WSAEFAULT;
        goto done;
    }
    if (!(process = OpenProcess(PROCESS_DUP_HANDLE, FALSE, pid)))
    {
        e = WSAEINVAL;
        goto done;
    }
    if (!DuplicateHandle(GetCurrentProcess(), (HANDLE)s, process, &dup, 0, FALSE, DUPLICATE_SAME_ACCESS))
        e = GetLastError() == ERROR_NOT_ENOUGH_MEMORY ? WSAENOBUFS : WSAEINVAL;
    CloseHandle(process);
    if (e) goto done;
    *info = rec.info;
    info->dwProviderReserved = (DWORD_PTR)dup;

done:
    AFD_TRACE("WSPDuplicateSocket(%#Ix, pid %lu, info %p) -> %d", (ULONG_PTR)s, (unsigned long)pid, (void *)info, e);
    return e ? afd_fail(err, e) : 0;
}

/* Checks an address argument against the socket's family: 0 or the WSA error. */
static int afd_check_addr(const struct afd_socket_info *rec, const struct sockaddr *addr, int len)
{
    int need;

    if (!addr || len < (int)sizeof(addr->sa_family) || !afd_readable(addr, (size_t)len)) return WSAEFAULT;
    if (!(need = afd_sockaddr_len(addr->sa_family)))
        return WSAEAFNOSUPPORT;
    if (len < need) return WSAEFAULT;
    if (addr->sa_family != rec->info.iAddressFamily) return WSAEAFNOSUPPORT;
    return 0;
}

static USHORT *afd_port_of(struct sockaddr_storage *ss)
{
    return ss->ss_family == AF_INET ? &((struct sockaddr_in *)ss)->sin_port : &((struct sockaddr_in6 *)ss)->sin6_port;
}

/* Binds a UDP socket. Windows keeps a datagram socket's local port when connect(AF_UNSPEC)
 * dissolves its association; Linux keeps it only when the port was given to bind (a port the kernel
 * picked, for bind to port 0 or the implicit bind of connect, is released by the dissolve). So a
 * bind to port 0 takes a port the kernel picks for a throwaway socket of the same family and address
 * and binds to it explicitly; should another socket take that port in between, it tries again, and
 * in the end binds to port 0 as asked. */
static NTSTATUS afd_bind_dgram(SOCKET s, const struct afd_socket_info *rec, const struct sockaddr *name, int len)
{
    struct sockaddr_storage want, got;
    NTSTATUS status;
    int tries;

    memcpy(&want, name, (size_t)len);
    for (tries = 0; *afd_port_of(&want) == 0 && tries < 4; tries++)
    {
        HANDLE probe;
        ULONG_PTR got_len = 0;

        if (afdw_create(want.ss_family, SOCK_DGRAM, rec->info.iProtocol, TRUE, FALSE, &probe)) break;
        status = afdw_bind(probe, (struct sockaddr *)&want, len, (struct sockaddr *)&got, (int)sizeof(got));
        if (!status) status = afdw_getsockname(probe, (struct sockaddr *)&got, (int)sizeof(got), &got_len);
        CloseHandle(probe);
        if (status || !*afd_port_of(&got)) break;
        *afd_port_of(&want) = *afd_port_of(&got);
        status = afdw_bind((HANDLE)s, (struct sockaddr *)&want, len, (struct sockaddr *)&got, (int)sizeof(got));
        AFD_TRACE("bind %#Ix to port %u (picked for a bind to port 0) -> %#lx", (ULONG_PTR)s,
                  (unsigned)((*afd_port_of(&want) >> 8) | ((*afd_port_of(&want) & 0xff) << 8)), (unsigned long)status);
        if (status != STATUS_ADDRESS_ALREADY_ASSOCIATED && status != STATUS_SHARING_VIOLATION &&
            afd_status_to_wsa(status) != WSAEADDRINUSE && afd_status_to_wsa(status) != WSAEACCES)
            return status;
        *afd_port_of(&want) = 0;
        if (status == STATUS_ADDRESS_ALREADY_ASSOCIATED) return status; /* the socket itself was bound */
    }
    return afdw_bind((HANDLE)s, name, len, (struct sockaddr *)&got, (int)sizeof(got));
}

/* A datagram socket that is not bound yet (Wine's AFD: GETSOCKNAME fails). */
static BOOL afd_unbound(SOCKET s)
{
    struct sockaddr_storage ss;
    ULONG_PTR len = 0;

    return afdw_getsockname((HANDLE)s, (struct sockaddr *)&ss, (int)sizeof(ss), &len) != 0;
}

int WSPAPI afd_WSPBind(SOCKET s, const struct sockaddr *name, int namelen, LPINT err)
{
    struct afd_socket_info rec;
    struct sockaddr_storage bound;
    char buf[TRACE_TEXT_LEN], ebuf[TRACE_TEXT_LEN];
    int e;

    if ((e = afd_lookup(s, &rec))) goto done;
    if ((e = afd_check_addr(&rec, name, namelen))) goto done;
    if (namelen > (int)sizeof(bound)) namelen = sizeof(bound);
    if (rec.info.iSocketType == SOCK_DGRAM)
        e = afd_status_to_wsa(afd_bind_dgram(s, &rec, name, afd_sockaddr_len(name->sa_family)));
    else
        e = afd_status_to_wsa(afdw_bind((HANDLE)s, name, afd_sockaddr_len(name->sa_family), (struct sockaddr *)&bound,
                                        (int)sizeof(bound)));
done:
    AFD_TRACE("WSPBind(%#Ix, %s) -> %s", (ULONG_PTR)s, e == WSAEFAULT || !name ? "?" :
              afd_sockaddr_str(name, namelen, buf, sizeof(buf)), trace_error_name(e, ebuf, sizeof(ebuf)));
    return e ? afd_fail(err, e) : 0;
}

int WSPAPI afd_WSPListen(SOCKET s, int backlog, LPINT err)
{
    struct afd_socket_info rec;
    struct sockaddr_storage peer;
    ULONG_PTR len;
    int e;

    if ((e = afd_lookup(s, &rec))) goto done;
    if (rec.info.iSocketType != SOCK_STREAM && rec.info.iSocketType != SOCK_SEQPACKET)
    {
        e = WSAEOPNOTSUPP;
        goto done;
    }
    if (!afdw_getpeername((HANDLE)s, (struct sockaddr *)&peer, sizeof(peer), &len))
    {
        e = WSAEISCONN;
        goto done;
    }
    if (backlog < 0) backlog = 0;
    if (backlog == SOMAXCONN || backlog > 0x7fff) backlog = 0x7fff;
    e = afd_status_to_wsa(afdw_listen((HANDLE)s, backlog));
done:
    AFD_TRACE("WSPListen(%#Ix, %d) -> %d", (ULONG_PTR)s, backlog, e);
    return e ? afd_fail(err, e) : 0;
}

SOCKET WSPAPI afd_WSPAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC condition,
                            DWORD_PTR context, LPINT err)
{
    struct afd_socket_info rec;
    struct sockaddr_storage peer, local;
    ULONG_PTR peer_len = 0, local_len = 0;
    SOCKET ret = INVALID_SOCKET;
    HANDLE h = NULL;
    NTSTATUS status;
    int e;

    if ((e = afd_lookup(s, &rec))) goto done;
    /* addr is optional; without it addrlen is ignored */
    if (addr && (!addrlen || !afd_writable(addrlen, sizeof(*addrlen)) ||
                 *addrlen < afd_sockaddr_len(rec.info.iAddressFamily) || !afd_writable(addr, (size_t)*addrlen)))
    {
        e = WSAEFAULT;
        goto done;
    }
    status = afdw_accept((HANDLE)s, &h);
    if (status)
    {
        e = status == STATUS_HANDLES_CLOSED || status == STATUS_CANCELLED ? WSAEINTR : afd_status_to_wsa(status);
        goto done;
    }
    afdw_getpeername(h, (struct sockaddr *)&peer, sizeof(peer), &peer_len);

    if (condition)
    {
        WSABUF caller_id, callee_id, caller_data = { 0, NULL }, callee_data = { 0, NULL };
        GROUP g = 0;
        int verdict;

        afdw_getsockname(h, (struct sockaddr *)&local, sizeof(local), &local_len);
        caller_id.buf = (char *)&peer;
        caller_id.len = (ULONG)peer_len;
        callee_id.buf = (char *)&local;
        callee_id.len = (ULONG)local_len;
        verdict = condition(&caller_id, &caller_data, NULL, NULL, &callee_id, &callee_data, &g, context);
        AFD_TRACE("WSPAccept(%#Ix): condition function returned %d", (ULONG_PTR)s, verdict);
        if (verdict == CF_REJECT)
        {
            CloseHandle(h);
            e = WSAECONNREFUSED;
            goto done;
        }
        if (verdict == CF_DEFER)
        {
            status = afdw_defer((HANDLE)s, h);
            CloseHandle(h);
            e = status ? afd_status_to_wsa(status) : WSATRY_AGAIN;
            goto done;
        }
        if (verdict != CF_ACCEPT)
        {
            CloseHandle(h);
            e = WSAEINVAL;
            goto done;
        }
    }

    /* the accepted socket inherits the listener's I/O mode (and catalog entry) */
    rec.so_error = 0;
    rec.peer_len = 0;
    if ((ret = afd_socket_register(h, &rec, &e)) == INVALID_SOCKET) goto done;
    if (peer_len) afd_socket_set_peer(ret, (struct sockaddr *)&peer, (int)peer_len);
    if (addr)
    {
        size_t n = peer_len < (ULONG_PTR)*addrlen ? (size_t)peer_len : (size_t)*addrlen;
        memcpy(addr, &peer, n);
        *addrlen = (int)peer_len;
    }

done:
    AFD_TRACE("WSPAccept(%#Ix, addr %p, addrlen %p, condition %p) -> %#Ix (error %d)", (ULONG_PTR)s, (void *)addr,
              (void *)addrlen, (void *)condition, (ULONG_PTR)ret, e);
    if (ret == INVALID_SOCKET && err) *err = e;
    return ret;
}

static BOOL afd_addr_is_any(const struct sockaddr *sa)
{
    static const unsigned char zero[16];
    if (sa->sa_family == AF_INET)
        return ((const struct sockaddr_in *)sa)->sin_addr.s_addr == 0 || ((const struct sockaddr_in *)sa)->sin_port == 0;
    if (sa->sa_family == AF_INET6)
        return !memcmp(&((const struct sockaddr_in6 *)sa)->sin6_addr, zero, 16) ||
               ((const struct sockaddr_in6 *)sa)->sin6_port == 0;
    return FALSE;
}

/* connect on a connectionless socket with an address of family AF_UNSPEC (libuv's
 * uv_udp_connect(NULL): an all-zero struct sockaddr) dissolves the association, as on Windows: the
 * socket takes datagrams from any peer again and getpeername fails with WSAENOTCONN. */
static BOOL afd_is_dissolve(const struct sockaddr *name, int namelen)
{
    return name && namelen >= (int)sizeof(name->sa_family) && afd_readable(name, sizeof(name->sa_family)) &&
           name->sa_family == AF_UNSPEC;
}

/* Wine's AFD (8.0: server/sock.c, IOCTL_AFD_WINE_CONNECT) takes an AF_UNSPEC address as such and
 * connects the host socket to AF_UNSPEC, which dissolves a datagram socket's association. */
static int afd_dissolve(SOCKET s)
{
    struct sockaddr_in unspec;
    NTSTATUS status;

    memset(&unspec, 0, sizeof(unspec));
    unspec.sin_family = AF_UNSPEC;
    status = afdw_connect((HANDLE)s, (const struct sockaddr *)&unspec, (int)sizeof(unspec), NULL, 0, TRUE, NULL);
    return status == STATUS_HANDLES_CLOSED || status == STATUS_CANCELLED ? WSAEINTR : afd_status_to_wsa(status);
}

int WSPAPI afd_WSPConnect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller, LPWSABUF callee,
                          LPQOS sqos, LPQOS gqos, LPINT err)
{
    struct afd_socket_info rec;
    NTSTATUS status;
    char buf[TRACE_TEXT_LEN], ebuf[TRACE_TEXT_LEN];
    int e;

    if ((e = afd_lookup(s, &rec))) goto done;
    if (rec.info.iSocketType != SOCK_STREAM && afd_is_dissolve(name, namelen))
    {
        e = afd_dissolve(s);
        goto done;
    }
    if ((e = afd_check_addr(&rec, name, namelen))) goto done;
    if (sqos || gqos)
    {
        e = WSAEOPNOTSUPP;  /* no QOS in this provider */
        goto done;
    }
    if (caller && (!afd_readable(caller, sizeof(*caller)) || caller->len))
    {
        e = !afd_readable(caller, sizeof(*caller)) ? WSAEFAULT : WSAEOPNOTSUPP;  /* TCP/IP has no connect data */
        goto done;
    }
    if (callee)
    {
        if (!afd_writable(callee, sizeof(*callee)))
        {
            e = WSAEFAULT;
            goto done;
        }
        callee->len = 0;
    }
    if (rec.info.iSocketType == SOCK_STREAM && afd_addr_is_any(name))
    {
        e = WSAEADDRNOTAVAIL;
        goto done;
    }
    if (rec.info.iSocketType == SOCK_STREAM) afd_socket_set_peer(s, name, afd_sockaddr_len(name->sa_family));
    if (rec.info.iSocketType == SOCK_DGRAM && afd_unbound(s))
    {
        /* connect binds an unbound socket to the wildcard address first, as on Windows; explicitly,
         * so that its port survives a later dissolve (afd_bind_dgram) */
        struct sockaddr_storage any;
        memset(&any, 0, sizeof(any));
        any.ss_family = name->sa_family;
        afd_bind_dgram(s, &rec, (struct sockaddr *)&any, afd_sockaddr_len(name->sa_family));
    }
    status = afdw_connect((HANDLE)s, name, afd_sockaddr_len(name->sa_family), NULL, 0, TRUE, NULL);
    if (status == STATUS_ADDRESS_ALREADY_ASSOCIATED) e = WSAEALREADY;
    else if (status == STATUS_HANDLES_CLOSED || status == STATUS_CANCELLED) e = WSAEINTR;
    else e = afd_status_to_wsa(status);
done:
    AFD_TRACE("WSPConnect(%#Ix, %s) -> %s", (ULONG_PTR)s, e == WSAEFAULT || !name ? "?" :
              afd_sockaddr_str(name, namelen, buf, sizeof(buf)), trace_error_name(e, ebuf, sizeof(ebuf)));
    return e ? afd_fail(err, e) : 0;
}

int WSPAPI afd_WSPShutdown(SOCKET s, int how, LPINT err)
{
    struct afd_socket_info rec;
    int e;

    if ((e = afd_lookup(s, &rec))) goto done;
    if (how < SD_RECEIVE || how > SD_BOTH)
    {
        e = WSAEINVAL;
        goto done;
    }
    e = afd_status_to_wsa(afdw_shutdown((HANDLE)s, how, NULL));
done:
    AFD_TRACE("WSPShutdown(%#Ix, %d) -> %d", (ULONG_PTR)s, how, e);
    return e ? afd_fail(err, e) : 0;
}

static int afd_name(SOCKET s, struct sockaddr *name, LPINT namelen, BOOL peer)
{
    struct afd_socket_info rec;
    struct sockaddr_storage tmp;
    ULONG_PTR len = 0;
    NTSTATUS status;
    int e;

    if ((e = afd_lookup(s, &rec))) return e;
    /* Windows reports the socket's state (not bound / not connected) before bad pointers. */
    status = peer ? afdw_getpeername((HANDLE)s, (struct sockaddr *)&tmp, sizeof(tmp), &len)
                  : afdw_getsockname((HANDLE)s, (struct sockaddr *)&tmp, sizeof(tmp), &len);
    if (status && peer && rec.peer_len && afd_status_to_wsa(status) == WSAENOTCONN)
    {
        /* shut down both ways: the host forgot the peer, Windows still reports it while the socket
         * is in the connected state */
        DWORD connect_time = 0xffffffff;
        ULONG_PTR n;
        if (!afdw_get_option((HANDLE)s, SOL_SOCKET, SO_CONNECT_TIME, &connect_time, sizeof(connect_time), &n) &&
            connect_time != 0xffffffff)
        {
            memcpy(&tmp, &rec.peer, (size_t)rec.peer_len);
            len = (ULONG_PTR)rec.peer_len;
            status = STATUS_SUCCESS;
        }
    }
    if (status) return afd_status_to_wsa(status);
    if (!namelen || !afd_writable(namelen, sizeof(*namelen)) || !name || *namelen <= 0 ||
        !afd_writable(name, (size_t)*namelen))
        return WSAEFAULT;
    if (len > sizeof(tmp)) return WSAEFAULT;
    if ((ULONG_PTR)*namelen < len) return WSAEFAULT;
    memcpy(name, &tmp, (size_t)len);
    *namelen = (int)len;
    return 0;
}

int WSPAPI afd_WSPGetSockName(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT err)
{
    int e = afd_name(s, name, namelen, FALSE);
    AFD_TRACE("WSPGetSockName(%#Ix, %p, %p) -> %d", (ULONG_PTR)s, (void *)name, (void *)namelen, e);
    return e ? afd_fail(err, e) : 0;
}

int WSPAPI afd_WSPGetPeerName(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT err)
{
    int e = afd_name(s, name, namelen, TRUE);
    AFD_TRACE("WSPGetPeerName(%#Ix, %p, %p) -> %d", (ULONG_PTR)s, (void *)name, (void *)namelen, e);
    return e ? afd_fail(err, e) : 0;
}
