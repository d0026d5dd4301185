/* lsp_app_category_test.c - CMocka tests of the LSP category rule (src/core/app_category_rule.c):
 * uncategorised applications load everything; categorised ones only LSPs with some, and only,
 * permitted categories, and with LSP_SYSTEM when the application asks for it; uncategorised LSPs
 * never load into categorised applications.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "app_category.h"

#define SYS 0x80000000u
#define INSPECTOR 0x1u
#define PROXY 0x4u
#define FIREWALL 0x8u

static void test_rule(void **state)
{
    (void)state;
    /* not categorised: everything */
    assert_true(app_category_permits(FALSE, 0, 0));
    assert_true(app_category_permits(FALSE, 0, FIREWALL));
    /* categorised application, uncategorised LSP */
    assert_false(app_category_permits(TRUE, INSPECTOR | PROXY, 0));
    assert_false(app_category_permits(TRUE, 0, 0));
    /* some permitted category */
    assert_true(app_category_permits(TRUE, INSPECTOR | PROXY, PROXY));
    assert_true(app_category_permits(TRUE, INSPECTOR | PROXY, PROXY | INSPECTOR));
    assert_false(app_category_permits(TRUE, INSPECTOR | PROXY, FIREWALL));
    /* only permitted categories */
    assert_false(app_category_permits(TRUE, INSPECTOR | PROXY, PROXY | FIREWALL));
    /* LSP_SYSTEM */
    assert_false(app_category_permits(TRUE, SYS | INSPECTOR, INSPECTOR));
    assert_true(app_category_permits(TRUE, SYS | INSPECTOR, SYS | INSPECTOR));
    assert_true(app_category_permits(TRUE, SYS, SYS));
    assert_false(app_category_permits(TRUE, INSPECTOR, SYS | INSPECTOR));
    assert_false(app_category_permits(TRUE, SYS, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_rule) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
