/* catalog_edit_test.c - the catalog edits behind the WSC* functions (install, deinstall, update,
 * reorder, LSP with chains) and the WSAEnumProtocols/WSCEnumProtocols filter.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "catalog_test_util.h"
#include "catalog_edit.h"

/* The GUIDs the caller (wsc_provider.c: random ones) gives the chains. */
#define CHAIN_GUIDS 8
static const GUID chain_guids[CHAIN_GUIDS] = {
    {0xc0000001, 0, 0, {0}}, {0xc0000002, 0, 0, {0}}, {0xc0000003, 0, 0, {0}}, {0xc0000004, 0, 0, {0}},
    {0xc0000005, 0, 0, {0}}, {0xc0000006, 0, 0, {0}}, {0xc0000007, 0, 0, {0}}, {0xc0000008, 0, 0, {0}}};

static void test_install(void **state)
{
    struct catalog *def = catalog_default(CATALOG_VIEW_64), *n = NULL, *n2 = NULL;
    WSAPROTOCOL_INFOW list[2];
    (void)state;

    list[0] = make_info(&test_guid_a, 77, AF_INET, SOCK_STREAM, IPPROTO_TCP, "mine tcp");
    list[1] = make_info(&test_guid_a, 77, AF_INET, SOCK_DGRAM, IPPROTO_UDP, "mine udp");
    assert_int_equal(catalog_edit_install(def, &test_guid_b, "C:\\mine.dll", list, 2, &n), 0);
    assert_int_equal(n->count, 8);
    assert_int_equal(n->refs, 1);
    assert_int_equal(n->view, CATALOG_VIEW_64);
    assert_memory_equal(n->entries, def->entries, 6 * sizeof(*def->entries)); /* existing entries kept */
    assert_int_equal(n->entries[6].info.dwCatalogEntryId, 1007);               /* ids assigned */
    assert_int_equal(n->entries[7].info.dwCatalogEntryId, 1008);
    assert_memory_equal(&n->entries[6].info.ProviderId, &test_guid_b, sizeof(GUID)); /* ProviderId set */
    assert_string_equal(n->entries[7].path, "C:\\mine.dll");
    assert_true(wname_is(n->entries[7].info.szProtocol, "mine udp"));
    assert_int_equal(n->next_id, 1009);
    assert_int_equal(def->count, 6); /* input untouched */

    /* already installed */
    assert_int_equal(catalog_edit_install(n, &test_guid_b, "C:\\mine.dll", list, 1, &n2), WSANO_RECOVERY);
    assert_null(n2);
    /* bad arguments */
    assert_int_equal(catalog_edit_install(def, &test_guid_a, "C:\\x.dll", list, 0, &n2), WSAEINVAL);
    assert_int_equal(catalog_edit_install(def, &test_guid_a, "", list, 1, &n2), WSAEINVAL);
    assert_int_equal(catalog_edit_install(def, &test_guid_a, "C:\\x.dll", NULL, 1, &n2), WSAEFAULT);
    assert_int_equal(catalog_edit_install(def, NULL, "C:\\x.dll", list, 1, &n2), WSAEFAULT);
    list[1].ProtocolChain.ChainLen = 12;
    assert_int_equal(catalog_edit_install(def, &test_guid_a, "C:\\x.dll", list, 2, &n2), WSAEINVAL);
    list[1].ProtocolChain.ChainLen = 1;
    list[1].iMinSockAddr = 100;
    assert_int_equal(catalog_edit_install(def, &test_guid_a, "C:\\x.dll", list, 2, &n2), WSAEINVAL);
    assert_null(n2);
    {
        char longpath[300];
        memset(longpath, 'p', sizeof(longpath));
        longpath[299] = 0;
        assert_int_equal(catalog_edit_install(def, &test_guid_a, longpath, list, 1, &n2), WSAEINVAL);
    }
    catalog_release(n);
    catalog_release(def);
}

static void test_deinstall(void **state)
{
    struct catalog *def = catalog_default(CATALOG_VIEW_32), *n = NULL;
    static const GUID v4 = {0xe70f1aa0, 0xab8b, 0x11cf, {0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}};
    (void)state;

    assert_int_equal(catalog_edit_deinstall(def, &v4, &n), 0);
    assert_int_equal(n->count, 3);
    assert_int_equal(n->entries[0].info.dwCatalogEntryId, 1004);
    assert_int_equal(n->next_id, 1007); /* ids are never reused */
    catalog_release(n);
    n = NULL;
    assert_int_equal(catalog_edit_deinstall(def, &test_guid_a, &n), WSAEINVAL);
    assert_null(n);
    assert_int_equal(catalog_edit_deinstall(def, NULL, &n), WSAEFAULT);
    catalog_release(def);
}

static void test_update(void **state)
{
    struct catalog *def = catalog_default(CATALOG_VIEW_64), *a = NULL, *b = NULL;
    WSAPROTOCOL_INFOW list[2], upd[2];
    (void)state;

    list[0] = make_info(&test_guid_a, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP, "v1 tcp");
    list[1] = make_info(&test_guid_a, 0, AF_INET, SOCK_DGRAM, IPPROTO_UDP, "v1 udp");
    assert_int_equal(catalog_edit_install(def, &test_guid_a, "C:\\v1.dll", list, 2, &a), 0);

    /* positional */
    upd[0] = make_info(&test_guid_b, 5, AF_INET, SOCK_STREAM, IPPROTO_TCP, "v2 tcp");
    upd[1] = make_info(&test_guid_b, 6, AF_INET, SOCK_DGRAM, IPPROTO_UDP, "v2 udp");
    assert_int_equal(catalog_edit_update(a, &test_guid_a, "C:\\v2.dll", upd, 2, &b), 0);
    assert_int_equal(b->count, 8);
    assert_int_equal(b->entries[6].info.dwCatalogEntryId, 1007); /* ids and places kept */
    assert_memory_equal(&b->entries[6].info.ProviderId, &test_guid_a, sizeof(GUID));
    assert_true(wname_is(b->entries[6].info.szProtocol, "v2 tcp"));
    assert_true(wname_is(b->entries[7].info.szProtocol, "v2 udp"));
    assert_string_equal(b->entries[7].path, "C:\\v2.dll");
    catalog_release(b);

    /* by catalog id: one entry */
    upd[0] = make_info(&test_guid_a, 1008, AF_INET, SOCK_DGRAM, IPPROTO_UDP, "v3 udp");
    assert_int_equal(catalog_edit_update(a, &test_guid_a, "C:\\v3.dll", upd, 1, &b), 0);
    assert_true(wname_is(b->entries[6].info.szProtocol, "v1 tcp"));
    assert_true(wname_is(b->entries[7].info.szProtocol, "v3 udp"));
    assert_string_equal(b->entries[6].path, "C:\\v3.dll");
    catalog_release(b);
    b = NULL;

    /* neither matching ids nor one info per entry */
    upd[0].dwCatalogEntryId = 1001; /* not this provider's */
    assert_int_equal(catalog_edit_update(a, &test_guid_a, "C:\\v3.dll", upd, 1, &b), WSAEINVAL);
    assert_int_equal(catalog_edit_update(a, &test_guid_b, "C:\\v3.dll", upd, 1, &b), WSAEINVAL);
    assert_null(b);
    catalog_release(a);
    catalog_release(def);
}

static void test_order(void **state)
{
    struct catalog *def = catalog_default(CATALOG_VIEW_64), *n = NULL;
    DWORD ids[6] = {1006, 1005, 1004, 1003, 1002, 1001};
    size_t i;
    (void)state;

    assert_int_equal(catalog_edit_order(def, ids, 6, &n), 0);
    for (i = 0; i < 6; i++) assert_int_equal(n->entries[i].info.dwCatalogEntryId, ids[i]);
    assert_memory_equal(&n->entries[0], &def->entries[5], sizeof(def->entries[5]));
    catalog_release(n);
    n = NULL;
    assert_int_equal(catalog_edit_order(def, ids, 5, &n), WSAEINVAL);   /* not every entry */
    ids[0] = 1001;
    assert_int_equal(catalog_edit_order(def, ids, 6, &n), WSAEINVAL);   /* duplicate */
    ids[0] = 4242;
    assert_int_equal(catalog_edit_order(def, ids, 6, &n), WSAEINVAL);   /* unknown id */
    assert_int_equal(catalog_edit_order(def, NULL, 6, &n), WSAEINVAL);
    assert_null(n);
    catalog_release(def);
}

static void test_install_chains_all_bases(void **state)
{
    struct catalog *def = catalog_default(CATALOG_VIEW_64), *n = NULL, *n2 = NULL;
    WCHAR name[32];
    DWORD dummy = 0;
    size_t i;
    (void)state;

    set_wname(name, "Test LSP");
    assert_int_equal(catalog_edit_install_chains(def, &test_guid_b, "C:\\lsp.dll", name, XP1_IFS_HANDLES, NULL, 0,
                                                 chain_guids, CHAIN_GUIDS, &dummy, &n), 0);
    /* six distinct base triples: 6 chains first, then the 6 bases, then the dummy */
    assert_int_equal(n->count, 13);
    assert_int_equal(dummy, 1007);
    for (i = 0; i < 6; i++)
    {
        const WSAPROTOCOL_INFOW *c = &n->entries[i].info;
        assert_int_equal(c->ProtocolChain.ChainLen, 2);
        assert_int_equal(c->ProtocolChain.ChainEntries[0], dummy);
        assert_int_equal(c->ProtocolChain.ChainEntries[1], 1001 + i);
        assert_int_equal(c->dwCatalogEntryId, 1008 + i);
        assert_memory_equal(&c->ProviderId, &chain_guids[i], sizeof(GUID)); /* its own GUID, as Windows */
        assert_int_equal(c->iSocketType, def->entries[i].info.iSocketType);
        assert_int_equal(c->dwProviderFlags, def->entries[i].info.dwProviderFlags); /* hidden stays hidden */
        assert_int_equal(c->dwServiceFlags1 & XP1_IFS_HANDLES, XP1_IFS_HANDLES);
        assert_string_equal(n->entries[i].path, "C:\\lsp.dll");
    }
    assert_true(wname_is(n->entries[0].info.szProtocol, "Test LSP over [MSAFD Tcpip [TCP/IP]]"));
    assert_int_equal(n->entries[12].info.ProtocolChain.ChainLen, LAYERED_PROTOCOL);
    assert_int_equal(n->entries[12].info.dwCatalogEntryId, dummy);
    assert_int_equal(n->entries[12].info.dwProviderFlags & PFL_HIDDEN, PFL_HIDDEN);
    assert_true(wname_is(n->entries[12].info.szProtocol, "Test LSP"));

    /* a second install: same GUID or same name refused */
    assert_int_equal(catalog_edit_install_chains(n, &test_guid_b, "C:\\lsp.dll", name, 0, NULL, 0, chain_guids, CHAIN_GUIDS, &dummy, &n2), WSAEINVAL);
    assert_int_equal(catalog_edit_install_chains(n, &test_guid_a, "C:\\lsp.dll", name, 0, NULL, 0, chain_guids, CHAIN_GUIDS, &dummy, &n2), WSAEINVAL);
    /* a second LSP (non-IFS) layers over the top-most chain */
    {
        WSAPROTOCOL_INFOW want = make_info(&test_guid_a, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP, "");
        WCHAR name2[32];
        set_wname(name2, "Second");
        /* the first LSP's chain GUIDs are taken */
        assert_int_equal(catalog_edit_install_chains(n, &test_guid_a, "C:\\lsp2.dll", name2, 0, &want, 1, chain_guids, CHAIN_GUIDS, &dummy, &n2), WSANO_RECOVERY);
        assert_int_equal(catalog_edit_install_chains(n, &test_guid_a, "C:\\lsp2.dll", name2, 0, &want, 1, chain_guids + 6, 1, &dummy, &n2), 0);
        assert_int_equal(n2->count, 15);
        assert_int_equal(n2->entries[0].info.ProtocolChain.ChainLen, 3);
        assert_int_equal(n2->entries[0].info.ProtocolChain.ChainEntries[0], dummy);
        assert_int_equal(n2->entries[0].info.ProtocolChain.ChainEntries[1], 1007);
        assert_int_equal(n2->entries[0].info.ProtocolChain.ChainEntries[2], 1001);
        assert_int_equal(n2->entries[0].info.dwServiceFlags1 & XP1_IFS_HANDLES, 0);
        catalog_release(n2);
    }
    catalog_release(n);
    catalog_release(def);
}

/* What an installer built on Microsoft's sample does: find the hidden entry as the first entry with
 * its GUID, the chains by ChainEntries[0], remove the hidden entry's GUID and then each chain's. */
static void test_install_chains_installer(void **state)
{
    struct catalog *views[2] = {catalog_default(CATALOG_VIEW_32), catalog_default(CATALOG_VIEW_64)};
    DWORD dummies[2] = {0, 0};
    WCHAR name[32];
    int v;
    (void)state;

    set_wname(name, "Installer LSP");
    for (v = 0; v < 2; v++)
    {
        struct catalog *n = NULL, *cur, *next = NULL;
        const WSAPROTOCOL_INFOW *hidden = NULL;
        GUID removed[CHAIN_GUIDS + 1];
        size_t i, j, nremoved = 0, chains = 0;

        assert_int_equal(catalog_edit_install_chains(views[v], &test_guid_b, "C:\\lsp.dll", name, 0, NULL, 0, chain_guids,
                                                     CHAIN_GUIDS, &dummies[v], &n), 0);
        for (i = 0; i < n->count && !hidden; i++)
            if (!memcmp(&n->entries[i].info.ProviderId, &test_guid_b, sizeof(GUID))) hidden = &n->entries[i].info;
        assert_non_null(hidden);
        assert_int_equal(hidden->ProtocolChain.ChainLen, LAYERED_PROTOCOL);
        assert_int_equal(hidden->dwCatalogEntryId, dummies[v]);
        for (i = 0; i < n->count; i++)
        {
            const WSAPROTOCOL_INFOW *e = &n->entries[i].info;
            if (e->ProtocolChain.ChainLen > 1 && e->ProtocolChain.ChainEntries[0] == hidden->dwCatalogEntryId)
            {
                chains++;
                for (j = 0; j < i; j++) /* every chain before the entries it layers over */
                    assert_int_not_equal(n->entries[j].info.dwCatalogEntryId, e->ProtocolChain.ChainEntries[1]);
            }
        }
        assert_int_equal(chains, 6);
        /* removal, call by call: the hidden entry's GUID, then each chain's */
        removed[nremoved++] = test_guid_b;
        for (i = 0; i < n->count; i++)
            if (n->entries[i].info.ProtocolChain.ChainLen > 1 &&
                n->entries[i].info.ProtocolChain.ChainEntries[0] == dummies[v])
                removed[nremoved++] = n->entries[i].info.ProviderId;
        cur = catalog_ref(n);
        for (i = 0; i < nremoved; i++)
        {
            assert_int_equal(catalog_edit_deinstall(cur, &removed[i], &next), 0);
            assert_int_equal(next->count, cur->count - 1);
            catalog_release(cur);
            cur = next;
        }
        assert_int_equal(catalog_edit_deinstall(cur, &test_guid_b, &next), WSAEINVAL);
        assert_int_equal(cur->count, views[v]->count);
        assert_memory_equal(cur->entries, views[v]->entries, cur->count * sizeof(*cur->entries));
        catalog_release(cur);
        catalog_release(n);
    }
    /* the same install into both views from the same next id: the same ids */
    assert_int_equal(dummies[0], dummies[1]);
    /* fewer chain GUIDs than chains, or one of them the provider's: nothing installed */
    {
        struct catalog *n = NULL;
        GUID dup[6];
        int k;
        assert_int_equal(catalog_edit_install_chains(views[1], &test_guid_b, "C:\\lsp.dll", name, 0, NULL, 0, chain_guids, 5,
                                                     &dummies[0], &n), WSANO_RECOVERY);
        for (k = 0; k < 6; k++) dup[k] = chain_guids[k];
        dup[3] = test_guid_b;
        assert_int_equal(catalog_edit_install_chains(views[1], &test_guid_b, "C:\\lsp.dll", name, 0, NULL, 0, dup, 6,
                                                     &dummies[0], &n), WSANO_RECOVERY);
        dup[3] = dup[1];
        assert_int_equal(catalog_edit_install_chains(views[1], &test_guid_b, "C:\\lsp.dll", name, 0, NULL, 0, dup, 6,
                                                     &dummies[0], &n), WSANO_RECOVERY);
        dup[3] = views[1]->entries[0].info.ProviderId; /* the base provider's */
        assert_int_equal(catalog_edit_install_chains(views[1], &test_guid_b, "C:\\lsp.dll", name, 0, NULL, 0, dup, 6,
                                                     &dummies[0], &n), WSANO_RECOVERY);
        assert_null(n);
    }
    catalog_release(views[0]);
    catalog_release(views[1]);
}

static void test_install_chains_errors(void **state)
{
    struct catalog *def = catalog_default(CATALOG_VIEW_64), *n = NULL;
    WSAPROTOCOL_INFOW want = make_info(&test_guid_a, 0, AF_IPX, SOCK_DGRAM, 1000, "");
    WCHAR name[WSAPROTOCOL_LEN + 2];
    DWORD dummy = 0;
    size_t i;
    (void)state;

    set_wname(name, "LSP");
    assert_int_equal(catalog_edit_install_chains(def, &test_guid_b, "C:\\l.dll", name, 0, &want, 1, chain_guids, CHAIN_GUIDS, &dummy, &n), WSAEINVAL);
    assert_int_equal(catalog_edit_install_chains(def, &test_guid_b, "C:\\l.dll", name, 0, &want, 0, chain_guids, CHAIN_GUIDS, &dummy, &n), WSAEINVAL);
    assert_int_equal(catalog_edit_install_chains(def, NULL, "C:\\l.dll", name, 0, NULL, 0, chain_guids, CHAIN_GUIDS, &dummy, &n), WSAEINVAL);
    assert_int_equal(catalog_edit_install_chains(def, &test_guid_b, "", name, 0, NULL, 0, chain_guids, CHAIN_GUIDS, &dummy, &n), WSAEINVAL);
    for (i = 0; i < WSAPROTOCOL_LEN + 1; i++) name[i] = 'n';
    name[WSAPROTOCOL_LEN + 1] = 0;
    assert_int_equal(catalog_edit_install_chains(def, &test_guid_b, "C:\\l.dll", name, 0, NULL, 0, chain_guids, CHAIN_GUIDS, &dummy, &n), WSAEINVAL);
    name[0] = 0;
    assert_int_equal(catalog_edit_install_chains(def, &test_guid_b, "C:\\l.dll", name, 0, NULL, 0, chain_guids, CHAIN_GUIDS, &dummy, &n), WSAEINVAL);
    assert_null(n);
    {
        /* no base provider at all */
        struct catalog *empty = make_catalog(CATALOG_VIEW_64, NULL, 0, "");
        set_wname(name, "LSP");
        assert_int_equal(catalog_edit_install_chains(empty, &test_guid_b, "C:\\l.dll", name, 0, NULL, 0, chain_guids, CHAIN_GUIDS, &dummy, &n),
                         WSANO_RECOVERY);
        catalog_release(empty);
    }
    {
        /* a chain already MAX_PROTOCOL_CHAIN long */
        WSAPROTOCOL_INFOW full = make_info(&test_guid_a, 1001, AF_INET, SOCK_STREAM, IPPROTO_TCP, "full");
        struct catalog *c;
        full.ProtocolChain.ChainLen = MAX_PROTOCOL_CHAIN;
        c = make_catalog(CATALOG_VIEW_64, &full, 1, "x.dll");
        want = full;
        assert_int_equal(catalog_edit_install_chains(c, &test_guid_b, "C:\\l.dll", name, 0, &want, 1, chain_guids, CHAIN_GUIDS, &dummy, &n),
                         WSANO_RECOVERY);
        catalog_release(c);
    }
    assert_null(n);
    catalog_release(def);
}

static void test_enum_filter(void **state)
{
    struct catalog *def = catalog_default(CATALOG_VIEW_64);
    WSAPROTOCOL_INFOW layered = make_info(&test_guid_a, 5, AF_INET, SOCK_STREAM, IPPROTO_TCP, "l");
    INT tcp_udp[] = {0xdead, IPPROTO_TCP, 0xcafe, IPPROTO_UDP, 0xbeef, 0};
    INT icmp[] = {IPPROTO_ICMP, 0};
    INT none[] = {0};
    (void)state;

    layered.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    assert_true(catalog_enum_match(&def->entries[0].info, NULL, TRUE));
    assert_false(catalog_enum_match(&def->entries[2].info, NULL, TRUE));  /* RAW is hidden */
    assert_true(catalog_enum_match(&def->entries[2].info, NULL, FALSE));  /* WSCEnumProtocols shows it */
    assert_false(catalog_enum_match(&layered, NULL, TRUE));
    assert_true(catalog_enum_match(&layered, NULL, FALSE));
    assert_true(catalog_enum_match(&def->entries[0].info, tcp_udp, TRUE));
    assert_true(catalog_enum_match(&def->entries[4].info, tcp_udp, TRUE));
    assert_false(catalog_enum_match(&def->entries[0].info, icmp, TRUE));
    assert_true(catalog_enum_match(&def->entries[2].info, icmp, FALSE)); /* within RAW's 0..255 */
    assert_false(catalog_enum_match(&def->entries[0].info, none, FALSE));
    catalog_release(def);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_install),
        cmocka_unit_test(test_deinstall),
        cmocka_unit_test(test_update),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_install_chains_all_bases),
        cmocka_unit_test(test_install_chains_installer),
        cmocka_unit_test(test_install_chains_errors),
        cmocka_unit_test(test_enum_filter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
