/* bench_iocp.c - the benchmark's overlapped row (Windows): 64 loopback TCP connections, both ends on
 * one I/O completion port served by one thread; each client sends 1 byte (overlapped WSASend), the
 * server end's overlapped WSARecv completes and it echoes the byte back with WSASend, the client's
 * WSARecv completion counts one round trip and sends the next. Native twin: bench_epoll.c.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bench_shim.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"

#define CONNS 64

enum op_kind { OP_CLIENT_RECV, OP_SERVER_RECV, OP_SEND };

struct op
{
    OVERLAPPED ov; /* first member: the OVERLAPPED pointer is the op */
    enum op_kind kind;
    int conn;
    char byte;
    WSABUF wsabuf;
    struct op *next_free;
};

struct iocp_state
{
    HANDLE port;
    SOCKET client[CONNS], server[CONNS];
    struct op *free_ops;
    int outstanding;
    int failed;
};

static struct op *op_get(struct iocp_state *st, enum op_kind kind, int conn)
{
    struct op *o = st->free_ops;
    if (o) st->free_ops = o->next_free;
    else if (!(o = malloc(sizeof(*o)))) return NULL;
    memset(o, 0, sizeof(*o));
    o->kind = kind;
    o->conn = conn;
    o->wsabuf.buf = &o->byte;
    o->wsabuf.len = 1;
    return o;
}

static void op_put(struct iocp_state *st, struct op *o)
{
    o->next_free = st->free_ops;
    st->free_ops = o;
}

static int post_recv(struct iocp_state *st, enum op_kind kind, int conn)
{
    struct op *o = op_get(st, kind, conn);
    DWORD flags = 0;
    SOCKET s = kind == OP_CLIENT_RECV ? st->client[conn] : st->server[conn];
    if (!o) return -1;
    if (WSARecv(s, &o->wsabuf, 1, NULL, &flags, &o->ov, NULL) && WSAGetLastError() != WSA_IO_PENDING)
    {
        fprintf(stderr, "iocp_echo: WSARecv error %d\n", WSAGetLastError());
        op_put(st, o);
        return -1;
    }
    st->outstanding++;
    return 0;
}

static int post_send(struct iocp_state *st, SOCKET s, int conn, char byte)
{
    struct op *o = op_get(st, OP_SEND, conn);
    if (!o) return -1;
    o->byte = byte;
    if (WSASend(s, &o->wsabuf, 1, NULL, 0, &o->ov, NULL) && WSAGetLastError() != WSA_IO_PENDING)
    {
        fprintf(stderr, "iocp_echo: WSASend error %d\n", WSAGetLastError());
        op_put(st, o);
        return -1;
    }
    st->outstanding++;
    return 0;
}

double bench_iocp_echo(double seconds)
{
    struct iocp_state st;
    struct sockaddr_in addr;
    int len = sizeof(addr), i, one = 1;
    SOCKET l;
    double start, now, result = -1;
    long long trips = 0;
    struct op *o;

    memset(&st, 0, sizeof(st));
    for (i = 0; i < CONNS; i++) st.client[i] = st.server[i] = INVALID_SOCKET;
    st.port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (!st.port || l == INVALID_SOCKET || bind(l, (struct sockaddr *)&addr, sizeof(addr)) || listen(l, CONNS) ||
        getsockname(l, (struct sockaddr *)&addr, &len))
        goto out;
    for (i = 0; i < CONNS; i++)
    {
        st.client[i] = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
        if (st.client[i] == INVALID_SOCKET || connect(st.client[i], (struct sockaddr *)&addr, sizeof(addr))) goto out;
        st.server[i] = accept(l, NULL, NULL);
        if (st.server[i] == INVALID_SOCKET) goto out;
        setsockopt(st.client[i], IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one));
        setsockopt(st.server[i], IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one));
        if (!CreateIoCompletionPort((HANDLE)st.client[i], st.port, 0, 0) ||
            !CreateIoCompletionPort((HANDLE)st.server[i], st.port, 0, 0))
        {
            fprintf(stderr, "iocp_echo: CreateIoCompletionPort error %lu\n", GetLastError());
            goto out;
        }
    }
    for (i = 0; i < CONNS; i++)
        if (post_recv(&st, OP_SERVER_RECV, i) || post_recv(&st, OP_CLIENT_RECV, i) ||
            post_send(&st, st.client[i], i, 'e'))
            goto out;

    start = now = bench_now();
    while (now - start < seconds && !st.failed)
    {
        DWORD bytes = 0;
        ULONG_PTR key;
        OVERLAPPED *ov = NULL;
        BOOL ok = GetQueuedCompletionStatus(st.port, &bytes, &key, &ov, 1000);
        now = bench_now();
        if (!ov) { st.failed = 1; break; } /* timeout: the echo stalled */
        o = (struct op *)ov;
        st.outstanding--;
        if (!ok || (o->kind != OP_SEND && bytes != 1)) { st.failed = 1; op_put(&st, o); break; }
        switch (o->kind)
        {
        case OP_SERVER_RECV:
            if (post_send(&st, st.server[o->conn], o->conn, o->byte) || post_recv(&st, OP_SERVER_RECV, o->conn))
                st.failed = 1;
            break;
        case OP_CLIENT_RECV:
            trips++;
            if (post_recv(&st, OP_CLIENT_RECV, o->conn) || post_send(&st, st.client[o->conn], o->conn, o->byte))
                st.failed = 1;
            break;
        case OP_SEND:
            break;
        }
        op_put(&st, o);
    }
    if (!st.failed && trips) result = (double)trips / (now - start);

out:
    if (result < 0) fprintf(stderr, "iocp_echo: failed (error %d)\n", WSAGetLastError());
    for (i = 0; i < CONNS; i++)
    {
        if (st.client[i] != INVALID_SOCKET) closesocket(st.client[i]);
        if (st.server[i] != INVALID_SOCKET) closesocket(st.server[i]);
    }
    if (l != INVALID_SOCKET) closesocket(l);
    /* the closed sockets' pending requests complete (with an error): collect them before freeing */
    while (st.port && st.outstanding > 0)
    {
        DWORD bytes;
        ULONG_PTR key;
        OVERLAPPED *ov = NULL;
        GetQueuedCompletionStatus(st.port, &bytes, &key, &ov, 2000);
        if (!ov) break;
        st.outstanding--;
        op_put(&st, (struct op *)ov);
    }
    if (st.outstanding > 0)
        fprintf(stderr, "iocp_echo: %d requests never completed after close (their memory is leaked)\n",
                st.outstanding);
    while ((o = st.free_ops)) { st.free_ops = o->next_free; free(o); }
    if (st.port) CloseHandle(st.port);
    return result;
}
