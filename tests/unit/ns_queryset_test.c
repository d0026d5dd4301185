/* ns_queryset_test.c - WSAQUERYSET / WSASERVICECLASSINFO packing (src/namespace/ns_queryset.c) on the host:
 * the size measured is the size written, pointers aim inside the buffer, A <-> W conversion, and
 * (found by tests/fuzz/fuzz_queryset.c) a buffer too small leaves the caller's structure untouched.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>
#include "ns_queryset.h"

static const GUID class_id = {0x12345678, 0x9abc, 0xdef0, {1, 2, 3, 4, 5, 6, 7, 8}};

static BOOL inside(const void *p, size_t len, const void *buf, size_t size)
{
    const unsigned char *b = p, *base = buf;
    return b >= base && len <= size && (size_t)(b - base) <= size - len;
}

static void make_queryset(WSAQUERYSETA *q, SOCKADDR_IN *sin, CSADDR_INFO *cs, BLOB *blob, AFPROTOCOLS *prot)
{
    static unsigned char blob_data[5] = {1, 2, 3, 4, 5};
    memset(q, 0, sizeof(*q));
    memset(sin, 0, sizeof(*sin));
    memset(cs, 0, sizeof(*cs));
    sin->sin_family = AF_INET;
    sin->sin_port = htons(80);
    cs->RemoteAddr.lpSockaddr = (SOCKADDR *)sin;
    cs->RemoteAddr.iSockaddrLength = sizeof(*sin);
    cs->iSocketType = SOCK_STREAM;
    cs->iProtocol = IPPROTO_TCP;
    blob->cbSize = sizeof(blob_data);
    blob->pBlobData = blob_data;
    prot->iAddressFamily = AF_INET;
    prot->iProtocol = IPPROTO_TCP;
    q->dwSize = sizeof(*q);
    q->lpszServiceInstanceName = (char *)"www.example.test";
    q->lpServiceClassId = (GUID *)&class_id;
    q->dwNameSpace = NS_DNS;
    q->lpszComment = (char *)"comment";
    q->dwNumberOfProtocols = 1;
    q->lpafpProtocols = prot;
    q->dwNumberOfCsAddrs = 1;
    q->lpcsaBuffer = cs;
    q->lpBlob = blob;
}

static void test_queryset_a_to_w(void **state)
{
    WSAQUERYSETA q;
    SOCKADDR_IN sin;
    CSADDR_INFO cs;
    BLOB blob;
    AFPROTOCOLS prot;
    size_t need, got;
    unsigned char *buf;
    WSAQUERYSETW *w;
    (void)state;

    make_queryset(&q, &sin, &cs, &blob, &prot);
    need = ns_queryset_pack(&q, FALSE, NULL, 0, TRUE);
    assert_true(need > sizeof(WSAQUERYSETW));
    buf = malloc(need);
    assert_non_null(buf);
    got = ns_queryset_pack(&q, FALSE, buf, need, TRUE);
    assert_int_equal(got, need);
    w = (WSAQUERYSETW *)buf;
    assert_int_equal(w->dwSize, sizeof(WSAQUERYSETW));
    assert_int_equal(w->dwNameSpace, NS_DNS);
    assert_true(inside(w->lpszServiceInstanceName, 17 * sizeof(WCHAR), buf, need));
    assert_int_equal(w->lpszServiceInstanceName[0], 'w');
    assert_int_equal(w->lpszServiceInstanceName[16], 0);
    assert_true(inside(w->lpServiceClassId, sizeof(GUID), buf, need));
    assert_memory_equal(w->lpServiceClassId, &class_id, sizeof(GUID));
    assert_true(inside(w->lpcsaBuffer, sizeof(CSADDR_INFO), buf, need));
    assert_true(inside(w->lpcsaBuffer[0].RemoteAddr.lpSockaddr, sizeof(sin), buf, need));
    assert_memory_equal(w->lpcsaBuffer[0].RemoteAddr.lpSockaddr, &sin, sizeof(sin));
    assert_null(w->lpcsaBuffer[0].LocalAddr.lpSockaddr);
    assert_true(inside(w->lpBlob, sizeof(BLOB), buf, need));
    assert_true(inside(w->lpBlob->pBlobData, 5, buf, need));
    assert_int_equal(w->lpBlob->pBlobData[4], 5);
    /* the W copy packs again to the same size */
    assert_int_equal(ns_queryset_pack(w, TRUE, NULL, 0, TRUE), need);
    free(buf);
}

/* Found by fuzz_queryset: with a buffer holding the fixed structure but not all it points to, the
 * structure was written (its pointers half NULL) although the contract is "written only when it
 * fits"; now the caller's buffer keeps its structure untouched. */
static void test_small_buffer_untouched(void **state)
{
    WSAQUERYSETA q;
    SOCKADDR_IN sin;
    CSADDR_INFO cs;
    BLOB blob;
    AFPROTOCOLS prot;
    WSASERVICECLASSINFOA ci;
    WSANSCLASSINFOA info;
    DWORD value = 7;
    size_t need, i;
    unsigned char *buf;
    (void)state;

    make_queryset(&q, &sin, &cs, &blob, &prot);
    need = ns_queryset_pack(&q, FALSE, NULL, 0, TRUE);
    buf = malloc(need);
    assert_non_null(buf);
    memset(buf, 0xa5, need);
    assert_int_equal(ns_queryset_pack(&q, FALSE, buf, need - 1, TRUE), need);
    for (i = 0; i < sizeof(WSAQUERYSETW); i++) assert_int_equal(buf[i], 0xa5);
    memset(buf, 0xa5, need);
    assert_int_equal(ns_queryset_pack(&q, FALSE, buf, sizeof(WSAQUERYSETW), TRUE), need);
    for (i = 0; i < sizeof(WSAQUERYSETW); i++) assert_int_equal(buf[i], 0xa5);
    free(buf);

    memset(&ci, 0, sizeof(ci));
    memset(&info, 0, sizeof(info));
    info.lpszName = (char *)"SapId";
    info.dwNameSpace = NS_SAP;
    info.dwValueType = REG_DWORD;
    info.dwValueSize = sizeof(value);
    info.lpValue = &value;
    ci.lpServiceClassId = (GUID *)&class_id;
    ci.lpszServiceClassName = (char *)"test class";
    ci.dwCount = 1;
    ci.lpClassInfos = &info;
    need = ns_classinfo_pack(&ci, FALSE, NULL, 0, TRUE);
    assert_true(need > sizeof(WSASERVICECLASSINFOW));
    buf = malloc(need);
    assert_non_null(buf);
    memset(buf, 0xa5, need);
    assert_int_equal(ns_classinfo_pack(&ci, FALSE, buf, need - 1, TRUE), need);
    for (i = 0; i < sizeof(WSASERVICECLASSINFOW); i++) assert_int_equal(buf[i], 0xa5);
    assert_int_equal(ns_classinfo_pack(&ci, FALSE, buf, need, TRUE), need);
    assert_true(inside(((WSASERVICECLASSINFOW *)buf)->lpClassInfos[0].lpValue, sizeof(value), buf, need));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queryset_a_to_w),
        cmocka_unit_test(test_small_buffer_untouched),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
