/* ws2catalog.h - what the parts of the ws2catalog tool share: ws2_32's exports resolved at run time
 * (the i686 import library only knows decorated names, and some WSC* exist only in newer SDKs),
 * the two catalog views, output helpers and the commands' entry points.
 * Exit status of every command: 0 success, 1 failure, 2 usage.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_WS2CATALOG_H
#define OPENWS2_WS2CATALOG_H

#include "os.h"
#include <stdio.h>
#include "ws2catalog_parse.h"
#include "guid_text.h"

#define TOOL_OK 0
#define TOOL_FAIL 1
#define TOOL_USAGE 2

typedef int (WSPAPI *ws2c_enum_fn)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);
typedef int (WSPAPI *ws2c_path_fn)(LPGUID, WCHAR *, LPINT, LPINT);
typedef int (WSPAPI *ws2c_chains_fn)(LPGUID, const LPWSTR, const LPWSTR, DWORD, LPWSAPROTOCOL_INFOW, DWORD,
                                     LPDWORD, LPINT);
typedef int (WSPAPI *ws2c_chains64_32_fn)(LPGUID, const LPWSTR, const LPWSTR, const LPWSTR, DWORD,
                                          LPWSAPROTOCOL_INFOW, DWORD, LPDWORD, LPINT);
typedef int (WSPAPI *ws2c_deinstall_fn)(LPGUID, LPINT);
typedef int (WSPAPI *ws2c_order_fn)(LPDWORD, DWORD);
typedef int (WSAAPI *ws2c_startup_fn)(WORD, LPWSADATA);
typedef int (WSAAPI *ws2c_cleanup_fn)(void);
typedef int (WSAAPI *ws2c_last_error_fn)(void);
typedef INT (WSAAPI *ws2c_ns_enum_fn)(LPDWORD, LPWSANAMESPACE_INFOW);

/* ws2_32's entry points for one view: 32 = Catalog_Entries (the *32 exports on 64-bit), else native. */
struct ws2c_api
{
    BOOL view32;
    ws2c_enum_fn enum_protocols;
    ws2c_path_fn provider_path;
    ws2c_deinstall_fn deinstall;
    ws2c_order_fn write_order;
    ws2c_chains_fn install_chains;         /* native view only */
    ws2c_chains64_32_fn install_chains64_32; /* both views (64-bit only) */
    ws2c_startup_fn startup;
    ws2c_cleanup_fn cleanup;
    ws2c_last_error_fn last_error;
    ws2c_ns_enum_fn ns_enum;               /* WSAEnumNameSpaceProvidersW or WSCEnumNameSpaceProviders32 */
};

/* Resolves the exports of ws2_32.dll for a view; FALSE (with a message) when one is missing. */
BOOL ws2c_load(BOOL view32, struct ws2c_api *api);
/* The view's protocol catalog (malloc'd, *count entries), or NULL with a message. */
WSAPROTOCOL_INFOW *ws2c_enum(const struct ws2c_api *api, int *count);
/* The namespace catalog (malloc'd buffer, *count entries); needs WSAStartup done. NULL on failure. */
WSANAMESPACE_INFOW *ws2c_ns_enum(const struct ws2c_api *api, int *count);

void ws2c_utf8(const WCHAR *w, char *out, int size);
void ws2c_json_string(const char *s);

/* The commands (argv after the command word). */
int ws2c_show(int argc, WCHAR **argv);
int ws2c_reset(int argc, WCHAR **argv);
int ws2c_install_lsp(int argc, WCHAR **argv);
int ws2c_remove_lsp(int argc, WCHAR **argv);
int ws2c_order(int argc, WCHAR **argv);
int ws2c_usage(void);

#endif
