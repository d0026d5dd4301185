/* bench_shim.h - the small portability layer that lets bench.c run the same scenarios as a Winsock
 * program (MinGW, under Wine) and as a native Linux program (host gcc, BSD sockets): socket types and
 * calls, threads, a monotonic clock, receive timeouts. The IOCP scenario has its own twin files.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_BENCH_SHIM_H
#define OPENWS2_BENCH_SHIM_H

#ifdef _WIN32
#ifndef FD_SETSIZE
#define FD_SETSIZE 1024 /* the select row watches 1,024 sockets */
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

typedef HANDLE bench_thread;
#define BENCH_THREAD_RET DWORD WINAPI
#define BENCH_THREAD_RETURN return 0

static inline int bench_net_init(void)
{
    WSADATA wsa;
    return WSAStartup(MAKEWORD(2, 2), &wsa) ? -1 : 0;
}
static inline void bench_net_done(void) { WSACleanup(); }
static inline int bench_last_error(void) { return WSAGetLastError(); }
static inline double bench_now(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER t;
    if (!freq.QuadPart) QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / (double)freq.QuadPart;
}
static inline int bench_thread_start(bench_thread *t, DWORD (WINAPI *fn)(void *), void *arg)
{
    *t = CreateThread(NULL, 0, fn, arg, 0, NULL);
    return *t ? 0 : -1;
}
static inline void bench_thread_join(bench_thread t)
{
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
}
static inline int bench_set_rcvtimeo(SOCKET s, int ms)
{
    DWORD v = (DWORD)ms;
    return setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&v, sizeof(v));
}
#define bench_atomic_set(p, v) InterlockedExchange((volatile LONG *)(p), (v))
#define bench_atomic_get(p) InterlockedCompareExchange((volatile LONG *)(p), 0, 0)
typedef LONG bench_flag;

#else /* native Linux */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef int SOCKET;
#define INVALID_SOCKET (-1)
#define SOCKET_ERROR (-1)
#define closesocket close
#define SD_SEND SHUT_WR
typedef pthread_t bench_thread;
#define BENCH_THREAD_RET void *
#define BENCH_THREAD_RETURN return NULL

static inline int bench_net_init(void) { return 0; }
static inline void bench_net_done(void) {}
static inline int bench_last_error(void) { return errno; }
static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
static inline int bench_thread_start(bench_thread *t, void *(*fn)(void *), void *arg)
{
    return pthread_create(t, NULL, fn, arg) ? -1 : 0;
}
static inline void bench_thread_join(bench_thread t) { pthread_join(t, NULL); }
static inline int bench_set_rcvtimeo(SOCKET s, int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    return setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}
typedef int bench_flag;
#define bench_atomic_set(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define bench_atomic_get(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#endif

#endif
