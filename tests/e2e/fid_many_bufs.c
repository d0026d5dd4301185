/* fid_many_bufs.c - WSASend / WSASendTo / WSARecv / WSARecvFrom with more than 1,024 buffers (2048
 * and 5000; Go's net.Buffers writes that many), which Windows accepts: TCP blocking and overlapped
 * sends and receives, UDP datagrams scattered over and gathered from that many buffers; the data is
 * checked byte for byte.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "e2e_check.h"
#include <stdlib.h>

/* count buffers of 1..7 bytes over area, one byte apart (not adjacent: nothing can be merged), so the
 * data sits at area + pieces; returns the data's total. */
static size_t split(char *area, WSABUF *bufs, DWORD count)
{
    size_t off = 0, total = 0;
    DWORD i;

    for (i = 0; i < count; i++)
    {
        bufs[i].buf = area + off;
        bufs[i].len = 1 + i % 7;
        off += bufs[i].len + 1;
        total += bufs[i].len;
    }
    return total;
}

/* The data of the buffers, one after the other, into out. */
static void gather(const WSABUF *bufs, DWORD count, char *out)
{
    DWORD i;
    for (i = 0; i < count; i++)
    {
        memcpy(out, bufs[i].buf, bufs[i].len);
        out += bufs[i].len;
    }
}

static void fill(char *data, size_t len, unsigned seed)
{
    size_t i;
    for (i = 0; i < len; i++) data[i] = (char)((i * 131 + seed * 7 + (i >> 8)) & 0xff);
}

static void tcp_pair(SOCKET *a, SOCKET *b)
{
    struct sockaddr_in addr;
    int len = sizeof(addr);
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    *a = *b = INVALID_SOCKET;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(l, (struct sockaddr *)&addr, len) || listen(l, 1) || getsockname(l, (struct sockaddr *)&addr, &len))
        return;
    *a = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (connect(*a, (struct sockaddr *)&addr, len)) return;
    *b = accept(l, NULL, NULL);
    closesocket(l);
    {
        DWORD t = 10000;
        setsockopt(*a, SOL_SOCKET, SO_RCVTIMEO, (char *)&t, sizeof(t));
        setsockopt(*b, SOL_SOCKET, SO_RCVTIMEO, (char *)&t, sizeof(t));
    }
}

/* Receives exactly len bytes with plain recv. */
static int recv_all(SOCKET s, char *out, size_t len)
{
    size_t got = 0;
    while (got < len)
    {
        int r = recv(s, out + got, (int)(len - got > 65536 ? 65536 : len - got), 0);
        if (r <= 0) return 0;
        got += (size_t)r;
    }
    return 1;
}

/* Drops the first n bytes from a buffer array (in place); returns the new first index. */
static DWORD advance(WSABUF *bufs, DWORD first, DWORD count, size_t n)
{
    while (n && first < count)
    {
        if (n >= bufs[first].len)
        {
            n -= bufs[first].len;
            first++;
        }
        else
        {
            bufs[first].buf += n;
            bufs[first].len -= (ULONG)n;
            n = 0;
        }
    }
    return first;
}

static void tcp_case(DWORD count, BOOL overlapped)
{
    const char *mode = overlapped ? "overlapped" : "blocking";
    WSABUF *bufs = calloc(count, sizeof(*bufs));
    char *area = malloc((size_t)count * 8), *data = malloc((size_t)count * 8), *got = malloc((size_t)count * 8);
    SOCKET a, b;
    size_t total, i;
    DWORD n = 0, flags = 0, first, rounds = 0;
    WSAOVERLAPPED ov;
    int r;

    tcp_pair(&a, &b);
    CHECK(a != INVALID_SOCKET && b != INVALID_SOCKET, "TCP pair");
    if (a == INVALID_SOCKET || b == INVALID_SOCKET || !bufs || !area || !data || !got) return;
    fill(area, (size_t)count * 8, count);
    total = split(area, bufs, count);
    gather(bufs, count, data);

    /* send */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    WSASetLastError(0);
    r = WSASend(a, bufs, count, &n, 0, overlapped ? &ov : NULL, NULL);
    if (overlapped && r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING)
        r = WSAGetOverlappedResult(a, &ov, &n, TRUE, &flags) ? 0 : SOCKET_ERROR;
    else if (overlapped && r == 0)
        r = WSAGetOverlappedResult(a, &ov, &n, TRUE, &flags) ? 0 : SOCKET_ERROR;
    CHECK(r == 0 && n == total, "%s WSASend of %lu buffers -> %d, %lu of %lu bytes (error %d)", mode,
          (unsigned long)count, r, (unsigned long)n, (unsigned long)total, WSAGetLastError());
    memset(got, 0, total);
    CHECK(recv_all(b, got, total) && !memcmp(got, data, total), "%s WSASend of %lu buffers: the data arrived byte for byte",
          mode, (unsigned long)count);

    /* receive into as many buffers: the whole stream, however the receives split it */
    fill(data, total, count + 1);
    CHECK(send(a, data, (int)total, 0) == (int)total, "send %lu bytes", (unsigned long)total);
    memset(area, 0, (size_t)count * 8);
    split(area, bufs, count);
    for (i = 0; i < count; i++) bufs[i].buf[bufs[i].len] = 0x5a;   /* the gaps must stay untouched */
    first = 0;
    r = 0;
    while (first < count && r == 0 && rounds++ < 1000)
    {
        n = 0;
        flags = 0;
        WSAResetEvent(ov.hEvent);
        r = WSARecv(b, bufs + first, count - first, &n, &flags, overlapped ? &ov : NULL, NULL);
        if (overlapped && (r == 0 || WSAGetLastError() == WSA_IO_PENDING))
            r = WSAGetOverlappedResult(b, &ov, &n, TRUE, &flags) ? 0 : SOCKET_ERROR;
        if (r == 0 && n == 0) break;
        if (r == 0) first = advance(bufs, first, count, n);
    }
    split(area, bufs, count);
    gather(bufs, count, got);
    for (i = 0; i < count; i++)
        if (bufs[i].buf[bufs[i].len] != 0x5a) r = -2;
    CHECK(r == 0 && first == count && !memcmp(got, data, total),
          "%s WSARecv into %lu buffers: %lu bytes byte for byte in %lu calls (error %d)", mode, (unsigned long)count,
          (unsigned long)total, (unsigned long)rounds, r ? WSAGetLastError() : 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
    free(bufs);
    free(area);
    free(data);
    free(got);
}

/* An overlapped send through a completion port, as Go's net.Buffers does it: 2048 buffers of 4 KiB
 * one byte apart (8 MiB, far more than the socket takes at once, so the request waits for the
 * reader), completed through the port with the full count; the data is checked. */
static void tcp_iocp_pending(void)
{
    const DWORD count = 2048, piece = 4096;
    WSABUF *bufs = calloc(count, sizeof(*bufs));
    char *area = malloc((size_t)count * (piece + 1)), *data = malloc((size_t)count * piece);
    char *got = malloc((size_t)count * piece);
    WSAOVERLAPPED ov, *done = NULL;
    DWORD i, n = 0, bytes = 0;
    ULONG_PTR key = 0;
    HANDLE port;
    SOCKET a, b;
    int r;

    tcp_pair(&a, &b);
    if (a == INVALID_SOCKET || b == INVALID_SOCKET || !bufs || !area || !data || !got) return;
    fill(area, (size_t)count * (piece + 1), 99);
    for (i = 0; i < count; i++)
    {
        bufs[i].buf = area + (size_t)i * (piece + 1);
        bufs[i].len = piece;
    }
    gather(bufs, count, data);
    port = CreateIoCompletionPort((HANDLE)a, NULL, 0x77, 0);
    CHECK(port != NULL, "completion port");
    memset(&ov, 0, sizeof(ov));
    r = WSASend(a, bufs, count, &n, 0, &ov, NULL);
    CHECK(r == 0 || WSAGetLastError() == WSA_IO_PENDING, "WSASend of %lu 4 KiB buffers through a completion port -> %d "
          "(error %d)", (unsigned long)count, r, r ? WSAGetLastError() : 0);
    memset(area, 0, (size_t)count * (piece + 1));   /* the caller's buffers are not used after the call */
    CHECK(recv_all(b, got, (size_t)count * piece) && !memcmp(got, data, (size_t)count * piece),
          "the 8 MiB arrived byte for byte");
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &done, 10000) && done == &ov && key == 0x77 &&
              bytes == count * piece,
          "the completion came through the port: %lu bytes, key %#lx", (unsigned long)bytes, (unsigned long)key);
    CloseHandle(port);
    closesocket(a);
    closesocket(b);
    free(bufs);
    free(area);
    free(data);
    free(got);
}

/* One datagram of count bytes gathered from count one-byte buffers and scattered into as many:
 * adjacent buffers (stride 1) or one byte apart (stride 2). */
static void udp_case(DWORD count, BOOL overlapped, int stride)
{
    const char *mode = overlapped ? "overlapped" : "blocking";
    WSABUF *bufs = calloc(count, sizeof(*bufs));
    char *data = malloc(count), *got = malloc(count), *area = malloc((size_t)count * 2);
    struct sockaddr_in addr, from;
    int len = sizeof(addr), fromlen = sizeof(from), r;
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    DWORD n = 0, flags = 0, i;
    WSAOVERLAPPED ov;

    if (!bufs || !data || !got || !area) return;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(!bind(s, (struct sockaddr *)&addr, len) && !getsockname(s, (struct sockaddr *)&addr, &len), "UDP socket");
    fill(data, count, count + 2);
    for (i = 0; i < count; i++)
    {
        bufs[i].buf = area + (size_t)i * stride;
        bufs[i].len = 1;
        bufs[i].buf[0] = data[i];
    }
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    r = WSASendTo(s, bufs, count, &n, 0, (struct sockaddr *)&addr, len, overlapped ? &ov : NULL, NULL);
    if (overlapped && (r == 0 || WSAGetLastError() == WSA_IO_PENDING))
        r = WSAGetOverlappedResult(s, &ov, &n, TRUE, &flags) ? 0 : SOCKET_ERROR;
    CHECK(r == 0 && n == count, "%s WSASendTo of %lu one-byte buffers -> %d, %lu bytes (error %d)", mode,
          (unsigned long)count, r, (unsigned long)n, WSAGetLastError());
    memset(area, 0x5a, (size_t)count * 2);
    for (i = 0; i < count; i++)
    {
        bufs[i].buf = area + (size_t)i * stride;
        bufs[i].len = 1;
    }
    n = 0;
    flags = 0;
    WSAResetEvent(ov.hEvent);
    r = WSARecvFrom(s, bufs, count, &n, &flags, (struct sockaddr *)&from, &fromlen, overlapped ? &ov : NULL, NULL);
    if (overlapped && (r == 0 || WSAGetLastError() == WSA_IO_PENDING))
        r = WSAGetOverlappedResult(s, &ov, &n, TRUE, &flags) ? 0 : SOCKET_ERROR;
    for (i = 0; i < count; i++)
    {
        got[i] = bufs[i].buf[0];
        if (stride == 2 && bufs[i].buf[1] != 0x5a) r = -2;
    }
    CHECK(r == 0 && n == count && !memcmp(got, data, count) && from.sin_port == addr.sin_port,
          "%s WSARecvFrom into %lu one-byte buffers%s -> %d, %lu bytes byte for byte (error %d)", mode,
          (unsigned long)count, stride == 2 ? " one byte apart" : "", r, (unsigned long)n, WSAGetLastError());
    WSACloseEvent(ov.hEvent);
    closesocket(s);
    free(bufs);
    free(area);
    free(data);
    free(got);
}

int main(void)
{
    static const DWORD counts[] = { 1024, 2048, 5000 };
    WSADATA wsa;
    size_t i;

    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 1;
    for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
    {
        tcp_case(counts[i], FALSE);
        tcp_case(counts[i], TRUE);
        udp_case(counts[i], FALSE, 1);
        udp_case(counts[i], FALSE, 2);
        udp_case(counts[i], TRUE, 1);
    }
    tcp_iocp_pending();
    WSACleanup();
    return e2e_done("fid_many_bufs");
}
