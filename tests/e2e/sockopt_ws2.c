/* sockopt_ws2.c - end-to-end checks of Windows' socket option and interface-list rules through
 * openws2's ws2_32 and openws2afd (the rules Wine's sock.c conformance test records from Windows):
 * negative option lengths, the thread error cleared on success, SO_DONTROUTE / SO_DEBUG /
 * IPV6_PROTECTION_LEVEL kept per socket, SO_TYPE read-only, SIO_GET_INTERFACE_LIST queued when
 * overlapped, WSAIoctl's buffers and sizes (FIONBIO, SIO_KEEPALIVE_VALS), WSAGetOverlappedResult's
 * status mapping, an overlapped WSARecv on a socket made without WSA_FLAG_OVERLAPPED waiting,
 * SO_BSP_STATE's length, accept with no address length, WSAPoll on a socket closed meanwhile,
 * WSASocket from a changed protocol info copy, TransmitFile(TF_REUSE_SOCKET) unconnected, WSASendMsg
 * on a stream socket, IPV6_V6ONLY on a raw IPv6 socket, WSAConnectByName with address buffers and no
 * lengths.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "e2e_check.h"
#include <mswsock.h>
#include <mstcpip.h>

#ifndef SO_BSP_STATE
# define SO_BSP_STATE 0x1009  /* Windows SDK value; MinGW-w64 lacks it */
#endif
#ifndef IPV6_PROTECTION_LEVEL
# define IPV6_PROTECTION_LEVEL 23
#endif

static DWORD apc_calls, apc_error, apc_size;

static void CALLBACK record_apc(DWORD error, DWORD size, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov;
    (void)flags;
    apc_calls++;
    apc_error = error;
    apc_size = size;
}

/* Negative lengths: a 4-byte SOL_SOCKET option takes one as large enough, a 1-byte one and the
 * other levels answer WSAENOBUFS. */
static void check_negative_lengths(void)
{
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
    DWORD value = 12345, got = 0;
    int len, r;
    LINGER lg = { 1, 0 };

    WSASetLastError(0xdeadbeef);
    r = setsockopt(t, SOL_SOCKET, SO_RCVBUF, (char *)&value, -1);
    CHECK(r == 0 && WSAGetLastError() == 0, "setsockopt(SO_RCVBUF, optlen -1) -> %d error %d (0, 0)", r,
          WSAGetLastError());
    len = sizeof(got);
    r = getsockopt(t, SOL_SOCKET, SO_RCVBUF, (char *)&got, &len);
    CHECK(r == 0 && got == value && len == 4, "SO_RCVBUF after optlen -1: %lu (len %d)", (unsigned long)got, len);
    r = setsockopt(t, SOL_SOCKET, SO_LINGER, (char *)&lg, -1);
    CHECK(r == 0, "setsockopt(SO_LINGER, optlen -1) -> %d error %d", r, WSAGetLastError());
    CHECK_FAIL(setsockopt(t, SOL_SOCKET, SO_KEEPALIVE, (char *)&value, -1), SOCKET_ERROR, WSAENOBUFS);
    CHECK_FAIL(setsockopt(t, IPPROTO_TCP, TCP_NODELAY, (char *)&value, -1), SOCKET_ERROR, WSAENOBUFS);
    CHECK_FAIL(setsockopt(u, IPPROTO_IP, IP_TTL, (char *)&value, -1), SOCKET_ERROR, WSAENOBUFS);

    /* SO_OPENTYPE (ws2_32's own) takes a negative length too, and reports 4 */
    value = 0;
    WSASetLastError(0xdeadbeef);
    r = setsockopt(t, SOL_SOCKET, SO_OPENTYPE, (char *)&value, -1);
    CHECK(r == 0 && WSAGetLastError() == 0, "setsockopt(SO_OPENTYPE, optlen -1) -> %d error %d", r, WSAGetLastError());
    len = -1;
    got = 0xdeadbeef;
    r = getsockopt(t, SOL_SOCKET, SO_OPENTYPE, (char *)&got, &len);
    CHECK(r == 0 && len == 4 && got == 0, "getsockopt(SO_OPENTYPE, optlen -1) -> %d len %d value %#lx", r, len,
          (unsigned long)got);
    len = -1;
    CHECK_FAIL(getsockopt(t, SOL_SOCKET, SO_RCVBUF, (char *)&got, &len), SOCKET_ERROR, WSAEFAULT);
    CHECK(len == -1, "getsockopt(SO_RCVBUF, optlen -1) leaves optlen (%d)", len);
    closesocket(t);
    closesocket(u);
}

/* Success clears the thread's error, for getsockopt and setsockopt alike. */
static void check_error_cleared(void)
{
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
    DWORD value = 1;
    int len = sizeof(value), r;

    WSASetLastError(0xdeadbeef);
    r = getsockopt(t, SOL_SOCKET, SO_ERROR, (char *)&value, &len);
    CHECK(r == 0 && WSAGetLastError() == 0, "getsockopt(SO_ERROR) -> %d error %d (0, 0)", r, WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    value = 1;
    r = setsockopt(t, SOL_SOCKET, SO_REUSEADDR, (char *)&value, 0);
    CHECK(r == 0 && WSAGetLastError() == 0, "setsockopt(SO_REUSEADDR, optlen 0) -> %d error %d (0, 0)", r,
          WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    value = 0x100;
    r = setsockopt(t, SOL_SOCKET, SO_SNDBUF, (char *)&value, sizeof(value));
    CHECK(r == 0 && WSAGetLastError() == 0, "setsockopt(SO_SNDBUF) -> %d error %d (0, 0)", r, WSAGetLastError());
    closesocket(t);
}

/* SO_DONTROUTE (one byte) and SO_DEBUG (a 4-byte boolean) are kept as set. */
static void check_kept_options(void)
{
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0), t6 = socket(AF_INET6, SOCK_STREAM, 0);
    DWORD value = 1, got;
    int len, r;

    r = setsockopt(t, SOL_SOCKET, SO_DONTROUTE, (char *)&value, 1);
    got = 0xdeadbeef;
    len = 4;
    r |= getsockopt(t, SOL_SOCKET, SO_DONTROUTE, (char *)&got, &len);
    CHECK(r == 0 && got == 0xdeadbe01 && len == 1, "SO_DONTROUTE set to 1: %#lx len %d (0xdeadbe01, 1)",
          (unsigned long)got, len);
    value = 0x100;  /* only the first byte counts */
    r = setsockopt(t, SOL_SOCKET, SO_DONTROUTE, (char *)&value, 4);
    got = 0xdeadbeef;
    len = 4;
    r |= getsockopt(t, SOL_SOCKET, SO_DONTROUTE, (char *)&got, &len);
    CHECK(r == 0 && got == 0xdeadbe00 && len == 1, "SO_DONTROUTE set to 0x100: %#lx len %d (0xdeadbe00, 1)",
          (unsigned long)got, len);

    got = 0xdeadbeef;
    len = sizeof(got);
    r = getsockopt(t, SOL_SOCKET, SO_DEBUG, (char *)&got, &len);
    CHECK(r == 0 && got == 0 && len == 4, "SO_DEBUG initially: %#lx len %d (0, 4)", (unsigned long)got, len);
    value = 2;
    r = setsockopt(t, SOL_SOCKET, SO_DEBUG, (char *)&value, sizeof(value));
    got = 0xdeadbeef;
    len = sizeof(got);
    r |= getsockopt(t, SOL_SOCKET, SO_DEBUG, (char *)&got, &len);
    CHECK(r == 0 && got == 1 && len == 4, "SO_DEBUG set to 2: %#lx len %d (1, 4)", (unsigned long)got, len);

    if (t6 == INVALID_SOCKET)
        CHECK(0, "IPv6 socket: error %d", WSAGetLastError());
    else
    {
        got = 0;
        len = sizeof(got);
        r = getsockopt(t6, IPPROTO_IPV6, IPV6_PROTECTION_LEVEL, (char *)&got, &len);
        CHECK(r == 0 && got == (DWORD)-1 && len == 4, "IPV6_PROTECTION_LEVEL initially -> %d %#lx len %d", r,
              (unsigned long)got, len);
        r = setsockopt(t6, IPPROTO_IPV6, IPV6_PROTECTION_LEVEL, (char *)&got, len);
        CHECK(r == 0, "IPV6_PROTECTION_LEVEL set back to its value -> %d error %d", r, WSAGetLastError());
        value = PROTECTION_LEVEL_RESTRICTED;
        r = setsockopt(t6, IPPROTO_IPV6, IPV6_PROTECTION_LEVEL, (char *)&value, sizeof(value));
        got = 0;
        len = sizeof(got);
        r |= getsockopt(t6, IPPROTO_IPV6, IPV6_PROTECTION_LEVEL, (char *)&got, &len);
        CHECK(r == 0 && got == PROTECTION_LEVEL_RESTRICTED, "IPV6_PROTECTION_LEVEL set to 30: %lu",
              (unsigned long)got);
        value = 5;
        CHECK_FAIL(setsockopt(t6, IPPROTO_IPV6, IPV6_PROTECTION_LEVEL, (char *)&value, sizeof(value)), SOCKET_ERROR,
                   WSAEINVAL);
        closesocket(t6);
    }
    closesocket(t);
}

/* SIO_GET_INTERFACE_LIST: synchronous failures report no size; overlapped requests are queued. */
static void check_interface_list(void)
{
    SOCKET s = WSASocketW(AF_INET, SOCK_DGRAM, 0, NULL, 0, WSA_FLAG_OVERLAPPED);
    INTERFACE_INFO info[64];
    OVERLAPPED ov, *ovp = NULL;
    DWORD size = 0, expect, i;
    ULONG_PTR key = 0;
    HANDLE port;
    BOOL loopback = FALSE, ok;
    int r;

    r = WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, info, sizeof(info), &size, NULL, NULL);
    CHECK(r == 0 && size && size % sizeof(INTERFACE_INFO) == 0, "SIO_GET_INTERFACE_LIST -> %d size %lu", r,
          (unsigned long)size);
    expect = size;
    for (i = 0; i < size / sizeof(INTERFACE_INFO); i++)
        if (info[i].iiFlags & IFF_LOOPBACK) loopback = TRUE;
    CHECK(loopback, "SIO_GET_INTERFACE_LIST lists the loopback interface");

    size = 0xdeadbeef;
    r = WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, info, sizeof(INTERFACE_INFO) - 1, &size, NULL, NULL);
    CHECK(r == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT && size == 0,
          "short buffer -> %d error %d size %lu (WSAEFAULT, 0)", r, WSAGetLastError(), (unsigned long)size);

    port = CreateIoCompletionPort((HANDLE)s, NULL, 123, 0);
    memset(&ov, 0, sizeof(ov));
    size = 0xdeadbeef;
    r = WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, info, sizeof(info), &size, &ov, NULL);
    CHECK(r == SOCKET_ERROR && WSAGetLastError() == ERROR_IO_PENDING && size == 0xdeadbeef,
          "overlapped -> %d error %d size %#lx (pending, size untouched)", r, WSAGetLastError(), (unsigned long)size);
    ok = GetQueuedCompletionStatus(port, &size, &key, &ovp, 1000);
    CHECK(ok && size == expect && key == 123 && ovp == &ov && ov.Internal == 0 && ov.InternalHigh == expect,
          "overlapped completion: %d size %lu key %lu status %#lx", ok, (unsigned long)size, (unsigned long)key,
          (unsigned long)ov.Internal);

    memset(&ov, 0, sizeof(ov));
    size = 0xdeadbeef;
    r = WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, info, sizeof(INTERFACE_INFO) - 1, &size, &ov, NULL);
    CHECK(r == SOCKET_ERROR && WSAGetLastError() == ERROR_IO_PENDING,
          "overlapped, short buffer -> %d error %d (pending)", r, WSAGetLastError());
    ok = GetQueuedCompletionStatus(port, &size, &key, &ovp, 1000);
    CHECK(!ok && GetLastError() == ERROR_INSUFFICIENT_BUFFER && size == 0 && ovp == &ov &&
          ov.Internal == (ULONG_PTR)0xc0000023L /* STATUS_BUFFER_TOO_SMALL */,
          "overlapped short completion: %d error %lu size %lu status %#lx", ok, GetLastError(), (unsigned long)size,
          (unsigned long)ov.Internal);
    CloseHandle(port);
    closesocket(s);

    s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    memset(&ov, 0, sizeof(ov));
    apc_calls = 0;
    size = 0xdeadbeef;
    r = WSAIoctl(s, SIO_GET_INTERFACE_LIST, NULL, 0, info, sizeof(INTERFACE_INFO) - 1, &size, &ov, record_apc);
    CHECK(r == SOCKET_ERROR && WSAGetLastError() == ERROR_IO_PENDING, "with a completion routine -> %d error %d", r,
          WSAGetLastError());
    r = (int)SleepEx(1000, TRUE);
    CHECK(r == WAIT_IO_COMPLETION && apc_calls == 1 && apc_error == WSAEFAULT && apc_size == 0,
          "completion routine: %d calls %lu error %lu size %lu", r, (unsigned long)apc_calls,
          (unsigned long)apc_error, (unsigned long)apc_size);
    closesocket(s);
}

/* SO_TYPE is read-only: WSAENOPROTOOPT on a stream socket, WSAEINVAL on a datagram one. */
static void check_so_type(void)
{
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
    int type = SOCK_DGRAM;

    CHECK_FAIL(setsockopt(t, SOL_SOCKET, SO_TYPE, (char *)&type, sizeof(type)), SOCKET_ERROR, WSAENOPROTOOPT);
    CHECK_FAIL(setsockopt(u, SOL_SOCKET, SO_TYPE, (char *)&type, sizeof(type)), SOCKET_ERROR, WSAEINVAL);
    closesocket(t);
    closesocket(u);
}

/* WSAIoctl / WSASocket clear the thread's error on success; FIONBIO ignores its output buffer;
 * SIO_KEEPALIVE_VALS with a completion routine writes size 0. */
static void check_ioctl_rules(void)
{
    SOCKET t;
    u_long one = 1;
    DWORD size;
    void *noaccess = VirtualAlloc(NULL, 4096, MEM_RESERVE | MEM_COMMIT, PAGE_NOACCESS);
    struct tcp_keepalive ka = { 1, 1000, 1000 };
    WSAOVERLAPPED ov;
    int r;

    WSASetLastError(0xdeadbeef);
    t = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK(t != INVALID_SOCKET && WSAGetLastError() == 0, "WSASocketW clears the error (%d)", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    size = 0xdeadbeef;
    r = WSAIoctl(t, FIONBIO, &one, sizeof(one), NULL, 0, &size, NULL, NULL);
    CHECK(r == 0 && WSAGetLastError() == 0 && size == 0, "FIONBIO -> %d error %d size %lu", r, WSAGetLastError(),
          (unsigned long)size);
    r = WSAIoctl(t, FIONBIO, &one, sizeof(one), noaccess, 4, &size, NULL, NULL);
    CHECK(r == 0, "FIONBIO with an inaccessible output buffer -> %d error %d", r, WSAGetLastError());
    r = WSAIoctl(t, FIONREAD, NULL, 0, noaccess, 4, &size, NULL, NULL);
    CHECK(r == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "FIONREAD into it -> %d error %d", r,
          WSAGetLastError());

    memset(&ov, 0, sizeof(ov));
    apc_calls = 0;
    size = 0xdeadbeef;
    r = WSAIoctl(t, SIO_KEEPALIVE_VALS, &ka, sizeof(ka), NULL, 0, &size, &ov, record_apc);
    CHECK(r == 0 && size == 0, "SIO_KEEPALIVE_VALS with a completion routine -> %d size %#lx (0, 0)", r,
          (unsigned long)size);
    SleepEx(0, TRUE);
    CHECK(apc_calls == 1 && apc_error == 0, "its completion routine ran once (%lu, error %lu)",
          (unsigned long)apc_calls, (unsigned long)apc_error);
    closesocket(t);
    VirtualFree(noaccess, 0, MEM_RELEASE);

    t = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    r = WSAIoctl(t, SIO_ENABLE_CIRCULAR_QUEUEING, NULL, 0, NULL, 0, &size, NULL, NULL);
    CHECK(r == 0, "SIO_ENABLE_CIRCULAR_QUEUEING on a UDP socket -> %d error %d", r, WSAGetLastError());
    closesocket(t);
}

/* The status of a completed request as WSAGetOverlappedResult reports it. */
static void check_overlapped_status(void)
{
    static const struct { ULONG status; int error; } map[] =
    {
        { 0x80000002, WSAEINVAL },   /* STATUS_DATATYPE_MISALIGNMENT */
        { 0xc0000010, WSAEINVAL },   /* STATUS_INVALID_DEVICE_REQUEST */
        { 0xc00000cb, WSAEINVAL },   /* STATUS_BAD_DEVICE_TYPE */
        { 0xc00000d8, WSAEINVAL },   /* STATUS_CANT_WAIT */
        { 0xc000011f, WSAEINVAL },   /* STATUS_TOO_MANY_OPENED_FILES */
        { 0xc000023a, WSAEINVAL },   /* STATUS_CONNECTION_INVALID */
        { 0xc00002c5, WSAEFAULT },   /* STATUS_DATATYPE_MISALIGNMENT_ERROR */
        { 0xc0000023, WSAEFAULT },   /* STATUS_BUFFER_TOO_SMALL */
        { 0xc000020d, WSAECONNRESET }, /* STATUS_CONNECTION_RESET */
    };
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
    WSAOVERLAPPED ov;
    DWORD size, flags;
    size_t i;
    BOOL r;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
    {
        memset(&ov, 0, sizeof(ov));
        ov.Internal = map[i].status;
        WSASetLastError(0xdeadbeef);
        r = WSAGetOverlappedResult(t, &ov, &size, FALSE, &flags);
        CHECK(!r && WSAGetLastError() == map[i].error, "WSAGetOverlappedResult, status %#lx -> %d error %d (%d)",
              (unsigned long)map[i].status, r, WSAGetLastError(), map[i].error);
    }
    memset(&ov, 0, sizeof(ov));
    ov.InternalHigh = 5;
    size = 0;
    r = WSAGetOverlappedResult(t, &ov, &size, FALSE, NULL);
    CHECK(r && size == 5, "WSAGetOverlappedResult with no lpdwFlags -> %d size %lu (TRUE, 5)", r, (unsigned long)size);
    closesocket(t);

    /* a missing service name is WSAEINVAL even for a socket that is gone */
    t = socket(AF_INET, SOCK_STREAM, 0);
    closesocket(t);
    CHECK_FAIL(WSAConnectByNameA(t, (LPSTR)"localhost", NULL, NULL, NULL, NULL, NULL, NULL, NULL), FALSE, WSAEINVAL);
}

/* A socket made without WSA_FLAG_OVERLAPPED: an overlapped WSARecv waits for the data there. */
struct sync_recv { SOCKET s; int ret; DWORD size; char buf[8]; };

static DWORD WINAPI sync_recv_thread(void *arg)
{
    struct sync_recv *p = arg;
    WSAOVERLAPPED ov;
    WSABUF wb;
    DWORD flags = 0;

    memset(&ov, 0, sizeof(ov));
    wb.buf = p->buf;
    wb.len = sizeof(p->buf);
    p->ret = WSARecv(p->s, &wb, 1, NULL, &flags, &ov, NULL);
    if (!GetOverlappedResult((HANDLE)p->s, &ov, &p->size, FALSE)) p->size = 0xdeadbeef;
    return 0;
}

static void check_sync_socket_recv(void)
{
    SOCKET l = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, 0), c, a;
    struct sockaddr_in addr;
    int len = sizeof(addr);
    struct sync_recv p;
    u_long one = 1;
    HANDLE th;
    DWORD w;

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(l, (struct sockaddr *)&addr, sizeof(addr));
    listen(l, 1);
    getsockname(l, (struct sockaddr *)&addr, &len);
    c = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, 0);
    CHECK(connect(c, (struct sockaddr *)&addr, sizeof(addr)) == 0, "connect (%d)", WSAGetLastError());
    {
        struct sockaddr_storage ss, zero;
        memset(&ss, 0, sizeof(ss));
        memset(&zero, 0, sizeof(zero));
        a = accept(l, (struct sockaddr *)&ss, NULL);
        CHECK(a != INVALID_SOCKET && !memcmp(&ss, &zero, sizeof(ss)),
              "accept with an address buffer and no length succeeds, buffer untouched (error %d)", WSAGetLastError());
    }
    ioctlsocket(c, FIONBIO, &one);

    memset(&p, 0, sizeof(p));
    p.s = c;
    th = CreateThread(NULL, 0, sync_recv_thread, &p, 0, NULL);
    w = WaitForSingleObject(th, 300);
    CHECK(w == WAIT_TIMEOUT, "overlapped WSARecv on a non-overlapped, non-blocking socket waits (%lu)",
          (unsigned long)w);
    send(a, "data", 4, 0);
    w = WaitForSingleObject(th, 5000);
    CHECK(w == WAIT_OBJECT_0 && p.ret == 0 && p.size == 4 && !memcmp(p.buf, "data", 4),
          "it returns 0 once the data is there (%lu, %d, size %lu)", (unsigned long)w, p.ret, (unsigned long)p.size);
    CloseHandle(th);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

/* SO_BSP_STATE leaves *optlen as the caller gave it. */
static void check_bsp_state(void)
{
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
    union { CSADDR_INFO cs; char space[128]; } info;
    int len = sizeof(info), r;

    r = getsockopt(t, SOL_SOCKET, SO_BSP_STATE, (char *)&info, &len);
    CHECK(r == 0 && len == (int)sizeof(info) && info.cs.iSocketType == SOCK_STREAM,
          "SO_BSP_STATE -> %d len %d (%d)", r, len, (int)sizeof(info));
    len = sizeof(CSADDR_INFO);
    CHECK_FAIL(getsockopt(t, SOL_SOCKET, SO_BSP_STATE, (char *)&info, &len), SOCKET_ERROR, WSAEFAULT);
    CHECK(len == (int)sizeof(CSADDR_INFO), "SO_BSP_STATE, short: len %d stays", len);
    closesocket(t);
}

/* A socket closed while WSAPoll waits on it: counted, POLLNVAL. */
static DWORD WINAPI close_later(void *arg)
{
    Sleep(300);
    closesocket(*(SOCKET *)arg);
    return 0;
}

static void check_poll_close(void)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0), a;
    struct sockaddr_in addr;
    int len = sizeof(addr), r;
    WSAPOLLFD fd;
    HANDLE th;

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(l, (struct sockaddr *)&addr, sizeof(addr));
    listen(l, 1);
    getsockname(l, (struct sockaddr *)&addr, &len);
    connect(c, (struct sockaddr *)&addr, sizeof(addr));
    a = accept(l, NULL, NULL);
    th = CreateThread(NULL, 0, close_later, &c, 0, NULL);
    fd.fd = c;
    fd.events = POLLRDNORM | POLLRDBAND;
    fd.revents = 0x7ead;
    r = WSAPoll(&fd, 1, 3000);
    CHECK(r == 1 && fd.revents == POLLNVAL, "WSAPoll on a socket closed meanwhile -> %d revents %#x (1, POLLNVAL)", r,
          fd.revents);
    WaitForSingleObject(th, 5000);
    CloseHandle(th);
    closesocket(a);
    closesocket(l);
}

/* A protocol info copy whose type was changed: the arguments decide the socket made. */
static void check_socket_from_changed_info(void)
{
    WSAPROTOCOL_INFOW all[32], pi;
    DWORD len = sizeof(all);
    int n = WSAEnumProtocolsW(NULL, all, &len), i, type, tlen;
    SOCKET t;

    for (i = 0; i < n; i++)
        if (all[i].iAddressFamily == AF_INET && all[i].iSocketType == SOCK_STREAM) break;
    if (n <= 0 || i == n)
    {
        CHECK(0, "no AF_INET stream entry in the catalog (%d)", n);
        return;
    }
    pi = all[i];
    pi.iSocketType = SOCK_DGRAM;
    pi.iProtocol = IPPROTO_UDP;
    t = WSASocketW(0, 0, 0, &pi, 0, 0);
    type = 0;
    tlen = sizeof(type);
    getsockopt(t, SOL_SOCKET, SO_TYPE, (char *)&type, &tlen);
    CHECK(t != INVALID_SOCKET && type == SOCK_DGRAM, "WSASocket(0, 0, 0, stream entry changed to UDP) -> type %d (%d)",
          type, t == INVALID_SOCKET ? WSAGetLastError() : 0);
    closesocket(t);
    t = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, &pi, 0, 0);
    type = 0;
    tlen = sizeof(type);
    getsockopt(t, SOL_SOCKET, SO_TYPE, (char *)&type, &tlen);
    CHECK(t != INVALID_SOCKET && type == SOCK_STREAM,
          "WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, that info) -> type %d (error %d)", type,
          t == INVALID_SOCKET ? WSAGetLastError() : 0);
    closesocket(t);
}

/* TransmitFile with TF_REUSE_SOCKET on a socket that is not connected: WSAENOTCONN. */
static void check_transmitfile_unconnected(void)
{
    GUID guid = WSAID_TRANSMITFILE;
    LPFN_TRANSMITFILE fn = NULL;
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
    DWORD size;

    if (WSAIoctl(t, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &fn, sizeof(fn), &size, NULL, NULL) ||
        !fn)
        CHECK(0, "TransmitFile pointer (%d)", WSAGetLastError());
    else
        CHECK_FAIL(fn(t, NULL, 0, 0, NULL, NULL, TF_REUSE_SOCKET), FALSE, WSAENOTCONN);
    closesocket(t);
}

/* WSASendMsg is for datagram and raw sockets: a stream socket is WSAEINVAL. */
static void check_sendmsg_stream(void)
{
    GUID guid = WSAID_WSASENDMSG;
    LPFN_WSASENDMSG fn = NULL;
    SOCKET t = socket(AF_INET, SOCK_STREAM, 0);
    char data[4] = "abc";
    WSABUF buf = { sizeof(data), data };
    WSAMSG msg;
    DWORD size, sent = 0;

    memset(&msg, 0, sizeof(msg));
    msg.lpBuffers = &buf;
    msg.dwBufferCount = 1;
    if (WSAIoctl(t, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &fn, sizeof(fn), &size, NULL, NULL) ||
        !fn)
        CHECK(0, "WSASendMsg pointer (%d)", WSAGetLastError());
    else
        CHECK_FAIL(fn(t, &msg, 0, &sent, NULL, NULL), SOCKET_ERROR, WSAEINVAL);
    closesocket(t);
}

/* IPV6_V6ONLY set on a raw IPv6 socket to the value it has: accepted (Windows; Linux refuses the
 * option on raw sockets). Needs raw sockets; without them there is nothing to check. */
static void check_raw_v6only(void)
{
    SOCKET r = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
    char value[16];
    int len = sizeof(value), ret;

    if (r == INVALID_SOCKET)
    {
        printf("note: no raw IPv6 socket (error %d): IPV6_V6ONLY on raw sockets not checked\n", WSAGetLastError());
        return;
    }
    memset(value, 0, sizeof(value));
    ret = getsockopt(r, IPPROTO_IPV6, IPV6_V6ONLY, value, &len);
    CHECK(ret == 0, "raw IPv6: getsockopt(IPV6_V6ONLY) -> %d error %d", ret, WSAGetLastError());
    ret = setsockopt(r, IPPROTO_IPV6, IPV6_V6ONLY, value, len);
    CHECK(ret == 0, "raw IPv6: setsockopt(IPV6_V6ONLY) to its value -> %d error %d", ret, WSAGetLastError());
    closesocket(r);
}

/* WSAConnectByName with address buffers but no lengths: connects, the buffers left alone. */
static void check_connect_by_name_no_lengths(void)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0), t = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), a;
    struct sockaddr_in addr, local, remote;
    int len = sizeof(addr);
    char port[16];
    BOOL ok;

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(l, (struct sockaddr *)&addr, sizeof(addr));
    listen(l, 1);
    getsockname(l, (struct sockaddr *)&addr, &len);
    snprintf(port, sizeof(port), "%u", ntohs(addr.sin_port));
    memset(&local, 0, sizeof(local));
    memset(&remote, 0, sizeof(remote));
    ok = WSAConnectByNameA(t, (LPSTR)"127.0.0.1", port, NULL, (struct sockaddr *)&local, NULL,
                           (struct sockaddr *)&remote, NULL, NULL);
    CHECK(ok && !local.sin_family && !remote.sin_family,
          "WSAConnectByNameA with address buffers and no lengths -> %d (error %d), buffers untouched", ok,
          ok ? 0 : WSAGetLastError());
    a = accept(l, NULL, NULL);
    closesocket(a);
    closesocket(t);
    closesocket(l);
}

int main(void)
{
    WSADATA wsa;

    if (WSAStartup(MAKEWORD(2, 2), &wsa))
    {
        printf("FAIL: WSAStartup\n");
        return 1;
    }
    check_negative_lengths();
    check_error_cleared();
    check_kept_options();
    check_interface_list();
    check_so_type();
    check_bsp_state();
    check_ioctl_rules();
    check_overlapped_status();
    check_sync_socket_recv();
    check_poll_close();
    check_socket_from_changed_info();
    check_transmitfile_unconnected();
    check_sendmsg_stream();
    check_raw_v6only();
    check_connect_by_name_no_lengths();
    CHECK(GetModuleHandleW(L"openws2afd.dll") != NULL, "the sockets came from openws2afd.dll");
    WSACleanup();
    return e2e_done("sockopt_ws2");
}
