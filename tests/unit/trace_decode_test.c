/* trace_decode_test.c - unit tests of the trace library's argument decoders (src/shared/trace_decode.c):
 * socket addresses as text, option, control code and WSA error names, with Windows' numbers.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "trace.h"

static void expect_text(const char *got, const char *want)
{
    if (strcmp(got, want)) fail_msg("got \"%s\", expected \"%s\"", got, want);
}

/* A sockaddr in Windows' layout: family (16 bits, little-endian), port (network order), ... */
static int put_sin(unsigned char *b, const unsigned char ip[4], unsigned port)
{
    memset(b, 0, 16);
    b[0] = 2;
    b[2] = (unsigned char)(port >> 8);
    b[3] = (unsigned char)port;
    memcpy(b + 4, ip, 4);
    return 16;
}

static int put_sin6(unsigned char *b, const unsigned char ip[16], unsigned port, unsigned scope)
{
    memset(b, 0, 28);
    b[0] = 23;
    b[2] = (unsigned char)(port >> 8);
    b[3] = (unsigned char)port;
    memcpy(b + 8, ip, 16);
    b[24] = (unsigned char)scope;
    return 28;
}

static void test_sockaddr(void **state)
{
    static const unsigned char lo[4] = {127, 0, 0, 1}, any[4] = {0, 0, 0, 0};
    static const unsigned char lo6[16] = {[15] = 1}, any6[16] = {0};
    static const unsigned char ll[16] = {0xfe, 0x80, [15] = 0x01};
    static const unsigned char mapped[16] = {[10] = 0xff, [11] = 0xff, [12] = 127, [15] = 1};
    static const unsigned char mid[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1};
    static const unsigned char full[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6};
    static const unsigned char one0[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
    unsigned char b[32];
    char buf[TRACE_TEXT_LEN];
    int len;
    (void)state;

    len = put_sin(b, lo, 8080);
    expect_text(trace_sockaddr_text(b, len, buf, sizeof(buf)), "127.0.0.1:8080");
    len = put_sin(b, any, 0);
    expect_text(trace_sockaddr_text(b, len, buf, sizeof(buf)), "0.0.0.0:0");
    len = put_sin6(b, lo6, 443, 0);
    expect_text(trace_sockaddr_text(b, len, buf, sizeof(buf)), "[::1]:443");
    len = put_sin6(b, any6, 1, 0);
    expect_text(trace_sockaddr_text(b, len, buf, sizeof(buf)), "[::]:1");
    len = put_sin6(b, ll, 5, 2);
    expect_text(trace_sockaddr_text(b, len, buf, sizeof(buf)), "[fe80::1%2]:5");
    len = put_sin6(b, mapped, 7, 0);
    expect_text(trace_sockaddr_text(b, len, buf, sizeof(buf)), "[::ffff:127.0.0.1]:7");
    len = put_sin6(b, mid, 9, 0);
    expect_text(trace_sockaddr_text(b, len, buf, sizeof(buf)), "[2001:db8::1:0:0:1]:9");
    len = put_sin6(b, full, 9, 0);
    expect_text(trace_sockaddr_text(b, len, buf, sizeof(buf)), "[2001:db8:1:2:3:4:5:6]:9");
    len = put_sin6(b, one0, 9, 0); /* a single zero group is not "::" */
    expect_text(trace_sockaddr_text(b, len, buf, sizeof(buf)), "[2001:db8:0:1:1:1:1:1]:9");
    /* IPv6 without its scope id (the old 24-byte sockaddr_in6) */
    put_sin6(b, lo6, 80, 0);
    expect_text(trace_sockaddr_text(b, 24, buf, sizeof(buf)), "[::1]:80");
    /* short, unknown, NULL */
    put_sin(b, lo, 1);
    expect_text(trace_sockaddr_text(b, 7, buf, sizeof(buf)), "(family 2, 7 bytes)");
    expect_text(trace_sockaddr_text(b, 1, buf, sizeof(buf)), "(short)");
    b[0] = 1;
    expect_text(trace_sockaddr_text(b, 16, buf, sizeof(buf)), "(family 1, 16 bytes)");
    expect_text(trace_sockaddr_text(NULL, 16, buf, sizeof(buf)), "(null)");
    /* a small buffer is cut, still terminated */
    len = put_sin(b, lo, 8080);
    expect_text(trace_sockaddr_text(b, len, buf, 6), "127.0");
}

static void test_sockopt(void **state)
{
    char buf[TRACE_TEXT_LEN];
    (void)state;
    expect_text(trace_sockopt_name(0xffff, 0x1002, buf, sizeof(buf)), "SOL_SOCKET/SO_RCVBUF");
    expect_text(trace_sockopt_name(0xffff, 0x1001, buf, sizeof(buf)), "SOL_SOCKET/SO_SNDBUF");
    expect_text(trace_sockopt_name(0xffff, 4, buf, sizeof(buf)), "SOL_SOCKET/SO_REUSEADDR");
    expect_text(trace_sockopt_name(0xffff, (int)0xfffffffb, buf, sizeof(buf)), "SOL_SOCKET/SO_EXCLUSIVEADDRUSE");
    expect_text(trace_sockopt_name(0xffff, 0x7008, buf, sizeof(buf)), "SOL_SOCKET/SO_OPENTYPE");
    expect_text(trace_sockopt_name(0xffff, 0x2005, buf, sizeof(buf)), "SOL_SOCKET/SO_PROTOCOL_INFOW");
    expect_text(trace_sockopt_name(6, 1, buf, sizeof(buf)), "IPPROTO_TCP/TCP_NODELAY");
    expect_text(trace_sockopt_name(6, 3, buf, sizeof(buf)), "IPPROTO_TCP/TCP_KEEPALIVE");
    expect_text(trace_sockopt_name(0, 4, buf, sizeof(buf)), "IPPROTO_IP/IP_TTL");
    expect_text(trace_sockopt_name(0, 12, buf, sizeof(buf)), "IPPROTO_IP/IP_ADD_MEMBERSHIP");
    expect_text(trace_sockopt_name(0, 19, buf, sizeof(buf)), "IPPROTO_IP/IP_PKTINFO");
    expect_text(trace_sockopt_name(41, 27, buf, sizeof(buf)), "IPPROTO_IPV6/IPV6_V6ONLY");
    expect_text(trace_sockopt_name(41, 4, buf, sizeof(buf)), "IPPROTO_IPV6/IPV6_UNICAST_HOPS");
    expect_text(trace_sockopt_name(0, 0x63, buf, sizeof(buf)), "IPPROTO_IP/0x63");
    expect_text(trace_sockopt_name(0x84, 1, buf, sizeof(buf)), "0x84/0x1");
}

static void test_ioctl(void **state)
{
    char buf[TRACE_TEXT_LEN];
    (void)state;
    expect_text(trace_ioctl_name(0x8004667e, buf, sizeof(buf)), "FIONBIO");
    expect_text(trace_ioctl_name(0x4004667f, buf, sizeof(buf)), "FIONREAD");
    expect_text(trace_ioctl_name(0x40047307, buf, sizeof(buf)), "SIOCATMARK");
    expect_text(trace_ioctl_name(0xc8000006, buf, sizeof(buf)), "SIO_GET_EXTENSION_FUNCTION_POINTER");
    expect_text(trace_ioctl_name(0x98000004, buf, sizeof(buf)), "SIO_KEEPALIVE_VALS");
    expect_text(trace_ioctl_name(0x4800001b, buf, sizeof(buf)), "SIO_BSP_HANDLE");
    expect_text(trace_ioctl_name(0x48000022, buf, sizeof(buf)), "SIO_BASE_HANDLE");
    expect_text(trace_ioctl_name(0xc8000020, buf, sizeof(buf)), "SIO_EXT_SENDMSG");
    expect_text(trace_ioctl_name(0x9800000c, buf, sizeof(buf)), "SIO_UDP_CONNRESET");
    expect_text(trace_ioctl_name(0x12345678, buf, sizeof(buf)), "0x12345678");
}

static void test_error(void **state)
{
    char buf[TRACE_TEXT_LEN];
    (void)state;
    expect_text(trace_error_name(10035, buf, sizeof(buf)), "WSAEWOULDBLOCK");
    expect_text(trace_error_name(10022, buf, sizeof(buf)), "WSAEINVAL");
    expect_text(trace_error_name(10061, buf, sizeof(buf)), "WSAECONNREFUSED");
    expect_text(trace_error_name(10038, buf, sizeof(buf)), "WSAENOTSOCK");
    expect_text(trace_error_name(10093, buf, sizeof(buf)), "WSANOTINITIALISED");
    expect_text(trace_error_name(11001, buf, sizeof(buf)), "WSAHOST_NOT_FOUND");
    expect_text(trace_error_name(997, buf, sizeof(buf)), "WSA_IO_PENDING");
    expect_text(trace_error_name(12345, buf, sizeof(buf)), "12345");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sockaddr),
        cmocka_unit_test(test_sockopt),
        cmocka_unit_test(test_ioctl),
        cmocka_unit_test(test_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
