/* guid_text.c - a GUID as braced hex text (include/guid_text.h), the one formatter of ws2_32, the
 * provider DLLs and the tools.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include "guid_text.h"

static const char *format(const GUID *g, char *buf, BOOL upper)
{
    if (!g)
        snprintf(buf, GUID_TEXT_SIZE, "(null)");
    else if (upper)
        snprintf(buf, GUID_TEXT_SIZE, "{%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", (unsigned long)g->Data1,
                 g->Data2, g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5],
                 g->Data4[6], g->Data4[7]);
    else
        snprintf(buf, GUID_TEXT_SIZE, "{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", (unsigned long)g->Data1,
                 g->Data2, g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5],
                 g->Data4[6], g->Data4[7]);
    return buf;
}

const char *guid_text(const GUID *g, char buf[GUID_TEXT_SIZE])
{
    return format(g, buf, FALSE);
}

const char *guid_text_upper(const GUID *g, char buf[GUID_TEXT_SIZE])
{
    return format(g, buf, TRUE);
}
