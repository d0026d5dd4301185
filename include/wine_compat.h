/* wine_compat.h - Wine-private facts that ws2_32.dll and the provider DLLs use outside the AFD
 * protocol (which dlls/afd/afd_wine.h owns): whether the process runs on Wine, and Wine's debug
 * channels (ntdll's __wine_dbg_* exports, as include/wine/debug.h of Wine 8.0 to 10.0 declares them),
 * so that openws2's traces can go through WINEDEBUG like Wine's own.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_WINE_COMPAT_H
#define OPENWS2_WINE_COMPAT_H

#include <stddef.h>
#include <string.h>

/* Wine's debug classes: bit (1 << class) in a channel's flags */
enum wine_compat_dbcl
{
    WINE_COMPAT_DBCL_FIXME = 0,
    WINE_COMPAT_DBCL_ERR = 1,
    WINE_COMPAT_DBCL_WARN = 2,
    WINE_COMPAT_DBCL_TRACE = 3
};

/* Nonzero when ntdll is Wine's (it exports wine_get_version). */
int wine_compat_is_wine(void);

/* Wine's version text (wine_get_version(), e.g. "8.0" or "10.0"), NULL when not on Wine. */
const char *wine_compat_version(void);

/* The major number of Wine's version (8 for "8.0"), 0 when not on Wine or unreadable. */
int wine_compat_version_major(void);

/* Wine's own AFD ioctls (include/wine/afd.h of Wine 8.0 to 10.0): function numbers from 200 on the
 * network device, buffered: CTL_CODE(FILE_DEVICE_NETWORK, n, METHOD_BUFFERED, FILE_ANY_ACCESS).
 * The base provider's table of them is dlls/afd/afd_wine.c; ws2_32 uses one, COMPLETE_ASYNC (210:
 * completes an asynchronous request of a socket handle with a given status and byte count). */
#define WINE_COMPAT_AFD_IOCTL(n) ((0x0012UL << 16) | ((unsigned long)(n) << 2))
#define WINE_COMPAT_AFD_COMPLETE_ASYNC 210
#define WINE_COMPAT_AFD_GET_SO_RCVBUF 230

/* Completes an overlapped request on the socket handle h at once with status (no byte) through
 * Wine's COMPLETE_ASYNC ioctl: Wine sets the OVERLAPPED's status, its event and queues the packet to
 * the handle's completion port as it does for a synchronous completion (none with
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS). Returns the ioctl's status (status itself when it
 * worked), or STATUS_NOT_SUPPORTED (0xC00000BB) when not on Wine. */
struct _OVERLAPPED;
long wine_compat_afd_complete(void *h, struct _OVERLAPPED *ov, unsigned long status);

/* Completes an overlapped request of the handle h as the kernel completes an asynchronous one, with
 * the status and byte count given: the OVERLAPPED's status block, its event (ov_event: the hEvent
 * the OVERLAPPED had when the request was made, as the kernel takes it then; low bit cleared), then
 * a packet (value: the OVERLAPPED) on the completion port h is associated with, unless the event's
 * low bit asks for none; with no event, h itself is signalled (wine_compat_afd_signal: h is a
 * socket of Wine's AFD). reported_pending nonzero: the request was reported pending, so the packet is
 * queued even when h has FILE_SKIP_COMPLETION_PORT_ON_SUCCESS; zero: it completed in the call, so
 * that flag suppresses the packet, as it does the kernel's. Wine's server request add_fd_completion
 * posts the packet (the one request that queues a packet of the caller's byte count on a handle's
 * port); its number changes with every Wine release, so this works only on the releases whose
 * server protocol was checked (wine_compat_can_complete: 8.0.x, 9.0.x, 10.0.x) and after a probe on a
 * private pipe showed the packet arriving as asked. Returns 0, or STATUS_NOT_SUPPORTED (0xC00000BB)
 * without touching anything when unavailable, or the server's status (the handle is not a file
 * object, e.g. closed). */
long wine_compat_complete(void *h, struct _OVERLAPPED *ov, void *ov_event, unsigned long status,
                          unsigned long long bytes, int reported_pending);

/* The number of Wine's add_fd_completion server request for the release whose wine_get_version()
 * text is version and wine_get_build_id() text build_id: 254 for 8.0 and its stable point releases
 * ("8.0.2"), 260 for 9.0, 267 for 10.0, and their point releases (read from their
 * server/protocol.def, where a request's number is its place: Debian's 8.0 and 10.0 and Ubuntu
 * 24.04's 9.0 source packages, which generate the numbers from it unchanged); 0 for anything else (other releases, development releases,
 * release candidates, "(Staging)" builds, a missing text), whose numbers were not checked. Pure. */
static inline int wine_compat_completion_request(const char *version, const char *build_id)
{
    static const struct { const char *release; int request; } known[] = { { "8.0", 254 }, { "9.0", 260 },
                                                                          { "10.0", 267 } };
    size_t i, n;
    const char *p;

    if (!version || !build_id || strstr(build_id, "Staging") || strstr(build_id, "staging")) return 0;
    for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
    {
        n = strlen(known[i].release);
        if (strncmp(version, known[i].release, n)) continue;
        p = version + n;
        if (*p == '.' && p[1] >= '0' && p[1] <= '9') /* a stable point release: "8.0.2" */
            for (p++; *p >= '0' && *p <= '9'; p++)
                ;
        if (!*p) return known[i].request;
    }
    return 0;
}

/* Only the packet of wine_compat_complete: queued on h's completion port with value ov, the status
 * and the byte count (the status block and the event are the caller's). Same returns. */
long wine_compat_post(void *h, struct _OVERLAPPED *ov, unsigned long status, unsigned long long bytes,
                      int reported_pending);

/* Signals the socket handle h as the kernel does when a request without an event completes (so a
 * GetOverlappedResult waiting on the handle wakes): one request Wine's server answers at once and
 * completes without an event (GET_SO_RCVBUF, 230 in Wine 8.0, 9.0 and 10.0; a request completed by the
 * server without an event signals its file). Returns its status, STATUS_NOT_SUPPORTED when not on
 * Wine. */
long wine_compat_afd_signal(void *h);

/* Nonzero when wine_compat_complete works in this process (see above; probed once). */
int wine_compat_can_complete(void);

/* Makes one request to Wine's server and returns when it is answered. Wine's server serves requests
 * and descriptor events from one loop, so a peer's change that the kernel has already made (a reset
 * after an abortive close on loopback) is seen by the server before this request is answered. No
 * effect when not on Wine (the kernel's own sockets are in step already). */
void wine_compat_server_sync(void);

/* The flags WINEDEBUG gives openws2's Wine debug channel "openws2" (bits 1 << enum wine_compat_dbcl);
 * 0 when not on Wine or Wine's ntdll lacks the debug exports. */
unsigned wine_compat_debug_flags(void);

/* Writes one line (text ends with a newline) through Wine's debug output on channel "openws2":
 * Wine's header ("[time:][pid:]tid:class:openws2:FUNCTION ") then text. Returns 0 when Wine did not
 * take it (class off, no Wine). */
int wine_compat_debug_line(enum wine_compat_dbcl cls, const char *function, const char *text);

#endif
