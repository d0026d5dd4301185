/* ns_catalog_registry.c - the namespace catalog in the registry, Windows' format:
 * HKLM\System\CurrentControlSet\Services\WinSock2\Parameters\NameSpace_Catalog5 holds
 * Serial_Access_Num, Num_Catalog_Entries and Num_Catalog_Entries64 (REG_DWORD) and the views
 * Catalog_Entries / Catalog_Entries64, whose subkeys 000000000001, 000000000002 ... are the providers
 * in catalog order with LibraryPath and DisplayString (REG_SZ), ProviderId (REG_BINARY, 16 bytes),
 * SupportedNameSpace, Enabled, Version, StoresServiceClassInfo (REG_DWORD), and optionally
 * AddressFamily (REG_DWORD) and ProviderInfo (REG_BINARY). Loading skips corrupt entries with a
 * trace; storing rewrites a whole view under the cross-process catalog lock and bumps
 * Serial_Access_Num last. Portable (registry through os.h and ns_reg_*_wstr).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include <stdio.h>
#include <stdlib.h>
#include "ns_catalog.h"
#include "registry_watch.h"
#include "trace.h"

#define SERIAL_VALUE "Serial_Access_Num"

static const char *entries_key(enum catalog_view view)
{
    return view == CATALOG_VIEW_64 ? "Catalog_Entries64" : "Catalog_Entries";
}

static const char *count_value(enum catalog_view view)
{
    return view == CATALOG_VIEW_64 ? "Num_Catalog_Entries64" : "Num_Catalog_Entries";
}

/* 1: read, 0: absent, -1: present but not a REG_DWORD. */
static int read_dword(os_regkey *key, const char *name, DWORD *out)
{
    DWORD type = 0, value = 0, len = sizeof(value);
    LONG ret = os_reg_get(key, name, &type, &value, &len);
    if (ret == ERROR_FILE_NOT_FOUND) return 0;
    if (ret != ERROR_SUCCESS || type != REG_DWORD || len != sizeof(value)) return -1;
    *out = value;
    return 1;
}

DWORD ns_catalog_read_serial(void)
{
    os_regkey *key;
    DWORD serial = 0;

    if (os_reg_open(NULL, NAMESPACE_CATALOG_KEY, FALSE, FALSE, &key) != ERROR_SUCCESS) return 0;
    if (read_dword(key, SERIAL_VALUE, &serial) != 1) serial = 0;
    os_reg_close(key);
    return serial;
}

/* Reads a string value into out (size WCHARs, terminator included): 0 or -1 (absent, wrong type,
 * empty or too long). */
static int read_string(os_regkey *key, const char *name, WCHAR *out, size_t size)
{
    WCHAR buf[NS_CATALOG_PATH_LEN + 2];
    DWORD type = 0, len = sizeof(buf);
    size_t n;

    if (size > NS_CATALOG_PATH_LEN + 1) size = NS_CATALOG_PATH_LEN + 1;
    memset(buf, 0, sizeof(buf));
    if (ns_reg_get_wstr(key, name, &type, buf, &len) != ERROR_SUCCESS) return -1;
    if (type != REG_SZ && type != REG_EXPAND_SZ) return -1;
    if (len > sizeof(buf) - sizeof(WCHAR)) return -1;
    buf[len / sizeof(WCHAR)] = 0;
    n = ns_wcsnlen(buf, OPENWS2_ARRAY_SIZE(buf));
    if (!n || n >= size) return -1;
    memcpy(out, buf, (n + 1) * sizeof(WCHAR));
    return 0;
}

/* Reads one entry; returns 0, -1 when it is corrupt (why: *reason), or -2 when memory ran out (the
 * entry is fine: the load fails rather than silently dropping an installed provider). */
static int read_entry(os_regkey *item, struct ns_catalog_entry *e, const char **reason)
{
    DWORD type = 0, len, value;
    int r;

    memset(e, 0, sizeof(*e));
    e->address_family = NS_NO_ADDRESS_FAMILY;
    e->enabled = TRUE;
    if (read_string(item, "LibraryPath", e->path, NS_CATALOG_PATH_LEN)) return *reason = "LibraryPath", -1;
    if (read_string(item, "DisplayString", e->display, NS_CATALOG_NAME_LEN)) return *reason = "DisplayString", -1;
    len = sizeof(e->id);
    if (os_reg_get(item, "ProviderId", &type, &e->id, &len) != ERROR_SUCCESS || type != REG_BINARY ||
        len != sizeof(e->id))
        return *reason = "ProviderId", -1;
    if (read_dword(item, "SupportedNameSpace", &e->name_space) != 1) return *reason = "SupportedNameSpace", -1;
    if ((r = read_dword(item, "Enabled", &value)) < 0) return *reason = "Enabled", -1;
    if (r) e->enabled = value != 0;
    if (read_dword(item, "Version", &e->version) < 0) return *reason = "Version", -1;
    if ((r = read_dword(item, "StoresServiceClassInfo", &value)) < 0) return *reason = "StoresServiceClassInfo", -1;
    if (r) e->stores_class_info = value != 0;
    if ((r = read_dword(item, "AddressFamily", &value)) < 0) return *reason = "AddressFamily", -1;
    if (r) e->address_family = (LONG)value;

    len = 0;
    type = 0;
    if (os_reg_get(item, "ProviderInfo", &type, NULL, &len) == ERROR_SUCCESS)
    {
        if (type != REG_BINARY || len > NS_CATALOG_MAX_INFO) return *reason = "ProviderInfo", -1;
        e->has_info = TRUE;
        if (len)
        {
            DWORD got = len;
            if (!(e->info = malloc(len))) return *reason = "ProviderInfo (out of memory)", -2;
            if (os_reg_get(item, "ProviderInfo", &type, e->info, &got) != ERROR_SUCCESS || type != REG_BINARY ||
                got != len)
            {
                free(e->info);
                e->info = NULL;
                return *reason = "ProviderInfo (changed while read)", -1;
            }
            e->info_len = len;
        }
    }
    return 0;
}

int ns_catalog_load(enum catalog_view view, struct ns_catalog **out)
{
    os_regkey *catkey = NULL, *list = NULL;
    struct ns_catalog *cat = NULL;
    DWORD serial = 0, num = 0, i, limit;
    int have_num = 0;
    int err = 0, r;

    if (!out) return WSAEFAULT;
    *out = NULL;
    if (view != CATALOG_VIEW_32 && view != CATALOG_VIEW_64) return WSAEINVAL;

    os_catalog_lock();
    if (os_reg_open(NULL, NAMESPACE_CATALOG_KEY, FALSE, FALSE, &catkey) == ERROR_SUCCESS)
    {
        if (read_dword(catkey, SERIAL_VALUE, &serial) != 1) serial = 0;
        have_num = read_dword(catkey, count_value(view), &num) == 1;
        if (!have_num) TRACE_CAT("namespace catalog: %s missing or not a DWORD", count_value(view));
        else if (num > NS_CATALOG_MAX_ENTRIES)
        {
            TRACE_CAT("namespace catalog: %s = %lu is not believable, reading at most %u", count_value(view),
                      (unsigned long)num, NS_CATALOG_MAX_ENTRIES);
            num = NS_CATALOG_MAX_ENTRIES;
        }
        if (os_reg_open(catkey, entries_key(view), FALSE, FALSE, &list) != ERROR_SUCCESS) list = NULL;
    }
    limit = have_num ? num : (list ? NS_CATALOG_MAX_ENTRIES : 0);
    if (limit && !(cat = ns_catalog_new(view, limit))) err = WSA_NOT_ENOUGH_MEMORY;
    if (cat) cat->count = 0;
    for (i = 1; cat && list && i <= limit; i++)
    {
        char name[24];
        os_regkey *item;
        const char *reason = "";
        struct ns_catalog_entry *e = &cat->entries[cat->count];

        snprintf(name, sizeof(name), "%012lu", (unsigned long)i);
        if (os_reg_open(list, name, FALSE, FALSE, &item) != ERROR_SUCCESS)
        {
            if (!have_num) break;
            TRACE_CAT("namespace catalog: %s\\%s missing: skipped", entries_key(view), name);
            continue;
        }
        if ((r = read_entry(item, e, &reason)) == -2)
        {
            os_reg_close(item);
            err = WSA_NOT_ENOUGH_MEMORY;
            break;
        }
        if (r)
        {
            TRACE_CAT("namespace catalog: %s\\%s: corrupt or missing %s: skipped", entries_key(view), name, reason);
            free(e->info);
            e->info = NULL;
        }
        else if (ns_catalog_find(cat, &e->id))
        {
            TRACE_CAT("namespace catalog: %s\\%s: duplicate ProviderId: skipped", entries_key(view), name);
            free(e->info);
            e->info = NULL;
        }
        else cat->count++;
        os_reg_close(item);
    }
    os_reg_close(list);
    os_reg_close(catkey);
    os_catalog_unlock();
    if (err)
    {
        ns_catalog_release(cat);
        return err;
    }

    /* A count of 0 is an empty catalog (every provider uninstalled); no count, or a count whose
     * entries are all unusable, is a missing or broken catalog: the embedded default. */
    if (!(have_num && num == 0) && (!cat || !cat->count))
    {
        ns_catalog_release(cat);
        TRACE_CAT("namespace catalog: %s view has no usable entry, using the embedded default",
                  view == CATALOG_VIEW_64 ? "64-bit" : "32-bit");
        if (!(cat = ns_catalog_default(view))) return WSA_NOT_ENOUGH_MEMORY;
        cat->serial = serial;
        *out = cat;
        return 0;
    }
    if (!cat && !(cat = ns_catalog_new(view, 0))) return WSA_NOT_ENOUGH_MEMORY;
    cat->serial = serial;
    cat->from_registry = TRUE;
    TRACE_CAT("namespace catalog: loaded %lu entries of the %s view, serial %lu", (unsigned long)cat->count,
              view == CATALOG_VIEW_64 ? "64-bit" : "32-bit", (unsigned long)serial);
    *out = cat;
    return 0;
}

static LONG set_dword(os_regkey *key, const char *name, DWORD value)
{
    return os_reg_set(key, name, REG_DWORD, &value, sizeof(value));
}

static LONG write_entry(os_regkey *item, const struct ns_catalog_entry *e)
{
    LONG ret = ns_reg_set_wstr(item, "LibraryPath", REG_SZ, e->path);
    if (ret == ERROR_SUCCESS) ret = ns_reg_set_wstr(item, "DisplayString", REG_SZ, e->display);
    if (ret == ERROR_SUCCESS) ret = os_reg_set(item, "ProviderId", REG_BINARY, &e->id, sizeof(e->id));
    if (ret == ERROR_SUCCESS && e->address_family != NS_NO_ADDRESS_FAMILY)
        ret = set_dword(item, "AddressFamily", (DWORD)e->address_family);
    if (ret == ERROR_SUCCESS) ret = set_dword(item, "SupportedNameSpace", e->name_space);
    if (ret == ERROR_SUCCESS) ret = set_dword(item, "Enabled", e->enabled ? 1 : 0);
    if (ret == ERROR_SUCCESS) ret = set_dword(item, "Version", e->version);
    if (ret == ERROR_SUCCESS) ret = set_dword(item, "StoresServiceClassInfo", e->stores_class_info ? 1 : 0);
    if (ret == ERROR_SUCCESS && (e->has_info || e->info_len))
        ret = os_reg_set(item, "ProviderInfo", REG_BINARY, e->info_len ? e->info : (const void *)"", e->info_len);
    return ret;
}

int ns_catalog_store(const struct ns_catalog *cat)
{
    os_regkey *catkey = NULL, *list = NULL;
    DWORD serial = 0;
    size_t i;
    LONG ret;

    if (!cat || (cat->count && !cat->entries)) return WSAEFAULT;
    if (cat->view != CATALOG_VIEW_32 && cat->view != CATALOG_VIEW_64) return WSAEINVAL;
    if (cat->count > NS_CATALOG_MAX_ENTRIES) return WSAEINVAL;
    for (i = 0; i < cat->count; i++)
        if (ns_catalog_entry_check(&cat->entries[i])) return WSAEINVAL;

    os_catalog_lock();
    ret = os_reg_open(NULL, NAMESPACE_CATALOG_KEY, TRUE, TRUE, &catkey);
    if (ret == ERROR_SUCCESS)
    {
        if (read_dword(catkey, SERIAL_VALUE, &serial) != 1) serial = 0;
        ret = os_reg_delete_tree(catkey, entries_key(cat->view));
        if (ret == ERROR_FILE_NOT_FOUND) ret = ERROR_SUCCESS;
    }
    if (ret == ERROR_SUCCESS) ret = os_reg_open(catkey, entries_key(cat->view), TRUE, TRUE, &list);
    for (i = 0; ret == ERROR_SUCCESS && i < cat->count; i++)
    {
        char name[24];
        os_regkey *item;

        snprintf(name, sizeof(name), "%012lu", (unsigned long)(i + 1));
        if ((ret = os_reg_open(list, name, TRUE, TRUE, &item)) != ERROR_SUCCESS) break;
        ret = write_entry(item, &cat->entries[i]);
        os_reg_close(item);
    }
    if (ret == ERROR_SUCCESS) ret = set_dword(catkey, count_value(cat->view), (DWORD)cat->count);
    /* Last, even after a failure: readers must notice that the view changed. */
    if (catkey)
    {
        LONG sret;
        serial++;
        if (!serial) serial = 1;
        sret = set_dword(catkey, SERIAL_VALUE, serial);
        if (ret == ERROR_SUCCESS) ret = sret;
    }
    os_reg_close(list);
    os_reg_close(catkey);
    os_catalog_unlock();
    TRACE_CAT("namespace catalog: stored %lu entries of the %s view: error %ld, serial now %lu",
              (unsigned long)cat->count, cat->view == CATALOG_VIEW_64 ? "64-bit" : "32-bit", (long)ret,
              (unsigned long)serial);
    return registry_wsa_error(ret);
}
