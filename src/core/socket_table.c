/* socket_table.c - ws2_32's own sockets (include/socket_table.h): one reference-counted ws_socket
 * per SOCKET in the process' handle table (src/core/handle_table.c).
 *
 * Reference protocol: the table holds one reference on every registered socket; socket_get adds
 * one (taken under the handle table's lock, so it cannot race with the removal) and socket_put
 * drops it. The table's reference is dropped exactly once: by socket_unregister when it is the call
 * that removes the socket from the table, or by socket_register when a layered provider registers
 * the same handle again (the new socket replaces the old one, as ws2_32 does on Windows). The last
 * reference frees the ws_socket and releases its provider (provider_release). The non-IFS
 * bookkeeping pointer (nonifs) is owned by upcall.c and not freed here.
 * Builds in the DLL and in the host unit tests (where the tests supply provider_ref/release).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "socket_table.h"
#ifdef OPENWS2_HOST
struct provider *provider_ref(struct provider *p);
void provider_release(struct provider *p);
#else
# include "provider.h"
#endif
#include <stdlib.h>

/* Created once (socket_table_init or the first registration) and kept for the process' lifetime:
 * a call racing with WSACleanup never sees it freed. */
static struct handle_table *volatile socket_handles;
static os_rwlock socket_init_lock = OS_RWLOCK_INIT;

static struct handle_table *sockets(void)
{
    return __atomic_load_n(&socket_handles, __ATOMIC_ACQUIRE);
}

int socket_table_init(void)
{
    struct handle_table *table;
    int err = 0;

    if (sockets()) return 0;
    os_rwlock_exclusive(&socket_init_lock);
    if (!sockets())
    {
        if (handle_table_create(&table) == ERROR_SUCCESS)
            __atomic_store_n(&socket_handles, table, __ATOMIC_RELEASE);
        else err = WSAENOBUFS;
    }
    os_rwlock_unlock_exclusive(&socket_init_lock);
    return err;
}

static void socket_free(struct ws_socket *sock)
{
    if (sock->provider) provider_release(sock->provider);
    free(sock);
}

void socket_put(struct ws_socket *sock)
{
    if (!sock) return;
    if (os_atomic_dec(&sock->hdr.refcount) == 0) socket_free(sock);
}

struct ws_socket *socket_register(SOCKET s, DWORD catalog_id, struct provider *provider, BOOL ifs,
                                  DWORD_PTR context, int *err)
{
    struct ws_socket *sock;
    wah_handle_context *old;
    int dummy;

    if (!err) err = &dummy;
    if (s == INVALID_SOCKET || s == 0)
    {
        *err = WSAEINVAL;
        return NULL;
    }
    if ((*err = socket_table_init())) return NULL;
    if (!(sock = calloc(1, sizeof(*sock))))
    {
        *err = WSAENOBUFS;
        return NULL;
    }
    sock->hdr.handle = (HANDLE)s;
    sock->hdr.refcount = 1;                 /* the table's reference */
    sock->provider = provider ? provider_ref(provider) : NULL;
    sock->catalog_id = catalog_id;
    sock->ifs = ifs;
    sock->context = context;

    old = handle_table_insert(sockets(), &sock->hdr);
    if (!old)
    {
        socket_free(sock);
        *err = WSAENOBUFS;
        return NULL;
    }
    /* An underlying layer's socket for the same handle was replaced: drop the table's reference. */
    if (old != &sock->hdr) socket_put((struct ws_socket *)old);
    *err = 0;
    return sock;
}

struct ws_socket *socket_get(SOCKET s)
{
    struct handle_table *table = sockets();

    if (!table || s == INVALID_SOCKET) return NULL;
    return (struct ws_socket *)handle_table_reference(table, (HANDLE)s);
}

size_t socket_get_many(const SOCKET *s, size_t n, struct ws_socket **out)
{
    _Static_assert(sizeof(SOCKET) == sizeof(HANDLE), "a SOCKET is a HANDLE-sized value");
    /* INVALID_SOCKET is never registered (socket_register refuses it), so it is simply not found. */
    return handle_table_reference_many(sockets(), (const HANDLE *)s, n, (wah_handle_context **)out);
}

struct socket_inspect
{
    socket_inspect_fn fn;
    void *arg;
};

static void socket_inspect_one(wah_handle_context *ctx, size_t index, void *arg)
{
    struct socket_inspect *in = arg;
    in->fn((const struct ws_socket *)ctx, index, in->arg);
}

size_t socket_inspect_many(const SOCKET *s, size_t n, socket_inspect_fn fn, void *arg)
{
    struct socket_inspect in = { fn, arg };
    return handle_table_inspect_many(sockets(), (const HANDLE *)s, n, socket_inspect_one, &in);
}

void socket_unregister(struct ws_socket *sock)
{
    struct handle_table *table = sockets();

    if (!sock || !table) return;
    /* Only the call that actually removes it drops the table's reference (idempotent). */
    if (handle_table_remove(table, &sock->hdr) == ERROR_SUCCESS) socket_put(sock);
}

struct socket_snapshot
{
    struct ws_socket **items;
    size_t count, size;
    BOOL truncated;            /* memory ran out: some sockets are not in items */
};

static BOOL CALLBACK socket_collect(LPVOID param, wah_handle_context *ctx)
{
    struct socket_snapshot *snap = param;
    struct ws_socket *sock = (struct ws_socket *)ctx;

    if (snap->truncated) return TRUE;
    if (snap->count == snap->size)
    {
        size_t size = snap->size ? snap->size * 2 : 64;
        struct ws_socket **items = realloc(snap->items, size * sizeof(*items));
        if (items)
        {
            snap->items = items;
            snap->size = size;
        }
        else
        {
            snap->truncated = TRUE;
            return TRUE;
        }
    }
    os_atomic_inc(&sock->hdr.refcount);
    snap->items[snap->count++] = sock;
    return TRUE;
}

struct socket_direct
{
    BOOL (*fn)(struct ws_socket *sock, void *param);
    void *param;
    struct socket_snapshot *snap;
};

static BOOL CALLBACK socket_visit_direct(LPVOID param, wah_handle_context *ctx)
{
    struct socket_direct *d = param;
    struct ws_socket *sock = (struct ws_socket *)ctx;
    size_t i;

    BOOL go_on;

    for (i = 0; i < d->snap->count; i++)
        if (d->snap->items[i] == sock) return TRUE;    /* already visited from the snapshot */
    /* Referenced during the call, as in the snapshot path. */
    os_atomic_inc(&sock->hdr.refcount);
    go_on = d->fn(sock, d->param);
    socket_put(sock);
    return go_on;
}

void socket_table_enumerate(BOOL (*fn)(struct ws_socket *sock, void *param), void *param)
{
    struct handle_table *table = sockets();
    struct socket_snapshot snap = { NULL, 0, 0, FALSE };
    BOOL go_on = TRUE;
    size_t i;

    if (!table || !fn) return;
    /* Snapshot with a reference on each socket, then call fn without any table lock held, so fn
     * may call into providers and the socket API freely. */
    handle_table_enumerate(table, socket_collect, &snap);
    for (i = 0; i < snap.count; i++)
    {
        if (go_on) go_on = fn(snap.items[i], param);
    }
    if (go_on && snap.truncated)
    {
        /* The snapshot was cut short by a lack of memory: visit the rest under the table's lock
         * (re-entrant for this thread, so fn may still unregister the socket it is given). */
        struct socket_direct d = { fn, param, &snap };
        handle_table_enumerate(table, socket_visit_direct, &d);
    }
    for (i = 0; i < snap.count; i++) socket_put(snap.items[i]);
    free(snap.items);
}

void socket_table_cleanup(void)
{
    struct handle_table *table = sockets();
    struct ws_socket *sock;

    if (!table) return;
    /* Unregister every socket still registered (drops the table's references; sockets another
     * thread still holds are freed by its socket_put). The table itself stays for reuse. */
    for (;;)
    {
        struct socket_snapshot snap = { NULL, 0, 0, FALSE };
        size_t i, n;

        handle_table_enumerate(table, socket_collect, &snap);
        n = snap.count;
        for (i = 0; i < n; i++)
        {
            sock = snap.items[i];
            socket_unregister(sock);
            socket_put(sock);
        }
        free(snap.items);
        if (!snap.truncated) break;    /* complete snapshot: everything was unregistered */
        if (!n) break;          /* no memory at all: give up rather than spin */
    }
}
