/* trace.c - the OPENWS2_TRACE switch and its formatted output (see trace.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>
#include "os.h"
#include "trace.h"

int trace_on;

void trace_init(void)
{
    char value[16];
    trace_on = os_getenv("OPENWS2_TRACE", value, sizeof(value)) > 0 && value[0] != '0';
}

void trace_printf(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof(buf))
    {
        n = sizeof(buf) - 1;
        buf[n - 1] = '\n';
    }
    os_trace_write(buf, (size_t)n);
}
