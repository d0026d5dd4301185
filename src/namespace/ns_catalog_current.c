/* ns_catalog_current.c - the process' current snapshot of the native namespace catalog view, kept by
 * the snapshot cache the protocol catalog uses too (registry_watch.h): a registry watch on
 * NameSpace_Catalog5 (or, while it does not exist, its closest existing ancestor) tells cheaply that
 * something changed; the snapshot is then reloaded when Serial_Access_Num differs. Without a watch,
 * the serial is polled at most every NS_SERIAL_POLL_MS. Portable.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "ns_catalog.h"
#include "registry_watch.h"
#include "trace.h"

#define NS_SERIAL_POLL_MS 250

static void *snap_load(void)
{
    struct ns_catalog *cat = NULL;
    if (ns_catalog_load(CATALOG_VIEW_NATIVE, &cat) || !cat) cat = ns_catalog_default(CATALOG_VIEW_NATIVE);
    return cat;
}

static void *snap_fallback(void)
{
    return ns_catalog_default(CATALOG_VIEW_NATIVE);
}

static DWORD snap_serial(const void *snap)
{
    return ((const struct ns_catalog *)snap)->serial;
}

static void *snap_ref(void *snap)
{
    return ns_catalog_ref(snap);
}

static void snap_release(void *snap)
{
    ns_catalog_release(snap);
}

static const struct snapshot_ops current_ops =
{
    "namespace catalog", snap_load, snap_fallback, ns_catalog_read_serial, snap_serial, snap_ref, snap_release,
};
static struct snapshot_cache current = SNAPSHOT_CACHE_INIT(NAMESPACE_CATALOG_KEY, NS_SERIAL_POLL_MS, &current_ops);

struct ns_catalog *ns_catalog_current(void)
{
    return snapshot_cache_get(&current);
}

void ns_catalog_current_reset(void)
{
    snapshot_cache_reset(&current);
}
