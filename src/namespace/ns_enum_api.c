/* ns_enum_api.c - WSAEnumNameSpaceProvidersA/W and WSAEnumNameSpaceProvidersExA/W: the installed
 * namespace providers of the native catalog view in catalog order (disabled ones too, fActive
 * FALSE), packed into the caller's buffer (structures first, then identifiers and, for the Ex
 * forms, each provider's ProviderInfo as ProviderSpecific). A short buffer gives WSAEFAULT with the
 * size needed in *lpdwBufferLength. A DisplayString of the indirect form Windows' own entries use,
 * "@<dll path>,-<string id>", is shown as that string resource of the DLL when it can be loaded (as
 * Windows does), else as stored. Also ns_enum_fill for WSCEnumNameSpaceProviders(Ex)32. A length or
 * buffer that cannot be written (include/user_ptr.h) is WSAEFAULT, no crash.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdio.h>
#include <stdlib.h>
#include "ns_catalog.h"
#include "ns_internal.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

#define ALIGN_UP(x) (((x) + sizeof(void *) - 1) & ~(sizeof(void *) - 1))

/* Size of an identifier in the requested character set (terminator included), 0 if unconvertible. */
static size_t ident_size(const WCHAR *s, BOOL ansi)
{
    int n;
    if (!ansi) return (ns_wcslen(s) + 1) * sizeof(WCHAR);
    n = WideCharToMultiByte(CP_ACP, 0, s, -1, NULL, 0, NULL, NULL);
    return n > 0 ? (size_t)n : 1;
}

/* The identifier shown for a DisplayString: "@path,-id" resolved through the DLL's string table. */
static void resolve_display(const WCHAR *raw, WCHAR *out, size_t size)
{
    size_t n = ns_wcslen(raw);
    memcpy(out, raw, (n + 1) * sizeof(WCHAR)); /* n < size: checked when the catalog was read */
    if (raw[0] == '@' && n < MAX_PATH)
    {
        WCHAR path[MAX_PATH], expanded[MAX_PATH + 1], text[NS_CATALOG_NAME_LEN];
        const WCHAR *comma = NULL, *p;
        unsigned long id = 0;
        HMODULE module;
        DWORD len;
        int got;

        for (p = raw + 1; *p; p++)
            if (*p == ',') comma = p;
        if (!comma || comma[1] != '-' || !comma[2] || comma == raw + 1) return;
        for (p = comma + 2; *p; p++)
        {
            if (*p < '0' || *p > '9' || id > 65535) return;
            id = id * 10 + (unsigned long)(*p - '0');
        }
        if (id > 65535) return;
        memcpy(path, raw + 1, (size_t)(comma - raw - 1) * sizeof(WCHAR));
        path[comma - raw - 1] = 0;
        len = ExpandEnvironmentStringsW(path, expanded, MAX_PATH + 1);
        if (!len || len > MAX_PATH + 1) return;
        if (!(module = LoadLibraryExW(expanded, NULL, LOAD_LIBRARY_AS_DATAFILE | LOAD_LIBRARY_AS_IMAGE_RESOURCE))) return;
        got = LoadStringW(module, (UINT)id, text, NS_CATALOG_NAME_LEN);
        FreeLibrary(module);
        if (got > 0 && (size_t)got < size)
        {
            memcpy(out, text, (size_t)got * sizeof(WCHAR));
            out[got] = 0;
        }
    }
}

int ns_enum_fill(enum catalog_view view, BOOL ansi, BOOL ex, DWORD *len, void *buffer)
{
    WCHAR (*names)[NS_CATALOG_NAME_LEN] = NULL;
    struct ns_catalog *cat;
    size_t item = ex ? (ansi ? sizeof(WSANAMESPACE_INFOEXA) : sizeof(WSANAMESPACE_INFOEXW))
                     : (ansi ? sizeof(WSANAMESPACE_INFOA) : sizeof(WSANAMESPACE_INFOW));
    size_t need, i, off;
    unsigned char *base = buffer;
    int err;

    if (!len || !user_writable(len, sizeof(*len))) return -WSAEFAULT;
    if ((err = ns_catalog_load(view, &cat))) return -err;
    if (cat->count && !(names = malloc(cat->count * sizeof(*names))))
    {
        ns_catalog_release(cat);
        return -WSA_NOT_ENOUGH_MEMORY;
    }
    need = cat->count * item;
    for (i = 0; i < cat->count; i++)
    {
        resolve_display(cat->entries[i].display, names[i], NS_CATALOG_NAME_LEN);
        need = ALIGN_UP(need) + ident_size(names[i], ansi);
        if (ex && cat->entries[i].info_len) need = ALIGN_UP(need) + cat->entries[i].info_len;
    }
    if (need > 0xffffffffu) err = WSA_NOT_ENOUGH_MEMORY;
    else if (!buffer || *len < need)
    {
        *len = (DWORD)need;
        err = WSAEFAULT;
    }
    else if (!user_writable(buffer, need)) err = WSAEFAULT; /* big enough, but not writable memory */
    if (err)
    {
        free(names);
        ns_catalog_release(cat);
        return -err;
    }
    off = cat->count * item;
    for (i = 0; i < cat->count; i++)
    {
        const struct ns_catalog_entry *e = &cat->entries[i];
        /* The A and W forms share the layout: W used for both. */
        WSANAMESPACE_INFOEXW *info = (WSANAMESPACE_INFOEXW *)(base + i * item);
        size_t n = ident_size(names[i], ansi);

        info->NSProviderId = e->id;
        info->dwNameSpace = e->name_space;
        info->fActive = e->enabled;
        info->dwVersion = e->version;
        off = ALIGN_UP(off);
        info->lpszIdentifier = (WCHAR *)(base + off);
        if (!ansi) memcpy(base + off, names[i], n);
        else if (WideCharToMultiByte(CP_ACP, 0, names[i], -1, (char *)(base + off), (int)n, NULL, NULL) <= 0)
            base[off] = 0;
        off += n;
        if (ex)
        {
            info->ProviderSpecific.cbSize = e->info_len;
            info->ProviderSpecific.pBlobData = NULL;
            if (e->info_len)
            {
                off = ALIGN_UP(off);
                info->ProviderSpecific.pBlobData = base + off;
                memcpy(base + off, e->info, e->info_len);
                off += e->info_len;
            }
        }
    }
    err = (int)cat->count;
    free(names);
    ns_catalog_release(cat);
    return err;
}

static INT enum_api(const char *fn, BOOL ansi, BOOL ex, LPDWORD lpdwBufferLength, void *lpnspBuffer)
{
    BOOL len_ok = lpdwBufferLength && user_writable(lpdwBufferLength, sizeof(*lpdwBufferLength));
    DWORD in = len_ok ? *lpdwBufferLength : 0;
    int err = startup_check(), ret = 0;

    if (!err && !len_ok) err = WSAEFAULT;
    if (!err && (ret = ns_enum_fill(CATALOG_VIEW_NATIVE, ansi, ex, lpdwBufferLength, lpnspBuffer)) < 0) err = -ret;
    TRACE_API("%s(lpdwBufferLength %p [%lu -> %lu] lpnspBuffer %p) -> %d (error %d)", fn, (void *)lpdwBufferLength,
              (unsigned long)in, len_ok ? (unsigned long)*lpdwBufferLength : 0ul, lpnspBuffer,
              err ? SOCKET_ERROR : ret, err);
    return err ? ws_fail(err) : ret;
}

INT WSAAPI WSAEnumNameSpaceProvidersW(LPDWORD lpdwBufferLength, LPWSANAMESPACE_INFOW lpnspBuffer)
{
    return enum_api("WSAEnumNameSpaceProvidersW", FALSE, FALSE, lpdwBufferLength, lpnspBuffer);
}

INT WSAAPI WSAEnumNameSpaceProvidersA(LPDWORD lpdwBufferLength, LPWSANAMESPACE_INFOA lpnspBuffer)
{
    return enum_api("WSAEnumNameSpaceProvidersA", TRUE, FALSE, lpdwBufferLength, lpnspBuffer);
}

INT WSAAPI WSAEnumNameSpaceProvidersExW(LPDWORD lpdwBufferLength, LPWSANAMESPACE_INFOEXW lpnspBuffer)
{
    return enum_api("WSAEnumNameSpaceProvidersExW", FALSE, TRUE, lpdwBufferLength, lpnspBuffer);
}

INT WSAAPI WSAEnumNameSpaceProvidersExA(LPDWORD lpdwBufferLength, LPWSANAMESPACE_INFOEXA lpnspBuffer)
{
    return enum_api("WSAEnumNameSpaceProvidersExA", TRUE, TRUE, lpdwBufferLength, lpnspBuffer);
}
