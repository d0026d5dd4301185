/* nspv2_async_call.c - WSAProviderCompleteAsyncCall, the export a namespace version-2 provider calls
 * to complete an asynchronous call ws2_32 made into it. Microsoft documents that asynchronous calls
 * to NSPv2 providers are not made (the function "is currently not applicable"); openws2 does not
 * make them either, so no handle can name an outstanding call: after the documented checks
 * (WSANOTINITIALISED, WSAEINVAL for NULL) every handle is answered with WSAEINVAL.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "startup.h"
#include "trace.h"

INT WSPAPI WSAProviderCompleteAsyncCall(HANDLE hAsyncCall, INT iRetCode)
{
    int err = startup_check();

    if (!err) err = WSAEINVAL; /* NULL, or not a call of ours: there are none outstanding */
    TRACE_API("WSAProviderCompleteAsyncCall(%p, %d) -> %d (error %d)", (void *)hAsyncCall, iRetCode, SOCKET_ERROR,
              err);
    WSASetLastError(err);
    return SOCKET_ERROR;
}
