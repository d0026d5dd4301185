/* loopback_echo.c - the main job's demo: a plain Winsock program (nothing openws2-specific) that
 * echoes a message over TCP loopback, IPv4 and IPv6, and prints which ws2_32.dll carried it and
 * which catalog entry / provider served each socket (SO_PROTOCOL_INFOW), the process's bitness and
 * the path of openws2's base provider DLL when it is loaded in the process.
 * Exit code 0 when every echo came back intact.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

static void print_provider(const char *what, SOCKET s)
{
    WSAPROTOCOL_INFOW info;
    int len = sizeof(info);
    WCHAR guid[64];
    if (getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len))
    {
        printf("  %s: SO_PROTOCOL_INFOW failed: %d\n", what, WSAGetLastError());
        return;
    }
    StringFromGUID2(&info.ProviderId, guid, 64);
    printf("  %s: catalog entry %lu \"%ls\" provider %ls\n", what, info.dwCatalogEntryId,
           info.szProtocol, guid);
}

static int echo(int af)
{
    SOCKET srv, cli, acc;
    struct sockaddr_storage addr;
    int addrlen = sizeof(addr), n, got = 0;
    char msg[] = "hello through openws2", buf[64];

    memset(&addr, 0, sizeof(addr));
    addr.ss_family = af;
    if (af == AF_INET)
        ((struct sockaddr_in *)&addr)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    else
        ((struct sockaddr_in6 *)&addr)->sin6_addr.s6_addr[15] = 1; /* ::1 */

    srv = socket(af, SOCK_STREAM, IPPROTO_TCP);
    if (srv == INVALID_SOCKET) { printf("socket: %d\n", WSAGetLastError()); return 1; }
    if (bind(srv, (struct sockaddr *)&addr, af == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6))
        || listen(srv, 1) || getsockname(srv, (struct sockaddr *)&addr, &addrlen))
    { printf("bind/listen: %d\n", WSAGetLastError()); closesocket(srv); return 1; }
    cli = socket(af, SOCK_STREAM, IPPROTO_TCP);
    if (cli == INVALID_SOCKET || connect(cli, (struct sockaddr *)&addr, addrlen))
    { printf("connect: %d\n", WSAGetLastError()); closesocket(srv); return 1; }
    acc = accept(srv, NULL, NULL);
    if (acc == INVALID_SOCKET) { printf("accept: %d\n", WSAGetLastError()); return 1; }
    print_provider("client", cli);
    print_provider("server", acc);

    if (send(cli, msg, sizeof(msg), 0) != sizeof(msg)) { printf("send: %d\n", WSAGetLastError()); return 1; }
    while (got < (int)sizeof(msg) && (n = recv(acc, buf + got, sizeof(buf) - got, 0)) > 0) got += n;
    if (send(acc, buf, got, 0) != got) { printf("echo send: %d\n", WSAGetLastError()); return 1; }
    got = 0;
    while (got < (int)sizeof(msg) && (n = recv(cli, buf + got, sizeof(buf) - got, 0)) > 0) got += n;
    closesocket(acc); closesocket(cli); closesocket(srv);
    if (got != sizeof(msg) || memcmp(buf, msg, sizeof(msg)))
    { printf("echo mismatch (%d bytes)\n", got); return 1; }
    printf("  %s echo: \"%s\" came back intact\n", af == AF_INET ? "IPv4" : "IPv6", buf);
    return 0;
}

int main(void)
{
    WSADATA data;
    char path[MAX_PATH];
    int failures = 0;

    if (WSAStartup(MAKEWORD(2, 2), &data)) { printf("WSAStartup failed\n"); return 1; }
    GetModuleFileNameA(GetModuleHandleA("ws2_32.dll"), path, sizeof(path));
    printf("ws2_32 in use: %s (%s)\n", path, data.szDescription);
    printf("process: %d-bit\n", (int)(sizeof(void *) * 8));
    failures += echo(AF_INET);
    failures += echo(AF_INET6);
    /* The base provider is loaded by the catalog (WSPStartup) only with openws2's ws2_32. */
    if (GetModuleHandleA("openws2afd.dll")
        && GetModuleFileNameA(GetModuleHandleA("openws2afd.dll"), path, sizeof(path)))
        printf("base provider loaded: %s\n", path);
    else
        printf("base provider loaded: none\n");
    WSACleanup();
    printf(failures ? "loopback echo: FAILED\n" : "loopback echo: OK\n");
    return failures ? 1 : 0;
}
