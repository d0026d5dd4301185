/* registry_watch.c - change detection for the catalogs kept in the registry (include/registry_watch.h):
 * the registry watch on the catalog key or its closest existing ancestor, the polling fallback, and
 * the registry-to-WSA error mapping of catalog stores, and the process' current snapshot kept over a
 * watch (snapshot_cache). Shared by the protocol catalog (catalog.c) and the namespace catalog
 * (ns_catalog_current.c, ns_catalog_registry.c). Portable.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "registry_watch.h"
#include "catalog.h"
#include "trace.h"

/* What is watched while the catalog key itself does not exist, nearest first. */
static const char *const ancestors[] =
{
    WINSOCK2_PARAMETERS_KEY, "System\\CurrentControlSet\\Services\\WinSock2", "System\\CurrentControlSet\\Services",
};

static const char *level_key(const struct registry_watch *w, size_t level)
{
    return level ? ancestors[level - 1] : w->key;
}

/* Before reading the catalog: (re)opens the watch on key, or on its closest existing ancestor, so a
 * change made while the caller reads is not missed. */
static void registry_watch_arm(struct registry_watch *w)
{
    if (w->watch && w->level)
    {
        os_reg_watch_close(w->watch);
        w->watch = NULL;
    }
    for (w->level = 0; !w->watch && w->level < 1 + OPENWS2_ARRAY_SIZE(ancestors); w->level++)
        if (os_reg_watch_open(level_key(w, w->level), &w->watch) != ERROR_SUCCESS) w->watch = NULL;
        else break;
}

/* TRUE when a snapshot read earlier is known to be up to date without reading the registry (no
 * change signalled, or inside the polling interval). Marks the watch dirty when it fired. */
static BOOL registry_watch_fresh(struct registry_watch *w)
{
    if (w->watch)
    {
        if (os_atomic_load(&w->dirty)) return FALSE;
        if (!os_reg_watch_changed(w->watch)) return TRUE;
        os_atomic_store(&w->dirty, 1);
        return FALSE;
    }
    return (DWORD)os_ticks_ms() - (DWORD)os_atomic_load(&w->checked) < w->poll_ms;
}

/* The caller is about to compare the serial: forget the dirty mark. */
static void registry_watch_begin_check(struct registry_watch *w)
{
    os_atomic_store(&w->dirty, 0);
}

/* The serial was compared (or the snapshot reloaded) now. */
static void registry_watch_checked(struct registry_watch *w)
{
    os_atomic_store(&w->checked, (LONG)(DWORD)os_ticks_ms());
}

/* Closes the watch (the next arm opens it again). */
static void registry_watch_close(struct registry_watch *w)
{
    if (w->watch) os_reg_watch_close(w->watch);
    w->watch = NULL;
    os_atomic_store(&w->dirty, 0);
}

int registry_wsa_error(LONG ret)
{
    switch (ret)
    {
    case ERROR_SUCCESS: return 0;
    case ERROR_ACCESS_DENIED: return WSAEACCES;
    case ERROR_OUTOFMEMORY:
    case ERROR_NOT_ENOUGH_MEMORY: return WSA_NOT_ENOUGH_MEMORY;
    default: return WSANO_RECOVERY;
    }
}

/* ---- the process' current snapshot ---- */

/* Called with c->lock held exclusively. */
static void snapshot_reload(struct snapshot_cache *c)
{
    void *snap;

    registry_watch_arm(&c->watch);
    if (!(snap = c->ops->load())) return; /* out of memory: keep the old one */
    if (c->current) c->ops->release(c->current);
    c->current = snap;
    registry_watch_checked(&c->watch);
}

/* With c->lock held (either way): TRUE when the snapshot is known to be up to date without touching
 * the registry (a non-blocking event check, or inside the polling interval). */
static BOOL snapshot_fresh(struct snapshot_cache *c)
{
    return c->current && registry_watch_fresh(&c->watch);
}

void *snapshot_cache_get(struct snapshot_cache *c)
{
    void *snap = NULL;

    os_rwlock_shared(&c->lock);
    if (snapshot_fresh(c)) snap = c->ops->ref(c->current);
    os_rwlock_unlock_shared(&c->lock);
    if (snap) return snap;

    os_rwlock_exclusive(&c->lock);
    if (!snapshot_fresh(c))
    {
        registry_watch_begin_check(&c->watch);
        if (!c->current)
        {
            TRACE_CAT("%s: loading the process' snapshot", c->ops->name);
            snapshot_reload(c);
        }
        else if (c->ops->read_serial() != c->ops->serial(c->current))
        {
            TRACE_CAT("%s: Serial_Access_Num changed (was %lu): reloading", c->ops->name,
                      (unsigned long)c->ops->serial(c->current));
            snapshot_reload(c);
        }
        else registry_watch_checked(&c->watch);
    }
    snap = c->current ? c->ops->ref(c->current) : NULL;
    os_rwlock_unlock_exclusive(&c->lock);
    if (!snap) snap = c->ops->fallback(); /* only when memory ran out */
    return snap;
}

void snapshot_cache_reset(struct snapshot_cache *c)
{
    os_rwlock_exclusive(&c->lock);
    if (c->current) c->ops->release(c->current);
    c->current = NULL;
    registry_watch_close(&c->watch);
    os_rwlock_unlock_exclusive(&c->lock);
}
