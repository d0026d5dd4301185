/* afd_ws2.c - end-to-end test of real networking through openws2's own stack: a plain Winsock
 * program (socket/bind/listen/connect/accept/send/recv, UDP, select, WSAEventSelect, overlapped I/O
 * with an event and a completion port, AcceptEx/ConnectEx through WSAIoctl) run against our ws2_32.dll
 * (app-local, ws2_32=n,b). It proves the path by checking that the ws2_32.dll in the process is the
 * app-local one and that sockets were created by openws2afd.dll (loaded from the catalog), and that
 * the socket's protocol info is the catalog's MSAFD entry. One line per check; the exit code is the
 * number of failures.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdio.h>
#include <stdarg.h>

#define E2E_CHECK_PLAIN  /* "ok: message" */
#include "e2e_check.h"

static SOCKET tcp_listener(int af, struct sockaddr_storage *addr, int *len)
{
    SOCKET l = socket(af, SOCK_STREAM, 0);
    memset(addr, 0, sizeof(*addr));
    if (af == AF_INET)
    {
        struct sockaddr_in *in = (struct sockaddr_in *)addr;
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        *len = sizeof(*in);
    }
    else
    {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;
        in6->sin6_family = AF_INET6;
        in6->sin6_addr.s6_addr[15] = 1;  /* ::1 */
        *len = sizeof(*in6);
    }
    if (l == INVALID_SOCKET || bind(l, (struct sockaddr *)addr, *len) || listen(l, 5))
        printf("  (listener: error %d)\n", WSAGetLastError());
    *len = sizeof(*addr);
    getsockname(l, (struct sockaddr *)addr, len);
    return l;
}

static void test_tcp(int af, const char *name)
{
    struct sockaddr_storage addr, peer;
    int len, plen = sizeof(peer), n;
    SOCKET l = tcp_listener(af, &addr, &len), c, a;
    char buf[64];

    c = socket(af, SOCK_STREAM, IPPROTO_TCP);
    CHECK(c != INVALID_SOCKET, "%s: socket()", name);
    CHECK(connect(c, (struct sockaddr *)&addr, len) == 0, "%s: connect() (error %d)", name, WSAGetLastError());
    a = accept(l, (struct sockaddr *)&peer, &plen);
    CHECK(a != INVALID_SOCKET && peer.ss_family == af, "%s: accept() (error %d)", name, WSAGetLastError());
    CHECK(send(c, "through openws2", 15, 0) == 15, "%s: send()", name);
    n = recv(a, buf, sizeof(buf), 0);
    CHECK(n == 15 && !memcmp(buf, "through openws2", 15), "%s: recv() gets the data (%d)", name, n);
    CHECK(shutdown(c, SD_SEND) == 0 && recv(a, buf, sizeof(buf), 0) == 0, "%s: graceful shutdown seen as 0", name);
    CHECK(closesocket(a) == 0 && closesocket(c) == 0 && closesocket(l) == 0, "%s: closesocket()", name);
}

static void test_udp(void)
{
    struct sockaddr_in a1, a2, from;
    int len = sizeof(a2), flen = sizeof(from), n;
    SOCKET s1 = socket(AF_INET, SOCK_DGRAM, 0), s2 = socket(AF_INET, SOCK_DGRAM, 0);
    char buf[32];

    memset(&a1, 0, sizeof(a1));
    a1.sin_family = AF_INET;
    a1.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a2 = a1;
    CHECK(bind(s1, (struct sockaddr *)&a1, sizeof(a1)) == 0 && bind(s2, (struct sockaddr *)&a2, sizeof(a2)) == 0,
          "udp: bind()");
    getsockname(s2, (struct sockaddr *)&a2, &len);
    CHECK(sendto(s1, "dgram", 5, 0, (struct sockaddr *)&a2, sizeof(a2)) == 5, "udp: sendto()");
    n = recvfrom(s2, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
    CHECK(n == 5 && !memcmp(buf, "dgram", 5) && from.sin_family == AF_INET, "udp: recvfrom() (%d)", n);
    closesocket(s1);
    closesocket(s2);
}

static void test_select_eventselect(void)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET l = tcp_listener(AF_INET, &addr, &len), c = socket(AF_INET, SOCK_STREAM, 0), a;
    fd_set rd;
    struct timeval tv = { 5, 0 };
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    char buf[8];

    connect(c, (struct sockaddr *)&addr, len);
    FD_ZERO(&rd);
    FD_SET(l, &rd);
    CHECK(select(0, &rd, NULL, NULL, &tv) == 1 && FD_ISSET(l, &rd), "select: listener readable with a pending connection");
    a = accept(l, NULL, NULL);
    CHECK(WSAEventSelect(a, ev, FD_READ | FD_CLOSE) == 0, "WSAEventSelect()");
    send(c, "e", 1, 0);
    CHECK(WSAWaitForMultipleEvents(1, &ev, FALSE, 5000, FALSE) == WSA_WAIT_EVENT_0, "WSAEventSelect: event signalled");
    CHECK(WSAEnumNetworkEvents(a, ev, &ne) == 0 && (ne.lNetworkEvents & FD_READ), "WSAEnumNetworkEvents: FD_READ");
    CHECK(recv(a, buf, sizeof(buf), 0) == 1, "recv() on the event-selected socket");
    WSACloseEvent(ev);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

static void test_overlapped(void)
{
    static const GUID g_acceptex = WSAID_ACCEPTEX;
    LPFN_ACCEPTEX acceptex = NULL;
    struct sockaddr_storage addr;
    int len;
    SOCKET l = tcp_listener(AF_INET, &addr, &len), c, a;
    WSAOVERLAPPED ov;
    WSABUF b;
    DWORD n = 0, flags = 0, bytes = 0, ret = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = NULL;
    HANDLE port;
    char buf[128];

    CHECK(WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, (void *)&g_acceptex, sizeof(g_acceptex), &acceptex,
                   sizeof(acceptex), &ret, NULL, NULL) == 0 && acceptex, "WSAIoctl: AcceptEx pointer");
    if (!acceptex) return;
    a = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    c = socket(AF_INET, SOCK_STREAM, 0);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    CHECK(!acceptex(l, a, buf, 0, sizeof(struct sockaddr_in) + 16, sizeof(struct sockaddr_in) + 16, &n, &ov) &&
          WSAGetLastError() == ERROR_IO_PENDING, "AcceptEx pending");
    CHECK(connect(c, (struct sockaddr *)&addr, len) == 0, "connect() to the AcceptEx listener");
    CHECK(WSAGetOverlappedResult(l, &ov, &bytes, TRUE, &flags), "AcceptEx completes (WSAGetOverlappedResult)");
    CHECK(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof(l)) == 0, "SO_UPDATE_ACCEPT_CONTEXT");

    port = CreateIoCompletionPort((HANDLE)a, NULL, 77, 0);
    CHECK(port != NULL, "CreateIoCompletionPort on the SOCKET");
    b.buf = buf;
    b.len = sizeof(buf);
    memset(&ov, 0, sizeof(ov));
    flags = 0;
    CHECK(WSARecv(a, &b, 1, &n, &flags, &ov, NULL) == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING,
          "WSARecv overlapped pending");
    send(c, "iocp!", 5, 0);
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000) && key == 77 && got == &ov && bytes == 5 &&
          !memcmp(buf, "iocp!", 5), "completion port gets the WSARecv completion (%lu bytes)", (unsigned long)bytes);
    CloseHandle(port);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

struct blocked { SOCKET s; int ret, err; };
static DWORD WINAPI blocked_recv(void *arg)
{
    struct blocked *b = arg;
    char buf[8];
    b->ret = recv(b->s, buf, sizeof(buf), 0);
    b->err = WSAGetLastError();
    return 0;
}

static void test_poll_nonblocking_close(void)
{
    struct sockaddr_storage addr;
    int len, n;
    SOCKET l = tcp_listener(AF_INET, &addr, &len), c = socket(AF_INET, SOCK_STREAM, 0), a;
    WSAPOLLFD fds[2];
    u_long one = 1;
    struct blocked b;
    HANDLE t;
    char buf[8];

    CHECK(ioctlsocket(c, FIONBIO, &one) == 0, "ioctlsocket(FIONBIO)");
    n = connect(c, (struct sockaddr *)&addr, len);
    CHECK(n == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "non-blocking connect: WSAEWOULDBLOCK");
    fds[0].fd = c;
    fds[0].events = POLLWRNORM;
    fds[1].fd = l;
    fds[1].events = POLLRDNORM;
    n = WSAPoll(fds, 2, 5000);
    CHECK(n >= 1 && (fds[0].revents & POLLWRNORM), "WSAPoll: connect completes (%d, %#x, %#x)", n, fds[0].revents,
          fds[1].revents);
    a = accept(l, NULL, NULL);
    CHECK(a != INVALID_SOCKET, "accept()");
    n = recv(c, buf, sizeof(buf), 0);
    CHECK(n == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "non-blocking recv: WSAEWOULDBLOCK");
    b.s = a;
    b.ret = 0;
    t = CreateThread(NULL, 0, blocked_recv, &b, 0, NULL);
    CHECK(WaitForSingleObject(t, 300) == WAIT_TIMEOUT, "a blocking recv() waits");
    closesocket(a);
    CHECK(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0 && b.ret == SOCKET_ERROR,
          "closesocket() from another thread ends it (error %d)", b.err);
    CloseHandle(t);
    closesocket(c);
    closesocket(l);
}

/* The child half of the duplicate test: WSASocket from the protocol info (hex on the command line). */
static int duplicate_child(const char *hex)
{
    WSAPROTOCOL_INFOW info;
    unsigned char *p = (unsigned char *)&info;
    WSADATA data;
    SOCKET s;
    size_t i;

    if (strlen(hex) != 2 * sizeof(info)) return 2;
    for (i = 0; i < sizeof(info); i++)
    {
        unsigned int v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) return 3;
        p[i] = (unsigned char)v;
    }
    if (WSAStartup(MAKEWORD(2, 2), &data)) return 4;
    s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    if (s == INVALID_SOCKET) return 5;
    if (send(s, "from the child", 14, 0) != 14) return 6;
    closesocket(s);
    WSACleanup();
    return 0;
}

/* WSADuplicateSocket into another process: the child gets the descriptor through its standard input,
 * makes the socket with WSASocket(FROM_PROTOCOL_INFO) and sends on the parent's connection. */
static void test_duplicate_to_child(void)
{
    struct sockaddr_storage addr;
    int len, n;
    SOCKET l = tcp_listener(AF_INET, &addr, &len), c = socket(AF_INET, SOCK_STREAM, 0), a;
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    WSAPROTOCOL_INFOW info;
    char exe[MAX_PATH], cmd[MAX_PATH + 32], buf[32];
    static char hex[2 * sizeof(WSAPROTOCOL_INFOW) + 1];
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    HANDLE rd, wr;
    DWORD code = 99, written;
    size_t i;

    connect(c, (struct sockaddr *)&addr, len);
    a = accept(l, NULL, NULL);
    GetModuleFileNameA(NULL, exe, sizeof(exe));
    snprintf(cmd, sizeof(cmd), "\"%s\" child-stdin", exe);
    CreatePipe(&rd, &wr, &sa, 0);
    SetHandleInformation(wr, HANDLE_FLAG_INHERIT, 0);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = rd;
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
    {
        CHECK(0, "duplicate: start the child (%lu)", GetLastError());
        return;
    }
    CloseHandle(rd);
    n = WSADuplicateSocketW(c, pi.dwProcessId, &info);
    CHECK(n == 0, "WSADuplicateSocketW into the child process (error %d)", n ? WSAGetLastError() : 0);
    for (i = 0; i < sizeof(info); i++) sprintf(hex + 2 * i, "%02x", ((unsigned char *)&info)[i]);
    WriteFile(wr, hex, (DWORD)(2 * sizeof(info)), &written, NULL);
    CloseHandle(wr);
    WaitForSingleObject(pi.hProcess, 20000);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    CHECK(code == 0, "duplicate: the child made the socket from the descriptor and sent on it (exit %lu)",
          (unsigned long)code);
    n = recv(a, buf, sizeof(buf), 0);
    CHECK(n == 14 && !memcmp(buf, "from the child", 14), "duplicate: the peer receives the child's data (%d)", n);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

static void test_our_stack(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    WSAPROTOCOL_INFOW info;
    int len = sizeof(info);
    char path[MAX_PATH], exe[MAX_PATH], *slash;
    static const GUID msafd = { 0xe70f1aa0, 0xab8b, 0x11cf, { 0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92 } };
    HMODULE ws2 = GetModuleHandleA("ws2_32.dll"), afd = GetModuleHandleA("openws2afd.dll");

    GetModuleFileNameA(ws2, path, sizeof(path));
    GetModuleFileNameA(NULL, exe, sizeof(exe));
    if ((slash = strrchr(exe, '\\'))) slash[1] = 0;
    CHECK(ws2 && !_strnicmp(path, exe, strlen(exe)), "the ws2_32.dll in this process is the app-local one (%s)", path);
    CHECK(afd != NULL, "openws2afd.dll was loaded (by ws2_32 from the catalog)");
    if (afd)
    {
        GetModuleFileNameA(afd, path, sizeof(path));
        printf("  openws2afd.dll: %s\n", path);
    }
    CHECK(getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len) == 0 &&
          !memcmp(&info.ProviderId, &msafd, sizeof(msafd)) && info.iSocketType == SOCK_STREAM &&
          (info.dwServiceFlags1 & XP1_IFS_HANDLES),
          "SO_PROTOCOL_INFOW: the catalog's MSAFD TCP/IP entry, IFS handles (catalog id %lu)",
          (unsigned long)info.dwCatalogEntryId);
    closesocket(s);
}

int main(int argc, char **argv)
{
    WSADATA data;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 2 && !strcmp(argv[1], "child-stdin"))
    {
        static char hex[2 * sizeof(WSAPROTOCOL_INFOW) + 1];
        DWORD got = 0, total = 0;
        while (total < sizeof(hex) - 1 &&
               ReadFile(GetStdHandle(STD_INPUT_HANDLE), hex + total, (DWORD)(sizeof(hex) - 1 - total), &got, NULL) && got)
            total += got;
        hex[total] = 0;
        return duplicate_child(hex);
    }
    CHECK(WSAStartup(MAKEWORD(2, 2), &data) == 0, "WSAStartup(2.2)");
    test_tcp(AF_INET, "tcp4");
    test_tcp(AF_INET6, "tcp6");
    test_udp();
    test_select_eventselect();
    test_overlapped();
    test_poll_nonblocking_close();
    test_duplicate_to_child();
    test_our_stack();
    CHECK(WSACleanup() == 0, "WSACleanup()");
    printf("%d checks, %d failures\n", e2e_checks, e2e_failures);
    return e2e_failures;
}
