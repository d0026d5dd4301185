/* nsp_servers_test.c - CMocka tests of openws2nsp's DNS server list parsing and settings clamps
 * (dlls/nsp/nsp_servers.c): ports, IPv6 brackets and scopes, separators, invalid and duplicate
 * entries, the entry limit, hostile strings.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "nsp_servers.h"

static struct nsp_server s[NSP_MAX_SERVERS];

static void test_forms(void **state)
{
    (void)state;
    assert_int_equal(nsp_parse_server_list("127.0.0.1:5353", s, NSP_MAX_SERVERS), 1);
    assert_int_equal(s[0].family, AF_INET);
    assert_memory_equal(s[0].addr, "\x7f\0\0\x01", 4);
    assert_int_equal(s[0].port, 5353);
    assert_int_equal(nsp_parse_server_list("10.1.2.3", s, NSP_MAX_SERVERS), 1);
    assert_int_equal(s[0].port, 53);
    assert_int_equal(nsp_parse_server_list("[::1]:5300, ::1 ;[fe80::1%3]:54\t2001:db8::5", s, NSP_MAX_SERVERS), 4);
    assert_int_equal(s[0].family, AF_INET6);
    assert_int_equal(s[0].port, 5300);
    assert_int_equal(s[1].port, 53);
    assert_int_equal(s[2].port, 54);
    assert_int_equal(s[2].scope, 3);
    assert_int_equal(s[3].addr[15], 5);
    assert_int_equal(nsp_parse_server_list("1.1.1.1,2.2.2.2:1,3.3.3.3:65535", s, NSP_MAX_SERVERS), 3);
    assert_int_equal(s[2].port, 65535);
}

static void test_invalid(void **state)
{
    (void)state;
    assert_int_equal(nsp_parse_server_list("", s, NSP_MAX_SERVERS), 0);
    assert_int_equal(nsp_parse_server_list(NULL, s, NSP_MAX_SERVERS), 0);
    assert_int_equal(nsp_parse_server_list(" , ;; ", s, NSP_MAX_SERVERS), 0);
    /* skipped: port 0, port too big, names, non-strict IPv4, garbage; the valid one kept */
    assert_int_equal(nsp_parse_server_list("1.2.3.4:0 1.2.3.4:65536 dns.example 1.2 0x7f.1 [::1]:0 [::1 ::1]:5 9.9.9.9",
                                           s, NSP_MAX_SERVERS), 1);
    assert_memory_equal(s[0].addr, "\x09\x09\x09\x09", 4);
    /* duplicates once */
    assert_int_equal(nsp_parse_server_list("8.8.8.8 8.8.8.8:53 8.8.8.8:54", s, NSP_MAX_SERVERS), 2);
    /* an over-long entry is skipped, not truncated into something else */
    {
        char text[300];
        memset(text, '1', sizeof(text));
        text[sizeof(text) - 1] = 0;
        assert_int_equal(nsp_parse_server_list(text, s, NSP_MAX_SERVERS), 0);
    }
}

static void test_limit(void **state)
{
    char text[1024];
    size_t n = 0;
    int i;
    (void)state;
    for (i = 1; i <= 20; i++) n += (size_t)snprintf(text + n, sizeof(text) - n, "10.0.0.%d,", i);
    assert_int_equal(nsp_parse_server_list(text, s, NSP_MAX_SERVERS), NSP_MAX_SERVERS);
    assert_int_equal(s[NSP_MAX_SERVERS - 1].addr[3], NSP_MAX_SERVERS);
    assert_int_equal(nsp_parse_server_list(text, s, 2), 2);
}

static void test_clamp(void **state)
{
    (void)state;
    assert_int_equal(nsp_clamp_setting(0, NSP_TIMEOUT_DEFAULT_MS, NSP_TIMEOUT_MIN_MS, NSP_TIMEOUT_MAX_MS), NSP_TIMEOUT_DEFAULT_MS);
    assert_int_equal(nsp_clamp_setting(1, NSP_TIMEOUT_DEFAULT_MS, NSP_TIMEOUT_MIN_MS, NSP_TIMEOUT_MAX_MS), NSP_TIMEOUT_MIN_MS);
    assert_int_equal(nsp_clamp_setting(0xffffffff, 2, NSP_ATTEMPTS_MIN, NSP_ATTEMPTS_MAX), NSP_ATTEMPTS_MAX);
    assert_int_equal(nsp_clamp_setting(3, 2, NSP_ATTEMPTS_MIN, NSP_ATTEMPTS_MAX), 3);
}

static void test_key(void **state)
{
    struct nsp_server t[2];
    uint32_t k1, k2;
    (void)state;
    assert_int_equal(nsp_parse_server_list("127.0.0.1:5353,::1", s, NSP_MAX_SERVERS), 2);
    k1 = nsp_servers_key(s, 2);
    assert_int_equal(nsp_parse_server_list("127.0.0.1:5353, [::1]:53", t, 2), 2);
    assert_int_equal(nsp_servers_key(t, 2), k1);
    assert_int_equal(nsp_parse_server_list("127.0.0.1:5354,::1", t, 2), 2);
    k2 = nsp_servers_key(t, 2);
    assert_int_not_equal(k1, k2);
    assert_int_not_equal(nsp_servers_key(s, 1), k1);
    assert_int_not_equal(nsp_servers_key(s, 0), k1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_clamp),
        cmocka_unit_test(test_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
