/* tp_common.h - what openws2's recording test providers (tp_ifs.dll, tp_nifs.dll, tp_lsp.dll) share:
 * the call log, the WSPStartup knobs, the saved upcall table, WSPPROC_TABLE entries for the
 * functions a test provider does not implement (they log and fail with WSAEOPNOTSUPP), the socket
 * records' lock (DllMain), the error return and the loopback socket names.
 *
 * The log: one line per call, "<Function> key=value ... -> <result> [err=<WSA error>]\n", in call
 * order, readable by the test program through the DLL's export
 *   int WINAPI tp_log_read(char *buf, int size)   (copies a NUL-terminated prefix; returns the full
 *                                                 length; buf may be NULL to ask for it)
 *   void WINAPI tp_log_clear(void)
 * and the upcall table ws2_32 gave WSPStartup, with the catalog entry id it was started for:
 *   const WSPUPCALLTABLE *WINAPI tp_upcalls(DWORD *catalog_id)   (NULL before the first WSPStartup)
 * Knobs (environment variables, read at every WSPStartup; <P> is OPENWS2_TP_IFS or OPENWS2_TP_NIFS):
 *   <P>_VERSION=0xHHLL  WSPStartup answers this wVersion/wHighVersion (e.g. 0x0101, 0x0002, 0x0302)
 *   <P>_FAIL=<n>        WSPStartup fails and returns n (e.g. 10091 = WSASYSNOTREADY)
 *   <P>_INCOMPLETE=<i>  member i (0-based, 0..29) of the returned WSPPROC_TABLE is NULL
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_TP_COMMON_H
#define OPENWS2_TP_COMMON_H

#include "ws2_common.h"

#define TP_EXPORT __declspec(dllexport)

/* Byte order without importing ws2_32 (the providers import only kernel32). */
static inline u_short tp_swap16(u_short v) { return (u_short)((v >> 8) | (v << 8)); }
static inline u_long tp_swap32(u_long v)
{
    return ((v >> 24) & 0xff) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | ((v << 24) & 0xff000000u);
}
#define htons(v) tp_swap16((u_short)(v))
#define ntohs(v) tp_swap16((u_short)(v))
#define htonl(v) tp_swap32((u_long)(v))

extern WSPUPCALLTABLE tp_upcall;
extern DWORD tp_catalog_id;
extern WSAPROTOCOL_INFOW tp_info;
/* The provider's lock for its socket records (initialised by tp_common.c's DllMain). */
extern CRITICAL_SECTION tp_cs;

/* Stores err in *lpErrno (when given) and returns SOCKET_ERROR. */
int tp_fail(LPINT lpErrno, int err);

/* Writes 127.0.0.1:port as a sockaddr_in to addr and its size to *addrlen (room checked by the caller). */
void tp_loopback_address(struct sockaddr *addr, LPINT addrlen, u_short port);
/* WSPGetSockName / WSPGetPeerName of a loopback socket in state (0 new, 1 bound, 2 listening,
 * 3 connected) after its lookup gave lookup_err: checks, fills name, logs; returns 0 or SOCKET_ERROR. */
int tp_name_of(SOCKET s, int lookup_err, int state, u_short port, u_short peer_port, struct sockaddr *name,
               LPINT namelen, LPINT lpErrno, BOOL peer);

void tp_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tp_common_init(void);

/* WSPStartup with the knobs of env_prefix: full is the provider's complete table. */
int tp_startup(const char *env_prefix, const WCHAR *description, WORD wVersionRequested, LPWSPDATA lpWSPData,
               LPWSAPROTOCOL_INFOW lpProtocolInfo, WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable,
               const WSPPROC_TABLE *full);
/* WSPCleanup bookkeeping: logs and returns 0, or WSANOTINITIALISED when not started. */
int tp_cleanup(LPINT lpErrno);

/* Fills every entry of t with the common "not supported" entries (log + WSAEOPNOTSUPP). */
void tp_default_table(WSPPROC_TABLE *t);

/* "a.b.c.d:port" for an AF_INET address (WSPAddressToString / WSPStringToAddress of both providers). */
INT WSPAPI tp_address_to_string(LPSOCKADDR lpsaAddress, DWORD dwAddressLength, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                 LPWSTR lpszAddressString, LPDWORD lpdwAddressStringLength, LPINT lpErrno);
INT WSPAPI tp_string_to_address(LPWSTR AddressString, INT AddressFamily, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                LPSOCKADDR lpAddress, LPINT lpAddressLength, LPINT lpErrno);

/* A provider's getsockopt for SO_TYPE / SO_PROTOCOL_INFOW (others WSAENOPROTOOPT). */
int tp_getsockopt_common(int level, int optname, char *optval, LPINT optlen, LPINT lpErrno);

#endif
