/* nsp_nla.c - openws2nsp's Network Location Awareness name space (NS_NLA, Windows' provider id
 * NLA_NAMESPACE_GUID): NSPLookupServiceBegin/Next/End answering the network list query (class
 * NLA_SERVICE_CLASS_GUID, or no class at all as Windows' NLA provider answers an NS_ALL query
 * without one) with one result set per logical network of the machine, derived from iphlpapi's
 * GetAdaptersAddresses: the adapters that are up, not loopback, with a unicast address, grouped by
 * network name (the adapter's DNS suffix, else the IPv4 subnet address, else the IPv6 prefix, as
 * Microsoft describes NLA's naming). Each set: the name (LUP_RETURN_NAME), the same text as comment
 * (LUP_RETURN_COMMENT), class and provider ids, and (LUP_RETURN_BLOB) a chain of NLA_BLOB entries:
 * one NLA_INTERFACE per adapter (IfType, speed in kbps, AdapterName), then one NLA_CONNECTIVITY
 * (type and internet both "unknown": openws2 does not probe the network). WSAEFAULT with the exact
 * size, LUP_FLUSHPREVIOUS, WSA_E_NO_MORE at the end. Not implemented (documented errors): network
 * registration (NSPSetService: WSAEOPNOTSUPP) and change notification (NSPIoctl: WSAEOPNOTSUPP).
 * This file: the handles and the adapter query; the networks and the packing: nsp_nla_net.c.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <iphlpapi.h>
#include <stdlib.h>
#include "trace.h"
#include "nsp_nla_net.h"
#include "nsp_private.h"

#define NLA_MAGIC 0x414c4e4fu      /* "ONLA" */

struct nla_lookup
{
    struct nla_lookup *next;        /* in the live list */
    DWORD magic;
    LONG refs;                      /* the handle + running Next calls */
    SRWLOCK lock;                   /* serialises Next calls on this handle */
    DWORD flags;                    /* LUP_* of the Begin call */
    BOOL has_name;                  /* lpszServiceInstanceName restricts the networks */
    BOOL bad_name;                  /* a name longer than any network name: nothing matches */
    WCHAR name[NLA_NAME_LEN];
    BOOL gathered, last_too_big;
    size_t count, index;
    struct nla_network *networks;
};

static SRWLOCK nla_list_lock = SRWLOCK_INIT;
static struct nla_lookup *nla_live;

BOOL nsp_nla_is_provider(const GUID *provider)
{
    return provider && IsEqualGUID(provider, &nsp_nla_provider_id);
}

static void nla_release(struct nla_lookup *l)
{
    if (InterlockedDecrement(&l->refs)) return;
    l->magic = 0;
    free(l->networks);
    free(l);
}

static struct nla_lookup *nla_get(HANDLE h)
{
    struct nla_lookup *l;

    AcquireSRWLockShared(&nla_list_lock);
    for (l = nla_live; l; l = l->next)
        if ((HANDLE)l == h && l->magic == NLA_MAGIC)
        {
            InterlockedIncrement(&l->refs);
            break;
        }
    ReleaseSRWLockShared(&nla_list_lock);
    return l;
}

static INT nla_fail(int err)
{
    SetLastError(err);
    return SOCKET_ERROR;
}

static INT WSAAPI nla_begin(LPGUID provider, LPWSAQUERYSETW qs, LPWSASERVICECLASSINFOW info, DWORD flags,
                            LPHANDLE lookup)
{
    struct nla_lookup *l;
    size_t n;

    (void)provider;
    (void)info;
    if (!qs || !lookup || qs->dwSize < sizeof(WSAQUERYSETW))
    {
        TRACE_SPI("NLA NSPLookupServiceBegin(%p, 0x%lx, %p) -> WSAEINVAL", qs, (unsigned long)flags, lookup);
        return nla_fail(WSAEINVAL);
    }
    /* the network list only: no class (the NS_ALL network query) or NLA's own class */
    if ((qs->lpServiceClassId && !IsEqualGUID(qs->lpServiceClassId, &nsp_nla_class_id)) ||
        (qs->dwNameSpace != NS_ALL && qs->dwNameSpace != NS_NLA))
    {
        TRACE_SPI("NLA NSPLookupServiceBegin(ns %lu, flags 0x%lx) -> WSAEINVAL (not a network query)",
                  (unsigned long)qs->dwNameSpace, (unsigned long)flags);
        return nla_fail(WSAEINVAL);
    }
    if (!(l = calloc(1, sizeof(*l)))) return nla_fail(WSA_NOT_ENOUGH_MEMORY);
    l->magic = NLA_MAGIC;
    l->refs = 1;
    l->flags = flags;
    InitializeSRWLock(&l->lock);
    if (qs->lpszServiceInstanceName && qs->lpszServiceInstanceName[0])
    {
        l->has_name = TRUE;
        for (n = 0; n < NLA_NAME_LEN && qs->lpszServiceInstanceName[n]; n++) l->name[n] = qs->lpszServiceInstanceName[n];
        if (n == NLA_NAME_LEN)
        {
            l->bad_name = TRUE;
            l->name[0] = 0;
        }
    }
    AcquireSRWLockExclusive(&nla_list_lock);
    l->next = nla_live;
    nla_live = l;
    ReleaseSRWLockExclusive(&nla_list_lock);
    *lookup = (HANDLE)l;
    TRACE_SPI("NLA NSPLookupServiceBegin(flags 0x%lx, name %s) -> 0, handle %p", (unsigned long)flags,
              l->has_name ? "given" : "none", (void *)l);
    return 0;
}

/* The machine's networks now: 0 or WSA_NOT_ENOUGH_MEMORY (no adapter information: no networks). */
static int gather(struct nla_lookup *l)
{
    ULONG size = 16384, ret = ERROR_BUFFER_OVERFLOW;
    ULONG flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER;
    IP_ADAPTER_ADDRESSES *list = NULL;
    int tries;

    l->gathered = TRUE;
    if (!(l->networks = calloc(NLA_MAX_NETWORKS, sizeof(*l->networks)))) return WSA_NOT_ENOUGH_MEMORY;
    for (tries = 0; tries < 4 && ret == ERROR_BUFFER_OVERFLOW; tries++)
    {
        free(list);
        if (!(list = malloc(size))) return WSA_NOT_ENOUGH_MEMORY;
        ret = GetAdaptersAddresses(AF_UNSPEC, flags, NULL, list, &size);
    }
    if (ret != NO_ERROR)
    {
        TRACE_NSP("NLA: GetAdaptersAddresses -> %lu: no networks", (unsigned long)ret);
        free(list);
        return 0;
    }
    l->count = nsp_nla_networks(list, l->has_name ? (l->bad_name ? L"" : l->name) : NULL, l->networks,
                                NLA_MAX_NETWORKS);
    free(list);
    TRACE_NSP("NLA: %lu network(s)", (unsigned long)l->count);
    return 0;
}

static INT WSAAPI nla_next(HANDLE handle, DWORD flags, LPDWORD length, LPWSAQUERYSETW results)
{
    struct nla_lookup *l = nla_get(handle);
    size_t needed = 0;
    int err;

    if (!l)
    {
        TRACE_SPI("NLA NSPLookupServiceNext(%p) -> WSA_INVALID_HANDLE", handle);
        return nla_fail(WSA_INVALID_HANDLE);
    }
    if (!length || (!results && *length))
    {
        nla_release(l);
        return nla_fail(WSAEFAULT);
    }
    AcquireSRWLockExclusive(&l->lock);
    err = 0;
    /* networks are never containers */
    if (!l->gathered && !(l->flags & LUP_CONTAINERS)) err = gather(l);
    if (!err)
    {
        if ((flags & LUP_FLUSHPREVIOUS) && l->last_too_big) l->index++;
        l->last_too_big = FALSE;
        if (l->index >= l->count) err = WSA_E_NO_MORE;
        else if (!(err = nsp_nla_pack_result(&l->networks[l->index], l->flags, results, results ? *length : 0, &needed)))
            l->index++;
        else if (err == WSAEFAULT)
        {
            l->last_too_big = TRUE;
            *length = (DWORD)needed;
        }
    }
    ReleaseSRWLockExclusive(&l->lock);
    TRACE_SPI("NLA NSPLookupServiceNext(%p, 0x%lx, len %lu) -> %d (needed %lu)", handle, (unsigned long)flags,
              (unsigned long)*length, err, (unsigned long)needed);
    nla_release(l);
    return err ? nla_fail(err) : 0;
}

static INT WSAAPI nla_end(HANDLE handle)
{
    struct nla_lookup **p, *l = NULL;

    AcquireSRWLockExclusive(&nla_list_lock);
    for (p = &nla_live; *p; p = &(*p)->next)
        if ((HANDLE)*p == handle && (*p)->magic == NLA_MAGIC)
        {
            l = *p;
            *p = l->next;
            break;
        }
    ReleaseSRWLockExclusive(&nla_list_lock);
    if (!l)
    {
        TRACE_SPI("NLA NSPLookupServiceEnd(%p) -> WSA_INVALID_HANDLE", handle);
        return nla_fail(WSA_INVALID_HANDLE);
    }
    nla_release(l);
    TRACE_SPI("NLA NSPLookupServiceEnd(%p) -> 0", handle);
    return 0;
}

/* Registering a network (RNRSERVICE_REGISTER / DELETE) is not implemented. */
static INT WSAAPI nla_set_service(LPGUID provider, LPWSASERVICECLASSINFOW info, LPWSAQUERYSETW reg,
                                  WSAESETSERVICEOP op, DWORD flags)
{
    int err;

    (void)provider;
    (void)info;
    if (!reg || reg->dwSize < sizeof(WSAQUERYSETW) || (op != RNRSERVICE_REGISTER && op != RNRSERVICE_DEREGISTER &&
                                                      op != RNRSERVICE_DELETE))
        err = WSAEINVAL;
    else err = WSAEOPNOTSUPP;
    TRACE_SPI("NLA NSPSetService(%p, op %d, 0x%lx) -> %d", reg, (int)op, (unsigned long)flags, err);
    return nla_fail(err);
}

void nsp_nla_routines(NSP_ROUTINE *routines)
{
    routines->NSPLookupServiceBegin = nla_begin;
    routines->NSPLookupServiceNext = nla_next;
    routines->NSPLookupServiceEnd = nla_end;
    routines->NSPSetService = nla_set_service;
}

void nsp_nla_cleanup_all(void)
{
    struct nla_lookup *l;

    for (;;)
    {
        AcquireSRWLockExclusive(&nla_list_lock);
        l = nla_live;
        if (l) nla_live = l->next;
        ReleaseSRWLockExclusive(&nla_list_lock);
        if (!l) break;
        nla_release(l);
    }
}
