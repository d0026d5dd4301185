/* not_implemented.c - placeholders for the ws2_32 exports nobody has implemented yet.
 * Each has Windows' prototype, traces its call, sets the documented error (WSAEOPNOTSUPP unless the
 * documentation calls for another) and returns the documented failure value: nothing here fakes
 * success. Whoever implements an export deletes its placeholder here (one precise edit).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "handle_table.h"
#include "startup.h"
#include "trace.h"

/* ProcessSocketNotifications' SOCK_NOTIFY_REGISTRATION (not in MinGW-w64's headers). */
struct openws2_sock_notify_registration
{
    SOCKET socket;
    PVOID completionKey;
    UINT16 eventFilter;
    UINT8 operation;
    UINT8 triggerFlags;
    DWORD registrationResult;
};

/* Exports MinGW-w64's headers do not declare (prototypes from Microsoft's documentation or, for the
 * undocumented ones, Windows' ws2_32/ws2help ABI). */
DWORD WSAAPI ProcessSocketNotifications(HANDLE completionPort, UINT32 registrationCount, struct openws2_sock_notify_registration *registrationInfos, UINT32 timeoutMs, ULONG completionCount, OVERLAPPED_ENTRY *completionPortEntries, UINT32 *receivedEntryCount);
int WINAPI WPUGetProviderPathEx(LPGUID lpProviderId, WCHAR *lpszProviderDllPath, LPINT lpProviderDllPathLen, LPINT lpErrno);
int WINAPI WSCDeinstallProviderEx(LPGUID lpProviderId, LPINT lpErrno);
int WINAPI WSCEnumProtocolsEx(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer, LPDWORD lpdwBufferLength, LPINT lpErrno);
#ifdef _WIN64 /* MinGW-w64 declares it for 32-bit only */
int WINAPI WSCInstallProviderAndChains(const LPGUID lpProviderId, const LPWSTR lpszProviderDllPath, const LPWSTR lpszLspName, DWORD dwServiceFlags, const LPWSAPROTOCOL_INFO lpProtocolInfoList, DWORD dwNumberOfEntries, LPDWORD lpdwCatalogEntryId, LPINT lpErrno);
#endif
int WINAPI WSCInstallProviderEx(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath, const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries, LPINT lpErrno);
int WINAPI WSCUpdateProviderEx(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath, const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries, LPINT lpErrno);
int WINAPI WSCWriteProviderOrder(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries);
int WINAPI WSCWriteProviderOrder32(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries);
int WINAPI WSCWriteProviderOrderEx(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries, LPINT lpErrno);
DWORD WINAPI WahCloseApcHelper(HANDLE ApcHelperHandle);
DWORD WINAPI WahCloseHandleHelper(HANDLE HelperHandle);
DWORD WINAPI WahCloseNotificationHandleHelper(HANDLE HelperHandle);
DWORD WINAPI WahCloseSocketHandle(HANDLE HelperHandle, SOCKET s);
DWORD WINAPI WahCloseThread(HANDLE ApcHelperHandle, LPWSATHREADID ThreadId);
DWORD WINAPI WahCompleteRequest(HANDLE HelperHandle, SOCKET s, LPWSAOVERLAPPED lpOverlapped, DWORD dwError, DWORD cbTransferred);
DWORD WINAPI WahCreateNotificationHandle(HANDLE HelperHandle, HANDLE *NotificationHandle);
DWORD WINAPI WahCreateSocketHandle(HANDLE HelperHandle, SOCKET *s);
DWORD WINAPI WahDisableNonIFSHandleSupport(void);
DWORD WINAPI WahEnableNonIFSHandleSupport(void);
DWORD WINAPI WahNotifyAllProcesses(HANDLE NotificationHelperHandle);
DWORD WINAPI WahOpenApcHelper(LPHANDLE ApcHelperHandle);
DWORD WINAPI WahOpenCurrentThread(HANDLE ApcHelperHandle, LPWSATHREADID ThreadId);
DWORD WINAPI WahOpenHandleHelper(LPHANDLE HelperHandle);
DWORD WINAPI WahOpenNotificationHandleHelper(LPHANDLE HelperHandle);
DWORD WINAPI WahQueueUserApc(HANDLE ApcHelperHandle, LPWSATHREADID ThreadId, LPWSAUSERAPC lpfnUserApc, DWORD_PTR dwContext);
DWORD WINAPI WahWaitForNotification(HANDLE NotificationHelperHandle, HANDLE hNotification, LPWSAOVERLAPPED lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
DWORD WINAPI WahWriteLSPEvent(LPVOID lpEvent, DWORD dwLength);

/* ---- Protocol catalog (engineer "catalog") ---- */

int WINAPI WSCDeinstallProviderEx(LPGUID lpProviderId, LPINT lpErrno)
{
    int r;
    if (lpErrno) *lpErrno = WSAEOPNOTSUPP;
    r = SOCKET_ERROR;
    TRACE_API("WSCDeinstallProviderEx(lpProviderId %p lpErrno %p) -> %lld placeholder", (void *)lpProviderId, (void *)lpErrno, (long long)r);
    return r;
}

int WINAPI WSCEnumProtocolsEx(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer, LPDWORD lpdwBufferLength, LPINT lpErrno)
{
    int r;
    if (lpErrno) *lpErrno = WSAEOPNOTSUPP;
    r = SOCKET_ERROR;
    TRACE_API("WSCEnumProtocolsEx(lpiProtocols %p lpProtocolBuffer %p lpdwBufferLength %p lpErrno %p) -> %lld placeholder", (void *)lpiProtocols, (void *)lpProtocolBuffer, (void *)lpdwBufferLength, (void *)lpErrno, (long long)r);
    return r;
}

int WINAPI WSCInstallProviderEx(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath, const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries, LPINT lpErrno)
{
    int r;
    if (lpErrno) *lpErrno = WSAEOPNOTSUPP;
    r = SOCKET_ERROR;
    TRACE_API("WSCInstallProviderEx(lpProviderId %p lpszProviderDllPath %p lpProtocolInfoList %p dwNumberOfEntries %lld lpErrno %p) -> %lld placeholder", (void *)lpProviderId, (void *)lpszProviderDllPath, (void *)lpProtocolInfoList, (long long)dwNumberOfEntries, (void *)lpErrno, (long long)r);
    return r;
}

int WINAPI WSCUpdateProviderEx(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath, const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries, LPINT lpErrno)
{
    int r;
    if (lpErrno) *lpErrno = WSAEOPNOTSUPP;
    r = SOCKET_ERROR;
    TRACE_API("WSCUpdateProviderEx(lpProviderId %p lpszProviderDllPath %p lpProtocolInfoList %p dwNumberOfEntries %lld lpErrno %p) -> %lld placeholder", (void *)lpProviderId, (void *)lpszProviderDllPath, (void *)lpProtocolInfoList, (long long)dwNumberOfEntries, (void *)lpErrno, (long long)r);
    return r;
}

int WINAPI WSCWriteProviderOrderEx(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries, LPINT lpErrno)
{
    int r;
    if (lpErrno) *lpErrno = WSAEOPNOTSUPP;
    r = SOCKET_ERROR;
    TRACE_API("WSCWriteProviderOrderEx(lpwdCatalogEntryId %p dwNumberOfEntries %lld lpErrno %p) -> %lld placeholder", (void *)lpwdCatalogEntryId, (long long)dwNumberOfEntries, (void *)lpErrno, (long long)r);
    return r;
}

/* ---- Upcalls and other Wah* helpers (engineer "provider") ---- */

DWORD WINAPI WahWriteLSPEvent(LPVOID lpEvent, DWORD dwLength)
{
    DWORD r;
    r = WSAEOPNOTSUPP;
    TRACE_API("WahWriteLSPEvent(lpEvent %p dwLength %lld) -> %lld placeholder", (void *)lpEvent, (long long)dwLength, (long long)r);
    return r;
}

/* ---- Address conversion, byte order, services and protocols database (engineer "resolve") ---- */

/* ---- Name resolution and namespace providers (a later issue) ---- */

/* ---- Socket API dispatch (engineer "api") ---- */

DWORD WSAAPI ProcessSocketNotifications(HANDLE completionPort, UINT32 registrationCount, struct openws2_sock_notify_registration *registrationInfos, UINT32 timeoutMs, ULONG completionCount, OVERLAPPED_ENTRY *completionPortEntries, UINT32 *receivedEntryCount)
{
    /* Socket state notifications need provider support no openws2 provider has: after the
     * documented argument checks, the documented failure (a WSAE* code, nothing registered). */
    DWORD r = (DWORD)startup_check();
    if (!r && ((!registrationCount) != (!registrationInfos) || (!completionCount && timeoutMs) ||
               (!completionCount) != (!completionPortEntries) || (!completionCount) != (!receivedEntryCount) ||
               !completionPort || completionPort == INVALID_HANDLE_VALUE))
        r = WSAEINVAL;
    if (!r) r = WSAEOPNOTSUPP;
    TRACE_API("ProcessSocketNotifications(completionPort %p registrationCount %lld registrationInfos %p timeoutMs %lld completionCount %lld completionPortEntries %p receivedEntryCount %p) -> %lld placeholder", (void *)completionPort, (long long)registrationCount, (void *)registrationInfos, (long long)timeoutMs, (long long)completionCount, (void *)completionPortEntries, (void *)receivedEntryCount, (long long)r);
    return r;
}
