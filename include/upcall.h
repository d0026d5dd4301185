/* upcall.h - the WPU* upcall table given to every provider's WSPStartup (src/core/upcall.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_UPCALL_H
#define OPENWS2_UPCALL_H

#include "ws2_common.h"

extern const WSPUPCALLTABLE upcall_table;

#endif
