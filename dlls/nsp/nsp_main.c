/* nsp_main.c - openws2nsp.dll's entry points: DllMain, NSPStartup (the NSP_ROUTINE table, a
 * startup count; NLA's provider id gets nsp_nla.c's lookup and registration routines), NSPCleanup,
 * and the parts of the SPI a read-only TCP/IP name space answers with errors: NSPSetService (hosts
 * and DNS are not writable here), the service class calls (the fixed TCP/IP classes are built in)
 * and NSPIoctl (no change notification).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <svcguid.h>
#include "trace.h"
#include "nsp_private.h"

static LONG startups;

static const GUID builtin_classes[] = {
    SVCID_HOSTNAME, SVCID_INET_HOSTADDRBYNAME, SVCID_INET_HOSTADDRBYINETSTRING, SVCID_INET_SERVICEBYNAME,
    SVCID_DNS_TYPE_A, SVCID_DNS_TYPE_AAAA, SVCID_DNS_TYPE_PTR,
};
static const char *const builtin_names[] = {
    "HOSTNAME", "INET_HOSTADDRBYNAME", "INET_HOSTADDRBYINETSTRING", "INET_SERVICEBYNAME",
    "DNS_TYPE_A", "DNS_TYPE_AAAA", "DNS_TYPE_PTR",
};

static int builtin_class(const GUID *g)
{
    size_t i;
    for (i = 0; i < OPENWS2_ARRAY_SIZE(builtin_classes); i++)
        if (IsEqualGUID(g, &builtin_classes[i])) return (int)i;
    return -1;
}

static INT fail(int err)
{
    SetLastError(err);
    return SOCKET_ERROR;
}

static INT WSAAPI nsp_cleanup(LPGUID provider)
{
    char g[GUID_TEXT_SIZE];
    LONG n = startups, want;

    do
    {
        if (n <= 0)
        {
            TRACE_SPI("NSPCleanup(%s) -> WSANOTINITIALISED", guid_text(provider, g));
            return fail(WSANOTINITIALISED);
        }
        want = n - 1;
    } while ((n = InterlockedCompareExchange(&startups, want, n)) != want + 1);
    if (!want)
    {
        nsp_lookup_cleanup_all();
        nsp_nla_cleanup_all();
        nsp_caches_clear();
    }
    TRACE_SPI("NSPCleanup(%s) -> 0 (%ld startups left)", guid_text(provider, g), (long)want);
    return 0;
}

static INT WSAAPI nsp_set_service(LPGUID provider, LPWSASERVICECLASSINFOW info, LPWSAQUERYSETW reg,
                                  WSAESETSERVICEOP op, DWORD flags)
{
    char g[GUID_TEXT_SIZE];
    int err;

    (void)info;
    if (!reg || reg->dwSize < sizeof(WSAQUERYSETW) || (op != RNRSERVICE_REGISTER && op != RNRSERVICE_DEREGISTER &&
                                                      op != RNRSERVICE_DELETE))
        err = WSAEINVAL;
    else err = WSAEACCES; /* the hosts files and DNS are read-only through this provider */
    TRACE_SPI("NSPSetService(%s, %p, op %d, 0x%lx) -> %d", guid_text(provider, g), reg, (int)op, (unsigned long)flags, err);
    return fail(err);
}

static INT WSAAPI nsp_install_class(LPGUID provider, LPWSASERVICECLASSINFOW info)
{
    char g[GUID_TEXT_SIZE];
    int err;

    if (!info || !info->lpServiceClassId) err = WSAEINVAL;
    else if (builtin_class(info->lpServiceClassId) >= 0) err = WSAEALREADY;
    else err = WSAEOPNOTSUPP; /* the TCP/IP name space has a fixed set of classes */
    TRACE_SPI("NSPInstallServiceClass(%s, %p) -> %d", guid_text(provider, g), info, err);
    return fail(err);
}

static INT WSAAPI nsp_remove_class(LPGUID provider, LPGUID class_id)
{
    char g[GUID_TEXT_SIZE];
    int err;

    if (!class_id) err = WSAEINVAL;
    else if (builtin_class(class_id) >= 0) err = WSAEACCES;
    else err = WSATYPE_NOT_FOUND;
    TRACE_SPI("NSPRemoveServiceClass(%s, %p) -> %d", guid_text(provider, g), class_id, err);
    return fail(err);
}

/* A built-in class: its GUID and name, no name-space-specific class information. */
static INT WSAAPI nsp_get_class_info(LPGUID provider, LPDWORD size, LPWSASERVICECLASSINFOW info)
{
    char g[GUID_TEXT_SIZE];
    GUID id;
    size_t need, name_len, i;
    int idx, err = 0;
    char *base;

    if (!size || !info || *size < sizeof(WSASERVICECLASSINFOW) || !info->lpServiceClassId)
        err = !size || !info ? WSAEFAULT : WSAEINVAL;
    else if ((idx = builtin_class(info->lpServiceClassId)) < 0) err = WSATYPE_NOT_FOUND;
    else
    {
        id = *info->lpServiceClassId;
        name_len = strlen(builtin_names[idx]) + 1;
        need = sizeof(WSASERVICECLASSINFOW) + sizeof(GUID) + name_len * sizeof(WCHAR);
        if (*size < need)
        {
            *size = (DWORD)need;
            err = WSAEFAULT;
        }
        else
        {
            base = (char *)info;
            memset(info, 0, need);
            memcpy(base + sizeof(*info), &id, sizeof(id));
            info->lpServiceClassId = (GUID *)(base + sizeof(*info));
            info->lpszServiceClassName = (WCHAR *)(base + sizeof(*info) + sizeof(GUID));
            for (i = 0; i < name_len; i++) info->lpszServiceClassName[i] = (WCHAR)(unsigned char)builtin_names[idx][i];
            info->dwCount = 0;
            info->lpClassInfos = NULL;
        }
    }
    TRACE_SPI("NSPGetServiceClassInfo(%s, %p, %p) -> %d", guid_text(provider, g), size, info, err);
    return err ? fail(err) : 0;
}

static INT WSAAPI nsp_ioctl(HANDLE lookup, DWORD code, LPVOID in, DWORD in_len, LPVOID out, DWORD out_len,
                            LPDWORD returned, LPWSACOMPLETION completion, LPWSATHREADID thread)
{
    int err;

    (void)in; (void)in_len; (void)out; (void)out_len; (void)completion; (void)thread;
    if (!returned) err = WSAEFAULT;
    /* SIO_NSP_NOTIFY_CHANGE: change notification of the hosts files is not implemented */
    else err = WSAEOPNOTSUPP;
    TRACE_SPI("NSPIoctl(%p, 0x%lx) -> %d", lookup, (unsigned long)code, err);
    return fail(err);
}

INT WSAAPI NSPStartup(LPGUID provider, LPNSP_ROUTINE routines)
{
    char g[GUID_TEXT_SIZE];

    if (!routines)
    {
        TRACE_SPI("NSPStartup(%s, NULL) -> WSAEINVAL", guid_text(provider, g));
        return fail(WSAEINVAL);
    }
    memset(routines, 0, sizeof(*routines));
    routines->cbSize = sizeof(*routines);
    routines->dwMajorVersion = 4;
    routines->dwMinorVersion = 4;
    routines->NSPCleanup = nsp_cleanup;
    routines->NSPLookupServiceBegin = nsp_lookup_begin;
    routines->NSPLookupServiceNext = nsp_lookup_next;
    routines->NSPLookupServiceEnd = nsp_lookup_end;
    routines->NSPSetService = nsp_set_service;
    routines->NSPInstallServiceClass = nsp_install_class;
    routines->NSPRemoveServiceClass = nsp_remove_class;
    routines->NSPGetServiceClassInfo = nsp_get_class_info;
    routines->NSPIoctl = nsp_ioctl;
    /* the same DLL serves NS_NLA under NLA's provider id (nsp_nla.c) */
    if (nsp_nla_is_provider(provider)) nsp_nla_routines(routines);
    InterlockedIncrement(&startups);
    TRACE_SPI("NSPStartup(%s, %p) -> 0", guid_text(provider, g), routines);
    return 0;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH)
    {
        DisableThreadLibraryCalls(instance);
        trace_init();
    }
    return TRUE;
}
