/* sockio_e2e.c - end-to-end checks of socket calls against Windows' behaviour as Wine's conformance
 * tests (dlls/ws2_32/tests/sock.c) record it, through our ws2_32 and openws2afd over loopback:
 * the last error is 0 after a successful call, WSASocket with a changed protocol info, accept and
 * WSAConnectByName with an address but no length, WSAIoctl(FIONBIO) with an unusable output
 * buffer, SIO_ENABLE_CIRCULAR_QUEUEING, WSASendMsg on a stream socket, WSAGetOverlappedResult with
 * NULL flags and its status mapping, an overlapped receive on a socket made without
 * WSA_FLAG_OVERLAPPED, TransmitFile(TF_REUSE_SOCKET) unconnected, WSAPoll on a socket closed while
 * polled.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "e2e_check.h"
#include <mswsock.h>
#include <stdlib.h>

/* A successful call must leave WSAGetLastError() == 0. */
#define CHECK_CLEARS(expr, okcond) do { \
        long long r_; int e_; \
        WSASetLastError(0xdeadbeef); \
        r_ = (long long)(expr); \
        e_ = WSAGetLastError(); \
        CHECK((okcond) && e_ == 0, "%s -> %lld, last error %d (expected success, 0)", #expr, r_, e_); \
        (void)r_; \
    } while (0)

static struct sockaddr_in loopback(unsigned short port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    return a;
}

static SOCKET listener_of(DWORD flags, struct sockaddr_in *addr)
{
    SOCKET l = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, flags);
    int len = sizeof(*addr);
    *addr = loopback(0);
    if (l == INVALID_SOCKET || bind(l, (struct sockaddr *)addr, sizeof(*addr)) || listen(l, 5) ||
        getsockname(l, (struct sockaddr *)addr, &len))
        printf("  (listener: error %d)\n", WSAGetLastError());
    return l;
}

/* A connected TCP pair whose sockets are made with flags (WSA_FLAG_OVERLAPPED or 0). */
static void tcp_pair(DWORD flags, SOCKET *client, SOCKET *server)
{
    struct sockaddr_in addr;
    SOCKET l = listener_of(flags, &addr);
    *client = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, flags);
    if (connect(*client, (struct sockaddr *)&addr, sizeof(addr))) printf("  (connect: error %d)\n", WSAGetLastError());
    *server = accept(l, NULL, NULL);
    closesocket(l);
}

static void test_last_error_cleared(void)
{
    struct sockaddr_in addr = loopback(0), peer;
    SOCKET l, c, a, u;
    int len, one = 1, type = 0;
    u_long nb = 1;
    DWORD bytes, flags = 0;
    char buf[8];
    WSABUF wb;
    fd_set rd;
    TIMEVAL tv = { 1, 0 };
    WSAOVERLAPPED ov;

    CHECK_CLEARS(l = WSASocketA(AF_INET, SOCK_STREAM, 0, NULL, 0, 0), l != INVALID_SOCKET);
    CHECK_CLEARS(u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), u != INVALID_SOCKET);
    CHECK_CLEARS(bind(l, (struct sockaddr *)&addr, sizeof(addr)), r_ == 0);
    CHECK_CLEARS(listen(l, 5), r_ == 0);
    len = sizeof(addr);
    CHECK_CLEARS(getsockname(l, (struct sockaddr *)&addr, &len), r_ == 0);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_CLEARS(connect(c, (struct sockaddr *)&addr, sizeof(addr)), r_ == 0);
    len = sizeof(peer);
    CHECK_CLEARS(a = accept(l, (struct sockaddr *)&peer, &len), a != INVALID_SOCKET);
    CHECK_CLEARS(setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, (char *)&one, sizeof(one)), r_ == 0);
    len = sizeof(type);
    CHECK_CLEARS(getsockopt(c, SOL_SOCKET, SO_TYPE, (char *)&type, &len), r_ == 0 && type == SOCK_STREAM);
    CHECK_CLEARS(WSAIoctl(u, FIONBIO, &nb, sizeof(nb), NULL, 0, &bytes, NULL, NULL), r_ == 0);
    CHECK_CLEARS(ioctlsocket(u, FIONBIO, &nb), r_ == 0);
    CHECK_CLEARS(send(c, "data", 4, 0), r_ == 4);
    FD_ZERO(&rd);
    FD_SET(a, &rd);
    CHECK_CLEARS(select(0, &rd, NULL, NULL, &tv), r_ == 1);
    wb.buf = buf;
    wb.len = 2;
    CHECK_CLEARS(WSARecv(a, &wb, 1, &bytes, &flags, NULL, NULL), r_ == 0 && bytes == 2);
    CHECK_CLEARS(recv(a, buf, sizeof(buf), 0), r_ == 2);
    wb.buf = (char *)"more";
    wb.len = 4;
    CHECK_CLEARS(WSASend(c, &wb, 1, &bytes, 0, NULL, NULL), r_ == 0 && bytes == 4);
    Sleep(100);
    memset(&ov, 0, sizeof(ov));
    wb.buf = buf;
    wb.len = sizeof(buf);
    /* data waiting: the overlapped receive completes at once (Wine's sock.c, test_tcp_reset) */
    CHECK_CLEARS(WSARecv(a, &wb, 1, &bytes, &flags, &ov, NULL), r_ == 0 && bytes == 4);
    len = sizeof(peer);
    CHECK_CLEARS(getpeername(c, (struct sockaddr *)&peer, &len), r_ == 0);
    CHECK_CLEARS(shutdown(c, SD_SEND), r_ == 0);
    closesocket(a);
    closesocket(c);
    closesocket(l);
    closesocket(u);
}

static void test_wsasocket_info(void)
{
    WSAPROTOCOL_INFOA info;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), t;
    int len = sizeof(info), type = 0, err;

    if (getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)&info, &len))
    {
        CHECK(0, "SO_PROTOCOL_INFOA: error %d", WSAGetLastError());
        closesocket(s);
        return;
    }
    closesocket(s);
    /* the TCP entry's info claiming datagram/UDP: explicit arguments win */
    info.iSocketType = SOCK_DGRAM;
    info.iProtocol = IPPROTO_UDP;
    t = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, &info, 0, 0);
    CHECK(t != INVALID_SOCKET, "WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, changed info) -> error %d",
          t == INVALID_SOCKET ? WSAGetLastError() : 0);
    len = sizeof(type);
    err = getsockopt(t, SOL_SOCKET, SO_TYPE, (char *)&type, &len);
    CHECK(!err && type == SOCK_STREAM, "its SO_TYPE %d (expected %d)", type, SOCK_STREAM);
    type = SOCK_DGRAM;
    CHECK_FAIL(setsockopt(t, SOL_SOCKET, SO_TYPE, (char *)&type, sizeof(type)), SOCKET_ERROR, WSAENOPROTOOPT);
    closesocket(t);
    /* 0 arguments take the structure's: a datagram socket, whose SO_TYPE is read-only with WSAEINVAL */
    t = WSASocketA(0, 0, 0, &info, 0, 0);
    len = sizeof(type);
    type = 0;
    err = getsockopt(t, SOL_SOCKET, SO_TYPE, (char *)&type, &len);
    CHECK(t != INVALID_SOCKET && !err && type == SOCK_DGRAM, "WSASocketA(0, 0, 0, changed info): SO_TYPE %d", type);
    type = SOCK_STREAM;
    CHECK_FAIL(setsockopt(t, SOL_SOCKET, SO_TYPE, (char *)&type, sizeof(type)), SOCKET_ERROR, WSAEINVAL);
    closesocket(t);
}

static void test_accept_no_length(void)
{
    struct sockaddr_in addr;
    struct sockaddr_storage ss, empty;
    SOCKET l = listener_of(WSA_FLAG_OVERLAPPED, &addr), c = socket(AF_INET, SOCK_STREAM, 0), a;

    connect(c, (struct sockaddr *)&addr, sizeof(addr));
    memset(&ss, 0, sizeof(ss));
    memset(&empty, 0, sizeof(empty));
    a = accept(l, (struct sockaddr *)&ss, NULL);
    CHECK(a != INVALID_SOCKET, "accept(address, NULL length) -> error %d", a == INVALID_SOCKET ? WSAGetLastError() : 0);
    CHECK(!memcmp(&ss, &empty, sizeof(ss)), "the address buffer is left alone");
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

static void test_ioctls(void)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    u_long one = 1;
    DWORD size = 0;
    void *out = VirtualAlloc(NULL, 4, MEM_RESERVE | MEM_COMMIT, PAGE_NOACCESS);
    int ret;

    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(s, FIONBIO, &one, sizeof(one) + 1, out, 4, &size, NULL, NULL);
    CHECK(!ret, "WSAIoctl(FIONBIO) with an inaccessible output buffer -> %d error %d", ret, WSAGetLastError());
    VirtualFree(out, 0, MEM_RELEASE);
    ret = WSAIoctl(s, SIO_ENABLE_CIRCULAR_QUEUEING, NULL, 0, NULL, 0, &size, NULL, NULL);
    CHECK(!ret, "WSAIoctl(SIO_ENABLE_CIRCULAR_QUEUEING) -> %d error %d", ret, ret ? WSAGetLastError() : 0);
    closesocket(s);
}

static void test_sendmsg_stream(void)
{
    struct sockaddr_in to = loopback(9);
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    WSABUF wb = { 4, (char *)"data" };
    WSAMSG msg;
    DWORD sent = 0;

    memset(&msg, 0, sizeof(msg));
    msg.name = (struct sockaddr *)&to;
    msg.namelen = sizeof(to);
    msg.lpBuffers = &wb;
    msg.dwBufferCount = 1;
    CHECK_FAIL(WSASendMsg(s, &msg, 0, &sent, NULL, NULL), SOCKET_ERROR, WSAEINVAL);
    closesocket(s);
}

static void test_overlapped_result(void)
{
    struct sockaddr_in addr = loopback(0);
    SOCKET r = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), w = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    static const struct { ULONG status; DWORD error; } map[] =
    {
        { 0x80000002, WSAEINVAL },        /* STATUS_DATATYPE_MISALIGNMENT: no entry, WSAEINVAL */
        { 0xc0000010, WSAEINVAL },        /* STATUS_INVALID_DEVICE_REQUEST */
        { 0xc00000cb, WSAEINVAL },        /* STATUS_BAD_DEVICE_TYPE */
        { 0xc00000d8, WSAEINVAL },        /* STATUS_CANT_WAIT */
        { 0xc000011f, WSAEINVAL },        /* STATUS_TOO_MANY_OPENED_FILES */
        { 0xc000023a, WSAEINVAL },        /* STATUS_CONNECTION_INVALID */
        { 0xc00002c5, WSAEFAULT },        /* STATUS_DATATYPE_MISALIGNMENT_ERROR */
        { 0xc0000120, WSA_OPERATION_ABORTED }, /* STATUS_CANCELLED */
        { 0xc000020d, WSAECONNRESET },    /* STATUS_CONNECTION_RESET */
        { 0x8000000a, WSAEINVAL },        /* STATUS_HANDLES_CLOSED: no entry on Windows either */
    };
    WSAOVERLAPPED ov;
    WSABUF wb;
    DWORD flags = 0, size = 0;
    char buf[16];
    int len = sizeof(addr), ret;
    unsigned int i;
    BOOL ok;

    bind(r, (struct sockaddr *)&addr, sizeof(addr));
    getsockname(r, (struct sockaddr *)&addr, &len);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    wb.buf = buf;
    wb.len = sizeof(buf);
    ret = WSARecv(r, &wb, 1, NULL, &flags, &ov, NULL);
    CHECK(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "overlapped WSARecv pending (%d)",
          WSAGetLastError());
    sendto(w, "hello", 5, 0, (struct sockaddr *)&addr, sizeof(addr));
    WaitForSingleObject(ov.hEvent, 2000);
    ok = WSAGetOverlappedResult(r, &ov, &size, FALSE, NULL);
    CHECK(ok && size == 5, "WSAGetOverlappedResult(NULL flags) -> %d size %lu error %d", ok, (unsigned long)size,
          ok ? 0 : WSAGetLastError());
    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
    {
        ov.Internal = map[i].status;
        WSASetLastError(0xdeadbeef);
        ok = WSAGetOverlappedResult(r, &ov, &size, FALSE, &flags);
        CHECK(!ok && WSAGetLastError() == (int)map[i].error, "status %#lx -> %d error %d (expected %lu)",
              map[i].status, ok, WSAGetLastError(), (unsigned long)map[i].error);
    }
    WSACloseEvent(ov.hEvent);
    closesocket(r);
    closesocket(w);
}

static DWORD close_routine_error, close_routine_calls;

static void CALLBACK close_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)bytes;
    (void)ov;
    (void)flags;
    close_routine_error = error;
    close_routine_calls++;
}

/* closesocket with an overlapped receive pending: Windows completes it with WSA_OPERATION_ABORTED
 * (closesocket's documentation), also in its completion routine (Wine's AFD ends it with
 * STATUS_HANDLES_CLOSED, which WSAGetOverlappedResult reports as WSAEINVAL, as Windows would). */
static void test_close_completion_routine(void)
{
    struct sockaddr_in addr = loopback(0);
    SOCKET r = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    WSAOVERLAPPED ov;
    WSABUF wb;
    DWORD flags = 0;
    char buf[16];
    int ret, i;

    bind(r, (struct sockaddr *)&addr, sizeof(addr));
    memset(&ov, 0, sizeof(ov));
    wb.buf = buf;
    wb.len = sizeof(buf);
    close_routine_calls = 0;
    close_routine_error = 0xdeadbeef;
    ret = WSARecv(r, &wb, 1, NULL, &flags, &ov, close_routine);
    CHECK(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "WSARecv with a routine pending (%d)",
          WSAGetLastError());
    CHECK(closesocket(r) == 0, "closesocket with a pending request (%d)", WSAGetLastError());
    for (i = 0; i < 20 && !close_routine_calls; i++) SleepEx(100, TRUE);
    CHECK(close_routine_calls == 1 && close_routine_error == WSA_OPERATION_ABORTED,
          "completion routine after closesocket: %lu call(s), error %lu (expected 1, %d)",
          (unsigned long)close_routine_calls, (unsigned long)close_routine_error, (int)WSA_OPERATION_ABORTED);
}

static void test_connect_by_name(void)
{
    struct sockaddr_in addr, local, remote, empty;
    SOCKET l = listener_of(WSA_FLAG_OVERLAPPED, &addr), s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    char port[16];
    BOOL ok;

    snprintf(port, sizeof(port), "%u", ntohs(addr.sin_port));
    memset(&local, 0, sizeof(local));
    memset(&remote, 0, sizeof(remote));
    memset(&empty, 0, sizeof(empty));
    ok = WSAConnectByNameA(s, (char *)"127.0.0.1", port, NULL, (struct sockaddr *)&local, NULL,
                           (struct sockaddr *)&remote, NULL, NULL);
    CHECK(ok, "WSAConnectByNameA(addresses without lengths) -> error %d", ok ? 0 : WSAGetLastError());
    CHECK(!memcmp(&local, &empty, sizeof(local)) && !memcmp(&remote, &empty, sizeof(remote)),
          "the address buffers are left alone");
    closesocket(s);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    closesocket(s);
    CHECK_FAIL(WSAConnectByNameA(s, (char *)"127.0.0.1", NULL, NULL, NULL, NULL, NULL, NULL, NULL), FALSE, WSAEINVAL);
    closesocket(l);
}

struct recv_thread
{
    SOCKET s;
    int ret, err;
    DWORD size;
    char buf[8];
};

static DWORD WINAPI overlapped_recv_thread(void *arg)
{
    struct recv_thread *p = arg;
    WSAOVERLAPPED ov;
    WSABUF wb;
    DWORD flags = 0;

    memset(&ov, 0, sizeof(ov));
    wb.buf = p->buf;
    wb.len = sizeof(p->buf);
    p->ret = WSARecv(p->s, &wb, 1, NULL, &flags, &ov, NULL);
    p->err = p->ret ? WSAGetLastError() : 0;
    if (!p->ret) GetOverlappedResult((HANDLE)p->s, &ov, &p->size, FALSE);
    return 0;
}

static void test_non_overlapped_socket(void)
{
    struct recv_thread params;
    SOCKET c, s;
    u_long nb = 1;
    HANDLE thread;
    DWORD w;

    tcp_pair(0, &c, &s);
    ioctlsocket(c, FIONBIO, &nb);
    memset(&params, 0, sizeof(params));
    params.s = c;
    thread = CreateThread(NULL, 0, overlapped_recv_thread, &params, 0, NULL);
    w = WaitForSingleObject(thread, 200);
    CHECK(w == WAIT_TIMEOUT, "overlapped WSARecv on a non-overlapped, non-blocking socket waits (%lu, ret %d error %d)",
          (unsigned long)w, params.ret, params.err);
    send(s, "data", 4, 0);
    w = WaitForSingleObject(thread, 5000);
    CHECK(!w && !params.ret && params.size == 4 && !memcmp(params.buf, "data", 4),
          "... and completes with the data (wait %lu ret %d error %d size %lu)", (unsigned long)w, params.ret,
          params.err, (unsigned long)params.size);
    CloseHandle(thread);
    closesocket(c);
    closesocket(s);
}

static void test_transmitfile_unconnected(void)
{
    GUID guid = WSAID_TRANSMITFILE;
    LPFN_TRANSMITFILE fn = NULL;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    DWORD size = 0;

    if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &fn, sizeof(fn), &size, NULL, NULL) ||
        !fn)
    {
        CHECK(0, "TransmitFile pointer: error %d", WSAGetLastError());
        closesocket(s);
        return;
    }
    CHECK_FAIL(fn(s, NULL, 0, 0, NULL, NULL, TF_REUSE_SOCKET), FALSE, WSAENOTCONN);
    closesocket(s);
}

static DWORD WINAPI close_thread(void *arg)
{
    Sleep(200);
    closesocket(*(SOCKET *)arg);
    return 0;
}

static void test_poll_close(void)
{
    SOCKET c, s;
    WSAPOLLFD fd;
    HANDLE thread;
    int ret;

    tcp_pair(WSA_FLAG_OVERLAPPED, &c, &s);
    thread = CreateThread(NULL, 0, close_thread, &c, 0, NULL);
    fd.fd = c;
    fd.events = POLLRDNORM | POLLRDBAND;
    fd.revents = 0x7ead;
    ret = WSAPoll(&fd, 1, 5000);
    CHECK(ret == 1 && fd.revents == POLLNVAL, "WSAPoll on a socket closed meanwhile -> %d revents %#x (expected 1 %#x)",
          ret, fd.revents, POLLNVAL);
    WaitForSingleObject(thread, 5000);
    CloseHandle(thread);
    closesocket(s);
}

int main(void)
{
    WSADATA wsa;

    if (WSAStartup(MAKEWORD(2, 2), &wsa))
    {
        printf("WSAStartup failed\n");
        return 1;
    }
    test_last_error_cleared();
    test_wsasocket_info();
    test_accept_no_length();
    test_ioctls();
    test_sendmsg_stream();
    test_overlapped_result();
    test_close_completion_routine();
    test_connect_by_name();
    test_non_overlapped_socket();
    test_transmitfile_unconnected();
    test_poll_close();
    WSACleanup();
    return e2e_done("sockio_e2e");
}
