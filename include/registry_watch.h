/* registry_watch.h - change detection for a catalog kept in the registry (Protocol_Catalog9,
 * NameSpace_Catalog5): a registry watch on the catalog key (or, while it does not exist, its closest
 * existing ancestor) tells cheaply that something changed, so the caller compares
 * Serial_Access_Num only then; without a watch, the serial is read at most every poll_ms.
 * Portable (registry through os.h). The caller serialises the calls with its own snapshot lock:
 * registry_watch_fresh under the lock held either way, the others with it held exclusively.
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

/* Before reading the catalog: (re)opens the watch on key, or on its closest existing ancestor, so a
 * change made while the caller reads is not missed. */
void registry_watch_arm(struct registry_watch *w);
/* TRUE when a snapshot read earlier is known to be up to date without reading the registry (no
 * change signalled, or inside the polling interval). Marks the watch dirty when it fired. */
BOOL registry_watch_fresh(struct registry_watch *w);
/* The caller is about to compare the serial: forget the dirty mark. */
void registry_watch_begin_check(struct registry_watch *w);
/* The serial was compared (or the snapshot reloaded) now. */
void registry_watch_checked(struct registry_watch *w);
/* Closes the watch (the next arm opens it again). */
void registry_watch_close(struct registry_watch *w);

/* A registry error (os_reg_* result) as the WSA error a catalog store returns. */
int registry_wsa_error(LONG ret);

#endif
