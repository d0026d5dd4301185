/* conform_spi_io.c - ws2conform's socket and I/O checks straight through a provider's SPI, with the
 * runner's recording upcall table (the provider DLL runs standalone, no ws2_32 in between):
 *  - socket creation through the right upcall: an IFS provider (XP1_IFS_HANDLES) hands out handles
 *    it registered with WPUModifyIFSHandle, a non-IFS one handles from WPUCreateSocketHandle
 *    (WSPSocket and WSPAccept);
 *  - over loopback (stream entries): bind/listen/connect/accept, blocking send/recv, non-blocking
 *    receive (FIONBIO, WSAEWOULDBLOCK), overlapped receive completed through an event, through a
 *    completion routine (APC) and through a completion port, WSPSelect, WSPShutdown (the peer reads
 *    end of stream), WSPCloseSocket (the handle goes away: IFS closed, non-IFS released with
 *    WPUCloseSocketHandle; a second close is WSAENOTSOCK) and WSPCleanup;
 *  - datagram entries: conform_spi_dgram.c on sockets made here.
 * A provider answering WSAEOPNOTSUPP for an optional feature gets a SKIP line. Non-IFS overlapped
 * completion through events and ports goes through WPUCompleteOverlappedRequest, a ws2_32 export
 * outside the upcall table: those two are checked through ws2_32 (--entry) instead.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conform.h"
#include "trace.h"

struct spi_io
{
    struct conf_target *t;
    WSPPROC_TABLE p;
    WSATHREADID tid;
    SOCKET lst, cli, acc;
    struct sockaddr_storage addr;
    int addr_len;
};

static void check_origin(struct spi_io *io, SOCKET s, const char *call)
{
    BOOL open;
    enum conf_handle_kind kind = conf_handle_kind(s, &open);
    const char *made = kind == CONF_HANDLE_IFS ? "WPUModifyIFSHandle" :
                       kind == CONF_HANDLE_NONIFS ? "WPUCreateSocketHandle" : "no upcall";

    if (io->t->ifs == 1)
        conf_expect(kind == CONF_HANDLE_IFS && open, "socket upcall", "%s returned %#lx made by %s (IFS entry: "
                    "WPUModifyIFSHandle expected)", call, (unsigned long)s, made);
    else if (io->t->ifs == 0)
        conf_expect(kind == CONF_HANDLE_NONIFS && open, "socket upcall", "%s returned %#lx made by %s (non-IFS "
                    "entry: WPUCreateSocketHandle expected)", call, (unsigned long)s, made);
    else
        conf_expect(kind != CONF_HANDLE_UNKNOWN && open, "socket upcall", "%s returned %#lx made by %s", call,
                    (unsigned long)s, made);
}

static SOCKET make_socket(struct spi_io *io, const char *what)
{
    WSAPROTOCOL_INFOW info = io->t->info;
    int err = 0;
    SOCKET s = io->p.lpWSPSocket(info.iAddressFamily, info.iSocketType, info.iProtocol, &info, 0,
                                 WSA_FLAG_OVERLAPPED, &err);

    TRACE_SPI("ws2conform WSPSocket(%d, %d, %d, entry %lu) -> %#lx (error %d)", info.iAddressFamily, info.iSocketType,
              info.iProtocol, (unsigned long)info.dwCatalogEntryId, (unsigned long)s, s == INVALID_SOCKET ? err : 0);

    if (s == INVALID_SOCKET)
    {
        conf_report(CONF_FAIL, "socket", "WSPSocket(%d, %d, %d) for the %s -> INVALID_SOCKET err %d",
                    info.iAddressFamily, info.iSocketType, info.iProtocol, what, err);
        return s;
    }
    check_origin(io, s, "WSPSocket");
    return s;
}

static SOCKET make_socket_cb(void *ctx, const char *what)
{
    return make_socket(ctx, what);
}

static int send_buf(struct spi_io *io, SOCKET s, const char *data, DWORD len, int *err)
{
    WSABUF b = {len, (char *)data};
    DWORD sent = 0;
    int r = io->p.lpWSPSend(s, &b, 1, &sent, 0, NULL, NULL, &io->tid, err);

    TRACE_SPI("ws2conform WSPSend(%#lx, %lu bytes) -> %d sent %lu (error %d)", (unsigned long)s, (unsigned long)len, r,
              (unsigned long)sent, r ? *err : 0);
    return r ? -1 : (int)sent;
}

/* Blocking receive of exactly len bytes (or until end of stream / error). */
static int recv_all(struct spi_io *io, SOCKET s, char *buf, DWORD len, int *err)
{
    DWORD got = 0;

    while (got < len)
    {
        WSABUF b = {len - got, buf + got};
        DWORD n = 0, flags = 0;
        int r = io->p.lpWSPRecv(s, &b, 1, &n, &flags, NULL, NULL, &io->tid, err);
        TRACE_SPI("ws2conform WSPRecv(%#lx, %lu bytes) -> %d got %lu (error %d)", (unsigned long)s,
                  (unsigned long)(len - got), r, (unsigned long)n, r ? *err : 0);
        if (r) return -1;
        if (!n) break;
        got += n;
    }
    return (int)got;
}

static BOOL unsupported(int err)
{
    return err == WSAEOPNOTSUPP;
}

static BOOL setup_connection(struct spi_io *io)
{
    struct sockaddr_storage name, peer;
    int len, err = 0, r;

    if ((io->lst = make_socket(io, "listener")) == INVALID_SOCKET) return FALSE;
    conf_loopback(io->t->info.iAddressFamily, &io->addr, &io->addr_len);
    r = io->p.lpWSPBind(io->lst, (struct sockaddr *)&io->addr, io->addr_len, &err);
    if (!conf_expect(r == 0, "connect", "WSPBind(loopback:0) -> %d err %d", r, r ? err : 0)) return FALSE;
    r = io->p.lpWSPListen(io->lst, 5, &err);
    if (!conf_expect(r == 0, "connect", "WSPListen -> %d err %d", r, r ? err : 0)) return FALSE;
    len = sizeof(name);
    r = io->p.lpWSPGetSockName(io->lst, (struct sockaddr *)&name, &len, &err);
    if (!conf_expect(r == 0 && conf_port(&name) != 0, "connect", "WSPGetSockName -> %d err %d port %u", r, r ? err : 0,
                     r ? 0 : conf_port(&name)))
        return FALSE;
    if ((io->cli = make_socket(io, "client")) == INVALID_SOCKET) return FALSE;
    r = io->p.lpWSPConnect(io->cli, (struct sockaddr *)&name, len, NULL, NULL, NULL, NULL, &err);
    if (!conf_expect(r == 0, "connect", "blocking WSPConnect to port %u -> %d err %d", conf_port(&name), r,
                     r ? err : 0))
        return FALSE;
    len = sizeof(peer);
    io->acc = io->p.lpWSPAccept(io->lst, (struct sockaddr *)&peer, &len, NULL, 0, &err);
    if (!conf_expect(io->acc != INVALID_SOCKET, "connect", "WSPAccept -> %#lx err %d", (unsigned long)io->acc,
                     io->acc == INVALID_SOCKET ? err : 0))
        return FALSE;
    check_origin(io, io->acc, "WSPAccept");
    return TRUE;
}

static void check_blocking(struct spi_io *io)
{
    char buf[16] = {0};
    int err = 0, sent = send_buf(io, io->cli, "blocking", 8, &err), got;

    if (!conf_expect(sent == 8, "blocking", "WSPSend of 8 bytes -> %d err %d", sent, sent < 0 ? err : 0)) return;
    got = recv_all(io, io->acc, buf, 8, &err);
    conf_expect(got == 8 && !memcmp(buf, "blocking", 8), "blocking", "WSPRecv got %d bytes \"%.8s\" err %d", got, buf,
                got < 0 ? err : 0);
}

static int set_nonblocking(struct spi_io *io, SOCKET s, u_long on, int *err)
{
    DWORD ret = 0;
    return io->p.lpWSPIoctl(s, FIONBIO, &on, sizeof(on), NULL, 0, &ret, NULL, NULL, &io->tid, err);
}

static void check_nonblocking(struct spi_io *io)
{
    char buf[16] = {0};
    WSABUF b = {sizeof(buf), buf};
    DWORD n = 0, flags = 0, start;
    int err = 0, r = set_nonblocking(io, io->acc, 1, &err);

    if (r && unsupported(err))
    {
        conf_report(CONF_SKIP, "non-blocking", "WSPIoctl(FIONBIO) -> WSAEOPNOTSUPP");
        return;
    }
    if (!conf_expect(r == 0, "non-blocking", "WSPIoctl(FIONBIO, 1) -> %d err %d", r, r ? err : 0)) return;
    r = io->p.lpWSPRecv(io->acc, &b, 1, &n, &flags, NULL, NULL, &io->tid, &err);
    conf_expect(r == SOCKET_ERROR && err == WSAEWOULDBLOCK, "non-blocking",
                "WSPRecv without data -> %d err %d (WSAEWOULDBLOCK expected)", r, r ? err : 0);
    send_buf(io, io->cli, "nbio", 4, &err);
    start = GetTickCount();
    do
    {
        flags = 0;
        r = io->p.lpWSPRecv(io->acc, &b, 1, &n, &flags, NULL, NULL, &io->tid, &err);
        if (r && err == WSAEWOULDBLOCK) Sleep(10);
    } while (r && err == WSAEWOULDBLOCK && GetTickCount() - start < CONF_WAIT_MS);
    conf_expect(r == 0 && n == 4 && !memcmp(buf, "nbio", 4), "non-blocking",
                "WSPRecv once data arrived -> %d, %lu bytes err %d", r, (unsigned long)n, r ? err : 0);
    r = set_nonblocking(io, io->acc, 0, &err);
    conf_expect(r == 0, "non-blocking", "WSPIoctl(FIONBIO, 0) -> %d err %d", r, r ? err : 0);
}

/* Starts an overlapped receive on acc; returns 1 started, 0 unsupported (reported), -1 failed. */
static int start_overlapped(struct spi_io *io, const char *check, WSAOVERLAPPED *ov, char *buf, DWORD size,
                            LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    WSABUF b = {size, buf};
    DWORD n = 0, flags = 0;
    int err = 0, r = io->p.lpWSPRecv(io->acc, &b, 1, &n, &flags, ov, routine, &io->tid, &err);

    TRACE_SPI("ws2conform overlapped WSPRecv(%#lx, ov %p, routine %p) -> %d (error %d)", (unsigned long)io->acc,
              (void *)ov, (void *)routine, r, r ? err : 0);
    if (r && unsupported(err))
    {
        conf_report(CONF_SKIP, check, "overlapped WSPRecv -> WSAEOPNOTSUPP");
        return 0;
    }
    return conf_expect(r == 0 || err == WSA_IO_PENDING, check, "overlapped WSPRecv -> %d err %d (0 or WSA_IO_PENDING)",
                       r, r ? err : 0) ? 1 : -1;
}

static void check_event(struct spi_io *io)
{
    WSAOVERLAPPED ov;
    char buf[16] = {0};
    DWORD bytes = 0, flags = 0, w;
    int err = 0;
    BOOL ok;

    if (io->t->ifs != 1)
    {
        conf_report(CONF_SKIP, "overlapped event", "non-IFS completion uses ws2_32's WPUCompleteOverlappedRequest "
                    "(checked through ws2_32 with --entry)");
        return;
    }
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (start_overlapped(io, "overlapped event", &ov, buf, 8, NULL) == 1)
    {
        send_buf(io, io->cli, "overlap1", 8, &err);
        w = WaitForSingleObject(ov.hEvent, CONF_WAIT_MS);
        conf_expect(w == WAIT_OBJECT_0, "overlapped event", "the event is signalled (wait -> %lu)", (unsigned long)w);
        ok = io->p.lpWSPGetOverlappedResult(io->acc, &ov, &bytes, TRUE, &flags, &err);
        conf_expect(ok && bytes == 8 && !memcmp(buf, "overlap1", 8), "overlapped event",
                    "WSPGetOverlappedResult -> %d, %lu bytes \"%.8s\" err %d", ok, (unsigned long)bytes, buf,
                    ok ? 0 : err);
    }
    CloseHandle(ov.hEvent);
}

static void check_apc(struct spi_io *io)
{
    WSAOVERLAPPED ov;
    char buf[16] = {0};
    DWORD start;
    int err = 0;

    LONG queued = conf_upcall_count(UP_QUEUE_APC);

    memset(&ov, 0, sizeof(ov));
    conf_apc_calls = 0;
    if (start_overlapped(io, "overlapped apc", &ov, buf, 8, conf_apc_routine) != 1) return;
    send_buf(io, io->cli, "overlap2", 8, &err);
    start = GetTickCount();
    while (!conf_apc_calls && GetTickCount() - start < CONF_WAIT_MS) SleepEx(50, TRUE);
    queued = conf_upcall_count(UP_QUEUE_APC) - queued;
    conf_expect(conf_apc_calls == 1 && conf_apc_error == 0 && conf_apc_bytes == 8 && !memcmp(buf, "overlap2", 8), "overlapped apc",
                "completion routine ran %ld time(s) in the issuing thread: error %lu, %lu bytes \"%.8s\"%s",
                (long)conf_apc_calls, (unsigned long)conf_apc_error, (unsigned long)conf_apc_bytes, buf,
                io->t->ifs == 1 || queued ? "" : " (a non-IFS provider runs completion routines with WPUQueueApc: "
                "it made no such call)");
}

static void check_port(struct spi_io *io)
{
    WSAOVERLAPPED ov, *got = NULL;
    char buf[16] = {0};
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    HANDLE port;
    int err = 0;
    BOOL ok;

    if (io->t->ifs != 1)
    {
        conf_report(CONF_SKIP, "overlapped port", "non-IFS completion uses ws2_32's WPUCompleteOverlappedRequest "
                    "(checked through ws2_32 with --entry)");
        return;
    }
    port = CreateIoCompletionPort((HANDLE)io->acc, NULL, 0x5a, 0);
    if (!conf_expect(port != NULL, "overlapped port", "CreateIoCompletionPort on the IFS socket handle -> %p (error %lu)",
                     (void *)port, port ? 0ul : (unsigned long)GetLastError()))
        return;
    memset(&ov, 0, sizeof(ov));
    if (start_overlapped(io, "overlapped port", &ov, buf, 8, NULL) == 1)
    {
        send_buf(io, io->cli, "overlap3", 8, &err);
        ok = GetQueuedCompletionStatus(port, &bytes, &key, (LPOVERLAPPED *)&got, CONF_WAIT_MS);
        conf_expect(ok && key == 0x5a && got == &ov && bytes == 8 && !memcmp(buf, "overlap3", 8), "overlapped port",
                    "GetQueuedCompletionStatus -> %d key %#lx ov %s, %lu bytes \"%.8s\"", ok, (unsigned long)key,
                    got == &ov ? "ours" : "other", (unsigned long)bytes, buf);
    }
    CloseHandle(port);
}

static void check_select(struct spi_io *io)
{
    fd_set rd;
    struct timeval zero = {0, 0}, wait = {CONF_WAIT_MS / 1000, 0};
    char buf[4];
    int err = 0, r;

    FD_ZERO(&rd);
    FD_SET(io->acc, &rd);
    r = io->p.lpWSPSelect(0, &rd, NULL, NULL, &zero, &err);
    if (r == SOCKET_ERROR && unsupported(err))
    {
        conf_report(CONF_SKIP, "select", "WSPSelect -> WSAEOPNOTSUPP");
        return;
    }
    conf_expect(r == 0 && rd.fd_count == 0, "select", "WSPSelect without data, timeout 0 -> %d (%u set, err %d)", r,
                rd.fd_count, r < 0 ? err : 0);
    send_buf(io, io->cli, "s", 1, &err);
    FD_ZERO(&rd);
    FD_SET(io->acc, &rd);
    r = io->p.lpWSPSelect(0, &rd, NULL, NULL, &wait, &err);
    conf_expect(r == 1 && rd.fd_count == 1 && rd.fd_array[0] == io->acc, "select",
                "WSPSelect after data -> %d, socket readable %d", r, r == 1 && rd.fd_array[0] == io->acc);
    if (r == 1) recv_all(io, io->acc, buf, 1, &err);
    /* a set holding a handle that is no socket (an event): WSAENOTSOCK, the sets as they were */
    {
        HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
        FD_ZERO(&rd);
        FD_SET(io->acc, &rd);
        FD_SET((SOCKET)ev, &rd);
        err = 0;
        r = io->p.lpWSPSelect(0, &rd, NULL, NULL, &zero, &err);
        conf_expect(r == SOCKET_ERROR && err == WSAENOTSOCK, "select",
                    "WSPSelect with an event handle in the read set -> %d (err %d), WSAENOTSOCK expected", r,
                    r < 0 ? err : 0);
        CloseHandle(ev);
    }
}

static void check_shutdown(struct spi_io *io)
{
    char buf[4];
    int err = 0, r = io->p.lpWSPShutdown(io->cli, SD_SEND, &err), got;

    if (r && unsupported(err))
    {
        conf_report(CONF_SKIP, "shutdown", "WSPShutdown -> WSAEOPNOTSUPP");
        return;
    }
    if (!conf_expect(r == 0, "shutdown", "WSPShutdown(SD_SEND) -> %d err %d", r, r ? err : 0)) return;
    got = recv_all(io, io->acc, buf, sizeof(buf), &err);
    conf_expect(got == 0, "shutdown", "the peer's WSPRecv reads end of stream (%d, err %d)", got, got < 0 ? err : 0);
}

static void close_one(struct spi_io *io, SOCKET *s, const char *what, BOOL again)
{
    BOOL open;
    enum conf_handle_kind kind;
    int err = 0, r;

    if (*s == INVALID_SOCKET) return;
    kind = conf_handle_kind(*s, &open);
    r = io->p.lpWSPCloseSocket(*s, &err);
    TRACE_SPI("ws2conform WSPCloseSocket(%#lx) -> %d (error %d)", (unsigned long)*s, r, r ? err : 0);
    conf_expect(r == 0, "close", "WSPCloseSocket(%s) -> %d err %d", what, r, r ? err : 0);
    if (kind == CONF_HANDLE_NONIFS)
    {
        conf_handle_kind(*s, &open);
        conf_expect(!open, "close", "the %s's handle was released with WPUCloseSocketHandle", what);
    }
    else if (kind == CONF_HANDLE_IFS)
    {
        DWORD info;
        conf_expect(!GetHandleInformation((HANDLE)*s, &info), "close", "the %s's IFS handle is closed", what);
    }
    if (again && r == 0)
    {
        r = io->p.lpWSPCloseSocket(*s, &err);
        conf_expect(r == SOCKET_ERROR && err == WSAENOTSOCK, "close", "a second WSPCloseSocket(%s) -> %d err %d "
                    "(WSAENOTSOCK expected)", what, r, r ? err : 0);
    }
    *s = INVALID_SOCKET;
}

void conf_check_spi_io(struct conf_target *t)
{
    struct spi_io io;
    WSPDATA data;
    int r, err = 0;
    BOOL inet = t->info.iAddressFamily == AF_INET || t->info.iAddressFamily == AF_INET6;
    BOOL stream = inet && t->info.iSocketType == SOCK_STREAM, dgram = inet && t->info.iSocketType == SOCK_DGRAM;

    memset(&io, 0, sizeof(io));
    io.t = t;
    io.lst = io.cli = io.acc = INVALID_SOCKET;
    conf_begin("io");
    r = t->startup(MAKEWORD(2, 2), &data, &t->info, conf_upcall_table, &io.p);
    if (!conf_expect(r == 0, "io", "WSPStartup(2.2) for the I/O checks -> %d", r)) return;
    if (!io.p.lpWSPSocket || !io.p.lpWSPCloseSocket || !io.p.lpWSPCleanup)
    {
        conf_report(CONF_FAIL, "io", "no WSPSocket/WSPCloseSocket/WSPCleanup: socket checks impossible");
        return;
    }
    conf_thread_open(&io.tid);
    /* One socket made and closed on its own first: the upcall checks need no other member. */
    conf_begin("socket");
    {
        SOCKET s = make_socket(&io, "socket");
        close_one(&io, &s, "socket", FALSE);
    }
    if (dgram)
        conf_check_spi_dgram(t, &io.p, &io.tid, make_socket_cb, &io);
    else if (!stream)
        conf_report(CONF_SKIP, "io", "loopback I/O checks need an AF_INET/AF_INET6 SOCK_STREAM or SOCK_DGRAM entry "
                    "(this one is %d/%d)", t->info.iAddressFamily, t->info.iSocketType);
    else if (!io.p.lpWSPBind || !io.p.lpWSPListen || !io.p.lpWSPConnect || !io.p.lpWSPAccept || !io.p.lpWSPSend ||
             !io.p.lpWSPRecv || !io.p.lpWSPGetSockName || !io.p.lpWSPIoctl || !io.p.lpWSPSelect ||
             !io.p.lpWSPShutdown || !io.p.lpWSPGetOverlappedResult)
        conf_report(CONF_FAIL, "io", "the procedure table lacks an I/O member: loopback checks impossible");
    else if (conf_begin("connect"), setup_connection(&io))
    {
        if (!conf_skip("blocking")) check_blocking(&io);
        if (!conf_skip("non-blocking")) check_nonblocking(&io);
        if (!conf_skip("overlapped event")) check_event(&io);
        if (!conf_skip("overlapped apc")) check_apc(&io);
        if (!conf_skip("select")) check_select(&io);
        if (!conf_skip("overlapped port")) check_port(&io); /* the accepted socket stays associated with the port from here on */
        if (!conf_skip("shutdown")) check_shutdown(&io);
    }
    conf_begin("close");
    close_one(&io, &io.acc, "accepted socket", TRUE);
    close_one(&io, &io.cli, "client", FALSE);
    close_one(&io, &io.lst, "listener", FALSE);
    r = io.p.lpWSPCleanup(&err);
    conf_expect(r == 0, "cleanup", "WSPCleanup after the I/O checks -> %d err %d", r, r ? err : 0);
    if (t->ifs != 1)
        conf_expect(conf_nonifs_open() == 0, "cleanup", "%d WPUCreateSocketHandle handle(s) left open",
                    conf_nonifs_open());
    conf_thread_close(&io.tid);
}
