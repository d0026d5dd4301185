/* gai_addrinfo_e2e.c - end-to-end checks of getaddrinfo / GetAddrInfoW / freeaddrinfo /
 * FreeAddrInfoW under Wine: numeric hosts and services without any provider (openws2nsp.dll not even
 * loaded), NULL node with and without AI_PASSIVE, the services database, every hints error, families
 * with AI_V4MAPPED / AI_ALL, IPv6-before-IPv4 order, canonical names, AI_ADDRCONFIG, IDN encoding,
 * names from the test hosts file and the loopback DNS test server, DNS failures mapped to WSA errors.
 * Usage: gai_addrinfo_e2e PORT BLACKHOLE DEAD QUERY_LOG (with-dnsserver.sh fills them in).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "gai_e2e.h"
#include <iphlpapi.h>

#ifndef AI_FQDN
#define AI_FQDN 0x00020000
#endif
#ifndef AI_DISABLE_IDN_ENCODING
#define AI_DISABLE_IDN_ENCODING 0x00080000
#endif

static char text[4096];

/* The list as "addr:port,addr:port" (families and ports included). */
static const char *list_text(const struct addrinfo *ai)
{
    size_t n = 0;
    char one[96];
    text[0] = 0;
    for (; ai && n < sizeof(text) - 100; ai = ai->ai_next)
        n += snprintf(text + n, sizeof(text) - n, "%s%s", n ? "," : "", gai_sa_text(ai->ai_addr, one, sizeof(one)));
    return text;
}

static const char *list_text_w(const ADDRINFOW *ai)
{
    size_t n = 0;
    char one[96];
    text[0] = 0;
    for (; ai && n < sizeof(text) - 100; ai = ai->ai_next)
        n += snprintf(text + n, sizeof(text) - n, "%s%s", n ? "," : "", gai_sa_text(ai->ai_addr, one, sizeof(one)));
    return text;
}

/* 1 when an ANSI and a Unicode list hold the same entries in the same order (flags, family, type,
 * protocol, address bytes, canonical name), as Wine's conformance tests compare them. */
static int same_list(const struct addrinfo *a, const ADDRINFOW *w)
{
    for (; a && w; a = a->ai_next, w = w->ai_next)
    {
        char canon[256] = "";
        if (w->ai_canonname) WideCharToMultiByte(CP_ACP, 0, w->ai_canonname, -1, canon, sizeof(canon), NULL, NULL);
        if (a->ai_flags != w->ai_flags || a->ai_family != w->ai_family || a->ai_socktype != w->ai_socktype ||
            a->ai_protocol != w->ai_protocol || a->ai_addrlen != w->ai_addrlen || memcmp(a->ai_addr, w->ai_addr, a->ai_addrlen) ||
            !a->ai_canonname != !w->ai_canonname || (a->ai_canonname && strcmp(a->ai_canonname, canon)))
            return 0;
    }
    return !a && !w;
}

/* 1 when two ANSI lists are the same (as same_list). */
static int same_list_a(const struct addrinfo *a, const struct addrinfo *b)
{
    for (; a && b; a = a->ai_next, b = b->ai_next)
        if (a->ai_flags != b->ai_flags || a->ai_family != b->ai_family || a->ai_socktype != b->ai_socktype ||
            a->ai_protocol != b->ai_protocol || a->ai_addrlen != b->ai_addrlen || memcmp(a->ai_addr, b->ai_addr, a->ai_addrlen) ||
            !a->ai_canonname != !b->ai_canonname || (a->ai_canonname && strcmp(a->ai_canonname, b->ai_canonname)))
            return 0;
    return !a && !b;
}

static struct addrinfo *res;

/* getaddrinfo with hints (flags, family, socktype, protocol); returns the error, res holds the list. */
static int gai(const char *node, const char *serv, int flags, int family, int socktype, int protocol)
{
    struct addrinfo hints;
    int err;
    if (res) freeaddrinfo(res);
    res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = flags;
    hints.ai_family = family;
    hints.ai_socktype = socktype;
    hints.ai_protocol = protocol;
    WSASetLastError(0xdead);
    err = getaddrinfo(node, serv, &hints, &res);
    if (err && WSAGetLastError() != err)
    {
        printf("FAIL: getaddrinfo returned %d but the last error is %d\n", err, WSAGetLastError());
        e2e_failures++;
    }
    if (err && res) return -999;
    return err;
}

/* Families configured on this machine (non-loopback), from iphlpapi. */
static void local_families(BOOL *v4, BOOL *v6)
{
    ULONG size = 64 * 1024;
    IP_ADAPTER_ADDRESSES *aa = malloc(size), *a;
    *v4 = *v6 = FALSE;
    if (!aa || GetAdaptersAddresses(AF_UNSPEC, GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST, NULL, aa, &size))
    {
        free(aa);
        return;
    }
    for (a = aa; a; a = a->Next)
    {
        IP_ADAPTER_UNICAST_ADDRESS *u;
        for (u = a->FirstUnicastAddress; u; u = u->Next)
        {
            const struct sockaddr *sa = u->Address.lpSockaddr;
            if (sa->sa_family == AF_INET && ((const unsigned char *)&((const SOCKADDR_IN *)sa)->sin_addr)[0] != 127) *v4 = TRUE;
            if (sa->sa_family == AF_INET6 && memcmp(&((const SOCKADDR_IN6 *)sa)->sin6_addr, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16)) *v6 = TRUE;
        }
    }
    free(aa);
}

int main(int argc, char **argv)
{
    struct addrinfo hints, *ai;
    ADDRINFOW hintsw, *resw = NULL;
    WSADATA wsa;
    BOOL v4, v6;
    int err, count;

    if (gai_setup(argc, argv))
    {
        printf("usage: gai_addrinfo_e2e PORT BLACKHOLE DEAD QUERY_LOG (and a writable prefix)\n");
        return 2;
    }

    err = getaddrinfo("127.0.0.1", "80", NULL, &res);
    CHECK(err == WSANOTINITIALISED && !res && WSAGetLastError() == WSANOTINITIALISED, "before WSAStartup: WSANOTINITIALISED (%d)", err);
    /* not started comes before every argument error, in every resolver entry point */
    {
        struct addrinfo badhints;
        ADDRINFOW badhintsw;
        SOCKADDR_IN sin;
        char host[64], serv[16];
        WCHAR hostw[64];
        memset(&badhints, 0, sizeof(badhints));
        badhints.ai_family = 12345;
        badhints.ai_flags = 0x01000000;
        memset(&badhintsw, 0, sizeof(badhintsw));
        badhintsw.ai_socktype = 999;
        memset(&sin, 0, sizeof(sin));
        sin.sin_family = AF_INET;
        CHECK(getaddrinfo(NULL, NULL, NULL, &res) == WSANOTINITIALISED && !res && WSAGetLastError() == WSANOTINITIALISED,
              "getaddrinfo(NULL, NULL) before WSAStartup: WSANOTINITIALISED, not WSAHOST_NOT_FOUND");
        CHECK(getaddrinfo("127.0.0.1", NULL, NULL, NULL) == WSANOTINITIALISED, "getaddrinfo without a result pointer: WSANOTINITIALISED");
        CHECK(getaddrinfo("127.0.0.1", NULL, &badhints, &res) == WSANOTINITIALISED && !res, "getaddrinfo bad hints: WSANOTINITIALISED");
        CHECK(getaddrinfo((const char *)1, NULL, NULL, &res) == WSANOTINITIALISED, "getaddrinfo bad node pointer: WSANOTINITIALISED");
        CHECK(GetAddrInfoW(NULL, NULL, NULL, &resw) == WSANOTINITIALISED && !resw && WSAGetLastError() == WSANOTINITIALISED,
              "GetAddrInfoW(NULL, NULL) before WSAStartup: WSANOTINITIALISED");
        CHECK(GetAddrInfoW(L"127.0.0.1", NULL, NULL, NULL) == WSANOTINITIALISED, "GetAddrInfoW without a result pointer");
        CHECK(GetAddrInfoW(L"127.0.0.1", NULL, &badhintsw, &resw) == WSANOTINITIALISED && !resw, "GetAddrInfoW bad hints");
        WSASetLastError(0);
        CHECK(getnameinfo(NULL, 0, host, sizeof(host), serv, sizeof(serv), 0) == WSANOTINITIALISED &&
              WSAGetLastError() == WSANOTINITIALISED, "getnameinfo(NULL sockaddr) before WSAStartup: WSANOTINITIALISED");
        CHECK(getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), NULL, 0, 0x4000) == WSANOTINITIALISED,
              "getnameinfo bad flags before WSAStartup: WSANOTINITIALISED");
        CHECK(GetNameInfoW(NULL, 0, hostw, 64, NULL, 0, 0) == WSANOTINITIALISED, "GetNameInfoW before WSAStartup");
        WSASetLastError(0);
        CHECK(!gethostbyname((const char *)1) && WSAGetLastError() == WSANOTINITIALISED, "gethostbyname(bad pointer) before WSAStartup");
        WSASetLastError(0);
        CHECK(!gethostbyaddr(NULL, 0, 0) && WSAGetLastError() == WSANOTINITIALISED, "gethostbyaddr(NULL) before WSAStartup");
        WSASetLastError(0);
        CHECK(gethostname(NULL, 0) == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED, "gethostname(NULL) before WSAStartup");
    }
    CHECK(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup");

    /* ---- numeric: no provider ---- */
    err = getaddrinfo("192.0.2.1", "80", NULL, &res);
    CHECK(!err && res && !res->ai_next && res->ai_family == AF_INET && res->ai_socktype == 0 && res->ai_protocol == 0 &&
          res->ai_addrlen == sizeof(SOCKADDR_IN) && !res->ai_canonname && !strcmp(list_text(res), "192.0.2.1:80"),
          "numeric IPv4, hints NULL: one result, socktype/protocol 0 (%d, %s)", err, list_text(res));
    freeaddrinfo(res);
    res = NULL;
    err = gai("127.1", NULL, 0, AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP);
    CHECK(!err && !strcmp(list_text(res), "127.0.0.1:0") && res->ai_socktype == SOCK_STREAM && res->ai_protocol == IPPROTO_TCP,
          "\"127.1\" is 127.0.0.1, hints' socktype/protocol copied (%d, %s)", err, list_text(res));
    err = gai("fe80::1%3", "443", AI_NUMERICHOST, AF_UNSPEC, 0, 0);
    CHECK(!err && res->ai_family == AF_INET6 && res->ai_addrlen == sizeof(SOCKADDR_IN6) &&
          ((SOCKADDR_IN6 *)res->ai_addr)->sin6_scope_id == 3 && !strcmp(list_text(res), "[fe80:0:0:0:0:0:0:1]:443"),
          "numeric IPv6 with scope id (%d, %s)", err, list_text(res));
    err = gai("[2001:db8::7]", NULL, AI_NUMERICHOST, AF_INET6, 0, 0);
    CHECK(!err && !strcmp(list_text(res), "[2001:db8:0:0:0:0:0:7]:0"), "bracketed IPv6 is numeric (%d, %s)", err, list_text(res));
    err = gai("[2001:db8::7]:10239", "5", 0, AF_UNSPEC, 0, 0);
    CHECK(!err && !strcmp(list_text(res), "[2001:db8:0:0:0:0:0:7]:5"), "bracketed IPv6 with a port: the port is ignored (%d, %s)",
          err, list_text(res));
    CHECK(gai("[2001:db8::7]", NULL, AI_NUMERICHOST, AF_INET, 0, 0) == WSAHOST_NOT_FOUND, "bracketed IPv6 asked for AF_INET");
    CHECK(gai("[2001:db8::7", NULL, AI_NUMERICHOST, AF_UNSPEC, 0, 0) == WSAHOST_NOT_FOUND, "unmatched bracket");
    CHECK(gai("2001:db8::7]", NULL, AI_NUMERICHOST, AF_UNSPEC, 0, 0) == WSAHOST_NOT_FOUND, "unmatched closing bracket");
    CHECK(gai("192.0.2.1:80", NULL, AI_NUMERICHOST, AF_UNSPEC, 0, 0) == WSAHOST_NOT_FOUND, "IPv4 with a port is not numeric");
    WSASetLastError(1234);
    err = getaddrinfo("192.0.2.1", NULL, NULL, &res);
    CHECK(!err && WSAGetLastError() == 0, "success clears the last error, as Windows (%d)", WSAGetLastError());
    freeaddrinfo(res);
    res = NULL;
    err = gai("192.0.2.1", NULL, AI_CANONNAME, AF_INET, 0, 0);
    CHECK(!err && res->ai_canonname && !strcmp(res->ai_canonname, "192.0.2.1"), "AI_CANONNAME of a numeric host is the address text (%d)", err);
    err = gai("192.0.2.1", NULL, 0, AF_INET6, 0, 0);
    CHECK(err == WSAHOST_NOT_FOUND, "numeric IPv4 with AF_INET6: WSAHOST_NOT_FOUND (%d)", err);
    err = gai("192.0.2.1", NULL, AI_V4MAPPED, AF_INET6, 0, 0);
    CHECK(!err && !strcmp(list_text(res), "[0:0:0:0:0:ffff:c000:201]:0"), "AI_V4MAPPED maps it (%d, %s)", err, list_text(res));
    err = gai("2001:db8::1", NULL, 0, AF_INET, 0, 0);
    CHECK(err == WSAHOST_NOT_FOUND, "numeric IPv6 with AF_INET: WSAHOST_NOT_FOUND (%d)", err);
    err = gai(NULL, "80", AI_PASSIVE, AF_UNSPEC, SOCK_STREAM, 0);
    CHECK(!err && !strcmp(list_text(res), "[0:0:0:0:0:0:0:0]:80,0.0.0.0:80"), "NULL node, AI_PASSIVE: in6addr_any then INADDR_ANY (%d, %s)",
          err, list_text(res));
    err = gai(NULL, "80", 0, AF_UNSPEC, SOCK_STREAM, 0);
    CHECK(!err && !strcmp(list_text(res), "[0:0:0:0:0:0:0:1]:80,127.0.0.1:80"), "NULL node: loopbacks (%d, %s)", err, list_text(res));
    err = gai(NULL, "80", 0, AF_INET, 0, 0);
    CHECK(!err && !strcmp(list_text(res), "127.0.0.1:80"), "NULL node, AF_INET (%d, %s)", err, list_text(res));
    err = gai(NULL, "21", AI_PASSIVE, AF_INET6, 0, 0);
    CHECK(!err && !strcmp(list_text(res), "[0:0:0:0:0:0:0:0]:21"), "NULL node, AF_INET6, passive (%d, %s)", err, list_text(res));
    err = gai("127.0.0.1", "http", 0, AF_INET, SOCK_STREAM, 0);
    CHECK(!err && !strcmp(list_text(res), "127.0.0.1:80"), "service name from the services database (%d, %s)", err, list_text(res));
    err = gai("127.0.0.1", "domain", 0, AF_INET, SOCK_DGRAM, 0);
    CHECK(!err && !strcmp(list_text(res), "127.0.0.1:53"), "udp service (%d, %s)", err, list_text(res));
    err = gai("127.0.0.1", "", 0, AF_INET, 0, 0);
    CHECK(!err && !strcmp(list_text(res), "127.0.0.1:0"), "empty service: port 0 (%d, %s)", err, list_text(res));
    err = gai("127.0.0.1", "65535", 0, AF_INET, 0, 0);
    CHECK(!err && !strcmp(list_text(res), "127.0.0.1:65535"), "port 65535 (%d)", err);
    /* service strings are read as Windows' strtoul reads them, cast to 16 bits */
    {
        static const struct { const char *serv; const WCHAR *servw; const char *want; } ports[] = {
            { " 123", L" 123", "127.0.0.1:123" },       { "+5", L"+5", "127.0.0.1:5" },
            { "65536", L"65536", "127.0.0.1:0" },       { "65617", L"65617", "127.0.0.1:81" },
            { "\t 0080", L"\t 0080", "127.0.0.1:80" }, { "-1", L"-1", "127.0.0.1:65535" },
            { "99999999999", L"99999999999", "127.0.0.1:65535" },
        };
        size_t k;
        for (k = 0; k < sizeof(ports) / sizeof(ports[0]); k++)
        {
            err = gai("127.0.0.1", ports[k].serv, AI_NUMERICSERV, AF_INET, 0, 0);
            CHECK(!err && !strcmp(list_text(res), ports[k].want), "getaddrinfo service \"%s\" is a number (%d, %s)",
                  ports[k].serv, err, list_text(res));
            memset(&hintsw, 0, sizeof(hintsw));
            hintsw.ai_family = AF_INET;
            err = GetAddrInfoW(L"127.0.0.1", ports[k].servw, &hintsw, &resw);
            CHECK(!err && resw && !strcmp(list_text_w(resw), ports[k].want), "GetAddrInfoW service \"%s\" is a number (%d, %s)",
                  ports[k].serv, err, resw ? list_text_w(resw) : "");
            if (resw) FreeAddrInfoW(resw);
            resw = NULL;
        }
    }
    CHECK(gai("127.0.0.1", "80 ", AI_NUMERICSERV, AF_INET, 0, 0) == WSAHOST_NOT_FOUND, "\"80 \" is not a number");
    CHECK(gai("127.0.0.1", "+", 0, AF_INET, 0, 0) == WSATYPE_NOT_FOUND, "\"+\" is not a number");
    /* freeaddrinfo frees what the list holds: its own address blocks and an ai_addr the application
     * put in place of one (a separate heap block), leaving the heap valid */
    err = gai(NULL, "80", 0, AF_UNSPEC, 0, 0);
    if (!err && res && res->ai_next)
    {
        struct sockaddr *mine = HeapAlloc(GetProcessHeap(), 0, res->ai_next->ai_addrlen);
        memcpy(mine, res->ai_next->ai_addr, res->ai_next->ai_addrlen);
        res->ai_next->ai_addr = mine;
    }
    freeaddrinfo(res);
    res = NULL;
    CHECK(!err && HeapValidate(GetProcessHeap(), 0, NULL), "freeaddrinfo of a list with an application's ai_addr: heap valid (%d)", err);
    CHECK(GetModuleHandleA("openws2nsp.dll") == NULL, "numeric hosts and services never loaded the namespace provider");

    /* ---- errors ---- */
    CHECK(gai("127.0.0.1", "nosuchservice-gai", 0, AF_INET, 0, 0) == WSATYPE_NOT_FOUND, "unknown service: WSATYPE_NOT_FOUND (EAI_SERVICE)");
    CHECK(gai("127.0.0.1", "http", AI_NUMERICSERV, AF_INET, 0, 0) == WSAHOST_NOT_FOUND, "AI_NUMERICSERV with a name: EAI_NONAME");
    CHECK(gai(NULL, NULL, 0, AF_UNSPEC, 0, 0) == WSAHOST_NOT_FOUND && EAI_NONAME == WSAHOST_NOT_FOUND, "no node, no service: EAI_NONAME");
    CHECK(gai("127.0.0.1", NULL, 0x01000000, AF_UNSPEC, 0, 0) == WSAEINVAL, "unknown flag: EAI_BADFLAGS = WSAEINVAL");
    CHECK(gai("gaihost.test.example", NULL, AI_CANONNAME | AI_FQDN, AF_UNSPEC, 0, 0) == WSAEINVAL, "AI_CANONNAME | AI_FQDN: WSAEINVAL");
    CHECK(gai(NULL, "80", AI_CANONNAME, AF_UNSPEC, 0, 0) == WSAEINVAL, "AI_CANONNAME without a node: WSAEINVAL");
    CHECK(gai("127.0.0.1", NULL, 0, 99, 0, 0) == WSAEAFNOSUPPORT, "family 99: EAI_FAMILY = WSAEAFNOSUPPORT");
    CHECK(gai("127.0.0.1", NULL, 0, AF_INET, 99, 0) == WSAESOCKTNOSUPPORT, "socktype 99: EAI_SOCKTYPE = WSAESOCKTNOSUPPORT");
    CHECK(gai("gaihost.test.example", NULL, AI_NUMERICHOST, AF_UNSPEC, 0, 0) == WSAHOST_NOT_FOUND, "AI_NUMERICHOST with a name: WSAHOST_NOT_FOUND");
    memset(&hints, 0, sizeof(hints));
    hints.ai_addrlen = 4;
    res = NULL;
    err = getaddrinfo("127.0.0.1", NULL, &hints, &res);
    CHECK(err == WSANO_RECOVERY && !res, "hints with ai_addrlen set: WSANO_RECOVERY (%d)", err);
    hints.ai_addrlen = 0;
    hints.ai_next = &hints;
    err = getaddrinfo("127.0.0.1", NULL, &hints, &res);
    CHECK(err == WSANO_RECOVERY, "hints with ai_next set: WSANO_RECOVERY (%d)", err);
    err = getaddrinfo("127.0.0.1", NULL, NULL, NULL);
    CHECK(err == WSAEINVAL, "NULL result pointer: WSAEINVAL (%d)", err);
    freeaddrinfo(NULL);
    CHECK(1, "freeaddrinfo(NULL) returns");

    /* ---- hosts file ---- */
    err = gai("gaihost.test.example", "80", 0, AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP);
    CHECK(!err && !strcmp(list_text(res), "[2001:db8:0:0:0:0:0:50]:80,192.0.2.50:80"), "hosts name, both families: IPv6 first (%d, %s)",
          err, list_text(res));
    CHECK(GetModuleHandleA("openws2nsp.dll") != NULL, "names went through the namespace catalog's provider");
    err = gai("gaihost.test.example", NULL, 0, AF_INET, 0, 0);
    CHECK(!err && !strcmp(list_text(res), "192.0.2.50:0"), "AF_INET only (%d, %s)", err, list_text(res));
    err = gai("gaialias", NULL, AI_CANONNAME, AF_INET, 0, 0);
    CHECK(!err && res->ai_canonname && !strcmp(res->ai_canonname, "gaihost.test.example") && !res->ai_next,
          "alias with AI_CANONNAME: the canonical name (%d, %s)", err, !err && res->ai_canonname ? res->ai_canonname : "");
    err = gai("gaialias", NULL, AI_FQDN, AF_INET, 0, 0);
    CHECK(!err && res->ai_canonname && !strcmp(res->ai_canonname, "gaihost.test.example"), "AI_FQDN: the full name (%d)", err);
    err = gai("gaihost.test.example", NULL, 0, AF_INET, 0, 0);
    CHECK(!err && !res->ai_canonname, "no canonical name without AI_CANONNAME");
    err = gai("gaiv4.test.example", NULL, 0, AF_INET6, 0, 0);
    CHECK(err == WSAHOST_NOT_FOUND, "IPv4-only hosts name asked for AF_INET6 (not in DNS either): WSAHOST_NOT_FOUND (%d)", err);
    err = gai("gaiv4.test.example", NULL, AI_V4MAPPED, AF_INET6, 0, 0);
    CHECK(!err && !strcmp(list_text(res), "[0:0:0:0:0:ffff:c000:233]:0"), "AI_V4MAPPED (%d, %s)", err, list_text(res));
    err = gai("gaihost.test.example", NULL, AI_V4MAPPED, AF_INET6, 0, 0);
    CHECK(!err && !strcmp(list_text(res), "[2001:db8:0:0:0:0:0:50]:0"), "AI_V4MAPPED without AI_ALL: IPv6 answers only (%d, %s)", err, list_text(res));
    err = gai("gaihost.test.example", NULL, AI_V4MAPPED | AI_ALL, AF_INET6, 0, 0);
    CHECK(!err && !strcmp(list_text(res), "[2001:db8:0:0:0:0:0:50]:0,[0:0:0:0:0:ffff:c000:232]:0"), "AI_V4MAPPED | AI_ALL (%d, %s)",
          err, list_text(res));
    err = gai("gaiv6.test.example", NULL, AI_V4MAPPED | AI_ALL, AF_INET, 0, 0);
    CHECK(err == WSAHOST_NOT_FOUND, "AI_V4MAPPED is ignored for AF_INET (%d)", err);
    err = gai("gaimulti.test.example", "7", 0, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    for (count = 0, ai = res; ai; ai = ai->ai_next) count++;
    CHECK(!err && count == 2 && !strcmp(list_text(res), "192.0.2.52:7,192.0.2.53:7") && res->ai_socktype == SOCK_DGRAM &&
          res->ai_protocol == IPPROTO_UDP, "every address of a name, in order (%d, %s)", err, list_text(res));
    local_families(&v4, &v6);
    err = gai("gaihost.test.example", NULL, AI_ADDRCONFIG, AF_UNSPEC, 0, 0);
    CHECK(v4 && v6 ? !err && !strcmp(list_text(res), "[2001:db8:0:0:0:0:0:50]:0,192.0.2.50:0")
          : v4 ? !err && !strcmp(list_text(res), "192.0.2.50:0")
          : v6 ? !err && !strcmp(list_text(res), "[2001:db8:0:0:0:0:0:50]:0") : err == WSANO_DATA,
          "AI_ADDRCONFIG keeps the configured families (v4 %d v6 %d: %d, %s)", v4, v6, err, err ? "" : list_text(res));

    /* ---- DNS ---- */
    err = gai("www.test.example", "80", 0, AF_UNSPEC, 0, 0);
    CHECK(!err && !strcmp(list_text(res), "[2001:db8:0:0:0:0:0:10]:80,192.0.2.10:80,192.0.2.11:80"), "DNS name, A and AAAA, IPv6 first (%d, %s)",
          err, list_text(res));
    CHECK(nsp_log_count("udp www.test.example 1") >= 1 && nsp_log_count("udp www.test.example 28") >= 1, "the DNS server saw the A and AAAA questions");
    err = gai("alias.test.example", NULL, AI_CANONNAME, AF_INET, 0, 0);
    CHECK(!err && res->ai_canonname && !strcmp(res->ai_canonname, "www.test.example") && !strcmp(list_text(res), "192.0.2.10:0,192.0.2.11:0"),
          "CNAME chain: the canonical name (%d, %s)", err, !err && res->ai_canonname ? res->ai_canonname : "");
    CHECK(gai("nx.test.example", NULL, 0, AF_UNSPEC, 0, 0) == WSAHOST_NOT_FOUND, "NXDOMAIN: WSAHOST_NOT_FOUND");
    CHECK(gai("servfail.test.example", NULL, 0, AF_INET, 0, 0) == WSATRY_AGAIN, "SERVFAIL: WSATRY_AGAIN (EAI_AGAIN)");
    CHECK(gai("refused.test.example", NULL, 0, AF_INET, 0, 0) == WSANO_RECOVERY, "REFUSED: WSANO_RECOVERY (EAI_FAIL)");
    CHECK(gai("v6only.test.example", NULL, 0, AF_INET, 0, 0) == WSANO_DATA, "no A record: WSANO_DATA");
    err = gai("v6only.test.example", NULL, 0, AF_UNSPEC, 0, 0);
    CHECK(!err && !strcmp(list_text(res), "[2001:db8:0:0:0:0:0:66]:0"), "AF_UNSPEC: the AAAA answer (%d, %s)", err, list_text(res));
    err = gai("", NULL, 0, AF_UNSPEC, 0, 0);
    CHECK(!err && res, "empty node name: the local host's addresses (%d, %s)", err, list_text(res));
    err = gai("localhost", NULL, 0, AF_INET, 0, 0);
    CHECK(!err && !strcmp(list_text(res), "127.0.0.1:0"), "localhost (%d, %s)", err, list_text(res));

    /* getaddrinfo and GetAddrInfoW: the same list in the same order for the same query */
    {
        static const struct { const char *node, *serv; int flags, family, socktype; } q[] = {
            { NULL, "0", 0, AF_UNSPEC, 0 },          { NULL, "80", AI_PASSIVE, AF_UNSPEC, SOCK_STREAM },
            { "", "0", 0, AF_UNSPEC, 0 },            { "", NULL, 0, AF_INET6, SOCK_DGRAM },
            { "localhost", "80", 0, AF_UNSPEC, 0 },  { "127.0.0.1", " 80", AI_CANONNAME, AF_UNSPEC, 0 },
            { "gaihost.test.example", "http", AI_CANONNAME, AF_UNSPEC, SOCK_STREAM },
            { "gaimulti.test.example", NULL, 0, AF_UNSPEC, 0 }, { "gaiv4.test.example", NULL, AI_V4MAPPED, AF_INET6, 0 },
            { "www.test.example", NULL, AI_CANONNAME, AF_UNSPEC, 0 }, { "v6only.test.example", NULL, 0, AF_UNSPEC, 0 },
        };
        size_t k;
        for (k = 0; k < sizeof(q) / sizeof(q[0]); k++)
        {
            WCHAR nodew[64], servw[16];
            int errw;
            if (q[k].node) MultiByteToWideChar(CP_ACP, 0, q[k].node, -1, nodew, 64);
            if (q[k].serv) MultiByteToWideChar(CP_ACP, 0, q[k].serv, -1, servw, 16);
            err = gai(q[k].node, q[k].serv, q[k].flags, q[k].family, q[k].socktype, 0);
            memset(&hintsw, 0, sizeof(hintsw));
            hintsw.ai_flags = q[k].flags;
            hintsw.ai_family = q[k].family;
            hintsw.ai_socktype = q[k].socktype;
            errw = GetAddrInfoW(q[k].node ? nodew : NULL, q[k].serv ? servw : NULL, &hintsw, &resw);
            CHECK(!err && err == errw && same_list(res, resw), "getaddrinfo and GetAddrInfoW agree for \"%s\" (%d %d, %s)",
                  q[k].node ? q[k].node : "(null)", err, errw, list_text(res));
            if (resw) FreeAddrInfoW(resw);
            resw = NULL;
        }
    }
    /* the computer's name answers what the empty name answers (Windows checks its own name before the
     * hosts file, which under Debian maps the name to a loopback address) */
    {
        char name[256];
        DWORD size = sizeof(name);
        struct addrinfo *mine = NULL;
        if (GetComputerNameExA(ComputerNamePhysicalDnsHostname, name, &size) && name[0])
        {
            err = getaddrinfo(name, NULL, NULL, &mine);
            CHECK(!err && !gai("", NULL, 0, AF_UNSPEC, 0, 0) && same_list_a(mine, res),
                  "the computer name \"%s\" resolves as the empty name (%d: %s)", name, err, list_text(res));
            if (mine) freeaddrinfo(mine);
        }
        else printf("SKIP: no computer name\n");
    }
    if (res) freeaddrinfo(res);
    res = NULL;

    /* ---- GetAddrInfoW ---- */
    memset(&hintsw, 0, sizeof(hintsw));
    hintsw.ai_family = AF_UNSPEC;
    hintsw.ai_flags = AI_CANONNAME;
    err = GetAddrInfoW(L"gaihost.test.example", L"http", &hintsw, &resw);
    CHECK(!err && resw && resw->ai_canonname && !wcscmp(resw->ai_canonname, L"gaihost.test.example") &&
          !strcmp(list_text_w(resw), "[2001:db8:0:0:0:0:0:50]:80,192.0.2.50:80"), "GetAddrInfoW: canonical name and order (%d, %s)", err,
          list_text_w(resw));
    FreeAddrInfoW(resw);
    resw = NULL;
    hintsw.ai_flags = 0;
    hintsw.ai_family = AF_INET;
    err = GetAddrInfoW(L"b\x00fc" L"cher.test.example", NULL, &hintsw, &resw);
    CHECK(!err && !strcmp(list_text_w(resw), "192.0.2.88:0") && nsp_log_count("udp xn--bcher-kva.test.example 1") >= 1,
          "GetAddrInfoW: an IDN name is asked in its IDNA form (%d, %s)", err, list_text_w(resw));
    FreeAddrInfoW(resw);
    resw = NULL;
    hintsw.ai_flags = AI_DISABLE_IDN_ENCODING;
    err = GetAddrInfoW(L"b\x00fc" L"cher2.test.example", NULL, &hintsw, &resw);
    CHECK(err == WSAHOST_NOT_FOUND && nsp_log_count("udp xn--bcher2-3ya.test.example 1") == 0,
          "AI_DISABLE_IDN_ENCODING: the name is not encoded (%d)", err);
    hintsw.ai_flags = 0;
    hintsw.ai_family = AF_INET6;
    err = GetAddrInfoW(L"::1", L"53", &hintsw, &resw);
    CHECK(!err && !strcmp(list_text_w(resw), "[0:0:0:0:0:0:0:1]:53"), "GetAddrInfoW numeric IPv6 (%d)", err);
    FreeAddrInfoW(resw);
    resw = NULL;
    hintsw.ai_socktype = 77;
    CHECK(GetAddrInfoW(L"::1", NULL, &hintsw, &resw) == WSAESOCKTNOSUPPORT, "GetAddrInfoW bad socktype");
    FreeAddrInfoW(NULL);

    WSACleanup();
    err = getaddrinfo("127.0.0.1", "80", NULL, &res);
    CHECK(err == WSANOTINITIALISED, "after WSACleanup: WSANOTINITIALISED (%d)", err);
    gai_teardown();
    return nsp_done("gai_addrinfo_e2e");
}
