/* ns_queryset_ptr.c - deep pointer probes of WSAQUERYSET and WSASERVICECLASSINFO (include/ns_queryset_ptr.h)
 * for WSALookupServiceBegin, WSASetService and WSAInstallServiceClass: each member pointer is probed
 * with include/user_ptr.h before the structure is converted or passed to a namespace provider.
 * The A and W structures share one layout (only the string types differ), so one walk serves both.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "ns_queryset_ptr.h"
#include "user_ptr.h"

/* A NULL string is fine here (the callers' own checks decide about NULL members). */
static BOOL opt_string(const void *s, BOOL ansi)
{
    if (!s) return TRUE;
    return ansi ? user_str_readable(s) : user_wstr_readable(s);
}

static BOOL opt_struct(const void *p, size_t size)
{
    return !p || user_readable(p, size);
}

static BOOL socket_address_readable(const SOCKET_ADDRESS *a)
{
    if (!a->lpSockaddr || a->iSockaddrLength <= 0) return TRUE;
    return user_readable(a->lpSockaddr, (size_t)a->iSockaddrLength);
}

BOOL ns_queryset_readable(const void *p, BOOL ansi)
{
    const WSAQUERYSETW *qs = p; /* WSAQUERYSETA has the same layout */
    DWORD i;

    if (!user_readable(qs, sizeof(*qs))) return FALSE;
    if (!opt_string(qs->lpszServiceInstanceName, ansi) || !opt_struct(qs->lpServiceClassId, sizeof(GUID)) ||
        !opt_struct(qs->lpVersion, sizeof(WSAVERSION)) || !opt_string(qs->lpszComment, ansi) ||
        !opt_struct(qs->lpNSProviderId, sizeof(GUID)) || !opt_string(qs->lpszContext, ansi) ||
        !opt_string(qs->lpszQueryString, ansi) || !opt_struct(qs->lpBlob, sizeof(BLOB)))
        return FALSE;
    if (qs->lpafpProtocols && !user_array_readable(qs->lpafpProtocols, qs->dwNumberOfProtocols, sizeof(AFPROTOCOLS)))
        return FALSE;
    if (qs->lpcsaBuffer)
    {
        if (!user_array_readable(qs->lpcsaBuffer, qs->dwNumberOfCsAddrs, sizeof(CSADDR_INFO))) return FALSE;
        for (i = 0; i < qs->dwNumberOfCsAddrs; i++)
            if (!socket_address_readable(&qs->lpcsaBuffer[i].LocalAddr) ||
                !socket_address_readable(&qs->lpcsaBuffer[i].RemoteAddr))
                return FALSE;
    }
    if (qs->lpBlob && qs->lpBlob->cbSize && qs->lpBlob->pBlobData &&
        !user_readable(qs->lpBlob->pBlobData, qs->lpBlob->cbSize))
        return FALSE;
    return TRUE;
}

BOOL ns_classinfo_readable(const void *p, BOOL ansi)
{
    const WSASERVICECLASSINFOW *info = p; /* WSASERVICECLASSINFOA has the same layout */
    DWORD i;

    if (!user_readable(info, sizeof(*info))) return FALSE;
    if (!opt_struct(info->lpServiceClassId, sizeof(GUID)) || !opt_string(info->lpszServiceClassName, ansi)) return FALSE;
    if (!info->lpClassInfos) return TRUE;
    if (!user_array_readable(info->lpClassInfos, info->dwCount, sizeof(WSANSCLASSINFOW))) return FALSE;
    for (i = 0; i < info->dwCount; i++)
    {
        const WSANSCLASSINFOW *c = &info->lpClassInfos[i];
        if (!opt_string(c->lpszName, ansi)) return FALSE;
        if (c->lpValue && !user_readable(c->lpValue, c->dwValueSize)) return FALSE;
    }
    return TRUE;
}
