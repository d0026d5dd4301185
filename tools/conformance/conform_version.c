/* conform_version.c - ws2conform's rule for WSPStartup's version negotiation, from Microsoft's
 * WSPStartup documentation: "If this version is equal to or higher than the lowest version supported
 * by the service provider, the call succeeds and the service provider returns in wHighVersion the
 * highest version it supports and in wVersion the minimum of its high version and
 * wVersionRequested"; below the lowest supported version it answers WSAVERNOTSUPPORTED. A Winsock 2
 * provider supports 2.2, so 2.2 and higher requests must succeed. Portable.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "conform_version.h"

#define V22 (2u * 256 + 2)

unsigned conf_version_number(WORD v)
{
    return (unsigned)LOBYTE(v) * 256 + HIBYTE(v);
}

static BOOL verdict(const char **why, const char *text)
{
    if (why) *why = text;
    return text == NULL;
}

BOOL conf_version_ok(WORD requested, int result, WORD version, WORD high, const char **why)
{
    unsigned rq = conf_version_number(requested), v = conf_version_number(version), h = conf_version_number(high);

    if (result == WSAVERNOTSUPPORTED)
        return verdict(why, rq < V22 ? NULL : "a Winsock 2.2 provider must accept 2.2 and negotiate higher requests down");
    if (result != 0) return verdict(why, "documented results are 0 and WSAVERNOTSUPPORTED");
    if (h < V22) return verdict(why, "wHighVersion must be the highest version supported (2.2 or more), whatever was requested");
    if (v != (rq < h ? rq : h)) return verdict(why, "wVersion must be the lesser of the request and wHighVersion");
    return verdict(why, NULL);
}
