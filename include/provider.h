/* provider.h - the transport provider loader: one loaded provider per provider GUID, reference
 * counted. Finds the DLL through WPUGetProviderPath (environment strings expanded), LoadLibrary,
 * WSPStartup with version negotiation and the upcall table, validation of the returned
 * WSPPROC_TABLE; WSPCleanup and FreeLibrary when the last WSACleanup unloads it. DLL build only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_PROVIDER_H
#define OPENWS2_PROVIDER_H

#include "ws2_common.h"
#include "catalog.h"
#include "module_list.h"

struct provider
{
    struct loaded_module base; /* first (module_list.h): refs, ProviderId, HMODULE, list link */
    DWORD catalog_id;        /* the entry WSPStartup was called with */
    WSAPROTOCOL_INFOW info;  /* that entry's protocol info */
    WORD version;            /* negotiated WSPDATA.wVersion */
    WSPDATA data;
    WSPPROC_TABLE procs;     /* validated: every entry non-NULL (the I/O entries wrapped, nonifs.h) */
    WSPPROC_TABLE provider_procs; /* the table exactly as WSPStartup returned it */
};

/* Loads (or references the already loaded) provider for entry. Returns 0 or a WSA error:
 * WSAEPROVIDERFAILEDINIT (DLL missing, no WSPStartup, WSPStartup failed), WSAEINVALIDPROCTABLE
 * (incomplete table), WSAVERNOTSUPPORTED ... */
int provider_get(const struct catalog_entry *entry, struct provider **out);
/* Referenced provider that serves catalog entry catalog_id (loading it if needed), for upcalls. */
int provider_get_by_catalog_id(DWORD catalog_id, struct provider **out);
struct provider *provider_ref(struct provider *p);
void provider_release(struct provider *p);
/* Calls WSPCleanup on every loaded provider and unloads it (last WSACleanup). */
void provider_unload_all(void);

#endif
