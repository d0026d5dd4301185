/* alloc_fail_test.c - every allocation of the portable modules failing in turn: for k = 1, 2, ...
 * a scenario runs with its k-th allocation failing until a run needs no failure; each run must not
 * crash, must leave no block alive (alloc_fail.c counts them; ASan in scripts/unit-sanitizers.sh) and
 * must report the module's documented error when a failure was injected.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "catalog_test_util.h"
#include <stdio.h>
#include "alloc_fail.h"
#include "catalog_edit.h"
#include "fake_registry.h"
#include "handle_table.h"
#include "ns_catalog.h"
#include "nsp_host.h"
#include "socket_table.h"

/* the alloc_fail.h macros are for the module sources only: the test itself allocates normally */
#undef malloc
#undef calloc
#undef realloc
#undef free
#undef strdup

/* ---- provider test double (socket_table.c references it; the scenarios pass no provider) ---- */
struct provider *provider_ref(struct provider *p) { return p; }
void provider_release(struct provider *p) { (void)p; }

/* ---- the driver ---- */
struct scenario
{
    const char *name;
    int (*run)(void *ctx);     /* 0 or the module's error */
    void (*undo)(void *ctx);   /* frees what a successful (or partial) run left in ctx */
    const int *errors;         /* the errors allowed when an allocation failed, 0-terminated */
    void *ctx;
    BOOL recovers;             /* a failed allocation may also be absorbed (run returns 0: it checks
                                * its own results) */
};

/* Returns the number of allocations a clean run makes. */
static unsigned long drive(const struct scenario *s)
{
    unsigned long k, live0 = af_live();
    for (k = 1;; k++)
    {
        int err, injected;
        const int *e;
        af_arm(k);
        err = s->run(s->ctx);
        injected = af_disarm();
        if (s->undo) s->undo(s->ctx);
        if (af_live() != live0)
        {
            fprintf(stderr, "%s: allocation %lu failing leaks %lu blocks\n", s->name, k, af_live() - live0);
            fail();
        }
        if (!injected)
        {
            if (err) fprintf(stderr, "%s: clean run failed with %d\n", s->name, err);
            assert_int_equal(err, 0);
            print_message("%s: %lu allocations, each failed in turn: ok\n", s->name, k - 1);
            return k - 1;
        }
        if (!err && s->recovers) continue;
        for (e = s->errors; *e && *e != err; e++) {}
        if (*e != err || !err)
        {
            fprintf(stderr, "%s: allocation %lu failing gives %d, not a documented error\n", s->name, k, err);
            fail();
        }
    }
}

static const int nomem[] = { WSA_NOT_ENOUGH_MEMORY, 0 };
static const int nobufs[] = { WSAENOBUFS, 0 };
static const int minus_one[] = { -1, 0 };

/* ---- catalog ---- */
static int reset(void **state)
{
    os_regkey *k;
    (void)state;
    catalog_current_reset();
    ns_catalog_current_reset();
    fake_registry_reset();
    assert_int_equal(os_reg_open(NULL, "System\\CurrentControlSet\\Services", TRUE, TRUE, &k), ERROR_SUCCESS);
    os_reg_close(k);
    return 0;
}

struct cat_ctx
{
    struct catalog *base, *out, *out2;
    struct ns_catalog *nbase, *nout;
    enum catalog_view view;
};

static void cat_undo(void *p)
{
    struct cat_ctx *c = p;
    if (c->out) catalog_release(c->out);
    if (c->out2) catalog_release(c->out2);
    if (c->nout) ns_catalog_release(c->nout);
    c->out = c->out2 = NULL;
    c->nout = NULL;
}

static int run_catalog_default(void *p)
{
    struct cat_ctx *c = p;
    return (c->out = catalog_default(c->view)) ? 0 : -1;
}

static int run_catalog_load(void *p)
{
    struct cat_ctx *c = p;
    return catalog_load(c->view, &c->out);
}

static int run_catalog_current(void *p)
{
    struct cat_ctx *c = p;
    catalog_current_reset();
    c->out = catalog_current();
    catalog_current_reset();
    /* "never NULL": with no memory at all it must still hand out a catalog */
    return c->out ? 0 : -1;
}

static const GUID lsp_guid = {0x5a5a5a5a, 0x1234, 0x5678, {1, 1, 2, 2, 3, 3, 4, 4}};

static int run_catalog_edits(void *p)
{
    struct cat_ctx *c = p;
    WSAPROTOCOL_INFOW infos[2];
    DWORD ids[64], dummy = 0;
    const GUID chain_ids[] = { {1, 2, 3, {4}}, {5, 6, 7, {8}}, {9, 10, 11, {12}}, {13, 14, 15, {16}},
                               {17, 18, 19, {20}}, {21, 22, 23, {24}} };
    WCHAR lsp_name[16];
    size_t i;
    int err;

    infos[0] = make_info(&test_guid_b, 0, AF_INET, SOCK_STREAM, IPPROTO_TCP, "extra tcp");
    infos[1] = make_info(&test_guid_b, 0, AF_INET6, SOCK_DGRAM, IPPROTO_UDP, "extra udp");
    if ((err = catalog_edit_install(c->base, &test_guid_b, "C:\\x\\extra.dll", infos, 2, &c->out))) return err;
    /* reverse order */
    for (i = 0; i < c->out->count && i < 64; i++) ids[i] = c->out->entries[c->out->count - 1 - i].info.dwCatalogEntryId;
    if ((err = catalog_edit_order(c->out, ids, c->out->count, &c->out2))) return err;
    catalog_release(c->out);
    c->out = c->out2;
    c->out2 = NULL;
    set_wname(lsp_name, "test lsp");
    if ((err = catalog_edit_install_chains(c->out, &lsp_guid, "C:\\x\\lsp.dll", lsp_name, XP1_IFS_HANDLES, NULL, 0,
                                           chain_ids, OPENWS2_ARRAY_SIZE(chain_ids), &dummy, &c->out2)))
        return err;
    catalog_release(c->out);
    c->out = c->out2;
    c->out2 = NULL;
    if ((err = catalog_edit_deinstall(c->out, &test_guid_b, &c->out2))) return err;
    return 0;
}

/* a registry catalog of the default entries plus a layered chain */
static void store_base(void)
{
    struct catalog *def = catalog_default(CATALOG_VIEW_64);
    assert_non_null(def);
    assert_int_equal(catalog_store(def), 0);
    catalog_release(def);
}

static void test_catalog(void **state)
{
    struct cat_ctx c;
    struct scenario s;
    (void)state;
    memset(&c, 0, sizeof(c));
    memset(&s, 0, sizeof(s));
    c.view = CATALOG_VIEW_64;
    s.ctx = &c;
    s.undo = cat_undo;

    s.name = "catalog_default";
    s.run = run_catalog_default;
    s.errors = minus_one; /* documented: NULL */
    assert_true(drive(&s) >= 1);

    s.name = "catalog_load (no registry: the default)";
    s.run = run_catalog_load;
    s.errors = nomem;
    assert_true(drive(&s) >= 1);

    store_base();
    s.name = "catalog_load (registry)";
    assert_true(drive(&s) >= 2);

    s.name = "catalog_current";
    s.run = run_catalog_current;
    s.errors = minus_one;
    s.recovers = TRUE; /* a failed reload falls back to the embedded default */
    drive(&s);
    s.recovers = FALSE;

    c.base = catalog_default(CATALOG_VIEW_64);
    assert_non_null(c.base);
    s.name = "catalog_edit install/order/install_chains/deinstall";
    s.run = run_catalog_edits;
    s.errors = nomem;
    assert_true(drive(&s) >= 4);
    catalog_release(c.base);
}

/* ---- namespace catalog ---- */
static void make_ns_entry(struct ns_catalog_entry *e, const GUID *id, const char *name, unsigned info_len)
{
    memset(e, 0, sizeof(*e));
    ns_ascii_to_wide("C:\\nsp\\x.dll", e->path, NS_CATALOG_PATH_LEN);
    ns_ascii_to_wide(name, e->display, NS_CATALOG_NAME_LEN);
    e->id = *id;
    e->name_space = NS_DNS;
    e->version = 1;
    e->address_family = NS_NO_ADDRESS_FAMILY;
    e->enabled = TRUE;
    if (info_len)
    {
        e->has_info = TRUE;
        e->info_len = info_len;
        e->info = calloc(1, info_len); /* the test's own block: not counted */
        assert_non_null(e->info);
    }
}

static int run_ns_load(void *p)
{
    struct cat_ctx *c = p;
    return ns_catalog_load(c->view, &c->nout);
}

static int run_ns_default(void *p)
{
    struct cat_ctx *c = p;
    return (c->nout = ns_catalog_default(c->view)) ? 0 : -1;
}

static int run_ns_current(void *p)
{
    struct cat_ctx *c = p;
    ns_catalog_current_reset();
    c->nout = ns_catalog_current();
    ns_catalog_current_reset();
    return c->nout ? 0 : -1; /* documented: NULL only when memory ran out */
}

static int run_ns_edits(void *p)
{
    struct cat_ctx *c = p;
    struct ns_catalog_entry e;
    struct ns_catalog *tmp;
    GUID ids[64];
    size_t i;
    int err;

    make_ns_entry(&e, &lsp_guid, "extra", 100);
    err = ns_catalog_edit_install(c->nbase, &e, &c->nout);
    free(e.info);
    if (err) return err;
    for (i = 0; i < c->nout->count && i < 64; i++) ids[i] = c->nout->entries[c->nout->count - 1 - i].id;
    if ((err = ns_catalog_edit_order(c->nout, ids, c->nout->count, &tmp))) return err;
    ns_catalog_release(c->nout);
    c->nout = tmp;
    if ((err = ns_catalog_edit_enable(c->nout, &lsp_guid, FALSE, &tmp))) return err;
    ns_catalog_release(c->nout);
    c->nout = tmp;
    if ((err = ns_catalog_edit_remove(c->nout, &lsp_guid, &tmp))) return err;
    ns_catalog_release(c->nout);
    c->nout = tmp;
    return 0;
}

static void test_ns_catalog(void **state)
{
    struct cat_ctx c;
    struct scenario s;
    struct ns_catalog *cat;
    struct ns_catalog_entry e;
    (void)state;
    memset(&c, 0, sizeof(c));
    memset(&s, 0, sizeof(s));
    c.view = CATALOG_VIEW_64;
    s.ctx = &c;
    s.undo = cat_undo;

    s.name = "ns_catalog_default";
    s.run = run_ns_default;
    s.errors = minus_one;
    assert_true(drive(&s) >= 1);

    s.name = "ns_catalog_load (no registry)";
    s.run = run_ns_load;
    s.errors = nomem;
    assert_true(drive(&s) >= 1);

    /* the default plus an entry with a ProviderInfo blob */
    cat = ns_catalog_default(CATALOG_VIEW_64);
    assert_non_null(cat);
    make_ns_entry(&e, &lsp_guid, "with info", 300);
    assert_int_equal(ns_catalog_edit_install(cat, &e, &c.nbase), 0);
    free(e.info);
    ns_catalog_release(cat);
    assert_int_equal(ns_catalog_store(c.nbase), 0);
    ns_catalog_release(c.nbase);
    c.nbase = NULL;
    s.name = "ns_catalog_load (registry)";
    assert_true(drive(&s) >= 2);

    s.name = "ns_catalog_current";
    s.run = run_ns_current;
    s.errors = minus_one;
    s.recovers = TRUE; /* a failed reload falls back to the embedded default */
    drive(&s);
    s.recovers = FALSE;

    c.nbase = ns_catalog_default(CATALOG_VIEW_64);
    assert_non_null(c.nbase);
    s.name = "ns_catalog edits (install/order/enable/remove/clone)";
    s.run = run_ns_edits;
    s.errors = nomem;
    assert_true(drive(&s) >= 4);
    ns_catalog_release(c.nbase);
}

/* ---- handle table ---- */
#define HT_CONTEXTS 600
struct ht_ctx
{
    struct handle_table *table;
    wah_handle_context ctx[HT_CONTEXTS];
};

static int run_handle_table(void *p)
{
    struct ht_ctx *h = p;
    DWORD ret;
    size_t i;
    h->table = NULL;
    if ((ret = handle_table_create(&h->table))) return (int)ret;
    for (i = 0; i < HT_CONTEXTS; i++)
    {
        memset(&h->ctx[i], 0, sizeof(h->ctx[i]));
        h->ctx[i].handle = (HANDLE)(ULONG_PTR)(4 * (i + 1));
        h->ctx[i].refcount = 1;
        /* documented: NULL when there is no memory to store it */
        if (handle_table_insert(h->table, &h->ctx[i]) != &h->ctx[i]) return -1;
    }
    return 0;
}

static void undo_handle_table(void *p)
{
    struct ht_ctx *h = p;
    if (h->table) assert_int_equal(handle_table_destroy(h->table), ERROR_SUCCESS);
    h->table = NULL;
}

static void test_handle_table(void **state)
{
    static struct ht_ctx h;
    static const int errs[] = { -1, ERROR_NOT_ENOUGH_MEMORY, 0 };
    /* a failed grow is absorbed while the stripe still has room (the run checks every insert) */
    struct scenario s = { "handle_table create + grow", run_handle_table, undo_handle_table, errs, &h, TRUE };
    (void)state;
    assert_true(drive(&s) >= 2);
}

/* ---- socket table ---- */
#define ST_SOCKETS 200
struct st_ctx
{
    int visited;
};

static BOOL count_socket(struct ws_socket *sock, void *param)
{
    (void)sock;
    ((struct st_ctx *)param)->visited++;
    return TRUE;
}

static int run_socket_table(void *p)
{
    struct st_ctx *c = p;
    size_t i;
    int err;
    for (i = 0; i < ST_SOCKETS; i++)
    {
        struct ws_socket *sock = socket_register((SOCKET)(8 * (i + 1)), 1001, NULL, TRUE, 0, &err);
        if (!sock) return err;
    }
    /* enumeration is complete even when its snapshot cannot grow */
    c->visited = 0;
    socket_table_enumerate(count_socket, c);
    if (c->visited != ST_SOCKETS) return -2;
    return 0;
}

static void undo_socket_table(void *p)
{
    (void)p;
    socket_table_cleanup();
}

static void test_socket_table(void **state)
{
    static struct st_ctx c;
    struct scenario s = { "socket_table register + enumerate", run_socket_table, undo_socket_table, nobufs, &c,
                          TRUE /* a snapshot that cannot grow is completed under the lock */ };
    (void)state;
    /* the process' table is made once and kept for reuse (socket_table_cleanup empties it) */
    assert_int_equal(socket_table_init(), 0);
    assert_true(drive(&s) >= 2);
}

/* ---- openws2nsp's hosts-file model ---- */
static int run_hostdb(void *p)
{
    static const char hosts[] = "127.0.0.1 localhost loopback\n::1 localhost\n127.0.0.2 other.test\n";
    static const uint8_t lo[4] = { 127, 0, 0, 1 };
    struct nsp_host *h = p;
    /* documented: no match (0) when the entry buffer cannot be allocated */
    if (nsp_hosts_match_name(hosts, sizeof(hosts) - 1, "localhost", NSP_FAMILY_V4 | NSP_FAMILY_V6, h) != 2) return -1;
    if (nsp_hosts_match_addr(hosts, sizeof(hosts) - 1, AF_INET, lo, h) != 1) return -1;
    return 0;
}

static void test_hostdb(void **state)
{
    static struct nsp_host h;
    struct scenario s = { "nsp hosts match name/addr", run_hostdb, NULL, minus_one, &h, FALSE };
    (void)state;
    assert_true(drive(&s) >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_catalog, reset),
        cmocka_unit_test_setup(test_ns_catalog, reset),
        cmocka_unit_test(test_handle_table),
        cmocka_unit_test(test_socket_table),
        cmocka_unit_test(test_hostdb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
