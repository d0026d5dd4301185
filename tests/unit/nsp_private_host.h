/* nsp_private_host.h - what dlls/nsp/nsp_private.h names from MinGW-w64's SPI headers and Wine's
 * headers lack, for host builds of openws2nsp's answer cache (force-included before it).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NSP_PRIVATE_HOST_H
#define OPENWS2_NSP_PRIVATE_HOST_H

#include "ws2_common.h"

#ifndef WSAAPI
# define WSAAPI WINAPI
#endif
/* only named through a pointer there */
typedef struct nsp_routine_host NSP_ROUTINE;

#endif
