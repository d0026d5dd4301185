/* ws2_probe.c - which ws2_32 a program of this build gets: run by the wineprefix fixture
 * (tests/wine/prefix-setup.sh) from the e2e directory before any e2e test, so that a program that
 * silently got Wine's builtin ws2_32 (e.g. a 32-bit program beside an x86_64 ws2_32.dll, which Wine
 * skips) fails the whole suite instead of testing the builtin. Checks: the loaded ws2_32.dll is
 * openws2's, a TCP socket's SO_PROTOCOL_INFOW names a catalog entry whose provider DLL
 * (WSCGetProviderPath) is openws2afd.dll, and that DLL is loaded in this process.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "wine_check.h"
#include <ws2spi.h>

int main(void)
{
    WSADATA wsa;
    WSAPROTOCOL_INFOW info;
    WCHAR path[MAX_PATH] = L"";
    int len = sizeof(info), plen = MAX_PATH, err = 0, r;
    SOCKET s;

    setvbuf(stdout, NULL, _IONBF, 0);
    printf("ws2_probe: a %u-bit program\n", (unsigned)(sizeof(void *) * 8));
    wc_check_ws2_is_ours();
    r = WSAStartup(MAKEWORD(2, 2), &wsa);
    CHECK(r == 0, "WSAStartup -> %d", r);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s != INVALID_SOCKET, "socket(AF_INET, SOCK_STREAM) (error %d)", s == INVALID_SOCKET ? WSAGetLastError() : 0);
    memset(&info, 0, sizeof(info));
    r = getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len);
    CHECK(r == 0, "SO_PROTOCOL_INFOW -> %d (error %d), catalog entry %lu", r, r ? WSAGetLastError() : 0,
          (unsigned long)info.dwCatalogEntryId);
    r = WSCGetProviderPath(&info.ProviderId, path, &plen, &err);
    CHECK(r == 0 && wcsstr(path, L"openws2afd.dll"), "its provider DLL: %ls (error %d)", r ? L"?" : path, err);
    CHECK(GetModuleHandleA("openws2afd.dll") != NULL, "openws2afd.dll is loaded");
    closesocket(s);
    WSACleanup();
    return wc_summary("ws2_probe");
}
