/* wah_context.c - end-to-end test (under Wine) of our ws2_32's Wah* handle-context exports,
 * reached through GetProcAddress as LSPs and ws2help users do: create/destroy, insert (new and
 * replacing), reference (refcount), remove (current and stale contexts), enumerate (stop, callback
 * removing), argument errors, 100,000 handles, and 8 threads racing with a "freed" canary.
 * Prints one line per check; exits 1 if any check failed.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <winsock2.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Windows' ws2help types; MinGW-w64 does not declare them. */
typedef struct _WAH_HANDLE_CONTEXT
{
    LIST_ENTRY Entry;
    volatile LONG RefCount;
    HANDLE Handle;
} WAH_HANDLE_CONTEXT, *PWAH_HANDLE_CONTEXT;
typedef void *PWAH_HANDLE_TABLE;
typedef BOOL (CALLBACK *PWAH_HANDLE_ENUMERATE_PROC)(LPVOID Context, PWAH_HANDLE_CONTEXT Handle);

static DWORD (WINAPI *pWahCreateHandleContextTable)(PWAH_HANDLE_TABLE *Table);
static DWORD (WINAPI *pWahDestroyHandleContextTable)(PWAH_HANDLE_TABLE Table);
static PWAH_HANDLE_CONTEXT (WINAPI *pWahInsertHandleContext)(PWAH_HANDLE_TABLE Table, PWAH_HANDLE_CONTEXT Context);
static PWAH_HANDLE_CONTEXT (WINAPI *pWahReferenceContextByHandle)(PWAH_HANDLE_TABLE Table, HANDLE Handle);
static DWORD (WINAPI *pWahRemoveHandleContext)(PWAH_HANDLE_TABLE Table, PWAH_HANDLE_CONTEXT Context);
static BOOL (WINAPI *pWahEnumerateHandleContexts)(PWAH_HANDLE_TABLE Table, PWAH_HANDLE_ENUMERATE_PROC Callback, LPVOID Context);

static int failures;

static void check(int ok, const char *what)
{
    printf("%s - %s\n", ok ? "ok" : "FAIL", what);
    if (!ok) failures++;
}

#define ALIVE 0xA11FE
#define DEAD 0xDEAD

struct ctx
{
    WAH_HANDLE_CONTEXT hdr;
    volatile LONG magic;
    struct ctx *grave_next;
};

static struct ctx *new_ctx(ULONG_PTR handle)
{
    struct ctx *c = calloc(1, sizeof(*c));
    if (!c)
    {
        printf("FAIL - out of memory\n");
        exit(1);
    }
    c->hdr.Handle = (HANDLE)handle;
    c->hdr.RefCount = 1;
    c->magic = ALIVE;
    return c;
}

static BOOL load(void)
{
    char dll[MAX_PATH], exe[MAX_PATH], *slash;
    HMODULE mod = LoadLibraryA("ws2_32.dll");

    if (!mod) return FALSE;
    /* Our app-local copy must be the one loaded, not Wine's builtin. */
    GetModuleFileNameA(mod, dll, sizeof(dll));
    GetModuleFileNameA(NULL, exe, sizeof(exe));
    if ((slash = strrchr(exe, '\\'))) slash[1] = 0;
    check(!_strnicmp(dll, exe, strlen(exe)), "ws2_32.dll is the app-local (openws2) copy");
    /* the FARPROC's bits into the typed pointer (no type-punned store: -O3 strict aliasing) */
#define GET(name) do { FARPROC f_ = GetProcAddress(mod, #name); memcpy(&p##name, &f_, sizeof(f_)); } while (0)
    GET(WahCreateHandleContextTable);
    GET(WahDestroyHandleContextTable);
    GET(WahInsertHandleContext);
    GET(WahReferenceContextByHandle);
    GET(WahRemoveHandleContext);
    GET(WahEnumerateHandleContexts);
#undef GET
    return pWahCreateHandleContextTable && pWahDestroyHandleContextTable && pWahInsertHandleContext
        && pWahReferenceContextByHandle && pWahRemoveHandleContext && pWahEnumerateHandleContexts;
}

static BOOL CALLBACK never_called(LPVOID param, PWAH_HANDLE_CONTEXT c)
{
    (void)c;
    (*(int *)param)++;
    return TRUE;
}

static void test_arguments(void)
{
    PWAH_HANDLE_TABLE t = NULL;
    struct ctx *c = new_ctx(0x40);
    int calls = 0;

    check(pWahCreateHandleContextTable(NULL) == ERROR_INVALID_PARAMETER, "create(NULL) -> ERROR_INVALID_PARAMETER");
    check(pWahDestroyHandleContextTable(NULL) == ERROR_INVALID_PARAMETER, "destroy(NULL) -> ERROR_INVALID_PARAMETER");
    check(pWahCreateHandleContextTable(&t) == ERROR_SUCCESS && t, "create -> ERROR_SUCCESS and a table");
    SetLastError(0);
    check(!pWahInsertHandleContext(NULL, &c->hdr) && GetLastError() == ERROR_INVALID_PARAMETER,
          "insert(NULL table) -> NULL, ERROR_INVALID_PARAMETER");
    SetLastError(0);
    check(!pWahInsertHandleContext(t, NULL) && GetLastError() == ERROR_INVALID_PARAMETER,
          "insert(NULL context) -> NULL, ERROR_INVALID_PARAMETER");
    check(!pWahReferenceContextByHandle(NULL, (HANDLE)0x40), "reference(NULL table) -> NULL");
    check(pWahRemoveHandleContext(NULL, &c->hdr) == ERROR_INVALID_PARAMETER, "remove(NULL table) -> ERROR_INVALID_PARAMETER");
    check(pWahRemoveHandleContext(t, NULL) == ERROR_INVALID_PARAMETER, "remove(NULL context) -> ERROR_INVALID_PARAMETER");
    check(!pWahEnumerateHandleContexts(NULL, never_called, &calls), "enumerate(NULL table) -> FALSE");
    check(!pWahEnumerateHandleContexts(t, NULL, &calls), "enumerate(NULL callback) -> FALSE");
    check(pWahEnumerateHandleContexts(t, never_called, &calls) && calls == 0, "enumerate(empty) -> TRUE, no call");
    check(pWahRemoveHandleContext(t, &c->hdr) == ERROR_INVALID_PARAMETER, "remove(not inserted) -> ERROR_INVALID_PARAMETER");
    check(pWahDestroyHandleContextTable(t) == ERROR_SUCCESS, "destroy -> ERROR_SUCCESS");
    free(c);
}

static void test_semantics(void)
{
    PWAH_HANDLE_TABLE t = NULL;
    struct ctx *a = new_ctx(0x100), *b = new_ctx(0x104), *a2 = new_ctx(0x100);
    PWAH_HANDLE_CONTEXT r;
    DWORD le;

    pWahCreateHandleContextTable(&t);
    SetLastError(0x1234);
    check(pWahInsertHandleContext(t, &a->hdr) == &a->hdr, "insert new -> the context itself");
    le = GetLastError();
    check(le == 0x1234, "a successful insert leaves the last error alone");
    check(pWahInsertHandleContext(t, &b->hdr) == &b->hdr, "insert second handle -> itself");
    check(a->hdr.RefCount == 1, "insert takes no reference");
    r = pWahReferenceContextByHandle(t, (HANDLE)0x100);
    check(r == &a->hdr && a->hdr.RefCount == 2, "reference -> the context, RefCount incremented");
    check(!pWahReferenceContextByHandle(t, (HANDLE)0x108), "reference(unknown handle) -> NULL");
    check(pWahInsertHandleContext(t, &a2->hdr) == &a->hdr, "insert for a used handle replaces, returns the old context");
    check(pWahReferenceContextByHandle(t, (HANDLE)0x100) == &a2->hdr, "reference finds the replacement");
    check(pWahRemoveHandleContext(t, &a->hdr) == ERROR_INVALID_PARAMETER, "remove(replaced context) -> ERROR_INVALID_PARAMETER");
    check(pWahReferenceContextByHandle(t, (HANDLE)0x100) == &a2->hdr, "the replacement is still there");
    check(a2->hdr.RefCount == 3, "two references taken on the replacement");
    check(pWahRemoveHandleContext(t, &a2->hdr) == ERROR_SUCCESS, "remove(current) -> ERROR_SUCCESS");
    check(a2->hdr.RefCount == 3, "remove drops no reference");
    check(!pWahReferenceContextByHandle(t, (HANDLE)0x100), "removed handle not found");
    check(pWahRemoveHandleContext(t, &a2->hdr) == ERROR_INVALID_PARAMETER, "second remove -> ERROR_INVALID_PARAMETER");
    check(pWahReferenceContextByHandle(t, (HANDLE)0x104) == &b->hdr, "other handle unaffected");
    /* destroy with an entry present: the context is the caller's, untouched */
    check(pWahDestroyHandleContextTable(t) == ERROR_SUCCESS && b->hdr.RefCount == 2 && b->magic == ALIVE,
          "destroy with a context present leaves the context alone");
    free(a);
    free(b);
    free(a2);
}

struct enum_state
{
    PWAH_HANDLE_TABLE t;
    int seen, stop_at, remove;
    int bad;
};

static BOOL CALLBACK enum_cb(LPVOID param, PWAH_HANDLE_CONTEXT h)
{
    struct enum_state *st = param;
    struct ctx *c = (struct ctx *)h;
    if (c->magic != ALIVE) st->bad++;
    st->seen++;
    if (st->remove)
    {
        /* re-entrant: remove the context being visited, then look it up */
        if (pWahRemoveHandleContext(st->t, h) != ERROR_SUCCESS) st->bad++;
        if (pWahReferenceContextByHandle(st->t, h->Handle)) st->bad++;
    }
    return st->seen != st->stop_at;
}

static void test_enumerate(void)
{
    enum { N = 1000 };
    PWAH_HANDLE_TABLE t = NULL;
    struct ctx *all[N];
    struct enum_state st;
    int i;

    pWahCreateHandleContextTable(&t);
    for (i = 0; i < N; i++)
    {
        all[i] = new_ctx(4 + 4 * i);
        pWahInsertHandleContext(t, &all[i]->hdr);
    }
    memset(&st, 0, sizeof(st));
    st.t = t;
    st.stop_at = -1;
    check(pWahEnumerateHandleContexts(t, enum_cb, &st) && st.seen == N && !st.bad, "enumerate visits every context once");
    memset(&st, 0, sizeof(st));
    st.t = t;
    st.stop_at = 10;
    check(!pWahEnumerateHandleContexts(t, enum_cb, &st) && st.seen == 10, "enumerate stops when the callback returns FALSE");
    memset(&st, 0, sizeof(st));
    st.t = t;
    st.stop_at = -1;
    st.remove = 1;
    check(pWahEnumerateHandleContexts(t, enum_cb, &st) && st.seen == N && !st.bad,
          "the callback may remove the context it is given");
    for (i = 0; i < N; i++)
        if (pWahReferenceContextByHandle(t, (HANDLE)(ULONG_PTR)(4 + 4 * i))) break;
    check(i == N, "table empty after removing from the callback");
    pWahDestroyHandleContextTable(t);
    for (i = 0; i < N; i++) free(all[i]);
}

static void test_many(void)
{
    enum { N = 100000 };
    PWAH_HANDLE_TABLE t = NULL;
    struct ctx **all = calloc(N, sizeof(*all));
    int i, bad = 0;
    DWORD start = GetTickCount();

    pWahCreateHandleContextTable(&t);
    for (i = 0; i < N; i++)
    {
        all[i] = new_ctx(4 + 4 * (ULONG_PTR)i);
        if (pWahInsertHandleContext(t, &all[i]->hdr) != &all[i]->hdr) bad++;
    }
    check(!bad, "100000 inserts");
    for (i = 0; i < N; i++)
    {
        PWAH_HANDLE_CONTEXT r = pWahReferenceContextByHandle(t, (HANDLE)(4 + 4 * (ULONG_PTR)i));
        if (r != &all[i]->hdr) bad++;
        else InterlockedDecrement(&r->RefCount);
    }
    check(!bad, "100000 lookups find their contexts");
    for (i = 0; i < N; i++)
        if (pWahRemoveHandleContext(t, &all[i]->hdr) != ERROR_SUCCESS) bad++;
    check(!bad, "100000 removals");
    for (i = 0; i < N; i += 97)
        if (pWahReferenceContextByHandle(t, (HANDLE)(4 + 4 * (ULONG_PTR)i))) bad++;
    check(!bad, "nothing found after removing all");
    printf("# 100000 handles inserted, looked up and removed in %lu ms\n", (unsigned long)(GetTickCount() - start));
    pWahDestroyHandleContextTable(t);
    for (i = 0; i < N; i++) free(all[i]);
    free(all);
}

/* ---- threads ---- */

#define THREADS 8
#define SHARED 256
#define ITER 40000

struct worker
{
    PWAH_HANDLE_TABLE t;
    unsigned int seed;
    long allocs, frees, found, bad;
    struct ctx *grave;
};

static void drop(struct worker *w, struct ctx *c)
{
    LONG left = InterlockedDecrement(&c->hdr.RefCount);
    if (left < 0) w->bad++;
    if (left == 0)
    {
        if (InterlockedCompareExchange(&c->magic, DEAD, ALIVE) != ALIVE) w->bad++;
        c->grave_next = w->grave;   /* kept until the end: late uses are seen as DEAD */
        w->grave = c;
        w->frees++;
    }
}

static DWORD WINAPI worker_main(LPVOID arg)
{
    struct worker *w = arg;
    int i;

    for (i = 0; i < ITER; i++)
    {
        unsigned int r;
        ULONG_PTR h;
        w->seed = w->seed * 1103515245u + 12345u;
        r = (w->seed >> 8) & 0xffffff;
        h = 4 * (1 + r % SHARED);
        switch ((r >> 12) % 10)
        {
        case 0: case 1:
        {
            struct ctx *c = new_ctx(h);
            PWAH_HANDLE_CONTEXT old;
            w->allocs++;
            old = pWahInsertHandleContext(w->t, &c->hdr);
            if (!old) w->bad++;
            else if (old != &c->hdr) drop(w, (struct ctx *)old);
            break;
        }
        case 2:
        {
            PWAH_HANDLE_CONTEXT ctx = pWahReferenceContextByHandle(w->t, (HANDLE)h);
            if (ctx)
            {
                if (((struct ctx *)ctx)->magic != ALIVE) w->bad++;
                if (pWahRemoveHandleContext(w->t, ctx) == ERROR_SUCCESS) drop(w, (struct ctx *)ctx);
                drop(w, (struct ctx *)ctx);
            }
            break;
        }
        default:
        {
            PWAH_HANDLE_CONTEXT ctx = pWahReferenceContextByHandle(w->t, (HANDLE)h);
            if (ctx)
            {
                w->found++;
                if (ctx->Handle != (HANDLE)h || ((struct ctx *)ctx)->magic != ALIVE) w->bad++;
                drop(w, (struct ctx *)ctx);
            }
        }
        }
    }
    return 0;
}

static BOOL CALLBACK drain_cb(LPVOID param, PWAH_HANDLE_CONTEXT h)
{
    struct worker *w = param;
    if (pWahRemoveHandleContext(w->t, h) != ERROR_SUCCESS) w->bad++;
    drop(w, (struct ctx *)h);
    return TRUE;
}

static void test_threads(void)
{
    PWAH_HANDLE_TABLE t = NULL;
    struct worker w[THREADS + 1];
    HANDLE th[THREADS];
    long allocs = 0, frees = 0, found = 0, bad = 0;
    int i;

    pWahCreateHandleContextTable(&t);
    memset(w, 0, sizeof(w));
    for (i = 0; i < THREADS; i++)
    {
        w[i].t = t;
        w[i].seed = 1000 + 31 * i;
        th[i] = CreateThread(NULL, 0, worker_main, &w[i], 0, NULL);
        if (!th[i]) bad++;
    }
    WaitForMultipleObjects(THREADS, th, TRUE, INFINITE);
    for (i = 0; i < THREADS; i++) CloseHandle(th[i]);
    w[THREADS].t = t;
    pWahEnumerateHandleContexts(t, drain_cb, &w[THREADS]);
    for (i = 0; i <= THREADS; i++)
    {
        allocs += w[i].allocs;
        frees += w[i].frees;
        found += w[i].found;
        bad += w[i].bad;
        while (w[i].grave)
        {
            struct ctx *c = w[i].grave;
            w[i].grave = c->grave_next;
            if (c->hdr.RefCount != 0) bad++;
            free(c);
        }
    }
    check(!bad, "8 threads: no context used after its last reference, refcounts consistent");
    check(allocs == frees, "8 threads: every context freed exactly once");
    check(found > 0, "8 threads: lookups found contexts");
    printf("# %ld contexts, %ld successful lookups\n", allocs, found);
    pWahDestroyHandleContextTable(t);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (!load())
    {
        printf("FAIL - ws2_32.dll Wah* handle-context exports not found\n");
        return 1;
    }
    check(1, "Wah* handle-context exports found");
    test_arguments();
    test_semantics();
    test_enumerate();
    test_many();
    test_threads();
    printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
    return failures ? 1 : 0;
}
