/* gai_connect_e2e.c - end-to-end check that WSAConnectByNameA/W (src/api/connect_api.c, built on
 * GetAddrInfoW) reach a listener through a hosts-file name resolved by the namespace catalog, and that
 * resolver errors come back from it. Usage: gai_connect_e2e PORT BLACKHOLE DEAD QUERY_LOG.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "gai_e2e.h"
#include <mswsock.h>

int main(int argc, char **argv)
{
    SOCKADDR_IN sin, local, remote;
    DWORD local_len = sizeof(local), remote_len = sizeof(remote);
    SOCKET listener, s, accepted;
    WSADATA wsa;
    int len = sizeof(sin);
    char port[16];
    WCHAR wport[16];
    BOOL ok;

    if (gai_setup(argc, argv))
    {
        printf("usage: gai_connect_e2e PORT BLACKHOLE DEAD QUERY_LOG\n");
        return 2;
    }
    CHECK(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup");
    listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(listener != INVALID_SOCKET && !bind(listener, (struct sockaddr *)&sin, sizeof(sin)) && !listen(listener, 4) &&
          !getsockname(listener, (struct sockaddr *)&sin, &len), "listener on 127.0.0.1");
    snprintf(port, sizeof(port), "%u", ntohs(sin.sin_port));

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok = WSAConnectByNameA(s, "gailoop.test.example", port, &local_len, (struct sockaddr *)&local, &remote_len,
                           (struct sockaddr *)&remote, NULL, NULL);
    CHECK(ok && remote.sin_port == sin.sin_port && remote.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
          "WSAConnectByNameA to a hosts-file name (%d)", ok ? 0 : WSAGetLastError());
    accepted = accept(listener, NULL, NULL);
    CHECK(accepted != INVALID_SOCKET, "the listener accepted it");
    closesocket(accepted);
    closesocket(s);

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    MultiByteToWideChar(CP_ACP, 0, port, -1, wport, 16);
    ok = WSAConnectByNameW(s, (LPWSTR)L"gailoop.test.example", wport, NULL, NULL, NULL, NULL, NULL, NULL);
    CHECK(ok, "WSAConnectByNameW (%d)", ok ? 0 : WSAGetLastError());
    accepted = accept(listener, NULL, NULL);
    closesocket(accepted);
    closesocket(s);

    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok = WSAConnectByNameA(s, "nx.test.example", port, NULL, NULL, NULL, NULL, NULL, NULL);
    CHECK(!ok && WSAGetLastError() == WSAHOST_NOT_FOUND, "unknown name: WSAHOST_NOT_FOUND (%d)", WSAGetLastError());
    closesocket(s);
    closesocket(listener);
    WSACleanup();
    gai_teardown();
    return nsp_done("gai_connect_e2e");
}
