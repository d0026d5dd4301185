/* app_category_host.h - force-included into src/core/app_category.c for the host allocation-failure
 * test: the SPI declarations MinGW-w64's headers give it and Wine's lack (the Windows calls
 * themselves are the doubles of app_category_host.c).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_APP_CATEGORY_HOST_H
#define OPENWS2_APP_CATEGORY_HOST_H

#include "ws2_common.h"
#include <ws2spi.h>

#ifndef WSPAPI
# define WSPAPI WINAPI
#endif
int WSPAPI WSCGetApplicationCategory(LPCWSTR Path, DWORD PathLength, LPCWSTR Extra, DWORD ExtraLength,
                                     DWORD *pPermittedLspCategories, LPINT lpErrno);

/* the test's controls: whether the process is categorised, and with which categories */
void af_appcat_set(BOOL categorised, DWORD categories);

#endif
