/* nsp_pack.c - packing of WSAQUERYSETW result sets and of the hostent/servent blobs with
 * blob-relative offsets (see nsp_pack.h). Portable: no Windows calls.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "addr_parse.h"
#include "nsp_pack.h"

#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~(size_t)((a) - 1))
#define PTR_ALIGN (sizeof(void *))

static size_t sockaddr_size(int family)
{
    return family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

static size_t wide_size(const char *s)
{
    return s ? (strlen(s) + 1) * sizeof(uint16_t) : 0;
}

static void put_wide(char *dst, const char *s)
{
    size_t i, n = strlen(s);
    for (i = 0; i <= n; i++)
    {
        uint16_t c = (uint8_t)s[i];
        memcpy(dst + i * 2, &c, 2);
    }
}

static void fill_sockaddr(char *dst, int family, const uint8_t *addr, uint16_t port)
{
    if (family == AF_INET6)
    {
        struct sockaddr_in6 sin6;
        memset(&sin6, 0, sizeof(sin6));
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = addr_port_to_net(port);
        if (addr) memcpy(&sin6.sin6_addr, addr, 16);
        memcpy(dst, &sin6, sizeof(sin6));
    }
    else
    {
        struct sockaddr_in sin;
        memset(&sin, 0, sizeof(sin));
        sin.sin_family = AF_INET;
        sin.sin_port = addr_port_to_net(port);
        if (addr) memcpy(&sin.sin_addr, addr, 4);
        memcpy(dst, &sin, sizeof(sin));
    }
}

/* Offsets of each part of a packed result set. */
struct layout
{
    size_t class_id, provider_id, csaddr, sockaddrs, blob, blob_data, name, query, total;
};

static void compute_layout(const struct nsp_pack_input *in, struct layout *l)
{
    size_t off = ALIGN_UP(sizeof(WSAQUERYSETW), 8), i;

    l->class_id = off;
    if (in->class_id) off += sizeof(GUID);
    l->provider_id = off;
    if (in->provider_id) off += sizeof(GUID);
    off = ALIGN_UP(off, 8);
    l->csaddr = off;
    off += in->addr_count * sizeof(CSADDR_INFO);
    l->sockaddrs = off;
    for (i = 0; i < in->addr_count; i++) off += 2 * ALIGN_UP(sockaddr_size(in->addrs[i].family), 8);
    off = ALIGN_UP(off, 8);
    l->blob = off;
    if (in->blob) off += ALIGN_UP(sizeof(BLOB), 8);
    l->blob_data = off;
    if (in->blob) off += ALIGN_UP(in->blob_len, 8);
    l->name = off;
    off += wide_size(in->name);
    l->query = off;
    off += wide_size(in->query_string);
    l->total = off;
}

int nsp_pack_queryset(const struct nsp_pack_input *in, void *buf, size_t size, size_t *needed)
{
    struct layout l;
    WSAQUERYSETW qs;
    char *base = buf;
    size_t i, sa;

    compute_layout(in, &l);
    *needed = l.total;
    if (!buf || size < l.total) return -1;

    memset(base, 0, l.total);
    memset(&qs, 0, sizeof(qs));
    qs.dwSize = sizeof(WSAQUERYSETW);
    qs.dwNameSpace = in->name_space;
    qs.dwOutputFlags = in->output_flags;
    if (in->class_id)
    {
        memcpy(base + l.class_id, in->class_id, sizeof(GUID));
        qs.lpServiceClassId = (GUID *)(base + l.class_id);
    }
    if (in->provider_id)
    {
        memcpy(base + l.provider_id, in->provider_id, sizeof(GUID));
        qs.lpNSProviderId = (GUID *)(base + l.provider_id);
    }
    if (in->addr_count)
    {
        sa = l.sockaddrs;
        for (i = 0; i < in->addr_count; i++)
        {
            CSADDR_INFO info;
            int family = in->addrs[i].family;
            size_t slot = ALIGN_UP(sockaddr_size(family), 8);
            char *local = base + sa, *remote = base + sa + slot;

            /* the address is the remote part, the family's wildcard (usable for bind) the local one;
             * with LUP_RES_SERVICE the prime answer is local and the remote part stays usable: the
             * address in both */
            fill_sockaddr(remote, family, in->addrs[i].addr, in->port);
            fill_sockaddr(local, family, in->res_service ? in->addrs[i].addr : NULL, in->port);
            memset(&info, 0, sizeof(info));
            info.LocalAddr.lpSockaddr = (struct sockaddr *)local;
            info.LocalAddr.iSockaddrLength = (int)sockaddr_size(family);
            info.RemoteAddr.lpSockaddr = (struct sockaddr *)remote;
            info.RemoteAddr.iSockaddrLength = (int)sockaddr_size(family);
            info.iSocketType = in->socket_type;
            info.iProtocol = in->protocol;
            memcpy(base + l.csaddr + i * sizeof(CSADDR_INFO), &info, sizeof(info));
            sa += 2 * slot;
        }
        qs.dwNumberOfCsAddrs = (DWORD)in->addr_count;
        qs.lpcsaBuffer = (CSADDR_INFO *)(base + l.csaddr);
    }
    if (in->blob)
    {
        BLOB b;
        b.cbSize = (ULONG)in->blob_len;
        b.pBlobData = (BYTE *)(base + l.blob_data);
        if (in->blob_len) memcpy(base + l.blob_data, in->blob, in->blob_len);
        memcpy(base + l.blob, &b, sizeof(b));
        qs.lpBlob = (BLOB *)(base + l.blob);
    }
    if (in->name)
    {
        put_wide(base + l.name, in->name);
        qs.lpszServiceInstanceName = (WCHAR *)(base + l.name);
    }
    if (in->query_string)
    {
        put_wide(base + l.query, in->query_string);
        qs.lpszQueryString = (WCHAR *)(base + l.query);
    }
    memcpy(base, &qs, sizeof(qs));
    return 0;
}

static void put_offset(char *dst, size_t offset)
{
    char *value = (char *)(uintptr_t)offset;
    memcpy(dst, &value, sizeof(value));
}

size_t nsp_pack_hostent(const struct nsp_host *h, int family, void *buf, size_t size)
{
    size_t alen = family == AF_INET6 ? 16 : 4, naddr = 0, i, off, aliases_off, addrs_off, data_off, k;
    char *base = buf;
    struct hostent he;

    for (i = 0; i < h->addr_count; i++)
        if (h->addrs[i].family == family) naddr++;
    aliases_off = ALIGN_UP(sizeof(struct hostent), PTR_ALIGN);
    addrs_off = aliases_off + (h->alias_count + 1) * sizeof(char *);
    data_off = addrs_off + (naddr + 1) * sizeof(char *);
    off = data_off + naddr * alen;
    off += strlen(h->name) + 1;
    for (i = 0; i < h->alias_count; i++) off += strlen(h->aliases[i]) + 1;
    if (!buf || size < off) return off;

    memset(base, 0, off);
    /* addresses */
    for (i = 0, k = 0; i < h->addr_count; i++)
    {
        if (h->addrs[i].family != family) continue;
        memcpy(base + data_off + k * alen, h->addrs[i].addr, alen);
        put_offset(base + addrs_off + k * sizeof(char *), data_off + k * alen);
        k++;
    }
    /* strings */
    {
        size_t s = data_off + naddr * alen, n = strlen(h->name) + 1;
        memset(&he, 0, sizeof(he));
        memcpy(base + s, h->name, n);
        he.h_name = (char *)(uintptr_t)s;
        s += n;
        for (i = 0; i < h->alias_count; i++)
        {
            n = strlen(h->aliases[i]) + 1;
            memcpy(base + s, h->aliases[i], n);
            put_offset(base + aliases_off + i * sizeof(char *), s);
            s += n;
        }
    }
    he.h_aliases = (char **)(uintptr_t)aliases_off;
    he.h_addrtype = (short)family;
    he.h_length = (short)alen;
    he.h_addr_list = (char **)(uintptr_t)addrs_off;
    memcpy(base, &he, sizeof(he));
    return off;
}

size_t nsp_pack_servent(const char *name, const char *const *aliases, size_t alias_count, uint16_t port,
                        const char *proto, void *buf, size_t size)
{
    size_t aliases_off = ALIGN_UP(sizeof(struct servent), PTR_ALIGN), s, off, i, n;
    char *base = buf;
    struct servent se;

    off = aliases_off + (alias_count + 1) * sizeof(char *) + strlen(name) + 1 + strlen(proto) + 1;
    for (i = 0; i < alias_count; i++) off += strlen(aliases[i]) + 1;
    if (!buf || size < off) return off;

    memset(base, 0, off);
    memset(&se, 0, sizeof(se));
    s = aliases_off + (alias_count + 1) * sizeof(char *);
    n = strlen(name) + 1;
    memcpy(base + s, name, n);
    se.s_name = (char *)(uintptr_t)s;
    s += n;
    n = strlen(proto) + 1;
    memcpy(base + s, proto, n);
    se.s_proto = (char *)(uintptr_t)s;
    s += n;
    for (i = 0; i < alias_count; i++)
    {
        n = strlen(aliases[i]) + 1;
        memcpy(base + s, aliases[i], n);
        put_offset(base + aliases_off + i * sizeof(char *), s);
        s += n;
    }
    se.s_aliases = (char **)(uintptr_t)aliases_off;
    se.s_port = (short)addr_port_to_net(port);
    memcpy(base, &se, sizeof(se));
    return off;
}
