/* nsp_loader.c - the namespace provider loader (include/nsp_loader.h): the process' list of loaded
 * NSPs, one per provider GUID; loading (LibraryPath with environment strings expanded, LoadLibrary,
 * NSPStartup(lpProviderId, NSP_ROUTINE)), validation of the returned table (cbSize at least the
 * pre-XP size, dwMajorVersion set, every routine present; NSPIoctl when the table has it), and NSPCleanup +
 * FreeLibrary at the last WSACleanup. Loads are serialised by one lock.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdio.h>
#include <stdlib.h>
#include "ns_advertise.h"
#include "module_list.h"
#include "nsp_loader.h"
#include "guid_text.h"
#include "trace.h"

static CRITICAL_SECTION load_cs;
static INIT_ONCE load_once = INIT_ONCE_STATIC_INIT;
static struct module_list loaded = MODULE_LIST_INIT;

static BOOL CALLBACK init_load_cs(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once;
    (void)param;
    (void)ctx;
    InitializeCriticalSection(&load_cs);
    return TRUE;
}

void nsp_release(struct nsp_provider *p)
{
    if (p) module_release(&p->base);
}

/* The table NSPStartup filled: a larger buffer than NSP_ROUTINE, so a provider that believes in a
 * bigger structure cannot write past it. */
#define NSP_TABLE_SLACK 256
union nsp_table
{
    NSP_ROUTINE r;
    unsigned char bytes[sizeof(NSP_ROUTINE) + NSP_TABLE_SLACK];
};

static int check_table(const NSP_ROUTINE *r, const char *gtext)
{
    if (r->cbSize < NSP_ROUTINE_SIZE_V1 || r->cbSize > sizeof(union nsp_table))
    {
        TRACE_SPI("nsp %s: NSP_ROUTINE cbSize %lu out of range -> WSAEINVALIDPROCTABLE", gtext, (unsigned long)r->cbSize);
        return WSAEINVALIDPROCTABLE;
    }
    if (r->dwMajorVersion == 0)
    {
        TRACE_SPI("nsp %s: NSP_ROUTINE version %lu.%lu -> WSAVERNOTSUPPORTED", gtext,
                  (unsigned long)r->dwMajorVersion, (unsigned long)r->dwMinorVersion);
        return WSAVERNOTSUPPORTED;
    }
    if (!r->NSPCleanup || !r->NSPLookupServiceBegin || !r->NSPLookupServiceNext || !r->NSPLookupServiceEnd ||
        !r->NSPSetService || !r->NSPInstallServiceClass || !r->NSPRemoveServiceClass || !r->NSPGetServiceClassInfo ||
        (r->cbSize >= sizeof(NSP_ROUTINE) && !r->NSPIoctl))
    {
        TRACE_SPI("nsp %s: NSP_ROUTINE has a NULL routine -> WSAEINVALIDPROCTABLE", gtext);
        return WSAEINVALIDPROCTABLE;
    }
    return 0;
}

/* Called with load_cs held. */
static int load(const struct ns_catalog_entry *entry, struct nsp_provider **out)
{
    WCHAR path[MAX_PATH + 1];
    char gtext[GUID_TEXT_SIZE];
    LPNSPSTARTUP startup;
    union nsp_table table;
    struct nsp_provider *p;
    GUID id = entry->id;
    DWORD n;
    int ret, err;

    guid_text(&entry->id, gtext);
    n = ExpandEnvironmentStringsW(entry->path, path, MAX_PATH + 1);
    if (!n || n > MAX_PATH + 1)
    {
        TRACE_SPI("nsp %s: LibraryPath does not expand within MAX_PATH -> WSAEPROVIDERFAILEDINIT", gtext);
        return WSAEPROVIDERFAILEDINIT;
    }
    if (!(p = calloc(1, sizeof(*p)))) return WSA_NOT_ENOUGH_MEMORY;
    p->base.refs = 1;
    p->base.kind = "nsp";
    p->base.id = entry->id;
    p->name_space = entry->name_space;
    if (!(p->base.module = LoadLibraryW(path)))
    {
        TRACE_SPI("nsp %s: LoadLibrary(%ls) failed (error %lu) -> WSAEPROVIDERFAILEDINIT", gtext, path, GetLastError());
        free(p);
        return WSAEPROVIDERFAILEDINIT;
    }
    if (!(startup = (LPNSPSTARTUP)(void *)GetProcAddress(p->base.module, "NSPStartup")))
    {
        TRACE_SPI("nsp %s: %ls exports no NSPStartup -> WSAEPROVIDERFAILEDINIT", gtext, path);
        FreeLibrary(p->base.module);
        free(p);
        return WSAEPROVIDERFAILEDINIT;
    }
    memset(&table, 0, sizeof(table));
    table.r.cbSize = sizeof(NSP_ROUTINE);
    SetLastError(0);
    ret = startup(&id, &table.r);
    err = (int)GetLastError();
    TRACE_SPI("NSPStartup(%s) [%ls] -> %d (error %d, cbSize %lu version %lu.%lu)", gtext, path, ret, ret ? err : 0,
              (unsigned long)table.r.cbSize, (unsigned long)table.r.dwMajorVersion, (unsigned long)table.r.dwMinorVersion);
    if (ret != 0)
    {
        FreeLibrary(p->base.module);
        free(p);
        return err ? err : WSAEPROVIDERFAILEDINIT;
    }
    if ((err = check_table(&table.r, gtext)))
    {
        /* A provider that started must be cleaned up even when we refuse its table. */
        if (table.r.cbSize >= NSP_ROUTINE_SIZE_V1 && table.r.NSPCleanup)
        {
            ret = table.r.NSPCleanup(&id);
            TRACE_SPI("NSPCleanup(%s) -> %d (table refused)", gtext, ret);
        }
        FreeLibrary(p->base.module);
        free(p);
        return err;
    }
    memcpy(&p->routines, &table.r, table.r.cbSize < sizeof(NSP_ROUTINE) ? table.r.cbSize : sizeof(NSP_ROUTINE));
    if (table.r.cbSize < sizeof(NSP_ROUTINE)) p->routines.NSPIoctl = NULL;
    *out = p;
    return 0;
}

int nsp_get(const struct ns_catalog_entry *entry, struct nsp_provider **out)
{
    struct nsp_provider *p;
    int err;

    *out = NULL;
    if (!entry) return WSAEFAULT;
    p = (struct nsp_provider *)module_list_find(&loaded, &entry->id);
    if (p)
    {
        *out = p;
        return 0;
    }

    InitOnceExecuteOnce(&load_once, init_load_cs, NULL, NULL);
    if (module_list_loading_here(&loaded)) return WSAEPROVIDERFAILEDINIT; /* NSPStartup asking for itself */
    EnterCriticalSection(&load_cs);
    module_list_set_loading(&loaded, TRUE);
    p = (struct nsp_provider *)module_list_find(&loaded, &entry->id);
    err = 0;
    if (!p && !(err = load(entry, &p))) module_list_add(&loaded, &p->base);
    module_list_set_loading(&loaded, FALSE);
    LeaveCriticalSection(&load_cs);
    if (!err) *out = p;
    return err;
}

void nsp_unload_all(void)
{
    struct loaded_module *list;
    struct nsp_provider *p;

    ns_lookup_close_all();
    nspv2_cleanup_all();
    InitOnceExecuteOnce(&load_once, init_load_cs, NULL, NULL);
    EnterCriticalSection(&load_cs);
    list = module_list_take_all(&loaded);
    LeaveCriticalSection(&load_cs);
    while ((p = (struct nsp_provider *)list))
    {
        char gtext[GUID_TEXT_SIZE];
        GUID id = p->base.id;
        int ret;

        list = p->base.next;
        guid_text(&id, gtext);
        ret = p->routines.NSPCleanup(&id);
        TRACE_SPI("NSPCleanup(%s) -> %d", gtext, ret);
        nsp_release(p);
    }
}
