/* fid_recv_edges.c - receive edge cases as on Windows: WSARecv without buffers fails with
 * WSAEINVAL, one empty buffer is a zero-byte receive; recvfrom/WSARecvFrom on a TCP socket ignore
 * the address arguments whatever they hold; WSAGetOverlappedResult(wait) on a signalled event and a
 * still pending status block succeeds; FD_CLOSE after a reset carries WSAECONNABORTED, and the
 * provider knows which closes are abortive (SO_LINGER or SO_DONTLINGER) from a traced child.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "e2e_check.h"
#include "wine_check.h"
#include <winternl.h>

#ifndef STATUS_PENDING
#define STATUS_PENDING ((DWORD)0x00000103)
#endif

static int tcp_pair(SOCKET *client, SOCKET *server)
{
    struct sockaddr_in addr;
    int len = sizeof(addr);
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    *client = *server = INVALID_SOCKET;
    if (l == INVALID_SOCKET) return 0;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(l, (struct sockaddr *)&addr, sizeof(addr)) || listen(l, 1) ||
        getsockname(l, (struct sockaddr *)&addr, &len))
    {
        closesocket(l);
        return 0;
    }
    *client = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (*client == INVALID_SOCKET || connect(*client, (struct sockaddr *)&addr, sizeof(addr)))
    {
        closesocket(l);
        return 0;
    }
    *server = accept(l, NULL, NULL);
    closesocket(l);
    return *server != INVALID_SOCKET;
}

static void test_empty_recv(void)
{
    WSAOVERLAPPED ov;
    SOCKET c, s;
    WSABUF wb;
    DWORD flags = 0, size = 0xdead;
    char buf[8];
    int r;

    CHECK(tcp_pair(&c, &s), "empty recv: TCP pair (error %d)", WSAGetLastError());
    if (c == INVALID_SOCKET || s == INVALID_SOCKET) return;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);

    CHECK_FAIL(WSARecv(c, NULL, 0, NULL, &flags, &ov, NULL), SOCKET_ERROR, WSAEINVAL);
    wb.buf = buf;
    wb.len = 0;
    CHECK_FAIL(WSARecv(c, &wb, 0, NULL, &flags, &ov, NULL), SOCKET_ERROR, WSAEINVAL);

    /* one empty buffer: waits for data, completes with 0 bytes and leaves the data */
    CHECK_FAIL(WSARecv(c, &wb, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR, WSA_IO_PENDING);
    CHECK(send(s, "data", 5, 0) == 5, "empty recv: send");
    CHECK(WaitForSingleObject(ov.hEvent, 2000) == WAIT_OBJECT_0, "empty recv: the empty receive completes");
    size = 0xdead;
    CHECK(GetOverlappedResult((HANDLE)c, &ov, &size, FALSE) && !size, "empty recv: completed with %lu bytes",
          (unsigned long)size);
    size = 0xdead;
    WSASetLastError(0xdead);
    r = WSARecv(c, &wb, 1, &size, &flags, &ov, NULL);
    CHECK(!r && !size, "empty recv with data waiting: %d error %d size %lu (expected 0, 0 bytes)", r,
          r ? WSAGetLastError() : 0, (unsigned long)size);
    /* without an overlapped structure too (data is waiting: a wrong success would not block) */
    CHECK_FAIL(WSARecv(c, &wb, 0, &size, &flags, NULL, NULL), SOCKET_ERROR, WSAEINVAL);
    CHECK(recv(c, NULL, 0, 0) == 0, "empty recv: recv(NULL, 0)");
    memset(buf, 0, sizeof(buf));
    r = recv(c, buf, sizeof(buf), 0);
    CHECK(r == 5 && !strcmp(buf, "data"), "empty recv: the data is still there (%d \"%s\")", r, buf);

    closesocket(c);
    closesocket(s);
    CloseHandle(ov.hEvent);
}

static void test_tcp_recvfrom_addr(void)
{
    static const char msg[] = "tcp recvfrom";
    struct sockaddr_in bad, bad_copy;
    WSAOVERLAPPED ov;
    SOCKET c, s;
    WSABUF wb;
    DWORD flags = 0, size = 0;
    char buf[sizeof(msg)];
    int len = (int)0xc0ffee11, r;

    CHECK(tcp_pair(&c, &s), "tcp recvfrom: TCP pair (error %d)", WSAGetLastError());
    if (c == INVALID_SOCKET || s == INVALID_SOCKET) return;
    memset(&bad, 0xfe, sizeof(bad));
    bad_copy = bad;

    CHECK(send(s, msg, sizeof(msg), 0) == (int)sizeof(msg), "tcp recvfrom: send");
    memset(buf, 0, sizeof(buf));
    r = recvfrom(c, buf, sizeof(buf), 0, (struct sockaddr *)&bad, &len);
    CHECK(r == (int)sizeof(msg), "recvfrom on TCP with a negative fromlen: %d (error %d), expected %d", r,
          r < 0 ? WSAGetLastError() : 0, (int)sizeof(msg));
    CHECK(!memcmp(buf, msg, sizeof(msg)), "recvfrom on TCP: the data");
    CHECK(!memcmp(&bad, &bad_copy, sizeof(bad)) && len == (int)0xc0ffee11,
          "recvfrom on TCP: address and length untouched (len %#x)", (unsigned int)len);

    /* overlapped WSARecvFrom: the length is garbage too */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    memset(buf, 0, sizeof(buf));
    wb.buf = buf;
    wb.len = sizeof(buf);
    len = (int)0x80000001;
    WSASetLastError(0xdead);
    r = WSARecvFrom(c, &wb, 1, NULL, &flags, (struct sockaddr *)&bad, &len, &ov, NULL);
    CHECK(r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING,
          "WSARecvFrom on TCP with a negative fromlen: %d error %d (expected pending)", r, WSAGetLastError());
    CHECK(send(s, msg, sizeof(msg), 0) == (int)sizeof(msg), "tcp recvfrom: second send");
    CHECK(WaitForSingleObject(ov.hEvent, 2000) == WAIT_OBJECT_0 && GetOverlappedResult((HANDLE)c, &ov, &size, FALSE) &&
          size == sizeof(msg) && !memcmp(buf, msg, sizeof(msg)), "WSARecvFrom on TCP: %lu bytes", (unsigned long)size);
    CHECK(!memcmp(&bad, &bad_copy, sizeof(bad)) && len == (int)0x80000001, "WSARecvFrom on TCP: address untouched");

    closesocket(c);
    closesocket(s);
    CloseHandle(ov.hEvent);
}

static void test_overlapped_result_pending(void)
{
    WSAOVERLAPPED ov;
    SOCKET c, s;
    DWORD size = 0xdead, flags = 0;
    BOOL ok;

    CHECK(tcp_pair(&c, &s), "overlapped result: TCP pair (error %d)", WSAGetLastError());
    if (c == INVALID_SOCKET || s == INVALID_SOCKET) return;
    memset(&ov, 0, sizeof(ov));
    ov.Internal = STATUS_PENDING;
    ov.InternalHigh = 7;
    ov.hEvent = CreateEventW(NULL, TRUE, TRUE, NULL);
    WSASetLastError(0xdead);
    ok = WSAGetOverlappedResult(c, &ov, &size, TRUE, &flags);
    CHECK(ok && (!WSAGetLastError() || WSAGetLastError() == WSA_IO_PENDING) && size == 7,
          "WSAGetOverlappedResult(wait) on a set event, status pending: %d error %d size %lu (expected TRUE, 7)",
          ok, WSAGetLastError(), (unsigned long)size);
    WSASetLastError(0xdead);
    ok = WSAGetOverlappedResult(c, &ov, &size, FALSE, &flags);
    CHECK(!ok && WSAGetLastError() == WSA_IO_INCOMPLETE, "WSAGetOverlappedResult(no wait), pending: %d error %d",
          ok, WSAGetLastError());
    closesocket(c);
    closesocket(s);
    CloseHandle(ov.hEvent);
}

/* AFD's GET_EVENTS on h (it reads and resets the socket's recorded events): the flags, or ~0u. */
static ULONG afd_get_events(HANDLE h)
{
    typedef LONG(WINAPI * nt_ioctl_fn)(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, ULONG, void *, ULONG, void *,
                                       ULONG);
    struct { ULONG flags; LONG status[13]; } params;
    IO_STATUS_BLOCK io;
    nt_ioctl_fn ioctl = (nt_ioctl_fn)(void (*)(void))GetProcAddress(GetModuleHandleA("ntdll.dll"),
                                                                    "NtDeviceIoControlFile");

    memset(&params, 0xcc, sizeof(params));
    /* IOCTL_AFD_GET_EVENTS: CTL_CODE(FILE_DEVICE_BEEP, 0x822, METHOD_NEITHER, FILE_ANY_ACCESS) */
    if (!ioctl || ioctl(h, NULL, NULL, NULL, &io, 0x1208b, NULL, 0, &params, sizeof(params))) return ~0u;
    return params.flags;
}

/* An abortive close: the peer has FD_CLOSE with WSAECONNABORTED. Windows: when closesocket returns.
 * Read once through WSAEnumNetworkEvents and once as Wine's afd test_get_events_reset (and programs
 * that drive AFD themselves) read it: AFD's GET_EVENTS on the peer's handle at once. Under Wine the
 * provider asks the server once after an abortive close (wine_compat_server_sync); without that the
 * server often has not seen the reset yet when GET_EVENTS comes. */
static void test_close_reset_event(BOOL direct)
{
    static const struct linger lg = { 1, 0 };
    const char *how = direct ? "AFD's GET_EVENTS" : "WSAEnumNetworkEvents";
    WSANETWORKEVENTS ne;
    SOCKET c, s;
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);

    CHECK(tcp_pair(&c, &s), "reset event: TCP pair (error %d)", WSAGetLastError());
    if (c == INVALID_SOCKET || s == INVALID_SOCKET) return;
    CHECK(!WSAEventSelect(s, ev, FD_ACCEPT | FD_CLOSE | FD_CONNECT | FD_OOB | FD_READ), "reset event: WSAEventSelect");
    CHECK(!setsockopt(c, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof(lg)), "reset event: SO_LINGER 0");
    closesocket(c);
    if (direct)
    {
        ULONG flags = afd_get_events((HANDLE)s);
        /* AFD_POLL_RESET is 0x10 */
        CHECK(flags != ~0u && (flags & 0x10), "reset event, %s right after closesocket: %#lx (expected the reset, 0x10)",
              how, (unsigned long)flags);
    }
    else
    {
        CHECK(WaitForSingleObject(ev, 0) == WAIT_OBJECT_0, "reset event: the event is set right after closesocket");
        memset(&ne, 0, sizeof(ne));
        CHECK(!WSAEnumNetworkEvents(s, ev, &ne), "reset event: WSAEnumNetworkEvents (error %d)", WSAGetLastError());
        CHECK(ne.lNetworkEvents == FD_CLOSE && ne.iErrorCode[FD_CLOSE_BIT] == WSAECONNABORTED,
              "reset event, %s right after closesocket: events %#lx, FD_CLOSE error %d (expected FD_CLOSE, %d)", how,
              (unsigned long)ne.lNetworkEvents, ne.iErrorCode[FD_CLOSE_BIT], WSAECONNABORTED);
    }
    closesocket(s);
    CloseHandle(ev);
}

/* Child "linger": three unconnected TCP sockets whose close is abortive by SO_LINGER { 1, 0 }, abortive
 * by SO_LINGER { 0, 0 } then SO_DONTLINGER FALSE (lingering on, the zero timeout left), and graceful
 * by SO_LINGER { 1, 0 } then SO_DONTLINGER TRUE; it says each handle and its kind on stderr
 * ("expect abortive|graceful 0x..."), then closes the three. */
static int child_linger(void)
{
    static const struct linger on0 = { 1, 0 }, off = { 0, 0 };
    BOOL f = FALSE, t = TRUE;
    WSADATA wsa;
    SOCKET s[3];
    int i, r = 0;

    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 2;
    for (i = 0; i < 3; i++)
        if ((s[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET) return 3;
    r |= setsockopt(s[0], SOL_SOCKET, SO_LINGER, (const char *)&on0, sizeof(on0));
    r |= setsockopt(s[1], SOL_SOCKET, SO_LINGER, (const char *)&off, sizeof(off));
    r |= setsockopt(s[1], SOL_SOCKET, SO_DONTLINGER, (const char *)&f, sizeof(f));
    r |= setsockopt(s[2], SOL_SOCKET, SO_LINGER, (const char *)&on0, sizeof(on0));
    r |= setsockopt(s[2], SOL_SOCKET, SO_DONTLINGER, (const char *)&t, sizeof(t));
    if (r) return 4;
    for (i = 0; i < 3; i++)
        fprintf(stderr, "expect %s %#llx\n", i < 2 ? "abortive" : "graceful", (unsigned long long)s[i]);
    for (i = 0; i < 3; i++) closesocket(s[i]);
    WSACleanup();
    return 0;
}

/* The provider knows which closes are abortive whichever option made them (SO_LINGER or
 * SO_DONTLINGER), as its trace of closesocket says: only those make the request to Wine's server
 * that brings the peer's reset in step (test_close_reset_event). */
static void test_abortive_close_kinds(void)
{
    DWORD code;
    char *t = wc_run_traced_child("linger", &code), want[64], handle[32];
    const char *p;
    int n = 0;

    CHECK(t && code == 0, "linger child ran (exit %lu)", (unsigned long)code);
    for (p = t; p && (p = strstr(p, "expect ")); p++)
    {
        char kind[16];
        if (sscanf(p, "expect %15s %31s", kind, handle) != 2) continue;
        snprintf(want, sizeof(want), "WSPCloseSocket(%s", handle);
        n++;
        if (!strcmp(kind, "abortive"))
            CHECK(wc_count_lines(t, want, ", abortive") == 1, "closesocket of %s traced as abortive", handle);
        else
            CHECK(wc_count_lines(t, want, NULL) == 1 && wc_count_lines(t, want, ", abortive") == 0,
                  "closesocket of %s traced as a graceful close", handle);
    }
    CHECK(n == 3, "the child named its three sockets (%d)", n);
    free(t);
}

int main(int argc, char **argv)
{
    WSADATA wsa;

    if (argc > 2 && !strcmp(argv[1], "child") && !strcmp(argv[2], "linger")) return child_linger();
    setvbuf(stdout, NULL, _IONBF, 0);
    if (WSAStartup(MAKEWORD(2, 2), &wsa))
    {
        printf("FAIL: WSAStartup\n");
        return 1;
    }
    test_empty_recv();
    test_tcp_recvfrom_addr();
    test_overlapped_result_pending();
    test_close_reset_event(FALSE);
    test_close_reset_event(TRUE);
    test_abortive_close_kinds();
    WSACleanup();
    return e2e_done("fid_recv_edges");
}
