/* ws2catalog_reset.c - `ws2catalog reset`, the `netsh winsock reset` equivalent: the embedded default
 * protocol catalog written to Catalog_Entries64 and Catalog_Entries, and the default namespace
 * catalog to both of its views.
 * It does not go through exports: the documented WSC* functions cannot rebuild Windows' reset
 * catalog (they always assign fresh catalog ids, and an emptied view reads back as the embedded
 * default, so "deinstall everything, install the defaults" would fail with WSANO_RECOVERY). It links
 * the DLL's own catalog modules (src/catalog/catalog.c, src/ns_catalog*.c: same format, same lock,
 * Serial_Access_Num bumped so running processes reload) instead.
 * Output: Windows' netsh prints "Successfully reset the Winsock Catalog." and "You must restart the
 * computer in order to complete the reset." (the wording is from memory of Windows 10's netsh; no
 * public dump of it was found to check it against). Under Wine nothing needs a machine restart: the
 * catalog is read again by every program started afterwards, while a running program keeps the
 * provider DLLs it has loaded, so the second line says to restart the programs (or `wineserver -k`).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "catalog.h"
#include "ns_catalog.h"
#include "ws2catalog.h"

int ws2c_reset(int argc, WCHAR **argv)
{
    static const enum catalog_view views[] = {CATALOG_VIEW_64, CATALOG_VIEW_32};
    size_t i;
    int err, status = TOOL_OK;

    (void)argv;
    if (argc) return ws2c_usage();
    for (i = 0; i < OPENWS2_ARRAY_SIZE(views); i++)
    {
        const char *name = views[i] == CATALOG_VIEW_64 ? "Catalog_Entries64" : "Catalog_Entries";
        struct catalog *cat = catalog_default(views[i]);
        if (!cat)
        {
            fprintf(stderr, "ws2catalog: out of memory\n");
            return TOOL_FAIL;
        }
        if ((err = catalog_store(cat)))
        {
            fprintf(stderr, "ws2catalog: writing %s failed: error %d\n", name, err);
            status = TOOL_FAIL;
        }
        catalog_release(cat);
    }
    if ((err = ns_catalog_reset_default()))
    {
        fprintf(stderr, "ws2catalog: writing NameSpace_Catalog5 failed: error %d\n", err);
        status = TOOL_FAIL;
    }
    if (status == TOOL_OK)
        printf("\nSuccessfully reset the Winsock Catalog.\n"
               "You must restart the programs that use Winsock (or run `wineserver -k` for this Wine prefix)\n"
               "in order to complete the reset.\n\n");
    return status;
}
