/* ns_catalog_current.c - the process' current snapshot of the native namespace catalog view and its
 * change detection, as the protocol catalog does it: a registry watch on NameSpace_Catalog5 (or,
 * while it does not exist, its closest existing ancestor) tells cheaply that something changed; the
 * snapshot is then reloaded when Serial_Access_Num differs. Without a watch, the serial is polled at
 * most every NS_SERIAL_POLL_MS. Portable.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "ns_catalog.h"
#include "trace.h"

#define NS_SERIAL_POLL_MS 250

static os_rwlock current_lock = OS_RWLOCK_INIT;
static struct ns_catalog *current;
static os_regwatch *current_watch;
static size_t current_watch_level;
static LONG current_dirty;
static LONG current_checked;
static const char *const watch_keys[] =
{
    NAMESPACE_CATALOG_KEY, WINSOCK2_PARAMETERS_KEY, "System\\CurrentControlSet\\Services\\WinSock2",
    "System\\CurrentControlSet\\Services",
};

/* With current_lock held exclusively. */
static void reload(void)
{
    struct ns_catalog *cat = NULL;

    if (current_watch && current_watch_level)
    {
        os_reg_watch_close(current_watch);
        current_watch = NULL;
    }
    for (current_watch_level = 0; !current_watch && current_watch_level < OPENWS2_ARRAY_SIZE(watch_keys);
         current_watch_level++)
        if (os_reg_watch_open(watch_keys[current_watch_level], &current_watch) != ERROR_SUCCESS) current_watch = NULL;
        else break;
    if (ns_catalog_load(CATALOG_VIEW_NATIVE, &cat) || !cat)
    {
        if (!(cat = ns_catalog_default(CATALOG_VIEW_NATIVE))) return;
    }
    ns_catalog_release(current);
    current = cat;
    os_atomic_store(&current_checked, (LONG)(DWORD)os_ticks_ms());
}

static BOOL fresh(void)
{
    if (!current) return FALSE;
    if (current_watch)
    {
        if (os_atomic_load(&current_dirty)) return FALSE;
        if (!os_reg_watch_changed(current_watch)) return TRUE;
        os_atomic_store(&current_dirty, 1);
        return FALSE;
    }
    return (DWORD)os_ticks_ms() - (DWORD)os_atomic_load(&current_checked) < NS_SERIAL_POLL_MS;
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
        os_atomic_store(&current_dirty, 0);
        if (!current || ns_catalog_read_serial() != current->serial)
        {
            TRACE_CAT("namespace catalog: Serial_Access_Num changed: reloading");
            reload();
        }
        else os_atomic_store(&current_checked, (LONG)(DWORD)os_ticks_ms());
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
    if (current_watch) os_reg_watch_close(current_watch);
    current_watch = NULL;
    os_atomic_store(&current_dirty, 0);
    os_rwlock_unlock_exclusive(&current_lock);
}
