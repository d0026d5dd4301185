/* nsp_dns_host.h - force-included into dlls/nsp/nsp_dns.c for the host allocation-failure test:
 * its Winsock calls go to the in-process fake DNS server of nsp_dns_host.c (no network at all).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NSP_DNS_HOST_H
#define OPENWS2_NSP_DNS_HOST_H

#include "ws2_common.h"

SOCKET nsp_fake_socket(int af, int type, int protocol);
int nsp_fake_connect(SOCKET s, const struct sockaddr *name, int len);
int nsp_fake_send(SOCKET s, const char *buf, int len, int flags);
int nsp_fake_recv(SOCKET s, char *buf, int len, int flags);
int nsp_fake_select(int n, fd_set *r, fd_set *w, fd_set *e, const struct timeval *tv);
int nsp_fake_closesocket(SOCKET s);
int nsp_fake_ioctlsocket(SOCKET s, LONG cmd, ULONG *arg);
int nsp_fake_getsockopt(SOCKET s, int level, int name, char *value, int *len);
int nsp_fake_last_error(void);
int nsp_fake_startup(WORD version, WSADATA *data);
int nsp_fake_cleanup(void);
BOOLEAN WINAPI nsp_fake_random(PVOID buf, ULONG len); /* as nsp_dns.c declares SystemFunction036 */
DWORD nsp_fake_ticks(void);
DWORD nsp_fake_thread_id(void);
/* Sockets made by nsp_dns.c and not closed. */
int nsp_fake_open_sockets(void);

#define socket nsp_fake_socket
#define connect nsp_fake_connect
#define send nsp_fake_send
#define recv nsp_fake_recv
#define select nsp_fake_select
#define closesocket nsp_fake_closesocket
#define ioctlsocket nsp_fake_ioctlsocket
#define getsockopt nsp_fake_getsockopt
#define WSAGetLastError nsp_fake_last_error
#define WSAStartup nsp_fake_startup
#define WSACleanup nsp_fake_cleanup
#define SystemFunction036 nsp_fake_random
#define GetTickCount nsp_fake_ticks
#undef GetCurrentThreadId
#define GetCurrentThreadId nsp_fake_thread_id

#endif
