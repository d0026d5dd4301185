/* nsp_nla_e2e.c - the Network Location Awareness name space (NS_NLA) of openws2nsp.dll through
 * ws2_32's WSALookupService* under Wine (issue 8): Wine's "standard network list query" (only
 * dwSize set, NS_ALL, LUP_RETURN_ALL | LUP_DEEP: Begin succeeds, Next returns networks then
 * WSA_E_NO_MORE, End succeeds), the NLA_SERVICE_CLASS_GUID query (by NS_NLA and by provider id),
 * every result's NLA_BLOB chain walked and its interfaces checked against GetAdaptersAddresses (each
 * adapter that is up, not loopback, with a unicast address in exactly one network), the LUP_RETURN_*
 * flags, a too-small buffer (WSAEFAULT, the size needed, the same set afterwards), LUP_FLUSHPREVIOUS,
 * a network named in lpszServiceInstanceName, the ANSI form, and queries NLA does not serve left as
 * they were (a host lookup over NS_ALL gets no NLA result; a class nobody serves fails with the
 * Tcpip provider's error).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "e2e_check.h"
#include <mswsock.h>
#include <iphlpapi.h>
#include <svcguid.h>
#include <stdlib.h>

static const GUID nla_class = NLA_SERVICE_CLASS_GUID;
static const GUID nla_provider = NLA_NAMESPACE_GUID;
static const GUID tcpip_provider = {0x22059d40, 0x7e9e, 0x11cf, {0xae, 0x5a, 0x00, 0xaa, 0x00, 0xa7, 0x11, 0x2b}};
static const GUID host_class = SVCID_INET_HOSTADDRBYNAME;
static const GUID nobody_class = {0x0b5e11ad, 0x1234, 0x4321, {1, 2, 3, 4, 5, 6, 7, 8}};

#define MAX_ADAPTERS 64
struct adapter
{
    char name[260];
    DWORD type;
    int seen;
};
static struct adapter adapters[MAX_ADAPTERS];
static int adapter_count;

/* The adapters NLA should report: up, not loopback, with a unicast address. */
static void load_adapters(void)
{
    ULONG size = 65536, flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER;
    IP_ADAPTER_ADDRESSES *list = malloc(size), *a;
    ULONG ret = GetAdaptersAddresses(AF_UNSPEC, flags, NULL, list, &size);

    CHECK(ret == NO_ERROR, "GetAdaptersAddresses -> %lu", ret);
    for (a = ret == NO_ERROR ? list : NULL; a && adapter_count < MAX_ADAPTERS; a = a->Next)
    {
        if (a->OperStatus != IfOperStatusUp || a->IfType == IF_TYPE_SOFTWARE_LOOPBACK || !a->FirstUnicastAddress)
            continue;
        lstrcpynA(adapters[adapter_count].name, a->AdapterName, sizeof(adapters[0].name));
        adapters[adapter_count].type = a->IfType;
        adapter_count++;
    }
    printf("%d adapter(s) up with an address, loopback left out\n", adapter_count);
    free(list);
}

/* Walks one result's NLA_BLOB chain; marks its adapters seen; returns the number of interfaces. */
static int check_blob(const BLOB *b, const char *what)
{
    size_t off = 0;
    int interfaces = 0, connectivity = 0, entries = 0, i;

    CHECK(b && b->pBlobData && b->cbSize >= sizeof(((NLA_BLOB *)0)->header), "%s: a blob (%lu bytes)", what,
          b ? (unsigned long)b->cbSize : 0ul);
    if (!b || !b->pBlobData) return 0;
    for (;;)
    {
        const NLA_BLOB *e = (const NLA_BLOB *)(b->pBlobData + off);
        size_t hdr = sizeof(e->header);

        if (off + hdr > b->cbSize || entries++ > 64)
        {
            CHECK(0, "%s: entry at %lu outside the blob", what, (unsigned long)off);
            break;
        }
        CHECK(e->header.dwSize >= hdr && off + e->header.dwSize <= b->cbSize,
              "%s: entry %d type %d dwSize %lu at %lu within %lu", what, entries, (int)e->header.type,
              (unsigned long)e->header.dwSize, (unsigned long)off, (unsigned long)b->cbSize);
        if (e->header.type == NLA_INTERFACE)
        {
            size_t len = e->header.dwSize - offsetof(NLA_BLOB, data.interfaceData.adapterName);
            int found = -1;
            interfaces++;
            CHECK(e->header.dwSize > offsetof(NLA_BLOB, data.interfaceData.adapterName) &&
                  memchr(e->data.interfaceData.adapterName, 0, len) != NULL,
                  "%s: NLA_INTERFACE adapter name terminated within dwSize", what);
            for (i = 0; i < adapter_count; i++)
                if (!strcmp(adapters[i].name, e->data.interfaceData.adapterName)) found = i;
            CHECK(found >= 0, "%s: NLA_INTERFACE adapter \"%s\" (type %lu, %lu kbps) is an adapter that is up", what,
                  e->data.interfaceData.adapterName, (unsigned long)e->data.interfaceData.dwType,
                  (unsigned long)e->data.interfaceData.dwSpeed);
            if (found >= 0)
            {
                CHECK(e->data.interfaceData.dwType == adapters[found].type, "%s: its IfType %lu (expected %lu)",
                      what, (unsigned long)e->data.interfaceData.dwType, (unsigned long)adapters[found].type);
                adapters[found].seen++;
            }
        }
        else if (e->header.type == NLA_CONNECTIVITY)
        {
            connectivity++;
            CHECK(e->header.dwSize >= offsetof(NLA_BLOB, data.connectivity) + sizeof(e->data.connectivity) &&
                  e->data.connectivity.type <= NLA_NETWORK_UNKNOWN && e->data.connectivity.internet <= NLA_INTERNET_YES,
                  "%s: NLA_CONNECTIVITY type %d internet %d", what, (int)e->data.connectivity.type,
                  (int)e->data.connectivity.internet);
        }
        if (!e->header.nextOffset) break;
        CHECK(e->header.nextOffset >= e->header.dwSize, "%s: nextOffset %lu past the entry (%lu)", what,
              (unsigned long)e->header.nextOffset, (unsigned long)e->header.dwSize);
        if (e->header.nextOffset < hdr) break;
        off += e->header.nextOffset;
    }
    CHECK(interfaces >= 1 && connectivity == 1, "%s: %d NLA_INTERFACE, %d NLA_CONNECTIVITY", what, interfaces,
          connectivity);
    return interfaces;
}

static int begin(WSAQUERYSETW *qs, DWORD flags, HANDLE *h)
{
    *h = (HANDLE)0xdeadbeef;
    return WSALookupServiceBeginW(qs, flags, h);
}

/* Reads a lookup to its end: the number of sets; checks each one; names copied to names[]. */
static int read_all(HANDLE h, DWORD flags, const char *what, WCHAR names[][256], int max, int *interfaces)
{
    union { WSAQUERYSETW qs; char raw[8192]; } buf;
    int n = 0, ret;

    *interfaces = 0;
    for (;;)
    {
        DWORD size = sizeof(buf);
        memset(&buf, 0xcc, sizeof(buf));
        ret = WSALookupServiceNextW(h, 0, &size, &buf.qs);
        if (ret)
        {
            int err = WSAGetLastError();
            CHECK(err == WSA_E_NO_MORE, "%s: the end is WSA_E_NO_MORE (got %d) after %d set(s)", what, err, n);
            break;
        }
        n++;
        CHECK(buf.qs.dwNameSpace == NS_NLA, "%s: set %d dwNameSpace %lu", what, n, (unsigned long)buf.qs.dwNameSpace);
        CHECK(buf.qs.lpNSProviderId && IsEqualGUID(buf.qs.lpNSProviderId, &nla_provider), "%s: set %d NLA's provider id",
              what, n);
        if (flags & LUP_RETURN_NAME)
        {
            CHECK(buf.qs.lpszServiceInstanceName && buf.qs.lpszServiceInstanceName[0], "%s: set %d network \"%ls\"",
                  what, n, buf.qs.lpszServiceInstanceName ? buf.qs.lpszServiceInstanceName : L"(null)");
            if (buf.qs.lpszServiceInstanceName && n <= max) lstrcpynW(names[n - 1], buf.qs.lpszServiceInstanceName, 256);
        }
        else CHECK(!buf.qs.lpszServiceInstanceName, "%s: set %d no name without LUP_RETURN_NAME", what, n);
        if (flags & LUP_RETURN_COMMENT) CHECK(buf.qs.lpszComment != NULL, "%s: set %d a comment", what, n);
        else CHECK(!buf.qs.lpszComment, "%s: set %d no comment without LUP_RETURN_COMMENT", what, n);
        if (flags & LUP_RETURN_TYPE)
            CHECK(buf.qs.lpServiceClassId && IsEqualGUID(buf.qs.lpServiceClassId, &nla_class), "%s: set %d class", what, n);
        if (flags & LUP_RETURN_BLOB) *interfaces += check_blob(buf.qs.lpBlob, what);
        else CHECK(!buf.qs.lpBlob, "%s: set %d no blob without LUP_RETURN_BLOB", what, n);
        if (n > 64) break;
    }
    return n;
}

int main(void)
{
    WSADATA wsa;
    WSAQUERYSETW qs;
    HANDLE h;
    WCHAR names[64][256];
    int n, ifs, i, ret, err, err_tcpip;
    union { WSAQUERYSETW qs; char raw[8192]; } buf;
    DWORD size, needed;

    CHECK(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup");
    load_adapters();

    /* Wine's protocol test: the standard network list query (only dwSize set) */
    memset(&qs, 0, sizeof(qs));
    qs.dwSize = sizeof(qs);
    ret = begin(&qs, LUP_RETURN_ALL | LUP_DEEP, &h);
    CHECK(ret == 0, "NS_ALL query without a class, LUP_RETURN_ALL | LUP_DEEP: Begin -> %d (error %d)", ret,
          ret ? WSAGetLastError() : 0);
    CHECK(h != (HANDLE)0xdeadbeef, "the handle is filled");
    if (!ret)
    {
        n = read_all(h, LUP_RETURN_ALL, "network list", names, 64, &ifs);
        CHECK(ifs == adapter_count, "network list: %d interfaces in %d network(s) for %d adapter(s)", ifs, n,
              adapter_count);
        for (i = 0; i < adapter_count; i++)
            CHECK(adapters[i].seen == 1, "adapter %s in exactly one network (%d)", adapters[i].name, adapters[i].seen);
        CHECK(!WSALookupServiceEnd(h), "End");
        CHECK_FAIL(WSALookupServiceEnd(h), SOCKET_ERROR, WSA_INVALID_HANDLE);
    }

    /* NLA's own class, by name space and by provider id */
    memset(&qs, 0, sizeof(qs));
    qs.dwSize = sizeof(qs);
    qs.lpServiceClassId = (GUID *)&nla_class;
    qs.dwNameSpace = NS_NLA;
    ret = begin(&qs, LUP_RETURN_ALL, &h);
    CHECK(ret == 0, "NS_NLA, NLA_SERVICE_CLASS_GUID: Begin -> %d (error %d)", ret, ret ? WSAGetLastError() : 0);
    if (!ret)
    {
        for (i = 0; i < adapter_count; i++) adapters[i].seen = 0;
        n = read_all(h, LUP_RETURN_ALL | LUP_RETURN_TYPE, "NLA class", names, 64, &ifs);
        CHECK(ifs == adapter_count, "NLA class: %d interfaces for %d adapter(s)", ifs, adapter_count);
        CHECK(!WSALookupServiceEnd(h), "End");
    }
    else n = 0;
    qs.dwNameSpace = NS_ALL;
    qs.lpNSProviderId = (GUID *)&nla_provider;
    ret = begin(&qs, LUP_RETURN_NAME | LUP_RETURN_TYPE, &h);
    CHECK(ret == 0, "by NLA's provider id: Begin -> %d (error %d)", ret, ret ? WSAGetLastError() : 0);
    if (!ret)
    {
        int m = read_all(h, LUP_RETURN_NAME | LUP_RETURN_TYPE, "name only", names, 64, &ifs);
        CHECK(m == n, "by provider id: %d networks (%d by name space)", m, n);
        CHECK(!WSALookupServiceEnd(h), "End");
    }
    qs.lpNSProviderId = NULL;
    ret = begin(&qs, LUP_RETURN_BLOB, &h);
    CHECK(ret == 0, "blob only: Begin -> %d", ret);
    if (!ret)
    {
        for (i = 0; i < adapter_count; i++) adapters[i].seen = 0;
        read_all(h, LUP_RETURN_BLOB, "blob only", NULL, 0, &ifs);
        CHECK(!WSALookupServiceEnd(h), "End");
    }

    /* a too-small buffer: WSAEFAULT with the size needed, the same set afterwards; LUP_FLUSHPREVIOUS skips it */
    ret = begin(&qs, LUP_RETURN_ALL, &h);
    CHECK(ret == 0, "short buffers: Begin -> %d", ret);
    if (!ret && n > 0)
    {
        size = sizeof(WSAQUERYSETW);
        CHECK_FAIL(WSALookupServiceNextW(h, 0, &size, &buf.qs), SOCKET_ERROR, WSAEFAULT);
        CHECK(size > sizeof(WSAQUERYSETW) && size <= sizeof(buf), "size needed %lu", (unsigned long)size);
        needed = size;
        size = needed - 1;
        CHECK_FAIL(WSALookupServiceNextW(h, 0, &size, &buf.qs), SOCKET_ERROR, WSAEFAULT);
        CHECK(size == needed, "one byte short: size needed %lu again", (unsigned long)size);
        size = needed;
        ret = WSALookupServiceNextW(h, 0, &size, &buf.qs);
        CHECK(ret == 0 && buf.qs.lpszServiceInstanceName && !lstrcmpW(buf.qs.lpszServiceInstanceName, names[0]),
              "the exact size gets the first network again (%d)", ret);
        if (n > 1)
        {
            size = 16;
            CHECK_FAIL(WSALookupServiceNextW(h, 0, &size, &buf.qs), SOCKET_ERROR, WSAEFAULT);
            size = sizeof(buf);
            ret = WSALookupServiceNextW(h, LUP_FLUSHPREVIOUS, &size, &buf.qs);
            CHECK(n > 2 ? ret == 0 && !lstrcmpW(buf.qs.lpszServiceInstanceName, names[2])
                        : ret == SOCKET_ERROR && WSAGetLastError() == WSA_E_NO_MORE,
                  "LUP_FLUSHPREVIOUS skips the second network (%d)", ret);
        }
        else
        {
            size = sizeof(buf);
            CHECK_FAIL(WSALookupServiceNextW(h, 0, &size, &buf.qs), SOCKET_ERROR, WSA_E_NO_MORE);
        }
        CHECK(!WSALookupServiceEnd(h), "End");
    }
    else if (!ret)
    {
        printf("no network here: the short-buffer checks need one\n");
        size = 0;
        CHECK_FAIL(WSALookupServiceNextW(h, 0, &size, NULL), SOCKET_ERROR, WSA_E_NO_MORE);
        CHECK(!WSALookupServiceEnd(h), "End");
    }

    /* a network by name; an unknown name has no network */
    if (n > 0)
    {
        qs.lpszServiceInstanceName = names[n - 1];
        ret = begin(&qs, LUP_RETURN_NAME, &h);
        CHECK(ret == 0, "by name: Begin -> %d", ret);
        if (!ret)
        {
            WCHAR one[1][256];
            int m = read_all(h, LUP_RETURN_NAME, "by name", one, 1, &ifs);
            CHECK(m == 1 && !lstrcmpW(one[0], names[n - 1]), "by name: %d set(s), \"%ls\"", m, m ? one[0] : L"");
            CHECK(!WSALookupServiceEnd(h), "End");
        }
    }
    qs.lpszServiceInstanceName = (WCHAR *)L"no such network here";
    ret = begin(&qs, LUP_RETURN_NAME, &h);
    CHECK(ret == 0, "unknown name: Begin -> %d", ret);
    if (!ret)
    {
        size = sizeof(buf);
        CHECK_FAIL(WSALookupServiceNextW(h, 0, &size, &buf.qs), SOCKET_ERROR, WSA_E_NO_MORE);
        CHECK(!WSALookupServiceEnd(h), "End");
    }
    qs.lpszServiceInstanceName = NULL;

    /* the ANSI form */
    {
        WSAQUERYSETA qa;
        union { WSAQUERYSETA qs; char raw[8192]; } abuf;
        HANDLE ha;
        memset(&qa, 0, sizeof(qa));
        qa.dwSize = sizeof(qa);
        qa.lpServiceClassId = (GUID *)&nla_class;
        qa.dwNameSpace = NS_NLA;
        ret = WSALookupServiceBeginA(&qa, LUP_RETURN_NAME | LUP_RETURN_BLOB, &ha);
        CHECK(ret == 0, "ANSI: Begin -> %d", ret);
        if (!ret)
        {
            size = sizeof(abuf);
            ret = WSALookupServiceNextA(ha, 0, &size, &abuf.qs);
            if (n > 0)
            {
                CHECK(ret == 0 && abuf.qs.lpszServiceInstanceName && abuf.qs.lpBlob, "ANSI: \"%s\"",
                      ret == 0 && abuf.qs.lpszServiceInstanceName ? abuf.qs.lpszServiceInstanceName : "");
                if (!ret)
                {
                    for (i = 0; i < adapter_count; i++) adapters[i].seen = 0;
                    check_blob(abuf.qs.lpBlob, "ANSI");
                }
            }
            else CHECK(ret == SOCKET_ERROR && WSAGetLastError() == WSA_E_NO_MORE, "ANSI: no network");
            CHECK(!WSALookupServiceEnd(ha), "End");
        }
    }

    /* queries NLA does not serve are unchanged: a host lookup over NS_ALL has no NLA result */
    memset(&qs, 0, sizeof(qs));
    qs.dwSize = sizeof(qs);
    qs.lpServiceClassId = (GUID *)&host_class;
    qs.lpszServiceInstanceName = (WCHAR *)L"localhost";
    qs.dwNameSpace = NS_ALL;
    ret = begin(&qs, LUP_RETURN_NAME | LUP_RETURN_ADDR, &h);
    CHECK(ret == 0, "NS_ALL host lookup of localhost: Begin -> %d (error %d)", ret, ret ? WSAGetLastError() : 0);
    if (!ret)
    {
        int sets = 0, dns = 0;
        for (;;)
        {
            size = sizeof(buf);
            if (WSALookupServiceNextW(h, 0, &size, &buf.qs)) break;
            sets++;
            if (buf.qs.dwNameSpace == NS_DNS) dns++;
        }
        err = WSAGetLastError();
        CHECK(sets == 1 && dns == 1 && err == WSA_E_NO_MORE, "host lookup: %d set(s), %d from NS_DNS, then %d", sets,
              dns, err);
        CHECK(!WSALookupServiceEnd(h), "End");
    }
    /* ... NLA alone refuses it */
    qs.dwNameSpace = NS_NLA;
    CHECK_FAIL(begin(&qs, LUP_RETURN_NAME, &h), SOCKET_ERROR, WSAEINVAL);
    /* ... and a class nobody serves fails with the Tcpip provider's own error, as without NLA */
    qs.lpServiceClassId = (GUID *)&nobody_class;
    qs.dwNameSpace = NS_ALL;
    qs.lpNSProviderId = (GUID *)&tcpip_provider;
    ret = begin(&qs, LUP_RETURN_NAME, &h);
    err_tcpip = WSAGetLastError();
    CHECK(ret == SOCKET_ERROR, "unknown class, Tcpip provider alone: fails with %d", err_tcpip);
    qs.lpNSProviderId = NULL;
    ret = begin(&qs, LUP_RETURN_NAME, &h);
    err = WSAGetLastError();
    CHECK(ret == SOCKET_ERROR && err == err_tcpip, "unknown class over NS_ALL: %d error %d (expected %d)", ret, err,
          err_tcpip);

    WSACleanup();
    return e2e_done("nsp_nla_e2e");
}
