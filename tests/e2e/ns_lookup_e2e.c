/* ns_lookup_e2e.c - end-to-end test of name resolution through the namespace catalog under Wine:
 * the recording test NSP tp_nsp.dll installed (WSCInstallNameSpace) under three provider ids, then
 * WSALookupServiceBeginA/W / NextA/W / End reaching it with the right arguments and returning its
 * answers (routing by namespace, by lpNSProviderId and NS_ALL in catalog order, disabled providers
 * skipped, short buffers with the size needed and nothing lost, the A <-> W conversions),
 * WSANSPIoctl, WSASetServiceA/W, the service-class functions, the argument errors, the loader's
 * failure modes (NSPStartup error, incomplete table, version 0, pre-XP table, missing DLL), one load
 * per provider, eight threads looking up at once and WSALookupServiceEnd racing Next, a provider
 * installed and uninstalled by another process seen by this running one, an NSPv2 provider advertised
 * by this process (WSAAdvertiseProvider / WSAUnadvertiseProvider), and NSPCleanup / NSPv2Cleanup
 * (open lookups ended first) at the last WSACleanup. The catalog is restored byte for byte at the end.
 * Run with an argument ("child-install" / "child-uninstall") it is that other process.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ns_check.h"

typedef int (WINAPI *log_read_fn)(char *buf, int size);
typedef void (WINAPI *log_clear_fn)(void);
typedef void (WINAPI *counts_fn)(LONG *startups, LONG *cleanups, LONG *open_lookups);

static log_read_fn log_read;
static log_clear_fn log_clear;
static counts_fn tp_counts;
static char logbuf[65536];

static GUID cls = {0xc1a55001, 0x1111, 0x2222, {3, 3, 3, 3, 3, 3, 3, 3}};
static GUID cls2 = {0xc1a55002, 0x1111, 0x2222, {3, 3, 3, 3, 3, 3, 3, 3}};
static GUID ns_guid_d = {0x7e570004, 0x0a0a, 0x4b4b, {0x8c, 0x8c, 1, 2, 3, 4, 5, 6}};

static const char *get_log(void)
{
    log_read(logbuf, sizeof(logbuf));
    return logbuf;
}

static int count_in_log(const char *what)
{
    const char *p = get_log();
    int n = 0;
    while ((p = strstr(p, what)))
    {
        n++;
        p += strlen(what);
    }
    return n;
}

static void init_qs(WSAQUERYSETW *qs, WCHAR *name, DWORD ns, GUID *class_id)
{
    memset(qs, 0, sizeof(*qs));
    qs->dwSize = sizeof(*qs);
    qs->lpszServiceInstanceName = name;
    qs->dwNameSpace = ns;
    qs->lpServiceClassId = class_id;
}

/* Reads every result of a lookup (W) into buf, appending "name;" to names; returns the count or
 * -error. */
static int drain_into(HANDLE h, BYTE *buf, DWORD bufsize, char *names, size_t size)
{
    int n = 0;
    names[0] = 0;
    for (;;)
    {
        DWORD len = bufsize;
        WSAQUERYSETW *r = (WSAQUERYSETW *)buf;
        char one[200];
        if (WSALookupServiceNextW(h, 0, &len, r) == SOCKET_ERROR)
        {
            int err = WSAGetLastError();
            return err == WSA_E_NO_MORE ? n : -err;
        }
        snprintf(one, sizeof(one), "%ls;", r->lpszServiceInstanceName ? r->lpszServiceInstanceName : L"(null)");
        strncat(names, one, size - strlen(names) - 1);
        if (++n > 50) return -1;
    }
}

static int drain_w(HANDLE h, char *names, size_t size)
{
    static BYTE buf[8192];
    return drain_into(h, buf, sizeof(buf), names, size);
}

/* drain_w with a buffer of the calling thread's own. */
static int drain_w_local(HANDLE h, char *names, size_t size)
{
    BYTE buf[2048];
    return drain_into(h, buf, sizeof(buf), names, size);
}

static void test_args(void)
{
    WSAQUERYSETW qs;
    HANDLE h = (HANDLE)0xdeadbeef;
    DWORD len = 0;
    AFPROTOCOLS *none = NULL;

    init_qs(&qs, L"svc", 1000, &cls);
    CHECK_FAIL(WSALookupServiceBeginW(NULL, 0, &h), SOCKET_ERROR, WSAEFAULT);
    CHECK_FAIL(WSALookupServiceBeginW(&qs, 0, NULL), SOCKET_ERROR, WSAEFAULT);
    CHECK_FAIL(WSALookupServiceBeginA(NULL, 0, &h), SOCKET_ERROR, WSAEFAULT);
    qs.dwSize = 0;
    CHECK_FAIL(WSALookupServiceBeginW(&qs, 0, &h), SOCKET_ERROR, WSAEINVAL);
    qs.dwSize = sizeof(qs);
    qs.dwNumberOfProtocols = 1;
    qs.lpafpProtocols = none;
    CHECK_FAIL(WSALookupServiceBeginW(&qs, 0, &h), SOCKET_ERROR, WSAEINVAL);
    CHECK(h == (HANDLE)0xdeadbeef, "no handle written on failure");
    CHECK_FAIL(WSALookupServiceEnd(NULL), SOCKET_ERROR, WSA_INVALID_HANDLE);
    CHECK_FAIL(WSALookupServiceEnd((HANDLE)0x1234), SOCKET_ERROR, WSA_INVALID_HANDLE);
    CHECK_FAIL(WSALookupServiceNextW((HANDLE)0x1234, 0, &len, NULL), SOCKET_ERROR, WSA_INVALID_HANDLE);
    CHECK_FAIL(WSALookupServiceNextA(NULL, 0, &len, NULL), SOCKET_ERROR, WSA_INVALID_HANDLE);
    CHECK_FAIL(WSANSPIoctl((HANDLE)0x1234, SIO_NSP_NOTIFY_CHANGE, NULL, 0, NULL, 0, &len, NULL), SOCKET_ERROR,
               WSA_INVALID_HANDLE);
    /* a namespace nobody serves */
    init_qs(&qs, L"svc", 4242, &cls);
    CHECK_FAIL(WSALookupServiceBeginW(&qs, 0, &h), SOCKET_ERROR, WSASERVICE_NOT_FOUND);
    init_qs(&qs, L"svc", 1000, &cls);
    qs.lpNSProviderId = &ns_guid_missing;
    CHECK_FAIL(WSALookupServiceBeginW(&qs, 0, &h), SOCKET_ERROR, WSAEINVAL);
}

static void test_lookup_w(void)
{
    WSAQUERYSETW qs;
    HANDLE h = NULL;
    char names[1024];
    static BYTE buf[8192];
    WSAQUERYSETW *r = (WSAQUERYSETW *)buf;
    DWORD len, need;
    int n;

    log_clear();
    init_qs(&qs, L"svc", 1000, &cls);
    CHECK(WSALookupServiceBeginW(&qs, LUP_RETURN_ALL | LUP_DEEP, &h) == 0 && h, "WSALookupServiceBeginW(ns 1000) (error %d)",
          WSAGetLastError());
    CHECK(count_in_log("NSPStartup id=7e570001") == 1 && count_in_log("NSPStartup id=7e570002") == 1 &&
          count_in_log("NSPStartup id=7e570003") == 0, "NSPStartup for A and B only:\n%s", get_log());
    CHECK(count_in_log("NSPLookupServiceBegin id=7e570001 name=svc ns=1000 flags=0xff1 class=c1a55001 classinfo=c1a55001") == 1 &&
          count_in_log("NSPLookupServiceBegin id=7e570002 name=svc ns=1000 flags=0xff1 class=c1a55001") == 1,
          "NSPLookupServiceBegin reached A and B with the query's arguments");
    CHECK(strstr(get_log(), "id=7e570001 name=svc") < strstr(get_log(), "id=7e570002 name=svc"), "A asked before B");

    /* the first result in full */
    len = sizeof(buf);
    CHECK(WSALookupServiceNextW(h, 0, &len, r) == 0, "WSALookupServiceNextW (error %d)", WSAGetLastError());
    CHECK(r->lpszServiceInstanceName && !wcscmp(r->lpszServiceInstanceName, L"svc#0@7e570001"), "name %ls",
          r->lpszServiceInstanceName ? r->lpszServiceInstanceName : L"(null)");
    CHECK(r->dwNameSpace == 1000 && r->lpNSProviderId && IsEqualGUID(r->lpNSProviderId, &ns_guid_a) &&
          r->lpServiceClassId && IsEqualGUID(r->lpServiceClassId, &cls), "namespace, provider and class id");
    CHECK(r->lpszComment && !wcscmp(r->lpszComment, L"tp_nsp comment"), "comment");
    CHECK(r->dwNumberOfCsAddrs == 1 && r->lpcsaBuffer && r->lpcsaBuffer->RemoteAddr.iSockaddrLength == sizeof(SOCKADDR_IN) &&
          ((SOCKADDR_IN *)r->lpcsaBuffer->RemoteAddr.lpSockaddr)->sin_addr.s_addr == htonl(0x7f000001) &&
          ((SOCKADDR_IN *)r->lpcsaBuffer->RemoteAddr.lpSockaddr)->sin_port == htons(5000), "CSADDR_INFO 127.0.0.1:5000");
    CHECK(r->lpBlob && r->lpBlob->cbSize == 5 && r->lpBlob->pBlobData[0] == 0 && r->lpBlob->pBlobData[4] == 4, "BLOB");
    CHECK(count_in_log("NSPLookupServiceNext flags=0 len=8192") == 1, "NSPLookupServiceNext got the caller's flags and length");

    /* short buffer: WSAEFAULT with the size, nothing consumed */
    len = sizeof(WSAQUERYSETW);
    CHECK_FAIL(WSALookupServiceNextW(h, 0, &len, r), SOCKET_ERROR, WSAEFAULT);
    need = len;
    CHECK(need > sizeof(WSAQUERYSETW) && need < sizeof(buf), "size needed %lu", (unsigned long)need);
    len = 0;
    CHECK_FAIL(WSALookupServiceNextW(h, 0, &len, NULL), SOCKET_ERROR, WSAEFAULT);
    CHECK(len == need, "NULL buffer: size needed %lu", (unsigned long)len);
    CHECK_FAIL(WSALookupServiceNextW(h, 0, NULL, r), SOCKET_ERROR, WSAEFAULT);
    len = need;
    CHECK(WSALookupServiceNextW(h, 0, &len, r) == 0 && !wcscmp(r->lpszServiceInstanceName, L"svc#1@7e570001"),
          "exactly the size needed: the result kept back (%ls)", r->lpszServiceInstanceName);

    /* then B's, then no more */
    n = drain_w(h, names, sizeof(names));
    CHECK(n == 2 && !strcmp(names, "svc#0@7e570002;svc#1@7e570002;"), "then B's results: %d %s", n, names);
    len = sizeof(buf);
    CHECK_FAIL(WSALookupServiceNextW(h, 0, &len, r), SOCKET_ERROR, WSA_E_NO_MORE);
    CHECK(WSALookupServiceEnd(h) == 0, "WSALookupServiceEnd");
    CHECK(count_in_log("NSPLookupServiceEnd") == 2, "NSPLookupServiceEnd for both providers");
    CHECK_FAIL(WSALookupServiceEnd(h), SOCKET_ERROR, WSA_INVALID_HANDLE);
    len = sizeof(buf);
    CHECK_FAIL(WSALookupServiceNextW(h, 0, &len, r), SOCKET_ERROR, WSA_INVALID_HANDLE);

    /* one provider by id */
    log_clear();
    init_qs(&qs, L"byid", 1000, &cls);
    qs.lpNSProviderId = &ns_guid_b;
    CHECK(WSALookupServiceBeginW(&qs, 0, &h) == 0, "Begin with lpNSProviderId B");
    n = drain_w(h, names, sizeof(names));
    CHECK(n == 2 && !strcmp(names, "byid#0@7e570002;byid#1@7e570002;"), "only B answered: %s", names);
    CHECK(count_in_log("NSPLookupServiceBegin id=7e570001") == 0, "A not asked");
    WSALookupServiceEnd(h);
    CHECK(count_in_log("NSPStartup") == 0, "providers stay loaded: no second NSPStartup");

    /* NS_ALL: every enabled provider, in catalog order */
    log_clear();
    init_qs(&qs, L"all", NS_ALL, &cls);
    CHECK(WSALookupServiceBeginW(&qs, 0, &h) == 0, "Begin NS_ALL (error %d)", WSAGetLastError());
    n = drain_w(h, names, sizeof(names));
    {
        const char *a = strstr(names, "all#0@7e570001"), *b = strstr(names, "all#0@7e570002"), *c = strstr(names, "all#0@7e570003");
        CHECK(n >= 6 && a && b && c && a < b && b < c, "NS_ALL results in catalog order: %s", names);
    }
    CHECK(count_in_log("NSPStartup id=7e570003") == 1, "C loaded for NS_ALL");
    WSALookupServiceEnd(h);

    /* provider failures */
    init_qs(&qs, L"fail", 1000, &cls);
    CHECK_FAIL(WSALookupServiceBeginW(&qs, 0, &h), SOCKET_ERROR, WSASERVICE_NOT_FOUND);
    init_qs(&qs, L"none", 1000, &cls);
    CHECK(WSALookupServiceBeginW(&qs, 0, &h) == 0, "Begin for a name without answers");
    len = sizeof(buf);
    CHECK_FAIL(WSALookupServiceNextW(h, 0, &len, r), SOCKET_ERROR, WSA_E_NO_MORE);
    WSALookupServiceEnd(h);

    /* a disabled provider is skipped (seen by this running process) */
    CHECK(WSCEnableNSProvider(&ns_guid_a, FALSE) == 0, "disable A");
    log_clear();
    init_qs(&qs, L"dis", 1000, &cls);
    CHECK(WSALookupServiceBeginW(&qs, 0, &h) == 0, "Begin with A disabled");
    n = drain_w(h, names, sizeof(names));
    CHECK(n == 2 && !strcmp(names, "dis#0@7e570002;dis#1@7e570002;"), "only B: %s", names);
    CHECK(count_in_log("NSPLookupServiceBegin id=7e570001") == 0, "A not asked");
    WSALookupServiceEnd(h);
    qs.lpNSProviderId = &ns_guid_a;
    CHECK_FAIL(WSALookupServiceBeginW(&qs, 0, &h), SOCKET_ERROR, WSASERVICE_NOT_FOUND);
    CHECK(WSCEnableNSProvider(&ns_guid_a, TRUE) == 0, "enable A again");
}

static void test_lookup_a(void)
{
    WSAQUERYSETA qs;
    WSAQUERYSETW wqs;
    HANDLE h = NULL;
    static BYTE buf[8192];
    WSAQUERYSETA *r = (WSAQUERYSETA *)buf;
    WSAQUERYSETW *rw = (WSAQUERYSETW *)buf;
    DWORD len, need_a, need_w;

    log_clear();
    memset(&qs, 0, sizeof(qs));
    qs.dwSize = sizeof(qs);
    qs.lpszServiceInstanceName = "ansi";
    qs.dwNameSpace = 1000;
    qs.lpServiceClassId = &cls;
    qs.lpszContext = "ctx";
    CHECK(WSALookupServiceBeginA(&qs, LUP_RETURN_NAME, &h) == 0, "WSALookupServiceBeginA (error %d)", WSAGetLastError());
    CHECK(count_in_log("NSPLookupServiceBegin id=7e570001 name=ansi ns=1000 flags=0x10 class=c1a55001") == 1,
          "the provider got the query converted to Unicode");
    len = sizeof(buf);
    CHECK(WSALookupServiceNextA(h, 0, &len, r) == 0, "WSALookupServiceNextA (error %d)", WSAGetLastError());
    CHECK(r->lpszServiceInstanceName && !strcmp(r->lpszServiceInstanceName, "ansi#0@7e570001"), "ANSI name %s",
          r->lpszServiceInstanceName ? r->lpszServiceInstanceName : "(null)");
    CHECK(r->lpszComment && !strcmp(r->lpszComment, "tp_nsp comment"), "ANSI comment");
    CHECK(r->lpNSProviderId && IsEqualGUID(r->lpNSProviderId, &ns_guid_a) && r->dwNameSpace == 1000 &&
          r->lpVersion && r->lpVersion->dwVersion == 0, "provider id, namespace, version copied");
    CHECK(r->dwNumberOfCsAddrs == 1 && ((SOCKADDR_IN *)r->lpcsaBuffer->RemoteAddr.lpSockaddr)->sin_port == htons(5000) &&
          r->lpBlob && r->lpBlob->cbSize == 5 && r->lpBlob->pBlobData[1] == 1, "addresses and BLOB copied");
    CHECK((BYTE *)r->lpszServiceInstanceName > buf && (BYTE *)r->lpszServiceInstanceName < buf + len + sizeof(buf),
          "strings packed into the caller's buffer");

    /* ANSI short buffer: the size needed, then the same result */
    len = sizeof(WSAQUERYSETA);
    CHECK_FAIL(WSALookupServiceNextA(h, 0, &len, r), SOCKET_ERROR, WSAEFAULT);
    need_a = len;
    CHECK(need_a > sizeof(WSAQUERYSETA), "ANSI size needed %lu", (unsigned long)need_a);
    len = need_a - 1;
    CHECK_FAIL(WSALookupServiceNextA(h, 0, &len, r), SOCKET_ERROR, WSAEFAULT);
    CHECK(len == need_a, "still %lu", (unsigned long)len);
    len = need_a;
    CHECK(WSALookupServiceNextA(h, 0, &len, r) == 0 && !strcmp(r->lpszServiceInstanceName, "ansi#1@7e570001"),
          "exactly the size needed: #1 (%s)", r->lpszServiceInstanceName);
    /* a kept-back result goes to the W caller too */
    len = sizeof(WSAQUERYSETA);
    CHECK_FAIL(WSALookupServiceNextA(h, 0, &len, r), SOCKET_ERROR, WSAEFAULT);
    len = 8;
    CHECK_FAIL(WSALookupServiceNextW(h, 0, &len, rw), SOCKET_ERROR, WSAEFAULT);
    need_w = len;
    CHECK(need_w > need_a - 10, "Unicode size %lu for the kept result", (unsigned long)need_w);
    len = sizeof(buf);
    CHECK(WSALookupServiceNextW(h, 0, &len, rw) == 0 && !wcscmp(rw->lpszServiceInstanceName, L"ansi#0@7e570002"),
          "W gets the result the ANSI caller left (%ls)", rw->lpszServiceInstanceName);
    WSALookupServiceEnd(h);

    /* W query, A results */
    init_qs(&wqs, L"mix", 1001, &cls);
    CHECK(WSALookupServiceBeginW(&wqs, 0, &h) == 0, "Begin ns 1001");
    len = sizeof(buf);
    CHECK(WSALookupServiceNextA(h, 0, &len, r) == 0 && !strcmp(r->lpszServiceInstanceName, "mix#0@7e570003"), "C answered");
    WSALookupServiceEnd(h);
}

static void test_ioctl_setservice(void)
{
    WSAQUERYSETW qs;
    WSAQUERYSETA qa;
    HANDLE h;
    char out[16];
    DWORD ret = 0;

    init_qs(&qs, L"io", 1000, &cls);
    qs.lpNSProviderId = &ns_guid_a;
    CHECK(WSALookupServiceBeginW(&qs, 0, &h) == 0, "Begin for WSANSPIoctl");
    log_clear();
    memset(out, 0, sizeof(out));
    CHECK(WSANSPIoctl(h, SIO_NSP_NOTIFY_CHANGE, "abcd", 4, out, sizeof(out), &ret, NULL) == 0 && ret == 4 &&
          !memcmp(out, "abcd", 4), "WSANSPIoctl reached NSPIoctl (ret %lu)", (unsigned long)ret);
    {
        char expect[80];
        snprintf(expect, sizeof(expect), "NSPIoctl code=%#lx in=4 out=16", (unsigned long)SIO_NSP_NOTIFY_CHANGE);
        CHECK(count_in_log(expect) == 1, "NSPIoctl arguments: %s", get_log());
    }
    CHECK_FAIL(WSANSPIoctl(h, SIO_NSP_NOTIFY_CHANGE, "abcd", 4, out, sizeof(out), NULL, NULL), SOCKET_ERROR, WSAEFAULT);
    CHECK_FAIL(WSANSPIoctl(h, SIO_NSP_NOTIFY_CHANGE, NULL, 4, out, sizeof(out), &ret, NULL), SOCKET_ERROR, WSAEFAULT);
    WSALookupServiceEnd(h);
    CHECK_FAIL(WSANSPIoctl(h, SIO_NSP_NOTIFY_CHANGE, NULL, 0, NULL, 0, &ret, NULL), SOCKET_ERROR, WSA_INVALID_HANDLE);

    log_clear();
    init_qs(&qs, L"reg", 1001, &cls);
    CHECK(WSASetServiceW(&qs, RNRSERVICE_REGISTER, 0) == 0, "WSASetServiceW (error %d)", WSAGetLastError());
    CHECK(count_in_log("NSPSetService id=7e570003 name=reg op=0 flags=0 classinfo=c1a55001") == 1 &&
          count_in_log("NSPSetService id=7e570001") == 0, "NSPSetService reached C only: %s", get_log());
    memset(&qa, 0, sizeof(qa));
    qa.dwSize = sizeof(qa);
    qa.lpszServiceInstanceName = "rega";
    qa.dwNameSpace = 1000;
    qa.lpServiceClassId = &cls;
    CHECK(WSASetServiceA(&qa, RNRSERVICE_DELETE, SERVICE_MULTIPLE) == 0, "WSASetServiceA");
    CHECK(count_in_log("NSPSetService id=7e570001 name=rega op=2") == 1 && count_in_log("NSPSetService id=7e570002 name=rega op=2") == 1,
          "NSPSetService reached A and B with the converted name");
    CHECK_FAIL(WSASetServiceW(&qs, (WSAESETSERVICEOP)7, 0), SOCKET_ERROR, WSAEINVAL);
    CHECK_FAIL(WSASetServiceW(NULL, RNRSERVICE_REGISTER, 0), SOCKET_ERROR, WSAEINVAL);
    init_qs(&qs, L"reg", 4242, &cls);
    CHECK_FAIL(WSASetServiceW(&qs, RNRSERVICE_REGISTER, 0), SOCKET_ERROR, WSASERVICE_NOT_FOUND);
}

static void test_service_classes(void)
{
    WSASERVICECLASSINFOW info;
    WSASERVICECLASSINFOA infoa;
    static BYTE buf[2048];
    WSASERVICECLASSINFOW *out = (WSASERVICECLASSINFOW *)buf;
    WSASERVICECLASSINFOA *outa = (WSASERVICECLASSINFOA *)buf;
    WCHAR wname[64];
    char aname[64];
    DWORD len;

    memset(&info, 0, sizeof(info));
    info.lpServiceClassId = &cls2;
    info.lpszServiceClassName = L"TestClass";
    log_clear();
    CHECK(WSAInstallServiceClassW(&info) == 0, "WSAInstallServiceClassW (error %d)", WSAGetLastError());
    CHECK(count_in_log("NSPInstallServiceClass id=7e570001 class=c1a55002 name=TestClass count=0") == 1,
          "NSPInstallServiceClass reached the providers: %s", get_log());
    CHECK_FAIL(WSAInstallServiceClassW(NULL), SOCKET_ERROR, WSAEINVAL);

    len = 0;
    CHECK_FAIL(WSAGetServiceClassInfoW(&ns_guid_a, &cls2, &len, NULL), SOCKET_ERROR, WSAEFAULT);
    CHECK(len > sizeof(WSASERVICECLASSINFOW), "size needed %lu", (unsigned long)len);
    CHECK(WSAGetServiceClassInfoW(&ns_guid_a, &cls2, &len, out) == 0 && out->lpszServiceClassName &&
          !wcscmp(out->lpszServiceClassName, L"TestClass") && IsEqualGUID(out->lpServiceClassId, &cls2),
          "WSAGetServiceClassInfoW (error %d)", WSAGetLastError());
    len = sizeof(buf);
    CHECK(WSAGetServiceClassInfoA(&ns_guid_a, &cls2, &len, outa) == 0 && !strcmp(outa->lpszServiceClassName, "TestClass"),
          "WSAGetServiceClassInfoA");
    len = sizeof(buf);
    CHECK_FAIL(WSAGetServiceClassInfoW(&ns_guid_a, &cls, &len, out), SOCKET_ERROR, WSATYPE_NOT_FOUND);
    CHECK_FAIL(WSAGetServiceClassInfoW(&ns_guid_missing, &cls2, &len, out), SOCKET_ERROR, WSAEINVAL);
    CHECK_FAIL(WSAGetServiceClassInfoW(NULL, &cls2, &len, out), SOCKET_ERROR, WSAEINVAL);

    len = 4;
    CHECK_FAIL(WSAGetServiceClassNameByClassIdW(&cls2, wname, &len), SOCKET_ERROR, WSAEFAULT);
    CHECK(len == 10, "W name needs %lu characters", (unsigned long)len);
    len = 64;
    CHECK(WSAGetServiceClassNameByClassIdW(&cls2, wname, &len) == 0 && !wcscmp(wname, L"TestClass") && len == 10,
          "WSAGetServiceClassNameByClassIdW (len %lu)", (unsigned long)len);
    CHECK_FAIL(WSAGetServiceClassNameByClassIdW(NULL, wname, &len), SOCKET_ERROR, WSA_INVALID_PARAMETER);
    CHECK_FAIL(WSAGetServiceClassNameByClassIdW(&cls2, wname, NULL), SOCKET_ERROR, WSAEFAULT);
    len = sizeof(aname);
    CHECK(WSAGetServiceClassNameByClassIdA(&cls2, aname, &len) == 0 && !strcmp(aname, "TestClass") && len == 10,
          "WSAGetServiceClassNameByClassIdA (len %lu)", (unsigned long)len);

    log_clear();
    CHECK(WSARemoveServiceClass(&cls2) == 0, "WSARemoveServiceClass");
    CHECK(count_in_log("NSPRemoveServiceClass id=7e570001 class=c1a55002") == 1, "NSPRemoveServiceClass reached A");
    CHECK_FAIL(WSARemoveServiceClass(&cls2), SOCKET_ERROR, WSATYPE_NOT_FOUND);
    CHECK_FAIL(WSARemoveServiceClass(NULL), SOCKET_ERROR, WSAEINVAL);
    len = sizeof(aname);
    CHECK_FAIL(WSAGetServiceClassNameByClassIdA(&cls2, aname, &len), SOCKET_ERROR, WSANO_DATA);

    memset(&infoa, 0, sizeof(infoa));
    infoa.lpServiceClassId = &cls2;
    infoa.lpszServiceClassName = "AnsiClass";
    CHECK(WSAInstallServiceClassA(&infoa) == 0, "WSAInstallServiceClassA");
    len = 64;
    CHECK(WSAGetServiceClassNameByClassIdW(&cls2, wname, &len) == 0 && !wcscmp(wname, L"AnsiClass"), "converted class name");
    WSARemoveServiceClass(&cls2);
}

/* Threads looking up at once: every lookup gets all four answers; WSALookupServiceEnd racing a
 * WSALookupServiceNext on the same handle from another thread never crashes. */
static volatile LONG thread_errors;

static DWORD WINAPI lookup_thread(void *param)
{
    int i;
    (void)param;
    for (i = 0; i < 100; i++)
    {
        WSAQUERYSETW qs;
        HANDLE h;
        char names[512];
        init_qs(&qs, L"thr", 1000, &cls);
        if (WSALookupServiceBeginW(&qs, 0, &h)) { InterlockedIncrement(&thread_errors); continue; }
        if (drain_w_local(h, names, sizeof(names)) != 4) InterlockedIncrement(&thread_errors);
        if (WSALookupServiceEnd(h)) InterlockedIncrement(&thread_errors);
    }
    return 0;
}

static HANDLE race_handle;
static DWORD WINAPI race_next_thread(void *param)
{
    BYTE buf[2048];
    int i;
    (void)param;
    for (i = 0; i < 20; i++)
    {
        DWORD len = sizeof(buf);
        int ret = WSALookupServiceNextW(race_handle, 0, &len, (WSAQUERYSETW *)buf);
        int err = ret ? WSAGetLastError() : 0;
        if (ret && err != WSA_E_NO_MORE && err != WSA_INVALID_HANDLE && err != WSA_E_CANCELLED)
            InterlockedIncrement(&thread_errors);
    }
    return 0;
}

static void test_threads(void)
{
    HANDLE threads[8];
    int i, round;

    thread_errors = 0;
    for (i = 0; i < 8; i++) threads[i] = CreateThread(NULL, 0, lookup_thread, NULL, 0, NULL);
    WaitForMultipleObjects(8, threads, TRUE, 60000);
    for (i = 0; i < 8; i++) CloseHandle(threads[i]);
    CHECK(thread_errors == 0, "8 threads x 100 lookups: %ld errors", thread_errors);

    thread_errors = 0;
    for (round = 0; round < 50; round++)
    {
        WSAQUERYSETW qs;
        HANDLE t;
        init_qs(&qs, L"race", 1000, &cls);
        if (WSALookupServiceBeginW(&qs, 0, &race_handle)) { thread_errors++; continue; }
        t = CreateThread(NULL, 0, race_next_thread, NULL, 0, NULL);
        if (round & 1) Sleep(0);
        if (WSALookupServiceEnd(race_handle)) thread_errors++;
        WaitForSingleObject(t, 10000);
        CloseHandle(t);
    }
    CHECK(thread_errors == 0, "50 rounds of End racing Next: %ld unexpected errors", thread_errors);
}

/* ---- an NSPv2 provider advertised by this process ---- */
#undef WSAAdvertiseProvider
typedef INT (WSAAPI *advertise_fn)(const GUID *id, const NSPV2_ROUTINE *routine);
static GUID ns_guid_e = {0x7e570005, 0x0a0a, 0x4b4b, {0x8c, 0x8c, 1, 2, 3, 4, 5, 6}};
static LONG v2_startups, v2_cleanups, v2_begins, v2_nexts, v2_ends, v2_sets;
static int v2_session_tag;
static WCHAR v2_name[64];
static int v2_last_op = -1;

static int WSAAPI v2_startup(LPGUID id, LPVOID *session)
{
    InterlockedIncrement(&v2_startups);
    *session = &v2_session_tag;
    return IsEqualGUID(id, &ns_guid_e) ? 0 : SOCKET_ERROR;
}
static int WSAAPI v2_cleanup(LPGUID id, LPVOID session)
{
    (void)id;
    if (session == &v2_session_tag) InterlockedIncrement(&v2_cleanups);
    return 0;
}
struct v2_lookup { int next; };
static int WSAAPI v2_begin(LPGUID id, LPWSAQUERYSET2W qs, DWORD flags, LPVOID session, LPHANDLE h)
{
    struct v2_lookup *l;
    (void)flags;
    InterlockedIncrement(&v2_begins);
    if (!IsEqualGUID(id, &ns_guid_e) || session != &v2_session_tag || !qs || qs->dwSize != sizeof(WSAQUERYSET2W))
    {
        WSASetLastError(WSAEINVAL);
        return SOCKET_ERROR;
    }
    wcsncpy(v2_name, qs->lpszServiceInstanceName ? qs->lpszServiceInstanceName : L"", 63);
    l = calloc(1, sizeof(*l));
    *h = l;
    return 0;
}
static int WSAAPI v2_next(HANDLE async, HANDLE h, DWORD flags, LPDWORD len, LPWSAQUERYSET2W out)
{
    struct v2_lookup *l = h;
    static WCHAR name[] = L"v2-answer";
    DWORD need = sizeof(WSAQUERYSET2W) + sizeof(name);
    (void)flags;
    InterlockedIncrement(&v2_nexts);
    if (async || l->next >= 1)
    {
        WSASetLastError(async ? WSAEINVAL : WSA_E_NO_MORE);
        return SOCKET_ERROR;
    }
    if (*len < need)
    {
        *len = need;
        WSASetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    memset(out, 0, sizeof(*out));
    out->dwSize = sizeof(*out);
    out->dwNameSpace = 1010;
    out->lpszServiceInstanceName = (WCHAR *)(out + 1);
    memcpy(out + 1, name, sizeof(name));
    out->lpNSProviderId = &ns_guid_e;
    l->next++;
    return 0;
}
static int WSAAPI v2_end(HANDLE h)
{
    InterlockedIncrement(&v2_ends);
    free(h);
    return 0;
}
static int WSAAPI v2_set(HANDLE async, LPGUID id, LPWSAQUERYSET2W qs, WSAESETSERVICEOP op, DWORD flags, LPVOID session)
{
    (void)async; (void)id; (void)qs; (void)flags; (void)session;
    InterlockedIncrement(&v2_sets);
    v2_last_op = (int)op;
    return 0;
}

static void test_nspv2(void)
{
    advertise_fn advertise = (advertise_fn)(void *)GetProcAddress(GetModuleHandleW(L"ws2_32.dll"), "WSAAdvertiseProvider");
    NSPV2_ROUTINE r, bad;
    WCHAR path[MAX_PATH];
    WSAQUERYSETW qs;
    HANDLE h;
    static BYTE buf[4096];
    WSAQUERYSETW *res = (WSAQUERYSETW *)buf;
    DWORD len, ret;
    char names[256];

    memset(&r, 0, sizeof(r));
    r.cbSize = sizeof(r);
    r.dwMajorVersion = 2;
    r.NSPv2Startup = v2_startup;
    r.NSPv2Cleanup = v2_cleanup;
    r.NSPv2LookupServiceBegin = v2_begin;
    r.NSPv2LookupServiceNextEx = v2_next;
    r.NSPv2LookupServiceEnd = v2_end;
    r.NSPv2SetServiceEx = v2_set;
    bad = r;
    bad.NSPv2LookupServiceNextEx = NULL;
    CHECK(advertise != NULL, "WSAAdvertiseProvider exported");
    if (!advertise) return;
    ns_local_path(L"tp_nsp.dll", path, MAX_PATH);
    CHECK(WSCInstallNameSpaceEx2(&ns_guid_e, L"openws2 test NSPv2", path, 1010, 2, NULL) == 0, "WSCInstallNameSpaceEx2 E");

    CHECK_FAIL(advertise(NULL, &r), SOCKET_ERROR, WSAEINVAL);
    CHECK_FAIL(advertise(&ns_guid_e, NULL), SOCKET_ERROR, WSAEINVAL);
    CHECK_FAIL(advertise(&ns_guid_e, &bad), SOCKET_ERROR, WSAEINVAL);
    CHECK_FAIL(advertise(&ns_guid_missing, &r), SOCKET_ERROR, WSAEINVALIDPROVIDER);
    CHECK(advertise(&ns_guid_e, &r) == 0, "WSAAdvertiseProvider(E) (error %d)", WSAGetLastError());
    CHECK_FAIL(advertise(&ns_guid_e, &r), SOCKET_ERROR, WSAEALREADY);
    CHECK(v2_startups == 0, "NSPv2Startup not before the first use");

    init_qs(&qs, L"v2q", 1010, &cls);
    CHECK(WSALookupServiceBeginW(&qs, 0, &h) == 0, "lookup in E's namespace (error %d)", WSAGetLastError());
    CHECK(v2_startups == 1 && v2_begins == 1 && !wcscmp(v2_name, L"v2q"), "NSPv2Startup once, NSPv2LookupServiceBegin got the name");
    len = sizeof(WSAQUERYSETW);
    CHECK_FAIL(WSALookupServiceNextW(h, 0, &len, res), SOCKET_ERROR, WSAEFAULT);
    CHECK(len > sizeof(WSAQUERYSETW), "size needed %lu", (unsigned long)len);
    len = sizeof(buf);
    CHECK(WSALookupServiceNextW(h, 0, &len, res) == 0 && res->lpszServiceInstanceName &&
          !wcscmp(res->lpszServiceInstanceName, L"v2-answer") && res->dwNameSpace == 1010 && res->lpServiceClassId &&
          IsEqualGUID(res->lpServiceClassId, &cls) && IsEqualGUID(res->lpNSProviderId, &ns_guid_e),
          "the NSPv2 answer as a WSAQUERYSETW (kept through the short buffer)");
    len = sizeof(buf);
    CHECK_FAIL(WSALookupServiceNextW(h, 0, &len, res), SOCKET_ERROR, WSA_E_NO_MORE);
    CHECK_FAIL(WSANSPIoctl(h, SIO_NSP_NOTIFY_CHANGE, NULL, 0, NULL, 0, &ret, NULL), SOCKET_ERROR, WSA_E_NO_MORE);
    CHECK(WSALookupServiceEnd(h) == 0 && v2_ends == 1, "NSPv2LookupServiceEnd");
    CHECK(WSALookupServiceBeginW(&qs, 0, &h) == 0, "second lookup");
    CHECK_FAIL(WSANSPIoctl(h, SIO_NSP_NOTIFY_CHANGE, NULL, 0, NULL, 0, &ret, NULL), SOCKET_ERROR, WSAEOPNOTSUPP);
    len = sizeof(buf);
    CHECK(WSALookupServiceNextA(h, 0, &len, (WSAQUERYSETA *)buf) == 0 &&
          !strcmp(((WSAQUERYSETA *)buf)->lpszServiceInstanceName, "v2-answer"), "ANSI result from NSPv2");
    WSALookupServiceEnd(h);
    CHECK(v2_startups == 1, "still one NSPv2Startup");

    init_qs(&qs, L"v2set", 1010, &cls);
    CHECK(WSASetServiceW(&qs, RNRSERVICE_DEREGISTER, 0) == 0 && v2_sets == 1 && v2_last_op == RNRSERVICE_DEREGISTER,
          "WSASetService reached NSPv2SetServiceEx");

    CHECK(WSAUnadvertiseProvider(&ns_guid_e) == 0 && v2_cleanups == 1, "WSAUnadvertiseProvider: NSPv2Cleanup");
    CHECK_FAIL(WSAUnadvertiseProvider(&ns_guid_e), SOCKET_ERROR, WSAEINVAL);
    CHECK_FAIL(WSAUnadvertiseProvider(NULL), SOCKET_ERROR, WSAEINVAL);
    /* not advertised any more: the catalog entry's DLL (tp_nsp, an NSPv1 provider) answers */
    init_qs(&qs, L"after", 1010, &cls);
    CHECK(WSALookupServiceBeginW(&qs, 0, &h) == 0, "lookup after unadvertising");
    CHECK(drain_w(h, names, sizeof(names)) == 2 && !strcmp(names, "after#0@7e570005;after#1@7e570005;"),
          "answered by the DLL: %s", names);
    WSALookupServiceEnd(h);
    CHECK(v2_begins == 2, "the NSPv2 routines not called after unadvertising");

    /* advertised again and used: cleaned up at the last WSACleanup (test_cleanup) */
    CHECK(advertise(&ns_guid_e, &r) == 0, "advertised again");
    init_qs(&qs, L"v2q", 1010, &cls);
    CHECK(WSALookupServiceBeginW(&qs, 0, &h) == 0 && v2_startups == 2, "started again");
    WSALookupServiceEnd(h);
}

/* ---- a catalog change by another process is seen by this running one ---- */
static GUID ns_guid_f = {0x7e570006, 0x0a0a, 0x4b4b, {0x8c, 0x8c, 1, 2, 3, 4, 5, 6}};

static int child_main(const char *what)
{
    WCHAR path[MAX_PATH];
    ns_local_path(L"tp_nsp.dll", path, MAX_PATH);
    if (!strcmp(what, "child-install")) return WSCInstallNameSpace(L"openws2 test NSP F", path, 1020, 1, &ns_guid_f) ? 1 : 0;
    if (!strcmp(what, "child-uninstall")) return WSCUnInstallNameSpace(&ns_guid_f) ? 1 : 0;
    return 2;
}

static DWORD run_child(const WCHAR *arg)
{
    WCHAR exe[MAX_PATH], cmd[MAX_PATH + 64];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    DWORD code = 99;

    GetModuleFileNameW(NULL, exe, MAX_PATH);
    swprintf(cmd, MAX_PATH + 64, L"\"%ls\" %ls", exe, arg);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    if (!CreateProcessW(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return 98;
    WaitForSingleObject(pi.hProcess, 60000);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return code;
}

static void test_other_process(void)
{
    WSAQUERYSETW qs;
    HANDLE h;
    char names[256];
    int i, ret = SOCKET_ERROR;

    init_qs(&qs, L"xp", 1020, &cls);
    CHECK_FAIL(WSALookupServiceBeginW(&qs, 0, &h), SOCKET_ERROR, WSASERVICE_NOT_FOUND);
    CHECK(run_child(L"child-install") == 0, "another process installed F (ns 1020)");
    /* the change is seen at once or, at worst, after the catalog's polling interval */
    for (i = 0; i < 20 && ret; i++)
    {
        if ((ret = WSALookupServiceBeginW(&qs, 0, &h))) Sleep(50);
    }
    CHECK(ret == 0, "this running process reaches F (after %d tries)", i);
    if (!ret)
    {
        CHECK(drain_w(h, names, sizeof(names)) == 2 && !strcmp(names, "xp#0@7e570006;xp#1@7e570006;"), "F answered: %s", names);
        WSALookupServiceEnd(h);
    }
    CHECK(run_child(L"child-uninstall") == 0, "another process uninstalled F");
    for (i = 0, ret = 0; i < 20 && !ret; i++)
    {
        if (!(ret = WSALookupServiceBeginW(&qs, 0, &h)))
        {
            WSALookupServiceEnd(h);
            Sleep(50);
        }
    }
    CHECK(ret == SOCKET_ERROR && WSAGetLastError() == WSASERVICE_NOT_FOUND, "F gone for this process too");
}

static void test_cleanup(void)
{
    WSADATA data;
    WSAQUERYSETW qs;
    HANDLE h;
    LONG s0, c0, o0, s1, c1, o1;

    tp_counts(&s0, &c0, &o0);
    CHECK(WSAStartup(MAKEWORD(2, 2), &data) == 0, "second WSAStartup");
    init_qs(&qs, L"open", NS_ALL, &cls);
    CHECK(WSALookupServiceBeginW(&qs, 0, &h) == 0, "a lookup left open");
    tp_counts(NULL, NULL, &o1);
    CHECK(o1 == o0 + 3, "3 provider lookups open (%ld)", o1);
    log_clear();
    CHECK(WSACleanup() == 0, "WSACleanup (not the last)");
    tp_counts(&s1, &c1, &o1);
    CHECK(c1 == c0 && count_in_log("NSPCleanup") == 0, "no NSPCleanup before the last WSACleanup");
    CHECK(WSACleanup() == 0, "the last WSACleanup");
    tp_counts(&s1, &c1, &o1);
    /* A, B, C, E's DLL (loaded while E was not advertised) and F (uninstalled meanwhile, still loaded) */
    CHECK(c1 == c0 + 5 && count_in_log("NSPCleanup id=7e570001") == 1 && count_in_log("NSPCleanup id=7e570002") == 1 &&
          count_in_log("NSPCleanup id=7e570003") == 1 && count_in_log("NSPCleanup id=7e570005") == 1 &&
          count_in_log("NSPCleanup id=7e570006") == 1,
          "NSPCleanup once per loaded provider (%ld -> %ld)", c0, c1);
    CHECK(o1 == o0, "open lookups ended (%ld, %ld before)", o1, o0);
    CHECK(count_in_log("NSPLookupServiceEnd") == 3, "NSPLookupServiceEnd for the open lookup's providers");
    CHECK(strstr(get_log(), "NSPLookupServiceEnd") < strstr(get_log(), "NSPCleanup"), "lookups ended before NSPCleanup");
    CHECK_FAIL(WSALookupServiceEnd(h), SOCKET_ERROR, WSANOTINITIALISED);
    CHECK(s1 == s0, "no new NSPStartup");
    CHECK(v2_cleanups == 2, "NSPv2Cleanup at the last WSACleanup (%ld)", v2_cleanups);
}

static int begin_one(GUID *id)
{
    WSAQUERYSETW qs;
    HANDLE h;
    init_qs(&qs, L"knob", 1000, &cls);
    qs.lpNSProviderId = id;
    if (WSALookupServiceBeginW(&qs, 0, &h)) return WSAGetLastError();
    WSALookupServiceEnd(h);
    return 0;
}

static void test_loader_failures(void)
{
    WSADATA data;
    WSAQUERYSETW qs;
    HANDLE h;
    DWORD ret;
    char size[16];

    log_clear();
    SetEnvironmentVariableA("OPENWS2_TP_NSP_FAIL", "10091");
    WSAStartup(MAKEWORD(2, 2), &data);
    CHECK(begin_one(&ns_guid_a) == WSASYSNOTREADY, "NSPStartup's own error comes back");
    CHECK(begin_one(&ns_guid_a) == WSASYSNOTREADY && count_in_log("NSPStartup id=7e570001") == 2,
          "a failed load is retried at the next use");
    WSACleanup();
    SetEnvironmentVariableA("OPENWS2_TP_NSP_FAIL", NULL);

    log_clear();
    SetEnvironmentVariableA("OPENWS2_TP_NSP_NULL", "2");
    WSAStartup(MAKEWORD(2, 2), &data);
    CHECK(begin_one(&ns_guid_a) == WSAEINVALIDPROCTABLE, "a NULL routine: WSAEINVALIDPROCTABLE");
    CHECK(count_in_log("NSPCleanup id=7e570001") == 1, "the refused provider was cleaned up");
    WSACleanup();
    SetEnvironmentVariableA("OPENWS2_TP_NSP_NULL", NULL);

    SetEnvironmentVariableA("OPENWS2_TP_NSP_MAJOR", "0");
    WSAStartup(MAKEWORD(2, 2), &data);
    CHECK(begin_one(&ns_guid_a) == WSAVERNOTSUPPORTED, "version 0: WSAVERNOTSUPPORTED");
    WSACleanup();
    SetEnvironmentVariableA("OPENWS2_TP_NSP_MAJOR", "4");
    WSAStartup(MAKEWORD(2, 2), &data);
    CHECK(begin_one(&ns_guid_a) == 0, "version 4 accepted");
    WSACleanup();
    SetEnvironmentVariableA("OPENWS2_TP_NSP_MAJOR", NULL);

    SetEnvironmentVariableA("OPENWS2_TP_NSP_SIZE", "4");
    WSAStartup(MAKEWORD(2, 2), &data);
    CHECK(begin_one(&ns_guid_a) == WSAEINVALIDPROCTABLE, "cbSize 4: WSAEINVALIDPROCTABLE");
    WSACleanup();
    snprintf(size, sizeof(size), "%u", (unsigned)offsetof(NSP_ROUTINE, NSPIoctl));
    SetEnvironmentVariableA("OPENWS2_TP_NSP_SIZE", size);
    WSAStartup(MAKEWORD(2, 2), &data);
    init_qs(&qs, L"old", 1000, &cls);
    qs.lpNSProviderId = &ns_guid_a;
    CHECK(WSALookupServiceBeginW(&qs, 0, &h) == 0, "a pre-XP sized table (no NSPIoctl) loads");
    CHECK_FAIL(WSANSPIoctl(h, SIO_NSP_NOTIFY_CHANGE, NULL, 0, NULL, 0, &ret, NULL), SOCKET_ERROR, WSAEOPNOTSUPP);
    WSALookupServiceEnd(h);
    WSACleanup();
    SetEnvironmentVariableA("OPENWS2_TP_NSP_SIZE", NULL);

    CHECK(WSCInstallNameSpace(L"openws2 missing NSP", L"C:\\openws2-missing\\nsp.dll", 1000, 1, &ns_guid_d) == 0,
          "install a provider whose DLL is missing");
    WSAStartup(MAKEWORD(2, 2), &data);
    CHECK(begin_one(&ns_guid_d) == WSAEPROVIDERFAILEDINIT, "missing DLL: WSAEPROVIDERFAILEDINIT");
    {
        char names[512];
        int n;
        init_qs(&qs, L"skip", 1000, &cls);
        CHECK(WSALookupServiceBeginW(&qs, 0, &h) == 0, "the broken provider is skipped in a namespace lookup");
        n = drain_w(h, names, sizeof(names));
        CHECK(n == 4, "A and B still answer: %s", names);
        WSALookupServiceEnd(h);
    }
    WSACleanup();
    CHECK(WSCUnInstallNameSpace(&ns_guid_d) == 0, "uninstall it");
}

int main(int argc, char **argv)
{
    WSADATA data;
    WCHAR path[MAX_PATH];
    WSAQUERYSETW qs;
    HANDLE h;
    HMODULE tp;
    DWORD len = 0;
    size_t before_len, after_len;
    char *before, *after;

    if (argc > 1) return child_main(argv[1]);
    ns_local_path(L"tp_nsp.dll", path, MAX_PATH);
    tp = LoadLibraryW(path);
    CHECK(tp != NULL, "tp_nsp.dll loaded for its log");
    if (!tp) return ns_done("ns_lookup_e2e");
    log_read = (log_read_fn)(void *)GetProcAddress(tp, "tp_log_read");
    log_clear = (log_clear_fn)(void *)GetProcAddress(tp, "tp_log_clear");
    tp_counts = (counts_fn)(void *)GetProcAddress(tp, "tp_nsp_counts");
    CHECK(log_read && log_clear && tp_counts, "tp_nsp exports");
    if (!log_read || !log_clear || !tp_counts) return ns_done("ns_lookup_e2e");

    init_qs(&qs, L"svc", 1000, &cls);
    CHECK_FAIL(WSALookupServiceBeginW(&qs, 0, &h), SOCKET_ERROR, WSANOTINITIALISED);
    CHECK_FAIL(WSALookupServiceNextW((HANDLE)1, 0, &len, NULL), SOCKET_ERROR, WSANOTINITIALISED);
    CHECK_FAIL(WSALookupServiceEnd((HANDLE)1), SOCKET_ERROR, WSANOTINITIALISED);
    CHECK_FAIL(WSASetServiceW(&qs, RNRSERVICE_REGISTER, 0), SOCKET_ERROR, WSANOTINITIALISED);

    before = ns_dump_catalog(&before_len);
    CHECK(WSCInstallNameSpace(L"openws2 test NSP A", path, 1000, 1, &ns_guid_a) == 0, "install A (ns 1000)");
    CHECK(WSCInstallNameSpace(L"openws2 test NSP B", path, 1000, 1, &ns_guid_b) == 0, "install B (ns 1000)");
    CHECK(WSCInstallNameSpace(L"openws2 test NSP C", path, 1001, 1, &ns_guid_c) == 0, "install C (ns 1001)");

    CHECK(WSAStartup(MAKEWORD(2, 2), &data) == 0, "WSAStartup");
    test_args();
    test_lookup_w();
    test_lookup_a();
    test_ioctl_setservice();
    test_service_classes();
    test_threads();
    test_other_process();
    test_nspv2();
    test_cleanup();
    test_loader_failures();

    CHECK(WSAUnadvertiseProvider(&ns_guid_e) == 0, "unadvertise E");
    CHECK(WSCUnInstallNameSpaceEx2(&ns_guid_e) == 0, "uninstall E");
    CHECK(WSCUnInstallNameSpace(&ns_guid_a) == 0 && WSCUnInstallNameSpace(&ns_guid_b) == 0 &&
          WSCUnInstallNameSpace(&ns_guid_c) == 0, "uninstall A, B, C");
    after = ns_dump_catalog(&after_len);
    CHECK(after_len == before_len && !memcmp(before, after, before_len), "catalog restored byte for byte");
    free(before);
    free(after);
    return ns_done("ns_lookup_e2e");
}
