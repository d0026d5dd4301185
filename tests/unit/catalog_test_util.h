/* catalog_test_util.h - helpers shared by the catalog unit tests: building entries with ASCII names
 * (WCHAR is 16-bit in the host build, so no L"" literals) and comparing them.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_CATALOG_TEST_UTIL_H
#define OPENWS2_CATALOG_TEST_UTIL_H

#include "os.h"
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>
#include "catalog.h"

static inline void set_wname(WCHAR *dst, const char *s)
{
    size_t i;
    for (i = 0; s[i] && i < WSAPROTOCOL_LEN; i++) dst[i] = (unsigned char)s[i];
    dst[i] = 0;
}

static inline int wname_is(const WCHAR *w, const char *s)
{
    size_t i;
    for (i = 0; s[i]; i++)
        if (w[i] != (unsigned char)s[i]) return 0;
    return w[i] == 0;
}

static const GUID test_guid_a = {0x11111111, 0x2222, 0x3333, {1, 2, 3, 4, 5, 6, 7, 8}};
static const GUID test_guid_b = {0xaaaaaaaa, 0xbbbb, 0xcccc, {8, 7, 6, 5, 4, 3, 2, 1}};

/* A base entry of provider *id for (af, type, protocol). */
static inline WSAPROTOCOL_INFOW make_info(const GUID *id, DWORD catalog_id, int af, int type, int protocol,
                                          const char *name)
{
    WSAPROTOCOL_INFOW p;
    memset(&p, 0, sizeof(p));
    p.ProviderId = *id;
    p.dwCatalogEntryId = catalog_id;
    p.ProtocolChain.ChainLen = BASE_PROTOCOL;
    p.iVersion = 2;
    p.iAddressFamily = af;
    p.iMaxSockAddr = p.iMinSockAddr = af == AF_INET6 ? 28 : 16;
    p.iSocketType = type;
    p.iProtocol = protocol;
    p.iNetworkByteOrder = BIGENDIAN;
    p.dwServiceFlags1 = XP1_IFS_HANDLES;
    set_wname(p.szProtocol, name);
    return p;
}

/* A heap catalog (refs 1) holding copies of infos, all with path. */
static inline struct catalog *make_catalog(enum catalog_view view, const WSAPROTOCOL_INFOW *infos, size_t n,
                                           const char *path)
{
    struct catalog *cat = calloc(1, sizeof(*cat));
    size_t i;
    assert_non_null(cat);
    cat->entries = calloc(n ? n : 1, sizeof(*cat->entries));
    assert_non_null(cat->entries);
    for (i = 0; i < n; i++)
    {
        strcpy(cat->entries[i].path, path);
        cat->entries[i].info = infos[i];
        if (infos[i].dwCatalogEntryId >= cat->next_id) cat->next_id = infos[i].dwCatalogEntryId + 1;
    }
    if (cat->next_id < CATALOG_FIRST_ENTRY_ID) cat->next_id = CATALOG_FIRST_ENTRY_ID;
    cat->count = n;
    cat->refs = 1;
    cat->view = view;
    cat->from_registry = TRUE;
    return cat;
}

#endif
