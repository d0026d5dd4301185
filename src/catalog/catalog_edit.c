/* catalog_edit.c - edits of a catalog snapshot for the WSC* installation functions (install,
 * deinstall, update, reorder, install an LSP with its protocol chains) and the enumeration filter
 * of WSAEnumProtocols/WSCEnumProtocols. Each edit builds a new snapshot and leaves the input alone;
 * every entry it produces passes the same validation as an entry read from the registry, so what is
 * installed can always be loaded back. Portable (no Windows calls).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "catalog_edit.h"
#include "trace.h"

/* Never accept a longer protocol list from WSCInstallProvider(AndChains) (a sanity bound, far above any
 * real catalog). */
#define INSTALL_MAX_PROTOCOLS 4096

/* A new, empty snapshot of cat's view with room for cap entries. */
static struct catalog *new_like(const struct catalog *cat, size_t cap)
{
    struct catalog *n = calloc(1, sizeof(*n));

    if (!n) return NULL;
    if (cap && !(n->entries = calloc(cap, sizeof(*n->entries))))
    {
        free(n);
        return NULL;
    }
    n->refs = 1;
    n->view = cat->view;
    n->serial = cat->serial;
    n->next_id = cat->next_id < CATALOG_FIRST_ENTRY_ID ? CATALOG_FIRST_ENTRY_ID : cat->next_id;
    n->from_registry = TRUE;
    return n;
}

static void drop(struct catalog *n)
{
    free(n->entries);
    free(n);
}

static BOOL same_guid(const GUID *a, const GUID *b)
{
    return !memcmp(a, b, sizeof(*a));
}

static BOOL has_provider(const struct catalog *cat, const GUID *provider)
{
    size_t i;
    for (i = 0; i < cat->count; i++)
        if (same_guid(&cat->entries[i].info.ProviderId, provider)) return TRUE;
    return FALSE;
}

static size_t wide_len(const WCHAR *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n]) n++;
    return n;
}

static BOOL path_ok(const char *path)
{
    size_t n = 0;
    if (!path) return FALSE;
    while (n < CATALOG_PATH_SIZE && path[n]) n++;
    return n > 0 && n < CATALOG_PATH_SIZE;
}

/* Allocates the next catalog id (0 when the id space is exhausted). */
static DWORD take_id(struct catalog *n)
{
    DWORD id = n->next_id;
    if (id == 0 || id == 0xffffffff) return 0;
    n->next_id = id + 1;
    return id;
}

/* The entry as it will be stored passes the registry validation. */
static BOOL entry_valid(const struct catalog_entry *e)
{
    unsigned char blob[PACKED_CATALOG_ITEM_SIZE];
    struct catalog_entry check;

    catalog_item_pack(e, blob);
    return catalog_item_unpack(blob, sizeof(blob), &check) == 0;
}

static void set_path(struct catalog_entry *e, const char *path)
{
    size_t n = 0;
    memset(e->path, 0, sizeof(e->path));
    while (n < CATALOG_PATH_SIZE - 1 && path[n])
    {
        e->path[n] = path[n];
        n++;
    }
}

int catalog_edit_install(const struct catalog *cat, const GUID *provider, const char *path,
                         const WSAPROTOCOL_INFOW *list, size_t count, struct catalog **out)
{
    struct catalog *n;
    size_t i;

    if (!out) return WSAEFAULT;
    *out = NULL;
    if (!cat || !provider || !list) return WSAEFAULT;
    if (!count || count > INSTALL_MAX_PROTOCOLS || !path_ok(path)) return WSAEINVAL;
    if (has_provider(cat, provider)) return WSANO_RECOVERY; /* "the provider is already installed" */
    if (!(n = new_like(cat, cat->count + count))) return WSA_NOT_ENOUGH_MEMORY;
    memcpy(n->entries, cat->entries, cat->count * sizeof(*n->entries));
    n->count = cat->count;
    for (i = 0; i < count; i++)
    {
        struct catalog_entry *e = &n->entries[n->count];

        memset(e, 0, sizeof(*e));
        set_path(e, path);
        e->info = list[i];
        e->info.ProviderId = *provider;
        if (!(e->info.dwCatalogEntryId = take_id(n)) || !entry_valid(e))
        {
            drop(n);
            return WSAEINVAL;
        }
        n->count++;
    }
    *out = n;
    return 0;
}

int catalog_edit_deinstall(const struct catalog *cat, const GUID *provider, struct catalog **out)
{
    struct catalog *n;
    size_t i;

    if (!out) return WSAEFAULT;
    *out = NULL;
    if (!cat || !provider) return WSAEFAULT;
    if (!has_provider(cat, provider)) return WSAEINVAL;
    if (!(n = new_like(cat, cat->count))) return WSA_NOT_ENOUGH_MEMORY;
    for (i = 0; i < cat->count; i++)
        if (!same_guid(&cat->entries[i].info.ProviderId, provider)) n->entries[n->count++] = cat->entries[i];
    *out = n;
    return 0;
}

int catalog_edit_update(const struct catalog *cat, const GUID *provider, const char *path,
                        const WSAPROTOCOL_INFOW *list, size_t count, struct catalog **out)
{
    struct catalog *n;
    size_t i, j, mine = 0, by_id = 0;

    if (!out) return WSAEFAULT;
    *out = NULL;
    if (!cat || !provider || !list) return WSAEFAULT;
    if (!count || !path_ok(path)) return WSAEINVAL;
    for (i = 0; i < cat->count; i++)
        if (same_guid(&cat->entries[i].info.ProviderId, provider)) mine++;
    if (!mine) return WSAEINVAL;
    for (j = 0; j < count; j++)
    {
        const struct catalog_entry *e = catalog_find_id(cat, list[j].dwCatalogEntryId);
        if (e && same_guid(&e->info.ProviderId, provider)) by_id++;
    }
    if (by_id != count && count != mine) return WSAEINVAL;
    if (!(n = new_like(cat, cat->count))) return WSA_NOT_ENOUGH_MEMORY;
    memcpy(n->entries, cat->entries, cat->count * sizeof(*n->entries));
    n->count = cat->count;

    for (i = 0, j = 0; i < n->count; i++)
    {
        struct catalog_entry *e = &n->entries[i];
        const WSAPROTOCOL_INFOW *src = NULL;
        DWORD id = e->info.dwCatalogEntryId;

        if (!same_guid(&e->info.ProviderId, provider)) continue;
        if (by_id == count)
        {
            size_t k;
            for (k = 0; k < count; k++)
                if (list[k].dwCatalogEntryId == id) src = &list[k];
        }
        else src = &list[j++];
        set_path(e, path);
        if (src)
        {
            e->info = *src;
            e->info.ProviderId = *provider;
            e->info.dwCatalogEntryId = id;
        }
        if (!entry_valid(e))
        {
            drop(n);
            return WSAEINVAL;
        }
    }
    *out = n;
    return 0;
}

int catalog_edit_order(const struct catalog *cat, const DWORD *ids, size_t count, struct catalog **out)
{
    struct catalog *n;
    size_t i, j;

    if (!out) return WSAEFAULT;
    *out = NULL;
    if (!cat || !ids) return WSAEINVAL;
    if (count != cat->count) return WSAEINVAL;
    for (i = 0; i < count; i++)
        for (j = i + 1; j < count; j++)
            if (ids[i] == ids[j]) return WSAEINVAL;
    if (!(n = new_like(cat, cat->count))) return WSA_NOT_ENOUGH_MEMORY;
    for (i = 0; i < count; i++)
    {
        const struct catalog_entry *e = catalog_find_id(cat, ids[i]);
        if (!e)
        {
            drop(n);
            return WSAEINVAL;
        }
        n->entries[n->count++] = *e;
    }
    *out = n;
    return 0;
}

static BOOL same_triple(const WSAPROTOCOL_INFOW *a, const WSAPROTOCOL_INFOW *b)
{
    return a->iAddressFamily == b->iAddressFamily && a->iSocketType == b->iSocketType &&
           a->iProtocol == b->iProtocol;
}

/* "<lsp> over [<target>]", truncated to WSAPROTOCOL_LEN. */
static void chain_name(WCHAR *out, const WCHAR *lsp, const WCHAR *target)
{
    static const char mid[] = " over [";
    size_t n = 0, i;

    for (i = 0; lsp[i] && n < WSAPROTOCOL_LEN; i++) out[n++] = lsp[i];
    for (i = 0; mid[i] && n < WSAPROTOCOL_LEN; i++) out[n++] = (WCHAR)mid[i];
    for (i = 0; target[i] && n < WSAPROTOCOL_LEN; i++) out[n++] = target[i];
    if (n < WSAPROTOCOL_LEN) out[n++] = ']';
    out[n] = 0;
}

/* The arguments that do not depend on the targets: 0 (*name_len set) or the WSA error. */
static int check_install_args(const struct catalog *cat, const GUID *provider, const char *path,
                              const WCHAR *lsp_name, const WSAPROTOCOL_INFOW *list, size_t count, size_t *name_len)
{
    size_t i, len;

    if (!cat || !provider || !lsp_name) return WSAEINVAL;
    if (!path_ok(path)) return WSAEINVAL;
    len = wide_len(lsp_name, WSAPROTOCOL_LEN + 1);
    if (!len || len > WSAPROTOCOL_LEN) return WSAEINVAL;
    if ((list && !count) || (!list && count) || count > INSTALL_MAX_PROTOCOLS) return WSAEINVAL;
    if (has_provider(cat, provider)) return WSAEINVAL;
    for (i = 0; i < cat->count; i++)
    {
        const WCHAR *s = cat->entries[i].info.szProtocol;
        if (wide_len(s, WSAPROTOCOL_LEN + 1) == len && !memcmp(s, lsp_name, len * sizeof(WCHAR)))
            return WSAEINVAL;
    }
    *name_len = len;
    return 0;
}

/* The entries the LSP layers over, each once, into targets (room for cat->count): for each protocol
 * of list the first non-layered entry of its triple, or without a list one base entry per triple. */
static int pick_targets(const struct catalog *cat, const WSAPROTOCOL_INFOW *list, size_t count,
                        const struct catalog_entry **targets, size_t *ntargets)
{
    size_t i, j;

    *ntargets = 0;
    if (list)
    {
        for (j = 0; j < count; j++)
        {
            const struct catalog_entry *t = NULL;
            BOOL dup = FALSE;
            for (i = 0; i < cat->count && !t; i++)
                if (cat->entries[i].info.ProtocolChain.ChainLen != LAYERED_PROTOCOL &&
                    same_triple(&cat->entries[i].info, &list[j]))
                    t = &cat->entries[i];
            if (!t) return WSAEINVAL; /* "a match cannot be found for the specified protocol ..." */
            for (i = 0; i < *ntargets; i++)
                if (targets[i] == t) dup = TRUE;
            if (!dup) targets[(*ntargets)++] = t;
        }
        return 0;
    }
    for (i = 0; i < cat->count; i++)
    {
        const struct catalog_entry *t = &cat->entries[i];
        BOOL dup = FALSE;
        if (t->info.ProtocolChain.ChainLen != BASE_PROTOCOL) continue;
        for (j = 0; j < *ntargets; j++)
            if (same_triple(&targets[j]->info, &t->info)) dup = TRUE;
        if (!dup) targets[(*ntargets)++] = t;
    }
    return *ntargets ? 0 : WSANO_RECOVERY; /* "no base provider found" */
}

/* Every chain fits MAX_PROTOCOL_CHAIN; one GUID per chain, none already installed, none the
 * provider's, no two alike. 0 or WSANO_RECOVERY. */
static int check_chains(const struct catalog *cat, const GUID *provider, const struct catalog_entry **targets,
                        size_t ntargets, const GUID *chain_ids, size_t nchain_ids)
{
    size_t i, j;

    for (i = 0; i < ntargets; i++)
    {
        int len = targets[i]->info.ProtocolChain.ChainLen;
        if ((len == BASE_PROTOCOL ? 2 : len + 1) > MAX_PROTOCOL_CHAIN) return WSANO_RECOVERY;
    }
    if (!chain_ids || nchain_ids < ntargets) return WSANO_RECOVERY;
    for (i = 0; i < ntargets; i++)
    {
        if (has_provider(cat, &chain_ids[i]) || same_guid(&chain_ids[i], provider)) return WSANO_RECOVERY;
        for (j = 0; j < i; j++)
            if (same_guid(&chain_ids[i], &chain_ids[j])) return WSANO_RECOVERY;
    }
    return 0;
}

/* The LSP's own (layered, hidden) entry, its triple that of the first target (TCP/IPv4 without one). */
static void make_dummy(struct catalog_entry *dummy, const char *path, const GUID *provider, DWORD service_flags,
                       const WCHAR *lsp_name, size_t name_len, const struct catalog_entry *first)
{
    memset(dummy, 0, sizeof(*dummy));
    set_path(dummy, path);
    dummy->info.dwServiceFlags1 = service_flags;
    dummy->info.dwProviderFlags = PFL_HIDDEN;
    dummy->info.ProviderId = *provider;
    dummy->info.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    dummy->info.iVersion = 2;
    dummy->info.iAddressFamily = first ? first->info.iAddressFamily : AF_INET;
    dummy->info.iMaxSockAddr = first ? first->info.iMaxSockAddr : (int)sizeof(struct sockaddr_in);
    dummy->info.iMinSockAddr = first ? first->info.iMinSockAddr : (int)sizeof(struct sockaddr_in);
    dummy->info.iSocketType = first ? first->info.iSocketType : SOCK_STREAM;
    dummy->info.iProtocol = first ? first->info.iProtocol : IPPROTO_TCP;
    dummy->info.iNetworkByteOrder = BIGENDIAN;
    memcpy(dummy->info.szProtocol, lsp_name, name_len * sizeof(WCHAR));
}

/* The chain of the LSP (entry dummy_id) over target, as entry e of n: 0 or WSAEINVAL. */
static int make_chain(struct catalog *n, struct catalog_entry *e, const struct catalog_entry *target,
                      const char *path, const GUID *chain_id, DWORD service_flags, DWORD dummy_id,
                      const WCHAR *lsp_name)
{
    const WSAPROTOCOL_INFOW *t = &target->info;
    int k;

    *e = *target;
    set_path(e, path);
    e->info.ProviderId = *chain_id;
    e->info.dwServiceFlags1 = (t->dwServiceFlags1 & ~XP1_IFS_HANDLES) | (service_flags & XP1_IFS_HANDLES);
    e->info.ProtocolChain.ChainEntries[0] = dummy_id;
    if (t->ProtocolChain.ChainLen == BASE_PROTOCOL)
    {
        e->info.ProtocolChain.ChainLen = 2;
        e->info.ProtocolChain.ChainEntries[1] = t->dwCatalogEntryId;
    }
    else
    {
        e->info.ProtocolChain.ChainLen = t->ProtocolChain.ChainLen + 1;
        for (k = 0; k < t->ProtocolChain.ChainLen; k++)
            e->info.ProtocolChain.ChainEntries[k + 1] = t->ProtocolChain.ChainEntries[k];
    }
    chain_name(e->info.szProtocol, lsp_name, t->szProtocol);
    if (!(e->info.dwCatalogEntryId = take_id(n)) || !entry_valid(e)) return WSAEINVAL;
    return 0;
}

int catalog_edit_install_chains(const struct catalog *cat, const GUID *provider, const char *path,
                                const WCHAR *lsp_name, DWORD service_flags, const WSAPROTOCOL_INFOW *list,
                                size_t count, const GUID *chain_ids, size_t nchain_ids, DWORD *dummy_id,
                                struct catalog **out)
{
    const struct catalog_entry **targets;
    struct catalog *n;
    struct catalog_entry dummy;
    size_t i, ntargets = 0, name_len = 0;
    int err;

    if (!out) return WSAEFAULT;
    *out = NULL;
    if ((err = check_install_args(cat, provider, path, lsp_name, list, count, &name_len))) return err;

    if (!(targets = calloc(cat->count ? cat->count : 1, sizeof(*targets)))) return WSA_NOT_ENOUGH_MEMORY;
    if (!(err = pick_targets(cat, list, count, targets, &ntargets)))
        err = check_chains(cat, provider, targets, ntargets, chain_ids, nchain_ids);
    if (err)
    {
        free(targets);
        return err;
    }
    if (!(n = new_like(cat, cat->count + ntargets + 1)))
    {
        free(targets);
        return WSA_NOT_ENOUGH_MEMORY;
    }

    make_dummy(&dummy, path, provider, service_flags, lsp_name, name_len, ntargets ? targets[0] : NULL);
    dummy.info.dwCatalogEntryId = take_id(n);
    /* The chains, first in catalog order. */
    for (i = 0; i < ntargets && !err; i++)
        err = make_chain(n, &n->entries[n->count++], targets[i], path, &chain_ids[i], service_flags,
                         dummy.info.dwCatalogEntryId, lsp_name);
    free(targets);
    if (!dummy.info.dwCatalogEntryId || !entry_valid(&dummy)) err = WSAEINVAL;
    if (err)
    {
        drop(n);
        return err;
    }
    memcpy(n->entries + n->count, cat->entries, cat->count * sizeof(*n->entries));
    n->count += cat->count;
    n->entries[n->count++] = dummy;
    if (dummy_id) *dummy_id = dummy.info.dwCatalogEntryId;
    TRACE_CAT("installed LSP dummy %lu with %lu chains", (unsigned long)dummy.info.dwCatalogEntryId,
              (unsigned long)ntargets);
    *out = n;
    return 0;
}

BOOL catalog_enum_match(const WSAPROTOCOL_INFOW *info, const INT *protocols, BOOL visible_only)
{
    size_t i;

    if (visible_only &&
        ((info->dwProviderFlags & PFL_HIDDEN) || info->ProtocolChain.ChainLen == LAYERED_PROTOCOL))
        return FALSE;
    if (!protocols) return TRUE;
    for (i = 0; protocols[i]; i++)
        if (protocols[i] >= info->iProtocol &&
            (long long)protocols[i] <= (long long)info->iProtocol + info->iProtocolMaxOffset)
            return TRUE;
    return FALSE;
}
