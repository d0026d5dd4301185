/* nsp_direct.c - end-to-end test of openws2nsp.dll called directly (LoadLibrary + NSPStartup +
 * the NSP_ROUTINE entry points) under Wine, against the loopback DNS test server
 * (tests/dnsserver) and a test hosts file: argument errors, hosts answers (prefix and host
 * /etc/hosts), localhost and the local host name, DNS A/AAAA, CNAME chains, NXDOMAIN, no data,
 * SERVFAIL/REFUSED, truncation with TCP fallback, timeouts with retries, malformed and mismatched
 * replies, several servers, reverse lookups, services, short buffers (WSAEFAULT + size),
 * LUP_FLUSHPREVIOUS, cancellation by NSPLookupServiceEnd, the read-only SPI calls.
 * Usage: nsp_direct PORT BLACKHOLE_PORT DEAD_PORT QUERY_LOG (with-dnsserver.sh fills them in).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "nsp_e2e.h"

static NSP_ROUTINE R;
static GUID provider = { 0x6f70656e, 0x7773, 0x4e53, { 0x50, 0x74, 0x65, 0x73, 0x74, 0x00, 0x00, 0x01 } };
static const GUID g_hostname = SVCID_HOSTNAME, g_byname = SVCID_INET_HOSTADDRBYNAME;
static const GUID g_byaddr = SVCID_INET_HOSTADDRBYINETSTRING, g_service = SVCID_INET_SERVICEBYNAME;
static const GUID g_a = SVCID_DNS_TYPE_A, g_aaaa = SVCID_DNS_TYPE_AAAA, g_ptr = SVCID_DNS_TYPE_PTR;
static const GUID g_unknown = { 0x12345678, 0x1234, 0x1234, { 1, 2, 3, 4, 5, 6, 7, 8 } };

#define RET_HOST (LUP_RETURN_NAME | LUP_RETURN_ADDR | LUP_RETURN_BLOB)
#define TIMEOUT_MS 500   /* per attempt: loopback answers take milliseconds, even on a loaded machine */

static union { WSAQUERYSETW qs; char bytes[32768]; } res;
static char port_text[16], blackhole_text[16], dead_text[16];

/* lpafpProtocols of the lookups: none (0), one entry of AF_INET or AF_INET6, or BOTH (an AF_INET and
 * an AF_INET6 entry). */
#define BOTH 1000

/* Begin with one class/name/flags/protocols. Returns 0 with *h, or the Begin error. */
static int begin(const GUID *cls, const char *name, DWORD flags, int family, HANDLE *h)
{
    WCHAR wname[512];
    AFPROTOCOLS protos[2] = { { AF_INET, IPPROTO_TCP }, { AF_INET6, IPPROTO_TCP } };
    WSAQUERYSETW qs;

    memset(&qs, 0, sizeof(qs));
    qs.dwSize = sizeof(qs);
    qs.lpServiceClassId = (GUID *)cls;
    qs.dwNameSpace = NS_DNS;
    if (name)
    {
        MultiByteToWideChar(CP_ACP, 0, name, -1, wname, 512);
        qs.lpszServiceInstanceName = wname;
    }
    if (family == AF_INET) { qs.dwNumberOfProtocols = 1; qs.lpafpProtocols = &protos[0]; }
    else if (family == AF_INET6) { qs.dwNumberOfProtocols = 1; qs.lpafpProtocols = &protos[1]; }
    else if (family == BOTH) { qs.dwNumberOfProtocols = 2; qs.lpafpProtocols = protos; }
    *h = NULL;
    WSASetLastError(0);
    if (R.NSPLookupServiceBegin(&provider, &qs, NULL, flags, h)) return WSAGetLastError();
    return 0;
}

static int next(HANDLE h, DWORD flags, DWORD *len)
{
    WSASetLastError(0);
    if (R.NSPLookupServiceNext(h, flags, len, &res.qs)) return WSAGetLastError();
    return 0;
}

/* Begin + one Next into res + End: 0 or the error of the first failing step. */
static int lookup(const GUID *cls, const char *name, DWORD flags, int family)
{
    HANDLE h;
    DWORD len = sizeof(res);
    int err = begin(cls, name, flags, family, &h);
    if (err) return err;
    err = next(h, 0, &len);
    R.NSPLookupServiceEnd(h);
    return err;
}

static const char *res_name(void)
{
    static char buf[512];
    const char *n = nsp_wide_to_ascii(res.qs.lpszServiceInstanceName, buf, sizeof(buf));
    return n ? n : "(null)";
}

static const char *res_addrs(void)
{
    static char buf[4096];
    return nsp_csaddr_text(&res.qs, buf, sizeof(buf));
}

static BOOL has_alias(const struct nsp_hostent_view *v, const char *alias)
{
    int i;
    for (i = 0; i < v->alias_count; i++)
        if (!_stricmp(v->aliases[i], alias)) return TRUE;
    return FALSE;
}

static void servers(const char *list, DWORD timeout, DWORD attempts)
{
    nsp_set_config(list, timeout, attempts);
}

static const char hosts_content[] =
    "# openws2 nsp_direct test hosts file\r\n"
    "192.0.2.200   hostsonly.test.example hostsalias   # comment\r\n"
    "192.0.2.201\thostsonly.test.example\r\n"
    "2001:db8::200 hostsonly.test.example\r\n"
    "this line does not parse\r\n"
    "192.0.2.202 other.test.example\r\n";

static LPNSPSTARTUP startup;

static void test_startup_and_args(void)
{
    WSAQUERYSETW qs;
    HANDLE h = NULL;
    DWORD len = 0;
    int err;

    WSASetLastError(0);
    CHECK(startup(&provider, NULL) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
          "NSPStartup(NULL routines) fails with WSAEINVAL (%d)", WSAGetLastError());
    memset(&R, 0xcc, sizeof(R));
    CHECK(startup(&provider, &R) == 0, "NSPStartup succeeds");
    CHECK(R.cbSize == sizeof(R) && R.NSPCleanup && R.NSPLookupServiceBegin && R.NSPLookupServiceNext &&
          R.NSPLookupServiceEnd && R.NSPSetService && R.NSPInstallServiceClass && R.NSPRemoveServiceClass &&
          R.NSPGetServiceClassInfo && R.NSPIoctl, "NSP_ROUTINE complete (cbSize %lu, version %lu.%lu)",
          (unsigned long)R.cbSize, (unsigned long)R.dwMajorVersion, (unsigned long)R.dwMinorVersion);

    WSASetLastError(0);
    CHECK(R.NSPLookupServiceBegin(&provider, NULL, NULL, 0, &h) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
          "Begin(NULL restrictions) -> WSAEINVAL (%d)", WSAGetLastError());
    memset(&qs, 0, sizeof(qs));
    qs.dwSize = sizeof(qs);
    qs.lpServiceClassId = (GUID *)&g_byname;
    qs.dwNameSpace = NS_DNS;
    qs.lpszServiceInstanceName = (WCHAR *)L"www.test.example";
    WSASetLastError(0);
    CHECK(R.NSPLookupServiceBegin(&provider, &qs, NULL, 0, NULL) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
          "Begin(NULL handle pointer) -> WSAEINVAL (%d)", WSAGetLastError());
    qs.dwSize = sizeof(qs) - 8;
    WSASetLastError(0);
    CHECK(R.NSPLookupServiceBegin(&provider, &qs, NULL, 0, &h) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
          "Begin(dwSize too small) -> WSAEINVAL (%d)", WSAGetLastError());
    qs.dwSize = sizeof(qs);
    qs.lpServiceClassId = NULL;
    WSASetLastError(0);
    CHECK(R.NSPLookupServiceBegin(&provider, &qs, NULL, 0, &h) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
          "Begin(no class) -> WSAEINVAL (%d)", WSAGetLastError());
    qs.lpServiceClassId = (GUID *)&g_byname;
    qs.dwNameSpace = NS_NDS;
    WSASetLastError(0);
    CHECK(R.NSPLookupServiceBegin(&provider, &qs, NULL, 0, &h) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
          "Begin(NS_NDS) -> WSAEINVAL (%d)", WSAGetLastError());
    qs.dwNameSpace = NS_DNS;
    qs.dwNumberOfProtocols = 2;
    qs.lpafpProtocols = NULL;
    WSASetLastError(0);
    CHECK(R.NSPLookupServiceBegin(&provider, &qs, NULL, 0, &h) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
          "Begin(protocol count without array) -> WSAEINVAL (%d)", WSAGetLastError());
    err = begin(&g_unknown, "www.test.example", RET_HOST, 0, &h);
    CHECK(err == WSASERVICE_NOT_FOUND, "Begin(unknown class) -> WSASERVICE_NOT_FOUND (%d)", err);
    err = begin(&g_byname, NULL, RET_HOST, 0, &h);
    CHECK(err == WSAEINVAL, "Begin(INET_HOSTADDRBYNAME without a name) -> WSAEINVAL (%d)", err);
    err = begin(&g_byaddr, NULL, RET_HOST, 0, &h);
    CHECK(err == WSAEINVAL, "Begin(INET_HOSTADDRBYINETSTRING without a name) -> WSAEINVAL (%d)", err);

    len = sizeof(res);
    err = next((HANDLE)(ULONG_PTR)0x1234, 0, &len);
    CHECK(err == WSA_INVALID_HANDLE, "Next(bogus handle) -> WSA_INVALID_HANDLE (%d)", err);
    WSASetLastError(0);
    CHECK(R.NSPLookupServiceEnd((HANDLE)(ULONG_PTR)0x1234) == SOCKET_ERROR && WSAGetLastError() == WSA_INVALID_HANDLE,
          "End(bogus handle) -> WSA_INVALID_HANDLE (%d)", WSAGetLastError());
    err = begin(&g_byname, "www.test.example", RET_HOST, 0, &h);
    CHECK(!err && h, "Begin(www.test.example) -> 0 (%d)", err);
    WSASetLastError(0);
    CHECK(R.NSPLookupServiceNext(h, 0, NULL, &res.qs) == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT,
          "Next(NULL length) -> WSAEFAULT (%d)", WSAGetLastError());
    len = 100;
    WSASetLastError(0);
    CHECK(R.NSPLookupServiceNext(h, 0, &len, NULL) == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT,
          "Next(NULL buffer, length 100) -> WSAEFAULT (%d)", WSAGetLastError());
    CHECK(R.NSPLookupServiceEnd(h) == 0, "End -> 0");
    WSASetLastError(0);
    CHECK(R.NSPLookupServiceEnd(h) == SOCKET_ERROR && WSAGetLastError() == WSA_INVALID_HANDLE,
          "End twice -> WSA_INVALID_HANDLE (%d)", WSAGetLastError());
}

static void test_hosts_file(void)
{
    struct nsp_hostent_view v;
    HANDLE h;
    DWORD len, need;
    int err;
    char addrs[256];

    err = begin(&g_byname, "HostsOnly.Test.Example", RET_HOST | LUP_RETURN_ALIASES | LUP_RETURN_TYPE, 0, &h);
    CHECK(!err, "Begin(hosts name) -> %d", err);
    len = 0;
    err = next(h, 0, &len);
    need = len;
    CHECK(err == WSAEFAULT && need > sizeof(WSAQUERYSETW), "Next with no buffer -> WSAEFAULT, %lu bytes needed (%d)",
          (unsigned long)need, err);
    len = need - 1;
    err = next(h, 0, &len);
    CHECK(err == WSAEFAULT && len == need, "one byte short -> WSAEFAULT, same size (%d, %lu)", err, (unsigned long)len);
    len = need;
    memset(&res, 0xee, sizeof(res));
    err = next(h, 0, &len);
    CHECK(!err, "Next with exactly the size needed -> 0 (%d)", err);
    if (!err)
    {
        snprintf(addrs, sizeof(addrs), "%s", res_addrs());
        CHECK(!strcmp(res_name(), "hostsonly.test.example"), "name from the hosts file: %s", res_name());
        CHECK(!strcmp(addrs, "192.0.2.200,192.0.2.201"), "IPv4 addresses of both lines, in order: %s", addrs);
        CHECK(res.qs.dwNameSpace == NS_DNS && res.qs.lpServiceClassId && IsEqualGUID(res.qs.lpServiceClassId, &g_byname),
              "name space %lu, class returned", (unsigned long)res.qs.dwNameSpace);
        CHECK(res.qs.lpcsaBuffer && res.qs.lpcsaBuffer[0].iSocketType == SOCK_STREAM &&
              res.qs.lpcsaBuffer[0].iProtocol == IPPROTO_TCP &&
              res.qs.lpcsaBuffer[0].RemoteAddr.iSockaddrLength == sizeof(SOCKADDR_IN) &&
              ((SOCKADDR_IN *)res.qs.lpcsaBuffer[0].RemoteAddr.lpSockaddr)->sin_port == 0,
              "CSADDR_INFO: stream/TCP, sockaddr_in, port 0");
        CHECK(!nsp_decode_hostent(res.qs.lpBlob, &v) && !strcmp(v.name, "hostsonly.test.example") &&
              v.addrtype == AF_INET && v.length == 4 && v.addr_count == 2 && !memcmp(v.addrs[1], "\xc0\x00\x02\xc9", 4) &&
              has_alias(&v, "hostsalias"), "hostent blob with offsets: %s, %d addresses, %d aliases",
              v.name ? v.name : "?", v.addr_count, v.alias_count);
        CHECK((char *)res.qs.lpBlob > res.bytes && (char *)res.qs.lpBlob < res.bytes + need &&
              (char *)res.qs.lpszServiceInstanceName < res.bytes + need, "every pointer inside the caller's buffer");
    }
    len = sizeof(res);
    err = next(h, 0, &len);
    CHECK(!err && (res.qs.dwOutputFlags & RESULT_IS_ALIAS) && !strcmp(res_name(), "hostsalias"),
          "LUP_RETURN_ALIASES: next set is the alias (%d, %s, flags 0x%lx)", err, err ? "" : res_name(),
          (unsigned long)res.qs.dwOutputFlags);
    len = sizeof(res);
    err = next(h, 0, &len);
    CHECK(err == WSA_E_NO_MORE, "then WSA_E_NO_MORE (%d)", err);
    len = sizeof(res);
    err = next(h, 0, &len);
    CHECK(err == WSA_E_NO_MORE, "and WSA_E_NO_MORE again (%d)", err);
    CHECK(R.NSPLookupServiceEnd(h) == 0, "End");

    err = lookup(&g_byname, "hostsonly.test.example", RET_HOST, AF_INET6);
    CHECK(!err && !strcmp(res_addrs(), "2001:db8:0:0:0:0:0:200") && !nsp_decode_hostent(res.qs.lpBlob, &v) &&
          v.addrtype == AF_INET6 && v.length == 16, "IPv6 only: the IPv6 line (%d, %s)", err, err ? "" : res_addrs());
    err = lookup(&g_byname, "hostsonly.test.example", RET_HOST, BOTH);
    CHECK(!err && res.qs.dwNumberOfCsAddrs == 3, "both families: 3 addresses (%d, %s)", err, err ? "" : res_addrs());
    err = lookup(&g_byaddr, "192.0.2.201", RET_HOST, 0);
    CHECK(!err && !strcmp(res_name(), "hostsonly.test.example") && !strcmp(res_addrs(), "192.0.2.201"),
          "reverse from the hosts file (%d, %s)", err, err ? "" : res_name());
    err = lookup(&g_byname, "hostsonly.test.example.", RET_HOST, 0);
    CHECK(!err && !strcmp(res_addrs(), "192.0.2.200,192.0.2.201"), "a final dot: the hosts entry (%d)", err);
    err = lookup(&g_byname, "192.0.2.55", RET_HOST, 0);
    CHECK(!err && !strcmp(res_addrs(), "192.0.2.55") && !strcmp(res_name(), "192.0.2.55"), "numeric name (%d)", err);
}

/* A hostile hosts file: a good line, a 20,000-byte line, NULs inside lines, 100,000 junk lines, a
 * last entry without a newline; the good entries are still found, then the test file comes back. */
static void test_hostile_hosts_file(void)
{
    static const char head[] = "192.0.2.210 first.hostile.example\r\n192.0.2.211\0nul.hostile.example\r\n";
    static const char tail[] = "192.0.2.212 last.hostile.example";
    size_t cap = 4 * 1024 * 1024, n = 0, i;
    char *data = malloc(cap);
    int err;

    if (!data) return;
    memcpy(data + n, head, sizeof(head) - 1);
    n += sizeof(head) - 1;
    memcpy(data + n, "192.0.2.213 ", 12);
    n += 12;
    for (i = 0; i < 20000; i++) data[n++] = 'a' + (char)(i % 26);
    data[n++] = '\n';
    for (i = 0; i < 100000; i++)
    {
        if (i % 3)
        {
            n += (size_t)sprintf(data + n, "%u.%u junk%u \x01\xff\n", (unsigned)i, (unsigned)i * 7u, (unsigned)i);
            continue;
        }
        n += (size_t)sprintf(data + n, "# %u", (unsigned)i);
        memcpy(data + n, "\0\0\r\n", 4);
        n += 4;
    }
    memcpy(data + n, tail, sizeof(tail) - 1);
    n += sizeof(tail) - 1;
    CHECK(!nsp_write_file(nsp_hosts_path, data, (DWORD)n), "hostile hosts file written (%lu bytes)", (unsigned long)n);
    free(data);
    nsp_settle();
    err = lookup(&g_byname, "first.hostile.example", RET_HOST, 0);
    CHECK(!err && !strcmp(res_addrs(), "192.0.2.210"), "hostile hosts file: the first entry (%d)", err);
    err = lookup(&g_byname, "nul.hostile.example", RET_HOST, 0);
    CHECK(!err && !strcmp(res_addrs(), "192.0.2.211"), "hostile hosts file: a NUL separates fields (%d)", err);
    err = lookup(&g_byname, "last.hostile.example", RET_HOST, 0);
    CHECK(!err && !strcmp(res_addrs(), "192.0.2.212"),
          "hostile hosts file: the entry after 100,000 junk lines, without a newline (%d)", err);
    CHECK(!nsp_write_file(nsp_hosts_path, hosts_content, (DWORD)strlen(hosts_content)), "test hosts file restored");
    nsp_settle();
}

/* An entry of the host's /etc/hosts that the prefix's hosts file does not have. */
static void test_unix_hosts(void)
{
    char *data = nsp_read_file("\\\\?\\unix\\etc\\hosts", NULL), *line, *save = NULL;
    char addr[64], name[256], want[64];
    int found = 0, err;

    if (!data)
    {
        printf("skip: no /etc/hosts on the host\n");
        return;
    }
    for (line = strtok_r(data, "\n", &save); line && !found; line = strtok_r(NULL, "\n", &save))
    {
        struct in_addr a4;
        struct in6_addr a6;
        int family;
        if (sscanf(line, " %63s %255s", addr, name) != 2 || addr[0] == '#') continue;
        if (strchr(name, '#') || !_stricmp(name, "localhost") || strstr(hosts_content, name)) continue;
        if (inet_pton(AF_INET, addr, &a4) == 1) family = AF_INET;
        else if (inet_pton(AF_INET6, addr, &a6) == 1) family = AF_INET6;
        else continue;
        found = 1;
        err = lookup(&g_byname, name, RET_HOST, family);
        if (family == AF_INET)
        {
            const unsigned char *b = (const unsigned char *)&a4;
            snprintf(want, sizeof(want), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
        }
        else
        {
            const unsigned char *b = (const unsigned char *)&a6;
            int k, m = 0;
            for (k = 0; k < 16; k += 2) m += snprintf(want + m, sizeof(want) - m, "%s%x", k ? ":" : "", b[k] << 8 | b[k + 1]);
        }
        CHECK(!err && strstr(res_addrs(), want) != NULL, "/etc/hosts entry %s -> %s (%d, %s)", name, want, err,
              err ? "" : res_addrs());
    }
    if (!found) printf("skip: /etc/hosts has no entry besides localhost\n");
    free(data);
}

static void test_local(void)
{
    char host[256];
    DWORD n = sizeof(host);
    int err;

    err = lookup(&g_byname, "localhost", RET_HOST, 0);
    CHECK(!err && !strcmp(res_addrs(), "127.0.0.1"), "localhost -> 127.0.0.1 (%d, %s)", err, err ? "" : res_addrs());
    err = lookup(&g_byname, "localhost", RET_HOST, AF_INET6);
    CHECK(!err && strstr(res_addrs(), "0:0:0:0:0:0:0:1"), "localhost IPv6 -> ::1 (%d, %s)", err, err ? "" : res_addrs());
    if (GetComputerNameExA(ComputerNameDnsHostname, host, &n))
    {
        err = lookup(&g_hostname, NULL, LUP_RETURN_NAME, 0);
        CHECK(!err && !_stricmp(res_name(), host), "SVCID_HOSTNAME without a name: the local host name %s (%d, %s)",
              host, err, err ? "" : res_name());
        err = lookup(&g_byname, host, RET_HOST, 0);
        CHECK(!err && res.qs.dwNumberOfCsAddrs > 0, "own name %s resolves (%d, %lu addresses)", host, err,
              err ? 0ul : (unsigned long)res.qs.dwNumberOfCsAddrs);
        err = lookup(&g_byaddr, "127.0.0.1", RET_HOST, 0);
        CHECK(!err && res.qs.lpszServiceInstanceName, "reverse of 127.0.0.1 (%d, %s)", err, err ? "" : res_name());
    }
}

static void test_dns(void)
{
    struct nsp_hostent_view v;
    char line[128];
    int err, before;
    DWORD t0;
    HANDLE h;
    DWORD len;

    before = nsp_log_count("udp www.test.example 1");
    err = lookup(&g_byname, "www.test.example", RET_HOST, 0);
    CHECK(!err && !strcmp(res_name(), "www.test.example") && !strcmp(res_addrs(), "192.0.2.10,192.0.2.11"),
          "DNS A: www.test.example (%d, %s)", err, err ? "" : res_addrs());
    CHECK(nsp_log_count("udp www.test.example 1") == before + 1, "one UDP question reached the server");
    err = lookup(&g_aaaa, "www.test.example", RET_HOST, 0);
    CHECK(!err && !strcmp(res_addrs(), "2001:db8:0:0:0:0:0:10"), "SVCID_DNS_TYPE_AAAA (%d, %s)", err, err ? "" : res_addrs());
    err = lookup(&g_a, "www.test.example", RET_HOST, 0);
    CHECK(!err && !strcmp(res_addrs(), "192.0.2.10,192.0.2.11"), "SVCID_DNS_TYPE_A (%d)", err);
    err = lookup(&g_byname, "www.test.example", RET_HOST, BOTH);
    CHECK(!err && res.qs.dwNumberOfCsAddrs == 3, "A + AAAA (%d, %s)", err, err ? "" : res_addrs());

    err = begin(&g_byname, "alias.test.example", RET_HOST | LUP_RETURN_ALIASES, 0, &h);
    len = sizeof(res);
    if (!err) err = next(h, 0, &len);
    CHECK(!err && !strcmp(res_name(), "www.test.example") && !strcmp(res_addrs(), "192.0.2.10,192.0.2.11") &&
          !nsp_decode_hostent(res.qs.lpBlob, &v) && has_alias(&v, "alias.test.example") && has_alias(&v, "mid.test.example"),
          "CNAME chain: canonical name and both aliases (%d, %s)", err, err ? "" : res_name());
    len = sizeof(res);
    err = next(h, 0, &len);
    CHECK(!err && (res.qs.dwOutputFlags & RESULT_IS_ALIAS), "alias result set (%d, %s)", err, err ? "" : res_name());
    R.NSPLookupServiceEnd(h);

    before = nsp_log_count("udp www.test.example 1");
    err = lookup(&g_byname, "split.test.example", RET_HOST, 0);
    CHECK(!err && !strcmp(res_name(), "www.test.example") && !strcmp(res_addrs(), "192.0.2.10,192.0.2.11"),
          "CNAME without addresses: the target is asked (%d, %s)", err, err ? "" : res_addrs());
    CHECK(nsp_log_count("udp www.test.example 1") == before + 1, "second question for the CNAME target");

    err = begin(&g_byname, "nx.test.example", RET_HOST, 0, &h);
    len = sizeof(res);
    if (!err) err = next(h, 0, &len);
    CHECK(err == WSAHOST_NOT_FOUND, "NXDOMAIN -> WSAHOST_NOT_FOUND (%d)", err);
    len = sizeof(res);
    err = next(h, 0, &len);
    CHECK(err == WSA_E_NO_MORE, "then WSA_E_NO_MORE (%d)", err);
    R.NSPLookupServiceEnd(h);
    err = lookup(&g_byname, "v6only.test.example", RET_HOST, 0);
    CHECK(err == WSANO_DATA, "no A record -> WSANO_DATA (%d)", err);
    err = lookup(&g_byname, "v6only.test.example", RET_HOST, BOTH);
    CHECK(!err && !strcmp(res_addrs(), "2001:db8:0:0:0:0:0:66"), "both families: the AAAA answer (%d)", err);
    err = lookup(&g_byname, "servfail.test.example", RET_HOST, 0);
    CHECK(err == WSATRY_AGAIN, "SERVFAIL -> WSATRY_AGAIN (%d)", err);
    err = lookup(&g_byname, "refused.test.example", RET_HOST, 0);
    CHECK(err == WSANO_RECOVERY, "REFUSED -> WSANO_RECOVERY (%d)", err);

    before = nsp_log_count("tcp big.test.example 1");
    err = lookup(&g_byname, "big.test.example", RET_HOST, 0);
    CHECK(!err && res.qs.dwNumberOfCsAddrs == 40, "truncated over UDP: 40 addresses over TCP (%d, %lu)", err,
          err ? 0ul : (unsigned long)res.qs.dwNumberOfCsAddrs);
    CHECK(nsp_log_count("tcp big.test.example 1") == before + 1, "the TCP question reached the server");

    before = nsp_log_count("udp silent.test.example 1");
    t0 = GetTickCount();
    err = lookup(&g_byname, "silent.test.example", RET_HOST, 0);
    t0 = GetTickCount() - t0;
    CHECK(err == WSATRY_AGAIN, "no answer -> WSATRY_AGAIN (%d)", err);
    CHECK(nsp_log_count("udp silent.test.example 1") == before + 2 && t0 >= 2 * TIMEOUT_MS - 50 &&
          t0 < 2 * TIMEOUT_MS + 4000, "2 attempts of TimeoutMs each (%d questions, %lu ms)", nsp_log_count("udp silent.test.example 1") - before,
          (unsigned long)t0);

    err = lookup(&g_byname, "malformed.test.example", RET_HOST, 0);
    CHECK(err == WSATRY_AGAIN, "only malformed/mismatched replies -> rejected, WSATRY_AGAIN (%d)", err);
    err = lookup(&g_byname, "mangled.test.example", RET_HOST, 0);
    CHECK(!err && !strcmp(res_addrs(), "192.0.2.77"),
          "wrong-id and looping replies ignored, the good reply used (%d, %s)", err, err ? "" : res_addrs());
    /* a TTL of 0xffffffff (RFC 2181: read as 0): answered, twice (no overflow in the cache's expiry) */
    err = lookup(&g_byname, "hugettl.test.example", RET_HOST, 0);
    CHECK(!err && !strcmp(res_addrs(), "192.0.2.99"), "TTL 0xffffffff: answered (%d, %s)", err, err ? "" : res_addrs());
    err = lookup(&g_byname, "hugettl.test.example", RET_HOST, 0);
    CHECK(!err && !strcmp(res_addrs(), "192.0.2.99"), "TTL 0xffffffff: answered again (%d, %s)", err,
          err ? "" : res_addrs());

    /* single-label names: the search list's suffixes in order */
    nsp_set_search_list("nosuch.example, test.example");
    before = nsp_log_count("udp www.nosuch.example 1");
    err = lookup(&g_byname, "www", RET_HOST, 0);
    CHECK(!err && !strcmp(res_name(), "www.test.example") && !strcmp(res_addrs(), "192.0.2.10,192.0.2.11"),
          "SearchList: www -> www.test.example (%d, %s)", err, err ? "" : res_name());
    CHECK(nsp_log_count("udp www.nosuch.example 1") == before + 1, "the first suffix was tried first");
    before = nsp_log_count("udp www.nosuch.example 1");
    err = lookup(&g_byname, "www.", RET_HOST, 0);
    CHECK(err == WSAHOST_NOT_FOUND && nsp_log_count("udp www.nosuch.example 1") == before,
          "SearchList: a rooted name (www.) gets no suffix (%d)", err);
    err = lookup(&g_byname, "nx", RET_HOST, 0);
    CHECK(err == WSAHOST_NOT_FOUND, "SearchList: nx -> WSAHOST_NOT_FOUND after every suffix and the bare name (%d)", err);
    CHECK(nsp_log_count("udp nx 1") >= 1, "the bare name was asked last");
    nsp_set_search_list("");

    /* several servers: nobody listening, then one that never answers, then the test server */
    snprintf(line, sizeof(line), "127.0.0.1:%s, 127.0.0.1:%s;127.0.0.1:%s", dead_text, blackhole_text, port_text);
    servers(line, TIMEOUT_MS, 1);
    t0 = GetTickCount();
    err = lookup(&g_byname, "www.test.example", RET_HOST, 0);
    t0 = GetTickCount() - t0;
    CHECK(!err && !strcmp(res_addrs(), "192.0.2.10,192.0.2.11") && t0 >= TIMEOUT_MS - 50,
          "third server answers after a dead one and a silent one (%d, %lu ms)", err, (unsigned long)t0);
    snprintf(line, sizeof(line), "127.0.0.1:%s", port_text);
    servers(line, TIMEOUT_MS, 2);
}

/* Lookup of a wide name (for the non-ASCII ones). */
static int lookup_wide(const WCHAR *name, DWORD flags)
{
    WSAQUERYSETW qs;
    HANDLE h = NULL;
    DWORD len = sizeof(res);
    int err;

    memset(&qs, 0, sizeof(qs));
    qs.dwSize = sizeof(qs);
    qs.lpServiceClassId = (GUID *)&g_byname;
    qs.dwNameSpace = NS_DNS;
    qs.lpszServiceInstanceName = (WCHAR *)name;
    if (R.NSPLookupServiceBegin(&provider, &qs, NULL, flags, &h)) return WSAGetLastError();
    err = R.NSPLookupServiceNext(h, 0, &len, &res.qs) ? WSAGetLastError() : 0;
    R.NSPLookupServiceEnd(h);
    return err;
}

static void test_idn(void)
{
    int err, before = nsp_log_count("udp xn--bcher-kva.test.example 1");

    err = lookup_wide(L"b\u00fccher.test.example", RET_HOST);
    CHECK(!err && !strcmp(res_addrs(), "192.0.2.88") && !strcmp(res_name(), "xn--bcher-kva.test.example"),
          "a non-ASCII name is asked in its IDNA form (%d, %s)", err, err ? "" : res_name());
    CHECK(nsp_log_count("udp xn--bcher-kva.test.example 1") == before + 1, "the server saw xn--bcher-kva.test.example");
    err = lookup_wide(L"b\u00fccher.test.example", RET_HOST | LUP_DISABLE_IDN_ENCODING);
    CHECK(err == WSAHOST_NOT_FOUND, "LUP_DISABLE_IDN_ENCODING: no conversion, not found (%d)", err);
}

static void test_cache(void)
{
    char line[128];
    int err, before;

    nsp_set_cache_ttl(300);
    before = nsp_log_count("udp www.test.example 1");
    err = lookup(&g_byname, "www.test.example", RET_HOST, 0);
    CHECK(!err && nsp_log_count("udp www.test.example 1") == before + 1, "cache on: the first lookup asks (%d)", err);
    err = lookup(&g_byname, "WWW.test.example", RET_HOST, 0);
    CHECK(!err && !strcmp(res_addrs(), "192.0.2.10,192.0.2.11") && !strcmp(res_name(), "www.test.example") &&
          nsp_log_count("udp www.test.example 1") == before + 1, "the second is answered from the cache (%d, %s)", err,
          err ? "" : res_addrs());
    err = lookup(&g_byname, "www.test.example", RET_HOST | LUP_FLUSHCACHE, 0);
    CHECK(!err && nsp_log_count("udp www.test.example 1") == before + 2, "LUP_FLUSHCACHE asks again (%d)", err);
    err = lookup(&g_byname, "www.test.example", RET_HOST, 0);
    CHECK(!err && nsp_log_count("udp www.test.example 1") == before + 2, "and refreshed the cache (%d)", err);
    snprintf(line, sizeof(line), "127.0.0.1:%s,127.0.0.1:%s", port_text, dead_text);
    servers(line, TIMEOUT_MS, 2);
    err = lookup(&g_byname, "www.test.example", RET_HOST, 0);
    CHECK(!err && nsp_log_count("udp www.test.example 1") == before + 3, "another server list does not share the cache (%d)", err);
    err = lookup(&g_byname, "nx.test.example", RET_HOST, 0);
    before = nsp_log_count("udp nx.test.example 1");
    err = lookup(&g_byname, "nx.test.example", RET_HOST, 0);
    CHECK(err == WSAHOST_NOT_FOUND && nsp_log_count("udp nx.test.example 1") == before + 1, "failures are not cached (%d)", err);
    snprintf(line, sizeof(line), "127.0.0.1:%s", port_text);
    servers(line, TIMEOUT_MS, 2);
    nsp_set_cache_ttl(0);
}

static void test_reverse(void)
{
    int err;

    err = lookup(&g_byaddr, "192.0.2.10", RET_HOST, 0);
    CHECK(!err && !strcmp(res_name(), "www.test.example") && !strcmp(res_addrs(), "192.0.2.10"),
          "reverse DNS of 192.0.2.10 (%d, %s)", err, err ? "" : res_name());
    err = lookup(&g_ptr, "11.2.0.192.in-addr.arpa", RET_HOST, 0);
    CHECK(!err && !strcmp(res_name(), "www.test.example") && !strcmp(res_addrs(), "192.0.2.11"),
          "SVCID_DNS_TYPE_PTR with an in-addr.arpa name (%d, %s)", err, err ? "" : res_name());
    err = lookup(&g_byaddr, "2001:db8::10", RET_HOST, 0);
    CHECK(!err && !strcmp(res_name(), "www.test.example"), "reverse DNS of 2001:db8::10 (%d, %s)", err, err ? "" : res_name());
    err = lookup(&g_byaddr, "192.0.2.99", RET_HOST, 0);
    CHECK(err == WSAHOST_NOT_FOUND, "reverse NXDOMAIN -> WSAHOST_NOT_FOUND (%d)", err);
    err = lookup(&g_byaddr, "not-an-address", RET_HOST, 0);
    CHECK(err == WSAHOST_NOT_FOUND, "reverse of a non-address -> WSAHOST_NOT_FOUND (%d)", err);
}

static void test_services_and_spi(void)
{
    union { WSASERVICECLASSINFOW info; char bytes[512]; } ci;
    WSAQUERYSETW qs;
    struct servent se;
    GUID cls = g_byname;
    DWORD size, ret = 0;
    int err;

    err = lookup(&g_service, "http/tcp", LUP_RETURN_NAME | LUP_RETURN_BLOB | LUP_RETURN_TYPE, 0);
    if (!err && res.qs.lpBlob && res.qs.lpBlob->cbSize >= sizeof(se)) memcpy(&se, res.qs.lpBlob->pBlobData, sizeof(se));
    else memset(&se, 0, sizeof(se));
    CHECK(!err && !strcmp(res_name(), "http") && ntohs(se.s_port) == 80 && res.qs.lpServiceClassId &&
          res.qs.lpServiceClassId->Data1 == 0x00090050, "SVCID_INET_SERVICEBYNAME http/tcp: servent port 80, SVCID_TCP(80) (%d)", err);
    err = lookup(&g_service, "no-such-service", LUP_RETURN_NAME, 0);
    CHECK(err == WSASERVICE_NOT_FOUND, "unknown service -> WSASERVICE_NOT_FOUND (%d)", err);

    memset(&qs, 0, sizeof(qs));
    qs.dwSize = sizeof(qs);
    qs.lpServiceClassId = (GUID *)&g_byname;
    qs.lpszServiceInstanceName = (WCHAR *)L"x.test.example";
    WSASetLastError(0);
    CHECK(R.NSPSetService(&provider, NULL, &qs, RNRSERVICE_REGISTER, 0) == SOCKET_ERROR && WSAGetLastError() == WSAEACCES,
          "NSPSetService(register) -> WSAEACCES, read-only (%d)", WSAGetLastError());
    WSASetLastError(0);
    CHECK(R.NSPSetService(&provider, NULL, NULL, RNRSERVICE_REGISTER, 0) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
          "NSPSetService(NULL) -> WSAEINVAL (%d)", WSAGetLastError());
    WSASetLastError(0);
    CHECK(R.NSPSetService(&provider, NULL, &qs, (WSAESETSERVICEOP)7, 0) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
          "NSPSetService(bad op) -> WSAEINVAL (%d)", WSAGetLastError());
    memset(&ci, 0, sizeof(ci));
    ci.info.lpServiceClassId = &cls;
    WSASetLastError(0);
    CHECK(R.NSPInstallServiceClass(&provider, &ci.info) == SOCKET_ERROR && WSAGetLastError() == WSAEALREADY,
          "NSPInstallServiceClass(built-in class) -> WSAEALREADY (%d)", WSAGetLastError());
    WSASetLastError(0);
    CHECK(R.NSPRemoveServiceClass(&provider, (GUID *)&g_unknown) == SOCKET_ERROR && WSAGetLastError() == WSATYPE_NOT_FOUND,
          "NSPRemoveServiceClass(unknown) -> WSATYPE_NOT_FOUND (%d)", WSAGetLastError());
    size = sizeof(WSASERVICECLASSINFOW);
    WSASetLastError(0);
    CHECK(R.NSPGetServiceClassInfo(&provider, &size, &ci.info) == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT &&
          size > sizeof(WSASERVICECLASSINFOW), "NSPGetServiceClassInfo short -> WSAEFAULT, %lu needed (%d)",
          (unsigned long)size, WSAGetLastError());
    ci.info.lpServiceClassId = &cls;
    size = sizeof(ci);
    CHECK(R.NSPGetServiceClassInfo(&provider, &size, &ci.info) == 0 && IsEqualGUID(ci.info.lpServiceClassId, &g_byname) &&
          ci.info.lpszServiceClassName, "NSPGetServiceClassInfo(built-in class)");
    WSASetLastError(0);
    CHECK(R.NSPIoctl(NULL, SIO_NSP_NOTIFY_CHANGE, NULL, 0, NULL, 0, &ret, NULL, NULL) == SOCKET_ERROR &&
          WSAGetLastError() == WSAEOPNOTSUPP, "NSPIoctl -> WSAEOPNOTSUPP (%d)", WSAGetLastError());
}

static HANDLE cancel_handle;
static int cancel_result;

static DWORD WINAPI cancel_thread(void *arg)
{
    static union { WSAQUERYSETW qs; char bytes[4096]; } buf;
    DWORD len = sizeof(buf);
    (void)arg;
    WSASetLastError(0);
    cancel_result = R.NSPLookupServiceNext(cancel_handle, 0, &len, &buf.qs) ? WSAGetLastError() : 0;
    return 0;
}

static void test_flush_and_cancel(void)
{
    HANDLE h, thread;
    DWORD len, t0;
    char line[64];
    int err;

    err = begin(&g_byname, "alias.test.example", RET_HOST | LUP_RETURN_ALIASES, 0, &h);
    len = 16;
    if (!err) err = next(h, 0, &len);
    CHECK(err == WSAEFAULT, "short buffer -> WSAEFAULT (%d)", err);
    len = sizeof(res);
    err = next(h, LUP_FLUSHPREVIOUS, &len);
    CHECK(!err && (res.qs.dwOutputFlags & RESULT_IS_ALIAS), "LUP_FLUSHPREVIOUS skips the set that did not fit (%d, %s)", err,
          err ? "" : res_name());
    R.NSPLookupServiceEnd(h);

    snprintf(line, sizeof(line), "127.0.0.1:%s", port_text);
    servers(line, 10000, 3);
    err = begin(&g_byname, "silent.test.example", RET_HOST, 0, &cancel_handle);
    CHECK(!err, "Begin(silent) (%d)", err);
    thread = CreateThread(NULL, 0, cancel_thread, NULL, 0, NULL);
    Sleep(500);
    t0 = GetTickCount();
    CHECK(R.NSPLookupServiceEnd(cancel_handle) == 0, "End while Next waits");
    WaitForSingleObject(thread, 20000);
    t0 = GetTickCount() - t0;
    CloseHandle(thread);
    CHECK(cancel_result == WSA_E_CANCELLED && t0 < 3000, "the waiting Next returns WSA_E_CANCELLED (%d after %lu ms)",
          cancel_result, (unsigned long)t0);
    servers(line, TIMEOUT_MS, 2);
}

/* Concurrent lookups: every thread its own handles and buffers. */
#define THREADS 8
#define ROUNDS 15
static LONG thread_failures;

static DWORD WINAPI lookup_thread(void *arg)
{
    static const char *const names[] = { "www.test.example", "hostsonly.test.example", "alias.test.example", "nx.test.example" };
    union { WSAQUERYSETW qs; char bytes[8192]; } *buf = malloc(sizeof(*buf));
    WCHAR wname[64];
    int i, idx = (int)(INT_PTR)arg;

    for (i = 0; i < ROUNDS && buf; i++)
    {
        const char *name = names[(idx + i) % 4];
        WSAQUERYSETW qs;
        HANDLE h = NULL;
        DWORD len = sizeof(*buf);
        int ret, want_ok = strcmp(name, "nx.test.example") != 0;

        memset(&qs, 0, sizeof(qs));
        qs.dwSize = sizeof(qs);
        qs.lpServiceClassId = (GUID *)&g_byname;
        qs.dwNameSpace = NS_DNS;
        MultiByteToWideChar(CP_ACP, 0, name, -1, wname, 64);
        qs.lpszServiceInstanceName = wname;
        if (R.NSPLookupServiceBegin(&provider, &qs, NULL, RET_HOST, &h))
        {
            InterlockedIncrement(&thread_failures);
            continue;
        }
        ret = R.NSPLookupServiceNext(h, 0, &len, &buf->qs);
        if (want_ok ? (ret || buf->qs.dwNumberOfCsAddrs < 2) : (!ret || WSAGetLastError() != WSAHOST_NOT_FOUND))
            InterlockedIncrement(&thread_failures);
        R.NSPLookupServiceEnd(h);
    }
    free(buf);
    return 0;
}

static void test_threads(void)
{
    HANDLE t[THREADS];
    int i;

    for (i = 0; i < THREADS; i++) t[i] = CreateThread(NULL, 0, lookup_thread, (void *)(INT_PTR)i, 0, NULL);
    WaitForMultipleObjects(THREADS, t, TRUE, 60000);
    for (i = 0; i < THREADS; i++) CloseHandle(t[i]);
    CHECK(thread_failures == 0, "%d threads x %d concurrent lookups (hosts, DNS, CNAME, NXDOMAIN): %ld wrong answers",
          THREADS, ROUNDS, (long)thread_failures);
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    HMODULE dll;
    char line[64];

    if (argc < 5)
    {
        printf("usage: nsp_direct PORT BLACKHOLE DEAD QUERY_LOG\n");
        return 2;
    }
    snprintf(port_text, sizeof(port_text), "%s", argv[1]);
    snprintf(blackhole_text, sizeof(blackhole_text), "%s", argv[2]);
    snprintf(dead_text, sizeof(dead_text), "%s", argv[3]);
    nsp_set_log(argv[4]);
    CHECK(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup");
    dll = LoadLibraryA("openws2nsp.dll");
    CHECK(dll != NULL, "openws2nsp.dll loads (%lu)", GetLastError());
    if (!dll) return nsp_done("nsp_direct");
    startup = (LPNSPSTARTUP)(void *)GetProcAddress(dll, "NSPStartup");
    CHECK(startup != NULL, "NSPStartup exported");
    if (!startup) return nsp_done("nsp_direct");

    snprintf(line, sizeof(line), "127.0.0.1:%s", port_text);
    servers(line, TIMEOUT_MS, 2);
    nsp_set_cache_ttl(0);
    CHECK(!nsp_install_hosts(hosts_content), "test hosts file installed");

    test_startup_and_args();
    test_hosts_file();
    test_hostile_hosts_file();
    test_unix_hosts();
    test_local();
    test_dns();
    test_cache();
    test_idn();
    test_reverse();
    test_services_and_spi();
    test_flush_and_cancel();
    test_threads();          /* without the cache: every lookup reaches the server */
    nsp_set_cache_ttl(300);
    test_threads();          /* with it: the threads share cached answers */
    nsp_set_cache_ttl(0);

    CHECK(R.NSPCleanup(&provider) == 0, "NSPCleanup");
    WSASetLastError(0);
    CHECK(R.NSPCleanup(&provider) == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED,
          "NSPCleanup without startup -> WSANOTINITIALISED (%d)", WSAGetLastError());
    nsp_restore_hosts();
    nsp_clear_config();
    WSACleanup();
    return nsp_done("nsp_direct");
}
