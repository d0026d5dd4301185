/* nsp_ws2.c - end-to-end test of openws2nsp.dll reached the way applications reach it: through
 * our ws2_32's WSALookupServiceBegin/Next/End (A and W) and the default namespace catalog, which
 * lists %SystemRoot%\system32\openws2nsp.dll for NS_DNS; answers from the test hosts file and the
 * loopback DNS test server, errors (WSAHOST_NOT_FOUND, WSATRY_AGAIN, WSAEFAULT with the size).
 * Usage: nsp_ws2 PORT BLACKHOLE_PORT DEAD_PORT QUERY_LOG (with-dnsserver.sh fills them in).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "nsp_e2e.h"

static const GUID g_hostname = SVCID_HOSTNAME, g_byname = SVCID_INET_HOSTADDRBYNAME;
static const GUID g_byaddr = SVCID_INET_HOSTADDRBYINETSTRING, g_aaaa = SVCID_DNS_TYPE_AAAA;

#define RET_HOST (LUP_RETURN_NAME | LUP_RETURN_ADDR | LUP_RETURN_BLOB)

static union { WSAQUERYSETW w; WSAQUERYSETA a; char bytes[32768]; } res;

static int begin_w(const GUID *cls, const WCHAR *name, DWORD ns, DWORD flags, HANDLE *h)
{
    WSAQUERYSETW qs;
    memset(&qs, 0, sizeof(qs));
    qs.dwSize = sizeof(qs);
    qs.lpServiceClassId = (GUID *)cls;
    qs.dwNameSpace = ns;
    qs.lpszServiceInstanceName = (WCHAR *)name;
    *h = NULL;
    WSASetLastError(0);
    return WSALookupServiceBeginW(&qs, flags, h) ? WSAGetLastError() : 0;
}

/* Begin + Next (W) into res + End. */
static int lookup_w(const GUID *cls, const WCHAR *name, DWORD ns, DWORD flags)
{
    HANDLE h;
    DWORD len = sizeof(res);
    int err = begin_w(cls, name, ns, flags, &h);
    if (err) return err;
    WSASetLastError(0);
    err = WSALookupServiceNextW(h, 0, &len, &res.w) ? WSAGetLastError() : 0;
    WSALookupServiceEnd(h);
    return err;
}

static const char *name_w(void)
{
    static char buf[512];
    const char *n = nsp_wide_to_ascii(res.w.lpszServiceInstanceName, buf, sizeof(buf));
    return n ? n : "(null)";
}

static const char *addrs_w(void)
{
    static char buf[4096];
    return nsp_csaddr_text(&res.w, buf, sizeof(buf));
}

static const char hosts_content[] =
    "# openws2 nsp_ws2 test hosts file\n"
    "192.0.2.210 ws2hosts.test.example ws2alias\n";

int main(int argc, char **argv)
{
    struct nsp_hostent_view v;
    WSAQUERYSETA qa;
    WSADATA wsa;
    HANDLE h;
    DWORD len, need, t0;
    char line[64];
    int err;

    if (argc < 5)
    {
        printf("usage: nsp_ws2 PORT BLACKHOLE DEAD QUERY_LOG\n");
        return 2;
    }
    nsp_set_log(argv[4]);
    snprintf(line, sizeof(line), "127.0.0.1:%s", argv[1]);
    nsp_set_config(line, 500, 2);
    nsp_set_cache_ttl(0);
    CHECK(!nsp_install_hosts(hosts_content), "test hosts file installed");
    CHECK(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup");

    err = lookup_w(&g_byname, L"www.test.example", NS_ALL, RET_HOST);
    CHECK(!err && !strcmp(name_w(), "www.test.example") && !strcmp(addrs_w(), "192.0.2.10,192.0.2.11"),
          "WSALookupServiceW(NS_ALL, INET_HOSTADDRBYNAME) answered from DNS (%d, %s)", err, err ? "" : addrs_w());
    CHECK(GetModuleHandleA("openws2nsp.dll") != NULL, "openws2nsp.dll was loaded by ws2_32's namespace catalog");
    CHECK(nsp_log_count("udp www.test.example 1") >= 1, "the DNS test server saw the question");
    err = lookup_w(&g_aaaa, L"www.test.example", NS_DNS, RET_HOST);
    CHECK(!err && !strcmp(addrs_w(), "2001:db8:0:0:0:0:0:10"), "NS_DNS, SVCID_DNS_TYPE_AAAA (%d)", err);

    /* ANSI, from the hosts file, with the hostent blob */
    memset(&qa, 0, sizeof(qa));
    qa.dwSize = sizeof(qa);
    qa.lpServiceClassId = (GUID *)&g_byname;
    qa.dwNameSpace = NS_DNS;
    qa.lpszServiceInstanceName = (char *)"ws2hosts.test.example";
    err = WSALookupServiceBeginA(&qa, RET_HOST | LUP_RETURN_ALIASES, &h) ? WSAGetLastError() : 0;
    CHECK(!err, "WSALookupServiceBeginA (%d)", err);
    len = 8;
    WSASetLastError(0);
    err = WSALookupServiceNextA(h, 0, &len, &res.a) ? WSAGetLastError() : 0;
    need = len;
    CHECK(err == WSAEFAULT && need > sizeof(WSAQUERYSETA), "short buffer -> WSAEFAULT with the size (%d, %lu)", err,
          (unsigned long)need);
    len = need;
    WSASetLastError(0);
    err = WSALookupServiceNextA(h, 0, &len, &res.a) ? WSAGetLastError() : 0;
    CHECK(!err && res.a.lpszServiceInstanceName && !strcmp(res.a.lpszServiceInstanceName, "ws2hosts.test.example"),
          "WSALookupServiceNextA with that size: the hosts entry (%d)", err);
    CHECK(!err && !nsp_decode_hostent(res.a.lpBlob, &v) && !strcmp(v.name, "ws2hosts.test.example") &&
          v.addr_count == 1 && !memcmp(v.addrs[0], "\xc0\x00\x02\xd2", 4) && v.alias_count == 1 &&
          !strcmp(v.aliases[0], "ws2alias"), "hostent blob through ws2_32");
    len = sizeof(res);
    err = WSALookupServiceNextA(h, 0, &len, &res.a) ? WSAGetLastError() : 0;
    CHECK(!err && (res.a.dwOutputFlags & RESULT_IS_ALIAS) && !strcmp(res.a.lpszServiceInstanceName, "ws2alias"),
          "alias result (%d)", err);
    len = sizeof(res);
    err = WSALookupServiceNextA(h, 0, &len, &res.a) ? WSAGetLastError() : 0;
    CHECK(err == WSA_E_NO_MORE, "then WSA_E_NO_MORE (%d)", err);
    CHECK(!WSALookupServiceEnd(h), "WSALookupServiceEnd");

    err = lookup_w(&g_byname, L"nx.test.example", NS_ALL, RET_HOST);
    CHECK(err == WSAHOST_NOT_FOUND, "NXDOMAIN through ws2_32 -> WSAHOST_NOT_FOUND (%d)", err);
    t0 = GetTickCount();
    err = lookup_w(&g_byname, L"silent.test.example", NS_ALL, RET_HOST);
    CHECK(err == WSATRY_AGAIN && GetTickCount() - t0 >= 950, "timeout through ws2_32 -> WSATRY_AGAIN (%d)", err);
    err = lookup_w(&g_byaddr, L"192.0.2.10", NS_ALL, RET_HOST);
    CHECK(!err && !strcmp(name_w(), "www.test.example"), "reverse lookup through ws2_32 (%d, %s)", err, err ? "" : name_w());
    err = lookup_w(&g_hostname, NULL, NS_ALL, LUP_RETURN_NAME);
    CHECK(!err && res.w.lpszServiceInstanceName && res.w.lpszServiceInstanceName[0], "SVCID_HOSTNAME: the local name (%d, %s)",
          err, err ? "" : name_w());
    err = lookup_w(&g_byname, L"localhost", NS_ALL, RET_HOST);
    CHECK(!err && !strcmp(addrs_w(), "127.0.0.1"), "localhost (%d, %s)", err, err ? "" : addrs_w());

    WSACleanup();
    nsp_restore_hosts();
    nsp_clear_config();
    return nsp_done("nsp_ws2");
}
