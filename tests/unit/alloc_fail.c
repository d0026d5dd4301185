/* alloc_fail.c - the counting allocator of the allocation-failure tests: counts attempts, fails the
 * k-th one when armed, and keeps the set of live blocks so a test can check nothing leaked.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *af_malloc(size_t size);
void *af_calloc(size_t count, size_t size);
void *af_realloc(void *ptr, size_t size);
void af_free(void *ptr);
char *af_strdup(const char *s);
void af_arm(unsigned long k);
int af_disarm(void);
unsigned long af_calls(void);
unsigned long af_live(void);

#define AF_SLOTS (1u << 16) /* open addressing; the scenarios hold far fewer blocks */
#define AF_TOMB ((void *)1)

static pthread_mutex_t af_lock = PTHREAD_MUTEX_INITIALIZER;
static void *af_set[AF_SLOTS];
static unsigned long af_count_live, af_count_calls, af_fail_at;
static int af_injected;

static size_t af_hash(const void *p)
{
    uintptr_t v = (uintptr_t)p;
    v ^= v >> 17;
    v *= 0x9E3779B1u;
    return (size_t)(v ^ (v >> 13)) & (AF_SLOTS - 1);
}

static void af_track(void *p)
{
    size_t i = af_hash(p), n;
    for (n = 0; n < AF_SLOTS; n++, i = (i + 1) & (AF_SLOTS - 1))
        if (!af_set[i] || af_set[i] == AF_TOMB)
        {
            af_set[i] = p;
            af_count_live++;
            return;
        }
    abort(); /* more live blocks than a scenario should ever hold */
}

static void af_untrack(void *p)
{
    size_t i = af_hash(p), n;
    for (n = 0; n < AF_SLOTS && af_set[i]; n++, i = (i + 1) & (AF_SLOTS - 1))
        if (af_set[i] == p)
        {
            af_set[i] = AF_TOMB;
            af_count_live--;
            return;
        }
    /* not ours (allocated outside the wrapped sources): nothing to count */
}

/* Under af_lock: counts an attempt and says whether it must fail. */
static int af_should_fail(void)
{
    af_count_calls++;
    if (af_fail_at && af_count_calls == af_fail_at)
    {
        af_injected = 1;
        return 1;
    }
    return 0;
}

void *af_malloc(size_t size)
{
    void *p = NULL;
    pthread_mutex_lock(&af_lock);
    if (!af_should_fail() && (p = malloc(size ? size : 1))) af_track(p);
    pthread_mutex_unlock(&af_lock);
    return p;
}

void *af_calloc(size_t count, size_t size)
{
    void *p = NULL;
    pthread_mutex_lock(&af_lock);
    if (!af_should_fail() && (p = calloc(count ? count : 1, size ? size : 1))) af_track(p);
    pthread_mutex_unlock(&af_lock);
    return p;
}

void *af_realloc(void *ptr, size_t size)
{
    void *p = NULL;
    pthread_mutex_lock(&af_lock);
    if (!af_should_fail())
    {
        if (ptr) af_untrack(ptr);
        if ((p = realloc(ptr, size ? size : 1))) af_track(p);
        else if (ptr) af_track(ptr); /* the old block stays valid */
    }
    pthread_mutex_unlock(&af_lock);
    return p;
}

void af_free(void *ptr)
{
    if (!ptr) return;
    pthread_mutex_lock(&af_lock);
    af_untrack(ptr);
    pthread_mutex_unlock(&af_lock);
    free(ptr);
}

char *af_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = af_malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

void af_arm(unsigned long k)
{
    pthread_mutex_lock(&af_lock);
    af_count_calls = 0;
    af_fail_at = k;
    af_injected = 0;
    pthread_mutex_unlock(&af_lock);
}

int af_disarm(void)
{
    int injected;
    pthread_mutex_lock(&af_lock);
    af_fail_at = 0;
    injected = af_injected;
    pthread_mutex_unlock(&af_lock);
    return injected;
}

unsigned long af_calls(void)
{
    unsigned long n;
    pthread_mutex_lock(&af_lock);
    n = af_count_calls;
    pthread_mutex_unlock(&af_lock);
    return n;
}

unsigned long af_live(void)
{
    unsigned long n;
    pthread_mutex_lock(&af_lock);
    n = af_count_live;
    pthread_mutex_unlock(&af_lock);
    return n;
}

int af_failed(void)
{
    int injected;
    pthread_mutex_lock(&af_lock);
    injected = af_injected;
    pthread_mutex_unlock(&af_lock);
    return injected;
}
