/* catalog_edit.h - changes to a catalog snapshot (the portable core of the WSC* provider
 * installation functions) and the enumeration filter shared by WSAEnumProtocols and
 * WSCEnumProtocols. Every edit takes a snapshot and makes a new one (refs 1, same view) or fails with
 * the WSA error Windows documents for the function it implements; nothing is written to the
 * registry here (catalog_store does that). Portable.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_CATALOG_EDIT_H
#define OPENWS2_CATALOG_EDIT_H

#include "catalog.h"

/* WSCInstallProvider: appends the entries (ProviderId set to *provider, new catalog ids). path is the
 * ANSI DLL path as stored. WSAEINVAL for bad arguments, WSANO_RECOVERY when the provider is already
 * installed, WSA_NOT_ENOUGH_MEMORY. */
int catalog_edit_install(const struct catalog *cat, const GUID *provider, const char *path,
                         const WSAPROTOCOL_INFOW *list, size_t count, struct catalog **out);
/* WSCDeinstallProvider: removes every entry of the provider. WSAEINVAL when it has none. */
int catalog_edit_deinstall(const struct catalog *cat, const GUID *provider, struct catalog **out);
/* WSCUpdateProvider: replaces the provider's entries' protocol info and path, keeping their catalog
 * ids and places. list[i] names the entry it replaces by dwCatalogEntryId; when the ids name no entry
 * of the provider, the list must hold exactly one info per entry, in catalog order. WSAEINVAL. */
int catalog_edit_update(const struct catalog *cat, const GUID *provider, const char *path,
                        const WSAPROTOCOL_INFOW *list, size_t count, struct catalog **out);
/* WSCWriteProviderOrder: ids must name every entry exactly once. WSAEINVAL. */
int catalog_edit_order(const struct catalog *cat, const DWORD *ids, size_t count, struct catalog **out);
/* WSCInstallProviderAndChains: a hidden layered entry (ChainLen 0, ProviderId *provider, name
 * lsp_name, service flags service_flags) plus one protocol chain [hidden, target...] over each target.
 * As Windows (docs/CATALOG.md): the hidden entry is the only entry carrying *provider; chain i
 * carries chain_ids[i] (the caller makes them unique: Windows generates a GUID per chain entry);
 * ids: the hidden entry first (*dummy_id), then the chains in target order; order: the chains first,
 * the old entries, the hidden entry last (where WSCInstallProvider would have appended it).
 * Targets: the top-most entry for each listed (af, type, protocol) triple, or with list NULL every
 * base entry with a distinct triple. WSAEINVAL (bad arguments, provider id or name already
 * installed, no entry for a listed triple), WSANO_RECOVERY (no base provider, MAX_PROTOCOL_CHAIN
 * exceeded, fewer than one chain GUID per target, a chain GUID already in the catalog). */
int catalog_edit_install_chains(const struct catalog *cat, const GUID *provider, const char *path,
                                const WCHAR *lsp_name, DWORD service_flags, const WSAPROTOCOL_INFOW *list,
                                size_t count, const GUID *chain_ids, size_t nchain_ids, DWORD *dummy_id,
                                struct catalog **out);

/* WSAEnumProtocols / WSCEnumProtocols filter: does the entry belong in the result? visible_only
 * (WSAEnumProtocols) drops hidden (PFL_HIDDEN) and layered (ChainLen 0) entries; protocols is NULL
 * or a 0-terminated list of protocol numbers (an entry matches one inside its
 * iProtocol .. iProtocol + iProtocolMaxOffset range). */
BOOL catalog_enum_match(const WSAPROTOCOL_INFOW *info, const INT *protocols, BOOL visible_only);

#endif
