/* catalog_select_test.c - provider selection for WSASocket. The default-catalog matrix is the one
 * Windows answers in Wine's ws2_32 test_WSASocket (run on Windows), plus layered/hidden/chain,
 * protocol ranges and the WSAPROTOCOL_INFO path.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "catalog_test_util.h"

struct triple_case { int af, type, protocol, err, ret_af, ret_type; DWORD id; };

static void test_windows_matrix(void **state)
{
    static const struct triple_case cases[] =
    {
        {0xdead, SOCK_STREAM, IPPROTO_TCP, WSAEAFNOSUPPORT, 0, 0, 0},
        {-1, SOCK_STREAM, IPPROTO_TCP, WSAEAFNOSUPPORT, 0, 0, 0},
        {AF_INET, 0xdead, IPPROTO_TCP, WSAESOCKTNOSUPPORT, 0, 0, 0},
        {AF_INET, -1, IPPROTO_TCP, WSAESOCKTNOSUPPORT, 0, 0, 0},
        {AF_INET, SOCK_STREAM, 0xdead, WSAEPROTONOSUPPORT, 0, 0, 0},
        {AF_INET, SOCK_STREAM, -1, WSAEPROTONOSUPPORT, 0, 0, 0},
        {0xdead, 0xdead, IPPROTO_TCP, WSAESOCKTNOSUPPORT, 0, 0, 0},
        {0xdead, SOCK_STREAM, 0xdead, WSAEAFNOSUPPORT, 0, 0, 0},
        {AF_INET, 0xdead, 0xdead, WSAESOCKTNOSUPPORT, 0, 0, 0},
        {0xdead, SOCK_STREAM, IPPROTO_UDP, WSAEAFNOSUPPORT, 0, 0, 0},
        {AF_INET, SOCK_STREAM, 0, 0, AF_INET, SOCK_STREAM, 1001},
        {AF_INET, SOCK_DGRAM, 0, 0, AF_INET, SOCK_DGRAM, 1002},
        {AF_INET, 0xdead, 0, WSAESOCKTNOSUPPORT, 0, 0, 0},
        {AF_INET, 0, IPPROTO_TCP, 0, AF_INET, SOCK_STREAM, 1001},
        {AF_INET, 0, IPPROTO_UDP, 0, AF_INET, SOCK_DGRAM, 1002},
        {AF_INET, 0, 0xdead, WSAEPROTONOSUPPORT, 0, 0, 0},
        {AF_INET, 0, 0, 0, AF_INET, SOCK_STREAM, 1001},
        {AF_INET, SOCK_STREAM, IPPROTO_UDP, WSAEPROTONOSUPPORT, 0, 0, 0},
        {AF_INET, SOCK_DGRAM, IPPROTO_TCP, WSAEPROTONOSUPPORT, 0, 0, 0},
        {AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP, 0, AF_INET, SOCK_STREAM, 1001},
        {AF_UNSPEC, SOCK_STREAM, 0xdead, WSAEPROTONOSUPPORT, 0, 0, 0},
        {AF_UNSPEC, 0xdead, IPPROTO_UDP, WSAESOCKTNOSUPPORT, 0, 0, 0},
        {AF_UNSPEC, SOCK_STREAM, 0, WSAEINVAL, 0, 0, 0},
        {AF_UNSPEC, SOCK_DGRAM, 0, WSAEINVAL, 0, 0, 0},
        {AF_UNSPEC, 0xdead, 0, WSAEINVAL, 0, 0, 0},
        {AF_UNSPEC, 0, IPPROTO_TCP, 0, AF_INET, SOCK_STREAM, 1001},
        {AF_UNSPEC, 0, IPPROTO_UDP, 0, AF_INET, SOCK_DGRAM, 1002},
        {AF_UNSPEC, 0, 0xdead, WSAEPROTONOSUPPORT, 0, 0, 0},
        {AF_UNSPEC, 0, 0, WSAEINVAL, 0, 0, 0},
        /* raw sockets find the hidden RAW entries (Windows creates them) */
        {AF_INET, SOCK_RAW, IPPROTO_ICMP, 0, AF_INET, SOCK_RAW, 1003},
        {AF_INET, SOCK_RAW, 0, 0, AF_INET, SOCK_RAW, 1003},
        {AF_UNSPEC, 0, IPPROTO_RAW, 0, AF_INET, SOCK_RAW, 1003},
        {AF_INET, SOCK_RAW, IPPROTO_TCP, 0, AF_INET, SOCK_RAW, 1003},
        {AF_INET6, SOCK_STREAM, 0, 0, AF_INET6, SOCK_STREAM, 1004},
        {AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 0, AF_INET6, SOCK_DGRAM, 1005},
        {AF_INET6, SOCK_RAW, 58, 0, AF_INET6, SOCK_RAW, 1006},
        {AF_INET6, SOCK_SEQPACKET, 0, WSAESOCKTNOSUPPORT, 0, 0, 0},
        {AF_IPX, SOCK_DGRAM, 0, WSAEAFNOSUPPORT, 0, 0, 0},
        {AF_INET, SOCK_SEQPACKET, 0, WSAESOCKTNOSUPPORT, 0, 0, 0},
    };
    struct catalog *cat = catalog_default(CATALOG_VIEW_NATIVE);
    size_t i;
    (void)state;

    for (i = 0; i < OPENWS2_ARRAY_SIZE(cases); i++)
    {
        const struct catalog_entry *e = (void *)1;
        int err = catalog_select(cat, cases[i].af, cases[i].type, cases[i].protocol, NULL, &e);
        if (err != cases[i].err) fail_msg("case %zu: error %d, expected %d", i, err, cases[i].err);
        if (err) assert_null(e);
        else
        {
            assert_non_null(e);
            if (e->info.dwCatalogEntryId != cases[i].id)
                fail_msg("case %zu: entry %lu, expected %lu", i, (unsigned long)e->info.dwCatalogEntryId,
                         (unsigned long)cases[i].id);
            assert_int_equal(e->info.iAddressFamily, cases[i].ret_af);
            assert_int_equal(e->info.iSocketType, cases[i].ret_type);
        }
    }
    catalog_release(cat);
}

static void test_layered_never_chosen_chain_first(void **state)
{
    WSAPROTOCOL_INFOW infos[4];
    struct catalog *cat;
    const struct catalog_entry *e;
    (void)state;

    infos[0] = make_info(&test_guid_b, 2000, AF_INET, SOCK_STREAM, IPPROTO_TCP, "layered");
    infos[0].ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    infos[0].dwProviderFlags = PFL_MATCHES_PROTOCOL_ZERO;
    infos[1] = make_info(&test_guid_b, 2001, AF_INET, SOCK_STREAM, IPPROTO_TCP, "chain");
    infos[1].ProtocolChain.ChainLen = 2;
    infos[1].ProtocolChain.ChainEntries[0] = 2000;
    infos[1].ProtocolChain.ChainEntries[1] = 1001;
    infos[2] = make_info(&test_guid_a, 1001, AF_INET, SOCK_STREAM, IPPROTO_TCP, "base");
    infos[2].dwProviderFlags = PFL_MATCHES_PROTOCOL_ZERO;
    infos[3] = make_info(&test_guid_a, 1002, AF_INET, SOCK_DGRAM, IPPROTO_UDP, "udp");
    cat = make_catalog(CATALOG_VIEW_NATIVE, infos, 4, "x.dll");

    assert_int_equal(catalog_select(cat, AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, &e), 0);
    assert_int_equal(e->info.dwCatalogEntryId, 2001);
    /* the chain lacks PFL_MATCHES_PROTOCOL_ZERO: protocol 0 goes to the base */
    assert_int_equal(catalog_select(cat, AF_INET, SOCK_STREAM, 0, NULL, &e), 0);
    assert_int_equal(e->info.dwCatalogEntryId, 1001);
    /* no PFL_MATCHES_PROTOCOL_ZERO on the UDP entry */
    assert_int_equal(catalog_select(cat, AF_INET, SOCK_DGRAM, 0, NULL, &e), WSAEPROTONOSUPPORT);
    /* a layered entry alone supports nothing */
    infos[0].iSocketType = SOCK_SEQPACKET;
    catalog_release(cat);
    cat = make_catalog(CATALOG_VIEW_NATIVE, infos, 1, "x.dll");
    assert_int_equal(catalog_select(cat, AF_INET, SOCK_SEQPACKET, IPPROTO_TCP, NULL, &e), WSAESOCKTNOSUPPORT);
    assert_int_equal(catalog_select(cat, AF_INET, 0, IPPROTO_TCP, NULL, &e), WSAEAFNOSUPPORT);
    catalog_release(cat);
}

static void test_protocol_ranges(void **state)
{
    WSAPROTOCOL_INFOW infos[2];
    struct catalog *cat;
    const struct catalog_entry *e;
    (void)state;

    infos[0] = make_info(&test_guid_a, 1001, AF_IPX, SOCK_DGRAM, 1000, "ipx");
    infos[0].iProtocolMaxOffset = 255;
    infos[1] = make_info(&test_guid_a, 1002, AF_IPX, SOCK_SEQPACKET, 1256, "spx");
    cat = make_catalog(CATALOG_VIEW_NATIVE, infos, 2, "x.dll");
    assert_int_equal(catalog_select(cat, AF_IPX, SOCK_DGRAM, 1000, NULL, &e), 0);
    assert_int_equal(catalog_select(cat, AF_IPX, SOCK_DGRAM, 1255, NULL, &e), 0);
    assert_int_equal(e->info.dwCatalogEntryId, 1001);
    assert_int_equal(catalog_select(cat, AF_IPX, SOCK_DGRAM, 1256, NULL, &e), WSAEPROTONOSUPPORT);
    assert_int_equal(catalog_select(cat, AF_IPX, SOCK_DGRAM, 999, NULL, &e), WSAEPROTONOSUPPORT);
    assert_int_equal(catalog_select(cat, AF_IPX, 0, 1256, NULL, &e), 0);
    assert_int_equal(e->info.dwCatalogEntryId, 1002);
    catalog_release(cat);
}

static void test_with_protocol_info(void **state)
{
    struct catalog *cat = catalog_default(CATALOG_VIEW_NATIVE);
    const struct catalog_entry *e;
    WSAPROTOCOL_INFOW info = cat->entries[0].info; /* TCP/IP, 1001 */
    (void)state;

    assert_int_equal(catalog_select(cat, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, &e), 0);
    assert_int_equal(e->info.dwCatalogEntryId, 1001);
    /* the entry named by the id, whatever the triple says (Windows then lets the provider decide) */
    info.iSocketType = SOCK_DGRAM;
    info.iProtocol = IPPROTO_UDP;
    assert_int_equal(catalog_select(cat, 0, 0, 0, &info, &e), 0);
    assert_int_equal(e->info.dwCatalogEntryId, 1001);
    /* Windows: no usable address family -> WSAEAFNOSUPPORT */
    info.iAddressFamily = -1;
    assert_int_equal(catalog_select(cat, 0, 0, IPPROTO_UDP, &info, &e), WSAEAFNOSUPPORT);
    info.iAddressFamily = 0;
    assert_int_equal(catalog_select(cat, 0, 0, IPPROTO_UDP, &info, &e), WSAEAFNOSUPPORT);
    assert_int_equal(catalog_select(cat, AF_INET, SOCK_STREAM, IPPROTO_TCP, &info, &e), 0);
    /* a stale id: same provider and triple */
    info = cat->entries[4].info; /* UDP/IPv6 */
    info.dwCatalogEntryId = 99999;
    assert_int_equal(catalog_select(cat, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, &e), 0);
    assert_int_equal(e->info.dwCatalogEntryId, 1005);
    /* unknown provider and id */
    info.ProviderId = test_guid_b;
    assert_int_equal(catalog_select(cat, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, &e), WSAEINVAL);
    assert_null(e);
    catalog_release(cat);
}

static void test_bad_arguments_and_finders(void **state)
{
    struct catalog *cat = catalog_default(CATALOG_VIEW_NATIVE);
    const struct catalog_entry *e;
    static const GUID v6 = {0xf9eab0c0, 0x26d4, 0x11d0, {0xbb, 0xbf, 0x00, 0xaa, 0x00, 0x6c, 0x34, 0xe4}};
    (void)state;

    assert_int_equal(catalog_select(cat, AF_INET, SOCK_STREAM, 0, NULL, NULL), WSAEFAULT);
    assert_int_equal(catalog_select(NULL, AF_INET, SOCK_STREAM, 0, NULL, &e), WSAEINVAL);
    assert_non_null(catalog_find_id(cat, 1006));
    assert_null(catalog_find_id(cat, 1007));
    assert_null(catalog_find_id(NULL, 1001));
    e = catalog_find_provider(cat, &v6);
    assert_non_null(e);
    assert_int_equal(e->info.dwCatalogEntryId, 1004);
    assert_null(catalog_find_provider(cat, &test_guid_a));
    assert_null(catalog_find_provider(cat, NULL));
    catalog_release(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_windows_matrix),
        cmocka_unit_test(test_layered_never_chosen_chain_first),
        cmocka_unit_test(test_protocol_ranges),
        cmocka_unit_test(test_with_protocol_info),
        cmocka_unit_test(test_bad_arguments_and_finders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
