/* user_ptr.h - checks that a caller's pointer can be read or written before ws2_32 or a provider
 * touches it. Windows' ws2_32 and AFD catch faults on user pointers (SEH) and answer WSAEFAULT;
 * MinGW has no __try/__except, so the API layer probes the small structures it is handed (sockaddrs,
 * lengths, WSABUF arrays, fd_sets, option values ...) with src/core/user_ptr.c first. Bulk data buffers
 * are not probed: the provider's I/O reports faults on them itself.
 * A probe touches one byte per page of the range (a write probe: an atomic "or 0", which keeps the
 * value even under concurrent writers); a fault in the probe is turned into a failed check by a
 * vectored exception handler that knows the probe's two instructions. Cost without a fault: a call
 * per page, no system call. Windows-only (DLL build).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_USER_PTR_H
#define OPENWS2_USER_PTR_H

#include "ws2_common.h"
#include "guid_text.h"

/* TRUE when every byte of [p, p + len) can be read. len 0: TRUE whatever p is. NULL with len > 0,
 * and ranges that wrap around the address space: FALSE. */
BOOL user_readable(const void *p, size_t len);
/* A caller's GUID as upper-case text for a trace (guid_text.h): "(null)", or "(bad pointer)" when it
 * cannot be read. */
const char *user_guid_text(const GUID *g, char buf[GUID_TEXT_SIZE]);
/* TRUE when every byte of [p, p + len) can be read and written (the contents are left unchanged). */
BOOL user_writable(void *p, size_t len);
/* The same for an array of count elements of size bytes (FALSE when the size overflows). */
BOOL user_array_readable(const void *p, size_t count, size_t size);
BOOL user_array_writable(void *p, size_t count, size_t size);
/* TRUE when s is a readable 0-terminated string (ANSI / UTF-16). NULL: FALSE. */
BOOL user_str_readable(const char *s);
BOOL user_wstr_readable(const WCHAR *s);

/* Removes the exception handler (DllMain, process detach). Probes after it install it again. */
void user_ptr_detach(void);

#endif
