/* protocol_enum.c - WSAEnumProtocolsA/W: the process' current catalog snapshot (catalog_current),
 * seen through the process' LSP categories (app_category_filter: the chains a categorised
 * application may not load are absent, as they are for socket creation), filtered as Windows does
 * (hidden and layered entries left out, the optional 0-terminated
 * lpiProtocols list), WSAENOBUFS with the required size in *lpdwBufferLength (also for a NULL
 * buffer with a large enough length, as Windows).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "api_internal.h"
#include "app_category.h"
#include "catalog.h"
#include "catalog_edit.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

/* Counts (and, with out, copies through put) the matching entries. Returns 0 or a WSA error. */
static int enum_protocols(const INT *protocols, void *buffer, DWORD *len, size_t item_size,
                          void (*put)(void *dst, const WSAPROTOCOL_INFOW *src), int *count)
{
    struct catalog *cat;
    size_t i, n = 0, needed;
    int err = 0;

    *count = 0;
    if (!user_writable(len, sizeof(*len))) return WSAEFAULT;
    /* the 0-terminated protocol list, one element at a time */
    if (protocols)
    {
        const INT *p = protocols;
        for (;; p++)
        {
            if (!user_readable(p, sizeof(*p))) return WSAEFAULT;
            if (!*p) break;
        }
    }
    if (!(cat = app_category_filter(catalog_current()))) return WSA_NOT_ENOUGH_MEMORY;
    for (i = 0; i < cat->count; i++)
        if (catalog_enum_match(&cat->entries[i].info, protocols, TRUE)) n++;
    needed = n * item_size;
    /* Windows: no buffer is WSAENOBUFS with the size even when *len would be large enough */
    if (needed > *len || (n && !buffer))
    {
        *len = (DWORD)needed;
        err = WSAENOBUFS;
    }
    else if (n && !user_writable(buffer, needed)) err = WSAEFAULT;
    else
    {
        unsigned char *dst = buffer;
        for (i = 0; i < cat->count; i++)
            if (catalog_enum_match(&cat->entries[i].info, protocols, TRUE))
            {
                put(dst, &cat->entries[i].info);
                dst += item_size;
            }
        *count = (int)n;
    }
    catalog_release(cat);
    return err;
}

static void put_w(void *dst, const WSAPROTOCOL_INFOW *src)
{
    memcpy(dst, src, sizeof(*src));
}

static void put_a(void *dst, const WSAPROTOCOL_INFOW *src)
{
    protocol_info_w_to_a(src, dst);
}

int WSAAPI WSAEnumProtocolsW(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer, LPDWORD lpdwBufferLength)
{
    int err, count = 0;

    if (!(err = startup_check()))
        err = enum_protocols(lpiProtocols, lpProtocolBuffer, lpdwBufferLength, sizeof(WSAPROTOCOL_INFOW), put_w, &count);
    return api_leave_keep(NULL, err, count,
                          "WSAEnumProtocolsW(lpiProtocols %p lpProtocolBuffer %p lpdwBufferLength %p [%lu])",
                          (void *)lpiProtocols, (void *)lpProtocolBuffer, (void *)lpdwBufferLength,
                          API_TRACING() && user_readable(lpdwBufferLength, sizeof(DWORD))
                              ? (unsigned long)*lpdwBufferLength : 0ul);
}

int WSAAPI WSAEnumProtocolsA(LPINT lpiProtocols, LPWSAPROTOCOL_INFOA lpProtocolBuffer, LPDWORD lpdwBufferLength)
{
    int err, count = 0;

    if (!(err = startup_check()))
        err = enum_protocols(lpiProtocols, lpProtocolBuffer, lpdwBufferLength, sizeof(WSAPROTOCOL_INFOA), put_a, &count);
    return api_leave_keep(NULL, err, count,
                          "WSAEnumProtocolsA(lpiProtocols %p lpProtocolBuffer %p lpdwBufferLength %p [%lu])",
                          (void *)lpiProtocols, (void *)lpProtocolBuffer, (void *)lpdwBufferLength,
                          API_TRACING() && user_readable(lpdwBufferLength, sizeof(DWORD))
                              ? (unsigned long)*lpdwBufferLength : 0ul);
}
