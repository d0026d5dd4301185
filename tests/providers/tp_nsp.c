/* tp_nsp.c - tp_nsp.dll, openws2's recording test namespace provider. One DLL serves every provider
 * GUID it is installed under (WSCInstallNameSpace): each call is logged (tp_common.h's log, one line
 * per call, "NSPLookupServiceBegin id=<Data1> ..."), and the answers name the provider that gave them
 * so a test sees the routing and the catalog order.
 *
 * Lookups: NSPLookupServiceBegin fails with WSASERVICE_NOT_FOUND for the instance name "fail"; the
 * instance name "none" gives no result; otherwise NSPLookupServiceNext returns 2 results, then
 * WSA_E_NO_MORE. Result i (0-based) of provider P for the name N: lpszServiceInstanceName
 * "N#i@<P.Data1 in hex>", lpszComment "tp_nsp comment", the query's class id and namespace,
 * lpNSProviderId P, lpVersion {i, COMP_EQUAL}, one CSADDR_INFO (127.0.0.<i+1>:<5000+i> remote,
 * 0.0.0.0 local, SOCK_STREAM/IPPROTO_TCP), a 5-byte BLOB {i,1,2,3,4}. A short buffer gives WSAEFAULT
 * with the size needed and does not consume the result.
 * Service classes: one slot (NSPInstallServiceClass stores it, NSPGetServiceClassInfo returns it,
 * NSPRemoveServiceClass clears it; WSATYPE_NOT_FOUND for another class id).
 * NSPIoctl copies the input to the output (*lpcbBytesReturned = bytes copied).
 *
 * Knobs (environment, read at every NSPStartup):
 *   OPENWS2_TP_NSP_FAIL=<n>      NSPStartup fails with error n
 *   OPENWS2_TP_NSP_NULL=<i>      routine i (0 NSPCleanup ... 8 NSPIoctl) of the table is NULL
 *   OPENWS2_TP_NSP_SIZE=<n>      cbSize reported (e.g. the pre-XP size without NSPIoctl)
 *   OPENWS2_TP_NSP_MAJOR=<n>     dwMajorVersion reported (default 2)
 * Extra export: void WINAPI tp_nsp_counts(LONG *startups, LONG *cleanups, LONG *open_lookups).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "tp_common.h"
#include <stdio.h>
#include <stdlib.h>

#define RESULTS 2

TP_EXPORT INT WSAAPI NSPStartup(LPGUID lpProviderId, LPNSP_ROUTINE lpnspRoutines);
TP_EXPORT void WINAPI tp_nsp_counts(LONG *startups, LONG *cleanups, LONG *open_lookups);

static LONG startups, cleanups, open_lookups;

struct tp_lookup
{
    GUID provider;
    GUID class_id;
    BOOL has_class;
    DWORD name_space;
    WCHAR name[128];
    int next, count;
};

static SRWLOCK class_lock = SRWLOCK_INIT;
static BOOL class_stored;
static GUID class_id;
static WCHAR class_name[128];

static int fail(int err)
{
    SetLastError((DWORD)err);
    return SOCKET_ERROR;
}

static void ascii(const WCHAR *w, char *out, size_t size)
{
    size_t i;
    if (!w)
    {
        snprintf(out, size, "(null)");
        return;
    }
    for (i = 0; i + 1 < size && w[i]; i++) out[i] = w[i] < 0x80 ? (char)w[i] : '?';
    out[i] = 0;
}

static size_t wlen(const WCHAR *w)
{
    size_t n = 0;
    while (w[n]) n++;
    return n;
}

static int env_int(const char *name, int def)
{
    char text[32];
    DWORD n = GetEnvironmentVariableA(name, text, sizeof(text));
    if (!n || n >= sizeof(text)) return def;
    return (int)strtol(text, NULL, 0);
}

static INT WSAAPI nsp_cleanup(LPGUID id)
{
    InterlockedIncrement(&cleanups);
    tp_log("NSPCleanup id=%08lx -> 0", id ? (unsigned long)id->Data1 : 0ul);
    return 0;
}

static INT WSAAPI nsp_begin(LPGUID id, LPWSAQUERYSETW qs, LPWSASERVICECLASSINFOW class_info, DWORD flags, LPHANDLE h)
{
    struct tp_lookup *l;
    char name[128];

    ascii(qs ? qs->lpszServiceInstanceName : NULL, name, sizeof(name));
    tp_log("NSPLookupServiceBegin id=%08lx name=%s ns=%lu flags=%#lx class=%08lx classinfo=%08lx size=%lu",
           id ? (unsigned long)id->Data1 : 0ul, name, qs ? (unsigned long)qs->dwNameSpace : 0ul, (unsigned long)flags,
           qs && qs->lpServiceClassId ? (unsigned long)qs->lpServiceClassId->Data1 : 0ul,
           class_info && class_info->lpServiceClassId ? (unsigned long)class_info->lpServiceClassId->Data1 : 0ul,
           qs ? (unsigned long)qs->dwSize : 0ul);
    if (!id || !qs || !h) return fail(WSAEINVAL);
    if (!strcmp(name, "fail")) return fail(WSASERVICE_NOT_FOUND);
    if (!(l = calloc(1, sizeof(*l)))) return fail(WSA_NOT_ENOUGH_MEMORY);
    l->provider = *id;
    l->name_space = qs->dwNameSpace;
    if (qs->lpServiceClassId)
    {
        l->class_id = *qs->lpServiceClassId;
        l->has_class = TRUE;
    }
    if (qs->lpszServiceInstanceName && wlen(qs->lpszServiceInstanceName) < 100)
        memcpy(l->name, qs->lpszServiceInstanceName, (wlen(qs->lpszServiceInstanceName) + 1) * sizeof(WCHAR));
    l->count = strcmp(name, "none") ? RESULTS : 0;
    InterlockedIncrement(&open_lookups);
    *h = (HANDLE)l;
    return 0;
}

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

static INT WSAAPI nsp_next(HANDLE h, DWORD flags, LPDWORD len, LPWSAQUERYSETW out)
{
    struct tp_lookup *l = h;
    WCHAR inst[200], comment[] = {'t','p','_','n','s','p',' ','c','o','m','m','e','n','t',0};
    char text[200];
    size_t need, off, ilen, clen;
    unsigned char *base = (unsigned char *)out;
    SOCKADDR_IN *remote, *local;
    CSADDR_INFO *csa;
    BLOB *blob;
    int i;

    tp_log("NSPLookupServiceNext flags=%#lx len=%lu", (unsigned long)flags, len ? (unsigned long)*len : 0ul);
    if (!l || !len) return fail(WSAEINVAL);
    if (l->next >= l->count) return fail(WSA_E_NO_MORE);
    i = l->next;
    {
        char nm[128];
        ascii(l->name, nm, sizeof(nm));
        snprintf(text, sizeof(text), "%s#%d@%08lx", nm, i, (unsigned long)l->provider.Data1);
    }
    for (ilen = 0; text[ilen]; ilen++) inst[ilen] = (unsigned char)text[ilen];
    inst[ilen++] = 0;
    clen = wlen(comment) + 1;
    need = ALIGN8(sizeof(WSAQUERYSETW));
    need = ALIGN8(need + ilen * sizeof(WCHAR));
    need = ALIGN8(need + clen * sizeof(WCHAR));
    need = ALIGN8(need + 2 * sizeof(GUID) + sizeof(WSAVERSION));
    need = ALIGN8(need + sizeof(CSADDR_INFO) + 2 * sizeof(SOCKADDR_IN));
    need = ALIGN8(need + sizeof(BLOB) + 5);
    if (*len < need || !out)
    {
        *len = (DWORD)need;
        return fail(WSAEFAULT);
    }
    memset(out, 0, need);
    off = ALIGN8(sizeof(WSAQUERYSETW));
    out->dwSize = sizeof(WSAQUERYSETW);
    out->lpszServiceInstanceName = (WCHAR *)(base + off);
    memcpy(base + off, inst, ilen * sizeof(WCHAR));
    off = ALIGN8(off + ilen * sizeof(WCHAR));
    out->lpszComment = (WCHAR *)(base + off);
    memcpy(base + off, comment, clen * sizeof(WCHAR));
    off = ALIGN8(off + clen * sizeof(WCHAR));
    out->lpNSProviderId = (GUID *)(base + off);
    *out->lpNSProviderId = l->provider;
    off += sizeof(GUID);
    if (l->has_class)
    {
        out->lpServiceClassId = (GUID *)(base + off);
        *out->lpServiceClassId = l->class_id;
    }
    off += sizeof(GUID);
    out->lpVersion = (WSAVERSION *)(base + off);
    out->lpVersion->dwVersion = (DWORD)i;
    out->lpVersion->ecHow = COMP_EQUAL;
    off = ALIGN8(off + sizeof(WSAVERSION));
    out->dwNameSpace = l->name_space;
    csa = (CSADDR_INFO *)(base + off);
    remote = (SOCKADDR_IN *)(base + off + sizeof(CSADDR_INFO));
    local = remote + 1;
    remote->sin_family = AF_INET;
    remote->sin_port = htons(5000 + i);
    remote->sin_addr.s_addr = htonl(0x7f000001 + (u_long)i);
    local->sin_family = AF_INET;
    csa->RemoteAddr.lpSockaddr = (SOCKADDR *)remote;
    csa->RemoteAddr.iSockaddrLength = sizeof(*remote);
    csa->LocalAddr.lpSockaddr = (SOCKADDR *)local;
    csa->LocalAddr.iSockaddrLength = sizeof(*local);
    csa->iSocketType = SOCK_STREAM;
    csa->iProtocol = IPPROTO_TCP;
    out->dwNumberOfCsAddrs = 1;
    out->lpcsaBuffer = csa;
    off = ALIGN8(off + sizeof(CSADDR_INFO) + 2 * sizeof(SOCKADDR_IN));
    blob = (BLOB *)(base + off);
    blob->cbSize = 5;
    blob->pBlobData = base + off + sizeof(BLOB);
    blob->pBlobData[0] = (BYTE)i;
    blob->pBlobData[1] = 1;
    blob->pBlobData[2] = 2;
    blob->pBlobData[3] = 3;
    blob->pBlobData[4] = 4;
    out->lpBlob = blob;
    l->next++;
    return 0;
}

static INT WSAAPI nsp_end(HANDLE h)
{
    tp_log("NSPLookupServiceEnd -> 0");
    if (!h) return fail(WSA_INVALID_HANDLE);
    InterlockedDecrement(&open_lookups);
    free(h);
    return 0;
}

static INT WSAAPI nsp_set_service(LPGUID id, LPWSASERVICECLASSINFOW info, LPWSAQUERYSETW qs, WSAESETSERVICEOP op, DWORD flags)
{
    char name[128];
    ascii(qs ? qs->lpszServiceInstanceName : NULL, name, sizeof(name));
    tp_log("NSPSetService id=%08lx name=%s op=%d flags=%#lx classinfo=%08lx", id ? (unsigned long)id->Data1 : 0ul, name,
           (int)op, (unsigned long)flags,
           info && info->lpServiceClassId ? (unsigned long)info->lpServiceClassId->Data1 : 0ul);
    return 0;
}

static INT WSAAPI nsp_install_class(LPGUID id, LPWSASERVICECLASSINFOW info)
{
    char name[128];
    int ret = 0;

    ascii(info ? info->lpszServiceClassName : NULL, name, sizeof(name));
    tp_log("NSPInstallServiceClass id=%08lx class=%08lx name=%s count=%lu", id ? (unsigned long)id->Data1 : 0ul,
           info && info->lpServiceClassId ? (unsigned long)info->lpServiceClassId->Data1 : 0ul, name,
           info ? (unsigned long)info->dwCount : 0ul);
    if (!info || !info->lpServiceClassId || !info->lpszServiceClassName || wlen(info->lpszServiceClassName) >= 128)
        return fail(WSAEINVAL);
    AcquireSRWLockExclusive(&class_lock);
    if (class_stored && !memcmp(&class_id, info->lpServiceClassId, sizeof(GUID))) ret = fail(WSAEALREADY);
    else
    {
        class_stored = TRUE;
        class_id = *info->lpServiceClassId;
        memcpy(class_name, info->lpszServiceClassName, (wlen(info->lpszServiceClassName) + 1) * sizeof(WCHAR));
    }
    ReleaseSRWLockExclusive(&class_lock);
    return ret;
}

static INT WSAAPI nsp_remove_class(LPGUID id, LPGUID cid)
{
    int ret;
    tp_log("NSPRemoveServiceClass id=%08lx class=%08lx", id ? (unsigned long)id->Data1 : 0ul,
           cid ? (unsigned long)cid->Data1 : 0ul);
    AcquireSRWLockExclusive(&class_lock);
    if (cid && class_stored && !memcmp(&class_id, cid, sizeof(GUID)))
    {
        class_stored = FALSE;
        ret = 0;
    }
    else ret = fail(WSATYPE_NOT_FOUND);
    ReleaseSRWLockExclusive(&class_lock);
    return ret;
}

static INT WSAAPI nsp_get_class(LPGUID id, LPDWORD len, LPWSASERVICECLASSINFOW info)
{
    size_t need, nlen;
    int ret = 0;

    tp_log("NSPGetServiceClassInfo id=%08lx class=%08lx len=%lu", id ? (unsigned long)id->Data1 : 0ul,
           info && info->lpServiceClassId ? (unsigned long)info->lpServiceClassId->Data1 : 0ul,
           len ? (unsigned long)*len : 0ul);
    if (!len || !info || !info->lpServiceClassId) return fail(WSAEINVAL);
    AcquireSRWLockShared(&class_lock);
    if (!class_stored || memcmp(&class_id, info->lpServiceClassId, sizeof(GUID))) ret = fail(WSATYPE_NOT_FOUND);
    else
    {
        nlen = (wlen(class_name) + 1) * sizeof(WCHAR);
        need = ALIGN8(sizeof(*info)) + sizeof(GUID) + nlen;
        if (*len < need)
        {
            *len = (DWORD)need;
            ret = fail(WSAEFAULT);
        }
        else
        {
            unsigned char *base = (unsigned char *)info;
            GUID *g = (GUID *)(base + ALIGN8(sizeof(*info)));
            *g = class_id;
            info->lpServiceClassId = g;
            info->lpszServiceClassName = (WCHAR *)(g + 1);
            memcpy(g + 1, class_name, nlen);
            info->dwCount = 0;
            info->lpClassInfos = NULL;
        }
    }
    ReleaseSRWLockShared(&class_lock);
    return ret;
}

static INT WSAAPI nsp_ioctl(HANDLE h, DWORD code, LPVOID in, DWORD cbin, LPVOID out, DWORD cbout, LPDWORD ret,
                            LPWSACOMPLETION completion, LPWSATHREADID tid)
{
    DWORD n = cbin < cbout ? cbin : cbout;
    tp_log("NSPIoctl code=%#lx in=%lu out=%lu completion=%p thread=%d", (unsigned long)code, (unsigned long)cbin,
           (unsigned long)cbout, (void *)completion, tid && tid->ThreadHandle ? 1 : 0);
    if (!h || !ret) return fail(WSAEINVAL);
    if (n) memcpy(out, in, n);
    *ret = n;
    return 0;
}

TP_EXPORT INT WSAAPI NSPStartup(LPGUID lpProviderId, LPNSP_ROUTINE r)
{
    int err = env_int("OPENWS2_TP_NSP_FAIL", 0);
    int null_index = env_int("OPENWS2_TP_NSP_NULL", -1);
    int size = env_int("OPENWS2_TP_NSP_SIZE", (int)sizeof(NSP_ROUTINE));
    int major = env_int("OPENWS2_TP_NSP_MAJOR", 2);

    tp_log("NSPStartup id=%08lx cbSize=%lu -> %d", lpProviderId ? (unsigned long)lpProviderId->Data1 : 0ul,
           r ? (unsigned long)r->cbSize : 0ul, err ? SOCKET_ERROR : 0);
    if (err) return fail(err);
    if (!lpProviderId || !r) return fail(WSAEINVAL);
    InterlockedIncrement(&startups);
    memset(r, 0, sizeof(*r));
    r->cbSize = (DWORD)size;
    r->dwMajorVersion = (DWORD)major;
    r->dwMinorVersion = 2;
    r->NSPCleanup = null_index == 0 ? NULL : nsp_cleanup;
    r->NSPLookupServiceBegin = null_index == 1 ? NULL : nsp_begin;
    r->NSPLookupServiceNext = null_index == 2 ? NULL : nsp_next;
    r->NSPLookupServiceEnd = null_index == 3 ? NULL : nsp_end;
    r->NSPSetService = null_index == 4 ? NULL : nsp_set_service;
    r->NSPInstallServiceClass = null_index == 5 ? NULL : nsp_install_class;
    r->NSPRemoveServiceClass = null_index == 6 ? NULL : nsp_remove_class;
    r->NSPGetServiceClassInfo = null_index == 7 ? NULL : nsp_get_class;
    if ((size_t)size >= sizeof(NSP_ROUTINE)) r->NSPIoctl = null_index == 8 ? NULL : nsp_ioctl;
    return 0;
}

TP_EXPORT void WINAPI tp_nsp_counts(LONG *s, LONG *c, LONG *o)
{
    if (s) *s = InterlockedCompareExchange(&startups, 0, 0);
    if (c) *c = InterlockedCompareExchange(&cleanups, 0, 0);
    if (o) *o = InterlockedCompareExchange(&open_lookups, 0, 0);
}
