/* nonifs.h - the handles ws2_32 makes for non-IFS providers (WPUCreateSocketHandle) and their
 * completion machinery (src/nonifs_handle.c): every handle is a real, distinct kernel file handle an
 * application can associate with an I/O completion port (CreateIoCompletionPort), read/write-able
 * like a file, and whose overlapped requests ws2_32 completes on the provider's behalf
 * (WPUCompleteOverlappedRequest): the request's event, the completion port associated with the
 * handle, or (for requests the dispatch registered with nonifs_track_apc) the completion routine
 * as an APC in the thread that issued the request. DLL build only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NONIFS_H
#define OPENWS2_NONIFS_H

#include "ws2_common.h"

/* A new handle (INVALID_HANDLE_VALUE with *err = WSAENOBUFS on failure). */
HANDLE nonifs_handle_create(int *err);
/* Closes it, dropping every completion-routine registration still pending on it. */
void nonifs_handle_close(HANDLE h);

/* Completes an overlapped request on handle h: InternalHigh = bytes, then Internal = a status other
 * than WSS_OPERATION_IN_PROGRESS, the event signalled, a packet queued to the completion port the
 * application associated with h (unless hEvent has its low bit set), or the completion routine
 * queued as an APC when the request was registered with nonifs_track_apc. Returns 0 or a WSA error. */
int nonifs_complete(HANDLE h, LPWSAOVERLAPPED ov, DWORD error, DWORD bytes);

/* For the socket API dispatch: registers that the overlapped request ov on non-IFS socket s was
 * issued with a completion routine by the thread *thread (WPUOpenCurrentThread), so that a provider
 * completing it with WPUCompleteOverlappedRequest gets the routine called as an APC in that thread,
 * as Windows does. thread->ThreadHandle is duplicated (the caller keeps its own). Returns 0 or
 * WSAENOBUFS. nonifs_untrack drops a registration (the request failed to start). */
int nonifs_track_apc(SOCKET s, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                     const WSATHREADID *thread);
void nonifs_untrack(SOCKET s, LPWSAOVERLAPPED ov);

#endif
