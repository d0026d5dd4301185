/* dns_message_test.c - CMocka tests of src/resolve/dns_message.c: query building, name encoding limits,
 * response parsing (question echo, compression, CNAME chains, TC, RCODEs, malformed and hostile
 * messages: pointer loops, forward pointers, bad lengths, random bytes) and reverse names.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "dns_message.h"

/* ---- a tiny message writer for the tests ---- */
struct msg
{
    uint8_t b[4096];
    size_t n;
};

static void u8(struct msg *m, unsigned v) { m->b[m->n++] = (uint8_t)v; }
static void u16(struct msg *m, unsigned v) { u8(m, v >> 8); u8(m, v & 0xff); }
static void u32(struct msg *m, uint32_t v) { u16(m, v >> 16); u16(m, v & 0xffff); }
static void bytes(struct msg *m, const void *p, size_t n) { memcpy(m->b + m->n, p, n); m->n += n; }

/* Writes labels for "a.b.c" (no compression), returns the offset where it started. */
static size_t name(struct msg *m, const char *text)
{
    size_t start = m->n, len;
    assert_int_equal(dns_encode_name(text, m->b + m->n, sizeof(m->b) - m->n, &len), DNS_OK);
    m->n += len;
    return start;
}

static void ptr(struct msg *m, size_t offset) { u16(m, 0xc000 | (unsigned)offset); }

static void header(struct msg *m, unsigned id, unsigned flags, unsigned qd, unsigned an, unsigned ns, unsigned ar)
{
    m->n = 0;
    u16(m, id); u16(m, flags); u16(m, qd); u16(m, an); u16(m, ns); u16(m, ar);
}

static struct dns_response *resp;

static int setup(void **state)
{
    (void)state;
    resp = malloc(sizeof(*resp));
    return resp ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(resp);
    return 0;
}

static void test_build_query(void **state)
{
    static const uint8_t expect[] =
    {
        0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
        0x00, 0x1c, 0x00, 0x01,
    };
    uint8_t buf[DNS_UDP_MAX];
    size_t len;
    (void)state;

    assert_int_equal(dns_build_query(0x1234, "www.example.com.", DNS_TYPE_AAAA, 1, buf, sizeof(buf), &len), DNS_OK);
    assert_int_equal(len, sizeof(expect));
    assert_memory_equal(buf, expect, sizeof(expect));
    assert_int_equal(dns_build_query(0x1234, "www.example.com", DNS_TYPE_AAAA, 0, buf, sizeof(buf), &len), DNS_OK);
    assert_int_equal(buf[2], 0);    /* RD clear */
    assert_int_equal(dns_build_query(1, "www.example.com", DNS_TYPE_A, 1, buf, sizeof(expect) - 1, &len), DNS_E_SPACE);
    assert_int_equal(dns_build_query(1, "www.example.com", DNS_TYPE_A, 1, buf, 11, &len), DNS_E_SPACE);
}

static void test_encode_limits(void **state)
{
    char text[600];
    uint8_t wire[300];
    size_t len;
    int i;
    (void)state;

    memset(text, 'a', 63);
    text[63] = 0;
    assert_int_equal(dns_encode_name(text, wire, sizeof(wire), &len), DNS_OK);
    assert_int_equal(len, 65);
    text[63] = 'a';
    text[64] = 0;
    assert_int_equal(dns_encode_name(text, wire, sizeof(wire), &len), DNS_E_NAME);

    /* 4 labels of 63 (+1 each) + root = 257 > 255; 3 x 63 + 61 = 255 exactly fits */
    for (i = 0; i < 4; i++)
    {
        memset(text + i * 64, 'b', 63);
        text[i * 64 + 63] = '.';
    }
    text[4 * 64 - 1] = 0;
    assert_int_equal(dns_encode_name(text, wire, sizeof(wire), &len), DNS_E_NAME);
    text[3 * 64 + 61] = 0;
    assert_int_equal(dns_encode_name(text, wire, sizeof(wire), &len), DNS_OK);
    assert_int_equal(len, 255);
    text[3 * 64 + 61] = 'b';
    text[3 * 64 + 62] = 0;
    assert_int_equal(dns_encode_name(text, wire, sizeof(wire), &len), DNS_E_NAME);

    assert_int_equal(dns_encode_name("a..b", wire, sizeof(wire), &len), DNS_E_NAME);
    assert_int_equal(dns_encode_name(".a", wire, sizeof(wire), &len), DNS_E_NAME);
    assert_int_equal(dns_encode_name("a.b..", wire, sizeof(wire), &len), DNS_E_NAME);
    assert_int_equal(dns_encode_name(NULL, wire, sizeof(wire), &len), DNS_E_NAME);
    assert_int_equal(dns_encode_name(".", wire, sizeof(wire), &len), DNS_OK);
    assert_int_equal(len, 1);
    assert_int_equal(dns_encode_name("", wire, sizeof(wire), &len), DNS_OK);
    assert_int_equal(len, 1);
    assert_int_equal(dns_encode_name("a.b", wire, 4, &len), DNS_E_SPACE);
    assert_int_equal(dns_encode_name("a\\", wire, sizeof(wire), &len), DNS_E_NAME);
    assert_int_equal(dns_encode_name("a\\256", wire, sizeof(wire), &len), DNS_E_NAME);
}

static void test_escapes_roundtrip(void **state)
{
    static const uint8_t raw[] = { 5, 'a', '.', 'b', 1, '\\', 3, 'c', ' ', 'd', 0 };
    char text[DNS_NAME_TEXT_MAX];
    uint8_t wire[64];
    size_t next, len;
    (void)state;

    assert_int_equal(dns_decode_name(raw, sizeof(raw), 0, text, sizeof(text), &next), DNS_OK);
    assert_string_equal(text, "a\\.b\\001\\\\.c\\032d");
    assert_int_equal(next, sizeof(raw));
    assert_int_equal(dns_encode_name(text, wire, sizeof(wire), &len), DNS_OK);
    assert_int_equal(len, sizeof(raw));
    assert_memory_equal(wire, raw, sizeof(raw));
    /* output buffer too small */
    assert_int_equal(dns_decode_name(raw, sizeof(raw), 0, text, 5, &next), DNS_E_SPACE);
}

/* www.example.com CNAME web.example.com (compressed), two A records and an AAAA of another name. */
static void build_cname_response(struct msg *m, unsigned id, unsigned flags)
{
    size_t q, web;
    header(m, id, flags, 1, 4, 0, 0);
    q = name(m, "www.example.com");
    u16(m, DNS_TYPE_A); u16(m, DNS_CLASS_IN);
    ptr(m, q); u16(m, DNS_TYPE_CNAME); u16(m, DNS_CLASS_IN); u32(m, 3600);
    u16(m, 6); web = m->n; u8(m, 3); bytes(m, "web", 3); ptr(m, q + 4);
    ptr(m, web); u16(m, DNS_TYPE_A); u16(m, DNS_CLASS_IN); u32(m, 300); u16(m, 4); bytes(m, "\x01\x02\x03\x04", 4);
    ptr(m, web); u16(m, DNS_TYPE_A); u16(m, DNS_CLASS_IN); u32(m, 0x80000001u); u16(m, 4); bytes(m, "\x05\x06\x07\x08", 4);
    ptr(m, q + 4); u16(m, DNS_TYPE_AAAA); u16(m, DNS_CLASS_IN); u32(m, 10); u16(m, 16);
    bytes(m, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
}

static void test_parse_cname_chain(void **state)
{
    struct msg m;
    uint8_t addrs[4][16];
    char canon[DNS_NAME_TEXT_MAX];
    uint32_t ttl;
    int n;
    (void)state;

    build_cname_response(&m, 0xbeef, 0x8180);
    assert_int_equal(dns_parse_response(m.b, m.n, 0xbeef, "WWW.example.com.", DNS_TYPE_A, resp), DNS_OK);
    assert_int_equal(resp->rcode, 0);
    assert_false(resp->truncated);
    assert_true(resp->recursion_available);
    assert_int_equal(resp->record_count, 4);
    assert_string_equal(resp->records[0].data.target, "web.example.com");
    assert_string_equal(resp->records[1].name, "web.example.com");
    assert_int_equal(resp->records[2].ttl, 0);   /* top bit set: 0 */
    assert_string_equal(resp->records[3].name, "example.com");

    n = dns_collect_addresses(resp, "www.example.com", DNS_TYPE_A, canon, sizeof(canon), addrs, 4, &ttl);
    assert_int_equal(n, 2);
    assert_string_equal(canon, "web.example.com");
    assert_memory_equal(addrs[0], "\x01\x02\x03\x04", 4);
    assert_memory_equal(addrs[1], "\x05\x06\x07\x08", 4);
    assert_int_equal(ttl, 0);
    /* only one slot: the count still says two */
    assert_int_equal(dns_collect_addresses(resp, "www.example.com", DNS_TYPE_A, NULL, 0, addrs, 1, NULL), 2);
    assert_int_equal(dns_collect_addresses(resp, "www.example.com", DNS_TYPE_AAAA, canon, sizeof(canon), addrs, 4, &ttl), 0);
    assert_int_equal(dns_collect_addresses(resp, "example.com", DNS_TYPE_AAAA, canon, sizeof(canon), addrs, 4, &ttl), 1);
    assert_int_equal(ttl, 10);
    assert_int_equal(addrs[0][15], 1);
    assert_int_equal(dns_rcode_to_wsa(resp->rcode, 0), WSANO_DATA);
    assert_int_equal(dns_rcode_to_wsa(resp->rcode, 1), 0);
}

static void test_parse_mismatches(void **state)
{
    struct msg m;
    (void)state;

    build_cname_response(&m, 0xbeef, 0x8180);
    assert_int_equal(dns_parse_response(m.b, m.n, 0xbeee, "www.example.com", DNS_TYPE_A, resp), DNS_E_ID);
    assert_int_equal(dns_parse_response(m.b, m.n, 0xbeef, "ww.example.com", DNS_TYPE_A, resp), DNS_E_QUESTION);
    assert_int_equal(dns_parse_response(m.b, m.n, 0xbeef, "www.example.com", DNS_TYPE_AAAA, resp), DNS_E_QUESTION);
    /* without expectations the id and question are not checked */
    assert_int_equal(dns_parse_response(m.b, m.n, 0, NULL, 0, resp), DNS_OK);
    build_cname_response(&m, 0xbeef, 0x0100);   /* QR clear: a query, not a response */
    assert_int_equal(dns_parse_response(m.b, m.n, 0xbeef, "www.example.com", DNS_TYPE_A, resp), DNS_E_NOT_RESPONSE);
    build_cname_response(&m, 0xbeef, 0x8180 | (2 << 11));   /* opcode STATUS */
    assert_int_equal(dns_parse_response(m.b, m.n, 0xbeef, "www.example.com", DNS_TYPE_A, resp), DNS_E_NOT_RESPONSE);
    assert_int_equal(dns_parse_response(m.b, 11, 0xbeef, "www.example.com", DNS_TYPE_A, resp), DNS_E_SHORT);
    assert_int_equal(dns_parse_response(NULL, 100, 0xbeef, "www.example.com", DNS_TYPE_A, resp), DNS_E_SHORT);
}

static void test_truncation(void **state)
{
    struct msg m;
    size_t cut;
    (void)state;

    build_cname_response(&m, 7, 0x8180);
    /* every cut without TC is an error (or, at a record boundary, leaves a record count unmet) */
    for (cut = DNS_HEADER_SIZE; cut < m.n; cut++)
        assert_int_equal(dns_parse_response(m.b, cut, 7, NULL, 0, resp) < 0, 1);
    /* with TC the records before the cut come back */
    build_cname_response(&m, 7, 0x8380);
    for (cut = DNS_HEADER_SIZE; cut <= m.n; cut++)
    {
        assert_int_equal(dns_parse_response(m.b, cut, 7, NULL, 0, resp), DNS_OK);
        assert_true(resp->truncated);
    }
    assert_int_equal(dns_parse_response(m.b, m.n - 20, 7, NULL, 0, resp), DNS_OK);
    assert_int_equal(resp->record_count, 3);
}

static void test_rcodes(void **state)
{
    struct msg m;
    size_t q;
    (void)state;

    header(&m, 9, 0x8183, 1, 0, 1, 0);   /* NXDOMAIN with an SOA in the authority section */
    q = name(&m, "nowhere.example");
    u16(&m, DNS_TYPE_A); u16(&m, DNS_CLASS_IN);
    ptr(&m, q + 8); u16(&m, DNS_TYPE_SOA); u16(&m, DNS_CLASS_IN); u32(&m, 900);
    u16(&m, 2 + 2 + 20);
    ptr(&m, q + 8); ptr(&m, q + 8);
    u32(&m, 1); u32(&m, 2); u32(&m, 3); u32(&m, 4); u32(&m, 60);
    assert_int_equal(dns_parse_response(m.b, m.n, 9, "nowhere.example", DNS_TYPE_A, resp), DNS_OK);
    assert_int_equal(resp->rcode, DNS_RCODE_NXDOMAIN);
    assert_int_equal(resp->record_count, 1);
    assert_int_equal(resp->records[0].section, DNS_SECTION_AUTHORITY);
    assert_int_equal(resp->records[0].soa_minimum, 60);
    assert_string_equal(resp->records[0].data.target, "example");
    assert_int_equal(dns_rcode_to_wsa(resp->rcode, 0), WSAHOST_NOT_FOUND);
    assert_int_equal(dns_rcode_to_wsa(DNS_RCODE_SERVFAIL, 0), WSATRY_AGAIN);
    assert_int_equal(dns_rcode_to_wsa(DNS_RCODE_REFUSED, 0), WSANO_RECOVERY);
    assert_int_equal(dns_rcode_to_wsa(DNS_RCODE_FORMERR, 0), WSANO_RECOVERY);

    /* an error answer without the question: accepted for its RCODE; a NOERROR one is not */
    header(&m, 9, 0x8185, 0, 0, 0, 0);
    assert_int_equal(dns_parse_response(m.b, m.n, 9, "nowhere.example", DNS_TYPE_A, resp), DNS_OK);
    assert_int_equal(resp->rcode, DNS_RCODE_REFUSED);
    header(&m, 9, 0x8180, 0, 0, 0, 0);
    assert_int_equal(dns_parse_response(m.b, m.n, 9, "nowhere.example", DNS_TYPE_A, resp), DNS_E_QUESTION);
    header(&m, 8, 0x8185, 0, 0, 0, 0);
    assert_int_equal(dns_parse_response(m.b, m.n, 9, "nowhere.example", DNS_TYPE_A, resp), DNS_E_ID);

    /* rebuild the NXDOMAIN answer */
    header(&m, 9, 0x8183, 1, 0, 1, 0);
    q = name(&m, "nowhere.example");
    u16(&m, DNS_TYPE_A); u16(&m, DNS_CLASS_IN);
    ptr(&m, q + 8); u16(&m, DNS_TYPE_SOA); u16(&m, DNS_CLASS_IN); u32(&m, 900);
    u16(&m, 2 + 2 + 20);
    ptr(&m, q + 8); ptr(&m, q + 8);
    u32(&m, 1); u32(&m, 2); u32(&m, 3); u32(&m, 4); u32(&m, 60);

    /* an SOA whose fixed part is short: malformed */
    m.b[m.n - 25] = 2 + 2 + 19;  /* rdlength low byte */
    m.n--;
    assert_int_equal(dns_parse_response(m.b, m.n, 9, "nowhere.example", DNS_TYPE_A, resp), DNS_E_FORMAT);
}

static void test_hostile_names(void **state)
{
    struct msg m;
    size_t q, rr;
    char text[DNS_NAME_TEXT_MAX];
    size_t next;
    (void)state;

    /* a pointer to itself */
    header(&m, 1, 0x8180, 1, 0, 0, 0);
    ptr(&m, DNS_HEADER_SIZE);
    u16(&m, 1); u16(&m, 1);
    assert_int_equal(dns_parse_response(m.b, m.n, 1, NULL, 0, resp), DNS_E_FORMAT);
    /* a label then a pointer back to that label (a loop through the name) */
    header(&m, 1, 0x8180, 1, 0, 0, 0);
    u8(&m, 1); u8(&m, 'a'); ptr(&m, DNS_HEADER_SIZE);
    u16(&m, 1); u16(&m, 1);
    assert_int_equal(dns_parse_response(m.b, m.n, 1, NULL, 0, resp), DNS_E_FORMAT);
    /* a forward pointer */
    header(&m, 1, 0x8180, 1, 0, 0, 0);
    ptr(&m, DNS_HEADER_SIZE + 6);
    u16(&m, 1); u16(&m, 1); u8(&m, 0);
    assert_int_equal(dns_parse_response(m.b, m.n, 1, NULL, 0, resp), DNS_E_FORMAT);
    /* a pointer beyond the message */
    assert_int_equal(dns_decode_name((const uint8_t *)"\xc0", 1, 0, text, sizeof(text), &next), DNS_E_SHORT);
    /* reserved label types 0x40 / 0x80 */
    assert_int_equal(dns_decode_name((const uint8_t *)"\x41\x00", 2, 0, text, sizeof(text), &next), DNS_E_FORMAT);
    assert_int_equal(dns_decode_name((const uint8_t *)"\x81\x00", 2, 0, text, sizeof(text), &next), DNS_E_FORMAT);
    /* a label running past the end */
    assert_int_equal(dns_decode_name((const uint8_t *)"\x05" "ab", 3, 0, text, sizeof(text), &next), DNS_E_SHORT);

    /* a chain of pointers, each to the previous name + one label, growing past 255 bytes */
    header(&m, 1, 0x8180, 0, 0, 0, 0);
    {
        size_t prev = m.n, i;
        u8(&m, 0);
        for (i = 0; i < 100; i++)
        {
            size_t here = m.n;
            u8(&m, 3); bytes(&m, "abc", 3); ptr(&m, prev);
            prev = here;
        }
        assert_int_equal(dns_decode_name(m.b, m.n, prev, text, sizeof(text), &next), DNS_E_FORMAT);
    }

    /* CNAME whose target name runs past its RDATA */
    header(&m, 1, 0x8180, 1, 1, 0, 0);
    q = name(&m, "x.test");
    u16(&m, DNS_TYPE_A); u16(&m, DNS_CLASS_IN);
    ptr(&m, q); u16(&m, DNS_TYPE_CNAME); u16(&m, DNS_CLASS_IN); u32(&m, 1);
    u16(&m, 2); rr = m.n; u8(&m, 3); bytes(&m, "abc", 3); u8(&m, 0);
    (void)rr;
    assert_int_equal(dns_parse_response(m.b, m.n, 1, "x.test", DNS_TYPE_A, resp), DNS_E_FORMAT);
    /* an A record of the wrong size */
    header(&m, 1, 0x8180, 1, 1, 0, 0);
    q = name(&m, "x.test");
    u16(&m, DNS_TYPE_A); u16(&m, DNS_CLASS_IN);
    ptr(&m, q); u16(&m, DNS_TYPE_A); u16(&m, DNS_CLASS_IN); u32(&m, 1); u16(&m, 5); bytes(&m, "12345", 5);
    assert_int_equal(dns_parse_response(m.b, m.n, 1, "x.test", DNS_TYPE_A, resp), DNS_E_FORMAT);
    /* an RDLENGTH past the end */
    header(&m, 1, 0x8180, 1, 1, 0, 0);
    q = name(&m, "x.test");
    u16(&m, DNS_TYPE_A); u16(&m, DNS_CLASS_IN);
    ptr(&m, q); u16(&m, DNS_TYPE_TXT); u16(&m, DNS_CLASS_IN); u32(&m, 1); u16(&m, 500); bytes(&m, "x", 1);
    assert_int_equal(dns_parse_response(m.b, m.n, 1, "x.test", DNS_TYPE_A, resp), DNS_E_SHORT);
}

static void test_cname_loop_and_ptr(void **state)
{
    struct msg m;
    size_t a, b;
    uint8_t addrs[2][16];
    char targets[2][DNS_NAME_TEXT_MAX], rev[80];
    (void)state;

    /* a.test CNAME b.test, b.test CNAME a.test */
    header(&m, 3, 0x8180, 1, 2, 0, 0);
    a = name(&m, "a.test");
    u16(&m, DNS_TYPE_A); u16(&m, DNS_CLASS_IN);
    ptr(&m, a); u16(&m, DNS_TYPE_CNAME); u16(&m, DNS_CLASS_IN); u32(&m, 1);
    u16(&m, 4); b = m.n; u8(&m, 1); u8(&m, 'b'); ptr(&m, a + 2);
    ptr(&m, b); u16(&m, DNS_TYPE_CNAME); u16(&m, DNS_CLASS_IN); u32(&m, 1); u16(&m, 2); ptr(&m, a);
    assert_int_equal(dns_parse_response(m.b, m.n, 3, "a.test", DNS_TYPE_A, resp), DNS_OK);
    assert_int_equal(dns_collect_addresses(resp, "a.test", DNS_TYPE_A, NULL, 0, addrs, 2, NULL), DNS_E_FORMAT);

    /* PTR for 4.3.2.1.in-addr.arpa */
    assert_int_equal(dns_reverse_name(AF_INET, (const uint8_t *)"\x01\x02\x03\x04", rev, sizeof(rev)), DNS_OK);
    assert_string_equal(rev, "4.3.2.1.in-addr.arpa");
    header(&m, 4, 0x8580, 1, 2, 0, 0);
    a = name(&m, rev);
    u16(&m, DNS_TYPE_PTR); u16(&m, DNS_CLASS_IN);
    ptr(&m, a); u16(&m, DNS_TYPE_PTR); u16(&m, DNS_CLASS_IN); u32(&m, 5);
    u16(&m, 11); name(&m, "host.test");
    ptr(&m, a); u16(&m, DNS_TYPE_PTR); u16(&m, DNS_CLASS_IN); u32(&m, 5);
    u16(&m, 7); u8(&m, 5); bytes(&m, "alias", 5); u8(&m, 0);
    assert_int_equal(dns_parse_response(m.b, m.n, 4, rev, DNS_TYPE_PTR, resp), DNS_OK);
    assert_true(resp->authoritative);
    assert_int_equal(dns_collect_ptr(resp, rev, targets, 2), 2);
    assert_string_equal(targets[0], "host.test");
    assert_string_equal(targets[1], "alias");
}

static void test_reverse_names(void **state)
{
    static const uint8_t v6[16] = { 0x43, 0x21, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0x05, 0x67, 0x89, 0xab };
    char out[80];
    (void)state;

    /* RFC 3596's example */
    assert_int_equal(dns_reverse_name(AF_INET6, v6, out, sizeof(out)), DNS_OK);
    assert_string_equal(out, "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa");
    assert_int_equal(dns_reverse_name(AF_INET6, v6, out, 72), DNS_E_SPACE);
    assert_int_equal(dns_reverse_name(AF_INET6, v6, out, 73), DNS_OK);
    assert_int_equal(dns_reverse_name(AF_INET, (const uint8_t *)"\xc0\xa8\x00\x0a", out, sizeof(out)), DNS_OK);
    assert_string_equal(out, "10.0.168.192.in-addr.arpa");
    assert_int_equal(dns_reverse_name(AF_INET, (const uint8_t *)"\xff\xff\xff\xff", out, 28), DNS_E_SPACE);
    assert_int_equal(dns_reverse_name(AF_INET, (const uint8_t *)"\xff\xff\xff\xff", out, 29), DNS_OK);
    assert_int_equal(dns_reverse_name(12345, v6, out, sizeof(out)), DNS_E_NAME);
}

static void test_records_limit(void **state)
{
    struct msg m;
    size_t q, i;
    (void)state;

    header(&m, 5, 0x8180, 1, DNS_MAX_RECORDS + 10, 0, 1);
    q = name(&m, "many.test");
    u16(&m, DNS_TYPE_A); u16(&m, DNS_CLASS_IN);
    for (i = 0; i < DNS_MAX_RECORDS + 10; i++)
    {
        ptr(&m, q); u16(&m, DNS_TYPE_A); u16(&m, DNS_CLASS_IN); u32(&m, 1); u16(&m, 4); u32(&m, (uint32_t)i);
    }
    /* an EDNS OPT pseudo-record in the additional section is not kept */
    u8(&m, 0); u16(&m, DNS_TYPE_OPT); u16(&m, 4096); u32(&m, 0); u16(&m, 0);
    assert_int_equal(dns_parse_response(m.b, m.n, 5, "many.test", DNS_TYPE_A, resp), DNS_OK);
    assert_int_equal(resp->record_count, DNS_MAX_RECORDS);
    assert_int_equal(resp->records_skipped, 10);
}

/* Random and mutated messages: never a crash or an out-of-bounds read (run under ASan). */
static void test_random_messages(void **state)
{
    struct msg m, base;
    unsigned seed = 12345;
    int i, j, ok = 0, bad = 0;
    (void)state;

    build_cname_response(&base, 1, 0x8180);
    for (i = 0; i < 20000; i++)
    {
        size_t len;
        uint8_t *copy;
        m = base;
        for (j = 0; j < 1 + i % 8; j++)
        {
            seed = seed * 1103515245u + 12345u;
            m.b[(seed >> 8) % m.n] = (uint8_t)(seed >> 16);
        }
        seed = seed * 1103515245u + 12345u;
        len = (i % 2) ? m.n : (seed >> 8) % (m.n + 1);
        copy = malloc(len ? len : 1);   /* exact-size copy: ASan catches any over-read */
        memcpy(copy, m.b, len);
        if (dns_parse_response(copy, len, 1, NULL, 0, resp) == DNS_OK)
        {
            uint8_t addrs[4][16];
            assert_true(resp->record_count <= 4);
            dns_collect_addresses(resp, "www.example.com", DNS_TYPE_A, NULL, 0, addrs, 4, NULL);
            ok++;
        }
        else bad++;
        free(copy);
    }
    /* the mutations must exercise both outcomes */
    assert_true(ok > 100);
    assert_true(bad > 100);
}

static void test_name_equal(void **state)
{
    (void)state;
    assert_true(dns_name_equal("Example.COM.", "example.com"));
    assert_false(dns_name_equal("example.co", "example.com"));
    assert_false(dns_name_equal("a\\.", "a"));
    /* decoded text (escaped) and the raw name are one name */
    assert_true(dns_name_equal("localhost\\05880", "localhost:80"));
    assert_true(dns_name_equal("LocalHost:80.", "localhost\\05880"));
    assert_false(dns_name_equal("localhost\\05881", "localhost:80"));
    assert_true(dns_name_equal("a\\.b.c", "a\\046b.c"));
    assert_false(dns_name_equal("a\\.b.c", "a.b.c"));
}

/* A reply whose question holds bytes outside letters, digits, '-' and '_' (a lookup of
 * "localhost:80", "a b.example", "x*y.example"): its question matches the name asked, so the
 * server's answer (here NXDOMAIN) is taken instead of being discarded as an answer to another
 * question. */
static void test_question_with_escapes(void **state)
{
    static const char *const names[] = { "localhost:80", "a b.example", "x*y.example", "q\"uote.example" };
    struct msg m;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    {
        header(&m, 0x1234, 0x8183, 1, 0, 0, 0);
        name(&m, names[i]);
        u16(&m, DNS_TYPE_A); u16(&m, DNS_CLASS_IN);
        assert_int_equal(dns_parse_response(m.b, m.n, 0x1234, names[i], DNS_TYPE_A, resp), DNS_OK);
        assert_int_equal(resp->rcode, DNS_RCODE_NXDOMAIN);
        assert_int_equal(dns_rcode_to_wsa(resp->rcode, 0), WSAHOST_NOT_FOUND);
    }
    /* the same, with other case in the reply */
    header(&m, 0x1234, 0x8183, 1, 0, 0, 0);
    name(&m, "LOCALHOST:80");
    u16(&m, DNS_TYPE_A); u16(&m, DNS_CLASS_IN);
    assert_int_equal(dns_parse_response(m.b, m.n, 0x1234, "localhost:80", DNS_TYPE_A, resp), DNS_OK);
    /* a different name is still another question */
    assert_int_equal(dns_parse_response(m.b, m.n, 0x1234, "localhost:81", DNS_TYPE_A, resp), DNS_E_QUESTION);
    assert_int_equal(dns_parse_response(m.b, m.n, 0x1234, "localhost", DNS_TYPE_A, resp), DNS_E_QUESTION);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test(test_build_query),
        cmocka_unit_test(test_encode_limits),
        cmocka_unit_test(test_escapes_roundtrip),
        cmocka_unit_test(test_parse_cname_chain),
        cmocka_unit_test(test_parse_mismatches),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_rcodes),
        cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_cname_loop_and_ptr),
        cmocka_unit_test(test_reverse_names),
        cmocka_unit_test(test_records_limit),
        cmocka_unit_test(test_random_messages),
        cmocka_unit_test(test_name_equal),
        cmocka_unit_test(test_question_with_escapes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
