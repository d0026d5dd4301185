/* conform_broken.c - ws2conform.exe must FAIL a broken provider, and say why:
 *  - tests/providers/tp_broken.dll: exit 1 with the FAIL lines of each planted fault (version 3.3
 *    answered to a 2.2 request, lpWSPSelect and lpWSPGetQOSByName NULL, a socket handle made by no
 *    upcall, WSPCleanup succeeding without WSPStartup), and PASS lines for what it does right (it
 *    loads, exports WSPStartup), and the per-entry-point report names those entry points
 *    (WSPStartup, WSPSelect, WSPGetQOSByName, WSPSocket, WSPCleanup) as failing, and no other;
 *  - tp_ifs.dll without --skip: its receive blocks although FIONBIO was set; the watchdog ends the run
 *    with "FAIL non-blocking: no answer" and exit 1 instead of hanging;
 *  - usage errors and unknown targets exit 2.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conform_check.h"

static void broken(void)
{
    char *out;
    DWORD code = cc_run("ws2conform.exe --dll tp_broken.dll --nonifs", &out, 120000);

    CHECK(code == 1, "tp_broken: exit %lu", (unsigned long)code);
    CHECK(cc_has_line(out, "FAIL version: ", "request 2.2 -> 0, wVersion 3.3 wHighVersion 3.3: wVersion must be the lesser"), "FAIL line: 2.2 answered 3.3");
    CHECK(cc_has_line(out, "FAIL version: ", "request 3.0 -> 0, wVersion 3.3"), "FAIL line: 3.0 answered 3.3");
    CHECK(cc_has_line(out, "FAIL procedure table: ", "lpWSPSelect is NULL"), "FAIL line: lpWSPSelect");
    CHECK(cc_has_line(out, "FAIL procedure table: ", "lpWSPGetQOSByName is NULL"), "FAIL line: lpWSPGetQOSByName");
    CHECK(!cc_has_line(out, "FAIL procedure table: ", "lpWSPSocket is NULL"), "no FAIL line for members it has");
    CHECK(cc_has_line(out, "FAIL socket upcall: ", "made by no upcall (non-IFS entry: WPUCreateSocketHandle expected)"),
          "FAIL line: socket made without an upcall");
    CHECK(cc_has_line(out, "FAIL cleanup: ", "WSPCleanup without a WSPStartup -> 0"), "FAIL line: uncounted WSPCleanup");
    CHECK(cc_has_line(out, "FAIL io: ", "lacks an I/O member"), "FAIL line: I/O impossible");
    CHECK(cc_has_line(out, "PASS load: ", "exports WSPStartup"), "PASS line for what is right");
    CHECK(cc_has_line(out, "SUMMARY tp_broken.dll: ", "failed") && !cc_has_line(out, "SUMMARY ", " 0 failed"),
          "summary counts the failures");
    /* The per-entry-point report names exactly the broken entry points. */
    CHECK(cc_has_line(out, "ENTRY WSPStartup: FAIL ", "version"), "ENTRY line: WSPStartup fails (version)");
    CHECK(cc_has_line(out, "ENTRY WSPSelect: FAIL ", "procedure table"), "ENTRY line: WSPSelect fails (NULL member)");
    CHECK(cc_has_line(out, "ENTRY WSPGetQOSByName: FAIL ", "procedure table"), "ENTRY line: WSPGetQOSByName fails");
    CHECK(cc_has_line(out, "ENTRY WSPSocket: FAIL ", "socket upcall"), "ENTRY line: WSPSocket fails (no upcall)");
    CHECK(cc_has_line(out, "ENTRY WSPCleanup: FAIL ", "cleanup"), "ENTRY line: WSPCleanup fails (uncounted)");
    CHECK(cc_has_line(out, "ENTRY WSPCloseSocket: PASS ", NULL) && cc_has_line(out, "ENTRY WSPSend: untested", NULL),
          "ENTRY lines: what works passes, what could not run is untested");
    CHECK(cc_count_lines(out, "ENTRY WSP") == 31 && cc_count_lines_with(out, "ENTRY ", ": FAIL (") == 6,
          "31 ENTRY lines, 6 of them FAIL (%d, %d)", cc_count_lines(out, "ENTRY WSP"), cc_count_lines_with(out, "ENTRY ", ": FAIL ("));
    cc_print_lines(out, "ENTRY ");
    cc_print_lines(out, "FAIL ");
    free(out);
    code = cc_run("ws2conform.exe --dll tp_broken.dll --ifs", &out, 120000);
    CHECK(code == 1 && cc_has_line(out, "FAIL socket upcall: ", "made by no upcall (IFS entry: WPUModifyIFSHandle expected)"),
          "tp_broken as IFS: exit %lu, FAIL line for the IFS upcall", (unsigned long)code);
    free(out);
}

static void watchdog(void)
{
    char *out;
    DWORD start = GetTickCount(), code = cc_run("ws2conform.exe --dll tp_ifs.dll --ifs", &out, 120000);

    CHECK(code == 1 && cc_has_line(out, "FAIL non-blocking: ", "no answer for 20000 ms"),
          "tp_ifs's blocking non-blocking receive: exit %lu after %lu ms, watchdog FAIL line", (unsigned long)code,
          (unsigned long)(GetTickCount() - start));
    CHECK(cc_has_line(out, "PASS non-blocking: ", "WSPIoctl(FIONBIO, 1) -> 0") && cc_has_line(out, "SUMMARY ", "failed"),
          "the run got that far and still printed its summary");
    free(out);
}

static void usage(void)
{
    static const char *const bad[] = {
        "ws2conform.exe", "ws2conform.exe --bogus", "ws2conform.exe --dll tp_ifs.dll --entry 1001 --ws2-only",
        "ws2conform.exe --entry 0", "ws2conform.exe --entry 12x", "ws2conform.exe --entry 999999",
        "ws2conform.exe --entry 1001 --ifs", "ws2conform.exe --dll tp_ifs.dll --spi-only --ws2-only",
    };
    char *out;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    {
        DWORD code = cc_run(bad[i], &out, 60000);
        CHECK(code == 2 && !cc_count_lines(out, "PASS "), "%s -> exit %lu (2), no check ran", bad[i], (unsigned long)code);
        free(out);
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    broken();
    watchdog();
    usage();
    return cc_done("conform_broken");
}
