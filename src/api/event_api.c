/* event_api.c - network event notification dispatched to the socket's provider (WSAEventSelect,
 * WSAEnumNetworkEvents, WSAAsyncSelect) and the event-object wrappers (WSACreateEvent,
 * WSACloseEvent, WSASetEvent, WSAResetEvent, WSAWaitForMultipleEvents), which are plain Win32 event
 * calls and, as on Windows, need no WSAStartup.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "api_internal.h"
#include "provider.h"
#include "socket_table.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT hEventObject, __LONG32 lNetworkEvents)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock), ret = SOCKET_ERROR;

    if (!err)
    {
        TRACE_SPI("WSPEventSelect(s %#llx event %p events %#lx)", SOCK_ARG(s), hEventObject,
                  (unsigned long)lNetworkEvents);
        ret = sock->provider->procs.lpWSPEventSelect(s, hEventObject, lNetworkEvents, &err);
        TRACE_SPI("WSPEventSelect -> %d (error %d)", ret, err);
        err = api_provider_error(ret == SOCKET_ERROR, err);
    }
    return api_leave(sock, err, 0, "WSAEventSelect(s %#llx hEventObject %p lNetworkEvents %#lx)", SOCK_ARG(s),
                     hEventObject, (unsigned long)lNetworkEvents);
}

int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS lpNetworkEvents)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock), ret = SOCKET_ERROR;

    if (!err && !user_writable(lpNetworkEvents, sizeof(*lpNetworkEvents))) err = WSAEFAULT;
    if (!err)
    {
        TRACE_SPI("WSPEnumNetworkEvents(s %#llx event %p events %p)", SOCK_ARG(s), hEventObject,
                  (void *)lpNetworkEvents);
        ret = sock->provider->procs.lpWSPEnumNetworkEvents(s, hEventObject, lpNetworkEvents, &err);
        TRACE_SPI("WSPEnumNetworkEvents -> %d (events %#lx error %d)", ret,
                  ret != SOCKET_ERROR ? (unsigned long)lpNetworkEvents->lNetworkEvents : 0ul, err);
        err = api_provider_error(ret == SOCKET_ERROR, err);
    }
    return api_leave(sock, err, 0, "WSAEnumNetworkEvents(s %#llx hEventObject %p lpNetworkEvents %p)", SOCK_ARG(s),
                     hEventObject, (void *)lpNetworkEvents);
}

int WSAAPI WSAAsyncSelect(SOCKET s, HWND hWnd, u_int wMsg, __LONG32 lEvent)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock), ret = SOCKET_ERROR;

    if (!err)
    {
        TRACE_SPI("WSPAsyncSelect(s %#llx hwnd %p msg %#x events %#lx)", SOCK_ARG(s), (void *)hWnd, wMsg,
                  (unsigned long)lEvent);
        ret = sock->provider->procs.lpWSPAsyncSelect(s, hWnd, wMsg, lEvent, &err);
        TRACE_SPI("WSPAsyncSelect -> %d (error %d)", ret, err);
        err = api_provider_error(ret == SOCKET_ERROR, err);
    }
    return api_leave(sock, err, 0, "WSAAsyncSelect(s %#llx hWnd %p wMsg %#x lEvent %#lx)", SOCK_ARG(s), (void *)hWnd,
                     wMsg, (unsigned long)lEvent);
}

WSAEVENT WSAAPI WSACreateEvent(void)
{
    /* Manual reset, initially non-signaled, unnamed. */
    WSAEVENT ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!ev) ev = WSA_INVALID_EVENT; /* the last error is already WSA_NOT_ENOUGH_MEMORY or similar */
    TRACE_API("WSACreateEvent() -> %p (error %lu)", ev, ev ? 0ul : (unsigned long)GetLastError());
    return ev;
}

BOOL WSAAPI WSACloseEvent(WSAEVENT hEvent)
{
    BOOL ret = CloseHandle(hEvent); /* failure: ERROR_INVALID_HANDLE == WSA_INVALID_HANDLE */
    TRACE_API("WSACloseEvent(hEvent %p) -> %d", hEvent, ret);
    return ret;
}

BOOL WSAAPI WSASetEvent(WSAEVENT hEvent)
{
    BOOL ret = SetEvent(hEvent);
    TRACE_API("WSASetEvent(hEvent %p) -> %d", hEvent, ret);
    return ret;
}

BOOL WSAAPI WSAResetEvent(WSAEVENT hEvent)
{
    BOOL ret = ResetEvent(hEvent);
    TRACE_API("WSAResetEvent(hEvent %p) -> %d", hEvent, ret);
    return ret;
}

DWORD WSAAPI WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents, BOOL fWaitAll, DWORD dwTimeout,
                                      BOOL fAlertable)
{
    DWORD ret;

    if (!cEvents || cEvents > WSA_MAXIMUM_WAIT_EVENTS || !lphEvents)
    {
        SetLastError(WSA_INVALID_PARAMETER);
        ret = WSA_WAIT_FAILED;
    }
    else if (!user_readable(lphEvents, cEvents * sizeof(*lphEvents)))
    {
        /* What WaitForMultipleObjectsEx itself reports for an unreadable handle array on Windows. */
        SetLastError(ERROR_NOACCESS);
        ret = WSA_WAIT_FAILED;
    }
    else ret = WaitForMultipleObjectsEx(cEvents, lphEvents, fWaitAll, dwTimeout, fAlertable);
    TRACE_API("WSAWaitForMultipleEvents(cEvents %lu lphEvents %p fWaitAll %d dwTimeout %lu fAlertable %d) -> %#lx",
              (unsigned long)cEvents, (const void *)lphEvents, fWaitAll, (unsigned long)dwTimeout, fAlertable,
              (unsigned long)ret);
    return ret;
}
