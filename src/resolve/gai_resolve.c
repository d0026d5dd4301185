/* gai_resolve.c - the resolver core (include/gai_resolve.h): numeric hosts and services, the
 * services database for service names, host names through the namespace catalog
 * (WSALookupServiceBeginW/NextW/End with SVCID_INET_HOSTADDRBYNAME, the families in lpafpProtocols),
 * IDN names left to the provider (LUP_DISABLE_IDN_ENCODING for AI_DISABLE_IDN_ENCODING), AI_ADDRCONFIG from the local host's addresses (the catalog's
 * answer for ""), family handling, duplicates removed, RFC 6724 order; reverse lookups
 * (SVCID_INET_HOSTADDRBYINETSTRING) and the local host name (SVCID_HOSTNAME). DLL only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <svcguid.h>
#include "addr_parse.h"
#include "gai_resolve.h"
#include "netdb_files.h"
#include "netdb_parse.h"
#include "ns_queryset.h"
#include "startup.h"
#include "trace.h"

/* The first result buffers of the namespace lookups (grown to what the provider asks for, up to
 * NS_RESULT_SIZE_MAX): gai_lookup_first's, and resolve_name's (room for several addresses). */
#define GAI_FIRST_RESULT_SIZE 2048
#define GAI_NAME_RESULT_SIZE 4096

#define GAI_MAX_ADDRS 1024
#define GAI_NAME_MAX 1025

static const GUID guid_byname = SVCID_INET_HOSTADDRBYNAME;
static const GUID guid_byaddr = SVCID_INET_HOSTADDRBYINETSTRING;
static const GUID guid_hostname = SVCID_HOSTNAME;

size_t gai_wcslen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

WCHAR *gai_wcsdup(const WCHAR *s)
{
    size_t n = (gai_wcslen(s) + 1) * sizeof(WCHAR);
    WCHAR *d = HeapAlloc(GetProcessHeap(), 0, n);
    if (d) memcpy(d, s, n);
    return d;
}

int gai_a_to_w(const char *s, WCHAR **out)
{
    int n;

    *out = NULL;
    if (!s) return 0;
    n = MultiByteToWideChar(CP_ACP, 0, s, -1, NULL, 0);
    if (n <= 0) return WSAHOST_NOT_FOUND;
    if (!(*out = HeapAlloc(GetProcessHeap(), 0, (size_t)n * sizeof(WCHAR)))) return WSA_NOT_ENOUGH_MEMORY;
    MultiByteToWideChar(CP_ACP, 0, s, -1, *out, n);
    return 0;
}

char *gai_w_to_a(const WCHAR *s)
{
    int n = WideCharToMultiByte(CP_ACP, 0, s, -1, NULL, 0, NULL, NULL);
    char *a;

    if (n <= 0 || !(a = HeapAlloc(GetProcessHeap(), 0, (size_t)n))) return NULL;
    WideCharToMultiByte(CP_ACP, 0, s, -1, a, n, NULL, NULL);
    return a;
}

void gai_cancel_init(struct gai_cancel *c)
{
    InitializeSRWLock(&c->lock);
    c->lookup = NULL;
    c->reason = 0;
}

void gai_cancel_request(struct gai_cancel *c, int reason)
{
    AcquireSRWLockExclusive(&c->lock);
    if (!c->reason) c->reason = reason;
    if (c->lookup)
    {
        WSALookupServiceEnd(c->lookup);
        c->lookup = NULL;
    }
    ReleaseSRWLockExclusive(&c->lock);
}

/* Begins a lookup registered with the cancel state (if any). */
static int begin(WSAQUERYSETW *qs, DWORD flags, struct gai_cancel *c, HANDLE *h)
{
    int err = 0;

    if (c)
    {
        AcquireSRWLockExclusive(&c->lock);
        if (c->reason) err = c->reason;
        else if (WSALookupServiceBeginW(qs, flags, h)) err = WSAGetLastError();
        else c->lookup = *h;
        ReleaseSRWLockExclusive(&c->lock);
        return err;
    }
    return WSALookupServiceBeginW(qs, flags, h) ? WSAGetLastError() : 0;
}

/* Ends the lookup unless a cancel already did; returns the cancel reason (0 if none). */
static int end(HANDLE h, struct gai_cancel *c)
{
    int reason = 0;

    if (c)
    {
        AcquireSRWLockExclusive(&c->lock);
        if (c->lookup == h)
        {
            WSALookupServiceEnd(h);
            c->lookup = NULL;
        }
        reason = c->reason;
        ReleaseSRWLockExclusive(&c->lock);
        return reason;
    }
    WSALookupServiceEnd(h);
    return 0;
}

/* Next into a growing heap buffer. Returns 0, or the error (WSA_E_NO_MORE at the end). */
static int next(HANDLE h, DWORD flags, WSAQUERYSETW **buf, DWORD *size)
{
    for (;;)
    {
        DWORD len = *size;
        void *bigger;

        if (!WSALookupServiceNextW(h, flags, &len, *buf)) return 0;
        {
            int err = WSAGetLastError();
            if (err == WSAENOMORE) err = WSA_E_NO_MORE;
            if (err != WSAEFAULT || len <= *size || len > NS_RESULT_SIZE_MAX) return err;
        }
        if (!(bigger = HeapReAlloc(GetProcessHeap(), 0, *buf, len))) return WSA_NOT_ENOUGH_MEMORY;
        *buf = bigger;
        *size = len;
    }
}

/* Provider errors as getaddrinfo reports them. */
static int map_error(int err)
{
    switch (err)
    {
    case WSASERVICE_NOT_FOUND:
    case WSA_E_NO_MORE:
    case WSAENOMORE:
    case WSAEINVAL:
        return WSAHOST_NOT_FOUND;
    case WSAENOBUFS:
        return WSA_NOT_ENOUGH_MEMORY;
    default:
        return err;
    }
}

static void set_protocols(WSAQUERYSETW *qs, AFPROTOCOLS *p, int family, int protocol)
{
    DWORD n = 0;

    if (family == AF_UNSPEC || family == AF_INET)
    {
        p[n].iAddressFamily = AF_INET;
        p[n++].iProtocol = protocol;
    }
    if (family == AF_UNSPEC || family == AF_INET6)
    {
        p[n].iAddressFamily = AF_INET6;
        p[n++].iProtocol = protocol;
    }
    qs->dwNumberOfProtocols = n;
    qs->lpafpProtocols = p;
}

int gai_lookup_first(const GUID *cls, const WCHAR *name, int family, DWORD flags, WSAQUERYSETW **result)
{
    WSAQUERYSETW qs;
    AFPROTOCOLS protos[2];
    DWORD size = GAI_FIRST_RESULT_SIZE;
    HANDLE h;
    int err;

    *result = NULL;
    memset(&qs, 0, sizeof(qs));
    qs.dwSize = sizeof(qs);
    qs.lpServiceClassId = (GUID *)cls;
    qs.dwNameSpace = NS_ALL;
    qs.lpszServiceInstanceName = (WCHAR *)name;
    if (family != -1) set_protocols(&qs, protos, family, IPPROTO_TCP);
    if ((err = begin(&qs, flags, NULL, &h))) return map_error(err);
    if (!(*result = HeapAlloc(GetProcessHeap(), 0, size))) err = WSA_NOT_ENOUGH_MEMORY;
    else err = next(h, 0, result, &size);
    end(h, NULL);
    if (err)
    {
        HeapFree(GetProcessHeap(), 0, *result);
        *result = NULL;
        return map_error(err);
    }
    return 0;
}

/* Appends the CSADDR_INFO remote addresses of a result. */
static int collect(const WSAQUERYSETW *qs, struct gai_addr *addrs, size_t *count)
{
    DWORD i;

    for (i = 0; qs->lpcsaBuffer && i < qs->dwNumberOfCsAddrs && *count < GAI_MAX_ADDRS; i++)
    {
        const SOCKET_ADDRESS *ra = &qs->lpcsaBuffer[i].RemoteAddr;
        uint16_t port;
        if (ra->lpSockaddr && !gai_read_sockaddr(ra->lpSockaddr, (size_t)ra->iSockaddrLength, &addrs[*count], &port))
            (*count)++;
    }
    return 0;
}

/* The families configured on the local host (AI_ADDRCONFIG), loopback addresses not counted. */
static void configured_families(BOOL *v4, BOOL *v6)
{
    static const WCHAR local[] = { 0 };
    WSAQUERYSETW *qs;
    DWORD i;

    *v4 = *v6 = FALSE;
    if (gai_lookup_first(&guid_byname, local, AF_UNSPEC, LUP_RETURN_ADDR, &qs)) return;
    for (i = 0; qs->lpcsaBuffer && i < qs->dwNumberOfCsAddrs; i++)
    {
        const SOCKET_ADDRESS *ra = &qs->lpcsaBuffer[i].RemoteAddr;
        struct gai_addr a;
        uint16_t port;
        if (!ra->lpSockaddr || gai_read_sockaddr(ra->lpSockaddr, (size_t)ra->iSockaddrLength, &a, &port)) continue;
        if (a.family == AF_INET && a.addr[0] != 127) *v4 = TRUE;
        if (a.family == AF_INET6)
        {
            static const uint8_t loop[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
            if (memcmp(a.addr, loop, 16)) *v6 = TRUE;
        }
    }
    HeapFree(GetProcessHeap(), 0, qs);
}

/* The port of a service (numbers, else the services database). */
static int resolve_service(const WCHAR *service, const struct gai_query *q, uint16_t *port)
{
    char text[NETDB_NAME_MAX];
    struct netdb_service *entry;
    struct netdb_text db;
    const char *proto;
    int other, found, err;

    *port = 0;
    if (!service) return 0;
    if (addr_wide_to_ascii((const uint16_t *)service, text, sizeof(text))) return WSATYPE_NOT_FOUND;
    if (!gai_parse_port(text, port)) return 0;
    if (q->flags & GAI_AI_NUMERICSERV) return WSAHOST_NOT_FOUND;
    proto = gai_service_proto(q->socktype, &other);
    if ((err = netdb_file_load(NETDB_SERVICES, &db))) return WSA_NOT_ENOUGH_MEMORY;
    if (!(entry = HeapAlloc(GetProcessHeap(), 0, sizeof(*entry))))
    {
        netdb_file_free(&db);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    found = netdb_find_service_by_name(db.data, db.len, text, proto, entry);
    if (!found && other) found = netdb_find_service_by_name(db.data, db.len, text, "udp", entry);
    if (found) *port = entry->port;
    HeapFree(GetProcessHeap(), 0, entry);
    netdb_file_free(&db);
    return found ? 0 : WSATYPE_NOT_FOUND;
}

/* Names through the catalog: every result's addresses; the first result's name as canonical name. */
static int resolve_name(const WCHAR *name, const struct gai_query *q, struct gai_answer *out, size_t *count)
{
    WSAQUERYSETW qs, *res = NULL;
    AFPROTOCOLS protos[2];
    DWORD size = GAI_NAME_RESULT_SIZE, flags = LUP_RETURN_ADDR | LUP_RETURN_NAME;
    int family = q->family, err, reason, results = 0;
    HANDLE h;

    if (family == AF_INET6 && (q->flags & GAI_AI_V4MAPPED)) family = AF_UNSPEC;
    memset(&qs, 0, sizeof(qs));
    qs.dwSize = sizeof(qs);
    qs.lpServiceClassId = (GUID *)&guid_byname;
    qs.dwNameSpace = q->name_space;
    qs.lpNSProviderId = (GUID *)q->nsp_id;
    qs.lpszServiceInstanceName = (WCHAR *)name;
    set_protocols(&qs, protos, family, q->socktype == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP);
    if (q->flags & GAI_AI_BYPASS_DNS_CACHE) flags |= LUP_FLUSHCACHE;
    /* hints the provider may interpret (the AI_ and LUP_ values of these are the same bits) */
    flags |= q->flags & (GAI_AI_NON_AUTHORITATIVE | GAI_AI_SECURE | GAI_AI_RETURN_PREFERRED_NAMES);
    if (q->flags & GAI_AI_ADDRCONFIG) flags |= LUP_ADDRCONFIG;
    if (q->flags & GAI_AI_V4MAPPED) flags |= LUP_DUAL_ADDR;
    /* the provider converts non-ASCII names to their IDNA form unless told not to */
    if (q->flags & GAI_AI_DISABLE_IDN_ENCODING) flags |= LUP_DISABLE_IDN_ENCODING;
    if ((err = begin(&qs, flags, q->cancel, &h))) return map_error(err);
    if (!(res = HeapAlloc(GetProcessHeap(), 0, size))) err = WSA_NOT_ENOUGH_MEMORY;
    while (!err && !(err = next(h, 0, &res, &size)))
    {
        if (!results++ && (q->flags & (GAI_AI_CANONNAME | GAI_AI_FQDN)) && res->lpszServiceInstanceName &&
            res->lpszServiceInstanceName[0] && !(out->canon = gai_wcsdup(res->lpszServiceInstanceName)))
            err = WSA_NOT_ENOUGH_MEMORY;
        if (!err) collect(res, out->addrs, count);
    }
    HeapFree(GetProcessHeap(), 0, res);
    reason = end(h, q->cancel);
    if (reason) return reason;
    /* addresses already collected stand even if a later provider failed */
    if (*count && err != WSA_NOT_ENOUGH_MEMORY) return 0;
    if (err == WSA_E_NO_MORE) err = results ? WSANO_DATA : WSAHOST_NOT_FOUND;
    return map_error(err);
}

int gai_resolve(const WCHAR *node, const WCHAR *service, const struct gai_query *q, struct gai_answer *out)
{
    BOOL numeric = FALSE;
    size_t count = 0;
    int err;

    out->addrs = out->inline_addrs;
    out->count = 0;
    out->port = 0;
    out->canon = NULL;
    if ((err = startup_check())) return err;
    if (!node && !service) return WSAHOST_NOT_FOUND;
    if ((err = resolve_service(service, q, &out->port))) return err;

    if (!node)
    {
        int passive = (q->flags & GAI_AI_PASSIVE) != 0;
        if (q->family != AF_INET) gai_special_addr(AF_INET6, passive, &out->addrs[count++]);
        if (q->family != AF_INET6) gai_special_addr(AF_INET, passive, &out->addrs[count++]);
    }
    else
    {
        char text[GAI_NAME_MAX];
        /* a numeric host never reaches a provider, nor the heap */
        numeric = !addr_wide_to_ascii((const uint16_t *)node, text, sizeof(text)) &&
                  !gai_parse_numeric_host(text, &out->addrs[0]);
        if (numeric)
        {
            count = 1;
            if ((q->flags & (GAI_AI_CANONNAME | GAI_AI_FQDN)) && !(out->canon = gai_wcsdup(node))) err = WSA_NOT_ENOUGH_MEMORY;
        }
        else if (q->flags & GAI_AI_NUMERICHOST) err = WSAHOST_NOT_FOUND;
        else if (!(out->addrs = HeapAlloc(GetProcessHeap(), 0, GAI_MAX_ADDRS * sizeof(*out->addrs))))
        {
            out->addrs = out->inline_addrs;
            err = WSA_NOT_ENOUGH_MEMORY;
        }
        else
        {
            err = resolve_name(node, q, out, &count);
            if (!err && (q->flags & GAI_AI_ADDRCONFIG))
            {
                BOOL v4, v6;
                size_t i, kept = 0;
                configured_families(&v4, &v6);
                for (i = 0; i < count; i++)
                    if ((out->addrs[i].family == AF_INET && v4) || (out->addrs[i].family == AF_INET6 && v6))
                        out->addrs[kept++] = out->addrs[i];
                if (count && !kept) err = WSANO_DATA;
                count = kept;
            }
        }
    }
    if (!err)
    {
        size_t had = count;
        count = gai_apply_family(out->addrs, count, q->family, q->flags);
        /* a numeric address of another family than asked: no such host */
        if (had && !count) err = numeric ? WSAHOST_NOT_FOUND : WSANO_DATA;
        count = gai_unique(out->addrs, count);
        /* the wildcard/loopback pair of a NULL node stays IPv6 first, as Windows returns it */
        if (node) gai_sort(out->addrs, count);
    }
    out->count = count;
    if (err) gai_answer_free(out);
    return err;
}

void gai_answer_free(struct gai_answer *a)
{
    if (a->addrs != a->inline_addrs) HeapFree(GetProcessHeap(), 0, a->addrs);
    HeapFree(GetProcessHeap(), 0, a->canon);
    a->addrs = a->inline_addrs;
    a->canon = NULL;
    a->count = 0;
}

int gai_reverse_name(const struct gai_addr *a, WCHAR *name, size_t size)
{
    char text[ADDR_IPV6_STRLEN];
    WCHAR wtext[ADDR_IPV6_STRLEN];
    WSAQUERYSETW *qs;
    size_t len;
    int err;

    len = a->family == AF_INET ? addr_format_ipv4(a->addr, text) : addr_format_ipv6(a->addr, text);
    addr_ascii_to_wide(text, len, (uint16_t *)wtext);
    if ((err = gai_lookup_first(&guid_byaddr, wtext, a->family, LUP_RETURN_NAME, &qs))) return err;
    if (!qs->lpszServiceInstanceName || !qs->lpszServiceInstanceName[0]) err = WSAHOST_NOT_FOUND;
    else if ((len = gai_wcslen(qs->lpszServiceInstanceName)) >= size) err = WSAEFAULT;
    else memcpy(name, qs->lpszServiceInstanceName, (len + 1) * sizeof(WCHAR));
    HeapFree(GetProcessHeap(), 0, qs);
    return err;
}

int gai_local_host_name(WCHAR *name, size_t size, size_t *needed)
{
    WSAQUERYSETW *qs;
    size_t len;
    int err;

    *needed = 0;
    if ((err = gai_lookup_first(&guid_hostname, NULL, -1, LUP_RETURN_NAME, &qs))) return err;
    if (!qs->lpszServiceInstanceName || !qs->lpszServiceInstanceName[0]) err = WSAHOST_NOT_FOUND;
    else
    {
        len = gai_wcslen(qs->lpszServiceInstanceName);
        *needed = len + 1;
        if (len >= size) err = WSAEFAULT;
        else memcpy(name, qs->lpszServiceInstanceName, (len + 1) * sizeof(WCHAR));
    }
    HeapFree(GetProcessHeap(), 0, qs);
    return err;
}
