/* provider_loader.c - end-to-end test of ws2_32's transport provider loader under Wine: installs the
 * recording test providers, then checks version negotiation (each WSPStartup knob), every loader
 * failure mode and its WSA error, one load per provider (also with two threads racing), WSPCleanup
 * exactly at the last WSACleanup, and FreeLibrary after it. One line per check; exit code 1 on any
 * failure.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "provider_common.h"

#include <stdio.h>
#include <stdlib.h>

static int startup(void)
{
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data);
}

/* Loads e with the given knob set (NULL: none) and checks the answer and the provider's log. */
static void check_knob(const char *knob, const char *value, int expect, int startups, int cleanups)
{
    char *log;
    int err;

    tp_knob(knob, value);
    tp_log_reset(TP_IFS);
    err = tp_load(TP_IFS);
    tp_check(err == expect, "%s=%s: loading answers %d (expected %d)", knob, value, err, expect);
    log = tp_log_get(TP_IFS);
    tp_check(log && tp_log_count(log, "WSPStartup requested=0x0202") == startups,
             "%s=%s: WSPStartup called %d time(s) with version 2.2", knob, value, startups);
    tp_check(log && tp_log_count(log, "WSPCleanup") == cleanups, "%s=%s: WSPCleanup called %d time(s)", knob,
             value, cleanups);
    free(log);
    tp_knob(knob, NULL);
}

struct race
{
    HANDLE go;
    int err;
};

static DWORD WINAPI race_thread(void *param)
{
    struct race *r = param;
    WaitForSingleObject(r->go, INFINITE);
    r->err = tp_load(TP_NIFS);
    return 0;
}

int main(void)
{
    HMODULE pinned;
    char *log;
    int err, i;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (!tp_check(tp_install() == 0, "test providers installed in the catalog")) return 1;

    /* ---- FreeLibrary at the last WSACleanup (tp_nifs is not pinned yet) ---- */
    tp_check(startup() == 0, "WSAStartup");
    err = tp_load(TP_NIFS);
    tp_check(err == 0, "non-IFS provider loads (answer %d)", err);
    tp_check(GetModuleHandleW(L"tp_nifs.dll") != NULL, "tp_nifs.dll is loaded in the process");
    tp_check(WSACleanup() == 0, "WSACleanup");
    tp_check(GetModuleHandleW(L"tp_nifs.dll") == NULL, "tp_nifs.dll unloaded by the last WSACleanup");

    /* From here on the providers stay mapped (their logs must outlive ws2_32's FreeLibrary). */
    pinned = tp_pin(TP_IFS);
    tp_check(pinned != NULL, "tp_ifs.dll pinned by the test");
    tp_pin(TP_NIFS);
    tp_check(startup() == 0, "WSAStartup");

    /* ---- Loader failure modes ---- */
    err = tp_load(TP_MISSING);
    tp_check(err == WSAEPROVIDERFAILEDINIT, "provider DLL missing: %d (expected WSAEPROVIDERFAILEDINIT %d)", err,
             WSAEPROVIDERFAILEDINIT);
    err = tp_load(TP_NOSTARTUP);
    tp_check(err == WSAEPROVIDERFAILEDINIT, "provider DLL without WSPStartup: %d (expected %d)", err,
             WSAEPROVIDERFAILEDINIT);
    err = tp_load(TP_NOSTARTUP);
    tp_check(err == WSAEPROVIDERFAILEDINIT, "failed loads are not cached as success: %d again", err);

    /* ---- WSPStartup knobs ---- */
    check_knob("OPENWS2_TP_IFS_FAIL", "10091", WSAEPROVIDERFAILEDINIT, 1, 0);
    check_knob("OPENWS2_TP_IFS_VERSION", "0x0101", WSAEINVALIDPROVIDER, 1, 1);
    check_knob("OPENWS2_TP_IFS_VERSION", "0x0302", WSAEINVALIDPROVIDER, 1, 1);
    check_knob("OPENWS2_TP_IFS_VERSION", "0x0003", WSAEINVALIDPROVIDER, 1, 1);
    check_knob("OPENWS2_TP_IFS_INCOMPLETE", "16", WSAEINVALIDPROCTABLE, 1, 1); /* lpWSPIoctl */
    check_knob("OPENWS2_TP_IFS_INCOMPLETE", "29", WSAEINVALIDPROCTABLE, 1, 1); /* lpWSPStringToAddress */
    check_knob("OPENWS2_TP_IFS_INCOMPLETE", "5", WSAEINVALIDPROCTABLE, 1, 0);  /* lpWSPCleanup itself */
    /* 2.0 is accepted (Windows does): loaded, then unloaded by WSACleanup. */
    check_knob("OPENWS2_TP_IFS_VERSION", "0x0002", 0, 1, 0);
    tp_check(WSACleanup() == 0, "WSACleanup");
    log = tp_log_get(TP_IFS);
    tp_check(log && tp_log_count(log, "WSPCleanup -> 0") == 1, "version 2.0 provider: WSPCleanup at WSACleanup");
    free(log);

    /* ---- One load per provider, WSPCleanup only at the last WSACleanup ---- */
    tp_check(startup() == 0, "WSAStartup (1)");
    tp_check(startup() == 0, "WSAStartup (2)");
    tp_log_reset(TP_IFS);
    for (i = 0; i < 3; i++)
    {
        err = tp_load(TP_IFS);
        tp_check(err == 0, "IFS provider use %d: %d", i + 1, err);
    }
    log = tp_log_get(TP_IFS);
    tp_check(log && tp_log_count(log, "WSPStartup") == 1, "three uses, one WSPStartup");
    free(log);
    tp_check(WSACleanup() == 0, "WSACleanup (not the last)");
    log = tp_log_get(TP_IFS);
    tp_check(log && tp_log_count(log, "WSPCleanup") == 0, "no WSPCleanup before the last WSACleanup");
    free(log);
    tp_check(WSACleanup() == 0, "WSACleanup (the last)");
    log = tp_log_get(TP_IFS);
    tp_check(log && tp_log_count(log, "WSPCleanup -> 0") == 1, "exactly one WSPCleanup at the last WSACleanup");
    free(log);
    err = tp_load(TP_IFS);
    tp_check(err == WSANOTINITIALISED, "after the last WSACleanup: %d (expected WSANOTINITIALISED)", err);

    /* ---- Two threads racing for the first load ---- */
    tp_check(startup() == 0, "WSAStartup");
    tp_log_reset(TP_NIFS);
    {
        struct race r[4];
        HANDLE th[4], go = CreateEventW(NULL, TRUE, FALSE, NULL);
        for (i = 0; i < 4; i++)
        {
            r[i].go = go;
            r[i].err = -1;
            th[i] = CreateThread(NULL, 0, race_thread, &r[i], 0, NULL);
        }
        SetEvent(go);
        WaitForMultipleObjects(4, th, TRUE, 20000);
        for (i = 0; i < 4; i++)
        {
            tp_check(r[i].err == 0, "racing thread %d loads: %d", i, r[i].err);
            CloseHandle(th[i]);
        }
        CloseHandle(go);
    }
    log = tp_log_get(TP_NIFS);
    tp_check(log && tp_log_count(log, "WSPStartup") == 1, "four racing threads, one WSPStartup");
    free(log);
    tp_check(WSACleanup() == 0, "WSACleanup");
    log = tp_log_get(TP_NIFS);
    tp_check(log && tp_log_count(log, "WSPCleanup -> 0") == 1, "non-IFS provider: WSPCleanup at the last WSACleanup");
    free(log);

    /* ---- Environment strings in the catalog's DLL path ---- */
    tp_check(startup() == 0, "WSAStartup");
    SetEnvironmentVariableW(L"OPENWS2_TP_DIR", NULL);
    err = tp_load(TP_ENVPATH);
    tp_check(err == WSAEPROVIDERFAILEDINIT, "path %%OPENWS2_TP_DIR%%\\tp_ifs.dll, variable undefined: %d", err);
    {
        WCHAR dir[MAX_PATH], *slash;
        char expect[64];
        GetModuleFileNameW(NULL, dir, MAX_PATH);
        if ((slash = wcsrchr(dir, L'\\'))) *slash = 0;
        SetEnvironmentVariableW(L"OPENWS2_TP_DIR", dir);
        tp_log_reset(TP_IFS);
        err = tp_load(TP_ENVPATH);
        tp_check(err == 0, "path %%OPENWS2_TP_DIR%%\\tp_ifs.dll, variable set: expanded and loaded (%d)", err);
        snprintf(expect, sizeof(expect), "WSPStartup requested=0x0202 catalog=%lu ",
                 (unsigned long)tp_entries[TP_ENVPATH].info.dwCatalogEntryId);
        log = tp_log_get(TP_IFS);
        tp_check(log && tp_log_count(log, expect) == 1, "WSPStartup ran for that catalog entry");
        free(log);
    }
    tp_check(WSACleanup() == 0, "WSACleanup");

    tp_uninstall();
    printf("%s: %d failure(s)\n", tp_failures ? "FAIL" : "PASS", tp_failures);
    return tp_failures ? 1 : 0;
}
