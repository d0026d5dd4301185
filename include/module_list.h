/* module_list.h - the process' list of loaded provider DLLs, one per provider GUID, reference counted:
 * the part the transport provider loader (src/core/provider.c) and the namespace provider loader
 * (src/namespace/nsp_loader.c) share: find, ref, release (FreeLibrary with the last reference), add,
 * detach all at the last WSACleanup, and the guard against a startup routine that asks for a provider
 * of the list it is being loaded into. Each loader keeps its own load lock and startup call.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_MODULE_LIST_H
#define OPENWS2_MODULE_LIST_H

#include "ws2_common.h"

/* The first member of a loader's calloc'd provider object (released with free()). */
struct loaded_module
{
    LONG refs;
    GUID id;                    /* ProviderId / NSProviderId */
    HMODULE module;
    const char *kind;           /* for traces: "provider", "nsp" */
    struct loaded_module *next; /* the list's link */
};

struct module_list
{
    SRWLOCK lock;                   /* guards head */
    struct loaded_module *head;     /* each holds one reference */
    volatile DWORD loading_thread;  /* the thread inside a load (under the loader's load lock) */
};

#define MODULE_LIST_INIT { SRWLOCK_INIT, NULL, 0 }

struct loaded_module *module_ref(struct loaded_module *m);
/* Drops a reference; the last one frees the library and the object. NULL is ignored. */
void module_release(struct loaded_module *m);

/* The module of provider id, referenced; NULL when not loaded. */
struct loaded_module *module_list_find(struct module_list *l, const GUID *id);
/* The first module match accepts, referenced; NULL when none. */
struct loaded_module *module_list_find_if(struct module_list *l,
                                          BOOL (*match)(const struct loaded_module *m, const void *ctx),
                                          const void *ctx);
/* Adds a module just loaded; the list takes a reference of its own. */
void module_list_add(struct module_list *l, struct loaded_module *m);
/* Detaches every module (linked through next, each with the list's reference) and empties the list. */
struct loaded_module *module_list_take_all(struct module_list *l);

/* TRUE when the calling thread is inside a load of this list (its startup routine asks again). */
BOOL module_list_loading_here(const struct module_list *l);
/* Marks the calling thread as loading (TRUE) or done (FALSE); with the loader's load lock held. */
void module_list_set_loading(struct module_list *l, BOOL loading);

#endif
