/* tp_sock.h - the loopback socket state tp_ifs.dll and tp_nifs.dll share: the record each of their
 * sockets starts with (handle, catalog entry, state, ports, blocking mode, "accept ready" event), the
 * provider's list of them with its ephemeral ports, and WSPBind / WSPListen / WSPGetSockName /
 * WSPGetPeerName and the connect checks over that state. Every call is made with tp_cs held, except
 * the WSP ones, which take it themselves.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_TP_SOCK_H
#define OPENWS2_TP_SOCK_H

#include "tp_common.h"

/* tp_sock.state (the numbers tp_name_of takes) */
#define TP_SOCK_NEW        0
#define TP_SOCK_BOUND      1
#define TP_SOCK_LISTENING  2
#define TP_SOCK_CONNECTED  3

struct tp_sock
{
    struct tp_sock *next; /* the provider's list (tp_socks.all) */
    SOCKET s;
    DWORD catalog_id;     /* the entry the socket was made for */
    int state;            /* TP_SOCK_* */
    u_short port, peer_port;
    BOOL nonblocking;
    HANDLE ready;         /* manual-reset: set while a blocking wait on the socket would end */
};

/* The provider's record of s (tp_cs held); NULL with *err = WSAENOTSOCK when s is not its socket. */
typedef struct tp_sock *(*tp_sock_lookup_fn)(SOCKET s, int *err);

/* At WSPStartup: the provider's lookup and where its ephemeral ports start. */
void tp_sock_setup(tp_sock_lookup_fn lookup, u_short first_port);

/* Zeroes ts except for its catalog entry and makes its ready event; FALSE when out of resources. */
BOOL tp_sock_init(struct tp_sock *ts, DWORD catalog_id);
/* Closes what tp_sock_init made. */
void tp_sock_release(struct tp_sock *ts);
/* Adds ts to / removes it from the provider's list. */
void tp_sock_link(struct tp_sock *ts);
void tp_sock_unlink(struct tp_sock *ts);
/* The socket with handle s, or NULL. */
struct tp_sock *tp_sock_find(SOCKET s);
/* The socket listening on port, or NULL. */
struct tp_sock *tp_sock_listener(u_short port);
/* A port no bound or listening socket has. */
u_short tp_sock_ephemeral_port(void);

/* WSPSocket's checks (AF_INET, SOCK_STREAM, the entry's protocol or 0): 0 or the WSA error. */
int tp_sock_socket_check(int af, int type, int protocol, const WSAPROTOCOL_INFOW *info);
/* WSPConnect's checks of the address and of ts's state: 0 (the port in *port) or the WSA error. */
int tp_sock_connect_check(const struct tp_sock *ts, const struct sockaddr *name, int namelen, u_short *port);
/* The end of WSPSocket / WSPAccept: ts's handle, or INVALID_SOCKET with err in *lpErrno when ts is NULL. */
SOCKET tp_sock_handle(const struct tp_sock *ts, int err, LPINT lpErrno);

/* WSPBind, WSPListen, WSPGetSockName and WSPGetPeerName over the state, logged. */
int WSPAPI tp_sock_bind(SOCKET s, const struct sockaddr *name, int namelen, LPINT lpErrno);
int WSPAPI tp_sock_listen(SOCKET s, int backlog, LPINT lpErrno);
int WSPAPI tp_sock_get_sock_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno);
int WSPAPI tp_sock_get_peer_name(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno);

#endif
