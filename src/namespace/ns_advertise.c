/* ns_advertise.c - WSAAdvertiseProvider and WSAUnadvertiseProvider: the namespace version-2
 * providers advertised in this process (include/ns_advertise.h), their NSPv2Startup at first use and
 * NSPv2Cleanup at the last WSACleanup or when unadvertised. The advertisement is visible to this
 * process only: Windows makes an advertised provider reachable from other processes of the same user
 * and session through its own service, which openws2 does not have.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
/* MinGW-w64 declares WSAAdvertiseProvider with a pointer to LPCNSPV2_ROUTINE; Microsoft's prototype
 * takes the LPCNSPV2_ROUTINE itself (a pointer to the structure): keep MinGW's declaration away. */
#define WSAAdvertiseProvider openws2_mingw_WSAAdvertiseProvider
#include "ws2_common.h"
#undef WSAAdvertiseProvider
#include <stdlib.h>
#include "ns_advertise.h"
#include "ns_catalog.h"
#include "ns_internal.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

INT WSAAPI WSAAdvertiseProvider(const GUID *puuidProviderId, const NSPV2_ROUTINE *pNSPv2Routine);

static SRWLOCK adv_lock = SRWLOCK_INIT;
static CRITICAL_SECTION start_cs;
static INIT_ONCE start_once = INIT_ONCE_STATIC_INIT;
static struct nspv2_provider *advertised;

static BOOL CALLBACK init_start_cs(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once;
    (void)param;
    (void)ctx;
    InitializeCriticalSection(&start_cs);
    return TRUE;
}

void ns_qs_to_qs2(const WSAQUERYSETW *in, WSAQUERYSET2W *out)
{
    memset(out, 0, sizeof(*out));
    out->dwSize = sizeof(*out);
    out->lpszServiceInstanceName = in->lpszServiceInstanceName;
    out->lpVersion = in->lpVersion;
    out->lpszComment = in->lpszComment;
    out->dwNameSpace = in->dwNameSpace;
    out->lpNSProviderId = in->lpNSProviderId;
    out->lpszContext = (void *)in->lpszContext;
    out->dwNumberOfProtocols = in->dwNumberOfProtocols;
    out->lpafpProtocols = in->lpafpProtocols;
    out->lpszQueryString = in->lpszQueryString;
    out->dwNumberOfCsAddrs = in->dwNumberOfCsAddrs;
    out->lpcsaBuffer = in->lpcsaBuffer;
    out->dwOutputFlags = in->dwOutputFlags;
    out->lpBlob = in->lpBlob;
}

void ns_qs2_to_qs(const WSAQUERYSET2W *in, GUID *class_id, WSAQUERYSETW *out)
{
    memset(out, 0, sizeof(*out));
    out->dwSize = sizeof(*out);
    out->lpszServiceInstanceName = in->lpszServiceInstanceName;
    out->lpServiceClassId = class_id;
    out->lpVersion = in->lpVersion;
    out->lpszComment = in->lpszComment;
    out->dwNameSpace = in->dwNameSpace;
    out->lpNSProviderId = in->lpNSProviderId;
    out->lpszContext = (void *)in->lpszContext;
    out->dwNumberOfProtocols = in->dwNumberOfProtocols;
    out->lpafpProtocols = in->lpafpProtocols;
    out->lpszQueryString = in->lpszQueryString;
    out->dwNumberOfCsAddrs = in->dwNumberOfCsAddrs;
    out->lpcsaBuffer = in->lpcsaBuffer;
    out->dwOutputFlags = in->dwOutputFlags;
    out->lpBlob = in->lpBlob;
}

static struct nspv2_provider *find_locked(const GUID *id)
{
    struct nspv2_provider *p;
    for (p = advertised; p; p = p->next)
        if (!memcmp(&p->id, id, sizeof(*id))) return p;
    return NULL;
}

void nspv2_release(struct nspv2_provider *p)
{
    if (p && !InterlockedDecrement(&p->refs)) free(p);
}

BOOL nspv2_advertised(const GUID *id)
{
    BOOL found;
    if (!id) return FALSE;
    AcquireSRWLockShared(&adv_lock);
    found = find_locked(id) != NULL;
    ReleaseSRWLockShared(&adv_lock);
    return found;
}

int nspv2_get(const GUID *id, struct nspv2_provider **out)
{
    struct nspv2_provider *p;
    int err = 0;

    *out = NULL;
    AcquireSRWLockShared(&adv_lock);
    if ((p = find_locked(id))) InterlockedIncrement(&p->refs);
    ReleaseSRWLockShared(&adv_lock);
    if (!p) return WSAEINVALIDPROVIDER;
    InitOnceExecuteOnce(&start_once, init_start_cs, NULL, NULL);
    EnterCriticalSection(&start_cs);
    if (!p->started && !p->gone)
    {
        GUID gid = p->id;
        char g[GUID_TEXT_SIZE];
        int ret;

        if (p->routines.NSPv2Startup)
        {
            SetLastError(0);
            ret = p->routines.NSPv2Startup(&gid, &p->session);
            err = ret ? (int)GetLastError() : 0;
            if (ret && !err) err = WSAEPROVIDERFAILEDINIT;
            TRACE_SPI("NSPv2Startup(%s) -> %d (error %d, session %p)", user_guid_text(&gid, g), ret, err, p->session);
        }
        if (!err) p->started = TRUE;
    }
    else if (p->gone) err = WSAEINVALIDPROVIDER;
    LeaveCriticalSection(&start_cs);
    if (err)
    {
        nspv2_release(p);
        return err;
    }
    *out = p;
    return 0;
}

static void cleanup_one(struct nspv2_provider *p)
{
    char g[GUID_TEXT_SIZE];
    GUID gid = p->id;
    int ret;

    if (!p->started) return;
    p->started = FALSE;
    if (!p->routines.NSPv2Cleanup) return;
    ret = p->routines.NSPv2Cleanup(&gid, p->session);
    TRACE_SPI("NSPv2Cleanup(%s, session %p) -> %d", user_guid_text(&gid, g), p->session, ret);
    p->session = NULL;
}

void nspv2_cleanup_all(void)
{
    struct nspv2_provider *p;

    InitOnceExecuteOnce(&start_once, init_start_cs, NULL, NULL);
    EnterCriticalSection(&start_cs);
    AcquireSRWLockShared(&adv_lock);
    for (p = advertised; p; p = p->next) cleanup_one(p);
    ReleaseSRWLockShared(&adv_lock);
    LeaveCriticalSection(&start_cs);
}

INT WSAAPI WSAAdvertiseProvider(const GUID *puuidProviderId, const NSPV2_ROUTINE *pNSPv2Routine)
{
    struct nspv2_provider *p = NULL, *old;
    struct ns_catalog *cat = NULL;
    char g[GUID_TEXT_SIZE];
    int err = startup_check();

    if (!err && (!puuidProviderId || !pNSPv2Routine)) err = WSAEINVAL;
    if (!err && (!pNSPv2Routine->NSPv2LookupServiceBegin || !pNSPv2Routine->NSPv2LookupServiceNextEx ||
                 !pNSPv2Routine->NSPv2LookupServiceEnd))
        err = WSAEINVAL;
    if (!err && !(cat = ns_catalog_current())) err = WSA_NOT_ENOUGH_MEMORY;
    if (!err && !ns_catalog_find(cat, puuidProviderId)) err = WSAEINVALIDPROVIDER;
    ns_catalog_release(cat);
    if (!err && !(p = calloc(1, sizeof(*p)))) err = WSA_NOT_ENOUGH_MEMORY;
    if (!err)
    {
        size_t size = pNSPv2Routine->cbSize && pNSPv2Routine->cbSize < sizeof(p->routines) ? pNSPv2Routine->cbSize
                                                                                           : sizeof(p->routines);
        p->refs = 1;
        p->id = *puuidProviderId;
        memcpy(&p->routines, pNSPv2Routine, size);
        AcquireSRWLockExclusive(&adv_lock);
        if ((old = find_locked(puuidProviderId))) err = WSAEALREADY; /* unadvertise it first */
        else
        {
            p->next = advertised;
            advertised = p;
        }
        ReleaseSRWLockExclusive(&adv_lock);
        if (err) free(p);
    }
    TRACE_API("WSAAdvertiseProvider(puuidProviderId %s pNSPv2Routine %p) -> %d (error %d)",
              user_guid_text(puuidProviderId, g), (const void *)pNSPv2Routine, err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSAUnadvertiseProvider(const GUID *puuidProviderId)
{
    struct nspv2_provider **pp, *p = NULL;
    char g[GUID_TEXT_SIZE];
    int err = 0;

    if (!puuidProviderId) err = WSAEINVAL;
    if (!err)
    {
        AcquireSRWLockExclusive(&adv_lock);
        for (pp = &advertised; *pp; pp = &(*pp)->next)
            if (!memcmp(&(*pp)->id, puuidProviderId, sizeof(GUID)))
            {
                p = *pp;
                *pp = p->next;
                break;
            }
        ReleaseSRWLockExclusive(&adv_lock);
        if (!p) err = WSAEINVAL;
    }
    if (p)
    {
        InitOnceExecuteOnce(&start_once, init_start_cs, NULL, NULL);
        EnterCriticalSection(&start_cs);
        p->gone = TRUE;
        cleanup_one(p);
        LeaveCriticalSection(&start_cs);
        nspv2_release(p);
    }
    TRACE_API("WSAUnadvertiseProvider(puuidProviderId %s) -> %d (error %d)", user_guid_text(puuidProviderId, g),
              err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}
