/* ns_catalog_current.c - the process' current snapshot of the native namespace catalog view and its
 * change detection, as the protocol catalog does it: a registry watch on NameSpace_Catalog5 (or,
 * while it does not exist, its closest existing ancestor) tells cheaply that something changed; the
 * snapshot is then reloaded when Serial_Access_Num differs. Without a watch, the serial is polled at
 * most every NS_SERIAL_POLL_MS. Portable.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "ns_catalog.h"
#include "registry_watch.h"
#include "trace.h"

#define NS_SERIAL_POLL_MS 250

static os_rwlock current_lock = OS_RWLOCK_INIT;
static struct ns_catalog *current;
static struct registry_watch current_watch = REGISTRY_WATCH_INIT(NAMESPACE_CATALOG_KEY, NS_SERIAL_POLL_MS);

/* With current_lock held exclusively. */
static void reload(void)
{
    struct ns_catalog *cat = NULL;

    registry_watch_arm(&current_watch);
    if (ns_catalog_load(CATALOG_VIEW_NATIVE, &cat) || !cat)
    {
        if (!(cat = ns_catalog_default(CATALOG_VIEW_NATIVE))) return;
    }
    ns_catalog_release(current);
    current = cat;
    registry_watch_checked(&current_watch);
}

static BOOL fresh(void)
{
    return current && registry_watch_fresh(&current_watch);
}

struct ns_catalog *ns_catalog_current(void)
{
    struct ns_catalog *cat = NULL;

    os_rwlock_shared(&current_lock);
    if (fresh()) cat = ns_catalog_ref(current);
    os_rwlock_unlock_shared(&current_lock);
    if (cat) return cat;

    os_rwlock_exclusive(&current_lock);
    if (!fresh())
    {
        registry_watch_begin_check(&current_watch);
        if (!current || ns_catalog_read_serial() != current->serial)
        {
            TRACE_CAT("namespace catalog: Serial_Access_Num changed: reloading");
            reload();
        }
        else registry_watch_checked(&current_watch);
    }
    cat = ns_catalog_ref(current);
    os_rwlock_unlock_exclusive(&current_lock);
    if (!cat) cat = ns_catalog_default(CATALOG_VIEW_NATIVE);
    return cat;
}

void ns_catalog_current_reset(void)
{
    os_rwlock_exclusive(&current_lock);
    ns_catalog_release(current);
    current = NULL;
    registry_watch_close(&current_watch);
    os_rwlock_unlock_exclusive(&current_lock);
}
