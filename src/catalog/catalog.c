/* catalog.c - the protocol catalog in the registry (HKLM\System\CurrentControlSet\Services\WinSock2\
 * Parameters\Protocol_Catalog9, Windows' format): loading a view (Catalog_Entries or
 * Catalog_Entries64, entries 000000000001 ... in catalog order, each a PackedCatalogItem), storing a
 * whole view under the cross-process catalog lock with Serial_Access_Num incremented last, snapshot
 * reference counting, and the process' current snapshot (catalog_current), which is reloaded when
 * another writer changed Serial_Access_Num. Portable (registry through os.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include <stdio.h>
#include <stdlib.h>
#include "catalog.h"
#include "registry_watch.h"
#include "trace.h"

#define SERIAL_VALUE "Serial_Access_Num"
#define NEXT_ID_VALUE "Next_Catalog_Entry_ID"
#define ITEM_VALUE "PackedCatalogItem"
#define NAME_VALUE "ProtocolName"
/* Never believe a count larger than this (a corrupt Num_Catalog_Entries). */
#define CATALOG_MAX_ENTRIES 4096
/* Without a working registry watch, Serial_Access_Num is read at most this often. */
#define SERIAL_POLL_MS 250

static const char *entries_key(enum catalog_view view)
{
    return view == CATALOG_VIEW_64 ? "Catalog_Entries64" : "Catalog_Entries";
}

static const char *count_value(enum catalog_view view)
{
    return view == CATALOG_VIEW_64 ? "Num_Catalog_Entries64" : "Num_Catalog_Entries";
}

static BOOL read_dword(os_regkey *key, const char *name, DWORD *out)
{
    DWORD type = 0, value = 0, len = sizeof(value);
    if (os_reg_get(key, name, &type, &value, &len) != ERROR_SUCCESS) return FALSE;
    if (type != REG_DWORD || len != sizeof(value)) return FALSE;
    *out = value;
    return TRUE;
}

struct catalog *catalog_ref(struct catalog *cat)
{
    if (cat) os_atomic_inc(&cat->refs);
    return cat;
}

void catalog_release(struct catalog *cat)
{
    if (!cat || os_atomic_dec(&cat->refs)) return;
    free(cat->entries);
    free(cat);
}

DWORD catalog_read_serial(void)
{
    os_regkey *key;
    DWORD serial = 0;

    if (os_reg_open(NULL, PROTOCOL_CATALOG_KEY, FALSE, FALSE, &key) != ERROR_SUCCESS) return 0;
    if (!read_dword(key, SERIAL_VALUE, &serial)) serial = 0;
    os_reg_close(key);
    return serial;
}

static BOOL id_seen(const struct catalog_entry *entries, size_t count, DWORD id)
{
    size_t i;
    for (i = 0; i < count; i++)
        if (entries[i].info.dwCatalogEntryId == id) return TRUE;
    return FALSE;
}

/* Reads the entries of one view; *entries is NULL (count 0) when none is usable. */
static int read_entries(os_regkey *catkey, enum catalog_view view, struct catalog_entry **entries, size_t *count)
{
    os_regkey *list;
    DWORD num = 0, i, limit;
    BOOL have_num;
    struct catalog_entry *out = NULL;
    size_t n = 0;
    unsigned char *blob;

    *entries = NULL;
    *count = 0;
    if (os_reg_open(catkey, entries_key(view), FALSE, FALSE, &list) != ERROR_SUCCESS)
    {
        TRACE_CAT("no %s key", entries_key(view));
        return 0;
    }
    have_num = read_dword(catkey, count_value(view), &num);
    if (!have_num) TRACE_CAT("%s missing or not a DWORD: reading entries until the first gap", count_value(view));
    else if (num > CATALOG_MAX_ENTRIES)
    {
        TRACE_CAT("%s = %lu is not believable, reading at most %u", count_value(view), (unsigned long)num,
                  CATALOG_MAX_ENTRIES);
        num = CATALOG_MAX_ENTRIES;
    }
    limit = have_num ? num : CATALOG_MAX_ENTRIES;
    if (!(blob = malloc(PACKED_CATALOG_ITEM_SIZE + 1)) ||
        (limit && !(out = calloc(limit, sizeof(*out)))))
    {
        free(blob);
        os_reg_close(list);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    for (i = 1; i <= limit; i++)
    {
        char name[24];
        os_regkey *item;
        DWORD type = 0, len = PACKED_CATALOG_ITEM_SIZE + 1;
        LONG ret;
        struct catalog_entry e;

        snprintf(name, sizeof(name), "%012lu", (unsigned long)i);
        if (os_reg_open(list, name, FALSE, FALSE, &item) != ERROR_SUCCESS)
        {
            if (!have_num) break;
            TRACE_CAT("%s\\%s missing: skipped", entries_key(view), name);
            continue;
        }
        ret = os_reg_get(item, ITEM_VALUE, &type, blob, &len);
        os_reg_close(item);
        if (ret != ERROR_SUCCESS || type != REG_BINARY)
        {
            TRACE_CAT("%s\\%s: no usable " ITEM_VALUE " (error %ld, type %lu): skipped", entries_key(view), name,
                      (long)ret, (unsigned long)type);
            continue;
        }
        if (catalog_item_unpack(blob, len, &e))
        {
            TRACE_CAT("%s\\%s: corrupt " ITEM_VALUE " (%lu bytes): skipped", entries_key(view), name,
                      (unsigned long)len);
            continue;
        }
        if (id_seen(out, n, e.info.dwCatalogEntryId))
        {
            TRACE_CAT("%s\\%s: duplicate catalog id %lu: skipped", entries_key(view), name,
                      (unsigned long)e.info.dwCatalogEntryId);
            continue;
        }
        out[n++] = e;
    }
    free(blob);
    os_reg_close(list);
    if (!n)
    {
        free(out);
        return 0;
    }
    *entries = out;
    *count = n;
    return 0;
}

int catalog_load(enum catalog_view view, struct catalog **out)
{
    os_regkey *catkey = NULL;
    struct catalog *cat;
    struct catalog_entry *entries = NULL;
    size_t count = 0, i;
    DWORD serial = 0, next_id = 0;
    int err = 0;

    if (!out) return WSAEFAULT;
    *out = NULL;
    if (view != CATALOG_VIEW_32 && view != CATALOG_VIEW_64) return WSAEINVAL;

    /* Readers take the writers' lock too: a view is never seen half rewritten. */
    os_catalog_lock();
    if (os_reg_open(NULL, PROTOCOL_CATALOG_KEY, FALSE, FALSE, &catkey) == ERROR_SUCCESS)
    {
        if (!read_dword(catkey, SERIAL_VALUE, &serial)) serial = 0;
        if (!read_dword(catkey, NEXT_ID_VALUE, &next_id)) next_id = 0;
        err = read_entries(catkey, view, &entries, &count);
        os_reg_close(catkey);
    }
    else TRACE_CAT("no " PROTOCOL_CATALOG_KEY " key");
    os_catalog_unlock();
    if (err) return err;

    if (!count)
    {
        TRACE_CAT("%s view: no usable registry entry, using the embedded default catalog",
                  view == CATALOG_VIEW_64 ? "64-bit" : "32-bit");
        if (!(cat = catalog_default(view))) return WSA_NOT_ENOUGH_MEMORY;
        cat->serial = serial;
        if (next_id > cat->next_id) cat->next_id = next_id;
        *out = cat;
        return 0;
    }
    if (!(cat = calloc(1, sizeof(*cat))))
    {
        free(entries);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    cat->refs = 1;
    cat->view = view;
    cat->serial = serial;
    cat->from_registry = TRUE;
    cat->entries = entries;
    cat->count = count;
    if (next_id < CATALOG_FIRST_ENTRY_ID) next_id = CATALOG_FIRST_ENTRY_ID;
    for (i = 0; i < count; i++)
        if (entries[i].info.dwCatalogEntryId >= next_id && entries[i].info.dwCatalogEntryId != 0xffffffff)
            next_id = entries[i].info.dwCatalogEntryId + 1;
    cat->next_id = next_id;
    TRACE_CAT("loaded %lu entries of the %s view, serial %lu", (unsigned long)count,
              view == CATALOG_VIEW_64 ? "64-bit" : "32-bit", (unsigned long)serial);
    *out = cat;
    return 0;
}

static void protocol_name_ansi(const WCHAR *w, char *out, size_t size)
{
    size_t i;
    for (i = 0; i + 1 < size && w[i]; i++) out[i] = w[i] < 0x80 ? (char)w[i] : '?';
    out[i] = 0;
}

int catalog_store(const struct catalog *cat)
{
    os_regkey *catkey = NULL, *list = NULL;
    unsigned char blob[PACKED_CATALOG_ITEM_SIZE];
    DWORD serial = 0, next_id = 0, num;
    size_t i;
    LONG ret;

    if (!cat || (cat->count && !cat->entries)) return WSAEFAULT;
    if (cat->view != CATALOG_VIEW_32 && cat->view != CATALOG_VIEW_64) return WSAEINVAL;
    if (cat->count > CATALOG_MAX_ENTRIES) return WSAEINVAL;

    os_catalog_lock();
    ret = os_reg_open(NULL, PROTOCOL_CATALOG_KEY, TRUE, TRUE, &catkey);
    if (ret == ERROR_SUCCESS)
    {
        if (!read_dword(catkey, SERIAL_VALUE, &serial)) serial = 0;
        if (!read_dword(catkey, NEXT_ID_VALUE, &next_id)) next_id = 0;
        ret = os_reg_delete_tree(catkey, entries_key(cat->view));
        if (ret == ERROR_FILE_NOT_FOUND) ret = ERROR_SUCCESS;
    }
    if (ret == ERROR_SUCCESS) ret = os_reg_open(catkey, entries_key(cat->view), TRUE, TRUE, &list);
    for (i = 0; ret == ERROR_SUCCESS && i < cat->count; i++)
    {
        char name[24], pname[WSAPROTOCOL_LEN + 1];
        os_regkey *item;

        snprintf(name, sizeof(name), "%012lu", (unsigned long)(i + 1));
        if ((ret = os_reg_open(list, name, TRUE, TRUE, &item)) != ERROR_SUCCESS) break;
        catalog_item_pack(&cat->entries[i], blob);
        ret = os_reg_set(item, ITEM_VALUE, REG_BINARY, blob, sizeof(blob));
        if (ret == ERROR_SUCCESS)
        {
            protocol_name_ansi(cat->entries[i].info.szProtocol, pname, sizeof(pname));
            ret = os_reg_set(item, NAME_VALUE, REG_SZ, pname, (DWORD)strlen(pname) + 1);
        }
        os_reg_close(item);
    }
    num = (DWORD)cat->count;
    if (ret == ERROR_SUCCESS) ret = os_reg_set(catkey, count_value(cat->view), REG_DWORD, &num, sizeof(num));
    if (ret == ERROR_SUCCESS)
    {
        /* One id space for both views. */
        if (cat->next_id > next_id) next_id = cat->next_id;
        if (next_id < CATALOG_FIRST_ENTRY_ID) next_id = CATALOG_FIRST_ENTRY_ID;
        ret = os_reg_set(catkey, NEXT_ID_VALUE, REG_DWORD, &next_id, sizeof(next_id));
    }
    /* Last, even after a failure: readers must notice that the view changed. */
    if (catkey)
    {
        LONG sret;
        serial++;
        if (!serial) serial = 1;
        sret = os_reg_set(catkey, SERIAL_VALUE, REG_DWORD, &serial, sizeof(serial));
        if (ret == ERROR_SUCCESS) ret = sret;
    }
    os_reg_close(list);
    os_reg_close(catkey);
    os_catalog_unlock();
    TRACE_CAT("stored %lu entries of the %s view: error %ld, serial now %lu", (unsigned long)cat->count,
              cat->view == CATALOG_VIEW_64 ? "64-bit" : "32-bit", (long)ret, (unsigned long)serial);
    return registry_wsa_error(ret);
}

/* ---- the process' current snapshot (registry_watch.h) ---- */
static void *snap_load(void)
{
    struct catalog *cat = NULL;
    if (catalog_load(CATALOG_VIEW_NATIVE, &cat) || !cat) cat = catalog_default(CATALOG_VIEW_NATIVE);
    return cat;
}

static void *snap_fallback(void)
{
    return catalog_default(CATALOG_VIEW_NATIVE);
}

static DWORD snap_serial(const void *snap)
{
    return ((const struct catalog *)snap)->serial;
}

static void *snap_ref(void *snap)
{
    return catalog_ref(snap);
}

static void snap_release(void *snap)
{
    catalog_release(snap);
}

static const struct snapshot_ops current_ops =
{
    "protocol catalog", snap_load, snap_fallback, catalog_read_serial, snap_serial, snap_ref, snap_release,
};
static struct snapshot_cache current = SNAPSHOT_CACHE_INIT(PROTOCOL_CATALOG_KEY, SERIAL_POLL_MS, &current_ops);

struct catalog *catalog_current(void)
{
    return snapshot_cache_get(&current);
}

void catalog_current_reset(void)
{
    snapshot_cache_reset(&current);
}
