/* conform_ws2_dgram.c - ws2conform's datagram checks through ws2_32 for a SOCK_DGRAM catalog entry:
 * sockets from the entry's protocol info bound to loopback, sendto / blocking recvfrom (data and the
 * sender's address), a non-blocking recvfrom without data (WSAEWOULDBLOCK), an overlapped
 * WSARecvFrom completed through an event, select, closesocket.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conform.h"

static BOOL bind_one(SOCKET s, int af, struct sockaddr_storage *name, int *len, const char *what)
{
    struct sockaddr_storage addr;
    int alen, r;

    conf_loopback(af, &addr, &alen);
    r = bind(s, (struct sockaddr *)&addr, alen);
    if (!conf_expect(r == 0, "ws2 datagram", "bind(%s, loopback:0) -> %d err %d", what, r, r ? WSAGetLastError() : 0))
        return FALSE;
    *len = sizeof(*name);
    r = getsockname(s, (struct sockaddr *)name, len);
    return conf_expect(r == 0 && conf_port(name), "ws2 datagram", "getsockname(%s) -> %d port %u", what, r,
                       r ? 0 : conf_port(name));
}

void conf_check_ws2_dgram(struct conf_target *t, SOCKET a, SOCKET b)
{
    struct sockaddr_storage an, bn, from;
    int alen, blen, flen, r, err;
    char buf[32] = {0};
    u_long on = 1;

    if (!bind_one(a, t->info.iAddressFamily, &an, &alen, "sender") ||
        !bind_one(b, t->info.iAddressFamily, &bn, &blen, "receiver"))
        return;
    if (!conf_skip("ws2 datagram"))
    {
        r = sendto(a, "datagram", 8, 0, (struct sockaddr *)&bn, blen);
        flen = sizeof(from);
        if (conf_expect(r == 8, "ws2 datagram", "sendto of 8 bytes -> %d err %d", r, r < 0 ? WSAGetLastError() : 0))
        {
            r = recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
            conf_expect(r == 8 && !memcmp(buf, "datagram", 8) && conf_port(&from) == conf_port(&an), "ws2 datagram",
                        "blocking recvfrom -> %d bytes \"%.8s\" from port %u (sender %u)", r, buf,
                        r < 0 ? 0 : conf_port(&from), conf_port(&an));
        }
    }
    if (!conf_skip("ws2 datagram non-blocking"))
    {
        r = ioctlsocket(b, FIONBIO, &on);
        if (conf_expect(r == 0, "ws2 datagram non-blocking", "ioctlsocket(FIONBIO, 1) -> %d", r))
        {
            r = recvfrom(b, buf, sizeof(buf), 0, NULL, NULL);
            err = WSAGetLastError();
            conf_expect(r == SOCKET_ERROR && err == WSAEWOULDBLOCK, "ws2 datagram non-blocking",
                        "recvfrom without data -> %d err %d", r, r < 0 ? err : 0);
            on = 0;
            r = ioctlsocket(b, FIONBIO, &on);
            conf_expect(r == 0, "ws2 datagram non-blocking", "ioctlsocket(FIONBIO, 0) -> %d", r);
        }
    }
    if (!conf_skip("ws2 datagram overlapped"))
    {
        WSAOVERLAPPED ov;
        WSABUF wb = {sizeof(buf), buf};
        DWORD n = 0, flags = 0, bytes = 0, w;
        BOOL ok;

        memset(&ov, 0, sizeof(ov));
        memset(buf, 0, sizeof(buf));
        ov.hEvent = WSACreateEvent();
        flen = sizeof(from);
        r = WSARecvFrom(b, &wb, 1, &n, &flags, (struct sockaddr *)&from, &flen, &ov, NULL);
        err = r ? WSAGetLastError() : 0;
        if (r && err == WSAEOPNOTSUPP) conf_report(CONF_SKIP, "ws2 datagram overlapped", "WSARecvFrom -> WSAEOPNOTSUPP");
        else if (conf_expect(r == 0 || err == WSA_IO_PENDING, "ws2 datagram overlapped", "overlapped WSARecvFrom -> %d err %d",
                             r, err))
        {
            sendto(a, "overlapD", 8, 0, (struct sockaddr *)&bn, blen);
            w = WaitForSingleObject(ov.hEvent, CONF_WAIT_MS);
            ok = WSAGetOverlappedResult(b, &ov, &bytes, TRUE, &flags);
            conf_expect(w == WAIT_OBJECT_0 && ok && bytes == 8 && !memcmp(buf, "overlapD", 8), "ws2 datagram overlapped",
                        "event signalled (%lu), WSAGetOverlappedResult -> %d, %lu bytes \"%.8s\"", (unsigned long)w, ok,
                        (unsigned long)bytes, buf);
        }
        WSACloseEvent(ov.hEvent);
    }
    if (!conf_skip("ws2 datagram select"))
    {
        fd_set rd;
        struct timeval zero = {0, 0}, wait = {CONF_WAIT_MS / 1000, 0};

        FD_ZERO(&rd);
        FD_SET(b, &rd);
        r = select(0, &rd, NULL, NULL, &zero);
        conf_expect(r == 0, "ws2 datagram select", "select without a datagram, timeout 0 -> %d", r);
        sendto(a, "s", 1, 0, (struct sockaddr *)&bn, blen);
        FD_ZERO(&rd);
        FD_SET(b, &rd);
        r = select(0, &rd, NULL, NULL, &wait);
        conf_expect(r == 1 && FD_ISSET(b, &rd), "ws2 datagram select", "select after a datagram -> %d", r);
        if (r == 1) recvfrom(b, buf, sizeof(buf), 0, NULL, NULL);
    }
}
