/* fid_dns_escape.c - a DNS lookup of a name holding characters other than letters, digits, '-' and
 * '_' ("localhost:80", as programs pass host:port strings by mistake) gets the server's NXDOMAIN at
 * once (WSAHOST_NOT_FOUND / EAI_NONAME), against the loopback DNS test server (tests/dnsserver):
 * the reply's question is compared label by label with the name asked, so the reply is no longer
 * discarded as an answer to another question, which made the lookup wait out every timeout and fail
 * with WSATRY_AGAIN. Arguments: PORT BLACKHOLE DEAD QUERY_LOG (with-dnsserver.sh).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "nsp_e2e.h"

static const char hosts_content[] = "127.0.0.1 localhost\r\n";

int main(int argc, char **argv)
{
    static const char *const names[] = { "localhost:80", "www.test.example:443", "odd*name.test.example" };
    struct addrinfo hints, *res = NULL;
    WSADATA wsa;
    char line[300];
    DWORD t0, ms;
    size_t i;
    int r, err;

    if (argc < 5)
    {
        printf("usage: fid_dns_escape PORT BLACKHOLE DEAD QUERY_LOG\n");
        return 2;
    }
    nsp_set_log(argv[4]);
    snprintf(line, sizeof(line), "127.0.0.1:%s", argv[1]);
    nsp_set_config(line, 1000, 2);   /* a discarded reply costs 2 x 1 s per question */
    nsp_set_cache_ttl(0);
    nsp_set_search_list(NULL);
    CHECK(!nsp_install_hosts(hosts_content), "test hosts file installed");
    CHECK(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup");

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    {
        struct hostent *he;

        t0 = GetTickCount();
        WSASetLastError(0);
        he = gethostbyname(names[i]);
        err = WSAGetLastError();
        ms = GetTickCount() - t0;
        CHECK(!he && err == WSAHOST_NOT_FOUND, "gethostbyname(\"%s\") -> %p error %d (the server's NXDOMAIN: %d)",
              names[i], (void *)he, err, WSAHOST_NOT_FOUND);
        CHECK(ms < 1500, "gethostbyname(\"%s\") answered at once (%lu ms; a discarded reply waits the timeouts out)",
              names[i], (unsigned long)ms);

        memset(&hints, 0, sizeof(hints));
        hints.ai_family = AF_INET;
        t0 = GetTickCount();
        r = getaddrinfo(names[i], NULL, &hints, &res);
        ms = GetTickCount() - t0;
        CHECK(r == EAI_NONAME && WSAGetLastError() == WSAHOST_NOT_FOUND,
              "getaddrinfo(\"%s\") -> %d error %d (expected EAI_NONAME, WSAHOST_NOT_FOUND)", names[i], r,
              WSAGetLastError());
        CHECK(ms < 1500, "getaddrinfo(\"%s\") answered at once (%lu ms)", names[i], (unsigned long)ms);
        if (!r) freeaddrinfo(res);
        res = NULL;
    }
    snprintf(line, sizeof(line), "udp %s 1", names[0]);
    CHECK(nsp_log_count(line) >= 1, "the DNS test server saw the question '%s'", line);
    WSACleanup();
    nsp_clear_config();
    nsp_restore_hosts();
    return nsp_done("fid_dns_escape");
}
