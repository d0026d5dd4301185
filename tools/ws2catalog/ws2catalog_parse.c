/* ws2catalog_parse.c - ws2catalog's command-line value parsers: a provider GUID and a list of catalog
 * entry ids. Portable (WCHAR only, no Windows call): unit-tested on the host
 * (tests/unit/ws2catalog_parse_test.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "ws2catalog_parse.h"

static int hexval(WCHAR c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads n hex digits from *s. */
static BOOL hex(const WCHAR **s, int n, unsigned long *out)
{
    unsigned long v = 0;
    int i, d;

    for (i = 0; i < n; i++)
    {
        if ((d = hexval((*s)[i])) < 0) return FALSE;
        v = (v << 4) | (unsigned long)d;
    }
    *s += n;
    *out = v;
    return TRUE;
}

BOOL ws2c_parse_guid(const WCHAR *s, GUID *out)
{
    BOOL brace = *s == '{';
    unsigned long v;
    int i;

    if (brace) s++;
    if (!hex(&s, 8, &v) || *s++ != '-') return FALSE;
    out->Data1 = v;
    if (!hex(&s, 4, &v) || *s++ != '-') return FALSE;
    out->Data2 = (unsigned short)v;
    if (!hex(&s, 4, &v) || *s++ != '-') return FALSE;
    out->Data3 = (unsigned short)v;
    for (i = 0; i < 8; i++)
    {
        if (i == 2 && *s++ != '-') return FALSE;
        if (!hex(&s, 2, &v)) return FALSE;
        out->Data4[i] = (unsigned char)v;
    }
    if (brace && *s++ != '}') return FALSE;
    return *s == 0;
}

BOOL ws2c_parse_ids(const WCHAR *s, DWORD *ids, size_t max, size_t *count)
{
    *count = 0;
    if (!*s) return FALSE;
    for (;;)
    {
        unsigned long long v = 0;
        int digits = 0;
        while (*s >= '0' && *s <= '9')
        {
            v = v * 10 + (unsigned)(*s++ - '0');
            if (v > 0xffffffffull) return FALSE;
            digits++;
        }
        if (!digits || !v || *count >= max) return FALSE;
        ids[(*count)++] = (DWORD)v;
        if (!*s) return TRUE;
        if (*s++ != ',') return FALSE;
    }
}

