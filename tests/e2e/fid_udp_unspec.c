/* fid_udp_unspec.c - connect on a UDP socket with an all-zero AF_UNSPEC address dissolves its
 * association, as on Windows (libuv's uv_udp_connect(NULL) does exactly this): connect and
 * WSAConnect return 0, getpeername fails with WSAENOTCONN, datagrams from any peer arrive again;
 * the socket can be connected again afterwards. IPv4 and IPv6.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "e2e_check.h"

static const IN6_ADDR loop6 = { { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } };

static int af_len(int af)
{
    return af == AF_INET ? (int)sizeof(struct sockaddr_in) : (int)sizeof(struct sockaddr_in6);
}

static SOCKET udp_bound(int af, struct sockaddr_storage *addr)
{
    SOCKET s = socket(af, SOCK_DGRAM, IPPROTO_UDP);
    DWORD timeout = 2000;
    int len = af_len(af);

    memset(addr, 0, sizeof(*addr));
    addr->ss_family = (ADDRESS_FAMILY)af;
    if (af == AF_INET) ((struct sockaddr_in *)addr)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    else ((struct sockaddr_in6 *)addr)->sin6_addr = loop6;
    if (s == INVALID_SOCKET) return s;
    if (bind(s, (struct sockaddr *)addr, len) || getsockname(s, (struct sockaddr *)addr, &len))
    {
        closesocket(s);
        return INVALID_SOCKET;
    }
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout));
    return s;
}

/* 1 when s has a datagram waiting within ms milliseconds. */
static int readable(SOCKET s, int ms)
{
    fd_set rs;
    TIMEVAL tv = { ms / 1000, (ms % 1000) * 1000 };

    FD_ZERO(&rs);
    FD_SET(s, &rs);
    return select(0, &rs, NULL, NULL, &tv) == 1;
}

static void run(int af, BOOL use_wsaconnect)
{
    const char *name = af == AF_INET ? "IPv4" : "IPv6";
    struct sockaddr_storage aa, ab, ac, from, peer;
    struct sockaddr unspec;
    SOCKET a = udp_bound(af, &aa), b = udp_bound(af, &ab), c = udp_bound(af, &ac);
    int len = af_len(af), flen, r;
    char buf[16];

    CHECK(a != INVALID_SOCKET && b != INVALID_SOCKET && c != INVALID_SOCKET, "%s: three bound UDP sockets", name);
    if (a == INVALID_SOCKET || b == INVALID_SOCKET || c == INVALID_SOCKET) return;

    CHECK(!connect(a, (struct sockaddr *)&ab, len), "%s: connect to b (error %d)", name, WSAGetLastError());
    flen = sizeof(peer);
    CHECK(!getpeername(a, (struct sockaddr *)&peer, &flen) && flen == len && !memcmp(&peer, &ab, (size_t)len),
          "%s: getpeername gives b", name);
    CHECK(sendto(c, "from c", 6, 0, (struct sockaddr *)&aa, len) == 6, "%s: c sends to a", name);
    CHECK(!readable(a, 300), "%s: the connected socket does not take c's datagram", name);

    memset(&unspec, 0, sizeof(unspec));
    unspec.sa_family = AF_UNSPEC;
    WSASetLastError(0xdead);
    r = use_wsaconnect ? WSAConnect(a, &unspec, sizeof(unspec), NULL, NULL, NULL, NULL)
                       : connect(a, &unspec, sizeof(unspec));
    CHECK(r == 0, "%s: %s with an all-zero AF_UNSPEC address dissolves the association -> %d (error %d)", name,
          use_wsaconnect ? "WSAConnect" : "connect", r, WSAGetLastError());
    flen = sizeof(peer);
    CHECK_FAIL(getpeername(a, (struct sockaddr *)&peer, &flen), SOCKET_ERROR, WSAENOTCONN);
    flen = sizeof(from);
    r = getsockname(a, (struct sockaddr *)&from, &flen);
    CHECK(!r && !memcmp(&from, &aa, (size_t)len), "%s: the socket keeps its local address (port %u, was %u)", name,
          ntohs(((struct sockaddr_in *)&from)->sin_port), ntohs(((struct sockaddr_in *)&aa)->sin_port));

    CHECK(sendto(c, "c again", 7, 0, (struct sockaddr *)&aa, len) == 7, "%s: c sends to a again", name);
    memset(buf, 0, sizeof(buf));
    flen = sizeof(from);
    r = readable(a, 2000) ? recvfrom(a, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen) : -1;
    CHECK(r == 7 && !memcmp(buf, "c again", 7) && flen == len && !memcmp(&from, &ac, (size_t)len),
          "%s: a datagram from another peer arrives after the dissolve (%d bytes)", name, r);
    CHECK(sendto(b, "from b", 6, 0, (struct sockaddr *)&aa, len) == 6, "%s: b sends to a", name);
    flen = sizeof(from);
    r = readable(a, 2000) ? recvfrom(a, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen) : -1;
    CHECK(r == 6 && !memcmp(&from, &ab, (size_t)len), "%s: and one from the former peer (%d bytes)", name, r);
    CHECK(sendto(a, "to c", 4, 0, (struct sockaddr *)&ac, len) == 4 && readable(c, 2000) &&
              recv(c, buf, sizeof(buf), 0) == 4,
          "%s: the dissolved socket sends to any address", name);
    CHECK(!connect(a, &unspec, sizeof(unspec)), "%s: dissolving an unconnected socket is no error either (error %d)",
          name, WSAGetLastError());

    CHECK(!connect(a, (struct sockaddr *)&ac, len), "%s: it connects again, to c (error %d)", name, WSAGetLastError());
    flen = sizeof(peer);
    CHECK(!getpeername(a, (struct sockaddr *)&peer, &flen) && !memcmp(&peer, &ac, (size_t)len),
          "%s: getpeername gives c", name);
    CHECK(send(a, "hi c", 4, 0) == 4 && readable(c, 2000) && recv(c, buf, sizeof(buf), 0) == 4,
          "%s: send goes to c", name);
    closesocket(a);
    closesocket(b);
    closesocket(c);
}

int main(void)
{
    WSADATA wsa;

    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 1;
    run(AF_INET, FALSE);
    run(AF_INET6, FALSE);
    run(AF_INET, TRUE);
    WSACleanup();
    return e2e_done("fid_udp_unspec");
}
