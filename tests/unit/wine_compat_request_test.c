/* wine_compat_request_test.c - unit tests of which Wine releases openws2 posts completion packets on
 * (wine_compat_completion_request in include/wine_compat.h): the request number of each checked
 * release, nothing for the others.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "wine_compat.h"

static void test_checked_releases(void **state)
{
    (void)state;
    assert_int_equal(wine_compat_completion_request("8.0", "wine-8.0 (Debian 8.0~repack-4)"), 254);
    assert_int_equal(wine_compat_completion_request("8.0.2", "wine-8.0.2"), 254);
    assert_int_equal(wine_compat_completion_request("9.0", "wine-9.0 (Ubuntu 9.0~repack-4build3)"), 260);
    assert_int_equal(wine_compat_completion_request("9.0.1", "wine-9.0.1"), 260);
    assert_int_equal(wine_compat_completion_request("10.0", "wine-10.0 (Debian 10.0~repack-6)"), 267);
    assert_int_equal(wine_compat_completion_request("10.0.1", "wine-10.0.1"), 267);
}

static void test_other_releases(void **state)
{
    static const char *const other[] = { "9.1", "9.22", "11.0", "8.1", "8.21", "10.12", "7.0", "80.0", "8.00", "8.0.",
                                         "8.0.x", "8.0-rc3", "10.0-rc1", "10.0-123-gabcdef0", "8.0 (Staging)", "",
                                         "18.0", "1.0" };
    size_t i;
    (void)state;
    for (i = 0; i < OPENWS2_ARRAY_SIZE(other); i++)
        if (wine_compat_completion_request(other[i], "wine-x") != 0) fail_msg("%s has a request number", other[i]);
}

static void test_staging_and_missing(void **state)
{
    (void)state;
    assert_int_equal(wine_compat_completion_request("8.0", "wine-8.0 (Staging)"), 0);
    assert_int_equal(wine_compat_completion_request("10.0", "wine-10.0 (staging)"), 0);
    assert_int_equal(wine_compat_completion_request(NULL, "wine-8.0"), 0);
    assert_int_equal(wine_compat_completion_request("8.0", NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checked_releases),
        cmocka_unit_test(test_other_releases),
        cmocka_unit_test(test_staging_and_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
