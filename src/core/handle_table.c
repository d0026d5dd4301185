/* handle_table.c - the handle-context table (include/handle_table.h): maps a HANDLE to a
 * caller-owned, reference-counted wah_handle_context. Portable (os.h only): built into ws2_32.dll,
 * where the Wah* handle-context exports (src/core/wah_context.c) and the socket table
 * (src/core/socket_table.c) use it, and into the native unit tests.
 *
 * Semantics (those of Windows' ws2help handle-context table, which ws2_32 exports as
 * WahCreateHandleContextTable & co; facts taken from ReactOS' ws2help documentation/source and its
 * ws2_32 callers, not its code):
 *  - create: ERROR_SUCCESS and a new empty table, ERROR_NOT_ENOUGH_MEMORY (== WSA_NOT_ENOUGH_MEMORY)
 *    when memory runs out, ERROR_INVALID_PARAMETER for a NULL out pointer.
 *  - destroy: frees the table only; contexts still in it are the caller's (never touched).
 *    ERROR_INVALID_PARAMETER for NULL.
 *  - insert: stores ctx under ctx->handle. When no context was stored for that handle it returns
 *    ctx itself; when one was, ctx REPLACES it and the replaced context is returned (the caller
 *    drops the reference the table held on it, as ws2_32 does when a layered provider re-registers
 *    a base provider's handle). NULL when memory runs out (nothing inserted).
 *  - reference: finds the context stored for a handle and increments its refcount (interlocked)
 *    while holding the lock that remove takes, so the context cannot be removed-and-freed between
 *    the lookup and the increment. NULL when there is none. The caller frees a context when its own
 *    decrement reaches zero; the table never frees, increments (except here) or decrements.
 *  - remove: removes ctx only if it is the context currently stored for ctx->handle:
 *    ERROR_SUCCESS, else ERROR_INVALID_PARAMETER (e.g. it was already removed or replaced).
 *  - enumerate: calls fn(param, ctx) for every stored context until fn returns FALSE, and returns
 *    the last result (TRUE for an empty table). As in Windows, the callback runs with the lock of
 *    the context's part of the table held exclusively, so no context it is given can be removed by
 *    another thread meanwhile; the callback may itself call insert/reference/remove/enumerate on
 *    the same table (the lock is re-entrant for the enumerating thread). Contexts inserted during
 *    the enumeration may or may not be visited; removed ones are not visited afterwards.
 *    As with Windows' per-bucket locks, a callback that locks OTHER parts of the table (operations
 *    on other handles, or a nested enumeration) while another thread enumerates can deadlock;
 *    callers that need more (ws2_32's WSACleanup) snapshot first: see socket_table_enumerate.
 *
 * Design: 64 stripes selected by a multiplicative hash of the handle value (handles are arbitrary
 * values: multiples of 4 for NT handles, but nothing is assumed), each with its own reader/writer
 * lock (shared for lookups, exclusive for changes) and its own open-addressing table (linear
 * probing, slots hold the handle and the context so lookups touch no context memory, tombstones for
 * removals). A stripe doubles when half full and shrinks when an eighth full, so probe sequences
 * stay short (O(1) expected) at any size. While a stripe is being enumerated its slots never move
 * (no rehash), so a callback may remove entries safely.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "handle_table.h"
#include <stdlib.h>

#define HT_STRIPE_BITS 6
#define HT_STRIPES (1u << HT_STRIPE_BITS)
#define HT_MIN_CAPACITY 16u

struct ht_slot
{
    HANDLE handle;
    wah_handle_context *ctx;  /* NULL: never used since the last rehash; ht_tombstone: removed */
};

struct ht_stripe
{
    os_rwlock lock;
    volatile LONG owner;      /* thread enumerating this stripe with the lock held, 0 if none */
    LONG enum_depth;          /* nested enumerations by owner (changed under the exclusive lock) */
    struct ht_slot *slots;
    size_t capacity;          /* 0 or a power of two */
    size_t live;              /* slots holding a context */
    size_t used;              /* live + tombstones */
    char pad[64];             /* keeps neighbouring stripes' hot fields off one cache line */
};

struct handle_table
{
    struct ht_stripe stripes[HT_STRIPES];
};

static wah_handle_context ht_tombstone_storage;
#define HT_TOMBSTONE (&ht_tombstone_storage)

static uint64_t ht_hash(HANDLE handle)
{
    return (uint64_t)(uintptr_t)handle * UINT64_C(0x9E3779B97F4A7C15);
}

static struct ht_stripe *ht_stripe_of(struct handle_table *table, uint64_t hash)
{
    return &table->stripes[hash >> (64 - HT_STRIPE_BITS)];
}

static size_t ht_home(uint64_t hash, size_t capacity)
{
    return (size_t)(hash >> 24) & (capacity - 1);
}

/* TRUE when the calling thread is enumerating s, i.e. already holds its lock exclusively. Only that
 * thread can see its own id in owner, so a stale read by another thread never matches. */
static BOOL ht_owned_by_me(struct ht_stripe *s)
{
    LONG owner = os_atomic_load(&s->owner);
    return owner && (DWORD)owner == os_thread_id();
}

/* Locking that is re-entrant for the enumerating thread; FALSE: nothing taken, nothing to release. */
static BOOL ht_lock_exclusive(struct ht_stripe *s)
{
    if (ht_owned_by_me(s)) return FALSE;
    os_rwlock_exclusive(&s->lock);
    return TRUE;
}

static BOOL ht_lock_shared(struct ht_stripe *s)
{
    if (ht_owned_by_me(s)) return FALSE;
    os_rwlock_shared(&s->lock);
    return TRUE;
}

static void ht_unlock_exclusive(struct ht_stripe *s, BOOL locked)
{
    if (locked) os_rwlock_unlock_exclusive(&s->lock);
}

static void ht_unlock_shared(struct ht_stripe *s, BOOL locked)
{
    if (locked) os_rwlock_unlock_shared(&s->lock);
}

/* Index of handle's live slot, or (size_t)-1. *tomb receives the first reusable slot seen (or -1),
 * *empty the never-used slot that ended the search (or -1 if the whole table was probed). */
static size_t ht_find(const struct ht_stripe *s, HANDLE handle, uint64_t hash, size_t *tomb, size_t *empty)
{
    size_t mask = s->capacity - 1, i, n;

    if (tomb) *tomb = (size_t)-1;
    if (empty) *empty = (size_t)-1;
    if (!s->capacity) return (size_t)-1;
    for (i = ht_home(hash, s->capacity), n = 0; n < s->capacity; i = (i + 1) & mask, n++)
    {
        const struct ht_slot *slot = &s->slots[i];
        if (!slot->ctx)
        {
            if (empty) *empty = i;
            return (size_t)-1;
        }
        if (slot->ctx == HT_TOMBSTONE)
        {
            if (tomb && *tomb == (size_t)-1) *tomb = i;
            continue;
        }
        if (slot->handle == handle) return i;
    }
    return (size_t)-1;
}

/* Rebuilds stripe s with new_capacity slots (0: frees them). Needs the exclusive lock and no
 * enumeration in progress. FALSE (stripe unchanged) when memory runs out. */
static BOOL ht_rehash(struct ht_stripe *s, size_t new_capacity)
{
    struct ht_slot *slots = NULL;
    size_t i;

    if (new_capacity)
    {
        slots = calloc(new_capacity, sizeof(*slots));
        if (!slots) return FALSE;
        for (i = 0; i < s->capacity; i++)
        {
            const struct ht_slot *old = &s->slots[i];
            size_t j, mask = new_capacity - 1;
            if (!old->ctx || old->ctx == HT_TOMBSTONE) continue;
            for (j = ht_home(ht_hash(old->handle), new_capacity); slots[j].ctx; j = (j + 1) & mask) {}
            slots[j] = *old;
        }
    }
    free(s->slots);
    s->slots = slots;
    s->capacity = new_capacity;
    s->used = s->live;
    return TRUE;
}

/* Capacity keeping `count` entries at most a quarter full (0 for an empty stripe). */
static size_t ht_capacity_for(size_t count)
{
    size_t cap = HT_MIN_CAPACITY;
    if (!count) return 0;
    while (cap / 4 < count && cap < ((size_t)-1 >> 2)) cap *= 2;
    return cap;
}

/* After a removal (or an enumeration): shrink a sparse stripe, purge tombstones when they dominate.
 * Failure to allocate leaves the stripe as it is, which is still correct. */
static void ht_maintain(struct ht_stripe *s)
{
    if (s->enum_depth) return;
    if (!s->live)
    {
        if (s->capacity) ht_rehash(s, 0);
        return;
    }
    if ((s->capacity > HT_MIN_CAPACITY && s->live * 8 < s->capacity)
        || (s->used - s->live) * 4 > s->capacity)
        ht_rehash(s, ht_capacity_for(s->live));
}

DWORD handle_table_create(struct handle_table **out)
{
    struct handle_table *table;
    unsigned int i;

    if (!out) return ERROR_INVALID_PARAMETER;
    *out = NULL;
    table = calloc(1, sizeof(*table));
    if (!table) return ERROR_NOT_ENOUGH_MEMORY;
    for (i = 0; i < HT_STRIPES; i++) os_rwlock_init(&table->stripes[i].lock);
    *out = table;
    return ERROR_SUCCESS;
}

DWORD handle_table_destroy(struct handle_table *table)
{
    unsigned int i;

    if (!table) return ERROR_INVALID_PARAMETER;
    for (i = 0; i < HT_STRIPES; i++)
    {
        free(table->stripes[i].slots);
        os_rwlock_destroy(&table->stripes[i].lock);
    }
    free(table);
    return ERROR_SUCCESS;
}

wah_handle_context *handle_table_insert(struct handle_table *table, wah_handle_context *ctx)
{
    wah_handle_context *result = NULL;
    struct ht_stripe *s;
    uint64_t hash;
    size_t at, tomb, empty;
    BOOL locked;

    if (!table || !ctx) return NULL;
    hash = ht_hash(ctx->handle);
    s = ht_stripe_of(table, hash);
    locked = ht_lock_exclusive(s);

    at = ht_find(s, ctx->handle, hash, &tomb, &empty);
    if (at != (size_t)-1)
    {
        result = s->slots[at].ctx;       /* replaced: the caller drops the table's reference */
        s->slots[at].ctx = ctx;
        goto done;
    }
    if (tomb == (size_t)-1)
    {
        /* A never-used slot gets consumed: keep the stripe at most half used (always at least one
         * never-used slot, which ends every probe sequence). */
        if (!s->capacity || (s->used + 1) * 2 > s->capacity)
        {
            if (!s->enum_depth && ht_rehash(s, ht_capacity_for(s->live + 1)))
                ht_find(s, ctx->handle, hash, &tomb, &empty);
            else if (!s->capacity || s->used + 2 > s->capacity)
                goto done;                 /* no memory (or enumerating and full): NULL */
        }
        if (tomb == (size_t)-1)
        {
            if (empty == (size_t)-1) goto done;   /* cannot happen: one slot is always never-used */
            at = empty;
            s->used++;
        }
        else at = tomb;
    }
    else at = tomb;
    s->slots[at].handle = ctx->handle;
    s->slots[at].ctx = ctx;
    s->live++;
    result = ctx;

done:
    ht_unlock_exclusive(s, locked);
    return result;
}

wah_handle_context *handle_table_reference(struct handle_table *table, HANDLE handle)
{
    wah_handle_context *ctx = NULL;
    struct ht_stripe *s;
    uint64_t hash;
    size_t at;
    BOOL locked;

    if (!table) return NULL;
    hash = ht_hash(handle);
    s = ht_stripe_of(table, hash);
    locked = ht_lock_shared(s);
    at = ht_find(s, handle, hash, NULL, NULL);
    if (at != (size_t)-1)
    {
        ctx = s->slots[at].ctx;
        os_atomic_inc(&ctx->refcount);   /* under the lock remove takes: ctx cannot be freed yet */
    }
    ht_unlock_shared(s, locked);
    return ctx;
}

/* Looks many handles up (select and WSAPoll over hundreds of sockets): the handles are grouped by
 * stripe (a counting sort of their indices) and each stripe's lock is taken once for all its handles
 * instead of once per handle; visit(ctx or NULL, index, arg) runs under that lock for every handle
 * (ctx valid only during the call). Returns how many were found. */
#define HT_BATCH_STACK 1024

typedef void (*ht_visit_fn)(wah_handle_context *ctx, size_t index, void *arg);

static size_t ht_visit_many(struct handle_table *table, const HANDLE *handles, size_t count, ht_visit_fn visit,
                            void *arg)
{
    uint32_t stack_order[HT_BATCH_STACK], *order = stack_order;
    size_t start[HT_STRIPES + 1], next[HT_STRIPES], i, found = 0;
    unsigned int k;

    if (count > HT_BATCH_STACK)
    {
        order = count <= UINT32_MAX ? malloc(count * sizeof(*order)) : NULL;
        if (!order)
        {
            /* No memory for the grouping: one stripe lock per handle, still correct. */
            for (i = 0; i < count; i++)
            {
                uint64_t hash = ht_hash(handles[i]);
                struct ht_stripe *s = ht_stripe_of(table, hash);
                BOOL locked = ht_lock_shared(s);
                size_t at = ht_find(s, handles[i], hash, NULL, NULL);
                wah_handle_context *ctx = at != (size_t)-1 ? s->slots[at].ctx : NULL;
                if (ctx) found++;
                visit(ctx, i, arg);
                ht_unlock_shared(s, locked);
            }
            return found;
        }
    }
    memset(start, 0, sizeof(start));
    for (i = 0; i < count; i++) start[(ht_hash(handles[i]) >> (64 - HT_STRIPE_BITS)) + 1]++;
    for (k = 0; k < HT_STRIPES; k++)
    {
        start[k + 1] += start[k];
        next[k] = start[k];
    }
    for (i = 0; i < count; i++) order[next[ht_hash(handles[i]) >> (64 - HT_STRIPE_BITS)]++] = (uint32_t)i;

    for (k = 0; k < HT_STRIPES; k++)
    {
        struct ht_stripe *s = &table->stripes[k];
        BOOL locked;

        if (start[k] == start[k + 1]) continue;
        locked = ht_lock_shared(s);
        for (i = start[k]; i < start[k + 1]; i++)
        {
            size_t idx = order[i];
            size_t at = ht_find(s, handles[idx], ht_hash(handles[idx]), NULL, NULL);
            wah_handle_context *ctx = at != (size_t)-1 ? s->slots[at].ctx : NULL;
            if (ctx) found++;
            visit(ctx, idx, arg);
        }
        ht_unlock_shared(s, locked);
    }
    if (order != stack_order) free(order);
    return found;
}

static void ht_visit_reference(wah_handle_context *ctx, size_t index, void *arg)
{
    wah_handle_context **out = arg;
    if (ctx) os_atomic_inc(&ctx->refcount);   /* under the stripe's lock, as in handle_table_reference */
    out[index] = ctx;
}

size_t handle_table_reference_many(struct handle_table *table, const HANDLE *handles, size_t count,
                                   wah_handle_context **out)
{
    size_t i;

    if (!out || !count) return 0;
    if (!table || !handles)
    {
        for (i = 0; i < count; i++) out[i] = NULL;
        return 0;
    }
    return ht_visit_many(table, handles, count, ht_visit_reference, out);
}

struct ht_inspect
{
    handle_table_inspect_fn fn;
    void *arg;
};

static void ht_visit_inspect(wah_handle_context *ctx, size_t index, void *arg)
{
    struct ht_inspect *in = arg;
    in->fn(ctx, index, in->arg);
}

size_t handle_table_inspect_many(struct handle_table *table, const HANDLE *handles, size_t count,
                                 handle_table_inspect_fn fn, void *arg)
{
    struct ht_inspect in = { fn, arg };

    if (!table || !handles || !count || !fn) return 0;
    return ht_visit_many(table, handles, count, ht_visit_inspect, &in);
}

DWORD handle_table_remove(struct handle_table *table, wah_handle_context *ctx)
{
    DWORD err = ERROR_INVALID_PARAMETER;
    struct ht_stripe *s;
    uint64_t hash;
    size_t at;
    BOOL locked;

    if (!table || !ctx) return ERROR_INVALID_PARAMETER;
    hash = ht_hash(ctx->handle);
    s = ht_stripe_of(table, hash);
    locked = ht_lock_exclusive(s);
    at = ht_find(s, ctx->handle, hash, NULL, NULL);
    if (at != (size_t)-1 && s->slots[at].ctx == ctx)
    {
        size_t next = (at + 1) & (s->capacity - 1);
        /* A slot followed by a never-used one ends no probe sequence: it can be never-used too. */
        if (!s->slots[next].ctx)
        {
            s->slots[at].ctx = NULL;
            s->used--;
        }
        else s->slots[at].ctx = HT_TOMBSTONE;
        s->slots[at].handle = NULL;
        s->live--;
        ht_maintain(s);
        err = ERROR_SUCCESS;
    }
    ht_unlock_exclusive(s, locked);
    return err;
}

BOOL handle_table_enumerate(struct handle_table *table, handle_table_enum_fn fn, LPVOID param)
{
    BOOL go_on = TRUE;
    unsigned int i;

    if (!table || !fn) return FALSE;
    for (i = 0; i < HT_STRIPES && go_on; i++)
    {
        struct ht_stripe *s = &table->stripes[i];
        BOOL locked = ht_lock_exclusive(s);
        size_t j;

        if (locked) os_atomic_store(&s->owner, (LONG)os_thread_id());
        s->enum_depth++;
        /* Slots do not move while enum_depth is nonzero; capacity and slots stay valid. */
        for (j = 0; j < s->capacity && go_on; j++)
        {
            wah_handle_context *ctx = s->slots[j].ctx;
            if (!ctx || ctx == HT_TOMBSTONE) continue;
            go_on = fn(param, ctx);
        }
        s->enum_depth--;
        if (locked)
        {
            os_atomic_store(&s->owner, 0);
            ht_maintain(s);
        }
        ht_unlock_exclusive(s, locked);
    }
    return go_on;
}

void handle_table_stats(struct handle_table *table, struct handle_table_stats *stats)
{
    unsigned int i;

    if (!stats) return;
    memset(stats, 0, sizeof(*stats));
    if (!table) return;
    for (i = 0; i < HT_STRIPES; i++)
    {
        struct ht_stripe *s = &table->stripes[i];
        BOOL locked = ht_lock_shared(s);
        size_t j;

        stats->count += s->live;
        stats->capacity += s->capacity;
        stats->tombstones += s->used - s->live;
        if (s->capacity > stats->max_stripe_capacity) stats->max_stripe_capacity = s->capacity;
        for (j = 0; j < s->capacity; j++)
        {
            const struct ht_slot *slot = &s->slots[j];
            size_t probes;
            if (!slot->ctx || slot->ctx == HT_TOMBSTONE) continue;
            probes = ((j - ht_home(ht_hash(slot->handle), s->capacity)) & (s->capacity - 1)) + 1;
            stats->total_probes += probes;
            if (probes > stats->max_probes) stats->max_probes = probes;
        }
        ht_unlock_shared(s, locked);
    }
}
