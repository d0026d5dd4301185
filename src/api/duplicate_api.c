/* duplicate_api.c - WSADuplicateSocketA/W: the socket's provider (WSPDuplicateSocket) fills the
 * protocol info another process passes to WSASocket (its catalog entry id selects the provider
 * there, dwProviderReserved identifies the duplicated socket to it). The ANSI form converts.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "api_internal.h"
#include "provider.h"
#include "socket_table.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

/* Windows checks the target process before the caller's buffer (Wine's conformance tests, which
 * pass on Windows: process 0 or ~0 with a NULL buffer -> WSAEINVAL, a valid one -> WSAEFAULT). With
 * a good buffer the provider judges the process; with a bad one ws2_32 does, as the provider would
 * need to: a process it cannot open for handle duplication is WSAEINVAL. */
static int bad_buffer_error(DWORD pid)
{
    HANDLE h = pid ? OpenProcess(PROCESS_DUP_HANDLE, FALSE, pid) : NULL;
    DWORD saved = GetLastError();

    if (!h) return WSAEINVAL;
    CloseHandle(h);
    SetLastError(saved);
    return WSAEFAULT;
}

static int duplicate(SOCKET s, DWORD pid, LPWSAPROTOCOL_INFOW info)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock), ret;

    if (!err && !user_writable(info, sizeof(*info))) err = bad_buffer_error(pid);
    if (!err)
    {
        TRACE_SPI("WSPDuplicateSocket(s %#llx pid %lu info %p)", SOCK_ARG(s), (unsigned long)pid, (void *)info);
        ret = sock->provider->procs.lpWSPDuplicateSocket(s, pid, info, &err);
        TRACE_SPI("WSPDuplicateSocket -> %d (error %d)", ret, err);
        err = api_provider_error(ret == SOCKET_ERROR, err);
    }
    socket_put(sock);
    return err;
}

int WSAAPI WSADuplicateSocketW(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOW lpProtocolInfo)
{
    int err = duplicate(s, dwProcessId, lpProtocolInfo);

    return api_leave_keep(NULL, err, 0, "WSADuplicateSocketW(s %#llx dwProcessId %lu lpProtocolInfo %p)", SOCK_ARG(s),
                          (unsigned long)dwProcessId, (void *)lpProtocolInfo);
}

int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOA lpProtocolInfo)
{
    WSAPROTOCOL_INFOW infow;
    int err = startup_check();

    if (!err)
    {
        struct ws_socket *sock = socket_get(s);
        if (!sock) err = WSAENOTSOCK;
        socket_put(sock);
    }
    if (!err && !user_writable(lpProtocolInfo, sizeof(*lpProtocolInfo))) err = bad_buffer_error(dwProcessId);
    if (!err)
    {
        memset(&infow, 0, sizeof(infow));
        if (!(err = duplicate(s, dwProcessId, &infow))) protocol_info_w_to_a(&infow, lpProtocolInfo);
    }
    return api_leave_keep(NULL, err, 0, "WSADuplicateSocketA(s %#llx dwProcessId %lu lpProtocolInfo %p)", SOCK_ARG(s),
                          (unsigned long)dwProcessId, (void *)lpProtocolInfo);
}
