/* provider_dispatch.c - end-to-end test of the socket API dispatched to installed providers under
 * Wine: for the recording IFS and non-IFS test providers, sockets made by triple and by catalog
 * entry, bind/listen/connect/accept/send/recv, overlapped receives completed through an event
 * (WSAGetOverlappedResult), an I/O completion port and a completion routine, with exact byte counts
 * and (non-IFS) exact errors; ReadFile/WriteFile on an IFS socket; closesocket reaching
 * WSPCloseSocket and the last WSACleanup reaching WSPCleanup. One line per check; exit code 1 on any
 * failure.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "provider_common.h"

#include <stdio.h>
#include <stdlib.h>

static LONG routine_calls;
static DWORD routine_error, routine_bytes, routine_thread;
static LPWSAOVERLAPPED routine_ov;

static void CALLBACK routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)flags;
    routine_error = error;
    routine_bytes = bytes;
    routine_ov = ov;
    routine_thread = GetCurrentThreadId();
    InterlockedIncrement(&routine_calls);
}

struct pair
{
    SOCKET c, a;
};

static BOOL make_pair(enum tp_which which, SOCKET lst, u_short port, struct pair *p, const char *what)
{
    WSAPROTOCOL_INFOW info = tp_entries[which].info;
    struct sockaddr_in sin, peer, local;
    int len = sizeof(peer), llen = sizeof(local);

    p->c = WSASocketW(AF_INET, SOCK_STREAM, info.iProtocol, &info, 0, WSA_FLAG_OVERLAPPED);
    if (!tp_check(p->c != INVALID_SOCKET, "%s: WSASocketW by catalog entry (%d)", what,
                  p->c == INVALID_SOCKET ? WSAGetLastError() : 0))
        return FALSE;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    tp_check(connect(p->c, (struct sockaddr *)&sin, sizeof(sin)) == 0, "%s: connect (%d)", what, WSAGetLastError());
    p->a = accept(lst, (struct sockaddr *)&peer, &len);
    tp_check(p->a != INVALID_SOCKET, "%s: accept (%d)", what, p->a == INVALID_SOCKET ? WSAGetLastError() : 0);
    tp_check(getsockname(p->c, (struct sockaddr *)&local, &llen) == 0 && len == sizeof(peer) &&
                 peer.sin_port == local.sin_port,
             "%s: accept reports the connecting socket's address", what);
    return p->a != INVALID_SOCKET;
}

static void run(enum tp_which which, const char *name)
{
    WSAPROTOCOL_INFOW info = tp_entries[which].info;
    struct sockaddr_in sin;
    struct pair p1 = { INVALID_SOCKET, INVALID_SOCKET }, p2 = { INVALID_SOCKET, INVALID_SOCKET };
    SOCKET lst;
    int len = sizeof(sin), n;
    char buf[64];
    WSABUF wb;
    WSAOVERLAPPED ov, *got;
    DWORD bytes, flags, gle;
    ULONG_PTR key;
    HANDLE ev, port;
    char *log;
    u_short lport;

    tp_log_reset(which);
    lst = WSASocketW(AF_INET, SOCK_STREAM, info.iProtocol, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (!tp_check(lst != INVALID_SOCKET, "%s: WSASocketW by triple (AF_INET, SOCK_STREAM, %d) (%d)", name,
                  info.iProtocol, lst == INVALID_SOCKET ? WSAGetLastError() : 0))
        return;
    log = tp_log_get(which);
    tp_check(log && strstr(log, "WSPSocket af=2 type=1") != NULL, "%s: the socket was made by the provider", name);
    free(log);
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    tp_check(bind(lst, (struct sockaddr *)&sin, sizeof(sin)) == 0, "%s: bind (%d)", name, WSAGetLastError());
    tp_check(getsockname(lst, (struct sockaddr *)&sin, &len) == 0 && sin.sin_port != 0, "%s: getsockname", name);
    lport = ntohs(sin.sin_port);
    tp_check(listen(lst, 5) == 0, "%s: listen (%d)", name, WSAGetLastError());
    if (!make_pair(which, lst, lport, &p1, name) || !make_pair(which, lst, lport, &p2, name)) goto done;

    /* Blocking send/recv. */
    tp_check(send(p1.c, "hello", 5, 0) == 5, "%s: send 5 bytes", name);
    memset(buf, 0, sizeof(buf));
    n = recv(p1.a, buf, sizeof(buf), 0);
    tp_check(n == 5 && !memcmp(buf, "hello", 5), "%s: recv gets them (%d)", name, n);

    /* Overlapped receive completed through its event. */
    memset(&ov, 0, sizeof(ov));
    ev = WSACreateEvent();
    ov.hEvent = ev;
    wb.buf = buf;
    wb.len = sizeof(buf);
    flags = 0;
    n = WSARecv(p1.a, &wb, 1, NULL, &flags, &ov, NULL);
    tp_check(n == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "%s: WSARecv pends (%d)", name,
             n ? WSAGetLastError() : 0);
    tp_check(send(p1.c, "1234567", 7, 0) == 7, "%s: send 7 bytes", name);
    tp_check(WaitForSingleObject(ev, 5000) == WAIT_OBJECT_0, "%s: the receive's event is signalled", name);
    bytes = 0;
    tp_check(WSAGetOverlappedResult(p1.a, &ov, &bytes, FALSE, &flags) && bytes == 7 && !memcmp(buf, "1234567", 7),
             "%s: WSAGetOverlappedResult: 7 bytes (%lu, error %d)", name, (unsigned long)bytes, WSAGetLastError());

    if (which == TP_NIFS)
    {
        int (WINAPI *fail_pending)(SOCKET, DWORD, DWORD) =
            (void *)GetProcAddress(GetModuleHandleW(L"tp_nifs.dll"), "tp_nifs_fail_pending");
        memset(&ov, 0, sizeof(ov));
        ResetEvent(ev);
        ov.hEvent = ev;
        n = WSARecv(p1.a, &wb, 1, NULL, &flags, &ov, NULL);
        tp_check(n == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "%s: WSARecv pends again", name);
        tp_check(fail_pending && fail_pending(p1.a, WSAECONNRESET, 0) == 1, "%s: provider fails it with WSAECONNRESET",
                 name);
        tp_check(WaitForSingleObject(ev, 5000) == WAIT_OBJECT_0, "%s: the event is signalled", name);
        tp_check(!WSAGetOverlappedResult(p1.a, &ov, &bytes, FALSE, &flags) && WSAGetLastError() == WSAECONNRESET,
                 "%s: WSAGetOverlappedResult: FALSE, WSAECONNRESET (%d)", name, WSAGetLastError());
    }
    WSACloseEvent(ev);

    /* Overlapped receive completed through a completion port. */
    port = CreateIoCompletionPort((HANDLE)p1.a, NULL, 9, 0);
    tp_check(port != NULL, "%s: the accepted socket joins a completion port", name);
    memset(&ov, 0, sizeof(ov));
    n = WSARecv(p1.a, &wb, 1, NULL, &flags, &ov, NULL);
    tp_check(n == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "%s: WSARecv pends", name);
    tp_check(send(p1.c, "abcdefghijk", 11, 0) == 11, "%s: send 11 bytes", name);
    got = NULL;
    bytes = 0;
    tp_check(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000) && got == &ov && key == 9 && bytes == 11,
             "%s: completion packet: TRUE, 11 bytes, key 9 (%lu)", name, (unsigned long)bytes);
    if (which == TP_NIFS)
    {
        int (WINAPI *fail_pending)(SOCKET, DWORD, DWORD) =
            (void *)GetProcAddress(GetModuleHandleW(L"tp_nifs.dll"), "tp_nifs_fail_pending");
        memset(&ov, 0, sizeof(ov));
        n = WSARecv(p1.a, &wb, 1, NULL, &flags, &ov, NULL);
        tp_check(n == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "%s: WSARecv pends", name);
        tp_check(fail_pending && fail_pending(p1.a, WSAENETRESET, 0) == 1, "%s: provider fails it with WSAENETRESET",
                 name);
        got = NULL;
        tp_check(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000) && got == &ov &&
                     (gle = GetLastError()) == WSAENETRESET && bytes == 0,
                 "%s: completion packet: FALSE, GetLastError() = WSAENETRESET, 0 bytes", name);
    }
    if (port) CloseHandle(port);

    /* Overlapped receive with a completion routine. */
    memset(&ov, 0, sizeof(ov));
    routine_calls = 0;
    n = WSARecv(p2.a, &wb, 1, NULL, &flags, &ov, routine);
    tp_check(n == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "%s: WSARecv with a routine pends (%d)", name,
             n ? WSAGetLastError() : 0);
    tp_check(send(p2.c, "0123456789abc", 13, 0) == 13, "%s: send 13 bytes", name);
    tp_check(routine_calls == 0, "%s: the routine waits for an alertable wait", name);
    SleepEx(3000, TRUE);
    tp_check(routine_calls == 1 && routine_error == 0 && routine_bytes == 13 && routine_ov == &ov &&
                 routine_thread == GetCurrentThreadId(),
             "%s: the routine ran in this thread: error %lu, %lu bytes", name, (unsigned long)routine_error,
             (unsigned long)routine_bytes);
    if (which == TP_NIFS)
    {
        int (WINAPI *fail_pending)(SOCKET, DWORD, DWORD) =
            (void *)GetProcAddress(GetModuleHandleW(L"tp_nifs.dll"), "tp_nifs_fail_pending");
        memset(&ov, 0, sizeof(ov));
        routine_calls = 0;
        n = WSARecv(p2.a, &wb, 1, NULL, &flags, &ov, routine);
        tp_check(fail_pending && fail_pending(p2.a, WSAECONNABORTED, 0) == 1, "%s: provider fails it", name);
        SleepEx(3000, TRUE);
        tp_check(routine_calls == 1 && routine_error == WSAECONNABORTED && routine_bytes == 0,
                 "%s: the routine gets WSAECONNABORTED, 0 bytes (%lu)", name, (unsigned long)routine_error);

        /* The provider completes completion-routine requests with WPUCompleteOverlappedRequest: ws2_32
         * runs the routine itself, in the issuing thread. */
        tp_knob("OPENWS2_TP_NIFS_APC_VIA_COMPLETE", "1");
        memset(&ov, 0, sizeof(ov));
        routine_calls = 0;
        n = WSARecv(p2.a, &wb, 1, NULL, &flags, &ov, routine);
        tp_check(n == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "%s: WSARecv with a routine pends", name);
        tp_check(send(p2.c, "ABCDEFGHIJKLMNOPQ", 17, 0) == 17, "%s: send 17 bytes", name);
        SleepEx(3000, TRUE);
        tp_check(routine_calls == 1 && routine_error == 0 && routine_bytes == 17 && routine_ov == &ov &&
                     routine_thread == GetCurrentThreadId(),
                 "%s: WPUCompleteOverlappedRequest ran the routine in this thread: error %lu, %lu bytes", name,
                 (unsigned long)routine_error, (unsigned long)routine_bytes);
        memset(&ov, 0, sizeof(ov));
        routine_calls = 0;
        n = WSARecv(p2.a, &wb, 1, NULL, &flags, &ov, routine);
        tp_check(fail_pending && fail_pending(p2.a, WSAETIMEDOUT, 0) == 1, "%s: provider fails it", name);
        SleepEx(3000, TRUE);
        tp_check(routine_calls == 1 && routine_error == WSAETIMEDOUT && routine_bytes == 0,
                 "%s: ... and with an error: WSAETIMEDOUT, 0 bytes (%lu)", name, (unsigned long)routine_error);
        memset(&ov, 0, sizeof(ov));
        routine_calls = 0;
        wb.len = 6;
        n = WSASend(p2.c, &wb, 1, &bytes, 0, &ov, routine);
        wb.len = sizeof(buf);
        tp_check(n == 0, "%s: WSASend with a routine completes at once (%d)", name, n ? WSAGetLastError() : 0);
        tp_check(routine_calls == 0, "%s: its routine still waits for an alertable wait", name);
        SleepEx(3000, TRUE);
        tp_check(routine_calls == 1 && routine_error == 0 && routine_bytes == 6, "%s: then runs: %lu bytes", name,
                 (unsigned long)routine_bytes);
        tp_knob("OPENWS2_TP_NIFS_APC_VIA_COMPLETE", NULL);
        n = recv(p2.a, buf, sizeof(buf), 0);
        tp_check(n == 6, "%s: the 6 bytes arrived (%d)", name, n);
    }
    else
    {
        /* An IFS socket is a real file: WriteFile on one end, recv on the other. */
        OVERLAPPED wov;
        memset(&wov, 0, sizeof(wov));
        wov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
        tp_check((WriteFile((HANDLE)p2.c, "xyz", 3, NULL, &wov) || GetLastError() == ERROR_IO_PENDING) &&
                     GetOverlappedResult((HANDLE)p2.c, &wov, &bytes, TRUE) && bytes == 3,
                 "%s: WriteFile on the socket handle", name);
        CloseHandle(wov.hEvent);
        n = recv(p2.a, buf, sizeof(buf), 0);
        tp_check(n == 3 && !memcmp(buf, "xyz", 3), "%s: recv gets what WriteFile wrote (%d)", name, n);
    }

done:
    tp_log_reset(which);
    if (p1.c != INVALID_SOCKET) tp_check(closesocket(p1.c) == 0, "%s: closesocket", name);
    if (p1.a != INVALID_SOCKET) closesocket(p1.a);
    if (p2.c != INVALID_SOCKET) closesocket(p2.c);
    if (p2.a != INVALID_SOCKET) closesocket(p2.a);
    tp_check(closesocket(lst) == 0, "%s: closesocket (listener)", name);
    log = tp_log_get(which);
    n = tp_log_count(log, "WSPCloseSocket");
    tp_check(n == 5, "%s: closesocket reached WSPCloseSocket five times (%d)", name, n);
    if (which == TP_NIFS)
        tp_check(tp_log_count(log, "WPUCloseSocketHandle") == 5, "%s: and the provider closed its handles", name);
    free(log);
    tp_check(closesocket(lst) == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK, "%s: closed socket: WSAENOTSOCK",
             name);
}

int main(void)
{
    WSADATA data;
    char *log;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (!tp_check(tp_install() == 0, "test providers installed in the catalog")) return 1;
    tp_pin(TP_IFS);
    tp_pin(TP_NIFS);
    tp_check(WSAStartup(MAKEWORD(2, 2), &data) == 0, "WSAStartup");
    run(TP_IFS, "IFS");
    run(TP_NIFS, "non-IFS");
    tp_log_reset(TP_IFS);
    tp_log_reset(TP_NIFS);
    tp_check(WSACleanup() == 0, "WSACleanup");
    log = tp_log_get(TP_IFS);
    tp_check(log && tp_log_count(log, "WSPCleanup -> 0") == 1, "IFS provider: WSPCleanup at the last WSACleanup");
    free(log);
    log = tp_log_get(TP_NIFS);
    tp_check(log && tp_log_count(log, "WSPCleanup -> 0") == 1, "non-IFS provider: WSPCleanup at the last WSACleanup");
    free(log);
    tp_uninstall();
    printf("%s: %d failure(s)\n", tp_failures ? "FAIL" : "PASS", tp_failures);
    return tp_failures ? 1 : 0;
}
