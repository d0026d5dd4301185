/* addr_parse_test.c - CMocka tests of src/addr/addr_parse.c against Windows' documented and observed
 * behaviour of inet_addr, inet_pton (strict IPv4 and RFC 4291 IPv6), WSAStringToAddress (ports,
 * brackets, scope ids) and the IPv6 text form RtlIpv6AddressToString / inet_ntop print.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "addr_parse.h"

#define FAIL4 { 0xff, 0xff, 0xff, 0xff }

struct v4_case
{
    const char *input;
    int ok;
    uint8_t addr[4];
};

/* inet_addr: loose forms, trailing white space (and anything after it) accepted, a lone " " is 0. */
static const struct v4_case inet_addr_cases[] =
{
    { "1.2.3.4", 1, { 1, 2, 3, 4 } },
    { "1 2 3 4", 1, { 0, 0, 0, 1 } },
    { "1.2.3. 4", 0, FAIL4 },
    { "1.2.3 .4", 1, { 1, 2, 0, 3 } },
    { "1.2.3 \xfe\xff", 1, { 1, 2, 0, 3 } },
    { "3.4.5.6.7", 0, FAIL4 },
    { "3.4.5.6. 7", 0, FAIL4 },
    { "3.4.5.6  7", 1, { 3, 4, 5, 6 } },
    { " 3.4.5.6", 0, FAIL4 },
    { "\t3.4.5.6", 0, FAIL4 },
    { "3.4.5.6 ", 1, { 3, 4, 5, 6 } },
    { "3.4.5.6\t", 1, { 3, 4, 5, 6 } },
    { "3.4.5.6\n", 1, { 3, 4, 5, 6 } },
    { "3. 4.5.6", 0, FAIL4 },
    { "3 .4.5.6", 1, { 0, 0, 0, 3 } },
    { "1.2.3", 1, { 1, 2, 0, 3 } },
    { ".1.2.3", 0, FAIL4 },
    { "0.0.0.0", 1, { 0, 0, 0, 0 } },
    { "", 0, FAIL4 },
    { " 0", 0, FAIL4 },
    { "0xa1a2b3b4 ", 1, { 0xa1, 0xa2, 0xb3, 0xb4 } },
    { ".", 0, FAIL4 },
    { " ", 1, { 0, 0, 0, 0 } },
    { "\t", 0, FAIL4 },
    { "  ", 0, FAIL4 },
    { "127.127.127.255", 1, { 127, 127, 127, 255 } },
    { "127.127.127.255:123", 0, FAIL4 },
    { "127.127.127.256", 0, FAIL4 },
    { "255.255.255.255", 1, { 255, 255, 255, 255 } },
    { "a", 0, FAIL4 },
    { "1.2.3.0xaA", 1, { 1, 2, 3, 0xaa } },
    { "1.1.1.0x", 0, FAIL4 },
    { "1.2.3.010", 1, { 1, 2, 3, 8 } },
    { "1.2.3.00", 1, { 1, 2, 3, 0 } },
    { "1.2.3.0a", 0, FAIL4 },
    { "1.1.1.0o10", 0, FAIL4 },
    { "1.1.1.0b10", 0, FAIL4 },
    { "1.1.1.-2", 0, FAIL4 },
    { "1.1.1.08", 0, FAIL4 },
    { "1", 1, { 0, 0, 0, 1 } },
    { "1.2", 1, { 1, 0, 0, 2 } },
    { "203569230", 1, { 12, 34, 56, 78 } },
    { "1.223756", 1, { 1, 3, 106, 12 } },
    { "3.4.756", 1, { 3, 4, 2, 244 } },
    { "756.3.4", 0, FAIL4 },
    { "3.756.4", 0, FAIL4 },
    { "3.4.65536", 0, FAIL4 },
    { "1000.2000", 0, FAIL4 },
    { "1..2", 0, FAIL4 },
    { "[0.1.2.3]", 0, FAIL4 },
    { "0x00010203", 1, { 0, 1, 2, 3 } },
    { "0x2134", 1, { 0, 0, 0x21, 0x34 } },
    { "0x123456789", 1, { 0x23, 0x45, 0x67, 0x89 } },   /* Windows truncates this one */
    { "1.1.1.0x100000000", 0, FAIL4 },
    { "255.255.255.4294967296", 0, FAIL4 },
    { "1234BEEF", 0, FAIL4 },
    { "017700000001", 1, { 127, 0, 0, 1 } },
    { "0777", 1, { 0, 0, 1, 255 } },
    { "2607:f0d0:1002:51::4", 0, FAIL4 },
    { "::1", 0, FAIL4 },
    { ":1", 0, FAIL4 },
};

static void test_inet_addr_table(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < OPENWS2_ARRAY_SIZE(inet_addr_cases); i++)
    {
        const struct v4_case *c = &inet_addr_cases[i];
        uint8_t out[4] = { 0xab, 0xab, 0xab, 0xab };
        int ret = addr_inet_addr(c->input, out);
        if ((ret == 0) != c->ok || (c->ok && memcmp(out, c->addr, 4)))
            fail_msg("inet_addr(\"%s\"): ret %d, got %u.%u.%u.%u", c->input, ret, out[0], out[1], out[2], out[3]);
    }
    assert_int_equal(addr_inet_addr(NULL, (uint8_t[4]){ 0 }), -1);
}

/* Every non-digit character after "1.2.3": accepted exactly when it is white space. */
static void test_inet_addr_terminators(void **state)
{
    char s[8] = "1.2.3";
    int c;
    (void)state;

    for (c = 1; c < 256; c++)
    {
        uint8_t out[4];
        int space = c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
        if (c >= '0' && c <= '9') continue;
        s[5] = (char)c;
        s[6] = 0;
        if ((addr_inet_addr(s, out) == 0) != space) fail_msg("terminator %#x", c);
    }
}

/* inet_pton(AF_INET): exactly four decimal parts, no leading zeros, the whole string. */
static const struct v4_case pton4_cases[] =
{
    { "", 0, FAIL4 }, { " ", 0, FAIL4 },
    { "1.1.1.1", 1, { 1, 1, 1, 1 } }, { "0.0.0.0", 1, { 0, 0, 0, 0 } },
    { "127.127.127.255", 1, { 127, 127, 127, 255 } },
    { "255.255.255.255", 1, { 255, 255, 255, 255 } },
    { "127.127.127.255:123", 0, FAIL4 }, { "127.127.127.256", 0, FAIL4 },
    { "a", 0, FAIL4 }, { "1.1.1.0xaA", 0, FAIL4 }, { "1.1.1.0x", 0, FAIL4 },
    { "1.1.1.010", 0, FAIL4 }, { "1.1.1.00", 0, FAIL4 }, { "1.1.1.0a", 0, FAIL4 },
    { "1.1.1.-2", 0, FAIL4 }, { "1", 0, FAIL4 }, { "1.2", 0, FAIL4 }, { "1.2.3", 0, FAIL4 },
    { "203569230", 0, FAIL4 }, { "3.4.5.6.7", 0, FAIL4 }, { " 3.4.5.6", 0, FAIL4 },
    { "3.4.5.6 ", 0, FAIL4 }, { "3. 4.5.6", 0, FAIL4 }, { "[0.1.2.3]", 0, FAIL4 },
    { "0x00010203", 0, FAIL4 }, { "017700000001", 0, FAIL4 }, { "0777", 0, FAIL4 },
    { "::1", 0, FAIL4 }, { "10.0.0.1", 1, { 10, 0, 0, 1 } }, { "192.168.0.0", 1, { 192, 168, 0, 0 } },
    { "1.2.3.4.", 0, FAIL4 }, { "1.2.3.1000", 0, FAIL4 },
};

static void test_pton4_table(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < OPENWS2_ARRAY_SIZE(pton4_cases); i++)
    {
        const struct v4_case *c = &pton4_cases[i];
        uint8_t out[4] = { 0xab, 0xab, 0xab, 0xab };
        const char *end;
        int ok = addr_parse_ipv4(c->input, 1, &end, out) == 0 && !*end;
        if (ok != c->ok || (c->ok && memcmp(out, c->addr, 4)))
            fail_msg("pton4(\"%s\"): ok %d, got %u.%u.%u.%u", c->input, ok, out[0], out[1], out[2], out[3]);
        memset(out, 0xab, sizeof(out));
        if (addr_parse_ipv4(c->input, 1, &end, out) < 0)
        {
            /* a failed parse leaves the output alone */
            const uint8_t untouched[4] = { 0xab, 0xab, 0xab, 0xab };
            if (memcmp(out, untouched, 4)) fail_msg("pton4(\"%s\") wrote on failure", c->input);
        }
    }
}

struct v6_case
{
    const char *input;
    int ok;
    uint16_t groups[8];
};

/* inet_pton(AF_INET6): Windows' results (one "::" standing for one or more groups, dotted tails
 * only in the last 32 bits with one to three digits per part, at most four hex digits per group). */
static const struct v6_case pton6_cases[] =
{
    { "0000:0000:0000:0000:0000:0000:0000:0000", 1, { 0 } },
    { "0:0:0:0:0:0:0:1", 1, { 0, 0, 0, 0, 0, 0, 0, 1 } },
    { "0:0:0:0:0:0:0::", 1, { 0 } },
    { "0:0:0:0:0:0:13.1.68.3", 1, { 0, 0, 0, 0, 0, 0, 0x0d01, 0x4403 } },
    { "0:0:0:0:0:FFFF:129.144.52.38", 1, { 0, 0, 0, 0, 0, 0xffff, 0x8190, 0x3426 } },
    { "0::", 1, { 0 } },
    { "::", 1, { 0 } },
    { "::1", 1, { 0, 0, 0, 0, 0, 0, 0, 1 } },
    { "1080:0:0:0:8:800:200c:417a", 1, { 0x1080, 0, 0, 0, 8, 0x800, 0x200c, 0x417a } },
    { "1111:2222:3333:4444:5555:6666:123.123.123.123", 1, { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7b7b, 0x7b7b } },
    { "1111:2222:3333:4444:5555:6666:7777:8888", 1, { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888 } },
    { "1111:2222:3333:4444:0x5555:6666:7777:8888", 0, { 0 } },
    { "1111:2222:3333:4444:x555:6666:7777:8888", 0, { 0 } },
    { "1111:2222:3333:4444:5555:6666:7777::", 1, { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0 } },
    { "1111:2222:3333:4444:5555:6666::8888", 1, { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0, 0x8888 } },
    { "1111:2222:3333:4444:5555:6666::7777:8888", 0, { 0 } },
    { "1111:2222:3333:4444:5555:6666:7777::8888", 0, { 0 } },
    { "1111:2222:3333:4444:5555::123.123.123.123", 1, { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0, 0x7b7b, 0x7b7b } },
    { "1111:2222:3333:4444:5555::0x1.123.123.123", 0, { 0 } },
    { "1111:2222:3333:4444:5555::08888", 0, { 0 } },
    { "1111:2222:3333:4444:5555:6666:7777:fffff:", 0, { 0 } },
    { "1111::", 1, { 0x1111 } },
    { "1111::123.123.123.123", 1, { 0x1111, 0, 0, 0, 0, 0, 0x7b7b, 0x7b7b } },
    { "1111::8888", 1, { 0x1111, 0, 0, 0, 0, 0, 0, 0x8888 } },
    { "1:2:3:4:5:6:1.2.3.4", 1, { 1, 2, 3, 4, 5, 6, 0x0102, 0x0304 } },
    { "2001:0000:1234:0000:0000:C1C0:ABCD:0876", 1, { 0x2001, 0, 0x1234, 0, 0, 0xc1c0, 0xabcd, 0x0876 } },
    { "2001:db8:85a3::8a2e:370:7334", 1, { 0x2001, 0xdb8, 0x85a3, 0, 0, 0x8a2e, 0x370, 0x7334 } },
    { "::0:a:b:c:d:e:f", 1, { 0, 0, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf } },
    { "::123.123.123.123", 1, { 0, 0, 0, 0, 0, 0, 0x7b7b, 0x7b7b } },
    { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1, { 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff } },
    { "':10.0.0.1", 0, { 0 } }, { "-1", 0, { 0 } },
    { "02001:0000:1234:0000:0000:C1C0:ABCD:0876", 0, { 0 } },
    { "2001:00000:1234:0000:0000:C1C0:ABCD:0876", 0, { 0 } },
    { "2001:0::b.0", 0, { 0 } }, { "1.2.3.4", 0, { 0 } }, { "1.2.3.4::5555", 0, { 0 } },
    { "1111", 0, { 0 } }, { "0x1111", 0, { 0 } }, { "1111:2222:", 0, { 0 } },
    { "1111:2222:1.2.3.4", 0, { 0 } }, { "1111:2222:3333", 0, { 0 } },
    { "1111:2222:3333:4444:5555:6666::1.2.3.4", 0, { 0 } },
    { "1111:2222:3333:4444:5555:6666:7777:1.2.3.4", 0, { 0 } },
    { "1111:2222:3333:4444:5555:6666:7777:8888:", 0, { 0 } },
    { "1111:2222:3333:4444:5555:6666:7777:8888:9999", 0, { 0 } },
    { "1111:2222:::", 0, { 0 } }, { "1111::5555:", 0, { 0 } },
    { "1111::3333::5555:6666:1.2.3.4", 0, { 0 } }, { "12345::6:7:8", 0, { 0 } },
    { "1::001.2.3.4", 1, { 1, 0, 0, 0, 0, 0, 0x0102, 0x0304 } },
    { "1::1.002.3.4", 1, { 1, 0, 0, 0, 0, 0, 0x0102, 0x0304 } },
    { "1::0001.2.3.4", 0, { 0 } }, { "1::1.0002.3.4", 0, { 0 } }, { "1::1.2.256.4", 0, { 0 } },
    { "1::1.2.3.256", 0, { 0 } }, { "1::1.2.3.300.", 0, { 0 } }, { "1::1.2::1", 0, { 0 } },
    { "1::1.2.3.4::1", 0, { 0 } }, { "1::1.", 0, { 0 } }, { "1::1.2", 0, { 0 } }, { "1::1.2.3", 0, { 0 } },
    { "1::1.2.3.", 0, { 0 } }, { "1::1a.2.3.4", 0, { 0 } }, { "1::2::3", 0, { 0 } },
    { "2001:0000:1234: 0000:0000:C1C0:ABCD:0876", 0, { 0 } },
    { "2001:0000:1234:0000:0000:C1C0:ABCD:0876  0", 0, { 0 } },
    { "2001::FFD3::57ab", 0, { 0 } }, { ":", 0, { 0 } }, { ":1111::", 0, { 0 } },
    { ":1111:2222:3333:4444:5555:6666:7777:8888", 0, { 0 } },
    { "::-1", 0, { 0 } }, { "::12345678", 0, { 0 } }, { "::0x80000000", 0, { 0 } }, { "::.", 0, { 0 } },
    { "XXXX:XXXX:XXXX:XXXX:XXXX:XXXX:1.2.3.4", 0, { 0 } }, { "[::]", 0, { 0 } },
    { "::1%1", 0, { 0 } }, { "", 0, { 0 } },
};

static void test_pton6_table(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < OPENWS2_ARRAY_SIZE(pton6_cases); i++)
    {
        const struct v6_case *c = &pton6_cases[i];
        uint8_t out[16], expect[16];
        const char *end;
        int ok, j;

        memset(out, 0xab, sizeof(out));
        ok = addr_parse_ipv6(c->input, &end, out) == 0 && !*end;
        for (j = 0; j < 8; j++)
        {
            expect[2 * j] = (uint8_t)(c->groups[j] >> 8);
            expect[2 * j + 1] = (uint8_t)c->groups[j];
        }
        if (ok != c->ok) fail_msg("pton6(\"%s\"): ok %d, expected %d", c->input, ok, c->ok);
        if (ok && memcmp(out, expect, 16)) fail_msg("pton6(\"%s\"): wrong address", c->input);
    }
}

/* Windows writes an IPv6 address as it reads it (Wine's protocol.c, inet_pton and
 * WSAStringToAddress tables): on failure the groups read so far stay in the caller's buffer in
 * reading order, "::" unexpanded; a complete address is expanded even when text follows. bytes:
 * the 16 bytes expected from a buffer filled with 0xab, as hex. */
struct partial6_case
{
    const char *input;
    int ex;       /* addr_parse_ipv6_ex instead of addr_parse_ipv6 */
    int ok;       /* success with the whole string read */
    const char *bytes;
};

static const struct partial6_case partial6_cases[] =
{
    { "1111:2222:3333:4444:0x5555:6666:7777:8888", 0, 0, "1111222233334444abababababababab" },
    { "1111:2222:3333:4444:5555::0x88", 0, 0, "11112222333344445555000000000088" },
    { "1111:2222:3333:4444::5555:0x012345678", 0, 0, "11112222333344440000000055555678" },
    { "::0x123456789", 0, 0, "0000000000000000000000000000ffff" },
    { "1111:2222:1.2.3.4", 0, 0, "11112222010203ababababababababab" },
    { "1111::5555:", 0, 0, "11115555abababababababababababab" },
    { "1111:2222:::", 0, 0, "11112222000000000000000000000000" },
    { "2001::FFD3::57ab", 0, 0, "2001000000000000000000000000ffd3" },
    { "1::1a.2.3.4", 0, 0, "0001000000000000000000000000001a" },
    { "::01234", 0, 0, "0000abababababababababababababab" },
    { "1::1.2.3.300.", 0, 0, "0001010203ababababababababababab" },
    { "1111:2222:3333:4444:5555:6666:7777:1.2.3.4", 0, 0, "11112222333344445555666677770001" },
    { "2001:1:1:1:1:1:255Z255X255Y255", 0, 0, "200100010001000100010001abababab" },
    { "1111:2222:3333:4444:5555:6666:7777:fffff:", 0, 0, "1111222233334444555566667777abab" },
    { "1111:2222:3333:4444:5555::0X", 0, 0, "11112222333344445555000000000000" },
    { "1.2.3.4", 0, 0, "010203ababababababababababababab" },
    { "::%16", 0, 0, "00000000000000000000000000000000" },
    { "1111::3333:4444:5555:6666:7777::", 0, 0, "11110000000033334444555566667777" },
    { "1111:2222:3333:4444:5555:6666:7777:8888", 0, 1, "11112222333344445555666677778888" },
    { "::1]:65535", 1, 0, "00000000000000000000000000000001" },
    { "1:2:3:", 1, 0, "000100020003abababababababababab" },
    { "[::0x1]", 1, 0, "00000000000000000000000000000001" },
    { "[1::2]:80", 1, 1, "00010000000000000000000000000002" },
};

static void test_partial6_table(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < OPENWS2_ARRAY_SIZE(partial6_cases); i++)
    {
        const struct partial6_case *c = &partial6_cases[i];
        uint8_t out[16], expect[16];
        const char *end = "";
        uint32_t scope;
        uint16_t port;
        unsigned b;
        int ok, j;

        for (j = 0; j < 16; j++)
        {
            if (sscanf(c->bytes + 2 * j, "%2x", &b) != 1) fail_msg("bad table row %u", (unsigned)i);
            expect[j] = (uint8_t)b;
        }
        memset(out, 0xab, sizeof(out));
        if (c->ex) ok = addr_parse_ipv6_ex(c->input, out, &scope, &port) == 0;
        else ok = addr_parse_ipv6(c->input, &end, out) == 0 && !*end;
        if (ok != c->ok) fail_msg("partial6(\"%s\"): ok %d, expected %d", c->input, ok, c->ok);
        if (memcmp(out, expect, 16)) fail_msg("partial6(\"%s\"): wrong partial address", c->input);
    }
}

struct fmt6_case
{
    uint16_t groups[8];
    const char *text;
};

/* How Windows prints IPv6 addresses (RtlIpv6AddressToString / inet_ntop). */
static const struct fmt6_case fmt6_cases[] =
{
    { { 0, 0, 0, 0, 0, 0, 0x0d01, 0x4403 }, "::13.1.68.3" },
    { { 0, 0, 0, 0, 0, 0, 0, 0xffff }, "::ffff" },
    { { 0, 0, 0, 0, 0, 0, 0x0001, 0 }, "::0.1.0.0" },
    { { 0, 0, 0, 0, 0, 0xffff, 0x0d01, 0x4403 }, "::ffff:13.1.68.3" },
    { { 0, 0, 0, 0, 0, 0xfffe, 0x0d01, 0x4403 }, "::fffe:d01:4403" },
    { { 0, 0, 0, 0, 0, 0x0001, 0x0d01, 0x4403 }, "::1:d01:4403" },
    { { 0, 0, 0, 0, 0x0001, 0, 0x0d01, 0x4403 }, "::1:0:d01:4403" },
    { { 0, 0, 0, 0, 0, 0xffff, 0, 0x0344 }, "::ffff:0:344" },
    { { 0, 0, 0, 0, 0, 0xffff, 0x0001, 0 }, "::ffff:0.1.0.0" },
    { { 0, 0, 0, 0, 0, 0xffff, 0, 0 }, "::ffff:0:0" },
    { { 0, 0, 0, 0, 0xffff, 0, 0x0001, 0 }, "::ffff:0:0.1.0.0" },
    { { 0, 0, 0, 0, 0xffff, 0, 0x0d01, 0x4403 }, "::ffff:0:13.1.68.3" },
    { { 0, 0, 0, 0, 0xffff, 0xffff, 0x0d01, 0x4403 }, "::ffff:ffff:d01:4403" },
    { { 0, 0, 0, 0xffff, 0, 0, 0x0d01, 0x4403 }, "::ffff:0:0:d01:4403" },
    { { 0, 0, 0, 0, 0, 0xffff, 0xffff, 0xffff }, "::ffff:255.255.255.255" },
    { { 0, 0, 0, 0, 0, 0x5efe, 0, 0 }, "::5efe:0.0.0.0" },
    { { 0, 0, 0, 0, 0, 0x5efe, 0x8190, 0x3426 }, "::5efe:129.144.52.38" },
    { { 0x1111, 0x2222, 0x3333, 0x4444, 0, 0x5efe, 0x8190, 0x3426 }, "1111:2222:3333:4444:0:5efe:129.144.52.38" },
    { { 0x1111, 0x2222, 0x3333, 0, 0, 0x5efe, 0x8190, 0x3426 }, "1111:2222:3333::5efe:129.144.52.38" },
    { { 0x1111, 0, 0, 0, 0, 0x5efe, 0x8190, 0x3426 }, "1111::5efe:129.144.52.38" },
    { { 0, 0, 0, 0, 0x0300, 0x5efe, 0x8190, 0x3426 }, "::300:5efe:8190:3426" },
    { { 0, 0, 0, 0, 0x0200, 0x5efe, 0x8190, 0x3426 }, "::200:5efe:129.144.52.38" },
    { { 0, 0, 0, 0, 0x0100, 0x5efe, 0x8190, 0x3426 }, "::100:5efe:8190:3426" },
    { { 0, 0, 0, 0, 0, 0, 0, 1 }, "::1" },
    { { 0, 0, 0, 0, 0, 0, 0, 0 }, "::" },
    { { 0, 1, 2, 3, 4, 5, 6, 7 }, "0:1:2:3:4:5:6:7" },
    { { 0x1080, 0, 0, 0, 8, 0x800, 0x200c, 0x417a }, "1080::8:800:200c:417a" },
    { { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0, 0 }, "1111:2222:3333:4444:5555:6666::" },
    { { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0, 0x8888 }, "1111:2222:3333:4444:5555:6666:0:8888" },
    { { 0x1111, 0, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888 }, "1111:0:3333:4444:5555:6666:7777:8888" },
    { { 0x2001, 0, 0x1234, 0, 0, 0xc1c0, 0xabcd, 0x0876 }, "2001:0:1234::c1c0:abcd:876" },
    { { 0x3ffe, 0x0b00, 0, 0, 1, 0, 0, 0xa }, "3ffe:b00::1:0:0:a" },
    { { 0, 0, 0, 0xa, 0xb, 0xc, 0xd, 0xe }, "::a:b:c:d:e" },
    { { 0x1111, 0x2222, 0, 0, 0, 0, 0, 0 }, "1111:2222::" },
    { { 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff }, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
    { { 0, 0, 0, 0, 0, 0xfffe, 0xcc98, 0xbd74 }, "::fffe:cc98:bd74" },
    { { 0x2030, 0xa4b1, 0, 0, 0, 0, 0, 0 }, "2030:a4b1::" },
    { { 0, 0, 0, 0, 0, 0, 0xcc98, 0xbd74 }, "::204.152.189.116" },
};

static void groups_to_bytes(const uint16_t g[8], uint8_t out[16])
{
    int j;
    for (j = 0; j < 8; j++)
    {
        out[2 * j] = (uint8_t)(g[j] >> 8);
        out[2 * j + 1] = (uint8_t)g[j];
    }
}

static void test_format6_table(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < OPENWS2_ARRAY_SIZE(fmt6_cases); i++)
    {
        uint8_t addr[16], back[16];
        char text[ADDR_IPV6_STRLEN];
        const char *end;
        size_t len;

        groups_to_bytes(fmt6_cases[i].groups, addr);
        len = addr_format_ipv6(addr, text);
        if (strcmp(text, fmt6_cases[i].text)) fail_msg("format6: got \"%s\", expected \"%s\"", text, fmt6_cases[i].text);
        assert_int_equal(len, strlen(text));
        /* and it parses back to the same address */
        assert_int_equal(addr_parse_ipv6(text, &end, back), 0);
        assert_int_equal(*end, 0);
        assert_memory_equal(addr, back, 16);
    }
}

static void test_format_longest(void **state)
{
    uint8_t addr[16];
    char text[ADDR_IPV6_FULL_STRLEN];
    uint16_t g[8] = { 0xffff, 0xffff, 0xffff, 0xffff, 0, 0x5efe, 0xffff, 0xffff };
    (void)state;

    groups_to_bytes(g, addr);
    assert_int_equal(addr_format_ipv6(addr, text), strlen("ffff:ffff:ffff:ffff:0:5efe:255.255.255.255"));
    assert_string_equal(text, "ffff:ffff:ffff:ffff:0:5efe:255.255.255.255");
    g[4] = 0x0200;
    groups_to_bytes(g, addr);
    assert_true(addr_format_ipv6_ex(addr, 0xffffffffu, 65535, text) < ADDR_IPV6_FULL_STRLEN);
    assert_string_equal(text, "[ffff:ffff:ffff:ffff:200:5efe:255.255.255.255%4294967295]:65535");
}

static void test_format4(void **state)
{
    char text[ADDR_IPV4_FULL_STRLEN];
    (void)state;

    assert_int_equal(addr_format_ipv4((const uint8_t[4]){ 21, 16, 32, 32 }, text), 11);
    assert_string_equal(text, "21.16.32.32");
    addr_format_ipv4_ex((const uint8_t[4]){ 0, 0, 0, 0 }, 0, text);
    assert_string_equal(text, "0.0.0.0");
    addr_format_ipv4_ex((const uint8_t[4]){ 255, 255, 255, 255 }, 65535, text);
    assert_string_equal(text, "255.255.255.255:65535");
    addr_format_ipv4_ex((const uint8_t[4]){ 0, 0, 0, 0 }, 65535, text);
    assert_string_equal(text, "0.0.0.0:65535");
}

static void test_format6_ex(void **state)
{
    uint8_t addr[16];
    char text[ADDR_IPV6_FULL_STRLEN];
    uint16_t g[8] = { 0x20ab, 0, 0, 0, 0, 0, 0, 0x2001 };
    (void)state;

    groups_to_bytes(g, addr);
    addr_format_ipv6_ex(addr, 0, 0, text);
    assert_string_equal(text, "20ab::2001");
    addr_format_ipv6_ex(addr, 0, 33274, text);
    assert_string_equal(text, "[20ab::2001]:33274");
    addr_format_ipv6_ex(addr, 4660, 33274, text);
    assert_string_equal(text, "[20ab::2001%4660]:33274");
    addr_format_ipv6_ex(addr, 4660, 0, text);
    assert_string_equal(text, "20ab::2001%4660");
}

struct v4ex_case
{
    const char *input;
    int ok;
    uint8_t addr[4];
    uint16_t port;
    int addr_written;    /* Windows leaves the address in the sockaddr despite the failure */
};

/* WSAStringToAddress(AF_INET): loose IPv4 forms, ":port" (loose number, 1..65535), nothing else. */
static const struct v4ex_case v4ex_cases[] =
{
    { "", 0, { 0 }, 0, 0 }, { " ", 0, { 0 }, 0, 0 },
    { "1.1.1.1", 1, { 1, 1, 1, 1 }, 0, 1 },
    { "127.127.127.127:", 0, { 127, 127, 127, 127 }, 0, 1 },
    { "127.127.127.127:0", 0, { 127, 127, 127, 127 }, 0, 1 },
    { "127.127.127.127:123", 1, { 127, 127, 127, 127 }, 123, 1 },
    { "127.127.127.127:65535", 1, { 127, 127, 127, 127 }, 65535, 1 },
    { "127.127.127.127:65537", 0, { 127, 127, 127, 127 }, 0, 1 },
    { "127.127.127.127::1", 0, { 127, 127, 127, 127 }, 0, 1 },
    { "127.127.127.127:0xAbCd", 1, { 127, 127, 127, 127 }, 43981, 1 },
    { "127.127.127.127:0x", 0, { 127, 127, 127, 127 }, 0, 1 },
    { "127.127.127.127:0x10000", 0, { 127, 127, 127, 127 }, 0, 1 },
    { "127.127.127.127:010", 1, { 127, 127, 127, 127 }, 8, 1 },
    { "127.127.127.127:007", 1, { 127, 127, 127, 127 }, 7, 1 },
    { "127.127.127.127:08", 0, { 127, 127, 127, 127 }, 0, 1 },
    { "127.127.127.127:008", 0, { 127, 127, 127, 127 }, 0, 1 },
    { "127.127.127.127:0a", 0, { 127, 127, 127, 127 }, 0, 1 },
    { "255.255.255.256", 0, { 0 }, 0, 0 },
    { "1.1.1.0xaA", 1, { 1, 1, 1, 0xaa }, 0, 1 },
    { "1.1.1.0x100", 0, { 0 }, 0, 0 },
    { "1.1.1.008", 0, { 1, 1, 1, 0 }, 0, 1 },
    { "1.1.1.0a", 0, { 1, 1, 1, 0 }, 0, 1 },
    { "1", 1, { 0, 0, 0, 1 }, 0, 1 },
    { "1:1", 1, { 0, 0, 0, 1 }, 1, 1 },
    { "1.2:1", 1, { 1, 0, 0, 2 }, 1, 1 },
    { "1.2.3:1", 1, { 1, 2, 0, 3 }, 1, 1 },
    { "203569230:123", 1, { 12, 34, 56, 78 }, 123, 1 },
    { "2001::1", 0, { 0, 0, 7, 0xd1 }, 0, 1 },
    { "3.4.5.6 ", 0, { 3, 4, 5, 6 }, 0, 1 },
    { "3.4.5.6:7 ", 0, { 3, 4, 5, 6 }, 0, 1 },
    { "3.4.5.6: 7", 0, { 3, 4, 5, 6 }, 0, 1 },
    { "0x00010203:10", 1, { 0, 1, 2, 3 }, 10, 1 },
    { "0x00010Q03", 0, { 0, 0, 0, 0x10 }, 0, 1 },
    { "1234BEEF", 0, { 0, 0, 4, 0xd2 }, 0, 1 },
    { "0777:10", 1, { 0, 0, 1, 0xff }, 10, 1 },
    { "::1", 0, { 0 }, 0, 0 },
};

static void test_ipv4_ex_table(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < OPENWS2_ARRAY_SIZE(v4ex_cases); i++)
    {
        const struct v4ex_case *c = &v4ex_cases[i];
        uint8_t out[4] = { 0 };
        uint16_t port = 0xbeef;
        int addr_ok = -1;
        int ok = addr_parse_ipv4_ex(c->input, out, &port, &addr_ok) == 0;

        if (ok != c->ok) fail_msg("ipv4_ex(\"%s\"): ok %d", c->input, ok);
        if (addr_ok != c->addr_written) fail_msg("ipv4_ex(\"%s\"): addr_ok %d", c->input, addr_ok);
        if (addr_ok && memcmp(out, c->addr, 4)) fail_msg("ipv4_ex(\"%s\"): address", c->input);
        if (ok && port != c->port) fail_msg("ipv4_ex(\"%s\"): port %u", c->input, port);
    }
}

struct v6ex_case
{
    const char *input;
    int ok;
    uint16_t groups[8];
    uint32_t scope;
    uint16_t port;
};

static const struct v6ex_case v6ex_cases[] =
{
    { "::1", 1, { 0, 0, 0, 0, 0, 0, 0, 1 }, 0, 0 },
    { "[::1]", 1, { 0, 0, 0, 0, 0, 0, 0, 1 }, 0, 0 },
    { "[::1]:65535", 1, { 0, 0, 0, 0, 0, 0, 0, 1 }, 0, 65535 },
    { "2001::1", 1, { 0x2001, 0, 0, 0, 0, 0, 0, 1 }, 0, 0 },
    { "::1]:65535", 0, { 0 }, 0, 0 },
    { "001::1", 1, { 1, 0, 0, 0, 0, 0, 0, 1 }, 0, 0 },
    { "::1:2:3:4:5:6:7", 1, { 0, 1, 2, 3, 4, 5, 6, 7 }, 0, 0 },
    { "1.2.3.4", 0, { 0 }, 0, 0 },
    { "1:2:3:", 0, { 0 }, 0, 0 },
    { "", 0, { 0 }, 0, 0 },
    { "[::]", 1, { 0 }, 0, 0 },
    { "[::1]:8080", 1, { 0, 0, 0, 0, 0, 0, 0, 1 }, 0, 8080 },
    { "[::1]:0x80", 1, { 0, 0, 0, 0, 0, 0, 0, 1 }, 0, 0x80 },
    { "[::1]:080", 0, { 0 }, 0, 0 },
    { "[::1]:800000000080", 0, { 0 }, 0, 0 },
    { "[::1]:0", 0, { 0 }, 0, 0 },
    { "[ 3ffe:2a00:100:7031::1]:8080", 0, { 0 }, 0, 0 },
    { "[3ffe:2a00:100:7031::1 ]:8080", 0, { 0 }, 0, 0 },
    { "[3ffe:2a00:100:7031::1].8080", 0, { 0 }, 0, 0 },
    { "[::FFFF:129.144.52.38]:80", 1, { 0, 0, 0, 0, 0, 0xffff, 0x8190, 0x3426 }, 0, 80 },
    { "[::FFFF:129.144.52.38]:-80", 0, { 0 }, 0, 0 },
    { "[::FFFF:129.144.52.38%-8]:80", 0, { 0 }, 0, 0 },
    { "[ff01::8:800:200C:417A%16]:8080", 1, { 0xff01, 0, 0, 0, 8, 0x800, 0x200c, 0x417a }, 16, 8080 },
    { "[ff01::8:800:200C:417A%4294967295]:8080", 1, { 0xff01, 0, 0, 0, 8, 0x800, 0x200c, 0x417a }, 0xffffffffu, 8080 },
    { "[ff01::8:800:200C:417A%4294967296]:8080", 0, { 0 }, 0, 0 },
    { "[ff01::8:800:200C:417A%0]:8080", 1, { 0xff01, 0, 0, 0, 8, 0x800, 0x200c, 0x417a }, 0, 8080 },
    { "[ff01::8:800:200C:417A%1", 0, { 0 }, 0, 0 },
    { "[ff01::8:800:200C:417A%0x1000]:8080", 0, { 0 }, 0, 0 },
    { "[ff01::8:800:200C:417A/16]:8080", 0, { 0 }, 0, 0 },
    { "fe80::1%12", 1, { 0xfe80, 0, 0, 0, 0, 0, 0, 1 }, 12, 0 },
    { "fe80::1%", 0, { 0 }, 0, 0 },
    { "[fe80::1]:", 0, { 0 }, 0, 0 },
};

static void test_ipv6_ex_table(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < OPENWS2_ARRAY_SIZE(v6ex_cases); i++)
    {
        const struct v6ex_case *c = &v6ex_cases[i];
        uint8_t out[16], expect[16];
        uint32_t scope = 0;
        uint16_t port = 0;
        int ok = addr_parse_ipv6_ex(c->input, out, &scope, &port) == 0;

        if (ok != c->ok) fail_msg("ipv6_ex(\"%s\"): ok %d", c->input, ok);
        if (!ok) continue;
        groups_to_bytes(c->groups, expect);
        if (memcmp(out, expect, 16)) fail_msg("ipv6_ex(\"%s\"): address", c->input);
        if (scope != c->scope || port != c->port) fail_msg("ipv6_ex(\"%s\"): scope %u port %u", c->input, scope, port);
    }
}

/* Oversized and hostile input: nothing read beyond the terminator, always a clean failure. */
static void test_hostile_input(void **state)
{
    size_t n = 1 << 16, i;
    char *s = malloc(n + 1);
    uint8_t out[16];
    const char *end;
    uint32_t scope;
    uint16_t port;
    int ok;
    (void)state;

    assert_non_null(s);
    memset(s, '1', n);
    s[n] = 0;
    assert_int_equal(addr_parse_ipv4(s, 0, &end, out), -1);
    assert_int_equal(addr_parse_ipv4(s, 1, &end, out), -1);
    assert_int_equal(addr_parse_ipv6(s, &end, out), -1);
    assert_int_equal(addr_parse_ipv6_ex(s, out, &scope, &port), -1);
    assert_int_equal(addr_parse_ipv4_ex(s, out, &port, &ok), -1);
    for (i = 0; i < n; i++) s[i] = (i % 5 == 4) ? ':' : 'f';
    /* eight groups parse; the rest is left over (never a complete address) */
    assert_int_equal(addr_parse_ipv6(s, &end, out), 0);
    assert_ptr_equal(end, s + 39);
    assert_int_equal(addr_parse_ipv6_ex(s, out, &scope, &port), -1);
    for (i = 0; i < n; i++) s[i] = (i % 2) ? '.' : '0';
    assert_int_equal(addr_parse_ipv4(s, 0, &end, out), -1);
    for (i = 0; i < n; i++) s[i] = ':';
    /* "::" parses, the third colon ends it */
    assert_int_equal(addr_parse_ipv6(s, &end, out), 0);
    assert_ptr_equal(end, s + 2);
    assert_int_equal(addr_parse_ipv6_ex(s, out, &scope, &port), -1);
    free(s);
    assert_int_equal(addr_parse_ipv6(NULL, &end, out), -1);
    assert_int_equal(addr_parse_ipv4(NULL, 0, &end, out), -1);
}

static void test_wide_helpers(void **state)
{
    const uint16_t ok[] = { '1', '.', '2', 0 };
    const uint16_t bad[] = { '1', 0x100 + '.', '2', 0 };
    char out[8];
    uint16_t wide[8];
    (void)state;

    assert_int_equal(addr_wide_to_ascii(ok, out, sizeof(out)), 0);
    assert_string_equal(out, "1.2");
    assert_int_equal(addr_wide_to_ascii(bad, out, sizeof(out)), -1);
    assert_int_equal(addr_wide_to_ascii(ok, out, 3), -1);   /* no room for the NUL */
    addr_ascii_to_wide("::1", 3, wide);
    assert_int_equal(wide[0], ':');
    assert_int_equal(wide[2], '1');
    assert_int_equal(wide[3], 0);
    /* a non-ASCII character becomes one no parser accepts ('.' + 0x100 is not a dot) */
    addr_wide_to_ascii_stop(bad, 3, out);
    assert_int_equal(out[0], '1');
    assert_int_equal(out[1], 0x7f);
    assert_int_equal(out[2], '2');
    assert_int_equal(out[3], 0);
}

static void test_number(void **state)
{
    uint32_t v;
    const char *end;
    (void)state;

    assert_int_equal(addr_parse_number("0x1F", &end, &v), 0);
    assert_int_equal(v, 31);
    assert_int_equal(addr_parse_number("017", &end, &v), 0);
    assert_int_equal(v, 15);
    assert_int_equal(addr_parse_number("09", &end, &v), -1);
    assert_int_equal(addr_parse_number("-1", &end, &v), -1);
    assert_int_equal(addr_parse_number("4294967295", &end, &v), 0);
    assert_int_equal(v, 4294967295u);
    assert_int_equal(addr_parse_number("4294967296", &end, &v), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test(test_inet_addr_table),
        cmocka_unit_test(test_inet_addr_terminators),
        cmocka_unit_test(test_pton4_table),
        cmocka_unit_test(test_pton6_table),
        cmocka_unit_test(test_partial6_table),
        cmocka_unit_test(test_format6_table),
        cmocka_unit_test(test_format_longest),
        cmocka_unit_test(test_format4),
        cmocka_unit_test(test_format6_ex),
        cmocka_unit_test(test_ipv4_ex_table),
        cmocka_unit_test(test_ipv6_ex_table),
        cmocka_unit_test(test_hostile_input),
        cmocka_unit_test(test_wide_helpers),
        cmocka_unit_test(test_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
