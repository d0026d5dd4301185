/* afd_direct.c - end-to-end test of openws2afd.dll on its own: loads the provider, calls WSPStartup
 * with a minimal upcall table of its own, and drives the WSP* functions over loopback (TCP/UDP on
 * IPv4 and IPv6, non-blocking, select, event select, overlapped with events / completion routines /
 * a completion port, extension functions, closing a socket under a blocked receive, error paths).
 * Imports no ws2_32: only the Winsock headers' types and constants are used. One line per check;
 * the exit code is the number of failed checks.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdio.h>
#include <stdarg.h>
#include <mstcpip.h>
#ifndef SIO_IDEAL_SEND_BACKLOG_QUERY
# define SIO_IDEAL_SEND_BACKLOG_QUERY _IOR('t', 123, ULONG)
#endif

#define E2E_CHECK_PLAIN  /* "ok: message" */
#include "e2e_check.h"

static WSPPROC_TABLE P;
static WSAPROTOCOL_INFOW tcp4, udp4, tcp6, udp6;

static u_short sw16(u_short v) { return (u_short)((v >> 8) | (v << 8)); }

/* ---- the minimal upcall table ---- */
static LONG modify_calls;
static SOCKET WSPAPI up_modify(DWORD catalog_id, SOCKET proposed, LPINT err)
{
    (void)catalog_id, (void)err;
    InterlockedIncrement(&modify_calls);
    return proposed;
}
static BOOL WSPAPI up_close_event(WSAEVENT e, LPINT err) { (void)err; return CloseHandle(e); }
static int WSPAPI up_close_handle(SOCKET s, LPINT err) { (void)s; *err = WSAEINVAL; return SOCKET_ERROR; }
static WSAEVENT WSPAPI up_create_event(LPINT err) { (void)err; return CreateEventW(NULL, TRUE, FALSE, NULL); }
static SOCKET WSPAPI up_create_handle(DWORD id, DWORD_PTR ctx, LPINT err) { (void)id, (void)ctx; *err = WSAEINVAL; return INVALID_SOCKET; }
static int WSPAPI up_fdisset(SOCKET s, fd_set *set)
{
    u_int i;
    for (i = 0; i < set->fd_count; i++) if (set->fd_array[i] == s) return 1;
    return 0;
}
static int WSPAPI up_path(LPGUID id, WCHAR *path, LPINT len, LPINT err) { (void)id, (void)path, (void)len; *err = WSAEINVAL; return SOCKET_ERROR; }
static BOOL WSPAPI up_post(HWND h, UINT m, WPARAM w, LPARAM l) { (void)h, (void)m, (void)w, (void)l; return FALSE; }
static int WSPAPI up_blocking(DWORD id, LPBLOCKINGCALLBACK *cb, PDWORD_PTR ctx, LPINT err) { (void)id, (void)err; *cb = NULL; *ctx = 0; return 0; }
static int WSPAPI up_context(SOCKET s, PDWORD_PTR ctx, LPINT err) { (void)s, (void)ctx; *err = WSAEINVAL; return SOCKET_ERROR; }
static int WSPAPI up_apc(LPWSATHREADID t, LPWSAUSERAPC f, DWORD_PTR c, LPINT err) { (void)t, (void)f, (void)c; *err = WSAEINVAL; return SOCKET_ERROR; }
static BOOL WSPAPI up_reset(WSAEVENT e, LPINT err) { (void)err; return ResetEvent(e); }
static BOOL WSPAPI up_set(WSAEVENT e, LPINT err) { (void)err; return SetEvent(e); }
static int WSPAPI up_open_thread(LPWSATHREADID t, LPINT err) { (void)t; *err = WSAEINVAL; return SOCKET_ERROR; }
static int WSPAPI up_close_thread(LPWSATHREADID t, LPINT err) { (void)t; *err = WSAEINVAL; return SOCKET_ERROR; }

static void make_info(WSAPROTOCOL_INFOW *info, int af, int type, int proto, DWORD id)
{
    static const GUID v4 = { 0xe70f1aa0, 0xab8b, 0x11cf, { 0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92 } };
    static const GUID v6 = { 0xf9eab0c0, 0x26d4, 0x11d0, { 0xbb, 0xbf, 0x00, 0xaa, 0x00, 0x6c, 0x34, 0xe4 } };
    memset(info, 0, sizeof(*info));
    info->dwServiceFlags1 = XP1_IFS_HANDLES;
    info->ProviderId = af == AF_INET ? v4 : v6;
    info->dwCatalogEntryId = id;
    info->ProtocolChain.ChainLen = 1;
    info->iVersion = 2;
    info->iAddressFamily = af;
    info->iMaxSockAddr = info->iMinSockAddr = af == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
    info->iSocketType = type;
    info->iProtocol = proto;
    wcscpy(info->szProtocol, type == SOCK_STREAM ? L"TCP" : L"UDP");
}

/* ---- helpers ---- */
static SOCKET sock(WSAPROTOCOL_INFOW *info, DWORD flags)
{
    int err = 0;
    SOCKET s = P.lpWSPSocket(info->iAddressFamily, info->iSocketType, info->iProtocol, info, 0, flags, &err);
    if (s == INVALID_SOCKET) printf("  (WSPSocket failed: %d)\n", err);
    return s;
}

static void loopback(int af, struct sockaddr_storage *ss, int *len, u_short port)
{
    memset(ss, 0, sizeof(*ss));
    if (af == AF_INET)
    {
        struct sockaddr_in *in = (struct sockaddr_in *)ss;
        in->sin_family = AF_INET;
        in->sin_port = sw16(port);
        in->sin_addr.s_addr = 0x0100007f;
        *len = sizeof(*in);
    }
    else
    {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = sw16(port);
        in6->sin6_addr.s6_addr[15] = 1;
        *len = sizeof(*in6);
    }
}

static u_short port_of(const struct sockaddr_storage *ss)
{
    return sw16(ss->ss_family == AF_INET ? ((const struct sockaddr_in *)ss)->sin_port
                                         : ((const struct sockaddr_in6 *)ss)->sin6_port);
}

/* A listener bound to loopback; *addr receives its address. */
static SOCKET listener(WSAPROTOCOL_INFOW *info, DWORD flags, struct sockaddr_storage *addr, int *len)
{
    int err = 0;
    SOCKET s = sock(info, flags);
    loopback(info->iAddressFamily, addr, len, 0);
    if (s == INVALID_SOCKET) return s;
    if (P.lpWSPBind(s, (struct sockaddr *)addr, *len, &err) || P.lpWSPListen(s, 5, &err))
        printf("  (bind/listen failed: %d)\n", err);
    *len = sizeof(*addr);
    P.lpWSPGetSockName(s, (struct sockaddr *)addr, len, &err);
    return s;
}

/* A connected pair: *client and *server (accepted). */
static int tcp_pair(WSAPROTOCOL_INFOW *info, DWORD flags, SOCKET *client, SOCKET *server)
{
    struct sockaddr_storage addr;
    int len, err = 0;
    SOCKET l = listener(info, flags, &addr, &len);
    *client = sock(info, flags);
    *server = INVALID_SOCKET;
    if (l == INVALID_SOCKET || *client == INVALID_SOCKET) return 0;
    if (P.lpWSPConnect(*client, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL, &err))
    {
        printf("  (connect failed: %d)\n", err);
        return 0;
    }
    *server = P.lpWSPAccept(l, NULL, NULL, NULL, 0, &err);
    P.lpWSPCloseSocket(l, &err);
    return *server != INVALID_SOCKET;
}

static int send_str(SOCKET s, const char *str)
{
    WSABUF b = { (ULONG)strlen(str), (char *)str };
    DWORD sent = 0;
    int err = 0;
    if (P.lpWSPSend(s, &b, 1, &sent, 0, NULL, NULL, NULL, &err)) return -err;
    return (int)sent;
}

static int recv_buf(SOCKET s, char *buf, int size, DWORD flags, int *err)
{
    WSABUF b = { (ULONG)size, buf };
    DWORD got = 0;
    *err = 0;
    if (P.lpWSPRecv(s, &b, 1, &got, &flags, NULL, NULL, NULL, err)) return -1;
    return (int)got;
}

static void close_s(SOCKET s)
{
    int err;
    if (s != INVALID_SOCKET) P.lpWSPCloseSocket(s, &err);
}

/* ---- tests ---- */
static void test_tcp(WSAPROTOCOL_INFOW *info, const char *name)
{
    struct sockaddr_storage addr, peer, local;
    int len, plen, err = 0, n;
    SOCKET l, c, a;
    char buf[64];

    l = listener(info, 0, &addr, &len);
    CHECK(l != INVALID_SOCKET && port_of(&addr) != 0, "%s: listener bound to loopback port %u", name, port_of(&addr));
    c = sock(info, 0);
    CHECK(P.lpWSPConnect(c, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL, &err) == 0,
          "%s: blocking connect (err %d)", name, err);
    plen = sizeof(peer);
    a = P.lpWSPAccept(l, (struct sockaddr *)&peer, &plen, NULL, 0, &err);
    CHECK(a != INVALID_SOCKET, "%s: accept (err %d)", name, err);
    CHECK(plen == (info->iAddressFamily == AF_INET ? 16 : 28) && peer.ss_family == info->iAddressFamily,
          "%s: accept returns the peer address (len %d)", name, plen);
    len = sizeof(local);
    CHECK(P.lpWSPGetSockName(c, (struct sockaddr *)&local, &len, &err) == 0 && port_of(&local) == port_of(&peer),
          "%s: client's local port %u is the accepted peer's port", name, port_of(&local));
    len = sizeof(local);
    CHECK(P.lpWSPGetPeerName(c, (struct sockaddr *)&local, &len, &err) == 0 && port_of(&local) == port_of(&addr),
          "%s: getpeername on the client gives the listener's port", name);
    CHECK(send_str(c, "hello world") == 11, "%s: send 11 bytes", name);
    n = recv_buf(a, buf, sizeof(buf), 0, &err);
    CHECK(n == 11 && !memcmp(buf, "hello world", 11), "%s: recv gets them (%d)", name, n);
    CHECK(send_str(a, "pong") == 4, "%s: send back", name);
    n = recv_buf(c, buf, 2, MSG_PEEK, &err);
    CHECK(n == 2 && !memcmp(buf, "po", 2), "%s: MSG_PEEK reads without consuming", name);
    n = recv_buf(c, buf, sizeof(buf), 0, &err);
    CHECK(n == 4 && !memcmp(buf, "pong", 4), "%s: then recv gets all 4 bytes", name);
    CHECK(P.lpWSPShutdown(c, SD_SEND, &err) == 0, "%s: shutdown(SD_SEND)", name);
    n = recv_buf(a, buf, sizeof(buf), 0, &err);
    CHECK(n == 0, "%s: peer's recv returns 0 after graceful shutdown (%d, err %d)", name, n, err);
    CHECK(P.lpWSPConnect(c, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL, &err) == SOCKET_ERROR &&
          err == WSAEISCONN, "%s: connect on a connected socket: WSAEISCONN (%d)", name, err);
    P.lpWSPShutdown(a, SD_BOTH, &err);
    P.lpWSPShutdown(c, SD_BOTH, &err);
    Sleep(50);
    n = recv_buf(c, buf, sizeof(buf), 0, &err);
    CHECK(n == -1 && err == WSAESHUTDOWN, "%s: recv after shutdown(SD_BOTH): WSAESHUTDOWN (%d)", name, err);
    CHECK(send_str(c, "x") == -WSAESHUTDOWN, "%s: send after shutdown(SD_BOTH): WSAESHUTDOWN", name);
    len = sizeof(local);
    CHECK(P.lpWSPGetPeerName(c, (struct sockaddr *)&local, &len, &err) == 0 && port_of(&local) == port_of(&addr),
          "%s: getpeername still answers after both sides shut down (as Windows)", name);
    len = sizeof(local);
    CHECK(P.lpWSPGetPeerName(a, (struct sockaddr *)&local, &len, &err) == 0 && port_of(&local) == port_of(&peer),
          "%s: ... on the accepted side too", name);
    close_s(a);
    close_s(c);
    close_s(l);
}

static void test_udp(WSAPROTOCOL_INFOW *info, const char *name)
{
    struct sockaddr_storage a1, a2, from;
    int l1, l2, flen, err = 0;
    SOCKET s1 = sock(info, 0), s2 = sock(info, 0);
    char buf[64];
    WSABUF b;
    DWORD n = 0, flags;

    loopback(info->iAddressFamily, &a1, &l1, 0);
    loopback(info->iAddressFamily, &a2, &l2, 0);
    CHECK(P.lpWSPBind(s1, (struct sockaddr *)&a1, l1, &err) == 0 && P.lpWSPBind(s2, (struct sockaddr *)&a2, l2, &err) == 0,
          "%s: bind two sockets", name);
    l1 = sizeof(a1);
    l2 = sizeof(a2);
    P.lpWSPGetSockName(s1, (struct sockaddr *)&a1, &l1, &err);
    P.lpWSPGetSockName(s2, (struct sockaddr *)&a2, &l2, &err);
    b.buf = (char *)"datagram";
    b.len = 8;
    CHECK(P.lpWSPSendTo(s1, &b, 1, &n, 0, (struct sockaddr *)&a2, l2, NULL, NULL, NULL, &err) == 0 && n == 8,
          "%s: sendto 8 bytes", name);
    b.buf = buf;
    b.len = sizeof(buf);
    flags = 0;
    flen = sizeof(from);
    CHECK(P.lpWSPRecvFrom(s2, &b, 1, &n, &flags, (struct sockaddr *)&from, &flen, NULL, NULL, NULL, &err) == 0 &&
          n == 8 && !memcmp(buf, "datagram", 8) && port_of(&from) == port_of(&a1),
          "%s: recvfrom gets it from the sender's port (%lu bytes)", name, (unsigned long)n);
    b.buf = (char *)"0123456789";
    b.len = 10;
    P.lpWSPSendTo(s1, &b, 1, &n, 0, (struct sockaddr *)&a2, l2, NULL, NULL, NULL, &err);
    b.buf = buf;
    b.len = 4;
    flags = 0;
    flen = sizeof(from);
    CHECK(P.lpWSPRecvFrom(s2, &b, 1, &n, &flags, (struct sockaddr *)&from, &flen, NULL, NULL, NULL, &err) == SOCKET_ERROR &&
          err == WSAEMSGSIZE && !memcmp(buf, "0123", 4), "%s: truncated datagram: WSAEMSGSIZE with the first bytes (%d)",
          name, err);
    flen = 3;
    flags = 0;
    CHECK(P.lpWSPRecvFrom(s2, &b, 1, &n, &flags, (struct sockaddr *)&from, &flen, NULL, NULL, NULL, &err) == SOCKET_ERROR &&
          err == WSAEFAULT, "%s: recvfrom with a too small address length: WSAEFAULT (%d)", name, err);
    b.buf = buf;
    b.len = 8;
    CHECK(P.lpWSPSendTo(s1, &b, 1, &n, MSG_OOB, (struct sockaddr *)&a2, l2, NULL, NULL, NULL, &err) == SOCKET_ERROR &&
          err == WSAEOPNOTSUPP, "%s: MSG_OOB on a datagram socket: WSAEOPNOTSUPP (%d)", name, err);
    close_s(s1);
    close_s(s2);
}

static void test_nonblocking(void)
{
    struct sockaddr_storage addr;
    int len, err = 0, n, i;
    u_long one = 1;
    DWORD ret;
    SOCKET l = listener(&tcp4, 0, &addr, &len), c = sock(&tcp4, 0), a;
    fd_set wr;
    TIMEVAL tv = { 5, 0 };
    char buf[16];

    CHECK(P.lpWSPIoctl(l, FIONBIO, &one, sizeof(one), NULL, 0, &ret, NULL, NULL, NULL, &err) == 0,
          "nonblocking: FIONBIO on the listener");
    CHECK(P.lpWSPAccept(l, NULL, NULL, NULL, 0, &err) == INVALID_SOCKET && err == WSAEWOULDBLOCK,
          "nonblocking: accept with nothing pending: WSAEWOULDBLOCK (%d)", err);
    P.lpWSPIoctl(c, FIONBIO, &one, sizeof(one), NULL, 0, &ret, NULL, NULL, NULL, &err);
    n = P.lpWSPConnect(c, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL, &err);
    CHECK(n == SOCKET_ERROR && err == WSAEWOULDBLOCK, "nonblocking: connect: WSAEWOULDBLOCK (%d)", err);
    n = P.lpWSPConnect(c, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL, &err);
    CHECK(n == SOCKET_ERROR && (err == WSAEALREADY || err == WSAEISCONN),
          "nonblocking: connect again: WSAEALREADY or WSAEISCONN (%d)", err);
    wr.fd_count = 1;
    wr.fd_array[0] = c;
    n = P.lpWSPSelect(0, NULL, &wr, NULL, &tv, &err);
    CHECK(n == 1 && wr.fd_count == 1 && wr.fd_array[0] == c, "nonblocking: select reports the connect (%d)", n);
    n = P.lpWSPConnect(c, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL, &err);
    CHECK(n == SOCKET_ERROR && err == WSAEISCONN, "nonblocking: connect after completion: WSAEISCONN (%d)", err);
    a = INVALID_SOCKET;
    for (i = 0; i < 100 && a == INVALID_SOCKET; i++)
    {
        a = P.lpWSPAccept(l, NULL, NULL, NULL, 0, &err);
        if (a == INVALID_SOCKET) Sleep(10);
    }
    CHECK(a != INVALID_SOCKET, "nonblocking: accept once the connection is there");
    n = recv_buf(c, buf, sizeof(buf), 0, &err);
    CHECK(n == -1 && err == WSAEWOULDBLOCK, "nonblocking: recv with no data: WSAEWOULDBLOCK (%d)", err);
    close_s(a);
    close_s(c);
    close_s(l);
}

static void test_select(void)
{
    SOCKET c, a;
    fd_set rd, wr;
    TIMEVAL zero = { 0, 0 }, five = { 5, 0 };
    int err = 0, n;

    if (!tcp_pair(&tcp4, 0, &c, &a))
    {
        CHECK(0, "select: connected pair");
        return;
    }
    rd.fd_count = 1;
    rd.fd_array[0] = a;
    n = P.lpWSPSelect(0, &rd, NULL, NULL, &zero, &err);
    CHECK(n == 0 && rd.fd_count == 0, "select: nothing readable yet, zero timeout returns 0 (%d)", n);
    send_str(c, "x");
    rd.fd_count = 1;
    rd.fd_array[0] = a;
    wr.fd_count = 1;
    wr.fd_array[0] = a;
    n = P.lpWSPSelect(0, &rd, &wr, NULL, &five, &err);
    CHECK(n == 2 && rd.fd_count == 1 && wr.fd_count == 1, "select: readable and writable (%d)", n);
    CHECK(P.lpWSPSelect(0, NULL, NULL, NULL, &zero, &err) == SOCKET_ERROR && err == WSAEINVAL,
          "select: no sockets at all: WSAEINVAL (%d)", err);
    rd.fd_count = 1;
    rd.fd_array[0] = (SOCKET)0x7777;
    CHECK(P.lpWSPSelect(0, &rd, NULL, NULL, &zero, &err) == SOCKET_ERROR && err == WSAENOTSOCK,
          "select: unknown socket: WSAENOTSOCK (%d)", err);
    close_s(c);
    close_s(a);
}

/* WSAPoll through the provider: SIO_EXT_POLL with a WSAPOLLDATA, as ws2_32 passes it. */
static int ext_poll(SOCKET via, WSAPOLLFD *fds, ULONG n, INT timeout, int *err)
{
    char buf[sizeof(WSAPOLLDATA) + 8 * sizeof(WSAPOLLFD)];
    WSAPOLLDATA *d = (WSAPOLLDATA *)buf;
    DWORD ret = 0, size = (DWORD)(sizeof(WSAPOLLDATA) + n * sizeof(WSAPOLLFD));
    ULONG i;

    d->result = -1;
    d->fds = n;
    d->timeout = timeout;
    for (i = 0; i < n; i++) d->fdArray[i] = fds[i];
    if (P.lpWSPIoctl(via, SIO_EXT_POLL, d, size, d, size, &ret, NULL, NULL, NULL, err)) return SOCKET_ERROR;
    for (i = 0; i < n; i++) fds[i].revents = d->fdArray[i].revents;
    return d->result;
}

static void test_poll(void)
{
    struct sockaddr_storage addr;
    WSAPOLLFD fds[3];
    int len, err = 0, r;
    SOCKET l = listener(&tcp4, 0, &addr, &len), c = sock(&tcp4, 0), a, x;
    u_long one = 1;
    DWORD ret;

    fds[0].fd = l;
    fds[0].events = POLLRDNORM;
    fds[1].fd = (SOCKET)0xabacab;
    fds[1].events = POLLRDNORM;
    r = ext_poll(l, fds, 2, 0, &err);
    CHECK(r == 0 && fds[0].revents == 0 && fds[1].revents == POLLNVAL,
          "poll: nothing pending, an unknown socket is POLLNVAL (%d, %#x, %#x)", r, fds[0].revents, fds[1].revents);
    P.lpWSPConnect(c, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL, &err);
    r = ext_poll(l, fds, 1, 1000, &err);
    CHECK(r == 1 && fds[0].revents == POLLRDNORM, "poll: a pending connection is POLLRDNORM (%d, %#x)", r, fds[0].revents);
    fds[0].events = POLLIN | POLLPRI;
    r = ext_poll(l, fds, 1, 0, &err);
    CHECK(r == SOCKET_ERROR && err == WSAEINVAL, "poll: POLLPRI is not a valid request: WSAEINVAL (%d)", err);
    a = P.lpWSPAccept(l, NULL, NULL, NULL, 0, &err);
    fds[0].fd = c;
    fds[0].events = POLLRDNORM | POLLWRNORM;
    r = ext_poll(c, fds, 1, 1000, &err);
    CHECK(r == 1 && fds[0].revents == POLLWRNORM, "poll: a connected socket is POLLWRNORM (%#x)", fds[0].revents);
    close_s(a);
    fds[0].events = POLLRDNORM;
    r = ext_poll(c, fds, 1, 2000, &err);
    CHECK(r == 1 && (fds[0].revents & POLLHUP), "poll: the peer's close shows POLLHUP (%#x)", fds[0].revents);
    close_s(c);
    /* a refused non-blocking connect: POLLWRNORM | POLLHUP | POLLERR */
    close_s(l);
    x = sock(&tcp4, 0);
    P.lpWSPIoctl(x, FIONBIO, &one, sizeof(one), NULL, 0, &ret, NULL, NULL, NULL, &err);
    P.lpWSPConnect(x, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL, &err);
    fds[0].fd = x;
    fds[0].events = POLLRDNORM | POLLRDBAND | POLLWRNORM;
    r = ext_poll(x, fds, 1, 5000, &err);
    CHECK(r == 1 && fds[0].revents == (POLLWRNORM | POLLHUP | POLLERR),
          "poll: a refused connect is POLLWRNORM|POLLHUP|POLLERR (%#x)", fds[0].revents);
    close_s(x);
    /* the same through select: only exceptfds (Windows; Wine's AFD may report it readable too) */
    {
        fd_set rd, wr, ex;
        struct timeval five = { 5, 0 };
        x = sock(&tcp4, 0);
        P.lpWSPIoctl(x, FIONBIO, &one, sizeof(one), NULL, 0, &ret, NULL, NULL, NULL, &err);
        P.lpWSPConnect(x, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL, &err);
        FD_ZERO(&rd);
        FD_ZERO(&wr);
        FD_ZERO(&ex);
        FD_SET(x, &rd);
        FD_SET(x, &wr);
        FD_SET(x, &ex);
        r = P.lpWSPSelect(0, &rd, &wr, &ex, &five, &err);
        CHECK(r == 1 && ex.fd_count == 1 && ex.fd_array[0] == x && rd.fd_count == 0 && wr.fd_count == 0,
              "select: a refused connect is in exceptfds only (%d: %u/%u/%u)", r, rd.fd_count, wr.fd_count,
              ex.fd_count);
        close_s(x);
    }
}

static void test_event_select(void)
{
    SOCKET c, a;
    WSANETWORKEVENTS ne;
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    int err = 0;
    char buf[8];

    if (!tcp_pair(&tcp4, 0, &c, &a))
    {
        CHECK(0, "eventselect: connected pair");
        return;
    }
    CHECK(P.lpWSPEventSelect(a, ev, FD_READ | FD_CLOSE, &err) == 0, "eventselect: WSPEventSelect(FD_READ|FD_CLOSE)");
    send_str(c, "abc");
    CHECK(WaitForSingleObject(ev, 5000) == WAIT_OBJECT_0, "eventselect: event signalled by incoming data");
    memset(&ne, 0xab, sizeof(ne));
    CHECK(P.lpWSPEnumNetworkEvents(a, ev, &ne, &err) == 0 && ne.lNetworkEvents == FD_READ &&
          ne.iErrorCode[FD_READ_BIT] == 0 && ne.iErrorCode[FD_CLOSE_BIT] == (int)0xabababab,
          "eventselect: FD_READ reported, other error slots left alone (events %#lx)", (long)ne.lNetworkEvents);
    CHECK(WaitForSingleObject(ev, 0) == WAIT_TIMEOUT, "eventselect: enum reset the event");
    recv_buf(a, buf, sizeof(buf), 0, &err);
    close_s(c);
    CHECK(WaitForSingleObject(ev, 5000) == WAIT_OBJECT_0, "eventselect: event signalled by the peer closing");
    P.lpWSPEnumNetworkEvents(a, ev, &ne, &err);
    CHECK((ne.lNetworkEvents & FD_CLOSE) != 0, "eventselect: FD_CLOSE reported (events %#lx, error %d)",
          (long)ne.lNetworkEvents, ne.iErrorCode[FD_CLOSE_BIT]);
    CHECK(P.lpWSPEventSelect(a, NULL, FD_READ, &err) == SOCKET_ERROR && err == WSAEINVAL,
          "eventselect: events without an event: WSAEINVAL (%d)", err);
    close_s(a);
    CloseHandle(ev);
}

static LONG routine_calls;
static DWORD routine_bytes, routine_error;
static void CALLBACK completion_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov, (void)flags;
    routine_error = error;
    routine_bytes = bytes;
    InterlockedIncrement(&routine_calls);
}

static void test_overlapped(void)
{
    SOCKET c, a;
    WSAOVERLAPPED ov;
    WSABUF b;
    char buf[32];
    DWORD n = 0, flags = 0, xfer = 0, key_bytes = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = NULL;
    HANDLE port;
    int err = 0, r;

    if (!tcp_pair(&tcp4, WSA_FLAG_OVERLAPPED, &c, &a))
    {
        CHECK(0, "overlapped: connected pair");
        return;
    }
    /* event */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    ov.Offset = 0xdead3;
    ov.OffsetHigh = 0xdead4;
    b.buf = buf;
    b.len = sizeof(buf);
    r = P.lpWSPRecv(a, &b, 1, &n, &flags, &ov, NULL, NULL, &err);
    CHECK(r == SOCKET_ERROR && err == WSA_IO_PENDING, "overlapped/event: recv pending (%d)", err);
    CHECK(P.lpWSPGetOverlappedResult(a, &ov, &xfer, FALSE, &flags, &err) == FALSE && err == WSA_IO_INCOMPLETE,
          "overlapped/event: not complete yet: WSA_IO_INCOMPLETE (%d)", err);
    send_str(c, "overlapped!");
    CHECK(WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0, "overlapped/event: event signalled");
    CHECK(P.lpWSPGetOverlappedResult(a, &ov, &xfer, TRUE, &flags, &err) && xfer == 11 && !memcmp(buf, "overlapped!", 11),
          "overlapped/event: result 11 bytes (%lu)", (unsigned long)xfer);
    CHECK(ov.Offset == 0xdead3 && ov.OffsetHigh == 0xdead4, "overlapped/event: Offset/OffsetHigh left alone");
    CloseHandle(ov.hEvent);

    /* completion routine */
    memset(&ov, 0, sizeof(ov));
    flags = 0;
    r = P.lpWSPRecv(a, &b, 1, &n, &flags, &ov, completion_routine, NULL, &err);
    CHECK(r == SOCKET_ERROR && err == WSA_IO_PENDING, "overlapped/routine: recv pending (%d)", err);
    send_str(c, "routine");
    SleepEx(5000, TRUE);
    CHECK(routine_calls == 1 && routine_bytes == 7 && routine_error == 0,
          "overlapped/routine: completion routine ran once with 7 bytes (calls %ld, bytes %lu, error %lu)",
          (long)routine_calls, (unsigned long)routine_bytes, (unsigned long)routine_error);

    /* completion port through the socket handle itself */
    port = CreateIoCompletionPort((HANDLE)a, NULL, 0x1234, 0);
    CHECK(port != NULL, "overlapped/iocp: CreateIoCompletionPort on the SOCKET (error %lu)", GetLastError());
    memset(&ov, 0, sizeof(ov));
    flags = 0;
    r = P.lpWSPRecv(a, &b, 1, &n, &flags, &ov, NULL, NULL, &err);
    CHECK(r == SOCKET_ERROR && err == WSA_IO_PENDING, "overlapped/iocp: recv pending (%d)", err);
    send_str(c, "iocp");
    CHECK(GetQueuedCompletionStatus(port, &key_bytes, &key, &got, 5000) && key == 0x1234 && got == &ov &&
          key_bytes == 4, "overlapped/iocp: completion packet with key, overlapped and 4 bytes (%lu)",
          (unsigned long)key_bytes);
    /* overlapped send (always through SENDMSG) */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    b.buf = (char *)"back";
    b.len = 4;
    r = P.lpWSPSend(a, &b, 1, &n, 0, &ov, NULL, NULL, &err);
    CHECK(r == 0 || err == WSA_IO_PENDING, "overlapped/iocp: overlapped send (%d/%d)", r, err);
    CHECK(GetQueuedCompletionStatus(port, &key_bytes, &key, &got, 5000) && got == &ov && key_bytes == 4,
          "overlapped/iocp: send completion posted too");
    r = recv_buf(c, buf, sizeof(buf), 0, &err);
    CHECK(r == 4 && !memcmp(buf, "back", 4), "overlapped/iocp: peer receives the overlapped send");
    CHECK(send_str(a, "sync") == 4 && recv_buf(c, buf, sizeof(buf), 0, &err) == 4,
          "overlapped/iocp: a synchronous send on the associated socket");
    CHECK(!GetQueuedCompletionStatus(port, &key_bytes, &key, &got, 200) && GetLastError() == WAIT_TIMEOUT,
          "overlapped/iocp: ... posts no completion packet (%lu)", GetLastError());
    CloseHandle(ov.hEvent);
    /* closing the socket aborts a pending request */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    b.buf = buf;
    b.len = sizeof(buf);
    flags = 0;
    r = P.lpWSPRecv(c, &b, 1, &n, &flags, &ov, NULL, NULL, &err);
    close_s(c);
    CHECK(r == SOCKET_ERROR && WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0 && ov.Internal != 0,
          "overlapped: closing the socket completes the pending recv with an error (status %#lx)",
          (unsigned long)ov.Internal);
    CloseHandle(ov.hEvent);
    close_s(a);
    CloseHandle(port);
}

struct blocked { SOCKET s; int ret, err; };
static DWORD WINAPI blocked_recv(void *arg)
{
    struct blocked *b = arg;
    char buf[8];
    b->ret = recv_buf(b->s, buf, sizeof(buf), 0, &b->err);
    return 0;
}

static void test_close_while_blocked(void)
{
    struct blocked b;
    SOCKET c, a;
    HANDLE t;
    int err;

    if (!tcp_pair(&tcp4, 0, &c, &a))
    {
        CHECK(0, "close-while-blocked: connected pair");
        return;
    }
    b.s = a;
    b.ret = 12345;
    b.err = 0;
    t = CreateThread(NULL, 0, blocked_recv, &b, 0, NULL);
    CHECK(WaitForSingleObject(t, 300) == WAIT_TIMEOUT, "close-while-blocked: recv blocks");
    P.lpWSPCloseSocket(a, &err);
    CHECK(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0, "close-while-blocked: recv returns after closesocket");
    CHECK(b.ret == -1 && b.err != 0, "close-while-blocked: recv failed with error %d", b.err);
    CloseHandle(t);
    close_s(c);
}

struct blocked_accept { SOCKET s; SOCKET ret; int err; };
static DWORD WINAPI blocked_accept_thread(void *arg)
{
    struct blocked_accept *b = arg;
    b->ret = P.lpWSPAccept(b->s, NULL, NULL, NULL, 0, &b->err);
    return 0;
}

struct blocked_select { SOCKET s; int ret, err; };
static DWORD WINAPI blocked_select_thread(void *arg)
{
    struct blocked_select *b = arg;
    fd_set rd;
    rd.fd_count = 1;
    rd.fd_array[0] = b->s;
    b->ret = P.lpWSPSelect(0, &rd, NULL, NULL, NULL, &b->err);
    return 0;
}

static void test_close_under_accept_and_select(void)
{
    struct sockaddr_storage addr;
    struct blocked_accept ba;
    struct blocked_select bs;
    int len, err;
    HANDLE t;
    SOCKET l = listener(&tcp4, 0, &addr, &len), c, a;

    ba.s = l;
    ba.ret = 0;
    ba.err = 0;
    t = CreateThread(NULL, 0, blocked_accept_thread, &ba, 0, NULL);
    CHECK(WaitForSingleObject(t, 300) == WAIT_TIMEOUT, "close-while-blocked: accept blocks");
    P.lpWSPCloseSocket(l, &err);
    CHECK(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0 && ba.ret == INVALID_SOCKET && ba.err != 0,
          "close-while-blocked: accept returns INVALID_SOCKET after closesocket (error %d)", ba.err);
    CloseHandle(t);

    if (!tcp_pair(&tcp4, 0, &c, &a))
    {
        CHECK(0, "close-while-blocked: connected pair for select");
        return;
    }
    bs.s = a;
    bs.ret = 12345;
    bs.err = 0;
    t = CreateThread(NULL, 0, blocked_select_thread, &bs, 0, NULL);
    CHECK(WaitForSingleObject(t, 300) == WAIT_TIMEOUT, "close-while-blocked: select without timeout blocks");
    P.lpWSPCloseSocket(a, &err);
    CHECK(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0, "close-while-blocked: select returns after closesocket (%d, error %d)",
          bs.ret, bs.err);
    CloseHandle(t);
    close_s(c);
}

static void test_async_select(void)
{
    SOCKET c, a;
    HWND hwnd;
    MSG msg;
    int err = 0, got = 0;
    DWORD start;

    if (!tcp_pair(&tcp4, 0, &c, &a))
    {
        CHECK(0, "asyncselect: connected pair");
        return;
    }
    hwnd = CreateWindowExA(0, "STATIC", "afd", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    CHECK(hwnd != NULL, "asyncselect: message-only window");
    CHECK(P.lpWSPAsyncSelect(a, hwnd, WM_USER + 7, FD_READ, &err) == 0, "asyncselect: WSPAsyncSelect(FD_READ) (%d)", err);
    send_str(c, "msg");
    start = GetTickCount();
    while (!got && GetTickCount() - start < 5000)
    {
        while (PeekMessageA(&msg, hwnd, 0, 0, PM_REMOVE))
            if (msg.message == WM_USER + 7 && msg.wParam == (WPARAM)a && WSAGETSELECTEVENT(msg.lParam) == FD_READ &&
                WSAGETSELECTERROR(msg.lParam) == 0)
                got = 1;
        if (!got) MsgWaitForMultipleObjects(0, NULL, FALSE, 100, QS_ALLINPUT);
    }
    CHECK(got, "asyncselect: FD_READ message posted to the window");
    CHECK(P.lpWSPAsyncSelect(a, hwnd, 0, 0, &err) == 0, "asyncselect: cancel with no events");
    DestroyWindow(hwnd);
    close_s(a);
    close_s(c);
}

static void test_connection_errors(void)
{
    struct sockaddr_storage addr, taken;
    int len, tlen, err = 0, optlen, r;
    SOCKET l = listener(&tcp4, 0, &addr, &len), c, b;
    u_long one = 1;
    DWORD ret, val, t0;
    HANDLE ev;
    WSANETWORKEVENTS ne;
    char buf[8];
    SOCKET x, y;

    /* the port of a closed listener refuses */
    close_s(l);
    c = sock(&tcp4, 0);
    r = P.lpWSPConnect(c, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL, &err);
    CHECK(r == SOCKET_ERROR && err == WSAECONNREFUSED, "connect to a closed port: WSAECONNREFUSED (%d)", err);
    close_s(c);
    /* non-blocking: the refusal through FD_CONNECT and SO_ERROR */
    c = sock(&tcp4, 0);
    ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    P.lpWSPEventSelect(c, ev, FD_CONNECT, &err);
    r = P.lpWSPConnect(c, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL, &err);
    CHECK(r == SOCKET_ERROR && err == WSAEWOULDBLOCK, "event-selected connect: WSAEWOULDBLOCK (%d)", err);
    CHECK(WaitForSingleObject(ev, 5000) == WAIT_OBJECT_0, "event-selected connect: event signalled");
    memset(&ne, 0, sizeof(ne));
    r = P.lpWSPEnumNetworkEvents(c, ev, &ne, &err);
    CHECK(r == 0 && (ne.lNetworkEvents & FD_CONNECT) && ne.iErrorCode[FD_CONNECT_BIT] == WSAECONNREFUSED,
          "FD_CONNECT with WSAECONNREFUSED (events %#lx, error %d)", (long)ne.lNetworkEvents, ne.iErrorCode[FD_CONNECT_BIT]);
    optlen = sizeof(val);
    val = 0;
    r = P.lpWSPGetSockOpt(c, SOL_SOCKET, SO_ERROR, (char *)&val, &optlen, &err);
    CHECK(r == 0 && (val == WSAECONNREFUSED || val == 0), "SO_ERROR after the refusal (%lu)", (unsigned long)val);
    CloseHandle(ev);
    close_s(c);
    /* address in use */
    l = listener(&tcp4, 0, &taken, &tlen);
    b = sock(&tcp4, 0);
    r = P.lpWSPBind(b, (struct sockaddr *)&taken, tlen, &err);
    CHECK(r == SOCKET_ERROR && err == WSAEADDRINUSE, "bind to a listening address: WSAEADDRINUSE (%d)", err);
    r = P.lpWSPBind(l, (struct sockaddr *)&taken, tlen, &err);
    CHECK(r == SOCKET_ERROR && err == WSAEINVAL, "bind twice: WSAEINVAL (%d)", err);
    close_s(b);
    close_s(l);
    /* SO_RCVTIMEO */
    if (tcp_pair(&tcp4, 0, &x, &y))
    {
        val = 300;
        P.lpWSPSetSockOpt(y, SOL_SOCKET, SO_RCVTIMEO, (char *)&val, sizeof(val), &err);
        t0 = GetTickCount();
        r = recv_buf(y, buf, sizeof(buf), 0, &err);
        CHECK(r == -1 && err == WSAETIMEDOUT && GetTickCount() - t0 >= 250,
              "SO_RCVTIMEO 300 ms: recv times out with WSAETIMEDOUT (%d after %lu ms)", err,
              (unsigned long)(GetTickCount() - t0));
        close_s(x);
        close_s(y);
    }
    (void)one, (void)ret;
}

struct bulk { SOCKET s; DWORD total; int ok; };
static DWORD WINAPI bulk_reader(void *arg)
{
    struct bulk *b = arg;
    static unsigned char buf[65536];
    int err, n;
    b->ok = 1;
    b->total = 0;
    Sleep(300);  /* let the sender fill the socket buffers and wait first */
    while ((n = recv_buf(b->s, (char *)buf, sizeof(buf), 0, &err)) > 0)
    {
        int i;
        for (i = 0; i < n; i++)
            if (buf[i] != (unsigned char)((b->total + (DWORD)i) * 7)) b->ok = 0;
        b->total += (DWORD)n;
    }
    return 0;
}

/* A large send that has to wait (the peer is not reading yet) loses nothing: blocking and overlapped. */
static void test_bulk(DWORD flags, const char *name)
{
    enum { SIZE = 8 * 1024 * 1024 };
    unsigned char *data = HeapAlloc(GetProcessHeap(), 0, SIZE);
    struct bulk b;
    SOCKET c, a;
    HANDLE t;
    WSABUF wb;
    DWORD sent = 0, i, xfer = 0, f = 0;
    WSAOVERLAPPED ov;
    int err = 0, r;

    if (!data || !tcp_pair(&tcp4, flags, &c, &a))
    {
        CHECK(0, "%s: setup", name);
        return;
    }
    for (i = 0; i < SIZE; i++) data[i] = (unsigned char)(i * 7);
    b.s = a;
    t = CreateThread(NULL, 0, bulk_reader, &b, 0, NULL);
    wb.buf = (char *)data;
    wb.len = SIZE;
    if (flags & WSA_FLAG_OVERLAPPED)
    {
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
        r = P.lpWSPSend(c, &wb, 1, &sent, 0, &ov, NULL, NULL, &err);
        CHECK(r == 0 || err == WSA_IO_PENDING, "%s: overlapped send of 8 MiB accepted (%d/%d)", name, r, err);
        r = P.lpWSPGetOverlappedResult(c, &ov, &xfer, TRUE, &f, &err);
        CHECK(r && xfer == SIZE, "%s: overlapped send completes with all 8 MiB (%lu)", name, (unsigned long)xfer);
        CloseHandle(ov.hEvent);
    }
    else
    {
        r = P.lpWSPSend(c, &wb, 1, &sent, 0, NULL, NULL, NULL, &err);
        CHECK(r == 0 && sent == SIZE, "%s: blocking send of 8 MiB (%lu)", name, (unsigned long)sent);
    }
    P.lpWSPShutdown(c, SD_SEND, &err);
    WaitForSingleObject(t, 20000);
    CHECK(b.total == SIZE && b.ok, "%s: the peer received all 8 MiB intact (%lu, %s)", name, (unsigned long)b.total,
          b.ok ? "intact" : "corrupt");
    CloseHandle(t);
    close_s(c);
    close_s(a);
    HeapFree(GetProcessHeap(), 0, data);
}

static int condition_verdict;
static int CALLBACK condition(LPWSABUF caller_id, LPWSABUF caller_data, LPQOS sqos, LPQOS gqos, LPWSABUF callee_id,
                              LPWSABUF callee_data, GROUP *g, DWORD_PTR context)
{
    (void)caller_data, (void)sqos, (void)gqos, (void)callee_data, (void)g;
    if (context != 0x55 || !caller_id || caller_id->len != sizeof(struct sockaddr_in) || !callee_id ||
        callee_id->len != sizeof(struct sockaddr_in))
        return CF_REJECT + CF_ACCEPT + CF_DEFER + 100;  /* not a verdict: makes the accept fail with WSAEINVAL */
    return condition_verdict;
}

static void test_condition_accept(void)
{
    struct sockaddr_storage addr;
    int len, err = 0;
    SOCKET l = listener(&tcp4, 0, &addr, &len), c1 = sock(&tcp4, 0), c2 = sock(&tcp4, 0), a;
    char buf[8];

    P.lpWSPConnect(c1, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL, &err);
    condition_verdict = CF_REJECT;
    a = P.lpWSPAccept(l, NULL, NULL, condition, 0x55, &err);
    CHECK(a == INVALID_SOCKET && err == WSAECONNREFUSED, "condition accept: CF_REJECT gives WSAECONNREFUSED (%d)", err);
    CHECK(recv_buf(c1, buf, sizeof(buf), 0, &err) <= 0, "condition accept: the rejected client sees the connection end");
    P.lpWSPConnect(c2, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL, &err);
    condition_verdict = CF_DEFER;
    a = P.lpWSPAccept(l, NULL, NULL, condition, 0x55, &err);
    CHECK(a == INVALID_SOCKET && err == WSATRY_AGAIN, "condition accept: CF_DEFER gives WSATRY_AGAIN (%d)", err);
    condition_verdict = CF_ACCEPT;
    a = P.lpWSPAccept(l, NULL, NULL, condition, 0x55, &err);
    CHECK(a != INVALID_SOCKET, "condition accept: CF_ACCEPT then accepts the deferred connection (%d)", err);
    CHECK(send_str(c2, "ok") == 2 && recv_buf(a, buf, sizeof(buf), 0, &err) == 2, "condition accept: data flows");
    close_s(a);
    close_s(c1);
    close_s(c2);
    close_s(l);
}

static void test_more_ioctls_and_extensions(void)
{
    static const GUID g_disconnectex = WSAID_DISCONNECTEX, g_transmitfile = WSAID_TRANSMITFILE,
                      g_transmitpackets = WSAID_TRANSMITPACKETS, g_sendmsg = WSAID_WSASENDMSG;
    LPFN_DISCONNECTEX disconnectex = NULL;
    LPFN_TRANSMITFILE transmitfile = NULL;
    LPFN_TRANSMITPACKETS transmitpackets = NULL;
    LPFN_WSASENDMSG sendmsg_fn = NULL;
    struct tcp_keepalive ka = { 1, 10000, 1000 };
    SOCKET c, a, u = sock(&udp4, 0);
    DWORD ret = 0, size, written;
    BOOL off = FALSE;
    int err = 0, r, total;
    char buf[512], path[MAX_PATH];
    HANDLE file;

    if (!tcp_pair(&tcp4, WSA_FLAG_OVERLAPPED, &c, &a))
    {
        CHECK(0, "ioctls: connected pair");
        return;
    }
    r = P.lpWSPIoctl(c, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), NULL, 0, &ret, NULL, NULL, NULL, &err);
    CHECK(r == 0, "ioctl: SIO_KEEPALIVE_VALS (%d)", err);
    r = P.lpWSPIoctl(u, SIO_UDP_CONNRESET, &off, sizeof(off), NULL, 0, &ret, NULL, NULL, NULL, &err);
    CHECK(r == 0, "ioctl: SIO_UDP_CONNRESET FALSE on UDP (%d)", err);
    r = P.lpWSPIoctl(c, SIO_UDP_CONNRESET, &off, sizeof(off), NULL, 0, &ret, NULL, NULL, NULL, &err);
    CHECK(r == SOCKET_ERROR && err == WSAEINVAL, "ioctl: SIO_UDP_CONNRESET on TCP: WSAEINVAL (%d)", err);
    r = P.lpWSPIoctl(u, SIO_ADDRESS_LIST_QUERY, NULL, 0, NULL, 0, &size, NULL, NULL, NULL, &err);
    CHECK(r == SOCKET_ERROR && err == WSAEFAULT && size >= offsetof(SOCKET_ADDRESS_LIST, Address),
          "ioctl: SIO_ADDRESS_LIST_QUERY without a buffer: WSAEFAULT and the size (%lu)", (unsigned long)size);
    r = P.lpWSPIoctl(u, SIO_ADDRESS_LIST_QUERY, NULL, 0, buf, sizeof(buf), &ret, NULL, NULL, NULL, &err);
    CHECK(r == 0 && ret == size && ((SOCKET_ADDRESS_LIST *)buf)->iAddressCount >= 0,
          "ioctl: SIO_ADDRESS_LIST_QUERY lists %d addresses", r ? -1 : ((SOCKET_ADDRESS_LIST *)buf)->iAddressCount);

    P.lpWSPIoctl(c, SIO_GET_EXTENSION_FUNCTION_POINTER, (void *)&g_disconnectex, sizeof(GUID), &disconnectex,
                 sizeof(void *), &ret, NULL, NULL, NULL, &err);
    P.lpWSPIoctl(c, SIO_GET_EXTENSION_FUNCTION_POINTER, (void *)&g_transmitfile, sizeof(GUID), &transmitfile,
                 sizeof(void *), &ret, NULL, NULL, NULL, &err);
    P.lpWSPIoctl(c, SIO_GET_EXTENSION_FUNCTION_POINTER, (void *)&g_transmitpackets, sizeof(GUID), &transmitpackets,
                 sizeof(void *), &ret, NULL, NULL, NULL, &err);
    P.lpWSPIoctl(c, SIO_GET_EXTENSION_FUNCTION_POINTER, (void *)&g_sendmsg, sizeof(GUID), &sendmsg_fn,
                 sizeof(void *), &ret, NULL, NULL, NULL, &err);
    CHECK(disconnectex && transmitfile && transmitpackets && sendmsg_fn,
          "extensions: DisconnectEx, TransmitFile, TransmitPackets, WSASendMsg");
    if (!disconnectex || !transmitfile || !transmitpackets || !sendmsg_fn) goto out;

    /* TransmitFile: head + file + tail */
    GetTempPathA(sizeof(path), path);
    strcat(path, "afd_tf.txt");
    file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_FLAG_DELETE_ON_CLOSE, NULL);
    WriteFile(file, "FILEDATA", 8, &written, NULL);
    SetFilePointer(file, 0, NULL, FILE_BEGIN);
    {
        TRANSMIT_FILE_BUFFERS tfb = { (void *)"<", 1, (void *)">", 1 };
        CHECK(transmitfile(c, file, 0, 0, NULL, &tfb, 0), "extensions: TransmitFile (blocking) (%lu)", GetLastError());
        total = 0;
        while (total < 10 && (r = recv_buf(a, buf + total, sizeof(buf) - total, 0, &err)) > 0) total += r;
        CHECK(total == 10 && !memcmp(buf, "<FILEDATA>", 10), "extensions: TransmitFile sent head, file and tail (%d)",
              total);
    }
    /* TransmitPackets: memory, file, memory */
    {
        TRANSMIT_PACKETS_ELEMENT el[3];
        memset(el, 0, sizeof(el));
        el[0].dwElFlags = TP_ELEMENT_MEMORY;
        el[0].pBuffer = (void *)"[";
        el[0].cLength = 1;
        el[1].dwElFlags = TP_ELEMENT_FILE;
        el[1].hFile = file;
        el[1].nFileOffset.QuadPart = 4;
        el[1].cLength = 4;
        el[2].dwElFlags = TP_ELEMENT_MEMORY;
        el[2].pBuffer = (void *)"]";
        el[2].cLength = 1;
        CHECK(transmitpackets(c, el, 3, 0, NULL, 0), "extensions: TransmitPackets (%lu)", GetLastError());
        total = 0;
        while (total < 6 && (r = recv_buf(a, buf + total, sizeof(buf) - total, 0, &err)) > 0) total += r;
        CHECK(total == 6 && !memcmp(buf, "[DATA]", 6), "extensions: TransmitPackets sent the elements in order (%d)", total);
    }
    CloseHandle(file);
    /* WSASendMsg on TCP: Windows refuses stream sockets (Wine's sock.c, test_WSASendMsg) */
    {
        WSABUF b = { 3, (char *)"msg" };
        WSAMSG msg;
        DWORD sent = 0;
        memset(&msg, 0, sizeof(msg));
        msg.lpBuffers = &b;
        msg.dwBufferCount = 1;
        SetLastError(0xdeadbeef);
        CHECK(sendmsg_fn(c, &msg, 0, &sent, NULL, NULL) == SOCKET_ERROR && GetLastError() == WSAEINVAL,
              "extensions: WSASendMsg on TCP: WSAEINVAL (%lu)", GetLastError());
    }
    /* DisconnectEx */
    CHECK(disconnectex(c, NULL, TF_REUSE_SOCKET, 0) == FALSE && GetLastError() == WSAEOPNOTSUPP,
          "extensions: DisconnectEx(TF_REUSE_SOCKET): WSAEOPNOTSUPP (%lu)", GetLastError());
    CHECK(disconnectex(c, NULL, 0, 0), "extensions: DisconnectEx (blocking) (%lu)", GetLastError());
    CHECK(recv_buf(a, buf, sizeof(buf), 0, &err) == 0, "extensions: the peer sees the disconnect");
out:
    close_s(c);
    close_s(a);
    close_s(u);
}

static void test_address_strings(void)
{
    struct sockaddr_in6 in6;
    struct sockaddr_in in;
    WCHAR str[64];
    DWORD len;
    int alen, err = 0, r;

    memset(&in, 0, sizeof(in));
    in.sin_family = AF_INET;
    in.sin_port = sw16(8080);
    in.sin_addr.s_addr = 0x0401a8c0;  /* 192.168.1.4 */
    len = 64;
    r = P.lpWSPAddressToString((struct sockaddr *)&in, sizeof(in), &tcp4, str, &len, &err);
    CHECK(r == 0 && !wcscmp(str, L"192.168.1.4:8080") && len == 17, "WSPAddressToString: 192.168.1.4:8080 (%lu)",
          (unsigned long)len);
    len = 3;
    r = P.lpWSPAddressToString((struct sockaddr *)&in, sizeof(in), &tcp4, str, &len, &err);
    CHECK(r == SOCKET_ERROR && err == WSAEFAULT && len == 17, "WSPAddressToString: short buffer: WSAEFAULT + size");
    alen = sizeof(in6);
    r = P.lpWSPStringToAddress((LPWSTR)L"[fe80::1%2]:443", AF_INET6, &tcp6, (struct sockaddr *)&in6, &alen, &err);
    CHECK(r == 0 && alen == sizeof(in6) && in6.sin6_port == sw16(443) && in6.sin6_scope_id == 2 &&
          in6.sin6_addr.s6_addr[0] == 0xfe && in6.sin6_addr.s6_addr[15] == 1, "WSPStringToAddress: [fe80::1%%2]:443");
    alen = sizeof(in);
    r = P.lpWSPStringToAddress((LPWSTR)L"1.2.3.256", AF_INET, &tcp4, (struct sockaddr *)&in, &alen, &err);
    CHECK(r == SOCKET_ERROR && err == WSAEINVAL, "WSPStringToAddress: 1.2.3.256: WSAEINVAL (%d)", err);
}

/* Option value sizes as Windows has them (the facts Wine's conformance tests record): for each
 * option, whether 1- and 2-byte buffers work, the length reported for 1/2/4-byte buffers, the
 * value left in a 0xdeadbeef buffer (0: the bytes of 1 written at the reported length), whether
 * 0x100 is accepted and whether values are normalised to 1. */
static void test_option_sizes(void)
{
    static const struct
    {
        WSAPROTOCOL_INFOW *info;
        int level, optname;
        BOOL short_len;
        int sizes[3];
        DWORD values[3];
        BOOL large, is_bool;
        const char *name;
    } t[] =
    {
        { &udp4, SOL_SOCKET, SO_BROADCAST, TRUE, { 1, 1, 4 }, { 0, 0xdead0001, 0 }, TRUE, TRUE, "SO_BROADCAST" },
        { &tcp4, SOL_SOCKET, SO_DONTLINGER, TRUE, { 1, 1, 4 }, { 0, 0xdead0001, 0 }, TRUE, TRUE, "SO_DONTLINGER" },
        { &tcp4, SOL_SOCKET, SO_LINGER, FALSE, { 1, 2, 4 }, { 0xdeadbe00, 0xdead0000, 0 }, TRUE, FALSE, "SO_LINGER" },
        { &tcp4, SOL_SOCKET, SO_OOBINLINE, TRUE, { 1, 1, 4 }, { 0, 0xdead0001, 0 }, TRUE, TRUE, "SO_OOBINLINE" },
        { &tcp4, SOL_SOCKET, SO_RCVBUF, FALSE, { 1, 2, 4 }, { 0xdeadbe00, 0xdead0000, 0 }, TRUE, FALSE, "SO_RCVBUF" },
        { &tcp4, SOL_SOCKET, SO_KEEPALIVE, TRUE, { 1, 1, 1 }, { 0, 0, 0 }, TRUE, FALSE, "SO_KEEPALIVE" },
        { &tcp4, SOL_SOCKET, SO_RCVTIMEO, FALSE, { 1, 2, 4 }, { 0, 0, 0 }, TRUE, FALSE, "SO_RCVTIMEO" },
        { &tcp4, SOL_SOCKET, SO_REUSEADDR, TRUE, { 1, 1, 4 }, { 0, 0xdead0001, 0 }, TRUE, TRUE, "SO_REUSEADDR" },
        { &tcp4, SOL_SOCKET, SO_SNDBUF, FALSE, { 1, 2, 4 }, { 0xdeadbe00, 0xdead0000, 0 }, TRUE, FALSE, "SO_SNDBUF" },
        { &tcp4, IPPROTO_TCP, TCP_NODELAY, TRUE, { 1, 1, 1 }, { 0, 0, 0 }, TRUE, FALSE, "TCP_NODELAY" },
        { &udp4, IPPROTO_IP, IP_MULTICAST_LOOP, TRUE, { 1, 1, 4 }, { 0, 0, 0 }, TRUE, TRUE, "IP_MULTICAST_LOOP" },
        { &udp4, IPPROTO_IP, IP_MULTICAST_TTL, TRUE, { 1, 1, 4 }, { 0, 0, 0 }, FALSE, FALSE, "IP_MULTICAST_TTL" },
        { &udp4, IPPROTO_IP, IP_PKTINFO, FALSE, { 0, 0, 4 }, { 0, 0, 0 }, TRUE, TRUE, "IP_PKTINFO" },
        { &udp4, IPPROTO_IP, IP_TTL, TRUE, { 1, 1, 4 }, { 0, 0, 0 }, FALSE, FALSE, "IP_TTL" },
        { &udp6, IPPROTO_IPV6, IPV6_UNICAST_HOPS, TRUE, { 1, 1, 4 }, { 0, 0, 0 }, FALSE, FALSE, "IPV6_UNICAST_HOPS" },
        { &udp6, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, { 1, 1, 1 }, { 0, 0, 0 }, TRUE, FALSE, "IPV6_V6ONLY" },
    };
    size_t i, j;

    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
    {
        SOCKET s = sock(t[i].info, 0);
        DWORD value, save = 0, expect;
        int size, err = 0, r, ok = 1, expect_size;
        char why[160] = "";

        size = sizeof(save);
        P.lpWSPGetSockOpt(s, t[i].level, t[i].optname, (char *)&save, &size, &err);
        size = -1;
        r = P.lpWSPGetSockOpt(s, t[i].level, t[i].optname, (char *)&value, &size, &err);
        if (r != SOCKET_ERROR || err != WSAEFAULT || size != -1) ok = 0, snprintf(why, sizeof(why), "len -1");
        value = 1;
        r = P.lpWSPSetSockOpt(s, t[i].level, t[i].optname, (char *)&value, 0, &err);
        if (ok && (t[i].level == SOL_SOCKET && t[i].is_bool ? r != 0 : (r != SOCKET_ERROR || err != WSAEFAULT)))
            ok = 0, snprintf(why, sizeof(why), "set len 0: %d/%d", r, err);
        size = 0;
        r = P.lpWSPGetSockOpt(s, t[i].level, t[i].optname, (char *)&value, &size, &err);
        if (ok && (r != SOCKET_ERROR || err != WSAEFAULT)) ok = 0, snprintf(why, sizeof(why), "get len 0");
        value = 0x100;
        r = P.lpWSPSetSockOpt(s, t[i].level, t[i].optname, (char *)&value, 4, &err);
        if (ok && (t[i].large ? r != 0 : (r != SOCKET_ERROR || err != WSAEINVAL)))
            ok = 0, snprintf(why, sizeof(why), "set 0x100: %d/%d", r, err);
        if (ok && t[i].large)
        {
            expect_size = t[i].sizes[2];
            expect = expect_size == 1 ? 0xdeadbe00 : t[i].is_bool ? 1 : 0x100;
            value = 0xdeadbeef;
            size = 4;
            r = P.lpWSPGetSockOpt(s, t[i].level, t[i].optname, (char *)&value, &size, &err);
            if (t[i].optname == SO_LINGER) expect = value;  /* Linux normalises l_onoff */
            if (r || value != expect || size != expect_size)
                ok = 0, snprintf(why, sizeof(why), "get after 0x100: %d %#lx/%d", r, (unsigned long)value, size);
        }
        for (j = 0; ok && j < 3; j++)
        {
            int len = 1 << j, expect_err = (t[i].short_len || len == 4) ? 0 : WSAEFAULT;
            value = 1;
            r = P.lpWSPSetSockOpt(s, t[i].level, t[i].optname, (char *)&value, len, &err);
            if (expect_err ? (r != SOCKET_ERROR || err != expect_err) : r != 0)
            {
                ok = 0, snprintf(why, sizeof(why), "set len %d: %d/%d", len, r, err);
                break;
            }
            expect = 0xdeadbeef;
            if (t[i].values[j]) expect = t[i].values[j];
            else if (!expect_err) memcpy(&expect, &value, (size_t)t[i].sizes[j]);
            value = 0xdeadbeef;
            size = len;
            r = P.lpWSPGetSockOpt(s, t[i].level, t[i].optname, (char *)&value, &size, &err);
            if ((expect_err ? (r != SOCKET_ERROR || err != expect_err) : r != 0) || value != expect ||
                size != t[i].sizes[j])
                ok = 0, snprintf(why, sizeof(why), "get len %d: %d/%d value %#lx (want %#lx) size %d", len, r, err,
                                 (unsigned long)value, (unsigned long)expect, size);
        }
        P.lpWSPSetSockOpt(s, t[i].level, t[i].optname, (char *)&save, sizeof(save), &err);
        CHECK(ok, "option sizes: %s behaves as on Windows %s", t[i].name, why);
        close_s(s);
    }
    {
        SOCKET s = sock(&tcp4, 0);
        int v = 1234, size = sizeof(v), err = 0, r;
        r = P.lpWSPSetSockOpt(s, SOL_SOCKET, SO_ERROR, (char *)&v, sizeof(v), &err);
        v = 0;
        r |= P.lpWSPGetSockOpt(s, SOL_SOCKET, SO_ERROR, (char *)&v, &size, &err);
        CHECK(!r && v == 1234, "sockopt: SO_ERROR set by the program reads back (%d)", v);
        size = 1;
        CHECK(P.lpWSPGetSockOpt(s, SOL_SOCKET, SO_ERROR, (char *)&v, &size, &err) == SOCKET_ERROR && err == WSAEFAULT,
              "sockopt: SO_ERROR into 1 byte: WSAEFAULT");
        CHECK(P.lpWSPSetSockOpt(s, SOL_SOCKET, SO_LINGER, NULL, 0, &err) == SOCKET_ERROR && err == WSAEFAULT,
              "sockopt: SO_LINGER NULL/0: WSAEFAULT");
        CHECK(P.lpWSPSetSockOpt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0, &err) == 0,
              "sockopt: SO_UPDATE_CONNECT_CONTEXT with NULL/0 (the documented call)");
        CHECK(P.lpWSPSetSockOpt(s, SOL_SOCKET, SO_DONTROUTE, (char *)1, 1, &err) == SOCKET_ERROR && err == WSAEFAULT,
              "sockopt: a value passed as the pointer: WSAEFAULT");
        close_s(s);
    }
}

static void test_errors(void)
{
    struct sockaddr_storage addr;
    int len, err = 0, n, optlen;
    SOCKET s = sock(&tcp4, 0), u = sock(&udp4, 0);
    char buf[16];
    WSABUF b;
    DWORD got, flags, val, ret;

    n = recv_buf(s, buf, sizeof(buf), 0, &err);
    CHECK(n == -1 && err == WSAENOTCONN, "errors: recv on an unconnected TCP socket: WSAENOTCONN (%d)", err);
    n = P.lpWSPGetPeerName(u, NULL, NULL, &err);
    CHECK(n == SOCKET_ERROR && err == WSAENOTCONN, "errors: getpeername(NULL, NULL) on unconnected UDP: WSAENOTCONN first (%d)",
          err);
    n = send_str(s, "x");
    CHECK(n == -WSAENOTCONN, "errors: send on an unconnected TCP socket: WSAENOTCONN (%d)", -n);
    CHECK(P.lpWSPListen(s, 5, &err) == SOCKET_ERROR && err == WSAEINVAL, "errors: listen unbound: WSAEINVAL (%d)", err);
    CHECK(P.lpWSPBind(s, NULL, 16, &err) == SOCKET_ERROR && err == WSAEFAULT, "errors: bind NULL: WSAEFAULT (%d)", err);
    CHECK(P.lpWSPBind(s, (struct sockaddr *)(ULONG_PTR)16, 16, &err) == SOCKET_ERROR && err == WSAEFAULT,
          "errors: bind bad pointer: WSAEFAULT (%d)", err);
    loopback(AF_INET, &addr, &len, 0);
    CHECK(P.lpWSPBind(s, (struct sockaddr *)&addr, 8, &err) == SOCKET_ERROR && err == WSAEFAULT,
          "errors: bind short length: WSAEFAULT (%d)", err);
    len = sizeof(addr);
    CHECK(P.lpWSPGetSockName(s, (struct sockaddr *)&addr, &len, &err) == SOCKET_ERROR && err == WSAEINVAL,
          "errors: getsockname unbound: WSAEINVAL (%d)", err);
    len = sizeof(addr);
    CHECK(P.lpWSPGetPeerName(s, (struct sockaddr *)&addr, &len, &err) == SOCKET_ERROR && err == WSAENOTCONN,
          "errors: getpeername unconnected: WSAENOTCONN (%d)", err);
    CHECK(P.lpWSPShutdown(s, 7, &err) == SOCKET_ERROR && err == WSAEINVAL, "errors: shutdown(7): WSAEINVAL (%d)", err);
    CHECK(P.lpWSPShutdown(s, SD_BOTH, &err) == SOCKET_ERROR && err == WSAENOTCONN,
          "errors: shutdown unconnected: WSAENOTCONN (%d)", err);
    b.buf = (char *)(ULONG_PTR)16;
    b.len = 10;
    got = 0;
    CHECK(P.lpWSPSend(u, &b, 1, &got, 0, NULL, NULL, NULL, &err) == SOCKET_ERROR && err == WSAEFAULT,
          "errors: send from a bad buffer: WSAEFAULT (%d)", err);
    flags = 0;
    CHECK(P.lpWSPRecv(s, &b, 1, &got, &flags, NULL, NULL, NULL, &err) == SOCKET_ERROR && err == WSAEFAULT,
          "errors: recv into a bad buffer: WSAEFAULT (%d)", err);
    CHECK(P.lpWSPCloseSocket((SOCKET)0x4444, &err) == SOCKET_ERROR && err == WSAENOTSOCK,
          "errors: closesocket on an unknown socket: WSAENOTSOCK (%d)", err);
    CHECK(send_str((SOCKET)0x4444, "x") == -WSAENOTSOCK, "errors: send on an unknown socket: WSAENOTSOCK");
    CHECK(P.lpWSPSocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, 0, &err) == INVALID_SOCKET && err == WSAEFAULT,
          "errors: WSPSocket without protocol info: WSAEFAULT (%d)", err);
    /* options */
    optlen = sizeof(val);
    CHECK(P.lpWSPGetSockOpt(s, SOL_SOCKET, SO_TYPE, (char *)&val, &optlen, &err) == 0 && val == SOCK_STREAM &&
          optlen == 4, "sockopt: SO_TYPE is SOCK_STREAM");
    val = 65536;
    CHECK(P.lpWSPSetSockOpt(s, SOL_SOCKET, SO_RCVBUF, (char *)&val, sizeof(val), &err) == 0, "sockopt: set SO_RCVBUF");
    optlen = sizeof(val);
    val = 0;
    CHECK(P.lpWSPGetSockOpt(s, SOL_SOCKET, SO_RCVBUF, (char *)&val, &optlen, &err) == 0 && val >= 65536,
          "sockopt: SO_RCVBUF reads back %lu", (unsigned long)val);
    val = 1;
    CHECK(P.lpWSPSetSockOpt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&val, sizeof(val), &err) == 0, "sockopt: set TCP_NODELAY");
    optlen = sizeof(val);
    val = 0;
    CHECK(P.lpWSPGetSockOpt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&val, &optlen, &err) == 0 && val == 1,
          "sockopt: TCP_NODELAY reads back 1");
    val = SOCK_DGRAM;
    /* read-only: Windows answers a stream socket WSAENOPROTOOPT (Wine's sock.c, test_WSASocket) */
    CHECK(P.lpWSPSetSockOpt(s, SOL_SOCKET, SO_TYPE, (char *)&val, sizeof(val), &err) == SOCKET_ERROR &&
          err == WSAENOPROTOOPT, "sockopt: SO_TYPE is read-only: WSAENOPROTOOPT (%d)", err);
    optlen = 2;
    CHECK(P.lpWSPGetSockOpt(s, SOL_SOCKET, SO_RCVBUF, (char *)&val, &optlen, &err) == SOCKET_ERROR && err == WSAEFAULT,
          "sockopt: SO_RCVBUF with a 2-byte buffer: WSAEFAULT (%d)", err);
    optlen = sizeof(val);
    CHECK(P.lpWSPGetSockOpt(s, SOL_SOCKET, 0x7abc, (char *)&val, &optlen, &err) == SOCKET_ERROR && err == WSAENOPROTOOPT,
          "sockopt: unknown option: WSAENOPROTOOPT (%d)", err);
    optlen = sizeof(val);
    CHECK(P.lpWSPGetSockOpt(s, 0x4242, 1, (char *)&val, &optlen, &err) == SOCKET_ERROR && err == WSAEINVAL,
          "sockopt: unknown level: WSAEINVAL (%d)", err);
    {
        WSAPROTOCOL_INFOW pi;
        optlen = sizeof(pi);
        CHECK(P.lpWSPGetSockOpt(u, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&pi, &optlen, &err) == 0 &&
              pi.iSocketType == SOCK_DGRAM && pi.dwCatalogEntryId == udp4.dwCatalogEntryId,
              "sockopt: SO_PROTOCOL_INFOW is the socket's catalog entry");
    }
    /* ioctl */
    CHECK(P.lpWSPIoctl(s, FIONREAD, NULL, 0, &val, sizeof(val), &ret, NULL, NULL, NULL, &err) == 0 && val == 0 &&
          ret == sizeof(u_long), "ioctl: FIONREAD on an empty socket is 0");
    ret = 0xdeadbeef;
    CHECK(P.lpWSPIoctl(s, 0x12345678, NULL, 0, NULL, 0, &ret, NULL, NULL, NULL, &err) == SOCKET_ERROR &&
          err == WSAEOPNOTSUPP && ret == 0, "ioctl: unknown code: WSAEOPNOTSUPP, size 0 (%d)", err);
    CHECK(P.lpWSPIoctl(s, FIONREAD, NULL, 0, &val, sizeof(val), NULL, NULL, NULL, NULL, &err) == SOCKET_ERROR &&
          err == WSAEFAULT, "ioctl: no lpcbBytesReturned: WSAEFAULT (%d)", err);
    CHECK(P.lpWSPIoctl(s, FIONREAD, NULL, 0, (void *)(ULONG_PTR)1, sizeof(val), &ret, NULL, NULL, NULL, &err) ==
          SOCKET_ERROR && err == WSAEFAULT, "ioctl: FIONREAD into a bad pointer: WSAEFAULT (%d)", err);
    {
        SOCKET o = sock(&tcp4, WSA_FLAG_OVERLAPPED);
        HANDLE port = CreateIoCompletionPort((HANDLE)o, NULL, 123, 0);
        WSAOVERLAPPED ov;
        LPOVERLAPPED got = NULL;
        ULONG_PTR key = 0;
        DWORD bytes = 0xdeadbeef;
        int r;

        memset(&ov, 0, sizeof(ov));
        ret = 0xdeadbeef;
        r = P.lpWSPIoctl(o, 0x12345678, NULL, 0, NULL, 0, &ret, &ov, NULL, NULL, &err);
        CHECK(r == SOCKET_ERROR && err == WSA_IO_PENDING && ret == 0xdeadbeef,
              "ioctl: unknown code, overlapped: pending (%d)", err);
        CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 1000) && GetLastError() == ERROR_NOT_SUPPORTED &&
              got == &ov && key == 123 && ov.Internal == 0xc00000bb,
              "ioctl: ... completed with STATUS_NOT_SUPPORTED through the completion port (%lu)", GetLastError());
        memset(&ov, 0, sizeof(ov));
        ov.InternalHigh = 0xdeadbeef;
        val = 0xdeadbeef;
        r = P.lpWSPIoctl(o, FIONREAD, NULL, 0, &val, sizeof(val), &ret, &ov, NULL, NULL, &err);
        CHECK(r == 0 && val == 0 && ret == sizeof(u_long) && ov.Internal == 0 && ov.InternalHigh == 0,
              "ioctl: FIONREAD overlapped: immediate result, status 0 and no byte count in the OVERLAPPED");
        CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, 1000) && got == &ov && bytes == 0,
              "ioctl: ... and a completion packet with 0 bytes");
        memset(&ov, 0, sizeof(ov));
        r = P.lpWSPIoctl(o, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &ret, &ov, NULL, NULL, &err);
        CHECK(r == SOCKET_ERROR && err == WSA_IO_PENDING, "ioctl: SIO_ADDRESS_LIST_CHANGE overlapped: pending (%d)", err);
        {
            u_long one = 1;
            SOCKET nb = sock(&tcp4, 0);
            P.lpWSPIoctl(nb, FIONBIO, &one, sizeof(one), NULL, 0, &ret, NULL, NULL, NULL, &err);
            r = P.lpWSPIoctl(nb, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &ret, NULL, NULL, NULL, &err);
            CHECK(r == SOCKET_ERROR && err == WSAEWOULDBLOCK,
                  "ioctl: SIO_ADDRESS_LIST_CHANGE on a non-blocking socket: WSAEWOULDBLOCK (%d)", err);
            close_s(nb);
        }
        r = P.lpWSPIoctl(o, SIO_IDEAL_SEND_BACKLOG_QUERY, NULL, 0, &val, sizeof(val), &ret, NULL, NULL, NULL, &err);
        CHECK(r == SOCKET_ERROR && err == WSAENOTCONN, "ioctl: SIO_IDEAL_SEND_BACKLOG_QUERY unconnected: WSAENOTCONN (%d)",
              err);
        CloseHandle(port);
        close_s(o);
    }
    {
        SOCKET base = 0;
        CHECK(P.lpWSPIoctl(s, SIO_BASE_HANDLE, NULL, 0, &base, sizeof(base), &ret, NULL, NULL, NULL, &err) == 0 &&
              base == s, "ioctl: SIO_BASE_HANDLE is the socket itself");
    }
    {
        INTERFACE_INFO ii[32];
        CHECK(P.lpWSPIoctl(u, SIO_GET_INTERFACE_LIST, NULL, 0, ii, sizeof(ii), &ret, NULL, NULL, NULL, &err) == 0 &&
              ret >= sizeof(INTERFACE_INFO) && ret % sizeof(INTERFACE_INFO) == 0,
              "ioctl: SIO_GET_INTERFACE_LIST lists %lu interfaces", (unsigned long)(ret / sizeof(INTERFACE_INFO)));
    }
    {
        struct sockaddr_storage dst, src;
        int dlen;
        loopback(AF_INET, &dst, &dlen, 80);
        CHECK(P.lpWSPIoctl(u, SIO_ROUTING_INTERFACE_QUERY, &dst, dlen, &src, sizeof(src), &ret, NULL, NULL, NULL, &err) == 0 &&
              ((struct sockaddr_in *)&src)->sin_addr.s_addr == 0x0100007f && ret == sizeof(struct sockaddr_in),
              "ioctl: SIO_ROUTING_INTERFACE_QUERY to 127.0.0.1 routes from 127.0.0.1");
        ret = 0xdeadbeef;
        CHECK(P.lpWSPIoctl(u, SIO_ROUTING_INTERFACE_QUERY, NULL, dlen, &src, sizeof(src), &ret, NULL, NULL, NULL, &err) ==
              SOCKET_ERROR && err == WSAEINVAL && ret == 0xdeadbeef, "ioctl: SIO_ROUTING_INTERFACE_QUERY without input: WSAEINVAL");
        CHECK(P.lpWSPIoctl(u, SIO_ROUTING_INTERFACE_QUERY, &dst, dlen, &src, 15, &ret, NULL, NULL, NULL, &err) ==
              SOCKET_ERROR && err == WSAEFAULT && ret == 16, "ioctl: SIO_ROUTING_INTERFACE_QUERY short output: WSAEFAULT + size");
        ((struct sockaddr_in *)&dst)->sin_addr.s_addr = 0;
        CHECK(P.lpWSPIoctl(u, SIO_ROUTING_INTERFACE_QUERY, &dst, dlen, &src, sizeof(src), &ret, NULL, NULL, NULL, &err) ==
              SOCKET_ERROR && err == WSAEINVAL, "ioctl: SIO_ROUTING_INTERFACE_QUERY to 0.0.0.0: WSAEINVAL (%d)", err);
        dst.ss_family = 0;
        CHECK(P.lpWSPIoctl(u, SIO_ROUTING_INTERFACE_QUERY, &dst, dlen, &src, sizeof(src), &ret, NULL, NULL, NULL, &err) ==
              SOCKET_ERROR && err == WSAEAFNOSUPPORT, "ioctl: SIO_ROUTING_INTERFACE_QUERY family 0: WSAEAFNOSUPPORT (%d)", err);
    }
    close_s(s);
    close_s(u);
}

static void test_extensions(void)
{
    static const GUID g_acceptex = WSAID_ACCEPTEX, g_connectex = WSAID_CONNECTEX, g_sockaddrs = WSAID_GETACCEPTEXSOCKADDRS,
                      g_recvmsg = WSAID_WSARECVMSG;
    LPFN_ACCEPTEX acceptex = NULL;
    LPFN_CONNECTEX connectex = NULL;
    LPFN_GETACCEPTEXSOCKADDRS sockaddrs = NULL;
    LPFN_WSARECVMSG recvmsg_fn = NULL;
    struct sockaddr_storage addr, any;
    struct sockaddr *local, *remote;
    int len, alen, err = 0, llen = 0, rlen = 0;
    DWORD ret, n = 0;
    SOCKET l, acc, c;
    char buf[256];
    WSAOVERLAPPED ov, ov2;

    l = listener(&tcp4, WSA_FLAG_OVERLAPPED, &addr, &len);
    P.lpWSPIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, (void *)&g_acceptex, sizeof(GUID), &acceptex, sizeof(acceptex), &ret,
                 NULL, NULL, NULL, &err);
    P.lpWSPIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, (void *)&g_connectex, sizeof(GUID), &connectex, sizeof(connectex),
                 &ret, NULL, NULL, NULL, &err);
    P.lpWSPIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, (void *)&g_sockaddrs, sizeof(GUID), &sockaddrs, sizeof(sockaddrs),
                 &ret, NULL, NULL, NULL, &err);
    P.lpWSPIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, (void *)&g_recvmsg, sizeof(GUID), &recvmsg_fn, sizeof(recvmsg_fn),
                 &ret, NULL, NULL, NULL, &err);
    CHECK(acceptex && connectex && sockaddrs && recvmsg_fn, "extensions: AcceptEx, ConnectEx, GetAcceptExSockaddrs, WSARecvMsg");
    if (!acceptex || !connectex || !sockaddrs || !recvmsg_fn) return;

    acc = sock(&tcp4, WSA_FLAG_OVERLAPPED);
    c = sock(&tcp4, WSA_FLAG_OVERLAPPED);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    /* Windows' argument order (Wine's conformance tests): OVERLAPPED, pending mark, sockets, buffer */
    CHECK(!acceptex(l, acc, buf, 0, 32, 32, &n, NULL) && GetLastError() == ERROR_INVALID_PARAMETER,
          "AcceptEx without OVERLAPPED: ERROR_INVALID_PARAMETER (%lu)", GetLastError());
    ov.Internal = 0xdeadbeef;
    CHECK(!acceptex(acc, c, buf, 0, 32, 32, &n, &ov) && GetLastError() == WSAEINVAL && ov.Internal == 0x103,
          "AcceptEx on a socket that is not listening: WSAEINVAL, request marked pending (%lu, %#lx)", GetLastError(),
          (unsigned long)ov.Internal);
    CHECK(!acceptex(l, (SOCKET)0x4444, buf, 0, 32, 32, &n, &ov) && GetLastError() == WSAENOTSOCK,
          "AcceptEx into an unknown socket: WSAENOTSOCK (%lu)", GetLastError());
    CHECK(!acceptex(l, acc, NULL, 0, 32, 32, &n, &ov) && GetLastError() == WSAEFAULT,
          "AcceptEx without a buffer: WSAEFAULT (%lu)", GetLastError());
    CHECK(!acceptex(l, acc, buf, 0, 32, 0, &n, &ov) && GetLastError() == WSAEFAULT,
          "AcceptEx without a remote address area: WSAEFAULT (%lu)", GetLastError());
    {
        SOCKET bound = sock(&tcp4, WSA_FLAG_OVERLAPPED);
        struct sockaddr_storage any2;
        int alen2;
        loopback(AF_INET, &any2, &alen2, 0);
        P.lpWSPBind(bound, (struct sockaddr *)&any2, alen2, &err);
        CHECK(!acceptex(l, bound, buf, 0, 32, 32, &n, &ov) && GetLastError() == WSAEINVAL,
              "AcceptEx into a bound socket: WSAEINVAL (%lu)", GetLastError());
        close_s(bound);
    }
    CHECK(!acceptex(l, acc, buf, 0, sizeof(struct sockaddr_in) + 16, sizeof(struct sockaddr_in) + 16, &n, &ov) &&
          GetLastError() == ERROR_IO_PENDING, "extensions: AcceptEx pending (%lu)", GetLastError());
    memset(&ov2, 0, sizeof(ov2));
    ov2.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    CHECK(!connectex(c, (struct sockaddr *)&addr, len, NULL, 0, &n, &ov2) && GetLastError() == WSAEINVAL,
          "extensions: ConnectEx on an unbound socket: WSAEINVAL (%lu)", GetLastError());
    loopback(AF_INET, &any, &alen, 0);
    P.lpWSPBind(c, (struct sockaddr *)&any, alen, &err);
    n = 0;
    if (!connectex(c, (struct sockaddr *)&addr, len, (void *)"first", 5, &n, &ov2))
        CHECK(GetLastError() == ERROR_IO_PENDING, "extensions: ConnectEx pending (%lu)", GetLastError());
    CHECK(WaitForSingleObject(ov2.hEvent, 5000) == WAIT_OBJECT_0 && ov2.Internal == 0 && ov2.InternalHigh == 5,
          "extensions: ConnectEx completes with 5 bytes sent (%lu)", (unsigned long)ov2.InternalHigh);
    CHECK(WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0 && ov.Internal == 0, "extensions: AcceptEx completes");
    llen = rlen = 0;
    local = remote = NULL;
    sockaddrs(buf, 0, sizeof(struct sockaddr_in) + 16, sizeof(struct sockaddr_in) + 16, &local, &llen, &remote, &rlen);
    CHECK(local && remote && llen == sizeof(struct sockaddr_in) && rlen == sizeof(struct sockaddr_in) &&
          ((struct sockaddr_in *)local)->sin_port == ((struct sockaddr_in *)&addr)->sin_port,
          "extensions: GetAcceptExSockaddrs gives the local and remote addresses");
    CHECK(P.lpWSPSetSockOpt(acc, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof(l), &err) == 0,
          "extensions: SO_UPDATE_ACCEPT_CONTEXT");
    {
        int r = recv_buf(acc, buf, sizeof(buf), 0, &err);
        CHECK(r == 5 && !memcmp(buf, "first", 5), "extensions: accepted socket receives ConnectEx's data (%d)", r);
    }
    CloseHandle(ov.hEvent);
    CloseHandle(ov2.hEvent);
    close_s(acc);
    close_s(c);
    close_s(l);

    /* WSARecvMsg on UDP */
    {
        SOCKET u1 = sock(&udp4, 0), u2 = sock(&udp4, 0);
        struct sockaddr_storage a1, a2, from;
        int l1, l2;
        WSABUF data, b;
        WSAMSG msg;
        DWORD got = 0;

        loopback(AF_INET, &a1, &l1, 0);
        loopback(AF_INET, &a2, &l2, 0);
        P.lpWSPBind(u1, (struct sockaddr *)&a1, l1, &err);
        P.lpWSPBind(u2, (struct sockaddr *)&a2, l2, &err);
        l2 = sizeof(a2);
        P.lpWSPGetSockName(u2, (struct sockaddr *)&a2, &l2, &err);
        b.buf = (char *)"msg!";
        b.len = 4;
        P.lpWSPSendTo(u1, &b, 1, &got, 0, (struct sockaddr *)&a2, l2, NULL, NULL, NULL, &err);
        data.buf = buf;
        data.len = sizeof(buf);
        memset(&msg, 0, sizeof(msg));
        msg.name = (struct sockaddr *)&from;
        msg.namelen = sizeof(from);
        msg.lpBuffers = &data;
        msg.dwBufferCount = 1;
        CHECK(recvmsg_fn(u2, &msg, &got, NULL, NULL) == 0 && got == 4 && !memcmp(buf, "msg!", 4) &&
              msg.namelen == sizeof(struct sockaddr_in), "extensions: WSARecvMsg receives a datagram with its source");
        close_s(u1);
        close_s(u2);
    }
}

static void test_duplicate_and_waitall(void)
{
    WSAPROTOCOL_INFOW info;
    SOCKET c, a, d;
    int err = 0, r;
    char buf[16];

    if (!tcp_pair(&tcp4, 0, &c, &a))
    {
        CHECK(0, "duplicate: connected pair");
        return;
    }
    CHECK(P.lpWSPDuplicateSocket(c, GetCurrentProcessId(), &info, &err) == 0, "duplicate: WSPDuplicateSocket (%d)", err);
    d = P.lpWSPSocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0, &err);
    CHECK(d != INVALID_SOCKET && d != c, "duplicate: WSPSocket with the duplicated info gives a new socket");
    CHECK(P.lpWSPSocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0, &err) == INVALID_SOCKET &&
          err == WSAEINVAL, "duplicate: the descriptor is good for one socket only (%d)", err);
    CHECK(send_str(d, "dup") == 3 && recv_buf(a, buf, sizeof(buf), 0, &err) == 3 && !memcmp(buf, "dup", 3),
          "duplicate: the duplicate sends on the same connection");
    close_s(d);
    /* MSG_WAITALL: two sends, one receive that waits for both */
    send_str(c, "12345");
    send_str(c, "67890");
    r = recv_buf(a, buf, 10, MSG_WAITALL, &err);
    CHECK(r == 10 && !memcmp(buf, "1234567890", 10), "waitall: MSG_WAITALL gathers 10 bytes (%d)", r);
    r = recv_buf(a, buf, 10, MSG_WAITALL | MSG_PEEK, &err);
    CHECK(r == -1 && err == WSAEOPNOTSUPP, "waitall: MSG_WAITALL|MSG_PEEK: WSAEOPNOTSUPP (%d)", err);
    /* out-of-band data */
    {
        WSABUF b = { 1, (char *)"!" };
        DWORD sent = 0, ret = 0;
        u_long mark = 1;
        CHECK(P.lpWSPSend(c, &b, 1, &sent, MSG_OOB, NULL, NULL, NULL, &err) == 0 && sent == 1, "oob: send MSG_OOB");
        Sleep(100);
        CHECK(P.lpWSPIoctl(a, SIOCATMARK, NULL, 0, &mark, sizeof(mark), &ret, NULL, NULL, NULL, &err) == 0,
              "oob: SIOCATMARK answers (%lu)", (unsigned long)mark);
        r = recv_buf(a, buf, sizeof(buf), MSG_OOB, &err);
        CHECK(r == 1 && buf[0] == '!', "oob: recv MSG_OOB gets the byte (%d, err %d)", r, err);
    }
    close_s(c);
    close_s(a);
}

/* The socket records: many sockets (the record table grows several times), closes in an interleaved
 * order (entries move within the table), every open socket still found with its own type, every
 * closed one WSAENOTSOCK (no handle is made in between, so no value is reused). */
static int records_type(SOCKET s, int *err)
{
    int type = 0, len = sizeof(type);
    *err = 0;
    if (P.lpWSPGetSockOpt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len, err)) return -1;
    return type;
}

static void test_many_sockets(void)
{
    enum { N = 600 };
    static SOCKET s[N];
    static BOOL closed[N];
    int i, made = 0, bad_open = 0, bad_closed = 0, err;

    for (i = 0; i < N; i++)
    {
        closed[i] = FALSE;
        if ((s[i] = sock(i % 2 ? &udp4 : &tcp4, 0)) != INVALID_SOCKET) made++;
    }
    CHECK(made == N, "records: %d of %d sockets made", made, N);
    if (made != N)
    {
        for (i = 0; i < N; i++)
            if (s[i] != INVALID_SOCKET) close_s(s[i]);
        return;
    }
    for (i = 0; i < N; i++)
        if (i % 3 == 0 || i % 7 == 1)
        {
            close_s(s[i]);
            closed[i] = TRUE;
        }
    for (i = 0; i < N; i++)
    {
        int type = records_type(s[i], &err);
        if (closed[i] ? (type != -1 || err != WSAENOTSOCK) : type != (i % 2 ? SOCK_DGRAM : SOCK_STREAM))
            closed[i] ? bad_closed++ : bad_open++;
    }
    CHECK(bad_open == 0 && bad_closed == 0,
          "records: after interleaved closes every open socket is found with its type (%d wrong), every closed "
          "one is WSAENOTSOCK (%d wrong)", bad_open, bad_closed);
    for (i = 0; i < N; i++)
        if (!closed[i]) close_s(s[i]);
    bad_closed = 0;
    for (i = 0; i < N; i++)
        if (records_type(s[i], &err) != -1 || err != WSAENOTSOCK) bad_closed++;
    CHECK(bad_closed == 0, "records: all %d closed: none is known any more (%d wrong)", N, bad_closed);
}

int main(void)
{
    HMODULE dll;
    LPWSPSTARTUP startup;
    WSPUPCALLTABLE up;
    WSPDATA data;
    int r;
    size_t i;

    setvbuf(stdout, NULL, _IONBF, 0);
    dll = LoadLibraryA("openws2afd.dll");
    CHECK(dll != NULL, "LoadLibrary(openws2afd.dll) (error %lu)", GetLastError());
    if (!dll) return 1;
    startup = (LPWSPSTARTUP)(void (*)(void))GetProcAddress(dll, "WSPStartup");
    CHECK(startup != NULL, "WSPStartup exported");
    if (!startup) return 1;

    memset(&up, 0, sizeof(up));
    up.lpWPUCloseEvent = up_close_event;
    up.lpWPUCloseSocketHandle = up_close_handle;
    up.lpWPUCreateEvent = up_create_event;
    up.lpWPUCreateSocketHandle = up_create_handle;
    up.lpWPUFDIsSet = up_fdisset;
    up.lpWPUGetProviderPath = up_path;
    up.lpWPUModifyIFSHandle = up_modify;
    up.lpWPUPostMessage = up_post;
    up.lpWPUQueryBlockingCallback = up_blocking;
    up.lpWPUQuerySocketHandleContext = up_context;
    up.lpWPUQueueApc = up_apc;
    up.lpWPUResetEvent = up_reset;
    up.lpWPUSetEvent = up_set;
    up.lpWPUOpenCurrentThread = up_open_thread;
    up.lpWPUCloseThread = up_close_thread;

    make_info(&tcp4, AF_INET, SOCK_STREAM, IPPROTO_TCP, 1001);
    make_info(&udp4, AF_INET, SOCK_DGRAM, IPPROTO_UDP, 1002);
    make_info(&tcp6, AF_INET6, SOCK_STREAM, IPPROTO_TCP, 1004);
    make_info(&udp6, AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 1005);

    r = startup(MAKEWORD(1, 1), &data, &tcp4, up, &P);
    CHECK(r == WSAVERNOTSUPPORTED, "WSPStartup(1.1): WSAVERNOTSUPPORTED (%d)", r);
    r = startup(MAKEWORD(2, 2), &data, &tcp4, up, &P);
    CHECK(r == 0 && data.wVersion == MAKEWORD(2, 2) && data.wHighVersion == MAKEWORD(2, 2),
          "WSPStartup(2.2) succeeds (%d, version %#x)", r, data.wVersion);
    if (r) return e2e_failures;
    for (i = 0; i < sizeof(P) / sizeof(void *); i++)
        if (!((void **)&P)[i]) break;
    CHECK(i == sizeof(P) / sizeof(void *), "WSPPROC_TABLE complete (%u of %u entries)", (unsigned)i,
          (unsigned)(sizeof(P) / sizeof(void *)));
    if (i != sizeof(P) / sizeof(void *)) return e2e_failures;
    r = startup(MAKEWORD(2, 2), &data, &tcp6, up, &P);
    CHECK(r == 0, "WSPStartup for the IPv6 entry too (%d)", r);

    test_tcp(&tcp4, "tcp4");
    test_tcp(&tcp6, "tcp6");
    test_udp(&udp4, "udp4");
    test_udp(&udp6, "udp6");
    test_nonblocking();
    test_select();
    test_event_select();
    test_poll();
    test_overlapped();
    test_close_while_blocked();
    test_close_under_accept_and_select();
    test_async_select();
    test_errors();
    test_option_sizes();
    test_condition_accept();
    test_more_ioctls_and_extensions();
    test_address_strings();
    test_connection_errors();
    test_bulk(0, "bulk/blocking");
    test_bulk(WSA_FLAG_OVERLAPPED, "bulk/overlapped");
    test_extensions();
    test_duplicate_and_waitall();
    test_many_sockets();
    CHECK(modify_calls > 10, "sockets were registered through WPUModifyIFSHandle (%ld calls)", (long)modify_calls);

    {
        int err = 0;
        CHECK(P.lpWSPCleanup(&err) == 0 && P.lpWSPCleanup(&err) == 0, "WSPCleanup for both startups");
        CHECK(P.lpWSPCleanup(&err) == SOCKET_ERROR && err == WSANOTINITIALISED,
              "a third WSPCleanup: WSANOTINITIALISED (%d)", err);
    }
    printf("%d checks, %d failures\n", e2e_checks, e2e_failures);
    return e2e_failures;
}
