/* trace_spec_test.c - unit tests of the trace library's channel selection (trace_spec_parse in
 * src/shared/trace.c): OPENWS2_TRACE=1 / all / CHANNEL[:LEVEL] / -CHANNEL / tid, unknown items ignored and counted.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "trace.h"

static void expect_levels(const char *spec, int bad, const unsigned char want[TRACE_NCHANNELS])
{
    unsigned char got[TRACE_NCHANNELS];
    int i, r;

    memset(got, 0x55, sizeof(got));
    r = trace_spec_parse(spec, got);
    if (r != bad) fail_msg("\"%s\": %d bad items, expected %d", spec ? spec : "(null)", r, bad);
    for (i = 0; i < TRACE_NCHANNELS; i++)
        if (got[i] != want[i])
            fail_msg("\"%s\": channel %s level %u, expected %u", spec ? spec : "(null)", trace_channel_name(i), got[i],
                     want[i]);
}

#define T TRACE_LEVEL_TRACE
#define W TRACE_LEVEL_WARN
#define O TRACE_LEVEL_OFF

static void test_off(void **state)
{
    static const unsigned char none[TRACE_NCHANNELS] = {O, O, O, O, O, O};
    (void)state;
    expect_levels(NULL, 0, none);
    expect_levels("", 0, none);
    expect_levels("0", 0, none);
}

static void test_all(void **state)
{
    static const unsigned char all[TRACE_NCHANNELS] = {T, T, T, T, T, T};
    static const unsigned char all_warn[TRACE_NCHANNELS] = {W, W, W, W, W, W};
    (void)state;
    expect_levels("1", 0, all);      /* what OPENWS2_TRACE=1 always meant */
    expect_levels("all", 0, all);
    expect_levels("all:trace", 0, all);
    expect_levels("all:warn", 0, all_warn);
}

static void test_channels(void **state)
{
    /* order: api, spi, catalog, nsp, afd, lsp */
    static const unsigned char api_spi[TRACE_NCHANNELS] = {T, T, O, O, O, O};
    static const unsigned char all_but_afd[TRACE_NCHANNELS] = {T, T, T, T, O, T};
    static const unsigned char mixed[TRACE_NCHANNELS] = {O, O, W, T, T, O};
    (void)state;
    expect_levels("api,spi", 0, api_spi);
    expect_levels("spi;api", 0, api_spi);
    expect_levels("all,-afd", 0, all_but_afd);
    expect_levels("catalog:warn,nsp,afd:trace", 0, mixed);
}

static void test_bad_items(void **state)
{
    static const unsigned char api[TRACE_NCHANNELS] = {T, O, O, O, O, O};
    static const unsigned char none[TRACE_NCHANNELS] = {O, O, O, O, O, O};
    (void)state;
    expect_levels("api,bogus", 1, api);
    expect_levels("api:loud,api", 1, api);     /* unknown level: the item is ignored */
    expect_levels(",,api,,", 0, api);
    expect_levels("-,:,:warn", 3, none);
    expect_levels("apix", 1, none);            /* names match whole */
}

/* "tid": thread ids on standard error's lines, no channel of its own */
static void test_thread_ids(void **state)
{
    static const unsigned char api[TRACE_NCHANNELS] = {T, O, O, O, O, O};
    static const unsigned char none[TRACE_NCHANNELS] = {O, O, O, O, O, O};
    (void)state;
    expect_levels("api,tid", 0, api);
    if (!trace_thread_ids) fail_msg("\"api,tid\": thread ids not selected");
    expect_levels("api", 0, api);
    if (trace_thread_ids) fail_msg("\"api\": thread ids selected");
    expect_levels("tid", 0, none);
    if (!trace_thread_ids) fail_msg("\"tid\": thread ids not selected");
    expect_levels("tid,-tid", 0, none);
    if (trace_thread_ids) fail_msg("\"tid,-tid\": thread ids selected");
    expect_levels("tid:warn", 1, none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_off),
        cmocka_unit_test(test_all),
        cmocka_unit_test(test_channels),
        cmocka_unit_test(test_bad_items),
        cmocka_unit_test(test_thread_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
