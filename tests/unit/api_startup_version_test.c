/* api_startup_version_test.c - WSAStartup's version negotiation (src/core/startup_version.c) against the
 * table Windows implements: every major/minor combination around the supported versions.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>
#include "startup_version.h"

struct expect
{
    BYTE major, minor;
    BOOL supported;
    BYTE ver_major, ver_minor;
};

/* Windows' observed results (wVersion for each request). */
static const struct expect table[] = {
    { 0, 0, FALSE, 2, 2 }, { 0, 1, FALSE, 2, 2 }, { 0, 2, FALSE, 2, 2 }, { 0, 0xff, FALSE, 2, 2 },
    { 1, 0, TRUE, 1, 0 },  { 1, 1, TRUE, 1, 1 },  { 1, 2, TRUE, 1, 1 },  { 1, 0xff, TRUE, 1, 1 },
    { 2, 0, TRUE, 2, 0 },  { 2, 1, TRUE, 2, 1 },  { 2, 2, TRUE, 2, 2 },  { 2, 3, TRUE, 2, 2 },
    { 2, 0xff, TRUE, 2, 2 }, { 3, 0, TRUE, 2, 2 }, { 3, 5, TRUE, 2, 2 }, { 0xff, 0, TRUE, 2, 2 },
    { 0xff, 0xff, TRUE, 2, 2 },
};

static void test_table(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
    {
        struct startup_negotiation n;
        memset(&n, 0xcc, sizeof(n));
        startup_negotiate(MAKEWORD(table[i].major, table[i].minor), &n);
        assert_int_equal(n.supported, table[i].supported);
        assert_int_equal(n.version, MAKEWORD(table[i].ver_major, table[i].ver_minor));
        assert_int_equal(n.high_version, MAKEWORD(2, 2));
    }
}

static void test_limits(void **state)
{
    struct startup_negotiation n;
    unsigned minor;
    (void)state;
    for (minor = 0; minor < 256; minor++)
    {
        startup_negotiate(MAKEWORD(1, minor), &n);
        assert_int_equal(n.max_sockets, 32767);
        assert_int_equal(n.max_udp_dg, 65467);
        startup_negotiate(MAKEWORD(2, minor), &n);
        assert_int_equal(n.max_sockets, 0);
        assert_int_equal(n.max_udp_dg, 0);
        startup_negotiate(MAKEWORD(0, minor), &n);
        assert_false(n.supported);
        assert_int_equal(n.max_sockets, 0);
    }
}

/* Exhaustive invariants: the version granted never exceeds what was asked (unless refused) nor 2.2. */
static void test_exhaustive(void **state)
{
    unsigned v;
    (void)state;
    for (v = 0; v < 0x10000; v++)
    {
        struct startup_negotiation n;
        BYTE major = LOBYTE(v), minor = HIBYTE(v);
        startup_negotiate((WORD)v, &n);
        assert_int_equal(n.supported, major != 0);
        assert_true(LOBYTE(n.version) == 1 || LOBYTE(n.version) == 2);
        if (LOBYTE(n.version) == 1) assert_true(HIBYTE(n.version) <= 1);
        else assert_true(HIBYTE(n.version) <= 2);
        if (major == 1 || major == 2)
        {
            assert_int_equal(LOBYTE(n.version), major);
            assert_true(HIBYTE(n.version) <= minor);
        }
    }
}

/* Wine's module marker after the DOS header: builtin and placeholder images are Wine's, anything else
 * (an application: the DOS stub's text there) is not; short or non-MZ headers never are. */
static void test_wine_image(void **state)
{
    unsigned char h[0x100];
    (void)state;
    memset(h, 0, sizeof(h));
    h[0] = 'M';
    h[1] = 'Z';
    memcpy(h + 0x40, "Wine builtin DLL", 17);
    assert_true(startup_is_wine_image(h, sizeof(h)));
    assert_false(startup_is_wine_image(h, 0x40 + 10));
    assert_false(startup_is_wine_image(NULL, sizeof(h)));
    memcpy(h + 0x40, "Wine placeholder DLL", 21);
    assert_true(startup_is_wine_image(h, sizeof(h)));
    memcpy(h + 0x40, "Wine builtin DLX", 17);
    assert_false(startup_is_wine_image(h, sizeof(h)));
    {
        static const unsigned char stub[] = "\x0e\x1f\xba\x0e\x00\xb4\x09\xcd!This program cannot be run";
        memcpy(h + 0x40, stub, sizeof(stub));
    }
    assert_false(startup_is_wine_image(h, sizeof(h)));
    memcpy(h + 0x40, "Wine builtin DLL", 17);
    h[0] = 'X';
    assert_false(startup_is_wine_image(h, sizeof(h)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wine_image),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_exhaustive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
