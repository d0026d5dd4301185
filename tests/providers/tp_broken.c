/* tp_broken.c - tp_broken.dll, a deliberately NON-conforming transport provider for ws2conform's own
 * test (it must FAIL it, with the right FAIL lines). What is wrong, on purpose:
 *  - WSPStartup answers wVersion = wHighVersion = 3.3 whatever was requested (the documented answer
 *    is the lesser of the request and the highest supported version);
 *  - the WSPPROC_TABLE it returns has lpWSPSelect and lpWSPGetQOSByName NULL;
 *  - WSPSocket hands out a bare event handle that went through no upcall (neither
 *    WPUModifyIFSHandle nor WPUCreateSocketHandle);
 *  - WSPCleanup keeps no count: it succeeds even without a WSPStartup.
 * Everything else fails with WSAEOPNOTSUPP. Imports kernel32 only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"

__declspec(dllexport) int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData,
                                            LPWSAPROTOCOL_INFOW lpProtocolInfo, WSPUPCALLTABLE UpcallTable,
                                            LPWSPPROC_TABLE lpProcTable);

static int unsupported(LPINT err)
{
    if (err) *err = WSAEOPNOTSUPP;
    return SOCKET_ERROR;
}

static SOCKET WSPAPI broken_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g, DWORD flags,
                                   LPINT err)
{
    HANDLE h = CreateEventW(NULL, TRUE, FALSE, NULL); /* wrong: no WPU upcall made this handle */

    (void)af; (void)type; (void)protocol; (void)info; (void)g; (void)flags;
    if (!h)
    {
        if (err) *err = WSAENOBUFS;
        return INVALID_SOCKET;
    }
    return (SOCKET)h;
}

static int WSPAPI broken_close(SOCKET s, LPINT err)
{
    if (CloseHandle((HANDLE)s)) return 0;
    if (err) *err = WSAENOTSOCK;
    return SOCKET_ERROR;
}

static int WSPAPI broken_cleanup(LPINT err)
{
    (void)err;
    return 0; /* wrong: no WSANOTINITIALISED without a WSPStartup */
}

static int WSPAPI broken_bind(SOCKET s, const struct sockaddr *name, int len, LPINT err)
{
    (void)s; (void)name; (void)len;
    return unsupported(err);
}

static int WSPAPI broken_listen(SOCKET s, int backlog, LPINT err)
{
    (void)s; (void)backlog;
    return unsupported(err);
}

static SOCKET WSPAPI broken_accept(SOCKET s, struct sockaddr *addr, LPINT len, LPCONDITIONPROC cond,
                                   DWORD_PTR data, LPINT err)
{
    (void)s; (void)addr; (void)len; (void)cond; (void)data;
    unsupported(err);
    return INVALID_SOCKET;
}

static int WSPAPI broken_connect(SOCKET s, const struct sockaddr *name, int len, LPWSABUF caller, LPWSABUF callee,
                                 LPQOS sqos, LPQOS gqos, LPINT err)
{
    (void)s; (void)name; (void)len; (void)caller; (void)callee; (void)sqos; (void)gqos;
    return unsupported(err);
}

static int WSPAPI broken_transfer(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD done, DWORD flags, LPWSAOVERLAPPED ov,
                                  LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT err)
{
    (void)s; (void)bufs; (void)n; (void)done; (void)flags; (void)ov; (void)cr; (void)tid;
    return unsupported(err);
}

static int WSPAPI broken_recv(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD done, LPDWORD flags, LPWSAOVERLAPPED ov,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT err)
{
    (void)flags;
    return broken_transfer(s, bufs, n, done, 0, ov, cr, tid, err);
}

static int WSPAPI broken_name(SOCKET s, struct sockaddr *name, LPINT len, LPINT err)
{
    (void)s; (void)name; (void)len;
    return unsupported(err);
}

/* Fills every member with a function of the right arity that fails (cast through void *: the broken
 * table only has to be called for the members ws2conform uses, which have their own functions). */
static int WSPAPI broken_generic(void)
{
    return SOCKET_ERROR;
}

int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                      WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable)
{
    void **slot;
    size_t i;

    (void)wVersionRequested; (void)lpProtocolInfo; (void)UpcallTable;
    if (!lpWSPData || !lpProcTable) return WSAEFAULT;
    memset(lpWSPData, 0, sizeof(*lpWSPData));
    lpWSPData->wVersion = MAKEWORD(3, 3);     /* wrong on purpose */
    lpWSPData->wHighVersion = MAKEWORD(3, 3);
    slot = (void **)lpProcTable;
    for (i = 0; i < sizeof(*lpProcTable) / sizeof(void *); i++) slot[i] = (void *)broken_generic;
    lpProcTable->lpWSPSocket = broken_socket;
    lpProcTable->lpWSPCloseSocket = broken_close;
    lpProcTable->lpWSPCleanup = broken_cleanup;
    lpProcTable->lpWSPBind = broken_bind;
    lpProcTable->lpWSPListen = broken_listen;
    lpProcTable->lpWSPAccept = broken_accept;
    lpProcTable->lpWSPConnect = broken_connect;
    lpProcTable->lpWSPSend = broken_transfer;
    lpProcTable->lpWSPRecv = broken_recv;
    lpProcTable->lpWSPGetSockName = broken_name;
    lpProcTable->lpWSPGetPeerName = broken_name;
    lpProcTable->lpWSPSelect = NULL;       /* incomplete on purpose */
    lpProcTable->lpWSPGetQOSByName = NULL;
    return 0;
}
