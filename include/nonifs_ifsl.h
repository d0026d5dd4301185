/* nonifs_ifsl.h - the in-process redirector that makes ReadFile/WriteFile work on non-IFS socket
 * handles (src/nonifs/nonifs_ifsl.c, the device side; src/nonifs/nonifs_handle.c, the Winsock side). Plain C types
 * only: the device side is compiled against the DDK headers, the Winsock side against windows.h.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NONIFS_IFSL_H
#define OPENWS2_NONIFS_IFSL_H

/* NTSTATUS values both sides use. */
#define IFSL_STATUS_SUCCESS 0x00000000L
#define IFSL_STATUS_PENDING 0x00000103L

/* Starts the redirector once per process (loads Wine's ntoskrnl.exe, creates the device and the
 * thread that serves it). Returns 0, or a Win32 error when the redirector is not available (then
 * non-IFS handles fall back to the null device and ReadFile/WriteFile fail with
 * ERROR_ACCESS_DENIED). Cheap after the first call. */
unsigned long ifsl_start(void);
/* A new handle on the device (overlapped, read/write), bound to ctx (handed back to
 * nonifs_ifsl_io); NULL on failure. Never call it on the device thread. */
void *ifsl_open(void *ctx);
/* Is the calling thread the one that serves the device? (I/O on the device from it would wait for
 * itself.) */
int ifsl_on_device_thread(void);
/* Marks a request pending / completes it with an NTSTATUS and a byte count. */
void ifsl_irp_mark_pending(void *irp);
void ifsl_irp_complete(void *irp, long status, unsigned long bytes);
/* Completes an application's OVERLAPPED (iosb) with status and exactly bytes bytes through handle h
 * on the device: the kernel fills the OVERLAPPED, signals event and queues the packet (context
 * cvalue) to the completion port associated with the file, a failure too (it is reported as a
 * request that was pending). Returns the NTSTATUS of the I/O (STATUS_SUCCESS or STATUS_PENDING when
 * done). */
long ifsl_complete_request(void *h, void *event, void *cvalue, void *iosb, long status, unsigned long bytes);

/* Implemented by src/nonifs/nonifs_handle.c, called on the device thread: a ReadFile (write == 0) or
 * WriteFile (write != 0) of len bytes at buf on the handle bound to ctx. Returns IFSL_STATUS_PENDING
 * after ifsl_irp_mark_pending (the request is then completed later with ifsl_irp_complete), or a
 * final status (the caller completes the request with it and no byte). */
long nonifs_ifsl_io(void *ctx, void *irp, int write, void *buf, unsigned long len);

#endif
