/* nsp_host_test.c - CMocka tests of openws2nsp's portable host model (dlls/nsp/nsp_hostdb.c):
 * hosts-file matching by name (several lines merged, families, aliases, case, hostile input) and by
 * address, reverse-lookup keys (dotted, IPv6 text, in-addr.arpa, ip6.arpa, malformed forms), host
 * name validation, and the bounds of nsp_host (addresses and aliases beyond the limits dropped).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "nsp_host.h"

static struct nsp_host host;

static const char hosts[] =
    "# test hosts\r\n"
    "192.0.2.1   Alpha.Example alpha a1   # comment\r\n"
    "2001:db8::1 alpha.example\n"
    "192.0.2.2\talpha.example  a2\n"
    "192.0.2.2 dup.example\n"
    "garbage line\n"
    "300.1.1.1 alpha.example\n"
    "192.0.2.3 beta.example ALPHA.EXAMPLE\n"
    "192.0.2.9 last.example";   /* no newline at EOF */

static void test_match_name(void **state)
{
    (void)state;
    assert_int_equal(nsp_hosts_match_name(hosts, sizeof(hosts) - 1, "ALPHA.example", NSP_FAMILY_V4, &host), 3);
    assert_string_equal(host.name, "Alpha.Example");
    assert_memory_equal(host.addrs[0].addr, "\xc0\x00\x02\x01", 4);
    assert_memory_equal(host.addrs[1].addr, "\xc0\x00\x02\x02", 4);
    assert_memory_equal(host.addrs[2].addr, "\xc0\x00\x02\x03", 4);
    /* aliases: alpha, a1, a2, beta.example (a further line's canonical name); the queried name
     * itself is the canonical name and never an alias */
    assert_int_equal(host.alias_count, 4);
    assert_string_equal(host.aliases[0], "alpha");
    assert_string_equal(host.aliases[1], "a1");
    assert_string_equal(host.aliases[2], "a2");
    assert_string_equal(host.aliases[3], "beta.example");

    assert_int_equal(nsp_hosts_match_name(hosts, sizeof(hosts) - 1, "alpha.example", NSP_FAMILY_V6, &host), 1);
    assert_int_equal(host.addrs[0].family, AF_INET6);
    assert_int_equal(nsp_hosts_match_name(hosts, sizeof(hosts) - 1, "alpha.example", NSP_FAMILY_V4 | NSP_FAMILY_V6, &host), 4);
    assert_int_equal(nsp_host_count_family(&host, AF_INET), 3);
    assert_int_equal(nsp_host_count_family(&host, AF_INET6), 1);

    assert_int_equal(nsp_hosts_match_name(hosts, sizeof(hosts) - 1, "last.example", NSP_FAMILY_V4, &host), 1);
    assert_int_equal(nsp_hosts_match_name(hosts, sizeof(hosts) - 1, "missing.example", NSP_FAMILY_V4, &host), 0);
    assert_string_equal(host.name, "");
    assert_int_equal(nsp_hosts_match_name(hosts, sizeof(hosts) - 1, "", NSP_FAMILY_V4, &host), 0);
    assert_int_equal(nsp_hosts_match_name(NULL, 0, "alpha", NSP_FAMILY_V4, &host), 0);
    assert_int_equal(nsp_hosts_match_name(hosts, sizeof(hosts) - 1, "garbage", NSP_FAMILY_V4, &host), 0);
    assert_int_equal(nsp_hosts_match_name(hosts, sizeof(hosts) - 1, "alpha.example", 0, &host), 0);
}

static void test_match_addr(void **state)
{
    (void)state;
    assert_int_equal(nsp_hosts_match_addr(hosts, sizeof(hosts) - 1, AF_INET, (const uint8_t *)"\xc0\x00\x02\x02", &host), 1);
    assert_string_equal(host.name, "alpha.example");
    assert_int_equal(host.alias_count, 2);
    assert_string_equal(host.aliases[0], "a2");
    assert_string_equal(host.aliases[1], "dup.example");
    assert_int_equal(host.addr_count, 1);
    assert_int_equal(nsp_hosts_match_addr(hosts, sizeof(hosts) - 1, AF_INET, (const uint8_t *)"\xc0\x00\x02\x07", &host), 0);
    assert_int_equal(nsp_hosts_match_addr(hosts, sizeof(hosts) - 1, AF_INET6,
                                          (const uint8_t *)"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", &host), 1);
    assert_string_equal(host.name, "alpha.example");
    assert_int_equal(nsp_hosts_match_addr(hosts, sizeof(hosts) - 1, AF_UNIX, (const uint8_t *)"\0\0\0\0", &host), 0);
}

static void test_hostile_input(void **state)
{
    size_t len = 1 << 20, i;
    char *big = malloc(len);
    (void)state;
    assert_non_null(big);
    /* random bytes, NULs included: no crash, no read outside the buffer */
    srand(7);
    for (i = 0; i < len; i++) big[i] = (char)(rand() & 0xff);
    nsp_hosts_match_name(big, len, "alpha", NSP_FAMILY_V4 | NSP_FAMILY_V6, &host);
    nsp_hosts_match_addr(big, len, AF_INET, (const uint8_t *)"\x01\x02\x03\x04", &host);
    /* many matching lines: addresses capped, aliases capped */
    {
        size_t n = 0;
        for (i = 0; i < 200 && n + 64 < len; i++)
            n += (size_t)snprintf(big + n, len - n, "10.0.%u.%u many.example m%u\n", (unsigned)(i / 256), (unsigned)(i % 256),
                                  (unsigned)i);
        assert_int_equal(nsp_hosts_match_name(big, n, "many.example", NSP_FAMILY_V4, &host), NSP_MAX_ADDRS);
        assert_int_equal(host.alias_count, NSP_MAX_ALIASES);
    }
    free(big);
}

static void test_reverse_keys(void **state)
{
    uint8_t a[16];
    int family;
    (void)state;
    assert_int_equal(nsp_parse_reverse_key("192.0.2.10", &family, a), 0);
    assert_int_equal(family, AF_INET);
    assert_memory_equal(a, "\xc0\x00\x02\x0a", 4);
    assert_int_equal(nsp_parse_reverse_key("10.2.0.192.IN-ADDR.ARPA.", &family, a), 0);
    assert_memory_equal(a, "\xc0\x00\x02\x0a", 4);
    assert_int_equal(nsp_parse_reverse_key("2001:db8::10", &family, a), 0);
    assert_int_equal(family, AF_INET6);
    assert_int_equal(nsp_parse_reverse_key("0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", &family, a), 0);
    assert_int_equal(family, AF_INET6);
    assert_memory_equal(a, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x10", 16);
    /* malformed */
    assert_int_equal(nsp_parse_reverse_key("", &family, a), -1);
    assert_int_equal(nsp_parse_reverse_key(NULL, &family, a), -1);
    assert_int_equal(nsp_parse_reverse_key("1.2.3", &family, a), -1);           /* not strict dotted */
    assert_int_equal(nsp_parse_reverse_key("1.2.3.4.5", &family, a), -1);
    assert_int_equal(nsp_parse_reverse_key("2.0.192.in-addr.arpa", &family, a), -1);
    assert_int_equal(nsp_parse_reverse_key("x.2.0.192.in-addr.arpa", &family, a), -1);
    assert_int_equal(nsp_parse_reverse_key("0.1.0.ip6.arpa", &family, a), -1);
    assert_int_equal(nsp_parse_reverse_key("g.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", &family, a), -1);
    assert_int_equal(nsp_parse_reverse_key("01.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", &family, a), -1);
    assert_int_equal(nsp_parse_reverse_key("www.example.com", &family, a), -1);
}

static void test_names(void **state)
{
    char long_label[80], long_name[300];
    (void)state;
    assert_true(nsp_valid_host_name("www.example.com"));
    assert_true(nsp_valid_host_name("www.example.com."));
    assert_true(nsp_valid_host_name("a"));
    assert_false(nsp_valid_host_name(""));
    assert_false(nsp_valid_host_name("."));
    assert_false(nsp_valid_host_name("a..b"));
    assert_false(nsp_valid_host_name(".a"));
    assert_false(nsp_valid_host_name("a b"));
    assert_false(nsp_valid_host_name("a\tb"));
    assert_false(nsp_valid_host_name("caf\xc3\xa9"));
    assert_false(nsp_valid_host_name(NULL));
    memset(long_label, 'a', 64);
    long_label[64] = 0;
    assert_false(nsp_valid_host_name(long_label));
    long_label[63] = 0;
    assert_true(nsp_valid_host_name(long_label));
    memset(long_name, 'a', sizeof(long_name));
    for (size_t i = 10; i < 260; i += 10) long_name[i] = '.';
    long_name[254] = 0;
    assert_false(nsp_valid_host_name(long_name));
    long_name[253] = 0;
    if (long_name[252] == '.') long_name[252] = 'a';
    assert_true(nsp_valid_host_name(long_name));
}

static void test_host_bounds(void **state)
{
    char alias[NSP_NAME_MAX + 10];
    uint8_t a[16] = { 0 };
    int i;
    (void)state;
    memset(&host, 0, sizeof(host));
    assert_int_equal(nsp_host_set_name(&host, "canon"), 0);
    assert_int_equal(nsp_host_add_alias(&host, "CANON"), 0);
    assert_int_equal(nsp_host_add_alias(&host, "x"), 1);
    assert_int_equal(nsp_host_add_alias(&host, "X"), 0);
    assert_int_equal(nsp_host_add_alias(&host, ""), 0);
    memset(alias, 'a', sizeof(alias) - 1);
    alias[sizeof(alias) - 1] = 0;
    assert_int_equal(nsp_host_add_alias(&host, alias), 0);
    assert_int_equal(nsp_host_set_name(&host, alias), -1);
    assert_string_equal(host.name, "");
    for (i = 0; i < NSP_MAX_ADDRS + 5; i++)
    {
        a[0] = (uint8_t)i;
        nsp_host_add_addr(&host, AF_INET, a);
    }
    assert_int_equal(host.addr_count, NSP_MAX_ADDRS);
    a[0] = 0;
    assert_int_equal(nsp_host_add_addr(&host, AF_INET, a), 0);   /* duplicate */
    assert_int_equal(nsp_host_add_addr(&host, AF_UNIX, a), 0);
}

static void test_merge(void **state)
{
    static struct nsp_host a, b;
    (void)state;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    nsp_host_set_name(&b, "canon.example");
    nsp_host_add_alias(&b, "q.example");
    nsp_host_add_addr(&b, AF_INET, (const uint8_t *)"\x01\x02\x03\x04");
    nsp_host_merge(&a, &b);
    assert_string_equal(a.name, "canon.example");
    assert_int_equal(a.alias_count, 1);
    assert_int_equal(a.addr_count, 1);
    /* a second answer (e.g. the AAAA one) with the same and a new name */
    memset(&b, 0, sizeof(b));
    nsp_host_set_name(&b, "other.example");
    nsp_host_add_alias(&b, "canon.example");
    nsp_host_add_addr(&b, AF_INET, (const uint8_t *)"\x01\x02\x03\x04");
    nsp_host_add_addr(&b, AF_INET6, (const uint8_t *)"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01");
    nsp_host_merge(&a, &b);
    assert_string_equal(a.name, "canon.example");
    assert_int_equal(a.alias_count, 2);
    assert_string_equal(a.aliases[1], "other.example");
    assert_int_equal(a.addr_count, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_name),
        cmocka_unit_test(test_match_addr),
        cmocka_unit_test(test_hostile_input),
        cmocka_unit_test(test_reverse_keys),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_host_bounds),
        cmocka_unit_test(test_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
