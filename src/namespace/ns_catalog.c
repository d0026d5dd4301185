/* ns_catalog.c - the namespace catalog's in-memory side: WCHAR helpers, snapshot reference counting
 * and deep copies, entry validation, lookup by provider id, and the edits behind WSCInstallNameSpace*,
 * WSCUnInstallNameSpace*, WSCEnableNSProvider* and WSCWriteNameSpaceOrder* (each builds a new
 * snapshot; the input is never changed). Portable.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include <stdlib.h>
#include "ns_catalog.h"

const GUID ns_tcpip_provider_id = {0x22059d40, 0x7e9e, 0x11cf, {0xae, 0x5a, 0x00, 0xaa, 0x00, 0xa7, 0x11, 0x2b}};
const GUID ns_nla_provider_id = {0x6642243a, 0x3ba8, 0x4aa6, {0xba, 0xa5, 0x2e, 0x0b, 0xd7, 0x1f, 0xdd, 0x83}};

size_t ns_wcslen(const WCHAR *s)
{
    size_t n = 0;
    if (!s) return 0;
    while (s[n]) n++;
    return n;
}

size_t ns_wcsnlen(const WCHAR *s, size_t max)
{
    size_t n = 0;
    if (!s) return 0;
    while (n < max && s[n]) n++;
    return n;
}

int ns_wcscmp(const WCHAR *a, const WCHAR *b)
{
    while (*a && *a == *b)
    {
        a++;
        b++;
    }
    return (int)*a - (int)*b;
}

void ns_ascii_to_wide(const char *s, WCHAR *out, size_t size)
{
    size_t i;
    if (!size) return;
    for (i = 0; i + 1 < size && s[i]; i++) out[i] = (unsigned char)s[i];
    out[i] = 0;
}

struct ns_catalog *ns_catalog_new(enum catalog_view view, size_t count)
{
    struct ns_catalog *cat = calloc(1, sizeof(*cat));

    if (!cat) return NULL;
    if (count && !(cat->entries = calloc(count, sizeof(*cat->entries))))
    {
        free(cat);
        return NULL;
    }
    cat->refs = 1;
    cat->view = view;
    cat->count = count;
    return cat;
}

struct ns_catalog *ns_catalog_ref(struct ns_catalog *cat)
{
    if (cat) os_atomic_inc(&cat->refs);
    return cat;
}

void ns_catalog_release(struct ns_catalog *cat)
{
    size_t i;

    if (!cat || os_atomic_dec(&cat->refs)) return;
    for (i = 0; i < cat->count; i++) free(cat->entries[i].info);
    free(cat->entries);
    free(cat);
}

/* Copies entry src into dst (ProviderInfo duplicated). Returns 0 or WSA_NOT_ENOUGH_MEMORY. */
static int ns_catalog_entry_copy(struct ns_catalog_entry *dst, const struct ns_catalog_entry *src)
{
    *dst = *src;
    dst->info = NULL;
    if (src->info_len && src->info)
    {
        if (!(dst->info = malloc(src->info_len))) return WSA_NOT_ENOUGH_MEMORY;
        memcpy(dst->info, src->info, src->info_len);
    }
    else dst->info_len = 0;
    return 0;
}

int ns_catalog_entry_check(const struct ns_catalog_entry *e)
{
    size_t plen, dlen;

    if (!e) return WSAEFAULT;
    plen = ns_wcsnlen(e->path, NS_CATALOG_PATH_LEN);
    dlen = ns_wcsnlen(e->display, NS_CATALOG_NAME_LEN);
    if (!plen || plen >= NS_CATALOG_PATH_LEN) return WSAEINVAL;
    if (!dlen || dlen >= NS_CATALOG_NAME_LEN) return WSAEINVAL;
    if (e->info_len > NS_CATALOG_MAX_INFO || (e->info_len && !e->info)) return WSAEINVAL;
    return 0;
}

/* A copy of cat with room for extra more entries (count stays cat->count). */
static struct ns_catalog *clone_with_room(const struct ns_catalog *cat, size_t extra)
{
    struct ns_catalog *copy;
    size_t i;

    if (!(copy = ns_catalog_new(cat->view, cat->count + extra))) return NULL;
    copy->count = 0;
    copy->serial = cat->serial;
    copy->from_registry = cat->from_registry;
    for (i = 0; i < cat->count; i++)
    {
        if (ns_catalog_entry_copy(&copy->entries[i], &cat->entries[i]))
        {
            ns_catalog_release(copy);
            return NULL;
        }
        copy->count++;
    }
    return copy;
}

static ptrdiff_t find_index(const struct ns_catalog *cat, const GUID *id)
{
    size_t i;
    if (!cat || !id) return -1;
    for (i = 0; i < cat->count; i++)
        if (!memcmp(&cat->entries[i].id, id, sizeof(GUID))) return (ptrdiff_t)i;
    return -1;
}

const struct ns_catalog_entry *ns_catalog_find(const struct ns_catalog *cat, const GUID *id)
{
    ptrdiff_t i = find_index(cat, id);
    return i < 0 ? NULL : &cat->entries[i];
}

int ns_catalog_edit_install(const struct ns_catalog *cat, const struct ns_catalog_entry *entry, struct ns_catalog **out)
{
    struct ns_catalog *copy;
    int err;

    *out = NULL;
    if (!cat || !entry) return WSAEFAULT;
    if ((err = ns_catalog_entry_check(entry))) return err;
    if (find_index(cat, &entry->id) >= 0) return WSANO_RECOVERY; /* as Windows: already installed */
    if (cat->count >= NS_CATALOG_MAX_ENTRIES) return WSAEINVAL;
    if (!(copy = clone_with_room(cat, 1))) return WSA_NOT_ENOUGH_MEMORY;
    if ((err = ns_catalog_entry_copy(&copy->entries[copy->count], entry)))
    {
        ns_catalog_release(copy);
        return err;
    }
    copy->count++;
    *out = copy;
    return 0;
}

int ns_catalog_edit_remove(const struct ns_catalog *cat, const GUID *id, struct ns_catalog **out)
{
    struct ns_catalog *copy;
    ptrdiff_t idx;

    *out = NULL;
    if (!cat || !id) return WSAEFAULT;
    if ((idx = find_index(cat, id)) < 0) return WSAEINVAL;
    if (!(copy = clone_with_room(cat, 0))) return WSA_NOT_ENOUGH_MEMORY;
    free(copy->entries[idx].info);
    memmove(&copy->entries[idx], &copy->entries[idx + 1], (copy->count - (size_t)idx - 1) * sizeof(*copy->entries));
    copy->count--;
    *out = copy;
    return 0;
}

int ns_catalog_edit_enable(const struct ns_catalog *cat, const GUID *id, BOOL enable, struct ns_catalog **out)
{
    struct ns_catalog *copy;
    ptrdiff_t idx;

    *out = NULL;
    if (!cat || !id) return WSAEFAULT;
    if ((idx = find_index(cat, id)) < 0) return WSAEINVAL;
    if (!(copy = clone_with_room(cat, 0))) return WSA_NOT_ENOUGH_MEMORY;
    copy->entries[idx].enabled = enable ? TRUE : FALSE;
    *out = copy;
    return 0;
}

int ns_catalog_edit_order(const struct ns_catalog *cat, const GUID *ids, size_t count, struct ns_catalog **out)
{
    struct ns_catalog *copy;
    unsigned char *used;
    size_t i;
    int err = 0;

    *out = NULL;
    if (!cat || (count && !ids)) return WSAEFAULT;
    if (count != cat->count) return WSAEINVAL;
    if (!(copy = ns_catalog_new(cat->view, count))) return WSA_NOT_ENOUGH_MEMORY;
    if (count && !(used = calloc(count, 1)))
    {
        ns_catalog_release(copy);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    if (!count) used = NULL;
    copy->serial = cat->serial;
    copy->from_registry = cat->from_registry;
    copy->count = 0;
    for (i = 0; i < count && !err; i++)
    {
        ptrdiff_t idx = find_index(cat, &ids[i]);
        if (idx < 0 || used[idx]) err = WSAEINVAL;
        else
        {
            used[idx] = 1;
            if (!(err = ns_catalog_entry_copy(&copy->entries[i], &cat->entries[idx]))) copy->count++;
        }
    }
    free(used);
    if (err)
    {
        ns_catalog_release(copy);
        return err;
    }
    *out = copy;
    return 0;
}
