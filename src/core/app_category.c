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
 * chain is usable when every layered entry of it may load. The process' identity and permitted
 * categories are read once, at the first WSAStartup (app_category_identify), and kept for the
 * process' lifetime: Microsoft's WSCGetApplicationCategory page says they "are not mutable during
 * the lifetime of the application instance" (a later WSCSetApplicationCategory applies to the next
 * instance). The filtered view is computed once per catalog snapshot (a new snapshot follows every
 * catalog change: the LSPs' own categories are read with it). The rule: src/core/app_category_rule.c.
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
static SRWLOCK identity_lock = SRWLOCK_INIT;
static BOOL identity_read, identity_categorised; /* under identity_lock */
static DWORD identity_categories;

#define APPID_CATALOG_KEY WINSOCK2_PARAMETERS_KEY "\\AppId_Catalog"

/* A string value of an application entry, environment strings expanded; FALSE when absent. */
static BOOL entry_string(HKEY key, const WCHAR *name, WCHAR *out, DWORD chars)
{
    WCHAR raw[MAX_PATH + 1];
    DWORD type = 0, size = sizeof(raw) - sizeof(WCHAR), n;

    out[0] = 0;
    if (RegQueryValueExW(key, name, NULL, &type, (BYTE *)raw, &size) || (type != REG_SZ && type != REG_EXPAND_SZ))
        return FALSE;
    raw[size / sizeof(WCHAR)] = 0;
    n = ExpandEnvironmentStringsW(raw, out, chars);
    if (!n || n > chars) return FALSE;
    return TRUE;
}

/* Every application entry (untrusted registry data: bounded reads, at most 4096 entries): the one
 * whose expanded path is ours, with our arguments or none (an entry with our arguments wins). */
static BOOL scan_entries(const WCHAR *path, const WCHAR *args, DWORD args_len, DWORD *out)
{
    WCHAR name[64], entry_path[MAX_PATH + 1], entry_args[MAX_PATH + 1];
    DWORD i, type, value, size;
    BOOL found = FALSE;
    HKEY root, key;

    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, APPID_CATALOG_KEY, 0, KEY_READ, &root)) return FALSE;
    for (i = 0; i < 4096; i++)
    {
        DWORD nlen = OPENWS2_ARRAY_SIZE(name);
        BOOL with_args;

        if (RegEnumKeyExW(root, i, name, &nlen, NULL, NULL, NULL, NULL)) break;
        if (RegOpenKeyExW(root, name, 0, KEY_READ, &key)) continue;
        with_args = entry_string(key, L"AppArgs", entry_args, MAX_PATH + 1) && entry_args[0];
        size = sizeof(value);
        if (entry_string(key, L"AppFullPath", entry_path, MAX_PATH + 1) &&
            CompareStringOrdinal(entry_path, -1, path, -1, TRUE) == CSTR_EQUAL &&
            (!with_args || (args_len && (DWORD)lstrlenW(entry_args) == args_len &&
                            CompareStringOrdinal(entry_args, (int)args_len, args, (int)args_len, FALSE) == CSTR_EQUAL)) &&
            !RegQueryValueExW(key, L"PermittedLspCategories", NULL, &type, (BYTE *)&value, &size) &&
            type == REG_DWORD && size == sizeof(value) && (with_args || !found))
        {
            *out = value;
            found = TRUE;
        }
        RegCloseKey(key);
    }
    RegCloseKey(root);
    return found;
}

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
    if (!WSCGetApplicationCategory(path, n, NULL, 0, out, &err)) return TRUE;
    /* Entries registered with environment strings in their path (%SystemRoot%\...) hash differently:
     * compare every entry's expanded path. */
    return scan_entries(path, args, len, out);
}

/* The process' categories as read the first time (at the first WSAStartup): FALSE when it is not
 * categorised. */
static BOOL process_identity(DWORD *out)
{
    BOOL categorised;

    AcquireSRWLockExclusive(&identity_lock);
    if (!identity_read)
    {
        identity_categorised = process_categories(&identity_categories);
        identity_read = TRUE;
    }
    categorised = identity_categorised;
    *out = identity_categories;
    ReleaseSRWLockExclusive(&identity_lock);
    return categorised;
}

void app_category_identify(void)
{
    DWORD ignored;
    (void)process_identity(&ignored);
}

void app_category_forget_identity(void)
{
    AcquireSRWLockExclusive(&identity_lock);
    identity_read = FALSE;
    ReleaseSRWLockExclusive(&identity_lock);
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

/* *keep: FALSE when the result must not be cached (out of memory: the next socket tries again) */
static struct catalog *filter(struct catalog *cat, BOOL *keep)
{
    struct catalog *out;
    DWORD app = 0;
    size_t i;

    *keep = TRUE;
    if (!process_identity(&app)) return catalog_ref(cat);
    if (!(out = calloc(1, sizeof(*out))) || !(out->entries = calloc(cat->count ? cat->count : 1, sizeof(*out->entries))))
    {
        free(out);
        *keep = FALSE;
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
    BOOL keep;

    if (!cat) return NULL;
    AcquireSRWLockShared(&cache_lock);
    if (cache_in == cat) out = catalog_ref(cache_out);
    ReleaseSRWLockShared(&cache_lock);
    if (out)
    {
        catalog_release(cat);
        return out;
    }
    out = filter(cat, &keep);
    if (!keep)
    {
        catalog_release(cat);
        return out;
    }
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
