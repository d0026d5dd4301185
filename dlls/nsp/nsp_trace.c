/* nsp_trace.c - openws2nsp's end of the OPENWS2_TRACE switch (include/trace.h): the namespace
 * provider is its own DLL with its own trace flag; output goes to the process' standard error.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <stdio.h>
#include "trace.h"

int trace_on;

void trace_init(void)
{
    char value[16];
    DWORD n = GetEnvironmentVariableA("OPENWS2_TRACE", value, sizeof(value));
    trace_on = n > 0 && n < sizeof(value) && value[0] != '0';
}

void trace_printf(const char *fmt, ...)
{
    DWORD written, err = GetLastError();
    char buf[1024];
    va_list ap;
    HANDLE out;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n >= 0)
    {
        if ((size_t)n >= sizeof(buf))
        {
            n = sizeof(buf) - 1;
            buf[n - 1] = '\n';
        }
        out = GetStdHandle(STD_ERROR_HANDLE);
        if (out && out != INVALID_HANDLE_VALUE) WriteFile(out, buf, (DWORD)n, &written, NULL);
    }
    SetLastError(err);
}
