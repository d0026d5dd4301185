/* conform_report.c - ws2conform's check reporting: one line per check on stdout (flushed at once, so
 * a provider that crashes the runner leaves every earlier line), counters, the summary line and the
 * watchdog: a provider call that never returns (a "non-blocking" receive that blocks ...) ends the
 * run with a FAIL line for the check in progress instead of hanging.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conform.h"
#include <stdarg.h>

static int counts[3];
static volatile LONG last_tick;
static const char *volatile current = "start";
static CRITICAL_SECTION out_lock;
static BOOL out_ready;
static char target_name[512];

static void vreport(enum conf_result r, const char *check, const char *fmt, va_list ap)
{
    static const char *const names[] = {"PASS", "FAIL", "SKIP"};

    if (out_ready) EnterCriticalSection(&out_lock);
    counts[r]++;
    InterlockedExchange(&last_tick, (LONG)GetTickCount());
    printf("%s %s: ", names[r], check);
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    if (out_ready) LeaveCriticalSection(&out_lock);
}

void conf_begin(const char *check)
{
    current = check;
    InterlockedExchange(&last_tick, (LONG)GetTickCount());
}

static DWORD WINAPI watchdog(void *arg)
{
    DWORD limit = (DWORD)(ULONG_PTR)arg;

    for (;;)
    {
        Sleep(200);
        if (GetTickCount() - (DWORD)InterlockedCompareExchange(&last_tick, 0, 0) > limit)
        {
            conf_report(CONF_FAIL, current, "no answer for %lu ms: a provider call blocks (run stopped)",
                        (unsigned long)limit);
            EnterCriticalSection(&out_lock);
            /* not ExitProcess: the blocked provider's DllMain could block too */
            TerminateProcess(GetCurrentProcess(), (UINT)conf_summary(target_name));
        }
    }
    return 0;
}

void conf_watchdog_start(const char *target, DWORD limit_ms)
{
    HANDLE t;

    InitializeCriticalSection(&out_lock);
    out_ready = TRUE;
    lstrcpynA(target_name, target, sizeof(target_name));
    conf_begin("start");
    if ((t = CreateThread(NULL, 0, watchdog, (void *)(ULONG_PTR)limit_ms, 0, NULL))) CloseHandle(t);
}

static char skips[512];

void conf_set_skips(const char *list)
{
    snprintf(skips, sizeof(skips), ",%s,", list);
}

BOOL conf_skip(const char *check)
{
    char key[128];

    conf_begin(check);
    snprintf(key, sizeof(key), ",%s,", check);
    if (!skips[0] || !strstr(skips, key)) return FALSE;
    conf_report(CONF_SKIP, check, "skipped on request (--skip)");
    return TRUE;
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
