/* conform_report.c - ws2conform's check reporting: one line per check on stdout (flushed at once, so
 * a provider that crashes the runner leaves every earlier line), counters and the summary line.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conform.h"
#include <stdarg.h>

static int counts[3];

static void vreport(enum conf_result r, const char *check, const char *fmt, va_list ap)
{
    static const char *const names[] = {"PASS", "FAIL", "SKIP"};

    counts[r]++;
    printf("%s %s: ", names[r], check);
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
}

void conf_report(enum conf_result r, const char *check, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(r, check, fmt, ap);
    va_end(ap);
}

BOOL conf_expect(BOOL cond, const char *check, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(cond ? CONF_PASS : CONF_FAIL, check, fmt, ap);
    va_end(ap);
    return cond;
}

int conf_summary(const char *target)
{
    printf("SUMMARY %s: %d passed, %d failed, %d skipped\n", target, counts[CONF_PASS], counts[CONF_FAIL],
           counts[CONF_SKIP]);
    fflush(stdout);
    return (counts[CONF_FAIL] || !counts[CONF_PASS]) ? 1 : 0;
}
