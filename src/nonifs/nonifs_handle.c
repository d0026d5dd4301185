/* nonifs_handle.c - the handles ws2_32 makes for non-IFS providers and their completion machinery
 * (include/nonifs.h).
 * Owns: making a non-IFS socket handle, completing an overlapped request on it with an exact byte
 * count and status (WPUCompleteOverlappedRequest), and the completion-routine registrations of the
 * socket API dispatch (nonifs_request_begin, called by the wrappers of src/nonifs/nonifs_dispatch.c).
 *
 * Under Wine every non-IFS handle is a file of the in-process device of the ReadFile/WriteFile
 * redirector (src/nonifs/nonifs_ifsl.c): the application's ReadFile/WriteFile on the socket reach
 * nonifs_ifsl_io below, which hands them to the provider's WSPRecv/WSPSend with an OVERLAPPED of
 * ws2_32's own; the provider's completion of that OVERLAPPED (nonifs_internal_complete) completes the
 * application's request. The application's handle is a full-access duplicate of ws2_32's handle on
 * the same file object. Without the redirector (not Wine, or it failed to start) every non-IFS
 * handle is its own kernel file object on the null device ("\\.\NUL"), opened for overlapped I/O,
 * so CreateIoCompletionPort accepts it and each socket has a distinct one; the application gets a
 * duplicate without read/write access (ReadFile and WriteFile on such a socket fail with
 * ERROR_ACCESS_DENIED rather than silently lose data).
 * How a completion reaches whatever the application chose, without knowing which completion port
 * (if any) it associated with the handle: ws2_32 issues an I/O on that file object
 * that the kernel finishes at once, with the application's OVERLAPPED as the I/O status block, its event
 * as the event and the OVERLAPPED pointer as the completion context: the kernel then stores the
 * status and the count in Internal/InternalHigh, sets the event and queues the packet to the
 * handle's completion port exactly as for any file I/O.
 *  - success, or an error with a non-zero count: on the redirector's device a write of ws2_32's that
 *    the device completes with exactly cbTransferred bytes (src/nonifs/nonifs_ifsl.c); on the null device a
 *    write of exactly cbTransferred bytes (it consumes everything at once): the packet carries
 *    the exact count and STATUS_SUCCESS; the error is where the provider's WSPGetOverlappedResult reads it (OffsetHigh, as Microsoft's
 *    WPUCompleteOverlappedRequest documentation describes).
 *  - an error with no byte: under Wine (7.0 and later) the Wine-private AFD ioctl that completes a
 *    request with a caller-chosen status works on any handle; the status used is
 *    0xC0070000 | error (FACILITY_NTWIN32), which RtlNtStatusToDosError turns back into the very
 *    WSA error, so GetQueuedCompletionStatus fails with GetLastError() == dwError. Elsewhere (or if
 *    the ioctl is refused) the write path is used and the error travels in OffsetHigh only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "nonifs.h"
#include "nonifs_ifsl.h"
#include "api_internal.h"
#include "provider.h"
#include "socket_table.h"
#include "trace.h"
#include "wine_compat.h"

#include <stdlib.h>

#define NONIFS_STATUS_SUCCESS 0x00000000L
#define NONIFS_STATUS_PENDING 0x00000103L
#define NONIFS_FACILITY_NTWIN32 0xC0070000UL
/* Wine's AFD ioctl that completes a request with a given status and count (include/wine_compat.h) */
#define NONIFS_WINE_IOCTL_COMPLETE_ASYNC WINE_COMPAT_AFD_IOCTL(WINE_COMPAT_AFD_COMPLETE_ASYNC)

typedef LONG (WINAPI *nt_write_file_fn)(HANDLE, HANDLE, void *, void *, void *, const void *, ULONG,
                                         LARGE_INTEGER *, ULONG *);
typedef LONG (WINAPI *nt_ioctl_fn)(HANDLE, HANDLE, void *, void *, void *, ULONG, void *, ULONG,
                                    void *, ULONG);

static INIT_ONCE nt_once = INIT_ONCE_STATIC_INIT;
static nt_write_file_fn p_NtWriteFile;
static nt_ioctl_fn p_NtDeviceIoControlFile;
static BOOL wine_complete_async; /* the Wine AFD "complete with status" ioctl is usable */

/* A committed read-only region the null-device writes read from (it is never read by the null
 * device, but the kernel checks the buffer). Grows; the lock keeps it alive during a write. */
static SRWLOCK sink_lock = SRWLOCK_INIT;
static void *sink;
static SIZE_T sink_size;

/* Every live non-IFS handle: the application's handle (the SOCKET) and ws2_32's own handle on the
 * same file object, used for the completing I/O. Referenced while a completion uses it, so a socket
 * closed meanwhile never makes us write to a recycled handle value. */
#define NONIFS_BUCKETS 256
struct nhandle
{
    struct nhandle *next;
    struct nhandle *next_id; /* in ids[] (redirector handles only) */
    HANDLE app, io;
    LONG refs;
    BOOL ifsl;               /* a file object of the ReadFile/WriteFile redirector's device */
    ULONG_PTR id;            /* its FsContext there: stale requests of a closed handle find nothing */
};
static SRWLOCK handles_lock = SRWLOCK_INIT;
static struct nhandle *handles[NONIFS_BUCKETS];
static struct nhandle *ids[NONIFS_BUCKETS];
static LONG last_id;

/* A ReadFile/WriteFile the redirector handed to the provider: its own OVERLAPPED (first member), the
 * device's request, and who completes the request: state 0 while the dispatch routine still runs,
 * 1 once it has returned (pending), 2 when the provider completed it before that. */
struct ifsl_req
{
    WSAOVERLAPPED ov;
    struct ifsl_req *next;
    void *irp;
    LONG state;
    DWORD error, bytes;
};
static SRWLOCK ifsl_lock = SRWLOCK_INIT;
static struct ifsl_req *ifsl_reqs;

/* Completion-routine registrations (socket, OVERLAPPED) -> routine + thread. */
struct apc_request
{
    struct apc_request *next;
    SOCKET s;
    LPWSAOVERLAPPED ov;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    HANDLE thread;
    DWORD error, bytes, flags;
};
static SRWLOCK apc_lock = SRWLOCK_INIT;
static struct apc_request *apc_requests;

static BOOL CALLBACK nt_init(INIT_ONCE *once, void *param, void **ctx)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    (void)once; (void)param; (void)ctx;
    if (!ntdll) return TRUE;
    p_NtWriteFile = (nt_write_file_fn)(void *)GetProcAddress(ntdll, "NtWriteFile");
    p_NtDeviceIoControlFile = (nt_ioctl_fn)(void *)GetProcAddress(ntdll, "NtDeviceIoControlFile");
    {
        const char *v = wine_compat_version();
        wine_complete_async = wine_compat_version_major() >= 7;
        TRACE_SPI("non-IFS handles: %s%s, status delivery to completion ports %s", v ? "Wine " : "Windows",
                  v ? v : "", wine_complete_async ? "exact" : "through OffsetHigh only");
    }
    return TRUE;
}

static unsigned bucket_of(HANDLE h)
{
    return (unsigned)(((ULONG_PTR)h >> 2) % NONIFS_BUCKETS);
}

static void nhandle_release(struct nhandle *n)
{
    if (InterlockedDecrement(&n->refs)) return;
    CloseHandle(n->io);
    free(n);
}

/* The referenced record of application handle h, or NULL. */
static struct nhandle *nhandle_get(HANDLE h)
{
    struct nhandle *n;
    AcquireSRWLockShared(&handles_lock);
    for (n = handles[bucket_of(h)]; n; n = n->next)
        if (n->app == h)
        {
            InterlockedIncrement(&n->refs);
            break;
        }
    ReleaseSRWLockShared(&handles_lock);
    return n;
}

HANDLE nonifs_handle_create(int *err)
{
    struct nhandle *n;
    unsigned b;

    InitOnceExecuteOnce(&nt_once, nt_init, NULL, NULL);
    if (!(n = calloc(1, sizeof(*n))))
    {
        if (err) *err = WSAENOBUFS;
        return INVALID_HANDLE_VALUE;
    }
    n->refs = 1;
    /* With the redirector: a read/write handle on its device, the application's a full duplicate. */
    n->id = (ULONG_PTR)(ULONG)InterlockedIncrement(&last_id);
    if (!ifsl_start() && (n->io = ifsl_open((void *)n->id)))
    {
        if (DuplicateHandle(GetCurrentProcess(), n->io, GetCurrentProcess(), &n->app, 0, FALSE, DUPLICATE_SAME_ACCESS))
        {
            n->ifsl = TRUE;
            goto registered;
        }
        CloseHandle(n->io);
    }
    n->io = CreateFileW(L"\\\\.\\NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                        OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    /* The application's handle: the same file object (so a completion port associated with it gets
     * our completions) without read/write access, so that ReadFile/WriteFile on the socket fail with
     * ERROR_ACCESS_DENIED instead of silently reading nothing or discarding data. */
    if (n->io == INVALID_HANDLE_VALUE ||
        !DuplicateHandle(GetCurrentProcess(), n->io, GetCurrentProcess(), &n->app,
                         SYNCHRONIZE | FILE_READ_ATTRIBUTES, FALSE, 0))
    {
        TRACE_SPI("non-IFS handle: opening NUL failed (error %lu)", GetLastError());
        if (n->io != INVALID_HANDLE_VALUE) CloseHandle(n->io);
        free(n);
        if (err) *err = WSAENOBUFS;
        return INVALID_HANDLE_VALUE;
    }
registered:
    b = bucket_of(n->app);
    AcquireSRWLockExclusive(&handles_lock);
    n->next = handles[b];
    handles[b] = n;
    if (n->ifsl)
    {
        n->next_id = ids[n->id % NONIFS_BUCKETS];
        ids[n->id % NONIFS_BUCKETS] = n;
    }
    ReleaseSRWLockExclusive(&handles_lock);
    return n->app;
}

static void apc_request_free(struct apc_request *req)
{
    if (req->thread) CloseHandle(req->thread);
    free(req);
}

BOOL nonifs_handle_close(HANDLE h)
{
    struct apc_request **pp, *req, *dead = NULL;
    struct nhandle **np, *n;

    AcquireSRWLockExclusive(&handles_lock);
    for (np = &handles[bucket_of(h)]; (n = *np); np = &n->next)
        if (n->app == h)
        {
            *np = n->next;
            break;
        }
    if (n && n->ifsl)
    {
        struct nhandle **ip;
        for (ip = &ids[n->id % NONIFS_BUCKETS]; *ip; ip = &(*ip)->next_id)
            if (*ip == n)
            {
                *ip = n->next_id;
                break;
            }
    }
    ReleaseSRWLockExclusive(&handles_lock);
    if (!n) return FALSE;

    AcquireSRWLockExclusive(&apc_lock);
    for (pp = &apc_requests; (req = *pp);)
    {
        if ((HANDLE)req->s == h)
        {
            *pp = req->next;
            req->next = dead;
            dead = req;
        }
        else pp = &req->next;
    }
    ReleaseSRWLockExclusive(&apc_lock);
    while ((req = dead))
    {
        dead = req->next;
        apc_request_free(req);
    }
    /* The application's handle goes now; the I/O handle when no completion is using it any more. */
    CloseHandle(n->app);
    nhandle_release(n);
    return TRUE;
}

int nonifs_request_begin(SOCKET s, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                         const WSATHREADID *thread)
{
    struct apc_request *req;

    if (!ov) return 0;
    nonifs_request_end(s, ov); /* an OVERLAPPED is reused only once its previous request completed */
    if (!routine) return 0;
    if (!thread || !thread->ThreadHandle) return WSAEINVAL;
    if (!(req = calloc(1, sizeof(*req)))) return WSAENOBUFS;
    if (!DuplicateHandle(GetCurrentProcess(), thread->ThreadHandle, GetCurrentProcess(), &req->thread, 0,
                         FALSE, DUPLICATE_SAME_ACCESS))
    {
        free(req);
        return WSAENOBUFS;
    }
    req->s = s;
    req->ov = ov;
    req->routine = routine;
    AcquireSRWLockExclusive(&apc_lock);
    req->next = apc_requests;
    apc_requests = req;
    ReleaseSRWLockExclusive(&apc_lock);
    return 0;
}

static struct apc_request *take_request(SOCKET s, LPWSAOVERLAPPED ov)
{
    struct apc_request **pp, *req;

    AcquireSRWLockExclusive(&apc_lock);
    for (pp = &apc_requests; (req = *pp); pp = &req->next)
        if (req->s == s && req->ov == ov)
        {
            *pp = req->next;
            break;
        }
    ReleaseSRWLockExclusive(&apc_lock);
    return req;
}

void nonifs_request_end(SOCKET s, LPWSAOVERLAPPED ov)
{
    struct apc_request *req = ov ? take_request(s, ov) : NULL;
    if (req) apc_request_free(req);
}

static void CALLBACK completion_routine_apc(ULONG_PTR param)
{
    struct apc_request *req = (struct apc_request *)param;
    req->routine(req->error, req->bytes, req->ov, req->flags);
    apc_request_free(req);
}

static ULONG error_status(DWORD error)
{
    /* FACILITY_NTWIN32 statuses map back to their low word (the WSA error) in RtlNtStatusToDosError. */
    if (error <= 0xffff) return NONIFS_FACILITY_NTWIN32 | error;
    return 0xC0000001UL; /* STATUS_UNSUCCESSFUL: not a Win32 error code */
}

/* Makes sure sink holds at least size readable bytes; returns with sink_lock held shared. */
static BOOL sink_acquire(SIZE_T size)
{
    for (;;)
    {
        AcquireSRWLockShared(&sink_lock);
        if (size <= sink_size || !size) return TRUE;
        ReleaseSRWLockShared(&sink_lock);

        AcquireSRWLockExclusive(&sink_lock);
        if (size > sink_size)
        {
            SIZE_T want = (size + 0xffff) & ~(SIZE_T)0xffff;
            void *mem = VirtualAlloc(NULL, want, MEM_RESERVE | MEM_COMMIT, PAGE_READONLY);
            if (!mem)
            {
                ReleaseSRWLockExclusive(&sink_lock);
                return FALSE;
            }
            if (sink) VirtualFree(sink, 0, MEM_RELEASE);
            sink = mem;
            sink_size = want;
        }
        ReleaseSRWLockExclusive(&sink_lock);
    }
}

static int complete_on(struct nhandle *n, LPWSAOVERLAPPED ov, DWORD error, DWORD bytes);

int nonifs_complete(HANDLE h, LPWSAOVERLAPPED ov, DWORD error, DWORD bytes)
{
    struct nhandle *n = nhandle_get(h);
    int err;

    if (!n) return WSAEINVAL;
    err = complete_on(n, ov, error, bytes);
    nhandle_release(n);
    return err;
}

/* A completion the redirector's device thread cannot do itself (the device would wait for it). */
struct deferred
{
    struct nhandle *n;
    HANDLE event;
    void *cvalue;
    LPWSAOVERLAPPED ov;
    LONG status;
    DWORD bytes;
};

static void CALLBACK deferred_complete(PTP_CALLBACK_INSTANCE instance, void *param)
{
    struct deferred *d = param;
    LONG status;

    (void)instance;
    status = ifsl_complete_request(d->n->io, d->event, d->cvalue, d->ov, d->status, d->bytes);
    if (status != NONIFS_STATUS_SUCCESS && status != NONIFS_STATUS_PENDING)
        TRACE_SPI("non-IFS completion of %p: device write failed with %#lx", (void *)d->ov, (unsigned long)status);
    nhandle_release(d->n);
    free(d);
}

/* Completes ov on the application's handle n->app through ws2_32's handle n->io on the same file
 * object. */
static int complete_on(struct nhandle *n, LPWSAOVERLAPPED ov, DWORD error, DWORD bytes)
{
    HANDLE app = n->app, h = n->io;
    struct apc_request *req;
    HANDLE event;
    void *cvalue;
    LARGE_INTEGER offset;
    LONG status;
    static const char empty[1];

    InitOnceExecuteOnce(&nt_once, nt_init, NULL, NULL);

    /* A request issued with a completion routine: the routine runs as an APC in its thread. */
    if ((req = take_request((SOCKET)app, ov)))
    {
        req->error = error;
        req->bytes = bytes;
        req->flags = ov->Offset; /* the flags, where providers keep them (see WSPGetOverlappedResult) */
        ov->InternalHigh = bytes;
        ov->Internal = error ? error_status(error) : NONIFS_STATUS_SUCCESS;
        if (!QueueUserAPC(completion_routine_apc, req->thread, (ULONG_PTR)req))
        {
            TRACE_SPI("non-IFS completion of %p: QueueUserAPC failed (error %lu)", (void *)ov, GetLastError());
            apc_request_free(req);
            return WSA_INVALID_HANDLE;
        }
        return 0;
    }

    if (!p_NtWriteFile) return WSASYSCALLFAILURE;
    event = (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1);
    /* Low bit set in hEvent: the application asked for no completion packet. */
    cvalue = ((ULONG_PTR)ov->hEvent & 1) ? NULL : (void *)ov;
    /* The count first: InternalHigh is valid by the time Internal changes (the kernel rewrites both). */
    ov->InternalHigh = bytes;

    if (error && !bytes && !n->ifsl && wine_complete_async && p_NtDeviceIoControlFile)
    {
        ULONG st = error_status(error);
        status = p_NtDeviceIoControlFile(h, event, NULL, cvalue, ov, NONIFS_WINE_IOCTL_COMPLETE_ASYNC, &st,
                                         sizeof(st), NULL, 0);
        if ((ULONG)status == st) return 0;
        TRACE_SPI("non-IFS completion of %p: status ioctl answered %#lx, using the write path",
                  (void *)ov, (unsigned long)status);
        ov->InternalHigh = bytes;
    }

    if (n->ifsl)
    {
        /* The redirector's device completes a write of ours with exactly bytes: an error with no
         * byte as that error (0xC0070000 | error, see above), an error with bytes as a success with
         * the exact count (the error in OffsetHigh), as on the null device. */
        LONG st = error && !bytes ? (LONG)error_status(error) : NONIFS_STATUS_SUCCESS;
        if (ifsl_on_device_thread())
        {
            struct deferred *d = malloc(sizeof(*d));
            if (!d) return WSAENOBUFS;
            d->n = n;
            d->event = event;
            d->cvalue = cvalue;
            d->ov = ov;
            d->status = st;
            d->bytes = bytes;
            InterlockedIncrement(&n->refs);
            if (TrySubmitThreadpoolCallback(deferred_complete, d, NULL)) return 0;
            InterlockedDecrement(&n->refs);
            free(d);
            return WSASYSCALLFAILURE;
        }
        status = ifsl_complete_request(h, event, cvalue, ov, st, bytes);
        if (status == NONIFS_STATUS_SUCCESS || status == NONIFS_STATUS_PENDING) return 0;
        TRACE_SPI("non-IFS completion of %p: device write failed with %#lx", (void *)ov, (unsigned long)status);
        return WSASYSCALLFAILURE;
    }

    offset.QuadPart = 0;
    if (bytes)
    {
        if (!sink_acquire(bytes)) return WSAENOBUFS;
        status = p_NtWriteFile(h, event, NULL, cvalue, ov, sink, bytes, &offset, NULL);
        ReleaseSRWLockShared(&sink_lock);
    }
    else status = p_NtWriteFile(h, event, NULL, cvalue, ov, empty, 0, &offset, NULL);

    if (status == NONIFS_STATUS_SUCCESS || status == NONIFS_STATUS_PENDING) return 0;
    TRACE_SPI("non-IFS completion of %p: NtWriteFile failed with %#lx", (void *)ov, (unsigned long)status);
    return WSASYSCALLFAILURE;
}

/* ---- ReadFile / WriteFile through the redirector ---- */

static LONG ifsl_status(DWORD error)
{
    if (!error) return NONIFS_STATUS_SUCCESS;
    if (error == WSA_OPERATION_ABORTED) return (LONG)0xC0000120L; /* STATUS_CANCELLED: ERROR_OPERATION_ABORTED */
    return (LONG)error_status(error);
}

static struct ifsl_req *ifsl_take(LPWSAOVERLAPPED ov)
{
    struct ifsl_req **pp, *req;

    AcquireSRWLockExclusive(&ifsl_lock);
    for (pp = &ifsl_reqs; (req = *pp); pp = &req->next)
        if (&req->ov == ov)
        {
            *pp = req->next;
            break;
        }
    ReleaseSRWLockExclusive(&ifsl_lock);
    return req;
}

BOOL nonifs_internal_complete(LPWSAOVERLAPPED ov, DWORD error, DWORD bytes)
{
    struct ifsl_req *req;

    if (!ov || !ifsl_reqs) return FALSE;
    if (!(req = ifsl_take(ov))) return FALSE;
    req->error = error;
    req->bytes = bytes;
    if (InterlockedCompareExchange(&req->state, 2, 0) == 0) return TRUE; /* the dispatch routine finishes it */
    ifsl_irp_complete(req->irp, ifsl_status(error), bytes);
    free(req);
    return TRUE;
}

long nonifs_ifsl_io(void *ctx, void *irp, int write, void *buf, unsigned long len)
{
    struct nhandle *n;
    struct ws_socket *sock = NULL;
    struct ifsl_req *req;
    SOCKET s = INVALID_SOCKET;
    WSABUF wbuf;
    DWORD done = 0, flags = 0;
    int ret, err = 0;

    AcquireSRWLockShared(&handles_lock);
    for (n = ids[(ULONG_PTR)ctx % NONIFS_BUCKETS]; n; n = n->next_id)
        if (n->id == (ULONG_PTR)ctx)
        {
            s = (SOCKET)n->app;
            break;
        }
    ReleaseSRWLockShared(&handles_lock);
    /* A request of a handle that is closed already (a duplicate the application kept). */
    if (s == INVALID_SOCKET || !(sock = socket_get(s))) return (LONG)0xC0000008L; /* STATUS_INVALID_HANDLE */
    if (!(req = calloc(1, sizeof(*req))))
    {
        socket_put(sock);
        return (LONG)0xC000009AL; /* STATUS_INSUFFICIENT_RESOURCES */
    }
    req->irp = irp;
    AcquireSRWLockExclusive(&ifsl_lock);
    req->next = ifsl_reqs;
    ifsl_reqs = req;
    ReleaseSRWLockExclusive(&ifsl_lock);

    wbuf.buf = buf;
    wbuf.len = len;
    if (write)
    {
        TRACE_SPI("WriteFile(s %#llx, %lu bytes) -> WSPSend(ov %p)", (unsigned long long)s, len, (void *)&req->ov);
        ret = sock->provider->procs.lpWSPSend(s, &wbuf, 1, &done, 0, &req->ov, NULL, api_thread_id(), &err);
    }
    else
    {
        TRACE_SPI("ReadFile(s %#llx, %lu bytes) -> WSPRecv(ov %p)", (unsigned long long)s, len, (void *)&req->ov);
        ret = sock->provider->procs.lpWSPRecv(s, &wbuf, 1, &done, &flags, &req->ov, NULL, api_thread_id(), &err);
    }
    socket_put(sock);
    if (ret == SOCKET_ERROR && err != WSA_IO_PENDING)
    {
        /* Failed at once: the provider completes nothing, the request fails now. */
        TRACE_SPI("%s(s %#llx) failed at once: error %d", write ? "WriteFile" : "ReadFile", (unsigned long long)s, err);
        if (ifsl_take(&req->ov) == req)
        {
            free(req);
            return ifsl_status(err ? (DWORD)err : WSAEINVAL);
        }
        /* ...but the provider completed it anyway: that result is the request's. */
    }
    /* In progress or done: the provider reports the result (WPUCompleteOverlappedRequest), maybe
     * already did. */
    ifsl_irp_mark_pending(irp);
    if (InterlockedCompareExchange(&req->state, 1, 0) == 2)
    {
        ifsl_irp_complete(irp, ifsl_status(req->error), req->bytes);
        free(req);
    }
    return NONIFS_STATUS_PENDING;
}
