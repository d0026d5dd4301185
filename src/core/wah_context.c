/* wah_context.c - the Wah* handle-context exports of ws2_32 (WahCreateHandleContextTable,
 * WahDestroyHandleContextTable, WahInsertHandleContext, WahReferenceContextByHandle,
 * WahRemoveHandleContext, WahEnumerateHandleContexts): argument checks, tracing, and the handle
 * table (src/core/handle_table.c, whose header comment documents the semantics, those of Windows).
 * Tables are opaque to callers; contexts start with Windows' WAH_HANDLE_CONTEXT layout
 * (LIST_ENTRY Entry; LONG RefCount; HANDLE Handle).
 * Bad arguments: the DWORD functions return ERROR_INVALID_PARAMETER, the pointer ones NULL and the
 * BOOL one FALSE, with the thread's last error set to ERROR_INVALID_PARAMETER. Successful calls
 * leave the last error alone.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "handle_table.h"
#include "trace.h"

DWORD WINAPI WahCreateHandleContextTable(struct handle_table **Table);
DWORD WINAPI WahDestroyHandleContextTable(struct handle_table *Table);
wah_handle_context *WINAPI WahInsertHandleContext(struct handle_table *Table, wah_handle_context *HandleContext);
wah_handle_context *WINAPI WahReferenceContextByHandle(struct handle_table *Table, HANDLE Handle);
DWORD WINAPI WahRemoveHandleContext(struct handle_table *Table, wah_handle_context *HandleContext);
BOOL WINAPI WahEnumerateHandleContexts(struct handle_table *Table, handle_table_enum_fn Callback, LPVOID Context);

DWORD WINAPI WahCreateHandleContextTable(struct handle_table **Table)
{
    DWORD r = handle_table_create(Table);   /* NULL Table: ERROR_INVALID_PARAMETER */
    TRACE_API("WahCreateHandleContextTable(Table %p) -> %lu (table %p)", (void *)Table, (unsigned long)r,
              (void *)(Table && r == ERROR_SUCCESS ? *Table : NULL));
    return r;
}

DWORD WINAPI WahDestroyHandleContextTable(struct handle_table *Table)
{
    DWORD r = handle_table_destroy(Table);  /* NULL Table: ERROR_INVALID_PARAMETER */
    TRACE_API("WahDestroyHandleContextTable(Table %p) -> %lu", (void *)Table, (unsigned long)r);
    return r;
}

wah_handle_context *WINAPI WahInsertHandleContext(struct handle_table *Table, wah_handle_context *HandleContext)
{
    wah_handle_context *r = NULL;

    if (!Table || !HandleContext) SetLastError(ERROR_INVALID_PARAMETER);
    else if (!(r = handle_table_insert(Table, HandleContext))) SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    TRACE_API("WahInsertHandleContext(Table %p HandleContext %p handle %p) -> %p%s", (void *)Table,
              (void *)HandleContext, HandleContext ? (void *)HandleContext->handle : NULL, (void *)r,
              r && r != HandleContext ? " (replaced)" : "");
    return r;
}

wah_handle_context *WINAPI WahReferenceContextByHandle(struct handle_table *Table, HANDLE Handle)
{
    wah_handle_context *r = NULL;

    if (!Table) SetLastError(ERROR_INVALID_PARAMETER);
    else r = handle_table_reference(Table, Handle);
    TRACE_API("WahReferenceContextByHandle(Table %p Handle %p) -> %p", (void *)Table, (void *)Handle, (void *)r);
    return r;
}

DWORD WINAPI WahRemoveHandleContext(struct handle_table *Table, wah_handle_context *HandleContext)
{
    DWORD r = handle_table_remove(Table, HandleContext);   /* NULLs: ERROR_INVALID_PARAMETER */
    TRACE_API("WahRemoveHandleContext(Table %p HandleContext %p) -> %lu", (void *)Table, (void *)HandleContext,
              (unsigned long)r);
    return r;
}

BOOL WINAPI WahEnumerateHandleContexts(struct handle_table *Table, handle_table_enum_fn Callback, LPVOID Context)
{
    BOOL r = FALSE;

    if (!Table || !Callback) SetLastError(ERROR_INVALID_PARAMETER);
    else r = handle_table_enumerate(Table, Callback, Context);
    TRACE_API("WahEnumerateHandleContexts(Table %p Callback %p Context %p) -> %d", (void *)Table,
              (void *)(uintptr_t)Callback, (void *)Context, r);
    return r;
}
