/* bench.c - openws2's benchmark program: loopback scenarios with bounded durations, one result line
 * each ("RESULT <name> <value> <unit>"), read by bench/run.sh. Built twice from this source: for
 * Windows (MinGW, run under Wine once on our ws2_32 and once on Wine's builtin) and natively on Linux
 * through bench_shim.h (the machine's limit). Rows: TCP ping-pong (1 byte), bulk TCP (64 KiB writes),
 * UDP datagrams, socket create+close, select over 1,024 sockets (native: poll), overlapped echo over an
 * I/O completion port with 64 connections (native: epoll; bench_iocp.c / bench_epoll.c).
 * Usage: openws2_bench [--seconds S] [--only NAME] [--list]
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bench_shim.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"

#define SELECT_SOCKETS 1024
#define BULK_CHUNK (64 * 1024)
#define UDP_PAYLOAD 64

/* ---- helpers ---- */

static SOCKET tcp_listener(struct sockaddr_in *addr)
{
    socklen_t len = sizeof(*addr);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET) return s;
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)addr, sizeof(*addr)) || listen(s, 128) ||
        getsockname(s, (struct sockaddr *)addr, &len))
    {
        closesocket(s);
        return INVALID_SOCKET;
    }
    return s;
}

/* A connected TCP pair over loopback (TCP_NODELAY on both). */
static int tcp_pair(SOCKET *a, SOCKET *b)
{
    struct sockaddr_in addr;
    int one = 1;
    SOCKET l = tcp_listener(&addr);

    *a = *b = INVALID_SOCKET;
    if (l == INVALID_SOCKET) return -1;
    *a = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (*a == INVALID_SOCKET || connect(*a, (struct sockaddr *)&addr, sizeof(addr))) goto fail;
    *b = accept(l, NULL, NULL);
    if (*b == INVALID_SOCKET) goto fail;
    closesocket(l);
    setsockopt(*a, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one));
    setsockopt(*b, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one));
    return 0;
fail:
    fprintf(stderr, "tcp_pair: error %d\n", bench_last_error());
    if (*a != INVALID_SOCKET) closesocket(*a);
    closesocket(l);
    *a = INVALID_SOCKET;
    return -1;
}

/* ---- TCP ping-pong, 1 byte ---- */

static BENCH_THREAD_RET pingpong_echo(void *arg)
{
    SOCKET s = *(SOCKET *)arg;
    char c;
    while (recv(s, &c, 1, 0) == 1)
        if (send(s, &c, 1, 0) != 1) break;
    BENCH_THREAD_RETURN;
}

static double run_tcp_pingpong(double seconds)
{
    SOCKET a, b;
    bench_thread t;
    double start, end, now;
    long long n = 0;
    char c = 'x';
    int ok = 1;

    if (tcp_pair(&a, &b) || bench_thread_start(&t, pingpong_echo, &b)) return -1;
    start = bench_now();
    end = start + seconds;
    do
    {
        if (send(a, &c, 1, 0) != 1 || recv(a, &c, 1, 0) != 1) { ok = 0; break; }
        n++;
        now = bench_now();
    } while (now < end);
    shutdown(a, SD_SEND);
    bench_thread_join(t);
    closesocket(a);
    closesocket(b);
    return ok ? (double)n / (now - start) : -1;
}

/* ---- bulk TCP, 64 KiB writes ---- */

struct bulk
{
    SOCKET s;
    bench_flag stop;
    int failed;
};

static BENCH_THREAD_RET bulk_sender(void *arg)
{
    struct bulk *b = arg;
    char *buf = calloc(1, BULK_CHUNK);
    while (buf && !bench_atomic_get(&b->stop))
    {
        int off = 0;
        while (off < BULK_CHUNK)
        {
            int n = send(b->s, buf + off, BULK_CHUNK - off, 0);
            if (n <= 0) { b->failed = 1; goto out; }
            off += n;
        }
    }
out:
    shutdown(b->s, SD_SEND);
    free(buf);
    BENCH_THREAD_RETURN;
}

static double run_tcp_bulk(double seconds)
{
    struct bulk b;
    SOCKET rx;
    bench_thread t;
    char *buf = malloc(BULK_CHUNK);
    double start, now, elapsed;
    long long bytes = 0;
    int n = 0;

    if (!buf || tcp_pair(&b.s, &rx)) { free(buf); return -1; }
    b.stop = 0;
    b.failed = 0;
    if (bench_thread_start(&t, bulk_sender, &b)) return -1;
    start = now = bench_now();
    while (now - start < seconds && (n = recv(rx, buf, BULK_CHUNK, 0)) > 0)
    {
        bytes += n;
        now = bench_now();
    }
    elapsed = now - start;
    bench_atomic_set(&b.stop, 1);
    while (n > 0) n = recv(rx, buf, BULK_CHUNK, 0); /* drain until the sender's shutdown */
    bench_thread_join(t);
    closesocket(b.s);
    closesocket(rx);
    free(buf);
    return b.failed || n < 0 ? -1 : (double)bytes / elapsed / 1e6;
}

/* ---- UDP datagrams ---- */

struct udp
{
    SOCKET s;
    struct sockaddr_in to;
    bench_flag stop;
};

static BENCH_THREAD_RET udp_sender(void *arg)
{
    struct udp *u = arg;
    char buf[UDP_PAYLOAD];
    memset(buf, 'u', sizeof(buf));
    while (!bench_atomic_get(&u->stop))
        sendto(u->s, buf, sizeof(buf), 0, (struct sockaddr *)&u->to, sizeof(u->to));
    BENCH_THREAD_RETURN;
}

static double run_udp(double seconds)
{
    struct udp u;
    SOCKET rx = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    socklen_t len = sizeof(u.to);
    bench_thread t;
    char buf[2048];
    double start, now;
    long long n = 0;
    int size = 4 << 20;

    u.s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    u.stop = 0;
    memset(&u.to, 0, sizeof(u.to));
    u.to.sin_family = AF_INET;
    u.to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (rx == INVALID_SOCKET || u.s == INVALID_SOCKET || bind(rx, (struct sockaddr *)&u.to, sizeof(u.to)) ||
        getsockname(rx, (struct sockaddr *)&u.to, &len))
        return -1;
    setsockopt(rx, SOL_SOCKET, SO_RCVBUF, (const char *)&size, sizeof(size));
    bench_set_rcvtimeo(rx, 500);
    if (bench_thread_start(&t, udp_sender, &u)) return -1;
    start = now = bench_now();
    while (now - start < seconds)
    {
        if (recv(rx, buf, sizeof(buf), 0) == UDP_PAYLOAD) n++;
        now = bench_now();
    }
    bench_atomic_set(&u.stop, 1);
    bench_thread_join(t);
    closesocket(u.s);
    closesocket(rx);
    return n ? (double)n / (now - start) : -1;
}

/* ---- socket create + close ---- */

static double run_socket_create_close(double seconds)
{
    double start = bench_now(), now;
    long long n = 0;
    do
    {
        int i;
        for (i = 0; i < 16; i++)
        {
            SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            if (s == INVALID_SOCKET || closesocket(s)) return -1;
        }
        n += 16;
        now = bench_now();
    } while (now - start < seconds);
    return (double)n / (now - start);
}

/* ---- select over 1,024 sockets, one of them readable ---- */

static double run_select_1024(double seconds)
{
    SOCKET *socks = calloc(SELECT_SOCKETS, sizeof(SOCKET));
    struct sockaddr_in addr;
    socklen_t len = sizeof(addr);
    double start, now, result = -1;
    long long n = 0;
    int i, made = 0;

    if (!socks) return -1;
    for (; made < SELECT_SOCKETS; made++)
    {
        socks[made] = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        if (socks[made] == INVALID_SOCKET)
        {
            fprintf(stderr, "select_1024: socket %d: error %d\n", made, bench_last_error());
            goto out;
        }
    }
    /* socks[0] gets a datagram from socks[1]: exactly one readable socket */
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(socks[0], (struct sockaddr *)&addr, sizeof(addr)) || getsockname(socks[0], (struct sockaddr *)&addr, &len) ||
        sendto(socks[1], "s", 1, 0, (struct sockaddr *)&addr, sizeof(addr)) != 1)
        goto out;
    {
#ifdef _WIN32
        static fd_set all, rd;
        struct timeval tv = {1, 0};
        all.fd_count = SELECT_SOCKETS;
        for (i = 0; i < SELECT_SOCKETS; i++) all.fd_array[i] = socks[i]; /* FD_SET is quadratic */
        start = now = bench_now();
        do
        {
            int r;
            memcpy(&rd, &all, sizeof(rd));
            r = select(0, &rd, NULL, NULL, &tv);
            if (r != 1 || rd.fd_count != 1 || rd.fd_array[0] != socks[0]) goto out;
            n++;
            now = bench_now();
        } while (now - start < seconds);
#else
        /* native: select() cannot hold descriptors >= 1024, poll() watches the same 1,024 sockets */
        struct pollfd *p = calloc(SELECT_SOCKETS, sizeof(*p));
        if (!p) goto out;
        start = now = bench_now();
        do
        {
            int r;
            for (i = 0; i < SELECT_SOCKETS; i++)
            {
                p[i].fd = socks[i];
                p[i].events = POLLIN;
                p[i].revents = 0;
            }
            r = poll(p, SELECT_SOCKETS, 1000);
            if (r != 1 || !(p[0].revents & POLLIN)) { free(p); goto out; }
            n++;
            now = bench_now();
        } while (now - start < seconds);
        free(p);
#endif
    }
    result = (double)n / (now - start);
out:
    for (i = 0; i < made; i++) closesocket(socks[i]);
    free(socks);
    return result;
}

/* ---- the table ---- */

static const struct bench_scenario scenarios[] =
{
    {"tcp_pingpong", "round trips/s", run_tcp_pingpong},
    {"tcp_bulk", "MB/s", run_tcp_bulk},
    {"udp_datagrams", "datagrams/s", run_udp},
    {"socket_create_close", "sockets/s", run_socket_create_close},
    {"select_1024", "calls/s", run_select_1024},
    {"iocp_echo_64", "round trips/s", bench_iocp_echo},
    {NULL, NULL, NULL}
};

static void run_one(const struct bench_scenario *sc, double seconds, const char *only, int list)
{
    double v;
    if (only && strcmp(only, sc->name)) return;
    if (list)
    {
        printf("%s (%s)\n", sc->name, sc->unit);
        return;
    }
    v = sc->run(seconds);
    if (v > 0)
        printf("RESULT %s %.1f %s\n", sc->name, v, sc->unit);
    else
        printf("RESULT %s failed %s\n", sc->name, sc->unit);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    double seconds = 2.0;
    const char *only = NULL;
    int i, list = 0;

    for (i = 1; i < argc; i++)
    {
        if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
        else if (!strcmp(argv[i], "--list")) list = 1;
        else
        {
            fprintf(stderr, "usage: %s [--seconds S] [--only NAME] [--list]\n", argv[0]);
            return 2;
        }
    }
    if (seconds <= 0 || seconds > 60) seconds = 2.0;
    if (bench_net_init())
    {
        fprintf(stderr, "network initialisation failed\n");
        return 1;
    }
#ifdef _WIN32
    if (!list)
    {
        /* which ws2_32 is this? Wine's builtin DLLs carry "Wine builtin DLL" after the DOS header */
        HMODULE ws2 = GetModuleHandleA("ws2_32.dll");
        char path[MAX_PATH] = "";
        int builtin = ws2 && !memcmp((const char *)ws2 + sizeof(IMAGE_DOS_HEADER), "Wine builtin DLL", 16);
        if (ws2) GetModuleFileNameA(ws2, path, sizeof(path));
        printf("WS2_32 %s %s\n", builtin ? "builtin" : "openws2", path);
    }
#else
    if (!list) printf("WS2_32 native -\n");
#endif
    for (i = 0; scenarios[i].name; i++) run_one(&scenarios[i], seconds, only, list);
#ifdef BENCH_HAVE_RESOLVE
    for (i = 0; bench_resolve_scenarios[i].name; i++) run_one(&bench_resolve_scenarios[i], seconds, only, list);
#endif
    bench_net_done();
    return 0;
}
