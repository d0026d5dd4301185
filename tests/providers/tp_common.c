/* tp_common.c - the shared half of openws2's recording test providers (see tp_common.h): call log,
 * WSPStartup knobs and bookkeeping, saved upcall table, "not supported" table entries, AF_INET
 * address strings, the common socket options, DllMain with the socket records' lock, the error
 * return and the loopback socket names (WSPGetSockName / WSPGetPeerName).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "tp_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define TP_LOG_SIZE (256 * 1024)

WSPUPCALLTABLE tp_upcall;
DWORD tp_catalog_id;
WSAPROTOCOL_INFOW tp_info;

static SRWLOCK log_lock = SRWLOCK_INIT;
static char log_buf[TP_LOG_SIZE];
static size_t log_len;
static BOOL log_overflow;
static LONG startups;
static BOOL have_upcalls;

TP_EXPORT int WINAPI tp_log_read(char *buf, int size);
TP_EXPORT void WINAPI tp_log_clear(void);
TP_EXPORT const WSPUPCALLTABLE *WINAPI tp_upcalls(DWORD *catalog_id);

CRITICAL_SECTION tp_cs;

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved);

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    (void)inst; (void)reserved;
    if (reason == DLL_PROCESS_ATTACH) InitializeCriticalSection(&tp_cs);
    return TRUE;
}

void tp_common_init(void)
{
}

int tp_fail(LPINT lpErrno, int err)
{
    if (lpErrno) *lpErrno = err;
    return SOCKET_ERROR;
}

void tp_loopback_address(struct sockaddr *addr, LPINT addrlen, u_short port)
{
    struct sockaddr_in sin;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    memcpy(addr, &sin, sizeof(sin));
    *addrlen = sizeof(sin);
}

int tp_name_of(SOCKET s, int lookup_err, int state, u_short port, u_short peer_port, struct sockaddr *name,
               LPINT namelen, LPINT lpErrno, BOOL peer)
{
    int err = lookup_err;

    if (err) ;
    else if (!name || !namelen || *namelen < (int)sizeof(struct sockaddr_in)) err = WSAEFAULT;
    else if (peer && state != 3) err = WSAENOTCONN;
    else if (!peer && state == 0) err = WSAEINVAL;
    else tp_loopback_address(name, namelen, peer ? peer_port : port);
    tp_log("%s s=%#llx -> %d err=%d", peer ? "WSPGetPeerName" : "WSPGetSockName", (unsigned long long)s,
           err ? -1 : 0, err);
    return err ? tp_fail(lpErrno, err) : 0;
}

void tp_log(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    int n;
    DWORD saved = GetLastError();

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n > sizeof(line) - 2) n = sizeof(line) - 2;
    line[n++] = '\n';
    AcquireSRWLockExclusive(&log_lock);
    if (log_len + (size_t)n < sizeof(log_buf))
    {
        memcpy(log_buf + log_len, line, (size_t)n);
        log_len += (size_t)n;
    }
    else log_overflow = TRUE;
    ReleaseSRWLockExclusive(&log_lock);
    SetLastError(saved);
}

TP_EXPORT int WINAPI tp_log_read(char *buf, int size)
{
    int len;
    AcquireSRWLockShared(&log_lock);
    len = (int)log_len;
    if (buf && size > 0)
    {
        int n = len < size - 1 ? len : size - 1;
        memcpy(buf, log_buf, (size_t)n);
        buf[n] = 0;
    }
    ReleaseSRWLockShared(&log_lock);
    return log_overflow ? -1 : len;
}

TP_EXPORT void WINAPI tp_log_clear(void)
{
    AcquireSRWLockExclusive(&log_lock);
    log_len = 0;
    log_overflow = FALSE;
    ReleaseSRWLockExclusive(&log_lock);
}

TP_EXPORT const WSPUPCALLTABLE *WINAPI tp_upcalls(DWORD *catalog_id)
{
    if (catalog_id) *catalog_id = tp_catalog_id;
    return have_upcalls ? &tp_upcall : NULL;
}

static BOOL knob(const char *prefix, const char *name, unsigned long *value)
{
    char var[96], text[64], *end;
    DWORD n;

    snprintf(var, sizeof(var), "%s_%s", prefix, name);
    n = GetEnvironmentVariableA(var, text, sizeof(text));
    if (!n || n >= sizeof(text)) return FALSE;
    *value = strtoul(text, &end, 0);
    return end != text;
}

int tp_startup(const char *env_prefix, const WCHAR *description, WORD wVersionRequested, LPWSPDATA lpWSPData,
               LPWSAPROTOCOL_INFOW lpProtocolInfo, WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable,
               const WSPPROC_TABLE *full)
{
    unsigned long value;
    WORD version = MAKEWORD(2, 2);
    WSPPROC_TABLE table = *full;

    if (!lpWSPData || !lpProtocolInfo || !lpProcTable)
    {
        tp_log("WSPStartup requested=0x%04x -> %d", wVersionRequested, WSAEFAULT);
        return WSAEFAULT;
    }
    if (knob(env_prefix, "FAIL", &value) && value)
    {
        tp_log("WSPStartup requested=0x%04x catalog=%lu -> %lu (knob FAIL)", wVersionRequested,
               (unsigned long)lpProtocolInfo->dwCatalogEntryId, value);
        return (int)value;
    }
    if (knob(env_prefix, "VERSION", &value)) version = (WORD)value;
    else if (wVersionRequested < version) version = wVersionRequested;
    if (knob(env_prefix, "INCOMPLETE", &value) && value < sizeof(table) / sizeof(void *))
        memset((char *)&table + value * sizeof(void *), 0, sizeof(void *));

    tp_upcall = UpcallTable;
    have_upcalls = TRUE;
    tp_catalog_id = lpProtocolInfo->dwCatalogEntryId;
    tp_info = *lpProtocolInfo;
    memset(lpWSPData, 0, sizeof(*lpWSPData));
    lpWSPData->wVersion = version;
    lpWSPData->wHighVersion = version;
    lstrcpynW(lpWSPData->szDescription, description, WSPDESCRIPTION_LEN + 1);
    *lpProcTable = table;
    InterlockedIncrement(&startups);
    tp_log("WSPStartup requested=0x%04x catalog=%lu -> 0 version=0x%04x startups=%ld", wVersionRequested,
           (unsigned long)tp_catalog_id, version, startups);
    return 0;
}

int tp_cleanup(LPINT lpErrno)
{
    LONG left;
    if (InterlockedCompareExchange(&startups, 0, 0) <= 0)
    {
        tp_log("WSPCleanup -> -1 err=%d", WSANOTINITIALISED);
        if (lpErrno) *lpErrno = WSANOTINITIALISED;
        return SOCKET_ERROR;
    }
    left = InterlockedDecrement(&startups);
    tp_log("WSPCleanup -> 0 startups=%ld", left);
    return 0;
}

/* ---- "not supported" entries ---- */

static int unsupported(const char *name, LPINT lpErrno)
{
    tp_log("%s -> -1 err=%d (not supported by this test provider)", name, WSAEOPNOTSUPP);
    if (lpErrno) *lpErrno = WSAEOPNOTSUPP;
    return SOCKET_ERROR;
}

static SOCKET WSPAPI ns_accept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC cond, DWORD_PTR data,
                               LPINT lpErrno)
{
    (void)s; (void)addr; (void)addrlen; (void)cond; (void)data;
    unsupported("WSPAccept", lpErrno);
    return INVALID_SOCKET;
}
static int WSPAPI ns_async_select(SOCKET s, HWND hWnd, unsigned int wMsg, LONG lEvent, LPINT lpErrno)
{
    (void)s; (void)hWnd; (void)wMsg; (void)lEvent;
    return unsupported("WSPAsyncSelect", lpErrno);
}
static int WSPAPI ns_bind(SOCKET s, const struct sockaddr *name, int namelen, LPINT lpErrno)
{
    (void)s; (void)name; (void)namelen;
    return unsupported("WSPBind", lpErrno);
}
static int WSPAPI ns_cancel_blocking_call(LPINT lpErrno)
{
    return unsupported("WSPCancelBlockingCall", lpErrno);
}
static int WSPAPI ns_cleanup(LPINT lpErrno)
{
    return tp_cleanup(lpErrno);
}
static int WSPAPI ns_close_socket(SOCKET s, LPINT lpErrno)
{
    (void)s;
    return unsupported("WSPCloseSocket", lpErrno);
}
static int WSPAPI ns_connect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller, LPWSABUF callee,
                             LPQOS sqos, LPQOS gqos, LPINT lpErrno)
{
    (void)s; (void)name; (void)namelen; (void)caller; (void)callee; (void)sqos; (void)gqos;
    return unsupported("WSPConnect", lpErrno);
}
static int WSPAPI ns_duplicate_socket(SOCKET s, DWORD pid, LPWSAPROTOCOL_INFOW info, LPINT lpErrno)
{
    (void)s; (void)pid; (void)info;
    return unsupported("WSPDuplicateSocket", lpErrno);
}
static int WSPAPI ns_enum_network_events(SOCKET s, WSAEVENT ev, LPWSANETWORKEVENTS ne, LPINT lpErrno)
{
    (void)s; (void)ev; (void)ne;
    return unsupported("WSPEnumNetworkEvents", lpErrno);
}
static int WSPAPI ns_event_select(SOCKET s, WSAEVENT ev, LONG events, LPINT lpErrno)
{
    (void)s; (void)ev; (void)events;
    return unsupported("WSPEventSelect", lpErrno);
}
static BOOL WSPAPI ns_get_overlapped_result(SOCKET s, LPWSAOVERLAPPED ov, LPDWORD cb, BOOL wait, LPDWORD flags,
                                            LPINT lpErrno)
{
    (void)s; (void)ov; (void)cb; (void)wait; (void)flags;
    unsupported("WSPGetOverlappedResult", lpErrno);
    return FALSE;
}
static int WSPAPI ns_get_peer_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    (void)s; (void)name; (void)namelen;
    return unsupported("WSPGetPeerName", lpErrno);
}
static int WSPAPI ns_get_sock_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    (void)s; (void)name; (void)namelen;
    return unsupported("WSPGetSockName", lpErrno);
}
static int WSPAPI ns_get_sock_opt(SOCKET s, int level, int optname, char *optval, LPINT optlen, LPINT lpErrno)
{
    (void)s;
    return tp_getsockopt_common(level, optname, optval, optlen, lpErrno);
}
static BOOL WSPAPI ns_get_qos_by_name(SOCKET s, LPWSABUF name, LPQOS qos, LPINT lpErrno)
{
    (void)s; (void)name; (void)qos;
    unsupported("WSPGetQOSByName", lpErrno);
    return FALSE;
}
static int WSPAPI ns_ioctl(SOCKET s, DWORD code, LPVOID in, DWORD inlen, LPVOID out, DWORD outlen, LPDWORD ret,
                           LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    (void)s; (void)code; (void)in; (void)inlen; (void)out; (void)outlen; (void)ret; (void)ov; (void)cr; (void)tid;
    return unsupported("WSPIoctl", lpErrno);
}
static SOCKET WSPAPI ns_join_leaf(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller,
                                  LPWSABUF callee, LPQOS sqos, LPQOS gqos, DWORD flags, LPINT lpErrno)
{
    (void)s; (void)name; (void)namelen; (void)caller; (void)callee; (void)sqos; (void)gqos; (void)flags;
    unsupported("WSPJoinLeaf", lpErrno);
    return INVALID_SOCKET;
}
static int WSPAPI ns_listen(SOCKET s, int backlog, LPINT lpErrno)
{
    (void)s; (void)backlog;
    return unsupported("WSPListen", lpErrno);
}
static int WSPAPI ns_recv(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD got, LPDWORD flags, LPWSAOVERLAPPED ov,
                          LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    (void)s; (void)bufs; (void)n; (void)got; (void)flags; (void)ov; (void)cr; (void)tid;
    return unsupported("WSPRecv", lpErrno);
}
static int WSPAPI ns_recv_disconnect(SOCKET s, LPWSABUF data, LPINT lpErrno)
{
    (void)s; (void)data;
    return unsupported("WSPRecvDisconnect", lpErrno);
}
static int WSPAPI ns_recv_from(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD got, LPDWORD flags, struct sockaddr *from,
                               LPINT fromlen, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr,
                               LPWSATHREADID tid, LPINT lpErrno)
{
    (void)s; (void)bufs; (void)n; (void)got; (void)flags; (void)from; (void)fromlen; (void)ov; (void)cr; (void)tid;
    return unsupported("WSPRecvFrom", lpErrno);
}
static int WSPAPI ns_select(int nfds, fd_set *r, fd_set *w, fd_set *e, const PTIMEVAL timeout, LPINT lpErrno)
{
    (void)nfds; (void)r; (void)w; (void)e; (void)timeout;
    return unsupported("WSPSelect", lpErrno);
}
static int WSPAPI ns_send(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD sent, DWORD flags, LPWSAOVERLAPPED ov,
                          LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    (void)s; (void)bufs; (void)n; (void)sent; (void)flags; (void)ov; (void)cr; (void)tid;
    return unsupported("WSPSend", lpErrno);
}
static int WSPAPI ns_send_disconnect(SOCKET s, LPWSABUF data, LPINT lpErrno)
{
    (void)s; (void)data;
    return unsupported("WSPSendDisconnect", lpErrno);
}
static int WSPAPI ns_send_to(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD sent, DWORD flags, const struct sockaddr *to,
                             int tolen, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid,
                             LPINT lpErrno)
{
    (void)s; (void)bufs; (void)n; (void)sent; (void)flags; (void)to; (void)tolen; (void)ov; (void)cr; (void)tid;
    return unsupported("WSPSendTo", lpErrno);
}
static int WSPAPI ns_set_sock_opt(SOCKET s, int level, int optname, const char *optval, int optlen, LPINT lpErrno)
{
    (void)s; (void)level; (void)optname; (void)optval; (void)optlen;
    tp_log("WSPSetSockOpt level=%d opt=%d -> -1 err=%d", level, optname, WSAENOPROTOOPT);
    if (lpErrno) *lpErrno = WSAENOPROTOOPT;
    return SOCKET_ERROR;
}
static int WSPAPI ns_shutdown(SOCKET s, int how, LPINT lpErrno)
{
    (void)s; (void)how;
    return unsupported("WSPShutdown", lpErrno);
}
static SOCKET WSPAPI ns_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g, DWORD flags,
                               LPINT lpErrno)
{
    (void)af; (void)type; (void)protocol; (void)info; (void)g; (void)flags;
    unsupported("WSPSocket", lpErrno);
    return INVALID_SOCKET;
}

void tp_default_table(WSPPROC_TABLE *t)
{
    t->lpWSPAccept = ns_accept;
    t->lpWSPAddressToString = tp_address_to_string;
    t->lpWSPAsyncSelect = ns_async_select;
    t->lpWSPBind = ns_bind;
    t->lpWSPCancelBlockingCall = ns_cancel_blocking_call;
    t->lpWSPCleanup = ns_cleanup;
    t->lpWSPCloseSocket = ns_close_socket;
    t->lpWSPConnect = ns_connect;
    t->lpWSPDuplicateSocket = ns_duplicate_socket;
    t->lpWSPEnumNetworkEvents = ns_enum_network_events;
    t->lpWSPEventSelect = ns_event_select;
    t->lpWSPGetOverlappedResult = ns_get_overlapped_result;
    t->lpWSPGetPeerName = ns_get_peer_name;
    t->lpWSPGetSockName = ns_get_sock_name;
    t->lpWSPGetSockOpt = ns_get_sock_opt;
    t->lpWSPGetQOSByName = ns_get_qos_by_name;
    t->lpWSPIoctl = ns_ioctl;
    t->lpWSPJoinLeaf = ns_join_leaf;
    t->lpWSPListen = ns_listen;
    t->lpWSPRecv = ns_recv;
    t->lpWSPRecvDisconnect = ns_recv_disconnect;
    t->lpWSPRecvFrom = ns_recv_from;
    t->lpWSPSelect = ns_select;
    t->lpWSPSend = ns_send;
    t->lpWSPSendDisconnect = ns_send_disconnect;
    t->lpWSPSendTo = ns_send_to;
    t->lpWSPSetSockOpt = ns_set_sock_opt;
    t->lpWSPShutdown = ns_shutdown;
    t->lpWSPSocket = ns_socket;
    t->lpWSPStringToAddress = tp_string_to_address;
}

/* ---- AF_INET address strings ---- */

INT WSPAPI tp_address_to_string(LPSOCKADDR lpsaAddress, DWORD dwAddressLength, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                 LPWSTR lpszAddressString, LPDWORD lpdwAddressStringLength, LPINT lpErrno)
{
    const struct sockaddr_in *sin = (const struct sockaddr_in *)lpsaAddress;
    char text[32];
    int n, err = 0;
    const unsigned char *a;

    (void)lpProtocolInfo;
    if (!lpsaAddress || !lpdwAddressStringLength) err = WSAEFAULT;
    else if (dwAddressLength < sizeof(*sin) || sin->sin_family != AF_INET) err = WSAEINVAL;
    else
    {
        a = (const unsigned char *)&sin->sin_addr;
        n = snprintf(text, sizeof(text), "%u.%u.%u.%u:%u", a[0], a[1], a[2], a[3], ntohs(sin->sin_port));
        if (n < 0) err = WSAEINVAL;
        else if (!lpszAddressString || *lpdwAddressStringLength < (DWORD)n + 1)
        {
            *lpdwAddressStringLength = (DWORD)n + 1;
            err = WSAEFAULT;
        }
        else
        {
            MultiByteToWideChar(CP_ACP, 0, text, n + 1, lpszAddressString, n + 1);
            *lpdwAddressStringLength = (DWORD)n + 1;
        }
    }
    tp_log("WSPAddressToString len=%lu -> %d%s%d", (unsigned long)dwAddressLength, err ? -1 : 0, " err=", err);
    if (err)
    {
        if (lpErrno) *lpErrno = err;
        return SOCKET_ERROR;
    }
    return 0;
}

INT WSPAPI tp_string_to_address(LPWSTR AddressString, INT AddressFamily, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                LPSOCKADDR lpAddress, LPINT lpAddressLength, LPINT lpErrno)
{
    unsigned a, b, c, d, port = 0;
    struct sockaddr_in sin;
    int err = 0;
    char text[64];

    (void)lpProtocolInfo;
    if (!AddressString || !lpAddress || !lpAddressLength) err = WSAEFAULT;
    else if (AddressFamily != AF_INET) err = WSAEINVAL;
    else if (!WideCharToMultiByte(CP_ACP, 0, AddressString, -1, text, sizeof(text), NULL, NULL) ||
             sscanf(text, "%u.%u.%u.%u:%u", &a, &b, &c, &d, &port) < 4 || a > 255 || b > 255 ||
             c > 255 || d > 255 || port > 65535)
        err = WSAEINVAL;
    else if (*lpAddressLength < (int)sizeof(sin))
    {
        *lpAddressLength = sizeof(sin);
        err = WSAEFAULT;
    }
    else
    {
        memset(&sin, 0, sizeof(sin));
        sin.sin_family = AF_INET;
        sin.sin_port = htons((u_short)port);
        sin.sin_addr.s_addr = htonl((a << 24) | (b << 16) | (c << 8) | d);
        memcpy(lpAddress, &sin, sizeof(sin));
        *lpAddressLength = sizeof(sin);
    }
    tp_log("WSPStringToAddress af=%d -> %d err=%d", AddressFamily, err ? -1 : 0, err);
    if (err)
    {
        if (lpErrno) *lpErrno = err;
        return SOCKET_ERROR;
    }
    return 0;
}

int tp_getsockopt_common(int level, int optname, char *optval, LPINT optlen, LPINT lpErrno)
{
    int err = 0;

    if (!optval || !optlen) err = WSAEFAULT;
    else if (level == SOL_SOCKET && optname == SO_TYPE)
    {
        if (*optlen < (int)sizeof(int)) err = WSAEFAULT;
        else
        {
            *(int *)optval = tp_info.iSocketType;
            *optlen = sizeof(int);
        }
    }
    else if (level == SOL_SOCKET && optname == SO_PROTOCOL_INFOW)
    {
        if (*optlen < (int)sizeof(tp_info)) err = WSAEFAULT;
        else
        {
            memcpy(optval, &tp_info, sizeof(tp_info));
            *optlen = sizeof(tp_info);
        }
    }
    else err = WSAENOPROTOOPT;
    tp_log("WSPGetSockOpt level=%d opt=%d -> %d err=%d", level, optname, err ? -1 : 0, err);
    if (err)
    {
        if (lpErrno) *lpErrno = err;
        return SOCKET_ERROR;
    }
    return 0;
}
