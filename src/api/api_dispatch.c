/* api_dispatch.c - helpers shared by the socket API dispatchers: the socket-call prologue
 * (WSANOTINITIALISED, WSAENOTSOCK) and tail (api_leave: release, last error, trace), the rule for a
 * provider that fails without an error code, the per-thread WSATHREADID handed to providers, the
 * check that a provider registered a socket it returned (the ANSI/Unicode protocol-info
 * conversion is in protocol_info.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "api_internal.h"
#include "provider.h"
#include "socket_table.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

#include <stdarg.h>
#include <stdio.h>

int api_enter(SOCKET s, struct ws_socket **out)
{
    int err = startup_check();

    *out = NULL;
    if (err) return err;
    if (!(*out = socket_get(s))) return WSAENOTSOCK;
    return 0;
}

/* A provider that returns SOCKET_ERROR (or FALSE, INVALID_SOCKET) must store the reason in lpErrno
 * (WSPxxx in the SPI reference). What ws2_32 on Windows reports when one does not is documented
 * nowhere we found (Microsoft's SPI and API pages, searched 2026-12-07): openws2 keeps WSAEINVAL,
 * "an invalid argument was supplied", so that a caller never sees SOCKET_ERROR with a last error
 * of 0. docs/STATUS.md, "Providers that fail without an error code". WSPSocket (WSAENOBUFS) and
 * WSPCloseSocket (WSAENOTSOCK) have their own, older choices in socket_api.c. */
int api_provider_error(BOOL failed, int err)
{
    if (!failed) return 0;
    return err ? err : WSAEINVAL;
}

const char *api_addr_text(const struct sockaddr *addr, int len, char *buf, size_t size)
{
    if (addr && len > 0 && !user_readable(addr, (size_t)len)) addr = NULL; /* never fault for a trace */
    return trace_sockaddr_text(addr, addr ? len : 0, buf, size);
}

/* The api trace line of a call's tail: "CALL(ARGS) -> RESULT (error N NAME)". */
static void leave_trace(const char *result, int err, const char *fmt, va_list ap)
{
    char call[768], name[TRACE_TEXT_LEN];

    vsnprintf(call, sizeof(call), fmt, ap);
    trace_log(TRACE_CH_API, TRACE_LEVEL_TRACE, "%s -> %s (error %d%s%s)", call, result, err, err ? " " : "",
              err ? trace_error_name(err, name, sizeof(name)) : "");
}

int api_leave(struct ws_socket *sock, int err, int value, const char *fmt, ...)
{
    int ret;

    socket_put(sock);
    ret = ws_leave(err, value);
    if (API_TRACING())
    {
        char result[16];
        va_list ap;
        snprintf(result, sizeof(result), "%d", ret);
        va_start(ap, fmt);
        leave_trace(result, err, fmt, ap);
        va_end(ap);
    }
    return ret;
}

int api_leave_keep(struct ws_socket *sock, int err, int value, const char *fmt, ...)
{
    int ret = value;

    socket_put(sock);
    if (err) ret = ws_fail(err);
    if (API_TRACING())
    {
        char result[16];
        va_list ap;
        snprintf(result, sizeof(result), "%d", ret);
        va_start(ap, fmt);
        leave_trace(result, err, fmt, ap);
        va_end(ap);
    }
    return ret;
}

SOCKET api_leave_socket(struct ws_socket *sock, int err, SOCKET ns, const char *fmt, ...)
{
    socket_put(sock);
    if (err) ns = INVALID_SOCKET;
    ws_leave(err, 0);
    if (API_TRACING())
    {
        char result[24];
        va_list ap;
        snprintf(result, sizeof(result), "%#llx", SOCK_ARG(ns));
        va_start(ap, fmt);
        leave_trace(result, err, fmt, ap);
        va_end(ap);
    }
    return ns;
}

BOOL api_leave_bool(struct ws_socket *sock, int err, BOOL set_on_success, const char *fmt, ...)
{
    socket_put(sock);
    if (err || set_on_success) SetLastError((DWORD)err);
    if (API_TRACING())
    {
        va_list ap;
        va_start(ap, fmt);
        leave_trace(err ? "0" : "1", err, fmt, ap);
        va_end(ap);
    }
    return !err;
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
