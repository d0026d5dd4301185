/* catalog_check.h - helpers of the protocol catalog's end-to-end programs (tests/e2e/catalog_*.c):
 * one output line per check, a failure count for the exit code, the registry paths and a
 * PackedCatalogItem builder (Windows' format, written here independently of the DLL's code).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_CATALOG_CHECK_H
#define OPENWS2_CATALOG_CHECK_H

#include "e2e_check.h"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <ws2spi.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int cat_done(const char *name)
{
    return e2e_done(name);
}

#define CAT_KEY "System\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9"
#ifdef _WIN64
# define CAT_NATIVE_ENTRIES "Catalog_Entries64"
# define CAT_NATIVE_NUM "Num_Catalog_Entries64"
#else
# define CAT_NATIVE_ENTRIES "Catalog_Entries"
# define CAT_NATIVE_NUM "Num_Catalog_Entries"
#endif

static inline DWORD cat_reg_dword(const char *subkey, const char *name, DWORD def)
{
    HKEY k;
    DWORD v = def, type = 0, len = sizeof(v);
    char path[512];
    snprintf(path, sizeof(path), "%s%s%s", CAT_KEY, subkey ? "\\" : "", subkey ? subkey : "");
    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &k)) return def;
    if (RegQueryValueExA(k, name, NULL, &type, (BYTE *)&v, &len) || type != REG_DWORD) v = def;
    RegCloseKey(k);
    return v;
}

/* Reads entries\NNNNNNNNNNNN\PackedCatalogItem (888 bytes); FALSE when absent or not that size. */
static inline BOOL cat_reg_item(const char *entries, DWORD index, unsigned char blob[888])
{
    char path[512];
    HKEY k;
    DWORD type = 0, len = 888;
    LONG r;
    snprintf(path, sizeof(path), "%s\\%s\\%012lu", CAT_KEY, entries, (unsigned long)index);
    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &k)) return FALSE;
    r = RegQueryValueExA(k, "PackedCatalogItem", NULL, &type, blob, &len);
    RegCloseKey(k);
    return !r && type == REG_BINARY && len == 888;
}

static inline void cat_pack(const char *path, const WSAPROTOCOL_INFOW *info, unsigned char blob[888])
{
    memset(blob, 0, 260);
    strncpy((char *)blob, path, 259);
    memcpy(blob + 260, info, sizeof(*info));
}

/* The whole view as WSCEnumProtocols(32) returns it (malloc'd), *count entries. */
static inline WSAPROTOCOL_INFOW *cat_enum(BOOL view32, int *count)
{
    DWORD len = 0;
    int err = 0;
    WSAPROTOCOL_INFOW *buf;
#ifdef _WIN64
    int (WSPAPI *fn)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT) = view32 ? WSCEnumProtocols32 : WSCEnumProtocols;
#else
    int (WSPAPI *fn)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT) = WSCEnumProtocols;
    (void)view32;
#endif
    *count = 0;
    fn(NULL, NULL, &len, &err);
    if (!(buf = malloc(len ? len : 1))) return NULL;
    *count = fn(NULL, buf, &len, &err);
    if (*count < 0) *count = 0;
    return buf;
}

static inline void cat_set_name(WSAPROTOCOL_INFOW *p, const char *s)
{
    size_t i;
    for (i = 0; s[i] && i < WSAPROTOCOL_LEN; i++) p->szProtocol[i] = (WCHAR)(unsigned char)s[i];
    p->szProtocol[i] = 0;
}

/* A base entry for an address family no real provider uses, so that other tests running in the same
 * prefix never select it. */
static inline WSAPROTOCOL_INFOW cat_test_info(int af, int type, int protocol, const char *name)
{
    WSAPROTOCOL_INFOW p;
    memset(&p, 0, sizeof(p));
    p.dwServiceFlags1 = XP1_IFS_HANDLES | XP1_GUARANTEED_DELIVERY;
    p.ProtocolChain.ChainLen = BASE_PROTOCOL;
    p.iVersion = 2;
    p.iAddressFamily = af;
    p.iMaxSockAddr = 16;
    p.iMinSockAddr = 16;
    p.iSocketType = type;
    p.iProtocol = protocol;
    p.iNetworkByteOrder = BIGENDIAN;
    cat_set_name(&p, name);
    return p;
}

#endif
