/* handle_table.h - the handle-context table: maps a HANDLE (every SOCKET, IFS or non-IFS) to a
 * reference-counted context. O(1), thread-safe; a context found by handle_table_reference is never
 * freed before its reference is dropped. Windows' Wah* handle-context exports are thin wrappers over
 * it (src/core/wah_context.c). Portable: builds in the DLL and in the host unit tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_HANDLE_TABLE_H
#define OPENWS2_HANDLE_TABLE_H

#include "ws2_common.h"

/* Layout-compatible with Windows' WAH_HANDLE_CONTEXT (ws2help): callers embed it at the start of
 * their own context. refcount is owned by the caller: the table never frees a context. */
typedef struct wah_handle_context
{
    LIST_ENTRY entry;
    volatile LONG refcount;
    HANDLE handle;
} wah_handle_context;

struct handle_table;

typedef BOOL (CALLBACK *handle_table_enum_fn)(LPVOID param, wah_handle_context *ctx);

DWORD handle_table_create(struct handle_table **out);       /* ERROR_SUCCESS or an error */
DWORD handle_table_destroy(struct handle_table *table);
/* Inserts ctx under ctx->handle. Windows' WahInsertHandleContext semantics (see handle_table.c). */
wah_handle_context *handle_table_insert(struct handle_table *table, wah_handle_context *ctx);
/* Finds the context for handle and increments its refcount while the table lock is held. */
wah_handle_context *handle_table_reference(struct handle_table *table, HANDLE handle);
/* handle_table_reference for count handles at once (each part of the table locked once): out[i] is
 * the referenced context of handles[i] or NULL. Returns how many were found. */
size_t handle_table_reference_many(struct handle_table *table, const HANDLE *handles, size_t count,
                                   wah_handle_context **out);
/* Looks count handles up without taking references (each part of the table locked once): fn(ctx or
 * NULL, index, arg) runs for each handle under the table's lock, so ctx may be read but not kept
 * after fn returns. Returns how many were found. */
typedef void (*handle_table_inspect_fn)(wah_handle_context *ctx, size_t index, void *arg);
size_t handle_table_inspect_many(struct handle_table *table, const HANDLE *handles, size_t count,
                                 handle_table_inspect_fn fn, void *arg);
/* Removes ctx if it is the context stored for ctx->handle: ERROR_SUCCESS, else ERROR_INVALID_PARAMETER. */
DWORD handle_table_remove(struct handle_table *table, wah_handle_context *ctx);
/* Calls fn for each context until it returns FALSE; returns the last result. */
BOOL handle_table_enumerate(struct handle_table *table, handle_table_enum_fn fn, LPVOID param);

/* Introspection for tests and diagnostics: sizes and probe lengths (a context's probe length is the
 * number of slots a lookup of its handle examines). */
struct handle_table_stats
{
    size_t count;               /* contexts stored */
    size_t capacity;            /* slots allocated, all stripes */
    size_t tombstones;
    size_t max_stripe_capacity;
    size_t max_probes;
    size_t total_probes;        /* sum over all contexts (average = total_probes / count) */
};
void handle_table_stats(struct handle_table *table, struct handle_table_stats *stats);

#endif
