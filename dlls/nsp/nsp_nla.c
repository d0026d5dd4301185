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
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <iphlpapi.h>
#include <stdlib.h>
#include "addr_parse.h"
#include "trace.h"
#include "nsp_private.h"

#define NLA_MAGIC 0x414c4e4fu      /* "ONLA" */
#define NLA_NAME_LEN 256           /* WCHARs of a network name, terminator included */
#define NLA_ADAPTER_NAME_LEN 260   /* chars of an AdapterName, terminator included */
#define NLA_MAX_NETWORKS 64
#define NLA_MAX_INTERFACES 16      /* per network */

static const GUID nla_class_id = NLA_SERVICE_CLASS_GUID;
static const GUID nla_provider_id = NLA_NAMESPACE_GUID;

struct nla_interface
{
    DWORD type;                     /* IfType (IANA ifType) */
    DWORD speed;                    /* kbps */
    char adapter[NLA_ADAPTER_NAME_LEN];
};

struct nla_network
{
    WCHAR name[NLA_NAME_LEN];
    size_t if_count;
    struct nla_interface ifs[NLA_MAX_INTERFACES];
};

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
    return provider && IsEqualGUID(provider, &nla_provider_id);
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
    if ((qs->lpServiceClassId && !IsEqualGUID(qs->lpServiceClassId, &nla_class_id)) ||
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

static void ascii_to_wide_name(const char *s, WCHAR *out)
{
    size_t i;
    for (i = 0; i + 1 < NLA_NAME_LEN && s[i]; i++) out[i] = (WCHAR)(unsigned char)s[i];
    out[i] = 0;
}

/* The name of the network an adapter is attached to: its DNS suffix, else the subnet address of
 * its first IPv4 address, else the prefix of its first IPv6 address. FALSE: no unicast address. */
static BOOL network_name(const IP_ADAPTER_ADDRESSES *a, WCHAR *out)
{
    const IP_ADAPTER_UNICAST_ADDRESS *u, *v6 = NULL;
    char text[64];
    size_t i;

    for (u = a->FirstUnicastAddress; u; u = u->Next)
    {
        const SOCKADDR *sa = u->Address.lpSockaddr;
        if (!sa) continue;
        if (sa->sa_family == AF_INET && u->Address.iSockaddrLength >= (INT)sizeof(SOCKADDR_IN)) break;
        if (sa->sa_family == AF_INET6 && u->Address.iSockaddrLength >= (INT)sizeof(SOCKADDR_IN6) && !v6) v6 = u;
    }
    if (!u && !v6) return FALSE;
    if (a->DnsSuffix && a->DnsSuffix[0])
    {
        for (i = 0; i + 1 < NLA_NAME_LEN && a->DnsSuffix[i]; i++) out[i] = a->DnsSuffix[i];
        out[i] = 0;
        return TRUE;
    }
    if (u)
    {
        uint8_t addr[4];
        unsigned len = u->OnLinkPrefixLength <= 32 ? u->OnLinkPrefixLength : 32;
        memcpy(addr, &((const SOCKADDR_IN *)u->Address.lpSockaddr)->sin_addr, 4);
        for (i = 0; i < 4; i++)
        {
            unsigned bits = len > i * 8 ? len - i * 8 : 0;
            if (bits < 8) addr[i] &= (uint8_t)(0xff00u >> bits);
        }
        addr_format_ipv4(addr, text);
    }
    else
    {
        uint8_t addr[16];
        unsigned len = v6->OnLinkPrefixLength <= 128 ? v6->OnLinkPrefixLength : 128;
        memcpy(addr, &((const SOCKADDR_IN6 *)v6->Address.lpSockaddr)->sin6_addr, 16);
        for (i = 0; i < 16; i++)
        {
            unsigned bits = len > i * 8 ? len - i * 8 : 0;
            if (bits < 8) addr[i] &= (uint8_t)(0xff00u >> bits);
        }
        addr_format_ipv6(addr, text);
    }
    ascii_to_wide_name(text, out);
    return TRUE;
}

/* The machine's networks now: 0 or WSA_NOT_ENOUGH_MEMORY (no adapter information: no networks). */
static int gather(struct nla_lookup *l)
{
    ULONG size = 16384, ret = ERROR_BUFFER_OVERFLOW;
    ULONG flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER;
    IP_ADAPTER_ADDRESSES *list = NULL, *a;
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
    for (a = list; a; a = a->Next)
    {
        WCHAR name[NLA_NAME_LEN];
        struct nla_network *net = NULL;
        struct nla_interface *itf;
        ULONG64 speed;
        size_t i;

        if (a->OperStatus != IfOperStatusUp || a->IfType == IF_TYPE_SOFTWARE_LOOPBACK) continue;
        if (!network_name(a, name)) continue;
        if (l->has_name && (l->bad_name || lstrcmpiW(name, l->name))) continue;
        for (i = 0; i < l->count; i++)
            if (!lstrcmpiW(l->networks[i].name, name)) net = &l->networks[i];
        if (!net)
        {
            if (l->count == NLA_MAX_NETWORKS) continue;
            net = &l->networks[l->count++];
            memcpy(net->name, name, sizeof(name));
        }
        if (net->if_count == NLA_MAX_INTERFACES) continue;
        itf = &net->ifs[net->if_count++];
        itf->type = a->IfType;
        speed = a->TransmitLinkSpeed == (ULONG64)-1 ? 0 : a->TransmitLinkSpeed / 1000;
        itf->speed = speed > 0xffffffffu ? 0xffffffffu : (DWORD)speed;
        if (a->AdapterName) lstrcpynA(itf->adapter, a->AdapterName, NLA_ADAPTER_NAME_LEN);
    }
    free(list);
    TRACE_NSP("NLA: %lu network(s)", (unsigned long)l->count);
    return 0;
}

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

static size_t interface_entry_size(const struct nla_interface *itf)
{
    return offsetof(NLA_BLOB, data.interfaceData.adapterName) + strlen(itf->adapter) + 1;
}

static size_t connectivity_entry_size(void)
{
    return offsetof(NLA_BLOB, data.connectivity) + sizeof(((NLA_BLOB *)0)->data.connectivity);
}

/* The NLA_BLOB chain of a network: its size, written into buf when buf is not NULL. Each entry's
 * header.dwSize is the entry's own size (header included), header.nextOffset the distance from the
 * entry's start to the next entry (8-byte aligned), 0 on the last one. */
static size_t pack_blob(const struct nla_network *net, unsigned char *buf)
{
    size_t off = 0, i, size;
    NLA_BLOB *e;

    for (i = 0; i <= net->if_count; i++)
    {
        size = i < net->if_count ? interface_entry_size(&net->ifs[i]) : connectivity_entry_size();
        if (buf)
        {
            e = (NLA_BLOB *)(buf + off); /* the caller zeroed the buffer (padding included) */
            e->header.dwSize = (DWORD)size;
            e->header.nextOffset = i < net->if_count ? (DWORD)ALIGN8(size) : 0;
            if (i < net->if_count)
            {
                e->header.type = NLA_INTERFACE;
                e->data.interfaceData.dwType = net->ifs[i].type;
                e->data.interfaceData.dwSpeed = net->ifs[i].speed;
                memcpy(e->data.interfaceData.adapterName, net->ifs[i].adapter, strlen(net->ifs[i].adapter) + 1);
            }
            else
            {
                e->header.type = NLA_CONNECTIVITY;
                e->data.connectivity.type = NLA_NETWORK_UNKNOWN;
                e->data.connectivity.internet = NLA_INTERNET_UNKNOWN;
            }
        }
        off += i < net->if_count ? ALIGN8(size) : size;
    }
    return off;
}

/* One result set in the caller's buffer: the WSAQUERYSETW, then the class and provider GUIDs, the
 * BLOB and its data, then the strings; all pointers inside the buffer. 0, or WSAEFAULT (*needed). */
static int pack_network(const struct nla_lookup *l, const struct nla_network *net, WSAQUERYSETW *out, size_t size,
                        size_t *needed)
{
    size_t name_bytes = (lstrlenW(net->name) + 1) * sizeof(WCHAR);
    size_t off_class, off_provider, off_blob, off_data, off_name, off_comment, total, blob_len = 0;
    unsigned char *base = (unsigned char *)out;
    BOOL want_name = (l->flags & LUP_RETURN_NAME) != 0, want_comment = (l->flags & LUP_RETURN_COMMENT) != 0;
    BOOL want_type = (l->flags & LUP_RETURN_TYPE) != 0, want_blob = (l->flags & LUP_RETURN_BLOB) != 0;

    off_class = ALIGN8(sizeof(WSAQUERYSETW));
    off_provider = off_class + (want_type ? sizeof(GUID) : 0);
    off_blob = ALIGN8(off_provider + sizeof(GUID));
    off_data = off_blob + (want_blob ? ALIGN8(sizeof(BLOB)) : 0);
    if (want_blob) blob_len = pack_blob(net, NULL);
    off_name = ALIGN8(off_data + blob_len);
    off_comment = off_name + (want_name ? name_bytes : 0);
    total = off_comment + (want_comment ? name_bytes : 0);
    *needed = total;
    if (size < total) return WSAEFAULT;

    memset(out, 0, total);
    out->dwSize = sizeof(WSAQUERYSETW);
    out->dwNameSpace = NS_NLA;
    memcpy(base + off_provider, &nla_provider_id, sizeof(GUID));
    out->lpNSProviderId = (GUID *)(base + off_provider);
    if (want_type)
    {
        memcpy(base + off_class, &nla_class_id, sizeof(GUID));
        out->lpServiceClassId = (GUID *)(base + off_class);
    }
    if (want_blob)
    {
        BLOB *b = (BLOB *)(base + off_blob);
        pack_blob(net, base + off_data);
        b->cbSize = (ULONG)blob_len;
        b->pBlobData = base + off_data;
        out->lpBlob = b;
    }
    if (want_name)
    {
        memcpy(base + off_name, net->name, name_bytes);
        out->lpszServiceInstanceName = (WCHAR *)(base + off_name);
    }
    if (want_comment)
    {
        memcpy(base + off_comment, net->name, name_bytes);
        out->lpszComment = (WCHAR *)(base + off_comment);
    }
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
        else if (!(err = pack_network(l, &l->networks[l->index], results, results ? *length : 0, &needed)))
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
