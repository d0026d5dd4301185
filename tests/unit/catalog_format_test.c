/* catalog_format_test.c - PackedCatalogItem: round trip, Windows' byte layout, and every kind of blob
 * that must be rejected (sizes, terminators, chain length, address lengths, ids, byte order).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "catalog_test_util.h"

static struct catalog_entry sample(void)
{
    struct catalog_entry e;
    memset(&e, 0, sizeof(e));
    strcpy(e.path, "%SystemRoot%\\system32\\sample.dll");
    e.info = make_info(&test_guid_a, 1234, AF_INET, SOCK_STREAM, IPPROTO_TCP, "Sample [TCP/IP]");
    e.info.dwServiceFlags1 = 0x20066;
    e.info.dwProviderFlags = PFL_MATCHES_PROTOCOL_ZERO;
    e.info.dwMessageSize = 0xffbb;
    return e;
}

static void test_round_trip(void **state)
{
    struct catalog_entry e = sample(), back;
    unsigned char blob[PACKED_CATALOG_ITEM_SIZE];
    (void)state;

    catalog_item_pack(&e, blob);
    assert_int_equal(catalog_item_unpack(blob, sizeof(blob), &back), 0);
    assert_string_equal(back.path, e.path);
    assert_memory_equal(&back.info, &e.info, sizeof(e.info));
    assert_memory_equal(&back, &e, sizeof(e)); /* padding bytes of the path are zero too */
}

static void test_layout(void **state)
{
    struct catalog_entry e = sample();
    unsigned char blob[PACKED_CATALOG_ITEM_SIZE];
    DWORD id;
    (void)state;

    assert_int_equal(PACKED_CATALOG_ITEM_SIZE, 888);
    memset(blob, 0xcc, sizeof(blob));
    catalog_item_pack(&e, blob);
    /* 260-byte ANSI path, zero padded, then WSAPROTOCOL_INFOW: dwCatalogEntryId at offset 36. */
    assert_memory_equal(blob, e.path, strlen(e.path) + 1);
    assert_int_equal(blob[259], 0);
    memcpy(&id, blob + 260 + 36, 4);
    assert_int_equal(id, 1234);
    assert_int_equal(blob[260 + 0], 0x66); /* dwServiceFlags1 little-endian */
    assert_int_equal(blob[260 + 2], 0x02);
    /* szProtocol: UTF-16LE at offset 116 of the structure */
    assert_int_equal(blob[260 + 116], 'S');
    assert_int_equal(blob[260 + 117], 0);
}

static void test_pack_truncates_unterminated_path(void **state)
{
    struct catalog_entry e = sample(), back;
    unsigned char blob[PACKED_CATALOG_ITEM_SIZE];
    (void)state;

    memset(e.path, 'x', sizeof(e.path)); /* no terminator in memory */
    catalog_item_pack(&e, blob);
    assert_int_equal(blob[259], 0);
    assert_int_equal(catalog_item_unpack(blob, sizeof(blob), &back), 0);
    assert_int_equal(strlen(back.path), 259);
}

static int unpack_modified(void (*modify)(unsigned char *blob, struct catalog_entry *e), size_t len)
{
    struct catalog_entry e = sample(), out;
    unsigned char blob[PACKED_CATALOG_ITEM_SIZE + 16];
    memset(blob, 0, sizeof(blob));
    if (modify) modify(blob, &e);
    catalog_item_pack(&e, blob);
    if (modify) modify(blob, NULL);
    memset(&out, 0x5a, sizeof(out));
    return catalog_item_unpack(blob, len, &out);
}

static void m_path_unterminated(unsigned char *b, struct catalog_entry *e) { if (!e) memset(b, 'A', 260); }
static void m_path_empty(unsigned char *b, struct catalog_entry *e) { if (!e) memset(b, 0, 260); }
static void m_name_unterminated(unsigned char *b, struct catalog_entry *e)
{
    if (!e) memset(b + 260 + 116, 'B', 256 * 2);
}
static void m_chain_negative(unsigned char *b, struct catalog_entry *e) { (void)b; if (e) e->info.ProtocolChain.ChainLen = -1; }
static void m_chain_long(unsigned char *b, struct catalog_entry *e) { (void)b; if (e) e->info.ProtocolChain.ChainLen = MAX_PROTOCOL_CHAIN + 1; }
static void m_chain_max(unsigned char *b, struct catalog_entry *e) { (void)b; if (e) e->info.ProtocolChain.ChainLen = MAX_PROTOCOL_CHAIN; }
static void m_chain_layered(unsigned char *b, struct catalog_entry *e) { (void)b; if (e) e->info.ProtocolChain.ChainLen = 0; }
static void m_addr_inverted(unsigned char *b, struct catalog_entry *e) { (void)b; if (e) { e->info.iMinSockAddr = 28; e->info.iMaxSockAddr = 16; } }
static void m_addr_negative(unsigned char *b, struct catalog_entry *e) { (void)b; if (e) e->info.iMinSockAddr = -1; }
static void m_addr_huge(unsigned char *b, struct catalog_entry *e) { (void)b; if (e) e->info.iMaxSockAddr = 0x7fffffff; }
static void m_id_zero(unsigned char *b, struct catalog_entry *e) { (void)b; if (e) e->info.dwCatalogEntryId = 0; }
static void m_offset_negative(unsigned char *b, struct catalog_entry *e) { (void)b; if (e) e->info.iProtocolMaxOffset = -1; }
static void m_offset_huge(unsigned char *b, struct catalog_entry *e) { (void)b; if (e) e->info.iProtocolMaxOffset = 256; }
static void m_protocol_overflow(unsigned char *b, struct catalog_entry *e) { (void)b; if (e) { e->info.iProtocol = 0x7fffffff; e->info.iProtocolMaxOffset = 255; } }
static void m_byte_order(unsigned char *b, struct catalog_entry *e) { (void)b; if (e) e->info.iNetworkByteOrder = 7; }

static void test_rejects(void **state)
{
    (void)state;
    assert_int_equal(unpack_modified(NULL, PACKED_CATALOG_ITEM_SIZE), 0);
    assert_int_equal(unpack_modified(NULL, PACKED_CATALOG_ITEM_SIZE - 1), WSAEINVAL); /* short */
    assert_int_equal(unpack_modified(NULL, PACKED_CATALOG_ITEM_SIZE + 1), WSAEINVAL); /* long */
    assert_int_equal(unpack_modified(NULL, 0), WSAEINVAL);
    assert_int_equal(unpack_modified(NULL, 260), WSAEINVAL);
    assert_int_equal(unpack_modified(m_path_unterminated, PACKED_CATALOG_ITEM_SIZE), WSAEINVAL);
    assert_int_equal(unpack_modified(m_path_empty, PACKED_CATALOG_ITEM_SIZE), WSAEINVAL);
    assert_int_equal(unpack_modified(m_name_unterminated, PACKED_CATALOG_ITEM_SIZE), WSAEINVAL);
    assert_int_equal(unpack_modified(m_chain_negative, PACKED_CATALOG_ITEM_SIZE), WSAEINVAL);
    assert_int_equal(unpack_modified(m_chain_long, PACKED_CATALOG_ITEM_SIZE), WSAEINVAL);
    assert_int_equal(unpack_modified(m_chain_max, PACKED_CATALOG_ITEM_SIZE), 0);
    assert_int_equal(unpack_modified(m_chain_layered, PACKED_CATALOG_ITEM_SIZE), 0);
    assert_int_equal(unpack_modified(m_addr_inverted, PACKED_CATALOG_ITEM_SIZE), WSAEINVAL);
    assert_int_equal(unpack_modified(m_addr_negative, PACKED_CATALOG_ITEM_SIZE), WSAEINVAL);
    assert_int_equal(unpack_modified(m_addr_huge, PACKED_CATALOG_ITEM_SIZE), WSAEINVAL);
    assert_int_equal(unpack_modified(m_id_zero, PACKED_CATALOG_ITEM_SIZE), WSAEINVAL);
    assert_int_equal(unpack_modified(m_offset_negative, PACKED_CATALOG_ITEM_SIZE), WSAEINVAL);
    assert_int_equal(unpack_modified(m_offset_huge, PACKED_CATALOG_ITEM_SIZE), WSAEINVAL);
    assert_int_equal(unpack_modified(m_protocol_overflow, PACKED_CATALOG_ITEM_SIZE), WSAEINVAL);
    assert_int_equal(unpack_modified(m_byte_order, PACKED_CATALOG_ITEM_SIZE), WSAEINVAL);
}

static void test_reject_leaves_output_alone(void **state)
{
    struct catalog_entry out, before;
    unsigned char blob[PACKED_CATALOG_ITEM_SIZE];
    (void)state;

    memset(blob, 0xff, sizeof(blob));
    memset(&out, 0x5a, sizeof(out));
    before = out;
    assert_int_equal(catalog_item_unpack(blob, sizeof(blob), &out), WSAEINVAL);
    assert_memory_equal(&out, &before, sizeof(out));
    assert_int_equal(catalog_item_unpack(NULL, sizeof(blob), &out), WSAEINVAL);
    assert_int_equal(catalog_item_unpack(blob, sizeof(blob), NULL), WSAEINVAL);
}

static void test_garbage_after_terminators_dropped(void **state)
{
    struct catalog_entry e = sample(), out;
    unsigned char blob[PACKED_CATALOG_ITEM_SIZE];
    size_t n = strlen(e.path);
    (void)state;

    catalog_item_pack(&e, blob);
    memset(blob + n + 1, 'G', 260 - n - 1); /* bytes after the path's terminator */
    assert_int_equal(catalog_item_unpack(blob, sizeof(blob), &out), 0);
    assert_string_equal(out.path, e.path);
    assert_int_equal(out.path[259], 0);
    assert_int_equal(out.path[n + 1], 0);
}

static void test_default_catalog(void **state)
{
    struct catalog *cat = catalog_default(CATALOG_VIEW_64);
    static const GUID v4 = {0xe70f1aa0, 0xab8b, 0x11cf, {0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}};
    static const GUID v6 = {0xf9eab0c0, 0x26d4, 0x11d0, {0xbb, 0xbf, 0x00, 0xaa, 0x00, 0x6c, 0x34, 0xe4}};
    size_t i;
    (void)state;

    assert_non_null(cat);
    assert_int_equal(cat->count, 6);
    assert_int_equal(cat->refs, 1);
    assert_false(cat->from_registry);
    assert_int_equal(cat->next_id, 1007);
    for (i = 0; i < cat->count; i++)
    {
        const WSAPROTOCOL_INFOW *p = &cat->entries[i].info;
        unsigned char blob[PACKED_CATALOG_ITEM_SIZE];
        struct catalog_entry back;

        assert_string_equal(cat->entries[i].path, "%SystemRoot%\\system32\\openws2afd.dll");
        assert_int_equal(p->dwCatalogEntryId, 1001 + i);
        assert_int_equal(p->ProtocolChain.ChainLen, 1);
        assert_int_equal(p->iVersion, 2);
        assert_memory_equal(&p->ProviderId, i < 3 ? &v4 : &v6, sizeof(GUID));
        assert_int_equal(p->iAddressFamily, i < 3 ? AF_INET : AF_INET6);
        assert_int_equal(p->iMaxSockAddr, i < 3 ? 16 : 28);
        assert_int_equal(p->iMinSockAddr, i < 3 ? 16 : 28);
        catalog_item_pack(&cat->entries[i], blob);
        assert_int_equal(catalog_item_unpack(blob, sizeof(blob), &back), 0);
    }
    assert_true(wname_is(cat->entries[0].info.szProtocol, "MSAFD Tcpip [TCP/IP]"));
    assert_true(wname_is(cat->entries[1].info.szProtocol, "MSAFD Tcpip [UDP/IP]"));
    assert_true(wname_is(cat->entries[2].info.szProtocol, "MSAFD Tcpip [RAW/IP]"));
    assert_true(wname_is(cat->entries[3].info.szProtocol, "MSAFD Tcpip [TCP/IPv6]"));
    assert_true(wname_is(cat->entries[4].info.szProtocol, "MSAFD Tcpip [UDP/IPv6]"));
    assert_true(wname_is(cat->entries[5].info.szProtocol, "MSAFD Tcpip [RAW/IPv6]"));
    /* Windows' values (netsh winsock show catalog, Wine's tests run on Windows) */
    assert_int_equal(cat->entries[0].info.dwServiceFlags1, 0x20066);
    assert_int_equal(cat->entries[1].info.dwServiceFlags1, 0x20609);
    assert_int_equal(cat->entries[2].info.dwServiceFlags1, 0x20609);
    assert_int_equal(cat->entries[0].info.dwProviderFlags, PFL_MATCHES_PROTOCOL_ZERO);
    assert_int_equal(cat->entries[2].info.dwProviderFlags, PFL_MATCHES_PROTOCOL_ZERO | PFL_HIDDEN);
    assert_int_equal(cat->entries[1].info.dwMessageSize, 0xffbb);
    assert_int_equal(cat->entries[2].info.dwMessageSize, 0x8000);
    assert_int_equal(cat->entries[2].info.iProtocol, 0);
    assert_int_equal(cat->entries[2].info.iProtocolMaxOffset, 255);
    assert_int_equal(cat->entries[3].info.iProtocol, IPPROTO_TCP);
    assert_int_equal(cat->entries[4].info.iSocketType, SOCK_DGRAM);
    catalog_release(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_pack_truncates_unterminated_path),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_reject_leaves_output_alone),
        cmocka_unit_test(test_garbage_after_terminators_dropped),
        cmocka_unit_test(test_default_catalog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
