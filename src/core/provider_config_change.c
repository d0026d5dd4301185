/* provider_config_change.c - WSAProviderConfigChange: the notification handle is a registry key
 * handle on HKLM\System\CurrentControlSet\Services\WinSock2\Parameters (an ordinary OS handle the
 * application closes with CloseHandle); each later call arms a change notification on that key and
 * its subtree (both the protocol and the name-space catalogs, any process) and completes when it
 * fires: synchronously without an overlapped structure, otherwise with WSA_IO_PENDING and later
 * through the overlapped's event or the completion routine (queued as an APC to the calling thread,
 * run when it waits alertably). A handle pointer or overlapped structure that cannot be written
 * (include/user_ptr.h) is WSAEFAULT, as a NULL handle pointer.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "catalog.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

#ifndef REG_NOTIFY_THREAD_AGNOSTIC
# define REG_NOTIFY_THREAD_AGNOSTIC 0x10000000
#endif
#define CHANGE_FILTER (REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET | REG_NOTIFY_THREAD_AGNOSTIC)
#ifndef STATUS_PENDING
# define STATUS_PENDING ((DWORD)0x00000103)
#endif

struct change_wait
{
    HANDLE event;       /* signalled by the registry notification */
    LPWSAOVERLAPPED overlapped;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    HANDLE thread;      /* the caller's thread, for the completion routine's APC */
};

static void free_wait(struct change_wait *w)
{
    if (w->event) CloseHandle(w->event);
    if (w->thread) CloseHandle(w->thread);
    HeapFree(GetProcessHeap(), 0, w);
}

static void CALLBACK completion_apc(ULONG_PTR param)
{
    struct change_wait *w = (struct change_wait *)param;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = w->routine;
    LPWSAOVERLAPPED ov = w->overlapped;

    free_wait(w);
    TRACE_API("WSAProviderConfigChange completion routine %p(0, 0, %p, 0)", (void *)(UINT_PTR)routine, (void *)ov);
    routine(0, 0, ov, 0);
}

static DWORD WINAPI waiter(void *param)
{
    struct change_wait *w = param;
    HMODULE self = NULL;

    /* The module reference taken for us is dropped when this thread exits. */
    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (LPCWSTR)(void *)waiter, &self);
    WaitForSingleObject(w->event, INFINITE);
    w->overlapped->InternalHigh = 0;
    w->overlapped->Internal = 0; /* STATUS_SUCCESS */
    TRACE_API("WSAProviderConfigChange: the provider configuration changed (overlapped %p)", (void *)w->overlapped);
    if (w->overlapped->hEvent) SetEvent(w->overlapped->hEvent);
    if (!w->routine || !QueueUserAPC(completion_apc, w->thread, (ULONG_PTR)w)) free_wait(w);
    if (self) FreeLibraryAndExitThread(self, 0);
    return 0;
}

static int config_change(HANDLE *handle, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct change_wait *w;
    HMODULE self = NULL;
    HANDLE thread;
    HKEY key;
    int err;

    if ((err = startup_check())) return err;
    if (!handle || !user_writable(handle, sizeof(*handle))) return WSAEFAULT;
    if (!*handle)
    {
        /* First call: the handle, at once. */
        if (RegCreateKeyExA(HKEY_LOCAL_MACHINE, WINSOCK2_PARAMETERS_KEY, 0, NULL, 0, KEY_NOTIFY | KEY_READ, NULL, &key,
                            NULL) != ERROR_SUCCESS &&
            RegOpenKeyExA(HKEY_LOCAL_MACHINE, WINSOCK2_PARAMETERS_KEY, 0, KEY_NOTIFY, &key) != ERROR_SUCCESS)
            return WSA_NOT_ENOUGH_MEMORY;
        *handle = key;
        return 0;
    }
    if (routine && !ov) return WSAEINVAL;
    if (ov && !user_writable(ov, sizeof(*ov))) return WSAEFAULT;
    if (!(w = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*w)))) return WSA_NOT_ENOUGH_MEMORY;
    if (!(w->event = CreateEventW(NULL, TRUE, FALSE, NULL)))
    {
        free_wait(w);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    if (RegNotifyChangeKeyValue((HKEY)*handle, TRUE, CHANGE_FILTER, w->event, TRUE) != ERROR_SUCCESS)
    {
        free_wait(w);
        return WSA_INVALID_HANDLE;
    }
    if (!ov)
    {
        WaitForSingleObject(w->event, INFINITE);
        free_wait(w);
        return 0;
    }
    w->overlapped = ov;
    w->routine = routine;
    if (routine && !DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &w->thread, 0, FALSE,
                                    DUPLICATE_SAME_ACCESS))
    {
        free_wait(w);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    ov->Internal = STATUS_PENDING;
    ov->InternalHigh = 0;
    /* The waiter holds its own reference on this DLL so that an unload cannot pull the code away. */
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, (LPCWSTR)(void *)waiter, &self) ||
        !(thread = CreateThread(NULL, 64 * 1024, waiter, w, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL)))
    {
        if (self) FreeLibrary(self);
        free_wait(w);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    CloseHandle(thread);
    return WSA_IO_PENDING;
}

INT WSAAPI WSAProviderConfigChange(LPHANDLE lpNotificationHandle, LPWSAOVERLAPPED lpOverlapped,
                                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    BOOL valid = lpNotificationHandle && user_writable(lpNotificationHandle, sizeof(*lpNotificationHandle));
    HANDLE before = valid ? *lpNotificationHandle : NULL;
    int err = config_change(lpNotificationHandle, lpOverlapped, lpCompletionRoutine);

    TRACE_API("WSAProviderConfigChange(lpNotificationHandle %p [%p -> %p] lpOverlapped %p lpCompletionRoutine %p) -> %d error %d",
              (void *)lpNotificationHandle, before, valid ? *lpNotificationHandle : NULL,
              (void *)lpOverlapped, (void *)(UINT_PTR)lpCompletionRoutine, err ? SOCKET_ERROR : 0, err);
    if (err) return ws_fail(err);
    return 0;
}
