/* module_list.c - the process' lists of loaded provider DLLs (include/module_list.h), shared by the
 * transport and the namespace provider loaders.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "module_list.h"
#include "trace.h"

struct loaded_module *module_ref(struct loaded_module *m)
{
    if (m) InterlockedIncrement(&m->refs);
    return m;
}

void module_release(struct loaded_module *m)
{
    if (!m || InterlockedDecrement(&m->refs)) return;
    TRACE_SPI("%s %p: FreeLibrary(%p)", m->kind, (void *)m, (void *)m->module);
    if (m->module) FreeLibrary(m->module);
    free(m);
}

struct loaded_module *module_list_find_if(struct module_list *l,
                                          BOOL (*match)(const struct loaded_module *m, const void *ctx),
                                          const void *ctx)
{
    struct loaded_module *m;

    AcquireSRWLockShared(&l->lock);
    for (m = l->head; m; m = m->next)
        if (match(m, ctx)) break;
    module_ref(m);
    ReleaseSRWLockShared(&l->lock);
    return m;
}

static BOOL match_id(const struct loaded_module *m, const void *id)
{
    return !memcmp(&m->id, id, sizeof(GUID));
}

struct loaded_module *module_list_find(struct module_list *l, const GUID *id)
{
    return module_list_find_if(l, match_id, id);
}

void module_list_add(struct module_list *l, struct loaded_module *m)
{
    AcquireSRWLockExclusive(&l->lock);
    m->next = l->head;
    l->head = module_ref(m);
    ReleaseSRWLockExclusive(&l->lock);
}

struct loaded_module *module_list_take_all(struct module_list *l)
{
    struct loaded_module *list;

    AcquireSRWLockExclusive(&l->lock);
    list = l->head;
    l->head = NULL;
    ReleaseSRWLockExclusive(&l->lock);
    return list;
}

BOOL module_list_loading_here(const struct module_list *l)
{
    return l->loading_thread == GetCurrentThreadId();
}

void module_list_set_loading(struct module_list *l, BOOL loading)
{
    l->loading_thread = loading ? GetCurrentThreadId() : 0;
}
