/* provider_common.h - what the provider-architecture end-to-end programs (tests/e2e/provider_*.c)
 * share: check lines, installing the recording test providers (tests/providers) into the prefix's
 * catalog and removing them again, loading a provider through ws2_32 and reading a provider's log.
 * Installation goes through WSCInstallProvider (the provider DLL's absolute Z:\ path, from the test
 * program's own location); while that export is only a placeholder (WSAEOPNOTSUPP) the entries are
 * written to Protocol_Catalog9 directly, in Windows' format (PackedCatalogItem), and removed the
 * same way.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_E2E_PROVIDER_COMMON_H
#define OPENWS2_E2E_PROVIDER_COMMON_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <ws2spi.h>
#include <windows.h>

/* Protocol numbers the test providers answer for (AF_INET / SOCK_STREAM). */
#define TP_PROTO_IFS 253
#define TP_PROTO_NIFS 254
#define TP_PROTO_MISSING 252
#define TP_PROTO_NOSTARTUP 251
#define TP_PROTO_ENVPATH 250

/* TP_ENVPATH: tp_ifs.dll again, under another provider id, installed with the path
 * "%OPENWS2_TP_DIR%\tp_ifs.dll" (the loader must expand it; the catalog keeps it unexpanded). */
enum tp_which { TP_IFS, TP_NIFS, TP_MISSING, TP_NOSTARTUP, TP_ENVPATH, TP_COUNT };

struct tp_entry
{
    GUID guid;
    const WCHAR *dll;        /* file name next to the test program, or a path starting with '%' */
    int protocol;
    BOOL ifs;
    WSAPROTOCOL_INFOW info;  /* after tp_install: the installed entry (dwCatalogEntryId set) */
    BOOL installed, by_registry;
};

extern struct tp_entry tp_entries[TP_COUNT];
extern int tp_failures;

/* One output line per check; returns cond. tp_check evaluates cond completely before the message's
 * arguments (so a message can show the values the checked call produced). Main thread only. */
BOOL tp_report(BOOL cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
extern BOOL tp_cond;
#define tp_check(cond, ...) (tp_cond = (cond) ? TRUE : FALSE, tp_report(tp_cond, __VA_ARGS__))

/* The catalog entry whose ProviderId is guid (WSCEnumProtocols) into *out; FALSE when there is none. */
BOOL tp_find_entry(const GUID *guid, WSAPROTOCOL_INFOW *out);

/* Installs every test provider (WSCInstallProvider or the registry fallback). 0 or an error. */
int tp_install(void);
void tp_uninstall(void);

/* Makes ws2_32 load the provider of entry e: WSASocketW with its protocol info (the socket is closed
 * again), or, while WSASocketW is a placeholder, WSAAddressToStringW with its protocol info.
 * Returns 0 or the WSA error ws2_32 answered. */
int tp_load(enum tp_which e);

/* The provider DLL's log (NULL when the DLL is not loaded); free with free(). */
char *tp_log_get(enum tp_which e);
void tp_log_reset(enum tp_which e);
/* How many lines of the log start with prefix. */
int tp_log_count(const char *log, const char *prefix);
/* The provider's upcall table (NULL when not loaded/started). */
const WSPUPCALLTABLE *tp_get_upcalls(enum tp_which e, DWORD *catalog_id);
/* Keeps the provider DLL loaded by the test itself (so its log outlives ws2_32's FreeLibrary). */
HMODULE tp_pin(enum tp_which e);

/* Sets or clears (value NULL) a knob, e.g. tp_knob("OPENWS2_TP_IFS_VERSION", "0x0101"). */
void tp_knob(const char *name, const char *value);

#endif
