/* wine_wsock32.c - a Winsock 1.1 program (imports only wsock32.dll, never ws2_32) run on Wine's builtin
 * wsock32.dll over openws2's ws2_32: wsock32's forwarders (socket, bind, listen, connect, accept,
 * send, recv, select, ioctlsocket, closesocket, WSAStartup ...) and its own functions (the Winsock 1
 * IP_* option numbers remapped by its getsockopt/setsockopt, WSARecvEx) must all land in our ws2_32.
 * The parent re-runs itself with OPENWS2_TRACE=1 and checks our ws2_32's trace of those calls.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "wine_check.h"
#include <mswsock.h>

#define WS1_IP_TTL 7 /* winsock.h (1.1) number of IP_TTL; winsock2's is 4 */

static void child(void)
{
    WSADATA wsa = {0};
    struct sockaddr_in laddr;
    SOCKET listener, client, server;
    char buf[32];
    int ttl = 33, len, flags = 0, r, err;
    u_long avail = 0;
    fd_set rd;
    struct timeval tv = {5, 0};

    r = WSAStartup(MAKEWORD(1, 1), &wsa);
    CHECK(r == 0 && wsa.wVersion == MAKEWORD(1, 1), "WSAStartup(1.1) -> %d, version %#x", r, wsa.wVersion);
    wc_check_wine_builtin("wsock32.dll");
    wc_check_ws2_is_ours();
    CHECK(GetModuleHandleA("ws2_32.dll") != NULL, "ws2_32 was loaded by wsock32 (the program does not import it)");

    listener = wc_listener(&laddr);
    CHECK(listener != INVALID_SOCKET, "listener on 127.0.0.1:%u", ntohs(laddr.sin_port));
    client = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(client != INVALID_SOCKET, "client socket");
    CHECK(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)) == 0, "connect");
    FD_ZERO(&rd);
    FD_SET(listener, &rd);
    CHECK(select(0, &rd, NULL, NULL, &tv) == 1 && FD_ISSET(listener, &rd), "select: listener readable");
    server = accept(listener, NULL, NULL);
    CHECK(server != INVALID_SOCKET, "accept");

    /* wsock32 remaps the Winsock 1 IP_TTL number before calling ws2_32 */
    CHECK(setsockopt(client, IPPROTO_IP, WS1_IP_TTL, (char *)&ttl, sizeof(ttl)) == 0, "setsockopt(WS1 IP_TTL, 33)");
    ttl = 0;
    len = sizeof(ttl);
    r = getsockopt(client, IPPROTO_IP, WS1_IP_TTL, (char *)&ttl, &len);
    CHECK(r == 0 && ttl == 33, "getsockopt(WS1 IP_TTL) -> %d, %d", r, ttl);

    CHECK(send(client, "wsock32!", 8, 0) == 8, "send");
    Sleep(50);
    r = ioctlsocket(server, FIONREAD, &avail);
    CHECK(r == 0 && avail == 8, "ioctlsocket(FIONREAD) -> %d, %lu", r, avail);
    memset(buf, 0, sizeof(buf));
    CHECK(WSARecvEx(server, buf, 4, &flags) == 4 && !memcmp(buf, "wsoc", 4), "wsock32 WSARecvEx -> \"%.4s\"", buf);
    CHECK(recv(server, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "k32!", 4), "recv the rest");
    CHECK(shutdown(client, SD_SEND) == 0 && recv(server, buf, sizeof(buf), 0) == 0, "shutdown, peer sees EOF");
    CHECK(closesocket(server) == 0 && closesocket(client) == 0 && closesocket(listener) == 0, "closesocket x3");
    r = closesocket(listener);
    err = WSAGetLastError();
    CHECK(r == SOCKET_ERROR && err == WSAENOTSOCK, "closesocket of a closed socket: WSAENOTSOCK (%d, %d)", r, err);
    CHECK(WSACleanup() == 0, "WSACleanup");
}

int main(int argc, char **argv)
{
    DWORD code;
    char *trace;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], "child"))
    {
        child();
        return wc_summary("wine_wsock32 child");
    }
    trace = wc_run_traced_child("wsock32", &code);
    CHECK(trace != NULL, "traced child ran");
    CHECK(code == 0, "child's checks passed (exit code %lu)", (unsigned long)code);
    wc_check_trace(trace, "openws2: api WSAStartup(wVersionRequested 0x101", NULL);
    wc_check_trace(trace, "openws2: api accept(", NULL);
    wc_check_trace(trace, "openws2: api connect(", NULL);
    wc_check_trace(trace, "openws2: api select(", NULL);
    /* remapped by wsock32: Winsock 1 option 7 arrives as Winsock 2's IP_TTL (4) */
    wc_check_trace(trace, "openws2: api setsockopt(", "level 0 optname 0x4 ");
    wc_check_trace(trace, "openws2: api getsockopt(", "level 0 optname 0x4 ");
    /* WSARecvEx of wsock32 is its recv */
    wc_check_trace(trace, "openws2: api recv(", "len 4 ");
    wc_check_trace(trace, "openws2: spi WSPRecv", NULL);
    wc_check_trace(trace, "openws2: spi WSPAccept(", NULL);
    free(trace);
    return wc_summary("wine_wsock32");
}
