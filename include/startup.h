/* startup.h - process-wide Winsock state owned by src/core/startup.c: the WSAStartup count.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_STARTUP_H
#define OPENWS2_STARTUP_H

#include "ws2_common.h"

/* 0 when WSAStartup has succeeded more times than WSACleanup, else WSANOTINITIALISED. */
int startup_check(void);
/* Sets the error with WSASetLastError and returns SOCKET_ERROR: the usual failure tail. */
int ws_fail(int err);
/* The tail of a socket call (socket_api.c, io_api.c, sockopt_api.c, select_api.c, event_api.c):
 * sets the last error to err also on success (0), as Windows 7 and later do for these calls (Wine's
 * conformance tests: WSASocket, WSARecv, getsockname, shutdown, WSAIoctl, setsockopt ...), and
 * returns SOCKET_ERROR for an error, else value. */
int ws_leave(int err, int value);
/* The routine WSApSetPostRoutine installed (wsock32 does), NULL when none: WPUPostMessage should post
 * through it instead of PostMessage when set. */
typedef BOOL (WINAPI *startup_post_fn)(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam);
startup_post_fn startup_post_routine(void);

#endif
