/* ns_advertise.h - namespace version-2 (NSPv2) providers advertised in this process with
 * WSAAdvertiseProvider (src/namespace/ns_advertise.c): a provider id of the namespace catalog whose lookups go
 * to the NSPV2_ROUTINE it advertised instead of a DLL's NSPStartup. NSPv2Startup runs at the first
 * use after each WSAStartup, NSPv2Cleanup at the last WSACleanup or when it is unadvertised.
 * Calls into NSPv2 providers are synchronous (no hAsyncCall). DLL build only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NS_ADVERTISE_H
#define OPENWS2_NS_ADVERTISE_H

#include "ws2_common.h"

struct nspv2_provider
{
    LONG refs;
    GUID id;
    NSPV2_ROUTINE routines;
    void *session;        /* NSPv2Startup's client session argument */
    BOOL started;
    BOOL gone;            /* unadvertised: no new lookups */
    struct nspv2_provider *next;
};

/* The referenced, started provider advertised for id: 0, WSAEINVALIDPROVIDER when none is advertised,
 * or NSPv2Startup's error. */
int nspv2_get(const GUID *id, struct nspv2_provider **out);
/* TRUE when id is advertised (cheap check, no startup). */
BOOL nspv2_advertised(const GUID *id);
void nspv2_release(struct nspv2_provider *p);
/* Last WSACleanup: NSPv2Cleanup for every started provider (they stay advertised). */
void nspv2_cleanup_all(void);

/* Shallow WSAQUERYSETW <-> WSAQUERYSET2W (the pointers are shared; 2W has no class id). */
void ns_qs_to_qs2(const WSAQUERYSETW *in, WSAQUERYSET2W *out);
void ns_qs2_to_qs(const WSAQUERYSET2W *in, GUID *class_id, WSAQUERYSETW *out);

#endif
