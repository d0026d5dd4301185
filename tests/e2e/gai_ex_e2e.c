/* gai_ex_e2e.c - end-to-end checks of GetAddrInfoExA/W, FreeAddrInfoEx(W), GetAddrInfoExCancel,
 * GetAddrInfoExOverlappedResult and SetAddrInfoExA/W under Wine: synchronous lookups, AI_EXTENDED
 * results, asynchronous ones completed by event and by completion routine, cancellation of a lookup
 * the DNS test server never answers, the timeout (asynchronous and synchronous), argument errors.
 * Usage: gai_ex_e2e PORT BLACKHOLE DEAD QUERY_LOG (with-dnsserver.sh fills them in).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "gai_e2e.h"

#ifndef AI_FQDN
#define AI_FQDN 0x00020000
#endif
#define TEST_AI_EXTENDED 0x80000000

/* ADDRINFOEX2W (not in MinGW-w64's headers). */
typedef struct test_addrinfoex2w
{
    int ai_flags, ai_family, ai_socktype, ai_protocol;
    size_t ai_addrlen;
    PWSTR ai_canonname;
    struct sockaddr *ai_addr;
    void *ai_blob;
    size_t ai_bloblen;
    LPGUID ai_provider;
    struct test_addrinfoex2w *ai_next;
    int ai_version;
    PWSTR ai_fqdn;
} TEST_ADDRINFOEX2W;

/* Exports MinGW-w64's headers do not declare. */
INT WSAAPI GetAddrInfoExCancel(LPHANDLE lpHandle);
INT WSAAPI GetAddrInfoExOverlappedResult(LPOVERLAPPED lpOverlapped);

static char text[4096];

static const char *list_text(const ADDRINFOEXW *ai)
{
    size_t n = 0;
    char one[96];
    text[0] = 0;
    for (; ai && n < sizeof(text) - 100; ai = (const ADDRINFOEXW *)ai->ai_next)
        n += snprintf(text + n, sizeof(text) - n, "%s%s", n ? "," : "", gai_sa_text(ai->ai_addr, one, sizeof(one)));
    return text;
}

static struct
{
    DWORD error, bytes, thread;
    LPWSAOVERLAPPED ov;
    HANDLE event;
} cb;

static void CALLBACK completion(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov)
{
    cb.error = error;
    cb.bytes = bytes;
    cb.ov = ov;
    cb.thread = GetCurrentThreadId();
    SetEvent(cb.event);
}

int main(int argc, char **argv)
{
    ADDRINFOEXW hints, *res = NULL;
    ADDRINFOEXA hintsa, *resa = NULL;
    TEST_ADDRINFOEX2W *res2;
    OVERLAPPED ov;
    HANDLE handle;
    struct timeval tv;
    SOCKET_ADDRESS sa;
    SOCKADDR_IN sin;
    WSADATA wsa;
    DWORD t0, elapsed;
    char line[64];
    int err;

    if (gai_setup(argc, argv))
    {
        printf("usage: gai_ex_e2e PORT BLACKHOLE DEAD QUERY_LOG\n");
        return 2;
    }
    /* long DNS waits, so that a cancelled or timed-out lookup is told apart from a failed one */
    snprintf(line, sizeof(line), "127.0.0.1:%s", argv[1]);
    nsp_set_config(line, 4000, 1);

    err = GetAddrInfoExW(L"127.0.0.1", NULL, NS_ALL, NULL, NULL, &res, NULL, NULL, NULL, NULL);
    CHECK(err == WSANOTINITIALISED, "GetAddrInfoExW before WSAStartup (%d)", err);
    /* not started comes before every argument error */
    tv.tv_sec = -1;
    tv.tv_usec = 0;
    err = GetAddrInfoExW(NULL, NULL, NS_ALL, NULL, NULL, NULL, &tv, NULL, completion, NULL);
    CHECK(err == WSANOTINITIALISED && WSAGetLastError() == WSANOTINITIALISED, "GetAddrInfoExW(NULL, NULL, no result) (%d)", err);
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = 12345;
    err = GetAddrInfoExW(NULL, NULL, NS_ALL, NULL, &hints, &res, NULL, NULL, NULL, NULL);
    CHECK(err == WSANOTINITIALISED && !res, "GetAddrInfoExW bad hints (%d)", err);
    err = GetAddrInfoExA("127.0.0.1", NULL, NS_ALL, NULL, NULL, &resa, &tv, NULL, NULL, NULL);
    CHECK(err == WSANOTINITIALISED && !resa, "GetAddrInfoExA with a timeout (%d)", err);
    err = SetAddrInfoExW(NULL, NULL, NULL, 0, NULL, 0, NS_ALL, NULL, &tv, NULL, NULL, NULL);
    CHECK(err == WSANOTINITIALISED && WSAGetLastError() == WSANOTINITIALISED, "SetAddrInfoExW(NULL name, a timeout) (%d)", err);
    CHECK(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup");

    /* ---- synchronous ---- */
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    err = GetAddrInfoExW(L"gaihost.test.example", L"80", NS_ALL, NULL, &hints, &res, NULL, NULL, NULL, NULL);
    CHECK(!err && !strcmp(list_text(res), "[2001:db8:0:0:0:0:0:50]:80,192.0.2.50:80") && res->ai_socktype == SOCK_STREAM &&
          !res->ai_blob && !res->ai_bloblen, "GetAddrInfoExW synchronous, NS_ALL (%d, %s)", err, list_text(res));
    CHECK(!err && !res->ai_provider && WSAGetLastError() == 0, "ai_provider NULL and the last error cleared, as Windows");
    FreeAddrInfoExW(res);
    res = NULL;
    err = GetAddrInfoExW(L"192.0.2.1", NULL, NS_ALL, NULL, &hints, &res, NULL, NULL, NULL, NULL);
    CHECK(!err && res && !res->ai_provider, "numeric host (%d)", err);
    FreeAddrInfoExW(res);
    res = NULL;
    /* service strings as Windows reads them (strtoul, cast to 16 bits) */
    hints.ai_family = AF_INET;
    err = GetAddrInfoExW(L"192.0.2.1", L" +65617", NS_ALL, NULL, &hints, &res, NULL, NULL, NULL, NULL);
    CHECK(!err && !strcmp(list_text(res), "192.0.2.1:81"), "GetAddrInfoExW service \" +65617\" is port 81 (%d, %s)", err,
          list_text(res));
    FreeAddrInfoExW(res);
    res = NULL;
    memset(&hintsa, 0, sizeof(hintsa));
    hintsa.ai_family = AF_INET;
    err = GetAddrInfoExA("192.0.2.1", " 123", NS_ALL, NULL, &hintsa, &resa, NULL, NULL, NULL, NULL);
    CHECK(!err && resa && resa->ai_addr && ntohs(((SOCKADDR_IN *)resa->ai_addr)->sin_port) == 123,
          "GetAddrInfoExA service \" 123\" is port 123 (%d)", err);
    if (resa) FreeAddrInfoEx(resa);
    resa = NULL;
    err = GetAddrInfoExA("192.0.2.1", "65536", NS_ALL, NULL, &hintsa, &resa, NULL, NULL, NULL, NULL);
    CHECK(!err && resa && resa->ai_addr && ((SOCKADDR_IN *)resa->ai_addr)->sin_port == 0,
          "GetAddrInfoExA service \"65536\" is port 0 (%d)", err);
    if (resa) FreeAddrInfoEx(resa);
    resa = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_family = AF_INET;
    err = GetAddrInfoExW(L"www.test.example", L"http", NS_DNS, NULL, &hints, &res, NULL, NULL, NULL, NULL);
    CHECK(!err && !strcmp(list_text(res), "192.0.2.10:80,192.0.2.11:80"), "NS_DNS, service name (%d, %s)", err, list_text(res));
    FreeAddrInfoExW(res);
    res = NULL;
    err = GetAddrInfoExW(L"nx.test.example", NULL, NS_ALL, NULL, &hints, &res, NULL, NULL, NULL, NULL);
    CHECK(err == WSAHOST_NOT_FOUND && !res && WSAGetLastError() == WSAHOST_NOT_FOUND, "NXDOMAIN (%d)", err);

    memset(&hintsa, 0, sizeof(hintsa));
    hintsa.ai_family = AF_INET;
    hintsa.ai_flags = AI_CANONNAME;
    err = GetAddrInfoExA("gaialias", "21", NS_ALL, NULL, &hintsa, &resa, NULL, NULL, NULL, NULL);
    CHECK(!err && resa && resa->ai_canonname && !strcmp(resa->ai_canonname, "gaihost.test.example") &&
          !strcmp(list_text((ADDRINFOEXW *)resa), "192.0.2.50:21"), "GetAddrInfoExA with AI_CANONNAME (%d)", err);
    FreeAddrInfoEx(resa);
    resa = NULL;
    memset(&ov, 0, sizeof(ov));
    err = GetAddrInfoExA("gaialias", NULL, NS_ALL, NULL, NULL, &resa, NULL, &ov, NULL, NULL);
    CHECK(err == WSAEINVAL, "GetAddrInfoExA has no asynchronous mode: WSAEINVAL (%d)", err);

    /* AI_EXTENDED: ADDRINFOEX2W with the FQDN */
    hints.ai_flags = (int)(TEST_AI_EXTENDED | AI_FQDN);
    err = GetAddrInfoExW(L"gaialias", NULL, NS_ALL, NULL, &hints, &res, NULL, NULL, NULL, NULL);
    res2 = (TEST_ADDRINFOEX2W *)res;
    CHECK(!err && res2 && res2->ai_version == 2 && res2->ai_fqdn && !wcscmp(res2->ai_fqdn, L"gaihost.test.example") &&
          !res2->ai_canonname, "AI_EXTENDED | AI_FQDN: ADDRINFOEX2W, ai_version 2, ai_fqdn (%d)", err);
    FreeAddrInfoExW(res);
    res = NULL;

    /* argument errors */
    hints.ai_flags = 0x01000000;
    CHECK(GetAddrInfoExW(L"gaihost.test.example", NULL, NS_ALL, NULL, &hints, &res, NULL, NULL, NULL, NULL) == WSAEINVAL, "unknown flag: WSAEINVAL");
    hints.ai_flags = 0;
    hints.ai_bloblen = 4;
    CHECK(GetAddrInfoExW(L"gaihost.test.example", NULL, NS_ALL, NULL, &hints, &res, NULL, NULL, NULL, NULL) == WSANO_RECOVERY,
          "hints with ai_bloblen: WSANO_RECOVERY");
    hints.ai_bloblen = 0;
    CHECK(GetAddrInfoExW(L"gaihost.test.example", NULL, NS_ALL, NULL, &hints, NULL, NULL, NULL, NULL, NULL) == WSAEINVAL,
          "NULL ppResult: WSAEINVAL");
    CHECK(GetAddrInfoExW(L"gaihost.test.example", NULL, NS_ALL, NULL, &hints, &res, NULL, NULL,
                         (LPLOOKUPSERVICE_COMPLETION_ROUTINE)completion, NULL) == WSAEINVAL, "completion routine without OVERLAPPED: WSAEINVAL");
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    CHECK(GetAddrInfoExW(L"gaihost.test.example", NULL, NS_ALL, NULL, &hints, &res, NULL, &ov,
                         (LPLOOKUPSERVICE_COMPLETION_ROUTINE)completion, NULL) == WSAEINVAL, "completion routine and an event: WSAEINVAL");
    res = (ADDRINFOEXW *)1;
    err = GetAddrInfoExW(NULL, NULL, NS_ALL, NULL, &hints, &res, NULL, &ov, NULL, NULL);
    CHECK(err == WSAHOST_NOT_FOUND && !res && WaitForSingleObject(ov.hEvent, 200) == WAIT_TIMEOUT,
          "async without node and service: WSAHOST_NOT_FOUND at once, no completion (%d)", err);
    CloseHandle(ov.hEvent);
    CHECK(GetAddrInfoExOverlappedResult(NULL) == WSAEINVAL, "GetAddrInfoExOverlappedResult(NULL): WSAEINVAL");
    handle = NULL;
    CHECK(GetAddrInfoExCancel(NULL) == WSA_INVALID_HANDLE, "GetAddrInfoExCancel(NULL): WSA_INVALID_HANDLE");
    handle = (HANDLE)(ULONG_PTR)0x12345;
    CHECK(GetAddrInfoExCancel(&handle) == WSA_INVALID_HANDLE, "GetAddrInfoExCancel of an unknown handle: WSA_INVALID_HANDLE");

    /* ---- asynchronous with an event ---- */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    hints.ai_family = AF_UNSPEC;
    handle = NULL;
    res = (ADDRINFOEXW *)1;
    err = GetAddrInfoExW(L"www.test.example", L"443", NS_ALL, NULL, &hints, &res, NULL, &ov, NULL, &handle);
    CHECK(err == WSA_IO_PENDING && WSAGetLastError() == WSA_IO_PENDING && handle != NULL, "async: WSA_IO_PENDING and a handle (%d)", err);
    CHECK(ov.Pointer == &res && !res, "async: OVERLAPPED.Pointer is ppResult, *ppResult cleared");
    CHECK(WaitForSingleObject(ov.hEvent, 10000) == WAIT_OBJECT_0, "async: the event is set");
    err = GetAddrInfoExOverlappedResult(&ov);
    CHECK(!err && !strcmp(list_text(res), "[2001:db8:0:0:0:0:0:10]:443,192.0.2.10:443,192.0.2.11:443"),
          "async result: GetAddrInfoExOverlappedResult 0, the list (%d, %s)", err, err ? "" : list_text(res));
    if (!err) FreeAddrInfoExW(res);
    res = NULL;
    CHECK(GetAddrInfoExCancel(&handle) == WSA_INVALID_HANDLE, "the handle is gone once completed");

    /* ---- asynchronous with a completion routine ---- */
    memset(&ov, 0, sizeof(ov));
    cb.event = CreateEventW(NULL, TRUE, FALSE, NULL);
    err = GetAddrInfoExW(L"nx.test.example", NULL, NS_ALL, NULL, &hints, &res, NULL, &ov,
                         (LPLOOKUPSERVICE_COMPLETION_ROUTINE)completion, NULL);
    CHECK(err == WSA_IO_PENDING, "async with a completion routine: WSA_IO_PENDING (%d)", err);
    CHECK(WaitForSingleObject(cb.event, 10000) == WAIT_OBJECT_0 && cb.error == WSAHOST_NOT_FOUND && cb.ov == (LPWSAOVERLAPPED)&ov &&
          GetAddrInfoExOverlappedResult(&ov) == WSAHOST_NOT_FOUND && !res,
          "completion routine called with WSAHOST_NOT_FOUND and the OVERLAPPED (%lu)", (unsigned long)cb.error);
    ResetEvent(cb.event);
    err = GetAddrInfoExW(L"gaihost.test.example", NULL, NS_ALL, NULL, &hints, &res, NULL, &ov,
                         (LPLOOKUPSERVICE_COMPLETION_ROUTINE)completion, NULL);
    CHECK(err == WSA_IO_PENDING && WaitForSingleObject(cb.event, 10000) == WAIT_OBJECT_0 && cb.error == 0 && res &&
          !strcmp(list_text(res), "[2001:db8:0:0:0:0:0:50]:0,192.0.2.50:0"), "completion routine with a result (%lu)", (unsigned long)cb.error);
    FreeAddrInfoExW(res);
    res = NULL;

    /* ---- cancel: the test server never answers silent.test.example ---- */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    handle = NULL;
    t0 = GetTickCount();
    err = GetAddrInfoExW(L"silent.test.example", NULL, NS_ALL, NULL, &hints, &res, NULL, &ov, NULL, &handle);
    CHECK(err == WSA_IO_PENDING, "async lookup of a silent name (%d)", err);
    Sleep(200);
    CHECK(GetAddrInfoExOverlappedResult(&ov) == WSAEINPROGRESS, "still in progress: WSAEINPROGRESS");
    err = GetAddrInfoExCancel(&handle);
    CHECK(!err, "GetAddrInfoExCancel (%d)", err);
    CHECK(WaitForSingleObject(ov.hEvent, 10000) == WAIT_OBJECT_0, "cancelled request completes");
    elapsed = GetTickCount() - t0;
    err = GetAddrInfoExOverlappedResult(&ov);
    CHECK(err == WSA_E_CANCELLED && !res && elapsed < 3000, "cancelled: WSA_E_CANCELLED before the DNS timeout (%d, %lu ms)", err,
          (unsigned long)elapsed);

    /* ---- timeout ---- */
    ResetEvent(ov.hEvent);
    tv.tv_sec = 0;
    tv.tv_usec = 300000;
    t0 = GetTickCount();
    err = GetAddrInfoExW(L"silent.test.example", NULL, NS_ALL, NULL, &hints, &res, &tv, &ov, NULL, NULL);
    CHECK(err == WSA_IO_PENDING && WaitForSingleObject(ov.hEvent, 10000) == WAIT_OBJECT_0, "async with a timeout completes (%d)", err);
    elapsed = GetTickCount() - t0;
    err = GetAddrInfoExOverlappedResult(&ov);
    CHECK(err == WSAETIMEDOUT && elapsed >= 250 && elapsed < 3000, "timeout: WSAETIMEDOUT after ~300 ms (%d, %lu ms)", err,
          (unsigned long)elapsed);
    t0 = GetTickCount();
    err = GetAddrInfoExW(L"silent.test.example", NULL, NS_ALL, NULL, &hints, &res, &tv, NULL, NULL, NULL);
    elapsed = GetTickCount() - t0;
    CHECK(err == WSAETIMEDOUT && !res && elapsed < 3000, "synchronous call with a timeout (%d, %lu ms)", err, (unsigned long)elapsed);
    tv.tv_sec = 5;
    err = GetAddrInfoExW(L"gaihost.test.example", NULL, NS_ALL, NULL, &hints, &res, &tv, NULL, NULL, NULL);
    CHECK(!err && res, "a timeout that does not expire (%d)", err);
    FreeAddrInfoExW(res);
    res = NULL;

    /* ---- SetAddrInfoEx: the TCP/IP provider's names are read-only ---- */
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(0xc0000263);
    sa.lpSockaddr = (struct sockaddr *)&sin;
    sa.iSockaddrLength = sizeof(sin);
    err = SetAddrInfoExW(L"gaiset.test.example", NULL, &sa, 1, NULL, 0, NS_DNS, NULL, NULL, NULL, NULL, NULL);
    CHECK(err == WSAEACCES && WSAGetLastError() == WSAEACCES, "SetAddrInfoExW reaches the provider's NSPSetService (WSAEACCES) (%d)", err);
    err = SetAddrInfoExA("gaiset.test.example", NULL, &sa, 1, NULL, 0, NS_DNS, NULL, NULL, NULL, NULL, NULL);
    CHECK(err == WSAEACCES, "SetAddrInfoExA (%d)", err);
    CHECK(SetAddrInfoExW(NULL, NULL, &sa, 1, NULL, 0, NS_DNS, NULL, NULL, NULL, NULL, NULL) == WSAEINVAL, "SetAddrInfoExW without a name: WSAEINVAL");
    CHECK(SetAddrInfoExW(L"x", NULL, &sa, 1, NULL, 0, NS_DNS, NULL, NULL, &ov, NULL, NULL) == WSAEINVAL, "SetAddrInfoExW reserved lpOverlapped: WSAEINVAL");
    CHECK(SetAddrInfoExW(L"x", NULL, NULL, 1, NULL, 0, NS_DNS, NULL, NULL, NULL, NULL, NULL) == WSAEINVAL, "SetAddrInfoExW NULL addresses: WSAEINVAL");

    WSACleanup();
    gai_teardown();
    return nsp_done("gai_ex_e2e");
}
