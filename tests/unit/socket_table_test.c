/* socket_table_test.c - CMocka tests of the socket table (src/core/socket_table.c): registration,
 * a layered provider's registration replacing the lower layer's socket, get/put, idempotent
 * unregister, the last put freeing the socket and releasing its provider, enumeration, cleanup, and
 * threads racing get/put with unregister. provider_ref/provider_release are test doubles here.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "socket_table.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <sched.h>
#include <cmocka.h>

/* ---- provider test double (the real one is src/core/provider.c, DLL only) ---- */
struct provider
{
    volatile LONG refs;
    volatile LONG releases;
};

/* Allocation failure injection (linked with -Wl,--wrap=calloc,--wrap=realloc): calloc_fail makes
 * the next callocs fail; realloc_limit > 0 refuses reallocations above that many bytes. */
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
static volatile int calloc_fail;
static volatile size_t realloc_limit;
void *__wrap_calloc(size_t n, size_t size) { return calloc_fail ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t size)
{
    return realloc_limit && size > realloc_limit ? NULL : __real_realloc(p, size);
}

static volatile LONG double_failures;   /* counted, not asserted: may run on other threads */

struct provider *provider_ref(struct provider *p)
{
    os_atomic_inc(&p->refs);
    return p;
}

void provider_release(struct provider *p)
{
    LONG left = os_atomic_dec(&p->refs);
    if (left < 0) os_atomic_inc(&double_failures);
    os_atomic_inc(&p->releases);
}

static int setup(void **state)
{
    (void)state;
    return socket_table_init();
}

static int teardown(void **state)
{
    (void)state;
    socket_table_cleanup();
    return os_atomic_load(&double_failures) ? -1 : 0;
}

static void test_init_idempotent(void **state)
{
    (void)state;
    assert_int_equal(socket_table_init(), 0);
    assert_int_equal(socket_table_init(), 0);
    assert_null(socket_get((SOCKET)0x1234));
    assert_null(socket_get(INVALID_SOCKET));
}

static void test_register_get_put(void **state)
{
    struct provider prov = { 0, 0 };
    struct ws_socket *sock, *got;
    int err = -1;
    (void)state;

    sock = socket_register((SOCKET)0x104, 7, &prov, TRUE, 0, &err);
    assert_non_null(sock);
    assert_int_equal(err, 0);
    assert_int_equal(prov.refs, 1);           /* the socket's own provider reference */
    assert_int_equal(sock->hdr.refcount, 1);  /* the table's reference */
    assert_ptr_equal(sock->hdr.handle, (HANDLE)0x104);
    assert_int_equal(sock->catalog_id, 7);
    assert_true(sock->ifs);
    assert_ptr_equal(sock->provider, &prov);

    got = socket_get((SOCKET)0x104);
    assert_ptr_equal(got, sock);
    assert_int_equal(sock->hdr.refcount, 2);
    assert_null(socket_get((SOCKET)0x108));
    socket_put(got);
    assert_int_equal(sock->hdr.refcount, 1);

    /* closesocket: get, unregister, put -> freed, provider released */
    got = socket_get((SOCKET)0x104);
    socket_unregister(got);
    assert_null(socket_get((SOCKET)0x104));
    assert_int_equal(got->hdr.refcount, 1);   /* only ours left */
    assert_int_equal(prov.releases, 0);
    socket_put(got);
    assert_int_equal(prov.refs, 0);
    assert_int_equal(prov.releases, 1);
}

static void test_unregister_idempotent(void **state)
{
    struct provider prov = { 0, 0 };
    struct ws_socket *sock, *held;
    int err;
    (void)state;

    sock = socket_register((SOCKET)0x200, 1, &prov, TRUE, 0, &err);
    assert_non_null(sock);
    held = socket_get((SOCKET)0x200);
    assert_ptr_equal(held, sock);
    socket_unregister(held);
    socket_unregister(held);                  /* second call: nothing more dropped */
    socket_unregister(held);
    assert_int_equal(held->hdr.refcount, 1);
    assert_int_equal(prov.releases, 0);
    socket_unregister(NULL);
    socket_put(NULL);
    socket_put(held);
    assert_int_equal(prov.releases, 1);
    assert_int_equal(prov.refs, 0);
}

static void test_layered_replacement(void **state)
{
    struct provider base = { 0, 0 }, layer = { 0, 0 };
    struct ws_socket *lower, *upper, *held_lower;
    int err;
    (void)state;

    /* The base provider registers the handle (WPUModifyIFSHandle), and someone holds it. */
    lower = socket_register((SOCKET)0x300, 1001, &base, TRUE, 0, &err);
    assert_non_null(lower);
    held_lower = socket_get((SOCKET)0x300);
    assert_ptr_equal(held_lower, lower);

    /* The layered provider registers the same handle: its socket replaces the base one. */
    upper = socket_register((SOCKET)0x300, 1002, &layer, TRUE, 0, &err);
    assert_non_null(upper);
    assert_int_equal(err, 0);
    assert_ptr_not_equal(upper, lower);
    {
        struct ws_socket *now = socket_get((SOCKET)0x300);
        assert_ptr_equal(now, upper);
        assert_int_equal(now->catalog_id, 1002);
        assert_ptr_equal(now->provider, &layer);
        socket_put(now);
    }
    /* The table's reference on the lower socket was dropped; ours keeps it alive. */
    assert_int_equal(held_lower->hdr.refcount, 1);
    assert_int_equal(base.releases, 0);
    /* Unregistering the replaced socket does not touch the current one. */
    socket_unregister(held_lower);
    assert_int_equal(held_lower->hdr.refcount, 1);
    {
        struct ws_socket *now = socket_get((SOCKET)0x300);
        assert_ptr_equal(now, upper);
        socket_put(now);
    }
    socket_put(held_lower);                   /* last reference: freed, base released */
    assert_int_equal(base.releases, 1);
    assert_int_equal(base.refs, 0);

    /* Replacement with nobody holding the lower socket frees it at once. */
    {
        struct provider third = { 0, 0 };
        struct ws_socket *top = socket_register((SOCKET)0x300, 1003, &third, TRUE, 0, &err);
        assert_non_null(top);
        assert_int_equal(layer.releases, 1);
        assert_int_equal(layer.refs, 0);
        top = socket_get((SOCKET)0x300);
        socket_unregister(top);
        socket_put(top);
        assert_int_equal(third.refs, 0);
    }
    assert_null(socket_get((SOCKET)0x300));
}

static void test_register_bad_arguments(void **state)
{
    struct provider prov = { 0, 0 };
    int err = 0;
    (void)state;

    assert_null(socket_register(INVALID_SOCKET, 1, &prov, TRUE, 0, &err));
    assert_int_equal(err, WSAEINVAL);
    err = 0;
    assert_null(socket_register(0, 1, &prov, TRUE, 0, &err));
    assert_int_equal(err, WSAEINVAL);
    assert_int_equal(prov.refs, 0);
    /* err may be NULL; a provider-less (test) registration is accepted */
    {
        struct ws_socket *s = socket_register((SOCKET)0x404, 1, NULL, FALSE, 0x55, NULL);
        assert_non_null(s);
        assert_false(s->ifs);
        assert_int_equal(s->context, 0x55);
        s = socket_get((SOCKET)0x404);
        socket_unregister(s);
        socket_put(s);
    }
}

struct enum_state
{
    int seen;
    int stop_after;
    BOOL unregister;
};

static BOOL count_cb(struct ws_socket *sock, void *param)
{
    struct enum_state *st = param;
    assert_true(sock->hdr.refcount >= 2);     /* the table's and the enumeration's */
    st->seen++;
    if (st->unregister) socket_unregister(sock);
    return st->seen != st->stop_after;
}

static void test_enumerate_and_cleanup(void **state)
{
    enum { N = 300 };
    struct provider prov = { 0, 0 };
    struct enum_state st;
    struct ws_socket *held;
    int i, err;
    (void)state;

    for (i = 0; i < N; i++) assert_non_null(socket_register((SOCKET)(uintptr_t)(0x1000 + 4 * i), 1, &prov, TRUE, 0, &err));
    assert_int_equal(prov.refs, N);

    memset(&st, 0, sizeof(st));
    st.stop_after = -1;
    socket_table_enumerate(count_cb, &st);
    assert_int_equal(st.seen, N);

    memset(&st, 0, sizeof(st));
    st.stop_after = 10;
    socket_table_enumerate(count_cb, &st);
    assert_int_equal(st.seen, 10);

    /* A callback that unregisters (WSACleanup closing sockets). */
    memset(&st, 0, sizeof(st));
    st.stop_after = 100;
    st.unregister = TRUE;
    socket_table_enumerate(count_cb, &st);
    assert_int_equal(st.seen, 100);
    assert_int_equal(prov.refs, N - 100);

    /* Cleanup unregisters the rest; a socket another thread holds lives until its put. */
    held = socket_get((SOCKET)(0x1000 + 4 * (N - 1)));
    assert_non_null(held);
    socket_table_cleanup();
    assert_int_equal(prov.refs, 1);
    for (i = 0; i < N; i++) assert_null(socket_get((SOCKET)(uintptr_t)(0x1000 + 4 * i)));
    socket_put(held);
    assert_int_equal(prov.refs, 0);
    assert_int_equal(prov.releases, N);

    /* The table works again after a cleanup (next WSAStartup). */
    assert_int_equal(socket_table_init(), 0);
    held = socket_register((SOCKET)0x1000, 1, &prov, TRUE, 0, &err);
    assert_non_null(held);
    socket_table_cleanup();
    assert_int_equal(prov.refs, 0);
}

static void test_out_of_memory(void **state)
{
    enum { N = 300 };
    struct provider prov = { 0, 0 };
    struct enum_state st;
    int i, err = 0;
    (void)state;

    calloc_fail = 1;
    assert_null(socket_register((SOCKET)0x500, 1, &prov, TRUE, 0, &err));
    calloc_fail = 0;
    assert_int_equal(err, WSAENOBUFS);
    assert_int_equal(prov.refs, 0);
    assert_null(socket_get((SOCKET)0x500));

    for (i = 0; i < N; i++) assert_non_null(socket_register((SOCKET)(uintptr_t)(0x2000 + 4 * i), 1, &prov, TRUE, 0, &err));
    /* Snapshots limited to 64 sockets: enumeration still visits every socket exactly once. */
    realloc_limit = 64 * sizeof(void *);
    memset(&st, 0, sizeof(st));
    st.stop_after = -1;
    socket_table_enumerate(count_cb, &st);
    assert_int_equal(st.seen, N);
    memset(&st, 0, sizeof(st));
    st.stop_after = 70;                       /* stops inside the part visited under the lock */
    socket_table_enumerate(count_cb, &st);
    assert_int_equal(st.seen, 70);
    memset(&st, 0, sizeof(st));
    st.stop_after = 150;
    st.unregister = TRUE;                     /* unregistering from the locked part too */
    socket_table_enumerate(count_cb, &st);
    assert_int_equal(st.seen, 150);
    assert_int_equal(prov.refs, N - 150);
    /* Cleanup with truncated snapshots still unregisters everything. */
    socket_table_cleanup();
    realloc_limit = 0;
    assert_int_equal(prov.refs, 0);
    assert_int_equal(prov.releases, N);
    for (i = 0; i < N; i++) assert_null(socket_get((SOCKET)(uintptr_t)(0x2000 + 4 * i)));
}

/* ---- threads: API calls racing closesocket ---- */

#define RACE_SOCKETS 64
#define RACE_THREADS 8

struct race
{
    struct provider prov;
    volatile LONG stop;
    volatile LONG gets;
    volatile LONG failures;
};

static void *api_caller(void *arg)
{
    struct race *r = arg;
    unsigned int seed = 77;
    long n = 0;

    while (!os_atomic_load(&r->stop))
    {
        struct ws_socket *s;
        seed = seed * 1103515245u + 12345u;
        s = socket_get((SOCKET)(uintptr_t)(4 + 4 * ((seed >> 8) % RACE_SOCKETS)));
        if (s)
        {
            /* Use the socket as a call would; ASan reports any use after free. */
            if (s->catalog_id != (DWORD)(uintptr_t)s->hdr.handle || s->provider != &r->prov
                || os_atomic_load(&s->hdr.refcount) < 1)
                os_atomic_inc(&r->failures);
            n++;
            socket_put(s);
        }
        if ((n & 15) == 0) sched_yield();
    }
    __atomic_add_fetch(&r->gets, n, __ATOMIC_SEQ_CST);
    return NULL;
}

static void test_threads_get_vs_unregister(void **state)
{
    struct race r;
    pthread_t threads[RACE_THREADS];
    long registrations = 0;
    int i, round, err;
    (void)state;

    memset(&r, 0, sizeof(r));
    for (i = 0; i < RACE_THREADS; i++) assert_int_equal(pthread_create(&threads[i], NULL, api_caller, &r), 0);
    for (round = 0; round < 300; round++)
    {
        for (i = 0; i < RACE_SOCKETS; i++)
        {
            SOCKET h = (SOCKET)(uintptr_t)(4 + 4 * i);
            /* catalog_id mirrors the handle so callers can check consistency */
            struct ws_socket *s = socket_register(h, (DWORD)h, &r.prov, TRUE, 0, &err);
            assert_non_null(s);
            registrations++;
        }
        sched_yield();
        for (i = 0; i < RACE_SOCKETS; i++)
        {
            struct ws_socket *s = socket_get((SOCKET)(uintptr_t)(4 + 4 * i));
            if (!s) continue;
            socket_unregister(s);
            socket_put(s);
        }
    }
    os_atomic_store(&r.stop, 1);
    for (i = 0; i < RACE_THREADS; i++) assert_int_equal(pthread_join(threads[i], NULL), 0);
    assert_int_equal(r.failures, 0);
    assert_int_equal(r.prov.refs, 0);
    assert_int_equal(r.prov.releases, registrations);
    assert_true(r.gets > 0);
    print_message("  %ld registrations, %ld successful gets by %d threads\n", registrations, (long)r.gets,
                  RACE_THREADS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_get_put, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unregister_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_layered_replacement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enumerate_and_cleanup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_get_vs_unregister, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
