/* api_check.h - the check helpers of the API layer's end-to-end programs (tests/e2e/api_*.c): one
 * output line per check, a failure count for the exit code (CHECK, CHECK_FAIL from e2e_check.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_API_CHECK_H
#define OPENWS2_API_CHECK_H

#include "e2e_check.h"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

static inline int api_done(const char *name)
{
    return e2e_done(name);
}

#endif
