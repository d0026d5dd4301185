/* fid_select_mixed.c - select and WSAPoll over sets mixing IPv4 and IPv6 sockets (two MSAFD catalog
 * entries, two provider ids, one openws2afd.dll), as every dual-stack program polls them: read,
 * write and except sets of both families in both orders, WSAPoll, WSAEventSelect alongside.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "e2e_check.h"

static const IN6_ADDR loop6 = { { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } } };

/* A bound UDP socket of family af on its loopback address; addr, len: where it is bound. */
static SOCKET udp_bound(int af, struct sockaddr_storage *addr, int *len)
{
    SOCKET s = socket(af, SOCK_DGRAM, IPPROTO_UDP);

    memset(addr, 0, sizeof(*addr));
    if (s == INVALID_SOCKET) return s;
    if (af == AF_INET)
    {
        struct sockaddr_in *in = (struct sockaddr_in *)addr;
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        *len = sizeof(*in);
    }
    else
    {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;
        in6->sin6_family = AF_INET6;
        in6->sin6_addr = loop6;
        *len = sizeof(*in6);
    }
    if (bind(s, (struct sockaddr *)addr, *len) || getsockname(s, (struct sockaddr *)addr, len))
    {
        closesocket(s);
        return INVALID_SOCKET;
    }
    return s;
}

/* A non-blocking TCP connect of family af to a loopback port nobody listens on (a closed listener's
 * port): its failure shows in the except set. */
static SOCKET failing_connect(int af)
{
    struct sockaddr_storage addr;
    int len;
    u_long nb = 1;
    SOCKET l = socket(af, SOCK_STREAM, IPPROTO_TCP), c;

    if (l == INVALID_SOCKET) return l;
    memset(&addr, 0, sizeof(addr));
    addr.ss_family = (ADDRESS_FAMILY)af;
    if (af == AF_INET) ((struct sockaddr_in *)&addr)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    else ((struct sockaddr_in6 *)&addr)->sin6_addr = loop6;
    len = af == AF_INET ? (int)sizeof(struct sockaddr_in) : (int)sizeof(struct sockaddr_in6);
    if (bind(l, (struct sockaddr *)&addr, len) || getsockname(l, (struct sockaddr *)&addr, &len))
    {
        closesocket(l);
        return INVALID_SOCKET;
    }
    closesocket(l);
    c = socket(af, SOCK_STREAM, IPPROTO_TCP);
    if (c == INVALID_SOCKET) return c;
    ioctlsocket(c, FIONBIO, &nb);
    if (!connect(c, (struct sockaddr *)&addr, len) || WSAGetLastError() != WSAEWOULDBLOCK)
    {
        closesocket(c);
        return INVALID_SOCKET;
    }
    return c;
}

int main(void)
{
    WSADATA wsa;
    struct sockaddr_storage a4, a6;
    int l4, l6, r, i;
    SOCKET u4, u6, c4, c6, t4, t6;
    fd_set rs, ws, es;
    TIMEVAL tv = { 5, 0 }, zero = { 0, 0 };
    WSAPOLLFD pfd[2];
    WSAPROTOCOL_INFOW p4, p6;
    char buf[16];

    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 1;
    u4 = udp_bound(AF_INET, &a4, &l4);
    u6 = udp_bound(AF_INET6, &a6, &l6);
    CHECK(u4 != INVALID_SOCKET && u6 != INVALID_SOCKET, "IPv4 and IPv6 UDP sockets on loopback (error %d)",
          WSAGetLastError());
    if (u4 == INVALID_SOCKET || u6 == INVALID_SOCKET) return e2e_done("fid_select_mixed");
    r = sizeof(p4);
    getsockopt(u4, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&p4, &r);
    r = sizeof(p6);
    getsockopt(u6, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&p6, &r);
    CHECK(memcmp(&p4.ProviderId, &p6.ProviderId, sizeof(GUID)) != 0,
          "the IPv4 and IPv6 sockets belong to two catalog entries of different provider ids (%lu, %lu)",
          (unsigned long)p4.dwCatalogEntryId, (unsigned long)p6.dwCatalogEntryId);

    /* nothing to read yet: a mixed read set with a zero timeout is accepted and reports nothing */
    for (i = 0; i < 2; i++)
    {
        FD_ZERO(&rs);
        FD_SET(i ? u6 : u4, &rs);
        FD_SET(i ? u4 : u6, &rs);
        r = select(0, &rs, NULL, NULL, &zero);
        CHECK(r == 0 && rs.fd_count == 0, "select over {%s} with nothing ready -> %d (error %d), %u left",
              i ? "IPv6, IPv4" : "IPv4, IPv6", r, WSAGetLastError(), rs.fd_count);
    }
    /* a datagram for each: both readable, both writable */
    CHECK(sendto(u4, "four", 4, 0, (struct sockaddr *)&a4, l4) == 4, "a datagram to the IPv4 socket");
    CHECK(sendto(u6, "six", 3, 0, (struct sockaddr *)&a6, l6) == 3, "a datagram to the IPv6 socket");
    for (i = 0; i < 2; i++)
    {
        FD_ZERO(&rs);
        FD_ZERO(&ws);
        FD_ZERO(&es);
        FD_SET(i ? u6 : u4, &rs);
        FD_SET(i ? u4 : u6, &rs);
        FD_SET(i ? u4 : u6, &ws);
        FD_SET(i ? u6 : u4, &ws);
        FD_SET(u4, &es);
        FD_SET(u6, &es);
        WSASetLastError(0xdead);
        r = select(0, &rs, &ws, &es, &tv);
        CHECK(r == 4 && rs.fd_count == 2 && ws.fd_count == 2 && es.fd_count == 0,
              "select over read, write and except sets of both families (%s first) -> %d (error %d): %u readable, "
              "%u writable, %u exceptional", i ? "IPv6" : "IPv4", r, WSAGetLastError(), rs.fd_count, ws.fd_count,
              es.fd_count);
        CHECK(FD_ISSET(u4, &rs) && FD_ISSET(u6, &rs) && FD_ISSET(u4, &ws) && FD_ISSET(u6, &ws),
              "both sockets are reported readable and writable");
    }
    /* WSAPoll over both families, in both orders */
    for (i = 0; i < 2; i++)
    {
        memset(pfd, 0, sizeof(pfd));
        pfd[0].fd = i ? u6 : u4;
        pfd[1].fd = i ? u4 : u6;
        pfd[0].events = pfd[1].events = POLLRDNORM;
        WSASetLastError(0xdead);
        r = WSAPoll(pfd, 2, 5000);
        CHECK(r == 2 && pfd[0].revents == POLLRDNORM && pfd[1].revents == POLLRDNORM,
              "WSAPoll over both families (%s first) -> %d (error %d), revents %#x %#x", i ? "IPv6" : "IPv4", r,
              WSAGetLastError(), pfd[0].revents, pfd[1].revents);
    }
    CHECK(recv(u6, buf, sizeof(buf), 0) == 3, "the IPv6 datagram is read");
    /* only the IPv4 socket is readable now: select and WSAPoll report just that one */
    FD_ZERO(&rs);
    FD_SET(u6, &rs);
    FD_SET(u4, &rs);
    r = select(0, &rs, NULL, NULL, &tv);
    CHECK(r == 1 && rs.fd_count == 1 && rs.fd_array[0] == u4, "select reports only the IPv4 socket -> %d (error %d)",
          r, WSAGetLastError());
    memset(pfd, 0, sizeof(pfd));
    pfd[0].fd = u6;
    pfd[1].fd = u4;
    pfd[0].events = pfd[1].events = POLLRDNORM | POLLWRNORM;
    r = WSAPoll(pfd, 2, 0);
    CHECK(r == 2 && pfd[0].revents == POLLWRNORM && pfd[1].revents == (POLLRDNORM | POLLWRNORM),
          "WSAPoll: IPv6 writable only, IPv4 readable and writable -> %d, revents %#x %#x", r, pfd[0].revents,
          pfd[1].revents);
    CHECK(recv(u4, buf, sizeof(buf), 0) == 4, "the IPv4 datagram is read");

    /* failed connects of both families show in one except set */
    c4 = failing_connect(AF_INET);
    c6 = failing_connect(AF_INET6);
    CHECK(c4 != INVALID_SOCKET && c6 != INVALID_SOCKET, "non-blocking connects to closed loopback ports");
    if (c4 != INVALID_SOCKET && c6 != INVALID_SOCKET)
    {
        FD_ZERO(&es);
        FD_ZERO(&ws);
        FD_SET(c6, &es);
        FD_SET(c4, &es);
        FD_SET(c6, &ws);
        FD_SET(c4, &ws);
        r = select(0, NULL, &ws, &es, &tv);
        CHECK(r == 2 && es.fd_count == 2 && ws.fd_count == 0,
              "select: both failed connects are exceptional, none writable -> %d (error %d), %u/%u", r,
              WSAGetLastError(), es.fd_count, ws.fd_count);
        closesocket(c4);
        closesocket(c6);
    }

    /* WSAEventSelect on both families (one provider call per socket) is unaffected */
    {
        WSAEVENT ev[2] = { WSACreateEvent(), WSACreateEvent() };
        WSANETWORKEVENTS ne;
        t4 = u4;
        t6 = u6;
        CHECK(!WSAEventSelect(t4, ev[0], FD_READ) && !WSAEventSelect(t6, ev[1], FD_READ), "WSAEventSelect on both");
        sendto(u6, "six", 3, 0, (struct sockaddr *)&a6, l6);
        r = (int)WSAWaitForMultipleEvents(2, ev, FALSE, 5000, FALSE);
        CHECK(r == WSA_WAIT_EVENT_0 + 1 && !WSAEnumNetworkEvents(t6, ev[1], &ne) && (ne.lNetworkEvents & FD_READ),
              "the IPv6 socket's event is signalled (wait -> %d)", r);
        WSAEventSelect(t4, NULL, 0);
        WSAEventSelect(t6, NULL, 0);
        WSACloseEvent(ev[0]);
        WSACloseEvent(ev[1]);
    }

    closesocket(u4);
    closesocket(u6);
    WSACleanup();
    return e2e_done("fid_select_mixed");
}
