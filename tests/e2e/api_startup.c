/* api_startup.c - end-to-end checks of ws2_32's startup code under Wine: WSAStartup's version
 * negotiation table and WSADATA contents, NULL WSADATA, nesting, WSANOTINITIALISED before the first
 * WSAStartup and after the last WSACleanup, per-thread error state and SO_OPENTYPE, the Winsock 1.1
 * pseudo-blocking exports under 2.2 and 1.1, WEP and WSApSetPostRoutine.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "api_check.h"
#include <mswsock.h>

#define BOGUS_SOCKET ((SOCKET)0xdead0)

static void check_not_initialised(const char *when)
{
    fd_set set;
    int v = 0, len = sizeof(v);

    printf("-- not initialised: %s\n", when);
    CHECK_FAIL(socket(AF_INET, SOCK_STREAM, 0), INVALID_SOCKET, WSANOTINITIALISED);
    CHECK_FAIL(WSASocketA(0, 0, 0, NULL, 0, 0), INVALID_SOCKET, WSANOTINITIALISED);
    CHECK_FAIL(closesocket(BOGUS_SOCKET), SOCKET_ERROR, WSANOTINITIALISED);
    CHECK_FAIL(send(BOGUS_SOCKET, "x", 1, 0), SOCKET_ERROR, WSANOTINITIALISED);
    FD_ZERO(&set);
    FD_SET(BOGUS_SOCKET, &set);
    CHECK_FAIL(select(0, &set, NULL, NULL, NULL), SOCKET_ERROR, WSANOTINITIALISED);
    CHECK_FAIL(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&v, &len), SOCKET_ERROR,
               WSANOTINITIALISED);
    {
        struct sockaddr_in sin;
        WSABUF buf = { 1, (char *)"x" };
        WSAPOLLFD pfd = { BOGUS_SOCKET, POLLIN, 0 };
        WSAPROTOCOL_INFOW pw;
        DWORD n = 0, flags = 0;
        u_long arg = 0;

        memset(&sin, 0, sizeof(sin));
        sin.sin_family = AF_INET;
        CHECK_FAIL(bind(BOGUS_SOCKET, (struct sockaddr *)&sin, sizeof(sin)), SOCKET_ERROR, WSANOTINITIALISED);
        CHECK_FAIL(connect(BOGUS_SOCKET, (struct sockaddr *)&sin, sizeof(sin)), SOCKET_ERROR, WSANOTINITIALISED);
        CHECK_FAIL(accept(BOGUS_SOCKET, NULL, NULL), INVALID_SOCKET, WSANOTINITIALISED);
        CHECK_FAIL(recv(BOGUS_SOCKET, (char *)&arg, 1, 0), SOCKET_ERROR, WSANOTINITIALISED);
        CHECK_FAIL(WSASend(BOGUS_SOCKET, &buf, 1, &n, 0, NULL, NULL), SOCKET_ERROR, WSANOTINITIALISED);
        CHECK_FAIL(WSARecv(BOGUS_SOCKET, &buf, 1, &n, &flags, NULL, NULL), SOCKET_ERROR, WSANOTINITIALISED);
        CHECK_FAIL(ioctlsocket(BOGUS_SOCKET, FIONBIO, &arg), SOCKET_ERROR, WSANOTINITIALISED);
        CHECK_FAIL(WSAIoctl(BOGUS_SOCKET, FIONBIO, &arg, sizeof(arg), NULL, 0, &n, NULL, NULL), SOCKET_ERROR,
                   WSANOTINITIALISED);
        CHECK_FAIL(getsockopt(BOGUS_SOCKET, SOL_SOCKET, SO_TYPE, (char *)&v, &len), SOCKET_ERROR, WSANOTINITIALISED);
        CHECK_FAIL(WSAPoll(&pfd, 1, 0), SOCKET_ERROR, WSANOTINITIALISED);
        CHECK_FAIL(WSAEventSelect(BOGUS_SOCKET, NULL, 0), SOCKET_ERROR, WSANOTINITIALISED);
        CHECK_FAIL(WSADuplicateSocketW(BOGUS_SOCKET, GetCurrentProcessId(), &pw), SOCKET_ERROR, WSANOTINITIALISED);
        CHECK_FAIL(shutdown(BOGUS_SOCKET, SD_BOTH), SOCKET_ERROR, WSANOTINITIALISED);
    }
    CHECK_FAIL(WSACleanup(), SOCKET_ERROR, WSANOTINITIALISED);
}

struct version_case
{
    WORD requested, expected;
    int ret;
    unsigned short max_sockets, max_udp;
};

static const struct version_case versions[] = {
    { MAKEWORD(0, 0), MAKEWORD(2, 2), WSAVERNOTSUPPORTED, 0, 0 },
    { MAKEWORD(0, 1), MAKEWORD(2, 2), WSAVERNOTSUPPORTED, 0, 0 },
    { MAKEWORD(0, 9), MAKEWORD(2, 2), WSAVERNOTSUPPORTED, 0, 0 },
    { MAKEWORD(1, 0), MAKEWORD(1, 0), 0, 32767, 65467 },
    { MAKEWORD(1, 1), MAKEWORD(1, 1), 0, 32767, 65467 },
    { MAKEWORD(1, 2), MAKEWORD(1, 1), 0, 32767, 65467 },
    { MAKEWORD(1, 0xff), MAKEWORD(1, 1), 0, 32767, 65467 },
    { MAKEWORD(2, 0), MAKEWORD(2, 0), 0, 0, 0 },
    { MAKEWORD(2, 1), MAKEWORD(2, 1), 0, 0, 0 },
    { MAKEWORD(2, 2), MAKEWORD(2, 2), 0, 0, 0 },
    { MAKEWORD(2, 3), MAKEWORD(2, 2), 0, 0, 0 },
    { MAKEWORD(2, 0xff), MAKEWORD(2, 2), 0, 0, 0 },
    { MAKEWORD(3, 0), MAKEWORD(2, 2), 0, 0, 0 },
    { MAKEWORD(0xff, 0xff), MAKEWORD(2, 2), 0, 0, 0 },
};

static void check_versions(void)
{
    size_t i;

    printf("-- version negotiation\n");
    for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
    {
        const struct version_case *c = &versions[i];
        WSADATA d;
        int ret;

        memset(&d, 0xcc, sizeof(d));
        d.lpVendorInfo = (char *)(uintptr_t)0xdeadbeef;
        ret = WSAStartup(c->requested, &d);
        CHECK(ret == c->ret, "WSAStartup(%#x) -> %d (expected %d)", c->requested, ret, c->ret);
        CHECK(d.wVersion == c->expected && d.wHighVersion == MAKEWORD(2, 2),
              "WSAStartup(%#x): wVersion %#x wHighVersion %#x (expected %#x, 0x202)", c->requested, d.wVersion,
              d.wHighVersion, c->expected);
        CHECK(!strcmp(d.szDescription, "WinSock 2.0") && !strcmp(d.szSystemStatus, "Running"),
              "WSAStartup(%#x): description '%.20s' status '%.20s'", c->requested, d.szDescription,
              d.szSystemStatus);
        CHECK(d.iMaxSockets == c->max_sockets && d.iMaxUdpDg == c->max_udp,
              "WSAStartup(%#x): iMaxSockets %u iMaxUdpDg %u (expected %u %u)", c->requested, d.iMaxSockets,
              d.iMaxUdpDg, c->max_sockets, c->max_udp);
        CHECK(d.lpVendorInfo == (char *)(uintptr_t)0xdeadbeef, "WSAStartup(%#x): lpVendorInfo untouched (%p)",
              c->requested, (void *)d.lpVendorInfo);
        if (ret == 0)
        {
            CHECK(WSACleanup() == 0, "WSACleanup after WSAStartup(%#x)", c->requested);
        }
        /* a refused startup is not counted */
        CHECK_FAIL(WSACleanup(), SOCKET_ERROR, WSANOTINITIALISED);
    }

    printf("-- NULL WSADATA\n");
    CHECK(WSAStartup(MAKEWORD(2, 2), NULL) == WSAEFAULT, "WSAStartup(2.2, NULL) -> WSAEFAULT");
    CHECK(WSAStartup(MAKEWORD(0, 0), NULL) == WSAVERNOTSUPPORTED, "WSAStartup(0.0, NULL) -> WSAVERNOTSUPPORTED");
    CHECK_FAIL(WSACleanup(), SOCKET_ERROR, WSANOTINITIALISED);
}

static void check_nesting(void)
{
    WSADATA d;
    int i;

    printf("-- nesting\n");
    for (i = 0; i < 3; i++) CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "nested WSAStartup %d", i + 1);
    for (i = 0; i < 3; i++)
    {
        CHECK(WSACleanup() == 0, "nested WSACleanup %d", i + 1);
        if (i < 2) /* still started: a bad socket is WSAENOTSOCK, not WSANOTINITIALISED */
            CHECK_FAIL(closesocket(BOGUS_SOCKET), SOCKET_ERROR, WSAENOTSOCK);
    }
    check_not_initialised("after the last WSACleanup");
}

static DWORD WINAPI error_thread(void *arg)
{
    int *out = arg;
    WSASetLastError(5678);
    Sleep(50);
    out[0] = WSAGetLastError();
    out[1] = (int)GetLastError();
    return 0;
}

static DWORD WINAPI opentype_thread(void *arg)
{
    int *out = arg, v = -1, len = sizeof(v);
    out[0] = getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&v, &len);
    out[1] = v;
    return 0;
}

static void check_thread_state(void)
{
    int res[2] = { 0, 0 }, v, len;
    HANDLE t;

    printf("-- per-thread error state\n");
    t = CreateThread(NULL, 0, error_thread, res, 0, NULL);
    WSASetLastError(1234);
    WaitForSingleObject(t, INFINITE);
    CHECK(WSAGetLastError() == 1234 && GetLastError() == 1234, "main thread keeps its error 1234 (got %d)",
          WSAGetLastError());
    CloseHandle(t);
    CHECK(res[0] == 5678 && res[1] == 5678, "other thread sees its own error 5678 (got %d / %d)", res[0], res[1]);
    SetLastError(4321);
    CHECK(WSAGetLastError() == 4321, "WSAGetLastError is the Win32 last error");

    printf("-- SO_OPENTYPE is per thread\n");
    v = -1;
    len = sizeof(v);
    CHECK(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&v, &len) == 0 && v == 0 && len == sizeof(int),
          "default SO_OPENTYPE is 0 (got %d len %d)", v, len);
    v = SO_SYNCHRONOUS_NONALERT;
    CHECK(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&v, sizeof(v)) == 0, "set SO_OPENTYPE");
    v = -1;
    len = sizeof(v);
    CHECK(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&v, &len) == 0 && v == SO_SYNCHRONOUS_NONALERT,
          "SO_OPENTYPE reads back %#x", v);
    t = CreateThread(NULL, 0, opentype_thread, res, 0, NULL);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    CHECK(res[0] == 0 && res[1] == 0, "another thread still has SO_OPENTYPE 0 (ret %d value %d)", res[0], res[1]);
    len = 2;
    CHECK_FAIL(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&v, &len), SOCKET_ERROR, WSAEFAULT);
    CHECK_FAIL(getsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, NULL, &len), SOCKET_ERROR, WSAEFAULT);
    CHECK_FAIL(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&v, 2), SOCKET_ERROR, WSAEFAULT);
    CHECK_FAIL(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, NULL, sizeof(int)), SOCKET_ERROR, WSAEFAULT);
    v = 0;
    CHECK(setsockopt(INVALID_SOCKET, SOL_SOCKET, SO_OPENTYPE, (char *)&v, sizeof(v)) == 0, "reset SO_OPENTYPE");
}

static BOOL CALLBACK my_hook(void)
{
    return FALSE;
}

static void check_blocking_hooks(void)
{
    WSADATA d;
    FARPROC prev, prev2;

    printf("-- blocking hooks under Winsock 2.2\n");
    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup 2.2");
    CHECK_FAIL(WSASetBlockingHook((FARPROC)(void *)my_hook), NULL, WSAEOPNOTSUPP);
    CHECK_FAIL(WSAUnhookBlockingHook(), SOCKET_ERROR, WSAEOPNOTSUPP);
    CHECK_FAIL(WSACancelBlockingCall(), SOCKET_ERROR, WSAEOPNOTSUPP);
    CHECK(!WSAIsBlocking(), "WSAIsBlocking is FALSE");
    CHECK(WSACleanup() == 0, "WSACleanup");

    printf("-- blocking hooks under Winsock 1.1\n");
    CHECK(WSAStartup(MAKEWORD(1, 1), &d) == 0 && d.wVersion == MAKEWORD(1, 1), "WSAStartup 1.1");
    CHECK_FAIL(WSASetBlockingHook(NULL), NULL, WSAEFAULT);
    prev = WSASetBlockingHook((FARPROC)(void *)my_hook);
    CHECK(prev != NULL && prev != (FARPROC)(void *)my_hook, "first WSASetBlockingHook returns the default hook %p",
          (void *)(uintptr_t)prev);
    prev2 = WSASetBlockingHook((FARPROC)(void *)my_hook);
    CHECK(prev2 == (FARPROC)(void *)my_hook, "second WSASetBlockingHook returns ours");
    CHECK(WSAUnhookBlockingHook() == 0, "WSAUnhookBlockingHook");
    prev2 = WSASetBlockingHook((FARPROC)(void *)my_hook);
    CHECK(prev2 == prev, "after unhooking the default hook is back");
    CHECK(WSAUnhookBlockingHook() == 0, "WSAUnhookBlockingHook again");
    CHECK_FAIL(WSACancelBlockingCall(), SOCKET_ERROR, WSAEINVAL);
    CHECK(!WSAIsBlocking(), "WSAIsBlocking is FALSE");
    CHECK(WSACleanup() == 0, "WSACleanup");
    CHECK_FAIL(WSASetBlockingHook((FARPROC)(void *)my_hook), NULL, WSANOTINITIALISED);
}

static volatile LONG startup_errors;

static DWORD WINAPI startup_thread(void *arg)
{
    int i;
    (void)arg;
    for (i = 0; i < 200; i++)
    {
        WSADATA d;
        if (WSAStartup(MAKEWORD(2, 2), &d) != 0) InterlockedIncrement(&startup_errors);
        if (closesocket((SOCKET)0xdead0) != SOCKET_ERROR || WSAGetLastError() != WSAENOTSOCK)
            InterlockedIncrement(&startup_errors);
        if (WSACleanup() != 0) InterlockedIncrement(&startup_errors);
    }
    return 0;
}

static void check_concurrent_startup(void)
{
    HANDLE threads[8];
    WSADATA d;
    int i;

    printf("-- concurrent WSAStartup/WSACleanup\n");
    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup (held by the main thread)");
    for (i = 0; i < 8; i++) threads[i] = CreateThread(NULL, 0, startup_thread, NULL, 0, NULL);
    CHECK(WaitForMultipleObjects(8, threads, TRUE, 60000) == WAIT_OBJECT_0, "8 threads x 200 startup/cleanup pairs");
    for (i = 0; i < 8; i++) CloseHandle(threads[i]);
    CHECK(startup_errors == 0, "no call failed while started (%ld failures)", (long)startup_errors);
    CHECK(WSACleanup() == 0, "main thread's WSACleanup is the last one");
    CHECK_FAIL(WSACleanup(), SOCKET_ERROR, WSANOTINITIALISED);
}

static void check_misc_exports(void)
{
    HMODULE ws2 = GetModuleHandleA("ws2_32.dll");
    int (WINAPI *pWEP)(int) = (void *)GetProcAddress(ws2, "WEP");
    int (WINAPI *pPost)(void *) = (void *)GetProcAddress(ws2, "WSApSetPostRoutine");

    printf("-- WEP, WSApSetPostRoutine\n");
    CHECK(pWEP && pWEP(0) == 1, "WEP(0) -> 1");
    CHECK(pPost && pPost((void *)PostMessageA) == 0, "WSApSetPostRoutine(PostMessageA) -> 0");
}

int main(void)
{
    WSADATA d;

    check_not_initialised("before the first WSAStartup");
    check_versions();
    check_nesting();
    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup for the thread checks");
    check_thread_state();
    CHECK(WSACleanup() == 0, "WSACleanup");
    check_blocking_hooks();
    check_concurrent_startup();
    check_misc_exports();
    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup works again after full cleanup");
    CHECK(WSACleanup() == 0, "final WSACleanup");
    return api_done("api_startup");
}
