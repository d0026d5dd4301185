/* conform_spi_dgram.c - ws2conform's datagram checks straight through a provider's SPI (AF_INET /
 * AF_INET6 SOCK_DGRAM entries), with the recording upcalls: two sockets bound to loopback,
 * WSPSendTo / blocking WSPRecvFrom (data and the sender's address), a non-blocking WSPRecvFrom
 * without data (WSAEWOULDBLOCK), an overlapped WSPRecvFrom completed through an event (IFS
 * providers; non-IFS completion is ws2_32's WPUCompleteOverlappedRequest), WSPSelect, close.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conform.h"
#include "trace.h"

struct dgram
{
    struct conf_target *t;
    const WSPPROC_TABLE *p;
    WSATHREADID *tid;
    SOCKET a, b;
    struct sockaddr_storage a_name, b_name;
    int a_len, b_len;
};

static BOOL bind_one(struct dgram *d, SOCKET s, struct sockaddr_storage *name, int *len, const char *what)
{
    struct sockaddr_storage addr;
    int alen, err = 0, r;

    conf_loopback(d->t->info.iAddressFamily, &addr, &alen);
    r = d->p->lpWSPBind(s, (struct sockaddr *)&addr, alen, &err);
    if (!conf_expect(r == 0, "datagram", "WSPBind(%s, loopback:0) -> %d err %d", what, r, r ? err : 0)) return FALSE;
    *len = sizeof(*name);
    r = d->p->lpWSPGetSockName(s, (struct sockaddr *)name, len, &err);
    return conf_expect(r == 0 && conf_port(name), "datagram", "WSPGetSockName(%s) -> %d port %u", what, r,
                       r ? 0 : conf_port(name));
}

static int send_to(struct dgram *d, const char *data, DWORD len, int *err)
{
    WSABUF b = {len, (char *)data};
    DWORD sent = 0;
    int r = d->p->lpWSPSendTo(d->a, &b, 1, &sent, 0, (struct sockaddr *)&d->b_name, d->b_len, NULL, NULL, d->tid, err);

    TRACE_SPI("ws2conform WSPSendTo(%#lx, %lu bytes) -> %d sent %lu (error %d)", (unsigned long)d->a,
              (unsigned long)len, r, (unsigned long)sent, r ? *err : 0);
    return r ? -1 : (int)sent;
}

static int recv_from(struct dgram *d, char *buf, DWORD size, struct sockaddr_storage *from, int *from_len,
                     LPWSAOVERLAPPED ov, int *err)
{
    WSABUF b = {size, buf};
    DWORD n = 0, flags = 0;
    int r = d->p->lpWSPRecvFrom(d->b, &b, 1, &n, &flags, (struct sockaddr *)from, from_len, ov, NULL, d->tid, err);

    TRACE_SPI("ws2conform WSPRecvFrom(%#lx, ov %p) -> %d got %lu (error %d)", (unsigned long)d->b, (void *)ov, r,
              (unsigned long)n, r ? *err : 0);
    return r ? -1 : (int)n;
}

static void check_transfer(struct dgram *d)
{
    struct sockaddr_storage from;
    int from_len = sizeof(from), err = 0, n;
    char buf[32] = {0};

    n = send_to(d, "datagram", 8, &err);
    if (!conf_expect(n == 8, "datagram", "WSPSendTo of 8 bytes -> %d err %d", n, n < 0 ? err : 0)) return;
    n = recv_from(d, buf, sizeof(buf), &from, &from_len, NULL, &err);
    conf_expect(n == 8 && !memcmp(buf, "datagram", 8) && conf_port(&from) == conf_port(&d->a_name), "datagram",
                "blocking WSPRecvFrom -> %d bytes \"%.8s\" from port %u (sender %u) err %d", n, buf,
                n < 0 ? 0 : conf_port(&from), conf_port(&d->a_name), n < 0 ? err : 0);
}

static void check_nonblocking(struct dgram *d)
{
    u_long on = 1;
    DWORD ret = 0;
    struct sockaddr_storage from;
    int from_len = sizeof(from), err = 0, r;
    char buf[8];

    r = d->p->lpWSPIoctl(d->b, FIONBIO, &on, sizeof(on), NULL, 0, &ret, NULL, NULL, d->tid, &err);
    if (r && err == WSAEOPNOTSUPP)
    {
        conf_report(CONF_SKIP, "datagram non-blocking", "WSPIoctl(FIONBIO) -> WSAEOPNOTSUPP");
        return;
    }
    if (!conf_expect(r == 0, "datagram non-blocking", "WSPIoctl(FIONBIO, 1) -> %d err %d", r, r ? err : 0)) return;
    r = recv_from(d, buf, sizeof(buf), &from, &from_len, NULL, &err);
    conf_expect(r < 0 && err == WSAEWOULDBLOCK, "datagram non-blocking", "WSPRecvFrom without data -> %d err %d "
                "(WSAEWOULDBLOCK expected)", r, r < 0 ? err : 0);
    on = 0;
    r = d->p->lpWSPIoctl(d->b, FIONBIO, &on, sizeof(on), NULL, 0, &ret, NULL, NULL, d->tid, &err);
    conf_expect(r == 0, "datagram non-blocking", "WSPIoctl(FIONBIO, 0) -> %d", r);
}

static void check_overlapped(struct dgram *d)
{
    WSAOVERLAPPED ov;
    struct sockaddr_storage from;
    int from_len = sizeof(from), err = 0, r;
    DWORD bytes = 0, flags = 0, w;
    char buf[32] = {0};
    BOOL ok;

    if (d->t->ifs != 1)
    {
        conf_report(CONF_SKIP, "datagram overlapped", "non-IFS completion uses ws2_32's WPUCompleteOverlappedRequest "
                    "(checked through ws2_32 with --entry)");
        return;
    }
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    r = recv_from(d, buf, sizeof(buf), &from, &from_len, &ov, &err);
    if (r < 0 && err == WSAEOPNOTSUPP) conf_report(CONF_SKIP, "datagram overlapped", "WSPRecvFrom -> WSAEOPNOTSUPP");
    else if (conf_expect(r >= 0 || err == WSA_IO_PENDING, "datagram overlapped",
                         "overlapped WSPRecvFrom -> %d err %d (0 or WSA_IO_PENDING)", r < 0 ? -1 : 0, r < 0 ? err : 0))
    {
        send_to(d, "overlapD", 8, &err);
        w = WaitForSingleObject(ov.hEvent, CONF_WAIT_MS);
        ok = d->p->lpWSPGetOverlappedResult(d->b, &ov, &bytes, TRUE, &flags, &err);
        conf_expect(w == WAIT_OBJECT_0 && ok && bytes == 8 && !memcmp(buf, "overlapD", 8), "datagram overlapped",
                    "event signalled (%lu), WSPGetOverlappedResult -> %d, %lu bytes \"%.8s\"", (unsigned long)w, ok,
                    (unsigned long)bytes, buf);
    }
    CloseHandle(ov.hEvent);
}

static void check_select(struct dgram *d)
{
    fd_set rd;
    struct timeval zero = {0, 0}, wait = {CONF_WAIT_MS / 1000, 0};
    struct sockaddr_storage from;
    int from_len = sizeof(from), err = 0, r;
    char buf[8];

    FD_ZERO(&rd);
    FD_SET(d->b, &rd);
    r = d->p->lpWSPSelect(0, &rd, NULL, NULL, &zero, &err);
    if (r == SOCKET_ERROR && err == WSAEOPNOTSUPP)
    {
        conf_report(CONF_SKIP, "datagram select", "WSPSelect -> WSAEOPNOTSUPP");
        return;
    }
    conf_expect(r == 0, "datagram select", "WSPSelect without a datagram, timeout 0 -> %d", r);
    send_to(d, "s", 1, &err);
    FD_ZERO(&rd);
    FD_SET(d->b, &rd);
    r = d->p->lpWSPSelect(0, &rd, NULL, NULL, &wait, &err);
    conf_expect(r == 1 && rd.fd_count == 1 && rd.fd_array[0] == d->b, "datagram select",
                "WSPSelect after a datagram -> %d", r);
    if (r == 1) recv_from(d, buf, sizeof(buf), &from, &from_len, NULL, &err);
}

void conf_check_spi_dgram(struct conf_target *t, const WSPPROC_TABLE *p, WSATHREADID *tid,
                          SOCKET (*make)(void *ctx, const char *what), void *ctx)
{
    struct dgram d;
    int err = 0;

    memset(&d, 0, sizeof(d));
    d.t = t;
    d.p = p;
    d.tid = tid;
    if (!p->lpWSPBind || !p->lpWSPGetSockName || !p->lpWSPSendTo || !p->lpWSPRecvFrom || !p->lpWSPIoctl ||
        !p->lpWSPSelect || !p->lpWSPGetOverlappedResult)
    {
        conf_report(CONF_FAIL, "datagram", "the procedure table lacks a datagram member: checks impossible");
        return;
    }
    d.a = make(ctx, "sender");
    d.b = make(ctx, "receiver");
    if (d.a != INVALID_SOCKET && d.b != INVALID_SOCKET && bind_one(&d, d.a, &d.a_name, &d.a_len, "sender") &&
        bind_one(&d, d.b, &d.b_name, &d.b_len, "receiver"))
    {
        if (!conf_skip("datagram")) check_transfer(&d);
        if (!conf_skip("datagram non-blocking")) check_nonblocking(&d);
        if (!conf_skip("datagram overlapped")) check_overlapped(&d);
        if (!conf_skip("datagram select")) check_select(&d);
    }
    conf_begin("close");
    if (d.a != INVALID_SOCKET)
        conf_expect(!p->lpWSPCloseSocket(d.a, &err), "close", "WSPCloseSocket(datagram sender) err %d", err);
    if (d.b != INVALID_SOCKET)
        conf_expect(!p->lpWSPCloseSocket(d.b, &err), "close", "WSPCloseSocket(datagram receiver) err %d", err);
}
