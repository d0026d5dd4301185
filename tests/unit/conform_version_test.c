/* conform_version_test.c - unit tests of ws2conform's WSPStartup version verdict (the documented
 * negotiation: wHighVersion = highest supported, wVersion = lesser of request and wHighVersion,
 * WSAVERNOTSUPPORTED only below the lowest supported version).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "conform_version.h"

#define V(major, minor) MAKEWORD(major, minor)

static void test_numbers(void **state)
{
    (void)state;
    assert_int_equal(conf_version_number(V(2, 2)), 514);
    assert_true(conf_version_number(V(3, 0)) > conf_version_number(V(2, 255)));
    assert_true(conf_version_number(V(2, 0)) < conf_version_number(V(2, 1)));
    assert_true(conf_version_number(V(1, 1)) < conf_version_number(V(2, 0)));
}

static void test_documented_answers(void **state)
{
    (void)state;
    assert_true(conf_version_ok(V(2, 2), 0, V(2, 2), V(2, 2), NULL));
    assert_true(conf_version_ok(V(2, 0), 0, V(2, 0), V(2, 2), NULL));   /* negotiated down to the request */
    assert_true(conf_version_ok(V(3, 0), 0, V(2, 2), V(2, 2), NULL));   /* request above: highest */
    assert_true(conf_version_ok(V(2, 255), 0, V(2, 2), V(2, 2), NULL));
    assert_true(conf_version_ok(V(1, 1), WSAVERNOTSUPPORTED, 0, 0, NULL)); /* below the lowest */
    assert_true(conf_version_ok(V(2, 0), WSAVERNOTSUPPORTED, 0, 0, NULL));
    assert_true(conf_version_ok(V(3, 0), 0, V(3, 0), V(3, 1), NULL));   /* a newer provider */
}

static void test_wrong_answers(void **state)
{
    const char *why = NULL;

    (void)state;
    assert_false(conf_version_ok(V(2, 2), 0, V(3, 3), V(3, 3), &why)); /* more than requested */
    assert_non_null(why);
    assert_false(conf_version_ok(V(2, 0), 0, V(2, 2), V(2, 2), &why)); /* not the lesser */
    assert_false(conf_version_ok(V(2, 0), 0, V(2, 0), V(2, 0), &why)); /* wHighVersion follows the request */
    assert_false(conf_version_ok(V(2, 2), 0, V(2, 0), V(2, 0), &why)); /* no 2.2 support */
    assert_false(conf_version_ok(V(2, 2), WSAVERNOTSUPPORTED, 0, 0, &why));
    assert_false(conf_version_ok(V(3, 0), WSAVERNOTSUPPORTED, 0, 0, &why));
    assert_false(conf_version_ok(V(2, 2), WSAEPROVIDERFAILEDINIT, 0, 0, &why));
    assert_false(conf_version_ok(V(2, 2), SOCKET_ERROR, 0, 0, &why));
    why = NULL;
    assert_true(conf_version_ok(V(2, 2), 0, V(2, 2), V(2, 2), &why));
    assert_null(why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_documented_answers),
        cmocka_unit_test(test_wrong_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
