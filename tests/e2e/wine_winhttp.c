/* wine_winhttp.c - Wine's builtin winhttp.dll over openws2's ws2_32: an HTTP GET to a tiny HTTP/1.1
 * server that this program runs itself in a thread on 127.0.0.1 (through our ws2_32 too). winhttp
 * resolves the host with GetAddrInfoW, makes its socket with WSASocketW(WSA_FLAG_OVERLAPPED), connects
 * non-blocking with select, sends and receives: the parent re-runs itself with OPENWS2_TRACE=1 and
 * checks those calls in our ws2_32's trace.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "wine_check.h"
#include <winhttp.h>

static const char body[] = "hello from the openws2 winhttp test server\n";

struct server
{
    SOCKET listener;
    char request[2048];
    int request_len;
    int ok;
};

static DWORD WINAPI server_thread(void *arg)
{
    struct server *sv = arg;
    char reply[512];
    int n, len;
    SOCKET c = accept(sv->listener, NULL, NULL);

    if (c == INVALID_SOCKET) return 1;
    sv->request_len = 0;
    while (sv->request_len < (int)sizeof(sv->request) - 1)
    {
        n = recv(c, sv->request + sv->request_len, (int)sizeof(sv->request) - 1 - sv->request_len, 0);
        if (n <= 0) break;
        sv->request_len += n;
        sv->request[sv->request_len] = 0;
        if (strstr(sv->request, "\r\n\r\n")) break;
    }
    len = snprintf(reply, sizeof(reply),
                   "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %u\r\nConnection: close\r\n"
                   "X-Openws2: test\r\n\r\n%s", (unsigned)(sizeof(body) - 1), body);
    sv->ok = send(c, reply, len, 0) == len;
    shutdown(c, SD_SEND);
    while (recv(c, reply, sizeof(reply), 0) > 0) {}
    closesocket(c);
    return 0;
}

static void child(void)
{
    WSADATA wsa;
    struct sockaddr_in addr;
    struct server sv;
    HINTERNET session = NULL, conn = NULL, req = NULL;
    HANDLE th;
    DWORD status = 0, size = sizeof(status), got = 0, total = 0;
    char data[512];
    BOOL r;

    memset(&sv, 0, sizeof(sv));
    CHECK(WSAStartup(MAKEWORD(2, 2), &wsa) == 0, "WSAStartup");
    wc_check_ws2_is_ours();
    sv.listener = wc_listener(&addr);
    CHECK(sv.listener != INVALID_SOCKET, "HTTP server listening on 127.0.0.1:%u", ntohs(addr.sin_port));
    th = CreateThread(NULL, 0, server_thread, &sv, 0, NULL);

    session = WinHttpOpen(L"openws2-e2e/1.0", WINHTTP_ACCESS_TYPE_NO_PROXY, WINHTTP_NO_PROXY_NAME,
                          WINHTTP_NO_PROXY_BYPASS, 0);
    CHECK(session != NULL, "WinHttpOpen (error %lu)", session ? 0 : GetLastError());
    wc_check_wine_builtin("winhttp.dll");
    if (session) WinHttpSetTimeouts(session, 10000, 10000, 10000, 10000);
    if (session) conn = WinHttpConnect(session, L"127.0.0.1", ntohs(addr.sin_port), 0);
    CHECK(conn != NULL, "WinHttpConnect (error %lu)", conn ? 0 : GetLastError());
    if (conn) req = WinHttpOpenRequest(conn, L"GET", L"/openws2/hello", NULL, WINHTTP_NO_REFERER,
                                       WINHTTP_DEFAULT_ACCEPT_TYPES, 0);
    CHECK(req != NULL, "WinHttpOpenRequest (error %lu)", req ? 0 : GetLastError());
    r = req && WinHttpSendRequest(req, WINHTTP_NO_ADDITIONAL_HEADERS, 0, WINHTTP_NO_REQUEST_DATA, 0, 0, 0);
    CHECK(r, "WinHttpSendRequest (error %lu)", r ? 0 : GetLastError());
    r = r && WinHttpReceiveResponse(req, NULL);
    CHECK(r, "WinHttpReceiveResponse (error %lu)", r ? 0 : GetLastError());
    r = r && WinHttpQueryHeaders(req, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER, WINHTTP_HEADER_NAME_BY_INDEX,
                                 &status, &size, WINHTTP_NO_HEADER_INDEX);
    CHECK(r && status == 200, "status code %lu", (unsigned long)status);
    memset(data, 0, sizeof(data));
    while (r && total < sizeof(data) - 1 && WinHttpReadData(req, data + total, sizeof(data) - 1 - total, &got) && got)
        total += got;
    CHECK(total == sizeof(body) - 1 && !memcmp(data, body, total), "body received intact (%lu bytes): %.*s",
          (unsigned long)total, (int)(total && data[total - 1] == '\n' ? total - 1 : total), data);

    if (req) WinHttpCloseHandle(req);
    if (conn) WinHttpCloseHandle(conn);
    if (session) WinHttpCloseHandle(session);
    if (th && WaitForSingleObject(th, 5000) != WAIT_OBJECT_0)
    {
        closesocket(sv.listener); /* unblocks a server that never got a connection */
        sv.listener = INVALID_SOCKET;
        WaitForSingleObject(th, 5000);
    }
    if (th) CloseHandle(th);
    CHECK(sv.ok && !strncmp(sv.request, "GET /openws2/hello HTTP/1.1\r\n", 29) &&
          strstr(sv.request, "User-Agent: openws2-e2e/1.0\r\n"), "server got winhttp's request line and user agent");
    if (sv.listener != INVALID_SOCKET) closesocket(sv.listener);
    WSACleanup();
}

int main(int argc, char **argv)
{
    DWORD code;
    char *trace;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], "child"))
    {
        child();
        return wc_summary("wine_winhttp child");
    }
    trace = wc_run_traced_child("winhttp", &code);
    CHECK(trace != NULL, "traced child ran");
    CHECK(code == 0, "child's checks passed (exit code %lu)", (unsigned long)code);
    /* winhttp's own calls (the test server uses socket/accept/recv/send, never these) */
    wc_check_trace(trace, "openws2: api GetAddrInfoW(", NULL);
    wc_check_trace(trace, "openws2: api WSASocketW(af 2 type 1", "dwFlags 0x1)");
    wc_check_trace(trace, "openws2: api connect(", NULL);
    wc_check_trace(trace, "openws2: spi WSPConnect(", NULL);
    wc_check_trace(trace, "openws2: spi WSPSend", NULL);
    free(trace);
    return wc_summary("wine_winhttp");
}
