/* trace_sink_win32.c - the trace library's output side on Windows and Wine (trace.h): standard
 * error, Wine's debug output (wine_compat.c) or a file per process.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include "trace.h"
#include "wine_compat.h"

static SRWLOCK trace_file_lock = SRWLOCK_INIT;
static HANDLE trace_file = INVALID_HANDLE_VALUE;

size_t trace_sink_getenv(const char *name, char *buf, size_t size)
{
    DWORD saved = GetLastError(); /* never disturb the caller's WSAGetLastError */
    DWORD n = GetEnvironmentVariableA(name, buf, (DWORD)size);
    SetLastError(saved);
    if (n == 0 || n >= size) return 0;
    return n;
}

enum trace_level trace_sink_wine_level(void)
{
    unsigned flags = wine_compat_debug_flags();
    if (flags & (1u << WINE_COMPAT_DBCL_TRACE)) return TRACE_LEVEL_TRACE;
    if (flags & (1u << WINE_COMPAT_DBCL_WARN)) return TRACE_LEVEL_WARN;
    return TRACE_LEVEL_OFF;
}

int trace_sink_open_file(const char *path_template)
{
    char path[MAX_PATH + 32];
    size_t at = 0;
    const char *p;
    DWORD saved = GetLastError();
    HANDLE h;

    if (trace_file != INVALID_HANDLE_VALUE) return 1; /* one file per process: the first DLL's */
    for (p = path_template; *p && at < sizeof(path) - 1; p++)
    {
        if (p[0] == '%' && p[1] == 'p')
        {
            int n = snprintf(path + at, sizeof(path) - at, "%lu", (unsigned long)GetCurrentProcessId());
            if (n < 0 || (size_t)n >= sizeof(path) - at) return 0;
            at += (size_t)n;
            p++;
        }
        else path[at++] = *p;
    }
    if (*p) return 0; /* too long */
    path[at] = 0;
    /* FILE_APPEND_DATA: every WriteFile appends one whole line, also from other DLLs and processes */
    h = CreateFileA(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_ALWAYS,
                    FILE_ATTRIBUTE_NORMAL, NULL);
    SetLastError(saved);
    if (h == INVALID_HANDLE_VALUE) return 0;
    trace_file = h;
    return 1;
}

unsigned long trace_sink_thread_id(void)
{
    return (unsigned long)GetCurrentThreadId();
}

void trace_sink_write(enum trace_route route, const char *chan, enum trace_level level, const char *text,
                      size_t len)
{
    DWORD saved = GetLastError(), written;
    HANDLE out;

    if (route == TRACE_ROUTE_WINE)
    {
        if (wine_compat_debug_line(level == TRACE_LEVEL_WARN ? WINE_COMPAT_DBCL_WARN : WINE_COMPAT_DBCL_TRACE, chan,
                                   text))
            return;
        route = TRACE_ROUTE_STDERR;
    }
    if (route == TRACE_ROUTE_FILE && trace_file != INVALID_HANDLE_VALUE)
    {
        char line[1200];
        int n = snprintf(line, sizeof(line), "%04lx:%04lx: %.*s", (unsigned long)GetCurrentProcessId(),
                         (unsigned long)GetCurrentThreadId(), (int)len, text);
        if (n > 0)
        {
            if ((size_t)n >= sizeof(line))
            {
                n = (int)sizeof(line) - 1;
                line[n - 1] = '\n';
            }
            /* one line at a time: under Wine an append is "read the size, write there" */
            AcquireSRWLockExclusive(&trace_file_lock);
            WriteFile(trace_file, line, (DWORD)n, &written, NULL);
            ReleaseSRWLockExclusive(&trace_file_lock);
        }
        SetLastError(saved);
        return;
    }
    out = GetStdHandle(STD_ERROR_HANDLE);
    if (out && out != INVALID_HANDLE_VALUE) WriteFile(out, text, (DWORD)len, &written, NULL);
    SetLastError(saved);
}
