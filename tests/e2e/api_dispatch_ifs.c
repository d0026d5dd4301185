/* api_dispatch_ifs.c - end-to-end checks of the dispatch layer with an IFS provider under Wine: the
 * recording test provider tp_ifs.dll (named-pipe sockets registered with WPUModifyIFSHandle) is
 * installed with WSCInstallProvider; sockets made from its entry go through socket creation,
 * connection management, data transfer (synchronous, overlapped with an event, with a completion
 * routine), closesocket and the last WSACleanup, each checked against the provider's call log.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "api_check.h"
#include <ws2spi.h>
#include <stdarg.h>
#include <stdlib.h>

/* {6f70656e-7773-3261-7069-746573746966} "openws2apitestif" */
static GUID tp_guid = { 0x6f70656e, 0x7773, 0x3261, { 0x70, 0x69, 0x74, 0x65, 0x73, 0x74, 0x69, 0x66 } };

static int (WINAPI *p_log_read)(char *buf, int size);
static void (WINAPI *p_log_clear)(void);
static char logbuf[256 * 1024];

static int log_has(const char *fmt, ...)
{
    char want[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof(want), fmt, ap);
    va_end(ap);
    logbuf[0] = 0;
    if (p_log_read) p_log_read(logbuf, sizeof(logbuf));
    return strstr(logbuf, want) != NULL;
}

#define CHECK_LOG(...) do { \
        char w_[512]; \
        snprintf(w_, sizeof(w_), __VA_ARGS__); \
        CHECK(log_has("%s", w_), "provider log has '%s'", w_); \
    } while (0)

static BOOL install(WSAPROTOCOL_INFOW *out)
{
    WCHAR path[MAX_PATH], *slash;
    WSAPROTOCOL_INFOW info, *all;
    DWORD len = 0;
    int err = 0, n, i;

    GetModuleFileNameW(NULL, path, MAX_PATH);
    if (!(slash = wcsrchr(path, L'\\'))) return FALSE;
    wcscpy(slash + 1, L"tp_ifs.dll");
    memset(&info, 0, sizeof(info));
    info.dwServiceFlags1 = XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE | XP1_IFS_HANDLES;
    info.ProviderId = tp_guid;
    info.ProtocolChain.ChainLen = BASE_PROTOCOL;
    info.iVersion = 2;
    info.iAddressFamily = AF_INET;
    info.iMaxSockAddr = info.iMinSockAddr = sizeof(struct sockaddr_in);
    info.iSocketType = SOCK_STREAM;
    info.iProtocol = IPPROTO_TCP;
    wcscpy(info.szProtocol, L"openws2 api IFS dispatch test");
    WSCDeinstallProvider(&tp_guid, &err);
    err = 0;
    n = WSCInstallProvider(&tp_guid, path, &info, 1, &err);
    CHECK(n == 0, "WSCInstallProvider(tp_ifs) -> %d error %d", n, err);
    if (n) return FALSE;
    WSAEnumProtocolsW(NULL, NULL, &len);
    if (!len || !(all = malloc(len))) return FALSE;
    n = WSAEnumProtocolsW(NULL, all, &len);
    for (i = 0; i < n; i++)
        if (!memcmp(&all[i].ProviderId, &tp_guid, sizeof(GUID))) break;
    CHECK(n > 0 && i < n, "installed entry found");
    if (n > 0 && i < n) *out = all[i];
    free(all);
    return n > 0 && i < n;
}

static int routine_calls;
static DWORD routine_thread, routine_bytes;

static void CALLBACK routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov; (void)flags;
    routine_calls++;
    routine_thread = GetCurrentThreadId();
    routine_bytes = error ? 0 : bytes;
}

int main(void)
{
    WSADATA d;
    WSAPROTOCOL_INFOW info;
    struct sockaddr_in sin;
    SOCKET l, c, s;
    WSAOVERLAPPED ov;
    WSABUF wb;
    HMODULE tp, keep;
    DWORD n, flags;
    char buf[32];
    int len, ret, err, i;

    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup");
    if (!install(&info)) return api_done("api_dispatch_ifs");

    l = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, &info, 0, WSA_FLAG_OVERLAPPED);
    CHECK(l != INVALID_SOCKET, "WSASocketW from the tp_ifs entry (error %d)", WSAGetLastError());
    if (!(tp = GetModuleHandleA("tp_ifs.dll"))) return api_done("api_dispatch_ifs");
    p_log_read = (void *)GetProcAddress(tp, "tp_log_read");
    p_log_clear = (void *)GetProcAddress(tp, "tp_log_clear");
    CHECK_LOG("WSPSocket af=2 type=1 protocol=6 -> %#llx", (unsigned long long)l);
    CHECK_LOG("WPUModifyIFSHandle catalog=%lu", (unsigned long)info.dwCatalogEntryId);

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(l, (struct sockaddr *)&sin, sizeof(sin)) == 0, "bind");
    len = sizeof(sin);
    CHECK(getsockname(l, (struct sockaddr *)&sin, &len) == 0 && sin.sin_port, "getsockname -> %u",
          ntohs(sin.sin_port));
    CHECK(listen(l, 5) == 0, "listen");
    CHECK_LOG("WSPListen s=%#llx", (unsigned long long)l);
    c = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, &info, 0, WSA_FLAG_OVERLAPPED);
    CHECK(connect(c, (struct sockaddr *)&sin, sizeof(sin)) == 0, "connect (error %d)", WSAGetLastError());
    CHECK_LOG("WSPConnect s=%#llx port=%u", (unsigned long long)c, ntohs(sin.sin_port));
    s = accept(l, NULL, NULL);
    CHECK(s != INVALID_SOCKET, "accept -> %#llx (error %d)", (unsigned long long)s, WSAGetLastError());
    CHECK_LOG("WSPAccept s=%#llx -> %#llx", (unsigned long long)l, (unsigned long long)s);

    CHECK(send(c, "ifs!", 4, 0) == 4, "send");
    CHECK_LOG("WSPSend s=%#llx bytes=4 overlapped=0", (unsigned long long)c);
    memset(buf, 0, sizeof(buf));
    ret = recv(s, buf, sizeof(buf), 0);
    CHECK(ret == 4 && !memcmp(buf, "ifs!", 4), "recv -> %d '%.4s'", ret, buf);

    /* an IFS socket is a real handle: overlapped receive signalled by the kernel */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    wb.buf = buf;
    wb.len = sizeof(buf);
    flags = 0;
    ret = WSARecv(s, &wb, 1, NULL, &flags, &ov, NULL);
    err = WSAGetLastError();
    CHECK(ret == SOCKET_ERROR && err == WSA_IO_PENDING, "overlapped WSARecv pends (%d, %d)", ret, err);
    CHECK(send(c, "12345", 5, 0) == 5, "send");
    n = 0;
    CHECK(WSAGetOverlappedResult(s, &ov, &n, TRUE, &flags) && n == 5, "WSAGetOverlappedResult -> %lu bytes",
          (unsigned long)n);
    WSACloseEvent(ov.hEvent);

    memset(&ov, 0, sizeof(ov));
    flags = 0;
    ret = WSARecv(s, &wb, 1, NULL, &flags, &ov, routine);
    err = WSAGetLastError();
    CHECK(ret == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv with a completion routine pends (%d, %d)", ret, err);
    CHECK(send(c, "abc", 3, 0) == 3, "send");
    for (i = 0; i < 50 && !routine_calls; i++) SleepEx(100, TRUE);
    CHECK(routine_calls == 1 && routine_thread == GetCurrentThreadId() && routine_bytes == 3,
          "completion routine ran in the issuing thread (%d calls, %lu bytes)", routine_calls,
          (unsigned long)routine_bytes);

    CHECK_FAIL(shutdown(c, SD_SEND), SOCKET_ERROR, WSAEOPNOTSUPP);
    CHECK_LOG("WSPShutdown -> -1 err=%d", WSAEOPNOTSUPP);
    CHECK(closesocket(s) == 0, "closesocket");
    CHECK_LOG("WSPCloseSocket s=%#llx -> 0", (unsigned long long)s);
    CHECK_FAIL(recv(s, buf, 1, 0), SOCKET_ERROR, WSAENOTSOCK);

    if (p_log_clear) p_log_clear();
    keep = LoadLibraryA("tp_ifs.dll");
    CHECK(WSACleanup() == 0, "last WSACleanup");
    CHECK_LOG("WSPCloseSocket s=%#llx -> 0", (unsigned long long)c);
    CHECK_LOG("WSPCloseSocket s=%#llx -> 0", (unsigned long long)l);
    CHECK_LOG("WSPCleanup -> 0");
    p_log_read = NULL;
    FreeLibrary(keep);
    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup");
    CHECK_FAIL(send(c, "x", 1, 0), SOCKET_ERROR, WSAENOTSOCK);
    err = 0;
    CHECK(WSCDeinstallProvider(&tp_guid, &err) == 0, "WSCDeinstallProvider (error %d)", err);
    CHECK(WSACleanup() == 0, "WSACleanup");
    return api_done("api_dispatch_ifs");
}
