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
/* A provider DLL path as stored: WSAEFAULT (NULL), WSAEINVAL (empty, MAX_PATH or more once ANSI). */
int wsc_path_to_ansi(const WCHAR *path, char out[CATALOG_PATH_SIZE]);

/* Edits one or two views as one change under the catalog lock: each view is loaded, passed to fn
 * (index = its position in views) and, once every fn succeeded, stored. All views start allocating
 * at the same catalog id (the highest next id of any of them), so one install gives the same ids in
 * both views (docs/CATALOG.md). Returns 0 or a WSA error. */
typedef int (*wsc_edit_fn)(const struct catalog *cat, size_t index, void *ctx, struct catalog **out);
int wsc_edit_views(const enum catalog_view *views, size_t nviews, wsc_edit_fn fn, void *ctx);

/* Drops what WSCSetProviderInfo stored for a provider of that view (after WSCDeinstallProvider). */
void wsc_provider_info_forget(enum catalog_view view, const GUID *id);

#endif
