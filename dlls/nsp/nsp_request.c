/* nsp_request.c - turns the WSAQUERYSETW restrictions of NSPLookupServiceBegin into an
 * nsp_request: the service class (SVCID_HOSTNAME, SVCID_INET_HOSTADDRBYNAME,
 * SVCID_INET_HOSTADDRBYINETSTRING, SVCID_INET_SERVICEBYNAME, SVCID_DNS(A/AAAA/PTR)), the instance
 * name, the families and socket types from lpafpProtocols, the service of lpszQueryString.
 * Non-ASCII host names are converted to their IDNA (punycode) form with IdnToAscii unless
 * LUP_DISABLE_IDN_ENCODING is set, as Windows does. Everything the caller passed is checked before use.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdio.h>
#include <svcguid.h>
#include "addr_parse.h"
#include "dns_message.h"
#include "nsp_private.h"

static const GUID guid_hostname = SVCID_HOSTNAME;
static const GUID guid_byname = SVCID_INET_HOSTADDRBYNAME;
static const GUID guid_byaddr = SVCID_INET_HOSTADDRBYINETSTRING;
static const GUID guid_service = SVCID_INET_SERVICEBYNAME;

/* Copies a caller's wide string to ASCII: 0, -1 when not ASCII or too long. */
static int copy_wide(const WCHAR *w, char *out, size_t size)
{
    size_t i;
    for (i = 0; i < size; i++)
    {
        WCHAR c = w[i];
        if (!c)
        {
            out[i] = 0;
            return 0;
        }
        if (c >= 0x80) return -1;
        out[i] = (char)c;
    }
    return -1;
}

typedef int (WINAPI *idn_to_ascii_fn)(DWORD, const WCHAR *, int, WCHAR *, int);

/* A non-ASCII host name in its IDNA form (kernel32's IdnToAscii where it exists): 0 or -1. */
static int idn_name(const WCHAR *w, char *out, size_t size)
{
    static idn_to_ascii_fn fn;
    static LONG looked_up;
    WCHAR buf[NSP_NAME_MAX];
    DWORD saved = GetLastError();
    int n;

    if (!InterlockedCompareExchange(&looked_up, 1, 0))
    {
        HMODULE k32 = GetModuleHandleA("kernel32.dll");
        idn_to_ascii_fn f = k32 ? (idn_to_ascii_fn)(void *)GetProcAddress(k32, "IdnToAscii") : NULL;
        InterlockedExchangePointer((void **)&fn, (void *)f);
    }
    if (!fn) return -1;
    n = fn(0, w, -1, buf, NSP_NAME_MAX);
    SetLastError(saved);
    if (n <= 0 || n > NSP_NAME_MAX) return -1;
    buf[NSP_NAME_MAX - 1] = 0;
    return copy_wide(buf, out, size);
}

static BOOL is_dns_guid(const GUID *g)
{
    return IS_SVCID_DNS(g);
}

int nsp_request_parse(const GUID *provider, const WSAQUERYSETW *qs, DWORD flags, struct nsp_request *req)
{
    const GUID *cls;
    DWORD i;
    int proto_families = 0;

    memset(req, 0, sizeof(*req));
    if (!qs || qs->dwSize < sizeof(WSAQUERYSETW) || !qs->lpServiceClassId) return WSAEINVAL;
    if (qs->dwNameSpace != NS_ALL && qs->dwNameSpace != NS_DNS && qs->dwNameSpace != NS_TCPIP_HOSTS &&
        qs->dwNameSpace != NS_TCPIP_LOCAL)
        return WSAEINVAL;
    if (qs->dwNumberOfProtocols && !qs->lpafpProtocols) return WSAEINVAL;
    if (qs->dwNumberOfProtocols > 1024) return WSAEINVAL;

    cls = qs->lpServiceClassId;
    req->class_id = *cls;
    if (provider) req->provider_id = *provider;
    req->flags = flags;
    req->families = NSP_FAMILY_V4;
    if (IsEqualGUID(cls, &guid_hostname)) req->kind = NSP_KIND_HOSTNAME;
    else if (IsEqualGUID(cls, &guid_byname)) req->kind = NSP_KIND_HOSTBYNAME;
    else if (IsEqualGUID(cls, &guid_byaddr)) req->kind = NSP_KIND_HOSTBYADDR;
    else if (IsEqualGUID(cls, &guid_service)) req->kind = NSP_KIND_SERVICE;
    else if (is_dns_guid(cls) && cls->Data3 == DNS_TYPE_A) req->kind = NSP_KIND_HOSTBYNAME;
    else if (is_dns_guid(cls) && cls->Data3 == DNS_TYPE_AAAA)
    {
        req->kind = NSP_KIND_HOSTBYNAME;
        req->families = NSP_FAMILY_V6;
    }
    else if (is_dns_guid(cls) && cls->Data3 == DNS_TYPE_PTR) req->kind = NSP_KIND_HOSTBYADDR;
    else return WSASERVICE_NOT_FOUND;

    /* the instance name */
    if (!qs->lpszServiceInstanceName || !qs->lpszServiceInstanceName[0])
    {
        if (req->kind == NSP_KIND_HOSTNAME || (req->kind == NSP_KIND_HOSTBYNAME && qs->lpszServiceInstanceName))
            req->local_host = TRUE;
        else return WSAEINVAL;
    }
    else if (copy_wide(qs->lpszServiceInstanceName, req->name, sizeof(req->name)))
    {
        /* not ASCII: host names go through IDNA unless the caller asked not to */
        if ((req->kind != NSP_KIND_HOSTNAME && req->kind != NSP_KIND_HOSTBYNAME) || (flags & LUP_DISABLE_IDN_ENCODING) ||
            idn_name(qs->lpszServiceInstanceName, req->name, sizeof(req->name)))
            req->name[0] = 0, req->bad_name = TRUE;
    }

    if ((req->kind == NSP_KIND_HOSTNAME || req->kind == NSP_KIND_HOSTBYNAME) && req->name[0])
    {
        size_t n = strlen(req->name);
        if (n > 1 && req->name[n - 1] == '.' && req->name[n - 2] != '.')
        {
            req->name[n - 1] = 0;
            req->rooted = TRUE;
        }
    }

    if (qs->lpszQueryString && qs->lpszQueryString[0] &&
        copy_wide(qs->lpszQueryString, req->service, sizeof(req->service)))
        req->service[0] = 0;

    /* the families and transport of the answers */
    req->socket_type = SOCK_STREAM;
    req->protocol = IPPROTO_TCP;
    for (i = 0; i < qs->dwNumberOfProtocols; i++)
    {
        const AFPROTOCOLS *p = &qs->lpafpProtocols[i];
        int f = 0;
        if (p->iAddressFamily == AF_INET) f = NSP_FAMILY_V4;
        else if (p->iAddressFamily == AF_INET6) f = NSP_FAMILY_V6;
        else if (p->iAddressFamily == AF_UNSPEC) f = NSP_FAMILY_V4 | NSP_FAMILY_V6;
        if (!f) continue;
        if (!proto_families)
        {
            if (p->iProtocol == IPPROTO_UDP)
            {
                req->socket_type = SOCK_DGRAM;
                req->protocol = IPPROTO_UDP;
            }
        }
        proto_families |= f;
    }
    if (qs->dwNumberOfProtocols)
    {
        /* only the families asked for; SVCID_DNS_TYPE_AAAA stays IPv6-only */
        if (req->kind == NSP_KIND_HOSTBYNAME && is_dns_guid(cls)) req->families &= proto_families;
        else req->families = proto_families;
    }
    req->hostent_family = (req->families & NSP_FAMILY_V4) || !req->families ? AF_INET : AF_INET6;
    return 0;
}
