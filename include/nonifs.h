/* nonifs.h - the handles ws2_32 makes for non-IFS providers (WPUCreateSocketHandle) and their
 * completion machinery (src/nonifs/nonifs_handle.c): every handle is a real, distinct kernel file handle an
 * application can associate with an I/O completion port (CreateIoCompletionPort), read/write-able
 * like a file (under Wine ReadFile/WriteFile reach the provider's WSPRecv/WSPSend through the
 * redirector of include/nonifs_ifsl.h), and whose overlapped requests ws2_32 completes on the
 * provider's behalf
 * (WPUCompleteOverlappedRequest): the request's event, the completion port associated with the
 * handle, or (for requests registered with nonifs_request_begin) the completion routine
 * as an APC in the thread that issued the request. DLL build only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NONIFS_H
#define OPENWS2_NONIFS_H

#include "ws2_common.h"

/* A new handle (INVALID_HANDLE_VALUE with *err = WSAENOBUFS on failure). */
HANDLE nonifs_handle_create(int *err);
/* Closes it, dropping every completion-routine registration still pending on it. FALSE when h is
 * not a handle nonifs_handle_create made (nothing is closed then). */
BOOL nonifs_handle_close(HANDLE h);

/* Completes an overlapped request on handle h: InternalHigh = bytes, then Internal = a status other
 * than WSS_OPERATION_IN_PROGRESS, the event signalled, a packet queued to the completion port the
 * application associated with h (unless hEvent has its low bit set), or the completion routine
 * queued as an APC when the request was registered with nonifs_request_begin. Returns 0 or a WSA error
 * (WSAEINVAL: h is not a live handle of nonifs_handle_create). */
int nonifs_complete(HANDLE h, LPWSAOVERLAPPED ov, DWORD error, DWORD bytes);
/* The completion of a request ws2_32 itself gave the provider on behalf of a ReadFile/WriteFile on a
 * non-IFS socket (src/nonifs/nonifs_handle.c, the redirector): finishes that ReadFile/WriteFile with the
 * provider's result and returns TRUE; FALSE when ov is not such a request. Checked before anything
 * else, so that it works even after the socket's handle was closed (a pending ReadFile ends when
 * closesocket makes the provider abort its request). */
BOOL nonifs_internal_complete(LPWSAOVERLAPPED ov, DWORD error, DWORD bytes);

/* Completion routines of non-IFS requests. Microsoft documents that a non-IFS provider queues a
 * completion routine itself (WPUQueueApc); providers that complete such a request with
 * WPUCompleteOverlappedRequest instead get the routine run as an APC in the thread that issued the
 * request, as on Windows. For that, every overlapped request on a non-IFS socket is announced with
 * nonifs_request_begin before the provider sees it: with a routine it is registered (thread->
 * ThreadHandle is duplicated: the caller keeps its own), without one any stale registration of that
 * OVERLAPPED is dropped. Returns 0 or WSAENOBUFS. nonifs_request_end drops the registration of a
 * request that failed to start. nonifs_wrap_table does both around the provider's WSPRecv,
 * WSPRecvFrom, WSPSend, WSPSendTo and WSPIoctl (src/nonifs/nonifs_dispatch.c), so the socket API dispatch
 * needs to know nothing about it. */
int nonifs_request_begin(SOCKET s, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                         const WSATHREADID *thread);
void nonifs_request_end(SOCKET s, LPWSAOVERLAPPED ov);
/* Replaces those five entries of procs (a loaded provider's table) with the bookkeeping wrappers;
 * they call the provider's own entries from struct provider's provider_procs. */
void nonifs_wrap_table(WSPPROC_TABLE *procs);

#endif
