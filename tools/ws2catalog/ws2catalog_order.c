/* ws2catalog_order.c - `ws2catalog order [--32] ID[,ID...]`: the listed catalog entries first, in that
 * order, every other entry after them in its current order, written with WSCWriteProviderOrder(32).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include <stdlib.h>
#include "ws2catalog.h"

int ws2c_order(int argc, WCHAR **argv)
{
    const WCHAR *arg = NULL;
    BOOL view32 = FALSE;
    struct ws2c_api api;
    WSAPROTOCOL_INFOW *list;
    DWORD *ids;
    size_t n = 0, k, j;
    int i, count, err, status = TOOL_OK;

    for (i = 0; i < argc; i++)
    {
        if (!lstrcmpW(argv[i], L"--32")) view32 = TRUE;
        else if (!arg && argv[i][0] >= '0' && argv[i][0] <= '9') arg = argv[i];
        else return ws2c_usage();
    }
    if (!arg) return ws2c_usage();
    if (!ws2c_load(view32, &api) || !(list = ws2c_enum(&api, &count))) return TOOL_FAIL;
    if (!(ids = calloc((size_t)count + 1, sizeof(*ids))))
    {
        free(list);
        return TOOL_FAIL;
    }
    if (!ws2c_parse_ids(arg, ids, (size_t)count, &n))
    {
        fprintf(stderr, "ws2catalog: order wants at most %d catalog entry ids separated by commas\n", count);
        status = TOOL_USAGE;
    }
    for (k = 0; k < n && status == TOOL_OK; k++)
    {
        BOOL known = FALSE;
        for (i = 0; i < count; i++)
            if (list[i].dwCatalogEntryId == ids[k]) known = TRUE;
        for (j = 0; j < k; j++)
            if (ids[j] == ids[k]) known = FALSE;
        if (!known)
        {
            fprintf(stderr, "ws2catalog: %lu is not a catalog entry of this view, or is listed twice\n",
                    (unsigned long)ids[k]);
            status = TOOL_FAIL;
        }
    }
    for (i = 0; i < count && status == TOOL_OK; i++)
    {
        BOOL listed = FALSE;
        for (k = 0; k < n; k++)
            if (ids[k] == list[i].dwCatalogEntryId) listed = TRUE;
        if (!listed) ids[n++] = list[i].dwCatalogEntryId;
    }
    if (status == TOOL_OK)
    {
        if ((err = api.write_order(ids, (DWORD)n)))
        {
            fprintf(stderr, "ws2catalog: WSCWriteProviderOrder%s failed: error %d\n", view32 ? "32" : "", err);
            status = TOOL_FAIL;
        }
        else
        {
            printf("order:");
            for (k = 0; k < n; k++) printf(" %lu", (unsigned long)ids[k]);
            printf("\n");
        }
    }
    free(ids);
    free(list);
    return status;
}
