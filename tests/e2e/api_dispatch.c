/* api_dispatch.c - end-to-end checks that ws2_32's socket API dispatchers reach the socket's provider
 * with the right arguments, under Wine. The recording non-IFS test provider tp_nifs.dll
 * (tests/providers) is installed in the catalog with WSCInstallProvider, its sockets are made with
 * WSASocketA/W from its catalog entry, and every call is checked against the provider's call log
 * (tp_log_read) and the results/errors the application sees. Ends with the last WSACleanup closing
 * the remaining sockets (WSPCloseSocket for each, then WSPCleanup).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "api_check.h"
#include <mswsock.h>
#include <ws2spi.h>
#include <stdlib.h>

#ifndef SIO_EXT_POLL
# define SIO_EXT_POLL _WSAIORW(IOC_WS2, 31)
#endif
#ifndef SIO_EXT_SENDMSG
# define SIO_EXT_SENDMSG _WSAIORW(IOC_WS2, 32)
#endif

/* {6f70656e-7773-3261-7069-746573746e69} "openws2apitestni" */
static GUID tp_guid = { 0x6f70656e, 0x7773, 0x3261, { 0x70, 0x69, 0x74, 0x65, 0x73, 0x74, 0x6e, 0x69 } };

static int (WINAPI *p_log_read)(char *buf, int size);
static void (WINAPI *p_log_clear)(void);
static char logbuf[256 * 1024];

static const char *log_text(void)
{
    logbuf[0] = 0;
    if (p_log_read) p_log_read(logbuf, sizeof(logbuf));
    return logbuf;
}

static void log_clear(void)
{
    if (p_log_clear) p_log_clear();
}

static int log_has(const char *fmt, ...)
{
    char want[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof(want), fmt, ap);
    va_end(ap);
    return strstr(log_text(), want) != NULL;
}

#define CHECK_LOG(...) do { \
        char w_[512]; \
        snprintf(w_, sizeof(w_), __VA_ARGS__); \
        CHECK(log_has("%s", w_), "provider log has '%s'", w_); \
        if (!log_has("%s", w_)) printf("   log was:\n%s\n", logbuf); \
    } while (0)

static BOOL install(WSAPROTOCOL_INFOW *out)
{
    WCHAR path[MAX_PATH], *slash;
    WSAPROTOCOL_INFOW info, *all;
    DWORD len = 0;
    int err = 0, n, i;

    GetModuleFileNameW(NULL, path, MAX_PATH);
    slash = wcsrchr(path, L'\\');
    if (!slash) return FALSE;
    wcscpy(slash + 1, L"tp_nifs.dll");

    memset(&info, 0, sizeof(info));
    info.dwServiceFlags1 = XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE;
    info.ProviderId = tp_guid;
    info.ProtocolChain.ChainLen = BASE_PROTOCOL;
    info.iVersion = 2;
    info.iAddressFamily = AF_INET;
    info.iMaxSockAddr = sizeof(struct sockaddr_in);
    info.iMinSockAddr = sizeof(struct sockaddr_in);
    info.iSocketType = SOCK_STREAM;
    info.iProtocol = IPPROTO_TCP;
    wcscpy(info.szProtocol, L"openws2 api dispatch test");
    WSCDeinstallProvider(&tp_guid, &err); /* left over from an aborted run */
    err = 0;
    n = WSCInstallProvider(&tp_guid, path, &info, 1, &err);
    CHECK(n == 0, "WSCInstallProvider(tp_nifs) -> %d error %d", n, err);
    if (n) return FALSE;

    WSAEnumProtocolsW(NULL, NULL, &len);
    if (!len || !(all = malloc(len))) return FALSE;
    n = WSAEnumProtocolsW(NULL, all, &len);
    for (i = 0; i < n; i++)
        if (!memcmp(&all[i].ProviderId, &tp_guid, sizeof(GUID))) break;
    CHECK(n > 0 && i < n, "installed entry found by WSAEnumProtocolsW (%d entries)", n);
    if (n > 0 && i < n) *out = all[i];
    free(all);
    return n > 0 && i < n;
}

static SOCKET make_socket(WSAPROTOCOL_INFOW *info)
{
    SOCKET s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, info, 0, WSA_FLAG_OVERLAPPED);
    CHECK(s != INVALID_SOCKET, "WSASocketW from the tp_nifs entry -> %#llx (error %d)", (unsigned long long)s,
          WSAGetLastError());
    return s;
}

static struct sockaddr_in loopback(u_short port)
{
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sin;
}

static int routine_calls;
static DWORD routine_thread, routine_bytes;

static void CALLBACK recv_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov; (void)flags;
    routine_calls++;
    routine_thread = GetCurrentThreadId();
    routine_bytes = error ? 0 : bytes;
}

struct race
{
    SOCKET s;
    int ret, err;
    volatile LONG bad;
};

static DWORD WINAPI blocked_recv(void *arg)
{
    struct race *r = arg;
    char b[8];
    r->ret = recv(r->s, b, sizeof(b), 0);
    r->err = WSAGetLastError();
    return 0;
}

static DWORD WINAPI option_loop(void *arg)
{
    struct race *r = arg;
    int i;
    for (i = 0; i < 2000; i++)
    {
        int v = 0, len = sizeof(v);
        if (getsockopt(r->s, SOL_SOCKET, SO_TYPE, (char *)&v, &len) == 0)
        {
            if (v != SOCK_STREAM) InterlockedIncrement(&r->bad);
        }
        else if (WSAGetLastError() != WSAENOTSOCK) InterlockedIncrement(&r->bad);
    }
    return 0;
}

/* A socket closed by one thread while others are inside calls on it: the calls end (with the
 * provider's error or WSAENOTSOCK), nothing is freed under them, the handle is gone afterwards. */
static void check_close_races(WSAPROTOCOL_INFOW *info, u_short port)
{
    struct sockaddr_in sin = loopback(port);
    struct race r;
    HANDLE t[4];
    SOCKET c, s;
    int i;

    printf("-- closesocket racing with calls in other threads\n");
    c = make_socket(info);
    CHECK(connect(c, (struct sockaddr *)&sin, sizeof(sin)) == 0, "connect");
    memset(&r, 0, sizeof(r));
    r.s = c;
    t[0] = CreateThread(NULL, 0, blocked_recv, &r, 0, NULL);
    Sleep(300);
    CHECK(closesocket(c) == 0, "closesocket while another thread is blocked in recv");
    CHECK(WaitForSingleObject(t[0], 15000) == WAIT_OBJECT_0, "the blocked recv returned");
    CloseHandle(t[0]);
    CHECK(r.ret == SOCKET_ERROR, "the blocked recv failed (%d, error %d)", r.ret, r.err);

    s = make_socket(info);
    memset(&r, 0, sizeof(r));
    r.s = s;
    for (i = 0; i < 4; i++) t[i] = CreateThread(NULL, 0, option_loop, &r, 0, NULL);
    Sleep(20);
    CHECK(closesocket(s) == 0, "closesocket while 4 threads call getsockopt on it");
    CHECK(WaitForMultipleObjects(4, t, TRUE, 60000) == WAIT_OBJECT_0, "the option loops finished");
    for (i = 0; i < 4; i++) CloseHandle(t[i]);
    CHECK(r.bad == 0, "every call saw the socket or WSAENOTSOCK (%ld bad)", (long)r.bad);
    CHECK_FAIL(closesocket(s), SOCKET_ERROR, WSAENOTSOCK);
}

int main(void)
{
    WSADATA d;
    WSAPROTOCOL_INFOW info, infow;
    WSAPROTOCOL_INFOA infoa;
    struct sockaddr_in sin, peer, sin_cc;
    SOCKET listener, client, server, extra, s2;
    char buf[64];
    WSABUF bufs[2];
    WSAOVERLAPPED ov;
    WSAMSG msg;
    WSAPOLLFD pfd, pfd2;
    fd_set rs;
    SOCKET_ADDRESS_LIST list;
    DWORD n, flags, remote_len;
    HMODULE tp;
    u_long arg;
    int len, v, err, ret;
    u_short port;

    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup");
    if (!install(&info)) return api_done("api_dispatch");

    printf("-- socket creation through the catalog entry\n");
    listener = make_socket(&info);
    tp = GetModuleHandleA("tp_nifs.dll");
    CHECK(tp != NULL, "tp_nifs.dll was loaded by WSASocketW");
    if (!tp) return api_done("api_dispatch");
    p_log_read = (void *)GetProcAddress(tp, "tp_log_read");
    p_log_clear = (void *)GetProcAddress(tp, "tp_log_clear");
    CHECK(p_log_read && p_log_clear, "tp_nifs log exports");
    CHECK_LOG("WSPStartup requested=0x0202 catalog=%lu -> 0", (unsigned long)info.dwCatalogEntryId);
    CHECK_LOG("WSPSocket af=2 type=1 protocol=6 -> %#llx", (unsigned long long)listener);
    CHECK_LOG("WPUCreateSocketHandle catalog=%lu", (unsigned long)info.dwCatalogEntryId);

    log_clear();
    s2 = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    CHECK(s2 != INVALID_SOCKET, "WSASocketW(FROM_PROTOCOL_INFO x3)");
    CHECK_LOG("WSPSocket af=2 type=1 protocol=6 -> %#llx", (unsigned long long)s2);
    CHECK(closesocket(s2) == 0, "closesocket");
    CHECK_LOG("WSPCloseSocket s=%#llx -> 0", (unsigned long long)s2);
    CHECK_FAIL(closesocket(s2), SOCKET_ERROR, WSAENOTSOCK);

    memcpy(&infoa, &info, offsetof(WSAPROTOCOL_INFOA, szProtocol));
    strcpy(infoa.szProtocol, "openws2 api dispatch test");
    log_clear();
    s2 = WSASocketA(AF_INET, SOCK_STREAM, 0, &infoa, 0, 0);
    CHECK(s2 != INVALID_SOCKET, "WSASocketA from the ANSI entry");
    CHECK_LOG("WSPSocket af=2 type=1 protocol=0 -> %#llx", (unsigned long long)s2);
    CHECK(closesocket(s2) == 0, "closesocket");

    printf("-- bind, getsockname, listen, connect, accept\n");
    log_clear();
    sin = loopback(0);
    CHECK(bind(listener, (struct sockaddr *)&sin, sizeof(sin)) == 0, "bind");
    CHECK_LOG("WSPBind s=%#llx port=", (unsigned long long)listener);
    CHECK_FAIL(bind(listener, NULL, sizeof(sin)), SOCKET_ERROR, WSAEFAULT);
    CHECK_FAIL(bind(listener, (struct sockaddr *)&sin, -1), SOCKET_ERROR, WSAEFAULT);
    len = sizeof(sin);
    memset(&sin, 0, sizeof(sin));
    CHECK(getsockname(listener, (struct sockaddr *)&sin, &len) == 0 && sin.sin_port != 0,
          "getsockname gives the bound port %u", ntohs(sin.sin_port));
    CHECK_LOG("WSPGetSockName s=%#llx -> 0", (unsigned long long)listener);
    port = ntohs(sin.sin_port);
    CHECK(listen(listener, 5) == 0, "listen");
    CHECK_LOG("WSPListen s=%#llx backlog=5 -> 0", (unsigned long long)listener);

    client = make_socket(&info);
    sin = loopback(port);
    CHECK_FAIL(connect(client, NULL, sizeof(sin)), SOCKET_ERROR, WSAEFAULT);
    CHECK(connect(client, (struct sockaddr *)&sin, sizeof(sin)) == 0, "connect");
    CHECK_LOG("WSPConnect s=%#llx port=%u -> 0", (unsigned long long)client, port);
    /* a bad length pointer is a fault (nothing is accepted) */
    CHECK_FAIL(accept(listener, (struct sockaddr *)&peer, (int *)(ULONG_PTR)16), INVALID_SOCKET, WSAEFAULT);
    /* an address buffer without a length is ignored, as Windows does (Wine's sock.c, test_accept) */
    memset(&peer, 0xcc, sizeof(peer));
    memset(&sin_cc, 0xcc, sizeof(sin_cc));
    server = accept(listener, (struct sockaddr *)&peer, NULL);
    CHECK(server != INVALID_SOCKET && !memcmp(&peer, &sin_cc, sizeof(peer)), "accept(address, NULL length) -> %#llx",
          (unsigned long long)server);
    CHECK_LOG("WSPAccept s=%#llx -> %#llx", (unsigned long long)listener, (unsigned long long)server);
    len = sizeof(peer);
    CHECK(getpeername(client, (struct sockaddr *)&peer, &len) == 0 && ntohs(peer.sin_port) == port,
          "getpeername -> port %u", ntohs(peer.sin_port));
    CHECK_LOG("WSPGetPeerName s=%#llx -> 0", (unsigned long long)client);

    printf("-- send/recv family\n");
    log_clear();
    CHECK(send(client, "hello", 5, 0) == 5, "send 5 bytes");
    CHECK_LOG("WSPSend s=%#llx bytes=5 overlapped=0 routine=0 -> 0", (unsigned long long)client);
    CHECK_FAIL(send(client, NULL, 5, 0), SOCKET_ERROR, WSAEFAULT);
    CHECK_FAIL(send(client, "x", -1, 0), SOCKET_ERROR, WSAEFAULT);
    memset(buf, 0, sizeof(buf));
    ret = recv(server, buf, sizeof(buf), 0);
    CHECK(ret == 5 && !memcmp(buf, "hello", 5), "recv -> %d '%.5s'", ret, buf);
    CHECK_LOG("WSPRecv s=%#llx", (unsigned long long)server);
    CHECK_FAIL(recv(server, buf, -1, 0), SOCKET_ERROR, WSAEFAULT);

    bufs[0].buf = "abc";
    bufs[0].len = 3;
    bufs[1].buf = "defg";
    bufs[1].len = 4;
    n = 0;
    CHECK(WSASend(client, bufs, 2, &n, 0, NULL, NULL) == 0 && n == 7, "WSASend gathers 2 buffers (%lu)",
          (unsigned long)n);
    CHECK_FAIL(WSASend(client, bufs, 2, NULL, 0, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
    CHECK_FAIL(WSASend(client, NULL, 2, &n, 0, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
    bufs[0].buf = buf;
    bufs[0].len = sizeof(buf);
    flags = 0;
    n = 0;
    memset(buf, 0, sizeof(buf));
    CHECK(WSARecv(server, bufs, 1, &n, &flags, NULL, NULL) == 0 && n == 7 && !memcmp(buf, "abcdefg", 7),
          "WSARecv -> %lu '%.7s'", (unsigned long)n, buf);
    CHECK_FAIL(WSARecv(server, bufs, 1, &n, NULL, NULL, NULL), SOCKET_ERROR, WSAEFAULT);

    printf("-- overlapped receive with an event, then with a completion routine\n");
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    flags = 0;
    ret = WSARecv(server, bufs, 1, NULL, &flags, &ov, NULL);
    err = WSAGetLastError();
    CHECK(ret == SOCKET_ERROR && err == WSA_IO_PENDING, "overlapped WSARecv pends (%d, %d)", ret, err);
    CHECK(send(client, "xyz", 3, 0) == 3, "send 3 bytes");
    n = 0;
    flags = 0;
    CHECK(WSAGetOverlappedResult(server, &ov, &n, TRUE, &flags) && n == 3, "WSAGetOverlappedResult -> %lu bytes",
          (unsigned long)n);
    CHECK_LOG("WSPGetOverlappedResult s=%#llx", (unsigned long long)server);
    CHECK_FAIL(WSAGetOverlappedResult(server, NULL, &n, FALSE, &flags), FALSE, WSAEFAULT);
    WSACloseEvent(ov.hEvent);

    memset(&ov, 0, sizeof(ov));
    flags = 0;
    ret = WSARecv(server, bufs, 1, NULL, &flags, &ov, recv_routine);
    err = WSAGetLastError();
    CHECK(ret == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv with a completion routine pends (%d, %d)", ret, err);
    CHECK(send(client, "12345678", 8, 0) == 8, "send 8 bytes");
    for (v = 0; v < 50 && !routine_calls; v++) SleepEx(100, TRUE);
    CHECK(routine_calls == 1 && routine_thread == GetCurrentThreadId() && routine_bytes == 8,
          "completion routine ran once in the issuing thread (%d calls, thread %lu, %lu bytes)", routine_calls,
          (unsigned long)routine_thread, (unsigned long)routine_bytes);

    printf("-- options and ioctls\n");
    log_clear();
    v = 0;
    len = sizeof(v);
    CHECK(getsockopt(client, SOL_SOCKET, SO_TYPE, (char *)&v, &len) == 0 && v == SOCK_STREAM, "SO_TYPE -> %d", v);
    CHECK_LOG("WSPGetSockOpt level=%d opt=%d -> 0", SOL_SOCKET, SO_TYPE);
    CHECK_FAIL(getsockopt(client, SOL_SOCKET, SO_TYPE, NULL, &len), SOCKET_ERROR, WSAEFAULT);
    len = sizeof(infoa) / 2;
    CHECK_FAIL(getsockopt(client, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)&infoa, &len), SOCKET_ERROR, WSAEFAULT);
    CHECK(len == sizeof(infoa), "SO_PROTOCOL_INFOA too small reports the size (%d)", len);
    memset(&infoa, 0, sizeof(infoa));
    len = sizeof(infoa) * 2;
    CHECK(getsockopt(client, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)&infoa, &len) == 0, "SO_PROTOCOL_INFOA");
    CHECK(len == sizeof(infoa) * 2, "SO_PROTOCOL_INFOA leaves a large length alone (%d)", len);
    CHECK(infoa.dwCatalogEntryId == info.dwCatalogEntryId && infoa.iAddressFamily == AF_INET &&
          !strcmp(infoa.szProtocol, "openws2 api dispatch test"),
          "SO_PROTOCOL_INFOA converted from the provider's SO_PROTOCOL_INFOW (entry %lu '%s')",
          (unsigned long)infoa.dwCatalogEntryId, infoa.szProtocol);
    CHECK_LOG("WSPGetSockOpt level=%d opt=%d -> 0", SOL_SOCKET, SO_PROTOCOL_INFOW);
    len = sizeof(infow);
    CHECK(getsockopt(client, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&infow, &len) == 0 &&
          infow.dwCatalogEntryId == info.dwCatalogEntryId, "SO_PROTOCOL_INFOW passes through");
    v = 1;
    CHECK_FAIL(setsockopt(client, SOL_SOCKET, SO_REUSEADDR, (char *)&v, sizeof(v)), SOCKET_ERROR, WSAENOPROTOOPT);
    CHECK_LOG("WSPSetSockOpt level=%d opt=%d -> -1 err=%d", SOL_SOCKET, SO_REUSEADDR, WSAENOPROTOOPT);
    CHECK_FAIL(setsockopt(client, SOL_SOCKET, SO_REUSEADDR, NULL, sizeof(v)), SOCKET_ERROR, WSAEFAULT);
    /* a negative length is the provider's to judge (Windows' TCP/IP takes it as large enough for
     * some options, WSAENOBUFS for others): this provider's answer comes back */
    CHECK_FAIL(setsockopt(client, SOL_SOCKET, SO_REUSEADDR, (char *)&v, -1), SOCKET_ERROR, WSAENOPROTOOPT);
    CHECK(send(client, "abcd", 4, 0) == 4, "send 4 bytes");
    arg = 0;
    CHECK(ioctlsocket(server, FIONREAD, &arg) == 0 && arg == 4, "ioctlsocket(FIONREAD) -> %lu", arg);
    CHECK_LOG("WSPIoctl s=%#llx code=%#lx overlapped=0 -> 0", (unsigned long long)server, (unsigned long)FIONREAD);
    CHECK_FAIL(ioctlsocket(server, FIONREAD, NULL), SOCKET_ERROR, WSAEFAULT);
    n = 0;
    CHECK(WSAIoctl(server, FIONREAD, NULL, 0, &arg, sizeof(arg), &n, NULL, NULL) == 0 && n == sizeof(arg) && arg == 4,
          "WSAIoctl(FIONREAD) -> %lu, %lu bytes", arg, (unsigned long)n);
    CHECK_FAIL(WSAIoctl(server, FIONREAD, NULL, 0, &arg, sizeof(arg), NULL, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
    CHECK_FAIL(WSAIoctl(server, 0x12345678, NULL, 0, NULL, 0, &n, NULL, NULL), SOCKET_ERROR, WSAEINVAL);
    CHECK(recv(server, buf, sizeof(buf), 0) == 4, "drain");

    printf("-- calls the test provider does not support come back with its error\n");
    log_clear();
    FD_ZERO(&rs);
    FD_SET(server, &rs);
    CHECK_FAIL(select(0, &rs, NULL, NULL, NULL), SOCKET_ERROR, WSAEOPNOTSUPP);
    CHECK_LOG("WSPSelect -> -1 err=%d", WSAEOPNOTSUPP);
    /* sockets of two providers (two DLLs): each is asked for its base handle (SIO_BSP_HANDLE_SELECT)
     * and, as on Windows, the (base) provider of the first socket gets the whole call: tp_nifs
     * answers WSAEOPNOTSUPP as for its own sockets; the base provider, asked first, does not know
     * tp_nifs' handle (WSAENOTSOCK) */
    s2 = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s2 != INVALID_SOCKET, "a base-provider socket (error %d)", WSAGetLastError());
    log_clear();
    FD_ZERO(&rs);
    FD_SET(server, &rs);
    FD_SET(s2, &rs);
    CHECK_FAIL(select(0, &rs, NULL, NULL, NULL), SOCKET_ERROR, WSAEOPNOTSUPP);
    CHECK_LOG("WSPIoctl s=%#llx code=%#lx", (unsigned long long)server, (unsigned long)_WSAIOR(IOC_WS2, 28));
    CHECK_LOG("WSPSelect -> -1 err=%d", WSAEOPNOTSUPP);
    FD_ZERO(&rs);
    FD_SET(s2, &rs);
    FD_SET(server, &rs);
    CHECK_FAIL(select(0, &rs, NULL, NULL, NULL), SOCKET_ERROR, WSAENOTSOCK);
    pfd.fd = s2;
    pfd.events = POLLIN;
    pfd2.fd = server;
    pfd2.events = POLLIN;
    {
        WSAPOLLFD two[2];
        two[0] = pfd;
        two[1] = pfd2;
        log_clear();
        /* the base provider, first, gets the poll: it does not know tp_nifs' handle (POLLNVAL) */
        CHECK(WSAPoll(two, 2, 0) == 0 && two[0].revents == 0 && two[1].revents == POLLNVAL,
              "WSAPoll over both: the first socket's base provider answers (revents %#x %#x, error %d)",
              two[0].revents, two[1].revents, WSAGetLastError());
        CHECK_LOG("WSPIoctl s=%#llx code=%#lx", (unsigned long long)server, (unsigned long)_WSAIOR(IOC_WS2, 29));
    }
    closesocket(s2);
    log_clear();
    pfd.fd = server;
    pfd.events = POLLIN;
    pfd.revents = 0;
    CHECK_FAIL(WSAPoll(&pfd, 1, 0), SOCKET_ERROR, WSAEOPNOTSUPP);
    CHECK_LOG("WSPIoctl s=%#llx code=%#lx", (unsigned long long)server, (unsigned long)SIO_EXT_POLL);
    CHECK_LOG("WSPSelect -> -1");
    log_clear();
    memset(&msg, 0, sizeof(msg));
    bufs[0].buf = "m";
    bufs[0].len = 1;
    msg.lpBuffers = bufs;
    msg.dwBufferCount = 1;
    /* the provider does not know SIO_EXT_SENDMSG; client is a stream socket, which Windows refuses
     * with WSAEINVAL (Wine's sock.c, test_WSASendMsg) instead of the plain-send fallback */
    CHECK_FAIL(WSASendMsg(client, &msg, 0, &n, NULL, NULL), SOCKET_ERROR, WSAEINVAL);
    CHECK_LOG("WSPIoctl s=%#llx code=%#lx", (unsigned long long)client, (unsigned long)SIO_BSP_HANDLE);
    CHECK_LOG("WSPIoctl s=%#llx code=%#lx", (unsigned long long)client, (unsigned long)SIO_EXT_SENDMSG);
    CHECK_LOG("WSPGetSockOpt level=%d opt=%d", SOL_SOCKET, SO_TYPE);
    CHECK_FAIL(WSASendMsg(client, NULL, 0, &n, NULL, NULL), SOCKET_ERROR, WSAEFAULT);
    CHECK_FAIL(WSAEventSelect(client, NULL, 0), SOCKET_ERROR, WSAEOPNOTSUPP);
    CHECK_LOG("WSPEventSelect -> -1");
    CHECK_FAIL(WSADuplicateSocketW(client, GetCurrentProcessId(), &infow), SOCKET_ERROR, WSAEOPNOTSUPP);
    CHECK_LOG("WSPDuplicateSocket -> -1");
    CHECK_FAIL(WSADuplicateSocketW(client, GetCurrentProcessId(), NULL), SOCKET_ERROR, WSAEFAULT);
    CHECK_FAIL(WSASendDisconnect(client, NULL), SOCKET_ERROR, WSAEOPNOTSUPP);
    CHECK_LOG("WSPSendDisconnect -> -1");
    CHECK_FAIL(WSAEnumNetworkEvents(client, NULL, NULL), SOCKET_ERROR, WSAEFAULT);

    printf("-- WSAConnectByList\n");
    extra = make_socket(&info);
    sin = loopback(port);
    list.iAddressCount = 1;
    list.Address[0].lpSockaddr = (struct sockaddr *)&sin;
    list.Address[0].iSockaddrLength = sizeof(sin);
    log_clear();
    memset(&peer, 0, sizeof(peer));
    remote_len = sizeof(peer);
    CHECK(WSAConnectByList(extra, &list, NULL, NULL, &remote_len, (struct sockaddr *)&peer, NULL, NULL),
          "WSAConnectByList (error %d)", WSAGetLastError());
    CHECK(remote_len == sizeof(sin) && peer.sin_port == sin.sin_port, "remote address reported");
    CHECK_LOG("WSPIoctl s=%#llx code=%#lx", (unsigned long long)extra, (unsigned long)FIONBIO);
    CHECK_LOG("WSPConnect s=%#llx port=%u -> 0", (unsigned long long)extra, port);
    CHECK_FAIL(WSAConnectByList(extra, NULL, NULL, NULL, NULL, NULL, NULL, NULL), FALSE, WSAEINVAL);
    CHECK_FAIL(WSAConnectByList(extra, &list, NULL, NULL, NULL, NULL, NULL, &ov), FALSE, WSAEINVAL);

    check_close_races(&info, port);

    printf("-- shutdown, closesocket\n");
    log_clear();
    CHECK_FAIL(shutdown(client, 7), SOCKET_ERROR, WSAEINVAL);
    CHECK(!log_has("WSPShutdown"), "a bad 'how' never reaches the provider");
    CHECK(shutdown(client, SD_SEND) == 0, "shutdown(SD_SEND)");
    CHECK_LOG("WSPShutdown s=%#llx how=1 -> 0", (unsigned long long)client);
    CHECK(closesocket(server) == 0, "closesocket(server)");
    CHECK_LOG("WSPCloseSocket s=%#llx -> 0", (unsigned long long)server);
    CHECK_FAIL(send(server, "x", 1, 0), SOCKET_ERROR, WSAENOTSOCK);

    printf("-- the last WSACleanup closes the remaining sockets and unloads the provider\n");
    log_clear();
    {
        /* our own reference keeps the DLL (and its log) in memory across ws2_32's FreeLibrary */
        HMODULE keep = LoadLibraryA("tp_nifs.dll");
        CHECK(WSACleanup() == 0, "WSACleanup");
        CHECK_LOG("WSPCloseSocket s=%#llx -> 0", (unsigned long long)client);
        CHECK_LOG("WSPCloseSocket s=%#llx -> 0", (unsigned long long)listener);
        CHECK_LOG("WSPCloseSocket s=%#llx -> 0", (unsigned long long)extra);
        CHECK_LOG("WSPCleanup -> 0");
        p_log_read = NULL;
        p_log_clear = NULL;
        FreeLibrary(keep);
    }
    CHECK(GetModuleHandleA("tp_nifs.dll") == NULL, "tp_nifs.dll unloaded after the last WSACleanup");
    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup again");
    CHECK_FAIL(send(client, "x", 1, 0), SOCKET_ERROR, WSAENOTSOCK);
    CHECK_FAIL(closesocket(listener), SOCKET_ERROR, WSAENOTSOCK);
    CHECK_FAIL(closesocket(extra), SOCKET_ERROR, WSAENOTSOCK);
    err = 0;
    CHECK(WSCDeinstallProvider(&tp_guid, &err) == 0, "WSCDeinstallProvider (error %d)", err);
    CHECK(WSACleanup() == 0, "WSACleanup");
    return api_done("api_dispatch");
}
