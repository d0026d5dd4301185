/* app_category.c - LSP categories honoured when a socket is created (include/app_category.h), and
 * the WSCGetApplicationCategoryEx / WSCSetApplicationCategoryEx exports (undocumented Windows 8
 * additions with the documented functions' parameters: they do the same).
 *
 * The process is identified as WSCSetApplicationCategory documents it: its executable's full path
 * and, as Extra, its command-line arguments (the command line after the program name); an entry
 * with those arguments wins over one for the path alone. Rule (Microsoft, "Categorizing Layered
 * Service Providers and Applications"): an uncategorised application loads every LSP; in a
 * categorised one an LSP loads only when it has categories, at least one of them is permitted, all
 * of them are permitted, and LSP_SYSTEM is among them when the application's include LSP_SYSTEM. A
 * chain is usable when every layered entry of it may load. The result is computed once per catalog
 * snapshot (a new snapshot follows every catalog change). The rule itself: src/app_category_rule.c.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "app_category.h"
#include "trace.h"

int WSPAPI WSCGetApplicationCategoryEx(LPCWSTR Path, DWORD PathLength, LPCWSTR Extra, DWORD ExtraLength,
                                       DWORD *pPermittedLspCategories, LPINT lpErrno);
int WSPAPI WSCSetApplicationCategoryEx(LPCWSTR Path, DWORD PathLength, LPCWSTR Extra, DWORD ExtraLength,
                                       DWORD PermittedLspCategories, DWORD *pPrevPermLspCat, LPINT lpErrno);

static SRWLOCK cache_lock = SRWLOCK_INIT;
static struct catalog *cache_in, *cache_out;

/* The process' permitted categories: FALSE when it is not categorised. */
static BOOL process_categories(DWORD *out)
{
    WCHAR path[MAX_PATH];
    const WCHAR *cmd = GetCommandLineW(), *args;
    DWORD n = GetModuleFileNameW(NULL, path, MAX_PATH), len;
    int err = 0;

    if (!n || n >= MAX_PATH) return FALSE;
    /* The arguments: what follows the program name (quoted or not) and the blanks after it. */
    args = cmd ? cmd : L"";
    if (*args == '"')
    {
        args++;
        while (*args && *args != '"') args++;
        if (*args) args++;
    }
    else
        while (*args && *args != ' ' && *args != '\t') args++;
    while (*args == ' ' || *args == '\t') args++;
    len = (DWORD)lstrlenW(args);
    while (len && (args[len - 1] == ' ' || args[len - 1] == '\t')) len--;
    if (len && !WSCGetApplicationCategory(path, n, args, len, out, &err)) return TRUE;
    return !WSCGetApplicationCategory(path, n, NULL, 0, out, &err);
}

static DWORD provider_categories(const GUID *id)
{
    DWORD value = 0;
    size_t size = sizeof(value);
    GUID g = *id;
    int err = 0;

    if (WSCGetProviderInfo(&g, ProviderInfoLspCategories, (PBYTE)&value, &size, 0, &err)) return 0;
    return value;
}

static BOOL chain_permitted(const struct catalog *cat, const struct catalog_entry *e, DWORD app)
{
    const WSAPROTOCOLCHAIN *chain = &e->info.ProtocolChain;
    int i;

    if (chain->ChainLen < 2 || chain->ChainLen > MAX_PROTOCOL_CHAIN) return TRUE; /* base entries */
    for (i = 0; i < chain->ChainLen - 1; i++)
    {
        const struct catalog_entry *layer = catalog_find_id(cat, chain->ChainEntries[i]);
        DWORD lsp = layer ? provider_categories(&layer->info.ProviderId) : 0;
        /* The top layer may also be categorised under the chain entry's own provider id. */
        if (!i) lsp |= provider_categories(&e->info.ProviderId);
        if (!app_category_permits(TRUE, app, lsp)) return FALSE;
    }
    return TRUE;
}

static struct catalog *filter(struct catalog *cat)
{
    struct catalog *out;
    DWORD app = 0;
    size_t i;

    if (!process_categories(&app)) return catalog_ref(cat);
    if (!(out = calloc(1, sizeof(*out))) || !(out->entries = calloc(cat->count ? cat->count : 1, sizeof(*out->entries))))
    {
        free(out);
        return catalog_ref(cat); /* out of memory: the unfiltered catalog rather than no sockets */
    }
    out->refs = 1;
    out->view = cat->view;
    out->serial = cat->serial;
    out->next_id = cat->next_id;
    out->from_registry = cat->from_registry;
    for (i = 0; i < cat->count; i++)
    {
        if (chain_permitted(cat, &cat->entries[i], app)) out->entries[out->count++] = cat->entries[i];
        else
            TRACE_CAT("entry %lu skipped: the process permits LSP categories %#lx only",
                      (unsigned long)cat->entries[i].info.dwCatalogEntryId, (unsigned long)app);
    }
    return out;
}

struct catalog *app_category_filter(struct catalog *cat)
{
    struct catalog *out = NULL;

    if (!cat) return NULL;
    AcquireSRWLockShared(&cache_lock);
    if (cache_in == cat) out = catalog_ref(cache_out);
    ReleaseSRWLockShared(&cache_lock);
    if (out)
    {
        catalog_release(cat);
        return out;
    }
    out = filter(cat);
    AcquireSRWLockExclusive(&cache_lock);
    catalog_release(cache_in);
    catalog_release(cache_out);
    cache_in = catalog_ref(cat);
    cache_out = catalog_ref(out);
    ReleaseSRWLockExclusive(&cache_lock);
    catalog_release(cat);
    return out;
}

int WSPAPI WSCGetApplicationCategoryEx(LPCWSTR Path, DWORD PathLength, LPCWSTR Extra, DWORD ExtraLength,
                                       DWORD *pPermittedLspCategories, LPINT lpErrno)
{
    int r = WSCGetApplicationCategory(Path, PathLength, Extra, ExtraLength, pPermittedLspCategories, lpErrno);
    TRACE_API("WSCGetApplicationCategoryEx(Path %p PathLength %lu Extra %p ExtraLength %lu pPermittedLspCategories %p "
              "lpErrno %p) -> %d", (void *)Path, (unsigned long)PathLength, (void *)Extra, (unsigned long)ExtraLength,
              (void *)pPermittedLspCategories, (void *)lpErrno, r);
    return r;
}

int WSPAPI WSCSetApplicationCategoryEx(LPCWSTR Path, DWORD PathLength, LPCWSTR Extra, DWORD ExtraLength,
                                       DWORD PermittedLspCategories, DWORD *pPrevPermLspCat, LPINT lpErrno)
{
    int r = WSCSetApplicationCategory(Path, PathLength, Extra, ExtraLength, PermittedLspCategories, pPrevPermLspCat,
                                      lpErrno);
    TRACE_API("WSCSetApplicationCategoryEx(Path %p PathLength %lu Extra %p ExtraLength %lu PermittedLspCategories %#lx "
              "pPrevPermLspCat %p lpErrno %p) -> %d", (void *)Path, (unsigned long)PathLength, (void *)Extra,
              (unsigned long)ExtraLength, (unsigned long)PermittedLspCategories, (void *)pPrevPermLspCat,
              (void *)lpErrno, r);
    return r;
}
