/* catalog.h - the protocol catalog (Protocol_Catalog9): its in-memory form, Windows' registry format
 * (PackedCatalogItem = 260-byte ANSI DLL path + WSAPROTOCOL_INFOW), the embedded default catalog,
 * change detection (Serial_Access_Num) and provider selection for WSASocket.
 * Portable: builds in the DLL and in the host unit tests (registry through os.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_CATALOG_H
#define OPENWS2_CATALOG_H

#include "ws2_common.h"

#define WINSOCK2_PARAMETERS_KEY "System\\CurrentControlSet\\Services\\WinSock2\\Parameters"
#define PROTOCOL_CATALOG_KEY WINSOCK2_PARAMETERS_KEY "\\Protocol_Catalog9"
#define CATALOG_PATH_SIZE 260
#define PACKED_CATALOG_ITEM_SIZE (CATALOG_PATH_SIZE + sizeof(WSAPROTOCOL_INFOW)) /* 888 */
#define CATALOG_FIRST_ENTRY_ID 1001

/* Which registry view: Catalog_Entries (32-bit programs, and the only one on 32-bit systems) or
 * Catalog_Entries64 (64-bit programs on 64-bit Windows). */
enum catalog_view { CATALOG_VIEW_32 = 0, CATALOG_VIEW_64 = 1 };
#if defined(_WIN64) || (defined(OPENWS2_HOST) && defined(__x86_64__))
# define CATALOG_VIEW_NATIVE CATALOG_VIEW_64
#else
# define CATALOG_VIEW_NATIVE CATALOG_VIEW_32
#endif

/* Name of the base transport provider DLL the default catalog points at (issue 3 ships it). */
#ifndef OPENWS2_BASE_PROVIDER_PATH
# define OPENWS2_BASE_PROVIDER_PATH "%SystemRoot%\\system32\\openws2afd.dll"
#endif

struct catalog_entry
{
    char path[CATALOG_PATH_SIZE]; /* NUL-terminated ANSI path as stored (may hold %VARIABLES%) */
    WSAPROTOCOL_INFOW info;       /* info.dwCatalogEntryId is the entry's id */
};

/* An immutable, reference-counted snapshot of one view of the catalog. */
struct catalog
{
    LONG refs;
    enum catalog_view view;
    DWORD serial;       /* Serial_Access_Num it was read at (0: embedded default) */
    DWORD next_id;      /* Next_Catalog_Entry_ID */
    BOOL from_registry; /* FALSE: the embedded default */
    size_t count;
    struct catalog_entry *entries; /* in catalog order */
};

/* Blob <-> entry. unpack returns 0 or WSAEINVAL for a blob that must not be trusted (wrong size,
 * unterminated path or protocol name, chain length out of range, bad address lengths ...). */
int catalog_item_unpack(const void *blob, size_t len, struct catalog_entry *out);
void catalog_item_pack(const struct catalog_entry *entry, unsigned char out[PACKED_CATALOG_ITEM_SIZE]);

/* The embedded default catalog (TCP, UDP, RAW over IPv4 and IPv6 on the base provider). */
struct catalog *catalog_default(enum catalog_view view);
/* Reads a view from the registry; falls back to the embedded default when it holds no usable entry.
 * Corrupt entries are skipped with a trace. Returns 0 or a WSA error. */
int catalog_load(enum catalog_view view, struct catalog **out);
/* Writes a whole view (entries, Num_Catalog_Entries, Next_Catalog_Entry_ID) and increments
 * Serial_Access_Num, under the cross-process catalog lock. Returns 0 or a WSA error. */
int catalog_store(const struct catalog *cat);
/* Reads Serial_Access_Num (0 when absent). */
DWORD catalog_read_serial(void);

struct catalog *catalog_ref(struct catalog *cat);
void catalog_release(struct catalog *cat);

/* The process' current snapshot of the native view, reloaded when Serial_Access_Num changed.
 * Referenced: release with catalog_release. Never NULL (falls back to the default). */
struct catalog *catalog_current(void);
/* Drops the process' cached snapshot (last WSACleanup). */
void catalog_current_reset(void);

const struct catalog_entry *catalog_find_id(const struct catalog *cat, DWORD catalog_id);
/* First entry whose ProviderId is *id (the transport catalog, for WPUGetProviderPath). */
const struct catalog_entry *catalog_find_provider(const struct catalog *cat, const GUID *id);

/* Chooses the entry WSASocket uses, as Windows does: with info, the entry named by
 * info->dwCatalogEntryId (or else its ProviderId + protocol triple); otherwise the first visible
 * entry in catalog order matching af/type/protocol (0 = wildcard, PFL_MATCHES_PROTOCOL_ZERO,
 * protocol ranges via iProtocolMaxOffset). Returns 0 or WSAEAFNOSUPPORT / WSAESOCKTNOSUPPORT /
 * WSAEPROTONOSUPPORT / WSAEPROTOTYPE / WSAEINVAL as Windows. */
int catalog_select(const struct catalog *cat, int af, int type, int protocol,
                   const WSAPROTOCOL_INFOW *info, const struct catalog_entry **out);

#endif
