/* handle_table_test.c - CMocka tests of the handle-context table (src/core/handle_table.c): Windows'
 * Wah* semantics (insert/replace/reference/remove/enumerate, error codes), refcounts, 100,000
 * handles with bounded probe lengths, re-entrant enumeration, and 8+ threads racing inserts,
 * lookups, removals and frees with a per-context "freed" canary.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "handle_table.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <sched.h>
#include <cmocka.h>

/* Allocation failure injection (the test is linked with -Wl,--wrap=calloc): calloc_budget < 0
 * never fails, otherwise that many more callocs succeed and the next ones fail. */
void *__real_calloc(size_t n, size_t size);
void *__wrap_calloc(size_t n, size_t size);
static volatile long calloc_budget = -1;
void *__wrap_calloc(size_t n, size_t size)
{
    if (calloc_budget == 0) return NULL;
    if (calloc_budget > 0) calloc_budget--;
    return __real_calloc(n, size);
}

#define ALIVE 0xA11FEu
#define DEAD 0xDEADu

struct test_ctx
{
    wah_handle_context hdr;      /* first, as Windows' WAH_HANDLE_CONTEXT users do */
    volatile LONG magic;         /* ALIVE, DEAD once "freed" */
    struct test_ctx *grave_next; /* "freed" contexts are kept until the end to catch late uses */
};

static struct test_ctx *new_ctx(uintptr_t handle)
{
    struct test_ctx *c = calloc(1, sizeof(*c));
    assert_non_null(c);
    c->hdr.handle = (HANDLE)handle;
    c->hdr.refcount = 1;
    c->magic = ALIVE;
    return c;
}

static struct handle_table *new_table(void)
{
    struct handle_table *t = NULL;
    assert_int_equal(handle_table_create(&t), ERROR_SUCCESS);
    assert_non_null(t);
    return t;
}

static void test_layout(void **state)
{
    (void)state;
    /* Windows' WAH_HANDLE_CONTEXT: LIST_ENTRY Entry; LONG RefCount; HANDLE Handle. */
    assert_int_equal(offsetof(wah_handle_context, entry), 0);
    assert_int_equal(offsetof(wah_handle_context, refcount), sizeof(LIST_ENTRY));
    assert_true(offsetof(wah_handle_context, handle) >= sizeof(LIST_ENTRY) + sizeof(LONG));
    assert_int_equal(offsetof(wah_handle_context, handle) % sizeof(void *), 0);
}

static void test_bad_arguments(void **state)
{
    struct handle_table *t = new_table();
    struct test_ctx *c = new_ctx(4);
    (void)state;

    assert_int_equal(handle_table_create(NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(handle_table_destroy(NULL), ERROR_INVALID_PARAMETER);
    assert_null(handle_table_insert(NULL, &c->hdr));
    assert_null(handle_table_insert(t, NULL));
    assert_null(handle_table_reference(NULL, (HANDLE)4));
    assert_int_equal(handle_table_remove(NULL, &c->hdr), ERROR_INVALID_PARAMETER);
    assert_int_equal(handle_table_remove(t, NULL), ERROR_INVALID_PARAMETER);
    assert_false(handle_table_enumerate(NULL, NULL, NULL));
    assert_false(handle_table_enumerate(t, NULL, NULL));
    /* Nothing was inserted by the failed calls. */
    assert_null(handle_table_reference(t, (HANDLE)4));
    assert_int_equal(c->hdr.refcount, 1);
    assert_int_equal(handle_table_destroy(t), ERROR_SUCCESS);
    free(c);
}

static void test_insert_reference_remove(void **state)
{
    struct handle_table *t = new_table();
    struct test_ctx *a = new_ctx(0x40), *b = new_ctx(0x44);
    (void)state;

    assert_null(handle_table_reference(t, (HANDLE)0x40));
    assert_ptr_equal(handle_table_insert(t, &a->hdr), &a->hdr);
    assert_ptr_equal(handle_table_insert(t, &b->hdr), &b->hdr);
    assert_int_equal(a->hdr.refcount, 1);   /* insert takes no reference */

    assert_ptr_equal(handle_table_reference(t, (HANDLE)0x40), &a->hdr);
    assert_int_equal(a->hdr.refcount, 2);
    assert_ptr_equal(handle_table_reference(t, (HANDLE)0x40), &a->hdr);
    assert_int_equal(a->hdr.refcount, 3);
    assert_ptr_equal(handle_table_reference(t, (HANDLE)0x44), &b->hdr);
    assert_int_equal(b->hdr.refcount, 2);
    assert_int_equal(a->hdr.refcount, 3);
    assert_null(handle_table_reference(t, (HANDLE)0x48));
    assert_null(handle_table_reference(t, (HANDLE)0x41));

    assert_int_equal(handle_table_remove(t, &a->hdr), ERROR_SUCCESS);
    assert_int_equal(a->hdr.refcount, 3);   /* remove drops no reference either */
    assert_null(handle_table_reference(t, (HANDLE)0x40));
    assert_int_equal(handle_table_remove(t, &a->hdr), ERROR_INVALID_PARAMETER);
    assert_ptr_equal(handle_table_reference(t, (HANDLE)0x44), &b->hdr);

    /* A context that was never inserted, with the handle of a stored one, is not removed. */
    {
        struct test_ctx *other = new_ctx(0x44);
        assert_int_equal(handle_table_remove(t, &other->hdr), ERROR_INVALID_PARAMETER);
        assert_ptr_equal(handle_table_reference(t, (HANDLE)0x44), &b->hdr);
        free(other);
    }
    assert_int_equal(handle_table_remove(t, &b->hdr), ERROR_SUCCESS);
    assert_int_equal(handle_table_destroy(t), ERROR_SUCCESS);
    free(a);
    free(b);
}

/* handle_table_reference_many: the same answers and references as one handle_table_reference per
 * handle, in input order, for small (stack) and large (heap) batches, duplicates, absent handles and
 * removed ones; and the argument checks. */
static void reference_many(size_t n)
{
    struct handle_table *t = new_table();
    struct test_ctx **ctx = calloc(n, sizeof(*ctx));
    HANDLE *handles = calloc(2 * n + 2, sizeof(*handles));
    wah_handle_context **out = calloc(2 * n + 2, sizeof(*out));
    size_t i, m = 0, found, expect = 0;

    assert_non_null(ctx);
    assert_non_null(handles);
    assert_non_null(out);
    for (i = 0; i < n; i++)
    {
        ctx[i] = new_ctx(0x1000 + 4 * i);
        assert_ptr_equal(handle_table_insert(t, &ctx[i]->hdr), &ctx[i]->hdr);
    }
    for (i = 0; i < n; i += 3) assert_int_equal(handle_table_remove(t, &ctx[i]->hdr), ERROR_SUCCESS);
    /* Reverse order, each handle twice apart, plus two never-inserted handles. */
    for (i = n; i-- > 0;) handles[m++] = (HANDLE)(uintptr_t)(0x1000 + 4 * i);
    handles[m++] = (HANDLE)(uintptr_t)0x3;
    for (i = 0; i < n; i++) handles[m++] = (HANDLE)(uintptr_t)(0x1000 + 4 * i);
    handles[m++] = (HANDLE)(uintptr_t)(0x1000 + 4 * n);
    for (i = 0; i < m; i++) out[i] = (wah_handle_context *)(uintptr_t)1;  /* must all be overwritten */
    found = handle_table_reference_many(t, handles, m, out);
    for (i = 0; i < m; i++)
    {
        uintptr_t h = (uintptr_t)handles[i];
        size_t k = (h - 0x1000) / 4;
        if (h < 0x1000 || k >= n || k % 3 == 0) assert_null(out[i]);
        else
        {
            assert_ptr_equal(out[i], &ctx[k]->hdr);
            expect++;
        }
    }
    assert_int_equal(found, expect);
    for (i = 0; i < n; i++)
        assert_int_equal(ctx[i]->hdr.refcount, i % 3 == 0 ? 1 : 3);   /* looked up twice */
    for (i = 0; i < n; i++)
        if (i % 3) assert_int_equal(handle_table_remove(t, &ctx[i]->hdr), ERROR_SUCCESS);
    for (i = 0; i < n; i++) free(ctx[i]);
    assert_int_equal(handle_table_destroy(t), ERROR_SUCCESS);
    free(ctx);
    free(handles);
    free(out);
}

static void test_reference_many(void **state)
{
    struct handle_table *t = new_table();
    HANDLE h = (HANDLE)4;
    wah_handle_context *out = (wah_handle_context *)(uintptr_t)1;
    (void)state;

    assert_int_equal(handle_table_reference_many(t, &h, 1, NULL), 0);
    assert_int_equal(handle_table_reference_many(t, &h, 0, &out), 0);
    assert_int_equal(handle_table_reference_many(NULL, &h, 1, &out), 0);
    assert_null(out);
    out = (wah_handle_context *)(uintptr_t)1;
    assert_int_equal(handle_table_reference_many(t, NULL, 1, &out), 0);
    assert_null(out);
    assert_int_equal(handle_table_destroy(t), ERROR_SUCCESS);
    reference_many(1);
    reference_many(50);       /* the stack path */
    reference_many(3000);     /* the heap path */
}

/* handle_table_inspect_many: every handle visited once with its context (NULL when absent), the
 * contexts' reference counts untouched, for the stack and the heap grouping; the argument checks. */
struct inspect_seen
{
    wah_handle_context **ctx;
    unsigned char *visits;
};

static void inspect_record(wah_handle_context *ctx, size_t index, void *arg)
{
    struct inspect_seen *seen = arg;
    seen->ctx[index] = ctx;
    seen->visits[index]++;
}

static void inspect_many(size_t n)
{
    struct handle_table *t = new_table();
    struct test_ctx **ctx = calloc(n, sizeof(*ctx));
    HANDLE *handles = calloc(n + 1, sizeof(*handles));
    struct inspect_seen seen = { calloc(n + 1, sizeof(*seen.ctx)), calloc(n + 1, 1) };
    size_t i, found, expect = 0;

    assert_non_null(ctx);
    assert_non_null(handles);
    assert_non_null(seen.ctx);
    assert_non_null(seen.visits);
    for (i = 0; i < n; i++)
    {
        ctx[i] = new_ctx(0x2000 + 4 * i);
        assert_ptr_equal(handle_table_insert(t, &ctx[i]->hdr), &ctx[i]->hdr);
    }
    for (i = 0; i < n; i += 4) assert_int_equal(handle_table_remove(t, &ctx[i]->hdr), ERROR_SUCCESS);
    for (i = 0; i < n; i++) handles[i] = (HANDLE)(uintptr_t)(0x2000 + 4 * (n - 1 - i));
    handles[n] = (HANDLE)(uintptr_t)0x7;
    for (i = 0; i <= n; i++) seen.ctx[i] = (wah_handle_context *)(uintptr_t)1;
    found = handle_table_inspect_many(t, handles, n + 1, inspect_record, &seen);
    for (i = 0; i <= n; i++)
    {
        size_t k = n - 1 - i;
        assert_int_equal(seen.visits[i], 1);
        if (i == n || k % 4 == 0) assert_null(seen.ctx[i]);
        else
        {
            assert_ptr_equal(seen.ctx[i], &ctx[k]->hdr);
            expect++;
        }
    }
    assert_int_equal(found, expect);
    for (i = 0; i < n; i++) assert_int_equal(ctx[i]->hdr.refcount, 1);   /* no reference taken */
    for (i = 0; i < n; i++)
        if (i % 4) assert_int_equal(handle_table_remove(t, &ctx[i]->hdr), ERROR_SUCCESS);
    for (i = 0; i < n; i++) free(ctx[i]);
    assert_int_equal(handle_table_destroy(t), ERROR_SUCCESS);
    free(ctx);
    free(handles);
    free(seen.ctx);
    free(seen.visits);
}

static void test_inspect_many(void **state)
{
    struct handle_table *t = new_table();
    HANDLE h = (HANDLE)4;
    (void)state;

    assert_int_equal(handle_table_inspect_many(t, &h, 1, NULL, NULL), 0);
    assert_int_equal(handle_table_inspect_many(t, &h, 0, inspect_record, NULL), 0);
    assert_int_equal(handle_table_inspect_many(NULL, &h, 1, inspect_record, NULL), 0);
    assert_int_equal(handle_table_inspect_many(t, NULL, 1, inspect_record, NULL), 0);
    assert_int_equal(handle_table_destroy(t), ERROR_SUCCESS);
    inspect_many(1);
    inspect_many(1000);       /* the stack grouping */
    inspect_many(3000);       /* the heap grouping */
}

static void test_replace(void **state)
{
    struct handle_table *t = new_table();
    struct test_ctx *lower = new_ctx(0x100), *upper = new_ctx(0x100);
    (void)state;

    assert_ptr_equal(handle_table_insert(t, &lower->hdr), &lower->hdr);
    /* A second context for the same handle replaces the first, which is returned. */
    assert_ptr_equal(handle_table_insert(t, &upper->hdr), &lower->hdr);
    assert_ptr_equal(handle_table_reference(t, (HANDLE)0x100), &upper->hdr);
    /* The replaced context is no longer the current one: removing it fails and changes nothing. */
    assert_int_equal(handle_table_remove(t, &lower->hdr), ERROR_INVALID_PARAMETER);
    assert_ptr_equal(handle_table_reference(t, (HANDLE)0x100), &upper->hdr);
    /* Inserting the current context again returns itself. */
    assert_ptr_equal(handle_table_insert(t, &upper->hdr), &upper->hdr);
    assert_int_equal(handle_table_remove(t, &upper->hdr), ERROR_SUCCESS);
    assert_null(handle_table_reference(t, (HANDLE)0x100));
    /* The lower one can be inserted again afterwards. */
    assert_ptr_equal(handle_table_insert(t, &lower->hdr), &lower->hdr);
    assert_ptr_equal(handle_table_reference(t, (HANDLE)0x100), &lower->hdr);
    assert_int_equal(handle_table_remove(t, &lower->hdr), ERROR_SUCCESS);
    assert_int_equal(handle_table_destroy(t), ERROR_SUCCESS);
    free(lower);
    free(upper);
}

static void test_unusual_handle_values(void **state)
{
    static const uintptr_t values[] = { 0, 1, 2, 3, 5, (uintptr_t)-1, (uintptr_t)-2, (uintptr_t)-4,
                                        0x7ffffffc, 0x80000000u, (uintptr_t)1 << (sizeof(void *) * 8 - 1),
                                        0x12345678, 0xfffffffcu };
    struct handle_table *t = new_table();
    struct test_ctx *c[OPENWS2_ARRAY_SIZE(values)];
    size_t i;
    (void)state;

    for (i = 0; i < OPENWS2_ARRAY_SIZE(values); i++)
    {
        c[i] = new_ctx(values[i]);
        assert_ptr_equal(handle_table_insert(t, &c[i]->hdr), &c[i]->hdr);
    }
    for (i = 0; i < OPENWS2_ARRAY_SIZE(values); i++)
        assert_ptr_equal(handle_table_reference(t, (HANDLE)values[i]), &c[i]->hdr);
    for (i = 0; i < OPENWS2_ARRAY_SIZE(values); i++)
    {
        assert_int_equal(handle_table_remove(t, &c[i]->hdr), ERROR_SUCCESS);
        assert_null(handle_table_reference(t, (HANDLE)values[i]));
        free(c[i]);
    }
    assert_int_equal(handle_table_destroy(t), ERROR_SUCCESS);
}

static void test_out_of_memory(void **state)
{
    enum { BEFORE = 512, DURING = 3000 };
    struct handle_table *t = (struct handle_table *)1;
    struct test_ctx *first = new_ctx(4), *c[BEFORE + DURING];
    struct handle_table_stats stats;
    size_t i, ok = 0, failed = 0;
    (void)state;

    calloc_budget = 0;
    assert_int_equal(handle_table_create(&t), ERROR_NOT_ENOUGH_MEMORY);
    assert_null(t);
    calloc_budget = -1;
    t = new_table();

    /* An empty stripe cannot get slots: the insert fails and leaves nothing behind. */
    calloc_budget = 0;
    assert_null(handle_table_insert(t, &first->hdr));
    calloc_budget = -1;
    assert_null(handle_table_reference(t, (HANDLE)4));
    handle_table_stats(t, &stats);
    assert_int_equal(stats.count, 0);

    for (i = 0; i < BEFORE + DURING; i++) c[i] = new_ctx(8 + 4 * i);
    for (i = 0; i < BEFORE; i++) assert_ptr_equal(handle_table_insert(t, &c[i]->hdr), &c[i]->hdr);
    /* Growth impossible: stripes with room still accept entries, the others refuse them. */
    calloc_budget = 0;
    for (i = BEFORE; i < BEFORE + DURING; i++)
    {
        wah_handle_context *r = handle_table_insert(t, &c[i]->hdr);
        if (r) { assert_ptr_equal(r, &c[i]->hdr); ok++; }
        else failed++;
    }
    calloc_budget = -1;
    assert_true(ok > 0);
    assert_true(failed > 0);
    handle_table_stats(t, &stats);
    assert_int_equal(stats.count, BEFORE + ok);
    /* Replacing an existing entry needs no memory. */
    {
        struct test_ctx *again = new_ctx(8);
        calloc_budget = 0;
        assert_ptr_equal(handle_table_insert(t, &again->hdr), &c[0]->hdr);
        assert_ptr_equal(handle_table_insert(t, &c[0]->hdr), &again->hdr);
        calloc_budget = -1;
        free(again);
    }
    for (i = 0; i < BEFORE + DURING; i++)
    {
        wah_handle_context *r = handle_table_reference(t, (HANDLE)(8 + 4 * i));
        if (r)
        {
            assert_ptr_equal(r, &c[i]->hdr);
            r->refcount--;
            assert_int_equal(handle_table_remove(t, r), ERROR_SUCCESS);
        }
    }
    handle_table_stats(t, &stats);
    assert_int_equal(stats.count, 0);
    print_message("  without memory: %zu inserts accepted into existing room, %zu refused\n", ok, failed);
    assert_int_equal(handle_table_destroy(t), ERROR_SUCCESS);
    for (i = 0; i < BEFORE + DURING; i++) free(c[i]);
    free(first);
}

/* ---- enumeration ---- */

struct enum_state
{
    struct handle_table *table;
    size_t seen, stop_after;
    unsigned char *hits;      /* indexed by handle / 4 */
    size_t nhits;
    int mode;                 /* 0 count, 1 remove each, 2 remove others, 3 insert + reference */
    struct test_ctx **all;
    size_t nall;
};

static BOOL CALLBACK enum_cb(LPVOID param, wah_handle_context *ctx)
{
    struct enum_state *st = param;
    struct test_ctx *c = (struct test_ctx *)ctx;
    size_t idx = (uintptr_t)ctx->handle / 4;

    assert_int_equal(c->magic, ALIVE);
    assert_true(idx < st->nhits);
    st->hits[idx]++;
    st->seen++;
    switch (st->mode)
    {
    case 1:
        /* Re-entrant: the callback removes the context it was given. */
        assert_int_equal(handle_table_remove(st->table, ctx), ERROR_SUCCESS);
        assert_null(handle_table_reference(st->table, ctx->handle));
        break;
    case 2:
    {
        /* Removes every context with a handle above this one: they must not be visited later. */
        size_t i;
        wah_handle_context *r = handle_table_reference(st->table, ctx->handle);
        assert_ptr_equal(r, ctx);     /* a visited context is still in the table */
        os_atomic_dec(&ctx->refcount);
        for (i = idx + 1; i < st->nall; i++)
            if (st->all[i]) handle_table_remove(st->table, &st->all[i]->hdr);
        break;
    }
    case 3:
    {
        wah_handle_context *r = handle_table_reference(st->table, ctx->handle);
        assert_ptr_equal(r, ctx);
        os_atomic_dec(&ctx->refcount);
        break;
    }
    }
    return st->seen != st->stop_after;
}

static void fill(struct handle_table *t, struct test_ctx **all, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
    {
        all[i] = new_ctx(i * 4);
        assert_ptr_equal(handle_table_insert(t, &all[i]->hdr), &all[i]->hdr);
    }
}

static void test_enumerate(void **state)
{
    enum { N = 500 };
    struct handle_table *t = new_table();
    struct test_ctx *all[N];
    unsigned char hits[N];
    struct enum_state st;
    struct handle_table_stats stats;
    size_t i;
    (void)state;

    memset(&st, 0, sizeof(st));
    st.table = t;
    st.hits = hits;
    st.nhits = N;
    st.stop_after = (size_t)-1;
    memset(hits, 0, sizeof(hits));
    assert_true(handle_table_enumerate(t, enum_cb, &st));   /* empty: TRUE, no call */
    assert_int_equal(st.seen, 0);

    fill(t, all, N);
    assert_true(handle_table_enumerate(t, enum_cb, &st));
    assert_int_equal(st.seen, N);
    for (i = 0; i < N; i++) assert_int_equal(hits[i], 1);

    /* Stops at the first FALSE and returns it. */
    st.seen = 0;
    st.stop_after = 7;
    assert_false(handle_table_enumerate(t, enum_cb, &st));
    assert_int_equal(st.seen, 7);

    /* The callback references the context it is given (same stripe, lock held by this thread). */
    st.seen = 0;
    st.stop_after = (size_t)-1;
    st.mode = 3;
    assert_true(handle_table_enumerate(t, enum_cb, &st));
    assert_int_equal(st.seen, N);
    for (i = 0; i < N; i++) assert_int_equal(all[i]->hdr.refcount, 1);

    /* The callback removes others: removed contexts are not visited afterwards. */
    memset(hits, 0, sizeof(hits));
    st.seen = 0;
    st.mode = 2;
    st.all = all;
    st.nall = N;
    assert_true(handle_table_enumerate(t, enum_cb, &st));
    for (i = 0; i < N; i++) assert_true(hits[i] <= 1);
    /* Handle 0 is never removed, so it is visited, and it removes all the others. */
    assert_int_equal(hits[0], 1);
    assert_true(st.seen >= 1);
    handle_table_stats(t, &stats);
    assert_int_equal(stats.count, 1);
    assert_ptr_equal(handle_table_reference(t, (HANDLE)0), &all[0]->hdr);
    os_atomic_dec(&all[0]->hdr.refcount);
    for (i = 0; i < N; i++)
    {
        if (handle_table_reference(t, (HANDLE)(i * 4)))
        {
            os_atomic_dec(&all[i]->hdr.refcount);
            assert_int_equal(handle_table_remove(t, &all[i]->hdr), ERROR_SUCCESS);
        }
    }

    /* The callback removes the context it is given: all are visited once and the table ends empty. */
    for (i = 0; i < N; i++) assert_ptr_equal(handle_table_insert(t, &all[i]->hdr), &all[i]->hdr);
    memset(hits, 0, sizeof(hits));
    st.seen = 0;
    st.mode = 1;
    assert_true(handle_table_enumerate(t, enum_cb, &st));
    assert_int_equal(st.seen, N);
    for (i = 0; i < N; i++) assert_int_equal(hits[i], 1);
    handle_table_stats(t, &stats);
    assert_int_equal(stats.count, 0);
    assert_int_equal(stats.capacity, 0);       /* emptied stripes give their memory back */

    assert_int_equal(handle_table_destroy(t), ERROR_SUCCESS);
    for (i = 0; i < N; i++) free(all[i]);
}

static void test_destroy_with_entries(void **state)
{
    struct handle_table *t = new_table();
    struct test_ctx *c = new_ctx(8);
    (void)state;

    assert_ptr_equal(handle_table_insert(t, &c->hdr), &c->hdr);
    assert_int_equal(handle_table_destroy(t), ERROR_SUCCESS);
    /* The context is the caller's: untouched. */
    assert_int_equal(c->magic, ALIVE);
    assert_int_equal(c->hdr.refcount, 1);
    assert_ptr_equal(c->hdr.handle, (HANDLE)8);
    free(c);
}

/* ---- 100,000 handles ---- */

static void check_scaling(struct handle_table *t, size_t n)
{
    struct handle_table_stats stats;
    handle_table_stats(t, &stats);
    assert_int_equal(stats.count, n);
    /* Load stays between 1/8 and 1/2 (plus the minimum stripe size): memory O(n). */
    assert_true(stats.capacity <= 8 * n + 64 * 16);
    /* O(1) lookups: short probe sequences whatever the size. */
    assert_true(stats.total_probes <= 2 * n);
    assert_true(stats.max_probes <= 40);
    print_message("  %zu handles: capacity %zu, max probes %zu, average %.3f\n", n, stats.capacity,
                  stats.max_probes, n ? (double)stats.total_probes / (double)n : 0.0);
}

static void many_handles(uintptr_t (*handle_of)(size_t), size_t n)
{
    struct handle_table *t = new_table();
    struct test_ctx **all = calloc(n, sizeof(*all));
    struct handle_table_stats stats;
    size_t i;

    assert_non_null(all);
    for (i = 0; i < n; i++)
    {
        all[i] = new_ctx(handle_of(i));
        assert_ptr_equal(handle_table_insert(t, &all[i]->hdr), &all[i]->hdr);
        if (i == 999 || i == 9999) check_scaling(t, i + 1);
    }
    check_scaling(t, n);
    for (i = 0; i < n; i++)
    {
        wah_handle_context *r = handle_table_reference(t, (HANDLE)handle_of(i));
        assert_ptr_equal(r, &all[i]->hdr);
        assert_int_equal(r->refcount, 2);
        r->refcount--;
    }
    /* Remove every other one, check the rest, then remove all. */
    for (i = 0; i < n; i += 2) assert_int_equal(handle_table_remove(t, &all[i]->hdr), ERROR_SUCCESS);
    check_scaling(t, n / 2);
    for (i = 0; i < n; i++)
    {
        wah_handle_context *r = handle_table_reference(t, (HANDLE)handle_of(i));
        if (i % 2 == 0) assert_null(r);
        else
        {
            assert_ptr_equal(r, &all[i]->hdr);
            r->refcount--;
        }
    }
    for (i = 1; i < n; i += 2) assert_int_equal(handle_table_remove(t, &all[i]->hdr), ERROR_SUCCESS);
    handle_table_stats(t, &stats);
    assert_int_equal(stats.count, 0);
    assert_int_equal(stats.capacity, 0);
    for (i = 0; i < n; i++) assert_null(handle_table_reference(t, (HANDLE)handle_of(i)));
    assert_int_equal(handle_table_destroy(t), ERROR_SUCCESS);
    for (i = 0; i < n; i++) free(all[i]);
    free(all);
}

static uintptr_t nt_handle(size_t i) { return 4 + 4 * (uintptr_t)i; }
static uintptr_t sparse_handle(size_t i) { return ((uintptr_t)i << 16) | 0x1c; }
static uintptr_t pointer_like(size_t i) { return (uintptr_t)0x7f0000000000ull * (sizeof(void *) > 4) + 0x10000 + (uintptr_t)i * 48; }

static void test_100000_nt_handles(void **state) { (void)state; many_handles(nt_handle, 100000); }
static void test_100000_sparse_handles(void **state) { (void)state; many_handles(sparse_handle, 100000); }
static void test_100000_pointer_like(void **state) { (void)state; many_handles(pointer_like, 100000); }

/* ---- threads ---- */

#define SHARED_HANDLES 512
#define THREADS 10
#define ITERATIONS 60000

struct thread_state
{
    struct handle_table *table;
    unsigned int seed;
    int id;
    struct test_ctx *graveyard;
    long allocs, frees, lookups_found, failures;
    volatile LONG *stop;
};

static long total_allocs, total_frees;

static void drop_ref(struct thread_state *ts, struct test_ctx *c)
{
    LONG left = os_atomic_dec(&c->hdr.refcount);
    if (left < 0) ts->failures++;
    if (left == 0)
    {
        /* "Free": mark it and keep it, so that any later use through the table is detected. */
        if (os_atomic_load(&c->magic) != ALIVE) ts->failures++;
        os_atomic_store(&c->magic, DEAD);
        c->grave_next = ts->graveyard;
        ts->graveyard = c;
        ts->frees++;
    }
}

static unsigned int next_rand(unsigned int *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 8) & 0xffffff;
}

static BOOL CALLBACK check_cb(LPVOID param, wah_handle_context *ctx)
{
    struct thread_state *ts = param;
    struct test_ctx *c = (struct test_ctx *)ctx;
    if (os_atomic_load(&c->magic) != ALIVE) ts->failures++;
    /* Occasionally remove from the callback (re-entrant), as WSACleanup-style callers do. */
    if ((next_rand(&ts->seed) % 16) == 0 && handle_table_remove(ts->table, ctx) == ERROR_SUCCESS)
        drop_ref(ts, c);
    return TRUE;
}

static void *worker(void *arg)
{
    struct thread_state *ts = arg;
    int i;

    for (i = 0; i < ITERATIONS; i++)
    {
        unsigned int r = next_rand(&ts->seed);
        uintptr_t h = 4 * (1 + r % SHARED_HANDLES);
        unsigned int op = (r >> 12) % 100;

        if (op < 20)
        {
            /* insert (possibly replacing another thread's context: drop the table's reference on it) */
            struct test_ctx *c = new_ctx(h);
            wah_handle_context *old;
            ts->allocs++;
            old = handle_table_insert(ts->table, &c->hdr);
            if (!old) ts->failures++;
            else if (old != &c->hdr) drop_ref(ts, (struct test_ctx *)old);
        }
        else if (op < 35)
        {
            /* closesocket-like: reference, remove (drops the table's reference), release */
            wah_handle_context *ctx = handle_table_reference(ts->table, (HANDLE)h);
            if (ctx)
            {
                struct test_ctx *c = (struct test_ctx *)ctx;
                if (os_atomic_load(&c->magic) != ALIVE) ts->failures++;
                if (handle_table_remove(ts->table, ctx) == ERROR_SUCCESS) drop_ref(ts, c);
                drop_ref(ts, c);
            }
        }
        else if (op == 35 && ts->id == 0)
        {
            handle_table_enumerate(ts->table, check_cb, ts);
        }
        else
        {
            /* lookup: the context must stay alive while referenced */
            wah_handle_context *ctx = handle_table_reference(ts->table, (HANDLE)h);
            if (ctx)
            {
                struct test_ctx *c = (struct test_ctx *)ctx;
                ts->lookups_found++;
                if (ctx->handle != (HANDLE)h) ts->failures++;
                if (os_atomic_load(&c->magic) != ALIVE) ts->failures++;
                if (os_atomic_load(&ctx->refcount) < 1) ts->failures++;
                drop_ref(ts, c);
            }
        }
    }
    return NULL;
}

static BOOL CALLBACK drain_cb(LPVOID param, wah_handle_context *ctx)
{
    struct thread_state *ts = param;
    assert_int_equal(handle_table_remove(ts->table, ctx), ERROR_SUCCESS);
    drop_ref(ts, (struct test_ctx *)ctx);
    return TRUE;
}

static void free_graveyard(struct thread_state *ts)
{
    while (ts->graveyard)
    {
        struct test_ctx *c = ts->graveyard;
        ts->graveyard = c->grave_next;
        assert_int_equal(c->magic, DEAD);
        assert_int_equal(c->hdr.refcount, 0);
        free(c);
    }
}

static void test_threads(void **state)
{
    struct handle_table *t = new_table();
    pthread_t threads[THREADS];
    struct thread_state ts[THREADS], drain;
    struct handle_table_stats stats;
    long found = 0;
    int i;
    (void)state;

    total_allocs = total_frees = 0;
    for (i = 0; i < THREADS; i++)
    {
        memset(&ts[i], 0, sizeof(ts[i]));
        ts[i].table = t;
        ts[i].seed = 0x1234u + 977u * (unsigned)i;
        ts[i].id = i;
        assert_int_equal(pthread_create(&threads[i], NULL, worker, &ts[i]), 0);
    }
    for (i = 0; i < THREADS; i++) assert_int_equal(pthread_join(threads[i], NULL), 0);

    memset(&drain, 0, sizeof(drain));
    drain.table = t;
    assert_true(handle_table_enumerate(t, drain_cb, &drain));
    handle_table_stats(t, &stats);
    assert_int_equal(stats.count, 0);

    for (i = 0; i < THREADS; i++)
    {
        assert_int_equal(ts[i].failures, 0);
        total_allocs += ts[i].allocs;
        total_frees += ts[i].frees;
        found += ts[i].lookups_found;
        free_graveyard(&ts[i]);
    }
    assert_int_equal(drain.failures, 0);
    total_frees += drain.frees;
    free_graveyard(&drain);
    /* Every context was freed exactly once: no leak, no double free. */
    assert_int_equal(total_allocs, total_frees);
    assert_true(found > 0);
    print_message("  %d threads: %ld contexts, %ld successful lookups\n", THREADS, total_allocs, found);
    assert_int_equal(handle_table_destroy(t), ERROR_SUCCESS);
}

/* Dedicated race: one handle, readers referencing while a writer replaces and removes it. */
struct race_state
{
    struct handle_table *table;
    volatile LONG stop, started;
    long failures, frees, found;
    struct test_ctx *graveyard;
    pthread_mutex_t grave_lock;
};

static void race_drop(struct race_state *rs, struct test_ctx *c)
{
    LONG left = os_atomic_dec(&c->hdr.refcount);
    if (left < 0) __atomic_add_fetch(&rs->failures, 1, __ATOMIC_SEQ_CST);
    if (left == 0)
    {
        if (os_atomic_load(&c->magic) != ALIVE) __atomic_add_fetch(&rs->failures, 1, __ATOMIC_SEQ_CST);
        os_atomic_store(&c->magic, DEAD);
        pthread_mutex_lock(&rs->grave_lock);
        c->grave_next = rs->graveyard;
        rs->graveyard = c;
        rs->frees++;
        pthread_mutex_unlock(&rs->grave_lock);
    }
}

static void *race_reader(void *arg)
{
    struct race_state *rs = arg;
    os_atomic_inc(&rs->started);
    while (!os_atomic_load(&rs->stop))
    {
        wah_handle_context *ctx = handle_table_reference(rs->table, (HANDLE)0x20);
        if (ctx)
        {
            struct test_ctx *c = (struct test_ctx *)ctx;
            if (os_atomic_load(&c->magic) != ALIVE) __atomic_add_fetch(&rs->failures, 1, __ATOMIC_SEQ_CST);
            __atomic_add_fetch(&rs->found, 1, __ATOMIC_SEQ_CST);
            race_drop(rs, c);
        }
        /* Let the writer in: the host's rwlocks prefer readers (Windows' SRW locks do not). */
        sched_yield();
    }
    return NULL;
}

static void test_reference_vs_remove_race(void **state)
{
    struct race_state rs;
    pthread_t readers[8];
    long allocs = 0;
    int i;
    (void)state;

    memset(&rs, 0, sizeof(rs));
    pthread_mutex_init(&rs.grave_lock, NULL);
    rs.table = new_table();
    for (i = 0; i < 8; i++) assert_int_equal(pthread_create(&readers[i], NULL, race_reader, &rs), 0);
    while (os_atomic_load(&rs.started) < 8) sched_yield();
    for (i = 0; i < 30000; i++)
    {
        if (i % 8 == 0) sched_yield();
        struct test_ctx *c = new_ctx(0x20);
        wah_handle_context *old;
        allocs++;
        old = handle_table_insert(rs.table, &c->hdr);
        assert_non_null(old);
        if (old != &c->hdr) race_drop(&rs, (struct test_ctx *)old);
        if (i % 3 == 0 && handle_table_remove(rs.table, &c->hdr) == ERROR_SUCCESS) race_drop(&rs, c);
    }
    os_atomic_store(&rs.stop, 1);
    for (i = 0; i < 8; i++) assert_int_equal(pthread_join(readers[i], NULL), 0);
    {
        wah_handle_context *last = handle_table_reference(rs.table, (HANDLE)0x20);
        if (last)
        {
            assert_int_equal(handle_table_remove(rs.table, last), ERROR_SUCCESS);
            race_drop(&rs, (struct test_ctx *)last);
            race_drop(&rs, (struct test_ctx *)last);
        }
    }
    assert_int_equal(rs.failures, 0);
    assert_int_equal(rs.frees, allocs);
    assert_true(rs.found > 0);
    print_message("  8 readers: %ld successful references during %ld replacements\n", rs.found, allocs);
    while (rs.graveyard)
    {
        struct test_ctx *c = rs.graveyard;
        rs.graveyard = c->grave_next;
        free(c);
    }
    pthread_mutex_destroy(&rs.grave_lock);
    assert_int_equal(handle_table_destroy(rs.table), ERROR_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_insert_reference_remove),
        cmocka_unit_test(test_reference_many),
        cmocka_unit_test(test_inspect_many),
        cmocka_unit_test(test_replace),
        cmocka_unit_test(test_unusual_handle_values),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_enumerate),
        cmocka_unit_test(test_destroy_with_entries),
        cmocka_unit_test(test_100000_nt_handles),
        cmocka_unit_test(test_100000_sparse_handles),
        cmocka_unit_test(test_100000_pointer_like),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_reference_vs_remove_race),
    };
    if (getenv("HANDLE_TABLE_TEST_FILTER")) cmocka_set_test_filter(getenv("HANDLE_TABLE_TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
