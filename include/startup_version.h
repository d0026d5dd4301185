/* startup_version.h - WSAStartup's version negotiation as Windows does it (portable, unit tested).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_STARTUP_VERSION_H
#define OPENWS2_STARTUP_VERSION_H

#include "ws2_common.h"

#define STARTUP_DESCRIPTION "WinSock 2.0"
#define STARTUP_SYSTEM_STATUS "Running"

struct startup_negotiation
{
    BOOL supported;          /* FALSE: WSAVERNOTSUPPORTED */
    WORD version;            /* WSADATA.wVersion */
    WORD high_version;       /* WSADATA.wHighVersion (2.2) */
    unsigned short max_sockets, max_udp_dg; /* Winsock 1.x values, 0 for 2.x */
};

void startup_negotiate(WORD requested, struct startup_negotiation *out);

/* TRUE when the image whose first len bytes are at header is one of Wine's own modules: Wine puts
 * "Wine builtin DLL" (its builtins) or "Wine placeholder DLL" (the files wineboot writes into
 * system32) right after the DOS header (offset 0x40) of every module it ships, programs included. */
BOOL startup_is_wine_image(const unsigned char *header, size_t len);

#endif
