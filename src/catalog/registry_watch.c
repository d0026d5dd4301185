/* registry_watch.c - change detection for the catalogs kept in the registry (include/registry_watch.h):
 * the registry watch on the catalog key or its closest existing ancestor, the polling fallback, and
 * the registry-to-WSA error mapping of catalog stores. Shared by the protocol catalog (catalog.c) and
 * the namespace catalog (ns_catalog_current.c, ns_catalog_registry.c). Portable.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "registry_watch.h"
#include "catalog.h"

/* What is watched while the catalog key itself does not exist, nearest first. */
static const char *const ancestors[] =
{
    WINSOCK2_PARAMETERS_KEY, "System\\CurrentControlSet\\Services\\WinSock2", "System\\CurrentControlSet\\Services",
};

static const char *level_key(const struct registry_watch *w, size_t level)
{
    return level ? ancestors[level - 1] : w->key;
}

void registry_watch_arm(struct registry_watch *w)
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

BOOL registry_watch_fresh(struct registry_watch *w)
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

void registry_watch_begin_check(struct registry_watch *w)
{
    os_atomic_store(&w->dirty, 0);
}

void registry_watch_checked(struct registry_watch *w)
{
    os_atomic_store(&w->checked, (LONG)(DWORD)os_ticks_ms());
}

void registry_watch_close(struct registry_watch *w)
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
