/* ns_catalog.h - the namespace catalog (NameSpace_Catalog5): its in-memory form, Windows' registry
 * format (Catalog_Entries / Catalog_Entries64, one subkey 000000000001 ... per provider in catalog
 * order, values LibraryPath, DisplayString, ProviderId, SupportedNameSpace, Enabled, Version,
 * StoresServiceClassInfo, optional AddressFamily and ProviderInfo; Num_Catalog_Entries(64) and
 * Serial_Access_Num on the catalog key), the embedded default (openws2nsp.dll serving NS_DNS under
 * Windows' Tcpip namespace provider id, and NS_NLA under Windows' NLA provider id), edits for the
 * WSC*NameSpace* functions and change detection.
 * Portable: builds in the DLL and in the host unit tests (registry through os.h and the wide-string
 * value seam below).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NS_CATALOG_H
#define OPENWS2_NS_CATALOG_H

#include "os.h"
#include "catalog.h"

#define NAMESPACE_CATALOG_KEY WINSOCK2_PARAMETERS_KEY "\\NameSpace_Catalog5"
#define NS_CATALOG_PATH_LEN 260      /* WCHARs, terminator included (MAX_PATH) */
#define NS_CATALOG_NAME_LEN 256      /* WCHARs of a display string, terminator included */
#define NS_CATALOG_MAX_ENTRIES 1024  /* never believe more */
#define NS_CATALOG_MAX_INFO 65536    /* largest ProviderInfo blob accepted */
#define NS_NO_ADDRESS_FAMILY (-1)    /* no AddressFamily value */

#ifndef OPENWS2_NSP_PROVIDER_PATH
# define OPENWS2_NSP_PROVIDER_PATH "%SystemRoot%\\system32\\openws2nsp.dll"
#endif

/* Windows' Tcpip namespace provider (NS_DNS): {22059D40-7E9E-11CF-AE5A-00AA00A7112B}. */
extern const GUID ns_tcpip_provider_id;
/* Windows' Network Location Awareness provider (NS_NLA), NLA_NAMESPACE_GUID:
 * {6642243A-3BA8-4AA6-BAA5-2E0BD71FDD83}, display string "Network Location Awareness Legacy (NLAv1)
 * Namespace" (served by openws2nsp.dll too). */
extern const GUID ns_nla_provider_id;
#define NS_NLA_DISPLAY_STRING "Network Location Awareness Legacy (NLAv1) Namespace"

struct ns_catalog_entry
{
    WCHAR path[NS_CATALOG_PATH_LEN];    /* LibraryPath as stored (may hold %VARIABLES%) */
    WCHAR display[NS_CATALOG_NAME_LEN]; /* DisplayString */
    GUID id;                            /* ProviderId */
    DWORD name_space;                   /* SupportedNameSpace (NS_*) */
    DWORD version;                      /* Version */
    LONG address_family;                /* AddressFamily, NS_NO_ADDRESS_FAMILY when absent */
    BOOL enabled;                       /* Enabled */
    BOOL stores_class_info;             /* StoresServiceClassInfo */
    BOOL has_info;                      /* a ProviderInfo value exists (possibly empty) */
    DWORD info_len;
    unsigned char *info;                /* ProviderInfo bytes (owned by the catalog) */
};

/* An immutable, reference-counted snapshot of one view. */
struct ns_catalog
{
    LONG refs;
    enum catalog_view view;
    DWORD serial;       /* NameSpace_Catalog5\Serial_Access_Num it was read at */
    BOOL from_registry; /* FALSE: the embedded default */
    size_t count;
    struct ns_catalog_entry *entries; /* in catalog order */
};

/* ---- wide-string registry values (src/namespace/ns_catalog_wstr_win32.c in the DLL; the host tests provide
 * their own): REG_SZ / REG_EXPAND_SZ in UTF-16, *len in bytes as RegQueryValueExW. ---- */
LONG ns_reg_get_wstr(os_regkey *key, const char *name, DWORD *type, WCHAR *data, DWORD *len);
LONG ns_reg_set_wstr(os_regkey *key, const char *name, DWORD type, const WCHAR *str);

/* ---- wide-string helpers on WCHAR (16-bit in both builds) ---- */
size_t ns_wcslen(const WCHAR *s);
size_t ns_wcsnlen(const WCHAR *s, size_t max);
int ns_wcscmp(const WCHAR *a, const WCHAR *b);
/* Copies an ASCII string into out (size WCHARs). */
void ns_ascii_to_wide(const char *s, WCHAR *out, size_t size);

/* ---- snapshots ---- */
struct ns_catalog *ns_catalog_new(enum catalog_view view, size_t count);
struct ns_catalog *ns_catalog_ref(struct ns_catalog *cat);
void ns_catalog_release(struct ns_catalog *cat);
const struct ns_catalog_entry *ns_catalog_find(const struct ns_catalog *cat, const GUID *id);
/* 0 when an entry may be stored (terminated non-empty path and display string, info size sane),
 * else WSAEINVAL. */
int ns_catalog_entry_check(const struct ns_catalog_entry *e);

/* ---- the embedded default (src/namespace/ns_catalog_default.c) ---- */
struct ns_catalog *ns_catalog_default(enum catalog_view view);
/* Writes the embedded default to both views (`ws2catalog reset`). Returns 0 or a WSA error. */
int ns_catalog_reset_default(void);

/* ---- registry (src/namespace/ns_catalog_registry.c) ---- */
/* Reads a view; the embedded default when the view holds no usable entry and no Num_Catalog_Entries
 * value says the view is deliberately empty. Corrupt entries are skipped with a trace. 0 or WSA error. */
int ns_catalog_load(enum catalog_view view, struct ns_catalog **out);
/* Writes a whole view and its count, then increments Serial_Access_Num, under the catalog lock. */
int ns_catalog_store(const struct ns_catalog *cat);
DWORD ns_catalog_read_serial(void);

/* ---- edits (src/namespace/ns_catalog.c); each makes a new snapshot in *out, the input is unchanged ---- */
/* WSANO_RECOVERY when the id is already installed (Windows' error), WSAEINVAL for a malformed entry. */
int ns_catalog_edit_install(const struct ns_catalog *cat, const struct ns_catalog_entry *entry, struct ns_catalog **out);
/* WSAEINVAL when the id is not installed. */
int ns_catalog_edit_remove(const struct ns_catalog *cat, const GUID *id, struct ns_catalog **out);
int ns_catalog_edit_enable(const struct ns_catalog *cat, const GUID *id, BOOL enable, struct ns_catalog **out);
/* ids must name every installed provider exactly once: WSAEINVAL otherwise. */
int ns_catalog_edit_order(const struct ns_catalog *cat, const GUID *ids, size_t count, struct ns_catalog **out);

/* ---- the process' current snapshot of the native view (src/namespace/ns_catalog_current.c) ---- */
/* Referenced (release it); reloaded when Serial_Access_Num changed. Never NULL unless memory ran out. */
struct ns_catalog *ns_catalog_current(void);
void ns_catalog_current_reset(void);

#endif
