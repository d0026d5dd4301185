/* afd_startup.c - openws2afd's provider entry: DllMain, WSPStartup (SPI version negotiation, the Wine
 * version check of docs/STATUS.md "Wine support", the complete WSPPROC_TABLE, the upcall table kept
 * for socket creation) and WSPCleanup.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "afd_private.h"

WSPUPCALLTABLE afd_upcalls;
LONG afd_started;
static SRWLOCK afd_startup_lock = SRWLOCK_INIT;
static LONG afd_newer_traced;

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved);
int WSPAPI WSPStartup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE upcalls,
                      LPWSPPROC_TABLE procs);

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)reserved;
    switch (reason)
    {
    case DLL_PROCESS_ATTACH:
        (void)instance;
        trace_init();
        break;
    case DLL_THREAD_DETACH:
        afd_thread_detach();
        break;
    case DLL_PROCESS_DETACH:
        if (!reserved) afd_process_detach();
        break;
    }
    return TRUE;
}

static void afd_fill_procs(WSPPROC_TABLE *t)
{
    t->lpWSPAccept = afd_WSPAccept;
    t->lpWSPAddressToString = afd_WSPAddressToString;
    t->lpWSPAsyncSelect = afd_WSPAsyncSelect;
    t->lpWSPBind = afd_WSPBind;
    t->lpWSPCancelBlockingCall = afd_WSPCancelBlockingCall;
    t->lpWSPCleanup = afd_WSPCleanup;
    t->lpWSPCloseSocket = afd_WSPCloseSocket;
    t->lpWSPConnect = afd_WSPConnect;
    t->lpWSPDuplicateSocket = afd_WSPDuplicateSocket;
    t->lpWSPEnumNetworkEvents = afd_WSPEnumNetworkEvents;
    t->lpWSPEventSelect = afd_WSPEventSelect;
    t->lpWSPGetOverlappedResult = afd_WSPGetOverlappedResult;
    t->lpWSPGetPeerName = afd_WSPGetPeerName;
    t->lpWSPGetSockName = afd_WSPGetSockName;
    t->lpWSPGetSockOpt = afd_WSPGetSockOpt;
    t->lpWSPGetQOSByName = afd_WSPGetQOSByName;
    t->lpWSPIoctl = afd_WSPIoctl;
    t->lpWSPJoinLeaf = afd_WSPJoinLeaf;
    t->lpWSPListen = afd_WSPListen;
    t->lpWSPRecv = afd_WSPRecv;
    t->lpWSPRecvDisconnect = afd_WSPRecvDisconnect;
    t->lpWSPRecvFrom = afd_WSPRecvFrom;
    t->lpWSPSelect = afd_WSPSelect;
    t->lpWSPSend = afd_WSPSend;
    t->lpWSPSendDisconnect = afd_WSPSendDisconnect;
    t->lpWSPSendTo = afd_WSPSendTo;
    t->lpWSPSetSockOpt = afd_WSPSetSockOpt;
    t->lpWSPShutdown = afd_WSPShutdown;
    t->lpWSPSocket = afd_WSPSocket;
    t->lpWSPStringToAddress = afd_WSPStringToAddress;
}

int WSPAPI WSPStartup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE upcalls,
                      LPWSPPROC_TABLE procs)
{
    static const WCHAR description[] = L"openws2 AFD base provider (Wine)";
    char wine_version[64];
    int ret;

    if (!data || !procs || !afd_writable(data, sizeof(*data)) || !afd_writable(procs, sizeof(*procs)))
    {
        ret = WSAEFAULT;
        goto done;
    }
    /* Winsock 2 SPI: 2.0 .. 2.2. */
    if (LOBYTE(version) < 2)
    {
        ret = WSAVERNOTSUPPORTED;
        goto done;
    }
    switch (afdw_wine_version(wine_version, sizeof(wine_version)))
    {
    case AFDW_WINE_KNOWN:
        break;
    case AFDW_WINE_NEWER:
        /* later Wines have only appended ioctls so far: run, and say so once per process */
        if (TRACE_ENABLED(TRACE_CH_AFD, TRACE_LEVEL_WARN) && !InterlockedExchange(&afd_newer_traced, 1))
            trace_log(TRACE_CH_AFD, TRACE_LEVEL_WARN, "WSPStartup: Wine %s is newer than the Wine versions openws2afd "
                      "knows (8.0 to 11.x); running with their AFD protocol", wine_version);
        break;
    case AFDW_WINE_OLD:
    case AFDW_WINE_NONE:
        WARN_CH(TRACE_CH_AFD, "WSPStartup: refusing to run on %s%s (openws2afd speaks the AFD protocol of Wine 8.0 "
                "and later)", wine_version[0] ? "Wine " : "a system that is not Wine", wine_version);
        ret = WSAEPROVIDERFAILEDINIT;
        goto done;
    }
    if (!upcalls.lpWPUModifyIFSHandle)
    {
        ret = WSAEINVAL;
        goto done;
    }

    AcquireSRWLockExclusive(&afd_startup_lock);
    afd_upcalls = upcalls;
    afd_started++;
    ReleaseSRWLockExclusive(&afd_startup_lock);

    data->wVersion = (LOBYTE(version) > 2 || HIBYTE(version) >= 2) ? MAKEWORD(2, 2) : version;
    data->wHighVersion = MAKEWORD(2, 2);
    memset(data->szDescription, 0, sizeof(data->szDescription));
    memcpy(data->szDescription, description, sizeof(description));
    afd_fill_procs(procs);
    ret = 0;
    AFD_TRACE("WSPStartup: Wine %s, catalog entry %lu", wine_version,
              info && afd_readable(info, sizeof(*info)) ? info->dwCatalogEntryId : 0UL);

done:
    AFD_TRACE("WSPStartup(version %#x, data %p, info %p, procs %p) -> %d", version, (void *)data, (void *)info,
              (void *)procs, ret);
    return ret;
}

int WSPAPI afd_WSPCleanup(LPINT err)
{
    int ret = 0;
    BOOL last = FALSE;

    AcquireSRWLockExclusive(&afd_startup_lock);
    if (afd_started <= 0) ret = WSANOTINITIALISED;
    else last = --afd_started == 0;
    ReleaseSRWLockExclusive(&afd_startup_lock);
    if (last) afd_socket_close_all();
    AFD_TRACE("WSPCleanup() -> %d", ret);
    if (ret)
    {
        if (err) *err = ret;
        return SOCKET_ERROR;
    }
    return 0;
}
