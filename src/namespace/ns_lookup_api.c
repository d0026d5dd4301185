/* ns_lookup_api.c - WSALookupServiceBeginA/W, WSALookupServiceNextA/W, WSALookupServiceEnd and
 * WSANSPIoctl: a lookup is routed through the enabled providers of the namespace catalog in catalog
 * order (one provider when WSAQUERYSET names it by lpNSProviderId, the providers of dwNameSpace, or
 * all of them for NS_ALL); Next asks the current provider until it reports WSA_E_NO_MORE/WSAENOMORE
 * and then moves to the next one; End ends every provider's lookup. Lookup handles are validated
 * against the process' list of open lookups (WSA_INVALID_HANDLE otherwise). The A functions convert
 * WSAQUERYSETA <-> W; a result that does not fit the caller's ANSI buffer is kept for the next call
 * (WSAEFAULT with the size it needs), so no answer is lost. The last WSACleanup ends the lookups still
 * open (ns_lookup_close_all). A provider advertised in this process with WSAAdvertiseProvider is reached
 * through its NSPv2 routines (src/namespace/ns_advertise.c) instead of its DLL, its WSAQUERYSET2W results
 * converted to WSAQUERYSETW. Caller memory is probed before use (include/user_ptr.h, the query set
 * in depth with include/ns_queryset_ptr.h): a bad pointer is WSAEFAULT, never a crash in a provider.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdio.h>
#include <stdlib.h>
#include "api_internal.h"
#include "ns_advertise.h"
#include "ns_catalog.h"
#include "ns_queryset.h"
#include "ns_queryset_ptr.h"
#include "nsp_loader.h"
#include "startup.h"
#include "guid_text.h"
#include "trace.h"
#include "user_ptr.h"

/* The first result buffers (grown to what the provider asks for, up to NS_RESULT_SIZE_MAX): an NSPv2
 * provider's next result, and the W result fetched for an ANSI caller. */
#define NSPV2_FIRST_RESULT_SIZE 2048
#define PENDING_FIRST_RESULT_SIZE 4096

#define LOOKUP_MAGIC 0x4e534c4bu /* "NSLK" */

struct lookup_provider
{
    struct nsp_provider *nsp;    /* an NSPv1 provider (NSPStartup) ... */
    struct nspv2_provider *v2;   /* ... or an advertised NSPv2 one */
    HANDLE handle;               /* the provider's lookup handle */
    GUID class_id;               /* the query's class id (NSPv2 results carry none) */
    BOOL has_class;
};

struct lookup
{
    DWORD magic;
    LONG refs;
    struct lookup *next;       /* open-lookup list */
    SRWLOCK lock;              /* serialises Next/Ioctl on this lookup */
    volatile LONG ended;       /* WSALookupServiceEnd called */
    size_t count, current;
    struct lookup_provider *providers;
    void *pending;             /* a W result the ANSI caller's buffer could not take yet */
    size_t pending_size;
};

static SRWLOCK open_lock = SRWLOCK_INIT;
static struct lookup *open_lookups;

static void end_providers(struct lookup *l)
{
    size_t i;
    for (i = 0; i < l->count; i++)
    {
        struct lookup_provider *lp = &l->providers[i];
        if (lp->nsp)
        {
            int ret = lp->nsp->routines.NSPLookupServiceEnd(lp->handle);
            TRACE_SPI("NSPLookupServiceEnd(%p) -> %d", (void *)lp->handle, ret);
        }
        else if (lp->v2)
        {
            int ret = lp->v2->routines.NSPv2LookupServiceEnd(lp->handle);
            TRACE_SPI("NSPv2LookupServiceEnd(%p) -> %d", (void *)lp->handle, ret);
        }
    }
}

static void lookup_release(struct lookup *l)
{
    size_t i;
    if (!l || InterlockedDecrement(&l->refs)) return;
    for (i = 0; i < l->count; i++)
    {
        nsp_release(l->providers[i].nsp);
        nspv2_release(l->providers[i].v2);
    }
    free(l->providers);
    free(l->pending);
    l->magic = 0;
    free(l);
}

/* The referenced lookup behind a handle, or NULL. */
static struct lookup *lookup_get(HANDLE h)
{
    struct lookup *l;
    AcquireSRWLockShared(&open_lock);
    for (l = open_lookups; l; l = l->next)
        if ((HANDLE)l == h) break;
    if (l) InterlockedIncrement(&l->refs);
    ReleaseSRWLockShared(&open_lock);
    return l;
}

/* Takes l out of the open list; TRUE when it was there (the caller then owns the list's reference). */
static BOOL lookup_unlink(struct lookup *l)
{
    struct lookup **pp;
    BOOL found = FALSE;
    AcquireSRWLockExclusive(&open_lock);
    for (pp = &open_lookups; *pp; pp = &(*pp)->next)
        if (*pp == l)
        {
            *pp = l->next;
            found = TRUE;
            break;
        }
    ReleaseSRWLockExclusive(&open_lock);
    return found;
}

/* Which catalog entries a query goes to. */
static BOOL entry_selected(const struct ns_catalog_entry *e, const WSAQUERYSETW *qs)
{
    if (!e->enabled) return FALSE;
    if (qs->lpNSProviderId) return !memcmp(&e->id, qs->lpNSProviderId, sizeof(GUID));
    return qs->dwNameSpace == NS_ALL || e->name_space == qs->dwNameSpace;
}

static int check_queryset(const WSAQUERYSETW *qs)
{
    if (qs->dwSize < sizeof(WSAQUERYSETW)) return WSAEINVAL;
    if (qs->dwNumberOfProtocols && !qs->lpafpProtocols) return WSAEINVAL;
    if (qs->dwNumberOfCsAddrs && !qs->lpcsaBuffer) return WSAEINVAL;
    return 0;
}

static int lookup_begin(const WSAQUERYSETW *qs, DWORD flags, HANDLE *out)
{
    struct ns_catalog *cat;
    struct lookup *l;
    WSASERVICECLASSINFOW class_info;
    size_t i;
    int err, first_err = 0;

    if ((err = startup_check())) return err;
    if (!qs || !out) return WSAEFAULT;
    if ((err = check_queryset(qs))) return err;
    if (!(cat = ns_catalog_current())) return WSA_NOT_ENOUGH_MEMORY;
    if (qs->lpNSProviderId && !ns_catalog_find(cat, qs->lpNSProviderId))
    {
        ns_catalog_release(cat);
        return WSAEINVAL;
    }
    if (!(l = calloc(1, sizeof(*l))) || (cat->count && !(l->providers = calloc(cat->count, sizeof(*l->providers)))))
    {
        free(l);
        ns_catalog_release(cat);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    l->magic = LOOKUP_MAGIC;
    l->refs = 1;
    InitializeSRWLock(&l->lock);

    memset(&class_info, 0, sizeof(class_info));
    class_info.lpServiceClassId = qs->lpServiceClassId;
    for (i = 0; i < cat->count; i++)
    {
        const struct ns_catalog_entry *e = &cat->entries[i];
        struct nsp_provider *nsp;
        HANDLE h = NULL;
        GUID id = e->id;
        char g[GUID_TEXT_SIZE];
        int ret;

        if (!entry_selected(e, qs)) continue;
        guid_text(&id, g);
        if (nspv2_advertised(&id))
        {
            struct nspv2_provider *v2;
            WSAQUERYSET2W qs2;
            if ((err = nspv2_get(&id, &v2)))
            {
                if (!first_err) first_err = err;
                continue;
            }
            ns_qs_to_qs2(qs, &qs2);
            SetLastError(0);
            ret = v2->routines.NSPv2LookupServiceBegin(&id, &qs2, flags, v2->session, &h);
            err = ret ? (int)GetLastError() : 0;
            TRACE_SPI("NSPv2LookupServiceBegin(%s, flags %#lx) -> %d (error %d, handle %p)", g, (unsigned long)flags,
                      ret, err, (void *)h);
            if (ret)
            {
                if (!first_err) first_err = err ? err : WSASERVICE_NOT_FOUND;
                nspv2_release(v2);
                continue;
            }
            l->providers[l->count].v2 = v2;
            l->providers[l->count].handle = h;
            if (qs->lpServiceClassId)
            {
                l->providers[l->count].class_id = *qs->lpServiceClassId;
                l->providers[l->count].has_class = TRUE;
            }
            l->count++;
            continue;
        }
        if ((err = nsp_get(e, &nsp)))
        {
            TRACE_NSP("lookup: provider %s not loaded (error %d): skipped", g, err);
            if (!first_err) first_err = err;
            continue;
        }
        SetLastError(0);
        ret = nsp->routines.NSPLookupServiceBegin(&id, (LPWSAQUERYSETW)qs, &class_info, flags, &h);
        err = ret ? (int)GetLastError() : 0;
        TRACE_SPI("NSPLookupServiceBegin(%s, qs %p, flags %#lx) -> %d (error %d, handle %p)", g, (void *)qs,
                  (unsigned long)flags, ret, err, (void *)h);
        if (ret)
        {
            if (!first_err) first_err = err ? err : WSASERVICE_NOT_FOUND;
            nsp_release(nsp);
            continue;
        }
        l->providers[l->count].nsp = nsp;
        l->providers[l->count].handle = h;
        l->count++;
    }
    ns_catalog_release(cat);
    if (!l->count)
    {
        lookup_release(l);
        return first_err ? first_err : WSASERVICE_NOT_FOUND;
    }
    AcquireSRWLockExclusive(&open_lock);
    l->next = open_lookups;
    open_lookups = l;
    ReleaseSRWLockExclusive(&open_lock);
    *out = (HANDLE)l;
    return 0;
}

/* NSPv2LookupServiceNextEx into a buffer of our own, the WSAQUERYSET2W result converted and packed
 * into results, or kept in l->pending (WSAEFAULT, *len the size needed) when it does not fit. */
static int v2_next(struct lookup *l, struct lookup_provider *lp, DWORD flags, DWORD *len, WSAQUERYSETW *results)
{
    DWORD size = NSPV2_FIRST_RESULT_SIZE;
    int tries;

    for (tries = 0; tries < 8; tries++)
    {
        WSAQUERYSET2W *buf = malloc(size);
        WSAQUERYSETW w;
        DWORD n = size;
        size_t need;
        int ret, err;

        if (!buf) return WSA_NOT_ENOUGH_MEMORY;
        SetLastError(0);
        ret = lp->v2->routines.NSPv2LookupServiceNextEx(NULL, lp->handle, flags, &n, buf);
        err = ret ? (int)GetLastError() : 0;
        if (ret && !err) err = WSANO_RECOVERY;
        TRACE_SPI("NSPv2LookupServiceNextEx(%p, flags %#lx, len %lu) -> %d (error %d)", (void *)lp->handle,
                  (unsigned long)flags, (unsigned long)size, ret, err);
        if (err)
        {
            free(buf);
            if (err != WSAEFAULT) return err;
            if (n <= size || n > NS_RESULT_SIZE_MAX) return WSANO_RECOVERY;
            size = n;
            continue;
        }
        ns_qs2_to_qs(buf, lp->has_class ? &lp->class_id : NULL, &w);
        need = ns_queryset_pack(&w, TRUE, NULL, 0, TRUE);
        if (!need) err = WSANO_RECOVERY;
        else if (results && *len >= need) ns_queryset_pack(&w, TRUE, results, *len, TRUE);
        else if (!(l->pending = malloc(need))) err = WSA_NOT_ENOUGH_MEMORY;
        else
        {
            ns_queryset_pack(&w, TRUE, l->pending, need, TRUE);
            l->pending_size = need;
            *len = (DWORD)need;
            err = WSAEFAULT;
        }
        free(buf);
        return err;
    }
    return WSANO_RECOVERY;
}

/* Asks the providers in turn for the next result, W form. With l->lock held. */
static int lookup_next_w(struct lookup *l, DWORD flags, DWORD *len, WSAQUERYSETW *results)
{
    while (l->current < l->count)
    {
        struct lookup_provider *lp = &l->providers[l->current];
        int ret, err;

        if (l->ended) return WSA_E_CANCELLED;
        if (lp->v2)
        {
            err = v2_next(l, lp, flags, len, results);
            if (l->ended) return WSA_E_CANCELLED;
            if (err == WSA_E_NO_MORE || err == WSAENOMORE)
            {
                l->current++;
                continue;
            }
            return err;
        }
        SetLastError(0);
        ret = lp->nsp->routines.NSPLookupServiceNext(lp->handle, flags, len, results);
        err = ret ? (int)GetLastError() : 0;
        TRACE_SPI("NSPLookupServiceNext(%p, flags %#lx, len %lu) -> %d (error %d)", (void *)lp->handle,
                  (unsigned long)flags, (unsigned long)*len, ret, err);
        /* WSALookupServiceEnd from another thread while the provider worked: cancelled. */
        if (l->ended) return WSA_E_CANCELLED;
        if (!ret) return 0;
        if (err == WSA_E_NO_MORE || err == WSAENOMORE)
        {
            l->current++;
            continue;
        }
        return err ? err : WSANO_RECOVERY;
    }
    return WSA_E_NO_MORE;
}

static int begin_common(const char *fn, const void *qs, BOOL ansi, DWORD flags, LPHANDLE lphLookup)
{
    WSAQUERYSETW *wqs = NULL;
    int err = startup_check();
    HANDLE h = NULL;

    if (!err && (!qs || !lphLookup)) err = WSAEFAULT;
    /* the structure itself and the handle, then its size and counts, then what it points to */
    if (!err && (!user_readable(qs, sizeof(WSAQUERYSETW)) || !user_writable(lphLookup, sizeof(*lphLookup))))
        err = WSAEFAULT;
    if (!err)
    {
        const WSAQUERYSETW *w = qs; /* the A and W layouts are the same */
        if (w->dwSize < sizeof(WSAQUERYSETW)) err = WSAEINVAL;
        else if ((w->dwNumberOfProtocols && !w->lpafpProtocols) || (w->dwNumberOfCsAddrs && !w->lpcsaBuffer)) err = WSAEINVAL;
        else if (!ns_queryset_readable(qs, ansi)) err = WSAEFAULT;
    }
    if (!err && ansi && !(wqs = ns_queryset_a_to_w(qs))) err = WSA_NOT_ENOUGH_MEMORY;
    if (!err) err = lookup_begin(ansi ? wqs : qs, flags, &h);
    free(wqs);
    if (!err) *lphLookup = h;
    TRACE_API("%s(lpqsRestrictions %p dwControlFlags %#lx lphLookup %p) -> %d (error %d, handle %p)", fn, qs,
              (unsigned long)flags, (void *)lphLookup, err ? SOCKET_ERROR : 0, err, (void *)h);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSALookupServiceBeginW(LPWSAQUERYSETW lpqsRestrictions, DWORD dwControlFlags, LPHANDLE lphLookup)
{
    return begin_common("WSALookupServiceBeginW", lpqsRestrictions, FALSE, dwControlFlags, lphLookup);
}

INT WSAAPI WSALookupServiceBeginA(LPWSAQUERYSETA lpqsRestrictions, DWORD dwControlFlags, LPHANDLE lphLookup)
{
    return begin_common("WSALookupServiceBeginA", lpqsRestrictions, TRUE, dwControlFlags, lphLookup);
}

INT WSAAPI WSALookupServiceNextW(HANDLE hLookup, DWORD dwControlFlags, LPDWORD lpdwBufferLength, LPWSAQUERYSETW lpqsResults)
{
    struct lookup *l = NULL;
    int err = startup_check();
    BOOL len_ok = lpdwBufferLength && user_writable(lpdwBufferLength, sizeof(*lpdwBufferLength));
    DWORD in = len_ok ? *lpdwBufferLength : 0;

    if (!err && !(l = lookup_get(hLookup))) err = WSA_INVALID_HANDLE;
    if (!err && !len_ok) err = WSAEFAULT;
    if (!err && *lpdwBufferLength && (!lpqsResults || !user_writable(lpqsResults, *lpdwBufferLength))) err = WSAEFAULT;
    if (!err)
    {
        AcquireSRWLockExclusive(&l->lock);
        if (l->pending)
        {
            /* An ANSI caller left a result behind; the W caller gets it first. */
            if (*lpdwBufferLength < l->pending_size)
            {
                *lpdwBufferLength = (DWORD)l->pending_size;
                err = WSAEFAULT;
            }
            else
            {
                ns_queryset_pack(l->pending, TRUE, lpqsResults, *lpdwBufferLength, TRUE);
                free(l->pending);
                l->pending = NULL;
            }
        }
        else err = lookup_next_w(l, dwControlFlags, lpdwBufferLength, lpqsResults);
        ReleaseSRWLockExclusive(&l->lock);
    }
    lookup_release(l);
    TRACE_API("WSALookupServiceNextW(hLookup %p dwControlFlags %#lx lpdwBufferLength %p [%lu -> %lu] lpqsResults %p) -> %d (error %d)",
              (void *)hLookup, (unsigned long)dwControlFlags, (void *)lpdwBufferLength, (unsigned long)in,
              len_ok ? (unsigned long)*lpdwBufferLength : 0ul, (void *)lpqsResults, err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}

/* Fetches the next W result into l->pending (growing the buffer as the provider asks). */
static int fetch_pending(struct lookup *l, DWORD flags)
{
    DWORD size = PENDING_FIRST_RESULT_SIZE;
    int tries, err = WSAEFAULT;

    for (tries = 0; tries < 8 && err == WSAEFAULT; tries++)
    {
        void *buf = malloc(size);
        DWORD len = size;
        if (!buf) return WSA_NOT_ENOUGH_MEMORY;
        err = lookup_next_w(l, flags, &len, buf);
        if (!err)
        {
            l->pending = buf;
            l->pending_size = ns_queryset_pack(buf, TRUE, NULL, 0, TRUE);
            return 0;
        }
        free(buf);
        if (err == WSAEFAULT && l->pending) return 0; /* an NSPv2 result kept back by v2_next */
        if (err == WSAEFAULT)
        {
            if (len <= size || len > NS_RESULT_SIZE_MAX) return WSANO_RECOVERY; /* the provider is confused */
            size = len;
        }
    }
    return err;
}

INT WSAAPI WSALookupServiceNextA(HANDLE hLookup, DWORD dwControlFlags, LPDWORD lpdwBufferLength, LPWSAQUERYSETA lpqsResults)
{
    struct lookup *l = NULL;
    int err = startup_check();
    BOOL len_ok = lpdwBufferLength && user_writable(lpdwBufferLength, sizeof(*lpdwBufferLength));
    DWORD in = len_ok ? *lpdwBufferLength : 0;

    if (!err && !(l = lookup_get(hLookup))) err = WSA_INVALID_HANDLE;
    if (!err && !len_ok) err = WSAEFAULT;
    if (!err && *lpdwBufferLength && (!lpqsResults || !user_writable(lpqsResults, *lpdwBufferLength))) err = WSAEFAULT;
    if (!err)
    {
        AcquireSRWLockExclusive(&l->lock);
        if (!l->pending) err = fetch_pending(l, dwControlFlags);
        if (!err)
        {
            size_t need = ns_queryset_pack(l->pending, TRUE, NULL, 0, FALSE);
            if (!need)
            {
                /* Not representable in the ANSI code page: drop it rather than loop on it. */
                free(l->pending);
                l->pending = NULL;
                err = WSANO_RECOVERY;
            }
            else if (*lpdwBufferLength < need)
            {
                *lpdwBufferLength = (DWORD)need;
                err = WSAEFAULT;
            }
            else
            {
                ns_queryset_pack(l->pending, TRUE, lpqsResults, *lpdwBufferLength, FALSE);
                free(l->pending);
                l->pending = NULL;
            }
        }
        ReleaseSRWLockExclusive(&l->lock);
    }
    lookup_release(l);
    TRACE_API("WSALookupServiceNextA(hLookup %p dwControlFlags %#lx lpdwBufferLength %p [%lu -> %lu] lpqsResults %p) -> %d (error %d)",
              (void *)hLookup, (unsigned long)dwControlFlags, (void *)lpdwBufferLength, (unsigned long)in,
              len_ok ? (unsigned long)*lpdwBufferLength : 0ul, (void *)lpqsResults, err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}

static void end_lookup(struct lookup *l)
{
    InterlockedExchange(&l->ended, 1);
    /* Not under l->lock: ending is how a Next blocked in a provider is cancelled. */
    end_providers(l);
}

INT WSAAPI WSALookupServiceEnd(HANDLE hLookup)
{
    struct lookup *l = NULL;
    int err = startup_check();

    if (!err && !(l = lookup_get(hLookup))) err = WSA_INVALID_HANDLE;
    if (!err)
    {
        if (lookup_unlink(l))
        {
            end_lookup(l);
            lookup_release(l); /* the list's reference */
        }
        else err = WSA_INVALID_HANDLE; /* ended by another thread meanwhile */
    }
    lookup_release(l);
    TRACE_API("WSALookupServiceEnd(hLookup %p) -> %d (error %d)", (void *)hLookup, err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}

void ns_lookup_close_all(void)
{
    struct lookup *list, *l;

    AcquireSRWLockExclusive(&open_lock);
    list = open_lookups;
    open_lookups = NULL;
    ReleaseSRWLockExclusive(&open_lock);
    while ((l = list))
    {
        list = l->next;
        TRACE_NSP("WSACleanup: ending lookup %p", (void *)l);
        end_lookup(l);
        lookup_release(l);
    }
}

INT WSAAPI WSANSPIoctl(HANDLE hLookup, DWORD dwControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer, LPVOID lpvOutBuffer,
                       DWORD cbOutBuffer, LPDWORD lpcbBytesReturned, LPWSACOMPLETION lpCompletion)
{
    struct lookup *l = NULL;
    int err = startup_check();
    int ret = SOCKET_ERROR;

    if (!err && !(l = lookup_get(hLookup))) err = WSA_INVALID_HANDLE;
    if (!err && !lpcbBytesReturned) err = WSAEFAULT;
    if (!err && ((cbInBuffer && !lpvInBuffer) || (cbOutBuffer && !lpvOutBuffer))) err = WSAEFAULT;
    if (!err && (!user_writable(lpcbBytesReturned, sizeof(*lpcbBytesReturned)) || !user_readable(lpvInBuffer, cbInBuffer) ||
                 !user_writable(lpvOutBuffer, cbOutBuffer) || (lpCompletion && !user_readable(lpCompletion, sizeof(*lpCompletion)))))
        err = WSAEFAULT;
    if (!err)
    {
        /* The query goes to the provider the lookup is currently reading from (Windows: the lookup's
         * provider; one with several providers answers from the current one). */
        AcquireSRWLockExclusive(&l->lock);
        if (l->current >= l->count) err = WSA_E_NO_MORE;
        else
        {
            struct lookup_provider *lp = &l->providers[l->current];
            if (!lp->nsp || !lp->nsp->routines.NSPIoctl) err = WSAEOPNOTSUPP; /* NSPv2 has no ioctl */
            else
            {
                SetLastError(0);
                ret = lp->nsp->routines.NSPIoctl(lp->handle, dwControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer,
                                                 cbOutBuffer, lpcbBytesReturned, lpCompletion, api_thread_id());
                err = ret ? (int)GetLastError() : 0;
                if (ret && !err) err = WSANO_RECOVERY;
                TRACE_SPI("NSPIoctl(%p, code %#lx) -> %d (error %d)", (void *)lp->handle, (unsigned long)dwControlCode,
                          ret, err);
            }
        }
        ReleaseSRWLockExclusive(&l->lock);
    }
    lookup_release(l);
    TRACE_API("WSANSPIoctl(hLookup %p dwControlCode %#lx lpvInBuffer %p cbInBuffer %lu lpvOutBuffer %p cbOutBuffer %lu "
              "lpcbBytesReturned %p lpCompletion %p) -> %d (error %d)", (void *)hLookup, (unsigned long)dwControlCode,
              lpvInBuffer, (unsigned long)cbInBuffer, lpvOutBuffer, (unsigned long)cbOutBuffer, (void *)lpcbBytesReturned,
              (void *)lpCompletion, err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}
