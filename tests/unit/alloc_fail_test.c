/* alloc_fail_test.c - every allocation of the portable modules failing in turn: for k = 1, 2, ...
 * a scenario runs with its k-th allocation failing until a run needs no failure; each run must not
 * crash, must leave no block alive (alloc_fail.c counts them; ASan in scripts/unit-sanitizers.sh) and
 * must report the module's documented error when a failure was injected.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "catalog_test_util.h"
#include <stdio.h>
#include "alloc_fail.h"
#include "alloc_fail_win_host.h"
#include "app_category.h"
#include "app_category_host.h"
#include "catalog_edit.h"
#include "fake_registry.h"
#include "fdset_util.h"
#include "handle_table.h"
#include "ns_catalog.h"
#include "ns_queryset.h"
#include "nsp_private_host.h"
#include "nsp_private.h"
#include "dns_message.h"
#include "nsp_dns_host.h"
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

/* ---- fd_set buffers (src/api/fdset_util.c, WSAPoll's select emulation) ---- */
#define FDS_SOCKETS 300
static struct fdset_buf fds_buf;

static int run_fdset(void *p)
{
    size_t i;
    int err;
    (void)p;
    /* documented: WSAENOBUFS, buf->set NULL */
    if ((err = fdset_buf_init(&fds_buf, FDS_SOCKETS)))
        return fds_buf.set || fdset_buf_add(&fds_buf, 4) ? -2 : err;
    for (i = 0; i < FDS_SOCKETS; i++)
        if (!fdset_buf_add(&fds_buf, (SOCKET)(4 * (i + 1)))) return -2;
    if (fds_buf.set->fd_count != FDS_SOCKETS || !fdset_contains(fds_buf.set, 4 * FDS_SOCKETS)) return -2;
    return 0;
}

static void undo_fdset(void *p)
{
    (void)p;
    fdset_buf_free(&fds_buf);
}

static void test_fdset(void **state)
{
    struct scenario s = { "fdset_buf init + add", run_fdset, undo_fdset, nobufs, NULL, FALSE };
    (void)state;
    assert_int_equal(drive(&s), 1);
}

/* ---- WSAQUERYSET / WSASERVICECLASSINFO A -> W (src/namespace/ns_queryset.c) ---- */
struct qs_ctx
{
    WSAQUERYSETW *qs;
    WSASERVICECLASSINFOW *ci;
};

static int run_queryset(void *p)
{
    static const GUID class_id = {0x12345678, 0x9abc, 0xdef0, {1, 2, 3, 4, 5, 6, 7, 8}};
    static unsigned char blob_data[5] = {1, 2, 3, 4, 5};
    struct qs_ctx *c = p;
    WSAQUERYSETA q;
    SOCKADDR_IN sin;
    CSADDR_INFO cs;
    BLOB blob;
    AFPROTOCOLS prot;
    WSASERVICECLASSINFOA ci;
    WSANSCLASSINFOA info;
    DWORD value = 7;

    memset(&q, 0, sizeof(q));
    memset(&sin, 0, sizeof(sin));
    memset(&cs, 0, sizeof(cs));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(80);
    cs.RemoteAddr.lpSockaddr = (SOCKADDR *)&sin;
    cs.RemoteAddr.iSockaddrLength = sizeof(sin);
    cs.iSocketType = SOCK_STREAM;
    cs.iProtocol = IPPROTO_TCP;
    blob.cbSize = sizeof(blob_data);
    blob.pBlobData = blob_data;
    prot.iAddressFamily = AF_INET;
    prot.iProtocol = IPPROTO_TCP;
    q.dwSize = sizeof(q);
    q.lpszServiceInstanceName = (char *)"www.example.test";
    q.lpServiceClassId = (GUID *)&class_id;
    q.dwNameSpace = NS_DNS;
    q.dwNumberOfProtocols = 1;
    q.lpafpProtocols = &prot;
    q.dwNumberOfCsAddrs = 1;
    q.lpcsaBuffer = &cs;
    q.lpBlob = &blob;
    /* documented: NULL when out of memory */
    if (!(c->qs = ns_queryset_a_to_w(&q))) return -1;
    if (c->qs->lpszServiceInstanceName[0] != 'w' || c->qs->lpBlob->pBlobData[4] != 5) return -2;

    memset(&ci, 0, sizeof(ci));
    memset(&info, 0, sizeof(info));
    info.lpszName = (char *)"SapId";
    info.dwNameSpace = NS_SAP;
    info.dwValueType = REG_DWORD;
    info.dwValueSize = sizeof(value);
    info.lpValue = &value;
    ci.lpServiceClassId = (GUID *)&class_id;
    ci.lpszServiceClassName = (char *)"test class";
    ci.dwCount = 1;
    ci.lpClassInfos = &info;
    if (!(c->ci = ns_classinfo_a_to_w(&ci))) return -1;
    if (c->ci->dwCount != 1 || *(DWORD *)c->ci->lpClassInfos[0].lpValue != 7) return -2;
    return 0;
}

static void undo_queryset(void *p)
{
    struct qs_ctx *c = p;
    af_free(c->qs);
    af_free(c->ci);
    c->qs = NULL;
    c->ci = NULL;
}

static void test_queryset(void **state)
{
    static struct qs_ctx c;
    struct scenario s = { "ns_queryset_a_to_w + ns_classinfo_a_to_w", run_queryset, undo_queryset, minus_one, &c,
                          FALSE };
    (void)state;
    assert_int_equal(drive(&s), 2);
}

/* ---- openws2nsp's answer cache (dlls/nsp/nsp_cache.c) ---- */
static struct nsp_config cache_cfg;

/* 1: out answered from the cache with want's addresses, 0: a miss, -2: a wrong answer */
static int cache_check(const char *name, const struct nsp_host *want)
{
    static struct nsp_host got;
    memset(&got, 0, sizeof(got));
    if (!nsp_cache_get(&cache_cfg, name, 1, &got)) return 0;
    return got.addr_count == want->addr_count && !memcmp(got.addrs, want->addrs, sizeof(got.addrs[0]) * got.addr_count)
               ? 1 : -2;
}

static int run_cache(void *p)
{
    static const uint8_t a1[4] = { 127, 0, 0, 5 }, a2[4] = { 127, 0, 0, 6 }, a3[4] = { 127, 0, 0, 7 };
    static struct nsp_host h1, h2, h3;
    int r, before;
    (void)p;
    memset(&h1, 0, sizeof(h1));
    memset(&h2, 0, sizeof(h2));
    memset(&h3, 0, sizeof(h3));
    nsp_host_add_addr(&h1, AF_INET, a1);
    nsp_host_add_addr(&h2, AF_INET, a2);
    nsp_host_add_addr(&h3, AF_INET, a3);
    /* documented: put stores the answer; with no memory it stores nothing, and a get must then miss
     * (never a wrong or stale answer) */
    before = af_failed();
    nsp_cache_put(&cache_cfg, "one.test", 1, &h1, 60);
    r = cache_check("one.test", &h1);
    if (r < 0 || (!r && af_failed() == before)) return -2;
    before = af_failed();
    nsp_cache_put(&cache_cfg, "two.test", 1, &h2, 60);
    r = cache_check("two.test", &h2);
    if (r < 0 || (!r && af_failed() == before)) return -2;
    /* a refresh of one.test: the new answer, or (its copy not made) the old one still valid */
    before = af_failed();
    nsp_cache_put(&cache_cfg, "one.test", 1, &h3, 60);
    r = cache_check("one.test", &h3);
    if (r < 0 && af_failed() != before) r = cache_check("one.test", &h1);
    if (r <= 0) return -2;
    return 0;
}

static void undo_cache(void *p)
{
    (void)p;
    nsp_cache_clear();
}

static void test_cache(void **state)
{
    struct scenario s = { "nsp answer cache put/get/refresh", run_cache, undo_cache, minus_one, NULL,
                          TRUE /* documented: a copy that cannot be made is not cached */ };
    (void)state;
    cache_cfg.cache_max_ttl = 300;
    cache_cfg.servers_key = 42;
    assert_int_equal(drive(&s), 3);
}

/* ---- openws2nsp's DNS client (dlls/nsp/nsp_dns.c) over the fake server of nsp_dns_host.c ---- */
static struct nsp_config dns_cfg;

static int run_dns(void *p)
{
    static const uint8_t want4[4] = { 127, 0, 0, 9 }, ptr_addr[4] = { 127, 0, 0, 10 };
    static struct nsp_host out;
    const char *const names[] = { "dns.test", "tc.dns.test" }; /* tc.: truncated over UDP, then TCP */
    size_t i;
    int err;
    (void)p;
    for (i = 0; i < OPENWS2_ARRAY_SIZE(names); i++)
    {
        memset(&out, 0, sizeof(out));
        /* documented: WSA_NOT_ENOUGH_MEMORY; a cache copy that cannot be made is absorbed */
        if ((err = nsp_dns_lookup_addrs(&dns_cfg, names[i], DNS_TYPE_A, FALSE, &out, NULL))) return err;
        if (out.addr_count != 1 || out.addrs[0].family != AF_INET || memcmp(out.addrs[0].addr, want4, 4) ||
            strcmp(out.name, names[i]))
            return -2;
    }
    memset(&out, 0, sizeof(out));
    if ((err = nsp_dns_lookup_ptr(&dns_cfg, AF_INET, ptr_addr, &out, NULL))) return err;
    if (strcmp(out.name, "ptr.test")) return -2;
    return nsp_fake_open_sockets() ? -3 : 0;
}

static void undo_dns(void *p)
{
    (void)p;
    nsp_cache_clear();
}

static void test_dns(void **state)
{
    static const int errs[] = { WSA_NOT_ENOUGH_MEMORY, 0 };
    struct scenario s = { "nsp DNS lookups (A over UDP, A over TCP after TC, PTR)", run_dns, undo_dns, errs, NULL,
                          TRUE /* the cache's copy */ };
    (void)state;
    memset(&dns_cfg, 0, sizeof(dns_cfg));
    dns_cfg.server_count = 1;
    dns_cfg.servers[0].family = AF_INET;
    dns_cfg.servers[0].addr[0] = 127;
    dns_cfg.servers[0].addr[3] = 53;
    dns_cfg.servers[0].port = 53;
    dns_cfg.timeout_ms = 1000;
    dns_cfg.attempts = 1;
    dns_cfg.cache_max_ttl = 300;
    dns_cfg.servers_key = 7;
    assert_true(drive(&s) >= 7);
}

/* ---- LSP categories (src/core/app_category.c) with the doubles of app_category_host.c ---- */
struct appcat_ctx
{
    struct catalog *chains, *plain; /* with a layered chain; without (to empty the cache) */
    size_t base_count;              /* the entries a categorised process may use */
};

static int run_appcat(void *p)
{
    struct appcat_ctx *c = p;
    struct catalog *out;
    int before = af_failed();
    BOOL filtered;

    af_appcat_set(TRUE, 0x80000001); /* LSP_SYSTEM | 1 */
    /* documented: never NULL; out of memory gives the unfiltered catalog rather than no sockets */
    out = app_category_filter(catalog_ref(c->chains));
    if (!out) return -1;
    filtered = out->count == c->base_count;
    if (!filtered && (out != c->chains || af_failed() == before)) filtered = -1;
    catalog_release(out);
    if (filtered < 0) return -2;
    /* the next socket of the same snapshot: filtered, whether or not the first call had memory */
    if (!(out = app_category_filter(catalog_ref(c->chains)))) return -1;
    filtered = out->count == c->base_count;
    catalog_release(out);
    return filtered ? 0 : -3;
}

static void undo_appcat(void *p)
{
    struct appcat_ctx *c = p;
    /* an uncategorised process: the cache now holds only the plain snapshot (made before the run) */
    af_appcat_set(FALSE, 0);
    catalog_release(app_category_filter(catalog_ref(c->plain)));
}

static void test_app_category(void **state)
{
    static struct appcat_ctx c;
    GUID chain_ids[16];
    size_t i;
    struct scenario s = { "app_category_filter (categorised process, a chain to drop)", run_appcat, undo_appcat,
                          minus_one, &c, TRUE /* documented: the unfiltered catalog when out of memory */ };
    WCHAR lsp_name[16];
    DWORD dummy = 0;
    (void)state;
    c.plain = catalog_default(CATALOG_VIEW_64);
    assert_non_null(c.plain);
    set_wname(lsp_name, "test lsp");
    for (i = 0; i < OPENWS2_ARRAY_SIZE(chain_ids); i++)
    {
        memset(&chain_ids[i], 0, sizeof(chain_ids[i]));
        chain_ids[i].Data1 = 0x3100 + (unsigned)i;
    }
    assert_int_equal(catalog_edit_install_chains(c.plain, &lsp_guid, "C:\\x\\lsp.dll", lsp_name, XP1_IFS_HANDLES, NULL,
                                                 0, chain_ids, OPENWS2_ARRAY_SIZE(chain_ids), &dummy, &c.chains), 0);
    /* what remains for a process that permits no uncategorised LSP: everything but the chains (the
     * hidden layered entry stays: the rule is about chains) */
    c.base_count = c.plain->count + 1;
    assert_true(c.chains->count > c.base_count);
    undo_appcat(&c);
    assert_true(drive(&s) >= 2);
    undo_appcat(&c);
    catalog_release(app_category_filter(NULL));
    catalog_release(c.chains);
    /* c.plain stays referenced by app_category.c's cache */
    catalog_release(c.plain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_catalog, reset),
        cmocka_unit_test_setup(test_ns_catalog, reset),
        cmocka_unit_test(test_handle_table),
        cmocka_unit_test(test_socket_table),
        cmocka_unit_test(test_hostdb),
        cmocka_unit_test(test_fdset),
        cmocka_unit_test(test_queryset),
        cmocka_unit_test(test_cache),
        cmocka_unit_test(test_dns),
        cmocka_unit_test(test_app_category),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
