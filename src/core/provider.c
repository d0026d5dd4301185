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

static SRWLOCK list_lock = SRWLOCK_INIT;   /* guards loaded */
static SRWLOCK load_lock = SRWLOCK_INIT;   /* serialises loads and unload_all */
static struct provider *loaded;
/* The thread currently inside a load (a provider's WSPStartup that recursively asks for itself is
 * refused instead of deadlocking). */
static volatile DWORD loading_thread;

static struct provider *find_locked(const GUID *id)
{
    struct provider *p;
    for (p = loaded; p; p = p->next)
        if (!memcmp(&p->id, id, sizeof(*id))) return p;
    return NULL;
}

struct provider *provider_ref(struct provider *p)
{
    if (p) InterlockedIncrement(&p->refs);
    return p;
}

void provider_release(struct provider *p)
{
    if (!p) return;
    if (InterlockedDecrement(&p->refs) == 0)
    {
        TRACE_SPI("provider %p (catalog entry %lu): FreeLibrary(%p)", (void *)p,
                  (unsigned long)p->catalog_id, (void *)p->module);
        if (p->module) FreeLibrary(p->module);
        free(p);
    }
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
    p->refs = 1;
    p->id = entry->info.ProviderId;
    p->catalog_id = entry->info.dwCatalogEntryId;
    p->info = entry->info;

    p->module = LoadLibraryW(path);
    if (!p->module)
    {
        TRACE_SPI("load %s: LoadLibrary(%ls) failed (error %lu) -> WSAEPROVIDERFAILEDINIT", gtext, path,
                  GetLastError());
        free(p);
        return WSAEPROVIDERFAILEDINIT;
    }
    startup = (LPWSPSTARTUP)(void *)GetProcAddress(p->module, "WSPStartup");
    if (!startup)
    {
        TRACE_SPI("load %s: %ls exports no WSPStartup -> WSAEPROVIDERFAILEDINIT", gtext, path);
        FreeLibrary(p->module);
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
        FreeLibrary(p->module);
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
        FreeLibrary(p->module);
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

    AcquireSRWLockShared(&list_lock);
    p = provider_ref(find_locked(&entry->info.ProviderId));
    ReleaseSRWLockShared(&list_lock);
    if (p)
    {
        *out = p;
        return 0;
    }

    if (loading_thread == GetCurrentThreadId())
    {
        TRACE_SPI("provider_get(catalog entry %lu): recursive load from a WSPStartup -> WSAEPROVIDERFAILEDINIT",
                  (unsigned long)entry->info.dwCatalogEntryId);
        return WSAEPROVIDERFAILEDINIT;
    }

    AcquireSRWLockExclusive(&load_lock);
    loading_thread = GetCurrentThreadId();
    /* Another thread may have loaded it while we waited. */
    AcquireSRWLockShared(&list_lock);
    p = provider_ref(find_locked(&entry->info.ProviderId));
    ReleaseSRWLockShared(&list_lock);
    err = 0;
    if (!p && !(err = load_provider(entry, &p)))
    {
        AcquireSRWLockExclusive(&list_lock);
        p->next = loaded;
        loaded = p;          /* the list keeps the initial reference */
        provider_ref(p);     /* and the caller gets one */
        ReleaseSRWLockExclusive(&list_lock);
    }
    loading_thread = 0;
    ReleaseSRWLockExclusive(&load_lock);
    if (err) return err;
    *out = p;
    return 0;
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
    AcquireSRWLockShared(&list_lock);
    for (p = loaded; p; p = p->next)
        if (p->catalog_id == catalog_id) break;
    p = provider_ref(p);
    ReleaseSRWLockShared(&list_lock);
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
    struct provider *list, *p;

    AcquireSRWLockExclusive(&load_lock);
    AcquireSRWLockExclusive(&list_lock);
    list = loaded;
    loaded = NULL;
    ReleaseSRWLockExclusive(&list_lock);
    while ((p = list))
    {
        int err = 0, ret;
        char gtext[GUID_TEXT_SIZE];
        list = p->next;
        p->next = NULL;
        guid_text(&p->id, gtext);
        ret = p->procs.lpWSPCleanup(&err);
        TRACE_SPI("WSPCleanup() [%s, catalog entry %lu] -> %d (error %d)", gtext,
                  (unsigned long)p->catalog_id, ret, err);
        provider_release(p); /* the list's reference: FreeLibrary once no socket holds it */
    }
    ReleaseSRWLockExclusive(&load_lock);
}
