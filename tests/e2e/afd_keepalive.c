/* afd_keepalive.c - end-to-end test of the TCP keep-alive socket options (IPPROTO_TCP TCP_KEEPALIVE,
 * TCP_KEEPCNT, TCP_KEEPINTVL) through our ws2_32 and openws2afd on every Wine lane: where Wine's AFD
 * has their ioctls (Wine 10.0 on) they keep the values set, with Windows' size rules (DWORDs only, a
 * short get fails with WSAEFAULT and *optlen 0, TCP_KEEPCNT refuses values above 255: Wine's
 * conformance table recorded on Windows 10); on Wine 8.0, which lacks them, every call answers
 * WSAENOPROTOOPT, Windows' error for an option the stack does not know. The Wine version decides
 * which is expected. One line per check (tests/e2e/e2e_check.h); exit code 1 on any failure.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "e2e_check.h"
#include <stdlib.h>

#ifndef TCP_KEEPALIVE
# define TCP_KEEPALIVE 3  /* Windows SDK values (ws2ipdef.h) MinGW-w64 lacks */
#endif
#ifndef TCP_KEEPCNT
# define TCP_KEEPCNT 16
#endif
#ifndef TCP_KEEPINTVL
# define TCP_KEEPINTVL 17
#endif

static const struct { int optname; const char *name; BOOL max255; } opts[] =
{
    { TCP_KEEPALIVE, "TCP_KEEPALIVE", FALSE },
    { TCP_KEEPCNT, "TCP_KEEPCNT", TRUE },
    { TCP_KEEPINTVL, "TCP_KEEPINTVL", FALSE },
};

/* getsockopt into a DWORD; returns the WSA error (0 on success). */
static int get_opt(SOCKET s, int optname, DWORD *value, int *len)
{
    int ret = getsockopt(s, IPPROTO_TCP, optname, (char *)value, len);
    return ret ? WSAGetLastError() : 0;
}

static int set_opt(SOCKET s, int optname, const void *value, int len)
{
    int ret = setsockopt(s, IPPROTO_TCP, optname, (const char *)value, len);
    return ret ? WSAGetLastError() : 0;
}

static void test_supported(SOCKET s, int i)
{
    const char *name = opts[i].name;
    int optname = opts[i].optname, len, err;
    DWORD value, set;
    ULONGLONG wide;

    len = sizeof(value);
    value = 0xdeadbeef;
    err = get_opt(s, optname, &value, &len);
    CHECK(!err && len == 4 && value != 0xdeadbeef && value > 0, "%s: default read (error %d, len %d, value %lu)", name,
          err, len, (unsigned long)value);

    set = 5;
    err = set_opt(s, optname, &set, sizeof(set));
    len = sizeof(value);
    value = 0;
    if (!err) err = get_opt(s, optname, &value, &len);
    CHECK(!err && len == 4 && value == 5, "%s: set 5 reads back 5 (error %d, len %d, value %lu)", name, err, len,
          (unsigned long)value);

    wide = 0xffffffff00000007ULL;  /* an 8-byte option value: the low DWORD counts */
    err = set_opt(s, optname, &wide, sizeof(wide));
    wide = 0;
    len = sizeof(wide);
    if (!err) err = get_opt(s, optname, (DWORD *)&wide, &len);
    CHECK(!err && len == 4 && wide == 7, "%s: 8-byte set/get use one DWORD (error %d, len %d, value %#llx)", name, err,
          len, (unsigned long long)wide);

    set = 0x100;
    err = set_opt(s, optname, &set, sizeof(set));
    if (opts[i].max255)
        CHECK(err == WSAEINVAL, "%s: 256 -> WSAEINVAL (got %d)", name, err);
    else
    {
        len = sizeof(value);
        value = 0;
        if (!err) err = get_opt(s, optname, &value, &len);
        CHECK(!err && value == 0x100, "%s: 256 accepted and read back (error %d, value %lu)", name, err,
              (unsigned long)value);
    }

    set = 9;
    CHECK(set_opt(s, optname, &set, 2) == WSAEFAULT, "%s: 2-byte set -> WSAEFAULT", name);
    CHECK(set_opt(s, optname, &set, 1) == WSAEFAULT, "%s: 1-byte set -> WSAEFAULT", name);
    CHECK(set_opt(s, optname, &set, 0) == WSAEFAULT, "%s: 0-byte set -> WSAEFAULT", name);

    len = 2;
    value = 0xdeadbeef;
    err = get_opt(s, optname, &value, &len);
    CHECK(err == WSAEFAULT && len == 0 && value == 0xdeadbeef, "%s: 2-byte get -> WSAEFAULT, len 0, buffer untouched "
          "(error %d, len %d, value %#lx)", name, err, len, (unsigned long)value);
    len = 0;
    CHECK(get_opt(s, optname, &value, &len) == WSAEFAULT, "%s: 0-byte get -> WSAEFAULT", name);
}

static void test_unsupported(SOCKET s, int i)
{
    const char *name = opts[i].name;
    int len = sizeof(DWORD), err;
    DWORD value = 0xdeadbeef, set = 5;

    err = get_opt(s, opts[i].optname, &value, &len);
    CHECK(err == WSAENOPROTOOPT && value == 0xdeadbeef, "%s: get -> WSAENOPROTOOPT (got %d)", name, err);
    err = set_opt(s, opts[i].optname, &set, sizeof(set));
    CHECK(err == WSAENOPROTOOPT, "%s: set -> WSAENOPROTOOPT (got %d)", name, err);
}

int main(void)
{
    typedef const char *(CDECL *wine_get_version_fn)(void);
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    wine_get_version_fn get_version =
        ntdll ? (wine_get_version_fn)(void (*)(void))GetProcAddress(ntdll, "wine_get_version") : NULL;
    const char *version = get_version ? get_version() : "";
    int major = atoi(version), expect, af, i;
    WSADATA wsa;

    setvbuf(stdout, NULL, _IONBF, 0);
    /* Wine 10.0 appended the keep-alive ioctls; 8.0 lacks them; 9.x: either, but all three alike */
    expect = major >= 10 ? 1 : major == 8 ? 0 : -1;
    printf("Wine %s: keep-alive options expected %s\n", version,
           expect > 0 ? "to work" : expect == 0 ? "to answer WSAENOPROTOOPT" : "either way");
    CHECK(WSAStartup(MAKEWORD(2, 2), &wsa) == 0, "WSAStartup");

    for (af = AF_INET; af; af = af == AF_INET ? AF_INET6 : 0)
    {
        SOCKET s = socket(af, SOCK_STREAM, IPPROTO_TCP);
        int have;
        DWORD value;
        int len = sizeof(value);

        CHECK(s != INVALID_SOCKET, "%s TCP socket", af == AF_INET ? "IPv4" : "IPv6");
        if (s == INVALID_SOCKET) continue;
        have = get_opt(s, TCP_KEEPALIVE, &value, &len) != WSAENOPROTOOPT;
        if (expect >= 0) CHECK(have == expect, "keep-alive options %s as expected for Wine %s", have ? "present" : "absent",
                               version);
        for (i = 0; i < (int)OPENWS2_ARRAY_SIZE(opts); i++)
        {
            if (have) test_supported(s, i);
            else test_unsupported(s, i);
        }
        closesocket(s);
    }
    WSACleanup();
    return e2e_done("afd_keepalive");
}
