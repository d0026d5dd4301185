/* harden_ptrs.c - end-to-end checks under Wine that ws2_32's API layer answers bad caller pointers
 * as Windows does (WSAEFAULT, no crash), over the base provider: every API that takes small
 * structures gets a pointer into a released page, a PAGE_NOACCESS page and, for out-parameters, a
 * read-only page; afterwards the sockets still work. Run without arguments it also runs itself
 * again with OPENWS2_TRACE=1 (the traces must not touch the bad pointers either).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "api_check.h"
#include "traced_child.h"
#include <mswsock.h>

#define PAGE 4096
enum { FREED, NOACCESS, READONLY, KINDS };
static const char *kind_name[KINDS] = { "released page", "no-access page", "read-only page" };
static char *bad[KINDS];   /* a pointer 16 bytes into each kind of page */
static char *pages;        /* [0] read-write, [1] no access, [2] read-only */

/* in-parameters: released and no-access pages; out-parameters: read-only too */
#define FOR_BAD_IN(k) for (k = FREED; k <= NOACCESS; k++)
#define FOR_BAD_OUT(k) for (k = FREED; k < KINDS; k++)

static void setup_pages(void)
{
    char *freed = VirtualAlloc(NULL, PAGE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    DWORD old;

    pages = VirtualAlloc(NULL, 3 * PAGE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    VirtualProtect(pages + PAGE, PAGE, PAGE_NOACCESS, &old);
    VirtualProtect(pages + 2 * PAGE, PAGE, PAGE_READONLY, &old);
    VirtualFree(freed, 0, MEM_RELEASE);
    bad[FREED] = freed + 16;
    bad[NOACCESS] = pages + PAGE + 16;
    bad[READONLY] = pages + 2 * PAGE + 16;
}

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sin.sin_port = htons((u_short)port);
    return sin;
}

static int port_of(SOCKET s)
{
    struct sockaddr_in sin;
    int len = sizeof(sin);
    if (getsockname(s, (struct sockaddr *)&sin, &len)) return -1;
    return ntohs(sin.sin_port);
}

/* A connected TCP pair through listener l. */
static void tcp_pair(SOCKET l, SOCKET *client, SOCKET *server)
{
    struct sockaddr_in sin = loopback(port_of(l));
    *client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(connect(*client, (struct sockaddr *)&sin, sizeof(sin)) == 0, "connect (error %d)", WSAGetLastError());
    *server = accept(l, NULL, NULL);
    CHECK(*server != INVALID_SOCKET, "accept (error %d)", WSAGetLastError());
}

/* Data still flows both ways over a connected pair. */
static void check_pair_works(SOCKET a, SOCKET b, const char *what)
{
    char buf[16];
    int r1 = send(a, "ping", 4, 0), r2 = recv(b, buf, sizeof(buf), 0);
    int r3 = send(b, "pong", 4, 0), r4 = recv(a, buf, sizeof(buf), 0);
    CHECK(r1 == 4 && r2 == 4 && r3 == 4 && r4 == 4 && !memcmp(buf, "pong", 4), "%s: the pair still works", what);
}

static void check_startup(void)
{
    WSADATA d;
    int k;

    printf("-- WSAStartup\n");
    FOR_BAD_OUT(k)
    {
        int r = WSAStartup(MAKEWORD(2, 2), (LPWSADATA)bad[k]);
        CHECK(r == WSAEFAULT, "WSAStartup(%s) -> %d (expected WSAEFAULT)", kind_name[k], r);
    }
    /* The failed calls did not count: one startup, one cleanup, then not started. */
    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup");
    CHECK(WSACleanup() == 0, "WSACleanup");
    CHECK_FAIL(socket(AF_INET, SOCK_STREAM, 0), INVALID_SOCKET, WSANOTINITIALISED);
    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup again");
}

static void check_creation(void)
{
    int k;

    printf("-- WSASocket\n");
    FOR_BAD_IN(k)
    {
        CHECK_FAIL(WSASocketW(AF_INET, SOCK_STREAM, 0, (LPWSAPROTOCOL_INFOW)bad[k], 0, 0), INVALID_SOCKET, WSAEFAULT);
        CHECK_FAIL(WSASocketA(AF_INET, SOCK_STREAM, 0, (LPWSAPROTOCOL_INFOA)bad[k], 0, 0), INVALID_SOCKET, WSAEFAULT);
    }
}

static void check_enum_protocols(void)
{
    DWORD len = 0;
    INT protos[2] = { IPPROTO_TCP, 0 };
    int k, n;
    char *big;

    printf("-- WSAEnumProtocols\n");
    n = WSAEnumProtocolsW(NULL, NULL, &len);
    CHECK(n == SOCKET_ERROR && WSAGetLastError() == WSAENOBUFS && len > 0, "size query (%lu)", (unsigned long)len);
    FOR_BAD_OUT(k)
    {
        DWORD l = len;
        CHECK_FAIL(WSAEnumProtocolsW(NULL, (LPWSAPROTOCOL_INFOW)bad[k], &l), SOCKET_ERROR, WSAEFAULT);
        l = len;
        CHECK_FAIL(WSAEnumProtocolsA(NULL, (LPWSAPROTOCOL_INFOA)bad[k], &l), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSAEnumProtocolsW(NULL, NULL, (LPDWORD)bad[k]), SOCKET_ERROR, WSAEFAULT);
    }
    FOR_BAD_IN(k)
    {
        DWORD l = len;
        CHECK_FAIL(WSAEnumProtocolsW((LPINT)bad[k], NULL, &l), SOCKET_ERROR, WSAEFAULT);
    }
    /* a buffer whose end runs into the no-access page */
    big = pages + PAGE - len + 8;
    {
        DWORD l = len;
        CHECK_FAIL(WSAEnumProtocolsW(NULL, (LPWSAPROTOCOL_INFOW)big, &l), SOCKET_ERROR, WSAEFAULT);
    }
    /* a protocol list ending just before the no-access page is fine */
    memcpy(pages + PAGE - sizeof(protos), protos, sizeof(protos));
    {
        DWORD l = 0;
        n = WSAEnumProtocolsW((LPINT)(pages + PAGE - sizeof(protos)), NULL, &l);
        CHECK(n == SOCKET_ERROR && WSAGetLastError() == WSAENOBUFS && l > 0 && l < len,
              "a protocol list at the end of a page (%lu of %lu bytes)", (unsigned long)l, (unsigned long)len);
    }
}

static void check_connection_calls(SOCKET l)
{
    struct sockaddr_in sin = loopback(0), out;
    SOCKET u, t, c, sv;
    int k, len;

    printf("-- bind, connect, getsockname, getpeername, accept\n");
    u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    t = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    FOR_BAD_IN(k)
    {
        CHECK_FAIL(bind(u, (struct sockaddr *)bad[k], sizeof(sin)), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(connect(t, (struct sockaddr *)bad[k], sizeof(sin)), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSAConnect(t, (struct sockaddr *)bad[k], sizeof(sin), NULL, NULL, NULL, NULL), SOCKET_ERROR,
                   WSAEFAULT);
    }
    /* a sockaddr whose last bytes are in the no-access page */
    CHECK_FAIL(bind(u, (struct sockaddr *)(pages + PAGE - 8), sizeof(sin)), SOCKET_ERROR, WSAEFAULT);
    /* Windows: the socket's state comes before a bad buffer */
    FOR_BAD_OUT(k)
    {
        CHECK_FAIL(getsockname(u, (struct sockaddr *)bad[k], (int *)bad[k]), SOCKET_ERROR, WSAEINVAL);
        CHECK_FAIL(getpeername(t, (struct sockaddr *)bad[k], (int *)bad[k]), SOCKET_ERROR, WSAENOTCONN);
    }
    CHECK(bind(u, (struct sockaddr *)&sin, sizeof(sin)) == 0, "bind after the failures (error %d)", WSAGetLastError());
    FOR_BAD_OUT(k)
    {
        len = sizeof(out);
        CHECK_FAIL(getsockname(u, (struct sockaddr *)bad[k], &len), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(getsockname(u, (struct sockaddr *)&out, (int *)bad[k]), SOCKET_ERROR, WSAEFAULT);
    }
    len = sizeof(out);
    CHECK(getsockname(u, (struct sockaddr *)&out, &len) == 0 && out.sin_port, "getsockname after the failures");

    tcp_pair(l, &c, &sv);
    FOR_BAD_OUT(k)
    {
        len = sizeof(out);
        CHECK_FAIL(getpeername(c, (struct sockaddr *)bad[k], &len), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(getpeername(c, (struct sockaddr *)&out, (int *)bad[k]), SOCKET_ERROR, WSAEFAULT);
    }
    /* accept with bad buffers fails before taking a connection: the pending one is still there */
    {
        SOCKET c2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), a2;
        struct sockaddr_in lsin = loopback(port_of(l));
        CHECK(connect(c2, (struct sockaddr *)&lsin, sizeof(lsin)) == 0, "second client connects");
        FOR_BAD_OUT(k)
        {
            len = sizeof(out);
            CHECK_FAIL(accept(l, (struct sockaddr *)bad[k], &len), INVALID_SOCKET, WSAEFAULT);
            CHECK_FAIL(accept(l, (struct sockaddr *)&out, (int *)bad[k]), INVALID_SOCKET, WSAEFAULT);
            CHECK_FAIL(WSAAccept(l, (struct sockaddr *)bad[k], &len, NULL, 0), INVALID_SOCKET, WSAEFAULT);
        }
        len = sizeof(out);
        a2 = accept(l, (struct sockaddr *)&out, &len);
        CHECK(a2 != INVALID_SOCKET && out.sin_port == htons((u_short)port_of(c2)),
              "the pending connection is accepted after the failures");
        check_pair_works(c2, a2, "second pair");
        closesocket(c2);
        closesocket(a2);
    }
    check_pair_works(c, sv, "getpeername pair");
    closesocket(c);
    closesocket(sv);
    closesocket(t);
    closesocket(u);
}

static void check_options(SOCKET s)
{
    int k, v = 0, len;
    u_long arg;
    char *ro_zero = pages + 2 * PAGE + 64; /* holds 0, read-only */

    printf("-- getsockopt, setsockopt, ioctlsocket, WSAIoctl\n");
    FOR_BAD_OUT(k)
    {
        len = sizeof(v);
        CHECK_FAIL(getsockopt(s, SOL_SOCKET, SO_RCVBUF, bad[k], &len), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&v, (int *)bad[k]), SOCKET_ERROR, WSAEFAULT);
        len = sizeof(v);
        CHECK_FAIL(getsockopt(s, SOL_SOCKET, SO_OPENTYPE, bad[k], &len), SOCKET_ERROR, WSAEFAULT);
        len = sizeof(WSAPROTOCOL_INFOA);
        CHECK_FAIL(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, bad[k], &len), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(ioctlsocket(s, FIONREAD, (u_long *)bad[k]), SOCKET_ERROR, WSAEFAULT);
    }
    FOR_BAD_IN(k)
    {
        CHECK_FAIL(setsockopt(s, SOL_SOCKET, SO_RCVBUF, bad[k], sizeof(int)), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(setsockopt(s, SOL_SOCKET, SO_OPENTYPE, bad[k], sizeof(int)), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(ioctlsocket(s, FIONBIO, (u_long *)bad[k]), SOCKET_ERROR, WSAEFAULT);
    }
    /* Wine's conformance test (passes on Windows): a value passed instead of a pointer */
    CHECK_FAIL(setsockopt(s, SOL_SOCKET, SO_DONTROUTE, (char *)1, 1), SOCKET_ERROR, WSAEFAULT);
    CHECK_FAIL(ioctlsocket(s, SIOCATMARK, (u_long *)1), SOCKET_ERROR, WSAEFAULT);
    len = sizeof(v);
    CHECK_FAIL(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)1, &len), SOCKET_ERROR, WSAEFAULT);
    /* input-only values may live in read-only memory */
    CHECK(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, ro_zero, sizeof(int)) == 0, "setsockopt from a read-only page");
    CHECK(ioctlsocket(s, FIONBIO, (u_long *)ro_zero) == 0, "FIONBIO from a read-only page");
    {
        DWORD n = 0;
        u_long out = 0;
        FOR_BAD_OUT(k)
        {
            CHECK_FAIL(WSAIoctl(s, FIONREAD, NULL, 0, bad[k], sizeof(u_long), &n, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
            CHECK_FAIL(WSAIoctl(s, FIONREAD, NULL, 0, &out, sizeof(out), (LPDWORD)bad[k], NULL, NULL), SOCKET_ERROR,
                       WSAEFAULT);
        }
        FOR_BAD_IN(k)
            CHECK_FAIL(WSAIoctl(s, FIONBIO, bad[k], sizeof(u_long), NULL, 0, &n, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
    }
    len = sizeof(v);
    CHECK(getsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&v, &len) == 0 && v > 0, "getsockopt after the failures");
    arg = 0;
    CHECK(ioctlsocket(s, FIONREAD, &arg) == 0, "ioctlsocket after the failures");
}

static void check_io(SOCKET c, SOCKET sv, SOCKET u)
{
    char data[8] = "abcdefg";
    WSABUF buf = { sizeof(data), data };
    DWORD n = 0, flags = 0;
    struct sockaddr_in to = loopback(port_of(u)), from;
    int k, len;

    printf("-- send/recv family\n");
    FOR_BAD_IN(k)
    {
        CHECK_FAIL(WSASend(c, (LPWSABUF)bad[k], 1, &n, 0, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSARecv(sv, (LPWSABUF)bad[k], 1, &n, &flags, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSASendTo(u, &buf, 1, &n, 0, (struct sockaddr *)bad[k], sizeof(to), NULL, NULL), SOCKET_ERROR,
                   WSAEFAULT);
        CHECK_FAIL(sendto(u, data, 1, 0, (struct sockaddr *)bad[k], sizeof(to)), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSASendMsg(u, (LPWSAMSG)bad[k], 0, &n, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSASendDisconnect(c, (LPWSABUF)bad[k]), SOCKET_ERROR, WSAEFAULT);
    }
    FOR_BAD_OUT(k)
    {
        CHECK_FAIL(WSASend(c, &buf, 1, (LPDWORD)bad[k], 0, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSARecv(sv, &buf, 1, (LPDWORD)bad[k], &flags, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSARecv(sv, &buf, 1, &n, (LPDWORD)bad[k], NULL, NULL), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSARecv(sv, &buf, 1, NULL, &flags, (LPWSAOVERLAPPED)bad[k], NULL), SOCKET_ERROR, WSAEFAULT);
        len = sizeof(from);
        CHECK_FAIL(recvfrom(u, data, sizeof(data), 0, (struct sockaddr *)bad[k], &len), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(recvfrom(u, data, sizeof(data), 0, (struct sockaddr *)&from, (int *)bad[k]), SOCKET_ERROR,
                   WSAEFAULT);
        CHECK_FAIL(WSARecvFrom(u, &buf, 1, &n, &flags, (struct sockaddr *)bad[k], &len, NULL, NULL), SOCKET_ERROR,
                   WSAEFAULT);
        CHECK_FAIL(WSARecvDisconnect(sv, (LPWSABUF)bad[k]), SOCKET_ERROR, WSAEFAULT);
    }
    /* a WSABUF array whose second entry is in the no-access page */
    memcpy(pages + PAGE - sizeof(WSABUF), &buf, sizeof(buf));
    CHECK_FAIL(WSASend(c, (LPWSABUF)(pages + PAGE - sizeof(WSABUF)), 2, &n, 0, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
    CHECK(WSASend(c, (LPWSABUF)(pages + PAGE - sizeof(WSABUF)), 1, &n, 0, NULL, NULL) == 0 && n == sizeof(data),
          "the same array with one entry sends (%lu bytes)", (unsigned long)n);
    {
        char in[16];
        WSABUF ib = { sizeof(in), in };
        flags = 0;
        n = 0;
        CHECK(WSARecv(sv, &ib, 1, &n, &flags, NULL, NULL) == 0 && n == sizeof(data) && !memcmp(in, data, n),
              "data arrives intact (%lu bytes)", (unsigned long)n);
    }
    {
        /* the overlapped result calls */
        WSAOVERLAPPED ov;
        memset(&ov, 0, sizeof(ov));
        FOR_BAD_IN(k)
            CHECK_FAIL(WSAGetOverlappedResult(c, (LPWSAOVERLAPPED)bad[k], &n, FALSE, &flags), FALSE, WSAEFAULT);
        FOR_BAD_OUT(k)
        {
            CHECK_FAIL(WSAGetOverlappedResult(c, &ov, (LPDWORD)bad[k], FALSE, &flags), FALSE, WSAEFAULT);
            CHECK_FAIL(WSAGetOverlappedResult(c, &ov, &n, FALSE, (LPDWORD)bad[k]), FALSE, WSAEFAULT);
        }
    }
    /* Data buffers are the provider's to check (its I/O faults on them): WSAEFAULT, no crash, and
     * no data lost (the pending bytes are still read afterwards). */
    CHECK(send(sv, "data", 4, 0) == 4, "data queued for the bad receive buffers");
    Sleep(50);
    FOR_BAD_OUT(k)
    {
        WSABUF bb = { 4, bad[k] };
        flags = 0;
        if (k != READONLY) CHECK_FAIL(send(c, bad[k], 4, 0), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(recv(c, bad[k], 4, 0), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSARecv(c, &bb, 1, &n, &flags, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
    }
    {
        char in[8];
        CHECK(recv(c, in, sizeof(in), 0) == 4 && !memcmp(in, "data", 4), "the pending data is still there");
    }
    /* UDP still works */
    CHECK(sendto(u, "udp", 3, 0, (struct sockaddr *)&to, sizeof(to)) == 3, "sendto after the failures");
    len = sizeof(from);
    CHECK(recvfrom(u, data, sizeof(data), 0, (struct sockaddr *)&from, &len) == 3 && !memcmp(data, "udp", 3),
          "recvfrom after the failures");
    check_pair_works(c, sv, "I/O pair");
}

static void check_select_poll(SOCKET c, SOCKET sv)
{
    fd_set *edge, r;
    TIMEVAL tv = { 0, 100000 };
    WSAPOLLFD *pfd;
    int k, ret;

    printf("-- select, __WSAFDIsSet, WSAPoll\n");
    FOR_BAD_OUT(k)
    {
        CHECK_FAIL(select(0, (fd_set *)bad[k], NULL, NULL, &tv), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(select(0, NULL, (fd_set *)bad[k], NULL, &tv), SOCKET_ERROR, WSAEFAULT);
        CHECK(__WSAFDIsSet(c, (fd_set *)bad[k]) == 0, "__WSAFDIsSet(%s) -> 0", kind_name[k]);
        CHECK_FAIL(WSAPoll((LPWSAPOLLFD)bad[k], 1, 0), SOCKET_ERROR, WSAEFAULT);
    }
    FOR_BAD_IN(k)
    {
        FD_ZERO(&r);
        FD_SET(c, &r);
        CHECK_FAIL(select(0, &r, NULL, NULL, (PTIMEVAL)bad[k]), SOCKET_ERROR, WSAEFAULT);
    }
    /* Wine's conformance test (passes on Windows): an fd_set holding exactly fd_count sockets, the
     * rest of the structure in a no-access page */
    send(sv, "x", 1, 0);
    Sleep(50);
    edge = (fd_set *)(pages + PAGE - offsetof(fd_set, fd_array[1]));
    edge->fd_count = 1;
    edge->fd_array[0] = c;
    ret = select(0, edge, NULL, NULL, &tv);
    CHECK(ret == 1 && edge->fd_count == 1 && __WSAFDIsSet(c, edge), "select on an fd_set ending at a no-access page "
          "-> %d (error %d)", ret, WSAGetLastError());
    /* the same for WSAPoll */
    pfd = (WSAPOLLFD *)(pages + PAGE - sizeof(WSAPOLLFD));
    pfd->fd = c;
    pfd->events = POLLRDNORM;
    pfd->revents = 0;
    ret = WSAPoll(pfd, 1, 100);
    CHECK(ret == 1 && (pfd->revents & POLLRDNORM), "WSAPoll on an array ending at a no-access page -> %d (error %d)",
          ret, WSAGetLastError());
    CHECK_FAIL(WSAPoll(pfd, 2, 0), SOCKET_ERROR, WSAEFAULT);
    {
        char x;
        CHECK(recv(c, &x, 1, 0) == 1, "the byte is read");
    }
}

/* WSAPoll's error order and results with entries that are no socket, as Wine's conformance tests
 * show them on Windows (l: an idle listener). */
static void check_poll_order(SOCKET l)
{
    static const short invalid[] = { POLLERR, POLLHUP, POLLNVAL, POLLPRI, POLLWRBAND };
    WSAPOLLFD fds[2];
    size_t i;
    int ret;

    printf("-- WSAPoll: entries that are no socket, requested events\n");
    for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
    {
        fds[0].fd = l;
        fds[0].events = invalid[i];
        CHECK_FAIL(WSAPoll(fds, 1, 0), SOCKET_ERROR, WSAEINVAL);
    }
    fds[0].fd = INVALID_SOCKET;
    fds[0].events = POLLERR;
    fds[0].revents = 0x5a5a;
    fds[1].fd = l;
    fds[1].events = POLLIN;
    fds[1].revents = 0x5a5a;
    WSASetLastError(0xdead);
    ret = WSAPoll(fds, 2, 0);
    CHECK(ret == 0 && WSAGetLastError() == 0 && fds[0].revents == POLLNVAL && fds[1].revents == 0,
          "{-1 POLLERR} {listener POLLIN} -> %d (error %d) revents %#x %#x (expected 0, 0, POLLNVAL, 0)", ret,
          WSAGetLastError(), fds[0].revents, fds[1].revents);
    fds[0].fd = l;
    fds[0].events = POLLIN;
    fds[0].revents = 0x5a5a;
    fds[1].fd = (SOCKET)0xabacab;
    fds[1].events = POLLIN;
    fds[1].revents = 0x5a5a;
    WSASetLastError(0xdead);
    ret = WSAPoll(fds, 2, 0);
    CHECK(ret == 0 && WSAGetLastError() == 0 && fds[0].revents == 0 && fds[1].revents == POLLNVAL,
          "{listener POLLIN} {0xabacab POLLIN} -> %d (error %d) revents %#x %#x (expected 0, 0, 0, POLLNVAL)", ret,
          WSAGetLastError(), fds[0].revents, fds[1].revents);
    fds[1].events = POLLERR;
    fds[0].revents = fds[1].revents = 0x5a5a;
    CHECK_FAIL(WSAPoll(fds, 2, 0), SOCKET_ERROR, WSAEINVAL);
    CHECK(fds[0].revents == 0 && fds[1].revents == 0, "revents cleared on WSAEINVAL (%#x %#x)", fds[0].revents,
          fds[1].revents);
    fds[0].fd = INVALID_SOCKET;
    fds[0].events = POLLERR;
    fds[0].revents = fds[1].revents = 0x5a5a;
    CHECK_FAIL(WSAPoll(fds, 2, 0), SOCKET_ERROR, WSAENOTSOCK);
    CHECK(fds[0].revents == POLLNVAL && fds[1].revents == POLLNVAL, "both POLLNVAL on WSAENOTSOCK (%#x %#x)",
          fds[0].revents, fds[1].revents);
}

static void check_events_duplicate(SOCKET s)
{
    WSAEVENT ev = WSACreateEvent();
    int k;

    printf("-- WSAEnumNetworkEvents, WSAWaitForMultipleEvents, WSADuplicateSocket\n");
    CHECK(WSAEventSelect(s, ev, FD_READ) == 0, "WSAEventSelect");
    FOR_BAD_OUT(k)
    {
        CHECK_FAIL(WSAEnumNetworkEvents(s, ev, (LPWSANETWORKEVENTS)bad[k]), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSADuplicateSocketW(s, GetCurrentProcessId(), (LPWSAPROTOCOL_INFOW)bad[k]), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSADuplicateSocketA(s, GetCurrentProcessId(), (LPWSAPROTOCOL_INFOA)bad[k]), SOCKET_ERROR, WSAEFAULT);
    }
    /* Windows checks the target process before the buffer (Wine's conformance tests) */
    CHECK_FAIL(WSADuplicateSocketA(s, 0, NULL), SOCKET_ERROR, WSAEINVAL);
    CHECK_FAIL(WSADuplicateSocketA(s, ~0u, NULL), SOCKET_ERROR, WSAEINVAL);
    CHECK_FAIL(WSADuplicateSocketA(s, GetCurrentProcessId(), NULL), SOCKET_ERROR, WSAEFAULT);
    CHECK_FAIL(WSADuplicateSocketW(s, 0, (LPWSAPROTOCOL_INFOW)bad[NOACCESS]), SOCKET_ERROR, WSAEINVAL);
    CHECK_FAIL(WSADuplicateSocketW(s, ~0u, NULL), SOCKET_ERROR, WSAEINVAL);
    FOR_BAD_IN(k)
    {
        SetLastError(0);
        CHECK(WSAWaitForMultipleEvents(1, (const WSAEVENT *)bad[k], FALSE, 0, FALSE) == WSA_WAIT_FAILED &&
              GetLastError() == ERROR_NOACCESS, "WSAWaitForMultipleEvents(%s) -> ERROR_NOACCESS (%lu)", kind_name[k],
              (unsigned long)GetLastError());
    }
    {
        WSANETWORKEVENTS ne;
        CHECK(WSAEnumNetworkEvents(s, ev, &ne) == 0, "WSAEnumNetworkEvents after the failures");
    }
    WSAEventSelect(s, NULL, 0);
    {
        u_long off = 0;
        ioctlsocket(s, FIONBIO, &off);
    }
    WSACloseEvent(ev);
}

static void check_connect_helpers(SOCKET l)
{
    SOCKET t = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    SOCKET_ADDRESS_LIST *list = (SOCKET_ADDRESS_LIST *)(pages + 256);
    struct sockaddr_in sin = loopback(9);
    int k;

    printf("-- WSAConnectByList, WSAConnectByName\n");
    FOR_BAD_IN(k)
    {
        CHECK_FAIL(WSAConnectByList(t, (PSOCKET_ADDRESS_LIST)bad[k], NULL, NULL, NULL, NULL, NULL, NULL), FALSE,
                   WSAEFAULT);
        list->iAddressCount = 1;
        list->Address[0].lpSockaddr = (LPSOCKADDR)bad[k];
        list->Address[0].iSockaddrLength = sizeof(sin);
        CHECK_FAIL(WSAConnectByList(t, list, NULL, NULL, NULL, NULL, NULL, NULL), FALSE, WSAEFAULT);
        CHECK_FAIL(WSAConnectByNameA(t, bad[k], "80", NULL, NULL, NULL, NULL, NULL, NULL), FALSE, WSAEFAULT);
        CHECK_FAIL(WSAConnectByNameW(t, (LPWSTR)bad[k], L"80", NULL, NULL, NULL, NULL, NULL, NULL), FALSE, WSAEFAULT);
    }
    FOR_BAD_OUT(k)
    {
        DWORD rl = sizeof(sin);
        list->Address[0].lpSockaddr = (LPSOCKADDR)&sin;
        CHECK_FAIL(WSAConnectByList(t, list, NULL, NULL, &rl, (LPSOCKADDR)bad[k], NULL, NULL), FALSE, WSAEFAULT);
        CHECK_FAIL(WSAConnectByList(t, list, (LPDWORD)bad[k], NULL, NULL, NULL, NULL, NULL), FALSE, WSAEFAULT);
    }
    closesocket(t);

    /* Short address lengths: WSAEFAULT after connecting, the lengths left as they were (Wine's
     * conformance tests for WSAConnectByNameA, which pass on Windows). */
    {
        struct sockaddr_in target = loopback(port_of(l)), addr;
        DWORD short_len;
        SOCKET a;
        int which;
        for (which = 0; which < 2; which++)
        {
            t = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            list->iAddressCount = 1;
            list->Address[0].lpSockaddr = (LPSOCKADDR)&target;
            list->Address[0].iSockaddrLength = sizeof(target);
            short_len = 3;
            if (which == 0)
                CHECK_FAIL(WSAConnectByList(t, list, NULL, NULL, &short_len, (LPSOCKADDR)&addr, NULL, NULL), FALSE,
                           WSAEFAULT);
            else
                CHECK_FAIL(WSAConnectByList(t, list, &short_len, (LPSOCKADDR)&addr, NULL, NULL, NULL, NULL), FALSE,
                           WSAEFAULT);
            CHECK(short_len == 3, "%s length left at 3 (%lu)", which ? "local" : "remote", (unsigned long)short_len);
            a = accept(l, NULL, NULL);
            if (a != INVALID_SOCKET) check_pair_works(t, a, "WSAConnectByList with a short length");
            else CHECK(0, "accept after WSAConnectByList (error %d)", WSAGetLastError());
            closesocket(a);
            closesocket(t);
        }
    }
}

int main(int argc, char **argv)
{
    WSADATA d;
    SOCKET l, c, sv, u;
    struct sockaddr_in sin = loopback(0);
    BOOL child = argc > 1 && !strcmp(argv[1], "--child");

    setup_pages();
    check_startup();
    check_creation();
    check_enum_protocols();

    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(bind(l, (struct sockaddr *)&sin, sizeof(sin)) == 0 && listen(l, 8) == 0, "listener");
    check_connection_calls(l);
    tcp_pair(l, &c, &sv);
    u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    CHECK(bind(u, (struct sockaddr *)&sin, sizeof(sin)) == 0, "UDP socket bound");
    check_options(c);
    check_io(c, sv, u);
    check_select_poll(c, sv);
    check_poll_order(l);
    check_events_duplicate(sv);
    check_pair_works(c, sv, "after events");
    check_connect_helpers(l);
    closesocket(c);
    closesocket(sv);
    closesocket(u);
    closesocket(l);
    CHECK(WSACleanup() == 0, "WSACleanup");
    (void)d;
    if (!child) check_traced_child(argv[0], 60000);
    return api_done(child ? "harden_ptrs child" : "harden_ptrs");
}
