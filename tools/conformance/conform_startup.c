/* conform_startup.c - ws2conform's WSPStartup checks, against Microsoft's WSPStartup/WSPCleanup
 * documentation:
 *  - version negotiation: wVersionRequested is the highest version the caller can use. A provider
 *    either answers WSAVERNOTSUPPORTED (the request is below the lowest version it supports) or
 *    succeeds with wHighVersion = the highest version it supports and wVersion = the lesser of the
 *    request and wHighVersion. Requests: 2.2 (must succeed with 2.2: Winsock 2.2 SPI), 2.0, 1.1,
 *    2.1, 3.0 and 2.255 (higher than any provider: must succeed, negotiated down).
 *  - every successful WSPStartup fills all 30 members of the WSPPROC_TABLE;
 *  - WSPStartup/WSPCleanup are reference counted per client: two startups need two cleanups, one
 *    more WSPCleanup fails with WSANOTINITIALISED.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conform.h"
#include <stddef.h>
#include "trace.h"
#include "conform_version.h"

#define MEMBER(m) {#m, offsetof(WSPPROC_TABLE, m)}
static const struct { const char *name; size_t offset; } members[] = {
    MEMBER(lpWSPAccept), MEMBER(lpWSPAddressToString), MEMBER(lpWSPAsyncSelect), MEMBER(lpWSPBind),
    MEMBER(lpWSPCancelBlockingCall), MEMBER(lpWSPCleanup), MEMBER(lpWSPCloseSocket), MEMBER(lpWSPConnect),
    MEMBER(lpWSPDuplicateSocket), MEMBER(lpWSPEnumNetworkEvents), MEMBER(lpWSPEventSelect),
    MEMBER(lpWSPGetOverlappedResult), MEMBER(lpWSPGetPeerName), MEMBER(lpWSPGetSockName), MEMBER(lpWSPGetSockOpt),
    MEMBER(lpWSPGetQOSByName), MEMBER(lpWSPIoctl), MEMBER(lpWSPJoinLeaf), MEMBER(lpWSPListen), MEMBER(lpWSPRecv),
    MEMBER(lpWSPRecvDisconnect), MEMBER(lpWSPRecvFrom), MEMBER(lpWSPSelect), MEMBER(lpWSPSend),
    MEMBER(lpWSPSendDisconnect), MEMBER(lpWSPSendTo), MEMBER(lpWSPSetSockOpt), MEMBER(lpWSPShutdown),
    MEMBER(lpWSPSocket), MEMBER(lpWSPStringToAddress),
};

static void vstr(WORD v, char *buf, size_t size)
{
    snprintf(buf, size, "%u.%u", LOBYTE(v), HIBYTE(v));
}

/* Returns the missing-member count of table (reporting each one when report). */
static int check_table(const WSPPROC_TABLE *table, BOOL report)
{
    size_t i;
    int missing = 0;

    for (i = 0; i < OPENWS2_ARRAY_SIZE(members); i++)
    {
        void *p;
        memcpy(&p, (const char *)table + members[i].offset, sizeof(p));
        if (!p)
        {
            missing++;
            if (report) conf_report(CONF_FAIL, "procedure table", "%s is NULL", members[i].name);
        }
    }
    return missing;
}

static int call_cleanup(const WSPPROC_TABLE *table, int *err)
{
    int r;

    *err = 0;
    if (!table->lpWSPCleanup) return SOCKET_ERROR;
    r = table->lpWSPCleanup(err);
    TRACE_SPI("ws2conform WSPCleanup() -> %d (error %d)", r, r ? *err : 0);
    return r;
}

void conf_check_startup(struct conf_target *t)
{
    static const WORD requests[] = {MAKEWORD(2, 2), MAKEWORD(2, 0), MAKEWORD(1, 1), MAKEWORD(2, 1), MAKEWORD(3, 0),
                                    MAKEWORD(2, 255)};
    WSPPROC_TABLE table, table2;
    WSPDATA data;
    size_t i;
    int r, err, missing;
    BOOL started22 = FALSE, ok;
    const char *why = NULL;
    char rq[16], wv[16], hv[16];

    for (i = 0; i < OPENWS2_ARRAY_SIZE(requests); i++)
    {
        WORD v = requests[i];
        if (i == 1 && conf_skip("version")) break; /* 2.2 always runs: the table and cleanup checks need it */
        vstr(v, rq, sizeof(rq));
        memset(&data, 0, sizeof(data));
        memset(&table, 0, sizeof(table));
        r = t->startup(v, &data, &t->info, conf_upcall_table, &table);
        TRACE_SPI("ws2conform WSPStartup(%#x, entry %lu) -> %d (wVersion %#x wHighVersion %#x)", v,
                  (unsigned long)t->info.dwCatalogEntryId, r, data.wVersion, data.wHighVersion);
        ok = conf_version_ok(v, r, data.wVersion, data.wHighVersion, &why);
        if (r == 0)
        {
            vstr(data.wVersion, wv, sizeof(wv));
            vstr(data.wHighVersion, hv, sizeof(hv));
            conf_expect(ok, "version", "request %s -> 0, wVersion %s wHighVersion %s%s%s", rq, wv, hv, ok ? "" : ": ",
                        ok ? "" : why);
            if (v == MAKEWORD(2, 2)) started22 = TRUE;
            missing = check_table(&table, v == MAKEWORD(2, 2));
            if (v == MAKEWORD(2, 2) && !missing)
                conf_report(CONF_PASS, "procedure table", "all %u members present after WSPStartup(2.2)",
                            (unsigned)OPENWS2_ARRAY_SIZE(members));
            else if (v != MAKEWORD(2, 2) && missing)
                conf_report(CONF_FAIL, "procedure table", "%d members NULL after WSPStartup(%s)", missing, rq);
            r = call_cleanup(&table, &err);
            conf_expect(r == 0, "cleanup", "WSPCleanup after WSPStartup(%s) -> %d (err %d)", rq, r, r ? err : 0);
        }
        else
            conf_expect(ok, "version", "request %s -> %d%s%s%s", rq, r,
                        r == WSAVERNOTSUPPORTED ? " (WSAVERNOTSUPPORTED)" : "", ok ? "" : ": ", ok ? "" : why);
    }
    conf_begin("cleanup");
    if (!started22) return;

    /* Reference counting: two startups, two cleanups, then WSANOTINITIALISED. */
    conf_begin("cleanup");
    memset(&table, 0, sizeof(table));
    memset(&table2, 0, sizeof(table2));
    r = t->startup(MAKEWORD(2, 2), &data, &t->info, conf_upcall_table, &table);
    err = t->startup(MAKEWORD(2, 2), &data, &t->info, conf_upcall_table, &table2);
    TRACE_SPI("ws2conform WSPStartup(0x202) twice -> %d, %d", r, err);
    if (!conf_expect(r == 0 && err == 0, "cleanup", "two WSPStartup(2.2) in a row -> %d, %d", r, err)) return;
    r = call_cleanup(&table, &err);
    conf_expect(r == 0, "cleanup", "first of two WSPCleanup -> %d (err %d)", r, r ? err : 0);
    r = call_cleanup(&table2, &err);
    conf_expect(r == 0, "cleanup", "second of two WSPCleanup -> %d (err %d)", r, r ? err : 0);
    r = call_cleanup(&table2, &err);
    conf_expect(r == SOCKET_ERROR && err == WSANOTINITIALISED, "cleanup",
                "WSPCleanup without a WSPStartup -> %d err %d (documented: SOCKET_ERROR, WSANOTINITIALISED)", r, err);
}
