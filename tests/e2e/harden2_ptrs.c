/* harden2_ptrs.c - end-to-end checks under Wine that the address conversion, services database,
 * namespace (WSALookupService*, WSANSPIoctl, WSAEnumNameSpaceProviders*, WSASetService, service
 * classes), WSC* catalog and WSAProviderConfigChange exports answer bad caller pointers as Windows
 * documents (WSAEFAULT; INADDR_NONE for inet_addr; for inet_ntop/InetNtopW the
 * STATUS_INVALID_PARAMETER Windows 10 sets for their bad arguments), never crash, and still work with good pointers afterwards. Each pointer goes into a decommitted
 * page, a PAGE_NOACCESS page and, for out-parameters, a read-only page. Run without arguments it also runs
 * itself again with OPENWS2_TRACE=1 (the traces must not read through the bad pointers either).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "api_check.h"
#include "traced_child.h"
#include <ws2spi.h>
#include <svcguid.h>
#include <stdint.h>

int WSPAPI WSCWriteProviderOrder(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries);
int WSPAPI WSCWriteNameSpaceOrder(LPGUID lpProviderId, DWORD dwNumberOfEntries);
INT WSAAPI GetAddrInfoExCancel(LPHANDLE lpHandle);
INT WSAAPI GetAddrInfoExOverlappedResult(LPOVERLAPPED lpOverlapped);
#ifdef _WIN64 /* MinGW-w64 declares it for 32-bit only */
int WSPAPI WSCInstallProviderAndChains(LPGUID lpProviderId, const LPWSTR lpszProviderDllPath, const LPWSTR lpszLspName,
                                       DWORD dwServiceFlags, LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries,
                                       LPDWORD lpdwCatalogEntryId, LPINT lpErrno);
#endif

#define PAGE 4096
enum { FREED, NOACCESS, READONLY, KINDS };
static const char *kind_name[KINDS] = { "decommitted page", "no-access page", "read-only page" };
static char *bad[KINDS];   /* a pointer 16 bytes into each kind of page */
static char *pages;        /* [0] read-write, [1] no access, [2] read-only */

#define FOR_BAD_IN(k) for (k = FREED; k <= NOACCESS; k++)
#define FOR_BAD_OUT(k) for (k = FREED; k < KINDS; k++)

static const GUID hostaddr_class = SVCID_INET_HOSTADDRBYNAME;

static void setup_pages(void)
{
    char *freed = VirtualAlloc(NULL, PAGE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    DWORD old;

    pages = VirtualAlloc(NULL, 3 * PAGE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    VirtualProtect(pages + PAGE, PAGE, PAGE_NOACCESS, &old);
    VirtualProtect(pages + 2 * PAGE, PAGE, PAGE_READONLY, &old);
    /* decommitted but still reserved: nothing the program allocates later (thread stacks of the
     * asynchronous lookups, windows) can land on that address and make it valid again */
    VirtualFree(freed, PAGE, MEM_DECOMMIT);
    bad[FREED] = freed + 16;
    bad[NOACCESS] = pages + PAGE + 16;
    bad[READONLY] = pages + 2 * PAGE + 16;
}

/* Copies bytes so that they end exactly where the no-access page begins. */
static void *at_page_end(const void *data, size_t len)
{
    char *p = pages + PAGE - len;
    memcpy(p, data, len);
    return p;
}

/* ---------------------------------------------------------------- address conversion */

static void check_inet(void)
{
    BYTE out[16];
    char text[64];
    WCHAR wtext[64];
    struct in_addr a4;
    int k;

    printf("-- inet_addr, inet_pton, InetPtonW, inet_ntop, InetNtopW\n");
    a4.s_addr = htonl(0x7f000001);
    FOR_BAD_IN(k)
    {
        WSASetLastError(0);
        CHECK(inet_addr(bad[k]) == INADDR_NONE && WSAGetLastError() == WSAEFAULT,
              "inet_addr(%s) -> INADDR_NONE, WSAEFAULT (%d)", kind_name[k], WSAGetLastError());
        CHECK_FAIL(inet_pton(AF_INET, bad[k], out), -1, WSAEFAULT);
        CHECK_FAIL(inet_pton(AF_INET6, bad[k], out), -1, WSAEFAULT);
        /* Windows (Wine's conformance tests with NULL): the pointer before the family */
        CHECK_FAIL(inet_pton(AF_UNSPEC, bad[k], out), -1, WSAEFAULT);
        CHECK_FAIL(InetPtonW(AF_INET, (PCWSTR)bad[k], out), -1, WSAEFAULT);
        CHECK_FAIL(InetPtonW(AF_UNSPEC, (PCWSTR)bad[k], out), -1, WSAEFAULT);
        CHECK_FAIL(inet_ntop(AF_INET, bad[k], text, sizeof(text)), 0, (int)0xC000000D);
        CHECK_FAIL(inet_ntop(AF_INET6, bad[k], text, sizeof(text)), 0, (int)0xC000000D);
        CHECK_FAIL(InetNtopW(AF_INET6, bad[k], wtext, 64), 0, (int)0xC000000D);
    }
    FOR_BAD_OUT(k)
    {
        CHECK_FAIL(inet_pton(AF_INET, "1.2.3.4", bad[k]), -1, WSAEFAULT);
        CHECK_FAIL(inet_pton(AF_INET6, "::1", bad[k]), -1, WSAEFAULT);
        CHECK_FAIL(InetPtonW(AF_INET6, L"::1", bad[k]), -1, WSAEFAULT);
        CHECK_FAIL(inet_ntop(AF_INET, &a4, bad[k], 64), 0, (int)0xC000000D);
        CHECK_FAIL(InetNtopW(AF_INET, &a4, (PWSTR)bad[k], 64), 0, (int)0xC000000D);
    }
    /* strings and buffers that end right before the no-access page are fine */
    {
        const char *s = at_page_end("10.1.2.3", 9);
        CHECK(inet_addr(s) == htonl(0x0a010203), "inet_addr of a string ending at a page end");
        CHECK(inet_pton(AF_INET, s, out) == 1 && !memcmp(out, "\x0a\x01\x02\x03", 4), "inet_pton of the same string");
        char *buf = pages + PAGE - 10; /* "127.0.0.1" + terminator */
        CHECK(inet_ntop(AF_INET, &a4, buf, 10) == buf && !strcmp(buf, "127.0.0.1"), "inet_ntop into a buffer ending at a page end");
        CHECK(inet_pton(AF_INET, "10.9.8.7", pages + PAGE - 4) == 1, "inet_pton into the last 4 bytes of a page");
        const WCHAR *ws = at_page_end(L"::2", sizeof(L"::2"));
        CHECK(InetPtonW(AF_INET6, ws, out) == 1 && out[15] == 2, "InetPtonW of a string ending at a page end");
    }
    /* a valid call still works */
    CHECK(inet_ntop(AF_INET, &a4, text, sizeof(text)) == text && !strcmp(text, "127.0.0.1"), "inet_ntop after the failures");
}

static void check_address_string(void)
{
    struct sockaddr_in sin;
    char text[64];
    WCHAR wtext[64];
    DWORD len;
    INT ilen;
    WSAPROTOCOL_INFOA *infoA = NULL;
    int k;

    printf("-- WSAAddressToStringA/W, WSAStringToAddressA/W\n");
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(0x7f000001);
    sin.sin_port = htons(80);
    (void)infoA;
    FOR_BAD_IN(k)
    {
        len = sizeof(text);
        CHECK_FAIL(WSAAddressToStringA((LPSOCKADDR)bad[k], sizeof(sin), NULL, text, &len), SOCKET_ERROR, WSAEFAULT);
        len = 64;
        CHECK_FAIL(WSAAddressToStringW((LPSOCKADDR)bad[k], sizeof(sin), NULL, wtext, &len), SOCKET_ERROR, WSAEFAULT);
        len = sizeof(text);
        CHECK_FAIL(WSAAddressToStringA((LPSOCKADDR)&sin, sizeof(sin), (LPWSAPROTOCOL_INFOA)bad[k], text, &len),
                   SOCKET_ERROR, WSAEFAULT);
        len = 64;
        CHECK_FAIL(WSAAddressToStringW((LPSOCKADDR)&sin, sizeof(sin), (LPWSAPROTOCOL_INFOW)bad[k], wtext, &len),
                   SOCKET_ERROR, WSAEFAULT);
        ilen = sizeof(sin);
        CHECK_FAIL(WSAStringToAddressA(bad[k], AF_INET, NULL, (LPSOCKADDR)text, &ilen), SOCKET_ERROR, WSAEFAULT);
        ilen = sizeof(sin);
        CHECK_FAIL(WSAStringToAddressW((LPWSTR)bad[k], AF_INET, NULL, (LPSOCKADDR)text, &ilen), SOCKET_ERROR, WSAEFAULT);
        ilen = sizeof(sin);
        CHECK_FAIL(WSAStringToAddressA("1.2.3.4", AF_INET, (LPWSAPROTOCOL_INFOA)bad[k], (LPSOCKADDR)text, &ilen),
                   SOCKET_ERROR, WSAEFAULT);
    }
    FOR_BAD_OUT(k)
    {
        len = sizeof(text);
        CHECK_FAIL(WSAAddressToStringA((LPSOCKADDR)&sin, sizeof(sin), NULL, bad[k], &len), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSAAddressToStringA((LPSOCKADDR)&sin, sizeof(sin), NULL, text, (LPDWORD)bad[k]), SOCKET_ERROR, WSAEFAULT);
        len = 64;
        CHECK_FAIL(WSAAddressToStringW((LPSOCKADDR)&sin, sizeof(sin), NULL, (LPWSTR)bad[k], &len), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSAAddressToStringW((LPSOCKADDR)&sin, sizeof(sin), NULL, wtext, (LPDWORD)bad[k]), SOCKET_ERROR, WSAEFAULT);
        ilen = sizeof(sin);
        CHECK_FAIL(WSAStringToAddressA("1.2.3.4", AF_INET, NULL, (LPSOCKADDR)bad[k], &ilen), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSAStringToAddressA("1.2.3.4", AF_INET, NULL, (LPSOCKADDR)text, (LPINT)bad[k]), SOCKET_ERROR, WSAEFAULT);
        ilen = sizeof(struct sockaddr_in6);
        CHECK_FAIL(WSAStringToAddressW((LPWSTR)L"::1", AF_INET6, NULL, (LPSOCKADDR)bad[k], &ilen), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSAStringToAddressW((LPWSTR)L"::1", AF_INET6, NULL, (LPSOCKADDR)text, (LPINT)bad[k]), SOCKET_ERROR,
                   WSAEFAULT);
    }
    /* the documented NULL errors keep their place before the probes */
    len = sizeof(text);
    CHECK_FAIL(WSAAddressToStringA(NULL, sizeof(sin), NULL, bad[NOACCESS], &len), SOCKET_ERROR, WSAEINVAL);
    ilen = sizeof(sin);
    CHECK_FAIL(WSAStringToAddressA(NULL, AF_INET, NULL, (LPSOCKADDR)bad[NOACCESS], &ilen), SOCKET_ERROR, WSAEINVAL);
    /* a sockaddr whose last bytes are in the no-access page */
    len = sizeof(text);
    CHECK_FAIL(WSAAddressToStringA((LPSOCKADDR)(pages + PAGE - 8), sizeof(sin), NULL, text, &len), SOCKET_ERROR, WSAEFAULT);
    /* a text buffer that ends exactly at the page end works; one byte short of room fails politely */
    {
        char *edge = pages + PAGE - sizeof("127.0.0.1:80");
        struct sockaddr_in *back = at_page_end(&sin, sizeof(sin));
        len = sizeof("127.0.0.1:80");
        CHECK(WSAAddressToStringA((LPSOCKADDR)back, sizeof(sin), NULL, edge, &len) == 0 && !strcmp(edge, "127.0.0.1:80"),
              "WSAAddressToStringA with address and text at page ends (error %d)", WSAGetLastError());
        ilen = sizeof(sin);
        CHECK(WSAStringToAddressA((LPSTR)at_page_end("10.0.0.1:8", 11), AF_INET, NULL, (LPSOCKADDR)text, &ilen) == 0 &&
              ((struct sockaddr_in *)text)->sin_port == htons(8), "WSAStringToAddressA of a string ending at a page end");
    }
    len = 64;
    CHECK(WSAAddressToStringW((LPSOCKADDR)&sin, sizeof(sin), NULL, wtext, &len) == 0 && !wcscmp(wtext, L"127.0.0.1:80"),
          "WSAAddressToStringW after the failures");
}

/* ---------------------------------------------------------------- services database */

static void check_netdb(void)
{
    int k;

    printf("-- getservbyname, getservbyport, getprotobyname\n");
    FOR_BAD_IN(k)
    {
        CHECK_FAIL(getservbyname(bad[k], "tcp"), 0, WSAEFAULT);
        CHECK_FAIL(getservbyname("http", bad[k]), 0, WSAEFAULT);
        CHECK_FAIL(getservbyport(htons(80), bad[k]), 0, WSAEFAULT);
        CHECK_FAIL(getprotobyname(bad[k]), 0, WSAEFAULT);
    }
    {
        const char *name = at_page_end("http", 5);
        struct servent *se = getservbyname(name, "tcp");
        struct protoent *pe = getprotobyname(at_page_end("udp", 4));
        CHECK(se && ntohs(se->s_port) == 80, "getservbyname of a name ending at a page end");
        CHECK(pe && pe->p_proto == IPPROTO_UDP, "getprotobyname of a name ending at a page end");
    }
}

/* ---------------------------------------------------------------- namespace API */

static void init_qs(WSAQUERYSETW *qs, WCHAR *name)
{
    memset(qs, 0, sizeof(*qs));
    qs->dwSize = sizeof(*qs);
    qs->lpszServiceInstanceName = name;
    qs->lpServiceClassId = (GUID *)&hostaddr_class;
    qs->dwNameSpace = NS_DNS;
}

static void check_lookup(void)
{
    WSAQUERYSETW qs;
    WSAQUERYSETA qsa;
    CSADDR_INFO csa;
    HANDLE h = (HANDLE)0x1234;
    static BYTE results[8192];
    DWORD len, n;
    int k, ret;

    printf("-- WSALookupServiceBegin/Next, WSANSPIoctl\n");
    FOR_BAD_IN(k)
    {
        CHECK_FAIL(WSALookupServiceBeginW((LPWSAQUERYSETW)bad[k], LUP_RETURN_ALL, &h), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSALookupServiceBeginA((LPWSAQUERYSETA)bad[k], LUP_RETURN_ALL, &h), SOCKET_ERROR, WSAEFAULT);
        init_qs(&qs, (WCHAR *)bad[k]);
        CHECK_FAIL(WSALookupServiceBeginW(&qs, LUP_RETURN_ALL, &h), SOCKET_ERROR, WSAEFAULT);
        memcpy(&qsa, &qs, sizeof(qsa));
        CHECK_FAIL(WSALookupServiceBeginA(&qsa, LUP_RETURN_ALL, &h), SOCKET_ERROR, WSAEFAULT);
        init_qs(&qs, (WCHAR *)L"localhost");
        qs.lpServiceClassId = (GUID *)bad[k];
        CHECK_FAIL(WSALookupServiceBeginW(&qs, LUP_RETURN_ALL, &h), SOCKET_ERROR, WSAEFAULT);
        init_qs(&qs, (WCHAR *)L"localhost");
        qs.lpNSProviderId = (GUID *)bad[k];
        CHECK_FAIL(WSALookupServiceBeginW(&qs, LUP_RETURN_ALL, &h), SOCKET_ERROR, WSAEFAULT);
        init_qs(&qs, (WCHAR *)L"localhost");
        qs.dwNumberOfCsAddrs = 1;
        qs.lpcsaBuffer = (CSADDR_INFO *)bad[k];
        CHECK_FAIL(WSALookupServiceBeginW(&qs, LUP_RETURN_ALL, &h), SOCKET_ERROR, WSAEFAULT);
        memset(&csa, 0, sizeof(csa));
        csa.RemoteAddr.lpSockaddr = (LPSOCKADDR)bad[k];
        csa.RemoteAddr.iSockaddrLength = sizeof(struct sockaddr_in);
        qs.lpcsaBuffer = &csa;
        CHECK_FAIL(WSALookupServiceBeginW(&qs, LUP_RETURN_ALL, &h), SOCKET_ERROR, WSAEFAULT);
        init_qs(&qs, (WCHAR *)L"localhost");
        qs.lpBlob = (BLOB *)bad[k];
        CHECK_FAIL(WSALookupServiceBeginW(&qs, LUP_RETURN_ALL, &h), SOCKET_ERROR, WSAEFAULT);
    }
    CHECK(h == (HANDLE)0x1234, "no handle written by the failed calls");
    /* the documented WSAEINVAL checks (size, counts without arrays) still come first */
    init_qs(&qs, (WCHAR *)bad[NOACCESS]);
    qs.dwSize = 8;
    CHECK_FAIL(WSALookupServiceBeginW(&qs, LUP_RETURN_ALL, &h), SOCKET_ERROR, WSAEINVAL);

    init_qs(&qs, (WCHAR *)L"localhost");
    FOR_BAD_OUT(k)
        CHECK_FAIL(WSALookupServiceBeginW(&qs, LUP_RETURN_ALL, (LPHANDLE)bad[k]), SOCKET_ERROR, WSAEFAULT);

    /* a real lookup (the prefix's NS_DNS provider; localhost from the hosts file) */
    ret = WSALookupServiceBeginW(&qs, LUP_RETURN_ALL, &h);
    CHECK(ret == 0, "WSALookupServiceBeginW(localhost) after the failures (error %d)", WSAGetLastError());
    if (ret) return;
    FOR_BAD_OUT(k)
    {
        CHECK_FAIL(WSALookupServiceNextW(h, LUP_RETURN_ALL, (LPDWORD)bad[k], (LPWSAQUERYSETW)results), SOCKET_ERROR,
                   WSAEFAULT);
        len = sizeof(results);
        CHECK_FAIL(WSALookupServiceNextW(h, LUP_RETURN_ALL, &len, (LPWSAQUERYSETW)bad[k]), SOCKET_ERROR, WSAEFAULT);
        len = sizeof(results);
        CHECK_FAIL(WSALookupServiceNextA(h, LUP_RETURN_ALL, &len, (LPWSAQUERYSETA)bad[k]), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSANSPIoctl(h, SIO_NSP_NOTIFY_CHANGE, NULL, 0, NULL, 0, (LPDWORD)bad[k], NULL), SOCKET_ERROR, WSAEFAULT);
    }
    FOR_BAD_IN(k)
    {
        CHECK_FAIL(WSANSPIoctl(h, SIO_NSP_NOTIFY_CHANGE, bad[k], 16, NULL, 0, &n, NULL), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSANSPIoctl(h, SIO_NSP_NOTIFY_CHANGE, NULL, 0, NULL, 0, &n, (LPWSACOMPLETION)bad[k]), SOCKET_ERROR,
                   WSAEFAULT);
    }
    FOR_BAD_OUT(k)
        CHECK_FAIL(WSANSPIoctl(h, SIO_NSP_NOTIFY_CHANGE, NULL, 0, bad[k], 16, &n, NULL), SOCKET_ERROR, WSAEFAULT);
    /* a results buffer that runs into the no-access page */
    len = 64;
    CHECK_FAIL(WSALookupServiceNextW(h, LUP_RETURN_ALL, &len, (LPWSAQUERYSETW)(pages + PAGE - 32)), SOCKET_ERROR,
               WSAEFAULT);
    len = sizeof(results);
    ret = WSALookupServiceNextW(h, LUP_RETURN_ALL, &len, (LPWSAQUERYSETW)results);
    CHECK(ret == 0 && ((LPWSAQUERYSETW)results)->dwNumberOfCsAddrs >= 1,
          "the lookup's result is still delivered after the failures (error %d)", ret ? WSAGetLastError() : 0);
    CHECK(WSALookupServiceEnd(h) == 0, "WSALookupServiceEnd");
}

static void check_enum_ns(void)
{
    DWORD len = 0, l;
    int k, n;

    printf("-- WSAEnumNameSpaceProviders(Ex)A/W\n");
    n = WSAEnumNameSpaceProvidersW(&len, NULL);
    CHECK(n == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT && len > 0, "size query (%lu)", (unsigned long)len);
    FOR_BAD_OUT(k)
    {
        CHECK_FAIL(WSAEnumNameSpaceProvidersW((LPDWORD)bad[k], NULL), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSAEnumNameSpaceProvidersA((LPDWORD)bad[k], NULL), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSAEnumNameSpaceProvidersExW((LPDWORD)bad[k], NULL), SOCKET_ERROR, WSAEFAULT);
        l = 4096;
        CHECK_FAIL(WSAEnumNameSpaceProvidersW(&l, (LPWSANAMESPACE_INFOW)bad[k]), SOCKET_ERROR, WSAEFAULT);
        CHECK(l == 4096, "length unchanged for a bad buffer (%lu)", (unsigned long)l);
        l = 4096;
        CHECK_FAIL(WSAEnumNameSpaceProvidersA(&l, (LPWSANAMESPACE_INFOA)bad[k]), SOCKET_ERROR, WSAEFAULT);
        l = 4096;
        CHECK_FAIL(WSAEnumNameSpaceProvidersExA(&l, (LPWSANAMESPACE_INFOEXA)bad[k]), SOCKET_ERROR, WSAEFAULT);
    }
    /* a buffer whose end runs into the no-access page, and one that fits exactly before it */
    l = len;
    CHECK_FAIL(WSAEnumNameSpaceProvidersW(&l, (LPWSANAMESPACE_INFOW)(pages + PAGE - len + 8)), SOCKET_ERROR, WSAEFAULT);
    l = len;
    n = WSAEnumNameSpaceProvidersW(&l, (LPWSANAMESPACE_INFOW)(pages + PAGE - ((len + 7) & ~7u)));
    CHECK(n >= 1, "a buffer ending at the page end (%d, error %d)", n, WSAGetLastError());
}

static void check_set_service(void)
{
    WSAQUERYSETW qs;
    WSASERVICECLASSINFOW ci;
    WSANSCLASSINFOW nci;
    GUID cls = { 0x7e5700aa, 0x1234, 0x5678, { 1, 2, 3, 4, 5, 6, 7, 8 } };
    WCHAR name[32];
    DWORD len;
    int k;

    printf("-- WSASetService, WSAInstallServiceClass, WSARemoveServiceClass, WSAGetServiceClass*\n");
    FOR_BAD_IN(k)
    {
        CHECK_FAIL(WSASetServiceW((LPWSAQUERYSETW)bad[k], RNRSERVICE_REGISTER, 0), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSASetServiceA((LPWSAQUERYSETA)bad[k], RNRSERVICE_REGISTER, 0), SOCKET_ERROR, WSAEFAULT);
        init_qs(&qs, (WCHAR *)L"svc");
        qs.lpszComment = (WCHAR *)bad[k];
        CHECK_FAIL(WSASetServiceW(&qs, RNRSERVICE_REGISTER, 0), SOCKET_ERROR, WSAEFAULT);
        init_qs(&qs, (WCHAR *)L"svc");
        qs.lpVersion = (LPWSAVERSION)bad[k];
        CHECK_FAIL(WSASetServiceW(&qs, RNRSERVICE_DEREGISTER, 0), SOCKET_ERROR, WSAEFAULT);

        CHECK_FAIL(WSAInstallServiceClassW((LPWSASERVICECLASSINFOW)bad[k]), SOCKET_ERROR, WSAEFAULT);
        memset(&ci, 0, sizeof(ci));
        ci.lpServiceClassId = &cls;
        ci.lpszServiceClassName = (LPWSTR)bad[k];
        CHECK_FAIL(WSAInstallServiceClassW(&ci), SOCKET_ERROR, WSAEFAULT);
        memset(&nci, 0, sizeof(nci));
        nci.lpszName = (LPWSTR)L"port";
        nci.dwValueSize = 4;
        nci.lpValue = bad[k];
        ci.lpszServiceClassName = (LPWSTR)L"class";
        ci.dwCount = 1;
        ci.lpClassInfos = &nci;
        CHECK_FAIL(WSAInstallServiceClassW(&ci), SOCKET_ERROR, WSAEFAULT);
        ci.lpClassInfos = (LPWSANSCLASSINFOW)bad[k];
        CHECK_FAIL(WSAInstallServiceClassW(&ci), SOCKET_ERROR, WSAEFAULT);

        CHECK_FAIL(WSARemoveServiceClass((LPGUID)bad[k]), SOCKET_ERROR, WSAEFAULT);
        len = 1024;
        CHECK_FAIL(WSAGetServiceClassInfoW((LPGUID)bad[k], &cls, &len, (LPWSASERVICECLASSINFOW)pages), SOCKET_ERROR,
                   WSAEFAULT);
        CHECK_FAIL(WSAGetServiceClassInfoW(&cls, (LPGUID)bad[k], &len, (LPWSASERVICECLASSINFOW)pages), SOCKET_ERROR,
                   WSAEFAULT);
        len = 32;
        CHECK_FAIL(WSAGetServiceClassNameByClassIdW((LPGUID)bad[k], name, &len), SOCKET_ERROR, WSAEFAULT);
    }
    FOR_BAD_OUT(k)
    {
        CHECK_FAIL(WSAGetServiceClassInfoW(&cls, &cls, (LPDWORD)bad[k], (LPWSASERVICECLASSINFOW)pages), SOCKET_ERROR,
                   WSAEFAULT);
        CHECK_FAIL(WSAGetServiceClassNameByClassIdW(&cls, name, (LPDWORD)bad[k]), SOCKET_ERROR, WSAEFAULT);
    }
    /* documented NULL errors first */
    CHECK_FAIL(WSASetServiceW(NULL, RNRSERVICE_REGISTER, 0), SOCKET_ERROR, WSAEINVAL);
    init_qs(&qs, (WCHAR *)bad[NOACCESS]);
    CHECK_FAIL(WSASetServiceW(&qs, (WSAESETSERVICEOP)42, 0), SOCKET_ERROR, WSAEINVAL);
    CHECK_FAIL(WSARemoveServiceClass(NULL), SOCKET_ERROR, WSAEINVAL);
}

/* ---------------------------------------------------------------- WSC* */

static void check_wsc(void)
{
    DWORD len = 0, l;
    INT err, ilen;
    INT protos[2] = { IPPROTO_TCP, 0 };
    GUID id = { 0x7e5700bb, 0x1234, 0x5678, { 1, 2, 3, 4, 5, 6, 7, 8 } }, real = id;
    WCHAR path[MAX_PATH];
    WSAPROTOCOL_INFOW info;
    size_t isize;
    DWORD cat;
    int k, n;

    printf("-- WSCEnumProtocols, WSCGetProviderPath, WSCInstall/Deinstall/UpdateProvider, WSCWriteProviderOrder,"
           " WSC*ProviderInfo, WSC*ApplicationCategory, WSC namespace functions\n");
    n = WSCEnumProtocols(NULL, NULL, &len, &err);
    CHECK(n == SOCKET_ERROR && err == WSAENOBUFS && len > 0, "WSCEnumProtocols size query (%lu)", (unsigned long)len);
    {
        /* an installed provider: WSCGetProviderInfo checks the id's provider before the size */
        WSAPROTOCOL_INFOW *buf = malloc(len);
        l = len;
        n = WSCEnumProtocols(NULL, buf, &l, &err);
        CHECK(n > 0, "WSCEnumProtocols (%d)", n);
        if (n > 0) real = buf[0].ProviderId;
        free(buf);
    }
    FOR_BAD_OUT(k)
    {
        err = 0;
        n = WSCEnumProtocols(NULL, NULL, (LPDWORD)bad[k], &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCEnumProtocols(length %s) -> %d *lpErrno %d", kind_name[k], n, err);
        l = len;
        err = 0;
        n = WSCEnumProtocols(NULL, (LPWSAPROTOCOL_INFOW)bad[k], &l, &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCEnumProtocols(buffer %s) -> %d *lpErrno %d", kind_name[k], n, err);
        /* the error pointer itself is bad: SOCKET_ERROR, WSAEFAULT as the thread's last error */
        l = 0;
        CHECK_FAIL(WSCEnumProtocols(NULL, NULL, &l, (LPINT)bad[k]), SOCKET_ERROR, WSAEFAULT);
        ilen = MAX_PATH;
        CHECK_FAIL(WSCGetProviderPath(&id, path, &ilen, (LPINT)bad[k]), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSCDeinstallProvider(&id, (LPINT)bad[k]), SOCKET_ERROR, WSAEFAULT);
        ilen = MAX_PATH;
        err = 0;
        n = WSCGetProviderPath(&id, path, (LPINT)bad[k], &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCGetProviderPath(length %s) -> %d *lpErrno %d", kind_name[k], n, err);
        err = 0;
        n = WSCGetProviderInfo(&real, ProviderInfoLspCategories, (PBYTE)&cat, (size_t *)bad[k], 0, &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCGetProviderInfo(size %s) -> %d *lpErrno %d", kind_name[k], n, err);
        err = 0;
        n = WSCGetApplicationCategory(L"C:\\x.exe", 8, NULL, 0, (DWORD *)bad[k], &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCGetApplicationCategory(out %s) -> %d *lpErrno %d", kind_name[k], n,
              err);
    }
    FOR_BAD_IN(k)
    {
        l = len;
        err = 0;
        n = WSCEnumProtocols((LPINT)bad[k], NULL, &l, &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCEnumProtocols(protocols %s) -> %d *lpErrno %d", kind_name[k], n, err);
        ilen = MAX_PATH;
        err = 0;
        n = WSCGetProviderPath((LPGUID)bad[k], path, &ilen, &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCGetProviderPath(id %s) -> %d *lpErrno %d", kind_name[k], n, err);
        err = 0;
        n = WSCDeinstallProvider((LPGUID)bad[k], &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCDeinstallProvider(id %s) -> %d *lpErrno %d", kind_name[k], n, err);
        memset(&info, 0, sizeof(info));
        err = 0;
        n = WSCInstallProvider(&id, (const WCHAR *)bad[k], &info, 1, &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCInstallProvider(path %s) -> %d *lpErrno %d", kind_name[k], n, err);
        err = 0;
        n = WSCInstallProvider(&id, L"C:\\windows\\system32\\none.dll", (LPWSAPROTOCOL_INFOW)bad[k], 1, &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCInstallProvider(list %s) -> %d *lpErrno %d", kind_name[k], n, err);
        err = 0;
        n = WSCUpdateProvider((LPGUID)bad[k], L"C:\\windows\\system32\\none.dll", &info, 1, &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCUpdateProvider(id %s) -> %d *lpErrno %d", kind_name[k], n, err);
        n = WSCWriteProviderOrder((LPDWORD)bad[k], 2);
        CHECK(n == WSAEFAULT, "WSCWriteProviderOrder(%s) -> %d", kind_name[k], n);
        isize = sizeof(DWORD);
        err = 0;
        n = WSCGetProviderInfo((LPGUID)bad[k], ProviderInfoLspCategories, (PBYTE)&cat, &isize, 0, &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCGetProviderInfo(id %s) -> %d *lpErrno %d", kind_name[k], n, err);
        err = 0;
        n = WSCSetProviderInfo((LPGUID)bad[k], ProviderInfoLspCategories, (PBYTE)&cat, sizeof(cat), 0, &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCSetProviderInfo(id %s) -> %d *lpErrno %d", kind_name[k], n, err);
        err = 0;
        n = WSCGetApplicationCategory((LPCWSTR)bad[k], 8, NULL, 0, &cat, &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCGetApplicationCategory(path %s) -> %d *lpErrno %d", kind_name[k], n,
              err);
        CHECK_FAIL(WSCUnInstallNameSpace((LPGUID)bad[k]), SOCKET_ERROR, WSAEFAULT);
        CHECK(WSCWriteNameSpaceOrder((LPGUID)bad[k], 2) == WSAEFAULT, "WSCWriteNameSpaceOrder(%s)", kind_name[k]);
        {
            BLOB blob = { 8, (BYTE *)bad[k] };
            CHECK_FAIL(WSCInstallNameSpaceEx((LPWSTR)L"x", (LPWSTR)L"C:\\x.dll", 1000, 1, &id, (LPBLOB)bad[k]), SOCKET_ERROR,
                       WSAEFAULT);
            CHECK_FAIL(WSCInstallNameSpaceEx((LPWSTR)L"x", (LPWSTR)L"C:\\x.dll", 1000, 1, &id, &blob), SOCKET_ERROR, WSAEFAULT);
        }
        err = 0;
        n = WSCInstallProviderAndChains(&id, (LPWSTR)L"C:\\x.dll", (LPWSTR)bad[k], XP1_IFS_HANDLES, (void *)&info, 1, NULL, &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCInstallProviderAndChains(name %s) -> %d *lpErrno %d", kind_name[k],
              n, err);
        err = 0;
        n = WSCInstallProviderAndChains(&id, (LPWSTR)bad[k], (LPWSTR)L"lsp", XP1_IFS_HANDLES, (void *)&info, 1, NULL, &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCInstallProviderAndChains(path %s) -> %d *lpErrno %d", kind_name[k],
              n, err);
        err = 0;
        n = WSCInstallProviderAndChains(&id, (LPWSTR)L"C:\\x.dll", (LPWSTR)L"lsp", XP1_IFS_HANDLES,
                                        (void *)bad[k], 1, NULL, &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCInstallProviderAndChains(list %s) -> %d *lpErrno %d", kind_name[k],
              n, err);
        CHECK_FAIL(WSCEnableNSProvider((LPGUID)bad[k], TRUE), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSCInstallNameSpace((LPWSTR)bad[k], (LPWSTR)L"C:\\x.dll", 1000, 1, &id), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSCInstallNameSpace((LPWSTR)L"x", (LPWSTR)bad[k], 1000, 1, &id), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(WSCInstallNameSpace((LPWSTR)L"x", (LPWSTR)L"C:\\x.dll", 1000, 1, (LPGUID)bad[k]), SOCKET_ERROR, WSAEFAULT);
    }
    FOR_BAD_OUT(k)
    {
        err = 0;
        n = WSCSetApplicationCategory(L"C:\\harden2.exe", 14, NULL, 0, 0, (DWORD *)bad[k], &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCSetApplicationCategory(previous %s) -> %d *lpErrno %d", kind_name[k],
              n, err);
        err = 0;
        n = WSCInstallProviderAndChains(&id, (LPWSTR)L"C:\\x.dll", (LPWSTR)L"lsp", XP1_IFS_HANDLES, (void *)&info, 1,
                                        (LPDWORD)bad[k], &err);
        CHECK(n == SOCKET_ERROR && err == WSAEFAULT, "WSCInstallProviderAndChains(id out %s) -> %d *lpErrno %d", kind_name[k],
              n, err);
    }
    CHECK(WSCGetApplicationCategory(L"C:\\harden2.exe", 14, NULL, 0, &cat, &err) == SOCKET_ERROR &&
          err == WSASERVICE_NOT_FOUND, "no application category was written (error %d)", err);
    /* a protocol list ending just before the no-access page is fine */
    {
        INT *edge = at_page_end(protos, sizeof(protos));
        l = 0;
        err = 0;
        n = WSCEnumProtocols(edge, NULL, &l, &err);
        CHECK(n == SOCKET_ERROR && err == WSAENOBUFS && l > 0 && l < len, "WSCEnumProtocols with a list at a page end (%lu)",
              (unsigned long)l);
    }
    /* and a good call still enumerates */
    {
        WSAPROTOCOL_INFOW *buf = malloc(len);
        l = len;
        n = WSCEnumProtocols(NULL, buf, &l, &err);
        CHECK(n > 0, "WSCEnumProtocols after the failures (%d)", n);
        free(buf);
    }
}

/* ---------------------------------------------------------------- WSAProviderConfigChange */

static void check_config_change(void)
{
    HANDLE h = NULL;
    int k;

    printf("-- WSAProviderConfigChange\n");
    FOR_BAD_OUT(k)
        CHECK_FAIL(WSAProviderConfigChange((LPHANDLE)bad[k], NULL, NULL), SOCKET_ERROR, WSAEFAULT);
    CHECK(WSAProviderConfigChange(&h, NULL, NULL) == 0 && h, "WSAProviderConfigChange gives a handle");
    FOR_BAD_OUT(k)
        CHECK_FAIL(WSAProviderConfigChange(&h, (LPWSAOVERLAPPED)bad[k], NULL), SOCKET_ERROR, WSAEFAULT);
    if (h) CloseHandle(h);
}

/* ---------------------------------------------------------------- name resolution (engineer gai's exports) */

#define WM_HARDEN2 (WM_USER + 42)
static struct { WPARAM task; LPARAM reply; } replies[64]; /* every reply, whatever order they come in */
static int reply_count;

static LRESULT CALLBACK async_wndproc(HWND hwnd, UINT msg, WPARAM w, LPARAM l)
{
    if (msg == WM_HARDEN2)
    {
        if (reply_count < 64)
        {
            replies[reply_count].task = w;
            replies[reply_count].reply = l;
            reply_count++;
        }
        return 0;
    }
    return DefWindowProcA(hwnd, msg, w, l);
}

/* The reply's error of an asynchronous lookup task (-1: no reply within 20 s). */
static int async_error(HANDLE task)
{
    DWORD start = GetTickCount();
    MSG m;
    int i;

    for (;;)
    {
        while (PeekMessageA(&m, NULL, 0, 0, PM_REMOVE)) DispatchMessageA(&m);
        for (i = 0; i < reply_count; i++)
            if ((HANDLE)replies[i].task == task) return WSAGETASYNCERROR(replies[i].reply);
        if (GetTickCount() - start >= 20000) return -1;
        MsgWaitForMultipleObjects(0, NULL, FALSE, 50, QS_ALLINPUT);
    }
}

static void check_gai(void)
{
    struct addrinfo *res = NULL, hints;
    ADDRINFOW *resw = NULL;
    ADDRINFOEXW *resx = NULL;
    struct sockaddr_in sin;
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    WCHAR hostw[NI_MAXHOST], servw[NI_MAXSERV];
    static union { char bytes[MAXGETHOSTSTRUCT]; void *align; } abuf;
    WNDCLASSA wc;
    HWND hwnd;
    HANDLE task;
    int k, ret, e;

    printf("-- getaddrinfo, GetAddrInfoW, GetAddrInfoEx, getnameinfo, GetNameInfoW, gethostbyname, gethostbyaddr,"
           " gethostname, WSAAsyncGet*\n");
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sin.sin_port = htons(80);
    FOR_BAD_IN(k)
    {
        CHECK_FAIL(getaddrinfo(bad[k], NULL, &hints, &res), WSAEFAULT, WSAEFAULT);
        CHECK_FAIL(getaddrinfo("127.0.0.1", bad[k], &hints, &res), WSAEFAULT, WSAEFAULT);
        CHECK_FAIL(getaddrinfo("127.0.0.1", NULL, (struct addrinfo *)bad[k], &res), WSAEFAULT, WSAEFAULT);
        CHECK_FAIL(GetAddrInfoW((PCWSTR)bad[k], NULL, NULL, &resw), WSAEFAULT, WSAEFAULT);
        CHECK_FAIL(GetAddrInfoExW((PCWSTR)bad[k], NULL, NS_ALL, NULL, NULL, &resx, NULL, NULL, NULL, NULL), WSAEFAULT,
                   WSAEFAULT);
        CHECK_FAIL(GetAddrInfoExA(bad[k], NULL, NS_ALL, NULL, NULL, (PADDRINFOEXA *)&resx, NULL, NULL, NULL, NULL),
                   WSAEFAULT, WSAEFAULT);
        CHECK_FAIL(getnameinfo((struct sockaddr *)bad[k], sizeof(sin), host, sizeof(host), NULL, 0, NI_NUMERICHOST),
                   WSAEFAULT, WSAEFAULT);
        CHECK_FAIL(GetNameInfoW((struct sockaddr *)bad[k], sizeof(sin), hostw, NI_MAXHOST, NULL, 0, NI_NUMERICHOST),
                   WSAEFAULT, WSAEFAULT);
        CHECK_FAIL(gethostbyname(bad[k]), 0, WSAEFAULT);
        CHECK_FAIL(gethostbyaddr(bad[k], 4, AF_INET), 0, WSAEFAULT);
        CHECK_FAIL(GetAddrInfoExCancel((LPHANDLE)bad[k]), WSAEFAULT, WSAEFAULT);
        {
            SOCKET_ADDRESS sa = { (LPSOCKADDR)bad[k], sizeof(sin) };
            CHECK_FAIL(SetAddrInfoExW(L"h2.example", NULL, (SOCKET_ADDRESS *)bad[k], 1, NULL, 0, NS_DNS, NULL, NULL, NULL, NULL,
                                      NULL), WSAEFAULT, WSAEFAULT);
            CHECK_FAIL(SetAddrInfoExW(L"h2.example", NULL, &sa, 1, NULL, 0, NS_DNS, NULL, NULL, NULL, NULL, NULL), WSAEFAULT,
                       WSAEFAULT);
            CHECK_FAIL(SetAddrInfoExW((PCWSTR)bad[k], NULL, NULL, 0, NULL, 0, NS_DNS, NULL, NULL, NULL, NULL, NULL), WSAEFAULT,
                       WSAEFAULT);
            CHECK_FAIL(SetAddrInfoExA(bad[k], NULL, NULL, 0, NULL, 0, NS_DNS, NULL, NULL, NULL, NULL, NULL), WSAEFAULT,
                       WSAEFAULT);
        }
        CHECK(GetAddrInfoExOverlappedResult((LPOVERLAPPED)bad[k]) == WSAEFAULT, "GetAddrInfoExOverlappedResult(%s)",
              kind_name[k]);
    }
    FOR_BAD_OUT(k)
    {
        CHECK_FAIL(getaddrinfo("127.0.0.1", NULL, &hints, (struct addrinfo **)bad[k]), WSAEFAULT, WSAEFAULT);
        CHECK_FAIL(GetAddrInfoW(L"127.0.0.1", NULL, NULL, (PADDRINFOW *)bad[k]), WSAEFAULT, WSAEFAULT);
        CHECK_FAIL(GetAddrInfoExW(L"127.0.0.1", NULL, NS_ALL, NULL, NULL, (PADDRINFOEXW *)bad[k], NULL, NULL, NULL, NULL),
                   WSAEFAULT, WSAEFAULT);
        CHECK_FAIL(getnameinfo((struct sockaddr *)&sin, sizeof(sin), bad[k], NI_MAXHOST, NULL, 0, NI_NUMERICHOST),
                   WSAEFAULT, WSAEFAULT);
        CHECK_FAIL(getnameinfo((struct sockaddr *)&sin, sizeof(sin), NULL, 0, bad[k], NI_MAXSERV, NI_NUMERICSERV),
                   WSAEFAULT, WSAEFAULT);
        CHECK_FAIL(GetNameInfoW((struct sockaddr *)&sin, sizeof(sin), (PWCHAR)bad[k], NI_MAXHOST, NULL, 0, NI_NUMERICHOST),
                   WSAEFAULT, WSAEFAULT);
        CHECK_FAIL(GetNameInfoW((struct sockaddr *)&sin, sizeof(sin), NULL, 0, (PWCHAR)bad[k], NI_MAXSERV, NI_NUMERICSERV),
                   WSAEFAULT, WSAEFAULT);
        CHECK_FAIL(gethostname(bad[k], 256), SOCKET_ERROR, WSAEFAULT);
        CHECK_FAIL(GetHostNameW((PWSTR)bad[k], 256), SOCKET_ERROR, WSAEFAULT);
    }
    /* good calls still work */
    ret = getaddrinfo(at_page_end("127.0.0.1", 10), NULL, &hints, &res);
    CHECK(ret == 0 && res && ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr == htonl(INADDR_LOOPBACK),
          "getaddrinfo of a name ending at a page end (%d)", ret);
    if (!ret) freeaddrinfo(res);
    ret = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), serv, sizeof(serv),
                      NI_NUMERICHOST | NI_NUMERICSERV);
    CHECK(ret == 0 && !strcmp(host, "127.0.0.1") && !strcmp(serv, "80"), "getnameinfo after the failures (%d)", ret);
    ret = GetNameInfoW((struct sockaddr *)&sin, sizeof(sin), hostw, NI_MAXHOST, servw, NI_MAXSERV,
                       NI_NUMERICHOST | NI_NUMERICSERV);
    CHECK(ret == 0 && !wcscmp(hostw, L"127.0.0.1"), "GetNameInfoW after the failures (%d)", ret);
    CHECK(gethostname(host, sizeof(host)) == 0 && host[0], "gethostname after the failures");

    /* WSAAsyncGet*: arguments are the reply's errors (Windows); a bad result buffer too */
    memset(&wc, 0, sizeof(wc));
    wc.lpfnWndProc = async_wndproc;
    wc.hInstance = GetModuleHandleA(NULL);
    wc.lpszClassName = "openws2_harden2";
    RegisterClassA(&wc);
    hwnd = CreateWindowExA(0, wc.lpszClassName, "", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, wc.hInstance, NULL);
    CHECK(hwnd != NULL, "message-only window");
    FOR_BAD_IN(k)
    {
        task = WSAAsyncGetHostByName(hwnd, WM_HARDEN2, bad[k], abuf.bytes, sizeof(abuf));
        e = task ? async_error(task) : -2;
        CHECK(e == WSAEFAULT, "WSAAsyncGetHostByName(name %s) replies WSAEFAULT (%d)", kind_name[k], e);
        task = WSAAsyncGetServByName(hwnd, WM_HARDEN2, "http", bad[k], abuf.bytes, sizeof(abuf));
        e = task ? async_error(task) : -2;
        CHECK(e == WSAEFAULT, "WSAAsyncGetServByName(proto %s) replies WSAEFAULT (%d)", kind_name[k], e);
        task = WSAAsyncGetProtoByName(hwnd, WM_HARDEN2, bad[k], abuf.bytes, sizeof(abuf));
        e = task ? async_error(task) : -2;
        CHECK(e == WSAEFAULT, "WSAAsyncGetProtoByName(name %s) replies WSAEFAULT (%d)", kind_name[k], e);
        task = WSAAsyncGetHostByAddr(hwnd, WM_HARDEN2, bad[k], 4, AF_INET, abuf.bytes, sizeof(abuf));
        e = task ? async_error(task) : -2;
        CHECK(e == WSAEFAULT, "WSAAsyncGetHostByAddr(addr %s) replies WSAEFAULT (%d)", kind_name[k], e);
    }
    FOR_BAD_OUT(k)
    {
        task = WSAAsyncGetProtoByName(hwnd, WM_HARDEN2, "tcp", bad[k], MAXGETHOSTSTRUCT);
        e = task ? async_error(task) : -2;
        CHECK(e == WSAEFAULT, "WSAAsyncGetProtoByName(buffer %s) replies WSAEFAULT (%d)", kind_name[k], e);
    }
    task = WSAAsyncGetProtoByName(hwnd, WM_HARDEN2, "tcp", abuf.bytes, sizeof(abuf));
    e = task ? async_error(task) : -2;
    CHECK(e == 0 && ((struct protoent *)abuf.bytes)->p_proto == IPPROTO_TCP, "WSAAsyncGetProtoByName after the failures (%d)",
          e);
    DestroyWindow(hwnd);
}

int main(int argc, char **argv)
{
    WSADATA d;
    BOOL child = argc > 1 && !strcmp(argv[1], "--child");

    setup_pages();
    CHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0, "WSAStartup");
    check_inet();
    check_address_string();
    check_netdb();
    check_lookup();
    check_enum_ns();
    check_set_service();
    check_wsc();
    check_config_change();
    check_gai();
    CHECK(WSACleanup() == 0, "WSACleanup");
    if (!child) check_traced_child(argv[0], 120000);
    return api_done(child ? "harden2_ptrs child" : "harden2_ptrs");
}
