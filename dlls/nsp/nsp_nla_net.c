/* nsp_nla_net.c - the portable part of the NLA name space (nsp_nla_net.h): networks from the adapter
 * list, the NLA_BLOB chain, the packed result set.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "nsp_nla_net.h"
#include "addr_parse.h"

const GUID nsp_nla_class_id = {0x0037e515, 0xb5c9, 0x4a43, {0xba, 0xda, 0x8b, 0x48, 0xa8, 0x7a, 0xd2, 0x39}};
const GUID nsp_nla_provider_id = {0x6642243a, 0x3ba8, 0x4aa6, {0xba, 0xa5, 0x2e, 0x0b, 0xd7, 0x1f, 0xdd, 0x83}};

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

static size_t wlen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

int nsp_nla_name_cmp(const WCHAR *a, const WCHAR *b)
{
    for (;; a++, b++)
    {
        WCHAR x = *a >= 'A' && *a <= 'Z' ? (WCHAR)(*a + 32) : *a;
        WCHAR y = *b >= 'A' && *b <= 'Z' ? (WCHAR)(*b + 32) : *b;
        if (x != y) return x < y ? -1 : 1;
        if (!x) return 0;
    }
}

static void ascii_to_name(const char *s, WCHAR *out)
{
    size_t i;
    for (i = 0; i + 1 < NLA_NAME_LEN && s[i]; i++) out[i] = (WCHAR)(unsigned char)s[i];
    out[i] = 0;
}

static void mask(uint8_t *addr, size_t bytes, unsigned len)
{
    size_t i;
    for (i = 0; i < bytes; i++)
    {
        unsigned bits = len > i * 8 ? len - (unsigned)i * 8 : 0;
        if (bits < 8) addr[i] &= (uint8_t)(0xff00u >> bits);
    }
}

/* The name of the network an adapter is attached to; FALSE when it has no unicast address. */
static BOOL network_name(const IP_ADAPTER_ADDRESSES *a, WCHAR *out)
{
    const IP_ADAPTER_UNICAST_ADDRESS *u, *v4 = NULL, *v6 = NULL;
    char text[64];
    size_t i;

    for (u = a->FirstUnicastAddress; u; u = u->Next)
    {
        const SOCKADDR *sa = u->Address.lpSockaddr;
        if (!sa) continue;
        if (sa->sa_family == AF_INET && u->Address.iSockaddrLength >= (INT)sizeof(SOCKADDR_IN) && !v4) v4 = u;
        if (sa->sa_family == AF_INET6 && u->Address.iSockaddrLength >= (INT)sizeof(SOCKADDR_IN6) && !v6) v6 = u;
    }
    if (!v4 && !v6) return FALSE;
    if (a->DnsSuffix && a->DnsSuffix[0])
    {
        for (i = 0; i + 1 < NLA_NAME_LEN && a->DnsSuffix[i]; i++) out[i] = a->DnsSuffix[i];
        out[i] = 0;
        return TRUE;
    }
    if (v4)
    {
        uint8_t addr[4];
        memcpy(addr, &((const SOCKADDR_IN *)v4->Address.lpSockaddr)->sin_addr, 4);
        mask(addr, 4, v4->OnLinkPrefixLength <= 32 ? v4->OnLinkPrefixLength : 32);
        addr_format_ipv4(addr, text);
    }
    else
    {
        uint8_t addr[16];
        memcpy(addr, &((const SOCKADDR_IN6 *)v6->Address.lpSockaddr)->sin6_addr, 16);
        mask(addr, 16, v6->OnLinkPrefixLength <= 128 ? v6->OnLinkPrefixLength : 128);
        addr_format_ipv6(addr, text);
    }
    ascii_to_name(text, out);
    return TRUE;
}

size_t nsp_nla_networks(const IP_ADAPTER_ADDRESSES *list, const WCHAR *only, struct nla_network *out, size_t max)
{
    const IP_ADAPTER_ADDRESSES *a;
    size_t count = 0;

    for (a = list; a; a = a->Next)
    {
        WCHAR name[NLA_NAME_LEN];
        struct nla_network *net = NULL;
        struct nla_interface *itf;
        ULONG64 speed;
        size_t i;

        if (a->OperStatus != IfOperStatusUp || a->IfType == IF_TYPE_SOFTWARE_LOOPBACK) continue;
        if (!network_name(a, name)) continue;
        if (only && nsp_nla_name_cmp(name, only)) continue;
        for (i = 0; i < count && !net; i++)
            if (!nsp_nla_name_cmp(out[i].name, name)) net = &out[i];
        if (!net)
        {
            if (count == max) continue;
            net = &out[count++];
            memset(net, 0, sizeof(*net));
            memcpy(net->name, name, sizeof(name));
        }
        if (net->if_count == NLA_MAX_INTERFACES) continue;
        itf = &net->ifs[net->if_count++];
        memset(itf, 0, sizeof(*itf));
        itf->type = a->IfType;
        speed = a->TransmitLinkSpeed == (ULONG64)-1 ? 0 : a->TransmitLinkSpeed / 1000;
        itf->speed = speed > 0xffffffffu ? 0xffffffffu : (DWORD)speed;
        if (a->AdapterName)
            for (i = 0; i + 1 < NLA_ADAPTER_NAME_LEN && a->AdapterName[i]; i++) itf->adapter[i] = a->AdapterName[i];
    }
    return count;
}

static size_t interface_entry_size(const struct nla_interface *itf)
{
    return offsetof(NLA_BLOB, data.interfaceData.adapterName) + strlen(itf->adapter) + 1;
}

static size_t connectivity_entry_size(void)
{
    return offsetof(NLA_BLOB, data.connectivity) + sizeof(((NLA_BLOB *)0)->data.connectivity);
}

size_t nsp_nla_pack_blob(const struct nla_network *net, unsigned char *buf)
{
    size_t off = 0, i, size;

    for (i = 0; i <= net->if_count; i++)
    {
        BOOL last = i == net->if_count;
        size = last ? connectivity_entry_size() : interface_entry_size(&net->ifs[i]);
        if (buf)
        {
            NLA_BLOB *e = (NLA_BLOB *)(buf + off); /* the caller zeroed the buffer (padding included) */
            e->header.dwSize = (DWORD)size;
            e->header.nextOffset = last ? 0 : (DWORD)ALIGN8(size);
            if (!last)
            {
                e->header.type = NLA_INTERFACE;
                e->data.interfaceData.dwType = net->ifs[i].type;
                e->data.interfaceData.dwSpeed = net->ifs[i].speed;
                memcpy(e->data.interfaceData.adapterName, net->ifs[i].adapter, strlen(net->ifs[i].adapter) + 1);
            }
            else
            {
                e->header.type = NLA_CONNECTIVITY;
                e->data.connectivity.type = NLA_NETWORK_UNKNOWN;
                e->data.connectivity.internet = NLA_INTERNET_UNKNOWN;
            }
        }
        off += last ? size : ALIGN8(size);
    }
    return off;
}

int nsp_nla_pack_result(const struct nla_network *net, DWORD flags, WSAQUERYSETW *out, size_t size, size_t *needed)
{
    size_t name_bytes = (wlen(net->name) + 1) * sizeof(WCHAR);
    size_t off_class, off_provider, off_blob, off_data, off_name, off_comment, total, blob_len = 0;
    unsigned char *base = (unsigned char *)out;
    BOOL want_name = (flags & LUP_RETURN_NAME) != 0, want_comment = (flags & LUP_RETURN_COMMENT) != 0;
    BOOL want_type = (flags & LUP_RETURN_TYPE) != 0, want_blob = (flags & LUP_RETURN_BLOB) != 0;

    off_class = ALIGN8(sizeof(WSAQUERYSETW));
    off_provider = off_class + (want_type ? sizeof(GUID) : 0);
    off_blob = ALIGN8(off_provider + sizeof(GUID));
    off_data = off_blob + (want_blob ? ALIGN8(sizeof(BLOB)) : 0);
    if (want_blob) blob_len = nsp_nla_pack_blob(net, NULL);
    off_name = ALIGN8(off_data + blob_len);
    off_comment = off_name + (want_name ? name_bytes : 0);
    total = off_comment + (want_comment ? name_bytes : 0);
    *needed = total;
    if (!out || size < total) return WSAEFAULT;

    memset(out, 0, total);
    out->dwSize = sizeof(WSAQUERYSETW);
    out->dwNameSpace = NS_NLA;
    memcpy(base + off_provider, &nsp_nla_provider_id, sizeof(GUID));
    out->lpNSProviderId = (GUID *)(base + off_provider);
    if (want_type)
    {
        memcpy(base + off_class, &nsp_nla_class_id, sizeof(GUID));
        out->lpServiceClassId = (GUID *)(base + off_class);
    }
    if (want_blob)
    {
        BLOB *b = (BLOB *)(base + off_blob);
        nsp_nla_pack_blob(net, base + off_data);
        b->cbSize = (ULONG)blob_len;
        b->pBlobData = base + off_data;
        out->lpBlob = b;
    }
    if (want_name)
    {
        memcpy(base + off_name, net->name, name_bytes);
        out->lpszServiceInstanceName = (WCHAR *)(base + off_name);
    }
    if (want_comment)
    {
        memcpy(base + off_comment, net->name, name_bytes);
        out->lpszComment = (WCHAR *)(base + off_comment);
    }
    return 0;
}
