/* conform_report.c - ws2conform's check reporting: one line per check on stdout (flushed at once, so
 * a provider that crashes the runner leaves every earlier line), counters, the per-entry-point
 * report ("ENTRY WSPxxx: PASS|FAIL|untested"), the summary line and the
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

/* ---- the per-entry-point report ----
 * Every PASS and FAIL is attributed to the SPI entry point its detail names first ("WSPRecv(...) ->
 * ...", "lpWSPSelect is NULL"), else to the entry points its check is about (the table below; a check through ws2_32 counts for the WSP function ws2_32 calls). conf_summary
 * prints one line per entry point: FAIL with the failing checks, PASS with the number of checks,
 * or untested. */
static const char *const entry_names[] = {
    "WSPStartup", "WSPAccept", "WSPAddressToString", "WSPAsyncSelect", "WSPBind", "WSPCancelBlockingCall",
    "WSPCleanup", "WSPCloseSocket", "WSPConnect", "WSPDuplicateSocket", "WSPEnumNetworkEvents", "WSPEventSelect",
    "WSPGetOverlappedResult", "WSPGetPeerName", "WSPGetSockName", "WSPGetSockOpt", "WSPGetQOSByName", "WSPIoctl",
    "WSPJoinLeaf", "WSPListen", "WSPRecv", "WSPRecvDisconnect", "WSPRecvFrom", "WSPSelect", "WSPSend",
    "WSPSendDisconnect", "WSPSendTo", "WSPSetSockOpt", "WSPShutdown", "WSPSocket", "WSPStringToAddress",
};
#define ENTRY_COUNT (sizeof(entry_names) / sizeof(entry_names[0]))
static const struct { const char *check; const char *entries; } check_entries[] = {
    {"load", "WSPStartup"},
    {"version", "WSPStartup"},
    {"startup", "WSPStartup"},
    {"cleanup", "WSPCleanup"},
    {"socket upcall", "WSPSocket"},
    {"socket", "WSPSocket"},
    {"connect", "WSPBind WSPListen WSPGetSockName WSPConnect WSPAccept"},
    {"blocking", "WSPSend WSPRecv"},
    {"non-blocking", "WSPIoctl WSPRecv"},
    {"overlapped event", "WSPRecv WSPGetOverlappedResult"},
    {"overlapped apc", "WSPRecv"},
    {"overlapped port", "WSPRecv"},
    {"select", "WSPSelect"},
    {"shutdown", "WSPShutdown"},
    {"close", "WSPCloseSocket"},
    {"datagram", "WSPSendTo WSPRecvFrom"},
    {"datagram non-blocking", "WSPIoctl WSPRecvFrom"},
    {"datagram overlapped", "WSPRecvFrom WSPGetOverlappedResult"},
    {"datagram select", "WSPSelect"},
};
static int entry_pass[ENTRY_COUNT], entry_fail[ENTRY_COUNT];
static char entry_fail_checks[ENTRY_COUNT][160];
static int general_fail;
static char general_fail_checks[160];

static void note_fail(char *list, size_t size, const char *check)
{
    size_t len = strlen(list);
    if (strstr(list, check)) return; /* once per check (a substring match is good enough here) */
    snprintf(list + len, size - len, "%s%s", len ? ", " : "", check);
}

/* Where text first names entry point `name` as a whole word (NULL: nowhere); with lp_only, only as a
 * procedure table member ("lpWSP..."). */
static const char *names_at(const char *text, const char *name, BOOL lp_only)
{
    const char *p = text;
    size_t n = strlen(name);

    while ((p = strstr(p, name)))
    {
        char after = p[n];
        if (!((after >= 'A' && after <= 'Z') || (after >= 'a' && after <= 'z') || (after >= '0' && after <= '9')) &&
            (!lp_only || (p - text >= 2 && p[-2] == 'l' && p[-1] == 'p')))
            return p;
        p += n;
    }
    return NULL;
}

static BOOL names_entry(const char *text, const char *name)
{
    return names_at(text, name, FALSE) != NULL;
}

static void count(enum conf_result r, size_t i, const char *check)
{
    if (r == CONF_PASS) entry_pass[i]++;
    else
    {
        entry_fail[i]++;
        note_fail(entry_fail_checks[i], sizeof(entry_fail_checks[i]), check);
    }
}

static void attribute(enum conf_result r, const char *check, const char *detail)
{
    const char *base = !strncmp(check, "ws2 ", 4) ? check + 4 : check;
    size_t i, j;
    BOOL any = FALSE;

    const char *first = NULL, *at;
    size_t best = 0;
    BOOL table = !strcmp(base, "procedure table");

    if (r == CONF_SKIP) return;
    /* The entry point the detail names first ("WSPCleanup without a WSPStartup": WSPCleanup); the
     * procedure table check: the member it names, else the table as a whole. */
    for (i = 0; i < ENTRY_COUNT; i++)
        if ((at = names_at(detail, entry_names[i], table)) && (!first || at < first))
        {
            first = at;
            best = i;
        }
    if (first)
    {
        any = TRUE;
        count(r, best, check);
    }
    for (j = 0; !table && !any && j < sizeof(check_entries) / sizeof(check_entries[0]); j++)
    {
        if (strcmp(base, check_entries[j].check)) continue;
        for (i = 0; i < ENTRY_COUNT; i++)
            if (names_entry(check_entries[j].entries, entry_names[i]))
            {
                any = TRUE;
                count(r, i, check);
            }
    }
    if (!any && r == CONF_FAIL)
    {
        general_fail++;
        note_fail(general_fail_checks, sizeof(general_fail_checks), check);
    }
}

static void vreport(enum conf_result r, const char *check, const char *fmt, va_list ap)
{
    static const char *const names[] = {"PASS", "FAIL", "SKIP"};
    char detail[1024];

    if (out_ready) EnterCriticalSection(&out_lock);
    counts[r]++;
    InterlockedExchange(&last_tick, (LONG)GetTickCount());
    vsnprintf(detail, sizeof(detail), fmt, ap);
    printf("%s %s: %s\n", names[r], check, detail);
    fflush(stdout);
    attribute(r, check, detail);
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
    size_t i;

    for (i = 0; i < ENTRY_COUNT; i++)
    {
        if (entry_fail[i])
            printf("ENTRY %s: FAIL (%d of %d checks failed: %s)\n", entry_names[i], entry_fail[i],
                   entry_fail[i] + entry_pass[i], entry_fail_checks[i]);
        else if (entry_pass[i])
            printf("ENTRY %s: PASS (%d checks)\n", entry_names[i], entry_pass[i]);
        else printf("ENTRY %s: untested\n", entry_names[i]);
    }
    if (general_fail) printf("ENTRY (procedure table, general): FAIL (%s)\n", general_fail_checks);
    printf("SUMMARY %s: %d passed, %d failed, %d skipped\n", target, counts[CONF_PASS], counts[CONF_FAIL],
           counts[CONF_SKIP]);
    fflush(stdout);
    return (counts[CONF_FAIL] || !counts[CONF_PASS]) ? 1 : 0;
}
