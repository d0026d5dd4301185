/* wsc_namespace.c - the WSC* namespace provider functions: WSCInstallNameSpace(32),
 * WSCInstallNameSpaceEx(32), WSCInstallNameSpaceEx2, WSCUnInstallNameSpace(32),
 * WSCUnInstallNameSpaceEx2, WSCEnableNSProvider(32), WSCWriteNameSpaceOrder(32),
 * WSCEnumNameSpaceProviders32 and WSCEnumNameSpaceProvidersEx32. Argument checks here; each change
 * is a read-modify-write of one registry view of NameSpace_Catalog5 (ns_catalog_load, an edit,
 * ns_catalog_store) under the cross-process catalog lock. The native view is Catalog_Entries64 in
 * the x86_64 DLL and Catalog_Entries in the i686 one; the *32 functions use Catalog_Entries.
 * Entries installed with WSCInstallNameSpaceEx2 are stored like the others and loaded through
 * NSPStartup (openws2 has no NSPv2 loader). Caller memory that cannot be read or written
 * (include/user_ptr.h) is WSAEFAULT, after the documented NULL checks.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "ns_catalog.h"
#include "ns_internal.h"
#include "trace.h"
#include "user_ptr.h"

int WSPAPI WSCInstallNameSpaceEx2(LPGUID lpProviderId, LPWSTR lpszIdentifier, LPWSTR lpszPathName, DWORD dwNameSpace,
                                  DWORD dwVersion, LPBLOB lpProviderInfo);
int WSPAPI WSCUnInstallNameSpaceEx2(LPGUID lpProviderId);
int WSPAPI WSCWriteNameSpaceOrder(LPGUID lpProviderId, DWORD dwNumberOfEntries);
int WSPAPI WSCWriteNameSpaceOrder32(LPGUID lpProviderId, DWORD dwNumberOfEntries);
#ifndef _WIN64
INT WSPAPI WSCInstallNameSpace32(LPWSTR lpszIdentifier, LPWSTR lpszPathName, DWORD dwNameSpace, DWORD dwVersion, LPGUID lpProviderId);
INT WSPAPI WSCUnInstallNameSpace32(LPGUID lpProviderId);
INT WSPAPI WSCEnableNSProvider32(LPGUID lpProviderId, WINBOOL fEnable);
INT WSAAPI WSCEnumNameSpaceProviders32(LPDWORD lpdwBufferLength, LPWSANAMESPACE_INFOW lpnspBuffer);
INT WSPAPI WSCEnumNameSpaceProvidersEx32(LPDWORD lpdwBufferLength, LPWSANAMESPACE_INFOEXW lpnspBuffer);
int WSAAPI WSCInstallNameSpaceEx32(LPWSTR lpszIdentifier, LPWSTR lpszPathName, DWORD dwNameSpace, DWORD dwVersion,
                                   LPGUID lpProviderId, LPBLOB lpProviderInfo);
#endif

typedef int (*edit_fn)(const struct ns_catalog *cat, const void *ctx, struct ns_catalog **out);

/* Loads the view, edits it and stores the result, all under the catalog lock. */
static int edit_view(enum catalog_view view, edit_fn fn, const void *ctx)
{
    struct ns_catalog *cat = NULL, *edited = NULL;
    int err;

    os_catalog_lock();
    if (!(err = ns_catalog_load(view, &cat)) && !(err = fn(cat, ctx, &edited))) err = ns_catalog_store(edited);
    os_catalog_unlock();
    ns_catalog_release(cat);
    ns_catalog_release(edited);
    return err;
}

static int do_install(const struct ns_catalog *cat, const void *ctx, struct ns_catalog **out)
{
    return ns_catalog_edit_install(cat, ctx, out);
}

static int do_remove(const struct ns_catalog *cat, const void *ctx, struct ns_catalog **out)
{
    return ns_catalog_edit_remove(cat, ctx, out);
}

struct enable_ctx { const GUID *id; BOOL enable; };
static int do_enable(const struct ns_catalog *cat, const void *ctx, struct ns_catalog **out)
{
    const struct enable_ctx *c = ctx;
    return ns_catalog_edit_enable(cat, c->id, c->enable, out);
}

struct order_ctx { const GUID *ids; size_t count; };
static int do_order(const struct ns_catalog *cat, const void *ctx, struct ns_catalog **out)
{
    const struct order_ctx *c = ctx;
    return ns_catalog_edit_order(cat, c->ids, c->count, out);
}

static int install(enum catalog_view view, const WCHAR *ident, const WCHAR *path, DWORD ns, DWORD version,
                   const GUID *id, const BLOB *info)
{
    struct ns_catalog_entry e;
    size_t plen, dlen;

    if (!ident || !path || !id) return WSAEINVAL;
    if (!user_wstr_readable(ident) || !user_wstr_readable(path) || !user_readable(id, sizeof(*id)) ||
        (info && !user_readable(info, sizeof(*info))))
        return WSAEFAULT;
    plen = ns_wcsnlen(path, NS_CATALOG_PATH_LEN);
    dlen = ns_wcsnlen(ident, NS_CATALOG_NAME_LEN);
    if (!plen || plen >= NS_CATALOG_PATH_LEN || !dlen || dlen >= NS_CATALOG_NAME_LEN) return WSAEINVAL;
    if (info && ((info->cbSize && !info->pBlobData) || info->cbSize > NS_CATALOG_MAX_INFO)) return WSAEINVAL;
    if (info && !user_readable(info->pBlobData, info->cbSize)) return WSAEFAULT;
    memset(&e, 0, sizeof(e));
    memcpy(e.path, path, (plen + 1) * sizeof(WCHAR));
    memcpy(e.display, ident, (dlen + 1) * sizeof(WCHAR));
    e.id = *id;
    e.name_space = ns;
    e.version = version;
    e.address_family = NS_NO_ADDRESS_FAMILY;
    e.enabled = TRUE;
    e.stores_class_info = FALSE;
    if (info)
    {
        e.has_info = TRUE;
        e.info_len = info->cbSize;
        e.info = info->pBlobData;
    }
    return edit_view(view, do_install, &e);
}

static int api_result(int err)
{
    if (!err) return 0;
    WSASetLastError(err);
    return SOCKET_ERROR;
}

static int install_api(const char *fn, enum catalog_view view, LPWSTR ident, LPWSTR path, DWORD ns, DWORD version,
                       LPGUID id, LPBLOB info)
{
    char g[GUID_TEXT_SIZE];
    int err = install(view, ident, path, ns, version, id, info);
    TRACE_API("%s(lpszIdentifier %p lpszPathName %p dwNameSpace %lu dwVersion %lu lpProviderId %s lpProviderInfo %p) "
              "-> %d (error %d)", fn, (void *)ident, (void *)path, (unsigned long)ns, (unsigned long)version,
              user_guid_text(id, g), (void *)info, err ? SOCKET_ERROR : 0, err);
    return api_result(err);
}

INT WSPAPI WSCInstallNameSpace(LPWSTR lpszIdentifier, LPWSTR lpszPathName, DWORD dwNameSpace, DWORD dwVersion, LPGUID lpProviderId)
{
    return install_api("WSCInstallNameSpace", CATALOG_VIEW_NATIVE, lpszIdentifier, lpszPathName, dwNameSpace, dwVersion,
                       lpProviderId, NULL);
}

INT WSPAPI WSCInstallNameSpace32(LPWSTR lpszIdentifier, LPWSTR lpszPathName, DWORD dwNameSpace, DWORD dwVersion, LPGUID lpProviderId)
{
    return install_api("WSCInstallNameSpace32", CATALOG_VIEW_32, lpszIdentifier, lpszPathName, dwNameSpace, dwVersion,
                       lpProviderId, NULL);
}

int WSAAPI WSCInstallNameSpaceEx(LPWSTR lpszIdentifier, LPWSTR lpszPathName, DWORD dwNameSpace, DWORD dwVersion,
                                 LPGUID lpProviderId, LPBLOB lpProviderInfo)
{
    return install_api("WSCInstallNameSpaceEx", CATALOG_VIEW_NATIVE, lpszIdentifier, lpszPathName, dwNameSpace,
                       dwVersion, lpProviderId, lpProviderInfo);
}

int WSAAPI WSCInstallNameSpaceEx32(LPWSTR lpszIdentifier, LPWSTR lpszPathName, DWORD dwNameSpace, DWORD dwVersion,
                                   LPGUID lpProviderId, LPBLOB lpProviderInfo)
{
    return install_api("WSCInstallNameSpaceEx32", CATALOG_VIEW_32, lpszIdentifier, lpszPathName, dwNameSpace,
                       dwVersion, lpProviderId, lpProviderInfo);
}

int WSPAPI WSCInstallNameSpaceEx2(LPGUID lpProviderId, LPWSTR lpszIdentifier, LPWSTR lpszPathName, DWORD dwNameSpace,
                                  DWORD dwVersion, LPBLOB lpProviderInfo)
{
    return install_api("WSCInstallNameSpaceEx2", CATALOG_VIEW_NATIVE, lpszIdentifier, lpszPathName, dwNameSpace,
                       dwVersion, lpProviderId, lpProviderInfo);
}

static int uninstall_api(const char *fn, enum catalog_view view, LPGUID id)
{
    char g[GUID_TEXT_SIZE];
    int err = !id ? WSAEINVAL : !user_readable(id, sizeof(*id)) ? WSAEFAULT : edit_view(view, do_remove, id);
    TRACE_API("%s(lpProviderId %s) -> %d (error %d)", fn, user_guid_text(id, g), err ? SOCKET_ERROR : 0, err);
    return api_result(err);
}

INT WSPAPI WSCUnInstallNameSpace(LPGUID lpProviderId)
{
    return uninstall_api("WSCUnInstallNameSpace", CATALOG_VIEW_NATIVE, lpProviderId);
}

INT WSPAPI WSCUnInstallNameSpace32(LPGUID lpProviderId)
{
    return uninstall_api("WSCUnInstallNameSpace32", CATALOG_VIEW_32, lpProviderId);
}

int WSPAPI WSCUnInstallNameSpaceEx2(LPGUID lpProviderId)
{
    return uninstall_api("WSCUnInstallNameSpaceEx2", CATALOG_VIEW_NATIVE, lpProviderId);
}

static int enable_api(const char *fn, enum catalog_view view, LPGUID id, WINBOOL enable)
{
    struct enable_ctx c = {id, enable ? TRUE : FALSE};
    char g[GUID_TEXT_SIZE];
    int err = !id ? WSAEINVAL : !user_readable(id, sizeof(*id)) ? WSAEFAULT : edit_view(view, do_enable, &c);
    TRACE_API("%s(lpProviderId %s fEnable %d) -> %d (error %d)", fn, user_guid_text(id, g), enable, err ? SOCKET_ERROR : 0, err);
    return api_result(err);
}

INT WSPAPI WSCEnableNSProvider(LPGUID lpProviderId, WINBOOL fEnable)
{
    return enable_api("WSCEnableNSProvider", CATALOG_VIEW_NATIVE, lpProviderId, fEnable);
}

INT WSPAPI WSCEnableNSProvider32(LPGUID lpProviderId, WINBOOL fEnable)
{
    return enable_api("WSCEnableNSProvider32", CATALOG_VIEW_32, lpProviderId, fEnable);
}

/* WSCWriteNameSpaceOrder returns the error itself (0 on success), as WSCWriteProviderOrder does. */
static int order_api(const char *fn, enum catalog_view view, LPGUID ids, DWORD count)
{
    struct order_ctx c = {ids, count};
    int err = (!ids || !count) ? WSAEINVAL
              : !user_array_readable(ids, count, sizeof(*ids)) ? WSAEFAULT : edit_view(view, do_order, &c);
    TRACE_API("%s(lpProviderId %p dwNumberOfEntries %lu) -> %d", fn, (void *)ids, (unsigned long)count, err);
    return err;
}

int WSPAPI WSCWriteNameSpaceOrder(LPGUID lpProviderId, DWORD dwNumberOfEntries)
{
    return order_api("WSCWriteNameSpaceOrder", CATALOG_VIEW_NATIVE, lpProviderId, dwNumberOfEntries);
}

int WSPAPI WSCWriteNameSpaceOrder32(LPGUID lpProviderId, DWORD dwNumberOfEntries)
{
    return order_api("WSCWriteNameSpaceOrder32", CATALOG_VIEW_32, lpProviderId, dwNumberOfEntries);
}

static INT enum32_api(const char *fn, BOOL ex, LPDWORD len, void *buffer)
{
    BOOL len_ok = len && user_writable(len, sizeof(*len));
    DWORD in = len_ok ? *len : 0;
    int ret = ns_enum_fill(CATALOG_VIEW_32, FALSE, ex, len, buffer);
    TRACE_API("%s(lpdwBufferLength %p [%lu -> %lu] lpnspBuffer %p) -> %d (error %d)", fn, (void *)len, (unsigned long)in,
              len_ok ? (unsigned long)*len : 0ul, buffer, ret < 0 ? SOCKET_ERROR : ret, ret < 0 ? -ret : 0);
    if (ret < 0) return api_result(-ret);
    return ret;
}

INT WSAAPI WSCEnumNameSpaceProviders32(LPDWORD lpdwBufferLength, LPWSANAMESPACE_INFOW lpnspBuffer)
{
    return enum32_api("WSCEnumNameSpaceProviders32", FALSE, lpdwBufferLength, lpnspBuffer);
}

INT WSPAPI WSCEnumNameSpaceProvidersEx32(LPDWORD lpdwBufferLength, LPWSANAMESPACE_INFOEXW lpnspBuffer)
{
    return enum32_api("WSCEnumNameSpaceProvidersEx32", TRUE, lpdwBufferLength, lpnspBuffer);
}
