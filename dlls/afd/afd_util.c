/* afd_util.c - small services of openws2afd: the per-thread event of synchronous calls (Win32 TLS),
 * pointer checks (page probes of src/core/user_ptr.c), overlapped plumbing (event, completion
 * routine, completion port) and sockaddr helpers.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdio.h>
#include <winternl.h>
#include <ntstatus.h>
#include "afd_private.h"
#include "user_ptr.h"

static DWORD afd_tls = TLS_OUT_OF_INDEXES;
static SRWLOCK afd_tls_lock = SRWLOCK_INIT;

/* The event a synchronous call waits on. The thread's cached event is taken out of its TLS slot
 * while in use: a call made from a completion routine that runs during an alertable wait gets an
 * event of its own and cannot steal the outer call's completion.
 * The event is not reset here (that would be one more wineserver round trip per call): it is only
 * ever waited on after NtDeviceIoControlFile returned STATUS_PENDING, and Wine's server resets the
 * event of a request when it queues it (server/async.c, create_async), so a signal left over from an
 * earlier call that completed at once cannot end the wait early. */
HANDLE afd_event_acquire(void)
{
    HANDLE event;

    if (afd_tls == TLS_OUT_OF_INDEXES)
    {
        AcquireSRWLockExclusive(&afd_tls_lock);
        if (afd_tls == TLS_OUT_OF_INDEXES) afd_tls = TlsAlloc();
        ReleaseSRWLockExclusive(&afd_tls_lock);
    }
    if (afd_tls != TLS_OUT_OF_INDEXES && (event = TlsGetValue(afd_tls)))
    {
        TlsSetValue(afd_tls, NULL);
        return event;
    }
    return CreateEventW(NULL, FALSE, FALSE, NULL);
}

void afd_event_release(HANDLE event)
{
    if (!event) return;
    if (afd_tls != TLS_OUT_OF_INDEXES && !TlsGetValue(afd_tls) && TlsSetValue(afd_tls, event)) return;
    CloseHandle(event);
}

void afd_thread_detach(void)
{
    HANDLE event;
    if (afd_tls == TLS_OUT_OF_INDEXES) return;
    if ((event = TlsGetValue(afd_tls)))
    {
        CloseHandle(event);
        TlsSetValue(afd_tls, NULL);
    }
}

void afd_process_detach(void)
{
    user_ptr_detach();  /* the probes' exception handler must not outlive this DLL */
    afd_thread_detach();
    if (afd_tls != TLS_OUT_OF_INDEXES) TlsFree(afd_tls);
    afd_tls = TLS_OUT_OF_INDEXES;
}

/* Pointer checks: src/core/user_ptr.c's page probes (a touch per page, no system call). They replaced
 * VirtualQuery, which costs a system call pair (signal mask) and 1-3 us per call under Wine: a send
 * or receive checked 3-4 pointers. */
BOOL afd_readable(const void *p, size_t len)
{
    return user_readable(p, len);
}

BOOL afd_writable(void *p, size_t len)
{
    return user_writable(p, len);
}

BOOL afd_check_wsabufs(const WSABUF *bufs, DWORD count, BOOL write)
{
    DWORD i;

    if (!count) return TRUE;
    if (count > 0x10000000 || !afd_readable(bufs, (size_t)count * sizeof(*bufs))) return FALSE;
    for (i = 0; i < count; i++)
    {
        if (!bufs[i].len) continue;
        if (write ? !afd_writable(bufs[i].buf, bufs[i].len) : !afd_readable(bufs[i].buf, bufs[i].len))
            return FALSE;
    }
    return TRUE;
}

/* NT APC that runs a Winsock completion routine in the issuing thread. */
static void NTAPI afd_completion_apc(void *context, IO_STATUS_BLOCK *iosb, ULONG reserved)
{
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = (LPWSAOVERLAPPED_COMPLETION_ROUTINE)context;
    WSAOVERLAPPED *ov = (WSAOVERLAPPED *)iosb;
    (void)reserved;
    routine((DWORD)afd_closed_status_to_wsa(iosb->Status), (DWORD)iosb->Information, ov, 0);
}

void afd_io_overlapped(struct afd_io *io, WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    io->iosb = (IO_STATUS_BLOCK *)ov;
    ov->Internal = STATUS_PENDING;  /* as Windows: InternalHigh and Offset are left alone */
    if (routine)
    {
        io->event = NULL;
        io->apc = afd_completion_apc;
        io->apc_context = (void *)routine;
    }
    else
    {
        io->event = ov->hEvent;
        io->apc = NULL;
        /* An event handle with the low bit set: no completion-port notification. */
        io->apc_context = ((ULONG_PTR)ov->hEvent & 1) ? NULL : ov;
        if ((ULONG_PTR)io->event & 1) io->event = (HANDLE)((ULONG_PTR)io->event & ~(ULONG_PTR)1);
    }
}

BOOL afd_never_connected(SOCKET s)
{
    DWORD connect_time = 0;
    ULONG_PTR len = 0;
    return !afdw_get_option((HANDLE)s, SOL_SOCKET, SO_CONNECT_TIME, &connect_time, sizeof(connect_time), &len) &&
           connect_time == 0xffffffff;
}

int afd_sockaddr_len(int family)
{
    switch (family)
    {
    case AF_INET: return (int)sizeof(struct sockaddr_in);
    case AF_INET6: return (int)sizeof(struct sockaddr_in6);
    default: return 0;
    }
}

/* An address for a trace line: the trace library's text (trace_sockaddr_text) once the caller's
 * buffer was found readable. */
const char *afd_sockaddr_str(const struct sockaddr *sa, int len, char *buf, size_t size)
{
    if (sa && (len < 2 || !afd_readable(sa, (size_t)len)))
    {
        snprintf(buf, size, "%p/%d", (const void *)sa, len);
        return buf;
    }
    return trace_sockaddr_text(sa, len, buf, size);
}
