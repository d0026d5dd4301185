/* afd_wine_version_test.c - unit tests of openws2afd's Wine support policy (afdw_classify_version in
 * dlls/afd/afd_wine.h): which wine_get_version() texts run with the known AFD protocol, which run as
 * a newer Wine, which are refused.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "afd_wine.h"

static void test_known(void **state)
{
    static const char *const known[] = { "8.0", "8.0.1", "8.0.2", "8.21", "9.0", "9.0-rc3", "9.22 (Staging)",
                                         "10.0", "10.0-123-gabcdef0", "10.12", "11.0", "11.5" };
    size_t i;
    (void)state;
    for (i = 0; i < OPENWS2_ARRAY_SIZE(known); i++)
    {
        if (afdw_classify_version(known[i]) != AFDW_WINE_KNOWN) fail_msg("%s not known", known[i]);
    }
}

static void test_older_refused(void **state)
{
    static const char *const old[] = { "7.0", "7.22", "6.0.4", "5.0", "1.8.7", "0.9" };
    size_t i;
    (void)state;
    for (i = 0; i < OPENWS2_ARRAY_SIZE(old); i++)
    {
        if (afdw_classify_version(old[i]) != AFDW_WINE_OLD) fail_msg("%s not refused as old", old[i]);
    }
}

static void test_newer_runs(void **state)
{
    static const char *const newer[] = { "12.0", "12.0-rc1", "13.4", "20.0", "100.1" };
    size_t i;
    (void)state;
    for (i = 0; i < OPENWS2_ARRAY_SIZE(newer); i++)
    {
        if (afdw_classify_version(newer[i]) != AFDW_WINE_NEWER) fail_msg("%s not newer", newer[i]);
    }
}

static void test_odd_texts(void **state)
{
    (void)state;
    assert_int_equal(afdw_classify_version(NULL), AFDW_WINE_NONE);
    /* Wine, but a version text that does not parse: runs as an unknown Wine */
    assert_int_equal(afdw_classify_version(""), AFDW_WINE_NEWER);
    assert_int_equal(afdw_classify_version("wine-10.0"), AFDW_WINE_NEWER);
    assert_int_equal(afdw_classify_version("10x"), AFDW_WINE_NEWER);
    assert_int_equal(afdw_classify_version("80.0"), AFDW_WINE_NEWER);      /* not 8.0 */
    assert_int_equal(afdw_classify_version("8"), AFDW_WINE_KNOWN);
    assert_int_equal(afdw_classify_version("1234567.0"), AFDW_WINE_NEWER); /* too long to be a version */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known),
        cmocka_unit_test(test_older_refused),
        cmocka_unit_test(test_newer_runs),
        cmocka_unit_test(test_odd_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
