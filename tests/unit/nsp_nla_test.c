/* nsp_nla_test.c - CMocka tests of the NLA name space's portable part (dlls/nsp/nsp_nla_net.c): the
 * networks made from a fabricated adapter list (loopback, down and address-less adapters left out;
 * DNS suffix, IPv4 subnet and IPv6 prefix names; adapters of one network grouped, case-insensitively;
 * the name filter; the cap), the NLA_BLOB chain's headers, and the packed result set (exact size,
 * nothing written when short, pointers inside the buffer, LUP_RETURN_* honoured).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "nsp_nla_net.h"

#define MAX_FAKE 12
static IP_ADAPTER_ADDRESSES ad[MAX_FAKE];
static IP_ADAPTER_UNICAST_ADDRESS uni[MAX_FAKE];
static SOCKADDR_IN sin4[MAX_FAKE];
static SOCKADDR_IN6 sin6[MAX_FAKE];
static WCHAR suffix[MAX_FAKE][32];
static char names[MAX_FAKE][40];
static int n_ad;

static void wide(WCHAR *out, const char *s)
{
    size_t i;
    for (i = 0; s[i]; i++) out[i] = (WCHAR)(unsigned char)s[i];
    out[i] = 0;
}

static int wide_is(const WCHAR *w, const char *s)
{
    size_t i;
    if (!w) return 0;
    for (i = 0; s[i]; i++)
        if (w[i] != (WCHAR)(unsigned char)s[i]) return 0;
    return w[i] == 0;
}

/* family 0: no unicast address */
static void add(const char *name, int up, DWORD type, const char *dns, int family, const char *addr, unsigned prefix,
                ULONG64 speed)
{
    IP_ADAPTER_ADDRESSES *a = &ad[n_ad];
    memset(a, 0, sizeof(*a));
    snprintf(names[n_ad], sizeof(names[0]), "%s", name);
    a->AdapterName = names[n_ad];
    a->OperStatus = up ? IfOperStatusUp : IfOperStatusDown;
    a->IfType = type;
    a->TransmitLinkSpeed = speed;
    wide(suffix[n_ad], dns);
    a->DnsSuffix = suffix[n_ad];
    if (family == AF_INET)
    {
        memset(&sin4[n_ad], 0, sizeof(sin4[0]));
        sin4[n_ad].sin_family = AF_INET;
        memcpy(&sin4[n_ad].sin_addr, addr, 4);
        uni[n_ad].Address.lpSockaddr = (SOCKADDR *)&sin4[n_ad];
        uni[n_ad].Address.iSockaddrLength = sizeof(SOCKADDR_IN);
    }
    else if (family == AF_INET6)
    {
        memset(&sin6[n_ad], 0, sizeof(sin6[0]));
        sin6[n_ad].sin6_family = AF_INET6;
        memcpy(&sin6[n_ad].sin6_addr, addr, 16);
        uni[n_ad].Address.lpSockaddr = (SOCKADDR *)&sin6[n_ad];
        uni[n_ad].Address.iSockaddrLength = sizeof(SOCKADDR_IN6);
    }
    if (family)
    {
        uni[n_ad].OnLinkPrefixLength = (UINT8)prefix;
        uni[n_ad].Next = NULL;
        a->FirstUnicastAddress = &uni[n_ad];
    }
    if (n_ad) ad[n_ad - 1].Next = a;
    n_ad++;
}

static int setup(void **state)
{
    (void)state;
    n_ad = 0;
    add("{A1}", 1, IF_TYPE_ETHERNET_CSMACD, "", AF_INET, "\xc0\xa8\x01\x4d", 24, 1000000000ull);   /* 192.168.1.77/24 */
    add("{A2}", 1, IF_TYPE_ETHERNET_CSMACD, "corp.example", AF_INET, "\x0a\x01\x02\x03", 8, 100000000ull);
    add("{A3}", 1, IF_TYPE_IEEE80211, "CORP.Example", AF_INET, "\x0a\x09\x09\x09", 8, 54000000ull);
    add("{LO}", 1, IF_TYPE_SOFTWARE_LOOPBACK, "", AF_INET, "\x7f\x00\x00\x01", 8, 0);
    add("{DOWN}", 0, IF_TYPE_ETHERNET_CSMACD, "", AF_INET, "\xc0\x00\x02\x01", 24, 0);
    add("{NOADDR}", 1, IF_TYPE_ETHERNET_CSMACD, "", 0, NULL, 0, 0);
    add("{V6}", 1, IF_TYPE_ETHERNET_CSMACD, "", AF_INET6,
        "\x20\x01\x0d\xb8\x00\x01\x00\x02\x00\x00\x00\x00\x00\x00\x00\x05", 64, (ULONG64)-1);
    add("{A8}", 1, IF_TYPE_ETHERNET_CSMACD, "", AF_INET, "\xc0\xa8\x01\xc8", 24, 0);                /* 192.168.1.200 */
    add("{A9}", 1, IF_TYPE_ETHERNET_CSMACD, "", AF_INET, "\xac\x10\x05\x09", 20, 0);                /* 172.16.5.9/20 */
    return 0;
}

static void test_networks(void **state)
{
    struct nla_network *net = calloc(NLA_MAX_NETWORKS, sizeof(*net));
    size_t n;
    (void)state;

    n = nsp_nla_networks(ad, NULL, net, NLA_MAX_NETWORKS);
    assert_int_equal(n, 4);
    assert_true(wide_is(net[0].name, "192.168.1.0"));
    assert_int_equal(net[0].if_count, 2);
    assert_string_equal(net[0].ifs[0].adapter, "{A1}");
    assert_int_equal(net[0].ifs[0].type, IF_TYPE_ETHERNET_CSMACD);
    assert_int_equal(net[0].ifs[0].speed, 1000000); /* kbps */
    assert_string_equal(net[0].ifs[1].adapter, "{A8}");
    assert_true(wide_is(net[1].name, "corp.example")); /* the first adapter's spelling */
    assert_int_equal(net[1].if_count, 2);
    assert_string_equal(net[1].ifs[1].adapter, "{A3}");
    assert_int_equal(net[1].ifs[1].type, IF_TYPE_IEEE80211);
    assert_int_equal(net[1].ifs[1].speed, 54000);
    assert_true(wide_is(net[2].name, "2001:db8:1:2::"));
    assert_int_equal(net[2].if_count, 1);
    assert_int_equal(net[2].ifs[0].speed, 0); /* unknown speed */
    assert_true(wide_is(net[3].name, "172.16.0.0"));

    /* a network by name, case-insensitively; an unknown name */
    {
        WCHAR want[32];
        wide(want, "CORP.EXAMPLE");
        n = nsp_nla_networks(ad, want, net, NLA_MAX_NETWORKS);
        assert_int_equal(n, 1);
        assert_int_equal(net[0].if_count, 2);
        wide(want, "10.0.0.0");
        assert_int_equal(nsp_nla_networks(ad, want, net, NLA_MAX_NETWORKS), 0);
    }
    /* the cap */
    assert_int_equal(nsp_nla_networks(ad, NULL, net, 2), 2);
    assert_int_equal(nsp_nla_networks(NULL, NULL, net, 2), 0);
    free(net);
}

static void test_blob(void **state)
{
    struct nla_network *net = calloc(NLA_MAX_NETWORKS, sizeof(*net));
    unsigned char *buf;
    size_t size, n, off = 0;
    const NLA_BLOB *e;
    (void)state;

    n = nsp_nla_networks(ad, NULL, net, NLA_MAX_NETWORKS);
    assert_int_equal(n, 4);
    size = nsp_nla_pack_blob(&net[1], NULL);
    buf = calloc(1, size);
    assert_int_equal(nsp_nla_pack_blob(&net[1], buf), size);

    e = (const NLA_BLOB *)buf;
    assert_int_equal(e->header.type, NLA_INTERFACE);
    assert_int_equal(e->header.dwSize, offsetof(NLA_BLOB, data.interfaceData.adapterName) + 5);
    assert_int_equal(e->header.nextOffset, (e->header.dwSize + 7) & ~7u);
    assert_string_equal(e->data.interfaceData.adapterName, "{A2}");
    assert_int_equal(e->data.interfaceData.dwSpeed, 100000);
    off += e->header.nextOffset;
    e = (const NLA_BLOB *)(buf + off);
    assert_int_equal(e->header.type, NLA_INTERFACE);
    assert_string_equal(e->data.interfaceData.adapterName, "{A3}");
    assert_int_equal(e->data.interfaceData.dwType, IF_TYPE_IEEE80211);
    off += e->header.nextOffset;
    e = (const NLA_BLOB *)(buf + off);
    assert_int_equal(e->header.type, NLA_CONNECTIVITY);
    assert_int_equal(e->header.nextOffset, 0);
    assert_int_equal(e->header.dwSize, offsetof(NLA_BLOB, data.connectivity) + sizeof(e->data.connectivity));
    assert_int_equal(e->data.connectivity.type, NLA_NETWORK_UNKNOWN);
    assert_int_equal(e->data.connectivity.internet, NLA_INTERNET_UNKNOWN);
    assert_int_equal(off + e->header.dwSize, size); /* the chain ends exactly at the blob's end */
    free(buf);
    free(net);
}

static int inside(const void *p, const void *buf, size_t size)
{
    return (const char *)p >= (const char *)buf && (const char *)p < (const char *)buf + size;
}

static void test_result(void **state)
{
    struct nla_network *net = calloc(NLA_MAX_NETWORKS, sizeof(*net));
    unsigned char *buf = malloc(4096), *copy = malloc(4096);
    WSAQUERYSETW *qs = (WSAQUERYSETW *)buf;
    size_t needed = 0, again = 0, name_only = 0;
    DWORD all = LUP_RETURN_NAME | LUP_RETURN_COMMENT | LUP_RETURN_TYPE | LUP_RETURN_BLOB;
    (void)state;

    assert_int_equal(nsp_nla_networks(ad, NULL, net, NLA_MAX_NETWORKS), 4);
    /* short by one byte: WSAEFAULT, the same size, nothing written */
    assert_int_equal(nsp_nla_pack_result(&net[0], all, NULL, 0, &needed), WSAEFAULT);
    assert_true(needed > sizeof(WSAQUERYSETW));
    memset(buf, 0xcc, 4096);
    memcpy(copy, buf, 4096);
    assert_int_equal(nsp_nla_pack_result(&net[0], all, qs, needed - 1, &again), WSAEFAULT);
    assert_int_equal(again, needed);
    assert_memory_equal(buf, copy, 4096);
    /* the exact size */
    assert_int_equal(nsp_nla_pack_result(&net[0], all, qs, needed, &again), 0);
    assert_int_equal(qs->dwSize, sizeof(WSAQUERYSETW));
    assert_int_equal(qs->dwNameSpace, NS_NLA);
    assert_true(inside(qs->lpNSProviderId, buf, needed));
    assert_memory_equal(qs->lpNSProviderId, &nsp_nla_provider_id, sizeof(GUID));
    assert_true(inside(qs->lpServiceClassId, buf, needed));
    assert_memory_equal(qs->lpServiceClassId, &nsp_nla_class_id, sizeof(GUID));
    assert_true(inside(qs->lpszServiceInstanceName, buf, needed));
    assert_true(wide_is(qs->lpszServiceInstanceName, "192.168.1.0"));
    assert_true(inside(qs->lpszComment, buf, needed));
    assert_true(wide_is(qs->lpszComment, "192.168.1.0"));
    assert_true(inside(qs->lpBlob, buf, needed));
    assert_true(inside(qs->lpBlob->pBlobData, buf, needed));
    assert_true(qs->lpBlob->pBlobData + qs->lpBlob->cbSize <= buf + needed);
    assert_int_equal(qs->lpBlob->cbSize, nsp_nla_pack_blob(&net[0], NULL));
    assert_int_equal(((uintptr_t)qs->lpBlob->pBlobData) % 8, 0);
    assert_int_equal(buf[needed], 0xcc); /* nothing past the size */

    /* the name alone: smaller, no blob, comment or class */
    assert_int_equal(nsp_nla_pack_result(&net[0], LUP_RETURN_NAME, NULL, 0, &name_only), WSAEFAULT);
    assert_true(name_only < needed);
    assert_int_equal(nsp_nla_pack_result(&net[0], LUP_RETURN_NAME, qs, name_only, &again), 0);
    assert_true(wide_is(qs->lpszServiceInstanceName, "192.168.1.0"));
    assert_null(qs->lpBlob);
    assert_null(qs->lpszComment);
    assert_null(qs->lpServiceClassId);
    assert_non_null(qs->lpNSProviderId);
    /* the blob alone */
    assert_int_equal(nsp_nla_pack_result(&net[1], LUP_RETURN_BLOB, qs, 4096, &again), 0);
    assert_null(qs->lpszServiceInstanceName);
    assert_non_null(qs->lpBlob);
    assert_int_equal(((const NLA_BLOB *)qs->lpBlob->pBlobData)->header.type, NLA_INTERFACE);
    free(buf);
    free(copy);
    free(net);
}

static void test_name_cmp(void **state)
{
    WCHAR a[16], b[16];
    (void)state;
    wide(a, "Corp.Example");
    wide(b, "cORP.eXAMPLE");
    assert_int_equal(nsp_nla_name_cmp(a, b), 0);
    wide(b, "corp.example2");
    assert_int_not_equal(nsp_nla_name_cmp(a, b), 0);
    wide(b, "corp.exampl");
    assert_int_not_equal(nsp_nla_name_cmp(a, b), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_networks, setup),
        cmocka_unit_test_setup(test_blob, setup),
        cmocka_unit_test_setup(test_result, setup),
        cmocka_unit_test(test_name_cmp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
