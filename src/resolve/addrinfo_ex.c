/* addrinfo_ex.c - GetAddrInfoExA/W, GetAddrInfoExCancel, GetAddrInfoExOverlappedResult,
 * FreeAddrInfoEx/FreeAddrInfoExW and SetAddrInfoExA/W. GetAddrInfoExW runs synchronously, or
 * asynchronously with lpOverlapped: WSA_IO_PENDING at once, the lookup on a worker thread, then
 * *ppResult set, lpOverlapped->Internal = the result code (GetAddrInfoExOverlappedResult reads it;
 * WSAEINPROGRESS meanwhile) and either lpCompletionRoutine called (from the worker thread) or
 * lpOverlapped->hEvent set (lpOverlapped->Pointer = ppResult, as Windows). ai_provider stays NULL, as
 * Windows leaves it. *lpHandle names the request for GetAddrInfoExCancel (WSA_E_CANCELLED)
 * until it completes; timeout ends the lookup with WSAETIMEDOUT. AI_EXTENDED returns ADDRINFOEX2W
 * nodes (ai_version 2, ai_fqdn with AI_FQDN). The ANSI function has no asynchronous mode (its
 * reserved parameters must be NULL: WSAEINVAL). SetAddrInfoEx registers through WSASetServiceW.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <svcguid.h>
#include "addrinfo_list.h"
#include "gai_build.h"
#include "gai_resolve.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

typedef void (CALLBACK *ex_completion_fn)(DWORD error, DWORD bytes, LPWSAOVERLAPPED overlapped);

struct ex_request
{
    struct ex_request *next;        /* pending requests (cancel handles) */
    HANDLE id;
    struct gai_cancel cancel;
    WCHAR *node, *service;
    struct gai_query q;
    GUID nsp_id;
    enum addrinfo_kind kind;
    void **result;
    OVERLAPPED *ov;                 /* NULL: a synchronous call with a timeout */
    ex_completion_fn routine;
    DWORD timeout_ms;               /* INFINITE: none */
    HANDLE done;                    /* synchronous call with a timeout: set at the end */
    int error;
};

static SRWLOCK pending_lock = SRWLOCK_INIT;
static struct ex_request *pending;
static LONG next_id;

static void request_free(struct ex_request *r)
{
    HeapFree(GetProcessHeap(), 0, r->node);
    HeapFree(GetProcessHeap(), 0, r->service);
    HeapFree(GetProcessHeap(), 0, r);
}

/* The lookup and the result list. */
static int run(const WCHAR *node, const WCHAR *service, const struct gai_query *q, enum addrinfo_kind kind, void **out)
{
    struct gai_answer ans;
    const WCHAR *fqdn = NULL;
    WCHAR *canon;
    int err;

    *out = NULL;
    if ((err = gai_resolve(node, service, q, &ans))) return err;
    canon = ans.canon;
    if (kind == ADDRINFO_EX2W && (q->flags & GAI_AI_FQDN))
    {
        /* the extended result carries the FQDN in ai_fqdn, not in ai_canonname */
        fqdn = canon;
        ans.canon = NULL;
    }
    err = addrinfo_list_build(kind, &ans, q, fqdn, out);
    ans.canon = canon;
    gai_answer_free(&ans);
    return err;
}

static void CALLBACK timer_expired(void *arg, BOOLEAN fired)
{
    struct ex_request *r = arg;
    (void)fired;
    gai_cancel_request(&r->cancel, WSAETIMEDOUT);
}

static DWORD WINAPI worker(void *arg)
{
    struct ex_request *r = arg, **p;
    HANDLE timer = NULL;
    void *list = NULL;
    int err;

    if (r->timeout_ms != INFINITE &&
        !CreateTimerQueueTimer(&timer, NULL, timer_expired, r, r->timeout_ms ? r->timeout_ms : 1, 0, WT_EXECUTEONLYONCE))
        timer = NULL;
    err = run(r->node, r->service, &r->q, r->kind, &list);
    if (timer) DeleteTimerQueueTimer(NULL, timer, INVALID_HANDLE_VALUE);
    AcquireSRWLockExclusive(&pending_lock);
    for (p = &pending; *p; p = &(*p)->next)
        if (*p == r)
        {
            *p = r->next;
            break;
        }
    ReleaseSRWLockExclusive(&pending_lock);
    /* a lookup cancelled or timed out reports that, whatever it got */
    AcquireSRWLockExclusive(&r->cancel.lock);
    if (r->cancel.reason)
    {
        err = r->cancel.reason;
        addrinfo_list_free(r->kind, list);
        list = NULL;
    }
    ReleaseSRWLockExclusive(&r->cancel.lock);
    *r->result = list;
    TRACE_API("GetAddrInfoExW request %p completes -> %d (%p)", r->id, err, list);
    if (!r->ov)
    {
        r->error = err;
        SetEvent(r->done);
        return 0; /* the waiting caller frees it */
    }
    r->ov->Internal = (ULONG_PTR)(LONG_PTR)err;
    if (r->routine) r->routine((DWORD)err, 0, (LPWSAOVERLAPPED)r->ov);
    else if (r->ov->hEvent) SetEvent(r->ov->hEvent);
    request_free(r);
    return 0;
}

/* Starts the worker: 0 (pending) or the error. */
static int start(struct ex_request *r, LPHANDLE handle)
{
    HANDLE thread;

    gai_cancel_init(&r->cancel);
    r->id = (HANDLE)(ULONG_PTR)(0x4700u + (ULONG)InterlockedIncrement(&next_id));
    if (r->ov)
    {
        /* as Windows: Internal holds the result code, Pointer the result's address */
        r->ov->Internal = WSAEINPROGRESS;
        r->ov->Pointer = r->result;
    }
    if (handle) *handle = r->id;
    AcquireSRWLockExclusive(&pending_lock);
    r->next = pending;
    pending = r;
    ReleaseSRWLockExclusive(&pending_lock);
    if (!(thread = CreateThread(NULL, 0, worker, r, 0, NULL)))
    {
        struct ex_request **p;
        AcquireSRWLockExclusive(&pending_lock);
        for (p = &pending; *p; p = &(*p)->next)
            if (*p == r)
            {
                *p = r->next;
                break;
            }
        ReleaseSRWLockExclusive(&pending_lock);
        if (handle) *handle = NULL;
        return WSA_NOT_ENOUGH_MEMORY;
    }
    CloseHandle(thread);
    return 0;
}

static int fail(int err)
{
    WSASetLastError(err);
    return err;
}

/* The shared body of GetAddrInfoExA/W (node/service already wide). */
static int get_addrinfo_ex(const WCHAR *node, const WCHAR *service, DWORD ns, const GUID *nsp_id, const ADDRINFOEXW *hints,
                           void **result, const struct timeval *timeout, OVERLAPPED *ov, ex_completion_fn routine,
                           LPHANDLE handle, BOOL ansi)
{
    struct gai_query q;
    struct ex_request *r;
    int err;

    /* as Windows: not started comes before every argument error */
    if ((err = startup_check())) return err;
    if (!result) return WSAEINVAL;
    /* bad caller pointers (include/user_ptr.h): WSAEFAULT, nothing read or written through them */
    if (!user_writable(result, sizeof(*result)) || (hints && !user_readable(hints, sizeof(*hints))) ||
        (node && !user_wstr_readable(node)) || (service && !user_wstr_readable(service)) ||
        (nsp_id && !user_readable(nsp_id, sizeof(*nsp_id))) || (timeout && !user_readable(timeout, sizeof(*timeout))) ||
        (ov && !user_writable(ov, sizeof(*ov))) || (handle && !user_writable(handle, sizeof(*handle))))
        return WSAEFAULT;
    *result = NULL;
    memset(&q, 0, sizeof(q));
    q.family = AF_UNSPEC;
    q.name_space = ns;
    q.nsp_id = nsp_id;
    if (hints)
    {
        if (hints->ai_addrlen || hints->ai_canonname || hints->ai_addr || hints->ai_blob || hints->ai_bloblen ||
            hints->ai_provider || hints->ai_next)
            return WSANO_RECOVERY;
        q.flags = (uint32_t)hints->ai_flags;
        q.family = hints->ai_family;
        q.socktype = hints->ai_socktype;
        q.protocol = hints->ai_protocol;
    }
    if (ansi && (q.flags & GAI_AI_EXTENDED)) return WSAEINVAL;
    if ((err = gai_check_hints(q.flags, GAI_FLAGS_EX, q.family, q.socktype, node != NULL))) return err;
    /* a completion routine needs an OVERLAPPED without an event */
    if (routine && (!ov || ov->hEvent)) return WSAEINVAL;
    if (!node && !service) return WSAHOST_NOT_FOUND;
    if (timeout && (timeout->tv_sec < 0 || timeout->tv_usec < 0)) return WSAEINVAL;
    if (ansi) q.flags |= GAI_AI_DISABLE_IDN_ENCODING;

    if (!ov && !timeout)
        return run(node, service, &q, ansi ? ADDRINFO_EXA : (q.flags & GAI_AI_EXTENDED) ? ADDRINFO_EX2W : ADDRINFO_EXW, result);

    if (!(r = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*r)))) return WSA_NOT_ENOUGH_MEMORY;
    if ((node && !(r->node = gai_wcsdup(node))) || (service && !(r->service = gai_wcsdup(service))))
    {
        request_free(r);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    r->q = q;
    if (nsp_id)
    {
        r->nsp_id = *nsp_id;
        r->q.nsp_id = &r->nsp_id;
    }
    r->q.cancel = &r->cancel;
    r->kind = ansi ? ADDRINFO_EXA : (q.flags & GAI_AI_EXTENDED) ? ADDRINFO_EX2W : ADDRINFO_EXW;
    r->result = result;
    r->ov = ov;
    r->routine = routine;
    r->timeout_ms = INFINITE;
    if (timeout)
    {
        unsigned long long ms = (unsigned long long)timeout->tv_sec * 1000 + (unsigned long long)timeout->tv_usec / 1000;
        r->timeout_ms = ms >= INFINITE ? INFINITE - 1 : (DWORD)ms;
    }
    if (!ov && !(r->done = CreateEventW(NULL, TRUE, FALSE, NULL)))
    {
        request_free(r);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    if ((err = start(r, ov ? handle : NULL)))
    {
        if (r->done) CloseHandle(r->done);
        request_free(r);
        return err;
    }
    if (ov) return WSA_IO_PENDING;
    /* synchronous with a timeout */
    WaitForSingleObject(r->done, INFINITE);
    CloseHandle(r->done);
    err = r->error;
    request_free(r);
    return err;
}

int WSAAPI GetAddrInfoExW(PCWSTR pName, PCWSTR pServiceName, DWORD dwNameSpace, LPGUID lpNspId, const ADDRINFOEXW *pHints,
                          PADDRINFOEXW *ppResult, PTIMEVAL timeout, LPOVERLAPPED lpOverlapped,
                          LPLOOKUPSERVICE_COMPLETION_ROUTINE lpCompletionRoutine, LPHANDLE lpNameHandle)
{
    int err = get_addrinfo_ex(pName, pServiceName, dwNameSpace, lpNspId, pHints, (void **)ppResult, timeout, lpOverlapped,
                              (ex_completion_fn)(uintptr_t)lpCompletionRoutine, lpNameHandle, FALSE);

    TRACE_API("GetAddrInfoExW(pName %p pServiceName %p dwNameSpace %lu lpNspId %p pHints %p ppResult %p timeout %p "
              "lpOverlapped %p lpCompletionRoutine %p lpNameHandle %p) -> %d", (const void *)pName, (const void *)pServiceName,
              (unsigned long)dwNameSpace, (void *)lpNspId, (const void *)pHints, (void *)ppResult, (void *)timeout,
              (void *)lpOverlapped, (void *)(uintptr_t)lpCompletionRoutine, (void *)lpNameHandle, err);
    return fail(err);
}

int WSAAPI GetAddrInfoExA(PCSTR pName, PCSTR pServiceName, DWORD dwNameSpace, LPGUID lpNspId, const ADDRINFOEXA *pHints,
                          PADDRINFOEXA *ppResult, PTIMEVAL timeout, LPOVERLAPPED lpOverlapped,
                          LPLOOKUPSERVICE_COMPLETION_ROUTINE lpCompletionRoutine, LPHANDLE lpNameHandle)
{
    WCHAR *node = NULL, *service = NULL;
    ADDRINFOEXW hints;
    int err;

    /* as Windows: not started comes before every argument error */
    if (!(err = startup_check()) && ppResult && user_writable(ppResult, sizeof(*ppResult))) *ppResult = NULL;
    if (err) {}
    /* asynchronous operation is a feature of the Unicode function only */
    else if (timeout || lpOverlapped || lpCompletionRoutine || lpNameHandle) err = WSAEINVAL;
    else if ((ppResult && !user_writable(ppResult, sizeof(*ppResult))) || (pName && !user_str_readable(pName)) ||
             (pServiceName && !user_str_readable(pServiceName)) || (pHints && !user_readable(pHints, sizeof(*pHints))))
        err = WSAEFAULT;
    else if (!(err = gai_a_to_w(pName, &node)) && !(err = gai_a_to_w(pServiceName, &service)))
    {
        if (pHints)
        {
            /* same layout up to the strings; the string members must be NULL anyway */
            memset(&hints, 0, sizeof(hints));
            hints.ai_flags = pHints->ai_flags;
            hints.ai_family = pHints->ai_family;
            hints.ai_socktype = pHints->ai_socktype;
            hints.ai_protocol = pHints->ai_protocol;
            hints.ai_addrlen = pHints->ai_addrlen;
            hints.ai_canonname = pHints->ai_canonname ? (PWSTR)L"" : NULL;
            hints.ai_addr = pHints->ai_addr;
            hints.ai_blob = pHints->ai_blob;
            hints.ai_bloblen = pHints->ai_bloblen;
            hints.ai_provider = pHints->ai_provider;
            hints.ai_next = pHints->ai_next ? (void *)&hints : NULL;
        }
        err = get_addrinfo_ex(node, service, dwNameSpace, lpNspId, pHints ? &hints : NULL, (void **)ppResult, NULL, NULL,
                              NULL, NULL, TRUE);
    }
    HeapFree(GetProcessHeap(), 0, node);
    HeapFree(GetProcessHeap(), 0, service);
    TRACE_API("GetAddrInfoExA(pName %s pServiceName %s dwNameSpace %lu lpNspId %p pHints %p ppResult %p timeout %p "
              "lpOverlapped %p lpCompletionRoutine %p lpNameHandle %p) -> %d",
              !pName ? "(null)" : user_str_readable(pName) ? pName : "(bad pointer)",
              !pServiceName ? "(null)" : user_str_readable(pServiceName) ? pServiceName : "(bad pointer)", (unsigned long)dwNameSpace, (void *)lpNspId, (const void *)pHints,
              (void *)ppResult, (void *)timeout, (void *)lpOverlapped, (void *)(uintptr_t)lpCompletionRoutine,
              (void *)lpNameHandle, err);
    return fail(err);
}

INT WSAAPI GetAddrInfoExCancel(LPHANDLE lpHandle)
{
    struct ex_request *r;
    int err = WSA_INVALID_HANDLE;

    if (lpHandle && !user_readable(lpHandle, sizeof(*lpHandle))) err = WSAEFAULT;
    else if (lpHandle && *lpHandle)
    {
        AcquireSRWLockExclusive(&pending_lock);
        for (r = pending; r; r = r->next)
            if (r->id == *lpHandle)
            {
                gai_cancel_request(&r->cancel, WSA_E_CANCELLED);
                err = 0;
                break;
            }
        ReleaseSRWLockExclusive(&pending_lock);
    }
    TRACE_API("GetAddrInfoExCancel(lpHandle %p (%p)) -> %d", (void *)lpHandle,
              lpHandle && user_readable(lpHandle, sizeof(*lpHandle)) ? *lpHandle : NULL, err);
    return err ? fail(err) : 0;
}

INT WSAAPI GetAddrInfoExOverlappedResult(LPOVERLAPPED lpOverlapped)
{
    INT r = !lpOverlapped ? WSAEINVAL
            : !user_readable(lpOverlapped, sizeof(*lpOverlapped)) ? WSAEFAULT : (INT)(LONG_PTR)lpOverlapped->Internal;

    TRACE_API("GetAddrInfoExOverlappedResult(lpOverlapped %p) -> %d", (void *)lpOverlapped, r);
    return r;
}

void WSAAPI FreeAddrInfoEx(PADDRINFOEXA pAddrInfo)
{
    TRACE_API("FreeAddrInfoEx(pAddrInfo %p)", (void *)pAddrInfo);
    addrinfo_list_free(ADDRINFO_EXA, pAddrInfo);
}

void WSAAPI FreeAddrInfoExW(PADDRINFOEXW pAddrInfo)
{
    TRACE_API("FreeAddrInfoExW(pAddrInfo %p)", (void *)pAddrInfo);
    addrinfo_list_free(ADDRINFO_EXW, pAddrInfo);
}

/* ---- SetAddrInfoEx: a registration through the namespace catalog (WSASetServiceW) ---- */

static int set_addrinfo_ex(const WCHAR *name, const WCHAR *service, SOCKET_ADDRESS *addrs, DWORD count, LPBLOB blob,
                           DWORD flags, DWORD ns, LPGUID nsp_id, const void *timeout, const void *ov, const void *routine,
                           const void *handle)
{
    static const GUID guid_byname = SVCID_INET_HOSTADDRBYNAME;
    WSAQUERYSETW qs;
    CSADDR_INFO *cs = NULL;
    DWORD i;
    int err = 0;

    if ((err = startup_check())) return err; /* as Windows: before every argument error */
    if (timeout || ov || routine || handle) return WSAEINVAL;  /* reserved */
    if (!name || (count && !addrs)) return WSAEINVAL;
    /* the address array here; the strings, sockaddrs, blob and provider id are probed by WSASetServiceW */
    if (!user_array_readable(addrs, count, sizeof(*addrs))) return WSAEFAULT;
    if (count && !(cs = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, count * sizeof(*cs)))) return WSA_NOT_ENOUGH_MEMORY;
    for (i = 0; i < count; i++)
    {
        if (!addrs[i].lpSockaddr || addrs[i].iSockaddrLength < (int)sizeof(SOCKADDR_IN))
        {
            err = WSAEINVAL;
            break;
        }
        cs[i].RemoteAddr = addrs[i];
        cs[i].iSocketType = SOCK_STREAM;
        cs[i].iProtocol = IPPROTO_TCP;
    }
    if (!err)
    {
        memset(&qs, 0, sizeof(qs));
        qs.dwSize = sizeof(qs);
        qs.lpszServiceInstanceName = (WCHAR *)name;
        qs.lpServiceClassId = (GUID *)&guid_byname;
        qs.dwNameSpace = ns;
        qs.lpNSProviderId = nsp_id;
        qs.lpszQueryString = (WCHAR *)service;
        qs.dwNumberOfCsAddrs = count;
        qs.lpcsaBuffer = cs;
        qs.lpBlob = blob;
        if (WSASetServiceW(&qs, count ? RNRSERVICE_REGISTER : RNRSERVICE_DEREGISTER, flags)) err = WSAGetLastError();
    }
    HeapFree(GetProcessHeap(), 0, cs);
    return err;
}

int WSAAPI SetAddrInfoExW(PCWSTR pName, PCWSTR pServiceName, SOCKET_ADDRESS *pAddresses, DWORD dwAddressCount, LPBLOB lpBlob,
                          DWORD dwFlags, DWORD dwNameSpace, LPGUID lpNspId, PTIMEVAL timeout, LPOVERLAPPED lpOverlapped,
                          LPLOOKUPSERVICE_COMPLETION_ROUTINE lpCompletionRoutine, LPHANDLE lpNameHandle)
{
    int err = set_addrinfo_ex(pName, pServiceName, pAddresses, dwAddressCount, lpBlob, dwFlags, dwNameSpace, lpNspId, timeout,
                              lpOverlapped, lpCompletionRoutine, lpNameHandle);

    TRACE_API("SetAddrInfoExW(pName %p pServiceName %p pAddresses %p dwAddressCount %lu lpBlob %p dwFlags %#lx dwNameSpace %lu "
              "lpNspId %p) -> %d", (const void *)pName, (const void *)pServiceName, (void *)pAddresses,
              (unsigned long)dwAddressCount, (void *)lpBlob, (unsigned long)dwFlags, (unsigned long)dwNameSpace,
              (void *)lpNspId, err);
    return err ? fail(err) : 0;
}

int WSAAPI SetAddrInfoExA(PCSTR pName, PCSTR pServiceName, SOCKET_ADDRESS *pAddresses, DWORD dwAddressCount, LPBLOB lpBlob,
                          DWORD dwFlags, DWORD dwNameSpace, LPGUID lpNspId, PTIMEVAL timeout, LPOVERLAPPED lpOverlapped,
                          LPLOOKUPSERVICE_COMPLETION_ROUTINE lpCompletionRoutine, LPHANDLE lpNameHandle)
{
    WCHAR *name = NULL, *service = NULL;
    int err;

    if ((err = startup_check())) {} /* as Windows: before every argument error */
    else if ((pName && !user_str_readable(pName)) || (pServiceName && !user_str_readable(pServiceName))) err = WSAEFAULT;
    else if (!(err = gai_a_to_w(pName, &name)) && !(err = gai_a_to_w(pServiceName, &service)))
        err = set_addrinfo_ex(name, service, pAddresses, dwAddressCount, lpBlob, dwFlags, dwNameSpace, lpNspId, timeout,
                              lpOverlapped, lpCompletionRoutine, lpNameHandle);
    HeapFree(GetProcessHeap(), 0, name);
    HeapFree(GetProcessHeap(), 0, service);
    TRACE_API("SetAddrInfoExA(pName %s pServiceName %s pAddresses %p dwAddressCount %lu dwNameSpace %lu) -> %d",
              !pName ? "(null)" : user_str_readable(pName) ? pName : "(bad pointer)",
              !pServiceName ? "(null)" : user_str_readable(pServiceName) ? pServiceName : "(bad pointer)", (void *)pAddresses,
              (unsigned long)dwAddressCount, (unsigned long)dwNameSpace, err);
    return err ? fail(err) : 0;
}
