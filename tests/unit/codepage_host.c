/* codepage_host.c - MultiByteToWideChar / WideCharToMultiByte for host builds (unit tests, fuzz
 * targets) of code that converts strings: the ANSI code page is Latin-1 here, characters beyond it
 * become '?', as the default character of WideCharToMultiByte.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"

INT WINAPI MultiByteToWideChar(UINT cp, DWORD flags, LPCSTR src, INT srclen, LPWSTR dst, INT dstlen)
{
    INT n, i;
    (void)cp;
    (void)flags;
    if (!src || srclen == 0 || dstlen < 0) return 0;
    n = srclen < 0 ? (INT)strlen(src) + 1 : srclen;
    if (!dstlen) return n;
    if (!dst || dstlen < n) return 0; /* ERROR_INSUFFICIENT_BUFFER */
    for (i = 0; i < n; i++) dst[i] = (unsigned char)src[i];
    return n;
}

INT WINAPI WideCharToMultiByte(UINT cp, DWORD flags, LPCWSTR src, INT srclen, LPSTR dst, INT dstlen,
                               LPCSTR defchar, LPBOOL used)
{
    INT n, i;
    (void)cp;
    (void)flags;
    (void)defchar;
    if (used) *used = FALSE;
    if (!src || srclen == 0 || dstlen < 0) return 0;
    if (srclen < 0)
        for (n = 0, srclen = 1; src[n]; n++) srclen++;
    n = srclen;
    if (!dstlen) return n;
    if (!dst || dstlen < n) return 0;
    for (i = 0; i < n; i++)
    {
        dst[i] = src[i] < 0x100 ? (char)src[i] : '?';
        if (src[i] >= 0x100 && used) *used = TRUE;
    }
    return n;
}
