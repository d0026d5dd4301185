/* wsc_provider_info.c - LSP categorisation: WSCGetProviderInfo(32)/WSCSetProviderInfo(32)
 * (ProviderInfoLspCategories, stored per provider GUID below Protocol_Catalog9\ProviderInfo or
 * ProviderInfo64; ProviderInfoAudit is documented as ERROR_CALL_NOT_IMPLEMENTED) and
 * WSCGetApplicationCategory/WSCSetApplicationCategory (Windows' WinSock2\Parameters\AppId_Catalog
 * layout: one subkey per application with AppFullPath, AppArgs and PermittedLspCategories; the
 * subkey name is our own hash of path and arguments). Honouring the categories when LSPs are loaded
 * is not done here. Caller memory is probed (include/user_ptr.h): a bad pointer is WSAEFAULT.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdio.h>
#include "os.h"
#include "catalog.h"
#include "trace.h"
#include "user_ptr.h"
#include "wsc_internal.h"

#ifndef _WIN64
int WSPAPI WSCGetProviderInfo32(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info, size_t *InfoSize, DWORD Flags, LPINT lpErrno);
int WSPAPI WSCSetProviderInfo32(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info, size_t InfoSize, DWORD Flags, LPINT lpErrno);
#endif

#define LSP_CATEGORIES_VALUE "LspCategories"
#define APPID_KEY WINSOCK2_PARAMETERS_KEY "\\AppId_Catalog"
#define MAX_APP_CHARS 32767
#define GUID_KEY_NAME_SIZE 64  /* a provider GUID as a registry key name, braces included (38) */
#define APPID_KEY_NAME_SIZE 16 /* an AppId_Catalog key name: eight hex digits */

static void info_key_path(enum catalog_view view, const GUID *id, char *out, size_t size)
{
    char g[GUID_TEXT_SIZE];
    snprintf(out, size, "%s\\%s\\%s", PROTOCOL_CATALOG_KEY, view == CATALOG_VIEW_64 ? "ProviderInfo64" : "ProviderInfo",
             user_guid_text(id, g));
}

static BOOL provider_installed(enum catalog_view view, const GUID *id, int *err)
{
    struct catalog *cat;
    BOOL found;

    if ((*err = catalog_load(view, &cat))) return FALSE;
    found = catalog_find_provider(cat, id) != NULL;
    catalog_release(cat);
    return found;
}

void wsc_provider_info_forget(enum catalog_view view, const GUID *id)
{
    char path[300];
    os_regkey *root;

    info_key_path(view, id, path, sizeof(path));
    if (os_reg_open(NULL, PROTOCOL_CATALOG_KEY, FALSE, TRUE, &root) != ERROR_SUCCESS) return;
    os_reg_delete_tree(root, path + sizeof(PROTOCOL_CATALOG_KEY)); /* the part below Protocol_Catalog9 */
    {
        /* The view's ProviderInfo key goes too once no provider has information in it: removing the
         * last categorised provider leaves the catalog as it was before (lsp e2e compares its bytes). */
        const char *parent = view == CATALOG_VIEW_64 ? "ProviderInfo64" : "ProviderInfo";
        os_regkey *info;
        char name[GUID_KEY_NAME_SIZE];

        if (os_reg_open(root, parent, FALSE, FALSE, &info) == ERROR_SUCCESS)
        {
            BOOL empty = os_reg_enum_key(info, 0, name, sizeof(name)) == ERROR_NO_MORE_ITEMS;
            os_reg_close(info);
            if (empty) os_reg_delete_tree(root, parent);
        }
    }
    os_reg_close(root);
}

static int get_info(enum catalog_view view, const GUID *id, WSC_PROVIDER_INFO_TYPE type, BYTE *info, size_t *size)
{
    char path[300];
    os_regkey *key;
    DWORD value = 0, vtype = 0, len = sizeof(value);
    int err;

    /* Windows' order: no provider id is WSAEFAULT; an unknown provider WSANO_RECOVERY whatever else. */
    if (!id || !user_readable(id, sizeof(*id))) return WSAEFAULT;
    if (!provider_installed(view, id, &err)) return err ? err : WSANO_RECOVERY;
    if (type == ProviderInfoAudit) return ERROR_CALL_NOT_IMPLEMENTED;
    if (type != ProviderInfoLspCategories) return WSAEINVAL;
    if (!size || !user_writable(size, sizeof(*size))) return WSAEFAULT;
    if (!info || *size < sizeof(DWORD))
    {
        *size = sizeof(DWORD);
        return WSAEFAULT;
    }
    info_key_path(view, id, path, sizeof(path));
    if (os_reg_open(NULL, path, FALSE, FALSE, &key) == ERROR_SUCCESS)
    {
        if (os_reg_get(key, LSP_CATEGORIES_VALUE, &vtype, &value, &len) != ERROR_SUCCESS || vtype != REG_DWORD ||
            len != sizeof(value))
            value = 0; /* never categorised: the "All Other" category */
        os_reg_close(key);
    }
    if (!user_writable(info, sizeof(value))) return WSAEFAULT;
    memcpy(info, &value, sizeof(value));
    *size = sizeof(DWORD);
    return 0;
}

static int set_info(enum catalog_view view, const GUID *id, WSC_PROVIDER_INFO_TYPE type, const BYTE *info, size_t size)
{
    char path[300];
    os_regkey *key;
    DWORD value;
    LONG ret;
    int err;

    if (!id || !user_readable(id, sizeof(*id))) return WSAEFAULT;
    if (!provider_installed(view, id, &err)) return err ? err : WSANO_RECOVERY;
    if (type == ProviderInfoAudit) return ERROR_CALL_NOT_IMPLEMENTED;
    if (type != ProviderInfoLspCategories) return WSAEINVAL;
    if (!info) return WSAEFAULT;
    if (size != sizeof(DWORD)) return WSAEINVAL;
    if (!user_readable(info, size)) return WSAEFAULT;
    memcpy(&value, info, sizeof(value));
    info_key_path(view, id, path, sizeof(path));
    os_catalog_lock();
    if ((ret = os_reg_open(NULL, path, TRUE, TRUE, &key)) == ERROR_SUCCESS)
    {
        ret = os_reg_set(key, LSP_CATEGORIES_VALUE, REG_DWORD, &value, sizeof(value));
        os_reg_close(key);
    }
    os_catalog_unlock();
    return ret == ERROR_SUCCESS ? 0 : WSANO_RECOVERY;
}

static int wsc_get_info(const char *fn, enum catalog_view view, LPGUID id, WSC_PROVIDER_INFO_TYPE type, PBYTE info,
                        size_t *size, DWORD flags, LPINT lpErrno)
{
    char g[GUID_TEXT_SIZE];
    int err = wsc_errno_ok(lpErrno) ? get_info(view, id, type, info, size) : WSAEFAULT;

    TRACE_API("%s(lpProviderId %s InfoType %d Info %p InfoSize %p [%lu] Flags %#lx lpErrno %p) -> %d error %d", fn,
              user_guid_text(id, g), (int)type, (void *)info, (void *)size,
              user_readable(size, sizeof(*size)) ? (unsigned long)*size : 0ul,
              (unsigned long)flags, (void *)lpErrno, err ? SOCKET_ERROR : 0, err);
    return wsc_result(err, lpErrno);
}

static int wsc_set_info(const char *fn, enum catalog_view view, LPGUID id, WSC_PROVIDER_INFO_TYPE type, PBYTE info,
                        size_t size, DWORD flags, LPINT lpErrno)
{
    char g[GUID_TEXT_SIZE];
    int err = wsc_errno_ok(lpErrno) ? set_info(view, id, type, info, size) : WSAEFAULT;

    TRACE_API("%s(lpProviderId %s InfoType %d Info %p InfoSize %lu Flags %#lx lpErrno %p) -> %d error %d", fn,
              user_guid_text(id, g), (int)type, (void *)info, (unsigned long)size, (unsigned long)flags, (void *)lpErrno,
              err ? SOCKET_ERROR : 0, err);
    return wsc_result(err, lpErrno);
}

int WSPAPI WSCGetProviderInfo(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info, size_t *InfoSize, DWORD Flags,
                              LPINT lpErrno)
{
    return wsc_get_info("WSCGetProviderInfo", CATALOG_VIEW_NATIVE, lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}

int WSPAPI WSCGetProviderInfo32(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info, size_t *InfoSize, DWORD Flags,
                                LPINT lpErrno)
{
    return wsc_get_info("WSCGetProviderInfo32", CATALOG_VIEW_32, lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}

int WSPAPI WSCSetProviderInfo(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info, size_t InfoSize, DWORD Flags,
                              LPINT lpErrno)
{
    return wsc_set_info("WSCSetProviderInfo", CATALOG_VIEW_NATIVE, lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}

int WSPAPI WSCSetProviderInfo32(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info, size_t InfoSize, DWORD Flags,
                                LPINT lpErrno)
{
    return wsc_set_info("WSCSetProviderInfo32", CATALOG_VIEW_32, lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}

/* ---- application categories ---- */
struct app_id
{
    const WCHAR *path, *extra;
    DWORD path_len, extra_len;
};

static int app_check(const WCHAR *path, DWORD path_len, const WCHAR *extra, DWORD extra_len, struct app_id *app)
{
    DWORD i;

    if (!path) return WSAEFAULT;
    if (!path_len || path_len > MAX_APP_CHARS || extra_len > MAX_APP_CHARS) return WSAEINVAL;
    if (!extra && extra_len) return WSAEFAULT;
    if (!user_array_readable(path, path_len, sizeof(WCHAR)) || (extra && !user_array_readable(extra, extra_len, sizeof(WCHAR))))
        return WSAEFAULT;
    for (i = 0; i < path_len; i++)
        if (!path[i]) return WSAEINVAL; /* shorter than PathLength */
    for (i = 0; extra && i < extra_len; i++)
        if (!extra[i]) return WSAEINVAL;
    app->path = path;
    app->path_len = path_len;
    app->extra = extra_len ? extra : NULL;
    app->extra_len = extra_len;
    return 0;
}

static DWORD app_hash(const struct app_id *app)
{
    DWORD h = 2166136261u, i;
    for (i = 0; i < app->path_len; i++)
    {
        WCHAR c = app->path[i];
        if (c >= 'a' && c <= 'z') c -= 'a' - 'A'; /* paths compare case-insensitively */
        h = (h ^ c) * 16777619u;
    }
    h = (h ^ 0xffff) * 16777619u;
    for (i = 0; i < app->extra_len; i++) h = (h ^ app->extra[i]) * 16777619u;
    return h;
}

static BOOL value_is(HKEY key, const WCHAR *name, const WCHAR *want, DWORD want_len, BOOL ignore_case)
{
    DWORD size = (MAX_APP_CHARS + 1) * sizeof(WCHAR), type = 0, len = size - sizeof(WCHAR);
    WCHAR *buf = HeapAlloc(GetProcessHeap(), 0, size);
    LONG ret;
    BOOL same = FALSE;

    if (!buf) return FALSE;
    ret = RegQueryValueExW(key, name, NULL, &type, (BYTE *)buf, &len);
    if (ret == ERROR_FILE_NOT_FOUND) same = !want_len;
    else if (ret == ERROR_SUCCESS && (type == REG_SZ || type == REG_EXPAND_SZ))
    {
        buf[len / sizeof(WCHAR)] = 0;
        len = (DWORD)lstrlenW(buf);
        same = len == want_len &&
               (!want_len || CompareStringOrdinal(buf, (int)len, want, (int)want_len, ignore_case) == CSTR_EQUAL);
    }
    HeapFree(GetProcessHeap(), 0, buf);
    return same;
}

/* Opens (create: or creates) the application's subkey. ERROR_FILE_NOT_FOUND when absent. */
static LONG app_open(const struct app_id *app, BOOL create, HKEY *out)
{
    DWORD h = app_hash(app), probe;
    HKEY root;
    LONG ret;

    *out = NULL;
    ret = create ? RegCreateKeyExA(HKEY_LOCAL_MACHINE, APPID_KEY, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &root, NULL)
                 : RegOpenKeyExA(HKEY_LOCAL_MACHINE, APPID_KEY, 0, KEY_READ, &root);
    if (ret != ERROR_SUCCESS) return ret;
    for (probe = 0; probe < 16; probe++)
    {
        char name[APPID_KEY_NAME_SIZE];
        HKEY key;
        DWORD disp = 0;

        snprintf(name, sizeof(name), "%08lX", (unsigned long)(h + probe));
        if (create)
            ret = RegCreateKeyExA(root, name, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, &disp);
        else
            ret = RegOpenKeyExA(root, name, 0, KEY_READ, &key);
        if (ret == ERROR_FILE_NOT_FOUND) break;
        if (ret != ERROR_SUCCESS) break;
        if (disp == REG_CREATED_NEW_KEY)
        {
            DWORD bytes = app->path_len * sizeof(WCHAR);
            WCHAR *copy = HeapAlloc(GetProcessHeap(), 0, bytes + sizeof(WCHAR));
            if (!copy) ret = ERROR_OUTOFMEMORY;
            else
            {
                memcpy(copy, app->path, bytes);
                copy[app->path_len] = 0;
                ret = RegSetValueExW(key, L"AppFullPath", 0, REG_SZ, (BYTE *)copy, bytes + sizeof(WCHAR));
                if (ret == ERROR_SUCCESS && app->extra_len)
                {
                    HeapFree(GetProcessHeap(), 0, copy);
                    bytes = app->extra_len * sizeof(WCHAR);
                    if (!(copy = HeapAlloc(GetProcessHeap(), 0, bytes + sizeof(WCHAR)))) ret = ERROR_OUTOFMEMORY;
                    else
                    {
                        memcpy(copy, app->extra, bytes);
                        copy[app->extra_len] = 0;
                        ret = RegSetValueExW(key, L"AppArgs", 0, REG_SZ, (BYTE *)copy, bytes + sizeof(WCHAR));
                    }
                }
                HeapFree(GetProcessHeap(), 0, copy);
            }
            if (ret != ERROR_SUCCESS)
            {
                RegCloseKey(key);
                RegDeleteKeyA(root, name);
                break;
            }
            *out = key;
            break;
        }
        if (value_is(key, L"AppFullPath", app->path, app->path_len, TRUE) &&
            value_is(key, L"AppArgs", app->extra, app->extra_len, FALSE))
        {
            *out = key;
            ret = ERROR_SUCCESS;
            break;
        }
        RegCloseKey(key); /* a hash collision: probe the next name */
        ret = ERROR_FILE_NOT_FOUND;
    }
    RegCloseKey(root);
    if (!*out && ret == ERROR_SUCCESS) ret = ERROR_FILE_NOT_FOUND;
    return ret;
}

static BOOL read_categories(HKEY key, DWORD *value)
{
    DWORD type = 0, len = sizeof(*value);
    return RegQueryValueExW(key, L"PermittedLspCategories", NULL, &type, (BYTE *)value, &len) == ERROR_SUCCESS &&
           type == REG_DWORD && len == sizeof(*value);
}

static int get_category(const WCHAR *path, DWORD path_len, const WCHAR *extra, DWORD extra_len, DWORD *out)
{
    struct app_id app;
    HKEY key;
    DWORD value = 0;
    LONG ret;
    int err;

    if ((err = app_check(path, path_len, extra, extra_len, &app))) return err;
    if (!out || !user_writable(out, sizeof(*out))) return WSAEFAULT;
    ret = app_open(&app, FALSE, &key);
    if (ret == ERROR_FILE_NOT_FOUND) return WSASERVICE_NOT_FOUND;
    if (ret != ERROR_SUCCESS) return WSANO_RECOVERY;
    err = read_categories(key, &value) ? 0 : WSASERVICE_NOT_FOUND;
    RegCloseKey(key);
    if (!err) *out = value;
    return err;
}

static int set_category(const WCHAR *path, DWORD path_len, const WCHAR *extra, DWORD extra_len, DWORD categories, DWORD *prev)
{
    struct app_id app;
    HKEY key;
    DWORD old = 0, value;
    int err;

    if ((err = app_check(path, path_len, extra, extra_len, &app))) return err;
    if (prev && !user_writable(prev, sizeof(*prev))) return WSAEFAULT;
    os_catalog_lock();
    if (app_open(&app, TRUE, &key) != ERROR_SUCCESS) err = WSANO_RECOVERY;
    else
    {
        if (!read_categories(key, &old)) old = 0;
        value = old | categories; /* documented: repeated calls OR the categories together */
        if (RegSetValueExW(key, L"PermittedLspCategories", 0, REG_DWORD, (BYTE *)&value, sizeof(value)) != ERROR_SUCCESS)
            err = WSANO_RECOVERY;
        RegCloseKey(key);
    }
    os_catalog_unlock();
    if (!err && prev) *prev = old;
    return err;
}

int WSPAPI WSCGetApplicationCategory(LPCWSTR Path, DWORD PathLength, LPCWSTR Extra, DWORD ExtraLength,
                                     DWORD *pPermittedLspCategories, LPINT lpErrno)
{
    int err = wsc_errno_ok(lpErrno) ? get_category(Path, PathLength, Extra, ExtraLength, pPermittedLspCategories) : WSAEFAULT;

    TRACE_API("WSCGetApplicationCategory(Path %p PathLength %lu Extra %p ExtraLength %lu pPermittedLspCategories %p [%#lx] "
              "lpErrno %p) -> %d error %d", (void *)Path, (unsigned long)PathLength, (void *)Extra, (unsigned long)ExtraLength,
              (void *)pPermittedLspCategories, !err && pPermittedLspCategories ? (unsigned long)*pPermittedLspCategories : 0ul,
              (void *)lpErrno, err ? SOCKET_ERROR : 0, err);
    return wsc_result(err, lpErrno);
}

int WSPAPI WSCSetApplicationCategory(LPCWSTR Path, DWORD PathLength, LPCWSTR Extra, DWORD ExtraLength,
                                     DWORD PermittedLspCategories, DWORD *pPrevPermLspCat, LPINT lpErrno)
{
    int err = wsc_errno_ok(lpErrno) ? set_category(Path, PathLength, Extra, ExtraLength, PermittedLspCategories, pPrevPermLspCat)
                      : WSAEFAULT;

    TRACE_API("WSCSetApplicationCategory(Path %p PathLength %lu Extra %p ExtraLength %lu PermittedLspCategories %#lx "
              "pPrevPermLspCat %p lpErrno %p) -> %d error %d", (void *)Path, (unsigned long)PathLength, (void *)Extra,
              (unsigned long)ExtraLength, (unsigned long)PermittedLspCategories, (void *)pPrevPermLspCat, (void *)lpErrno,
              err ? SOCKET_ERROR : 0, err);
    return wsc_result(err, lpErrno);
}
