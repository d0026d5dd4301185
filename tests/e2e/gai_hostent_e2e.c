/* gai_hostent_e2e.c - end-to-end checks of gethostbyname, gethostbyaddr (Windows' per-thread hostent),
 * gethostname, GetHostNameW, getnameinfo and GetNameInfoW under Wine: hosts-file and DNS names through
 * the namespace catalog, reverse lookups, numeric fallbacks, every NI_* flag and the documented errors.
 * Usage: gai_hostent_e2e PORT BLACKHOLE DEAD QUERY_LOG (with-dnsserver.sh fills them in).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "gai_e2e.h"

static int has_alias(const struct hostent *he, const char *name)
{
    char **a;
    for (a = he->h_aliases; a && *a; a++)
        if (!strcmp(*a, name)) return 1;
    return 0;
}

static int addr_count(const struct hostent *he)
{
    int n = 0;
    while (he->h_addr_list[n]) n++;
    return n;
}

static DWORD WINAPI other_thread(void *arg)
{
    struct hostent *he = gethostbyname("www.test.example");
    *(int *)arg = he && !strcmp(he->h_name, "www.test.example");
    return 0;
}

static int ni(const void *sa, int salen, char *host, DWORD hostlen, char *serv, DWORD servlen, int flags)
{
    int err;
    WSASetLastError(0xdead);
    err = getnameinfo(sa, salen, host, hostlen, serv, servlen, flags);
    if (err && WSAGetLastError() != err)
    {
        printf("FAIL: getnameinfo returned %d, last error %d\n", err, WSAGetLastError());
        e2e_failures++;
    }
    return err;
}

int main(int argc, char **argv)
{
    static const unsigned char www4[4] = { 192, 0, 2, 10 }, nx4[4] = { 192, 0, 2, 99 }, hosts4[4] = { 192, 0, 2, 50 };
    static const unsigned char www6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10 };
    struct hostent *he;
    SOCKADDR_IN sin;
    SOCKADDR_IN6 sin6;
    char host[NI_MAXHOST], serv[NI_MAXSERV], name[256], saved[256];
    WCHAR whost[NI_MAXHOST], wserv[NI_MAXSERV], wname[256];
    WSADATA wsa;
    HANDLE thread;
    int err, ok = 0;

    if (gai_setup(argc, argv))
    {
        printf("usage: gai_hostent_e2e PORT BLACKHOLE DEAD QUERY_LOG\n");
        return 2;
    }
    he = gethostbyname("gaihost.test.example");
    CHECK(!he && WSAGetLastError() == WSANOTINITIALISED, "gethostbyname before WSAStartup: WSANOTINITIALISED");
    CHECK(gethostname(name, sizeof(name)) == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED, "gethostname before WSAStartup");
    CHECK(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup");

    /* ---- gethostbyname ---- */
    he = gethostbyname("gaihost.test.example");
    CHECK(he && !strcmp(he->h_name, "gaihost.test.example") && he->h_addrtype == AF_INET && he->h_length == 4 &&
          addr_count(he) == 1 && !memcmp(he->h_addr_list[0], hosts4, 4) && has_alias(he, "gaialias"),
          "gethostbyname: hosts-file entry with its alias, IPv4 only (%d)", he ? 0 : WSAGetLastError());
    he = gethostbyname("www.test.example");
    CHECK(he && addr_count(he) == 2 && !memcmp(he->h_addr_list[0], www4, 4) && he->h_addr_list[1][3] == 11,
          "gethostbyname: DNS name, both A records (%d)", he ? 0 : WSAGetLastError());
    he = gethostbyname("alias.test.example");
    CHECK(he && !strcmp(he->h_name, "www.test.example"), "gethostbyname: CNAME chain gives the canonical name (%s)", he ? he->h_name : "");
    he = gethostbyname("192.0.2.7");
    CHECK(he && !strcmp(he->h_name, "192.0.2.7") && addr_count(he) == 1 && !memcmp(he->h_addr_list[0], "\xc0\x00\x02\x07", 4),
          "gethostbyname of a dotted address: the address itself");
    he = gethostbyname("nx.test.example");
    CHECK(!he && WSAGetLastError() == WSAHOST_NOT_FOUND, "gethostbyname NXDOMAIN: WSAHOST_NOT_FOUND (%d)", WSAGetLastError());
    he = gethostbyname("v6only.test.example");
    CHECK(!he && WSAGetLastError() == WSANO_DATA, "gethostbyname of an IPv6-only name: WSANO_DATA (%d)", WSAGetLastError());
    he = gethostbyname("servfail.test.example");
    CHECK(!he && WSAGetLastError() == WSATRY_AGAIN, "gethostbyname SERVFAIL: WSATRY_AGAIN (%d)", WSAGetLastError());
    he = gethostbyname(NULL);
    CHECK(he && he->h_name[0] && addr_count(he) >= 1 && he->h_addrtype == AF_INET, "gethostbyname(NULL): the local host (%s)",
          he ? he->h_name : "");
    he = gethostbyname("");
    CHECK(he && he->h_name[0] && addr_count(he) >= 1, "gethostbyname(\"\"): the local host");

    /* the result is per thread: another thread's call leaves ours alone */
    he = gethostbyname("gaihost.test.example");
    thread = CreateThread(NULL, 0, other_thread, &ok, 0, NULL);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    CHECK(ok && he && !strcmp(he->h_name, "gaihost.test.example") && !memcmp(he->h_addr_list[0], hosts4, 4),
          "per-thread hostent: another thread's gethostbyname did not change ours");

    /* ---- gethostbyaddr ---- */
    he = gethostbyaddr((const char *)www4, 4, AF_INET);
    CHECK(he && !strcmp(he->h_name, "www.test.example") && he->h_addrtype == AF_INET && addr_count(he) == 1 &&
          !memcmp(he->h_addr_list[0], www4, 4), "gethostbyaddr IPv4 (DNS PTR) (%d)", he ? 0 : WSAGetLastError());
    he = gethostbyaddr((const char *)www6, 16, AF_INET6);
    CHECK(he && !strcmp(he->h_name, "www.test.example") && he->h_addrtype == AF_INET6 && he->h_length == 16 &&
          !memcmp(he->h_addr_list[0], www6, 16), "gethostbyaddr IPv6 (ip6.arpa) (%d)", he ? 0 : WSAGetLastError());
    he = gethostbyaddr((const char *)hosts4, 4, AF_INET);
    CHECK(he && !strcmp(he->h_name, "gaihost.test.example"), "gethostbyaddr from the hosts file (%s)", he ? he->h_name : "");
    he = gethostbyaddr((const char *)nx4, 4, AF_INET);
    CHECK(!he && WSAGetLastError() == WSAHOST_NOT_FOUND, "gethostbyaddr unknown: WSAHOST_NOT_FOUND (%d)", WSAGetLastError());
    CHECK(!gethostbyaddr(NULL, 4, AF_INET) && WSAGetLastError() == WSAEFAULT, "gethostbyaddr(NULL): WSAEFAULT");
    CHECK(!gethostbyaddr((const char *)www4, 3, AF_INET) && WSAGetLastError() == WSAEFAULT, "gethostbyaddr len 3: WSAEFAULT");
    CHECK(!gethostbyaddr((const char *)www6, 8, AF_INET6) && WSAGetLastError() == WSAEFAULT, "gethostbyaddr IPv6 len 8: WSAEFAULT");
    CHECK(!gethostbyaddr((const char *)www4, 4, 99) && WSAGetLastError() == WSAEAFNOSUPPORT, "gethostbyaddr type 99: WSAEAFNOSUPPORT");

    /* ---- gethostname / GetHostNameW ---- */
    err = gethostname(name, sizeof(name));
    CHECK(!err && name[0], "gethostname (%d, %s)", err, name);
    strcpy(saved, name);
    CHECK(gethostname(name, (int)strlen(saved)) == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "gethostname, buffer one short: WSAEFAULT");
    CHECK(!gethostname(name, (int)strlen(saved) + 1) && !strcmp(name, saved), "gethostname, exact buffer");
    CHECK(gethostname(NULL, 100) == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "gethostname(NULL): WSAEFAULT");
    err = GetHostNameW(wname, 256);
    CHECK(!err && !strcmp(nsp_wide_to_ascii(wname, name, sizeof(name)), saved), "GetHostNameW agrees (%d, %s)", err, name);
    CHECK(GetHostNameW(wname, 1) == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "GetHostNameW short: WSAEFAULT");
    he = gethostbyname(saved);
    CHECK(he && addr_count(he) >= 1, "gethostbyname(gethostname()) resolves (%d)", he ? 0 : WSAGetLastError());

    /* ---- getnameinfo ---- */
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(80);
    memcpy(&sin.sin_addr, www4, 4);
    err = ni(&sin, sizeof(sin), host, sizeof(host), serv, sizeof(serv), 0);
    CHECK(!err && !strcmp(host, "www.test.example") && !strcmp(serv, "http"), "getnameinfo: name and service (%d, %s, %s)", err, host, serv);
    err = ni(&sin, sizeof(sin), host, sizeof(host), serv, sizeof(serv), NI_NOFQDN);
    CHECK(!err && !strcmp(host, "www"), "NI_NOFQDN: first label (%d, %s)", err, host);
    err = ni(&sin, sizeof(sin), host, sizeof(host), serv, sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV);
    CHECK(!err && !strcmp(host, "192.0.2.10") && !strcmp(serv, "80"), "NI_NUMERICHOST | NI_NUMERICSERV (%d, %s, %s)", err, host, serv);
    sin.sin_port = htons(53);
    err = ni(&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), NI_DGRAM);
    CHECK(!err && !strcmp(serv, "domain"), "NI_DGRAM: udp service, no host buffer (%d, %s)", err, serv);
    sin.sin_port = htons(65000);
    err = ni(&sin, sizeof(sin), NULL, 0, serv, sizeof(serv), 0);
    CHECK(!err && !strcmp(serv, "65000"), "unknown port: the number (%d, %s)", err, serv);
    memcpy(&sin.sin_addr, nx4, 4);
    err = ni(&sin, sizeof(sin), host, sizeof(host), NULL, 0, 0);
    CHECK(!err && !strcmp(host, "192.0.2.99"), "no name: numeric host (%d, %s)", err, host);
    err = ni(&sin, sizeof(sin), host, sizeof(host), NULL, 0, NI_NAMEREQD);
    CHECK(err == WSAHOST_NOT_FOUND, "no name with NI_NAMEREQD: WSAHOST_NOT_FOUND (%d)", err);
    memcpy(&sin.sin_addr, hosts4, 4);
    err = ni(&sin, sizeof(sin), host, sizeof(host), NULL, 0, NI_NAMEREQD);
    CHECK(!err && !strcmp(host, "gaihost.test.example"), "hosts-file reverse (%d, %s)", err, host);
    err = ni(&sin, sizeof(sin), host, 5, NULL, 0, 0);
    CHECK(err == WSAEFAULT, "host buffer too small: WSAEFAULT (%d)", err);
    err = ni(&sin, sizeof(sin), NULL, 0, serv, 1, NI_NUMERICSERV);
    CHECK(err == WSAEFAULT, "service buffer too small: WSAEFAULT (%d)", err);
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(21);
    memcpy(&sin6.sin6_addr, www6, 16);
    err = ni(&sin6, sizeof(sin6), host, sizeof(host), serv, sizeof(serv), 0);
    CHECK(!err && !strcmp(host, "www.test.example") && !strcmp(serv, "ftp"), "IPv6 reverse and service (%d, %s, %s)", err, host, serv);
    memset(&sin6.sin6_addr, 0, 16);
    sin6.sin6_addr.s6_addr[0] = 0xfe;
    sin6.sin6_addr.s6_addr[1] = 0x80;
    sin6.sin6_addr.s6_addr[15] = 1;
    sin6.sin6_scope_id = 3;
    err = ni(&sin6, sizeof(sin6), host, sizeof(host), NULL, 0, NI_NUMERICHOST);
    CHECK(!err && !strcmp(host, "fe80::1%3"), "numeric IPv6 with scope (%d, %s)", err, host);
    CHECK(ni(NULL, sizeof(sin), host, sizeof(host), NULL, 0, 0) == WSAEFAULT, "NULL sockaddr: WSAEFAULT");
    CHECK(ni(&sin, 8, host, sizeof(host), NULL, 0, 0) == WSAEFAULT, "short sockaddr length: WSAEFAULT");
    CHECK(ni(&sin6, sizeof(sin), host, sizeof(host), NULL, 0, 0) == WSAEFAULT, "IPv6 with an IPv4 length: WSAEFAULT");
    sin.sin_family = 1;
    CHECK(ni(&sin, sizeof(sin), host, sizeof(host), NULL, 0, 0) == WSAEAFNOSUPPORT, "family 1: WSAEAFNOSUPPORT");
    sin.sin_family = AF_INET;
    CHECK(ni(&sin, sizeof(sin), NULL, 0, NULL, 0, 0) == WSAHOST_NOT_FOUND, "no buffers: WSAHOST_NOT_FOUND");
    CHECK(ni(&sin, sizeof(sin), host, 0, NULL, 0, 0) == WSAEINVAL, "host buffer of length 0: WSAEINVAL");
    CHECK(ni(&sin, sizeof(sin), host, sizeof(host), NULL, 0, 0x100) == WSAEINVAL, "unknown flag: WSAEINVAL");
    err = GetNameInfoW((SOCKADDR *)&sin, sizeof(sin), whost, NI_MAXHOST, wserv, NI_MAXSERV, 0);
    CHECK(!err && !wcscmp(whost, L"gaihost.test.example") && !wcscmp(wserv, L"65000"), "GetNameInfoW (%d)", err);
    err = GetNameInfoW((SOCKADDR *)&sin, sizeof(sin), whost, 4, NULL, 0, 0);
    CHECK(err == WSAEFAULT && WSAGetLastError() == WSAEFAULT, "GetNameInfoW short buffer: WSAEFAULT (%d)", err);

    WSACleanup();
    CHECK(ni(&sin, sizeof(sin), host, sizeof(host), NULL, 0, 0) == WSANOTINITIALISED, "getnameinfo after WSACleanup: WSANOTINITIALISED");
    gai_teardown();
    return nsp_done("gai_hostent_e2e");
}
