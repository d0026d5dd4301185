/* ns_catalog_default.c - the embedded default namespace catalog: openws2's openws2nsp.dll twice, as
 * the NS_DNS provider (hosts file + DNS) under Windows' Tcpip namespace provider id and display
 * string, then as the NS_NLA provider (the networks of the adapters) under Windows' Network Location
 * Awareness provider id and display string, so programs recognise them; both enabled, version 0 as
 * Windows' own. Tcpip stays first so that a query no provider accepts fails with the Tcpip
 * provider's error, as before the NLA entry existed. Used when the registry holds no namespace
 * catalog, and written out by `ws2catalog reset` (ns_catalog_reset_default).
 * Portable.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "ns_catalog.h"
#include "trace.h"

static void default_entry(struct ns_catalog_entry *e, const char *display, const GUID *id, DWORD name_space)
{
    ns_ascii_to_wide(OPENWS2_NSP_PROVIDER_PATH, e->path, NS_CATALOG_PATH_LEN);
    ns_ascii_to_wide(display, e->display, NS_CATALOG_NAME_LEN);
    e->id = *id;
    e->name_space = name_space;
    e->version = 0;
    e->address_family = NS_NO_ADDRESS_FAMILY;
    e->enabled = TRUE;
    e->stores_class_info = FALSE;
    e->has_info = FALSE;
}

struct ns_catalog *ns_catalog_default(enum catalog_view view)
{
    struct ns_catalog *cat = ns_catalog_new(view, 2);

    if (!cat) return NULL;
    default_entry(&cat->entries[0], "Tcpip", &ns_tcpip_provider_id, NS_DNS);
    default_entry(&cat->entries[1], NS_NLA_DISPLAY_STRING, &ns_nla_provider_id, NS_NLA);
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
