/* ns_catalog_test.c - the namespace catalog (NameSpace_Catalog5) against the in-memory registry:
 * Windows' key and value names and types, the embedded default (Tcpip / NS_DNS on openws2nsp.dll),
 * store + reload of both views (ProviderInfo, AddressFamily, disabled entries, order), corrupt and
 * hostile entries skipped, empty vs missing catalogs, counts that lie, the WSC* edits, write
 * failures, and change detection through Serial_Access_Num.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <pthread.h>
#include "ns_catalog.h"
#include "fake_registry.h"
#include "trace.h"

#define VIEW64 NAMESPACE_CATALOG_KEY "\\Catalog_Entries64"
#define VIEW32 NAMESPACE_CATALOG_KEY "\\Catalog_Entries"

static const GUID guid_a = {0x11111111, 0x2222, 0x3333, {1, 2, 3, 4, 5, 6, 7, 8}};
static const GUID guid_b = {0xaaaaaaaa, 0xbbbb, 0xcccc, {8, 7, 6, 5, 4, 3, 2, 1}};
static const GUID guid_c = {0x12345678, 0x9abc, 0xdef0, {9, 9, 9, 9, 9, 9, 9, 9}};

static int reset(void **state)
{
    os_regkey *k;
    (void)state;
    ns_catalog_current_reset();
    fake_registry_reset();
    fake_registry_fail_sets(0, 0);
    assert_int_equal(os_reg_open(NULL, "System\\CurrentControlSet\\Services", TRUE, TRUE, &k), ERROR_SUCCESS);
    os_reg_close(k);
    return 0;
}

static int wide_is(const WCHAR *w, const char *s)
{
    size_t i;
    for (i = 0; s[i]; i++)
        if (w[i] != (unsigned char)s[i]) return 0;
    return w[i] == 0;
}

static os_regkey *open_key(const char *path, BOOL create)
{
    os_regkey *k = NULL;
    LONG ret = os_reg_open(NULL, path, create, TRUE, &k);
    if (!create && ret == ERROR_FILE_NOT_FOUND) return NULL;
    assert_int_equal(ret, ERROR_SUCCESS);
    return k;
}

static void set_value(const char *path, const char *name, DWORD type, const void *data, DWORD len)
{
    os_regkey *k = open_key(path, TRUE);
    assert_int_equal(os_reg_set(k, name, type, data, len), ERROR_SUCCESS);
    os_reg_close(k);
}

static void set_dword(const char *path, const char *name, DWORD v)
{
    set_value(path, name, REG_DWORD, &v, sizeof(v));
}

static void set_wstr(const char *path, const char *name, const char *ascii)
{
    WCHAR w[600];
    ns_ascii_to_wide(ascii, w, OPENWS2_ARRAY_SIZE(w));
    set_value(path, name, REG_SZ, w, (DWORD)((ns_wcslen(w) + 1) * sizeof(WCHAR)));
}

static BOOL get_value(const char *path, const char *name, DWORD *type, void *data, DWORD *len)
{
    os_regkey *k = open_key(path, FALSE);
    LONG ret;
    if (!k) return FALSE;
    ret = os_reg_get(k, name, type, data, len);
    os_reg_close(k);
    return ret == ERROR_SUCCESS;
}

static DWORD get_dword(const char *path, const char *name)
{
    DWORD type = 0, v = 0xdeadbeef, len = sizeof(v);
    assert_true(get_value(path, name, &type, &v, &len));
    assert_int_equal(type, REG_DWORD);
    assert_int_equal(len, 4);
    return v;
}

/* A complete, valid entry written value by value as Windows would. */
static void put_entry(const char *view, DWORD index, const GUID *id, const char *name, DWORD ns)
{
    char path[512];
    snprintf(path, sizeof(path), "%s\\%012lu", view, (unsigned long)index);
    set_wstr(path, "LibraryPath", "%SystemRoot%\\system32\\test.dll");
    set_wstr(path, "DisplayString", name);
    set_value(path, "ProviderId", REG_BINARY, id, sizeof(*id));
    set_dword(path, "SupportedNameSpace", ns);
    set_dword(path, "Enabled", 1);
    set_dword(path, "Version", 1);
    set_dword(path, "StoresServiceClassInfo", 0);
}

static void make_entry(struct ns_catalog_entry *e, const GUID *id, const char *name, DWORD ns)
{
    memset(e, 0, sizeof(*e));
    ns_ascii_to_wide("C:\\nsp\\x.dll", e->path, NS_CATALOG_PATH_LEN);
    ns_ascii_to_wide(name, e->display, NS_CATALOG_NAME_LEN);
    e->id = *id;
    e->name_space = ns;
    e->version = 3;
    e->address_family = NS_NO_ADDRESS_FAMILY;
    e->enabled = TRUE;
}

static void test_default_when_missing(void **state)
{
    struct ns_catalog *cat = NULL;
    (void)state;
    assert_int_equal(ns_catalog_load(CATALOG_VIEW_64, &cat), 0);
    assert_non_null(cat);
    assert_false(cat->from_registry);
    assert_int_equal(cat->count, 2);
    assert_memory_equal(&cat->entries[0].id, &ns_tcpip_provider_id, sizeof(GUID));
    assert_int_equal(cat->entries[0].name_space, NS_DNS);
    assert_true(cat->entries[0].enabled);
    assert_true(wide_is(cat->entries[0].path, "%SystemRoot%\\system32\\openws2nsp.dll"));
    assert_true(wide_is(cat->entries[0].display, "Tcpip"));
    assert_int_equal(ns_catalog_entry_check(&cat->entries[0]), 0);
    /* then Windows' NLA provider (NS_NLA), served by the same DLL */
    assert_memory_equal(&cat->entries[1].id, &ns_nla_provider_id, sizeof(GUID));
    assert_int_equal(cat->entries[1].name_space, NS_NLA);
    assert_int_equal(cat->entries[1].version, 0);
    assert_true(cat->entries[1].enabled);
    assert_true(wide_is(cat->entries[1].path, "%SystemRoot%\\system32\\openws2nsp.dll"));
    assert_true(wide_is(cat->entries[1].display, "Network Location Awareness Legacy (NLAv1) Namespace"));
    assert_int_equal(ns_catalog_entry_check(&cat->entries[1]), 0);
    ns_catalog_release(cat);
    /* Windows' Tcpip namespace provider id, byte for byte. */
    {
        static const unsigned char raw[16] = {0x40, 0x9d, 0x05, 0x22, 0x9e, 0x7e, 0xcf, 0x11,
                                              0xae, 0x5a, 0x00, 0xaa, 0x00, 0xa7, 0x11, 0x2b};
        assert_memory_equal(&ns_tcpip_provider_id, raw, 16);
    }
    /* NLA_NAMESPACE_GUID {6642243A-3BA8-4AA6-BAA5-2E0BD71FDD83}, byte for byte */
    {
        static const unsigned char raw[16] = {0x3a, 0x24, 0x42, 0x66, 0xa8, 0x3b, 0xa6, 0x4a,
                                              0xba, 0xa5, 0x2e, 0x0b, 0xd7, 0x1f, 0xdd, 0x83};
        assert_memory_equal(&ns_nla_provider_id, raw, 16);
    }
}

static void test_reset_writes_windows_format(void **state)
{
    char path[256];
    unsigned char buf[1024];
    DWORD type, len;
    WCHAR expect[64];
    (void)state;

    assert_int_equal(ns_catalog_reset_default(), 0);
    assert_int_equal(get_dword(NAMESPACE_CATALOG_KEY, "Num_Catalog_Entries64"), 2);
    assert_int_equal(get_dword(NAMESPACE_CATALOG_KEY, "Num_Catalog_Entries"), 2);
    assert_int_equal(get_dword(NAMESPACE_CATALOG_KEY, "Serial_Access_Num"), 2); /* two views stored */
    snprintf(path, sizeof(path), "%s\\000000000001", VIEW64);
    len = sizeof(buf);
    assert_true(get_value(path, "LibraryPath", &type, buf, &len));
    assert_int_equal(type, REG_SZ);
    ns_ascii_to_wide("%SystemRoot%\\system32\\openws2nsp.dll", expect, 64);
    assert_int_equal(len, (ns_wcslen(expect) + 1) * 2);
    assert_memory_equal(buf, expect, len);
    len = sizeof(buf);
    assert_true(get_value(path, "DisplayString", &type, buf, &len));
    assert_int_equal(type, REG_SZ);
    assert_true(wide_is((WCHAR *)buf, "Tcpip"));
    len = sizeof(buf);
    assert_true(get_value(path, "ProviderId", &type, buf, &len));
    assert_int_equal(type, REG_BINARY);
    assert_int_equal(len, 16);
    assert_memory_equal(buf, &ns_tcpip_provider_id, 16);
    assert_int_equal(get_dword(path, "SupportedNameSpace"), NS_DNS);
    assert_int_equal(get_dword(path, "Enabled"), 1);
    snprintf(path, sizeof(path), "%s\\000000000002", VIEW64);
    len = sizeof(buf);
    assert_true(get_value(path, "DisplayString", &type, buf, &len));
    assert_true(wide_is((WCHAR *)buf, "Network Location Awareness Legacy (NLAv1) Namespace"));
    len = sizeof(buf);
    assert_true(get_value(path, "ProviderId", &type, buf, &len));
    assert_int_equal(len, 16);
    assert_memory_equal(buf, &ns_nla_provider_id, 16);
    assert_int_equal(get_dword(path, "SupportedNameSpace"), NS_NLA);
    assert_int_equal(get_dword(path, "Enabled"), 1);
    assert_int_equal(get_dword(path, "Version"), 0);
    assert_int_equal(get_dword(path, "StoresServiceClassInfo"), 0);
    len = sizeof(buf);
    assert_false(get_value(path, "AddressFamily", &type, buf, &len)); /* absent unless set */
    snprintf(path, sizeof(path), "%s\\000000000001", VIEW32);
    assert_int_equal(get_dword(path, "SupportedNameSpace"), NS_DNS);
    snprintf(path, sizeof(path), "%s\\000000000002", VIEW32);
    assert_int_equal(get_dword(path, "SupportedNameSpace"), NS_NLA);
    snprintf(path, sizeof(path), "%s\\000000000003", VIEW64);
    assert_null(open_key(path, FALSE));
    assert_int_equal(ns_catalog_read_serial(), 2);
}

static void test_store_load_round_trip(void **state)
{
    struct ns_catalog *cat, *back = NULL;
    static unsigned char info[] = {1, 2, 3, 0, 255, 7};
    (void)state;

    cat = ns_catalog_new(CATALOG_VIEW_32, 3);
    assert_non_null(cat);
    make_entry(&cat->entries[0], &guid_a, "first", NS_DNS);
    make_entry(&cat->entries[1], &guid_b, "second", NS_NLA);
    cat->entries[1].enabled = FALSE;
    cat->entries[1].stores_class_info = TRUE;
    cat->entries[1].address_family = AF_INET6;
    make_entry(&cat->entries[2], &guid_c, "third", NS_EMAIL);
    cat->entries[2].has_info = TRUE;
    cat->entries[2].info_len = sizeof(info);
    cat->entries[2].info = malloc(sizeof(info));
    memcpy(cat->entries[2].info, info, sizeof(info));
    cat->entries[2].display[0] = 0x263a; /* non-ASCII survives */
    assert_int_equal(ns_catalog_store(cat), 0);

    assert_int_equal(ns_catalog_load(CATALOG_VIEW_32, &back), 0);
    assert_true(back->from_registry);
    assert_int_equal(back->count, 3);
    assert_int_equal(back->serial, 1);
    assert_memory_equal(&back->entries[0].id, &guid_a, 16);
    assert_memory_equal(&back->entries[1].id, &guid_b, 16);
    assert_memory_equal(&back->entries[2].id, &guid_c, 16);
    assert_true(wide_is(back->entries[0].display, "first"));
    assert_true(back->entries[0].enabled);
    assert_false(back->entries[1].enabled);
    assert_true(back->entries[1].stores_class_info);
    assert_int_equal(back->entries[1].address_family, AF_INET6);
    assert_int_equal(back->entries[0].address_family, NS_NO_ADDRESS_FAMILY);
    assert_int_equal(back->entries[1].name_space, NS_NLA);
    assert_int_equal(back->entries[2].version, 3);
    assert_true(back->entries[2].has_info);
    assert_int_equal(back->entries[2].info_len, sizeof(info));
    assert_memory_equal(back->entries[2].info, info, sizeof(info));
    assert_false(back->entries[0].has_info);
    assert_int_equal(back->entries[2].display[0], 0x263a);
    assert_int_equal(ns_wcscmp(back->entries[2].display, cat->entries[2].display), 0);
    /* the other view is untouched: still the default */
    ns_catalog_release(back);
    assert_int_equal(ns_catalog_load(CATALOG_VIEW_64, &back), 0);
    assert_false(back->from_registry);
    ns_catalog_release(back);
    ns_catalog_release(cat);
}

static void test_corrupt_entries_skipped(void **state)
{
    struct ns_catalog *cat = NULL;
    char path[256];
    WCHAR longpath[400];
    DWORD i;
    (void)state;

    set_dword(NAMESPACE_CATALOG_KEY, "Num_Catalog_Entries64", 10);
    /* 1: good */
    put_entry(VIEW64, 1, &guid_a, "good", NS_DNS);
    /* 2: ProviderId of the wrong size */
    put_entry(VIEW64, 2, &guid_b, "short id", NS_DNS);
    snprintf(path, sizeof(path), "%s\\%012u", VIEW64, 2);
    set_value(path, "ProviderId", REG_BINARY, &guid_b, 15);
    /* 3: LibraryPath as a DWORD */
    put_entry(VIEW64, 3, &guid_c, "bad path", NS_DNS);
    snprintf(path, sizeof(path), "%s\\%012u", VIEW64, 3);
    set_dword(path, "LibraryPath", 5);
    /* 4: path longer than MAX_PATH, unterminated */
    put_entry(VIEW64, 4, &guid_c, "long path", NS_DNS);
    snprintf(path, sizeof(path), "%s\\%012u", VIEW64, 4);
    for (i = 0; i < 400; i++) longpath[i] = 'a';
    set_value(path, "LibraryPath", REG_SZ, longpath, sizeof(longpath));
    /* 5: SupportedNameSpace missing */
    put_entry(VIEW64, 5, &guid_c, "no ns", NS_DNS);
    snprintf(path, sizeof(path), "%s\\%012u", VIEW64, 5);
    { os_regkey *k = open_key(path, FALSE); assert_int_equal(os_reg_delete_value(k, "SupportedNameSpace"), ERROR_SUCCESS); os_reg_close(k); }
    /* 6: duplicate of 1 */
    put_entry(VIEW64, 6, &guid_a, "dup", NS_DNS);
    /* 7: Enabled as a string */
    put_entry(VIEW64, 7, &guid_c, "bad enabled", NS_DNS);
    snprintf(path, sizeof(path), "%s\\%012u", VIEW64, 7);
    set_wstr(path, "Enabled", "1");
    /* 8: ProviderInfo of the wrong type */
    put_entry(VIEW64, 8, &guid_c, "bad info", NS_DNS);
    snprintf(path, sizeof(path), "%s\\%012u", VIEW64, 8);
    set_dword(path, "ProviderInfo", 1);
    /* 9: missing key; 10: good */
    put_entry(VIEW64, 10, &guid_b, "good too", NS_NLA);
    /* empty DisplayString on another */
    put_entry(VIEW64, 11, &guid_c, "x", NS_DNS);
    snprintf(path, sizeof(path), "%s\\%012u", VIEW64, 11);
    set_value(path, "DisplayString", REG_SZ, "", 0);

    assert_int_equal(ns_catalog_load(CATALOG_VIEW_64, &cat), 0);
    assert_true(cat->from_registry);
    assert_int_equal(cat->count, 2); /* entry 11 is beyond the count */
    assert_true(wide_is(cat->entries[0].display, "good"));
    assert_true(wide_is(cat->entries[1].display, "good too"));
    for (i = 0; i < cat->count; i++) assert_int_equal(ns_catalog_entry_check(&cat->entries[i]), 0);
    ns_catalog_release(cat);
}

static void test_empty_vs_missing(void **state)
{
    struct ns_catalog *cat = NULL;
    char path[256];
    (void)state;

    /* Num = 0: deliberately empty (everything uninstalled) */
    set_dword(NAMESPACE_CATALOG_KEY, "Num_Catalog_Entries64", 0);
    assert_int_equal(ns_catalog_load(CATALOG_VIEW_64, &cat), 0);
    assert_int_equal(cat->count, 0);
    assert_true(cat->from_registry);
    ns_catalog_release(cat);

    /* Num = 2 but both entries unusable: broken, the default */
    set_dword(NAMESPACE_CATALOG_KEY, "Num_Catalog_Entries64", 2);
    snprintf(path, sizeof(path), "%s\\000000000001", VIEW64);
    set_dword(path, "Enabled", 1);
    assert_int_equal(ns_catalog_load(CATALOG_VIEW_64, &cat), 0);
    assert_false(cat->from_registry);
    assert_int_equal(cat->count, 2);
    ns_catalog_release(cat);

    /* no count: entries read up to the first gap */
    fake_registry_reset();
    put_entry(VIEW64, 1, &guid_a, "one", NS_DNS);
    put_entry(VIEW64, 2, &guid_b, "two", NS_DNS);
    put_entry(VIEW64, 4, &guid_c, "after the gap", NS_DNS);
    assert_int_equal(ns_catalog_load(CATALOG_VIEW_64, &cat), 0);
    assert_int_equal(cat->count, 2);
    ns_catalog_release(cat);

    /* a count of the wrong type counts as missing */
    set_wstr(NAMESPACE_CATALOG_KEY, "Num_Catalog_Entries64", "2");
    assert_int_equal(ns_catalog_load(CATALOG_VIEW_64, &cat), 0);
    assert_int_equal(cat->count, 2);
    ns_catalog_release(cat);

    /* an unbelievable count is capped, not trusted */
    set_dword(NAMESPACE_CATALOG_KEY, "Num_Catalog_Entries64", 0xffffffff);
    assert_int_equal(ns_catalog_load(CATALOG_VIEW_64, &cat), 0);
    assert_int_equal(cat->count, 3);
    ns_catalog_release(cat);

    assert_int_equal(ns_catalog_load((enum catalog_view)7, &cat), WSAEINVAL);
    assert_int_equal(ns_catalog_load(CATALOG_VIEW_64, NULL), WSAEFAULT);
}

static void test_edits(void **state)
{
    struct ns_catalog *cat, *a = NULL, *b = NULL, *c = NULL;
    struct ns_catalog_entry e;
    GUID order[3];
    (void)state;

    /* from the default without its NLA entry: Tcpip alone */
    a = ns_catalog_default(CATALOG_VIEW_64);
    assert_int_equal(ns_catalog_edit_remove(a, &ns_nla_provider_id, &cat), 0);
    ns_catalog_release(a);
    a = NULL;
    assert_int_equal(cat->count, 1);
    make_entry(&e, &guid_a, "a", NS_DNS);
    assert_int_equal(ns_catalog_edit_install(cat, &e, &a), 0);
    assert_int_equal(a->count, 2);
    assert_int_equal(cat->count, 1); /* input unchanged */
    assert_memory_equal(&a->entries[1].id, &guid_a, 16);
    assert_int_equal(ns_catalog_edit_install(a, &e, &b), WSANO_RECOVERY);
    assert_null(b);
    e.id = guid_b;
    e.path[0] = 0;
    assert_int_equal(ns_catalog_edit_install(a, &e, &b), WSAEINVAL);
    make_entry(&e, &guid_b, "b", NS_NLA);
    assert_int_equal(ns_catalog_edit_install(a, &e, &b), 0);
    assert_int_equal(b->count, 3);

    assert_int_equal(ns_catalog_edit_enable(b, &guid_a, FALSE, &c), 0);
    assert_false(ns_catalog_find(c, &guid_a)->enabled);
    assert_true(ns_catalog_find(b, &guid_a)->enabled);
    ns_catalog_release(c);
    assert_int_equal(ns_catalog_edit_enable(b, &guid_c, FALSE, &c), WSAEINVAL);

    order[0] = guid_b;
    order[1] = ns_tcpip_provider_id;
    order[2] = guid_a;
    assert_int_equal(ns_catalog_edit_order(b, order, 3, &c), 0);
    assert_memory_equal(&c->entries[0].id, &guid_b, 16);
    assert_memory_equal(&c->entries[1].id, &ns_tcpip_provider_id, 16);
    assert_memory_equal(&c->entries[2].id, &guid_a, 16);
    ns_catalog_release(c);
    assert_int_equal(ns_catalog_edit_order(b, order, 2, &c), WSAEINVAL);
    order[2] = guid_b; /* twice */
    assert_int_equal(ns_catalog_edit_order(b, order, 3, &c), WSAEINVAL);
    order[2] = guid_c; /* unknown */
    assert_int_equal(ns_catalog_edit_order(b, order, 3, &c), WSAEINVAL);
    assert_null(c);

    assert_int_equal(ns_catalog_edit_remove(b, &guid_a, &c), 0);
    assert_int_equal(c->count, 2);
    assert_null(ns_catalog_find(c, &guid_a));
    assert_non_null(ns_catalog_find(c, &guid_b));
    ns_catalog_release(c);
    assert_int_equal(ns_catalog_edit_remove(b, &guid_c, &c), WSAEINVAL);

    ns_catalog_release(a);
    ns_catalog_release(b);
    ns_catalog_release(cat);
}

static void test_write_failure(void **state)
{
    struct ns_catalog *cat = ns_catalog_default(CATALOG_VIEW_64);
    (void)state;
    fake_registry_fail_sets(1, ERROR_ACCESS_DENIED);
    assert_int_equal(ns_catalog_store(cat), WSAEACCES);
    fake_registry_fail_sets(0, 0);
    assert_int_equal(ns_catalog_read_serial(), 1); /* bumped even so: readers must look again */
    assert_int_equal(fake_registry_lock_depth(), 0);
    assert_int_equal(ns_catalog_store(cat), 0);
    assert_int_equal(ns_catalog_read_serial(), 2);
    cat->entries[0].display[0] = 0; /* invalid entries are never written */
    assert_int_equal(ns_catalog_store(cat), WSAEINVAL);
    assert_int_equal(ns_catalog_read_serial(), 2);
    ns_catalog_release(cat);
}

static void test_change_detection(void **state)
{
    struct ns_catalog *cur, *cat, *edited = NULL;
    struct ns_catalog_entry e;
    (void)state;

    cur = ns_catalog_current();
    assert_non_null(cur);
    assert_int_equal(cur->count, 2);
    ns_catalog_release(cur);

    /* another writer installs a provider */
    assert_int_equal(ns_catalog_load(CATALOG_VIEW_NATIVE, &cat), 0);
    make_entry(&e, &guid_a, "new", NS_DNS);
    assert_int_equal(ns_catalog_edit_install(cat, &e, &edited), 0);
    assert_int_equal(ns_catalog_store(edited), 0);
    ns_catalog_release(cat);
    ns_catalog_release(edited);

    cur = ns_catalog_current();
    assert_int_equal(cur->count, 3);
    assert_non_null(ns_catalog_find(cur, &guid_a));
    cat = ns_catalog_current();
    assert_ptr_equal(cat, cur); /* unchanged: the same snapshot */
    ns_catalog_release(cat);
    ns_catalog_release(cur);
}

/* Readers taking snapshots while a writer changes the catalog: every snapshot is a consistent one
 * (1 to 5 entries, all valid) and the last one seen after the writer finished is the final catalog. */
static volatile int writer_done;

static void *reader_thread(void *param)
{
    int bad = 0;
    (void)param;
    while (!__atomic_load_n(&writer_done, __ATOMIC_SEQ_CST))
    {
        struct ns_catalog *cat = ns_catalog_current();
        size_t i;
        if (!cat || cat->count < 1 || cat->count > 5) bad++;
        for (i = 0; cat && i < cat->count; i++)
            if (ns_catalog_entry_check(&cat->entries[i])) bad++;
        ns_catalog_release(cat);
    }
    return (void *)(intptr_t)bad;
}

static void test_concurrent_readers(void **state)
{
    pthread_t threads[4];
    struct ns_catalog *cat, *cur;
    int i, round;
    (void)state;

    writer_done = 0;
    for (i = 0; i < 4; i++) assert_int_equal(pthread_create(&threads[i], NULL, reader_thread, NULL), 0);
    for (round = 0; round < 200; round++)
    {
        size_t n = (size_t)(round % 5) + 1, k;
        cat = ns_catalog_new(CATALOG_VIEW_NATIVE, n);
        for (k = 0; k < n; k++)
        {
            GUID id = guid_a;
            id.Data2 = (unsigned short)k;
            make_entry(&cat->entries[k], &id, "w", NS_DNS);
        }
        assert_int_equal(ns_catalog_store(cat), 0);
        ns_catalog_release(cat);
    }
    __atomic_store_n(&writer_done, 1, __ATOMIC_SEQ_CST);
    for (i = 0; i < 4; i++)
    {
        void *bad = NULL;
        assert_int_equal(pthread_join(threads[i], &bad), 0);
        assert_int_equal((intptr_t)bad, 0);
    }
    cur = ns_catalog_current();
    assert_int_equal(cur->count, 5); /* round 199: 199 % 5 + 1 */
    ns_catalog_release(cur);
}

/* Random registry contents: loading never crashes and returns only entries that pass the checks. */
static void test_random_registry(void **state)
{
    static const char *const names[] = {"LibraryPath", "DisplayString", "ProviderId", "SupportedNameSpace", "Enabled",
                                        "Version", "StoresServiceClassInfo", "AddressFamily", "ProviderInfo"};
    static const DWORD types[] = {REG_SZ, REG_EXPAND_SZ, REG_BINARY, REG_DWORD, REG_MULTI_SZ, REG_NONE};
    unsigned seed = 12345;
    int round;
    (void)state;

    for (round = 0; round < 300; round++)
    {
        struct ns_catalog *cat = NULL;
        DWORD i, n = (DWORD)(rand_r(&seed) % 6);
        size_t k;

        fake_registry_reset();
        if (rand_r(&seed) % 2) set_dword(NAMESPACE_CATALOG_KEY, "Num_Catalog_Entries64", (DWORD)(rand_r(&seed) % 8));
        for (i = 1; i <= n; i++)
        {
            char path[256];
            snprintf(path, sizeof(path), "%s\\%012lu", VIEW64, (unsigned long)i);
            if (rand_r(&seed) % 3) put_entry(VIEW64, i, rand_r(&seed) % 2 ? &guid_a : &guid_b, "r", NS_DNS);
            for (k = 0; k < OPENWS2_ARRAY_SIZE(names); k++)
            {
                unsigned char junk[700];
                DWORD len = (DWORD)(rand_r(&seed) % sizeof(junk)), j;
                if (rand_r(&seed) % 3) continue;
                for (j = 0; j < len; j++) junk[j] = (unsigned char)rand_r(&seed);
                set_value(path, names[k], types[rand_r(&seed) % OPENWS2_ARRAY_SIZE(types)], junk, len);
            }
        }
        assert_int_equal(ns_catalog_load(CATALOG_VIEW_64, &cat), 0);
        assert_non_null(cat);
        for (k = 0; k < cat->count; k++)
        {
            size_t j;
            assert_int_equal(ns_catalog_entry_check(&cat->entries[k]), 0);
            for (j = 0; j < k; j++) assert_memory_not_equal(&cat->entries[j].id, &cat->entries[k].id, sizeof(GUID));
        }
        ns_catalog_release(cat);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test_setup(test_default_when_missing, reset),
        cmocka_unit_test_setup(test_reset_writes_windows_format, reset),
        cmocka_unit_test_setup(test_store_load_round_trip, reset),
        cmocka_unit_test_setup(test_corrupt_entries_skipped, reset),
        cmocka_unit_test_setup(test_empty_vs_missing, reset),
        cmocka_unit_test_setup(test_edits, reset),
        cmocka_unit_test_setup(test_write_failure, reset),
        cmocka_unit_test_setup(test_change_detection, reset),
        cmocka_unit_test_setup(test_concurrent_readers, reset),
        cmocka_unit_test_setup(test_random_registry, reset),
    };
    trace_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
