/* ws2catalog_lsp.c - `ws2catalog install-lsp` and `ws2catalog remove-lsp`: a layered service provider
 * installed the documented way, WSCInstallProviderAndChains (one hidden LAYERED_PROTOCOL dummy entry
 * named NAME carrying the provider GUID plus one protocol chain [dummy, target...] per target, each
 * with a GUID of its own, placed first in catalog order), in both views with
 * WSCInstallProviderAndChains64_32 on 64-bit; removed as installers do, with WSCDeinstallProvider(32)
 * on the dummy's GUID (given, or found by the dummy's name) and then on each chain's GUID (the
 * entries whose ChainEntries[0] is the dummy).
 * Targets (--over): catalog entries of the native view; each must be the top-most non-dummy entry of
 * its (address family, socket type, protocol) triple, because that is the entry
 * WSCInstallProviderAndChains layers over.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include <stdlib.h>
#include <objbase.h>
#include "ws2catalog.h"

#define MAX_TARGETS 64

static BOOL same_name(const WCHAR *a, const WCHAR *b)
{
    return !lstrcmpW(a, b);
}

/* The dummy's catalog id: the first entry carrying the provider GUID (0 when none). */
static DWORD dummy_of(const WSAPROTOCOL_INFOW *list, int count, const GUID *id)
{
    int i;
    for (i = 0; i < count; i++)
        if (IsEqualGUID(&list[i].ProviderId, id)) return list[i].dwCatalogEntryId;
    return 0;
}

static BOOL is_chain_of(const WSAPROTOCOL_INFOW *e, DWORD dummy)
{
    return dummy && e->ProtocolChain.ChainLen > 1 && e->ProtocolChain.ChainEntries[0] == dummy;
}

static void print_provider(const WSAPROTOCOL_INFOW *list, int count, const GUID *id, const char *view)
{
    DWORD dummy = dummy_of(list, count, id);
    int i;

    printf("  %s view:", view);
    for (i = 0; i < count; i++)
        if (IsEqualGUID(&list[i].ProviderId, id) || is_chain_of(&list[i], dummy))
            printf(" %lu%s", (unsigned long)list[i].dwCatalogEntryId,
                   list[i].ProtocolChain.ChainLen == LAYERED_PROTOCOL ? " (dummy)" : "");
    printf("\n");
}

int ws2c_install_lsp(int argc, WCHAR **argv)
{
    const WCHAR *dll = NULL, *dll32 = NULL, *name = NULL, *over = NULL, *guid_arg = NULL;
    BOOL ifs = FALSE, native_only = FALSE;
    DWORD ids[MAX_TARGETS], dummy = 0;
    size_t nids = 0, k;
    WSAPROTOCOL_INFOW *list, targets[MAX_TARGETS];
    WCHAR expanded[MAX_PATH + 1], wdll[MAX_PATH + 1], wdll32[MAX_PATH + 1], wname[WSAPROTOCOL_LEN + 1];
    struct ws2c_api api;
    char gs[GUID_TEXT_SIZE];
    GUID id;
    int i, count, r, err = 0;

    for (i = 0; i < argc; i++)
    {
        BOOL has_value = i + 1 < argc;
        if (!lstrcmpW(argv[i], L"--dll") && has_value) dll = argv[++i];
        else if (!lstrcmpW(argv[i], L"--dll32") && has_value) dll32 = argv[++i];
        else if (!lstrcmpW(argv[i], L"--name") && has_value) name = argv[++i];
        else if (!lstrcmpW(argv[i], L"--over") && has_value) over = argv[++i];
        else if (!lstrcmpW(argv[i], L"--guid") && has_value) guid_arg = argv[++i];
        else if (!lstrcmpW(argv[i], L"--ifs")) ifs = TRUE;
        else if (!lstrcmpW(argv[i], L"--nonifs")) ifs = FALSE;
        else if (!lstrcmpW(argv[i], L"--native-only")) native_only = TRUE;
        else return ws2c_usage();
    }
    if (!dll || !name) return ws2c_usage();
    if (over && !ws2c_parse_ids(over, ids, MAX_TARGETS, &nids))
    {
        fprintf(stderr, "ws2catalog: --over wants catalog entry ids separated by commas\n");
        return TOOL_USAGE;
    }
    if (guid_arg && !ws2c_parse_guid(guid_arg, &id))
    {
        fprintf(stderr, "ws2catalog: --guid wants {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}\n");
        return TOOL_USAGE;
    }
    if (!*name || lstrlenW(name) > WSAPROTOCOL_LEN)
    {
        fprintf(stderr, "ws2catalog: the LSP name must have 1 to %d characters\n", WSAPROTOCOL_LEN);
        return TOOL_USAGE;
    }
    if (lstrlenW(dll) > MAX_PATH || (dll32 && lstrlenW(dll32) > MAX_PATH))
    {
        fprintf(stderr, "ws2catalog: DLL path too long\n");
        return TOOL_USAGE;
    }
    if (!ExpandEnvironmentStringsW(dll, expanded, MAX_PATH + 1) ||
        GetFileAttributesW(expanded) == INVALID_FILE_ATTRIBUTES)
    {
        char s[MAX_PATH * 4];
        ws2c_utf8(dll, s, sizeof(s));
        fprintf(stderr, "ws2catalog: %s: no such file\n", s);
        return TOOL_FAIL;
    }
    if (!guid_arg && FAILED(CoCreateGuid(&id)))
    {
        fprintf(stderr, "ws2catalog: CoCreateGuid failed\n");
        return TOOL_FAIL;
    }
    if (!ws2c_load(FALSE, &api) || !(list = ws2c_enum(&api, &count))) return TOOL_FAIL;
    for (k = 0; k < nids && !err; k++)
    {
        const WSAPROTOCOL_INFOW *t = NULL, *top = NULL;
        for (i = 0; i < count; i++)
        {
            if (list[i].dwCatalogEntryId == ids[k]) t = &list[i];
        }
        if (!t || t->ProtocolChain.ChainLen == LAYERED_PROTOCOL)
        {
            fprintf(stderr, "ws2catalog: %lu is not a %s\n", (unsigned long)ids[k],
                    t ? "base or chain entry (it is a layered dummy)" : "catalog entry");
            err = 1;
            break;
        }
        for (i = 0; i < count && !top; i++)
            if (list[i].ProtocolChain.ChainLen != LAYERED_PROTOCOL && list[i].iAddressFamily == t->iAddressFamily &&
                list[i].iSocketType == t->iSocketType && list[i].iProtocol == t->iProtocol)
                top = &list[i];
        if (top != t)
        {
            fprintf(stderr, "ws2catalog: entry %lu is not the first entry of its protocol (%lu is): "
                    "order it first or layer over %lu\n", (unsigned long)ids[k],
                    (unsigned long)top->dwCatalogEntryId, (unsigned long)top->dwCatalogEntryId);
            err = 1;
        }
        targets[k] = *t;
    }
    for (i = 0; i < count && !err; i++)
        if (same_name(list[i].szProtocol, name))
        {
            fprintf(stderr, "ws2catalog: an entry named like that is already installed (%lu)\n",
                    (unsigned long)list[i].dwCatalogEntryId);
            err = 1;
        }
    free(list);
    if (err) return TOOL_FAIL;

    lstrcpynW(wdll, dll, MAX_PATH + 1);
    lstrcpynW(wdll32, dll32 ? dll32 : dll, MAX_PATH + 1);
    lstrcpynW(wname, name, WSAPROTOCOL_LEN + 1);
#ifdef _WIN64
    if (!native_only && api.install_chains64_32)
        r = api.install_chains64_32(&id, wdll, wdll32, wname, ifs ? XP1_IFS_HANDLES : 0, nids ? targets : NULL,
                                    (DWORD)nids, &dummy, &err);
    else
#endif
    if (api.install_chains)
        r = api.install_chains(&id, wdll, wname, ifs ? XP1_IFS_HANDLES : 0, nids ? targets : NULL, (DWORD)nids,
                               &dummy, &err);
    else
    {
        fprintf(stderr, "ws2catalog: ws2_32.dll has no WSCInstallProviderAndChains\n");
        return TOOL_FAIL;
    }
    guid_text_upper(&id, gs);
    if (r)
    {
        fprintf(stderr, "ws2catalog: WSCInstallProviderAndChains failed: error %d\n", err);
        return TOOL_FAIL;
    }
    printf("install-lsp: %s installed, dummy entry %lu\n", gs, (unsigned long)dummy);
    if ((list = ws2c_enum(&api, &count)))
    {
        print_provider(list, count, &id, "native");
        free(list);
    }
#ifdef _WIN64
    if (!native_only && ws2c_load(TRUE, &api) && (list = ws2c_enum(&api, &count)))
    {
        print_provider(list, count, &id, "32-bit");
        free(list);
    }
#else
    (void)native_only;
#endif
    return TOOL_OK;
}

/* The provider GUID named by arg: a GUID, or the name of a layered dummy entry of the view. */
static BOOL find_lsp(const WSAPROTOCOL_INFOW *list, int count, const WCHAR *arg, GUID *id)
{
    int i;

    if (ws2c_parse_guid(arg, id))
    {
        for (i = 0; i < count; i++)
            if (IsEqualGUID(&list[i].ProviderId, id)) return TRUE;
        return FALSE;
    }
    for (i = 0; i < count; i++)
        if (list[i].ProtocolChain.ChainLen == LAYERED_PROTOCOL && same_name(list[i].szProtocol, arg))
        {
            *id = list[i].ProviderId;
            return TRUE;
        }
    return FALSE;
}

static BOOL is_base_provider(const WSAPROTOCOL_INFOW *list, int count, const GUID *id)
{
    int i;

    for (i = 0; i < count; i++)
        if (IsEqualGUID(&list[i].ProviderId, id) && list[i].ProtocolChain.ChainLen == BASE_PROTOCOL) return TRUE;
    return FALSE;
}

int ws2c_remove_lsp(int argc, WCHAR **argv)
{
    const WCHAR *arg = NULL;
    BOOL native_only = FALSE, found = FALSE, base = FALSE;
    struct ws2c_api api;
    WSAPROTOCOL_INFOW *list;
    int i, k, count, err = 0, status = TOOL_OK, v;
    DWORD dummy;
    char gs[GUID_TEXT_SIZE];
    GUID id;

    for (i = 0; i < argc; i++)
    {
        if (!lstrcmpW(argv[i], L"--native-only")) native_only = TRUE;
        else if (!arg && argv[i][0] != '-') arg = argv[i];
        else return ws2c_usage();
    }
    if (!arg) return ws2c_usage();
    for (v = 0; v < 2; v++)
    {
        BOOL here;
#ifndef _WIN64
        if (v == 1) break; /* a 32-bit system has one view */
#endif
        if (v == 1 && native_only) break;
        if (!ws2c_load(v == 1, &api) || !(list = ws2c_enum(&api, &count))) return TOOL_FAIL;
        here = find_lsp(list, count, arg, &id);
        if (here && is_base_provider(list, count, &id))
        {
            base = TRUE;
            here = FALSE;
        }
        if (!here)
        {
            free(list);
            continue;
        }
        found = TRUE;
        /* The dummy's GUID first, then each chain's (its own GUID; an older install's chains may
         * share the dummy's, and went with it). */
        dummy = dummy_of(list, count, &id);
        for (k = -1; k < count; k++)
        {
            const GUID *g = k < 0 ? &id : &list[k].ProviderId;
            int m;
            BOOL again = FALSE;
            if (k >= 0 && (!is_chain_of(&list[k], dummy) || IsEqualGUID(g, &id))) continue;
            for (m = 0; k >= 0 && m < k; m++) /* chains sharing one GUID go with the first */
                if (is_chain_of(&list[m], dummy) && IsEqualGUID(&list[m].ProviderId, g)) again = TRUE;
            if (again) continue;
            guid_text_upper(g, gs);
            if (api.deinstall((GUID *)g, &err))
            {
                fprintf(stderr, "ws2catalog: WSCDeinstallProvider%s %s failed: error %d\n", v ? "32" : "", gs, err);
                status = TOOL_FAIL;
            }
            else
                printf("remove-lsp: %s%s removed from the %s view\n", gs, k < 0 ? "" : " (chain)", v ? "32-bit" : "native");
        }
        free(list);
    }
    if (!found)
    {
        fprintf(stderr, base ? "ws2catalog: that is a base provider, not a layered one\n"
                             : "ws2catalog: no layered provider with that GUID or name\n");
        return TOOL_FAIL;
    }
    return status;
}
