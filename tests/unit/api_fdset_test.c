/* api_fdset_test.c - the fd_set helpers of select/WSAPoll (src/api/fdset_util.c): membership over the
 * whole fd_count (sets larger than FD_SETSIZE), heap sets of any capacity, duplicates, overflow.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>
#include "fdset_util.h"

static void test_contains(void **state)
{
    fd_set set;
    (void)state;
    set.fd_count = 0;
    assert_int_equal(fdset_contains(NULL, 5), 0);
    assert_int_equal(fdset_contains(&set, 5), 0);
    set.fd_array[0] = 5;
    set.fd_array[1] = 9;
    set.fd_count = 1;
    assert_int_equal(fdset_contains(&set, 5), 1);
    assert_int_equal(fdset_contains(&set, 9), 0); /* beyond fd_count */
    set.fd_count = 2;
    assert_int_equal(fdset_contains(&set, 9), 1);
    assert_int_equal(fdset_contains(&set, 7), 0);
}

static void test_large(void **state)
{
    struct fdset_buf buf;
    size_t n = 1000, i;
    (void)state;
    assert_int_equal(fdset_buf_init(&buf, n), 0);
    assert_non_null(buf.set);
    for (i = 0; i < n; i++) assert_int_equal(fdset_buf_add(&buf, (SOCKET)(4 * i + 4)), 1);
    assert_int_equal(buf.set->fd_count, n);
    assert_int_equal(fdset_buf_add(&buf, 99999), 0); /* full */
    assert_int_equal(fdset_contains(buf.set, (SOCKET)(4 * (n - 1) + 4)), 1);
    assert_int_equal(fdset_contains(buf.set, 2), 0);
    fdset_buf_free(&buf);
    assert_null(buf.set);
}

static void test_duplicates_and_empty(void **state)
{
    struct fdset_buf buf;
    (void)state;
    assert_int_equal(fdset_buf_init(&buf, 3), 0);
    assert_int_equal(fdset_buf_add(&buf, 8), 1);
    assert_int_equal(fdset_buf_add(&buf, 8), 0);
    assert_int_equal(buf.set->fd_count, 1);
    fdset_buf_free(&buf);
    assert_int_equal(fdset_buf_init(&buf, 0), 0);
    assert_int_equal(fdset_buf_add(&buf, 8), 0);
    assert_int_equal(buf.set->fd_count, 0);
    fdset_buf_free(&buf);
    assert_int_equal(fdset_buf_init(&buf, (size_t)-1), WSAENOBUFS);
    assert_null(buf.set);
    fdset_buf_free(&buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contains),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_duplicates_and_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
