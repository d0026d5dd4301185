/* ws2catalog_parse_test.c - unit tests of ws2catalog's command-line parsers (GUIDs, catalog id lists):
 * valid forms, every kind of malformed input, limits.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "ws2catalog_parse.h"

/* ASCII -> WCHAR (16-bit in this build too). */
static const WCHAR *w(const char *s)
{
    static WCHAR buf[4][128];
    static int n;
    WCHAR *out = buf[n++ & 3];
    size_t i;

    for (i = 0; s[i] && i < 127; i++) out[i] = (WCHAR)(unsigned char)s[i];
    out[i] = 0;
    return out;
}

static void test_guid_valid(void **state)
{
    GUID g;

    (void)state;
    assert_true(ws2c_parse_guid(w("{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}"), &g));
    assert_int_equal(g.Data1, 0xE70F1AA0);
    assert_int_equal(g.Data2, 0xAB8B);
    assert_int_equal(g.Data3, 0x11CF);
    assert_int_equal(g.Data4[0], 0x8C);
    assert_int_equal(g.Data4[1], 0xA3);
    assert_int_equal(g.Data4[7], 0x92);
    assert_true(ws2c_parse_guid(w("e70f1aa0-ab8b-11cf-8ca3-00805f48a192"), &g)); /* no braces, lower case */
    assert_int_equal(g.Data1, 0xE70F1AA0);
    assert_int_equal(g.Data4[2], 0x00);
}

static void test_guid_invalid(void **state)
{
    static const char *const bad[] = {
        "", "{", "{}", "E70F1AA0", "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192", "E70F1AA0-AB8B-11CF-8CA3-00805F48A192}",
        "{E70F1AA0-AB8B-11CF-8CA3-00805F48A19}", "{E70F1AA0-AB8B-11CF-8CA3-00805F48A1920}",
        "{E70F1AA0AB8B-11CF-8CA3-00805F48A192}", "{E70F1AA0-AB8B-11CF-8CA300805F48A192}",
        "{G70F1AA0-AB8B-11CF-8CA3-00805F48A192}", "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}x", "roundtrip lsp",
        "{E70F1AA0-AB8B-11CF-8CA3-00805F48A19 }",
    };
    size_t i;
    GUID g;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(ws2c_parse_guid(w(bad[i]), &g));
}

static void test_ids_valid(void **state)
{
    DWORD ids[8];
    size_t n = 99;

    (void)state;
    assert_true(ws2c_parse_ids(w("1001"), ids, 8, &n));
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 1001);
    assert_true(ws2c_parse_ids(w("1001,1002,7"), ids, 8, &n));
    assert_int_equal(n, 3);
    assert_int_equal(ids[1], 1002);
    assert_int_equal(ids[2], 7);
    assert_true(ws2c_parse_ids(w("4294967295"), ids, 8, &n));
    assert_int_equal(ids[0], 0xffffffffu);
}

static void test_ids_invalid(void **state)
{
    static const char *const bad[] = {"", ",", "1001,", ",1001", "1001,,1002", "0", "1001,0", "4294967296",
                                      "99999999999999999999", "12a", "-1", "1001 1002", "+5"};
    DWORD ids[4];
    size_t i, n;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(ws2c_parse_ids(w(bad[i]), ids, 4, &n));
    /* more ids than room: refused, never written past max */
    ids[3] = 0xdeadbeef;
    assert_false(ws2c_parse_ids(w("1,2,3,4"), ids, 3, &n));
    assert_int_equal(ids[3], 0xdeadbeef);
    assert_true(ws2c_parse_ids(w("1,2,3"), ids, 3, &n));
    assert_int_equal(n, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guid_valid),
        cmocka_unit_test(test_guid_invalid),
        cmocka_unit_test(test_ids_valid),
        cmocka_unit_test(test_ids_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
