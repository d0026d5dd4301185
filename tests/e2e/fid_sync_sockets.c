/* fid_sync_sockets.c - sockets made without WSA_FLAG_OVERLAPPED behave as on Windows: NtReadFile
 * and ReadFile on one block until data arrives (its AFD handle is synchronous), SO_RCVTIMEO and
 * SO_SNDTIMEO still end blocking calls with WSAETIMEDOUT, a non-blocking one does not wait, and
 * closesocket from another thread ends a blocking receive with WSAEINTR; and a plain program keeps
 * no thread of Winsock's waiting (WSAStartup, WSAEnumProtocols, socket, closesocket leave the
 * process' thread count as it was).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "e2e_check.h"
#include <winternl.h>
#include <ntstatus.h>
#include <tlhelp32.h>

typedef NTSTATUS (NTAPI *read_file_fn)(HANDLE, HANDLE, PIO_APC_ROUTINE, PVOID, PIO_STATUS_BLOCK, PVOID, ULONG,
                                       PLARGE_INTEGER, PULONG);

static int thread_count(void)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    THREADENTRY32 te;
    DWORD pid = GetCurrentProcessId();
    int n = 0;

    if (snap == INVALID_HANDLE_VALUE) return -1;
    te.dwSize = sizeof(te);
    if (Thread32First(snap, &te))
        do
            if (te.th32OwnerProcessID == pid) n++;
        while (Thread32Next(snap, &te));
    CloseHandle(snap);
    return n;
}

/* A connected TCP pair over loopback: *client made with flags (WSASocketW), *server accepted. */
static BOOL tcp_pair(DWORD flags, SOCKET *client, SOCKET *server)
{
    struct sockaddr_in addr;
    int len = sizeof(addr);
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    *client = *server = INVALID_SOCKET;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (l == INVALID_SOCKET) return FALSE;
    if (!bind(l, (struct sockaddr *)&addr, sizeof(addr)) && !getsockname(l, (struct sockaddr *)&addr, &len) &&
        !listen(l, 1) && (*client = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, flags)) != INVALID_SOCKET &&
        !connect(*client, (struct sockaddr *)&addr, sizeof(addr)))
        *server = accept(l, NULL, NULL);
    closesocket(l);
    if (*server == INVALID_SOCKET && *client != INVALID_SOCKET)
    {
        closesocket(*client);
        *client = INVALID_SOCKET;
    }
    return *server != INVALID_SOCKET;
}

struct later
{
    SOCKET s;
    DWORD delay;
    int action;  /* 0: send "hello", 1: closesocket; unless cancelled before the delay is over */
    HANDLE cancel;
};

static DWORD WINAPI later_thread(void *param)
{
    struct later *l = param;
    /* a watchdog is cancelled when the call returned in time */
    if (WaitForSingleObject(l->cancel, l->delay) != WAIT_TIMEOUT) return 0;
    if (l->action == 0) send(l->s, "hello", 5, 0);
    else closesocket(l->s);
    return 0;
}

static HANDLE start_later(struct later *l, SOCKET s, DWORD delay, int action)
{
    l->s = s;
    l->delay = delay;
    l->action = action;
    l->cancel = CreateEventW(NULL, TRUE, FALSE, NULL);
    return CreateThread(NULL, 0, later_thread, l, 0, NULL);
}

static void finish(HANDLE thread, struct later *l)
{
    SetEvent(l->cancel);
    if (thread)
    {
        WaitForSingleObject(thread, 10000);
        CloseHandle(thread);
    }
    CloseHandle(l->cancel);
}

/* NtReadFile and ReadFile on a socket made without WSA_FLAG_OVERLAPPED wait for the data. */
static void test_read_blocks(void)
{
    read_file_fn read_file = (read_file_fn)(void (*)(void))GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtReadFile");
    SOCKET c, s;
    struct later l;
    HANDLE t;
    IO_STATUS_BLOCK iosb;
    NTSTATUS status;
    DWORD start, elapsed, got = 0;
    char buf[16];
    BOOL ok;

    CHECK(read_file != NULL, "NtReadFile found");
    if (!read_file || !tcp_pair(0, &c, &s))
    {
        CHECK(0, "a connected pair with a non-overlapped client");
        return;
    }
    t = start_later(&l, s, 300, 0);
    memset(&iosb, 0xcc, sizeof(iosb));
    start = GetTickCount();
    status = read_file((HANDLE)c, NULL, NULL, NULL, &iosb, buf, sizeof(buf), NULL, NULL);
    elapsed = GetTickCount() - start;
    if (status == STATUS_PENDING) WaitForSingleObject((HANDLE)c, 5000);  /* keep iosb alive */
    CHECK(status == STATUS_SUCCESS, "NtReadFile on a non-overlapped socket blocks: status %#lx (not pending)",
          (unsigned long)status);
    CHECK(iosb.Status == STATUS_SUCCESS && iosb.Information == 5 && !memcmp(buf, "hello", 5),
          "NtReadFile returns the data: status %#lx, %lu bytes", (unsigned long)iosb.Status,
          (unsigned long)iosb.Information);
    CHECK(elapsed >= 200, "NtReadFile waited for the data (%lu ms)", (unsigned long)elapsed);
    finish(t, &l);

    t = start_later(&l, s, 300, 0);
    start = GetTickCount();
    ok = ReadFile((HANDLE)c, buf, sizeof(buf), &got, NULL);
    elapsed = GetTickCount() - start;
    CHECK(ok && got == 5 && !memcmp(buf, "hello", 5) && elapsed >= 200,
          "ReadFile on a non-overlapped socket waits for the data: %d, %lu bytes, %lu ms (error %lu)", ok,
          (unsigned long)got, (unsigned long)elapsed, ok ? 0UL : (unsigned long)GetLastError());
    finish(t, &l);

    /* a socket made with WSA_FLAG_OVERLAPPED stays asynchronous: NtReadFile reports pending */
    closesocket(c);
    closesocket(s);
    if (!tcp_pair(WSA_FLAG_OVERLAPPED, &c, &s)) return;
    memset(&iosb, 0, sizeof(iosb));
    status = read_file((HANDLE)c, NULL, NULL, NULL, &iosb, buf, sizeof(buf), NULL, NULL);
    CHECK(status == STATUS_PENDING, "NtReadFile on an overlapped socket is pending: %#lx", (unsigned long)status);
    send(s, "x", 1, 0);
    if (status == STATUS_PENDING) WaitForSingleObject((HANDLE)c, 5000);
    closesocket(c);
    closesocket(s);
}

/* SO_RCVTIMEO / SO_SNDTIMEO on a socket made without WSA_FLAG_OVERLAPPED: WSAETIMEDOUT in time. */
static void test_timeouts(void)
{
    SOCKET c, s;
    struct later l;
    HANDLE t;
    DWORD timeout = 400, start, elapsed;
    int small = 4096, r, e, n;
    u_long nb;
    char buf[1024];

    if (!tcp_pair(0, &c, &s))
    {
        CHECK(0, "a connected pair with a non-overlapped client");
        return;
    }
    CHECK(!setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout)), "SO_RCVTIMEO set");
    t = start_later(&l, s, 5000, 0);  /* a hang ends with data after 5 s: a failure, not a hung test */
    start = GetTickCount();
    r = recv(c, buf, sizeof(buf), 0);
    e = WSAGetLastError();
    elapsed = GetTickCount() - start;
    CHECK(r == SOCKET_ERROR && e == WSAETIMEDOUT && elapsed >= 300 && elapsed < 3000,
          "recv with SO_RCVTIMEO 400 on a non-overlapped socket: %d error %d after %lu ms (expected WSAETIMEDOUT)",
          r, e, (unsigned long)elapsed);
    finish(t, &l);

    /* data arriving within the timeout is received */
    t = start_later(&l, s, 100, 0);
    r = recv(c, buf, sizeof(buf), 0);
    CHECK(r == 5 && !memcmp(buf, "hello", 5), "recv within SO_RCVTIMEO gets the data: %d (error %d)", r,
          WSAGetLastError());
    finish(t, &l);

    /* non-blocking: no wait at all */
    nb = 1;
    CHECK(!ioctlsocket(c, FIONBIO, &nb), "FIONBIO 1");
    start = GetTickCount();
    r = recv(c, buf, sizeof(buf), 0);
    e = WSAGetLastError();
    elapsed = GetTickCount() - start;
    CHECK(r == SOCKET_ERROR && e == WSAEWOULDBLOCK && elapsed < 200,
          "non-blocking recv with SO_RCVTIMEO: %d error %d after %lu ms (expected WSAEWOULDBLOCK at once)", r, e,
          (unsigned long)elapsed);
    nb = 0;
    CHECK(!ioctlsocket(c, FIONBIO, &nb), "FIONBIO 0");

    /* send: the peer receives nothing; the buffers fill and a send times out */
    setsockopt(c, SOL_SOCKET, SO_SNDBUF, (char *)&small, sizeof(small));
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&small, sizeof(small));
    CHECK(!setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, (char *)&timeout, sizeof(timeout)), "SO_SNDTIMEO set");
    memset(buf, 'x', sizeof(buf));
    t = start_later(&l, c, 15000, 1);  /* a hang ends when the socket is closed after 15 s */
    start = GetTickCount();
    for (n = 0; n < 100000; n++)
        if ((r = send(c, buf, sizeof(buf), 0)) == SOCKET_ERROR) break;
    e = WSAGetLastError();
    elapsed = GetTickCount() - start;
    CHECK(r == SOCKET_ERROR && e == WSAETIMEDOUT && elapsed < 15000,
          "send with SO_SNDTIMEO 400 on a non-overlapped socket ends with WSAETIMEDOUT: %d error %d after %d sends, "
          "%lu ms", r, e, n, (unsigned long)elapsed);
    finish(t, &l);
    closesocket(c);
    closesocket(s);
}

/* closesocket from another thread ends a blocking receive on a non-overlapped socket. */
static void test_close_wakes(void)
{
    DWORD timeout = 10000;
    int pass;

    for (pass = 0; pass < 2; pass++)
    {
        SOCKET c, s;
        struct later l;
        HANDLE t;
        int r, e;
        char buf[16];

        if (!tcp_pair(0, &c, &s))
        {
            CHECK(0, "a connected pair with a non-overlapped client");
            return;
        }
        if (pass) setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout));
        t = start_later(&l, c, 300, 1);
        r = recv(c, buf, sizeof(buf), 0);
        e = WSAGetLastError();
        CHECK(r == SOCKET_ERROR && e == WSAEINTR,
              "closesocket ends a blocking recv on a non-overlapped socket%s: %d error %d (expected WSAEINTR)",
              pass ? " with SO_RCVTIMEO" : "", r, e);
        finish(t, &l);
        closesocket(s);
    }
}

int main(void)
{
    WSADATA wsa;
    WSAPROTOCOL_INFOW infos[64];
    DWORD size = sizeof(infos);
    SOCKET s;
    int before, after;

    /* first, before any thread of this program exists */
    before = thread_count();
    CHECK(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup");
    WSAEnumProtocolsW(NULL, infos, &size);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s != INVALID_SOCKET, "socket");
    closesocket(s);
    s = WSASocketW(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, 0);
    closesocket(s);
    Sleep(200);
    after = thread_count();
    CHECK(before > 0 && after == before, "no thread of Winsock's stays in a plain process: %d threads before, %d after",
          before, after);

    test_read_blocks();
    test_timeouts();
    test_close_wakes();
    WSACleanup();
    return e2e_done("fid_sync_sockets");
}
