/* fake_registry.h - test controls of the in-memory HKEY_LOCAL_MACHINE (fake_registry.c) that
 * implements os.h's registry, watches and catalog lock in the host unit tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_FAKE_REGISTRY_H
#define OPENWS2_FAKE_REGISTRY_H

#include "os.h"

/* Empties the registry (keys still open become "deleted"). */
void fake_registry_reset(void);
/* Number of os_catalog_lock calls not yet unlocked, by any thread. */
int fake_registry_lock_depth(void);
/* Makes the next n os_reg_set calls fail with err (0: no failure injection). */
void fake_registry_fail_sets(int n, LONG err);

#endif
