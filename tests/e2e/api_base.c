/* api_base.c - end-to-end checks of the dispatch layer over the base provider (openws2afd, the
 * default catalog) under Wine: socket() picks the catalog's TCP/UDP entries, a TCP loopback
 * conversation through connect/accept/send/recv/WSASend/WSARecv, select and WSAPoll readiness,
 * WSASendMsg on UDP, SO_PROTOCOL_INFOA, and WSADuplicateSocketA -> WSASocketA in another process
 * (this program started again with the protocol info in hex on its command line).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "api_check.h"
#include <mswsock.h>
#include <stdlib.h>

static void to_hex(const void *data, size_t len, char *out)
{
    const unsigned char *p = data;
    size_t i;
    for (i = 0; i < len; i++) sprintf(out + 2 * i, "%02x", p[i]);
}

static int from_hex(const char *s, void *data, size_t len)
{
    unsigned char *p = data;
    size_t i;
    if (strlen(s) != 2 * len) return 0;
    for (i = 0; i < len; i++)
    {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1) return 0;
        p[i] = (unsigned char)v;
    }
    return 1;
}

/* Child: makes a socket from the duplicated protocol info and reports its bound port. */
static int child(const char *hex, int expect_port)
{
    WSAPROTOCOL_INFOA info;
    struct sockaddr_in sin;
    WSADATA d;
    SOCKET s;
    int len = sizeof(sin);

    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "child: WSAStartup");
    CHECK(from_hex(hex, &info, sizeof(info)), "child: protocol info decoded");
    s = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    CHECK(s != INVALID_SOCKET, "child: WSASocketA from the duplicated info (error %d)", WSAGetLastError());
    memset(&sin, 0, sizeof(sin));
    CHECK(getsockname(s, (struct sockaddr *)&sin, &len) == 0 && ntohs(sin.sin_port) == expect_port,
          "child: the duplicate is bound to port %d (got %d)", expect_port, ntohs(sin.sin_port));
    CHECK(closesocket(s) == 0, "child: closesocket");
    CHECK(WSACleanup() == 0, "child: WSACleanup");
    return api_done("api_base child");
}

static void check_duplicate(SOCKET bound, int port)
{
    WSAPROTOCOL_INFOA info;
    char hex[2 * sizeof(WSAPROTOCOL_INFOA) + 1], cmd[2 * sizeof(WSAPROTOCOL_INFOA) + MAX_PATH + 64], self[MAX_PATH];
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    DWORD code = 99;

    printf("-- WSADuplicateSocketA into another process\n");
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    GetModuleFileNameA(NULL, self, sizeof(self));
    /* the child is started suspended: its process id is needed for the duplicate */
    snprintf(cmd, sizeof(cmd), "\"%s\" child %d", self, port);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, NULL, &si, &pi))
    {
        CHECK(0, "CreateProcess (error %lu)", (unsigned long)GetLastError());
        return;
    }
    memset(&info, 0, sizeof(info));
    CHECK(WSADuplicateSocketA(bound, pi.dwProcessId, &info) == 0, "WSADuplicateSocketA for the child");
    CHECK(info.dwCatalogEntryId != 0 && info.iAddressFamily == AF_INET && info.szProtocol[0],
          "duplicated info names catalog entry %lu '%s'", (unsigned long)info.dwCatalogEntryId, info.szProtocol);
    to_hex(&info, sizeof(info), hex);
    /* the child reads the info from a file named after its pid */
    {
        char path[MAX_PATH];
        FILE *f;
        snprintf(path, sizeof(path), "api_base_dup_%lu.txt", (unsigned long)pi.dwProcessId);
        f = fopen(path, "w");
        if (f)
        {
            fputs(hex, f);
            fclose(f);
        }
        CHECK(f != NULL, "protocol info handed to the child");
        ResumeThread(pi.hThread);
        WaitForSingleObject(pi.hProcess, 60000);
        GetExitCodeProcess(pi.hProcess, &code);
        remove(path);
    }
    CHECK(code == 0, "child process used the duplicated socket (exit code %lu)", (unsigned long)code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
}

static int cond_calls;
static DWORD_PTR cond_data;
static u_short cond_caller_port;

static int CALLBACK accept_condition(LPWSABUF caller_id, LPWSABUF caller_data, LPQOS sqos, LPQOS gqos,
                                     LPWSABUF callee_id, LPWSABUF callee_data, GROUP *g, DWORD_PTR data)
{
    (void)caller_data; (void)sqos; (void)gqos; (void)callee_id; (void)callee_data; (void)g;
    cond_calls++;
    cond_data = data;
    if (caller_id && caller_id->buf && caller_id->len >= sizeof(struct sockaddr_in))
        cond_caller_port = ntohs(((struct sockaddr_in *)caller_id->buf)->sin_port);
    return data == 0x1234 ? CF_ACCEPT : CF_REJECT;
}

static void check_conditional_accept(SOCKET l, struct sockaddr_in *sin)
{
    struct sockaddr_in local;
    SOCKET c, s;
    int len;

    printf("-- WSAAccept with a condition function\n");
    c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(c, (struct sockaddr *)sin, sizeof(*sin)) == 0, "connect");
    len = sizeof(local);
    getsockname(c, (struct sockaddr *)&local, &len);
    s = WSAAccept(l, NULL, NULL, accept_condition, 0x1234);
    CHECK(s != INVALID_SOCKET, "WSAAccept: the condition accepted (error %d)", WSAGetLastError());
    CHECK(cond_calls == 1 && cond_data == 0x1234 && cond_caller_port == ntohs(local.sin_port),
          "condition called once with the callback data and the caller's address (%d calls, data %#llx, port %u)",
          cond_calls, (unsigned long long)cond_data, cond_caller_port);
    closesocket(s);
    closesocket(c);
    c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(c, (struct sockaddr *)sin, sizeof(*sin)) == 0, "connect");
    CHECK_FAIL(WSAAccept(l, NULL, NULL, accept_condition, 0x99), INVALID_SOCKET, WSAECONNREFUSED);
    CHECK(cond_calls == 2, "condition called for the rejected connection");
    closesocket(c);
}

int main(int argc, char **argv)
{
    WSADATA d;
    struct sockaddr_in sin, from, sin_listen;
    SOCKET l, c, s, u1, u2;
    WSAPROTOCOL_INFOA infoa;
    WSAPOLLFD pfd;
    WSABUF wb[2];
    WSAMSG msg;
    fd_set rs;
    TIMEVAL tv = { 5, 0 };
    DWORD n, flags;
    char buf[64];
    int len, ret, port;

    if (argc >= 3 && !strcmp(argv[1], "child"))
    {
        char path[MAX_PATH], hex[2 * sizeof(WSAPROTOCOL_INFOA) + 2];
        FILE *f;
        snprintf(path, sizeof(path), "api_base_dup_%lu.txt", (unsigned long)GetCurrentProcessId());
        if (!(f = fopen(path, "r")) || !fgets(hex, sizeof(hex), f)) return 2;
        fclose(f);
        return child(hex, atoi(argv[2]));
    }

    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup");
    printf("-- TCP loopback through the default catalog\n");
    l = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(l != INVALID_SOCKET, "socket(AF_INET, SOCK_STREAM, 0) (error %d)", WSAGetLastError());
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(l, (struct sockaddr *)&sin, sizeof(sin)) == 0, "bind");
    len = sizeof(sin);
    CHECK(getsockname(l, (struct sockaddr *)&sin, &len) == 0 && sin.sin_port, "getsockname -> port %d",
          ntohs(sin.sin_port));
    port = ntohs(sin.sin_port);
    sin_listen = sin;
    CHECK(listen(l, 5) == 0, "listen");
    c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(c, (struct sockaddr *)&sin, sizeof(sin)) == 0, "connect (error %d)", WSAGetLastError());
    s = accept(l, NULL, NULL);
    CHECK(s != INVALID_SOCKET, "accept (error %d)", WSAGetLastError());
    CHECK(send(c, "hello", 5, 0) == 5, "send");
    FD_ZERO(&rs);
    FD_SET(s, &rs);
    ret = select(0, &rs, NULL, NULL, &tv);
    CHECK(ret == 1 && FD_ISSET(s, &rs), "select: readable (%d)", ret);
    pfd.fd = s;
    pfd.events = POLLIN;
    pfd.revents = 0;
    ret = WSAPoll(&pfd, 1, 5000);
    CHECK(ret == 1 && (pfd.revents & POLLRDNORM), "WSAPoll: POLLRDNORM (%d, revents %#x)", ret, pfd.revents);
    memset(buf, 0, sizeof(buf));
    CHECK(recv(s, buf, sizeof(buf), 0) == 5 && !memcmp(buf, "hello", 5), "recv 'hello'");
    pfd.events = POLLOUT;
    ret = WSAPoll(&pfd, 1, 0);
    CHECK(ret == 1 && pfd.revents == POLLWRNORM, "WSAPoll: writable (%d, revents %#x)", ret, pfd.revents);
    wb[0].buf = "ab";
    wb[0].len = 2;
    wb[1].buf = "cde";
    wb[1].len = 3;
    CHECK(WSASend(c, wb, 2, &n, 0, NULL, NULL) == 0 && n == 5, "WSASend 2 buffers");
    wb[0].buf = buf;
    wb[0].len = sizeof(buf);
    flags = 0;
    memset(buf, 0, sizeof(buf));
    CHECK(WSARecv(s, wb, 1, &n, &flags, NULL, NULL) == 0 && n == 5 && !memcmp(buf, "abcde", 5), "WSARecv 'abcde'");
    len = sizeof(infoa);
    CHECK(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)&infoa, &len) == 0 && infoa.iSocketType == SOCK_STREAM &&
          infoa.szProtocol[0], "SO_PROTOCOL_INFOA: '%s'", infoa.szProtocol);
    pfd.fd = l;
    pfd.events = POLLRDNORM | POLLRDBAND | POLLWRNORM;
    ret = WSAPoll(&pfd, 1, 0);
    CHECK(ret == 0 && pfd.revents == 0, "WSAPoll: idle listener reports nothing (%d, revents %#x)", ret,
          pfd.revents);
    CHECK(shutdown(c, SD_SEND) == 0, "shutdown");
    pfd.fd = s;
    pfd.events = 0;
    ret = WSAPoll(&pfd, 1, 2000);
    CHECK(ret == 1 && pfd.revents == POLLHUP, "WSAPoll: peer's shutdown is POLLHUP even unasked (%d, revents %#x)",
          ret, pfd.revents);
    pfd.events = POLLRDNORM | POLLRDBAND | POLLWRNORM;
    ret = WSAPoll(&pfd, 1, 0);
    CHECK(ret == 1 && pfd.revents == (POLLWRNORM | POLLHUP), "WSAPoll: POLLWRNORM | POLLHUP (%d, revents %#x)", ret,
          pfd.revents);
    CHECK(recv(s, buf, sizeof(buf), 0) == 0, "recv sees the graceful close");

    printf("-- WSASendMsg on UDP\n");
    u1 = socket(AF_INET, SOCK_DGRAM, 0);
    u2 = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(u1 != INVALID_SOCKET && u2 != INVALID_SOCKET, "two UDP sockets");
    sin.sin_port = 0;
    CHECK(bind(u2, (struct sockaddr *)&sin, sizeof(sin)) == 0, "bind UDP");
    len = sizeof(sin);
    getsockname(u2, (struct sockaddr *)&sin, &len);
    memset(&msg, 0, sizeof(msg));
    wb[0].buf = "dgram";
    wb[0].len = 5;
    msg.name = (struct sockaddr *)&sin;
    msg.namelen = sizeof(sin);
    msg.lpBuffers = wb;
    msg.dwBufferCount = 1;
    n = 0;
    CHECK(WSASendMsg(u1, &msg, 0, &n, NULL, NULL) == 0 && n == 5, "WSASendMsg (error %d, %lu bytes)",
          WSAGetLastError(), (unsigned long)n);
    len = sizeof(from);
    memset(buf, 0, sizeof(buf));
    CHECK(recvfrom(u2, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len) == 5 && !memcmp(buf, "dgram", 5),
          "recvfrom gets the datagram");

    check_conditional_accept(l, &sin_listen);
    check_duplicate(l, port);

    CHECK(closesocket(s) == 0 && closesocket(c) == 0 && closesocket(u1) == 0 && closesocket(u2) == 0,
          "closesocket");
    CHECK(WSACleanup() == 0, "WSACleanup (closes the listener)");
    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup");
    CHECK_FAIL(closesocket(l), SOCKET_ERROR, WSAENOTSOCK);
    CHECK(WSACleanup() == 0, "WSACleanup");
    return api_done("api_base");
}
