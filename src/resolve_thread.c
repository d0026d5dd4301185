/* resolve_thread.c - per-thread result buffers for inet_ntoa, getserv* and getproto* (see
 * resolve_thread.h): a fiber-local-storage slot whose callback frees the thread's block when the
 * thread (or fiber) ends, so no DllMain hook is needed. DLL only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "resolve_thread.h"

static DWORD fls_index = FLS_OUT_OF_INDEXES;
static INIT_ONCE fls_once = INIT_ONCE_STATIC_INIT;

static void free_thread_block(struct resolve_thread *data)
{
    if (!data) return;
    if (data->servent) HeapFree(GetProcessHeap(), 0, data->servent);
    if (data->protoent) HeapFree(GetProcessHeap(), 0, data->protoent);
    HeapFree(GetProcessHeap(), 0, data);
}

static void WINAPI fls_callback(void *data)
{
    free_thread_block(data);
}

static BOOL CALLBACK alloc_index(INIT_ONCE *once, void *param, void **context)
{
    (void)once; (void)param; (void)context;
    fls_index = FlsAlloc(fls_callback);
    return TRUE;
}

struct resolve_thread *resolve_thread_get(void)
{
    DWORD saved = GetLastError();
    struct resolve_thread *data = NULL;

    InitOnceExecuteOnce(&fls_once, alloc_index, NULL, NULL);
    if (fls_index == FLS_OUT_OF_INDEXES) goto done;
    data = FlsGetValue(fls_index);
    if (!data)
    {
        data = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*data));
        if (data && !FlsSetValue(fls_index, data))
        {
            HeapFree(GetProcessHeap(), 0, data);
            data = NULL;
        }
    }
done:
    SetLastError(saved);
    return data;
}

void *resolve_thread_block(void **slot, size_t size)
{
    void *block = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size ? size : 1);

    if (!block) return NULL;
    if (*slot) HeapFree(GetProcessHeap(), 0, *slot);
    *slot = block;
    return block;
}
