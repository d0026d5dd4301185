/* nsp_lookup.c - NSPLookupServiceBegin/Next/End of openws2nsp: lookup handles (validated against
 * the list of live lookups, so a stale or forged handle gives WSA_INVALID_HANDLE), the resolution
 * on the first Next (Begin only records the question, as the SPI asks), the result sets in order
 * (the host, then with LUP_RETURN_ALIASES one RESULT_IS_ALIAS set per alias, then WSA_E_NO_MORE),
 * WSAEFAULT with the exact size needed, LUP_FLUSHPREVIOUS, and cancellation of a running Next by
 * End from another thread (WSA_E_CANCELLED).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include <svcguid.h>
#include "trace.h"
#include "nsp_pack.h"
#include "nsp_private.h"

#define LOOKUP_MAGIC 0x4c50534eu /* "NSPL" */

struct lookup
{
    struct lookup *next;            /* in the live list */
    DWORD magic;
    LONG refs;                      /* the handle + running Next calls */
    nsp_cancel_flag cancelled;
    SRWLOCK lock;                   /* serialises Next calls on this handle */
    struct nsp_request req;
    BOOL resolved, finished, last_too_big;
    int error;
    struct nsp_host *host;
    struct nsp_service_answer *service;
    size_t index;                   /* next result set: 0 the entry, 1.. the aliases */
};

static SRWLOCK list_lock = SRWLOCK_INIT;
static struct lookup *live;

static void lookup_release(struct lookup *l)
{
    if (InterlockedDecrement(&l->refs)) return;
    l->magic = 0;
    free(l->host);
    free(l->service);
    free(l);
}

/* The live lookup of a handle with a reference taken, or NULL. */
static struct lookup *lookup_get(HANDLE h)
{
    struct lookup *l;

    AcquireSRWLockShared(&list_lock);
    for (l = live; l; l = l->next)
        if ((HANDLE)l == h && l->magic == LOOKUP_MAGIC)
        {
            InterlockedIncrement(&l->refs);
            break;
        }
    ReleaseSRWLockShared(&list_lock);
    return l;
}

INT WSAAPI nsp_lookup_begin(LPGUID provider, LPWSAQUERYSETW restrictions, LPWSASERVICECLASSINFOW info,
                            DWORD flags, LPHANDLE lookup)
{
    char g1[GUID_TEXT_SIZE];
    struct lookup *l;
    int err;

    (void)info;
    if (!lookup || !restrictions)
    {
        TRACE_SPI("NSPLookupServiceBegin(%p, %p, 0x%lx, %p) -> WSAEINVAL", restrictions, info, (unsigned long)flags, lookup);
        SetLastError(WSAEINVAL);
        return SOCKET_ERROR;
    }
    if (!(l = calloc(1, sizeof(*l))))
    {
        SetLastError(WSA_NOT_ENOUGH_MEMORY);
        return SOCKET_ERROR;
    }
    if ((err = nsp_request_parse(provider, restrictions, flags, &l->req)))
    {
        TRACE_SPI("NSPLookupServiceBegin(class %s, flags 0x%lx) -> error %d",
                  guid_text(restrictions->dwSize >= sizeof(WSAQUERYSETW) ? restrictions->lpServiceClassId : NULL, g1),
                  (unsigned long)flags, err);
        free(l);
        SetLastError(err);
        return SOCKET_ERROR;
    }
    l->magic = LOOKUP_MAGIC;
    l->refs = 1;
    InitializeSRWLock(&l->lock);
    AcquireSRWLockExclusive(&list_lock);
    l->next = live;
    live = l;
    ReleaseSRWLockExclusive(&list_lock);
    *lookup = (HANDLE)l;
    TRACE_SPI("NSPLookupServiceBegin(class %s, name \"%s\", flags 0x%lx) -> 0, handle %p", guid_text(&l->req.class_id, g1),
              l->req.name, (unsigned long)flags, (void *)l);
    return 0;
}

static const GUID guid_svc_tcp_base = SVCID_TCP(0);
static const GUID guid_svc_udp_base = SVCID_UDP(0);

/* Resolves the lookup's question once. */
static void resolve(struct lookup *l)
{
    l->resolved = TRUE;
    if (l->req.flags & LUP_CONTAINERS)
    {
        /* DNS names are never containers */
        l->finished = TRUE;
        return;
    }
    if (l->req.kind == NSP_KIND_SERVICE)
    {
        struct nsp_config *cfg = malloc(sizeof(*cfg));
        if (!cfg || !(l->service = calloc(1, sizeof(*l->service)))) l->error = WSA_NOT_ENOUGH_MEMORY;
        else if (l->req.bad_name) l->error = WSASERVICE_NOT_FOUND;
        else
        {
            BOOL flush = (l->req.flags & LUP_FLUSHCACHE) != 0;
            nsp_config_load(cfg, flush);
            l->error = nsp_resolve_service(cfg, flush, l->req.name, l->service);
        }
        free(cfg);
        return;
    }
    if (!(l->host = calloc(1, sizeof(*l->host)))) l->error = WSA_NOT_ENOUGH_MEMORY;
    else l->error = nsp_resolve_host(&l->req, l->host, &l->cancelled);
}

/* Packs result set number index; 0, WSA_E_NO_MORE, or WSAEFAULT (*needed set) / other errors. */
static int pack_result(struct lookup *l, size_t index, void *buf, size_t size, size_t *needed)
{
    const struct nsp_request *req = &l->req;
    struct nsp_pack_input in;
    GUID class_id = req->class_id;
    void *blob = NULL;
    size_t blob_len = 0;
    char local_name[NSP_NAME_MAX];
    int ret;

    memset(&in, 0, sizeof(in));
    in.provider_id = &req->provider_id;
    in.name_space = NS_DNS;
    in.socket_type = req->socket_type;
    in.protocol = req->protocol;
    in.res_service = (req->flags & LUP_RES_SERVICE) != 0;
    if (req->flags & LUP_RETURN_QUERY_STRING) in.query_string = req->name;

    if (req->kind == NSP_KIND_SERVICE)
    {
        const struct nsp_service_answer *s = l->service;
        const char *aliases[NSP_MAX_ALIASES];
        size_t i;

        if (index > ((req->flags & LUP_RETURN_ALIASES) ? s->alias_count : 0)) return WSA_E_NO_MORE;
        if (index)
        {
            in.name = (req->flags & LUP_RETURN_NAME) ? s->aliases[index - 1] : NULL;
            in.output_flags = RESULT_IS_ALIAS;
        }
        else
        {
            if (req->flags & LUP_RETURN_NAME) in.name = s->name;
            if (req->flags & LUP_RETURN_BLOB)
            {
                for (i = 0; i < s->alias_count; i++) aliases[i] = s->aliases[i];
                blob_len = nsp_pack_servent(s->name, aliases, s->alias_count, s->port, s->proto, NULL, 0);
                if (!(blob = malloc(blob_len))) return WSA_NOT_ENOUGH_MEMORY;
                nsp_pack_servent(s->name, aliases, s->alias_count, s->port, s->proto, blob, blob_len);
            }
        }
        /* the canonical class of the service: SVCID_TCP(port) or SVCID_UDP(port) */
        class_id = _stricmp(s->proto, "udp") ? guid_svc_tcp_base : guid_svc_udp_base;
        class_id.Data1 |= s->port;
    }
    else
    {
        const struct nsp_host *h = l->host;
        if (index > ((req->flags & LUP_RETURN_ALIASES) ? h->alias_count : 0)) return WSA_E_NO_MORE;
        if (index)
        {
            in.name = (req->flags & LUP_RETURN_NAME) ? h->aliases[index - 1] : NULL;
            in.output_flags = RESULT_IS_ALIAS;
        }
        else
        {
            if (req->flags & LUP_RETURN_NAME)
            {
                in.name = h->name;
                /* gethostname's query: the local host's name */
                if (req->kind == NSP_KIND_HOSTNAME && req->local_host && !nsp_local_host_name(local_name, sizeof(local_name)))
                    in.name = local_name;
            }
            if (req->flags & LUP_RETURN_ADDR)
            {
                in.addrs = h->addrs;
                in.addr_count = h->addr_count;
                in.port = req->service[0] ? nsp_service_port(req->service, req->protocol == IPPROTO_UDP ? "udp" : "tcp") : 0;
            }
            if (req->flags & LUP_RETURN_BLOB)
            {
                int family = req->hostent_family;
                if (!nsp_host_count_family(h, family) && nsp_host_count_family(h, family == AF_INET ? AF_INET6 : AF_INET))
                    family = family == AF_INET ? AF_INET6 : AF_INET;
                blob_len = nsp_pack_hostent(h, family, NULL, 0);
                if (!(blob = malloc(blob_len))) return WSA_NOT_ENOUGH_MEMORY;
                nsp_pack_hostent(h, family, blob, blob_len);
            }
        }
    }
    if (req->flags & LUP_RETURN_TYPE) in.class_id = &class_id;
    in.blob = blob;
    in.blob_len = blob_len;
    ret = nsp_pack_queryset(&in, buf, size, needed) ? WSAEFAULT : 0;
    free(blob);
    return ret;
}

INT WSAAPI nsp_lookup_next(HANDLE handle, DWORD flags, LPDWORD length, LPWSAQUERYSETW results)
{
    struct lookup *l = lookup_get(handle);
    size_t needed = 0;
    int err;

    if (!l)
    {
        TRACE_SPI("NSPLookupServiceNext(%p) -> WSA_INVALID_HANDLE", handle);
        SetLastError(WSA_INVALID_HANDLE);
        return SOCKET_ERROR;
    }
    if (!length || (!results && *length))
    {
        lookup_release(l);
        TRACE_SPI("NSPLookupServiceNext(%p, 0x%lx, %p, %p) -> WSAEFAULT", handle, (unsigned long)flags, length, results);
        SetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    AcquireSRWLockExclusive(&l->lock);
    if (l->cancelled) err = WSA_E_CANCELLED;
    else
    {
        if (!l->resolved) resolve(l);
        if (l->cancelled) err = WSA_E_CANCELLED;
        else if (l->finished) err = WSA_E_NO_MORE;
        else if (l->error)
        {
            /* the failure is reported once; the lookup then has nothing more */
            err = l->error;
            l->finished = TRUE;
        }
        else
        {
            if ((flags & LUP_FLUSHPREVIOUS) && l->last_too_big) l->index++;
            l->last_too_big = FALSE;
            err = pack_result(l, l->index, results, *length, &needed);
            if (!err) l->index++;
            else if (err == WSAEFAULT)
            {
                l->last_too_big = TRUE;
                *length = (DWORD)needed;
            }
            else if (err == WSA_E_NO_MORE) l->finished = TRUE;
        }
    }
    ReleaseSRWLockExclusive(&l->lock);
    TRACE_SPI("NSPLookupServiceNext(%p, 0x%lx, len %lu) -> %d (needed %lu)", handle, (unsigned long)flags,
              (unsigned long)*length, err, (unsigned long)needed);
    lookup_release(l);
    if (err)
    {
        SetLastError(err);
        return SOCKET_ERROR;
    }
    return 0;
}

INT WSAAPI nsp_lookup_end(HANDLE handle)
{
    struct lookup **p, *l = NULL;

    AcquireSRWLockExclusive(&list_lock);
    for (p = &live; *p; p = &(*p)->next)
        if ((HANDLE)*p == handle && (*p)->magic == LOOKUP_MAGIC)
        {
            l = *p;
            *p = l->next;
            break;
        }
    ReleaseSRWLockExclusive(&list_lock);
    if (!l)
    {
        TRACE_SPI("NSPLookupServiceEnd(%p) -> WSA_INVALID_HANDLE", handle);
        SetLastError(WSA_INVALID_HANDLE);
        return SOCKET_ERROR;
    }
    /* a Next running on another thread stops waiting and returns WSA_E_CANCELLED */
    InterlockedExchange(&l->cancelled, 1);
    lookup_release(l);
    TRACE_SPI("NSPLookupServiceEnd(%p) -> 0", handle);
    return 0;
}

void nsp_lookup_cleanup_all(void)
{
    struct lookup *l;

    for (;;)
    {
        AcquireSRWLockExclusive(&list_lock);
        l = live;
        if (l) live = l->next;
        ReleaseSRWLockExclusive(&list_lock);
        if (!l) break;
        InterlockedExchange(&l->cancelled, 1);
        lookup_release(l);
    }
}
