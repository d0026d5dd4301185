/* nsp_pack.h - openws2nsp's result layout: one WSAQUERYSETW result set packed into the caller's
 * buffer (the structure first, then the GUIDs, CSADDR_INFO array, socket addresses, BLOB and wide
 * strings, all pointers pointing inside the buffer), and the BLOB payloads Windows' TCP/IP name
 * space returns: a hostent or servent whose pointers are offsets from the start of the blob.
 * Portable (host unit tests): the sizes are computed exactly so WSAEFAULT can report them.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NSP_PACK_H
#define OPENWS2_NSP_PACK_H

#include "ws2_common.h"
#include "nsp_host.h"

struct nsp_pack_input
{
    const char *name;               /* lpszServiceInstanceName (ASCII) or NULL */
    const GUID *class_id;           /* lpServiceClassId or NULL */
    const GUID *provider_id;        /* lpNSProviderId or NULL */
    DWORD name_space;               /* dwNameSpace */
    const char *query_string;       /* lpszQueryString or NULL */
    DWORD output_flags;             /* dwOutputFlags (RESULT_IS_ALIAS ...) */
    const struct nsp_addr *addrs;   /* CSADDR_INFO entries (NULL/0: none) */
    size_t addr_count;
    uint16_t port;                  /* host byte order, in every address */
    int socket_type, protocol;      /* of every CSADDR_INFO */
    BOOL res_service;               /* LUP_RES_SERVICE: the address in the local part too */
    const void *blob;               /* lpBlob payload or NULL */
    size_t blob_len;
};

/* Packs one result set. *needed receives the exact size; returns 0 when it fit in size bytes
 * (buf filled), -1 when it did not (buf untouched). */
int nsp_pack_queryset(const struct nsp_pack_input *in, void *buf, size_t size, size_t *needed);

/* hostent blob of h's addresses of family (AF_INET or AF_INET6) with h's name and aliases. Returns
 * the size; writes into buf only when size is large enough. */
size_t nsp_pack_hostent(const struct nsp_host *h, int family, void *buf, size_t size);

/* servent blob; port in host byte order (stored in network order as Windows does). */
size_t nsp_pack_servent(const char *name, const char *const *aliases, size_t alias_count, uint16_t port,
                        const char *proto, void *buf, size_t size);

#endif
