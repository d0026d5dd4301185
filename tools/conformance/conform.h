/* conform.h - what the parts of ws2conform.exe (the provider conformance runner) share: check
 * reporting, the recording upcall table, the provider under test and the check groups.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_CONFORM_H
#define OPENWS2_CONFORM_H

#include "ws2_common.h"
#include <stdio.h>

#define CONF_WAIT_MS 5000
#define CONF_WATCHDOG_MS 20000

/* ---- reporting (conform_report.c): one line per check, "PASS|FAIL|SKIP <check>: <detail>" ---- */
enum conf_result { CONF_PASS, CONF_FAIL, CONF_SKIP };
void conf_report(enum conf_result r, const char *check, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* PASS when cond, else FAIL; returns cond. */
BOOL conf_expect(BOOL cond, const char *check, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Names the check now running (for the watchdog's FAIL line) and restarts its clock. */
void conf_begin(const char *check);
/* --skip: a comma-separated list of check names not to run. */
void conf_set_skips(const char *list);
/* conf_begin(check), then TRUE (with a SKIP line) when the user asked to skip it. */
BOOL conf_skip(const char *check);
/* Starts the watchdog: limit_ms without a reported check or conf_begin ends the run (exit 1). */
void conf_watchdog_start(const char *target, DWORD limit_ms);
/* Prints the per-entry-point report ("ENTRY WSPxxx: ..." lines, see conform_report.c), then the
 * summary line; returns the exit status (1 when a check failed or none passed). */
int conf_summary(const char *target);

/* ---- the recording upcall table (conform_upcalls.c) ---- */
enum conf_upcall
{
    UP_CLOSE_EVENT, UP_CLOSE_SOCKET_HANDLE, UP_CREATE_EVENT, UP_CREATE_SOCKET_HANDLE, UP_FD_IS_SET,
    UP_GET_PROVIDER_PATH, UP_MODIFY_IFS_HANDLE, UP_POST_MESSAGE, UP_QUERY_BLOCKING_CALLBACK,
    UP_QUERY_SOCKET_HANDLE_CONTEXT, UP_QUEUE_APC, UP_RESET_EVENT, UP_SET_EVENT, UP_OPEN_CURRENT_THREAD,
    UP_CLOSE_THREAD, UP_COUNT
};
enum conf_handle_kind { CONF_HANDLE_UNKNOWN, CONF_HANDLE_IFS, CONF_HANDLE_NONIFS };

extern const WSPUPCALLTABLE conf_upcall_table;
/* The provider's own path and id (answered by WPUGetProviderPath). */
void conf_upcalls_init(const WCHAR *dll_path, const GUID *provider_id);
LONG conf_upcall_count(enum conf_upcall u);
const char *conf_upcall_name(enum conf_upcall u);
/* Which upcall made s (the most recent record), and whether it is still open. */
enum conf_handle_kind conf_handle_kind(SOCKET s, BOOL *open);
/* The runner's own WSATHREADID for the calling thread (not counted as upcalls). */
int conf_thread_open(LPWSATHREADID thread);
void conf_thread_close(LPWSATHREADID thread);
/* Non-IFS handles made by WPUCreateSocketHandle and not yet closed with WPUCloseSocketHandle. */
int conf_nonifs_open(void);

/* ---- the provider under test (conform_target.c) ---- */
struct conf_target
{
    WCHAR path[MAX_PATH + 1];  /* expanded DLL path */
    WSAPROTOCOL_INFOW info;    /* the protocol info WSPStartup/WSPSocket get */
    BOOL from_catalog;         /* info is a catalog entry (else synthesized) */
    int ifs;                   /* 1: IFS expected, 0: non-IFS expected, -1: not stated */
    HMODULE module;
    LPWSPSTARTUP startup;
    DWORD hidden;              /* a layered provider: its hidden entry (info is a chain naming it) */
};
/* The protocol chain a layered provider with hidden entry `hidden` is tested through (FALSE: none). */
BOOL conf_chain_of(DWORD hidden, WSAPROTOCOL_INFOW *out);
/* Fills t from catalog entry id (WSCEnumProtocols, WSCGetProviderPath). FALSE with a message. */
BOOL conf_target_from_entry(DWORD id, struct conf_target *t);
/* Fills t for a DLL path: the first AF_INET stream entry of the catalog served by that DLL, else a
 * synthesized AF_INET/SOCK_STREAM/IPPROTO_TCP entry. ifs: 1, 0 or -1 (take the catalog's flag). */
BOOL conf_target_from_dll(const WCHAR *path, int ifs, struct conf_target *t);
/* LoadLibrary + GetProcAddress("WSPStartup"), reported as checks. */
BOOL conf_target_load(struct conf_target *t);

/* ---- check groups ---- */
/* WSPStartup version negotiation, the procedure table, WSPCleanup pairing (conform_startup.c). */
void conf_check_startup(struct conf_target *t);
/* Sockets and I/O straight through the provider's SPI with the recording upcalls (conform_spi_io.c). */
void conf_check_spi_io(struct conf_target *t);
/* Datagram checks over the SPI (conform_spi_dgram.c), on sockets made by make(ctx, what). */
void conf_check_spi_dgram(struct conf_target *t, const WSPPROC_TABLE *p, WSATHREADID *tid,
                          SOCKET (*make)(void *ctx, const char *what), void *ctx);
/* Sockets and I/O through ws2_32 for a catalog entry (conform_ws2_io.c). */
void conf_check_ws2_io(struct conf_target *t);

/* Datagram checks through ws2_32 on two fresh sockets of the entry (conform_ws2_dgram.c). */
void conf_check_ws2_dgram(struct conf_target *t, SOCKET a, SOCKET b);

/* ---- shared by the I/O groups (conform_net.c) ---- */
/* Loopback address of family af (AF_INET 127.0.0.1, AF_INET6 ::1), port 0. FALSE for other families. */
BOOL conf_loopback(int af, struct sockaddr_storage *ss, int *len);
u_short conf_port(const struct sockaddr_storage *ss);

/* The overlapped-APC checks' completion routine (conform_apc.c): counts its calls and keeps the
 * last error and byte count. */
extern volatile LONG conf_apc_calls;
extern DWORD conf_apc_error, conf_apc_bytes;
void CALLBACK conf_apc_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags);

#endif
