/* conform_main.c - ws2conform.exe, openws2's provider conformance runner: command line, which check
 * groups run, the summary line and the exit status.
 *   ws2conform --dll PATH [--ifs|--nonifs]        the DLL standalone, with the runner's own upcalls
 *   ws2conform --entry ID [--spi-only|--ws2-only]  a catalog entry: its DLL standalone with the
 *                                                 entry's protocol info, then through ws2_32; a
 *                                                 layered provider's hidden entry: through one of
 *                                                 its protocol chains
 *   ws2conform --dll PATH --entry ID              the DLL standalone with the entry's protocol info
 *   --skip CHECK[,CHECK...]                       checks not to run (a SKIP line each)
 * Output: one "PASS|FAIL|SKIP <check>: <detail>" line per check, an "INFO upcalls ..." line (how
 * often the provider called each WPU function of the runner's table), one "ENTRY <WSP function>:
 * PASS|FAIL|untested ..." line per SPI entry point (conform_report.c), then
 * "SUMMARY <target>: N passed, N failed, N skipped". Exit status: 0 every check passed (or was
 * skipped, at least one passed), 1 a check failed, 2 usage or no such target. OPENWS2_TRACE=1 also
 * traces the runner's calls into the provider and the provider's upcalls ("openws2: spi ws2conform").
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conform.h"
#include <stdlib.h>
#include "trace.h"

static int usage(void)
{
    fprintf(stderr, "usage: ws2conform --dll PATH [--ifs|--nonifs] [--skip CHECK[,CHECK...]]\n"
                    "       ws2conform --entry CATALOG_ID [--spi-only|--ws2-only] [--skip CHECK[,CHECK...]]\n"
                    "       ws2conform --dll PATH --entry CATALOG_ID [--skip CHECK[,CHECK...]]\n"
                    "CHECK: version, blocking, non-blocking, overlapped event, overlapped apc, select,\n"
                    "overlapped port, shutdown, datagram, datagram non-blocking, datagram overlapped, datagram select\n"
                    "(prefixed with \"ws2 \" for the ws2_32 mode)\n"
                    "--dll tests the provider DLL standalone (the runner's own recording upcall table; the\n"
                    "protocol info is the catalog entry the DLL serves, else a synthesized TCP/IPv4 one);\n"
                    "--entry tests a catalog entry's DLL standalone and then through ws2_32 (a layered\n"
                    "provider's hidden entry: through one of its protocol chains); --dll with --entry tests\n"
                    "that DLL standalone with the entry's protocol info (a layered provider you build).\n"
                    "A layered provider's DLL given alone is found by its hidden entry's path.\n"
                    "Exit status: 0 pass, 1 a check failed, 2 usage.\n");
    return 2;
}

int wmain(int argc, WCHAR **argv)
{
    const WCHAR *dll = NULL, *entry = NULL;
    BOOL spi = TRUE, ws2 = TRUE;
    int ifs = -1, i;
    struct conf_target t;
    char name[MAX_PATH * 3], proto[WSAPROTOCOL_LEN * 3 + 3];

    trace_init();
    for (i = 1; i < argc; i++)
    {
        if (!lstrcmpW(argv[i], L"--dll") && i + 1 < argc) dll = argv[++i];
        else if (!lstrcmpW(argv[i], L"--entry") && i + 1 < argc) entry = argv[++i];
        else if (!lstrcmpW(argv[i], L"--ifs")) ifs = 1;
        else if (!lstrcmpW(argv[i], L"--nonifs")) ifs = 0;
        else if (!lstrcmpW(argv[i], L"--spi-only")) ws2 = FALSE;
        else if (!lstrcmpW(argv[i], L"--ws2-only")) spi = FALSE;
        else if (!lstrcmpW(argv[i], L"--skip") && i + 1 < argc)
        {
            char list[400];
            if (!WideCharToMultiByte(CP_UTF8, 0, argv[++i], -1, list, sizeof(list), NULL, NULL)) return usage();
            conf_set_skips(list);
        }
        else return usage();
    }
    if ((!dll && !entry) || (!spi && !ws2) || (entry && ifs >= 0) || (dll && !spi)) return usage();
    if (entry)
    {
        WCHAR *end;
        unsigned long id = wcstoul(entry, &end, 10);
        if (*end || !id || id > 0xffffffffUL) return usage();
        if (!conf_target_from_entry((DWORD)id, &t)) return 2;
        snprintf(name, sizeof(name), "entry %lu", id);
        if (dll)
        {
            /* A provider author's build: this DLL with the entry's protocol info (its hidden entry's
             * chain), standalone only (ws2_32 would load the DLL the catalog names). */
            if (!ExpandEnvironmentStringsW(dll, t.path, MAX_PATH + 1)) return usage();
            WideCharToMultiByte(CP_UTF8, 0, t.path, -1, name, sizeof(name), NULL, NULL);
            ws2 = FALSE;
        }
    }
    else
    {
        if (!conf_target_from_dll(dll, ifs, &t)) return 2;
        WideCharToMultiByte(CP_UTF8, 0, t.path, -1, name, sizeof(name), NULL, NULL);
        ws2 = FALSE;
    }
    WideCharToMultiByte(CP_UTF8, 0, t.info.szProtocol, -1, proto, sizeof(proto), NULL, NULL);
    printf("ws2conform: %s, protocol info \"%s\" (%s, af %d type %d protocol %d, chain length %d, %s)\n", name, proto,
           t.from_catalog ? "catalog entry" : "synthesized", t.info.iAddressFamily, t.info.iSocketType,
           t.info.iProtocol, t.info.ProtocolChain.ChainLen, t.ifs == 1 ? "IFS" : t.ifs == 0 ? "non-IFS" : "IFS-ness not stated");
    if (t.hidden)
        printf("ws2conform: layered provider: hidden entry %lu, tested through its protocol chain entry %lu "
               "(ChainEntries[0] = %lu)\n", (unsigned long)t.hidden, (unsigned long)t.info.dwCatalogEntryId,
               (unsigned long)t.info.ProtocolChain.ChainEntries[0]);
    conf_watchdog_start(name, CONF_WATCHDOG_MS);
    if (spi && conf_target_load(&t))
    {
        int u;
        conf_check_startup(&t);
        conf_check_spi_io(&t);
        printf("INFO upcalls the provider made:");
        for (u = 0; u < UP_COUNT; u++)
            if (conf_upcall_count((enum conf_upcall)u))
                printf(" %s=%ld", conf_upcall_name((enum conf_upcall)u), (long)conf_upcall_count((enum conf_upcall)u));
        printf("\n");
    }
    if (ws2) conf_check_ws2_io(&t);
    return conf_summary(name);
}
