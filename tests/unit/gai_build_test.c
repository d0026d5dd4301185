/* gai_build_test.c - CMocka tests of src/resolve/gai_build.c: hints validation and its WSA errors, numeric
 * hosts and ports, AI_V4MAPPED / AI_ALL family handling, duplicates, the RFC 6724 default-policy
 * order, sockaddr filling and reading, NI_NOFQDN's first label.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>
#include "gai_build.h"

static struct gai_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    struct gai_addr r;
    memset(&r, 0, sizeof(r));
    r.family = AF_INET;
    r.addr[0] = a; r.addr[1] = b; r.addr[2] = c; r.addr[3] = d;
    return r;
}

static struct gai_addr v6(const char *text)
{
    struct gai_addr r;
    assert_int_equal(gai_parse_numeric_host(text, &r), 0);
    assert_int_equal(r.family, AF_INET6);
    return r;
}

static void test_hints(void **state)
{
    (void)state;
    assert_int_equal(gai_check_hints(0, GAI_FLAGS_BASIC, AF_UNSPEC, 0, 1), 0);
    assert_int_equal(gai_check_hints(GAI_FLAGS_BASIC & ~(uint32_t)GAI_AI_FQDN, GAI_FLAGS_BASIC, AF_INET6, SOCK_STREAM, 1), 0);
    assert_int_equal(gai_check_hints(0x01000000, GAI_FLAGS_BASIC, AF_UNSPEC, 0, 1), WSAEINVAL);
    assert_int_equal(gai_check_hints(GAI_AI_EXTENDED, GAI_FLAGS_BASIC, AF_UNSPEC, 0, 1), WSAEINVAL);
    assert_int_equal(gai_check_hints(GAI_AI_EXTENDED, GAI_FLAGS_EX, AF_UNSPEC, 0, 1), 0);
    assert_int_equal(gai_check_hints(GAI_AI_CANONNAME | GAI_AI_FQDN, GAI_FLAGS_BASIC, AF_UNSPEC, 0, 1), WSAEINVAL);
    assert_int_equal(gai_check_hints(GAI_AI_CANONNAME, GAI_FLAGS_BASIC, AF_UNSPEC, 0, 0), WSAEINVAL);
    assert_int_equal(gai_check_hints(GAI_AI_FQDN, GAI_FLAGS_BASIC, AF_UNSPEC, 0, 0), WSAEINVAL);
    assert_int_equal(gai_check_hints(GAI_AI_PASSIVE, GAI_FLAGS_BASIC, AF_UNSPEC, 0, 0), 0);
    assert_int_equal(gai_check_hints(0, GAI_FLAGS_BASIC, 2000, 0, 1), WSAEAFNOSUPPORT);
    assert_int_equal(gai_check_hints(0, GAI_FLAGS_BASIC, AF_IPX, 0, 1), WSAEAFNOSUPPORT);
    assert_int_equal(gai_check_hints(0, GAI_FLAGS_BASIC, AF_INET, 99, 1), WSAESOCKTNOSUPPORT);
    assert_int_equal(gai_check_hints(0, GAI_FLAGS_BASIC, AF_INET, -1, 1), WSAESOCKTNOSUPPORT);
    assert_int_equal(gai_check_hints(0, GAI_FLAGS_BASIC, AF_INET, SOCK_RAW, 1), 0);
    assert_int_equal(gai_check_hints(0, GAI_FLAGS_BASIC, AF_INET, SOCK_SEQPACKET, 1), 0);
}

static void test_numeric(void **state)
{
    struct gai_addr a;
    (void)state;
    assert_int_equal(gai_parse_numeric_host("192.0.2.1", &a), 0);
    assert_int_equal(a.family, AF_INET);
    assert_memory_equal(a.addr, "\xc0\x00\x02\x01", 4);
    assert_int_equal(gai_parse_numeric_host("127.1", &a), 0);
    assert_memory_equal(a.addr, "\x7f\x00\x00\x01", 4);
    assert_int_equal(gai_parse_numeric_host("0x7f.1", &a), 0);
    assert_memory_equal(a.addr, "\x7f\x00\x00\x01", 4);
    assert_int_equal(gai_parse_numeric_host("::1", &a), 0);
    assert_int_equal(a.family, AF_INET6);
    assert_int_equal(a.addr[15], 1);
    assert_int_equal(a.scope, 0);
    assert_int_equal(gai_parse_numeric_host("fe80::1%12", &a), 0);
    assert_int_equal(a.scope, 12);
    assert_int_equal(gai_parse_numeric_host("fe80::1%", &a), -1);
    assert_int_equal(gai_parse_numeric_host("fe80::1%x", &a), -1);
    assert_int_equal(gai_parse_numeric_host("fe80::1%1x", &a), -1);
    assert_int_equal(gai_parse_numeric_host("[::1]", &a), 0);
    assert_int_equal(a.addr[15], 1);
    assert_int_equal(gai_parse_numeric_host("[fe80::2%5]:10239", &a), 0);
    assert_int_equal(a.addr[15], 2);
    assert_int_equal(a.scope, 5);
    assert_int_equal(gai_parse_numeric_host("[::1", &a), -1);
    assert_int_equal(gai_parse_numeric_host("::1]", &a), -1);
    assert_int_equal(gai_parse_numeric_host("192.0.2.1:80", &a), -1);
    assert_int_equal(gai_parse_numeric_host("1.2.3.4 ", &a), -1);
    assert_int_equal(gai_parse_numeric_host("1.2.3.4.5", &a), -1);
    assert_int_equal(gai_parse_numeric_host("host.example", &a), -1);
    assert_int_equal(gai_parse_numeric_host("", &a), -1);
    assert_int_equal(gai_parse_numeric_host(NULL, &a), -1);
}

static void test_ports(void **state)
{
    uint16_t port = 1;
    int other;
    (void)state;
    assert_int_equal(gai_parse_port("80", &port), 0);
    assert_int_equal(port, 80);
    assert_int_equal(gai_parse_port("", &port), 0);
    assert_int_equal(port, 0);
    assert_int_equal(gai_parse_port(NULL, &port), 0);
    assert_int_equal(gai_parse_port("65535", &port), 0);
    assert_int_equal(port, 65535);
    /* Windows' strtoul reading, cast to 16 bits */
    assert_int_equal(gai_parse_port(" 123", &port), 0);
    assert_int_equal(port, 123);
    assert_int_equal(gai_parse_port("\t\n\v\f\r 7", &port), 0);
    assert_int_equal(port, 7);
    assert_int_equal(gai_parse_port("+5", &port), 0);
    assert_int_equal(port, 5);
    assert_int_equal(gai_parse_port("  +0080", &port), 0);
    assert_int_equal(port, 80);
    assert_int_equal(gai_parse_port("65536", &port), 0);
    assert_int_equal(port, 0);
    assert_int_equal(gai_parse_port("65617", &port), 0);
    assert_int_equal(port, 81);
    assert_int_equal(gai_parse_port("4294967295", &port), 0);
    assert_int_equal(port, 65535);
    assert_int_equal(gai_parse_port("4294967296", &port), 0); /* overflow: ULONG_MAX */
    assert_int_equal(port, 65535);
    assert_int_equal(gai_parse_port("99999999999999999999", &port), 0);
    assert_int_equal(port, 65535);
    assert_int_equal(gai_parse_port("-1", &port), 0);
    assert_int_equal(port, 65535);
    assert_int_equal(gai_parse_port("-65535", &port), 0);
    assert_int_equal(port, 1);
    assert_int_equal(gai_parse_port("-0", &port), 0);
    assert_int_equal(port, 0);
    /* not numbers: names for the services database */
    assert_int_equal(gai_parse_port("http", &port), 1);
    assert_int_equal(gai_parse_port("80x", &port), 1);
    assert_int_equal(gai_parse_port("80 ", &port), 1);
    assert_int_equal(gai_parse_port(" ", &port), 1);
    assert_int_equal(gai_parse_port("+", &port), 1);
    assert_int_equal(gai_parse_port("+-1", &port), 1);
    assert_int_equal(gai_parse_port("- 1", &port), 1);
    assert_int_equal(gai_parse_port("0x10", &port), 1);
    assert_string_equal(gai_service_proto(SOCK_DGRAM, &other), "udp");
    assert_int_equal(other, 0);
    assert_string_equal(gai_service_proto(SOCK_STREAM, &other), "tcp");
    assert_int_equal(other, 0);
    assert_string_equal(gai_service_proto(0, &other), "tcp");
    assert_int_equal(other, 1);
}

static void test_family(void **state)
{
    struct gai_addr a[4];
    size_t n;
    (void)state;

    a[0] = v4(192, 0, 2, 1);
    a[1] = v6("2001:db8::1");
    a[2] = v4(192, 0, 2, 2);
    assert_int_equal(gai_apply_family(a, 3, AF_UNSPEC, 0), 3);
    n = gai_apply_family(a, 3, AF_INET, GAI_AI_V4MAPPED | GAI_AI_ALL);
    assert_int_equal(n, 2);
    assert_int_equal(a[0].family, AF_INET);
    assert_int_equal(a[1].addr[3], 2);

    a[0] = v4(192, 0, 2, 1);
    a[1] = v6("2001:db8::1");
    assert_int_equal(gai_apply_family(a, 2, AF_INET6, 0), 1);
    assert_int_equal(a[0].family, AF_INET6);

    /* AI_V4MAPPED alone: only when there is no IPv6 answer */
    a[0] = v4(192, 0, 2, 1);
    a[1] = v6("2001:db8::1");
    assert_int_equal(gai_apply_family(a, 2, AF_INET6, GAI_AI_V4MAPPED), 1);
    assert_memory_equal(a[0].addr, v6("2001:db8::1").addr, 16);
    a[0] = v4(192, 0, 2, 1);
    n = gai_apply_family(a, 1, AF_INET6, GAI_AI_V4MAPPED);
    assert_int_equal(n, 1);
    assert_int_equal(a[0].family, AF_INET6);
    assert_memory_equal(a[0].addr, v6("::ffff:192.0.2.1").addr, 16);
    /* with AI_ALL: both */
    a[0] = v4(192, 0, 2, 1);
    a[1] = v6("2001:db8::1");
    assert_int_equal(gai_apply_family(a, 2, AF_INET6, GAI_AI_V4MAPPED | GAI_AI_ALL), 2);
    assert_memory_equal(a[0].addr, v6("::ffff:192.0.2.1").addr, 16);
    assert_memory_equal(a[1].addr, v6("2001:db8::1").addr, 16);
    /* AI_ALL without AI_V4MAPPED changes nothing */
    a[0] = v4(192, 0, 2, 1);
    assert_int_equal(gai_apply_family(a, 1, AF_INET6, GAI_AI_ALL), 0);
}

static void test_unique(void **state)
{
    struct gai_addr a[5];
    (void)state;
    a[0] = v4(192, 0, 2, 1);
    a[1] = v4(192, 0, 2, 1);
    a[2] = v6("fe80::1%1");
    a[3] = v6("fe80::1%2");
    a[4] = v6("fe80::1%1");
    assert_int_equal(gai_unique(a, 5), 3);
    assert_int_equal(a[1].scope, 1);
    assert_int_equal(a[2].scope, 2);
}

static void test_sort(void **state)
{
    struct gai_addr a[8];
    (void)state;
    assert_int_equal(gai_precedence(&(struct gai_addr){ 0 }), 1); /* :: is in ::/96 */
    a[0] = v4(192, 0, 2, 1);        /* 35 */
    a[1] = v6("2002::1");           /* 30 */
    a[2] = v6("2001:db8::1");       /* 40 (only 2001::/32 is Teredo) */
    a[3] = v6("2001:0:1::1");       /* 5 Teredo */
    a[4] = v6("fd00::1");           /* 3 ULA */
    a[5] = v6("::1");               /* 50 */
    a[6] = v4(192, 0, 2, 2);        /* 35, after the first IPv4 (stable) */
    a[7] = v6("fec0::1");           /* 1 site-local */
    assert_int_equal(gai_precedence(&a[0]), 35);
    assert_int_equal(gai_precedence(&a[2]), 40);
    assert_int_equal(gai_precedence(&a[3]), 5);
    gai_sort(a, 8);
    assert_memory_equal(a[0].addr, v6("::1").addr, 16);
    assert_memory_equal(a[1].addr, v6("2001:db8::1").addr, 16);
    assert_int_equal(a[2].family, AF_INET);
    assert_int_equal(a[2].addr[3], 1);
    assert_int_equal(a[3].addr[3], 2);
    assert_memory_equal(a[4].addr, v6("2002::1").addr, 16);
    assert_memory_equal(a[5].addr, v6("2001:0:1::1").addr, 16);
    assert_memory_equal(a[6].addr, v6("fd00::1").addr, 16);
    assert_memory_equal(a[7].addr, v6("fec0::1").addr, 16);

    /* same precedence: smaller scope first (link-local before global) */
    a[0] = v6("2001:db8::5");
    a[1] = v6("fe80::5");
    gai_sort(a, 2);
    assert_memory_equal(a[0].addr, v6("fe80::5").addr, 16);
    gai_sort(a, 0);
}

static void test_sockaddr(void **state)
{
    union { SOCKADDR_IN6 in6; SOCKADDR_IN in; char bytes[sizeof(SOCKADDR_IN6)]; } sa;
    struct gai_addr a = v6("fe80::9%7"), b;
    uint16_t port;
    (void)state;

    assert_int_equal(gai_fill_sockaddr(&a, 8080, &sa), sizeof(SOCKADDR_IN6));
    assert_int_equal(sa.in6.sin6_family, AF_INET6);
    assert_int_equal(((uint8_t *)&sa.in6.sin6_port)[0], 0x1f);
    assert_int_equal(((uint8_t *)&sa.in6.sin6_port)[1], 0x90);
    assert_int_equal(sa.in6.sin6_scope_id, 7);
    assert_int_equal(gai_read_sockaddr(&sa, sizeof(SOCKADDR_IN6), &b, &port), 0);
    assert_int_equal(port, 8080);
    assert_int_equal(b.scope, 7);
    assert_memory_equal(b.addr, a.addr, 16);
    assert_int_equal(gai_read_sockaddr(&sa, sizeof(SOCKADDR_IN6) - 1, &b, &port), WSAEFAULT);

    a = v4(10, 1, 2, 3);
    assert_int_equal(gai_fill_sockaddr(&a, 53, &sa), sizeof(SOCKADDR_IN));
    assert_int_equal(sa.in.sin_family, AF_INET);
    assert_int_equal(gai_read_sockaddr(&sa, sizeof(SOCKADDR_IN), &b, &port), 0);
    assert_int_equal(port, 53);
    assert_memory_equal(b.addr, "\x0a\x01\x02\x03", 4);
    assert_int_equal(gai_read_sockaddr(&sa, sizeof(SOCKADDR_IN) - 1, &b, &port), WSAEFAULT);
    assert_int_equal(gai_read_sockaddr(NULL, 16, &b, &port), WSAEFAULT);
    assert_int_equal(gai_read_sockaddr(&sa, 1, &b, &port), WSAEFAULT);
    sa.in.sin_family = AF_IPX;
    assert_int_equal(gai_read_sockaddr(&sa, sizeof(sa), &b, &port), WSAEAFNOSUPPORT);

    gai_special_addr(AF_INET, 1, &b);
    assert_memory_equal(b.addr, "\0\0\0\0", 4);
    gai_special_addr(AF_INET, 0, &b);
    assert_memory_equal(b.addr, "\x7f\0\0\x01", 4);
    gai_special_addr(AF_INET6, 0, &b);
    assert_memory_equal(b.addr, v6("::1").addr, 16);
    gai_special_addr(AF_INET6, 1, &b);
    assert_memory_equal(b.addr, v6("::").addr, 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hints),
        cmocka_unit_test(test_numeric),
        cmocka_unit_test(test_ports),
        cmocka_unit_test(test_family),
        cmocka_unit_test(test_unique),
        cmocka_unit_test(test_sort),
        cmocka_unit_test(test_sockaddr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
