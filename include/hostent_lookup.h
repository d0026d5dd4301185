/* hostent_lookup.h - hostent results for gethostbyname/gethostbyaddr and WSAAsyncGetHostByName/
 * ByAddr (src/resolve/hostent_lookup.c): the lookups through the namespace catalog (the provider's hostent
 * blob, offsets from its start, decoded with bounds checks), and the packing of a hostent with real
 * pointers into one caller buffer (struct, alias and address lists, addresses, strings). DLL only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_HOSTENT_LOOKUP_H
#define OPENWS2_HOSTENT_LOOKUP_H

#include "ws2_common.h"

#define HOSTENT_MAX_ALIASES 35
#define HOSTENT_MAX_ADDRS 35

struct hostent_view
{
    const char *name;
    size_t alias_count, addr_count;
    const char *aliases[HOSTENT_MAX_ALIASES];
    int family, length;
    const uint8_t *addrs[HOSTENT_MAX_ADDRS];
    void *storage;     /* heap memory the pointers refer to (hostent_view_free) */
    uint8_t own_addr[16]; /* gethostbyaddr's address (the view must not be moved) */
};

/* gethostbyname's lookup: NULL or "" is the local host; a dotted IPv4 address is returned as is
 * without any provider. IPv4 only. Returns 0 or the WSA error. */
int hostent_by_name(const char *name, struct hostent_view *v);
/* gethostbyaddr's lookup (len/type checked by the caller). */
int hostent_by_addr(const uint8_t *addr, int len, int type, struct hostent_view *v);
void hostent_view_free(struct hostent_view *v);

/* Packs the hostent into buf (size bytes): returns the size needed; writes only when it fits. */
size_t hostent_pack(const struct hostent_view *v, void *buf, size_t size);

/* The same for servent / protoent (s_port in network order). */
size_t servent_pack(const char *name, const char *const *aliases, size_t alias_count, uint16_t port_net,
                    const char *proto, void *buf, size_t size);
size_t protoent_pack(const char *name, const char *const *aliases, size_t alias_count, int number, void *buf, size_t size);

#endif
