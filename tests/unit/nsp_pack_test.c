/* nsp_pack_test.c - CMocka tests of openws2nsp's result layout (dlls/nsp/nsp_pack.c): exact sizes,
 * nothing written when the buffer is short, every pointer inside the buffer, CSADDR_INFO contents
 * (remote/local parts, LUP_RES_SERVICE, ports), wide strings, and hostent/servent blobs whose
 * pointers are offsets from the blob's start.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "addr_parse.h"
#include "nsp_pack.h"

static const GUID cls = { 0x0002a803, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };
static const GUID prov = { 0x22059d40, 0x7e9e, 0x11cf, { 0xae, 0x5a, 0x00, 0xaa, 0x00, 0xa7, 0x11, 0x2b } };

static struct nsp_host host;

static void make_host(void)
{
    memset(&host, 0, sizeof(host));
    nsp_host_set_name(&host, "www.example");
    nsp_host_add_alias(&host, "w1");
    nsp_host_add_alias(&host, "w2.example");
    nsp_host_add_addr(&host, AF_INET, (const uint8_t *)"\xc0\x00\x02\x01");
    nsp_host_add_addr(&host, AF_INET6, (const uint8_t *)"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01");
    nsp_host_add_addr(&host, AF_INET, (const uint8_t *)"\xc0\x00\x02\x02");
}

static int inside(const void *p, const void *buf, size_t size)
{
    return (const char *)p >= (const char *)buf && (const char *)p < (const char *)buf + size;
}

static int wide_equal(const WCHAR *w, const char *s)
{
    size_t i;
    for (i = 0; s[i]; i++)
        if (w[i] != (WCHAR)(unsigned char)s[i]) return 0;
    return w[i] == 0;
}

static void test_queryset(void **state)
{
    struct nsp_pack_input in;
    size_t need, need2, i;
    char *buf, blob[5] = "blob";
    WSAQUERYSETW *qs;
    (void)state;

    make_host();
    memset(&in, 0, sizeof(in));
    in.name = "www.example";
    in.class_id = &cls;
    in.provider_id = &prov;
    in.name_space = NS_DNS;
    in.query_string = "www";
    in.addrs = host.addrs;
    in.addr_count = host.addr_count;
    in.port = 21;
    in.socket_type = SOCK_STREAM;
    in.protocol = IPPROTO_TCP;
    in.blob = blob;
    in.blob_len = 5;

    assert_int_equal(nsp_pack_queryset(&in, NULL, 0, &need), -1);
    assert_true(need > sizeof(WSAQUERYSETW));
    buf = malloc(need + 16);
    assert_non_null(buf);
    memset(buf, 0x5a, need + 16);
    assert_int_equal(nsp_pack_queryset(&in, buf, need - 1, &need2), -1);
    assert_int_equal(need2, need);
    for (i = 0; i < need + 16; i++) assert_int_equal((unsigned char)buf[i], 0x5a);

    assert_int_equal(nsp_pack_queryset(&in, buf, need, &need2), 0);
    for (i = need; i < need + 16; i++) assert_int_equal((unsigned char)buf[i], 0x5a);
    qs = (WSAQUERYSETW *)buf;
    assert_int_equal(qs->dwSize, sizeof(WSAQUERYSETW));
    assert_int_equal(qs->dwNameSpace, NS_DNS);
    assert_true(inside(qs->lpszServiceInstanceName, buf, need) && wide_equal(qs->lpszServiceInstanceName, "www.example"));
    assert_true(inside(qs->lpszQueryString, buf, need) && wide_equal(qs->lpszQueryString, "www"));
    assert_true(inside(qs->lpServiceClassId, buf, need) && !memcmp(qs->lpServiceClassId, &cls, sizeof(GUID)));
    assert_true(inside(qs->lpNSProviderId, buf, need) && !memcmp(qs->lpNSProviderId, &prov, sizeof(GUID)));
    assert_int_equal(qs->dwNumberOfCsAddrs, 3);
    assert_true(inside(qs->lpcsaBuffer, buf, need));
    for (i = 0; i < 3; i++)
    {
        CSADDR_INFO *c = &qs->lpcsaBuffer[i];
        assert_true(inside(c->RemoteAddr.lpSockaddr, buf, need) && inside(c->LocalAddr.lpSockaddr, buf, need));
        assert_int_equal(c->iSocketType, SOCK_STREAM);
        assert_int_equal(c->iProtocol, IPPROTO_TCP);
        assert_int_equal(c->RemoteAddr.lpSockaddr->sa_family, host.addrs[i].family);
        assert_int_equal(c->LocalAddr.lpSockaddr->sa_family, host.addrs[i].family);
        if (host.addrs[i].family == AF_INET)
        {
            struct sockaddr_in *r = (struct sockaddr_in *)c->RemoteAddr.lpSockaddr;
            struct sockaddr_in *l = (struct sockaddr_in *)c->LocalAddr.lpSockaddr;
            assert_int_equal(c->RemoteAddr.iSockaddrLength, sizeof(struct sockaddr_in));
            assert_memory_equal(&r->sin_addr, host.addrs[i].addr, 4);
            assert_int_equal(addr_port_from_net(r->sin_port), 21);
            assert_memory_equal(&l->sin_addr, "\0\0\0\0", 4);
        }
        else
        {
            struct sockaddr_in6 *r = (struct sockaddr_in6 *)c->RemoteAddr.lpSockaddr;
            assert_int_equal(c->RemoteAddr.iSockaddrLength, sizeof(struct sockaddr_in6));
            assert_memory_equal(&r->sin6_addr, host.addrs[i].addr, 16);
        }
    }
    assert_true(inside(qs->lpBlob, buf, need) && inside(qs->lpBlob->pBlobData, buf, need));
    assert_int_equal(qs->lpBlob->cbSize, 5);
    assert_string_equal((char *)qs->lpBlob->pBlobData, "blob");

    /* LUP_RES_SERVICE: the address in the local part too */
    in.res_service = TRUE;
    assert_int_equal(nsp_pack_queryset(&in, buf, need, &need2), 0);
    assert_memory_equal(&((struct sockaddr_in *)qs->lpcsaBuffer[0].LocalAddr.lpSockaddr)->sin_addr, host.addrs[0].addr, 4);
    free(buf);

    /* the smallest result: only the structure */
    memset(&in, 0, sizeof(in));
    assert_int_equal(nsp_pack_queryset(&in, NULL, 0, &need), -1);
    buf = malloc(need);
    assert_int_equal(nsp_pack_queryset(&in, buf, need, &need2), 0);
    qs = (WSAQUERYSETW *)buf;
    assert_null(qs->lpszServiceInstanceName);
    assert_null(qs->lpcsaBuffer);
    assert_null(qs->lpBlob);
    free(buf);
}

static uintptr_t offset_at(const char *blob, size_t off)
{
    uintptr_t v;
    memcpy(&v, blob + off, sizeof(v));
    return v;
}

static void test_hostent(void **state)
{
    size_t need, i;
    char *blob;
    struct hostent he;
    (void)state;

    make_host();
    need = nsp_pack_hostent(&host, AF_INET, NULL, 0);
    blob = malloc(need);
    assert_non_null(blob);
    assert_int_equal(nsp_pack_hostent(&host, AF_INET, blob, need - 1), need);   /* too small: size only */
    assert_int_equal(nsp_pack_hostent(&host, AF_INET, blob, need), need);
    memcpy(&he, blob, sizeof(he));
    assert_true((uintptr_t)he.h_name < need);
    assert_string_equal(blob + (uintptr_t)he.h_name, "www.example");
    assert_int_equal(he.h_addrtype, AF_INET);
    assert_int_equal(he.h_length, 4);
    assert_string_equal(blob + offset_at(blob, (uintptr_t)he.h_aliases), "w1");
    assert_string_equal(blob + offset_at(blob, (uintptr_t)he.h_aliases + sizeof(char *)), "w2.example");
    assert_int_equal(offset_at(blob, (uintptr_t)he.h_aliases + 2 * sizeof(char *)), 0);
    assert_memory_equal(blob + offset_at(blob, (uintptr_t)he.h_addr_list), "\xc0\x00\x02\x01", 4);
    assert_memory_equal(blob + offset_at(blob, (uintptr_t)he.h_addr_list + sizeof(char *)), "\xc0\x00\x02\x02", 4);
    assert_int_equal(offset_at(blob, (uintptr_t)he.h_addr_list + 2 * sizeof(char *)), 0);
    for (i = 0; i < 2; i++) assert_true(offset_at(blob, (uintptr_t)he.h_addr_list + i * sizeof(char *)) + 4 <= need);
    free(blob);

    need = nsp_pack_hostent(&host, AF_INET6, NULL, 0);
    blob = malloc(need);
    nsp_pack_hostent(&host, AF_INET6, blob, need);
    memcpy(&he, blob, sizeof(he));
    assert_int_equal(he.h_addrtype, AF_INET6);
    assert_int_equal(he.h_length, 16);
    assert_memory_equal(blob + offset_at(blob, (uintptr_t)he.h_addr_list), host.addrs[1].addr, 16);
    assert_int_equal(offset_at(blob, (uintptr_t)he.h_addr_list + sizeof(char *)), 0);
    free(blob);

    /* no address of the family, no aliases: empty lists */
    memset(&host, 0, sizeof(host));
    nsp_host_set_name(&host, "n");
    need = nsp_pack_hostent(&host, AF_INET, NULL, 0);
    blob = malloc(need);
    nsp_pack_hostent(&host, AF_INET, blob, need);
    memcpy(&he, blob, sizeof(he));
    assert_int_equal(offset_at(blob, (uintptr_t)he.h_aliases), 0);
    assert_int_equal(offset_at(blob, (uintptr_t)he.h_addr_list), 0);
    free(blob);
}

static void test_servent(void **state)
{
    const char *aliases[] = { "www", "www-http" };
    struct servent se;
    size_t need;
    char *blob;
    (void)state;

    need = nsp_pack_servent("http", aliases, 2, 80, "tcp", NULL, 0);
    blob = malloc(need);
    assert_int_equal(nsp_pack_servent("http", aliases, 2, 80, "tcp", blob, need), need);
    memcpy(&se, blob, sizeof(se));
    assert_string_equal(blob + (uintptr_t)se.s_name, "http");
    assert_string_equal(blob + (uintptr_t)se.s_proto, "tcp");
    assert_int_equal(addr_port_from_net((uint16_t)se.s_port), 80);
    assert_string_equal(blob + offset_at(blob, (uintptr_t)se.s_aliases), "www");
    assert_string_equal(blob + offset_at(blob, (uintptr_t)se.s_aliases + sizeof(char *)), "www-http");
    assert_int_equal(offset_at(blob, (uintptr_t)se.s_aliases + 2 * sizeof(char *)), 0);
    free(blob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queryset),
        cmocka_unit_test(test_hostent),
        cmocka_unit_test(test_servent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
