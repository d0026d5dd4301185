/* ns_catalog_default.c - the embedded default namespace catalog: one NS_DNS provider, openws2's
 * openws2nsp.dll (hosts file + DNS), registered under Windows' Tcpip namespace provider id and
 * display string so programs recognise it, enabled, version 0 as Windows' own. Used when the registry
 * holds no namespace catalog, and written out by `ws2catalog reset` (ns_catalog_reset_default).
 * Portable.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "ns_catalog.h"
#include "trace.h"

struct ns_catalog *ns_catalog_default(enum catalog_view view)
{
    struct ns_catalog *cat = ns_catalog_new(view, 1);
    struct ns_catalog_entry *e;

    if (!cat) return NULL;
    e = &cat->entries[0];
    ns_ascii_to_wide(OPENWS2_NSP_PROVIDER_PATH, e->path, NS_CATALOG_PATH_LEN);
    ns_ascii_to_wide("Tcpip", e->display, NS_CATALOG_NAME_LEN);
    e->id = ns_tcpip_provider_id;
    e->name_space = NS_DNS;
    e->version = 0;
    e->address_family = NS_NO_ADDRESS_FAMILY;
    e->enabled = TRUE;
    e->stores_class_info = FALSE;
    e->has_info = FALSE;
    return cat;
}

int ns_catalog_reset_default(void)
{
    static const enum catalog_view views[] = {CATALOG_VIEW_64, CATALOG_VIEW_32};
    size_t i;
    int err = 0;

    for (i = 0; i < OPENWS2_ARRAY_SIZE(views); i++)
    {
        struct ns_catalog *cat = ns_catalog_default(views[i]);
        int ret;

        if (!cat) return WSA_NOT_ENOUGH_MEMORY;
        ret = ns_catalog_store(cat);
        TRACE_CAT("namespace catalog reset: %s view -> %d", views[i] == CATALOG_VIEW_64 ? "64-bit" : "32-bit", ret);
        if (ret && !err) err = ret;
        ns_catalog_release(cat);
    }
    return err;
}
