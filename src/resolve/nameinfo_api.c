/* nameinfo_api.c - getnameinfo and GetNameInfoW: the host name of an address through the namespace
 * catalog (reverse lookup, src/resolve/gai_resolve.c) or its numeric text (NI_NUMERICHOST, or when no name is
 * found without NI_NAMEREQD), NI_NOFQDN's first label, the service name from the services database
 * (udp with NI_DGRAM) or the port number (NI_NUMERICSERV, or no entry). Windows' errors: WSAEFAULT
 * (bad sockaddr or length, result buffer too small), WSAEAFNOSUPPORT, WSAEINVAL (unknown flag, zero
 * buffer length), WSAHOST_NOT_FOUND (no buffers, NI_NAMEREQD without a name), WSANOTINITIALISED.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdio.h>
#include "addr_parse.h"
#include "gai_build.h"
#include "gai_resolve.h"
#include "netdb_files.h"
#include "netdb_parse.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

#define NI_HOST_MAX 1025

/* The work in WCHARs (host) and ASCII (service); lengths include the NUL. */
static int name_info(const struct sockaddr *sa, socklen_t salen, BOOL want_host, DWORD hostlen, BOOL want_serv,
                     DWORD servlen, int flags, WCHAR *host, char *serv)
{
    struct gai_addr a;
    uint16_t port;
    int err;

    if ((err = startup_check())) return err;
    if ((unsigned)flags & ~(unsigned)GAI_NI_FLAGS) return WSAEINVAL;
    if (!sa || salen <= 0 || !user_readable(sa, (size_t)salen)) return WSAEFAULT;
    if ((err = gai_read_sockaddr(sa, (size_t)salen, &a, &port))) return err;
    if (!want_host && !want_serv) return WSAHOST_NOT_FOUND;
    if ((want_host && !hostlen) || (want_serv && !servlen)) return WSAEINVAL;

    if (want_host)
    {
        err = (flags & NI_NUMERICHOST) ? WSAHOST_NOT_FOUND : gai_reverse_name(&a, host, NI_HOST_MAX);
        if (!err && (flags & NI_NOFQDN))
        {
            size_t i;
            for (i = 0; host[i] && host[i] != '.'; i++) {}
            host[i] = 0;
        }
        if (err && err != WSAEFAULT && (flags & NI_NAMEREQD)) return err == WSATRY_AGAIN ? err : WSAHOST_NOT_FOUND;
        if (err)
        {
            char text[ADDR_IPV6_FULL_STRLEN];
            size_t len = a.family == AF_INET ? addr_format_ipv4(a.addr, text) : addr_format_ipv6_ex(a.addr, a.scope, 0, text);
            addr_ascii_to_wide(text, len, (uint16_t *)host);
        }
        if (gai_wcslen(host) + 1 > hostlen) return WSAEFAULT;
    }
    if (want_serv)
    {
        int found = 0;
        if (!(flags & NI_NUMERICSERV))
        {
            struct netdb_text db;
            struct netdb_service *entry = HeapAlloc(GetProcessHeap(), 0, sizeof(*entry));
            if (!entry) return WSA_NOT_ENOUGH_MEMORY;
            if (!netdb_file_load(NETDB_SERVICES, &db))
            {
                found = netdb_find_service_by_port(db.data, db.len, port, (flags & NI_DGRAM) ? "udp" : "tcp", entry);
                if (found) memcpy(serv, entry->name, strlen(entry->name) + 1);
                netdb_file_free(&db);
            }
            HeapFree(GetProcessHeap(), 0, entry);
        }
        if (!found) snprintf(serv, NETDB_NAME_MAX, "%u", port);
        if (strlen(serv) + 1 > servlen) return WSAEFAULT;
    }
    return 0;
}

INT WSAAPI GetNameInfoW(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PWCHAR pNodeBuffer, DWORD NodeBufferSize,
                        PWCHAR pServiceBuffer, DWORD ServiceBufferSize, INT Flags)
{
    WCHAR *host = HeapAlloc(GetProcessHeap(), 0, NI_HOST_MAX * sizeof(WCHAR));
    char serv[NETDB_NAME_MAX];
    int err;

    if (!host) err = WSA_NOT_ENOUGH_MEMORY;
    else err = name_info(pSockaddr, SockaddrLength, pNodeBuffer != NULL, NodeBufferSize, pServiceBuffer != NULL,
                         ServiceBufferSize, Flags, host, serv);
    /* the caller's buffers, probed for what is written into them (include/user_ptr.h) */
    if (!err && ((pNodeBuffer && !user_array_writable(pNodeBuffer, gai_wcslen(host) + 1, sizeof(WCHAR))) ||
                 (pServiceBuffer && !user_array_writable(pServiceBuffer, strlen(serv) + 1, sizeof(WCHAR)))))
        err = WSAEFAULT;
    if (!err)
    {
        if (pNodeBuffer) memcpy(pNodeBuffer, host, (gai_wcslen(host) + 1) * sizeof(WCHAR));
        if (pServiceBuffer) addr_ascii_to_wide(serv, strlen(serv), (uint16_t *)pServiceBuffer);
    }
    HeapFree(GetProcessHeap(), 0, host);
    TRACE_API("GetNameInfoW(pSockaddr %p SockaddrLength %d pNodeBuffer %p NodeBufferSize %lu pServiceBuffer %p "
              "ServiceBufferSize %lu Flags %#x) -> %d", (const void *)pSockaddr, (int)SockaddrLength, (void *)pNodeBuffer,
              (unsigned long)NodeBufferSize, (void *)pServiceBuffer, (unsigned long)ServiceBufferSize, Flags, err);
    if (err) WSASetLastError(err);
    return err;
}

int WSAAPI getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, DWORD hostlen, char *serv,
                       DWORD servlen, int flags)
{
    WCHAR *whost = HeapAlloc(GetProcessHeap(), 0, NI_HOST_MAX * sizeof(WCHAR));
    char service[NETDB_NAME_MAX];
    char *ahost = NULL;
    int err;

    if (!whost) err = WSA_NOT_ENOUGH_MEMORY;
    else err = name_info(sa, salen, host != NULL, hostlen, serv != NULL, servlen, flags, whost, service);
    if (!err && host)
    {
        if (!(ahost = gai_w_to_a(whost))) err = WSA_NOT_ENOUGH_MEMORY;
        else if (strlen(ahost) + 1 > hostlen || !user_writable(host, strlen(ahost) + 1)) err = WSAEFAULT;
    }
    if (!err && serv && !user_writable(serv, strlen(service) + 1)) err = WSAEFAULT;
    if (!err)
    {
        if (host) memcpy(host, ahost, strlen(ahost) + 1);
        if (serv) memcpy(serv, service, strlen(service) + 1);
    }
    HeapFree(GetProcessHeap(), 0, ahost);
    HeapFree(GetProcessHeap(), 0, whost);
    TRACE_API("getnameinfo(sa %p salen %d host %p hostlen %lu serv %p servlen %lu flags %#x) -> %d (%s %s)",
              (const void *)sa, (int)salen, (void *)host, (unsigned long)hostlen, (void *)serv, (unsigned long)servlen,
              flags, err, !err && host ? host : "", !err && serv ? serv : "");
    if (err) WSASetLastError(err);
    return err;
}
