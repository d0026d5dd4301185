/* fid_startup.c - WSAStartup writes only what Windows writes (the strings up to their terminators,
 * never lpVendorInfo), and a later WSAStartup(1.1) in a process started at 2.2 makes the Winsock 1.1
 * pseudo-blocking calls work again, as on Windows (the process runs at its lowest version).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "e2e_check.h"

static BOOL CALLBACK my_hook(void)
{
    return FALSE;
}

static void check_data(WORD version, int expected)
{
    WSADATA d;
    size_t dl = strlen("WinSock 2.0"), sl = strlen("Running"), i;
    int ret, tail_ok = 1;

    memset(&d, 0xcc, sizeof(d));
    d.lpVendorInfo = (char *)(uintptr_t)0xdeadbeef;
    ret = WSAStartup(version, &d);
    CHECK(ret == expected, "WSAStartup(%#x) -> %d (expected %d)", version, ret, expected);
    CHECK(!strcmp(d.szDescription, "WinSock 2.0") && !strcmp(d.szSystemStatus, "Running"),
          "WSAStartup(%#x): description and status", version);
    for (i = dl + 1; i < sizeof(d.szDescription); i++)
        if ((unsigned char)d.szDescription[i] != 0xcc) tail_ok = 0;
    for (i = sl + 1; i < sizeof(d.szSystemStatus); i++)
        if ((unsigned char)d.szSystemStatus[i] != 0xcc) tail_ok = 0;
    CHECK(tail_ok, "WSAStartup(%#x): the bytes after the strings' terminators are left alone", version);
    CHECK(d.lpVendorInfo == (char *)(uintptr_t)0xdeadbeef, "WSAStartup(%#x): lpVendorInfo untouched (%p)", version,
          (void *)d.lpVendorInfo);
    if (!ret) WSACleanup();
}

int main(void)
{
    WSADATA d;
    FARPROC prev;

    check_data(MAKEWORD(2, 2), 0);
    check_data(MAKEWORD(2, 0), 0);
    check_data(MAKEWORD(1, 1), 0);
    check_data(MAKEWORD(0, 0), WSAVERNOTSUPPORTED);

    printf("-- a WSAStartup(1.1) after a WSAStartup(2.2)\n");
    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup(2.2)");
    CHECK_FAIL(WSASetBlockingHook((FARPROC)(void *)my_hook), NULL, WSAEOPNOTSUPP);
    CHECK(WSAStartup(MAKEWORD(1, 1), &d) == 0 && d.wVersion == MAKEWORD(1, 1), "WSAStartup(1.1) -> 1.1");
    WSASetLastError(0xdead);
    prev = WSASetBlockingHook((FARPROC)(void *)my_hook);
    CHECK(prev != NULL && prev != (FARPROC)(void *)my_hook,
          "WSASetBlockingHook works after the 1.1 startup and returns the default hook %p (error %d)",
          (void *)(uintptr_t)prev, WSAGetLastError());
    CHECK(WSAUnhookBlockingHook() == 0, "WSAUnhookBlockingHook (error %d)", WSAGetLastError());
    CHECK_FAIL(WSACancelBlockingCall(), SOCKET_ERROR, WSAEINVAL);
    CHECK(!WSAIsBlocking(), "WSAIsBlocking is FALSE");
    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0 && d.wVersion == MAKEWORD(2, 2), "another WSAStartup(2.2) -> 2.2");
    CHECK(WSASetBlockingHook((FARPROC)(void *)my_hook) == prev, "a later 2.2 startup does not raise the version");
    CHECK(WSACleanup() == 0 && WSACleanup() == 0 && WSACleanup() == 0, "three WSACleanup");
    printf("-- a new start at 2.2 after the last cleanup\n");
    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup(2.2)");
    CHECK_FAIL(WSASetBlockingHook((FARPROC)(void *)my_hook), NULL, WSAEOPNOTSUPP);
    CHECK_FAIL(WSAUnhookBlockingHook(), SOCKET_ERROR, WSAEOPNOTSUPP);
    WSACleanup();
    return e2e_done("fid_startup");
}
