/* conform_ws2_io.c - ws2conform's checks of a catalog entry THROUGH ws2_32 (the way applications use
 * it, and the only way to run a layered provider on its lower layers): WSAStartup, sockets made
 * from the entry's WSAPROTOCOL_INFOW (SO_PROTOCOL_INFOW must name that entry), loopback
 * bind/listen/connect/accept, blocking send/recv, non-blocking receive, overlapped WSARecv completed
 * through an event, a completion routine (APC) and a completion port, select, shutdown, closesocket
 * (a second one is WSAENOTSOCK) and WSACleanup; datagram entries: conform_ws2_dgram.c. WSAEOPNOTSUPP
 * from the provider gives a SKIP line.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conform.h"

struct ws2_io
{
    struct conf_target *t;
    SOCKET lst, cli, acc;
};

static SOCKET make_socket(struct ws2_io *io, const char *what)
{
    WSAPROTOCOL_INFOW info = io->t->info, got;
    int len = sizeof(got);
    SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);

    if (!conf_expect(s != INVALID_SOCKET, "ws2 socket", "WSASocketW(entry %lu) for the %s -> %s err %d",
                     (unsigned long)info.dwCatalogEntryId, what, s == INVALID_SOCKET ? "INVALID_SOCKET" : "a socket",
                     s == INVALID_SOCKET ? WSAGetLastError() : 0))
        return s;
    memset(&got, 0, sizeof(got));
    if (getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&got, &len))
        conf_report(CONF_FAIL, "ws2 socket", "getsockopt(SO_PROTOCOL_INFOW) -> error %d", WSAGetLastError());
    else
        conf_expect(got.dwCatalogEntryId == info.dwCatalogEntryId, "ws2 socket",
                    "SO_PROTOCOL_INFOW of the %s names entry %lu (%lu expected)", what,
                    (unsigned long)got.dwCatalogEntryId, (unsigned long)info.dwCatalogEntryId);
    return s;
}

static int recv_all(SOCKET s, char *buf, int len)
{
    int got = 0, n;

    while (got < len)
    {
        if ((n = recv(s, buf + got, len - got, 0)) <= 0) return n < 0 ? n : got;
        got += n;
    }
    return got;
}

static BOOL setup_connection(struct ws2_io *io)
{
    struct sockaddr_storage addr, peer;
    int len, r;

    if ((io->lst = make_socket(io, "listener")) == INVALID_SOCKET) return FALSE;
    conf_loopback(io->t->info.iAddressFamily, &addr, &len);
    r = bind(io->lst, (struct sockaddr *)&addr, len);
    if (!conf_expect(r == 0, "ws2 connect", "bind(loopback:0) -> %d err %d", r, r ? WSAGetLastError() : 0)) return FALSE;
    r = listen(io->lst, 5);
    if (!conf_expect(r == 0, "ws2 connect", "listen -> %d err %d", r, r ? WSAGetLastError() : 0)) return FALSE;
    len = sizeof(addr);
    r = getsockname(io->lst, (struct sockaddr *)&addr, &len);
    if (!conf_expect(r == 0 && conf_port(&addr), "ws2 connect", "getsockname -> %d port %u", r, conf_port(&addr)))
        return FALSE;
    if ((io->cli = make_socket(io, "client")) == INVALID_SOCKET) return FALSE;
    r = connect(io->cli, (struct sockaddr *)&addr, len);
    if (!conf_expect(r == 0, "ws2 connect", "blocking connect -> %d err %d", r, r ? WSAGetLastError() : 0)) return FALSE;
    len = sizeof(peer);
    io->acc = accept(io->lst, (struct sockaddr *)&peer, &len);
    return conf_expect(io->acc != INVALID_SOCKET, "ws2 connect", "accept -> %s err %d",
                       io->acc == INVALID_SOCKET ? "INVALID_SOCKET" : "a socket",
                       io->acc == INVALID_SOCKET ? WSAGetLastError() : 0);
}

static void check_blocking(struct ws2_io *io)
{
    char buf[16] = {0};
    int sent = send(io->cli, "blocking", 8, 0), got;

    if (!conf_expect(sent == 8, "ws2 blocking", "send of 8 bytes -> %d err %d", sent, sent < 0 ? WSAGetLastError() : 0))
        return;
    got = recv_all(io->acc, buf, 8);
    conf_expect(got == 8 && !memcmp(buf, "blocking", 8), "ws2 blocking", "recv got %d bytes \"%.8s\"", got, buf);
}

static void check_nonblocking(struct ws2_io *io)
{
    u_long on = 1;
    char buf[16] = {0};
    DWORD start;
    int r = ioctlsocket(io->acc, FIONBIO, &on), err;

    if (r && WSAGetLastError() == WSAEOPNOTSUPP)
    {
        conf_report(CONF_SKIP, "ws2 non-blocking", "ioctlsocket(FIONBIO) -> WSAEOPNOTSUPP");
        return;
    }
    if (!conf_expect(r == 0, "ws2 non-blocking", "ioctlsocket(FIONBIO, 1) -> %d err %d", r, r ? WSAGetLastError() : 0))
        return;
    r = recv(io->acc, buf, sizeof(buf), 0);
    err = WSAGetLastError();
    conf_expect(r == SOCKET_ERROR && err == WSAEWOULDBLOCK, "ws2 non-blocking", "recv without data -> %d err %d", r,
                r < 0 ? err : 0);
    send(io->cli, "nbio", 4, 0);
    start = GetTickCount();
    while ((r = recv(io->acc, buf, sizeof(buf), 0)) == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK &&
           GetTickCount() - start < CONF_WAIT_MS)
        Sleep(10);
    conf_expect(r == 4 && !memcmp(buf, "nbio", 4), "ws2 non-blocking", "recv once data arrived -> %d", r);
    on = 0;
    r = ioctlsocket(io->acc, FIONBIO, &on);
    conf_expect(r == 0, "ws2 non-blocking", "ioctlsocket(FIONBIO, 0) -> %d", r);
}

static int start_recv(struct ws2_io *io, const char *check, WSAOVERLAPPED *ov, char *buf,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    WSABUF b = {8, buf};
    DWORD n = 0, flags = 0;
    int r = WSARecv(io->acc, &b, 1, &n, &flags, ov, routine), err = r ? WSAGetLastError() : 0;

    if (r && err == WSAEOPNOTSUPP)
    {
        conf_report(CONF_SKIP, check, "overlapped WSARecv -> WSAEOPNOTSUPP");
        return 0;
    }
    return conf_expect(r == 0 || err == WSA_IO_PENDING, check, "overlapped WSARecv -> %d err %d", r, err) ? 1 : -1;
}

static void check_event(struct ws2_io *io)
{
    WSAOVERLAPPED ov;
    char buf[16] = {0};
    DWORD bytes = 0, flags = 0, w;
    BOOL ok;

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    if (start_recv(io, "ws2 overlapped event", &ov, buf, NULL) == 1)
    {
        send(io->cli, "overlap1", 8, 0);
        w = WaitForSingleObject(ov.hEvent, CONF_WAIT_MS);
        conf_expect(w == WAIT_OBJECT_0, "ws2 overlapped event", "the event is signalled (wait -> %lu)", (unsigned long)w);
        ok = WSAGetOverlappedResult(io->acc, &ov, &bytes, TRUE, &flags);
        conf_expect(ok && bytes == 8 && !memcmp(buf, "overlap1", 8), "ws2 overlapped event",
                    "WSAGetOverlappedResult -> %d, %lu bytes \"%.8s\" err %d", ok, (unsigned long)bytes, buf,
                    ok ? 0 : WSAGetLastError());
    }
    WSACloseEvent(ov.hEvent);
}

static void check_apc(struct ws2_io *io)
{
    WSAOVERLAPPED ov;
    char buf[16] = {0};
    DWORD start;

    memset(&ov, 0, sizeof(ov));
    conf_apc_calls = 0;
    if (start_recv(io, "ws2 overlapped apc", &ov, buf, conf_apc_routine) != 1) return;
    send(io->cli, "overlap2", 8, 0);
    start = GetTickCount();
    while (!conf_apc_calls && GetTickCount() - start < CONF_WAIT_MS) SleepEx(50, TRUE);
    conf_expect(conf_apc_calls == 1 && conf_apc_error == 0 && conf_apc_bytes == 8 && !memcmp(buf, "overlap2", 8),
                "ws2 overlapped apc", "completion routine ran %ld time(s): error %lu, %lu bytes \"%.8s\"",
                (long)conf_apc_calls, (unsigned long)conf_apc_error, (unsigned long)conf_apc_bytes, buf);
}

static void check_port(struct ws2_io *io)
{
    WSAOVERLAPPED ov, *got = NULL;
    char buf[16] = {0};
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    HANDLE port = CreateIoCompletionPort((HANDLE)io->acc, NULL, 0x5a, 0);
    BOOL ok;

    if (!conf_expect(port != NULL, "ws2 overlapped port", "CreateIoCompletionPort on the socket -> %p (error %lu)",
                     (void *)port, port ? 0ul : (unsigned long)GetLastError()))
        return;
    memset(&ov, 0, sizeof(ov));
    if (start_recv(io, "ws2 overlapped port", &ov, buf, NULL) == 1)
    {
        send(io->cli, "overlap3", 8, 0);
        ok = GetQueuedCompletionStatus(port, &bytes, &key, (LPOVERLAPPED *)&got, CONF_WAIT_MS);
        conf_expect(ok && key == 0x5a && got == &ov && bytes == 8 && !memcmp(buf, "overlap3", 8), "ws2 overlapped port",
                    "GetQueuedCompletionStatus -> %d key %#lx ov %s, %lu bytes \"%.8s\"", ok, (unsigned long)key,
                    got == &ov ? "ours" : "other", (unsigned long)bytes, buf);
    }
    CloseHandle(port);
}

static void check_select(struct ws2_io *io)
{
    fd_set rd;
    struct timeval zero = {0, 0}, wait = {CONF_WAIT_MS / 1000, 0};
    char c;
    int r;

    FD_ZERO(&rd);
    FD_SET(io->acc, &rd);
    r = select(0, &rd, NULL, NULL, &zero);
    if (r == SOCKET_ERROR && WSAGetLastError() == WSAEOPNOTSUPP)
    {
        conf_report(CONF_SKIP, "ws2 select", "select -> WSAEOPNOTSUPP");
        return;
    }
    conf_expect(r == 0, "ws2 select", "select without data, timeout 0 -> %d", r);
    send(io->cli, "s", 1, 0);
    FD_ZERO(&rd);
    FD_SET(io->acc, &rd);
    r = select(0, &rd, NULL, NULL, &wait);
    conf_expect(r == 1 && FD_ISSET(io->acc, &rd), "ws2 select", "select after data -> %d", r);
    if (r == 1) recv_all(io->acc, &c, 1);
}

static void check_shutdown(struct ws2_io *io)
{
    char buf[4];
    int r = shutdown(io->cli, SD_SEND);

    if (r && WSAGetLastError() == WSAEOPNOTSUPP)
    {
        conf_report(CONF_SKIP, "ws2 shutdown", "shutdown -> WSAEOPNOTSUPP");
        return;
    }
    if (!conf_expect(r == 0, "ws2 shutdown", "shutdown(SD_SEND) -> %d err %d", r, r ? WSAGetLastError() : 0)) return;
    r = recv(io->acc, buf, sizeof(buf), 0);
    conf_expect(r == 0, "ws2 shutdown", "the peer's recv reads end of stream (%d)", r);
}

static void close_one(SOCKET *s, const char *what, BOOL again)
{
    int r;

    if (*s == INVALID_SOCKET) return;
    r = closesocket(*s);
    conf_expect(r == 0, "ws2 close", "closesocket(%s) -> %d err %d", what, r, r ? WSAGetLastError() : 0);
    if (again && r == 0)
    {
        r = closesocket(*s);
        conf_expect(r == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "ws2 close",
                    "a second closesocket(%s) -> %d err %d (WSAENOTSOCK expected)", what, r,
                    r ? WSAGetLastError() : 0);
    }
    *s = INVALID_SOCKET;
}

void conf_check_ws2_io(struct conf_target *t)
{
    struct ws2_io io = {t, INVALID_SOCKET, INVALID_SOCKET, INVALID_SOCKET};
    WSADATA wsa;
    int r = WSAStartup(MAKEWORD(2, 2), &wsa);
    BOOL inet = t->info.iAddressFamily == AF_INET || t->info.iAddressFamily == AF_INET6;
    BOOL stream = inet && t->info.iSocketType == SOCK_STREAM, dgram = inet && t->info.iSocketType == SOCK_DGRAM;

    if (!conf_expect(r == 0, "ws2 startup", "WSAStartup(2.2) -> %d", r)) return;
    if (dgram)
    {
        SOCKET a = make_socket(&io, "datagram sender"), b = make_socket(&io, "datagram receiver");
        if (a != INVALID_SOCKET && b != INVALID_SOCKET) conf_check_ws2_dgram(t, a, b);
        conf_begin("ws2 close");
        close_one(&a, "datagram sender", FALSE);
        close_one(&b, "datagram receiver", TRUE);
    }
    else if (!stream)
    {
        SOCKET s = make_socket(&io, "socket");
        close_one(&s, "socket", FALSE);
        conf_report(CONF_SKIP, "ws2 io", "loopback I/O checks need an AF_INET/AF_INET6 SOCK_STREAM or SOCK_DGRAM entry");
    }
    else if (conf_begin("ws2 connect"), setup_connection(&io))
    {
        if (!conf_skip("ws2 blocking")) check_blocking(&io);
        if (!conf_skip("ws2 non-blocking")) check_nonblocking(&io);
        if (!conf_skip("ws2 overlapped event")) check_event(&io);
        if (!conf_skip("ws2 overlapped apc")) check_apc(&io);
        if (!conf_skip("ws2 select")) check_select(&io);
        if (!conf_skip("ws2 overlapped port")) check_port(&io);
        if (!conf_skip("ws2 shutdown")) check_shutdown(&io);
    }
    conf_begin("ws2 close");
    close_one(&io.acc, "accepted socket", TRUE);
    close_one(&io.cli, "client", FALSE);
    close_one(&io.lst, "listener", FALSE);
    r = WSACleanup();
    conf_expect(r == 0, "ws2 cleanup", "WSACleanup -> %d", r);
}
