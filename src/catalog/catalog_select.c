/* catalog_select.c - lookups in a catalog snapshot: by catalog id, by provider GUID, and the provider
 * selection WSASocket does (catalog_select), with Windows' precedence of errors. Portable.
 *
 * Selection by triple, as Windows does it (the matrix of Windows' own answers is in
 * tests/unit/catalog_select_test.c): layered entries (ChainLen 0) are never chosen; base and chain
 * entries are taken in catalog order, hidden ones (PFL_HIDDEN, e.g. MSAFD's RAW entries) included,
 * since WSAEnumProtocols hides them but socket(AF_INET, SOCK_RAW, ...) must still find them.
 *   af AF_UNSPEC with protocol 0                      -> WSAEINVAL
 *   a socket type no entry has                        -> WSAESOCKTNOSUPPORT
 *   an address family no entry has                   -> WSAEAFNOSUPPORT
 *   no entry of that family has that type             -> WSAESOCKTNOSUPPORT
 *   no entry of that family and type has the protocol -> WSAEPROTONOSUPPORT
 * 0 is a wildcard for the type, for af when a protocol is given, and for the protocol on entries
 * flagged PFL_MATCHES_PROTOCOL_ZERO; an entry serves iProtocol .. iProtocol + iProtocolMaxOffset.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "catalog.h"
#include "trace.h"

const struct catalog_entry *catalog_find_id(const struct catalog *cat, DWORD catalog_id)
{
    size_t i;

    if (!cat) return NULL;
    for (i = 0; i < cat->count; i++)
        if (cat->entries[i].info.dwCatalogEntryId == catalog_id) return &cat->entries[i];
    return NULL;
}

const struct catalog_entry *catalog_find_provider(const struct catalog *cat, const GUID *id)
{
    size_t i;

    if (!cat || !id) return NULL;
    for (i = 0; i < cat->count; i++)
        if (!memcmp(&cat->entries[i].info.ProviderId, id, sizeof(*id))) return &cat->entries[i];
    return NULL;
}

static BOOL selectable(const WSAPROTOCOL_INFOW *p)
{
    return p->ProtocolChain.ChainLen != LAYERED_PROTOCOL;
}

static BOOL protocol_matches(const WSAPROTOCOL_INFOW *p, int protocol)
{
    if (!protocol && (p->dwProviderFlags & PFL_MATCHES_PROTOCOL_ZERO)) return TRUE;
    return protocol >= p->iProtocol && (long long)protocol <= (long long)p->iProtocol + p->iProtocolMaxOffset;
}

static int select_by_triple(const struct catalog *cat, int af, int type, int protocol,
                            const struct catalog_entry **out)
{
    BOOL type_known = !type, af_known = !af, af_type_known = !type;
    size_t i;

    if (af == AF_UNSPEC && !protocol) return WSAEINVAL;
    for (i = 0; i < cat->count; i++)
    {
        const WSAPROTOCOL_INFOW *p = &cat->entries[i].info;
        BOOL af_ok = !af || p->iAddressFamily == af, type_ok = !type || p->iSocketType == type;

        if (!selectable(p)) continue;
        if (type && p->iSocketType == type) type_known = TRUE;
        if (af && p->iAddressFamily == af) af_known = TRUE;
        if (af_ok && type_ok) af_type_known = TRUE;
        if (af_ok && type_ok && protocol_matches(p, protocol))
        {
            *out = &cat->entries[i];
            return 0;
        }
    }
    if (!type_known) return WSAESOCKTNOSUPPORT;
    if (!af_known) return WSAEAFNOSUPPORT;
    if (!af_type_known) return WSAESOCKTNOSUPPORT;
    return WSAEPROTONOSUPPORT;
}

/* WSASocket with a WSAPROTOCOL_INFO: the entry it names. An af argument of 0 or FROM_PROTOCOL_INFO
 * means the structure's; without a usable family Windows fails with WSAEAFNOSUPPORT. */
static int select_by_info(const struct catalog *cat, int af, int type, int protocol,
                          const WSAPROTOCOL_INFOW *info, const struct catalog_entry **out)
{
    const struct catalog_entry *e;
    size_t i;

    if (!af || af == FROM_PROTOCOL_INFO) af = info->iAddressFamily;
    if (!type || type == FROM_PROTOCOL_INFO) type = info->iSocketType;
    if (protocol == FROM_PROTOCOL_INFO) protocol = info->iProtocol;
    if (af == AF_UNSPEC || af == FROM_PROTOCOL_INFO) return WSAEAFNOSUPPORT;

    e = catalog_find_id(cat, info->dwCatalogEntryId);
    if (!e)
    {
        /* The id is stale (another catalog): the same provider serving the same triple. */
        for (i = 0; i < cat->count && !e; i++)
        {
            const WSAPROTOCOL_INFOW *p = &cat->entries[i].info;
            if (selectable(p) && !memcmp(&p->ProviderId, &info->ProviderId, sizeof(GUID)) &&
                p->iAddressFamily == af && (!type || p->iSocketType == type) && protocol_matches(p, protocol))
                e = &cat->entries[i];
        }
    }
    if (!e || !selectable(&e->info)) return WSAEINVAL;
    *out = e;
    return 0;
}

int catalog_select(const struct catalog *cat, int af, int type, int protocol,
                   const WSAPROTOCOL_INFOW *info, const struct catalog_entry **out)
{
    const struct catalog_entry *e = NULL;
    int err;

    if (!out) return WSAEFAULT;
    *out = NULL;
    if (!cat) return WSAEINVAL;
    err = info ? select_by_info(cat, af, type, protocol, info, &e)
               : select_by_triple(cat, af, type, protocol, &e);
    if (err)
        TRACE_CAT("select af %d type %d protocol %d%s: error %d", af, type, protocol, info ? " (info)" : "", err);
    else
        TRACE_CAT("select af %d type %d protocol %d%s: entry %lu", af, type, protocol, info ? " (info)" : "",
                  (unsigned long)e->info.dwCatalogEntryId);
    *out = e;
    return err;
}
