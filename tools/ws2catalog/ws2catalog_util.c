/* ws2catalog_util.c - ws2catalog's shared helpers: ws2_32's exports resolved at run time, the
 * protocol and namespace catalogs read through them, UTF-8 and JSON output.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include <stdlib.h>
#include "ws2catalog.h"

static FARPROC sym(HMODULE m, const char *name)
{
    return GetProcAddress(m, name);
}

BOOL ws2c_load(BOOL view32, struct ws2c_api *api)
{
    HMODULE ws2 = LoadLibraryW(L"ws2_32.dll");

    memset(api, 0, sizeof(*api));
    api->view32 = view32;
    if (!ws2)
    {
        fprintf(stderr, "ws2catalog: cannot load ws2_32.dll (error %lu)\n", (unsigned long)GetLastError());
        return FALSE;
    }
    api->enum_protocols = (ws2c_enum_fn)(void *)sym(ws2, view32 ? "WSCEnumProtocols32" : "WSCEnumProtocols");
    api->provider_path = (ws2c_path_fn)(void *)sym(ws2, view32 ? "WSCGetProviderPath32" : "WSCGetProviderPath");
    api->deinstall = (ws2c_deinstall_fn)(void *)sym(ws2, view32 ? "WSCDeinstallProvider32" : "WSCDeinstallProvider");
    api->write_order = (ws2c_order_fn)(void *)sym(ws2, view32 ? "WSCWriteProviderOrder32" : "WSCWriteProviderOrder");
    api->install_chains = (ws2c_chains_fn)(void *)sym(ws2, "WSCInstallProviderAndChains");
    api->install_chains64_32 = (ws2c_chains64_32_fn)(void *)sym(ws2, "WSCInstallProviderAndChains64_32");
    api->startup = (ws2c_startup_fn)(void *)sym(ws2, "WSAStartup");
    api->cleanup = (ws2c_cleanup_fn)(void *)sym(ws2, "WSACleanup");
    api->last_error = (ws2c_last_error_fn)(void *)sym(ws2, "WSAGetLastError");
    api->ns_enum = (ws2c_ns_enum_fn)(void *)sym(ws2, view32 ? "WSCEnumNameSpaceProviders32" : "WSAEnumNameSpaceProvidersW");
    if (!api->enum_protocols || !api->provider_path || !api->deinstall || !api->write_order || !api->startup ||
        !api->cleanup || !api->last_error || !api->ns_enum)
    {
        fprintf(stderr, "ws2catalog: ws2_32.dll lacks a WSC* export for the %s view\n", view32 ? "32-bit" : "native");
        return FALSE;
    }
    return TRUE;
}

WSAPROTOCOL_INFOW *ws2c_enum(const struct ws2c_api *api, int *count)
{
    WSAPROTOCOL_INFOW *list = NULL;
    DWORD len = 0;
    int n, err = 0, tries;

    *count = 0;
    for (tries = 0; tries < 4; tries++)
    {
        n = api->enum_protocols(NULL, list, &len, &err);
        if (n != SOCKET_ERROR)
        {
            *count = n;
            if (!list) list = malloc(sizeof(*list)); /* an empty catalog: a valid, empty list */
            return list;
        }
        free(list);
        list = NULL;
        if (err != WSAENOBUFS || !len || !(list = malloc(len)))
            break;
    }
    fprintf(stderr, "ws2catalog: WSCEnumProtocols%s failed: error %d\n", api->view32 ? "32" : "", err);
    free(list);
    return NULL;
}

WSANAMESPACE_INFOW *ws2c_ns_enum(const struct ws2c_api *api, int *count)
{
    WSANAMESPACE_INFOW *buf = NULL;
    DWORD len = 0;
    int n, tries;

    *count = 0;
    for (tries = 0; tries < 4; tries++)
    {
        n = api->ns_enum(&len, buf);
        if (n != SOCKET_ERROR)
        {
            *count = n;
            if (!buf) buf = malloc(sizeof(*buf));
            return buf;
        }
        free(buf);
        buf = NULL;
        if (api->last_error() != WSAEFAULT || !len || !(buf = malloc(len))) break;
    }
    fprintf(stderr, "ws2catalog: enumerating the namespace catalog failed: error %d\n", api->last_error());
    free(buf);
    return NULL;
}

void ws2c_utf8(const WCHAR *w, char *out, int size)
{
    if (!w || !WideCharToMultiByte(CP_UTF8, 0, w, -1, out, size, NULL, NULL)) out[0] = 0;
}

void ws2c_json_string(const char *s)
{
    putchar('"');
    for (; *s; s++)
    {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') printf("\\%c", c);
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}
