/* ns_service_api.c - WSASetServiceA/W, WSAInstallServiceClassA/W, WSARemoveServiceClass,
 * WSAGetServiceClassInfoA/W and WSAGetServiceClassNameByClassIdA/W, routed to the namespace providers
 * of the catalog: WSASetService to the provider named by lpNSProviderId or to the enabled providers of
 * dwNameSpace (all of them for NS_ALL); the service-class functions to every enabled provider (install
 * and remove succeed when one provider did), WSAGetServiceClassInfo to the provider named, and
 * WSAGetServiceClassNameByClassId to the first enabled provider that knows the class. ANSI forms
 * convert through ns_queryset.c; a short buffer gives WSAEFAULT with the size needed. A provider
 * advertised with WSAAdvertiseProvider (NSPv2) gets WSASetService through NSPv2SetServiceEx; NSPv2
 * has no service-class routines (WSAEOPNOTSUPP from it). Caller memory is probed before use
 * (include/user_ptr.h; query sets and class descriptions in depth, include/ns_queryset_ptr.h): a bad
 * pointer is WSAEFAULT after the documented NULL / WSAEINVAL checks, never a crash in a provider.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "ns_advertise.h"
#include "ns_catalog.h"
#include "ns_internal.h"
#include "ns_queryset.h"
#include "ns_queryset_ptr.h"
#include "nsp_loader.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

/* The first buffer for a provider's service class description (grown to what it asks for, up to
 * NS_RESULT_SIZE_MAX). */
#define CLASS_INFO_FIRST_SIZE 1024

/* Calls fn for each enabled entry selected by (id, name_space); returns 0 when one call succeeded,
 * else the first error (WSAEINVAL for an unknown id, WSASERVICE_NOT_FOUND when nothing was selected). */
typedef int (*nsp_call_fn)(struct nsp_provider *nsp, GUID *id, void *ctx);
typedef int (*nspv2_call_fn)(struct nspv2_provider *v2, GUID *id, void *ctx);

static int for_each_provider_v(const GUID *only, BOOL all, DWORD name_space, nsp_call_fn fn, nspv2_call_fn v2fn, void *ctx)
{
    struct ns_catalog *cat = ns_catalog_current();
    int first_err = 0, any = 0;
    size_t i;

    if (!cat) return WSA_NOT_ENOUGH_MEMORY;
    if (only && !ns_catalog_find(cat, only))
    {
        ns_catalog_release(cat);
        return WSAEINVAL;
    }
    for (i = 0; i < cat->count; i++)
    {
        const struct ns_catalog_entry *e = &cat->entries[i];
        struct nsp_provider *nsp;
        GUID id = e->id;
        int err;

        if (!e->enabled) continue;
        if (only ? memcmp(&e->id, only, sizeof(GUID)) : (!all && e->name_space != name_space)) continue;
        if (nspv2_advertised(&id))
        {
            struct nspv2_provider *v2;
            if (!v2fn) err = WSAEOPNOTSUPP;
            else if ((err = nspv2_get(&id, &v2)) == 0)
            {
                err = v2fn(v2, &id, ctx);
                nspv2_release(v2);
            }
        }
        else if ((err = nsp_get(e, &nsp)) == 0)
        {
            err = fn(nsp, &id, ctx);
            nsp_release(nsp);
        }
        if (!err) any = 1;
        else if (!first_err) first_err = err;
    }
    ns_catalog_release(cat);
    if (any) return 0;
    return first_err ? first_err : WSASERVICE_NOT_FOUND;
}

static int for_each_provider(const GUID *only, BOOL all, DWORD name_space, nsp_call_fn fn, void *ctx)
{
    return for_each_provider_v(only, all, name_space, fn, NULL, ctx);
}

static int spi_error(int ret)
{
    int err;
    if (!ret) return 0;
    err = (int)GetLastError();
    return err ? err : WSANO_RECOVERY;
}

/* ---- WSASetService ---- */
struct set_ctx
{
    WSAQUERYSETW *qs;
    WSAESETSERVICEOP op;
    DWORD flags;
};

static int call_set(struct nsp_provider *nsp, GUID *id, void *param)
{
    struct set_ctx *c = param;
    WSASERVICECLASSINFOW info;
    int ret, err;

    memset(&info, 0, sizeof(info));
    info.lpServiceClassId = c->qs->lpServiceClassId;
    SetLastError(0);
    ret = nsp->routines.NSPSetService(id, &info, c->qs, c->op, c->flags);
    err = spi_error(ret);
    TRACE_SPI("NSPSetService(op %d flags %#lx) -> %d (error %d)", (int)c->op, (unsigned long)c->flags, ret, err);
    return err;
}

static int call_set_v2(struct nspv2_provider *v2, GUID *id, void *param)
{
    struct set_ctx *c = param;
    WSAQUERYSET2W qs2;
    int ret, err;

    if (!v2->routines.NSPv2SetServiceEx) return WSAEOPNOTSUPP;
    ns_qs_to_qs2(c->qs, &qs2);
    SetLastError(0);
    ret = v2->routines.NSPv2SetServiceEx(NULL, id, &qs2, c->op, c->flags, v2->session);
    err = spi_error(ret);
    TRACE_SPI("NSPv2SetServiceEx(op %d flags %#lx) -> %d (error %d)", (int)c->op, (unsigned long)c->flags, ret, err);
    return err;
}

static int set_service(const char *fn, const void *qs, BOOL ansi, WSAESETSERVICEOP op, DWORD flags)
{
    struct set_ctx c = {NULL, op, flags};
    WSAQUERYSETW *conv = NULL;
    int err = startup_check();

    if (!err && !qs) err = WSAEINVAL;
    if (!err && !user_readable(qs, sizeof(WSAQUERYSETW))) err = WSAEFAULT;
    if (!err && ((const WSAQUERYSETW *)qs)->dwSize < sizeof(WSAQUERYSETW)) err = WSAEINVAL;
    if (!err && op != RNRSERVICE_REGISTER && op != RNRSERVICE_DEREGISTER && op != RNRSERVICE_DELETE) err = WSAEINVAL;
    if (!err && !ns_queryset_readable(qs, ansi)) err = WSAEFAULT;
    if (!err && ansi && !(conv = ns_queryset_a_to_w(qs))) err = WSA_NOT_ENOUGH_MEMORY;
    if (!err)
    {
        c.qs = ansi ? conv : (WSAQUERYSETW *)qs;
        err = for_each_provider_v(c.qs->lpNSProviderId, c.qs->dwNameSpace == NS_ALL, c.qs->dwNameSpace, call_set,
                                  call_set_v2, &c);
    }
    free(conv);
    TRACE_API("%s(lpqsRegInfo %p essoperation %d dwControlFlags %#lx) -> %d (error %d)", fn, qs, (int)op,
              (unsigned long)flags, err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSASetServiceW(LPWSAQUERYSETW lpqsRegInfo, WSAESETSERVICEOP essoperation, DWORD dwControlFlags)
{
    return set_service("WSASetServiceW", lpqsRegInfo, FALSE, essoperation, dwControlFlags);
}

INT WSAAPI WSASetServiceA(LPWSAQUERYSETA lpqsRegInfo, WSAESETSERVICEOP essoperation, DWORD dwControlFlags)
{
    return set_service("WSASetServiceA", lpqsRegInfo, TRUE, essoperation, dwControlFlags);
}

/* ---- WSAInstallServiceClass / WSARemoveServiceClass ---- */
static int call_install_class(struct nsp_provider *nsp, GUID *id, void *param)
{
    int ret, err;
    SetLastError(0);
    ret = nsp->routines.NSPInstallServiceClass(id, param);
    err = spi_error(ret);
    TRACE_SPI("NSPInstallServiceClass(%p) -> %d (error %d)", param, ret, err);
    return err;
}

static int install_class(const char *fn, const void *info, BOOL ansi)
{
    WSASERVICECLASSINFOW *conv = NULL;
    const WSASERVICECLASSINFOW *w = info;
    int err = startup_check();

    if (!err && !info) err = WSAEINVAL;
    if (!err && !user_readable(info, sizeof(*w))) err = WSAEFAULT;
    if (!err && (!w->lpServiceClassId || !w->lpszServiceClassName || (w->dwCount && !w->lpClassInfos))) err = WSAEINVAL;
    if (!err && !ns_classinfo_readable(info, ansi)) err = WSAEFAULT;
    if (!err && ansi && !(conv = ns_classinfo_a_to_w(info))) err = WSA_NOT_ENOUGH_MEMORY;
    if (!err) err = for_each_provider(NULL, TRUE, NS_ALL, call_install_class, ansi ? conv : (void *)info);
    free(conv);
    TRACE_API("%s(lpServiceClassInfo %p) -> %d (error %d)", fn, info, err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSAInstallServiceClassW(LPWSASERVICECLASSINFOW lpServiceClassInfo)
{
    return install_class("WSAInstallServiceClassW", lpServiceClassInfo, FALSE);
}

INT WSAAPI WSAInstallServiceClassA(LPWSASERVICECLASSINFOA lpServiceClassInfo)
{
    return install_class("WSAInstallServiceClassA", lpServiceClassInfo, TRUE);
}

static int call_remove_class(struct nsp_provider *nsp, GUID *id, void *param)
{
    int ret, err;
    SetLastError(0);
    ret = nsp->routines.NSPRemoveServiceClass(id, param);
    err = spi_error(ret);
    TRACE_SPI("NSPRemoveServiceClass -> %d (error %d)", ret, err);
    return err;
}

INT WSAAPI WSARemoveServiceClass(LPGUID lpServiceClassId)
{
    char g[GUID_TEXT_SIZE];
    int err = startup_check();

    if (!err && !lpServiceClassId) err = WSAEINVAL;
    if (!err && !user_readable(lpServiceClassId, sizeof(*lpServiceClassId))) err = WSAEFAULT;
    if (!err) err = for_each_provider(NULL, TRUE, NS_ALL, call_remove_class, lpServiceClassId);
    TRACE_API("WSARemoveServiceClass(lpServiceClassId %s) -> %d (error %d)", user_guid_text(lpServiceClassId, g),
              err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}

/* ---- WSAGetServiceClassInfo ---- */
/* Asks one provider for the class, W form, into a malloc'd buffer (*out). */
static int provider_class_info(struct nsp_provider *nsp, GUID *id, const GUID *class_id, WSASERVICECLASSINFOW **out)
{
    DWORD size = CLASS_INFO_FIRST_SIZE;
    int tries;

    *out = NULL;
    for (tries = 0; tries < 8; tries++)
    {
        WSASERVICECLASSINFOW *buf = calloc(1, size);
        GUID cid = *class_id;
        DWORD len = size;
        int ret, err;

        if (!buf) return WSA_NOT_ENOUGH_MEMORY;
        buf->lpServiceClassId = &cid;
        SetLastError(0);
        ret = nsp->routines.NSPGetServiceClassInfo(id, &len, buf);
        err = spi_error(ret);
        TRACE_SPI("NSPGetServiceClassInfo(len %lu) -> %d (error %d, len %lu)", (unsigned long)size, ret, err,
                  (unsigned long)len);
        if (!err)
        {
            /* Repack so that nothing points at cid on our stack. */
            size_t need = ns_classinfo_pack(buf, TRUE, NULL, 0, TRUE);
            WSASERVICECLASSINFOW *copy = need ? malloc(need) : NULL;
            if (copy) ns_classinfo_pack(buf, TRUE, copy, need, TRUE);
            free(buf);
            if (!copy) return WSA_NOT_ENOUGH_MEMORY;
            *out = copy;
            return 0;
        }
        free(buf);
        if (err != WSAEFAULT) return err;
        if (len <= size || len > NS_RESULT_SIZE_MAX) return WSANO_RECOVERY;
        size = len;
    }
    return WSANO_RECOVERY;
}

struct class_ctx
{
    const GUID *class_id;
    WSASERVICECLASSINFOW *result;
};

static int call_get_class(struct nsp_provider *nsp, GUID *id, void *param)
{
    struct class_ctx *c = param;
    return provider_class_info(nsp, id, c->class_id, &c->result);
}

static int get_class_info(const char *fn, LPGUID provider, LPGUID class_id, LPDWORD len, void *out, BOOL ansi)
{
    struct class_ctx c = {class_id, NULL};
    BOOL len_ok = len && user_writable(len, sizeof(*len));
    DWORD in = len_ok ? *len : 0;
    char g1[GUID_TEXT_SIZE], g2[GUID_TEXT_SIZE];
    int err = startup_check();

    if (!err && (!provider || !class_id || !len)) err = WSAEINVAL;
    if (!err && (!len_ok || !user_readable(provider, sizeof(*provider)) || !user_readable(class_id, sizeof(*class_id))))
        err = WSAEFAULT;
    if (!err && *len && !out) err = WSAEFAULT;
    if (!err) err = for_each_provider(provider, FALSE, 0, call_get_class, &c);
    if (!err)
    {
        size_t need = ns_classinfo_pack(c.result, TRUE, NULL, 0, !ansi);
        if (!need) err = WSANO_RECOVERY;
        else if (*len < need)
        {
            *len = (DWORD)need;
            err = WSAEFAULT;
        }
        else if (!user_writable(out, need)) err = WSAEFAULT;
        else ns_classinfo_pack(c.result, TRUE, out, *len, !ansi);
    }
    free(c.result);
    TRACE_API("%s(lpProviderId %s lpServiceClassId %s lpdwBufSize %p [%lu -> %lu] lpServiceClassInfo %p) -> %d (error %d)",
              fn, user_guid_text(provider, g1), user_guid_text(class_id, g2), (void *)len, (unsigned long)in,
              len_ok ? (unsigned long)*len : 0ul, out, err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSAGetServiceClassInfoW(LPGUID lpProviderId, LPGUID lpServiceClassId, LPDWORD lpdwBufSize,
                                   LPWSASERVICECLASSINFOW lpServiceClassInfo)
{
    return get_class_info("WSAGetServiceClassInfoW", lpProviderId, lpServiceClassId, lpdwBufSize, lpServiceClassInfo, FALSE);
}

INT WSAAPI WSAGetServiceClassInfoA(LPGUID lpProviderId, LPGUID lpServiceClassId, LPDWORD lpdwBufSize,
                                   LPWSASERVICECLASSINFOA lpServiceClassInfo)
{
    return get_class_info("WSAGetServiceClassInfoA", lpProviderId, lpServiceClassId, lpdwBufSize, lpServiceClassInfo, TRUE);
}

/* ---- WSAGetServiceClassNameByClassId ---- */
struct name_ctx
{
    const GUID *class_id;
    WSASERVICECLASSINFOW *result;
};

static int call_get_name(struct nsp_provider *nsp, GUID *id, void *param)
{
    struct name_ctx *c = param;
    if (c->result) return 0; /* the first provider that knew it answered */
    return provider_class_info(nsp, id, c->class_id, &c->result);
}

static int get_class_name(const char *fn, LPGUID class_id, void *name, LPDWORD len, BOOL ansi)
{
    struct name_ctx c = {class_id, NULL};
    BOOL len_ok = len && user_writable(len, sizeof(*len));
    DWORD in = len_ok ? *len : 0;
    char g[GUID_TEXT_SIZE];
    int err = startup_check();

    if (!err && !class_id) err = WSA_INVALID_PARAMETER;
    if (!err && !user_readable(class_id, sizeof(*class_id))) err = WSAEFAULT;
    if (!err && (!len_ok || (*len && !name))) err = WSAEFAULT;
    if (!err) err = for_each_provider(NULL, TRUE, NS_ALL, call_get_name, &c);
    /* The class id is valid but no provider has data for it: WSANO_DATA, as documented. */
    if (err == WSATYPE_NOT_FOUND || (!err && (!c.result || !c.result->lpszServiceClassName))) err = WSANO_DATA;
    if (!err)
    {
        const WCHAR *w = c.result->lpszServiceClassName;
        /* *len counts characters, the terminator included. */
        size_t need = ansi ? (size_t)WideCharToMultiByte(CP_ACP, 0, w, -1, NULL, 0, NULL, NULL) : ns_wcslen(w) + 1;
        if (!need) err = WSANO_RECOVERY;
        else if (*len < need)
        {
            *len = (DWORD)need;
            err = WSAEFAULT;
        }
        else if (!user_array_writable(name, need, ansi ? 1 : sizeof(WCHAR))) err = WSAEFAULT;
        else
        {
            if (ansi) WideCharToMultiByte(CP_ACP, 0, w, -1, name, (int)need, NULL, NULL);
            else memcpy(name, w, need * sizeof(WCHAR));
            *len = (DWORD)need;
        }
    }
    free(c.result);
    TRACE_API("%s(lpServiceClassId %s lpszServiceClassName %p lpdwBufferLength %p [%lu -> %lu]) -> %d (error %d)", fn,
              user_guid_text(class_id, g), name, (void *)len, (unsigned long)in, len_ok ? (unsigned long)*len : 0ul,
              err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSAGetServiceClassNameByClassIdW(LPGUID lpServiceClassId, LPWSTR lpszServiceClassName, LPDWORD lpdwBufferLength)
{
    return get_class_name("WSAGetServiceClassNameByClassIdW", lpServiceClassId, lpszServiceClassName, lpdwBufferLength, FALSE);
}

INT WSAAPI WSAGetServiceClassNameByClassIdA(LPGUID lpServiceClassId, LPSTR lpszServiceClassName, LPDWORD lpdwBufferLength)
{
    return get_class_name("WSAGetServiceClassNameByClassIdA", lpServiceClassId, lpszServiceClassName, lpdwBufferLength, TRUE);
}
