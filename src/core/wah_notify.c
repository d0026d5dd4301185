/* wah_notify.c - ws2help's cross-process notification exports: WahOpenNotificationHandleHelper,
 * WahCloseNotificationHandleHelper, WahCreateNotificationHandle, WahWaitForNotification and
 * WahNotifyAllProcesses (Win32 error codes, ERROR_SUCCESS on success, as ws2help's).
 * A notification handle is one instance of the named pipe \\.\pipe\openws2-ws2help-notify (any
 * process); WahNotifyAllProcesses connects to every instance that is listening, which completes the
 * waits on them. An instance listens from its creation and during each wait: a notification sent
 * before a handle's first wait is kept and that wait returns at once; one sent between two waits
 * of the same handle is not seen by it (callers re-read their state after each notification). A wait is
 * synchronous without an OVERLAPPED, otherwise it answers ERROR_IO_PENDING and completes through the
 * OVERLAPPED (its event, or the completion port associated with the notification handle).
 * Completion routines are not supported (ERROR_NOT_SUPPORTED).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "trace.h"

#include <stdlib.h>

#define NOTIFY_PIPE L"\\\\.\\pipe\\openws2-ws2help-notify"
/* Never loop forever on a misbehaving pipe server. */
#define NOTIFY_MAX_INSTANCES 65536

DWORD WINAPI WahOpenNotificationHandleHelper(LPHANDLE HelperHandle);
DWORD WINAPI WahCloseNotificationHandleHelper(HANDLE HelperHandle);
DWORD WINAPI WahCreateNotificationHandle(HANDLE HelperHandle, HANDLE *NotificationHandle);
DWORD WINAPI WahWaitForNotification(HANDLE NotificationHelperHandle, HANDLE hNotification,
                                    LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
DWORD WINAPI WahNotifyAllProcesses(HANDLE NotificationHelperHandle);

/* Notification handles whose last wait was left to complete asynchronously: their instance is
 * connected by a notification already reported and must be re-armed before the next wait. */
struct armed
{
    struct armed *next;
    HANDLE h;
};
static SRWLOCK armed_lock = SRWLOCK_INIT;
static struct armed *async_waits;

static BOOL helper_valid(HANDLE h)
{
    DWORD flags;
    return h && h != INVALID_HANDLE_VALUE && GetHandleInformation(h, &flags);
}

DWORD WINAPI WahOpenNotificationHandleHelper(LPHANDLE HelperHandle)
{
    DWORD r = ERROR_SUCCESS;
    HANDLE h = NULL;

    if (!HelperHandle) r = ERROR_INVALID_PARAMETER;
    else if (!(h = CreateEventW(NULL, TRUE, FALSE, NULL))) r = ERROR_NOT_ENOUGH_MEMORY;
    else *HelperHandle = h;
    TRACE_API("WahOpenNotificationHandleHelper(%p) -> %lu (helper %p)", (void *)HelperHandle, (unsigned long)r,
              (void *)h);
    return r;
}

DWORD WINAPI WahCloseNotificationHandleHelper(HANDLE HelperHandle)
{
    DWORD r = ERROR_SUCCESS;

    if (!HelperHandle || HelperHandle == INVALID_HANDLE_VALUE) r = ERROR_INVALID_PARAMETER;
    else if (!CloseHandle(HelperHandle)) r = ERROR_INVALID_HANDLE;
    TRACE_API("WahCloseNotificationHandleHelper(%p) -> %lu", (void *)HelperHandle, (unsigned long)r);
    return r;
}

DWORD WINAPI WahCreateNotificationHandle(HANDLE HelperHandle, HANDLE *NotificationHandle)
{
    DWORD r = ERROR_SUCCESS;
    HANDLE h = INVALID_HANDLE_VALUE;

    if (!NotificationHandle || !helper_valid(HelperHandle)) r = ERROR_INVALID_PARAMETER;
    else
    {
        h = CreateNamedPipeW(NOTIFY_PIPE, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED, PIPE_TYPE_BYTE | PIPE_WAIT,
                             PIPE_UNLIMITED_INSTANCES, 0, 0, 0, NULL);
        if (h == INVALID_HANDLE_VALUE) r = GetLastError() ? GetLastError() : ERROR_NOT_ENOUGH_MEMORY;
        else *NotificationHandle = h;
    }
    TRACE_API("WahCreateNotificationHandle(%p, %p) -> %lu (handle %p)", (void *)HelperHandle,
              (void *)NotificationHandle, (unsigned long)r, (void *)h);
    return r;
}

/* Was h's last wait asynchronous? Clears the mark. */
static BOOL take_async_mark(HANDLE h)
{
    struct armed **pp, *a;

    AcquireSRWLockExclusive(&armed_lock);
    for (pp = &async_waits; (a = *pp); pp = &a->next)
        if (a->h == h)
        {
            *pp = a->next;
            break;
        }
    ReleaseSRWLockExclusive(&armed_lock);
    free(a);
    return a != NULL;
}

static DWORD mark_async(HANDLE h)
{
    struct armed *a = malloc(sizeof(*a));
    if (!a) return ERROR_NOT_ENOUGH_MEMORY;
    a->h = h;
    AcquireSRWLockExclusive(&armed_lock);
    a->next = async_waits;
    async_waits = a;
    ReleaseSRWLockExclusive(&armed_lock);
    return ERROR_SUCCESS;
}

DWORD WINAPI WahWaitForNotification(HANDLE NotificationHelperHandle, HANDLE hNotification,
                                    LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    OVERLAPPED own, *ov = lpOverlapped ? lpOverlapped : &own;
    DWORD r = ERROR_SUCCESS, e = 0, n;

    if (!helper_valid(NotificationHelperHandle) || !hNotification || hNotification == INVALID_HANDLE_VALUE)
        r = ERROR_INVALID_PARAMETER;
    else if (lpCompletionRoutine) r = ERROR_NOT_SUPPORTED;
    else
    {
        /* The previous asynchronous wait was completed by a notification the caller has seen. */
        if (take_async_mark(hNotification)) DisconnectNamedPipe(hNotification);
        memset(&own, 0, sizeof(own));
        if (!lpOverlapped && !(own.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL))) r = ERROR_NOT_ENOUGH_MEMORY;
        else if (ConnectNamedPipe(hNotification, ov)) e = ERROR_PIPE_CONNECTED;
        else e = GetLastError();
        if (r) ;
        else if (e == ERROR_PIPE_CONNECTED || e == ERROR_NO_DATA)
        {
            /* Notified before this wait: report it now and re-arm. */
            DisconnectNamedPipe(hNotification);
            if (lpOverlapped)
            {
                lpOverlapped->Internal = 0;
                lpOverlapped->InternalHigh = 0;
                if (lpOverlapped->hEvent) SetEvent((HANDLE)((ULONG_PTR)lpOverlapped->hEvent & ~(ULONG_PTR)1));
            }
        }
        else if (e != ERROR_IO_PENDING) r = e;
        else if (lpOverlapped)
        {
            if (!(r = mark_async(hNotification))) r = ERROR_IO_PENDING;
        }
        else
        {
            if (!GetOverlappedResult(hNotification, &own, &n, TRUE) && GetLastError() != ERROR_NO_DATA &&
                GetLastError() != ERROR_PIPE_CONNECTED)
                r = GetLastError();
            DisconnectNamedPipe(hNotification);
        }
        if (own.hEvent) CloseHandle(own.hEvent);
    }
    TRACE_API("WahWaitForNotification(%p, %p, %p, %p) -> %lu", (void *)NotificationHelperHandle, (void *)hNotification,
              (void *)lpOverlapped, (void *)(uintptr_t)lpCompletionRoutine, (unsigned long)r);
    return r;
}

DWORD WINAPI WahNotifyAllProcesses(HANDLE NotificationHelperHandle)
{
    DWORD r = ERROR_SUCCESS, e;
    unsigned count = 0;

    if (!helper_valid(NotificationHelperHandle)) r = ERROR_INVALID_PARAMETER;
    else
        /* Every connection completes one listening instance; a connected or closing instance is
         * no longer listening, so this ends when none is (ERROR_PIPE_BUSY) or none exists. */
        while (count < NOTIFY_MAX_INSTANCES)
        {
            HANDLE h = CreateFileW(NOTIFY_PIPE, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
            if (h == INVALID_HANDLE_VALUE)
            {
                e = GetLastError();
                if (e != ERROR_PIPE_BUSY && e != ERROR_FILE_NOT_FOUND) r = e;
                break;
            }
            CloseHandle(h);
            count++;
        }
    TRACE_API("WahNotifyAllProcesses(%p) -> %lu (%u waiter(s) notified)", (void *)NotificationHelperHandle,
              (unsigned long)r, count);
    return r;
}
