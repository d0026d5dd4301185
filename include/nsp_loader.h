/* nsp_loader.h - the namespace provider (NSP) loader: one loaded provider per provider GUID, reference
 * counted. LibraryPath expanded, LoadLibrary, NSPStartup, validation of the returned NSP_ROUTINE
 * (cbSize, dwMajorVersion, every routine present); NSPCleanup and FreeLibrary at the last WSACleanup.
 * DLL build only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NSP_LOADER_H
#define OPENWS2_NSP_LOADER_H

#include "ws2_common.h"
#include "ns_catalog.h"
#include "module_list.h"

/* NSP_ROUTINE as it was before Windows XP added NSPIoctl: the smallest table accepted. */
#define NSP_ROUTINE_SIZE_V1 offsetof(NSP_ROUTINE, NSPIoctl)

struct nsp_provider
{
    struct loaded_module base; /* first (module_list.h): refs, NSProviderId, HMODULE, list link */
    DWORD name_space;      /* SupportedNameSpace of the entry it was loaded for */
    NSP_ROUTINE routines;  /* validated; NSPIoctl is NULL for a pre-XP sized table */
};

/* Loads (or references the already loaded) provider of entry. Returns 0 or WSAEPROVIDERFAILEDINIT
 * (DLL missing, no NSPStartup, NSPStartup failed without an error of its own), the error NSPStartup
 * reported, WSAEINVALIDPROCTABLE (a routine missing, cbSize out of range) or WSAVERNOTSUPPORTED
 * (dwMajorVersion 0: the table was not filled in). Providers report various versions (2.x for the
 * Winsock 2 SPI, 4.x for newer ones): any nonzero major version is accepted. */
int nsp_get(const struct ns_catalog_entry *entry, struct nsp_provider **out);
void nsp_release(struct nsp_provider *p);
/* Last WSACleanup: ends every open lookup (ns_lookup_close_all), then NSPCleanup on every loaded
 * provider; each is freed (FreeLibrary) once its last reference is gone. */
void nsp_unload_all(void);
/* Ends every lookup handle still open (src/namespace/ns_lookup_api.c). */
void ns_lookup_close_all(void);

#endif
