/* tp_lsp.c - tp_lsp.dll, openws2's recording LAYERED test provider (a non-IFS layer).
 *
 * Installed as a protocol chain [this layer's hidden entry, the next layer's entry ...]: its
 * WSPStartup finds the next entry of the chain (WSCEnumProtocols), that entry's DLL
 * (WSCGetProviderPath, environment strings expanded), loads it and runs its WSPStartup with the
 * same upcall table. Its sockets are its own ws2_32 handles (WPUCreateSocketHandle, context = the
 * record holding the next layer's socket); bind, listen, connect, accept, names, shutdown, socket
 * options, FIONBIO/FIONREAD and SYNCHRONOUS send/recv are passed down; overlapped I/O is not
 * supported here (WSAEOPNOTSUPP, logged). WSPCleanup cleans the next layer up and unloads it.
 * ws2_32's entry points are resolved at run time (the DLL imports only kernel32).
 *
 * Log lines (format and knobs in tp_common.h, prefix OPENWS2_TP_LSP):
 *   next WSPStartup catalog=<next id> path=<path> -> <r>
 *   WSPStartup requested=0x0202 catalog=<chain id> -> 0 version=0x0202 startups=<n>
 *   WSPSocket af= type= protocol= base=<next layer's socket> -> <socket> err=<e>
 *   WSPBind|WSPListen|WSPConnect|WSPSend|WSPRecv|WSPShutdown s=<socket> base=<socket> -> <r> err=<e>
 *   WSPAccept s= base=<accepted next-layer socket> -> <socket> err=<e>
 *   WSPCloseSocket s= base= -> <r> err=<e>    next WSPCleanup -> <r> err=<e>    WSPCleanup -> 0 ...
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "tp_common.h"

#include <stdio.h>
#include <stdlib.h>

typedef int (WSPAPI *enum_protocols_fn)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);
typedef int (WSPAPI *get_path_fn)(LPGUID, WCHAR *, LPINT, LPINT);

struct lsock
{
    struct lsock *next;
    SOCKET s, base;
    DWORD catalog_id;
};

static struct lsock *all;
static WSPPROC_TABLE next_procs;
static WSAPROTOCOL_INFOW next_info;
static HMODULE next_module;

TP_EXPORT int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable);

/* The layer's record for s, through WPUQuerySocketHandleContext. */
static struct lsock *lookup(SOCKET s, int *err)
{
    DWORD_PTR ctx = 0;
    int e = 0;
    struct lsock *ls;

    if (!tp_upcall.lpWPUQuerySocketHandleContext(s, &ctx, &e))
    {
        EnterCriticalSection(&tp_cs);
        for (ls = all; ls; ls = ls->next)
            if ((DWORD_PTR)ls == ctx && ls->s == s) break;
        LeaveCriticalSection(&tp_cs);
        if (ls) return ls;
    }
    *err = WSAENOTSOCK;
    return NULL;
}

/* Wraps next-layer socket base into a handle of ours. */
static struct lsock *wrap(SOCKET base, DWORD catalog_id, int *err)
{
    struct lsock *ls = calloc(1, sizeof(*ls));
    int e = 0;

    if (!ls)
    {
        *err = WSAENOBUFS;
        return NULL;
    }
    ls->base = base;
    ls->catalog_id = catalog_id;
    ls->s = tp_upcall.lpWPUCreateSocketHandle(catalog_id, (DWORD_PTR)ls, &e);
    if (ls->s == INVALID_SOCKET)
    {
        free(ls);
        *err = e ? e : WSAENOBUFS;
        return NULL;
    }
    EnterCriticalSection(&tp_cs);
    ls->next = all;
    all = ls;
    LeaveCriticalSection(&tp_cs);
    return ls;
}

static void unwrap(struct lsock *ls)
{
    struct lsock **pp;
    int e = 0;

    EnterCriticalSection(&tp_cs);
    for (pp = &all; *pp; pp = &(*pp)->next)
        if (*pp == ls)
        {
            *pp = ls->next;
            break;
        }
    LeaveCriticalSection(&tp_cs);
    tp_upcall.lpWPUCloseSocketHandle(ls->s, &e);
    free(ls);
}

static int WSPAPI lsp_cleanup(LPINT lpErrno)
{
    int e = 0, r;

    /* A cleanup without a matching startup (a runner checks that it fails) must not clean the next
     * layer up nor unload it: that layer may still serve the startups that are left. */
    if (tp_cleanup(lpErrno)) return SOCKET_ERROR;
    r = next_procs.lpWSPCleanup ? next_procs.lpWSPCleanup(&e) : SOCKET_ERROR;
    tp_log("next WSPCleanup -> %d err=%d", r, r ? e : 0);
    if (next_module) FreeLibrary(next_module);
    return 0;
}

static SOCKET WSPAPI lsp_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g, DWORD flags,
                                LPINT lpErrno)
{
    WSAPROTOCOL_INFOW below = next_info;
    struct lsock *ls = NULL;
    int err = 0;
    SOCKET base = next_procs.lpWSPSocket(af, type, protocol, &below, g, flags, &err);

    if (base != INVALID_SOCKET && !(ls = wrap(base, info ? info->dwCatalogEntryId : tp_catalog_id, &err)))
    {
        int e = 0;
        next_procs.lpWSPCloseSocket(base, &e);
    }
    tp_log("WSPSocket af=%d type=%d protocol=%d base=%#llx -> %#llx err=%d", af, type, protocol,
           (unsigned long long)base, (unsigned long long)(ls ? ls->s : INVALID_SOCKET), ls ? 0 : err);
    if (!ls)
    {
        tp_fail(lpErrno, err ? err : WSAENOBUFS);
        return INVALID_SOCKET;
    }
    return ls->s;
}

#define PASS_DOWN(name, call)                                                                             \
    struct lsock *ls;                                                                                     \
    int err = 0, r = SOCKET_ERROR;                                                                        \
    if ((ls = lookup(s, &err))) r = call;                                                                 \
    tp_log(name " s=%#llx base=%#llx -> %d err=%d", (unsigned long long)s,                                \
           (unsigned long long)(ls ? ls->base : INVALID_SOCKET), r, r ? err : 0);                         \
    return r ? tp_fail(lpErrno, err) : 0;

static int WSPAPI lsp_bind(SOCKET s, const struct sockaddr *name, int namelen, LPINT lpErrno)
{
    PASS_DOWN("WSPBind", next_procs.lpWSPBind(ls->base, name, namelen, &err))
}

static int WSPAPI lsp_listen(SOCKET s, int backlog, LPINT lpErrno)
{
    PASS_DOWN("WSPListen", next_procs.lpWSPListen(ls->base, backlog, &err))
}

static int WSPAPI lsp_connect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller, LPWSABUF callee,
                              LPQOS sqos, LPQOS gqos, LPINT lpErrno)
{
    PASS_DOWN("WSPConnect", next_procs.lpWSPConnect(ls->base, name, namelen, caller, callee, sqos, gqos, &err))
}

static int WSPAPI lsp_get_sock_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    PASS_DOWN("WSPGetSockName", next_procs.lpWSPGetSockName(ls->base, name, namelen, &err))
}

static int WSPAPI lsp_get_peer_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    PASS_DOWN("WSPGetPeerName", next_procs.lpWSPGetPeerName(ls->base, name, namelen, &err))
}

static int WSPAPI lsp_shutdown(SOCKET s, int how, LPINT lpErrno)
{
    PASS_DOWN("WSPShutdown", next_procs.lpWSPShutdown(ls->base, how, &err))
}

static int WSPAPI lsp_get_sock_opt(SOCKET s, int level, int optname, char *optval, LPINT optlen, LPINT lpErrno)
{
    PASS_DOWN("WSPGetSockOpt", next_procs.lpWSPGetSockOpt(ls->base, level, optname, optval, optlen, &err))
}

static int WSPAPI lsp_set_sock_opt(SOCKET s, int level, int optname, const char *optval, int optlen, LPINT lpErrno)
{
    PASS_DOWN("WSPSetSockOpt", next_procs.lpWSPSetSockOpt(ls->base, level, optname, optval, optlen, &err))
}

static SOCKET WSPAPI lsp_accept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC cond, DWORD_PTR data,
                                LPINT lpErrno)
{
    struct lsock *ls, *acc = NULL;
    SOCKET base = INVALID_SOCKET;
    int err = 0;

    (void)cond; (void)data;
    if ((ls = lookup(s, &err)))
    {
        base = next_procs.lpWSPAccept(ls->base, addr, addrlen, NULL, 0, &err);
        if (base != INVALID_SOCKET && !(acc = wrap(base, ls->catalog_id, &err)))
        {
            int e = 0;
            next_procs.lpWSPCloseSocket(base, &e);
        }
    }
    tp_log("WSPAccept s=%#llx base=%#llx -> %#llx err=%d", (unsigned long long)s, (unsigned long long)base,
           (unsigned long long)(acc ? acc->s : INVALID_SOCKET), acc ? 0 : err);
    if (!acc)
    {
        tp_fail(lpErrno, err ? err : WSAENOBUFS);
        return INVALID_SOCKET;
    }
    return acc->s;
}

static int WSPAPI lsp_send(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD sent, DWORD flags, LPWSAOVERLAPPED ov,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    struct lsock *ls;
    int err = 0, r = SOCKET_ERROR;

    if (ov || cr) err = WSAEOPNOTSUPP;
    else if ((ls = lookup(s, &err))) r = next_procs.lpWSPSend(ls->base, bufs, n, sent, flags, NULL, NULL, tid, &err);
    tp_log("WSPSend s=%#llx bytes=%lu overlapped=%d -> %d err=%d", (unsigned long long)s,
           (unsigned long)(!r && sent ? *sent : 0), ov != NULL, r, r ? err : 0);
    return r ? tp_fail(lpErrno, err) : 0;
}

static int WSPAPI lsp_recv(SOCKET s, LPWSABUF bufs, DWORD n, LPDWORD got, LPDWORD flags, LPWSAOVERLAPPED ov,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid, LPINT lpErrno)
{
    struct lsock *ls;
    int err = 0, r = SOCKET_ERROR;

    if (ov || cr) err = WSAEOPNOTSUPP;
    else if ((ls = lookup(s, &err))) r = next_procs.lpWSPRecv(ls->base, bufs, n, got, flags, NULL, NULL, tid, &err);
    tp_log("WSPRecv s=%#llx bytes=%lu overlapped=%d -> %d err=%d", (unsigned long long)s,
           (unsigned long)(!r && got ? *got : 0), ov != NULL, r, r ? err : 0);
    return r ? tp_fail(lpErrno, err) : 0;
}

static int WSPAPI lsp_ioctl(SOCKET s, DWORD code, LPVOID in, DWORD inlen, LPVOID out, DWORD outlen, LPDWORD ret,
                            LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, LPWSATHREADID tid,
                            LPINT lpErrno)
{
    struct lsock *ls;
    int err = 0, r = SOCKET_ERROR;

    if (ov || cr) err = WSAEOPNOTSUPP;
    else if (code != (DWORD)FIONBIO && code != (DWORD)FIONREAD) err = WSAEINVAL;
    else if ((ls = lookup(s, &err)))
        r = next_procs.lpWSPIoctl(ls->base, code, in, inlen, out, outlen, ret, NULL, NULL, tid, &err);
    tp_log("WSPIoctl s=%#llx code=%#lx -> %d err=%d", (unsigned long long)s, (unsigned long)code, r, r ? err : 0);
    return r ? tp_fail(lpErrno, err) : 0;
}

static int WSPAPI lsp_close_socket(SOCKET s, LPINT lpErrno)
{
    struct lsock *ls;
    int err = 0, r = SOCKET_ERROR;
    SOCKET base = INVALID_SOCKET;

    if ((ls = lookup(s, &err)))
    {
        base = ls->base;
        r = next_procs.lpWSPCloseSocket(base, &err);
        unwrap(ls);
    }
    tp_log("WSPCloseSocket s=%#llx base=%#llx -> %d err=%d", (unsigned long long)s, (unsigned long long)base, r,
           r ? err : 0);
    return r ? tp_fail(lpErrno, err) : 0;
}

/* Loads the next layer of lpProtocolInfo's chain. 0 or a WSA error. */
static int load_next(const WSAPROTOCOL_INFOW *info, WORD version, WSPUPCALLTABLE upcalls)
{
    HMODULE ws2 = GetModuleHandleW(L"ws2_32.dll");
    enum_protocols_fn enum_protocols = ws2 ? (enum_protocols_fn)(void *)GetProcAddress(ws2, "WSCEnumProtocols") : NULL;
    get_path_fn get_path = ws2 ? (get_path_fn)(void *)GetProcAddress(ws2, "WSCGetProviderPath") : NULL;
    WSAPROTOCOL_INFOW *list = NULL;
    WCHAR raw[MAX_PATH], path[MAX_PATH];
    DWORD len = 0, next_id, i;
    int n, err = 0, plen = MAX_PATH, r;
    LPWSPSTARTUP startup;
    WSPDATA data;

    if (!enum_protocols || !get_path || info->ProtocolChain.ChainLen < 2) return WSAEPROVIDERFAILEDINIT;
    next_id = info->ProtocolChain.ChainEntries[1];
    enum_protocols(NULL, NULL, &len, &err);
    if (!len || !(list = malloc(len))) return WSAENOBUFS;
    n = enum_protocols(NULL, list, &len, &err);
    for (i = 0; n > 0 && i < (DWORD)n; i++)
        if (list[i].dwCatalogEntryId == next_id) break;
    if (n <= 0 || i == (DWORD)n)
    {
        free(list);
        tp_log("next layer: catalog entry %lu not found", (unsigned long)next_id);
        return WSAEPROVIDERFAILEDINIT;
    }
    next_info = list[i];
    free(list);
    if (get_path(&next_info.ProviderId, raw, &plen, &err) ||
        !ExpandEnvironmentStringsW(raw, path, MAX_PATH) || !(next_module = LoadLibraryW(path)))
    {
        tp_log("next WSPStartup catalog=%lu -> not loaded", (unsigned long)next_id);
        return WSAEPROVIDERFAILEDINIT;
    }
    startup = (LPWSPSTARTUP)(void *)GetProcAddress(next_module, "WSPStartup");
    memset(&next_procs, 0, sizeof(next_procs));
    r = startup ? startup(version, &data, &next_info, upcalls, &next_procs) : WSAEPROVIDERFAILEDINIT;
    tp_log("next WSPStartup catalog=%lu path=%ls -> %d", (unsigned long)next_id, path, r);
    if (r)
    {
        FreeLibrary(next_module);
        next_module = NULL;
        return WSAEPROVIDERFAILEDINIT;
    }
    return 0;
}

TP_EXPORT int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                WSPUPCALLTABLE UpcallTable, LPWSPPROC_TABLE lpProcTable)
{
    WSPPROC_TABLE t;
    int err;

    if (!lpProtocolInfo) return WSAEFAULT;
    if ((err = load_next(lpProtocolInfo, wVersionRequested, UpcallTable))) return err;
    tp_default_table(&t);
    t.lpWSPAccept = lsp_accept;
    t.lpWSPBind = lsp_bind;
    t.lpWSPCleanup = lsp_cleanup;
    t.lpWSPCloseSocket = lsp_close_socket;
    t.lpWSPConnect = lsp_connect;
    t.lpWSPGetPeerName = lsp_get_peer_name;
    t.lpWSPGetSockName = lsp_get_sock_name;
    t.lpWSPGetSockOpt = lsp_get_sock_opt;
    t.lpWSPIoctl = lsp_ioctl;
    t.lpWSPListen = lsp_listen;
    t.lpWSPRecv = lsp_recv;
    t.lpWSPSend = lsp_send;
    t.lpWSPSetSockOpt = lsp_set_sock_opt;
    t.lpWSPShutdown = lsp_shutdown;
    t.lpWSPSocket = lsp_socket;
    err = tp_startup("OPENWS2_TP_LSP", L"openws2 recording layered test provider", wVersionRequested, lpWSPData,
                     lpProtocolInfo, UpcallTable, lpProcTable, &t);
    if (err)
    {
        int e = 0;
        next_procs.lpWSPCleanup(&e);
        FreeLibrary(next_module);
        next_module = NULL;
    }
    return err;
}
