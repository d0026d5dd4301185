/* lsp_socks5_test.c - CMocka tests of the SOCKS LSP's protocol messages (dlls/lsp_socks/
 * socks5_proto.c, RFC 1928 / RFC 1929): greeting, method choice, authentication request and reply,
 * CONNECT requests for IPv4/IPv6/domain-name targets, and replies (lengths by address type,
 * refusals, malformed and truncated input).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "socks5_proto.h"

static void test_greeting(void **state)
{
    uint8_t m[8], method = 0xaa;
    (void)state;
    assert_int_equal(socks5_greeting(m, 0), 3);
    assert_memory_equal(m, "\x05\x01\x00", 3);
    assert_int_equal(socks5_greeting(m, 1), 4);
    assert_memory_equal(m, "\x05\x02\x00\x02", 4);
    assert_int_equal(socks5_parse_method((const uint8_t *)"\x05\x00", 2, 0, &method), SOCKS5_OK);
    assert_int_equal(method, 0);
    assert_int_equal(socks5_parse_method((const uint8_t *)"\x05\x02", 2, 1, &method), SOCKS5_OK);
    assert_int_equal(socks5_parse_method((const uint8_t *)"\x05\x02", 2, 0, &method), SOCKS5_BAD_REPLY);
    assert_int_equal(socks5_parse_method((const uint8_t *)"\x05\xff", 2, 1, &method), SOCKS5_NO_METHOD);
    assert_int_equal(socks5_parse_method((const uint8_t *)"\x04\x00", 2, 0, &method), SOCKS5_BAD_REPLY);
    assert_int_equal(socks5_parse_method((const uint8_t *)"\x05", 1, 0, &method), SOCKS5_BAD_REPLY);
}

static void test_auth(void **state)
{
    uint8_t m[SOCKS5_MAX_AUTH_MSG];
    char big[300];
    (void)state;
    assert_int_equal(socks5_auth_request(m, "alice", "secret"), 3 + 5 + 6);
    assert_memory_equal(m, "\x01\x05" "alice" "\x06" "secret", 14);
    assert_int_equal(socks5_auth_request(m, "", "x"), 0);
    assert_int_equal(socks5_auth_request(m, "x", ""), 0);
    assert_int_equal(socks5_auth_request(m, NULL, "x"), 0);
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    assert_int_equal(socks5_auth_request(m, big, "x"), 0);
    big[255] = 0;
    assert_int_equal(socks5_auth_request(m, big, big), 3 + 255 + 255);
    assert_int_equal(socks5_parse_auth_reply((const uint8_t *)"\x01\x00", 2), SOCKS5_OK);
    assert_int_equal(socks5_parse_auth_reply((const uint8_t *)"\x01\x01", 2), SOCKS5_AUTH_FAILED);
    assert_int_equal(socks5_parse_auth_reply((const uint8_t *)"\x05\x00", 2), SOCKS5_BAD_REPLY);
    assert_int_equal(socks5_parse_auth_reply((const uint8_t *)"\x01", 1), SOCKS5_BAD_REPLY);
}

static void test_requests(void **state)
{
    uint8_t m[SOCKS5_MAX_MSG], v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
    char name[300];
    (void)state;
    v6[15] = 1;
    assert_int_equal(socks5_connect_ipv4(m, (const uint8_t *)"\x7f\x00\x00\x01", 8080), 10);
    assert_memory_equal(m, "\x05\x01\x00\x01\x7f\x00\x00\x01\x1f\x90", 10);
    assert_int_equal(socks5_connect_ipv6(m, v6, 443), 22);
    assert_memory_equal(m, "\x05\x01\x00\x04\x20\x01\x0d\xb8", 8);
    assert_int_equal(m[19], 1);
    assert_memory_equal(m + 20, "\x01\xbb", 2);
    assert_int_equal(socks5_connect_name(m, "example.org", 80), 4 + 1 + 11 + 2);
    assert_memory_equal(m, "\x05\x01\x00\x03\x0b" "example.org" "\x00\x50", 18);
    assert_int_equal(socks5_connect_name(m, "", 80), 0);
    memset(name, 'n', 256);
    name[256] = 0;
    assert_int_equal(socks5_connect_name(m, name, 80), 0);
    name[255] = 0;
    assert_int_equal(socks5_connect_name(m, name, 80), 4 + 1 + 255 + 2);
}

static void test_replies(void **state)
{
    uint8_t code = 0xaa;
    size_t need = 0;
    (void)state;
    assert_int_equal(socks5_parse_connect_reply((const uint8_t *)"\x05\x00\x00\x01\x00", 5, &need, &code),
                     SOCKS5_NEED_MORE);
    assert_int_equal(need, 10);
    assert_int_equal(socks5_parse_connect_reply((const uint8_t *)"\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00", 10, &need,
                                                &code), SOCKS5_OK);
    assert_int_equal(code, 0);
    assert_int_equal(socks5_parse_connect_reply((const uint8_t *)"\x05\x00\x00\x04\x00", 5, &need, &code),
                     SOCKS5_NEED_MORE);
    assert_int_equal(need, 22);
    assert_int_equal(socks5_parse_connect_reply((const uint8_t *)"\x05\x00\x00\x03\x07", 5, &need, &code),
                     SOCKS5_NEED_MORE);
    assert_int_equal(need, 4 + 1 + 7 + 2);
    assert_int_equal(socks5_parse_connect_reply((const uint8_t *)"\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00", 10, &need,
                                                &code), SOCKS5_REFUSED);
    assert_int_equal(code, 5);
    assert_int_equal(socks5_parse_connect_reply((const uint8_t *)"\x05\x00\x00\x09\x00", 5, &need, &code),
                     SOCKS5_BAD_REPLY);
    assert_int_equal(socks5_parse_connect_reply((const uint8_t *)"\x04\x00\x00\x01\x00", 5, &need, &code),
                     SOCKS5_BAD_REPLY);
    assert_int_equal(socks5_parse_connect_reply((const uint8_t *)"\x05\x00\x01\x01\x00", 5, &need, &code),
                     SOCKS5_BAD_REPLY);
    assert_int_equal(socks5_parse_connect_reply((const uint8_t *)"\x05\x00\x00", 3, &need, &code), SOCKS5_BAD_REPLY);
}

/* UDP ASSOCIATE / BIND requests, reply addresses and the RFC 1928 section 7 datagram header. */
static void test_udp(void **state)
{
    static const uint8_t a4[4] = { 127, 0, 0, 1 };
    uint8_t m[SOCKS5_UDP_MAX_HEADER + 8], a6[16], addr[16], atyp = 0, frag = 9;
    uint16_t port = 0;
    size_t hdr = 0;
    (void)state;
    memset(a6, 0, 16);
    a6[15] = 1;
    assert_int_equal(socks5_request(m, SOCKS5_CMD_UDP_ASSOCIATE, 0, a4, 0x1234), 10);
    assert_memory_equal(m, "\x05\x03\x00\x01\x7f\x00\x00\x01\x12\x34", 10);
    assert_int_equal(socks5_request(m, SOCKS5_CMD_BIND, 1, a6, 21), 22);
    assert_memory_equal(m, "\x05\x02\x00\x04", 4);
    assert_int_equal(m[19], 1);
    assert_int_equal(m[21], 21);
    assert_int_equal(socks5_reply_address((const uint8_t *)"\x05\x00\x00\x01\x7f\x00\x00\x01\x04\x38", 10, &atyp, addr,
                                          &port), SOCKS5_OK);
    assert_int_equal(atyp, SOCKS5_ATYP_IPV4);
    assert_memory_equal(addr, a4, 4);
    assert_int_equal(port, 1080);
    assert_int_equal(socks5_reply_address((const uint8_t *)"\x05\x00\x00\x03\x01x\x00\x01", 8, &atyp, addr, &port),
                     SOCKS5_BAD_REPLY);
    assert_int_equal(socks5_reply_address((const uint8_t *)"\x05\x00\x00\x04\x00", 5, &atyp, addr, &port),
                     SOCKS5_BAD_REPLY);
    assert_int_equal(socks5_udp_header(m, 0, a4, 53), 10);
    assert_memory_equal(m, "\x00\x00\x00\x01\x7f\x00\x00\x01\x00\x35", 10);
    assert_int_equal(socks5_parse_udp_header(m, 10, &frag, &atyp, addr, &port, &hdr), SOCKS5_OK);
    assert_int_equal(frag, 0);
    assert_int_equal(hdr, 10);
    assert_int_equal(port, 53);
    assert_int_equal(socks5_udp_header(m, 1, a6, 0xffff), 22);
    m[2] = 3;
    assert_int_equal(socks5_parse_udp_header(m, 22, &frag, &atyp, addr, &port, &hdr), SOCKS5_OK);
    assert_int_equal(frag, 3);
    assert_int_equal(atyp, SOCKS5_ATYP_IPV6);
    assert_memory_equal(addr, a6, 16);
    assert_int_equal(hdr, 22);
    assert_int_equal(socks5_parse_udp_header(m, 21, &frag, &atyp, addr, &port, &hdr), SOCKS5_BAD_REPLY);
    m[0] = 1; /* RSV must be 0 */
    assert_int_equal(socks5_parse_udp_header(m, 22, &frag, &atyp, addr, &port, &hdr), SOCKS5_BAD_REPLY);
    assert_int_equal(socks5_parse_udp_header((const uint8_t *)"\x00\x00\x00\x03\x01x\x00\x01", 8, &frag, &atyp, addr,
                                             &port, &hdr), SOCKS5_BAD_REPLY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_greeting),
        cmocka_unit_test(test_auth),
        cmocka_unit_test(test_requests),
        cmocka_unit_test(test_replies),
        cmocka_unit_test(test_udp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
