/* tp_sock.c - the loopback socket state tp_ifs.dll and tp_nifs.dll share (see tp_sock.h).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "tp_sock.h"

static struct tp_sock *all;
static u_short next_port;
static tp_sock_lookup_fn lookup;

void tp_sock_setup(tp_sock_lookup_fn fn, u_short first_port)
{
    EnterCriticalSection(&tp_cs);
    lookup = fn;
    if (!next_port) next_port = first_port;
    LeaveCriticalSection(&tp_cs);
}

BOOL tp_sock_init(struct tp_sock *ts, DWORD catalog_id)
{
    memset(ts, 0, sizeof(*ts));
    ts->catalog_id = catalog_id;
    ts->s = INVALID_SOCKET;
    return (ts->ready = CreateEventW(NULL, TRUE, FALSE, NULL)) != NULL;
}

void tp_sock_release(struct tp_sock *ts)
{
    if (ts->ready) CloseHandle(ts->ready);
    ts->ready = NULL;
}

void tp_sock_link(struct tp_sock *ts)
{
    ts->next = all;
    all = ts;
}

void tp_sock_unlink(struct tp_sock *ts)
{
    struct tp_sock **pp;
    for (pp = &all; *pp; pp = &(*pp)->next)
        if (*pp == ts)
        {
            *pp = ts->next;
            break;
        }
}

struct tp_sock *tp_sock_find(SOCKET s)
{
    struct tp_sock *ts;
    for (ts = all; ts; ts = ts->next)
        if (ts->s == s) return ts;
    return NULL;
}

struct tp_sock *tp_sock_listener(u_short port)
{
    struct tp_sock *ts;
    for (ts = all; ts; ts = ts->next)
        if (ts->state == TP_SOCK_LISTENING && ts->port == port) return ts;
    return NULL;
}

static BOOL port_in_use(u_short port)
{
    struct tp_sock *ts;
    for (ts = all; ts; ts = ts->next)
        if ((ts->state == TP_SOCK_BOUND || ts->state == TP_SOCK_LISTENING) && ts->port == port) return TRUE;
    return FALSE;
}

u_short tp_sock_ephemeral_port(void)
{
    while (port_in_use(next_port)) next_port++;
    return next_port++;
}

int tp_sock_socket_check(int af, int type, int protocol, const WSAPROTOCOL_INFOW *info)
{
    if (af != AF_INET) return WSAEAFNOSUPPORT;
    if (type != SOCK_STREAM) return WSAESOCKTNOSUPPORT;
    if (protocol && protocol != (info ? info->iProtocol : tp_info.iProtocol)) return WSAEPROTONOSUPPORT;
    return 0;
}

int tp_sock_connect_check(const struct tp_sock *ts, const struct sockaddr *name, int namelen, u_short *port)
{
    const struct sockaddr_in *sin = (const struct sockaddr_in *)name;

    if (!name || namelen < (int)sizeof(*sin)) return WSAEFAULT;
    if (sin->sin_family != AF_INET) return WSAEAFNOSUPPORT;
    if (ts->state == TP_SOCK_CONNECTED) return WSAEISCONN;
    if (ts->state == TP_SOCK_LISTENING) return WSAEINVAL;
    *port = ntohs(sin->sin_port);
    return 0;
}

SOCKET tp_sock_handle(const struct tp_sock *ts, int err, LPINT lpErrno)
{
    if (ts) return ts->s;
    tp_fail(lpErrno, err);
    return INVALID_SOCKET;
}

int WSPAPI tp_sock_bind(SOCKET s, const struct sockaddr *name, int namelen, LPINT lpErrno)
{
    const struct sockaddr_in *sin = (const struct sockaddr_in *)name;
    struct tp_sock *ts;
    int err = 0;
    u_short port = 0;

    EnterCriticalSection(&tp_cs);
    if (!(ts = lookup(s, &err))) ;
    else if (!name || namelen < (int)sizeof(*sin)) err = WSAEFAULT;
    else if (sin->sin_family != AF_INET) err = WSAEAFNOSUPPORT;
    else if (ts->state != TP_SOCK_NEW) err = WSAEINVAL;
    else
    {
        port = ntohs(sin->sin_port);
        if (!port) port = tp_sock_ephemeral_port();
        else if (port_in_use(port)) err = WSAEADDRINUSE;
        if (!err)
        {
            ts->port = port;
            ts->state = TP_SOCK_BOUND;
        }
    }
    LeaveCriticalSection(&tp_cs);
    tp_log("WSPBind s=%#llx port=%u -> %d err=%d", (unsigned long long)s, port, err ? -1 : 0, err);
    return err ? tp_fail(lpErrno, err) : 0;
}

int WSPAPI tp_sock_listen(SOCKET s, int backlog, LPINT lpErrno)
{
    struct tp_sock *ts;
    int err = 0;

    EnterCriticalSection(&tp_cs);
    if (!(ts = lookup(s, &err))) ;
    else if (ts->state != TP_SOCK_BOUND && ts->state != TP_SOCK_LISTENING) err = WSAEINVAL;
    else ts->state = TP_SOCK_LISTENING;
    LeaveCriticalSection(&tp_cs);
    tp_log("WSPListen s=%#llx backlog=%d -> %d err=%d", (unsigned long long)s, backlog, err ? -1 : 0, err);
    return err ? tp_fail(lpErrno, err) : 0;
}

static int name_of(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno, BOOL peer)
{
    struct tp_sock *ts;
    int err = 0, state = 0;
    u_short port = 0, peer_port = 0;

    EnterCriticalSection(&tp_cs);
    if ((ts = lookup(s, &err)))
    {
        state = ts->state;
        port = ts->port;
        peer_port = ts->peer_port;
    }
    LeaveCriticalSection(&tp_cs);
    return tp_name_of(s, err, state, port, peer_port, name, namelen, lpErrno, peer);
}

int WSPAPI tp_sock_get_sock_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    return name_of(s, name, namelen, lpErrno, FALSE);
}

int WSPAPI tp_sock_get_peer_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    return name_of(s, name, namelen, lpErrno, TRUE);
}
