/* wsc_internal.h - what the WSC* export files (wsc_provider.c, wsc_provider_info.c) share: the
 * lpErrno protocol, wide path conversion, GUID formatting for traces, and the locked
 * read-modify-write of registry catalog views.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_WSC_INTERNAL_H
#define OPENWS2_WSC_INTERNAL_H

#include "ws2_common.h"
#include "catalog.h"

/* 0 -> 0; otherwise *lpErrno = err (WSASetLastError(WSAEFAULT) when lpErrno is NULL or cannot be
 * written), SOCKET_ERROR. */
int wsc_result(int err, LPINT lpErrno);
/* TRUE when lpErrno is a writable INT (NULL or a bad pointer: the call fails with WSAEFAULT). */
BOOL wsc_errno_ok(LPINT lpErrno);


/* Drops what WSCSetProviderInfo stored for a provider of that view (after WSCDeinstallProvider). */
void wsc_provider_info_forget(enum catalog_view view, const GUID *id);

#endif
