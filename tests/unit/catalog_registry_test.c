/* catalog_registry_test.c - the catalog in the (fake) registry: Windows' key and value names, loading
 * a mix of good and corrupt entries, the default fallback, store + reload, Serial_Access_Num and
 * catalog_current's change detection, the two views.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "catalog_test_util.h"
#include <stdio.h>
#include "fake_registry.h"

static int reset(void **state)
{
    os_regkey *k;
    (void)state;
    catalog_current_reset();
    fake_registry_reset();
    /* as on any Windows or Wine system */
    assert_int_equal(os_reg_open(NULL, "System\\CurrentControlSet\\Services", TRUE, TRUE, &k), ERROR_SUCCESS);
    os_reg_close(k);
    return 0;
}

static os_regkey *open_key(const char *path, BOOL create)
{
    os_regkey *k = NULL;
    LONG ret = os_reg_open(NULL, path, create, TRUE, &k);
    if (!create && ret == ERROR_FILE_NOT_FOUND) return NULL;
    assert_int_equal(ret, ERROR_SUCCESS);
    return k;
}

static void set_dword(const char *path, const char *name, DWORD v)
{
    os_regkey *k = open_key(path, TRUE);
    assert_int_equal(os_reg_set(k, name, REG_DWORD, &v, sizeof(v)), ERROR_SUCCESS);
    os_reg_close(k);
}

static BOOL get_dword(const char *path, const char *name, DWORD *v)
{
    os_regkey *k = open_key(path, FALSE);
    DWORD type = 0, len = sizeof(*v);
    LONG ret;
    if (!k) return FALSE;
    ret = os_reg_get(k, name, &type, v, &len);
    os_reg_close(k);
    return ret == ERROR_SUCCESS && type == REG_DWORD && len == 4;
}

/* Writes entry number index (1-based) of the view as a raw blob of len bytes. */
static void put_blob(const char *view_key, DWORD index, DWORD type, const void *blob, DWORD len)
{
    char path[512];
    os_regkey *k;
    snprintf(path, sizeof(path), "%s\\%s\\%012lu", PROTOCOL_CATALOG_KEY, view_key, (unsigned long)index);
    k = open_key(path, TRUE);
    assert_int_equal(os_reg_set(k, "PackedCatalogItem", type, blob, len), ERROR_SUCCESS);
    os_reg_close(k);
}

static void put_entry(const char *view_key, DWORD index, DWORD id, int type, const char *name)
{
    struct catalog_entry e;
    unsigned char blob[PACKED_CATALOG_ITEM_SIZE];
    memset(&e, 0, sizeof(e));
    snprintf(e.path, sizeof(e.path), "C:\\test\\%s.dll", name);
    e.info = make_info(&test_guid_a, id, AF_INET, type, 0, name);
    catalog_item_pack(&e, blob);
    put_blob(view_key, index, REG_BINARY, blob, sizeof(blob));
}

static void test_no_key_gives_default(void **state)
{
    struct catalog *cat = NULL;
    (void)state;
    assert_int_equal(catalog_load(CATALOG_VIEW_64, &cat), 0);
    assert_non_null(cat);
    assert_false(cat->from_registry);
    assert_int_equal(cat->count, 6);
    assert_int_equal(cat->view, CATALOG_VIEW_64);
    assert_int_equal(catalog_read_serial(), 0);
    catalog_release(cat);
    assert_int_equal(catalog_load(CATALOG_VIEW_32, NULL), WSAEFAULT);
    assert_int_equal(catalog_load((enum catalog_view)7, &cat), WSAEINVAL);
}

static void test_mixed_entries(void **state)
{
    struct catalog *cat = NULL;
    struct catalog_entry e;
    unsigned char blob[PACKED_CATALOG_ITEM_SIZE];
    (void)state;

    put_entry("Catalog_Entries64", 1, 2001, SOCK_STREAM, "good1");
    put_blob("Catalog_Entries64", 2, REG_BINARY, "short", 5);                       /* too short */
    put_entry("Catalog_Entries64", 3, 2003, SOCK_DGRAM, "good3");
    memset(&e, 0, sizeof(e));
    strcpy(e.path, "x.dll");
    e.info = make_info(&test_guid_a, 2004, AF_INET, SOCK_RAW, 0, "badchain");
    e.info.ProtocolChain.ChainLen = 9;
    catalog_item_pack(&e, blob);
    put_blob("Catalog_Entries64", 4, REG_BINARY, blob, sizeof(blob));               /* bad chain */
    put_entry("Catalog_Entries64", 5, 2001, SOCK_RAW, "dupid");                     /* duplicate id */
    put_entry("Catalog_Entries64", 6, 2006, SOCK_RAW, "wrongtype");
    {
        /* same blob, wrong value type */
        e.info = make_info(&test_guid_a, 2007, AF_INET, SOCK_RAW, 0, "sz");
        catalog_item_pack(&e, blob);
        put_blob("Catalog_Entries64", 7, REG_SZ, blob, sizeof(blob));
    }
    /* entry 8 missing altogether */
    put_entry("Catalog_Entries64", 9, 2009, SOCK_SEQPACKET, "good9");
    set_dword(PROTOCOL_CATALOG_KEY, "Num_Catalog_Entries64", 9);
    set_dword(PROTOCOL_CATALOG_KEY, "Serial_Access_Num", 41);
    set_dword(PROTOCOL_CATALOG_KEY, "Next_Catalog_Entry_ID", 1500);

    assert_int_equal(catalog_load(CATALOG_VIEW_64, &cat), 0);
    assert_true(cat->from_registry);
    assert_int_equal(cat->serial, 41);
    assert_int_equal(cat->count, 4);
    assert_true(wname_is(cat->entries[0].info.szProtocol, "good1"));
    assert_true(wname_is(cat->entries[1].info.szProtocol, "good3"));
    assert_true(wname_is(cat->entries[2].info.szProtocol, "wrongtype"));
    assert_true(wname_is(cat->entries[3].info.szProtocol, "good9"));
    assert_string_equal(cat->entries[3].path, "C:\\test\\good9.dll");
    /* Next_Catalog_Entry_ID below the largest id is not believed */
    assert_int_equal(cat->next_id, 2010);
    catalog_release(cat);

    /* the other view is untouched: still the default */
    assert_int_equal(catalog_load(CATALOG_VIEW_32, &cat), 0);
    assert_false(cat->from_registry);
    assert_int_equal(cat->serial, 41);
    catalog_release(cat);
}

static void test_count_limits_entries(void **state)
{
    struct catalog *cat = NULL;
    (void)state;
    put_entry("Catalog_Entries", 1, 3001, SOCK_STREAM, "one");
    put_entry("Catalog_Entries", 2, 3002, SOCK_STREAM, "two");
    put_entry("Catalog_Entries", 3, 3003, SOCK_STREAM, "three");
    set_dword(PROTOCOL_CATALOG_KEY, "Num_Catalog_Entries", 2);
    assert_int_equal(catalog_load(CATALOG_VIEW_32, &cat), 0);
    assert_int_equal(cat->count, 2);
    catalog_release(cat);

    /* without a count: read until the first gap */
    {
        os_regkey *k = open_key(PROTOCOL_CATALOG_KEY, FALSE);
        assert_int_equal(os_reg_delete_value(k, "Num_Catalog_Entries"), ERROR_SUCCESS);
        os_reg_close(k);
    }
    assert_int_equal(catalog_load(CATALOG_VIEW_32, &cat), 0);
    assert_int_equal(cat->count, 3);
    catalog_release(cat);

    /* an absurd count is capped, not trusted */
    set_dword(PROTOCOL_CATALOG_KEY, "Num_Catalog_Entries", 0xffffffff);
    assert_int_equal(catalog_load(CATALOG_VIEW_32, &cat), 0);
    assert_int_equal(cat->count, 3);
    catalog_release(cat);
}

static void test_all_corrupt_gives_default(void **state)
{
    struct catalog *cat = NULL;
    unsigned char junk[PACKED_CATALOG_ITEM_SIZE];
    (void)state;
    memset(junk, 0xff, sizeof(junk));
    put_blob("Catalog_Entries64", 1, REG_BINARY, junk, sizeof(junk));
    set_dword(PROTOCOL_CATALOG_KEY, "Num_Catalog_Entries64", 1);
    set_dword(PROTOCOL_CATALOG_KEY, "Serial_Access_Num", 5);
    assert_int_equal(catalog_load(CATALOG_VIEW_64, &cat), 0);
    assert_false(cat->from_registry);
    assert_int_equal(cat->count, 6);
    assert_int_equal(cat->serial, 5);
    catalog_release(cat);
}

static void test_store_and_reload(void **state)
{
    struct catalog *def = catalog_default(CATALOG_VIEW_64), *back = NULL, *n;
    WSAPROTOCOL_INFOW extra = make_info(&test_guid_b, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP, "extra");
    DWORD v = 0;
    size_t i;
    (void)state;

    set_dword(PROTOCOL_CATALOG_KEY, "Serial_Access_Num", 9);
    assert_int_equal(catalog_store(def), 0);
    assert_true(get_dword(PROTOCOL_CATALOG_KEY, "Serial_Access_Num", &v));
    assert_int_equal(v, 10);
    assert_true(get_dword(PROTOCOL_CATALOG_KEY, "Num_Catalog_Entries64", &v));
    assert_int_equal(v, 6);
    assert_true(get_dword(PROTOCOL_CATALOG_KEY, "Next_Catalog_Entry_ID", &v));
    assert_int_equal(v, 1007);
    assert_false(get_dword(PROTOCOL_CATALOG_KEY, "Num_Catalog_Entries", &v)); /* the 32-bit view untouched */

    /* the raw registry holds exactly the packed items, in order */
    for (i = 0; i < def->count; i++)
    {
        char path[512];
        unsigned char blob[PACKED_CATALOG_ITEM_SIZE + 8], want[PACKED_CATALOG_ITEM_SIZE];
        DWORD type = 0, len = sizeof(blob);
        char name[64];
        os_regkey *k;
        snprintf(path, sizeof(path), "%s\\Catalog_Entries64\\%012lu", PROTOCOL_CATALOG_KEY, (unsigned long)(i + 1));
        k = open_key(path, FALSE);
        assert_non_null(k);
        assert_int_equal(os_reg_get(k, "PackedCatalogItem", &type, blob, &len), ERROR_SUCCESS);
        assert_int_equal(type, REG_BINARY);
        assert_int_equal(len, PACKED_CATALOG_ITEM_SIZE);
        catalog_item_pack(&def->entries[i], want);
        assert_memory_equal(blob, want, PACKED_CATALOG_ITEM_SIZE);
        len = sizeof(name);
        assert_int_equal(os_reg_get(k, "ProtocolName", &type, name, &len), ERROR_SUCCESS);
        assert_int_equal(type, REG_SZ);
        os_reg_close(k);
    }

    assert_int_equal(catalog_load(CATALOG_VIEW_64, &back), 0);
    assert_true(back->from_registry);
    assert_int_equal(back->count, def->count);
    assert_int_equal(back->serial, 10);
    for (i = 0; i < def->count; i++) assert_memory_equal(&back->entries[i], &def->entries[i], sizeof(def->entries[i]));

    /* a shorter store removes the old entries' keys */
    n = make_catalog(CATALOG_VIEW_64, &extra, 1, "C:\\extra.dll");
    n->entries[0].info.dwCatalogEntryId = 5000;
    n->next_id = 5001;
    assert_int_equal(catalog_store(n), 0);
    {
        char path[512];
        snprintf(path, sizeof(path), "%s\\Catalog_Entries64\\%012u", PROTOCOL_CATALOG_KEY, 2u);
        assert_null(open_key(path, FALSE));
    }
    catalog_release(back);
    assert_int_equal(catalog_load(CATALOG_VIEW_64, &back), 0);
    assert_int_equal(back->count, 1);
    assert_int_equal(back->serial, 11);
    assert_true(get_dword(PROTOCOL_CATALOG_KEY, "Next_Catalog_Entry_ID", &v));
    assert_int_equal(v, 5001);
    assert_int_equal(fake_registry_lock_depth(), 0);
    catalog_release(back);
    catalog_release(n);
    catalog_release(def);
}

static void test_store_failure_still_bumps_serial(void **state)
{
    struct catalog *def = catalog_default(CATALOG_VIEW_32);
    DWORD v = 0;
    (void)state;
    set_dword(PROTOCOL_CATALOG_KEY, "Serial_Access_Num", 3);
    fake_registry_fail_sets(1, ERROR_ACCESS_DENIED);
    assert_int_equal(catalog_store(def), WSAEACCES);
    assert_true(get_dword(PROTOCOL_CATALOG_KEY, "Serial_Access_Num", &v));
    assert_int_equal(v, 4);
    assert_int_equal(fake_registry_lock_depth(), 0);
    catalog_release(def);
}

static void test_store_rejects_bad_input(void **state)
{
    struct catalog c;
    (void)state;
    memset(&c, 0, sizeof(c));
    assert_int_equal(catalog_store(NULL), WSAEFAULT);
    c.count = 1;
    assert_int_equal(catalog_store(&c), WSAEFAULT);
    c.count = 0;
    c.view = (enum catalog_view)5;
    assert_int_equal(catalog_store(&c), WSAEINVAL);
}

static void test_current_follows_serial(void **state)
{
    struct catalog *a, *b, *n;
    WSAPROTOCOL_INFOW info = make_info(&test_guid_b, 7000, AF_INET, SOCK_STREAM, IPPROTO_TCP, "mine");
    (void)state;

    a = catalog_current();
    assert_non_null(a);
    assert_false(a->from_registry);
    b = catalog_current();
    assert_ptr_equal(a, b); /* unchanged: the same snapshot */
    catalog_release(b);

    /* another "process" writes the catalog */
    n = make_catalog(CATALOG_VIEW_NATIVE, &info, 1, "C:\\mine.dll");
    assert_int_equal(catalog_store(n), 0);
    b = catalog_current();
    assert_ptr_not_equal(a, b);
    assert_true(b->from_registry);
    assert_int_equal(b->count, 1);
    assert_true(wname_is(b->entries[0].info.szProtocol, "mine"));
    /* the old snapshot stays valid for its holder */
    assert_int_equal(a->count, 6);
    catalog_release(a);

    /* a change that leaves the serial alone does not reload */
    set_dword(PROTOCOL_CATALOG_KEY, "Unrelated", 1);
    a = catalog_current();
    assert_ptr_equal(a, b);
    catalog_release(a);

    /* only Serial_Access_Num changed (a writer elsewhere): reloaded */
    set_dword(PROTOCOL_CATALOG_KEY, "Serial_Access_Num", 1000);
    a = catalog_current();
    assert_ptr_not_equal(a, b);
    assert_int_equal(a->serial, 1000);
    catalog_release(a);
    catalog_release(b);
    catalog_release(n);
}

struct reader_arg { int stop; long reads; long bad; };

static void *reader(void *param)
{
    struct reader_arg *a = param;
    while (!__atomic_load_n(&a->stop, __ATOMIC_SEQ_CST))
    {
        struct catalog *c = catalog_current();
        /* every snapshot is whole: the default (6) or one of the stored catalogs (1 or 2 entries) */
        if (!c || !(c->count == 6 || c->count == 1 || c->count == 2)) __atomic_add_fetch(&a->bad, 1, __ATOMIC_SEQ_CST);
        else if (c->count != 6 && !wname_is(c->entries[0].info.szProtocol, "mine"))
            __atomic_add_fetch(&a->bad, 1, __ATOMIC_SEQ_CST);
        catalog_release(c);
        __atomic_add_fetch(&a->reads, 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

static void test_current_concurrent(void **state)
{
    WSAPROTOCOL_INFOW infos[2];
    struct reader_arg arg = {0, 0, 0};
    pthread_t threads[4];
    int i;
    (void)state;

    infos[0] = make_info(&test_guid_b, 7000, AF_INET, SOCK_STREAM, IPPROTO_TCP, "mine");
    infos[1] = make_info(&test_guid_b, 7001, AF_INET, SOCK_DGRAM, IPPROTO_UDP, "mine too");
    for (i = 0; i < 4; i++) assert_int_equal(pthread_create(&threads[i], NULL, reader, &arg), 0);
    /* at least 200 stores, and keep storing until the readers have read a good deal meanwhile */
    for (i = 0; i < 200 || (__atomic_load_n(&arg.reads, __ATOMIC_SEQ_CST) < 2000 && i < 200000); i += 2)
    {
        int k;
        for (k = 0; k < 2; k++)
        {
            struct catalog *n = make_catalog(CATALOG_VIEW_NATIVE, infos, 1 + k, "C:\\mine.dll");
            assert_int_equal(catalog_store(n), 0);
            catalog_release(n);
        }
    }
    __atomic_store_n(&arg.stop, 1, __ATOMIC_SEQ_CST);
    for (i = 0; i < 4; i++) pthread_join(threads[i], NULL);
    assert_int_equal(arg.bad, 0);
    assert_true(arg.reads >= 2000);
    {
        struct catalog *c = catalog_current();
        assert_int_equal(c->count, 2); /* the last store had two entries */
        catalog_release(c);
    }
}

static void test_fake_registry_semantics(void **state)
{
    os_regkey *k = open_key("A\\B\\C", TRUE), *p;
    char name[8], big[4];
    DWORD type, len;
    (void)state;
    assert_int_equal(os_reg_set(k, "v", REG_BINARY, "abcdef", 6), ERROR_SUCCESS);
    len = sizeof(big);
    assert_int_equal(os_reg_get(k, "V", &type, big, &len), ERROR_MORE_DATA);
    assert_int_equal(len, 6);
    os_reg_close(k);
    p = open_key("a\\b", FALSE);
    assert_non_null(p);
    assert_int_equal(os_reg_enum_key(p, 0, name, sizeof(name)), ERROR_SUCCESS);
    assert_string_equal(name, "C");
    assert_int_equal(os_reg_enum_key(p, 1, name, sizeof(name)), ERROR_NO_MORE_ITEMS);
    assert_int_equal(os_reg_delete_tree(p, "c"), ERROR_SUCCESS);
    assert_int_equal(os_reg_enum_key(p, 0, name, sizeof(name)), ERROR_NO_MORE_ITEMS);
    assert_int_equal(os_reg_delete_tree(p, "c"), ERROR_FILE_NOT_FOUND);
    os_reg_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_no_key_gives_default, reset),
        cmocka_unit_test_setup(test_mixed_entries, reset),
        cmocka_unit_test_setup(test_count_limits_entries, reset),
        cmocka_unit_test_setup(test_all_corrupt_gives_default, reset),
        cmocka_unit_test_setup(test_store_and_reload, reset),
        cmocka_unit_test_setup(test_store_failure_still_bumps_serial, reset),
        cmocka_unit_test_setup(test_store_rejects_bad_input, reset),
        cmocka_unit_test_setup(test_current_follows_serial, reset),
        cmocka_unit_test_setup(test_current_concurrent, reset),
        cmocka_unit_test_setup(test_fake_registry_semantics, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
