/* afd_transfer.c - data transfer of openws2afd: WSPSend/WSPSendTo (always through Wine's SENDMSG
 * ioctl: an overlapped WriteFile that has to wait loses data in Wine 8.0), WSPRecv/WSPRecvFrom
 * (MSG_PEEK, MSG_OOB, MSG_WAITALL, truncated datagrams), WSPSendDisconnect/WSPRecvDisconnect and
 * WSPGetOverlappedResult. Blocking calls return when another thread closes the socket; on an
 * overlapped socket they wait alertably (completion routines run), on a socket made without
 * WSA_FLAG_OVERLAPPED Wine's ntdll waits inside the request, as for Wine's builtin.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <winternl.h>
#include <ntstatus.h>
#include "afd_private.h"

/* The WSA error of a finished synchronous transfer. */
static int afd_sync_error(NTSTATUS status)
{
    if (status == STATUS_HANDLES_CLOSED || status == STATUS_CANCELLED) return WSAEINTR;
    return afd_status_to_wsa(status);
}

/* Whether s was made without WSA_FLAG_OVERLAPPED. */
static BOOL afd_non_overlapped(SOCKET s)
{
    struct afd_socket_info rec;
    return afd_socket_get(s, &rec) && !(rec.flags & WSA_FLAG_OVERLAPPED);
}

/* An overlapped request on a socket made without WSA_FLAG_OVERLAPPED: Windows waits for it even on
 * a non-blocking socket (Wine's conformance tests, test_nonblocking_async_recv), and the request
 * then completes as usual (event, completion port, completion routine). Such a socket's AFD handle
 * is synchronous, so Wine's ntdll already waits inside the request; a request still pending here
 * (a handle duplicated from an overlapped socket under other flags) is waited for here:
 * alertably, and without waiting on the caller's event (an auto-reset event would be consumed), by
 * watching the status block. Returns the final status. */
static NTSTATUS afd_wait_request(SOCKET s, WSAOVERLAPPED *ov)
{
    NTSTATUS status;
    DWORD pause = 1;

    while ((status = (NTSTATUS)__atomic_load_n((volatile ULONG_PTR *)&ov->Internal, __ATOMIC_ACQUIRE)) ==
           STATUS_PENDING)
    {
        /* without an event Wine signals the socket handle itself at completion */
        if (!ov->hEvent) WaitForSingleObjectEx((HANDLE)s, 50, TRUE);
        else
        {
            SleepEx(pause, TRUE);
            if (pause < 16) pause *= 2;
        }
    }
    return status;
}

/* Before a blocking send or receive on a socket made without WSA_FLAG_OVERLAPPED: its AFD handle is
 * synchronous (the call blocks inside Wine's ntdll, as Windows' does), and Wine's AFD applies no
 * SO_RCVTIMEO/SO_SNDTIMEO to such a handle, where Windows does. With a timeout set, this waits until
 * the socket is ready for the call (AFD's poll on the socket, with the timeout): 0 to go on,
 * WSAETIMEDOUT when nothing came in time, WSAEINTR when the socket was closed meanwhile. A stream
 * socket that never connected fails at once (WSAENOTCONN from the call itself: AFD's poll reports
 * nothing for it). The call may still wait longer when another thread takes the data or the buffer
 * space first. timeout: afd_socket_kind's sync_timeout, taken in the call's one record lookup. */
static int afd_sync_ready(SOCKET s, int type, BOOL send, DWORD flags, DWORD timeout)
{
    struct afdw_poll_entry entry;
    unsigned int signalled = 0;
    NTSTATUS status;

    if (!timeout) return 0;
    if (type == SOCK_STREAM && afd_never_connected(s)) return 0;
    entry.socket = s;
    entry.flags = AFDW_POLL_HUP | AFDW_POLL_RESET | AFDW_POLL_CLOSE | AFDW_POLL_CONNECT_ERR;
    if (send) entry.flags |= AFDW_POLL_WRITE;
    else entry.flags |= (flags & MSG_OOB) ? AFDW_POLL_OOB | AFDW_POLL_READ : AFDW_POLL_READ;
    entry.status = 0;
    status = afdw_poll((HANDLE)s, &entry, 1, -(LONGLONG)timeout * 10000, &signalled);
    if (status == STATUS_HANDLES_CLOSED || status == STATUS_CANCELLED) return WSAEINTR;
    if (status) return 0;  /* the call itself reports what is wrong */
    if (!signalled) return WSAETIMEDOUT;
    if (entry.flags & AFDW_POLL_CLOSE) return WSAEINTR;
    return 0;
}

/* Linux reports EPIPE (a reset) for a send on a TCP socket that never connected; Windows says
 * WSAENOTCONN. Wine's AFD knows whether the socket ever connected. */
static int afd_send_error(SOCKET s, int type, int e)
{
    if (e == WSAECONNRESET && type == SOCK_STREAM && afd_never_connected(s)) return WSAENOTCONN;
    return e;
}

static size_t count_total(const WSABUF *bufs, DWORD count)
{
    size_t total = 0;
    DWORD i;
    for (i = 0; i < count; i++) total += bufs[i].len;
    return total;
}

/* A bounce buffer for more buffers than one AFD call takes, described by *one (gather: filled from
 * bufs now, for a send; else scattered into bufs later, for a receive). NULL when out of memory. */
static struct afd_bounce *bounce_as_one(const WSABUF *bufs, DWORD count, BOOL gather, WSABUF *one)
{
    struct afd_bounce *b = afd_bounce_new(bufs, count, gather);
    if (b)
    {
        one->buf = afd_bounce_data(b);
        one->len = (ULONG)count_total(bufs, count);
    }
    return b;
}

int afd_do_send(const char *name, SOCKET s, WSABUF *bufs, DWORD count, DWORD *sent, DWORD flags,
                const struct sockaddr *to, int tolen, WSAOVERLAPPED *ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                int *err)
{
    ULONG_PTR bytes = 0;
    NTSTATUS status;
    struct afd_io io;
    struct afd_bounce *bounce = NULL;
    WSABUF *merged = NULL, one;
    DWORD timeout = 0;
    int e, family, type;

    if (!afd_socket_kind(s, &family, &type, TRUE, ov ? NULL : &timeout))
    {
        e = WSAENOTSOCK;
        goto done;
    }
    if (!afd_check_wsabufs(bufs, count, FALSE) || (!ov && !sent) || (sent && !afd_writable(sent, sizeof(*sent))) ||
        (ov && !afd_writable(ov, sizeof(*ov))))
    {
        e = WSAEFAULT;
        goto done;
    }
    if (flags & ~(DWORD)(MSG_OOB | MSG_DONTROUTE | MSG_PARTIAL))
    {
        e = WSAEOPNOTSUPP;
        goto done;
    }
    if ((flags & MSG_OOB) && type != SOCK_STREAM)
    {
        e = WSAEOPNOTSUPP;
        goto done;
    }
    if (flags & MSG_PARTIAL)
    {
        e = WSAEOPNOTSUPP;  /* no XP1_PARTIAL_MESSAGE in the TCP/IP entries */
        goto done;
    }
    if (type == SOCK_STREAM) to = NULL;  /* ignored on connection-oriented sockets */
    if (to)
    {
        int need = afd_sockaddr_len(family);
        if (tolen < need || !afd_readable(to, (size_t)tolen))
        {
            e = WSAEFAULT;
            goto done;
        }
        if (to->sa_family != family)
        {
            e = WSAEAFNOSUPPORT;
            goto done;
        }
        tolen = need;
    }
    flags &= MSG_OOB;

    if (count > AFD_IOV_MAX)
    {
        /* more buffers than one host call takes: merged, else gathered into a bounce buffer */
        if (!(merged = HeapAlloc(GetProcessHeap(), 0, count * sizeof(*merged))))
        {
            e = WSAENOBUFS;
            goto done;
        }
        count = afd_bufs_merge(bufs, count, merged);
        bufs = merged;
        if (count > AFD_IOV_MAX)
        {
            if (!(bounce = bounce_as_one(bufs, count, TRUE, &one)))
            {
                e = WSAENOBUFS;
                goto done;
            }
            bufs = &one;
            count = 1;
        }
    }

    if (!ov)
    {
        if ((e = afd_sync_ready(s, type, TRUE, flags, timeout))) goto done;
        status = afdw_sendmsg((HANDLE)s, bufs, count, flags, to, tolen, FALSE, NULL, &bytes);
        e = afd_send_error(s, type, afd_sync_error(status));
        if (!e) *sent = (DWORD)bytes;
        goto done;
    }
    afd_io_overlapped(&io, ov, routine);
    if (bounce && !afd_bounce_overlapped(bounce, &io))
    {
        ov->Internal = (ULONG_PTR)STATUS_NO_MEMORY;
        e = WSAENOBUFS;
        goto done;
    }
    status = afdw_sendmsg((HANDLE)s, bufs, count, flags, to, tolen, TRUE, &io, NULL);
    if (bounce)
    {
        afd_bounce_submitted(bounce, status);  /* it owns the buffer now */
        bounce = NULL;
    }
    if (status == STATUS_PENDING && afd_non_overlapped(s)) status = afd_wait_request(s, ov);
    if (status == STATUS_PENDING) e = WSA_IO_PENDING;
    else
    {
        e = afd_send_error(s, type, afd_status_to_wsa(status));
        if (!e && sent) *sent = (DWORD)ov->InternalHigh;
    }

done:
    afd_bounce_free(bounce);
    if (merged) HeapFree(GetProcessHeap(), 0, merged);
    AFD_TRACE("%s(%#Ix, bufs %p, count %lu, flags %#lx, to %p, ov %p, routine %p) -> %d, %lu bytes", name,
              (ULONG_PTR)s, (void *)bufs, (unsigned long)count, (unsigned long)flags, (const void *)to, (void *)ov,
              (void *)routine, e, (!e && sent) ? (unsigned long)*sent : 0UL);
    if (e)
    {
        if (err) *err = e;
        return SOCKET_ERROR;
    }
    return 0;
}

/* MSG_WAITALL on a blocking stream socket: receive until the buffers are full, the peer closes or an
 * error occurs. Wine's AFD does not implement the flag itself. */
static int afd_recv_waitall(SOCKET s, WSABUF *bufs, DWORD count, DWORD *recvd, DWORD flags, DWORD timeout)
{
    WSABUF *cur;
    DWORD i, total = 0, f;
    ULONG_PTR bytes;
    NTSTATUS status;
    int e = 0;

    if (!(cur = HeapAlloc(GetProcessHeap(), 0, (count ? count : 1) * sizeof(*cur)))) return WSAENOBUFS;
    memcpy(cur, bufs, count * sizeof(*cur));
    i = 0;
    for (;;)
    {
        while (i < count && !cur[i].len) i++;
        if (i == count) break;
        f = flags & ~(DWORD)MSG_WAITALL;
        bytes = 0;
        if ((e = afd_sync_ready(s, SOCK_STREAM, FALSE, f, timeout)))
        {
            if (total) e = 0;  /* data already received is returned */
            break;
        }
        /* at most AFD_IOV_MAX buffers a call: the loop goes on with the rest */
        status = afdw_recvmsg((HANDLE)s, cur + i, count - i > AFD_IOV_MAX ? AFD_IOV_MAX : count - i, &f, NULL, NULL,
                              NULL, FALSE, NULL, &bytes);
        if (status)
        {
            /* data already received is returned; the error shows on the next call */
            if (!total || status == STATUS_DEVICE_NOT_READY) e = total ? 0 : afd_sync_error(status);
            break;
        }
        if (!bytes) break;
        total += (DWORD)bytes;
        while (bytes && i < count)
        {
            if (bytes >= cur[i].len)
            {
                bytes -= cur[i].len;
                cur[i].len = 0;
                i++;
            }
            else
            {
                cur[i].buf += bytes;
                cur[i].len -= (ULONG)bytes;
                bytes = 0;
            }
        }
    }
    HeapFree(GetProcessHeap(), 0, cur);
    if (!e) *recvd = total;
    return e;
}

int afd_do_recv(const char *name, SOCKET s, WSABUF *bufs, DWORD count, DWORD *recvd, DWORD *flags,
                struct sockaddr *from, int *fromlen, WSABUF *control, WSAOVERLAPPED *ov,
                LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, int *err)
{
    ULONG_PTR bytes = 0;
    NTSTATUS status;
    struct afd_io io;
    struct afd_bounce *bounce = NULL;
    WSABUF *merged = NULL, *user_bufs = NULL, one;
    DWORD f = 0, user_count = 0, timeout = 0;
    int e, family, type;

    if (!afd_socket_kind(s, &family, &type, FALSE, ov ? NULL : &timeout))
    {
        e = WSAENOTSOCK;
        goto done;
    }
    if (!afd_check_wsabufs(bufs, count, TRUE) || !flags || !afd_writable(flags, sizeof(*flags)) ||
        (!ov && !recvd) || (recvd && !afd_writable(recvd, sizeof(*recvd))) ||
        (ov && !afd_writable(ov, sizeof(*ov))) || (control && !afd_writable(control, sizeof(*control))))
    {
        e = WSAEFAULT;
        goto done;
    }
    f = *flags;
    if (type == SOCK_STREAM) from = NULL, fromlen = NULL;
    if (from || fromlen)
    {
        if (!fromlen || !afd_writable(fromlen, sizeof(*fromlen)) ||
            (from && (*fromlen < afd_sockaddr_len(family) || !afd_writable(from, (size_t)*fromlen))))
        {
            e = WSAEFAULT;
            goto done;
        }
        if (!from) fromlen = NULL;
    }
    if (f & ~(DWORD)(MSG_PEEK | MSG_OOB | MSG_WAITALL | MSG_PUSH_IMMEDIATE))
    {
        e = WSAEOPNOTSUPP;
        goto done;
    }
    if ((f & MSG_OOB) && type != SOCK_STREAM)
    {
        e = WSAEOPNOTSUPP;
        goto done;
    }
    f &= ~(DWORD)MSG_PUSH_IMMEDIATE;
    if (f & MSG_WAITALL)
    {
        if ((f & (MSG_PEEK | MSG_OOB)) || type != SOCK_STREAM || ov)
        {
            e = WSAEOPNOTSUPP;
            goto done;
        }
        e = afd_recv_waitall(s, bufs, count, recvd, f, timeout);
        goto done;
    }

    if (count > AFD_IOV_MAX)
    {
        /* more buffers than one host call takes: merged; else a synchronous receive scatters from a
         * bounce buffer, an overlapped one takes the first AFD_IOV_MAX pieces (afd_manybufs.c) */
        if (!(merged = HeapAlloc(GetProcessHeap(), 0, count * sizeof(*merged))))
        {
            e = WSAENOBUFS;
            goto done;
        }
        user_bufs = merged;
        user_count = afd_bufs_merge(bufs, count, merged);
        bufs = merged;
        count = user_count;
        if (count > AFD_IOV_MAX && !ov)
        {
            if (!(bounce = bounce_as_one(bufs, count, FALSE, &one)))
            {
                e = WSAENOBUFS;
                goto done;
            }
            bufs = &one;
            count = 1;
        }
        else if (count > AFD_IOV_MAX) count = AFD_IOV_MAX;
    }

    if (!ov)
    {
        if ((e = afd_sync_ready(s, type, FALSE, f, timeout))) goto done;
        status = afdw_recvmsg((HANDLE)s, bufs, count, &f, from, fromlen, control, FALSE, NULL, &bytes);
        if (bounce && (!status || status == STATUS_BUFFER_OVERFLOW))
            afd_bounce_scatter(bounce, (size_t)bytes, user_bufs, user_count);
        e = afd_sync_error(status);
        if (!e || e == WSAEMSGSIZE) *recvd = (DWORD)bytes;
        if (!e || e == WSAEMSGSIZE) *flags = f & ~(DWORD)(MSG_PEEK | MSG_OOB);
        goto done;
    }
    afd_io_overlapped(&io, ov, routine);
    /* Wine reads the flags at the call and, for WSARecvMsg, adds MSG_CTRUNC at completion: the
     * caller's flags (WSAMSG.dwFlags there) stay valid for the request's life, as documented. */
    status = afdw_recvmsg((HANDLE)s, bufs, count, flags, from, fromlen, control, TRUE, &io, NULL);
    if (status == STATUS_PENDING && afd_non_overlapped(s)) status = afd_wait_request(s, ov);
    if (status == STATUS_PENDING) e = WSA_IO_PENDING;
    else
    {
        e = afd_status_to_wsa(status);
        if ((!e || e == WSAEMSGSIZE) && recvd) *recvd = (DWORD)ov->InternalHigh;
    }

done:
    afd_bounce_free(bounce);
    if (merged) HeapFree(GetProcessHeap(), 0, merged);
    AFD_TRACE("%s(%#Ix, bufs %p, count %lu, flags %#lx, from %p, ov %p, routine %p) -> %d, %lu bytes", name,
              (ULONG_PTR)s, (void *)bufs, (unsigned long)count, (unsigned long)f, (void *)from, (void *)ov,
              (void *)routine, e, ((!e || e == WSAEMSGSIZE) && recvd) ? (unsigned long)*recvd : 0UL);
    if (e)
    {
        if (err) *err = e;
        return SOCKET_ERROR;
    }
    return 0;
}

int WSPAPI afd_WSPSend(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags, LPWSAOVERLAPPED ov,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT err)
{
    (void)thread;
    return afd_do_send("WSPSend", s, bufs, count, sent, flags, NULL, 0, ov, routine, err);
}

int WSPAPI afd_WSPSendTo(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags, const struct sockaddr *to,
                         int tolen, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                         LPWSATHREADID thread, LPINT err)
{
    (void)thread;
    return afd_do_send("WSPSendTo", s, bufs, count, sent, flags, to, tolen, ov, routine, err);
}

int WSPAPI afd_WSPRecv(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD recvd, LPDWORD flags, LPWSAOVERLAPPED ov,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT err)
{
    (void)thread;
    /* No buffer at all is refused (Wine's conformance tests, test_empty_recv: WSAEINVAL, not a
     * request waiting for data); one empty buffer is a valid zero-byte receive. */
    if (!count && afd_socket_known(s))
    {
        AFD_TRACE("WSPRecv(%#Ix, bufs %p, count 0) -> %d", (ULONG_PTR)s, (void *)bufs, WSAEINVAL);
        if (err) *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    return afd_do_recv("WSPRecv", s, bufs, count, recvd, flags, NULL, NULL, NULL, ov, routine, err);
}

int WSPAPI afd_WSPRecvFrom(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD recvd, LPDWORD flags,
                           struct sockaddr *from, LPINT fromlen, LPWSAOVERLAPPED ov,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread, LPINT err)
{
    (void)thread;
    return afd_do_recv("WSPRecvFrom", s, bufs, count, recvd, flags, from, fromlen, NULL, ov, routine, err);
}

int WSPAPI afd_WSPSendDisconnect(SOCKET s, LPWSABUF data, LPINT err)
{
    int e;

    if (!afd_socket_known(s)) e = WSAENOTSOCK;
    else if (data && !afd_readable(data, sizeof(*data))) e = WSAEFAULT;
    else if (data && data->len) e = WSAEOPNOTSUPP;  /* TCP/IP carries no disconnect data */
    else e = afd_status_to_wsa(afdw_shutdown((HANDLE)s, SD_SEND, NULL));
    AFD_TRACE("WSPSendDisconnect(%#Ix, %p) -> %d", (ULONG_PTR)s, (void *)data, e);
    if (e)
    {
        if (err) *err = e;
        return SOCKET_ERROR;
    }
    return 0;
}

int WSPAPI afd_WSPRecvDisconnect(SOCKET s, LPWSABUF data, LPINT err)
{
    int e;

    if (!afd_socket_known(s)) e = WSAENOTSOCK;
    else if (data && !afd_writable(data, sizeof(*data))) e = WSAEFAULT;
    else
    {
        e = afd_status_to_wsa(afdw_shutdown((HANDLE)s, SD_RECEIVE, NULL));
        if (!e && data) data->len = 0;  /* no disconnect data on TCP/IP */
    }
    AFD_TRACE("WSPRecvDisconnect(%#Ix, %p) -> %d", (ULONG_PTR)s, (void *)data, e);
    if (e)
    {
        if (err) *err = e;
        return SOCKET_ERROR;
    }
    return 0;
}

BOOL WSPAPI afd_WSPGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED ov, LPDWORD transfer, BOOL wait, LPDWORD flags,
                                       LPINT err)
{
    NTSTATUS status = STATUS_SUCCESS;
    int e = 0;

    if (!afd_socket_known(s))
    {
        e = WSAENOTSOCK;
        goto done;
    }
    if (!ov || !afd_writable(ov, sizeof(*ov)) || !transfer || !afd_writable(transfer, sizeof(*transfer)) ||
        (flags && !afd_writable(flags, sizeof(*flags))))  /* not written: may be NULL */
    {
        e = WSAEFAULT;
        goto done;
    }
    status = (NTSTATUS)__atomic_load_n((volatile ULONG_PTR *)&ov->Internal, __ATOMIC_ACQUIRE);
    if (status == STATUS_PENDING)
    {
        HANDLE wait_on = ov->hEvent ? (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1) : (HANDLE)s;
        if (!wait)
        {
            e = WSA_IO_INCOMPLETE;
            goto done;
        }
        if (WaitForSingleObject(wait_on, INFINITE) == WAIT_FAILED)
        {
            e = WSA_INVALID_HANDLE;
            goto done;
        }
        /* Windows waits on the event once and reports the status block as it then is: a request
         * still pending (the event was set by someone else) is a success with the bytes so far
         * (Wine's conformance tests, test_WSAGetOverlappedResult), not WSA_IO_INCOMPLETE. */
        status = (NTSTATUS)__atomic_load_n((volatile ULONG_PTR *)&ov->Internal, __ATOMIC_ACQUIRE);
    }
    *transfer = (DWORD)ov->InternalHigh;
    /* *flags is left as it is: Windows does not report MSG_CTRUNC & co. here (WSARecvMsg has them in
     * WSAMSG.dwFlags) and this provider produces no MSG_PARTIAL. */
    e = NT_SUCCESS(status) ? 0 : afd_status_to_wsa(status);

done:
    AFD_TRACE("WSPGetOverlappedResult(%#Ix, %p, wait %d) -> %d (status %#lx)", (ULONG_PTR)s, (void *)ov, wait, e,
              (unsigned long)status);
    if (e)
    {
        if (err) *err = e;
        return FALSE;
    }
    return TRUE;
}
