/* resolve_thread.c - per-thread result buffers for inet_ntoa, getserv* and getproto* (see
 * resolve_thread.h). The block is one LocalAlloc allocation kept in a fiber-local-storage slot
 * whose callback is LocalFree itself: the thread's block is freed when the thread ends without any
 * code of ours running then, so a ws2_32 unloaded by FreeLibrary leaves no dangling callback and
 * needs no DllMain hook. DLL only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "resolve_thread.h"

static DWORD fls_index = FLS_OUT_OF_INDEXES;
static INIT_ONCE fls_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK alloc_index(INIT_ONCE *once, void *param, void **context)
{
    (void)once; (void)param; (void)context;
    /* LocalFree(HLOCAL) has the FLS callback's shape: one pointer argument, WINAPI; its result is
     * ignored. (The cast goes through a generic function pointer type.) */
    fls_index = FlsAlloc((PFLS_CALLBACK_FUNCTION)(void (*)(void))LocalFree);
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
        data = LocalAlloc(LPTR, sizeof(*data));
        if (data && !FlsSetValue(fls_index, data))
        {
            LocalFree(data);
            data = NULL;
        }
    }
done:
    SetLastError(saved);
    return data;
}
