/* provider.c - the transport provider loader (include/provider.h).
 * Owns: the process' list of loaded transport providers, one per provider GUID, reference counted;
 * finding a provider's DLL through WPUGetProviderPath (environment strings expanded), LoadLibrary,
 * WSPStartup with the upcall table and version negotiation, validation of the returned
 * WSPPROC_TABLE (whose overlapped I/O entries are wrapped for providers without XP1_IFS_HANDLES,
 * src/nonifs/nonifs_dispatch.c), and WSPCleanup + FreeLibrary when the last WSACleanup unloads them.
 * Loads are serialised by one lock (two threads creating their first socket load a provider once);
 * lookups of already loaded providers take a shared lock only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "module_list.h"
#include "provider.h"
#include "catalog.h"
#include "nonifs.h"
#include "startup.h"
#include "upcall.h"
#include "guid_text.h"
#include "trace.h"

#include <stdio.h>
#include <stdlib.h>

/* The highest SPI version we speak and the lowest we accept from a provider (Windows accepts 2.0
 * and 2.2 answers; anything below 2.0 or above what we asked for is refused). */
#define PROVIDER_VERSION_REQUESTED MAKEWORD(2, 2)
#define PROVIDER_VERSION_MIN MAKEWORD(2, 0)

static SRWLOCK load_lock = SRWLOCK_INIT;   /* serialises loads and unload_all */
/* The loaded providers; a provider's WSPStartup that recursively asks for itself is refused instead
 * of deadlocking (module_list_loading_here). */
static struct module_list loaded = MODULE_LIST_INIT;

struct provider *provider_ref(struct provider *p)
{
    if (p) module_ref(&p->base);
    return p;
}

void provider_release(struct provider *p)
{
    if (p) module_release(&p->base);
}

/* Every member of the table must be present (WSAEINVALIDPROCTABLE otherwise). */
static BOOL proc_table_complete(const WSPPROC_TABLE *procs, size_t *missing)
{
    const unsigned char *base = (const unsigned char *)procs;
    size_t i, n = sizeof(*procs) / sizeof(void (*)(void));
    for (i = 0; i < n; i++)
    {
        void (*fn)(void);
        memcpy(&fn, base + i * sizeof(fn), sizeof(fn));
        if (!fn)
        {
            *missing = i;
            return FALSE;
        }
    }
    return TRUE;
}

/* Loads the DLL of entry and runs WSPStartup. Called with load_lock held. */
static int load_provider(const struct catalog_entry *entry, struct provider **out)
{
    WCHAR raw[MAX_PATH + 1], path[MAX_PATH + 1];
    int len = MAX_PATH + 1, err = 0, ret;
    char gtext[GUID_TEXT_SIZE];
    LPWSPSTARTUP startup;
    struct provider *p;
    WSAPROTOCOL_INFOW info;
    WSPPROC_TABLE procs;
    WSPDATA data;
    size_t missing = 0;
    DWORD n;

    guid_text(&entry->info.ProviderId, gtext);
    /* The DLL path comes from the transport catalog through the same upcall providers use. */
    if (upcall_table.lpWPUGetProviderPath((LPGUID)&entry->info.ProviderId, raw, &len, &err))
    {
        TRACE_SPI("load %s (catalog entry %lu): no provider path (error %d) -> WSAEPROVIDERFAILEDINIT",
                  gtext, (unsigned long)entry->info.dwCatalogEntryId, err);
        return WSAEPROVIDERFAILEDINIT;
    }
    n = ExpandEnvironmentStringsW(raw, path, MAX_PATH + 1);
    if (!n || n > MAX_PATH + 1)
    {
        TRACE_SPI("load %s: path does not expand within MAX_PATH -> WSAEPROVIDERFAILEDINIT", gtext);
        return WSAEPROVIDERFAILEDINIT;
    }

    p = calloc(1, sizeof(*p));
    if (!p) return WSAENOBUFS;
    p->base.refs = 1;
    p->base.kind = "provider";
    p->base.id = entry->info.ProviderId;
    p->catalog_id = entry->info.dwCatalogEntryId;
    p->info = entry->info;

    p->base.module = LoadLibraryW(path);
    if (!p->base.module)
    {
        TRACE_SPI("load %s: LoadLibrary(%ls) failed (error %lu) -> WSAEPROVIDERFAILEDINIT", gtext, path,
                  GetLastError());
        free(p);
        return WSAEPROVIDERFAILEDINIT;
    }
    startup = (LPWSPSTARTUP)(void *)GetProcAddress(p->base.module, "WSPStartup");
    if (!startup)
    {
        TRACE_SPI("load %s: %ls exports no WSPStartup -> WSAEPROVIDERFAILEDINIT", gtext, path);
        FreeLibrary(p->base.module);
        free(p);
        return WSAEPROVIDERFAILEDINIT;
    }

    info = entry->info; /* the provider may scribble on its copy */
    /* The provider fills tables on this stack frame, copied afterwards: a provider that keeps the
     * pointers and writes through them later (NULL members mid-run) cannot change what ws2_32 calls. */
    memset(&procs, 0, sizeof(procs));
    memset(&data, 0, sizeof(data));
    ret = startup(PROVIDER_VERSION_REQUESTED, &data, &info, upcall_table, &procs);
    p->procs = procs;
    p->data = data;
    TRACE_SPI("WSPStartup(%#x, catalog entry %lu) [%ls] -> %d (wVersion %#x wHighVersion %#x)",
              PROVIDER_VERSION_REQUESTED, (unsigned long)entry->info.dwCatalogEntryId, path, ret,
              p->data.wVersion, p->data.wHighVersion);
    if (ret)
    {
        FreeLibrary(p->base.module);
        free(p);
        return WSAEPROVIDERFAILEDINIT;
    }

    /* The version must be 2.0 .. 2.2 (never above what we asked for). */
    if (LOBYTE(p->data.wVersion) != 2 || p->data.wVersion < PROVIDER_VERSION_MIN ||
        HIBYTE(p->data.wVersion) > HIBYTE(PROVIDER_VERSION_REQUESTED))
        err = WSAEINVALIDPROVIDER;
    else if (!proc_table_complete(&p->procs, &missing))
        err = WSAEINVALIDPROCTABLE;
    if (err)
    {
        int cleanup_err = 0;
        if (err == WSAEINVALIDPROVIDER)
            TRACE_SPI("load %s: provider answered version %#x -> WSAEINVALIDPROVIDER", gtext,
                      p->data.wVersion);
        else
            TRACE_SPI("load %s: WSPPROC_TABLE member %u is NULL -> WSAEINVALIDPROCTABLE", gtext,
                      (unsigned)missing);
        if (p->procs.lpWSPCleanup)
        {
            ret = p->procs.lpWSPCleanup(&cleanup_err);
            TRACE_SPI("WSPCleanup() [%s, refused] -> %d (error %d)", gtext, ret, cleanup_err);
        }
        FreeLibrary(p->base.module);
        free(p);
        return err;
    }
    p->version = p->data.wVersion;
    /* Providers that may hand out non-IFS handles get the completion-routine bookkeeping around their
     * overlapped I/O entries (nonifs.h); IFS providers are called directly. */
    p->provider_procs = p->procs;
    if (!(p->info.dwServiceFlags1 & XP1_IFS_HANDLES)) nonifs_wrap_table(&p->procs);
    *out = p;
    return 0;
}

int provider_get(const struct catalog_entry *entry, struct provider **out)
{
    struct provider *p;
    int err;

    if (!entry || !out) return WSAEFAULT;
    *out = NULL;

    p = (struct provider *)module_list_find(&loaded, &entry->info.ProviderId);
    if (p)
    {
        *out = p;
        return 0;
    }

    if (module_list_loading_here(&loaded))
    {
        TRACE_SPI("provider_get(catalog entry %lu): recursive load from a WSPStartup -> WSAEPROVIDERFAILEDINIT",
                  (unsigned long)entry->info.dwCatalogEntryId);
        return WSAEPROVIDERFAILEDINIT;
    }

    AcquireSRWLockExclusive(&load_lock);
    module_list_set_loading(&loaded, TRUE);
    /* Another thread may have loaded it while we waited. */
    p = (struct provider *)module_list_find(&loaded, &entry->info.ProviderId);
    err = 0;
    if (!p && !(err = load_provider(entry, &p))) module_list_add(&loaded, &p->base);
    module_list_set_loading(&loaded, FALSE);
    ReleaseSRWLockExclusive(&load_lock);
    if (err) return err;
    *out = p;
    return 0;
}

static BOOL loaded_for_entry(const struct loaded_module *m, const void *catalog_id)
{
    return ((const struct provider *)m)->catalog_id == *(const DWORD *)catalog_id;
}

int provider_get_by_catalog_id(DWORD catalog_id, struct provider **out)
{
    const struct catalog_entry *entry;
    struct catalog *cat;
    struct provider *p;
    int err;

    if (!out) return WSAEFAULT;
    *out = NULL;

    /* Fast path: the provider loaded for exactly this entry. */
    p = (struct provider *)module_list_find_if(&loaded, loaded_for_entry, &catalog_id);
    if (p)
    {
        *out = p;
        return 0;
    }

    /* An upcall from a provider thread after the last WSACleanup must not load providers again. */
    if (startup_check())
    {
        TRACE_SPI("provider for catalog entry %lu: not loaded, Winsock not started -> WSAEINVAL",
                  (unsigned long)catalog_id);
        return WSAEINVAL;
    }
    cat = catalog_current();
    if (!cat) return WSAEINVAL;
    entry = catalog_find_id(cat, catalog_id);
    err = entry ? provider_get(entry, out) : WSAEINVAL;
    catalog_release(cat);
    return err;
}

void provider_unload_all(void)
{
    struct loaded_module *list;
    struct provider *p;

    AcquireSRWLockExclusive(&load_lock);
    list = module_list_take_all(&loaded);
    while ((p = (struct provider *)list))
    {
        int err = 0, ret;
        char gtext[GUID_TEXT_SIZE];
        list = p->base.next;
        p->base.next = NULL;
        guid_text(&p->base.id, gtext);
        ret = p->procs.lpWSPCleanup(&err);
        TRACE_SPI("WSPCleanup() [%s, catalog entry %lu] -> %d (error %d)", gtext,
                  (unsigned long)p->catalog_id, ret, err);
        provider_release(p); /* the list's reference: FreeLibrary once no socket holds it */
    }
    ReleaseSRWLockExclusive(&load_lock);
}
