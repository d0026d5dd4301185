/* alloc_fail.h - force-included (-include) into the module sources of the allocation-failure tests:
 * routes malloc/calloc/realloc/free/strdup through the counting allocator of alloc_fail.c.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_ALLOC_FAIL_H
#define OPENWS2_ALLOC_FAIL_H

/* first: Wine's headers use malloc(...) as an attribute name, which the macros below must not see */
#include "os.h"
#include <stdlib.h>
#include <string.h>

void *af_malloc(size_t size);
void *af_calloc(size_t count, size_t size);
void *af_realloc(void *ptr, size_t size);
void af_free(void *ptr);
char *af_strdup(const char *s);

/* Function-like macros: a later glibc prototype of malloc(...) becomes one of af_malloc (same type). */
#define malloc(n) af_malloc(n)
#define calloc(n, s) af_calloc(n, s)
#define realloc(p, n) af_realloc(p, n)
#define free(p) af_free(p)
#define strdup(s) af_strdup(s)

/* ---- the test driver's controls ---- */
/* Arms the allocator: the k-th allocation from now on (1-based) fails, and every later one
 * succeeds (k = 0: none fails). Resets the counters of this run. */
void af_arm(unsigned long k);
/* Stops failing; returns whether a failure was injected since af_arm. */
int af_disarm(void);
/* Whether the armed failure has happened yet (without disarming). */
int af_failed(void);
/* Allocations made (attempted) since af_arm. */
unsigned long af_calls(void);
/* Blocks allocated through the wrappers and not yet freed through them. */
unsigned long af_live(void);

#endif
