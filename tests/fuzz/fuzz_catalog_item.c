/* fuzz_catalog_item.c - libFuzzer target for the protocol catalog's PackedCatalogItem blobs
 * (src/catalog/catalog_format.c, src/catalog/catalog_select.c): the input cut into blobs of the packed size (the last
 * one truncated), each unpacked; every accepted entry packs back to a blob that unpacks to the same
 * entry, and the accepted entries form a catalog that socket selection and lookups walk.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "catalog.h"
#include "catalog_edit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_BLOBS 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int triples[][3] = { {AF_INET, SOCK_STREAM, 0}, {AF_INET6, SOCK_DGRAM, IPPROTO_UDP},
                                      {0, 0, 0}, {AF_INET, 0, IPPROTO_TCP}, {AF_UNSPEC, SOCK_RAW, 255} };
    struct catalog_entry entries[MAX_BLOBS], again;
    unsigned char blob[PACKED_CATALOG_ITEM_SIZE];
    struct catalog cat;
    size_t off, n = 0, i;

    /* every length the registry can hand over: the whole input as one blob too */
    if (!catalog_item_unpack(data, size, &again) && size != PACKED_CATALOG_ITEM_SIZE) abort();
    for (off = 0; off < size && n < MAX_BLOBS; off += PACKED_CATALOG_ITEM_SIZE)
    {
        size_t len = size - off < PACKED_CATALOG_ITEM_SIZE ? size - off : PACKED_CATALOG_ITEM_SIZE;
        void *copy = malloc(len ? len : 1); /* exact size: ASan sees any read past the blob */
        if (!copy) return 0;
        memcpy(copy, data + off, len);
        if (!catalog_item_unpack(copy, len, &entries[n]))
        {
            if (len != PACKED_CATALOG_ITEM_SIZE) abort(); /* a truncated blob is never accepted */
            if (memchr(entries[n].path, 0, sizeof(entries[n].path)) == NULL) abort();
            catalog_item_pack(&entries[n], blob);
            if (catalog_item_unpack(blob, sizeof(blob), &again) || memcmp(&again, &entries[n], sizeof(again))) abort();
            n++;
        }
        free(copy);
    }
    memset(&cat, 0, sizeof(cat));
    cat.refs = 1;
    cat.view = CATALOG_VIEW_NATIVE;
    cat.from_registry = TRUE;
    cat.count = n;
    cat.entries = entries;
    for (i = 0; i < sizeof(triples) / sizeof(triples[0]); i++)
    {
        const struct catalog_entry *e = NULL;
        if (!catalog_select(&cat, triples[i][0], triples[i][1], triples[i][2], NULL, &e))
        {
            if (e < entries || e >= entries + n) abort();
        }
    }
    for (i = 0; i < n; i++)
    {
        const struct catalog_entry *e = NULL;
        const DWORD *chain = entries[i].info.ProtocolChain.ChainEntries;
        size_t j;
        catalog_select(&cat, 0, 0, 0, &entries[i].info, &e);
        catalog_enum_match(&entries[i].info, NULL, TRUE);
        /* a chain's members, as the loader resolves them (absent ids and loops included) */
        for (j = 0; j < MAX_PROTOCOL_CHAIN && (int)j < entries[i].info.ProtocolChain.ChainLen; j++)
            catalog_find_id(&cat, chain[j]);
        catalog_find_provider(&cat, &entries[i].info.ProviderId);
    }
    return 0;
}
