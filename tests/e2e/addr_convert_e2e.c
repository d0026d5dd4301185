/* addr_convert_e2e.c - end-to-end checks of openws2's address conversion and byte-order exports
 * under Wine: inet_addr, inet_ntoa (per-thread buffer), inet_pton, InetPtonW, inet_ntop, InetNtopW,
 * WSAAddressToStringA/W, WSAStringToAddressA/W, htonl & co and WSAHtonl & co, with Windows'
 * documented and observed results and error codes. One line per check; exit code 1 on failure.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "e2e_check.h"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>


static void widen(const char *s, WCHAR *w, size_t n)
{
    size_t i;
    for (i = 0; i + 1 < n && s[i]; i++) w[i] = (unsigned char)s[i];
    w[i] = 0;
}

static void test_before_startup(void)
{
    SOCKADDR_IN sin;
    INT len = sizeof(sin);
    u_long out;
    char buf[32];
    DWORD blen = sizeof(buf);

    WSASetLastError(0);
    e2e_check(WSAStringToAddressA((char *)"1.2.3.4", AF_INET, NULL, (SOCKADDR *)&sin, &len) == SOCKET_ERROR
          && WSAGetLastError() == WSANOTINITIALISED, "WSAStringToAddressA before WSAStartup: WSANOTINITIALISED (%d)",
          WSAGetLastError());
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    e2e_check(WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), NULL, buf, &blen) == SOCKET_ERROR
          && WSAGetLastError() == WSANOTINITIALISED, "WSAAddressToStringA before WSAStartup: WSANOTINITIALISED");
    e2e_check(WSAHtonl(0, 1, &out) == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED,
          "WSAHtonl before WSAStartup: WSANOTINITIALISED");
    /* the pure conversions work without WSAStartup */
    e2e_check(inet_addr("1.2.3.4") == htonl(0x01020304), "inet_addr before WSAStartup");
    e2e_check(htons(0x1234) == 0x3412 && ntohl(0x12345678) == 0x78563412, "htons/ntohl before WSAStartup");
}

struct inet_addr_case { const char *in; ULONG out; };

static void test_inet_addr(void)
{
    static const struct inet_addr_case cases[] =
    {
        { "1.2.3.4", 0x04030201 }, { "1 2 3 4", 0x01000000 }, { "1.2.3. 4", 0xffffffff },
        { "1.2.3 .4", 0x03000201 }, { "3.4.5.6.7", 0xffffffff }, { "3.4.5.6  7", 0x06050403 },
        { " 3.4.5.6", 0xffffffff }, { "3.4.5.6 ", 0x06050403 }, { "1.2.3", 0x03000201 },
        { "", 0xffffffff }, { " ", 0x00000000 }, { "  ", 0xffffffff }, { "\t", 0xffffffff },
        { "0xa1a2b3b4 ", 0xb4b3a2a1 }, { "127.127.127.255:123", 0xffffffff },
        { "1.2.3.0xaA", 0xaa030201 }, { "1.2.3.010", 0x08030201 }, { "1.2.3.0a", 0xffffffff },
        { "1", 0x01000000 }, { "1.2", 0x02000001 }, { "203569230", 0x4e38220c },
        { "0x00010203", 0x03020100 }, { "1234BEEF", 0xffffffff }, { "017700000001", 0x0100007f },
        { "0777", 0xff010000 }, { "::1", 0xffffffff }, { "255.255.255.255", 0xffffffff },
        { "255.255.255.256", 0xffffffff }, { "0.0.0.0", 0 },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    {
        ULONG r;
        WSASetLastError(0xdead);
        r = inet_addr(cases[i].in);
        e2e_check(r == cases[i].out && WSAGetLastError() == 0xdead, "inet_addr(\"%s\") = %#lx (expected %#lx)",
              cases[i].in, r, cases[i].out);
    }
    WSASetLastError(0);
    e2e_check(inet_addr(NULL) == INADDR_NONE && WSAGetLastError() == WSAEFAULT, "inet_addr(NULL): INADDR_NONE, WSAEFAULT");
}

static DWORD WINAPI ntoa_thread(void *arg)
{
    struct in_addr a;
    char *s;
    (void)arg;
    a.s_addr = htonl(0x04030201);
    s = inet_ntoa(a);
    return s && !strcmp(s, "4.3.2.1") ? 0 : 1;
}

static void test_inet_ntoa(void)
{
    struct in_addr a;
    char *s, *s2;
    HANDLE t;
    DWORD code = 1;

    a.s_addr = htonl(0x01020304);
    s = inet_ntoa(a);
    e2e_check(s && !strcmp(s, "1.2.3.4"), "inet_ntoa(1.2.3.4) = %s", s ? s : "NULL");
    t = CreateThread(NULL, 0, ntoa_thread, NULL, 0, NULL);
    WaitForSingleObject(t, 5000);
    GetExitCodeThread(t, &code);
    CloseHandle(t);
    e2e_check(code == 0, "inet_ntoa in another thread");
    e2e_check(s && !strcmp(s, "1.2.3.4"), "inet_ntoa buffer is per thread (still %s)", s ? s : "NULL");
    a.s_addr = 0xffffffff;
    s2 = inet_ntoa(a);
    e2e_check(s2 == s && !strcmp(s2, "255.255.255.255"), "inet_ntoa reuses the thread's buffer");
}

static void test_pton(void)
{
    static const struct { const char *in; int ret; } v4[] =
    {
        { "1.1.1.1", 1 }, { "0.0.0.0", 1 }, { "255.255.255.255", 1 }, { "", 0 }, { " ", 0 },
        { "1.1.1.0xaA", 0 }, { "1.1.1.010", 0 }, { "1", 0 }, { "1.2.3", 0 }, { "3.4.5.6 ", 0 },
        { "127.127.127.256", 0 }, { "::1", 0 }, { "0777", 0 },
    };
    static const struct { const char *in; int ret; } v6[] =
    {
        { "::", 1 }, { "::1", 1 }, { "0:0:0:0:0:0:0::", 1 }, { "1111:2222:3333:4444:5555:6666:123.123.123.123", 1 },
        { "1111:2222:3333:4444:5555:6666::7777:8888", 0 }, { "1::001.2.3.4", 1 }, { "1::0001.2.3.4", 0 },
        { "02001:0000:1234:0000:0000:C1C0:ABCD:0876", 0 }, { "[::]", 0 }, { "1.2.3.4", 0 }, { "::1%1", 0 },
        { "2001:db8:85a3::8a2e:370:7334", 1 }, { "1::2::3", 0 },
    };
    BYTE buf[16];
    WCHAR w[64];
    size_t i;
    int r;

    WSASetLastError(0);
    e2e_check(inet_pton(AF_UNSPEC, NULL, buf) == -1 && WSAGetLastError() == WSAEFAULT, "inet_pton(NULL): -1 WSAEFAULT");
    WSASetLastError(0);
    e2e_check(InetPtonW(AF_INET, NULL, buf) == -1 && WSAGetLastError() == WSAEFAULT, "InetPtonW(NULL): -1 WSAEFAULT");
    WSASetLastError(0);
    e2e_check(inet_pton(AF_UNSPEC, "127.0.0.1", buf) == -1 && WSAGetLastError() == WSAEAFNOSUPPORT,
          "inet_pton(AF_UNSPEC): -1 WSAEAFNOSUPPORT");
    WSASetLastError(0);
    e2e_check(inet_pton(AF_INET, "1.2.3.4", NULL) == -1 && WSAGetLastError() == WSAEFAULT, "inet_pton(NULL buffer): -1 WSAEFAULT");
    for (i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
    {
        DWORD addr = 0xdeadbeef;
        WSASetLastError(0xbeef);
        r = inet_pton(AF_INET, v4[i].in, &addr);
        e2e_check(r == v4[i].ret && WSAGetLastError() == 0xbeef, "inet_pton(AF_INET, \"%s\") = %d", v4[i].in, r);
        widen(v4[i].in, w, 64);
        WSASetLastError(0xbeef);
        r = InetPtonW(AF_INET, w, &addr);
        e2e_check(r == v4[i].ret && WSAGetLastError() == (r ? 0xbeef : WSAEINVAL), "InetPtonW(AF_INET, \"%s\") = %d error %d",
              v4[i].in, r, WSAGetLastError());
    }
    for (i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
    {
        WSASetLastError(0xbeef);
        r = inet_pton(AF_INET6, v6[i].in, buf);
        e2e_check(r == v6[i].ret && WSAGetLastError() == 0xbeef, "inet_pton(AF_INET6, \"%s\") = %d", v6[i].in, r);
        widen(v6[i].in, w, 64);
        r = InetPtonW(AF_INET6, w, buf);
        e2e_check(r == v6[i].ret, "InetPtonW(AF_INET6, \"%s\") = %d", v6[i].in, r);
    }
    r = inet_pton(AF_INET6, "2001:db8::1", buf);
    e2e_check(r == 1 && buf[0] == 0x20 && buf[1] == 0x01 && buf[2] == 0x0d && buf[3] == 0xb8 && buf[15] == 1,
          "inet_pton(AF_INET6) writes network order");
    w[0] = '1'; w[1] = 0x2e2e; w[2] = '1'; w[3] = 0;
    e2e_check(InetPtonW(AF_INET, w, buf) == 0 && WSAGetLastError() == WSAEINVAL, "InetPtonW with a non-ASCII character: 0 WSAEINVAL");
}

static void test_ntop(void)
{
    static const struct { BYTE a[16]; const char *out; } v6[] =
    {
        { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0xcc, 0x98, 0xbd, 0x74 }, "::fffe:cc98:bd74" },
        { { 0x20, 0x30, 0xa4, 0xb1 }, "2030:a4b1::" },
        { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xcc, 0x98, 0xbd, 0x74 }, "::204.152.189.116" },
        { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4 }, "::ffff:1.2.3.4" },
        { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, "::1" },
        { { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0x5e, 0xfe, 10, 0, 0, 1 }, "fe80::5efe:10.0.0.1" },
        { { 0x20, 0x01, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 0xc1, 0xc0, 0xab, 0xcd, 0x08, 0x76 }, "2001:0:1234::c1c0:abcd:876" },
    };
    struct in_addr in;
    char buf[64];
    WCHAR wbuf[64], expect[64];
    const char *p;
    const WCHAR *wp;
    size_t i;

    in.s_addr = 0x20201015;
    p = inet_ntop(AF_INET, &in, buf, sizeof(buf));
    e2e_check(p == buf && !strcmp(buf, "21.16.32.32"), "inet_ntop(AF_INET) = %s", p ? p : "NULL");
    WSASetLastError(0);
    e2e_check(!inet_ntop(1, &in, buf, sizeof(buf)) && WSAGetLastError() == WSAEAFNOSUPPORT, "inet_ntop(family 1): WSAEAFNOSUPPORT");
    WSASetLastError(0);
    e2e_check(!inet_ntop(AF_INET, &in, NULL, sizeof(buf)) && WSAGetLastError() == (int)0xC000000D,
          "inet_ntop(NULL buffer): STATUS_INVALID_PARAMETER as Windows 10 (%#x)", WSAGetLastError());
    WSASetLastError(0);
    e2e_check(!inet_ntop(AF_INET, &in, buf, 0) && WSAGetLastError() == (int)0xC000000D, "inet_ntop(size 0): STATUS_INVALID_PARAMETER");
    WSASetLastError(0);
    e2e_check(!inet_ntop(AF_INET, &in, buf, 11) && WSAGetLastError() == (int)0xC000000D,
          "inet_ntop(size = strlen): STATUS_INVALID_PARAMETER");
    e2e_check(inet_ntop(AF_INET, &in, buf, 12) == buf, "inet_ntop(size = strlen + 1) succeeds");
    for (i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
    {
        p = inet_ntop(AF_INET6, v6[i].a, buf, sizeof(buf));
        e2e_check(p && !strcmp(p, v6[i].out), "inet_ntop(AF_INET6) = %s (expected %s)", p ? p : "NULL", v6[i].out);
        widen(v6[i].out, expect, 64);
        wp = InetNtopW(AF_INET6, v6[i].a, wbuf, 64);
        e2e_check(wp == wbuf && !wcscmp(wbuf, expect), "InetNtopW(AF_INET6) %s", v6[i].out);
        WSASetLastError(0);
        e2e_check(!InetNtopW(AF_INET6, v6[i].a, wbuf, strlen(v6[i].out)) && WSAGetLastError() == (int)0xC000000D,
              "InetNtopW short buffer: STATUS_INVALID_PARAMETER");
    }
}

static void test_address_to_string(void)
{
    SOCKADDR_IN sin;
    SOCKADDR_IN6 sin6;
    char out[80];
    WCHAR wout[80];
    DWORD len;
    static const BYTE v6addr[16] = { 0x20, 0xab, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x01 };

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    len = 0;
    WSASetLastError(0);
    e2e_check(WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), NULL, out, &len) == SOCKET_ERROR
          && WSAGetLastError() == WSAEFAULT && len == 8, "WSAAddressToStringA short buffer: WSAEFAULT, len %lu", len);
    len = 0;
    e2e_check(WSAAddressToStringW((SOCKADDR *)&sin, sizeof(sin), NULL, NULL, &len) == SOCKET_ERROR
          && WSAGetLastError() == WSAEFAULT && len == 8, "WSAAddressToStringW NULL buffer: WSAEFAULT, len %lu", len);
    len = 80;
    e2e_check(WSAAddressToStringW((SOCKADDR *)&sin, sizeof(sin), NULL, wout, &len) == 0 && len == 8
          && !wcscmp(wout, L"0.0.0.0"), "WSAAddressToStringW 0.0.0.0");
    sin.sin_addr.s_addr = 0xffffffff;
    sin.sin_port = 0xffff;
    len = 80;
    e2e_check(WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), NULL, out, &len) == 0 && len == 22
          && !strcmp(out, "255.255.255.255:65535"), "WSAAddressToStringA = %s", out);
    len = 22;
    e2e_check(WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), NULL, out, &len) == 0, "exact-size buffer");
    len = 21;
    e2e_check(WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), NULL, out, &len) == SOCKET_ERROR && len == 22,
          "one byte short: WSAEFAULT with the length");
    len = 80;
    WSASetLastError(0);
    e2e_check(WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin) - 1, NULL, out, &len) == SOCKET_ERROR
          && WSAGetLastError() == WSAEINVAL, "WSAAddressToStringA short sockaddr: WSAEINVAL");
    e2e_check(WSAAddressToStringA(NULL, sizeof(sin), NULL, out, &len) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
          "WSAAddressToStringA(NULL): WSAEINVAL");
    e2e_check(WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), NULL, out, NULL) == SOCKET_ERROR
          && WSAGetLastError() == WSAEINVAL, "WSAAddressToStringA(NULL length): WSAEINVAL");

    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    memcpy(&sin6.sin6_addr, v6addr, 16);
    sin6.sin6_flowinfo = 0x12345;
    len = 80;
    e2e_check(WSAAddressToStringA((SOCKADDR *)&sin6, sizeof(sin6), NULL, out, &len) == 0 && !strcmp(out, "20ab::2001")
          && len == 11, "IPv6 = %s (flowinfo ignored)", out);
    sin6.sin6_port = htons(33274);
    len = 80;
    e2e_check(WSAAddressToStringA((SOCKADDR *)&sin6, sizeof(sin6), NULL, out, &len) == 0
          && !strcmp(out, "[20ab::2001]:33274"), "IPv6 with port = %s", out);
    sin6.sin6_scope_id = 0x1234;
    len = 80;
    e2e_check(WSAAddressToStringA((SOCKADDR *)&sin6, sizeof(sin6), NULL, out, &len) == 0
          && !strcmp(out, "[20ab::2001%4660]:33274"), "IPv6 with scope and port = %s", out);
    sin6.sin6_port = 0;
    len = 80;
    e2e_check(WSAAddressToStringW((SOCKADDR *)&sin6, sizeof(sin6), NULL, wout, &len) == 0
          && !wcscmp(wout, L"20ab::2001%4660") && len == 16, "WSAAddressToStringW IPv6 with scope");
    len = 80;
    e2e_check(WSAAddressToStringA((SOCKADDR *)&sin6, 20, NULL, out, &len) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
          "IPv6 sockaddr of 20 bytes: WSAEINVAL");
}

struct s2a_case { const char *in; ULONG addr; USHORT port; int error; };

static void test_string_to_address(void)
{
    static const struct s2a_case v4[] =
    {
        { "", 0, 0, WSAEINVAL }, { " ", 0, 0, WSAEINVAL }, { "1.1.1.1", 0x01010101, 0, 0 },
        { "127.127.127.127:", 0x7f7f7f7f, 0, WSAEINVAL }, { "127.127.127.127:0", 0x7f7f7f7f, 0, WSAEINVAL },
        { "127.127.127.127:123", 0x7f7f7f7f, 123, 0 }, { "127.127.127.127:65537", 0x7f7f7f7f, 0, WSAEINVAL },
        { "127.127.127.127:0xAbCd", 0x7f7f7f7f, 43981, 0 }, { "127.127.127.127:010", 0x7f7f7f7f, 8, 0 },
        { "127.127.127.127:08", 0x7f7f7f7f, 0, WSAEINVAL }, { "1.1.1.0xaA", 0x010101aa, 0, 0 },
        { "1.1.1.008", 0x01010100, 0, WSAEINVAL }, { "1", 0x00000001, 0, 0 }, { "1:1", 0x00000001, 1, 0 },
        { "1.2", 0x01000002, 0, 0 }, { "1.2.3:1", 0x01020003, 1, 0 }, { "2001::1", 0x000007d1, 0, WSAEINVAL },
        { "3.4.5.6 ", 0x03040506, 0, WSAEINVAL }, { "0x00010203:10", 0x00010203, 10, 0 },
        { "1234BEEF", 0x000004d2, 0, WSAEINVAL }, { "::1", 0, 0, WSAEINVAL }, { "[0.1.2.3]", 0, 0, WSAEINVAL },
    };
    static const struct { const char *in; BYTE last; USHORT port; ULONG scope; int error; } v6[] =
    {
        { "::1", 1, 0, 0, 0 }, { "[::1]", 1, 0, 0, 0 }, { "[::1]:65535", 1, 65535, 0, 0 },
        { "::1]:65535", 0, 0, 0, WSAEINVAL }, { "001::1", 1, 0, 0, 0 }, { "1.2.3.4", 0, 0, 0, WSAEINVAL },
        { "1:2:3:", 0, 0, 0, WSAEINVAL }, { "", 0, 0, 0, WSAEINVAL }, { "fe80::7%3", 7, 0, 3, 0 },
        { "[fe80::8%4]:80", 8, 80, 4, 0 }, { "[::1]:0", 0, 0, 0, WSAEINVAL },
    };
    SOCKADDR_IN sin;
    SOCKADDR_IN6 sin6;
    WCHAR w[64];
    INT len;
    size_t i;
    int pass, r;

    len = 0;
    WSASetLastError(0);
    r = WSAStringToAddressA((char *)"", AF_INET, NULL, (SOCKADDR *)&sin, &len);
    e2e_check(r == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT && len == sizeof(sin),
          "WSAStringToAddressA short length: WSAEFAULT, len %d", len);
    len = sizeof(sin6) - 1;
    r = WSAStringToAddressA((char *)"::1", AF_INET6, NULL, (SOCKADDR *)&sin6, &len);
    e2e_check(r == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT && len == sizeof(sin6),
          "WSAStringToAddressA(AF_INET6) short length: WSAEFAULT, len %d", len);
    len = sizeof(sin);
    e2e_check(WSAStringToAddressA(NULL, AF_INET, NULL, (SOCKADDR *)&sin, &len) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
          "WSAStringToAddressA(NULL string): WSAEINVAL");
    e2e_check(WSAStringToAddressA((char *)"1.2.3.4", AF_INET, NULL, (SOCKADDR *)&sin, NULL) == SOCKET_ERROR
          && WSAGetLastError() == WSAEFAULT, "WSAStringToAddressA(NULL length): WSAEFAULT");

    for (pass = 0; pass < 2; pass++)
    {
        for (i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
        {
            int expect_len = v4[i].error ? (int)sizeof(sin) + 10 : (int)sizeof(sin);
            len = sizeof(sin) + 10;
            memset(&sin, 0xab, sizeof(sin));
            WSASetLastError(0);
            if (!pass) r = WSAStringToAddressA((char *)v4[i].in, AF_INET, NULL, (SOCKADDR *)&sin, &len);
            else
            {
                widen(v4[i].in, w, 64);
                r = WSAStringToAddressW(w, AF_INET, NULL, (SOCKADDR *)&sin, &len);
            }
            e2e_check(r == (v4[i].error ? SOCKET_ERROR : 0) && WSAGetLastError() == v4[i].error
                  && sin.sin_family == (v4[i].error ? 0 : AF_INET) && sin.sin_addr.s_addr == htonl(v4[i].addr)
                  && sin.sin_port == htons(v4[i].port) && len == expect_len,
                  "WSAStringToAddress%c(\"%s\", AF_INET): ret %d error %d addr %08lx port %u len %d", pass ? 'W' : 'A',
                  v4[i].in, r, WSAGetLastError(), ntohl(sin.sin_addr.s_addr), ntohs(sin.sin_port), len);
        }
        for (i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
        {
            len = sizeof(sin6);
            memset(&sin6, 0xab, sizeof(sin6));
            WSASetLastError(0);
            if (!pass) r = WSAStringToAddressA((char *)v6[i].in, AF_INET6, NULL, (SOCKADDR *)&sin6, &len);
            else
            {
                widen(v6[i].in, w, 64);
                r = WSAStringToAddressW(w, AF_INET6, NULL, (SOCKADDR *)&sin6, &len);
            }
            e2e_check(r == (v6[i].error ? SOCKET_ERROR : 0) && WSAGetLastError() == v6[i].error
                  && sin6.sin6_family == (v6[i].error ? 0 : AF_INET6) && sin6.sin6_port == htons(v6[i].port)
                  && sin6.sin6_scope_id == v6[i].scope && sin6.sin6_flowinfo == 0
                  && (v6[i].error || sin6.sin6_addr.s6_addr[15] == v6[i].last),
                  "WSAStringToAddress%c(\"%s\", AF_INET6): ret %d error %d", pass ? 'W' : 'A', v6[i].in, r,
                  WSAGetLastError());
        }
    }
    /* leading zeros make long valid strings: both versions read them whole */
    {
        static char longs[400];
        static WCHAR longw[400];
        memset(longs, '0', sizeof(longs) - 1);
        memcpy(longs, "[::1]:", 6);
        longs[sizeof(longs) - 2] = '7';
        widen(longs, longw, 400);
        len = sizeof(sin6);
        r = WSAStringToAddressA(longs, AF_INET6, NULL, (SOCKADDR *)&sin6, &len);
        e2e_check(r == 0 && sin6.sin6_port == htons(7), "WSAStringToAddressA with 390 leading zeros in the port");
        len = sizeof(sin6);
        r = WSAStringToAddressW(longw, AF_INET6, NULL, (SOCKADDR *)&sin6, &len);
        e2e_check(r == 0 && sin6.sin6_port == htons(7), "WSAStringToAddressW with 390 leading zeros in the port");
        longw[100] = 0x263a;
        len = sizeof(sin6);
        r = WSAStringToAddressW(longw, AF_INET6, NULL, (SOCKADDR *)&sin6, &len);
        e2e_check(r == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "a non-ASCII character: WSAEINVAL");
    }
    /* an address family nobody provides */
    len = 64;
    {
        char big[64];
        r = WSAStringToAddressA((char *)"x", 12345, NULL, (SOCKADDR *)big, &len);
        e2e_check(r == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "WSAStringToAddressA(unknown family): WSAEINVAL (%d)",
              WSAGetLastError());
    }
}

/* Windows leaves what it read in the caller's buffer when inet_pton / InetPtonW /
 * WSAStringToAddress(AF_INET6) fail (Wine's protocol.c tables). */
static void test_partial_output(void)
{
    static const struct { const char *in; BYTE bytes[16]; } v6[] =
    {
        { "1111:2222:3333:4444:0x5555:6666:7777:8888",
          { 0x11, 0x11, 0x22, 0x22, 0x33, 0x33, 0x44, 0x44, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab } },
        { "1111::5555:", { 0x11, 0x11, 0x55, 0x55, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab } },
        { "2001::FFD3::57ab", { 0x20, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xd3 } },
        { "1.2.3.4", { 1, 2, 3, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab } },
        { "1111:2222:3333:4444:5555::0x88", { 0x11, 0x11, 0x22, 0x22, 0x33, 0x33, 0x44, 0x44, 0x55, 0x55, 0, 0, 0, 0, 0, 0x88 } },
    };
    static const struct { const char *in; DWORD addr; } v4[] =
    {
        { "127.127.127.255:123", 0xff7f7f7f }, { "1.1.1.0a", 0x00010101 }, { "3.4.5.6 ", 0x06050403 },
        { "1.1.1.010", 0xdeadbeef }, { "1.2.3", 0xdeadbeef },
    };
    static const struct { const char *in; BYTE bytes[16]; } s2a[] =
    {
        { "::1]:65535", { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } },
        { "1.2.3.4", { 1, 2, 3, 0 } },
        { "1:2:3:", { 0, 1, 0, 2, 0, 3 } },
    };
    BYTE buf[16];
    WCHAR w[64];
    SOCKADDR_IN6 sin6;
    DWORD addr;
    size_t i;
    INT len;
    int r, pass;

    for (i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
        for (pass = 0; pass < 2; pass++)
        {
            memset(buf, 0xab, sizeof(buf));
            widen(v6[i].in, w, 64);
            r = pass ? InetPtonW(AF_INET6, w, buf) : inet_pton(AF_INET6, v6[i].in, buf);
            e2e_check(r == 0 && !memcmp(buf, v6[i].bytes, 16), "%s(AF_INET6, \"%s\"): 0 and the partial address (%d, %02x%02x:%02x%02x)",
                      pass ? "InetPtonW" : "inet_pton", v6[i].in, r, buf[0], buf[1], buf[2], buf[3]);
        }
    for (i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
        for (pass = 0; pass < 2; pass++)
        {
            addr = 0xdeadbeef;
            widen(v4[i].in, w, 64);
            r = pass ? InetPtonW(AF_INET, w, &addr) : inet_pton(AF_INET, v4[i].in, &addr);
            e2e_check(r == 0 && addr == v4[i].addr, "%s(AF_INET, \"%s\"): 0, address %08lx (%d, %08lx)",
                      pass ? "InetPtonW" : "inet_pton", v4[i].in, (unsigned long)v4[i].addr, r, (unsigned long)addr);
        }
    /* a non-ASCII character stops the wide parsers after what they read */
    widen("1111:2222:3333", w, 64);
    w[10] = 0x263a;
    memset(buf, 0xab, sizeof(buf));
    r = InetPtonW(AF_INET6, w, buf);
    e2e_check(r == 0 && WSAGetLastError() == WSAEINVAL && buf[0] == 0x11 && buf[3] == 0x22 && buf[4] == 0xab,
              "InetPtonW(AF_INET6, \"1111:2222:\\x263a333\"): 0 WSAEINVAL and 1111:2222 written (%d, %02x%02x)", r, buf[4], buf[5]);
    widen("::1%", w, 64);
    w[3] = 0xe9;
    memset(&sin6, 0xab, sizeof(sin6));
    len = sizeof(sin6);
    r = WSAStringToAddressW(w, AF_INET6, NULL, (SOCKADDR *)&sin6, &len);
    e2e_check(r == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL && sin6.sin6_addr.s6_addr[15] == 1 && sin6.sin6_addr.s6_addr[0] == 0,
              "WSAStringToAddressW(\"::1\\xe9\", AF_INET6): WSAEINVAL and ::1 left in the sockaddr");
    for (i = 0; i < sizeof(s2a) / sizeof(s2a[0]); i++)
        for (pass = 0; pass < 2; pass++)
        {
            memset(&sin6, 0xab, sizeof(sin6));
            len = sizeof(sin6);
            widen(s2a[i].in, w, 64);
            r = pass ? WSAStringToAddressW(w, AF_INET6, NULL, (SOCKADDR *)&sin6, &len)
                     : WSAStringToAddressA((char *)s2a[i].in, AF_INET6, NULL, (SOCKADDR *)&sin6, &len);
            e2e_check(r == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL && sin6.sin6_family == 0 && sin6.sin6_port == 0
                      && !memcmp(&sin6.sin6_addr, s2a[i].bytes, 16),
                      "WSAStringToAddress%c(\"%s\", AF_INET6): WSAEINVAL and the partial address", pass ? 'W' : 'A', s2a[i].in);
        }
}

static void test_byte_order(void)
{
    u_long l = 0;
    u_short s = 0;
    SOCKET sock;

    e2e_check(htonl(0x01020304) == 0x04030201 && ntohl(0x04030201) == 0x01020304, "htonl/ntohl");
    e2e_check(htons(0x0102) == 0x0201 && ntohs(0x0201) == 0x0102, "htons/ntohs");
    WSASetLastError(0);
    e2e_check(WSAHtonl((SOCKET)0x4242, 1, &l) == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
          "WSAHtonl(not a socket): WSAENOTSOCK");
    e2e_check(WSANtohs(INVALID_SOCKET, 1, &s) == SOCKET_ERROR && WSAGetLastError() == WSAENOTSOCK,
          "WSANtohs(INVALID_SOCKET): WSAENOTSOCK");
    sock = socket(AF_INET, SOCK_DGRAM, 0);
    if (sock == INVALID_SOCKET)
    {
        printf("skip WSAHtonl on a real socket: socket() failed with %d\n", WSAGetLastError());
        return;
    }
    e2e_check(WSAHtonl(sock, 0x01020304, &l) == 0 && l == 0x04030201, "WSAHtonl");
    e2e_check(WSAHtons(sock, 0x0102, &s) == 0 && s == 0x0201, "WSAHtons");
    e2e_check(WSANtohl(sock, 0x04030201, &l) == 0 && l == 0x01020304, "WSANtohl");
    e2e_check(WSANtohs(sock, 0x0201, &s) == 0 && s == 0x0102, "WSANtohs");
    e2e_check(WSAHtonl(sock, 1, NULL) == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "WSAHtonl(NULL): WSAEFAULT");
    e2e_check(WSANtohs(sock, 1, NULL) == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "WSANtohs(NULL): WSAEFAULT");
    closesocket(sock);
}

int main(void)
{
    WSADATA data;

    setvbuf(stdout, NULL, _IONBF, 0);
    test_before_startup();
    e2e_check(WSAStartup(MAKEWORD(2, 2), &data) == 0, "WSAStartup");
    test_inet_addr();
    test_inet_ntoa();
    test_pton();
    test_ntop();
    test_address_to_string();
    test_string_to_address();
    test_partial_output();
    test_byte_order();
    WSACleanup();
    return e2e_summary();
}
