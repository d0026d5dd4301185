/* catalog_format.c - Windows' PackedCatalogItem registry blob (260-byte ANSI provider DLL path
 * followed by a WSAPROTOCOL_INFOW) to and from struct catalog_entry, with the validation that keeps
 * a corrupt or hostile blob out of the catalog. Portable (no Windows calls).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "catalog.h"

_Static_assert(sizeof(WSAPROTOCOL_INFOW) == 628, "WSAPROTOCOL_INFOW must have Windows' layout");
_Static_assert(PACKED_CATALOG_ITEM_SIZE == 888, "PackedCatalogItem is 888 bytes");

/* Largest address length we accept from the registry (Windows' largest sockaddr is far smaller). */
#define CATALOG_MAX_SOCKADDR 0x10000

static BOOL ansi_terminated(const char *s, size_t size)
{
    return memchr(s, 0, size) != NULL;
}

static BOOL wide_terminated(const WCHAR *s, size_t count)
{
    size_t i;
    for (i = 0; i < count; i++)
        if (!s[i]) return TRUE;
    return FALSE;
}

int catalog_item_unpack(const void *blob, size_t len, struct catalog_entry *out)
{
    struct catalog_entry e;
    const WSAPROTOCOL_INFOW *p = &e.info;

    if (!blob || !out || len != PACKED_CATALOG_ITEM_SIZE) return WSAEINVAL;
    memcpy(e.path, blob, CATALOG_PATH_SIZE);
    memcpy(&e.info, (const unsigned char *)blob + CATALOG_PATH_SIZE, sizeof(e.info));

    if (!ansi_terminated(e.path, sizeof(e.path)) || !e.path[0]) return WSAEINVAL;
    if (!wide_terminated(p->szProtocol, OPENWS2_ARRAY_SIZE(p->szProtocol))) return WSAEINVAL;
    if (!p->dwCatalogEntryId) return WSAEINVAL;
    if (p->ProtocolChain.ChainLen < 0 || p->ProtocolChain.ChainLen > MAX_PROTOCOL_CHAIN) return WSAEINVAL;
    if (p->iMinSockAddr < 0 || p->iMaxSockAddr < p->iMinSockAddr || p->iMaxSockAddr > CATALOG_MAX_SOCKADDR)
        return WSAEINVAL;
    if (p->iProtocolMaxOffset < 0 || p->iProtocolMaxOffset > 255) return WSAEINVAL;
    if (p->iProtocol < 0 ? p->iProtocol < -0x10000 : p->iProtocol > 0x7fffffff - p->iProtocolMaxOffset)
        return WSAEINVAL;
    if (p->iNetworkByteOrder != BIGENDIAN && p->iNetworkByteOrder != LITTLEENDIAN) return WSAEINVAL;

    /* Never keep bytes past the terminators: what we hand out is exactly what was validated. */
    {
        size_t n = strlen(e.path);
        memset(e.path + n, 0, sizeof(e.path) - n);
    }
    *out = e;
    return 0;
}

void catalog_item_pack(const struct catalog_entry *entry, unsigned char out[PACKED_CATALOG_ITEM_SIZE])
{
    size_t n = 0;

    while (n < CATALOG_PATH_SIZE - 1 && entry->path[n]) n++;

    memset(out, 0, CATALOG_PATH_SIZE);
    memcpy(out, entry->path, n);
    memcpy(out + CATALOG_PATH_SIZE, &entry->info, sizeof(entry->info));
}
