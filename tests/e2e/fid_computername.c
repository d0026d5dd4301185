/* fid_computername.c - run by fid_system32_wineboot.sh in a prefix where ws2_32 is ours prefix-wide
 * (install.sh --system), after a wineserver restart: GetComputerNameW works (wineboot, a Wine program,
 * wrote the computer name through our ws2_32's gethostname), and this program, an application, still
 * gets Windows' WSANOTINITIALISED from gethostname before WSAStartup, and the host name after it.
 * argv[1]: the host name the computer name must match (case-insensitively, at most 15 characters).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "wine_check.h"

int main(int argc, char **argv)
{
    WCHAR name[MAX_COMPUTERNAME_LENGTH + 1];
    char narrow[64] = "", host[256] = "";
    DWORD len = sizeof(name) / sizeof(name[0]);
    HMODULE ws2;
    WSADATA wsa;
    BOOL ok;
    int r;

    if (argc < 2) return 2;
    ws2 = GetModuleHandleA("ws2_32.dll");
    CHECK(ws2 && !wc_module_is_wine_builtin(ws2), "this program runs on openws2's ws2_32 from system32");
    SetLastError(0xdead);
    ok = GetComputerNameW(name, &len);
    if (ok) WideCharToMultiByte(CP_ACP, 0, name, -1, narrow, sizeof(narrow), NULL, NULL);
    CHECK(ok && len > 0, "GetComputerNameW -> '%s' (error %lu)", narrow, ok ? 0UL : GetLastError());
    CHECK(ok && !_strnicmp(narrow, argv[1], 15) && strlen(narrow) == (strlen(argv[1]) < 15 ? strlen(argv[1]) : 15),
          "the computer name is the host's name '%s'", argv[1]);

    WSASetLastError(0);
    r = gethostname(host, sizeof(host));
    CHECK(r == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED,
          "an application's gethostname before WSAStartup -> %d error %d (Windows: WSANOTINITIALISED)", r,
          WSAGetLastError());
    CHECK(WSAStartup(MAKEWORD(2, 2), &wsa) == 0, "WSAStartup");
    r = gethostname(host, sizeof(host));
    CHECK(r == 0 && !_stricmp(host, argv[1]), "gethostname after WSAStartup -> %d '%s'", r, host);
    WSACleanup();
    printf("%d checks, %d failures\n", e2e_checks, e2e_failures);
    return e2e_failures ? 1 : 0;
}
