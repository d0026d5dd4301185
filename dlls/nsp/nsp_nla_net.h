/* nsp_nla_net.h - the portable part of openws2nsp's Network Location Awareness name space: the
 * networks made from an adapter list (GetAdaptersAddresses' IP_ADAPTER_ADDRESSES), a network's
 * NLA_BLOB chain and its packed WSAQUERYSETW result set. No Windows calls (host unit tests:
 * tests/unit/nsp_nla_test.c).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NSP_NLA_NET_H
#define OPENWS2_NSP_NLA_NET_H

#include "ws2_common.h"
#include <ipifcons.h>
#include <iptypes.h>
#include <mswsock.h>

#define NLA_NAME_LEN 256           /* WCHARs of a network name, terminator included */
#define NLA_ADAPTER_NAME_LEN 260   /* chars of an AdapterName, terminator included */
#define NLA_MAX_NETWORKS 64
#define NLA_MAX_INTERFACES 16      /* per network */

/* NLA_SERVICE_CLASS_GUID {0037E515-B5C9-4A43-BADA-8B48A87AD239} and NLA_NAMESPACE_GUID
 * {6642243A-3BA8-4AA6-BAA5-2E0BD71FDD83} (mswsock.h; not in every header set). */
extern const GUID nsp_nla_class_id;
extern const GUID nsp_nla_provider_id;

struct nla_interface
{
    DWORD type;                     /* IfType (IANA ifType) */
    DWORD speed;                    /* kbps */
    char adapter[NLA_ADAPTER_NAME_LEN];
};

struct nla_network
{
    WCHAR name[NLA_NAME_LEN];
    size_t if_count;
    struct nla_interface ifs[NLA_MAX_INTERFACES];
};

/* The networks of an adapter list: every adapter that is up, not loopback, with a unicast address,
 * in the network named by its DNS suffix, else the subnet address of its first IPv4 address, else
 * the prefix of its first IPv6 address; adapters with the same name (case-insensitive) share one
 * network. only: keep just the network of that name (NULL: all). Returns the number written to out
 * (at most max). */
size_t nsp_nla_networks(const IP_ADAPTER_ADDRESSES *list, const WCHAR *only, struct nla_network *out, size_t max);

/* The NLA_BLOB chain of a network (one NLA_INTERFACE per adapter, then one NLA_CONNECTIVITY): its
 * size; written into buf (zeroed by the caller, at least that size) when buf is not NULL. Each
 * header.dwSize is the entry's own size, header included; header.nextOffset the distance from the
 * entry's start to the next entry (8-byte aligned), 0 on the last. */
size_t nsp_nla_pack_blob(const struct nla_network *net, unsigned char *buf);

/* One result set for a network in out (size bytes), LUP_RETURN_NAME / COMMENT / TYPE / BLOB of
 * flags honoured, every pointer inside out: 0, or WSAEFAULT with *needed the exact size. */
int nsp_nla_pack_result(const struct nla_network *net, DWORD flags, WSAQUERYSETW *out, size_t size, size_t *needed);

/* ASCII case-insensitive comparison of two wide strings (0: equal). */
int nsp_nla_name_cmp(const WCHAR *a, const WCHAR *b);

#endif
