/* registry_watch.h - change detection for a catalog kept in the registry (Protocol_Catalog9,
 * NameSpace_Catalog5): a registry watch on the catalog key (or, while it does not exist, its closest
 * existing ancestor) tells cheaply that something changed, so the caller compares
 * Serial_Access_Num only then; without a watch, the serial is read at most every poll_ms.
 * Portable (registry through os.h). The watch is used through the snapshot cache below.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_REGISTRY_WATCH_H
#define OPENWS2_REGISTRY_WATCH_H

#include "os.h"

struct registry_watch
{
    const char *key;    /* the catalog key (below HKLM) */
    DWORD poll_ms;      /* without a watch: the serial is read at most this often */
    os_regwatch *watch; /* NULL: poll */
    size_t level;       /* 0: key itself is watched, 1.. an ancestor (reopened at the next arm) */
    LONG dirty;         /* the watch fired: compare the serial at the next check */
    LONG checked;       /* low 32 bits of os_ticks_ms at the last serial check (polling) */
};

#define REGISTRY_WATCH_INIT(key, poll_ms) { (key), (poll_ms), NULL, 0, 0, 0 }

/* ---- the process' current snapshot of a catalog kept in the registry ----
 * One implementation for the protocol catalog (catalog_current) and the namespace catalog
 * (ns_catalog_current): the snapshot is handed out referenced under a shared lock while the watch says
 * it is fresh; otherwise, under the exclusive lock, Serial_Access_Num is compared and the snapshot
 * reloaded when it differs. The catalog's own functions come in through snapshot_ops. */
struct snapshot_ops
{
    const char *name;                  /* for traces */
    void *(*load)(void);               /* the native view from the registry, else the embedded default;
                                          NULL only when memory ran out */
    void *(*fallback)(void);           /* the embedded default (NULL when memory ran out) */
    DWORD (*read_serial)(void);        /* the catalog's Serial_Access_Num now */
    DWORD (*serial)(const void *snap); /* the Serial_Access_Num a snapshot was read at */
    void *(*ref)(void *snap);
    void (*release)(void *snap);
};

struct snapshot_cache
{
    os_rwlock lock;
    void *current; /* referenced; NULL until first use */
    struct registry_watch watch;
    const struct snapshot_ops *ops;
};

#define SNAPSHOT_CACHE_INIT(key, poll_ms, ops) { OS_RWLOCK_INIT, NULL, REGISTRY_WATCH_INIT(key, poll_ms), (ops) }

/* The current snapshot, referenced (release with ops->release); reloaded first when the catalog's
 * serial changed. NULL only when memory ran out. */
void *snapshot_cache_get(struct snapshot_cache *c);
/* Drops the snapshot and closes the watch (the next get loads again). */
void snapshot_cache_reset(struct snapshot_cache *c);

/* A registry error (os_reg_* result) as the WSA error a catalog store returns. */
int registry_wsa_error(LONG ret);

#endif
