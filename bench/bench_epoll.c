/* bench_epoll.c - the native twin of bench_iocp.c: 64 loopback TCP connections, both ends
 * non-blocking in one epoll set served by one thread; each client sends 1 byte, the server end echoes
 * it back, the client counts one round trip and sends the next.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bench_shim.h"
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include "bench.h"

#define CONNS 64

double bench_iocp_echo(double seconds)
{
    int client[CONNS], server[CONNS], i, ep, one = 1, failed = 0;
    struct sockaddr_in addr;
    socklen_t len = sizeof(addr);
    struct epoll_event ev, events[2 * CONNS];
    double start, now, result = -1;
    long long trips = 0;
    int l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    for (i = 0; i < CONNS; i++) client[i] = server[i] = -1;
    ep = epoll_create1(0);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (ep < 0 || l < 0 || bind(l, (struct sockaddr *)&addr, sizeof(addr)) || listen(l, CONNS) ||
        getsockname(l, (struct sockaddr *)&addr, &len))
        goto out;
    for (i = 0; i < CONNS; i++)
    {
        client[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (client[i] < 0 || connect(client[i], (struct sockaddr *)&addr, sizeof(addr))) goto out;
        server[i] = accept(l, NULL, NULL);
        if (server[i] < 0) goto out;
        setsockopt(client[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        setsockopt(server[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        fcntl(client[i], F_SETFL, O_NONBLOCK);
        fcntl(server[i], F_SETFL, O_NONBLOCK);
        ev.events = EPOLLIN;
        ev.data.u32 = (unsigned)i;                  /* clients: 0..63 */
        if (epoll_ctl(ep, EPOLL_CTL_ADD, client[i], &ev)) goto out;
        ev.data.u32 = (unsigned)(i + CONNS);        /* servers: 64..127 */
        if (epoll_ctl(ep, EPOLL_CTL_ADD, server[i], &ev)) goto out;
    }
    for (i = 0; i < CONNS; i++)
        if (send(client[i], "e", 1, 0) != 1) goto out;

    start = now = bench_now();
    while (now - start < seconds && !failed)
    {
        int n = epoll_wait(ep, events, 2 * CONNS, 1000), k;
        now = bench_now();
        if (n <= 0) { failed = 1; break; }
        for (k = 0; k < n && !failed; k++)
        {
            unsigned id = events[k].data.u32;
            int fd = id < CONNS ? client[id] : server[id - CONNS];
            char c;
            if (recv(fd, &c, 1, 0) != 1) { if (errno != EAGAIN) failed = 1; continue; }
            if (id < CONNS) trips++;
            if (send(fd, &c, 1, 0) != 1) failed = 1;
        }
    }
    if (!failed && trips) result = (double)trips / (now - start);
out:
    if (result < 0) fprintf(stderr, "iocp_echo (epoll): failed (errno %d)\n", errno);
    for (i = 0; i < CONNS; i++)
    {
        if (client[i] >= 0) close(client[i]);
        if (server[i] >= 0) close(server[i]);
    }
    if (l >= 0) close(l);
    if (ep >= 0) close(ep);
    return result;
}
