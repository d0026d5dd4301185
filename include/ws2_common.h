/* ws2_common.h - the one header every openws2 source includes first.
 * Owns: which Windows headers are used in which build. In the DLL build (MinGW-w64) these are
 * MinGW-w64's winsock2.h / ws2tcpip.h / ws2spi.h (complete SPI tables). In the native host build
 * (OPENWS2_HOST, CMocka unit tests on Linux) they are Wine's Windows headers, used for the types only:
 * portable modules must not call Windows functions directly, only through os.h.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_WS2_COMMON_H
#define OPENWS2_WS2_COMMON_H

#ifdef OPENWS2_HOST
# include <windef.h>
# include <winbase.h>
# include <winsock2.h>
# include <ws2tcpip.h>
#else
# ifndef WINSOCK_API_LINKAGE
#  define WINSOCK_API_LINKAGE
# endif
# include <winsock2.h>
# include <ws2tcpip.h>
# include <mswsock.h>
# include <ws2spi.h>
# include <windows.h>
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define OPENWS2_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
