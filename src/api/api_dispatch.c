/* api_dispatch.c - helpers shared by the socket API dispatchers: the socket-call prologue
 * (WSANOTINITIALISED, WSAENOTSOCK), the per-thread WSATHREADID handed to providers, the check that a
 * provider registered a socket it returned, and the ANSI/Unicode protocol-info conversion.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "api_internal.h"
#include "provider.h"
#include "socket_table.h"
#include "startup.h"
#include "trace.h"

int api_enter(SOCKET s, struct ws_socket **out)
{
    int err = startup_check();

    *out = NULL;
    if (err) return err;
    if (!(*out = socket_get(s))) return WSAENOTSOCK;
    return 0;
}

LPWSATHREADID api_thread_id(void)
{
    static WSATHREADID fallback; /* only if the thread state cannot be allocated */
    struct api_thread *t = api_thread_get(TRUE);
    DWORD saved = GetLastError();
    HANDLE h;

    if (!t)
    {
        fallback.ThreadHandle = GetCurrentThread();
        fallback.Reserved = GetCurrentThreadId();
        return &fallback;
    }
    if (!t->thread_id.ThreadHandle)
    {
        if (DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &h, 0, FALSE,
                            DUPLICATE_SAME_ACCESS))
        {
            t->thread_id.ThreadHandle = h;
            t->thread_id.Reserved = GetCurrentThreadId();
        }
        SetLastError(saved);
        if (!t->thread_id.ThreadHandle)
        {
            fallback.ThreadHandle = GetCurrentThread();
            fallback.Reserved = GetCurrentThreadId();
            return &fallback;
        }
    }
    return &t->thread_id;
}

int api_check_new_socket(struct provider *p, SOCKET s)
{
    struct ws_socket *sock = socket_get(s);
    int err = 0, r;

    if (sock)
    {
        socket_put(sock);
        return 0;
    }
    /* The provider broke the contract (a socket handle ws2_32 does not know): close it again. */
    TRACE_API("provider returned unregistered socket %#llx: closing it", (unsigned long long)s);
    TRACE_SPI("WSPCloseSocket(s %#llx)", (unsigned long long)s);
    r = p->procs.lpWSPCloseSocket(s, &err);
    TRACE_SPI("WSPCloseSocket(s %#llx) -> %d (error %d)", (unsigned long long)s, r, err);
    return WSAEINVALIDPROVIDER;
}

/* The ANSI and Unicode protocol infos differ only in szProtocol, their last member. */
_Static_assert(offsetof(WSAPROTOCOL_INFOA, szProtocol) == offsetof(WSAPROTOCOL_INFOW, szProtocol),
               "protocol info layouts differ before szProtocol");

void protocol_info_a_to_w(const WSAPROTOCOL_INFOA *a, WSAPROTOCOL_INFOW *w)
{
    memcpy(w, a, offsetof(WSAPROTOCOL_INFOW, szProtocol));
    memset(w->szProtocol, 0, sizeof(w->szProtocol));
    if (!MultiByteToWideChar(CP_ACP, 0, a->szProtocol, -1, w->szProtocol, WSAPROTOCOL_LEN + 1))
    {
        /* unterminated or unconvertible: keep what fits, always terminated */
        int n = 0;
        while (n < WSAPROTOCOL_LEN && a->szProtocol[n]) n++;
        MultiByteToWideChar(CP_ACP, 0, a->szProtocol, n, w->szProtocol, WSAPROTOCOL_LEN);
        w->szProtocol[WSAPROTOCOL_LEN] = 0;
    }
}

void protocol_info_w_to_a(const WSAPROTOCOL_INFOW *w, WSAPROTOCOL_INFOA *a)
{
    memcpy(a, w, offsetof(WSAPROTOCOL_INFOA, szProtocol));
    memset(a->szProtocol, 0, sizeof(a->szProtocol));
    if (!WideCharToMultiByte(CP_ACP, 0, w->szProtocol, -1, a->szProtocol, WSAPROTOCOL_LEN + 1, NULL, NULL))
    {
        size_t n = 0;
        while (n < WSAPROTOCOL_LEN && w->szProtocol[n]) n++;
        WideCharToMultiByte(CP_ACP, 0, w->szProtocol, (int)n, a->szProtocol, WSAPROTOCOL_LEN, NULL, NULL);
        a->szProtocol[WSAPROTOCOL_LEN] = 0;
    }
}
