/* fake_registry.c - the registry half of the OS seam (os.h) for the host unit tests: an in-memory
 * HKEY_LOCAL_MACHINE with RegXxxA semantics (case-insensitive names, ERROR_MORE_DATA, ordered subkey
 * enumeration), subtree change watches and a recursive catalog lock. Thread-safe.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h" /* first: Wine's winsock2.h must precede the C library headers */
#include <stdlib.h>
#include <strings.h>
#include "fake_registry.h"

struct value
{
    struct value *next;
    char *name;
    DWORD type, len;
    unsigned char *data;
};

struct node
{
    char *name;
    struct node *parent, *children, *sibling; /* children sorted by name (case-insensitive) */
    struct value *values;
    unsigned long stamp;                      /* bumped on any change in this subtree */
    BOOL deleted;
    struct node *graveyard_next;              /* deleted nodes are kept until reset (open handles) */
};

struct os_regkey { struct node *node; };
struct os_regwatch { struct node *node; unsigned long stamp; };

static pthread_mutex_t reg_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct node root = {.name = "HKEY_LOCAL_MACHINE"};
static struct node *graveyard;
static int fail_sets;
static LONG fail_err;

static pthread_mutex_t cat_mutex;
static pthread_once_t cat_once = PTHREAD_ONCE_INIT;
static int cat_depth;

static char *dupstr(const char *s, size_t n)
{
    char *r = malloc(n + 1);
    if (!r) abort();
    memcpy(r, s, n);
    r[n] = 0;
    return r;
}

static void touch(struct node *n)
{
    for (; n; n = n->parent) n->stamp++;
}

static void free_values(struct value *v)
{
    while (v)
    {
        struct value *next = v->next;
        free(v->name);
        free(v->data);
        free(v);
        v = next;
    }
}

/* Unlinks the subtree below n (not n itself) into the graveyard. */
static void bury_children(struct node *n)
{
    struct node *c = n->children;
    while (c)
    {
        struct node *next = c->sibling;
        bury_children(c);
        free_values(c->values);
        c->values = NULL;
        c->deleted = TRUE;
        c->graveyard_next = graveyard;
        graveyard = c;
        c = next;
    }
    n->children = NULL;
}

void fake_registry_reset(void)
{
    pthread_mutex_lock(&reg_mutex);
    bury_children(&root);
    free_values(root.values);
    root.values = NULL;
    touch(&root);
    fail_sets = 0;
    pthread_mutex_unlock(&reg_mutex);
}

void fake_registry_fail_sets(int n, LONG err)
{
    pthread_mutex_lock(&reg_mutex);
    fail_sets = n;
    fail_err = err;
    pthread_mutex_unlock(&reg_mutex);
}

static struct node *find_child(struct node *n, const char *name, size_t len)
{
    struct node *c;
    for (c = n->children; c; c = c->sibling)
        if (strlen(c->name) == len && !strncasecmp(c->name, name, len)) return c;
    return NULL;
}

static struct node *add_child(struct node *n, const char *name, size_t len)
{
    struct node *c = calloc(1, sizeof(*c)), **pos;
    if (!c) abort();
    c->name = dupstr(name, len);
    c->parent = n;
    for (pos = &n->children; *pos && strcasecmp((*pos)->name, c->name) < 0; pos = &(*pos)->sibling) {}
    c->sibling = *pos;
    *pos = c;
    touch(n);
    return c;
}

static struct node *node_of(os_regkey *key) { return key ? key->node : &root; }

LONG os_reg_open(os_regkey *parent, const char *path, BOOL create, BOOL write, os_regkey **out)
{
    struct node *n;
    const char *p = path;
    (void)write;

    if (!path || !out) return ERROR_INVALID_PARAMETER;
    *out = NULL;
    pthread_mutex_lock(&reg_mutex);
    n = node_of(parent);
    if (n->deleted)
    {
        pthread_mutex_unlock(&reg_mutex);
        return ERROR_KEY_DELETED;
    }
    while (*p)
    {
        const char *end = strchr(p, '\\');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        struct node *c;
        if (len)
        {
            c = find_child(n, p, len);
            if (!c)
            {
                if (!create)
                {
                    pthread_mutex_unlock(&reg_mutex);
                    return ERROR_FILE_NOT_FOUND;
                }
                c = add_child(n, p, len);
            }
            n = c;
        }
        p += len;
        if (*p == '\\') p++;
    }
    pthread_mutex_unlock(&reg_mutex);
    if (!(*out = malloc(sizeof(**out)))) abort();
    (*out)->node = n;
    return ERROR_SUCCESS;
}

void os_reg_close(os_regkey *key)
{
    free(key);
}

static struct value *find_value(struct node *n, const char *name)
{
    struct value *v;
    if (!name) name = "";
    for (v = n->values; v; v = v->next)
        if (!strcasecmp(v->name, name)) return v;
    return NULL;
}

LONG os_reg_get(os_regkey *key, const char *name, DWORD *type, void *data, DWORD *len)
{
    struct node *n;
    struct value *v;
    LONG ret = ERROR_SUCCESS;

    if (data && !len) return ERROR_INVALID_PARAMETER;
    pthread_mutex_lock(&reg_mutex);
    n = node_of(key);
    if (n->deleted) ret = ERROR_KEY_DELETED;
    else if (!(v = find_value(n, name))) ret = ERROR_FILE_NOT_FOUND;
    else
    {
        if (type) *type = v->type;
        if (data)
        {
            if (*len < v->len) ret = ERROR_MORE_DATA;
            else memcpy(data, v->data, v->len);
        }
        if (len) *len = v->len;
    }
    pthread_mutex_unlock(&reg_mutex);
    return ret;
}

LONG os_reg_set(os_regkey *key, const char *name, DWORD type, const void *data, DWORD len)
{
    struct node *n;
    struct value *v;
    LONG ret = ERROR_SUCCESS;

    if (len && !data) return ERROR_INVALID_PARAMETER; /* as RegSetValueExA: ERROR_NOACCESS */
    pthread_mutex_lock(&reg_mutex);
    n = node_of(key);
    if (fail_sets)
    {
        fail_sets--;
        ret = fail_err;
    }
    else if (n->deleted) ret = ERROR_KEY_DELETED;
    else
    {
        if (!name) name = "";
        if (!(v = find_value(n, name)))
        {
            if (!(v = calloc(1, sizeof(*v)))) abort();
            v->name = dupstr(name, strlen(name));
            v->next = n->values;
            n->values = v;
        }
        free(v->data);
        v->data = malloc(len ? len : 1);
        if (!v->data) abort();
        if (len) memcpy(v->data, data, len);
        v->len = len;
        v->type = type;
        touch(n);
    }
    pthread_mutex_unlock(&reg_mutex);
    return ret;
}

LONG os_reg_delete_value(os_regkey *key, const char *name)
{
    struct node *n;
    struct value **pv;
    LONG ret = ERROR_FILE_NOT_FOUND;

    pthread_mutex_lock(&reg_mutex);
    n = node_of(key);
    if (!name) name = "";
    if (n->deleted) ret = ERROR_KEY_DELETED;
    else
        for (pv = &n->values; *pv; pv = &(*pv)->next)
            if (!strcasecmp((*pv)->name, name))
            {
                struct value *v = *pv;
                *pv = v->next;
                v->next = NULL;
                free_values(v);
                touch(n);
                ret = ERROR_SUCCESS;
                break;
            }
    pthread_mutex_unlock(&reg_mutex);
    return ret;
}

LONG os_reg_enum_key(os_regkey *key, DWORD index, char *name, DWORD size)
{
    struct node *n, *c;
    LONG ret = ERROR_NO_MORE_ITEMS;

    pthread_mutex_lock(&reg_mutex);
    n = node_of(key);
    if (n->deleted) ret = ERROR_KEY_DELETED;
    else
    {
        for (c = n->children; c && index; c = c->sibling) index--;
        if (c)
        {
            if (strlen(c->name) + 1 > size) ret = ERROR_MORE_DATA;
            else
            {
                memcpy(name, c->name, strlen(c->name) + 1);
                ret = ERROR_SUCCESS;
            }
        }
    }
    pthread_mutex_unlock(&reg_mutex);
    return ret;
}

LONG os_reg_delete_tree(os_regkey *key, const char *path)
{
    struct node *n, *target, **pc;
    os_regkey *sub;
    LONG ret;

    if (!path) return ERROR_INVALID_PARAMETER;
    if ((ret = os_reg_open(key, path, FALSE, TRUE, &sub))) return ret;
    pthread_mutex_lock(&reg_mutex);
    target = sub->node;
    n = target->parent;
    if (target == &root || target == node_of(key) || !n) ret = ERROR_ACCESS_DENIED;
    else
    {
        bury_children(target);
        free_values(target->values);
        target->values = NULL;
        for (pc = &n->children; *pc; pc = &(*pc)->sibling)
            if (*pc == target)
            {
                *pc = target->sibling;
                break;
            }
        target->deleted = TRUE;
        target->graveyard_next = graveyard;
        graveyard = target;
        touch(n);
    }
    pthread_mutex_unlock(&reg_mutex);
    os_reg_close(sub);
    return ret;
}

/* ---- watches ---- */
LONG os_reg_watch_open(const char *path, os_regwatch **out)
{
    os_regkey *key;
    LONG ret;

    if (!out) return ERROR_INVALID_PARAMETER;
    *out = NULL;
    if ((ret = os_reg_open(NULL, path, FALSE, FALSE, &key))) return ret;
    if (!(*out = malloc(sizeof(**out)))) abort();
    pthread_mutex_lock(&reg_mutex);
    (*out)->node = key->node;
    (*out)->stamp = key->node->stamp;
    pthread_mutex_unlock(&reg_mutex);
    os_reg_close(key);
    return ERROR_SUCCESS;
}

BOOL os_reg_watch_changed(os_regwatch *w)
{
    BOOL changed;
    if (!w) return TRUE;
    pthread_mutex_lock(&reg_mutex);
    changed = w->node->deleted || w->node->stamp != w->stamp;
    w->stamp = w->node->stamp;
    pthread_mutex_unlock(&reg_mutex);
    return changed;
}

void os_reg_watch_close(os_regwatch *w)
{
    free(w);
}

/* ---- the catalog lock ---- */
static void cat_init(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&cat_mutex, &attr);
    pthread_mutexattr_destroy(&attr);
}

void os_catalog_lock(void)
{
    pthread_once(&cat_once, cat_init);
    pthread_mutex_lock(&cat_mutex);
    __atomic_add_fetch(&cat_depth, 1, __ATOMIC_SEQ_CST);
}

void os_catalog_unlock(void)
{
    __atomic_sub_fetch(&cat_depth, 1, __ATOMIC_SEQ_CST);
    pthread_mutex_unlock(&cat_mutex);
}

int fake_registry_lock_depth(void)
{
    return __atomic_load_n(&cat_depth, __ATOMIC_SEQ_CST);
}
