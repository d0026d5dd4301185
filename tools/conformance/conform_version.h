/* conform_version.h - ws2conform's verdict on one WSPStartup version answer (conform_version.c).
 * Portable: unit-tested on the host (tests/unit/conform_version_test.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_CONFORM_VERSION_H
#define OPENWS2_CONFORM_VERSION_H

#include "ws2_common.h"

/* major * 256 + minor of a Winsock version word (LOBYTE major, HIBYTE minor): comparable. */
unsigned conf_version_number(WORD v);
/* Is (result, wVersion, wHighVersion) the documented answer of a Winsock 2.2 provider to a
 * WSPStartup(requested)? result 0: wHighVersion >= 2.2 and wVersion = the lesser of the request and
 * wHighVersion; WSAVERNOTSUPPORTED: only for a request below 2.2; anything else: no. *why (may be
 * NULL) gets a short reason when the answer is not. */
BOOL conf_version_ok(WORD requested, int result, WORD version, WORD high, const char **why);

#endif
