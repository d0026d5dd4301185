/* wah_helpers.c - Windows' ws2help helper exports other than the handle-context table ones:
 * APC helper (WahOpenApcHelper, WahCloseApcHelper, WahOpenCurrentThread, WahCloseThread,
 * WahQueueUserApc), handle helper for non-IFS socket handles (WahOpenHandleHelper,
 * WahCloseHandleHelper, WahCreateSocketHandle, WahCloseSocketHandle, WahCompleteRequest) and
 * WahEnableNonIFSHandleSupport / WahDisableNonIFSHandleSupport, on top of nonifs_handle.c.
 * Return values are Win32 error codes (ERROR_SUCCESS on success), as ws2help's.
 * A helper handle is a real handle (an unsignalled event) so that closing it twice or closing a
 * random value fails as it does on Windows; the helpers carry no state of their own.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "nonifs.h"
#include "trace.h"

DWORD WINAPI WahOpenApcHelper(LPHANDLE ApcHelperHandle);
DWORD WINAPI WahCloseApcHelper(HANDLE ApcHelperHandle);
DWORD WINAPI WahOpenCurrentThread(HANDLE ApcHelperHandle, LPWSATHREADID ThreadId);
DWORD WINAPI WahCloseThread(HANDLE ApcHelperHandle, LPWSATHREADID ThreadId);
DWORD WINAPI WahQueueUserApc(HANDLE ApcHelperHandle, LPWSATHREADID ThreadId, LPWSAUSERAPC lpfnUserApc,
                             DWORD_PTR dwContext);
DWORD WINAPI WahOpenHandleHelper(LPHANDLE HelperHandle);
DWORD WINAPI WahCloseHandleHelper(HANDLE HelperHandle);
DWORD WINAPI WahCreateSocketHandle(HANDLE HelperHandle, SOCKET *s);
DWORD WINAPI WahCloseSocketHandle(HANDLE HelperHandle, SOCKET s);
DWORD WINAPI WahCompleteRequest(HANDLE HelperHandle, SOCKET s, LPWSAOVERLAPPED lpOverlapped, DWORD dwError,
                                DWORD cbTransferred);
DWORD WINAPI WahEnableNonIFSHandleSupport(void);
DWORD WINAPI WahDisableNonIFSHandleSupport(void);

static DWORD open_helper(LPHANDLE out)
{
    HANDLE h;
    if (!out) return ERROR_INVALID_PARAMETER;
    h = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!h) return ERROR_NOT_ENOUGH_MEMORY;
    *out = h;
    return ERROR_SUCCESS;
}

static DWORD close_helper(HANDLE h)
{
    if (!h || h == INVALID_HANDLE_VALUE) return ERROR_INVALID_PARAMETER;
    return CloseHandle(h) ? ERROR_SUCCESS : ERROR_INVALID_HANDLE;
}

static BOOL helper_valid(HANDLE h)
{
    DWORD flags;
    return h && h != INVALID_HANDLE_VALUE && GetHandleInformation(h, &flags);
}

DWORD WINAPI WahOpenApcHelper(LPHANDLE ApcHelperHandle)
{
    DWORD r = open_helper(ApcHelperHandle);
    TRACE_API("WahOpenApcHelper(%p) -> %lu (helper %p)", (void *)ApcHelperHandle, (unsigned long)r,
              r ? NULL : (void *)*ApcHelperHandle);
    return r;
}

DWORD WINAPI WahCloseApcHelper(HANDLE ApcHelperHandle)
{
    DWORD r = close_helper(ApcHelperHandle);
    TRACE_API("WahCloseApcHelper(%p) -> %lu", (void *)ApcHelperHandle, (unsigned long)r);
    return r;
}

DWORD WINAPI WahOpenCurrentThread(HANDLE ApcHelperHandle, LPWSATHREADID ThreadId)
{
    DWORD r = ERROR_SUCCESS;
    HANDLE h = NULL;

    if (!ThreadId || !helper_valid(ApcHelperHandle)) r = ERROR_INVALID_PARAMETER;
    else if (!DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &h, 0, FALSE,
                              DUPLICATE_SAME_ACCESS))
        r = GetLastError() ? GetLastError() : ERROR_GEN_FAILURE;
    else
    {
        ThreadId->ThreadHandle = h;
        ThreadId->Reserved = GetCurrentThreadId();
    }
    TRACE_API("WahOpenCurrentThread(%p, %p) -> %lu (thread handle %p)", (void *)ApcHelperHandle, (void *)ThreadId,
              (unsigned long)r, (void *)h);
    return r;
}

DWORD WINAPI WahCloseThread(HANDLE ApcHelperHandle, LPWSATHREADID ThreadId)
{
    DWORD r = ERROR_SUCCESS;

    if (!ThreadId || !helper_valid(ApcHelperHandle)) r = ERROR_INVALID_PARAMETER;
    else if (!ThreadId->ThreadHandle || !CloseHandle(ThreadId->ThreadHandle)) r = ERROR_INVALID_HANDLE;
    else
    {
        ThreadId->ThreadHandle = NULL;
        ThreadId->Reserved = 0;
    }
    TRACE_API("WahCloseThread(%p, %p) -> %lu", (void *)ApcHelperHandle, (void *)ThreadId, (unsigned long)r);
    return r;
}

DWORD WINAPI WahQueueUserApc(HANDLE ApcHelperHandle, LPWSATHREADID ThreadId, LPWSAUSERAPC lpfnUserApc,
                             DWORD_PTR dwContext)
{
    DWORD r = ERROR_SUCCESS;

    if (!ThreadId || !lpfnUserApc || !helper_valid(ApcHelperHandle)) r = ERROR_INVALID_PARAMETER;
    else if (!QueueUserAPC((PAPCFUNC)(void *)lpfnUserApc, ThreadId->ThreadHandle, (ULONG_PTR)dwContext))
        r = GetLastError() ? GetLastError() : ERROR_INVALID_HANDLE;
    TRACE_API("WahQueueUserApc(%p, %p, %p, %#llx) -> %lu", (void *)ApcHelperHandle, (void *)ThreadId,
              (void *)(uintptr_t)lpfnUserApc, (unsigned long long)dwContext, (unsigned long)r);
    return r;
}

DWORD WINAPI WahOpenHandleHelper(LPHANDLE HelperHandle)
{
    DWORD r = open_helper(HelperHandle);
    TRACE_API("WahOpenHandleHelper(%p) -> %lu (helper %p)", (void *)HelperHandle, (unsigned long)r,
              r ? NULL : (void *)*HelperHandle);
    return r;
}

DWORD WINAPI WahCloseHandleHelper(HANDLE HelperHandle)
{
    DWORD r = close_helper(HelperHandle);
    TRACE_API("WahCloseHandleHelper(%p) -> %lu", (void *)HelperHandle, (unsigned long)r);
    return r;
}

DWORD WINAPI WahCreateSocketHandle(HANDLE HelperHandle, SOCKET *s)
{
    DWORD r = ERROR_SUCCESS;
    HANDLE h = INVALID_HANDLE_VALUE;
    int err = 0;

    if (!s || !helper_valid(HelperHandle)) r = ERROR_INVALID_PARAMETER;
    else if ((h = nonifs_handle_create(&err)) == INVALID_HANDLE_VALUE) r = ERROR_NOT_ENOUGH_MEMORY;
    else *s = (SOCKET)h;
    TRACE_API("WahCreateSocketHandle(%p, %p) -> %lu (socket %#llx)", (void *)HelperHandle, (void *)s,
              (unsigned long)r, (unsigned long long)(SOCKET)h);
    return r;
}

DWORD WINAPI WahCloseSocketHandle(HANDLE HelperHandle, SOCKET s)
{
    DWORD r = ERROR_SUCCESS, flags;

    if (!helper_valid(HelperHandle)) r = ERROR_INVALID_PARAMETER;
    else if (s == INVALID_SOCKET || !s || !GetHandleInformation((HANDLE)s, &flags) ||
             !nonifs_handle_close((HANDLE)s))
        r = ERROR_INVALID_HANDLE;
    TRACE_API("WahCloseSocketHandle(%p, %#llx) -> %lu", (void *)HelperHandle, (unsigned long long)s, (unsigned long)r);
    return r;
}

DWORD WINAPI WahCompleteRequest(HANDLE HelperHandle, SOCKET s, LPWSAOVERLAPPED lpOverlapped, DWORD dwError,
                                DWORD cbTransferred)
{
    DWORD r = ERROR_SUCCESS, flags;
    int err;

    if (!lpOverlapped || !helper_valid(HelperHandle)) r = ERROR_INVALID_PARAMETER;
    else if (s == INVALID_SOCKET || !s || !GetHandleInformation((HANDLE)s, &flags)) r = ERROR_INVALID_HANDLE;
    else if ((err = nonifs_complete((HANDLE)s, lpOverlapped, dwError, cbTransferred)))
        r = err == WSAENOBUFS ? ERROR_NOT_ENOUGH_MEMORY : err == WSAEINVAL ? ERROR_INVALID_HANDLE : ERROR_GEN_FAILURE;
    TRACE_API("WahCompleteRequest(%p, %#llx, %p, %lu, %lu) -> %lu", (void *)HelperHandle, (unsigned long long)s,
              (void *)lpOverlapped, (unsigned long)dwError, (unsigned long)cbTransferred, (unsigned long)r);
    return r;
}

/* Non-IFS handles need no driver here: support is always on. */
DWORD WINAPI WahEnableNonIFSHandleSupport(void)
{
    TRACE_API("WahEnableNonIFSHandleSupport() -> 0 (always enabled)");
    return ERROR_SUCCESS;
}

/* It cannot be turned off (no driver service to stop): say so instead of pretending. */
DWORD WINAPI WahDisableNonIFSHandleSupport(void)
{
    TRACE_API("WahDisableNonIFSHandleSupport() -> %lu (cannot be disabled)", (unsigned long)ERROR_NOT_SUPPORTED);
    return ERROR_NOT_SUPPORTED;
}
