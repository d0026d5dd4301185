/* alloc_fail_win_host.h - controls of the Windows-call doubles of alloc_fail_win_host.c.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_ALLOC_FAIL_WIN_HOST_H
#define OPENWS2_ALLOC_FAIL_WIN_HOST_H

#include "ws2_common.h"

/* Moves GetTickCount64 forward. */
void af_host_advance_ms(ULONGLONG ms);

#endif
